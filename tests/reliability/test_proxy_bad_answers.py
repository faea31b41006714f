"""The fault proxy's bad answers: each one is exactly the damage it claims, and nothing else."""

from __future__ import annotations

import base64
import http.client
import json
import socket
import time
import urllib.parse
import zlib
from typing import Any, Iterator

import pytest

from tests.helpers import unique_name
from tests.reliability.proxy import BAD_ANSWER_KINDS, KNOWN_KINDS, LYING_KINDS, FaultProxy

TARGET = "DynamoDB_20120810."
AUTH = (
    "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-target, Signature=00"
)


@pytest.fixture(scope="module")
def table(direct_client: Any) -> Iterator[str]:
    """A bare table (pk: S) with five items holding a B value."""
    name = unique_name("rel-answers")
    direct_client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for number in range(5):
        item = {"pk": {"S": f"k{number}"}, "blob": {"B": bytes([number, 255])}}
        direct_client.put_item(TableName=name, Item=item)
    yield name
    direct_client.delete_table(TableName=name)


def exchange(
    url: str, operation: str, payload: dict[str, Any], timeout: float = 20
) -> tuple[int, dict[str, str], bytes]:
    """One hand-made request: (status, headers in lower case, the body bytes that arrived)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
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
        headers = {name.lower(): value for name, value in response.getheaders()}
        try:
            body = response.read()
        except http.client.IncompleteRead as cut:
            body = cut.partial
        return response.status, headers, body
    finally:
        connection.close()


def get(table: str, key: str = "k1") -> dict[str, Any]:
    return {"TableName": table, "Key": {"pk": {"S": key}}, "ConsistentRead": True}


def test_the_new_kinds_are_known_and_never_drawn_by_default(local_endpoint: str) -> None:
    assert set(BAD_ANSWER_KINDS) <= set(KNOWN_KINDS)
    assert set(LYING_KINDS) < set(BAD_ANSWER_KINDS)
    proxy = FaultProxy(local_endpoint, rate=1.0, seed=3)  # never started: decisions only
    try:
        for _ in range(500):
            proxy._decide(TARGET + "GetItem")
        assert not set(proxy.counts) & set(BAD_ANSWER_KINDS)
        proxy.configure(kinds=BAD_ANSWER_KINDS)
        for _ in range(500):
            proxy._decide(TARGET + "GetItem")
        assert set(BAD_ANSWER_KINDS) <= set(proxy.counts)
    finally:
        proxy._server.server_close()


def test_cut_off_passes_half_the_body_after_the_write(
    proxy: FaultProxy, local_endpoint: str, direct_client: Any, table: str
) -> None:
    proxy.script("cut_off")
    item = {"pk": {"S": "cut"}, "blob": {"B": base64.b64encode(b"x" * 100).decode()}}
    payload = {"TableName": table, "Item": item, "ReturnValues": "ALL_OLD"}
    status, headers, body = exchange(proxy.url, "PutItem", payload)
    assert status == 200
    assert 0 < len(body) < int(headers["content-length"])
    stored = direct_client.get_item(**get(table, "cut"))["Item"]
    assert stored == {"pk": {"S": "cut"}, "blob": {"B": b"x" * 100}}  # the write happened
    status, headers, body = exchange(proxy.url, "GetItem", get(table))
    assert len(body) == int(headers["content-length"])  # one request only
    assert proxy.counts == {"cut_off": 1}


def test_altered_changes_one_byte_and_leaves_the_checksum(
    proxy: FaultProxy, local_endpoint: str, table: str
) -> None:
    _, direct_headers, direct = exchange(local_endpoint, "GetItem", get(table))
    proxy.script("altered")
    status, headers, body = exchange(proxy.url, "GetItem", get(table))
    assert status == 200 and len(body) == len(direct) == int(headers["content-length"])
    assert sum(a != b for a, b in zip(body, direct)) == 1
    assert headers["x-amz-crc32"] == direct_headers["x-amz-crc32"] == str(zlib.crc32(direct))
    assert zlib.crc32(body) != int(headers["x-amz-crc32"])


@pytest.mark.parametrize(
    "kind, expected",
    [("empty_body", b""), ("not_json", b"not json"), ("json_list", b"[]"), ("json_null", b"null")],
)
def test_a_lying_server_answers_200_with_a_consistent_bad_body(
    kind: str, expected: bytes, proxy: FaultProxy, direct_client: Any, table: str
) -> None:
    proxy.script(kind)
    item = {"pk": {"S": f"lie-{kind}"}}
    status, headers, body = exchange(proxy.url, "PutItem", {"TableName": table, "Item": item})
    assert (status, body) == (200, expected)
    assert int(headers["content-length"]) == len(body)
    assert int(headers["x-amz-crc32"]) == zlib.crc32(body)  # it lies consistently
    assert direct_client.get_item(**get(table, item["pk"]["S"]))["Item"] == item  # forwarded


def test_bad_base64_spoils_the_first_binary_value(proxy: FaultProxy, table: str) -> None:
    proxy.script("bad_base64", "bad_base64")  # the second finds nothing binary to spoil
    status, headers, body = exchange(proxy.url, "GetItem", get(table))
    answer = json.loads(body)
    assert status == 200 and answer["Item"]["blob"] == {"B": "not*base64!"}
    assert answer["Item"]["pk"] == {"S": "k1"}
    assert int(headers["x-amz-crc32"]) == zlib.crc32(body)
    with pytest.raises(ValueError):
        base64.b64decode(answer["Item"]["blob"]["B"], validate=True)
    exchange(proxy.url, "GetItem", get(table, "absent"))
    assert proxy.counts == {"bad_base64": 1, "bad_base64:unchanged": 1}


def test_keyless_takes_the_key_from_the_first_item_read(proxy: FaultProxy, table: str) -> None:
    keys = [{"pk": {"S": f"k{number}"}} for number in range(3)]
    proxy.script("keyless")
    _, _, body = exchange(proxy.url, "BatchGetItem", {"RequestItems": {table: {"Keys": keys}}})
    items = json.loads(body)["Responses"][table]
    assert len(items) == 3
    assert sum("pk" not in item for item in items) == 1
    assert all("blob" in item for item in items)


def test_repeat_key_answers_the_start_key_as_the_last_key(proxy: FaultProxy, table: str) -> None:
    start = {"pk": {"S": "k2"}}
    proxy.script("repeat_key", "repeat_key")
    _, _, body = exchange(proxy.url, "Scan", {"TableName": table, "Limit": 2})
    assert "repeat_key:unchanged" in proxy.counts  # a first page has no start key to repeat
    assert json.loads(body)["LastEvaluatedKey"] != start
    payload = {"TableName": table, "Limit": 1, "ExclusiveStartKey": start}
    _, _, body = exchange(proxy.url, "Scan", payload)
    assert json.loads(body)["LastEvaluatedKey"] == start


def test_cond_garbage_spoils_the_stored_item_of_a_condition_failure(
    proxy: FaultProxy, table: str
) -> None:
    payload = {
        "TableName": table,
        "Item": {"pk": {"S": "k1"}},
        "ConditionExpression": "attribute_not_exists(pk)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    proxy.script("cond_garbage")
    status, headers, body = exchange(proxy.url, "PutItem", payload)
    answer = json.loads(body)
    assert status == 400 and answer["__type"].endswith("ConditionalCheckFailedException")
    assert answer["Item"] == {"pk": "garbage", "blob": "garbage"}
    assert int(headers["content-length"]) == len(body)


def test_silent_never_answers_nor_forwards_and_stop_is_prompt(
    local_endpoint: str, table: str
) -> None:
    proxy = FaultProxy(local_endpoint).start()
    try:
        proxy.script("silent")
        started = time.monotonic()
        with pytest.raises((socket.timeout, TimeoutError)):
            exchange(proxy.url, "GetItem", get(table), timeout=0.3)
        assert 0.3 <= time.monotonic() - started < 2
        assert proxy.forwarded == [] and proxy.counts == {"silent": 1}
        proxy.script("silent")  # a connection left hanging does not hold stop() up
        parts = urllib.parse.urlsplit(proxy.url)
        hanging = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        hanging.request("POST", "/", body=b"{}", headers={"X-Amz-Target": TARGET + "GetItem"})
        time.sleep(0.1)
    finally:
        started = time.monotonic()
        proxy.stop()
        assert time.monotonic() - started < 2
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        hanging.getresponse()
    hanging.close()


def test_page_limit_caps_every_query_and_scan(proxy: FaultProxy, table: str) -> None:
    proxy.configure(page_limit=2)
    _, _, body = exchange(proxy.url, "Scan", {"TableName": table, "ConsistentRead": True})
    answer = json.loads(body)
    assert answer["Count"] == 2 and "LastEvaluatedKey" in answer
    _, _, body = exchange(proxy.url, "Scan", {"TableName": table, "Limit": 1})
    assert json.loads(body)["Count"] == 1
    proxy.reset()
    _, _, body = exchange(proxy.url, "Scan", {"TableName": table, "ConsistentRead": True})
    assert json.loads(body)["Count"] >= 5
