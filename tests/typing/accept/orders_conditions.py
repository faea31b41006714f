"""Typed conditions from OrderAttrs: every operator the spec lists, combined every way."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dynagen import runtime as rt
from generated_example.orders import (
    Address,
    LineItem,
    Order,
    OrderAttrs,
    OrdersTable,
    OrderStatus,
)

UTC = datetime.timezone.utc


def comparisons() -> list[rt.Condition[Order]]:
    start = datetime.datetime(2024, 1, 1, tzinfo=UTC)
    end = datetime.datetime(2025, 1, 1, tzinfo=UTC)
    return [
        OrderAttrs.customer_id == "c1",
        OrderAttrs.order_id != "o1",
        OrderAttrs.status == OrderStatus.PAID,
        OrderAttrs.status != OrderStatus.CANCELLED,
        OrderAttrs.total < Decimal("100"),
        OrderAttrs.total <= Decimal("100"),
        OrderAttrs.total > Decimal("0"),
        OrderAttrs.total >= Decimal("0.01"),
        OrderAttrs.quantity == 2,
        OrderAttrs.quantity > 1,
        OrderAttrs.gift == True,  # noqa: E712 - builds a condition, not a bool
        OrderAttrs.gift != False,  # noqa: E712
        OrderAttrs.placed_at.between(start, end),
        OrderAttrs.total.between(Decimal(1), Decimal(10)),
        OrderAttrs.placed_at < end,
        OrderAttrs.expires_at > start,
        OrderAttrs.version == 3,
        OrderAttrs.created_at <= end,
        OrderAttrs.updated_at >= start,
        OrderAttrs.note == "fragile",
        OrderAttrs.order_id < "o5",
        OrderAttrs.order_id.between("o1", "o9"),
        OrderAttrs.order_id.begins_with("2024-"),
        OrderAttrs.note.begins_with("please"),
        OrderAttrs.note.contains("door"),
        OrderAttrs.tags.contains("vip"),
        OrderAttrs.lines.contains(LineItem(sku="s", qty=1, price=Decimal(2))),
        OrderAttrs.tags == {"a", "b"},
        OrderAttrs.shipping == Address(street="s", city="c"),
        OrderAttrs.metadata == {"channel": "web"},
        OrderAttrs.lines == [],
    ]


def existence_and_size() -> list[rt.Condition[Order]]:
    return [
        OrderAttrs.note.exists(),
        OrderAttrs.shipping.not_exists(),
        OrderAttrs.tags.exists(),
        OrderAttrs.version.not_exists(),
        OrderAttrs.tags.size() > 2,
        OrderAttrs.lines.size() == 0,
        OrderAttrs.lines.size().between(1, 10),
        OrderAttrs.note.size() <= 140,
        OrderAttrs.order_id.size() >= 3,
        OrderAttrs.shipping.size() < 4,
        OrderAttrs.metadata.size() != 0,
        OrderAttrs.status.in_(OrderStatus.PAID, OrderStatus.SHIPPED),
        OrderAttrs.quantity.in_(1, 2, 3),
        OrderAttrs.total.in_(*[Decimal(n) for n in range(5)]),
        OrderAttrs.note.is_type("S"),
    ]


def combined() -> rt.Condition[Order]:
    paid = OrderAttrs.status == OrderStatus.PAID
    big = OrderAttrs.total >= Decimal("100")
    tagged = OrderAttrs.tags.contains("vip")
    either: rt.Condition[Order] = paid | big
    both: rt.Condition[Order] = paid & big
    negated: rt.Condition[Order] = ~tagged
    nested = (either & ~both) | (negated & OrderAttrs.note.not_exists())
    combined: rt.Condition[Order] = nested & OrderAttrs.customer_id.exists()
    maybe: rt.Condition[Order] | None = rt.all_of(paid, None, big)
    if maybe is not None:
        combined = combined | maybe
    return combined


def conditional_writes(orders: OrdersTable, order: Order) -> Order:
    condition = combined()
    written = orders.put(order, condition=condition)
    written = orders.create(order, condition=OrderAttrs.customer_id.not_exists())
    updated = orders.update(
        written.customer_id,
        written.order_id,
        set={"status": OrderStatus.SHIPPED},
        condition=(OrderAttrs.status == OrderStatus.PAID) & (OrderAttrs.total > Decimal(0)),
        expected_version=written.version,
    )
    orders.delete(
        updated.customer_id,
        updated.order_id,
        condition=~(OrderAttrs.status == OrderStatus.SHIPPED) | OrderAttrs.gift.exists(),
    )
    return updated
