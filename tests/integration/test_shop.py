"""The single-table shop (specs/shop.yaml) on moto and DynamoDB Local: accessors, template keys,
entity isolation among near-miss keys, index keys in sync after every kind of update, sparse
indexes, collections, decode, scan, mixed batches and transactions."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any, Iterator

import pytest

from dynagen import runtime as rt
from dynagen.runtime import Sort
from generated_example.shop import (
    Customer,
    CustomerWithOrders,
    Order,
    OrderAttrs,
    OrderByStatusSort,
    OrderLine,
    OrderShipmentsSort,
    OrderSort,
    OrderStatus,
    ShopTable,
    decode_item,
)
from tests.helpers import unique_name

UTC = datetime.timezone.utc
T0 = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
C1 = uuid.UUID("11111111-1111-4111-8111-111111111111")
C2 = uuid.UUID("22222222-2222-4222-8222-222222222222")


@pytest.fixture
def shop(client: Any) -> Iterator[ShopTable]:
    table = ShopTable(client, table_name=unique_name("shop"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


def order(no: int, customer: uuid.UUID = C1, **changes: Any) -> Order:
    values: dict[str, Any] = {
        "customer_id": customer,
        "order_no": no,
        "status": OrderStatus.PENDING,
        "placed_at": T0 + datetime.timedelta(hours=no),
        "total": Decimal("10.50"),
    }
    values.update(changes)
    return Order(**values)


def line(no: int, line_no: int, sku: str = "sku-1", customer: uuid.UUID = C1) -> OrderLine:
    return OrderLine(
        customer_id=customer, order_no=no, line_no=line_no, sku=sku, qty=1, price=Decimal("2")
    )


def customer(customer_id: uuid.UUID = C1, email: str = "ann@example.com") -> Customer:
    return Customer(customer_id=customer_id, email=email, name="Ann")


def raw(shop: ShopTable, pk: str, sk: str) -> dict[str, Any] | None:
    answer = shop.client.get_item(
        TableName=shop.table_name, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
    )
    item: dict[str, Any] | None = answer.get("Item")
    return item


# ---------------------------------------------------------------- writes and keys


def test_create_writes_template_keys_index_keys_and_the_entity_name(shop: ShopTable) -> None:
    stored = shop.orders.create(order(5))
    assert stored.version == 1 and stored.updated_at is not None
    item = raw(shop, f"CUSTOMER#{C1}", "ORDER#00000005")
    assert item is not None
    assert item["_type"] == {"S": "Order"}
    assert item["gsi1pk"] == {"S": "STATUS#pending"}
    assert item["gsi1sk"] == {"S": "2026-01-01T17:00:00.000000Z#00000005"}
    assert item["gsi2pk"] == {"S": "SHIPPED"} and "gsi2sk" not in item  # not shipped: sparse
    assert shop.orders.get(C1, 5) == stored


def test_a_value_that_would_break_a_template_is_refused_before_any_request(
    shop: ShopTable, requests_sent: list[str]
) -> None:
    with pytest.raises(rt.ValidationError, match="order_no: -1 is negative"):
        shop.orders.create(order(-1))
    with pytest.raises(rt.ValidationError, match="does not fit the key template's 8 digits"):
        shop.orders.get(C1, 10**8)
    with pytest.raises(rt.ValidationError, match="carrier: 'a#b' holds '#', the separator"):
        shop.orders.put(order(1, carrier="a#b", shipped_at=T0))
    shop.order_lines.put(line(1, 1, sku="a#b"))  # `SKU#{sku}`: nothing follows it, so '#' is fine
    requests_sent.clear()
    with pytest.raises(rt.ValidationError, match="carrier: .*empty string"):
        shop.orders.put(order(1, carrier="", shipped_at=T0))
    assert requests_sent == []


def test_keys_keep_their_case(shop: ShopTable) -> None:
    shop.customers.create(customer(email="Ann@Example.COM"))
    assert [c.email for c in shop.customers.query_by_email("Ann@Example.COM")] == [
        "Ann@Example.COM"
    ]
    assert list(shop.customers.query_by_email("ann@example.com")) == []


# ---------------------------------------------------------------- isolation


def near_misses(shop: ShopTable) -> None:
    """Items of the other entities under the same partition, another customer's orders, and
    foreign items whose keys fall just outside the entities' prefixes."""
    pk = f"CUSTOMER#{C1}"
    for sk in [
        "ORDER",
        "ORDEQ#00000003",
        "ORDER$00000003",
        "PROFILE#",
        "PROFILE0",
        "LINE",
        "LINE$",
        "A",
    ]:
        shop.client.put_item(
            TableName=shop.table_name,
            Item={"pk": {"S": pk}, "sk": {"S": sk}, "_type": {"S": "Other"}},
        )
    shop.customers.create(customer())
    for no in range(1, 4):
        for line_no in range(1, 4):
            shop.order_lines.create(line(no, line_no))
    shop.orders.create(order(99, customer=C2))


def test_queries_never_return_another_entitys_items(shop: ShopTable) -> None:
    near_misses(shop)
    for no in range(1, 6):
        shop.orders.create(order(no))
    orders = list(shop.orders.query(C1))
    assert [o.order_no for o in orders] == [1, 2, 3, 4, 5]
    assert shop.orders.count(C1) == 5
    page = shop.orders.query_page(C1, page_size=2)
    assert [o.order_no for o in page.items] == [1, 2] and page.cursor is not None  # exact
    assert [o.order_no for o in shop.orders.query(C1, limit=3)] == [1, 2, 3]
    assert [c.name for c in shop.customers.query(C1)] == ["Ann"]
    assert len(list(shop.order_lines.query(C1))) == 9


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (OrderSort.order_no(Sort.between(2, 4)), [2, 3, 4]),
        (OrderSort.order_no(Sort.gt(3)), [4, 5]),
        (OrderSort.order_no(Sort.ge(3)), [3, 4, 5]),
        (OrderSort.order_no(Sort.lt(3)), [1, 2]),
        (OrderSort.order_no(Sort.le(3)), [1, 2, 3]),
        (OrderSort.order_no(Sort.eq(3)), [3]),
        (OrderSort.order_no(Sort.lt(0)), []),
    ],
)
def test_typed_sort_conditions_on_template_parts(
    shop: ShopTable, sort: rt.PartSort[OrderSort], expected: list[int]
) -> None:
    near_misses(shop)
    for no in range(1, 6):
        shop.orders.create(order(no))
    assert [o.order_no for o in shop.orders.query(C1, sort=sort)] == expected
    assert shop.orders.count(C1, sort=sort) == len(expected)


def test_sort_conditions_on_a_second_part_after_an_equal_first(shop: ShopTable) -> None:
    for no in range(1, 6):
        shop.orders.create(order(no, placed_at=T0))  # the same time: order_no decides
    shop.orders.create(order(6, placed_at=T0 + datetime.timedelta(seconds=1)))
    found = shop.orders.query_by_status(
        OrderStatus.PENDING, sort=OrderByStatusSort.order_no(T0, Sort.between(2, 3))
    )
    assert [o.order_no for o in found] == [2, 3]
    after = shop.orders.query_by_status(
        OrderStatus.PENDING, sort=OrderByStatusSort.placed_at(Sort.gt(T0))
    )
    assert [o.order_no for o in after] == [6]


def test_a_sort_condition_of_another_index_is_refused(shop: ShopTable) -> None:
    with pytest.raises(rt.ValidationError, match="made for the key template"):
        list(shop.orders.query(C1, sort=OrderByStatusSort.placed_at(Sort.gt(T0))))


# ---------------------------------------------------------------- index keys in sync


def by_status(shop: ShopTable, status: OrderStatus) -> list[tuple[int, OrderStatus]]:
    return [(o.order_no, o.status) for o in shop.orders.query_by_status(status)]


def shipped(shop: ShopTable) -> list[tuple[int, str | None]]:
    return [(o.order_no, o.carrier) for o in shop.orders.query_shipments()]


def test_every_kind_of_update_keeps_every_index_in_sync(shop: ShopTable) -> None:
    shop.orders.create(order(1))
    assert by_status(shop, OrderStatus.PENDING) == [(1, OrderStatus.PENDING)]
    assert shipped(shop) == []

    # set of an attribute in one index template: that index key is rewritten
    shop.orders.update(C1, 1, set={"status": OrderStatus.PAID})
    assert by_status(shop, OrderStatus.PENDING) == []
    assert by_status(shop, OrderStatus.PAID) == [(1, OrderStatus.PAID)]

    # set of the index's sort attribute: the new time is where the index finds it
    later = T0 + datetime.timedelta(days=3)
    shop.orders.update(C1, 1, set={"placed_at": later})
    found = list(
        shop.orders.query_by_status(
            OrderStatus.PAID, sort=OrderByStatusSort.placed_at(Sort.ge(later))
        )
    )
    assert [o.placed_at for o in found] == [later]
    assert (
        list(
            shop.orders.query_by_status(
                OrderStatus.PAID, sort=OrderByStatusSort.placed_at(Sort.lt(later))
            )
        )
        == []
    )

    # a group: the attributes of the sparse index enter it together
    shop.orders.update(C1, 1, shipments={"carrier": "DHL", "shipped_at": later})
    assert shipped(shop) == [(1, "DHL")]
    by_carrier = shop.orders.query_shipments(sort=OrderShipmentsSort.carrier(Sort.eq("DHL")))
    assert [o.shipped_at for o in by_carrier] == [later]

    # the group again, other values: no stale key left behind
    shop.orders.update(C1, 1, shipments={"carrier": "UPS", "shipped_at": later})
    assert list(shop.orders.query_shipments(sort=OrderShipmentsSort.carrier(Sort.eq("DHL")))) == []
    assert shipped(shop) == [(1, "UPS")]

    # add= on an attribute no template uses changes no index key, and the index sees the value
    shop.orders.update(C1, 1, add={"total": Decimal("1")})
    assert [o.total for o in shop.orders.query_by_status(OrderStatus.PAID)] == [Decimal("11.50")]

    # remove of an optional template attribute: the item leaves the sparse index
    shop.orders.update(C1, 1, remove=["carrier"])
    assert shipped(shop) == []
    stored = raw(shop, f"CUSTOMER#{C1}", "ORDER#00000001")
    assert stored is not None and "gsi2sk" not in stored and "carrier" not in stored

    # a transaction's update rewrites index keys alike
    rt.transact_write([shop.orders.tx_update(C1, 1, set={"status": OrderStatus.SHIPPED})])
    assert by_status(shop, OrderStatus.PAID) == []
    assert by_status(shop, OrderStatus.SHIPPED) == [(1, OrderStatus.SHIPPED)]

    # a whole-item put rewrites (and, when sparse, drops) every index key
    current = shop.orders.get(C1, 1, consistent_read=True)
    assert current is not None
    current.status = OrderStatus.CANCELLED
    current.carrier, current.shipped_at = "DHL", T0
    shop.orders.put(current)
    assert by_status(shop, OrderStatus.SHIPPED) == []
    assert by_status(shop, OrderStatus.CANCELLED) == [(1, OrderStatus.CANCELLED)]
    assert shipped(shop) == [(1, "DHL")]


def test_update_refuses_an_incomplete_group_and_actions_on_index_attributes(
    shop: ShopTable, requests_sent: list[str]
) -> None:
    with pytest.raises(rt.ValidationError, match="shipments: missing shipped_at"):
        shop.orders.update(C1, 1, shipments={"carrier": "DHL"})  # type: ignore[typeddict-item]
    with pytest.raises(rt.ValidationError):
        shop.orders.update(C1, 1, actions=[OrderAttrs.status.set(OrderStatus.PAID)])
    assert requests_sent == []


# ---------------------------------------------------------------- mixed reads


def test_collection_reads_every_member_in_one_query(
    shop: ShopTable, requests_sent: list[str]
) -> None:
    shop.customers.create(customer())
    shop.orders.create(order(1))
    shop.orders.create(order(2))
    shop.order_lines.create(line(1, 1))
    shop.orders.create(order(7, customer=C2))
    requests_sent.clear()
    items = list(shop.query_customer_with_orders(C1))
    assert requests_sent == ["DynamoDB_20120810.Query"]
    assert [type(item).__name__ for item in items] == ["OrderLine", "Order", "Order", "Customer"]
    grouped = shop.get_customer_with_orders(C1)
    assert isinstance(grouped, CustomerWithOrders)
    assert grouped.customer is not None and grouped.customer.name == "Ann"
    assert [o.order_no for o in grouped.orders] == [1, 2]
    assert [(l.order_no, l.line_no) for l in grouped.order_lines] == [(1, 1)]
    first = shop.query_customer_with_orders_page(C1, page_size=2)
    rest = shop.query_customer_with_orders_page(C1, page_size=10, cursor=first.cursor)
    assert len(first.items) + len(rest.items) == 4
    with pytest.raises(rt.InvalidCursor):  # bound to this collection's read
        shop.orders.query_page(C1, cursor=first.cursor)


def test_decode_scan_and_mixed_batch_get(shop: ShopTable) -> None:
    c = shop.customers.create(customer())
    o = shop.orders.create(order(1))
    l = shop.order_lines.create(line(1, 1))
    assert sorted(type(item).__name__ for item in shop.scan()) == ["Customer", "Order", "OrderLine"]
    keys = [shop.order_lines.key(C1, 1, 1), shop.customers.key(C1), shop.orders.key(C1, 1)]
    assert shop.batch_get(keys) == [l, c, o]
    stored = raw(shop, f"CUSTOMER#{C1}", "PROFILE")
    assert stored is not None and decode_item(stored) == c and shop.decode(stored) == c
    with pytest.raises(rt.ItemDecodeError, match="fits no entity's key template"):
        decode_item({"pk": {"S": "CUSTOMER#x"}, "sk": {"S": "ORDER#12"}})
    with pytest.raises(rt.ItemDecodeError, match="the entity attribute says 'Customer'"):
        decode_item({**stored, "sk": {"S": "ORDER#00000001"}})


def test_transactions_mix_entities(shop: ShopTable) -> None:
    rt.transact_write(
        [
            shop.customers.tx_create(customer()),
            shop.orders.tx_create(order(1)),
            shop.order_lines.tx_create(line(1, 1)),
        ]
    )
    got = rt.transact_get(shop.customers.tx_get(C1), shop.orders.tx_get(C1, 1))
    assert [type(item).__name__ for item in got] == ["Customer", "Order"]
    with pytest.raises(rt.TransactionCanceled):
        rt.transact_write([shop.orders.tx_create(order(2)), shop.customers.tx_create(customer())])
    assert shop.orders.get(C1, 2) is None


def test_a_foreign_item_inside_an_entitys_prefix_is_named_not_returned(shop: ShopTable) -> None:
    shop.orders.create(order(1))
    shop.client.put_item(
        TableName=shop.table_name,
        Item={"pk": {"S": f"CUSTOMER#{C1}"}, "sk": {"S": "ORDER#0000000"}, "_type": {"S": "Other"}},
    )
    with pytest.raises(rt.ItemDecodeError, match="expected 'Order', found 'Other'"):
        list(shop.orders.query(C1))


def test_reading_another_entitys_item_by_its_accessor_is_refused(shop: ShopTable) -> None:
    shop.client.put_item(
        TableName=shop.table_name,
        Item={
            "pk": {"S": f"CUSTOMER#{C1}"},
            "sk": {"S": "ORDER#00000001"},
            "_type": {"S": "Customer"},
        },
    )
    with pytest.raises(rt.ItemDecodeError, match="expected 'Order', found 'Customer'"):
        shop.orders.get(C1, 1)
