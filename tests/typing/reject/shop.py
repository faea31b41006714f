"""The single-table shop: wrong template attribute types, partial index-template updates,
sort conditions of the wrong type, entity or part, and unions used without narrowing."""

from __future__ import annotations

import datetime
import uuid

from dynagen.runtime import Sort
from generated_example.shop import (
    CustomerSort,
    OrderByStatusSort,
    OrderSort,
    OrderStatus,
    ShopTable,
)  # E: Module "generated_example.shop" has no attribute "CustomerSort"


def wrong_template_types(shop: ShopTable, customer_id: uuid.UUID) -> None:
    shop.orders.get(
        str(customer_id), 1
    )  # E: Argument 1 to "get" of "OrderAccessor" has incompatible type "str"; expected "UUID"
    shop.orders.get(
        customer_id, "1"
    )  # E: Argument 2 to "get" of "OrderAccessor" has incompatible type "str"; expected "int"
    shop.order_lines.get(
        customer_id, 1
    )  # E: Missing positional argument "line_no" in call to "get" of "OrderLineAccessor"
    shop.customers.query_by_email(
        5
    )  # E: Argument 1 to "query_by_email" of "CustomerAccessor" has incompatible type "int"; expected "str"
    shop.orders.query_by_status(
        "paid"
    )  # E: Argument 1 to "query_by_status" of "OrderAccessor" has incompatible type "str"; expected "OrderStatus"


def partial_index_updates(shop: ShopTable, customer_id: uuid.UUID, now: datetime.datetime) -> None:
    shop.orders.update(
        customer_id, 1, shipments={"carrier": "DHL"}
    )  # E: Argument "shipments" to "update" of "OrderAccessor" has incompatible type "dict[str, str]"; expected "OrderShipments | None"
    shop.orders.update(
        customer_id, 1, set={"carrier": "DHL"}
    )  # E: Argument "set" to "update" of "OrderAccessor" has incompatible type "dict[str, str]"; expected "OrderSet | None"
    shop.orders.update(
        customer_id, 1, set={"shipped_at": now}
    )  # E: Argument "set" to "update" of "OrderAccessor" has incompatible type "dict[str, datetime]"
    shop.orders.update(
        customer_id, 1, set={"order_no": 2}
    )  # E: Argument "set" to "update" of "OrderAccessor" has incompatible type "dict[str, int]"
    shop.orders.update(
        customer_id, 1, set={"status": "paid"}
    )  # E: Argument "set" to "update" of "OrderAccessor" has incompatible type "dict[str, str]"


def wrong_sort_conditions(shop: ShopTable, customer_id: uuid.UUID, now: datetime.datetime) -> None:
    OrderSort.order_no(Sort.ge("5"))  # E: Argument 1 to "ge" of "Sort" has incompatible type "str"
    OrderByStatusSort.order_no(
        Sort.between(1, 9)
    )  # E: Missing positional argument "condition" in call to "order_no" of "OrderByStatusSort"
    OrderByStatusSort.placed_at(
        Sort.gt(5)
    )  # E: Argument 1 to "gt" of "Sort" has incompatible type "int"; expected "datetime"
    shop.orders.query(
        customer_id, sort=OrderByStatusSort.placed_at(Sort.gt(now))
    )  # E: Argument "sort" to "query" of "OrderAccessor" has incompatible type "PartSort[OrderByStatusSort]"; expected "PartSort[OrderSort] | None"
    shop.customers.query(
        customer_id, sort=OrderSort.order_no(Sort.eq(1))
    )  # E: Unexpected keyword argument "sort" for "query" of "CustomerAccessor"
    shop.order_lines.query(
        customer_id, sort=OrderSort.order_no(Sort.eq(1))
    )  # E: Argument "sort" to "query" of "OrderLineAccessor" has incompatible type "PartSort[OrderSort]"; expected "PartSort[OrderLineSort] | None"


def unions_need_narrowing(shop: ShopTable, customer_id: uuid.UUID) -> None:
    for item in shop.query_customer_with_orders(customer_id):
        item.order_no  # E: Item "Customer" of "Customer | Order | OrderLine" has no attribute "order_no"
    grouped = shop.get_customer_with_orders(customer_id)
    grouped.customer.name  # E: Item "None" of "Customer | None" has no attribute "name"
    grouped.orders = []  # E: Property "orders" defined in "CustomerWithOrders" is read-only
