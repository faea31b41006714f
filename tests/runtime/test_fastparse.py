"""dynagen.runtime.fastparse: the lean decode of item-carrying answers (the parser that uses it,
and the checks before it, are responses.py's: tests/runtime/test_responses.py and
tests/reliability/test_response_checks.py)."""

from __future__ import annotations

import binascii
import json

import pytest

from dynagen.runtime.codec import item_binary_decoded
from dynagen.runtime.fastparse import b64decode, has_binary, load, load_items, metadata

# Every test here runs with the standard library's JSON and with orjson (when installed).
pytestmark = pytest.mark.usefixtures("json_library")


def test_a_body_without_binary_values_is_plain_json() -> None:
    body = b'{"Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}'
    assert not has_binary(body)
    assert load(body, decode_binary=True) == json.loads(body)


def test_binary_values_are_decoded_when_asked_and_checked_either_way() -> None:
    body = b'{"Item": {"b": {"B": "AAE="}, "bs": {"BS": ["YQ==", "Yg=="]}}}'
    assert has_binary(body)
    decoded = load(body, decode_binary=True)
    assert decoded["Item"]["b"] == {"B": b"\x00\x01"}
    assert decoded["Item"]["bs"] == {"BS": [b"a", b"b"]}
    assert load(body, decode_binary=False)["Item"]["b"] == {"B": "AAE="}


@pytest.mark.parametrize("text", ["###", "YQ", 5, None])
def test_bad_base64_is_a_value_error(text: object) -> None:
    with pytest.raises((ValueError, binascii.Error)):
        b64decode(text)
    body = json.dumps({"Item": {"b": {"B": text}}}).encode()
    if isinstance(text, str):
        with pytest.raises((ValueError, binascii.Error)):
            load(body, decode_binary=True)


def test_a_table_named_bs_is_not_a_binary_set() -> None:
    body = b'{"Responses": {"BS": [{"pk": {"S": "a"}}]}}'
    assert load(body, decode_binary=True) == json.loads(body)


def test_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        load(b'{"Item": ', decode_binary=True)


# ------------------------------------------------------------------ load_items (direct transport)

PAGE = {
    "Items": [
        {"pk": {"S": "a"}, "b": {"B": "AAE="}, "bs": {"BS": ["YQ==", "Yg=="]}},
        {"pk": {"S": "b"}, "m": {"M": {"deep": {"L": [{"B": "/w=="}, {"S": "AAE="}]}}}},
        {"pk": {"S": '"B": "not base64!"'}, "t": {"S": "B"}},  # text that looks like it
    ],
    "Count": 3,
    "LastEvaluatedKey": {"pk": {"S": "b"}, "sk": {"B": "AAE="}},
}


@pytest.mark.parametrize("spacing", [(", ", ": "), (",", ":")])
def test_load_items_leaves_binary_inside_items_as_text_and_decodes_the_rest(
    spacing: tuple[str, str],
) -> None:
    body = json.dumps(PAGE, separators=spacing).encode()
    loaded = load_items(body)
    assert loaded["Items"] == PAGE["Items"]  # base64 text, for the generated decoders
    assert loaded["LastEvaluatedKey"] == {"pk": {"S": "b"}, "sk": {"B": b"\x00\x01"}}
    decoded = load(body, decode_binary=True)
    assert [item_binary_decoded(item) for item in loaded["Items"]] == decoded["Items"]


def test_load_items_decodes_what_is_outside_items_at_any_depth() -> None:
    body = json.dumps(
        {
            "Responses": {"t": [{"k": {"B": "AAE="}}]},
            "UnprocessedKeys": {"t": {"Keys": [{"k": {"B": "YQ=="}}]}},
        }
    ).encode()
    loaded = load_items(body)
    assert loaded["Responses"] == {"t": [{"k": {"B": "AAE="}}]}
    assert loaded["UnprocessedKeys"] == {"t": {"Keys": [{"k": {"B": b"a"}}]}}


@pytest.mark.parametrize(
    "value",
    [{"B": "AAE"}, {"B": "A*E="}, {"B": "é"}, {"BS": ["AAE=", "%%%%"]}, {"BS": ["YQ==", 5]}],
)
def test_load_items_refuses_a_bad_binary_value_inside_an_item(value: object) -> None:
    body = json.dumps({"Item": {"m": {"M": {"deep": value}}}}).encode()
    with pytest.raises((ValueError, binascii.Error)):
        load(body, decode_binary=True)
    with pytest.raises((ValueError, binascii.Error)):
        load_items(body)


def test_load_items_reads_escaped_base64_text_the_way_json_does() -> None:
    body = b'{"Item": {"b": {"B": "A\\/E="}}}'  # "\/" is "/" in JSON: DynamoDB never writes it
    assert load_items(body) == load(body, decode_binary=True) == {"Item": {"b": {"B": b"\x03\xf1"}}}


def test_load_items_keeps_a_table_named_bs() -> None:
    body = b'{"Responses": {"BS": [{"pk": {"S": "a"}, "b": {"B": "AAE="}}]}}'
    assert load_items(body) == json.loads(body)


def test_metadata_is_what_botocore_would_add() -> None:
    headers = {"x-amzn-requestid": "r1"}
    assert metadata({"headers": headers, "status_code": 200}) == {
        "RequestId": "r1",
        "HTTPStatusCode": 200,
        "HTTPHeaders": headers,
    }
