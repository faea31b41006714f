"""`pip install dynagen` in a new virtual environment is the runtime only, and it is enough.

test_runtime_isolation.py blocks imports inside one process; this test does what a user does: a
fresh `python -m venv` (without the system's site-packages), `pip install .` with no extras, then
the generated example modules import, Jinja2, PyYAML and black are nowhere to be found, and
`dynagen build` says which extra to install instead of failing with a traceback.
The test is skipped only when pip cannot reach a package index at all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dynagen.cli import GENERATOR_NEEDS
from tests.codegen.support import EXAMPLE_DIR, ROOT, SPECS_DIR

pytestmark = pytest.mark.venv

PIP_TIMEOUT = 600
NO_INDEX_SIGNS = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "NewConnectionError",
    "ConnectTimeoutError",
    "ProxyError",
    "Could not fetch URL",
)

_IMPORT_ALL = textwrap.dedent("""
    import importlib, importlib.util, json, sys
    import dynagen, dynagen.runtime
    modules = json.loads(sys.argv[1])
    for module in modules:
        importlib.import_module(module)
    json.dump(
        {
            "prefix": sys.prefix,
            "dynagen": dynagen.__file__,
            "imported": sorted(m for m in sys.modules if m in modules),
            "findable": {name: importlib.util.find_spec(name) is not None for name in sys.argv[2:]},
            "loaded": sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[2:]),
        },
        sys.stdout,
    )
    """)


def _clean_env() -> dict[str, str]:
    """This environment without anything that would put the checkout or .venv on the path."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


def _pip_install(python: Path, *args: str) -> None:
    try:
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--retries", "2", *args],
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=PIP_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pip install {' '.join(args)} took more than {PIP_TIMEOUT}s", pytrace=False)
    if result.returncode == 0:
        return
    output = result.stdout + result.stderr
    if any(sign in output for sign in NO_INDEX_SIGNS) and (
        "No matching distribution found" in output or "Could not find a version" in output
    ):
        pytest.skip(f"pip cannot reach a package index, so no fresh install: {output[-500:]}")
    pytest.fail(f"pip install {' '.join(args)} failed:\n{output}", pytrace=False)


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding `pip install <this checkout>`, no extras."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], check=True, env=_clean_env(), timeout=300
    )
    _pip_install(venv / "bin" / "python", str(ROOT))
    return venv


def _example_modules() -> list[str]:
    return ["generated_example"] + sorted(
        f"generated_example.{path.stem}"
        for path in EXAMPLE_DIR.glob("*.py")
        if path.name != "__init__.py"
    )


def test_generated_examples_import_with_the_runtime_only_install(
    fresh_venv: Path, tmp_path: Path
) -> None:
    # a copy, in a folder where the checkout's dynagen/ is not next to it
    shutil.copytree(EXAMPLE_DIR, tmp_path / "generated_example")
    modules = _example_modules()
    assert len(modules) > 1
    blocked = [module for _, module in GENERATOR_NEEDS]
    result = subprocess.run(
        [str(fresh_venv / "bin" / "python"), "-c", _IMPORT_ALL, json.dumps(modules), *blocked],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    venv = fresh_venv.resolve()
    assert Path(report["prefix"]).resolve() == venv
    assert Path(report["dynagen"]).resolve().is_relative_to(venv), "the installed one, not ROOT's"
    assert report["imported"] == sorted(modules)
    assert report["findable"] == {module: False for module in blocked}
    assert report["loaded"] == []


def test_build_without_the_codegen_extra_says_what_to_install(
    fresh_venv: Path, tmp_path: Path
) -> None:
    shutil.copytree(SPECS_DIR, tmp_path / "specs")
    out = tmp_path / "x"
    result = subprocess.run(
        [str(fresh_venv / "bin" / "dynagen"), "build", "specs/", "-o", str(out)],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        'dynagen: the code generator needs Jinja2, PyYAML and black: pip install "dynagen[codegen]"'
        " (missing: jinja2, yaml, black)\n"
    )
    assert result.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_work_without_the_codegen_extra(flag: str, fresh_venv: Path) -> None:
    result = subprocess.run(
        [str(fresh_venv / "bin" / "dynagen"), flag],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "dynagen" in result.stdout
