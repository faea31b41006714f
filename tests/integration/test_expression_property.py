"""Property: a composed condition filters exactly the items DynamoDB's semantics say it should.

Hypothesis builds random conditions (depth <= 3, every operator, &, | and ~) over the typed
references of a small generated table whose stored names hold a dot, a space, a `#` and reserved
words. Each condition is built twice from one abstract description: once with the generated
`ThingAttrs` references (sent as a scan filter to DynamoDB Local, the reference engine), once as
a plain Python evaluator of DynamoDB's rules:

- a comparison, BETWEEN, IN or function on a missing attribute is false, and so is one whose
  types do not fit (begins_with on a set, contains on a number); NOT of those is true;
- `<>` is NOT `=`, so it holds for a missing attribute;
- strings order by their UTF-8 bytes (the same order as code points); numbers by value
  (1.5 = 1.50); sets, lists and maps compare whole, sets and maps ignoring order;
- size() is the element count of a set, list or map, and the length of a string. DynamoDB Local
  counts a string's UTF-16 code units (an emoji is 2, é is 1); for ASCII every definition agrees.

The items (~30) are written once per module; each example is one scan. The request the scan
sends is checked too: its FilterExpression holds placeholders, keywords and punctuation only,
never an attribute name or a value.
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from dynagen import runtime as rt
from dynagen.runtime import make_client
from tests.helpers import build_module, unique_name

SPEC = """
version: 1
table: things
key: {partition: pk}
entities:
  Thing:
    attributes:
      pk: string
      label: {type: string, stored_as: "first.name"}
      count: {type: int, stored_as: "item count"}
      price: {type: decimal, stored_as: "price#eur"}
      flag: {type: bool, stored_as: "status"}
      tags: set<string>
      nums: list<int>
      attrs: map<string>
      note: {type: string, optional: true, stored_as: "comment"}
"""
STORED_NAMES = {"pk", "first.name", "item count", "price#eur", "status", "tags", "nums", "attrs"}
STORED_NAMES |= {"comment"}

STRINGS = ["", "a", "ab", "abc", "b", "B", "ba", "é", "éa", "€", "\uff5e", "😀", "a😀", "z"]
STRINGS += ["x.y", "#n0", ":v0", "first.name"]  # values that look like names or placeholders
PREFIXES = ["", "a", "ab", "b", "é", "😀", "#", ":v"]
INTS = [-100, -3, -1, 0, 1, 2, 3, 100]
ELEMENTS = [-1, 0, 1, 2, 5]
DECIMALS = [Decimal(text) for text in ("0", "-1.5", "1.5", "1.50", "2", "10", "0.001", "-0.001")]
DECIMALS += [Decimal("99999.99"), Decimal("100")]
MEMBERS = ["a", "b", "c", "é"]
KEYS = ["k", "status", "x.y"]  # map keys: plain, a reserved word, a dot
WIRE_TYPES: list[rt.expressions.WireType] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL"]
WIRE_TYPES += ["L", "M"]


# ---------------------------------------------------------------- items and table


def make_items(module: ModuleType) -> list[Any]:
    """~30 fixed items: a few hand-picked edges, the rest drawn from a seeded generator."""
    thing = module.Thing
    items = [
        thing(pk="empty", label="", count=0, price=Decimal("0"), flag=False, tags=set(), nums=[],
              attrs={}),
        thing(
            pk="full",
            label="abc",
            count=3,
            price=Decimal("1.50"),
            flag=True,
            tags={"a", "b", "c", "é"},
            nums=[1, 2, 5],
            attrs={"k": "a", "status": "b", "x.y": "😀"},
            note="#n0",
        ),
        thing(pk="emoji", label="😀", count=-1, price=Decimal("-0.001"), flag=True, tags={"é"},
              nums=[0], attrs={"k": ""}, note="\uff5e"),
    ]  # fmt: skip
    rng = random.Random(20240601)
    for number in range(27):
        items.append(
            thing(
                pk=f"item-{number:02}",
                label=rng.choice(STRINGS),
                count=rng.choice(INTS),
                price=rng.choice(DECIMALS),
                flag=rng.random() < 0.5,
                tags=set(rng.sample(MEMBERS, rng.randint(0, 3))),
                nums=[rng.choice(ELEMENTS) for _ in range(rng.randint(0, 3))],
                attrs={key: rng.choice(STRINGS) for key in rng.sample(KEYS, rng.randint(0, 3))},
                note=rng.choice([None, *STRINGS]),
            )
        )
    return items


@dataclass
class Env:
    module: ModuleType
    table: Any
    items: list[Any]
    scans: list[dict[str, Any]]  # the Scan requests sent, as built


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, local_endpoint: str) -> Iterator[Env]:
    module = build_module(Path(tmp_path_factory.mktemp("things")), SPEC, "things")
    client = make_client(endpoint_url=local_endpoint, region_name="us-east-1")
    scans: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        scans.append(copy.deepcopy(params))

    client.meta.events.register("before-parameter-build.dynamodb.Scan", record)
    items = make_items(module)
    table = module.ThingsTable(client, table_name=unique_name("things"))
    table.create_table()
    table.batch_put(items)
    yield Env(module, table, items, scans)
    table.delete_table(wait=False)


# ---------------------------------------------------------------- references


@dataclass(frozen=True)
class Ref:
    """One attribute or nested path: its kind, wire type, value in an item, typed reference."""

    text: str
    kind: str  # str | int | dec | bool | set | list | map
    wire: str
    get: Callable[[Any], tuple[bool, Any]]  # item -> (present, value)
    ref: Callable[[Any], Any]  # ThingAttrs -> the typed reference

    def __repr__(self) -> str:
        return self.text


def _present(value: Any) -> tuple[bool, Any]:
    return (value is not None, value)


def _element(index: int) -> Ref:
    return Ref(
        f"nums[{index}]",
        "int",
        "N",
        lambda t: (index < len(t.nums), t.nums[index] if index < len(t.nums) else None),
        lambda a: a.nums[index],
    )


def _map_value(key: str) -> Ref:
    return Ref(
        f"attrs[{key!r}]", "str", "S", lambda t: _present(t.attrs.get(key)), lambda a: a.attrs[key]
    )


REFS = [
    Ref("pk", "str", "S", lambda t: (True, t.pk), lambda a: a.pk),
    Ref("label", "str", "S", lambda t: (True, t.label), lambda a: a.label),
    Ref("note", "str", "S", lambda t: _present(t.note), lambda a: a.note),
    Ref("count", "int", "N", lambda t: (True, t.count), lambda a: a.count),
    Ref("price", "dec", "N", lambda t: (True, t.price), lambda a: a.price),
    Ref("flag", "bool", "BOOL", lambda t: (True, t.flag), lambda a: a.flag),
    Ref("tags", "set", "SS", lambda t: (bool(t.tags), t.tags), lambda a: a.tags),
    Ref("nums", "list", "L", lambda t: (True, t.nums), lambda a: a.nums),
    Ref("attrs", "map", "M", lambda t: (True, t.attrs), lambda a: a.attrs),
    *[_element(index) for index in range(3)],
    *[_map_value(key) for key in KEYS],
]  # fmt: skip
BY_KIND: dict[str, list[Ref]] = {}
for _ref in REFS:
    BY_KIND.setdefault(_ref.kind, []).append(_ref)
ORDERED = BY_KIND["str"] + BY_KIND["int"] + BY_KIND["dec"]
SCALAR = ORDERED + BY_KIND["bool"]
SIZED = BY_KIND["str"] + BY_KIND["set"] + BY_KIND["list"] + BY_KIND["map"]

VALUES: dict[str, st.SearchStrategy[Any]] = {
    "str": st.sampled_from(STRINGS),
    "int": st.sampled_from(INTS + ELEMENTS) | st.integers(-5, 105),
    "dec": st.sampled_from(DECIMALS),
    "bool": st.booleans(),
    "set": st.sets(st.sampled_from(MEMBERS), min_size=1, max_size=4),  # empty: not sendable
    "list": st.lists(st.sampled_from(ELEMENTS), max_size=3),
    "map": st.dictionaries(st.sampled_from(KEYS), st.sampled_from(STRINGS), max_size=3),
}


def _no_empty(ref: Ref, options: list[Any]) -> list[Any]:
    """Key values cannot be empty: dynagen refuses "" for `pk` even in a condition."""
    return [option for option in options if option != ""] if ref.text == "pk" else options


def values_for(ref: Ref) -> st.SearchStrategy[Any]:
    if ref.text == "pk":
        return st.sampled_from(_no_empty(ref, STRINGS) + ["empty", "full", "item-03"])
    return VALUES[ref.kind]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def size_of(value: Any) -> int:
    return utf16_length(value) if isinstance(value, str) else len(value)


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}
BUILD: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda r, v: r == v,
    "!=": lambda r, v: r != v,
    "<": lambda r, v: r < v,
    "<=": lambda r, v: r <= v,
    ">": lambda r, v: r > v,
    ">=": lambda r, v: r >= v,
}


# ---------------------------------------------------------------- abstract conditions


class Node:
    def build(self, attrs: Any) -> rt.Condition[Any]:
        raise NotImplementedError

    def holds(self, item: Any) -> bool:
        raise NotImplementedError


@dataclass(frozen=True, repr=False)
class Compare(Node):
    ref: Ref
    op: str
    value: Any
    size: bool = False

    def build(self, attrs: Any) -> rt.Condition[Any]:
        target = self.ref.ref(attrs)
        return BUILD[self.op](target.size() if self.size else target, self.value)

    def holds(self, item: Any) -> bool:
        present, value = self.ref.get(item)
        if not present:  # a missing operand: every comparison is false, so `<>` is true
            return self.op == "!="
        return COMPARE[self.op](size_of(value) if self.size else value, self.value)

    def __repr__(self) -> str:
        left = f"size({self.ref})" if self.size else repr(self.ref)
        return f"({left} {self.op} {self.value!r})"


@dataclass(frozen=True, repr=False)
class Between(Node):
    ref: Ref
    low: Any
    high: Any
    size: bool = False

    def build(self, attrs: Any) -> rt.Condition[Any]:
        target = self.ref.ref(attrs)
        return (target.size() if self.size else target).between(self.low, self.high)

    def holds(self, item: Any) -> bool:
        present, value = self.ref.get(item)
        if not present:
            return False
        value = size_of(value) if self.size else value
        return bool(self.low <= value <= self.high)

    def __repr__(self) -> str:
        left = f"size({self.ref})" if self.size else repr(self.ref)
        return f"({left} BETWEEN {self.low!r} AND {self.high!r})"


@dataclass(frozen=True, repr=False)
class In(Node):
    ref: Ref
    values: tuple[Any, ...]

    def build(self, attrs: Any) -> rt.Condition[Any]:
        return self.ref.ref(attrs).in_(*self.values)

    def holds(self, item: Any) -> bool:
        present, value = self.ref.get(item)
        return present and any(value == option for option in self.values)

    def __repr__(self) -> str:
        return f"({self.ref} IN {self.values!r})"


@dataclass(frozen=True, repr=False)
class Function(Node):
    name: str  # exists | not_exists | is_type | begins_with | contains
    ref: Ref
    argument: Any = None

    def build(self, attrs: Any) -> rt.Condition[Any]:
        target = self.ref.ref(attrs)
        if self.name in ("exists", "not_exists"):
            return getattr(target, self.name)()
        return getattr(target, self.name)(self.argument)

    def holds(self, item: Any) -> bool:
        present, value = self.ref.get(item)
        if self.name == "exists":
            return present
        if self.name == "not_exists":
            return not present
        if not present:
            return False
        if self.name == "is_type":
            return bool(self.ref.wire == self.argument)
        if self.name == "begins_with":
            return isinstance(value, str) and value.startswith(self.argument)
        return bool(self.argument in value)  # contains: substring, set member, list element

    def __repr__(self) -> str:
        argument = "" if self.argument is None else f", {self.argument!r}"
        return f"{self.name}({self.ref}{argument})"


@dataclass(frozen=True, repr=False)
class And(Node):
    left: Node
    right: Node

    def build(self, attrs: Any) -> rt.Condition[Any]:
        return self.left.build(attrs) & self.right.build(attrs)

    def holds(self, item: Any) -> bool:
        return self.left.holds(item) and self.right.holds(item)

    def __repr__(self) -> str:
        return f"({self.left!r} & {self.right!r})"


@dataclass(frozen=True, repr=False)
class Or(Node):
    left: Node
    right: Node

    def build(self, attrs: Any) -> rt.Condition[Any]:
        return self.left.build(attrs) | self.right.build(attrs)

    def holds(self, item: Any) -> bool:
        return self.left.holds(item) or self.right.holds(item)

    def __repr__(self) -> str:
        return f"({self.left!r} | {self.right!r})"


@dataclass(frozen=True, repr=False)
class Not(Node):
    inner: Node

    def build(self, attrs: Any) -> rt.Condition[Any]:
        return ~self.inner.build(attrs)

    def holds(self, item: Any) -> bool:
        return not self.inner.holds(item)

    def __repr__(self) -> str:
        return f"~{self.inner!r}"


# ---------------------------------------------------------------- strategies


@st.composite
def comparisons(draw: st.DrawFn) -> Node:
    ref = draw(st.sampled_from(ORDERED))
    return Compare(ref, draw(st.sampled_from(sorted(COMPARE))), draw(values_for(ref)))


@st.composite
def equalities(draw: st.DrawFn) -> Node:
    ref = draw(st.sampled_from(REFS))
    return Compare(ref, draw(st.sampled_from(["==", "!="])), draw(values_for(ref)))


@st.composite
def betweens(draw: st.DrawFn) -> Node:
    ref = draw(st.sampled_from(ORDERED))
    low, high = sorted([draw(values_for(ref)), draw(values_for(ref))])  # DynamoDB: low <= high
    return Between(ref, low, high)


@st.composite
def sizes(draw: st.DrawFn) -> Node:
    ref = draw(st.sampled_from(SIZED))
    if draw(st.booleans()):
        low, high = sorted([draw(st.integers(0, 4)), draw(st.integers(0, 4))])
        return Between(ref, low, high, size=True)
    return Compare(ref, draw(st.sampled_from(sorted(COMPARE))), draw(st.integers(0, 4)), size=True)


@st.composite
def ins(draw: st.DrawFn) -> Node:
    ref = draw(st.sampled_from(SCALAR))
    return In(ref, tuple(draw(st.lists(values_for(ref), min_size=1, max_size=4))))


@st.composite
def functions(draw: st.DrawFn) -> Node:
    name = draw(st.sampled_from(["exists", "not_exists", "is_type", "begins_with", "contains"]))
    if name in ("exists", "not_exists"):
        return Function(name, draw(st.sampled_from(REFS)))
    if name == "is_type":
        return Function(name, draw(st.sampled_from(REFS)), draw(st.sampled_from(WIRE_TYPES)))
    if name == "begins_with":
        ref = draw(st.sampled_from(BY_KIND["str"]))
        return Function(name, ref, draw(st.sampled_from(_no_empty(ref, PREFIXES))))
    ref = draw(st.sampled_from(BY_KIND["str"] + BY_KIND["set"] + BY_KIND["list"]))
    argument = {
        "str": st.sampled_from(_no_empty(ref, PREFIXES + STRINGS)),
        "set": st.sampled_from(MEMBERS + ["zz"]),
        "list": st.sampled_from(ELEMENTS + [7]),
    }[ref.kind]
    return Function(name, ref, draw(argument))


LEAVES: st.SearchStrategy[Node] = st.one_of(
    comparisons(), equalities(), betweens(), sizes(), ins(), functions()
)


def conditions(depth: int) -> st.SearchStrategy[Node]:
    """Leaves, and &, |, ~ of conditions up to `depth` levels deep."""
    if depth == 0:
        return LEAVES
    inner = conditions(depth - 1)
    return st.one_of(
        LEAVES,
        st.builds(And, inner, inner),
        st.builds(Or, inner, inner),
        st.builds(Not, inner),
    )


# ---------------------------------------------------------------- the properties

TOKEN = re.compile(
    r"\s+|#n\d+|:v\d+|\[\d+\]|[().,]|<>|<=|>=|=|<|>"
    r"|\b(?:AND|OR|NOT|BETWEEN|IN|attribute_exists|attribute_not_exists|attribute_type"
    r"|begins_with|contains|size)\b"
)


def assert_placeholders_only(request: dict[str, Any]) -> None:
    text = request["FilterExpression"]
    leftover = TOKEN.sub("", text)
    assert leftover == "", f"{text!r} holds more than placeholders and keywords: {leftover!r}"
    names = request.get("ExpressionAttributeNames", {})
    values = request.get("ExpressionAttributeValues", {})
    assert set(re.findall(r"#n\d+", text)) == set(names)
    assert set(re.findall(r":v\d+", text)) == set(values)
    assert set(names.values()) <= STORED_NAMES | set(KEYS)


@settings(max_examples=60, deadline=None, database=None)
@given(node=conditions(3))
def test_scan_filter_agrees_with_dynamodb_semantics(env: Env, node: Node) -> None:
    attrs = env.module.ThingAttrs
    condition = node.build(attrs)
    expected = {item.pk for item in env.items if node.holds(item)}
    event(
        "matches "
        + ("none" if not expected else "all" if len(expected) == len(env.items) else "some")
    )
    sent = len(env.scans)
    found = {item.pk for item in env.table.scan(filter=condition, consistent_read=True)}
    assert found == expected, f"{node!r}: DynamoDB {sorted(found)} vs reference {sorted(expected)}"
    assert len(env.scans) > sent
    for request in env.scans[sent:]:
        assert_placeholders_only(request)


def test_the_items_cover_every_kind_of_value(env: Env) -> None:
    """The fixed items reach the cases the properties rely on (and were all written)."""
    stored = {item.pk: item for item in env.table.scan(consistent_read=True)}
    assert stored == {item.pk: item for item in env.items}
    assert any(item.note is None for item in env.items)
    assert any(not item.tags for item in env.items) and any(
        len(item.tags) > 2 for item in env.items
    )
    assert any(not item.nums for item in env.items) and any(
        len(item.nums) == 3 for item in env.items
    )
    assert any(not item.attrs for item in env.items)
    assert any(any(ord(c) > 0xFFFF for c in item.label) for item in env.items)


def test_size_of_strings_on_dynamodb_local_counts_utf16_units(env: Env) -> None:
    """The rule the reference's size() follows, pinned down on its own."""
    attrs = env.module.ThingAttrs
    found = {t.pk for t in env.table.scan(filter=(attrs.pk == "emoji") & (attrs.label.size() == 2))}
    assert found == {"emoji"}  # "😀": one code point, 4 UTF-8 bytes, 2 UTF-16 code units
