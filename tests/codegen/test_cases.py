"""Feature cases: cases/<feature>/spec.yaml and the exact module it must generate, expected.py.

Each spec is as small as it can be while showing one feature, so a change in the generator shows
up as a diff in the cases of the features it touches. To accept a change, rewrite the expected
files and review their diff before committing:

    DYNAGEN_UPDATE_CASES=1 pytest tests/codegen/test_cases.py

A new feature gets a new folder with a spec.yaml whose `table:` is the folder's name; the run above
writes its expected.py. The tests below also hold that the cases, together, use every spec type
and every index kind and projection. Elsewhere, on the expected files: test_mypy.py runs
`mypy --strict` over all of them at once, test_generated_modules.py imports each one and checks its
header, and test_case_modules.py puts each feature's module to work.

The cases are generated under a fixed generator identity (CASES_IDENTITY), so the input hash in
their stamps follows the case's spec alone: a change to dynagen's sources that renders the same
leaves them alone, as it should, instead of rewriting line 2 of every expected file.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from dynagen.codegen import generate as generate_module

from tests.codegen.support import (
    CASES_DIR,
    ROOT,
    UPDATE_CASES_ENV,
    case_expected,
    case_names,
    case_spec_arg,
    generate_in,
)

MAX_DIFF_LINES = 120
UPDATE_HINT = f"`{UPDATE_CASES_ENV}=1 pytest tests/codegen/test_cases.py`"
CASES_IDENTITY = "dynagen feature cases"

SPEC_TYPE_NAMES = {
    "string",
    "int",
    "float",
    "decimal",
    "bool",
    "bytes",
    "datetime",
    "date",
    "uuid",
    "json",
    "list",
    "map",
    "set",
    "ttl",
    "version",
    "created_at",
    "updated_at",
}
SET_ELEMENT_TYPES = {"string", "int", "decimal", "bytes"}
INDEX_KINDS = {"global", "local"}
PROJECTIONS = {"all", "keys_only", "include"}


def _short_diff(expected: str, generated: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            generated.splitlines(keepends=True),
            fromfile=f"cases/{name}/expected.py",
            tofile=f"generated from cases/{name}/spec.yaml",
            n=2,
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... ({len(lines) - MAX_DIFF_LINES} more lines)\n"]
    return "".join(lines)


@pytest.mark.parametrize("name", case_names())
def test_case_generates_exactly_its_expected_module(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One generation per case (not one fixture for all), so pytest's workers share the work."""
    monkeypatch.setattr(generate_module, "generator_identity", lambda: CASES_IDENTITY)
    generated = generate_in(ROOT, [case_spec_arg(name)])[f"{name}.py"].encode("utf-8")
    path = case_expected(name)
    if os.environ.get(UPDATE_CASES_ENV) == "1":
        if not path.is_file() or path.read_bytes() != generated:
            path.write_bytes(generated)
        return
    assert path.is_file(), f"{path} is missing: run {UPDATE_HINT} to write it, then review it"
    expected = path.read_bytes()
    if generated != expected:
        pytest.fail(
            f"cases/{name}/spec.yaml no longer generates cases/{name}/expected.py.\n"
            f"If the change is intended, rewrite the expected files with {UPDATE_HINT} and review "
            "the diff before committing.\n\n"
            + _short_diff(expected.decode("utf-8"), generated.decode("utf-8"), name),
            pytrace=False,
        )


def test_each_case_folder_holds_a_spec_and_its_expected_module_only() -> None:
    folders = sorted(path for path in CASES_DIR.iterdir() if path.is_dir())
    assert [folder.name for folder in folders] == case_names(), "a case folder without spec.yaml"
    for folder in folders:
        files = sorted(p.name for p in folder.iterdir() if p.name != "__pycache__")
        assert files == ["expected.py", "spec.yaml"], folder.name


# ---------------------------------------------------------------- what the cases cover


def _spec(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((CASES_DIR / name / "spec.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _attributes(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, options) of every entity attribute and record field; options always hold `type`."""
    bodies = [entity["attributes"] for entity in spec["entities"].values()]
    bodies += [body["fields"] for body in (spec.get("types") or {}).values() if "fields" in body]
    for attributes in bodies:
        for name, value in attributes.items():
            yield name, value if isinstance(value, dict) else {"type": value}


def _type_words(type_text: str, spec: dict[str, Any]) -> list[str]:
    """`list<map<Point>>` -> ["list", "map", "record"]: spec type names, named types by kind."""
    types = spec.get("types") or {}
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", type_text)
    return [
        word if word not in types else ("enum" if "enum" in types[word] else "record")
        for word in words
    ]


def _all_type_uses() -> list[list[str]]:
    uses = []
    for name in case_names():
        spec = _spec(name)
        uses += [_type_words(options["type"], spec) for _, options in _attributes(spec)]
    return uses


def test_each_case_table_is_named_after_its_folder() -> None:
    """The module is named after `table:`, so cases never clash and are easy to find."""
    assert [_spec(name)["table"] for name in case_names()] == case_names()


def test_the_cases_use_every_spec_type_an_enum_and_a_record() -> None:
    used = {word for words in _all_type_uses() for word in words}
    missing = (SPEC_TYPE_NAMES | {"enum", "record"}) - used
    assert missing == set(), f"no case uses {sorted(missing)}"


def test_the_cases_use_every_set_element_type_and_nested_collections() -> None:
    uses = _all_type_uses()
    assert {words[1] for words in uses if words[0] == "set"} == SET_ELEMENT_TYPES
    for outer, inner in [("list", "list"), ("list", "map"), ("list", "record"), ("map", "list")]:
        assert [outer, inner] in [words[:2] for words in uses], f"no {outer}<{inner}<...>>"
    assert ["map", "record"] in uses


def test_the_cases_have_records_inside_records_and_a_record_that_refers_to_itself() -> None:
    nested = recursive = False
    for name in case_names():
        spec = _spec(name)
        for record, body in (spec.get("types") or {}).items():
            for field in body.get("fields", {}).values():
                type_text = field["type"] if isinstance(field, dict) else field
                nested |= "record" in _type_words(type_text, spec)
                recursive |= type_text == record
    assert nested and recursive


def test_the_cases_have_optional_values_and_a_default_of_every_kind_that_takes_one() -> None:
    optional, defaulted = set(), set()
    for name in case_names():
        spec = _spec(name)
        for _, options in _attributes(spec):
            kind = _type_words(options["type"], spec)[0]
            if options.get("optional"):
                optional.add(kind)
            if options.get("default") is not None:
                defaulted.add(kind)
    assert {"string", "int", "enum", "record", "set", "ttl"} <= optional
    assert {
        "string",
        "int",
        "float",
        "decimal",
        "bool",
        "date",
        "uuid",
        "enum",
        "json",
        "list",
        "map",
        "set",
    } <= defaulted


def test_the_cases_store_names_that_are_reserved_words_or_hold_punctuation() -> None:
    stored = {
        options["stored_as"]
        for name in case_names()
        for _, options in _attributes(_spec(name))
        if "stored_as" in options
    }
    assert {"name", "comment", "a.b", "#x", "my attr", ":v", "city.name", "note text"} <= stored


def test_the_cases_have_every_index_kind_with_every_projection() -> None:
    seen = set()
    for name in case_names():
        for index in (_spec(name).get("indexes") or {}).values():
            projection = index.get("projection", "all")
            seen.add(
                (
                    index.get("kind", "global"),
                    projection if isinstance(projection, str) else "include",
                )
            )
    assert seen == {(kind, projection) for kind in INDEX_KINDS for projection in PROJECTIONS}


def test_the_cases_cover_the_table_options() -> None:
    specs = [_spec(name) for name in case_names()]
    assert any(isinstance(spec.get("billing"), dict) for spec in specs), "provisioned billing"
    assert any(spec.get("stream") for spec in specs), "a stream"
    assert any(spec.get("table_name") for spec in specs), "a physical table name"
    assert any("sort" in spec["key"] for spec in specs), "a sort key"
    assert any(spec.get("description") for spec in specs), "a table description"


def test_the_cases_describe_every_part_that_takes_a_description() -> None:
    specs = [_spec(name) for name in case_names()]
    types = [body for spec in specs for body in (spec.get("types") or {}).values()]
    entities = [entity for spec in specs for entity in spec["entities"].values()]
    attributes = [options for spec in specs for _, options in _attributes(spec)]
    assert any("description" in body and "enum" in body for body in types), "an enum"
    assert any("description" in body and "fields" in body for body in types), "a record"
    assert any("description" in entity for entity in entities), "an entity"
    assert any("description" in options for options in attributes), "an attribute"


def test_minimal_case_has_a_string_partition_key_only() -> None:
    spec = _spec("minimal")
    assert spec["key"] == {"partition": "id"}
    assert "indexes" not in spec and "types" not in spec
    ((_, entity),) = spec["entities"].items()
    assert entity["attributes"] == {"id": "string"}
