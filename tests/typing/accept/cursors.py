"""Cursors typed by what they page over: the loops people write, a cursor through a web request
and back (str, JSON, a URL), every kind of page (table, index, scan, parallel scan segment,
templated entity, collection), and `Page[T]` still naming a page of any read."""

from __future__ import annotations

import json
import urllib.parse
import uuid

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryByKind, EntryKind, LedgerTable
from generated_example.ledger import LedgerByKindQueryCursor, LedgerQueryCursor
from generated_example.orders import Order, OrdersByStatusQueryCursor, OrdersTable, OrderStatus
from generated_example.orders import OrdersQueryCursor, OrdersScanCursor
from generated_example.shop import (
    Customer,
    CustomerWithOrdersCursor,
    OrderByStatusQueryCursor,
    OrderQueryCursor,
    ShopScanCursor,
    ShopTable,
)
from generated_example.shop import Order as ShopOrder
from generated_example.shop import OrderLine as ShopOrderLine
from generated_example.shop import OrderStatus as ShopOrderStatus


def loop_from_none(orders: OrdersTable) -> list[Order]:
    """The loop with no annotation at all: `cursor = None`, then each page's cursor."""
    found: list[Order] = []
    cursor = None
    while True:
        page = orders.query_page("c1", cursor=cursor, page_size=50)
        found.extend(page.items)
        cursor = page.cursor
        if cursor is None:
            return found


def loop_annotated(orders: OrdersTable) -> list[Order]:
    """The same with the cursor variable annotated by its class."""
    found: list[Order] = []
    cursor: OrdersByStatusQueryCursor | None = None
    while True:
        page: rt.Page[Order, OrdersByStatusQueryCursor] = orders.query_by_status_page(
            OrderStatus.PAID, cursor=cursor
        )
        found += page
        if page.cursor is None:
            return found
        cursor = page.cursor


def loop_on_the_page(ledger: LedgerTable, account_id: str) -> int:
    """No cursor variable: the next page from the last one's cursor."""
    page = ledger.query_page(account_id, page_size=10)
    seen = len(page)
    while page.cursor is not None:
        page = ledger.query_page(account_id, page_size=10, cursor=page.cursor)
        seen += len(page)
    return seen


def handler(orders: OrdersTable, query_string: str) -> str:
    """A web handler: the cursor comes in as text (URL or JSON), is typed by its class, and the
    next one goes out as the string it is."""
    asked = urllib.parse.parse_qs(query_string).get("cursor", [])
    cursor = OrdersQueryCursor(asked[0]) if asked else None
    page = orders.query_page("c1", cursor=cursor, page_size=20)
    return json.dumps({"ids": [o.order_id for o in page.items], "cursor": page.cursor})


def resume_from_json(orders: OrdersTable, body: str) -> list[Order]:
    """A cursor through JSON and back, and through `str()`: the class gives the type back."""
    sent: str = json.dumps({"cursor": orders.query_page("c1").cursor})
    text = json.loads(sent)["cursor"]
    assert isinstance(text, str)
    again = OrdersQueryCursor(text)
    plain: str = str(again)
    return orders.query_page("c1", cursor=OrdersQueryCursor(plain)).items


def a_cursor_is_a_str(orders: OrdersTable) -> list[str]:
    """What a str offers, a cursor offers: length, slicing, formatting, quoting, a dict key."""
    cursor = orders.scan_page(page_size=5).cursor
    if cursor is None:
        return []
    by_cursor: dict[str, int] = {cursor: len(cursor)}
    return [cursor[:8], f"next={cursor}", urllib.parse.quote(cursor), *by_cursor]


def scans_and_segments(orders: OrdersTable) -> list[Order]:
    """Scan pages take scan cursors; each parallel segment resumes with its own."""
    found: list[Order] = []
    for segment in range(4):
        cursor: OrdersScanCursor | None = None
        while True:
            page = orders.scan_page(segment=(segment, 4), cursor=cursor, page_size=100)
            found += page.items
            cursor = page.cursor
            if cursor is None:
                break
    return found


def index_pages(ledger: LedgerTable) -> list[EntryByKind]:
    """An index read's cursor resumes that index read; a projecting index's page keeps its item."""
    first: rt.Page[EntryByKind, LedgerByKindQueryCursor] = ledger.query_by_kind_page(
        EntryKind.DEBIT
    )
    cursor: LedgerByKindQueryCursor | None = first.cursor
    following = ledger.query_by_kind_page(EntryKind.DEBIT, cursor=cursor)
    return first.items + following.items


def partial_pages(ledger: LedgerTable) -> list[int | None]:
    """A partial read's page has the same cursor class as the full read of the same method."""
    page = ledger.query_page("acc-1", attributes=["seq"], page_size=10)
    cursor: LedgerQueryCursor | None = page.cursor
    following = ledger.query_page("acc-1", attributes=["seq"], cursor=cursor)
    return [row.seq for row in page.items + following.items]


def templated_pages(shop: ShopTable, customer_id: uuid.UUID) -> list[object]:
    """Templated tables: each entity's reads, each collection and the table's scan."""
    orders: list[ShopOrder] = []
    cursor: OrderQueryCursor | None = None
    while True:
        page = shop.orders.query_page(customer_id, cursor=cursor)
        orders += page.items
        cursor = page.cursor
        if cursor is None:
            break
    paid = shop.orders.query_by_status_page(ShopOrderStatus.PAID)
    by_status: OrderByStatusQueryCursor | None = paid.cursor
    more_paid = shop.orders.query_by_status_page(ShopOrderStatus.PAID, cursor=by_status)
    mixed: rt.Page[Customer | ShopOrder | ShopOrderLine, CustomerWithOrdersCursor] = (
        shop.query_customer_with_orders_page(customer_id, page_size=10)
    )
    rest = shop.query_customer_with_orders_page(customer_id, cursor=mixed.cursor)
    scanned = shop.scan_page(page_size=100)
    scan_cursor: ShopScanCursor | None = scanned.cursor
    lines: list[ShopOrderLine] = shop.order_lines.query_page(customer_id).items
    return [orders, more_paid.items, rest.items, shop.scan_page(cursor=scan_cursor).items, lines]


def any_page_of(page: rt.Page[Order]) -> rt.Cursor | None:
    """`Page[Order]` is a page of any read of Order (its cursor a `Cursor`), as before."""
    return page.cursor


def pages_of_any_read(orders: OrdersTable) -> list[rt.Cursor | None]:
    return [
        any_page_of(orders.query_page("c1")),
        any_page_of(orders.scan_page()),
        any_page_of(orders.query_by_status_page(OrderStatus.PAID)),
    ]


def ledger_page(ledger: LedgerTable) -> rt.Page[Entry, LedgerQueryCursor]:
    return ledger.query_page("acc-1")
