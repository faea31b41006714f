"""Realistic create / put / get / update / delete call sites of OrdersTable."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Iterable

from mypy_boto3_dynamodb.client import DynamoDBClient
from dynagen import runtime as rt
from generated_example.orders import (
    Address,
    LineItem,
    Order,
    OrderAdd,
    OrderAttrs,
    OrderDelete,
    OrderRemovable,
    OrderSet,
    OrdersTable,
    OrderStatus,
    marshal_order,
    order_key,
    unmarshal_order,
)

UTC = datetime.timezone.utc


def make_table(client: DynamoDBClient) -> OrdersTable:
    table = OrdersTable(client, table_name="orders-test")
    default = OrdersTable()
    with_retry = OrdersTable(client, retry=rt.RetryPolicy(max_attempts=3, base_delay=0.01))
    name: str = default.table_name
    same: DynamoDBClient = with_retry.client
    assert name and same
    return table


def new_order(customer_id: str, order_id: str) -> Order:
    return Order(
        customer_id=customer_id,
        order_id=order_id,
        status=OrderStatus.PENDING,
        total=Decimal("12.50"),
        placed_at=datetime.datetime.now(UTC),
        lines=[LineItem(sku="sku-1", qty=2, price=Decimal("6.25"))],
        gift=True,
        note="leave at the door",
        tags={"new", "web"},
        shipping=Address(street="1 Main St", city="Springfield"),
        metadata={"channel": "web"},
        expires_at=datetime.datetime(2030, 1, 1, tzinfo=UTC),
    )


def create_and_read(orders: OrdersTable) -> Decimal:
    created: Order = orders.create(new_order("c1", "o1"))
    version: int = created.version
    created_at: datetime.datetime | None = created.created_at
    updated_at: datetime.datetime | None = created.updated_at
    assert version == 1 and created_at is not None and updated_at is not None

    maybe: Order | None = orders.get("c1", "o1")
    if maybe is None:
        return Decimal(0)
    order: Order = maybe
    customer_id: str = order.customer_id
    status: OrderStatus = order.status
    status_text: str = order.status.value
    total: Decimal = order.total
    quantity: int = order.quantity
    gift: bool = order.gift
    placed_at: datetime.datetime = order.placed_at
    note: str | None = order.note
    tags: set[str] | None = order.tags
    metadata: dict[str, str] | None = order.metadata
    expires_at: datetime.datetime | None = order.expires_at
    first_price: Decimal = order.lines[0].price
    first_qty: int = order.lines[0].qty
    sku: str = order.lines[0].sku
    city: str | None = order.shipping.city if order.shipping is not None else None
    zip_code: str | None = order.shipping.zip if order.shipping else None
    assert customer_id and status and status_text and placed_at and sku
    assert note is None or tags is None or metadata is None or expires_at is None or city
    assert zip_code is None or gift
    return total * quantity + first_price * first_qty


def read_consistently(orders: OrdersTable, customer_id: str, order_id: str) -> Order:
    order = orders.get(customer_id, order_id, consistent_read=True)
    if order is None:
        raise LookupError(f"no order {customer_id}/{order_id}")
    return order


def replace(orders: OrdersTable, order: Order) -> Order:
    order.status = OrderStatus.PAID
    order.tags = None
    order.note = None
    saved: Order = orders.put(order)
    guarded: Order = orders.put(saved, condition=OrderAttrs.status == OrderStatus.PAID)
    return guarded


def updates(orders: OrdersTable) -> list[Order]:
    results: list[Order] = []
    results.append(orders.update("c1", "o1", set={"status": OrderStatus.PAID}))
    results.append(
        orders.update(
            "c1",
            "o1",
            set={
                "total": Decimal("99.99"),
                "quantity": 3,
                "gift": False,
                "placed_at": datetime.datetime.now(UTC),
                "note": None,
                "tags": {"a", "b"},
                "lines": [LineItem(sku="x", qty=1, price=Decimal(1))],
                "shipping": Address(street="2 Side St", city="Shelbyville", zip="12345"),
                "metadata": {"k": "v"},
                "expires_at": None,
            },
            expected_version=3,
        )
    )
    results.append(orders.update("c1", "o1", add={"quantity": 1, "total": Decimal("0.5")}))
    results.append(orders.update("c1", "o1", add={"tags": {"vip"}}, delete={"tags": {"new"}}))
    results.append(orders.update("c1", "o1", remove=["note", "shipping", "expires_at"]))
    results.append(orders.update("c1", "o1", remove=("metadata",), expected_version=None))
    results.append(
        orders.update(
            "c1",
            "o1",
            set={"status": OrderStatus.SHIPPED},
            condition=OrderAttrs.status.in_(OrderStatus.PAID, OrderStatus.PENDING),
            expected_version=7,
        )
    )
    return results


def typed_update_arguments(orders: OrdersTable, removable: Iterable[OrderRemovable]) -> Order:
    changes: OrderSet = {"status": OrderStatus.CANCELLED}
    changes["note"] = "cancelled by the customer"
    amounts: OrderAdd = {"quantity": -1}
    members: OrderDelete = {"tags": {"web"}}
    one: OrderRemovable = "tags"
    return orders.update(
        "c1",
        "o1",
        set=changes,
        add=amounts,
        delete=members,
        remove=[one, *removable],
    )


def deletes(orders: OrdersTable) -> int:
    gone: Order | None = orders.delete("c1", "o1")
    checked = orders.delete("c1", "o2", expected_version=2)
    guarded = orders.delete("c1", "o3", condition=OrderAttrs.total > Decimal("10"))
    both = orders.delete(
        "c1", "o4", condition=OrderAttrs.status != OrderStatus.SHIPPED, expected_version=1
    )
    versions = [o.version for o in (gone, checked, guarded, both) if o is not None]
    return sum(versions)


def wire_forms(order: Order) -> Order:
    wire: dict[str, rt.AttributeValue] = marshal_order(order)
    key: dict[str, rt.AttributeValue] = order_key(order.customer_id, order.order_id)
    text: str = wire["customer_id"]["S"]
    assert key["order_id"]["S"] and text
    return unmarshal_order(wire)


def table_admin(orders: OrdersTable) -> None:
    orders.create_table()
    orders.create_table(wait=False, exist_ok=True)
    orders.delete_table(missing_ok=True)
