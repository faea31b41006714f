"""The DynamoDB Developer Guide's sample tables, adopted (issue 11; docs/spec.md, "A table that
exists already"): specs under tests/adopt/specs, the Guide's sample items under tests/adopt/data
(its BatchWriteItem files, and the ProductCatalog item of its expression case study), loaded with
the plain client as the Guide does, then read and written back through generated code, on both
engines.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from dynagen import runtime as rt
from dynagen.codegen.generate import generate
from tests.helpers import import_generated, sets_unordered, unique_name

HERE = Path(__file__).resolve().parent
UTC = datetime.timezone.utc
SPECS = {
    "product_catalog": "ProductCatalog",
    "forum": "Forum",
    "thread": "Thread",
    "reply": "Reply",
}


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    package = tmp_path_factory.mktemp("adopt") / "developer_guide"
    package.mkdir()
    for name, text in generate([str(HERE / "specs")]).items():
        (package / name).write_text(text, encoding="utf-8")
    return {module: import_generated(package, module) for module in SPECS}


def sample_items(table: str) -> list[dict[str, Any]]:
    data = json.loads((HERE / "data" / f"{table}.json").read_text(encoding="utf-8"))
    return [request["PutRequest"]["Item"] for request in data[table]]


def table_class(module: ModuleType) -> Any:
    return next(getattr(module, name) for name in module.__all__ if name.endswith("Table"))


@pytest.fixture
def loaded(modules: dict[str, ModuleType], client: Any) -> Iterator[dict[str, Any]]:
    """Each sample table created by its generated class and loaded with the Guide's items, written
    as the Guide writes them: BatchWriteItem with the plain client."""
    tables = {}
    for module, physical in SPECS.items():
        table = table_class(modules[module])(client, table_name=unique_name(physical))
        table.create_table()
        tables[module] = table
        client.batch_write_item(
            RequestItems={
                table.table_name: [{"PutRequest": {"Item": i}} for i in sample_items(physical)]
            }
        )
    yield tables
    for table in tables.values():
        table.delete_table(wait=False)


def stored(table: Any, key: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = table.client.get_item(
        TableName=table.table_name, Key=key, ConsistentRead=True
    )["Item"]
    return item


def key_of(item: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: item[name] for name in names}


KEYS = {
    "product_catalog": ("Id",),
    "forum": ("Name",),
    "thread": ("ForumName", "Subject"),
    "reply": ("Id", "ReplyDateTime"),
}


ENTITY = {"product_catalog": "product", "forum": "forum", "thread": "thread", "reply": "reply"}


def get_args(module: str, item: dict[str, Any]) -> tuple[Any, ...]:
    """The typed key of a sample item, as a caller of `get` writes it."""
    if module == "product_catalog":
        return (int(item["Id"]["N"]),)
    if module == "forum":
        return (item["Name"]["S"],)
    if module == "thread":
        return (item["ForumName"]["S"], item["Subject"]["S"])
    at = datetime.datetime.fromisoformat(item["ReplyDateTime"]["S"][:-1]).replace(tzinfo=UTC)
    return (item["Id"]["S"], at)


def without_null(item: dict[str, Any]) -> dict[str, Any]:
    """What a whole-item write of it stores: a NULL read as None is not written back."""
    return sets_unordered({name: value for name, value in item.items() if value != {"NULL": True}})


@pytest.mark.parametrize("module", list(SPECS))
def test_every_sample_item_reads_back_equal(
    modules: dict[str, ModuleType], loaded: dict[str, Any], module: str
) -> None:
    """Each sample item decodes, and marshalling what was read gives the item as stored."""
    marshal = getattr(modules[module], f"marshal_{ENTITY[module]}")
    unmarshal = getattr(modules[module], f"unmarshal_{ENTITY[module]}")
    items = sample_items(SPECS[module])
    assert len(list(loaded[module].scan())) == len(items)
    for item in items:
        as_stored = stored(loaded[module], key_of(item, KEYS[module]))
        assert sets_unordered(marshal(unmarshal(as_stored))) == without_null(as_stored)
        assert loaded[module].get(*get_args(module, item)) == unmarshal(as_stored)


@pytest.mark.parametrize("module", list(SPECS))
def test_put_of_get_leaves_every_sample_item_as_it_was(loaded: dict[str, Any], module: str) -> None:
    table = loaded[module]
    for item in sample_items(SPECS[module]):
        key = key_of(item, KEYS[module])
        before = stored(table, key)
        table.put(table.get(*get_args(module, item)))
        assert sets_unordered(stored(table, key)) == without_null(before)
    assert len(list(table.scan())) == len(sample_items(SPECS[module]))  # no second item made


def test_products_read_as_typed_values(
    modules: dict[str, ModuleType], loaded: dict[str, Any]
) -> None:
    catalog = modules["product_catalog"]
    products = loaded["product_catalog"]
    book = products.get(103)
    assert book == catalog.Product(
        id=103,
        title="Book 103 Title",
        product_category="Book",
        price=Decimal(2000),
        isbn="333-3333333333",
        authors=["Author1", "Author2"],
        dimensions="8.5 x 11.0 x 1.5",
        page_count=600,
        in_publication=False,
    )
    bike = products.get(206)  # a string set, a NULL, a list of numbers, maps
    assert bike is not None
    assert bike.color == {"Red", "Black"} and bike.quantity_on_hand is None
    assert bike.related_items == [341, 472, 649] and bike.in_stock is True
    assert bike.pictures == catalog.Pictures(
        front_view="http://example.com/products/206_front.jpg",
        rear_view="http://example.com/products/206_rear.jpg",
        side_view="http://example.com/products/206_left_side.jpg",
    )
    assert bike.product_reviews is not None and bike.product_reviews.one_star == [
        "Terrible product!  Do not buy this."
    ]
    assert products.get(201).color == ["Red", "Black"]  # a list on the other bicycles


def test_get_by_the_foreign_datetime_key_finds_the_reply(loaded: dict[str, Any]) -> None:
    replies = loaded["reply"]
    at = datetime.datetime(2015, 9, 15, 19, 58, 22, 947000, tzinfo=UTC)
    reply = replies.get("Amazon DynamoDB#DynamoDB Thread 1", at)
    assert reply is not None and reply.message == "DynamoDB Thread 1 Reply 1 text"
    assert reply.replied_at == at
    # the same instant in another zone is the same key
    tokyo = at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert replies.get("Amazon DynamoDB#DynamoDB Thread 1", tokyo) == reply
    since = list(replies.query("Amazon DynamoDB#DynamoDB Thread 2", sort=rt.Sort.gt(at)))
    assert [r.message for r in since] == [
        "DynamoDB Thread 2 Reply 1 text",
        "DynamoDB Thread 2 Reply 2 text",
    ]


def test_put_of_a_reply_just_read_does_not_make_a_second_item(loaded: dict[str, Any]) -> None:
    replies = loaded["reply"]
    at = datetime.datetime(2015, 9, 22, 19, 58, 22, 947000, tzinfo=UTC)
    reply = replies.get("Amazon DynamoDB#DynamoDB Thread 1", at)
    assert reply is not None
    replies.put(dataclasses.replace(reply, message="edited"))
    thread = list(replies.query("Amazon DynamoDB#DynamoDB Thread 1"))
    assert [r.message for r in thread] == ["DynamoDB Thread 1 Reply 1 text", "edited"]


def test_a_datetime_finer_than_the_stored_form_is_refused_before_any_request(
    loaded: dict[str, Any],
) -> None:
    replies = loaded["reply"]
    finer = datetime.datetime(2015, 9, 15, 19, 58, 22, 947001, tzinfo=UTC)
    with pytest.raises(rt.ValidationError, match="replied_at: .* finer than format iso_millis"):
        replies.get("Amazon DynamoDB#DynamoDB Thread 1", finer)


def test_the_index_with_its_dynamodb_name(loaded: dict[str, Any]) -> None:
    replies = loaded["reply"]
    description = replies.client.describe_table(TableName=replies.table_name)["Table"]
    assert [i["IndexName"] for i in description["GlobalSecondaryIndexes"]] == [
        "PostedBy-Message-Index"
    ]
    by_b = list(replies.query_by_poster("User B"))
    assert [r.message for r in by_b] == ["DynamoDB Thread 1 Reply 2 text"]
    page = replies.query_by_poster_page("User A", page_size=1)
    assert page.cursor is not None
    rest = replies.query_by_poster_page("User A", cursor=page.cursor)
    assert len(page.items) + len(rest.items) + (0 if rest.cursor is None else 1) >= 3


def test_threads_keep_their_millisecond_datetimes(loaded: dict[str, Any]) -> None:
    thread = loaded["thread"].get("Amazon DynamoDB", "DynamoDB Thread 1")
    assert thread is not None
    assert thread.last_posted_at == datetime.datetime(2015, 9, 22, 19, 58, 22, 514000, tzinfo=UTC)
    assert thread.tags == ["index", "primarykey", "table"]
    forum = loaded["forum"].get("Amazon S3")
    assert forum is not None and (forum.threads, forum.views) == (None, None)
