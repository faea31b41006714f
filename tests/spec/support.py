"""Helpers for the spec-layer tests: validate text, get the errors as `file:line:col: error:` lines."""

from __future__ import annotations

from pathlib import Path

from dynagen.spec.check import validate_text
from dynagen.spec.model import Table

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SPECS = sorted((ROOT / "specs").glob("*.yaml"))
PATH = "spec.yaml"

# A small valid spec. Lines 1-11 are fixed; `with_attribute` adds line 12, the first place a
# test can put a mistake of its own.
HEAD = """\
version: 1
table: things
key: {partition: pk, sort: sk}
types:
  Color: {enum: [red, green]}
  Point: {fields: {x: int, y: int}}
entities:
  Thing:
    attributes:
      pk: string
      sk: int
"""
ATTRIBUTE_LINE = 12


def with_attribute(*lines: str) -> str:
    """HEAD plus attribute lines (indented for you); the first one is line 12."""
    return HEAD + "".join(f"      {line}\n" for line in lines)


def errors(text: str, path: str = PATH) -> list[str]:
    """Every diagnostic of an invalid spec, as printed; fails if the spec was accepted."""
    table, diagnostics = validate_text(path, text)
    assert table is None, "the spec was accepted"
    assert diagnostics, "no table and no diagnostics"
    return [str(diagnostic) for diagnostic in diagnostics]


def the_error(text: str, path: str = PATH) -> str:
    """The one diagnostic of an invalid spec; fails if there are none or several."""
    found = errors(text, path)
    assert len(found) == 1, "\n".join(found)
    return found[0]


def assert_error(text: str, where: str, *fragments: str, path: str = PATH) -> str:
    """Exactly one error, at `where` ("LINE:COL"), whose message holds every fragment."""
    error = the_error(text, path)
    prefix = f"{path}:{where}: error: "
    assert error.startswith(prefix), f"expected {prefix!r}..., got {error!r}"
    for fragment in fragments:
        assert fragment in error, f"{fragment!r} not in {error!r}"
    return error


def valid(text: str, path: str = PATH) -> Table:
    """The table of a valid spec; fails with the diagnostics if it is not valid."""
    table, diagnostics = validate_text(path, text)
    assert not diagnostics, "\n".join(str(d) for d in diagnostics)
    assert table is not None
    return table
