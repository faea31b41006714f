"""dynagen.runtime.expressions.paths: attribute paths, their checks, overlaps and text."""

from __future__ import annotations

from typing import Any

import pytest

from dynagen.runtime import errors
from dynagen.runtime import expressions as rt


@pytest.mark.parametrize(
    "elements",
    [(), (0,), (0, "a"), ("a", -1), ("",), ("a", "")],
    ids=["empty", "index-first", "index-then-name", "negative-index", "empty-name", "empty-key"],
)
def test_bad_paths_are_refused(elements: tuple[Any, ...]) -> None:
    with pytest.raises(errors.ValidationError):
        rt.Path(*elements)


def test_a_bool_is_not_a_list_index() -> None:
    with pytest.raises(errors.ValidationError):
        rt.Path("lines", True)


def test_root_child_and_repr() -> None:
    path = rt.Path("lines", 0, "price")
    assert path.root == "lines" and rt.Path("a.b").root == "a.b"
    assert repr(path) == "lines[0].price" and repr(rt.Path("m", "k", 2, 3)) == "m.k[2][3]"
    assert rt.Path("a").child(3).child("b").elements == ("a", 3, "b")
    with pytest.raises(errors.ValidationError):
        rt.Path("a").child(-1)


def test_paths_are_values() -> None:
    assert rt.Path("a", 0) == rt.Path("a", 0) and hash(rt.Path("a", 0)) == hash(rt.Path("a", 0))
    assert rt.Path("a", 0) != rt.Path("a", 1) and rt.Path("a") != "a"
    assert len({rt.Path("a"), rt.Path("a"), rt.Path("b")}) == 2


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        (("a",), ("a",), True),
        (("a",), ("a", "b"), True),
        (("a", "b"), ("a",), True),
        (("a", 0), ("a", 0, "c"), True),
        (("a", "b"), ("a", "c"), False),
        (("a", 0), ("a", 1), False),
        (("a",), ("ab",), False),
        (("a", "b"), ("b", "a"), False),
    ],
)
def test_overlaps(first: tuple[Any, ...], second: tuple[Any, ...], overlap: bool) -> None:
    assert rt.Path(*first).overlaps(rt.Path(*second)) is overlap
    assert rt.Path(*second).overlaps(rt.Path(*first)) is overlap
