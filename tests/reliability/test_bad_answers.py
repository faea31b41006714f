"""Answers that are cut off, altered, malformed, stuck or missing: never a wrong result, never a raw exception.

Through the fault proxy, with the fast parser on and off, each of get, query, count,
scan(segments=2), a page from a cursor, batch_get, create and put meets each kind of bad answer:

- once (the next attempt is clean): the call returns the right answer, after exactly one more
  request than a clean call sends;
- on every attempt: the call raises a clear dynagen error (RetriesExhausted carrying the
  BadResponse, UnprocessedItems for batch_get) once the budget is spent, in bounded time;
- a server that never advances (a repeated LastEvaluatedKey): PagingStalled, not a loop;
- a server that never answers: each attempt ends at the client's read timeout, and the call at
  the policy's deadline.

The proxy's `page_limit` makes 30 items span several pages, so that paging is exercised.
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any, Callable, Iterator

import pytest
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError

from dynagen import runtime as rt
from dynagen.runtime.errors import BadResponse
from tests.helpers import build_module, unique_name
from tests.reliability.conftest import RetryCounter, client_config, report, scan_all
from tests.reliability.proxy import FAULT_KINDS, FaultProxy

BLOBS_SPEC = """
version: 1
table: blobs
description: Binary payloads, so that every answer that carries items carries B and BS values.
key: {partition: owner, sort: blob_id}
entities:
  Blob:
    attributes:
      owner: string
      blob_id: string
      data: bytes
      parts: {type: set<bytes>, optional: true}
      size: int
      version: version
"""
ITEMS = 30
PAGE = 7  # the proxy's page_limit: 30 items are 5 query pages
FAST = pytest.mark.parametrize("fast", [True, False], ids=["fast", "botocore"])
MAX_ATTEMPTS = 4
SILENT_READ_TIMEOUT = 0.4

# Kinds that spoil any answer, and those that only some answers give them a hold on.
ANY_ANSWER = ("cut_off", "altered", "empty_body", "not_json", "json_list", "json_null")
READS = ("get", "query", "count", "scan2", "page", "batch_get")
WRITES = ("create", "put")
OPERATIONS = READS + WRITES
TARGETS = {
    "get": "GetItem",
    "query": "Query",
    "count": "Query",
    "scan2": "Scan",
    "page": "Query",
    "batch_get": "BatchGetItem",
    "create": "PutItem",
    "put": "PutItem",
}
WITH_BINARY = ("get", "query", "scan2", "page", "batch_get")  # count reads no items
CASES = (
    [(operation, kind) for kind in ANY_ANSWER for operation in OPERATIONS]
    + [(operation, "bad_base64") for operation in WITH_BINARY]
    + [("batch_get", "keyless")]
)


def blob(B: ModuleType, owner: str, number: int) -> Any:
    return B.Blob(
        owner=owner,
        blob_id=f"b{number:02d}",
        data=bytes([number, 0, 255]) * (number + 1),
        parts={bytes([number]), b"\x00\xff"} if number % 2 else None,
        size=number,
    )


def policy(**changes: Any) -> rt.RetryPolicy:
    settings: dict[str, Any] = dict(max_attempts=MAX_ATTEMPTS, base_delay=0.001, max_delay=0.005)
    settings.update(changes)
    return rt.RetryPolicy(**settings)


@pytest.fixture(scope="module")
def B(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("blobs"), BLOBS_SPEC, "blobs")


@pytest.fixture(scope="module")
def stored(B: ModuleType, direct_client: Any) -> Iterator[tuple[str, list[Any], list[Any]]]:
    """A read-only table: (its name, the ITEMS blobs under owner "p", every item it holds).

    Beside owner "p", twenty owners of one blob each: a scan's segments split by partition key,
    so that each of two segments has items to read.
    """
    table = B.BlobsTable(direct_client, table_name=unique_name("rel-blobs"))
    table.create_table()
    items = table.batch_put([blob(B, "p", number) for number in range(ITEMS)])
    others = table.batch_put([blob(B, f"q{number:02d}", number) for number in range(20)])
    yield table.table_name, items, items + others
    table.delete_table(wait=False)


@pytest.fixture(scope="module")
def writable(B: ModuleType, direct_client: Any) -> Iterator[str]:
    table = B.BlobsTable(direct_client, table_name=unique_name("rel-blobs-w"))
    table.create_table()
    yield table.table_name
    table.delete_table(wait=False)


@pytest.fixture(scope="module")
def clients(shared_proxy: FaultProxy) -> dict[tuple[bool, bool], Any]:
    """(fast parser?, silent-ready?) -> a client through the proxy; silent-ready ones time out fast."""
    made = {}
    for fast in (True, False):
        made[fast, False] = rt.make_client(
            endpoint_url=shared_proxy.url,
            region_name="us-east-1",
            fast_parser=fast,
            config=client_config(),
        )
        made[fast, True] = rt.make_client(
            endpoint_url=shared_proxy.url,
            region_name="us-east-1",
            fast_parser=fast,
            config=Config(
                connect_timeout=1, read_timeout=SILENT_READ_TIMEOUT, max_pool_connections=16
            ),
        )
    return made


@pytest.fixture
def paged(proxy: FaultProxy) -> FaultProxy:
    proxy.configure(page_limit=PAGE)
    return proxy


def ident(item: Any) -> tuple[str, str]:
    return item.owner, item.blob_id


def prepare(
    operation: str,
    B: ModuleType,
    table: Any,
    stored: tuple[str, list[Any], list[Any]],
    writer: Any,
) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """(the call, what it must return), with any set-up done cleanly first."""
    by_id = sorted(stored[1], key=ident)
    everything = sorted(stored[2], key=ident)
    if operation == "get":
        return lambda: table.get("p", "b05", consistent_read=True), lambda: by_id[5]
    if operation == "query":
        return lambda: list(table.query("p", consistent_read=True)), lambda: by_id
    if operation == "count":
        return lambda: table.count("p", consistent_read=True), lambda: ITEMS
    if operation == "scan2":
        return (
            lambda: sorted(table.scan(segments=2, consistent_read=True), key=ident),
            lambda: everything,
        )
    if operation == "page":
        first = table.query_page("p", page_size=5, consistent_read=True)
        assert first.items == by_id[:5] and first.cursor

        def page() -> Any:
            got = table.query_page("p", cursor=first.cursor, page_size=5, consistent_read=True)
            return got.items, got.cursor is not None

        return page, lambda: (by_id[5:10], True)
    if operation == "batch_get":
        keys = [("p", f"b{number:02d}") for number in range(ITEMS)]
        return lambda: table.batch_get(keys, consistent_read=True), lambda: by_id
    owner = unique_name("w")
    if operation == "create":
        new = blob(B, owner, 3)
        return lambda: table.create(new), lambda: writer.get(owner, "b03", consistent_read=True)
    assert operation == "put"  # replacing a stored item: version 1 -> 2, a conditional write
    old = writer.create(blob(B, owner, 4))
    return (
        lambda: table.put(dataclasses.replace(old, size=99)),
        lambda: writer.get(owner, "b04", consistent_read=True),
    )


def bad_response_in(error: BaseException) -> BadResponse | None:
    """The BadResponse behind a dynagen error (its last_error or its cause), if any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, BadResponse):
            return seen
        seen = getattr(seen, "last_error", None) or getattr(seen, "cause", None) or seen.__cause__
    return None


@pytest.fixture
def tables(
    B: ModuleType,
    clients: dict[tuple[bool, bool], Any],
    direct_client: Any,
    stored: tuple[str, list[Any], list[Any]],
    writable: str,
) -> Callable[..., tuple[Any, Any, Any]]:
    """tables(operation, fast, silent=False, retry=...) -> (table under test, `stored`, writer)."""

    def make(
        operation: str, fast: bool, silent: bool = False, retry: rt.RetryPolicy | None = None
    ) -> tuple[Any, Any, Any]:
        name = writable if operation in WRITES else stored[0]
        table = B.BlobsTable(clients[fast, silent], table_name=name, retry=retry or policy())
        return table, stored, B.BlobsTable(direct_client, table_name=writable)

    return make


# ------------------------------------------------------------------ one bad answer, then a good one


@FAST
@pytest.mark.parametrize("operation, kind", CASES)
def test_one_bad_answer_is_retried_and_the_call_returns_the_right_result(
    operation: str,
    kind: str,
    fast: bool,
    paged: FaultProxy,
    B: ModuleType,
    tables: Callable[..., tuple[Any, Any, Any]],
) -> None:
    table, items, writer = tables(operation, fast)
    call, expected = prepare(operation, B, table, items, writer)
    if operation in READS:
        paged.reset_counts()
        assert call() == expected()  # a clean call, to count its requests
        clean = len(paged.decisions)
    else:
        clean = 1
    paged.reset_counts()
    paged.configure(only=[TARGETS[operation]])
    paged.script(kind)
    if operation in WRITES:
        # The damaged answer may have followed an applied write; the retry meets a failed
        # condition that the call's own write would explain: OutcomeUnknown, with the item as
        # stored (RetryPolicy(idempotent_writes=True) settles it instead: test_retries.py).
        with pytest.raises(rt.OutcomeUnknown) as unknown:
            call()
        assert unknown.value.item == expected()
        assert paged.counts[kind] == 1
        return
    result = call()
    assert result == expected()
    assert paged.counts[kind] == 1 and f"{kind}:unchanged" not in paged.counts
    # The bad answer was noticed: exactly one request more than a clean call.
    assert len(paged.decisions) == clean + 1
    if operation in WRITES:
        assert result.version == (1 if operation == "create" else 2)


# ------------------------------------------------------------------ a bad answer to every attempt


@FAST
@pytest.mark.parametrize("operation, kind", CASES)
def test_bad_answers_to_every_attempt_end_in_a_clear_error(
    operation: str,
    kind: str,
    fast: bool,
    paged: FaultProxy,
    B: ModuleType,
    tables: Callable[..., tuple[Any, Any, Any]],
) -> None:
    table, items, writer = tables(operation, fast)
    call, now_stored = prepare(operation, B, table, items, writer)
    paged.reset_counts()
    paged.configure(rate=1.0, kinds=[kind], only=[TARGETS[operation]])
    started = time.monotonic()
    if operation in WRITES and kind == "altered":
        # Only answers with a checksum are altered, and DynamoDB Local's condition failures
        # carry none: the retry meets the write's own item, intact. Whose write that is cannot
        # be proved (another writer's identical item would look the same): OutcomeUnknown,
        # holding the stored item.
        with pytest.raises(rt.OutcomeUnknown) as unknown:
            call()
        assert unknown.value.item == now_stored()
        assert paged.counts == {"altered": 1, "altered:unchanged": 1}
        return
    with pytest.raises(rt.DynagenError) as caught:
        call()
    assert time.monotonic() - started < 10
    error = caught.value
    sent = len(paged.decisions)
    if operation == "batch_get":  # the keys not read are handed back, none dropped
        assert isinstance(error, rt.UnprocessedItems)
        assert error.done == 0 and len(error.remaining) == ITEMS
        assert sent == MAX_ATTEMPTS
        return
    cause = bad_response_in(error)
    assert cause is not None, f"{type(error).__name__}: {error}"
    assert cause.operation == TARGETS[operation]
    assert "bad response" in str(error)
    if operation == "scan2":  # two segments; the second may be cancelled before it starts
        assert MAX_ATTEMPTS <= sent <= 2 * MAX_ATTEMPTS
    elif operation in WRITES:  # and the GetItem that reads the item for OutcomeUnknown
        assert isinstance(error, rt.OutcomeUnknown)
        assert sent == MAX_ATTEMPTS + 1
    else:
        assert sent == MAX_ATTEMPTS
    if operation in WRITES:
        # As after a dropped connection, the write may have been applied. Here it was.
        assert now_stored().size == (3 if operation == "create" else 99)


# ------------------------------------------------------------------ a server that never advances


@FAST
@pytest.mark.parametrize("operation", ["query", "count", "scan2", "page"])
def test_a_repeated_last_evaluated_key_is_an_error_not_an_endless_loop(
    operation: str,
    fast: bool,
    paged: FaultProxy,
    B: ModuleType,
    tables: Callable[..., tuple[Any, Any, Any]],
) -> None:
    table, items, writer = tables(operation, fast)
    call, _ = prepare(operation, B, table, items, writer)
    paged.reset_counts()
    paged.configure(only=[TARGETS[operation]])
    # Ten lies, then the truth: code that does not notice loops (or returns duplicates) for a
    # while, in bounded time, instead of forever.
    paged.script(*["repeat_key"] * 10)
    with pytest.raises(rt.PagingStalled) as caught:
        call()
    error = caught.value
    assert isinstance(error, rt.DynamoDBError)
    assert error.operation == TARGETS[operation] and error.table == table.table_name
    assert set(error.key) == {"owner", "blob_id"}
    assert "does not advance" in str(error) and table.table_name in str(error)
    if operation in ("query", "count"):
        assert len(paged.decisions) == 2  # the first repeat stops it
    if operation == "page":
        assert len(paged.decisions) == 1


# ------------------------------------------------------------------ a condition failure's garbage


@FAST
def test_garbage_as_the_stored_item_of_a_condition_failure_is_retried_then_clear(
    fast: bool,
    proxy: FaultProxy,
    B: ModuleType,
    tables: Callable[..., tuple[Any, Any, Any]],
) -> None:
    table, _, writer = tables("create", fast)
    owner = unique_name("taken")
    taken = writer.create(blob(B, owner, 1))
    intruder = dataclasses.replace(blob(B, owner, 1), size=-1)
    proxy.configure(only=["PutItem"])
    proxy.script("cond_garbage")
    # A garbled answer proves nothing about the write, so after it even a real refusal is
    # OutcomeUnknown; the error holds the stored item from the retry's answer, not the garbage.
    with pytest.raises(rt.OutcomeUnknown) as caught:
        table.create(intruder)
    assert caught.value.item == taken
    assert proxy.counts == {"cond_garbage": 1}
    assert proxy.forwarded_count("PutItem") == 2

    proxy.configure(rate=1.0, kinds=["cond_garbage"], only=["PutItem"])
    with pytest.raises(rt.OutcomeUnknown) as exhausted:
        table.create(intruder)
    cause = bad_response_in(exhausted.value)
    assert cause is not None and "Item" in cause.detail
    assert writer.get(owner, "b01", consistent_read=True) == taken


@FAST
def test_garbage_in_a_cancelled_transactions_reasons_is_retried_then_clear(
    fast: bool,
    proxy: FaultProxy,
    B: ModuleType,
    tables: Callable[..., tuple[Any, Any, Any]],
) -> None:
    table, _, writer = tables("create", fast)
    owner = unique_name("tx-taken")
    taken = writer.create(blob(B, owner, 2))
    proxy.configure(only=["TransactWriteItems"])
    proxy.script("cond_garbage")
    with pytest.raises(rt.TransactionCanceled) as caught:
        rt.transact_write([table.tx_create(blob(B, owner, 2))], retry=policy())
    (reason,) = caught.value.reasons
    assert isinstance(reason.error, rt.ItemAlreadyExists) and reason.item == taken
    assert proxy.counts == {"cond_garbage": 1}


# ------------------------------------------------------------------ a server that never answers


@FAST
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_server_that_never_answers_is_given_up_at_the_deadline(
    operation: str,
    fast: bool,
    paged: FaultProxy,
    B: ModuleType,
    tables: Callable[..., tuple[Any, Any, Any]],
) -> None:
    deadline = 1.0
    retry = policy(max_attempts=1000, deadline=deadline)
    table, items, writer = tables(operation, fast, silent=True, retry=retry)
    call, _ = prepare(operation, B, table, items, writer)
    paged.reset_counts()
    paged.configure(rate=1.0, kinds=["silent"], only=[TARGETS[operation]])
    started = time.monotonic()
    with pytest.raises(rt.DynagenError) as caught:
        call()
    elapsed = time.monotonic() - started
    # No attempt starts after the deadline; the one under way ends at the read timeout.
    assert deadline <= elapsed < deadline + SILENT_READ_TIMEOUT + 1.5
    # Nothing was written; a write's OutcomeUnknown reads the item afterwards (a GetItem).
    assert [f for f in paged.forwarded if not f.endswith("GetItem")] == []
    error = caught.value
    if operation == "batch_get":
        assert isinstance(error, rt.UnprocessedItems) and len(error.remaining) == ITEMS
        return
    if operation in WRITES:  # a write whose answers never came may have been applied
        assert isinstance(error, rt.OutcomeUnknown)
        assert isinstance(error.cause, ReadTimeoutError)
        return
    assert isinstance(error, rt.RetriesExhausted)
    assert isinstance(error.last_error, ReadTimeoutError)
    assert 2 <= error.attempts <= deadline / SILENT_READ_TIMEOUT + 1


# ------------------------------------------------------------------ a storm of bad answers


def test_writes_and_reads_under_a_storm_of_bad_answers_are_exact(
    proxy: FaultProxy,
    clients: dict[tuple[bool, bool], Any],
    direct_client: Any,
    B: ModuleType,
    writable: str,
    retries: RetryCounter,
) -> None:
    """20% of answers damaged (the kinds that spoil any answer, bad base64, the usual faults), both
    parsers. (keyless, cond_garbage and repeat_key need particular answers: see the tests above.)"""
    kinds = ANY_ANSWER + ("bad_base64",) + FAULT_KINDS
    proxy.configure(rate=0.2, kinds=kinds, seed=2024, page_limit=25)
    owner = unique_name("storm")
    started = time.monotonic()
    created: list[Any] = []
    for fast in (True, False):
        # Client request tokens: every write whose answer was damaged is settled by DynamoDB.
        policy = retries.policy(idempotent_writes=True)
        table = B.BlobsTable(clients[fast, False], table_name=writable, retry=policy)
        fresh = [blob(B, owner, number) for number in range(fast * 100, fast * 100 + 100)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            made = list(pool.map(table.create, fresh))
            replaced = list(
                pool.map(table.put, [dataclasses.replace(i, size=i.size + 1) for i in made[:50]])
            )
        assert [item.version for item in made] == [1] * 100
        assert [item.version for item in replaced] == [2] * 50
        created.extend(replaced + made[50:])
    expected = sorted(created, key=ident)
    for fast in (True, False):
        table = B.BlobsTable(clients[fast, False], table_name=writable, retry=retries.policy())
        assert list(table.query(owner, consistent_read=True)) == expected
        assert table.count(owner, consistent_read=True) == len(expected)
        scanned = [i for i in table.scan(segments=2, consistent_read=True) if i.owner == owner]
        assert sorted(scanned, key=ident) == expected
        keys = [ident(item) for item in expected]
        assert table.batch_get(keys, consistent_read=True) == expected
        assert [table.get(*key, consistent_read=True) for key in keys[::10]] == expected[::10]
    elapsed = time.monotonic() - started
    raws = [raw for raw in scan_all(direct_client, writable) if raw["owner"]["S"] == owner]
    assert len(raws) == len(expected)  # each stored exactly once
    assert sorted((B.unmarshal_blob(raw) for raw in raws), key=ident) == expected
    summary = proxy.summary()
    assert set(ANY_ANSWER) <= set(summary["by_kind"])  # each kind really met, and survived
    report(
        "bad answers storm: 200 create + 100 put, reads (both parsers)",
        requests=summary["requests"],
        faults=summary["faults"],
        by_kind=summary["by_kind"],
        retries=retries.retries,
        seconds=round(elapsed, 1),
    )
