"""The model seen from the templates: plain values with every decision already made.

Templates only lay these out; anything that needs an `if` about types lives here or in kinds.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from dynagen import naming
from dynagen.codegen.kinds import REF_MEMBERS, codegen_for
from dynagen.spec import kinds
from dynagen.spec.model import Attribute, Entity, EnumType, Index, Record, Table


@dataclass(frozen=True)
class FieldView:
    name: str
    stored_as: str
    annotation: str
    default: str | None  # text after `=`; None means required
    description: str | None
    encode: str  # AttributeValue expression from `item.<name>`
    decode: str  # Python expression from `raw[<stored_as>]`
    presence: str  # "always", "optional" (skip None), "set" (skip empty)
    missing: str | None  # what a missing attribute reads back as (None: an error)
    ref_annotation: str  # the type of its typed reference (OrderAttrs.<name>)
    ref_expr: str  # the reference, rooted at the top-level attribute
    ref_property: str  # the property name inside a record's reference class
    ref_child_expr: str  # the reference as a field of a record reference (`self.path.child(...)`)


@dataclass(frozen=True)
class TypedDictField:
    """One key of a generated update TypedDict, and the lines that apply it to the Update `u`."""

    name: str
    annotation: str
    lines: list[str]  # run under `if "<name>" in <dict>:`


@dataclass(frozen=True)
class KeyPartView:
    """One key attribute of the table or an index, as a method parameter."""

    name: str
    stored_as: str
    annotation: str
    encode_param: str  # AttributeValue expression of the parameter named `name`
    encode_value: str  # the same for a variable `v` (for sort conditions)


@dataclass(frozen=True)
class ProjectionView:
    """A read-only result class: an index's projection, or a partial item (attributes=...)."""

    name: str
    description: str
    fields: list[FieldView]
    unmarshal: str
    fields_table: str


@dataclass(frozen=True)
class IndexView:
    name: str
    kind: str
    partition: KeyPartView
    sort: KeyPartView | None
    result: str  # the class its queries return
    unmarshal: str
    consistent_read: bool  # DynamoDB allows it on local indexes only
    key_names: tuple[str, ...]  # LastEvaluatedKey attributes: table key + index key (stored names)


@dataclass(frozen=True)
class EntityView:
    name: str
    description: str
    fields: list[FieldView]  # required first, then those with defaults
    marshal: str
    unmarshal: str
    fields_table: str
    key_function: str
    key_params: list[tuple[str, str, str]]  # (name, annotation, encode expression)
    key_signature: str  # "customer_id: str, order_id: str"
    key_arguments: str  # "customer_id, order_id"
    key_names: tuple[str, ...]  # stored names of the key attributes
    version: FieldView | None
    created_at: FieldView | None
    updated_at: FieldView | None
    set_fields: list[TypedDictField]
    add_fields: list[TypedDictField]
    delete_fields: list[TypedDictField]
    removable: list[tuple[str, str]]  # (python name, stored name) of attributes `remove=` takes
    partition: KeyPartView
    sort: KeyPartView | None
    key_tuple: str  # annotation of one key in batch_get/batch_delete: `str` or `tuple[str, str]`
    key_from_tuple: str  # wire key from a variable `k` of that type
    partial: ProjectionView
    field_names: list[tuple[str, str]]  # (python name, stored name) of every attribute
    managed: tuple[str, ...]  # stored names of key and automatic attributes


@dataclass(frozen=True)
class RecordView:
    """A record type: its dataclass, codec, and reference class (`<Name>Ref`) for nested conditions."""

    name: str
    description: str
    fields: list[FieldView]
    marshal: str
    unmarshal: str
    fields_table: str


@dataclass(frozen=True)
class EnumView:
    name: str
    description: str
    members: list[tuple[str, str]]


@dataclass(frozen=True)
class ModuleView:
    version: str
    source: str
    module: str
    docstring: str
    table_class: str
    physical_name: str
    enums: list[EnumView]
    records: list[RecordView]
    entity: EntityView
    projections: list[ProjectionView]
    indexes: list[IndexView]
    table_definition: str
    ttl_attribute: str | None
    exports: list[str]


def module_view(table: Table, *, dynagen_version: str) -> ModuleView:
    entity = _entity_view(table, table.entity)
    projections, indexes = _index_views(table, entity)
    records = [_record_view(record, table.entity.name) for record in table.records]
    enums = [_enum_view(enum) for enum in table.enums]
    ttl = table.entity.of_kind(kinds.TTL)
    table_class = naming.table_class(table.module)
    exports = (
        [e.name for e in enums]
        + [r.name for r in records]
        + [entity.name, f"{entity.name}Attrs", f"{entity.name}Set"]
        + ([f"{entity.name}Add"] if entity.add_fields else [])
        + ([f"{entity.name}Delete"] if entity.delete_fields else [])
        + ([f"{entity.name}Removable"] if entity.removable else [])
        + [entity.marshal, entity.unmarshal, entity.key_function, table_class, "TABLE_NAME"]
        + [f"{entity.name}Partial", f"{entity.name}Field"]
        + [p.name for p in projections]
    )
    return ModuleView(
        version=dynagen_version,
        source=table.source,
        module=table.module,
        docstring=table.description
        or f"Typed access to the DynamoDB table {table.physical_name!r}.",
        table_class=table_class,
        physical_name=table.physical_name,
        enums=enums,
        records=records,
        entity=entity,
        projections=projections,
        indexes=indexes,
        table_definition=_pretty(_table_definition(table)),
        ttl_attribute=ttl.stored_as if ttl else None,
        exports=sorted(exports),
    )


def _field_view(attribute: Attribute, owner: str, *, key: bool = False) -> FieldView:
    t = attribute.type
    expr = f"item.{attribute.name}"
    code = codegen_for(t)
    presence = code.presence(optional=attribute.optional)
    if presence == "set" and not attribute.optional:
        missing: str | None = "set()"
    elif presence != "always":
        missing = "None"
    else:
        missing = None
    raw = f"raw[{attribute.stored_as!r}]"
    child = f"self.path.child({attribute.stored_as!r})"
    return FieldView(
        name=attribute.name,
        stored_as=attribute.stored_as,
        annotation=code.field_annotation(optional=attribute.optional),
        default=code.default_code(optional=attribute.optional, default=attribute.default),
        description=attribute.description,
        encode=code.encode(expr, attribute.name, key=key),
        decode=code.decode(raw),
        presence=presence,
        missing=missing,
        ref_annotation=code.ref_annotation(owner),
        ref_expr=code.ref_expr(repr(attribute.stored_as), attribute.name, key=key),
        ref_property=(attribute.name + "_" if attribute.name in REF_MEMBERS else attribute.name),
        ref_child_expr=code.ref_expr(child, attribute.name),
    )


def _ordered(fields: list[FieldView]) -> list[FieldView]:
    """Required fields first (dataclasses need it), each group in spec order."""
    return [f for f in fields if f.default is None] + [f for f in fields if f.default is not None]


def _entity_view(table: Table, entity: Entity) -> EntityView:
    key_attrs = [table.partition] + ([table.sort] if table.sort else [])
    # Index key values are key values too: DynamoDB refuses empty strings and bytes there as well.
    index_keys = {name for index in table.indexes for name in (index.partition, index.sort) if name}
    checked = set(key_attrs) | index_keys
    fields = [_field_view(a, entity.name, key=a.name in checked) for a in entity.attributes]
    by_name = {f.name: f for f in fields}
    key_params = []
    for name in key_attrs:
        attribute = entity.attribute(name)
        key_params.append(
            (
                name,
                codegen_for(attribute.type).annotation(),
                codegen_for(attribute.type).encode(name, name, key=True),
            )
        )
    set_fields, add_fields, delete_fields, removable = [], [], [], []
    for attribute in entity.attributes:
        if attribute.name in key_attrs or attribute.kind.automatic:
            continue
        name, t = attribute.name, attribute.type
        path = f"_rt.Path({attribute.stored_as!r})"
        annotation = codegen_for(t).annotation()
        var = f"v_{name}"
        if attribute.optional or t.is_set:
            empty = f"not {var}" if t.is_set else f"{var} is None"
            lines = [
                f"{var} = set[{name!r}]",
                f"if {empty}:",
                f"    u.remove({path})",
                "else:",
                f"    u.set({path}, {codegen_for(t).encode(var, name, key=name in index_keys)})",
            ]
            set_fields.append(TypedDictField(name, f"{annotation} | None", lines))
            removable.append((name, attribute.stored_as))
        else:
            value = codegen_for(t).encode(f"set[{name!r}]", name, key=name in index_keys)
            lines = [f"u.set({path}, {value})"]
            set_fields.append(TypedDictField(name, annotation, lines))
        if t.kind.number:
            lines = [f"u.add({path}, {codegen_for(t).encode(f'add[{name!r}]', name)})"]
            add_fields.append(TypedDictField(name, annotation, lines))
        if t.is_set:
            added, removed = f"add_{name}", f"del_{name}"
            add_fields.append(
                TypedDictField(
                    name,
                    annotation,
                    [
                        f"{added} = add[{name!r}]",
                        f"if {added}:",
                        f"    u.add({path}, {codegen_for(t).encode(added, name)})",
                    ],
                )
            )
            delete_fields.append(
                TypedDictField(
                    name,
                    annotation,
                    [
                        f"{removed} = delete[{name!r}]",
                        f"if {removed}:",
                        f"    u.delete({path}, {codegen_for(t).encode(removed, name)})",
                    ],
                )
            )
    parts = [_key_part(entity.attribute(name)) for name in key_attrs]
    if len(parts) == 2:
        key_tuple = f"tuple[{parts[0].annotation}, {parts[1].annotation}]"
        key_from_tuple = f"{naming.entity_names(entity.name).key_function}(k[0], k[1])"
    else:
        key_tuple = parts[0].annotation
        key_from_tuple = f"{naming.entity_names(entity.name).key_function}(k)"
    partial = ProjectionView(
        name=f"{entity.name}Partial",
        description=(
            f"Some attributes of one {entity.name}, as read with `attributes=[...]`: "
            "every field is None unless it was asked for and is stored."
        ),
        fields=[_partial_field(_field_view(a, entity.name)) for a in entity.attributes],
        unmarshal=naming.entity_names(entity.name).partial.unmarshal,
        fields_table=naming.entity_names(entity.name).partial.fields_table,
    )
    auto = {
        kind.name: by_name[a.name]
        for kind in kinds.KINDS.values()
        if kind.automatic and (a := entity.of_kind(kind))
    }
    return EntityView(
        name=entity.name,
        description=entity.description
        or f"One {entity.name} item of the table {table.physical_name!r}.",
        fields=_ordered(fields),
        marshal=naming.entity_names(entity.name).codec.marshal,
        unmarshal=naming.entity_names(entity.name).codec.unmarshal,
        fields_table=naming.entity_names(entity.name).codec.fields_table,
        key_function=naming.entity_names(entity.name).key_function,
        key_params=key_params,
        key_signature=", ".join(f"{name}: {annotation}" for name, annotation, _ in key_params),
        key_arguments=", ".join(name for name, _, _ in key_params),
        key_names=tuple(entity.attribute(name).stored_as for name in key_attrs),
        version=auto.get("version"),
        created_at=auto.get("created_at"),
        updated_at=auto.get("updated_at"),
        set_fields=set_fields,
        add_fields=add_fields,
        delete_fields=delete_fields,
        removable=removable,
        partition=parts[0],
        sort=parts[1] if len(parts) == 2 else None,
        key_tuple=key_tuple,
        key_from_tuple=key_from_tuple,
        partial=partial,
        field_names=[(a.name, a.stored_as) for a in entity.attributes],
        managed=tuple(
            a.stored_as for a in entity.attributes if a.name in key_attrs or a.kind.automatic
        ),
    )


def _key_part(attribute: Attribute) -> KeyPartView:
    t = attribute.type
    return KeyPartView(
        name=attribute.name,
        stored_as=attribute.stored_as,
        annotation=codegen_for(t).annotation(),
        encode_param=codegen_for(t).encode(attribute.name, attribute.name, key=True),
        encode_value=codegen_for(t).encode("v", attribute.name, key=True),
    )


def _partial_field(field: FieldView) -> FieldView:
    """Every attribute optional: a partial read holds only what was asked for."""
    annotation = (
        field.annotation if field.annotation.endswith("| None") else f"{field.annotation} | None"
    )
    return dataclasses.replace(field, annotation=annotation, default="None", missing="None")


def _index_views(table: Table, entity: EntityView) -> tuple[list[ProjectionView], list[IndexView]]:
    model = table.entity
    table_keys = [table.partition] + ([table.sort] if table.sort else [])
    projections: list[ProjectionView] = []
    indexes: list[IndexView] = []
    for index in table.indexes:
        index_keys = [index.partition] + ([index.sort] if index.sort else [])
        # In an index, its key attributes are always present (sparse indexes leave out the rest).
        key_attributes = {
            name: dataclasses.replace(model.attribute(name), optional=False) for name in index_keys
        }
        result, unmarshal = entity.name, entity.unmarshal
        if index.projection != "all":
            carried = set(table_keys) | set(index_keys) | set(index.projection)
            fields = [
                _field_view(key_attributes.get(a.name, a), entity.name, key=a.name in table_keys)
                for a in model.attributes
                if a.name in carried
            ]
            result = f"{entity.name}{naming.pascal(index.name)}"
            what = (
                "its keys"
                if index.projection == "keys_only"
                else "its keys and " + ", ".join(index.projection)
            )
            projections.append(
                ProjectionView(
                    name=result,
                    description=f"{entity.name} items as the index {index.name!r} carries them: {what}.",
                    fields=_ordered(fields),
                    unmarshal=naming.codec_names(result, public=False).unmarshal,
                    fields_table=naming.codec_names(result, public=False).fields_table,
                )
            )
            unmarshal = naming.codec_names(result, public=False).unmarshal
        stored = [model.attribute(name).stored_as for name in table_keys + index_keys]
        indexes.append(
            IndexView(
                name=index.name,
                kind=index.kind,
                partition=_key_part(key_attributes[index.partition]),
                sort=_key_part(key_attributes[index.sort]) if index.sort else None,
                result=result,
                unmarshal=unmarshal,
                consistent_read=index.is_local,
                key_names=tuple(dict.fromkeys(stored)),
            )
        )
    return projections, indexes


def _record_view(record: Record, entity: str) -> RecordView:
    return RecordView(
        name=record.name,
        description=record.description or f"The record type {record.name} (stored as a map).",
        fields=_ordered([_field_view(a, entity) for a in record.fields]),
        marshal=naming.codec_names(record.name, public=False).marshal,
        unmarshal=naming.codec_names(record.name, public=False).unmarshal,
        fields_table=naming.codec_names(record.name, public=False).fields_table,
    )


def _enum_view(enum: EnumType) -> EnumView:
    return EnumView(
        name=enum.name,
        description=enum.description or f"The values of {enum.name}, stored as strings.",
        members=list(zip(enum.members, enum.values)),
    )


def _table_definition(table: Table) -> dict[str, Any]:
    """The CreateTable request (without TableName) that provisions this table from its spec."""
    entity = table.entity

    def stored(name: str) -> str:
        return entity.attribute(name).stored_as

    def key_schema(partition: str, sort: str | None) -> list[dict[str, str]]:
        schema = [{"AttributeName": stored(partition), "KeyType": "HASH"}]
        if sort:
            schema.append({"AttributeName": stored(sort), "KeyType": "RANGE"})
        return schema

    def projection(index: Index) -> dict[str, Any]:
        if index.projection == "all":
            return {"ProjectionType": "ALL"}
        if index.projection == "keys_only":
            return {"ProjectionType": "KEYS_ONLY"}
        return {
            "ProjectionType": "INCLUDE",
            "NonKeyAttributes": [stored(name) for name in index.projection],
        }

    provisioned = table.billing.mode == "provisioned"
    throughput = {
        "ReadCapacityUnits": table.billing.read,
        "WriteCapacityUnits": table.billing.write,
    }
    key_names: list[str] = []
    for name in [table.partition, table.sort] + [
        n for i in table.indexes for n in (i.partition, i.sort)
    ]:
        if name and name not in key_names:
            key_names.append(name)
    definition: dict[str, Any] = {
        "AttributeDefinitions": [
            {
                "AttributeName": stored(name),
                "AttributeType": entity.attribute(name).type.wire_key_type,
            }
            for name in key_names
        ],
        "KeySchema": key_schema(table.partition, table.sort),
    }
    if provisioned:
        definition["BillingMode"] = "PROVISIONED"
        definition["ProvisionedThroughput"] = throughput
    else:
        definition["BillingMode"] = "PAY_PER_REQUEST"
    gsis = []
    lsis = []
    for index in table.indexes:
        entry: dict[str, Any] = {
            "IndexName": index.name,
            "KeySchema": key_schema(index.partition, index.sort),
            "Projection": projection(index),
        }
        if index.is_global:
            if provisioned:
                entry["ProvisionedThroughput"] = throughput
            gsis.append(entry)
        else:
            lsis.append(entry)
    if gsis:
        definition["GlobalSecondaryIndexes"] = gsis
    if lsis:
        definition["LocalSecondaryIndexes"] = lsis
    if table.stream:
        definition["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": table.stream.upper(),
        }
    return definition


def _pretty(value: Any) -> str:
    """A Python literal for the definition; black lays it out."""
    return repr(value)
