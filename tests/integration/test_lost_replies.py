"""create/put whose reply is lost: the runtime retries, and must tell its own write from another's.

Since 3798752 the runtime treats a condition failure whose stored item equals the item sent as
"our own earlier attempt landed". That must hold on real DynamoDB, and must not turn a false
condition into a success when nothing was retried.
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


def test_a_create_whose_reply_was_lost_succeeds_on_retry(
    orders: OrdersTable, xfail_on: Callable[[str, str], None]
) -> None:
    flaky = LosesFirstPutReply(orders.client)
    created = OrdersTable(flaky, table_name=orders.table_name).create(make_order())
    assert flaky.lost
    assert orders.get("c1", "o1", consistent_read=True) == created


def test_put_with_a_false_condition_fails_even_if_the_item_is_unchanged(
    sessions: UserSessionsTable,
) -> None:
    session = dataclasses.replace(full_session(), scopes=None, key_fingerprints=None)
    written = sessions.put(session)
    with pytest.raises(rt.ConditionFailed):
        sessions.put(written, condition=SessionAttrs.user_id == "someone-else")
