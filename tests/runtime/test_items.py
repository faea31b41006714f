"""dynagen.runtime.items: create, put, get, update and delete of one item, on moto in process.

What each call stores and returns (automatic attributes included), and which error a failed
condition becomes; the lost-reply case of put is scripted with a stand-in client.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError

from dynagen import runtime as rt
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.expressions import Path, Removable, StringAttr, Update
from dynagen.runtime.items import delete_item, get_item, put_item, update_item
from tests.runtime.support import (
    PLAIN,
    THING,
    ScriptedClient,
    client_error,
    endpoint_for,
    key,
    thing,
)

NAME: StringAttr[Any, str, Removable] = StringAttr("nm", lambda v: {"S": v}, Removable)


def raw(endpoint: Endpoint, pk: str = "a") -> dict[str, Any] | None:
    """The item exactly as stored, read with the plain client."""
    response = endpoint.client.get_item(
        TableName=endpoint.table_name, Key=key(pk), ConsistentRead=True
    )
    item: dict[str, Any] | None = response.get("Item")
    return item


def rename(name: str) -> Update:
    return Update().set(Path("nm"), {"S": name})


# ------------------------------------------------------------------ create and put


def test_create_stores_version_1_and_timestamps_and_returns_what_get_reads(
    things: Endpoint,
) -> None:
    made = put_item(things, THING, thing("a", nm={"S": "x"}, ver={"N": "9"}), mode="create")
    assert made == raw(things)
    assert made["ver"] == {"N": "1"} and made["created"] == made["updated"]
    assert made["created"]["S"].endswith("Z")
    assert get_item(things, THING, key("a")) == made


def test_create_over_a_stored_item_is_item_already_exists_and_changes_nothing(
    things: Endpoint,
) -> None:
    first = put_item(things, THING, thing("a", nm={"S": "x"}), mode="create")
    with pytest.raises(rt.ItemAlreadyExists) as caught:
        put_item(things, THING, thing("a", nm={"S": "other"}), mode="create")
    assert caught.value.raw_item == first and caught.value.item == first
    assert "Thing pk='a', sk='s' in table 'things' already exists" in str(caught.value)
    assert raw(things) == first


def test_put_bumps_the_version_and_keeps_created_at(things: Endpoint) -> None:
    first = put_item(things, THING, thing("a", nm={"S": "x"}))
    assert first["ver"] == {"N": "1"}
    second = put_item(things, THING, {**first, "nm": {"S": "y"}})
    assert second["ver"] == {"N": "2"} and second["nm"] == {"S": "y"}
    assert second["created"] == first["created"]
    assert second["updated"]["S"] >= first["updated"]["S"]
    assert raw(things) == second


def test_put_with_a_stale_version_is_a_version_conflict(things: Endpoint) -> None:
    first = put_item(things, THING, thing("a"))
    put_item(things, THING, first)  # now at version 2
    with pytest.raises(rt.VersionConflict) as caught:
        put_item(things, THING, first)  # still says version 1
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert raw(things)["ver"] == {"N": "2"}  # type: ignore[index]


def test_put_of_a_new_item_over_a_stored_one_is_a_version_conflict(things: Endpoint) -> None:
    put_item(things, THING, thing("a"))
    with pytest.raises(rt.VersionConflict) as caught:
        put_item(things, THING, thing("a"))  # version 0: "must not exist yet"
    assert (caught.value.expected, caught.value.actual) == (0, 1)


def test_put_with_a_false_condition_is_condition_failed(things: Endpoint) -> None:
    first = put_item(things, THING, thing("a", nm={"S": "x"}))
    with pytest.raises(rt.ConditionFailed) as caught:
        put_item(things, THING, first, condition=NAME == "not x")
    assert type(caught.value) is rt.ConditionFailed and caught.value.raw_item == first


def test_an_entity_without_automatic_attributes_is_stored_as_given(things: Endpoint) -> None:
    given = thing("a", nm={"S": "x"}, ver={"N": "7"})
    assert put_item(things, PLAIN, given) == given
    assert raw(things) == given
    assert put_item(things, PLAIN, thing("a")) == thing("a")  # a plain put replaces it


def test_put_after_a_lost_reply_that_finds_an_equal_item_is_outcome_unknown() -> None:
    """Attempt 1's reply was lost; attempt 2 finds an item equal to the one sent. It may be
    this call's own write or another writer's identical one: neither success nor
    ItemAlreadyExists can be proved, and the error holds the stored item."""
    client = ScriptedClient(
        put_item=[
            ConnectionClosedError(endpoint_url="http://127.0.0.1:1"),
            lambda request: client_error("ConditionalCheckFailedException", Item=request["Item"]),
        ]
    )
    with pytest.raises(rt.OutcomeUnknown) as caught:
        put_item(endpoint_for(client), THING, thing("a"), mode="create")
    sent = client.sent("put_item")
    assert len(sent) == 2 and sent[0] == sent[1]
    assert caught.value.raw_item == sent[0]["Item"] and caught.value.operation == "PutItem"


def test_a_first_attempt_finding_the_same_item_is_a_real_conflict() -> None:
    """Only a retry can have met its own write: on attempt 1 an equal item is someone else's."""
    client = ScriptedClient(
        put_item=lambda request: client_error(
            "ConditionalCheckFailedException", Item=request["Item"]
        )
    )
    with pytest.raises(rt.ItemAlreadyExists):
        put_item(endpoint_for(client), THING, thing("a"), mode="create")
    assert len(client.sent()) == 1


# ------------------------------------------------------------------ get


def test_get(things: Endpoint) -> None:
    assert get_item(things, THING, key("a")) is None
    made = put_item(things, THING, thing("a", nm={"S": "x"}, count={"N": "3"}))
    assert get_item(things, THING, key("a"), consistent_read=True) == made
    assert get_item(things, THING, key("a"), attributes=["name", "count"]) == {
        "nm": {"S": "x"},
        "count": {"N": "3"},
    }


def test_get_sends_exactly_its_request() -> None:
    client = ScriptedClient(get_item={})
    assert (
        get_item(endpoint_for(client), THING, key("a"), consistent_read=True, attributes=["name"])
        is None
    )
    assert client.sent() == [
        {
            "TableName": "things",
            "Key": key("a"),
            "ConsistentRead": True,
            "ProjectionExpression": "#n0",
            "ExpressionAttributeNames": {"#n0": "nm"},
        }
    ]


def test_writes_refuse_an_unknown_option_before_any_request() -> None:
    client = ScriptedClient()
    endpoint = endpoint_for(client)
    with pytest.raises(
        TypeError, match=r"^put_item\(\) got an unexpected keyword argument 'condtion'"
    ):
        put_item(endpoint, THING, thing("a"), condtion=None)  # type: ignore[call-arg]
    with pytest.raises(
        TypeError, match=r"^update_item\(\) got an unexpected keyword argument 'expected'"
    ):
        update_item(endpoint, THING, key("a"), Update(), expected=1)  # type: ignore[call-arg]
    with pytest.raises(
        TypeError, match=r"^delete_item\(\) got an unexpected keyword argument 'expected'"
    ):
        delete_item(endpoint, THING, key("a"), expected=1)  # type: ignore[call-arg]
    assert client.calls == []


def test_get_refuses_an_unknown_option_before_any_request() -> None:
    client = ScriptedClient(get_item={})
    with pytest.raises(
        TypeError, match=r"^get_item\(\) got an unexpected keyword argument 'projection'"
    ):
        get_item(endpoint_for(client), THING, key("a"), projection=["pk"])  # type: ignore[call-arg]
    assert client.sent() == []


# ------------------------------------------------------------------ update


def test_update_returns_the_item_as_stored_after_it(things: Endpoint) -> None:
    first = put_item(things, THING, thing("a", nm={"S": "x"}))
    after = update_item(things, THING, key("a"), rename("y"))
    assert after == raw(things)
    assert after["nm"] == {"S": "y"} and after["ver"] == {"N": "2"}
    assert after["created"] == first["created"] and after["updated"]["S"] >= first["updated"]["S"]


def test_update_of_a_missing_item_is_item_not_found_and_creates_nothing(things: Endpoint) -> None:
    with pytest.raises(rt.ItemNotFound):
        update_item(things, THING, key("a"), rename("y"))
    assert raw(things) is None


def test_update_with_expected_version(things: Endpoint) -> None:
    put_item(things, THING, thing("a", nm={"S": "x"}))
    assert update_item(things, THING, key("a"), rename("y"), expected_version=1)["ver"] == {
        "N": "2"
    }
    with pytest.raises(rt.VersionConflict) as caught:
        update_item(things, THING, key("a"), rename("z"), expected_version=1)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert raw(things)["nm"] == {"S": "y"}  # type: ignore[index]


def test_update_with_a_false_condition(things: Endpoint) -> None:
    put_item(things, THING, thing("a", nm={"S": "x"}))
    with pytest.raises(rt.ConditionFailed) as caught:
        update_item(things, THING, key("a"), rename("y"), condition=NAME == "other")
    assert type(caught.value) is rt.ConditionFailed
    assert caught.value.raw_item is not None and caught.value.raw_item["nm"] == {"S": "x"}


def test_update_asks_for_all_new_and_treats_only_condition_failures_as_such() -> None:
    client = ScriptedClient(
        update_item=[{"Attributes": thing("a")}, client_error("ValidationException")]
    )
    update_item(endpoint_for(client), PLAIN, key("a"), rename("y"))
    assert client.sent()[0]["ReturnValues"] == "ALL_NEW"
    with pytest.raises(rt.DynamoDBError) as caught:
        update_item(endpoint_for(client), PLAIN, key("a"), rename("y"))
    assert type(caught.value) is rt.DynamoDBError and caught.value.code == "ValidationException"


# ------------------------------------------------------------------ delete


def test_delete_returns_the_item_as_it_was(things: Endpoint) -> None:
    made = put_item(things, THING, thing("a"))
    assert delete_item(things, THING, key("a")) == made
    assert raw(things) is None
    assert delete_item(things, THING, key("a")) is None


def test_delete_with_expected_version(things: Endpoint) -> None:
    made = put_item(things, THING, thing("a"))
    with pytest.raises(rt.VersionConflict) as caught:
        delete_item(things, THING, key("a"), expected_version=5)
    assert (caught.value.expected, caught.value.actual) == (5, 1)
    assert raw(things) == made
    assert delete_item(things, THING, key("a"), expected_version=1) == made
    with pytest.raises(rt.VersionConflict) as gone:
        delete_item(things, THING, key("a"), expected_version=1)
    assert gone.value.actual is None


def test_delete_with_a_false_condition(things: Endpoint) -> None:
    put_item(things, THING, thing("a", nm={"S": "x"}))
    with pytest.raises(rt.ConditionFailed):
        delete_item(things, THING, key("a"), condition=NAME == "other")
    assert raw(things) is not None
    assert delete_item(things, THING, key("a"), condition=NAME == "x") is not None


def test_delete_asks_for_all_old() -> None:
    client = ScriptedClient(delete_item={})
    assert delete_item(endpoint_for(client), THING, key("a")) is None
    assert client.sent() == [{"TableName": "things", "Key": key("a"), "ReturnValues": "ALL_OLD"}]
