"""What each generated type holds, attribute by attribute: the precise (slow) encode and decode.

Generated marshal and unmarshal functions are the fast path: straight-line code that takes the
common case and checks it inline. When anything there fails, they hand the whole value to its
`Shape` here, which goes through it again attribute by attribute, with every rule, and either
returns the result (a form the fast path does not take, such as a number written `1E+2`) or
raises the error naming the attribute's path: `lines[2].qty`, `shipping.city`, `tags['k']`.
So the fast path stays cheap, and the explanation costs only when something is wrong.

Each spec type has one `ValueType` here, made by its codegen class in
`dynagen/codegen/kinds.py` (`value_type()`), next to the inline code it stands behind.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Iterable, Literal, Mapping, NoReturn, TypeVar

from dynagen.limits import MAX_NESTED_CONTAINERS
from dynagen.runtime import codec
from dynagen.runtime.datetimes import DatetimeFormat
from dynagen.runtime.errors import ItemDecodeError, ValidationError
from dynagen.runtime.types import AttributeValue
from dynagen.runtime.unknown import UNKNOWN_FIELD, add_unknown, unknown

T = TypeVar("T")
Presence = Literal["required", "optional", "set", "optional set"]


class Unreadable(Exception):
    """A stored value that does not decode: where (its path) and why."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(path, detail)
        self.path = path
        self.detail = detail


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _payload(wire: object, path: str, expected: str) -> Any:
    """The value under the one wire type expected, or Unreadable saying what is there instead."""
    if not isinstance(wire, Mapping):
        raise Unreadable(
            path, f"expected an AttributeValue ({{{expected!r}: ...}}), found {_short(wire)}"
        )
    found = ", ".join(sorted(map(str, wire))) or "nothing"
    if expected in wire and len(wire) == 1:
        return wire[expected]
    if expected in wire:  # DynamoDB never writes a value under two wire types
        raise Unreadable(
            path, f"an AttributeValue holds one wire type: expected {expected}, found {found}"
        )
    raise Unreadable(path, f"wrong wire type: expected {expected}, found {found}")


def _bad(path: str, wire: str, value: object, error: BaseException | str) -> NoReturn:
    reason = error if isinstance(error, str) else str(error) or type(error).__name__
    raise Unreadable(path, f"bad {wire} value {_short(value)}: {reason}")


def _read_payload(wire: object, path: str, expected: str, read: Callable[[Any], Any]) -> Any:
    """The payload under `expected` as `read` takes it; what it refuses is Unreadable."""
    value = _payload(wire, path, expected)
    try:
        return read(value)
    except codec.DECODE_ERRORS as error:
        _bad(path, expected, value, error)


def _too_deep(path: str) -> NoReturn:
    raise Unreadable(path, "nested deeper than DynamoDB allows")


def _container(wire: object, path: str, expected: str, level: int) -> Any:
    """The payload of a list ("L") or map ("M") value, of that shape and not nested too deep."""
    members = _payload(wire, path, expected)
    if expected == "L" and type(members) is not list:
        _bad(path, "L", members, "not a list")
    if expected == "M" and not isinstance(members, Mapping):
        _bad(path, "M", members, "not a map")
    if level > MAX_NESTED_CONTAINERS:
        _too_deep(path)
    return members


class ValueType:
    """One spec type's rules: `encode` a Python value, `decode` a wire value, both at `path`,
    `level` deep (a top-level attribute is level 1; lists and maps may sit at most at level 31)."""

    wire = ""

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        raise NotImplementedError

    def decode(self, wire: object, path: str, level: int) -> Any:
        raise NotImplementedError


class _Scalar(ValueType):
    """A value stored under one wire type, encoded by a codec function, decoded by a reader."""

    def __init__(
        self,
        wire: str,
        encode: Callable[[Any, str], Any],
        read: Callable[[Any], Any],
        describe: str,
    ) -> None:
        self.wire = wire
        self._encode = encode
        self._read = read
        self.describe = describe

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        return {self.wire: self._encode(value, path)}  # type: ignore[misc]

    def decode(self, wire: object, path: str, level: int) -> Any:
        return _read_payload(wire, path, self.wire, self._read)

    def __repr__(self) -> str:
        return self.describe


def _exact(kind: type[Any], what: str) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if type(value) is kind:
            return value
        raise ValueError(f"expected {what}, found {type(value).__name__}")

    return read


def _date_text(value: Any, name: str) -> str:
    return codec.date_text(value, name)


TEXT = _Scalar("S", codec.text, _exact(str, "a string"), "TEXT")
KEY_TEXT = _Scalar("S", codec.key_str, _exact(str, "a string"), "KEY_TEXT")
INT = _Scalar("N", codec.number_int, codec.read_int, "INT")
FLOAT = _Scalar("N", codec.number_float, codec.read_float, "FLOAT")
DECIMAL = _Scalar("N", codec.decimal_text, codec.read_decimal, "DECIMAL")
BOOL = _Scalar("BOOL", codec.boolean, _exact(bool, "true or false"), "BOOL")
BYTES = _Scalar("B", codec.binary, codec.read_bytes, "BYTES")  # bytes, or base64 text
KEY_BYTES = _Scalar("B", codec.key_bytes, codec.read_bytes, "KEY_BYTES")
DATETIME = _Scalar("S", codec.datetime_text, codec.read_datetime, "DATETIME")
DATE = _Scalar("S", _date_text, codec.read_date, "DATE")
UUID = _Scalar("S", codec.uuid_text, codec.read_uuid, "UUID")
TTL = _Scalar("N", codec.ttl_seconds, codec.read_ttl, "TTL")


def Formatted(form: DatetimeFormat) -> ValueType:  # noqa: N802 - reads as the value type it is
    """A datetime in another tool's stored form (`format:`), read and written by that form only."""
    return _Scalar(form.wire, form.encode, form.decode, f"Formatted({form!r})")


class _Json(ValueType):
    wire = "a JSON value"

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        return codec.json_value(value, path, level)

    def decode(self, wire: object, path: str, level: int) -> Any:
        try:
            return codec.parse_json(wire, level)  # type: ignore[arg-type]
        except codec.DECODE_ERRORS as error:
            raise Unreadable(path, f"bad JSON value {_short(wire)}: {error}") from None

    def __repr__(self) -> str:
        return "JSON"


JSON = _Json()


class Choice(ValueType):
    """An enum: stored as its value's text; exactly a member of its class."""

    wire = "S"

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        return {"S": codec.enum_value(value, self.cls, path)}

    def decode(self, wire: object, path: str, level: int) -> Any:
        value = _payload(wire, path, "S")
        try:
            return self.cls(value)
        except (ValueError, TypeError):
            values = ", ".join(str(member.value) for member in self.cls)
            _bad(path, "S", value, f"not one of {self.cls.__name__}'s values ({values})")


class _Container(ValueType):
    """A list or map of one element type, nested at most MAX_NESTED_CONTAINERS deep."""

    def __init__(self, element: ValueType) -> None:
        self.element = element

    @staticmethod
    def _within_depth(path: str, level: int) -> None:
        if level > MAX_NESTED_CONTAINERS:
            codec.too_deep(path)


class ListOf(_Container):
    wire = "L"

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        codec.a_list(value, path)
        self._within_depth(path, level)
        element = self.element
        return {"L": [element.encode(x, f"{path}[{i}]", level + 1) for i, x in enumerate(value)]}

    def decode(self, wire: object, path: str, level: int) -> Any:
        elements = _container(wire, path, "L", level)
        element = self.element
        return [element.decode(x, f"{path}[{i}]", level + 1) for i, x in enumerate(elements)]


class MapOf(_Container):
    wire = "M"

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        codec.a_dict(value, path)
        self._within_depth(path, level)
        out: dict[str, AttributeValue] = {}
        for key, item in value.items():
            key = codec.map_key(key, path)
            out[key] = self.element.encode(item, f"{path}[{key!r}]", level + 1)
        return {"M": out}

    def decode(self, wire: object, path: str, level: int) -> Any:
        members = _container(wire, path, "M", level)
        element = self.element
        return {k: element.decode(x, f"{path}[{k!r}]", level + 1) for k, x in members.items()}


_SET_READERS: dict[ValueType, Callable[[Any], set[Any]]] = {
    TEXT: codec.read_text_set,
    INT: codec.read_int_set,
    DECIMAL: codec.read_decimal_set,
    BYTES: codec.read_bytes_set,
}


class SetOf(ValueType):
    """SS, NS or BS: a non-empty set (an empty one is never stored, see `Field`)."""

    def __init__(self, element: _Scalar) -> None:
        self.element = element
        self.wire = element.wire + "S"
        self._read = _SET_READERS[element]

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        codec.a_set(value, path)
        if not value:
            raise ValidationError(
                f"{path}: an empty set cannot be sent (DynamoDB never stores one)"
            )
        element = self.element
        return {self.wire: [element.encode(x, path, level)[element.wire] for x in value]}  # type: ignore[misc]

    def decode(self, wire: object, path: str, level: int) -> Any:
        return _read_payload(wire, path, self.wire, self._read)


class Struct(ValueType):
    """A record: its dataclass, stored as a map, by its own Shape (given lazily: records may
    refer to records defined later in the module, or to themselves)."""

    wire = "M"

    def __init__(self, shape: Callable[[], Shape[Any]]) -> None:
        self._shape = shape

    @property
    def shape(self) -> Shape[Any]:
        return self._shape()

    def encode(self, value: Any, path: str, level: int) -> AttributeValue:
        shape = self.shape
        codec.check_record(value, shape.cls, level, MAX_NESTED_CONTAINERS, path)
        return {"M": shape.encode_fields(value, path, level)}

    def decode(self, wire: object, path: str, level: int) -> Any:
        return self.shape.decode_fields(_container(wire, path, "M", level), path, level)


class Field:
    """One attribute of a Shape: its Python name, stored name, type, and presence on the wire:
    "required" (always written, must be stored), "optional" (None is not written, missing reads
    None), "set" (an empty set is not written, missing reads as an empty set), "optional set".
    `default` makes a fresh spec default for a required attribute an item was stored without
    (written before the spec gave the attribute): it reads as that default instead of an error."""

    __slots__ = ("name", "stored", "type", "presence", "label", "default")

    def __init__(
        self,
        name: str,
        stored: str,
        type: ValueType,
        presence: Presence,
        default: Callable[[], Any] | None = None,
    ) -> None:
        self.name = name
        self.stored = stored
        self.type = type
        self.presence = presence
        self.default = default
        self.label = name if name == stored else f"{name} (stored as {stored!r})"

    def encode(self, value: object, path: str, level: int) -> AttributeValue | None:
        """The wire value, or None when it is not written (None optional, empty set)."""
        if self.presence != "required":
            optional = self.presence != "set"
            if value is None and optional:
                return None
            if self.presence != "optional" and not value:
                codec.empty_set(value, path, optional)
                return None
        return self.type.encode(value, path, level)

    def missing(self, path: str) -> Any:
        if self.presence == "required":
            if self.default is not None:
                return self.default()
            raise Unreadable(path, "required attribute is missing")
        return set() if self.presence == "set" else None


def _is_null(wire: object) -> bool:
    """`{"NULL": true}`: other tools store it for "no value"; an optional attribute reads it as None."""
    return isinstance(wire, Mapping) and len(wire) == 1 and wire.get("NULL") is True


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class Shape(Generic[T]):
    """A generated dataclass and its attributes: the slow, precise codec behind the fast one."""

    def __init__(
        self, cls: type[T], fields: Iterable[Field], key_names: tuple[str, ...] = ()
    ) -> None:
        self.cls = cls
        self.name = cls.__name__
        self.fields = tuple(fields)
        self.by_name = {field.name: field for field in self.fields}
        self.by_stored = {field.stored: field for field in self.fields}
        self.key_names = key_names
        self.known = frozenset(self.by_stored)
        # entities and records keep what the spec does not name; read-only results do not
        self.keeps_unknown = UNKNOWN_FIELD in getattr(cls, "__dataclass_fields__", {})

    # -------------------------------------------------------------- removals

    def check_removal(self, elements: tuple[str | int, ...]) -> None:
        """Refuse REMOVE of a required attribute or a required field of a record at any depth
        (the item could never be read again), with ValidationError naming its path; elements of
        lists and maps, and optional attributes and fields, may go."""
        shape: Shape[Any] | None = self
        value: ValueType | None = None
        path = ""
        for position, element in enumerate(elements):
            last = position == len(elements) - 1
            if shape is not None and isinstance(element, str) and element in shape.by_stored:
                field = shape.by_stored[element]
                path = _join(path, field.name)
                if last and field.presence == "required":
                    raise ValidationError(
                        f"{path}: a required attribute cannot be removed (the item could not "
                        "be read back); set a new value instead"
                    )
                value = field.type
            elif isinstance(value, ListOf) and isinstance(element, int):
                path, value = f"{path}[{element}]", value.element
            elif isinstance(value, MapOf) and isinstance(element, str):
                path, value = f"{path}[{element!r}]", value.element
            else:
                return  # not a typed path (a JSON value's inside): the spec says nothing
            shape = value.shape if isinstance(value, Struct) else None

    # -------------------------------------------------------------- decode

    def decode_fields(
        self, raw: Mapping[str, Any], path: str, level: int, given: Mapping[str, Any] = {}
    ) -> T:
        values: dict[str, Any] = dict(given)  # values decoded elsewhere (parsed from keys)
        for field in self.fields:
            where = _join(path, field.label)
            wire = raw[field.stored] if field.stored in raw else None
            if wire is None or (field.presence != "required" and _is_null(wire)):
                values[field.name] = field.missing(where)  # a NULL another tool wrote: None
            else:
                values[field.name] = field.type.decode(wire, where, level + 1)
        if self.keeps_unknown:
            values[UNKNOWN_FIELD] = unknown(raw, self.known)
        return self.cls(**values)

    def read(self, raw: Mapping[str, Any], given: Mapping[str, Any] = {}) -> T:
        """Decode `raw` with every rule: the object, or ItemDecodeError naming the attribute;
        `given` holds fields this shape does not decode (a projection's key template values)."""
        if not isinstance(raw, Mapping):
            raise ItemDecodeError(
                self.name, None, f"expected a mapping of attributes, got {type(raw).__name__}"
            ) from None
        try:
            return self.decode_fields(raw, "", 0, given)
        except Unreadable as error:
            key = {name: raw[name] for name in self.key_names if name in raw}
            raise ItemDecodeError(self.name, error.path, error.detail, key or None) from None
        except RecursionError:
            raise ItemDecodeError(self.name, None, "nested deeper than DynamoDB allows") from None

    # -------------------------------------------------------------- encode

    def encode_fields(self, item: Any, path: str, level: int) -> dict[str, AttributeValue]:
        out: dict[str, AttributeValue] = {}
        for field in self.fields:
            wire = field.encode(getattr(item, field.name), _join(path, field.name), level + 1)
            if wire is not None:
                out[field.stored] = wire
        if self.keeps_unknown and getattr(item, UNKNOWN_FIELD):
            add_unknown(out, getattr(item, UNKNOWN_FIELD), self.known)
        return out

    def write(self, item: object, error: BaseException) -> dict[str, AttributeValue]:
        """After the fast marshal failed on `item`: its wire form with every rule, or the
        ValidationError naming the attribute at fault."""
        if not isinstance(item, self.cls):
            raise ValidationError(
                f"expected {self.name}, got {type(item).__name__} {_short(item)}"
            ) from None
        try:
            return self.encode_fields(item, "", 0)
        except ValidationError as precise:
            raise precise from None
        except RecursionError:
            raise ValidationError(f"{self.name}: nested deeper than DynamoDB allows") from None
        except Exception:
            raise error  # the fast path's own error: no attribute here fails on its own

    def check_changes(
        self,
        error: BaseException,
        set: Mapping[str, Any] | None = None,
        add: Mapping[str, Any] | None = None,
        delete: Mapping[str, Any] | None = None,
    ) -> NoReturn:
        """After update's fast path failed: the ValidationError naming the value at fault."""
        try:
            for name, value in (set or {}).items():
                field = self.by_name[name]
                if value is None and field.presence != "required":
                    continue
                field.encode(value, name, 1)
            for group in (add, delete):
                for name, value in (group or {}).items():
                    field = self.by_name[name]
                    if isinstance(field.type, SetOf):
                        if value:
                            field.type.encode(value, name, 1)
                        else:
                            codec.empty_set(value, name, False)
                    else:
                        field.type.encode(value, name, 1)
        except ValidationError as precise:
            raise precise from None
        except RecursionError:
            raise ValidationError("a value is nested deeper than DynamoDB allows") from None
        except Exception:
            pass
        raise error
