"""One codegen class per spec type: how a value of it is written in the generated module.

Each class, bound to one `TypeRef`, gives the type's annotation, its encode expression (Python
value -> AttributeValue) and decode expression (AttributeValue -> Python value), the annotation
and expression of its typed condition reference, its dataclass default, and its presence on the
wire. Containers delegate to their element's class. The templates never decide anything about a
type; they paste the strings made here.

Adding a spec type touches two modules and one test: its `Kind` in `dynagen/spec/kinds.py`, its
class here (listed in `CODEGEN`, which registers it under its kind's name), and its cases in
`tests/codegen/test_kinds.py`, which fails until both registries name the same kinds and every
kind has its annotation and round-trip cases.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from typing import ClassVar, Literal

from dynagen.naming import codec_names, record_ref
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


class KindCodegen(ABC):
    """The generated code for values of one type `t`; subclasses are one per kind."""

    kind: ClassVar[Kind]

    def __init__(self, t: TypeRef) -> None:
        assert t.kind is self.kind, (t, self.kind)
        self.t = t

    @abstractmethod
    def annotation(self) -> str:
        """The Python type of a value (without `| None`)."""

    @abstractmethod
    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        """An expression turning `expr` (a Python value) into its AttributeValue.

        `label` names the attribute in validation errors; `key` refuses what DynamoDB refuses
        in key values (empty strings and bytes); `depth` keeps nested comprehension names apart.
        """

    @abstractmethod
    def decode(self, expr: str, *, depth: int = 0) -> str:
        """An expression turning `expr` (an AttributeValue) back into the Python value."""

    def field_annotation(self, *, optional: bool) -> str:
        """The dataclass field's annotation: optional attributes may be None."""
        text = self.annotation()
        return f"{text} | None" if optional else text

    def ref_class(self) -> str:
        """The reference class of one value: ordered kinds compare, the others test equality."""
        return "_rt.OrderedAttr" if self.kind.ordered else "_rt.Attr"

    def ref_annotation(self, entity: str) -> str:
        """The type of a condition reference inside `entity`, e.g. `_rt.Attr[Order, bool]`."""
        return f"{self.ref_class()}[{entity}, {self.annotation()}]"

    def ref_expr(self, path: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        """An expression building the reference at `path` (a str or a Path expression)."""
        return f"{self.ref_class()}({path}, {self.encoder(label, key=key)})"

    def encoder(self, label: str, *, key: bool = False) -> str:
        """A lambda encoding one value, for references."""
        return f"lambda v: {self.encode('v', label, key=key)}"

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

    def presence(self, *, optional: bool) -> Presence:
        """When the marshal code writes the attribute: optional ones are left out when None."""
        return "optional" if optional else "always"


# ---------------------------------------------------------------- scalars


class StringCodegen(KindCodegen):
    kind = kinds.STRING

    def annotation(self) -> str:
        return "str"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        if key:
            return f'{{"S": _rt.key_str({expr}, {label!r})}}'
        return f'{{"S": {expr}}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'{expr}["S"]'

    def ref_class(self) -> str:
        return "_rt.StringAttr"  # ordered, and begins_with

    def ref_annotation(self, entity: str) -> str:
        return f"_rt.StringAttr[{entity}, str]"


class IntCodegen(KindCodegen):
    kind = kinds.INT

    def annotation(self) -> str:
        return "int"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"N": _rt.number_int({expr}, {label!r})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'int({expr}["N"])'


class FloatCodegen(KindCodegen):
    kind = kinds.FLOAT

    def annotation(self) -> str:
        return "float"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"N": _rt.number_float({expr}, {label!r})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'float({expr}["N"])'


class DecimalCodegen(KindCodegen):
    kind = kinds.DECIMAL

    def annotation(self) -> str:
        return "decimal.Decimal"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"N": _rt.number_decimal({expr}, {label!r})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'decimal.Decimal({expr}["N"])'

    def default_literal(self, value: object) -> str:
        return f"decimal.Decimal({str(value)!r})"  # the digits as written: 1.50 stays 1.50


class BoolCodegen(KindCodegen):
    kind = kinds.BOOL

    def annotation(self) -> str:
        return "bool"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"BOOL": {expr}}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'{expr}["BOOL"]'


class BytesCodegen(KindCodegen):
    kind = kinds.BYTES

    def annotation(self) -> str:
        return "bytes"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        if key:
            return f'{{"B": _rt.key_bytes({expr}, {label!r})}}'
        return f'{{"B": {expr}}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'{expr}["B"]'

    def ref_class(self) -> str:
        return "_rt.BytesAttr"

    def ref_annotation(self, entity: str) -> str:
        return f"_rt.BytesAttr[{entity}]"


class DatetimeCodegen(KindCodegen):
    kind = kinds.DATETIME

    def annotation(self) -> str:
        return "datetime.datetime"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"S": _rt.datetime_text({expr}, {label!r})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'_rt.parse_datetime({expr}["S"])'


class DateCodegen(KindCodegen):
    kind = kinds.DATE

    def annotation(self) -> str:
        return "datetime.date"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"S": _rt.date_text({expr}, {label!r})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'datetime.date.fromisoformat({expr}["S"])'

    def default_literal(self, value: object) -> str:
        assert isinstance(value, datetime.date), value
        return f"datetime.date.fromisoformat({value.isoformat()!r})"


class UuidCodegen(KindCodegen):
    kind = kinds.UUID

    def annotation(self) -> str:
        return "uuid.UUID"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"S": str({expr})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'uuid.UUID({expr}["S"])'

    def default_literal(self, value: object) -> str:
        return f"uuid.UUID({str(value)!r})"


class JsonCodegen(KindCodegen):
    kind = kinds.JSON

    def annotation(self) -> str:
        return "typing.Any"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f"_rt.json_value({expr}, {label!r})"

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f"_rt.parse_json({expr})"

    def default_literal(self, value: object) -> str:
        if isinstance(value, (list, dict)):  # mutable: a fresh copy per instance
            return f"dataclasses.field(default_factory=lambda: {value!r})"
        return repr(value)


# ---------------------------------------------------------------- named types


class RecordCodegen(KindCodegen):
    """A record from `types:`: its generated dataclass, stored as a map by its own codec."""

    kind = kinds.RECORD

    def annotation(self) -> str:
        return str(self.t.name)

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"M": {codec_names(str(self.t.name), public=False).marshal}({expr})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'{codec_names(str(self.t.name), public=False).unmarshal}({expr}["M"])'

    def ref_class(self) -> str:
        return record_ref(str(self.t.name))

    def ref_annotation(self, entity: str) -> str:
        return record_ref(str(self.t.name))


class EnumCodegen(KindCodegen):
    """An enum from `types:`: its generated `str` Enum, stored as the value's text."""

    kind = kinds.ENUM

    def annotation(self) -> str:
        return str(self.t.name)

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"S": {expr}.value}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'{self.t.name}({expr}["S"])'

    def default_literal(self, value: object) -> str:
        return f"{self.t.name}({value!r})"


# ---------------------------------------------------------------- containers


class _ContainerCodegen(KindCodegen):
    """A container of one element type, whose code comes from the element's own class."""

    def __init__(self, t: TypeRef) -> None:
        super().__init__(t)
        assert t.element is not None, t
        self.element = codegen_for(t.element)

    def element_ref(self, label: str, depth: int) -> str:
        """A lambda building the reference to one element at a path `p<depth>`."""
        inner = f"p{depth}"
        return f"lambda {inner}: {self.element.ref_expr(inner, f'{label}[]', depth=depth + 1)}"


class ListCodegen(_ContainerCodegen):
    kind = kinds.LIST

    def annotation(self) -> str:
        return f"list[{self.element.annotation()}]"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        var = f"x{depth}"
        inner = self.element.encode(var, f"{label}[]", depth=depth + 1)
        return f'{{"L": [{inner} for {var} in {expr}]}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        var = f"x{depth}"
        return f'[{self.element.decode(var, depth=depth + 1)} for {var} in {expr}["L"]]'

    def ref_annotation(self, entity: str) -> str:
        element = self.element
        return f"_rt.ListAttr[{entity}, {element.annotation()}, {element.ref_annotation(entity)}]"

    def ref_expr(self, path: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        element_encoder = self.element.encoder(f"{label}[]")
        return (
            f"_rt.ListAttr({path}, {self.encoder(label, key=key)}, {element_encoder}, "
            f"{self.element_ref(label, depth)})"
        )

    def default_literal(self, value: object) -> str:
        return "dataclasses.field(default_factory=list)"


class MapCodegen(_ContainerCodegen):
    kind = kinds.MAP

    def annotation(self) -> str:
        return f"dict[str, {self.element.annotation()}]"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        var = f"x{depth}"
        inner = self.element.encode(var, f"{label}{{}}", depth=depth + 1)
        checked_key = f"_rt.map_key(k{depth}, {label!r})"
        return f'{{"M": {{{checked_key}: {inner} for k{depth}, {var} in {expr}.items()}}}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        var = f"x{depth}"
        inner = self.element.decode(var, depth=depth + 1)
        return f'{{k{depth}: {inner} for k{depth}, {var} in {expr}["M"].items()}}'

    def ref_annotation(self, entity: str) -> str:
        element = self.element
        return f"_rt.MapOfAttr[{entity}, {element.annotation()}, {element.ref_annotation(entity)}]"

    def ref_expr(self, path: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return (
            f"_rt.MapOfAttr({path}, {self.encoder(label, key=key)}, "
            f"{self.element_ref(label, depth)})"
        )

    def default_literal(self, value: object) -> str:
        return "dataclasses.field(default_factory=dict)"


class SetCodegen(_ContainerCodegen):
    """SS / NS / BS by the element's kind. DynamoDB never stores an empty set: an empty one is
    left out of the item (presence "set") and a missing one reads back as an empty set."""

    kind = kinds.SET

    def wire(self) -> str:
        wire = self.element.kind.set_wire_type
        assert wire is not None, self.t
        return wire

    def annotation(self) -> str:
        return f"set[{self.element.annotation()}]"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        element = self.element.kind
        if element is kinds.INT or element is kinds.DECIMAL:  # numbers travel as strings
            var = f"x{depth}"
            function = "number_int" if element is kinds.INT else "number_decimal"
            return f'{{"{self.wire()}": [_rt.{function}({var}, {label!r}) for {var} in {expr}]}}'
        return f'{{"{self.wire()}": list({expr})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        element = self.element.kind
        var = f"x{depth}"
        if element is kinds.INT:
            return f'{{int({var}) for {var} in {expr}["{self.wire()}"]}}'
        if element is kinds.DECIMAL:
            return f'{{decimal.Decimal({var}) for {var} in {expr}["{self.wire()}"]}}'
        return f'set({expr}["{self.wire()}"])'

    def ref_annotation(self, entity: str) -> str:
        element = self.element.annotation()
        return f"_rt.CollectionAttr[{entity}, {self.annotation()}, {element}]"

    def ref_expr(self, path: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return (
            f"_rt.CollectionAttr({path}, {self.encoder(label, key=key)}, "
            f"{self.element.encoder(label)})"
        )

    def default_literal(self, value: object) -> str:
        return "dataclasses.field(default_factory=set)"

    def presence(self, *, optional: bool) -> Presence:
        return "set"


# ---------------------------------------------------------------- top-level kinds


class TtlCodegen(KindCodegen):
    """The table's TTL attribute: a datetime stored as whole epoch seconds."""

    kind = kinds.TTL

    def annotation(self) -> str:
        return "datetime.datetime"

    def encode(self, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
        return f'{{"N": _rt.ttl_seconds({expr}, {label!r})}}'

    def decode(self, expr: str, *, depth: int = 0) -> str:
        return f'_rt.parse_ttl({expr}["N"])'


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


def codegen_for(t: TypeRef) -> KindCodegen:
    """The generated code for values of `t`, by its kind."""
    return CODEGEN[t.kind.name](t)
