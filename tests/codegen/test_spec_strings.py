"""Arbitrary text in the spec's free-text places: refused where it is written, or a module that
imports, keeps the text exactly, and passes `mypy --strict`.

The places: descriptions (of the table, the entity, a record, an enum, an attribute, a record
field), `stored_as` names (of an attribute and of a record field) and enum values. Text is drawn
from every code point, lone surrogates and control characters included, plus strings that mean
something to Python source or docstrings. Descriptions become docstrings: control characters
other than newline and tab, and lone surrogates, are refused there. `stored_as` and enum values
are DynamoDB text: anything DynamoDB can store works (control characters included, written as
escaped literals); lone surrogates, which are not UTF-8, are refused.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dynagen.codegen.generate import generate
from dynagen.spec.diagnostics import SpecErrors
from tests.codegen.support import ROOT, subprocess_env

SPEC = """version: 1
table: {module}
description: {table_doc}
key: {{partition: pk}}
types:
  Kind:
    description: {enum_doc}
    enum: [{value}, plain]
  Rec:
    description: {record_doc}
    fields:
      x: {{type: string, stored_as: {field_name}, description: {field_doc}}}
entities:
  Thing:
    description: {entity_doc}
    attributes:
      pk: string
      kind: Kind
      rec: {{type: Rec, optional: true}}
      other: {{type: string, stored_as: {stored_as}, description: {attribute_doc}}}
"""
PLACES = (
    "table_doc",
    "enum_doc",
    "record_doc",
    "field_doc",
    "entity_doc",
    "attribute_doc",
    "stored_as",
    "field_name",
    "value",
)
DOCS = ("table_doc", "enum_doc", "record_doc", "field_doc", "entity_doc", "attribute_doc")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text` (any code point, escaped)."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0xA0 or 0xD800 <= code <= 0xDFFF or code >= 0xFFFE:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        elif code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# Strings that mean something to Python source, docstrings, comments or terminals.
TRICKY = [
    '"""',
    "'''",
    '"',
    "\\",
    "\\n",
    "\\x00",
    "\\N{BULLET}",
    "\n",
    "\t",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u202e",
    "\U0001f600",
    "# comment",
    "{x}",
    "%s",
    "'); import os; ('",
    '"""; raise SystemExit; """',
    " ",
    "é",
]
# What a docstring must not hold, and what DynamoDB cannot store.
CONTROL = ["\x00", "\r", "\r\n", "\x0c", "\x1b[31m", "\x85", "\x7f"]
SURROGATES = ["\ud800", "\udfff", "a\udc80b"]


def pieces(alphabet: st.SearchStrategy[str], extra: list[str]) -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(st.sampled_from(extra), st.text(alphabet, max_size=4)), min_size=1, max_size=4
    ).map("".join)


ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())
# Text a description may hold (no control character but newline and tab, no lone surrogate),
# text a name or value may hold (no lone surrogate), and any text at all.
PROSE = pieces(st.characters(blacklist_categories=("Cc", "Cs")), TRICKY)
STORABLE = pieces(st.characters(blacklist_categories=("Cs",)), TRICKY + CONTROL)
ANYTHING = pieces(ANY_CHAR, TRICKY + CONTROL + SURROGATES)


@st.composite
def spec_strings(draw: st.DrawFn) -> dict[str, str]:
    """Every place a fitting text, except a few (maybe none) that get any text at all."""
    spoilt = draw(st.sets(st.sampled_from(PLACES), max_size=3))
    return {
        place: draw(ANYTHING if place in spoilt else PROSE if place in DOCS else STORABLE)
        for place in PLACES
    }


# Names and values with control characters, which DynamoDB stores.
CONTROL_IN_NAMES = {place: "ok" for place in DOCS} | {
    "stored_as": "a\x00b\r\n\x1b",
    "field_name": "\x7f\t#x",
    "value": "\x00\x01 v",
}

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check_module(module: ModuleType, strings: dict[str, str]) -> None:
    """The texts arrived unchanged: names and values exactly, descriptions as written."""
    kind = module.Kind(strings["value"])
    assert kind.value == strings["value"]
    item = module.Thing(pk="p", kind=kind, rec=module.Rec(x="in"), other="out")
    wire = module.marshal_thing(item)
    assert wire[strings["stored_as"]] == {"S": "out"}
    assert wire["rec"]["M"][strings["field_name"]] == {"S": "in"}
    assert wire["kind"] == {"S": strings["value"]}
    assert module.unmarshal_thing(wire) == item
    docs = {
        "table_doc": module.__doc__,
        "enum_doc": module.Kind.__doc__,
        "record_doc": module.Rec.__doc__,
        "entity_doc": module.Thing.__doc__,
    }
    for place, doc in docs.items():
        assert doc is not None and " ".join(strings[place].split()) in " ".join(doc.split())


def test_any_text_in_the_free_text_places_is_refused_there_or_builds_a_module_that_imports(
    tmp_path: Path,
) -> None:
    package = tmp_path / "built"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "py.typed").write_text("", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    built: list[str] = []
    refused: list[str] = []

    @SETTINGS
    @given(spec_strings())
    @example(
        CONTROL_IN_NAMES
    )  # DynamoDB-legal: written as escaped literals (a NUL would not import)
    def build(strings: dict[str, str]) -> None:
        module = f"strings_{uuid.uuid4().hex[:10]}"
        spec_dir = tmp_path / module
        spec_dir.mkdir()
        spec = spec_dir / "spec.yaml"
        fields = {place: quoted(text) for place, text in strings.items()}
        spec.write_text(SPEC.format(module=module, **fields), encoding="utf-8")
        try:
            files = generate([str(spec)])
        except SpecErrors as errors:
            assert errors.diagnostics
            for diagnostic in errors.diagnostics:
                assert diagnostic.path == str(spec) and diagnostic.line >= 1 and diagnostic.col >= 1
                assert str(diagnostic).startswith(f"{spec}:{diagnostic.line}:{diagnostic.col}: ")
            refused.append(module)
            return
        text = files[f"{module}.py"]
        assert "\x00" not in text and "\r" not in text and "\x1b" not in text
        (package / f"{module}.py").write_text(text, encoding="utf-8")
        _check_module(importlib.import_module(f"built.{module}"), strings)
        built.append(module)

    try:
        build()
    finally:
        sys.path.remove(str(tmp_path))
    assert built and refused  # both outcomes were seen
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
         str(tmp_path / ".mypy_cache"), "built"],
        cwd=tmp_path,
        env=subprocess_env(MYPYPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"no issues found in {len(built) + 1} source files" in result.stdout


def test_a_spec_file_name_with_a_newline_builds_a_module_that_imports(tmp_path: Path) -> None:
    """The module's header comment names the spec file; a newline there would end the comment."""
    strings = {place: "ok" for place in PLACES}
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "odd\nimport os.yaml").write_text(
        SPEC.format(module="strings_file_name", **{k: quoted(v) for k, v in strings.items()}),
        encoding="utf-8",
    )
    text = generate([str(folder)])["strings_file_name.py"]
    assert text.splitlines()[0].startswith("# Code generated by dynagen")
    assert "\\n" in text.splitlines()[0] and "\nimport os" not in text
    (tmp_path / "strings_file_name.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("strings_file_name")
    finally:
        sys.path.remove(str(tmp_path))
    assert not hasattr(module, "os")
    assert dataclasses.is_dataclass(module.Thing) and datetime  # the module is whole
    _ = Any
