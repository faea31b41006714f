"""dynagen.runtime.reads: iterate, page, count and (parallel) scan over a built Read.

Paging behaviour on moto in process; laziness, Limit and the page-by-page loop with a stand-in
client that counts what is sent.
"""

from __future__ import annotations

from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.expressions import Removable, Sort, StringAttr
from dynagen.runtime.items import put_item
from dynagen.runtime.pages import Cursor, encode_cursor
from dynagen.runtime.reads import count, iterate, page, scan
from dynagen.runtime.requests import MAX_SEGMENTS, query_read, scan_read
from tests.runtime.support import (
    BY_NAME_SOURCE,
    PLAIN,
    TABLE_SOURCE,
    ScriptedClient,
    endpoint_for,
    throttled,
    thing,
)

NAME: StringAttr[Any, str, Removable] = StringAttr("nm", lambda v: {"S": v}, Removable)


def sk_of(item: Any) -> str:
    return str(item["sk"]["S"])


def fill(endpoint: Endpoint, pk: str = "a", n: int = 7) -> None:
    for i in range(n):
        put_item(endpoint, PLAIN, thing(pk, f"s{i}", nm={"S": "even" if i % 2 == 0 else "odd"}))


def query(endpoint: Endpoint, pk: str = "a", **kwargs: Any) -> Any:
    return query_read(endpoint.table_name, PLAIN, TABLE_SOURCE, pk, **kwargs)


def pages_of(*items_per_page: list[Any]) -> list[dict[str, Any]]:
    """Scripted responses: one per page, each but the last with a LastEvaluatedKey."""
    out = []
    for index, items in enumerate(items_per_page):
        response: dict[str, Any] = {"Items": items, "Count": len(items)}
        if index < len(items_per_page) - 1:
            response["LastEvaluatedKey"] = {
                "pk": {"S": "a"},
                "sk": items[-1]["sk"] if items else {"S": "x"},
            }
        out.append(response)
    return out


# ------------------------------------------------------------------ iterate


def test_iterate_returns_the_partition_in_sort_order(things: Endpoint) -> None:
    fill(things)
    fill(things, "b", 2)
    assert [sk_of(i) for i in iterate(things, query(things), dict)] == [f"s{i}" for i in range(7)]
    reverse = iterate(things, query(things, reverse=True, sort=Sort.le("s3")), dict)
    assert [sk_of(i) for i in reverse] == ["s3", "s2", "s1", "s0"]


def test_iterate_on_an_index(things: Endpoint) -> None:
    fill(things)
    read = query_read(things.table_name, PLAIN, BY_NAME_SOURCE, "odd")
    assert [sk_of(i) for i in iterate(things, read, dict)] == ["s1", "s3", "s5"]


def test_iterate_fetches_nothing_until_asked_then_one_page_at_a_time() -> None:
    client = ScriptedClient(query=pages_of([thing("a", "s0")], [thing("a", "s1")]))
    items = iterate(endpoint_for(client), query_read("things", PLAIN, TABLE_SOURCE, "a"), dict)
    assert client.sent() == []
    assert sk_of(next(items)) == "s0" and len(client.sent()) == 1
    assert sk_of(next(items)) == "s1" and len(client.sent()) == 2
    assert client.sent()[1]["ExclusiveStartKey"] == {"pk": {"S": "a"}, "sk": {"S": "s0"}}
    assert list(items) == []


def test_a_limit_without_a_filter_is_sent_as_limit_and_stops_early() -> None:
    client = ScriptedClient(
        query=pages_of([thing("a", "s0"), thing("a", "s1")], [thing("a", "s2")], [thing("a", "s3")])
    )
    read = query_read("things", PLAIN, TABLE_SOURCE, "a")
    assert [sk_of(i) for i in iterate(endpoint_for(client), read, dict, limit=3)] == [
        "s0",
        "s1",
        "s2",
    ]
    assert [request["Limit"] for request in client.sent()] == [3, 1]


def test_with_a_filter_the_limit_counts_matches_not_reads() -> None:
    client = ScriptedClient(
        query=pages_of([thing("a", "s0")], [], [thing("a", "s1"), thing("a", "s2")])
    )
    read = query_read("things", PLAIN, TABLE_SOURCE, "a", filter=NAME == "x")
    assert len(list(iterate(endpoint_for(client), read, dict, limit=2))) == 2
    assert all("Limit" not in request for request in client.sent()) and len(client.sent()) == 3


def test_limit_on_moto(things: Endpoint) -> None:
    fill(things)
    assert [sk_of(i) for i in iterate(things, query(things), dict, limit=2)] == ["s0", "s1"]
    odd = iterate(things, query(things, filter=NAME == "odd"), dict, limit=2)
    assert [sk_of(i) for i in odd] == ["s1", "s3"]


@pytest.mark.parametrize("limit", [0, -1, True, 1.5])
def test_a_bad_limit_is_refused_before_any_request(limit: Any) -> None:
    client: Any = ScriptedClient()
    with pytest.raises(rt.ValidationError, match="limit"):
        iterate(
            endpoint_for(client), query_read("things", PLAIN, TABLE_SOURCE, "a"), dict, limit=limit
        )
    with pytest.raises(rt.ValidationError, match="limit"):
        scan(endpoint_for(client), scan_read("things", PLAIN, TABLE_SOURCE), dict, limit=limit)


# ------------------------------------------------------------------ page


def test_pages_with_cursors_cover_the_partition_exactly_once(things: Endpoint) -> None:
    fill(things)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        current = page(things, query(things), dict, cursor_type=Cursor, cursor=cursor, page_size=3)
        assert len(current) <= 3
        seen.extend(sk_of(i) for i in current)
        cursor = current.cursor
        if cursor is None:
            break
    assert seen == [f"s{i}" for i in range(7)]


class ThingsCursor(Cursor):
    __slots__ = ()


def test_a_page_cursor_is_of_the_class_the_read_asks_for(things: Endpoint) -> None:
    fill(things, n=3)
    first = page(things, query(things), dict, cursor_type=ThingsCursor, page_size=2)
    assert type(first.cursor) is ThingsCursor
    rest = page(things, query(things), dict, cursor_type=ThingsCursor, cursor=first.cursor)
    assert [sk_of(i) for i in first.items + rest.items] == ["s0", "s1", "s2"]
    assert rest.cursor is None


def test_a_plain_str_cursor_still_resumes_for_untyped_callers(things: Endpoint) -> None:
    fill(things, n=3)
    first = page(things, query(things), dict, cursor_type=ThingsCursor, page_size=2)
    assert first.cursor is not None
    rest = page(things, query(things), dict, cursor_type=ThingsCursor, cursor=str(first.cursor))
    assert [sk_of(i) for i in rest.items] == ["s2"]


def test_the_last_page_has_no_cursor(things: Endpoint) -> None:
    fill(things, n=2)
    whole = page(things, query(things), dict, cursor_type=Cursor)
    assert [sk_of(i) for i in whole] == ["s0", "s1"] and whole.cursor is None


def test_a_cursor_of_another_partition_or_index_is_refused_before_any_request(
    things: Endpoint,
) -> None:
    fill(things, n=3)
    fill(things, "b", n=3)
    cursor = page(things, query(things), dict, cursor_type=Cursor, page_size=1).cursor
    assert cursor is not None
    client: Any = ScriptedClient()
    elsewhere = endpoint_for(client)
    for read in (
        query_read("things", PLAIN, TABLE_SOURCE, "b"),
        query_read("things", PLAIN, BY_NAME_SOURCE, "a"),
        scan_read("things", PLAIN, TABLE_SOURCE),
    ):
        with pytest.raises(rt.InvalidCursor, match="cursor belongs to"):
            page(elsewhere, read, dict, cursor_type=Cursor, cursor=cursor)
    assert client.sent() == []


def test_page_sends_cursor_and_page_size() -> None:
    client = ScriptedClient(query=pages_of([thing("a", "s1")], []))
    read = query_read("things", PLAIN, TABLE_SOURCE, "a")
    cursor = encode_cursor(read.scope, {"pk": {"S": "a"}, "sk": {"S": "s0"}})
    first = page(endpoint_for(client), read, dict, cursor_type=Cursor, cursor=cursor, page_size=1)
    assert client.sent()[0]["ExclusiveStartKey"] == {"pk": {"S": "a"}, "sk": {"S": "s0"}}
    assert client.sent()[0]["Limit"] == 1
    assert first.cursor is not None and first.cursor != cursor


def test_a_page_of_one_segment(things: Endpoint) -> None:
    fill(things, n=6)
    read = scan_read(things.table_name, PLAIN, TABLE_SOURCE)
    got = [
        sk_of(i)
        for n in range(3)
        for i in page(things, read, dict, cursor_type=Cursor, segment=(n, 3))
    ]
    assert sorted(got) == [f"s{i}" for i in range(6)]
    first = page(things, read, dict, cursor_type=Cursor, segment=(0, 1), page_size=2)
    assert first.cursor is not None
    with pytest.raises(rt.InvalidCursor):  # bound to segment 0 of 1, not to the whole scan
        page(things, read, dict, cursor_type=Cursor, cursor=first.cursor)
    assert (
        len(page(things, read, dict, cursor_type=Cursor, segment=(0, 1), cursor=first.cursor)) == 4
    )


@pytest.mark.parametrize("segment", [[0, 2], (0,), (0, 1, 2), (2, 2), "0,2"], ids=repr)
def test_a_bad_segment_is_refused(segment: Any) -> None:
    client: Any = ScriptedClient()
    with pytest.raises(rt.ValidationError, match="segment"):
        page(
            endpoint_for(client),
            scan_read("things", PLAIN, TABLE_SOURCE),
            dict,
            cursor_type=Cursor,
            segment=segment,
        )


def test_a_bad_page_size_is_refused() -> None:
    client: Any = ScriptedClient()
    with pytest.raises(rt.ValidationError, match="page_size"):
        page(
            endpoint_for(client),
            scan_read("things", PLAIN, TABLE_SOURCE),
            dict,
            cursor_type=Cursor,
            page_size=0,
        )


# ------------------------------------------------------------------ count


def test_count_adds_up_every_page() -> None:
    client = ScriptedClient(
        query=pages_of([thing("a", "s0"), thing("a", "s1")], [thing("a", "s2")], [])
    )
    read = query_read("things", PLAIN, TABLE_SOURCE, "a", count=True)
    assert count(endpoint_for(client), read) == 3
    assert len(client.sent()) == 3 and all(r["Select"] == "COUNT" for r in client.sent())


def test_count_on_moto(things: Endpoint) -> None:
    fill(things)
    assert count(things, query(things, count=True)) == 7
    assert count(things, query(things, count=True, filter=NAME == "odd")) == 3
    assert count(things, scan_read(things.table_name, PLAIN, TABLE_SOURCE, count=True)) == 7


# ------------------------------------------------------------------ scan


@pytest.mark.parametrize("segments", [1, 3])
def test_scan_returns_every_item_once(things: Endpoint, segments: int) -> None:
    fill(things, n=5)
    fill(things, "b", n=4)
    read = scan_read(things.table_name, PLAIN, TABLE_SOURCE)
    got = sorted((i["pk"]["S"], sk_of(i)) for i in scan(things, read, dict, segments=segments))
    assert got == sorted([("a", f"s{i}") for i in range(5)] + [("b", f"s{i}") for i in range(4)])


@pytest.mark.parametrize("segments", [1, 4])
def test_scan_with_a_limit(things: Endpoint, segments: int) -> None:
    fill(things, n=6)
    read = scan_read(things.table_name, PLAIN, TABLE_SOURCE)
    assert len(list(scan(things, read, dict, segments=segments, limit=4))) == 4


def test_a_parallel_scan_sends_one_segment_per_worker() -> None:
    client = ScriptedClient(scan={"Items": [thing("a")], "Count": 1})
    read = scan_read("things", PLAIN, TABLE_SOURCE)
    assert len(list(scan(endpoint_for(client), read, dict, segments=4))) == 4
    assert sorted((r["Segment"], r["TotalSegments"]) for r in client.sent()) == [
        (n, 4) for n in range(4)
    ]


def test_a_failing_segment_raises_in_the_caller() -> None:
    client = ScriptedClient(scan=throttled())
    read = scan_read("things", PLAIN, TABLE_SOURCE)
    with pytest.raises(rt.Throttled):
        list(scan(endpoint_for(client, rt.RetryPolicy(max_attempts=1)), read, dict, segments=2))


def test_scan_is_lazy_too() -> None:
    client: Any = ScriptedClient()
    read = scan_read("things", PLAIN, TABLE_SOURCE)
    scan(endpoint_for(client), read, dict, segments=3)
    scan(endpoint_for(client), read, dict)
    assert client.sent() == []


@pytest.mark.parametrize("segments", [0, -2, True, MAX_SEGMENTS + 1])
def test_bad_segment_counts_are_refused(segments: Any) -> None:
    client: Any = ScriptedClient()
    with pytest.raises(rt.ValidationError, match="segments"):
        scan(
            endpoint_for(client), scan_read("things", PLAIN, TABLE_SOURCE), dict, segments=segments
        )
