"""Servers that never advance, answers that name the wrong items, and the time a call may take.

On moto and DynamoDB Local, through wrappers around the real client (as test_lost_replies.py
does): `Pages` forces small pages and rewrites each Query/Scan answer's LastEvaluatedKey as a
test says; `BatchAnswers` spoils BatchGetItem answers; a client that always times out, with a
fake clock, shows the retry policy's deadline.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Callable, Iterator

import pytest
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError

from dynagen import runtime as rt
from generated_example.orders import LineItem, Order, OrdersTable, OrderStatus

UTC = datetime.timezone.utc
QUICK = rt.RetryPolicy(max_attempts=3, base_delay=0)
Rewrite = Callable[[dict[str, Any], dict[str, Any], int], None]


def order(n: int, customer_id: str = "c1") -> Order:
    return Order(
        customer_id=customer_id,
        order_id=f"o{n:03d}",
        status=OrderStatus.PAID,
        total=Decimal(n),
        placed_at=datetime.datetime(2024, 5, 1, tzinfo=UTC) + datetime.timedelta(minutes=n),
        lines=[LineItem(sku="s", qty=1, price=Decimal(1))],
    )


class Pages:
    """Query and Scan in pages of `limit`; `rewrite(request, response, page_number)` may lie."""

    def __init__(self, client: Any, limit: int, rewrite: Rewrite | None = None) -> None:
        self._client = client
        self.limit = limit
        self.rewrite = rewrite
        self.pages = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _paged(self, method: str, request: dict[str, Any]) -> Any:
        request = {**request, "Limit": min(request.get("Limit", self.limit), self.limit)}
        response = getattr(self._client, method)(**request)
        self.pages += 1
        if self.pages > 100:  # a read that does not notice would loop forever: end the test
            raise AssertionError("100 pages and still paging: the read does not stop")
        if self.rewrite is not None:
            self.rewrite(request, response, self.pages)
        return response

    def query(self, **request: Any) -> Any:
        return self._paged("query", request)

    def scan(self, **request: Any) -> Any:
        return self._paged("scan", request)


def repeat_start(request: dict[str, Any], response: dict[str, Any], page: int) -> None:
    """A server that never advances: the position it hands back is the one it was given."""
    if "ExclusiveStartKey" in request:
        response["LastEvaluatedKey"] = request["ExclusiveStartKey"]


@pytest.fixture
def stocked(orders: OrdersTable) -> tuple[OrdersTable, list[Order]]:
    """Twelve orders of customer c1 and four of others: (the table, c1's orders as stored)."""
    stored = orders.batch_put([order(n) for n in range(12)])
    orders.batch_put([order(n, customer_id=f"other{n}") for n in range(4)])
    return orders, stored


def paged(
    table: OrdersTable, limit: int, rewrite: Rewrite | None = None
) -> tuple[OrdersTable, Pages]:
    client = Pages(table.client, limit, rewrite)
    return OrdersTable(client, table_name=table.table_name, retry=QUICK), client


# ------------------------------------------------------------------ a LastEvaluatedKey that repeats


@pytest.mark.parametrize("read", ["query", "count", "scan", "scan2", "page"])
def test_a_server_that_hands_back_the_start_key_stalls_every_read(
    stocked: tuple[OrdersTable, list[Order]], read: str
) -> None:
    orders, _ = stocked
    table, client = paged(orders, 5, repeat_start)
    calls: dict[str, Callable[[], Any]] = {
        "query": lambda: list(table.query("c1", consistent_read=True)),
        "count": lambda: table.count("c1", consistent_read=True),
        "scan": lambda: list(table.scan(consistent_read=True)),
        "scan2": lambda: list(table.scan(segments=2, consistent_read=True)),
    }
    if read == "page":
        first = OrdersTable(orders.client, table_name=orders.table_name).query_page(
            "c1", page_size=5
        )
        assert first.cursor is not None
        calls["page"] = lambda: table.query_page("c1", cursor=first.cursor, page_size=5)
    with pytest.raises(rt.PagingStalled) as caught:
        calls[read]()
    error = caught.value
    assert error.operation == ("Scan" if read.startswith("scan") else "Query")
    assert error.table == orders.table_name and error.code == "PagingStalled"
    assert set(error.key) == {"customer_id", "order_id"}
    assert client.pages <= (4 if read == "scan2" else 2)  # stopped at the first repeat


def test_a_position_that_comes_back_later_is_caught_too(
    stocked: tuple[OrdersTable, list[Order]],
) -> None:
    """Pages 1, 2, then page 1's position again: a cycle, not only a standstill."""
    orders, stored = stocked
    honest, _ = paged(orders, 5)
    assert list(honest.query("c1", consistent_read=True)) == stored  # small pages, all there
    positions: list[Any] = []

    def cycle(request: dict[str, Any], response: dict[str, Any], page: int) -> None:
        positions.append(response.get("LastEvaluatedKey"))
        if page == 3:
            response["LastEvaluatedKey"] = positions[0]

    table, client = paged(orders, 4, cycle)
    read: list[Order] = []
    with pytest.raises(rt.PagingStalled) as caught:
        for item in table.query("c1", consistent_read=True):
            read.append(item)
    assert read == stored[:8]  # pages 1 and 2 handed out, page 3 refused before its items
    assert caught.value.key == positions[0] and client.pages == 3


# ------------------------------------------------------------------ batch_get answers naming the wrong items


class BatchAnswers:
    """BatchGetItem answers spoiled by `spoil(items)` for the first `times` calls."""

    def __init__(self, client: Any, spoil: Callable[[list[Any]], None], times: int) -> None:
        self._client = client
        self.spoil = spoil
        self.times = times
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def batch_get_item(self, **request: Any) -> Any:
        response = self._client.batch_get_item(**request)
        self.calls += 1
        if self.calls <= self.times:
            for items in response["Responses"].values():
                self.spoil(items)
        return response


def drop_key(items: list[Any]) -> None:
    del items[0]["order_id"]


def rename_key(items: list[Any]) -> None:
    items[0]["order_id"] = {"S": "never-asked-for"}


@pytest.mark.parametrize("spoil", [drop_key, rename_key], ids=["keyless", "unasked"])
def test_a_batch_get_answer_with_an_item_under_no_asked_key_is_asked_again(
    stocked: tuple[OrdersTable, list[Order]], spoil: Callable[[list[Any]], None]
) -> None:
    orders, stored = stocked
    keys = [(o.customer_id, o.order_id) for o in stored]
    once = BatchAnswers(orders.client, spoil, times=1)
    table = OrdersTable(once, table_name=orders.table_name, retry=QUICK)
    assert table.batch_get(keys, consistent_read=True) == stored
    assert once.calls == 2

    always = BatchAnswers(orders.client, spoil, times=1000)
    table = OrdersTable(always, table_name=orders.table_name, retry=QUICK)
    with pytest.raises(rt.UnprocessedItems) as caught:
        table.batch_get(keys, consistent_read=True)
    assert caught.value.done == 0 and len(caught.value.remaining) == len(keys)
    assert always.calls == QUICK.max_attempts


# ------------------------------------------------------------------ the deadline and the timeouts


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class TimesOut:
    """Every request takes `seconds` of the fake clock, then times out; `starts` are the times."""

    def __init__(self, client: Any, clock: FakeClock, seconds: float) -> None:
        self._client = client
        self.clock = clock
        self.seconds = seconds
        self.starts: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _time_out(self, **request: Any) -> Any:
        self.starts.append(self.clock.now)
        self.clock.now += self.seconds
        raise ReadTimeoutError(endpoint_url="http://silent")

    get_item = put_item = query = batch_get_item = _time_out


def policy(clock: FakeClock, deadline: float | None, **changes: Any) -> rt.RetryPolicy:
    settings: dict[str, Any] = dict(
        max_attempts=100,
        base_delay=10.0,
        max_delay=10.0,
        random=lambda: 1.0,
        deadline=deadline,
        clock=clock.time,
        sleep=clock.sleep,
    )
    settings.update(changes)
    return rt.RetryPolicy(**settings)


@pytest.mark.parametrize(
    "seconds, deadline, starts, sleeps",
    [
        (7.0, 20.0, [0.0, 17.0], [10.0]),  # the third would start at 34
        (1.0, 15.0, [0.0, 11.0], [10.0]),  # a retry at 22 would start past 15: none
        (1.0, 30.0, [0.0, 11.0, 22.0], [10.0, 10.0]),
    ],
)
def test_no_attempt_starts_after_the_deadline(
    orders: OrdersTable, seconds: float, deadline: float, starts: list[float], sleeps: list[float]
) -> None:
    clock = FakeClock()
    client = TimesOut(orders.client, clock, seconds)
    table = OrdersTable(client, table_name=orders.table_name, retry=policy(clock, deadline))
    with pytest.raises(rt.RetriesExhausted) as caught:
        table.get("c1", "o1")
    assert client.starts == starts and clock.sleeps == sleeps
    assert caught.value.attempts == len(starts)
    assert isinstance(caught.value.last_error, ReadTimeoutError)
    assert caught.value.deadline_reached  # the deadline, not max_attempts=100, ended it
    assert f"(stopped by the {deadline:g} s deadline)" in str(caught.value)
    assert all(start < deadline for start in client.starts)


def test_the_deadline_bounds_every_kind_of_call_and_none_means_attempts_only(
    orders: OrdersTable,
) -> None:
    clock = FakeClock()
    client = TimesOut(orders.client, clock, 5.0)
    table = OrdersTable(client, table_name=orders.table_name, retry=policy(clock, 60.0))
    calls: list[Callable[[], Any]] = [
        lambda: table.create(order(1)),
        lambda: list(table.query("c1")),
        lambda: table.batch_get([("c1", "o001")]),
    ]
    for call in calls:
        clock.now, client.starts = 0.0, []
        with pytest.raises((rt.RetriesExhausted, rt.UnprocessedItems, rt.OutcomeUnknown)):
            call()  # a create whose answers never came: OutcomeUnknown
        # 60 s: four attempts, not a hundred (a create's OutcomeUnknown then reads the item
        # for the error, under a budget of its own)
        assert client.starts[:4] == [0.0, 15.0, 30.0, 45.0]
    clock.now, client.starts = 0.0, []
    table = OrdersTable(
        client, table_name=orders.table_name, retry=policy(clock, None, max_attempts=7)
    )
    with pytest.raises(rt.RetriesExhausted) as caught:
        table.get("c1", "o1")
    assert caught.value.attempts == 7 and clock.now == 7 * 5.0 + 6 * 10.0
    assert not caught.value.deadline_reached and "deadline" not in str(caught.value)


def test_the_defaults_bound_a_silent_server(client: Any) -> None:
    """A client from make_client waits 5 s to connect and 20 s for an answer (botocore: 60 s
    each), and a call gives up after 60 s; `config=` and `RetryPolicy(deadline=)` change them."""
    assert (client.meta.config.connect_timeout, client.meta.config.read_timeout) == (5.0, 20.0)
    assert rt.RetryPolicy().deadline == 60.0 and rt.RetryPolicy(deadline=None).deadline is None
    mine = rt.make_client(endpoint_url=client.meta.endpoint_url, config=Config(read_timeout=3))
    assert (mine.meta.config.connect_timeout, mine.meta.config.read_timeout) == (5.0, 3)
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError):
            rt.RetryPolicy(deadline=bad)
