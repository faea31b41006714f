"""`dynagen tables plan` / `apply` on DynamoDB Local: every kind of step, an interruption, a
table built by the generated `create_table()` of an older spec, and the destructive guards.

Each test makes its own small tables (a unique prefix); `plan --json` gives the steps, `apply`
prints each step it makes in the same words, and a plan after `apply` has nothing to do.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import boto3
import pytest

from dynagen.cli import main
from dynagen.ops.plan import PlanError, apply_table, describe, desired_for, plan_table
from dynagen.ops.shape import from_spec
from dynagen.runtime import make_client
from dynagen.spec.check import validate_text
from dynagen.spec.model import Table
from tests.codegen.support import subprocess_env, write_spec
from tests.helpers import build_module, unique_name

pytestmark = pytest.mark.local


def spec(
    *,
    key: str = "{partition: id, sort: seq}",
    billing: str = "on_demand",
    stream: str | None = None,
    ttl: str | None = None,
    indexes: str = "",
) -> str:
    lines = [
        "version: 1",
        "table: things",
        f"key: {key}",
        f"billing: {billing}",
        *([f"stream: {stream}"] if stream else []),
        "entities:",
        "  Thing:",
        "    attributes:",
        "      id: string",
        "      seq: int",
        "      other: int",
        "      a: {type: string, optional: true}",
        "      b: {type: string, optional: true}",
        "      c: {type: int, optional: true}",
        "      exp: {type: ttl, optional: true}" if ttl == "exp" else "      exp: {type: int, optional: true}",  # fmt: skip
        "      exp2: {type: ttl, optional: true}" if ttl == "exp2" else "      exp2: {type: int, optional: true}",  # fmt: skip
    ]
    if indexes:
        lines += ["indexes:", *(f"  {line}" for line in indexes.strip().splitlines())]
    return "\n".join(lines) + "\n"


def _table(text: str) -> Table:
    table, diagnostics = validate_text("specs/things.yaml", text)
    assert table is not None, diagnostics
    return table


@pytest.fixture
def ddb(local_endpoint: str) -> Any:
    return boto3.client("dynamodb", endpoint_url=local_endpoint, region_name="us-east-1")


@pytest.fixture
def prefix(ddb: Any) -> Iterator[str]:
    prefix = unique_name("plan") + "-"
    yield prefix
    try:
        ddb.delete_table(TableName=prefix + "things")
    except ddb.exceptions.ResourceNotFoundException:
        pass


def dynagen(
    project: Path, endpoint: str, prefix: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """`dynagen tables VERB specs ...` in this process (a new interpreter per call is slow)."""
    verb, *rest = args
    argv = ["tables", verb, "specs", "--endpoint", endpoint, "--table-prefix", prefix]
    argv += ["--region", "us-east-1", *rest]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def planned(project: Path, endpoint: str, prefix: str) -> list[dict[str, Any]]:
    result = dynagen(project, endpoint, prefix, "plan", "--json")
    assert result.returncode in (0, 2), result.stderr
    document = json.loads(result.stdout)
    assert len(document) == 1
    steps: list[dict[str, Any]] = document[0]["steps"]
    assert result.returncode == (2 if steps else 0)
    return steps


def converge(
    tmp_path: Path, endpoint: str, ddb: Any, prefix: str, old: str | None, new: str
) -> list[dict[str, Any]]:
    """Make the table of `old` (unless None), then plan and apply `new`; returns the plan.

    Holds that apply makes exactly the planned steps, in order, that a plan afterwards has
    nothing to do, and that the live table is then the one `new` describes.
    """
    name = prefix + "things"
    if old is not None:
        apply_table(ddb, desired_for(_table(old), name), timeout=60)
    write_spec(tmp_path / "specs", "things.yaml", new)
    steps = planned(tmp_path, endpoint, prefix)
    applied = dynagen(tmp_path, endpoint, prefix, "apply", "--yes", "--timeout", "60")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    made = [
        line.split(": applying: ", 1)[1]
        for line in applied.stdout.splitlines()
        if ": applying: " in line
    ]
    assert made == [step["summary"] for step in steps]
    again = dynagen(tmp_path, endpoint, prefix, "plan")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout == f"{name}: nothing to do\n"
    live, busy = describe(ddb, name)
    assert busy == ""
    assert live == from_spec(_table(new), name)
    return steps


def actions(steps: list[dict[str, Any]]) -> list[str]:
    return [step["action"] for step in steps]


TWO_INDEXES = "by_a: {partition: a}\nby_b: {partition: b, sort: seq, projection: keys_only}"
LOCAL = "by_other: {kind: local, sort: other, projection: [a]}"


CASES = {
    "create with indexes, stream and ttl": (
        None,
        spec(stream="keys_only", ttl="exp", indexes=TWO_INDEXES + "\n" + LOCAL),
        ["create_table", "enable_ttl"],
    ),
    "add two global indexes, one at a time": (
        spec(),
        spec(indexes=TWO_INDEXES),
        ["create_index", "create_index"],
    ),
    "remove a global index": (
        spec(indexes=TWO_INDEXES),
        spec(indexes="by_a: {partition: a}"),
        ["delete_index"],
    ),
    "change a projection: delete then create": (
        spec(indexes="by_a: {partition: a}"),
        spec(indexes="by_a: {partition: a, projection: [b, c]}"),
        ["delete_index", "create_index"],
    ),
    "change an index key": (
        spec(indexes="by_a: {partition: a}"),
        spec(indexes="by_a: {partition: a, sort: c}"),
        ["delete_index", "create_index"],
    ),
    "on demand to provisioned, with an index": (
        spec(indexes="by_a: {partition: a}"),
        spec(billing="{read: 2, write: 3}", indexes="by_a: {partition: a}"),
        ["billing"],
    ),
    "provisioned capacity": (
        spec(billing="{read: 2, write: 3}", indexes="by_a: {partition: a}"),
        spec(billing="{read: 4, write: 5}", indexes="by_a: {partition: a}"),
        ["billing"],
    ),
    "provisioned to on demand": (
        spec(billing="{read: 2, write: 3}"),
        spec(),
        ["billing"],
    ),
    "provisioned table gains an index with its capacity": (
        spec(billing="{read: 2, write: 3}"),
        spec(billing="{read: 2, write: 3}", indexes="by_a: {partition: a}"),
        ["create_index"],
    ),
    "enable a stream": (spec(), spec(stream="new_image"), ["enable_stream"]),
    "disable a stream": (spec(stream="new_image"), spec(), ["disable_stream"]),
    "change the stream view": (
        spec(stream="keys_only"),
        spec(stream="new_and_old_images"),
        ["disable_stream", "enable_stream"],
    ),
    "enable ttl": (spec(), spec(ttl="exp"), ["enable_ttl"]),
    "disable ttl": (spec(ttl="exp"), spec(), ["disable_ttl"]),
    "change the ttl attribute": (spec(ttl="exp"), spec(ttl="exp2"), ["disable_ttl", "enable_ttl"]),
    "everything at once": (
        spec(stream="keys_only", ttl="exp", indexes=TWO_INDEXES),
        spec(
            billing="{read: 1, write: 1}",
            stream="new_image",
            ttl="exp2",
            indexes="by_a: {partition: a, projection: keys_only}\nby_c: {partition: c}",
        ),
        ["delete_index", "delete_index", "billing", "create_index", "create_index"]
        + ["disable_stream", "enable_stream", "disable_ttl", "enable_ttl"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_every_kind_of_step(
    case: str, tmp_path: Path, local_endpoint: str, ddb: Any, prefix: str
) -> None:
    old, new, expected = CASES[case]
    steps = converge(tmp_path, local_endpoint, ddb, prefix, old, new)
    assert actions(steps) == expected
    for step in steps:  # one index created or deleted per UpdateTable
        updates = step["request"].get("GlobalSecondaryIndexUpdates", [])
        assert sum(1 for u in updates if "Create" in u or "Delete" in u) <= 1
    notes = {step["action"]: step["note"] for step in steps}
    if "enable_stream" in notes:
        assert "new stream ARN" in notes["enable_stream"]
    for action in ("enable_ttl", "disable_ttl"):
        if action in notes:
            assert "about an hour" in notes[action]


def test_plan_of_a_table_made_by_an_older_spec_s_generated_create_table(
    tmp_path: Path, local_endpoint: str, ddb: Any, prefix: str
) -> None:
    old = spec(stream="keys_only", ttl="exp", indexes="by_a: {partition: a}")
    (tmp_path / "old").mkdir()
    module = build_module(tmp_path / "old", old, "things")
    client = make_client(endpoint_url=local_endpoint, region_name="us-east-1")
    module.ThingsTable(client, table_name=prefix + "things").create_table()
    new = spec(stream="new_image", ttl="exp", indexes="by_a: {partition: a}\nby_b: {partition: b}")
    steps = converge(tmp_path, local_endpoint, ddb, prefix, None, new)
    assert actions(steps) == ["create_index", "disable_stream", "enable_stream"]


class Interrupted(Exception):
    pass


def test_apply_carries_on_after_an_interruption(
    tmp_path: Path, local_endpoint: str, ddb: Any, prefix: str
) -> None:
    name = prefix + "things"
    apply_table(ddb, desired_for(_table(spec()), name), timeout=60)
    new = spec(stream="new_image", indexes=TWO_INDEXES)
    desired = desired_for(_table(new), name)
    full = [step.summary for step in plan_table(desired, describe(ddb, name)[0])]
    assert len(full) == 3

    def stop(step: Any) -> None:  # as if killed right after the first UpdateTable was sent
        raise Interrupted(step.summary)

    with pytest.raises(Interrupted):
        apply_table(ddb, desired, timeout=60, on_step=stop)
    write_spec(tmp_path / "specs", "things.yaml", new)
    result = dynagen(tmp_path, local_endpoint, prefix, "apply", "--yes", "--timeout", "60")
    assert result.returncode == 0, result.stdout + result.stderr
    made = [line.split(": applying: ", 1)[1] for line in result.stdout.splitlines() if ": applying: " in line]  # fmt: skip
    assert made == full[1:]
    assert dynagen(tmp_path, local_endpoint, prefix, "plan").returncode == 0


def test_a_key_change_is_destructive_and_refused_without_allow_replace(
    tmp_path: Path, local_endpoint: str, ddb: Any, prefix: str
) -> None:
    name = prefix + "things"
    old = spec(indexes=LOCAL)
    apply_table(ddb, desired_for(_table(old), name), timeout=60)
    for new in (spec(key="{partition: id, sort: other}"), spec()):  # key, then a local index
        write_spec(tmp_path / "specs", "things.yaml", new)
        steps = planned(tmp_path, local_endpoint, prefix)
        assert actions(steps) == ["replace_table"] and steps[0]["destructive"]
        text = dynagen(tmp_path, local_endpoint, prefix, "plan")
        assert "DESTRUCTIVE" in text.stdout
        refused = dynagen(tmp_path, local_endpoint, prefix, "apply", "--yes")
        assert refused.returncode == 1
        assert "--allow-replace" in refused.stderr
        assert describe(ddb, name)[0] == from_spec(_table(old), name)  # untouched


def test_replacing_a_table_with_items_needs_delete_data_too(
    tmp_path: Path, local_endpoint: str, ddb: Any, prefix: str
) -> None:
    name = prefix + "things"
    old = spec(ttl="exp")
    apply_table(ddb, desired_for(_table(old), name), timeout=60)
    ddb.put_item(TableName=name, Item={"id": {"S": "x"}, "seq": {"N": "1"}})
    new = spec(key="{partition: id, sort: other}", ttl="exp")
    write_spec(tmp_path / "specs", "things.yaml", new)
    kept = dynagen(tmp_path, local_endpoint, prefix, "apply", "--yes", "--allow-replace")
    assert kept.returncode == 1
    assert "--delete-data" in kept.stderr
    assert ddb.scan(TableName=name)["Count"] == 1
    replaced = dynagen(
        tmp_path, local_endpoint, prefix, "apply", "--yes", "--allow-replace", "--delete-data"
    )
    assert replaced.returncode == 0, replaced.stderr
    assert "applying: replace table" in replaced.stdout
    assert "applying: enable TTL on exp" in replaced.stdout
    assert describe(ddb, name)[0] == from_spec(_table(new), name)
    assert ddb.scan(TableName=name)["Count"] == 0


def test_an_empty_table_is_replaced_with_allow_replace_alone(
    tmp_path: Path, local_endpoint: str, ddb: Any, prefix: str
) -> None:
    name = prefix + "things"
    apply_table(ddb, desired_for(_table(spec()), name), timeout=60)
    new = spec(indexes=LOCAL)
    desired = desired_for(_table(new), name)
    with pytest.raises(PlanError, match="--allow-replace"):
        apply_table(ddb, desired, timeout=60)
    made = apply_table(ddb, desired, allow_replace=True, timeout=60)
    assert [step.action for step in made] == ["replace_table"]
    assert describe(ddb, name)[0] == from_spec(_table(new), name)


def test_apply_asks_before_changing_unless_yes(
    tmp_path: Path, local_endpoint: str, ddb: Any, prefix: str
) -> None:
    write_spec(tmp_path / "specs", "things.yaml", spec())
    result = dynagen(tmp_path, local_endpoint, prefix, "apply")  # stdin is not a terminal
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert describe(ddb, prefix + "things")[0] is None


def test_an_unreachable_endpoint_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "things.yaml", spec())
    env = dict(os.environ, AWS_MAX_ATTEMPTS="1")
    result = subprocess.run(
        [sys.executable, "-m", "dynagen", "tables", "plan", "specs"]
        + ["--endpoint", "http://127.0.0.1:9", "--region", "us-east-1"],
        cwd=tmp_path,
        env=subprocess_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("dynagen: ")


def test_no_region_is_a_clear_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_CONFIG_FILE", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    write_spec(tmp_path / "specs", "things.yaml", spec())
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(tmp_path)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["tables", "plan", "specs", "--endpoint", "http://127.0.0.1:9"])
    assert code == 1
    assert err.getvalue() == "dynagen: no AWS region: pass --region or set AWS_DEFAULT_REGION\n"
