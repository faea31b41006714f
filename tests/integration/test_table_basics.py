"""What every generated table class has, one-entity and templated alike (templates/shared.py.j2):
the constructor's `on_decode_error`, and `create_table()` applying the spec's table settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dynagen import naming
from dynagen import runtime as rt
from tests.helpers import build_module, unique_name

ONE_ENTITY = """
version: 1
table: plain_settings
key: {partition: id}
point_in_time_recovery: true
entities:
  Thing:
    attributes:
      id: string
      n: int
"""

TEMPLATED = """
version: 1
table: templated_settings
key: {partition: pk, sort: sk}
point_in_time_recovery: true
entities:
  Thing:
    attributes:
      owner: string
      no: {type: int}
      n: int
    keys: {pk: "OWNER#{owner}", sk: "THING#{no:04}"}
"""


def _table(module: Any, client: Any) -> Any:
    """A table object of the generated module, on a table of its own."""
    table_class = getattr(module, naming.table_class(module.__name__.rpartition(".")[2]))
    return table_class(client, table_name=unique_name("basics"))


@pytest.mark.parametrize(
    ("spec", "module_name"),
    [(ONE_ENTITY, "plain_settings"), (TEMPLATED, "templated_settings")],
    ids=["one_entity", "templated"],
)
def test_create_table_turns_on_point_in_time_recovery(
    tmp_path: Path, moto_endpoint: str, spec: str, module_name: str
) -> None:
    """On moto: DynamoDB Local has no continuous backups (create_table leaves them out there)."""
    module = build_module(tmp_path, spec, module_name)
    client = rt.make_client(endpoint_url=moto_endpoint, region_name="us-east-1")
    table = _table(module, client)
    table.create_table()
    try:
        described = client.describe_continuous_backups(TableName=table.table_name)
        recovery = described["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"
    finally:
        table.delete_table(wait=False)


def test_a_templated_table_reads_past_undecodable_items_with_on_decode_error(
    tmp_path: Path, client: Any
) -> None:
    module = build_module(tmp_path, TEMPLATED, "templated_settings")
    table = _table(module, client)
    table.create_table()
    try:
        for no in (1, 2, 3):
            table.things.create(module.Thing(owner="o", no=no, n=no))
        key = table.things.key("o", 2)
        raw = client.get_item(TableName=table.table_name, Key=key)["Item"]
        raw["n"] = {"S": "not a number"}  # another tool's write
        client.put_item(TableName=table.table_name, Item=raw)
        with pytest.raises(rt.ItemDecodeError, match="'n'"):
            list(table.things.query("o"))
        skipped = rt.DecodeErrors()
        tolerant = type(table)(client, table_name=table.table_name, on_decode_error=skipped)
        assert [thing.no for thing in tolerant.things.query("o")] == [1, 3]
        assert [item.key for item in skipped] == [key]
    finally:
        table.delete_table(wait=False)
