"""update on orders: set / add / remove / delete, versions, and typed conditions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dynagen import runtime as rt
from generated_example.orders import (
    Address,
    Order,
    OrderAttrs,
    OrderConditionFailed,
    OrdersTable,
    OrderStatus,
)
from tests.integration.support import make_order, raw_item

KEY = {"customer_id": {"S": "c1"}, "order_id": {"S": "o1"}}
LINE = make_order().lines[0]


@pytest.fixture
def stored(orders: OrdersTable) -> Order:
    """One pending order of 19.90 tagged {a, b}, without a note, stored at version 1."""
    return orders.create(make_order(tags={"a", "b"}))


def test_update_returns_the_item_as_stored(orders: OrdersTable, stored: Order) -> None:
    updated = orders.update("c1", "o1", set={"status": OrderStatus.PAID, "note": "hi"})
    assert updated.status is OrderStatus.PAID and updated.note == "hi"
    assert orders.get("c1", "o1", consistent_read=True) == updated


def test_update_always_increments_the_version_and_keeps_created_at(
    orders: OrdersTable, stored: Order
) -> None:
    assert orders.update("c1", "o1", set={"gift": True}).version == 2
    updated = orders.update("c1", "o1")
    assert updated.version == 3
    assert updated.created_at == stored.created_at


def test_update_of_a_missing_item_raises_item_not_found_and_creates_nothing(
    orders: OrdersTable,
) -> None:
    with pytest.raises(rt.ItemNotFound) as caught:
        orders.update("c1", "nope", set={"status": OrderStatus.PAID})
    assert caught.value.item is None
    assert raw_item(orders, {**KEY, "order_id": {"S": "nope"}}) is None


def test_update_with_the_expected_version_succeeds(orders: OrdersTable, stored: Order) -> None:
    updated = orders.update("c1", "o1", set={"quantity": 9}, expected_version=1)
    assert (updated.quantity, updated.version) == (9, 2)


def test_update_with_a_stale_expected_version_is_a_version_conflict(
    orders: OrdersTable, stored: Order
) -> None:
    orders.update("c1", "o1", set={"quantity": 2})
    with pytest.raises(rt.VersionConflict) as caught:
        orders.update("c1", "o1", set={"quantity": 3}, expected_version=1)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert isinstance(caught.value.item, Order) and caught.value.item.quantity == 2


def test_update_add_increments_numbers(orders: OrdersTable, stored: Order) -> None:
    updated = orders.update("c1", "o1", add={"quantity": 4, "total": Decimal("0.10")})
    assert (updated.quantity, updated.total) == (5, Decimal("20.00"))


def test_update_add_and_delete_set_members(orders: OrdersTable, stored: Order) -> None:
    assert orders.update("c1", "o1", add={"tags": {"c"}}).tags == {"a", "b", "c"}
    assert orders.update("c1", "o1", delete={"tags": {"a", "zzz"}}).tags == {"b", "c"}


def test_update_deleting_every_set_member_leaves_no_set(orders: OrdersTable, stored: Order) -> None:
    updated = orders.update("c1", "o1", delete={"tags": {"a", "b"}})
    assert not updated.tags
    assert "tags" not in (raw_item(orders, KEY) or {})


def test_update_add_to_a_missing_set_creates_it(orders: OrdersTable) -> None:
    orders.create(make_order())
    assert orders.update("c1", "o1", add={"tags": {"x"}}).tags == {"x"}


def test_update_set_replaces_values(orders: OrdersTable, stored: Order) -> None:
    address = Address(street="2 Side St", city="Shelbyville")
    updated = orders.update(
        "c1", "o1", set={"shipping": address, "tags": {"z"}, "metadata": {"k": "v"}}
    )
    assert (updated.shipping, updated.tags, updated.metadata) == (address, {"z"}, {"k": "v"})


def test_update_remove_drops_optional_attributes(orders: OrdersTable) -> None:
    orders.create(make_order(note="n", tags={"t"}, metadata={"k": "v"}))
    updated = orders.update("c1", "o1", remove=["note", "tags", "metadata"])
    assert (updated.note, updated.tags, updated.metadata) == (None, None, None)
    assert {"n", "tags", "metadata"}.isdisjoint(raw_item(orders, KEY) or {})


def test_update_set_none_removes_an_optional_attribute(orders: OrdersTable) -> None:
    orders.create(make_order(note="n", shipping=Address(street="s", city="c")))
    updated = orders.update("c1", "o1", set={"note": None, "shipping": None})
    assert (updated.note, updated.shipping) == (None, None)
    assert {"n", "shipping"}.isdisjoint(raw_item(orders, KEY) or {})


def test_update_set_empty_set_removes_the_set(orders: OrdersTable, stored: Order) -> None:
    assert not orders.update("c1", "o1", set={"tags": set()}).tags
    assert "tags" not in (raw_item(orders, KEY) or {})


TRUE_CONDITIONS: dict[str, rt.Condition[Order]] = {
    "==": OrderAttrs.status == OrderStatus.PENDING,
    ">": OrderAttrs.total > Decimal("10"),
    "not_exists": OrderAttrs.note.not_exists(),
    "&": (OrderAttrs.status == OrderStatus.PENDING) & (OrderAttrs.total <= Decimal("19.90")),
    "|": (OrderAttrs.status == OrderStatus.SHIPPED) | (OrderAttrs.quantity == 1),
    "~": ~(OrderAttrs.status == OrderStatus.CANCELLED),
    "in": OrderAttrs.status.in_(OrderStatus.PENDING, OrderStatus.PAID),
    "contains": OrderAttrs.tags.contains("a") & OrderAttrs.lines.contains(LINE),
    "begins_with": OrderAttrs.customer_id.begins_with("c"),
    "between": OrderAttrs.total.between(Decimal("1"), Decimal("20")),
    "size": OrderAttrs.lines.size() == 1,
}

FALSE_CONDITIONS: dict[str, rt.Condition[Order]] = {
    "==": OrderAttrs.status == OrderStatus.PAID,
    ">": OrderAttrs.total > Decimal("19.90"),
    "exists": OrderAttrs.note.exists(),
    "&": (OrderAttrs.status == OrderStatus.PENDING) & (OrderAttrs.total < Decimal("1")),
    "|": (OrderAttrs.status == OrderStatus.SHIPPED) | (OrderAttrs.quantity > 1),
    "~": ~(OrderAttrs.status == OrderStatus.PENDING),
    "in": OrderAttrs.status.in_(OrderStatus.SHIPPED, OrderStatus.CANCELLED),
    "<> on a key": OrderAttrs.order_id != "o1",
}


def test_update_with_a_true_condition_applies(orders: OrdersTable, stored: Order) -> None:
    for version, (name, condition) in enumerate(TRUE_CONDITIONS.items(), start=2):
        updated = orders.update("c1", "o1", set={"metadata": {"via": name}}, condition=condition)
        assert (updated.metadata, updated.version) == ({"via": name}, version), name


def test_update_with_a_false_condition_raises_condition_failed_and_changes_nothing(
    orders: OrdersTable, stored: Order
) -> None:
    for name, condition in FALSE_CONDITIONS.items():
        with pytest.raises(rt.ConditionFailed) as caught:
            orders.update("c1", "o1", set={"status": OrderStatus.PAID}, condition=condition)
        assert type(caught.value) is OrderConditionFailed, name
        assert caught.value.item == stored, name
    assert orders.get("c1", "o1", consistent_read=True) == stored


def test_update_with_right_version_but_false_condition_is_condition_failed(
    orders: OrdersTable, stored: Order
) -> None:
    with pytest.raises(rt.ConditionFailed) as caught:
        orders.update(
            "c1", "o1", set={"quantity": 5}, expected_version=1, condition=OrderAttrs.gift == True
        )
    assert type(caught.value) is OrderConditionFailed
