"""The table itself: its names, billing, stream, key, and secondary indexes with their projections.

The limits are DynamoDB's own, so a spec that passes here is a CreateTable that DynamoDB accepts.
"""

from __future__ import annotations

import keyword
import re
from typing import Literal

from dynagen.limits import MAX_KEY_NAME_BYTES, TABLE_NAME_RULE, is_table_name
from dynagen.naming import entity_names
from dynagen.spec import kinds
from dynagen.spec.check.nodes import Checker, hint
from dynagen.spec.load import Map, Node, Scalar, Seq
from dynagen.spec.model import Billing, Entity, Index

MAX_MODULE_NAME = 100  # it names a file (and, by default, the DynamoDB table)
MAX_LOCAL_INDEXES = 5
MAX_GLOBAL_INDEXES = 20
# Key attribute names: "Secondary index partition key names", "Secondary index sort key names"
# and table key names are at most 255 long (DynamoDB Developer Guide, "Supported data types and
# naming rules"); we count UTF-8 bytes, the stricter reading.
# Projection.NonKeyAttributes (DynamoDB API Reference, "Projection"): "Array Members: ...
# Maximum number of 20 items", each name of "Maximum length of 255"; and "the total count of
# NonKeyAttributes summed across all of the secondary indexes, must not exceed 100. If you project
# the same attribute into two different indexes, this counts as two distinct attributes".
MAX_PROJECTED_PER_INDEX = 20
MAX_PROJECTED_ATTRIBUTES = 100  # across all local and global indexes of a table
MAX_PROJECTED_NAME_BYTES = 255

MODULE_RE = re.compile(r"^[a-z][a-z0-9_]*\Z")
INDEX_RE = re.compile(r"^[a-z][a-z0-9_]{2,254}\Z")
INDEX_RULE = (
    "must be 3-255 characters of a-z 0-9 _ starting with a letter "
    "(it names Python methods and the DynamoDB index)"
)


def _is_index_name(name: str) -> bool:
    return INDEX_RE.match(name) is not None and not keyword.iskeyword(name)


STREAM_VIEWS = ("keys_only", "new_image", "old_image", "new_and_old_images")
INDEX_FIELDS = {"kind", "partition", "sort", "projection", "index_name"}
# DynamoDB's own rule for index names (IndexName): 3-255 of A-Z a-z 0-9 _ - .
PHYSICAL_INDEX_RE = re.compile(r"^[A-Za-z0-9_.-]{3,255}\Z")
# Keyword parameters of the generated table methods: key attribute names must not shadow them.
RESERVED_KEY_NAMES = frozenset(
    {"consistent_read", "condition", "expected_version", "add", "remove", "delete", "sort", "filter",
     "limit", "reverse", "cursor", "page_size", "segments", "attributes", "item", "items", "keys", "actions", "count"}
)  # fmt: skip


def check_version(check: Checker, node: Node | None) -> None:
    if node is not None and not (isinstance(node, Scalar) and node.value == 1 and node.text == "1"):
        check.error(node, "unsupported spec version: only `version: 1` exists")


def module_name(check: Checker, node: Node | None) -> str | None:
    """The spec's `table`: the generated module's name and the default DynamoDB table name."""
    name = check.text(node, "table")
    if name is None or node is None:
        return None
    if not MODULE_RE.match(name) or keyword.iskeyword(name) or len(name) < 3:
        check.error(
            node,
            f"table {name!r} must be a lower-case Python module name of 3+ characters "
            "(letters, digits, _; it is also the default DynamoDB table name)",
        )
        return None
    if len(name) > MAX_MODULE_NAME:
        check.error(node, f"table name is {len(name)} characters long; at most {MAX_MODULE_NAME}")
        return None
    return name


def physical_name(check: Checker, node: Node | None, module: str | None) -> str | None:
    """`table_name` when given (DynamoDB's naming rules), else the module name."""
    if node is None:
        return module
    name = check.text(node, "table_name")
    if name is not None and not is_table_name(name):
        check.error(node, f"table_name {name!r}: {TABLE_NAME_RULE}")
    return name


def billing(check: Checker, node: Node | None) -> Billing:
    if node is None:
        return Billing()
    if isinstance(node, Scalar) and node.value == "on_demand":
        return Billing()
    if isinstance(node, Map):
        check.fields(node, {"read", "write"}, ("read", "write"), "billing")
        units = []
        for name in ("read", "write"):
            value = node.get(name)
            if value is None:
                continue
            if isinstance(value, Scalar) and type(value.value) is int and value.value >= 1:
                units.append(value.value)
            else:
                check.error(value, f"billing {name} capacity must be a whole number of at least 1")
        if len(units) == 2:
            return Billing("provisioned", units[0], units[1])
        return Billing()
    check.error(node, "billing must be `on_demand` or `{read: N, write: N}`")
    return Billing()


def stream(check: Checker, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Scalar) and node.value in STREAM_VIEWS:
        return str(node.value)
    check.error(node, f"stream must be one of {', '.join(STREAM_VIEWS)}")
    return None


def key(
    check: Checker, node: Node | None, entities: list[Entity], *, templated: bool = False
) -> tuple[str | None, str | None]:
    """The table's (partition, sort) attribute names, each None where missing or wrong; for a
    templated table (SPEC.md section 4) they are physical attributes that no entity declares."""
    if node is None:
        return None, None
    key_node = check.mapping(node, "key")
    if key_node is None:
        return None, None
    check.fields(key_node, {"partition", "sort"}, ("partition",), "key")
    partition = _key_attribute(
        check, key_node.get("partition"), entities, "partition key", templated=templated
    )
    sort = _key_attribute(check, key_node.get("sort"), entities, "sort key", templated=templated)
    if partition and sort and partition == sort:
        check.error(
            key_node.get("sort") or key_node, "the sort key must differ from the partition key"
        )
    return partition, sort


PHYSICAL_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*\Z")
PHYSICAL_RULE = (
    "must be letters, digits, _ . - (a DynamoDB attribute name) starting with a letter or _"
)


def physical_attribute(check: Checker, node: Node | None, role: str) -> str | None:
    """A key attribute of a templated table: a string attribute of its own, filled by templates."""
    name = check.name(node, role)
    if name is None or node is None:
        return None
    if not PHYSICAL_RE.match(name) or len(name.encode("utf-8")) > MAX_KEY_NAME_BYTES:
        check.error(node, f"{role} {name!r} {PHYSICAL_RULE}, at most {MAX_KEY_NAME_BYTES} bytes")
        return None
    return name


def _key_attribute(
    check: Checker,
    node: Node | None,
    entities: list[Entity],
    role: str,
    *,
    templated: bool,
    may_be_optional: bool = False,
) -> str | None:
    """A key attribute of the table (always present) or of an index (may be optional: sparse);
    in a templated table, a physical attribute of its own."""
    if templated:
        return physical_attribute(check, node, role)
    name = check.name(node, role)
    if name is None or node is None or not entities:
        return name
    entity = entities[0]
    try:
        attribute = entity.attribute(name)
    except KeyError:
        if name in check.broken:
            return None
        check.error(
            node,
            f"{role} {name!r} is not an attribute of {entity.name}"
            + hint(name, [a.name for a in entity.attributes]),
        )
        return None
    if name in RESERVED_KEY_NAMES:
        check.error(
            node,
            f"{role} {name!r}: key attributes become method parameters, and {name!r} is taken by one; rename the attribute (stored_as keeps the DynamoDB name)",
        )
        return None
    functions = entity_names(entity.name).functions()
    if name in functions:
        check.error(
            node,
            f"{role} {name!r}: key attributes become method parameters, and one named "
            f"{name!r} would hide {functions[name]} {name}() inside them; rename the attribute "
            "(stored_as keeps the DynamoDB name)",
        )
        return None
    if not attribute.kind.key:
        key_kinds = sorted(kind.name for kind in kinds.KEY_KINDS)
        check.error(
            node,
            f"{role} {name!r} has type {attribute.type}; key attributes must be one of {', '.join(key_kinds)}",
        )
        return None
    if attribute.optional and not may_be_optional:
        check.error(node, f"{role} {name!r} is optional; table key attributes are always present")
        return None
    if len(attribute.stored_as.encode("utf-8")) > MAX_KEY_NAME_BYTES:
        check.error(
            node, f"{role} {name!r}: key attribute names are at most {MAX_KEY_NAME_BYTES} bytes"
        )
        return None
    return name


def _physical_index_name(
    check: Checker, node: Node | None, name_node: Scalar, earlier: list[Index]
) -> str | None:
    """`index_name:`, the DynamoDB name of an index that exists already (`PostedBy-Message-Index`);
    the spec key stays the method name. Two indexes cannot share a DynamoDB name."""
    name = name_node.text
    index_name = None if node is None else check.text(node, f"index {name!r}: index_name")
    if index_name is not None and not PHYSICAL_INDEX_RE.match(index_name):
        check.error(
            node or name_node,
            f"index {name!r}: index_name {index_name!r} is not a DynamoDB index name "
            "(3-255 characters of A-Z a-z 0-9 _ - .)",
        )
        return None
    physical = index_name or name
    for other in earlier:
        if other.physical_name == physical:
            check.error(
                node or name_node,
                f"index {name!r}: the DynamoDB index name {physical!r} is index {other.name!r}'s too",
            )
    return index_name


def indexes(
    check: Checker,
    node: Node | None,
    entities: list[Entity],
    partition: str | None,
    sort: str | None,
    *,
    templated: bool = False,
) -> list[Index]:
    """The secondary indexes, within DynamoDB's limits on their number and their projections;
    a templated table's index keys are physical attributes, as its own key is."""
    if node is None:
        return []
    indexes_node = check.mapping(node, "indexes")
    if indexes_node is None:
        return []
    found: list[Index] = []
    projected = 0
    for name_node, body in check.named_entries(indexes_node, _is_index_name, INDEX_RULE, "index"):
        name = name_node.text
        check.fields(body, INDEX_FIELDS, (), f"index {name!r}")
        kind_node = body.get("kind")
        local = False
        if kind_node is not None:
            if isinstance(kind_node, Scalar) and kind_node.value in ("global", "local"):
                local = kind_node.value == "local"
            else:
                check.error(kind_node, f"index {name!r}: kind must be `global` or `local`")
                continue
        index_partition: str | None
        if local:
            if body.get("partition") is not None:
                check.error(
                    body.get("partition") or body,
                    f"local index {name!r} uses the table's partition key: omit `partition`",
                )
            if sort is None:
                check.error(
                    kind_node or name_node, f"local index {name!r} needs a table with a sort key"
                )
            index_partition = partition
            if body.get("sort") is None:
                check.error(body, f"local index {name!r} needs a `sort` attribute")
        else:
            if body.get("partition") is None:
                check.error(body, f"global index {name!r} needs a `partition` attribute")
            index_partition = _key_attribute(
                check,
                body.get("partition"),
                entities,
                f"index {name!r} partition key",
                templated=templated,
                may_be_optional=True,
            )
        index_sort = _key_attribute(
            check,
            body.get("sort"),
            entities,
            f"index {name!r} sort key",
            templated=templated,
            may_be_optional=True,
        )
        if local and index_sort is not None and index_sort == sort:
            check.error(
                body.get("sort") or body,
                f"local index {name!r} sorts by the table's own sort key",
            )
        if index_partition is not None and index_partition == index_sort:
            check.error(
                body.get("sort") or body,
                f"index {name!r}: the sort key must differ from the partition key",
            )
        projection = _projection(
            check,
            body.get("projection"),
            name,
            entities,
            {partition, sort, index_partition, index_sort},
        )
        if (
            projection is None
            or index_partition is None
            or (body.get("sort") is not None and index_sort is None)
        ):
            continue
        if isinstance(projection, tuple):
            projected += len(projection)
        index_name = _physical_index_name(check, body.get("index_name"), name_node, found)
        found.append(Index(name, local, index_partition, index_sort, projection, index_name))
    local_count = sum(1 for index in found if index.is_local)
    if local_count > MAX_LOCAL_INDEXES:
        check.error(
            indexes_node,
            f"{local_count} local indexes: DynamoDB allows at most {MAX_LOCAL_INDEXES}",
        )
    if len(found) - local_count > MAX_GLOBAL_INDEXES:
        check.error(
            indexes_node,
            f"{len(found) - local_count} global indexes: DynamoDB allows at most {MAX_GLOBAL_INDEXES}",
        )
    if projected > MAX_PROJECTED_ATTRIBUTES:
        check.error(
            indexes_node,
            f"{projected} projected attributes across indexes: DynamoDB allows at most {MAX_PROJECTED_ATTRIBUTES}",
        )
    return found


def _projection(
    check: Checker, node: Node | None, index: str, entities: list[Entity], keys: set[str | None]
) -> Literal["all", "keys_only"] | tuple[str, ...] | None:
    """`all`, `keys_only`, or the non-key attributes an INCLUDE projection names."""
    if node is None or (isinstance(node, Scalar) and node.value == "all"):
        return "all"
    if isinstance(node, Scalar) and node.value == "keys_only":
        return "keys_only"
    if not isinstance(node, Seq) or not node.items:
        check.error(
            node,
            f"index {index!r}: projection must be `all`, `keys_only` or a non-empty list of attributes",
        )
        return None
    names: list[str] = []
    attributes = {a.name: a for entity in entities for a in entity.attributes}
    known = list(attributes)
    for item in node.items:
        name = check.name(item, "projected attribute")
        if name is None:
            continue
        if entities and name not in attributes and name not in check.broken:
            check.error(
                item,
                f"index {index!r} projects {name!r}, which is not an attribute" + hint(name, known),
            )
        elif name in keys:
            check.error(
                item,
                f"index {index!r}: {name!r} is a key attribute, projected always; leave it out of the list",
            )
        elif name in names:
            check.error(item, f"index {index!r} projects {name!r} twice")
        elif (
            name in attributes
            and len(attributes[name].stored_as.encode("utf-8")) > MAX_PROJECTED_NAME_BYTES
        ):
            check.error(
                item,
                f"index {index!r} projects {name!r}: projected attribute names are at most "
                f"{MAX_PROJECTED_NAME_BYTES} bytes",
            )
        else:
            names.append(name)
    if len(names) > MAX_PROJECTED_PER_INDEX:
        check.error(
            node,
            f"index {index!r} projects {len(names)} attributes: "
            f"DynamoDB allows at most {MAX_PROJECTED_PER_INDEX} per index",
        )
    return tuple(names)
