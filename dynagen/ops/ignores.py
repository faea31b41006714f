"""Which of a spec's `ignore:` entries covers a finding of `dynagen vet` or `dynagen diff`.

A finding is named by its rule (a vet rule or a diff category) and placed by a path into the spec
(`("indexes", "by_status")`, `("entities", "Order", "attributes", "note")`); an entry covers it
when the rule is the same and every scope it gives (entity, attribute, index, type) is on that path.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from dynagen.spec.model import Ignore


def covering(ignores: Iterable[Ignore], rule: str, where: Sequence[str]) -> Ignore | None:
    """The first entry that covers a finding of `rule` at `where`, or None."""
    for entry in ignores:
        if entry.rule == rule and _within(entry, tuple(where)):
            return entry
    return None


def _within(entry: Ignore, where: tuple[str, ...]) -> bool:
    head = where[:2]
    if entry.entity is not None and head != ("entities", entry.entity):
        return False
    if entry.attribute is not None and not (
        len(where) >= 4 and where[0] == "entities" and where[2:4] == ("attributes", entry.attribute)
    ):
        return False
    if entry.index is not None and head != ("indexes", entry.index):
        return False
    if entry.type is not None and head != ("types", entry.type):
        return False
    return True
