"""The loader: YAML text -> positioned nodes, refusing what a spec never needs (load.py)."""

from __future__ import annotations

import gc
import time

import pytest
import yaml

from dynagen.spec import kinds
from dynagen.spec.check import validate_text
from dynagen.spec.diagnostics import Diagnostic, SpecErrors
from dynagen.spec.load import MAX_DEPTH, MAX_SPEC_BYTES, Map, Scalar, Seq, load_spec
from tests.spec.support import HEAD, PATH, ROOT, assert_error, errors, valid

# A guard against a parse that expands or recurses without end (hours), not a speed measure: wide
# enough that a loaded CI machine never trips it; the counts asserted beside it are the proof.
HANG = 30.0

ORDERS = (ROOT / "specs" / "orders.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- diagnostics


def test_diagnostic_prints_like_a_compiler() -> None:
    diagnostic = Diagnostic("specs/a.yaml", 3, 7, "something is wrong")
    assert str(diagnostic) == "specs/a.yaml:3:7: error: something is wrong"


def test_spec_errors_sorts_by_file_line_and_column() -> None:
    later = Diagnostic("b.yaml", 1, 1, "x")
    early = Diagnostic("a.yaml", 9, 2, "y")
    earlier = Diagnostic("a.yaml", 2, 30, "z")
    errors_ = SpecErrors([later, early, earlier])
    assert errors_.diagnostics == [earlier, early, later]
    assert str(errors_).splitlines() == [str(earlier), str(early), str(later)]


# ---------------------------------------------------------------- nodes


def test_nodes_keep_one_based_line_and_column() -> None:
    root, diagnostics = load_spec(PATH, "a: 1\nb:\n  - x\n  - {c: d}\n")
    assert diagnostics == []
    assert isinstance(root, Map)
    assert (root.line, root.col) == (1, 1)
    assert root.keys() == ["a", "b"]
    items = root.get("b")
    assert isinstance(items, Seq)
    assert (items.line, items.col) == (3, 3)
    first, second = items.items
    assert isinstance(first, Scalar) and (first.value, first.line, first.col) == ("x", 3, 5)
    assert isinstance(second, Map) and (second.line, second.col) == (4, 5)
    assert root.get("missing") is None


def test_scalars_keep_their_source_text_next_to_the_yaml_value() -> None:
    root, _ = load_spec(PATH, "a: 007\nb: on\nc: ~\n")
    assert isinstance(root, Map)
    values = {key.text: value for key, value in root.entries}
    assert isinstance(values["a"], Scalar) and values["a"].text == "007"
    assert isinstance(values["b"], Scalar) and (values["b"].value, values["b"].text) == (
        True,
        "on",
    )
    assert isinstance(values["c"], Scalar) and values["c"].value is None


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "true", "null"])
def test_yaml_11_booleans_and_null_as_keys_stay_their_text(word: str) -> None:
    root, diagnostics = load_spec(PATH, f"{word}: 1\n")
    assert diagnostics == []
    assert isinstance(root, Map)
    assert root.keys() == [word]
    assert root.get(word) is not None


def test_attribute_named_on_keeps_the_name_on() -> None:
    table = valid(HEAD + "      on: bool\n      off: string\n      yes: int\n")
    names = [attribute.name for attribute in table.entity.attributes]
    assert names == ["pk", "sk", "on", "off", "yes"]
    assert table.entity.attribute("on").type.kind is kinds.BOOL


# ---------------------------------------------------------------- YAML syntax


@pytest.mark.parametrize(
    "text, where, problem",
    [
        ("version: 1\ntable: things: x\n", "2:14", "mapping values are not allowed here"),
        ("version: 1\n  table: x\n", "2:8", "mapping values are not allowed here"),
        ("version: 1\nkey: {partition: pk\n", "3:1", "expected ',' or '}'"),
        ("a: [1, 2\nb: 3\n", "2:2", "expected ',' or ']'"),
        ("version: 1\n\tkey: x\n", "2:1", "found character '\\t'"),
        ("version: 1\ntable: things\n- x\n", "3:1", "expected <block end>"),
        ('version: "1\n', "2:1", "unexpected end of stream"),
        ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "2:1", "duplicate YAML directive"),
    ],
    ids=[
        "two-colons",
        "bad-indent",
        "unclosed-flow-mapping",
        "unclosed-flow-sequence",
        "tab",
        "sequence-in-mapping",
        "unclosed-quote",
        "duplicate-directive",
    ],
)
def test_invalid_yaml_is_reported_where_the_parser_stopped(
    text: str, where: str, problem: str
) -> None:
    assert_error(text, where, "invalid YAML:", problem)


def test_invalid_yaml_error_is_one_line() -> None:
    error = assert_error("a: [1, 2\nb: 3\n", "2:2")
    assert "\n" not in error


def test_forbidden_character_is_reported_at_the_character() -> None:
    error = assert_error("version: 1\ntable: a\x00b\n", "2:9", "invalid YAML:")
    assert "\n" not in error


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n# and another\n"])
def test_empty_file_is_one_error_at_1_1(text: str) -> None:
    assert_error(text, "1:1", "spec file is empty")


def test_file_with_only_a_document_marker_is_empty() -> None:
    assert_error("---\n", "1:1", "spec file is empty")


def test_two_documents_are_refused_at_the_second() -> None:
    text = "version: 1\ntable: a\n---\nversion: 1\ntable: b\n"
    assert_error(text, "4:1", "a spec file holds one YAML document")


def test_two_copies_of_a_real_spec_are_refused_at_the_second() -> None:
    lines = ORDERS.count("\n")
    assert_error(ORDERS + "---\n" + ORDERS, f"{lines + 2}:1", "one YAML document")


def test_explicit_document_markers_around_one_spec_are_fine() -> None:
    assert valid("---\n" + ORDERS + "...\n").module == "orders"


# ---------------------------------------------------------------- duplicate keys


@pytest.mark.parametrize(
    "text, where, name",
    [
        ("version: 1\ntable: x\nversion: 2\n", "3:1", "version"),
        ("key: {partition: pk, partition: sk}\n", "1:22", "partition"),
        ("a:\n  b: 1\n  b: 2\n", "3:3", "b"),
        ("? a\n? a\n", "2:3", "a"),
    ],
    ids=["top-level", "flow", "nested", "explicit-keys"],
)
def test_duplicate_key_is_reported_at_the_second_occurrence(
    text: str, where: str, name: str
) -> None:
    assert_error(text, where, f"duplicate key {name!r}")


def test_duplicate_attribute_in_a_real_spec() -> None:
    text = ORDERS.replace("      total: decimal\n", "      total: decimal\n      total: int\n")
    line = text.splitlines().index("      total: int") + 1
    assert_error(text, f"{line}:7", "duplicate key 'total'")


# ---------------------------------------------------------------- aliases and merge keys


def test_alias_of_a_collection_is_refused() -> None:
    text = "a: &x [1, 2]\nb: *x\n"
    error = the_only_loader_error(text)
    assert "YAML aliases (*name) are not allowed in specs" in error


def test_alias_is_reported_where_it_is_used() -> None:
    assert_error("a: &x [1, 2]\nb: *x\n", "2:4", "YAML aliases")


def test_alias_of_a_scalar_is_refused() -> None:
    text = HEAD.replace("      sk: int\n", "      sk: &t int\n      other: *t\n")
    assert_error(text, "12:14", "YAML aliases")


BILLION_LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
)


def test_billion_laughs_is_refused_quickly_without_expanding() -> None:
    start = time.perf_counter()
    table, diagnostics = validate_text(PATH, BILLION_LAUGHS)
    elapsed = time.perf_counter() - start
    assert table is None
    assert diagnostics
    assert all("YAML aliases" in d.message for d in diagnostics)
    # One diagnostic per alias written (9 levels x 9), not one per expanded node (9**9).
    assert len(diagnostics) <= 81
    assert elapsed < HANG


def test_billion_laughs_with_mapping_values_is_refused_quickly() -> None:
    lines = ["a0: &a0 {x: lol, y: lol}"]
    lines += [f"a{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}, r: *a{i - 1}}}" for i in range(1, 25)]
    start = time.perf_counter()
    table, diagnostics = validate_text(PATH, "\n".join(lines))
    assert table is None
    assert diagnostics and all("YAML aliases" in d.message for d in diagnostics)
    assert time.perf_counter() - start < HANG


def test_merge_key_is_refused() -> None:
    text = "base: {x: 1}\nb:\n  <<: {x: 1}\n  y: 2\n"
    found = errors(text)
    assert any(
        e.startswith("spec.yaml:3:3: error: YAML merge keys (<<) are not allowed in specs")
        for e in found
    ), found


def test_merge_key_is_exactly_one_error() -> None:
    assert_error("b:\n  <<: {x: 1}\n", "2:3", "YAML merge keys (<<) are not allowed in specs")


@pytest.mark.parametrize(
    "text, where",
    [("? [a, b]\n: 1\n", "1:3"), ("{a: 1}: 1\n", "1:1"), ("? {a: 1}\n: 1\n", "1:3")],
    ids=["sequence", "flow-mapping", "explicit-mapping"],
)
def test_non_scalar_mapping_key_is_refused(text: str, where: str) -> None:
    assert_error(text, where, "mapping keys must be plain names")


# ---------------------------------------------------------------- tags and scalars


def test_unknown_tag_is_an_error_at_the_value() -> None:
    found = errors("a: !foo x\n")
    assert len(found) == 1
    assert found[0].startswith("spec.yaml:1:4: error: bad scalar 'x'")


def test_python_tags_are_never_constructed() -> None:
    found = errors("a: !!python/name:os.system x\n")
    assert len(found) == 1
    assert found[0].startswith("spec.yaml:1:4: error: bad scalar")


def test_impossible_date_is_an_error_at_the_value() -> None:
    assert_error("a: 2024-13-45\n", "1:4", "bad scalar '2024-13-45'", "month must be in 1..12")


def test_bad_scalar_error_is_one_line() -> None:
    error = assert_error("a: !!binary xx\n", "1:4", "bad scalar 'xx'")
    assert "\n" not in error
    assert "<unicode string>" not in error


@pytest.mark.parametrize("value", ["!!timestamp 99999-01-01", "!!timestamp x", "!!bool maybe"])
def test_explicit_tag_that_cannot_be_constructed_is_an_error_not_a_crash(value: str) -> None:
    assert_error(f"a: {value}\n", "1:4", "bad scalar")


# ---------------------------------------------------------------- size and depth


def test_file_of_exactly_the_size_limit_is_read() -> None:
    padding = MAX_SPEC_BYTES - len(ORDERS.encode("utf-8")) - 2
    text = ORDERS + "#" + "x" * padding + "\n"
    assert len(text.encode("utf-8")) == MAX_SPEC_BYTES
    assert valid(text).module == "orders"


def test_file_over_the_size_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = ORDERS + "#" + "x" * MAX_SPEC_BYTES + "\n"

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML parser was given a file over the size limit")

    monkeypatch.setattr(yaml, "compose_all", parse)  # load.py calls yaml.compose_all
    assert_error(text, "1:1", f"spec file is larger than {MAX_SPEC_BYTES} bytes")


def test_size_limit_counts_bytes_not_characters() -> None:
    text = "# " + "é" * (MAX_SPEC_BYTES // 2) + "\n"  # about 500,000 characters, 1,000,003 bytes
    assert len(text) < MAX_SPEC_BYTES
    assert_error(text, "1:1", "larger than")


def test_nesting_at_the_depth_limit_is_loaded() -> None:
    root, diagnostics = load_spec(PATH, "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert diagnostics == []
    assert isinstance(root, Map)


def test_nesting_past_the_depth_limit_is_reported_at_the_first_level_too_deep() -> None:
    # `a: ` then 100 brackets: the map is depth 0, so bracket number 65 (column 68) is too deep.
    text = "a: " + "[" * 100 + "]" * 100 + "\n"
    assert_error(text, f"1:{3 + MAX_DEPTH + 1}", f"nested deeper than {MAX_DEPTH} levels")


def test_deep_block_mappings_are_reported_on_the_line_too_deep() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "x: 1\n"
    found = errors(text)
    assert found[0].startswith(f"spec.yaml:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: error: ")
    assert all(f"nested deeper than {MAX_DEPTH} levels" in error for error in found)


def test_very_deep_nesting_is_an_error_not_a_recursion_crash() -> None:
    text = "a: " + "[" * 600 + "]" * 600 + "\n"
    start = time.perf_counter()
    found = errors(text)
    assert len(found) == 1
    assert "nested" in found[0]
    assert time.perf_counter() - start < HANG


def test_very_deep_nesting_is_reported_at_the_first_level_too_deep() -> None:
    text = "a: " + "[" * 600 + "]" * 600 + "\n"
    assert the_error_position(text) == f"1:{3 + MAX_DEPTH + 1}"


# ---------------------------------------------------------------- memory


def test_validating_specs_does_not_keep_their_yaml_nodes_alive() -> None:
    validate_text(PATH, ORDERS)  # warm up
    gc.collect()
    before = _live_yaml_nodes()
    for _ in range(5):
        validate_text(PATH, ORDERS)
    gc.collect()
    assert _live_yaml_nodes() == before


def _live_yaml_nodes() -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, yaml.Node))


# ---------------------------------------------------------------- helpers


def the_only_loader_error(text: str) -> str:
    root, diagnostics = load_spec(PATH, text)
    assert diagnostics, "no loader diagnostic"
    assert len(diagnostics) == 1, diagnostics
    return str(diagnostics[0])


def the_error_position(text: str) -> str:
    found = errors(text)
    assert len(found) == 1, found
    return ":".join(found[0].split(":")[1:3])
