"""Golden files: small specs in golden/ and the exact module each one must generate.

Set DYNAGEN_UPDATE_GOLDEN=1 to rewrite golden/<name>.py.expected from the generator's output
(then review the diff before committing it).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dynagen.spec.check import validate_files
from dynagen.spec.kinds import SCALAR_KINDS, SET_ELEMENT_KINDS
from dynagen.spec.kinds import TOP_LEVEL_ONLY_KINDS as AUTO_KINDS
from dynagen.spec.model import Table, TypeRef
from tests.codegen.support import GOLDEN_DIR, UPDATE_GOLDEN_ENV, golden_names

MAX_DIFF_LINES = 200


def _expected_path(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.py.expected"


def _short_diff(expected: str, generated: str, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            generated.splitlines(keepends=True),
            fromfile=f"golden/{name}.py.expected",
            tofile=f"generated from golden/{name}.yaml",
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... ({len(lines) - MAX_DIFF_LINES} more lines)\n"]
    return "".join(lines)


def test_there_are_goldens_for_the_three_cases() -> None:
    assert golden_names() == ["all_indexes", "all_types", "minimal"]


@pytest.mark.parametrize("name", golden_names())
def test_golden_module_matches_its_expected_file_byte_for_byte(
    name: str, generated_goldens: dict[str, str]
) -> None:
    generated = generated_goldens[name]
    path = _expected_path(name)
    if os.environ.get(UPDATE_GOLDEN_ENV) == "1":
        path.write_bytes(generated.encode("utf-8"))
        return
    assert path.is_file(), (
        f"{path} is missing: run `{UPDATE_GOLDEN_ENV}=1 pytest tests/codegen` to create it, "
        "then review it"
    )
    expected = path.read_bytes()
    if generated.encode("utf-8") != expected:
        pytest.fail(
            f"the module generated from golden/{name}.yaml differs from golden/{name}.py.expected.\n"
            f"If the change is intended, rewrite the goldens with `{UPDATE_GOLDEN_ENV}=1 "
            "pytest tests/codegen` and review the diff before committing.\n\n"
            + _short_diff(expected.decode("utf-8"), generated, name),
            pytrace=False,
        )


def test_every_expected_file_has_its_golden_spec() -> None:
    orphans = sorted(
        path.name
        for path in GOLDEN_DIR.glob("*.py.expected")
        if not (GOLDEN_DIR / path.name.replace(".py.expected", ".yaml")).is_file()
    )
    assert orphans == []


# ---------------------------------------------------------------- what the goldens cover


def _golden_table(name: str) -> Table:
    tables, diagnostics = validate_files([str(GOLDEN_DIR / f"{name}.yaml")])
    assert diagnostics == []
    (table,) = tables
    assert table.module == name, "a golden's `table:` must be its file name"
    return table


def _walk(t: TypeRef) -> Iterator[TypeRef]:
    yield t
    if t.element is not None:
        yield from _walk(t.element)


def test_minimal_golden_has_a_partition_key_only_and_no_automatic_attributes() -> None:
    table = _golden_table("minimal")
    assert table.sort is None
    assert table.indexes == ()
    assert not {a.kind for a in table.entity.attributes} & AUTO_KINDS


def test_all_types_golden_uses_every_type_of_the_spec() -> None:
    table = _golden_table("all_types")
    fields = list(table.entity.attributes) + [f for r in table.records for f in r.fields]
    types = [t for f in fields for t in _walk(f.type)]
    kinds = {t.kind for t in types}
    assert SCALAR_KINDS | AUTO_KINDS | {"list", "map", "set", "record", "enum"} <= kinds
    assert {t.element.kind for t in types if t.kind == "set" and t.element} == SET_ELEMENT_KINDS
    # nested collections, a list of records, and records inside records
    assert any(t.kind == "list" and t.element and t.element.kind == "list" for t in types)
    assert any(t.kind == "list" and t.element and t.element.kind == "record" for t in types)
    assert any(f.kind == "record" for r in table.records for f in r.fields)
    # optional values, defaults of every kind that takes one, awkward stored names
    entity = table.entity.attributes
    assert any(a.optional for a in entity)
    defaults = {a.kind for a in entity if a.default is not None}
    assert {"string", "int", "float", "decimal", "bool", "date", "uuid", "enum", "json"} <= defaults
    assert {"list", "map", "set"} <= defaults
    stored = {a.stored_as for a in entity if a.stored_as != a.name}
    assert {"a.b", "#x", "my attr", "comment"} <= stored


def test_all_indexes_golden_has_every_index_kind_and_projection() -> None:
    table = _golden_table("all_indexes")
    seen = {
        (index.kind, index.projection if isinstance(index.projection, str) else "include")
        for index in table.indexes
    }
    assert seen == {
        (kind, projection)
        for kind in ("global", "local")
        for projection in ("all", "keys_only", "include")
    }
