"""codegen/kinds.py: per spec type, the annotation and the marshal/unmarshal code, run on values.

The generated code is evaluated in a namespace like a generated module's: `_rt` is
dynagen.runtime.internal, plus decimal, datetime, uuid, typing, and a small enum and record.
Adding a spec type adds its `Kind` (dynagen/spec/kinds.py), its codegen class
(dynagen/codegen/kinds.py), and its cases here; the registry tests below hold the two together.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import typing
import uuid
from decimal import Decimal
from typing import Any

import pytest

from dynagen.codegen.kinds import CODEGEN, KindCodegen, codegen_for
from dynagen.runtime import internal as _rt
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions import ExpressionBuilder
from dynagen.spec import kinds
from dynagen.spec.model import Attribute, Default, TypeRef

UTC = datetime.timezone.utc
PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))


class Color(str, enum.Enum):
    RED = "red"
    IN_PROGRESS = "in-progress"


@dataclasses.dataclass
class Point:
    x: float
    y: float


def _marshal_point(item: Point, level: int) -> dict[str, Any]:
    """A stand-in for a generated record marshal, which takes how deep its map sits."""
    return {"x": {"N": _rt.number_float(item.x, "x")}, "y": {"N": _rt.number_float(item.y, "y")}}


def _unmarshal_point(raw: typing.Mapping[str, Any]) -> Point:
    return Point(x=float(raw["x"]["N"]), y=float(raw["y"]["N"]))


NAMESPACE: dict[str, Any] = {
    "_rt": _rt,
    "dataclasses": dataclasses,
    "datetime": datetime,
    "decimal": decimal,
    "typing": typing,
    "uuid": uuid,
    "Color": Color,
    "Point": Point,
    "_marshal_point": _marshal_point,
    "_unmarshal_point": _unmarshal_point,
}


def T(text: str) -> TypeRef:
    """`list<map<int>>` -> TypeRef; `Color` is the enum and `Point` the record of NAMESPACE."""
    for container in (kinds.LIST, kinds.MAP, kinds.SET):
        if text.startswith(container.name + "<"):
            return TypeRef(container, T(text[len(container.name) + 1 : -1]))
    if text == "Color":
        return TypeRef(kinds.ENUM, name="Color")
    if text == "Point":
        return TypeRef(kinds.RECORD, name="Point")
    return TypeRef(kinds.KINDS[text])


def encode(t: TypeRef, value: object, *, key: bool = False, label: str = "attr") -> Any:
    return eval(codegen_for(t).encode("value", label, key=key), {**NAMESPACE, "value": value})


def decode(t: TypeRef, wire: object) -> Any:
    return eval(codegen_for(t).decode("wire"), {**NAMESPACE, "wire": wire})


DT = datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
U = uuid.UUID("12345678-1234-5678-1234-567812345678")

# (type, Python value, exact wire form)
ROUND_TRIPS: list[tuple[str, object, object]] = [
    ("string", "héllo", {"S": "héllo"}),
    ("string", "", {"S": ""}),  # only keys refuse empty strings
    ("int", 42, {"N": "42"}),
    ("int", -7, {"N": "-7"}),
    ("int", 10**37, {"N": "1" + "0" * 37}),
    ("float", 1.5, {"N": "1.5"}),
    ("float", 0.1, {"N": "0.1"}),
    ("float", 1e16, {"N": "1e+16"}),
    ("decimal", Decimal("123.4500"), {"N": "123.4500"}),
    ("decimal", Decimal("-0.5"), {"N": "-0.5"}),
    ("decimal", Decimal("1E+40"), {"N": "1E+40"}),
    ("decimal", Decimal("1E-30"), {"N": "1E-30"}),
    (
        "decimal",
        Decimal("1234567890123456789012345678901234567.8"),
        {"N": "1234567890123456789012345678901234567.8"},
    ),
    ("bool", True, {"BOOL": True}),
    ("bool", False, {"BOOL": False}),
    ("bytes", b"\x00\xff", {"B": b"\x00\xff"}),
    ("datetime", DT, {"S": "2024-01-02T03:04:05.000006Z"}),
    ("datetime", datetime.datetime(2024, 1, 2, tzinfo=UTC), {"S": "2024-01-02T00:00:00.000000Z"}),
    ("created_at", DT, {"S": "2024-01-02T03:04:05.000006Z"}),
    ("updated_at", DT, {"S": "2024-01-02T03:04:05.000006Z"}),
    ("date", datetime.date(2024, 2, 29), {"S": "2024-02-29"}),
    ("uuid", U, {"S": "12345678-1234-5678-1234-567812345678"}),
    ("ttl", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), {"N": "1704164645"}),
    ("version", 3, {"N": "3"}),
    ("version", 0, {"N": "0"}),
    ("json", None, {"NULL": True}),
    (
        "json",
        {"a": [1, 2.5, "x", True, None], "b": {}},
        {
            "M": {
                "a": {"L": [{"N": "1"}, {"N": "2.5"}, {"S": "x"}, {"BOOL": True}, {"NULL": True}]},
                "b": {"M": {}},
            }
        },
    ),
    ("list<int>", [1, 2], {"L": [{"N": "1"}, {"N": "2"}]}),
    ("list<string>", [], {"L": []}),
    ("list<list<string>>", [["a"], []], {"L": [{"L": [{"S": "a"}]}, {"L": []}]}),
    ("list<map<int>>", [{"a": 1}], {"L": [{"M": {"a": {"N": "1"}}}]}),
    ("map<decimal>", {"p": Decimal("9.99")}, {"M": {"p": {"N": "9.99"}}}),
    ("map<list<int>>", {"k": [1]}, {"M": {"k": {"L": [{"N": "1"}]}}}),
    ("map<map<string>>", {"a.b": {"#x": "v"}}, {"M": {"a.b": {"M": {"#x": {"S": "v"}}}}}),
    ("map<json>", {"k": None}, {"M": {"k": {"NULL": True}}}),
    ("Color", Color.IN_PROGRESS, {"S": "in-progress"}),
    ("list<Color>", [Color.RED], {"L": [{"S": "red"}]}),
    ("Point", Point(1.0, -2.5), {"M": {"x": {"N": "1.0"}, "y": {"N": "-2.5"}}}),
    ("list<Point>", [Point(0.5, 0.25)], {"L": [{"M": {"x": {"N": "0.5"}, "y": {"N": "0.25"}}}]}),
    (
        "map<Point>",
        {"home": Point(1.0, 2.0)},
        {"M": {"home": {"M": {"x": {"N": "1.0"}, "y": {"N": "2.0"}}}}},
    ),
]


@pytest.mark.parametrize(
    ("type_text", "value", "wire"),
    ROUND_TRIPS,
    ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(ROUND_TRIPS)],
)
def test_encode_gives_the_exact_wire_form_and_decode_gives_the_value_back(
    type_text: str, value: object, wire: object
) -> None:
    t = T(type_text)
    assert encode(t, value) == wire
    back = decode(t, wire)
    assert back == value
    assert type(back) is type(value)


# (type, Python value, wire type, wire members as strings or bytes)
SETS: list[tuple[str, set[Any], str, list[Any]]] = [
    ("set<string>", {"b", "a"}, "SS", ["a", "b"]),
    ("set<int>", {20, 1, -3}, "NS", ["-3", "1", "20"]),
    ("set<decimal>", {Decimal("1.50"), Decimal("2")}, "NS", ["1.50", "2"]),
    ("set<bytes>", {b"b", b"\x00"}, "BS", [b"\x00", b"b"]),
]


@pytest.mark.parametrize(("type_text", "value", "wire_type", "members"), SETS)
def test_sets_are_stored_as_ss_ns_bs_with_numbers_as_strings(
    type_text: str, value: set[Any], wire_type: str, members: list[Any]
) -> None:
    t = T(type_text)
    wire = encode(t, value)
    assert list(wire) == [wire_type]
    assert sorted(wire[wire_type]) == sorted(members)
    assert decode(t, wire) == value
    assert decode(t, {wire_type: list(reversed(members))}) == value


def test_datetimes_in_other_zones_are_stored_in_utc() -> None:
    local = datetime.datetime(2024, 1, 2, 5, 4, 5, 6, tzinfo=PLUS_TWO)
    wire = encode(T("datetime"), local)
    assert wire == {"S": "2024-01-02T03:04:05.000006Z"}
    back = decode(T("datetime"), wire)
    assert back == local and back.utcoffset() == datetime.timedelta(0)


def test_stored_datetimes_sort_as_text_in_time_order() -> None:
    moments = [
        datetime.datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime.datetime(2024, 1, 2, 3, 4, 5, 1, tzinfo=UTC),
        datetime.datetime(2024, 1, 2, 4, 4, 5, tzinfo=PLUS_TWO),  # 02:04:05 UTC
    ]
    texts = [encode(T("datetime"), moment)["S"] for moment in moments]
    assert len({len(text) for text in texts}) == 1
    assert sorted(texts) == [texts[i] for i in sorted(range(4), key=lambda i: moments[i])]


def test_ttl_is_whole_epoch_seconds_in_any_zone() -> None:
    moment = datetime.datetime(2024, 1, 2, 5, 4, 5, 999999, tzinfo=PLUS_TWO)
    wire = encode(T("ttl"), moment)
    assert wire == {"N": "1704164645"}
    assert decode(T("ttl"), wire) == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_decimal_keeps_exponent_and_trailing_zeros() -> None:
    for text in ("1E+40", "123.4500", "1E-30", "0.000"):
        back = decode(T("decimal"), encode(T("decimal"), Decimal(text)))
        assert back.as_tuple() == Decimal(text).as_tuple(), text


def test_json_numbers_read_back_exactly_and_keep_int_and_bool_types() -> None:
    values = [1, 2.5, True, -3, 10**20, 2.0, Decimal("1.5E+30")]
    back = decode(T("json"), encode(T("json"), values))
    assert back == values  # 2.0 may come back as 2, as DynamoDB itself would store it
    # a fraction or exponent reads as Decimal, never through float
    assert [type(x) for x in back] == [int, Decimal, bool, int, int, int, Decimal]


@pytest.mark.parametrize(
    ("type_text", "value", "key"),
    [
        ("string", "", True),
        ("bytes", b"", True),
        ("float", float("nan"), False),
        ("float", float("inf"), False),
        ("decimal", Decimal("1234567890123456789012345678901234567.89"), False),  # 39 digits
        ("decimal", Decimal("NaN"), False),
        ("decimal", Decimal("1E+126"), False),
        ("int", True, False),
        ("int", 10**38 + 1, False),  # 39 significant digits
        ("datetime", datetime.datetime(2024, 1, 2), False),  # naive
        ("ttl", datetime.datetime(2024, 1, 2), False),  # naive
        ("date", datetime.datetime(2024, 1, 2, tzinfo=UTC), False),  # a datetime is not a date
        ("set<int>", {1.5}, False),
        ("json", {1: "not a str key"}, False),
    ],
)
def test_values_dynamodb_cannot_hold_are_refused_with_the_attribute_named(
    type_text: str, value: object, key: bool
) -> None:
    with pytest.raises(ValidationError, match="the_attr"):
        encode(T(type_text), value, key=key, label="the_attr")


def test_key_encoding_refuses_empty_values_but_plain_encoding_does_not() -> None:
    assert encode(T("string"), "", key=False) == {"S": ""}
    assert encode(T("string"), "k", key=True) == {"S": "k"}
    assert encode(T("bytes"), b"k", key=True) == {"B": b"k"}


ANNOTATIONS = [
    ("string", "str"),
    ("int", "int"),
    ("float", "float"),
    ("decimal", "decimal.Decimal"),
    ("bool", "bool"),
    ("bytes", "bytes"),
    ("datetime", "datetime.datetime"),
    ("date", "datetime.date"),
    ("uuid", "uuid.UUID"),
    ("json", "typing.Any"),
    ("ttl", "datetime.datetime"),
    ("version", "int"),
    ("created_at", "datetime.datetime"),
    ("updated_at", "datetime.datetime"),
    ("list<int>", "list[int]"),
    ("list<list<string>>", "list[list[str]]"),
    ("map<decimal>", "dict[str, decimal.Decimal]"),
    ("map<list<Point>>", "dict[str, list[Point]]"),
    ("set<string>", "set[str]"),
    ("set<int>", "set[int]"),
    ("set<decimal>", "set[decimal.Decimal]"),
    ("set<bytes>", "set[bytes]"),
    ("Color", "Color"),
    ("Point", "Point"),
]


@pytest.mark.parametrize(("type_text", "expected"), ANNOTATIONS)
def test_annotation(type_text: str, expected: str) -> None:
    assert codegen_for(T(type_text)).annotation() == expected
    eval(expected, NAMESPACE)  # only names a generated module has


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        (Attribute("a", "a", T("string")), "str"),
        (Attribute("a", "a", T("string"), optional=True), "str | None"),
        (Attribute("a", "a", T("list<int>"), optional=True), "list[int] | None"),
        (Attribute("a", "a", T("ttl"), optional=True), "datetime.datetime | None"),
        (Attribute("a", "a", T("ttl")), "datetime.datetime"),
        (Attribute("a", "a", T("version")), "int"),
        (Attribute("a", "a", T("created_at")), "datetime.datetime | None"),
        (Attribute("a", "a", T("updated_at")), "datetime.datetime | None"),
    ],
)
def test_field_annotation(attribute: Attribute, expected: str) -> None:
    code = codegen_for(attribute.type)
    assert code.field_annotation(optional=attribute.optional) == expected


def default_code(attribute: Attribute) -> str | None:
    code = codegen_for(attribute.type)
    return code.default_code(optional=attribute.optional, default=attribute.default)


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        (Attribute("a", "a", T("string")), None),  # required
        (Attribute("a", "a", T("string"), optional=True), None),  # optional: None
        (Attribute("a", "a", T("string"), optional=True, default=Default(None)), None),
        (Attribute("a", "a", T("version")), 0),
        (Attribute("a", "a", T("created_at")), None),
        (Attribute("a", "a", T("string"), default=Default('it\'s "q"')), 'it\'s "q"'),
        (Attribute("a", "a", T("int"), default=Default(-7)), -7),
        (Attribute("a", "a", T("float"), default=Default(2.5)), 2.5),
        (Attribute("a", "a", T("decimal"), default=Default(Decimal("12.50"))), Decimal("12.50")),
        (Attribute("a", "a", T("bool"), default=Default(False)), False),
        (
            Attribute("a", "a", T("date"), default=Default(datetime.date(2024, 2, 29))),
            datetime.date(2024, 2, 29),
        ),
        (Attribute("a", "a", T("uuid"), default=Default(U)), U),
        (Attribute("a", "a", T("Color"), default=Default("in-progress")), Color.IN_PROGRESS),
        (Attribute("a", "a", T("json"), default=Default("text")), "text"),
    ],
)
def test_default_code_evaluates_to_the_default(attribute: Attribute, expected: object) -> None:
    code = default_code(attribute)
    if (
        attribute.default is None
        and not attribute.optional
        and attribute.kind not in (kinds.VERSION, kinds.CREATED_AT)
    ):
        assert code is None
        return
    assert code is not None
    value = eval(code, NAMESPACE)
    assert value == expected and type(value) is type(expected)
    assert repr(value) == repr(expected)  # Decimal("12.50") keeps its zero


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        (Attribute("a", "a", T("list<int>"), default=Default([])), []),
        (Attribute("a", "a", T("map<int>"), default=Default({})), {}),
        (Attribute("a", "a", T("set<int>"), default=Default(set())), set()),
        (Attribute("a", "a", T("json"), default=Default({"a": [1]})), {"a": [1]}),
    ],
)
def test_mutable_defaults_use_a_fresh_object_per_instance(
    attribute: Attribute, expected: object
) -> None:
    code = default_code(attribute)
    assert code is not None and code.startswith("dataclasses.field(default_factory=")
    field = eval(code, NAMESPACE)
    first, second = field.default_factory(), field.default_factory()
    assert first == expected and type(first) is type(expected)
    assert first is not second


class Entity:
    """A stand-in for a generated entity class in reference annotations."""


# Every type whose reference the runtime builds alone (a record's reference class is generated).
REFERENCE_CASES = (
    [
        (type_text, value)
        for type_text, value, _ in ROUND_TRIPS
        if "Point" not in type_text and type_text != "json"
    ]
    + [("json", {"a": [1]})]
    + [(type_text, value) for type_text, value, _, _ in SETS]
)


@pytest.mark.parametrize(
    ("type_text", "value"),
    REFERENCE_CASES,
    ids=[f"{t}-{i}" for i, (t, _) in enumerate(REFERENCE_CASES)],
)
def test_condition_references_compare_with_the_same_wire_value_as_encode(
    type_text: str, value: object
) -> None:
    t = T(type_text)
    namespace = {**NAMESPACE, "Entity": Entity}
    annotation = eval(codegen_for(t).ref_annotation("Entity", "_rt.Required"), namespace)
    reference = eval(codegen_for(t).ref_expr("'my attr'", "attr", "_rt.Required"), namespace)
    assert isinstance(reference, typing.get_origin(annotation) or annotation)
    builder = ExpressionBuilder()
    text = (reference == value).render(builder)
    assert text == "#n0 = :v0"
    assert builder.names == {"#n0": "my attr"}
    assert builder.values == {":v0": encode(t, value)}


def test_is_number_only_for_int_float_decimal() -> None:
    numbers = {kind for kind, _ in ANNOTATIONS if T(kind).kind.number}
    assert numbers == {"int", "float", "decimal"}


# ---------------------------------------------------------------- the two registries agree


def test_every_kind_has_a_codegen_class_and_every_class_a_kind() -> None:
    assert set(CODEGEN) == set(kinds.KINDS)
    for name, cls in CODEGEN.items():
        assert cls.kind is kinds.KINDS[name], name
        assert issubclass(cls, KindCodegen)


def test_codegen_for_picks_the_class_of_the_kind() -> None:
    for text, _ in ANNOTATIONS:
        t = T(text)
        code = codegen_for(t)
        assert type(code) is CODEGEN[t.kind.name] and code.t == t


def test_every_kind_has_annotation_and_round_trip_cases_here() -> None:
    """A new kind must come with its cases in this file (and a new codegen class)."""

    def kinds_in(t: TypeRef) -> set[str]:
        return {t.kind.name} | (kinds_in(t.element) if t.element else set())

    annotated = set().union(*(kinds_in(T(text)) for text, _ in ANNOTATIONS))
    texts = [text for text, _, _ in ROUND_TRIPS] + [text for text, _, _, _ in SETS]
    round_tripped = set().union(*(kinds_in(T(text)) for text in texts))
    assert annotated == set(kinds.KINDS)
    assert round_tripped == set(kinds.KINDS)


# Key kinds with a value DynamoDB accepts in a key (no empty strings or bytes).
KEY_CASES = [case for case in ROUND_TRIPS if T(case[0]).kind.key and case[1] not in ("", b"")]


@pytest.mark.parametrize(("type_text", "value", "wire"), KEY_CASES)
def test_key_kinds_encode_to_their_wire_key_type(type_text: str, value: object, wire: Any) -> None:
    t = T(type_text)
    encoded = encode(t, value, key=True)
    assert list(encoded) == [t.kind.wire_key_type] == list(wire)


def test_every_key_kind_has_a_key_case() -> None:
    assert {T(text).kind for text, _, _ in KEY_CASES} == kinds.KEY_KINDS


@pytest.mark.parametrize(("type_text", "value", "wire_type", "members"), SETS)
def test_set_elements_encode_to_their_set_wire_type(
    type_text: str, value: set[Any], wire_type: str, members: list[Any]
) -> None:
    t = T(type_text)
    assert t.element is not None and t.element.kind.set_wire_type == wire_type
    assert codegen_for(t).presence(optional=False) == "set"  # an empty set is never stored


@pytest.mark.parametrize(
    ("type_text", "value"),
    REFERENCE_CASES,
    ids=[f"{t}-{i}" for i, (t, _) in enumerate(REFERENCE_CASES)],
)
def test_references_of_ordered_kinds_compare_by_order(type_text: str, value: object) -> None:
    reference = eval(codegen_for(T(type_text)).ref_expr("'a'", "a", "_rt.Removable"), {**NAMESPACE})
    assert isinstance(reference, _rt.OrderedAttr) == T(type_text).kind.ordered


@pytest.mark.parametrize(
    ("type_text", "value"),
    REFERENCE_CASES,
    ids=[f"{t}-{i}" for i, (t, _) in enumerate(REFERENCE_CASES)],
)
@pytest.mark.parametrize("mode", ["_rt.Key", "_rt.Auto", "_rt.Required", "_rt.Removable"])
def test_a_reference_refuses_the_actions_its_mode_does_not_offer(
    type_text: str, value: object, mode: str
) -> None:
    """Keys and automatic attributes are neither set nor removed, required ones not removed:
    ValidationError when the action is made, before any request (for code mypy did not see)."""
    reference = eval(codegen_for(T(type_text)).ref_expr("'a'", "a", mode), {**NAMESPACE})
    assert reference._mode is eval(mode, {**NAMESPACE})
    if mode in ("_rt.Key", "_rt.Auto"):
        with pytest.raises(
            _rt.ValidationError, match="set\\(\\) refused: .* written by dynagen only"
        ):
            reference.set(value)
        with pytest.raises(
            _rt.ValidationError, match="remove\\(\\) refused: .* written by dynagen only"
        ):
            reference.remove()
        return
    assert reference.set(value).path == reference.path
    if mode == "_rt.Required":
        with pytest.raises(_rt.ValidationError, match="remove\\(\\) refused: it is required"):
            reference.remove()
    else:
        assert reference.remove().path == reference.path


def test_automatic_timestamps_are_optional_fields_written_by_the_runtime() -> None:
    for kind in (kinds.CREATED_AT, kinds.UPDATED_AT):
        code = codegen_for(TypeRef(kind))
        assert code.presence(optional=False) == "optional"
        assert code.default_code(optional=False, default=None) == "None"
    assert codegen_for(TypeRef(kinds.VERSION)).presence(optional=False) == "always"
