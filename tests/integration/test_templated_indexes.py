"""A templated table's physical indexes beyond the plain case, on moto and DynamoDB Local: an
index whose DynamoDB name differs from its spec key (`index_name:`)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from tests.helpers import build_module, unique_name

CASES = Path(__file__).parents[1] / "codegen" / "cases"


@pytest.fixture(scope="module")
def named_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    spec = (CASES / "single_table_index_name" / "spec.yaml").read_text(encoding="utf-8")
    return build_module(tmp_path_factory.mktemp("named"), spec, "single_table_index_name")


@pytest.fixture
def named(client: Any, named_module: ModuleType) -> Iterator[Any]:
    table = named_module.SingleTableIndexNameTable(client, table_name=unique_name("stin"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


def test_index_name_is_the_index_dynamodb_creates_and_queries(
    named: Any, named_module: ModuleType
) -> None:
    """DynamoDB refuses a Query naming an index the table lacks, so these reads prove the name."""
    described = named.client.describe_table(TableName=named.table_name)["Table"]
    assert [i["IndexName"] for i in described["GlobalSecondaryIndexes"]] == ["GSI-1.Overloaded"]
    member = named_module.Member
    named.members.create(member(team="red", member_id="m1", email="ann@example.com"))
    named.members.create(member(team="red", member_id="m2", email="bob@example.com"))
    found = list(named.members.query_by_email("ann@example.com"))
    assert [(m.team, m.member_id) for m in found] == [("red", "m1")]
    page = named.members.query_by_email_page("bob@example.com", page_size=1)
    assert [m.member_id for m in page.items] == ["m2"]
    assert named.members.count_by_email("nobody@example.com") == 0
