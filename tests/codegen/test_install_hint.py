"""Without the `codegen` extra the command names what to install, and `--help` still works.

The fresh-install test (test_fresh_install.py) runs the real thing once; these block single
modules inside one process, so each missing dependency is checked on its own, quickly.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dynagen.cli import GENERATOR_NEEDS, install_hint
from tests.codegen.support import SPECS_DIR, subprocess_env

_RUN_BLOCKED = textwrap.dedent("""
    import importlib.abc, sys

    BLOCKED = sys.argv[1].split(",")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    from dynagen.cli import main
    sys.exit(main(sys.argv[2:]))
    """)


def _dynagen_without(blocked: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _RUN_BLOCKED, ",".join(blocked), *args],
        cwd=cwd,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _extra_requirements(extra: str) -> set[str]:
    """Distribution names that the installed dynagen's metadata lists for one extra."""
    names = set()
    for requirement in importlib.metadata.requires("dynagen") or []:
        if re.search(rf"""extra\s*==\s*["']{extra}["']""", requirement):
            names.add(re.split(r"[\s;<>=!~\[]", requirement, maxsplit=1)[0].lower())
    return names


def test_the_hint_names_exactly_the_codegen_extra() -> None:
    assert _extra_requirements("codegen") == {d.lower() for d, _ in GENERATOR_NEEDS}


def test_the_runtime_needs_boto3_only() -> None:
    plain = [
        requirement
        for requirement in importlib.metadata.requires("dynagen") or []
        if "extra ==" not in requirement
    ]
    assert [re.split(r"[\s;<>=!~\[]", r, maxsplit=1)[0] for r in plain] == ["boto3"]


@pytest.mark.parametrize("extra", ["test", "bench"])
def test_the_test_and_bench_extras_pull_in_the_generator(extra: str) -> None:
    """pyproject.toml says `dynagen[codegen]`; the built metadata lists what that stands for."""
    assert _extra_requirements("codegen") <= _extra_requirements(extra)


@pytest.mark.parametrize("verb", ["build", "check"])
@pytest.mark.parametrize("module", [module for _, module in GENERATOR_NEEDS])
def test_a_missing_generator_dependency_is_named_with_the_install_command(
    verb: str, module: str, tmp_path: Path
) -> None:
    result = _dynagen_without(
        [module], verb, str(SPECS_DIR), "-o", str(tmp_path / "x"), cwd=tmp_path
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        'dynagen: the code generator needs Jinja2, PyYAML and black: pip install "dynagen[codegen]"'
        f" (missing: {module})\n"
    )
    assert not (tmp_path / "x").exists()


def test_every_missing_dependency_is_named_at_once() -> None:
    assert install_hint(["jinja2", "black"]).endswith("(missing: jinja2, black)")


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_need_none_of_them(flag: str, tmp_path: Path) -> None:
    result = _dynagen_without([module for _, module in GENERATOR_NEEDS], flag, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "dynagen" in result.stdout


def test_with_everything_installed_the_hint_does_not_appear(tmp_path: Path) -> None:
    result = _dynagen_without([], "check", str(SPECS_DIR), "-o", str(tmp_path / "x"), cwd=tmp_path)
    assert result.returncode == 1  # OUT does not exist: out of date, but the generator ran
    assert "dynagen[codegen]" not in result.stderr
    assert "is out of date" in result.stderr
