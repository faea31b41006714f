"""Every Python name the generator derives from spec names, in one place.

The view takes generated names from here, the module's `__all__` is built from here, and the
spec check refuses type names that would collide with any of them: one structure, three readers.
Each name of a structure is declared once, with its spelling: `attrs: str = _pattern("{E}Attrs")`
is a required field that the structure's maker (`entity_names`, ...) fills in with `_spell`.
This module imports nothing of dynagen, so the spec layer and the code generator can both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

TABLE_NAME_CONSTANT = "TABLE_NAME"
TABLE_DEFINITION_CONSTANT = "_TABLE_DEFINITION"
UNKNOWN_FIELD = "_unknown_attributes"
"""The dataclass field keeping stored attributes the spec does not name (spec names start with a
letter, so none can take it; dynagen.runtime.unknown.UNKNOWN_FIELD is the same)."""


def pascal(name: str) -> str:
    """`user_sessions` -> `UserSessions` (already-Pascal names are kept)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def snake(name: str) -> str:
    """`LineItem` -> `line_item`, `HTTPRequest` -> `http_request`."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


def constant(name: str) -> str:
    """`LineItem` -> `LINE_ITEM`: the stem of private module constants."""
    return snake(name).upper()


def table_class(module: str) -> str:
    """`user_sessions` -> `UserSessionsTable`."""
    return pascal(module) + "Table"


def selection_alias(owner: str) -> str:
    """`Order` -> `_OrderSelection`: the private alias of what one entry of `attributes=[...]`
    is for reads returning `owner` (short, so their signatures keep to one parameter a line)."""
    return f"_{owner}Selection"


@dataclass(frozen=True)
class CodecNames:
    """The names around one generated dataclass: its codec and its per-field decoder table."""

    cls: str
    marshal: str
    unmarshal: str
    fields_table: str


def codec_names(type_name: str, *, public: bool) -> CodecNames:
    """Entities get public `marshal_x`/`unmarshal_x`; records and result classes private ones."""
    prefix = "" if public else "_"
    stem = snake(type_name)
    return CodecNames(
        cls=type_name,
        marshal=f"{prefix}marshal_{stem}",
        unmarshal=f"{prefix}unmarshal_{stem}",
        fields_table=f"_{constant(type_name)}_FIELDS",
    )


def _pattern(pattern: str) -> Any:
    """A name field spelled by `pattern`, which `_spell` fills in: `{E}` is the entity's name as
    written, `{e}` its snake case, `{C}` its constant stem (and whatever else a maker passes).
    """
    return field(metadata={"pattern": pattern})


def _spell(cls: type[Any], **spellings: str) -> dict[str, str]:
    """Every pattern field of the dataclass `cls`, spelled."""
    return {
        f.name: f.metadata["pattern"].format(**spellings)
        for f in fields(cls)
        if "pattern" in f.metadata
    }


def record_partial(record: str) -> str:
    """The all-optional class a record reads as in a partial read (`attributes=[...]`)."""
    return f"{record}Partial"


def record_ref(record: str) -> str:
    """The reference class for a record's fields (`OrderAttrs.shipping.city`)."""
    return f"{record}Ref"


@dataclass(frozen=True)
class EntityNames:
    """Every name generated for one entity."""

    codec: CodecNames
    partial: CodecNames  # the class a partial read returns
    attrs: str = _pattern("{E}Attrs")  # typed references
    set: str = _pattern("{E}Set")  # update(set=...) TypedDict
    add: str = _pattern("{E}Add")
    delete: str = _pattern("{E}Delete")
    removable: str = _pattern("{E}Removable")  # Literal of removable attribute names
    field: str = _pattern("{E}Field")  # Literal of attribute names, for attributes=[...]
    key_function: str = _pattern("{e}_key")  # order_key(...) -> wire key
    changes: str = _pattern("_{e}_changes")  # turns update's arguments into an Update
    schema: str = _pattern("_{C}")  # the private runtime schema constant
    stored: str = _pattern("_{C}_STORED")  # python name -> stored name
    removable_map: str = _pattern("_{C}_REMOVABLE")  # removable python name -> stored name
    # the entity's ConditionFailed, ItemAlreadyExists, ItemNotFound, VersionConflict (`item` typed)
    condition_failed: str = _pattern("{E}ConditionFailed")
    already_exists: str = _pattern("{E}AlreadyExists")
    not_found: str = _pattern("{E}NotFound")
    version_conflict: str = _pattern("{E}VersionConflict")

    @property
    def cls(self) -> str:
        return self.codec.cls

    def projection(self, index: str) -> CodecNames:
        """The result class of a keys_only or INCLUDE index: `OrderByTotal`."""
        return codec_names(self.cls + pascal(index), public=False)

    def projection_attrs(self, index: str) -> str:
        """The typed references of a projecting index, for its filters: `EntryByKindAttrs`."""
        return self.cls + pascal(index) + "Attrs"

    def projection_field(self, index: str) -> str:
        """The Literal of what `attributes=[...]` may ask of a projecting global index."""
        return self.cls + pascal(index) + "Field"

    def functions(self) -> dict[str, str]:
        """Module-level functions that generated methods call: a parameter must not hide one."""
        return {
            self.codec.marshal: "the generated marshal function",
            self.codec.unmarshal: "the generated unmarshal function",
            self.key_function: "the generated key function",
        }

    def public_classes(self) -> dict[str, str]:
        """Generated names a spec type may not take, with what each one is."""
        what = f"a class generated for {self.cls}"
        return {
            name: what
            for name in (
                self.attrs,
                self.set,
                self.add,
                self.delete,
                self.removable,
                self.partial.cls,
                self.field,
                self.condition_failed,
                self.already_exists,
                self.not_found,
                self.version_conflict,
            )
        }


def entity_names(entity: str) -> EntityNames:
    return EntityNames(
        codec_names(entity, public=True),
        codec_names(f"{entity}Partial", public=False),
        **_spell(EntityNames, E=entity, e=snake(entity), C=constant(entity)),
    )


@dataclass(frozen=True)
class ReadNames:
    """The read methods of the table itself (index None) or of one index, and its source constant."""

    query: str = _pattern("query{s}")
    query_page: str = _pattern("query{s}_page")
    count: str = _pattern("count{s}")
    scan: str = _pattern("scan{s}")
    scan_page: str = _pattern("scan{s}_page")
    source: str = _pattern("_{C}_SOURCE")  # the private constant describing what is read


def read_names(index: str | None) -> ReadNames:
    """`query`, `query_page`, ... for the table; `query_by_status`, `query_by_status_page`, ... for an index."""
    if index is None:
        return ReadNames(**_spell(ReadNames, s="", C="TABLE"))
    return ReadNames(**_spell(ReadNames, s=f"_{index}", C=constant(index)))


@dataclass(frozen=True)
class CursorNames:
    """The cursor classes of one read family (the table's, or one index's): what its query pages
    and its scan pages hand back and take, each its own `str` subclass so mypy keeps them apart."""

    query: str
    scan: str


def cursor_names(owner: str, index: str | None) -> CursorNames:
    """`OrdersQueryCursor`, `OrdersByStatusScanCursor`; the owner is the table's Pascal name
    (`Orders`), or on a templated table the entity whose reads they are (`OrderByStatusQueryCursor`).
    """
    stem = owner + ("" if index is None else pascal(index))
    return CursorNames(query=f"{stem}QueryCursor", scan=f"{stem}ScanCursor")


def table_cursors(module: str, indexes: list[str]) -> list[tuple[str, str, tuple[str, str] | None]]:
    """(class, what it is, the spec entry it comes from) for every cursor class of a one-entity
    table's module: the query and scan pages of the table and of each index."""
    out: list[tuple[str, str, tuple[str, str] | None]] = []
    for index in [None, *indexes]:
        names = cursor_names(pascal(module), index)
        where = "the table" if index is None else f"index {index!r}"
        origin = None if index is None else ("indexes", index)
        out.append((names.query, f"the cursor of query pages of {where}", origin))
        out.append((names.scan, f"the cursor of scan pages of {where}", origin))
    return out


def templated_cursors(
    module: str, entities: list[tuple[str, list[str]]], collections: list[str]
) -> list[tuple[str, str, tuple[str, str] | None]]:
    """The same for a templated table's module: the table's scan, each entity's query of the
    table and of each of its indexes, each collection's query."""
    out: list[tuple[str, str, tuple[str, str] | None]] = [
        (cursor_names(pascal(module), None).scan, "the cursor of the table's scan pages", None)
    ]
    for entity, indexes in entities:
        for index in [None, *indexes]:
            where = entity if index is None else f"{entity}.{index}"
            query = cursor_names(entity, index).query
            out.append((query, f"the cursor of {where} query pages", ("entities", entity)))
    for collection in collections:
        cursor = collection_names(collection).cursor
        out.append((cursor, f"the cursor of {collection!r} pages", ("collections", collection)))
    return out


def reserved_type_names(
    module: str, entities: list[str], records: list[str], indexes: list[str]
) -> dict[str, str]:
    """Every class or constant name the generated module defines itself, with what it is.

    The spec check refuses a user type that takes one of these.
    """
    reserved = {
        table_class(module): "the table class",
        TABLE_NAME_CONSTANT: "a constant",
    }
    for entity in entities:
        names = entity_names(entity)
        reserved.update(names.public_classes())
        for index in indexes:
            reserved[names.projection(index).cls] = f"the projection class of index {index!r}"
            reserved[names.projection_field(index)] = f"the attribute names of index {index!r}"
            reserved[names.projection_attrs(index)] = f"the references of index {index!r}"
    for record in records:
        reserved[record_ref(record)] = f"the reference class of record {record!r}"
        reserved[record_partial(record)] = f"the partial class of record {record!r}"
    return reserved


# ---------------------------------------------------------------- single-table design


def plural(name: str) -> str:
    """`order_line` -> `order_lines`, `address` -> `addresses`, `category` -> `categories`."""
    if name.endswith(("s", "x", "z", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in ("a", "e", "i", "o", "u"):
        return name[:-1] + "ies"
    return name + "s"


@dataclass(frozen=True)
class TemplateNames:
    """The names generated for one entity of a templated (single-table) table."""

    attribute_codec: CodecNames  # marshal/unmarshal of the attributes alone (no keys)
    accessor: str = _pattern("{es}")  # the table's attribute: `shop.orders`
    accessor_class: str = _pattern("{E}Accessor")  # its class: `OrderAccessor`
    attribute_changes: str = _pattern("_{e}_attribute_changes")  # update of the attributes alone
    entity_key: str = _pattern("_{C}_KEY")  # the runtime EntityKey constant
    sort: str = _pattern("{E}Sort")  # the typed sort conditions of the table's sort template

    def template(self, entity: str, index: str | None, role: str) -> str:
        """The KeyTemplate constant of one template: `_ORDER_PK`, `_ORDER_BY_STATUS_SK`."""
        middle = "" if index is None else f"_{constant(index)}"
        return f"_{constant(entity)}{middle}_{role.upper()}"

    def index_sort(self, entity: str, index: str) -> str:
        """The typed sort conditions of one index's sort template: `OrderByStatusSort`."""
        return f"{entity}{pascal(index)}Sort"

    def group(self, entity: str, group: str) -> str:
        """The TypedDict of index-template attributes that update takes together: `OrderShipments`."""
        return f"{entity}{pascal(group)}"

    def projection(self, entity: str, index: str) -> CodecNames:
        """The result class of an entity's read of a keys_only or INCLUDE index: `OrderByStatusItem`
        (`OrderByStatus` may be its update group)."""
        return codec_names(f"{entity}{pascal(index)}Item", public=False)

    def projection_keys(self, entity: str, index: str) -> str:
        """The runtime ProjectedKeys constant of that read: `_ORDER_BY_STATUS_KEYS`."""
        return f"_{constant(entity)}_{constant(index)}_KEYS"

    def projection_attrs(self, entity: str, index: str) -> str:
        """The typed references of what that index carries, for its filters: `OrderByStatusItemAttrs`."""
        return f"{entity}{pascal(index)}ItemAttrs"


def template_names(entity: str) -> TemplateNames:
    stem = snake(entity)
    attribute_codec = CodecNames(
        cls=entity,
        marshal=f"_marshal_{stem}_attributes",
        unmarshal=f"_unmarshal_{stem}_attributes",
        fields_table=codec_names(entity, public=True).fields_table,
    )
    spellings = _spell(TemplateNames, E=entity, e=stem, es=plural(stem), C=constant(entity))
    return TemplateNames(attribute_codec, **spellings)


@dataclass(frozen=True)
class CollectionNames:
    """`query_customer_with_orders`, `get_customer_with_orders`, the result class `CustomerWithOrders`."""

    query: str  # named as an index's query methods are: `query_<name>`, `query_<name>_page`
    query_page: str
    get: str = _pattern("get_{c}")
    result: str = _pattern("{C}")
    decode: str = _pattern("_decode_{c}")  # the private decoder of its items (its members only)
    cursor: str = _pattern("{C}Cursor")  # the cursor class of its pages: `CustomerWithOrdersCursor`


def collection_names(collection: str) -> CollectionNames:
    reads = read_names(collection)
    spellings = _spell(CollectionNames, c=collection, C=pascal(collection))
    return CollectionNames(reads.query, reads.query_page, **spellings)


ITEM_UNION = "Item"
"""The module's union of its entities (`Customer | Order | OrderLine`), for mixed reads."""
DECODE_FUNCTION = "decode_item"
"""The module-level decoder of any item of a templated table."""
ITEM_SCHEMA = "_ITEM"
"""The runtime schema of any item of a templated table (mixed reads: scan, collections, batch_get)."""


def reserved_templated_names(
    entities: list[tuple[str, list[str]]], collections: list[str]
) -> dict[str, str]:
    """The class names a templated table's module adds, with what each is: per entity (name and
    its index names) the accessor and its typed sort classes and update groups, the item union,
    each collection's result class. The spec check refuses a user type that takes one.
    """
    reserved = {ITEM_UNION: "the union of the table's entities"}
    for entity, indexes in entities:
        names = template_names(entity)
        reserved[names.accessor_class] = f"the accessor class of entity {entity!r}"
        reserved[names.sort] = f"the sort conditions of entity {entity!r}"
        for index in indexes:
            reserved[names.index_sort(entity, index)] = f"the sort conditions of {entity}.{index}"
            reserved[names.group(entity, index)] = f"the update group of {entity}.{index}"
            reserved[names.projection(entity, index).cls] = (
                f"the projection class of {entity}.{index}"
            )
            reserved[names.projection_attrs(entity, index)] = f"the references of {entity}.{index}"
    for collection in collections:
        reserved[collection_names(collection).result] = f"the result class of {collection!r}"
    return reserved
