"""A Condition has no truth value (`and` / `or` / `if` would silently drop one side): its
`__bool__` is typed NoReturn, so mypy's reachability check flags the code that relies on it."""

# mypy: warn-unreachable

from __future__ import annotations

from decimal import Decimal

from dynagen import runtime as rt
from generated_example.orders import Order, OrderAttrs, OrdersTable


def and_or(orders: OrdersTable, order: Order) -> None:
    paid = OrderAttrs.total > Decimal(0)
    small = OrderAttrs.quantity < 3
    orders.put(order, condition=paid and small)  # E: Right operand of "and" is never evaluated


def either(orders: OrdersTable, order: Order) -> None:
    paid: rt.Condition[Order] = OrderAttrs.total > Decimal(0)
    orders.put(order, condition=paid or OrderAttrs.note.exists())  # E: Right operand of "or"


def as_a_test(condition: rt.Condition[Order]) -> str:
    if condition:
        return "yes"  # E: Statement is unreachable
    return "no"  # E: Statement is unreachable
