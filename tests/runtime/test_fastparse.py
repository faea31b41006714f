"""dynagen.runtime.fastparse: the lean parser for item-carrying successes, botocore's for the rest.

Against a canned loopback endpoint (the parsed result must equal botocore's own), and on the
parser directly, with a fallback that records what it was handed.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import botocore.session
import pytest
from botocore.parsers import ResponseParserFactory

from dynagen import runtime as rt
from dynagen.runtime.fastparse import (
    FAST_SHAPES,
    FastDynamoDBParser,
    FastParserFactory,
    _binary_hook,
)
from tests.runtime.support import canned_endpoint

MODEL = botocore.session.get_session().get_service_model("dynamodb")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


ITEM_BODY: dict[str, Any] = {
    "Item": {
        "s": {"S": 'text with "B": inside'},
        "n": {"N": "1.50"},
        "b": {"B": b64(b"\x00\x01\xff")},
        "bs": {"BS": [b64(b"a"), b64(b"")]},
        "ss": {"SS": ["x", "y"]},
        "ns": {"NS": ["1", "-2.5"]},
        "m": {"M": {"B": {"S": "a map key named B"}, "BS": {"L": []}, "k": {"B": b64(b"k")}}},
        "l": {"L": [{"B": b64(b"l")}, {"NULL": True}, {"BOOL": False}, {"M": {}}]},
    },
    "ConsumedCapacity": {"TableName": "orders", "CapacityUnits": 0.5},
}


@pytest.mark.parametrize("body", [ITEM_BODY, {}, {"Item": {"s": {"S": "no binary"}}}])
def test_fast_parser_reads_items_as_botocore_does(body: dict[str, Any]) -> None:
    with canned_endpoint(200, body) as (endpoint, _):
        key = {"customer_id": {"S": "c"}}
        fast = rt.make_client(endpoint_url=endpoint, fast_parser=True)
        slow = rt.make_client(endpoint_url=endpoint, fast_parser=False)
        got: dict[str, Any] = dict(fast.get_item(TableName="orders", Key=key))
        expected: dict[str, Any] = dict(slow.get_item(TableName="orders", Key=key))
    got_meta, expected_meta = got.pop("ResponseMetadata"), expected.pop("ResponseMetadata")
    assert got == expected
    assert got_meta["HTTPStatusCode"] == expected_meta["HTTPStatusCode"] == 200
    assert got_meta["RequestId"] == expected_meta["RequestId"] == "test-request"


# ------------------------------------------------------------------ the parser on its own


class Fallback:
    """botocore's parser, as far as FastDynamoDBParser can tell: records what it is asked."""

    def __init__(self) -> None:
        self.parsed: list[str] = []
        self.extra = "botocore's own attribute"

    def parse(self, response: dict[str, Any], shape: Any) -> Any:
        self.parsed.append(shape.name if shape is not None else "None")
        return {"from": "fallback"}


def response(body: bytes, status: int = 200) -> dict[str, Any]:
    return {"status_code": status, "headers": {"x-amzn-requestid": "r-1"}, "body": body}


def output(operation: str) -> Any:
    return MODEL.operation_model(operation).output_shape


def test_the_fast_shapes_are_the_item_carrying_outputs() -> None:
    item_operations = [
        "GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems", "PutItem",
        "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
    ]  # fmt: skip
    assert FAST_SHAPES == {output(name).name for name in item_operations}


def test_item_outputs_are_parsed_here_with_botocores_metadata() -> None:
    fallback = Fallback()
    parser = FastDynamoDBParser(fallback)
    body = json.dumps({"Items": [{"b": {"B": b64(b"\x01")}, "s": {"S": "x"}}], "Count": 1}).encode()
    parsed = parser.parse(response(body), output("Query"))
    assert parsed == {
        "Items": [{"b": {"B": b"\x01"}, "s": {"S": "x"}}],
        "Count": 1,
        "ResponseMetadata": {
            "RequestId": "r-1",
            "HTTPStatusCode": 200,
            "HTTPHeaders": {"x-amzn-requestid": "r-1"},
        },
    }
    assert fallback.parsed == []
    assert (
        parser.parse(response(b""), output("PutItem"))["ResponseMetadata"]["HTTPStatusCode"] == 200
    )


@pytest.mark.parametrize(
    ("operation", "status"),
    [
        ("DescribeTable", 200),
        ("CreateTable", 200),
        ("GetItem", 400),
        ("Query", 500),
        ("GetItem", 300),
    ],
)
def test_errors_and_other_operations_go_to_botocore(operation: str, status: int) -> None:
    fallback = Fallback()
    parsed = FastDynamoDBParser(fallback).parse(response(b"{}", status), output(operation))
    assert parsed == {"from": "fallback"} and fallback.parsed == [output(operation).name]


def test_no_shape_goes_to_botocore() -> None:
    fallback = Fallback()
    assert FastDynamoDBParser(fallback).parse(response(b""), None) == {"from": "fallback"}


def test_anything_else_a_parser_is_asked_is_botocores() -> None:
    assert FastDynamoDBParser(Fallback()).extra == "botocore's own attribute"


def test_binary_values_become_bytes_and_nothing_else_does() -> None:
    assert _binary_hook({"B": b64(b"\xff")}) == {"B": b"\xff"}
    assert _binary_hook({"BS": [b64(b"a"), b64(b"b")]}) == {"BS": [b"a", b"b"]}
    assert _binary_hook({"B": {"S": "a map key named B"}}) == {"B": {"S": "a map key named B"}}
    assert _binary_hook({"BS": {"L": []}}) == {"BS": {"L": []}}
    two = {"B": "QQ==", "S": "x"}  # not a wire value: left alone
    assert _binary_hook(dict(two)) == two


def test_binary_is_found_even_when_spaced() -> None:
    body = b'{"Item": {"b" : {"B" : "AAE="}}}'
    parsed = FastDynamoDBParser(Fallback()).parse(response(body), output("GetItem"))
    assert parsed["Item"] == {"b": {"B": b"\x00\x01"}}


# ------------------------------------------------------------------ the factory and the switch


def test_the_factory_wraps_only_the_json_protocol() -> None:
    factory = FastParserFactory()
    assert isinstance(factory, ResponseParserFactory)
    assert isinstance(factory.create_parser("json"), FastDynamoDBParser)
    assert not isinstance(factory.create_parser("query"), FastDynamoDBParser)


def _parser_factory(client: Any) -> Any:
    return client._endpoint._response_parser_factory


def test_make_client_turns_it_on_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DYNAGEN_FAST_PARSER", raising=False)
    assert isinstance(_parser_factory(rt.make_client(region_name="us-east-1")), FastParserFactory)
    off = rt.make_client(region_name="us-east-1", fast_parser=False)
    assert not isinstance(_parser_factory(off), FastParserFactory)
    for value in ("0", "false", "No", " off "):
        monkeypatch.setenv("DYNAGEN_FAST_PARSER", value)
        assert not isinstance(
            _parser_factory(rt.make_client(region_name="us-east-1")), FastParserFactory
        )
    monkeypatch.setenv("DYNAGEN_FAST_PARSER", "1")
    assert isinstance(_parser_factory(rt.make_client(region_name="us-east-1")), FastParserFactory)
    monkeypatch.setenv("DYNAGEN_FAST_PARSER", "0")
    on = rt.make_client(region_name="us-east-1", fast_parser=True)  # the argument wins
    assert isinstance(_parser_factory(on), FastParserFactory)
