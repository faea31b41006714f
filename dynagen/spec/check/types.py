"""The `types:` section and type text: enums, records, record cycles, and `list<map<int>>` parsing.

Which kinds exist, and what each may hold, comes from the registry in `dynagen.spec.kinds`.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Callable

from dynagen.limits import MAX_NESTED_CONTAINERS
from dynagen.spec import kinds
from dynagen.spec.check.nodes import Checker, hint
from dynagen.spec.load import Map, Node, Scalar, Seq
from dynagen.spec.model import Attribute, EnumType, Record, TypeRef

TYPE_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9]*\Z")
TYPE_NAME_RULE = "must be PascalCase (A-Z first, then letters and digits) and not a reserved name"
# Names the generated module imports or uses itself; a spec type cannot take them.
RESERVED_TYPE_NAMES = frozenset(
    {"AttributeValue", "Any", "Iterable", "Iterator", "Mapping", "Decimal"}
)


def is_type_name(name: str) -> bool:
    """Names of types and entities: they become Python classes."""
    return TYPE_NAME_RE.match(name) is not None and name not in RESERVED_TYPE_NAMES


@dataclass
class TypeScope:
    """The named types of one spec: their nodes (for positions), and the enums and records built."""

    nodes: dict[str, Map] = field(default_factory=dict)
    enums: dict[str, EnumType] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)


# Reads a record's fields (the attribute rules, which live in check.attributes).
FieldReader = Callable[[Checker, TypeScope, Map, str], list[Attribute]]


def collect_types(check: Checker, node: Node | None, read_fields: FieldReader) -> TypeScope:
    """Every type of `types:`; records are built once every name is known, as they may nest."""
    scope = TypeScope()
    if node is None:
        return scope
    types = check.mapping(node, "types")
    if types is None:
        return scope
    for key, body in check.named_entries(types, is_type_name, TYPE_NAME_RULE, "type"):
        has_enum, has_fields = body.get("enum") is not None, body.get("fields") is not None
        if has_enum == has_fields:
            check.error(
                body,
                f"type {key.text!r} needs exactly one of `enum: [...]` or `fields: {{...}}`",
            )
            continue
        scope.nodes[key.text] = body
        if has_enum:
            check.fields(body, {"enum", "description"}, (), f"enum {key.text!r}")
            enum = _enum(check, key.text, body)
            if enum is not None:
                scope.enums[key.text] = enum
    for name, body in scope.nodes.items():
        if name in scope.enums or body.get("fields") is None:
            continue
        check.fields(body, {"fields", "description"}, (), f"record {name!r}")
        fields_node = check.mapping(body.get("fields") or body, f"fields of record {name!r}")
        if fields_node is None:
            continue
        attributes = read_fields(check, scope, fields_node, f"record {name!r}")
        scope.records[name] = Record(
            name,
            tuple(attributes),
            check.prose(body.get("description"), f"description of record {name!r}"),
        )
    _check_record_cycles(check, scope)
    return scope


def _enum(check: Checker, name: str, body: Map) -> EnumType | None:
    values_node = body.get("enum")
    if not isinstance(values_node, Seq) or not values_node.items:
        check.error(values_node or body, f"enum {name!r} needs a non-empty list of values")
        return None
    values: list[str] = []
    members: dict[str, str] = {}
    for item in values_node.items:
        if not isinstance(item, Scalar) or item.value is None or item.text == "":
            check.error(item, f"enum {name!r}: values must be non-empty strings")
            continue
        value = item.text
        member = member_name(value)
        if not check.storable(item, value, f"enum {name!r}: value {value!r}"):
            continue
        if value in values:
            check.error(item, f"enum {name!r}: duplicate value {value!r}")
        elif member in members:
            check.error(
                item,
                f"enum {name!r}: values {members[member]!r} and {value!r} give the same member name {member}",
            )
        else:
            values.append(value)
            members[member] = value
    return EnumType(
        name,
        tuple(values),
        tuple(members),
        check.prose(body.get("description"), f"description of enum {name!r}"),
    )


def member_name(value: str) -> str:
    """An enum value as an UPPER_SNAKE member name: `in-progress` -> IN_PROGRESS, `1st` -> V_1ST."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper() or "VALUE"
    if name[0].isdigit():
        name = "V_" + name
    if keyword.iskeyword(name):
        name += "_"
    return name


def _check_record_cycles(check: Checker, scope: TypeScope) -> None:
    """A record that holds itself through required fields could never be built."""

    def required_refs(record: Record) -> list[str]:
        return [
            f.type.name
            for f in record.fields
            if f.kind is kinds.RECORD and not f.optional and f.type.name
        ]

    for name in scope.records:
        stack, seen = list(required_refs(scope.records[name])), set()
        while stack:
            current = stack.pop()
            if current == name:
                check.error(
                    scope.nodes[name],
                    f"record {name!r} contains itself through required fields; make one optional or a list",
                )
                break
            if current in seen or current not in scope.records:
                continue
            seen.add(current)
            stack.extend(required_refs(scope.records[current]))


def parse_type(
    check: Checker, scope: TypeScope, node: Node, text: str, *, in_record: bool
) -> TypeRef | None:
    """The type written at `node`, or None after reporting why it is not one."""
    problem, parsed = parse_type_text(text.replace(" ", ""), scope.nodes, scope.enums)
    if problem:
        check.error(node, f"type {text!r}: {problem}")
        return None
    assert parsed is not None
    if _containers(parsed) > MAX_NESTED_CONTAINERS:
        check.error(
            node,
            f"type {text!r} nests lists and maps {_containers(parsed)} deep; DynamoDB stores "
            f"at most {MAX_NESTED_CONTAINERS} (32 levels, the last holding plain values)",
        )
        return None
    if in_record and parsed.kind.top_level_only:
        check.error(node, f"type {text!r} is for top-level entity attributes, not record fields")
        return None
    return parsed


def _containers(t: TypeRef) -> int:
    """How many lists and maps deep a value of `t` goes (sets hold plain values)."""
    if t.element is None or t.is_set:
        return 0
    return 1 + _containers(t.element)


def parse_type_text(
    text: str, named: dict[str, Map], enums: dict[str, EnumType]
) -> tuple[str | None, TypeRef | None]:
    """Parse `list<map<int>>`-style type text; returns (problem, type)."""
    for container in (kind for kind in kinds.KINDS.values() if kind.container):
        if text.startswith(container.name + "<"):
            if not text.endswith(">"):
                return f"missing '>' after {container.name}<", None
            problem, element = parse_type_text(text[len(container.name) + 1 : -1], named, enums)
            if problem or element is None:
                return problem, None
            if element.kind.top_level_only:
                return f"{element.kind} cannot be an element type", None
            if container is kinds.SET and not element.kind.set_element:
                return f"sets hold {_set_elements()}, not {element}", None
            if container is not kinds.SET and element.is_set:
                return (
                    "sets cannot be nested in a list or map (DynamoDB cannot store an empty set there)",
                    None,
                )
            return None, TypeRef(container, element)
    kind = kinds.KINDS.get(text)
    if kind is not None and kind.standalone:
        return None, TypeRef(kind)
    if text in enums:
        return None, TypeRef(kinds.ENUM, name=text)
    if text in named:
        return None, TypeRef(kinds.RECORD, name=text)
    known = sorted([kind.name for kind in kinds.KINDS.values() if kind.standalone] + list(named))
    return "unknown type" + hint(text, known), None


def _set_elements() -> str:
    """`string, int, decimal or bytes`: the kinds a set may hold, in registry order."""
    names = [kind.name for kind in kinds.KINDS.values() if kind.set_element]
    return ", ".join(names[:-1]) + " or " + names[-1]
