"""Fixtures for the integration tests: one fresh table per test, on moto and on DynamoDB Local.

Every table fixture creates the table under a unique name through the generated class and
deletes it afterwards (without waiting), so tests never see each other's items.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from generated_example.ledger import LedgerTable
from generated_example.orders import OrdersTable
from generated_example.user_sessions import UserSessionsTable
from tests.helpers import unique_name


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """Which engine the current test variant runs on: "moto" or "local"."""
    return str(request.node.callspec.params["endpoint"])


@pytest.fixture
def xfail_on(request: pytest.FixtureRequest, engine: str) -> Callable[[str, str], None]:
    """`xfail_on("moto", reason)`: a strict xfail for one engine's variant of the test only.

    Used where moto differs from DynamoDB Local (which is the reference), and for dynagen bugs
    that only real DynamoDB behaviour brings out.
    """

    def mark(only: str, reason: str) -> None:
        if engine == only:
            request.applymarker(pytest.mark.xfail(strict=True, reason=reason))

    return mark


@pytest.fixture
def orders(client: Any) -> Iterator[OrdersTable]:
    table = OrdersTable(client, table_name=unique_name("orders"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


@pytest.fixture
def ledger(client: Any) -> Iterator[LedgerTable]:
    table = LedgerTable(client, table_name=unique_name("ledger"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


@pytest.fixture
def sessions(client: Any) -> Iterator[UserSessionsTable]:
    table = UserSessionsTable(client, table_name=unique_name("sessions"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


@pytest.fixture
def offline_orders(client: Any) -> OrdersTable:
    """An orders table object whose table is never created: any request would fail."""
    return OrdersTable(client, table_name=unique_name("never-created"))


@pytest.fixture
def offline_sessions(client: Any) -> UserSessionsTable:
    """A user_sessions table object whose table is never created: any request would fail."""
    return UserSessionsTable(client, table_name=unique_name("never-created"))


@pytest.fixture
def requests_sent(client: Any) -> list[str]:
    """The names of the operations the client has sent since the test started."""
    sent: list[str] = []

    def record(request: Any, **_: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        sent.append(target.decode() if isinstance(target, bytes) else str(target))

    client.meta.events.register("before-send.dynamodb", record)
    return sent
