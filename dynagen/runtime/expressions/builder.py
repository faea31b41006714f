"""Placeholders for one request: every name becomes `#nN` and every value `:vN`, numbered once.

Placeholders are numbered in order of first use and shared between the parts of one request
(key condition, filter, condition, update, projection), so the same request always yields the
same text; names and values are never spliced into expression strings.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.types import AttributeValue


class ExpressionBuilder:
    """Hands out placeholders for one request and collects what they stand for."""

    __slots__ = ("_names", "_values", "_value_wire")

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._values: dict[object, str] = {}
        self._value_wire: dict[str, AttributeValue] = {}

    def name(self, name: str) -> str:
        placeholder = self._names.get(name)
        if placeholder is None:
            placeholder = self._names[name] = f"#n{len(self._names)}"
        return placeholder

    def value(self, wire: AttributeValue) -> str:
        key = _freeze(wire)
        placeholder = self._values.get(key)
        if placeholder is None:
            placeholder = self._values[key] = f":v{len(self._values)}"
            self._value_wire[placeholder] = wire
        return placeholder

    def path(self, path: Path) -> str:
        text = ""
        for element in path.elements:
            if isinstance(element, int):
                text += f"[{element}]"
            else:
                text += ("." if text else "") + self.name(element)
        return text

    def projection(self, paths: Iterable[Path]) -> str:
        return ", ".join(self.path(path) for path in paths)

    @property
    def names(self) -> dict[str, str]:
        return {placeholder: name for name, placeholder in self._names.items()}

    @property
    def values(self) -> dict[str, AttributeValue]:
        return dict(self._value_wire)

    def apply(self, request: dict[str, Any]) -> dict[str, Any]:
        """Add ExpressionAttributeNames/Values to a request, when any were used."""
        if self._names:
            request["ExpressionAttributeNames"] = self.names
        if self._value_wire:
            request["ExpressionAttributeValues"] = self.values
        return request


def _freeze(wire: object) -> object:
    """A hashable twin of a wire value, so equal values share one placeholder."""
    if isinstance(wire, Mapping):
        return tuple(sorted((key, _freeze(value)) for key, value in wire.items()))
    if isinstance(wire, (list, tuple)):
        return ("L", tuple(_freeze(value) for value in wire))
    if isinstance(wire, (set, frozenset)):
        return ("SET", tuple(sorted(map(repr, wire))))
    if isinstance(wire, (bytearray, memoryview)):  # binary values as botocore accepts them
        return ("bytes", bytes(wire))
    return (type(wire).__name__, wire)
