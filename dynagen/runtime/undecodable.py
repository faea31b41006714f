"""Reading past items that do not decode, without losing them: the `on_decode_error` policy.

One foreign item (another tool's, or written under another spec) would otherwise stop a whole
scan or query. A table made with `on_decode_error=DecodeErrors()` (or any callable taking an
`Undecodable`) hands each such item of `query`, `scan`, their pages and `batch_get` to it, with
its raw form, its key and the error, and reads on; the default, "raise", raises ItemDecodeError
at that item. Reads of one item (`get`, the item `update` or `delete` return) always raise:
there is nothing to read past.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal, Mapping, TypeVar, Union

from dynagen.runtime.codec import item_binary_decoded
from dynagen.runtime.errors import ItemDecodeError, ValidationError
from dynagen.runtime.types import AttributeValue

T = TypeVar("T")


@dataclass(frozen=True)
class Undecodable:
    """One stored item the spec cannot read: as it is stored, its key, why, and where."""

    raw: Mapping[str, AttributeValue]
    key: Mapping[str, AttributeValue] | None
    error: ItemDecodeError
    table: str


class DecodeErrors:
    """Collects the items a read stepped over (`on_decode_error=DecodeErrors()`): iterate it, or
    look at `.items`, after the read; nothing is lost, each keeps its raw form and key."""

    def __init__(self) -> None:
        self.items: list[Undecodable] = []

    def __call__(self, item: Undecodable) -> None:
        self.items.append(item)

    def __iter__(self) -> Iterator[Undecodable]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"DecodeErrors({len(self.items)} items)"


OnDecodeError = Union[Literal["raise"], Callable[[Undecodable], None]]
"""What a read does with an item that does not decode: raise (the default), or hand it on."""

SKIPPED: Any = object()
"""What a tolerant decoder returns for an item it handed on: the read leaves it out."""


def check_policy(policy: object) -> OnDecodeError:
    """The policy as given, or ValidationError: "raise" or a callable."""
    if policy == "raise" or callable(policy):
        return policy
    raise ValidationError(
        f'on_decode_error must be "raise" or a callable taking an Undecodable (such as '
        f"DecodeErrors()), got {policy!r}"
    )


def tolerant(
    decode: Callable[[Mapping[str, AttributeValue]], T], policy: OnDecodeError, table: str
) -> Callable[[Mapping[str, AttributeValue]], T]:
    """`decode` as the policy says: itself for "raise", else one that hands an undecodable item
    to the policy and returns SKIPPED for it."""
    if policy == "raise":
        return decode
    hand_on: Callable[[Undecodable], None] = policy

    def read(raw: Mapping[str, AttributeValue]) -> T:
        try:
            return decode(raw)
        except ItemDecodeError as error:
            # as botocore would have read it: binary values as bytes (the direct transport
            # leaves them as base64 text for the decoders), so it can be written back as it was
            key = item_binary_decoded(error.key) if error.key is not None else None
            hand_on(Undecodable(item_binary_decoded(raw), key, error, table))
            return SKIPPED  # type: ignore[no-any-return]

    return read
