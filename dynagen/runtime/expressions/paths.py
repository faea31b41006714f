"""Attribute paths: a top-level name, then map keys and list indexes (`shipping.city`, `lines[0].sku`)."""

from __future__ import annotations

from dynagen.runtime.errors import ValidationError


class Path:
    """An attribute path: a top-level name, then map keys (str) and list indexes (int)."""

    __slots__ = ("elements",)

    def __init__(self, *elements: str | int) -> None:
        if not elements or not isinstance(elements[0], str):
            raise ValidationError("an attribute path starts with an attribute name")
        for element in elements:
            if isinstance(element, str) and not element:
                raise ValidationError("attribute names cannot be empty")
            if isinstance(element, bool) or not isinstance(element, (str, int)):
                raise ValidationError(f"a path element is a name or a list index, got {element!r}")
            if isinstance(element, int) and element < 0:
                raise ValidationError("list indexes cannot be negative")
        self.elements: tuple[str | int, ...] = elements

    @property
    def root(self) -> str:
        """The top-level attribute the path starts at."""
        return str(self.elements[0])

    def child(self, element: str | int) -> Path:
        return Path(*self.elements, element)

    def overlaps(self, other: Path) -> bool:
        """True when one path is the other or lies inside it (DynamoDB refuses both in one update)."""
        shorter = min(len(self.elements), len(other.elements))
        return self.elements[:shorter] == other.elements[:shorter]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Path) and other.elements == self.elements

    def __hash__(self) -> int:
        return hash(self.elements)

    def __repr__(self) -> str:
        text = ""
        for element in self.elements:
            text += (
                f"[{element}]" if isinstance(element, int) else (f".{element}" if text else element)
            )
        return text
