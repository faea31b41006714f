"""The pre-commit hooks (.pre-commit-hooks.yaml), run by `pre-commit try-repo` on this checkout
against a small project: a temporary git repository with a spec and its generated modules.

pre-commit builds the hooks' Python environment with pip: dynagen from this checkout (its
uncommitted changes included, try-repo's shadow repository), its dependencies from the package
index. pip's cache lives in .cache/ so that later runs install from it; the test is skipped, with
the reason, only when pip cannot reach the index at all.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.codegen.support import ROOT, run_dynagen, write_spec

pytestmark = pytest.mark.venv

HOOKS = ROOT / ".pre-commit-hooks.yaml"
PIP_CACHE = ROOT / ".cache" / "pip-pre-commit"
TIMEOUT = 600
NO_INDEX_SIGNS = (  # what pip says when the network or the index is not there
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "Read timed out",
    "No matching distribution found",
    "Could not find a version",
)


def _manifest() -> dict[str, dict[str, object]]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def _codegen_requirements() -> list[str]:
    found = []
    for requirement in importlib.metadata.requires("dynagen") or []:
        text, _, marker = requirement.partition(";")
        if re.search(r"""extra\s*==\s*["']codegen["']""", marker):
            found.append(text.strip().replace(" ", "").lower())
    return sorted(found)


def test_the_hooks_install_the_codegen_extra() -> None:
    hooks = _manifest()
    assert sorted(hooks) == ["dynagen-check", "dynagen-validate"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        deps = hook["additional_dependencies"]
        assert isinstance(deps, list)
        assert sorted(str(d).lower() for d in deps) == _codegen_requirements(), hook["id"]
    assert hooks["dynagen-validate"]["entry"] == "dynagen validate"
    assert hooks["dynagen-check"]["entry"] == "dynagen check"
    assert hooks["dynagen-check"]["pass_filenames"] is False


def _env(home: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "VIRTUAL_ENV", "PRE_COMMIT_HOME"}
    }
    env.update(
        PRE_COMMIT_HOME=str(home),
        PIP_CACHE_DIR=str(PIP_CACHE),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
    )
    return env


def _require_package_index(tmp_path: Path) -> None:
    """Skip, saying why, when pip cannot download from its index (pre-commit needs it)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--retries", "1"]
        + ["--timeout", "15", "-d", str(tmp_path / "probe"), "PyYAML>=6.0"],
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode == 0:
        return
    output = result.stdout + result.stderr
    if any(sign in output for sign in NO_INDEX_SIGNS):
        pytest.skip(f"pip cannot reach its package index: {output[-300:]}")
    pytest.fail(f"pip download failed:\n{output}", pytrace=False)


def _try_repo(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit is not None, "pre-commit is in the test extra"
    return subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "--all-files", "--color", "never"],
        cwd=project,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


GOOD = """
version: 1
table: things
key: {partition: id}
entities:
  Thing:
    attributes:
      id: string
"""


def test_try_repo_runs_both_hooks_on_a_sample_project(tmp_path: Path) -> None:
    _require_package_index(tmp_path)
    project = tmp_path / "project"
    write_spec(project / "specs", "things.yaml", GOOD)
    built = run_dynagen("build", "specs/", "-o", "generated/", cwd=project)  # the hook's default
    assert built.returncode == 0, built.stderr
    env = _env(tmp_path / "home")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, env=env)

    passing = _try_repo(project, tmp_path / "home")
    output = passing.stdout + passing.stderr
    assert passing.returncode == 0, output
    assert re.search(r"^dynagen validate\.+Passed$", output, re.M), output
    assert re.search(r"^dynagen check\.+Passed$", output, re.M), output

    write_spec(project / "specs", "broken.yaml", GOOD.replace("things", "broken").replace("id: string", "id: strnig"))  # fmt: skip
    (project / "generated" / "things.py").write_text("# stale\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, env=env)
    failing = _try_repo(project, tmp_path / "home")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert re.search(r"^dynagen validate\.+Failed$", output, re.M), output
    assert re.search(r"^dynagen check\.+Failed$", output, re.M), output
    error = "specs/broken.yaml:7:11: error: type 'strnig': unknown type (did you mean 'string'?)"
    assert output.count(error) == 2, output  # validate and check both report it, positioned
