"""Handlers registered on a client see the same events, with the same kinds of arguments, on
both transports: botocore's pipeline and the direct transport (runtime/hooks.py).

Each engine gets two fresh clients (handlers registered here must not leak into the shared
ones); the same generated-table calls run on both, and the recorded event sequences are compared.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime.client import direct_transport
from generated_example.orders import Order, OrderAttrs, OrdersTable, OrderStatus
from tests.helpers import unique_name

EVENTS = (
    "provide-client-params",
    "before-parameter-build",
    "before-call",
    "request-created",
    "before-send",
    "response-received",
    "needs-retry",
    "after-call",
    "after-call-error",
)
ITEM_OPERATIONS = ("PutItem", "GetItem", "UpdateItem", "Query", "BatchWriteItem", "DeleteItem")


class Recorder:
    """Every event of `EVENTS` on one client: (event, operation, argument kinds), and the
    headers each request went out with."""

    def __init__(self, client: Any) -> None:
        self.events: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
        self.headers: list[dict[str, str]] = []
        for event in EVENTS:
            client.meta.events.register(f"{event}.dynamodb", self.record)

    def record(self, event_name: str, **kwargs: Any) -> None:
        event, _, operation = event_name.split(".")
        kinds = tuple(sorted((name, _kind(value)) for name, value in kwargs.items()))
        self.events.append((event, operation, kinds))
        if event == "before-send":
            self.headers.append(
                {
                    name: value.decode() if isinstance(value, bytes) else value
                    for name, value in kwargs["request"].headers.items()
                }
            )
        if event == "before-call":
            self.events.append(("before-call params", operation, tuple(sorted(kwargs["params"]))))


def _kind(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_kind(part) for part in value) + ")"
    return type(value).__name__


def _order(customer: str, n: int) -> Order:
    return Order(
        customer_id=customer,
        order_id=f"o{n}",
        status=OrderStatus.PENDING,
        total=Decimal("12.50"),
        placed_at=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        lines=[],
    )


def _calls(table: OrdersTable, customer: str) -> None:
    """The same item operations on either transport, an error answer among them."""
    table.put(_order(customer, 1))
    assert table.get(customer, "o1") is not None
    table.update(customer, "o1", set={"status": OrderStatus.PAID})
    assert len(list(table.query(customer))) == 1
    table.batch_put([_order(customer, 2), _order(customer, 3)])
    with pytest.raises(rt.ConditionFailed):
        table.delete(customer, "o2", condition=OrderAttrs.total > Decimal("100"))
    table.delete(customer, "o3")


def test_the_same_events_reach_handlers_on_both_transports(endpoint: str) -> None:
    recorded: dict[str, Recorder] = {}
    name = unique_name("events")
    OrdersTable(
        rt.make_client(endpoint_url=endpoint, region_name="us-east-1"), table_name=name
    ).create_table()
    try:
        for transport in ("botocore", "direct"):
            client = rt.make_client(
                endpoint_url=endpoint, region_name="us-east-1", direct=transport == "direct"
            )
            assert (direct_transport(client) is not None) == (transport == "direct")
            recorder = recorded[transport] = Recorder(client)
            _calls(OrdersTable(client, table_name=name), f"c-{transport}")
    finally:
        OrdersTable(
            rt.make_client(endpoint_url=endpoint, region_name="us-east-1"), table_name=name
        ).delete_table(wait=False)

    botocore, direct = recorded["botocore"], recorded["direct"]
    assert {operation for _, operation, _ in direct.events} == set(ITEM_OPERATIONS)
    assert direct.events == botocore.events
    # One full sequence per request, in botocore's order.
    first_put = [event for event, operation, _ in direct.events if operation == "PutItem"]
    assert first_put == [
        "provide-client-params",
        "before-parameter-build",
        "before-call",
        "before-call params",
        "request-created",
        "before-send",
        "response-received",
        "needs-retry",
        "after-call",
    ]
    for headers in botocore.headers + direct.headers:
        uuid.UUID(headers["amz-sdk-invocation-id"])
        assert re.fullmatch(r"attempt=1; max=\d+", headers["amz-sdk-request"]), headers
        assert "amz-sdk-invocation-id" not in headers["Authorization"]
    # botocore's own retries are off (dynagen's policy retries: max=1); the direct transport
    # numbers attempts within dynagen's budget (RetryPolicy.max_attempts, 10 by default).
    assert {h["amz-sdk-request"] for h in botocore.headers} == {"attempt=1; max=1"}
    assert {h["amz-sdk-request"] for h in direct.headers} == {"attempt=1; max=10"}
    invocations = [h["amz-sdk-invocation-id"] for h in direct.headers]
    assert len(set(invocations)) == len(invocations)
