"""What exact typing refuses is refused at run time too, for code mypy never saw: actions a
reference's mode does not offer fail before any request (the stored item is untouched and stays
readable), a Condition has no truth value, and condition errors carry the entity's typed class."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, Callable

import pytest

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryAttrs, EntryKind, LedgerTable
from generated_example.orders import (
    Address,
    OrderAlreadyExists,
    OrderAttrs,
    OrderConditionFailed,
    OrderNotFound,
    OrdersTable,
    OrderStatus,
    OrderVersionConflict,
)
from generated_example.user_sessions import SessionAttrs
from tests.integration.support import make_order, raw_item

KEY = {"customer_id": {"S": "c1"}, "order_id": {"S": "o1"}}
NOW = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)

# Each builds an action the reference's mode refuses, with the start of the message it gives.
REFUSED: list[tuple[str, Callable[[], Any], str]] = [
    ("required", lambda: OrderAttrs.total.remove(), "total: remove() refused: it is required"),
    ("required enum", lambda: OrderAttrs.status.remove(), "status: remove() refused"),
    ("required list", lambda: OrderAttrs.lines.remove(), "lines: remove() refused"),
    ("record field", lambda: OrderAttrs.shipping.city.remove(), "shipping.city: remove()"),
    ("list element field", lambda: OrderAttrs.lines[0].qty.remove(), "lines[0].qty: remove()"),
    ("key", lambda: OrderAttrs.order_id.set("o2"), "order_id: set() refused: a key attribute"),
    (
        "key remove",
        lambda: OrderAttrs.customer_id.remove(),
        "customer_id: remove() refused: a key",
    ),
    ("version", lambda: OrderAttrs.version.set(7), "version: set() refused: an automatic"),
    ("created_at", lambda: OrderAttrs.created_at.set_if_not_exists(NOW), "created_at: set_if"),
    ("updated_at", lambda: OrderAttrs.updated_at.remove(), "updated_at: remove() refused: an"),
]


@pytest.mark.parametrize(("what", "build", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_an_action_the_mode_refuses_fails_before_any_request(
    orders: OrdersTable,
    requests_sent: list[str],
    what: str,
    build: Callable[[], Any],
    message: str,
) -> None:
    orders.create(make_order(shipping=Address(street="Via Roma 1", city="Rome")))
    before = raw_item(orders, KEY)
    sent = len(requests_sent)
    with pytest.raises(rt.ValidationError, match=re.escape(message)):
        orders.update("c1", "o1", actions=[build()])
    assert len(requests_sent) == sent  # nothing was sent
    assert raw_item(orders, KEY) == before
    assert orders.get("c1", "o1", consistent_read=True) is not None  # still readable


def test_the_actions_a_mode_offers_apply(orders: OrdersTable) -> None:
    orders.create(
        make_order(note="n", tags={"a"}, shipping=Address(street="s", city="Rome", zip="1"))
    )
    updated = orders.update(
        "c1",
        "o1",
        actions=[
            OrderAttrs.note.remove(),
            OrderAttrs.tags.remove(),
            OrderAttrs.shipping.zip.remove(),
            OrderAttrs.shipping.city.set("Milan"),
            OrderAttrs.total.set(Decimal("5.50")),
        ],
    )
    assert (updated.note, updated.tags, updated.total) == (None, None, Decimal("5.50"))
    assert updated.shipping == Address(street="s", city="Milan", zip=None)
    assert orders.get("c1", "o1", consistent_read=True) == updated


def test_removing_a_required_field_of_a_required_record_is_refused(
    sessions: Any, requests_sent: list[str]
) -> None:
    sent = len(requests_sent)
    with pytest.raises(rt.ValidationError, match="device.kind: remove\\(\\) refused"):
        SessionAttrs.device.kind.remove()
    with pytest.raises(rt.ValidationError, match="device: remove\\(\\) refused"):
        SessionAttrs.device.remove()
    assert SessionAttrs.device.os.remove().path == SessionAttrs.device.os.path  # optional: fine
    assert len(requests_sent) == sent


def test_a_condition_has_no_truth_value(orders: OrdersTable, requests_sent: list[str]) -> None:
    paid = OrderAttrs.status == OrderStatus.PAID
    small = OrderAttrs.quantity < 3
    sent = len(requests_sent)
    with pytest.raises(TypeError, match="a Condition has no truth value: combine conditions"):
        orders.put(make_order(), condition=paid and small)
    with pytest.raises(TypeError, match="no truth value"):
        orders.put(make_order(), condition=paid or small)
    assert len(requests_sent) == sent


def test_a_wrong_value_in_eq_is_a_validation_error_naming_the_attribute() -> None:
    with pytest.raises(rt.ValidationError, match=r"^total: expected Decimal \(or int\), got str"):
        _ = OrderAttrs.total == "12"


def test_condition_errors_are_the_entity_classes(orders: OrdersTable) -> None:
    first = orders.create(make_order())
    with pytest.raises(OrderAlreadyExists) as exists:
        orders.create(make_order())
    assert isinstance(exists.value, rt.ItemAlreadyExists)
    assert exists.value.item == first

    orders.update("c1", "o1", set={"quantity": 4})
    with pytest.raises(OrderVersionConflict) as conflict:
        orders.put(first)  # version 1, stored 2
    assert isinstance(conflict.value, rt.VersionConflict)
    assert isinstance(conflict.value, OrderConditionFailed)
    assert conflict.value.item is not None and conflict.value.item.quantity == 4
    assert (conflict.value.expected, conflict.value.actual) == (1, 2)

    with pytest.raises(OrderNotFound) as missing:
        orders.update("c1", "nope", set={"quantity": 1})
    assert isinstance(missing.value, rt.ItemNotFound) and missing.value.item is None

    with pytest.raises(OrderConditionFailed) as failed:
        orders.delete("c1", "o1", condition=OrderAttrs.total > Decimal("1000"))
    assert type(failed.value) is OrderConditionFailed
    assert isinstance(failed.value, rt.ConditionFailed)
    assert failed.value.item is not None and failed.value.item.quantity == 4


def test_a_cancelled_transaction_names_the_entity_class(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    orders.create(make_order())
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write(
            [
                orders.tx_create(make_order()),
                ledger.tx_put(
                    Entry(
                        account_id="a",
                        seq=1,
                        kind=EntryKind.CREDIT,
                        amount=Decimal(1),
                        booked_on=datetime.date(2024, 1, 1),
                    )
                ),
            ]
        )
    errors = [reason.error for reason in caught.value.reasons if reason.error is not None]
    assert [type(error) for error in errors] == [OrderAlreadyExists]
