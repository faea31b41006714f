"""dynagen.runtime.schema: what the runtime knows of one entity, and what a failed condition means.

`condition_error` turns "the condition was false" plus the item DynamoDB returned (ALL_OLD) into
the error that says what happened, for every kind of write.
"""

from __future__ import annotations

from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime.auto import Automatic
from dynagen.runtime.expressions import Path
from dynagen.runtime.schema import EntitySchema, WriteKind, failed_item
from dynagen.runtime.types import Item
from tests.runtime.support import PLAIN, THING, client_error, decode_thing, key, thing

KEY = key("a", "s")
WHERE = "Thing pk='a', sk='s' in table 'things'"


def stored(version: int | None = None) -> Item:
    """The stored item DynamoDB hands back with a failure; version None: it has none."""
    extra: Item = {} if version is None else {"ver": {"N": str(version)}}
    return thing("a", "s", nm={"S": "x"}, **extra)


def error_for(
    raw: Item | None,
    kind: WriteKind,
    expected: int | None = None,
    schema: EntitySchema[Any] = THING,
) -> rt.ConditionFailed:
    return schema.condition_error(raw, kind, KEY, expected, "things")


# ------------------------------------------------------------------ keys, managed names, projections


def test_partition_and_key_of() -> None:
    assert THING.partition == "pk"
    assert THING.key_of(thing("a", "s", nm={"S": "x"}, ver={"N": "1"})) == key("a", "s")
    assert THING.key_of({"pk": {"S": "a"}, "nm": {"S": "x"}}) == {"pk": {"S": "a"}}  # half a key


def test_managed_is_the_key_and_the_automatic_attributes() -> None:
    assert THING.managed == {"pk", "sk", "ver", "created", "updated"}
    assert PLAIN.managed == {"pk", "sk"}


def test_projection_maps_python_names_to_stored_names_in_order() -> None:
    assert THING.projection(["name", "pk", "version"]) == [
        Path("nm"),
        Path("pk"),
        Path("ver"),
    ]
    assert THING.projection(("count",)) == [Path("count")]
    assert THING.projection({"created_at": None}) == [Path("created")]  # any collection


def test_projection_merges_duplicates() -> None:
    assert THING.projection(["name", "pk", "name", "name"]) == [Path("nm"), Path("pk")]


@pytest.mark.parametrize("attributes", ["name", b"name", [], ()], ids=repr)
def test_projection_refuses_a_lone_string_or_nothing(attributes: Any) -> None:
    with pytest.raises(rt.ValidationError, match="non-empty list of attribute names"):
        THING.projection(attributes)


def test_projection_refuses_unknown_names_and_lists_the_known_ones() -> None:
    with pytest.raises(rt.ValidationError) as caught:
        THING.projection(["name", "nm"])  # the stored name is not a Python name
    assert "unknown attribute 'nm'" in str(caught.value)
    assert "known: count, created_at, name, pk, sk, updated_at, version" in str(caught.value)


def test_describe() -> None:
    assert THING.describe(KEY, "things") == WHERE


# ------------------------------------------------------------------ decode_quietly and failed_item


def test_decode_quietly() -> None:
    assert THING.decode_quietly(None) is None
    assert THING.decode_quietly(stored(2)) == stored(2)
    assert THING.decode_quietly({"nm": {"S": "no key"}}) is None  # the spec cannot read it


def test_decode_quietly_lets_non_dynagen_errors_through() -> None:
    """Only a decode failure dynagen raised is swallowed: a bug in a decoder is not hidden."""

    def broken(raw: Any) -> Any:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        EntitySchema("Broken", ("pk",), broken).decode_quietly({})


def test_failed_item_is_the_item_returned_with_the_failure() -> None:
    error = client_error("ConditionalCheckFailedException", Item=stored(3))
    assert failed_item(error) == stored(3)
    assert failed_item(client_error("ConditionalCheckFailedException")) is None


# ------------------------------------------------------------------ condition_error, kind by kind


def test_create_over_a_stored_item_is_item_already_exists() -> None:
    error = error_for(stored(4), "create")
    assert type(error) is rt.ItemAlreadyExists
    assert str(error) == f"{WHERE} already exists"
    assert error.item == stored(4) and error.raw_item == stored(4)


def test_create_whose_own_condition_failed_on_a_free_key_is_condition_failed() -> None:
    error = error_for(None, "create")
    assert type(error) is rt.ConditionFailed
    assert str(error) == f"{WHERE}: the condition was not met"
    assert error.item is None and error.raw_item is None


def test_update_of_a_missing_item_is_item_not_found() -> None:
    for expected in (None, 3):
        error = error_for(None, "update", expected)
        assert type(error) is rt.ItemNotFound
        assert str(error) == f"{WHERE} does not exist"
        assert error.item is None and error.raw_item is None


@pytest.mark.parametrize(
    ("kind", "expected", "raw", "actual", "told"),
    [
        ("put", 0, stored(2), 2, "stored version is 2"),
        ("put", 3, stored(5), 5, "stored version is 5"),
        ("put", 3, None, None, "no stored item"),
        ("put", 3, stored(None), 0, "stored version is 0"),
        ("update", 2, stored(3), 3, "stored version is 3"),
        ("update", 2, stored(None), 0, "stored version is 0"),
        ("delete", 2, stored(4), 4, "stored version is 4"),
        ("delete", 2, None, None, "no stored item"),
    ],
)
def test_version_conflicts_say_expected_and_actual(
    kind: WriteKind, expected: int, raw: Item | None, actual: int | None, told: str
) -> None:
    error = error_for(raw, kind, expected)
    assert type(error) is rt.VersionConflict
    assert (error.expected, error.actual) == (expected, actual)
    assert str(error) == f"{WHERE}: version conflict: expected version {expected}, {told}"
    assert error.raw_item == raw and error.item == (raw if raw is not None else None)


@pytest.mark.parametrize(
    ("kind", "expected", "raw"),
    [
        ("put", 0, None),  # expected no item and there is none: the caller's condition failed
        ("put", 3, stored(3)),
        ("put", None, stored(3)),
        ("update", 3, stored(3)),
        ("update", None, stored(3)),
        ("delete", 3, stored(3)),
        ("delete", None, stored(3)),
        ("delete", None, None),
        ("check", None, stored(3)),
        ("check", None, None),
        ("check", 7, stored(3)),  # a check never compares versions
    ],
)
def test_when_the_version_matches_the_callers_condition_failed(
    kind: WriteKind, expected: int | None, raw: Item | None
) -> None:
    error = error_for(raw, kind, expected)
    assert type(error) is rt.ConditionFailed
    assert str(error) == f"{WHERE}: the condition was not met"
    assert error.raw_item == raw


@pytest.mark.parametrize("kind", ["put", "update", "delete"])
def test_an_entity_without_a_version_never_reports_a_version_conflict(kind: WriteKind) -> None:
    assert type(error_for(stored(9), kind, 2, schema=PLAIN)) is rt.ConditionFailed


def test_a_stored_item_the_spec_cannot_read_stays_raw() -> None:
    unreadable: Item = {"sk": {"S": "s"}, "ver": {"N": "8"}}  # no pk: decode_thing refuses it
    error = error_for(unreadable, "put", 3)
    assert type(error) is rt.VersionConflict and error.actual == 8
    assert error.item is None and error.raw_item == unreadable
    already = error_for(unreadable, "create")
    assert type(already) is rt.ItemAlreadyExists and already.item is None


def test_the_error_keeps_a_copy_of_the_raw_item() -> None:
    raw = stored(2)
    error = error_for(raw, "update", 1)
    raw["nm"] = {"S": "changed later"}
    assert error.raw_item is not None and error.raw_item["nm"] == {"S": "x"}


def test_a_version_conflict_never_has_the_expected_version_stored() -> None:
    error = error_for(stored(None), "put", 0)
    assert not (isinstance(error, rt.VersionConflict) and error.expected == error.actual)


def test_automatic_defaults_to_none() -> None:
    schema = EntitySchema("Bare", ("pk",), decode_thing)
    assert schema.auto == Automatic() and schema.stored == {} and schema.managed == {"pk"}
