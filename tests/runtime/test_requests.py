"""dynagen.runtime.requests: every request body dynagen sends, built without I/O.

Each builder is called with no client at all and its whole body is compared, so a change in any
field (placeholders, ReturnValuesOnConditionCheckFailure, paging scope) is seen here first.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime import expressions
from dynagen.runtime.expressions import Path, Removable, Sort, StringAttr, Update
from dynagen.runtime.requests import (
    MAX_SEGMENTS,
    Read,
    check_many,
    check_positive,
    check_write,
    delete_write,
    get_request,
    put_write,
    query_read,
    scan_read,
    segment_read,
    update_write,
)
from dynagen.runtime.wire import MAX_ITEM_BYTES
from tests.runtime.support import (
    BY_NAME_SOURCE,
    NO_SORT_SOURCE,
    PLAIN,
    TABLE_SOURCE,
    THING,
    key,
    thing,
)

UTC = datetime.timezone.utc
NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
NOW_TEXT = "2024-05-01T12:00:00.000000Z"
NAME: StringAttr[Any, str, Removable] = StringAttr("nm", lambda v: {"S": v}, Removable)
COUNT: expressions.OrderedAttr[Any, int, expressions.Removable] = expressions.OrderedAttr(
    "count", lambda v: {"N": str(v)}, expressions.Removable
)


# ------------------------------------------------------------------ writes


def test_create_body() -> None:
    write = put_write(
        "things", THING, thing("a", nm={"S": "x"}), mode="create", condition=None, now=NOW
    )
    stored = thing(
        "a", nm={"S": "x"}, ver={"N": "1"}, created={"S": NOW_TEXT}, updated={"S": NOW_TEXT}
    )
    assert write.request == {
        "TableName": "things",
        "Item": stored,
        "ConditionExpression": "attribute_not_exists(#n0)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "ExpressionAttributeNames": {"#n0": "pk"},
    }
    assert write.key == key("a") and write.expected_version is None and write.item == stored


def test_versioned_put_body_with_a_condition_shares_placeholders() -> None:
    given = thing("a", nm={"S": "x"}, ver={"N": "4"}, created={"S": "2020-01-01T00:00:00.000000Z"})
    write = put_write(
        "things", THING, given, mode="put", condition=(COUNT == 4) & (NAME == "x"), now=NOW
    )
    assert write.request == {
        "TableName": "things",
        "Item": {**given, "ver": {"N": "5"}, "updated": {"S": NOW_TEXT}},
        "ConditionExpression": "(#n0 = :v0) AND (#n1 = :v0) AND (#n2 = :v1)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "ExpressionAttributeNames": {"#n0": "ver", "#n1": "count", "#n2": "nm"},
        "ExpressionAttributeValues": {":v0": {"N": "4"}, ":v1": {"S": "x"}},
    }
    assert write.expected_version == 4


def test_put_of_a_new_versioned_item_needs_the_key_free() -> None:
    write = put_write("things", THING, thing("a"), mode="put", condition=None, now=NOW)
    assert write.request["ConditionExpression"] == "attribute_not_exists(#n0)"
    assert write.request["Item"]["ver"] == {"N": "1"} and write.expected_version == 0


def test_put_without_any_condition_asks_for_nothing_back() -> None:
    write = put_write("things", PLAIN, thing("a"), mode="put", condition=None, now=NOW)
    assert write.request == {"TableName": "things", "Item": thing("a")}


def test_an_item_over_400_kb_is_refused_before_any_request() -> None:
    big = thing("a", nm={"S": "x" * MAX_ITEM_BYTES})
    with pytest.raises(rt.ValidationError, match="Thing item is .* bytes"):
        put_write("things", PLAIN, big, mode="put", condition=None, now=NOW)


def test_update_body_with_expected_version_and_a_condition() -> None:
    """Update first, then the checks: one set of placeholders across both."""
    update = Update().set(Path("nm"), {"S": "x"}).add(Path("count"), {"N": "1"})
    write = update_write(
        "things", THING, key("a"), update, condition=NAME == "x", expected_version=3, now=NOW
    )
    assert write.request == {
        "TableName": "things",
        "Key": key("a"),
        "UpdateExpression": "SET #n0 = :v0, #n1 = :v1 ADD #n2 :v2, #n3 :v2",
        "ConditionExpression": "(attribute_exists(#n4)) AND (#n3 = :v3) AND (#n0 = :v0)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "ExpressionAttributeNames": {
            "#n0": "nm",
            "#n1": "updated",
            "#n2": "count",
            "#n3": "ver",
            "#n4": "pk",
        },
        "ExpressionAttributeValues": {
            ":v0": {"S": "x"},
            ":v1": {"S": NOW_TEXT},
            ":v2": {"N": "1"},
            ":v3": {"N": "3"},
        },
    }
    assert write.key == key("a") and write.expected_version == 3 and write.item is None


def test_an_update_never_creates_an_item() -> None:
    write = update_write(
        "things", PLAIN, key("a"), Update().remove(Path("nm")), condition=None,
        expected_version=None, now=NOW,
    )  # fmt: skip
    assert write.request == {
        "TableName": "things",
        "Key": key("a"),
        "UpdateExpression": "REMOVE #n0",
        "ConditionExpression": "attribute_exists(#n1)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "ExpressionAttributeNames": {"#n0": "nm", "#n1": "pk"},
    }


def test_delete_bodies() -> None:
    assert delete_write(
        "things", THING, key("a"), condition=None, expected_version=None
    ).request == {
        "TableName": "things",
        "Key": key("a"),
    }
    write = delete_write("things", THING, key("a"), condition=NAME == "x", expected_version=2)
    assert write.request == {
        "TableName": "things",
        "Key": key("a"),
        "ConditionExpression": "(#n0 = :v0) AND (#n1 = :v1)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "ExpressionAttributeNames": {"#n0": "ver", "#n1": "nm"},
        "ExpressionAttributeValues": {":v0": {"N": "2"}, ":v1": {"S": "x"}},
    }
    assert write.expected_version == 2


def test_check_body() -> None:
    write = check_write("things", key("a"), NAME.begins_with("x"))
    assert write.request == {
        "TableName": "things",
        "Key": key("a"),
        "ConditionExpression": "begins_with(#n0, :v0)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "ExpressionAttributeNames": {"#n0": "nm"},
        "ExpressionAttributeValues": {":v0": {"S": "x"}},
    }


def test_a_bad_expected_version_is_refused_while_building() -> None:
    with pytest.raises(rt.ValidationError):
        delete_write("things", THING, key("a"), condition=None, expected_version=0)
    with pytest.raises(rt.ValidationError, match="no version attribute"):
        update_write(
            "things", PLAIN, key("a"), Update(), condition=None, expected_version=1, now=NOW
        )


# ------------------------------------------------------------------ get


def test_get_bodies() -> None:
    assert get_request("things", THING, key("a")) == {"TableName": "things", "Key": key("a")}
    assert get_request(
        "things", THING, key("a"), consistent_read=True, attributes=["name", "pk", "name"]
    ) == {
        "TableName": "things",
        "Key": key("a"),
        "ConsistentRead": True,
        "ProjectionExpression": "#n0, #n1",
        "ExpressionAttributeNames": {"#n0": "nm", "#n1": "pk"},
    }
    with pytest.raises(rt.ValidationError, match="unknown attribute"):
        get_request("things", THING, key("a"), attributes=["nope"])


def test_an_unknown_get_option_is_refused_as_python_refuses_an_unknown_keyword() -> None:
    """`**options` is typed by GetOptions for mypy; at run time check_options holds it."""
    with pytest.raises(
        TypeError, match="get_request\\(\\) got an unexpected keyword argument 'consistent'"
    ):
        get_request("things", THING, key("a"), consistent=True)  # type: ignore[call-arg]


# ------------------------------------------------------------------ queries and scans


def test_query_body_shares_placeholders_between_key_filter_and_projection() -> None:
    read = query_read(
        "things",
        THING,
        TABLE_SOURCE,
        "a",
        sort=Sort.begins_with("x"),
        filter=(NAME == "x") & (COUNT > 1),
        reverse=True,
        consistent_read=True,
        attributes=["pk", "name", "count"],
    )
    assert read.operation == "Query"
    assert read.request == {
        "TableName": "things",
        "KeyConditionExpression": "#n0 = :v0 AND begins_with(#n1, :v1)",
        "FilterExpression": "(#n2 = :v1) AND (#n3 > :v2)",
        "ProjectionExpression": "#n3, #n2, #n0",  # sorted by attribute name: one read, one scope
        "ExpressionAttributeNames": {"#n0": "pk", "#n1": "sk", "#n2": "nm", "#n3": "count"},
        "ExpressionAttributeValues": {":v0": {"S": "a"}, ":v1": {"S": "x"}, ":v2": {"N": "1"}},
        "ConsistentRead": True,
        "ScanIndexForward": False,
    }
    assert read.filtered and read.key_names == ("pk", "sk")


def test_plain_query_and_count_bodies() -> None:
    read = query_read("things", THING, BY_NAME_SOURCE, "x")
    assert read.request == {
        "TableName": "things",
        "IndexName": "by_name",
        "KeyConditionExpression": "#n0 = :v0",
        "ExpressionAttributeNames": {"#n0": "nm"},
        "ExpressionAttributeValues": {":v0": {"S": "x"}},
    }
    assert not read.filtered and read.key_names == ("pk", "sk", "nm")
    counted = query_read(
        "things", THING, TABLE_SOURCE, "a", sort=Sort.between("b", "c"), count=True
    )
    assert counted.request["Select"] == "COUNT"
    assert counted.request["KeyConditionExpression"] == "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"


def test_a_query_checks_its_partition_and_sort_before_any_request() -> None:
    with pytest.raises(rt.ValidationError, match="pk"):
        query_read("things", THING, TABLE_SOURCE, "")
    with pytest.raises(rt.ValidationError, match="no sort key"):
        query_read("things", THING, NO_SORT_SOURCE, "a", sort=Sort.eq("x"))


def test_scan_bodies() -> None:
    read = scan_read("things", THING, TABLE_SOURCE)
    assert (read.operation, read.request, read.filtered) == ("Scan", {"TableName": "things"}, False)
    read = scan_read(
        "things", THING, BY_NAME_SOURCE, filter=NAME.exists(), consistent_read=True, count=True
    )
    assert read.request == {
        "TableName": "things",
        "IndexName": "by_name",
        "FilterExpression": "attribute_exists(#n0)",
        "ExpressionAttributeNames": {"#n0": "nm"},
        "ConsistentRead": True,
        "Select": "COUNT",
    }
    assert read.filtered


def test_a_filter_asks_for_nothing_back() -> None:
    """ReturnValuesOnConditionCheckFailure belongs to conditions, never to filters."""
    read = query_read("things", THING, TABLE_SOURCE, "a", filter=NAME == "x")
    assert "ReturnValuesOnConditionCheckFailure" not in read.request
    assert "ConditionExpression" not in read.request


# ------------------------------------------------------------------ cursor scopes


def test_scopes_differ_by_partition_value_index_and_kind() -> None:
    scopes = [
        query_read("things", THING, TABLE_SOURCE, "a").scope,
        query_read("things", THING, TABLE_SOURCE, "b").scope,
        query_read("things", THING, BY_NAME_SOURCE, "a").scope,
        query_read("other-table", THING, TABLE_SOURCE, "a").scope,
        scan_read("things", THING, TABLE_SOURCE).scope,
        scan_read("things", THING, BY_NAME_SOURCE).scope,
    ]
    assert len(set(scopes)) == len(scopes), scopes


def test_a_scope_binds_everything_that_shapes_the_result_sequence() -> None:
    """Another sort condition, filter or direction is another read: its cursors differ."""
    plain = query_read("things", THING, TABLE_SOURCE, "a")
    others = [
        query_read("things", THING, TABLE_SOURCE, "a", sort=Sort.gt("x")),
        query_read("things", THING, TABLE_SOURCE, "a", filter=NAME == "y"),
        query_read("things", THING, TABLE_SOURCE, "a", reverse=True),
        query_read("things", THING, TABLE_SOURCE, "a", attributes=["name"]),
    ]
    assert len({plain.scope, *(other.scope for other in others)}) == 5
    assert query_read("things", THING, TABLE_SOURCE, "a", consistent_read=True).scope == plain.scope


# ------------------------------------------------------------------ segments


def test_segment_read_restricts_the_scan_and_its_scope() -> None:
    read = scan_read("things", THING, TABLE_SOURCE, filter=NAME == "x")
    segment = segment_read(read, 2, 5)
    assert segment.request == {**read.request, "Segment": 2, "TotalSegments": 5}
    assert segment.scope not in (read.scope, segment_read(read, 3, 5).scope)
    assert (segment.operation, segment.key_names, segment.filtered) == ("Scan", ("pk", "sk"), True)
    assert "Segment" not in read.request  # the read itself is unchanged
    assert segment_read(read, 0, 1).scope != segment_read(read, 0, 2).scope


@pytest.mark.parametrize(
    ("segment", "segments"),
    [(0, MAX_SEGMENTS), (MAX_SEGMENTS - 1, MAX_SEGMENTS), (0, 1), (3, 4)],
)
def test_segment_bounds_accepted(segment: int, segments: int) -> None:
    read = scan_read("things", THING, TABLE_SOURCE)
    assert segment_read(read, segment, segments).request["TotalSegments"] == segments


@pytest.mark.parametrize(
    ("segment", "segments"),
    [(-1, 2), (2, 2), (0, 0), (0, MAX_SEGMENTS + 1), (True, 2), (0.0, 2), ("0", 2), (0, 2.0)],
)
def test_segment_bounds_refused(segment: Any, segments: Any) -> None:
    read = scan_read("things", THING, TABLE_SOURCE)
    with pytest.raises(rt.ValidationError, match="segment must be"):
        segment_read(read, segment, segments)


def test_a_bool_total_of_segments_is_refused() -> None:
    read = scan_read("things", THING, TABLE_SOURCE)
    with pytest.raises(rt.ValidationError):
        segment_read(read, 0, True)


# ------------------------------------------------------------------ argument checks


@pytest.mark.parametrize("value", [None, 1, 2, 10**9])
def test_check_positive_accepts(value: int | None) -> None:
    check_positive("limit", value)


@pytest.mark.parametrize("value", [0, -1, True, False, 1.0, "3"])
def test_check_positive_refuses(value: Any) -> None:
    with pytest.raises(
        rt.ValidationError, match=f"page_size must be a whole number of at least 1, got {value!r}"
    ):
        check_positive("page_size", value)


@pytest.mark.parametrize(
    "values",
    [[key("a")], (key("a"),), iter([key("a")]), []],
    ids=["list", "tuple", "iterator", "empty"],
)
def test_check_many_passes_collections_through(values: Any) -> None:
    assert check_many(values, "keys") is values


@pytest.mark.parametrize("value", ["ab", b"ab", bytearray(b"ab")], ids=repr)
def test_check_many_refuses_a_lone_string(value: Any) -> None:
    with pytest.raises(
        rt.ValidationError,
        match=f"keys must be an iterable of keys, not a single {type(value).__name__}",
    ):
        check_many(value, "keys")


def test_read_is_frozen() -> None:
    read = scan_read("things", THING, TABLE_SOURCE)
    assert isinstance(read, Read)
    with pytest.raises(AttributeError):
        read.scope = "elsewhere"  # type: ignore[misc]
