"""Retries that hold: through the fault proxy, every write lands exactly once, every read is whole.

Figures (faults per kind, retries, time) are printed with `pytest -s`; docs/reliability.md quotes
them. Seeds are fixed, so a run on a quiet machine injects the same faults each time (threads
can reorder which request meets which fault, not how many are drawn per request).
"""

from __future__ import annotations

import dataclasses
import datetime
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError

from dynagen import runtime as rt
from tests.reliability.conftest import RetryCounter, report, scan_all
from tests.reliability.proxy import ALL_KINDS, FAULT_KINDS, FaultProxy

UTC = datetime.timezone.utc
RATE = 0.2


def parcel(P: ModuleType, sender: str, parcel_id: str, number: int = 0) -> Any:
    """A parcel whose stored form is exactly what is sent (no trailing zeros, no sets)."""
    states = list(P.State)
    return P.Parcel(
        sender=sender,
        parcel_id=parcel_id,
        state=states[number % len(states)],
        weight=Decimal(number) + Decimal("0.5"),
        sent_at=datetime.datetime(2024, 1, 1, tzinfo=UTC) + datetime.timedelta(minutes=number),
        lines=[P.Line(sku=f"sku-{number % 7}", qty=1 + number % 3, price=Decimal("2.5"))],
        note=f"parcel {number}",
    )


def key_of(raw: dict[str, Any]) -> tuple[str, str]:
    return raw["sender"]["S"], raw["parcel_id"]["S"]


def ids(found: list[Any]) -> list[tuple[str, str]]:
    return [(item.sender, item.parcel_id) for item in found]


def assert_stored_exactly(
    P: ModuleType, direct_client: Any, table_name: str, expected: list[Any]
) -> None:
    """The table holds each expected item once, as expected, and nothing else."""
    raws = scan_all(direct_client, table_name)
    keys = [key_of(raw) for raw in raws]
    assert len(keys) == len(set(keys)), "an item is stored twice"
    wanted = dict(zip(ids(expected), expected))
    assert set(keys) == set(wanted)
    for raw in raws:
        assert P.unmarshal_parcel(raw) == wanted[key_of(raw)]


# ------------------------------------------------------------------ writes under a 20% fault rate


def test_batch_put_of_5000_items_under_faults_stores_each_exactly_once(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
    retries: RetryCounter,
) -> None:
    P = parcels_module
    proxy.configure(rate=RATE, kinds=ALL_KINDS, seed=5000)
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name, retry=retries.policy())
    items = [parcel(P, f"s{n % 50:02d}", f"p{n:05d}", n) for n in range(5000)]
    started = time.monotonic()
    stored = parcels.batch_put(items, concurrency=4)
    elapsed = time.monotonic() - started
    assert ids(stored) == ids(items)
    assert all(item.version == 1 for item in stored)
    assert_stored_exactly(P, direct_client, parcels_name, stored)
    summary = proxy.summary()
    assert set(summary["by_kind"]) == set(ALL_KINDS)  # every kind was met, and survived
    report(
        "batch_put 5000 items, concurrency 4",
        requests=summary["requests"],
        faults=summary["faults"],
        by_kind=summary["by_kind"],
        retries=retries.retries,
        seconds=round(elapsed, 1),
    )


def test_put_and_create_with_idempotent_writes_store_each_item_exactly_once(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
    retries: RetryCounter,
) -> None:
    """500 creates, then 500 puts (250 replace created items, 250 are new), with client request
    tokens (RetryPolicy(idempotent_writes=True)): every lost answer is settled by DynamoDB
    itself, so every call reports success and each item is stored exactly once."""
    P = parcels_module
    proxy.configure(rate=RATE, kinds=FAULT_KINDS, seed=1000)
    policy = retries.policy(idempotent_writes=True)
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name, retry=policy)
    fresh = [parcel(P, "create", f"p{n:04d}", n) for n in range(500)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(parcels.create, fresh))
        create_seconds = time.monotonic() - started
        replacements = [dataclasses.replace(i, weight=i.weight + 1) for i in created[:250]]
        news = [parcel(P, "put", f"p{n:04d}", n) for n in range(250)]
        put = list(pool.map(parcels.put, replacements + news))
    elapsed = time.monotonic() - started
    assert all(item.version == 1 for item in created)
    assert [item.version for item in put] == [2] * 250 + [1] * 250
    assert_stored_exactly(P, direct_client, parcels_name, put + created[250:])
    summary = proxy.summary()
    assert summary["by_kind"].get("drop_after", 0) > 10  # lost answers were really met
    assert proxy.forwarded_count("TransactWriteItems") > 1000  # ...and their writes sent again
    report(
        "create 500 + put 500 with idempotent writes, 4 threads",
        requests=summary["requests"],
        faults=summary["faults"],
        by_kind=summary["by_kind"],
        retries=retries.retries,
        seconds=round(elapsed, 1),
        create_seconds=round(create_seconds, 1),
    )


def test_put_and_create_under_faults_report_success_only_when_proved(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
    retries: RetryCounter,
) -> None:
    """Without tokens, a call whose answer was lost and whose retry cannot tell raises
    OutcomeUnknown; every other call is a proved success, and nothing is stored twice."""
    P = parcels_module
    proxy.configure(rate=RATE, kinds=FAULT_KINDS, seed=1000)
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name, retry=retries.policy())
    direct = P.ParcelsTable(direct_client, table_name=parcels_name)

    def create(item: Any) -> Any:
        try:
            return parcels.create(item)
        except rt.OutcomeUnknown as unknown:
            return unknown

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(create, [parcel(P, "c", f"p{n:04d}", n) for n in range(300)]))
    unknown = [o for o in outcomes if isinstance(o, rt.OutcomeUnknown)]
    done = [o for o in outcomes if not isinstance(o, rt.OutcomeUnknown)]
    assert unknown and done  # both really happen at this fault rate
    for item in done:  # a success is this call's own write, stored as returned
        assert direct.get(item.sender, item.parcel_id, consistent_read=True) == item
    for error in unknown:  # the error says what is stored now, when it could read it
        if error.raw_item is not None:
            stored = direct.get(error.item.sender, error.item.parcel_id, consistent_read=True)
            assert stored == error.item
    keys = [key_of(raw) for raw in scan_all(direct_client, parcels_name)]
    assert len(keys) == len(set(keys)) and len(keys) >= len(done)


# ------------------------------------------------------------------ lost answers, exactly


def test_create_after_a_lost_answer_is_outcome_unknown_with_the_stored_item(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
) -> None:
    """The retry finds the key taken: by this call's own first attempt, or by another writer
    with the same content; nothing can tell, so neither success nor ItemAlreadyExists."""
    P = parcels_module
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name)
    proxy.configure(only=["PutItem"])
    proxy.script("drop_after", "drop_after", "throughput")
    with pytest.raises(rt.OutcomeUnknown) as caught:
        parcels.create(parcel(P, "s1", "mine"))
    assert proxy.forwarded_count("PutItem") == 3  # written by the first, refused by the others
    stored = P.ParcelsTable(direct_client, table_name=parcels_name).get("s1", "mine")
    assert stored is not None and caught.value.item == stored
    assert caught.value.operation == "PutItem"


@pytest.mark.parametrize("kind", ["drop_after", "http500"])
def test_create_with_idempotent_writes_after_a_lost_answer_succeeds(
    kind: str,
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
) -> None:
    """With a client request token DynamoDB recognises the retry of an applied create."""
    P = parcels_module
    policy = rt.RetryPolicy(idempotent_writes=True, base_delay=0)
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name, retry=policy)
    proxy.configure(only=["TransactWriteItems"])
    proxy.script(kind, kind)
    item = dataclasses.replace(parcel(P, "s1", "token"), weight=Decimal("19.90"))
    created = parcels.create(item)
    assert created.version == 1
    assert P.ParcelsTable(direct_client, table_name=parcels_name).get("s1", "token") == created


def test_create_with_idempotent_writes_of_a_taken_key_raises_item_already_exists(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
) -> None:
    P = parcels_module
    first = P.ParcelsTable(direct_client, table_name=parcels_name).create(
        parcel(P, "s1", "taken", 1)
    )
    policy = rt.RetryPolicy(idempotent_writes=True, base_delay=0)
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name, retry=policy)
    with pytest.raises(rt.ItemAlreadyExists) as caught:
        parcels.create(parcel(P, "s1", "taken", 2))
    assert caught.value.item == first


def test_create_of_an_item_that_really_exists_raises_item_already_exists(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
) -> None:
    P = parcels_module
    first = P.ParcelsTable(direct_client, table_name=parcels_name).create(
        parcel(P, "s1", "taken", 1)
    )
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name)
    proxy.configure(only=["PutItem"])
    with pytest.raises(rt.ItemAlreadyExists) as caught:  # no fault: a real refusal
        parcels.create(parcel(P, "s1", "taken", 3))
    assert caught.value.item == first
    proxy.script("drop_after")  # the refusal itself lost on its way back: no longer provable
    with pytest.raises(rt.OutcomeUnknown) as unknown:
        parcels.create(parcel(P, "s1", "taken", 2))
    assert unknown.value.item == first  # ...and the error shows what is there
    assert proxy.forwarded_count("PutItem") == 3


def test_versioned_put_after_a_lost_answer_is_outcome_unknown(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
) -> None:
    """Not VersionConflict: that would say nothing was written, and the first attempt was."""
    P = parcels_module
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name)
    current = parcels.create(parcel(P, "s1", "v"))
    proxy.configure(only=["PutItem"])
    proxy.script("drop_after")
    with pytest.raises(rt.OutcomeUnknown) as caught:
        parcels.put(dataclasses.replace(current, note="changed"))
    stored = P.ParcelsTable(direct_client, table_name=parcels_name).get("s1", "v")
    assert stored is not None and stored.version == 2 and stored.note == "changed"
    assert caught.value.item == stored


def test_put_after_a_lost_answer_of_an_unconditional_upsert_succeeds(
    proxy: FaultProxy, proxied_client: Any, notes_module: ModuleType, notes_name: str
) -> None:
    """An unversioned put without a condition is an upsert: sending it twice stores it once."""
    notes = notes_module.NotesTable(proxied_client, table_name=notes_name)
    proxy.configure(only=["PutItem"])
    proxy.script("drop_after")
    stored = notes.put(notes_module.Note(name="n", text="hello"))
    assert stored.text == "hello" and proxy.forwarded_count("PutItem") == 2


def test_update_with_add_after_a_lost_answer_is_not_sent_twice(
    proxy: FaultProxy, proxied_client: Any, counters_module: ModuleType, counters_name: str
) -> None:
    """An ADD applied twice would be a wrong value: after a lost answer it is not resent."""
    counters = counters_module.CountersTable(proxied_client, table_name=counters_name)
    counters.create(counters_module.Counter(name="adds", value=0))
    proxy.configure(only=["UpdateItem"])
    proxy.script("drop_after")
    with pytest.raises(rt.OutcomeUnknown) as caught:
        counters.update("adds", add={"value": 1})
    assert proxy.forwarded_count("UpdateItem") == 1
    assert (caught.value.item.value, caught.value.item.version) == (1, 2)  # applied once
    proxy.script("drop_after")  # with expected_version, the retry meets its own write
    with pytest.raises(rt.OutcomeUnknown) as again:
        counters.update("adds", add={"value": 1}, expected_version=2)
    assert proxy.forwarded_count("UpdateItem") == 3
    assert (again.value.item.value, again.value.item.version) == (2, 3)  # applied once


def test_delete_after_a_lost_answer_is_outcome_unknown(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
) -> None:
    """The item is gone either way; whether this call deleted it cannot be told."""
    P = parcels_module
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name)
    second = parcels.create(parcel(P, "s1", "d2"))
    parcels.create(parcel(P, "s1", "d1"))
    proxy.configure(only=["DeleteItem"])
    proxy.script("drop_after")
    with pytest.raises(rt.OutcomeUnknown) as caught:
        parcels.delete("s1", "d1")
    assert caught.value.item is None
    proxy.script("drop_after")
    with pytest.raises(rt.OutcomeUnknown):  # ...or nothing left to check the version of
        parcels.delete("s1", "d2", expected_version=second.version)
    direct = P.ParcelsTable(direct_client, table_name=parcels_name)
    assert direct.get("s1", "d1") is None and direct.get("s1", "d2") is None


def test_delete_after_a_lost_answer_that_finds_the_item_reports_it(
    proxy: FaultProxy, proxied_client: Any, parcels_module: ModuleType, parcels_name: str
) -> None:
    """A lost answer before DynamoDB: the retry deletes the item itself and can say so."""
    P = parcels_module
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name)
    created = parcels.create(parcel(P, "s1", "d3"))
    proxy.configure(only=["DeleteItem"])
    proxy.script("drop_before")
    assert parcels.delete("s1", "d3") == created


# ------------------------------------------------------------------ transactions


def test_transactions_under_faults_are_applied_exactly_once(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
    retries: RetryCounter,
) -> None:
    Counter = counters_module.Counter
    counters_module.CountersTable(direct_client, table_name=counters_name).create(
        Counter(name="total", value=0)
    )
    counters = counters_module.CountersTable(
        proxied_client, table_name=counters_name, retry=retries.policy()
    )
    proxy.configure(rate=RATE, kinds=FAULT_KINDS, seed=40)
    proxy.script("drop_after")  # at least one transaction is applied and its answer lost
    started = time.monotonic()
    for number in range(40):
        rt.transact_write(
            [
                counters.tx_update("total", add={"value": 1}),
                counters.tx_create(Counter(name=f"t{number:03d}", value=number)),
            ]
        )
    elapsed = time.monotonic() - started
    total = counters_module.CountersTable(direct_client, table_name=counters_name).get("total")
    assert (total.value, total.version) == (40, 41)
    names = sorted(raw["name"]["S"] for raw in scan_all(direct_client, counters_name))
    assert names == sorted(["total"] + [f"t{n:03d}" for n in range(40)])
    lost = proxy.counts["drop_after"]
    assert lost >= 1
    assert proxy.forwarded_count("TransactWriteItems") == 40 + lost  # each lost one sent again
    report(
        "40 transactions",
        requests=len(proxy.decisions),
        faults=sum(proxy.counts.values()),
        by_kind=dict(sorted(proxy.counts.items())),
        replayed_after_lost_answer=lost,
        retries=retries.retries,
        seconds=round(elapsed, 1),
    )


# ------------------------------------------------------------------ reads under faults


def test_queries_scans_and_pages_under_faults_return_every_item_once(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    parcels_module: ModuleType,
    parcels_name: str,
    retries: RetryCounter,
) -> None:
    P = parcels_module
    items = [parcel(P, f"s{n % 3}", f"p{n:04d}", n) for n in range(300)]
    P.ParcelsTable(direct_client, table_name=parcels_name).batch_put(items)
    keys = set(ids(items))
    parcels = P.ParcelsTable(proxied_client, table_name=parcels_name, retry=retries.policy())
    proxy.configure(rate=RATE, kinds=ALL_KINDS, seed=300)
    started = time.monotonic()

    def once(found: list[tuple[str, str]], expected: set[tuple[str, str]]) -> None:
        assert len(found) == len(set(found)), "an item came back twice"
        assert set(found) == expected

    for sender in ("s0", "s1", "s2"):
        expected = {key for key in keys if key[0] == sender}
        once(ids(list(parcels.query(sender))), expected)
        paged: list[Any] = []
        page = parcels.query_page(sender, page_size=7)
        while True:
            paged.extend(page.items)
            if page.cursor is None:
                break
            page = parcels.query_page(sender, page_size=7, cursor=page.cursor)
        once(ids(paged), expected)
        assert parcels.count(sender) == 100
    once(ids([p for state in P.State for p in parcels.query_by_state(state)]), keys)
    once(ids(list(parcels.scan())), keys)
    once(ids(list(parcels.scan(segments=3))), keys)
    scanned: list[Any] = []
    for segment in range(2):
        cursor = None
        while True:
            page = parcels.scan_page(page_size=40, cursor=cursor, segment=(segment, 2))
            scanned.extend(page.items)
            cursor = page.cursor
            if cursor is None:
                break
    once(ids(scanned), keys)
    once(ids(parcels.batch_get(sorted(keys), concurrency=2)), keys)
    elapsed = time.monotonic() - started
    summary = proxy.summary()
    assert summary["faults"] > 10
    report(
        "reads of 300 items (queries, pages, index, scans, batch_get)",
        requests=summary["requests"],
        faults=summary["faults"],
        by_kind=summary["by_kind"],
        retries=retries.retries,
        seconds=round(elapsed, 1),
    )


# ------------------------------------------------------------------ when the budget runs out

TINY = rt.RetryPolicy(max_attempts=2, base_delay=0)


@pytest.fixture
def tiny(proxied_client: Any, parcels_module: ModuleType, parcels_name: str) -> Any:
    """The parcels table through the proxy with a budget of 2 attempts and no backoff."""
    return parcels_module.ParcelsTable(proxied_client, table_name=parcels_name, retry=TINY)


@pytest.fixture
def direct(direct_client: Any, parcels_module: ModuleType, parcels_name: str) -> Any:
    return parcels_module.ParcelsTable(direct_client, table_name=parcels_name)


@pytest.mark.parametrize("kind", ["throughput", "throttling"])
def test_exhausted_throttling_says_nothing_was_written(
    kind: str, proxy: FaultProxy, tiny: Any, direct: Any, parcels_module: ModuleType
) -> None:
    proxy.configure(rate=1.0, kinds=[kind])
    with pytest.raises(rt.Throttled) as caught:
        tiny.put(parcel(parcels_module, "s1", "throttled"))
    error = caught.value
    assert error.operation == "PutItem"
    assert error.code in ("ProvisionedThroughputExceededException", "ThrottlingException")
    assert "after 2 attempts" in str(error) and tiny.table_name in str(error)
    assert proxy.forwarded == []  # throttled requests are not applied: nothing was written
    assert direct.get("s1", "throttled") is None


@pytest.mark.parametrize("kind", ["http500", "http503", "drop_before"])
def test_exhausted_transient_errors_on_a_write_say_the_outcome_is_unknown(
    kind: str, proxy: FaultProxy, tiny: Any, direct: Any, parcels_module: ModuleType
) -> None:
    """A 5xx or a dropped connection may follow an applied write (here the proxy answered
    itself, but no client can know that): the write is reported as outcome unknown."""
    proxy.configure(rate=1.0, kinds=[kind])
    with pytest.raises(rt.OutcomeUnknown) as caught:
        tiny.put(parcel(parcels_module, "s1", "transient"))
    error = caught.value
    assert error.operation == "PutItem"
    assert "outcome unknown after 2 attempt(s)" in str(error) and tiny.table_name in str(error)
    assert "reading the item afterwards failed too" in str(error)  # the proxy fails that too
    if kind == "drop_before":
        assert isinstance(error.cause, ConnectionClosedError)
    assert proxy.forwarded == []
    assert direct.get("s1", "transient") is None


@pytest.mark.parametrize("kind", ["http500", "http503", "drop_before"])
def test_exhausted_transient_errors_on_a_read_say_what_failed(
    kind: str, proxy: FaultProxy, tiny: Any
) -> None:
    """A read changes nothing: running out of budget is RetriesExhausted, with its last error."""
    proxy.configure(rate=1.0, kinds=[kind])
    with pytest.raises(rt.RetriesExhausted) as caught:
        tiny.get("s1", "transient")
    error = caught.value
    assert (error.operation, error.attempts) == ("GetItem", 2)
    assert "after 2 attempts" in str(error) and tiny.table_name in str(error)
    if kind == "drop_before":
        assert isinstance(error.last_error, ConnectionClosedError)


def test_exhausted_after_lost_answers_the_write_may_have_happened(
    proxy: FaultProxy, tiny: Any, direct: Any, parcels_module: ModuleType
) -> None:
    """OutcomeUnknown over dropped connections: the write may have happened (here: it did)."""
    proxy.configure(rate=1.0, kinds=["drop_after"])
    with pytest.raises(rt.OutcomeUnknown) as caught:
        tiny.put(parcel(parcels_module, "s1", "unknown"))
    assert isinstance(caught.value.cause, ConnectionClosedError)
    assert proxy.forwarded_count("PutItem") == 2
    stored = direct.get("s1", "unknown", consistent_read=True)  # the way to know: read it
    assert stored is not None and stored.version == 1


def test_exhausted_batch_put_reports_done_and_holds_the_rest(
    proxy: FaultProxy, tiny: Any, direct_client: Any, parcels_module: ModuleType
) -> None:
    items = [parcel(parcels_module, "s1", f"b{n:03d}", n) for n in range(60)]
    proxy.configure(rate=1.0, kinds=["unprocessed"])
    with pytest.raises(rt.UnprocessedItems) as caught:
        tiny.batch_put(items)
    error = caught.value
    remaining = {key_of(request["PutRequest"]["Item"]) for request in error.remaining}
    stored = {key_of(raw) for raw in scan_all(direct_client, tiny.table_name)}
    assert error.done == len(stored) > 0 and error.done + len(remaining) == 60
    assert stored | remaining == set(ids(items)) and not stored & remaining
    assert f"{len(remaining)} of 60 requests still unprocessed" in str(error)


def test_exhausted_batch_get_reports_done_and_holds_the_rest(
    proxy: FaultProxy, tiny: Any, direct: Any, parcels_module: ModuleType
) -> None:
    direct.batch_put([parcel(parcels_module, "s1", f"g{n:03d}", n) for n in range(30)])
    proxy.configure(rate=1.0, kinds=["unprocessed"])
    with pytest.raises(rt.UnprocessedItems) as caught:
        tiny.batch_get([("s1", f"g{n:03d}") for n in range(30)])
    assert caught.value.done + len(caught.value.remaining) == 30
    assert 0 < caught.value.done < 30


def test_exhausted_transaction_is_not_applied(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
) -> None:
    direct = counters_module.CountersTable(direct_client, table_name=counters_name)
    direct.create(counters_module.Counter(name="tx", value=0))
    counters = counters_module.CountersTable(proxied_client, table_name=counters_name, retry=TINY)
    proxy.configure(rate=1.0, kinds=["throughput"])
    with pytest.raises(rt.Throttled) as caught:
        rt.transact_write([counters.tx_update("tx", add={"value": 1})])
    assert caught.value.operation == "TransactWriteItems"
    assert direct.get("tx").value == 0


def test_a_transaction_whose_answers_were_lost_can_be_sent_again_with_its_token(
    proxy: FaultProxy,
    proxied_client: Any,
    direct_client: Any,
    counters_module: ModuleType,
    counters_name: str,
) -> None:
    """OutcomeUnknown after lost answers: applied or not, unknown; the same token settles it."""
    direct = counters_module.CountersTable(direct_client, table_name=counters_name)
    direct.create(counters_module.Counter(name="tok", value=0))
    counters = counters_module.CountersTable(proxied_client, table_name=counters_name, retry=TINY)
    operations = [counters.tx_update("tok", add={"value": 1})]
    token = str(uuid.uuid4())  # tokens are per account (for 10 minutes), at most 36 chars
    proxy.configure(rate=1.0, kinds=["drop_after"])
    with pytest.raises(rt.OutcomeUnknown):
        rt.transact_write(operations, token=token)
    assert direct.get("tok").value == 1  # it was applied, the caller could not know
    proxy.configure(rate=0.0)
    assert rt.transact_write(operations, token=token) == token
    assert direct.get("tok").value == 1  # the same token: not applied again


def test_batch_put_whose_second_chunk_is_throttled_out_reports_what_was_done(
    proxy: FaultProxy, tiny: Any, direct_client: Any, parcels_module: ModuleType
) -> None:
    items = [parcel(parcels_module, "s1", f"p{n:03d}", n) for n in range(50)]
    proxy.configure(only=["BatchWriteItem"])
    proxy.script(None, "throughput", "throughput")  # chunk 1 written, chunk 2 throttled out
    with pytest.raises(rt.UnprocessedItems) as caught:
        tiny.batch_put(items)
    assert caught.value.done == 25
    assert len(caught.value.remaining) == 25
    assert len(scan_all(direct_client, tiny.table_name)) == 25
