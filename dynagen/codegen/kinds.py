"""One codegen class per spec type: how a value of it is written in the generated module.

Each class, bound to one `TypeRef`, gives the type's annotation, its encode expression (Python
value -> AttributeValue) and decode expression (AttributeValue -> Python value), its runtime value
type (`dynagen.runtime.shapes`), the annotation and expression of its typed condition reference,
its dataclass default, and its presence on the wire. Containers delegate to their element's
class. The templates never decide anything about a type; they paste the strings made here.
What a kind says with a constant is class data that the base classes' methods read; for the
scalar and container kinds it is one row of `SCALARS` or `CONTAINERS` (wire type, annotation,
runtime value type, payload reader; a container's Python class and reference class), which the
base class gives the kind's class. A scalar's encoder is its `Inline` test, written by one method.

Encode expressions check the value inline, cheaply, for the common case (`type(v) is str and
v.isascii()`) and call a runtime function (`_rt.text(v, "name")`) only when that test fails: the
function takes the less common good values (non-ASCII text, an int for a decimal) and refuses the
rest with ValidationError naming the attribute. Decode expressions take DynamoDB's own forms
inline and raise on anything else; the generated function then hands the item to its value type,
which decodes it precisely or names the attribute at fault (ItemDecodeError).

Adding a spec type touches two modules and one test: its `Kind` in `dynagen/spec/kinds.py`, its
class here (listed in `CODEGEN`, which registers it under its kind's name; a scalar's or a
container's row in `SCALARS` or `CONTAINERS`), and its cases in
`tests/codegen/test_kinds.py`, which fails until both registries name the same kinds and every
kind has its annotation and round-trip cases.
"""

from __future__ import annotations

import datetime
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from dynagen.limits import MAX_NESTED_CONTAINERS
from dynagen.naming import codec_names, record_partial, record_ref
from dynagen.spec import kinds
from dynagen.spec.kinds import Kind
from dynagen.spec.model import Default, TypeRef

# How an attribute sits on the wire: always written; left out when None ("optional"); or left
# out when empty ("set": DynamoDB never stores an empty set), reading back as an empty set.
Presence = Literal["always", "optional", "set"]

# Members of the runtime's MapAttr: a record field with one of these names gets a trailing `_`.
REF_MEMBERS = frozenset(
    {"path", "size", "exists", "not_exists", "is_type", "in_", "set", "set_if_not_exists", "remove"}
)


@dataclass(frozen=True)
class Level:
    """How deep a value sits on the wire (1: a top-level attribute), as generated code knows it:
    a fixed number, or a record marshal function's `level` parameter plus a fixed number. A list
    or map deeper than `MAX_NESTED_CONTAINERS` cannot be stored."""

    base: str | None = None
    offset: int = 1

    def inner(self) -> Level:
        return Level(self.base, self.offset + 1)

    def __str__(self) -> str:
        if self.base is None:
            return str(self.offset)
        return self.base if self.offset == 0 else f"{self.base} + {self.offset}"


TOP = Level()


def _tag(label: str) -> str:
    """An identifier fragment from a label (`tags[]` -> `tags`), for the names `:=` binds."""
    return re.sub(r"\W+", "_", label).strip("_") or "v"


def _bind(expr: str, name: str) -> tuple[str, str]:
    """(the first use, the later uses) of `expr`: a plain name as it is, anything else bound
    once with `:=` (generated code reads it in the test and again in the result)."""
    if expr.isidentifier():
        return expr, expr
    return f"{name} := {expr}", name  # always a call's sole argument: no parentheses needed


class KindCodegen(ABC):
    """The generated code for values of one type `t`; subclasses are one per kind."""

    kind: ClassVar[Kind]
    # What most kinds say with a constant; named types and containers build theirs instead.
    python_type: ClassVar[str]  # the annotation
    runtime_type: ClassVar[str]  # the runtime value type
    key_runtime_type: ClassVar[str | None] = None  # its stricter twin for key values, if any
    reference: ClassVar[str | None] = None  # the reference class, if not Attr / OrderedAttr

    def __init__(self, t: TypeRef, *, partial: bool = False) -> None:
        assert t.kind is self.kind, (t, self.kind)
        self.t = t
        # as a partial read holds it: records, at any depth, as their all-optional partial class
        self.partial = partial

    def annotation(self) -> str:
        """The Python type of a value (without `| None`)."""
        return self.python_type

    @abstractmethod
    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        """An expression turning `expr` (a Python value) into its AttributeValue, or raising
        ValidationError naming `label` when the value does not fit the type.

        `key` refuses what DynamoDB refuses in key values (empty strings and bytes); `depth`
        keeps nested comprehension names apart; `level` is how deep the value sits on the wire.
        """

    @abstractmethod
    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        """An expression turning `expr` (an AttributeValue in DynamoDB's own form) back into the
        Python value; anything else raises (one of `_rt.DECODE_ERRORS`). `tag` names what it binds.
        """

    def value_type(self, *, key: bool = False) -> str:
        """The runtime value type (`dynagen.runtime.shapes`) with the same rules, used to explain
        a failure precisely (and to read what the inline decode does not take)."""
        if key and self.key_runtime_type is not None:
            return self.key_runtime_type
        return self.runtime_type

    def containers(self) -> int:
        """How many lists and maps deep a value of this type goes inside its own marshal function
        (records and JSON check their own depth)."""
        return 0

    def field_annotation(self, *, optional: bool) -> str:
        """The dataclass field's annotation: optional attributes may be None."""
        text = self.annotation()
        return f"{text} | None" if optional else text

    def ref_class(self) -> str:
        """The reference class of one value: ordered kinds compare, the others test equality."""
        if self.reference is not None:
            return self.reference
        return "_rt.OrderedAttr" if self.kind.ordered else "_rt.Attr"

    def ref_annotation(self, entity: str, mode: str) -> str:
        """The type of a reference inside `entity` in `mode` (`_rt.Key`, `_rt.Auto`,
        `_rt.Required` or `_rt.Removable`: which update actions it offers), e.g.
        `_rt.Attr[Order, bool, _rt.Required]`."""
        return f"{self.ref_class()}[{entity}, {self.annotation()}, {mode}]"

    def ref_expr(
        self, path: str, label: str, mode: str, *, key: bool = False, depth: int = 0
    ) -> str:
        """An expression building the reference at `path` (a str or a Path expression)."""
        return f"{self.ref_class()}({path}, {self.encoder(label, key=key, depth=depth)}, {mode})"

    def encoder(self, label: str, *, key: bool = False, depth: int = 0) -> str:
        """A lambda encoding one value, for references."""
        return f"lambda v: {self.encode('v', label, key=key, depth=depth, level=Level(None, depth + 1))}"

    def default_code(self, *, optional: bool, default: Default | None) -> str | None:
        """The text after `=` in the dataclass field, or None for a required field."""
        if default is None:
            return "None" if optional else None
        if default.value is None:
            return "None"
        return self.default_literal(default.value)

    def default_literal(self, value: object) -> str:
        """Python source for a default value, as the kind's default check typed it."""
        return repr(value)

    def default_value(self, value: object) -> str:
        """An expression for the default value itself, a fresh one each time it is evaluated:
        what a stored item without the attribute reads as (old items, before the attribute)."""
        return self.default_literal(value)

    def presence(self, *, optional: bool) -> Presence:
        """When the marshal code writes the attribute: optional ones are left out when None."""
        return "optional" if optional else "always"


@dataclass(frozen=True)
class Inline:
    """How a scalar's encoder checks and converts a value inline, as generated code writes it:
    `<fast> if type(v) is <annotation><guard> else <slow>(v, <label>)`.

    The common good value is converted inline; anything else goes to the runtime function `slow`,
    which takes the less common good values or raises ValidationError naming the attribute. In
    `fast` and `guard`, `{v}` is the value and `{t}` a name they may bind with `:=`.
    """

    fast: str
    slow: str
    guard: str = ""


@dataclass(frozen=True)
class Stored:
    """How the values of a scalar kind are stored and typed."""

    wire: str  # the wire type
    python_type: str  # the annotation
    runtime_type: str  # the runtime value type
    reader: str | None = None  # the runtime function reading the payload; None: the payload itself
    key_runtime_type: str | None = None  # the runtime value type's stricter twin for key values


# The scalar kinds' storage, one row a kind, which `_ScalarCodegen` gives the class of the kind
# (VersionCodegen and the timestamps, made of IntCodegen and DatetimeCodegen, inherit theirs).
SCALARS: dict[Kind, Stored] = {
    kinds.STRING: Stored("S", "str", "_rt.TEXT", key_runtime_type="_rt.KEY_TEXT"),
    kinds.INT: Stored("N", "int", "_rt.INT"),
    kinds.FLOAT: Stored("N", "float", "_rt.FLOAT", "_rt.read_float"),
    kinds.DECIMAL: Stored("N", "decimal.Decimal", "_rt.DECIMAL"),
    kinds.BOOL: Stored("BOOL", "bool", "_rt.BOOL"),
    kinds.BYTES: Stored("B", "bytes", "_rt.BYTES", key_runtime_type="_rt.KEY_BYTES"),
    kinds.DATETIME: Stored("S", "datetime.datetime", "_rt.DATETIME", "_rt.read_datetime"),
    kinds.DATE: Stored("S", "datetime.date", "_rt.DATE", "_rt.read_date"),
    kinds.UUID: Stored("S", "uuid.UUID", "_rt.UUID", "_rt.read_uuid"),
    kinds.TTL: Stored("N", "datetime.datetime", "_rt.TTL", "_rt.read_ttl"),
}


class _ScalarCodegen(KindCodegen):
    """A value stored under one wire type; `scalar` is the checked expression inside it (what a
    set of it holds, too), made by the kind's `inline` test."""

    wire: ClassVar[str]
    reader: ClassVar[str | None] = None  # the runtime function reading the payload, if any
    inline: ClassVar[Inline]
    key_inline: ClassVar[Inline | None] = None  # a stricter test for key values, if any

    def __init_subclass__(cls) -> None:
        """A class declaring a kind of `SCALARS` takes that kind's storage as its class data."""
        super().__init_subclass__()
        kind = vars(cls).get("kind")
        if kind in SCALARS:
            stored = SCALARS[kind]
            cls.wire, cls.reader = stored.wire, stored.reader
            cls.python_type, cls.runtime_type = stored.python_type, stored.runtime_type
            cls.key_runtime_type = stored.key_runtime_type

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        """The checked payload (`str`, N text, `bytes`, `bool`) of the value `expr`."""
        inline = self.key_inline if key and self.key_inline is not None else self.inline
        name, text = _names(label, depth)
        first, v = _bind(expr, name)
        fast, guard = inline.fast.format(v=v, t=text), inline.guard.format(v=v, t=text)
        otherwise = self.fallback(inline.slow, v, label)
        return f"{fast} if type({first}) is {self.annotation()}{guard} else {otherwise}"

    def fallback(self, function: str, v: str, label: str) -> str:
        """The call of the runtime function `function` on the value `v` (not taken inline)."""
        return f"{function}({v}, {label!r})"

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        return f'{{"{self.wire}": {self.scalar(expr, label, key=key, depth=depth)}}}'

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        """The payload read by `reader`; without one, the payload itself when it is already of
        the Python type (`str`, `bool`, `bytes`: DynamoDB's own forms need no conversion)."""
        payload = f'{expr}["{self.wire}"]'
        if self.reader is not None:
            return f"{self.reader}({payload})"
        first, v = _bind(payload, f"_v{depth}_{tag}")
        return f"{v} if type({first}) is {self.annotation()} else _rt.wrong()"


def _names(label: str, depth: int) -> tuple[str, str]:
    tag = _tag(label)
    return f"_v{depth}_{tag}", f"_t{depth}_{tag}"


# ---------------------------------------------------------------- scalars


class StringCodegen(_ScalarCodegen):
    kind = kinds.STRING
    reference = "_rt.StringAttr"  # ordered, and begins_with
    inline = Inline("{v}", "_rt.text", " and {v}.isascii()")
    key_inline = Inline("{v}", "_rt.key_str", " and {v} and {v}.isascii()")


class _NumberCodegen(_ScalarCodegen):
    """A plain number, stored as N text; its reference is ordered and has `.increment()`."""

    reference = "_rt.NumberAttr"


class IntCodegen(_NumberCodegen):
    kind = kinds.INT
    # bool is not an int here; up to 38 characters of digits need no further check
    inline = Inline("{t}", "_rt.number_int", " and len({t} := str({v})) < 39")

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        number, text = f"_n{depth}_{tag}", f"_t{depth}_{tag}"
        # ASCII digits under read_int's 4,000-digit bound read as int() reads them (`str.isdigit`
        # refuses bytes too); a minus sign, or anything else, takes the exact test of DynamoDB's
        # canonical form, then the long way (tests/codegen/test_fast_decode.py holds it exact)
        return (
            f'int({text}) if str.isdigit({text} := {expr}["N"]) and {text}.isascii() '
            f"and len({text}) < 4000 "
            f"else ({number} if str({number} := int({text})) == {text} else _rt.read_int({text}))"
        )


class FloatCodegen(_NumberCodegen):
    kind = kinds.FLOAT
    inline = Inline(
        "repr({v})", "_rt.number_float", " and (1e-130 <= abs({v}) < 1e126 or {v} == 0)"
    )


class DecimalCodegen(_NumberCodegen):
    kind = kinds.DECIMAL
    # plain notation of up to 38 characters holds at most 38 digits within DynamoDB's range
    inline = Inline(
        "{t}",
        "_rt.decimal_text",
        ' and len({t} := str({v})) < 39 and "E" not in {t} and {v}.is_finite()',
    )

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        text = f"_t{depth}_{tag}"
        # DynamoDB writes digits, `-` and `.` only: anything else goes the long way
        return (
            f'decimal.Decimal({text}) if not ({text} := {expr}["N"]).strip("0123456789.-") '
            f"else _rt.read_decimal({text})"
        )

    def default_literal(self, value: object) -> str:
        return f"decimal.Decimal({str(value)!r})"  # the digits as written: 1.50 stays 1.50


class BoolCodegen(_ScalarCodegen):
    kind = kinds.BOOL
    inline = Inline("{v}", "_rt.boolean")


class BytesCodegen(_ScalarCodegen):
    kind = kinds.BYTES
    reference = "_rt.BytesAttr"
    inline = Inline("{v}", "_rt.binary")
    key_inline = Inline("{v}", "_rt.key_bytes", " and {v}")

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        first, v = _bind(f'{expr}["B"]', f"_v{depth}_{tag}")
        # bytes through botocore; base64 text through the direct transport, decoded here
        return f"{v} if type({first}) is bytes else _rt.read_bytes({v})"

    def ref_annotation(self, entity: str, mode: str) -> str:
        return f"_rt.BytesAttr[{entity}, {mode}]"


# The inline test of an aware datetime in UTC (datetime and ttl): any other zone goes the long way.
_IN_UTC = " and {v}.tzinfo is _rt.UTC"


class DatetimeCodegen(_ScalarCodegen):
    """dynagen's own stored form, or the one `format:` names (`t.format`): the runtime's format
    object (`_rt.ISO_MILLIS`, dynagen.runtime.datetimes) encodes, decodes and checks it."""

    kind = kinds.DATETIME
    # the common case, an aware datetime in UTC, inline: its ISO text less "+00:00"
    inline = Inline(
        '{v}.isoformat(timespec="microseconds")[:-6] + "Z"',
        "_rt.datetime_text",
        _IN_UTC,
    )

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        wire = self.t.format.wire if self.t.format is not None else self.wire
        return f'{{"{wire}": {self.scalar(expr, label, key=key, depth=depth)}}}'

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        if self.t.format is not None:
            return f"_rt.{self.t.format.constant}.encode({expr}, {label!r})"
        return super().scalar(expr, label, key=key, depth=depth)

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        if self.t.format is not None:
            return f'_rt.{self.t.format.constant}.decode({expr}["{self.t.format.wire}"])'
        return super().decode(expr, depth=depth, tag=tag)

    def value_type(self, *, key: bool = False) -> str:
        if self.t.format is not None:
            return f"_rt.Formatted(_rt.{self.t.format.constant})"
        return super().value_type(key=key)


class DateCodegen(_ScalarCodegen):
    kind = kinds.DATE
    inline = Inline("{v}.isoformat()", "_rt.date_text")

    def default_literal(self, value: object) -> str:
        assert isinstance(value, datetime.date), value
        return f"datetime.date.fromisoformat({value.isoformat()!r})"


class UuidCodegen(_ScalarCodegen):
    kind = kinds.UUID
    inline = Inline("str({v})", "_rt.uuid_text")

    def default_literal(self, value: object) -> str:
        return f"uuid.UUID({str(value)!r})"


class JsonCodegen(KindCodegen):
    kind = kinds.JSON
    python_type = "typing.Any"
    runtime_type = "_rt.JSON"

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        where = "" if level == TOP else f", {level}"
        return f"_rt.json_value({expr}, {label!r}{where})"

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        return f"_rt.parse_json({expr})"

    def default_literal(self, value: object) -> str:
        if isinstance(value, (list, dict)):  # mutable: a fresh copy per instance
            return f"dataclasses.field(default_factory=lambda: {value!r})"
        return repr(value)

    def default_value(self, value: object) -> str:
        return repr(value)


# ---------------------------------------------------------------- named types


class RecordCodegen(KindCodegen):
    """A record from `types:`: its generated dataclass, stored as a map by its own codec, whose
    marshal function checks the value is one and is not nested too deep (it takes its level)."""

    kind = kinds.RECORD

    def _read_class(self) -> str:
        """The class a read builds: the record's own, or its partial class in a partial read."""
        name = str(self.t.name)
        return record_partial(name) if self.partial else name

    def annotation(self) -> str:
        return self._read_class()

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        return f'{{"M": {codec_names(str(self.t.name), public=False).marshal}({expr}, {level})}}'

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        return f'{codec_names(self._read_class(), public=False).unmarshal}({expr}["M"])'

    def value_type(self, *, key: bool = False) -> str:
        return f"_rt.Struct(lambda: {codec_names(self._read_class(), public=False).fields_table})"

    def ref_class(self) -> str:
        return record_ref(str(self.t.name))

    def ref_annotation(self, entity: str, mode: str) -> str:
        return f"{record_ref(str(self.t.name))}[{entity}, {mode}]"


class EnumCodegen(_ScalarCodegen):
    """An enum from `types:`: its generated `str` Enum, stored as the value's text; a value must
    be a member of exactly this class (a string, or another enum's member, is refused)."""

    kind = kinds.ENUM
    wire = "S"
    inline = Inline("{v}.value", "_rt.enum_value")

    def annotation(self) -> str:
        return str(self.t.name)

    def fallback(self, function: str, v: str, label: str) -> str:
        return f"{function}({v}, {self.t.name}, {label!r})"  # _rt.enum_value takes the class

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        return f'{self.t.name}({expr}["S"])'

    def value_type(self, *, key: bool = False) -> str:
        return f"_rt.Choice({self.t.name})"

    def default_literal(self, value: object) -> str:
        return f"{self.t.name}({value!r})"


# ---------------------------------------------------------------- containers


# A list element or map entry can always be set and removed (the list or map stays readable).
_ELEMENT_MODE = "_rt.Removable"


@dataclass(frozen=True)
class Held:
    """What a container kind is in Python and to the runtime."""

    container: type[list[Any]] | type[dict[Any, Any]] | type[set[Any]]  # a value's class
    runtime_form: str  # the runtime value type, `{}` the element's
    reference: str  # the reference class


# The container kinds, one row a kind, which `_ContainerCodegen` gives the class of the kind.
CONTAINERS: dict[Kind, Held] = {
    kinds.LIST: Held(list, "_rt.ListOf({})", "_rt.ListAttr"),
    kinds.MAP: Held(dict, "_rt.MapOf({})", "_rt.MapOfAttr"),
    kinds.SET: Held(set, "_rt.SetOf({})", "_rt.CollectionAttr"),
}


class _ContainerCodegen(KindCodegen):
    """A container of one element type, whose code comes from the element's own class."""

    container: ClassVar[type[list[Any]] | type[dict[Any, Any]] | type[set[Any]]]  # a value's class
    runtime_form: ClassVar[str]  # the runtime value type, `{}` the element's

    def __init_subclass__(cls) -> None:
        """A class declaring a kind of `CONTAINERS` takes that kind's row as its class data."""
        super().__init_subclass__()
        kind = vars(cls).get("kind")
        if kind in CONTAINERS:
            held = CONTAINERS[kind]
            cls.container, cls.runtime_form, cls.reference = (
                held.container,
                held.runtime_form,
                held.reference,
            )

    def __init__(self, t: TypeRef, *, partial: bool = False) -> None:
        super().__init__(t, partial=partial)
        assert t.element is not None, t
        self.element = codegen_for(t.element, partial=partial)

    def annotation(self) -> str:
        keys = "str, " if self.container is dict else ""  # map keys are always strings
        return f"{self.container.__name__}[{keys}{self.element.annotation()}]"

    def value_type(self, *, key: bool = False) -> str:
        return self.runtime_form.format(self.element.value_type())

    def default_literal(self, value: object) -> str:
        return f"dataclasses.field(default_factory={self.container.__name__})"

    def default_value(self, value: object) -> str:
        return repr(self.container())  # [], {}, set()

    def ref_expr(
        self, path: str, label: str, mode: str, *, key: bool = False, depth: int = 0
    ) -> str:
        """`<reference>(path, the container's encoder, what it needs of its elements, mode)`."""
        encoder = self.encoder(label, key=key, depth=depth)
        parts = [path, encoder, *self.element_parts(label, depth), mode]
        return f"{self.ref_class()}({', '.join(parts)})"

    @abstractmethod
    def element_parts(self, label: str, depth: int) -> list[str]:
        """What the reference class takes about the elements (their encoder, their reference)."""

    def element_ref(self, label: str, depth: int) -> str:
        """A lambda building the reference to one element at a path `p<depth>`."""
        inner = f"p{depth}"
        element = self.element.ref_expr(inner, f"{label}[]", _ELEMENT_MODE, depth=depth + 1)
        return f"lambda {inner}: {element}"


class _NestingCodegen(_ContainerCodegen):
    """A list or a map: one more level of nesting, and each element has its own typed reference
    (`[i]`, `["key"]`), whose class `reference` takes as its third type argument."""

    def containers(self) -> int:
        return 1 + self.element.containers()

    def ref_annotation(self, entity: str, mode: str) -> str:
        element = self.element
        ref = element.ref_annotation(entity, _ELEMENT_MODE)
        return f"{self.reference}[{entity}, {element.annotation()}, {ref}, {mode}]"


class ListCodegen(_NestingCodegen):
    kind = kinds.LIST

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        var = f"x{depth}"
        inner = self.element.encode(var, f"{label}[]", depth=depth + 1, level=level.inner())
        values = f"{expr} if type({expr}) is list else _rt.a_list({expr}, {label!r})"
        return f'{{"L": [{inner} for {var} in ({values})]}}'

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        var = f"x{depth}"
        inner = self.element.decode(var, depth=depth + 1, tag=tag)
        values = f'{expr}["L"] if type({expr}["L"]) is list else _rt.wrong()'
        return f"[{inner} for {var} in ({values})]"

    def element_parts(self, label: str, depth: int) -> list[str]:
        return [self.element.encoder(f"{label}[]", depth=depth + 1), self.element_ref(label, depth)]


class MapCodegen(_NestingCodegen):
    kind = kinds.MAP

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        var, name = f"x{depth}", f"k{depth}"
        inner = self.element.encode(var, f"{label}{{}}", depth=depth + 1, level=level.inner())
        checked_key = (
            f"{name} if type({name}) is str and {name} and {name}.isascii() "
            f"else _rt.map_key({name}, {label!r})"
        )
        values = f"{expr} if type({expr}) is dict else _rt.a_dict({expr}, {label!r})"
        return f'{{"M": {{({checked_key}): {inner} for {name}, {var} in ({values}).items()}}}}'

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        var = f"x{depth}"
        inner = self.element.decode(var, depth=depth + 1, tag=tag)
        return f'{{k{depth}: {inner} for k{depth}, {var} in {expr}["M"].items()}}'

    def element_parts(self, label: str, depth: int) -> list[str]:
        return [self.element_ref(label, depth)]


_SET_READERS = {
    kinds.STRING: "_rt.read_text_set",
    kinds.INT: "_rt.read_int_set",
    kinds.DECIMAL: "_rt.read_decimal_set",
    kinds.BYTES: "_rt.read_bytes_set",
}


class SetCodegen(_ContainerCodegen):
    """SS / NS / BS by the element's kind. DynamoDB never stores an empty set: an empty one is
    left out of the item (presence "set") and a missing one reads back as an empty set."""

    kind = kinds.SET

    def wire(self) -> str:
        wire = self.element.kind.set_wire_type
        assert wire is not None, self.t
        return wire

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        element = self.element
        assert isinstance(element, _ScalarCodegen), self.t
        var = f"x{depth}"
        inner = element.scalar(var, label, depth=depth + 1)
        # `set` may be update's parameter of that name, hence _rt.SET_TYPES
        values = f"{expr} if type({expr}) in _rt.SET_TYPES else _rt.a_set({expr}, {label!r})"
        return f'{{"{self.wire()}": [{inner} for {var} in ({values})]}}'

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        return f'{_SET_READERS[self.element.kind]}({expr}["{self.wire()}"])'

    def ref_annotation(self, entity: str, mode: str) -> str:
        element = self.element.annotation()
        return f"{self.reference}[{entity}, {self.annotation()}, {element}, {mode}]"

    def element_parts(self, label: str, depth: int) -> list[str]:
        return [self.element.encoder(label, depth=depth)]

    def presence(self, *, optional: bool) -> Presence:
        return "set"


# ---------------------------------------------------------------- top-level kinds


class TtlCodegen(_ScalarCodegen):
    """The table's TTL attribute: a datetime stored as whole epoch seconds."""

    kind = kinds.TTL
    # exact whole seconds (timedelta floor division, no float) for a UTC datetime, inline
    inline = Inline("str(({v} - _rt.EPOCH) // _rt.SECOND)", "_rt.ttl_seconds", _IN_UTC)

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        text = f"_t{depth}_{tag}"
        # seconds in ASCII digits read as IntCodegen.decode reads them, inline; anything else
        # (a sign, a fraction) is read_ttl's, which reads every form exactly as before
        return (
            f'_rt.EPOCH + datetime.timedelta(0, int({text})) if str.isdigit({text} := {expr}["N"]) '
            f"and {text}.isascii() and len({text}) < 4000 else _rt.read_ttl({text})"
        )


class VersionCodegen(IntCodegen):
    """Optimistic locking: an int, 0 until the first write."""

    kind = kinds.VERSION

    def default_code(self, *, optional: bool, default: Default | None) -> str | None:
        return "0"


class _TimestampCodegen(DatetimeCodegen):
    """A timestamp the runtime writes: None until then, so the field is optional."""

    def field_annotation(self, *, optional: bool) -> str:
        return f"{self.annotation()} | None"

    def default_code(self, *, optional: bool, default: Default | None) -> str | None:
        return "None"

    def presence(self, *, optional: bool) -> Presence:
        return "optional"


class CreatedAtCodegen(_TimestampCodegen):
    kind = kinds.CREATED_AT


class UpdatedAtCodegen(_TimestampCodegen):
    kind = kinds.UPDATED_AT


def record_level_limit(containers: list[int]) -> int:
    """The deepest level a record's map may sit at: its fields' own lists and maps (how many
    deep each goes, `KindCodegen.containers`) must fit below it."""
    return MAX_NESTED_CONTAINERS - max(containers, default=0)


# ---------------------------------------------------------------- the registry

CODEGEN: dict[str, type[KindCodegen]] = {
    cls.kind.name: cls
    for cls in (
        StringCodegen,
        IntCodegen,
        FloatCodegen,
        DecimalCodegen,
        BoolCodegen,
        BytesCodegen,
        DatetimeCodegen,
        DateCodegen,
        UuidCodegen,
        JsonCodegen,
        ListCodegen,
        MapCodegen,
        SetCodegen,
        RecordCodegen,
        EnumCodegen,
        TtlCodegen,
        VersionCodegen,
        CreatedAtCodegen,
        UpdatedAtCodegen,
    )
}


def codegen_for(t: TypeRef, *, partial: bool = False) -> KindCodegen:
    """The generated code for values of `t`, by its kind; `partial`: as a partial read holds
    them (`attributes=[...]`), records as their partial classes."""
    return CODEGEN[t.kind.name](t, partial=partial)
