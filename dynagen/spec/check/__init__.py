"""Positioned nodes -> the frozen model, or every problem found (never only the first).

One module per concern: `nodes` (shapes and positions), `types` (the `types:` section and type
text), `attributes` (entities, attributes, defaults), `table` (names, billing, stream, key,
indexes), `names` (collisions with generated names), `single_table` (key templates, entity
indexes and collections of SPEC.md section 4) and `proof` (what those templates must satisfy).
This module runs them in order over one spec, and over the bytes of many (read by
dynagen/files.py, the one place specs are read).
"""

from __future__ import annotations

from typing import Iterable

from dynagen.files import read_spec
from dynagen.spec.check import attributes, names, operations, proof, single_table, table
from dynagen.spec.check.nodes import Checker
from dynagen.spec.check.types import collect_types
from dynagen.spec.diagnostics import Diagnostic
from dynagen.spec.load import Map, Node, Scalar, load_spec
from dynagen.spec.model import Collection, Index, Table

__all__ = ["validate_files", "validate_sources", "validate_text"]

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
    "deletion_protection",
    "point_in_time_recovery",
    "tags",
    "ignore",
    "entity_attribute",
    "collections",
}


def validate_files(paths: Iterable[str]) -> tuple[list[Table], list[Diagnostic]]:
    """Load and check every spec file; also checks what specs must not share (module names)."""
    return validate_sources((path, read_spec(path)) for path in paths)


def validate_sources(
    specs: Iterable[tuple[str, bytes | OSError]],
) -> tuple[list[Table], list[Diagnostic]]:
    """Check specs given as (path, bytes or the error reading them raised); also checks what
    specs must not share (module names); every problem, sorted."""
    tables: list[Table] = []
    diagnostics: list[Diagnostic] = []
    for path, data in specs:
        try:
            if isinstance(data, OSError):
                raise data
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            diagnostics.append(Diagnostic(path, 1, 1, f"cannot read spec: {exc}"))
            continue
        # Universal newlines, as reading the file as text does.
        found_table, found = validate_text(path, text.replace("\r\n", "\n").replace("\r", "\n"))
        diagnostics.extend(found)
        if found_table is not None:
            tables.append(found_table)
    diagnostics.extend(duplicate_modules(tables))
    return tables, sorted(diagnostics)


def duplicate_modules(tables: Iterable[Table]) -> list[Diagnostic]:
    """Specs that would write the same module: every one after the first is refused."""
    diagnostics: list[Diagnostic] = []
    seen: dict[str, Table] = {}
    for each in tables:
        if each.module in seen:
            diagnostics.append(
                Diagnostic(
                    each.source,
                    1,
                    1,
                    f"table {each.module!r} is also defined in {seen[each.module].source}",
                )
            )
        seen.setdefault(each.module, each)
    return diagnostics


def validate_text(path: str, text: str) -> tuple[Table | None, list[Diagnostic]]:
    """Check one spec's text; the table is None whenever there is any diagnostic."""
    root, diagnostics = load_spec(path, text)
    if root is None or diagnostics:
        return None, diagnostics
    check = Checker(path)
    checked = _check_spec(check, root)
    if check.diagnostics:
        return None, sorted(check.diagnostics)
    return checked, []


def _check_spec(check: Checker, root: Node) -> Table | None:
    top = check.mapping(root, "a spec")
    if top is None:
        return None
    check.fields(top, TOP_FIELDS, ("version", "table", "key", "entities"), "the spec")
    table.check_version(check, top.get("version"))
    module = table.module_name(check, top.get("table"))
    physical = table.physical_name(check, top.get("table_name"), module)
    description = check.prose(top.get("description"), "description")
    billing = table.billing(check, top.get("billing"))
    stream = table.stream(check, top.get("stream"))
    scope = collect_types(check, top.get("types"), attributes.read_record_fields)
    templated = single_table.is_templated(top.get("entities"))
    entities = attributes.read_entities(check, scope, top.get("entities"), templated=templated)
    partition, sort = table.key(check, top.get("key"), entities, templated=templated)
    indexes = table.indexes(
        check, top.get("indexes"), entities, partition, sort, templated=templated
    )
    entity_attribute = single_table.entity_attribute(check, top.get("entity_attribute"), templated)
    collections: list[Collection] = []
    if templated:
        single_table.check_physical_names(
            check,
            top.get("entities"),
            entities,
            _physical_names(check, top, entity_attribute, indexes),
        )
        entities, layout = single_table.read_keys(
            check, scope, top.get("entities"), entities, partition, sort, indexes
        )
        collections = single_table.read_collections(check, top.get("collections"), entities, layout)
        proof.prove(check, layout)
    elif top.get("collections") is not None:
        check.error(
            top.get("collections") or top,
            "collections are for single-table design: a table whose entities have `keys:`",
        )
    names.check_generated_names(check, top, module, entities)
    protection = operations.setting(check, top.get("deletion_protection"), "deletion_protection")
    recovery = operations.setting(check, top.get("point_in_time_recovery"), "point_in_time_recovery")  # fmt: skip
    tags = operations.tags(check, top.get("tags"))
    types = [*scope.records, *scope.enums]
    ignores = operations.ignores(check, top.get("ignore"), entities, indexes, types)
    if check.diagnostics or module is None or physical is None or partition is None or not entities:
        return None
    return Table(
        source=check.path,
        module=module,
        physical_name=physical,
        partition=partition,
        sort=sort,
        entities=tuple(entities),
        description=description,
        billing=billing,
        stream=stream,
        records=tuple(scope.records.values()),
        enums=tuple(scope.enums.values()),
        indexes=tuple(indexes),
        deletion_protection=protection,
        point_in_time_recovery=recovery,
        tags=tags,
        ignores=ignores,
        entity_attribute=entity_attribute,
        collections=tuple(collections),
    )


def _physical_names(
    check: Checker, top: Map, entity_attribute: str | None, indexes: list[Index]
) -> dict[str, Node]:
    """The table's own attributes of a templated table, each with the node that names it. Each
    has one role: entities fill every index key from templates of its own, so an index keyed on
    the table's key attributes (or on another index's) would be written by two templates."""
    found: dict[str, Node] = {}
    roles: dict[str, str] = {}

    def claim(name: str, node: Node, role: str) -> None:
        if name in roles:
            check.error(
                node,
                f"{role} {name!r} is already the {roles[name]}; in a single-table design each "
                "index has key attributes of its own, which entities fill with templates",
            )
            return
        roles[name] = role
        found[name] = node

    key_node = top.get("key")
    if isinstance(key_node, Map):
        for role in ("partition", "sort"):
            node = key_node.get(role)
            if isinstance(node, Scalar):
                claim(node.text, node, f"table {role} key")
    indexes_node = top.get("indexes")
    if isinstance(indexes_node, Map):
        for index in indexes:
            body = indexes_node.get(index.name)
            if isinstance(body, Map):
                for role in ("partition", "sort"):
                    node = body.get(role)
                    if isinstance(node, Scalar):
                        claim(node.text, node, f"index {index.name!r} {role} key")
    if entity_attribute is not None:
        claim(entity_attribute, top.get("entity_attribute") or top, "entity_attribute")
    return found
