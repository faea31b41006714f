"""attributes=[...] names entity attributes; pages, cursors and batches keep their types."""

from __future__ import annotations

import uuid

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryByKind, EntryKind, LedgerTable
from generated_example.orders import Order, OrdersTable
from generated_example.user_sessions import UserSessionsTable


def unknown_attributes(
    ledger: LedgerTable, orders: OrdersTable, sessions: UserSessionsTable
) -> None:
    ledger.get("acc-1", 1, attributes=["amont"])  # E: incompatible type "Literal['amont']"
    ledger.query("acc-1", attributes=["amount", "comments"])  # E: "Literal['comments']"
    ledger.query_page("acc-1", attributes=["status"])  # E: "Literal['status']"
    orders.get("c1", "o1", attributes=["totl"])  # E: "Literal['totl']"
    orders.query_page("c1", attributes=["n"])  # E: "Literal['n']"
    sessions.get(uuid.uuid4(), attributes=["token"])  # E: "Literal['token']"
    ledger.get("acc-1", 1, attributes="amount")  # E: incompatible type "str"


def pages_and_cursors(ledger: LedgerTable) -> None:
    credit = EntryKind.CREDIT
    page: rt.Page[Entry] = ledger.query_by_kind_page(credit)  # E: "Page[EntryByKind, LedgerBy
    rows: rt.Page[EntryByKind] = ledger.query_page("acc-1")  # E: has type "Page[Entry, LedgerQuery
    partial: rt.Page[Entry] = ledger.query_page("a", attributes=["seq"])  # E: "Page[EntryPartial, L
    ledger.query_page("acc-1", cursor=5)  # E: No overload variant of "query_page"
    ledger.scan_page(segment=3)  # E: "scan_page" of "LedgerTable" matches argument type "int"
    ledger.scan(segments="4")  # E: "scan" of "LedgerTable" matches argument type "str"
    cursor: str = ledger.query_page("acc-1").cursor  # E: has type "LedgerQueryCursor | None"


def batches(
    ledger: LedgerTable, orders: OrdersTable, sessions: UserSessionsTable, order: Order
) -> None:
    ledger.batch_get([("acc-1", "1")])  # E: incompatible type "tuple[str, str]"
    ledger.batch_get(["acc-1"])  # E: expected "tuple[str, int]"
    orders.batch_put([order, None])  # E: expected "Order"
    ledger.batch_put([order])  # E: expected "Entry"
    ledger.batch_delete([("acc-1",)])  # E: incompatible type "tuple[str]"
    sessions.batch_get([str(uuid.uuid4())])  # E: expected "UUID"
    found: list[Order] = ledger.batch_get([("acc-1", 1)])  # E: has type "list[Entry]"
