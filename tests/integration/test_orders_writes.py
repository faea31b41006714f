"""create and put on orders: conditional create, upsert, optimistic locking and timestamps."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from dynagen import runtime as rt
from generated_example.orders import (
    Order,
    OrderAttrs,
    OrderConditionFailed,
    OrdersTable,
    OrderStatus,
)
from tests.integration.support import UTC, make_order


def test_create_sets_version_1_and_both_timestamps(orders: OrdersTable) -> None:
    before = datetime.datetime.now(UTC)
    created = orders.create(make_order())
    assert created.version == 1
    assert created.created_at is not None and created.created_at >= before
    assert created.updated_at == created.created_at
    assert orders.get("c1", "o1") == created


def test_create_on_existing_key_raises_item_already_exists_with_stored_item(
    orders: OrdersTable,
) -> None:
    stored = orders.create(make_order(note="first"))
    with pytest.raises(rt.ItemAlreadyExists) as caught:
        orders.create(make_order(note="second"))
    assert isinstance(caught.value.item, Order)
    assert caught.value.item == stored
    assert orders.get("c1", "o1") == stored


def test_put_of_a_new_item_with_version_0_inserts_it(orders: OrdersTable) -> None:
    written = orders.put(make_order())
    assert written.version == 1
    assert orders.get("c1", "o1") == written


def test_put_replaces_the_whole_item(orders: OrdersTable) -> None:
    first = orders.create(make_order(note="gone soon"))
    second = orders.put(dataclasses.replace(first, note=None, status=OrderStatus.PAID))
    stored = orders.get("c1", "o1")
    assert stored == second
    assert stored is not None and stored.note is None and stored.status is OrderStatus.PAID


def test_put_with_version_0_on_an_existing_item_is_a_version_conflict(orders: OrdersTable) -> None:
    stored = orders.create(make_order())
    with pytest.raises(rt.VersionConflict) as caught:
        orders.put(make_order(note="blind overwrite"))
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    assert caught.value.item == stored
    assert orders.get("c1", "o1") == stored


def test_put_with_a_stale_version_is_a_version_conflict(orders: OrdersTable) -> None:
    first = orders.create(make_order())
    second = orders.put(first)
    with pytest.raises(rt.VersionConflict) as caught:
        orders.put(dataclasses.replace(first, note="stale"))
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert caught.value.item == second
    assert orders.get("c1", "o1") == second


def test_put_with_a_version_on_a_missing_item_is_a_version_conflict(orders: OrdersTable) -> None:
    with pytest.raises(rt.VersionConflict) as caught:
        orders.put(make_order(version=3))
    assert (caught.value.expected, caught.value.actual) == (3, None)
    assert orders.get("c1", "o1") is None


def test_put_with_the_current_version_returns_version_plus_1(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    updated = orders.put(dataclasses.replace(created, quantity=5))
    assert updated.version == 2
    again = orders.put(updated)
    assert again.version == 3
    assert orders.get("c1", "o1", consistent_read=True) == again


def test_put_keeps_the_objects_created_at(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    assert created.created_at is not None
    written = orders.put(created)
    assert written.created_at == created.created_at
    chosen = datetime.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    rewritten = orders.put(dataclasses.replace(written, created_at=chosen))
    assert rewritten.created_at == chosen
    assert orders.get("c1", "o1") == rewritten


def test_put_with_created_at_none_sets_it_to_now(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    before = datetime.datetime.now(UTC)
    written = orders.put(dataclasses.replace(created, created_at=None))
    assert written.created_at is not None and written.created_at >= before
    assert orders.get("c1", "o1") == written


def test_updated_at_moves_on_create_put_and_update(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    written = orders.put(created)
    updated = orders.update("c1", "o1", set={"quantity": 2})
    assert created.updated_at is not None
    assert written.updated_at is not None and written.updated_at > created.updated_at
    assert updated.updated_at is not None and updated.updated_at > written.updated_at
    assert updated.created_at == created.created_at


def test_put_with_a_condition_writes_only_when_it_holds(orders: OrdersTable) -> None:
    created = orders.create(make_order())
    with pytest.raises(rt.ConditionFailed) as caught:
        orders.put(created, condition=OrderAttrs.status == OrderStatus.SHIPPED)
    assert type(caught.value) is OrderConditionFailed
    assert caught.value.item == created
    written = orders.put(created, condition=OrderAttrs.status == OrderStatus.PENDING)
    assert orders.get("c1", "o1") == written
