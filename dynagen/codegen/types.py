"""Each spec type's whole story: Python annotation, marshal and unmarshal code, reference class, default.

The templates never decide anything about a type; they paste the strings made here.
`encode` returns an expression of type AttributeValue; `decode` turns an AttributeValue
expression back into the Python value. Both are straight-line (comprehensions for collections).
"""

from __future__ import annotations

from dynagen.naming import codec_names, record_ref
from dynagen.spec.model import Attribute, TypeRef

_SCALAR_ANNOTATIONS = {
    "string": "str",
    "int": "int",
    "float": "float",
    "decimal": "decimal.Decimal",
    "bool": "bool",
    "bytes": "bytes",
    "datetime": "datetime.datetime",
    "date": "datetime.date",
    "uuid": "uuid.UUID",
    "json": "typing.Any",
    "ttl": "datetime.datetime",
    "version": "int",
    "created_at": "datetime.datetime",
    "updated_at": "datetime.datetime",
}
_SET_WIRE = {"string": "SS", "int": "NS", "decimal": "NS", "bytes": "BS"}


def annotation(t: TypeRef) -> str:
    """The Python type of a value of `t` (without `| None`)."""
    if t.kind in ("record", "enum"):
        return str(t.name)
    if t.kind == "list":
        return f"list[{annotation(_element(t))}]"
    if t.kind == "map":
        return f"dict[str, {annotation(_element(t))}]"
    if t.kind == "set":
        return f"set[{annotation(_element(t))}]"
    return _SCALAR_ANNOTATIONS[t.kind]


def field_annotation(attribute: Attribute) -> str:
    """The dataclass field's annotation: automatic timestamps and optional attributes may be None."""
    text = annotation(attribute.type)
    if attribute.optional or attribute.kind in ("created_at", "updated_at"):
        return f"{text} | None"
    return text


def encode(t: TypeRef, expr: str, label: str, *, key: bool = False, depth: int = 0) -> str:
    """An expression turning `expr` (a Python value of `t`) into its AttributeValue."""
    kind = t.kind
    name = repr(label)
    if kind == "string":
        return f'{{"S": _rt.key_str({expr}, {name})}}' if key else f'{{"S": {expr}}}'
    if kind == "bytes":
        return f'{{"B": _rt.key_bytes({expr}, {name})}}' if key else f'{{"B": {expr}}}'
    if kind in ("int", "version"):
        return f'{{"N": _rt.number_int({expr}, {name})}}'
    if kind == "float":
        return f'{{"N": _rt.number_float({expr}, {name})}}'
    if kind == "decimal":
        return f'{{"N": _rt.number_decimal({expr}, {name})}}'
    if kind == "bool":
        return f'{{"BOOL": {expr}}}'
    if kind in ("datetime", "created_at", "updated_at"):
        return f'{{"S": _rt.datetime_text({expr}, {name})}}'
    if kind == "date":
        return f'{{"S": _rt.date_text({expr}, {name})}}'
    if kind == "uuid":
        return f'{{"S": str({expr})}}'
    if kind == "ttl":
        return f'{{"N": _rt.ttl_seconds({expr}, {name})}}'
    if kind == "json":
        return f"_rt.json_value({expr}, {name})"
    if kind == "enum":
        return f'{{"S": {expr}.value}}'
    if kind == "record":
        return f'{{"M": {codec_names(str(t.name), public=False).marshal}({expr})}}'
    var = f"x{depth}"
    element = _element(t)
    if kind == "list":
        inner = encode(element, var, f"{label}[]", depth=depth + 1)
        return f'{{"L": [{inner} for {var} in {expr}]}}'
    if kind == "map":
        inner = encode(element, var, f"{label}{{}}", depth=depth + 1)
        checked_key = f"_rt.map_key(k{depth}, {name})"
        return f'{{"M": {{{checked_key}: {inner} for k{depth}, {var} in {expr}.items()}}}}'
    if kind == "set":
        wire = _SET_WIRE[element.kind]
        if element.kind in ("string", "bytes"):
            return f'{{"{wire}": list({expr})}}'
        function = "number_int" if element.kind == "int" else "number_decimal"
        return f'{{"{wire}": [_rt.{function}({var}, {name}) for {var} in {expr}]}}'
    raise AssertionError(f"no encoder for {t}")


def decode(t: TypeRef, expr: str, *, depth: int = 0) -> str:
    """An expression turning `expr` (an AttributeValue) back into a Python value of `t`."""
    kind = t.kind
    if kind == "string":
        return f'{expr}["S"]'
    if kind == "bytes":
        return f'{expr}["B"]'
    if kind in ("int", "version"):
        return f'int({expr}["N"])'
    if kind == "float":
        return f'float({expr}["N"])'
    if kind == "decimal":
        return f'decimal.Decimal({expr}["N"])'
    if kind == "bool":
        return f'{expr}["BOOL"]'
    if kind in ("datetime", "created_at", "updated_at"):
        return f'_rt.parse_datetime({expr}["S"])'
    if kind == "date":
        return f'datetime.date.fromisoformat({expr}["S"])'
    if kind == "uuid":
        return f'uuid.UUID({expr}["S"])'
    if kind == "ttl":
        return f'_rt.parse_ttl({expr}["N"])'
    if kind == "json":
        return f"_rt.parse_json({expr})"
    if kind == "enum":
        return f'{t.name}({expr}["S"])'
    if kind == "record":
        return f'{codec_names(str(t.name), public=False).unmarshal}({expr}["M"])'
    var = f"x{depth}"
    element = _element(t)
    if kind == "list":
        return f'[{decode(element, var, depth=depth + 1)} for {var} in {expr}["L"]]'
    if kind == "map":
        inner = decode(element, var, depth=depth + 1)
        return f'{{k{depth}: {inner} for k{depth}, {var} in {expr}["M"].items()}}'
    if kind == "set":
        wire = _SET_WIRE[element.kind]
        if element.kind == "int":
            return f'{{int({var}) for {var} in {expr}["{wire}"]}}'
        if element.kind == "decimal":
            return f'{{decimal.Decimal({var}) for {var} in {expr}["{wire}"]}}'
        return f'set({expr}["{wire}"])'
    raise AssertionError(f"no decoder for {t}")


_ORDERED = frozenset(
    {"int", "float", "decimal", "version", "ttl", "datetime", "date", "created_at", "updated_at"}
)
# Members of the runtime's MapAttr: a record field with one of these names gets a trailing `_`.
REF_MEMBERS = frozenset(
    {"path", "size", "exists", "not_exists", "is_type", "in_", "set", "set_if_not_exists", "remove"}
)


def ref_annotation(t: TypeRef, entity: str) -> str:
    """The type of a reference to a value of `t` inside entity E, e.g. `_rt.OrderedAttr[Order, int]`."""
    kind = t.kind
    if kind == "string":
        return f"_rt.StringAttr[{entity}, str]"
    if kind == "bytes":
        return f"_rt.BytesAttr[{entity}]"
    if kind in _ORDERED:
        return f"_rt.OrderedAttr[{entity}, {annotation(t)}]"
    if kind == "record":
        return record_ref(str(t.name))
    if kind == "set":
        return f"_rt.CollectionAttr[{entity}, {annotation(t)}, {annotation(_element(t))}]"
    if kind == "list":
        element = _element(t)
        return f"_rt.ListAttr[{entity}, {annotation(element)}, {ref_annotation(element, entity)}]"
    if kind == "map":
        element = _element(t)
        return f"_rt.MapOfAttr[{entity}, {annotation(element)}, {ref_annotation(element, entity)}]"
    return f"_rt.Attr[{entity}, {annotation(t)}]"  # bool, uuid, enum, json: equality and existence


def ref_expr(t: TypeRef, path: str, label: str, *, key: bool = False, depth: int = 0) -> str:
    """An expression building the reference at `path` (a str or a Path expression)."""
    kind = t.kind
    encoder = f"lambda v: {encode(t, 'v', label, key=key)}"
    if kind == "string":
        return f"_rt.StringAttr({path}, {encoder})"
    if kind == "bytes":
        return f"_rt.BytesAttr({path}, {encoder})"
    if kind in _ORDERED:
        return f"_rt.OrderedAttr({path}, {encoder})"
    if kind == "record":
        return f"{record_ref(str(t.name))}({path}, {encoder})"
    if kind in ("set", "list", "map"):
        element = _element(t)
        inner = f"p{depth}"
        element_ref = f"lambda {inner}: {ref_expr(element, inner, f'{label}[]', depth=depth + 1)}"
        if kind == "set":
            return f"_rt.CollectionAttr({path}, {encoder}, lambda v: {encode(element, 'v', label)})"
        if kind == "list":
            element_encoder = f"lambda v: {encode(element, 'v', f'{label}[]')}"
            return f"_rt.ListAttr({path}, {encoder}, {element_encoder}, {element_ref})"
        return f"_rt.MapOfAttr({path}, {encoder}, {element_ref})"
    return f"_rt.Attr({path}, {encoder})"


def is_number(t: TypeRef) -> bool:
    return t.kind in ("int", "float", "decimal")


def default_code(attribute: Attribute) -> str | None:
    """The text after `=` in the dataclass field, or None for a required field."""
    kind = attribute.kind
    if kind == "version":
        return "0"
    if kind in ("created_at", "updated_at"):
        return "None"
    if attribute.default is None:
        return "None" if attribute.optional else None
    value = attribute.default.value
    if value is None:
        return "None"
    if kind == "decimal":
        return f"decimal.Decimal({str(value)!r})"
    if kind == "date":
        return f"datetime.date.fromisoformat({value!r})"
    if kind == "uuid":
        return f"uuid.UUID({value!r})"
    if kind == "enum":
        return f"{attribute.type.name}({value!r})"
    if kind in ("list", "map", "set"):
        factory = {"list": "list", "map": "dict", "set": "set"}[kind]
        return f"dataclasses.field(default_factory={factory})"
    if kind == "json" and isinstance(value, (list, dict)):
        return f"dataclasses.field(default_factory=lambda: {value!r})"
    return repr(value)


def _element(t: TypeRef) -> TypeRef:
    assert t.element is not None, t
    return t.element
