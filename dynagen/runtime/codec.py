"""Values on the wire: the conversions generated marshal/unmarshal code calls for types that need checks.

Simple types (str, bool, bytes, int keys) are inlined by the generator; what is here either
validates (NaN, 38 digits, naive datetimes, empty keys) or formats (datetimes, TTL, JSON).
Every function takes the attribute's dotted name so its error says which attribute is wrong.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping, NoReturn, Sequence

from dynagen.limits import MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT, MIN_NUMBER_EXPONENT
from dynagen.runtime.errors import ItemDecodeError, ValidationError
from dynagen.runtime.types import AttributeValue

_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)

# Exceptions that mean "the stored value is not what the spec says".
DECODE_ERRORS = (KeyError, TypeError, ValueError, ArithmeticError, AttributeError, IndexError)


def _refuse(name: str, message: str) -> NoReturn:
    raise ValidationError(f"{name}: {message}")


def key_str(value: str, name: str) -> str:
    """A string key value: DynamoDB refuses empty ones, so do we, before the request."""
    if not value:
        _refuse(name, "a key attribute cannot be an empty string")
    if not isinstance(value, str):
        _refuse(name, f"expected str, got {type(value).__name__}")
    return value


def key_bytes(value: bytes, name: str) -> bytes:
    """A binary key value: empty is refused before the request."""
    if not value:
        _refuse(name, "a key attribute cannot be empty bytes")
    if not isinstance(value, (bytes, bytearray)):
        _refuse(name, f"expected bytes, got {type(value).__name__}")
    return bytes(value)


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
    significant = len("".join(map(str, digits)).rstrip("0"))
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
    """An int as N text; only very long ones need the digit check."""
    text = str(value)
    if len(text) > MAX_NUMBER_DIGITS:
        if isinstance(value, bool) or not isinstance(value, int):
            _refuse(name, f"expected int, got {type(value).__name__}")
        return _check_number_text(text, name)
    if value.__class__ is not int and (isinstance(value, bool) or not isinstance(value, int)):
        _refuse(name, f"expected int, got {type(value).__name__}")
    return text


def number_float(value: float, name: str) -> str:
    """A float as N text; NaN and infinities are refused."""
    if not math.isfinite(value):
        _refuse(name, f"{value} cannot be stored: DynamoDB numbers must be finite")
    text = repr(float(value))
    if "e" in text:
        return _check_number_text(text, name)
    return text


def number_decimal(value: Decimal, name: str) -> str:
    """A Decimal as N text; more than 38 significant digits is refused, never rounded."""
    if not isinstance(value, Decimal):
        _refuse(name, f"expected Decimal, got {type(value).__name__}")
    text = str(value)
    if len(text) > MAX_NUMBER_DIGITS or "E" in text or not value.is_finite():
        return _check_number_text(text, name)
    return text


def _utc_offset(value: datetime.datetime, name: str) -> datetime.timedelta:
    """The offset of an aware datetime; anything else (a naive one, not a datetime) is refused."""
    try:
        offset = value.utcoffset()
    except (AttributeError, TypeError):
        _refuse(name, f"expected datetime, got {type(value).__name__}")
    if offset is None:
        _refuse(name, "naive datetime refused: give it a timezone (e.g. datetime.timezone.utc)")
    return offset


def datetime_text(value: datetime.datetime, name: str) -> str:
    """UTC, fixed width `YYYY-MM-DDTHH:MM:SS.ffffffZ`, so string order is time order."""
    if _utc_offset(value, name):
        try:
            value = value.astimezone(_UTC)
        except OverflowError:
            _refuse(name, f"{value.isoformat()} is out of range once converted to UTC")
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_datetime(text: str) -> datetime.datetime:
    """Read a stored datetime; other tools' ISO forms with an offset are accepted too."""
    if text.endswith("Z"):
        return datetime.datetime.fromisoformat(text[:-1]).replace(tzinfo=_UTC)
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"datetime {text!r} has no timezone")
    return parsed.astimezone(_UTC)


def ttl_seconds(value: datetime.datetime, name: str) -> str:
    """A TTL datetime as epoch seconds (sub-second precision is dropped, as DynamoDB's TTL has none)."""
    _utc_offset(value, name)
    return str((value - _EPOCH) // datetime.timedelta(seconds=1))  # exact, no float rounding


def parse_ttl(text: str) -> datetime.datetime:
    """Read epoch seconds back as an aware UTC datetime."""
    try:
        seconds = int(text)
    except ValueError:
        seconds = int(Decimal(text))
    return _EPOCH + datetime.timedelta(seconds=seconds)


def date_text(value: datetime.date, name: str) -> str:
    """A date as `YYYY-MM-DD`; a datetime (a date subclass) is refused, it would lose its time."""
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        _refuse(name, f"expected date, got {type(value).__name__}")
    return value.isoformat()


def json_value(value: Any, name: str) -> AttributeValue:
    """A JSON-like value in DynamoDB's native types: dict M, list L, str S, number N, bool, None NULL."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int):
        return {"N": number_int(value, name)}
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e38:
            return {"N": str(int(value))}  # DynamoDB would store it so; read back it is equal
        return {"N": number_float(value, name)}
    if isinstance(value, Decimal):
        return {"N": number_decimal(value, name)}
    if isinstance(value, dict):
        out: dict[str, AttributeValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                _refuse(name, f"JSON object keys must be str, got {type(key).__name__}")
            map_key(key, name)
            out[key] = json_value(item, f"{name}.{key}")
        return {"M": out}
    if isinstance(value, (list, tuple)):
        return {"L": [json_value(item, f"{name}[{index}]") for index, item in enumerate(value)]}
    _refuse(name, f"{type(value).__name__} is not a JSON value")


def map_key(key: str, name: str) -> str:
    """A key of a map value: DynamoDB refuses empty attribute names, so do we, before the request."""
    if not key:
        _refuse(name, "map keys cannot be empty (DynamoDB refuses empty attribute names)")
    return key


def parse_json(raw: Mapping[str, Any]) -> Any:
    """The inverse of json_value; numbers without a fraction or exponent come back as int."""
    if "S" in raw:
        return raw["S"]
    if "N" in raw:
        text = raw["N"]
        if "." in text or "e" in text or "E" in text:
            return float(text)
        return int(text)
    if "BOOL" in raw:
        return bool(raw["BOOL"])
    if "NULL" in raw:
        return None
    if "M" in raw:
        return {key: parse_json(item) for key, item in raw["M"].items()}
    if "L" in raw:
        return [parse_json(item) for item in raw["L"]]
    raise ValueError(f"{next(iter(raw), 'nothing')} is not a JSON value")


def utc_now() -> datetime.datetime:
    """Now, as an aware UTC datetime (the stored form keeps its microseconds)."""
    return datetime.datetime.now(_UTC)


def decode_failure(
    entity: str,
    raw: Mapping[str, Any],
    fields: Sequence[tuple[str, str, Callable[[Mapping[str, Any]], object]]],
    key_names: Sequence[str],
    error: BaseException,
) -> ItemDecodeError:
    """Find which attribute made a fast decode fail, by decoding them one at a time.

    Only runs once a decode has already failed, so the fast path stays straight-line.
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


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
