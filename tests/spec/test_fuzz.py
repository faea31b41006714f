"""Random mutations of the example specs never make validate_text raise.

Whatever the text, the answer is a Table with no diagnostics, or diagnostics only, each
with a real position (line and column from 1).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynagen.spec.check import validate_text
from dynagen.spec.diagnostics import Diagnostic
from dynagen.spec.model import Table
from tests.spec.support import EXAMPLE_SPECS

PATH = "fuzz.yaml"
EXAMPLES = [path.read_text(encoding="utf-8") for path in EXAMPLE_SPECS]

# Tokens that mean something to YAML or to the validator, mixed in with random text.
# (Explicit tags whose constructor crashes are tested on their own, in test_load.py.)
NASTY = [
    "",
    "~",
    "[]",
    "{}",
    "on",
    "no",
    ".nan",
    "-.inf",
    "1e400",
    "*undefined",
    "&anchor x",
    "<<",
    "- x",
    "x: y: z",
    "'",
    '"',
    "{",
    "[",
    "|",
    ">",
    "? x",
    "list<",
    "set<float>",
    "map<set<int>>",
    "2024-13-01",
    "0x1F",
    "0o17",
    "1_000",
    "99999999999999999999999999999999999999999",
    "!foo x",
    "!!str 5",
    "!!binary xx",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "\x00",
    "\ufeff",
    "\u2028",
    "é",
]

replacement = st.one_of(st.sampled_from(NASTY), st.text(max_size=20))


def block_end(lines: list[str], start: int) -> int:
    """The index after `lines[start]` and every following line indented deeper."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > indent
    ):
        end += 1
    return end


@st.composite
def mutated_spec(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(EXAMPLES))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        lines = text.splitlines(keepends=True)
        if not lines:
            break
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(
            st.sampled_from(
                ["drop_key", "drop_block", "duplicate", "replace", "insert", "truncate"]
            )
        )
        line = lines[index]
        if action == "drop_key":
            del lines[index]
        elif action == "drop_block":
            del lines[index : block_end(lines, index)]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "replace" and ":" in line:
            colon = line.index(":")
            lines[index] = line[: colon + 1] + " " + draw(replacement) + "\n"
        elif action == "insert":
            column = draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:column] + draw(replacement) + line[column:]
        elif action == "truncate":
            cut = draw(st.integers(min_value=0, max_value=len(text)))
            lines = [text[:cut]]
        text = "".join(lines)
    return text


def assert_well_formed(table: Table | None, diagnostics: list[Diagnostic]) -> None:
    if table is not None:
        assert diagnostics == []
        return
    assert diagnostics, "no table and no diagnostics"
    for diagnostic in diagnostics:
        assert diagnostic.path == PATH
        assert diagnostic.line >= 1 and diagnostic.col >= 1, diagnostic
        assert diagnostic.message
        assert str(diagnostic).startswith(f"{PATH}:{diagnostic.line}:{diagnostic.col}: error: ")


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is never flaky
    database=None,  # and nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated_spec())
def test_mutated_specs_never_raise(text: str) -> None:
    table, diagnostics = validate_text(PATH, text)
    assert_well_formed(table, diagnostics)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    table, diagnostics = validate_text(PATH, text)
    assert_well_formed(table, diagnostics)


def test_unmutated_examples_are_valid() -> None:
    for text in EXAMPLES:
        table, diagnostics = validate_text(PATH, text)
        assert diagnostics == [] and table is not None
