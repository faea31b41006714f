"""Exact typing: references offer only what their attribute allows, `==` names the attribute's
type, update dicts name the bad key, and errors carry the entity's type."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dynagen import runtime as rt
from generated_example.ledger import EntryAttrs, EntryByKindAttrs, EntryKind, LedgerTable
from generated_example.orders import Order, OrderAttrs, OrdersTable, OrderVersionConflict
from generated_example.user_sessions import SessionAttrs, SessionByUserAttrs, UserSessionsTable

UTC = datetime.timezone.utc
NOW = datetime.datetime(2030, 1, 1, tzinfo=UTC)

# mypy's message for a refused action names the reference's mode and the one the action needs:
# Invalid self argument "OrderedAttr[Order, Decimal, Required]" to attribute function "remove"
# with type "Callable[[Attr[E, T, Removable]], Action[E]]"


def removing_what_is_required() -> list[rt.Action[Order]]:
    return [
        OrderAttrs.total.remove(),  # E: "NumberAttr[Order, Decimal, Required]" to attribute
        OrderAttrs.status.remove(),  # E: "Attr[Order, OrderStatus, Required]" to attribute
        OrderAttrs.lines.remove(),  # E: LineItemRef[Order, Removable], Required]" to attribute
        OrderAttrs.shipping.city.remove(),  # E: "StringAttr[Order, str, Required]" to attribute
        OrderAttrs.lines[0].qty.remove(),  # E: "NumberAttr[Order, int, Required]" to attribute
        OrderAttrs.customer_id.remove(),  # E: "StringAttr[Order, str, Key]" to attribute
        OrderAttrs.version.remove(),  # E: "NumberAttr[Order, int, Auto]" to attribute
        OrderAttrs.created_at.remove(),  # E: "OrderedAttr[Order, datetime, Auto]" to attribute
    ]


def setting_what_the_runtime_owns() -> list[rt.Action[Order]]:
    return [
        OrderAttrs.customer_id.set("c2"),  # E: Key]" to attribute function "set" with type
        OrderAttrs.order_id.set_if_not_exists("o"),  # E: Key]" to attribute function "set_if_
        OrderAttrs.version.set(3),  # E: "NumberAttr[Order, int, Auto]" to attribute function
        OrderAttrs.version.increment(1),  # E: "NumberAttr[Order, int, Auto]" to attribute
        OrderAttrs.created_at.set(NOW),  # E: "OrderedAttr[Order, datetime, Auto]" to attribute
        OrderAttrs.updated_at.set(NOW),  # E: "OrderedAttr[Order, datetime, Auto]" to attribute
        EntryAttrs.seq.increment(1),  # E: "NumberAttr[Entry, int, Key]" to attribute
    ]


def sessions_too() -> None:
    a1 = SessionAttrs.session_id.set(None)  # E: "Attr[Session, UUID, Key]" to attribute
    a2 = SessionAttrs.device.remove()  # E: "DeviceRef[Session, Required]" to attribute function
    a3 = SessionAttrs.device.trusted.remove()  # E: "Attr[Session, bool, Required]" to attribute
    a4 = SessionAttrs.expires_at.remove()  # E: "OrderedAttr[Session, datetime, Required]" to
    a5 = SessionAttrs.device.os.remove()  # an optional field of a required record may go
    a6 = SessionAttrs.claims.remove()  # an optional attribute may go
    print(a1, a2, a3, a4, a5, a6)


def wrong_value_in_eq(orders: OrdersTable, order: Order) -> None:
    # Argument "condition" to "put" of "OrdersTable" has incompatible type
    # "WrongValue[Decimal, str]"; expected "Condition[Order] | None"
    orders.put(order, condition=OrderAttrs.total == "12")  # E: type "WrongValue[Decimal, str]"
    orders.delete("c1", "o1", condition=OrderAttrs.quantity != "1")  # E: "WrongValue[int, str]"
    c: rt.Condition[Order] = OrderAttrs.placed_at == "2024"  # E: "WrongValue[datetime, str]"
    print(c)


def unknown_or_wrong_update_keys(orders: OrdersTable, ledger: LedgerTable) -> None:
    orders.update("c1", "o1", set={"totl": Decimal(1)})  # E: Extra key "totl" for TypedDict
    orders.update("c1", "o1", set={"total": "12"})  # E: TypedDict item "total" has type "Decimal"
    orders.update("c1", "o1", add={"quantity": 1.5})  # E: TypedDict item "quantity" has type
    ledger.update("a", 1, delete={"batch_ids": {"x"}})  # E: to <set> has incompatible type "str"
    ledger.update("a", 1, delete={"labels": {"x"}})  # E: Extra key "labels" for TypedDict
    orders.update("c1", "o1", set=None)  # E: Argument "set" to "update" of "OrdersTable"


def error_items_are_typed(orders: OrdersTable, order: Order) -> None:
    try:
        orders.put(order)
    except OrderVersionConflict as conflict:
        total: str = conflict.item.total  # E: Item "None" of "Order | None" has no attribute
        print(total, conflict.item.totl)  # E: has no attribute "totl"


def index_filters_name_only_what_the_index_carries(
    ledger: LedgerTable, sessions: UserSessionsTable
) -> None:
    # Argument "filter" to "count_by_kind" of "LedgerTable" has incompatible type
    # "Condition[Entry]"; expected "Condition[EntryByKind] | None"
    note = EntryAttrs.comment.exists()
    amount = EntryAttrs.amount > Decimal(0)
    c1 = ledger.count_by_kind(EntryKind.CREDIT, filter=note)  # E: "Condition[EntryByKind] | None"
    c2 = ledger.count_by_amount("a", filter=amount)  # E: expected "Condition[EntryByAmount] | None"
    c3 = EntryByKindAttrs.comment.exists()  # E: "type[EntryByKindAttrs]" has no attribute "comment"
    c4 = SessionByUserAttrs.risk_score > 0.5  # E: has no attribute "risk_score"
    q = ledger.query_by_kind(EntryKind.CREDIT, filter=amount)  # E: to "query_by_kind" of
    phone = SessionAttrs.device.kind == "phone"
    s = sessions.scan_by_user(filter=phone)  # E: "Condition[Session]"; expected "Condition[Sess
    print(c1, c2, c3, c4, q, s)
