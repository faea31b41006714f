"""`dynagen vet`: each expert warning on the smallest spec that earns it, and none on a good one."""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

import pytest

from dynagen.cli import main
from dynagen.ops.vet import vet
from dynagen.spec.check import validate_text
from tests.codegen.support import write_spec

GOOD = """
version: 1
table: good
key: {partition: id, sort: at}
types:
  State: {enum: [open, closed]}
entities:
  Thing:
    attributes:
      id: uuid
      at: datetime
      owner: string
      state: State
      body: {type: json, optional: true}
indexes:
  by_owner: {partition: owner, sort: at, projection: keys_only}
  by_owner_state: {partition: owner, sort: state, projection: [body]}
"""


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def rules(text: str) -> list[str]:
    table, diagnostics = validate_text("specs/good.yaml", text)
    assert table is not None, diagnostics
    return [advice.rule for advice in vet(table)]


def test_a_good_design_gets_no_warning() -> None:
    assert rules(GOOD) == []


CASES = {
    "a partition key with a default (a constant value)": (
        _edit("      owner: string", "      owner: {type: string, default: all}"),
        ["hot-partition", "hot-partition"],  # both indexes are partitioned by it
    ),
    "a table partitioned by an enum": (
        _edit("key: {partition: id, sort: at}", "key: {partition: state, sort: at}").replace(
            "sort: state, projection: [body]", "sort: id, projection: keys_only"
        ),
        ["hot-partition"],
    ),
    "a global index partitioned by a date": (
        _edit("      owner: string", "      owner: string\n      day: date")
        + "  by_day: {partition: day, projection: keys_only}\n",
        ["hot-partition"],
    ),
    "a local index": (
        GOOD + "  by_state: {kind: local, sort: state, projection: keys_only}\n",
        ["local-index-limit"],
    ),
    "a projection of everything with large attributes": (
        _edit("projection: keys_only", "projection: all"),
        ["large-projection"],
    ),
    "a scan-only table": (
        """
        version: 1
        table: flat
        key: {partition: id}
        entities:
          Thing:
            attributes:
              id: string
        """,
        ["scan-only"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_warning(case: str) -> None:
    text, expected = CASES[case]
    assert rules(textwrap.dedent(text)) == expected


def test_all_of_everything_with_small_items_is_fine() -> None:
    small = _edit("body: {type: json, optional: true}", "body: {type: string, optional: true}")
    small = small.replace("projection: keys_only", "projection: all")
    assert rules(small) == []


def dynagen(cwd: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_the_command_prints_positioned_warnings(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "good.yaml", _edit("projection: keys_only", "projection: all"))
    code, out, err = dynagen(tmp_path, "vet", "specs")
    assert code == 0
    assert out.startswith("specs/good.yaml:15:3: warning: global index 'by_owner' projects every")
    assert out.rstrip().endswith("[large-projection]")
    assert err == "dynagen: 1 warning in 1 spec\n"
    assert dynagen(tmp_path, "vet", "specs", "--strict")[0] == 1
    assert dynagen(tmp_path, "vet", "specs", "--strict", "--ignore", "large-projection")[:2] == (0, "")  # fmt: skip
    code, out, _ = dynagen(tmp_path, "vet", "specs", "--format", "github")
    assert out.startswith("::warning file=specs/good.yaml,line=15,col=3::global index 'by_owner'")


def test_the_example_specs_get_the_warnings_their_designs_earn(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    code, out, _ = dynagen(root, "vet", "specs")
    assert code == 0
    found = sorted(line.rsplit("[", 1)[1].rstrip("]") for line in out.splitlines())
    assert found == sorted(
        ["hot-partition", "hot-partition", "local-index-limit", "local-index-limit"]
        + ["hot-partition", "hot-partition"]  # shop: gsi1 by an enum, gsi2's constant SHIPPED
        + ["large-projection", "large-projection"]
        + ["hot-partition", "hot-partition", "local-index-limit"]  # projects: STATE#, PROJECTS
    )


# ---------------------------------------------------------------- ignores in the spec


def test_a_spec_s_ignore_leaves_a_rule_out_where_it_says(tmp_path: Path) -> None:
    text = GOOD + "  by_state: {kind: local, sort: state, projection: keys_only}\n"
    text += "  by_id: {kind: local, sort: owner, projection: keys_only}\n"
    write_spec(tmp_path / "specs", "good.yaml", text)
    code, out, err = dynagen(tmp_path, "vet", "specs", "--strict")
    assert code == 1 and out.count("[local-index-limit]") == 2
    narrowed = text + "ignore:\n  - {rule: local-index-limit, index: by_state, reason: one small collection per id}\n"  # fmt: skip
    write_spec(tmp_path / "specs", "good.yaml", narrowed)
    code, out, err = dynagen(tmp_path, "vet", "specs", "--strict")
    assert code == 1
    assert out.count("[local-index-limit]") == 1 and "'by_id'" in out and "'by_state'" not in out
    assert err == "dynagen: 1 warning in 1 spec (1 ignored by the specs' `ignore:`)\n"
    whole = text + "ignore:\n  - {rule: local-index-limit, reason: ids hold few items}\n"
    write_spec(tmp_path / "specs", "good.yaml", whole)
    assert dynagen(tmp_path, "vet", "specs", "--strict")[:2] == (0, "")


def test_an_ignore_of_another_rule_or_index_changes_nothing() -> None:
    text = _edit("projection: keys_only", "projection: all")
    other = text + "ignore: [{rule: large-projection, index: by_owner_state, reason: r}, {rule: scan-only, reason: r}]\n"  # fmt: skip
    table, diagnostics = validate_text("specs/good.yaml", other)
    assert table is not None, diagnostics
    from dynagen.ops.ignores import covering

    assert [a.rule for a in vet(table) if covering(table.ignores, a.rule, a.where) is None] == [
        "large-projection"
    ]


def test_an_unknown_rule_in_the_spec_is_a_positioned_error(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "good.yaml", GOOD + "ignore: [{rule: hot-partitions, reason: r}]\n")  # fmt: skip
    code, out, err = dynagen(tmp_path, "vet", "specs")
    assert code == 1 and out == ""
    assert err.startswith("specs/good.yaml:17:17: error: unknown rule 'hot-partitions'")
    assert "(did you mean 'hot-partition'?)" in err


def test_a_narrow_int_part_of_a_key_template_is_warned_with_its_limit() -> None:
    shop = (Path(__file__).resolve().parents[1] / "spec" / "single_table" / "shop.yaml").read_text()
    assert "narrow-int-part" not in rules(shop)
    narrow = shop.replace('sk: "ORDER#{order_no:08}"', 'sk: "ORDER#{order_no:02}"', 1)
    assert narrow != shop
    table, diagnostics = validate_text("specs/shop.yaml", narrow)
    assert table is not None, diagnostics
    (advice,) = [a for a in vet(table) if a.rule == "narrow-int-part"]
    assert advice.where == ("entities", "Order", "keys")
    assert advice.message.startswith(
        "template 'ORDER#{order_no:02}': {order_no:02} holds at most 99; a larger order_no is "
        "refused at run time"
    )
