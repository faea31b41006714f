"""The build-time proof of SPEC.md section 4, decided exactly on the templates' regular languages.

1. every template is unambiguous: no key string reads as two different sets of values;
2. no two entities can produce the same table key (partition and sort together);
3. every entity query (its partition value, and `begins_with` its sort template's literal prefix,
   or a range inside that prefix) can match no other entity's keys, on the table and on every index;
4. two entities share a partition of a global index only as members of a collection on it
   (and a collection's partition holds no entity that is not its member).

Every failure is reported, at the template it concerns, with a witness: key values that show it.
Entity pairs are independent products of their partition and sort languages; where one entity
names an attribute in both its partition and sort templates the check is conservative (it may
report a pair of strings that this entity could not produce together).
"""

from __future__ import annotations

import json
from itertools import combinations

from dynagen.spec.check.nodes import Checker
from dynagen.spec.check.single_table import Layout, Placed
from dynagen.spec.model import TemplatePart
from dynagen.spec.regular import Regex, ambiguity, meet
from dynagen.spec.templates import language, prefixed


def quote(text: str) -> str:
    """A witness string as a message shows it: double-quoted, escapes where needed."""
    return json.dumps(text, ensure_ascii=False)


def prove(check: Checker, layout: Layout) -> None:
    """Check the four properties over every template the spec check passed."""
    _unambiguous(check, layout)
    table_collisions = _distinct_keys(check, layout)
    _queries_read_one_entity(check, layout, table_collisions)
    _index_partitions(check, layout)
    _collections_complete(check, layout)


def _lang(placed: Placed, layout: Layout) -> Regex:
    return language(placed.template, placed.types, layout.enums)


def _unambiguous(check: Checker, layout: Layout) -> None:
    """Property 1, for every entity template (a collection's partition is its members')."""
    templates: dict[int, Placed] = {}
    for by_index in layout.keys.values():
        for partition, sort, _ in by_index.values():
            for placed in (partition, sort):
                if placed is not None:  # a local index repeats its entity's partition template
                    templates.setdefault(id(placed.template), placed)
    for placed in templates.values():
        found = ambiguity(language(placed.template, placed.types, layout.enums))
        if found is None:
            continue
        first = _reading(placed, found.text, found.first)
        second = _reading(placed, found.text, found.second)
        check.error(
            placed.node,
            f"template {placed.template.text!r} is ambiguous: {quote(found.text)} reads as "
            f"{first} and as {second}",
        )


def _reading(placed: Placed, text: str, tags: tuple[int, ...]) -> str:
    """The part values one reading of `text` gives: `a="x", b="y"`."""
    values: dict[int, str] = {}
    for char, tag in zip(text, tags):
        values[tag] = values.get(tag, "") + char
    shown = []
    for index, piece in enumerate(placed.template.pieces):
        if isinstance(piece, TemplatePart):
            shown.append(f"{piece.attribute}={quote(values.get(index, ''))}")
    return ", ".join(shown)


def _pair_witness(
    layout: Layout,
    first: tuple[Placed, Placed | None],
    second: tuple[Placed, Placed | None],
    names: tuple[str, str | None],
) -> str | None:
    """`pk="...", sk="..."` that both entities' (partition, sort) templates can produce, if any."""
    pk = meet(_lang(first[0], layout), _lang(second[0], layout))
    if pk is None:
        return None
    shown = f"{names[0]}={quote(pk)}"
    if first[1] is not None and second[1] is not None and names[1] is not None:
        sk = meet(_lang(first[1], layout), _lang(second[1], layout))
        if sk is None:
            return None
        shown += f", {names[1]}={quote(sk)}"
    return shown


def _distinct_keys(check: Checker, layout: Layout) -> set[frozenset[str]]:
    """Property 2: no table key two entities can both produce. Returns the pairs that can."""
    colliding: set[frozenset[str]] = set()
    entities = [name for name in layout.keys if "" in layout.keys[name]]
    for first, second in combinations(entities, 2):
        a, b = layout.keys[first][""], layout.keys[second][""]
        witness = _pair_witness(layout, (a[0], a[1]), (b[0], b[1]), (layout.partition, layout.sort))
        if witness is not None:
            colliding.add(frozenset((first, second)))
            check.error(b[2], f"{first} and {second} can both produce {witness}")
    return colliding


def _index_names(layout: Layout, physical: str) -> tuple[str, str | None]:
    if not physical:
        return layout.partition, layout.sort
    index = layout.indexes[physical]
    if index.is_local:
        return layout.partition, index.sort
    return index.partition, index.sort


def _queries_read_one_entity(
    check: Checker, layout: Layout, table_collisions: set[frozenset[str]]
) -> None:
    """Property 3: a query of one entity, on the table or an index, matches no other's keys."""
    physicals = {""} | set(layout.indexes)
    for physical in sorted(physicals):
        users = [name for name in layout.keys if physical in layout.keys[name]]
        pk_name, sk_name = _index_names(layout, physical)
        where = f"index {physical!r}" if physical else "the table"
        for reader in users:
            partition, sort, declared = layout.keys[reader][physical]
            for other in users:
                if other == reader or (
                    not physical and frozenset((reader, other)) in table_collisions
                ):
                    continue
                if sort is None and not _together(layout, physical, reader, other):
                    continue  # no sort key: the query is the key, held by property 2 or 4
                theirs = layout.keys[other][physical]
                pk = meet(_lang(partition, layout), _lang(theirs[0], layout))
                if pk is None:
                    continue
                shown = f"{pk_name}={quote(pk)}"
                condition = ""
                if sort is not None and theirs[1] is not None and sk_name is not None:
                    sk = meet(prefixed(sort.template), _lang(theirs[1], layout))
                    if sk is None:
                        continue
                    shown += f", {sk_name}={quote(sk)}"
                    condition = f", {sk_name} begins with {quote(sort.template.prefix)}"
                place = sort.node if sort is not None else partition.node
                check.error(
                    place,
                    f"a query of {reader} on {where} ({pk_name}={quote(pk)}{condition}) can read "
                    f"{other} items: {shown}; give their sort templates prefixes that differ",
                )


def _together(layout: Layout, physical: str, first: str, second: str) -> bool:
    """Whether a collection on this index (or the table, "") has both entities as members."""
    return any(
        (collection.index or "") == physical
        and {first, second} <= {member.entity for member in collection.members}
        for collection, _, _ in layout.collections
    )


def _index_partitions(check: Checker, layout: Layout) -> None:
    """Property 4: on a global index, entities share a partition only inside a collection."""
    together: dict[str, list[set[str]]] = {}
    for collection, _, _ in layout.collections:
        if collection.index is not None:
            together.setdefault(collection.index, []).append({m.entity for m in collection.members})
    for physical, index in sorted(layout.indexes.items()):
        if index.is_local:
            continue
        users = [name for name in layout.keys if physical in layout.keys[name]]
        grouped = set().union(*together.get(physical, [set()]))
        for first, second in combinations(users, 2):
            if first in grouped or second in grouped:
                continue  # a member's partition is its collection's: `_collections_complete`
            a, b = layout.keys[first][physical], layout.keys[second][physical]
            pk = meet(_lang(a[0], layout), _lang(b[0], layout))
            if pk is not None:
                check.error(
                    b[0].node,
                    f"{first} and {second} can share the partition {index.partition}={quote(pk)} "
                    f"of global index {physical!r} outside any collection; declare a collection "
                    f"on {physical!r} with both as members, or give their partition templates "
                    "prefixes that differ",
                )


def _collections_complete(check: Checker, layout: Layout) -> None:
    """A collection's partition holds only its members: else its query would meet strangers."""
    for collection, placed, members_node in layout.collections:
        physical = collection.index or ""
        pk_name, _ = _index_names(layout, physical)
        members = {member.entity for member in collection.members}
        for other in layout.keys:
            if other in members or physical not in layout.keys[other]:
                continue
            theirs = layout.keys[other][physical][0]
            pk = meet(_lang(placed, layout), _lang(theirs, layout))
            if pk is not None:
                check.error(
                    members_node,
                    f"collection {collection.name!r} is partial: {other} items can live in its "
                    f"partition {pk_name}={quote(pk)}; add {other} to its members",
                )
