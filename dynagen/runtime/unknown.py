"""Stored attributes the spec does not name: kept on every read, written back by whole-item writes.

Another service's attributes, or ones a newer version of the spec added, must survive a
read-modify-write by code that does not know them. Each generated entity and record dataclass
holds them, in their wire form, in a field no typed API shows (`UNKNOWN_FIELD`: not compared, not
in repr, kept by `dataclasses.replace`); `put`, `create`, `batch_put` and their transaction forms
write them back as they were read. `unknown_attributes(item)` is that dict: clear it (or delete
names from it) to drop them on the next whole-item write.
"""

from __future__ import annotations

from typing import Any, Mapping

from dynagen.runtime.codec import binary_decoded
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.types import AttributeValue

UNKNOWN_FIELD = "_unknown_attributes"
"""The dataclass field that holds them (dynagen.naming.UNKNOWN_FIELD names the same)."""


def unknown(raw: Mapping[str, AttributeValue], known: frozenset[str]) -> dict[str, AttributeValue]:
    """The attributes of a raw item (or record map) that are not in `known`, as they are stored.

    Their binary values are made bytes (the direct transport leaves B and BS as base64 text for
    the generated decoders, which know which attributes are binary; these have no decoder): so
    they read as through botocore, and go back unchanged through either transport."""
    if raw.keys() <= known:
        return {}
    return {name: binary_decoded(value) for name, value in raw.items() if name not in known}


def add_unknown(
    out: dict[str, AttributeValue], kept: Mapping[str, AttributeValue], known: frozenset[str]
) -> None:
    """Put the kept attributes back into a marshalled item; the spec's own names always win
    (an optional attribute set to None stays unwritten even if `kept` names it)."""
    for name, value in kept.items():
        if name not in known and name not in out:
            out[name] = value


def unknown_attributes(item: object) -> dict[str, AttributeValue]:
    """The stored attributes the spec does not name, kept on `item` (an entity or record read by a
    generated module): the live dict, so `unknown_attributes(item).clear()` drops them."""
    try:
        kept: Any = getattr(item, UNKNOWN_FIELD)
    except AttributeError:
        raise ValidationError(
            f"{type(item).__name__} is not a generated entity or record: it keeps no unknown attributes"
        ) from None
    if not isinstance(kept, dict):
        raise ValidationError(f"{type(item).__name__}.{UNKNOWN_FIELD} is not a dict")
    return kept
