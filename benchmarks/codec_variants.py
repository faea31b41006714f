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

The machine is shared, so each figure is the fastest of `--runs` timed runs of process CPU time
(`time.process_time`: waiting for a core is not counted), the cases interleaved run by run.

    .venv/bin/python -m benchmarks.codec_variants --runs 30
"""

from __future__ import annotations

import argparse
import dataclasses
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--number", type=int, default=5000, help="calls per timed run")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; fastest of {args.runs} runs of {args.number}")

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
