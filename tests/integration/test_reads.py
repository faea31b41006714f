"""Reads at scale: queries, pages and cursors, per-index reads, partial reads, scans and counts.

Most tests read one big ledger table per engine (module scope): the partition "acc-big" holds
seq 0..999, and ten more accounts hold 20 entries each, 1,200 items in all, loaded once with
batch_put. moto serializes every attribute of every item it returns slowly, so walks that only
check the order of a read ask for `attributes=["seq"]`, and full reads of the table are few.

Requests are observed with a botocore hook on the client (`before-parameter-build`, which fires
for every call before anything is sent), and small pages are forced without big data by
`PageCap`, a client wrapper that caps `Limit` on every Query and Scan.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import re
import string
import typing
import uuid
from decimal import Decimal
from typing import Any, Callable, Iterator, TypeVar

import pytest

from dynagen import runtime as rt
from dynagen.runtime import Sort
from generated_example.ledger import (
    Entry,
    EntryAttrs,
    EntryByAmount,
    EntryByKind,
    EntryKind,
    EntryPartial,
    LedgerTable,
)
from generated_example.orders import (
    Address,
    AddressPartial,
    LineItem,
    LineItemPartial,
    Order,
    OrderAttrs,
    OrderByTotal,
    OrderPartial,
    OrdersTable,
    OrderStatus,
)
from generated_example.user_sessions import (
    Device,
    Session,
    SessionAttrs,
    SessionByUser,
    UserSessionsTable,
)
from tests.helpers import unique_name

T = TypeVar("T")
UTC = datetime.timezone.utc
URL_SAFE = re.compile(r"^[A-Za-z0-9_.-]+$")

BIG = "acc-big"
BIG_SIZE = 1000
# The last account has a name that is anything but URL-safe, for the cursor tests.
OTHER_ACCOUNTS = tuple(f"acc-{n:02d}" for n in range(9)) + ("konto ü/+?&=#% 9",)
OTHER_SIZE = 20
TABLE_SIZE = BIG_SIZE + 10 * OTHER_SIZE
KINDS = (EntryKind.CREDIT, EntryKind.DEBIT, EntryKind.ADJUSTMENT)
DAY0 = datetime.date(2024, 1, 1)
HOT = range(300, 350)  # the only entries labelled "hot"


def make_entry(account_id: str, seq: int) -> Entry:
    return Entry(
        account_id=account_id,
        seq=seq,
        kind=KINDS[seq % 3],
        amount=Decimal(seq % 97) + Decimal("0.25"),
        booked_on=DAY0 + datetime.timedelta(days=seq % 366),
        currency="USD" if seq % 4 == 0 else "EUR",
        comment=f"entry {seq}" if seq % 2 else None,
        order_ref=f"ORD-{seq % 50 // 10}" if seq % 10 == 0 else None,
        labels=["hot"] if seq in HOT else [],
    )


def all_entries() -> list[Entry]:
    entries = [make_entry(BIG, seq) for seq in range(BIG_SIZE)]
    entries += [make_entry(a, seq) for a in OTHER_ACCOUNTS for seq in range(OTHER_SIZE)]
    return entries


Key = tuple[str, int]


@dataclasses.dataclass
class BigLedger:
    engine: str
    client: Any
    table: LedgerTable
    stored: dict[Key, Entry]  # as batch_put stored them

    def where(self, test: Callable[[Entry], bool]) -> list[Entry]:
        return [e for e in self.stored.values() if test(e)]


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

    def count(self, name: str) -> int:
        return self.names().count(name)

    def params(self, name: str) -> list[dict[str, Any]]:
        return [params for called, params in self.calls if called == name]

    def clear(self) -> None:
        self.calls.clear()


class PageCap:
    """A client that forwards everything, but caps `Limit` on Query and Scan at `cap`."""

    def __init__(self, client: Any, cap: int) -> None:
        self._client = client
        self._cap = cap

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _capped(self, request: dict[str, Any]) -> dict[str, Any]:
        return {**request, "Limit": min(request.get("Limit", self._cap), self._cap)}

    def query(self, **request: Any) -> Any:
        return self._client.query(**self._capped(request))

    def scan(self, **request: Any) -> Any:
        return self._client.scan(**self._capped(request))


class EmptyPages:
    """A client that answers every Query and Scan with an empty last page."""

    def query(self, **request: Any) -> Any:
        return {"Items": [], "Count": 0}

    def scan(self, **request: Any) -> Any:
        return {"Items": [], "Count": 0}


def via(client: Any, table: LedgerTable) -> LedgerTable:
    """The same physical table, reached through another client (a wrapper)."""
    return LedgerTable(client, table_name=table.table_name)


def walk(read: Callable[[str | None], rt.Page[T]], max_pages: int = 400) -> list[rt.Page[T]]:
    """Every page, following cursors from None until a page has none; each cursor is URL-safe."""
    pages: list[rt.Page[T]] = []
    cursor: str | None = None
    while True:
        page = read(cursor)
        pages.append(page)
        if page.cursor is None:
            return pages
        assert URL_SAFE.match(page.cursor), page.cursor
        assert len(pages) < max_pages, "the cursor walk does not end"
        cursor = page.cursor


def flat(pages: list[rt.Page[T]]) -> list[T]:
    return [item for page in pages for item in page.items]


def xfail_on_moto(request: pytest.FixtureRequest, engine: str, reason: str) -> None:
    """DynamoDB Local is the reference: only the moto variant may be an expected failure."""
    if engine == "moto":
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"moto differs: {reason}"))


# ------------------------------------------------------------------ fixtures


@dataclasses.dataclass
class Backend:
    engine: str
    client: Any


@pytest.fixture(scope="module", params=["moto", "local"])
def backend(request: pytest.FixtureRequest) -> Backend:
    """moto and DynamoDB Local, as the `client` fixture, but once per module: the data is shared."""
    engine = str(request.param)
    endpoint = request.getfixturevalue("moto_endpoint" if engine == "moto" else "local_endpoint")
    return Backend(engine, rt.make_client(endpoint_url=endpoint, region_name="us-east-1"))


@pytest.fixture(scope="module")
def big(backend: Backend) -> Iterator[BigLedger]:
    table = LedgerTable(backend.client, table_name=unique_name("ledger-big"))
    table.create_table()
    stored = table.batch_put(all_entries(), concurrency=4)
    yield BigLedger(
        backend.engine, backend.client, table, {(e.account_id, e.seq): e for e in stored}
    )
    table.delete_table(wait=False)


@pytest.fixture
def sent(backend: Backend) -> Iterator[Sent]:
    recorder = Sent(backend.client)
    yield recorder
    recorder.close()


@pytest.fixture
def capped(big: BigLedger) -> LedgerTable:
    """The big table through a client that reads at most 100 items per request."""
    return via(PageCap(big.client, 100), big.table)


@pytest.fixture(scope="module")
def orders_table(backend: Backend) -> Iterator[OrdersTable]:
    table = OrdersTable(backend.client, table_name=unique_name("orders-reads"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


@pytest.fixture(scope="module")
def sessions_table(backend: Backend) -> Iterator[UserSessionsTable]:
    table = UserSessionsTable(backend.client, table_name=unique_name("sessions-reads"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


T0 = datetime.datetime(2024, 5, 1, 8, 0, 0, 250000, tzinfo=UTC)
STATUSES = (OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.CANCELLED)


def make_order(customer_id: str, order_id: str, n: int) -> Order:
    return Order(
        customer_id=customer_id,
        order_id=order_id,
        status=STATUSES[n % 4],
        total=Decimal(n * 37 % 100) + Decimal("0.50"),
        placed_at=T0 + datetime.timedelta(hours=n),
        lines=[LineItem(sku=f"sku-{n}", qty=n % 3 + 1, price=Decimal("2.50"))],
        gift=n % 2 == 0,
        shipping=Address(street=f"{n} Main St", city="Springfield") if n % 3 == 0 else None,
    )


ORDER_IDS = {
    "c1": [f"2024-01-{i:04d}" for i in range(1, 11)]
    + [f"2024-02-{i:04d}" for i in range(1, 11)]
    + [f"2025-01-{i:04d}" for i in range(1, 6)],
    "c2": [f"2024-01-{i:04d}" for i in range(1, 6)],
}


@pytest.fixture(scope="module")
def stored_orders(orders_table: OrdersTable) -> dict[tuple[str, str], Order]:
    items = [(customer_id, order_id) for customer_id, ids in ORDER_IDS.items() for order_id in ids]
    written = orders_table.batch_put(make_order(c, o, n) for n, (c, o) in enumerate(items))
    return {(o.customer_id, o.order_id): o for o in written}


def make_session(user_id: str, n: int) -> Session:
    return Session(
        session_id=uuid.uuid4(),
        user_id=user_id,
        token_hash=bytes([n]) * 32,
        started_on=DAY0 + datetime.timedelta(days=n),
        last_seen=T0 + datetime.timedelta(minutes=7 * n),
        device=Device(kind="phone" if n % 2 else "laptop", os="linux" if n % 3 else None),
        expires_at=(datetime.datetime.now(UTC) + datetime.timedelta(days=30)).replace(
            microsecond=0
        ),
        scopes={"read"} if n % 2 else None,
    )


@pytest.fixture(scope="module")
def stored_sessions(sessions_table: UserSessionsTable) -> list[Session]:
    return sessions_table.batch_put(
        [make_session("user-1", n) for n in range(12)] + [make_session("user-2", n) for n in (3, 5)]
    )


# ------------------------------------------------------------------ the 1,000-item partition, page by page

PAGE_SIZES = [7, 100, 333, 1000, 1500]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
def test_query_page_walks_a_1000_item_partition_in_order_without_loss_or_repeat(
    big: BigLedger, page_size: int
) -> None:
    pages = walk(
        lambda cursor: big.table.query_page(
            BIG, attributes=["seq"], page_size=page_size, cursor=cursor
        )
    )
    assert [entry.seq for entry in flat(pages)] == list(range(BIG_SIZE))
    assert all(len(page.items) == page_size for page in pages[:-1])
    assert len(pages[-1].items) <= page_size


def test_query_page_walk_returns_whole_items_as_stored(big: BigLedger) -> None:
    pages = walk(lambda cursor: big.table.query_page(BIG, page_size=333, cursor=cursor))
    assert flat(pages) == [big.stored[(BIG, seq)] for seq in range(BIG_SIZE)]
    assert [len(page.items) for page in pages] == [333, 333, 333, 1]
    assert all(type(entry) is Entry for entry in pages[0].items)


@pytest.mark.parametrize("page_size", [100, 333, 1000, 1500])
def test_query_page_walks_the_partition_in_reverse(big: BigLedger, page_size: int) -> None:
    pages = walk(
        lambda cursor: big.table.query_page(
            BIG, reverse=True, attributes=["seq"], page_size=page_size, cursor=cursor
        )
    )
    assert [entry.seq for entry in flat(pages)] == list(reversed(range(BIG_SIZE)))
    assert all(len(page.items) == page_size for page in pages[:-1])


@pytest.mark.parametrize("page_size", [50, 333, 1500])
def test_query_page_with_a_filter_may_give_short_or_empty_pages_but_the_union_is_exact(
    big: BigLedger, page_size: int
) -> None:
    hot = EntryAttrs.labels.contains("hot")
    pages = walk(
        lambda cursor: big.table.query_page(BIG, filter=hot, page_size=page_size, cursor=cursor)
    )
    assert flat(pages) == [big.stored[(BIG, seq)] for seq in HOT]
    assert all(len(page.items) <= page_size for page in pages)
    if page_size == 50:  # seq 0..299 hold nothing hot: empty pages that still carry a cursor
        assert [len(page.items) for page in pages[:7]] == [0, 0, 0, 0, 0, 0, 50]
        assert all(page.cursor is not None for page in pages[:7])


def test_query_page_with_a_filter_in_reverse(big: BigLedger) -> None:
    debit_in_euro = (EntryAttrs.kind == EntryKind.DEBIT) & (EntryAttrs.currency == "EUR")
    pages = walk(
        lambda cursor: big.table.query_page(
            BIG, filter=debit_in_euro, reverse=True, page_size=100, cursor=cursor
        )
    )
    expected = [s for s in reversed(range(BIG_SIZE)) if s % 3 == 1 and s % 4 != 0]
    assert [entry.seq for entry in flat(pages)] == expected
    assert len(pages) >= 10


def test_a_page_ending_exactly_at_the_last_item_still_has_a_cursor_to_an_empty_page(
    big: BigLedger, request: pytest.FixtureRequest
) -> None:
    xfail_on_moto(
        request,
        big.engine,
        "a page that reaches Limit on the partition's last item has no LastEvaluatedKey on "
        "moto; DynamoDB Local (as DynamoDB) returns one, and the next page is empty",
    )
    first = big.table.query_page(BIG, sort=Sort.ge(990), page_size=10)
    assert [e.seq for e in first.items] == list(range(990, 1000))
    assert first.cursor is not None
    last = big.table.query_page(BIG, sort=Sort.ge(990), page_size=10, cursor=first.cursor)
    assert last.items == [] and last.cursor is None


def test_a_cursor_can_be_used_again_and_by_another_table_object(big: BigLedger) -> None:
    first = big.table.query_page(BIG, page_size=10)
    assert first.cursor is not None
    again = big.table.query_page(BIG, page_size=10, cursor=first.cursor)
    fresh = LedgerTable(big.client, table_name=big.table.table_name)
    assert fresh.query_page(BIG, page_size=10, cursor=first.cursor) == again
    assert [e.seq for e in again.items] == list(range(10, 20))


# ------------------------------------------------------------------ laziness


def test_query_sends_nothing_before_the_first_next(capped: LedgerTable, sent: Sent) -> None:
    items = capped.query(BIG)
    assert sent.names() == []
    assert next(items).seq == 0
    assert sent.names() == ["Query"]


def test_query_fetches_the_next_page_only_when_the_caller_gets_there(
    capped: LedgerTable, sent: Sent
) -> None:
    items = capped.query(BIG, attributes=["seq"])
    assert sent.count("Query") == 0
    taken = [next(items) for _ in range(100)]
    assert sent.count("Query") == 1
    taken.append(next(items))
    assert sent.count("Query") == 2
    second = sent.params("Query")[1]
    assert second["ExclusiveStartKey"] == {"account_id": {"S": BIG}, "seq": {"N": "99"}}
    taken.extend(next(items) for _ in range(99))
    assert sent.count("Query") == 2
    taken.extend(items)
    assert [e.seq for e in taken] == list(range(BIG_SIZE))
    assert sent.count("Query") >= 10


def test_an_abandoned_query_reads_no_further(capped: LedgerTable, sent: Sent) -> None:
    items = capped.query(BIG)
    assert [next(items).seq for _ in range(5)] == [0, 1, 2, 3, 4]
    del items
    assert sent.count("Query") == 1


def test_limit_without_a_filter_asks_for_no_more_than_it_needs(big: BigLedger, sent: Sent) -> None:
    assert list(big.table.query(BIG, limit=250)) == [big.stored[(BIG, s)] for s in range(250)]
    assert [p.get("Limit") for p in sent.params("Query")] == [250]
    sent.clear()
    assert [e.seq for e in big.table.query(BIG, limit=1, reverse=True)] == [BIG_SIZE - 1]
    assert sent.count("Query") == 1


def test_limit_stops_reading_pages_once_met(capped: LedgerTable, sent: Sent) -> None:
    assert [e.seq for e in capped.query(BIG, limit=250, attributes=["seq"])] == list(range(250))
    assert [p["Limit"] for p in sent.params("Query")] == [100, 100, 50]


def test_limit_with_a_filter_stops_reading_pages_once_met(big: BigLedger, sent: Sent) -> None:
    table = via(PageCap(big.client, 7), big.table)
    credits = table.query(BIG, filter=EntryAttrs.kind == EntryKind.CREDIT, limit=10)
    assert [e.seq for e in credits] == list(range(0, 30, 3))
    # 10 credits are seq 0..27: four pages of 7, and not one more request
    assert sent.count("Query") == 4


def test_limit_and_page_size_must_be_positive_and_are_checked_before_any_request(
    big: BigLedger, sent: Sent
) -> None:
    for bad in (0, -1):
        with pytest.raises(rt.ValidationError):
            big.table.query(BIG, limit=bad)
        with pytest.raises(rt.ValidationError):
            big.table.query_page(BIG, page_size=bad)
        with pytest.raises(rt.ValidationError):
            big.table.scan(limit=bad)
    with pytest.raises(rt.ValidationError):
        big.table.scan(segments=0)
    with pytest.raises(rt.ValidationError):
        big.table.scan_page(segment=(4, 4))
    assert sent.names() == []


# ------------------------------------------------------------------ sort-key conditions

SORT_CASES = [
    pytest.param(Sort.eq(500), [500], id="eq"),
    pytest.param(Sort.eq(5000), [], id="eq-missing"),
    pytest.param(Sort.lt(10), list(range(10)), id="lt"),
    pytest.param(Sort.le(10), list(range(11)), id="le"),
    pytest.param(Sort.gt(990), list(range(991, 1000)), id="gt"),
    pytest.param(Sort.ge(990), list(range(990, 1000)), id="ge"),
    pytest.param(Sort.between(100, 199), list(range(100, 200)), id="between"),
    pytest.param(Sort.between(7, 7), [7], id="between-one"),
]


@pytest.mark.parametrize("sort, expected", SORT_CASES)
def test_sort_conditions_on_an_int_sort_key(
    big: BigLedger, sort: rt.SortCondition[int], expected: list[int]
) -> None:
    assert list(big.table.query(BIG, sort=sort)) == [big.stored[(BIG, s)] for s in expected]
    backwards = big.table.query(BIG, sort=sort, reverse=True, attributes=["seq"])
    assert [e.seq for e in backwards] == expected[::-1]
    assert big.table.count(BIG, sort=sort) == len(expected)
    pages = walk(
        lambda cursor: big.table.query_page(
            BIG, sort=sort, attributes=["seq"], page_size=40, cursor=cursor
        )
    )
    assert [e.seq for e in flat(pages)] == expected


def test_sort_conditions_combine_with_a_filter_and_limit(big: BigLedger) -> None:
    credits = EntryAttrs.kind == EntryKind.CREDIT
    got = big.table.query(BIG, sort=Sort.between(100, 199), filter=credits, limit=5)
    assert [e.seq for e in got] == [102, 105, 108, 111, 114]
    assert big.table.count(BIG, sort=Sort.between(100, 199), filter=credits) == 33


def test_begins_with_and_other_conditions_on_a_string_sort_key(
    orders_table: OrdersTable, stored_orders: dict[tuple[str, str], Order]
) -> None:
    def ids(sort: rt.SortCondition[str], reverse: bool = False) -> list[str]:
        return [o.order_id for o in orders_table.query("c1", sort=sort, reverse=reverse)]

    january = [f"2024-01-{i:04d}" for i in range(1, 11)]
    february = [f"2024-02-{i:04d}" for i in range(1, 11)]
    assert ids(Sort.begins_with("2024-01")) == january
    assert ids(Sort.begins_with("2024-01"), reverse=True) == january[::-1]
    assert ids(Sort.begins_with("2024")) == january + february
    assert ids(Sort.begins_with("2026")) == []
    assert ids(Sort.between("2024-01-0009", "2024-02-0002")) == january[8:] + february[:2]
    assert ids(Sort.lt("2024-01-0003")) == january[:2]
    assert ids(Sort.ge("2025")) == [f"2025-01-{i:04d}" for i in range(1, 6)]
    assert ids(Sort.eq("2024-02-0004")) == ["2024-02-0004"]
    assert orders_table.count("c1", sort=Sort.begins_with("2024-0")) == 20
    assert orders_table.count("c2", sort=Sort.begins_with("2024-01")) == 5
    pages = walk(
        lambda cursor: orders_table.query_page(
            "c1", sort=Sort.begins_with("2024-02"), page_size=3, cursor=cursor
        )
    )
    assert flat(pages) == [stored_orders[("c1", i)] for i in february]


# ------------------------------------------------------------------ per-index queries


def as_by_kind(entry: Entry) -> EntryByKind:
    return EntryByKind(
        account_id=entry.account_id, seq=entry.seq, kind=entry.kind, booked_on=entry.booked_on
    )


def as_by_amount(entry: Entry) -> EntryByAmount:
    return EntryByAmount(
        account_id=entry.account_id,
        seq=entry.seq,
        kind=entry.kind,
        amount=entry.amount,
        currency=entry.currency,
    )


def field_names(cls: Any) -> set[str]:
    return {field.name for field in dataclasses.fields(cls)}


def keys_of(items: list[Any]) -> list[Key]:
    return [(item.account_id, item.seq) for item in items]


def test_query_by_kind_reads_a_keys_only_global_index(big: BigLedger) -> None:
    assert field_names(EntryByKind) == {"account_id", "seq", "kind", "booked_on"}
    low, high = DAY0 + datetime.timedelta(days=30), DAY0 + datetime.timedelta(days=59)
    window = Sort.between(low, high)
    expected = big.where(lambda e: e.kind is EntryKind.CREDIT and low <= e.booked_on <= high)
    got = list(big.table.query_by_kind(EntryKind.CREDIT, sort=window))
    assert all(type(item) is EntryByKind for item in got)
    assert sorted(keys_of(got)) == sorted(keys_of(expected)) and len(got) == len(expected)
    assert all(item == as_by_kind(big.stored[(item.account_id, item.seq)]) for item in got)
    days = [item.booked_on for item in got]
    assert days == sorted(days)
    backwards = big.table.query_by_kind(EntryKind.CREDIT, sort=window, reverse=True)
    assert [item.booked_on for item in backwards] == sorted(days, reverse=True)
    assert big.table.count_by_kind(EntryKind.CREDIT, sort=window) == len(expected)

    # The index really carries the keys only (the table definition), not just the class.
    raw = big.client.query(
        TableName=big.table.table_name,
        IndexName="by_kind",
        KeyConditionExpression="kind = :k",
        ExpressionAttributeValues={":k": {"S": "credit"}},
        Limit=5,
    )["Items"]
    assert raw and all(set(item) == {"account_id", "seq", "kind", "booked_on"} for item in raw)


def test_query_by_kind_page_walks_the_whole_index_partition(big: BigLedger) -> None:
    expected = big.where(lambda e: e.kind is EntryKind.ADJUSTMENT)
    pages = walk(
        lambda cursor: big.table.query_by_kind_page(
            EntryKind.ADJUSTMENT, page_size=111, cursor=cursor
        )
    )
    got = flat(pages)
    assert len(got) == len(expected) == len(set(keys_of(got)))
    assert set(keys_of(got)) == set(keys_of(expected))
    assert [item.booked_on for item in got] == sorted(item.booked_on for item in got)
    assert big.table.count_by_kind(EntryKind.ADJUSTMENT) == len(expected)


def test_count_and_query_by_kind_with_a_filter_on_a_projected_attribute(
    big: BigLedger,
) -> None:
    mine = EntryAttrs.account_id == "acc-03"
    expected = big.where(lambda e: e.kind is EntryKind.DEBIT and e.account_id == "acc-03")
    got = list(big.table.query_by_kind(EntryKind.DEBIT, filter=mine))
    assert sorted(keys_of(got)) == sorted(keys_of(expected))
    assert big.table.count_by_kind(EntryKind.DEBIT, filter=mine) == len(expected) == 7


def test_query_by_amount_reads_a_local_include_index(big: BigLedger) -> None:
    assert field_names(EntryByAmount) == {"account_id", "seq", "kind", "amount", "currency"}
    window = Sort.between(Decimal("10"), Decimal("20.25"))
    expected = big.where(
        lambda e: e.account_id == BIG and Decimal("10") <= e.amount <= Decimal("20.25")
    )
    for consistent in (False, True):
        got = list(big.table.query_by_amount(BIG, sort=window, consistent_read=consistent))
        assert all(type(item) is EntryByAmount for item in got)
        assert sorted(keys_of(got)) == sorted(keys_of(expected))
        assert all(item == as_by_amount(big.stored[(item.account_id, item.seq)]) for item in got)
        amounts = [item.amount for item in got]
        assert amounts == sorted(amounts)
    assert big.table.count_by_amount(BIG, sort=window, consistent_read=True) == len(expected)
    assert {item.currency for item in got} == {"USD", "EUR"}


def test_query_by_amount_page_and_count_with_a_filter(big: BigLedger) -> None:
    debits = EntryAttrs.kind == EntryKind.DEBIT
    expected = big.where(lambda e: e.account_id == BIG and e.kind is EntryKind.DEBIT)
    pages = walk(
        lambda cursor: big.table.query_by_amount_page(
            BIG, filter=debits, reverse=True, consistent_read=True, page_size=200, cursor=cursor
        )
    )
    got = flat(pages)
    assert sorted(keys_of(got)) == sorted(keys_of(expected))
    assert [item.amount for item in got] == sorted((item.amount for item in got), reverse=True)
    assert big.table.count_by_amount(BIG, filter=debits) == len(expected)
    assert big.table.count_by_amount(BIG, filter=debits, consistent_read=True) == len(expected)


def test_query_by_order_ref_reads_a_sparse_all_projection_global_index(big: BigLedger) -> None:
    expected = big.where(lambda e: e.order_ref == "ORD-1")
    got = list(big.table.query_by_order_ref("ORD-1"))
    assert all(type(item) is Entry for item in got)
    assert sorted(keys_of(got)) == sorted(keys_of(expected)) and len(got) == 30
    assert all(item == big.stored[(item.account_id, item.seq)] for item in got)
    assert big.table.count_by_order_ref("ORD-1") == 30
    usd = EntryAttrs.currency == "USD"
    assert big.table.count_by_order_ref("ORD-1", filter=usd) == len(
        [e for e in expected if e.currency == "USD"]
    )
    pages = walk(
        lambda cursor: big.table.query_by_order_ref_page("ORD-1", page_size=7, cursor=cursor)
    )
    assert sorted(keys_of(flat(pages))) == sorted(keys_of(expected))
    assert list(big.table.query_by_order_ref("ORD-none")) == []

    # Sparse: entries without an order_ref are not in the index at all.
    indexed = list(big.table.scan_by_order_ref())
    with_ref = big.where(lambda e: e.order_ref is not None)
    assert len(indexed) == len(with_ref) == 120
    assert set(keys_of(indexed)) == set(keys_of(with_ref))


def test_orders_query_by_status_reads_a_global_all_index(
    orders_table: OrdersTable, stored_orders: dict[tuple[str, str], Order]
) -> None:
    paid = sorted(
        (o for o in stored_orders.values() if o.status is OrderStatus.PAID),
        key=lambda o: o.placed_at,
    )
    assert list(orders_table.query_by_status(OrderStatus.PAID)) == paid
    assert list(orders_table.query_by_status(OrderStatus.PAID, reverse=True)) == paid[::-1]
    since = paid[3].placed_at
    assert list(orders_table.query_by_status(OrderStatus.PAID, sort=Sort.ge(since))) == paid[3:]
    assert list(orders_table.query_by_status(OrderStatus.PAID, sort=Sort.lt(since))) == paid[:3]
    pages = walk(
        lambda cursor: orders_table.query_by_status_page(
            OrderStatus.PAID, page_size=2, cursor=cursor
        )
    )
    assert flat(pages) == paid
    gifts = OrderAttrs.gift == True  # noqa: E712 - a condition, not a comparison
    assert orders_table.count_by_status(OrderStatus.PAID) == len(paid)
    assert orders_table.count_by_status(OrderStatus.PAID, filter=gifts) == len(
        [o for o in paid if o.gift]
    )
    assert orders_table.count_by_status(OrderStatus.PAID, sort=Sort.ge(since)) == len(paid) - 3
    c2 = OrderAttrs.customer_id == "c2"
    assert list(orders_table.query_by_status(OrderStatus.PAID, filter=c2)) == [
        o for o in paid if o.customer_id == "c2"
    ]


def test_orders_query_by_total_reads_a_local_keys_only_index(
    orders_table: OrdersTable, stored_orders: dict[tuple[str, str], Order]
) -> None:
    assert field_names(OrderByTotal) == {"customer_id", "order_id", "total"}
    big_ones = sorted(
        (o for o in stored_orders.values() if o.customer_id == "c1" and o.total >= 50),
        key=lambda o: (o.total, o.order_id),
    )
    expected = [OrderByTotal(o.customer_id, o.order_id, o.total) for o in big_ones]
    at_least_50 = Sort.ge(Decimal("50"))
    for consistent in (False, True):
        got = list(orders_table.query_by_total("c1", sort=at_least_50, consistent_read=consistent))
        assert sorted(got, key=lambda o: (o.total, o.order_id)) == expected
        assert [o.total for o in got] == [o.total for o in expected]
        assert all(type(item) is OrderByTotal for item in got)
    pages = walk(
        lambda cursor: orders_table.query_by_total_page(
            "c1", sort=at_least_50, consistent_read=True, page_size=4, cursor=cursor
        )
    )
    assert sorted(flat(pages), key=lambda o: (o.total, o.order_id)) == expected
    assert orders_table.count_by_total("c1", sort=at_least_50) == len(expected)
    assert orders_table.count_by_total("c1", consistent_read=True) == 25
    january = OrderAttrs.order_id.begins_with("2024-01")
    assert orders_table.count_by_total("c1", filter=january, consistent_read=True) == 10
    assert len(list(orders_table.query_by_total("c1", filter=january, reverse=True))) == 10


def test_user_sessions_query_by_user_reads_a_global_include_index(
    sessions_table: UserSessionsTable, stored_sessions: list[Session]
) -> None:
    assert field_names(SessionByUser) == {
        "session_id",
        "user_id",
        "started_on",
        "last_seen",
        "device",
    }
    mine = sorted((s for s in stored_sessions if s.user_id == "user-1"), key=lambda s: s.last_seen)
    expected = [
        SessionByUser(s.session_id, s.user_id, s.started_on, s.last_seen, s.device) for s in mine
    ]
    newest_first = list(sessions_table.query_by_user("user-1", reverse=True))
    assert newest_first == expected[::-1]
    assert all(type(item) is SessionByUser for item in newest_first)
    recent = Sort.gt(mine[8].last_seen)
    assert list(sessions_table.query_by_user("user-1", sort=recent)) == expected[9:]
    pages = walk(
        lambda cursor: sessions_table.query_by_user_page(
            "user-1", reverse=True, page_size=5, cursor=cursor
        )
    )
    assert flat(pages) == expected[::-1]
    assert sessions_table.count_by_user("user-1") == 12
    assert sessions_table.count_by_user("user-1", sort=recent) == 3
    phones = SessionAttrs.device.kind == "phone"
    assert sessions_table.count_by_user("user-1", filter=phones) == 6
    assert [s.device.kind for s in sessions_table.query_by_user("user-1", filter=phones)] == [
        "phone"
    ] * 6
    assert sessions_table.count_by_user("user-2") == 2
    assert list(sessions_table.query_by_user("user-3")) == []


def test_a_filter_on_an_attribute_the_index_does_not_project_is_refused_by_dynamodb(
    big: BigLedger, request: pytest.FixtureRequest
) -> None:
    xfail_on_moto(
        request,
        big.engine,
        "moto silently matches nothing when a Query on a keys_only or INCLUDE index filters "
        "on an attribute the index does not project; DynamoDB Local refuses it "
        "(ValidationException: ... does not project one or more filter attributes)",
    )
    usd = EntryAttrs.currency == "USD"
    with pytest.raises(rt.DynamoDBError) as caught:
        big.table.count_by_kind(EntryKind.CREDIT, filter=usd)
    assert caught.value.code == "ValidationException"
    with pytest.raises(rt.DynamoDBError):
        list(big.table.query_by_amount(BIG, filter=EntryAttrs.comment.exists()))


# ------------------------------------------------------------------ attributes=[...]: partial reads


def partial_of(entry: Entry, names: list[str]) -> EntryPartial:
    return EntryPartial(**{name: getattr(entry, name) for name in names})


def test_get_with_attributes_returns_a_partial_with_only_those_fields(big: BigLedger) -> None:
    names: list[Any] = ["order_ref", "entry_status", "amount"]
    got = big.table.get(BIG, 30, attributes=names)
    assert type(got) is EntryPartial
    assert got == partial_of(big.stored[(BIG, 30)], names)
    assert got.order_ref == "ORD-3" and got.entry_status == "posted" and got.seq is None
    odd: list[Any] = ["comment", "labels", "counters", "kind", "seq"]
    assert big.table.get(BIG, 31, attributes=odd) == partial_of(big.stored[(BIG, 31)], odd)
    assert big.table.get(BIG, 31, attributes=["comment"]) == EntryPartial(comment="entry 31")
    assert big.table.get(BIG, 31, attributes=["order_ref"]) == EntryPartial()
    assert big.table.get(BIG, 5000, attributes=["amount"]) is None
    assert big.table.get(BIG, 30, consistent_read=True, attributes=["amount"]) == EntryPartial(
        amount=Decimal("30.25")
    )


def test_query_with_attributes_returns_partials(big: BigLedger) -> None:
    got = list(big.table.query(BIG, attributes=["seq", "amount", "comment"], limit=5))
    names: list[str] = ["seq", "amount", "comment"]
    assert got == [partial_of(big.stored[(BIG, s)], names) for s in range(5)]
    assert all(type(item) is EntryPartial for item in got)
    backwards = big.table.query(BIG, sort=Sort.ge(995), reverse=True, attributes=["seq"])
    assert list(backwards) == [EntryPartial(seq=s) for s in range(999, 994, -1)]


def test_query_page_with_attributes_pages_through_partials_without_the_key(
    big: BigLedger,
) -> None:
    names: list[Any] = ["amount", "comment"]
    pages = walk(
        lambda cursor: big.table.query_page(BIG, attributes=names, page_size=300, cursor=cursor)
    )
    assert len(pages) == 4
    assert flat(pages) == [partial_of(big.stored[(BIG, s)], names) for s in range(BIG_SIZE)]


def test_partial_and_projection_results_are_frozen(big: BigLedger) -> None:
    partial = big.table.get(BIG, 1, attributes=["amount"])
    by_kind = big.table.query_by_kind_page(EntryKind.CREDIT, page_size=1).items[0]
    by_amount = big.table.query_by_amount_page(BIG, page_size=1).items[0]
    for item in (partial, by_kind, by_amount):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(item, "seq", 5)


def test_other_entities_read_partials_too(
    orders_table: OrdersTable, stored_orders: dict[tuple[str, str], Order]
) -> None:
    order = stored_orders[("c1", "2024-01-0001")]
    got = orders_table.get("c1", "2024-01-0001", attributes=["shipping", "lines", "total"])
    # a partial read's records are their partial classes, here holding every field
    assert order.shipping is not None
    shipping = AddressPartial(
        street=order.shipping.street, city=order.shipping.city, zip=order.shipping.zip
    )
    lines = [LineItemPartial(sku=x.sku, qty=x.qty, price=x.price) for x in order.lines]
    assert got == OrderPartial(shipping=shipping, lines=lines, total=order.total)
    partials = list(orders_table.query("c2", attributes=["order_id", "status"]))
    assert [(p.order_id, p.status) for p in partials] == [
        (o.order_id, o.status) for k, o in sorted(stored_orders.items()) if k[0] == "c2"
    ]


@pytest.mark.parametrize(
    "attributes", [["amont"], [], "amount", ["amount", "nope"], ["status"]], ids=repr
)
def test_unknown_or_empty_attributes_are_refused_before_any_request(
    big: BigLedger, sent: Sent, attributes: Any
) -> None:
    with pytest.raises(rt.ValidationError):
        big.table.get(BIG, 1, attributes=attributes)
    with pytest.raises(rt.ValidationError):
        big.table.query(BIG, attributes=attributes)
    with pytest.raises(rt.ValidationError):
        big.table.query_page(BIG, attributes=attributes)
    assert sent.names() == []


# ------------------------------------------------------------------ scans


def test_scan_reads_every_matching_item_once(big: BigLedger) -> None:
    hot = list(big.table.scan(filter=EntryAttrs.labels.contains("hot")))
    assert sorted(hot, key=lambda e: e.seq) == [big.stored[(BIG, seq)] for seq in HOT]
    assert list(big.table.scan(filter=EntryAttrs.currency == "GBP")) == []


def test_parallel_scan_with_four_segments_reads_exactly_the_table(
    big: BigLedger, sent: Sent
) -> None:
    got = list(big.table.scan(segments=4))
    assert len(got) == TABLE_SIZE
    assert set(keys_of(got)) == set(big.stored)
    assert all(e == big.stored[(e.account_id, e.seq)] for e in got)
    segments = {(p["Segment"], p["TotalSegments"]) for p in sent.params("Scan")}
    assert segments == {(0, 4), (1, 4), (2, 4), (3, 4)}


def test_parallel_scan_with_a_filter_and_small_pages(big: BigLedger, sent: Sent) -> None:
    table = via(PageCap(big.client, 200), big.table)
    usd = EntryAttrs.currency == "USD"
    got = list(table.scan(filter=usd, segments=3))
    expected = big.where(lambda e: e.currency == "USD")
    assert len(got) == len(expected) == TABLE_SIZE // 4
    assert set(keys_of(got)) == set(keys_of(expected))
    assert sent.count("Scan") >= TABLE_SIZE // 200


def test_scan_with_a_limit(big: BigLedger, sent: Sent) -> None:
    first = list(big.table.scan(limit=10))
    assert len(set(keys_of(first))) == 10
    assert [p.get("Limit") for p in sent.params("Scan")] == [10]
    capped = via(PageCap(big.client, 40), big.table)
    sent.clear()
    parallel = list(capped.scan(segments=4, limit=25))
    assert len(parallel) == 25 and len(set(keys_of(parallel))) == 25
    assert set(keys_of(parallel)) <= set(big.stored)
    assert sent.count("Scan") <= 16  # first pages, and what the bounded queue holds; not 30
    sent.clear()
    usd = list(capped.scan(filter=EntryAttrs.currency == "USD", limit=7))
    assert len(usd) == 7 and all(e.currency == "USD" for e in usd)
    assert sent.count("Scan") == 1  # 40 items read hold 10 in USD


def test_scan_page_walk_covers_the_table(big: BigLedger) -> None:
    usd = EntryAttrs.currency == "USD"
    pages = walk(lambda cursor: big.table.scan_page(filter=usd, page_size=250, cursor=cursor))
    got = flat(pages)
    assert len(got) == TABLE_SIZE // 4
    assert set(keys_of(got)) == set(keys_of(big.where(lambda e: e.currency == "USD")))
    assert len(pages) >= TABLE_SIZE // 250


def test_scan_page_segments_cover_the_table_and_do_not_overlap(big: BigLedger) -> None:
    seen: list[Key] = []
    for number in range(4):
        pages = walk(
            lambda cursor: big.table.scan_page(segment=(number, 4), page_size=150, cursor=cursor)
        )
        seen += keys_of(flat(pages))
    assert len(seen) == TABLE_SIZE and set(seen) == set(big.stored)


def test_scan_of_indexes(big: BigLedger) -> None:
    by_kind = list(big.table.scan_by_kind(segments=2))
    assert all(type(item) is EntryByKind for item in by_kind)
    assert {(i.account_id, i.seq): i for i in by_kind} == {
        k: as_by_kind(e) for k, e in big.stored.items()
    }
    assert len(by_kind) == TABLE_SIZE
    some = list(big.table.scan_by_amount(consistent_read=True, limit=50))
    assert len(some) == 50 and all(type(item) is EntryByAmount for item in some)
    assert all(item == as_by_amount(big.stored[(item.account_id, item.seq)]) for item in some)
    assert len(list(big.table.scan_by_kind(limit=3))) == 3
    refs = list(big.table.scan_by_order_ref(filter=EntryAttrs.currency == "USD", segments=2))
    assert sorted(keys_of(refs)) == sorted(
        keys_of(big.where(lambda e: e.order_ref is not None and e.currency == "USD"))
    )


def test_scan_pages_of_indexes(big: BigLedger) -> None:
    refs: list[Key] = []
    for number in range(3):
        refs += keys_of(
            flat(
                walk(
                    lambda cursor: big.table.scan_by_order_ref_page(
                        segment=(number, 3), page_size=25, cursor=cursor
                    )
                )
            )
        )
    assert sorted(refs) == sorted(keys_of(big.where(lambda e: e.order_ref is not None)))
    first = big.table.scan_by_amount_page(consistent_read=True, page_size=100)
    second = big.table.scan_by_amount_page(consistent_read=True, page_size=100, cursor=first.cursor)
    assert len(first.items) == len(second.items) == 100
    assert not set(keys_of(first.items)) & set(keys_of(second.items))
    kinds = big.table.scan_by_kind_page(page_size=30, segment=(1, 2))
    assert len(kinds.items) == 30 and kinds.cursor is not None


# ------------------------------------------------------------------ counts


def test_count_and_count_by_index_with_filters(big: BigLedger) -> None:
    assert big.table.count(BIG) == BIG_SIZE
    assert big.table.count("acc-00") == OTHER_SIZE
    assert big.table.count("nobody") == 0
    assert big.table.count(BIG, filter=EntryAttrs.labels.contains("hot")) == len(HOT)
    assert big.table.count(BIG, consistent_read=True, filter=EntryAttrs.currency == "USD") == 250
    mine = EntryAttrs.account_id == BIG
    assert big.table.count_by_kind(EntryKind.CREDIT, filter=mine) == 334
    assert big.table.count_by_amount(BIG, filter=EntryAttrs.currency == "USD") == 250


def test_counts_add_up_over_many_pages(big: BigLedger, sent: Sent) -> None:
    capped = via(PageCap(big.client, 230), big.table)
    usd = EntryAttrs.currency == "USD"
    assert capped.count(BIG) == BIG_SIZE
    assert sent.count("Query") >= 5
    assert all(p["Select"] == "COUNT" for p in sent.params("Query"))
    sent.clear()
    assert capped.count(BIG, filter=usd) == 250
    assert sent.count("Query") >= 5
    sent.clear()
    assert capped.count_by_kind(EntryKind.CREDIT, filter=EntryAttrs.account_id == BIG) == 334
    assert sent.count("Query") >= 2
    sent.clear()
    debits = EntryAttrs.kind == EntryKind.DEBIT
    assert capped.count_by_amount(BIG, filter=debits) == 333
    assert sent.count("Query") >= 5
    assert capped.count_by_order_ref("ORD-2", filter=usd) == len(
        big.where(lambda e: e.order_ref == "ORD-2" and e.currency == "USD")
    )


def test_reads_cross_dynamodbs_1mb_page_limit(
    backend: Backend, sent: Sent, request: pytest.FixtureRequest
) -> None:
    """Items of ~4 KB: one request reads at most 1 MB, so 260 of them take two pages."""
    table = LedgerTable(backend.client, table_name=unique_name("ledger-1mb"))
    table.create_table()
    request.addfinalizer(lambda: table.delete_table(wait=False))
    table.batch_put(
        dataclasses.replace(make_entry("heavy", seq), comment="x" * 4000) for seq in range(260)
    )
    sent.clear()

    assert table.count("heavy") == 260
    assert sent.count("Query") >= 2
    assert table.count("heavy", filter=EntryAttrs.currency == "USD") == 65
    sent.clear()

    first = table.query_page("heavy")
    assert 0 < len(first.items) < 260 and first.cursor is not None
    rest = walk(lambda cursor: table.query_page("heavy", cursor=cursor or first.cursor))
    assert [e.seq for e in first.items + flat(rest)] == list(range(260))
    sent.clear()

    items = table.query("heavy")
    taken = [next(items) for _ in range(len(first.items))]
    assert sent.count("Query") == 1
    taken.append(next(items))
    assert sent.count("Query") == 2
    assert [e.seq for e in taken + list(items)] == list(range(260))


# ------------------------------------------------------------------ cursors


def refused(sent: Sent, read: Callable[[], object]) -> None:
    """`read` raises InvalidCursor, and no request at all was made."""
    sent.clear()
    with pytest.raises(rt.InvalidCursor):
        read()
    assert sent.names() == []


def flip(text: str, position: int) -> str:
    replacement = "A" if text[position] != "A" else "B"
    return text[:position] + replacement + text[position + 1 :]


def test_an_altered_cursor_is_refused_before_any_request(big: BigLedger, sent: Sent) -> None:
    cursor = big.table.query_page(BIG, page_size=10).cursor
    assert cursor is not None
    body, tag = cursor.split(".")
    for position in (0, len(body) // 2, len(body) - 2, len(body) + 1 + len(tag) // 2):
        altered = flip(cursor, position)
        refused(sent, lambda: big.table.query_page(BIG, cursor=altered))
    refused(sent, lambda: big.table.query_page(BIG, cursor=f"{tag}.{body}"))
    refused(sent, lambda: big.table.query_page(BIG, cursor=cursor.upper()))


def test_every_single_character_change_of_a_cursor_is_refused(big: BigLedger) -> None:
    cursor = big.table.query_page(BIG, page_size=10).cursor
    assert cursor is not None
    alphabet = string.ascii_letters + string.digits + "-_"
    candidates = [cursor + "=", cursor + "=="]
    for position, original in enumerate(cursor):
        if original != ".":
            candidates += [
                cursor[:position] + replacement + cursor[position + 1 :]
                for replacement in alphabet
                if replacement != original
            ]
    offline = via(EmptyPages(), big.table)  # no server needed
    accepted = []
    for altered in candidates:
        try:
            offline.query_page(BIG, cursor=altered)
        except rt.InvalidCursor:
            continue
        accepted.append(altered)
    assert accepted == []


def test_a_truncated_cursor_is_refused(big: BigLedger, sent: Sent) -> None:
    cursor = big.table.query_page(BIG, page_size=10).cursor
    assert cursor is not None
    body, tag = cursor.split(".")
    for cut in (cursor[:-1], cursor[:-4], cursor[: len(cursor) // 2], body, body + ".", "." + tag):
        refused(sent, lambda: big.table.query_page(BIG, cursor=cut))


@pytest.mark.parametrize(
    "garbage",
    ["", ".", "garbage", "a.b", "!!!.???", "x" * 9000, "eyJ2IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA", 42],
    ids=lambda g: repr(g)[:20],
)
def test_a_garbage_cursor_is_refused(big: BigLedger, sent: Sent, garbage: Any) -> None:
    refused(sent, lambda: big.table.query_page(BIG, cursor=garbage))
    refused(sent, lambda: big.table.scan_page(cursor=garbage))
    refused(sent, lambda: big.table.query_by_kind_page(EntryKind.CREDIT, cursor=garbage))


def test_a_cursor_from_another_partition_is_refused(big: BigLedger, sent: Sent) -> None:
    other = big.table.query_page("acc-00", page_size=10).cursor
    assert other is not None
    refused(sent, lambda: big.table.query_page(BIG, cursor=other))
    by_kind = big.table.query_by_kind_page(EntryKind.DEBIT, page_size=10).cursor
    refused(sent, lambda: big.table.query_by_kind_page(EntryKind.CREDIT, cursor=by_kind))
    by_amount = big.table.query_by_amount_page("acc-00", page_size=10).cursor
    refused(sent, lambda: big.table.query_by_amount_page(BIG, cursor=by_amount))


def test_a_cursor_from_another_index_is_refused(big: BigLedger, sent: Sent) -> None:
    by_amount = big.table.query_by_amount_page(BIG, page_size=10).cursor
    table = big.table.query_page(BIG, page_size=10).cursor
    by_kind = big.table.query_by_kind_page(EntryKind.CREDIT, page_size=10).cursor
    by_ref = big.table.query_by_order_ref_page("ORD-0", page_size=10).cursor
    assert None not in (by_amount, table, by_kind, by_ref)
    refused(sent, lambda: big.table.query_page(BIG, cursor=by_amount))
    refused(sent, lambda: big.table.query_by_amount_page(BIG, cursor=table))
    refused(sent, lambda: big.table.query_by_kind_page(EntryKind.CREDIT, cursor=by_ref))
    refused(sent, lambda: big.table.query_by_order_ref_page("ORD-0", cursor=by_kind))
    refused(sent, lambda: big.table.scan_by_kind_page(cursor=by_kind))


def test_a_cursor_from_another_table_is_refused(big: BigLedger, sent: Sent) -> None:
    cursor = big.table.query_page(BIG, page_size=10).cursor
    scan_cursor = big.table.scan_page(page_size=10).cursor
    # The other table does not even exist: any request would fail with TableNotFound.
    other = LedgerTable(big.client, table_name=unique_name("ledger-other"))
    refused(sent, lambda: other.query_page(BIG, cursor=cursor))
    refused(sent, lambda: other.scan_page(cursor=scan_cursor))


def test_query_and_scan_cursors_do_not_mix(big: BigLedger, sent: Sent) -> None:
    query_cursor = big.table.query_page(BIG, page_size=10).cursor
    scan_cursor = big.table.scan_page(page_size=10).cursor
    segment_cursor = big.table.scan_page(segment=(0, 4), page_size=10).cursor
    assert None not in (query_cursor, scan_cursor, segment_cursor)
    refused(sent, lambda: big.table.scan_page(cursor=query_cursor))
    refused(sent, lambda: big.table.query_page(BIG, cursor=scan_cursor))
    refused(sent, lambda: big.table.scan_page(segment=(1, 4), cursor=segment_cursor))
    refused(sent, lambda: big.table.scan_page(segment=(0, 3), cursor=segment_cursor))
    refused(sent, lambda: big.table.scan_page(cursor=segment_cursor))
    refused(sent, lambda: big.table.scan_by_amount_page(cursor=scan_cursor))


def test_a_cursor_made_with_another_secret_is_refused(
    big: BigLedger, sent: Sent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYNAGEN_CURSOR_SECRET", "one secret")
    cursor = big.table.query_page(BIG, page_size=10).cursor
    assert [e.seq for e in big.table.query_page(BIG, page_size=3, cursor=cursor)] == [10, 11, 12]
    monkeypatch.setenv("DYNAGEN_CURSOR_SECRET", "another secret")
    refused(sent, lambda: big.table.query_page(BIG, cursor=cursor))


def test_cursors_are_url_safe_whatever_the_key_holds(big: BigLedger) -> None:
    odd = OTHER_ACCOUNTS[-1]
    cursors = [
        big.table.query_page(odd, page_size=3).cursor,
        big.table.query_page(odd, page_size=3, reverse=True).cursor,
        big.table.query_by_amount_page(odd, page_size=3).cursor,
        big.table.query_by_order_ref_page("ORD-4", page_size=3).cursor,  # key "order #ref"
        big.table.query_by_kind_page(EntryKind.DEBIT, page_size=3).cursor,
        big.table.scan_page(page_size=3).cursor,
        big.table.scan_page(page_size=3, segment=(2, 4)).cursor,
        big.table.scan_by_order_ref_page(page_size=3).cursor,
    ]
    for cursor in cursors:
        assert cursor is not None and URL_SAFE.match(cursor), cursor
    pages = walk(lambda cursor: big.table.query_page(odd, page_size=3, cursor=cursor))
    assert [e.seq for e in flat(pages)] == list(range(OTHER_SIZE))


# ------------------------------------------------------------------ where the engines differ


def test_a_query_filter_on_a_key_attribute_is_refused_by_dynamodb(
    big: BigLedger, request: pytest.FixtureRequest
) -> None:
    xfail_on_moto(
        request,
        big.engine,
        "moto runs a Query whose FilterExpression names a primary key attribute; DynamoDB "
        "Local (as DynamoDB) refuses it with a ValidationException",
    )
    with pytest.raises(rt.DynamoDBError) as caught:
        big.table.query_page(BIG, filter=EntryAttrs.seq >= 10, page_size=5)
    assert caught.value.code == "ValidationException"
    with pytest.raises(rt.DynamoDBError):
        big.table.count_by_kind(EntryKind.CREDIT, filter=EntryAttrs.booked_on >= DAY0)


def test_a_parallel_scan_raises_a_segments_failure_instead_of_hanging(backend: Backend) -> None:
    missing = LedgerTable(backend.client, table_name=unique_name("ledger-missing"))
    with pytest.raises(rt.TableNotFound):
        list(missing.scan(segments=4))
    with pytest.raises(rt.TableNotFound):
        missing.query_page(BIG)


# ------------------------------------------------------------------ typing of pages


def test_iterating_a_page_keeps_the_item_type() -> None:
    returned = typing.get_type_hints(rt.Page.__iter__)["return"]
    assert typing.get_origin(returned) is collections.abc.Iterator
    assert typing.get_args(returned) == typing.get_args(typing.get_type_hints(rt.Page)["items"])
