"""Generated decoders read binary values as bytes (botocore) or as base64 text (the direct
transport, fastparse.load_items), wherever the spec puts them: B, BS, inside records, lists, maps
and json; unknown attributes' binary values become bytes too. Text that is not base64 is named."""

from __future__ import annotations

import base64
from types import ModuleType
from typing import Any

import pytest

from dynagen import runtime as rt
from tests.helpers import build_module, sets_unordered

SPEC = """
version: 1
table: blobs_everywhere
key: {partition: pk, sort: sk}
types:
  Part:
    fields:
      data: bytes
      note: {type: string, optional: true}
entities:
  Thing:
    attributes:
      pk: string
      sk: bytes
      raw: bytes
      maybe: {type: bytes, optional: true}
      blobs: set<bytes>
      parts: list<Part>
      named: map<bytes>
      chunks: list<bytes>
      doc: json
"""


@pytest.fixture(scope="module")
def M(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("blobs_everywhere"), SPEC, "blobs_everywhere")


def thing(M: ModuleType) -> Any:
    return M.Thing(
        pk="p",
        sk=b"\x00key",
        raw=b"\x00\x01\xff",
        maybe=b"m",
        blobs={b"a", b"\x00"},
        parts=[M.Part(data=b"\xfe"), M.Part(data=b"", note="empty")],
        named={"x": b"\x10", "y": b"\x11"},
        chunks=[b"c1", b"c2"],
        doc={"k": b"\x05", "l": [b"\x06"]},
    )


def as_text(wire: Any) -> Any:
    """A wire value with every binary value as base64 text, as the direct transport reads it."""
    if isinstance(wire, dict):
        if len(wire) == 1 and "B" in wire and isinstance(wire["B"], bytes):
            return {"B": base64.b64encode(wire["B"]).decode()}
        if len(wire) == 1 and "BS" in wire:
            return {"BS": [base64.b64encode(v).decode() for v in wire["BS"]]}
        return {k: as_text(v) for k, v in wire.items()}
    if isinstance(wire, list):
        return [as_text(v) for v in wire]
    return wire


def test_binary_values_as_bytes_or_as_base64_text_decode_alike(M: ModuleType) -> None:
    item = thing(M)
    wire = M.marshal_thing(item)
    text = as_text(wire)
    assert text["raw"] == {"B": "AAH/"} and text["parts"]["L"][0]["M"]["data"] == {"B": "/g=="}
    assert M.unmarshal_thing(wire) == item
    assert M.unmarshal_thing(text) == item
    assert M.unmarshal_thing(text).raw == b"\x00\x01\xff"


def test_unknown_binary_attributes_read_as_bytes_from_base64_text(M: ModuleType) -> None:
    wire = M.marshal_thing(thing(M))
    wire["foreign"] = {"M": {"b": {"B": b"\x07"}, "bs": {"BS": [b"\x08"]}}}
    wire["parts"]["L"][0]["M"]["extra"] = {"B": b"\x09"}
    read = M.unmarshal_thing(as_text(wire))
    assert rt.unknown_attributes(read) == {"foreign": wire["foreign"]}
    assert rt.unknown_attributes(read.parts[0]) == {"extra": {"B": b"\x09"}}
    # Written back as it was read; a set's members in any order (a set has none to keep).
    assert sets_unordered(M.marshal_thing(read)) == sets_unordered(wire)


@pytest.mark.parametrize(
    "path, spoiled",
    [
        ("raw", {"B": "AAH"}),  # bad padding
        ("raw", {"B": "not*base64"}),
        ("blobs", {"BS": ["YQ==", "%%"]}),
        ("parts[0].data", None),
    ],
)
def test_text_that_is_not_base64_is_named(M: ModuleType, path: str, spoiled: Any) -> None:
    text = as_text(M.marshal_thing(thing(M)))
    if spoiled is None:
        text["parts"]["L"][0]["M"]["data"] = {"B": "é"}
    else:
        text[path] = spoiled
    with pytest.raises(rt.ItemDecodeError) as caught:
        M.unmarshal_thing(text)
    assert caught.value.attribute == path
    assert "base64" in str(caught.value)


def test_the_same_member_twice_once_as_text_is_refused(M: ModuleType) -> None:
    text = as_text(M.marshal_thing(thing(M)))
    text["blobs"] = {"BS": ["YQ==", "YQ=="]}
    with pytest.raises(rt.ItemDecodeError, match="twice"):
        M.unmarshal_thing(text)
