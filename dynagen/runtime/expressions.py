"""Expression assembly: every attribute name becomes `#nN` and every value `:vN`.

Placeholders are numbered in order of first use and shared between the parts of one request
(key condition, filter, condition, update, projection), so the same request always yields the
same text; names and values are never spliced into expression strings.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Iterable, Literal, Mapping, Sequence, TypeVar, Union

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.types import AttributeValue

E = TypeVar("E")  # the entity a condition is about
T = TypeVar("T")  # the Python type of a referenced attribute
V = TypeVar("V")  # the element type of a collection

WireType = Literal["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"]
MAX_IN_VALUES = 100


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

    def child(self, element: str | int) -> Path:
        return Path(*self.elements, element)

    def __repr__(self) -> str:
        text = ""
        for element in self.elements:
            text += (
                f"[{element}]" if isinstance(element, int) else (f".{element}" if text else element)
            )
        return text


class ExpressionBuilder:
    """Hands out placeholders for one request and collects what they stand for."""

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
    return (type(wire).__name__, wire)


# ---------------------------------------------------------------- operands


class Operand:
    """Something a comparison can stand on: a path, size(path) or a value."""

    def render(self, builder: ExpressionBuilder) -> str:
        raise NotImplementedError


class PathOperand(Operand):
    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def render(self, builder: ExpressionBuilder) -> str:
        return builder.path(self.path)


class SizeOperand(Operand):
    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path

    def render(self, builder: ExpressionBuilder) -> str:
        return f"size({builder.path(self.path)})"


class ValueOperand(Operand):
    __slots__ = ("wire",)

    def __init__(self, wire: AttributeValue) -> None:
        self.wire = wire

    def render(self, builder: ExpressionBuilder) -> str:
        return builder.value(self.wire)


# ---------------------------------------------------------------- conditions


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

    def __bool__(self) -> bool:
        raise TypeError(
            "a Condition has no truth value: combine conditions with &, | and ~, not and/or/not"
        )

    def __repr__(self) -> str:
        builder = ExpressionBuilder()
        text = self.render(builder)
        return f"Condition({text!r}, names={builder.names}, values={builder.values})"


def _check_condition(value: object) -> Condition[Any]:
    if not isinstance(value, Condition):
        raise TypeError(
            f"expected a Condition, got {type(value).__name__} (did a comparison use the wrong value type?)"
        )
    return value


class Comparison(Condition[E]):
    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Operand, right: Operand) -> None:
        self.op = op
        self.left = left
        self.right = right

    def render(self, builder: ExpressionBuilder) -> str:
        return f"{self.left.render(builder)} {self.op} {self.right.render(builder)}"


class Between(Condition[E]):
    __slots__ = ("operand", "low", "high")

    def __init__(self, operand: Operand, low: Operand, high: Operand) -> None:
        self.operand = operand
        self.low = low
        self.high = high

    def render(self, builder: ExpressionBuilder) -> str:
        return f"{self.operand.render(builder)} BETWEEN {self.low.render(builder)} AND {self.high.render(builder)}"


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
            if isinstance(part, BoolOp) and part.op == op:  # (a & b) & c -> a & b & c
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


def equals(name: str, wire: AttributeValue) -> Condition[Any]:
    return Comparison("=", PathOperand(Path(name)), ValueOperand(wire))


# ---------------------------------------------------------------- typed references


class Attr(Generic[E, T]):
    """A reference to one attribute of entity E whose Python type is T.

    Generated modules give each entity a class of these (`OrderAttrs.total`), each with the
    encoder of its type, so a comparison value goes through the same codec as a stored one.
    """

    __slots__ = ("path", "_encode")

    def __init__(self, path: Path | str, encode: Callable[[T], AttributeValue]) -> None:
        self.path = Path(path) if isinstance(path, str) else path
        self._encode = encode

    def _operand(self) -> Operand:
        return PathOperand(self.path)

    def _value(self, value: T) -> ValueOperand:
        return ValueOperand(self._wire(value))

    def _wire(self, value: T) -> AttributeValue:
        """Encode through the attribute's codec; a value of the wrong type is named, not a bare AttributeError."""
        try:
            wire = self._encode(value)
        except (AttributeError, TypeError) as error:
            raise ValidationError(
                f"{self.path!r}: {value!r} ({type(value).__name__}) is not a value of this attribute's type"
            ) from error
        for kind in ("SS", "NS", "BS"):
            if kind in wire and not wire[kind]:
                raise ValidationError(
                    f"{self.path!r}: an empty set cannot be sent (DynamoDB never stores one); "
                    "use not_exists() in conditions and remove() in updates"
                )
        return wire

    def __eq__(self, value: T) -> Condition[E]:  # type: ignore[override]
        return Comparison("=", self._operand(), self._value(value))

    def __ne__(self, value: T) -> Condition[E]:  # type: ignore[override]
        return Comparison("<>", self._operand(), self._value(value))

    __hash__ = None  # type: ignore[assignment]

    def in_(self, *values: T) -> Condition[E]:
        return In(self._operand(), [self._value(value) for value in values])

    def exists(self) -> Condition[E]:
        return Function("attribute_exists", self.path)

    def not_exists(self) -> Condition[E]:
        return Function("attribute_not_exists", self.path)

    def is_type(self, wire_type: WireType) -> Condition[E]:
        return Function("attribute_type", self.path, ValueOperand({"S": wire_type}))

    # update actions, for `update(actions=[...])`
    def set(self, value: T) -> Action[E]:
        """SET the attribute (or nested field, or list element) to a value."""
        return Action("set", self.path, self._wire(value))

    def set_if_not_exists(self, value: T) -> Action[E]:
        """SET it only when it has no value yet."""
        return Action("if_not_exists", self.path, self._wire(value))

    def remove(self) -> Action[E]:
        """REMOVE the attribute, nested field or list element (later elements move up)."""
        return Action("remove", self.path, None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"


class OrderedAttr(Attr[E, T]):
    """An attribute whose values have an order: numbers, strings, bytes, dates."""

    __slots__ = ()

    def __lt__(self, value: T) -> Condition[E]:
        return Comparison("<", self._operand(), self._value(value))

    def __le__(self, value: T) -> Condition[E]:
        return Comparison("<=", self._operand(), self._value(value))

    def __gt__(self, value: T) -> Condition[E]:
        return Comparison(">", self._operand(), self._value(value))

    def __ge__(self, value: T) -> Condition[E]:
        return Comparison(">=", self._operand(), self._value(value))

    def between(self, low: T, high: T) -> Condition[E]:
        return Between(self._operand(), self._value(low), self._value(high))


class SizeRef(OrderedAttr[E, int]):
    """`size(path)`: compared with ints."""

    __slots__ = ()

    def __init__(self, path: Path) -> None:
        super().__init__(path, _int_wire)

    def _operand(self) -> Operand:
        return SizeOperand(self.path)


def _int_wire(value: int) -> AttributeValue:
    return {"N": str(int(value))}


class StringAttr(OrderedAttr[E, T]):
    """A string-stored attribute (str, and types stored as S): begins_with, contains, size."""

    __slots__ = ()

    def begins_with(self, prefix: T) -> Condition[E]:
        return Function("begins_with", self.path, self._value(prefix))

    def contains(self, part: T) -> Condition[E]:
        return Function("contains", self.path, self._value(part))

    def size(self) -> SizeRef[E]:
        return SizeRef(self.path)


class BytesAttr(OrderedAttr[E, bytes]):
    __slots__ = ()

    def begins_with(self, prefix: bytes) -> Condition[E]:
        return Function("begins_with", self.path, self._value(prefix))

    def contains(self, part: bytes) -> Condition[E]:
        return Function("contains", self.path, self._value(part))

    def size(self) -> SizeRef[E]:
        return SizeRef(self.path)


class CollectionAttr(Attr[E, T], Generic[E, T, V]):
    """A set or list attribute: contains(element) and size()."""

    __slots__ = ("_encode_element",)

    def __init__(
        self,
        path: Path | str,
        encode: Callable[[T], AttributeValue],
        encode_element: Callable[[V], AttributeValue],
    ) -> None:
        super().__init__(path, encode)
        self._encode_element = encode_element

    def contains(self, element: V) -> Condition[E]:
        return Function("contains", self.path, ValueOperand(self._encode_element(element)))

    def size(self) -> SizeRef[E]:
        return SizeRef(self.path)


class MapAttr(Attr[E, T]):
    """A map or record attribute: size()."""

    __slots__ = ()

    def size(self) -> SizeRef[E]:
        return SizeRef(self.path)


R = TypeVar("R")  # the reference type of a collection's elements


class ListAttr(CollectionAttr[E, list[V], V], Generic[E, V, R]):
    """A list attribute: `[i]` gives the element's own typed reference; append and prepend."""

    __slots__ = ("_element_ref",)

    def __init__(
        self,
        path: Path | str,
        encode: Callable[[list[V]], AttributeValue],
        encode_element: Callable[[V], AttributeValue],
        element_ref: Callable[[Path], R],
    ) -> None:
        super().__init__(path, encode, encode_element)
        self._element_ref = element_ref

    def __getitem__(self, index: int) -> R:
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise ValidationError(f"list index must be a non-negative int, got {index!r}")
        return self._element_ref(self.path.child(index))

    def append(self, values: list[V]) -> Action[E]:
        """SET list = list_append(list, values) (a missing list counts as empty)."""
        return Action("append", self.path, self._wire(values))

    def prepend(self, values: list[V]) -> Action[E]:
        return Action("prepend", self.path, self._wire(values))


class MapOfAttr(MapAttr[E, dict[str, V]], Generic[E, V, R]):
    """A `map<T>` attribute: `["key"]` gives the value's typed reference."""

    __slots__ = ("_value_ref",)

    def __init__(
        self,
        path: Path | str,
        encode: Callable[[dict[str, V]], AttributeValue],
        value_ref: Callable[[Path], R],
    ) -> None:
        super().__init__(path, encode)
        self._value_ref = value_ref

    def __getitem__(self, key: str) -> R:
        if not isinstance(key, str) or not key:
            raise ValidationError(f"map key must be a non-empty str, got {key!r}")
        return self._value_ref(self.path.child(key))


# ---------------------------------------------------------------- updates


class Action(Generic[E]):
    """One typed update clause on entity E, made by a reference: `OrderAttrs.shipping.city.set("Rome")`."""

    __slots__ = ("kind", "path", "wire")

    def __init__(
        self,
        kind: Literal["set", "if_not_exists", "remove", "append", "prepend"],
        path: Path,
        wire: AttributeValue | None,
    ) -> None:
        self.kind = kind
        self.path = path
        self.wire = wire

    def apply(self, update: Update) -> None:
        wire: AttributeValue = self.wire if self.wire is not None else {}
        if self.kind == "set":
            update.set(self.path, wire)
        elif self.kind == "if_not_exists":
            update.set_if_not_exists(self.path, wire)
        elif self.kind == "append":
            update.append(self.path, wire)
        elif self.kind == "prepend":
            update.prepend(self.path, wire)
        else:
            update.remove(self.path)

    def __repr__(self) -> str:
        return f"Action({self.kind}, {self.path!r})"


def apply_actions(update: Update, actions: Iterable[Action[Any]], managed: Iterable[str]) -> None:
    """Add typed actions to an update; keys and automatic attributes are dynagen's to write."""
    if isinstance(actions, Action):
        raise ValidationError("actions must be a list of actions")
    refused = set(managed)
    for action in actions:
        if not isinstance(action, Action):
            raise ValidationError(f"expected an update action, got {type(action).__name__}")
        root = action.path.elements[0]
        if root in refused:
            raise ValidationError(
                f"{root!r} cannot be changed by an update action (a key or automatic attribute)"
            )
        action.apply(update)


SetAction = Union[
    tuple[Literal["value"], AttributeValue],
    tuple[Literal["if_not_exists"], AttributeValue],
    tuple[Literal["append"], AttributeValue],
    tuple[Literal["prepend"], AttributeValue],
    tuple[Literal["increment"], AttributeValue],
]


class Update:
    """The clauses of one UpdateExpression: SET, REMOVE, ADD, DELETE."""

    __slots__ = ("_set", "_remove", "_add", "_delete", "_touched")

    def __init__(self) -> None:
        self._set: list[tuple[Path, SetAction]] = []
        self._remove: list[Path] = []
        self._add: list[tuple[Path, AttributeValue]] = []
        self._delete: list[tuple[Path, AttributeValue]] = []
        self._touched: set[tuple[str | int, ...]] = set()

    def _claim(self, path: Path) -> None:
        """DynamoDB refuses two clauses on one path, or on a path and a part of it: so do we."""
        elements = path.elements
        for other in self._touched:
            shorter = min(len(other), len(elements))
            if other[:shorter] == elements[:shorter]:
                what = "twice" if other == elements else f"together with {Path(*other)!r}"
                raise ValidationError(
                    f"attribute {path!r} appears {what} in one update (paths overlap)"
                )
        self._touched.add(elements)

    def set(self, path: Path, wire: AttributeValue) -> Update:
        self._claim(path)
        self._set.append((path, ("value", wire)))
        return self

    def set_if_not_exists(self, path: Path, wire: AttributeValue) -> Update:
        self._claim(path)
        self._set.append((path, ("if_not_exists", wire)))
        return self

    def append(self, path: Path, wire_list: AttributeValue) -> Update:
        self._claim(path)
        self._set.append((path, ("append", wire_list)))
        return self

    def prepend(self, path: Path, wire_list: AttributeValue) -> Update:
        self._claim(path)
        self._set.append((path, ("prepend", wire_list)))
        return self

    def increment(self, path: Path, wire_number: AttributeValue) -> Update:
        self._claim(path)
        self._set.append((path, ("increment", wire_number)))
        return self

    def remove(self, path: Path) -> Update:
        self._claim(path)
        self._remove.append(path)
        return self

    def add(self, path: Path, wire: AttributeValue) -> Update:
        self._claim(path)
        self._add.append((path, wire))
        return self

    def delete(self, path: Path, wire: AttributeValue) -> Update:
        self._claim(path)
        self._delete.append((path, wire))
        return self

    def __bool__(self) -> bool:
        return bool(self._set or self._remove or self._add or self._delete)

    def render(self, builder: ExpressionBuilder) -> str:
        clauses = []
        if self._set:
            clauses.append(
                "SET " + ", ".join(_render_set(builder, path, action) for path, action in self._set)
            )
        if self._remove:
            clauses.append("REMOVE " + ", ".join(builder.path(path) for path in self._remove))
        if self._add:
            clauses.append(
                "ADD " + ", ".join(f"{builder.path(p)} {builder.value(w)}" for p, w in self._add)
            )
        if self._delete:
            clauses.append(
                "DELETE "
                + ", ".join(f"{builder.path(p)} {builder.value(w)}" for p, w in self._delete)
            )
        return " ".join(clauses)


def _render_set(builder: ExpressionBuilder, path: Path, action: SetAction) -> str:
    target = builder.path(path)
    kind, wire = action
    value = builder.value(wire)
    if kind == "value":
        return f"{target} = {value}"
    if kind == "if_not_exists":
        return f"{target} = if_not_exists({target}, {value})"
    if kind == "append":
        return (
            f"{target} = list_append(if_not_exists({target}, {builder.value({'L': []})}), {value})"
        )
    if kind == "prepend":
        return (
            f"{target} = list_append({value}, if_not_exists({target}, {builder.value({'L': []})}))"
        )
    return f"{target} = {target} + {value}"
