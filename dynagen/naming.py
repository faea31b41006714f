"""Every Python name the generator derives from spec names, in one place.

The view takes generated names from here, the module's `__all__` is built from here, and the
spec check refuses type names that would collide with any of them: one structure, three readers.
This module imports nothing of dynagen, so the spec layer and the code generator can both use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    attrs: str  # typed references: OrderAttrs
    set: str  # update(set=...) TypedDict
    add: str
    delete: str
    removable: str  # Literal of removable attribute names
    field: str  # Literal of attribute names, for attributes=[...]
    partial: CodecNames  # the class a partial read returns
    key_function: str  # order_key(...) -> wire key
    changes: str  # the private function that turns update's arguments into an Update
    schema: str  # the private runtime schema constant
    stored: str  # python name -> stored name
    removable_map: str  # removable python name -> stored name
    condition_failed: str  # the entity's ConditionFailed, `item` typed: OrderConditionFailed
    already_exists: str  # and its ItemAlreadyExists, ItemNotFound, VersionConflict
    not_found: str
    version_conflict: str

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
    stem = constant(entity)
    return EntityNames(
        codec=codec_names(entity, public=True),
        attrs=f"{entity}Attrs",
        set=f"{entity}Set",
        add=f"{entity}Add",
        delete=f"{entity}Delete",
        removable=f"{entity}Removable",
        field=f"{entity}Field",
        partial=codec_names(f"{entity}Partial", public=False),
        key_function=f"{snake(entity)}_key",
        changes=f"_{snake(entity)}_changes",
        schema=f"_{stem}",
        stored=f"_{stem}_STORED",
        removable_map=f"_{stem}_REMOVABLE",
        condition_failed=f"{entity}ConditionFailed",
        already_exists=f"{entity}AlreadyExists",
        not_found=f"{entity}NotFound",
        version_conflict=f"{entity}VersionConflict",
    )


@dataclass(frozen=True)
class ReadNames:
    """The read methods of the table itself (index None) or of one index, and its source constant."""

    query: str
    query_page: str
    count: str
    scan: str
    scan_page: str
    source: str  # the private constant describing what is read (table or index)


def read_names(index: str | None) -> ReadNames:
    """`query`, `query_page`, ... for the table; `query_by_status`, `query_by_status_page`, ... for an index."""
    suffix = "" if index is None else f"_{index}"
    source = "_TABLE_SOURCE" if index is None else f"_{constant(index)}_SOURCE"
    return ReadNames(
        f"query{suffix}", f"query{suffix}_page", f"count{suffix}", f"scan{suffix}",
        f"scan{suffix}_page", source,
    )  # fmt: skip


def reserved_type_names(
    module: str, entities: list[str], records: list[str], indexes: list[str]
) -> dict[str, str]:
    """Every class or constant name the generated module defines itself, with what it is.

    The spec check refuses a user type that takes one of these.
    """
    reserved = {table_class(module): "the table class", TABLE_NAME_CONSTANT: "a constant"}
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

    accessor: str  # the table's attribute: `shop.orders`
    accessor_class: str  # its class: `OrderAccessor`
    attribute_codec: CodecNames  # marshal/unmarshal of the attributes alone (no keys)
    attribute_changes: str  # the update function of the attributes alone
    entity_key: str  # the runtime EntityKey constant
    sort: str  # the typed sort conditions of the table's sort template: `OrderSort`

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
    return TemplateNames(
        accessor=plural(stem),
        accessor_class=f"{entity}Accessor",
        attribute_codec=CodecNames(
            cls=entity,
            marshal=f"_marshal_{stem}_attributes",
            unmarshal=f"_unmarshal_{stem}_attributes",
            fields_table=f"_{constant(entity)}_FIELDS",
        ),
        attribute_changes=f"_{stem}_attribute_changes",
        entity_key=f"_{constant(entity)}_KEY",
        sort=f"{entity}Sort",
    )


@dataclass(frozen=True)
class CollectionNames:
    """`query_customer_with_orders`, `get_customer_with_orders`, the result class `CustomerWithOrders`."""

    query: str
    query_page: str
    get: str
    result: str
    decode: str  # the private decoder of its items (its members only)


def collection_names(collection: str) -> CollectionNames:
    return CollectionNames(
        query=f"query_{collection}",
        query_page=f"query_{collection}_page",
        get=f"get_{collection}",
        result=pascal(collection),
        decode=f"_decode_{collection}",
    )


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
    each collection's result class. The spec check refuses a user type that takes one."""
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
