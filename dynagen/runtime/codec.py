"""Values on the wire: the conversions and checks generated marshal/unmarshal code calls.

Generated code checks the common case inline (`type(v) is str and v.isascii()`, `len(t := str(v))
< 39`) and calls a function here only when that quick test fails: the function either accepts the
value after the full check (a non-ASCII string, an int for a decimal, a `str` subclass) and returns
its wire form, or raises `ValidationError` naming the attribute. Every function takes the
attribute's dotted name, so its error says which attribute is wrong.

Reading works the same way: generated code reads DynamoDB's own forms inline and calls `wrong()`
(or a `read_*` function raises) on anything else; `dynagen.runtime.shapes` then decodes the item
again, slowly and precisely, and names the attribute at fault.

Older names with a looser contract (`parse_datetime`, `parse_ttl`, `number_decimal`,
`decode_failure`) are kept unchanged for modules generated before these checks.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import math
import re
import sys
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Mapping, NoReturn, Sequence, TypeVar

from dynagen.limits import (
    MAX_NESTED_CONTAINERS,
    MAX_NUMBER_DIGITS,
    MAX_NUMBER_EXPONENT,
    MIN_NUMBER_EXPONENT,
)
from dynagen.runtime.errors import ItemDecodeError, ValidationError
from dynagen.runtime.types import AttributeValue

T = TypeVar("T")
_Key = TypeVar("_Key", str, bytes)
_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
UTC, EPOCH, SECOND = _UTC, _EPOCH, datetime.timedelta(seconds=1)  # what the inline tests use

# Exceptions that mean "the stored value is not what the spec says" (RecursionError: a value
# nested far deeper than DynamoDB allows, from a source that is not DynamoDB).
DECODE_ERRORS = (
    KeyError,
    TypeError,
    ValueError,
    ArithmeticError,
    AttributeError,
    IndexError,
    RecursionError,
)
# Exceptions a generated marshal turns into a precise ValidationError (dynagen.runtime.shapes).
ENCODE_ERRORS = (
    ValueError,
    TypeError,
    AttributeError,
    LookupError,
    ArithmeticError,
    RecursionError,
)

SET_TYPES = (set, frozenset)
"""The Python types a `set<...>` attribute takes (generated code cannot say `set`: update's
parameter of that name hides the builtin there)."""

# DynamoDB's N text: an optional minus, ASCII digits with an optional point, an optional exponent.
# DynamoDB itself returns `-`, digits and one `.`; the other forms come from other writers.
NUMBER_TEXT_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NUMBER_CHARS = "0123456789.-"
"""What DynamoDB's own N text is made of (generated decoders test `not t.strip(NUMBER_CHARS)`)."""
_STORED_DATETIME_FORM = "YYYY-MM-DDTHH:MM:SS.ffffffZ"
_MAX_READ_EXPONENT = 4000  # Python refuses int() of longer digit strings (its DoS guard)


def _refuse(name: str, message: str) -> NoReturn:
    raise ValidationError(f"{name}: {message}")


def _got(value: object) -> str:
    return type(value).__name__


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------- strings and binaries


def _utf8(value: str, name: str) -> str:
    """A string DynamoDB can store: encodable as UTF-8 (a lone surrogate, e.g. '\\ud800', is not)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        _refuse(
            name,
            f"{value[error.start:error.end]!r} at position {error.start} is a lone surrogate, "
            "not text: it cannot be encoded as UTF-8",
        )
    return value


def text(value: str, name: str) -> str:
    """A string value (S), when the inline test (an exact, ASCII `str`) did not pass."""
    if type(value) is not str:
        if not isinstance(value, str):
            _refuse(name, f"expected str, got {_got(value)}")
        value = str.__str__(value)  # a str subclass (an enum member, say): its text, exactly
    return _utf8(value, name)


def key_str(value: str, name: str) -> str:
    """A string key value: DynamoDB refuses empty ones, so do we, before the request."""
    return _non_empty_key(text(value, name), name, "an empty string")


def map_key(key: str, name: str) -> str:
    """A key of a map value: a non-empty string (DynamoDB refuses empty attribute names)."""
    if type(key) is not str and not isinstance(key, str):
        _refuse(name, f"map keys must be str, got {_got(key)} {_short(key)}")
    key = text(key, name)
    if not key:
        _refuse(name, "map keys cannot be empty (DynamoDB refuses empty attribute names)")
    return key


def binary(value: bytes, name: str) -> bytes:
    """A binary value (B): bytes, or a bytearray / memoryview taken as its bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    _refuse(name, f"expected bytes, got {_got(value)}")


def key_bytes(value: bytes, name: str) -> bytes:
    """A binary key value: empty is refused before the request."""
    return _non_empty_key(binary(value, name), name, "empty bytes")


def _non_empty_key(value: _Key, name: str, empty: str) -> _Key:
    """DynamoDB refuses empty string and binary keys; so do we, before the request."""
    if not value:
        _refuse(name, f"a key attribute cannot be {empty}")
    return value


def boolean(value: bool, name: str) -> bool:
    """A BOOL value: exactly True or False (1, 0, "false" and None are not)."""
    if type(value) is bool:
        return value
    _refuse(name, f"expected bool, got {_got(value)} {_short(value)}")


def uuid_text(value: uuid.UUID, name: str) -> str:
    """A uuid.UUID in its canonical text (a string, even a well-formed one, is refused)."""
    if isinstance(value, uuid.UUID):
        return uuid.UUID.__str__(value)
    _refuse(name, f"expected uuid.UUID, got {_got(value)} {_short(value)}")


def enum_value(value: Any, cls: type[Any], name: str) -> str:
    """A member of exactly the attribute's enum class: its value (strings and other enums refused)."""
    if type(value) is cls:
        return str(value.value)
    _refuse(name, f"expected a member of {cls.__name__}, got {_got(value)} {_short(value)}")


# ---------------------------------------------------------------- collections


def a_list(value: list[T], name: str) -> list[T]:
    """A list attribute's value must be a list (a string would be stored as its letters)."""
    if isinstance(value, list):
        return value
    _refuse(name, f"expected list, got {_got(value)} {_short(value)}")


def a_dict(value: dict[str, T], name: str) -> dict[str, T]:
    """A map attribute's value must be a dict."""
    if isinstance(value, dict):
        return value
    _refuse(name, f"expected dict, got {_got(value)} {_short(value)}")


def a_set(value: Any, name: str) -> Any:
    """A set attribute's value must be a set or frozenset (a string would be stored as its letters)."""
    if isinstance(value, SET_TYPES):
        return value
    _refuse(name, f"expected set, got {_got(value)} {_short(value)}")


def empty_set(value: object, name: str, optional: bool) -> None:
    """A set attribute that is falsy: an empty set (not stored), None when optional, nothing else."""
    if isinstance(value, SET_TYPES) or (value is None and optional):
        return
    expected = "set or None" if optional else "set"
    _refuse(name, f"expected {expected}, got {_got(value)} {_short(value)}")


def check_record(value: object, cls: type[Any], level: int, limit: int, name: str) -> None:
    """A record value: an instance of its dataclass, not nested deeper than DynamoDB allows."""
    if not isinstance(value, cls):
        _refuse(name, f"expected {cls.__name__}, got {_got(value)} {_short(value)}")
    if level > limit:
        too_deep(name)


def too_deep(name: str) -> NoReturn:
    _refuse(
        name,
        f"nested deeper than DynamoDB allows (lists and maps at most {MAX_NESTED_CONTAINERS} "
        "levels deep, the 32nd level holding plain values)",
    )


# ---------------------------------------------------------------- numbers


def _check_number_text(text: str, name: str) -> str:
    """Refuse what DynamoDB's N type cannot hold: >38 significant digits or out-of-range exponents."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        _refuse(name, f"{text!r} is not a number")
    if not number.is_finite():
        _refuse(name, f"{text} cannot be stored: DynamoDB numbers must be finite")
    if number == 0:
        return text
    sign, digits, exponent = number.as_tuple()
    significant = len("".join(map(str, digits)).strip("0"))
    if significant > MAX_NUMBER_DIGITS:
        _refuse(
            name,
            f"{text} has {significant} significant digits; DynamoDB keeps at most {MAX_NUMBER_DIGITS}",
        )
    adjusted = number.adjusted()
    if adjusted > MAX_NUMBER_EXPONENT or adjusted < MIN_NUMBER_EXPONENT:
        _refuse(name, f"{text} is out of DynamoDB's number range (1E-130 to below 1E+126)")
    return text


def number_int(value: int, name: str) -> str:
    """An int as N text (bool and everything else refused); only long ones need the digit check."""
    if type(value) is not int:
        if isinstance(value, bool) or not isinstance(value, int):
            _refuse(name, f"expected int, got {_got(value)}")
        text = int.__repr__(value)  # an int subclass: its digits, whatever its __str__ says
    else:
        text = str(value)
    if len(text) > MAX_NUMBER_DIGITS:
        return _check_number_text(text, name)
    return text


def number_float(value: float, name: str) -> str:
    """A float as N text; NaN, infinities and out-of-range values are refused.

    An int (not a bool) is taken too, as its exact digits (DynamoDB keeps the number; it reads
    back as the float nearest to it).
    """
    if type(value) is not float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _refuse(name, f"expected float, got {_got(value)}")
        if isinstance(value, int):
            return number_int(value, name)
        value = float(value)  # a float subclass (numpy.float64): its value
    if not math.isfinite(value):
        _refuse(name, f"{value} cannot be stored: DynamoDB numbers must be finite")
    text = repr(value)
    if "e" in text:
        return _check_number_text(text, name)
    return text


def number_decimal(value: Decimal, name: str) -> str:
    """A Decimal as N text; more than 38 significant digits is refused, never rounded."""
    if not isinstance(value, Decimal):
        _refuse(name, f"expected Decimal, got {_got(value)}")
    text = str(value)
    if len(text) > MAX_NUMBER_DIGITS or "E" in text or not value.is_finite():
        return _check_number_text(text, name)
    return text


def decimal_text(value: Decimal, name: str) -> str:
    """A decimal attribute's N text: a Decimal, or an int (not a bool) taken exactly.

    Never rounded: more than 38 significant digits, or a magnitude outside DynamoDB's range, is
    refused. A float is refused (its binary value is not the decimal it looks like).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return number_int(value, name)
    if not isinstance(value, Decimal):
        _refuse(name, f"expected Decimal (or int), got {_got(value)}")
    return number_decimal(value, name)


# ---------------------------------------------------------------- dates and times


def _utc_offset(value: datetime.datetime, name: str) -> datetime.timedelta:
    """The offset of an aware datetime; anything else (a naive one, not a datetime) is refused."""
    if not isinstance(value, datetime.datetime):
        _refuse(name, f"expected datetime, got {_got(value)}")
    try:
        offset = value.utcoffset()
    except (ValueError, TypeError) as error:  # a tzinfo that misbehaves
        _refuse(name, f"its timezone gives no offset: {error}")
    if offset is None:
        _refuse(name, "naive datetime refused: give it a timezone (e.g. datetime.timezone.utc)")
    return offset


def datetime_text(value: datetime.datetime, name: str) -> str:
    """UTC, fixed width `YYYY-MM-DDTHH:MM:SS.ffffffZ`, so string order is time order."""
    if type(value) is datetime.datetime and value.tzinfo is _UTC:
        return value.isoformat(timespec="microseconds")[:-6] + "Z"  # drops "+00:00"
    offset = _utc_offset(value, name)
    # A plain naive copy: a datetime subclass's own methods play no part in the stored text.
    plain = datetime.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )
    try:
        plain -= offset
    except OverflowError:
        _refuse(name, f"{plain.isoformat()} with offset {offset} is out of range once in UTC")
    return plain.isoformat(timespec="microseconds") + "Z"


def ttl_seconds(value: datetime.datetime, name: str) -> str:
    """A TTL datetime as epoch seconds (sub-second precision is dropped, as DynamoDB's TTL has none)."""
    _utc_offset(value, name)
    return str((value - _EPOCH) // datetime.timedelta(seconds=1))  # exact, no float rounding


def date_text(value: datetime.date, name: str) -> str:
    """A date as `YYYY-MM-DD`; a datetime (a date subclass) is refused, it would lose its time."""
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        _refuse(name, f"expected date, got {_got(value)}")
    return datetime.date.isoformat(value)


def parse_datetime(text: str) -> datetime.datetime:
    """Read a datetime, also in other tools' ISO forms with an offset (modules generated before
    the strict reads call this; they call `read_datetime`)."""
    if text.endswith("Z"):
        return datetime.datetime.fromisoformat(text[:-1]).replace(tzinfo=_UTC)
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"datetime {text!r} has no timezone")
    return parsed.astimezone(_UTC)


def parse_ttl(text: str) -> datetime.datetime:
    """Read epoch seconds, a fraction dropped (kept for modules generated before `read_ttl`)."""
    try:
        seconds = int(text)
    except ValueError:
        seconds = int(Decimal(text))
    return _EPOCH + datetime.timedelta(seconds=seconds)


def utc_now() -> datetime.datetime:
    """Now, as an aware UTC datetime (the stored form keeps its microseconds)."""
    return datetime.datetime.now(_UTC)


# ---------------------------------------------------------------- json


def json_value(value: Any, name: str, level: int = 1) -> AttributeValue:
    """A JSON-like value in DynamoDB's native types: dict M, list L, str S, number N, bool, None
    NULL, and what other tools keep inside such maps: bytes B, and sets SS / NS / BS.

    Taken: dict (str keys), list, tuple, str, int, float (finite), Decimal, bool, None, bytes, and
    a non-empty set of str, of numbers (int, Decimal) or of bytes, as boto3's TypeSerializer
    takes them. `level` is how deep the value sits (1: a top-level attribute); lists and maps
    deeper than DynamoDB's limit are refused, so recursion stays bounded.
    """
    if value is None:
        return {"NULL": True}
    kind = type(value)
    if kind is str:
        return {"S": value if value.isascii() else _utf8(value, name)}
    if kind is bool:
        return {"BOOL": value}
    if kind is int:
        return {"N": number_int(value, name)}
    if kind is float:
        if value.is_integer() and abs(value) < 1e38:
            return {"N": str(int(value))}  # DynamoDB would store it so; read back it is equal
        return {"N": number_float(value, name)}
    if kind is dict or kind is list or kind is tuple or isinstance(value, (dict, list, tuple)):
        if level > MAX_NESTED_CONTAINERS:
            too_deep(name)
        if isinstance(value, dict):
            out: dict[str, AttributeValue] = {}
            for key, item in value.items():
                key = map_key(key, name)
                out[key] = json_value(item, f"{name}.{key}", level + 1)
            return {"M": out}
        return {
            "L": [
                json_value(item, f"{name}[{index}]", level + 1) for index, item in enumerate(value)
            ]
        }
    if isinstance(value, str):
        return {"S": text(value, name)}
    if isinstance(value, int):
        return {"N": number_int(value, name)}
    if isinstance(value, float):
        return json_value(float(value), name, level)
    if isinstance(value, Decimal):
        return {"N": number_decimal(value, name)}
    if isinstance(value, bytes):
        return {"B": binary(value, name)}
    if isinstance(value, (set, frozenset)):
        return _json_set(value, name)
    _refuse(name, f"{_got(value)} is not a JSON value")


def _json_set(value: set[Any] | frozenset[Any], name: str) -> AttributeValue:
    """A set inside a JSON value: SS, NS or BS by its members, which must be of one of those kinds."""
    if not value:
        _refuse(name, "an empty set cannot be stored (DynamoDB never stores one)")
    if all(type(member) is str for member in value):
        return {"SS": [text(member, name) for member in value]}
    if all(type(member) in (int, Decimal) for member in value):
        return {"NS": [number_decimal(Decimal(member), name) for member in value]}
    if all(type(member) is bytes for member in value):
        return {"BS": [binary(member, name) for member in value]}
    kinds = ", ".join(sorted({type(member).__name__ for member in value}))
    _refuse(
        name, f"a set must hold only str, only numbers (int, Decimal) or only bytes, not {kinds}"
    )


def _json_scalar(value: object, kind: type, tag: str, what: str) -> Any:
    """An S, BOOL or B value inside json: exactly of its Python type, or ValueError saying so."""
    if type(value) is kind:
        return value
    raise ValueError(f"{tag} holds {_got(value)} {_short(value)}, not {what}")


def parse_json(raw: Mapping[str, Any], level: int = 1) -> Any:
    """The inverse of json_value: exactly one of DynamoDB's JSON-like forms, checked.

    Numbers are read exactly, never through float: without a fraction or exponent as int, the
    others as Decimal (`1.5E+30`, 38 digits). B reads as bytes; SS, NS and BS as sets (NS of int
    and Decimal, as N). NULL must be true, BOOL a bool, S a str. Anything else ({"S": 5}, "NaN",
    an empty or duplicated set) raises ValueError.
    """
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise ValueError(f"expected an AttributeValue, got {_got(raw)}")
    if "S" in raw:
        return _json_scalar(raw["S"], str, "S", "a string")
    if "N" in raw:
        text = raw["N"]
        if type(text) is not str or not NUMBER_TEXT_RE.fullmatch(text):
            raise ValueError(f"{_short(text)} is not a number in DynamoDB's form")
        return _json_number(text)
    if "BOOL" in raw:
        return _json_scalar(raw["BOOL"], bool, "BOOL", "true or false")
    if "NULL" in raw:
        if raw["NULL"] is True:
            return None
        raise ValueError(f"NULL holds {_short(raw['NULL'])}; DynamoDB writes NULL as true")
    if "M" in raw or "L" in raw:
        if level > MAX_NESTED_CONTAINERS:
            raise ValueError("nested deeper than DynamoDB allows")
        if "M" in raw:
            members = raw["M"]
            if not isinstance(members, Mapping):
                raise ValueError(f"M holds {_got(members)}, not a map")
            return {key: parse_json(item, level + 1) for key, item in members.items()}
        elements = raw["L"]
        if not isinstance(elements, list):
            raise ValueError(f"L holds {_got(elements)}, not a list")
        return [parse_json(item, level + 1) for item in elements]
    if "B" in raw:
        return read_bytes(raw["B"])
    if "SS" in raw:
        return read_text_set(raw["SS"])
    if "NS" in raw:
        numbers = _members(raw["NS"])
        for number in numbers:
            if type(number) is not str or not NUMBER_TEXT_RE.fullmatch(number):
                raise ValueError(f"{_short(number)} is not a number in DynamoDB's form")
        return _distinct({_json_number(number) for number in numbers}, numbers)
    if "BS" in raw:
        return read_bytes_set(raw["BS"])
    raise ValueError(f"{next(iter(raw), 'nothing')} is not a JSON value")


def _json_number(text: str) -> int | Decimal:
    """N text (already matched as a number) read exactly: an int when written whole, else Decimal."""
    if "." in text or "e" in text or "E" in text:
        return read_number(text)  # bounded: far out of range is refused
    if len(text) > _MAX_READ_EXPONENT:
        raise ValueError(f"{_short(text)} is far out of DynamoDB's number range")
    return int(text)


# ---------------------------------------------------------------- strict reads


def wrong(*_: object) -> NoReturn:
    """Called by generated decoders on anything but DynamoDB's own form: the precise (slow)
    decode then says what is wrong, or reads it if it is one of the forms it also takes."""
    raise ValueError("not DynamoDB's form of this value")


def read_number(text: object) -> Decimal:
    """N text in DynamoDB's form, as a Decimal (the slow path of every number read)."""
    if type(text) is not str:
        raise ValueError(f"expected the number as text, found {_got(text)}")
    if not NUMBER_TEXT_RE.fullmatch(text):
        raise ValueError("not a number in DynamoDB's form (-, digits, a fraction, an exponent)")
    number = Decimal(text)
    if number and abs(number.adjusted()) > _MAX_READ_EXPONENT:  # bounds the work of int()
        raise ValueError("far out of DynamoDB's number range")
    return number


def read_int(text: object) -> int:
    """An int from N text; a fraction or exponent only when the number is whole."""
    number = read_number(text)
    if number != number.to_integral_value():
        raise ValueError("not a whole number")
    return int(number)


def read_float(text: object) -> float:
    """A float from N text in DynamoDB's form (its digits, `-` and `.` take the quick way)."""
    if type(text) is str and len(text) < 330 and not text.strip(NUMBER_CHARS):
        try:
            return float(text)
        except ValueError:
            pass  # "-", "1-2": read_number says why
    value = float(read_number(text))
    if not math.isfinite(value):
        raise ValueError("out of a float's range")
    return value


def read_decimal(text: object) -> Decimal:
    return read_number(text)


def read_datetime(text: str) -> datetime.datetime:
    """A datetime in exactly its stored form `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC)."""
    if type(text) is str and len(text) == 27 and text[4:20:3] == "--T::." and text[26] == "Z":
        return datetime.datetime.fromisoformat(text)  # digits only: its parser is ASCII-strict
    _bad_datetime(text)


def _bad_datetime(text: object) -> NoReturn:
    if type(text) is not str:
        raise ValueError(f"expected text, found {_got(text)}")
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.tzinfo is None:
        raise ValueError(f"a datetime without a timezone; stored form: {_STORED_DATETIME_FORM}")
    raise ValueError(f"not in the stored form {_STORED_DATETIME_FORM} (UTC)")


def read_date(text: str) -> datetime.date:
    """A date in exactly its stored form `YYYY-MM-DD`."""
    day = datetime.date.fromisoformat(text)
    if day.isoformat() != text:
        raise ValueError("not in the stored form YYYY-MM-DD")
    return day


def read_uuid(text: str) -> uuid.UUID:
    """A uuid in exactly its stored (canonical, lower-case) form."""
    if type(text) is not str:
        raise ValueError(f"expected text, found {_got(text)}")
    value = uuid.UUID(text)
    if str(value) != text:
        raise ValueError("not in the stored form of a UUID (lower-case hex, with hyphens)")
    return value


def read_ttl(text: str) -> datetime.datetime:
    """A TTL: whole epoch seconds, as an aware UTC datetime."""
    try:
        seconds = int(text)
    except (ValueError, TypeError):
        seconds = read_int(text)
    else:
        if str(seconds) != text:
            seconds = read_int(text)
    return _EPOCH + datetime.timedelta(0, seconds)


def _members(values: object) -> Sequence[Any]:
    if type(values) is not list:
        raise ValueError(f"expected a list of members, found {_got(values)}")
    if not values:
        raise ValueError("an empty set: DynamoDB never stores one")
    return values


def _distinct(read: set[T], values: Sequence[object]) -> set[T]:
    if len(read) != len(values):
        raise ValueError("the same member twice")
    return read


def read_text_set(values: Sequence[str]) -> set[str]:
    """SS: a non-empty list of distinct strings."""
    if type(values) is list and values:
        try:
            "".join(values)  # refuses anything but strings, at C speed
        except TypeError:
            pass
        else:
            read = set(values)
            if len(read) == len(values):
                return read
    members = _members(values)
    for member in members:
        if type(member) is not str:
            raise ValueError(f"a member is {_got(member)} {_short(member)}, not text")
    return _distinct(set(members), members)


def read_int_set(values: Sequence[str]) -> set[int]:
    """NS of whole numbers (as digits, the way DynamoDB writes them, or in any N form)."""
    if type(values) is list and values:
        try:
            if not "".join(values).strip("0123456789-"):  # digits and signs only, as text
                read = set(map(int, values))
                if len(read) == len(values):
                    return read
        except (TypeError, ValueError):
            pass
    members = _members(values)
    return _distinct({read_int(member) for member in members}, members)


def read_decimal_set(values: Sequence[str]) -> set[Decimal]:
    """NS of numbers."""
    members = _members(values)
    return _distinct({read_number(member) for member in members}, members)


def _b64decode_strict(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


if sys.version_info >= (3, 11):  # the C decoder's own strict mode: no regular expression per call
    _strict_base64: Callable[[str], bytes] = functools.partial(
        binascii.a2b_base64, strict_mode=True
    )
else:  # pragma: no cover - Python 3.10
    _strict_base64 = _b64decode_strict


def read_bytes(value: object) -> bytes:
    """A B value: bytes (botocore decoded it), or its base64 text as the direct transport leaves
    it (fastparse.load_items: the generated decoder, knowing the attribute is binary, decodes it).

    The text must be canonical base64, as the fast parser checks it (ValueError otherwise)."""
    if type(value) is bytes:
        return value
    if type(value) is str:
        try:
            return _strict_base64(value)
        except (binascii.Error, ValueError) as error:
            raise ValueError(
                f"expected bytes (or their base64 text): {_short(value)} is not bytes and not "
                f"base64 ({error})"
            ) from None
    raise ValueError(f"expected bytes (or their base64 text), found {_got(value)}")


def read_bytes_set(values: Sequence[bytes]) -> set[bytes]:
    """BS: a non-empty list of distinct bytes (or of their base64 texts, see `read_bytes`)."""
    members = _members(values)
    return _distinct({read_bytes(member) for member in members}, members)


def binary_decoded(wire: Any, level: int = 0) -> Any:
    """A wire value with every B and BS in it as bytes, however deep (a copy where anything
    changes): for the attributes no generated decoder reads (unknown ones, undecodable items)."""
    if type(wire) is not dict or len(wire) != 1 or level > MAX_NESTED_CONTAINERS:
        return wire
    ((wire_type, value),) = wire.items()
    if wire_type == "B" and type(value) is str:
        return {"B": read_bytes(value)}
    if wire_type == "BS" and type(value) is list and any(type(v) is str for v in value):
        return {"BS": [read_bytes(v) for v in value]}
    if wire_type == "M" and type(value) is dict:
        return {"M": {k: binary_decoded(v, level + 1) for k, v in value.items()}}
    if wire_type == "L" and type(value) is list:
        return {"L": [binary_decoded(v, level + 1) for v in value]}
    return wire


def item_binary_decoded(raw: Mapping[str, Any]) -> Any:
    """A raw item with every binary value in it as bytes (see `binary_decoded`)."""
    if not isinstance(raw, Mapping):
        return raw
    return {name: binary_decoded(value) for name, value in raw.items()}


# ---------------------------------------------------------------- whole calls


def check_keys(values: object, known: Any, what: str) -> None:
    """`update(set=...)` and friends: a mapping whose keys its TypedDict knows, else refused
    before any request (a misspelt key would otherwise only bump the version)."""
    if values is None:
        return
    if not isinstance(values, Mapping):
        raise ValidationError(f"{what}: expected a dict of attribute values, got {_got(values)}")
    names = known.__required_keys__ | known.__optional_keys__
    unknown = [key for key in values if key not in names]
    if unknown:
        listed = ", ".join(repr(key) for key in unknown)
        raise ValidationError(
            f"{what}: unknown attribute{'s' if len(unknown) > 1 else ''} {listed}; "
            f"{what}= takes {', '.join(sorted(names)) or 'nothing'}"
        )


def stored_name(name: str, names: Mapping[str, str], what: str) -> str:
    """The stored name of an attribute named in `remove=`, or ValidationError."""
    if type(name) is str and name in names:
        return names[name]
    raise ValidationError(
        f"{what}: {_short(name)} is not an attribute {what}= takes ({', '.join(names) or 'none'})"
    )


def marshal_each(
    values: Iterable[T], marshal: Callable[[T], dict[str, AttributeValue]], what: str
) -> list[dict[str, AttributeValue]]:
    """Every item marshalled before any is sent; a bad one is named by its position."""
    out = []
    for index, value in enumerate(values):
        try:
            out.append(marshal(value))
        except ValidationError as error:
            raise ValidationError(f"{what}[{index}]: {error}") from None
    return out


def keys_each(
    keys: Iterable[Any], key: Callable[..., dict[str, AttributeValue]], parts: int, what: str
) -> list[dict[str, AttributeValue]]:
    """Every key of a batch in wire form before any is sent: tuples of `parts` values when the
    table has a sort key (a string would be split into letters), else the values themselves."""
    out = []
    for index, value in enumerate(keys):
        try:
            if parts == 1:
                out.append(key(value))
            elif type(value) is tuple and len(value) == parts:
                out.append(key(*value))
            else:
                raise ValidationError(
                    f"expected a tuple of {parts} key values, got {_got(value)} {_short(value)}"
                )
        except ValidationError as error:
            raise ValidationError(f"{what}[{index}]: {error}") from None
    return out


# ---------------------------------------------------------------- legacy decode explanation


def decode_failure(
    entity: str,
    raw: Mapping[str, Any],
    fields: Sequence[tuple[str, str, Callable[[Mapping[str, Any]], object]]],
    key_names: Sequence[str],
    error: BaseException,
) -> ItemDecodeError:
    """Find which attribute made a fast decode fail, by decoding them one at a time.

    Modules generated before `dynagen.runtime.shapes` call this; newer ones decode slowly there.
    """
    key = {name: raw[name] for name in key_names if isinstance(raw, Mapping) and name in raw}
    if not isinstance(raw, Mapping):
        return ItemDecodeError(
            entity, None, f"expected a mapping of attributes, got {type(raw).__name__}"
        )
    for name, stored, decode in fields:
        label = name if name == stored else f"{name} (stored as {stored!r})"
        try:
            decode(raw)
        except ItemDecodeError as inner:
            path = f"{label}.{inner.attribute}" if inner.attribute else label
            return ItemDecodeError(entity, path, inner.detail, key or None)
        except DECODE_ERRORS as exc:
            return ItemDecodeError(entity, label, _describe(raw, stored, exc, decode), key or None)
    return ItemDecodeError(entity, None, f"{type(error).__name__}: {error}", key or None)


def _describe(
    raw: Mapping[str, Any],
    name: str,
    exc: BaseException,
    decode: Callable[[Mapping[str, Any]], object],
) -> str:
    if name not in raw:
        return "required attribute is missing"
    value = raw[name]
    expected = _expected_wire_type(decode, name)
    if isinstance(exc, KeyError) and isinstance(value, Mapping) and expected not in value:
        found = ", ".join(sorted(value)) or "nothing"
        return f"wrong wire type: expected {expected or exc.args[0]}, found {found}"
    return f"bad value {_short(value)}: {type(exc).__name__}: {exc}"


def _expected_wire_type(decode: Callable[[Mapping[str, Any]], object], name: str) -> str | None:
    """The wire type a decoder reads first: give it an empty value and see which one it asks for."""
    try:
        decode({name: {}})
    except KeyError as probe:
        return str(probe.args[0]) if probe.args else None
    except Exception:
        return None
    return None
