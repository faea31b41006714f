"""Nested `attributes=[...]`: only this entity's references (and a projecting global index's own),
and the partial result's records are typed by their partial classes."""

from __future__ import annotations

from dynagen import runtime as rt
from generated_example.ledger import EntryAttrs, EntryKind, LedgerTable
from generated_example.orders import Address, LineItem, Order, OrderAttrs, OrderField, OrdersTable
from generated_example.user_sessions import SessionAttrs

CREDIT = EntryKind.CREDIT


def other_entities(orders: OrdersTable, ledger: LedgerTable) -> None:
    amount, os, device = EntryAttrs.amount, SessionAttrs.device.os, SessionAttrs.device
    city, comment = OrderAttrs.shipping.city, EntryAttrs.comment
    orders.get("c1", "o1", attributes=[amount])  # E: "NumberAttr[Entry, Decimal, Required]"
    orders.get("c1", "o1", attributes=[os])  # E: "StringAttr[Session, str, Removable]"
    orders.query("c1", attributes=["total", device])  # E: "DeviceRef[Session, Required]"
    ledger.query("acc-1", attributes=[city])  # E: "StringAttr[Order, str, Required]"
    ledger.query_by_kind(CREDIT, attributes=[comment])  # E: Attr[EntryByKind, Any, Any]"
    orders.get("c1", "o1", attributes=city)  # E: No overload variant of "get"
    orders.scan(attributes=[amount])  # E: "NumberAttr[Entry, Decimal, Required]"
    orders.batch_get([("c1", "o1")], attributes=[os])  # E: "StringAttr[Session, str, Removable]"
    orders.tx_get("c1", "o1", attributes=[comment])  # E: "StringAttr[Entry, str, Removable]"
    ledger.scan_by_kind(attributes=[comment])  # E: Attr[EntryByKind, Any, Any]"


def typed_results(orders: OrdersTable) -> None:
    got = orders.get("c1", "o1", attributes=[OrderAttrs.shipping.city])
    assert got is not None and got.shipping is not None and got.lines is not None
    address: Address = got.shipping  # E: has type "AddressPartial", variable has type "Address"
    city: str = got.shipping.city  # E: (expression has type "str | None", variable has type "str")
    code: int | None = got.shipping.zip  # E: type "str | None", variable has type "int | None"
    lines: list[LineItem] = got.lines  # E: type "list[LineItemPartial]", variable has type
    got.shipping.country  # E: "AddressPartial" has no attribute "country"


def typed_reads(orders: OrdersTable) -> None:
    read = orders.tx_get("c1", "o1", attributes=["total"])
    (partial,) = rt.transact_get(read)
    assert partial is not None
    address: Address | None = partial.shipping  # E: "AddressPartial | None", variable has type
    total: list[OrderField] = ["total"]
    keys = [("c1", "o1")]
    rows: list[Order] = orders.batch_get(keys, attributes=total)  # E: "list[OrderPartial]"
