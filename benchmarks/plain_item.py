"""The second codec item: strings and ints only, generated against hand-written (issue 13).

On this item the generated pair's checks are the cheapest there are (`type(v) is str and
v.isascii()`, `type(v) is int` and a length), so it shows what the checks cost where nothing else
(datetimes, sets, records) hides them. `check_equivalence` asserts that both pairs write the same
wire item and read back the same object before anything is timed.
"""

from __future__ import annotations

from typing import Any, Mapping

from benchmarks.generated.plain import PlainItem, marshal_plain_item, unmarshal_plain_item
from dynagen.runtime import AttributeValue, ValidationError

Wire = dict[str, AttributeValue]

generated_marshal = marshal_plain_item
generated_unmarshal = unmarshal_plain_item


def sample_item() -> PlainItem:
    return PlainItem(
        pk="customer#000042",
        sk="profile",
        name="Ada Lovelace",
        email="ada@example.com",
        city="London",
        country="GB",
        quantity=3,
        score=98765,
        age=36,
        rank=-12,
    )


def hand_marshal(o: PlainItem) -> Wire:
    """The same wire item from a dict literal with no checks: the practical floor."""
    return {
        "pk": {"S": o.pk},
        "sk": {"S": o.sk},
        "name": {"S": o.name},
        "email": {"S": o.email},
        "city": {"S": o.city},
        "country": {"S": o.country},
        "quantity": {"N": str(o.quantity)},
        "score": {"N": str(o.score)},
        "age": {"N": str(o.age)},
        "rank": {"N": str(o.rank)},
    }


def types_only_marshal(o: PlainItem) -> Wire:
    """The hand-written literal with only the exact-type tests a checked marshal cannot skip.

    No ASCII (lone surrogate) test, no 38-digit test, no empty-key test: the floor of any marshal
    that keeps a `str` subclass, a bool or a float from going out as a string or an int. Its ratio
    to `hand_marshal` is what the type tests alone cost.
    """
    if (
        type(o) is not PlainItem
        or type(o.pk) is not str
        or type(o.sk) is not str
        or type(o.name) is not str
        or type(o.email) is not str
        or type(o.city) is not str
        or type(o.country) is not str
        or type(o.quantity) is not int
        or type(o.score) is not int
        or type(o.age) is not int
        or type(o.rank) is not int
    ):
        raise ValidationError("a value of the wrong type")
    return {
        "pk": {"S": o.pk},
        "sk": {"S": o.sk},
        "name": {"S": o.name},
        "email": {"S": o.email},
        "city": {"S": o.city},
        "country": {"S": o.country},
        "quantity": {"N": str(o.quantity)},
        "score": {"N": str(o.score)},
        "age": {"N": str(o.age)},
        "rank": {"N": str(o.rank)},
    }


def hand_unmarshal(raw: Mapping[str, Any]) -> PlainItem:
    return PlainItem(
        pk=raw["pk"]["S"],
        sk=raw["sk"]["S"],
        name=raw["name"]["S"],
        email=raw["email"]["S"],
        city=raw["city"]["S"],
        country=raw["country"]["S"],
        quantity=int(raw["quantity"]["N"]),
        score=int(raw["score"]["N"]),
        age=int(raw["age"]["N"]),
        rank=int(raw["rank"]["N"]),
    )


def check_equivalence(item: PlainItem) -> Wire:
    """Both pairs write the same wire item and read back the same object; returns the wire item."""
    wire = generated_marshal(item)
    for name, other in (("hand-written", hand_marshal), ("types-only", types_only_marshal)):
        if other(item) != wire:
            raise AssertionError(f"{name} wrote a different wire item:\n{other(item)}")
    for name, back in (("generated", generated_unmarshal(wire)), ("hand", hand_unmarshal(wire))):
        if back != item:
            raise AssertionError(f"{name} read back a different item:\n{back}\n{item}")
    return wire
