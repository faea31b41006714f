"""Positioned nodes -> the frozen model, or every problem found (never only the first).

Each check reports at the node that is wrong, so `file:line:col` points at the culprit.
"""

from __future__ import annotations

import datetime
import decimal
import keyword
import math
import re
import uuid
from typing import Callable, Iterable, Literal

# The names the generator derives are checked with the generator's own naming rules.
from dynagen.naming import reserved_type_names, snake, table_class
from dynagen.spec.diagnostics import Diagnostic
from dynagen.spec.load import Map, Node, Scalar, Seq, load_spec
from dynagen.spec.model import (
    AUTO_KINDS,
    KEY_KINDS,
    SCALAR_KINDS,
    SET_ELEMENT_KINDS,
    Attribute,
    Billing,
    Default,
    Entity,
    EnumType,
    Index,
    Record,
    Table,
    TypeRef,
)

MAX_LOCAL_INDEXES = 5
MAX_GLOBAL_INDEXES = 20
MAX_PROJECTED_ATTRIBUTES = 100  # across all indexes of a table, as DynamoDB counts them
MAX_KEY_NAME_BYTES = 255
MAX_ATTRIBUTE_NAME_BYTES = 65535
MAX_MODULE_NAME = 100  # it names a file (and, by default, the DynamoDB table)
MAX_ATTRIBUTES = 500  # per entity or record: far beyond real use, and a build stays quick

TABLE_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,255}\Z")
MODULE_RE = re.compile(r"^[a-z][a-z0-9_]*\Z")
TYPE_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]*\Z")
ATTRIBUTE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\Z")
INDEX_RE = re.compile(r"^[a-z][a-z0-9_]{2,254}\Z")
STREAM_VIEWS = ("keys_only", "new_image", "old_image", "new_and_old_images")

# Names the generated module or its dataclasses use themselves; a spec cannot take them.
RESERVED_FIELD_NAMES = frozenset(
    {"dataclasses", "datetime", "decimal", "enum", "typing", "uuid", "list", "dict", "set", "str", "int",
     "float", "bool", "bytes", "object", "frozenset", "tuple", "self"}
)  # fmt: skip
# Keyword parameters of the generated table methods: key attribute names must not shadow them.
RESERVED_KEY_NAMES = frozenset(
    {"consistent_read", "condition", "expected_version", "add", "remove", "delete", "sort", "filter",
     "limit", "reverse", "cursor", "page_size", "segments", "attributes", "item", "items", "keys", "actions", "count"}
)  # fmt: skip
RESERVED_TYPE_NAMES = frozenset(
    {"AttributeValue", "Any", "Iterable", "Iterator", "Mapping", "Decimal"}
)

TOP_FIELDS = {
    "version",
    "table",
    "table_name",
    "description",
    "key",
    "billing",
    "stream",
    "types",
    "entities",
    "indexes",
}
ATTRIBUTE_FIELDS = {"type", "optional", "default", "stored_as", "description"}
INDEX_FIELDS = {"kind", "partition", "sort", "projection"}


def validate_files(paths: Iterable[str]) -> tuple[list[Table], list[Diagnostic]]:
    """Load and check every spec file; also checks what specs must not share (module names)."""
    tables: list[Table] = []
    diagnostics: list[Diagnostic] = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            diagnostics.append(Diagnostic(path, 1, 1, f"cannot read spec: {exc}"))
            continue
        table, found = validate_text(path, text)
        diagnostics.extend(found)
        if table is not None:
            tables.append(table)
    seen: dict[str, Table] = {}
    for table in tables:
        if table.module in seen:
            diagnostics.append(
                Diagnostic(
                    table.source,
                    1,
                    1,
                    f"table {table.module!r} is also defined in {seen[table.module].source}",
                )
            )
        seen.setdefault(table.module, table)
    return tables, sorted(diagnostics)


def validate_text(path: str, text: str) -> tuple[Table | None, list[Diagnostic]]:
    """Check one spec's text; the table is None whenever there is any diagnostic."""
    root, diagnostics = load_spec(path, text)
    if root is None or diagnostics:
        return None, diagnostics
    checker = _SpecChecker(path)
    table = checker.table(root)
    if checker.diagnostics:
        return None, sorted(checker.diagnostics)
    return table, []


class _SpecChecker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.records: dict[str, Record] = {}
        self.enums: dict[str, EnumType] = {}
        self.type_nodes: dict[str, Map] = {}
        self.broken: set[str] = (
            set()
        )  # attributes already reported: no cascade of "not an attribute"

    # ------------------------------------------------------------ helpers

    def error(self, node: Node | Scalar, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, node.line, node.col, message))

    def mapping(self, node: Node, what: str) -> Map | None:
        if isinstance(node, Map):
            return node
        self.error(node, f"{what} must be a mapping")
        return None

    def fields(self, node: Map, allowed: set[str], required: Iterable[str], what: str) -> None:
        for key, _ in node.entries:
            if key.text not in allowed:
                hint = _closest(key.text, allowed)
                self.error(
                    key,
                    f"unknown field {key.text!r} in {what}"
                    + (f" (did you mean {hint!r}?)" if hint else ""),
                )
        for name in required:
            if node.get(name) is None:
                self.error(node, f"{what} needs the field {name!r}")

    def text(self, node: Node | None, what: str, *, allow_empty: bool = False) -> str | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and isinstance(node.value, str) and (allow_empty or node.value):
            return node.value
        self.error(node, f"{what} must be a non-empty string")
        return None

    def name(self, node: Node | None, what: str) -> str | None:
        """An attribute named in a reference: `on`, `off`, `yes`, `no` are names here, not booleans."""
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.text
        return self.text(node, what)

    def flag(self, node: Node | None, what: str) -> bool:
        if node is None:
            return False
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.error(node, f"{what} must be true or false")
        return False

    def key_of(self, mapping: Map, name: str) -> Scalar:
        for key, _ in mapping.entries:
            if key.text == name:
                return key
        raise KeyError(name)

    # ------------------------------------------------------------ top level

    def table(self, root: Node) -> Table | None:
        top = self.mapping(root, "a spec")
        if top is None:
            return None
        self.fields(top, TOP_FIELDS, ("version", "table", "key", "entities"), "the spec")
        version = top.get("version")
        if version is not None and not (
            isinstance(version, Scalar) and version.value == 1 and version.text == "1"
        ):
            self.error(version, "unsupported spec version: only `version: 1` exists")
        module = self.module_name(top.get("table"))
        physical = module
        table_name_node = top.get("table_name")
        if table_name_node is not None:
            physical = self.text(table_name_node, "table_name")
            if physical is not None and not TABLE_NAME_RE.match(physical):
                self.error(
                    table_name_node,
                    f"table_name {physical!r}: DynamoDB table names are 3-255 characters of A-Z a-z 0-9 _ - .",
                )
        description = self.text(top.get("description"), "description")
        billing = self.billing(top.get("billing"))
        stream = self.stream(top.get("stream"))
        self.collect_types(top.get("types"))
        entities = self.entities(top.get("entities"))
        partition, sort = self.key(top.get("key"), entities)
        indexes = self.indexes(top.get("indexes"), entities, partition, sort)
        self.check_generated_names(top, module, entities)
        if (
            self.diagnostics
            or module is None
            or physical is None
            or partition is None
            or not entities
        ):
            return None
        return Table(
            source=self.path,
            module=module,
            physical_name=physical,
            partition=partition,
            sort=sort,
            entities=tuple(entities),
            description=description,
            billing=billing,
            stream=stream,
            records=tuple(self.records.values()),
            enums=tuple(self.enums.values()),
            indexes=tuple(indexes),
        )

    def module_name(self, node: Node | None) -> str | None:
        name = self.text(node, "table")
        if name is None or node is None:
            return None
        if not MODULE_RE.match(name) or keyword.iskeyword(name) or len(name) < 3:
            self.error(
                node,
                f"table {name!r} must be a lower-case Python module name of 3+ characters "
                "(letters, digits, _; it is also the default DynamoDB table name)",
            )
            return None
        if len(name) > MAX_MODULE_NAME:
            self.error(
                node, f"table name is {len(name)} characters long; at most {MAX_MODULE_NAME}"
            )
            return None
        return name

    def billing(self, node: Node | None) -> Billing:
        if node is None:
            return Billing()
        if isinstance(node, Scalar) and node.value == "on_demand":
            return Billing()
        if isinstance(node, Map):
            self.fields(node, {"read", "write"}, ("read", "write"), "billing")
            units = []
            for name in ("read", "write"):
                value = node.get(name)
                if value is None:
                    continue
                if isinstance(value, Scalar) and type(value.value) is int and value.value >= 1:
                    units.append(value.value)
                else:
                    self.error(
                        value, f"billing {name} capacity must be a whole number of at least 1"
                    )
            if len(units) == 2:
                return Billing("provisioned", units[0], units[1])
            return Billing()
        self.error(node, "billing must be `on_demand` or `{read: N, write: N}`")
        return Billing()

    def stream(self, node: Node | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and node.value in STREAM_VIEWS:
            return str(node.value)
        self.error(node, f"stream must be one of {', '.join(STREAM_VIEWS)}")
        return None

    # ------------------------------------------------------------ types

    def collect_types(self, node: Node | None) -> None:
        if node is None:
            return
        types = self.mapping(node, "types")
        if types is None:
            return
        for key, value in types.entries:
            if not TYPE_NAME_RE.match(key.text) or key.text in RESERVED_TYPE_NAMES:
                self.error(
                    key,
                    f"type name {key.text!r} must be PascalCase (A-Z first, then letters and digits) and not a reserved name",
                )
                continue
            body = self.mapping(value, f"type {key.text!r}")
            if body is None:
                continue
            has_enum, has_fields = body.get("enum") is not None, body.get("fields") is not None
            if has_enum == has_fields:
                self.error(
                    body,
                    f"type {key.text!r} needs exactly one of `enum: [...]` or `fields: {{...}}`",
                )
                continue
            self.type_nodes[key.text] = body
            if has_enum:
                self.fields(body, {"enum", "description"}, (), f"enum {key.text!r}")
                enum = self.enum(key.text, body)
                if enum is not None:
                    self.enums[key.text] = enum
        # Records may refer to each other: build them once every name is known.
        for name, body in self.type_nodes.items():
            if name in self.enums or body.get("fields") is None:
                continue
            self.fields(body, {"fields", "description"}, (), f"record {name!r}")
            fields_node = self.mapping(body.get("fields") or body, f"fields of record {name!r}")
            if fields_node is None:
                continue
            attributes = self.attributes(fields_node, f"record {name!r}", in_record=True)
            self.records[name] = Record(
                name, tuple(attributes), self.text(body.get("description"), "description")
            )
        self.check_record_cycles()

    def enum(self, name: str, body: Map) -> EnumType | None:
        values_node = body.get("enum")
        if not isinstance(values_node, Seq) or not values_node.items:
            self.error(values_node or body, f"enum {name!r} needs a non-empty list of values")
            return None
        values: list[str] = []
        members: dict[str, str] = {}
        for item in values_node.items:
            if not isinstance(item, Scalar) or item.value is None or item.text == "":
                self.error(item, f"enum {name!r}: values must be non-empty strings")
                continue
            value = item.text
            member = _member_name(value)
            if value in values:
                self.error(item, f"enum {name!r}: duplicate value {value!r}")
            elif member in members:
                self.error(
                    item,
                    f"enum {name!r}: values {members[member]!r} and {value!r} give the same member name {member}",
                )
            else:
                values.append(value)
                members[member] = value
        return EnumType(
            name, tuple(values), tuple(members), self.text(body.get("description"), "description")
        )

    def check_record_cycles(self) -> None:
        """A record that holds itself through required fields could never be built."""

        def required_refs(record: Record) -> list[str]:
            return [
                f.type.name
                for f in record.fields
                if f.kind == "record" and not f.optional and f.type.name
            ]

        for name in self.records:
            stack, seen = list(required_refs(self.records[name])), set()
            while stack:
                current = stack.pop()
                if current == name:
                    self.error(
                        self.type_nodes[name],
                        f"record {name!r} contains itself through required fields; make one optional or a list",
                    )
                    break
                if current in seen or current not in self.records:
                    continue
                seen.add(current)
                stack.extend(required_refs(self.records[current]))

    def parse_type(self, node: Node, text: str, *, in_record: bool) -> TypeRef | None:
        problem, parsed = _parse_type(text.replace(" ", ""), self.type_nodes, self.enums)
        if problem:
            self.error(node, f"type {text!r}: {problem}")
            return None
        assert parsed is not None
        if in_record and parsed.kind in AUTO_KINDS:
            self.error(node, f"type {text!r} is for top-level entity attributes, not record fields")
            return None
        return parsed

    # ------------------------------------------------------------ attributes

    def attributes(self, node: Map, what: str, *, in_record: bool = False) -> list[Attribute]:
        attributes: list[Attribute] = []
        stored: dict[str, Scalar] = {}
        if len(node.entries) > MAX_ATTRIBUTES:
            self.error(node, f"{what} has {len(node.entries)} attributes; at most {MAX_ATTRIBUTES}")
            return attributes
        for key, value in node.entries:
            attribute = self.attribute(key, value, what, in_record=in_record)
            if attribute is None:
                self.broken.add(key.text)
                continue
            if attribute.stored_as in stored:
                other = stored[attribute.stored_as]
                self.error(
                    key,
                    f"{what}: attribute {key.text!r} is stored as {attribute.stored_as!r}, like {other.text!r}",
                )
                continue
            stored[attribute.stored_as] = key
            attributes.append(attribute)
        return attributes

    def attribute(
        self, key: Scalar, value: Node, what: str, *, in_record: bool
    ) -> Attribute | None:
        name = key.text
        ok = True
        if not ATTRIBUTE_RE.match(name) or keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES:
            self.error(
                key,
                f"{what}: attribute name {name!r} must be a Python identifier (a letter first, no keyword, not one of the reserved names {', '.join(sorted(RESERVED_FIELD_NAMES))})",
            )
            ok = False
        options = Map((), value.line, value.col)
        if isinstance(value, Scalar):
            type_node: Node = value
        elif isinstance(value, Map):
            options = value
            self.fields(value, ATTRIBUTE_FIELDS, ("type",), f"attribute {name!r}")
            if value.get("type") is None:
                return None  # `fields` reported it
            type_node = value.get("type") or value
        else:
            self.error(value, f"attribute {name!r}: expected a type name or a mapping with `type:`")
            return None
        type_text = self.text(type_node, f"the type of attribute {name!r}")
        if type_text is None:
            return None
        type_ref = self.parse_type(type_node, type_text, in_record=in_record)
        optional = self.flag(options.get("optional"), f"optional of attribute {name!r}")
        stored_as = name
        stored_node = options.get("stored_as")
        if stored_node is not None:
            stored_text = self.text(stored_node, f"stored_as of attribute {name!r}")
            if stored_text is None:
                ok = False
            elif len(stored_text.encode("utf-8")) > MAX_ATTRIBUTE_NAME_BYTES:
                self.error(
                    stored_node, f"stored_as of attribute {name!r} is longer than DynamoDB allows"
                )
                ok = False
            else:
                stored_as = stored_text
        description = self.text(options.get("description"), f"description of attribute {name!r}")
        if type_ref is None:
            return None
        if (
            type_ref.kind in ("version", "created_at", "updated_at")
            and options.get("optional") is not None
        ):
            self.error(
                options.get("optional") or key,
                f"attribute {name!r}: a {type_ref.kind} attribute cannot be made optional (it is managed by dynagen)",
            )
            ok = False
        default = None
        default_node = options.get("default")
        if default_node is not None:
            default = self.default(default_node, name, type_ref, optional)
            ok = ok and default is not None
        if not ok:
            return None
        return Attribute(name, stored_as, type_ref, optional, default, description)

    def default(self, node: Node, name: str, type_ref: TypeRef, optional: bool) -> Default | None:
        what = f"default of attribute {name!r}"
        value = _plain(node)
        kind = type_ref.kind
        if value is None:
            if optional:
                return Default(None)
            self.error(node, f"{what}: null is only a default for optional attributes")
            return None
        if kind == "decimal" and isinstance(node, Scalar) and type(value) in (int, float):
            try:  # YAML read 1.10 as a float: keep the digits as written
                value = str(decimal.Decimal(node.text))
            except decimal.InvalidOperation:
                pass  # .nan, .inf, 0x1F: checked as the value YAML gave
        checker = _DEFAULT_CHECKS.get(kind)
        if kind == "enum":
            enum = self.enums.get(type_ref.name or "")
            if enum is not None and isinstance(node, Scalar) and node.text in enum.values:
                return Default(node.text)
            allowed = ", ".join(enum.values) if enum else "?"
            self.error(node, f"{what}: expected one of {allowed}")
            return None
        if kind in ("list", "map", "set"):
            empty: object = {} if kind == "map" else []
            if value == empty and type(value) is type(empty):
                return Default(value)
            self.error(
                node,
                f"{what}: a {kind} default can only be empty ({'{}' if kind == 'map' else '[]'})",
            )
            return None
        if kind == "json":
            if _is_json(value):
                return Default(value)
            self.error(node, f"{what}: not a JSON value")
            return None
        if checker is None:
            self.error(node, f"{what}: a {type_ref} attribute cannot have a default")
            return None
        problem, converted = checker(value)
        if problem:
            self.error(node, f"{what}: {problem}")
            return None
        return Default(converted)

    # ------------------------------------------------------------ entities, key, indexes

    def entities(self, node: Node | None) -> list[Entity]:
        if node is None:
            return []
        entities_node = self.mapping(node, "entities")
        if entities_node is None:
            return []
        if not entities_node.entries:
            self.error(entities_node, "entities needs at least one entity")
            return []
        if len(entities_node.entries) > 1:
            second = entities_node.entries[1][0]
            self.error(
                second,
                "several entities in one table (single-table design with `keys:` templates) "
                "are not supported by this version of dynagen; use one entity per spec",
            )
        entities = []
        for key, value in entities_node.entries[:1]:
            if not TYPE_NAME_RE.match(key.text) or key.text in RESERVED_TYPE_NAMES:
                self.error(
                    key,
                    f"entity name {key.text!r} must be PascalCase (A-Z first, then letters and digits)",
                )
                continue
            if key.text in self.type_nodes:
                self.error(key, f"entity {key.text!r} has the name of a type in `types:`")
                continue
            body = self.mapping(value, f"entity {key.text!r}")
            if body is None:
                continue
            self.fields(
                body, {"description", "attributes", "keys"}, ("attributes",), f"entity {key.text!r}"
            )
            keys = body.get("keys")
            if keys is not None:
                self.error(
                    keys,
                    "`keys:` templates are for several entities in one table, which this version does not support",
                )
            attributes_node = body.get("attributes")
            attributes_map = (
                self.mapping(attributes_node, f"attributes of {key.text!r}")
                if attributes_node
                else None
            )
            if attributes_map is None:
                continue
            if not attributes_map.entries:
                self.error(attributes_map, f"entity {key.text!r} needs at least one attribute")
                continue
            attributes = self.attributes(attributes_map, f"entity {key.text!r}")
            for kind in AUTO_KINDS:
                found = [a for a in attributes if a.kind == kind]
                for extra in found[1:]:
                    self.error(
                        self.key_of(attributes_map, extra.name),
                        f"entity {key.text!r} has more than one {kind} attribute ({found[0].name!r} and {extra.name!r})",
                    )
            entities.append(
                Entity(
                    key.text, tuple(attributes), self.text(body.get("description"), "description")
                )
            )
        return entities

    def key(self, node: Node | None, entities: list[Entity]) -> tuple[str | None, str | None]:
        if node is None:
            return None, None
        key = self.mapping(node, "key")
        if key is None:
            return None, None
        self.fields(key, {"partition", "sort"}, ("partition",), "key")
        partition = self.key_attribute(key.get("partition"), entities, "partition key")
        sort = self.key_attribute(key.get("sort"), entities, "sort key")
        if partition and sort and partition == sort:
            self.error(key.get("sort") or key, "the sort key must differ from the partition key")
        return partition, sort

    def key_attribute(
        self, node: Node | None, entities: list[Entity], role: str, *, may_be_optional: bool = False
    ) -> str | None:
        name = self.name(node, role)
        if name is None or node is None or not entities:
            return name
        entity = entities[0]
        try:
            attribute = entity.attribute(name)
        except KeyError:
            if name in self.broken:
                return None
            self.error(
                node,
                f"{role} {name!r} is not an attribute of {entity.name}"
                + _hint(name, [a.name for a in entity.attributes]),
            )
            return None
        if name in RESERVED_KEY_NAMES:
            self.error(
                node,
                f"{role} {name!r}: key attributes become method parameters, and {name!r} is taken by one; rename the attribute (stored_as keeps the DynamoDB name)",
            )
            return None
        if attribute.kind not in KEY_KINDS:
            self.error(
                node,
                f"{role} {name!r} has type {attribute.type}; key attributes must be one of {', '.join(sorted(KEY_KINDS))}",
            )
            return None
        if attribute.optional and not may_be_optional:
            self.error(
                node, f"{role} {name!r} is optional; table key attributes are always present"
            )
            return None
        if not may_be_optional and len(attribute.stored_as.encode("utf-8")) > MAX_KEY_NAME_BYTES:
            self.error(
                node, f"{role} {name!r}: key attribute names are at most {MAX_KEY_NAME_BYTES} bytes"
            )
            return None
        return name

    def indexes(
        self, node: Node | None, entities: list[Entity], partition: str | None, sort: str | None
    ) -> list[Index]:
        if node is None:
            return []
        indexes_node = self.mapping(node, "indexes")
        if indexes_node is None:
            return []
        indexes: list[Index] = []
        projected = 0
        for key, value in indexes_node.entries:
            name = key.text
            if not INDEX_RE.match(name) or keyword.iskeyword(name):
                self.error(
                    key,
                    f"index name {name!r} must be 3-255 characters of a-z 0-9 _ starting with a letter (it names Python methods and the DynamoDB index)",
                )
                continue
            body = self.mapping(value, f"index {name!r}")
            if body is None:
                continue
            self.fields(body, INDEX_FIELDS, (), f"index {name!r}")
            kind_node = body.get("kind")
            kind = "global"
            if kind_node is not None:
                if isinstance(kind_node, Scalar) and kind_node.value in ("global", "local"):
                    kind = str(kind_node.value)
                else:
                    self.error(kind_node, f"index {name!r}: kind must be `global` or `local`")
                    continue
            index_partition: str | None
            if kind == "local":
                if body.get("partition") is not None:
                    self.error(
                        body.get("partition") or body,
                        f"local index {name!r} uses the table's partition key: omit `partition`",
                    )
                if sort is None:
                    self.error(
                        kind_node or key, f"local index {name!r} needs a table with a sort key"
                    )
                index_partition = partition
                if body.get("sort") is None:
                    self.error(body, f"local index {name!r} needs a `sort` attribute")
            else:
                if body.get("partition") is None:
                    self.error(body, f"global index {name!r} needs a `partition` attribute")
                index_partition = self.key_attribute(
                    body.get("partition"),
                    entities,
                    f"index {name!r} partition key",
                    may_be_optional=True,
                )
            index_sort = self.key_attribute(
                body.get("sort"), entities, f"index {name!r} sort key", may_be_optional=True
            )
            if kind == "local" and index_sort is not None and index_sort == sort:
                self.error(
                    body.get("sort") or body,
                    f"local index {name!r} sorts by the table's own sort key",
                )
            if index_partition is not None and index_partition == index_sort:
                self.error(
                    body.get("sort") or body,
                    f"index {name!r}: the sort key must differ from the partition key",
                )
            projection = self.projection(
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
            indexes.append(
                Index(
                    name,
                    "local" if kind == "local" else "global",
                    index_partition,
                    index_sort,
                    projection,
                )
            )
        local = [index for index in indexes if index.kind == "local"]
        if len(local) > MAX_LOCAL_INDEXES:
            self.error(
                indexes_node,
                f"{len(local)} local indexes: DynamoDB allows at most {MAX_LOCAL_INDEXES}",
            )
        if len(indexes) - len(local) > MAX_GLOBAL_INDEXES:
            self.error(
                indexes_node,
                f"{len(indexes) - len(local)} global indexes: DynamoDB allows at most {MAX_GLOBAL_INDEXES}",
            )
        if projected > MAX_PROJECTED_ATTRIBUTES:
            self.error(
                indexes_node,
                f"{projected} projected attributes across indexes: DynamoDB allows at most {MAX_PROJECTED_ATTRIBUTES}",
            )
        return indexes

    def projection(
        self, node: Node | None, index: str, entities: list[Entity], keys: set[str | None]
    ) -> Literal["all", "keys_only"] | tuple[str, ...] | None:
        if node is None or (isinstance(node, Scalar) and node.value == "all"):
            return "all"
        if isinstance(node, Scalar) and node.value == "keys_only":
            return "keys_only"
        if not isinstance(node, Seq) or not node.items:
            self.error(
                node,
                f"index {index!r}: projection must be `all`, `keys_only` or a non-empty list of attributes",
            )
            return None
        names: list[str] = []
        known = [a.name for a in entities[0].attributes] if entities else []
        for item in node.items:
            name = self.name(item, "projected attribute")
            if name is None:
                continue
            if entities and name not in known and name not in self.broken:
                self.error(
                    item,
                    f"index {index!r} projects {name!r}, which is not an attribute"
                    + _hint(name, known),
                )
            elif name in keys:
                self.error(
                    item,
                    f"index {index!r}: {name!r} is a key attribute, projected always; leave it out of the list",
                )
            elif name in names:
                self.error(item, f"index {index!r} projects {name!r} twice")
            else:
                names.append(name)
        return tuple(names)

    def check_generated_names(self, top: Map, module: str | None, entities: list[Entity]) -> None:
        """Names the generator derives (dynagen.naming) must not collide with user-defined types."""
        if module is None:
            return
        indexes = top.get("indexes")
        index_names = [key.text for key, _ in indexes.entries] if isinstance(indexes, Map) else []
        types_node = top.get("types")
        records = (
            [
                key.text
                for key, body in types_node.entries
                if isinstance(body, Map) and body.get("fields") is not None
            ]
            if isinstance(types_node, Map)
            else []
        )
        derived = reserved_type_names(module, [e.name for e in entities], records, index_names)
        entities_node = top.get("entities")
        if isinstance(entities_node, Map):
            for key, _ in entities_node.entries[:1]:
                if key.text == table_class(module):
                    self.error(key, f"entity name {key.text!r} is taken by the table class")
        if not isinstance(types_node, Map):
            return
        snake_names: dict[str, str] = {snake(entity.name): entity.name for entity in entities}
        for key, _ in types_node.entries:
            if key.text in derived:
                self.error(key, f"type name {key.text!r} is taken by {derived[key.text]}")
            elif snake(key.text) in snake_names:
                self.error(
                    key,
                    f"types {snake_names[snake(key.text)]!r} and {key.text!r} both give "
                    f"functions named _marshal_{snake(key.text)}; rename one",
                )
            snake_names.setdefault(snake(key.text), key.text)


# ---------------------------------------------------------------- pure helpers


def _parse_type(
    text: str, named: dict[str, Map], enums: dict[str, EnumType]
) -> tuple[str | None, TypeRef | None]:
    """Parse `list<map<int>>`-style type text; returns (problem, type)."""
    for kind in ("list", "map", "set"):
        if text.startswith(kind + "<"):
            if not text.endswith(">"):
                return f"missing '>' after {kind}<", None
            problem, element = _parse_type(text[len(kind) + 1 : -1], named, enums)
            if problem or element is None:
                return problem, None
            if element.kind in AUTO_KINDS:
                return f"{element.kind} cannot be an element type", None
            if kind == "set" and element.kind not in SET_ELEMENT_KINDS:
                return f"sets hold string, int, decimal or bytes, not {element}", None
            if kind != "set" and element.is_set:
                return (
                    "sets cannot be nested in a list or map (DynamoDB cannot store an empty set there)",
                    None,
                )
            return None, TypeRef(kind, element)
    if text in SCALAR_KINDS or text in AUTO_KINDS:
        return None, TypeRef(text)
    if text in enums:
        return None, TypeRef("enum", name=text)
    if text in named:
        return None, TypeRef("record", name=text)
    known = sorted(SCALAR_KINDS | AUTO_KINDS | set(named))
    return "unknown type" + _hint(text, known), None


def _plain(node: Node) -> object:
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [_plain(item) for item in node.items]
    return {key.text: _plain(value) for key, value in node.entries}


def _is_json(value: object) -> bool:
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_json(item) for key, item in value.items())
    return False


def _check_string(value: object) -> tuple[str | None, object]:
    return (None, value) if isinstance(value, str) else ("expected a string", None)


def _check_int(value: object) -> tuple[str | None, object]:
    return (None, value) if type(value) is int else ("expected a whole number", None)


def _check_float(value: object) -> tuple[str | None, object]:
    if type(value) in (int, float):
        try:
            number = float(value)  # type: ignore[arg-type]
        except OverflowError:  # an int beyond 1.8e308
            return "expected a finite number", None
        if math.isfinite(number):
            return None, number
    return "expected a finite number", None


def _check_decimal(value: object) -> tuple[str | None, object]:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return "expected a number", None
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return f"{value!r} is not a number", None
    if not number.is_finite():
        return "expected a finite number", None
    if len(number.as_tuple().digits) > 38:
        return "more than 38 significant digits", None
    if number and not decimal.Decimal("1E-130") <= abs(number) < decimal.Decimal("1E+126"):
        return "outside DynamoDB's number range (1E-130 to 9.99...E+125)", None
    return None, str(number)


def _check_bool(value: object) -> tuple[str | None, object]:
    return (None, value) if isinstance(value, bool) else ("expected true or false", None)


def _check_date(value: object) -> tuple[str | None, object]:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return None, value.isoformat()
    if isinstance(value, str):
        try:
            return None, datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    return "expected a date like 2024-01-31", None


def _check_uuid(value: object) -> tuple[str | None, object]:
    try:
        return None, str(uuid.UUID(str(value)))
    except ValueError:
        return "expected a UUID", None


_DEFAULT_CHECKS: dict[str, Callable[[object], tuple[str | None, object]]] = {
    "string": _check_string,
    "int": _check_int,
    "float": _check_float,
    "decimal": _check_decimal,
    "bool": _check_bool,
    "date": _check_date,
    "uuid": _check_uuid,
}


def _member_name(value: str) -> str:
    """An enum value as an UPPER_SNAKE member name: `in-progress` -> IN_PROGRESS, `1st` -> V_1ST."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper() or "VALUE"
    if name[0].isdigit():
        name = "V_" + name
    if keyword.iskeyword(name):
        name += "_"
    return name


def _closest(name: str, options: Iterable[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.7)
    return matches[0] if matches else None


def _hint(name: str, options: Iterable[str]) -> str:
    match = _closest(name, options)
    return f" (did you mean {match!r}?)" if match else ""
