"""The response checks, shape by shape, on canned answers: every client make_client makes, both parsers.

Each answer is handed to the client by a `before-send` handler (botocore's public hook: a
handler that returns a response stands in for the network), with the headers a server would
send: a right Content-Length and x-amz-crc32 unless a case says otherwise. What a lying server
can say that the proxy does not script is here; what the runtime does with a BadResponse (a
retry, then a clear error) is in test_bad_answers.py.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any, Iterator

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from dynagen import runtime as rt
from dynagen.runtime.errors import BadResponse, classify
from generated_example.orders import OrdersTable

FAST = pytest.mark.parametrize("fast", [True, False], ids=["fast", "botocore"])
KEY = {"customer_id": {"S": "c1"}, "order_id": {"S": "o1"}}
GOOD_ITEM = {"customer_id": {"S": "c1"}, "order_id": {"S": "o1"}, "blob": {"B": "AAE="}}


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def canned(
    body: bytes | str | Any,
    status: int = 200,
    *,
    length: int | str | None = "right",
    crc: int | str | None = "right",
) -> dict[str, Any]:
    """An answer: a body (JSON-encoded unless bytes or str), a status and the two headers."""
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode()
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "canned"}
    if length is not None:
        headers["Content-Length"] = str(len(body)) if length == "right" else str(length)
    if crc is not None:
        headers["x-amz-crc32"] = str(zlib.crc32(body)) if crc == "right" else str(crc)
    return {"status": status, "headers": headers, "body": body}


def client_answering(fast: bool, *answers: dict[str, Any]) -> Any:
    """A make_client client that receives these answers, in turn, without any network."""
    client = rt.make_client(
        endpoint_url="http://127.0.0.1:9", region_name="us-east-1", fast_parser=fast
    )
    queue = list(answers)
    sent: list[str] = []

    def answer(request: Any, **_: Any) -> AWSResponse:
        sent.append(request.headers["X-Amz-Target"].decode().rpartition(".")[2])
        given = queue.pop(0) if len(queue) > 1 else queue[0]
        return AWSResponse(request.url, given["status"], given["headers"], _Raw(given["body"]))

    client.meta.events.register("before-send.dynamodb", answer)
    client.sent = sent  # type: ignore[attr-defined]
    return client


def refused(client: Any, call: str, **request: Any) -> BadResponse:
    with pytest.raises(BadResponse) as caught:
        getattr(client, call)(**request)
    error = caught.value
    assert isinstance(error, rt.DynagenError) and classify(error).retryable
    assert str(error).startswith("bad response to ")
    return error


def get_item(client: Any) -> Any:
    return client.get_item(TableName="orders", Key=KEY)


# ------------------------------------------------------------------ the frame: length and checksum


@FAST
def test_the_body_must_be_as_long_as_its_content_length(fast: bool) -> None:
    body = json.dumps({"Item": GOOD_ITEM}).encode()
    client = client_answering(fast, canned(body[:-5], length=len(body), crc=None))
    error = refused(client, "get_item", TableName="orders", Key=KEY)
    assert error.operation == "GetItem" and "Content-Length says" in error.detail
    refused(client_answering(fast, canned(body, length="12x")), "get_item", TableName="t", Key=KEY)
    assert get_item(client_answering(fast, canned(body, length=None)))["Item"]["blob"] == {
        "B": b"\x00\x01"
    }  # no Content-Length: nothing to hold the body to (DynamoDB always sends one)


@FAST
def test_the_body_must_match_its_crc32(fast: bool) -> None:
    body = json.dumps({"Item": GOOD_ITEM}).encode()
    error = refused(
        client_answering(fast, canned(body, crc=zlib.crc32(body) ^ 1)),
        "get_item",
        TableName="t",
        Key=KEY,
    )
    assert "x-amz-crc32 says" in error.detail
    refused(client_answering(fast, canned(body, crc="abc")), "get_item", TableName="t", Key=KEY)
    assert "Item" in get_item(client_answering(fast, canned(body, crc=None)))
    assert "Item" in get_item(client_answering(fast, canned(body)))
    # Error answers are held to the same frame: a cut condition failure is a bad answer too.
    failure = json.dumps({"__type": "x#ConditionalCheckFailedException", "Item": GOOD_ITEM})
    cut = canned(failure.encode()[:30], 400, length=len(failure), crc=None)
    refused(client_answering(fast, cut), "put_item", TableName="t", Item=KEY)


# ------------------------------------------------------------------ 2xx bodies


@FAST
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b"null",
        b"42",
        b'"text"',
        b"\xff\xfe{}",
        b"[" * 100_000,
        b'{"Item": ',
    ],
    ids=["empty", "text", "list", "null", "number", "string", "not-utf8", "deep", "half"],
)
def test_a_2xx_body_must_be_a_json_object_for_every_operation(fast: bool, body: bytes) -> None:
    for call, request in [
        ("get_item", {"TableName": "t", "Key": KEY}),
        ("put_item", {"TableName": "t", "Item": KEY}),
        ("query", {"TableName": "t"}),
        ("describe_table", {"TableName": "t"}),  # botocore's parser, whatever `fast` says
        (
            "update_time_to_live",
            {"TableName": "t", "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "x"}},
        ),
    ]:
        error = refused(client_answering(fast, canned(body)), call, **request)
        assert "body" in error.detail


@FAST
@pytest.mark.parametrize(
    "answer, problem",
    [
        ({"Item": []}, "Item is not an item"),
        ({"Item": {"customer_id": "c1"}}, "Item is not an item"),
        ({"Item": {"customer_id": {"S": "c1", "N": "1"}}}, "Item is not an item"),
        ({"Item": {"blob": {"B": "AAE"}}}, "not JSON with valid binary values"),  # bad padding
        ({"Item": {"blob": {"B": "A*E="}}}, "not JSON with valid binary values"),
        ({"Item": {"blobs": {"BS": ["AAE=", "%%%%"]}}}, "not JSON with valid binary values"),
        ({"Item": {"m": {"M": {"deep": {"B": "é"}}}}}, "not JSON with valid binary values"),
    ],
)
def test_an_item_must_be_a_map_of_wire_values_with_canonical_base64(
    fast: bool, answer: dict[str, Any], problem: str
) -> None:
    error = refused(client_answering(fast, canned(answer)), "get_item", TableName="t", Key=KEY)
    assert problem in error.detail
    update = canned({"Attributes": answer["Item"]})
    error = refused(client_answering(fast, update), "update_item", TableName="t", Key=KEY)
    assert "Attributes" in error.detail or "binary" in error.detail


@FAST
@pytest.mark.parametrize(
    "answer, problem",
    [
        ({}, "Count is None"),
        ({"Count": "2", "Items": []}, "Count is '2'"),
        ({"Count": True}, "Count is True"),
        ({"Count": 1, "Items": {"0": GOOD_ITEM}}, "Items is a dict"),
        ({"Count": 2, "Items": [GOOD_ITEM]}, "Count says 2 items but Items holds 1"),
        ({"Count": 1, "Items": [[GOOD_ITEM]]}, "Items[0] is not an item"),
        ({"Count": 1, "Items": [GOOD_ITEM], "ScannedCount": None}, "ScannedCount"),
        ({"Count": 0, "Items": [], "LastEvaluatedKey": {}}, "LastEvaluatedKey is not a key"),
        ({"Count": 0, "Items": [], "LastEvaluatedKey": {"k": {"SS": ["a"]}}}, "not a key"),
        ({"Count": 0, "Items": [], "LastEvaluatedKey": {"k": {"S": 1}}}, "not a key"),
    ],
)
def test_a_query_or_scan_page_must_have_its_shape(
    fast: bool, answer: dict[str, Any], problem: str
) -> None:
    for call in ("query", "scan"):
        error = refused(client_answering(fast, canned(answer)), call, TableName="t")
        assert problem in error.detail
    # ...and the shapes DynamoDB does give pass: a COUNT page has no Items, a key may be binary.
    count_page = {"Count": 3, "ScannedCount": 9, "LastEvaluatedKey": {"k": {"B": "AAE="}}}
    page = client_answering(fast, canned(count_page)).query(TableName="t", Select="COUNT")
    assert page["Count"] == 3 and page["LastEvaluatedKey"] == {"k": {"B": b"\x00\x01"}}


@FAST
@pytest.mark.parametrize(
    "answer, problem",
    [
        ({}, "neither Responses nor UnprocessedKeys"),
        ({"Responses": []}, "Responses is a list"),
        ({"Responses": {"orders": {"Items": []}}}, "Responses['orders'] is a dict"),
        ({"Responses": {"orders": [GOOD_ITEM, "x"]}}, "Responses['orders'][1] is not an item"),
        ({"Responses": {}, "UnprocessedKeys": {"orders": {"Keys": [{"k": "v"}]}}}, "list of keys"),
        ({"Responses": {}, "UnprocessedKeys": []}, "UnprocessedKeys is []"),
    ],
)
def test_a_batch_get_answer_must_have_its_shape(
    fast: bool, answer: dict[str, Any], problem: str
) -> None:
    request = {"RequestItems": {"orders": {"Keys": [KEY]}}}
    error = refused(client_answering(fast, canned(answer)), "batch_get_item", **request)
    assert problem in error.detail
    # A table named BS is not a binary set; an answer that read nothing yet has no Responses.
    for good in (
        {"Responses": {"BS": [GOOD_ITEM]}, "UnprocessedKeys": {}},
        {"UnprocessedKeys": {"orders": {"Keys": [KEY]}}},
    ):
        got = client_answering(fast, canned(good)).batch_get_item(**request)
        assert got.get("Responses", {}).get("BS", [{}])[0].get("blob") in (None, {"B": b"\x00\x01"})


@FAST
def test_batch_write_and_transaction_answers_must_have_their_shapes(fast: bool) -> None:
    for answer in ({"UnprocessedItems": []}, {"UnprocessedItems": {"orders": [1]}}):
        client = client_answering(fast, canned(answer))
        refused(
            client, "batch_write_item", RequestItems={"orders": [{"DeleteRequest": {"Key": KEY}}]}
        )
    for answer in ({}, {"Responses": {}}, {"Responses": [{"Item": "x"}]}, {"Responses": ["x"]}):
        client = client_answering(fast, canned(answer))
        refused(
            client, "transact_get_items", TransactItems=[{"Get": {"TableName": "o", "Key": KEY}}]
        )


# ------------------------------------------------------------------ error answers


GARBAGE_ITEMS = [
    "garbage",
    ["garbage"],
    {"customer_id": "garbage"},
    {"customer_id": {"S": 5}},
    {"blob": {"B": "not*base64"}},
    {"m": {"M": {"x": {"L": [{"N": None}]}}}},
    {"n": {"NULL": False}},
    {"s": {"X": "unknown type"}},
]


@FAST
@pytest.mark.parametrize(
    "garbage", GARBAGE_ITEMS, ids=[f"garbage{n}" for n in range(len(GARBAGE_ITEMS))]
)
def test_a_condition_failure_whose_item_is_garbage_is_a_bad_answer(
    fast: bool, garbage: Any
) -> None:
    failure = {
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed",
        "Item": garbage,
    }
    error = refused(
        client_answering(fast, canned(failure, 400, crc=None)), "put_item", TableName="t", Item=KEY
    )
    assert "Item is not a well-formed item" in error.detail
    # A well-formed one stays botocore's ClientError, the stored item decoded.
    failure["Item"] = GOOD_ITEM
    with pytest.raises(ClientError) as caught:
        client_answering(fast, canned(failure, 400, crc=None)).put_item(TableName="t", Item=KEY)
    assert caught.value.response["Item"]["blob"] == {"B": b"\x00\x01"}


@FAST
def test_a_cancelled_transaction_whose_reasons_are_garbage_is_a_bad_answer(fast: bool) -> None:
    request = {"TransactItems": [{"Put": {"TableName": "t", "Item": KEY}}]}
    for reasons in ("garbage", [{"Code": "ConditionalCheckFailed", "Item": {"k": "x"}}], ["x"]):
        canceled = {
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "Message": "Transaction cancelled",
            "CancellationReasons": reasons,
            "Item": GOOD_ITEM,  # a body holding an Item anywhere is looked at
        }
        error = refused(
            client_answering(fast, canned(canceled, 400)), "transact_write_items", **request
        )
        assert "CancellationReasons" in error.detail


@FAST
def test_an_error_body_botocore_chokes_on_is_a_bad_answer_and_text_stays_an_error(
    fast: bool,
) -> None:
    for body in (b"[]", b"null", b'"text"'):
        refused(client_answering(fast, canned(body, 400)), "get_item", TableName="t", Key=KEY)
    with pytest.raises(ClientError) as caught:  # a proxy's plain-text 503 is still an error
        client_answering(fast, canned(b"Service Unavailable", 503, crc=None)).get_item(
            TableName="t", Key=KEY
        )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


# ------------------------------------------------------------------ through the runtime


@FAST
def test_a_bad_answer_is_retried_by_the_runtime_and_the_good_one_read(fast: bool) -> None:
    item = {
        "customer_id": {"S": "c1"},
        "order_id": {"S": "o1"},
        "status": {"S": "pending"},
        "total": {"N": "1"},
        "placed_at": {"S": "2024-05-01T12:30:00.000000Z"},
        "lines": {"L": []},
        "quantity": {"N": "1"},
        "gift": {"BOOL": False},
        "version": {"N": "1"},
        "created_at": {"S": "2024-05-01T12:30:00.000000Z"},
        "updated_at": {"S": "2024-05-01T12:30:00.000000Z"},
    }
    body = json.dumps({"Item": item}).encode()
    client = client_answering(
        fast, canned(body[:20], length=len(body)), canned(b"[]"), canned(body)
    )
    orders = OrdersTable(client, retry=rt.RetryPolicy(max_attempts=3, base_delay=0))
    got = orders.get("c1", "o1")
    assert got is not None and got.order_id == "o1" and client.sent == ["GetItem"] * 3

    client = client_answering(fast, canned({"Item": {"customer_id": {"B": "%"}}}))
    with pytest.raises(rt.RetriesExhausted) as caught:
        OrdersTable(client, retry=rt.RetryPolicy(max_attempts=3, base_delay=0)).get("c1", "o1")
    assert isinstance(caught.value.last_error, BadResponse) and caught.value.attempts == 3
    assert "GetItem" in str(caught.value) and "bad response" in str(caught.value)


def test_bad_response_is_a_transport_error_and_survives_pickling() -> None:
    import pickle

    from botocore.exceptions import HTTPClientError

    from dynagen.runtime.errors import CONNECTION_ERRORS

    error = BadResponse(operation="Query", detail="the body is empty")
    assert isinstance(error, HTTPClientError) and isinstance(error, rt.DynagenError)
    assert BadResponse in CONNECTION_ERRORS and classify(error).retryable
    assert classify(error).code == "BadResponse"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.operation, copy.detail, str(copy)) == ("Query", "the body is empty", str(error))
    assert rt.BadResponse is BadResponse
    assert base64.b64decode("AAE=") == b"\x00\x01"
