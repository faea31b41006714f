"""Transactions type-check the way they are written: lists and generators of operations from
several tables, and the stored item of a create or put without a None check."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from dynagen import runtime as rt
from generated_example.ledger import Entry, LedgerTable
from generated_example.orders import Order, OrdersTable


def a_list_built_first(orders: OrdersTable, ledger: LedgerTable, order: Order) -> str:
    operations = [
        orders.tx_create(order),
        ledger.tx_update("acc-1", 7, add={"amount": Decimal("-10")}),
        orders.tx_delete("c1", "o-old"),
    ]
    operations.append(ledger.tx_delete("acc-1", 8))
    return rt.transact_write(operations)


def a_generator(orders: OrdersTable, items: list[Order]) -> str:
    return rt.transact_write(orders.tx_put(item) for item in items)


def typed_lists(orders: OrdersTable, ledger: LedgerTable, order: Order) -> None:
    writes: list[rt.TxWrite[object]] = [orders.tx_create(order), ledger.tx_delete("a", 1)]
    puts: list[rt.TxPut[Order]] = [orders.tx_put(order)]
    rt.transact_write([*writes, *puts])


def the_stored_item(orders: OrdersTable, order: Order) -> Decimal:
    created = orders.tx_create(order)
    stored: Order = created.item  # a create knows what it stores: no None check
    return stored.total


def operations_from_a_function(orders: OrdersTable, orders_to_put: list[Order]) -> None:
    def make() -> Iterator[rt.TxWrite[Order]]:
        for item in orders_to_put:
            yield orders.tx_put(item)

    rt.transact_write(make())


def reads(orders: OrdersTable, ledger: LedgerTable) -> Entry | None:
    order, entry = rt.transact_get(orders.tx_get("c1", "o1"), ledger.tx_get("acc", 1))
    many = rt.transact_get_all([orders.tx_get("c1", f"o{n}") for n in range(3)])
    assert order is None or isinstance(order, Order)
    assert all(item is None or item.total >= 0 for item in many)
    return entry
