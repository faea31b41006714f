"""Datetime keys other tools wrote (issue 11): PynamoDB's form as a sort key, epoch milliseconds
as an index key, epoch seconds in an attribute; `get` by the instant finds the item, and `put` of
the item just read writes the same key back (no second item), on both engines."""

from __future__ import annotations

import datetime
from types import ModuleType
from typing import Any, Iterator

import pytest

from dynagen import runtime as rt
from tests.helpers import build_module, unique_name

UTC = datetime.timezone.utc

SPEC = """
version: 1
table: pynamodb_events
key: {partition: device, sort: at}
entities:
  Event:
    attributes:
      device: string
      at: {type: datetime, format: pynamodb}
      clicked: {type: datetime, format: epoch_millis}
      seen: {type: datetime, format: epoch_seconds, optional: true}
indexes:
  by_click:
    kind: local
    sort: clicked
"""

AT = datetime.datetime(2014, 2, 3, 23, 58, 10, 963333, tzinfo=UTC)
CLICKED = datetime.datetime(2014, 2, 3, 23, 58, 11, 5000, tzinfo=UTC)


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("events"), SPEC, "pynamodb_events")


@pytest.fixture
def events(module: ModuleType, client: Any) -> Iterator[Any]:
    table = module.PynamodbEventsTable(client, table_name=unique_name("events"))
    table.create_table()
    client.put_item(  # as PynamoDB (UTCDateTimeAttribute) and a JavaScript client wrote it
        TableName=table.table_name,
        Item={
            "device": {"S": "d1"},
            "at": {"S": "2014-02-03T23:58:10.963333+0000"},
            "clicked": {"N": "1391471891005"},
            "seen": {"N": "1391471900"},
        },
    )
    yield table
    table.delete_table(wait=False)


def test_get_by_the_instant_finds_the_item_another_tool_wrote(events: Any) -> None:
    event = events.get("d1", AT.astimezone(datetime.timezone(datetime.timedelta(hours=-5))))
    assert event is not None
    assert (event.at, event.clicked) == (AT, CLICKED)
    assert event.seen == datetime.datetime(2014, 2, 3, 23, 58, 20, tzinfo=UTC)


def test_put_of_the_item_just_read_writes_the_same_key_back(events: Any) -> None:
    event = events.get("d1", AT)
    events.put(event)
    raw = [item for item in events.client.scan(TableName=events.table_name)["Items"]]
    assert raw == [
        {
            "device": {"S": "d1"},
            "at": {"S": "2014-02-03T23:58:10.963333+0000"},
            "clicked": {"N": "1391471891005"},
            "seen": {"N": "1391471900"},
        }
    ]


def test_queries_compare_in_the_stored_form(events: Any) -> None:
    assert len(list(events.query("d1", sort=rt.Sort.between(AT, AT)))) == 1
    assert len(list(events.query_by_click("d1", sort=rt.Sort.ge(CLICKED)))) == 1
    assert list(events.query_by_click("d1", sort=rt.Sort.gt(CLICKED))) == []


def test_the_table_definition_types_an_epoch_key_as_a_number(events: Any) -> None:
    described = events.client.describe_table(TableName=events.table_name)["Table"]
    types = {d["AttributeName"]: d["AttributeType"] for d in described["AttributeDefinitions"]}
    assert types == {"device": "S", "at": "S", "clicked": "N"}


def test_a_stored_form_of_another_format_is_named_not_guessed(events: Any) -> None:
    events.client.put_item(
        TableName=events.table_name,
        Item={
            "device": {"S": "d2"},
            "at": {"S": "2014-02-03T23:58:10.963Z"},
            "clicked": {"N": "1"},
        },
    )
    with pytest.raises(rt.ItemDecodeError, match="at.*format pynamodb"):
        list(events.query("d2"))
