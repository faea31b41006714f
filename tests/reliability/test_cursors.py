"""Every legal key fits in a cursor, and the cursor scope is everything that shapes a read.

DynamoDB's key limits ("Constraints" in the Developer Guide): a partition key value is 1-2048
bytes, a sort key value 1-1024 bytes, a number has up to 38 significant digits and is written
in plain notation (up to 170 characters at 1E-130), and a key attribute name is up to 255
bytes. The last evaluated key of an index read holds the table's key and the index's: up to
four attributes. `MAX_CURSOR_CHARS` is the length of the cursor of the largest such key: the
tests here build that key (and its neighbours) offline, then the largest keys of each key type
on DynamoDB Local, page through them one item at a time and resume every cursor.

The scope a cursor is bound to is checked field by field offline; that it holds across
processes (a set iterates in another order in each) is checked with a child process.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime
import itertools
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import pytest

from dynagen import runtime as rt
from dynagen.runtime import pages
from dynagen.runtime.types import AttributeValue
from tests.helpers import build_module, unique_name

PARTITION_KEY_BYTES = 2048  # DynamoDB's limits, as the Developer Guide states them
SORT_KEY_BYTES = 1024
SCOPE = "scope-of-22-characters"  # as long as a read's scope (test_a_scope_is_22_characters)


# Names of 255 bytes: the largest JSON escapes to six characters a byte, \u00XX.
WORST_NAMES = ["\x01" * 255, "\x02" * 255, "\x03" * 255, "\x04" * 255]
OTHER_NAMES = {
    "short": ["p", "s", "gp", "gs"],
    "255 ascii": [c * 255 for c in "psgh"],
    "255 quotes": [c * 254 + d for c, d in zip('"\\"\\', "psgh")],
    "254 two-byte": [c * 127 for c in "éüöä"],
    "252 four-byte": [c * 63 for c in "😀😁😂🤣"],
    "255 control": WORST_NAMES,
}


def text_of(size: int, kind: str) -> str:
    """A string of exactly `size` UTF-8 bytes (when `size` allows) of one kind of character."""
    unit = {"ascii": "a", "control": "\x01", "quote": '"', "two": "é", "three": "€", "four": "😀"}
    char = unit[kind]
    width = len(char.encode("utf-8"))
    return char * (size // width) + "a" * (size % width)


NUMBERS = [
    "-0." + "0" * 129 + "1" * 38,  # DynamoDB's spelling of -1.11...E-130: 170 characters
    "-" + "9" * 38 + "0" * 88,  # -9.99...E+125
    "1" * 38,
    "-1.2345678901234567890123456789012345678E-130",  # exponent notation, should one come back
]


def values(limit: int) -> dict[str, AttributeValue]:
    """The largest value of each kind for a key of at most `limit` bytes."""
    out: dict[str, AttributeValue] = {
        f"S {kind}": {"S": text_of(limit, kind)}
        for kind in ("ascii", "control", "quote", "two", "three", "four")
    }
    out["B"] = {"B": bytes(range(256)) * (limit // 256)}
    out |= {f"N {n}": {"N": text} for n, text in enumerate(NUMBERS)}
    return out


def test_max_cursor_chars_is_the_cursor_of_the_largest_legal_key() -> None:
    """Two partition keys of 2048 bytes and two sort keys of 1024 (an index's and the table's),
    under four names of 255 bytes, each the most expensive to write: exactly MAX_CURSOR_CHARS."""
    assert pages.MAX_NUMBER_CHARS == len(NUMBERS[0]) == 170
    assert (pages.MAX_PARTITION_KEY_BYTES, pages.MAX_SORT_KEY_BYTES) == (2048, 1024)
    key: dict[str, AttributeValue] = {
        WORST_NAMES[0]: {"S": "\x00" * PARTITION_KEY_BYTES},
        WORST_NAMES[1]: {"S": "\x00" * SORT_KEY_BYTES},
        WORST_NAMES[2]: {"S": "\x1f" * PARTITION_KEY_BYTES},
        WORST_NAMES[3]: {"S": "\x1f" * SORT_KEY_BYTES},
    }
    cursor = pages.encode_cursor(SCOPE, key)
    assert len(cursor) == pages.MAX_CURSOR_CHARS == 19239
    assert pages.decode_cursor(cursor, SCOPE, WORST_NAMES) == key
    with pytest.raises(rt.InvalidCursor):
        pages.decode_cursor(cursor + "A", SCOPE, WORST_NAMES)  # one character more is not ours


@pytest.mark.parametrize("names", OTHER_NAMES.values(), ids=OTHER_NAMES.keys())
def test_every_largest_key_of_every_kind_fits_and_round_trips(names: list[str]) -> None:
    partitions = values(PARTITION_KEY_BYTES)
    sorts = values(SORT_KEY_BYTES)
    checked = 0
    for p, s in itertools.product(partitions, sorts):
        for key in (
            {names[0]: partitions[p]},
            {names[0]: partitions[p], names[1]: sorts[s]},
            {
                names[0]: partitions[p],
                names[1]: sorts[s],
                names[2]: partitions[p],
                names[3]: sorts[s],
            },
        ):
            cursor = pages.encode_cursor(SCOPE, key)
            assert len(cursor) <= pages.MAX_CURSOR_CHARS, (p, s, len(key))
            assert pages.decode_cursor(cursor, SCOPE, list(key)) == key
            checked += 1
    assert checked == 3 * len(partitions) * len(sorts)


def test_a_string_key_is_written_the_shorter_way() -> None:
    """Plain text when JSON leaves it alone (most keys), base64 of its UTF-8 when JSON would
    escape it to more (control characters: six characters a byte)."""
    plain = pages.encode_cursor(SCOPE, {"p": {"S": "konto ü/+?&=#% 9"}})
    control = pages.encode_cursor(SCOPE, {"p": {"S": "\x01" * 100}})

    def body(cursor: str) -> Any:
        text = cursor.partition(".")[0]
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))

    assert body(plain)["k"] == {"p": ["S", "konto ü/+?&=#% 9"]}
    assert body(control)["k"]["p"][0] == "S64"
    assert pages.decode_cursor(control, SCOPE, ["p"]) == {"p": {"S": "\x01" * 100}}


def test_an_altered_or_cut_cursor_of_the_largest_key_is_refused() -> None:
    key: dict[str, AttributeValue] = {
        WORST_NAMES[0]: {"S": "\x00" * PARTITION_KEY_BYTES},
        WORST_NAMES[1]: {"B": b"\x00" * SORT_KEY_BYTES},
    }
    cursor = pages.encode_cursor(SCOPE, key)
    for position in range(0, len(cursor), 97):
        altered = (
            cursor[:position] + ("B" if cursor[position] == "A" else "A") + cursor[position + 1 :]
        )
        with pytest.raises(rt.InvalidCursor):
            pages.decode_cursor(altered, SCOPE, WORST_NAMES[:2])
    for cut in (cursor[:-1], cursor[: len(cursor) // 2], cursor.partition(".")[0]):
        with pytest.raises(rt.InvalidCursor):
            pages.decode_cursor(cut, SCOPE, WORST_NAMES[:2])
    with pytest.raises(rt.InvalidCursor):
        pages.decode_cursor(cursor, "the-scope-of-another-read", WORST_NAMES[:2])


# ------------------------------------------------------------------ the scope, field by field

QUERY: dict[str, Any] = {
    "TableName": "t",
    "IndexName": "by_x",
    "KeyConditionExpression": "#n0 = :v0 AND #n1 > :v1",
    "FilterExpression": "#n2 IN (:v2, :v3) AND #n3 = :v4",
    "ProjectionExpression": "#n0, #n1, #n2",
    "ExpressionAttributeNames": {"#n0": "p", "#n1": "s", "#n2": "x", "#n3": "tags"},
    "ExpressionAttributeValues": {
        ":v0": {"S": "a"},
        ":v1": {"N": "1"},
        ":v2": {"B": b"\x00"},
        ":v3": {"B": b"\x01"},
        ":v4": {"SS": ["b", "a", "c"]},
    },
    "ScanIndexForward": False,
    "Select": "SPECIFIC_ATTRIBUTES",
}


def _changed(request: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of `request` with the field at `path` set to `value` (or dropped: _DROP)."""
    changed = copy.deepcopy(request)
    node = changed
    for step in path[:-1]:
        node = node[step]
    if value is _DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return changed


_DROP = object()
CHANGES: dict[str, tuple[tuple[str, ...], Any]] = {
    "table": (("TableName",), "u"),
    "index": (("IndexName",), "by_y"),
    "the table instead of the index": (("IndexName",), _DROP),
    "key condition": (("KeyConditionExpression",), "#n0 = :v0 AND #n1 >= :v1"),
    "no sort condition": (("KeyConditionExpression",), "#n0 = :v0"),
    "partition": (("ExpressionAttributeValues", ":v0"), {"S": "b"}),
    "sort value": (("ExpressionAttributeValues", ":v1"), {"N": "2"}),
    "filter": (("FilterExpression",), "#n2 IN (:v2, :v3) OR #n3 = :v4"),
    "no filter": (("FilterExpression",), _DROP),
    "filter value": (("ExpressionAttributeValues", ":v2"), {"B": b"\x02"}),
    "a value's type": (("ExpressionAttributeValues", ":v1"), {"S": "1"}),
    "a set value": (("ExpressionAttributeValues", ":v4"), {"SS": ["a", "b"]}),
    "a name": (("ExpressionAttributeNames", "#n2"), "y"),
    "projection": (("ProjectionExpression",), "#n0, #n1"),
    "no projection": (("ProjectionExpression",), _DROP),
    "order": (("ScanIndexForward",), True),
    "select": (("Select",), "ALL_ATTRIBUTES"),
    "segment": (("Segment",), 0),
}


def scope_of(request: dict[str, Any], operation: str = "Query") -> str:
    return pages.read_scope(operation, request)


@pytest.mark.parametrize("path, value", CHANGES.values(), ids=CHANGES.keys())
def test_each_field_that_shapes_a_read_is_in_its_scope(path: tuple[str, ...], value: Any) -> None:
    assert scope_of(_changed(QUERY, path, value)) != scope_of(QUERY)


def test_a_scope_is_22_characters() -> None:
    assert len(SCOPE) == 22
    assert {len(scope_of(_changed(QUERY, *change))) for change in CHANGES.values()} == {22}


def test_paging_fields_and_set_order_are_not_in_the_scope() -> None:
    scope = scope_of(QUERY)
    paged = {
        **QUERY,
        "ExclusiveStartKey": {"p": {"S": "a"}, "s": {"N": "3"}},
        "Limit": 7,
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    assert set(paged) - set(QUERY) == pages.PAGING_FIELDS
    assert scope_of(paged) == scope
    reordered = _changed(QUERY, ("ExpressionAttributeValues", ":v4"), {"SS": ["c", "a", "b"]})
    assert scope_of(reordered) == scope  # a set in another order: the same set
    assert scope_of(QUERY, "Scan") != scope
    segments = {**QUERY, "Segment": 1, "TotalSegments": 4}
    assert scope_of({**segments, "Segment": 2}) != scope_of(segments) != scope
    assert scope_of({**segments, "TotalSegments": 5}) != scope_of(segments)


# ------------------------------------------------------------------ the largest keys, for real

WIDE_SPEC = """
version: 1
table: wide
key: {{partition: p, sort: s}}
entities:
  Wide:
    attributes:
      p: {{type: {kind}, stored_as: {names[0]}}}
      s: {{type: {kind}, stored_as: {names[1]}}}
      gp: {{type: {kind}, stored_as: {names[2]}}}
      gs: {{type: {kind}, stored_as: {names[3]}}}
      n: int
indexes:
  by_g: {{partition: gp, sort: gs}}
"""


@dataclasses.dataclass
class Case:
    kind: str  # the spec type of all four key attributes
    names: list[str]
    partition: Callable[[int], Any]  # the n-th largest partition key value
    sort: Callable[[int], Any]  # and sort key value
    worst: bool = False  # the most expensive key there is: its cursors come near the bound


def _sized_text(kind: str, size: int, n: int) -> str:
    """`size` bytes of `kind`, the n-th of them (the last character differs)."""
    return text_of(size - 1, kind) + "abc"[n]


def _number(top: bool, n: int) -> Decimal:
    """38 digits, the n-th: near the largest magnitude (126 digits as DynamoDB writes it), or
    negative at the smallest (170 characters: "-0.", 129 zeros, the digits)."""
    if top:
        return Decimal("9" * 37 + f"{n + 1}E88")  # (not scaleb: it rounds to 28 digits)
    return Decimal("-1." + "1" * 36 + f"{n + 1}E-130")


CASES = {
    "string, control characters": Case(
        "string",
        WORST_NAMES,
        lambda n: _sized_text("control", PARTITION_KEY_BYTES, n),
        lambda n: _sized_text("control", SORT_KEY_BYTES, n),
        worst=True,
    ),
    "string, two-byte characters": Case(
        "string",
        OTHER_NAMES["254 two-byte"],
        lambda n: _sized_text("two", PARTITION_KEY_BYTES, n),
        lambda n: _sized_text("two", SORT_KEY_BYTES, n),
    ),
    "string, four-byte characters": Case(
        "string",
        OTHER_NAMES["255 quotes"],
        lambda n: _sized_text("four", PARTITION_KEY_BYTES, n),
        lambda n: _sized_text("four", SORT_KEY_BYTES, n),
    ),
    "binary": Case(
        "bytes",
        OTHER_NAMES["255 ascii"],
        lambda n: b"\xff" * (PARTITION_KEY_BYTES - 1) + bytes([n]),
        lambda n: b"\xfe" * (SORT_KEY_BYTES - 1) + bytes([n]),
    ),
    "number": Case(
        "decimal",
        OTHER_NAMES["255 control"],
        lambda n: _number(False, n),
        lambda n: _number(True, n),
    ),
}
ITEMS = 3


@dataclasses.dataclass
class Wide:
    case: Case
    module: ModuleType
    table: Any
    client: Any


@pytest.fixture(params=CASES.values(), ids=CASES.keys())
def wide(request: pytest.FixtureRequest, tmp_path: Path, direct_client: Any) -> Iterator[Wide]:
    case: Case = request.param
    spec = WIDE_SPEC.format(kind=case.kind, names=[json.dumps(name) for name in case.names])
    module = build_module(tmp_path, spec, "wide")
    table = module.WideTable(direct_client, table_name=unique_name("wide"))
    table.create_table()
    for n in range(ITEMS):  # one partition of three items, in the table and in the index
        table.put(
            module.Wide(
                p=case.partition(0), s=case.sort(n), gp=case.partition(1), gs=case.sort(n), n=n
            )
        )
    yield Wide(case, module, table, direct_client)
    table.delete_table(wait=False)


def pages_of(read: Callable[[str | None], rt.Page[Any]]) -> list[rt.Page[Any]]:
    walked: list[rt.Page[Any]] = []
    cursor: str | None = None
    while True:
        page = read(cursor)
        walked.append(page)
        if page.cursor is None or len(walked) > 2 * ITEMS:
            return walked
        cursor = page.cursor


def test_the_largest_keys_of_each_type_page_one_by_one_and_resume(wide: Wide) -> None:
    """A 2048-byte partition key and a 1024-byte sort key, in the table and in a global index
    (so an index page's cursor holds four of them), read one item a page; every cursor is
    within MAX_CURSOR_CHARS and resumes, also from another table object."""
    case, table = wide.case, wide.table
    fresh = wide.module.WideTable(wide.client, table_name=table.table_name)
    reads: dict[str, Callable[[Any, str | None], rt.Page[Any]]] = {
        "query": lambda t, c: t.query_page(case.partition(0), page_size=1, cursor=c),
        "reversed query": lambda t, c: t.query_page(
            case.partition(0), reverse=True, page_size=1, cursor=c
        ),
        "index query": lambda t, c: t.query_by_g_page(case.partition(1), page_size=1, cursor=c),
        "scan": lambda t, c: t.scan_page(page_size=1, cursor=c),
        "index scan": lambda t, c: t.scan_by_g_page(page_size=1, cursor=c),
    }
    longest = 0
    for name, read in reads.items():
        walked = pages_of(lambda c: read(table, c))
        assert [len(page) for page in walked] == [1] * ITEMS + [0], name  # DynamoDB Local's way
        items = [page.items[0].n for page in walked[:ITEMS]]
        assert sorted(items) == list(range(ITEMS)), name
        if "query" in name:
            assert items == sorted(items, reverse="reversed" in name), name
        for number, page in enumerate(walked[:-1]):
            assert page.cursor is not None
            longest = max(longest, len(page.cursor))
            assert len(page.cursor) <= pages.MAX_CURSOR_CHARS, name
            resumed = read(fresh, page.cursor)
            assert resumed.items == walked[number + 1].items, name
    print(f"longest cursor {longest} of {pages.MAX_CURSOR_CHARS}", end=" ")
    if case.worst:  # within 1% of the bound: the bound is what it says
        assert longest > pages.MAX_CURSOR_CHARS * 0.99


# ------------------------------------------------------------------ one read, many processes

CHILD = """
import json, sys
from dynagen.runtime import make_client
from generated_example.orders import OrderAttrs, OrdersTable

tags = set(json.loads(sys.argv[3]))
table = OrdersTable(make_client(endpoint_url=sys.argv[1], region_name="us-east-1"), table_name=sys.argv[2])
page = table.query_page("c1", filter=OrderAttrs.tags == tags, page_size=2)
print(json.dumps({"order": list(tags), "cursor": page.cursor}))
"""
TAGS = ["red", "green", "blue", "cyan", "plum", "teal", "sand"]


def test_a_cursor_made_in_another_process_resumes_a_filter_on_a_set(
    direct_client: Any, local_endpoint: str
) -> None:
    """A web app's workers each build the same read, but a Python set of strings iterates in
    another order in every process (hash randomisation), and so does the SS list it is sent
    as: the scope counts set members as a set, so another worker's cursor still resumes."""
    from generated_example.orders import LineItem, Order, OrderAttrs, OrdersTable, OrderStatus

    table = OrdersTable(direct_client, table_name=unique_name("orders-workers"))
    table.create_table()
    try:
        for n in range(6):
            table.put(
                Order(
                    customer_id="c1",
                    order_id=f"o{n}",
                    status=OrderStatus.PAID,
                    total=Decimal(n),
                    placed_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
                    lines=[LineItem(sku="s", qty=1, price=Decimal(1))],
                    tags=set(TAGS) if n % 3 else {"other"},
                )
            )
        here = list(set(TAGS))
        for seed in range(1, 40):
            child = subprocess.run(
                [sys.executable, "-c", CHILD, local_endpoint, table.table_name, json.dumps(TAGS)],
                env={**os.environ, "PYTHONHASHSEED": str(seed)},
                capture_output=True,
                text=True,
                check=True,
            )
            made = json.loads(child.stdout)
            if made["order"] != here:
                break
        assert made["order"] != here, "every seed iterated the set as this process does"
        first_two = [
            o.order_id
            for o in table.query_page("c1", filter=OrderAttrs.tags == set(TAGS), page_size=2)
        ]
        rest = table.query_page("c1", filter=OrderAttrs.tags == set(TAGS), cursor=made["cursor"])
        assert first_two + [o.order_id for o in rest] == ["o1", "o2", "o4", "o5"]
    finally:
        table.delete_table(wait=False)
