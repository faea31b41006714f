"""What a write reports when its answers are lost: never success it cannot prove, never
"not written" for a write that may have been applied.

Through the fault proxy on DynamoDB Local: lost answers (`drop_after`: DynamoDB applied the
write, the client never heard) combined with concurrent writers, throttling after an applied
attempt, and two creators of one key. The rules are docs/reliability.md's table of outcomes.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

import pytest

from dynagen import runtime as rt
from tests.reliability.conftest import RetryCounter, report
from tests.reliability.proxy import FaultProxy

THREADS = 8
INCREMENTS = 50
LOST = 0.1  # one answer in ten lost after the write


def _increments(
    work: Any, threads: int = THREADS, per_thread: int = INCREMENTS
) -> tuple[int, int, int]:
    """Run `work()` until each thread has `per_thread` finished increments.

    `work` returns on success, raises VersionConflict when it must be tried again, and
    OutcomeUnknown when the increment may or may not have landed. Returns (done, unknown,
    conflicts).
    """
    lock = threading.Lock()
    totals = {"done": 0, "unknown": 0, "conflicts": 0}

    def worker(_: int) -> None:
        finished = 0
        while finished < per_thread:
            try:
                work()
                key = "done"
            except rt.VersionConflict:
                key = "conflicts"
            except rt.OutcomeUnknown:
                key = "unknown"
            with lock:
                totals[key] += 1
            finished += key != "conflicts"

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(worker, range(threads)))  # list(): re-raises any worker's failure
    return totals["done"], totals["unknown"], totals["conflicts"]


def test_versioned_puts_under_lost_answers_never_count_more_than_reported(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
    retries: RetryCounter,
) -> None:
    """8 threads x 50 get+put increments with 10% of answers lost after the write.

    Every increment reported done landed exactly once; one reported "outcome unknown" may or
    may not have; none landed that was reported as a conflict. So the stored count lies between
    the done ones and done + unknown, and the version is the count + 1.
    """
    C = counters_module
    direct = C.CountersTable(direct_client, table_name=counters_name)
    direct.create(C.Counter(name="hits", value=0))
    proxy.configure(rate=LOST, kinds=["drop_after"], only=["PutItem"], seed=11)
    table = C.CountersTable(proxied_client, table_name=counters_name, retry=retries.policy())

    def increment() -> None:
        current = direct.get("hits", consistent_read=True)
        table.put(dataclasses.replace(current, value=current.value + 1))

    started = time.monotonic()
    done, unknown, conflicts = _increments(increment)
    final = direct.get("hits", consistent_read=True)
    assert unknown > 0 and conflicts > 0  # answers were really lost, writers really collided
    assert done <= final.value <= done + unknown
    assert final.version == final.value + 1
    report(
        "get+put under 10% lost answers, 8 threads x 50",
        stored=final.value,
        done=done,
        unknown=unknown,
        conflicts=conflicts,
        seconds=round(time.monotonic() - started, 1),
    )


def test_versioned_updates_under_lost_answers_never_count_more_than_reported(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
    retries: RetryCounter,
) -> None:
    """The same with update(add=..., expected_version=...): a retry meets its own write as a
    version mismatch, which is reported as outcome unknown, never as a conflict."""
    C = counters_module
    direct = C.CountersTable(direct_client, table_name=counters_name)
    direct.create(C.Counter(name="adds", value=0))
    proxy.configure(rate=LOST, kinds=["drop_after"], only=["UpdateItem"], seed=12)
    table = C.CountersTable(proxied_client, table_name=counters_name, retry=retries.policy())

    def increment() -> None:
        current = direct.get("adds", consistent_read=True)
        table.update("adds", add={"value": 1}, expected_version=current.version)

    done, unknown, conflicts = _increments(increment, threads=4, per_thread=25)
    final = direct.get("adds", consistent_read=True)
    assert unknown > 0
    assert done <= final.value <= done + unknown
    assert final.version == final.value + 1


def test_unconditional_updates_are_never_applied_twice(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
    retries: RetryCounter,
) -> None:
    """update(add=...) without a version check is not resent after a lost answer, so the
    stored total never exceeds the calls that may have landed."""
    C = counters_module
    direct = C.CountersTable(direct_client, table_name=counters_name)
    direct.create(C.Counter(name="blind", value=0))
    proxy.configure(rate=LOST, kinds=["drop_after"], only=["UpdateItem"], seed=13)
    table = C.CountersTable(proxied_client, table_name=counters_name, retry=retries.policy())
    done, unknown, _ = _increments(lambda: table.update("blind", add={"value": 1}), threads=4)
    final = direct.get("blind", consistent_read=True)
    assert unknown > 0
    assert final.value == done + unknown  # not resent: each unknown one landed exactly once


@pytest.mark.parametrize("idempotent", [False, True], ids=["plain", "idempotent-writes"])
def test_two_creators_of_one_key_never_both_succeed(
    idempotent: bool,
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
    retries: RetryCounter,
) -> None:
    """Two threads create the same key with identical content under lost answers.

    At most one reports success (with client request tokens exactly one: DynamoDB recognises
    the retry of the applied one); the other reports ItemAlreadyExists or, when its own answer
    was lost, OutcomeUnknown. A retried create never takes an identical item for its own.
    """
    C = counters_module
    policy = retries.policy(idempotent_writes=idempotent)
    table = C.CountersTable(proxied_client, table_name=counters_name, retry=policy)
    operation = "TransactWriteItems" if idempotent else "PutItem"
    proxy.configure(rate=0.2, kinds=["drop_after"], only=[operation], seed=14)
    barrier = threading.Barrier(2)

    def create(name: str) -> str:
        barrier.wait(timeout=10)
        try:
            table.create(C.Counter(name=name, value=7))
            return "success"
        except rt.ItemAlreadyExists:
            return "exists"
        except rt.OutcomeUnknown:
            return "unknown"

    outcomes = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n in range(60):
            name = f"key-{n:03d}"
            outcomes.append(sorted(pool.map(create, [name, name])))
    successes = [pair.count("success") for pair in outcomes]
    assert max(successes) <= 1
    if idempotent:
        assert successes == [1] * 60
        assert all(pair == ["exists", "success"] for pair in outcomes)
    assert any("unknown" in pair for pair in outcomes) or idempotent
    stored = C.CountersTable(direct_client, table_name=counters_name)
    assert all(stored.get(f"key-{n:03d}", consistent_read=True) for n in range(60))


def test_a_write_applied_then_throttled_is_outcome_unknown_not_throttled(
    proxy: FaultProxy, proxied_client: Any, direct_client: Any, counters_module: ModuleType,
    counters_name: str,
) -> None:  # fmt: skip
    """Throttled would say nothing was written; the first attempt was."""
    C = counters_module
    policy = rt.RetryPolicy(max_attempts=3, base_delay=0)
    table = C.CountersTable(proxied_client, table_name=counters_name, retry=policy)
    proxy.configure(only=["PutItem"])
    proxy.script("drop_after", "throughput", "throughput")
    with pytest.raises(rt.OutcomeUnknown) as caught:
        table.create(C.Counter(name="t", value=1))
    assert "ProvisionedThroughputExceededException" in str(caught.value)
    assert caught.value.item is not None and caught.value.item.value == 1
    assert C.CountersTable(direct_client, table_name=counters_name).get("t") is not None


def test_a_transaction_applied_then_throttled_is_outcome_unknown(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
) -> None:
    C = counters_module
    direct = C.CountersTable(direct_client, table_name=counters_name)
    direct.create(C.Counter(name="tx", value=0))
    policy = rt.RetryPolicy(max_attempts=3, base_delay=0)
    table = C.CountersTable(proxied_client, table_name=counters_name, retry=policy)
    proxy.configure(only=["TransactWriteItems"])
    proxy.script("drop_after", "throughput", "throughput")
    with pytest.raises(rt.OutcomeUnknown):
        rt.transact_write([table.tx_update("tx", add={"value": 1})])
    assert direct.get("tx", consistent_read=True).value == 1


def test_a_throttled_write_that_never_reached_dynamodb_is_throttled(
    proxy: FaultProxy, proxied_client: Any, direct_client: Any, counters_module: ModuleType,
    counters_name: str,
) -> None:  # fmt: skip
    """Without a lost answer, running out of budget on throttling still means: not written."""
    C = counters_module
    policy = rt.RetryPolicy(max_attempts=2, base_delay=0)
    table = C.CountersTable(proxied_client, table_name=counters_name, retry=policy)
    proxy.configure(only=["PutItem"])
    proxy.script("throughput", "throughput")
    with pytest.raises(rt.Throttled):
        table.create(C.Counter(name="never", value=1))
    assert C.CountersTable(direct_client, table_name=counters_name).get("never") is None
