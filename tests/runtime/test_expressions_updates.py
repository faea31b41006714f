"""dynagen.runtime.expressions.updates: update actions, their order, overlaps, and apply_actions."""

from __future__ import annotations

from typing import Any

import pytest

from dynagen.runtime import errors
from dynagen.runtime import expressions as rt
from dynagen.runtime.expressions.updates import (
    AddValue,
    Append,
    DeleteValue,
    Prepend,
    Remove,
    SetIfNotExists,
    SetValue,
)
from generated_example.orders import OrderAttrs


def update_text(update: rt.Update) -> tuple[str, dict[str, str], dict[str, Any]]:
    builder = rt.ExpressionBuilder()
    text = update.render(builder)
    return text, builder.names, builder.values


def test_update_clauses_render_in_order() -> None:
    update = (
        rt.Update()
        .delete(rt.Path("tags"), {"SS": ["old"]})
        .add(rt.Path("version"), {"N": "1"})
        .remove(rt.Path("note"))
        .set(rt.Path("status"), {"S": "paid"})
        .add_action(SetIfNotExists(rt.Path("created"), {"S": "now"}))
        .add_action(Append(rt.Path("lines"), {"L": [{"S": "x"}]}))
        .add_action(Prepend(rt.Path("log"), {"L": [{"S": "y"}]}))
        .remove(rt.Path("shipping", "zip"))
    )
    text, names, values = update_text(update)
    assert text == (
        "SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1), "
        "#n2 = list_append(if_not_exists(#n2, :v3), :v2), "
        "#n3 = list_append(:v4, if_not_exists(#n3, :v3)) "
        "REMOVE #n4, #n5.#n6 "
        "ADD #n7 :v5 "
        "DELETE #n8 :v6"
    )
    assert names == {
        "#n0": "status",
        "#n1": "created",
        "#n2": "lines",
        "#n3": "log",
        "#n4": "note",
        "#n5": "shipping",
        "#n6": "zip",
        "#n7": "version",
        "#n8": "tags",
    }
    assert values == {
        ":v0": {"S": "paid"},
        ":v1": {"S": "now"},
        ":v2": {"L": [{"S": "x"}]},
        ":v3": {"L": []},
        ":v4": {"L": [{"S": "y"}]},
        ":v5": {"N": "1"},
        ":v6": {"SS": ["old"]},
    }


def test_single_clause_updates() -> None:
    assert update_text(rt.Update().remove(rt.Path("a")))[0] == "REMOVE #n0"
    assert update_text(rt.Update().add(rt.Path("a"), {"N": "2"}))[0] == "ADD #n0 :v0"
    assert update_text(rt.Update().delete(rt.Path("a"), {"NS": ["2"]}))[0] == "DELETE #n0 :v0"
    assert update_text(rt.Update().set(rt.Path("a", 3), {"N": "2"}))[0] == "SET #n0[3] = :v0"
    assert update_text(rt.Update())[0] == ""
    assert not rt.Update()
    assert rt.Update().remove(rt.Path("a"))


@pytest.mark.parametrize(
    "second", [SetValue, SetIfNotExists, Append, Prepend, Remove, AddValue, DeleteValue]
)
def test_the_same_path_twice_is_refused(second: type[rt.Action[Any]]) -> None:
    update = rt.Update().set(rt.Path("a", 0, "b"), {"S": "x"})
    with pytest.raises(errors.ValidationError, match="twice"):
        update.add_action(second(rt.Path("a", 0, "b"), {"N": "1"}))


@pytest.mark.parametrize(
    ("first", "second"),
    [(("a",), ("a", "b")), (("a", "b"), ("a",)), (("a", 0), ("a", 0, "c")), (("m", "k"), ("m",))],
)
def test_overlapping_paths_are_refused(first: tuple[Any, ...], second: tuple[Any, ...]) -> None:
    """DynamoDB refuses a path together with a part of it ("two document paths overlap")."""
    update = rt.Update().set(rt.Path(*first), {"S": "x"})
    with pytest.raises(errors.ValidationError, match="overlap"):
        update.remove(rt.Path(*second))


def test_different_paths_are_fine() -> None:
    update = rt.Update().set(rt.Path("a", "b"), {"S": "x"}).set(rt.Path("a", "c"), {"S": "x"})
    update.remove(rt.Path("d", 0)).add(rt.Path("b"), {"N": "1"})
    assert update_text(update)[0] == "SET #n0.#n1 = :v0, #n0.#n2 = :v0 REMOVE #n3[0] ADD #n1 :v1"


MANAGED = frozenset({"customer_id", "order_id", "version", "created_at", "updated_at"})


def test_apply_actions_adds_typed_actions_in_order() -> None:
    update = rt.Update().set(rt.Path("status"), {"S": "paid"})
    rt.apply_actions(update, [OrderAttrs.note.set("n"), OrderAttrs.lines[0].remove()], MANAGED)
    assert [a.path for a in update.actions] == [
        rt.Path("status"),
        rt.Path("n"),
        rt.Path("lines", 0),
    ]


@pytest.mark.parametrize("name", sorted(MANAGED))
def test_apply_actions_refuses_keys_and_automatic_attributes(name: str) -> None:
    with pytest.raises(
        errors.ValidationError, match=f"'{name}' cannot be changed by an update action"
    ):
        attribute: rt.Attr[Any, str, rt.Removable] = rt.Attr(name, lambda v: {"S": v}, rt.Removable)
        rt.apply_actions(rt.Update(), [attribute.set("x")], MANAGED)


def test_apply_actions_refuses_what_is_not_a_list_of_actions() -> None:
    with pytest.raises(errors.ValidationError, match="must be a list of actions"):
        rt.apply_actions(rt.Update(), OrderAttrs.note.set("n"), MANAGED)  # type: ignore[arg-type]
    with pytest.raises(errors.ValidationError, match="expected an update action, got Comparison"):
        rt.apply_actions(rt.Update(), [OrderAttrs.note == "n"], MANAGED)  # type: ignore[list-item]


def test_apply_actions_keeps_the_overlap_check() -> None:
    update = rt.Update().set(rt.Path("shipping"), {"M": {}})
    with pytest.raises(errors.ValidationError, match="overlap"):
        rt.apply_actions(update, [OrderAttrs.shipping.city.set("x")], MANAGED)


def test_touches_looks_at_top_level_names() -> None:
    update = rt.Update().set(rt.Path("shipping", "city"), {"S": "x"})
    assert update.touches("shipping") and not update.touches("city")


def test_a_bare_action_cannot_render() -> None:
    with pytest.raises(NotImplementedError):
        rt.Action(rt.Path("a")).render(rt.ExpressionBuilder())
    assert repr(SetValue(rt.Path("a", 0), {"N": "1"})) == "SetValue(a[0])"
