"""How values are stored and checked: TTL, optional None, empty sets, and refused values."""

from __future__ import annotations

import dataclasses
import datetime
import math
from decimal import Decimal
from typing import Callable

import pytest

from dynagen import runtime as rt
from generated_example.ledger import LedgerTable
from generated_example.orders import OrderAttrs, OrdersTable
from generated_example.user_sessions import UserSessionsTable
from tests.integration.support import UTC, full_entry, full_session, future, make_order, raw_item

KEY = {"customer_id": {"S": "c1"}, "order_id": {"S": "o1"}}
ZERO = datetime.timedelta(0)
DIGITS_39 = Decimal("1.23456789012345678901234567890123456789")


def test_ttl_is_stored_as_epoch_seconds_and_read_back_as_aware_utc(orders: OrdersTable) -> None:
    expires = future(days=3)
    orders.create(make_order(expires_at=expires))
    assert (raw_item(orders, KEY) or {})["expires_at"] == {"N": str(int(expires.timestamp()))}
    stored = orders.get("c1", "o1")
    assert stored is not None and stored.expires_at == expires
    assert stored.expires_at.utcoffset() == ZERO  # aware, and UTC


def test_ttl_set_by_update_is_stored_as_a_number(orders: OrdersTable) -> None:
    orders.create(make_order())
    expires = future(days=7).astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    updated = orders.update("c1", "o1", set={"expires_at": expires})
    assert updated.expires_at == expires and updated.expires_at.tzinfo == UTC
    assert (raw_item(orders, KEY) or {})["expires_at"] == {"N": str(int(expires.timestamp()))}


def test_optional_none_is_not_stored(orders: OrdersTable) -> None:
    stored = orders.create(make_order())
    raw = raw_item(orders, KEY) or {}
    assert {"n", "tags", "shipping", "metadata", "expires_at"}.isdisjoint(raw)
    assert (stored.note, stored.shipping, stored.metadata, stored.expires_at) == (None,) * 4


def test_empty_set_is_not_stored_and_reads_back_empty(orders: OrdersTable) -> None:
    orders.create(make_order(tags=set()))
    assert "tags" not in (raw_item(orders, KEY) or {})
    stored = orders.get("c1", "o1")
    assert stored is not None and not stored.tags


def test_empty_string_key_is_refused_before_any_request(
    offline_orders: OrdersTable, requests_sent: list[str]
) -> None:
    with pytest.raises(rt.ValidationError, match="customer_id"):
        offline_orders.create(make_order(customer_id=""))
    with pytest.raises(rt.ValidationError, match="order_id"):
        offline_orders.put(make_order(order_id=""))
    with pytest.raises(rt.ValidationError, match="order_id"):
        offline_orders.get("c1", "")
    with pytest.raises(rt.ValidationError, match="order_id"):
        offline_orders.update("c1", "", set={"quantity": 1})
    with pytest.raises(rt.ValidationError, match="customer_id"):
        offline_orders.delete("", "o1")
    assert requests_sent == []


def test_naive_datetime_is_refused_naming_the_attribute(
    offline_orders: OrdersTable, requests_sent: list[str]
) -> None:
    naive = datetime.datetime(2024, 1, 1, 12, 0)
    with pytest.raises(rt.ValidationError, match="placed_at"):
        offline_orders.create(make_order(placed_at=naive))
    with pytest.raises(rt.ValidationError, match="expires_at"):
        offline_orders.put(make_order(expires_at=naive))
    with pytest.raises(rt.ValidationError, match="placed_at"):
        offline_orders.update("c1", "o1", set={"placed_at": naive})
    with pytest.raises(rt.ValidationError, match="placed_at"):
        offline_orders.delete("c1", "o1", condition=OrderAttrs.placed_at < naive)
    assert requests_sent == []


def test_float_nan_and_infinities_are_refused(
    offline_sessions: UserSessionsTable, requests_sent: list[str]
) -> None:
    session = full_session()
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(rt.ValidationError, match="risk_score"):
            offline_sessions.create(dataclasses.replace(session, risk_score=bad))
        with pytest.raises(rt.ValidationError, match="risk_score"):
            offline_sessions.update(session.session_id, set={"risk_score": bad})
        with pytest.raises(rt.ValidationError, match="claims"):
            offline_sessions.put(dataclasses.replace(session, claims={"score": bad}))
    assert requests_sent == []


def test_decimal_with_39_significant_digits_is_refused(
    offline_orders: OrdersTable, requests_sent: list[str]
) -> None:
    with pytest.raises(rt.ValidationError, match="total"):
        offline_orders.create(make_order(total=DIGITS_39))
    with pytest.raises(rt.ValidationError, match="total"):
        offline_orders.update("c1", "o1", add={"total": DIGITS_39})
    with pytest.raises(rt.ValidationError, match="total"):
        offline_orders.delete("c1", "o1", condition=OrderAttrs.total == DIGITS_39)
    assert requests_sent == []


def test_decimal_with_38_significant_digits_is_stored_exactly(orders: OrdersTable) -> None:
    exact = Decimal("1.2345678901234567890123456789012345678")
    orders.create(make_order(total=exact))
    stored = orders.get("c1", "o1")
    assert stored is not None and stored.total == exact


def test_numbers_are_stored_normalised_and_read_back_equal(
    orders: OrdersTable, xfail_on: Callable[[str, str], None]
) -> None:
    xfail_on("moto", "moto stores N text verbatim ('19.90'); DynamoDB normalises it ('19.9')")
    created = orders.create(make_order(total=Decimal("19.90")))
    stored = orders.get("c1", "o1")
    assert stored is not None and stored.total == created.total == Decimal("19.90")
    assert (raw_item(orders, KEY) or {})["total"] == {"N": "19.9"}


def test_empty_string_in_an_index_key_is_refused_before_any_request(
    ledger: LedgerTable, requests_sent: list[str]
) -> None:
    with pytest.raises(rt.ValidationError, match="order_ref"):
        ledger.put(dataclasses.replace(full_entry(), order_ref=""))
    with pytest.raises(rt.ValidationError, match="order_ref"):
        ledger.update("acc-1", 1, set={"order_ref": ""})
    assert requests_sent == []


def test_a_large_json_float_reads_back_as_the_same_number(
    sessions: UserSessionsTable, xfail_on: Callable[[str, str], None]
) -> None:
    session = sessions.create(dataclasses.replace(full_session(), claims=1.2345678901234567e19))
    stored = sessions.get(session.session_id)
    assert stored is not None and stored.claims == session.claims


def test_an_item_stored_without_attributes_that_have_defaults_reads_them(
    ledger: LedgerTable,
) -> None:
    """Items written before the spec had an attribute with a default read as that default, by
    the generated unmarshal and by the precise slow path (the runtime Shape) alike."""
    from generated_example.ledger import Entry

    base = {
        "account_id": {"S": "acc-9"},
        "kind": {"S": "debit"},
        "amount": {"N": "1E+2"},
        "booked_on": {"S": "2024-03-01"},
        "version": {"N": "1"},
    }
    ledger.client.put_item(TableName=ledger.table_name, Item={**base, "seq": {"N": "1"}})
    got = ledger.get("acc-9", 1)
    assert isinstance(got, Entry)
    assert (got.currency, got.entry_status, got.labels, got.counters) == ("EUR", "posted", [], {})
    assert got.amount == Decimal(100)
    second = ledger.get("acc-9", 1)
    assert second is not None and second.labels is not got.labels  # a fresh default each read
    from generated_example.ledger import _ENTRY_FIELDS

    raw = ledger.client.get_item(TableName=ledger.table_name, Key={"account_id": {"S": "acc-9"}, "seq": {"N": "1"}})["Item"]  # fmt: skip
    assert _ENTRY_FIELDS.read(raw) == got  # the precise path fills the same defaults
    ledger.put(got)
    stored = ledger.client.get_item(TableName=ledger.table_name, Key={"account_id": {"S": "acc-9"}, "seq": {"N": "1"}})["Item"]  # fmt: skip
    assert stored["currency"] == {"S": "EUR"} and stored["status"] == {"S": "posted"}
