"""Spec text that cannot go where it is written is refused there, as `file:line:col: error:`.

Descriptions become docstrings: a control character other than newline and tab (a NUL made a
module that does not import) and a lone surrogate (not writable as UTF-8: a traceback) are
refused. Names and values DynamoDB stores (`stored_as`, enum values, string and JSON defaults)
must be text DynamoDB can store: no lone surrogate. Types nested deeper than DynamoDB stores,
and JSON defaults it would refuse, are refused too. Anything else is written safely (see
tests/codegen/test_spec_strings.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dynagen import cli
from tests.spec.support import HEAD, assert_error, valid, with_attribute

MINIMAL = """\
version: 1
table: things
key: {partition: pk}
entities: {Thing: {attributes: {pk: string}}}
"""


@pytest.mark.parametrize(
    ("escaped", "code"),
    [("\\0", "0000"), ("\\r", "000D"), ("\\e", "001B"), ("\\x7f", "007F"), ("\\N", "0085")],
)
def test_a_control_character_in_a_description_is_refused_where_it_is_written(
    escaped: str, code: str
) -> None:
    assert_error(
        MINIMAL + f'description: "one{escaped}two"\n',
        "5:14",
        f"description holds the control character U+{code} at character 4",
        "newlines and tabs",
    )
    assert_error(
        with_attribute(f'note: {{type: string, description: "a{escaped}"}}'),
        "12:41",
        "description of attribute 'note' holds the control character",
    )
    # newlines, tabs, quotes, backslashes and other characters are kept as written
    text = 'one\\n\\ttwo \\"\\"\\" \\\\ \\u2028 \\U0001F600'
    table = valid(MINIMAL + f'description: "{text}"\n')
    assert table.description == 'one\n\ttwo """ \\ \u2028 \U0001f600'


def test_a_lone_surrogate_in_a_description_is_refused_not_a_traceback() -> None:
    assert_error(
        HEAD.replace("  Thing:\n", '  Thing:\n    description: "x\\ud800"\n'),
        "9:18",
        "description of entity 'Thing' holds a lone surrogate U+D800 at character 2",
    )
    assert_error(
        HEAD.replace(
            "  Color: {enum: [red, green]}", '  Color: {enum: [red], description: "\\udfff"}'
        ),
        "5:37",
        "description of enum 'Color' holds a lone surrogate U+DFFF",
    )
    assert_error(
        HEAD.replace(
            "  Point: {fields: {x: int, y: int}}",
            '  Point: {fields: {x: int}, description: "\\udfff"}',
        ),
        "6:42",
        "description of record 'Point' holds a lone surrogate",
    )


def test_a_lone_surrogate_in_stored_as_is_refused_not_a_traceback() -> None:
    assert_error(
        with_attribute('note: {type: string, stored_as: "n\\ud800"}'),
        "12:39",
        "stored_as of attribute 'note' holds a lone surrogate U+D800 at character 2",
        "UTF-8",
    )


def test_a_lone_surrogate_in_an_enum_value_is_refused() -> None:
    assert_error(
        HEAD.replace("[red, green]", '[red, "gr\\udc00een"]'),
        "5:23",
        "enum 'Color': value 'gr\\udc00een' holds a lone surrogate",
    )
    # control characters are DynamoDB text: enum values and stored names may hold them
    table = valid(
        HEAD.replace("[red, green]", '["re\\0d", "gr\\reen"]')
        + '      note: {type: string, stored_as: "a\\0b\\tc"}\n'
    )
    assert table.enums[0].values == ("re\x00d", "gr\reen")
    assert table.entity.attribute("note").stored_as == "a\x00b\tc"


def test_a_string_default_dynamodb_cannot_store_is_refused() -> None:
    assert_error(
        with_attribute('note: {type: string, default: "x\\ud800"}'),
        "12:37",
        "lone surrogate",
    )


@pytest.mark.parametrize(
    ("default", "fragment"),
    [
        ('{"\\ud800": 1}', "lone surrogate"),
        ('["\\udfff"]', "lone surrogate"),
        ('{"": 1}', "non-empty strings"),
        ("[" * 32 + "]" * 32, "nested deeper"),
    ],
)
def test_a_json_default_dynamodb_would_refuse_is_refused(default: str, fragment: str) -> None:
    assert_error(with_attribute(f"doc: {{type: json, default: {default}}}"), "12:34", fragment)
    valid(with_attribute(f"doc: {{type: json, default: {'[' * 31 + ']' * 31}}}"))  # the limit


def test_a_type_nested_deeper_than_dynamodb_stores_is_refused() -> None:
    deep = "list<" * 16 + "map<" * 16 + "int" + ">" * 32
    assert_error(with_attribute(f"deep: {deep}"), "12:13", "32 deep", "at most 31")
    valid(with_attribute("ok: " + "list<" * 31 + "int" + ">" * 31))


def test_the_cli_refuses_a_description_with_a_nul_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "things.yaml"
    spec.write_text(MINIMAL + 'description: "bad\\0"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(spec), "-o", str(out)]) == 1
    assert f"{spec}:5:14: error: description holds the control character U+0000" in (
        capsys.readouterr().err
    )
    assert not out.exists() or not any(out.iterdir())
