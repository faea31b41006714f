"""The templates render black's fixed point: black has nothing left to change in a rendered module,
so the build's chunked formatting keeps every chunk as rendered (docs/development.md, "How the
rendered text is laid out"). `layout.split` is checked against black itself, item by item."""

from __future__ import annotations

import random
from pathlib import Path

import black
import pytest
from black.mode import Mode, TargetVersion

from dynagen.codegen import layout
from dynagen.codegen.generate import render_table
from dynagen.codegen.formatting import format_module, format_python
from dynagen.spec.check import validate_files
from tests.codegen.support import ROOT, case_expected, case_names, case_spec_arg


def _rendered(spec: str, folder: Path = ROOT) -> list[tuple[str, str]]:
    """(module, rendered text) of each table the spec paths name, read from `folder`."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        tables, diagnostics = validate_files([spec])
        assert not diagnostics, diagnostics
        return [(table.module, render_table(table)) for table in tables]


def _unstamped(text: str) -> str:
    """A generated file without its stamp (line 2), which the build adds after formatting."""
    first, _, rest = text.split("\n", 2)
    return f"{first}\n{rest}"


@pytest.mark.parametrize("name", case_names())
def test_a_feature_case_renders_exactly_its_expected_module(name: str) -> None:
    """expected.py is black's output of the rendering; being equal, the rendering is black's
    fixed point already."""
    [(_, text)] = _rendered(case_spec_arg(name))
    assert text == _unstamped(case_expected(name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "specs").glob("*.yaml")))
def test_an_example_spec_renders_exactly_its_committed_module(name: str) -> None:
    [(module, text)] = _rendered(f"specs/{name}.yaml")
    committed = ROOT / "generated_example" / f"{module}.py"
    assert text == _unstamped(committed.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", [3, 17])
def test_random_benchmark_specs_render_black_s_fixed_point(seed: int, tmp_path: Path) -> None:
    """Specs of every type, with names of varying length (benchmarks.generator)."""
    from benchmarks.generator import make_spec

    import yaml

    rng = random.Random(seed)
    for index in range(2):
        spec = tmp_path / f"table_{index:03d}.yaml"
        spec.write_text(yaml.safe_dump(make_spec(index, rng), sort_keys=False), encoding="utf-8")
        [(module, text)] = _rendered(spec.name, tmp_path)
        assert format_python(text, name=module) == text


@pytest.mark.parametrize("seed", [11, 29])
def test_long_names_still_format_to_black_s_output(seed: int, tmp_path: Path) -> None:
    """Names long enough that signatures and codec lines pass 100 columns: what the layout does
    not get to black's fixed point, the chunk check must send to black, so the build's output is
    black's all the same (a layout that black would change but the check accepts fails here)."""
    import benchmarks.generator as generator
    import yaml

    rng = random.Random(seed)
    pad = "_" + "x" * rng.choice([15, 30, 45])
    slug = generator._slug
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generator, "_slug", lambda text: slug(text) + pad)
        spec = generator.make_spec(0, rng)
    entity, body = next(iter(spec["entities"].items()))
    spec["entities"] = {entity + "Long" * 5: body}
    spec["table"] += "_long" * 5
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    [(module, text)] = _rendered(path.name, tmp_path)
    assert format_module(text, name=module) == format_python(text, name=module)


def _black_item(line: str, indent: int) -> list[str]:
    """black's lines for one item of an exploded dict at `indent` columns."""
    mode = Mode(target_versions={TargetVersion.PY310}, line_length=100 - (indent - 4))
    out = black.format_str("x = {\n    " + line + "\n}\n", mode=mode)
    return [" " * (indent - 4) + part if part else part for part in out.split("\n")[1:-2]]


ITEMS = [
    '"M": {(k0 if type(k0) is str and k0 and k0.isascii() else _rt.map_key(k0, "a23_map_of_bools")): '
    '{"BOOL": x0 if type(x0) is bool else _rt.boolean(x0, "a23_map_of_bools{}")} for k0, x0 in '
    '(v if type(v) is dict else _rt.a_dict(v, "a23_map_of_bools")).items()},',
    '"N": _t1_price_in_cents if type(x0) is decimal.Decimal and len(_t1_price_in_cents := str(x0)) '
    '< 39 and "E" not in _t1_price_in_cents and x0.is_finite() else _rt.decimal_text(x0, "price"),',
    '"L": [_n1_counts if str(_n1_counts := int(_t1_counts := x0["N"])) == _t1_counts else '
    '_rt.read_int(_t1_counts) for x0 in (raw["counts"]["L"] if type(raw["counts"]["L"]) is list '
    "else _rt.wrong())],  # counts",
    '"S": lambda v: {"S": v if type(v) is str and v and v.isascii() else _rt.key_str(v, '
    '"a_rather_long_attribute_name")},',
    '"K": (_v0_id if type(_v0_id := raw["id"]["S"]) is str else _rt.wrong()) if "id" in raw else '
    "None,  # id",
    '"X": a if b else c if some_condition_that_is_long(d, e, f) else another_function_call(g, h, '
    "i_j_k),",
    '"F": lambda a, b: some_function_with_a_long_name(a, b, another_argument, and_one_more, more),',
    '"U": {} if len(raw) == 7 + ("quantity" in raw) + ("gift" in raw) + ("note" in raw) + ("tags" in '
    "raw) else _rt.unknown(raw, _ORDER_FIELDS.known),",
]


@pytest.mark.parametrize("indent", [4, 12, 28])
@pytest.mark.parametrize("item", ITEMS)
def test_layout_splits_an_item_as_black_does(item: str, indent: int) -> None:
    split = layout.split(item, indent)
    assert split is not None
    assert list(split) == _black_item(item, indent)


@pytest.mark.parametrize(
    "item",
    [
        '"S": f"{type(value).__name__} is not a member of this collection and more words",',
        '"L": [*first_list_of_many_things, *second_list_of_many_things, *third_list_of_things],',
    ],
)
def test_layout_gives_up_outside_its_subset(item: str) -> None:
    """An f-string, unpacking: the chunk goes to black."""
    assert layout.split(item, 12) is None


@pytest.mark.parametrize(
    ("items", "literal"), [([], "()"), (["A"], "(A,)"), (["A", "B", "C"], "(A, B, C)")]
)
def test_the_tuple_of_filter_writes_tuples_as_black_does(items: list[str], literal: str) -> None:
    """One item keeps its comma (`(A,)` is a tuple, `(A)` is not); black's fixed point."""
    from dynagen.codegen.render import environment

    assert environment().filters["tuple_of"](items) == literal
    assert black.format_str(f"x = {literal}\n", mode=black.Mode()) == f"x = {literal}\n"
