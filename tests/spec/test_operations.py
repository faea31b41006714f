"""Table-level operational fields: deletion protection, point-in-time recovery, tags, and the
`ignore:` block, each refused at the value that is wrong (DynamoDB's tagging rules)."""

from __future__ import annotations

import pytest

from dynagen.spec.model import Ignore
from dynagen.spec.rules import RULES
from tests.spec.support import assert_error, errors, valid

# Line 5 is where each test writes its field.
BASE = """\
version: 1
table: things
key: {partition: pk, sort: sk}
indexes: {by_sk: {partition: sk}}
%s
types: {Color: {enum: [red]}}
entities: {Thing: {attributes: {pk: string, sk: int, color: {type: Color, optional: true}}}}
"""


def spec(line: str) -> str:
    return BASE % line


def test_unwritten_settings_are_none_so_apply_leaves_them_alone() -> None:
    table = valid(spec(""))
    assert (table.deletion_protection, table.point_in_time_recovery, table.tags) == (None, None, None)  # fmt: skip
    assert table.ignores == ()


def test_settings_as_written() -> None:
    text = BASE.replace(
        "%s\n", "deletion_protection: true\npoint_in_time_recovery: false\ntags: {team: payments, 'cost center': '', a.b/c=d+e-f:g_h: Zürich 7}\n"  # fmt: skip
    )
    table = valid(text)
    assert table.deletion_protection is True
    assert table.point_in_time_recovery is False
    assert table.tags == (("a.b/c=d+e-f:g_h", "Zürich 7"), ("cost center", ""), ("team", "payments"))  # fmt: skip
    assert valid(spec("tags: {}")).tags == ()


@pytest.mark.parametrize("field", ["deletion_protection", "point_in_time_recovery"])
def test_a_setting_must_be_a_boolean(field: str) -> None:
    assert_error(spec(f"{field}: 'yes please'"), f"5:{len(field) + 3}", f"{field} must be true or false")  # fmt: skip


@pytest.mark.parametrize(
    "line, where, fragment",
    [
        ("tags: [team]", "5:7", "tags must be a mapping"),
        ("tags: {'aws:owner': me}", "5:8", "'aws:' prefix is reserved"),
        ("tags: {'AWS:owner': me}", "5:8", "'aws:' prefix is reserved"),
        ("tags: {'team!': x}", "5:8", "character 5 ('!') is not allowed"),
        ("tags: {'': x}", "5:8", "0 characters long; 1-128 allowed"),
        ("tags: {%s: x}" % ("k" * 129), "5:8", "129 characters long; 1-128 allowed"),
        ("tags: {team: 42}", "5:14", "the value must be a string (got 42; quote it)"),
        ("tags: {team: [a]}", "5:14", "the value must be a string"),
        ("tags: {team: %s}" % ("v" * 257), "5:14", "the value: 257 characters long; 0-256 allowed"),
        ("tags: {team: 'a&b'}", "5:14", "the value: character 2 ('&') is not allowed"),
        ("tags: {team: 'tab\\there'}", "5:14", "is not allowed"),
    ],
)
def test_tags_follow_dynamodb_s_rules(line: str, where: str, fragment: str) -> None:
    assert_error(spec(line), where, fragment)


def test_at_most_fifty_tags() -> None:
    many = ", ".join(f"t{n}: v" for n in range(51))
    assert_error(spec(f"tags: {{{many}}}"), "5:7", "51 tags: DynamoDB allows at most 50")
    assert len(valid(spec("tags: {%s}" % ", ".join(f"t{n}: v" for n in range(50)))).tags or ()) == 50  # fmt: skip


def test_ignores_as_written() -> None:
    text = spec(
        "ignore: [{rule: hot-partition, index: by_sk, reason: few tenants}, "
        "{rule: WIRE, attribute: gone, reason: nothing reads it}, {rule: API, type: Color, reason: internal}]"  # fmt: skip
    )
    assert valid(text).ignores == (
        Ignore("hot-partition", "few tenants", index="by_sk"),
        Ignore("WIRE", "nothing reads it", attribute="gone"),
        Ignore("API", "internal", type="Color"),
    )


@pytest.mark.parametrize(
    "entry, at, fragment",
    [
        ("{rule: hot-partitoin, reason: r}", "hot-", "unknown rule 'hot-partitoin'"),
        ("{rule: wire, reason: r}", "wire", "(did you mean 'WIRE'?)"),
        ("{rule: scan-only}", "{", "needs the field 'reason'"),
        ("{rule: scan-only, reason: ''}", "''", "ignore reason must be a non-empty string"),
        ("{rule: scan-only, reason: r, why: r}", "why", "unknown field 'why'"),
        ("{rule: large-projection, index: by_nothing, reason: r}", "by_no", "no such index"),
        ("{rule: hot-partition, attribute: pk, reason: r}", "pk", "narrow it with `index`"),
        ("scan-only", "scan", "an ignore entry must be a mapping"),
    ],
)
def test_a_bad_ignore_entry_is_refused_where_it_is_written(entry: str, at: str, fragment: str) -> None:  # fmt: skip
    line = f"ignore: [{entry}]"
    assert_error(spec(line), f"5:{line.index(at) + 1}", fragment)


def test_ignore_must_be_a_list_and_every_mistake_is_reported() -> None:
    assert_error(spec("ignore: {rule: WIRE}"), "5:9", "ignore must be a list")
    found = errors(spec("ignore: [{rule: nope, reason: r}, {rule: KEYS}, {rule: API, reason: r, index: 3}]"))  # fmt: skip
    assert len(found) == 3, found


def test_the_unknown_rule_message_names_every_rule() -> None:
    message = assert_error(spec("ignore: [{rule: x, reason: r}]"), "5:17", "unknown rule")
    assert all(rule in message for rule in RULES)
