"""The intermediate model: what a valid spec means, as frozen data the code generator reads.

Nothing here parses or checks; `validate.py` builds these only from specs that passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Types whose values can be DynamoDB key attributes (S, N or B on the wire).
KEY_KINDS = frozenset({"string", "int", "decimal", "bytes", "datetime", "date", "uuid", "enum"})
AUTO_KINDS = frozenset({"version", "created_at", "updated_at", "ttl"})
NUMBER_KINDS = frozenset({"int", "float", "decimal"})
SCALAR_KINDS = frozenset(
    {"string", "int", "float", "decimal", "bool", "bytes", "datetime", "date", "uuid", "json"}
)
SET_ELEMENT_KINDS = frozenset({"string", "int", "decimal", "bytes"})


@dataclass(frozen=True)
class TypeRef:
    """A spec type: a scalar kind, `list`/`map`/`set` of an element, a named record or enum, or an automatic kind."""

    kind: str
    element: TypeRef | None = None
    name: str | None = None  # for "record" and "enum"

    def __str__(self) -> str:
        if self.kind in ("list", "map", "set"):
            return f"{self.kind}<{self.element}>"
        if self.kind in ("record", "enum"):
            return str(self.name)
        return self.kind

    @property
    def is_set(self) -> bool:
        return self.kind == "set"

    @property
    def wire_key_type(self) -> Literal["S", "N", "B"]:
        """The key attribute type (AttributeDefinitions) for a key-able kind."""
        if self.kind in ("int", "decimal"):
            return "N"
        if self.kind == "bytes":
            return "B"
        return "S"


@dataclass(frozen=True)
class Default:
    """A validated default value; `value` is a plain Python value of the attribute's type."""

    value: object


@dataclass(frozen=True)
class Attribute:
    name: str  # the Python field name
    stored_as: str  # the attribute name in DynamoDB
    type: TypeRef
    optional: bool = False
    default: Default | None = None
    description: str | None = None

    @property
    def kind(self) -> str:
        return self.type.kind


@dataclass(frozen=True)
class Record:
    name: str
    fields: tuple[Attribute, ...]
    description: str | None = None


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    members: tuple[str, ...]  # Python member names, one per value
    description: str | None = None


@dataclass(frozen=True)
class Entity:
    name: str
    attributes: tuple[Attribute, ...]
    description: str | None = None

    def attribute(self, name: str) -> Attribute:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        raise KeyError(name)

    def of_kind(self, kind: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.kind == kind:
                return attribute
        return None


@dataclass(frozen=True)
class Index:
    name: str
    kind: Literal["global", "local"]
    partition: str  # attribute name (a local index repeats the table's partition key)
    sort: str | None
    projection: Literal["all", "keys_only"] | tuple[str, ...]


@dataclass(frozen=True)
class Billing:
    mode: Literal["on_demand", "provisioned"] = "on_demand"
    read: int = 0
    write: int = 0


@dataclass(frozen=True)
class Table:
    source: str  # the spec path as given, for the header of the generated file
    module: str  # the Python module name (the spec's `table`)
    physical_name: str  # the default DynamoDB table name
    partition: str  # attribute names of the key
    sort: str | None
    entities: tuple[Entity, ...]
    description: str | None = None
    billing: Billing = field(default_factory=Billing)
    stream: str | None = None
    records: tuple[Record, ...] = ()
    enums: tuple[EnumType, ...] = ()
    indexes: tuple[Index, ...] = ()

    @property
    def entity(self) -> Entity:
        """The table's one entity (single-entity tables are the ones this version generates)."""
        return self.entities[0]
