"""Pages and cursors: opaque, URL-safe, bound to what they page through, refused if altered.

A cursor is `base64url(json) "." base64url(hmac)`. The JSON holds the last evaluated key and
the scope it belongs to (table, index, and the query's partition or the scan's segment); the
HMAC-SHA256 tag detects any change. The key for the tag is `DYNAGEN_CURSOR_SECRET` when set (set
it in production so cursors cannot be forged), else a fixed key that still catches corruption
and casual edits. Whatever the tag, a decoded key is checked against the table's key schema and
the scope before it is sent, so a cursor can only ever resume the same query.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Generic, Iterator, Mapping, Sequence, TypeVar

from dynagen.runtime.errors import InvalidCursor
from dynagen.runtime.types import AttributeValue

T = TypeVar("T")
CURSOR_VERSION = 1
_DEFAULT_SECRET = b"dynagen-cursor-v1"
MAX_CURSOR_CHARS = 8192


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results; `cursor` resumes after its last item, None on the last page."""

    items: list[T]
    cursor: str | None

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
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _wire_to_json(key: Mapping[str, AttributeValue]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in key.items():
        if "S" in value:
            out[name] = ["S", value["S"]]
        elif "N" in value:
            out[name] = ["N", value["N"]]
        elif "B" in value:
            out[name] = ["B", _b64(bytes(value["B"]))]
        else:
            raise InvalidCursor(f"key attribute {name!r} has a type keys cannot have")
    return out


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
        if wire_type == "S":
            out[name] = {"S": text}
        elif wire_type == "N":
            out[name] = {"N": text}
        elif wire_type == "B":
            try:
                out[name] = {"B": _unb64(text)}
            except (binascii.Error, ValueError):
                raise InvalidCursor("cursor key is malformed") from None
        else:
            raise InvalidCursor("cursor key is malformed")
    return out


def encode_cursor(scope: str, last_key: Mapping[str, AttributeValue]) -> str:
    body = json.dumps(
        {"v": CURSOR_VERSION, "s": scope, "k": _wire_to_json(last_key)},
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")
    tag = hmac.new(_secret(), body, hashlib.sha256).digest()[:16]
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
    expected_tag = hmac.new(_secret(), body, hashlib.sha256).digest()[:16]
    if not hmac.compare_digest(tag, expected_tag):
        raise InvalidCursor("cursor was altered or was made with another DYNAGEN_CURSOR_SECRET")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise InvalidCursor("cursor does not decode") from None
    if not isinstance(payload, dict) or payload.get("v") != CURSOR_VERSION:
        raise InvalidCursor("cursor is from another version of dynagen")
    if payload.get("s") != scope:
        raise InvalidCursor(f"cursor belongs to {payload.get('s')!r}, not to {scope!r}")
    return _json_to_wire(payload.get("k"), key_names)
