"""dynagen.runtime.auto: automatic attributes (version, created_at, updated_at) applied to the wire item.

`Automatic` works on the item as it goes to DynamoDB, so one clock (`now`) and one rule per write
kind: these tests pin each rule, and that an entity without automatic attributes is untouched.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from dynagen import runtime as rt
from dynagen.runtime.auto import Automatic, stored_version
from dynagen.runtime.expressions import ExpressionBuilder, Path, Update
from dynagen.runtime.types import Item

UTC = datetime.timezone.utc
NOW = datetime.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
NOW_TEXT = "2024-05-01T12:00:00.250000Z"
OLD_TEXT = "2020-01-01T00:00:00.000000Z"
FULL = Automatic(version="ver", created_at="created", updated_at="updated")
NONE = Automatic()


def render(condition: rt.Condition[Any] | None) -> tuple[str, dict[str, str], dict[str, Any]]:
    assert condition is not None
    builder = ExpressionBuilder()
    return condition.render(builder), builder.names, builder.values


def item(**extra: Any) -> Item:
    return {"pk": {"S": "a"}, "nm": {"S": "x"}, **extra}


# ------------------------------------------------------------------ stamp


def test_names_list_only_the_attributes_in_use() -> None:
    assert FULL.names == ("ver", "created", "updated")
    assert Automatic(updated_at="u").names == ("u",)
    assert NONE.names == ()


def test_create_sets_version_1_and_both_timestamps_whatever_the_item_held() -> None:
    given = item(ver={"N": "7"}, created={"S": OLD_TEXT}, updated={"S": OLD_TEXT})
    stored, expected = FULL.stamp(given, "create", NOW)
    assert stored == item(ver={"N": "1"}, created={"S": NOW_TEXT}, updated={"S": NOW_TEXT})
    assert expected is None  # a create checks the key is free, not a version
    assert given["ver"] == {"N": "7"}, "the caller's item is not changed"


def test_create_of_an_item_without_automatic_attributes_adds_them() -> None:
    stored, _ = FULL.stamp(item(), "create", NOW)
    assert stored == item(ver={"N": "1"}, created={"S": NOW_TEXT}, updated={"S": NOW_TEXT})


def test_put_stores_version_plus_one_keeps_created_at_and_sets_updated_at() -> None:
    given = item(ver={"N": "4"}, created={"S": OLD_TEXT}, updated={"S": OLD_TEXT})
    stored, expected = FULL.stamp(given, "put", NOW)
    assert stored == item(ver={"N": "5"}, created={"S": OLD_TEXT}, updated={"S": NOW_TEXT})
    assert expected == 4


def test_put_of_a_new_item_expects_version_0_and_sets_created_at() -> None:
    stored, expected = FULL.stamp(item(), "put", NOW)
    assert stored == item(ver={"N": "1"}, created={"S": NOW_TEXT}, updated={"S": NOW_TEXT})
    assert expected == 0
    stored, expected = FULL.stamp(item(ver={"N": "0"}), "put", NOW)
    assert stored["ver"] == {"N": "1"} and expected == 0


def test_timestamps_are_fixed_width_utc_whatever_the_zone_of_now() -> None:
    plus_two = NOW.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
    stored, _ = FULL.stamp(item(), "create", plus_two)
    assert stored["created"] == stored["updated"] == {"S": NOW_TEXT}


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(rt.ValidationError, match="naive"):
        FULL.stamp(item(), "create", NOW.replace(tzinfo=None))


@pytest.mark.parametrize("mode", ["create", "put"])
def test_an_entity_without_automatic_attributes_is_left_untouched(mode: Any) -> None:
    given = item(ver={"N": "3"}, created={"S": OLD_TEXT})
    stored, expected = NONE.stamp(given, mode, NOW)
    assert stored == given and stored is not given
    assert expected is None
    if mode == "put":
        assert NONE.write_condition(mode, expected, "pk") is None


def test_only_the_attributes_an_entity_has_are_stamped() -> None:
    updated_only = Automatic(updated_at="updated")
    stored, expected = updated_only.stamp(item(), "put", NOW)
    assert stored == item(updated={"S": NOW_TEXT}) and expected is None
    versioned = Automatic(version="ver")
    stored, expected = versioned.stamp(item(ver={"N": "9"}), "put", NOW)
    assert stored == item(ver={"N": "10"}) and expected == 9


# ------------------------------------------------------------------ write_condition


def test_a_create_needs_the_key_free() -> None:
    assert render(FULL.write_condition("create", None, "pk")) == (
        "attribute_not_exists(#n0)",
        {"#n0": "pk"},
        {},
    )
    assert render(NONE.write_condition("create", None, "pk"))[0] == "attribute_not_exists(#n0)"


def test_a_put_expecting_version_0_needs_the_key_free() -> None:
    assert render(FULL.write_condition("put", 0, "pk"))[:2] == (
        "attribute_not_exists(#n0)",
        {"#n0": "pk"},
    )


def test_a_versioned_put_needs_the_stored_version() -> None:
    assert render(FULL.write_condition("put", 4, "pk")) == (
        "#n0 = :v0",
        {"#n0": "ver"},
        {":v0": {"N": "4"}},
    )


def test_an_unversioned_put_has_no_condition() -> None:
    assert FULL.write_condition("put", None, "pk") is None
    assert Automatic(created_at="c").write_condition("put", None, "pk") is None


# ------------------------------------------------------------------ on_update


def test_on_update_sets_updated_at_and_adds_one_to_the_version() -> None:
    update = Update().set(Path("nm"), {"S": "y"})
    FULL.on_update(update, NOW)
    builder = ExpressionBuilder()
    assert update.render(builder) == "SET #n0 = :v0, #n1 = :v1 ADD #n2 :v2"
    assert builder.names == {"#n0": "nm", "#n1": "updated", "#n2": "ver"}
    assert builder.values == {":v0": {"S": "y"}, ":v1": {"S": NOW_TEXT}, ":v2": {"N": "1"}}


def test_on_update_never_touches_created_at() -> None:
    update = Update()
    Automatic(created_at="created").on_update(update, NOW)
    assert not update


def test_on_update_without_automatic_attributes_adds_nothing() -> None:
    update = Update().remove(Path("nm"))
    NONE.on_update(update, NOW)
    assert [action.path for action in update.actions] == [Path("nm")]


# ------------------------------------------------------------------ version_check


def test_no_expected_version_no_check() -> None:
    assert FULL.version_check(None, "Thing") is None
    assert NONE.version_check(None, "Thing") is None


@pytest.mark.parametrize("expected", [1, 2, 10**12])
def test_an_expected_version_is_an_equality_on_the_version(expected: int) -> None:
    assert render(FULL.version_check(expected, "Thing")) == (
        "#n0 = :v0",
        {"#n0": "ver"},
        {":v0": {"N": str(expected)}},
    )


@pytest.mark.parametrize("bad", [0, -1, True, False, 1.0, "1", Decimal(1)])
def test_bad_expected_versions_are_refused(bad: Any) -> None:
    with pytest.raises(rt.ValidationError, match="expected_version must be an int of at least 1"):
        FULL.version_check(bad, "Thing")


def test_expected_version_on_an_entity_without_a_version_is_refused() -> None:
    with pytest.raises(rt.ValidationError, match="Thing has no version attribute"):
        Automatic(updated_at="u").version_check(3, "Thing")


# ------------------------------------------------------------------ stored_version


def test_stored_version() -> None:
    assert stored_version(None, "ver") is None  # no item
    assert stored_version(item(), "ver") == 0  # an item that never had a version
    assert stored_version(item(ver={"NULL": True}), "ver") == 0
    assert stored_version(item(ver={"N": "12"}), "ver") == 12
    assert stored_version(item(ver={"N": "12"}), "other") == 0
