"""Writing: every value is checked against its attribute's type before any request.

A value of the wrong type (code without mypy, or `Any`) raises ValidationError naming the
attribute's path (`lines[1].qty`, `names['k']`, `info.rating`), and nothing is sent: not by
`put`, `create`, `update(set=/add=/delete=)`, key functions, conditions or `batch_put` (which
checks every item before it sends any chunk). Before these checks, `tags="abc"` was stored as a
set of letters, `flag=0` as false, `raw="text"` as bytes, a uuid key of None as the text "None",
`update(set={"nmae": ...})` bumped the version and changed nothing, and `name=5`, lone
surrogates, a string for a float or deeply nested JSON escaped as raw exceptions.

The hypothesis test draws, for every attribute of a spec holding every type, values of other
types (and values of the right type DynamoDB cannot hold) and checks each one is refused so.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import math
import uuid
from decimal import Decimal
from types import ModuleType
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynagen import naming
from dynagen import runtime as rt
from dynagen.runtime import make_client
from generated_example.user_sessions import UserSessionsTable
from tests.helpers import build_module, unique_name
from tests.reliability.conftest import client_config, scan_all

UTC = datetime.timezone.utc

SPEC = """
version: 1
table: wrong_values
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
      price: decimal
entities:
  Thing:
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
      maybe_tags: {type: set<string>, optional: true}
      version: version
      updated_at: updated_at
indexes:
  by_uid: {partition: uid, sort: at}
"""

SETTINGS = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def M(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("wrong_values"), SPEC, "wrong_values")


class Sent:
    """The operations a client sent (botocore's before-send), to show that nothing was."""

    def __init__(self, client: Any) -> None:
        self.operations: list[str] = []
        client.meta.events.register("before-send.dynamodb", self._record)

    def _record(self, request: Any, **_: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        self.operations.append(target.decode() if isinstance(target, bytes) else str(target))

    def clear(self) -> None:
        self.operations.clear()


@pytest.fixture(scope="module")
def client(local_endpoint: str) -> Any:
    return make_client(endpoint_url=local_endpoint, region_name="us-east-1", config=client_config())


@pytest.fixture(scope="module")
def sent(client: Any) -> Sent:
    return Sent(client)


@pytest.fixture(scope="module")
def things(M: ModuleType, client: Any) -> Iterator[Any]:
    table = M.WrongValuesTable(client, table_name=unique_name("rel-wrong-values"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


@pytest.fixture
def quiet(sent: Sent) -> Sent:
    sent.clear()
    return sent


def thing(M: ModuleType, sk: int = 1, **changes: Any) -> Any:
    fields: dict[str, Any] = dict(
        pk="p",
        sk=sk,
        s="text",
        i=3,
        f=0.5,
        d=Decimal("12.50"),
        flag=True,
        raw=b"\x00",
        at=datetime.datetime(2024, 5, 1, 12, tzinfo=UTC),
        day=datetime.date(2024, 5, 1),
        uid=uuid.UUID(int=7),
        doc={"a": [1, "x", None]},
        info=M.Info(rating=5),
        lines=[M.Line(sku="a", qty=1, price=Decimal(1)), M.Line(sku="b", qty=2, price=Decimal(2))],
        names={"k": "v"},
        tags={"x"},
        counts={1, 2},
        prices={Decimal("0.5")},
        blobs={b"b"},
        color=M.Color.RED,
        expires=datetime.datetime(2099, 1, 1, tzinfo=UTC),
    )
    fields.update(changes)
    return M.Thing(**fields)


def refused(call: Any, path: str, sent: Sent) -> rt.ValidationError:
    """`call` raises ValidationError whose message starts with `path`, and sent nothing."""
    with pytest.raises(rt.ValidationError) as caught:
        call()
    message = str(caught.value)
    assert message.startswith(path) and message[len(path)] in ":[.", message
    assert sent.operations == [], sent.operations
    return caught.value


# ------------------------------------------------------------------ the examples, by attribute


class Other(str, enum.Enum):
    RED = "red"


deep_json: Any = "leaf"
for _ in range(2000):
    deep_json = [deep_json]
json_32_deep: Any = "leaf"
for _ in range(32):
    json_32_deep = {"k": json_32_deep}

# What used to be stored wrong or escape raw: (attribute, a wrong value, the path the error
# names). What was refused already is in the hypothesis test below.
EXAMPLES: dict[str, tuple[str, Any, str]] = {
    "set of letters": ("tags", "abc", "tags"),
    "an empty string for a set": ("tags", "", "tags"),
    "a list for a set": ("tags", ["a"], "tags"),
    "None for a required set": ("tags", None, "tags"),
    "0 for a bool": ("flag", 0, "flag"),
    "the text 'false' for a bool": ("flag", "false", "flag"),
    "text for bytes": ("raw", "text", "raw"),
    "an int for a string": ("s", 5, "s"),
    "None for a required string": ("s", None, "s"),
    "a lone surrogate": ("s", "a\ud800b", "s"),
    "a lone surrogate in a map key": ("names", {"\udfff": "v"}, "names"),
    "a lone surrogate in a set": ("tags", {"ok", "\ud83d"}, "tags"),
    "a lone surrogate in JSON": ("doc", {"k": ["\ud800"]}, "doc"),
    "a string for a float": ("f", "0.5", "f"),
    "a bool for a float": ("f", True, "f"),
    "a string for a uuid": ("uid", "00000000-0000-0000-0000-000000000007", "uid"),
    "None for a uuid": ("uid", None, "uid"),
    "another enum's member": ("color", Other.RED, "color"),
    "the enum's value as text": ("color", "red", "color"),
    "a time for a datetime": ("at", datetime.time(12, tzinfo=UTC), "at"),
    "a dict for a record": ("info", {"rating": 5}, "info"),
    "another record": ("info", "Line", "info"),
    "a record field": ("info", "Info(rating='5')", "info.rating"),
    "a list element": ("lines", "[Line, 'x']", "lines[1]"),
    "a list element's field": ("lines", "[Line, Line(qty=True)]", "lines[1].qty"),
    "a tuple for a list": ("lines", (), "lines"),
    "a map value": ("names", {"a": "b", "k": 5}, "names['k']"),
    "an int map key": ("names", {1: "v"}, "names"),
    "deeply nested JSON": ("doc", deep_json, "doc"),
    "JSON 32 maps deep": ("doc", json_32_deep, "doc"),
    "text in a bytes set": ("blobs", {"b"}, "blobs"),
    "text for an optional set": ("maybe_tags", "abc", "maybe_tags"),
    "0 for an optional set": ("maybe_tags", 0, "maybe_tags"),
    "bytes for an optional string": ("maybe", b"x", "maybe"),
}


def _value(M: ModuleType, value: Any) -> Any:
    """The few examples that need the generated classes, written as text above."""
    line = M.Line(sku="a", qty=1, price=Decimal(1))
    return (
        {
            "Line": line,
            "Info(rating='5')": M.Info(rating="5"),  # type: ignore[arg-type]
            "[Line, 'x']": [line, "x"],
            "[Line, Line(qty=True)]": [line, M.Line(sku="b", qty=True, price=Decimal(1))],
        }.get(value, value)
        if isinstance(value, str)
        else value
    )


@pytest.mark.parametrize("case", list(EXAMPLES))
def test_a_wrong_value_is_refused_by_put_naming_its_path_and_nothing_is_sent(
    M: ModuleType, things: Any, quiet: Sent, case: str
) -> None:
    name, value, path = EXAMPLES[case]
    item = thing(M, **{name: _value(M, value)})
    refused(lambda: things.put(item), path, quiet)
    refused(lambda: things.create(item), path, quiet)
    refused(lambda: M.marshal_thing(item), path, quiet)


# update(set=...) takes the non-key, non-automatic attributes; None removes a set there.
UPDATE_EXAMPLES = [
    case
    for case, (name, value, _) in EXAMPLES.items()
    if name not in ("pk", "version", "updated_at") and not (name == "tags" and value is None)
]


@pytest.mark.parametrize("case", UPDATE_EXAMPLES)
def test_a_wrong_value_is_refused_by_update_set_naming_its_path_and_nothing_is_sent(
    M: ModuleType, things: Any, quiet: Sent, case: str
) -> None:
    name, value, path = EXAMPLES[case]
    refused(lambda: things.update("p", 1, set={name: _value(M, value)}), path, quiet)


def test_update_with_a_key_its_typed_dict_does_not_know_is_refused_before_any_request(
    M: ModuleType, things: Any, sent: Sent
) -> None:
    stored = things.create(thing(M, sk=50))
    sent.clear()
    error = refused(lambda: things.update("p", 50, set={"nmae": "x"}), "set", sent)
    assert "'nmae'" in str(error) and "s, tags" in str(error)  # and the keys it does know
    refused(lambda: things.update("p", 50, add={"s": "x"}), "add", sent)  # not a number or set
    refused(lambda: things.update("p", 50, delete={"counts_": {1}}), "delete", sent)
    refused(lambda: things.update("p", 50, set={"version": 9}), "set", sent)  # automatic
    refused(lambda: things.update("p", 50, set={"pk": "q"}), "set", sent)  # a key
    refused(lambda: things.update("p", 50, set=[("s", "x")]), "set", sent)  # not a dict
    refused(lambda: things.update("p", 50, remove=["nope"]), "remove", sent)
    refused(lambda: things.update("p", 50, remove=[["maybe"]]), "remove", sent)  # unhashable
    assert things.get("p", 50, consistent_read=True) == stored  # version not bumped


def test_update_add_and_delete_check_their_values_too(
    M: ModuleType, things: Any, quiet: Sent
) -> None:
    refused(lambda: things.update("p", 1, add={"i": True}), "i", quiet)
    refused(lambda: things.update("p", 1, add={"d": 0.5}), "d", quiet)
    refused(lambda: things.update("p", 1, add={"tags": "abc"}), "tags", quiet)
    refused(lambda: things.update("p", 1, add={"tags": ""}), "tags", quiet)
    refused(lambda: things.update("p", 1, delete={"counts": {1.5}}), "counts", quiet)
    refused(lambda: things.update("p", 1, delete={"blobs": [b"x"]}), "blobs", quiet)


def test_keys_conditions_and_queries_check_values_before_any_request(
    M: ModuleType, things: Any, quiet: Sent, client: Any
) -> None:
    refused(lambda: things.get(None, 1), "pk", quiet)
    refused(lambda: things.get("p", True), "sk", quiet)
    refused(lambda: things.delete("p", "1"), "sk", quiet)
    refused(lambda: list(things.query(5)), "pk", quiet)
    refused(lambda: list(things.query_by_uid("00000000-0000-0000-0000-000000000007")), "uid", quiet)
    refused(lambda: things.put(thing(M), condition=M.ThingAttrs.flag == 0), "flag", quiet)
    refused(lambda: M.ThingAttrs.tags.contains(5), "tags", quiet)
    refused(lambda: M.ThingAttrs.names["k"] == 5, "names", quiet)
    refused(lambda: M.ThingAttrs.at < datetime.datetime(2024, 1, 1), "at", quiet)
    refused(lambda: things.batch_get(["pk1", "pk2"]), "keys[0]", quiet)  # a string is no pair
    refused(lambda: things.batch_delete([("p", 1), ("p",)]), "keys[1]", quiet)
    sessions = UserSessionsTable(client, table_name=unique_name("never-created"))
    refused(lambda: sessions.get(None), "session_id", quiet)  # once sent as the text "None"
    refused(lambda: sessions.delete("not-a-uuid"), "session_id", quiet)


def test_batch_put_refuses_a_bad_item_before_sending_any_chunk(
    M: ModuleType, things: Any, sent: Sent, direct_client: Any
) -> None:
    table = M.WrongValuesTable(things.client, table_name=unique_name("rel-wrong-batch"))
    table.create_table()
    try:
        items = [thing(M, sk=n) for n in range(60)]
        items[37] = dataclasses.replace(items[37], flag="yes")
        sent.clear()
        error = refused(lambda: table.batch_put(items), "items[37]", sent)
        assert "flag" in str(error)
        assert scan_all(direct_client, table.table_name) == []
        items[37] = dataclasses.replace(items[37], flag=True)
        assert len(table.batch_put(items)) == 60
        assert len(scan_all(direct_client, table.table_name)) == 60
    finally:
        table.delete_table(wait=False)


def test_values_at_the_limits_are_sent_and_read_back(M: ModuleType, things: Any) -> None:
    """The other side of each refusal: what is accepted is stored as given."""
    json_31_deep: Any = "leaf"
    for _ in range(31):
        json_31_deep = [json_31_deep]

    class Name(str):
        pass

    item = thing(
        M,
        sk=60,
        s=Name("é\U0001f600"),  # a str subclass, astral-plane text: stored as the text
        d=12,  # an int for a decimal: exactly
        f=3,  # and for a float
        raw=bytearray(b"ab"),
        doc=json_31_deep,  # 31 lists deep, a plain value at the 32nd level
        names={"ü": "ß"},
    )
    stored = things.put(item)
    back = things.get("p", 60, consistent_read=True)
    assert back == stored
    assert back.s == "é\U0001f600" and type(back.s) is str
    assert back.d == Decimal(12) and back.f == 3.0 and back.raw == b"ab"
    assert back.doc == json_31_deep


# ------------------------------------------------------------------ every type, hypothesis

NOT_TEXT = st.one_of(
    st.integers(),
    st.floats(),
    st.binary(max_size=3),
    st.booleans(),
    st.decimals(),
    st.lists(st.text(max_size=2), max_size=2),
    st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=1),
    st.frozensets(st.text(max_size=2), max_size=2),
    st.dates(),
    st.uuids(),
)
SURROGATES = st.builds(
    lambda head, lone, tail: head + lone + tail,
    st.text(max_size=3),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.text(max_size=3),
)
NOT_INT = st.one_of(
    st.booleans(),
    st.floats(),
    st.text(max_size=3),
    st.decimals(),
    st.none(),
    st.integers(min_value=10**38 + 1, max_value=10**60).filter(lambda n: n % 10),
    st.builds(complex, st.integers(0, 3)),
)
NOT_FLOAT = st.one_of(
    st.booleans(),
    st.text(max_size=3),
    st.decimals(),
    st.none(),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e300, -1e200, 1e-200]),
)
NOT_DECIMAL = st.one_of(
    st.booleans(),
    st.floats(),
    st.text(max_size=3),
    st.none(),
    st.sampled_from(
        [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1E+126"), Decimal("1E-131")]
    ),
    st.integers(min_value=1, max_value=9).map(lambda n: Decimal("1" * 38 + str(n))),
)
NOT_BOOL = st.one_of(
    st.integers(), st.floats(), st.text(max_size=5), st.none(), st.binary(max_size=1)
)
NOT_BYTES = st.one_of(st.text(max_size=3), st.integers(), st.none(), st.lists(st.integers(0, 255)))
NOT_DATETIME = st.one_of(
    st.datetimes(),  # naive
    st.dates(),
    st.text(max_size=5),
    st.integers(),
    st.none(),
    st.times(timezones=st.just(UTC)),
)
NOT_DATE = st.one_of(
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(),
    st.text(max_size=10),
    st.none(),
    st.integers(),
)
NOT_UUID = st.one_of(
    st.uuids().map(str), st.none(), st.integers(), st.binary(min_size=16, max_size=16)
)
NOT_JSON = st.one_of(  # bytes and sets of str, numbers or bytes are JSON values (as boto3's)
    st.just(set()),
    st.sampled_from([{1, "x"}, {1.5}, {True}, frozenset({b"x", "x"})]),
    st.binary(max_size=2).map(bytearray),
    st.builds(object),
    st.builds(complex, st.integers(1, 3)),
    st.sampled_from([math.nan, math.inf, Decimal("NaN")]),
    st.dictionaries(st.integers(), st.none(), min_size=1, max_size=1),
    st.just({"": 1}),
    SURROGATES,
    st.builds(lambda inner: {"k": [inner]}, SURROGATES),
    st.just(json_32_deep),
)


def _wrong_for(M: ModuleType) -> dict[str, st.SearchStrategy[Any]]:
    """For each attribute of Thing: values it must refuse (of other types, or out of reach)."""
    line = st.builds(
        M.Line, sku=st.text(max_size=2), qty=st.integers(0, 5), price=st.just(Decimal(1))
    )
    not_line = st.one_of(NOT_TEXT, st.builds(M.Info, rating=st.integers(0, 3)))
    text = st.one_of(NOT_TEXT, SURROGATES, st.none())
    return {
        "pk": st.one_of(text, st.just("")),
        "sk": NOT_INT,
        "s": text,
        "i": NOT_INT,
        "f": NOT_FLOAT,
        "d": NOT_DECIMAL,
        "flag": NOT_BOOL,
        "raw": NOT_BYTES,
        "at": NOT_DATETIME,
        "day": NOT_DATE,
        "uid": NOT_UUID,
        "doc": NOT_JSON,
        "info": st.one_of(NOT_TEXT, st.none(), line, st.builds(M.Info, rating=NOT_INT)),
        "lines": st.one_of(
            st.text(max_size=3),
            st.tuples(line),
            st.none(),
            st.dictionaries(st.text(max_size=1), line, max_size=1),
            st.lists(not_line, min_size=1, max_size=2),
            st.lists(
                st.builds(M.Line, sku=text, qty=st.just(1), price=st.just(Decimal(1))),
                min_size=1,
                max_size=2,
            ),
            st.lists(
                st.builds(M.Line, sku=st.just("a"), qty=NOT_INT, price=st.just(Decimal(1))),
                min_size=1,
                max_size=2,
            ),
        ),
        "names": st.one_of(
            st.text(max_size=3),
            st.none(),
            st.lists(st.tuples(st.text(max_size=1), st.text(max_size=1)), min_size=1, max_size=2),
            st.dictionaries(st.text(min_size=1, max_size=2), text, min_size=1, max_size=2),
            st.dictionaries(
                st.one_of(st.integers(), st.just(""), SURROGATES),
                st.just("v"),
                min_size=1,
                max_size=1,
            ),
        ),
        "tags": st.one_of(
            st.text(max_size=3),
            st.none(),
            st.just(0),
            st.lists(st.text(max_size=2), max_size=2),
            st.sets(st.one_of(st.integers(), SURROGATES), min_size=1, max_size=2),
        ),
        "counts": st.one_of(
            st.text(max_size=3),
            st.none(),
            st.sets(st.one_of(st.floats(), st.text(max_size=2)), min_size=1, max_size=2),
        ),
        "prices": st.one_of(
            st.sets(st.one_of(st.floats(), st.text(max_size=2)), min_size=1, max_size=2),
            st.just("1"),
        ),
        "blobs": st.one_of(st.sets(st.text(max_size=2), min_size=1, max_size=2), st.just(b"ab")),
        "color": st.one_of(st.just("red"), st.just(Other.RED), st.none(), st.integers()),
        "expires": NOT_DATETIME,
        "maybe": st.one_of(NOT_TEXT, SURROGATES),
        "maybe_tags": st.one_of(
            st.text(max_size=3), st.just(0), st.lists(st.text(max_size=1), max_size=1)
        ),
        "version": NOT_INT,
        "updated_at": st.one_of(st.datetimes(), st.text(max_size=3), st.integers(), st.dates()),
    }


def test_every_attribute_refuses_every_wrong_value_naming_it_and_sends_nothing(
    M: ModuleType, things: Any, sent: Sent
) -> None:
    wrong = _wrong_for(M)
    fields = {field.name for field in dataclasses.fields(M.Thing)} - {naming.UNKNOWN_FIELD}
    assert set(wrong) == fields  # every attribute (what the spec does not name is kept as read)

    @settings(SETTINGS, max_examples=500)
    @given(
        st.sampled_from(sorted(wrong)).flatmap(lambda name: st.tuples(st.just(name), wrong[name]))
    )
    def check(case: tuple[str, Any]) -> None:
        name, value = case
        sent.clear()
        item = thing(M, **{name: value})
        with pytest.raises(rt.ValidationError) as caught:
            things.put(item)
        message = str(caught.value)
        assert message.startswith(name), (name, value, message)
        assert message[len(name)] in ":[.", message
        assert sent.operations == [], sent.operations

    check()
