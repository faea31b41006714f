"""Whole items and keys on the wire: sizes, identities, comparisons and how they read in messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Sequence

from dynagen.limits import MAX_ITEM_BYTES
from dynagen.runtime.codec import read_bytes
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.types import AttributeValue, Item


def item_size(item: Mapping[str, Any]) -> int:
    """DynamoDB's size of an item, by its documented rules (names + values; numbers ~ digits/2 + 1)."""
    return sum(len(name.encode("utf-8")) + _value_size(value) for name, value in item.items())


def _value_size(wire: Mapping[str, Any]) -> int:
    for wire_type, value in wire.items():
        if wire_type == "S":
            return len(value.encode("utf-8"))
        if wire_type == "N":
            return _number_size(value)
        if wire_type == "B":
            return len(value)
        if wire_type in ("BOOL", "NULL"):
            return 1
        if wire_type == "SS":
            return sum(len(v.encode("utf-8")) for v in value)
        if wire_type == "NS":
            return sum(_number_size(v) for v in value)
        if wire_type == "BS":
            return sum(len(v) for v in value)
        if wire_type == "L":
            return 3 + sum(1 + _value_size(v) for v in value)
        if wire_type == "M":
            return 3 + sum(1 + len(k.encode("utf-8")) + _value_size(v) for k, v in value.items())
    return 0


def _number_size(text: str) -> int:
    """DynamoDB's size of a number: base-100 digits aligned on the decimal point, one byte of
    exponent, and one more for a negative number (checked against DynamoDB Local)."""
    sign, digits, exponent = Decimal(text).as_tuple()
    significant = "".join(map(str, digits)).lstrip("0")
    if not significant:
        return 1  # zero
    trimmed = significant.rstrip("0")
    low = int(exponent) + len(significant) - len(trimmed)  # power of ten of the last digit
    high = low + len(trimmed) - 1  # and of the first
    return high // 2 - low // 2 + 2 + sign


def _text_bound(text: str) -> int:
    """At least the UTF-8 size of `text`: its length if ASCII, else 4 bytes a code point."""
    return len(text) if text.isascii() else 4 * len(text)


def _bound(wire: Mapping[str, Any]) -> int:
    """At least `_value_size(wire)`, without encoding text or reading numbers.

    A number's size is floor(d/2) + 2 + sign for d significant digits (`_number_size`: base-100
    digits from the first to the last significant one, plus the exponent byte and the sign), and
    d is at most the text's length less its sign, so `len(text) // 2 + 3` is never below it.
    """
    for wire_type, value in wire.items():
        if wire_type == "S":
            return len(value) if value.isascii() else 4 * len(value)
        if wire_type == "N":
            return len(value) // 2 + 3
        if wire_type == "M":
            return 3 + sum(1 + _text_bound(k) + _bound(v) for k, v in value.items())
        if wire_type == "L":
            return 3 + sum(1 + _bound(v) for v in value)
        if wire_type == "SS":
            return sum(map(_text_bound, value))
        if wire_type == "NS":
            return sum(len(v) // 2 + 3 for v in value)
        if wire_type == "BS":
            return sum(map(len, value))
        if wire_type == "B":
            return len(value)
        return 1  # BOOL, NULL
    return 0


def item_size_bound(item: Mapping[str, Any]) -> int:
    """A cheap upper bound of `item_size` (tests/runtime/test_wire.py holds that it never is below)."""
    return sum(_text_bound(name) + _bound(value) for name, value in item.items())


def check_item_size(item: Mapping[str, Any], entity: str) -> None:
    """Refuse an item over 400 KB before sending it, with its size; DynamoDB would refuse it anyway.

    The exact size (which reads every number) is computed only when the cheap upper bound is
    over the limit, i.e. for items near 400 KB: an item the bound lets through is never too large.
    """
    if item_size_bound(item) <= MAX_ITEM_BYTES:
        return
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        raise ValidationError(
            f"{entity} item is {size} bytes; DynamoDB items are at most {MAX_ITEM_BYTES} bytes (400 KB)"
        )


def _canonical(wire: Mapping[str, Any]) -> Any:
    """A wire value as DynamoDB compares it: numbers by value, sets unordered."""
    ((wire_type, value),) = wire.items()
    if wire_type == "N":
        return wire_type, Decimal(value)
    if wire_type == "NS":
        return wire_type, frozenset(Decimal(number) for number in value)
    if wire_type in ("SS", "BS"):
        return wire_type, frozenset(value)
    if wire_type == "L":
        return wire_type, tuple(_canonical(element) for element in value)
    if wire_type == "M":
        return wire_type, frozenset((name, _canonical(element)) for name, element in value.items())
    return wire_type, value


def same_item(stored: Mapping[str, Any], sent: Mapping[str, Any]) -> bool:
    """Whether a stored item is the one sent, as DynamoDB stores it (numbers normalised, sets unordered)."""
    return stored.keys() == sent.keys() and all(
        _canonical(stored[name]) == _canonical(sent[name]) for name in sent
    )


def key_of(item: Mapping[str, AttributeValue], key_names: Sequence[str]) -> Item:
    """The key attributes of a wire item."""
    return {name: item[name] for name in key_names if name in item}


def key_identity(key: Mapping[str, AttributeValue]) -> tuple[tuple[str, str, object], ...]:
    """A hashable identity of a wire key, for de-duplication and ordering."""
    out = []
    for name in sorted(key):
        wire = key[name]
        wire_type, value = next(iter(wire.items()))
        if isinstance(value, (bytearray, memoryview)):  # unhashable binary forms
            value = bytes(value)
        elif wire_type == "B" and type(value) is str:  # the direct transport's base64 text
            value = read_bytes(value)
        elif wire_type == "N":
            value = Decimal(str(value))  # 1, 1.0 and 1E0 are one key to DynamoDB
        out.append((name, wire_type, value))
    return tuple(out)


def describe_key(key: Mapping[str, AttributeValue]) -> str:
    """`customer_id='c1', seq=5`: a key for messages, numbers unquoted as the user wrote them."""
    parts = []
    for name, wire in key.items():
        if isinstance(wire, Mapping) and len(wire) == 1 and "N" in wire:
            parts.append(f"{name}={wire['N']}")
            continue
        value = next(iter(wire.values()), None) if isinstance(wire, Mapping) else wire
        parts.append(f"{name}={value!r}")
    return ", ".join(parts)
