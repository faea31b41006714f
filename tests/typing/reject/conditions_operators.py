"""Operators a reference's type does not have, and attributes that do not exist."""

from __future__ import annotations

from decimal import Decimal

from generated_example.ledger import EntryAttrs
from generated_example.orders import OrderAttrs


def ordering_where_there_is_no_order() -> None:
    c1 = OrderAttrs.gift < True  # E: "Attr[Order, bool, Required]"
    c2 = OrderAttrs.tags < {"a"}  # E: Unsupported operand types
    c3 = OrderAttrs.tags.between({"a"}, {"b"})  # E: has no attribute "between"
    c4 = OrderAttrs.lines > []  # E: Unsupported operand types
    c5 = OrderAttrs.shipping.between(None, None)  # E: has no attribute "between"
    assert c1 and c2 and c3 and c4 and c5


def string_functions_on_other_types() -> None:
    c1 = OrderAttrs.total.begins_with(Decimal(1))  # E: no attribute "begins_with"
    c2 = OrderAttrs.quantity.begins_with(1)  # E: no attribute "begins_with"
    c3 = EntryAttrs.seq.contains(1)  # E: no attribute "contains"
    c4 = OrderAttrs.gift.size()  # E: no attribute "size"
    c5 = OrderAttrs.lines[0].qty.size()  # E: no attribute "size"
    assert c1 and c2 and c3 and c4 and c5


def unknown_attributes() -> None:
    c1 = OrderAttrs.totl > Decimal(1)  # E: has no attribute "totl"
    c2 = EntryAttrs.status == "posted"  # E: has no attribute "status"
    c3 = OrderAttrs.n.exists()  # E: has no attribute "n"
    assert c1 and c2 and c3
