"""A cursor resumes exactly the read that made it, on moto and on DynamoDB Local.

The read is everything that shapes its result sequence: table, index, partition, sort
condition, order, filter, projection, and for scans the segment. A cursor handed to any other
read (one of these changed) raises `InvalidCursor` before a single request is sent: otherwise
DynamoDB would re-read or skip items silently, or refuse the start key with a
ValidationException. What only changes how a page is fetched (page size, consistent_read)
does not change the read, and the cursor resumes it.

Requests are counted with a botocore hook (`before-parameter-build`, which fires for every
call before anything is sent).
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from decimal import Decimal
from typing import Any, Callable, Iterator, Protocol

import pytest

from dynagen import runtime as rt
from dynagen.runtime import Sort
from generated_example.ledger import Entry, EntryAttrs, EntryKind, LedgerTable
from tests.helpers import unique_name

A = "acc-a"
B = "acc-b"
SIZE = 12  # entries per account, seq 0..11
KINDS = (EntryKind.CREDIT, EntryKind.DEBIT, EntryKind.ADJUSTMENT)
DAY0 = datetime.date(2024, 1, 1)


def make_entry(account_id: str, seq: int) -> Entry:
    return Entry(
        account_id=account_id,
        seq=seq,
        kind=KINDS[seq % 3],
        amount=Decimal(seq * 7 % 13) + Decimal("0.5"),
        booked_on=DAY0 + datetime.timedelta(days=seq),
        currency="USD" if seq % 2 == 0 else "EUR",
        order_ref=f"ORD-{seq % 2}" if seq % 3 == 0 else None,
    )


class Sent:
    """The operations a client is asked to send, in order."""

    EVENT = "before-parameter-build.dynamodb"

    def __init__(self, client: Any) -> None:
        self.client = client
        self.names: list[str] = []
        self._id = f"sent-{uuid.uuid4().hex}"
        client.meta.events.register(self.EVENT, self._record, unique_id=self._id)

    def _record(self, model: Any, **_: Any) -> None:
        self.names.append(model.name)

    def close(self) -> None:
        self.client.meta.events.unregister(self.EVENT, unique_id=self._id)


@dataclasses.dataclass
class Shelf:
    engine: str
    client: Any
    table: LedgerTable


@pytest.fixture(scope="module", params=["moto", "local"])
def shelf(request: pytest.FixtureRequest) -> Iterator[Shelf]:
    """One small ledger per engine for the module: two accounts of 12 entries."""
    engine = str(request.param)
    endpoint = request.getfixturevalue("moto_endpoint" if engine == "moto" else "local_endpoint")
    client = rt.make_client(endpoint_url=endpoint, region_name="us-east-1")
    table = LedgerTable(client, table_name=unique_name("ledger-cursors"))
    table.create_table()
    table.batch_put(make_entry(account, seq) for account in (A, B) for seq in range(SIZE))
    yield Shelf(engine, client, table)
    table.delete_table(wait=False)


@pytest.fixture
def sent(shelf: Shelf) -> Iterator[Sent]:
    recorder = Sent(shelf.client)
    yield recorder
    recorder.close()


class Make(Protocol):
    """A read's page: the first one, or the one after `c`."""

    def __call__(self, t: LedgerTable, c: str | None = None) -> rt.Page[Any]: ...


Resume = Callable[[LedgerTable, str], "rt.Page[Any]"]

USD = EntryAttrs.currency == "USD"
EUR = EntryAttrs.currency == "EUR"
LATE = EntryAttrs.seq >= 4  # keys only (by_kind) project it

# (name, the read that makes the cursor, another read that is handed it)
OTHER_READS: list[tuple[str, Make, Resume]] = [
    # order
    (
        "reversed query -> forward query",
        lambda t, c=None: t.query_page(A, reverse=True, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, cursor=c),
    ),
    (
        "forward query -> reversed query",
        lambda t, c=None: t.query_page(A, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, reverse=True, cursor=c),
    ),
    # sort condition
    (
        "one sort condition -> another",
        lambda t, c=None: t.query_page(A, sort=Sort.gt(2), page_size=3, cursor=c),
        lambda t, c: t.query_page(A, sort=Sort.lt(10), cursor=c),
    ),
    (
        "a sort condition -> the same operator, another value",
        lambda t, c=None: t.query_page(A, sort=Sort.ge(2), page_size=3, cursor=c),
        lambda t, c: t.query_page(A, sort=Sort.ge(3), cursor=c),
    ),
    (
        "a sort condition -> none",
        lambda t, c=None: t.query_page(A, sort=Sort.between(2, 9), page_size=3, cursor=c),
        lambda t, c: t.query_page(A, cursor=c),
    ),
    (
        "no sort condition -> one",
        lambda t, c=None: t.query_page(A, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, sort=Sort.ge(1), cursor=c),
    ),
    # filter
    (
        "one filter -> another",
        lambda t, c=None: t.query_page(A, filter=USD, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, filter=EUR, cursor=c),
    ),
    (
        "a filtered query -> the unfiltered one",
        lambda t, c=None: t.query_page(A, filter=USD, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, cursor=c),
    ),
    (
        "an unfiltered query -> a filtered one",
        lambda t, c=None: t.query_page(A, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, filter=USD, cursor=c),
    ),
    # projection
    (
        "attributes=[...] -> a full read",
        lambda t, c=None: t.query_page(A, attributes=["seq"], page_size=3, cursor=c),
        lambda t, c: t.query_page(A, cursor=c),
    ),
    (
        "a full read -> attributes=[...]",
        lambda t, c=None: t.query_page(A, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, attributes=["seq"], cursor=c),
    ),
    (
        "attributes=[...] -> other attributes",
        lambda t, c=None: t.query_page(A, attributes=["seq"], page_size=3, cursor=c),
        lambda t, c: t.query_page(A, attributes=["seq", "amount"], cursor=c),
    ),
    # index
    (
        "an index query -> the table's query",
        lambda t, c=None: t.query_by_amount_page(A, page_size=3, cursor=c),
        lambda t, c: t.query_page(A, cursor=c),
    ),
    (
        "the table's query -> an index query",
        lambda t, c=None: t.query_page(A, page_size=3, cursor=c),
        lambda t, c: t.query_by_amount_page(A, cursor=c),
    ),
    (
        "one index's query -> another index's",
        lambda t, c=None: t.query_by_kind_page(EntryKind.CREDIT, page_size=2, cursor=c),
        lambda t, c: t.query_by_order_ref_page("ORD-0", cursor=c),
    ),
    (
        "a reversed index query -> the forward one",
        lambda t, c=None: t.query_by_amount_page(A, reverse=True, page_size=3, cursor=c),
        lambda t, c: t.query_by_amount_page(A, cursor=c),
    ),
    (
        "an index query with a sort condition -> another one",
        lambda t, c=None: t.query_by_amount_page(
            A, sort=Sort.gt(Decimal("1")), page_size=3, cursor=c
        ),
        lambda t, c: t.query_by_amount_page(A, sort=Sort.gt(Decimal("2")), cursor=c),
    ),
    (
        "a filtered index query -> the unfiltered one",
        lambda t, c=None: t.query_by_kind_page(
            EntryKind.CREDIT, filter=LATE, page_size=2, cursor=c
        ),
        lambda t, c: t.query_by_kind_page(EntryKind.CREDIT, cursor=c),
    ),
    (
        "an index query with attributes=[...] -> a full one",
        lambda t, c=None: t.query_by_amount_page(A, attributes=["amount"], page_size=3, cursor=c),
        lambda t, c: t.query_by_amount_page(A, cursor=c),
    ),
    # scans
    (
        "a filtered scan -> the unfiltered one",
        lambda t, c=None: t.scan_page(filter=USD, page_size=3, cursor=c),
        lambda t, c: t.scan_page(cursor=c),
    ),
    (
        "an unfiltered scan -> a filtered one",
        lambda t, c=None: t.scan_page(page_size=3, cursor=c),
        lambda t, c: t.scan_page(filter=USD, cursor=c),
    ),
    (
        "a scan with one filter -> another",
        lambda t, c=None: t.scan_page(filter=USD, page_size=3, cursor=c),
        lambda t, c: t.scan_page(filter=EUR, cursor=c),
    ),
    (
        "an index scan -> the table's scan",
        lambda t, c=None: t.scan_by_amount_page(page_size=3, cursor=c),
        lambda t, c: t.scan_page(cursor=c),
    ),
    (
        "a filtered index scan -> another filter",
        lambda t, c=None: t.scan_by_amount_page(filter=USD, page_size=3, cursor=c),
        lambda t, c: t.scan_by_amount_page(filter=EUR, cursor=c),
    ),
]


def segment_with_a_cursor(table: LedgerTable, total: int) -> tuple[int, rt.Page[Entry]]:
    """A segment of `total` that is not empty, and its first page of one item (with a cursor)."""
    for number in range(total):
        first = table.scan_page(segment=(number, total), page_size=1)
        if first.cursor is not None:
            return number, first
    raise AssertionError(f"all {total} segments are empty")


def refused(sent: Sent, read: Callable[[], object]) -> None:
    """`read` raises InvalidCursor, and no request at all was made."""
    sent.names.clear()
    with pytest.raises(rt.InvalidCursor):
        read()
    assert sent.names == []


@pytest.mark.parametrize(
    "make, resume", [case[1:] for case in OTHER_READS], ids=[case[0] for case in OTHER_READS]
)
def test_a_cursor_given_to_another_read_is_refused_before_any_request(
    shelf: Shelf, sent: Sent, make: Make, resume: Resume
) -> None:
    cursor = make(shelf.table).cursor
    assert cursor is not None
    refused(sent, lambda: resume(shelf.table, cursor))


def test_a_scan_segment_cursor_is_refused_by_every_other_segment_and_by_the_whole_scan(
    shelf: Shelf, sent: Sent
) -> None:
    table = shelf.table
    number, first = segment_with_a_cursor(table, 2)
    cursor = first.cursor
    assert cursor is not None
    refused(sent, lambda: table.scan_page(segment=(1 - number, 2), cursor=cursor))
    refused(sent, lambda: table.scan_page(segment=(number, 3), cursor=cursor))
    refused(sent, lambda: table.scan_page(cursor=cursor))
    refused(sent, lambda: table.scan_page(segment=(number, 2), filter=USD, cursor=cursor))
    refused(sent, lambda: table.scan_by_amount_page(segment=(number, 2), cursor=cursor))
    whole = table.scan_page(page_size=1).cursor
    assert whole is not None
    refused(sent, lambda: table.scan_page(segment=(number, 2), cursor=whole))
    # and the segment it came from takes it, and goes on after the first page
    segment = walk(lambda c: table.scan_page(segment=(number, 2), page_size=1, cursor=c))
    rest = walk(lambda c: table.scan_page(segment=(number, 2), page_size=1, cursor=c or cursor))
    assert first.items + rest == segment


@pytest.mark.parametrize(
    "make", [case[1] for case in OTHER_READS], ids=[case[0] for case in OTHER_READS]
)
def test_the_read_that_made_a_cursor_resumes_after_its_last_item(shelf: Shelf, make: Make) -> None:
    """The control for the refusals above: each cursor is good for the read that made it, built
    again from scratch by another table object, and it resumes after its page's last item."""
    first = make(shelf.table)
    assert first.cursor is not None
    whole = walk(lambda c: make(shelf.table, c))
    again = LedgerTable(shelf.client, table_name=shelf.table.table_name)
    rest = walk(lambda c: make(again, c or first.cursor))
    assert first.items + rest == whole


def walk(read: Callable[[str | None], rt.Page[Any]]) -> list[Any]:
    items: list[Any] = []
    cursor: str | None = None
    for _ in range(100):
        page = read(cursor)
        items += page.items
        if page.cursor is None:
            return items
        cursor = page.cursor
    raise AssertionError("the cursor walk does not end")


def test_page_size_and_consistent_read_do_not_change_the_read(shelf: Shelf) -> None:
    """A cursor from an eventually consistent page resumes with consistent_read=True (and back),
    and with another page size: neither changes which items the read holds, nor their order."""
    table = shelf.table
    reads: dict[str, Callable[[int, str | None], rt.Page[Any]]] = {
        "query": lambda step, c: table.query_page(
            A, filter=USD, page_size=1 + step % 3, consistent_read=step % 2 == 1, cursor=c
        ),
        "local index": lambda step, c: table.query_by_amount_page(
            A, page_size=2 + step % 2, consistent_read=step % 2 == 0, cursor=c
        ),
        "scan": lambda step, c: table.scan_page(
            page_size=5 - step % 2, consistent_read=step % 2 == 1, cursor=c
        ),
    }
    expected = {"query": SIZE // 2, "local index": SIZE, "scan": 2 * SIZE}
    for name, read in reads.items():
        keys: list[tuple[str, int]] = []
        cursor: str | None = None
        for step in range(100):
            page = read(step, cursor)
            keys += [(e.account_id, e.seq) for e in page.items]
            if page.cursor is None:
                break
            cursor = page.cursor
        assert len(keys) == len(set(keys)) == expected[name], name


def test_attributes_in_another_order_or_repeated_are_the_same_read(shelf: Shelf) -> None:
    """`attributes=` names a set of attributes: its order and repeats change nothing DynamoDB
    returns, so they do not change the read either."""
    table = shelf.table
    first = table.query_page(A, attributes=["seq", "amount", "kind"], page_size=4)
    assert first.cursor is not None
    rest = walk(
        lambda c: table.query_page(
            A, attributes=("kind", "amount", "seq", "kind"), page_size=4, cursor=c or first.cursor
        )
    )
    assert [e.seq for e in first.items + rest] == list(range(SIZE))
    by_set = table.query_page(A, attributes={"amount", "seq"}, page_size=4)
    assert by_set.cursor is not None
    again = table.query_page(A, attributes=["seq", "amount"], cursor=by_set.cursor)
    assert [e.seq for e in again.items] == list(range(4, SIZE))


def test_a_filter_built_again_is_the_same_read(shelf: Shelf) -> None:
    table = shelf.table

    def usd_credits() -> rt.Condition[Entry]:
        return (EntryAttrs.currency == "USD") & (EntryAttrs.kind == EntryKind.CREDIT)

    seqs = [
        e.seq
        for e in walk(lambda c: table.query_page(A, filter=usd_credits(), page_size=2, cursor=c))
    ]
    assert seqs == [s for s in range(SIZE) if s % 2 == 0 and s % 3 == 0]


def test_another_partition_of_the_same_shape_is_still_refused(shelf: Shelf, sent: Sent) -> None:
    table = shelf.table
    cursor = table.query_page(A, sort=Sort.gt(2), filter=USD, page_size=2).cursor
    assert cursor is not None
    refused(sent, lambda: table.query_page(B, sort=Sort.gt(2), filter=USD, cursor=cursor))
    other = LedgerTable(shelf.client, table_name=unique_name("ledger-never-created"))
    refused(sent, lambda: other.query_page(A, sort=Sort.gt(2), filter=USD, cursor=cursor))
