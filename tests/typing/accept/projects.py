"""Reads of a templated table's keys_only and INCLUDE indexes: each returns its projection class,
whose template attributes and projected attributes have their own types; filters use the
references of what the index stores."""

from __future__ import annotations

import datetime

from dynagen import runtime as rt
from dynagen.runtime import Sort
from generated_example.projects import (
    ProjectByStateItem,
    ProjectsTable,
    State,
    TaskByOwnerItem,
    TaskByOwnerItemAttrs,
    TaskByOwnerSort,
)


def keys_only(projects: ProjectsTable) -> list[datetime.date]:
    found: list[ProjectByStateItem] = list(projects.projects.query_by_state(State.OPEN, limit=5))
    page: rt.Page[ProjectByStateItem] = projects.projects.query_by_state_page(State.CLOSED)
    state: State = found[0].state
    print(state, page.cursor, projects.projects.count_by_state(State.OPEN))
    return [p.opened_on for p in found]


def include(projects: ProjectsTable, now: datetime.datetime) -> int:
    tasks = projects.tasks.query_by_owner(
        "ann",
        sort=TaskByOwnerSort.due(Sort.ge(now)),
        filter=(TaskByOwnerItemAttrs.qty > 1) & TaskByOwnerItemAttrs.note.exists(),
    )
    first: TaskByOwnerItem = next(tasks)
    note: str | None = first.note
    print(note, first.due.isoformat(), first.owner)
    by_due = next(projects.tasks.query_by_due("p1", consistent_read=True))
    done = next(projects.tasks.query_by_done("p1"))
    due: datetime.datetime = done.done_at  # in the index, never None
    print(by_due.qty, due)
    return first.qty + first.task_no
