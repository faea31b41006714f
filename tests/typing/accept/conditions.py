"""Right uses of conditions, nested references, update actions and transactions (mypy --strict)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryAttrs, EntryKind, LedgerTable
from generated_example.orders import (
    Address,
    LineItem,
    Order,
    OrderAttrs,
    OrdersTable,
    OrderStatus,
)

UTC = datetime.timezone.utc


def every_operator() -> list[rt.Condition[Order]]:
    start = datetime.datetime(2024, 1, 1, tzinfo=UTC)
    return [
        OrderAttrs.total == Decimal("12"),
        OrderAttrs.total != Decimal("12"),
        OrderAttrs.total < Decimal("12"),
        OrderAttrs.total <= Decimal("12"),
        OrderAttrs.total > Decimal("12"),
        OrderAttrs.total >= Decimal("12"),
        OrderAttrs.total.between(Decimal(1), Decimal(2)),
        OrderAttrs.placed_at.between(start, start + datetime.timedelta(days=1)),
        OrderAttrs.order_id.begins_with("2024-"),
        OrderAttrs.note.contains("door"),
        OrderAttrs.tags.contains("vip"),
        OrderAttrs.lines.contains(LineItem(sku="s", qty=1, price=Decimal(1))),
        OrderAttrs.note.exists(),
        OrderAttrs.shipping.not_exists(),
        OrderAttrs.tags.is_type("SS"),
        OrderAttrs.note.size() > 3,
        OrderAttrs.tags.size() >= 2,
        OrderAttrs.lines.size().between(1, 5),
        OrderAttrs.metadata.size() == 0,
        OrderAttrs.shipping.size() != 2,
        OrderAttrs.status.in_(OrderStatus.PAID, OrderStatus.SHIPPED),
        OrderAttrs.quantity.in_(*range(100)),
        OrderAttrs.gift == True,  # noqa: E712 - builds a condition
        OrderAttrs.gift != False,  # noqa: E712
    ]


def nested_references() -> list[rt.Condition[Order]]:
    return [
        OrderAttrs.shipping.city == "Rome",
        OrderAttrs.shipping.city.begins_with("Ro"),
        OrderAttrs.shipping.zip.not_exists(),
        OrderAttrs.shipping.street.size() < 40,
        OrderAttrs.lines[0].sku == "sku-1",
        OrderAttrs.lines[1].qty > 2,
        OrderAttrs.lines[1].price.between(Decimal(1), Decimal(9)),
        OrderAttrs.lines[0] == LineItem(sku="a", qty=1, price=Decimal(1)),
        OrderAttrs.lines[2].exists(),
        OrderAttrs.metadata["k"] == "v",
        OrderAttrs.metadata["k"].begins_with("v"),
        OrderAttrs.metadata["k"].in_("a", "b"),
        OrderAttrs.shipping == Address(street="s", city="c"),
    ]


def entry_references() -> list[rt.Condition[Entry]]:
    return [
        EntryAttrs.entry_status == "posted",
        EntryAttrs.comment.contains("x"),
        EntryAttrs.order_ref.begins_with("ORD #"),
        EntryAttrs.batch_ids.contains(7),
        EntryAttrs.fx_rates.contains(Decimal("1.5")),
        EntryAttrs.labels[0] == "salary",
        EntryAttrs.labels.contains("monthly"),
        EntryAttrs.counters["retries"] >= 2,
        EntryAttrs.kind.in_(EntryKind.CREDIT, EntryKind.DEBIT),
        EntryAttrs.booked_on < datetime.date(2024, 3, 1),
    ]


def combined() -> rt.Condition[Order]:
    a = OrderAttrs.status == OrderStatus.PAID
    b = OrderAttrs.gift == True  # noqa: E712
    c = OrderAttrs.quantity > 2
    either: rt.Condition[Order] = a | b & c
    grouped: rt.Condition[Order] = (a | b) & c
    negated: rt.Condition[Order] = ~b & c
    return either | grouped | ~negated


def order_actions() -> list[rt.Action[Order]]:
    return [
        OrderAttrs.shipping.city.set("Milan"),
        OrderAttrs.shipping.zip.set_if_not_exists("00100"),
        OrderAttrs.note.set_if_not_exists("none"),
        OrderAttrs.lines.append([LineItem(sku="z", qty=1, price=Decimal(1))]),
        OrderAttrs.lines.prepend([]),
        OrderAttrs.lines[0].remove(),
        OrderAttrs.lines[1].qty.set(3),
        OrderAttrs.metadata["k"].set("v"),
        OrderAttrs.metadata["gone"].remove(),
        OrderAttrs.shipping.set(Address(street="s", city="c")),
    ]


def writes(orders: OrdersTable, ledger: LedgerTable, order: Order) -> Order:
    orders.put(order, condition=OrderAttrs.shipping.city == "Rome")
    orders.delete("c1", "o1", condition=OrderAttrs.lines[0].sku.begins_with("s"))
    ledger.update("acc", 1, actions=[EntryAttrs.labels.append(["x"])])
    ledger.delete("acc", 1, condition=EntryAttrs.entry_status != "void")
    return orders.update(
        "c1",
        "o1",
        set={"status": OrderStatus.PAID},
        add={"quantity": 1},
        remove=["note"],
        delete={"tags": {"a"}},
        actions=order_actions(),
        condition=combined() & nested_references()[0],
        expected_version=2,
    )


def transactions(orders: OrdersTable, ledger: LedgerTable, order: Order, entry: Entry) -> str:
    operations: list[rt.TxWrite[Order] | rt.TxWrite[Entry]] = [
        orders.tx_create(order),
        orders.tx_put(order, condition=OrderAttrs.total > Decimal(0)),
        orders.tx_update("c1", "o2", actions=[OrderAttrs.shipping.city.set("Rome")]),
        orders.tx_delete("c1", "o3", expected_version=1),
        ledger.tx_create(entry),
        ledger.tx_check("acc", 1, condition=EntryAttrs.comment.exists()),
    ]
    created = orders.tx_create(order)
    stored: Order | None = created.item
    assert stored is not None
    try:
        return rt.transact_write(operations, token="t" * 36)
    except rt.TransactionCanceled as error:
        for reason in error.reasons:
            index: int = reason.index
            code: str = reason.code
            described: str = reason.operation
            failure: rt.ConditionFailed | None = reason.error
            if isinstance(failure, rt.VersionConflict):
                actual: int | None = failure.actual
                print(index, code, described, failure.expected, actual)
        raise


def reads(orders: OrdersTable, ledger: LedgerTable) -> Decimal:
    a, b = rt.transact_get(orders.tx_get("c1", "o1"), ledger.tx_get("acc", 1))
    total = Decimal(0)
    if a is not None:
        total += a.total
    if b is not None:
        total += b.amount
    (only,) = rt.transact_get(ledger.tx_get("acc", 2))
    if only is not None:
        label: list[str] = only.labels
        print(label)
    many = rt.transact_get_all([orders.tx_get("c1", "o1")])
    return total + sum((o.total for o in many if o is not None), Decimal(0))
