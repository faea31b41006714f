"""Names the generator derives from the spec must not collide with the spec's own types.

The derived names come from `dynagen.naming`, the same module the code generator takes them from.
"""

from __future__ import annotations

from dynagen.naming import (
    reserved_templated_names,
    reserved_type_names,
    snake,
    table_class,
    table_cursors,
    templated_cursors,
)
from dynagen.spec.check.nodes import Checker
from dynagen.spec.load import Map, Node
from dynagen.spec.model import Entity


def check_generated_names(
    check: Checker, top: Map, module: str | None, entities: list[Entity]
) -> None:
    """Type and entity names against the classes and functions the generated module defines."""
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
    cursors = table_cursors(module, index_names)
    if any(entity.keys is not None for entity in entities):
        collections = top.get("collections")
        templated = [(e.name, [i.name for i in e.indexes]) for e in entities]
        collection_names = (
            [key.text for key, _ in collections.entries] if isinstance(collections, Map) else []
        )
        derived.update(reserved_templated_names(templated, collection_names))
        cursors = templated_cursors(module, templated, collection_names)
    entities_node = top.get("entities")
    entity_names = {e.name for e in entities}
    if isinstance(entities_node, Map):
        for key, _ in entities_node.entries:
            if key.text == table_class(module):
                check.error(key, f"entity name {key.text!r} is taken by the table class")
    made: dict[str, str] = {}
    reported: set[tuple[str, str] | None] = set()  # one error per spec entry (query and scan)
    for name, what, origin in cursors:
        clash = made.get(name) or (f"entity {name!r}" if name in entity_names else None)
        if clash is not None and origin not in reported:
            reported.add(origin)
            at = ("entities", name) if name in entity_names else origin
            check.error(
                _entry(top, at), f"{what} and {clash} would both be the class {name!r}; rename one"
            )
        made.setdefault(name, what)
        derived.setdefault(name, what)
    if not isinstance(types_node, Map):
        return
    snake_names: dict[str, str] = {snake(entity.name): entity.name for entity in entities}
    for key, _ in types_node.entries:
        if key.text in derived:
            check.error(key, f"type name {key.text!r} is taken by {derived[key.text]}")
        elif snake(key.text) in snake_names:
            check.error(
                key,
                f"types {snake_names[snake(key.text)]!r} and {key.text!r} both give "
                f"functions named _marshal_{snake(key.text)}; rename one",
            )
        snake_names.setdefault(snake(key.text), key.text)


def _entry(top: Map, origin: tuple[str, str] | None) -> Node:
    """The key of the spec entry (`indexes: by_status`) a derived name comes from, else the top."""
    section = None if origin is None else top.get(origin[0])
    if origin is not None and isinstance(section, Map):
        for key, _ in section.entries:
            if key.text == origin[1]:
                return key
    return top
