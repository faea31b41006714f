"""dynagen.runtime.transact: the tx_* operations, transact_write and transact_get(_all).

All-or-nothing behaviour on moto in process; retries on conflicts (one budget, one token) and
cancellation reasons with stand-in clients that script DynamoDB's answers.
"""

from __future__ import annotations

from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.expressions import Path, Removable, StringAttr, Update
from dynagen.runtime.items import get_item, put_item
from dynagen.runtime.transact import (
    MAX_OPERATIONS,
    TxGet,
    TxWrite,
    transact_get,
    transact_get_all,
    transact_write,
    tx_check,
    tx_delete,
    tx_get,
    tx_put,
    tx_update,
)
from tests.runtime.support import (
    PLAIN,
    THING,
    ScriptedClient,
    canceled,
    endpoint_for,
    key,
    no_wait,
    thing,
    throttled,
)

NAME: StringAttr[Any, str, Removable] = StringAttr("nm", lambda v: {"S": v}, Removable)


def rename(name: str) -> Update:
    return Update().set(Path("nm"), {"S": name})


def offline(client: Any | None = None, max_attempts: int = 3) -> Endpoint:
    return endpoint_for(client if client is not None else ScriptedClient(), no_wait(max_attempts))


# ------------------------------------------------------------------ the operations


def test_operations_carry_their_action_kind_and_request() -> None:
    endpoint = offline()
    put = tx_put(endpoint, THING, thing("a"), mode="create")
    assert (put.action, put.kind) == ("Put", "create")
    assert put.item == put.write.item and put.item is not None and put.item["ver"] == {"N": "1"}
    assert put.write.request["ConditionExpression"] == "attribute_not_exists(#n0)"
    update = tx_update(endpoint, THING, key("b"), rename("x"), expected_version=2)
    assert (update.action, update.kind) == ("Update", "update") and not hasattr(update, "item")
    assert update.write.expected_version == 2 and "ReturnValues" not in update.write.request
    delete = tx_delete(endpoint, THING, key("c"), condition=NAME == "x")
    assert (delete.action, delete.kind) == ("Delete", "delete")
    check = tx_check(endpoint, THING, key("d"), NAME.exists())
    assert (check.action, check.kind) == ("ConditionCheck", "check")
    assert check.describe() == "ConditionCheck Thing pk='d', sk='s' in table 'things'"
    get = tx_get(endpoint, THING, key("e"), THING.decode)
    assert isinstance(get, TxGet) and get.key == key("e")


def test_an_unknown_write_option_is_refused_as_python_refuses_an_unknown_keyword() -> None:
    """The write options are typed TypedDicts (PutOptions, Guard); check_options holds them at
    run time, as a spelled-out signature did."""
    endpoint = offline()
    with pytest.raises(TypeError, match=r"tx_put\(\) got an unexpected keyword argument 'mdoe'"):
        tx_put(endpoint, THING, thing("a"), mdoe="create")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="tx_update.*'version'"):
        tx_update(endpoint, THING, key("b"), rename("x"), version=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="tx_delete.*'mode'"):
        tx_delete(endpoint, THING, key("c"), mode="create")  # type: ignore[call-arg]


def test_the_exact_transaction_request() -> None:
    client = ScriptedClient(transact_write_items={})
    endpoint = offline(client)
    check = tx_check(endpoint, PLAIN, key("a"), NAME == "x")
    delete = tx_delete(endpoint, PLAIN, key("b"))
    assert transact_write([check, delete], token="t-1") == "t-1"
    assert client.sent() == [
        {
            "TransactItems": [
                {"ConditionCheck": check.write.request},
                {"Delete": {"TableName": "things", "Key": key("b")}},
            ],
            "ClientRequestToken": "t-1",
        }
    ]


# ------------------------------------------------------------------ on moto


def test_transact_write_applies_every_operation(things: Endpoint) -> None:
    put_item(things, THING, thing("b", nm={"S": "x"}))
    put_item(things, THING, thing("c"))
    token = transact_write(
        [
            tx_put(things, THING, thing("a"), mode="create"),
            tx_update(things, THING, key("b"), rename("y"), expected_version=1),
            tx_delete(things, THING, key("c")),
        ]
    )
    assert 1 <= len(token) <= 36
    assert get_item(things, THING, key("a")) is not None
    assert get_item(things, THING, key("b"))["ver"] == {"N": "2"}  # type: ignore[index]
    assert get_item(things, THING, key("c")) is None


def test_a_failed_condition_cancels_everything_and_says_why(things: Endpoint) -> None:
    existing = put_item(things, THING, thing("b"))
    with pytest.raises(rt.TransactionCanceled) as caught:
        transact_write(
            [
                tx_put(things, THING, thing("a"), mode="create"),
                tx_put(things, THING, thing("b"), mode="create"),
                tx_update(things, THING, key("b", "t"), rename("y")),
            ]
        )
    assert get_item(things, THING, key("a")) is None  # nothing applied
    reasons = caught.value.reasons
    assert [r.index for r in reasons] == [1, 2]
    assert all(r.code == "ConditionalCheckFailed" for r in reasons)
    assert isinstance(reasons[0].error, rt.ItemAlreadyExists) and reasons[0].item == existing
    assert reasons[0].operation == "Put Thing pk='b', sk='s' in table 'things'"
    assert isinstance(reasons[1].error, rt.ItemNotFound) and reasons[1].item is None
    assert "#1 Put Thing pk='b'" in str(caught.value) and "#2 Update" in str(caught.value)


def test_a_version_conflict_in_a_transaction(things: Endpoint) -> None:
    put_item(things, THING, thing("a"))
    with pytest.raises(rt.TransactionCanceled) as caught:
        transact_write([tx_delete(things, THING, key("a"), expected_version=7)])
    (reason,) = caught.value.reasons
    assert isinstance(reason.error, rt.VersionConflict)
    assert (reason.error.expected, reason.error.actual) == (7, 1)


def test_transact_get_reads_typed_items_and_none_for_missing(things: Endpoint) -> None:
    a = put_item(things, THING, thing("a"))
    c = put_item(things, PLAIN, thing("c"))
    got = transact_get(
        tx_get(things, THING, key("a"), THING.decode),
        tx_get(things, THING, key("b"), THING.decode),
        tx_get(things, PLAIN, key("c"), PLAIN.decode),
    )
    assert got == (a, None, c)
    assert transact_get_all([tx_get(things, THING, key("a"), THING.decode)]) == (a,)


# ------------------------------------------------------------------ validation before any request


def test_transaction_sizes_and_kinds_are_checked_before_any_request() -> None:
    client = ScriptedClient()
    endpoint = offline(client)
    with pytest.raises(rt.ValidationError, match="at least one operation"):
        transact_write([])
    too_many = [tx_delete(endpoint, PLAIN, key(f"k{i}")) for i in range(MAX_OPERATIONS + 1)]
    with pytest.raises(rt.ValidationError, match="at most 100 operations, got 101"):
        transact_write(too_many)
    get: Any = tx_get(endpoint, PLAIN, key("a"), PLAIN.decode)
    with pytest.raises(rt.ValidationError, match="operation 1 of the transaction is a TxGet"):
        transact_write([tx_delete(endpoint, PLAIN, key("b")), get])
    with pytest.raises(rt.ValidationError, match="needs at least one read"):
        transact_get_all([])
    with pytest.raises(rt.ValidationError, match="at most 100 items, got 101"):
        transact_get_all([tx_get(endpoint, PLAIN, key(f"k{i}"), PLAIN.decode) for i in range(101)])
    assert client.sent() == []


def test_two_operations_on_one_item_are_refused() -> None:
    """One item per transaction, as DynamoDB counts items: 1 and 1.0 are one key."""
    client = ScriptedClient(transact_write_items={})
    endpoint = offline(client)
    with pytest.raises(
        rt.ValidationError, match="operations 0 and 2 of the transaction both touch"
    ):
        transact_write(
            [
                tx_delete(endpoint, PLAIN, {"pk": {"S": "a"}, "sk": {"N": "1"}}),
                tx_delete(endpoint, PLAIN, key("b")),
                tx_check(endpoint, PLAIN, {"pk": {"S": "a"}, "sk": {"N": "1.0"}}, NAME.exists()),
            ]
        )
    assert client.sent() == []
    other_table = Endpoint(client, "others", no_wait())  # type: ignore[arg-type]
    transact_write([tx_delete(endpoint, PLAIN, key("a")), tx_delete(other_table, PLAIN, key("a"))])
    assert len(client.sent()) == 1  # the same key in another table is another item


@pytest.mark.parametrize("token", ["", "x" * 37, 12])
def test_a_bad_token_is_refused(token: Any) -> None:
    with pytest.raises(rt.ValidationError, match="token must be 1 to 36 characters"):
        transact_write([tx_delete(offline(), PLAIN, key("a"))], token=token)


# ------------------------------------------------------------------ retries: one budget, one token


def test_a_conflict_is_retried_with_the_same_token_on_one_budget() -> None:
    client = ScriptedClient(
        transact_write_items=[
            canceled("None", "TransactionConflict"),
            canceled("TransactionConflict", "None"),
            {},
        ]
    )
    endpoint = offline(client, max_attempts=3)
    operations = [tx_delete(endpoint, PLAIN, key("a")), tx_delete(endpoint, PLAIN, key("b"))]
    token = transact_write(operations)
    sent = client.sent()
    assert len(sent) == 3
    assert {request["ClientRequestToken"] for request in sent} == {token}
    assert sent[0] == sent[1] == sent[2]


@pytest.mark.parametrize("max_attempts", [1, 2, 4])
def test_conflicts_until_the_budget_runs_out_raise_transaction_canceled(max_attempts: int) -> None:
    client = ScriptedClient(transact_write_items=canceled("TransactionConflict"))
    sleeps: list[float] = []
    endpoint = endpoint_for(client, rt.RetryPolicy(max_attempts=max_attempts, sleep=sleeps.append))
    with pytest.raises(rt.TransactionCanceled) as caught:
        transact_write([tx_delete(endpoint, PLAIN, key("a"))])
    assert len(client.sent()) == max_attempts and len(sleeps) == max_attempts - 1
    assert [r.code for r in caught.value.reasons] == ["TransactionConflict"]


def test_transport_retries_and_conflicts_share_the_budget() -> None:
    client = ScriptedClient(transact_write_items=[throttled(), canceled("TransactionConflict"), {}])
    with pytest.raises(rt.TransactionCanceled):
        transact_write([tx_delete(offline(client, max_attempts=2), PLAIN, key("a"))])
    assert len(client.sent()) == 2


@pytest.mark.parametrize(
    "codes",
    [("ConditionalCheckFailed", "TransactionConflict"), ("ValidationError",), ("None",), ()],
)
def test_a_cancellation_that_is_not_only_conflicts_is_not_retried(codes: tuple[str, ...]) -> None:
    client = ScriptedClient(transact_write_items=canceled(*codes))
    endpoint = offline(client, max_attempts=5)
    operations = [tx_delete(endpoint, PLAIN, key(f"k{i}")) for i in range(max(len(codes), 1))]
    with pytest.raises(rt.TransactionCanceled) as caught:
        transact_write(operations)
    assert len(client.sent()) == 1
    assert [r.code for r in caught.value.reasons] == [c for c in codes if c != "None"]
    if not [c for c in codes if c != "None"]:
        assert str(caught.value) == "transaction canceled: no reason given"


def test_throttling_reasons_are_retried_too() -> None:
    client = ScriptedClient(
        transact_write_items=[
            canceled("ThrottlingError"),
            canceled("ProvisionedThroughputExceeded"),
            {},
        ]
    )
    transact_write([tx_delete(offline(client, max_attempts=3), PLAIN, key("a"))])
    assert len(client.sent()) == 3


def test_client_and_retry_can_be_given_for_the_whole_transaction() -> None:
    first: Any = ScriptedClient()
    used: Any = ScriptedClient(transact_write_items=[canceled("TransactionConflict"), {}])
    endpoint = offline(first, max_attempts=1)
    transact_write([tx_delete(endpoint, PLAIN, key("a"))], client=used, retry=no_wait(2))
    assert first.sent() == [] and len(used.sent()) == 2


# ------------------------------------------------------------------ transact_get cancellations


def test_transact_get_cancellations_raise_transaction_canceled_with_reasons() -> None:
    error = canceled("None", "ValidationError")
    client = ScriptedClient(transact_get_items=error)
    endpoint = offline(client)
    with pytest.raises(rt.TransactionCanceled) as caught:
        transact_get(
            tx_get(endpoint, THING, key("a"), THING.decode),
            tx_get(endpoint, THING, key("b"), THING.decode),
        )
    (reason,) = caught.value.reasons
    assert (reason.index, reason.code, reason.error) == (1, "ValidationError", None)
    assert reason.operation == "Get Thing pk='b', sk='s' in table 'things'"
    assert reason.message == "reason 1"
    assert len(client.sent()) == 1


def test_transact_get_retries_conflicts_on_one_budget() -> None:
    answer = {"Responses": [{"Item": thing("a")}, {}]}
    client = ScriptedClient(transact_get_items=[canceled("TransactionConflict", "None"), answer])
    endpoint = offline(client, max_attempts=2)
    got = transact_get_all(
        [
            tx_get(endpoint, PLAIN, key("a"), PLAIN.decode),
            tx_get(endpoint, PLAIN, key("b"), PLAIN.decode),
        ]
    )
    assert got == (thing("a"), None) and len(client.sent()) == 2
    assert client.sent()[0] == {
        "TransactItems": [
            {"Get": {"TableName": "things", "Key": key("a")}},
            {"Get": {"TableName": "things", "Key": key("b")}},
        ]
    }
    stubborn = ScriptedClient(transact_get_items=canceled("TransactionConflict"))
    with pytest.raises(rt.TransactionCanceled):
        transact_get(tx_get(offline(stubborn, max_attempts=2), PLAIN, key("a"), PLAIN.decode))
    assert len(stubborn.sent()) == 2


@pytest.mark.parametrize("answers", [[], [{}], [{}, {}, {}]])
def test_transact_get_with_a_wrong_number_of_responses_is_a_bad_response(
    answers: list[Any],
) -> None:
    """One answer per read: fewer would read as "absent", more would shift items to the wrong
    reads; either is a bad response, retried (a read: safe) and then RetriesExhausted."""
    client = ScriptedClient(transact_get_items={"Responses": answers})
    reads = [
        tx_get(offline(client), PLAIN, key("a"), PLAIN.decode),
        tx_get(offline(client), PLAIN, key("b"), PLAIN.decode),
    ]
    with pytest.raises(rt.RetriesExhausted) as caught:
        transact_get_all(reads)
    assert isinstance(caught.value.last_error, rt.BadResponse)
    assert f"{len(answers)} Responses for 2 reads" in str(caught.value)
    assert len(client.sent()) == 3  # the whole budget, then the error
    good = ScriptedClient(
        transact_get_items=[{"Responses": answers}, {"Responses": [{"Item": thing("a")}, {}]}]
    )
    got = transact_get_all([tx_get(offline(good), PLAIN, key("a"), PLAIN.decode), tx_get(offline(good), PLAIN, key("b"), PLAIN.decode)])  # fmt: skip
    assert got == (thing("a"), None) and len(good.sent()) == 2


def test_tx_write_is_what_transact_write_takes() -> None:
    assert isinstance(tx_delete(offline(), PLAIN, key("a")), TxWrite)


# ------------------------------------------------------------------ projections


INSIDE: StringAttr[Any, str, Removable] = StringAttr(Path("nm", "x"), lambda v: {"S": v}, Removable)


def test_a_projected_get_is_checked_when_made_and_sent_with_its_projection() -> None:
    client = ScriptedClient(transact_get_items={"Responses": [{"Item": {"nm": {"S": "x"}}}, {}]})
    endpoint = offline(client)
    with pytest.raises(rt.ValidationError, match="overlap"):
        tx_get(endpoint, THING, key("a"), dict, attributes=["name", INSIDE])
    projected = tx_get(endpoint, THING, key("a"), lambda raw: ("p", raw), attributes=["name"])
    plain = tx_get(endpoint, THING, key("b"), THING.decode)
    assert transact_get(projected, plain) == (("p", {"nm": {"S": "x"}}), None)
    (request,) = client.sent("transact_get_items")
    assert request["TransactItems"] == [
        {
            "Get": {
                "TableName": "things",
                "Key": key("a"),
                "ProjectionExpression": "#n0",
                "ExpressionAttributeNames": {"#n0": "nm"},
            }
        },
        {"Get": {"TableName": "things", "Key": key("b")}},
    ]
