"""The fault proxy itself: exact pass-through, every fault kind, reproducible by seed."""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.parse
from typing import Any, Iterator

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError

from dynagen.runtime.errors import is_retryable
from tests.helpers import unique_name
from tests.reliability.proxy import ALL_KINDS, FAULT_KINDS, MAX_BODY, FaultProxy

TARGET = "DynamoDB_20120810."
AUTH = (
    "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-target, Signature=00"
)


@pytest.fixture(scope="module")
def plain_table(direct_client: Any) -> Iterator[str]:
    """A bare table (pk: S) made with the plain client, shared by this module's tests."""
    name = unique_name("rel-proxy")
    direct_client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    direct_client.delete_table(TableName=name)


def raw_call(url: str, operation: str, payload: dict[str, Any]) -> tuple[int, str, bytes]:
    """One hand-made DynamoDB request: (status, content type, body bytes)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    try:
        connection.request(
            "POST",
            "/",
            body=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": TARGET + operation,
                "Authorization": AUTH,
                "X-Amz-Date": "20240101T000000Z",
            },
        )
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def test_pass_through_is_byte_for_byte(
    proxy: FaultProxy, local_endpoint: str, direct_client: Any, plain_table: str
) -> None:
    item = {
        "pk": {"S": "k1"},
        "text": {"S": "héllo 𝄞 \u0000 end"},
        "blob": {"B": b"\x00\xff\x10"},
        "n": {"N": "12.50"},
        "nested": {"M": {"l": {"L": [{"BOOL": True}, {"NULL": True}, {"SS": ["a", "b"]}]}}},
    }
    direct_client.put_item(TableName=plain_table, Item=item)
    requests = [
        ("GetItem", {"TableName": plain_table, "Key": {"pk": {"S": "k1"}}}),
        ("Scan", {"TableName": plain_table, "ConsistentRead": True}),
        ("GetItem", {"TableName": unique_name("missing"), "Key": {"pk": {"S": "k1"}}}),  # an error
    ]
    for operation, payload in requests:
        direct = raw_call(local_endpoint, operation, payload)
        proxied = raw_call(proxy.url, operation, payload)
        assert proxied == direct
    assert proxy.forwarded == [TARGET + "GetItem", TARGET + "Scan", TARGET + "GetItem"]
    assert sum(proxy.counts.values()) == 0


def test_boto3_through_the_proxy_records_each_forwarded_target(
    proxy: FaultProxy, proxied_client: Any, direct_client: Any, plain_table: str
) -> None:
    proxied_client.put_item(TableName=plain_table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    got = proxied_client.get_item(TableName=plain_table, Key={"pk": {"S": "a"}})["Item"]
    assert got == direct_client.get_item(TableName=plain_table, Key={"pk": {"S": "a"}})["Item"]
    proxied_client.scan(TableName=plain_table)
    assert proxy.forwarded == [TARGET + "PutItem", TARGET + "GetItem", TARGET + "Scan"]
    assert proxy.decisions == [("PutItem", None), ("GetItem", None), ("Scan", None)]


# What a plain client (botocore retries off) sees for each kind, and whether the write happened.
EXPECTED = {
    "throughput": ("ProvisionedThroughputExceededException", 400, False),
    "throttling": ("ThrottlingException", 400, False),
    "http500": ("InternalServerError", 500, False),
    "http503": (None, 503, False),
    "drop_before": ("closed", None, False),
    "drop_after": ("closed", None, True),
    "delay": ("ok", 200, True),
}


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_each_fault_kind_does_what_it_says(
    kind: str, proxy: FaultProxy, proxied_client: Any, direct_client: Any, plain_table: str
) -> None:
    proxy.configure(rate=1.0, kinds=[kind])
    code, status, written = EXPECTED[kind]
    started = time.monotonic()
    item = {"pk": {"S": f"item-{kind}"}, "v": {"N": "1"}}
    try:
        proxied_client.put_item(TableName=plain_table, Item=item)
        outcome: Any = ("ok", 200)
    except ClientError as error:
        assert is_retryable(error)  # dynagen's policy retries what the proxy injects
        meta = error.response["ResponseMetadata"]
        outcome = (error.response["Error"].get("Code"), meta["HTTPStatusCode"])
    except ConnectionClosedError as error:
        assert is_retryable(error)
        outcome = ("closed", None)
    elapsed = time.monotonic() - started
    if code is None:  # a 503 without a JSON body: only the status says what it is
        assert outcome[1] == status
    else:
        assert outcome == (code, status)
    stored = direct_client.get_item(TableName=plain_table, Key={"pk": item["pk"]}).get("Item")
    assert (stored == item) is written
    assert proxy.counts == {kind: 1}
    assert proxy.forwarded == ([TARGET + "PutItem"] if written else [])
    if kind == "delay":
        assert elapsed >= proxy.delay


def _outcomes(proxy: FaultProxy, table: str, count: int) -> list[str]:
    """`count` sequential hand-made GetItems: the status each one met, or "closed"."""
    seen = []
    for number in range(count):
        payload = {"TableName": table, "Key": {"pk": {"S": f"k{number}"}}}
        try:
            seen.append(str(raw_call(proxy.url, "GetItem", payload)[0]))
        except (http.client.HTTPException, ConnectionError):
            seen.append("closed")
    return seen


def test_the_same_seed_gives_the_same_faults(local_endpoint: str, plain_table: str) -> None:
    runs = []
    for seed in (42, 42, 43):
        with FaultProxy(local_endpoint, rate=0.5, seed=seed, delay=0.001) as proxy:
            outcomes = _outcomes(proxy, plain_table, 30)
            runs.append((proxy.decisions, outcomes, dict(proxy.counts)))
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[2][0]
    decisions = runs[0][0]
    assert len(decisions) == 30 and any(kind is None for _, kind in decisions)
    assert len({kind for _, kind in decisions if kind}) >= 4  # a real mix of kinds


def test_the_rate_and_the_kinds_follow_the_configuration(local_endpoint: str) -> None:
    proxy = FaultProxy(local_endpoint, rate=0.2, seed=1)  # never started: decisions only
    try:
        for _ in range(5000):
            proxy._decide(TARGET + "PutItem")
        faults = sum(proxy.counts.values())
        assert 900 <= faults <= 1100
        assert set(proxy.counts) == set(FAULT_KINDS)
        assert min(proxy.counts.values()) >= 100
    finally:
        proxy._server.server_close()


def test_script_and_only_target_exact_requests(
    proxy: FaultProxy, proxied_client: Any, direct_client: Any, plain_table: str
) -> None:
    proxy.configure(only=["PutItem"])
    proxy.script("throughput", None, "drop_after")
    proxied_client.get_item(TableName=plain_table, Key={"pk": {"S": "x"}})  # not a PutItem: clean
    with pytest.raises(ClientError):
        proxied_client.put_item(TableName=plain_table, Item={"pk": {"S": "x"}})
    proxied_client.put_item(TableName=plain_table, Item={"pk": {"S": "y"}})
    with pytest.raises(ConnectionClosedError):
        proxied_client.put_item(TableName=plain_table, Item={"pk": {"S": "z"}})
    assert [kind for _, kind in proxy.decisions] == [None, "throughput", None, "drop_after"]
    assert direct_client.get_item(TableName=plain_table, Key={"pk": {"S": "z"}}).get("Item")


def test_unprocessed_forwards_half_a_batch_and_returns_the_rest(
    proxy: FaultProxy, proxied_client: Any, direct_client: Any, plain_table: str
) -> None:
    puts = [{"PutRequest": {"Item": {"pk": {"S": f"b{n:02d}"}}}} for n in range(10)]
    proxy.script("unprocessed")
    response = proxied_client.batch_write_item(RequestItems={plain_table: puts})
    assert response["UnprocessedItems"] == {plain_table: puts[5:]}
    stored = direct_client.scan(TableName=plain_table, ConsistentRead=True)["Items"]
    batch = sorted(item["pk"]["S"] for item in stored if item["pk"]["S"].startswith("b"))
    assert batch == [f"b{n:02d}" for n in range(5)]

    keys = [{"pk": {"S": f"b{n:02d}"}} for n in range(10)]
    proxy.script("unprocessed")
    response = proxied_client.batch_get_item(RequestItems={plain_table: {"Keys": keys}})
    assert len(response["Responses"][plain_table]) == 5
    assert response["UnprocessedKeys"][plain_table]["Keys"] == keys[5:]

    proxy.script("unprocessed")  # one request: nothing forwarded, everything unprocessed
    response = proxied_client.batch_write_item(RequestItems={plain_table: puts[9:]})
    assert response["UnprocessedItems"] == {plain_table: puts[9:]}
    assert proxy.forwarded_count("BatchWriteItem") == 1
    assert proxy.counts == {"unprocessed": 3}


def test_oversized_requests_are_refused_and_the_proxy_stops_cleanly(local_endpoint: str) -> None:
    assert "unprocessed" in ALL_KINDS
    proxy = FaultProxy(local_endpoint).start()
    host, port = urllib.parse.urlsplit(proxy.url).hostname, urllib.parse.urlsplit(proxy.url).port
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.putrequest("POST", "/")
    connection.putheader("Content-Length", str(MAX_BODY + 1))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()
    proxy.stop()
    with pytest.raises(OSError):
        socket.create_connection((host, port), timeout=2).close()
