"""Single-table design (SPEC.md section 4): per-entity `keys:` and `indexes:` templates over the
table's physical key and indexes, the entity attribute, and `collections:`.

Each template is parsed (`dynagen.spec.templates`) and its parts checked against the entity's
attributes here; what the templates together must satisfy is proved in `check.proof`, which
reads the `Placed` templates this module keeps with their nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dynagen.spec import kinds
from dynagen.spec.check.nodes import Checker, hint
from dynagen.spec.check.table import RESERVED_KEY_NAMES, _is_index_name, physical_attribute
from dynagen.spec.check.types import TypeScope
from dynagen.spec.load import Map, Node, Scalar
from dynagen.spec.model import (
    Collection,
    CollectionMember,
    Entity,
    EntityIndex,
    EntityKeys,
    Index,
    Template,
    TemplatePart,
    TypeRef,
)
from dynagen.spec.templates import TEMPLATE_KINDS, following, parse_template

DEFAULT_ENTITY_ATTRIBUTE = "_type"
ENTITY_INDEX_FIELDS = {"index", "partition", "sort"}
COLLECTION_FIELDS = {"index", "partition", "members"}
TABLE = "table"  # `index: table` in a collection: the table's own key
_TEMPLATE_KIND_NAMES = ", ".join(kind.name for kind in TEMPLATE_KINDS)


@dataclass(frozen=True)
class Placed:
    """A checked template, where it was written, and the types of its entity's attributes."""

    template: Template
    node: Node
    types: dict[str, TypeRef]


@dataclass
class Layout:
    """What the proof needs: every checked template by entity and physical index."""

    partition: str  # the physical attribute names, for messages
    sort: str | None
    indexes: dict[str, Index]
    # entity -> index ("" for the table) -> (partition, sort, node of the entity's declaration)
    keys: dict[str, dict[str, tuple[Placed, Placed | None, Node]]] = field(default_factory=dict)
    collections: list[tuple[Collection, Placed, Node]] = field(default_factory=list)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # entities whose `keys:` were wrong, reported


def is_templated(entities_node: Node | None) -> bool:
    """A section-4 table: several entities, or `keys:` under one."""
    if not isinstance(entities_node, Map):
        return False
    if len(entities_node.entries) > 1:
        return True
    return any(
        isinstance(body, Map) and body.get("keys") is not None for _, body in entities_node.entries
    )


def physical_name(check: Checker, node: Node | None, what: str) -> str | None:
    """An attribute of the table's own (the entity attribute): a plain DynamoDB attribute name."""
    return physical_attribute(check, node, what)


def entity_attribute(check: Checker, node: Node | None, templated: bool) -> str | None:
    """The stored attribute that names each item's entity; only a templated table has one."""
    if not templated:
        if node is not None:
            check.error(
                node,
                "entity_attribute is for single-table design: a table whose entities have `keys:`",
            )
        return None
    if node is None:
        return DEFAULT_ENTITY_ATTRIBUTE
    return physical_name(check, node, "entity_attribute")


def check_physical_names(
    check: Checker,
    entities_node: Node | None,
    entities: list[Entity],
    physical: dict[str, Node],
) -> None:
    """Physical key attributes and the entity attribute belong to no entity: no attribute may be
    stored under one of their names."""
    if not isinstance(entities_node, Map):
        return
    for entity in entities:
        body = entities_node.get(entity.name)
        attributes_node = body.get("attributes") if isinstance(body, Map) else None
        for attribute in entity.attributes:
            if attribute.stored_as in physical:
                where: Node = attributes_node or entities_node
                if isinstance(attributes_node, Map):
                    for key, _ in attributes_node.entries:
                        if key.text == attribute.name:
                            where = key
                check.error(
                    where,
                    f"entity {entity.name!r}: attribute {attribute.name!r} is stored as "
                    f"{attribute.stored_as!r}, which the table itself uses (a physical key or the "
                    "entity attribute); rename it or give it another stored_as",
                )


def read_keys(
    check: Checker,
    scope: TypeScope,
    entities_node: Node | None,
    entities: list[Entity],
    partition: str | None,
    sort: str | None,
    indexes: list[Index],
) -> tuple[list[Entity], Layout]:
    """Every entity with its `keys:` and `indexes:` templates; the layout the proof reads."""
    layout = Layout(partition or "", sort, {index.name: index for index in indexes})
    layout.enums = {name: enum.values for name, enum in scope.enums.items()}
    if not isinstance(entities_node, Map) or partition is None:
        return entities, layout
    done: list[Entity] = []
    for entity in entities:
        body = entities_node.get(entity.name)
        name_node = next(key for key, _ in entities_node.entries if key.text == entity.name)
        if not isinstance(body, Map):
            done.append(entity)
            continue
        types = {attribute.name: attribute.type for attribute in entity.attributes}
        optional = {attribute.name for attribute in entity.attributes if attribute.optional}
        keys_node = body.get("keys")
        if keys_node is None:
            layout.broken.add(entity.name)
            check.error(
                name_node,
                f"entity {entity.name!r} needs `keys:`: in a table of several entities each fills "
                f"the physical key ({_key_names(partition, sort)}) from templates",
            )
            done.append(entity)
            continue
        keys = _entity_keys(check, entity, keys_node, types, optional, partition, sort, layout)
        if keys is None:
            layout.broken.add(entity.name)
        entity_indexes = _entity_indexes(check, entity, body.get("indexes"), types, keys, layout)
        done.append(replace(entity, keys=keys, indexes=tuple(entity_indexes)))
    return done, layout


def _key_names(partition: str, sort: str | None) -> str:
    return f"{partition}, {sort}" if sort else partition


def _entity_keys(
    check: Checker,
    entity: Entity,
    node: Node,
    types: dict[str, TypeRef],
    optional: set[str],
    partition: str,
    sort: str | None,
    layout: Layout,
) -> EntityKeys | None:
    keys_map = check.mapping(node, f"keys of entity {entity.name!r}")
    if keys_map is None:
        return None
    names = {partition} | ({sort} if sort else set())
    required = (partition, sort) if sort else (partition,)
    check.fields(
        keys_map,
        names,
        required,
        f"keys of entity {entity.name!r} (the table's key is {_key_names(partition, sort)})",
    )
    what = f"entity {entity.name!r}"
    pk = _template(check, keys_map.get(partition), types, optional, what, key=True)
    sk = _template(check, keys_map.get(sort), types, optional, what, key=True) if sort else None
    pk_node = keys_map.get(partition)
    if pk is None or pk_node is None or (sort is not None and sk is None):
        return None
    sk_node = keys_map.get(sort) if sort else None
    layout.keys.setdefault(entity.name, {})[""] = (
        Placed(pk, pk_node, types),
        Placed(sk, sk_node, types) if sk is not None and sk_node is not None else None,
        keys_map,
    )
    return EntityKeys(pk, sk)


def _entity_indexes(
    check: Checker,
    entity: Entity,
    node: Node | None,
    types: dict[str, TypeRef],
    keys: EntityKeys | None,
    layout: Layout,
) -> list[EntityIndex]:
    if node is None:
        return []
    indexes_map = check.mapping(node, f"indexes of entity {entity.name!r}")
    if indexes_map is None:
        return []
    found: list[EntityIndex] = []
    used: dict[str, str] = {}
    rule = "must be 3-255 characters of a-z 0-9 _ starting with a letter (it names methods)"
    for name_node, body in check.named_entries(
        indexes_map, _is_index_name, rule, f"index of entity {entity.name!r}"
    ):
        name = name_node.text
        what = f"index {name!r} of entity {entity.name!r}"
        check.fields(body, ENTITY_INDEX_FIELDS, ("index",), what)
        physical_node = body.get("index")
        physical = check.name(physical_node, f"{what}: index") if physical_node else None
        if physical is None or physical_node is None:
            continue
        index = layout.indexes.get(physical)
        if index is None:
            check.error(
                physical_node,
                f"{what} fills {physical!r}, which is not an index of the table"
                + hint(physical, layout.indexes),
            )
            continue
        if physical in used:
            check.error(
                physical_node,
                f"{what} fills {physical!r}, which its index {used[physical]!r} fills already",
            )
            continue
        used[physical] = name
        partition_node, sort_node = body.get("partition"), body.get("sort")
        partition: Template | None
        if index.is_local:
            partition = keys.partition if keys is not None else None
            if partition_node is not None:
                given = check.text(partition_node, f"{what}: partition")
                if keys is not None and given is not None and given != keys.partition.text:
                    check.error(
                        partition_node,
                        f"{what}: {physical!r} is a local index, whose partition is the table's: "
                        f"omit `partition` or write {keys.partition.text!r}",
                    )
                    continue
        elif partition_node is None:
            check.error(
                body, f"{what} needs a `partition` template ({physical!r} is a global index)"
            )
            continue
        else:
            partition = _template(check, partition_node, types, set(), what, key=False)
        sort: Template | None = None
        if index.sort is None and sort_node is not None:
            check.error(sort_node, f"{what}: {physical!r} has no sort key; omit `sort`")
            continue
        if index.sort is not None:
            if sort_node is None:
                check.error(body, f"{what} needs a `sort` template ({physical!r} has a sort key)")
                continue
            sort = _template(check, sort_node, types, set(), what, key=False)
            if sort is None:
                continue
        if partition is None:
            continue
        pk_place = partition_node if partition_node is not None and not index.is_local else body
        layout.keys.setdefault(entity.name, {})[physical] = (
            Placed(partition, pk_place, types),
            Placed(sort, sort_node, types) if sort is not None and sort_node is not None else None,
            body,
        )
        found.append(EntityIndex(name, physical, partition, sort))
    return found


def _template(
    check: Checker,
    node: Node | None,
    types: dict[str, TypeRef],
    optional: set[str],
    what: str,
    *,
    key: bool,
) -> Template | None:
    """One template, parsed and its parts checked against the attributes (`types`); a table key
    template's parts may not be `optional`."""
    if node is None:
        return None
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        check.error(node, f'{what}: a key template must be text, as in "ORDER#{{order_no:08}}"')
        return None
    text = node.text
    if not check.storable(node, text, f"{what}: template"):
        return None
    template, errors = parse_template(text)
    for error in errors:
        check.error(node, f"{what}: template {text!r}, character {error.at}: {error.message}")
    if template is None:
        return None
    ok = True
    seen: set[str] = set()
    for index, piece in enumerate(template.pieces):
        if isinstance(piece, str):
            continue
        problem = _part_problem(template, index, piece, types, optional, seen, key=key)
        seen.add(piece.attribute)
        if problem:
            check.error(node, f"{what}: template {text!r}: {problem}")
            ok = False
    return template if ok else None


def _part_problem(
    template: Template,
    index: int,
    part: TemplatePart,
    types: dict[str, TypeRef],
    optional: set[str],
    seen: set[str],
    *,
    key: bool,
) -> str | None:
    name = part.attribute
    shown = "{" + name + (f":0{part.width}" if part.width is not None else "") + "}"
    if name not in types:
        return f"{shown} is not an attribute" + hint(name, types)
    if name in seen:
        return f"{shown} appears twice; a template names each attribute once"
    if name in RESERVED_KEY_NAMES:
        return (
            f"{shown}: template attributes become method parameters, and {name!r} is taken by "
            "one; rename the attribute (stored_as keeps the DynamoDB name)"
        )
    type_ref = types[name]
    kind = type_ref.kind
    if not kind.template_part:
        scalar = kind in kinds.SCALAR_KINDS
        why = "which has no text form whose order is its value's" if scalar else "not a scalar"
        return f"{shown} is a {type_ref}, {why}; template parts are {_TEMPLATE_KIND_NAMES}"
    if key and name in optional:
        return (
            f"{shown} is optional, but the table's key is always written; optional parts belong "
            "in index templates (a sparse index)"
        )
    if kind is kinds.INT and part.width is None:
        return f"{shown} is an int: give it a fixed width, as in {{{name}:08}}, so that string order is number order"
    if kind is not kinds.INT and part.width is not None:
        return f"{shown}: only int parts take a width ({name} is a {type_ref})"
    if kind is kinds.STRING and following(template, index) is None:
        return (
            f"{shown} is a string followed by another part: a string part must be followed by a "
            "literal separator character, or end the template"
        )
    return None


def read_collections(
    check: Checker, node: Node | None, entities: list[Entity], layout: Layout
) -> list[Collection]:
    """`collections:`: queries that read several entities of one partition, typed as their union."""
    if node is None:
        return []
    collections_map = check.mapping(node, "collections")
    if collections_map is None:
        return []
    by_name = {entity.name: entity for entity in entities}
    found: list[Collection] = []
    rule = "must be 3-255 characters of a-z 0-9 _ starting with a letter (it names methods)"
    for name_node, body in check.named_entries(collections_map, _is_index_name, rule, "collection"):
        name = name_node.text
        what = f"collection {name!r}"
        check.fields(body, COLLECTION_FIELDS, ("partition", "members"), what)
        index_node = body.get("index")
        physical: str | None = None
        if index_node is not None:
            index_name = check.name(index_node, f"{what}: index")
            if index_name is None:
                continue
            if index_name != TABLE:
                index = layout.indexes.get(index_name)
                if index is None:
                    check.error(
                        index_node,
                        f"{what}: {index_name!r} is not `table` nor an index of the table"
                        + hint(index_name, [TABLE, *layout.indexes]),
                    )
                    continue
                if index.is_local:
                    check.error(
                        index_node,
                        f"{what}: {index_name!r} is a local index, which shares the table's partitions: write `index: table`",
                    )
                    continue
                if index.projection != "all":
                    # Its items lack the entity attribute and the entities' attributes.
                    check.error(
                        index_node,
                        f"{what}: index {index_name!r} projects "
                        + ("keys_only" if index.projection == "keys_only" else "a list")
                        + ": a collection reads whole items, from the table or an index projecting `all`",
                    )
                    continue
                physical = index_name
        members_node = body.get("members")
        members_map = (
            check.mapping(members_node, f"members of {what}") if members_node is not None else None
        )
        partition_node = body.get("partition")
        if members_map is None or partition_node is None:
            continue
        members: list[CollectionMember] = []
        member_types: list[tuple[str, dict[str, TypeRef]]] = []
        for member_node, many_node in members_map.entries:
            member = member_node.text
            if member not in by_name:
                check.error(
                    member_node, f"{what}: {member!r} is not an entity" + hint(member, by_name)
                )
                continue
            if not (isinstance(many_node, Scalar) and many_node.value in ("one", "many")):
                check.error(many_node, f"{what}: member {member!r} must be `one` or `many`")
                continue
            if member in layout.broken:
                continue  # its keys were wrong, and reported
            if (physical or "") not in layout.keys.get(member, {}):
                where = f"index {physical!r}" if physical else "the table's key"
                check.error(
                    member_node,
                    f"{what}: {member} has no templates on {where}, so none of its items "
                    "lives in the collection's partitions",
                )
                continue
            members.append(CollectionMember(member, many_node.value == "many"))
            member_types.append((member, {a.name: a.type for a in by_name[member].attributes}))
        if not members_map.entries:
            check.error(members_map, f"{what} needs at least one member")
        if not members or len(members) != len(members_map.entries):
            continue
        template = _collection_template(check, partition_node, member_types, what)
        if template is None:
            continue
        fits = True
        for member, _ in member_types:
            own = layout.keys[member][physical or ""][0].template
            if own.pieces != template.pieces:
                check.error(
                    partition_node,
                    f"{what}: member {member}'s partition template {own.text!r} is not the "
                    f"collection's {template.text!r}, so its items cannot live in that partition",
                )
                fits = False
        if not fits:
            continue
        collection = Collection(name, physical, template, tuple(members))
        layout.collections.append(
            (collection, Placed(template, partition_node, member_types[0][1]), members_map)
        )
        found.append(collection)
    return found


def _collection_template(
    check: Checker, node: Node, member_types: list[tuple[str, dict[str, TypeRef]]], what: str
) -> Template | None:
    """The collection's partition template: its parts are attributes every member has, typed alike."""
    text = check.text(node, f"{what}: partition")
    parsed, _ = parse_template(text or "")
    if parsed is not None:
        first, types = member_types[0]
        problems = 0
        for attribute in parsed.attributes:
            missing = [member for member, others in member_types if attribute not in others]
            for member in missing:
                check.error(
                    node,
                    f"{what}: partition part {{{attribute}}} is not an attribute of member {member}",
                )
            typed = [
                (member, others[attribute])
                for member, others in member_types
                if attribute in others
            ]
            for member, type_ref in typed[1:]:
                if type_ref != typed[0][1]:
                    check.error(
                        node,
                        f"{what}: partition part {{{attribute}}} is a {typed[0][1]} in {typed[0][0]} "
                        f"but a {type_ref} in {member}; members must agree on its type",
                    )
                    problems += 1
            problems += len(missing)
        if problems:
            return None
    first, types = member_types[0]
    return _template(check, node, types, set(), what, key=False)
