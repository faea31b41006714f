"""dynagen.runtime (its __init__.py): the public API applications import, kept small and typed."""

from __future__ import annotations

import inspect
import typing
from typing import Any

import dynagen.runtime as rt
from dynagen.runtime import expressions
from dynagen.runtime.expressions import Condition

MAX_PUBLIC_NAMES = 40


def test_the_public_api_is_at_most_40_names_without_duplicates() -> None:
    assert len(rt.__all__) <= MAX_PUBLIC_NAMES
    assert len(set(rt.__all__)) == len(rt.__all__)


def test_every_public_name_resolves() -> None:
    for name in rt.__all__:
        assert hasattr(rt, name), name


def test_the_names_applications_need_are_there() -> None:
    needed = {
        "DynagenError", "ConditionFailed", "ItemAlreadyExists", "VersionConflict",
        "TransactionCanceled", "ValidationError", "InvalidCursor", "RetryPolicy", "make_client",
        "Page", "Cursor", "Sort", "Condition", "all_of", "transact_write", "transact_get",
    }  # fmt: skip
    assert needed <= set(rt.__all__)


def _is_untyped_condition(hint: Any) -> bool:
    """Condition[Any] itself, or anywhere inside a union, tuple or other generic."""
    if hint == Condition[Any]:
        return True
    return any(_is_untyped_condition(arg) for arg in typing.get_args(hint))


def _returns(function: Any) -> Any:
    try:
        return typing.get_type_hints(function).get("return")
    except (NameError, TypeError):  # a name only defined under TYPE_CHECKING
        return None


REFERENCES = ("Attr", "OrderedAttr", "NumberAttr", "StringAttr", "BytesAttr", "CollectionAttr",
              "ListAttr", "MapAttr", "MapOfAttr")  # fmt: skip
"""The typed references users meet through generated `<Entity>Attrs` (dynagen.runtime.expressions)."""


def _public_callables() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, value in [(n, getattr(rt, n)) for n in rt.__all__] + [
        (n, getattr(expressions, n)) for n in REFERENCES
    ]:
        if inspect.isfunction(value):
            found.append((name, value))
        elif inspect.isclass(value):
            for attribute, member in vars(value).items():
                if attribute.startswith("_") and attribute not in (
                    "__eq__",
                    "__ne__",
                    "__lt__",
                    "__le__",
                    "__gt__",
                    "__ge__",
                    "__and__",
                    "__or__",
                    "__invert__",
                ):
                    continue
                function = (
                    member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
                )
                if inspect.isfunction(function):
                    found.append((f"{name}.{attribute}", function))
    return found


def test_nothing_public_is_an_untyped_escape_hatch() -> None:
    """No public function or method returns Condition[Any]: conditions are typed by their entity."""
    checked = _public_callables()
    assert len(checked) > 30  # the methods of Attr, Condition, Sort... were looked at
    escapes = [name for name, function in checked if _is_untyped_condition(_returns(function))]
    assert escapes == []


def test_the_escape_hatch_check_can_fail() -> None:
    """The runtime has such helpers (for its own version checks): they are just not public."""
    from dynagen.runtime.expressions import attribute_exists, number_equals

    assert _is_untyped_condition(_returns(attribute_exists))
    assert _is_untyped_condition(_returns(number_equals))
    assert "attribute_exists" not in rt.__all__ and "number_equals" not in rt.__all__
