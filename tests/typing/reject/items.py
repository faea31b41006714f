"""Items: wrong types to create/put, unknown fields, None for required fields, Optional results."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from generated_example.ledger import Entry
from generated_example.orders import Order, OrdersTable, OrderStatus

UTC = datetime.timezone.utc


def wrong_items(orders: OrdersTable, raw: dict[str, Any], entry: Entry) -> None:
    orders.create({"customer_id": "c1", "order_id": "o1"})  # E: Argument 1 to "create"
    orders.create(raw)  # E: Argument 1 to "create" of "OrdersTable" has incompatible type
    orders.put(entry)  # E: Argument 1 to "put" of "OrdersTable" has incompatible type "Entry"


def reading_fields(order: Order) -> None:
    print(order.totl)  # E: "Order" has no attribute "totl"
    print(order.n)  # E: "Order" has no attribute "n"
    note: str = order.note  # E: Incompatible types in assignment
    city = order.shipping.city  # E: Item "None" of "Address | None" has no attribute "city"
    count: int = len(order.tags)  # E: Argument 1 to "len" has incompatible type
    total: int = order.total  # E: Incompatible types in assignment
    assert note and city and count and total


def building_items() -> list[Order]:
    now = datetime.datetime.now(UTC)
    return [
        Order(
            customer_id="c1",
            order_id="o1",
            status=OrderStatus.PAID,
            total=None,  # E: Argument "total" to "Order" has incompatible type "None"
            placed_at=now,
            lines=[],
        ),
        Order(
            customer_id=None,  # E: Argument "customer_id" to "Order" has incompatible type "None"
            order_id="o1",
            status="paid",  # E: Argument "status" to "Order" has incompatible type "str"
            total=Decimal(1),
            placed_at=now,
            lines=[],
        ),
        Order(  # E: Missing positional argument "placed_at" in call to "Order"
            customer_id="c1",
            order_id="o1",
            status=OrderStatus.PAID,
            total=Decimal(1),
            lines=[],
        ),
    ]


def without_a_none_check(orders: OrdersTable) -> Decimal:
    order: Order = orders.get("c1", "o1")  # E: Incompatible types in assignment
    deleted: Order = orders.delete("c1", "o1")  # E: Incompatible types in assignment
    return orders.get("c1", "o1").total  # E: Item "None" of "Order | None" has no attribute "total"
