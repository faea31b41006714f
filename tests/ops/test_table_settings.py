"""Deletion protection, point-in-time recovery and tags through `tables plan` / `apply` and the
generated `create_table()`.

DynamoDB Local has DeletionProtectionEnabled (CreateTable, UpdateTable, DescribeTable) and takes
Tags in CreateTable, but answers UnknownOperationException to DescribeContinuousBackups,
UpdateContinuousBackups, ListTagsOfResource, TagResource and UntagResource. So deletion
protection is tested on DynamoDB Local, point-in-time recovery and tag steps on moto's server,
and on DynamoDB Local that `plan` says those two are skipped instead of failing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest
from botocore.stub import Stubber

from dynagen.ops.plan import PlanError, apply_table, describe, desired_for, plan_table
from dynagen.ops.shape import from_spec
from dynagen.runtime import make_client
from tests.codegen.support import write_spec
from tests.helpers import build_module, unique_name
from tests.ops.test_tables import _table, dynagen, planned, spec


def _client(endpoint: str) -> Any:
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")


def _drop(client: Any, name: str) -> None:
    """Delete a test table, protected or not."""
    try:
        client.update_table(TableName=name, DeletionProtectionEnabled=False)
        client.delete_table(TableName=name)
    except client.exceptions.ResourceNotFoundException:
        pass


def _engine(endpoint: str) -> Iterator[tuple[str, Any, str]]:
    """(endpoint, client, table prefix) for one test; its table is dropped afterwards."""
    client = _client(endpoint)
    prefix = unique_name("set") + "-"
    yield endpoint, client, prefix
    _drop(client, prefix + "things")


@pytest.fixture
def local(local_endpoint: str) -> Iterator[tuple[str, Any, str]]:
    yield from _engine(local_endpoint)


@pytest.fixture
def moto(moto_endpoint: str) -> Iterator[tuple[str, Any, str]]:
    yield from _engine(moto_endpoint)


def converge(tmp_path: Path, where: tuple[str, Any, str], text: str) -> tuple[list[dict[str, Any]], str]:  # fmt: skip
    """Plan and apply `text`; apply makes exactly the planned steps and a new plan has none.
    Returns the plan's steps and apply's output."""
    endpoint, client, prefix = where
    write_spec(tmp_path / "specs", "things.yaml", text)
    steps = planned(tmp_path, endpoint, prefix)
    applied = dynagen(tmp_path, endpoint, prefix, "apply", "--yes", "--timeout", "60")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    made = [line.split(": applying: ", 1)[1] for line in applied.stdout.splitlines() if ": applying: " in line]  # fmt: skip
    assert made == [step["summary"] for step in steps]
    assert planned(tmp_path, endpoint, prefix) == []
    return steps, applied.stdout


def _live(where: tuple[str, Any, str], text: str) -> Any:
    _, client, prefix = where
    table = _table(text)
    return describe(client, prefix + "things", from_spec(table, "x").settings)[0]


PROTECTED = spec() + "deletion_protection: true\n"
UNPROTECTED = spec() + "deletion_protection: false\n"


def test_deletion_protection_on_and_off_on_dynamodb_local(tmp_path: Path, local: tuple[str, Any, str]) -> None:  # fmt: skip
    _, client, prefix = local
    steps, _ = converge(tmp_path, local, PROTECTED)
    assert [s["action"] for s in steps] == ["create_table"]
    assert steps[0]["request"]["DeletionProtectionEnabled"] is True
    name = prefix + "things"
    assert client.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is True
    with pytest.raises(client.exceptions.ClientError, match="protected against deletion"):
        client.delete_table(TableName=name)
    steps, _ = converge(tmp_path, local, UNPROTECTED)
    assert [(s["action"], s["request"]) for s in steps] == [
        ("disable_deletion_protection", {"TableName": name, "DeletionProtectionEnabled": False})
    ]
    assert "DeleteTable is no longer refused" in steps[0]["note"]
    steps, _ = converge(tmp_path, local, PROTECTED)
    assert [s["action"] for s in steps] == ["enable_deletion_protection"]
    assert _live(local, PROTECTED) == from_spec(_table(PROTECTED), name)


def test_a_spec_without_the_field_leaves_the_live_setting_alone(tmp_path: Path, local: tuple[str, Any, str]) -> None:  # fmt: skip
    _, client, prefix = local
    converge(tmp_path, local, PROTECTED)
    steps, _ = converge(tmp_path, local, spec())  # no deletion_protection: not managed
    assert steps == []
    table = client.describe_table(TableName=prefix + "things")["Table"]
    assert table["DeletionProtectionEnabled"] is True


SETTINGS = spec() + "point_in_time_recovery: true\ntags: {team: payments, env: prod}\n"


def test_on_dynamodb_local_recovery_and_tags_are_skipped_with_a_note(tmp_path: Path, local: tuple[str, Any, str]) -> None:  # fmt: skip
    endpoint, client, prefix = local
    name = prefix + "things"
    write_spec(tmp_path / "specs", "things.yaml", SETTINGS)
    steps = planned(tmp_path, endpoint, prefix)  # no table yet: nothing to ask the endpoint
    assert [s["action"] for s in steps] == ["create_table", "enable_pitr"]
    assert steps[0]["request"]["Tags"] == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "payments"}]  # fmt: skip
    applied = dynagen(tmp_path, endpoint, prefix, "apply", "--yes", "--timeout", "60")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert f"{name}: applying: create table" in applied.stdout
    assert f"{name}: skipped: point-in-time recovery: this endpoint does not support DescribeContinuousBackups (UnknownOperationException" in applied.stdout  # fmt: skip
    assert f"{name}: skipped: tags: this endpoint does not support ListTagsOfResource" in applied.stdout  # fmt: skip
    again = dynagen(tmp_path, endpoint, prefix, "plan")
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0] == f"{name}: nothing to do"
    assert [line.split(":", 2)[1].strip() for line in lines[1:]] == ["point-in-time recovery", "tags"]  # fmt: skip
    assert all(line.startswith("  skipped: ") and line.endswith("not read or changed") for line in lines[1:])  # fmt: skip
    result = dynagen(tmp_path, endpoint, prefix, "plan", "--json")
    document = json.loads(result.stdout)
    assert (result.returncode, document[0]["steps"]) == (0, [])
    assert [entry.split(":", 1)[0] for entry in document[0]["skipped"]] == ["point-in-time recovery", "tags"]  # fmt: skip


def test_point_in_time_recovery_and_tags_on_moto(
    tmp_path: Path, moto: tuple[str, Any, str]
) -> None:
    endpoint, client, prefix = moto
    name = prefix + "things"
    steps, _ = converge(tmp_path, moto, SETTINGS)
    assert [s["action"] for s in steps] == ["create_table", "enable_pitr"]
    assert _live(moto, SETTINGS) == from_spec(_table(SETTINGS), name)
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "env", "Value": "prod"},
        {"Key": "team", "Value": "payments"},
    ]
    changed = spec() + "point_in_time_recovery: false\ntags: {team: ledger, tier: gold}\n"
    steps, _ = converge(tmp_path, moto, changed)
    assert [(s["action"], s["operation"], s["request"]) for s in steps] == [
        ("disable_pitr", "UpdateContinuousBackups", {"TableName": name, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": False}}),  # fmt: skip
        ("tag", "TagResource", {"ResourceArn": arn, "Tags": [{"Key": "team", "Value": "ledger"}, {"Key": "tier", "Value": "gold"}]}),  # fmt: skip
        ("untag", "UntagResource", {"ResourceArn": arn, "TagKeys": ["env"]}),
    ]
    assert "can no longer be restored" in steps[0]["note"]
    assert _live(moto, changed) == from_spec(_table(changed), name)
    emptied = spec() + "tags: {}\npoint_in_time_recovery: true\n"
    steps, _ = converge(tmp_path, moto, emptied)
    assert [s["action"] for s in steps] == ["enable_pitr", "untag"]
    assert steps[1]["request"]["TagKeys"] == ["team", "tier"]
    assert _live(moto, emptied) == from_spec(_table(emptied), name)


def test_a_step_the_endpoint_lacks_is_an_error_naming_the_api() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    desired = desired_for(_table(spec() + "point_in_time_recovery: true\n"), "t-things")
    table = {
        "TableName": "t-things",
        "TableStatus": "ACTIVE",
        "TableArn": "arn:aws:dynamodb:us-east-1:1:table/t-things",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "seq", "KeyType": "RANGE"}],  # fmt: skip
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "seq", "AttributeType": "N"}],  # fmt: skip
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    }
    off = {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}}  # fmt: skip
    with Stubber(client) as stub:
        stub.add_response("describe_table", {"Table": table})
        stub.add_response("describe_time_to_live", {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}})  # fmt: skip
        stub.add_response("describe_continuous_backups", off)
        stub.add_client_error("update_continuous_backups", "UnknownOperationException", "An unknown operation was requested.")  # fmt: skip
        with pytest.raises(PlanError, match="does not support UpdateContinuousBackups, needed to enable point-in-time recovery"):  # fmt: skip
            apply_table(client, desired, timeout=5)
    assert [s.action for s in plan_table(desired, None)] == ["create_table", "enable_pitr"]


def test_generated_create_table_sets_everything_the_spec_says(
    tmp_path: Path, endpoint: str
) -> None:
    """On moto every setting reads back; on DynamoDB Local deletion protection does, and the
    point-in-time recovery it lacks is skipped rather than failing create_table()."""
    module = build_module(tmp_path, PROTECTED.replace("deletion_protection", "point_in_time_recovery: true\ntags: {team: x}\ndeletion_protection"), "things")  # fmt: skip
    client = _client(endpoint)
    name = unique_name("gen") + "-things"
    try:
        module.ThingsTable(make_client(endpoint_url=endpoint, region_name="us-east-1"), table_name=name).create_table()  # fmt: skip
        table = client.describe_table(TableName=name)["Table"]
        assert table["DeletionProtectionEnabled"] is True
        try:
            backups = client.describe_continuous_backups(TableName=name)
        except client.exceptions.ClientError as error:
            assert error.response["Error"]["Code"] == "UnknownOperationException"  # DynamoDB Local
        else:
            status = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
            assert status["PointInTimeRecoveryStatus"] == "ENABLED"
            tags = client.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]
            assert tags == [{"Key": "team", "Value": "x"}]
    finally:
        _drop(client, name)


def test_a_protected_table_is_not_replaced(tmp_path: Path, local: tuple[str, Any, str]) -> None:
    endpoint, client, prefix = local
    converge(tmp_path, local, PROTECTED)
    rekeyed = spec(key="{partition: id, sort: other}") + "deletion_protection: true\n"
    write_spec(tmp_path / "specs", "things.yaml", rekeyed)
    result = dynagen(tmp_path, endpoint, prefix, "apply", "--yes", "--allow-replace", "--timeout", "60")  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("dynagen: ") and "protected against deletion" in result.stderr
    assert _live(local, PROTECTED) == from_spec(_table(PROTECTED), prefix + "things")  # untouched
