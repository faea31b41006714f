"""Realistic call sites of the single-table shop: accessors with template-attribute keys, typed
sort conditions on template parts, update groups, collections narrowed with isinstance and match."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from dynagen import runtime as rt
from dynagen.runtime import Sort
from generated_example.shop import (
    Customer,
    CustomerWithOrders,
    Order,
    OrderByStatusSort,
    OrderLine,
    OrderShipmentsSort,
    OrderSort,
    OrderStatus,
    ShopTable,
    decode_item,
)


def crud(shop: ShopTable, customer_id: uuid.UUID, now: datetime.datetime) -> Order:
    shop.customers.create(Customer(customer_id=customer_id, email="a@example.com", name="Ann"))
    order = shop.orders.create(
        Order(
            customer_id=customer_id,
            order_no=1,
            status=OrderStatus.PENDING,
            placed_at=now,
            total=Decimal("9.90"),
        )
    )
    found: Order | None = shop.orders.get(customer_id, 1)
    assert found is not None
    shop.orders.update(customer_id, 1, set={"status": OrderStatus.PAID}, expected_version=1)
    shop.orders.update(customer_id, 1, shipments={"carrier": "DHL", "shipped_at": now})
    shop.orders.update(customer_id, 1, remove=["carrier"], add={"total": Decimal(1)})
    shop.order_lines.delete(customer_id, 1, 2)
    return order


def reads(shop: ShopTable, customer_id: uuid.UUID, now: datetime.datetime) -> list[int]:
    numbers = [
        o.order_no for o in shop.orders.query(customer_id, sort=OrderSort.order_no(Sort.ge(5)))
    ]
    paid = shop.orders.query_by_status(
        OrderStatus.PAID, sort=OrderByStatusSort.order_no(now, Sort.between(1, 9)), limit=10
    )
    numbers += [o.order_no for o in paid]
    page: rt.Page[Order] = shop.orders.query_shipments_page(
        sort=OrderShipmentsSort.shipped_at("DHL", Sort.lt(now)), page_size=5
    )
    numbers += [o.order_no for o in page.items]
    numbers.append(shop.orders.count(customer_id))
    emails = [c.email for c in shop.customers.query_by_email("a@example.com")]
    return numbers + [len(emails)]


def collection(shop: ShopTable, customer_id: uuid.UUID) -> Decimal:
    total = Decimal(0)
    for item in shop.query_customer_with_orders(customer_id):
        if isinstance(item, Order):
            total += item.total
        elif isinstance(item, OrderLine):
            total += item.price * item.qty
        else:
            name: str = item.name  # narrowed to Customer
            assert name
    grouped: CustomerWithOrders = shop.get_customer_with_orders(customer_id)
    first: Customer | None = grouped.customer
    orders: list[Order] = grouped.orders
    assert first is not None or not orders
    return total


def matched(shop: ShopTable, raw: dict[str, rt.AttributeValue]) -> str:
    match decode_item(raw):
        case Customer(email=email):
            return email
        case Order(order_no=no):
            return str(no)
        case OrderLine(sku=sku):
            return sku
    return "unreachable"


def mixed(shop: ShopTable, customer_id: uuid.UUID) -> list[Customer | Order | OrderLine]:
    items = shop.batch_get([shop.customers.key(customer_id), shop.orders.key(customer_id, 1)])
    items += list(shop.scan())
    rt.transact_write([shop.orders.tx_update(customer_id, 1, set={"status": OrderStatus.SHIPPED})])
    return items
