"""A condition or an action about one entity given to another entity's table."""

from __future__ import annotations

from decimal import Decimal

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryAttrs, LedgerTable
from generated_example.orders import Order, OrderAttrs, OrdersTable


def entry_conditions_on_orders(orders: OrdersTable, order: Order) -> None:
    entry_condition = EntryAttrs.amount > Decimal(0)
    orders.put(order, condition=entry_condition)  # E: "Condition[Entry]"
    orders.update("c1", "o1", condition=EntryAttrs.comment.exists())  # E: "Condition[Entry]"
    list(orders.query("c1", filter=EntryAttrs.seq == 1))  # E: "Condition[Entry]"
    orders.tx_check("c1", "o1", condition=entry_condition)  # E: "Condition[Entry]"


def entry_actions_on_orders(orders: OrdersTable, ledger: LedgerTable) -> None:
    orders.update("c1", "o1", actions=[EntryAttrs.labels.append(["x"])])  # E: "Action[Entry]"
    orders.tx_update("c1", "o1", actions=[EntryAttrs.comment.set("c")])  # E: "Action[Entry]"
    ledger.update("a", 1, actions=[OrderAttrs.note.set("n")])  # E: "Action[Order]"
    mixed: list[rt.Action[Entry]] = [OrderAttrs.note.set("n")]  # E: "Action[Order]"
    assert mixed
