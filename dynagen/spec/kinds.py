"""One record per spec type: what it may be, how DynamoDB keys it, and which defaults it takes.

A spec type's whole story sits in two places: its facts here, and its code generation in
`dynagen/codegen/kinds.py` (one class per kind, registered under the same name). Adding a type
touches those two modules and one test, `tests/codegen/test_kinds.py`: it fails until both
registries name the new kind and its annotation and round-trip cases are there. Everything else
(the spec check, the model, the view) asks a `Kind` for its facts; no other module of dynagen
compares a kind with a string.
"""

from __future__ import annotations

import datetime
import decimal
import math
import uuid
from dataclasses import dataclass
from typing import Callable, Literal

from dynagen.limits import (
    MAX_NESTED_CONTAINERS,
    MAX_NUMBER_DIGITS,
    MAX_NUMBER_EXPONENT,
    MIN_NUMBER_EXPONENT,
)


class DefaultError(ValueError):
    """A default value that does not fit its kind; the message says why, for the spec error."""


@dataclass(frozen=True)
class DefaultSource:
    """What a default check reads: the value as YAML gave it, and its source text if a scalar."""

    value: object  # str, int, float, bool, None, date...; lists and mappings as list and dict
    text: str | None  # the scalar as written (YAML reads `1.10` as a float); None otherwise
    choices: tuple[str, ...] = ()  # an enum's values, the only defaults it takes


DefaultCheck = Callable[[DefaultSource], object]


@dataclass(frozen=True, eq=False)
class Kind:
    """The facts about one spec type that the spec check, the model and the generator share.

    There is one instance per spec type, the constants below, so `kind is SET` is the identity
    test (eq=False: a kind equals only itself, never its spelling). Code asks a kind for its
    facts or compares it with a constant, never with a string.
    """

    name: str  # the spelling in a spec: `string`, `list`, `created_at`
    key: bool = False  # may be a table or index key attribute
    set_element: bool = False  # may be the element of `set<...>`
    ordered: bool = False  # its values have an order that `<` and `between` compare
    template_part: bool = False  # a key template may hold it: its text sorts as its value does
    number: bool = False  # a plain number: stored as N, and `update(add=...)` applies to it
    automatic: bool = False  # written by the runtime, never by the caller: version, timestamps
    top_level_only: bool = False  # an entity attribute only: no record field, no element
    container: bool = False  # `list<T>`, `map<T>`, `set<T>`: holds elements of one type
    named: bool = False  # a type from `types:` (record or enum), referred to by its name
    wire_key_type: Literal["S", "N", "B"] | None = None  # its AttributeType as a key
    set_wire_type: Literal["SS", "NS", "BS"] | None = None  # a set of it on the wire
    check_default: DefaultCheck | None = None  # None: this kind cannot have a default

    @property
    def standalone(self) -> bool:
        """Written by its own name (`int`, `ttl`): not as `list<...>`, not a type of `types:`."""
        return not (self.container or self.named)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    def __reduce__(self) -> tuple[Callable[[str], Kind], tuple[str]]:
        """Pickled as its name, so a model sent to a worker process still has the one instance."""
        return _named, (self.name,)


def _named(name: str) -> Kind:
    return KINDS[name]


# ---------------------------------------------------------------- default checks


def _storable(text: str) -> str:
    """Text DynamoDB can store: no lone surrogate (half a UTF-16 pair is not a character)."""
    if any("\ud800" <= char <= "\udfff" for char in text):
        raise DefaultError("holds a lone surrogate, which DynamoDB cannot store (UTF-8 text only)")
    return text


def _string(source: DefaultSource) -> str:
    if isinstance(source.value, str):
        return _storable(source.value)
    raise DefaultError("expected a string")


def _int(source: DefaultSource) -> int:
    if type(source.value) is int:
        return source.value
    raise DefaultError("expected a whole number")


def _float(source: DefaultSource) -> float:
    value = source.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int beyond 1.8e308
            raise DefaultError("expected a finite number") from None
        if math.isfinite(number):
            return number
    raise DefaultError("expected a finite number")


# DynamoDB numbers: up to 38 significant digits, magnitude from 1E-130 to below 1E+126.
_SMALLEST = decimal.Decimal(1).scaleb(MIN_NUMBER_EXPONENT)
_TOO_LARGE = decimal.Decimal(1).scaleb(MAX_NUMBER_EXPONENT + 1)


def _decimal(source: DefaultSource) -> decimal.Decimal:
    value = source.value
    if type(value) in (int, float) and source.text is not None:
        try:  # YAML read 1.10 as a float: keep the digits as written
            value = str(decimal.Decimal(source.text))
        except decimal.InvalidOperation:
            pass  # .nan, .inf, 0x1F: checked as the value YAML gave
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DefaultError("expected a number")
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        raise DefaultError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise DefaultError("expected a finite number")
    if len(number.as_tuple().digits) > MAX_NUMBER_DIGITS:
        raise DefaultError(f"more than {MAX_NUMBER_DIGITS} significant digits")
    if number and not _SMALLEST <= abs(number) < _TOO_LARGE:
        raise DefaultError("outside DynamoDB's number range (1E-130 to 9.99...E+125)")
    return number


def _bool(source: DefaultSource) -> bool:
    if isinstance(source.value, bool):
        return source.value
    raise DefaultError("expected true or false")


def _date(source: DefaultSource) -> datetime.date:
    value = source.value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise DefaultError("expected a date like 2024-01-31")


def _uuid(source: DefaultSource) -> uuid.UUID:
    try:
        return uuid.UUID(str(source.value))
    except ValueError:
        raise DefaultError("expected a UUID") from None


def _is_json(value: object, level: int = 1) -> bool:
    """A JSON value the runtime stores as it is (dynagen.runtime.codec.json_value takes it)."""
    if value is None or isinstance(value, (bool, int)):
        return True
    if isinstance(value, str):
        _storable(value)
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (list, dict)) and level > MAX_NESTED_CONTAINERS:
        raise DefaultError("nested deeper than DynamoDB allows")
    if isinstance(value, list):
        return all(_is_json(item, level + 1) for item in value)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str) or not key:
                raise DefaultError("JSON object keys must be non-empty strings")
            _storable(key)
        return all(_is_json(item, level + 1) for item in value.values())
    return False


def _json(source: DefaultSource) -> object:
    if _is_json(source.value):
        return source.value
    raise DefaultError("not a JSON value")


def _enum(source: DefaultSource) -> str:
    """The value as written: `yes` names the value "yes", though YAML reads it as true."""
    if source.text is not None and source.text in source.choices:
        return source.text
    raise DefaultError(f"expected one of {', '.join(source.choices)}")


def _empty_list(source: DefaultSource) -> list[object]:
    if source.value == [] and type(source.value) is list:
        return []
    raise DefaultError("a list default can only be empty ([])")


def _empty_dict(source: DefaultSource) -> dict[str, object]:
    if source.value == {} and type(source.value) is dict:
        return {}
    raise DefaultError("a map default can only be empty ({})")


def _empty_set(source: DefaultSource) -> set[object]:
    """Written `[]` (YAML has no set literal); the typed value is an empty set."""
    if source.value == [] and type(source.value) is list:
        return set()
    raise DefaultError("a set default can only be empty ([])")


# ---------------------------------------------------------------- the kinds


_SET_WIRE: dict[str, Literal["SS", "NS", "BS"]] = {"S": "SS", "N": "NS", "B": "BS"}


def _set_element(
    name: str,
    wire: Literal["S", "N", "B"],
    check_default: DefaultCheck | None,
    number: bool = False,
    template_part: bool = True,
) -> Kind:
    """A key type that a set can also hold (SS, NS, BS: its key wire type, as a set)."""
    return Kind(
        name,
        key=True,
        set_element=True,
        ordered=True,
        number=number,
        wire_key_type=wire,
        set_wire_type=_SET_WIRE[wire],
        template_part=template_part,
        check_default=check_default,
    )


STRING = _set_element("string", "S", _string)
INT = _set_element("int", "N", _int, number=True)
FLOAT = Kind("float", ordered=True, number=True, check_default=_float)
# A decimal's text does not sort as its value (10 < 9), nor does a byte string's base64.
DECIMAL = _set_element("decimal", "N", _decimal, number=True, template_part=False)
BOOL = Kind("bool", check_default=_bool)
BYTES = _set_element("bytes", "B", None, template_part=False)
_TEXT: Literal["S"] = "S"  # datetime, date, uuid and enum keys are stored as their text
DATETIME = Kind("datetime", key=True, ordered=True, template_part=True, wire_key_type=_TEXT)
DATE = Kind(
    "date", key=True, ordered=True, template_part=True, wire_key_type=_TEXT, check_default=_date
)
UUID = Kind("uuid", key=True, template_part=True, wire_key_type=_TEXT, check_default=_uuid)
JSON = Kind("json", check_default=_json)
LIST = Kind("list", container=True, check_default=_empty_list)
MAP = Kind("map", container=True, check_default=_empty_dict)
# DynamoDB never stores an empty set: the generator leaves an empty set out of the item and
# reads a missing one back as empty, and a set cannot sit inside a list or map (see check.types).
SET = Kind("set", container=True, check_default=_empty_set)
RECORD = Kind("record", named=True)
ENUM = Kind(
    "enum", key=True, named=True, template_part=True, wire_key_type=_TEXT, check_default=_enum
)
TTL = Kind("ttl", ordered=True, top_level_only=True)
VERSION = Kind("version", ordered=True, automatic=True, top_level_only=True)
CREATED_AT = Kind("created_at", ordered=True, automatic=True, top_level_only=True)
UPDATED_AT = Kind("updated_at", ordered=True, automatic=True, top_level_only=True)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        STRING,
        INT,
        FLOAT,
        DECIMAL,
        BOOL,
        BYTES,
        DATETIME,
        DATE,
        UUID,
        JSON,
        LIST,
        MAP,
        SET,
        RECORD,
        ENUM,
        TTL,
        VERSION,
        CREATED_AT,
        UPDATED_AT,
    )
}

# Views of the registry by fact. They are sets: where order shows (in messages), read KINDS.
KEY_KINDS = frozenset(kind for kind in KINDS.values() if kind.key)
SET_ELEMENT_KINDS = frozenset(kind for kind in KINDS.values() if kind.set_element)
TOP_LEVEL_ONLY_KINDS = frozenset(kind for kind in KINDS.values() if kind.top_level_only)
# One plain value, usable anywhere: neither a container, a named type, nor entity-only.
SCALAR_KINDS = frozenset(
    kind for kind in KINDS.values() if kind.standalone and not kind.top_level_only
)


# ---------------------------------------------------------------- datetime formats


@dataclass(frozen=True, eq=False)
class DatetimeFormat:
    """How a `datetime` attribute is stored, chosen per attribute (`format:`) for tables other
    tools wrote; never guessed on read. Its encoding and decoding live in
    `dynagen.runtime.datetimes` (one class per format, the same names: `tests/spec/test_kinds.py`
    holds that both registries agree); the generator names the runtime's instance `constant`."""

    name: str  # the spelling in a spec: `iso_millis`
    wire: Literal["S", "N"]  # its wire type, and its AttributeType as a key
    example: str  # 2015-09-15T19:58:22.947Z, for docs and messages
    precision: str  # what it keeps: microseconds, milliseconds, seconds

    @property
    def constant(self) -> str:
        """The runtime's instance, as generated code names it: `_rt.ISO_MILLIS`."""
        return self.name.upper()


DYNAGEN_FORMAT = DatetimeFormat("dynagen", "S", "2015-09-15T19:58:22.947000Z", "microseconds")
DATETIME_FORMATS: dict[str, DatetimeFormat] = {
    f.name: f
    for f in (
        DYNAGEN_FORMAT,  # the default: UTC, fixed width, so text order is time order
        DatetimeFormat("iso_millis", "S", "2015-09-15T19:58:22.947Z", "milliseconds"),
        DatetimeFormat("pynamodb", "S", "2015-09-15T19:58:22.947000+0000", "microseconds"),
        DatetimeFormat("epoch_seconds", "N", "1442347102", "seconds"),
        DatetimeFormat("epoch_millis", "N", "1442347102947", "milliseconds"),
    )
}
