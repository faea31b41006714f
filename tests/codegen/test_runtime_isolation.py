"""Applications import generated modules with boto3 only: no Jinja2, PyYAML or black."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.codegen.support import EXAMPLE_DIR, ROOT, subprocess_env

_SCRIPT = textwrap.dedent("""
    import importlib, importlib.abc, json, sys

    BLOCKED = ("jinja2", "yaml", "black")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, Block())
    sys.path.insert(0, sys.argv[1])
    for name in BLOCKED:  # nothing may have been imported before the finder went in
        assert name not in sys.modules, name

    import dynagen.runtime
    runtime_only = sorted(m for m in sys.modules if m.startswith("dynagen"))
    modules = json.loads(sys.argv[2])
    for module in modules:
        importlib.import_module(module)
    json.dump(
        {
            "runtime_only": runtime_only,
            "after_generated": sorted(m for m in sys.modules if m.startswith("dynagen")),
            "blocked_loaded": sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED),
        },
        sys.stdout,
    )
    """)


def _example_modules() -> list[str]:
    return ["generated_example"] + sorted(
        f"generated_example.{path.stem}"
        for path in EXAMPLE_DIR.glob("*.py")
        if path.name != "__init__.py"
    )


def test_blocking_finder_really_blocks_the_generator() -> None:
    """The check below means something: with the finder in, dynagen.codegen cannot be imported."""
    script = _SCRIPT.replace("import dynagen.runtime", "import dynagen.codegen.render")
    result = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), "[]"],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "is blocked in this test" in result.stderr


def test_runtime_and_generated_examples_import_without_jinja2_pyyaml_and_black() -> None:
    modules = _example_modules()
    assert len(modules) > 1
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(ROOT), json.dumps(modules)],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["blocked_loaded"] == []
    for phase in ("runtime_only", "after_generated"):
        generator = [
            m
            for m in report[phase]
            if m.startswith(("dynagen.codegen", "dynagen.spec", "dynagen.cli"))
        ]
        assert generator == [], f"{phase}: {generator}"
