"""Optimistic locking under contention, on DynamoDB Local: 8 writers, one counter, nothing lost.

The rules (SPEC.md, "Automatic attributes"): `create` stores version 1; `put` checks that the
stored version equals the object's and stores version + 1; `update` always adds 1 to the version.
So after `create` and 400 successful increments the counter holds 400 at version 401.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

from dynagen import runtime as rt
from tests.reliability.conftest import report

THREADS = 8
INCREMENTS = 50


def test_get_then_put_with_version_checks_loses_no_increment(
    direct_client: Any, counters_module: ModuleType, counters_name: str
) -> None:
    C = counters_module
    C.CountersTable(direct_client, table_name=counters_name).create(C.Counter(name="hits", value=0))
    conflicts = 0
    lock = threading.Lock()

    def worker(seed: int) -> None:
        nonlocal conflicts
        table = C.CountersTable(direct_client, table_name=counters_name)
        jitter = random.Random(seed)
        done = misses = 0
        while done < INCREMENTS:
            current = table.get("hits", consistent_read=True)
            try:
                table.put(dataclasses.replace(current, value=current.value + 1))
                done, misses = done + 1, 0
            except rt.VersionConflict as conflict:
                assert conflict.actual is not None and conflict.actual > current.version
                with lock:
                    conflicts += 1
                misses += 1  # back off, with jitter, as a client under contention should
                time.sleep(jitter.random() * 0.002 * 2 ** min(misses, 5))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(worker, range(THREADS)))  # list(): re-raises any worker's failure
    elapsed = time.monotonic() - started
    final = C.CountersTable(direct_client, table_name=counters_name).get(
        "hits", consistent_read=True
    )
    assert final.value == THREADS * INCREMENTS == 400
    assert final.version == 1 + THREADS * INCREMENTS == 401
    assert conflicts > 0  # the writers really did collide
    report(
        "get+put contention, 8 threads x 50",
        value=final.value,
        version=final.version,
        version_conflicts=conflicts,
        seconds=round(elapsed, 1),
    )


def test_update_with_add_loses_no_increment(
    direct_client: Any, counters_module: ModuleType, counters_name: str
) -> None:
    C = counters_module
    C.CountersTable(direct_client, table_name=counters_name).create(C.Counter(name="adds", value=0))

    def worker(_: int) -> list[int]:
        table = C.CountersTable(direct_client, table_name=counters_name)
        return [table.update("adds", add={"value": 1}).version for _ in range(INCREMENTS)]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        versions = [v for batch in pool.map(worker, range(THREADS)) for v in batch]
    elapsed = time.monotonic() - started
    final = C.CountersTable(direct_client, table_name=counters_name).get(
        "adds", consistent_read=True
    )
    assert final.value == 400
    assert final.version == 401
    # Each update saw its own, distinct new version: no two were merged or lost.
    assert sorted(versions) == list(range(2, 402))
    report("update(add=) contention, 8 threads x 50", value=final.value, seconds=round(elapsed, 1))
