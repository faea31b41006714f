"""`dynagen diff`: each breaking way of editing a spec is caught with its category, and the
non-breaking ways (a new optional attribute, a new index, an attribute with a default) pass."""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

import pytest

from dynagen.cli import main
from dynagen.ops.diff import Finding, compare
from dynagen.spec.check import validate_text
from dynagen.spec.model import Table
from tests.codegen.support import write_spec

BASE = """
version: 1
table: things
key: {partition: id, sort: seq}
stream: new_image
types:
  Colour: {enum: [red, green]}
  Point: {fields: {x: int, y: {type: int, optional: true}}}
entities:
  Thing:
    attributes:
      id: string
      seq: int
      colour: Colour
      at: {type: Point, optional: true}
      label: string
      note: {type: string, optional: true}
      owner: {type: string, optional: true}
      rank: {type: int, optional: true}
indexes:
  by_owner: {partition: owner, sort: seq, projection: [label, note]}
  by_rank: {kind: local, sort: rank, projection: keys_only}
"""


def _edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def _table(text: str) -> Table:
    table, diagnostics = validate_text("specs/things.yaml", text)
    assert table is not None, diagnostics
    return table


def findings(new: str) -> list[Finding]:
    return compare([_table(BASE)], [_table(new)])


def categories(new: str) -> set[str]:
    return {f.category for f in findings(new) if f.category != "NOTE"}


BREAKING = {
    # WIRE: stored items stop reading
    "a type changed": (_edit("label: string", "label: int"), {"WIRE"}),
    "stored_as changed": (_edit("label: string", "label: {type: string, stored_as: l}"), {"WIRE"}),
    "a required attribute added without a default": (_edit("      label: string", "      label: string\n      size: int"), {"WIRE"}),  # fmt: skip
    "an optional attribute made required": (_edit("note: {type: string, optional: true}", "note: string"), {"WIRE"}),  # fmt: skip
    "an enum value removed": (_edit("[red, green]", "[red]"), {"WIRE", "API"}),
    "a record field's type changed": (_edit("{x: int,", "{x: string,"), {"WIRE"}),
    # WIRE, for old code reading new items during a rollout
    "a required attribute removed": (_edit("      label: string\n", "").replace("[label, note]", "[note]"), {"WIRE", "API"}),  # fmt: skip
    "an enum value added": (_edit("[red, green]", "[red, green, blue]"), {"WIRE"}),
    "a required attribute made optional": (_edit("label: string", "label: {type: string, optional: true}"), {"WIRE"}),  # fmt: skip
    # KEYS
    "the sort key changed": (_edit("sort: seq}", "sort: label}").replace("[label, note]", "[note]"), {"KEYS", "TABLE", "API"}),  # fmt: skip
    "a key attribute's stored name changed": (_edit("      id: string", "      id: {type: string, stored_as: pk}"), {"KEYS", "TABLE", "WIRE"}),  # fmt: skip
    "a key attribute's type changed": (_edit("      seq: int", "      seq: string"), {"KEYS", "TABLE", "WIRE"}),  # fmt: skip
    "a global index key changed": (_edit("by_owner: {partition: owner, sort: seq,", "by_owner: {partition: owner, sort: rank,"), {"KEYS", "API"}),  # fmt: skip
    # TABLE
    "a local index removed": (_edit("  by_rank: {kind: local, sort: rank, projection: keys_only}\n", ""), {"TABLE", "API"}),  # fmt: skip
    "a local index added": (BASE + "  by_label: {kind: local, sort: label}\n", {"TABLE"}),
    "a local index projection changed": (_edit("sort: rank, projection: keys_only", "sort: rank, projection: all"), {"TABLE"}),  # fmt: skip
    "the stream view changed": (_edit("stream: new_image", "stream: keys_only"), {"TABLE"}),
    "the stream removed": (_edit("stream: new_image\n", ""), {"TABLE"}),
    "the physical table name changed": (_edit("table: things", "table: things\ntable_name: things-v2"), {"TABLE"}),  # fmt: skip
    # API
    "an optional attribute removed": (_edit("      rank: {type: int, optional: true}\n", "").replace("  by_rank: {kind: local, sort: rank, projection: keys_only}\n", ""), {"API", "TABLE"}),  # fmt: skip
    "an attribute renamed": (_edit("note: {type: string, optional: true}", "remark: {type: string, optional: true, stored_as: note}").replace("[label, note]", "[label, remark]"), {"API"}),  # fmt: skip
    "a global index removed": (_edit("  by_owner: {partition: owner, sort: seq, projection: [label, note]}\n", ""), {"API"}),  # fmt: skip
    "a projection narrowed": (_edit("projection: [label, note]", "projection: [label]"), {"API"}),
    "a record type removed": (_edit("  Point: {fields: {x: int, y: {type: int, optional: true}}}\n", "").replace("at: {type: Point, optional: true}", "at: {type: string, optional: true}"), {"API", "WIRE"}),  # fmt: skip
    "the entity renamed": (_edit("  Thing:", "  Item:"), {"API"}),
}


@pytest.mark.parametrize("case", BREAKING)
def test_each_breaking_edit_is_caught_with_its_category(case: str) -> None:
    new, expected = BREAKING[case]
    assert categories(new) == expected, findings(new)


NON_BREAKING = {
    "nothing changed": BASE,
    "a new optional attribute": _edit("      label: string", "      label: string\n      extra: {type: json, optional: true}"),  # fmt: skip
    "a new global index": BASE + "  by_label: {partition: label}\n",
    "a new required attribute with a default": _edit("      label: string", "      label: string\n      size: {type: int, default: 1}"),  # fmt: skip
    "a default added to an attribute": _edit("label: string", "label: {type: string, default: x}"),
    "a new required set (reads back empty)": _edit("      label: string", "      label: string\n      tags: set<string>"),  # fmt: skip
    "a projection widened": _edit("projection: [label, note]", "projection: all"),
    "billing changed": BASE + "billing: {read: 1, write: 1}\n",
    "a stream added": _edit("stream: new_image\n", ""),  # compared the other way round
    "descriptions": _edit("      label: string", "      label: {type: string, description: The label.}"),  # fmt: skip
    "a new enum type and record": _edit("types:\n", "types:\n  Size: {enum: [s, m]}\n  Box: {fields: {w: int}}\n"),  # fmt: skip
}


@pytest.mark.parametrize("case", NON_BREAKING)
def test_non_breaking_edits_pass(case: str) -> None:
    new = NON_BREAKING[case]
    if case == "a stream added":  # from no stream to one
        assert compare([_table(new)], [_table(BASE)]) == []
        return
    assert categories(new) == set(), findings(new)


def test_a_required_attribute_with_a_default_comes_with_a_note() -> None:
    notes = [f for f in findings(NON_BREAKING["a new required attribute with a default"])]
    assert [f.category for f in notes] == ["NOTE"]
    assert "a stored item without it reads as the default" in notes[0].message


def test_a_removed_table_is_an_api_break() -> None:
    found = compare([_table(BASE)], [])
    assert [(f.category, f.message) for f in found] == [
        ("API", "table 'things' was removed (its module)")
    ]


# ---------------------------------------------------------------- the command


def dynagen(cwd: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_spec(tmp_path / "specs", "things.yaml", BASE)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "v1")
    return tmp_path


def test_against_a_git_ref_fails_on_a_break_with_its_position(repo: Path) -> None:
    write_spec(repo / "specs", "things.yaml", _edit("label: string", "label: int"))
    code, out, err = dynagen(repo, "diff", "--against", "HEAD", "specs")
    assert code == 1
    assert out == (
        "specs/things.yaml:15:7: WIRE: attribute 'label' changed type from string to int; "
        "stored items no longer read\n"
    )
    assert "1 breaking change (WIRE)" in err
    code, out, _ = dynagen(repo, "diff", "--against", "HEAD", "specs", "--allow", "WIRE")
    assert code == 0
    assert "WIRE (allowed)" in out
    code, out, _ = dynagen(repo, "diff", "--against", "HEAD", "specs", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=specs/things.yaml,line=15,col=7::WIRE: attribute 'label'")


def test_against_a_git_ref_passes_a_new_optional_attribute(repo: Path) -> None:
    write_spec(repo / "specs", "things.yaml", NON_BREAKING["a new optional attribute"])
    write_spec(repo / "specs", "brand_new.yaml", BASE.replace("table: things", "table: brand_new"))
    code, out, err = dynagen(repo, "diff", "--against", "HEAD", "specs")
    assert (code, out) == (0, "")
    assert "no breaking changes" in err


def test_against_a_folder_holding_an_old_checkout(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:  # fmt: skip
    old = tmp_path_factory.mktemp("old")
    write_spec(old / "specs", "things.yaml", BASE)
    write_spec(repo / "specs", "things.yaml", _edit("stream: new_image", "stream: keys_only"))
    code, out, _ = dynagen(repo, "diff", "--against", str(old), "specs/things.yaml")
    assert code == 1
    assert out.startswith("specs/things.yaml:4:1: TABLE: the stream view changed")


def test_an_unknown_ref_is_a_clear_error(repo: Path) -> None:
    code, _, err = dynagen(repo, "diff", "--against", "no-such-ref", "specs")
    assert code == 1
    assert err == "dynagen: --against no-such-ref: neither a folder nor a git revision here\n"


# ---------------------------------------------------------------- ignores in the spec


def test_a_spec_s_ignore_passes_a_category_where_it_says(repo: Path) -> None:
    edited = _edit("label: string", "label: int").replace("      rank: {type: int, optional: true}\n", "      rank: {type: int, optional: true}\n      size: int\n")  # fmt: skip
    write_spec(repo / "specs", "things.yaml", edited)
    code, out, err = dynagen(repo, "diff", "--against", "HEAD", "specs")
    assert code == 1 and "2 breaking changes (WIRE)" in err
    narrowed = edited + "ignore:\n  - {rule: WIRE, attribute: label, reason: backfilled on 2026-11-30}\n"  # fmt: skip
    write_spec(repo / "specs", "things.yaml", narrowed)
    code, out, err = dynagen(repo, "diff", "--against", "HEAD", "specs")
    assert code == 1 and "1 breaking change (WIRE)" in err
    assert "WIRE (ignored: backfilled on 2026-11-30): attribute 'label' changed type" in out
    assert "specs/things.yaml:19:7: WIRE: required attribute 'size' was added" in out
    whole = edited + "ignore: [{rule: WIRE, reason: no items stored yet}]\n"
    write_spec(repo / "specs", "things.yaml", whole)
    code, out, err = dynagen(repo, "diff", "--against", "HEAD", "specs", "--format", "github")
    assert code == 0, out + err
    assert out.count("::warning ") == 2 and "(ignored: no items stored yet)" in out
    assert "no breaking changes (2 allowed or ignored)" in err


def test_an_ignore_may_name_what_the_new_spec_no_longer_has() -> None:
    removed = _edit("      label: string\n", "").replace("[label, note]", "[note]")
    scoped = removed + "ignore: [{rule: WIRE, attribute: label, reason: r}, {rule: API, attribute: label, reason: r}]\n"  # fmt: skip
    from dynagen.ops.ignores import covering

    table = _table(scoped)
    left = [f for f in compare([_table(BASE)], [table]) if covering(table.ignores, f.category, f.subject) is None]  # fmt: skip
    assert [f.message for f in left] == ["index 'by_owner' returns fewer attributes (label no longer projected)"]  # fmt: skip
    other = removed + "ignore: [{rule: WIRE, attribute: note, reason: r}, {rule: API, index: by_owner, reason: r}]\n"  # fmt: skip
    table = _table(other)
    left = [f for f in compare([_table(BASE)], [table]) if covering(table.ignores, f.category, f.subject) is None]  # fmt: skip
    assert {f.category for f in left} == {"WIRE", "API"}


def test_an_ignore_scoped_to_an_index_or_type() -> None:
    from dynagen.ops.ignores import covering

    edit = _edit("  by_owner: {partition: owner, sort: seq, projection: [label, note]}\n", "")
    edit = edit.replace("[red, green]", "[red]")
    table = _table(edit + "ignore: [{rule: API, index: by_owner, reason: r}, {rule: API, type: Colour, reason: r}]\n")  # fmt: skip
    left = [(f.category, f.message) for f in compare([_table(BASE)], [table]) if covering(table.ignores, f.category, f.subject) is None]  # fmt: skip
    assert left == [("WIRE", "enum Colour: value 'green' was removed; stored items holding it no longer read")]  # fmt: skip


def test_turning_a_safety_setting_off_is_a_note_not_a_break() -> None:
    old = BASE + "deletion_protection: true\npoint_in_time_recovery: true\n"
    off = BASE + "deletion_protection: false\npoint_in_time_recovery: false\n"
    found = compare([_table(old)], [_table(off)])
    assert [(f.category, f.where) for f in found] == [
        ("NOTE", ("deletion_protection",)),
        ("NOTE", ("point_in_time_recovery",)),
    ]
    assert "DeleteTable will no longer be refused" in found[0].message
    dropped = compare([_table(old)], [_table(BASE)])
    assert [f.category for f in dropped] == ["NOTE", "NOTE"]
    assert "no longer manages deletion protection" in dropped[0].message
    assert compare([_table(off)], [_table(old)]) == []  # turning them on is nothing to report
    assert compare([_table(BASE + "tags: {a: b}\n")], [_table(BASE)]) == []


# ---------------------------------------------------------------- templated (single-table) specs

SHOP = (Path(__file__).resolve().parents[1] / "spec" / "single_table" / "shop.yaml").read_text()


def shop_findings(*edits: tuple[str, str]) -> list[tuple[str, str]]:
    text = SHOP
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return [(f.category, f.message) for f in compare([_table(SHOP)], [_table(text)])]


def test_an_unchanged_templated_spec_has_no_finding() -> None:
    assert shop_findings() == []


def test_a_changed_key_template_moves_that_entity_s_items() -> None:
    found = shop_findings(('sk: "ORDER#{order_no:08}"', 'sk: "ORDER#{order_no:010}"'))
    assert found == [
        ("KEYS", "entity Order: the sort key template changed from 'ORDER#{order_no:08}' to 'ORDER#{order_no:010}': its stored items no longer match their keys")  # fmt: skip
    ]


def test_a_changed_index_template_keeps_old_index_keys_until_rewritten() -> None:
    found = shop_findings(('partition: "EMAIL#{email}"', 'partition: "MAIL#{email}"'))
    assert [c for c, _ in found] == ["KEYS"]
    assert "entity Customer: index 'by_email' changed its templates" in found[0][1]
