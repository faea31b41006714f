"""dynagen.runtime.expressions: placeholders, paths, conditions and update clauses."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynagen.runtime import errors
from dynagen.runtime import expressions as rt
from dynagen.runtime.expressions.updates import (
    AddValue,
    Append,
    DeleteValue,
    Prepend,
    Remove,
    SetIfNotExists,
    SetValue,
)
from dynagen.runtime.expressions.conditions import (
    MAX_IN_VALUES,
    Between,
    BoolOp,
    Comparison,
    Function,
    In,
    Not,
    PathOperand,
    ValueOperand,
)
from generated_example.ledger import EntryAttrs, LedgerTable
from generated_example.orders import LineItem, Order, OrderAttrs, OrderStatus

UTC = datetime.timezone.utc
PLACEHOLDER = re.compile(r"#n\d+|:v\d+")


def untyped(value: object) -> Any:
    return value


def render(condition: rt.Condition[Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    builder = rt.ExpressionBuilder()
    text = condition.render(builder)
    return text, builder.names, builder.values


def s_attr(name: str) -> rt.StringAttr[Any, str]:
    return rt.StringAttr(name, lambda value: {"S": value})


def n_attr(name: str) -> rt.OrderedAttr[Any, int]:
    return rt.OrderedAttr(name, lambda value: {"N": str(value)})


# ------------------------------------------------------------------ the builder


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


def test_same_condition_renders_the_same_text_every_time() -> None:
    def build() -> rt.Condition[Order]:
        return (OrderAttrs.total > Decimal(5)) & OrderAttrs.note.begins_with("x") | (
            OrderAttrs.status == OrderStatus.PAID
        )

    assert render(build()) == render(build())
    text, names, values = render(build())
    assert text == "((#n0 > :v0) AND (begins_with(#n1, :v1))) OR (#n2 = :v2)"
    assert names == {"#n0": "total", "#n1": "n", "#n2": "status"}
    assert values == {":v0": {"N": "5"}, ":v1": {"S": "x"}, ":v2": {"S": "paid"}}


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


# ------------------------------------------------------------------ paths


def test_path_rendering_with_list_indexes() -> None:
    builder = rt.ExpressionBuilder()
    assert builder.path(rt.Path("lines", 0, "price")) == "#n0[0].#n1"
    assert builder.path(rt.Path("lines", 12)) == "#n0[12]"
    assert builder.path(rt.Path("m", "lines", 1, 2, "a.b")) == "#n2.#n0[1][2].#n3"
    assert builder.names == {"#n0": "lines", "#n1": "price", "#n2": "m", "#n3": "a.b"}
    assert builder.path(rt.Path("a.b")) == "#n3"  # one name that holds a dot, not two
    assert repr(rt.Path("lines", 0, "price")) == "lines[0].price"
    assert rt.Path("a").child(3).child("b").elements == ("a", 3, "b")


@pytest.mark.parametrize(
    "elements",
    [(), (0,), (0, "a"), ("a", -1), ("",), ("a", "")],
    ids=["empty", "index-first", "index-then-name", "negative-index", "empty-name", "empty-key"],
)
def test_bad_paths_are_refused(elements: tuple[Any, ...]) -> None:
    with pytest.raises(errors.ValidationError):
        rt.Path(*elements)


def test_a_bool_is_not_a_list_index() -> None:
    with pytest.raises(errors.ValidationError):
        rt.Path("lines", True)


def test_projection() -> None:
    builder = rt.ExpressionBuilder()
    assert builder.projection([rt.Path("a"), rt.Path("b", 0), rt.Path("a")]) == "#n0, #n1[0], #n0"


# ------------------------------------------------------------------ conditions


START = datetime.datetime(2024, 1, 1, tzinfo=UTC)
END = datetime.datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("condition", "text", "values"),
    [
        (OrderAttrs.customer_id == "c1", "#n0 = :v0", [{"S": "c1"}]),
        (OrderAttrs.status != OrderStatus.PAID, "#n0 <> :v0", [{"S": "paid"}]),
        (OrderAttrs.total < Decimal("1.5"), "#n0 < :v0", [{"N": "1.5"}]),
        (OrderAttrs.total <= Decimal("1.5"), "#n0 <= :v0", [{"N": "1.5"}]),
        (OrderAttrs.quantity > 2, "#n0 > :v0", [{"N": "2"}]),
        (OrderAttrs.quantity >= 2, "#n0 >= :v0", [{"N": "2"}]),
        (Decimal(3) < OrderAttrs.total, "#n0 > :v0", [{"N": "3"}]),  # reflected
        (OrderAttrs.gift == True, "#n0 = :v0", [{"BOOL": True}]),  # noqa: E712
        (
            OrderAttrs.placed_at.between(START, END),
            "#n0 BETWEEN :v0 AND :v1",
            [{"S": "2024-01-01T00:00:00.000000Z"}, {"S": "2025-01-01T00:00:00.000000Z"}],
        ),
        (OrderAttrs.quantity.between(2, 2), "#n0 BETWEEN :v0 AND :v0", [{"N": "2"}]),
        (OrderAttrs.expires_at > START, "#n0 > :v0", [{"N": "1704067200"}]),
        (OrderAttrs.order_id.begins_with("2024"), "begins_with(#n0, :v0)", [{"S": "2024"}]),
        (OrderAttrs.note.contains("door"), "contains(#n0, :v0)", [{"S": "door"}]),
        (OrderAttrs.tags.contains("vip"), "contains(#n0, :v0)", [{"S": "vip"}]),
        (
            OrderAttrs.lines.contains(LineItem(sku="s", qty=1, price=Decimal(2))),
            "contains(#n0, :v0)",
            [{"M": {"sku": {"S": "s"}, "qty": {"N": "1"}, "price": {"N": "2"}}}],
        ),
        (OrderAttrs.tags == {"a"}, "#n0 = :v0", [{"SS": ["a"]}]),
        (OrderAttrs.note.exists(), "attribute_exists(#n0)", []),
        (OrderAttrs.shipping.not_exists(), "attribute_not_exists(#n0)", []),
        (OrderAttrs.note.is_type("S"), "attribute_type(#n0, :v0)", [{"S": "S"}]),
        (OrderAttrs.tags.size() > 2, "size(#n0) > :v0", [{"N": "2"}]),
        (OrderAttrs.lines.size() == 0, "size(#n0) = :v0", [{"N": "0"}]),
        (
            OrderAttrs.note.size().between(1, 9),
            "size(#n0) BETWEEN :v0 AND :v1",
            [{"N": "1"}, {"N": "9"}],
        ),
        (OrderAttrs.metadata.size() <= 3, "size(#n0) <= :v0", [{"N": "3"}]),
        (
            OrderAttrs.status.in_(OrderStatus.PAID, OrderStatus.SHIPPED),
            "#n0 IN (:v0, :v1)",
            [{"S": "paid"}, {"S": "shipped"}],
        ),
        (OrderAttrs.quantity.in_(1, 2, 1), "#n0 IN (:v0, :v1, :v0)", [{"N": "1"}, {"N": "2"}]),
        (~(OrderAttrs.quantity == 1), "NOT (#n0 = :v0)", [{"N": "1"}]),
        (~~OrderAttrs.note.exists(), "NOT (NOT (attribute_exists(#n0)))", []),
    ],
)
def test_condition_kinds_render(condition: rt.Condition[Any], text: str, values: list[Any]) -> None:
    got_text, names, got_values = render(condition)
    assert got_text == text
    assert list(got_values.values()) == values
    assert list(got_values) == [f":v{i}" for i in range(len(values))]
    assert set(names) == {"#n0"}


def test_stored_names_are_used_in_conditions() -> None:
    assert render(OrderAttrs.note == "x")[1] == {"#n0": "n"}
    assert render(EntryAttrs.entry_status == "void")[1] == {"#n0": "status"}
    assert render(EntryAttrs.comment.exists())[1] == {"#n0": "comment.text"}
    assert render(EntryAttrs.order_ref.begins_with("#"))[1] == {"#n0": "order #ref"}


def test_low_level_condition_classes() -> None:
    a = PathOperand(rt.Path("a"))
    one = ValueOperand({"N": "1"})
    assert render(Comparison("=", a, one))[0] == "#n0 = :v0"
    assert render(Between(a, one, ValueOperand({"N": "2"})))[0] == "#n0 BETWEEN :v0 AND :v1"
    assert render(In(a, [one]))[0] == "#n0 IN (:v0)"
    assert render(Function("attribute_exists", rt.Path("a", 0)))[0] == "attribute_exists(#n0[0])"
    assert render(Not(Comparison("=", a, one)))[0] == "NOT (#n0 = :v0)"
    assert render(rt.attribute_not_exists("pk"))[:2] == ("attribute_not_exists(#n0)", {"#n0": "pk"})
    assert "#n0 = :v0" in repr(Comparison("=", a, one))


def test_and_or_flatten_only_the_same_operator() -> None:
    a, b, c, d = (n_attr(name) == 1 for name in "abcd")
    left = (a & b) & c
    right = a & (b & c)
    for condition in (left, right):
        assert isinstance(condition, BoolOp) and len(condition.parts) == 3
        assert render(condition)[0] == "(#n0 = :v0) AND (#n1 = :v0) AND (#n2 = :v0)"
    assert (
        render((a | b) | (c | d))[0] == "(#n0 = :v0) OR (#n1 = :v0) OR (#n2 = :v0) OR (#n3 = :v0)"
    )
    assert render((a | b) & c)[0] == "((#n0 = :v0) OR (#n1 = :v0)) AND (#n2 = :v0)"
    assert render((a & b) | c)[0] == "((#n0 = :v0) AND (#n1 = :v0)) OR (#n2 = :v0)"
    assert render(~(a & b) & c)[0] == "(NOT ((#n0 = :v0) AND (#n1 = :v0))) AND (#n2 = :v0)"


def test_all_of() -> None:
    a, b = n_attr("a") == 1, n_attr("b") == 2
    assert rt.all_of() is None
    assert rt.all_of(None, None) is None
    assert rt.all_of(None, a) is a
    both = rt.all_of(a, None, b)
    assert both is not None and render(both)[0] == "(#n0 = :v0) AND (#n1 = :v1)"


def test_a_condition_has_no_truth_value() -> None:
    condition = n_attr("a") == 1
    with pytest.raises(TypeError, match="no truth value"):
        bool(condition)
    with pytest.raises(TypeError):
        condition and condition  # noqa: B018
    with pytest.raises(TypeError):
        not condition  # noqa: B018
    with pytest.raises(TypeError):
        if condition:
            pass
    with pytest.raises(TypeError):
        1 < n_attr("a") < 5  # noqa: B015 - chained, so it needs a truth value


@pytest.mark.parametrize("other", [True, 1, "a = 1", None, n_attr("a")])
def test_combining_with_a_non_condition_raises(other: Any) -> None:
    condition = n_attr("a") == 1
    with pytest.raises(TypeError, match="expected a Condition"):
        condition & other
    with pytest.raises(TypeError, match="expected a Condition"):
        condition | other


def test_attributes_are_not_hashable() -> None:
    with pytest.raises(TypeError):
        hash(OrderAttrs.total)


def test_in_needs_1_to_100_values() -> None:
    with pytest.raises(errors.ValidationError, match="at least one"):
        OrderAttrs.quantity.in_()
    with pytest.raises(errors.ValidationError, match="at most 100"):
        OrderAttrs.quantity.in_(*range(MAX_IN_VALUES + 1))
    text, _, values = render(OrderAttrs.quantity.in_(*range(MAX_IN_VALUES)))
    assert MAX_IN_VALUES == 100
    assert len(values) == 100 and text.count(":v") == 100 and text.endswith(":v99)")


def test_typed_references_encode_through_the_codec() -> None:
    with pytest.raises(errors.ValidationError, match="total"):
        OrderAttrs.total == untyped("12")  # noqa: B015
    with pytest.raises(errors.ValidationError, match="placed_at"):
        OrderAttrs.placed_at < datetime.datetime(2024, 1, 1)  # noqa: B015
    with pytest.raises(errors.ValidationError, match="customer_id"):
        OrderAttrs.customer_id == ""  # noqa: B015
    with pytest.raises(errors.ValidationError, match="quantity"):
        OrderAttrs.quantity == True  # noqa: B015, E712


# ------------------------------------------------------------------ updates


def update_text(update: rt.Update) -> tuple[str, dict[str, str], dict[str, Any]]:
    builder = rt.ExpressionBuilder()
    text = update.render(builder)
    return text, builder.names, builder.values


def test_update_clauses_render_in_order() -> None:
    update = (
        rt.Update()
        .delete(rt.Path("tags"), {"SS": ["old"]})
        .add(rt.Path("version"), {"N": "1"})
        .remove(rt.Path("note"))
        .set(rt.Path("status"), {"S": "paid"})
        .add_action(SetIfNotExists(rt.Path("created"), {"S": "now"}))
        .add_action(Append(rt.Path("lines"), {"L": [{"S": "x"}]}))
        .add_action(Prepend(rt.Path("log"), {"L": [{"S": "y"}]}))
        .remove(rt.Path("shipping", "zip"))
    )
    text, names, values = update_text(update)
    assert text == (
        "SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1), "
        "#n2 = list_append(if_not_exists(#n2, :v3), :v2), "
        "#n3 = list_append(:v4, if_not_exists(#n3, :v3)) "
        "REMOVE #n4, #n5.#n6 "
        "ADD #n7 :v5 "
        "DELETE #n8 :v6"
    )
    assert names == {
        "#n0": "status",
        "#n1": "created",
        "#n2": "lines",
        "#n3": "log",
        "#n4": "note",
        "#n5": "shipping",
        "#n6": "zip",
        "#n7": "version",
        "#n8": "tags",
    }
    assert values == {
        ":v0": {"S": "paid"},
        ":v1": {"S": "now"},
        ":v2": {"L": [{"S": "x"}]},
        ":v3": {"L": []},
        ":v4": {"L": [{"S": "y"}]},
        ":v5": {"N": "1"},
        ":v6": {"SS": ["old"]},
    }


def test_single_clause_updates() -> None:
    assert update_text(rt.Update().remove(rt.Path("a")))[0] == "REMOVE #n0"
    assert update_text(rt.Update().add(rt.Path("a"), {"N": "2"}))[0] == "ADD #n0 :v0"
    assert update_text(rt.Update().delete(rt.Path("a"), {"NS": ["2"]}))[0] == "DELETE #n0 :v0"
    assert update_text(rt.Update().set(rt.Path("a", 3), {"N": "2"}))[0] == "SET #n0[3] = :v0"
    assert update_text(rt.Update())[0] == ""
    assert not rt.Update()
    assert rt.Update().remove(rt.Path("a"))


@pytest.mark.parametrize(
    "second", [SetValue, SetIfNotExists, Append, Prepend, Remove, AddValue, DeleteValue]
)
def test_the_same_path_twice_is_refused(second: type[rt.Action[Any]]) -> None:
    update = rt.Update().set(rt.Path("a", 0, "b"), {"S": "x"})
    with pytest.raises(errors.ValidationError, match="twice"):
        update.add_action(second(rt.Path("a", 0, "b"), {"N": "1"}))


@pytest.mark.parametrize(
    ("first", "second"),
    [(("a",), ("a", "b")), (("a", "b"), ("a",)), (("a", 0), ("a", 0, "c")), (("m", "k"), ("m",))],
)
def test_overlapping_paths_are_refused(first: tuple[Any, ...], second: tuple[Any, ...]) -> None:
    """DynamoDB refuses a path together with a part of it ("two document paths overlap")."""
    update = rt.Update().set(rt.Path(*first), {"S": "x"})
    with pytest.raises(errors.ValidationError, match="overlap"):
        update.remove(rt.Path(*second))


def test_different_paths_are_fine() -> None:
    update = rt.Update().set(rt.Path("a", "b"), {"S": "x"}).set(rt.Path("a", "c"), {"S": "x"})
    update.remove(rt.Path("d", 0)).add(rt.Path("b"), {"N": "1"})
    assert update_text(update)[0] == "SET #n0.#n1 = :v0, #n0.#n2 = :v0 REMOVE #n3[0] ADD #n1 :v1"


def test_update_and_condition_share_one_builder() -> None:
    builder = rt.ExpressionBuilder()
    update = rt.Update().set(rt.Path("status"), {"S": "paid"}).add(rt.Path("version"), {"N": "1"})
    update_expression = update.render(builder)
    condition = (n_attr("version") == 1) & (s_attr("status") == "paid")
    condition_expression = condition.render(builder)
    assert update_expression == "SET #n0 = :v0 ADD #n1 :v1"
    assert condition_expression == "(#n1 = :v1) AND (#n0 = :v0)"
    assert builder.names == {"#n0": "status", "#n1": "version"}


# ------------------------------------------------------------------ a generated update request


class RecordingClient:
    """Just enough of a boto3 client for one UpdateItem: records the request."""

    def __init__(self, attributes: dict[str, Any]) -> None:
        self.requests: list[dict[str, Any]] = []
        self.attributes = attributes

    def update_item(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        return {"Attributes": self.attributes}


def test_generated_update_request_uses_placeholders_only() -> None:
    from generated_example.ledger import Entry, EntryKind, marshal_entry

    stored = Entry(
        account_id="a1",
        seq=1,
        kind=EntryKind.CREDIT,
        amount=Decimal(1),
        booked_on=datetime.date(2024, 1, 1),
        version=4,
    )
    client = RecordingClient(marshal_entry(stored))
    ledger = LedgerTable(untyped(client), table_name="ledger-test")
    ledger.update(
        "a1",
        1,
        set={"comment": "a: b #c", "entry_status": "void", "order_ref": "#n0"},
        remove=["batch_ids"],
        condition=EntryAttrs.entry_status == "posted",
        expected_version=4,
    )
    ledger.update(
        "a1",
        1,
        set={"comment": "a: b #c", "entry_status": "void", "order_ref": "#n0"},
        remove=["batch_ids"],
        condition=EntryAttrs.entry_status == "posted",
        expected_version=4,
    )
    first, second = client.requests
    assert first["UpdateExpression"] == second["UpdateExpression"]
    assert first["ConditionExpression"] == second["ConditionExpression"]
    assert first["ExpressionAttributeNames"] == second["ExpressionAttributeNames"]
    texts = first["UpdateExpression"] + " " + first["ConditionExpression"]
    leftover = PLACEHOLDER.sub("", texts)
    for spliced in ("comment", "status", "order", "ref", "void", "posted", "batch"):
        assert spliced not in leftover, (spliced, texts)
    names = first["ExpressionAttributeNames"]
    assert {"comment.text", "status", "order #ref", "batch_ids", "version"} <= set(names.values())
    assert sorted(names) == [f"#n{i}" for i in range(len(names))]
    values = first["ExpressionAttributeValues"]
    assert sorted(values, key=lambda p: int(p[2:])) == [f":v{i}" for i in range(len(values))]
    assert {"S": "a: b #c"} in values.values() and {"S": "#n0"} in values.values()
    assert {"N": "4"} in values.values()
