"""Nested references: fields only on records, elements only of lists, values only of maps."""

from __future__ import annotations

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryAttrs
from generated_example.orders import OrderAttrs


def fields_of_non_records() -> None:
    c1 = OrderAttrs.note.city == "Rome"  # E: has no attribute "city"
    c2 = OrderAttrs.metadata.city == "Rome"  # E: has no attribute "city"
    c3 = OrderAttrs.lines.sku == "s"  # E: has no attribute "sku"
    assert c1 and c2 and c3


def unknown_fields_and_wrong_indexes() -> None:
    c1 = OrderAttrs.lines[0].nope == 1  # E: "LineItemRef[Order, Removable]" has no attribute "nope"
    c2 = OrderAttrs.shipping.country == "IT"  # E: has no attribute "country"
    c3 = OrderAttrs.lines["0"].sku == "s"  # E: Invalid index type "str"
    c4 = OrderAttrs.metadata[0] == "v"  # E: Invalid index type "int"
    c5 = OrderAttrs.tags[0] == "a"  # E: is not indexable
    c6: rt.Condition[Entry] = EntryAttrs.counters["a"] == "1"  # E: type "WrongValue[int, str]"
    assert c1 and c2 and c3 and c4 and c5 and c6
