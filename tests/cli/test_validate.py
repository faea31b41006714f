"""`dynagen validate` and `--format github`: every positioned problem, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dynagen.commands.common import annotation
from tests.codegen.support import ROOT, SPECS_DIR, run_dynagen, subprocess_env, write_spec

BROKEN_SPEC = """
version: 1
table: broken
key: {partition: id}
entities:
  Thing:
    attributes:
      id: strnig
      count: {type: int, default: many}
"""

GOOD_SPEC = """
version: 1
table: good
key: {partition: id}
entities:
  Thing:
    attributes:
      id: string
"""


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_validate_accepts_the_example_specs(tmp_path: Path) -> None:
    result = run_dynagen("validate", str(SPECS_DIR), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "dynagen: 5 specs valid"
    assert list(tmp_path.iterdir()) == []


def test_validate_reports_every_error_with_its_position_and_writes_nothing(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "broken.yaml", BROKEN_SPEC)
    write_spec(tmp_path / "specs", "good.yaml", GOOD_SPEC)
    before = _listing(tmp_path)
    result = run_dynagen("validate", "specs", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "specs/broken.yaml:7:11: error: type 'strnig': unknown type (did you mean 'string'?)",
        "specs/broken.yaml:8:35: error: default of attribute 'count': expected a whole number",
        "dynagen: 2 errors; specs are not valid",
    ]
    assert _listing(tmp_path) == before


def test_validate_reports_missing_paths(tmp_path: Path) -> None:
    result = run_dynagen("validate", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "nope.yaml:1:1: error: no such file or folder" in result.stderr


@pytest.mark.parametrize("verb", ["validate", "build", "check"])
def test_format_github_prints_one_annotation_per_problem(verb: str, tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "broken.yaml", BROKEN_SPEC)
    extra = ["-o", "out"] if verb != "validate" else []
    result = run_dynagen(verb, "specs", *extra, "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=specs/broken.yaml,line=7,col=11::type 'strnig': unknown type "
        "(did you mean 'string'?)",
        "::error file=specs/broken.yaml,line=8,col=35::default of attribute 'count': "
        "expected a whole number",
    ]
    assert "2 errors" in result.stderr
    assert not (tmp_path / "out").exists()


def test_annotations_escape_what_github_would_misread() -> None:
    line = annotation("error", "a,b:c.yaml", 3, 4, "100% sure\nsecond line")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,col=4::100%25 sure%0Asecond line"


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--help"],
        ["schema", "--help"],
        ["export", "--help"],
        ["export", "cloudformation", "--help"],
        ["tables", "--help"],
        ["tables", "plan", "--help"],
        ["tables", "apply", "--help"],
        ["diff", "--help"],
        ["vet", "--help"],
    ],
)
def test_every_verb_has_help(args: list[str], tmp_path: Path) -> None:
    result = run_dynagen(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: dynagen")


def test_importing_the_cli_loads_no_generator_or_aws_dependency() -> None:
    script = (
        "import sys, dynagen.cli; "
        "print(sorted(m for m in ('jinja2', 'yaml', 'black', 'boto3', 'botocore') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
