"""Nested `attributes=[...]`: typed references beside names, results typed by partial classes."""

from __future__ import annotations

import uuid
from typing import Any, Iterator

from dynagen import runtime as rt
from dynagen.runtime.expressions import Attr
from generated_example.ledger import EntryByKindAttrs, EntryKind, EntryPartial, LedgerTable
from generated_example.orders import (
    Address,
    AddressPartial,
    LineItemPartial,
    Order,
    OrderAttrs,
    OrderField,
    OrderPartial,
    OrdersTable,
    OrderStatus,
)
from generated_example.user_sessions import DevicePartial, SessionAttrs, UserSessionsTable


def nested_reads(orders: OrdersTable) -> None:
    got = orders.get(
        "c1",
        "o1",
        attributes=[OrderAttrs.shipping.city, "total", OrderAttrs.lines[0].sku],
    )
    partial: OrderPartial | None = got
    if got is not None and got.shipping is not None:
        city: str | None = got.shipping.city
        shipping: AddressPartial = got.shipping
    if got is not None and got.lines is not None:
        lines: list[LineItemPartial] = got.lines
    rows: Iterator[OrderPartial] = orders.query("c1", attributes=[OrderAttrs.metadata["k"]])
    page: rt.Page[OrderPartial] = orders.query_page("c1", attributes=[OrderAttrs.lines[1].qty])
    by_status: Iterator[OrderPartial] = orders.query_by_status(
        OrderStatus.PAID, attributes=[OrderAttrs.shipping]
    )
    by_total: Iterator[OrderPartial] = orders.query_by_total(
        "c1", attributes=[OrderAttrs.shipping.zip]  # a local index reads the rest from the table
    )


def scans_batches_and_transactions(orders: OrdersTable, ledger: LedgerTable) -> None:
    scanned: Iterator[OrderPartial] = orders.scan(attributes=[OrderAttrs.shipping.city], segments=2)
    page: rt.Page[OrderPartial] = orders.scan_page(attributes=["total", OrderAttrs.lines[0]])
    index_scan: Iterator[EntryPartial] = ledger.scan_by_kind(attributes=[EntryByKindAttrs.kind])
    batch: list[OrderPartial] = orders.batch_get([("c1", "o1")], attributes=[OrderAttrs.note])
    whole: list[Order] = orders.batch_get([("c1", "o1")])
    read = orders.tx_get("c1", "o1", attributes=[OrderAttrs.shipping.zip])
    partial, entry = rt.transact_get(read, ledger.tx_get("acc", 1))
    if partial is not None and partial.shipping is not None:
        zip_code: str | None = partial.shipping.zip


def forwarded(orders: OrdersTable, wanted: list[OrderField | Attr[Order, Any, Any]] | None) -> None:
    either: Order | OrderPartial | None = orders.get("c1", "o1", attributes=wanted)
    names: tuple[OrderField, ...] = ("total", "status")
    only_names: OrderPartial | None = orders.get("c1", "o1", attributes=names)


def a_projecting_global_index(ledger: LedgerTable) -> None:
    rows: Iterator[EntryPartial] = ledger.query_by_kind(
        EntryKind.CREDIT, attributes=[EntryByKindAttrs.booked_on, "seq"]
    )


def records_of_other_tables(sessions: UserSessionsTable) -> None:
    partial = sessions.get(uuid.uuid4(), attributes=[SessionAttrs.device.os])
    if partial is not None and partial.device is not None:
        device: DevicePartial = partial.device
        trusted: bool | None = partial.device.trusted


def whole_records_are_partial_too(orders: OrdersTable) -> None:
    got = orders.get("c1", "o1", attributes=["shipping"])
    if got is not None:
        shipping: AddressPartial | None = got.shipping
    full = orders.get("c1", "o1")
    if full is not None:
        address: Address | None = full.shipping
