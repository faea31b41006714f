"""spec/kinds.py: one record per spec type, its facts, and its default check's typed values."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import json
import subprocess
import sys
import uuid

import pytest

from dynagen.spec import kinds
from dynagen.spec.kinds import DefaultError, DefaultSource, Kind
from tests.spec.support import ROOT

# The facts of the contract's types (SPEC.md section 1), as (true facts, wire key, set wire).
# A new kind needs no line here: tests/codegen/test_kinds.py is the test that demands its cases.
FACTS: dict[str, tuple[set[str], str | None, str | None]] = {
    "string": ({"key", "set_element", "ordered", "template_part"}, "S", "SS"),
    "int": ({"key", "set_element", "ordered", "number", "template_part"}, "N", "NS"),
    "float": ({"ordered", "number"}, None, None),
    "decimal": ({"key", "set_element", "ordered", "number"}, "N", "NS"),
    "bool": (set(), None, None),
    "bytes": ({"key", "set_element", "ordered"}, "B", "BS"),
    "datetime": ({"key", "ordered", "template_part"}, "S", None),
    "date": ({"key", "ordered", "template_part"}, "S", None),
    "uuid": ({"key", "template_part"}, "S", None),
    "json": (set(), None, None),
    "list": ({"container"}, None, None),
    "map": ({"container"}, None, None),
    "set": ({"container"}, None, None),
    "record": ({"named"}, None, None),
    "enum": ({"key", "named", "template_part"}, "S", None),
    "ttl": ({"ordered", "top_level_only"}, None, None),
    "version": ({"ordered", "automatic", "top_level_only"}, None, None),
    "created_at": ({"ordered", "automatic", "top_level_only"}, None, None),
    "updated_at": ({"ordered", "automatic", "top_level_only"}, None, None),
}
# Every yes/no fact a Kind holds: key, set_element, ordered, number, automatic, ...
FACT_NAMES = [field.name for field in dataclasses.fields(Kind) if field.type == "bool"]


def test_the_registry_holds_every_type_of_the_contract_under_its_spelling() -> None:
    assert len(FACT_NAMES) == 9
    assert list(kinds.KINDS)[: len(FACTS)] == list(FACTS)
    for name, kind in kinds.KINDS.items():
        assert kind.name == name and str(kind) == name
        assert getattr(kinds, name.upper()) is kind  # a module constant per kind


@pytest.mark.parametrize("name", FACTS)
def test_the_facts_of_each_type(name: str) -> None:
    kind = kinds.KINDS[name]
    facts, wire_key_type, set_wire_type = FACTS[name]
    assert {fact for fact in FACT_NAMES if getattr(kind, fact)} == facts
    assert (kind.wire_key_type, kind.set_wire_type) == (wire_key_type, set_wire_type)


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=str)
def test_facts_that_hold_for_every_kind(kind: Kind) -> None:
    assert (kind.wire_key_type is not None) == kind.key  # a key needs an AttributeType
    assert (kind.set_wire_type is not None) == kind.set_element
    assert not kind.set_element or kind.key  # SS / NS / BS elements are S / N / B values
    assert not kind.automatic or kind.top_level_only
    assert not (kind.container and kind.named)
    assert kind.standalone == (not kind.container and not kind.named)
    assert not kind.number or kind.ordered
    assert not kind.template_part or (kind.key and kind.wire_key_type in ("S", "N"))


def test_views_of_the_registry() -> None:
    every = kinds.KINDS.values()
    assert kinds.KEY_KINDS == {kind for kind in every if kind.key}
    assert kinds.SET_ELEMENT_KINDS == {kinds.STRING, kinds.INT, kinds.DECIMAL, kinds.BYTES}
    assert kinds.TOP_LEVEL_ONLY_KINDS == {
        kinds.TTL,
        kinds.VERSION,
        kinds.CREATED_AT,
        kinds.UPDATED_AT,
    }
    assert kinds.SCALAR_KINDS == {kind for kind in every if kind.standalone} - (
        kinds.TOP_LEVEL_ONLY_KINDS
    )
    assert {kinds.STRING, kinds.BOOL, kinds.BYTES, kinds.UUID, kinds.JSON} <= kinds.SCALAR_KINDS


def test_a_kind_equals_only_itself_never_its_spelling() -> None:
    """A string comparison (`kind == "set"`) would be a silent bug: it is always False."""
    assert kinds.STRING == kinds.STRING and kinds.STRING != kinds.BYTES
    assert kinds.STRING != "string"  # type: ignore[comparison-overlap]
    assert kinds.STRING != Kind("string")  # one instance per spec type
    assert kinds.KINDS["string"] is kinds.STRING and str(kinds.STRING) == "string"


U = uuid.UUID("12345678-1234-5678-1234-567812345678")


def check(
    kind: Kind, value: object, text: str | None = None, choices: tuple[str, ...] = ()
) -> object:
    assert kind.check_default is not None, kind
    return kind.check_default(DefaultSource(value, text, choices))


@pytest.mark.parametrize(
    "kind, value, text, expected",
    [
        (kinds.STRING, "x", "x", "x"),
        (kinds.INT, 3, "3", 3),
        (kinds.FLOAT, 1, "1", 1.0),
        (kinds.DECIMAL, 1.1, "1.10", decimal.Decimal("1.10")),  # the digits as written
        (kinds.DECIMAL, "2.50", "2.50", decimal.Decimal("2.50")),
        (kinds.BOOL, False, "false", False),
        (kinds.DATE, datetime.date(2024, 1, 31), "2024-01-31", datetime.date(2024, 1, 31)),
        (kinds.DATE, "2024-01-31", "'2024-01-31'", datetime.date(2024, 1, 31)),
        (kinds.UUID, "{12345678-1234-5678-1234-567812345678}", None, U),
        (kinds.UUID, 12345678123456781234567812345678, None, U),
        (kinds.JSON, {"a": [1, None]}, None, {"a": [1, None]}),
        (kinds.LIST, [], None, []),
        (kinds.MAP, {}, None, {}),
        (kinds.SET, [], None, set()),
    ],
)
def test_default_checks_return_typed_values(
    kind: Kind, value: object, text: str | None, expected: object
) -> None:
    typed = check(kind, value, text)
    assert typed == expected and type(typed) is type(expected)
    assert repr(typed) == repr(expected)


def test_an_enum_default_is_the_value_as_written() -> None:
    assert check(kinds.ENUM, True, "yes", choices=("yes", "no")) == "yes"
    with pytest.raises(DefaultError, match="expected one of yes, no"):
        check(kinds.ENUM, "maybe", "maybe", choices=("yes", "no"))


@pytest.mark.parametrize(
    "kind, value, problem",
    [
        (kinds.STRING, 5, "expected a string"),
        (kinds.INT, True, "expected a whole number"),
        (kinds.FLOAT, 10**400, "expected a finite number"),
        (kinds.DECIMAL, "1E+126", "outside DynamoDB's number range"),
        (kinds.DATE, "2024-02-30", "expected a date like 2024-01-31"),
        (kinds.UUID, "nope", "expected a UUID"),
        (kinds.JSON, float("nan"), "not a JSON value"),
        (kinds.SET, ["a"], r"a set default can only be empty \(\[\]\)"),
    ],
)
def test_default_checks_refuse_with_the_reason(kind: Kind, value: object, problem: str) -> None:
    with pytest.raises(DefaultError, match=problem):
        check(kind, value)


def test_the_types_that_take_no_default() -> None:
    no_default = {name for name in FACTS if kinds.KINDS[name].check_default is None}
    assert no_default == {
        "bytes", "datetime", "record", "ttl", "version", "created_at", "updated_at",
    }  # fmt: skip


def test_the_spec_layer_imports_neither_the_generator_nor_the_runtime() -> None:
    script = (
        "import json, sys\n"
        "import dynagen.spec.check, dynagen.spec.kinds, dynagen.spec.model\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('dynagen'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert "dynagen.spec.check" in loaded
    assert [m for m in loaded if m.startswith(("dynagen.codegen", "dynagen.runtime"))] == []
