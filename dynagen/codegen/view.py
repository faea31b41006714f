"""The model seen from the templates: plain values and named flags, every decision already made.

Templates only lay these out. What a type turns into is asked of its codegen class; what a name
is, of `dynagen.naming`; what the runtime does with automatic attributes, of nobody here: the
view only tells the runtime which attributes are automatic.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from dynagen import naming
from dynagen.codegen.kinds import REF_MEMBERS, TOP, Level, codegen_for, record_level_limit
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
    default_read: str | None  # a required attribute's spec default, read where it is missing
    ref_annotation: str  # the type of its typed reference (OrderAttrs.<name>)
    ref_expr: str  # the reference, rooted at the top-level attribute
    ref_property: str  # the property name inside a record's reference class
    ref_child_expr: str  # the reference as a field of a record reference (`self.path.child(...)`)
    value_type: str  # its runtime value type (dynagen.runtime.shapes), for the precise slow path
    optional: bool  # None is a value of it (not written)
    containers: int  # how many lists and maps deep it goes (records and JSON count their own)

    @property
    def shape_presence(self) -> str:
        """Its presence for the runtime's Field: "required", "optional", "set", "optional set"."""
        if self.presence == "set":
            return "optional set" if self.missing == "None" else "set"
        return "required" if self.missing is None else "optional"

    @property
    def empty_check(self) -> str:
        """The `elif` test of marshal for a falsy set value: anything but an empty set (or None,
        when optional) is refused, not silently left out."""
        value = f"item.{self.name}"
        test = f"type({value}) not in _rt.SET_TYPES"
        return f"{value} is not None and {test}" if self.optional else test

    @property
    def declaration(self) -> str:
        """The dataclass field: `name: annotation` or `name: annotation = default`."""
        default = "" if self.default is None else f" = {self.default}"
        return f"{self.name}: {self.annotation}{default}"

    @property
    def read_always(self) -> bool:
        """Read with no `in raw` test: a stored item without it raises (KeyError)."""
        return self.missing is None and self.default_read is None

    @property
    def read(self) -> str:
        """The value read from `raw`, with what a missing attribute reads back as."""
        missing = self.missing if self.missing is not None else self.default_read
        if missing is None:
            return self.decode
        decode = f"({self.decode})" if " if " in self.decode else self.decode
        return f"{decode} if {self.stored_as!r} in raw else {missing}"

    @property
    def shape_default(self) -> str:
        """The runtime Field's default argument: what a stored item without it reads as."""
        return "" if self.default_read is None else f", lambda: {self.default_read}"


@dataclass(frozen=True)
class Param:
    """One keyword parameter of a generated method, as `name: annotation = default`."""

    name: str
    annotation: str
    default: str

    def __str__(self) -> str:
        return f"{self.name}: {self.annotation} = {self.default}"


@dataclass(frozen=True)
class TypedDictField:
    """One key of a generated update TypedDict, and the lines that apply it to the Update `u`."""

    name: str
    annotation: str
    lines: list[str]  # run under `if "<name>" in <dict>:`


@dataclass(frozen=True)
class ChangeGroup:
    """One of update's dict parameters (`set`, `add`, `delete`) and how its keys apply."""

    param: str
    fields: list[TypedDictField]


@dataclass(frozen=True)
class KeyPartView:
    """One key attribute of the table or an index, as a method parameter."""

    name: str
    stored_as: str
    annotation: str
    encode_param: str  # AttributeValue expression of the parameter named `name`
    encode_value: str  # the same for a variable `v` (for sort conditions)


@dataclass(frozen=True)
class ClassView:
    """A generated dataclass with its codec: an entity, a record, or a read-only result class."""

    names: naming.CodecNames
    description: str
    fields: list[FieldView]  # required first, then those with defaults
    frozen: bool
    marshal: bool  # results of reads are only ever decoded
    key_names: tuple[str, ...]  # stored key names, for messages when a decode fails
    record: bool = False  # a record's marshal takes its `level` and checks it is one

    @property
    def name(self) -> str:
        return self.names.cls

    @property
    def level_limit(self) -> int:
        """The deepest level a record's map may sit at, with its own lists and maps below it."""
        return record_level_limit([f.containers for f in self.fields])

    def present(self, presence: str) -> list[FieldView]:
        """The fields marshal writes always ("always"), unless None ("optional"), unless empty ("set")."""
        return [f for f in self.fields if f.presence == presence]

    @property
    def decorator(self) -> str:
        return "@dataclasses.dataclass(slots=True" + (", frozen=True)" if self.frozen else ")")

    @property
    def unknown_field(self) -> str | None:
        """The field keeping stored attributes the spec does not name: on what is written back
        (entities and records), not on read-only results."""
        return naming.UNKNOWN_FIELD if self.marshal else None

    @property
    def unknown_read(self) -> str:
        """The unknown field's value in unmarshal: `{}` without a call when `raw` holds no other
        attribute, which counting tells once every required one has been read (a missing one
        raised): as many as those, plus the optional ones present.

        An `in` test costs ~16 ns, the call ~80 ns and ~8 ns a stored attribute (benchmarks/
        RESULTS.md, "Codec, round three"): with half the optional attributes present, the count
        is the cheaper while they are at most 6 plus two thirds of the required ones; past
        that only the required ones are counted, and the call decides whenever an optional one
        is there."""
        required = sum(f.read_always for f in self.fields)
        optional = [f"({f.stored_as!r} in raw)" for f in self.fields if not f.read_always]
        counted = optional if 3 * len(optional) <= 18 + 2 * required else []
        count = " + ".join([str(required), *counted])
        return f"{{}} if len(raw) == {count} else _rt.unknown(raw, {self.names.fields_table}.known)"


def _present(*lines: str) -> list[str]:
    """The signature lines a read takes, in order: an empty one is a parameter it does not take."""
    return [line for line in lines if line]


class ReadKeywords:
    """The keyword parameters a read family's methods share, as signature lines. Which reads take
    `sort=` (a sort key to put a condition on) and `consistent_read=` (the table and its local
    indexes) is decided here; the templates only lay the lines out."""

    consistent_read: bool
    result: str  # the class its reads return

    @property
    def sort_param(self) -> str:
        raise NotImplementedError  # each read view says how its sort key is conditioned

    @property
    def consistent_param(self) -> str:
        return "consistent_read: bool = False," if self.consistent_read else ""

    @property
    def filter_param(self) -> str:
        return f"filter: _rt.Condition[{self.result}] | None = None,"

    @property
    def query_keywords(self) -> list[str]:
        """`query` and `query_page`'s: sort, filter, reverse, consistent_read."""
        return _present(
            self.sort_param, self.filter_param, "reverse: bool = False,", self.consistent_param
        )

    @property
    def count_keywords(self) -> list[str]:
        """`count`'s: sort, filter, consistent_read."""
        return _present(self.sort_param, self.filter_param, self.consistent_param)

    @property
    def consistent_arg(self) -> str:
        return "consistent_read" if self.consistent_read else "False"


@dataclass(frozen=True)
class ReadView(ReadKeywords):
    """The read family of the table itself or of one index: query, query_page, count, scan."""

    names: naming.ReadNames
    index: str | None  # None: the table itself
    title: str  # "the table 'orders'", "the global index 'by_status'"
    partition: KeyPartView
    sort: KeyPartView | None
    result: str  # the class its reads return
    unmarshal: str
    partial_fields: str  # the Literal of what `attributes=[...]` may ask for
    selection: str  # what one entry of `attributes=[...]` is: such a name or a typed reference
    own_fields: list[str]  # its names, when it is this index's own Literal (a projecting GSI)
    key_names: tuple[str, ...]  # LastEvaluatedKey attributes: table key + index key (stored)
    consistent_read: bool  # DynamoDB allows it on the table and its local indexes only
    projects: str | None  # "its keys", "its keys and currency, kind" (None: everything)
    cursors: naming.CursorNames  # the cursor classes its query and scan pages take and give
    # A projecting index's own references (`EntryByKindAttrs`), typed by its result class, so a
    # filter can name only what the index carries (DynamoDB refuses the rest).
    filter_attrs: str | None = None
    filter_fields: list[FieldView] = dataclasses.field(default_factory=list)

    @property
    def params(self) -> list[tuple[str, str]]:
        """The reads' leading parameters, as a templated read's: here the partition key alone."""
        return [(self.partition.name, self.partition.annotation)]

    @property
    def sort_name(self) -> str | None:
        return self.sort.stored_as if self.sort else None

    @property
    def encode_sort(self) -> str:
        return f"lambda v: {self.sort.encode_value}" if self.sort else "None"

    @property
    def sort_param(self) -> str:
        """The `sort=` parameter, or nothing when there is no sort key to put a condition on."""
        return (
            f"sort: _rt.SortCondition[{self.sort.annotation}] | None = None," if self.sort else ""
        )

    @property
    def sort_arg(self) -> str:
        return "sort" if self.sort else "None"

    @property
    def scan_keywords(self) -> list[str]:
        """`scan`'s: filter, segments, limit, consistent_read."""
        return _present(
            self.filter_param,
            "segments: int = 1,",
            "limit: int | None = None,",
            self.consistent_param,
        )

    @property
    def scan_page_keywords(self) -> list[str]:
        """`scan_page`'s: filter, cursor, page_size, segment, consistent_read."""
        return _present(
            self.filter_param,
            f"cursor: {self.cursors.scan} | None = None,",
            "page_size: int | None = None,",
            "segment: tuple[int, int] | None = None,",
            self.consistent_param,
        )


@dataclass(frozen=True)
class CursorView:
    """One generated cursor class: a `str` subclass of `_rt.Cursor` for the pages of one read."""

    name: str
    method: str  # the page method it resumes: "OrdersTable.query_by_status_page"


@dataclass(frozen=True)
class EntityDocs:
    """Docstring sentences that depend on which automatic attributes the entity has."""

    create: str
    put: str
    update: str
    update_version: str
    batch_put: str
    tx_put: str


@dataclass(frozen=True)
class EntityView:
    names: naming.EntityNames
    codec: ClassView
    partial: ClassView
    key_params: list[KeyPartView]
    key_tuple: str  # annotation of one key in batch_get/batch_delete: `str` or `tuple[str, str]`
    key_from_tuple: str  # wire key from a variable `k` of that type
    changes: list[ChangeGroup]  # set=, add=, delete=
    removable: list[tuple[str, str]]  # (python name, stored name) of attributes `remove=` takes
    change_params: list[Param]  # update's parameters that say what changes
    guard_params: list[Param]  # condition=, and expected_version= for versioned entities
    field_names: list[tuple[str, str]]  # (python name, stored name) of every attribute
    automatic: dict[str, str]  # runtime Automatic(...) keyword -> stored name
    docs: EntityDocs

    @property
    def description(self) -> str:
        return self.codec.description

    @property
    def key_names(self) -> tuple[str, ...]:
        """The stored names of the key attributes."""
        return self.codec.key_names

    @property
    def selection(self) -> str:
        """One entry of `get(..., attributes=[...])`: a top-level name, or a reference of this
        entity reaching into a record, list or map (`OrderAttrs.shipping.city`)."""
        return naming.selection_alias(self.name)

    @property
    def key_signature(self) -> str:
        """`customer_id: str, order_id: str`"""
        return ", ".join(f"{p.name}: {p.annotation}" for p in self.key_params)

    @property
    def key_arguments(self) -> str:
        """`customer_id, order_id`"""
        return ", ".join(p.name for p in self.key_params)

    @property
    def key_parts(self) -> int:
        """How many key parameters (batch keys are tuples of that many when 2)."""
        return len(self.key_params)

    @property
    def change_args(self) -> str:
        """update's change parameters, forwarded to the changes function."""
        return ", ".join(p.name for p in self.change_params)

    @property
    def guard_args(self) -> str:
        """condition= (and expected_version=), forwarded to the runtime."""
        return ", ".join(f"{p.name}={p.name}" for p in self.guard_params)

    @property
    def name(self) -> str:
        return self.names.cls

    @property
    def set_fields(self) -> list[TypedDictField]:
        return self.changes[0].fields

    @property
    def change_groups(self) -> list[ChangeGroup]:
        """The groups of update's changes that have keys (set=, add=, delete=)."""
        return [group for group in self.changes if group.fields]

    def group(self, param: str) -> list[TypedDictField]:
        return next((g.fields for g in self.changes if g.param == param), [])

    @property
    def error_types(self) -> list[tuple[str, str, str]]:
        """(ErrorTypes field, generated class, runtime base) of the entity's own condition
        errors beyond its ConditionFailed; VersionConflict only for a versioned entity."""
        names = self.names
        found = [
            ("already_exists", names.already_exists, "ItemAlreadyExists"),
            ("not_found", names.not_found, "ItemNotFound"),
        ]
        if "version" in self.automatic:
            found.append(("version_conflict", names.version_conflict, "VersionConflict"))
        return found


@dataclass(frozen=True)
class RecordView:
    """A record type: its dataclass, codec, and reference class (`<Name>Ref`) for nested conditions."""

    codec: ClassView
    ref_class: str
    partial: ClassView  # what it reads as in a partial read: every field optional


@dataclass(frozen=True)
class EnumView:
    name: str
    description: str
    members: list[tuple[str, str]]


@dataclass(frozen=True)
class TableModuleView:
    """What a generated module says of its table alone, made the same way for a one-entity table
    (ModuleView) and a templated one (single_table.TemplatedModuleView) by `table_module`."""

    version: str
    api_version: int
    source: str
    docstring: str
    table_class: str
    physical_name: str
    enums: list[EnumView]
    records: list[RecordView]
    table_definition: dict[str, Any]
    ttl_attribute: str | None
    point_in_time_recovery: bool  # create_table() turns it on after CreateTable


def table_module(table: Table, *, dynagen_version: str, api_version: int) -> TableModuleView:
    """The module's view of the table alone; a module view takes `**vars()` of it."""
    ttl = next((a for e in table.entities if (a := e.of_kind(kinds.TTL))), None)
    return TableModuleView(
        version=dynagen_version,
        api_version=api_version,
        source=_comment_text(table.source),
        docstring=table.description
        or f"Typed access to the DynamoDB table {table.physical_name!r}.",
        table_class=naming.table_class(table.module),
        physical_name=table.physical_name,
        enums=[_enum_view(enum) for enum in table.enums],
        records=[_record_view(record, table.entities[0].name) for record in table.records],
        table_definition=table_definition(table),
        ttl_attribute=ttl.stored_as if ttl else None,
        point_in_time_recovery=table.point_in_time_recovery is True,
    )


@dataclass(frozen=True)
class ModuleView(TableModuleView):
    entity: EntityView
    projections: list[ClassView]
    reads: list[ReadView]  # the table's own, then one per index
    cursors: list[CursorView]
    selections: list[tuple[str, list[str]]]  # the aliases `attributes=[...]` is typed with
    exports: list[str]


def module_view(table: Table, *, dynagen_version: str, api_version: int) -> ModuleView:
    entity = _entity_view(table, table.entity)
    projections, reads = _read_views(table, entity)
    head = table_module(table, dynagen_version=dynagen_version, api_version=api_version)
    enums, records, table_class = head.enums, head.records, head.table_class
    names = entity.names
    cursors = [
        CursorView(cursor, f"{table_class}.{method}")
        for r in reads
        for cursor, method in (
            (r.cursors.query, r.names.query_page),
            (r.cursors.scan, r.names.scan_page),
        )
    ]
    exports = (
        [e.name for e in enums]
        + [r.codec.name for r in records]
        + [r.partial.name for r in records]
        + [names.cls, names.attrs, names.set, names.field, names.partial.cls]
        + ([names.add] if entity.group("add") else [])
        + ([names.delete] if entity.group("delete") else [])
        + ([names.removable] if entity.removable else [])
        + [names.condition_failed]
        + [cls for _, cls, _ in entity.error_types]
        + [names.codec.marshal, names.codec.unmarshal, names.key_function]
        + [table_class, naming.TABLE_NAME_CONSTANT]
        + [p.name for p in projections]
        + [r.partial_fields for r in reads if r.own_fields]
        + [r.filter_attrs for r in reads if r.filter_attrs]
        + [c.name for c in cursors]
    )
    return ModuleView(
        **vars(head),
        entity=entity,
        projections=projections,
        reads=reads,
        cursors=cursors,
        selections=[_selection_alias(names.field, entity.name)]
        + [_selection_alias(r.partial_fields, r.result) for r in reads if r.own_fields],
        exports=sorted(exports),
    )


def _comment_text(text: str) -> str:
    """Text for a `#` comment: as it is when printable, else escaped (a file name may hold a
    newline, which would end the comment, or undecodable bytes, which UTF-8 cannot write)."""
    if text.isprintable():
        return text
    return ascii(text)[1:-1]


def _ref_mode(attribute: Attribute, table_key: bool) -> str:
    """Which update actions the attribute's reference offers (dynagen.runtime.expressions.references):
    none on keys and automatic attributes, no remove on required ones, whose loss would leave an
    item that cannot be read back; optional attributes and sets (an empty one is not stored) may go.
    """
    if table_key:
        return "_rt.Key"
    if attribute.kind.automatic:
        return "_rt.Auto"
    if attribute.optional or attribute.type.is_set:
        return "_rt.Removable"
    return "_rt.Required"


def _field_view(
    attribute: Attribute,
    owner: str,
    *,
    key: bool = False,
    table_key: bool = False,
    level: Level = TOP,
    partial: bool = False,
) -> FieldView:
    t = attribute.type
    mode = _ref_mode(attribute, table_key)
    expr = f"item.{attribute.name}"
    code = codegen_for(t, partial=partial)
    presence = code.presence(optional=attribute.optional)
    if presence == "set" and not attribute.optional:
        missing: str | None = "set()"
    elif presence != "always":
        missing = "None"
    else:
        missing = None
    raw = f"raw[{attribute.stored_as!r}]"
    child = f"self.path.child({attribute.stored_as!r})"
    view = FieldView(
        name=attribute.name,
        stored_as=attribute.stored_as,
        annotation=code.field_annotation(optional=attribute.optional),
        default=code.default_code(optional=attribute.optional, default=attribute.default),
        description=attribute.description,
        encode=code.encode(expr, attribute.name, key=key, level=level),
        decode=code.decode(raw, tag=attribute.name),
        presence=presence,
        missing=missing,
        default_read=(
            code.default_value(attribute.default.value)
            if missing is None
            and attribute.default is not None
            and attribute.default.value is not None
            else None
        ),
        ref_annotation=code.ref_annotation(owner, mode),
        ref_expr=code.ref_expr(repr(attribute.stored_as), attribute.name, mode, key=key),
        ref_property=(attribute.name + "_" if attribute.name in REF_MEMBERS else attribute.name),
        ref_child_expr=code.ref_expr(child, attribute.name, mode),
        value_type=code.value_type(key=key),
        optional=attribute.optional or code.field_annotation(optional=False).endswith("| None"),
        containers=code.containers(),
    )
    return view


def _ordered(fields: list[FieldView]) -> list[FieldView]:
    """Required fields first (dataclasses need it), each group in spec order."""
    return [f for f in fields if f.default is None] + [f for f in fields if f.default is not None]


def _table_keys(table: Table) -> list[str]:
    return [table.partition] + ([table.sort] if table.sort else [])


def _entity_view(table: Table, entity: Entity) -> EntityView:
    names = naming.entity_names(entity.name)
    key_attrs = _table_keys(table)
    # Index key values are key values too: DynamoDB refuses empty strings and bytes there as well.
    index_keys = {name for index in table.indexes for name in (index.partition, index.sort) if name}
    checked = set(key_attrs) | index_keys
    fields = [
        _field_view(a, entity.name, key=a.name in checked, table_key=a.name in key_attrs)
        for a in entity.attributes
    ]
    key_params = [_key_part(entity.attribute(name)) for name in key_attrs]
    key_names = tuple(part.stored_as for part in key_params)
    changes, removable = _changes(entity, key_attrs, index_keys)
    partial_description = (
        f"Some attributes of one {entity.name}, as read with `attributes=[...]`: "
        "every field is None unless it was asked for and is stored."
    )
    description = _entity_description(table, entity)
    codec = ClassView(
        names.codec, description, _ordered(fields), frozen=False, marshal=True, key_names=key_names
    )
    partial = ClassView(
        names.partial,
        partial_description,
        [_partial_field(_field_view(a, entity.name, partial=True)) for a in entity.attributes],
        frozen=True,
        marshal=False,
        key_names=key_names,
    )
    # The dicts are TypedDicts with an empty default, not `| None`: without a union mypy checks a
    # dict literal key by key ('Extra key "totl" for TypedDict "OrderSet"').
    return _assemble_entity(
        entity, names, codec, partial, key_params, changes, removable, optional_dicts=False
    )


def _entity_description(table: Table, entity: Entity) -> str:
    return entity.description or f"One {entity.name} item of the table {table.physical_name!r}."


def _assemble_entity(
    entity: Entity,
    names: naming.EntityNames,
    codec: ClassView,
    partial: ClassView,
    key_params: list[KeyPartView],
    changes: list[ChangeGroup],
    removable: list[tuple[str, str]],
    *,
    optional_dicts: bool,
) -> EntityView:
    """The EntityView of an entity of either kind of table, from its classes, key and update
    groups: update's parameters (its change dicts default to `{}`, or to None when
    `optional_dicts`), the batch key tuple, the automatic attributes and their docs."""

    def change_dict(name: str, annotation: str) -> Param:
        if optional_dicts:
            return Param(name, f"{annotation} | None", "None")
        return Param(name, annotation, "{}")

    automatic = {
        kind.name: a.stored_as
        for kind in kinds.KINDS.values()
        if kind.automatic and (a := entity.of_kind(kind))
    }
    change_params = [change_dict("set", names.set)]
    if changes[1].fields:
        change_params.append(change_dict("add", names.add))
    if removable:
        change_params.append(Param("remove", f"typing.Iterable[{names.removable}]", "()"))
    if changes[2].fields:
        change_params.append(change_dict("delete", names.delete))
    change_params.append(Param("actions", f"typing.Iterable[_rt.Action[{entity.name}]]", "()"))
    guard_params = [Param("condition", f"_rt.Condition[{entity.name}] | None", "None")]
    if "version" in automatic:
        guard_params.append(Param("expected_version", "int | None", "None"))
    if len(key_params) == 1:
        key_tuple = key_params[0].annotation
        key_from_tuple = f"{names.key_function}(k)"
    else:
        key_tuple = f"tuple[{', '.join(p.annotation for p in key_params)}]"
        args = ", ".join(f"k[{i}]" for i in range(len(key_params)))
        key_from_tuple = f"{names.key_function}({args})"
    return EntityView(
        names=names,
        codec=codec,
        partial=partial,
        key_params=key_params,
        key_tuple=key_tuple,
        key_from_tuple=key_from_tuple,
        changes=changes,
        removable=removable,
        change_params=change_params,
        guard_params=guard_params,
        field_names=[(a.name, a.stored_as) for a in entity.attributes],
        automatic=automatic,
        docs=_docs(automatic),
    )


def _changes(
    entity: Entity, key_attrs: list[str], index_keys: set[str]
) -> tuple[list[ChangeGroup], list[tuple[str, str]]]:
    """update's `set=`, `add=` and `delete=` keys, and what `remove=` takes."""
    set_fields: list[TypedDictField] = []
    add_fields: list[TypedDictField] = []
    delete_fields: list[TypedDictField] = []
    removable: list[tuple[str, str]] = []
    for attribute in entity.attributes:
        if attribute.name in key_attrs or attribute.kind.automatic:
            continue
        name, t = attribute.name, attribute.type
        path = f"_rt.Path({attribute.stored_as!r})"
        code = codegen_for(t)
        annotation = code.annotation()
        key = name in index_keys
        var = f"v_{name}"
        if attribute.optional or t.is_set:
            lines = [f"{var} = set[{name!r}]"]
            if t.is_set:  # None or an empty set removes it; "" or 0 would be a mistake
                lines += [
                    f"if not {var}:",
                    f"    _rt.empty_set({var}, {name!r}, True)",
                ]
            else:
                lines += [f"if {var} is None:"]
            lines += [
                f"    u.remove({path})",
                "else:",
                f"    u.set({path}, {code.encode(var, name, key=key)})",
            ]
            set_fields.append(TypedDictField(name, f"{annotation} | None", lines))
            removable.append((name, attribute.stored_as))
        else:
            value = code.encode(f"set[{name!r}]", name, key=key)
            set_fields.append(TypedDictField(name, annotation, [f"u.set({path}, {value})"]))
        if t.kind.number:
            lines = [f"u.add({path}, {code.encode(f'add[{name!r}]', name)})"]
            add_fields.append(TypedDictField(name, annotation, lines))
        if t.is_set:
            for group, verb, fields in (
                ("add", "add", add_fields),
                ("delete", "delete", delete_fields),
            ):
                var = f"{group}_{name}"
                lines = [
                    f"{var} = {group}[{name!r}]",
                    f"if {var}:",
                    f"    u.{verb}({path}, {code.encode(var, name)})",
                    "else:",
                    f"    _rt.empty_set({var}, {name!r}, False)",
                ]
                fields.append(TypedDictField(name, annotation, lines))
    groups = [
        ChangeGroup("set", set_fields),
        ChangeGroup("add", add_fields),
        ChangeGroup("delete", delete_fields),
    ]
    return groups, removable


def _docs(automatic: dict[str, str]) -> EntityDocs:
    """The docstring sentences that depend on which automatic attributes the entity has."""
    stamped = [
        what
        for what, present in (
            ("version 1", "version" in automatic),
            ("timestamps set", "created_at" in automatic or "updated_at" in automatic),
        )
        if present
    ]
    version = "version" in automatic
    return EntityDocs(
        create=f" ({', '.join(stamped)})" if stamped else "",
        put=(
            "\n\n        The stored version must equal the item's version (0: the item must not exist yet),\n"
            "        else VersionConflict; the returned item (as a later `get` reads it) carries the new version."
            if version
            else ""
        ),
        update=(
            ", VersionConflict if\n        `expected_version` is given and differs from the stored one"
            if version
            else ""
        ),
        update_version=" The version is always incremented." if version else "",
        batch_put=(
            "\n\n        Batch writes carry no conditions, so versions are not checked: each item is stored with\n"
            "        its version + 1, last writer wins. Use `put` or a transaction to check versions."
            if version
            else ""
        ),
        tx_put=", with the same version check" if version else "",
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


def _selection_alias(names: str, owner: str) -> tuple[str, list[str]]:
    """(alias, its union's members): a name of the Literal `names`, or a typed reference whose
    entity is `owner` (the entity, or a projecting global index's result class: only what that
    index carries)."""
    return naming.selection_alias(owner), [names, f"_rt.Attr[{owner}, typing.Any, typing.Any]"]


def _partial_field(field: FieldView) -> FieldView:
    """Every attribute optional: a partial read holds only what was asked for."""
    annotation = (
        field.annotation if field.annotation.endswith("| None") else f"{field.annotation} | None"
    )
    return dataclasses.replace(field, annotation=annotation, default="None", missing="None")


def _read_views(table: Table, entity: EntityView) -> tuple[list[ClassView], list[ReadView]]:
    """The table's read family, then each index's, and the result classes of projecting indexes."""
    model = table.entity
    table_keys = _table_keys(table)
    names = entity.names
    reads = [
        ReadView(
            names=naming.read_names(None),
            index=None,
            title=f"the table {table.physical_name!r}",
            partition=entity.key_params[0],
            sort=entity.key_params[1] if len(entity.key_params) == 2 else None,
            result=entity.name,
            unmarshal=names.codec.unmarshal,
            partial_fields=names.field,
            selection=naming.selection_alias(entity.name),
            own_fields=[],
            key_names=entity.key_names,
            consistent_read=True,
            projects=None,
            cursors=naming.cursor_names(naming.pascal(table.module), None),
        )
    ]
    projections: list[ClassView] = []
    for index in table.indexes:
        index_keys = [index.partition] + ([index.sort] if index.sort else [])
        # In an index, its key attributes are always present (sparse indexes leave out the rest).
        key_attributes = {
            name: dataclasses.replace(model.attribute(name), optional=False) for name in index_keys
        }
        result, unmarshal, projects = entity.name, names.codec.unmarshal, None
        filter_attrs, filter_fields = None, []
        partial_fields, own_fields = names.field, []
        selection = naming.selection_alias(entity.name)
        if index.projection != "all":
            carried = set(table_keys) | set(index_keys) | set(index.projection)
            fields = [
                _field_view(key_attributes.get(a.name, a), entity.name, key=a.name in table_keys)
                for a in model.attributes
                if a.name in carried
            ]
            projection = names.projection(index.name)
            projects = (
                "its keys"
                if index.projection == "keys_only"
                else "its keys and " + ", ".join(index.projection)
            )
            projections.append(
                ClassView(
                    projection,
                    f"{entity.name} items as the index {index.name!r} carries them: {projects}.",
                    _ordered(fields),
                    frozen=True,
                    marshal=False,
                    key_names=entity.key_names,
                )
            )
            result, unmarshal = projection.cls, projection.unmarshal
            filter_attrs = names.projection_attrs(index.name)
            filter_fields = [
                _field_view(
                    a,
                    projection.cls,
                    key=a.name in table_keys or a.name in index_keys,
                    table_key=a.name in table_keys,
                )
                for a in model.attributes
                if a.name in carried
            ]
            if index.is_global:  # a local index reads what it lacks from the table
                partial_fields = names.projection_field(index.name)
                own_fields = [f.name for f in fields]
                selection = naming.selection_alias(projection.cls)
        stored = [model.attribute(name).stored_as for name in table_keys + index_keys]
        reads.append(
            ReadView(
                names=naming.read_names(index.name),
                index=index.physical_name,
                title=f"the {index.kind} index {index.physical_name!r}",
                partition=_key_part(key_attributes[index.partition]),
                sort=_key_part(key_attributes[index.sort]) if index.sort else None,
                result=result,
                unmarshal=unmarshal,
                partial_fields=partial_fields,
                selection=selection,
                own_fields=own_fields,
                key_names=tuple(dict.fromkeys(stored)),
                consistent_read=index.is_local,
                projects=projects,
                cursors=naming.cursor_names(naming.pascal(table.module), index.name),
                filter_attrs=filter_attrs,
                filter_fields=filter_fields,
            )
        )
    return projections, reads


def _record_view(record: Record, entity: str) -> RecordView:
    return RecordView(
        codec=ClassView(
            naming.codec_names(record.name, public=False),
            record.description or f"The record type {record.name} (stored as a map).",
            # its reference class is generic in the entity (`_rt.E`): a projecting index's
            # references reach into records too
            _ordered([_field_view(a, "_rt.E", level=Level("level", 1)) for a in record.fields]),
            frozen=False,
            marshal=True,
            key_names=(),
            record=True,
        ),
        ref_class=naming.record_ref(record.name),
        partial=ClassView(
            naming.codec_names(naming.record_partial(record.name), public=False),
            f"Some fields of one {record.name}, as a partial read (`attributes=[...]`) returns it: "
            "every field is None unless it was asked for (the whole record or that field) and "
            "is stored.",
            [_partial_field(_field_view(a, "_rt.E", partial=True)) for a in record.fields],
            frozen=True,
            marshal=False,
            key_names=(),
            record=True,
        ),
    )


def _enum_view(enum: EnumType) -> EnumView:
    return EnumView(
        name=enum.name,
        description=enum.description or f"The values of {enum.name}, stored as strings.",
        members=list(zip(enum.members, enum.values)),
    )


def table_definition(table: Table) -> dict[str, Any]:
    """The CreateTable request (without TableName) that provisions this table from its spec.

    Public: `create_table()` sends it, and `dynagen.ops` plans and exports from the same request.
    """
    entity = table.entity

    def stored(name: str) -> str:
        if table.is_single_table:  # physical key attributes, which no entity declares
            return name
        return entity.attribute(name).stored_as

    def key_type(name: str) -> str:
        if table.is_single_table:  # filled from templates: always strings
            return "S"
        return entity.attribute(name).type.wire_key_type

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
        if table.is_single_table:  # names of any entity's attributes, each under its stored names
            included = [
                a.stored_as
                for name in index.projection
                for e in table.entities
                for a in e.attributes
                if a.name == name
            ]
            return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(dict.fromkeys(included))}
        return {
            "ProjectionType": "INCLUDE",
            "NonKeyAttributes": [stored(name) for name in index.projection],
        }

    provisioned = table.billing.mode == "provisioned"
    throughput = {
        "ReadCapacityUnits": table.billing.read,
        "WriteCapacityUnits": table.billing.write,
    }
    key_names = list(
        dict.fromkeys(
            name
            for name in [table.partition, table.sort]
            + [n for i in table.indexes for n in (i.partition, i.sort)]
            if name
        )
    )
    definition: dict[str, Any] = {
        "AttributeDefinitions": [
            {
                "AttributeName": stored(name),
                "AttributeType": key_type(name),
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
            "IndexName": index.physical_name,
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
    if table.deletion_protection is not None:
        definition["DeletionProtectionEnabled"] = table.deletion_protection
    if table.tags:
        definition["Tags"] = [{"Key": k, "Value": v} for k, v in table.tags]
    return definition
