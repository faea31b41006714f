"""mypy --strict holds the generated API: accept/ checks clean, each `# E:` line of reject/ fails.

mypy runs once over accept/ and once over reject/ (module-scoped fixtures), from the project root
so pyproject.toml's [tool.mypy] applies, with a persistent cache under .mypy_cache/ (one per run
kind, so parallel workers never share one) to keep reruns fast.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ACCEPT = HERE / "accept"
REJECT = HERE / "reject"
PYTHON = ROOT / ".venv" / "bin" / "python"

# `path:line: error: message  [code]` (a column is tolerated, should a config turn them on).
ERROR_LINE = re.compile(
    r"^(?P<path>[^:\n]+\.pyi?):(?P<line>\d+):(?:\d+:)? (?P<kind>error|note|warning): (?P<msg>.*)$"
)
MARKER = re.compile(r"#\s*E:\s*(?P<expected>.+?)\s*$")


@dataclass(frozen=True)
class MypyRun:
    returncode: int
    stdout: str
    stderr: str
    errors: dict[tuple[str, int], list[str]]  # (path relative to ROOT, line) -> messages

    def describe(self) -> str:
        return (
            f"exit status {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


def _python() -> str:
    return str(PYTHON) if PYTHON.exists() else sys.executable


def run_mypy(*targets: Path, cache: str) -> MypyRun:
    command = [
        _python(),
        "-m",
        "mypy",
        "--strict",
        "--show-error-codes",
        "--no-error-summary",
        "--hide-error-context",
        "--no-color-output",
        "--no-pretty",
        "--cache-dir",
        str(ROOT / ".mypy_cache" / cache),
        *(str(target.relative_to(ROOT)) for target in targets),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode not in (0, 1):
        pytest.fail(f"mypy crashed or was misused: {' '.join(command)}\n{result.stderr}")
    errors: dict[tuple[str, int], list[str]] = defaultdict(list)
    for line in result.stdout.splitlines():
        match = ERROR_LINE.match(line)
        if match and match["kind"] == "error":
            path = Path(match["path"])
            path = path.resolve().relative_to(ROOT) if path.is_absolute() else path
            errors[(path.as_posix(), int(match["line"]))].append(match["msg"])
        elif not match and line.strip():
            pytest.fail(f"unparsed mypy output line: {line!r}\n{result.stdout}")
    return MypyRun(result.returncode, result.stdout, result.stderr, dict(errors))


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.py") if path.name != "__init__.py")


def markers(path: Path) -> dict[int, str]:
    """line number -> expected message part, from `# E: ...` comments (real comments only)."""
    found: dict[int, str] = {}
    with path.open("rb") as handle:
        for token in tokenize.tokenize(handle.readline):
            if token.type == tokenize.COMMENT:
                match = MARKER.search(token.string)
                if match:
                    found[token.start[0]] = match["expected"]
    return found


@pytest.fixture(scope="module")
def accept_run() -> MypyRun:
    return run_mypy(ACCEPT, cache="tests-typing-accept")


@pytest.fixture(scope="module")
def reject_run() -> MypyRun:
    return run_mypy(REJECT, cache="tests-typing-reject")


# ------------------------------------------------------------------ accept/


def test_accept_passes_mypy_strict(accept_run: MypyRun) -> None:
    if accept_run.errors or accept_run.returncode != 0:
        lines = [
            f"  {path}:{line}: {message}"
            for (path, line), messages in sorted(accept_run.errors.items())
            for message in messages
        ]
        pytest.fail(
            "mypy --strict must accept tests/typing/accept, but reported:\n"
            + "\n".join(lines)
            + "\n\n"
            + accept_run.describe()
        )


def test_accept_files_have_no_escape_hatches() -> None:
    """No reveal_type (mypy reports it, and it is not defined at run time) and no type: ignore."""
    offenders = []
    for path in python_files(ACCEPT):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "reveal_type" in text or "type: ignore" in text or "# E:" in text:
                offenders.append(f"{path.name}:{number}: {text.strip()}")
    assert not offenders, "accept/ must be plain, checked code:\n" + "\n".join(offenders)


def _is_inert(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True  # a docstring
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        value = node.value
        return value is None or isinstance(value, (ast.Constant, ast.Attribute, ast.Name))
    return False


@pytest.mark.parametrize("path", python_files(ACCEPT), ids=lambda path: path.name)
def test_accept_file_runs_nothing_at_import(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    active = [
        f"line {node.lineno}: {ast.unparse(node)[:80]}" for node in tree.body if not _is_inert(node)
    ]
    assert not active, f"{path.name} must only define things at import:\n" + "\n".join(active)
    spec = importlib.util.spec_from_file_location(f"_accept_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))


# ------------------------------------------------------------------ reject/


def test_reject_files_carry_markers() -> None:
    files = python_files(REJECT)
    assert files, "tests/typing/reject holds no files"
    unmarked = [path.name for path in files if not markers(path)]
    assert not unmarked, f"reject files without a single `# E:` line: {unmarked}"
    for path in files:
        assert "type: ignore" not in path.read_text(encoding="utf-8"), path.name


def test_reject_lines_fail_as_marked(reject_run: MypyRun) -> None:
    expected: dict[tuple[str, int], str] = {}
    for path in python_files(REJECT):
        relative = path.relative_to(ROOT).as_posix()
        for line, part in markers(path).items():
            expected[(relative, line)] = part

    missing = []  # marked lines with no error, or no error holding the expected text
    for (path, line), part in sorted(expected.items()):
        messages = reject_run.errors.get((path, line), [])
        if not any(part in message for message in messages):
            got = "; ".join(messages) if messages else "no error at all"
            missing.append(f"  {path}:{line}: expected an error containing {part!r}, got: {got}")
    unexpected = [
        f"  {path}:{line}: {message}"
        for (path, line), messages in sorted(reject_run.errors.items())
        if (path, line) not in expected
        for message in messages
    ]
    report = []
    if missing:
        report.append(
            f"{len(missing)} marked line(s) did not fail as expected:\n" + "\n".join(missing)
        )
    if unexpected:
        report.append(
            f"{len(unexpected)} unexpected error(s) on unmarked lines:\n" + "\n".join(unexpected)
        )
    if report:
        pytest.fail("\n\n".join(report) + "\n\nfull mypy output:\n" + reject_run.stdout)
    assert reject_run.returncode == 1, reject_run.describe()


def test_reject_covers_every_file(reject_run: MypyRun) -> None:
    """Each reject file was checked: each has at least one error reported in it."""
    checked = {path for path, _ in reject_run.errors}
    for path in python_files(REJECT):
        assert path.relative_to(ROOT).as_posix() in checked, f"mypy reported nothing in {path.name}"
