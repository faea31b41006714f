"""Typed sort-key conditions (`Sort.begins_with("2024-")`, `Sort.between(1, 9)`) and key conditions.

A SortCondition[T] holds Python values; the read source encodes them with its sort key's codec,
so `Sort.lt(5)` on a string sort key is a mypy error, not a bad request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Literal, TypeVar

from dynagen.runtime.expressions.builder import ExpressionBuilder
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.types import AttributeValue

T = TypeVar("T")
SortOp = Literal["=", "<", "<=", ">", ">=", "between", "begins_with"]


class SortCondition(Generic[T]):
    __slots__ = ("op", "values")

    def __init__(self, op: SortOp, *values: T) -> None:
        self.op = op
        self.values = values

    def render(
        self, builder: ExpressionBuilder, path: Path, encode: Callable[[T], AttributeValue]
    ) -> str:
        target = builder.path(path)
        placeholders = [builder.value(encode(value)) for value in self.values]
        if self.op == "between":
            return f"{target} BETWEEN {placeholders[0]} AND {placeholders[1]}"
        if self.op == "begins_with":
            return f"begins_with({target}, {placeholders[0]})"
        return f"{target} {self.op} {placeholders[0]}"

    def __repr__(self) -> str:
        return f"Sort.{self.op}{self.values!r}"


class Sort:
    """Constructors of sort-key conditions; each is typed by the value it takes."""

    @staticmethod
    def eq(value: T) -> SortCondition[T]:
        return SortCondition("=", value)

    @staticmethod
    def lt(value: T) -> SortCondition[T]:
        return SortCondition("<", value)

    @staticmethod
    def le(value: T) -> SortCondition[T]:
        return SortCondition("<=", value)

    @staticmethod
    def gt(value: T) -> SortCondition[T]:
        return SortCondition(">", value)

    @staticmethod
    def ge(value: T) -> SortCondition[T]:
        return SortCondition(">=", value)

    @staticmethod
    def between(low: T, high: T) -> SortCondition[T]:
        return SortCondition("between", low, high)

    @staticmethod
    def begins_with(prefix: str) -> SortCondition[str]:
        """Only for string sort keys (and bytes keys via `begins_with_bytes`)."""
        return SortCondition("begins_with", prefix)

    @staticmethod
    def begins_with_bytes(prefix: bytes) -> SortCondition[bytes]:
        return SortCondition("begins_with", prefix)


@dataclass(slots=True)
class KeyCondition:
    """A query's KeyConditionExpression: the partition value, and an optional sort condition."""

    partition: str
    value: AttributeValue
    sort: SortCondition[Any] | None = None
    sort_name: str | None = None
    encode_sort: Callable[[Any], AttributeValue] | None = None

    def render(self, builder: ExpressionBuilder) -> str:
        text = f"{builder.path(Path(self.partition))} = {builder.value(self.value)}"
        if self.sort is None:
            return text
        assert self.sort_name is not None and self.encode_sort is not None
        return f"{text} AND {self.sort.render(builder, Path(self.sort_name), self.encode_sort)}"
