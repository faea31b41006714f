"""A cursor resumes only the read that made it, and mypy knows which: a cursor of another index,
another operation, another table, entity or collection is refused, and so is a bare str (type
it with the read's cursor class, which takes a str and nothing else)."""

from __future__ import annotations

import uuid

from dynagen import runtime as rt
from generated_example.ledger import Entry, LedgerTable
from generated_example.orders import Order, OrdersQueryCursor, OrdersTable, OrderStatus
from generated_example.shop import CustomerWithOrdersCursor, OrderQueryCursor, ShopTable
from generated_example.shop import OrderStatus as ShopOrderStatus

PAID = OrderStatus.PAID


def another_read(orders: OrdersTable, ledger: LedgerTable) -> None:
    status = orders.query_by_status_page(PAID).cursor
    total = orders.query_by_total_page("c1").cursor
    table = orders.query_page("c1").cursor
    scan = orders.scan_page().cursor
    orders.query_page("c1", cursor=status)  # E: "OrdersByStatusQueryCursor | None"; expected
    orders.query_page("c1", cursor=total)  # E: "OrdersByTotalQueryCursor | None"; expected
    orders.query_by_status_page(PAID, cursor=table)  # E: expected "OrdersByStatusQueryCursor
    orders.query_page("c1", cursor=scan)  # E: "OrdersScanCursor | None"; expected "OrdersQuery
    orders.scan_page(cursor=table)  # E: "OrdersQueryCursor | None"; expected "OrdersScanCursor
    orders.scan_by_status_page(cursor=status)  # E: expected "OrdersByStatusScanCursor | None"
    ledger.query_page("acc-1", cursor=table)  # E: "OrdersQueryCursor | None"; expected "Ledger


def a_cursor_in_hand(orders: OrdersTable) -> None:
    cursor = orders.query_by_status_page(PAID).cursor
    assert cursor is not None
    orders.query_page("c1", cursor=cursor)  # E: argument types "str", "OrdersByStatusQueryCursor"
    orders.scan_page(cursor=cursor)  # E: matches argument type "OrdersByStatusQueryCursor"


def bare_strings(orders: OrdersTable, text: str, maybe: str | None, cursor: rt.Cursor) -> None:
    orders.scan_page(cursor=text)  # E: "scan_page" of "OrdersTable" matches argument type "str"
    orders.scan_page(cursor=maybe)  # E: type "str | None"; expected "OrdersScanCursor | None"
    orders.query_page("c1", cursor=maybe)  # E: type "str | None"; expected "OrdersQueryCursor
    orders.query_page("c1", cursor=text)  # E: "query_page" of "OrdersTable" matches argument types
    orders.scan_page(cursor=cursor)  # E: "OrdersTable" matches argument type "Cursor"
    plain: str | None = orders.query_page("c1").cursor
    orders.query_page("c1", cursor=plain)  # E: type "str | None"; expected "OrdersQueryCursor


def the_class_takes_a_str(text: str | None, number: int, data: bytes) -> None:
    OrdersQueryCursor(text)  # E: Argument 1 to "OrdersQueryCursor" has incompatible type "str |
    OrdersQueryCursor(number)  # E: Argument 1 to "OrdersQueryCursor" has incompatible type "int"
    OrdersQueryCursor(data)  # E: Argument 1 to "OrdersQueryCursor" has incompatible type "bytes"


def pages_keep_their_cursor(orders: OrdersTable, ledger: LedgerTable) -> None:
    page: rt.Page[Order, OrdersQueryCursor] = orders.scan_page()  # E: "Page[Order, OrdersScan
    entries: rt.Page[Entry] = orders.query_page("c1")  # E: variable has type "Page[Entry, Cursor]"
    cursor: OrdersQueryCursor = orders.query_page("c1").cursor  # E: "OrdersQueryCursor | None",
    widened: rt.Page[Order] = orders.query_page("c1")
    orders.query_page("c1", cursor=widened.cursor)  # E: "Cursor | None"; expected "OrdersQuery
    loop = None
    loop = ledger.query_page("acc-1").cursor
    orders.query_page("c1", cursor=loop)  # E: "LedgerQueryCursor | None"; expected "OrdersQuery


def templated(shop: ShopTable, customer_id: uuid.UUID) -> None:
    ordered = shop.orders.query_page(customer_id).cursor
    paid = shop.orders.query_by_status_page(ShopOrderStatus.PAID).cursor
    lines = shop.order_lines.query_page(customer_id).cursor
    mixed = shop.query_customer_with_orders_page(customer_id).cursor
    scan = shop.scan_page().cursor
    shop.orders.query_page(customer_id, cursor=paid)  # E: "OrderByStatusQueryCursor | None";
    shop.orders.query_by_status_page(ShopOrderStatus.PAID, cursor=ordered)  # E: "OrderQueryCursor
    shop.orders.query_page(customer_id, cursor=lines)  # E: "OrderLineQueryCursor | None"; expect
    shop.orders.query_page(customer_id, cursor=mixed)  # E: "CustomerWithOrdersCursor | None";
    shop.query_customer_with_orders_page(customer_id, cursor=ordered)  # E: expected "CustomerWith
    shop.query_customer_with_orders_page(customer_id, cursor=scan)  # E: "ShopScanCursor | None";
    shop.scan_page(cursor=mixed)  # E: "CustomerWithOrdersCursor | None"; expected "ShopScanCursor
    shop.customers.query_page(customer_id, cursor=ordered)  # E: expected "CustomerQueryCursor |
    shop.scan_page(cursor="x")  # E: incompatible type "str"; expected "ShopScanCursor | None"
    shop.orders.query_page(customer_id, cursor=CustomerWithOrdersCursor("x"))  # E: expected "Ord
