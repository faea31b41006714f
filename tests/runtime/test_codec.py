"""dynagen.runtime.codec: the checks and formats behind every stored value, and decode errors."""

from __future__ import annotations

import dataclasses
import datetime
import math
from decimal import Decimal
from typing import Any, Callable

import pytest
from boto3.dynamodb.types import TypeSerializer
from hypothesis import assume, given
from hypothesis import strategies as st

from dynagen.runtime import internal
from dynagen import runtime as rt
from dynagen.runtime import codec
from generated_example.ledger import (
    Entry,
    EntryKind,
    marshal_entry,
    unmarshal_entry,
)
from generated_example.orders import (
    Address,
    LineItem,
    Order,
    OrderStatus,
    marshal_order,
    unmarshal_order,
)

UTC = datetime.timezone.utc
PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
MINUS_5_30 = datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))


def untyped(value: object) -> Any:
    """A value of the wrong type, handed over as a caller without mypy would."""
    return value


def refused(call: Callable[[], object], *parts: str) -> rt.ValidationError:
    """`call` raises ValidationError (a ValueError too) whose message holds every part."""
    with pytest.raises(rt.ValidationError) as caught:
        call()
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, rt.DynagenError)
    for part in parts:
        assert part in str(caught.value), (part, str(caught.value))
    return caught.value


# ------------------------------------------------------------------ keys


def test_key_str_accepts_non_empty_and_refuses_empty() -> None:
    assert codec.key_str("c1", "customer_id") == "c1"
    assert codec.key_str(" ", "customer_id") == " "
    refused(lambda: codec.key_str("", "customer_id"), "customer_id", "empty string")


def test_key_str_refuses_non_strings() -> None:
    refused(lambda: codec.key_str(untyped(5), "customer_id"), "customer_id", "expected str")
    refused(lambda: codec.key_str(untyped(b"x"), "customer_id"), "customer_id")


def test_key_bytes_accepts_non_empty_and_refuses_empty() -> None:
    assert codec.key_bytes(b"\x00", "token") == b"\x00"
    converted = codec.key_bytes(untyped(bytearray(b"ab")), "token")
    assert converted == b"ab" and type(converted) is bytes
    refused(lambda: codec.key_bytes(b"", "token"), "token", "empty bytes")
    refused(lambda: codec.key_bytes(untyped(bytearray()), "token"), "token")
    refused(lambda: codec.key_bytes(untyped("ab"), "token"), "token", "expected bytes")


def test_generated_key_refuses_empty_strings() -> None:
    from generated_example.orders import order_key

    assert order_key("c", "o") == {"customer_id": {"S": "c"}, "order_id": {"S": "o"}}
    refused(lambda: order_key("", "o"), "customer_id")
    refused(lambda: order_key("c", ""), "order_id")


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (-5, "-5"),
        (10**37, "1" + "0" * 37),
        (10**38, "1" + "0" * 38),  # 39 digits, but the trailing zeros do not count
        (-(10**38 - 1), "-" + "9" * 38),  # 38 significant digits
        (10**125, "1" + "0" * 125),  # the largest power of ten below 1E+126
    ],
)
def test_number_int_accepts(value: int, text: str) -> None:
    assert codec.number_int(value, "quantity") == text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10**38 + 1, "39 significant digits"),
        (-(10**38) - 1, "39 significant digits"),
        (10**126, "out of DynamoDB's number range"),
        (True, "expected int, got bool"),
        (False, "expected int, got bool"),
        (1.5, "expected int, got float"),
        ("5", "expected int, got str"),
        (Decimal(5), "expected int, got Decimal"),
    ],
)
def test_number_int_refuses(value: Any, message: str) -> None:
    refused(lambda: codec.number_int(value, "quantity"), "quantity", message)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.5, "1.5"),
        (0.1, "0.1"),
        (-0.0, "-0.0"),
        (1e16, "1e+16"),
        (1e100, "1e+100"),
        (1e125, "1e+125"),
        (1e-130, "1e-130"),
        (-2.5e-7, "-2.5e-07"),
    ],
)
def test_number_float_accepts(value: float, text: str) -> None:
    assert codec.number_float(value, "risk_score") == text
    assert float(text) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, "must be finite"),
        (math.inf, "must be finite"),
        (-math.inf, "must be finite"),
        (1e126, "out of DynamoDB's number range"),
        (1e300, "out of DynamoDB's number range"),
        (1e-131, "out of DynamoDB's number range"),
        (5e-324, "out of DynamoDB's number range"),
    ],
)
def test_number_float_refuses(value: float, message: str) -> None:
    refused(lambda: codec.number_float(value, "risk_score"), "risk_score", message)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.50"), "12.50"),
        (Decimal("-0"), "-0"),
        (Decimal("0E-200"), "0E-200"),  # zero has no magnitude to check
        (Decimal("1" * 38), "1" * 38),
        (Decimal("0." + "1" * 38), "0." + "1" * 38),
        (Decimal("1" + "0" * 38), "1" + "0" * 38),  # trailing zeros do not count
        (Decimal("1." + "0" * 45), "1." + "0" * 45),
        (Decimal("-" + "9" * 38), "-" + "9" * 38),
        (Decimal("1E-130"), "1E-130"),
        (Decimal("1.2345678901234567890123456789012345678E-130"), None),
        (Decimal("9.9999999999999999999999999999999999999E+125"), None),
        (Decimal("1E+125"), "1E+125"),
    ],
)
def test_number_decimal_accepts(value: Decimal, text: str | None) -> None:
    stored = codec.number_decimal(value, "total")
    assert Decimal(stored) == value
    if text is not None:
        assert stored == text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("NaN"), "must be finite"),
        (Decimal("sNaN"), "must be finite"),
        (Decimal("Infinity"), "must be finite"),
        (Decimal("-Infinity"), "must be finite"),
        (Decimal("1" * 39), "39 significant digits"),
        (Decimal("1" + "0" * 37 + "1"), "39 significant digits"),
        (Decimal("0.0" + "1" * 39), "39 significant digits"),
        (Decimal("1E-131"), "out of DynamoDB's number range"),
        (Decimal("9.9E-131"), "out of DynamoDB's number range"),
        (Decimal("1E+126"), "out of DynamoDB's number range"),
        (Decimal("1" + "0" * 126), "out of DynamoDB's number range"),
        (Decimal("-1E+126"), "out of DynamoDB's number range"),
    ],
)
def test_number_decimal_refuses(value: Decimal, message: str) -> None:
    refused(lambda: codec.number_decimal(value, "total"), "total", message)


@pytest.mark.parametrize("value", [1.5, 3, "12", None])
def test_number_decimal_refuses_other_types(value: Any) -> None:
    refused(lambda: codec.number_decimal(value, "total"), "total", "expected Decimal")


def _significant(value: Decimal) -> int:
    return len("".join(map(str, value.as_tuple().digits)).lstrip("0").rstrip("0"))


@given(
    digits=st.text("0123456789", min_size=1, max_size=45),
    exponent=st.integers(-180, 160),
    negative=st.booleans(),
)
def test_number_decimal_matches_dynamodb_limits(digits: str, exponent: int, negative: bool) -> None:
    """Accepted exactly when: zero, or at most 38 significant digits within 1E-130 .. <1E+126."""
    value = Decimal(f"{'-' if negative else ''}{digits}E{exponent}")
    fits = value == 0 or (_significant(value) <= 38 and -130 <= value.adjusted() <= 125)
    if fits:
        assert Decimal(codec.number_decimal(value, "total")) == value
    else:
        refused(lambda: codec.number_decimal(value, "total"), "total")


@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_number_int_round_trips_or_refuses(value: int) -> None:
    if _significant(Decimal(value)) <= 38:
        assert int(codec.number_int(value, "n")) == value
    else:
        refused(lambda: codec.number_int(value, "n"), "n", "significant digits")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_float_round_trips_or_refuses(value: float) -> None:
    if value == 0 or 1e-130 <= abs(value) < 1e126:
        assert float(codec.number_float(value, "f")) == value
    else:
        refused(lambda: codec.number_float(value, "f"), "f", "range")


# ------------------------------------------------------------------ datetimes


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC), "2024-01-02T03:04:05.000006Z"),
        (datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "2024-01-02T03:04:05.000000Z"),
        (datetime.datetime(2024, 1, 2, 1, 0, tzinfo=PLUS_2), "2024-01-01T23:00:00.000000Z"),
        (
            datetime.datetime(2024, 12, 31, 20, 0, 0, 999999, tzinfo=MINUS_5_30),
            "2025-01-01T01:30:00.999999Z",
        ),
        (
            datetime.datetime(2024, 6, 1, tzinfo=datetime.timezone(datetime.timedelta(0), "GMT")),
            "2024-06-01T00:00:00.000000Z",
        ),
        (datetime.datetime(999, 1, 1, tzinfo=UTC), "0999-01-01T00:00:00.000000Z"),
        (datetime.datetime(5, 3, 4, 5, 6, 7, tzinfo=UTC), "0005-03-04T05:06:07.000000Z"),
        (datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), None),
    ],
)
def test_datetime_text_is_fixed_width_utc(value: datetime.datetime, text: str | None) -> None:
    stored = codec.datetime_text(value, "placed_at")
    assert len(stored) == len("YYYY-MM-DDTHH:MM:SS.ffffffZ")
    assert stored.endswith("Z")
    if text is not None:
        assert stored == text
    parsed = codec.parse_datetime(stored)
    assert parsed == value and parsed.tzinfo == UTC


def test_datetime_text_refuses_naive_and_non_datetimes() -> None:
    refused(
        lambda: codec.datetime_text(datetime.datetime(2024, 1, 1), "placed_at"),
        "placed_at",
        "naive",
    )
    refused(lambda: codec.datetime_text(untyped("2024-01-01"), "placed_at"), "placed_at")
    refused(
        lambda: codec.datetime_text(untyped(datetime.date(2024, 1, 1)), "placed_at"), "placed_at"
    )


def test_datetime_text_out_of_range_after_conversion_is_a_validation_error() -> None:
    early = datetime.datetime(1, 1, 1, tzinfo=PLUS_2)  # 0000-12-31T22:00Z does not exist
    refused(lambda: codec.datetime_text(early, "placed_at"), "placed_at")


def test_parse_datetime_reads_other_iso_forms() -> None:
    assert codec.parse_datetime("2024-01-01T00:00:00+02:00") == datetime.datetime(
        2023, 12, 31, 22, 0, tzinfo=UTC
    )
    assert codec.parse_datetime("2024-01-01T00:00:00+02:00").tzinfo == UTC
    with pytest.raises(ValueError, match="no timezone"):
        codec.parse_datetime("2024-01-01T00:00:00")


fixed_offsets = st.builds(
    datetime.timezone,
    st.timedeltas(
        min_value=datetime.timedelta(hours=-23, minutes=-59),
        max_value=datetime.timedelta(hours=23, minutes=59),
    ).map(lambda delta: datetime.timedelta(minutes=delta // datetime.timedelta(minutes=1))),
)
aware_datetimes = st.datetimes(
    min_value=datetime.datetime(2, 1, 1),
    max_value=datetime.datetime(9998, 12, 31),
    timezones=st.one_of(st.just(UTC), fixed_offsets, st.timezones()),
)


def instant(value: datetime.datetime) -> datetime.datetime:
    """The UTC instant (zoneinfo times in a DST gap or fold never compare equal across zones)."""
    return value.astimezone(UTC)


@given(aware_datetimes)
def test_datetime_round_trip(value: datetime.datetime) -> None:
    stored = codec.datetime_text(value, "placed_at")
    assert len(stored) == 27
    assert codec.parse_datetime(stored) == instant(value)


@given(aware_datetimes, aware_datetimes)
def test_datetime_string_order_is_time_order(a: datetime.datetime, b: datetime.datetime) -> None:
    text_a, text_b = codec.datetime_text(a, "t"), codec.datetime_text(b, "t")
    assert (text_a < text_b) == (instant(a) < instant(b))
    assert (text_a == text_b) == (instant(a) == instant(b))


def test_utc_now_is_aware_utc() -> None:
    now = codec.utc_now()
    assert now.tzinfo is not None and now.utcoffset() == datetime.timedelta(0)
    assert codec.parse_datetime(codec.datetime_text(now, "now")) == now


# ------------------------------------------------------------------ ttl and dates


def test_ttl_seconds() -> None:
    epoch = datetime.datetime(1970, 1, 1, tzinfo=UTC)
    assert codec.ttl_seconds(epoch, "expires_at") == "0"
    assert (
        codec.ttl_seconds(epoch + datetime.timedelta(seconds=10, microseconds=999999), "x") == "10"
    )
    assert codec.ttl_seconds(datetime.datetime(2030, 1, 1, 2, tzinfo=PLUS_2), "x") == str(
        int(datetime.datetime(2030, 1, 1, tzinfo=UTC).timestamp())
    )
    refused(
        lambda: codec.ttl_seconds(datetime.datetime(2030, 1, 1), "expires_at"),
        "expires_at",
        "naive",
    )
    refused(lambda: codec.ttl_seconds(untyped(1700000000), "expires_at"), "expires_at")


def test_parse_ttl() -> None:
    assert codec.parse_ttl("0") == datetime.datetime(1970, 1, 1, tzinfo=UTC)
    assert codec.parse_ttl("1893456000") == datetime.datetime(2030, 1, 1, tzinfo=UTC)
    assert codec.parse_ttl("1893456000").tzinfo == UTC
    assert codec.parse_ttl("10.7") == datetime.datetime(1970, 1, 1, 0, 0, 10, tzinfo=UTC)


@given(
    st.datetimes(
        min_value=datetime.datetime(1970, 1, 2),
        max_value=datetime.datetime(2200, 1, 1),
        timezones=st.one_of(st.just(UTC), fixed_offsets),
    )
)
def test_ttl_round_trip_drops_only_sub_seconds(value: datetime.datetime) -> None:
    assume(value.astimezone(UTC).year >= 1970)
    back = codec.parse_ttl(codec.ttl_seconds(value, "expires_at"))
    assert back == value.replace(microsecond=0)
    assert back.utcoffset() == datetime.timedelta(0)


def test_ttl_seconds_never_rounds_up() -> None:
    value = datetime.datetime(3000, 1, 1, 0, 0, 0, 999999, tzinfo=UTC)
    whole = (value - datetime.datetime(1970, 1, 1, tzinfo=UTC)) // datetime.timedelta(seconds=1)
    assert codec.ttl_seconds(value, "expires_at") == str(whole) == "32503680000"


def test_date_text() -> None:
    assert codec.date_text(datetime.date(2024, 2, 29), "booked_on") == "2024-02-29"
    assert codec.date_text(datetime.date(33, 1, 1), "booked_on") == "0033-01-01"
    refused(
        lambda: codec.date_text(datetime.datetime(2024, 2, 29, tzinfo=UTC), "booked_on"),
        "booked_on",
        "expected date, got datetime",
    )
    refused(lambda: codec.date_text(untyped("2024-02-29"), "booked_on"), "booked_on")


# ------------------------------------------------------------------ json

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.text(),
    st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1),
)
finite_floats = st.floats(
    min_value=-1e125, max_value=1e125, allow_nan=False, allow_infinity=False
).filter(lambda value: value == 0 or abs(value) >= 1e-130)


def json_like(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=5),
        ),
        max_leaves=25,
    )


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (1 == 1.0 == True is not good enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def whole_floats_as_ints(value: Any) -> Any:
    """What DynamoDB gives back: a float with no fraction is a number like any int (1.0 -> 1);
    any other float reads back exactly as the digits written, a Decimal (never through float)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e38:
        return int(value)
    if isinstance(value, float):
        return Decimal(codec.json_value(value, "x")["N"])  # type: ignore[typeddict-item]
    if isinstance(value, dict):
        return {key: whole_floats_as_ints(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_floats_as_ints(item) for item in value]
    return value


@given(json_like(st.one_of(json_scalars, finite_floats)))
def test_json_round_trip(value: Any) -> None:
    wire = codec.json_value(value, "claims")
    assert same(codec.parse_json(wire), whole_floats_as_ints(value)), (value, wire)


@given(json_like(json_scalars))
def test_json_value_matches_boto3_type_serializer(value: Any) -> None:
    """Where boto3's TypeSerializer defines a wire form (no floats), ours is the same."""
    assert codec.json_value(value, "claims") == TypeSerializer().serialize(value)


@given(json_like(st.decimals(min_value=-(10**20), max_value=10**20, places=4)))
def test_json_value_decimals_match_boto3(value: Any) -> None:
    assert codec.json_value(value, "claims") == TypeSerializer().serialize(value)


def test_json_value_shapes() -> None:
    assert codec.json_value(None, "c") == {"NULL": True}
    assert codec.json_value(True, "c") == {"BOOL": True}
    assert codec.json_value(1, "c") == {"N": "1"}
    assert codec.json_value(1.0, "c") == {"N": "1"}  # as DynamoDB would normalise it
    assert codec.json_value(1.5, "c") == {"N": "1.5"}
    assert codec.json_value((1, "a"), "c") == {"L": [{"N": "1"}, {"S": "a"}]}
    assert codec.json_value({"a": {}}, "c") == {"M": {"a": {"M": {}}}}
    assert (
        codec.parse_json({"N": "1E+2"}) == 100 and type(codec.parse_json({"N": "1E+2"})) is Decimal
    )
    assert codec.parse_json({"N": "-7"}) == -7 and type(codec.parse_json({"N": "-7"})) is int


@pytest.mark.parametrize(
    "text", ["1.5E+30", "1.2345678901234567890123456789012345678", "-0.000000001", "9" * 38]
)
def test_json_numbers_read_exactly_never_through_float(text: str) -> None:
    """Issue 11: `{"N": "1.5E+30"}` came back as 1499999999999999889089448902656."""
    value = codec.parse_json({"M": {"n": {"N": text}}})["n"]
    assert type(value) in (int, Decimal) and value == Decimal(text)
    assert codec.json_value(value, "c") == {"N": str(value)}
    assert Decimal(codec.json_value(value, "c")["N"]) == Decimal(text)  # type: ignore[typeddict-item]


def test_json_bytes_and_sets_round_trip_as_boto3_writes_them() -> None:
    value = {"b": b"\x00\xff", "ss": {"a", "b"}, "ns": {1, Decimal("2.5")}, "bs": {b"x", b"y"}}
    wire: Any = codec.json_value(value, "c")
    boto: Any = TypeSerializer().serialize(value)
    assert wire["M"]["b"] == boto["M"]["b"] == {"B": b"\x00\xff"}
    for name, wire_type in (("ss", "SS"), ("ns", "NS"), ("bs", "BS")):
        assert sorted(wire["M"][name][wire_type]) == sorted(boto["M"][name][wire_type])
    assert codec.parse_json(wire) == value
    assert type(codec.parse_json({"NS": ["1", "2.5"]})) is set


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ({"a": [1, math.nan]}, ("claims.a[1]", "finite")),
        ({"a": {"b": math.inf}}, ("claims.a.b", "finite")),
        ([10**40 + 1], ("claims[0]", "significant digits")),
        ({1: "x"}, ("claims", "keys must be str")),
        ({"a": set()}, ("claims.a", "empty set")),
        ({"a": {1, "x"}}, ("claims.a", "only str, only numbers")),
        ({"a": {True}}, ("claims.a", "bool")),
        ({"a": {1.5}}, ("claims.a", "float")),
        (object(), ("claims", "is not a JSON value")),
    ],
)
def test_json_value_refuses(value: Any, parts: tuple[str, ...]) -> None:
    refused(lambda: codec.json_value(value, "claims"), *parts)


@pytest.mark.parametrize(
    "raw",
    [{"SS": []}, {"SS": ["a", "a"]}, {"NS": ["x"]}, {"B": "eA="}, {"B": 5}, {"BS": ["x"]}, {}],
)
def test_parse_json_refuses_non_json_wire_types(raw: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        codec.parse_json(raw)


def test_binary_reads_as_bytes_or_as_the_base64_text_the_direct_transport_leaves() -> None:
    """B and BS hold bytes through botocore, their base64 text through the direct transport
    (fastparse.load_items): both read as bytes; text that is not canonical base64 is refused."""
    assert codec.read_bytes(b"\x00x") == b"\x00x"
    assert codec.read_bytes("AHg=") == b"\x00x"
    assert codec.parse_json({"B": "AHg="}) == b"\x00x"
    assert codec.parse_json({"BS": ["AHg=", b"y"]}) == {b"\x00x", b"y"}
    assert codec.read_bytes_set(["AHg=", "eQ=="]) == {b"\x00x", b"y"}
    for bad in ("AHg", "AH*=", "é", 5, None, bytearray(b"x")):
        with pytest.raises(ValueError, match="expected bytes"):
            codec.read_bytes(bad)
    with pytest.raises(ValueError, match="twice"):
        codec.read_bytes_set(["eQ==", b"y"])  # the same member, once as text


def test_binary_decoded_makes_every_binary_value_bytes_at_any_depth() -> None:
    raw = {
        "b": {"B": "AHg="},
        "bs": {"BS": ["eQ=="]},
        "m": {"M": {"l": {"L": [{"B": "eQ=="}, {"S": "eQ=="}]}}},
        "kept": {"B": b"z"},
    }
    assert codec.item_binary_decoded(raw) == {
        "b": {"B": b"\x00x"},
        "bs": {"BS": [b"y"]},
        "m": {"M": {"l": {"L": [{"B": b"y"}, {"S": "eQ=="}]}}},
        "kept": {"B": b"z"},
    }
    assert raw["b"] == {"B": "AHg="}  # a copy: the raw item is left as it was


# ------------------------------------------------------------------ decode failures


def an_order() -> Order:
    return Order(
        customer_id="c1",
        order_id="o1",
        status=OrderStatus.PAID,
        total=Decimal("12.50"),
        placed_at=datetime.datetime(2024, 5, 1, 12, tzinfo=UTC),
        lines=[LineItem(sku="s1", qty=2, price=Decimal("6.25"))],
        note="hello",
        tags={"a"},
        shipping=Address(street="1 Main St", city="Springfield", zip="12345"),
        metadata={"k": "v"},
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=UTC),
        version=3,
        created_at=datetime.datetime(2024, 5, 1, tzinfo=UTC),
        updated_at=datetime.datetime(2024, 5, 2, tzinfo=UTC),
    )


def test_marshal_unmarshal_round_trip() -> None:
    order = an_order()
    assert unmarshal_order(marshal_order(order)) == order
    bare = dataclasses.replace(order, note=None, tags=set(), shipping=None, metadata=None)
    wire = marshal_order(bare)
    assert "n" not in wire and "tags" not in wire and "shipping" not in wire
    assert wire["customer_id"] == {"S": "c1"}
    assert unmarshal_order(wire).tags is None  # an empty set is not stored


def decode_error(mutate: Callable[[dict[str, Any]], object]) -> rt.ItemDecodeError:
    raw: dict[str, Any] = dict(marshal_order(an_order()))
    mutate(raw)
    with pytest.raises(rt.ItemDecodeError) as caught:
        unmarshal_order(raw)
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, rt.DynagenError)
    assert error.entity == "Order"
    assert "Order" in str(error)
    return error


def test_decode_names_a_missing_attribute_and_the_key() -> None:
    error = decode_error(lambda raw: raw.pop("total"))
    assert error.attribute == "total"
    assert error.detail == "required attribute is missing"
    assert error.key == {"customer_id": {"S": "c1"}, "order_id": {"S": "o1"}}
    assert "'total'" in str(error) and "c1" in str(error) and "o1" in str(error)


def test_decode_names_a_wrong_wire_type() -> None:
    error = decode_error(lambda raw: raw.__setitem__("total", {"S": "12"}))
    assert error.attribute == "total"
    assert "wrong wire type" in error.detail and "N" in error.detail and "S" in error.detail


def test_decode_names_a_bad_value() -> None:
    error = decode_error(lambda raw: raw.__setitem__("status", {"S": "bogus"}))
    assert error.attribute == "status"
    assert "bogus" in error.detail
    error = decode_error(lambda raw: raw.__setitem__("placed_at", {"S": "2024-01-01T00:00:00"}))
    assert error.attribute == "placed_at" and "timezone" in error.detail
    error = decode_error(lambda raw: raw.__setitem__("quantity", {"N": "1.5"}))
    assert error.attribute == "quantity" and "1.5" in error.detail


def test_decode_names_the_stored_name_when_it_differs() -> None:
    error = decode_error(lambda raw: raw.__setitem__("n", {"N": "1"}))
    assert error.attribute is not None
    assert error.attribute.startswith("note") and "'n'" in error.attribute


def test_decode_names_the_path_into_a_nested_record() -> None:
    error = decode_error(lambda raw: raw.__setitem__("shipping", {"M": {"street": {"S": "x"}}}))
    assert error.attribute == "shipping.city"
    assert error.detail == "required attribute is missing"
    assert error.key == {"customer_id": {"S": "c1"}, "order_id": {"S": "o1"}}


def test_decode_names_the_path_into_a_list_of_records() -> None:
    bad_line = {"M": {"sku": {"S": "s"}, "qty": {"S": "x"}, "price": {"N": "1"}}}
    error = decode_error(lambda raw: raw.__setitem__("lines", {"L": [bad_line]}))
    assert error.attribute is not None
    assert error.attribute.startswith("lines") and error.attribute.endswith("qty")


def test_decode_does_not_blame_the_container_for_a_bad_element() -> None:
    error = decode_error(lambda raw: raw.__setitem__("metadata", {"M": {"k": {"N": "1"}}}))
    assert error.attribute is not None and error.attribute.startswith("metadata")
    assert "found M" not in error.detail, error.detail


def test_decode_of_something_not_a_mapping() -> None:
    with pytest.raises(rt.ItemDecodeError) as caught:
        unmarshal_order(untyped([]))
    assert caught.value.attribute is None and "mapping" in caught.value.detail


def test_decode_other_entity_with_stored_names() -> None:
    entry = Entry(
        account_id="a1",
        seq=7,
        kind=EntryKind.DEBIT,
        amount=Decimal("-3.5"),
        booked_on=datetime.date(2024, 1, 31),
        comment="dotted",
        order_ref="hash",
        batch_ids={1, 2},
        fx_rates={Decimal("1.1")},
        labels=["x"],
        counters={"a": 1},
    )
    wire = marshal_entry(entry)
    assert wire["comment.text"] == {"S": "dotted"} and wire["order #ref"] == {"S": "hash"}
    assert wire["status"] == {"S": "posted"}
    assert unmarshal_entry(wire) == entry
    broken: dict[str, Any] = dict(wire)
    broken["booked_on"] = {"S": "2024-13-01"}
    with pytest.raises(rt.ItemDecodeError) as caught:
        unmarshal_entry(broken)
    assert caught.value.attribute == "booked_on"
    assert caught.value.key == {"account_id": {"S": "a1"}, "seq": {"N": "7"}}


def test_decode_failure_direct() -> None:
    fields: internal.FieldDecoders = (
        ("a", "a", lambda raw: raw["a"]["S"]),
        ("b", "stored b", lambda raw: int(raw["stored b"]["N"])),
    )
    error = codec.decode_failure("Thing", {"a": {"S": "x"}}, fields, ("a",), KeyError("stored b"))
    assert error.attribute == "b (stored as 'stored b')"
    assert error.detail == "required attribute is missing"
    assert error.key == {"a": {"S": "x"}}
    # every attribute decodes: the original error is reported on the item
    error = codec.decode_failure(
        "Thing", {"a": {"S": "x"}, "stored b": {"N": "1"}}, fields, (), RuntimeError("boom")
    )
    assert error.attribute is None and "boom" in error.detail and error.key is None
