"""Pages and cursors: opaque, URL-safe, bound to the one read they page through, refused if altered.

A cursor is `base64url(json) "." base64url(hmac)`. The JSON holds the last evaluated key and
the scope of the read it belongs to; the HMAC-SHA256 tag detects any change. The key for the
tag is `DYNAGEN_CURSOR_SECRET` when set (set it in production so cursors cannot be forged),
else a fixed key that still catches corruption and casual edits.

The scope (`read_scope`) is a digest of the whole built Query or Scan except its paging
fields: table, index, key condition, filter, their names and values, order, projection, Select,
segment. A cursor resumes exactly the read that made it; handed to any other read (reversed,
another sort condition, filter or projection, another index or segment) it raises
`InvalidCursor` before any request. ConsistentRead is left out on purpose: it changes neither
which items a read holds nor their order, so a page may be read either way.

Whatever the tag, a decoded key is checked against the read's key attributes, and every key
DynamoDB can return fits: `MAX_CURSOR_CHARS` is the length of the cursor of the largest legal
key (see `_LARGEST_BODY`), and anything longer is refused before it is decoded.

A cursor is a `Cursor`, a `str`: each generated page method hands back and takes a subclass of
its own (`OrdersQueryCursor`), so mypy refuses a cursor of another read, while it still
serialises as the opaque string it is. The scope check above holds whatever a cursor's class.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Iterator, Mapping, Sequence
from typing import TypeVar as _TypeVar

from dynagen.limits import (
    MAX_KEY_NAME_BYTES,
    MAX_NUMBER_DIGITS,
    MAX_PARTITION_KEY_BYTES,
    MAX_SORT_KEY_BYTES,
    MIN_NUMBER_EXPONENT,
)
from dynagen.runtime.errors import InvalidCursor
from dynagen.runtime.types import AttributeValue

if TYPE_CHECKING:
    from typing_extensions import TypeVar  # a TypeVar default (PEP 696) for type checkers
else:

    def TypeVar(name: str, *constraints: Any, default: Any = None, **options: Any) -> Any:
        """A plain TypeVar at run time: only type checkers read the default (Python 3.10)."""
        return _TypeVar(name, *constraints, **options)


T = _TypeVar("T")
CURSOR_VERSION = 1
_DEFAULT_SECRET = b"dynagen-cursor-v1"
_TAG_BYTES = 16  # of the HMAC-SHA256
_SCOPE_BYTES = 16  # of the SHA-256 of the read

# Request fields that change neither which items a read returns nor their order: the paging
# fields, and ConsistentRead (a read resumed the other way holds the same items in the same
# order). Every other field of the request is part of the scope, whatever it is.
PAGING_FIELDS = frozenset(
    {"ExclusiveStartKey", "Limit", "ConsistentRead", "ReturnConsumedCapacity"}
)
_SET_TYPES = frozenset({"SS", "NS", "BS"})

# The longest number DynamoDB writes in a key: plain notation, 38 digits at the smallest
# exponent, "-0." then 129 zeros then the digits.
MAX_NUMBER_CHARS = len("-0.") + (-MIN_NUMBER_EXPONENT - 1) + MAX_NUMBER_DIGITS


def _b64_chars(size: int) -> int:
    """The length of `size` bytes in unpadded base64."""
    return (4 * size + 2) // 3


def _largest_value(limit: int) -> int:
    """The most a key value of at most `limit` bytes takes in the body, as `["T","..."]`.

    A string is written as it is, or as base64 of its UTF-8 when JSON would escape it to more
    (control characters become `\\u00XX`), so it never takes more than a binary value's base64.
    """
    text = len('["S64",""]') + _b64_chars(limit)
    binary = len('["B",""]') + _b64_chars(limit)
    number = len('["N",""]') + MAX_NUMBER_CHARS
    return max(text, binary, number)


# The largest body: a key of four attributes (an index's key and the table's, none shared), two
# partition keys and two sort keys of the largest values, under names of 255 bytes that JSON
# escapes to six characters a byte (control characters), quoted.
_LARGEST_NAME = len('"":') + 6 * MAX_KEY_NAME_BYTES
_LARGEST_BODY = (
    len('{"k":{},"s":"","v":1}')
    + _b64_chars(_SCOPE_BYTES)
    + 4 * _LARGEST_NAME
    + len(",,,")
    + 2 * _largest_value(MAX_PARTITION_KEY_BYTES)
    + 2 * _largest_value(MAX_SORT_KEY_BYTES)
)
MAX_CURSOR_CHARS = _b64_chars(_LARGEST_BODY) + len(".") + _b64_chars(_TAG_BYTES)  # 19,239


_Self = _TypeVar("_Self", bound="Cursor")


class Cursor(str):
    """An opaque page cursor. A `str`, so it goes into JSON and URLs as it is; generated modules
    subclass it once per paged read (`OrdersQueryCursor`), so that mypy refuses a cursor of
    another read, and `OrdersQueryCursor(text)` types a string that came back from a client.
    Whatever its class, a cursor is checked against the read it is handed to at use."""

    __slots__ = ()

    def __new__(cls: type[_Self], text: str) -> _Self:
        if not isinstance(text, str):  # str() would turn None or a number into a cursor
            raise InvalidCursor(
                f"{cls.__name__} is made from the str of a previous page's cursor, "
                f"got {type(text).__name__}"
            )
        return str.__new__(cls, text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str.__repr__(self)})"


C = TypeVar("C", bound=Cursor, covariant=True, default=Cursor)


@dataclass(frozen=True, slots=True)
class Page(Generic[T, C]):
    """One page of results; `cursor` resumes after its last item, None on the last page.

    `Page[Order, OrdersQueryCursor]`: generic in the item and in the cursor class of the read;
    `Page[Order]` is a page of any read of Orders.
    """

    items: list[T]
    cursor: C | None

    def __class_getitem__(cls, params: Any) -> Any:
        """`Page[Order]` is `Page[Order, Cursor]` at run time too, for code that evaluates
        annotations (a TypeVar default is only the type checker's before Python 3.13)."""
        full = params if isinstance(params, tuple) else (params, Cursor)
        return super(Page, cls).__class_getitem__(full)  # type: ignore[misc]  # Generic's

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _secret() -> bytes:
    value = os.environ.get("DYNAGEN_CURSOR_SECRET")
    return value.encode("utf-8") if value else _DEFAULT_SECRET


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    """Strict: only the canonical unpadded URL-safe spelling `_b64` makes is accepted (the
    lenient decoder drops stray characters, which would turn `###` into an empty key)."""
    data = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    if _b64(data) != text:
        raise ValueError("not canonical base64")
    return data


# ---------------------------------------------------------------- the scope of a read


def read_scope(operation: str, request: Mapping[str, Any]) -> str:
    """What the cursors of one read are bound to: a digest of everything that shapes its items.

    That is the whole request but `PAGING_FIELDS`, table name and index name included. Set
    values (SS, NS, BS) count as sets: their order, which a Python set does not keep from one
    process to the next, does not change the scope.
    """
    shaping = {name: value for name, value in request.items() if name not in PAGING_FIELDS}
    text = json.dumps([operation, _canonical(shaping)], sort_keys=True, separators=(",", ":"))
    return _b64(hashlib.sha256(text.encode("ascii")).digest()[:_SCOPE_BYTES])


def _canonical(value: object) -> object:
    """The request as JSON can write it, the same for the same read: bytes as {"$bytes": b64}
    (no wire value is a map whose member is a bare string), set members in order."""
    if isinstance(value, Mapping):
        return {
            name: (
                sorted(map(_member, member))
                if name in _SET_TYPES and isinstance(member, (list, tuple))
                else _canonical(member)
            )
            for name, member in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_canonical(member) for member in value]
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": _b64(bytes(value))}
    if value is None or isinstance(value, (str, int)):
        return value
    raise TypeError(f"a read request holds a {type(value).__name__}: {value!r}")


def _member(value: object) -> str:
    """A set member, as a string that sorts the same in every process."""
    return json.dumps(_canonical(value))


# ---------------------------------------------------------------- the last evaluated key


def _wire_to_json(key: Mapping[str, AttributeValue]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in key.items():
        if "S" in value:
            out[name] = _text(value["S"])
        elif "N" in value:
            out[name] = ["N", value["N"]]
        elif "B" in value:
            out[name] = ["B", _b64(bytes(value["B"]))]
        else:
            raise InvalidCursor(f"key attribute {name!r} has a type keys cannot have")
    return out


def _text(text: str) -> list[str]:
    """A string key as it is, or as base64 of its UTF-8 when that is shorter in the body."""
    plain = ["S", text]
    packed = ["S64", _b64(text.encode("utf-8"))]
    return plain if _body_bytes(plain) <= _body_bytes(packed) else packed


def _body_bytes(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def _json_to_wire(data: object, expected: Sequence[str]) -> dict[str, AttributeValue]:
    if not isinstance(data, dict) or sorted(data) != sorted(expected):
        raise InvalidCursor("cursor does not hold this table's key")
    out: dict[str, AttributeValue] = {}
    for name, pair in data.items():
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise InvalidCursor("cursor key is malformed")
        wire_type, text = pair
        try:
            if wire_type == "S":
                out[name] = {"S": text}
            elif wire_type == "S64":
                out[name] = {"S": _unb64(text).decode("utf-8")}
            elif wire_type == "N":
                out[name] = {"N": text}
            elif wire_type == "B":
                out[name] = {"B": _unb64(text)}
            else:
                raise InvalidCursor("cursor key is malformed")
        except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
            raise InvalidCursor("cursor key is malformed") from None
    return out


# ---------------------------------------------------------------- cursors


def encode_cursor(scope: str, last_key: Mapping[str, AttributeValue]) -> str:
    body = json.dumps(
        {"v": CURSOR_VERSION, "s": scope, "k": _wire_to_json(last_key)},
        separators=(",", ":"),
        sort_keys=True,
        ensure_ascii=False,
    ).encode("utf-8")
    tag = hmac.new(_secret(), body, hashlib.sha256).digest()[:_TAG_BYTES]
    return f"{_b64(body)}.{_b64(tag)}"


def decode_cursor(cursor: str, scope: str, key_names: Sequence[str]) -> dict[str, AttributeValue]:
    """The ExclusiveStartKey a cursor stands for, or InvalidCursor before any request is made."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidCursor("cursor must be a non-empty string from a previous page")
    body_text, _, tag_text = cursor.partition(".")
    try:
        body = _unb64(body_text)
        tag = _unb64(tag_text)
    except (binascii.Error, ValueError):
        raise InvalidCursor("cursor does not decode (was it cut or altered?)") from None
    if _b64(body) != body_text or _b64(tag) != tag_text:  # only the canonical spelling is ours
        raise InvalidCursor("cursor does not decode (was it cut or altered?)")
    expected_tag = hmac.new(_secret(), body, hashlib.sha256).digest()[:_TAG_BYTES]
    if not hmac.compare_digest(tag, expected_tag):
        raise InvalidCursor("cursor was altered or was made with another DYNAGEN_CURSOR_SECRET")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise InvalidCursor("cursor does not decode") from None
    if not isinstance(payload, dict) or payload.get("v") != CURSOR_VERSION:
        raise InvalidCursor("cursor is from another version of dynagen")
    made_by = payload.get("s")
    if not isinstance(made_by, str) or not hmac.compare_digest(
        made_by.encode("utf-8"), scope.encode("utf-8")
    ):
        raise InvalidCursor(
            "cursor belongs to another read: another table, index, partition, sort condition, "
            "order, filter, projection or scan segment (a cursor resumes only the read that "
            "made it)"
        )
    return _json_to_wire(payload.get("k"), key_names)
