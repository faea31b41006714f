"""Entities and their attributes (names, types, options) and defaults, for entities and records.

A default is checked by its kind's own check (`dynagen.spec.kinds`), which also gives the typed
value the model keeps.
"""

from __future__ import annotations

import dataclasses
import keyword
import re

from dynagen.spec import kinds
from dynagen.spec.check.nodes import Checker, key_of, plain
from dynagen.spec.check.types import (
    TYPE_NAME_RULE,
    is_type_name,
    TypeScope,
    parse_type,
)
from dynagen.spec.load import Map, Node, Scalar
from dynagen.spec.model import Attribute, Default, Entity, TypeRef

MAX_ATTRIBUTE_NAME_BYTES = 65535
MAX_ATTRIBUTES = 500  # per entity or record: far beyond real use, and a build stays quick

ATTRIBUTE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\Z")
ATTRIBUTE_FIELDS = {"type", "optional", "default", "stored_as", "description", "format"}
# Names the generated module or its dataclasses use themselves; a spec cannot take them.
RESERVED_FIELD_NAMES = frozenset(
    {"dataclasses", "datetime", "decimal", "enum", "typing", "uuid", "list", "dict", "set", "str", "int",
     "float", "bool", "bytes", "object", "frozenset", "tuple", "self"}
)  # fmt: skip


def read_entities(
    check: Checker, scope: TypeScope, node: Node | None, *, templated: bool = False
) -> list[Entity]:
    """The entities; several (or `keys:` under one) only in a templated table (SPEC.md section 4),
    whose `keys:` and `indexes:` templates `check.single_table` reads."""
    if node is None:
        return []
    entities_node = check.mapping(node, "entities")
    if entities_node is None:
        return []
    if not entities_node.entries:
        check.error(entities_node, "entities needs at least one entity")
        return []
    entities = []
    allowed = {"description", "attributes"} | ({"keys", "indexes"} if templated else set())
    for key, body in check.named_entries(entities_node, is_type_name, TYPE_NAME_RULE, "entity"):
        if key.text in scope.nodes:
            check.error(key, f"entity {key.text!r} has the name of a type in `types:`")
            continue
        check.fields(body, allowed, ("attributes",), f"entity {key.text!r}")
        attributes_node = body.get("attributes")
        attributes_map = (
            check.mapping(attributes_node, f"attributes of {key.text!r}")
            if attributes_node
            else None
        )
        if attributes_map is None:
            continue
        if not attributes_map.entries:
            check.error(attributes_map, f"entity {key.text!r} needs at least one attribute")
            continue
        attributes = read_attributes(check, scope, attributes_map, f"entity {key.text!r}")
        for kind in kinds.TOP_LEVEL_ONLY_KINDS:
            found = [a for a in attributes if a.kind is kind]
            for extra in found[1:]:
                check.error(
                    key_of(attributes_map, extra.name),
                    f"entity {key.text!r} has more than one {kind} attribute ({found[0].name!r} and {extra.name!r})",
                )
        entities.append(
            Entity(
                key.text,
                tuple(attributes),
                check.prose(body.get("description"), f"description of entity {key.text!r}"),
            )
        )
    return entities


def read_attributes(
    check: Checker, scope: TypeScope, node: Map, what: str, *, in_record: bool = False
) -> list[Attribute]:
    """The attributes of an entity or the fields of a record; broken ones are left out."""
    attributes: list[Attribute] = []
    stored: dict[str, Scalar] = {}
    if len(node.entries) > MAX_ATTRIBUTES:
        check.error(node, f"{what} has {len(node.entries)} attributes; at most {MAX_ATTRIBUTES}")
        return attributes
    for key, value in node.entries:
        attribute = _attribute(check, scope, key, value, what, in_record=in_record)
        if attribute is None:
            check.broken.add(key.text)
            continue
        if attribute.stored_as in stored:
            other = stored[attribute.stored_as]
            check.error(
                key,
                f"{what}: attribute {key.text!r} is stored as {attribute.stored_as!r}, like {other.text!r}",
            )
            continue
        stored[attribute.stored_as] = key
        attributes.append(attribute)
    return attributes


def read_record_fields(check: Checker, scope: TypeScope, node: Map, what: str) -> list[Attribute]:
    """The fields of a record: the attribute rules, without the entity-only kinds."""
    return read_attributes(check, scope, node, what, in_record=True)


def _attribute(
    check: Checker, scope: TypeScope, key: Scalar, value: Node, what: str, *, in_record: bool
) -> Attribute | None:
    name = key.text
    ok = True
    if not ATTRIBUTE_RE.match(name) or keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES:
        check.error(
            key,
            f"{what}: attribute name {name!r} must be a Python identifier (a letter first, no keyword, not one of the reserved names {', '.join(sorted(RESERVED_FIELD_NAMES))})",
        )
        ok = False
    options = Map((), value.line, value.col)
    if isinstance(value, Scalar):
        type_node: Node = value
    elif isinstance(value, Map):
        options = value
        check.fields(value, ATTRIBUTE_FIELDS, ("type",), f"attribute {name!r}")
        if value.get("type") is None:
            return None  # `fields` reported it
        type_node = value.get("type") or value
    else:
        check.error(value, f"attribute {name!r}: expected a type name or a mapping with `type:`")
        return None
    type_text = check.text(type_node, f"the type of attribute {name!r}")
    if type_text is None:
        return None
    type_ref = parse_type(check, scope, type_node, type_text, in_record=in_record)
    optional = check.flag(options.get("optional"), f"optional of attribute {name!r}")
    stored_as = name
    stored_node = options.get("stored_as")
    if stored_node is not None:
        stored_text = check.text(stored_node, f"stored_as of attribute {name!r}")
        if stored_text is None:
            ok = False
        elif not check.storable(stored_node, stored_text, f"stored_as of attribute {name!r}"):
            ok = False
        elif len(stored_text.encode("utf-8")) > MAX_ATTRIBUTE_NAME_BYTES:
            check.error(
                stored_node, f"stored_as of attribute {name!r} is longer than DynamoDB allows"
            )
            ok = False
        else:
            stored_as = stored_text
    description = check.prose(options.get("description"), f"description of attribute {name!r}")
    if type_ref is None:
        return None
    format_node = options.get("format")
    if format_node is not None:
        type_ref = _formatted(check, format_node, name, type_ref)
        if type_ref is None:
            return None
    if type_ref.kind.automatic and options.get("optional") is not None:
        check.error(
            options.get("optional") or key,
            f"attribute {name!r}: a {type_ref.kind} attribute cannot be made optional (it is managed by dynagen)",
        )
        ok = False
    default = None
    default_node = options.get("default")
    if default_node is not None:
        default = _default(check, scope, default_node, name, type_ref, optional)
        ok = ok and default is not None
    if not ok:
        return None
    return Attribute(name, stored_as, type_ref, optional, default, description)


def _formatted(check: Checker, node: Node, name: str, type_ref: TypeRef) -> TypeRef | None:
    """`format:` of a datetime attribute: how another tool stores it (dynagen's own is the default)."""
    names = ", ".join(kinds.DATETIME_FORMATS)
    if type_ref.kind is not kinds.DATETIME:
        check.error(node, f"attribute {name!r}: `format` is for datetime attributes ({names})")
        return None
    text = check.text(node, f"format of attribute {name!r}")
    if text is None:
        return None
    chosen = kinds.DATETIME_FORMATS.get(text)
    if chosen is None:
        check.error(node, f"attribute {name!r}: unknown datetime format {text!r}; one of {names}")
        return None
    return (
        type_ref if chosen is kinds.DYNAGEN_FORMAT else dataclasses.replace(type_ref, format=chosen)
    )


def _default(
    check: Checker, scope: TypeScope, node: Node, name: str, type_ref: TypeRef, optional: bool
) -> Default | None:
    """The default, typed by its kind's check; null only for optional attributes."""
    what = f"default of attribute {name!r}"
    value = plain(node)
    if value is None:
        if optional:
            return Default(None)
        check.error(node, f"{what}: null is only a default for optional attributes")
        return None
    if type_ref.kind.check_default is None:
        check.error(node, f"{what}: a {type_ref} attribute cannot have a default")
        return None
    enum = scope.enums.get(type_ref.name or "") if type_ref.kind.named else None
    source = kinds.DefaultSource(
        value,
        node.text if isinstance(node, Scalar) else None,
        enum.values if enum is not None else (),
    )
    try:
        return Default(type_ref.kind.check_default(source))
    except kinds.DefaultError as problem:
        check.error(node, f"{what}: {problem}")
        return None
