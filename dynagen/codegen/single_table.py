"""The view of a templated (single-table) table: several entities, key templates, collections.

Each entity keeps the section-2 codec of its attributes (view.py makes it); this module adds
what templates decide: the KeyTemplate constants, the key parameters (the templates'
attributes), the physical keys marshal writes (sparse ones only when every part is present),
the typed sort classes, the update groups that keep index keys in sync, and the collections.
Templates only lay these out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from dynagen import naming
from dynagen.codegen import view as base
from dynagen.codegen.kinds import codegen_for
from dynagen.spec import kinds
from dynagen.spec.model import Attribute, Entity, Index, Table, Template, TemplatePart

_PART_KINDS = {
    kinds.STRING: "string",
    kinds.INT: "int",
    kinds.DATETIME: "datetime",
    kinds.DATE: "date",
    kinds.UUID: "uuid",
    kinds.ENUM: "enum",
}
"""The runtime's name (KeyPart.kind) for each kind a template part may have."""


@dataclass(frozen=True)
class TemplateConst:
    """One KeyTemplate constant and how to fill it."""

    const: str
    text: str
    pieces: list[str]  # Python expressions: literals and `_rt.KeyPart(...)`
    attributes: list[str]  # its parts' attribute names, in order
    optional: list[str]  # those that may be None (sparse index)

    def call(self, values: dict[str, str]) -> str:
        """`_ORDER_PK.wire(customer_id)`: the wire key from expressions per attribute."""
        return f"{self.const}.wire({', '.join(values[a] for a in self.attributes)})"


@dataclass(frozen=True)
class SlotView:
    """One physical key attribute an entity fills (pk, sk, gsi1pk ...) from one template."""

    stored_as: str
    template: TemplateConst
    from_set: str | None  # the one non-key attribute that `set=` changes, or None
    group: str | None  # the update group whose dict changes it, or None
    fixed: bool  # only key attributes (or none): no update ever changes it
    write: str  # its value in marshal, from `item`
    present: str | None  # marshal writes it only when this holds (a sparse index), else always
    update_value: str | None  # its new value in the changes function, when update changes it
    key_value: str  # its value from parameters named as the attributes (the key function)


@dataclass(frozen=True)
class SortMethod:
    """One static method of a `...Sort` class: equality on `leading`, then a condition on `part`."""

    name: str
    leading: list[tuple[str, str]]  # (name, annotation)
    annotation: str  # the value type of the condition

    @property
    def doc(self) -> str:
        if not self.leading:
            return f"A condition on {self.name}."
        return f"{', '.join(n for n, _ in self.leading)} equal, then a condition on {self.name}."


@dataclass(frozen=True)
class SortClassView:
    name: str
    template: TemplateConst
    title: str
    methods: list[SortMethod]


@dataclass(frozen=True)
class GroupView:
    """Index-template attributes that update takes together, as one total TypedDict."""

    param: str
    cls: str
    fields: list[tuple[str, str, str]]  # (name, annotation, encoded value of `g[name]`)
    stored: list[tuple[str, str]]  # (name, stored name)


class PartitionParams:
    """A read whose partition value comes from a template's attributes, passed as parameters."""

    partition: TemplateConst
    params: list[tuple[str, str]]  # the partition template's attributes, as parameters

    @property
    def signature(self) -> str:
        return "".join(f"{name}: {annotation}, " for name, annotation in self.params)

    @property
    def partition_value(self) -> str:
        return (
            f"{self.partition.const}.encode({{{', '.join(f'{n!r}: {n}' for n, _ in self.params)}}})"
        )


@dataclass(frozen=True)
class EntityReadView(base.ReadKeywords, PartitionParams):
    """The read family of one entity over the table or one of its indexes."""

    names: naming.ReadNames
    source: str
    title: str
    partition: TemplateConst
    params: list[tuple[str, str]]  # the partition template's attributes, as parameters
    sort: TemplateConst | None
    sort_class: str | None
    consistent_read: bool
    result: str  # the entity, or the projection class of a keys_only or INCLUDE index
    unmarshal: str
    cursor: str  # the cursor class of its query pages: `OrderByStatusQueryCursor`

    @property
    def sort_arg(self) -> str:
        if self.sort is None:
            return "None"
        if self.sort_class is None:  # no parts: the whole sort key is the template's text
            return f"{self.sort.const}.condition()"
        return f"{self.sort.const}.sort_condition(sort)"

    @property
    def sort_param(self) -> str:
        if self.sort_class is None:
            return ""
        return f"sort: _rt.PartSort[{self.sort_class}] | None = None,"


@dataclass(frozen=True)
class ProjectionView:
    """What one entity's read of a keys_only or INCLUDE index returns: the template attributes,
    parsed back from the physical keys the index carries, and the projected attributes it has."""

    codec: base.ClassView  # the frozen dataclass (its fields: all, required first)
    keys_const: str  # the runtime ProjectedKeys constant
    keys: list[tuple[str, str]]  # (stored key name, KeyTemplate constant)
    reads: list[tuple[str, str]]  # (field name, expression), in field order
    decoded: list[
        base.FieldView
    ]  # the projected attributes, decoded from `raw` (the slow path too)
    attrs: str  # the typed references of what the index carries, for filters
    attrs_fields: list[base.FieldView]
    title: str
    projects: str


@dataclass(frozen=True)
class TemplatedEntityView:
    entity: base.EntityView  # names, codec (of its attributes), update types, docs
    public: naming.EntityNames  # marshal_order, unmarshal_order, order_key ...
    template_names: naming.TemplateNames
    templates: list[TemplateConst]
    slots: list[SlotView]
    key_slots: list[SlotView]  # the table's own key: pk (and sk)
    pk: TemplateConst
    sk: TemplateConst | None
    type_value: str
    sort_classes: list[SortClassView]
    groups: list[GroupView]
    reads: list[EntityReadView]
    removable_optional: list[tuple[str, str]]  # (optional index attribute, physical slot)
    derived: tuple[str, ...]  # stored names update actions may not touch
    type_param: str  # the entity attribute's stored name
    projections: list[ProjectionView]

    @property
    def name(self) -> str:
        return self.entity.name

    @property
    def update_params(self) -> list[base.Param]:
        groups = [base.Param(g.param, f"{g.cls} | None", "None") for g in self.groups]
        params = self.entity.change_params
        return params[:-1] + groups + params[-1:] + self.entity.guard_params

    @property
    def changes_args(self) -> str:
        names = [p.name for p in self.entity.change_params[:-1]]
        names += [g.param for g in self.groups] + ["actions"]
        return ", ".join(names)

    @property
    def attribute_change_args(self) -> str:
        return self.entity.change_args

    def slot_removals(self) -> list[tuple[str, list[str]]]:
        """(optional attribute, slots to REMOVE) when `remove=` or `set={attr: None}` drops it."""
        out: dict[str, list[str]] = {}
        for slot in self.slots:
            for name in slot.template.optional:
                out.setdefault(name, []).append(slot.stored_as)
        return list(out.items())


@dataclass(frozen=True)
class MemberView:
    field: str
    entity: str
    many: bool
    unmarshal: str

    @property
    def annotation(self) -> str:
        return f"list[{self.entity}]" if self.many else f"{self.entity} | None"

    @property
    def empty(self) -> str:
        """The member's value before the query finds any of its items."""
        return "[]" if self.many else "None"

    @property
    def collect(self) -> str:
        """The statement that takes one found item `_item` into the member."""
        return f"{self.field}.append(_item)" if self.many else f"{self.field} = _item"


@dataclass(frozen=True)
class CollectionView(PartitionParams):
    names: naming.CollectionNames
    name: str
    source: str  # the constant of the table or index the collection's query reads
    title: str
    partition: TemplateConst
    params: list[tuple[str, str]]
    members: list[MemberView]

    @property
    def union(self) -> str:
        return " | ".join(member.entity for member in self.members)


@dataclass(frozen=True)
class SourceView:
    const: str
    index: str | None
    partition: str
    sort: str | None
    key_names: tuple[str, ...]


@dataclass(frozen=True)
class TemplatedModuleView(base.TableModuleView):
    entities: list[TemplatedEntityView]
    collections: list[CollectionView]
    sources: list[SourceView]
    key_names: tuple[str, str | None, str]  # pk, sk, entity attribute
    exports: list[str]
    union: str
    cursors: list[base.CursorView]  # every cursor class: the table's scan, entities', collections'
    scan_cursor: str  # the cursor class of the table's scan pages
    item_union: str = naming.ITEM_UNION
    decode_function: str = naming.DECODE_FUNCTION
    item_schema: str = naming.ITEM_SCHEMA

    @property
    def is_single_table(self) -> bool:
        return True


def templated_module_view(
    table: Table, *, dynagen_version: str, api_version: int
) -> TemplatedModuleView:
    assert table.entity_attribute is not None
    indexes = {index.name: index for index in table.indexes}
    sources = [
        SourceView(
            naming.read_names(None).source,
            None,
            table.partition,
            table.sort,
            tuple(n for n in (table.partition, table.sort) if n),
        )
    ]
    for index in table.indexes:
        own = tuple(n for n in (index.partition, index.sort) if n)
        sources.append(
            SourceView(
                naming.read_names(index.name).source,
                index.physical_name,
                index.partition,
                index.sort,
                tuple(dict.fromkeys(sources[0].key_names + own)),
            )
        )
    # Keyed by the spec's index name; `SourceView.index` is the name DynamoDB knows it by.
    source_of: dict[str | None, SourceView] = dict(
        zip([None, *(index.name for index in table.indexes)], sources)
    )
    entities = [
        _entity(table, entity, indexes, source_of, table.entity_attribute)
        for entity in table.entities
    ]
    collections = [_collection(table, c, entities, source_of) for c in table.collections]
    head = base.table_module(table, dynagen_version=dynagen_version, api_version=api_version)
    enums, records, table_class = head.enums, head.records, head.table_class
    exports = [e.name for e in enums] + [r.codec.name for r in records]
    exports += [table_class, naming.TABLE_NAME_CONSTANT, naming.ITEM_UNION, naming.DECODE_FUNCTION]
    for view in entities:
        names = view.public
        exports += [names.cls, names.attrs, names.set, names.codec.marshal, names.codec.unmarshal]
        exports += [names.key_function, view.template_names.accessor_class]
        exports += [view.entity.names.add] if view.entity.group("add") else []
        exports += [view.entity.names.delete] if view.entity.group("delete") else []
        exports += [names.removable] if view.entity.removable else []
        exports += [c.name for c in view.sort_classes] + [g.cls for g in view.groups]
        exports += [x for p in view.projections for x in (p.codec.name, p.attrs)]
    exports += [c.names.result for c in collections]
    scan_cursor = naming.cursor_names(naming.pascal(table.module), None).scan
    cursors = [base.CursorView(scan_cursor, f"{table_class}.scan_page")]
    for view in entities:
        accessor = f"{table_class}.{view.template_names.accessor}"
        cursors += [
            base.CursorView(r.cursor, f"{accessor}.{r.names.query_page}") for r in view.reads
        ]
    cursors += [
        base.CursorView(c.names.cursor, f"{table_class}.{c.names.query_page}") for c in collections
    ]
    exports += [c.name for c in cursors]
    return TemplatedModuleView(
        **vars(head),
        entities=entities,
        collections=collections,
        sources=sources,
        key_names=(table.partition, table.sort, table.entity_attribute),
        exports=sorted(set(exports)),
        union=" | ".join(e.name for e in entities),
        cursors=cursors,
        scan_cursor=scan_cursor,
    )


def _template(entity: Entity, const: str, template: Template) -> TemplateConst:
    pieces: list[str] = []
    for piece in template.pieces:
        if isinstance(piece, str):
            pieces.append(repr(piece))
            continue
        attribute = entity.attribute(piece.attribute)
        pieces.append(_key_part(attribute, piece))
    return TemplateConst(
        const=const,
        text=template.text,
        pieces=pieces,
        attributes=list(template.attributes),
        optional=[a for a in template.attributes if entity.attribute(a).optional],
    )


def _key_part(attribute: Attribute, part: TemplatePart) -> str:
    kind = _PART_KINDS[attribute.kind]
    extra = ""
    if part.width is not None:
        extra = f", {part.width}"
    elif attribute.kind is kinds.ENUM:
        extra = f", choices={attribute.type.name}"
    return f"_rt.KeyPart({part.attribute!r}, {kind!r}{extra})"


def _annotation(entity: Entity, name: str) -> str:
    return codegen_for(entity.attribute(name).type).annotation()


def _params(entity: Entity, names: list[str]) -> list[tuple[str, str]]:
    return [(name, _annotation(entity, name)) for name in dict.fromkeys(names)]


def _sort_class(entity: Entity, name: str, template: TemplateConst, title: str) -> SortClassView:
    methods = []
    for i, attribute in enumerate(template.attributes):
        leading = _params(entity, template.attributes[:i])
        methods.append(SortMethod(attribute, leading, _annotation(entity, attribute)))
    return SortClassView(name, template, title, methods)


def _groups(
    entity: Entity,
    templates: list[tuple[str, TemplateConst]],
    key_attrs: set[str],
    index_of: dict[str, str],
) -> dict[str, str]:
    """attribute -> group name, for attributes of index templates that need others with them."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    grouped: set[str] = set()
    for stored, template in templates:
        free = [a for a in template.attributes if a not in key_attrs]
        if len(free) >= 2:
            for name in free:
                grouped.add(name)
                parent[find(name)] = find(free[0])
    by_root: dict[str, list[str]] = {}
    for name in sorted(grouped, key=lambda n: [a.name for a in entity.attributes].index(n)):
        by_root.setdefault(find(name), []).append(name)
    out: dict[str, str] = {}
    for members in by_root.values():
        label = "_and_".join(
            dict.fromkeys(index_of[s] for s, t in templates if set(t.attributes) & set(members))
        )
        for name in members:
            out[name] = label
    return out


def _entity(
    table: Table,
    entity: Entity,
    indexes: dict[str, Any],
    source_of: dict[str | None, SourceView],
    type_attribute: str,
) -> TemplatedEntityView:
    assert entity.keys is not None
    tnames = naming.template_names(entity.name)
    names = dataclasses.replace(
        naming.entity_names(entity.name), changes=f"_{naming.snake(entity.name)}_changes"
    )
    pk = _template(entity, tnames.template(entity.name, None, "pk"), entity.keys.partition)
    sk = (
        _template(entity, tnames.template(entity.name, None, "sk"), entity.keys.sort)
        if entity.keys.sort
        else None
    )
    key_attrs = list(dict.fromkeys(pk.attributes + (sk.attributes if sk else [])))
    slot_templates: list[tuple[str, TemplateConst]] = []
    index_of: dict[str, str] = {}
    reads: list[EntityReadView] = []
    sort_classes: list[SortClassView] = []
    if sk is not None and sk.attributes:
        sort_classes.append(_sort_class(entity, tnames.sort, sk, f"the sort key {sk.text!r}"))
    reads.append(
        EntityReadView(
            names=naming.read_names(None),
            source=source_of[None].const,
            title=f"the table {table.physical_name!r}",
            partition=pk,
            params=_params(entity, pk.attributes),
            sort=sk,
            sort_class=tnames.sort if sk is not None and sk.attributes else None,
            consistent_read=True,
            result=entity.name,
            unmarshal=names.codec.unmarshal,
            cursor=naming.cursor_names(entity.name, None).query,
        )
    )
    projections: list[ProjectionView] = []
    for use in entity.indexes:
        index = indexes[use.index]
        # A local index shares the table's partition key: its template is the table's.
        ipk = (
            pk
            if index.is_local
            else _template(entity, tnames.template(entity.name, use.name, "pk"), use.partition)
        )
        isk = (
            _template(entity, tnames.template(entity.name, use.name, "sk"), use.sort)
            if use.sort
            else None
        )
        if index.is_global:
            slot_templates.append((index.partition, ipk))
            index_of[index.partition] = use.name
        if isk is not None and index.sort:
            slot_templates.append((index.sort, isk))
            index_of[index.sort] = use.name
        sort_class = None
        if isk is not None and isk.attributes:
            sort_class = tnames.index_sort(entity.name, use.name)
            sort_classes.append(
                _sort_class(entity, sort_class, isk, f"the sort key {isk.text!r} of {use.name}")
            )
        title = f"the {index.kind} index {use.index!r} as {use.name}"
        result, unmarshal = entity.name, names.codec.unmarshal
        if index.projection != "all":
            keys = [(table.partition, pk)] + ([(table.sort, sk)] if sk and table.sort else [])
            if index.is_global:
                keys.append((index.partition, ipk))
            if isk is not None and index.sort:
                keys.append((index.sort, isk))
            projection = _projection(entity, tnames, use.name, index, title, keys)
            projections.append(projection)
            result, unmarshal = projection.codec.name, projection.codec.names.unmarshal
        reads.append(
            EntityReadView(
                names=naming.read_names(use.name),
                source=source_of[use.index].const,
                title=title,
                partition=ipk,
                params=_params(entity, ipk.attributes),
                sort=isk,
                sort_class=sort_class,
                consistent_read=index.is_local,
                result=result,
                unmarshal=unmarshal,
                cursor=naming.cursor_names(entity.name, use.name).query,
            )
        )
    group_of = _groups(entity, slot_templates, set(key_attrs), index_of)
    index_attrs = {a for _, t in slot_templates for a in t.attributes}
    fixed_attrs = set(key_attrs) | set(group_of)
    # The section-2 entity view, over the entity's attributes; its key is the templates' attributes.
    view = _entity_codec_view(table, entity, names, tnames, key_attrs, fixed_attrs, index_attrs)
    slots = [_slot(table.partition, pk, key_attrs, None)]
    if sk is not None and table.sort:
        slots.append(_slot(table.sort, sk, key_attrs, None))
    key_slots = len(slots)
    for stored, template in slot_templates:
        free = [a for a in template.attributes if a not in key_attrs]
        slots.append(_slot(stored, template, key_attrs, group_of.get(free[0]) if free else None))
    groups: list[GroupView] = []
    for label in dict.fromkeys(group_of.values()):
        members = [entity.attribute(a) for a in group_of if group_of[a] == label]
        groups.append(
            GroupView(
                param=label,
                cls=tnames.group(entity.name, label),
                fields=[
                    (
                        a.name,
                        codegen_for(a.type).annotation(),
                        codegen_for(a.type).encode(f"{label}[{a.name!r}]", a.name, key=True),
                    )
                    for a in members
                ],
                stored=[(a.name, a.stored_as) for a in members],
            )
        )
    derived = [s.stored_as for s in slots[key_slots:]]
    derived += [entity.attribute(a).stored_as for a in sorted(index_attrs | set(key_attrs))]
    removable_optional = [(a, s.stored_as) for s in slots for a in s.template.optional]
    return TemplatedEntityView(
        entity=view,
        public=names,
        template_names=tnames,
        templates=[pk] + ([sk] if sk else []) + [t for _, t in slot_templates],
        slots=slots,
        key_slots=slots[:key_slots],
        pk=pk,
        sk=sk,
        type_value=entity.name,
        sort_classes=sort_classes,
        groups=groups,
        reads=reads,
        removable_optional=removable_optional,
        derived=tuple(dict.fromkeys(derived)),
        type_param=type_attribute,
        projections=projections,
    )


def _projection(
    entity: Entity,
    tnames: naming.TemplateNames,
    use: str,
    index: Index,
    title: str,
    keys: list[tuple[str, TemplateConst]],
) -> ProjectionView:
    """The result of `query_<use>` on a keys_only or INCLUDE index: such an index carries the
    physical keys (and INCLUDE's attributes), not the entity's own copies of its template
    attributes, so those are parsed back from the keys."""
    names = tnames.projection(entity.name, use)
    from_keys = list(dict.fromkeys(a for _, t in keys for a in t.attributes))
    included = () if index.projection == "keys_only" else index.projection
    carried = [
        # An item in the index has every part of its index keys: none is None there.
        dataclasses.replace(a, optional=False) if a.name in from_keys else a
        for a in entity.attributes
        if a.name in from_keys or a.name in included
    ]
    fields = base._ordered(
        [base._field_view(a, names.cls, key=a.name in from_keys) for a in carried]
    )
    decoded = [f for f in fields if f.name not in from_keys]
    stored = [a.name for a in entity.attributes if a.name in included]
    projects = "its keys" + (" and " + ", ".join(stored) if stored else "")
    key_names = tuple(stored for stored, _ in keys)
    return ProjectionView(
        codec=base.ClassView(
            names,
            f"{entity.name} items as {title} carries them: {projects}.",
            fields,
            frozen=True,
            marshal=False,
            key_names=key_names,
        ),
        keys_const=tnames.projection_keys(entity.name, use),
        keys=[(stored, t.const) for stored, t in keys],
        reads=[(f.name, f"_keys[{f.name!r}]" if f.name in from_keys else f.read) for f in fields],
        decoded=decoded,
        attrs=tnames.projection_attrs(entity.name, use),
        # Only what the index stores can be filtered on: not the attributes parsed from keys.
        attrs_fields=[
            base._field_view(a, names.cls, key=a.name in from_keys)
            for a in carried
            if a.name in stored
        ],
        title=title,
        projects=projects,
    )


def _slot(
    stored: str, template: TemplateConst, key_attrs: list[str], group: str | None
) -> SlotView:
    """One physical key attribute: what marshal writes, and what update writes when it changes."""
    free = [a for a in template.attributes if a not in key_attrs]
    source = None if not free else (group if group is not None else "set")
    update_value = None
    if source is not None:
        update_value = template.call(
            {a: a if a in key_attrs else f"{source}[{a!r}]" for a in template.attributes}
        )
    return SlotView(
        stored_as=stored,
        template=template,
        from_set=free[0] if free and group is None else None,
        group=group,
        fixed=not free,
        write=template.call({a: f"item.{a}" for a in template.attributes}),
        present=" and ".join(f"item.{a} is not None" for a in template.optional) or None,
        update_value=update_value,
        key_value=template.call({a: a for a in template.attributes}),
    )


def _entity_codec_view(
    table: Table,
    entity: Entity,
    names: naming.EntityNames,
    tnames: naming.TemplateNames,
    key_attrs: list[str],
    fixed_attrs: set[str],
    index_attrs: set[str],
) -> base.EntityView:
    """view.py's EntityView for one entity of a templated table (its attributes' codec and
    update types); the key attributes are the table templates' attributes."""
    key_names = tuple(n for n in (table.partition, table.sort) if n)
    checked = set(key_attrs) | index_attrs
    fields = [base._field_view(a, entity.name, key=a.name in checked) for a in entity.attributes]
    changes, removable = base._changes(entity, sorted(fixed_attrs), index_attrs)
    # `add=` would change an index template's attribute to a value this update cannot know.
    changes[1] = dataclasses.replace(
        changes[1], fields=[f for f in changes[1].fields if f.name not in index_attrs]
    )
    removable += [
        (a.name, a.stored_as)
        for a in entity.attributes
        if a.optional and a.name in fixed_attrs and a.name not in key_attrs
    ]
    key_params = [base._key_part(dataclasses.replace(entity.attribute(n))) for n in key_attrs]
    attribute_names = dataclasses.replace(
        names, codec=tnames.attribute_codec, changes=tnames.attribute_changes
    )
    codec = base.ClassView(
        tnames.attribute_codec,
        base._entity_description(table, entity),
        base._ordered(fields),
        frozen=False,
        marshal=True,
        key_names=key_names,
    )
    partial = base.ClassView(names.partial, "", [], frozen=True, marshal=False, key_names=key_names)
    return base._assemble_entity(
        entity, attribute_names, codec, partial, key_params, changes, removable, optional_dicts=True
    )


def _collection(
    table: Table,
    collection: Any,
    entities: list[TemplatedEntityView],
    source_of: dict[str | None, SourceView],
) -> CollectionView:
    names = naming.collection_names(collection.name)
    by_name = {e.name: e for e in entities}
    first = next(e for e in table.entities if e.name == collection.members[0].entity)
    const = f"_{naming.constant(collection.name)}_PK"
    partition = _template(first, const, collection.partition)
    members = []
    for member in collection.members:
        view = by_name[member.entity]
        stem = naming.snake(member.entity)
        members.append(
            MemberView(
                field=naming.plural(stem) if member.many else stem,
                entity=member.entity,
                many=member.many,
                unmarshal=view.public.codec.unmarshal,
            )
        )
    where = "the table" if collection.index is None else f"the index {collection.index!r}"
    return CollectionView(
        names=names,
        name=collection.name,
        source=source_of[collection.index].const,
        title=f"{where}, partition {collection.partition.text!r}",
        partition=partition,
        params=_params(first, list(partition.attributes)),
        members=members,
    )
