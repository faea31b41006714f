"""dynagen.runtime.expressions.builder: placeholders for one request, numbered once, never spliced."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynagen.runtime import expressions as rt
from dynagen.runtime.expressions.builder import ExpressionBuilder
from generated_example.user_sessions import SessionAttrs
from tests.runtime.support import n_attr, render, s_attr, untyped

PLACEHOLDER = re.compile(r"#n\d+|:v\d+")


def test_placeholders_in_order_of_first_use_and_deduplicated() -> None:
    builder = rt.ExpressionBuilder()
    assert builder.name("b") == "#n0"
    assert builder.name("a") == "#n1"
    assert builder.name("b") == "#n0"
    assert builder.value({"S": "x"}) == ":v0"
    assert builder.value({"N": "1"}) == ":v1"
    assert builder.value({"S": "x"}) == ":v0"
    assert builder.value({"S": "1"}) == ":v2"  # same text, other type: another value
    assert builder.value({"L": [{"S": "x"}, {"M": {"k": {"N": "1"}}}]}) == ":v3"
    assert builder.value({"L": [{"S": "x"}, {"M": {"k": {"N": "1"}}}]}) == ":v3"
    assert builder.value({"BOOL": True}) == ":v4"
    assert builder.value({"N": "1"}) == ":v1"
    assert builder.names == {"#n0": "b", "#n1": "a"}
    assert list(builder.values) == [":v0", ":v1", ":v2", ":v3", ":v4"]
    assert builder.values[":v2"] == {"S": "1"}


def test_apply_adds_only_what_was_used() -> None:
    assert rt.ExpressionBuilder().apply({"TableName": "t"}) == {"TableName": "t"}
    builder = rt.ExpressionBuilder()
    builder.name("a")
    assert builder.apply({}) == {"ExpressionAttributeNames": {"#n0": "a"}}
    builder.value({"S": "v"})
    assert builder.apply({})["ExpressionAttributeValues"] == {":v0": {"S": "v"}}


NASTY_NAMES = ["a.b", "status", "order #ref", "x:y", "with space", "#n0", ":v0", "size", "NOT"]


NASTY_VALUES = [":v0", "#n0", "a b", "x = y OR 1=1", "(", "'", '"', "AND", ""]


@pytest.mark.parametrize("name", NASTY_NAMES)
@pytest.mark.parametrize("value", NASTY_VALUES)
def test_names_and_values_are_never_spliced(name: str, value: str) -> None:
    condition = (s_attr(name) == value) & s_attr(name).begins_with(value) & s_attr(name).exists()
    text, names, values = render(condition)
    assert text == "(#n0 = :v0) AND (begins_with(#n0, :v0)) AND (attribute_exists(#n0))"
    assert names == {"#n0": name}
    assert values == {":v0": {"S": value}}


@given(names=st.lists(st.text(min_size=1), min_size=1, max_size=6), value=st.text())
def test_expression_text_holds_only_placeholders_and_grammar(names: list[str], value: str) -> None:
    condition: rt.Condition[Any] = s_attr(names[0]) == value
    for name in names[1:]:
        condition = condition | ~s_attr(name).contains(value)
    text, got_names, got_values = render(condition)
    leftover = PLACEHOLDER.sub("", text)
    assert re.fullmatch(r"[ ()=,A-Za-z_]*", leftover), text
    assert set(re.findall(r"[A-Za-z_]+", leftover)) <= {"OR", "NOT", "contains"}
    assert sorted(set(names)) == sorted(got_names.values())
    assert list(got_values.values()) == [{"S": value}]


def test_projection() -> None:
    builder = rt.ExpressionBuilder()
    assert builder.projection([rt.Path("a"), rt.Path("b", 0), rt.Path("a")]) == "#n0, #n1[0], #n0"


def test_path_rendering_with_list_indexes() -> None:
    builder = rt.ExpressionBuilder()
    assert builder.path(rt.Path("lines", 0, "price")) == "#n0[0].#n1"
    assert builder.path(rt.Path("lines", 12)) == "#n0[12]"
    assert builder.path(rt.Path("m", "lines", 1, 2, "a.b")) == "#n2.#n0[1][2].#n3"
    assert builder.names == {"#n0": "lines", "#n1": "price", "#n2": "m", "#n3": "a.b"}
    assert builder.path(rt.Path("a.b")) == "#n3"  # one name that holds a dot, not two
    assert repr(rt.Path("lines", 0, "price")) == "lines[0].price"
    assert rt.Path("a").child(3).child("b").elements == ("a", 3, "b")


def test_update_and_condition_share_one_builder() -> None:
    builder = rt.ExpressionBuilder()
    update = rt.Update().set(rt.Path("status"), {"S": "paid"}).add(rt.Path("version"), {"N": "1"})
    update_expression = update.render(builder)
    condition = (n_attr("version") == 1) & (s_attr("status") == "paid")
    condition_expression = condition.render(builder)
    assert update_expression == "SET #n0 = :v0 ADD #n1 :v1"
    assert condition_expression == "(#n1 = :v1) AND (#n0 = :v0)"
    assert builder.names == {"#n0": "status", "#n1": "version"}


def test_names_maps_placeholders_back_and_values_keep_the_wire_value() -> None:
    builder = ExpressionBuilder()
    wire: Any = {"M": {"k": {"SS": ["a", "b"]}}}
    assert builder.value(wire) == ":v0" and builder.name("x.y") == "#n0"
    assert builder.names == {"#n0": "x.y"}
    assert builder.values == {":v0": wire} and builder.values[":v0"] is wire
    builder.values.clear()  # a copy: the builder keeps its own
    assert builder.values == {":v0": wire}


def test_equal_values_of_other_types_never_share_a_placeholder() -> None:
    builder = ExpressionBuilder()
    wires: list[Any] = [
        {"N": "1"}, {"S": "1"}, {"BOOL": True}, {"N": "1.0"}, {"SS": ["1"]}, {"NS": ["1"]},
        {"L": [{"N": "1"}]}, {"M": {"1": {"N": "1"}}}, {"B": b"1"}, {"NULL": True},
    ]  # fmt: skip
    assert [builder.value(wire) for wire in wires] == [f":v{i}" for i in range(len(wires))]


def test_a_bytearray_value_gets_a_placeholder() -> None:
    builder = ExpressionBuilder()
    assert builder.value({"B": untyped(bytearray(b"ab"))}) == ":v0"
    text, _, values = render(SessionAttrs.token_hash == untyped(bytearray(b"\x00\x01")))
    assert text == "#n0 = :v0" and values == {":v0": {"B": bytearray(b"\x00\x01")}}


def test_memoryview_values_get_a_placeholder() -> None:
    assert render(SessionAttrs.token_hash == untyped(memoryview(b"ab")))[0] == "#n0 = :v0"


def test_decimal_strings_are_sent_as_given() -> None:
    """A number's text is not normalised: 1.50 goes out as 1.50 (DynamoDB compares by value)."""
    amount: rt.OrderedAttr[Any, Decimal, rt.Required] = rt.OrderedAttr(
        "a", lambda v: {"N": str(v)}, rt.Required
    )
    assert render(amount == Decimal("1.50"))[2] == {":v0": {"N": "1.50"}}
