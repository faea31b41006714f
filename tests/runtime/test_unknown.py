"""dynagen.runtime.unknown: attributes the spec does not name, kept and written back."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from dynagen import naming
from dynagen import runtime as rt
from dynagen.runtime import unknown
from generated_example.orders import (
    LineItem,
    Order,
    OrderStatus,
    OrderByTotal,
    marshal_order,
    unmarshal_order,
)

UTC = datetime.timezone.utc


def an_order() -> Order:
    return Order(
        customer_id="c1",
        order_id="o1",
        status=OrderStatus.PAID,
        total=Decimal("1.5"),
        placed_at=datetime.datetime(2024, 1, 1, tzinfo=UTC),
        lines=[LineItem(sku="a", qty=1, price=Decimal(1))],
    )


def test_the_generator_and_the_runtime_name_the_same_field() -> None:
    assert naming.UNKNOWN_FIELD == unknown.UNKNOWN_FIELD
    assert unknown.UNKNOWN_FIELD in {f.name for f in dataclasses.fields(Order)}
    assert unknown.UNKNOWN_FIELD not in {f.name for f in dataclasses.fields(OrderByTotal)}


def test_unknown_takes_only_what_is_not_known() -> None:
    raw = {"a": {"S": "1"}, "b": {"N": "2"}}
    assert unknown.unknown(raw, frozenset({"a", "b"})) == {}
    assert unknown.unknown(raw, frozenset({"a"})) == {"b": {"N": "2"}}


def test_add_unknown_never_overrides_the_specs_own_names() -> None:
    out: dict[str, rt.AttributeValue] = {"a": {"S": "mine"}}
    unknown.add_unknown(
        out, {"a": {"S": "theirs"}, "n": {"S": "x"}, "z": {"S": "z"}}, frozenset({"a", "n"})
    )
    assert out == {"a": {"S": "mine"}, "z": {"S": "z"}}


def test_round_trip_through_the_fast_and_the_slow_path() -> None:
    wire = marshal_order(an_order())
    wire["extra"] = {"BOOL": True}
    wire["lines"]["L"][0]["M"]["more"] = {"S": "x"}  # type: ignore[typeddict-item]
    assert marshal_order(unmarshal_order(wire)) == wire
    slow = dict(wire, total={"N": "15E-1"})  # a form only the slow path reads
    read = unmarshal_order(slow)
    assert rt.unknown_attributes(read) == {"extra": {"BOOL": True}}
    assert rt.unknown_attributes(read.lines[0]) == {"more": {"S": "x"}}
    read.total = 3  # type: ignore[assignment]  # an int: marshal takes the slow path too
    assert marshal_order(read)["extra"] == {"BOOL": True}


def test_unknown_attributes_of_something_else_is_refused() -> None:
    with pytest.raises(rt.ValidationError, match="keeps no unknown attributes"):
        rt.unknown_attributes(object())
