"""The intermediate model: what a valid spec means, as frozen data the code generator reads.

Nothing here parses or checks; `dynagen.spec.check` builds these only from specs that passed.
The facts about each spec type live in `dynagen.spec.kinds`; a TypeRef carries its `Kind`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dynagen.spec.kinds import SET, DatetimeFormat, Kind


@dataclass(frozen=True)
class TypeRef:
    """A spec type: a kind, with the element of a container or the name of a record or enum."""

    kind: Kind
    element: TypeRef | None = None  # for list, map and set
    name: str | None = None  # for record and enum
    format: DatetimeFormat | None = None  # for a datetime stored in another tool's form

    def __str__(self) -> str:
        """The type as a spec writes it: `list<map<int>>`, `Address`, `ttl`."""
        if self.kind.container:
            return f"{self.kind}<{self.element}>"
        if self.kind.named:
            return str(self.name)
        return self.kind.name

    @property
    def is_set(self) -> bool:
        return self.kind is SET

    @property
    def wire_key_type(self) -> Literal["S", "N", "B"]:
        """The key attribute type (AttributeDefinitions); only key kinds have one."""
        if self.kind.wire_key_type is None:
            raise ValueError(f"a {self} attribute cannot be a key")
        return self.format.wire if self.format is not None else self.kind.wire_key_type


@dataclass(frozen=True)
class Default:
    """A validated default, as the Python value the attribute's kind checked it into.

    `value` is None for `default: null` on an optional attribute. Otherwise, by kind: str for
    string, int for int, float for float, bool for bool, decimal.Decimal for decimal (with the
    digits as written: `1.50` keeps its zero), datetime.date for date, uuid.UUID for uuid, the
    value's text (str) for an enum, an empty list / dict / set for list / map / set, and the
    JSON value itself (str, int, float, bool, list or dict) for json.
    """

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
    def kind(self) -> Kind:
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
class TemplatePart:
    """One `{attribute}` or `{attribute:08}` part of a key template."""

    attribute: str  # the entity attribute's Python name
    width: int | None = None  # int parts: the fixed width (zero-padded); None for other kinds


@dataclass(frozen=True)
class Template:
    """A key template: literal text and typed parts, in order (`CUSTOMER#{customer_id}`)."""

    text: str  # as written in the spec (for messages and docs)
    pieces: tuple[str | TemplatePart, ...]  # literals unescaped; no two literals adjacent

    @property
    def parts(self) -> tuple[TemplatePart, ...]:
        """The typed parts in order."""
        return tuple(piece for piece in self.pieces if isinstance(piece, TemplatePart))

    @property
    def attributes(self) -> tuple[str, ...]:
        """The parts' attribute names in order."""
        return tuple(part.attribute for part in self.parts)

    @property
    def prefix(self) -> str:
        """The literal text before the first part (all of it if there is no part)."""
        text = ""
        for piece in self.pieces:
            if isinstance(piece, TemplatePart):
                break
            text += piece
        return text


@dataclass(frozen=True)
class EntityKeys:
    """How one entity fills the table's physical key attributes."""

    partition: Template
    sort: Template | None  # None only when the table has no sort key


@dataclass(frozen=True)
class EntityIndex:
    """One entity's use of an overloaded (or local) physical index."""

    name: str  # the entity's name for it, a Python identifier: methods query_<name> etc.
    index: str  # the physical `Index.name` it fills (table level)
    partition: Template  # for a local index: the table's partition template, repeated
    sort: Template | None


@dataclass(frozen=True)
class CollectionMember:
    entity: str  # the Entity.name
    many: bool  # `many` (list of items) or `one` (at most one item)


@dataclass(frozen=True)
class Collection:
    name: str  # a Python identifier: query_<name>, get_<name>
    index: str | None  # None: the table's own key; else a physical Index.name
    partition: Template  # over attributes every member has, same types
    members: tuple[CollectionMember, ...]


@dataclass(frozen=True)
class Entity:
    name: str
    attributes: tuple[Attribute, ...]
    description: str | None = None
    keys: EntityKeys | None = None  # single-table design: templates for the physical key
    indexes: tuple[EntityIndex, ...] = ()  # single-table design: its use of physical indexes

    def attribute(self, name: str) -> Attribute:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        raise KeyError(name)

    def of_kind(self, kind: Kind) -> Attribute | None:
        """The entity's attribute of a kind it has at most one of (version, ttl, ...), if any."""
        for attribute in self.attributes:
            if attribute.kind is kind:
                return attribute
        return None


@dataclass(frozen=True)
class Index:
    name: str
    is_local: bool  # the table's partition key, another sort key, strongly consistent reads
    partition: str  # attribute name (a local index repeats the table's partition key)
    sort: str | None
    projection: Literal["all", "keys_only"] | tuple[str, ...]
    index_name: str | None = None  # the DynamoDB index name, when it is not the method name

    @property
    def physical_name(self) -> str:
        """The IndexName DynamoDB knows it by (`PostedBy-Message-Index`); `name` names methods."""
        return self.index_name or self.name

    @property
    def is_global(self) -> bool:
        """A global index: keys of its own, eventually consistent, provisioned like the table."""
        return not self.is_local

    @property
    def kind(self) -> Literal["global", "local"]:
        """The spec's spelling, for messages and docstrings."""
        return "local" if self.is_local else "global"


@dataclass(frozen=True)
class Billing:
    mode: Literal["on_demand", "provisioned"] = "on_demand"
    read: int = 0
    write: int = 0


@dataclass(frozen=True)
class Ignore:
    """One `ignore:` entry: a vet rule or diff category left out, where, and why."""

    rule: str  # a name of dynagen.spec.rules.RULES
    reason: str
    entity: str | None = None  # each of these narrows the ignore to findings about that thing
    attribute: str | None = None
    index: str | None = None
    type: str | None = None


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
    # Operational settings; None means the spec leaves the live table's setting as it is.
    deletion_protection: bool | None = None
    point_in_time_recovery: bool | None = None
    tags: tuple[tuple[str, str], ...] | None = None  # (key, value), sorted by key
    ignores: tuple[Ignore, ...] = ()
    entity_attribute: str | None = None  # the stored entity-name attribute (templated tables)
    collections: tuple[Collection, ...] = ()

    @property
    def is_single_table(self) -> bool:
        """A templated table: its entities fill physical key attributes from `keys:`."""
        return any(entity.keys is not None for entity in self.entities)

    @property
    def entity(self) -> Entity:
        """The table's one entity (single-entity tables are the ones this version generates)."""
        return self.entities[0]
