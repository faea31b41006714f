"""Reading: every decoded value has its wire type and the form DynamoDB itself writes, or
ItemDecodeError names the attribute by its path (`info.rating`, `lines[2].qty`, `names['k']`).

Three sources of wire items:

- forms DynamoDB Local stores but the spec does not take (a datetime with an offset, an
  upper-case UUID, a fractional TTL), written with the plain boto3 client and read back;
- forms DynamoDB never writes but other sources hand over (a stream record, a proxy, a test
  double): `{"S": 5}`, `{"BOOL": "false"}`, `{"SS": "abc"}`, `"NaN"`, `"1_0"`; given to the
  generated decoder directly, and through a fake endpoint, so the whole read path (the fast
  response parser included) sees them;
- hypothesis: any valid item reads the same through the fast path and the precise one, and any
  item with one attribute's wire value replaced by junk reads as values of the right types or
  raises ItemDecodeError, never anything else.
"""

from __future__ import annotations

import copy
import os
import datetime
import json
import threading
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any, Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynagen import runtime as rt
from dynagen.runtime import make_client
from tests.helpers import build_module, unique_name

UTC = datetime.timezone.utc

SPEC = """
version: 1
table: wire_forms
key: {partition: pk, sort: sk}
types:
  Color: {enum: [red, green]}
  Info:
    fields:
      rating: int
      note: {type: string, optional: true}
  Line:
    fields:
      sku: string
      qty: int
entities:
  Item:
    attributes:
      pk: string
      sk: int
      s: string
      i: int
      f: float
      d: decimal
      flag: bool
      raw: bytes
      at: datetime
      day: date
      uid: uuid
      doc: json
      info: Info
      lines: list<Line>
      names: map<string>
      tags: set<string>
      counts: set<int>
      prices: set<decimal>
      blobs: set<bytes>
      color: Color
      expires: ttl
      maybe: {type: string, optional: true}
"""

SETTINGS = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def W(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("wire_forms"), SPEC, "wire_forms")


def good_wire() -> dict[str, Any]:
    """A valid item in the exact form DynamoDB returns it."""
    return {
        "pk": {"S": "p"},
        "sk": {"N": "1"},
        "s": {"S": "text"},
        "i": {"N": "-42"},
        "f": {"N": "1.5"},
        "d": {"N": "12.5"},
        "flag": {"BOOL": False},
        "raw": {"B": b"\x00\x01"},
        "at": {"S": "2024-05-01T12:00:00.000000Z"},
        "day": {"S": "2024-05-01"},
        "uid": {"S": "1234abcd-12ef-5678-90ab-cdef12345678"},
        "doc": {"M": {"a": {"L": [{"N": "1"}, {"BOOL": True}, {"NULL": True}]}}},
        "info": {"M": {"rating": {"N": "5"}}},
        "lines": {
            "L": [
                {"M": {"sku": {"S": "a"}, "qty": {"N": "1"}}},
                {"M": {"sku": {"S": "b"}, "qty": {"N": "2"}}},
                {"M": {"sku": {"S": "c"}, "qty": {"N": "3"}}},
            ]
        },
        "names": {"M": {"k": {"S": "v"}}},
        "tags": {"SS": ["x", "y"]},
        "counts": {"NS": ["1", "-2"]},
        "prices": {"NS": ["0.5", "2"]},
        "blobs": {"BS": [b"a", b"b"]},
        "color": {"S": "red"},
        "expires": {"N": "1893456000"},
    }


def spoil(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Replace the wire value at `path` (`lines.L.2.M.qty`: keys and list indexes)."""

    def apply(item: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = item
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return apply


# (attribute path in the error, how to spoil the item, a part of the error's detail)
SILENTLY_READ = {
    # wrong Python types inside the right wire type
    "S holds an int": ("s", spoil("s", {"S": 5}), "expected a string, found int"),
    "S holds None": ("s", spoil("s", {"S": None}), "found NoneType"),
    "key S holds a list": ("pk", spoil("pk", {"S": ["p"]}), "found list"),
    "BOOL holds a string": ("flag", spoil("flag", {"BOOL": "false"}), "expected true or false"),
    "BOOL holds 0": ("flag", spoil("flag", {"BOOL": 0}), "found int"),
    # (base64 text is the direct transport's form of B: tests/codegen/test_binary_decode.py)
    "B holds text that is not base64": ("raw", spoil("raw", {"B": "text!"}), "expected bytes"),
    "B holds an int": ("raw", spoil("raw", {"B": 5}), "expected bytes"),
    "SS holds one string": ("tags", spoil("tags", {"SS": "abc"}), "found str"),
    "SS holds an int member": ("tags", spoil("tags", {"SS": ["a", 1]}), "not text"),
    "SS is empty": ("tags", spoil("tags", {"SS": []}), "empty set"),
    "SS holds a member twice": ("tags", spoil("tags", {"SS": ["a", "a"]}), "twice"),
    "NS holds one string": ("counts", spoil("counts", {"NS": "12"}), "found str"),
    "NS holds a float": ("counts", spoil("counts", {"NS": [1.5]}), "found float"),
    "BS holds text": ("blobs", spoil("blobs", {"BS": ["a"]}), "not bytes"),
    "L holds a string": ("lines", spoil("lines", {"L": ""}), "not a list"),
    # numbers Python's int(), float() and Decimal() take, DynamoDB never writes
    "N NaN in a decimal": ("d", spoil("d", {"N": "NaN"}), "DynamoDB's form"),
    "N sNaN in a decimal": ("d", spoil("d", {"N": "sNaN"}), "DynamoDB's form"),
    "N Infinity in a decimal": ("d", spoil("d", {"N": "Infinity"}), "DynamoDB's form"),
    "N -Infinity in a decimal": ("d", spoil("d", {"N": "-Infinity"}), "DynamoDB's form"),
    "N nan in a float": ("f", spoil("f", {"N": "nan"}), "DynamoDB's form"),
    "N inf in a float": ("f", spoil("f", {"N": "inf"}), "DynamoDB's form"),
    "N beyond a float": ("f", spoil("f", {"N": "1" * 400}), "range"),
    "N 1_0 in an int": ("i", spoil("i", {"N": "1_0"}), "DynamoDB's form"),
    "N 1_0 in a decimal": ("d", spoil("d", {"N": "1_0"}), "DynamoDB's form"),
    "N with spaces in an int": ("i", spoil("i", {"N": " 10 "}), "DynamoDB's form"),
    "N with a plus in an int": ("i", spoil("i", {"N": "+10"}), "DynamoDB's form"),
    "N in Arabic-Indic digits": ("i", spoil("i", {"N": "\u0661\u0660"}), "DynamoDB's form"),
    "N in full-width digits": ("d", spoil("d", {"N": "\uff11\uff12"}), "DynamoDB's form"),
    "N holds an int": ("i", spoil("i", {"N": 10}), "as text"),
    "N holds a float": ("d", spoil("d", {"N": 1.5}), "as text"),
    "N holds True": ("sk", spoil("sk", {"N": True}), "as text"),
    "N 1_0 in a set": ("counts", spoil("counts", {"NS": ["1_0"]}), "DynamoDB's form"),
    "NS members equal as numbers": ("counts", spoil("counts", {"NS": ["1", "1.0"]}), "twice"),
    # texts in other forms than the stored one
    "datetime with an offset": (
        "at",
        spoil("at", {"S": "2024-05-01T14:00:00+02:00"}),
        "stored form",
    ),
    "datetime as an ISO week date": (
        "at",
        spoil("at", {"S": "2024-W18-3T12:00:00.000000Z"}),
        "stored form",
    ),
    "datetime in basic form": ("at", spoil("at", {"S": "20240501T120000Z"}), "stored form"),
    "datetime with a space": ("at", spoil("at", {"S": "2024-05-01 12:00:00.000000Z"}), "form"),
    "date in basic form": ("day", spoil("day", {"S": "20240501"}), "YYYY-MM-DD"),
    "date as an ISO week date": ("day", spoil("day", {"S": "2024-W18-3"}), "YYYY-MM-DD"),
    "uuid in upper case": (
        "uid",
        spoil("uid", {"S": "1234ABCD-12EF-5678-90AB-CDEF12345678"}),
        "stored form",
    ),
    "uuid in braces": (
        "uid",
        spoil("uid", {"S": "{12345678-1234-5678-1234-567812345678}"}),
        "stored form",
    ),
    "uuid without hyphens": (
        "uid",
        spoil("uid", {"S": "12345678123456781234567812345678"}),
        "form",
    ),
    "ttl with a fraction": ("expires", spoil("expires", {"N": "1893456000.5"}), "whole"),
    "ttl with underscores": ("expires", spoil("expires", {"N": "1_893_456_000"}), "form"),
    # JSON values: only DynamoDB's forms, of the right Python types
    "json BOOL holds a string": ("doc", spoil("doc", {"BOOL": "false"}), "not true or false"),
    "json S holds an int": ("doc", spoil("doc", {"S": 5}), "not a string"),
    "json N NaN": ("doc", spoil("doc", {"N": "NaN"}), "DynamoDB's form"),
    "json N 1_0": ("doc", spoil("doc", {"M": {"a": {"N": "1_0"}}}), "DynamoDB's form"),
    "json NULL false": ("doc", spoil("doc", {"NULL": False}), "NULL"),
    "json M holds a list": ("doc", spoil("doc", {"M": []}), "not a map"),
    "json L holds a string": ("doc", spoil("doc", {"L": "ab"}), "not a list"),
    # where the path says where
    "record field": ("info.rating", spoil("info.M.rating", {"N": "1_0"}), "DynamoDB's form"),
    "record in a list": ("lines[2].qty", spoil("lines.L.2.M.qty", {"N": "1_0"}), "DynamoDB's form"),
    "map value": ("names['k']", spoil("names.M.k", {"S": 5}), "found int"),
    "optional record field": ("info.note", spoil("info.M.note", {"S": 7}), "found int"),
}


@pytest.mark.parametrize("case", list(SILENTLY_READ))
def test_a_value_not_in_dynamodbs_form_is_refused_naming_its_path(W: ModuleType, case: str) -> None:
    path, apply, detail = SILENTLY_READ[case]
    raw = good_wire()
    apply(raw)
    with pytest.raises(rt.ItemDecodeError) as caught:
        W.unmarshal_item(raw)
    error = caught.value
    assert error.entity == "Item"
    assert error.attribute == path, error
    assert detail in error.detail, error
    assert error.key == {"pk": raw["pk"], "sk": raw["sk"]}


# DynamoDB writes whole numbers as plain digits; these other forms of one are read too, exactly.
OTHER_NUMBER_FORMS = [
    ("i", "1E+2", 100),
    ("i", "1.0", 1),
    ("i", "-7.000", -7),
    ("sk", "2e1", 20),
    ("counts", ["1E+1", "2.0"], {10, 2}),
]


@pytest.mark.parametrize(("name", "text", "expected"), OTHER_NUMBER_FORMS)
def test_whole_numbers_with_a_fraction_or_exponent_are_read_exactly(
    W: ModuleType, name: str, text: Any, expected: Any
) -> None:
    raw = good_wire()
    raw[name] = {"NS": text} if isinstance(text, list) else {"N": text}
    value = getattr(W.unmarshal_item(raw), name)
    assert value == expected and type(value) is type(expected)


def test_a_fraction_in_an_int_is_refused_not_rounded(W: ModuleType) -> None:
    for text in ("1.5", "1E-1", "0.999999999999999999999999999999"):
        raw = good_wire()
        raw["i"] = {"N": text}
        with pytest.raises(rt.ItemDecodeError, match="whole number"):
            W.unmarshal_item(raw)


# ------------------------------------------------------------------ on DynamoDB Local


@pytest.fixture(scope="module")
def stored(W: ModuleType, direct_client: Any) -> Iterator[Any]:
    table = W.WireFormsTable(direct_client, table_name=unique_name("rel-wire-forms"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


# Forms DynamoDB stores (another tool wrote them) that are not the spec's stored form.
STORED_BY_OTHERS = {
    "datetime with an offset": ("at", {"S": "2024-05-01T14:00:00+02:00"}),
    "datetime as a week date": ("at", {"S": "2024-W18-3T12:00:00Z"}),
    "datetime without microseconds": ("at", {"S": "2024-05-01T12:00:00Z"}),
    "date in basic form": ("day", {"S": "20240501"}),
    "date as a week date": ("day", {"S": "2024-W18-3"}),
    "uuid in upper case": ("uid", {"S": "12345678-1234-5678-1234-56781234567A"}),
    "uuid in braces": ("uid", {"S": "{12345678-1234-5678-1234-567812345678}"}),
    "uuid as a URN": ("uid", {"S": "urn:uuid:12345678-1234-5678-1234-567812345678"}),
    "ttl with a fraction": ("expires", {"N": "1893456000.5"}),
}


@pytest.mark.parametrize("case", list(STORED_BY_OTHERS))
def test_an_item_stored_by_another_tool_in_another_form_is_refused(stored: Any, case: str) -> None:
    name, wire = STORED_BY_OTHERS[case]
    item = good_wire()
    item["sk"] = {"N": str(list(STORED_BY_OTHERS).index(case) + 10)}
    item[name] = wire
    stored.client.put_item(TableName=stored.table_name, Item=item)
    with pytest.raises(rt.ItemDecodeError) as caught:
        stored.get("p", int(item["sk"]["N"]))
    assert caught.value.attribute == name
    assert caught.value.key == {"pk": item["pk"], "sk": item["sk"]}
    stored.client.put_item(TableName=stored.table_name, Item=good_wire())  # the stored form reads
    assert stored.get("p", 1) == stored.get("p", 1, consistent_read=True) is not None


# ------------------------------------------------------------------ through the whole read path


class _Canned(BaseHTTPRequestHandler):
    """A fake DynamoDB endpoint: every request gets the JSON body the test set."""

    body: bytes = b"{}"

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(type(self).body)))
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def fake_endpoint() -> Iterator[tuple[str, type[_Canned]]]:
    handler = type("Handler", (_Canned,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def _json_item(item: dict[str, Any]) -> dict[str, Any]:
    """The item as DynamoDB's JSON protocol carries it (binary values base64)."""
    import base64

    def walk(value: Any) -> Any:
        if isinstance(value, bytes):
            return base64.b64encode(value).decode()
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return {name: walk(value) for name, value in item.items()}


THROUGH_THE_CLIENT = {
    "S holds a number": ("s", {"S": 5}),
    "BOOL holds a string": ("flag", {"BOOL": "false"}),
    "SS holds one string": ("tags", {"SS": "abc"}),
    "N NaN": ("d", {"N": "NaN"}),
    "N Infinity": ("f", {"N": "Infinity"}),
    "N 1_0": ("i", {"N": "1_0"}),
    "json BOOL holds a string": ("doc", {"BOOL": "false"}),
    "json NULL false": ("doc", {"NULL": False}),
}


# botocore's own parser would turn {"SS": "abc"} into a list of letters before dynagen sees
# it: with it, an answer holding a malformed value is handed on as sent (responses.py).
PARSERS = [
    pytest.param(case, fast, id=f"{case}-{'fast' if fast else 'botocore'}-parser")
    for case in THROUGH_THE_CLIENT
    for fast in (True, False)
]


@pytest.mark.parametrize(("case", "fast_parser"), PARSERS)
def test_a_bad_response_item_is_an_item_decode_error_through_get(
    W: ModuleType, fake_endpoint: tuple[str, type[_Canned]], case: str, fast_parser: bool
) -> None:
    url, handler = fake_endpoint
    name, wire = THROUGH_THE_CLIENT[case]
    item = good_wire()
    item[name] = wire
    handler.body = json.dumps({"Item": _json_item(item)}).encode()
    client = make_client(endpoint_url=url, region_name="us-east-1", fast_parser=fast_parser)
    table = W.WireFormsTable(client, table_name="fake-table")
    try:
        with pytest.raises(rt.ItemDecodeError) as caught:
            table.get("p", 1)
    finally:
        handler.body = b"{}"
    assert caught.value.attribute == name


# ------------------------------------------------------------------ properties

TEXT = st.text(max_size=8)
INTS = st.integers(-(10**20), 10**20)
DECIMALS = st.decimals(
    allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
)


def items(W: ModuleType) -> st.SearchStrategy[Any]:
    return st.builds(
        W.Item,
        pk=st.text(min_size=1, max_size=5),
        sk=INTS,
        s=TEXT,
        i=INTS,
        f=st.floats(min_value=-1e9, max_value=1e9).filter(lambda x: x == 0 or abs(x) > 1e-9),
        d=DECIMALS,
        flag=st.booleans(),
        raw=st.binary(max_size=5),
        at=st.datetimes(timezones=st.just(UTC)),
        day=st.dates(),
        uid=st.uuids(),
        doc=st.recursive(
            st.none() | st.booleans() | INTS | TEXT,
            lambda inner: st.lists(inner, max_size=3)
            | st.dictionaries(st.text(min_size=1, max_size=3), inner, max_size=3),
            max_leaves=6,
        ),
        info=st.builds(W.Info, rating=INTS, note=st.none() | TEXT),
        lines=st.lists(st.builds(W.Line, sku=TEXT, qty=INTS), max_size=3),
        names=st.dictionaries(st.text(min_size=1, max_size=4), TEXT, max_size=3),
        tags=st.sets(TEXT, max_size=3),
        counts=st.sets(INTS, max_size=3),
        prices=st.sets(DECIMALS, max_size=3),
        blobs=st.sets(st.binary(max_size=3), max_size=3),
        color=st.sampled_from(list(W.Color)),
        expires=st.datetimes(min_value=datetime.datetime(1970, 1, 2), timezones=st.just(UTC)).map(
            lambda t: t.replace(microsecond=0)
        ),
        maybe=st.none() | TEXT,
    )


def test_the_fast_and_the_precise_paths_agree_on_every_valid_item(W: ModuleType) -> None:
    @SETTINGS
    @given(items(W))
    def check(item: Any) -> None:
        wire = W.marshal_item(item)
        assert W._ITEM_FIELDS.read(wire) == W.unmarshal_item(wire) == item
        assert W._ITEM_FIELDS.write(item, ValueError()) == wire

    check()


JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.binary(max_size=4)
    | st.sampled_from(["NaN", "1_0", " 1", "+1", "1.5", "1E+2", "", "-", "2024-05-01", "red"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(
        st.sampled_from(["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M", "x"]),
        inner,
        max_size=2,
    ),
    max_leaves=6,
)


# What each attribute must read back as: its Python type, checked all the way down.
def _typed(W: ModuleType, name: str, value: Any) -> bool:
    def every(values: Any, kind: type[Any]) -> bool:
        return all(type(v) is kind for v in values)

    checks: dict[str, Callable[[Any], bool]] = {
        "pk": lambda v: type(v) is str,
        "sk": lambda v: type(v) is int,
        "s": lambda v: type(v) is str,
        "i": lambda v: type(v) is int,
        "f": lambda v: type(v) is float and v == v and abs(v) != float("inf"),
        "d": lambda v: type(v) is Decimal and v.is_finite(),
        "flag": lambda v: type(v) is bool,
        "raw": lambda v: type(v) is bytes,
        "at": lambda v: type(v) is datetime.datetime and v.tzinfo is UTC,
        "day": lambda v: type(v) is datetime.date,
        "uid": lambda v: type(v) is uuid.UUID,
        "doc": lambda v: _json_typed(v),
        "info": lambda v: type(v) is W.Info and type(v.rating) is int,
        "lines": lambda v: type(v) is list
        and all(type(x) is W.Line and type(x.sku) is str and type(x.qty) is int for x in v),
        "names": lambda v: type(v) is dict and every(v.values(), str),
        "tags": lambda v: type(v) is set and every(v, str),
        "counts": lambda v: type(v) is set and every(v, int),
        "prices": lambda v: type(v) is set and every(v, Decimal),
        "blobs": lambda v: type(v) is set and every(v, bytes),
        "color": lambda v: type(v) is W.Color,
        "expires": lambda v: type(v) is datetime.datetime,
        "maybe": lambda v: v is None or type(v) is str,
    }
    return checks[name](value)


def _json_typed(value: Any) -> bool:
    if value is None or type(value) in (str, bool, int):
        return True
    if type(value) is float:
        return value == value and abs(value) != float("inf")
    if type(value) is list:
        return all(_json_typed(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _json_typed(v) for k, v in value.items())
    return False


def test_junk_in_any_attribute_reads_as_the_right_types_or_raises_item_decode_error(
    W: ModuleType,
) -> None:
    names = list(good_wire())

    @settings(SETTINGS, max_examples=int(os.environ.get("JUNK_EXAMPLES", "400")))
    @given(st.sampled_from(names), JUNK)
    def check(name: str, junk: Any) -> None:
        raw = copy.deepcopy(good_wire())
        raw[name] = junk
        try:
            item = W.unmarshal_item(raw)
        except rt.ItemDecodeError as error:
            assert error.attribute is not None and error.attribute.split("[")[0].split(".")[0] in (
                name,
                f"{name} (stored as",
            )
            return
        assert _typed(W, name, getattr(item, name)), (name, junk, getattr(item, name))

    check()
