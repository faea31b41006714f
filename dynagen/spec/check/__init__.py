"""Positioned nodes -> the frozen model, or every problem found (never only the first).

One module per concern: `nodes` (shapes and positions), `types` (the `types:` section and type
text), `attributes` (entities, attributes, defaults), `table` (names, billing, stream, key,
indexes), `names` (collisions with generated names). This module runs them in order over one
spec, and reads spec files: the one place the spec layer touches the file system.
"""

from __future__ import annotations

from typing import Iterable

from dynagen.spec.check import attributes, names, table
from dynagen.spec.check.nodes import Checker
from dynagen.spec.check.types import collect_types
from dynagen.spec.diagnostics import Diagnostic
from dynagen.spec.load import Node, load_spec
from dynagen.spec.model import Table

__all__ = ["validate_files", "validate_text"]

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
        found_table, found = validate_text(path, text)
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
    entities = attributes.read_entities(check, scope, top.get("entities"))
    partition, sort = table.key(check, top.get("key"), entities)
    indexes = table.indexes(check, top.get("indexes"), entities, partition, sort)
    names.check_generated_names(check, top, module, entities)
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
    )
