"""What `attributes=[...]` asks for, as document paths: top-level names and typed references.

A name (`"title"`) is a top-level attribute; a reference (`MovieAttrs.info.genres`,
`OrderAttrs.lines[0].sku`) reaches into records, lists and maps. Every path is checked here,
before any request: its top-level attribute must be one of the entity's, and no two paths may
overlap (`info` and `info.genres`), which DynamoDB refuses ("Two document paths overlap"); the
same path twice is one path.
"""

from __future__ import annotations

from typing import Any, Collection, Mapping

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.expressions.references import Attr, SizeRef

Selection = Collection[str | Attr[Any, Any, Any]]


def projection_paths(attributes: Selection, stored: Mapping[str, str]) -> list[Path]:
    """The stored paths of `attributes`, in the order given, repeats dropped.

    `stored` maps the entity's Python names to stored names; a reference already holds stored
    names (it was built from the spec), and its top-level name must be one of them.
    """
    if isinstance(attributes, (str, bytes)) or not attributes:
        raise ValidationError(
            "attributes must be a non-empty list of attribute names or references"
        )
    paths: list[Path] = []
    for attribute in attributes:
        path = _path(attribute, stored)
        if path in paths:
            continue
        for other in paths:
            if other.overlaps(path):
                inner, outer = (
                    (path, other) if len(path.elements) > len(other.elements) else (other, path)
                )
                raise ValidationError(
                    f"attributes: {other!r} and {path!r} overlap (DynamoDB refuses two document "
                    f"paths that overlap): ask for {outer!r} alone, it holds {inner!r}"
                )
        paths.append(path)
    return paths


def _path(attribute: object, stored: Mapping[str, str]) -> Path:
    if isinstance(attribute, str):
        if attribute not in stored:
            known = ", ".join(sorted(stored))
            raise ValidationError(f"unknown attribute {attribute!r}; known: {known}")
        return Path(stored[attribute])
    if isinstance(attribute, SizeRef) or not isinstance(attribute, Attr):
        raise ValidationError(
            f"attributes: {attribute!r} is not an attribute name or a reference "
            "(`Attrs.field`, `Attrs.record.field`, `Attrs.items[0]`)"
        )
    path = attribute.path
    if path.root not in stored.values():
        known = ", ".join(sorted(stored.values()))
        raise ValidationError(
            f"attributes: {path!r} is not an attribute of this entity; stored names: {known}"
        )
    return path


def path_order(path: Path) -> tuple[tuple[int, str | int], ...]:
    """A sort key for paths (names before list indexes at the same place), so that the same
    selection in any order is the same request, and the same cursor scope."""
    return tuple((0, e) if isinstance(e, str) else (1, e) for e in path.elements)
