"""Formatting by chunk gives black's output for the whole module, whatever the templates rendered.

`format_module` keeps the chunks `is_stable` vouches for and runs black on the others alone;
these tests hold it to `format_python` (black over the whole module) on every spec of the project,
on the benchmark's random specs, on random specs, and on small hand-made modules that put each of
the rules (blank lines, brackets, docstrings, fallbacks) to the test.
"""

from __future__ import annotations

import json
import string
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generator import make_specs
from dynagen.codegen.formatting import (
    BLACK_ENV,
    format_module,
    format_python,
    is_stable,
    split_chunks,
)
from dynagen.codegen.generate import generate, render_table
from dynagen.spec.check import validate_text
from tests.codegen.support import ROOT, SPECS_DIR, case_names, case_spec_arg

SPEC_FILES = sorted(
    [
        *(ROOT / case_spec_arg(name) for name in case_names()),
        *SPECS_DIR.glob("*.yaml"),
        *(ROOT / "benchmarks" / "specs").glob("*.yaml"),
    ]
)


def _rendered(path: Path) -> str:
    table, problems = validate_text(str(path), path.read_text(encoding="utf-8"))
    assert table is not None and not problems, problems
    return render_table(table)


def _same_as_black(rendered: str) -> None:
    whole = format_python(rendered, name="m.py")
    assert format_module(rendered, name="m.py") == whole


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_spec_of_the_project_formats_by_chunk_as_black_does(path: Path) -> None:
    _same_as_black(_rendered(path))


def test_the_benchmarks_random_specs_format_by_chunk_as_black_does(tmp_path: Path) -> None:
    for path in make_specs(tmp_path, 3, seed=7):
        _same_as_black(_rendered(path))


@pytest.mark.parametrize("path", SPEC_FILES[:6], ids=lambda path: str(path.relative_to(ROOT)))
def test_the_chunks_put_back_together_are_the_rendered_text(path: Path) -> None:
    rendered = _rendered(path)
    chunks = split_chunks(rendered)
    joined = "".join("\n" * chunk.blank + chunk.text() for chunk in chunks)
    lines = [line if line.strip() else "" for line in rendered.rstrip("\n").split("\n")]
    assert joined == "\n".join(lines) + "\n"  # less what black drops: trailing blank lines, spaces
    assert len(chunks) > 20  # methods, functions and constants each a chunk of their own


# ------------------------------------------------------------------ small modules, one rule each


def _module(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


BLANK_LINES = {
    "after imports and functions": """
        import os
        from typing import Any
        x = 1
        def f() -> int:
            return 1
        y = 2



        class A:
            \"\"\"Doc.\"\"\"
            a: int
            def m(self) -> int:
                return 1
            b: int = 2
        # a comment before a function
        def g() -> None:
            pass
        """,
    "module docstring, then a statement": '''
        """The module."""
        import os
        ''',
    "stubs may touch": """
        import typing


        class A:
            @typing.overload
            def m(self, a: int) -> int: ...
            @typing.overload
            def m(self, a: str) -> str: ...

            def m(self, a: object) -> object:
                return a
        def h() -> None: ...
        def k() -> None: ...
        """,
    "a class without a docstring": """
        class A:

            def m(self) -> None:
                pass
        class B:
            x: int
        """,
    "attribute docstrings, stripped as black strips them": """
        class A:
            x: int
            \"\"\" " \"\"\"
        y = 1
        \"\"\" y's docstring\"\"\"
        """,
    "comments set apart": """
        class A:
            x: int

            # ------------------------------------------------ section


            def m(self) -> None:
                pass
        """,
}


@pytest.mark.parametrize("text", BLANK_LINES.values(), ids=BLANK_LINES.keys())
def test_blank_lines_between_chunks_are_blacks(text: str) -> None:
    _same_as_black(_module(text))


LAYOUTS = {
    "a call that fits is joined": "x = f(\n    a,\n    b\n)\n",
    "a trailing comma keeps a call exploded": "x = f(\n    a,\n    b,\n)\n",
    "a one-item tuple is joined": "x = (\n    a,\n)\n",
    "a blank line inside brackets": "x = f(\n    a,\n\n    b,\n)\n",
    "single quotes": "x = 'a'\n",
    "spaces inside brackets": "x = f( a, b )\n",
    "a magic comma on one line": "x = f(a, b, )\n",
    "a line over 100 columns": "x = f(" + ", ".join(["argument"] * 12) + ")\n",
    "a trailing space": "x = 1 \n",
    "a tab": "x = 1\t# tab\n",
    "non-ASCII": 'x = "\u00e9"\n',
    "a docstring with a space at the end": 'def f() -> None:\n    """Doc. """\n',
    "a docstring indented too far": 'def f() -> None:\n    """Doc.\n\n      more\n    """\n',
    "the right-hand split of a line that cannot join": (
        "value = function_with_a_long_name(\n"
        "    first_argument_name, second_argument_name, third_argument_name, fourth\n"
        ")\n"
    ),
    "a right-hand split of a line that could join": "value = f(\n    a, b\n)\n",
}


@pytest.mark.parametrize("text", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_each_layout_rule_gives_blacks_output(text: str) -> None:
    _same_as_black(text)


def test_the_check_vouches_for_blacks_own_layouts_only() -> None:
    assert is_stable(LAYOUTS["a trailing comma keeps a call exploded"])
    assert is_stable(LAYOUTS["the right-hand split of a line that cannot join"])
    for name in ("a call that fits is joined", "a one-item tuple is joined", "single quotes"):
        assert not is_stable(LAYOUTS[name]), name
    assert not is_stable(LAYOUTS["a right-hand split of a line that could join"])


def test_a_chunk_that_is_not_a_whole_statement_sends_the_module_to_black() -> None:
    text = "x = f(\na, b)\ny = 2\n"  # a continuation line at column 0 starts a chunk of its own
    assert [chunk.lines for chunk in split_chunks(text)] == [("x = f(",), ("a, b)",), ("y = 2",)]
    assert format_module(text, name="m.py") == "x = f(a, b)\ny = 2\n"


def test_black_always_formats_every_module_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = ROOT / case_spec_arg("minimal")
    by_chunk = generate([str(spec)])
    monkeypatch.setenv(BLACK_ENV, "always")
    assert generate([str(spec)]) == by_chunk
    monkeypatch.setenv(BLACK_ENV, "auto")
    assert generate([str(spec)]) == by_chunk
    monkeypatch.setenv(BLACK_ENV, "sometimes")
    with pytest.raises(SystemExit, match=BLACK_ENV):
        generate([str(spec)])


# ------------------------------------------------------------------------------- random specs

_FIRST = string.ascii_lowercase
_REST = string.ascii_lowercase + string.digits + "_"


@st.composite
def _names(draw: st.DrawFn) -> str:
    size = draw(st.integers(1, 60))
    rest = draw(st.lists(st.sampled_from(_REST), min_size=size - 1, max_size=size - 1))
    return draw(st.sampled_from(_FIRST)) + "".join(rest)


_DOC_TEXT = st.lists(
    st.sampled_from(list("ab c'\"\\\n\t\u00e9x") + ["word" * 8, "  ", '"""']), max_size=40
).map("".join)
_TYPES = ("string", "int", "decimal", "bool", "date", "list<string>", "map<int>", "set<string>")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(_names(), min_size=2, max_size=8, unique=True),
    types=st.lists(st.sampled_from(_TYPES), min_size=8, max_size=8),
    doc=_DOC_TEXT,
    field_doc=_DOC_TEXT,
    index=st.booleans(),
)
def test_random_specs_format_by_chunk_as_black_does(
    tmp_path_factory: pytest.TempPathFactory,
    names: list[str],
    types: list[str],
    doc: str,
    field_doc: str,
    index: bool,
) -> None:
    key, *others = names
    attributes: dict[str, object] = {key: "string"}
    for name, kind in zip(others, types):
        attributes[name] = {"type": kind, "optional": True, "description": field_doc}
    spec: dict[str, object] = {
        "version": 1,
        "table": "prop",
        "description": doc or "x",
        "key": {"partition": key},
        "entities": {"Thing": {"attributes": attributes}},
    }
    scalar = [n for n, t in zip(others, types) if t in ("string", "int", "decimal", "date")]
    if index and scalar:
        spec["indexes"] = {"by_" + scalar[0][:40]: {"partition": scalar[0]}}
    path = tmp_path_factory.mktemp("prop") / "prop.yaml"
    path.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML
    table, problems = validate_text(str(path), path.read_text(encoding="utf-8"))
    if table is None:
        return  # a spec the generator refuses (reserved names and the like) has no output
    _same_as_black(render_table(table))
