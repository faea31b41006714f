"""A templated table's keys_only and INCLUDE index reads carry only what the index projects:
reading anything else, filtering on it or with the entity's references, and changing a result
are type errors."""

from __future__ import annotations

from generated_example.projects import (
    ProjectsTable,
    State,
    TaskAttrs,
    TaskByOwnerItemAttrs,
)


def not_projected(projects: ProjectsTable) -> None:
    project = next(projects.projects.query_by_state(State.OPEN))
    print(project.title)  # E: "ProjectByStateItem" has no attribute "title"
    titled = next(projects.projects.query_by_title())
    print(titled.state)  # E: "ProjectByTitleItem" has no attribute "state"
    task = next(projects.tasks.query_by_owner("ann"))
    print(task.done_at)  # E: "TaskByOwnerItem" has no attribute "done_at"
    by_due = next(projects.tasks.query_by_due("p1"))
    print(by_due.note)  # E: "TaskByDueItem" has no attribute "note"
    done = next(projects.tasks.query_by_done("p1"))
    print(done.qty)  # E: "TaskByDoneItem" has no attribute "qty"
    page = projects.tasks.query_by_owner_page("ann")
    print(page.items[0].done_at)  # E: has no attribute "done_at"


def filters(projects: ProjectsTable) -> None:
    projects.tasks.query_by_owner("ann", filter=TaskAttrs.qty > 1)  # E: Argument "filter"
    print(TaskByOwnerItemAttrs.done_at)  # E: has no attribute "done_at"
    print(TaskByOwnerItemAttrs.owner)  # E: has no attribute "owner"
    projects.tasks.query_by_state("open")  # E: has no attribute "query_by_state"
    projects.projects.query_by_state("open")  # E: incompatible type "str"; expected "State"


def frozen(projects: ProjectsTable) -> None:
    task = next(projects.tasks.query_by_owner("ann"))
    task.qty = 2  # E: is read-only
