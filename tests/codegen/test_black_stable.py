"""Whatever path a generated file takes (formatted now, or kept by its stamp), it is exactly
black's output: black run over every committed generated file changes nothing."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from dynagen.codegen.formatting import _mode
from tests.codegen.support import CASES_DIR, EXAMPLE_DIR, ROOT

GENERATED = sorted(
    [*CASES_DIR.glob("*/expected.py"), *EXAMPLE_DIR.glob("*.py")]
    + sorted((ROOT / "benchmarks" / "generated").glob("*.py"))
)


@pytest.mark.parametrize("path", GENERATED, ids=lambda path: str(path.relative_to(ROOT)))
def test_black_changes_nothing_in_a_generated_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert black.format_str(text, mode=_mode()) == text


def test_every_kind_of_generated_file_is_covered() -> None:
    assert len(GENERATED) > 30
    assert any(path.name == "__init__.py" for path in GENERATED)
