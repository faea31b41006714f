"""The golden modules pass `mypy --strict` (one mypy run for all of them: mypy is slow)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.codegen.support import ROOT, subprocess_env


def test_golden_modules_pass_mypy_strict(generated_goldens: dict[str, str], tmp_path: Path) -> None:
    package = tmp_path / "golden_modules"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "py.typed").write_text("", encoding="utf-8")
    for name, text in generated_goldens.items():
        (package / f"{name}.py").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            package.name,
        ],
        cwd=tmp_path,
        env=subprocess_env(MYPYPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"no issues found in {len(generated_goldens) + 1} source files" in result.stdout
