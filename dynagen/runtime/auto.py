"""Automatic attributes, applied to the wire item: versions, created_at and updated_at.

Like the Java Enhanced Client's versioned-record extension, this is one piece that works on the
item as it goes to DynamoDB: generated code marshals the object as it is, and the runtime stamps
the timestamps, bumps the version and adds the version conditions, for every kind of write.

- create: version 1, created_at and updated_at now; the key must be free.
- put: the stored version must equal the item's (0: the item must not exist); it stores
  version + 1; created_at is kept when the object has one, else now; updated_at now.
- update: updated_at now, version + 1 (ADD), the version checked when `expected_version` is given.
- delete: the version checked when `expected_version` is given.
- batch put: as put, without the check (batch writes cannot carry conditions).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Literal

from dynagen.runtime.codec import datetime_text
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions import (
    Condition,
    Path,
    Update,
    attribute_not_exists,
    number_equals,
)
from dynagen.runtime.types import AttributeValue, Item

WriteMode = Literal["create", "put"]


@dataclass(frozen=True)
class Automatic:
    """The stored names of one entity's automatic attributes (None: the entity has none)."""

    version: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name in (self.version, self.created_at, self.updated_at) if name)

    def stamp(self, item: Item, mode: WriteMode, now: datetime.datetime) -> tuple[Item, int | None]:
        """The item as a create or put stores it, and the version the stored item must have.

        The expected version is None for a create (the key must be free) and for an entity
        without a version attribute.
        """
        out = dict(item)
        stamp: AttributeValue = {"S": datetime_text(now, "now")}
        expected: int | None = None
        if self.version is not None:
            if mode == "put":
                expected = stored_version(item, self.version)
            out[self.version] = {"N": str(expected + 1 if expected is not None else 1)}
        if self.created_at is not None and (mode == "create" or self.created_at not in out):
            out[self.created_at] = stamp
        if self.updated_at is not None:
            out[self.updated_at] = stamp
        return out, expected

    def write_condition(
        self, mode: WriteMode, expected: int | None, partition: str
    ) -> Condition[Any] | None:
        """A create needs the key free; a versioned put needs the stored version to match."""
        if mode == "create" or expected == 0:
            return attribute_not_exists(partition)
        if expected is not None and self.version is not None:
            return number_equals(self.version, expected)
        return None

    def on_update(self, update: Update, now: datetime.datetime) -> None:
        """What every update does besides the caller's changes."""
        if self.updated_at is not None:
            update.set(Path(self.updated_at), {"S": datetime_text(now, self.updated_at)})
        if self.version is not None:
            update.add(Path(self.version), {"N": "1"})

    def version_check(self, expected: int | None, entity: str) -> Condition[Any] | None:
        """The condition for `expected_version=` on update and delete."""
        if expected is None:
            return None
        if self.version is None:
            raise ValidationError(
                f"{entity} has no version attribute: expected_version does not apply"
            )
        if isinstance(expected, bool) or not isinstance(expected, int) or expected < 1:
            raise ValidationError(
                "expected_version must be an int of at least 1 (0 means never written)"
            )
        return number_equals(self.version, expected)


def stored_version(raw: Item | None, version_name: str) -> int | None:
    """The version of a stored item: None if there is no item, 0 if it never had one."""
    if raw is None:
        return None
    value = raw.get(version_name)
    if value is None or "N" not in value:
        return 0
    return int(value["N"])
