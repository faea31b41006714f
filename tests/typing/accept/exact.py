"""Right call sites that exact typing must keep accepting: removing what may be removed, setting
what may be set, `attributes=` given as None or forwarded, tuples of reads, typed error items."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Collection, Iterator

from dynagen import runtime as rt
from generated_example.ledger import (
    Entry,
    EntryAttrs,
    EntryByAmountAttrs,
    EntryByKindAttrs,
    EntryField,
    EntryKind,
    EntryPartial,
    LedgerTable,
)
from generated_example.orders import (
    Order,
    OrderAttrs,
    OrderConditionFailed,
    OrderPartial,
    OrdersTable,
    OrderVersionConflict,
)
from generated_example.user_sessions import SessionByUserAttrs, UserSessionsTable

UTC = datetime.timezone.utc


def allowed_actions(orders: OrdersTable) -> Order:
    return orders.update(
        "c1",
        "o1",
        actions=[
            OrderAttrs.note.remove(),  # optional
            OrderAttrs.tags.remove(),  # optional set
            OrderAttrs.shipping.zip.remove(),  # optional field of a record
            OrderAttrs.shipping.city.set("Rome"),  # a required field may be set
            OrderAttrs.lines[0].remove(),  # a list element may go: the list stays
            OrderAttrs.metadata["k"].remove(),  # a map entry may go
            OrderAttrs.total.set(Decimal("12.50")),
            OrderAttrs.expires_at.set(datetime.datetime(2030, 1, 1, tzinfo=UTC)),
        ],
    )


def an_action_list_in_a_variable(ledger: LedgerTable) -> Entry:
    actions: list[rt.Action[Entry]] = [EntryAttrs.comment.remove(), EntryAttrs.labels.append(["x"])]
    actions.append(EntryAttrs.counters["hits"].set(1))
    return ledger.update("acc", 1, actions=actions)


def conditions_combined(orders: OrdersTable, order: Order) -> Order:
    condition: rt.Condition[Order] = (OrderAttrs.total > Decimal(0)) & ~OrderAttrs.note.exists()
    either = (OrderAttrs.quantity == 1) | (OrderAttrs.quantity != 2)
    return orders.put(order, condition=condition & either)


def attributes_none_or_forwarded(
    ledger: LedgerTable, fields: list[EntryField] | None, wanted: Collection[EntryField] | None
) -> list[Entry | EntryPartial]:
    whole: Entry | None = ledger.get("acc", 1, attributes=None)
    either: Entry | EntryPartial | None = ledger.get("acc", 1, attributes=fields)
    found: list[Entry | EntryPartial] = [item for item in (whole, either) if item is not None]
    found.extend(ledger.query("acc", attributes=wanted))
    found.extend(ledger.query("acc", attributes=None))
    page: rt.Page[Entry] | rt.Page[EntryPartial] = ledger.query_page("acc", attributes=fields)
    found.extend(page.items)
    return found


def reads_into_a_tuple(orders: OrdersTable, ledger: LedgerTable) -> Decimal:
    gets = [orders.tx_get("c1", f"o{n}") for n in range(3)]
    stored: tuple[Order | None, ...] = rt.transact_get_all(gets)
    both: tuple[Order | None, Entry | None] = rt.transact_get(
        orders.tx_get("c1", "o1"), ledger.tx_get("acc", 1)
    )
    order, entry = both
    return sum((item.total for item in stored if item is not None), Decimal(0))


def writes_from_a_generator(orders: OrdersTable, ledger: LedgerTable, items: list[Order]) -> str:
    def operations() -> Iterator[rt.TxWrite[object]]:
        yield from (orders.tx_put(item) for item in items)
        yield ledger.tx_delete("acc", 1)

    return rt.transact_write(operations())


def created_item(orders: OrdersTable, order: Order) -> Decimal:
    return orders.tx_create(order).item.total


def typed_error_items(orders: OrdersTable, order: Order) -> Decimal | None:
    try:
        orders.put(order)
    except OrderVersionConflict as conflict:
        stored: Order | None = conflict.item
        return None if stored is None else stored.total
    except OrderConditionFailed as failed:
        return None if failed.item is None else failed.item.total
    except rt.ConditionFailed as untyped:  # still caught by the runtime's own class
        return None if untyped.raw_item is None else Decimal(0)
    return order.total


def index_filters(ledger: LedgerTable, sessions: UserSessionsTable) -> int:
    """A projecting index's filters use its own references; an `all` index takes the entity's."""
    credits = ledger.query_by_kind(EntryKind.CREDIT, filter=EntryByKindAttrs.account_id == "a")
    phones = SessionByUserAttrs.device.kind == "phone"
    mine = sessions.query_by_user_page(
        "user-1", filter=phones & SessionByUserAttrs.device.os.exists()
    )
    euros = ledger.count_by_amount("acc", filter=EntryByAmountAttrs.currency == "EUR")
    refs = ledger.query_by_order_ref("ORD", filter=EntryAttrs.comment.exists())
    return len([*credits, *mine.items, *refs]) + euros
