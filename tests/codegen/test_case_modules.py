"""Each feature case's module at work: items round-trip through their wire form, feature by feature.

The modules are the committed cases/<feature>/expected.py files (test_cases.py holds that they are
exactly what the generator writes today), imported without a server.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import functools
import uuid
from decimal import Decimal
from types import ModuleType

import pytest

from dynagen import naming
from dynagen.runtime import ItemDecodeError
from tests.codegen.support import case_expected, case_names, load_module

UTC = datetime.timezone.utc


@functools.cache
def case(name: str) -> ModuleType:
    return load_module(case_expected(name))


def test_numbers_are_stored_as_n_text_and_read_back_equal() -> None:
    m = case("scalar_numbers")
    item = m.Thing(id="t", count=-3, ratio=1.25, price=Decimal("123.4500"))
    wire = m.marshal_thing(item)
    assert wire == {
        "id": {"S": "t"},
        "count": {"N": "-3"},
        "ratio": {"N": "1.25"},
        "price": {"N": "123.4500"},
    }
    assert m.unmarshal_thing(wire) == item


def test_datetime_date_and_uuid_are_stored_in_their_fixed_forms() -> None:
    m = case("scalar_texts")
    ref = uuid.UUID("12345678-1234-5678-1234-567812345678")
    item = m.Thing(
        id="t",
        at=datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        day=datetime.date(2024, 2, 29),
        ref=ref,
    )
    wire = m.marshal_thing(item)
    assert wire["at"] == {"S": "2024-01-02T03:04:05.000006Z"}
    assert wire["day"] == {"S": "2024-02-29"}
    assert wire["ref"] == {"S": str(ref)}
    assert m.unmarshal_thing(wire) == item


def test_bool_and_bytes_are_stored_as_bool_and_b() -> None:
    m = case("scalar_bool_bytes")
    item = m.Thing(id="t", flag=False, raw=b"\x00\xff")
    wire = m.marshal_thing(item)
    assert wire["flag"] == {"BOOL": False}
    assert wire["raw"] == {"B": b"\x00\xff"}
    assert m.unmarshal_thing(wire) == item


def test_json_is_stored_natively() -> None:
    m = case("scalar_json")
    item = m.Thing(id="t", doc={"a": [1, 2.5, "x", True, None], "b": {}})
    wire = m.marshal_thing(item)
    assert wire["doc"]["M"]["a"] == {
        "L": [{"N": "1"}, {"N": "2.5"}, {"S": "x"}, {"BOOL": True}, {"NULL": True}]
    }
    assert m.unmarshal_thing(wire) == item


def test_every_enum_member_is_stored_as_its_value() -> None:
    m = case("enums")
    assert [color.value for color in m.Color] == [
        "red",
        "in-progress",
        "1st",
        "class",
        "Mixed Case",
    ]
    for color in m.Color:
        wire = m.marshal_thing(m.Thing(id="t", color=color))
        assert wire["color"] == {"S": color.value}
        assert m.unmarshal_thing(wire).color is color


def test_nested_records_round_trip_with_their_stored_names() -> None:
    m = case("records")
    full = m.Thing(
        id="t",
        address=m.Address(
            street="Main St 1",
            city="Springfield",
            location=m.Point(x=1.0, y=-2.5),
            history=[m.Point(x=0.5, y=0.25)],
        ),
    )
    wire = m.marshal_thing(full)
    assert wire["address"]["M"]["city.name"] == {"S": "Springfield"}
    assert wire["address"]["M"]["location"] == {"M": {"x": {"N": "1.0"}, "y": {"N": "-2.5"}}}
    assert m.unmarshal_thing(wire) == full
    bare = m.Thing(id="t", address=m.Address(street="s", city="c"))
    wire = m.marshal_thing(bare)
    assert "location" not in wire["address"]["M"]
    assert m.unmarshal_thing(wire) == bare


def test_a_record_that_refers_to_itself_round_trips() -> None:
    m = case("recursive_record")
    item = m.Thing(id="t", category=m.Category(name="leaf", parent=m.Category(name="root")))
    wire = m.marshal_thing(item)
    assert wire["category"]["M"]["parent"]["M"]["name"] == {"S": "root"}
    assert m.unmarshal_thing(wire) == item


def test_lists_of_scalars_lists_maps_and_records_round_trip() -> None:
    m = case("lists")
    item = m.Thing(
        id="t",
        names=["a", "b"],
        matrix=[[1, 2], [], [3]],
        counts=[{"a": 1}, {}],
        points=[m.Point(x=1), m.Point(x=-1)],
    )
    wire = m.marshal_thing(item)
    assert wire["matrix"] == {
        "L": [{"L": [{"N": "1"}, {"N": "2"}]}, {"L": []}, {"L": [{"N": "3"}]}]
    }
    assert m.unmarshal_thing(wire) == item


def test_maps_of_scalars_lists_and_records_round_trip() -> None:
    m = case("maps")
    item = m.Thing(
        id="t",
        prices={"p": Decimal("9.99")},
        aliases={"k": ["v", "w"], "empty": []},
        points={"home": m.Point(x=2)},
    )
    wire = m.marshal_thing(item)
    assert wire["prices"] == {"M": {"p": {"N": "9.99"}}}
    assert m.unmarshal_thing(wire) == item


def test_sets_are_ss_ns_bs_and_an_empty_set_is_not_stored() -> None:
    m = case("sets")
    item = m.Thing(
        id="t",
        strings={"x", "y"},
        ints={1, -2},
        decimals={Decimal("1.5"), Decimal("1E+40")},
        blobs={b"a", b"\x00"},
    )
    wire = m.marshal_thing(item)
    assert sorted(wire["strings"]["SS"]) == ["x", "y"]
    assert sorted(wire["ints"]["NS"]) == ["-2", "1"]
    assert sorted(wire["blobs"]["BS"]) == [b"\x00", b"a"]
    assert m.unmarshal_thing(wire) == item
    empty = m.Thing(id="t", strings=set(), ints=set(), decimals=set(), blobs=set())
    wire = m.marshal_thing(empty)
    assert wire == {"id": {"S": "t"}}
    assert m.unmarshal_thing(wire) == empty


def test_none_is_not_stored_and_a_missing_attribute_reads_as_none() -> None:
    m = case("optional")
    bare = m.Thing(id="t")
    assert m.marshal_thing(bare) == {"id": {"S": "t"}}
    assert m.unmarshal_thing({"id": {"S": "t"}}) == bare
    full = m.Thing(id="t", note="n", count=0, color=m.Color.BLUE, point=m.Point(x=1), tags={"a"})
    assert m.unmarshal_thing(m.marshal_thing(full)) == full


def test_defaults_are_stored_in_their_wire_form() -> None:
    m = case("defaults")
    item = m.Thing(id="t")
    wire = m.marshal_thing(item)
    assert wire["text"] == {"S": 'it\'s "quoted"'}
    assert wire["count"] == {"N": "-7"}
    assert wire["price"] == {"N": "12.50"}
    assert wire["flag"] == {"BOOL": True}
    assert wire["day"] == {"S": "2024-02-29"}
    assert wire["color"] == {"S": "in-progress"}
    assert wire["doc"] == {
        "M": {"a": {"L": [{"N": "1"}, {"N": "2.5"}, {"S": "x"}, {"BOOL": True}, {"NULL": True}]}}
    }
    assert "numbers" not in wire  # an empty set is not stored
    assert m.unmarshal_thing(wire) == item


def test_mutable_defaults_are_fresh_objects_per_item() -> None:
    m = case("defaults")
    first, second = m.Thing(id="a"), m.Thing(id="b")
    first.doc["a"].append("changed")
    first.names.append("n")
    first.labels["k"] = "v"
    first.numbers.add(1)
    assert second.doc == {"a": [1, 2.5, "x", True, None]}
    assert (second.names, second.labels, second.numbers) == ([], {}, set())


def test_stored_names_are_the_wire_keys_verbatim() -> None:
    m = case("stored_names")
    item = m.Thing(
        id="k",
        status="s",
        comment_text="c",
        dotted="d",
        hashed=5,
        spaced="sp",
        coloned="co",
    )
    wire = m.marshal_thing(item)
    assert wire == {
        "name": {"S": "k"},
        "status": {"S": "s"},
        "comment": {"S": "c"},
        "a.b": {"S": "d"},
        "#x": {"N": "5"},
        "my attr": {"S": "sp"},
        ":v": {"S": "co"},
    }
    assert m.unmarshal_thing(wire) == item
    assert m.thing_key("k") == {"name": {"S": "k"}}


def test_ttl_is_stored_as_epoch_seconds() -> None:
    m = case("ttl")
    at = datetime.datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)
    wire = m.marshal_session(m.Session(id="s", expires_at=at))
    assert wire["expires_at"] == {"N": str(calendar.timegm((2030, 1, 1, 12, 0, 0)))}
    assert m.unmarshal_session(wire).expires_at == at
    assert "expires_at" not in m.marshal_session(m.Session(id="s"))


def test_automatic_attributes_start_unwritten_and_round_trip() -> None:
    versioned = case("version")
    assert versioned.Thing(id="t").version == 0
    item = versioned.Thing(id="t", version=3)
    assert versioned.unmarshal_thing(versioned.marshal_thing(item)) == item
    stamped = case("timestamps")
    fresh = stamped.Thing(id="t")
    assert (fresh.created_at, fresh.updated_at) == (None, None)
    at = datetime.datetime(2024, 1, 2, tzinfo=UTC)
    item = stamped.Thing(id="t", created_at=at, updated_at=at)
    wire = stamped.marshal_thing(item)
    assert wire["created_at"] == {"S": "2024-01-02T00:00:00.000000Z"}
    assert stamped.unmarshal_thing(wire) == item


@pytest.mark.parametrize(
    ("name", "projection", "fields"),
    [
        ("global_index_keys_only", "EntryByDigest", {"id", "digest"}),
        ("local_index", "EntryByDay", {"account", "entry_no", "booked_on"}),
        ("include_projection", "EntryByOwner", {"account", "entry_no", "owner", "note", "amount"}),
        ("include_projection", "EntryByDay", {"account", "entry_no", "booked_on", "note"}),
    ],
)
def test_keys_only_and_include_indexes_read_into_a_dataclass_of_what_they_carry(
    name: str, projection: str, fields: set[str]
) -> None:
    cls = getattr(case(name), projection)
    assert {field.name for field in dataclasses.fields(cls)} == fields


@pytest.mark.parametrize(
    ("name", "indexes"),
    [
        ("global_index", ["by_owner"]),
        ("global_index_keys_only", ["by_digest"]),
        ("local_index", ["by_amount", "by_day"]),
        ("include_projection", ["by_owner", "by_day"]),
    ],
)
def test_every_index_has_its_query_page_and_count_methods(name: str, indexes: list[str]) -> None:
    table = getattr(case(name), naming.table_class(name))
    for index in indexes:
        for method in (f"query_{index}", f"query_{index}_page", f"count_{index}"):
            assert callable(getattr(table, method, None)), method


def test_the_physical_table_name_may_differ_from_the_module_name() -> None:
    assert case("table_name").TABLE_NAME == "things.v1"
    assert case("minimal").TABLE_NAME == "minimal"


def test_unmarshal_names_the_missing_or_mistyped_attribute() -> None:
    m = case("scalar_numbers")
    wire = m.marshal_thing(m.Thing(id="t", count=1, ratio=0.5, price=Decimal("1")))
    with pytest.raises(ItemDecodeError) as caught:
        m.unmarshal_thing({k: v for k, v in wire.items() if k != "count"})
    assert caught.value.attribute == "count"
    with pytest.raises(ItemDecodeError) as caught:
        m.unmarshal_thing({**wire, "ratio": {"S": "x"}})
    assert caught.value.attribute == "ratio"


@pytest.mark.parametrize("name", case_names())
def test_every_generated_dataclass_uses_slots(name: str) -> None:
    module = case(name)
    classes = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == module.__name__
    ]
    assert classes, "every case has at least its entity"
    assert [cls.__name__ for cls in classes if "__slots__" not in vars(cls)] == []


def test_single_table_items_carry_their_template_keys_and_read_back() -> None:
    m = case("single_table")
    at = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    event = m.Event(account_id="a1", seq=7, at=at, kind="login")
    wire = m.marshal_event(event)
    assert wire["pk"] == {"S": "ACCOUNT#a1"} and wire["sk"] == {"S": "EVENT#000007"}
    assert wire["gsi1pk"] == {"S": "KIND#login"}
    assert "gsi1sk" not in wire  # `{at}#{ref}` with ref None: sparse
    assert wire["lsi1sk"] == {"S": "AT#2024-01-02T03:04:05.000000Z"}
    assert wire["_type"] == {"S": "Event"}
    assert m.unmarshal_event(wire) == event == m.decode_item(wire)
    ref = uuid.UUID("12345678-1234-5678-1234-567812345678")
    full = m.marshal_event(dataclasses.replace(event, ref=ref))
    assert full["gsi1sk"] == {"S": f"2024-01-02T03:04:05.000000Z#{ref}"}
    account = m.Account(account_id="a1", tier=m.Tier.PAID, since=datetime.date(2024, 1, 1))
    stored = m.marshal_account(account)
    assert stored["sk"] == {"S": "META"} and stored["gsi1sk"] == {"S": "2024-01-01#a1"}
    assert m.decode_item(stored) == account
    with pytest.raises(ItemDecodeError, match="expected 'Account', found 'Event'"):
        m.unmarshal_account(wire)
    assert m.event_key("a1", 7) == {"pk": {"S": "ACCOUNT#a1"}, "sk": {"S": "EVENT#000007"}}
