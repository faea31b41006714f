"""The single-table shop: wrong template attribute types, partial index-template updates,
sort conditions of the wrong type, entity or part, and unions used without narrowing."""

from __future__ import annotations

import datetime
import uuid

from dynagen.runtime import Sort
from generated_example.shop import CustomerSort  # E: has no attribute "CustomerSort"
from generated_example.shop import OrderByStatusSort, OrderSort, OrderStatus, ShopTable


def wrong_template_types(shop: ShopTable, customer_id: uuid.UUID) -> None:
    shop.orders.get(str(customer_id), 1)  # E: incompatible type "str"; expected "UUID"
    shop.orders.get(customer_id, "1")  # E: incompatible type "str"; expected "int"
    shop.order_lines.get(customer_id, 1)  # E: Missing positional argument "line_no"
    shop.customers.query_by_email(5)  # E: incompatible type "int"; expected "str"
    shop.orders.query_by_status("paid")  # E: incompatible type "str"; expected "OrderStatus"


def partial_index_updates(shop: ShopTable, cid: uuid.UUID, now: datetime.datetime) -> None:
    shop.orders.update(cid, 1, shipments={"carrier": "DHL"})  # E: expected "OrderShipments | None"
    shop.orders.update(cid, 1, set={"carrier": "DHL"})  # E: expected "OrderSet | None"
    shop.orders.update(cid, 1, set={"shipped_at": now})  # E: expected "OrderSet | None"
    shop.orders.update(cid, 1, set={"order_no": 2})  # E: expected "OrderSet | None"
    shop.orders.update(cid, 1, set={"status": "paid"})  # E: expected "OrderSet | None"


def wrong_sort_conditions(shop: ShopTable, cid: uuid.UUID, now: datetime.datetime) -> None:
    OrderSort.order_no(Sort.ge("5"))  # E: "ge" has incompatible type "str"; expected "int"
    OrderByStatusSort.order_no(Sort.between(1, 9))  # E: Missing positional argument "condition"
    OrderByStatusSort.placed_at(Sort.gt(5))  # E: incompatible type "int"; expected "datetime"
    shop.orders.query(
        cid,
        sort=OrderByStatusSort.placed_at(Sort.gt(now)),  # E: expected "PartSort[OrderSort] | None"
    )
    shop.customers.query(cid, sort=OrderSort.order_no(Sort.eq(1)))  # E: keyword argument "sort"
    shop.order_lines.query(
        cid,
        sort=OrderSort.order_no(Sort.eq(1)),  # E: expected "PartSort[OrderLineSort] | None"
    )


def unions_need_narrowing(shop: ShopTable, customer_id: uuid.UUID) -> None:
    for item in shop.query_customer_with_orders(customer_id):
        item.order_no  # E: Item "Customer" of "Customer | Order | OrderLine" has no attribute
    grouped = shop.get_customer_with_orders(customer_id)
    grouped.customer.name  # E: Item "None" of "Customer | None" has no attribute "name"
    grouped.orders = []  # E: Property "orders" defined in "CustomerWithOrders" is read-only
