"""Typed transactions: each transact_get position has its own table's item type."""

from __future__ import annotations

from decimal import Decimal

from dynagen import runtime as rt
from generated_example.ledger import Entry, LedgerTable
from generated_example.orders import Order, OrderAttrs, OrdersTable


def results_used_as_the_wrong_type(orders: OrdersTable, ledger: LedgerTable) -> None:
    a, b = rt.transact_get(orders.tx_get("c1", "o1"), ledger.tx_get("acc", 1))
    entry: Entry | None = a  # E: expression has type "Order | None"
    if b is not None:
        total: Decimal = b.total  # E: "Entry" has no attribute "total"
    order: Order = a  # E: variable has type "Order"
    pair = rt.transact_get(orders.tx_get("c1", "o1"), ledger.tx_get("acc", 1))
    x, y, z = pair  # E: Need more than 2 values
    assert entry and total and order and x and y and z


def wrong_operations(orders: OrdersTable, ledger: LedgerTable) -> None:
    check = orders.tx_check("c1", "o1", condition=OrderAttrs.gift.exists())
    rt.transact_get(check)  # E: No overload variant of "transact_get"
    rt.transact_write([orders.tx_get("c1", "o1")])  # E: expected "TxWrite[Any]"
    ledger.tx_get("acc", "1")  # E: "tx_get" of "LedgerTable" matches argument types "str", "str"


def only_creates_and_puts_carry_an_item(orders: OrdersTable) -> None:
    update = orders.tx_update("c1", "o1", set={"total": Decimal("1")})
    print(update.item)  # E: "TxWrite[Order]" has no attribute "item"
