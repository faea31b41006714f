"""The generated decoders' quick tests take only what the precise path would read the same way.

Two quick tests stand in for slower ones (issue 13, codec round three): an int's text read when it
is ASCII digits (DynamoDB's own form), and the unknown attributes found empty by counting the
item's attributes. Each is held against what the decoder did before it, exactly: every text that
int() takes but DynamoDB never writes (`+1`, ` 1`, `1_0`, `01`, `-0`, other scripts' digits) is
refused, or read, as before; the unknown attributes are what `dynagen.runtime.unknown` finds, for
every mix of optional attributes present, absent and foreign.
"""

from __future__ import annotations

import inspect
import itertools
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynagen import runtime as rt
from dynagen.runtime import codec
from dynagen.runtime.unknown import unknown
from tests.helpers import build_module

SPEC = """
version: 1
table: fast_decode
key: {partition: pk, sort: sk}
types:
  Part:
    fields:
      qty: int
      label: {type: string, optional: true}
entities:
  Thing:
    attributes:
      pk: string
      sk: int
      i: int
      part: Part
      counts: list<int>
      note: {type: string, optional: true}
      level: {type: int, default: 3}
      tags: set<string>
      version: version
"""


@pytest.fixture(scope="module")
def M(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("fast_decode"), SPEC, "fast_decode")


def wire(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "pk": {"S": "p"},
        "sk": {"N": "1"},
        "i": {"N": "-42"},
        "part": {"M": {"qty": {"N": "2"}}},
        "counts": {"L": [{"N": "7"}, {"N": "0"}]},
        "version": {"N": "5"},
    }
    raw.update(changes)
    return raw


def before(text: object) -> int:
    """The int decode generated before this round, for the differential tests below."""
    return n if str(n := int(text)) == text else codec.read_int(text)  # type: ignore[call-overload]


def outcome(M: ModuleType, raw: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "read", M.unmarshal_thing(raw)
    except rt.ItemDecodeError as error:
        return "refused", (error.attribute, error.detail)


def expected(M: ModuleType, raw: dict[str, Any], text: object) -> tuple[str, Any]:
    """What the decoder made of `raw` before: the old inline int test, or the precise path."""
    try:
        value = before(text)
    except codec.DECODE_ERRORS:
        return outcome_of_precise(M, raw)
    return "read", M.unmarshal_thing(dict(raw, i={"N": str(value)}))


def outcome_of_precise(M: ModuleType, raw: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "read", M._THING_FIELDS.read(raw)
    except rt.ItemDecodeError as error:
        return "refused", (error.attribute, error.detail)


# Texts Python's int() takes and DynamoDB never writes: refused, naming the attribute.
REFUSED = [
    "+1",
    " 1",
    "1 ",
    "\t1\n",
    "1_0",
    "+0",
    "\u0661\u0660",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "\u00a01",  # a no-break space
    "1\u2003",  # an em space
    "\u0967",  # a Devanagari digit
]
# Texts of digits and `-` DynamoDB never writes but the precise path reads: read as it reads them.
READ = {"01": 1, "00": 0, "007": 7, "-0": 0, "-00": 0, "-01": -1, "0" * 30 + "5": 5}


@pytest.mark.parametrize("text", REFUSED)
@pytest.mark.parametrize("where", ["i", "sk", "part.qty", "counts[1]"])
def test_a_text_int_takes_but_dynamodb_never_writes_is_refused(
    M: ModuleType, text: str, where: str
) -> None:
    raw = wire()
    if where == "part.qty":
        raw["part"] = {"M": {"qty": {"N": text}}}
    elif where == "counts[1]":
        raw["counts"] = {"L": [{"N": "7"}, {"N": text}]}
    else:
        raw[where] = {"N": text}
    with pytest.raises(rt.ItemDecodeError) as caught:
        M.unmarshal_thing(raw)
    assert caught.value.attribute == where
    assert "DynamoDB's form" in caught.value.detail


@pytest.mark.parametrize(("text", "value"), list(READ.items()))
def test_digits_in_a_form_dynamodb_never_writes_read_as_the_precise_path_reads_them(
    M: ModuleType, text: str, value: int
) -> None:
    raw = wire(i={"N": text}, part={"M": {"qty": {"N": text}}})
    item = M.unmarshal_thing(raw)
    assert item.i == value and type(item.i) is int
    assert item.part.qty == value
    assert item == M._THING_FIELDS.read(raw)


@pytest.mark.parametrize("value", [b"12", bytearray(b"12"), 12, 1.0, True, None, ["1"]])
def test_a_number_not_held_as_text_is_refused(M: ModuleType, value: object) -> None:
    with pytest.raises(rt.ItemDecodeError) as caught:
        M.unmarshal_thing(wire(i={"N": value}))
    assert caught.value.attribute == "i"


@pytest.mark.parametrize("length", [3998, 3999, 4000, 4001, 4002, 4100])
def test_long_digit_texts_agree_with_the_decoder_before(M: ModuleType, length: int) -> None:
    for text in ("1" * length, "0" + "1" * (length - 1), "-" + "2" * (length - 1)):
        raw = wire(i={"N": text})
        assert outcome(M, raw) == expected(M, raw, text), (length, text[:3])
    # as before: canonical digits are read at any length int() takes; a leading zero in front
    # of over 4,000 digits is refused, as the precise path refuses it
    assert M.unmarshal_thing(wire(i={"N": "1" * 4100})).i == int("1" * 4100)
    with pytest.raises(rt.ItemDecodeError, match="range"):
        M.unmarshal_thing(wire(i={"N": "0" + "1" * 4100}))


# characters int() treats specially, DynamoDB's own, and others
INT_ALPHABET = "0123456789-+_ .eE\t\n\u00a0\u0661\uff11"


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.text(INT_ALPHABET, max_size=6))
def test_any_text_is_read_or_refused_as_before(M: ModuleType, text: str) -> None:
    raw = wire(i={"N": text})
    assert outcome(M, raw) == expected(M, raw, text)


# ---------------------------------------------------------------- unknown attributes

OPTIONAL = {
    "note": {"S": "n"},
    "level": {"N": "4"},
    "tags": {"SS": ["a"]},
}
FOREIGN = [{}, {"zz": {"S": "x"}}, {"zz": {"S": "x"}, "yy": {"B": b"\x00"}}]


@pytest.mark.parametrize("foreign", FOREIGN, ids=["none", "one", "two"])
def test_unknown_attributes_are_found_for_every_mix_of_optional_ones(
    M: ModuleType, foreign: dict[str, Any]
) -> None:
    known = M._THING_FIELDS.known
    for count in range(len(OPTIONAL) + 1):
        for names in itertools.combinations(OPTIONAL, count):
            raw = wire(**{name: OPTIONAL[name] for name in names}, **foreign)
            item = M.unmarshal_thing(raw)
            assert rt.unknown_attributes(item) == unknown(raw, known) == foreign, names
            assert item == M._THING_FIELDS.read(raw)
            assert M.marshal_thing(item) == {"level": {"N": "3"}, **raw}  # its default, written


@pytest.mark.parametrize("foreign", FOREIGN, ids=["none", "one", "two"])
def test_a_records_unknown_attributes_are_found_with_and_without_its_optional_field(
    M: ModuleType, foreign: dict[str, Any]
) -> None:
    for label in ({}, {"label": {"S": "l"}}):
        part = {"qty": {"N": "2"}, **label, **foreign}
        item = M.unmarshal_thing(wire(part={"M": part}))
        assert rt.unknown_attributes(item.part) == foreign
        assert M.marshal_thing(item)["part"] == {"M": part}


def test_a_foreign_attribute_in_place_of_a_missing_optional_one_is_kept(M: ModuleType) -> None:
    """As many attributes as the spec names, one of them foreign: still found, not counted."""
    raw = wire(note={"S": "n"}, level={"N": "4"}, zz={"S": "x"})  # no tags, one foreign
    assert len(raw) == len(M._THING_FIELDS.known)
    assert rt.unknown_attributes(M.unmarshal_thing(raw)) == {"zz": {"S": "x"}}


WIDE = """
version: 1
table: fast_decode_wide
key: {partition: pk}
entities:
  Wide:
    attributes:
      pk: string
""" + "".join(f"      o{i}: {{type: string, optional: true}}\n" for i in range(10))


def test_an_entity_of_many_optional_attributes_counts_only_the_required_ones(
    tmp_path: Path,
) -> None:
    """Past a few optional attributes the count leaves them out (ClassView.unknown_read): an item
    with any of them, or any foreign one, takes the call, and reads the same."""
    W = build_module(tmp_path, WIDE, "fast_decode_wide")
    assert "if len(raw) == 1 else _rt.unknown(" in inspect.getsource(W.unmarshal_wide)
    for present in (0, 1, 10):
        for foreign in FOREIGN:
            raw = {"pk": {"S": "p"}, **{f"o{i}": {"S": "x"} for i in range(present)}, **foreign}
            item = W.unmarshal_wide(raw)
            assert rt.unknown_attributes(item) == foreign
            assert W.marshal_wide(item) == raw


# ---------------------------------------------------------------- a TTL's seconds

TTL_SPEC = """
version: 1
table: fast_decode_ttl
key: {partition: pk}
entities:
  Lease:
    attributes:
      pk: string
      expires: ttl
"""


@pytest.fixture(scope="module")
def T(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("fast_decode_ttl"), TTL_SPEC, "fast_decode_ttl")


def ttl_outcome(T: ModuleType, text: object) -> tuple[str, Any]:
    raw = {"pk": {"S": "p"}, "expires": {"N": text}}
    try:
        return "read", T.unmarshal_lease(raw).expires
    except rt.ItemDecodeError as error:
        return "refused", (error.attribute, error.detail)


def ttl_expected(T: ModuleType, text: object) -> tuple[str, Any]:
    """What the decoder made of it before: `read_ttl`, or the precise path when that raised."""
    try:
        return "read", codec.read_ttl(text)  # type: ignore[arg-type]
    except codec.DECODE_ERRORS:
        try:
            return "read", T._LEASE_FIELDS.read({"pk": {"S": "p"}, "expires": {"N": text}}).expires
        except rt.ItemDecodeError as error:
            return "refused", (error.attribute, error.detail)


@pytest.mark.parametrize("text", REFUSED + list(READ) + ["1893456000", "-1", "1.0", "1E+3"])
def test_a_ttl_text_is_read_or_refused_as_before(T: ModuleType, text: str) -> None:
    assert ttl_outcome(T, text) == ttl_expected(T, text)
    if text in REFUSED:
        assert ttl_outcome(T, text)[0] == "refused"


@pytest.mark.parametrize("value", [b"12", bytearray(b"12"), 12, None])
def test_a_ttl_not_held_as_text_is_refused(T: ModuleType, value: object) -> None:
    assert ttl_outcome(T, value)[0] == "refused"


@pytest.mark.parametrize("length", [3999, 4000, 4001, 4100])
def test_long_ttl_texts_agree_with_the_decoder_before(T: ModuleType, length: int) -> None:
    for text in ("1" * length, "0" * (length - 1) + "1"):
        assert ttl_outcome(T, text) == ttl_expected(T, text), (length, text[:3])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(INT_ALPHABET, max_size=12))
def test_any_ttl_text_is_read_or_refused_as_before(T: ModuleType, text: str) -> None:
    assert ttl_outcome(T, text) == ttl_expected(T, text)
