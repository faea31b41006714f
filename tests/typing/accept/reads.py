"""Realistic read call sites: queries per table and index with Sort conditions, pages and
cursors, partial reads, scans, counts and batches, on the three example tables."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any, Iterator

from dynagen import runtime as rt
from dynagen.runtime import Sort
from generated_example.ledger import (
    Entry,
    EntryAttrs,
    EntryByAmount,
    EntryByKind,
    EntryField,
    EntryKind,
    EntryPartial,
    LedgerQueryCursor,
    LedgerScanCursor,
    LedgerTable,
)
from generated_example.orders import (
    Order,
    OrderAttrs,
    OrderByTotal,
    OrderPartial,
    OrdersTable,
    OrderStatus,
)
from generated_example.user_sessions import (
    Session,
    SessionByUser,
    SessionPartial,
    UserSessionsTable,
)

UTC = datetime.timezone.utc
ACCOUNT = "acc-1"


def sorted_queries(ledger: LedgerTable) -> list[Entry]:
    latest: Iterator[Entry] = ledger.query(ACCOUNT, sort=Sort.ge(100), reverse=True, limit=10)
    window = ledger.query(ACCOUNT, sort=Sort.between(10, 20), consistent_read=True)
    credits = ledger.query(
        ACCOUNT,
        sort=Sort.lt(50),
        filter=(EntryAttrs.kind == EntryKind.CREDIT) & (EntryAttrs.amount > Decimal("10")),
    )
    exact = ledger.query(ACCOUNT, sort=Sort.eq(7))
    up_to = ledger.query(ACCOUNT, sort=Sort.le(7))
    after = ledger.query(ACCOUNT, sort=Sort.gt(7))
    return [*latest, *window, *credits, *exact, *up_to, *after]


def every_page(ledger: LedgerTable, account_id: str) -> list[Entry]:
    entries: list[Entry] = []
    cursor: LedgerQueryCursor | None = None
    while True:
        page: rt.Page[Entry, LedgerQueryCursor] = ledger.query_page(
            account_id, cursor=cursor, page_size=100
        )
        entries.extend(page.items)
        if page.cursor is None:
            return entries
        cursor = page.cursor


def next_page_for_an_api(ledger: LedgerTable, cursor: str | None) -> tuple[list[int], str | None]:
    """What a web handler does: take a cursor from the request, hand the next one back."""
    try:
        page = ledger.query_page(
            ACCOUNT,
            sort=Sort.ge(1),
            reverse=True,
            cursor=None if cursor is None else LedgerQueryCursor(cursor),
            page_size=20,
        )
    except rt.InvalidCursor:
        page = ledger.query_page(ACCOUNT, page_size=20)
    return [entry.seq for entry in page.items], page.cursor


def index_queries(ledger: LedgerTable) -> tuple[list[datetime.date], list[str], int]:
    january = Sort.between(datetime.date(2024, 1, 1), datetime.date(2024, 1, 31))
    by_kind: list[EntryByKind] = list(ledger.query_by_kind(EntryKind.DEBIT, sort=january))
    days = [row.booked_on for row in by_kind] + [
        row.booked_on for row in ledger.query_by_kind_page(EntryKind.CREDIT, page_size=5).items
    ]
    big: Iterator[EntryByAmount] = ledger.query_by_amount(
        ACCOUNT, sort=Sort.ge(Decimal("100")), consistent_read=True, reverse=True
    )
    currencies = [row.currency for row in big]
    amount_page: rt.Page[EntryByAmount] = ledger.query_by_amount_page(
        ACCOUNT, sort=Sort.lt(Decimal("5")), consistent_read=True, cursor=None, page_size=10
    )
    kinds = [row.kind.value for row in amount_page.items]
    linked: list[Entry] = list(ledger.query_by_order_ref("ORD #42", limit=5))
    ref_page: rt.Page[Entry] = ledger.query_by_order_ref_page("ORD #42", page_size=5)
    total = (
        ledger.count(ACCOUNT, sort=Sort.between(1, 9), filter=EntryAttrs.currency == "EUR")
        + ledger.count_by_kind(EntryKind.CREDIT, sort=Sort.ge(datetime.date(2024, 1, 1)))
        + ledger.count_by_amount(ACCOUNT, sort=Sort.lt(Decimal(0)), consistent_read=True)
        + ledger.count_by_order_ref("ORD #42", filter=EntryAttrs.account_id == ACCOUNT)
        + len(linked)
        + len(ref_page.items)
    )
    return days, currencies + kinds, total


def orders_reads(orders: OrdersTable) -> tuple[list[Order], list[Decimal], int]:
    since = datetime.datetime(2024, 5, 1, tzinfo=UTC)
    paid: list[Order] = list(orders.query_by_status(OrderStatus.PAID, sort=Sort.ge(since)))
    status_page: rt.Page[Order] = orders.query_by_status_page(
        OrderStatus.SHIPPED, sort=Sort.between(since, since), reverse=True, page_size=50
    )
    totals: list[OrderByTotal] = list(
        orders.query_by_total("c1", sort=Sort.gt(Decimal("99.99")), consistent_read=True)
    )
    this_year = list(orders.query("c1", sort=Sort.begins_with("2024-")))
    count = orders.count("c1", sort=Sort.begins_with("2024-")) + orders.count_by_status(
        OrderStatus.PENDING, filter=OrderAttrs.gift == True  # noqa: E712
    )
    count += orders.count_by_total("c1", sort=Sort.le(Decimal(10)), consistent_read=True)
    return paid + status_page.items + this_year, [row.total for row in totals], count


def sessions_reads(sessions: UserSessionsTable, session_id: uuid.UUID) -> list[str]:
    newest: list[SessionByUser] = list(
        sessions.query_by_user(
            "user-1", sort=Sort.gt(datetime.datetime(2024, 6, 1, tzinfo=UTC)), reverse=True
        )
    )
    page: rt.Page[SessionByUser] = sessions.query_by_user_page("user-1", page_size=10)
    own: list[Session] = list(sessions.query(session_id, consistent_read=True))
    count = sessions.count_by_user("user-1") + sessions.count(session_id)
    kinds = [row.device.kind for row in newest + page.items] + [s.user_id for s in own]
    return kinds + [str(count)]


def partial_reads(
    ledger: LedgerTable, orders: OrdersTable, sessions: UserSessionsTable, session_id: uuid.UUID
) -> list[object]:
    partial: EntryPartial | None = ledger.get(ACCOUNT, 1, attributes=["amount", "comment"])
    amount: Decimal | None = partial.amount if partial is not None else None
    names: list[EntryField] = ["seq", "entry_status", "order_ref"]
    rows: Iterator[EntryPartial] = ledger.query(ACCOUNT, attributes=names, limit=10)
    page: rt.Page[EntryPartial] = ledger.query_page(
        ACCOUNT, attributes=["seq"], sort=Sort.ge(10), page_size=10, cursor=None
    )
    seqs: list[int | None] = [row.seq for row in rows] + [row.seq for row in page.items]
    order: OrderPartial | None = orders.get("c1", "o1", attributes=["total", "shipping"])
    order_rows: list[OrderPartial] = list(orders.query("c1", attributes=["order_id", "status"]))
    session: SessionPartial | None = sessions.get(session_id, attributes=["device", "expires_at"])
    return [amount, seqs, order, order_rows, session]


def scans(ledger: LedgerTable) -> list[object]:
    everything: list[Entry] = list(ledger.scan(segments=4))
    some: list[Entry] = list(ledger.scan(filter=EntryAttrs.currency == "USD", limit=100))
    page: rt.Page[Entry, LedgerScanCursor] = ledger.scan_page(
        segment=(0, 4), page_size=500, consistent_read=True
    )
    following = ledger.scan_page(segment=(0, 4), page_size=500, cursor=page.cursor)
    kinds: list[EntryByKind] = list(ledger.scan_by_kind(segments=2, limit=10))
    amounts: rt.Page[EntryByAmount] = ledger.scan_by_amount_page(consistent_read=True, page_size=10)
    refs: rt.Page[Entry] = ledger.scan_by_order_ref_page(segment=(1, 2))
    return [everything, some, following.items, kinds, amounts.items, refs.cursor]


def batches(
    ledger: LedgerTable, sessions: UserSessionsTable, entries: list[Entry], ids: list[uuid.UUID]
) -> tuple[int, int, list[Any]]:
    stored: list[Entry] = ledger.batch_put(entries, concurrency=4)
    found: list[Entry] = ledger.batch_get(
        ((entry.account_id, entry.seq) for entry in stored), consistent_read=True, concurrency=2
    )
    ledger.batch_delete([(ACCOUNT, 1), (ACCOUNT, 2)], concurrency=1)
    users: list[Session] = sessions.batch_get(ids)
    sessions.batch_delete(ids)
    patient = LedgerTable(ledger.client, retry=rt.RetryPolicy(max_attempts=2, base_delay=0))
    try:
        patient.batch_put(entries)
    except rt.UnprocessedItems as error:
        done: int = error.done
        return done, len(found) + len(users), error.remaining
    return len(stored), len(found) + len(users), []
