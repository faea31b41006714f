"""Key attributes become parameters of the generated methods: no name may break a method.

The generated table methods have their own parameters (`count`, `actions`, ...) and locals
(`key`, `raw`, `read`, ...). A key attribute with one of those names must either be refused
with a clear spec error, or give a module that imports, passes mypy --strict and sends the
key it was given.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dynagen.spec.diagnostics import SpecErrors
from tests.codegen.support import ROOT, build_and_load, generate_in, subprocess_env, write_spec


def _spec(partition: str, sort: str = "seq") -> str:
    return f"""
        version: 1
        table: keyed
        key: {{partition: {partition}, sort: {sort}}}
        entities:
          Person:
            attributes:
              {partition}: string
              {sort}: int
              nick: {{type: string, optional: true}}
              tags: {{type: set<string>, optional: true}}
              visits: {{type: int, default: 0}}
              version: version
              updated_at: updated_at
        indexes:
          by_nick:
            partition: nick
            sort: {partition}
            projection: keys_only
          by_visits:
            kind: local
            sort: visits
        """


class RecordingClient:
    """Just enough of a boto3 DynamoDB client for `get` and `update`: records each request."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def get_item(self, **request: Any) -> dict[str, Any]:
        self.requests.append(("get_item", request))
        return {"Item": self.item}

    def update_item(self, **request: Any) -> dict[str, Any]:
        self.requests.append(("update_item", request))
        return {"Attributes": self.item}


@pytest.mark.parametrize("key", ["id", "name", "u", "raw", "key", "read", "wire", "now"])
def test_get_and_update_send_the_key_they_were_given(key: str, tmp_path: Path) -> None:
    try:
        m = build_and_load(tmp_path, _spec(key), "keyed")
    except SpecErrors as errors:  # refusing a name generated code needs is fine too
        assert key != "id" and repr(key) in str(errors)
        return
    stored = {key: {"S": "alice"}, "seq": {"N": "7"}, "visits": {"N": "2"}, "version": {"N": "3"}}
    client = RecordingClient(stored)
    table = m.KeyedTable(client)
    got = table.get("alice", 7)
    updated = table.update("alice", 7, set={"visits": 2}, remove=["nick"], add={"tags": {"t"}})
    wanted = {key: {"S": "alice"}, "seq": {"N": "7"}}
    assert [(method, request["Key"]) for method, request in client.requests] == [
        ("get_item", wanted),
        ("update_item", wanted),
    ]
    assert getattr(got, key) == getattr(updated, key) == "alice"


@pytest.mark.parametrize(
    "key",
    ["count", "actions"],
)
def test_a_key_named_like_a_method_parameter_is_refused_or_imports(
    key: str, tmp_path: Path
) -> None:
    try:
        m = build_and_load(tmp_path, _spec(key), "keyed")
    except SpecErrors as errors:
        assert repr(key) in str(errors)
        return
    assert hasattr(m, "KeyedTable")


def test_keys_named_like_generated_locals_give_modules_that_pass_mypy(tmp_path: Path) -> None:
    package = tmp_path / "shadowing"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    generated = 0
    for partition, sort in (("key", "raw"), ("read", "projection"), ("request", "seq")):
        folder = tmp_path / f"{partition}_{sort}"
        write_spec(folder / "specs", "keyed.yaml", _spec(partition, sort))
        try:
            files = generate_in(folder, ["specs"])
        except SpecErrors as errors:  # refusing the name is a fix too
            assert repr(partition) in str(errors) or repr(sort) in str(errors)
            continue
        (package / f"keyed_{partition}_{sort}.py").write_text(files["keyed.py"], encoding="utf-8")
        generated += 1
    if not generated:
        return
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package.name],
        cwd=tmp_path,
        env=subprocess_env(MYPYPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("key", ["person_key", "marshal_person", "unmarshal_person"])
def test_a_key_named_like_a_generated_function_is_refused_at_its_position(
    key: str, tmp_path: Path
) -> None:
    """`get(self, person_key)` would call the parameter instead of the function person_key():
    before this check the module built and failed at run time with TypeError."""
    with pytest.raises(SpecErrors) as caught:
        build_and_load(tmp_path, _spec(key), "keyed")
    messages = [str(d) for d in caught.value.diagnostics]
    assert any(
        f"partition key {key!r}" in m and f"would hide the generated" in m and f"{key}()" in m
        for m in messages
    ), messages
    assert all(m.startswith(str(tmp_path)) or ".yaml:" in m for m in messages)  # positioned


def test_an_index_key_named_like_a_generated_function_is_refused(tmp_path: Path) -> None:
    spec = (
        _spec("pid")
        .replace("partition: nick", "partition: person_key")
        .replace(
            "nick: {type: string, optional: true}", "person_key: {type: string, optional: true}"
        )
    )
    with pytest.raises(SpecErrors) as caught:
        build_and_load(tmp_path, spec, "keyed")
    assert "index 'by_nick' partition key 'person_key'" in str(caught.value)
