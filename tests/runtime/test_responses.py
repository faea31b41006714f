"""dynagen.runtime.responses: every answer is checked before it is used (the frame here; the
shapes, one by one on canned answers, in tests/reliability/test_response_checks.py)."""

from __future__ import annotations

import ast
import zlib

import pytest

from dynagen.runtime.errors import BadResponse
from dynagen.runtime.responses import check_frame, is_key, is_wire_item, wire_forms_ok

# Every test here runs with the standard library's JSON and with orjson (when installed).
pytestmark = pytest.mark.usefixtures("json_library")

BODY = b'{"Item": {"pk": {"S": "a"}}}'


def test_a_whole_intact_body_passes() -> None:
    check_frame(
        "GetItem", {"content-length": str(len(BODY)), "x-amz-crc32": str(zlib.crc32(BODY))}, BODY
    )
    check_frame("GetItem", {}, BODY)  # headers absent: nothing to hold the body against


def test_a_cut_off_body_is_a_bad_response() -> None:
    with pytest.raises(BadResponse, match="Content-Length says"):
        check_frame("GetItem", {"content-length": str(len(BODY))}, BODY[:-5])


def test_an_altered_body_fails_its_checksum() -> None:
    altered = BODY.replace(b'"a"', b'"b"')
    with pytest.raises(BadResponse, match="CRC32"):
        check_frame("GetItem", {"x-amz-crc32": str(zlib.crc32(BODY))}, altered)


@pytest.mark.parametrize("header", ["content-length", "x-amz-crc32"])
def test_a_header_that_is_not_a_number_is_a_bad_response(header: str) -> None:
    with pytest.raises(BadResponse):
        check_frame("Query", {header: "12a"}, BODY)


def test_items_and_keys_have_dynamodb_shapes() -> None:
    assert is_wire_item({"pk": {"S": "a"}, "n": {"N": "1"}})
    assert not is_wire_item([{"pk": {"S": "a"}}])
    assert is_key({"pk": {"S": "a"}, "sk": {"N": "1"}})
    assert not is_key({"pk": {"M": {}}})


BAD = {"SS": "abc"}  # botocore's model-driven parser would read three letters


@pytest.mark.parametrize(
    "name, document",
    [
        ("GetItemOutput", {"Item": {"t": BAD}}),
        ("PutItemOutput", {"Attributes": {"t": BAD}}),
        ("QueryOutput", {"Items": [{"t": {"S": "ok"}}, {"t": BAD}], "Count": 2}),
        ("BatchGetItemOutput", {"Responses": {"things": [{"t": {"M": {"x": BAD}}}]}}),
        ("TransactGetItemsOutput", {"Responses": [{}, {"Item": {"t": {"L": [BAD]}}}]}),
    ],
)
def test_every_item_of_an_answer_is_checked_to_the_bottom_for_the_botocore_parser(
    name: str, document: dict[str, object]
) -> None:
    assert not wire_forms_ok(name, document)
    good = repr(document).replace(repr(BAD), repr({"SS": ["abc"]}))
    assert wire_forms_ok(name, ast.literal_eval(good))
