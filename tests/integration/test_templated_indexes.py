"""A templated table's physical indexes beyond the plain case, on moto and DynamoDB Local: an
index whose DynamoDB name differs from its spec key (`index_name:`), and indexes that project
keys only or a few attributes (specs/projects.yaml), whose reads return projection classes with
the template attributes parsed back from the physical keys."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from dynagen import runtime as rt
from generated_example.projects import (
    Project,
    ProjectByStateItem,
    ProjectByTitleItem,
    ProjectsTable,
    State,
    Task,
    TaskByDoneItem,
    TaskByDueItem,
    TaskByOwnerItem,
    TaskByOwnerItemAttrs,
)
from tests.helpers import build_module, unique_name

UTC = datetime.timezone.utc
T0 = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

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


# ---------------------------------------------------------------- keys_only and INCLUDE


@pytest.fixture
def projects(client: Any) -> Iterator[ProjectsTable]:
    table = ProjectsTable(client, table_name=unique_name("projects"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


def task(no: int, **changes: Any) -> Task:
    values: dict[str, Any] = {
        "project_id": "p1",
        "task_no": no,
        "owner": "ann",
        "due": T0 + datetime.timedelta(days=no),
    }
    values.update(changes)
    return Task(**values)


def test_the_table_is_created_with_each_projection_under_stored_names(
    projects: ProjectsTable,
) -> None:
    described = projects.client.describe_table(TableName=projects.table_name)["Table"]
    found = {
        i["IndexName"]: i["Projection"]
        for i in described["GlobalSecondaryIndexes"] + described["LocalSecondaryIndexes"]
    }
    assert found["gsi1"] == {"ProjectionType": "KEYS_ONLY"}
    assert found["GSI2-Include"]["ProjectionType"] == "INCLUDE"
    assert sorted(found["GSI2-Include"]["NonKeyAttributes"]) == ["note text", "qty", "title"]
    assert found["lsi1"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["qty"]}


def test_keys_only_reads_parse_the_template_attributes_back_from_the_keys(
    projects: ProjectsTable,
) -> None:
    opened = datetime.date(2026, 2, 1)
    projects.projects.create(Project("p1", "Roof", State.OPEN, opened))
    projects.projects.create(Project("p2", "Cellar", State.OPEN, opened))
    projects.projects.create(Project("p3", "Attic", State.CLOSED, opened))
    found = list(projects.projects.query_by_state(State.OPEN))
    assert found == [
        ProjectByStateItem("p1", State.OPEN, opened),
        ProjectByStateItem("p2", State.OPEN, opened),
    ]
    assert all(type(p.state) is State and type(p.opened_on) is datetime.date for p in found)
    assert [f.name for f in dataclasses.fields(ProjectByStateItem)] == [
        "project_id",
        "state",
        "opened_on",
    ]
    page = projects.projects.query_by_state_page(State.OPEN, page_size=1)
    assert [p.project_id for p in page.items] == ["p1"] and page.cursor is not None
    rest = projects.projects.query_by_state_page(State.OPEN, page_size=1, cursor=page.cursor)
    assert [p.project_id for p in rest.items] == ["p2"]
    assert projects.projects.count_by_state(State.CLOSED) == 1


def test_include_reads_carry_the_projected_attributes_and_their_defaults(
    projects: ProjectsTable,
) -> None:
    projects.tasks.create(task(1, note="first", qty=3))
    projects.tasks.create(task(2))
    projects.tasks.create(task(3, owner="bob"))
    found = list(projects.tasks.query_by_owner("ann"))
    assert found == [
        TaskByOwnerItem("p1", 1, "ann", T0 + datetime.timedelta(days=1), note="first", qty=3),
        TaskByOwnerItem("p1", 2, "ann", T0 + datetime.timedelta(days=2), note=None, qty=1),
    ]
    assert found[0].due.tzinfo is not None
    heavy = list(projects.tasks.query_by_owner("ann", filter=TaskByOwnerItemAttrs.qty > 1))
    assert [t.task_no for t in heavy] == [1]
    # The local index projects qty only; the entity's other attributes stay in the table.
    assert list(projects.tasks.query_by_due("p1")) == [
        TaskByDueItem("p1", no, T0 + datetime.timedelta(days=no), qty=3 if no == 1 else 1)
        for no in (1, 2, 3)
    ]
    # The same INCLUDE index, read by another entity: only the projected attributes it has.
    projects.projects.create(Project("p9", "Barn", State.OPEN, datetime.date(2026, 1, 1)))
    assert list(projects.projects.query_by_title()) == [ProjectByTitleItem("p9", "Barn")]


def test_a_sparse_keys_only_index_holds_only_items_with_every_part(
    projects: ProjectsTable,
) -> None:
    projects.tasks.create(task(1))
    projects.tasks.create(task(2, done_at=T0))
    assert list(projects.tasks.query_by_done("p1")) == [TaskByDoneItem("p1", 2, T0)]
    projects.tasks.update("p1", 1, set={"done_at": T0 + datetime.timedelta(hours=1)})
    assert [t.task_no for t in projects.tasks.query_by_done("p1")] == [2, 1]


def test_an_index_item_whose_keys_fit_no_template_is_an_error_naming_the_key(
    projects: ProjectsTable,
) -> None:
    projects.client.put_item(
        TableName=projects.table_name,
        Item={
            "pk": {"S": "PROJECT#p1"},
            "sk": {"S": "TASK#0001"},
            "gsi2pk": {"S": "OWNER#ann"},
            "gsi2sk": {"S": "not-a-time#0001"},
            "_type": {"S": "Task"},
        },
    )
    with pytest.raises(rt.ItemDecodeError) as caught:
        list(projects.tasks.query_by_owner("ann"))
    assert caught.value.attribute == "gsi2sk" and "not-a-time#0001" in str(caught.value)
