"""create_table / delete_table: indexes, TTL and stream from the spec, and their error cases."""

from __future__ import annotations

from typing import Any

import pytest

from dynagen import runtime as rt
from generated_example.ledger import LedgerTable
from generated_example.orders import OrdersTable
from generated_example.user_sessions import UserSessionsTable
from tests.helpers import unique_name
from tests.integration.support import make_order


def describe(table: Any) -> dict[str, Any]:
    described: dict[str, Any] = table.client.describe_table(TableName=table.table_name)["Table"]
    return described


def keys(schema: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(key["AttributeName"], key["KeyType"]) for key in schema]


def indexes(described: dict[str, Any], kind: str) -> dict[str, tuple[Any, ...]]:
    """{index name: (key schema, projection type, sorted non-key attributes)}."""
    return {
        index["IndexName"]: (
            keys(index["KeySchema"]),
            index["Projection"]["ProjectionType"],
            sorted(index["Projection"].get("NonKeyAttributes", [])),
        )
        for index in described.get(kind, [])
    }


def stream(view: str) -> dict[str, Any]:
    return {"StreamEnabled": True, "StreamViewType": view}


def ttl(table: Any) -> tuple[str, str | None]:
    described = table.client.describe_time_to_live(TableName=table.table_name)
    description = described["TimeToLiveDescription"]
    return description["TimeToLiveStatus"], description.get("AttributeName")


def test_orders_table_has_its_key_indexes_billing_stream_and_ttl(orders: OrdersTable) -> None:
    described = describe(orders)
    assert keys(described["KeySchema"]) == [("customer_id", "HASH"), ("order_id", "RANGE")]
    assert indexes(described, "GlobalSecondaryIndexes") == {
        "by_status": ([("status", "HASH"), ("placed_at", "RANGE")], "ALL", []),
    }
    assert indexes(described, "LocalSecondaryIndexes") == {
        "by_total": ([("customer_id", "HASH"), ("total", "RANGE")], "KEYS_ONLY", []),
    }
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert described["StreamSpecification"] == stream("NEW_AND_OLD_IMAGES")
    assert ttl(orders) == ("ENABLED", "expires_at")


def test_ledger_table_has_its_indexes_throughput_stream_and_no_ttl(ledger: LedgerTable) -> None:
    described = describe(ledger)
    assert keys(described["KeySchema"]) == [("account_id", "HASH"), ("seq", "RANGE")]
    assert indexes(described, "GlobalSecondaryIndexes") == {
        "by_kind": ([("kind", "HASH"), ("booked_on", "RANGE")], "KEYS_ONLY", []),
        "by_order_ref": ([("order #ref", "HASH")], "ALL", []),
    }
    assert indexes(described, "LocalSecondaryIndexes") == {
        "by_amount": (
            [("account_id", "HASH"), ("amount", "RANGE")],
            "INCLUDE",
            ["currency", "kind"],
        ),
    }
    throughput = described["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (5, 5)
    assert described["StreamSpecification"] == stream("NEW_IMAGE")
    assert ttl(ledger)[0] == "DISABLED"


def test_user_sessions_table_has_its_index_stream_and_ttl(sessions: UserSessionsTable) -> None:
    described = describe(sessions)
    assert keys(described["KeySchema"]) == [("session_id", "HASH")]
    assert indexes(described, "GlobalSecondaryIndexes") == {
        "by_user": (
            [("user_id", "HASH"), ("last_seen", "RANGE")],
            "INCLUDE",
            ["device", "started_on"],
        ),
    }
    assert indexes(described, "LocalSecondaryIndexes") == {}
    assert described["StreamSpecification"] == stream("KEYS_ONLY")
    assert ttl(sessions) == ("ENABLED", "expires_at")


def test_create_table_again_needs_exist_ok(orders: OrdersTable) -> None:
    orders.create_table(exist_ok=True)
    orders.create_table(exist_ok=True)
    with pytest.raises(rt.TableAlreadyExists):
        orders.create_table()
    assert describe(orders)["TableStatus"] == "ACTIVE"
    assert ttl(orders) == ("ENABLED", "expires_at")


def test_a_missing_table_raises_table_not_found_unless_missing_ok(client: Any) -> None:
    missing = OrdersTable(client, table_name=unique_name("missing"))
    missing.delete_table(missing_ok=True)
    with pytest.raises(rt.TableNotFound):
        missing.delete_table()
    with pytest.raises(rt.TableNotFound):
        missing.get("c1", "o1")
    with pytest.raises(rt.TableNotFound):
        missing.create(make_order())
