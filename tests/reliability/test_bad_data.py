"""Items written by other tools, straight through the client, read back by generated code.

The policy (docs/reliability.md, "Bad data"):

- an item that does not match the spec raises `ItemDecodeError` naming the entity, the
  attribute (its stored name and nested path) and the item's key; nothing is guessed;
- attributes the spec does not know are ignored; a missing optional attribute reads as None;
- a missing *required* attribute is an error even when the spec gives it a default: add new
  attributes as `optional: true` when old items exist;
- NULL where the spec expects a value of a required attribute is an error; NULL stored for an
  optional attribute (AWS's own sample data has one) reads as None;
- iteration raises at the first bad item, after yielding the items before it; nothing is
  skipped silently. A page holding a bad item raises as a whole.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from types import ModuleType
from typing import Any, Iterator

import pytest

from dynagen import runtime as rt
from tests.helpers import build_modules, import_generated, unique_name

UTC = datetime.timezone.utc

SHOP_V1 = """
version: 1
table: shop_v1
key: {partition: shop, sort: sku}
types:
  Size: {enum: [s, m, l]}
  Price:
    fields:
      amount: decimal
      currency: string
entities:
  Product:
    attributes:
      shop: string
      sku: string
      size: Size
      price: Price
      stock: int
      listed_at: datetime
      tags: {type: list<string>, default: []}
      note: {type: string, optional: true, stored_as: "note #1"}
      version: version
"""
# The same table, a later spec: one optional attribute and one with a default were added.
SHOP_V2 = (
    SHOP_V1.replace("table: shop_v1", "table: shop_v2")
    + """      color: {type: string, optional: true}
      channel: {type: string, default: web}
"""
)


@pytest.fixture(scope="module")
def shops(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    package = build_modules(
        tmp_path_factory.mktemp("shops"), {"shop_v1.yaml": SHOP_V1, "shop_v2.yaml": SHOP_V2}
    )
    return import_generated(package, "shop_v1"), import_generated(package, "shop_v2")


@pytest.fixture(scope="module")
def v1(shops: tuple[ModuleType, ModuleType]) -> ModuleType:
    return shops[0]


@pytest.fixture(scope="module")
def table(v1: ModuleType, direct_client: Any) -> Iterator[Any]:
    products = v1.ShopV1Table(direct_client, table_name=unique_name("rel-bad-data"))
    products.create_table()
    yield products
    products.delete_table(wait=False)


def good(shop: str, sku: str) -> dict[str, Any]:
    """A well-formed stored item, as another tool would write it."""
    return {
        "shop": {"S": shop},
        "sku": {"S": sku},
        "size": {"S": "m"},
        "price": {"M": {"amount": {"N": "12.5"}, "currency": {"S": "EUR"}}},
        "stock": {"N": "3"},
        "listed_at": {"S": "2024-05-01T12:00:00.000000Z"},
        "tags": {"L": [{"S": "new"}]},
        "version": {"N": "1"},
    }


def product(v1: ModuleType, shop: str, sku: str) -> Any:
    return v1.Product(
        shop=shop,
        sku=sku,
        size=v1.Size.S,
        price=v1.Price(amount=Decimal(1), currency="EUR"),
        stock=1,
        listed_at=datetime.datetime(2024, 1, 1, tzinfo=UTC),
    )


def write(table: Any, item: dict[str, Any]) -> None:
    table.client.put_item(TableName=table.table_name, Item=item)


def key(shop: str, sku: str) -> dict[str, Any]:
    return {"shop": {"S": shop}, "sku": {"S": sku}}


# ------------------------------------------------------------------ one bad item, read by key

BAD = {
    "missing required": ("size", lambda item: item.pop("size"), "required attribute is missing"),
    "wrong wire type": ("stock", lambda item: item.update(stock={"S": "3"}), "expected N"),
    "not a number": ("stock", lambda item: item.update(stock={"N": "3.5"}), "3.5"),
    "unknown enum value": ("size", lambda item: item.update(size={"S": "xxl"}), "xxl"),
    "bad datetime": ("listed_at", lambda item: item.update(listed_at={"S": "yesterday"}), ""),
    "naive datetime": (
        "listed_at",
        lambda item: item.update(listed_at={"S": "2024-05-01T12:00:00"}),
        "timezone",
    ),
    "NULL for a value": ("stock", lambda item: item.update(stock={"NULL": True}), "NULL"),
    "nested field missing": (
        "price.currency",
        lambda item: item["price"]["M"].pop("currency"),
        "missing",
    ),
    "nested wrong type": (
        "price.amount",
        lambda item: item["price"]["M"].update(amount={"S": "12.5"}),
        "expected N",
    ),
    "list element wrong type": (
        "tags[1]",
        lambda item: item.update(tags={"L": [{"S": "a"}, {"N": "1"}]}),
        "expected S, found N",
    ),
    "map where a list is": ("tags", lambda item: item.update(tags={"M": {}}), "expected L"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_item_raises_item_decode_error_naming_the_key_and_the_attribute(
    table: Any, case: str
) -> None:
    attribute, spoil, detail = BAD[case]
    item = good("bad", case)
    spoil(item)
    write(table, item)
    with pytest.raises(rt.ItemDecodeError) as caught:
        table.get("bad", case)
    error = caught.value
    assert error.entity == "Product"
    assert error.attribute is not None and error.attribute.startswith(attribute)
    assert error.key == key("bad", case)
    assert detail in error.detail
    assert repr(case) in str(error) and attribute.split(".")[0] in str(error)


def test_attributes_the_spec_does_not_know_are_ignored(table: Any) -> None:
    write(table, good("extra", "plain"))
    write(
        table,
        {
            **good("extra", "extras"),
            "legacy": {"S": "from the old system"},
            "other.tool#field": {"M": {"x": {"NULL": True}}},
            "expires": {"N": "1"},
        },
    )
    plain, extras = table.get("extra", "plain"), table.get("extra", "extras")
    assert plain is not None and extras is not None
    assert dataclasses.replace(extras, sku="plain") == plain


def test_null_stored_for_an_optional_attribute_reads_as_none(table: Any) -> None:
    """Issue 11: a NULL another tool stored for an optional attribute raised ItemDecodeError."""
    write(table, {**good("optional", "null"), "note #1": {"NULL": True}})
    product = table.get("optional", "null")
    assert product is not None and product.note is None
    assert [p.note for p in table.query("optional")] == [None]


def test_missing_optional_attributes_read_as_none(table: Any) -> None:
    write(table, good("optional", "p1"))  # no "note #1"
    product = table.get("optional", "p1")
    assert product is not None and product.note is None


def test_an_item_written_under_an_older_spec(
    shops: tuple[ModuleType, ModuleType], table: Any
) -> None:
    v1, v2 = shops
    old = v1.ShopV1Table(table.client, table_name=table.table_name)
    new = v2.ShopV2Table(table.client, table_name=table.table_name)
    written = old.create(product(v1, "old", "p1"))
    assert written.version == 1
    # The newer spec added `channel: {default: web}`: the old item, stored without it, reads
    # as the default (adding a required attribute with a default is not breaking).
    upgraded = new.get("old", "p1")
    assert upgraded is not None and upgraded.channel == "web"
    # An item that does have the required new attribute reads, with the optional one as None.
    write(table, {**good("old", "p2"), "channel": {"S": "shop"}})
    read = new.get("old", "p2")
    assert read is not None and read.color is None and read.channel == "shop"


def test_a_write_whose_stored_item_is_bad_reports_it_raw(v1: ModuleType, table: Any) -> None:
    broken = good("conflict", "p1")
    broken.pop("size")
    write(table, broken)
    with pytest.raises(rt.ItemAlreadyExists) as caught:
        table.create(product(v1, "conflict", "p1"))
    assert caught.value.item is None  # the stored item does not decode...
    assert caught.value.raw_item == broken  # ...so it is handed over as stored


def test_an_update_of_a_bad_item_is_applied_then_reported(table: Any) -> None:
    """UpdateItem returns the new item, which still lacks `size`: the write happened."""
    broken = good("update", "p1")
    broken.pop("size")
    write(table, broken)
    with pytest.raises(rt.ItemDecodeError) as caught:
        table.update("update", "p1", set={"stock": 9})
    assert caught.value.attribute == "size"
    stored = table.client.get_item(TableName=table.table_name, Key=key("update", "p1"))["Item"]
    assert stored["stock"] == {"N": "9"} and stored["version"] == {"N": "2"}


# ------------------------------------------------------------------ one bad item among good ones


@pytest.fixture(scope="module")
def shelf(table: Any) -> str:
    """Five items in one partition; the third (p2) lacks its required `size`."""
    for number in range(5):
        item = good("shelf", f"p{number}")
        if number == 2:
            item.pop("size")
        write(table, item)
    return "shelf"


def test_iteration_raises_at_the_bad_item_after_the_good_ones_before_it(
    table: Any, shelf: str
) -> None:
    seen = []
    with pytest.raises(rt.ItemDecodeError) as caught:
        for product in table.query(shelf):
            seen.append(product.sku)
    assert seen == ["p0", "p1"]  # exactly the items before the bad one
    assert caught.value.key == key(shelf, "p2") and caught.value.attribute == "size"
    seen = []
    with pytest.raises(rt.ItemDecodeError):
        for product in table.query(shelf, reverse=True):
            seen.append(product.sku)
    assert seen == ["p4", "p3"]


def test_a_page_holding_a_bad_item_raises_and_the_reader_can_step_over_it(
    table: Any, shelf: str
) -> None:
    first = table.query_page(shelf, page_size=2)
    assert [p.sku for p in first.items] == ["p0", "p1"] and first.cursor is not None
    with pytest.raises(rt.ItemDecodeError) as caught:
        table.query_page(shelf, page_size=2, cursor=first.cursor)  # holds p2 and p3
    with pytest.raises(rt.ItemDecodeError):
        table.query_page(shelf)  # one page for all five: no partial page
    # The error names the key, so a reader that decides to skip it can resume after it.
    bad_sku = caught.value.key["sku"]["S"]
    rest = list(table.query(shelf, sort=rt.Sort.gt(bad_sku)))
    assert [p.sku for p in rest] == ["p3", "p4"]
    assert table.count(shelf) == 5  # counting decodes nothing


def test_scans_and_batch_reads_raise_at_the_bad_item_too(table: Any, shelf: str) -> None:
    with pytest.raises(rt.ItemDecodeError):
        list(table.scan())
    with pytest.raises(rt.ItemDecodeError):
        list(table.scan(segments=3))  # raised in the consumer; the worker threads stop
    with pytest.raises(rt.ItemDecodeError) as caught:
        table.batch_get([(shelf, f"p{n}") for n in range(5)])
    assert caught.value.key == key(shelf, "p2")
    with pytest.raises(rt.ItemDecodeError):
        rt.transact_get(table.tx_get(shelf, "p1"), table.tx_get(shelf, "p2"))
    assert [p.sku for p in table.batch_get([(shelf, "p0"), (shelf, "p4")])] == ["p0", "p4"]
