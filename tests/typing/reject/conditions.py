"""Conditions with wrong value types, unknown attributes, operators a type does not have."""

from __future__ import annotations

from decimal import Decimal

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryAttrs
from generated_example.orders import Order, OrderAttrs, OrdersTable, OrderStatus


def wrong_value_types(orders: OrdersTable, order: Order) -> None:
    orders.put(order, condition=OrderAttrs.total == "12")  # E: type "WrongValue[Decimal, str]"
    orders.delete("c1", "o1", condition=OrderAttrs.status == "paid")  # E: str]"
    orders.create(order, condition=OrderAttrs.quantity != "1")  # E: type "WrongValue[int, str]"
    c1: rt.Condition[Order] = OrderAttrs.total > "12"  # E: Unsupported operand types for >
    c2: rt.Condition[Order] = OrderAttrs.total < 12.5  # E: Unsupported operand types for <
    c3 = OrderAttrs.placed_at.between("2024", "2025")  # E: Argument 1 to "between"
    c4 = OrderAttrs.tags.contains(1)  # E: Argument 1 to "contains" of "CollectionAttr"
    c5 = OrderAttrs.status.in_(OrderStatus.PAID, "x")  # E: Argument 2 to "in_" of "Attr"
    c6 = OrderAttrs.note.begins_with(5)  # E: Argument 1 to "begins_with" of "StringAttr"
    c7 = OrderAttrs.tags.size() > "3"  # E: Unsupported operand types for >
    assert c1 and c2 and c3 and c4 and c5 and c6 and c7


def unknown_attributes() -> None:
    c1 = OrderAttrs.totl == Decimal(1)  # E: "type[OrderAttrs]" has no attribute "totl"
    c2 = OrderAttrs.n.exists()  # E: "type[OrderAttrs]" has no attribute "n"
    assert c1 and c2


def operators_a_type_lacks() -> None:
    c1 = OrderAttrs.gift < True  # E: ("bool" and "Attr[Order, bool, Required]")
    c2 = OrderAttrs.status >= OrderStatus.PAID  # E: Unsupported operand types for <=
    c3 = OrderAttrs.gift.between(False, True)  # E: has no attribute "between"
    c4 = OrderAttrs.total.begins_with(Decimal(1))  # E: has no attribute "begins_with"
    c5 = OrderAttrs.quantity.begins_with(1)  # E: has no attribute "begins_with"
    c6 = OrderAttrs.placed_at.contains("2024")  # E: has no attribute "contains"
    c7 = OrderAttrs.total.size()  # E: has no attribute "size"
    assert c1 and c2 and c3 and c4 and c5 and c6 and c7


def conditions_of_another_entity(orders: OrdersTable, order: Order) -> None:
    entry_condition: rt.Condition[Entry] = EntryAttrs.amount > Decimal(0)
    orders.put(order, condition=entry_condition)  # E: "Condition[Entry]"; expected "Condition[Order
    orders.create(order, condition=EntryAttrs.seq == 1)  # E: "Condition[Entry]"
    orders.delete("c1", "o1", condition=EntryAttrs.comment.exists())  # E: "Condition[Entry]"
    mixed = (OrderAttrs.total > Decimal(0)) & entry_condition  # E: Unsupported operand types for &
    as_order: rt.Condition[Order] = entry_condition  # E: Incompatible types in assignment
    assert mixed and as_order


def not_conditions(orders: OrdersTable, order: Order) -> None:
    orders.put(order, condition=True)  # E: Argument "condition" to "put"
    orders.put(order, condition="total > 1")  # E: Argument "condition" to "put"
    orders.delete("c1", "o1", condition=OrderAttrs.placed_at)  # E: Argument "condition" to "delete"
