"""dynagen.runtime.pages: Page, and cursors that round-trip, are bound to their scope, and refuse edits."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import pickle
import typing
from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime.pages import MAX_CURSOR_CHARS, Cursor, Page, decode_cursor, encode_cursor

SCOPE = "things//query/0123456789abcdef"
NAMES = ("pk", "sk")
KEY: dict[str, Any] = {"pk": {"S": "a/b?c=d é"}, "sk": {"N": "-1.50"}}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload: Any, secret: bytes = b"dynagen-cursor-v1") -> str:
    """A cursor with a valid tag: the fixed default key is public, so anyone can make one."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return f"{b64(body)}.{b64(hmac.new(secret, body, hashlib.sha256).digest()[:16])}"


@pytest.fixture(autouse=True)
def default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DYNAGEN_CURSOR_SECRET", raising=False)


# ------------------------------------------------------------------ Page


def test_a_page_is_its_items_and_a_cursor() -> None:
    page = Page([1, 2, 3], "c")
    assert list(page) == [1, 2, 3] and len(page) == 3 and page.cursor == "c"
    assert len(Page([], None)) == 0
    with pytest.raises(AttributeError):
        page.cursor = None  # type: ignore[misc]


# ------------------------------------------------------------------ Cursor


class ThingsCursor(Cursor):
    """What a generated cursor class is."""

    __slots__ = ()


def test_a_cursor_is_the_str_it_was_made_from() -> None:
    text = encode_cursor(SCOPE, KEY)
    cursor = ThingsCursor(text)
    assert isinstance(cursor, str) and cursor == text and hash(cursor) == hash(text)
    assert type(str(cursor)) is str and str(cursor) == text
    assert json.dumps({"next": cursor}) == json.dumps({"next": text})
    assert repr(cursor) == f"ThingsCursor({text!r})"
    assert decode_cursor(cursor, SCOPE, NAMES) == KEY


def test_a_cursor_keeps_its_class_through_pickle_and_copy() -> None:
    cursor = ThingsCursor(encode_cursor(SCOPE, KEY))
    for again in (pickle.loads(pickle.dumps(cursor)), copy.copy(cursor), copy.deepcopy(cursor)):
        assert type(again) is ThingsCursor and again == cursor
    assert not hasattr(cursor, "__dict__")  # a str and nothing more


def test_a_page_of_one_type_argument_is_a_page_of_any_cursor_at_run_time() -> None:
    """Annotations evaluated at run time (`typing.get_type_hints`, web frameworks) take
    `Page[Order]` as before: the cursor argument defaults to `Cursor`."""

    def handler(any_read: Page[int], one_read: Page[int, ThingsCursor]) -> None: ...

    assert Page[int] == Page[int, Cursor]
    hints = typing.get_type_hints(handler)
    assert typing.get_args(hints["any_read"]) == (int, Cursor)
    assert typing.get_args(hints["one_read"]) == (int, ThingsCursor)


@pytest.mark.parametrize("value", [None, 5, b"abc", ["a"]], ids=repr)
def test_a_cursor_is_made_from_a_str_only(value: Any) -> None:
    with pytest.raises(rt.InvalidCursor, match=r"ThingsCursor is made from the str .*, got "):
        ThingsCursor(value)


def test_a_string_typed_as_a_cursor_is_still_checked_at_use() -> None:
    """The class says which read a cursor is for; its scope and tag are what is checked."""
    with pytest.raises(rt.InvalidCursor, match="does not decode"):
        decode_cursor(ThingsCursor("not a cursor"), SCOPE, NAMES)
    with pytest.raises(rt.InvalidCursor, match="belongs to another read"):
        decode_cursor(ThingsCursor(encode_cursor("elsewhere", KEY)), SCOPE, NAMES)


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize(
    "key",
    [
        KEY,
        {"pk": {"B": b"\x00\xff\xfe"}, "sk": {"S": ""}},
        {"pk": {"S": "x" * 1000}, "sk": {"N": "1E+125"}},
    ],
)
def test_a_cursor_gives_back_the_key_it_was_made_from(key: dict[str, Any]) -> None:
    cursor = encode_cursor(SCOPE, key)
    assert decode_cursor(cursor, SCOPE, NAMES) == key


def test_a_cursor_is_url_safe_and_deterministic() -> None:
    cursor = encode_cursor(SCOPE, KEY)
    assert cursor == encode_cursor(SCOPE, dict(reversed(list(KEY.items()))))
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert cursor.count(".") == 1


def test_only_key_types_can_be_in_a_cursor() -> None:
    with pytest.raises(rt.InvalidCursor, match="'pk' has a type keys cannot have"):
        encode_cursor(SCOPE, {"pk": {"BOOL": True}})


# ------------------------------------------------------------------ scope


@pytest.mark.parametrize(
    "scope",
    [
        "things//query/fedcba9876543210",
        "things/by_name/query/0123456789abcdef",
        "things//scan",
        "other//query/0123456789abcdef",
        "",
    ],
)
def test_a_cursor_of_another_scope_is_refused(scope: str) -> None:
    with pytest.raises(rt.InvalidCursor, match="cursor belongs to"):
        decode_cursor(encode_cursor(SCOPE, KEY), scope, NAMES)


def test_a_cursor_must_hold_exactly_the_key_of_its_read() -> None:
    cursor = encode_cursor(SCOPE, KEY)
    for names in (("pk",), ("pk", "sk", "nm"), ("pk", "other")):
        with pytest.raises(rt.InvalidCursor, match="does not hold this table's key"):
            decode_cursor(cursor, SCOPE, names)


# ------------------------------------------------------------------ tampering


def test_every_single_character_edit_is_refused() -> None:
    cursor = encode_cursor(SCOPE, KEY)
    alphabet = "Aa0-_."
    for index, char in enumerate(cursor):
        replacement = (
            alphabet[(alphabet.index(char) + 1) % len(alphabet)] if char in alphabet else "A"
        )
        edited = cursor[:index] + replacement + cursor[index + 1 :]
        with pytest.raises(rt.InvalidCursor):
            decode_cursor(edited, SCOPE, NAMES)


def test_cut_and_padded_cursors_are_refused() -> None:
    cursor = encode_cursor(SCOPE, KEY)
    body, _, tag = cursor.partition(".")
    for bad in (
        cursor[:-1],
        cursor[1:],
        body,
        f"{body}.",
        f".{tag}",
        f"{body}==.{tag}",
        cursor + ".",
    ):
        with pytest.raises(rt.InvalidCursor):
            decode_cursor(bad, SCOPE, NAMES)


@pytest.mark.parametrize(
    "bad",
    ["", None, 7, "A" * (MAX_CURSOR_CHARS + 1), "%%%.%%%"],
    ids=["empty", "none", "int", "huge", "not-base64"],
)
def test_what_is_not_a_cursor_is_refused(bad: Any) -> None:
    with pytest.raises(rt.InvalidCursor):
        decode_cursor(bad, SCOPE, NAMES)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"v": 2, "s": SCOPE, "k": {}}, "another version"),
        ([1, 2], "another version"),
        ({"v": 1, "s": SCOPE, "k": {"pk": ["S", "a"], "sk": ["BOOL", "x"]}}, "malformed"),
        ({"v": 1, "s": SCOPE, "k": {"pk": ["S", "a"], "sk": ["S"]}}, "malformed"),
        ({"v": 1, "s": SCOPE, "k": {"pk": ["S", "a"], "sk": "a"}}, "malformed"),
        ({"v": 1, "s": SCOPE, "k": {"pk": ["S", "a"], "sk": ["N", 1]}}, "malformed"),
        ({"v": 1, "s": SCOPE, "k": None}, "does not hold"),
    ],
)
def test_a_validly_tagged_cursor_is_still_checked(payload: Any, message: str) -> None:
    with pytest.raises(rt.InvalidCursor, match=message):
        decode_cursor(signed(payload), SCOPE, NAMES)


def test_a_binary_key_value_in_a_cursor_must_be_canonical_base64() -> None:
    for text in ("###", "a#b=", "YWJj=="):
        payload = {"v": 1, "s": SCOPE, "k": {"pk": ["B", text], "sk": ["S", "a"]}}
        with pytest.raises(rt.InvalidCursor, match="malformed"):
            decode_cursor(signed(payload), SCOPE, NAMES)


def test_a_tagged_cursor_that_is_not_json_is_refused() -> None:
    body = b"{not json"
    cursor = (
        f"{b64(body)}.{b64(hmac.new(b'dynagen-cursor-v1', body, hashlib.sha256).digest()[:16])}"
    )
    with pytest.raises(rt.InvalidCursor, match="does not decode"):
        decode_cursor(cursor, SCOPE, NAMES)


def test_the_secret_binds_cursors_to_one_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    unsigned = encode_cursor(SCOPE, KEY)
    monkeypatch.setenv("DYNAGEN_CURSOR_SECRET", "s3cret")
    with pytest.raises(rt.InvalidCursor, match="another DYNAGEN_CURSOR_SECRET"):
        decode_cursor(unsigned, SCOPE, NAMES)
    made = encode_cursor(SCOPE, KEY)
    assert made != unsigned and decode_cursor(made, SCOPE, NAMES) == KEY
    monkeypatch.setenv("DYNAGEN_CURSOR_SECRET", "another")
    with pytest.raises(rt.InvalidCursor):
        decode_cursor(made, SCOPE, NAMES)
