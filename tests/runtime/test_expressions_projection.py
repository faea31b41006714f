"""dynagen.runtime.expressions.projection: `attributes=[...]` as document paths, checked before
any request (names and typed references, repeats, overlaps, other entities' paths)."""

from __future__ import annotations

from typing import Any

import pytest

from dynagen.runtime import expressions as rt
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions import expression_fields, path_order, projection_paths
from dynagen.runtime.requests import get_request, query_read
from generated_example.ledger import EntryAttrs
from generated_example.orders import _ORDER, _TABLE_SOURCE, OrderAttrs

STORED = _ORDER.stored  # python name -> stored name; `note` is stored as "n"


def paths(*attributes: Any) -> list[rt.Path]:
    return projection_paths(list(attributes), STORED)


def test_names_become_stored_top_level_paths() -> None:
    assert paths("total", "note") == [rt.Path("total"), rt.Path("n")]


def test_references_reach_into_records_lists_and_maps() -> None:
    assert paths(
        OrderAttrs.shipping.city,
        OrderAttrs.lines[2].sku,
        OrderAttrs.metadata["k"],
        OrderAttrs.lines[0],
        OrderAttrs.note,
    ) == [
        rt.Path("shipping", "city"),
        rt.Path("lines", 2, "sku"),
        rt.Path("metadata", "k"),
        rt.Path("lines", 0),
        rt.Path("n"),
    ]


def test_the_same_path_twice_is_one_path_whichever_way_it_is_written() -> None:
    assert paths("shipping", OrderAttrs.shipping, "total", "total") == [
        rt.Path("shipping"),
        rt.Path("total"),
    ]


def test_siblings_do_not_overlap() -> None:
    assert len(paths(OrderAttrs.shipping.city, OrderAttrs.shipping.street)) == 2
    assert len(paths(OrderAttrs.lines[0].sku, OrderAttrs.lines[1].sku)) == 2
    assert len(paths(OrderAttrs.lines[0].sku, OrderAttrs.lines[0].qty)) == 2


@pytest.mark.parametrize(
    "attributes, named",
    [
        (["shipping", OrderAttrs.shipping.city], "shipping and shipping.city overlap"),
        ([OrderAttrs.shipping.city, "shipping"], "shipping.city and shipping overlap"),
        ([OrderAttrs.lines[0], OrderAttrs.lines[0].sku], "lines[0] and lines[0].sku overlap"),
        ([OrderAttrs.lines, OrderAttrs.lines[3]], "lines and lines[3] overlap"),
    ],
    ids=["record-then-field", "field-then-record", "element-then-field", "list-then-element"],
)
def test_overlapping_paths_are_refused_before_any_request(
    attributes: list[Any], named: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        projection_paths(attributes, STORED)
    assert named in str(caught.value)
    assert "DynamoDB refuses two document paths that overlap" in str(caught.value)
    assert "ask for " in str(caught.value)


def test_the_message_says_which_path_to_keep() -> None:
    with pytest.raises(ValidationError, match=r"ask for shipping alone, it holds shipping\.city"):
        paths(OrderAttrs.shipping.city, "shipping")


def test_another_entitys_reference_is_refused() -> None:
    with pytest.raises(ValidationError, match="is not an attribute of this entity"):
        paths(EntryAttrs.amount)


def test_a_size_or_anything_else_is_not_a_path() -> None:
    with pytest.raises(ValidationError, match="not an attribute name or a reference"):
        paths(OrderAttrs.note.size())
    with pytest.raises(ValidationError, match="not an attribute name or a reference"):
        paths(rt.Path("total"))
    with pytest.raises(ValidationError, match="not an attribute name or a reference"):
        paths(3)


def test_unknown_names_are_refused_with_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="unknown attribute 'n'; known: .*note"):
        paths("n")  # the stored name is not a Python name


@pytest.mark.parametrize("attributes", ["total", b"total", [], ()], ids=repr)
def test_a_lone_string_or_nothing_is_refused(attributes: Any) -> None:
    with pytest.raises(ValidationError, match="non-empty list"):
        projection_paths(attributes, STORED)


def test_every_segment_is_a_placeholder_and_names_are_never_spliced() -> None:
    fields = expression_fields(
        projection=[rt.Path("info", "genres"), rt.Path("lines", 1, "sku"), rt.Path("a.b #c")]
    )
    assert fields == {
        "ProjectionExpression": "#n0.#n1, #n2[1].#n3, #n4",
        "ExpressionAttributeNames": {
            "#n0": "info",
            "#n1": "genres",
            "#n2": "lines",
            "#n3": "sku",
            "#n4": "a.b #c",
        },
    }


def test_path_order_puts_names_before_indexes_and_compares_like_with_like() -> None:
    unordered = [
        rt.Path("lines", 10),
        rt.Path("lines", "x"),
        rt.Path("lines", 2),
        rt.Path("a"),
        rt.Path("lines", 2, "sku"),
    ]
    assert sorted(unordered, key=path_order) == [
        rt.Path("a"),
        rt.Path("lines", "x"),
        rt.Path("lines", 2),
        rt.Path("lines", 2, "sku"),
        rt.Path("lines", 10),
    ]


def test_get_request_projects_nested_paths_in_the_order_given() -> None:
    request = get_request(
        "orders",
        _ORDER,
        {"customer_id": {"S": "c"}, "order_id": {"S": "o"}},
        attributes=[OrderAttrs.shipping.city, "total", OrderAttrs.lines[1].qty],
    )
    assert request["ProjectionExpression"] == "#n0.#n1, #n2, #n3[1].#n4"
    assert request["ExpressionAttributeNames"] == {
        "#n0": "shipping",
        "#n1": "city",
        "#n2": "total",
        "#n3": "lines",
        "#n4": "qty",
    }


def test_a_query_projection_in_any_order_is_the_same_read_and_scope() -> None:
    def read(*attributes: Any) -> Any:
        return query_read("orders", _ORDER, _TABLE_SOURCE, "c", attributes=list(attributes))

    one = read(OrderAttrs.shipping.city, "total", OrderAttrs.lines[1].qty, OrderAttrs.lines[0])
    other = read(OrderAttrs.lines[0], OrderAttrs.lines[1].qty, "total", OrderAttrs.shipping.city)
    assert one.request == other.request
    assert one.scope == other.scope
    assert one.scope != read(OrderAttrs.shipping.street, "total").scope
    # the key condition's name comes first (#n0), then the sorted projection, in one builder
    assert one.request["ProjectionExpression"] == "#n1[0], #n1[1].#n2, #n3.#n4, #n5"
