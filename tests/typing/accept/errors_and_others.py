"""Catching the runtime's errors, and the other example tables (ledger, user_sessions)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryAttrs, EntryKind, LedgerTable
from generated_example.orders import Order, OrderAttrs, OrdersTable, OrderStatus
from generated_example.user_sessions import Device, Session, SessionAttrs, UserSessionsTable

UTC = datetime.timezone.utc


def save_with_retries(orders: OrdersTable, order: Order) -> Order | None:
    try:
        return orders.put(order)
    except rt.VersionConflict as conflict:
        expected: int = conflict.expected
        actual: int | None = conflict.actual
        stored: Any = conflict.item
        raw: dict[str, Any] | None = conflict.raw_item
        assert expected >= 0 and (actual is None or stored is not None or raw is not None)
        fresh = orders.get(order.customer_id, order.order_id, consistent_read=True)
        if fresh is None:
            return None
        fresh.total = order.total
        return orders.put(fresh)


def create_once(orders: OrdersTable, order: Order) -> bool:
    try:
        orders.create(order)
    except rt.ItemAlreadyExists as exists:
        existing: Any = exists.item
        return existing is None
    return True


def ship(orders: OrdersTable, customer_id: str, order_id: str) -> str:
    try:
        orders.update(
            customer_id,
            order_id,
            set={"status": OrderStatus.SHIPPED},
            condition=OrderAttrs.status == OrderStatus.PAID,
        )
    except rt.ItemNotFound:
        return "missing"
    except rt.VersionConflict as error:
        return f"conflict {error.expected} != {error.actual}"
    except rt.ConditionFailed as error:
        message: str = str(error)
        return message
    except rt.Throttled as error:
        code: str = error.code
        operation: str = error.operation
        return code + operation
    except rt.TableNotFound as error:
        return error.code
    except rt.DynamoDBError as error:
        return f"{error.operation}: {error.code}"
    except rt.RetriesExhausted as error:
        attempts: int = error.attempts
        last: BaseException = error.last_error
        return f"{attempts} {last}"
    except rt.ItemDecodeError as error:
        entity: str = error.entity
        attribute: str | None = error.attribute
        return f"{entity}.{attribute}: {error.detail}"
    except rt.ValidationError as error:
        as_value_error: ValueError = error
        return str(as_value_error)
    except rt.DynagenError:
        return "other"
    return "ok"


def ledger_usage(ledger: LedgerTable) -> Entry:
    entry = ledger.create(
        Entry(
            account_id="acc-1",
            seq=1,
            kind=EntryKind.CREDIT,
            amount=Decimal("10.00"),
            booked_on=datetime.date(2024, 5, 1),
            comment="salary",
            batch_ids={1, 2},
        )
    )
    labels: list[str] = entry.labels
    counters: dict[str, int] = entry.counters
    batch_ids: set[int] | None = entry.batch_ids
    assert labels is not None and counters is not None and batch_ids is not None
    again: Entry | None = ledger.get("acc-1", 1)
    assert again is not None
    changed = ledger.update(
        "acc-1",
        1,
        set={"comment": None, "entry_status": "void", "labels": ["x"]},
        add={"amount": Decimal("-1"), "batch_ids": {3}},
        delete={"fx_rates": {Decimal("1.1")}},
        remove=["order_ref"],
        condition=(EntryAttrs.kind == EntryKind.CREDIT) & EntryAttrs.comment.begins_with("sal"),
        expected_version=entry.version,
    )
    ledger.delete("acc-1", 1, condition=EntryAttrs.batch_ids.contains(3) | EntryAttrs.seq.in_(1))
    return changed


def sessions_usage(sessions: UserSessionsTable, session_id: uuid.UUID) -> Session | None:
    now = datetime.datetime.now(UTC)
    session = sessions.create(
        Session(
            session_id=session_id,
            user_id="u1",
            token_hash=b"\x00" * 32,
            started_on=now.date(),
            last_seen=now,
            device=Device(kind="phone", os="ios"),
            expires_at=now + datetime.timedelta(hours=1),
            claims={"sub": "u1", "roles": ["admin"]},
        )
    )
    trusted: bool = session.device.trusted
    risk: float = session.risk_score
    created: datetime.datetime | None = session.created_at
    assert trusted or risk >= 0 or created
    sessions.update(
        session_id,
        set={"last_seen": now, "claims": None, "scopes": {"read"}},
        add={"risk_score": 0.5, "key_fingerprints": {b"k"}},
        condition=SessionAttrs.token_hash.begins_with(b"\x00")
        & (SessionAttrs.risk_score < 0.9)
        & (SessionAttrs.session_id == session_id),
    )
    return sessions.get(session_id)
