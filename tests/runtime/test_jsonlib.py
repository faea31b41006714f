"""dynagen.runtime.jsonlib: orjson when installed and wanted, else the standard library; same documents."""

from __future__ import annotations

import json

import pytest

from dynagen.runtime import fastparse, jsonlib

DOCUMENT = {"TableName": "t", "Item": {"k": {"S": "é漢🙂\u2028"}, "b": {"B": b"\x00\xff"}}}


def test_the_switch_and_the_environment_default() -> None:
    was = jsonlib.ORJSON
    try:
        assert jsonlib.use_orjson(False) is False and jsonlib.loads is json.loads
        assert jsonlib.use_orjson(True) is jsonlib.available()
    finally:
        jsonlib.use_orjson(was)


def test_the_standard_library_writes_what_botocore_writes() -> None:
    was = jsonlib.ORJSON
    try:
        jsonlib.use_orjson(False)
        body = jsonlib.dumps(DOCUMENT)
        assert (
            body
            == json.dumps(
                {"TableName": "t", "Item": {"k": {"S": "é漢🙂\u2028"}, "b": {"B": "AP8="}}}
            ).encode()
        )
    finally:
        jsonlib.use_orjson(was)


def test_both_write_the_same_document(json_library: str) -> None:
    assert json.loads(jsonlib.dumps(DOCUMENT)) == {
        "TableName": "t",
        "Item": {"k": {"S": "é漢🙂\u2028"}, "b": {"B": "AP8="}},
    }
    with pytest.raises(TypeError):
        jsonlib.dumps({"x": object()})


def test_both_read_the_same_answers(json_library: str) -> None:
    body = '{"Items": [{"k": {"S": "\\u00e9x"}, "n": {"N": "1"}}], "Count": 1, "C": 0.5}'.encode()
    assert fastparse.load(body, decode_binary=True) == json.loads(body)
    with pytest.raises(ValueError):
        fastparse.load(b'{"Items": [', decode_binary=True)
