"""Values of the wrong type in conditions and update actions."""

from __future__ import annotations

from decimal import Decimal

from dynagen import runtime as rt
from generated_example.ledger import EntryAttrs
from generated_example.orders import Order, OrderAttrs, OrdersTable


def wrong_value_in_a_condition(orders: OrdersTable, order: Order) -> None:
    orders.put(order, condition=OrderAttrs.total == "12")  # E: type "WrongValue[Decimal, str]"
    orders.delete("c1", "o1", condition=OrderAttrs.quantity != "1")  # E: "WrongValue[int, str]"
    c1 = OrderAttrs.total.between(Decimal(1), 2.5)  # E: Argument 2 to "between"
    c2: rt.Condition[Order] = OrderAttrs.total.in_(Decimal(1), "2")  # E: Argument 2 to "in_"
    assert c1 and c2


def wrong_element_type_for_contains() -> None:
    c1 = OrderAttrs.tags.contains(5)  # E: incompatible type "int"; expected "str"
    c2 = EntryAttrs.batch_ids.contains("7")  # E: incompatible type "str"; expected "int"
    c3 = OrderAttrs.tags.contains({"a"})  # E: "set[str]"; expected "str"
    assert c1 and c2 and c3


def wrong_value_in_an_action(orders: OrdersTable) -> None:
    a1 = OrderAttrs.shipping.city.set(5)  # E: Argument 1 to "set" of "Attr"
    a2 = OrderAttrs.lines[0].qty.set("2")  # E: Argument 1 to "set" of "Attr"
    a3 = OrderAttrs.metadata["k"].set(1)  # E: Argument 1 to "set" of "Attr"
    a4 = OrderAttrs.lines.append(["sku"])  # E: expected "LineItem"
    orders.update("c1", "o1", actions=[OrderAttrs.note.set(None)])  # E: Argument 1 to "set"
    assert a1 and a2 and a3 and a4
