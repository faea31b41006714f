"""One spec, ten different mistakes: ten `file:line:col` errors in one run, and nothing written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dynagen.spec.check import validate_files, validate_text
from tests.spec.support import ROOT

SPEC = """\
version: 2
table: orders
descripton: Customer orders.
key: {partition: customer_id, sort: order_id}
billing: {read: 0, write: 5}
stream: new_images
types:
  OrderStatus: {enum: [pending, paid, pending]}
  Address:
    fields:
      street: string
      when: created_at
entities:
  Order:
    attributes:
      customer_id: string
      order_id: string
      status: OrderStatus
      total: decimal
      class: string
      quantity: {type: int, default: many}
      tags: {type: set<float>, optional: true}
      shipping: {type: Address, optional: true}
      version: version
indexes:
  by_status: {partition: status, projection: [total, total]}
"""

# (line:col, what the message says), in file order: one per mistake.
MISTAKES = [
    ("1:10", "unsupported spec version"),  # version: 2
    ("3:1", "unknown field 'descripton' in the spec (did you mean 'description'?)"),
    ("5:17", "billing read capacity must be a whole number of at least 1"),
    ("6:9", "stream must be one of"),  # new_images
    ("8:39", "enum 'OrderStatus': duplicate value 'pending'"),
    ("12:13", "type 'created_at' is for top-level entity attributes, not record fields"),
    ("20:7", "attribute name 'class' must be a Python identifier"),
    ("21:38", "default of attribute 'quantity': expected a whole number"),
    ("22:20", "type 'set<float>': sets hold string, int, decimal or bytes, not float"),
    ("26:54", "index 'by_status' projects 'total' twice"),
]
ERROR_LINE = re.compile(r"^orders\.yaml:(\d+):(\d+): error: (.+)$")


def assert_the_ten_mistakes(lines: list[str]) -> None:
    assert len(lines) == 10, "\n".join(lines)
    for line, (where, fragment) in zip(lines, MISTAKES):
        match = ERROR_LINE.match(line)
        assert match, line
        assert f"{match.group(1)}:{match.group(2)}" == where, line
        assert fragment in match.group(3), line


def test_ten_mistakes_give_ten_errors_in_one_run() -> None:
    table, diagnostics = validate_text("orders.yaml", SPEC)
    assert table is None
    assert_the_ten_mistakes([str(d) for d in diagnostics])


def test_each_mistake_alone_gives_its_own_error() -> None:
    """Fixing nine of the ten leaves exactly the tenth: no error depends on another."""
    fixes = [
        ("version: 2", "version: 1"),
        ("descripton:", "description:"),
        ("read: 0", "read: 1"),
        ("new_images", "new_image"),
        ("paid, pending]", "paid, shipped]"),
        ("when: created_at", "when: datetime"),
        ("class: string", "klass: string"),
        ("default: many", "default: 1"),
        ("set<float>", "set<decimal>"),
        ("[total, total]", "[total]"),
    ]
    for keep, (where, fragment) in enumerate(MISTAKES):
        text = SPEC
        for number, (wrong, right) in enumerate(fixes):
            if number != keep:
                assert wrong in text
                text = text.replace(wrong, right, 1)
        _, diagnostics = validate_text("orders.yaml", text)
        assert len(diagnostics) == 1, [str(d) for d in diagnostics]
        assert str(diagnostics[0]).startswith(f"orders.yaml:{where}: error: ")
        assert fragment in diagnostics[0].message


def test_with_all_ten_fixed_the_spec_is_valid() -> None:
    text = (
        SPEC.replace("version: 2", "version: 1")
        .replace("descripton:", "description:")
        .replace("read: 0", "read: 1")
        .replace("new_images", "new_image")
        .replace("paid, pending]", "paid, shipped]")
        .replace("when: created_at", "when: datetime")
        .replace("class: string", "klass: string")
        .replace("default: many", "default: 1")
        .replace("set<float>", "set<decimal>")
        .replace("[total, total]", "[total]")
    )
    table, diagnostics = validate_text("orders.yaml", text)
    assert diagnostics == []
    assert table is not None and table.module == "orders"


def test_validate_files_reports_the_ten_with_the_path(tmp_path: Path) -> None:
    spec = tmp_path / "orders.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    tables, diagnostics = validate_files([str(spec)])
    assert tables == []
    assert len(diagnostics) == 10
    assert all(d.path == str(spec) for d in diagnostics)


# ---------------------------------------------------------------- the command line


def run_dynagen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "dynagen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def spec_folder(tmp_path: Path) -> Path:
    (tmp_path / "orders.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_build_prints_ten_errors_exits_1_and_writes_nothing(spec_folder: Path) -> None:
    result = run_dynagen("build", "orders.yaml", "-o", "out", cwd=spec_folder)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert_the_ten_mistakes([line for line in lines if ERROR_LINE.match(line)])
    assert [line for line in lines if not ERROR_LINE.match(line)] == [
        "dynagen: 10 errors; nothing written"
    ]
    assert result.stdout == ""
    assert not (spec_folder / "out").exists()
    assert sorted(p.name for p in spec_folder.iterdir()) == ["orders.yaml"]


def test_build_leaves_an_existing_output_folder_untouched(spec_folder: Path) -> None:
    out = spec_folder / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = run_dynagen("build", str(spec_folder), "-o", str(out), cwd=spec_folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert sum(1 for line in result.stderr.splitlines() if ": error: " in line) == 10
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_check_reports_the_same_ten_errors(spec_folder: Path) -> None:
    result = run_dynagen("check", "orders.yaml", "-o", "out", cwd=spec_folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert_the_ten_mistakes([ln for ln in result.stderr.splitlines() if ERROR_LINE.match(ln)])
    assert not (spec_folder / "out").exists()
