"""Fixtures for the reliability tests: DynamoDB Local, the fault proxy, fast retry policies.

Every test here runs against DynamoDB Local (the `local_endpoint` fixture of tests/conftest.py).
Tables are made through a direct client; the code under test talks through `FaultProxy`.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest
from botocore.config import Config

from dynagen.runtime import RetryPolicy, make_client
from tests.helpers import build_module, unique_name
from tests.reliability.proxy import FaultProxy

# A small table used by the contention, transaction and self-recognition tests.
COUNTER_SPEC = """
version: 1
table: counters
description: One counter per name, with optimistic locking.
key: {partition: name}
entities:
  Counter:
    attributes:
      name: string
      value: int
      amount: {type: decimal, optional: true}
      marks: {type: set<int>, optional: true}
      version: version
      updated_at: updated_at
"""

# No version, no timestamps, no condition: a put is a plain upsert, safe to send twice.
NOTES_SPEC = """
version: 1
table: notes
key: {partition: name}
entities:
  Note:
    attributes:
      name: string
      text: string
"""

# The bulk table of the fault tests: like orders, without the stream (DynamoDB Local takes
# ~0.3 s per write on a table with a stream, which would make 6,000 writes take half an hour).
PARCELS_SPEC = """
version: 1
table: parcels
description: Parcels by sender, and by state through a global index.
key: {partition: sender, sort: parcel_id}
types:
  State: {enum: [new, sent, delivered, lost]}
  Line:
    fields:
      sku: string
      qty: int
      price: decimal
entities:
  Parcel:
    attributes:
      sender: string
      parcel_id: string
      state: State
      weight: decimal
      sent_at: datetime
      lines: list<Line>
      note: {type: string, optional: true}
      version: version
      created_at: created_at
      updated_at: updated_at
indexes:
  by_state: {partition: state, sort: sent_at}
"""


def client_config() -> Config:
    """Bounded waits: no test hangs on a dropped connection."""
    return Config(connect_timeout=5, read_timeout=20, max_pool_connections=16)


@pytest.fixture(scope="session")
def counters_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("counters"), COUNTER_SPEC, "counters")


@pytest.fixture(scope="session")
def notes_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("notes"), NOTES_SPEC, "notes")


@pytest.fixture(scope="session")
def parcels_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("parcels"), PARCELS_SPEC, "parcels")


@pytest.fixture(scope="session")
def direct_client(local_endpoint: str) -> Any:
    """A client straight to DynamoDB Local: to set up tables and to count what was stored."""
    return make_client(endpoint_url=local_endpoint, region_name="us-east-1", config=client_config())


@pytest.fixture(scope="session")
def shared_proxy(local_endpoint: str) -> Iterator[FaultProxy]:
    with FaultProxy(local_endpoint, rate=0.0, seed=0, delay=0.02) as running:
        yield running


@pytest.fixture
def proxy(shared_proxy: FaultProxy) -> Iterator[FaultProxy]:
    """The fault proxy in front of DynamoDB Local, reset: it injects nothing until configured."""
    shared_proxy.reset()
    yield shared_proxy
    shared_proxy.reset()


@pytest.fixture(scope="session")
def proxied_client(shared_proxy: FaultProxy) -> Any:
    """A client (made by make_client, botocore retries off) that talks through the proxy."""
    return make_client(
        endpoint_url=shared_proxy.url, region_name="us-east-1", config=client_config()
    )


class RetryCounter:
    """A RetryPolicy whose sleeps are counted: one sleep per retry, whatever the layer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.retries = 0

    def _sleep(self, seconds: float) -> None:
        with self._lock:
            self.retries += 1
        if seconds > 0:
            time.sleep(seconds)

    def policy(
        self,
        max_attempts: int = 10,
        base_delay: float = 0.001,
        max_delay: float = 0.01,
        idempotent_writes: bool = False,
    ) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=max_attempts,
            base_delay=base_delay,
            max_delay=max_delay,
            sleep=self._sleep,
            idempotent_writes=idempotent_writes,
        )


@pytest.fixture
def retries() -> RetryCounter:
    return RetryCounter()


@pytest.fixture
def counters_name(counters_module: ModuleType, direct_client: Any) -> Iterator[str]:
    """A fresh counters table (made through the direct client); yields its name."""
    table = counters_module.CountersTable(direct_client, table_name=unique_name("rel-counters"))
    table.create_table()
    yield table.table_name
    table.delete_table(wait=False)


@pytest.fixture
def notes_name(notes_module: ModuleType, direct_client: Any) -> Iterator[str]:
    table = notes_module.NotesTable(direct_client, table_name=unique_name("rel-notes"))
    table.create_table()
    yield table.table_name
    table.delete_table(wait=False)


@pytest.fixture
def parcels_name(parcels_module: ModuleType, direct_client: Any) -> Iterator[str]:
    """A fresh parcels table (made through the direct client); yields its name."""
    table = parcels_module.ParcelsTable(direct_client, table_name=unique_name("rel-parcels"))
    table.create_table()
    yield table.table_name
    table.delete_table(wait=False)


def scan_all(client: Any, table_name: str) -> list[dict[str, Any]]:
    """Every stored item, in wire form, through a plain paginated consistent scan."""
    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {"TableName": table_name, "ConsistentRead": True}
    while True:
        response = client.scan(**request)
        items.extend(response.get("Items", []))
        last = response.get("LastEvaluatedKey")
        if not last:
            return items
        request["ExclusiveStartKey"] = last


def report(name: str, **figures: Any) -> None:
    """Print one line of figures (seen with `pytest -s`), quoted in docs/reliability.md."""
    parts = ", ".join(f"{key}={value}" for key, value in figures.items())
    print(f"\n[reliability] {name}: {parts}")


def module_path(module: ModuleType) -> Path:
    return Path(str(module.__file__))
