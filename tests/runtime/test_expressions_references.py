"""dynagen.runtime.expressions.references: typed attribute references, their operators and actions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from dynagen.runtime import errors
from dynagen.runtime import expressions as rt
from dynagen.runtime.expressions.builder import ExpressionBuilder
from dynagen.runtime.expressions.updates import Append, Prepend, Remove, SetIfNotExists, SetValue
from generated_example.ledger import EntryAttrs
from generated_example.orders import LineItem, Order, OrderAttrs, OrderStatus
from tests.runtime.support import render, untyped

UTC = datetime.timezone.utc


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


def test_attributes_are_not_hashable() -> None:
    with pytest.raises(TypeError):
        hash(OrderAttrs.total)


def test_typed_references_encode_through_the_codec() -> None:
    with pytest.raises(errors.ValidationError, match="total"):
        OrderAttrs.total == untyped("12")  # noqa: B015
    with pytest.raises(errors.ValidationError, match="placed_at"):
        OrderAttrs.placed_at < datetime.datetime(2024, 1, 1)  # noqa: B015
    with pytest.raises(errors.ValidationError, match="customer_id"):
        OrderAttrs.customer_id == ""  # noqa: B015
    with pytest.raises(errors.ValidationError, match="quantity"):
        OrderAttrs.quantity == True  # noqa: B015, E712


def test_actions_from_references_carry_their_path_and_encoded_value() -> None:
    city = OrderAttrs.shipping.city.set("Springfield")
    assert isinstance(city, SetValue) and city.path == rt.Path("shipping", "city")
    assert city.wire == {"S": "Springfield"}
    once = OrderAttrs.quantity.set_if_not_exists(2)
    assert isinstance(once, SetIfNotExists) and once.wire == {"N": "2"}
    gone = OrderAttrs.lines[1].remove()
    assert isinstance(gone, Remove) and gone.path == rt.Path("lines", 1) and gone.wire is None
    line = LineItem(sku="s", qty=1, price=Decimal(2))
    wire = {"L": [{"M": {"sku": {"S": "s"}, "qty": {"N": "1"}, "price": {"N": "2"}}}]}
    appended = OrderAttrs.lines.append([line])
    assert isinstance(appended, Append) and appended.wire == wire
    prepended = OrderAttrs.lines.prepend([line])
    assert isinstance(prepended, Prepend) and prepended.wire == wire


def test_element_and_value_references_are_typed_by_their_path() -> None:
    assert render(OrderAttrs.lines[2].qty > 1)[:2] == (
        "#n0[2].#n1 > :v0",
        {"#n0": "lines", "#n1": "qty"},
    )
    assert render(OrderAttrs.metadata["channel"] == "web")[:2] == (
        "#n0.#n1 = :v0",
        {"#n0": "metadata", "#n1": "channel"},
    )


@pytest.mark.parametrize("index", [-1, True, 1.0, "0"])
def test_a_list_index_must_be_a_non_negative_int(index: Any) -> None:
    with pytest.raises(errors.ValidationError, match="list index"):
        OrderAttrs.lines[index]


@pytest.mark.parametrize("key", ["", 0, None])
def test_a_map_key_must_be_a_non_empty_str(key: Any) -> None:
    with pytest.raises(errors.ValidationError, match="map key"):
        OrderAttrs.metadata[key]


def test_an_empty_set_cannot_be_sent() -> None:
    with pytest.raises(errors.ValidationError, match="empty set"):
        OrderAttrs.tags == set()  # noqa: B015
    with pytest.raises(errors.ValidationError, match="empty set"):
        OrderAttrs.tags.set(set())


def test_a_value_of_the_wrong_type_is_named() -> None:
    with pytest.raises(errors.ValidationError, match=r"^lines\[0\]: expected LineItem, got int"):
        OrderAttrs.lines[0].set(untyped(3))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: OrderAttrs.shipping.city.set(untyped(5)), "shipping.city: expected str, got int"),
        (lambda: OrderAttrs.lines[1].qty == untyped("x"), "lines[1].qty: expected int, got str"),
        (
            lambda: OrderAttrs.lines[0].price.increment(untyped(1.5)),
            "lines[0].price: expected Decimal",
        ),
    ],
)
def test_a_nested_value_of_the_wrong_type_names_its_whole_path(make: Any, message: str) -> None:
    """Issue 11: the message named `rating`, not `info.rating`."""
    with pytest.raises(errors.ValidationError) as caught:
        make()
    assert str(caught.value).startswith(message)


def test_references_repr() -> None:
    assert repr(OrderAttrs.shipping.city) == "StringAttr(shipping.city)"
    assert repr(OrderAttrs.total) == "NumberAttr(total)"


def test_a_number_increments_atomically_at_any_depth() -> None:
    """SET path = if_not_exists(path, 0) + amount: ADD cannot reach nested counters."""
    rating: rt.NumberAttr[Any, int, rt.Required] = rt.NumberAttr(
        rt.Path("info", "rating"), lambda v: {"N": str(v)}, rt.Required
    )
    update = rt.Update().add_action(rating.increment(2))
    builder = ExpressionBuilder()
    assert update.render(builder) == "SET #n0.#n1 = if_not_exists(#n0.#n1, :v1) + :v0"
    assert builder.values == {":v0": {"N": "2"}, ":v1": {"N": "0"}}
    assert not update.idempotent  # a second application would count twice
