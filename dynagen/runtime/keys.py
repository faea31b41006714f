"""Template keys for single-table design: typed parts encoded so string order is value order.

A table that holds several entities fills its physical key attributes (`pk`, `sk`, `gsi1pk` ...)
from templates such as `ORDER#{order_no:08}`. A generated module holds one `KeyTemplate` per
template. It refuses, before any request, a value that would break the template (a negative or
too-wide int, an empty string, a string holding the separator that follows it); it parses a
stored key back with one anchored pattern; and it turns a typed condition on one part into a
condition on the physical string that only this template's keys can meet. Keys are never
case-folded.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any, Callable, Generic, Literal, Mapping, NoReturn, Sequence, TypeVar

from dynagen.runtime.codec import (
    date_text,
    datetime_text,
    enum_value,
    read_date,
    read_datetime,
    read_uuid,
    text,
    uuid_text,
)
from dynagen.runtime.errors import ItemDecodeError, ValidationError
from dynagen.runtime.expressions import Sort, SortCondition
from dynagen.runtime.types import AttributeValue

T = TypeVar("T")
PartKind = Literal["string", "int", "datetime", "date", "uuid", "enum"]
TOP = "\U0010ffff"
"""The highest code point: the upper bound of every prefix range, so refused inside keys."""


def _refuse(name: str, message: str) -> NoReturn:
    raise ValidationError(f"{name}: {message}")


class _Part:
    """What one kind of key part is: how a value is written into the key and read back, and the
    pattern of its stored text. `fixed`: every value's text has the same length, so the key's
    order is the value's order wherever the part stands; a part that is not fixed (free text)
    needs a separator after it, and may neither be empty nor hold that separator."""

    fixed = True

    def check(self, part: KeyPart, template: str) -> None:
        """Refuse (ValueError) a part of this kind that the template cannot hold."""

    def pattern(self, part: KeyPart, stop: str | None) -> str:
        raise NotImplementedError

    def write(self, part: KeyPart, value: Any) -> str:
        raise NotImplementedError

    def read(self, part: KeyPart, found: str) -> Any:
        raise NotImplementedError


class _IntPart(_Part):
    """Zero-padded to the template's width, so string order is number order; never negative."""

    def check(self, part: KeyPart, template: str) -> None:
        if not part.width:
            raise ValueError(f"template {template!r}: int part {part.attribute} needs a width")

    def pattern(self, part: KeyPart, stop: str | None) -> str:
        return f"[0-9]{{{part.width}}}"

    def write(self, part: KeyPart, value: Any) -> str:
        name, width = part.attribute, part.width
        assert width is not None
        if type(value) is not int:
            if isinstance(value, bool) or not isinstance(value, int):
                _refuse(name, f"expected int, got {type(value).__name__}")
            value = int(value)
        if value < 0:
            _refuse(name, f"{value} is negative: a key template part holds 0 or more")
        digits = str(value)
        if len(digits) > width:
            _refuse(name, f"{value} does not fit the key template's {width} digits")
        return digits.rjust(width, "0")

    def read(self, part: KeyPart, found: str) -> Any:
        return int(found)


@dataclass(frozen=True)
class _FormattedPart(_Part):
    """A value with one text of one length: a datetime, a date, a UUID (the codec's own forms)."""

    regex: str
    writer: Callable[[Any, str], str]
    reader: Callable[[str], Any]

    def pattern(self, part: KeyPart, stop: str | None) -> str:
        return self.regex

    def write(self, part: KeyPart, value: Any) -> str:
        return self.writer(value, part.attribute)

    def read(self, part: KeyPart, found: str) -> Any:
        return self.reader(found)


class _StringPart(_Part):
    fixed = False

    def pattern(self, part: KeyPart, stop: str | None) -> str:
        return f"[^{re.escape(TOP + (stop or ''))}]+"

    def write(self, part: KeyPart, value: Any) -> str:
        return text(value, part.attribute)

    def read(self, part: KeyPart, found: str) -> Any:
        return found


class _EnumPart(_Part):
    """An enum member's value; read back as the member."""

    fixed = False

    def pattern(self, part: KeyPart, stop: str | None) -> str:
        assert part.choices is not None
        values = sorted((str(member.value) for member in part.choices), key=len, reverse=True)
        return "|".join(re.escape(value) for value in values)

    def write(self, part: KeyPart, value: Any) -> str:
        assert part.choices is not None
        return enum_value(value, part.choices, part.attribute)

    def read(self, part: KeyPart, found: str) -> Any:
        assert part.choices is not None
        return part.choices(found)


_PARTS: Mapping[str, _Part] = {
    "string": _StringPart(),
    "int": _IntPart(),
    "datetime": _FormattedPart(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z",
        datetime_text,
        read_datetime,
    ),
    "date": _FormattedPart(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date_text, read_date),
    "uuid": _FormattedPart(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", uuid_text, read_uuid
    ),
    "enum": _EnumPart(),
}
"""Each PartKind's story, the one place the runtime tells the kinds of key part apart."""


@dataclass(frozen=True)
class KeyPart:
    """One typed `{attribute}` part: its Python attribute name, kind, and int width or enum class."""

    attribute: str
    kind: PartKind
    width: int | None = None
    choices: type[enum.Enum] | None = None

    @property
    def fixed(self) -> bool:
        """Every value has the same length, so the key's order is the value's order wherever it stands."""
        return _PARTS[self.kind].fixed


class KeyTemplate:
    """One key template, e.g. `KeyTemplate("ORDER#{order_no:08}", "ORDER#", KeyPart("order_no", "int", 8))`."""

    __slots__ = ("text", "pieces", "parts", "prefix", "_stops", "_pattern")

    def __init__(self, text: str, *pieces: str | KeyPart) -> None:
        self.text = text
        self.pieces = pieces
        self.parts = tuple(piece for piece in pieces if isinstance(piece, KeyPart))
        first = next((i for i, piece in enumerate(pieces) if isinstance(piece, KeyPart)), None)
        self.prefix = "".join(str(piece) for piece in pieces[:first])
        stops: dict[str, str | None] = {}
        pattern: list[str] = []
        for i, piece in enumerate(pieces):
            if isinstance(piece, str):
                if not piece or TOP in piece:
                    raise ValueError(
                        f"template {text!r}: literal {piece!r} is empty or holds U+10FFFF"
                    )
                pattern.append(re.escape(piece))
                continue
            after = pieces[i + 1] if i + 1 < len(pieces) else None
            stop = after[0] if isinstance(after, str) else None
            kind = _PARTS[piece.kind]
            if not kind.fixed and isinstance(after, KeyPart):
                raise ValueError(f"template {text!r}: {piece.attribute} needs a separator after it")
            kind.check(piece, text)
            stops[piece.attribute] = stop
            pattern.append(f"(?P<{piece.attribute}>{kind.pattern(piece, stop)})")
        self._stops = stops
        self._pattern = re.compile("".join(pattern), re.DOTALL)

    def __repr__(self) -> str:
        return f"KeyTemplate({self.text!r})"

    # ------------------------------------------------------------ writing

    def part_text(self, part: KeyPart, value: Any) -> str:
        """One part's stored text; a value that would break the template raises ValidationError."""
        name = part.attribute
        kind = _PARTS[part.kind]
        stored = kind.write(part, value)
        if kind.fixed:
            return stored
        if not stored:
            _refuse(name, "a key template part cannot be an empty string")
        stop = self._stops[name]
        if stop is not None and stop in stored:
            _refuse(
                name, f"{stored!r} holds {stop!r}, the separator that follows it in {self.text!r}"
            )
        if TOP in stored:
            _refuse(name, "U+10FFFF is reserved in keys (it bounds the key ranges of queries)")
        return stored

    def encode(self, values: Mapping[str, Any]) -> str:
        """The whole key for an item's values (attribute name -> value)."""
        return "".join(
            piece if isinstance(piece, str) else self.part_text(piece, values[piece.attribute])
            for piece in self.pieces
        )

    def wire(self, *values: Any) -> AttributeValue:
        """The key as `{"S": ...}`, from the parts' values in template order."""
        return {"S": self.encode(dict(zip(self.attributes, values, strict=True)))}

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(part.attribute for part in self.parts)

    # ------------------------------------------------------------ reading

    def parse(self, raw: str) -> dict[str, Any] | None:
        """The parts' values of a stored key, or None when the key does not fit this template."""
        if type(raw) is not str:
            return None
        match = self._pattern.fullmatch(raw)
        if match is None:
            return None
        values: dict[str, Any] = {}
        for part in self.parts:
            found = match.group(part.attribute)
            try:
                values[part.attribute] = _PARTS[part.kind].read(part, found)
            except ValueError:
                return None
        return values

    def fits(self, raw: object) -> bool:
        return isinstance(raw, str) and self.parse(raw) is not None

    # ------------------------------------------------------------ querying

    def sort_condition(self, sort: PartSort[Any] | None) -> SortCondition[str] | None:
        """The physical condition for a typed one made by a generated `...Sort` class (None:
        this template's own prefix alone)."""
        if sort is None:
            return self.condition()
        if not isinstance(sort, PartSort) or sort.template is not self:
            made = sort.template.text if isinstance(sort, PartSort) else type(sort).__name__
            raise ValidationError(
                f"this sort condition was made for the key template {made!r}, "
                f"not {self.text!r}: use the Sort class of the index you query"
            )
        return self.condition(sort.leading, sort.last)

    def condition(
        self, leading: Sequence[Any] = (), last: SortCondition[Any] | None = None
    ) -> SortCondition[str] | None:
        """The condition on the physical attribute for: these leading parts equal, then `last`
        on the next part; it matches only keys this template makes (None: no condition needed)."""
        if len(leading) + (last is not None) > len(self.parts):
            raise ValidationError(f"{self.text!r} has only {len(self.parts)} parts")
        known = iter(leading)
        head: list[str] = []
        index = 0
        for index, piece in enumerate(self.pieces):  # noqa: B007 - index is used below
            if isinstance(piece, str):
                head.append(piece)
                continue
            try:
                head.append(self.part_text(piece, next(known)))
            except StopIteration:
                break
        else:
            return Sort.eq("".join(head))  # every part known: the whole key
        prefix = "".join(head)
        part = self.pieces[index]
        assert isinstance(part, KeyPart)
        if last is None:
            return Sort.begins_with(prefix) if prefix else None
        rest = self.pieces[index + 1 :]
        return self._range(prefix, part, rest, last)

    def _range(
        self,
        prefix: str,
        part: KeyPart,
        rest: Sequence[str | KeyPart],
        last: SortCondition[Any],
    ) -> SortCondition[str]:
        op = last.op
        if op == "begins_with":
            if part.kind != "string":
                _refuse(part.attribute, "begins_with needs a string part")
            start = text(last.values[0], part.attribute)
            stop = self._stops[part.attribute]
            if stop is not None and stop in start:
                _refuse(part.attribute, f"{start!r} holds {stop!r}, the separator after it")
            return Sort.begins_with(prefix + start)
        values = [self.part_text(part, value) for value in last.values]
        if op == "=":
            if not rest:
                return Sort.eq(prefix + values[0])
            follow = rest[0] if isinstance(rest[0], str) else ""
            return Sort.begins_with(prefix + values[0] + follow)
        if not part.fixed and rest:
            _refuse(
                part.attribute,
                f"a range on a {part.kind} part needs it to end the template {self.text!r} "
                "(use equality or begins_with)",
            )
        low, high = (
            prefix + "\x00",
            prefix + TOP,
        )  # a part is never empty: the bare prefix is not a key
        # A fixed-width part is followed by more text: equal values sort below `+ TOP`.
        above = TOP if part.fixed else "\x00"
        if op in (">=", "between"):
            low = prefix + values[0]
        if op == ">":
            low = prefix + values[0] + above
        if op in ("<=", "between"):
            high = prefix + values[-1] + (TOP if part.fixed else "")
        if op == "<":
            high = _just_below(prefix, values[0])
        return Sort.between(low, high)


@dataclass(frozen=True)
class PartSort(Generic[T]):
    """A typed sort condition on one template's parts: `leading` parts equal, then `last` on the
    next part. T is the generated Sort class that made it (`OrderSort.order_no(Sort.between(5, 9))`
    is a `PartSort[OrderSort]`), so mypy refuses it on another entity's or index's query."""

    template: KeyTemplate
    leading: tuple[Any, ...]
    last: SortCondition[Any] | None


def _just_below(prefix: str, value: str) -> str:
    """An upper bound (inclusive) that every prefix+x with x < value meets, and prefix+value does not."""
    last = value[-1]
    if last == "\x00":
        return prefix + value[:-1] if len(value) > 1 else prefix + TOP + TOP  # nothing is below
    return prefix + value[:-1] + chr(ord(last) - 1) + TOP


@dataclass(frozen=True)
class EntityKey:
    """One entity's table key: its name (as stored in the entity attribute) and templates."""

    entity: str
    partition: KeyTemplate
    sort: KeyTemplate | None = None

    def fits(self, pk: object, sk: object) -> bool:
        if not self.partition.fits(pk):
            return False
        return sk is None if self.sort is None else self.sort.fits(sk)


def _key_text(raw: Mapping[str, AttributeValue], name: str | None) -> object:
    if name is None or name not in raw:
        return None
    return raw[name].get("S")


def which_entity(
    raw: Mapping[str, AttributeValue],
    table: str,
    names: tuple[str, str | None, str],
    entities: Sequence[EntityKey],
) -> str:
    """The entity a stored item belongs to, from its entity attribute and keys (which must agree).

    `names` is (partition attribute, sort attribute or None, entity attribute). A key that fits
    no entity's templates, or an entity attribute that disagrees with the keys, raises
    ItemDecodeError naming the raw key.
    """
    partition, sort, type_name = names
    pk, sk = _key_text(raw, partition), _key_text(raw, sort)
    stored = _key_text(raw, type_name)
    shown = {partition: pk} if sort is None else {partition: pk, sort: sk}
    fitting = [entity for entity in entities if entity.fits(pk, sk)]
    if not fitting:
        raise ItemDecodeError(
            table, partition, f"the key {shown} fits no entity's key template", key=None
        )
    if stored is None:
        return fitting[0].entity
    if not any(entity.entity == stored for entity in fitting):
        raise ItemDecodeError(
            table,
            type_name,
            f"the entity attribute says {stored!r} but the key {shown} fits "
            f"{', '.join(entity.entity for entity in fitting)}",
        )
    return str(stored)


@dataclass(frozen=True)
class ProjectedKeys:
    """The physical keys an index item of one entity carries (the table's and the index's), and
    their templates: a `keys_only` or INCLUDE index does not carry the entity's attributes, so a
    projection class takes its template attributes back from these keys."""

    entity: str
    keys: tuple[tuple[str, KeyTemplate], ...]  # (stored key name, template)

    def values(self, raw: Mapping[str, AttributeValue]) -> dict[str, Any]:
        """Every template attribute's value; a key that is missing or does not fit its template
        (another entity's item, or data another tool wrote) raises ItemDecodeError naming it."""
        values: dict[str, Any] = {}
        for name, template in self.keys:
            text = _key_text(raw, name)
            parsed = template.parse(text) if isinstance(text, str) else None
            if parsed is None:
                shown = {n: raw[n] for n, _ in self.keys if n in raw}
                raise ItemDecodeError(
                    self.entity,
                    name,
                    f"expected a key fitting {template.text!r}, found {text!r}",
                    shown or None,
                )
            values.update(parsed)
        return values


def check_complete(values: Mapping[str, Any], names: Sequence[str], what: str) -> None:
    """An update group (`update(shipments={...})`) names every attribute its index keys need."""
    missing = [name for name in names if name not in values]
    if missing:
        raise ValidationError(
            f"{what}: missing {', '.join(missing)}: these attributes make an index key together, "
            "so an update gives all of them"
        )


def check_entity(
    raw: Mapping[str, AttributeValue], type_name: str, key: EntityKey, names: tuple[str, str | None]
) -> None:
    """Before decoding an item as `key.entity`: its entity attribute and keys must say so."""
    stored = _key_text(raw, type_name)
    if stored != key.entity:
        raise ItemDecodeError(
            key.entity,
            type_name,
            f"expected {key.entity!r}, found {stored!r} (another entity's item?)",
        )
    pk, sk = _key_text(raw, names[0]), _key_text(raw, names[1])
    if not key.fits(pk, sk):
        shown = {names[0]: pk} if names[1] is None else {names[0]: pk, names[1]: sk}
        raise ItemDecodeError(
            key.entity, names[0], f"the key {shown} does not fit {key.entity}'s key template"
        )


__all__ = [
    "TOP",
    "EntityKey",
    "KeyPart",
    "KeyTemplate",
    "PartSort",
    "PartKind",
    "ProjectedKeys",
    "check_complete",
    "check_entity",
    "which_entity",
]
