"""Builders and helpers shared by the integration tests."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from generated_example.ledger import Entry, EntryKind
from generated_example.orders import Address, LineItem, Order, OrderStatus
from generated_example.user_sessions import Device, Session

UTC = datetime.timezone.utc


def future(days: int = 30) -> datetime.datetime:
    """A TTL in the future, in whole seconds (DynamoDB Local really deletes expired items)."""
    return (datetime.datetime.now(UTC) + datetime.timedelta(days=days)).replace(microsecond=0)


def raw_item(table: Any, key: dict[str, Any]) -> dict[str, Any] | None:
    """The item exactly as stored (wire form), read with the plain boto3 client."""
    response = table.client.get_item(TableName=table.table_name, Key=key, ConsistentRead=True)
    item: dict[str, Any] | None = response.get("Item")
    return item


def make_order(order_id: str = "o1", **changes: Any) -> Order:
    """A pending order with only the required attributes (and defaults) set."""
    fields: dict[str, Any] = dict(
        customer_id="c1",
        order_id=order_id,
        status=OrderStatus.PENDING,
        total=Decimal("19.90"),
        placed_at=datetime.datetime(2024, 5, 1, 12, 30, 0, 123456, tzinfo=UTC),
        lines=[LineItem(sku="sku-1", qty=2, price=Decimal("9.95"))],
    )
    fields.update(changes)
    return Order(**fields)


def full_order(order_id: str = "full") -> Order:
    """An order with every attribute set (automatic ones are set by the table)."""
    return make_order(
        order_id,
        status=OrderStatus.PAID,
        total=Decimal("123.45"),
        quantity=3,
        gift=True,
        note="leave at the door",
        tags={"express", "fragile"},
        lines=[
            LineItem(sku="a", qty=1, price=Decimal("100.00")),
            LineItem(sku="b", qty=2, price=Decimal("11.725")),
        ],
        shipping=Address(street="1 Main St", city="Springfield", zip="12345"),
        metadata={"channel": "web", "coupon": "SPRING"},
        expires_at=future(),
    )


def full_entry(seq: int = 1) -> Entry:
    """A ledger entry with every attribute set, including the awkwardly named ones."""
    return Entry(
        account_id="acc-1",
        seq=seq,
        kind=EntryKind.CREDIT,
        amount=Decimal("250.75"),
        currency="USD",
        booked_on=datetime.date(2024, 2, 29),
        entry_status="pending",
        comment="first deposit",
        order_ref="ORD #42",
        batch_ids={7, 8, 9},
        fx_rates={Decimal("1.0825"), Decimal("0.9231")},
        labels=["salary", "monthly"],
        counters={"retries": 2, "views": 10},
    )


def full_session() -> Session:
    """A session with every attribute set."""
    return Session(
        session_id=uuid.uuid4(),
        user_id="user-1",
        token_hash=bytes(range(32)),
        started_on=datetime.date(2024, 6, 1),
        last_seen=datetime.datetime(2024, 6, 1, 8, 0, 0, 1, tzinfo=UTC),
        device=Device(kind="phone", os="android", trusted=True),
        expires_at=future(),
        risk_score=0.25,
        claims={"sub": "user-1", "roles": ["admin", "dev"], "mfa": True, "age": 42, "x": None},
        scopes={"read", "write"},
        key_fingerprints={b"\x01\x02", b"\xff"},
    )
