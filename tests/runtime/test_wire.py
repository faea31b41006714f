"""dynagen.runtime.wire: item sizes by DynamoDB's rules, key identities, item comparison, key text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynagen import runtime as rt
from dynagen.runtime.wire import (
    MAX_ITEM_BYTES,
    check_item_size,
    describe_key,
    item_size,
    item_size_bound,
    key_identity,
    key_of,
    same_item,
)

# ------------------------------------------------------------------ sizes


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ({"S": "abc"}, 3),
        ({"S": "é"}, 2),  # UTF-8 bytes, not characters
        ({"S": ""}, 0),
        ({"B": b"\x00\x01"}, 2),
        ({"BOOL": False}, 1),
        ({"NULL": True}, 1),
        ({"SS": ["ab", "c"]}, 3),
        ({"BS": [b"ab", b"c"]}, 3),
        ({"L": []}, 3),
        ({"M": {}}, 3),
        ({"L": [{"S": "ab"}, {"BOOL": True}]}, 3 + (1 + 2) + (1 + 1)),
        ({"M": {"kk": {"S": "ab"}}}, 3 + 1 + 2 + 2),
        ({"M": {"a": {"L": [{"NULL": True}]}}}, 3 + 1 + 1 + (3 + 1 + 1)),
    ],
)
def test_value_sizes(value: dict[str, Any], size: int) -> None:
    assert item_size({"a": value}) == 1 + size


@pytest.mark.parametrize(
    ("number", "size"),
    [
        ("0", 1),
        ("0.000", 1),
        ("1", 2),
        ("-1", 3),
        ("12", 2),
        ("123", 3),
        ("100", 2),  # trailing zeros are not stored
        ("0.01", 2),
        ("1.5", 3),  # digits on both sides of the point, in base-100 pairs
        ("12345678901234567890123456789012345678", 20),
        ("1E+125", 2),
    ],
)
def test_number_sizes(number: str, size: int) -> None:
    assert item_size({"n": {"N": number}}) == 1 + size
    assert item_size({"n": {"NS": [number, number]}}) == 1 + 2 * size


def test_an_item_is_its_names_plus_its_values() -> None:
    assert item_size({}) == 0
    assert item_size({"pk": {"S": "a"}, "héllo": {"N": "1"}}) == (2 + 1) + (6 + 2)


def test_check_item_size_refuses_only_what_is_over_400_kb() -> None:
    name = "x"
    at_limit = {name: {"S": "a" * (MAX_ITEM_BYTES - len(name))}}
    assert item_size(at_limit) == MAX_ITEM_BYTES == 400 * 1024
    check_item_size(at_limit, "Thing")
    over = {name: {"S": "a" * (MAX_ITEM_BYTES - len(name) + 1)}}
    with pytest.raises(rt.ValidationError) as caught:
        check_item_size(over, "Thing")
    assert str(caught.value) == (
        f"Thing item is {MAX_ITEM_BYTES + 1} bytes; DynamoDB items are at most {MAX_ITEM_BYTES} bytes (400 KB)"
    )


# ------------------------------------------------------------------ the cheap bound

_numbers = st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str) | st.from_regex(
    r"\A-?[0-9]{1,38}(\.[0-9]{1,20})?(E[+-]?[0-9]{1,3})?\Z"
)
_texts = st.text(max_size=20)  # any code points: ASCII, accented, astral
_scalars = st.one_of(
    st.builds(lambda v: {"S": v}, _texts),
    st.builds(lambda v: {"N": v}, _numbers),
    st.builds(lambda v: {"B": v}, st.binary(max_size=20)),
    st.builds(lambda v: {"BOOL": v}, st.booleans()),
    st.just({"NULL": True}),
    st.builds(lambda v: {"SS": v}, st.lists(_texts, min_size=1, max_size=4)),
    st.builds(lambda v: {"NS": v}, st.lists(_numbers, min_size=1, max_size=4)),
    st.builds(lambda v: {"BS": v}, st.lists(st.binary(max_size=8), min_size=1, max_size=4)),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.builds(lambda v: {"L": v}, st.lists(inner, max_size=4))
    | st.builds(lambda v: {"M": v}, st.dictionaries(_texts, inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_texts, _values, max_size=6))
def test_the_bound_is_never_below_the_size(item: dict[str, Any]) -> None:
    assert item_size_bound(item) >= item_size(item)


@pytest.mark.parametrize("digits", range(1, 39))
@pytest.mark.parametrize("exponent", [-130, -7, -1, 0, 1, 2, 7, 125])
def test_the_number_bound_holds_for_every_digit_count_and_alignment(
    digits: int, exponent: int
) -> None:
    for sign in ("", "-"):
        for text in (
            f"{sign}{'9' * digits}E{exponent}",
            f"{sign}1{'0' * (digits - 1)}E{exponent}",
            f"{sign}{'1' * digits}E{exponent}",
            sign + str(Decimal(f"{'7' * digits}E{exponent}")),
        ):
            assert item_size({"n": {"N": text}}) <= item_size_bound({"n": {"N": text}}), text


def test_an_item_the_bound_lets_through_is_never_sized_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dynagen.runtime.wire as wire

    def refuse(item: object) -> int:
        raise AssertionError("the exact size was computed")

    monkeypatch.setattr(wire, "item_size", refuse)
    check_item_size({"pk": {"S": "a"}, "n": {"NS": ["1", "2.5"]}, "b": {"B": b"xy"}}, "Thing")


@pytest.mark.parametrize("text", ["a", "é", "\U0001f600"])  # 1, 2 and 4 UTF-8 bytes a character
def test_at_the_limit_the_exact_size_decides(text: str) -> None:
    """Items whose bound is over 400 KB but whose size is not: accepted at the limit, refused
    one byte over, whatever the characters (the bound overestimates non-ASCII text 2-4x)."""
    unit = len(text.encode("utf-8"))
    count, rest = divmod(MAX_ITEM_BYTES - 1, unit)
    at_limit = {"x": {"S": text * count + "a" * rest}}
    assert item_size(at_limit) == MAX_ITEM_BYTES
    check_item_size(at_limit, "Thing")
    over = {"x": {"S": text * count + "a" * (rest + 1)}}
    assert item_size(over) == MAX_ITEM_BYTES + 1 <= item_size_bound(over)
    with pytest.raises(rt.ValidationError, match=f"is {MAX_ITEM_BYTES + 1} bytes"):
        check_item_size(over, "Thing")


def test_numbers_near_the_limit_are_sized_exactly() -> None:
    """A number set whose bound is over the limit and whose size is not is accepted."""
    numbers = [str(n) for n in range(1, 100_000)]
    item = {"ns": {"NS": numbers}}
    assert item_size(item) <= MAX_ITEM_BYTES < item_size_bound(item)
    check_item_size(item, "Thing")


# ------------------------------------------------------------------ same_item


def test_same_item_compares_as_dynamodb_stores() -> None:
    sent = {
        "n": {"N": "1.50"},
        "ns": {"NS": ["1", "2.0"]},
        "ss": {"SS": ["a", "b"]},
        "bs": {"BS": [b"x", b"y"]},
        "l": {"L": [{"N": "1.0"}, {"S": "x"}]},
        "m": {"M": {"k": {"N": "10"}, "s": {"SS": ["q", "p"]}}},
        "b": {"B": b"raw"},
    }
    stored = {
        "n": {"N": "1.5"},
        "ns": {"NS": ["2", "1"]},
        "ss": {"SS": ["b", "a"]},
        "bs": {"BS": [b"y", b"x"]},
        "l": {"L": [{"N": "1"}, {"S": "x"}]},
        "m": {"M": {"s": {"SS": ["p", "q"]}, "k": {"N": "1E1"}}},
        "b": {"B": b"raw"},
    }
    assert same_item(stored, sent)


@pytest.mark.parametrize(
    "stored",
    [
        {"a": {"N": "1"}, "extra": {"S": "x"}},
        {},
        {"a": {"N": "2"}},
        {"a": {"S": "1"}},  # same text, other type
        {"a": {"NS": ["1"]}},
    ],
)
def test_same_item_sees_any_difference(stored: dict[str, Any]) -> None:
    assert not same_item(stored, {"a": {"N": "1"}})


def test_list_order_matters() -> None:
    assert not same_item(
        {"l": {"L": [{"S": "a"}, {"S": "b"}]}}, {"l": {"L": [{"S": "b"}, {"S": "a"}]}}
    )


# ------------------------------------------------------------------ keys


def test_key_of_takes_only_the_key_attributes_present() -> None:
    item: dict[str, Any] = {"pk": {"S": "a"}, "sk": {"N": "1"}, "nm": {"S": "x"}}
    assert key_of(item, ("pk", "sk")) == {"pk": {"S": "a"}, "sk": {"N": "1"}}
    assert key_of(item, ("pk", "missing")) == {"pk": {"S": "a"}}


def test_key_identity_is_what_dynamodb_calls_one_key() -> None:
    one = key_identity({"pk": {"S": "a"}, "sk": {"N": "1"}})
    assert one == key_identity({"sk": {"N": "1.0"}, "pk": {"S": "a"}})  # order and spelling
    assert one == key_identity({"pk": {"S": "a"}, "sk": {"N": "1E0"}})
    assert one != key_identity({"pk": {"S": "a"}, "sk": {"S": "1"}})
    assert one != key_identity({"pk": {"S": "a"}, "sk": {"N": "2"}})
    assert one != key_identity({"pk": {"S": "a"}, "other": {"N": "1"}})
    assert hash(one) == hash(key_identity({"pk": {"S": "a"}, "sk": {"N": "1.00"}}))


def test_key_identity_of_binary_keys_in_every_form() -> None:
    # base64 text: a BatchGetItem item's key as the direct transport reads it (fastparse.load_items)
    forms: list[Any] = [b"ab", bytearray(b"ab"), memoryview(b"ab"), "YWI="]
    identities = {key_identity({"pk": {"B": form}}) for form in forms}
    assert identities == {(("pk", "B", b"ab"),)}


def test_describe_key() -> None:
    assert describe_key({"customer_id": {"S": "c1"}, "n": {"N": "2"}}) == "customer_id='c1', n=2"
    assert describe_key({"b": {"B": b"\x00"}}) == "b=b'\\x00'"
    assert describe_key({}) == ""
