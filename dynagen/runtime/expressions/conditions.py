"""Conditions and filters: comparisons, functions, AND / OR / NOT, rendered with placeholders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Literal, NoReturn, Sequence, TypeVar

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions.builder import ExpressionBuilder
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.types import AttributeValue

E = TypeVar("E")  # the entity a condition is about
T = TypeVar("T")
W = TypeVar("W")
MAX_IN_VALUES = 100


class Operand:
    """Something a comparison can stand on: a path, size(path) or a value."""

    __slots__ = ()

    def render(self, builder: ExpressionBuilder) -> str:
        raise NotImplementedError


@dataclass(slots=True)
class PathOperand(Operand):
    path: Path

    def render(self, builder: ExpressionBuilder) -> str:
        return builder.path(self.path)


class SizeOperand(PathOperand):
    """`size(path)`."""

    __slots__ = ()

    def render(self, builder: ExpressionBuilder) -> str:
        return f"size({super().render(builder)})"


@dataclass(slots=True)
class ValueOperand(Operand):
    wire: AttributeValue

    def render(self, builder: ExpressionBuilder) -> str:
        return builder.value(self.wire)


class Condition(Generic[E]):
    """A condition or filter about items of entity E; combine with `&`, `|` and `~`."""

    __slots__ = ()

    def render(self, builder: ExpressionBuilder) -> str:
        raise NotImplementedError

    def __and__(self, other: Condition[E]) -> Condition[E]:
        return BoolOp("AND", (self, _check_condition(other)))

    def __or__(self, other: Condition[E]) -> Condition[E]:
        return BoolOp("OR", (self, _check_condition(other)))

    def __invert__(self) -> Condition[E]:
        return Not(self)

    def __bool__(self) -> NoReturn:
        """`a and b`, `a or b`, `if a:` would keep one side only. NoReturn: mypy's reachability
        check (`--warn-unreachable`) reports the code that relies on it."""
        raise TypeError(
            "a Condition has no truth value: combine conditions with &, | and ~, not and/or/not"
        )

    def __repr__(self) -> str:
        builder = ExpressionBuilder()
        text = self.render(builder)
        return f"Condition({text!r}, names={builder.names}, values={builder.values})"


class WrongValue(Generic[T, W]):
    """What mypy sees for `attr == value` (or `!=`) when the value, of type W, is not of the
    attribute's type T: never made (the comparison raises ValidationError), its name is the
    message, e.g. `incompatible type "WrongValue[Decimal, str]"; expected "Condition[Order]"`."""

    __slots__ = ()

    def __init__(self) -> None:
        raise TypeError("WrongValue is a type for mypy's messages only")


def _check_condition(value: object) -> Condition[Any]:
    if not isinstance(value, Condition):
        raise TypeError(
            f"expected a Condition, got {type(value).__name__} (did a comparison use the wrong value type?)"
        )
    return value


class _Formed(Condition[E]):
    """Operands rendered in order into a form: `{0} < {1}`, `{0} BETWEEN {1} AND {2}`."""

    __slots__ = ("form", "operands")

    def __init__(self, form: str, *operands: Operand) -> None:
        self.form = form
        self.operands = operands

    def render(self, builder: ExpressionBuilder) -> str:
        return self.form.format(*[operand.render(builder) for operand in self.operands])


class Comparison(_Formed[E]):
    """`left op right`: =, <>, <, <=, >, >=."""

    __slots__ = ()

    def __init__(self, op: str, left: Operand, right: Operand) -> None:
        super().__init__(f"{{0}} {op} {{1}}", left, right)


class Between(_Formed[E]):
    __slots__ = ()

    def __init__(self, operand: Operand, low: Operand, high: Operand) -> None:
        super().__init__("{0} BETWEEN {1} AND {2}", operand, low, high)


class In(Condition[E]):
    __slots__ = ("operand", "options")

    def __init__(self, operand: Operand, options: Sequence[Operand]) -> None:
        if not options:
            raise ValidationError("in_() needs at least one value")
        if len(options) > MAX_IN_VALUES:
            raise ValidationError(f"in_() takes at most {MAX_IN_VALUES} values, got {len(options)}")
        self.operand = operand
        self.options = tuple(options)

    def render(self, builder: ExpressionBuilder) -> str:
        left = self.operand.render(builder)
        return f"{left} IN ({', '.join(option.render(builder) for option in self.options)})"


class Function(Condition[E]):
    """attribute_exists, attribute_not_exists, attribute_type, begins_with, contains."""

    __slots__ = ("function", "path", "argument")

    def __init__(self, function: str, path: Path, argument: Operand | None = None) -> None:
        self.function = function
        self.path = path
        self.argument = argument

    def render(self, builder: ExpressionBuilder) -> str:
        target = builder.path(self.path)
        if self.argument is None:
            return f"{self.function}({target})"
        return f"{self.function}({target}, {self.argument.render(builder)})"


class BoolOp(Condition[E]):
    __slots__ = ("op", "parts")

    def __init__(self, op: Literal["AND", "OR"], parts: Sequence[Condition[Any]]) -> None:
        flat: list[Condition[Any]] = []
        for part in parts:  # (a & b) & c renders as one flat AND
            if isinstance(part, BoolOp) and part.op == op:
                flat.extend(part.parts)
            else:
                flat.append(part)
        self.op: Literal["AND", "OR"] = op
        self.parts: tuple[Condition[Any], ...] = tuple(flat)

    def render(self, builder: ExpressionBuilder) -> str:
        return f" {self.op} ".join(f"({part.render(builder)})" for part in self.parts)


class Not(Condition[E]):
    __slots__ = ("inner",)

    def __init__(self, inner: Condition[Any]) -> None:
        self.inner = inner

    def render(self, builder: ExpressionBuilder) -> str:
        return f"NOT ({self.inner.render(builder)})"


def all_of(*conditions: Condition[E] | None) -> Condition[E] | None:
    """AND of the conditions given, skipping None; None when there are none."""
    present = [condition for condition in conditions if condition is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return BoolOp("AND", present)


def attribute_exists(name: str) -> Condition[Any]:
    return Function("attribute_exists", Path(name))


def attribute_not_exists(name: str) -> Condition[Any]:
    return Function("attribute_not_exists", Path(name))


def number_equals(name: str, number: int) -> Condition[Any]:
    """`name = number`: the version check."""
    return Comparison("=", PathOperand(Path(name)), ValueOperand({"N": str(number)}))
