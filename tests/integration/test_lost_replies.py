"""create/put whose reply is lost: the runtime retries, and never claims more than it can prove.

A condition failure met by a retry may be the call's own earlier write, or another writer's
identical one: the call raises OutcomeUnknown (holding the stored item), never success and never
ItemAlreadyExists. With client request tokens (RetryPolicy(idempotent_writes=True)) DynamoDB
recognises the retry itself, and the call succeeds. A false condition with no lost answer is a
plain ConditionFailed.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import pytest
from botocore.exceptions import ConnectionClosedError

from dynagen import runtime as rt
from generated_example.orders import OrdersTable
from generated_example.user_sessions import SessionAttrs, UserSessionsTable
from tests.integration.support import full_session, make_order


class LosesFirstPutReply:
    """A client whose first PutItem reaches DynamoDB but whose reply is lost on the way back."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.lost = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def put_item(self, **request: Any) -> Any:
        response = self._client.put_item(**request)
        if not self.lost:
            self.lost = True
            raise ConnectionClosedError(endpoint_url="http://reply-lost")
        return response


def test_a_create_whose_reply_was_lost_is_outcome_unknown_with_the_stored_item(
    orders: OrdersTable,
) -> None:
    flaky = LosesFirstPutReply(orders.client)
    with pytest.raises(rt.OutcomeUnknown) as caught:
        OrdersTable(flaky, table_name=orders.table_name).create(make_order())
    assert flaky.lost
    stored = orders.get("c1", "o1", consistent_read=True)
    assert stored is not None and caught.value.item == stored


class LosesFirstTransactionReply(LosesFirstPutReply):
    """The same, for the one-item transactions that idempotent writes send."""

    def transact_write_items(self, **request: Any) -> Any:
        response = self._client.transact_write_items(**request)
        if not self.lost:
            self.lost = True
            raise ConnectionClosedError(endpoint_url="http://reply-lost")
        return response


def test_a_create_with_idempotent_writes_whose_reply_was_lost_succeeds_on_retry(
    orders: OrdersTable, xfail_on: Callable[[str, str], None]
) -> None:
    xfail_on("moto", "moto ignores ClientRequestToken: the retried transaction is refused")
    flaky = LosesFirstTransactionReply(orders.client)
    policy = rt.RetryPolicy(idempotent_writes=True, base_delay=0)
    created = OrdersTable(flaky, table_name=orders.table_name, retry=policy).create(make_order())
    assert flaky.lost
    assert orders.get("c1", "o1", consistent_read=True) == created


def test_put_with_a_false_condition_fails_even_if_the_item_is_unchanged(
    sessions: UserSessionsTable,
) -> None:
    session = dataclasses.replace(full_session(), scopes=None, key_fingerprints=None)
    written = sessions.put(session)
    with pytest.raises(rt.ConditionFailed):
        sessions.put(written, condition=SessionAttrs.user_id == "someone-else")
