"""Typed sort-key conditions (`Sort.begins_with("2024-")`, `Sort.between(1, 9)`) and key conditions.

A SortCondition[T] holds Python values; the read source encodes them with its sort key's codec.
Each kind of condition is one class holding its whole story (its constructor's types, its
expression text), so `Sort.lt(5)` on a string sort key is a mypy error, not a bad request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Generic, Literal, TypeVar

from dynagen.runtime.expressions.builder import ExpressionBuilder
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.types import AttributeValue

T = TypeVar("T")
SortOp = Literal["=", "<", "<=", ">", ">=", "between", "begins_with"]


class SortCondition(Generic[T]):
    """A condition on a query's sort key; each kind is a class below, made as `Sort.<kind>(...)`.

    `op` names the kind (the key templates translate conditions by it); `text` writes the
    condition over its placeholders, overridden where the kind is not `key op value`.
    """

    op: ClassVar[SortOp]
    __slots__ = ("values",)

    def __init_subclass__(cls, op: SortOp, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.op = op

    def __init__(self, value: T) -> None:
        self.values: tuple[T, ...] = (value,)

    def render(
        self, builder: ExpressionBuilder, path: Path, encode: Callable[[T], AttributeValue]
    ) -> str:
        return self.text(builder.path(path), [builder.value(encode(v)) for v in self.values])

    def text(self, target: str, values: list[str]) -> str:
        return f"{target} {self.op} {values[0]}"

    def __repr__(self) -> str:
        return f"Sort.{self.maker}({', '.join(map(repr, self.values))})"

    @property
    def maker(self) -> str:
        """The `Sort` constructor that made it, as its repr names it."""
        return type(self).__name__


class _Prefix(SortCondition[T], op="begins_with"):
    """`begins_with(key, prefix)`: string and binary keys only (a number has no prefix)."""

    __slots__ = ()

    def text(self, target: str, values: list[str]) -> str:
        return f"begins_with({target}, {values[0]})"

    @property
    def maker(self) -> str:
        return "begins_with" if isinstance(self.values[0], str) else "begins_with_bytes"


class Sort:
    """The sort-key conditions, one class each, typed by the value they take: `Sort.lt(5)` is a
    SortCondition[int], so on a string sort key it is a mypy error, not a bad request."""

    class eq(SortCondition[T], op="="): ...

    class lt(SortCondition[T], op="<"): ...

    class le(SortCondition[T], op="<="): ...

    class gt(SortCondition[T], op=">"): ...

    class ge(SortCondition[T], op=">="): ...

    class between(SortCondition[T], op="between"):
        """Both bounds included, `low <= key <= high` (DynamoDB refuses low > high)."""

        __slots__ = ()

        def __init__(self, low: T, high: T) -> None:
            self.values = (low, high)

        def text(self, target: str, values: list[str]) -> str:
            return f"{target} BETWEEN {values[0]} AND {values[1]}"

    @staticmethod
    def begins_with(prefix: str) -> SortCondition[str]:
        """Only for string sort keys (and binary ones by `begins_with_bytes`)."""
        return _Prefix(prefix)

    @staticmethod
    def begins_with_bytes(prefix: bytes) -> SortCondition[bytes]:
        return _Prefix(prefix)


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
