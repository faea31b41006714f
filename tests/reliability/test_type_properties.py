"""Property tests for every type of SPEC.md: marshal/unmarshal, DynamoDB Local, boto3's serializers.

One spec holds an attribute of each type. Properties:

- `unmarshal(marshal(x)) == x` (datetimes compare as instants and come back in UTC; TTLs keep
  whole seconds; an empty optional set reads back as None);
- the wire form is accepted by DynamoDB Local and reads back equal (several items per request);
- where boto3's `TypeSerializer` defines a value (str, int, Decimal, bool, bytes, sets, lists,
  maps, JSON without floats), dynagen's wire form is the same, and `TypeDeserializer` reads
  every attribute dynagen writes.

Then the boundaries: 38 / 39 digits, huge ints, floats out of range, empty strings and
collections, astral-plane unicode, and items just under and just over 400 KB.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import uuid
from decimal import Decimal
from types import ModuleType
from typing import Any, Iterator

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynagen import runtime as rt
from dynagen.limits import MAX_ITEM_BYTES
from dynagen.runtime.wire import item_size
from tests.helpers import build_module, unique_name
from tests.reliability.proxy import FaultProxy

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

EVERY_TYPE_SPEC = """
version: 1
table: every_type
description: One attribute of each type in SPEC.md.
key: {partition: pk, sort: sk}
types:
  Color: {enum: [red, green, blue]}
  Point:
    fields:
      x: int
      label: {type: string, optional: true}
      weight: {type: decimal, optional: true}
entities:
  Everything:
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
      ints: list<int>
      points: list<Point>
      names: map<string>
      str_set: set<string>
      int_set: set<int>
      dec_set: set<decimal>
      bytes_set: set<bytes>
      point: Point
      color: Color
      expires: ttl
      maybe_s: {type: string, optional: true}
      maybe_set: {type: set<string>, optional: true}
      maybe_doc: {type: json, optional: true}
"""

PROPERTY_SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples every run: a CI failure reproduces locally
)


@pytest.fixture(scope="module")
def E(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("every_type"), EVERY_TYPE_SPEC, "every_type")


@pytest.fixture(scope="module")
def every_table(E: ModuleType, direct_client: Any) -> Iterator[Any]:
    table = E.EveryTypeTable(direct_client, table_name=unique_name("rel-types"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


# ------------------------------------------------------------------ strategies

INTS = st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1)
FLOATS = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-120, max_value=1e120),
    st.floats(min_value=-1e120, max_value=-1e-120),
)
DECIMALS = st.builds(
    lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
    st.integers(0, 1),
    st.lists(st.integers(0, 9), min_size=1, max_size=38),
    st.integers(-90, 80),
)
TEXT = st.text(max_size=12)  # any code point but surrogates: astral plane included
NAMES = st.text(min_size=1, max_size=8)
OFFSETS = st.builds(
    datetime.timezone,
    st.timedeltas(
        min_value=-datetime.timedelta(hours=23, minutes=59),
        max_value=datetime.timedelta(hours=23, minutes=59),
    ),
)
DATETIMES = st.datetimes(
    min_value=datetime.datetime(1900, 1, 2),
    max_value=datetime.datetime(2200, 1, 1),
    timezones=OFFSETS,
)
TTLS = st.datetimes(
    min_value=datetime.datetime(1970, 1, 2),
    max_value=datetime.datetime(2200, 1, 1),
    timezones=OFFSETS,
)
JSON = st.recursive(
    st.none() | st.booleans() | INTS | FLOATS | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=4),
    max_leaves=8,
)


def points(E: ModuleType) -> st.SearchStrategy[Any]:
    return st.builds(
        E.Point, x=INTS, label=st.none() | TEXT, weight=st.none() | DECIMALS  # type: ignore[arg-type]
    )


def everything(E: ModuleType, pk: st.SearchStrategy[str] = st.just("pk")) -> Any:
    return st.builds(
        E.Everything,
        pk=pk,
        sk=INTS,
        s=TEXT,
        i=INTS,
        f=FLOATS,
        d=DECIMALS,
        flag=st.booleans(),
        raw=st.binary(max_size=16),
        at=DATETIMES,
        day=st.dates(),
        uid=st.uuids(),
        doc=JSON,
        ints=st.lists(INTS, max_size=4),
        points=st.lists(points(E), max_size=2),
        names=st.dictionaries(NAMES, TEXT, max_size=3),
        str_set=st.sets(TEXT, max_size=3),
        int_set=st.sets(INTS, max_size=3),
        dec_set=st.sets(DECIMALS, max_size=3),
        bytes_set=st.sets(st.binary(max_size=6), max_size=3),
        point=points(E),
        color=st.sampled_from(list(E.Color)),
        expires=TTLS,
        maybe_s=st.none() | TEXT,
        maybe_set=st.none() | st.sets(TEXT, max_size=2),
        maybe_doc=st.none() | JSON,
    )


# ------------------------------------------------------------------ what "equal" means


def whole_seconds(value: datetime.datetime) -> datetime.datetime:
    return EPOCH + datetime.timedelta(seconds=(value - EPOCH) // datetime.timedelta(seconds=1))


def json_equal(original: Any, back: Any) -> bool:
    """JSON values equal as numbers: DynamoDB keeps a number's value, not whether it was a float
    (a whole-number float may come back as an int, any number from boto3 as a Decimal), so a
    float compares with what it reads back as a float."""
    if isinstance(original, bool) or original is None or isinstance(original, str):
        return type(back) is type(original) and back == original
    if isinstance(original, float):
        return not isinstance(back, bool) and float(back) == original
    if isinstance(original, int):
        return not isinstance(back, bool) and isinstance(back, (int, Decimal)) and back == original
    if isinstance(original, list):
        return (
            isinstance(back, list)
            and len(back) == len(original)
            and all(json_equal(a, b) for a, b in zip(original, back))
        )
    return (
        isinstance(back, dict)
        and back.keys() == original.keys()
        and all(json_equal(original[key], back[key]) for key in original)
    )


def assert_read_back(original: Any, read: Any) -> None:
    """The item as a read gives it back: datetimes in UTC (the same instant), TTL in whole
    seconds, an empty optional set as None, JSON numbers equal as numbers."""
    assert json_equal(original.doc, read.doc) and json_equal(original.maybe_doc, read.maybe_doc)
    expected = dataclasses.replace(
        original,
        expires=whole_seconds(original.expires),
        maybe_set=original.maybe_set or None,
        doc=None,
        maybe_doc=None,
    )
    assert dataclasses.replace(read, doc=None, maybe_doc=None) == expected
    assert read.at.tzinfo == UTC and read.expires.tzinfo == UTC
    assert read.at == original.at  # the same instant, to the microsecond


# ------------------------------------------------------------------ properties


def test_marshal_then_unmarshal_gives_the_value_back(E: ModuleType) -> None:
    @settings(PROPERTY_SETTINGS, max_examples=60)
    @given(everything(E))
    def check(item: Any) -> None:
        wire = E.marshal_everything(item)
        assert_read_back(item, E.unmarshal_everything(wire))
        assert all(len(value) == 1 for value in wire.values())  # one wire type per attribute

    check()


def test_the_wire_form_is_accepted_by_dynamodb_local_and_reads_back_equal(
    E: ModuleType, every_table: Any
) -> None:
    @settings(PROPERTY_SETTINGS, max_examples=12)
    @given(st.lists(everything(E), min_size=1, max_size=6))
    def check(items: list[Any]) -> None:
        partition = uuid.uuid4().hex  # a fresh partition per example
        items = [dataclasses.replace(x, pk=partition, sk=n) for n, x in enumerate(items)]
        every_table.batch_put(items)  # several values per request
        read = every_table.batch_get([(partition, n) for n in range(len(items))])
        assert len(read) == len(items)
        for original, back in zip(items, read):
            assert_read_back(original, back)

    check()


BOTH_DEFINE = ("s", "i", "d", "flag", "raw", "ints", "names", "maybe_s")
SETS = ("str_set", "int_set", "dec_set", "bytes_set", "maybe_set")


def has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return any(has_float(v) for v in value)
    if isinstance(value, dict):
        return any(has_float(v) for v in value.values())
    return False


def as_set(wire: dict[str, Any]) -> tuple[str, frozenset[Any]]:
    ((kind, members),) = wire.items()
    return kind, frozenset(members)


def plain(value: Any) -> Any:
    """boto3's deserialized form in plain Python: Binary -> bytes, containers recursively."""
    if isinstance(value, Binary):
        return value.value
    if isinstance(value, (set, frozenset)):
        return {plain(v) for v in value}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def test_the_wire_form_matches_boto3_type_serializer_and_deserializer(E: ModuleType) -> None:
    serializer, deserializer = TypeSerializer(), TypeDeserializer()

    @settings(PROPERTY_SETTINGS, max_examples=40)
    @given(everything(E))
    def check(item: Any) -> None:
        wire = E.marshal_everything(item)
        for name in BOTH_DEFINE:
            value = getattr(item, name)
            if value is None:
                assert name not in wire
                continue
            assert wire[name] == serializer.serialize(value), name
            assert plain(deserializer.deserialize(wire[name])) == value, name
        for name in SETS:
            value = getattr(item, name)
            if not value:
                assert name not in wire  # an empty set is not stored
                continue
            assert as_set(wire[name]) == as_set(serializer.serialize(value)), name
            assert plain(deserializer.deserialize(wire[name])) == value, name
        if not has_float(item.doc):
            assert wire["doc"] == serializer.serialize(item.doc)
        assert json_equal(item.doc, plain(deserializer.deserialize(wire["doc"])))
        for name, value in wire.items():  # boto3 reads every attribute dynagen writes
            deserializer.deserialize(value)

    check()


# ------------------------------------------------------------------ boundaries


def sample(E: ModuleType, pk: str = "bounds", sk: int = 0, **changes: Any) -> Any:
    fields: dict[str, Any] = dict(
        pk=pk,
        sk=sk,
        s="s",
        i=1,
        f=1.5,
        d=Decimal("1.5"),
        flag=True,
        raw=b"\x00",
        at=datetime.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
        day=datetime.date(2024, 2, 29),
        uid=uuid.UUID(int=7),
        doc={"a": [1, "two", None, True]},
        ints=[1],
        points=[],
        names={},
        str_set=set(),
        int_set=set(),
        dec_set=set(),
        bytes_set=set(),
        point=E.Point(x=1),
        color=E.Color.RED,
        expires=datetime.datetime(2030, 1, 1, tzinfo=UTC),
    )
    fields.update(changes)
    return E.Everything(**fields)


@pytest.fixture
def through_proxy(E: ModuleType, every_table: Any, proxy: FaultProxy, proxied_client: Any) -> Any:
    """The every_type table through the (fault-free) proxy, which records what reached it."""
    return E.EveryTypeTable(proxied_client, table_name=every_table.table_name)


def round_trip(table: Any, item: Any) -> Any:
    table.put(item)
    back = table.get(item.pk, item.sk, consistent_read=True)
    assert back is not None
    return back


ACCEPTED = [
    ("d", Decimal("9" * 38)),
    ("d", Decimal("-0." + "1" * 38)),
    ("d", Decimal("1" * 38 + "E+87")),  # 38 digits, magnitude just under 10**126
    ("d", Decimal("1E-130")),
    ("i", 10**38 - 1),
    ("i", -(10**38) + 1),
    ("i", 10**40),  # one significant digit: DynamoDB keeps it exactly
    ("f", 1e-120),
    ("f", -1.7976931348623157e120),
    ("s", ""),
    ("s", "𝄞 😀 \U0010fffd \u0000 ﷽"),
    ("doc", ""),
    ("doc", {}),
    ("doc", []),
    ("doc", None),
    ("doc", {"𝄞": ["😀", {"k": [[], {}]}]}),
    ("ints", []),
    ("points", []),
    ("names", {"ключ😀": "значение𝄞", "e": ""}),
    ("str_set", {"𝄞", "", "a"}),
    ("bytes_set", {b"", b"\xff"}),
    ("maybe_set", set()),
    ("raw", b""),
    ("pk", "𝄞-key"),
]


@pytest.mark.parametrize(
    ("number", "field", "value"),
    [(n, f, v) for n, (f, v) in enumerate(ACCEPTED)],
    ids=[f"{f}-{n}" for n, (f, _) in enumerate(ACCEPTED)],
)
def test_boundary_values_are_stored_and_read_back(
    E: ModuleType, every_table: Any, number: int, field: str, value: Any
) -> None:
    fields: dict[str, Any] = {"pk": "accepted", "sk": number, field: value}
    item = sample(E, **fields)
    assert_read_back(item, round_trip(every_table, item))


REFUSED = [
    ("d", Decimal("1" * 39)),  # 39 significant digits
    ("d", Decimal("1.00000000000000000000000000000000000001")),  # 39 as well
    ("d", Decimal("1E+126")),
    ("d", Decimal("1E-131")),
    ("d", Decimal("NaN")),
    ("d", Decimal("Infinity")),
    ("i", 2**200),
    ("i", 10**126),
    ("f", math.nan),
    ("f", math.inf),
    ("f", 1e300),
    ("f", 5e-324),
    ("doc", {"n": 2**200}),
    ("doc", [math.inf]),
    ("int_set", {1, 2**130}),
    ("at", datetime.datetime(2024, 1, 1)),  # naive
    ("at", datetime.datetime(1, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))),
    ("pk", ""),  # an empty key
]


@pytest.mark.parametrize(
    ("field", "value"), REFUSED, ids=[f"{f}-{n}" for n, (f, _) in enumerate(REFUSED)]
)
def test_values_dynamodb_cannot_hold_are_refused_before_any_request(
    E: ModuleType, through_proxy: Any, proxy: FaultProxy, field: str, value: Any
) -> None:
    fields: dict[str, Any] = {"pk": "refused", field: value}
    item = sample(E, **fields)
    with pytest.raises(rt.ValidationError) as caught:
        through_proxy.put(item)
    assert str(caught.value).startswith(field)  # the error names the attribute
    with pytest.raises(rt.ValidationError):
        through_proxy.batch_put([item])
    assert proxy.forwarded == []


@pytest.mark.parametrize("field", ["names", "doc"])
def test_an_empty_map_key_is_refused_before_any_request(
    E: ModuleType, through_proxy: Any, proxy: FaultProxy, field: str
) -> None:
    value = {"": "x"}
    with pytest.raises(rt.ValidationError):
        through_proxy.put(sample(E, pk="empty-map-key", **{field: value}))
    assert proxy.forwarded == []


def _sized(E: ModuleType, pk: str, size: int, **changes: Any) -> Any:
    """An item of exactly `size` bytes by dynagen's count (the padding is a binary value).

    Its numbers (12.5, 1, 2030's epoch seconds...) are ones whose size dynagen and DynamoDB
    agree on.
    """
    item = sample(E, pk=pk, sk=1, d=Decimal("12.5"), f=12.5, **changes)
    base = item_size(E.marshal_everything(item)) - len(item.raw)
    return dataclasses.replace(item, raw=b"\xab" * (size - base))


def test_an_item_of_exactly_400_kb_is_stored_and_read_back(
    E: ModuleType, through_proxy: Any
) -> None:
    item = _sized(E, "limit", MAX_ITEM_BYTES)
    assert item_size(E.marshal_everything(item)) == MAX_ITEM_BYTES == 400 * 1024
    back = round_trip(through_proxy, item)
    assert back.raw == item.raw
    same_size = dataclasses.replace(item, sk=2)  # a key of the same size: still exactly 400 KB
    assert through_proxy.batch_put([same_size])[0].raw == item.raw


def test_an_item_one_byte_over_400_kb_is_refused_before_any_request(
    E: ModuleType, through_proxy: Any, proxy: FaultProxy
) -> None:
    item = _sized(E, "over", MAX_ITEM_BYTES + 1)
    for write in (through_proxy.put, through_proxy.create):
        with pytest.raises(rt.ValidationError, match="409601 bytes"):
            write(item)
    with pytest.raises(rt.ValidationError, match="400 KB"):
        through_proxy.batch_put([sample(E, pk="small"), item])
    with pytest.raises(rt.ValidationError):
        through_proxy.tx_put(item)
    assert proxy.forwarded == []  # not one PutItem / BatchWriteItem reached the server


def test_an_item_dynagen_measures_under_400_kb_is_accepted_or_refused_before_sending(
    E: ModuleType, through_proxy: Any, proxy: FaultProxy
) -> None:
    item = _sized(E, "numbers", MAX_ITEM_BYTES - 100, ints=[-1] * 10_000)
    assert item_size(E.marshal_everything(item)) == MAX_ITEM_BYTES - 100
    try:
        assert round_trip(through_proxy, item).ints == item.ints  # fits: stored
    except rt.ValidationError:
        assert proxy.forwarded == []  # or refused before any request
