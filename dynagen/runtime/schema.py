"""What the runtime knows of one generated entity: its key, its automatic attributes, its decoder.

Generated modules hold one `EntitySchema` per entity and pass it to every runtime call, so the
runtime needs no per-table object of its own. The schema also says what a failed condition means
for this entity (ItemAlreadyExists, ItemNotFound, VersionConflict or ConditionFailed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Literal, Mapping, TypeVar

from dynagen.runtime.auto import Automatic, stored_version
from dynagen.runtime.errors import (
    ConditionFailed,
    DynagenError,
    ItemAlreadyExists,
    ItemNotFound,
    VersionConflict,
)
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.expressions.projection import Selection, projection_paths
from dynagen.runtime.types import AttributeValue, Item
from dynagen.runtime.wire import describe_key

T_co = TypeVar("T_co", covariant=True)
WriteKind = Literal["create", "put", "update", "delete", "check"]


@dataclass(frozen=True)
class ErrorTypes:
    """The classes a failed condition raises for one entity: generated modules pass their
    entity's subclasses (`OrderVersionConflict`, ...), whose `item` is typed as the entity."""

    condition_failed: type[ConditionFailed] = ConditionFailed
    already_exists: type[ItemAlreadyExists] = ItemAlreadyExists
    not_found: type[ItemNotFound] = ItemNotFound
    version_conflict: type[VersionConflict] = VersionConflict


@dataclass(frozen=True)
class EntitySchema(Generic[T_co]):
    """One entity as the runtime sees it; T_co is its generated dataclass (read-only, so a
    schema of Order is a schema of object too: covariant)."""

    name: str
    key_names: tuple[str, ...]  # stored names: partition, then sort
    decode: Callable[[Mapping[str, AttributeValue]], T_co]
    stored: Mapping[str, str] = field(default_factory=dict)  # python name -> stored name
    auto: Automatic = Automatic()
    errors: ErrorTypes = ErrorTypes()
    derived: tuple[str, ...] = ()  # templated tables: index keys and template attributes

    @property
    def partition(self) -> str:
        return self.key_names[0]

    @property
    def managed(self) -> frozenset[str]:
        """Stored names an update action may not touch: the key, the automatic attributes, and
        (templated tables) what index keys are made of, which update keeps in sync itself."""
        return frozenset(self.key_names) | frozenset(self.auto.names) | frozenset(self.derived)

    def key_of(self, item: Mapping[str, AttributeValue]) -> Item:
        return {name: item[name] for name in self.key_names if name in item}

    def projection(self, attributes: Selection) -> list[Path]:
        """`attributes=[...]` (Python names and typed references) -> stored document paths;
        unknown names, other entities' paths and overlapping paths are refused."""
        return projection_paths(attributes, self.stored)

    def describe(self, key: Mapping[str, AttributeValue], table: str) -> str:
        return f"{self.name} {describe_key(key)} in table {table!r}"

    def decode_quietly(self, raw: Mapping[str, AttributeValue] | None) -> T_co | None:
        """The stored item for an error; one the spec cannot read stays raw only."""
        if raw is None:
            return None
        try:
            return self.decode(raw)
        except DynagenError:
            return None

    def condition_error(
        self,
        raw: Item | None,
        write: WriteKind,
        key: Mapping[str, AttributeValue],
        expected_version: int | None,
        table: str,
    ) -> ConditionFailed:
        """Say which condition failed, from the item DynamoDB returned with the failure."""
        old = self.decode_quietly(raw)
        where = self.describe(key, table)
        errors = self.errors
        if write == "create" and raw is not None:
            return errors.already_exists(f"{where} already exists", item=old, raw_item=raw)
        if write == "update" and raw is None:
            return errors.not_found(f"{where} does not exist", item=None, raw_item=None)
        version = self.auto.version
        if expected_version == 0 and raw is not None and version is not None and version not in raw:
            return errors.already_exists(
                f"{where} is stored without a version attribute (written by another tool?); "
                "a put of a never-written object (version 0) needs the key free",
                item=old,
                raw_item=raw,
            )
        if write != "check" and expected_version is not None and version is not None:
            actual = stored_version(raw, version)
            conflict = raw is not None if expected_version == 0 else actual != expected_version
            if conflict:
                stored = "no stored item" if raw is None else f"stored version is {actual}"
                return errors.version_conflict(
                    f"{where}: version conflict: expected version {expected_version}, {stored}",
                    expected=expected_version,
                    actual=actual,
                    item=old,
                    raw_item=raw,
                )
        return errors.condition_failed(
            f"{where}: the condition was not met", item=old, raw_item=raw
        )


def failed_item(error: Any) -> Item | None:
    """The stored item DynamoDB sends back with a condition failure (ALL_OLD)."""
    item: Item | None = error.response.get("Item")
    return item
