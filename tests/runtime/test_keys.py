"""dynagen.runtime.keys: every template part type's string order is its value order, round trips, refusals, and
sort conditions that match exactly the keys they mean (checked by brute force against the
template's own keys and near-miss keys of other shapes)."""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynagen.runtime import Sort, ValidationError
from dynagen.runtime.errors import ItemDecodeError
from dynagen.runtime.expressions import SortCondition
from dynagen.runtime.keys import (
    TOP,
    EntityKey,
    KeyPart,
    KeyTemplate,
    ProjectedKeys,
    check_entity,
    which_entity,
)


class Status(str, enum.Enum):
    PAID = "paid"
    PAIDOUT = "paidout"
    SHIPPED = "shipped"


UTC = datetime.timezone.utc
DATETIMES = st.datetimes(timezones=st.just(UTC))
TEXTS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="#\U0010ffff"),
    min_size=1,
)

ORDER = KeyTemplate("ORDER#{order_no:08}", "ORDER#", KeyPart("order_no", "int", 8))
BY_STATUS = KeyTemplate(
    "{placed_at}#{order_no:08}",
    KeyPart("placed_at", "datetime"),
    "#",
    KeyPart("order_no", "int", 8),
)
NAMED = KeyTemplate("NAME#{name}#X", "NAME#", KeyPart("name", "string"), "#X")
TAIL = KeyTemplate("T#{name}", "T#", KeyPart("name", "string"))


def one(kind: Any, **extra: Any) -> KeyTemplate:
    return KeyTemplate("P#{v}", "P#", KeyPart("v", kind, **extra))


def ordered_by_key(template: KeyTemplate, values: list[Any]) -> None:
    encoded = sorted(values, key=lambda value: template.encode({"v": value}))
    assert encoded == sorted(values)


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6 - 1), min_size=2))
def test_int_order_is_value_order(values: list[int]) -> None:
    ordered_by_key(one("int", width=6), values)


@settings(deadline=None)
@given(st.lists(DATETIMES, min_size=2))
def test_datetime_order_is_value_order(values: list[datetime.datetime]) -> None:
    ordered_by_key(one("datetime"), values)


@settings(deadline=None)
@given(st.lists(st.dates(), min_size=2))
def test_date_order_is_value_order(values: list[datetime.date]) -> None:
    ordered_by_key(one("date"), values)


@settings(deadline=None)
@given(st.lists(st.uuids(), min_size=2))
def test_uuid_order_is_value_order(values: list[uuid.UUID]) -> None:
    ordered_by_key(one("uuid"), values)


@settings(deadline=None)
@given(st.lists(TEXTS, min_size=2))
def test_string_order_is_value_order(values: list[str]) -> None:
    # DynamoDB orders by UTF-8 bytes, which is code point order: Python's str order.
    ordered_by_key(one("string"), values)
    by_bytes = sorted(values, key=lambda value: one("string").encode({"v": value}).encode())
    assert by_bytes == sorted(values)


@settings(deadline=None)
@given(st.lists(st.sampled_from(list(Status)), min_size=2))
def test_enum_order_is_stored_value_order(values: list[Status]) -> None:
    encoded = sorted(values, key=lambda value: one("enum", choices=Status).encode({"v": value}))
    assert [v.value for v in encoded] == sorted(v.value for v in values)


@settings(deadline=None)
@given(DATETIMES, st.integers(min_value=0, max_value=10**8 - 1))
def test_round_trip_through_a_two_part_key(placed_at: datetime.datetime, order_no: int) -> None:
    key = BY_STATUS.encode({"placed_at": placed_at, "order_no": order_no})
    assert BY_STATUS.parse(key) == {"placed_at": placed_at, "order_no": order_no}


@settings(deadline=None)
@given(TEXTS)
def test_round_trip_strings_keep_their_case(name: str) -> None:
    key = NAMED.encode({"name": name})
    assert NAMED.parse(key) == {"name": name}
    assert NAMED.encode({"name": "Ab"}) == "NAME#Ab#X"  # never case-folded


@settings(deadline=None)
@given(st.uuids(), st.dates(), st.sampled_from(list(Status)))
def test_round_trip_uuid_date_enum(value: uuid.UUID, day: datetime.date, status: Status) -> None:
    template = KeyTemplate(
        "{u}|{d}|{s}",
        KeyPart("u", "uuid"),
        "|",
        KeyPart("d", "date"),
        "|",
        KeyPart("s", "enum", choices=Status),
    )
    assert template.parse(template.encode({"u": value, "d": day, "s": status})) == {
        "u": value,
        "d": day,
        "s": status,
    }


@pytest.mark.parametrize(
    ("template", "value", "message"),
    [
        (ORDER, -1, "order_no: -1 is negative"),
        (ORDER, 10**8, "does not fit the key template's 8 digits"),
        (ORDER, True, "order_no: expected int, got bool"),
        (ORDER, "5", "order_no: expected int, got str"),
        (NAMED, "", "name: a key template part cannot be an empty string"),
        (NAMED, "a#b", "name: 'a#b' holds '#', the separator that follows it"),
        (NAMED, "a" + TOP, "U+10FFFF is reserved"),
        (one("datetime"), datetime.datetime(2024, 1, 1), "v:"),
        (one("uuid"), "0b8a0b8a-0b8a-4b8a-8b8a-0b8a0b8a0b8a", "v: expected uuid.UUID"),
        (one("enum", choices=Status), "paid", "v: expected a member of Status"),
    ],
)
def test_values_that_would_break_the_template_are_refused(
    template: KeyTemplate, value: Any, message: str
) -> None:
    name = template.parts[0].attribute
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace("+", r"\+")):
        template.encode({name: value})


def test_keys_that_do_not_fit_are_not_parsed() -> None:
    assert ORDER.parse("ORDER#0000005") is None  # too short
    assert ORDER.parse("ORDER#000000051") is None  # too long: the pattern is anchored
    assert ORDER.parse("order#00000005") is None  # no case-folding on read either
    assert ORDER.parse("XORDER#00000005") is None
    assert NAMED.parse("NAME#a#b#X") is None  # the string part cannot hold its separator
    assert one("enum", choices=Status).parse("P#refunded") is None
    assert one("date").parse("P#2024-02-30") is None  # right shape, not a date


def test_template_checks_its_own_shape() -> None:
    with pytest.raises(ValueError, match="needs a separator"):
        KeyTemplate("{a}{b:02}", KeyPart("a", "string"), KeyPart("b", "int", 2))
    with pytest.raises(ValueError, match="needs a width"):
        KeyTemplate("{a}", KeyPart("a", "int"))


# ---------------------------------------------------------------- sort conditions, exactly


def matches(condition: SortCondition[str] | None, key: str) -> bool:
    """What DynamoDB does with a key condition on a string sort key (code point order)."""
    if condition is None:
        return True
    values = condition.values
    if condition.op == "=":
        return key == values[0]
    if condition.op == "begins_with":
        return key.startswith(values[0])
    assert condition.op == "between"
    return values[0] <= key <= values[1]


OPS = ["=", "<", "<=", ">", ">=", "between"]
MAKERS: dict[str, Any] = {
    "=": Sort.eq,
    "<": Sort.lt,
    "<=": Sort.le,
    ">": Sort.gt,
    ">=": Sort.ge,
    "between": Sort.between,
}


def made(op: str, *bounds: Any) -> SortCondition[Any]:
    """The condition `Sort.<kind>(*bounds)` for an operator, checked to carry that operator."""
    condition: SortCondition[Any] = MAKERS[op](*bounds)
    assert condition.op == op
    return condition


def python_op(op: str, value: Any, bounds: tuple[Any, ...]) -> bool:
    if op == "between":
        return bool(bounds[0] <= value <= bounds[1])
    return {
        "=": value == bounds[0],
        "<": value < bounds[0],
        "<=": value <= bounds[0],
        ">": value > bounds[0],
        ">=": value >= bounds[0],
    }[op]


NEAR_MISSES = [
    "ORDER",
    "ORDER#",
    "ORDER$",
    "ORDER#0000000",
    "ORDER#00000005#LINE#0001",
    "ORDEQ#00000005",
    "ORDER#\U0010fffe",
    "PROFILE",
    "ORDER#" + TOP,
    "",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=30),
    st.sampled_from(OPS),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_int_range_conditions_match_exactly_their_values(
    stored: list[int], op: str, a: int, b: int
) -> None:
    bounds = (a,) if op != "between" else (min(a, b), max(a, b))
    condition = ORDER.condition((), made(op, *bounds))
    for value in stored:
        assert matches(condition, ORDER.encode({"order_no": value})) == python_op(op, value, bounds)
    for key in NEAR_MISSES:  # within the entity's own prefix, the range the proof keeps clear
        assert not matches(condition, key) or key.startswith(ORDER.prefix)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(DATETIMES, st.integers(0, 20)), min_size=1, max_size=20),
    st.sampled_from(OPS),
    st.integers(0, 20),
    st.integers(0, 20),
    DATETIMES,
)
def test_second_part_conditions_after_an_equal_leading_part(
    stored: list[tuple[datetime.datetime, int]], op: str, a: int, b: int, at: datetime.datetime
) -> None:
    stored.append((at, a))
    bounds = (a,) if op != "between" else (min(a, b), max(a, b))
    condition = BY_STATUS.condition((at,), made(op, *bounds))
    for placed_at, order_no in stored:
        key = BY_STATUS.encode({"placed_at": placed_at, "order_no": order_no})
        expected = placed_at == at and python_op(op, order_no, bounds)
        assert matches(condition, key) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(DATETIMES, min_size=1, max_size=20),
    st.sampled_from(OPS),
    DATETIMES,
    DATETIMES,
)
def test_leading_datetime_ranges_with_text_after_them(
    stored: list[datetime.datetime], op: str, a: datetime.datetime, b: datetime.datetime
) -> None:
    stored += [a, b]
    bounds = (a,) if op != "between" else (min(a, b), max(a, b))
    condition = BY_STATUS.condition((), made(op, *bounds))
    for placed_at in stored:
        for order_no in (0, 7, 10**8 - 1):
            key = BY_STATUS.encode({"placed_at": placed_at, "order_no": order_no})
            assert matches(condition, key) == python_op(op, placed_at, bounds)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=20), st.sampled_from(OPS), TEXTS, TEXTS)
def test_string_ranges_on_a_final_part(stored: list[str], op: str, a: str, b: str) -> None:
    stored += [a, b, a + "\x00", a + "a"]
    bounds = (a,) if op != "between" else (min(a, b), max(a, b))
    condition = TAIL.condition((), made(op, *bounds))
    for value in stored:
        assert matches(condition, TAIL.encode({"name": value})) == python_op(op, value, bounds)
    assert not matches(condition, "T#")  # the empty string is no value of the part
    assert not matches(condition, "U#a") and not matches(condition, "S#" + TOP)


@settings(deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=20), TEXTS)
def test_string_equality_and_prefix_in_the_middle(stored: list[str], a: str) -> None:
    stored += [a, a + "b"]
    equal = NAMED.condition((), Sort.eq(a))
    prefix = NAMED.condition((), Sort.begins_with(a))
    for value in stored:
        key = NAMED.encode({"name": value})
        assert matches(equal, key) == (value == a)
        assert matches(prefix, key) == value.startswith(a)


def test_conditions_without_a_value() -> None:
    assert ORDER.condition() is not None and ORDER.condition().op == "begins_with"  # type: ignore[union-attr]
    assert BY_STATUS.condition() is None  # no literal prefix to add
    profile = KeyTemplate("PROFILE", "PROFILE")
    full = profile.condition()
    assert full is not None and (full.op, full.values) == ("=", ("PROFILE",))
    both = BY_STATUS.condition((datetime.datetime(2024, 1, 1, tzinfo=UTC), 5))
    assert both is not None and both.values == ("2024-01-01T00:00:00.000000Z#00000005",)


def test_range_on_a_string_followed_by_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs it to end the template"):
        NAMED.condition((), Sort.ge("a"))
    with pytest.raises(ValidationError, match="begins_with needs a string part"):
        ORDER.condition((), Sort.begins_with("1"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="has only 1 parts"):
        ORDER.condition((1,), Sort.eq(2))


# ---------------------------------------------------------------- which entity an item is

CUSTOMER = EntityKey(
    "Customer",
    KeyTemplate("C#{id}", "C#", KeyPart("id", "string")),
    KeyTemplate("PROFILE", "PROFILE"),
)
ORDER_KEY = EntityKey("Order", KeyTemplate("C#{id}", "C#", KeyPart("id", "string")), ORDER)
NAMES = ("pk", "sk", "_type")


def item(pk: str, sk: str, kind: str | None) -> dict[str, Any]:
    raw: dict[str, Any] = {"pk": {"S": pk}, "sk": {"S": sk}}
    if kind is not None:
        raw["_type"] = {"S": kind}
    return raw


def test_which_entity_reads_the_keys_and_the_entity_attribute() -> None:
    entities = [CUSTOMER, ORDER_KEY]
    assert which_entity(item("C#a", "PROFILE", "Customer"), "shop", NAMES, entities) == "Customer"
    assert which_entity(item("C#a", "ORDER#00000001", None), "shop", NAMES, entities) == "Order"
    with pytest.raises(ItemDecodeError, match=r"the key \{'pk': 'C#a', 'sk': 'ORDER#1'\} fits no"):
        which_entity(item("C#a", "ORDER#1", "Order"), "shop", NAMES, entities)
    with pytest.raises(ItemDecodeError, match="the entity attribute says 'Order'"):
        which_entity(item("C#a", "PROFILE", "Order"), "shop", NAMES, entities)


def test_check_entity_refuses_another_entitys_item() -> None:
    check_entity(item("C#a", "PROFILE", "Customer"), "_type", CUSTOMER, ("pk", "sk"))
    with pytest.raises(ItemDecodeError, match="expected 'Customer', found 'Order'"):
        check_entity(item("C#a", "PROFILE", "Order"), "_type", CUSTOMER, ("pk", "sk"))
    with pytest.raises(ItemDecodeError, match="does not fit Customer's key template"):
        check_entity(item("C#a", "ORDER#00000001", "Customer"), "_type", CUSTOMER, ("pk", "sk"))


# ------------------------------------------------------------ projected index items


PROJECTED = ProjectedKeys(
    "Task",
    (
        ("pk", KeyTemplate("PROJECT#{project_id}", "PROJECT#", KeyPart("project_id", "string"))),
        ("sk", KeyTemplate("TASK#{task_no:04}", "TASK#", KeyPart("task_no", "int", 4))),
        ("gsi1sk", KeyTemplate("{due}", KeyPart("due", "date"))),
    ),
)


def test_projected_keys_give_every_template_attribute_typed() -> None:
    raw = {"pk": {"S": "PROJECT#p1"}, "sk": {"S": "TASK#0007"}, "gsi1sk": {"S": "2026-02-01"}}
    assert PROJECTED.values(raw) == {
        "project_id": "p1",
        "task_no": 7,
        "due": datetime.date(2026, 2, 1),
    }


@pytest.mark.parametrize(
    ("raw", "attribute", "shown"),
    [
        ({"pk": {"S": "PROJECT#p1"}, "sk": {"S": "TASK#0007"}}, "gsi1sk", "None"),
        ({"pk": {"S": "PROJECT#p1"}, "sk": {"S": "LINE#0007"}, "gsi1sk": {"S": "2026-02-01"}}, "sk", "'LINE#0007'"),
        ({"pk": {"N": "1"}, "sk": {"S": "TASK#0007"}, "gsi1sk": {"S": "2026-02-01"}}, "pk", "None"),
        ({"pk": {"S": "PROJECT#p1"}, "sk": {"S": "TASK#0007"}, "gsi1sk": {"S": "2026-02-31"}}, "gsi1sk", "'2026-02-31'"),
    ],
)  # fmt: skip
def test_a_projected_key_missing_or_not_fitting_names_the_key(
    raw: dict[str, Any], attribute: str, shown: str
) -> None:
    with pytest.raises(ItemDecodeError) as caught:
        PROJECTED.values(raw)
    assert caught.value.entity == "Task" and caught.value.attribute == attribute
    assert f"found {shown}" in str(caught.value)
