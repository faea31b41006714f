"""Every case's expected module passes `mypy --strict`, in one mypy run for all (mypy is slow)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.codegen.support import ROOT, case_expected, case_names, subprocess_env


def test_case_modules_pass_mypy_strict(tmp_path: Path) -> None:
    package = tmp_path / "case_modules"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "py.typed").write_text("", encoding="utf-8")
    names = case_names()
    for name in names:
        (package / f"{name}.py").write_bytes(case_expected(name).read_bytes())
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
    assert f"no issues found in {len(names) + 1} source files" in result.stdout
