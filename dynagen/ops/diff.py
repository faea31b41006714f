"""Breaking changes between two versions of the specs, by category (like `buf breaking`).

WIRE   stored items stop reading: a type or `stored_as` changed, a required attribute added
       without a default, an optional one made required, an enum value removed; and, for old code
       reading new items during a rollout, a required attribute removed or made optional, an enum
       value added.
KEYS   a key attribute or an index key changed: items move, queries by the old key miss.
TABLE  what no UpdateTable can change, or what readers of the table see: the key schema, a local
       index, the stream view, the physical table name.
API    a generated name callers use is gone: a table, an entity, a field, a type, an enum member,
       an index (its query methods), a key parameter, or attributes of a narrowed projection.

NOTE   not breaking, but worth a line in the review: a required attribute added with a default,
       deletion protection or point-in-time recovery turned off (or no longer managed).

Tables are matched by `table:` (the module), attributes and fields by their Python names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Protocol, TypeVar

from dynagen.spec.model import Attribute, Entity, EnumType, Index, Record, Table, Template
from dynagen.spec.rules import DIFF_CATEGORIES

CATEGORIES = DIFF_CATEGORIES

Where = tuple[
    str, ...
]  # a path of keys into the new spec: ("entities", "Order", "attributes", "x")
_Named = TypeVar("_Named", Record, EnumType)


class _Add(Protocol):
    def __call__(self, category: str, where: Where, message: str, about: Where = ()) -> None: ...


@dataclass(frozen=True)
class Finding:
    category: str  # one of CATEGORIES; "NOTE" for what is not breaking but worth saying
    source: str  # the spec (the new one; the old one when the table is gone)
    where: Where
    message: str
    about: Where = ()  # what it is about, when that is gone from the new spec (a removed field)

    @property
    def subject(self) -> Where:
        """The path an `ignore:` entry's scope is matched against."""
        return self.about or self.where


def _reads_missing_as_empty(attribute: Attribute) -> bool:
    """Attributes a reader copes without: sets (read back empty) and the automatic ones."""
    return attribute.type.is_set or attribute.kind.automatic


def _required(attribute: Attribute) -> bool:
    return not attribute.optional and not _reads_missing_as_empty(attribute)


def compare(old: Iterable[Table], new: Iterable[Table]) -> list[Finding]:
    olds = {t.module: t for t in old}
    news = {t.module: t for t in new}
    findings: list[Finding] = []
    for module, before in sorted(olds.items()):
        after = news.get(module)
        if after is None:
            findings.append(
                Finding("API", before.source, (), f"table {module!r} was removed (its module)")
            )
            continue
        findings.extend(_compare_table(before, after))
    return findings


def _compare_table(old: Table, new: Table) -> list[Finding]:
    found: list[Finding] = []

    def add(category: str, where: Where, message: str, about: Where = ()) -> None:
        found.append(Finding(category, new.source, where, message, about))

    if old.physical_name != new.physical_name:
        add("TABLE", ("table_name",), f"the physical table name changed from {old.physical_name!r} to {new.physical_name!r}: another table")  # fmt: skip
    for before, after in _entity_pairs(old, new, add):
        entity_where: Where = ("entities", after.name, "attributes")
        found.extend(
            _compare_attributes(
                new.source, before.attributes, after.attributes, entity_where, "attribute"
            )
        )
        _compare_templates(before, after, add)
    _compare_keys(old, new, add)
    _compare_indexes(old, new, add)
    _note_settings(old, new, add)
    if old.stream != new.stream and old.stream is not None:
        if new.stream is None:
            add("TABLE", ("stream",), f"the stream ({old.stream}) was removed")
        else:
            add("TABLE", ("stream",), f"the stream view changed from {old.stream} to {new.stream}")
    for name, record, now in _kept_types(old.records, new.records, "record", add):
        where: Where = ("types", name, "fields")
        found.extend(
            _compare_attributes(new.source, record.fields, now.fields, where, f"field of {name}")
        )
    for name, enum, now_enum in _kept_types(old.enums, new.enums, "enum", add):
        values = now_enum.values
        where = ("types", name, "enum")
        for value in enum.values:
            if value not in values:
                add("WIRE", where, f"enum {name}: value {value!r} was removed; stored items holding it no longer read")  # fmt: skip
                add("API", where, f"enum {name}: member for {value!r} was removed")
        for value in values:
            if value not in enum.values:
                add("WIRE", where, f"enum {name}: value {value!r} was added; code built from the old spec cannot read items holding it (a rollout hazard)")  # fmt: skip
    return found


def _note_settings(old: Table, new: Table, add: _Add) -> None:
    """Safety settings turned off break no reader, but deserve a line in the review."""
    for field, what, off in (
        ("deletion_protection", "deletion protection", "DeleteTable will no longer be refused"),
        ("point_in_time_recovery", "point-in-time recovery", "its continuous backups are deleted"),
    ):
        if getattr(old, field) is not True:
            continue
        now = getattr(new, field)
        if now is False:
            add("NOTE", (field,), f"{what} is turned off: {off} (by `dynagen tables apply`)")
        elif now is None:
            add("NOTE", (), f"`{field}: true` was removed: `dynagen tables apply` no longer manages {what}, and the live table keeps it as it is")  # fmt: skip


def _kept_types(
    old: Iterable[_Named], new: Iterable[_Named], what: str, add: _Add
) -> Iterator[tuple[str, _Named, _Named]]:
    """(name, old, new) of each record or enum type in both versions; a removed one is API."""
    after = {t.name: t for t in new}
    for before in sorted(old, key=lambda t: t.name):
        now = after.get(before.name)
        if now is None:
            add("API", ("types",), f"{what} type {before.name!r} was removed", ("types", before.name))  # fmt: skip
        else:
            yield before.name, before, now


def _compare_attributes(
    source: str,
    old: Iterable[Attribute],
    new: Iterable[Attribute],
    where: Where,
    what: str,
) -> list[Finding]:
    found: list[Finding] = []
    before = {a.name: a for a in old}
    after = {a.name: a for a in new}
    for name, was in before.items():
        at = (*where, name)
        now = after.get(name)
        if now is None:
            found.append(Finding("API", source, where, f"{what} {name!r} was removed (a field)", at))  # fmt: skip
            if _required(was):
                found.append(Finding("WIRE", source, where, f"required {what} {name!r} was removed; code built from the old spec cannot read new items (a rollout hazard)", at))  # fmt: skip
            continue
        if str(was.type) != str(now.type):
            found.append(Finding("WIRE", source, at, f"{what} {name!r} changed type from {was.type} to {now.type}; stored items no longer read"))  # fmt: skip
        if was.stored_as != now.stored_as:
            found.append(Finding("WIRE", source, at, f"{what} {name!r} is stored as {now.stored_as!r}, not {was.stored_as!r}; stored items no longer read"))  # fmt: skip
        if was.optional and _required(now):
            if now.default is None:
                found.append(Finding("WIRE", source, at, f"{what} {name!r} was made required; stored items without it no longer read"))  # fmt: skip
            else:
                found.append(Finding("NOTE", source, at, _DEFAULT_NOTE.format(what=what, name=name)))  # fmt: skip
        elif _required(was) and now.optional:
            found.append(Finding("WIRE", source, at, f"{what} {name!r} was made optional; code built from the old spec cannot read new items without it (a rollout hazard)"))  # fmt: skip
    for name, now in after.items():
        if name in before or not _required(now):
            continue
        at = (*where, name)
        if now.default is None:
            found.append(Finding("WIRE", source, at, f"required {what} {name!r} was added without a default; stored items without it no longer read"))  # fmt: skip
        else:
            found.append(Finding("NOTE", source, at, _DEFAULT_NOTE.format(what=what, name=name)))
    return found


_DEFAULT_NOTE = (
    "{what} {name!r} is required now, with a default: not breaking, a stored item without it "
    "reads as the default (code built from the old spec still reads new items: it does not "
    "know the attribute)"
)


def _key(table: Table, partition: str, sort: str | None) -> tuple[tuple[str, str], ...]:
    """A key as DynamoDB sees it: stored names and key types."""
    parts = []
    for name in (partition, sort):
        if name and table.is_single_table:  # physical attributes, filled from templates
            parts.append((name, "S"))
        elif name:
            attribute = table.entity.attribute(name)
            parts.append((attribute.stored_as, attribute.type.wire_key_type))
    return tuple(parts)


def _key_text(key: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} ({kind})" for name, kind in key)


def _entity_pairs(old: Table, new: Table, add: _Add) -> list[tuple[Entity, Entity]]:
    """The entities of both versions, matched by name; one entity each is matched as renamed.

    A removed entity is an API break (its class, functions and accessor go).
    """
    if len(old.entities) == 1 and len(new.entities) == 1:
        was, now = old.entity, new.entity
        if was.name != now.name:
            add("API", ("entities", now.name), f"entity {was.name!r} was renamed to {now.name!r} (its class and functions)")  # fmt: skip
        return [(was, now)]
    after = {e.name: e for e in new.entities}
    pairs = []
    for before in old.entities:
        match = after.get(before.name)
        if match is None:
            add("API", ("entities",), f"entity {before.name!r} was removed (its class, functions and accessor)")  # fmt: skip
        else:
            pairs.append((before, match))
    return pairs


def _compare_templates(old: Entity, new: Entity, add: _Add) -> None:
    """Key and index templates of a templated table's entity: a changed one moves its items."""
    where: Where = ("entities", new.name, "keys")
    if old.keys is not None and new.keys is not None:
        for role, was, now in (
            ("partition", old.keys.partition, new.keys.partition),
            ("sort", old.keys.sort, new.keys.sort),
        ):
            if _text(was) != _text(now):
                add("KEYS", where, f"entity {new.name}: the {role} key template changed from {_text(was)} to {_text(now)}: its stored items no longer match their keys")  # fmt: skip
    before = {i.name: i for i in old.indexes}
    for index in new.indexes:
        was_index = before.get(index.name)
        if was_index is None:
            continue
        if (was_index.index, _text(was_index.partition), _text(was_index.sort)) != (index.index, _text(index.partition), _text(index.sort)):  # fmt: skip
            add("KEYS", ("entities", new.name, "indexes", index.name), f"entity {new.name}: index {index.name!r} changed its templates or physical index: stored items keep their old index keys until rewritten")  # fmt: skip
    for name in before:
        if name not in {i.name for i in new.indexes}:
            add("API", ("entities", new.name, "indexes"), f"entity {new.name}: index {name!r} was removed (its query methods)")  # fmt: skip


def _text(template: Template | None) -> str:
    return "none" if template is None else repr(template.text)


def _compare_keys(old: Table, new: Table, add: _Add) -> None:
    before = _key(old, old.partition, old.sort)
    after = _key(new, new.partition, new.sort)
    if before != after:
        add("KEYS", ("key",), f"the table key changed from {_key_text(before)} to {_key_text(after)}: every item moves")  # fmt: skip
        add("TABLE", ("key",), "the key schema changed: no update can do that, it needs a new table")  # fmt: skip
    if (old.partition, old.sort) != (new.partition, new.sort):
        add("API", ("key",), f"the key parameters changed from {_names(old.partition, old.sort)} to {_names(new.partition, new.sort)}")  # fmt: skip
    for name in (new.partition, new.sort):
        if not name or new.is_single_table:  # physical string attributes: no type to change
            continue
        was = _attribute(old, name)
        now = new.entity.attribute(name)
        if was is not None and (was.kind is not now.kind or str(was.type) != str(now.type)):
            add("KEYS", ("key",), f"key attribute {name!r} changed type from {was.type} to {now.type}: the typed key parameters change")  # fmt: skip


def _names(partition: str, sort: str | None) -> str:
    return ", ".join(repr(n) for n in (partition, sort) if n)


def _attribute(table: Table, name: str) -> Attribute | None:
    try:
        return table.entity.attribute(name)
    except KeyError:
        return None


def _projected(table: Table, index: Index) -> set[str] | None:
    """Python names of the attributes an index returns; None for all of them."""
    if index.projection == "all":
        return None
    keys = {table.partition, table.sort, index.partition, index.sort} - {None}
    names = set() if index.projection == "keys_only" else set(index.projection)
    return {str(n) for n in keys} | names


def _compare_indexes(old: Table, new: Table, add: _Add) -> None:
    before = {i.name: i for i in old.indexes}
    after = {i.name: i for i in new.indexes}
    for name, was in sorted(before.items()):
        where: Where = ("indexes", name)
        now = after.get(name)
        if now is None:
            add("API", ("indexes",), f"{was.kind} index {name!r} was removed (its query methods)", where)  # fmt: skip
            if was.is_local:
                add("TABLE", ("indexes",), f"local index {name!r} was removed: that needs a new table", where)  # fmt: skip
            continue
        if was.is_local != now.is_local:
            add("TABLE", where, f"index {name!r} changed from {was.kind} to {now.kind}")
            continue
        old_key = _key(old, was.partition, was.sort)
        new_key = _key(new, now.partition, now.sort)
        if old_key != new_key:
            add("KEYS", where, f"index {name!r} key changed from {_key_text(old_key)} to {_key_text(new_key)}")  # fmt: skip
        if (was.partition, was.sort) != (now.partition, now.sort):
            add("API", where, f"index {name!r} query parameters changed from {_names(was.partition, was.sort)} to {_names(now.partition, now.sort)}")  # fmt: skip
        old_projected, new_projected = _projected(old, was), _projected(new, now)
        if was.projection != now.projection:
            if now.is_local:
                add("TABLE", where, f"local index {name!r} projection changed: that needs a new table")  # fmt: skip
            if new_projected is not None and (old_projected is None or old_projected - new_projected):  # fmt: skip
                lost = "all attributes" if old_projected is None else ", ".join(sorted(old_projected - new_projected))  # fmt: skip
                add("API", where, f"index {name!r} returns fewer attributes ({lost} no longer projected)")  # fmt: skip
        elif now.is_local and old_key != new_key:
            add("TABLE", where, f"local index {name!r} changed: that needs a new table")
    for name, now in sorted(after.items()):
        if name not in before and now.is_local:
            add("TABLE", ("indexes", name), f"local index {name!r} was added: that needs a new table")  # fmt: skip
