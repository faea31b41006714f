"""dynagen.runtime.batch: batch_get, batch_put and batch_delete in DynamoDB's chunks, one budget per chunk.

Behaviour on moto in process; chunk sizes and the retry budget with stand-in clients that count
every request (one that never processes anything shows the budget is shared by re-sends and
transport retries).
"""

from __future__ import annotations

import socket
import threading
import zlib
from typing import Any, Callable

import pytest

from dynagen import runtime as rt
from dynagen.runtime.client import direct_transport
from dynagen.runtime.batch import GET_CHUNK, WRITE_CHUNK, batch_delete, batch_get, batch_put
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.items import get_item, put_item
from tests.runtime.test_connections import Server, read_request, serve  # noqa: F401 (fixture)
from tests.runtime.support import (
    PLAIN,
    THING,
    ScriptedClient,
    client_error,
    endpoint_for,
    key,
    no_wait,
    thing,
    throttled,
)


def keys(n: int, pk: str = "a") -> list[dict[str, Any]]:
    return [key(pk, f"s{i:03d}") for i in range(n)]


def nothing_processed_write(request: dict[str, Any]) -> dict[str, Any]:
    return {"UnprocessedItems": request["RequestItems"]}


def nothing_processed_get(request: dict[str, Any]) -> dict[str, Any]:
    return {"Responses": {"things": []}, "UnprocessedKeys": request["RequestItems"]}


def write_sizes(client: ScriptedClient) -> list[int]:
    return [len(r["RequestItems"]["things"]) for r in client.sent("batch_write_item")]


def get_sizes(client: ScriptedClient) -> list[int]:
    return [len(r["RequestItems"]["things"]["Keys"]) for r in client.sent("batch_get_item")]


# ------------------------------------------------------------------ on moto


def test_batch_put_stamps_like_put_and_returns_what_is_stored(things: Endpoint) -> None:
    stored = batch_put(things, THING, [thing("a", f"s{i}", ver={"N": "4"}) for i in range(30)])
    assert len(stored) == 30
    for item in stored:
        assert item["ver"] == {"N": "5"} and item["created"] == item["updated"]
        assert get_item(things, THING, THING.key_of(item), consistent_read=True) == item


def test_batch_get_in_the_order_first_given_without_duplicates_or_missing_keys(
    things: Endpoint,
) -> None:
    batch_put(things, PLAIN, [thing("a", f"s{i:03d}") for i in range(120)])
    wanted = [key("a", "s119"), key("zz"), key("a", "s000"), key("a", "s119"), *keys(110)]
    got = batch_get(things, PLAIN, wanted, PLAIN.decode, consistent_read=True)
    assert [i["sk"]["S"] for i in got] == ["s119", "s000", *[f"s{i:03d}" for i in range(1, 110)]]


def test_batch_delete(things: Endpoint) -> None:
    batch_put(things, PLAIN, [thing("a", f"s{i:03d}") for i in range(40)])
    batch_delete(things, PLAIN, keys(30))
    assert [i["sk"]["S"] for i in batch_get(things, PLAIN, keys(40), PLAIN.decode)] == [
        f"s{i:03d}" for i in range(30, 40)
    ]


def test_writes_to_one_key_are_merged_and_the_last_wins(things: Endpoint) -> None:
    put_item(things, PLAIN, thing("a", "gone"))
    batch_put(
        things, PLAIN, [thing("a", "k", nm={"S": "first"}), thing("a", "k", nm={"S": "last"})]
    )
    assert get_item(things, PLAIN, key("a", "k")) == thing("a", "k", nm={"S": "last"})


def test_concurrent_chunks_give_the_same_result(things: Endpoint) -> None:
    batch_put(things, PLAIN, [thing("a", f"s{i:03d}") for i in range(80)], concurrency=3)
    got = batch_get(things, PLAIN, keys(80), PLAIN.decode, concurrency=4)
    assert [i["sk"]["S"] for i in got] == [f"s{i:03d}" for i in range(80)]


# ------------------------------------------------------------------ chunks


def test_writes_go_in_chunks_of_25() -> None:
    client = ScriptedClient(batch_write_item={})
    batch_put(endpoint_for(client), PLAIN, [thing("a", f"s{i:03d}") for i in range(60)])
    assert WRITE_CHUNK == 25 and write_sizes(client) == [25, 25, 10]
    batch_delete(endpoint_for(client), PLAIN, keys(25))
    assert write_sizes(client)[3:] == [25]


def test_reads_go_in_chunks_of_100() -> None:
    client = ScriptedClient(batch_get_item={"Responses": {"things": []}})
    assert batch_get(endpoint_for(client), PLAIN, keys(250), PLAIN.decode) == []
    assert GET_CHUNK == 100 and get_sizes(client) == [100, 100, 50]
    assert all(r["RequestItems"]["things"]["ConsistentRead"] is False for r in client.sent())


def test_the_exact_write_request() -> None:
    client = ScriptedClient(batch_write_item={})
    batch_delete(endpoint_for(client), PLAIN, [key("a"), key("b")])
    assert client.sent() == [
        {
            "RequestItems": {
                "things": [
                    {"DeleteRequest": {"Key": key("a")}},
                    {"DeleteRequest": {"Key": key("b")}},
                ]
            }
        }
    ]


def test_keys_equal_to_dynamodb_are_one_key() -> None:
    """1, 1.0 and 1E0 name one item: sent once, matched back once."""
    client = ScriptedClient(
        batch_get_item={"Responses": {"things": [{"pk": {"S": "a"}, "sk": {"N": "1"}}]}}
    )
    numeric: list[Any] = [{"pk": {"S": "a"}, "sk": {"N": text}} for text in ("1", "1.0", "1E0")]
    got = batch_get(endpoint_for(client), PLAIN, numeric, PLAIN.decode)
    assert get_sizes(client) == [1] and len(got) == 1


def test_empty_input_sends_nothing() -> None:
    client: Any = ScriptedClient()
    assert batch_get(endpoint_for(client), PLAIN, [], PLAIN.decode) == []
    assert batch_put(endpoint_for(client), PLAIN, []) == []
    batch_delete(endpoint_for(client), PLAIN, iter([]))


@pytest.mark.parametrize("call", ["get", "put", "delete"])
def test_a_lone_string_and_bad_concurrency_are_refused_before_any_request(call: str) -> None:
    client: Any = ScriptedClient()
    endpoint = endpoint_for(client)
    functions: dict[str, Any] = {
        "get": lambda *args, **options: batch_get(*args[:3], PLAIN.decode, **options),
        "put": batch_put,
        "delete": batch_delete,
    }
    with pytest.raises(rt.ValidationError, match="must be an iterable"):
        functions[call](endpoint, PLAIN, "abc")
    with pytest.raises(rt.ValidationError, match="concurrency"):
        functions[call](endpoint, PLAIN, [key("a")], concurrency=0)


def test_an_item_over_400_kb_is_refused_before_any_request() -> None:
    client: Any = ScriptedClient()
    big = [thing("a", "s0"), thing("a", "s1", nm={"S": "x" * 410_000})]
    with pytest.raises(rt.ValidationError, match="400 KB"):
        batch_put(endpoint_for(client), PLAIN, big)


# ------------------------------------------------------------------ unprocessed items and the budget


@pytest.mark.parametrize("max_attempts", [1, 2, 5])
def test_a_chunk_never_processed_sends_at_most_max_attempts_requests(max_attempts: int) -> None:
    client = ScriptedClient(batch_write_item=nothing_processed_write)
    sleeps: list[float] = []
    policy = rt.RetryPolicy(max_attempts=max_attempts, sleep=sleeps.append)
    items = [thing("a", f"s{i:03d}") for i in range(30)]  # two chunks: 25 and 5
    with pytest.raises(rt.UnprocessedItems) as caught:
        batch_put(Endpoint(client, "things", policy), PLAIN, items)  # type: ignore[arg-type]
    assert write_sizes(client) == [25] * max_attempts + [5] * max_attempts
    assert len(sleeps) == 2 * (max_attempts - 1)  # backoff before every re-send, per chunk
    assert caught.value.done == 0 and len(caught.value.remaining) == 30
    assert f"30 of 30 requests still unprocessed after {max_attempts} attempts" in str(caught.value)


@pytest.mark.parametrize("max_attempts", [1, 3])
def test_a_get_chunk_never_processed_sends_at_most_max_attempts_requests(max_attempts: int) -> None:
    client = ScriptedClient(batch_get_item=nothing_processed_get)
    with pytest.raises(rt.UnprocessedItems) as caught:
        batch_get(endpoint_for(client, no_wait(max_attempts)), PLAIN, keys(150), PLAIN.decode)
    assert get_sizes(client) == [100] * max_attempts + [50] * max_attempts
    assert caught.value.done == 0 and caught.value.remaining == keys(150)


def test_transport_retries_and_re_sends_draw_on_the_same_budget() -> None:
    """Throttled, then unprocessed, then throttled: three requests of a budget of three, then stop."""
    client = ScriptedClient(
        batch_write_item=[throttled(), nothing_processed_write, throttled(), {}]
    )
    with pytest.raises(rt.UnprocessedItems) as caught:
        batch_delete(endpoint_for(client, no_wait(3)), PLAIN, keys(3))
    assert len(client.sent()) == 3
    assert len(caught.value.remaining) == 3


def test_only_what_was_left_unprocessed_is_sent_again() -> None:
    def half(request: dict[str, Any]) -> dict[str, Any]:
        pending = request["RequestItems"]["things"]
        return {"UnprocessedItems": {"things": pending[len(pending) // 2 :]}}

    client = ScriptedClient(batch_write_item=[half, half, {}])
    batch_delete(endpoint_for(client, no_wait(5)), PLAIN, keys(8))
    assert write_sizes(client) == [8, 4, 2]
    assert client.sent()[1]["RequestItems"]["things"][0] == {"DeleteRequest": {"Key": keys(8)[4]}}


def test_unprocessed_keys_are_read_again_and_the_found_items_kept() -> None:
    def some(request: dict[str, Any]) -> dict[str, Any]:
        pending = request["RequestItems"]["things"]["Keys"]
        return {
            "Responses": {"things": pending[:1]},
            "UnprocessedKeys": (
                {"things": {"Keys": pending[1:], "ConsistentRead": True}} if pending[1:] else {}
            ),
        }

    client = ScriptedClient(batch_get_item=some)
    got = batch_get(
        endpoint_for(client, no_wait(5)), PLAIN, keys(3), PLAIN.decode, consistent_read=True
    )
    assert got == keys(3) and get_sizes(client) == [3, 2, 1]
    assert all(r["RequestItems"]["things"]["ConsistentRead"] is True for r in client.sent())


def test_done_counts_what_the_other_chunks_wrote() -> None:
    """Chunks 1 and 3 are written, chunk 2 (25 deletes) never is: 35 done, those 25 held."""

    def second_chunk_stuck(request: dict[str, Any]) -> dict[str, Any]:
        pending = request["RequestItems"]["things"]
        stuck = pending[0]["DeleteRequest"]["Key"] == key("a", "s025")
        return {"UnprocessedItems": {"things": pending}} if stuck else {}

    client = ScriptedClient(batch_write_item=second_chunk_stuck)
    with pytest.raises(rt.UnprocessedItems) as caught:
        batch_delete(endpoint_for(client, no_wait(2)), PLAIN, keys(60))
    assert caught.value.done == 35 and caught.value.remaining == [
        {"DeleteRequest": {"Key": k}} for k in keys(60)[25:50]
    ]
    assert write_sizes(client) == [25, 25, 25, 10]


def test_a_final_error_is_raised_not_reported_as_unprocessed() -> None:
    client = ScriptedClient(batch_write_item=client_error("ValidationException", message="bad"))
    with pytest.raises(rt.DynamoDBError) as caught:
        batch_delete(endpoint_for(client), PLAIN, keys(2))
    assert type(caught.value) is rt.DynamoDBError and len(client.sent()) == 1


# ------------------------------------------------------------------ concurrency on the direct transport


class SlowServer:
    """A loopback HTTP server that answers BatchWriteItem with nothing unprocessed, holding the
    first requests until `target` are under way at once (or 3 s pass): the peak it saw tells
    whether the client's threads really send at the same time."""

    def __init__(self, serve: Callable[..., Server], target: int) -> None:
        self.target = target
        self.peak = 0
        self.under_way = 0
        self.requests = 0
        self.condition = threading.Condition()
        self.gate_open = False
        self.server = serve(self.handle)

    def hold_again(self) -> None:
        """Hold the next requests too, until `target` are under way at once."""
        with self.condition:
            self.gate_open = False
            self.peak = 0

    def handle(self, conn: socket.socket) -> None:
        body = b'{"UnprocessedItems": {}}'
        answer = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
            b"Content-Length: %d\r\nx-amz-crc32: %d\r\n\r\n%s" % (len(body), zlib.crc32(body), body)
        )
        while read_request(conn):
            with self.condition:
                self.requests += 1
                self.under_way += 1
                self.peak = max(self.peak, self.under_way)
                if self.peak >= self.target:
                    self.gate_open = True
                    self.condition.notify_all()
                if not self.gate_open:
                    self.condition.wait_for(lambda: self.gate_open, timeout=3.0)
                    self.gate_open = True  # waited once: never hold anyone again
                self.under_way -= 1
            conn.sendall(answer)


@pytest.mark.parametrize("concurrency", [4, 12])
def test_concurrent_chunks_are_under_way_at_once_each_on_a_kept_alive_connection(
    serve: Callable[..., Server], concurrency: int
) -> None:
    """No lock is held across a request: `concurrency` requests are under way at once; the
    direct transport keeps a connection per thread (12 is more than botocore's default pool of
    10), so a second batch opens no new connection."""
    slow = SlowServer(serve, target=concurrency)
    client = rt.make_client(
        endpoint_url=slow.server.url,
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
    )
    assert direct_transport(client) is not None
    things = Endpoint(client, "things", no_wait())
    items = [thing("a", f"s{i:04d}") for i in range(25 * concurrency)]
    batch_put(things, PLAIN, items, concurrency=concurrency)
    assert slow.peak == concurrency and slow.requests == concurrency
    assert slow.server.accepted == concurrency
    slow.hold_again()
    batch_put(things, PLAIN, items, concurrency=concurrency)
    assert slow.peak == concurrency and slow.requests == 2 * concurrency
    assert slow.server.accepted == concurrency  # every thread found a kept-alive connection


@pytest.mark.parametrize("concurrency", [1, 3])
def test_with_concurrency_each_chunk_still_has_its_own_budget(concurrency: int) -> None:
    """Issue 9's rule holds with threads: a chunk never processed sends max_attempts requests,
    whatever the other chunks do, and what is left is reported, not lost."""
    client = ScriptedClient(batch_write_item=nothing_processed_write)
    items = [thing("a", f"s{i:03d}") for i in range(70)]  # three chunks: 25, 25, 20
    with pytest.raises(rt.UnprocessedItems) as caught:
        batch_put(endpoint_for(client, no_wait(3)), PLAIN, items, concurrency=concurrency)
    assert sorted(write_sizes(client)) == sorted([25] * 3 + [25] * 3 + [20] * 3)
    assert caught.value.done == 0 and len(caught.value.remaining) == 70


# ------------------------------------------------------------------ projections


def projected(raw: Any) -> dict[str, Any]:
    """A stand-in partial decoder: the raw item, marked."""
    return {"partial": dict(raw)}


def test_a_projected_batch_get_asks_for_the_key_too_and_decodes_with_the_partial_decoder() -> None:
    client = ScriptedClient(
        batch_get_item={"Responses": {"things": [thing("a", "s", nm={"S": "x"})]}}
    )
    endpoint = endpoint_for(client, no_wait(3))
    got = batch_get(endpoint, PLAIN, [key("a", "s")], projected, attributes=["name", "sk"])
    assert got == [{"partial": thing("a", "s", nm={"S": "x"})}]
    (request,) = client.sent("batch_get_item")
    assert request["RequestItems"]["things"] == {
        "Keys": [key("a", "s")],
        "ConsistentRead": False,
        "ProjectionExpression": "#n0, #n1, #n2",  # as asked, then the key attribute it lacked
        "ExpressionAttributeNames": {"#n0": "nm", "#n1": "sk", "#n2": "pk"},
    }


def test_a_projected_batch_get_is_checked_before_any_request() -> None:
    client = ScriptedClient()
    endpoint = endpoint_for(client, no_wait(3))
    with pytest.raises(rt.ValidationError, match="unknown attribute 'nope'"):
        batch_get(endpoint, PLAIN, [key("a", "s")], projected, attributes=["nope"])
    assert client.calls == []


def test_an_unknown_batch_get_option_is_refused_before_any_request() -> None:
    client = ScriptedClient()
    with pytest.raises(
        TypeError, match="batch_get\\(\\) got an unexpected keyword argument 'consistent'"
    ):
        batch_get(endpoint_for(client), PLAIN, [key("a", "s")], PLAIN.decode, consistent=True)  # type: ignore[call-arg]
    assert client.calls == []


def test_a_projected_batch_get_on_moto(things: Endpoint) -> None:
    batch_put(
        things, PLAIN, [thing("a", f"s{i}", nm={"S": f"n{i}"}, count={"N": "1"}) for i in range(3)]
    )
    got = batch_get(things, PLAIN, [key("a", "s2"), key("a", "s0")], projected, attributes=["name"])
    assert got == [
        {"partial": {"pk": {"S": "a"}, "sk": {"S": "s2"}, "nm": {"S": "n2"}}},
        {"partial": {"pk": {"S": "a"}, "sk": {"S": "s0"}, "nm": {"S": "n0"}}},
    ]
