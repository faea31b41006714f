"""Sort conditions and partition keys are typed by the keys; no strong reads on global indexes."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from dynagen.runtime import Sort
from generated_example.ledger import EntryKind, LedgerTable
from generated_example.orders import OrdersTable, OrderStatus
from generated_example.user_sessions import UserSessionsTable


def wrong_sort_types(ledger: LedgerTable, orders: OrdersTable, sessions: UserSessionsTable) -> None:
    ledger.query("acc-1", sort=Sort.eq("x"))  # E: expected "int"
    ledger.query_page("acc-1", sort=Sort.between(1, "9"))  # E: expected "int"
    ledger.count("acc-1", sort=Sort.gt(1.5))  # E: expected "int"
    ledger.query("acc-1", sort=Sort.begins_with("1"))  # E: type "SortCondition[str]"
    ledger.query_by_amount("acc-1", sort=Sort.begins_with("1"))  # E: type "SortCondition[str]"
    ledger.query_by_kind(EntryKind.CREDIT, sort=Sort.lt("2024-01-01"))  # E: expected "date"
    ledger.query_by_amount("acc-1", sort=Sort.ge(5.0))  # E: expected "Decimal"
    orders.query("c1", sort=Sort.lt(5))  # E: expected "str"
    day = datetime.date(2024, 1, 1)
    orders.query_by_status(OrderStatus.PAID, sort=Sort.ge(day))  # E: expected "datetime"
    orders.query_by_total("c1", sort=Sort.gt("10"))  # E: expected "Decimal"
    sessions.query_by_user("u", sort=Sort.begins_with("2024"))  # E: type "SortCondition[str]"


def wrong_partition_types(
    ledger: LedgerTable, orders: OrdersTable, sessions: UserSessionsTable
) -> None:
    ledger.query(5)  # E: matches argument type "int"
    ledger.query_page(b"acc-1")  # E: matches argument type "bytes"
    ledger.count(None)  # E: expected "str"
    ledger.query_by_kind("credit")  # E: matches argument type "str"
    ledger.query_by_amount(1)  # E: matches argument type "int"
    ledger.query_by_order_ref(42)  # E: matches argument type "int"
    orders.query_by_status("paid")  # E: matches argument type "str"
    orders.count_by_status(EntryKind.CREDIT)  # E: expected "OrderStatus"
    sessions.query(str(uuid.uuid4()))  # E: matches argument type "str"
    sessions.query_by_user(uuid.uuid4())  # E: matches argument type "UUID"
    ledger.query()  # E: require at least one argument


def no_strong_reads_on_global_indexes(
    ledger: LedgerTable, orders: OrdersTable, sessions: UserSessionsTable
) -> None:
    credit = EntryKind.CREDIT
    ledger.query_by_kind(credit, consistent_read=True)  # E: keyword argument "consistent_read"
    ledger.query_by_kind_page(credit, consistent_read=True)  # E: Unexpected keyword argument
    ledger.count_by_kind(EntryKind.CREDIT, consistent_read=True)  # E: Unexpected keyword argument
    ledger.scan_by_kind(consistent_read=True)  # E: Unexpected keyword argument
    ledger.query_by_order_ref("o", consistent_read=True)  # E: Unexpected keyword argument
    orders.query_by_status(OrderStatus.PAID, consistent_read=True)  # E: Unexpected keyword argument
    sessions.query_by_user("u", consistent_read=True)  # E: Unexpected keyword argument
    sessions.scan_by_user_page(consistent_read=True)  # E: Unexpected keyword argument


def no_sort_key_no_sort(sessions: UserSessionsTable, ledger: LedgerTable) -> None:
    sessions.query(uuid.uuid4(), sort=Sort.eq("x"))  # E: Unexpected keyword argument "sort"
    ledger.query_by_order_ref("o", sort=Sort.eq(Decimal(1)))  # E: keyword argument "sort"
