"""Nested `attributes=[...]`: typed references reaching into records, lists and maps, on get,
query, query_page, index queries, scans, batch_get and transact_get, on both engines
(docs/generated-api.md, "Partial reads").

DynamoDB returns only the projected sub-attributes, so a partial read's records are their
`<Record>Partial` classes; list elements come back in index order, one after the other (not at
their indexes). moto cannot parse a list index in a ProjectionExpression ("Value provided in
ExpressionAttributeNames unused"), nor fetch a local index's missing attributes from the table,
and it ignores a TransactGetItems projection: those variants are strict xfails there, DynamoDB
Local is the reference.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

import pytest

from dynagen import runtime as rt
from generated_example.orders import (
    AddressPartial,
    LineItemPartial,
    OrderAttrs,
    OrderPartial,
    OrdersTable,
    OrderStatus,
)
from tests.integration.support import full_order, make_order

MOTO_LIST_INDEX = "moto cannot parse a list index in a ProjectionExpression"


def test_get_a_nested_record_field(orders: OrdersTable) -> None:
    orders.put(full_order())
    got = orders.get("c1", "full", attributes=[OrderAttrs.shipping.city, "total"])
    assert got == OrderPartial(total=Decimal("123.45"), shipping=AddressPartial(city="Springfield"))


def test_a_whole_record_reads_as_its_partial_class_with_every_stored_field(
    orders: OrdersTable,
) -> None:
    orders.put(full_order())
    got = orders.get("c1", "full", attributes=[OrderAttrs.shipping])
    assert got == OrderPartial(
        shipping=AddressPartial(street="1 Main St", city="Springfield", zip="12345")
    )
    assert orders.get("c1", "full", attributes=["shipping"]) == got  # the name says the same


def test_sibling_fields_of_one_record(orders: OrdersTable) -> None:
    orders.put(full_order())
    got = orders.get("c1", "full", attributes=[OrderAttrs.shipping.zip, OrderAttrs.shipping.street])
    assert got is not None and got.shipping == AddressPartial(street="1 Main St", zip="12345")


def test_a_map_entry(orders: OrdersTable) -> None:
    orders.put(full_order())
    got = orders.get("c1", "full", attributes=[OrderAttrs.metadata["coupon"]])
    assert got == OrderPartial(metadata={"coupon": "SPRING"})


def test_list_elements_come_back_in_index_order_one_after_the_other(
    orders: OrdersTable, xfail_on: Callable[[str, str], None]
) -> None:
    xfail_on("moto", MOTO_LIST_INDEX)
    orders.put(full_order())
    got = orders.get("c1", "full", attributes=[OrderAttrs.lines[1].sku, OrderAttrs.lines[0].qty])
    assert got == OrderPartial(lines=[LineItemPartial(qty=1), LineItemPartial(sku="b")])
    whole = orders.get("c1", "full", attributes=[OrderAttrs.lines[1]])
    assert whole == OrderPartial(lines=[LineItemPartial(sku="b", qty=2, price=Decimal("11.725"))])


def test_an_element_past_the_end_or_a_missing_record_reads_as_none(
    orders: OrdersTable, xfail_on: Callable[[str, str], None]
) -> None:
    xfail_on("moto", MOTO_LIST_INDEX)
    orders.put(make_order("bare"))  # no shipping, no metadata, one line
    got = orders.get(
        "c1",
        "bare",
        attributes=[
            OrderAttrs.shipping.city,
            OrderAttrs.metadata["k"],
            OrderAttrs.lines[5],
            "total",
        ],
    )
    assert got == OrderPartial(total=Decimal("19.90"))


def test_query_and_its_pages_with_nested_paths(orders: OrdersTable) -> None:
    for n in range(5):
        orders.put(full_order(f"o{n}"))
    wanted = [OrderAttrs.shipping.city, "order_id", OrderAttrs.metadata["channel"]]
    expected = [
        OrderPartial(
            order_id=f"o{n}",
            shipping=AddressPartial(city="Springfield"),
            metadata={"channel": "web"},
        )
        for n in range(5)
    ]
    assert list(orders.query("c1", attributes=wanted)) == expected
    first = orders.query_page("c1", attributes=wanted, page_size=2)
    assert first.items == expected[:2] and first.cursor is not None
    # the same paths in another order, and repeated, are the same read: its cursor goes on
    rest = orders.query_page("c1", attributes=wanted[::-1] + wanted, cursor=first.cursor)
    assert rest.items == expected[2:]
    with pytest.raises(rt.InvalidCursor):  # other paths are another read
        orders.query_page("c1", attributes=[OrderAttrs.shipping.zip], cursor=first.cursor)


def test_a_global_index_query_with_nested_paths(orders: OrdersTable) -> None:
    orders.put(full_order())
    got = list(orders.query_by_status(OrderStatus.PAID, attributes=[OrderAttrs.shipping.city]))
    assert got == [OrderPartial(shipping=AddressPartial(city="Springfield"))]


def test_a_local_index_fetches_nested_paths_it_does_not_carry_from_the_table(
    orders: OrdersTable, xfail_on: Callable[[str, str], None]
) -> None:
    xfail_on("moto", "moto returns only what a local index projects, not the table's attributes")
    orders.put(full_order())
    # by_total is a local keys_only index: DynamoDB fetches what it lacks from the table
    got = list(orders.query_by_total("c1", attributes=[OrderAttrs.shipping.zip, "total"]))
    assert got == [OrderPartial(total=Decimal("123.45"), shipping=AddressPartial(zip="12345"))]


def test_overlapping_paths_are_refused_before_any_request(
    orders: OrdersTable, requests_sent: list[str]
) -> None:
    with pytest.raises(rt.ValidationError, match="shipping and shipping.city overlap"):
        orders.get("c1", "o1", attributes=["shipping", OrderAttrs.shipping.city])
    with pytest.raises(rt.ValidationError, match=r"lines\[0\].sku and lines\[0\] overlap"):
        list(orders.query("c1", attributes=[OrderAttrs.lines[0].sku, OrderAttrs.lines[0]]))
    assert requests_sent == []


def test_a_null_nested_field_reads_as_none(orders: OrdersTable) -> None:
    order = full_order()
    orders.put(order)
    orders.client.update_item(
        TableName=orders.table_name,
        Key={"customer_id": {"S": "c1"}, "order_id": {"S": "full"}},
        UpdateExpression="SET #s.#z = :null",
        ExpressionAttributeNames={"#s": "shipping", "#z": "zip"},
        ExpressionAttributeValues={":null": {"NULL": True}},
    )
    got = orders.get("c1", "full", attributes=[OrderAttrs.shipping.zip, OrderAttrs.shipping.city])
    assert got == OrderPartial(shipping=AddressPartial(city="Springfield"))


def spoil_city(orders: OrdersTable, order_id: str) -> None:
    """Store a number where shipping.city, a string, belongs (another tool wrote it)."""
    orders.client.update_item(
        TableName=orders.table_name,
        Key={"customer_id": {"S": "c1"}, "order_id": {"S": order_id}},
        UpdateExpression="SET #s.#c = :n",
        ExpressionAttributeNames={"#s": "shipping", "#c": "city"},
        ExpressionAttributeValues={":n": {"N": "5"}},
    )


def test_a_bad_nested_value_is_named_by_its_path(orders: OrdersTable) -> None:
    orders.put(full_order())
    spoil_city(orders, "full")
    with pytest.raises(rt.ItemDecodeError) as caught:
        orders.get("c1", "full", attributes=[OrderAttrs.shipping.city])
    assert "shipping.city" in str(caught.value)
    assert "wrong wire type: expected S, found N" in str(caught.value)


def test_on_decode_error_reads_past_a_bad_nested_value(client: Any, orders: OrdersTable) -> None:
    for n in range(3):
        orders.put(full_order(f"o{n}"))
    spoil_city(orders, "o1")
    skipped: list[rt.Undecodable] = []
    tolerant = OrdersTable(client, table_name=orders.table_name, on_decode_error=skipped.append)
    got = list(tolerant.query("c1", attributes=["order_id", OrderAttrs.shipping.city]))
    assert [p.order_id for p in got] == ["o0", "o2"]
    assert [u.raw["order_id"] for u in skipped] == [{"S": "o1"}]
    assert "shipping.city" in str(skipped[0].error)


def test_scans_with_nested_paths(orders: OrdersTable) -> None:
    for n in range(4):
        orders.put(full_order(f"o{n}"))
    wanted = ["order_id", OrderAttrs.shipping.zip]
    expected = {
        f"o{n}": OrderPartial(order_id=f"o{n}", shipping=AddressPartial(zip="12345"))
        for n in range(4)
    }
    assert {p.order_id: p for p in orders.scan(attributes=wanted)} == expected
    assert {p.order_id: p for p in orders.scan(attributes=wanted, segments=2)} == expected
    first = orders.scan_page(attributes=wanted, page_size=3)
    rest = orders.scan_page(attributes=wanted[::-1], cursor=first.cursor)
    assert {p.order_id: p for p in first.items + rest.items} == expected
    by_status = list(orders.scan_by_status(attributes=[OrderAttrs.shipping.street]))
    assert by_status == [OrderPartial(shipping=AddressPartial(street="1 Main St"))] * 4


def test_batch_get_with_nested_paths_fetches_the_key_too(orders: OrdersTable) -> None:
    for n in range(3):
        orders.put(full_order(f"o{n}"))
    got = orders.batch_get(
        [("c1", "o2"), ("c1", "missing"), ("c1", "o0")],
        attributes=[OrderAttrs.shipping.city, OrderAttrs.metadata["channel"]],
    )
    assert got == [
        OrderPartial(
            customer_id="c1",
            order_id=order_id,
            shipping=AddressPartial(city="Springfield"),
            metadata={"channel": "web"},
        )
        for order_id in ("o2", "o0")
    ]


def test_transact_get_with_nested_paths(
    orders: OrdersTable, xfail_on: Callable[[str, str], None]
) -> None:
    xfail_on("moto", "moto ignores ProjectionExpression in TransactGetItems (returns whole items)")
    orders.put(full_order("o1"))
    orders.put(full_order("o2"))
    partial, whole, absent = rt.transact_get(
        orders.tx_get("c1", "o1", attributes=[OrderAttrs.shipping.city, "total"]),
        orders.tx_get("c1", "o2"),
        orders.tx_get("c1", "nope", attributes=["total"]),
    )
    assert partial == OrderPartial(
        total=Decimal("123.45"), shipping=AddressPartial(city="Springfield")
    )
    assert whole is not None and whole.shipping is not None and whole.shipping.city == "Springfield"
    assert absent is None


def test_batch_and_transaction_projections_are_checked_before_any_request(
    orders: OrdersTable, requests_sent: list[str]
) -> None:
    with pytest.raises(rt.ValidationError, match="overlap"):
        orders.batch_get([("c1", "o1")], attributes=[OrderAttrs.shipping, OrderAttrs.shipping.zip])
    with pytest.raises(rt.ValidationError, match="overlap"):
        orders.tx_get("c1", "o1", attributes=[OrderAttrs.lines, OrderAttrs.lines[0].sku])
    with pytest.raises(rt.ValidationError, match="overlap"):
        list(orders.scan(attributes=["metadata", OrderAttrs.metadata["k"]]))
    assert requests_sent == []
