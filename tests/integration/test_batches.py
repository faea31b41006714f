"""batch_get, batch_put and batch_delete: any number of keys and items, DynamoDB's limits, order,
duplicates, versions and timestamps, and unprocessed items retried or reported, never dropped.

Unprocessed items are produced by wrapping the real client: `Flaky` forwards only part of each of
the first batch calls and hands the rest back in UnprocessedItems / UnprocessedKeys, as DynamoDB
does under load; `Stubborn` never processes some keys, so the retry budget runs out.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import threading
import uuid
from decimal import Decimal
from typing import Any, Callable, Iterator

import pytest

from dynagen.runtime import codec
from dynagen import runtime as rt
from generated_example.ledger import Entry, EntryKind, LedgerTable
from generated_example.orders import LineItem, Order, OrdersTable, OrderStatus
from generated_example.user_sessions import Device, Session, UserSessionsTable
from tests.helpers import build_module, unique_name

UTC = datetime.timezone.utc
ACCOUNT = "acc-batch"
NO_WAIT = rt.RetryPolicy(base_delay=0)


def entry(seq: int, account_id: str = ACCOUNT, **changes: Any) -> Entry:
    fields: dict[str, Any] = dict(
        account_id=account_id,
        seq=seq,
        kind=EntryKind.CREDIT,
        amount=Decimal(seq) / 4,
        booked_on=datetime.date(2024, 3, 1),
    )
    fields.update(changes)
    return Entry(**fields)


def order(n: int, **changes: Any) -> Order:
    fields: dict[str, Any] = dict(
        customer_id=f"c{n % 4}",
        order_id=f"o{n:05d}",
        status=OrderStatus.PAID,
        total=Decimal(n) + Decimal("0.99"),
        placed_at=datetime.datetime(2024, 5, 1, tzinfo=UTC) + datetime.timedelta(minutes=n),
        lines=[LineItem(sku=f"sku-{n}", qty=1, price=Decimal("0.99"))],
        expires_at=datetime.datetime(2031, 1, 1, tzinfo=UTC) + datetime.timedelta(seconds=n),
    )
    fields.update(changes)
    return Order(**fields)


class Sent:
    """The operations a client is asked to send, with their parameters, in order."""

    EVENT = "before-parameter-build.dynamodb"

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._id = f"sent-{uuid.uuid4().hex}"
        client.meta.events.register(self.EVENT, self._record, unique_id=self._id)

    def _record(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        self.calls.append((model.name, dict(params)))

    def close(self) -> None:
        self.client.meta.events.unregister(self.EVENT, unique_id=self._id)

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def params(self, name: str) -> list[dict[str, Any]]:
        return [params for called, params in self.calls if called == name]

    def clear(self) -> None:
        self.calls.clear()


class Flaky:
    """Forwards to a real client, but the first `flaky_calls` BatchWriteItem and BatchGetItem
    calls each send only every other request; the rest come back as unprocessed."""

    def __init__(self, client: Any, flaky_calls: int) -> None:
        self._client = client
        self._flaky_calls = flaky_calls
        self._lock = threading.Lock()
        self.write_calls = 0
        self.get_calls = 0
        self.written: list[dict[str, Any]] = []  # every write request the real client received
        self.read: list[dict[str, Any]] = []  # every key the real client received

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _flaky(self, kind: str) -> bool:
        with self._lock:
            if kind == "write":
                self.write_calls += 1
                return self.write_calls <= self._flaky_calls
            self.get_calls += 1
            return self.get_calls <= self._flaky_calls

    def batch_write_item(self, *, RequestItems: dict[str, Any], **rest: Any) -> Any:
        ((table, requests),) = RequestItems.items()
        sent, back = (requests[::2], requests[1::2]) if self._flaky("write") else (requests, [])
        with self._lock:
            self.written.extend(sent)
        response = self._client.batch_write_item(RequestItems={table: sent}, **rest)
        unprocessed = response.get("UnprocessedItems", {}).get(table, []) + back
        return {**response, "UnprocessedItems": {table: unprocessed} if unprocessed else {}}

    def batch_get_item(self, *, RequestItems: dict[str, Any], **rest: Any) -> Any:
        ((table, spec),) = RequestItems.items()
        keys = spec["Keys"]
        sent, back = (keys[::2], keys[1::2]) if self._flaky("get") else (keys, [])
        with self._lock:
            self.read.extend(sent)
        response = self._client.batch_get_item(RequestItems={table: {**spec, "Keys": sent}}, **rest)
        unprocessed = response.get("UnprocessedKeys", {}).get(table, {}).get("Keys", []) + back
        return {
            **response,
            "UnprocessedKeys": {table: {**spec, "Keys": unprocessed}} if unprocessed else {},
        }


class Stubborn:
    """Forwards to a real client, but never processes the requests and keys `refuse` picks."""

    def __init__(self, client: Any, refuse: Callable[[dict[str, Any]], bool]) -> None:
        self._client = client
        self._refuse = refuse
        self._lock = threading.Lock()
        self.refused: list[dict[str, Any]] = []  # every time a request or key was handed back

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _split(self, values: list[dict[str, Any]], key: Callable[[Any], dict[str, Any]]) -> Any:
        back = [value for value in values if self._refuse(key(value))]
        with self._lock:
            self.refused.extend(back)
        return [value for value in values if not self._refuse(key(value))], back

    def batch_write_item(self, *, RequestItems: dict[str, Any], **rest: Any) -> Any:
        ((table, requests),) = RequestItems.items()
        sent, back = self._split(
            requests,
            lambda r: r["PutRequest"]["Item"] if "PutRequest" in r else r["DeleteRequest"]["Key"],
        )
        response = self._client.batch_write_item(RequestItems={table: sent}, **rest) if sent else {}
        unprocessed = response.get("UnprocessedItems", {}).get(table, []) + back
        return {**response, "UnprocessedItems": {table: unprocessed} if unprocessed else {}}

    def batch_get_item(self, *, RequestItems: dict[str, Any], **rest: Any) -> Any:
        ((table, spec),) = RequestItems.items()
        sent, back = self._split(spec["Keys"], lambda key: key)
        response: dict[str, Any] = {"Responses": {table: []}}
        if sent:
            request = {table: {**spec, "Keys": sent}}
            response = self._client.batch_get_item(RequestItems=request, **rest)
        unprocessed = response.get("UnprocessedKeys", {}).get(table, {}).get("Keys", []) + back
        return {
            **response,
            "UnprocessedKeys": {table: {**spec, "Keys": unprocessed}} if unprocessed else {},
        }


def seq_of(wire: dict[str, Any]) -> int:
    return int(wire["seq"]["N"])


def ending_in_3(wire: dict[str, Any]) -> bool:
    return seq_of(wire) % 10 == 3


# ------------------------------------------------------------------ fixtures


@pytest.fixture
def sent(client: Any) -> Iterator[Sent]:
    recorder = Sent(client)
    yield recorder
    recorder.close()


@pytest.fixture
def ledger_table(client: Any) -> Iterator[LedgerTable]:
    table = LedgerTable(client, table_name=unique_name("ledger-batch"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


@pytest.fixture
def orders_table(client: Any) -> Iterator[OrdersTable]:
    table = OrdersTable(client, table_name=unique_name("orders-batch"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


@pytest.fixture
def sessions_table(client: Any) -> Iterator[UserSessionsTable]:
    table = UserSessionsTable(client, table_name=unique_name("sessions-batch"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


def through(table: LedgerTable, client: Any, retry: rt.RetryPolicy = NO_WAIT) -> LedgerTable:
    """The same physical table, reached through another client (a wrapper)."""
    return LedgerTable(client, table_name=table.table_name, retry=retry)


# ------------------------------------------------------------------ batch_get


def test_batch_get_of_250_keys_keeps_their_order_once_each_and_leaves_out_missing_ones(
    ledger_table: LedgerTable, sent: Sent
) -> None:
    stored = {e.seq: e for e in ledger_table.batch_put(entry(seq) for seq in range(160))}
    rng = random.Random(7)
    wanted = rng.sample(range(160), 150) + list(range(1000, 1060))  # 60 keys that do not exist
    rng.shuffle(wanted)
    duplicates = rng.sample(wanted, 40)
    keys = wanted + duplicates
    rng.shuffle(keys)
    assert len(keys) == 250
    sent.clear()

    got = ledger_table.batch_get((ACCOUNT, seq) for seq in keys)

    distinct = list(dict.fromkeys(keys))
    assert [e.seq for e in got] == [seq for seq in distinct if seq in stored]
    assert got == [stored[seq] for seq in distinct if seq in stored]
    assert len(got) == 150
    sizes = [
        len(p["RequestItems"][ledger_table.table_name]["Keys"]) for p in sent.params("BatchGetItem")
    ]
    assert sizes == [100, 100, 10]  # the 210 distinct keys, in chunks of 100


def test_batch_get_with_consistent_read_and_concurrency(
    ledger_table: LedgerTable, sent: Sent
) -> None:
    stored = ledger_table.batch_put(entry(seq) for seq in range(60))
    sent.clear()
    keys = [(ACCOUNT, seq) for seq in reversed(range(130))]
    got = ledger_table.batch_get(keys, consistent_read=True, concurrency=3)
    assert got == stored[::-1]
    specs = [p["RequestItems"][ledger_table.table_name] for p in sent.params("BatchGetItem")]
    assert len(specs) == 2 and all(spec["ConsistentRead"] is True for spec in specs)


def test_batch_get_of_no_keys_sends_nothing(ledger_table: LedgerTable, sent: Sent) -> None:
    assert ledger_table.batch_get([]) == []
    assert ledger_table.batch_get(iter([])) == []
    assert sent.names() == []


def test_batch_get_reads_uuid_keys(sessions_table: UserSessionsTable) -> None:
    def session(n: int) -> Session:
        return Session(
            session_id=uuid.uuid4(),
            user_id=f"user-{n % 3}",
            token_hash=bytes([n]) * 32,
            started_on=datetime.date(2024, 6, 1),
            last_seen=datetime.datetime(2024, 6, 1, 8, n, tzinfo=UTC),
            device=Device(kind="phone"),
            expires_at=datetime.datetime(2031, 1, 1, tzinfo=UTC),
        )

    stored = sessions_table.batch_put(session(n) for n in range(30))
    keys = [s.session_id for s in stored][::-1] + [uuid.uuid4(), stored[0].session_id]
    assert sessions_table.batch_get(keys) == stored[::-1]


# ------------------------------------------------------------------ batch_put


@pytest.mark.parametrize("concurrency", [1, 4])
def test_batch_put_of_1000_items_stores_them_all_with_timestamps_ttl_and_versions(
    orders_table: OrdersTable, sent: Sent, concurrency: int
) -> None:
    before = datetime.datetime.now(UTC)
    written = orders_table.batch_put((order(n) for n in range(1000)), concurrency=concurrency)
    after = datetime.datetime.now(UTC)

    writes = sent.params("BatchWriteItem")
    assert len(writes) == 40  # chunks of 25
    assert all(len(p["RequestItems"][orders_table.table_name]) == 25 for p in writes)
    assert sum(orders_table.count(f"c{n}") for n in range(4)) == 1000

    assert len(written) == 1000
    now = written[0].created_at
    assert now is not None and before <= now <= after
    assert all(o.created_at == o.updated_at == now for o in written)  # one clock read per batch
    assert all(o.version == 1 for o in written)  # version 0 + 1, as put stores it
    assert [o.order_id for o in written] == [f"o{n:05d}" for n in range(1000)]
    sample = [written[n] for n in (0, 1, 500, 998, 999)]
    keys = [(o.customer_id, o.order_id) for o in sample]
    assert orders_table.batch_get(keys, consistent_read=True) == sample

    raw = orders_table.client.get_item(
        TableName=orders_table.table_name,
        Key={"customer_id": {"S": "c2"}, "order_id": {"S": "o00998"}},
        ConsistentRead=True,
    )["Item"]
    expires = datetime.datetime(2031, 1, 1, tzinfo=UTC) + datetime.timedelta(seconds=998)
    assert raw["expires_at"] == {"N": str(int(expires.timestamp()))}  # TTL: epoch seconds
    assert raw["version"] == {"N": "1"}
    assert raw["created_at"] == raw["updated_at"] == {"S": codec.datetime_text(now, "created_at")}


def test_batch_put_stores_items_as_put_does(orders_table: OrdersTable) -> None:
    put = orders_table.put(order(1, customer_id="p"))
    (batched,) = orders_table.batch_put([order(1, customer_id="b")])
    raw = {
        name: orders_table.client.get_item(
            TableName=orders_table.table_name,
            Key={"customer_id": {"S": name}, "order_id": {"S": "o00001"}},
            ConsistentRead=True,
        )["Item"]
        for name in ("p", "b")
    }
    assert set(raw["p"]) == set(raw["b"])  # the same attributes, automatic ones included
    assert {
        k: v for k, v in raw["p"].items() if k not in ("customer_id", "created_at", "updated_at")
    } == {k: v for k, v in raw["b"].items() if k not in ("customer_id", "created_at", "updated_at")}
    assert dataclasses.replace(put, customer_id="b", created_at=None, updated_at=None) == (
        dataclasses.replace(batched, created_at=None, updated_at=None)
    )


def test_batch_put_does_not_check_versions_it_stores_the_item_version_plus_one(
    ledger_table: LedgerTable,
) -> None:
    first = ledger_table.batch_put([entry(1), entry(2)])
    assert [e.version for e in first] == [1, 1]
    ledger_table.update(ACCOUNT, 1, set={"comment": "edited"})  # stored version 2 now
    ledger_table.update(ACCOUNT, 1, set={"comment": "again"})  # stored version 3 now

    # entry(1) carries version 0 (stale: the stored one is 3): batch_put does not check it,
    # it stores version 0 + 1 = 1, last writer wins. entry(2) claims 7: stored as 8.
    again = ledger_table.batch_put([entry(1), entry(2, version=7)])
    assert [e.version for e in again] == [1, 8]
    stored = ledger_table.batch_get([(ACCOUNT, 1), (ACCOUNT, 2)], consistent_read=True)
    assert [(e.version, e.comment) for e in stored] == [(1, None), (8, None)]
    assert stored == again

    # put, by contrast, checks: the same stale item is refused.
    with pytest.raises(rt.VersionConflict):
        ledger_table.put(entry(1, version=5))


def test_batch_put_sets_updated_at_on_every_item(ledger_table: LedgerTable) -> None:
    before = datetime.datetime.now(UTC)
    written = ledger_table.batch_put(entry(seq) for seq in range(60))
    assert all(e.updated_at is not None and e.updated_at >= before for e in written)
    assert ledger_table.batch_get((ACCOUNT, seq) for seq in range(60)) == written


def test_duplicates_in_batch_put_the_last_one_wins(ledger_table: LedgerTable, sent: Sent) -> None:
    items = [entry(seq) for seq in range(30)]
    items[3] = entry(0, comment="second")  # same key as items[0], in the same chunk
    items.append(entry(0, comment="last"))  # and again, in another chunk
    items.append(entry(29, comment="last of 29"))
    sent.clear()

    written = ledger_table.batch_put(items)

    assert len(written) == len(items)  # what was given, each as it was sent (stamped)
    requests = [
        request
        for p in sent.params("BatchWriteItem")
        for request in p["RequestItems"][ledger_table.table_name]
    ]
    assert len(requests) == 29  # one request per distinct key: DynamoDB refuses a key twice
    stored = ledger_table.batch_get((ACCOUNT, seq) for seq in range(30))
    assert len(stored) == 29  # seq 3 was replaced by a second seq 0
    assert {e.seq: e.comment for e in stored}[0] == "last"
    assert {e.seq: e.comment for e in stored}[29] == "last of 29"
    assert ledger_table.count(ACCOUNT) == 29


def test_batch_put_of_no_items_sends_nothing(ledger_table: LedgerTable, sent: Sent) -> None:
    assert ledger_table.batch_put([]) == []
    ledger_table.batch_delete([])
    assert sent.names() == []


# ------------------------------------------------------------------ batch_delete


@pytest.mark.parametrize("concurrency", [1, 4])
def test_batch_delete_of_many_keys(ledger_table: LedgerTable, sent: Sent, concurrency: int) -> None:
    written = ledger_table.batch_put((entry(seq) for seq in range(150)), concurrency=4)
    doomed = [seq for seq in range(150) if seq % 5 != 0]  # 120 of them
    keys = [(ACCOUNT, seq) for seq in doomed]
    keys += [(ACCOUNT, seq) for seq in range(5000, 5030)]  # missing: nothing to delete
    keys += [(ACCOUNT, seq) for seq in doomed[:20]]  # named twice
    sent.clear()

    ledger_table.batch_delete(keys, concurrency=concurrency)

    requests = [
        request
        for p in sent.params("BatchWriteItem")
        for request in p["RequestItems"][ledger_table.table_name]
    ]
    assert len(requests) == 150 and all("DeleteRequest" in r for r in requests)
    assert ledger_table.count(ACCOUNT, consistent_read=True) == 30
    survivors = ledger_table.batch_get((ACCOUNT, seq) for seq in range(150))
    assert survivors == [e for e in written if e.seq % 5 == 0]


@pytest.mark.parametrize("method", ["batch_get", "batch_delete", "batch_put"])
@pytest.mark.parametrize("lone", ["acc-1", b"acc-1", bytearray(b"acc")], ids=repr)
def test_a_single_string_instead_of_a_collection_is_refused(
    ledger_table: LedgerTable, sent: Sent, method: str, lone: Any
) -> None:
    sent.clear()
    with pytest.raises(rt.ValidationError):
        getattr(ledger_table, method)(lone)
    assert sent.names() == []


def test_a_single_string_is_refused_for_uuid_keys_too(
    sessions_table: UserSessionsTable, sent: Sent
) -> None:
    sent.clear()
    lone: Any = str(uuid.uuid4())
    with pytest.raises(rt.ValidationError):
        sessions_table.batch_get(lone)
    with pytest.raises(rt.ValidationError):
        sessions_table.batch_delete(lone)
    assert sent.names() == []


def test_a_bad_concurrency_is_refused_before_any_request(
    ledger_table: LedgerTable, sent: Sent
) -> None:
    sent.clear()
    for bad in (0, -2, True):
        with pytest.raises(rt.ValidationError):
            ledger_table.batch_get([(ACCOUNT, 1)], concurrency=bad)
        with pytest.raises(rt.ValidationError):
            ledger_table.batch_put([entry(1)], concurrency=bad)
    assert sent.names() == []


# ------------------------------------------------------------------ unprocessed items and keys


@pytest.mark.parametrize("concurrency", [1, 3])
def test_unprocessed_items_are_retried_until_all_are_written(
    ledger_table: LedgerTable, client: Any, concurrency: int
) -> None:
    flaky = Flaky(client, flaky_calls=6)
    table = through(ledger_table, flaky)
    written = table.batch_put((entry(seq) for seq in range(70)), concurrency=concurrency)
    assert flaky.write_calls > 3  # 3 chunks, and retries of what came back
    assert sorted(seq_of(r["PutRequest"]["Item"]) for r in flaky.written) == list(range(70))
    assert ledger_table.count(ACCOUNT, consistent_read=True) == 70
    assert ledger_table.batch_get((ACCOUNT, seq) for seq in range(70)) == written


def test_unprocessed_deletes_are_retried_until_all_are_done(
    ledger_table: LedgerTable, client: Any
) -> None:
    ledger_table.batch_put(entry(seq) for seq in range(60))
    flaky = Flaky(client, flaky_calls=5)
    through(ledger_table, flaky).batch_delete((ACCOUNT, seq) for seq in range(60))
    assert flaky.write_calls > 3
    assert ledger_table.count(ACCOUNT, consistent_read=True) == 0


@pytest.mark.parametrize("concurrency", [1, 2])
def test_unprocessed_keys_are_retried_until_all_are_read(
    ledger_table: LedgerTable, client: Any, concurrency: int
) -> None:
    stored = ledger_table.batch_put(entry(seq) for seq in range(60))
    flaky = Flaky(client, flaky_calls=4)
    keys = [(ACCOUNT, seq) for seq in reversed(range(180))]  # 120 of them do not exist
    got = through(ledger_table, flaky).batch_get(keys, concurrency=concurrency)
    assert got == stored[::-1]
    assert flaky.get_calls > 3
    assert sorted(seq_of(key) for key in flaky.read) == list(range(180))  # each key read once


def test_retries_of_unprocessed_items_back_off(ledger_table: LedgerTable, client: Any) -> None:
    sleeps: list[float] = []
    policy = rt.RetryPolicy(max_attempts=5, base_delay=0.001, sleep=sleeps.append)
    flaky = Flaky(client, flaky_calls=3)
    through(ledger_table, flaky, retry=policy).batch_put(entry(seq) for seq in range(25))
    assert flaky.write_calls == 4  # 13 + 6 + 3 sent by the flaky calls, the last 3 at once
    assert len(sleeps) == 3 and all(0 <= delay <= 0.008 for delay in sleeps)
    assert ledger_table.count(ACCOUNT, consistent_read=True) == 25


@pytest.mark.parametrize("concurrency", [1, 4])
def test_items_never_processed_raise_unprocessed_items_with_done_and_remaining(
    ledger_table: LedgerTable, client: Any, concurrency: int
) -> None:
    stubborn = Stubborn(client, ending_in_3)
    table = through(ledger_table, stubborn, retry=rt.RetryPolicy(max_attempts=2, base_delay=0))
    with pytest.raises(rt.UnprocessedItems) as caught:
        table.batch_put((entry(seq) for seq in range(60)), concurrency=concurrency)

    error = caught.value
    assert error.done == 54
    remaining = sorted(seq_of(r["PutRequest"]["Item"]) for r in error.remaining)
    assert remaining == list(range(3, 60, 10))
    assert all(set(r) == {"PutRequest"} for r in error.remaining)
    assert "6 of 60" in str(error)
    # each refused item was tried max_attempts times; everything else is stored, nothing lost
    assert len(stubborn.refused) == 2 * 6
    stored = ledger_table.batch_get((ACCOUNT, seq) for seq in range(60))
    assert [e.seq for e in stored] == [seq for seq in range(60) if seq % 10 != 3]


def test_deletes_never_processed_raise_unprocessed_items(
    ledger_table: LedgerTable, client: Any
) -> None:
    ledger_table.batch_put(entry(seq) for seq in range(40))
    table = through(
        ledger_table,
        Stubborn(client, ending_in_3),
        retry=rt.RetryPolicy(max_attempts=2, base_delay=0),
    )
    with pytest.raises(rt.UnprocessedItems) as caught:
        table.batch_delete((ACCOUNT, seq) for seq in range(40))
    assert caught.value.done == 36
    assert sorted(seq_of(r["DeleteRequest"]["Key"]) for r in caught.value.remaining) == [
        3,
        13,
        23,
        33,
    ]
    assert [e.seq for e in ledger_table.query(ACCOUNT, consistent_read=True)] == [3, 13, 23, 33]


@pytest.mark.parametrize("concurrency", [1, 3])
def test_keys_never_processed_raise_unprocessed_items_with_done_and_remaining(
    ledger_table: LedgerTable, client: Any, concurrency: int
) -> None:
    ledger_table.batch_put(entry(seq) for seq in range(50))
    stubborn = Stubborn(client, ending_in_3)
    table = through(ledger_table, stubborn, retry=rt.RetryPolicy(max_attempts=2, base_delay=0))
    keys = [(ACCOUNT, seq) for seq in range(150)]  # 100 of them do not exist
    with pytest.raises(rt.UnprocessedItems) as caught:
        table.batch_get(keys, concurrency=concurrency)
    assert caught.value.done == 150 - 15
    assert sorted(seq_of(key) for key in caught.value.remaining) == list(range(3, 150, 10))
    assert len(stubborn.refused) == 2 * 15


def test_every_generated_table_takes_a_retry_policy(client: Any) -> None:
    policy = rt.RetryPolicy(max_attempts=3, base_delay=0)
    for table in (
        LedgerTable(client, table_name="ledger-x", retry=policy),
        OrdersTable(client, table_name="orders-x", retry=policy),
        UserSessionsTable(client, table_name="sessions-x", retry=policy),
    ):
        assert table.client is client


# ------------------------------------------------------------------ numeric keys: one number, many spellings

PRICES_SPEC = """
version: 1
table: prices
key: {partition: sku, sort: price}
entities:
  Price:
    attributes:
      sku: string
      price: decimal
      note: {type: string, optional: true}
"""


@pytest.fixture(scope="module")
def prices_module(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A table whose sort key is a decimal: Decimal("1.50") and Decimal("1.5") are one key."""
    return build_module(tmp_path_factory.mktemp("prices"), PRICES_SPEC, "prices")


@pytest.fixture
def prices(client: Any, prices_module: Any) -> Iterator[Any]:
    table = prices_module.PricesTable(client, table_name=unique_name("prices"), retry=NO_WAIT)
    table.create_table()
    yield table
    table.delete_table(wait=False)


def test_batch_get_finds_an_item_whatever_the_spelling_of_its_numeric_key(
    prices: Any, prices_module: Any
) -> None:
    """DynamoDB answers a number in its own spelling (Local: "1.5" for "1.50"; moto: as written),
    so batch_get must match items to keys by value, or found items would be dropped silently."""
    prices.put(prices_module.Price(sku="a", price=Decimal("1.50")))
    assert prices.get("a", Decimal("1.5")) is not None
    assert prices.get("a", Decimal("1.50")) is not None
    assert len(prices.batch_get([("a", Decimal("1.5"))])) == 1
    assert len(prices.batch_get([("a", Decimal("1.50"))])) == 1


def test_batch_put_merges_numeric_keys_that_are_equal_in_value(
    prices: Any, prices_module: Any, sent: Sent
) -> None:
    """Decimal("2.0") and Decimal("2") are one key: sent twice, DynamoDB refuses the whole batch."""
    sent.clear()
    first = prices_module.Price(sku="b", price=Decimal("2.0"), note="first")
    last = prices_module.Price(sku="b", price=Decimal("2"), note="last")
    prices.batch_put([first, last])
    requests = [
        r for p in sent.params("BatchWriteItem") for r in p["RequestItems"][prices.table_name]
    ]
    assert len(requests) == 1
    assert [p.note for p in prices.query("b")] == ["last"]
