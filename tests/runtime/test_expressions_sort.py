"""dynagen.runtime.expressions.sort: sort-key conditions and the KeyCondition of a query."""

from __future__ import annotations

from typing import Any

import pytest

from dynagen.runtime import expressions as rt
from dynagen.runtime.expressions.sort import KeyCondition


def key_text(condition: rt.SortCondition[Any] | None) -> tuple[str, dict[str, str], dict[str, Any]]:
    builder = rt.ExpressionBuilder()
    key = KeyCondition(
        "pk",
        {"S": "a"},
        condition,
        "sk",
        lambda v: {"N": str(v)} if isinstance(v, int) else {"S": v},
    )
    return key.render(builder), builder.names, builder.values


@pytest.mark.parametrize(
    ("condition", "op", "text"),
    [
        (rt.Sort.eq(1), "=", "#n1 = :v1"),
        (rt.Sort.lt(1), "<", "#n1 < :v1"),
        (rt.Sort.le(1), "<=", "#n1 <= :v1"),
        (rt.Sort.gt(1), ">", "#n1 > :v1"),
        (rt.Sort.ge(1), ">=", "#n1 >= :v1"),
        (rt.Sort.between(1, 2), "between", "#n1 BETWEEN :v1 AND :v2"),
        (rt.Sort.begins_with("x"), "begins_with", "begins_with(#n1, :v1)"),
    ],
)
def test_every_sort_condition_renders_after_the_partition(
    condition: rt.SortCondition[Any], op: str, text: str
) -> None:
    """Each kind is a SortCondition carrying its `op` (by which the key templates translate it)."""
    assert isinstance(condition, rt.SortCondition) and condition.op == op
    rendered, names, values = key_text(condition)
    assert rendered == f"#n0 = :v0 AND {text}"
    assert names == {"#n0": "pk", "#n1": "sk"}
    assert list(values) == [f":v{i}" for i in range(len(values))] and values[":v0"] == {"S": "a"}


def test_sort_values_go_through_the_sort_keys_encoder() -> None:
    assert key_text(rt.Sort.between(3, 9))[2] == {
        ":v0": {"S": "a"},
        ":v1": {"N": "3"},
        ":v2": {"N": "9"},
    }
    assert key_text(rt.Sort.eq("a"))[2] == {":v0": {"S": "a"}}  # equal to the partition: shared


def test_a_key_condition_without_sort() -> None:
    assert key_text(None) == ("#n0 = :v0", {"#n0": "pk"}, {":v0": {"S": "a"}})


def test_begins_with_bytes() -> None:
    condition = rt.Sort.begins_with_bytes(b"\x00")
    assert condition.op == "begins_with"
    builder = rt.ExpressionBuilder()
    assert condition.render(builder, rt.Path("sk"), lambda v: {"B": v}) == "begins_with(#n0, :v0)"
    assert builder.values == {":v0": {"B": b"\x00"}}


def test_repr_names_the_constructor_as_written() -> None:
    assert repr(rt.Sort.between(1, 2)) == "Sort.between(1, 2)"
    assert repr(rt.Sort.ge(5)) == "Sort.ge(5)"
    assert repr(rt.Sort.begins_with("x")) == "Sort.begins_with('x')"
    assert repr(rt.Sort.begins_with_bytes(b"x")) == "Sort.begins_with_bytes(b'x')"
