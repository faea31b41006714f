"""Transactions on both engines: transact_write over two tables, version rules, cancellation
reasons, idempotency tokens and retries, and typed transact_get.

DynamoDB Local is the reference; where moto differs only its variant is marked xfail.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError

from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryAttrs, EntryKind, LedgerTable
from generated_example.orders import Order, OrderAttrs, OrdersTable, OrderStatus
from tests.helpers import build_module, unique_name
from tests.integration.support import full_entry, make_order

NO_SLEEP = rt.RetryPolicy(max_attempts=5, sleep=lambda seconds: None)


class WrappedClient:
    """Forwards everything to a real client; `transact_write_items` is recorded, and the first
    calls can be answered with a canned TransactionCanceledException instead of being sent."""

    def __init__(self, inner: Any, *canned: list[dict[str, Any]]) -> None:
        self._inner = inner
        self._canned = list(canned)
        self.calls: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def transact_write_items(self, **request: Any) -> Any:
        self.calls.append(copy.deepcopy(request))
        if self._canned:
            reasons = self._canned.pop(0)
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "canned"},
                    "CancellationReasons": reasons,
                    "ResponseMetadata": {"HTTPStatusCode": 400},
                },
                "TransactWriteItems",
            )
        return self._inner.transact_write_items(**request)


def _entry(seq: int, **changes: Any) -> Entry:
    return dataclasses.replace(full_entry(seq), **changes)


def _quantity(orders: OrdersTable, customer_id: str, order_id: str) -> int | None:
    stored = orders.get(customer_id, order_id, consistent_read=True)
    return None if stored is None else stored.quantity


def _amount(ledger: LedgerTable, account_id: str, seq: int) -> Decimal | None:
    stored = ledger.get(account_id, seq, consistent_read=True)
    return None if stored is None else stored.amount


# ---------------------------------------------------------------- atomic commit


def test_transaction_across_two_tables_commits_atomically(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    o1 = orders.create(make_order("o1"))
    orders.create(make_order("o2"))
    e1 = ledger.create(_entry(1))
    create = ledger.tx_create(_entry(2, amount=Decimal("-19.90")))
    token = rt.transact_write(
        [
            create,
            orders.tx_update(
                "c1",
                "o1",
                set={"status": OrderStatus.PAID},
                add={"quantity": 1},
                expected_version=1,
            ),
            orders.tx_delete("c1", "o2", expected_version=1),
            ledger.tx_check("acc-1", 1, condition=EntryAttrs.entry_status == "pending"),
        ]
    )
    assert isinstance(token, str) and token
    stored_o1 = orders.get("c1", "o1", consistent_read=True)
    assert stored_o1 is not None
    assert (stored_o1.status, stored_o1.quantity, stored_o1.version) == (OrderStatus.PAID, 2, 2)
    assert stored_o1.created_at == o1.created_at
    assert orders.get("c1", "o2", consistent_read=True) is None
    e2 = ledger.get("acc-1", 2, consistent_read=True)
    assert e2 is not None and e2 == create.item and e2.version == 1
    assert ledger.get("acc-1", 1, consistent_read=True) == e1


def test_failing_check_cancels_everything_and_names_the_operation(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    o1 = orders.create(make_order("o1"))
    o2 = orders.create(make_order("o2"))
    e1 = ledger.create(_entry(1))  # entry_status "pending"
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write(
            [
                ledger.tx_create(_entry(2)),
                orders.tx_update("c1", "o1", add={"quantity": 5}),
                orders.tx_delete("c1", "o2"),
                ledger.tx_check("acc-1", 1, condition=EntryAttrs.entry_status == "posted"),
            ]
        )
    reasons = caught.value.reasons
    assert len(reasons) == 1
    (reason,) = reasons
    assert reason.index == 3
    assert reason.code == "ConditionalCheckFailed"
    assert ledger.table_name in reason.operation
    assert "acc-1" in reason.operation and "seq" in reason.operation
    assert reason.item == e1
    assert reason.raw_item is not None
    assert isinstance(reason.error, rt.ConditionFailed)
    assert reason.error.item == e1
    assert "#3" in str(caught.value) and ledger.table_name in str(caught.value)
    # nothing changed anywhere
    assert orders.get("c1", "o1", consistent_read=True) == o1
    assert orders.get("c1", "o2", consistent_read=True) == o2
    assert ledger.get("acc-1", 1, consistent_read=True) == e1
    assert ledger.get("acc-1", 2, consistent_read=True) is None


def test_check_on_a_missing_item_fails_with_no_item(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    ledger.create(_entry(1))
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write(
            [
                ledger.tx_update("acc-1", 1, add={"amount": Decimal(1)}),
                orders.tx_check("c1", "nope", condition=OrderAttrs.status == OrderStatus.PAID),
            ]
        )
    (reason,) = caught.value.reasons
    assert (reason.index, reason.code, reason.item) == (1, "ConditionalCheckFailed", None)
    assert orders.table_name in reason.operation and "nope" in reason.operation
    assert _amount(ledger, "acc-1", 1) == Decimal("250.75")


def test_nested_conditions_in_a_transaction(orders: OrdersTable, ledger: LedgerTable) -> None:
    from tests.integration.support import full_order

    orders.create(full_order("o1"))
    ledger.create(_entry(1))
    rt.transact_write(
        [
            orders.tx_update(
                "c1",
                "o1",
                actions=[OrderAttrs.shipping.city.set("Shelbyville"), OrderAttrs.lines[0].remove()],
                condition=(OrderAttrs.lines[1].sku == "b")
                & (OrderAttrs.metadata["channel"] == "web"),
            ),
            ledger.tx_check(
                "acc-1",
                1,
                condition=EntryAttrs.order_ref.begins_with("ORD #") & EntryAttrs.comment.exists(),
            ),
        ]
    )
    stored = orders.get("c1", "o1", consistent_read=True)
    assert stored is not None and stored.shipping is not None
    assert stored.shipping.city == "Shelbyville"
    assert [line.sku for line in stored.lines] == ["b"]


# ---------------------------------------------------------------- version rules


def _single_reason(operations: list[rt.TxWrite[Any]]) -> rt.CancellationReason:
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write(operations)
    (reason,) = caught.value.reasons
    assert reason.code == "ConditionalCheckFailed"
    return reason


def test_tx_put_with_a_stale_version_is_a_version_conflict(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    first = orders.create(make_order("o1"))
    current = orders.update("c1", "o1", set={"note": "someone else"})
    reason = _single_reason(
        [ledger.tx_create(_entry(5)), orders.tx_put(dataclasses.replace(first, quantity=9))]
    )
    assert reason.index == 1
    assert isinstance(reason.error, rt.VersionConflict)
    assert (reason.error.expected, reason.error.actual) == (1, 2)
    assert reason.error.item == current and reason.item == current
    assert orders.get("c1", "o1", consistent_read=True) == current
    assert ledger.get("acc-1", 5, consistent_read=True) is None


def test_tx_put_of_a_never_written_item_over_a_stored_one_is_a_version_conflict(
    orders: OrdersTable,
) -> None:
    stored = orders.create(make_order("o1"))
    reason = _single_reason([orders.tx_put(make_order("o1"))])  # version 0: must not exist
    assert isinstance(reason.error, rt.VersionConflict)
    assert (reason.error.expected, reason.error.actual) == (0, 1)
    assert reason.item == stored


def test_tx_create_on_an_existing_item_is_item_already_exists(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    stored = ledger.create(_entry(1))
    reason = _single_reason([orders.tx_create(make_order("o1")), ledger.tx_create(_entry(1))])
    assert reason.index == 1
    assert isinstance(reason.error, rt.ItemAlreadyExists)
    assert reason.item == stored and reason.error.item == stored
    assert orders.get("c1", "o1", consistent_read=True) is None


def test_tx_update_of_a_missing_item_is_item_not_found(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    ledger.create(_entry(1))
    reason = _single_reason(
        [ledger.tx_update("acc-1", 1, set={"currency": "GBP"}), orders.tx_update("c1", "zz")]
    )
    assert reason.index == 1
    assert isinstance(reason.error, rt.ItemNotFound)
    assert reason.item is None
    assert orders.get("c1", "zz", consistent_read=True) is None  # not created either
    stored_entry = ledger.get("acc-1", 1, consistent_read=True)
    assert stored_entry is not None and stored_entry.currency == "USD"


def test_tx_update_and_delete_with_stale_expected_versions(orders: OrdersTable) -> None:
    orders.create(make_order("o1"))
    current = orders.update("c1", "o1", set={"gift": True})
    for operation in (
        orders.tx_update("c1", "o1", set={"quantity": 4}, expected_version=1),
        orders.tx_delete("c1", "o1", expected_version=1),
    ):
        reason = _single_reason([operation])
        assert isinstance(reason.error, rt.VersionConflict)
        assert (reason.error.expected, reason.error.actual) == (1, 2)
        assert reason.item == current
    assert orders.get("c1", "o1", consistent_read=True) == current


def test_tx_delete_with_expected_version_of_a_missing_item(orders: OrdersTable) -> None:
    reason = _single_reason([orders.tx_delete("c1", "gone", expected_version=3)])
    assert isinstance(reason.error, rt.VersionConflict)
    assert (reason.error.expected, reason.error.actual) == (3, None)


def test_versions_and_timestamps_as_outside_transactions(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    create = orders.tx_create(make_order("o1", version=41))  # create ignores the object's version
    entry_create = ledger.tx_create(_entry(1))
    rt.transact_write([create, entry_create])
    created = orders.get("c1", "o1", consistent_read=True)
    assert created is not None and created == create.item
    assert created.version == 1
    assert created.created_at is not None and created.created_at == created.updated_at
    assert created.created_at.tzinfo is not None
    entry = ledger.get("acc-1", 1, consistent_read=True)
    assert entry is not None and entry.version == 1 and entry.updated_at is not None

    put = orders.tx_put(dataclasses.replace(created, quantity=7))
    rt.transact_write([put, ledger.tx_update("acc-1", 1, add={"amount": Decimal("1")})])
    after_put = orders.get("c1", "o1", consistent_read=True)
    assert after_put is not None and after_put == put.item
    assert (after_put.version, after_put.quantity) == (2, 7)
    assert after_put.created_at == created.created_at
    assert after_put.updated_at is not None and after_put.updated_at >= created.created_at
    entry_after = ledger.get("acc-1", 1, consistent_read=True)
    assert entry_after is not None and entry_after.version == 2
    assert entry_after.updated_at is not None and entry_after.updated_at >= entry.updated_at
    assert entry_after.amount == Decimal("251.75")

    rt.transact_write([orders.tx_update("c1", "o1", set={"gift": True}, expected_version=2)])
    after_update = orders.get("c1", "o1", consistent_read=True)
    assert after_update is not None and after_update.version == 3 and after_update.gift is True
    assert after_update.created_at == created.created_at
    assert after_update.updated_at is not None and after_put.updated_at is not None
    assert after_update.updated_at >= after_put.updated_at

    rt.transact_write([orders.tx_delete("c1", "o1", expected_version=3)])
    assert orders.get("c1", "o1", consistent_read=True) is None


# ---------------------------------------------------------------- tokens and retries


def test_a_retried_transaction_with_the_same_token_is_applied_once(
    orders: OrdersTable, ledger: LedgerTable, xfail_on: Callable[[str, str], None]
) -> None:
    xfail_on("moto", "moto ignores ClientRequestToken: a repeated transaction is applied again")
    orders.create(make_order("o1"))  # quantity 1
    ledger.create(_entry(1))
    operations = [
        orders.tx_update("c1", "o1", add={"quantity": 5}),
        ledger.tx_update("acc-1", 1, add={"amount": Decimal("10")}),
    ]
    token = str(uuid.uuid4())  # at most 36 characters
    assert rt.transact_write(operations, token=token) == token
    assert rt.transact_write(operations, token=token) == token  # a retry: success, not applied
    stored = orders.get("c1", "o1", consistent_read=True)
    assert stored is not None and (stored.quantity, stored.version) == (6, 2)
    entry = ledger.get("acc-1", 1, consistent_read=True)
    assert entry is not None and (entry.amount, entry.version) == (Decimal("260.75"), 2)


def test_the_token_is_kept_across_internal_retries(
    client: Any, orders: OrdersTable, ledger: LedgerTable
) -> None:
    orders.create(make_order("o1"))
    ledger.create(_entry(1))
    wrapped = WrappedClient(client, [{"Code": "TransactionConflict"}, {"Code": "None"}])
    sleeps: list[float] = []
    policy = rt.RetryPolicy(max_attempts=4, sleep=sleeps.append)
    token = rt.transact_write(
        [
            orders.tx_update("c1", "o1", add={"quantity": 5}),
            ledger.tx_check("acc-1", 1, condition=EntryAttrs.amount > Decimal(0)),
        ],
        client=wrapped,
        retry=policy,
    )
    assert len(wrapped.calls) == 2
    first, second = wrapped.calls
    assert first["ClientRequestToken"] == second["ClientRequestToken"] == token
    assert first == second  # the very same request, not a rebuilt one
    assert len(sleeps) == 1  # one backoff between the attempts
    stored = orders.get("c1", "o1", consistent_read=True)
    assert stored is not None and (stored.quantity, stored.version) == (6, 2)


def test_conflicts_until_the_budget_runs_out_raise_transaction_canceled(
    client: Any, orders: OrdersTable
) -> None:
    orders.create(make_order("o1"))
    conflict = [{"Code": "TransactionConflict"}]
    wrapped = WrappedClient(client, conflict, conflict, conflict)
    policy = rt.RetryPolicy(max_attempts=3, sleep=lambda seconds: None)
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write(
            [orders.tx_update("c1", "o1", add={"quantity": 5})], client=wrapped, retry=policy
        )
    assert len(wrapped.calls) == 3
    assert len({call["ClientRequestToken"] for call in wrapped.calls}) == 1
    assert [r.code for r in caught.value.reasons] == ["TransactionConflict"]
    assert _quantity(orders, "c1", "o1") == 1


def test_a_condition_failure_is_not_retried(
    client: Any, orders: OrdersTable, ledger: LedgerTable
) -> None:
    orders.create(make_order("o1"))
    ledger.create(_entry(1))
    wrapped = WrappedClient(client)
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write(
            [
                orders.tx_update("c1", "o1", add={"quantity": 5}),
                ledger.tx_check("acc-1", 1, condition=EntryAttrs.amount < Decimal(0)),
            ],
            client=wrapped,
            retry=NO_SLEEP,
        )
    assert len(wrapped.calls) == 1
    assert [r.code for r in caught.value.reasons] == ["ConditionalCheckFailed"]


def test_a_conflict_together_with_a_condition_failure_is_not_retried(
    client: Any, orders: OrdersTable, ledger: LedgerTable
) -> None:
    orders.create(make_order("o1"))
    ledger.create(_entry(1))
    wrapped = WrappedClient(
        client, [{"Code": "TransactionConflict"}, {"Code": "ConditionalCheckFailed"}]
    )
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write(
            [
                orders.tx_update("c1", "o1", add={"quantity": 5}),
                ledger.tx_check("acc-1", 1, condition=EntryAttrs.amount > Decimal(0)),
            ],
            client=wrapped,
            retry=NO_SLEEP,
        )
    assert len(wrapped.calls) == 1
    assert [(r.index, r.code) for r in caught.value.reasons] == [
        (0, "TransactionConflict"),
        (1, "ConditionalCheckFailed"),
    ]
    assert _quantity(orders, "c1", "o1") == 1


# ---------------------------------------------------------------- refused before any request


def test_more_than_100_operations_are_refused_before_any_request(
    offline_orders: OrdersTable, requests_sent: list[str]
) -> None:
    checks = [
        offline_orders.tx_check("c1", f"o{i}", condition=OrderAttrs.quantity > 0)
        for i in range(101)
    ]
    with pytest.raises(rt.ValidationError, match="100"):
        rt.transact_write(checks)
    with pytest.raises(rt.ValidationError):
        rt.transact_write([])
    with pytest.raises(rt.ValidationError):
        rt.transact_get_all([offline_orders.tx_get("c1", f"o{i}") for i in range(101)])
    with pytest.raises(rt.ValidationError):
        rt.transact_get()
    assert requests_sent == []


def test_100_operations_are_accepted(orders: OrdersTable) -> None:
    orders.batch_put([make_order(f"o{i:03}") for i in range(100)])
    rt.transact_write(
        [orders.tx_check("c1", f"o{i:03}", condition=OrderAttrs.version == 1) for i in range(99)]
        + [orders.tx_update("c1", "o099", add={"quantity": 1})]
    )
    stored = orders.get("c1", "o099", consistent_read=True)
    assert stored is not None and stored.quantity == 2


def test_two_operations_on_one_item_are_refused_before_any_request(
    client: Any, requests_sent: list[str]
) -> None:
    orders = OrdersTable(client, table_name=unique_name("never-created"))
    ledger = LedgerTable(client, table_name=unique_name("never-created"))
    with pytest.raises(rt.ValidationError):
        rt.transact_write(
            [
                orders.tx_update("c1", "o1", add={"quantity": 1}),
                ledger.tx_create(_entry(1)),
                orders.tx_check("c1", "o1", condition=OrderAttrs.quantity > 0),
            ]
        )
    with pytest.raises(rt.ValidationError):
        rt.transact_write([ledger.tx_put(_entry(1)), ledger.tx_delete("acc-1", 1)])
    with pytest.raises(rt.ValidationError):
        rt.transact_write([orders.tx_create(make_order("o1")), orders.tx_create(make_order("o1"))])
    assert requests_sent == []


NUMBER_KEY_SPEC = """
version: 1
table: readings
key: {partition: sensor, sort: at}
entities:
  Reading:
    attributes:
      sensor: string
      at: decimal
      value: int
"""


def test_two_operations_on_one_item_with_equal_number_keys_are_refused(
    tmp_path: Path, client: Any, requests_sent: list[str]
) -> None:
    module = build_module(tmp_path, NUMBER_KEY_SPEC, "readings")
    readings = module.ReadingsTable(client, table_name=unique_name("never-created"))
    with pytest.raises(rt.ValidationError):
        rt.transact_write(
            [
                readings.tx_update("s1", Decimal("1"), set={"value": 1}),
                readings.tx_check("s1", Decimal("1.0"), condition=module.ReadingAttrs.value > 0),
            ]
        )
    assert requests_sent == []


@pytest.mark.parametrize("token", ["x" * 37, ""])
def test_an_unusable_token_is_refused_before_any_request(
    offline_orders: OrdersTable, requests_sent: list[str], token: str
) -> None:
    with pytest.raises(rt.ValidationError):
        rt.transact_write([offline_orders.tx_update("c1", "o1")], token=token)
    assert requests_sent == []


def test_number_keys_that_are_equal_name_one_item_in_dynamodb(tmp_path: Path, client: Any) -> None:
    """What the same-item check must follow: DynamoDB stores 1 and 1.0 as one key."""
    module = build_module(tmp_path, NUMBER_KEY_SPEC, "readings")
    readings = module.ReadingsTable(client, table_name=unique_name("readings"))
    readings.create_table()
    try:
        readings.create(module.Reading(sensor="s1", at=Decimal("1.0"), value=1))
        stored = readings.get("s1", Decimal("1"), consistent_read=True)
        assert stored is not None and stored.value == 1
    finally:
        readings.delete_table(wait=False)


# ---------------------------------------------------------------- transact_get


def test_transact_get_returns_typed_items_in_request_order(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    order = orders.create(make_order("o1"))
    entry = ledger.create(_entry(1))
    a, b, c = rt.transact_get(
        ledger.tx_get("acc-1", 1), orders.tx_get("c1", "missing"), orders.tx_get("c1", "o1")
    )
    assert isinstance(a, Entry) and a == entry
    assert b is None
    assert isinstance(c, Order) and c == order
    d, e = rt.transact_get(orders.tx_get("c1", "o1"), ledger.tx_get("acc-1", 2))
    assert d == order and e is None
    (only,) = rt.transact_get(ledger.tx_get("acc-1", 1))
    assert only is not None and only.kind is EntryKind.CREDIT


def test_transact_get_all_of_one_table_keeps_the_order(orders: OrdersTable) -> None:
    stored = orders.batch_put([make_order(f"o{i}") for i in range(5)])
    keys = ["o3", "zz", "o0", "o4"]
    found = rt.transact_get_all([orders.tx_get("c1", key) for key in keys])
    assert found == (stored[3], None, stored[0], stored[4])


def test_transact_get_sees_a_committed_transaction(
    orders: OrdersTable, ledger: LedgerTable
) -> None:
    orders.create(make_order("o1"))
    rt.transact_write(
        [
            orders.tx_update("c1", "o1", set={"status": OrderStatus.SHIPPED}),
            ledger.tx_create(_entry(1, order_ref="o1")),
        ]
    )
    order, entry = rt.transact_get(orders.tx_get("c1", "o1"), ledger.tx_get("acc-1", 1))
    assert order is not None and order.status is OrderStatus.SHIPPED and order.version == 2
    assert entry is not None and entry.order_ref == "o1"
