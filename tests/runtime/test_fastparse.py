"""dynagen.runtime.fastparse: the lean decode of item-carrying answers (the parser that uses it,
and the checks before it, are responses.py's: tests/runtime/test_responses.py and
tests/reliability/test_response_checks.py)."""

from __future__ import annotations

import binascii
import json

import pytest

from dynagen.runtime.fastparse import b64decode, has_binary, load, metadata

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


def test_metadata_is_what_botocore_would_add() -> None:
    headers = {"x-amzn-requestid": "r1"}
    assert metadata({"headers": headers, "status_code": 200}) == {
        "RequestId": "r1",
        "HTTPStatusCode": 200,
        "HTTPHeaders": headers,
    }
