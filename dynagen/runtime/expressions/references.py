"""Typed attribute references: generated modules give each entity a class of these (`OrderAttrs`).

Each reference carries its attribute's encoder, so a comparison value goes through the same codec
as a stored one, and its class offers only the operators that make sense for the type. Its mode
(the last type parameter, also held at run time) says which update actions it offers: a key or
automatic attribute none, a required one `set` but not `remove` (the item could not be read
back), an optional one both; a call the mode refuses is a mypy error and a ValidationError.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Literal, Protocol, TypeVar, overload

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions.conditions import (
    Between,
    Comparison,
    Condition,
    Function,
    In,
    Operand,
    PathOperand,
    SizeOperand,
    ValueOperand,
    WrongValue,
)
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.expressions.updates import (
    Action,
    Append,
    Increment,
    Prepend,
    Remove,
    SetIfNotExists,
    SetValue,
)
from dynagen.runtime.types import AttributeValue

E = TypeVar("E")  # the entity a reference belongs to
T = TypeVar("T")  # the Python type of the referenced attribute
V = TypeVar("V")  # the element type of a collection
R = TypeVar("R")  # the reference type of a collection's elements
W = TypeVar("W")  # a value of the wrong type, for WrongValue


class Mode:
    """What update actions a reference offers; generated code picks one of the four leaves."""


class Fixed(Mode):
    """Written by dynagen only: conditions, no update actions."""


class Key(Fixed):
    """A key attribute: an update cannot change it."""


class Auto(Fixed):
    """version, created_at, updated_at: the runtime writes them on every write."""


class Settable(Mode):
    """May be set by an update action."""


class Required(Settable):
    """A required attribute or record field: set, never removed (the item could not be read)."""


class Removable(Settable):
    """Optional, a set, a list element or a map entry: set and removed."""


M = TypeVar("M", bound=Mode, covariant=True)  # the reference's mode

WireType = Literal["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"]
_SET_WIRE_TYPES = ("SS", "NS", "BS")


class _Equality(Protocol[E, T]):
    """The type of a reference's `==` and `!=`: a value of its type T makes a condition; a value
    of another type matches the second overload, whose result WrongValue[T, W] names both types
    where mypy reports it (the comparison itself raises ValidationError)."""

    @overload
    def __call__(self, value: T, /) -> Condition[E]: ...
    @overload
    def __call__(self, value: W, /) -> WrongValue[T, W]: ...


def _equality(op: Literal["=", "<>"]) -> Any:
    """The method comparing a reference with a value by `op`; `Attr` types it as _Equality."""

    def compare(self: Attr[Any, Any, Any], value: Any) -> Any:
        return Comparison(op, self._operand(), self._value(value))

    return compare


class Attr(Generic[E, T, M]):
    """A reference to one attribute of entity E whose Python type is T, in mode M."""

    __slots__ = ("path", "_encode", "_mode")

    def __init__(
        self, path: Path | str, encode: Callable[[T], AttributeValue], mode: type[M]
    ) -> None:
        self.path = Path(path) if isinstance(path, str) else path
        self._encode = encode
        self._mode = mode

    def _settable(self, what: str) -> None:
        if not issubclass(self._mode, Settable):
            owner = "a key" if issubclass(self._mode, Key) else "an automatic"
            raise ValidationError(
                f"{self.path!r}: {what}() refused: {owner} attribute is written by dynagen only"
            )

    def _operand(self) -> Operand:
        return PathOperand(self.path)

    def _value(self, value: T) -> ValueOperand:
        return ValueOperand(self._wire(value))

    def _wire(self, value: T) -> AttributeValue:
        """Encode through the attribute's codec; a value of the wrong type is named, not a bare AttributeError."""
        try:
            wire = self._encode(value)
        except ValidationError as error:
            # the encoder names the field alone (`rating: ...`); say the whole path instead
            label, colon, detail = str(error).partition(": ")
            if not colon or " " in label:
                detail = str(error)
            raise ValidationError(f"{self.path!r}: {detail}") from error
        except (AttributeError, TypeError) as error:
            raise ValidationError(
                f"{self.path!r}: {value!r} ({type(value).__name__}) is not a value of this "
                "attribute's type"
            ) from error
        for kind in _SET_WIRE_TYPES:
            if kind in wire and not wire[kind]:  # type: ignore[literal-required]
                raise ValidationError(
                    f"{self.path!r}: an empty set cannot be sent (DynamoDB never stores one); "
                    "use not_exists() in conditions and remove() in updates"
                )
        return wire

    __eq__: _Equality[E, T] = _equality("=")  # type: ignore[assignment]
    __ne__: _Equality[E, T] = _equality("<>")  # type: ignore[assignment]

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
    def set(self: Attr[E, T, Settable], value: T) -> Action[E]:
        """SET the attribute (or nested field, or list element) to a value."""
        self._settable("set")
        return SetValue(self.path, self._wire(value))

    def set_if_not_exists(self: Attr[E, T, Settable], value: T) -> Action[E]:
        """SET it only when it has no value yet."""
        self._settable("set_if_not_exists")
        return SetIfNotExists(self.path, self._wire(value))

    def remove(self: Attr[E, T, Removable]) -> Action[E]:
        """REMOVE the attribute, nested field or list element (later elements move up)."""
        if not issubclass(self._mode, Removable):
            self._settable("remove")
            raise ValidationError(
                f"{self.path!r}: remove() refused: it is required, and an item without it could "
                "not be read back (set it instead)"
            )
        return Remove(self.path)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"


class OrderedAttr(Attr[E, T, M]):
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


class NumberAttr(OrderedAttr[E, T, M]):
    """A number (int, float, decimal), at the top level or nested: it can also be incremented
    atomically, `EntryAttrs.info.rating.increment(1)`."""

    __slots__ = ()

    def increment(self: NumberAttr[E, T, Settable], amount: T) -> Action[E]:
        """SET it to its stored value (0 when missing) plus `amount`, in one atomic update."""
        self._settable("increment")
        return Increment(self.path, self._wire(amount))


class SizeRef(OrderedAttr[E, int, Fixed]):
    """`size(path)`: compared with ints (a size is never set)."""

    __slots__ = ()

    def __init__(self, path: Path) -> None:
        super().__init__(path, _int_wire, Fixed)

    def _operand(self) -> Operand:
        return SizeOperand(self.path)


def _int_wire(value: int) -> AttributeValue:
    return {"N": str(int(value))}


class StringAttr(OrderedAttr[E, T, M]):
    """A string-stored attribute (str, and types stored as S): begins_with, contains, size."""

    __slots__ = ()

    def begins_with(self, prefix: T) -> Condition[E]:
        return Function("begins_with", self.path, self._value(prefix))

    def contains(self, part: T) -> Condition[E]:
        return Function("contains", self.path, self._value(part))

    def size(self) -> SizeRef[E]:
        return SizeRef(self.path)


class BytesAttr(StringAttr[E, bytes, M]):
    """A binary attribute: compared, prefixed, searched and sized byte by byte, as StringAttr
    does text."""

    __slots__ = ()


class CollectionAttr(Attr[E, T, M], Generic[E, T, V, M]):
    """A set or list attribute: contains(element) and size()."""

    __slots__ = ("_encode_element",)

    def __init__(
        self,
        path: Path | str,
        encode: Callable[[T], AttributeValue],
        encode_element: Callable[[V], AttributeValue],
        mode: type[M],
    ) -> None:
        super().__init__(path, encode, mode)
        self._encode_element = encode_element

    def contains(self, element: V) -> Condition[E]:
        return Function("contains", self.path, ValueOperand(self._encode_element(element)))

    def size(self) -> SizeRef[E]:
        return SizeRef(self.path)


class MapAttr(Attr[E, T, M]):
    """A map or record attribute: size()."""

    __slots__ = ()

    def size(self) -> SizeRef[E]:
        return SizeRef(self.path)


class ListAttr(CollectionAttr[E, list[V], V, M], Generic[E, V, R, M]):
    """A list attribute: `[i]` gives the element's own typed reference; append and prepend."""

    __slots__ = ("_element_ref",)

    def __init__(
        self,
        path: Path | str,
        encode: Callable[[list[V]], AttributeValue],
        encode_element: Callable[[V], AttributeValue],
        element_ref: Callable[[Path], R],
        mode: type[M],
    ) -> None:
        super().__init__(path, encode, encode_element, mode)
        self._element_ref = element_ref

    def __getitem__(self, index: int) -> R:
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise ValidationError(f"list index must be a non-negative int, got {index!r}")
        return self._element_ref(self.path.child(index))

    def append(self: ListAttr[E, V, R, Settable], values: list[V]) -> Action[E]:
        """SET list = list_append(list, values) (a missing list counts as empty)."""
        self._settable("append")
        return Append(self.path, self._wire(values))

    def prepend(self: ListAttr[E, V, R, Settable], values: list[V]) -> Action[E]:
        self._settable("prepend")
        return Prepend(self.path, self._wire(values))


class MapOfAttr(MapAttr[E, dict[str, V], M], Generic[E, V, R, M]):
    """A `map<T>` attribute: `["key"]` gives the value's typed reference."""

    __slots__ = ("_value_ref",)

    def __init__(
        self,
        path: Path | str,
        encode: Callable[[dict[str, V]], AttributeValue],
        value_ref: Callable[[Path], R],
        mode: type[M],
    ) -> None:
        super().__init__(path, encode, mode)
        self._value_ref = value_ref

    def __getitem__(self, key: str) -> R:
        if not isinstance(key, str) or not key:
            raise ValidationError(f"map key must be a non-empty str, got {key!r}")
        return self._value_ref(self.path.child(key))
