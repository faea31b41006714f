"""dynagen.runtime.tables: create_table (with TTL), delete_table and the wait for a table's state.

On moto in process for what the table ends up as; with a stand-in client and a fake clock for
polling, timeouts and exactly which requests are sent.
"""

from __future__ import annotations

from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime import tables as tables_module
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.tables import create_table, delete_table, wait_until_active
from tests.runtime.support import (
    THING_DEFINITION,
    ScriptedClient,
    client_error,
    endpoint_for,
    no_wait,
    throttled,
)


class FakeTime:
    """The clock tables.py polls with: sleeping only moves it on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(tables_module, "time", fake)
    return fake


def described(status: str, *index_statuses: str) -> dict[str, Any]:
    table: dict[str, Any] = {"TableStatus": status}
    if index_statuses:
        table["GlobalSecondaryIndexes"] = [
            {"IndexName": f"i{n}", "IndexStatus": s} for n, s in enumerate(index_statuses)
        ]
    return {"Table": table}


TTL_OFF = {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}


# ------------------------------------------------------------------ on moto


def test_create_table_makes_an_active_table_with_its_ttl(moto_client: Any) -> None:
    endpoint = Endpoint(moto_client, "made-here", no_wait())
    create_table(endpoint, THING_DEFINITION, ttl_attribute="expires")
    table = moto_client.describe_table(TableName="made-here")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["pk", "sk"]
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["by_name"]
    ttl = moto_client.describe_time_to_live(TableName="made-here")["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


def test_creating_an_existing_table(things: Endpoint) -> None:
    with pytest.raises(rt.TableAlreadyExists) as caught:
        create_table(things, THING_DEFINITION, ttl_attribute=None)
    assert caught.value.code == "ResourceInUseException"
    assert "CreateTable on table 'things' failed" in str(caught.value)
    create_table(things, THING_DEFINITION, ttl_attribute="expires", exist_ok=True)
    ttl = things.client.describe_time_to_live(TableName="things")["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED"  # exist_ok still applies the TTL


def test_delete_table(things: Endpoint) -> None:
    delete_table(things)
    assert "things" not in things.client.list_tables()["TableNames"]
    with pytest.raises(rt.TableNotFound):
        delete_table(things)
    delete_table(things, missing_ok=True)


# ------------------------------------------------------------------ requests, polling and timeouts


def test_create_sends_the_definition_under_the_table_name_and_waits_only_when_asked(
    clock: FakeTime,
) -> None:
    client = ScriptedClient(create_table={})
    create_table(endpoint_for(client), {"KeySchema": []}, ttl_attribute=None, wait=False)
    assert client.calls == [("create_table", {"TableName": "things", "KeySchema": []})]


def test_create_polls_until_the_table_and_every_index_are_active(clock: FakeTime) -> None:
    client = ScriptedClient(
        create_table={},
        describe_table=[
            described("CREATING", "CREATING"),
            described("ACTIVE", "CREATING"),
            described("ACTIVE", "ACTIVE", "CREATING"),
            described("ACTIVE", "ACTIVE", "ACTIVE"),
        ],
    )
    create_table(endpoint_for(client), {}, ttl_attribute=None)
    assert len(client.sent("describe_table")) == 4
    assert clock.sleeps == [0.02, 0.04, 0.08]  # doubling from 20 ms


def test_the_poll_delay_is_capped_at_two_seconds(clock: FakeTime) -> None:
    client = ScriptedClient(describe_table=[described("CREATING")] * 12 + [described("ACTIVE")])
    wait_until_active(endpoint_for(client))
    assert max(clock.sleeps) == 2.0 and clock.sleeps[-1] == 2.0


def test_waiting_times_out_with_a_clear_error(clock: FakeTime) -> None:
    client = ScriptedClient(describe_table=described("CREATING"))
    with pytest.raises(
        rt.DynagenError, match="timed out after 5s waiting for table 'things' to become active"
    ):
        wait_until_active(endpoint_for(client), timeout=5.0)
    assert 5.0 < clock.now < 5.0 + 2.0 + 1e-9


def test_ttl_is_turned_on_only_when_it_is_off(clock: FakeTime) -> None:
    client = ScriptedClient(
        create_table={},
        describe_table=described("ACTIVE"),
        describe_time_to_live=TTL_OFF,
        update_time_to_live={},
    )
    create_table(
        endpoint_for(client), {}, ttl_attribute="expires", wait=False
    )  # TTL needs an active table
    assert [name for name, _ in client.calls] == [
        "create_table",
        "describe_table",
        "describe_time_to_live",
        "update_time_to_live",
    ]
    assert client.sent("update_time_to_live") == [
        {
            "TableName": "things",
            "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expires"},
        }
    ]
    for status in ("ENABLED", "ENABLING"):
        already = ScriptedClient(
            create_table={}, describe_table=described("ACTIVE"),
            describe_time_to_live={"TimeToLiveDescription": {"TimeToLiveStatus": status}},
        )  # fmt: skip
        create_table(endpoint_for(already), {}, ttl_attribute="expires")
        assert "update_time_to_live" not in [name for name, _ in already.calls]


def test_delete_waits_until_the_table_is_gone(clock: FakeTime) -> None:
    gone = client_error("ResourceNotFoundException", operation="DescribeTable")
    client = ScriptedClient(
        delete_table={}, describe_table=[described("DELETING"), described("DELETING"), gone]
    )
    delete_table(endpoint_for(client))
    assert len(client.sent("describe_table")) == 3 and len(clock.sleeps) == 2
    quick = ScriptedClient(delete_table={})
    delete_table(endpoint_for(quick), wait=False)
    assert [name for name, _ in quick.calls] == ["delete_table"]


def test_delete_waiting_times_out(clock: FakeTime) -> None:
    client = ScriptedClient(delete_table={}, describe_table=described("DELETING"))
    with pytest.raises(rt.DynagenError, match="waiting for table 'things' to be deleted"):
        delete_table(endpoint_for(client), timeout=1.0)


def test_other_create_failures_are_not_swallowed_by_exist_ok(clock: FakeTime) -> None:
    client = ScriptedClient(create_table=client_error("ValidationException", message="bad schema"))
    with pytest.raises(rt.DynamoDBError, match="bad schema"):
        create_table(endpoint_for(client), {}, ttl_attribute=None, exist_ok=True)


def test_create_table_is_retried_when_throttled(clock: FakeTime) -> None:
    client = ScriptedClient(
        create_table=[client_error("LimitExceededException"), {}],
        describe_table=described("ACTIVE"),
    )
    create_table(endpoint_for(client), {}, ttl_attribute=None)
    assert len(client.sent("create_table")) == 2


def test_table_already_exists_after_retries_says_how_many_attempts(clock: FakeTime) -> None:
    client = ScriptedClient(create_table=[throttled(), client_error("ResourceInUseException")])
    with pytest.raises(rt.TableAlreadyExists) as caught:
        create_table(endpoint_for(client), {}, ttl_attribute=None)
    assert len(client.sent()) == 2
    assert "after 2 attempts" in str(caught.value)
