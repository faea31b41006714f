"""get and delete on orders."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from dynagen import runtime as rt
from generated_example.orders import Order, OrderAttrs, OrdersTable, OrderStatus
from tests.integration.support import make_order


def test_get_and_delete_of_a_missing_item_return_none(orders: OrdersTable) -> None:
    assert orders.get("c1", "missing") is None
    assert orders.get("c1", "missing", consistent_read=True) is None
    assert orders.delete("c1", "missing") is None


def test_get_with_consistent_read_sees_the_latest_write(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    written = orders.put(dataclasses.replace(created, status=OrderStatus.SHIPPED))
    assert orders.get("c1", "o1", consistent_read=True) == written


def test_delete_returns_the_old_item_and_removes_it(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    assert orders.delete("c1", "o1") == created
    assert orders.get("c1", "o1", consistent_read=True) is None


def test_delete_with_the_expected_version_deletes(orders: OrdersTable) -> None:
    orders.create(make_order())
    orders.update("c1", "o1", set={"gift": True})
    deleted = orders.delete("c1", "o1", expected_version=2)
    assert deleted is not None and deleted.version == 2
    assert orders.get("c1", "o1", consistent_read=True) is None


def test_delete_with_a_stale_expected_version_is_a_version_conflict_and_keeps_the_item(
    orders: OrdersTable,
) -> None:
    orders.create(make_order())
    current = orders.update("c1", "o1", set={"gift": True})
    with pytest.raises(rt.VersionConflict) as caught:
        orders.delete("c1", "o1", expected_version=1)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert caught.value.item == current
    assert orders.get("c1", "o1", consistent_read=True) == current


def test_delete_with_a_false_condition_keeps_the_item(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    with pytest.raises(rt.ConditionFailed) as caught:
        orders.delete("c1", "o1", condition=OrderAttrs.total > Decimal("100"))
    assert isinstance(caught.value.item, Order) and caught.value.item == created
    assert orders.get("c1", "o1", consistent_read=True) == created


def test_delete_with_a_true_condition_deletes(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    condition = (OrderAttrs.total > Decimal("10")) & (OrderAttrs.status == OrderStatus.PENDING)
    assert orders.delete("c1", "o1", condition=condition) == created
    assert orders.get("c1", "o1", consistent_read=True) is None
