"""`dynagen vet`: what a DynamoDB expert would say about a valid spec, as warnings.

Each rule has an id (shown with the warning): `hot-partition` (a partition key whose values are
few or constant), `local-index-limit` (a local index caps each partition key's items at 10 GB),
`large-projection` (a global index projecting every attribute of items with large values),
`scan-only` (no sort key and no index: every read besides a get by key is a Scan),
`narrow-int-part` (an int part of a key template too narrow for a growing number: `{line:02}`
holds at most 99, and the write of the 100th is refused).
"""

from __future__ import annotations

from dataclasses import dataclass

from dynagen.spec import kinds
from dynagen.spec.model import Attribute, Table, Template

NARROW_WIDTH = 4
"""Int parts of fewer digits than this get a `narrow-int-part` warning (at most 999 values)."""

Where = tuple[str, ...]
LARGE_KINDS = (kinds.JSON, kinds.LIST, kinds.MAP, kinds.SET, kinds.RECORD, kinds.BYTES)


@dataclass(frozen=True)
class Advice:
    rule: str
    source: str
    where: Where
    message: str


def vet(table: Table) -> list[Advice]:
    found: list[Advice] = []

    def add(rule: str, where: Where, message: str) -> None:
        found.append(Advice(rule, table.source, where, message))

    partitions: list[tuple[str, str, Where]] = [("the table", table.partition, ("key",))]
    partitions += [
        (f"global index {i.name!r}", i.partition, ("indexes", i.name))
        for i in table.indexes
        if i.is_global
    ]
    for owner, name, where, problem in _partition_problems(table, partitions):
        if problem:
            add(
                "hot-partition",
                where,
                f"{owner} is partitioned by {name!r}, {problem}: its writes and reads crowd into "
                "few partitions (each takes about 1,000 writes and 3,000 reads a second); "
                "partition by something with many values, or add a suffix to spread them",
            )
    for index in table.indexes:
        where = ("indexes", index.name)
        if index.is_local:
            add(
                "local-index-limit",
                where,
                f"local index {index.name!r}: with a local index, all items of one partition key "
                "(table and index together) may hold at most 10 GB, and writes to a full one fail; "
                "a global index has no such limit (and can be added or dropped later)",
            )
        elif index.projection == "all":
            large = [a.name for e in table.entities for a in e.attributes if a.kind in LARGE_KINDS]
            if large:
                add(
                    "large-projection",
                    where,
                    f"global index {index.name!r} projects every attribute, including large ones "
                    f"({', '.join(large)}): each write is paid twice and the items are stored "
                    "twice; project the attributes its readers need (a list, or keys_only)",
                )
    for where, template in _templates(table):
        for part in template.parts:
            if part.width is not None and part.width < NARROW_WIDTH:
                add(
                    "narrow-int-part",
                    where,
                    f"template {template.text!r}: {{{part.attribute}:0{part.width}}} holds at most "
                    f"{10**part.width - 1:,}; a larger {part.attribute} is refused at run time, "
                    "and widening the part later rewrites every key; give it room to grow",
                )
    if table.sort is None and not table.indexes:
        add(
            "scan-only",
            ("key",),
            "no sort key and no index: apart from getting one item by its key, every read is a "
            "Scan of the whole table; add a sort key or an index for the queries you need",
        )
    return found


def _partition_problems(
    table: Table, partitions: list[tuple[str, str, Where]]
) -> list[tuple[str, str, Where, str | None]]:
    """(owner, attribute, where, why it has few values) per partition key: of its attribute for a
    single entity; of each entity's template filling it for a templated table (a template with no
    part is one constant value, one with a single part has that attribute's values)."""
    if not table.is_single_table:
        entity = table.entity
        return [(o, n, w, _few_values(table, entity.attribute(n))) for o, n, w in partitions]
    out: list[tuple[str, str, Where, str | None]] = []
    for owner, name, where in partitions:
        for entity in table.entities:
            templates = []
            if entity.keys is not None and name == table.partition:
                templates.append((entity.name, entity.keys.partition))
            templates += [
                (f"{entity.name}.{use.name}", use.partition)
                for use in entity.indexes
                if any(i.name == use.index and i.partition == name for i in table.indexes)
            ]
            for label, template in templates:
                if not template.parts:
                    problem: str | None = f"which {label} fills with the constant {template.text!r}"
                elif len(template.parts) == 1:
                    part = entity.attribute(template.parts[0].attribute)
                    problem = _few_values(table, part)
                    problem = problem and f"which {label} fills from {part.name!r}, {problem}"
                else:
                    problem = None
                out.append((owner, name, where, problem))
    return out


def _few_values(table: Table, attribute: Attribute) -> str | None:
    """Why a partition key attribute has few distinct values, or None."""
    if attribute.default is not None:
        return f"which has a default ({attribute.default.value!r}): items written without it share one value"  # fmt: skip
    if attribute.kind is kinds.ENUM:
        enum = next((e for e in table.enums if e.name == attribute.type.name), None)
        count = len(enum.values) if enum is not None else 0
        return f"an enum with {count} value{'s' if count != 1 else ''}"
    if attribute.kind is kinds.DATE:
        return "a date: all of one day's writes go to one partition key value"
    return None


def _templates(table: Table) -> list[tuple[Where, Template]]:
    """Every key template of a templated table, where it is written in the spec."""
    found: list[tuple[Where, Template]] = []
    for entity in table.entities:
        if entity.keys is not None:
            for template in (entity.keys.partition, entity.keys.sort):
                if template is not None:
                    found.append((("entities", entity.name, "keys"), template))
        for index in entity.indexes:
            for template in (index.partition, index.sort):
                if template is not None:
                    found.append((("entities", entity.name, "indexes", index.name), template))
    return found
