"""Each example table, with every attribute set: create, get, update, get, delete."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from generated_example.ledger import EntryKind, EntrySet, LedgerTable
from generated_example.orders import Address, LineItem, OrderSet, OrdersTable, OrderStatus
from generated_example.user_sessions import Device, SessionSet, UserSessionsTable
from tests.integration.support import full_entry, full_order, full_session, future


def test_orders_round_trip(orders: OrdersTable) -> None:
    written = full_order()
    created = orders.create(written)
    assert created == dataclasses.replace(
        written, version=1, created_at=created.created_at, updated_at=created.updated_at
    )
    assert orders.get("c1", "full", consistent_read=True) == created

    changes: OrderSet = dict(
        status=OrderStatus.SHIPPED,
        total=Decimal("0.01"),
        placed_at=datetime.datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc),
        lines=[LineItem(sku="c", qty=10, price=Decimal("-1.5"))],
        shipping=Address(street="3 Elm St", city="Ogdenville"),
        metadata={},
        expires_at=future(days=60),
    )
    updated = orders.update("c1", "full", set=changes, expected_version=1)
    assert updated == dataclasses.replace(
        created, **changes, version=2, updated_at=updated.updated_at
    )
    assert orders.get("c1", "full", consistent_read=True) == updated
    assert orders.delete("c1", "full", expected_version=2) == updated
    assert orders.get("c1", "full", consistent_read=True) is None


def test_ledger_round_trip(ledger: LedgerTable) -> None:
    written = full_entry(seq=42)
    created = ledger.create(written)
    assert created == dataclasses.replace(written, version=1, updated_at=created.updated_at)
    assert ledger.get("acc-1", 42, consistent_read=True) == created

    changes: EntrySet = dict(
        kind=EntryKind.ADJUSTMENT,
        amount=Decimal("-0.000001"),
        currency="JPY",
        booked_on=datetime.date(1999, 12, 31),
        entry_status="void",
        comment="a.b #c :d",
        order_ref="#1",
        batch_ids={1},
        fx_rates={Decimal("1E-10")},
        labels=[],
        counters={"a": -1},
    )
    updated = ledger.update("acc-1", 42, set=changes, expected_version=1)
    assert updated == dataclasses.replace(
        created, **changes, version=2, updated_at=updated.updated_at
    )
    assert ledger.get("acc-1", 42, consistent_read=True) == updated
    assert ledger.delete("acc-1", 42, expected_version=2) == updated
    assert ledger.get("acc-1", 42, consistent_read=True) is None


def test_user_sessions_round_trip(sessions: UserSessionsTable) -> None:
    written = full_session()
    created = sessions.create(written)
    assert created == dataclasses.replace(written, created_at=created.created_at)
    assert sessions.get(written.session_id, consistent_read=True) == created

    changes: SessionSet = dict(
        user_id="user-2",
        token_hash=b"\x00" * 32,
        started_on=datetime.date(2024, 6, 2),
        last_seen=datetime.datetime(2024, 6, 2, 9, 0, tzinfo=datetime.timezone.utc),
        risk_score=1e-5,
        claims=["a", 1, 2.5, {"nested": {"deep": [True, None]}}],
        device=Device(kind="laptop"),
        scopes={"admin"},
        key_fingerprints={b"\x00", b"\x01"},
        expires_at=future(days=2),
    )
    updated = sessions.update(written.session_id, set=changes)
    assert updated == dataclasses.replace(created, **changes)
    assert sessions.get(written.session_id, consistent_read=True) == updated
    assert sessions.delete(written.session_id) == updated
    assert sessions.get(written.session_id, consistent_read=True) is None
