"""One codegen class per spec type: how a value of it is written in the generated module.

Each class, bound to one `TypeRef`, gives the type's annotation, its encode expression (Python
value -> AttributeValue) and decode expression (AttributeValue -> Python value), its runtime value
type (`dynagen.runtime.shapes`), the annotation and expression of its typed condition reference,
its dataclass default, and its presence on the wire. Containers delegate to their element's
class. The templates never decide anything about a type; they paste the strings made here.
What a kind says with a constant (its annotation, runtime value type, reference class, payload
reader, a container's Python class) is class data that the base classes' methods read.

Encode expressions check the value inline, cheaply, for the common case (`type(v) is str and
v.isascii()`) and call a runtime function (`_rt.text(v, "name")`) only when that test fails: the
function takes the less common good values (non-ASCII text, an int for a decimal) and refuses the
rest with ValidationError naming the attribute. Decode expressions take DynamoDB's own forms
inline and raise on anything else; the generated function then hands the item to its value type,
which decodes it precisely or names the attribute at fault (ItemDecodeError).

Adding a spec type touches two modules and one test: its `Kind` in `dynagen/spec/kinds.py`, its
class here (listed in `CODEGEN`, which registers it under its kind's name), and its cases in
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


class _ScalarCodegen(KindCodegen):
    """A value stored under one wire type; `scalar` is the checked expression inside it (what a
    set of it holds, too)."""

    wire: ClassVar[str]
    reader: ClassVar[str | None] = None  # the runtime function reading the payload, if any

    @abstractmethod
    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        """The checked payload (`str`, N text, `bytes`, `bool`) of the value `expr`."""

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
    wire = "S"
    python_type = "str"
    runtime_type = "_rt.TEXT"
    key_runtime_type = "_rt.KEY_TEXT"
    reference = "_rt.StringAttr"  # ordered, and begins_with

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        if key:
            return f"{v} if type({first}) is str and {v} and {v}.isascii() else _rt.key_str({v}, {label!r})"
        return f"{v} if type({first}) is str and {v}.isascii() else _rt.text({v}, {label!r})"


class _NumberCodegen(_ScalarCodegen):
    """A plain number, stored as N text; its reference is ordered and has `.increment()`."""

    wire = "N"
    reference = "_rt.NumberAttr"


class IntCodegen(_NumberCodegen):
    kind = kinds.INT
    python_type = "int"
    runtime_type = "_rt.INT"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        name, text = _names(label, depth)
        first, v = _bind(expr, name)
        # bool is not an int here; up to 38 characters of digits need no further check
        return f"{text} if type({first}) is int and len({text} := str({v})) < 39 else _rt.number_int({v}, {label!r})"

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
    python_type = "float"
    runtime_type = "_rt.FLOAT"
    reader = "_rt.read_float"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        return (
            f"repr({v}) if type({first}) is float and (1e-130 <= abs({v}) < 1e126 or {v} == 0) "
            f"else _rt.number_float({v}, {label!r})"
        )


class DecimalCodegen(_NumberCodegen):
    kind = kinds.DECIMAL
    python_type = "decimal.Decimal"
    runtime_type = "_rt.DECIMAL"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        name, text = _names(label, depth)
        first, v = _bind(expr, name)
        # plain notation of up to 38 characters holds at most 38 digits within DynamoDB's range
        return (
            f"{text} if type({first}) is decimal.Decimal and len({text} := str({v})) < 39 "
            f'and "E" not in {text} and {v}.is_finite() else _rt.decimal_text({v}, {label!r})'
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
    wire = "BOOL"
    python_type = "bool"
    runtime_type = "_rt.BOOL"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        return f"{v} if type({first}) is bool else _rt.boolean({v}, {label!r})"


class BytesCodegen(_ScalarCodegen):
    kind = kinds.BYTES
    wire = "B"
    python_type = "bytes"
    runtime_type = "_rt.BYTES"
    key_runtime_type = "_rt.KEY_BYTES"
    reference = "_rt.BytesAttr"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        if key:
            return f"{v} if type({first}) is bytes and {v} else _rt.key_bytes({v}, {label!r})"
        return f"{v} if type({first}) is bytes else _rt.binary({v}, {label!r})"

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        first, v = _bind(f'{expr}["B"]', f"_v{depth}_{tag}")
        # bytes through botocore; base64 text through the direct transport, decoded here
        return f"{v} if type({first}) is bytes else _rt.read_bytes({v})"

    def ref_annotation(self, entity: str, mode: str) -> str:
        return f"_rt.BytesAttr[{entity}, {mode}]"


class DatetimeCodegen(_ScalarCodegen):
    """dynagen's own stored form, or the one `format:` names (`t.format`): the runtime's format
    object (`_rt.ISO_MILLIS`, dynagen.runtime.datetimes) encodes, decodes and checks it."""

    kind = kinds.DATETIME
    wire = "S"
    python_type = "datetime.datetime"
    runtime_type = "_rt.DATETIME"
    reader = "_rt.read_datetime"

    def encode(
        self, expr: str, label: str, *, key: bool = False, depth: int = 0, level: Level = TOP
    ) -> str:
        wire = self.t.format.wire if self.t.format is not None else self.wire
        return f'{{"{wire}": {self.scalar(expr, label, key=key, depth=depth)}}}'

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        if self.t.format is not None:
            return f"_rt.{self.t.format.constant}.encode({expr}, {label!r})"
        first, v = _bind(expr, _names(label, depth)[0])
        # the common case, an aware datetime in UTC, inline: its ISO text less "+00:00"
        return (
            f'{v}.isoformat(timespec="microseconds")[:-6] + "Z" '
            f"if type({first}) is datetime.datetime and {v}.tzinfo is _rt.UTC "
            f"else _rt.datetime_text({v}, {label!r})"
        )

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
    wire = "S"
    python_type = "datetime.date"
    runtime_type = "_rt.DATE"
    reader = "_rt.read_date"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        return (
            f"{v}.isoformat() if type({first}) is datetime.date else _rt.date_text({v}, {label!r})"
        )

    def default_literal(self, value: object) -> str:
        assert isinstance(value, datetime.date), value
        return f"datetime.date.fromisoformat({value.isoformat()!r})"


class UuidCodegen(_ScalarCodegen):
    kind = kinds.UUID
    wire = "S"
    python_type = "uuid.UUID"
    runtime_type = "_rt.UUID"
    reader = "_rt.read_uuid"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        return f"str({v}) if type({first}) is uuid.UUID else _rt.uuid_text({v}, {label!r})"

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

    def annotation(self) -> str:
        return str(self.t.name)

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        return f"{v}.value if type({first}) is {self.t.name} else _rt.enum_value({v}, {self.t.name}, {label!r})"

    def decode(self, expr: str, *, depth: int = 0, tag: str = "v") -> str:
        return f'{self.t.name}({expr}["S"])'

    def value_type(self, *, key: bool = False) -> str:
        return f"_rt.Choice({self.t.name})"

    def default_literal(self, value: object) -> str:
        return f"{self.t.name}({value!r})"


# ---------------------------------------------------------------- containers


# A list element or map entry can always be set and removed (the list or map stays readable).
_ELEMENT_MODE = "_rt.Removable"


class _ContainerCodegen(KindCodegen):
    """A container of one element type, whose code comes from the element's own class."""

    container: ClassVar[type[list[Any]] | type[dict[Any, Any]] | type[set[Any]]]  # a value's class
    runtime_form: ClassVar[str]  # the runtime value type, `{}` the element's

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
    reference = "_rt.ListAttr"
    container = list
    runtime_form = "_rt.ListOf({})"

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

    def ref_expr(
        self, path: str, label: str, mode: str, *, key: bool = False, depth: int = 0
    ) -> str:
        element_encoder = self.element.encoder(f"{label}[]", depth=depth + 1)
        return (
            f"{self.reference}({path}, {self.encoder(label, key=key, depth=depth)}, {element_encoder}, "
            f"{self.element_ref(label, depth)}, {mode})"
        )


class MapCodegen(_NestingCodegen):
    kind = kinds.MAP
    reference = "_rt.MapOfAttr"
    container = dict
    runtime_form = "_rt.MapOf({})"

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

    def ref_expr(
        self, path: str, label: str, mode: str, *, key: bool = False, depth: int = 0
    ) -> str:
        return (
            f"{self.reference}({path}, {self.encoder(label, key=key, depth=depth)}, "
            f"{self.element_ref(label, depth)}, {mode})"
        )


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
    container = set
    runtime_form = "_rt.SetOf({})"

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
        return f"_rt.CollectionAttr[{entity}, {self.annotation()}, {element}, {mode}]"

    def ref_expr(
        self, path: str, label: str, mode: str, *, key: bool = False, depth: int = 0
    ) -> str:
        return (
            f"_rt.CollectionAttr({path}, {self.encoder(label, key=key, depth=depth)}, "
            f"{self.element.encoder(label, depth=depth)}, {mode})"
        )

    def presence(self, *, optional: bool) -> Presence:
        return "set"


# ---------------------------------------------------------------- top-level kinds


class TtlCodegen(_ScalarCodegen):
    """The table's TTL attribute: a datetime stored as whole epoch seconds."""

    kind = kinds.TTL
    wire = "N"
    python_type = "datetime.datetime"
    runtime_type = "_rt.TTL"

    def scalar(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        first, v = _bind(expr, _names(label, depth)[0])
        # exact whole seconds (timedelta floor division, no float) for a UTC datetime, inline
        return (
            f"str(({v} - _rt.EPOCH) // _rt.SECOND) "
            f"if type({first}) is datetime.datetime and {v}.tzinfo is _rt.UTC "
            f"else _rt.ttl_seconds({v}, {label!r})"
        )

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
