"""Checks of call arguments that typing alone cannot make (a str is an Iterable[str], too)."""

from __future__ import annotations

from typing import Collection, Iterable, Mapping, TypeVar

from dynagen.runtime.errors import ValidationError

T = TypeVar("T")


def check_many(values: Iterable[T], what: str) -> Iterable[T]:
    """Refuse a lone string or bytes where a collection of keys or items is meant."""
    if isinstance(values, (str, bytes, bytearray)):
        raise ValidationError(
            f"{what} must be an iterable of {what}, not a single {type(values).__name__}"
        )
    return values


def stored_names(attributes: Collection[str], stored: Mapping[str, str]) -> list[str]:
    """Python attribute names -> stored names, for a projection; unknown names are refused."""
    if isinstance(attributes, (str, bytes)) or not attributes:
        raise ValidationError("attributes must be a non-empty list of attribute names")
    names = []
    for name in attributes:
        if name not in stored:
            raise ValidationError(f"unknown attribute {name!r}; known: {', '.join(sorted(stored))}")
        if stored[name] not in names:
            names.append(stored[name])
    return names
