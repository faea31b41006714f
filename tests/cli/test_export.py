"""`dynagen export cloudformation`: cfn-lint accepts every export, and each resource, read back,
describes the table the spec does (checked against the spec model, not against the exporter's
own source, the CreateTable definition)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from dynagen.ops.shape import IndexShape, Settings, TableShape, from_cloudformation
from dynagen.spec import kinds
from dynagen.spec.check import validate_files
from dynagen.spec.model import Table
from tests.cli.test_schema import ALL_SPECS
from tests.codegen.support import ROOT, run_dynagen, write_spec

SPEC_ARGS = [str(path.relative_to(ROOT)) for path in ALL_SPECS]


def _export(fmt: str, *extra: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_dynagen("export", "cloudformation", *extra, "--format", fmt, cwd=cwd)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cfn")
    paths = {}
    for fmt in ("yaml", "json"):
        result = _export(fmt, *SPEC_ARGS)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        paths[fmt] = folder / f"template.{fmt}"
        paths[fmt].write_text(result.stdout, encoding="utf-8")
    return paths


def _tables() -> list[Table]:
    tables, diagnostics = validate_files(SPEC_ARGS)
    assert diagnostics == []
    return tables


def _expected(table: Table) -> TableShape:
    """What the spec says, from the model: stored names, key types, indexes, billing, stream, ttl."""
    entity = table.entity

    def attr(name: str) -> tuple[str, str]:
        if table.is_single_table:  # physical key attributes: strings that belong to no entity
            return name, "S"
        attribute = entity.attribute(name)
        return attribute.stored_as, attribute.type.wire_key_type

    def key(partition: str, sort: str | None) -> tuple[tuple[str, str, str], ...]:
        parts = [(attr(partition)[0], "HASH", attr(partition)[1])]
        if sort:
            parts.append((attr(sort)[0], "RANGE", attr(sort)[1]))
        return tuple(parts)

    provisioned = table.billing.mode == "provisioned"
    throughput = (table.billing.read, table.billing.write) if provisioned else None
    indexes: dict[str, dict[str, Any]] = {"global": {}, "local": {}}

    for index in table.indexes:
        if index.projection == "all":
            projection, non_key = "ALL", ()
        elif index.projection == "keys_only":
            projection, non_key = "KEYS_ONLY", ()
        else:
            projection = "INCLUDE"
            # A templated table's list names attributes of any entity, each under its stored names.
            non_key = tuple(
                sorted(
                    {
                        a.stored_as
                        for e in table.entities
                        for a in e.attributes
                        if a.name in index.projection
                    }
                )
            )
        indexes[index.kind][index.physical_name] = IndexShape(
            index.physical_name,
            key(index.partition, index.sort),
            projection,
            non_key,
            throughput if index.is_global else None,
        )
    ttl = next((a for e in table.entities if (a := e.of_kind(kinds.TTL))), None)
    return TableShape(
        name=table.physical_name,
        key=key(table.partition, table.sort),
        billing="PROVISIONED" if provisioned else "PAY_PER_REQUEST",
        throughput=throughput,
        global_indexes=indexes["global"],
        local_indexes=indexes["local"],
        stream=table.stream.upper() if table.stream else None,
        ttl=ttl.stored_as if ttl else None,
        settings=Settings(table.deletion_protection, table.point_in_time_recovery, table.tags),
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_cfn_lint_accepts_every_export(fmt: str, exports: dict[str, Path]) -> None:
    cfn_lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent))
    assert cfn_lint is not None, "cfn-lint is in the test extra"
    result = subprocess.run(
        [cfn_lint, "--", str(exports[fmt])], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_resource_read_back_is_the_spec_s_table(exports: dict[str, Path]) -> None:
    template = yaml.safe_load(exports["yaml"].read_text(encoding="utf-8"))
    assert json.loads(exports["json"].read_text(encoding="utf-8")) == template
    assert "&id" not in exports["yaml"].read_text(encoding="utf-8")  # no YAML anchors
    tables = _tables()
    resources = template["Resources"]
    assert len(resources) == len(tables) == len(ALL_SPECS)
    for table in tables:
        name = "".join(p.capitalize() for p in table.module.split("_")) + "Table"
        found = resources[name]
        assert found["Type"] == "AWS::DynamoDB::Table"
        assert found["Metadata"] == {"dynagen": {"spec": table.source}}
        properties = found["Properties"]
        assert from_cloudformation(properties) == _expected(table), table.source
        # Only key and index key attributes are defined (CloudFormation refuses others).
        defined = {d["AttributeName"] for d in properties["AttributeDefinitions"]}
        keys = {table.partition, table.sort} | {
            n for i in table.indexes for n in (i.partition, i.sort)
        }
        if table.is_single_table:
            assert defined == {n for n in keys if n}
        else:
            assert defined == {table.entity.attribute(n).stored_as for n in keys if n}
        # A setting the spec does not write is left to CloudFormation's default.
        if table.point_in_time_recovery is None:
            assert "PointInTimeRecoverySpecification" not in properties
        if table.deletion_protection is None:
            assert "DeletionProtectionEnabled" not in properties
        if table.tags is None:
            assert "Tags" not in properties


def test_the_export_covers_every_feature_it_maps() -> None:
    expected = [_expected(t) for t in _tables()]
    assert any(s.ttl for s in expected)
    assert any(s.stream for s in expected)
    assert any(s.billing == "PROVISIONED" for s in expected)
    assert any(s.local_indexes for s in expected)
    assert any(i.non_key for s in expected for i in s.global_indexes.values())
    assert any(s.settings.deletion_protection for s in expected)
    assert any(s.settings.point_in_time_recovery for s in expected)
    assert any(s.settings.tags for s in expected)


SPEC = """
version: 1
table: things
key: {partition: id, sort: seq}
entities:
  Thing:
    attributes:
      id: string
      seq: int
      a: {type: string, optional: true}
      b: {type: string, optional: true}
      c: {type: string, optional: true}
indexes:
INDEXES
"""


def _project(tmp_path: Path, indexes: str) -> Path:
    write_spec(tmp_path / "specs", "things.yaml", SPEC.replace("INDEXES", indexes))
    return tmp_path


def _previous(tmp_path: Path, indexes: str) -> Path:
    old = tmp_path / "old"
    write_spec(old / "specs", "things.yaml", SPEC.replace("INDEXES", indexes))
    result = _export("yaml", "specs", "-o", "previous.yaml", cwd=old)
    assert result.returncode == 0, result.stderr
    return old / "previous.yaml"


def test_a_stack_update_adding_two_global_indexes_is_warned_about(tmp_path: Path) -> None:
    previous = _previous(tmp_path, "  by_a: {partition: a}")
    project = _project(tmp_path, "  by_a: {partition: a}\n  by_b: {partition: b}\n  by_c: {partition: c}")  # fmt: skip
    result = _export("yaml", "specs", "--previous", str(previous), cwd=project)
    assert result.returncode == 0
    assert result.stderr == (
        "specs/things.yaml: warning: ThingsTable: a stack update would add 2 global indexes "
        "(by_b, by_c); CloudFormation makes one global index change per table per update: "
        "deploy them one at a time (or use `dynagen tables apply`)\n"
    )


def test_one_new_global_index_is_fine_and_a_changed_one_is_warned_about(tmp_path: Path) -> None:
    previous = _previous(tmp_path, "  by_a: {partition: a}")
    project = _project(tmp_path, "  by_a: {partition: a}\n  by_b: {partition: b}")
    assert _export("yaml", "specs", "--previous", str(previous), cwd=project).stderr == ""
    project = _project(tmp_path, "  by_a: {partition: a, projection: keys_only}")
    result = _export("yaml", "specs", "--previous", str(previous), cwd=project)
    assert "global index 'by_a' changes its key or projection" in result.stderr


def test_spec_errors_export_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path, "  by_a: {partition: nope}")
    result = _export("json", "specs", "--errors", "github", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=specs/things.yaml,line=")


def test_settings_written_off_are_exported_off_and_lint_clean(tmp_path: Path) -> None:
    text = SPEC.replace("INDEXES", "  by_a: {partition: a}") + (
        "deletion_protection: false\npoint_in_time_recovery: false\ntags: {}\n"
    )
    write_spec(tmp_path / "specs", "things.yaml", text)
    result = _export("yaml", "specs", "-o", "template.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    properties = yaml.safe_load((tmp_path / "template.yaml").read_text(encoding="utf-8"))[
        "Resources"
    ]["ThingsTable"]["Properties"]
    assert properties["DeletionProtectionEnabled"] is False
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": False}
    assert properties["Tags"] == []
    tables, _ = validate_files([str(tmp_path / "specs" / "things.yaml")])
    assert from_cloudformation(properties) == _expected(tables[0])
    cfn_lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent))
    assert cfn_lint is not None
    lint = subprocess.run([cfn_lint, "--", str(tmp_path / "template.yaml")], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert lint.returncode == 0, lint.stdout + lint.stderr
