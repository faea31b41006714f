"""Index results carry only what the index projects, and read results are frozen."""

from __future__ import annotations

import datetime
from decimal import Decimal

from generated_example.ledger import EntryKind, LedgerTable
from generated_example.orders import OrdersTable
from generated_example.user_sessions import UserSessionsTable


def not_projected(ledger: LedgerTable, orders: OrdersTable, sessions: UserSessionsTable) -> None:
    by_kind = next(ledger.query_by_kind(EntryKind.CREDIT))
    print(by_kind.amount)  # E: "EntryByKind" has no attribute "amount"
    first = ledger.query_by_kind_page(EntryKind.DEBIT).items[0]
    print(first.currency)  # E: "EntryByKind" has no attribute "currency"
    print(next(ledger.scan_by_kind()).comment)  # E: has no attribute "comment"
    by_amount = next(ledger.query_by_amount("acc-1"))
    print(by_amount.comment)  # E: "EntryByAmount" has no attribute "comment"
    print(by_amount.booked_on)  # E: has no attribute "booked_on"
    print(next(orders.query_by_total("c1")).status)  # E: "OrderByTotal" has no attribute "status"
    print(next(sessions.query_by_user("user-1")).token_hash)  # E: has no attribute "token_hash"


def frozen(ledger: LedgerTable, orders: OrdersTable) -> None:
    partial = ledger.get("acc-1", 1, attributes=["amount"])
    assert partial is not None
    partial.amount = Decimal("1")  # E: is read-only
    by_kind = next(ledger.query_by_kind(EntryKind.CREDIT))
    by_kind.booked_on = datetime.date(2024, 1, 1)  # E: is read-only
    by_amount = ledger.query_by_amount_page("acc-1").items[0]
    by_amount.currency = "USD"  # E: is read-only
    rows = list(orders.query("c1", attributes=["total"]))
    rows[0].total = Decimal("2")  # E: is read-only
    by_total = next(orders.query_by_total("c1"))
    by_total.total = Decimal("3")  # E: is read-only


def partial_fields_may_be_missing(ledger: LedgerTable) -> Decimal:
    partial = ledger.get("acc-1", 1, attributes=["amount"])
    assert partial is not None
    return partial.amount  # E: got "Decimal | None"
