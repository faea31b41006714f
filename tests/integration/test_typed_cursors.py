"""Typed cursors on moto and DynamoDB Local: every page method hands back its own cursor class,
which resumes its read to the end, also after a trip through JSON or a URL as text; a cursor
of another read is refused at run time before any request, whatever class it was given.

The type checks are in tests/typing (accept/cursors.py, reject/cursors.py); here is what the
run time does with the same cursors.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
import uuid
from decimal import Decimal
from typing import Any, Callable, Iterator, TypeVar

import pytest

from dynagen import runtime as rt
from generated_example.ledger import (
    Entry,
    EntryKind,
    LedgerByKindQueryCursor,
    LedgerByKindScanCursor,
    LedgerQueryCursor,
    LedgerScanCursor,
    LedgerTable,
)
from generated_example.shop import (
    CustomerWithOrdersCursor,
    Order,
    OrderByStatusQueryCursor,
    OrderLine,
    OrderQueryCursor,
    OrderStatus,
    ShopScanCursor,
    ShopTable,
)
from tests.helpers import unique_name

A = "acc-a"
KINDS = (EntryKind.CREDIT, EntryKind.DEBIT)
C1 = uuid.UUID("11111111-1111-4111-8111-111111111111")
T0 = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)
P = TypeVar("P")


def entry(seq: int, account_id: str = A) -> Entry:
    return Entry(
        account_id=account_id,
        seq=seq,
        kind=KINDS[seq % 2],
        amount=Decimal(seq) + Decimal("0.25"),
        booked_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=seq),
    )


def every_page(read: Callable[[Any], rt.Page[P, Any]], cursor_type: type) -> list[P]:
    """The typed loop: each page's cursor is of the read's class and resumes it to the end."""
    items: list[P] = []
    cursor = None
    for _ in range(100):
        page = read(cursor)
        items += page.items
        cursor = page.cursor
        if cursor is None:
            return items
        assert type(cursor) is cursor_type
    raise AssertionError("paging did not end")


@pytest.fixture
def ledger_of(ledger: LedgerTable) -> LedgerTable:
    ledger.batch_put(entry(seq) for seq in range(9))
    ledger.batch_put(entry(seq, "acc-b") for seq in range(3))
    return ledger


def test_each_read_pages_to_the_end_with_its_own_cursor_class(ledger_of: LedgerTable) -> None:
    t = ledger_of
    got = every_page(lambda c: t.query_page(A, page_size=2, cursor=c), LedgerQueryCursor)
    assert [e.seq for e in got] == list(range(9))
    debits = every_page(
        lambda c: t.query_by_kind_page(EntryKind.DEBIT, page_size=2, cursor=c),
        LedgerByKindQueryCursor,
    )
    assert sorted(e.seq for e in debits if e.account_id == A) == [1, 3, 5, 7]
    scanned = every_page(lambda c: t.scan_page(page_size=4, cursor=c), LedgerScanCursor)
    assert len(scanned) == 12
    index_scan = every_page(
        lambda c: t.scan_by_kind_page(page_size=4, cursor=c), LedgerByKindScanCursor
    )
    assert len(index_scan) == 12
    segments = [
        every_page(
            lambda c, n=n: t.scan_page(segment=(n, 3), page_size=2, cursor=c), LedgerScanCursor
        )
        for n in range(3)
    ]
    assert sorted((e.account_id, e.seq) for s in segments for e in s) == sorted(
        (e.account_id, e.seq) for e in scanned
    )


def test_a_cursor_resumes_after_a_trip_through_json_and_a_url(ledger_of: LedgerTable) -> None:
    first = ledger_of.query_page(A, page_size=4)
    assert isinstance(first.cursor, LedgerQueryCursor)
    body = json.loads(json.dumps({"next": first.cursor}))
    url = "https://example.invalid/entries?" + urllib.parse.urlencode({"cursor": first.cursor})
    from_url = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["cursor"][0]
    assert body["next"] == from_url == str(first.cursor)
    for text in (body["next"], from_url):
        rest = ledger_of.query_page(A, cursor=LedgerQueryCursor(text))
        assert [e.seq for e in first.items + rest.items] == list(range(9))


def test_a_foreign_cursor_is_refused_at_run_time_before_any_request(
    ledger_of: LedgerTable, requests_sent: list[str]
) -> None:
    """Typed as this read's class (as a caller who trusts a client would), or passed where
    types are not checked, a cursor of another read is refused by its scope all the same."""
    index_cursor = ledger_of.query_by_kind_page(EntryKind.DEBIT, page_size=1).cursor
    scan_cursor = ledger_of.scan_page(page_size=1).cursor
    other_account = ledger_of.query_page("acc-b", page_size=1).cursor
    assert index_cursor is not None and scan_cursor is not None and other_account is not None
    requests_sent.clear()
    untyped: Any = ledger_of
    for cursor in (index_cursor, scan_cursor, other_account):
        with pytest.raises(rt.InvalidCursor, match="belongs to another read"):
            ledger_of.query_page(A, cursor=LedgerQueryCursor(cursor))
        with pytest.raises(rt.InvalidCursor, match="belongs to another read"):
            untyped.query_page(A, cursor=cursor)
    with pytest.raises(rt.InvalidCursor, match="belongs to another read"):
        ledger_of.scan_page(cursor=LedgerScanCursor(index_cursor))
    with pytest.raises(rt.InvalidCursor, match="does not decode"):
        ledger_of.query_page(A, cursor=LedgerQueryCursor("not a cursor"))
    with pytest.raises(rt.InvalidCursor, match="non-empty string"):
        ledger_of.query_page(A, cursor=LedgerQueryCursor(""))
    assert requests_sent == []


@pytest.fixture
def shop(client: Any) -> Iterator[ShopTable]:
    table = ShopTable(client, table_name=unique_name("shop-cursors"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


def test_templated_tables_page_entities_collections_and_scans(
    shop: ShopTable, requests_sent: list[str]
) -> None:
    for no in range(1, 6):
        shop.orders.create(
            Order(
                customer_id=C1,
                order_no=no,
                status=OrderStatus.PAID,
                placed_at=T0 + datetime.timedelta(hours=no),
                total=Decimal("1.50"),
            )
        )
        shop.order_lines.create(
            OrderLine(customer_id=C1, order_no=no, line_no=1, sku="s", qty=1, price=Decimal("1"))
        )
    orders = every_page(
        lambda c: shop.orders.query_page(C1, page_size=2, cursor=c), OrderQueryCursor
    )
    assert [o.order_no for o in orders] == [1, 2, 3, 4, 5]
    paid = every_page(
        lambda c: shop.orders.query_by_status_page(OrderStatus.PAID, page_size=2, cursor=c),
        OrderByStatusQueryCursor,
    )
    assert sorted(o.order_no for o in paid) == [1, 2, 3, 4, 5]
    mixed = every_page(
        lambda c: shop.query_customer_with_orders_page(C1, page_size=3, cursor=c),
        CustomerWithOrdersCursor,
    )
    assert sorted(type(i).__name__ for i in mixed) == ["Order"] * 5 + ["OrderLine"] * 5
    scanned = every_page(lambda c: shop.scan_page(page_size=3, cursor=c), ShopScanCursor)
    assert len(scanned) == 10
    collection = shop.query_customer_with_orders_page(C1, page_size=1).cursor
    entity = shop.orders.query_page(C1, page_size=1).cursor
    assert collection is not None and entity is not None
    requests_sent.clear()
    with pytest.raises(rt.InvalidCursor, match="belongs to another read"):
        shop.orders.query_page(C1, cursor=OrderQueryCursor(collection))
    with pytest.raises(rt.InvalidCursor, match="belongs to another read"):
        shop.query_customer_with_orders_page(C1, cursor=CustomerWithOrdersCursor(entity))
    with pytest.raises(rt.InvalidCursor, match="belongs to another read"):
        shop.scan_page(cursor=ShopScanCursor(entity))
    assert requests_sent == []
