"""What each inline check of the generated marshal costs, and what the alternatives would cost.

`python -m benchmarks --only codec` compares whole functions; this harness takes them apart, to
decide which form of a check to generate (issue 13, item 2). Two tables:

- per value: a function building a dict of eight values of one kind, each written in one form
  (`type(v) is str and v.isascii()`, a range comparison for ints, ...), less the same function
  with no check, divided by eight;
- a query page: 100 benchmark items (each with a binary attribute) as a body, parsed and decoded
  the botocore transport's way (`fastparse.load`, whose JSON object hook decodes binary values)
  and the direct transport's (`fastparse.load_items`: orjson, binary left as base64 text inside
  items for the generated decoder), with orjson and with the standard library;
- whole item: the strings-and-ints item (`benchmarks/plain_item.py`) marshalled by the
  hand-written dict literal, the generated function, the hand-written literal with only the
  exact-type tests (`type(v) is str`, no ASCII or digit test: the floor of any checked marshal
  that keeps `str` subclasses and bools out), and the other shapes a checked marshal could take.
- from wire (round three): per int read, the forms of the canonical-digits test (the one
  generated before, the ASCII-digits quick test generated now, others), on positive and on
  negative numbers; the unknown-attribute lookup as the runtime call and as the count generated
  now, for several mixes of required, optional and present attributes; and both items decoded
  by the generated function and the hand-written constructor call, and marshalled likewise.

The machine is shared, so each figure is the fastest of `--runs` timed runs of process CPU time
(`time.process_time`: waiting for a core is not counted), the cases interleaved run by run.

    .venv/bin/python -m benchmarks.codec_variants --runs 30
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import os
import re
import time
import timeit
from typing import Any, Callable

from benchmarks import item as bench_item
from benchmarks import plain_item
from benchmarks.generated import bench, plain
from dynagen.runtime import fastparse, jsonlib
from dynagen.runtime import internal as _rt

Fn = Callable[[Any], Any]
BIG = "100_000_000_000_000_000_000_000_000_000_000_000_000"  # 10**38, written out: `10**38` is not folded


@dataclasses.dataclass(slots=True)
class Strings:
    a: str = "customer#000042"
    b: str = "profile"
    c: str = "Ada Lovelace"
    d: str = "ada@example.com"
    e: str = "London"
    f: str = "GB"
    g: str = "x"
    h: str = "hello world"


@dataclasses.dataclass(slots=True)
class Ints:
    a: int = 3
    b: int = 98765
    c: int = 36
    d: int = -12
    e: int = 7
    f: int = 123456789
    g: int = 0
    h: int = 42


NAMES = "abcdefgh"

# (label, wire type, the value's expression with `{n}` for the attribute name, extra parameters)
PER_VALUE: list[tuple[str, str, str, str]] = [
    ("str: no check", "S", "item.{n}", ""),
    ("str: type(v) is str", "S", "v if type(v := item.{n}) is str else _rt.text(v, '{n}')", ""),
    (
        "str: type(v) is str and v.isascii() (generated)",
        "S",
        "v if type(v := item.{n}) is str and v.isascii() else _rt.text(v, '{n}')",
        "",
    ),
    (
        "str: v.__class__ is str and v.isascii()",
        "S",
        "v if (v := item.{n}).__class__ is str and v.isascii() else _rt.text(v, '{n}')",
        "",
    ),
    (
        "str: type and str bound to locals",
        "S",
        "v if _ty(v := item.{n}) is _str and v.isascii() else _rt.text(v, '{n}')",
        ", _ty=type, _str=str",
    ),
    (
        "str: str.isascii(v) only (lets str subclasses through)",
        "S",
        "v if _ia(v := item.{n}) else _rt.text(v, '{n}')",
        ", _ia=str.isascii",
    ),
    ("int: str(v), no check", "N", "str(item.{n})", ""),
    (
        "int: type(v) is int",
        "N",
        "str(v) if type(v := item.{n}) is int else _rt.number_int(v, '{n}')",
        "",
    ),
    (
        "int: type and len(str(v)) < 39 (generated)",
        "N",
        "t if type(v := item.{n}) is int and len(t := str(v)) < 39 else _rt.number_int(v, '{n}')",
        "",
    ),
    (
        "int: type and -10**38 < v < 10**38",
        "N",
        f"str(v) if type(v := item.{{n}}) is int and -{BIG} < v < {BIG} else _rt.number_int(v, '{{n}}')",
        "",
    ),
    (
        "int: type and len(f'{v}') < 39",
        "N",
        "t if type(v := item.{n}) is int and len(t := f'{{v}}') < 39 else _rt.number_int(v, '{n}')",
        "",
    ),
]


def _compile(source: str, name: str) -> Fn:
    namespace: dict[str, Any] = {"_rt": _rt, "G": plain, "PlainItem": plain.PlainItem}
    exec(compile(source, f"<{name}>", "exec"), namespace)
    fn: Fn = namespace["f"]
    return fn


def per_value_function(wire: str, expr: str, extra: str) -> Fn:
    body = ", ".join(f'"{n}": {{"{wire}": {expr.format(n=n)}}}' for n in NAMES)
    source = (
        f"def f(item{extra}):\n"
        "    try:\n"
        f"        return {{{body}}}\n"
        "    except _rt.ENCODE_ERRORS:\n"
        "        raise\n"
    )
    return _compile(source, "per-value")


STRS = ["pk", "sk", "name", "email", "city", "country"]
INTS = ["quantity", "score", "age", "rank"]
_LOADS = "; ".join(f"{a} = item.{a}" for a in STRS + INTS)
_LITERAL = (
    "{"
    + ", ".join([f'"{a}": {{"S": {a}}}' for a in STRS] + [f'"{a}": {{"N": t_{a}}}' for a in INTS])
    + "}"
)
_ASCII = " and ".join(f"{a}.isascii()" for a in STRS)
_LENGTHS = " and ".join(f"len(t_{a} := str({a})) < 39" for a in INTS)
_TYPES = " and ".join(f"type({a}) is {'str' if a in STRS else 'int'}" for a in STRS + INTS)
_TYPE_TUPLE = "(" + ", ".join(f"type({a})" for a in STRS + INTS) + ")"
_TAIL = "not item._unknown_attributes"

WHOLE_ITEM_SOURCES = {
    "one combined guard (separate type tests), then one dict literal": f"""
def f(item):
    {_LOADS}
    if type(item) is PlainItem and {_TYPES} and pk and sk and {_ASCII} and {_LENGTHS} and {_TAIL}:
        return {_LITERAL}
    return G.marshal_plain_item(item)
""",
    "one combined guard (a tuple of types compared once), then one dict literal": f"""
_TYPES = (str,) * 6 + (int,) * 4
def f(item):
    {_LOADS}
    if type(item) is PlainItem and {_TYPE_TUPLE} == _TYPES and pk and sk and {_ASCII} and {_LENGTHS} and {_TAIL}:
        return {_LITERAL}
    return G.marshal_plain_item(item)
""",
    "one combined guard, the strings' ASCII test as one join": f"""
def f(item):
    {_LOADS}
    if type(item) is PlainItem and {_TYPES} and pk and sk and "".join(({", ".join(STRS)})).isascii() and {_LENGTHS} and {_TAIL}:
        return {_LITERAL}
    return G.marshal_plain_item(item)
""",
}


def whole_item_cases() -> dict[str, Fn]:
    cases: dict[str, Fn] = {
        "hand-written dict literal, no checks": plain_item.hand_marshal,
        "generated marshal_plain_item": plain.marshal_plain_item,
        "hand-written + exact type tests only (the floor)": plain_item.types_only_marshal,
    }
    for label, source in WHOLE_ITEM_SOURCES.items():
        cases[label] = _compile(source, label)
    cases.update(without_one_check())
    return cases


# (label, pattern, replacement): one kind of check taken out of the generated marshal's source
WITHOUT: list[tuple[str, str, str]] = [
    ("the item's type test", r"if type\(item\) is not PlainItem:\s+_rt.wrong\(\)\s+", ""),
    (
        "the unknown attributes' test",
        r"if item._unknown_attributes:\s+_rt.add_unknown\([^)]*\)\s+",
        "",
    ),
    ("the keys' non-empty tests", r" and (_v0_pk|_v0_sk) and ", " and "),
    ("the ASCII tests", r"\s+and _v0_\w+\.isascii\(\)", ""),
    ("the 38-digit tests", r"len\((_t0_\w+) := str\((_v0_\w+)\)\) < 39", r"(\1 := str(\2))"),
]


def without_one_check() -> dict[str, Fn]:
    """The generated marshal_plain_item with one kind of check taken out: what each costs.

    The source is edited as text: a pattern that no longer matches (the layout changed) drops
    its variant with a note rather than time the unchanged function."""
    source = inspect.getsource(plain.marshal_plain_item)
    cases: dict[str, Fn] = {}
    for label, pattern, replacement in WITHOUT:
        edited, count = re.subn(pattern, replacement, source)
        if not count:
            print(f"(no variant without {label}: the generated layout changed)")
            continue
        namespace = dict(vars(plain))
        exec(compile(edited, f"<without {label}>", "exec"), namespace)
        cases[f"generated, without {label}"] = namespace["marshal_plain_item"]
    return cases


def page_cases() -> dict[str, tuple[Fn, Any]]:
    """Parse + decode of a 100-item Query answer holding binary values, both ways."""
    items = [bench.marshal_bench_item(bench_item.sample_item(n=n)) for n in range(100)]
    body = jsonlib.dumps({"Items": items, "Count": 100, "ScannedCount": 100})
    decode = bench.unmarshal_bench_item

    def hook(raw: bytes) -> Any:
        return [decode(item) for item in fastparse.load(raw, decode_binary=True)["Items"]]

    def as_text(raw: bytes) -> Any:
        return [decode(item) for item in fastparse.load_items(raw)["Items"]]

    assert hook(body) == as_text(body)
    return {
        "object hook, then decode (botocore transport)": (hook, body),
        "load_items, then decode (direct transport)": (as_text, body),
    }


def fastest(cases: dict[str, tuple[Fn, Any]], runs: int, number: int) -> dict[str, float]:
    """ns per call, the fastest of `runs` interleaved runs of process CPU time."""
    times: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(runs):
        for label, (fn, arg) in cases.items():
            seconds = timeit.timeit(lambda: fn(arg), number=number, timer=time.process_time)
            times[label].append(seconds / number * 1e9)
    return {label: min(values) for label, values in times.items()}


# (label, the int read of `raw["{a}"]["N"]`): generated before round three, now, and others
INT_READS: list[tuple[str, str]] = [
    ("int(t), no check", '(int(t) if (t := raw["{a}"]["N"]) else 0)'),
    (
        "str(int(t)) == t (generated before)",
        '(n if str(n := int(t := raw["{a}"]["N"])) == t else _rt.read_int(t))',
    ),
    (
        "str.isdigit(t) and t.isascii() and len(t) < 4000, then the above (generated)",
        '(int(t) if str.isdigit(t := raw["{a}"]["N"]) and t.isascii() and len(t) < 4000'
        " else (n if str(n := int(t)) == t else _rt.read_int(t)))",
    ),
    (
        "the same without the length test (not exact past 4,000 digits)",
        '(int(t) if str.isdigit(t := raw["{a}"]["N"]) and t.isascii()'
        " else (n if str(n := int(t)) == t else _rt.read_int(t)))",
    ),
    (
        "type(t) is str and t.isdigit() and ... (the type test apart)",
        '(int(t) if type(t := raw["{a}"]["N"]) is str and t.isdigit() and t.isascii()'
        " and len(t) < 4000 else (n if str(n := int(t)) == t else _rt.read_int(t)))",
    ),
    (
        'not t.strip("0123456789-") (a minus sign too), then read_int',
        '(int(t) if not (t := raw["{a}"]["N"]).strip("0123456789-") else _rt.read_int(t))',
    ),
]
INT_TEXTS = {
    "positive": ["3", "98765", "36", "12", "7", "123456789", "0", "42"],
    "negative": ["-3", "-98765", "-36", "-12", "-7", "-123456789", "-1", "-42"],
}
# (required, optional, of which present): shapes of an item for the unknown-attribute lookup
UNKNOWN_SHAPES = [(10, 0, 0), (12, 3, 2), (2, 1, 1), (5, 10, 2), (5, 10, 10), (5, 20, 3)]


def int_read_cases(texts: list[str]) -> dict[str, tuple[Fn, Any]]:
    raw = {f"a{i}": {"N": text} for i, text in enumerate(texts)}
    cases: dict[str, tuple[Fn, Any]] = {}
    for label, expr in INT_READS:
        reads = ", ".join(expr.format(a=f"a{i}") for i in range(len(texts)))
        fn = _compile(f"def f(raw):\n    return [{reads}]\n", label)
        assert fn(raw) == [int(text) for text in texts], label
        cases[label] = (fn, raw)
    return cases


def unknown_cases(required: int, optional: int, present: int) -> dict[str, tuple[Fn, Any]]:
    """`_rt.unknown` against the count the generator writes (view.ClassView.unknown_read)."""
    names = [f"r{i}" for i in range(required)] + [f"o{i}" for i in range(optional)]
    raw = {name: {"S": "x"} for name in names[: required + present]}
    count = " + ".join([str(required)] + [f"({name!r} in raw)" for name in names[required:]])
    sources = {
        "nothing": "{}",
        "call": "_rt.unknown(raw, K)",
        "count": f"{{}} if len(raw) == {count} else _rt.unknown(raw, K)",
    }
    cases: dict[str, tuple[Fn, Any]] = {}
    for label, expr in sources.items():
        namespace: dict[str, Any] = {"_rt": _rt, "K": frozenset(names)}
        exec(f"def f(raw):\n    return {expr}\n", namespace)
        assert namespace["f"](raw) == {}, label
        cases[label] = (namespace["f"], raw)
    return cases


def item_cases() -> dict[str, tuple[Fn, Any]]:
    """Both items, both directions, generated and hand-written, side by side."""
    plain_object, bench_object = plain_item.sample_item(), bench_item.sample_item()
    plain_wire = plain_item.check_equivalence(plain_object)
    bench_wire = bench_item.check_equivalence(bench_object)
    return {
        "strings and ints, to wire, generated": (plain_item.generated_marshal, plain_object),
        "strings and ints, to wire, hand-written": (plain_item.hand_marshal, plain_object),
        "strings and ints, to wire, type tests only": (
            plain_item.types_only_marshal,
            plain_object,
        ),
        "strings and ints, from wire, generated": (plain_item.generated_unmarshal, plain_wire),
        "strings and ints, from wire, hand-written": (plain_item.hand_unmarshal, plain_wire),
        "bench item, to wire, generated": (bench_item.generated_marshal, bench_object),
        "bench item, to wire, hand-written": (bench_item.hand_marshal, bench_object),
        "bench item, from wire, generated": (bench_item.generated_unmarshal, bench_wire),
        "bench item, from wire, hand-written": (bench_item.hand_unmarshal, bench_wire),
    }


def from_wire(runs: int, number: int) -> None:
    for sign, texts in INT_TEXTS.items():
        measured = fastest(int_read_cases(texts), runs, number)
        base = measured[INT_READS[0][0]]
        print(f"\nper int read, {sign} numbers (ns above int(t) with no check)")
        for label, value in measured.items():
            print(f"  {(value - base) / len(texts):6.1f}  {label}")
    print("\nunknown attributes found empty (ns above a plain {})")
    for shape in UNKNOWN_SHAPES:
        measured = fastest(unknown_cases(*shape), runs, number)
        call, count = (measured[k] - measured["nothing"] for k in ("call", "count"))
        print(
            f"  {call:6.0f} call, {count:6.0f} count: {shape[0]} required, {shape[1]} optional, {shape[2]} present"
        )
    cases = item_cases()
    measured = fastest(cases, runs, max(1, number // 5))
    print("\nwhole items (ns per item, / hand-written)")
    for label, value in measured.items():
        hand = measured[label.rsplit(", ", 1)[0] + ", hand-written"]
        print(f"  {value:7.0f}  {value / hand:5.3f}x  {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--number", type=int, default=5000, help="calls per timed run")
    parser.add_argument(
        "--from-wire", action="store_true", help="only the reading side and both whole items"
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; fastest of {args.runs} runs of {args.number}")
    if args.from_wire:
        from_wire(args.runs, args.number)
        return

    values: dict[str, tuple[Fn, Any]] = {}
    baseline: dict[str, str] = {}
    for label, wire, expr, extra in PER_VALUE:
        sample: Any = Strings() if wire == "S" else Ints()
        fn = per_value_function(wire, expr, extra)
        assert fn(sample) == per_value_function(wire, PER_VALUE[0 if wire == "S" else 6][2], "")(
            sample
        ), label
        values[label] = (fn, sample)
        baseline[label] = PER_VALUE[0 if wire == "S" else 6][0]
    measured = fastest(values, args.runs, args.number)
    print("\nper value (ns above the same dict without checks)")
    for label in values:
        extra_ns = (measured[label] - measured[baseline[label]]) / len(NAMES)
        print(f"  {extra_ns:6.1f}  {label}")

    for orjson in (True, False):
        used = jsonlib.use_orjson(orjson)
        measured = fastest(page_cases(), args.runs, max(1, args.number // 200))
        print(f"\na 100-item query page with binary values, orjson {'on' if used else 'off'} (us)")
        for label, value in measured.items():
            print(f"  {value / 1000:7.0f}  {label}")
    jsonlib.use_orjson(True)

    item = plain_item.sample_item()
    reference = plain_item.hand_marshal(item)
    whole = {label: (fn, item) for label, fn in whole_item_cases().items()}
    for label, (fn, _) in whole.items():
        assert fn(item) == reference, label
    measured = fastest(whole, args.runs, args.number)
    hand = measured["hand-written dict literal, no checks"]
    print("\nthe strings-and-ints item, to wire (ns per item, / hand-written)")
    for label in whole:
        print(f"  {measured[label]:7.0f}  {measured[label] / hand:5.3f}x  {label}")


if __name__ == "__main__":
    main()
