"""The validator: every problem reported at the node that is wrong, as `file:line:col: error:`."""

from __future__ import annotations

import datetime
import decimal
import keyword
import uuid
from pathlib import Path

import pytest

from dynagen.spec.check import validate_files
from dynagen.spec.model import Default
from tests.spec.support import (
    HEAD,
    PATH,
    assert_error,
    errors,
    valid,
    with_attribute,
)

# Four lines, all valid; tests add line 5 or change one line.
MINIMAL = """\
version: 1
table: things
key: {partition: pk}
entities: {Thing: {attributes: {pk: string}}}
"""


def replace_line(text: str, number: int, line: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = line
    return "\n".join(lines) + "\n"


def test_minimal_spec_is_valid() -> None:
    table = valid(MINIMAL)
    assert (table.module, table.physical_name, table.partition, table.sort) == (
        "things",
        "things",
        "pk",
        None,
    )


# ---------------------------------------------------------------- top level


def test_unknown_top_level_field_with_a_hint() -> None:
    assert_error(
        MINIMAL + "index: {}\n",
        "5:1",
        "unknown field 'index' in the spec (did you mean 'indexes'?)",
    )


def test_unknown_top_level_field_without_a_close_match_has_no_hint() -> None:
    error = assert_error(MINIMAL + "colour: blue\n", "5:1", "unknown field 'colour' in the spec")
    assert "did you mean" not in error


@pytest.mark.parametrize("field", ["version", "table", "key", "entities"])
def test_missing_required_field_is_reported_at_the_spec(field: str) -> None:
    text = "".join(line + "\n" for line in MINIMAL.splitlines() if not line.startswith(field))
    assert_error(text, "1:1", f"the spec needs the field {field!r}")


def test_all_missing_fields_are_reported_together() -> None:
    assert errors("description: nothing else\n") == [
        f"{PATH}:1:1: error: the spec needs the field 'entities'",
        f"{PATH}:1:1: error: the spec needs the field 'key'",
        f"{PATH}:1:1: error: the spec needs the field 'table'",
        f"{PATH}:1:1: error: the spec needs the field 'version'",
    ]


@pytest.mark.parametrize("root", ["[1, 2]", "just text", "42"])
def test_spec_must_be_a_mapping(root: str) -> None:
    assert_error(root + "\n", "1:1", "a spec must be a mapping")


@pytest.mark.parametrize("value", ["2", "0", "'1'", "1.0", "true", "01", "[1]", "~"])
def test_version_other_than_1_is_refused_at_the_value(value: str) -> None:
    assert_error(
        replace_line(MINIMAL, 1, f"version: {value}"),
        "1:10",
        "unsupported spec version: only `version: 1` exists",
    )


@pytest.mark.parametrize(
    "name",
    ["Things", "my-table", "ab", "x", "class", "import", "1things", "_things", "thing s"],
)
def test_bad_module_name_is_refused_at_the_value(name: str) -> None:
    assert_error(
        replace_line(MINIMAL, 2, f"table: '{name}'"),
        "2:8",
        f"table {name!r} must be a lower-case Python module name of 3+ characters",
    )


@pytest.mark.parametrize("value", ["123", "''", "[things]", "~", "true"])
def test_module_name_must_be_a_string(value: str) -> None:
    assert_error(
        replace_line(MINIMAL, 2, f"table: {value}"), "2:8", "table must be a non-empty string"
    )


@pytest.mark.parametrize(
    "line, text",
    [
        (2, 'table: "things\\n"'),
        (4, 'entities: {"Thing\\n": {attributes: {pk: string}}}'),
        (4, 'entities: {Thing: {attributes: {pk: string, "note\\n": string}}}'),
    ],
    ids=["table", "entity", "attribute"],
)
def test_name_with_a_trailing_newline_is_refused(line: int, text: str) -> None:
    errors(replace_line(MINIMAL, line, text))


def test_table_name_with_a_trailing_newline_is_refused() -> None:
    assert_error(MINIMAL + 'table_name: "things\\n"\n', "5:13", "table_name")


@pytest.mark.parametrize("name", ["orders-prod", "Orders.v2", "a_b", "x" * 255])
def test_table_name_follows_dynamodb_rules(name: str) -> None:
    table = valid(MINIMAL + f"table_name: '{name}'\n")
    assert (table.module, table.physical_name) == ("things", name)


@pytest.mark.parametrize("name", ["ab", "a b c", "x/y/z", "orders#1", "x" * 256, "tablé"])
def test_table_name_breaking_dynamodb_rules_is_refused(name: str) -> None:
    assert_error(
        MINIMAL + f"table_name: '{name}'\n",
        "5:13",
        f"table_name {name!r}: DynamoDB table names are 3-255 characters",
    )


@pytest.mark.parametrize("value", ["''", "5", "[a]"])
def test_table_name_must_be_a_string(value: str) -> None:
    assert_error(
        MINIMAL + f"table_name: {value}\n", "5:13", "table_name must be a non-empty string"
    )


@pytest.mark.parametrize("value", ["''", "5", "{a: b}"])
def test_description_must_be_text(value: str) -> None:
    assert_error(
        MINIMAL + f"description: {value}\n", "5:14", "description must be a non-empty string"
    )


# ---------------------------------------------------------------- billing and stream


@pytest.mark.parametrize(
    "line, mode, read, write",
    [
        (None, "on_demand", 0, 0),
        ("billing: on_demand", "on_demand", 0, 0),
        ("billing: {read: 5, write: 7}", "provisioned", 5, 7),
        ("billing:\n  read: 1\n  write: 40000", "provisioned", 1, 40000),
    ],
    ids=["default", "on_demand", "flow", "block"],
)
def test_billing_forms(line: str | None, mode: str, read: int, write: int) -> None:
    billing = valid(MINIMAL + (line + "\n" if line else "")).billing
    assert (billing.mode, billing.read, billing.write) == (mode, read, write)


@pytest.mark.parametrize("value", ["provisioned", "pay_per_request", "~", "[5, 5]", "5"])
def test_billing_of_the_wrong_form_is_refused(value: str) -> None:
    assert_error(
        MINIMAL + f"billing: {value}\n",
        "5:10",
        "billing must be `on_demand` or `{read: N, write: N}`",
    )


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "true", "'5'", "~", "[1]"])
def test_billing_capacity_must_be_a_whole_number_of_at_least_1(value: str) -> None:
    assert_error(
        MINIMAL + f"billing: {{read: {value}, write: 5}}\n",
        "5:17",
        "billing read capacity must be a whole number of at least 1",
    )


def test_billing_read_and_write_are_both_reported() -> None:
    assert errors(MINIMAL + "billing: {read: 0, write: 1.5}\n") == [
        f"{PATH}:5:17: error: billing read capacity must be a whole number of at least 1",
        f"{PATH}:5:27: error: billing write capacity must be a whole number of at least 1",
    ]


def test_billing_needs_both_read_and_write() -> None:
    assert_error(MINIMAL + "billing: {read: 5}\n", "5:10", "billing needs the field 'write'")


def test_billing_unknown_field() -> None:
    assert_error(
        MINIMAL + "billing: {read: 5, write: 5, burst: 9}\n",
        "5:30",
        "unknown field 'burst' in billing",
    )


@pytest.mark.parametrize("view", ["keys_only", "new_image", "old_image", "new_and_old_images"])
def test_stream_views(view: str) -> None:
    assert valid(MINIMAL + f"stream: {view}\n").stream == view


def test_no_stream_by_default() -> None:
    assert valid(MINIMAL).stream is None


@pytest.mark.parametrize("value", ["new_images", "NEW_IMAGE", "true", "~", "[keys_only]"])
def test_unknown_stream_view_is_refused(value: str) -> None:
    assert_error(
        MINIMAL + f"stream: {value}\n",
        "5:9",
        "stream must be one of keys_only, new_image, old_image, new_and_old_images",
    )


# ---------------------------------------------------------------- types of attributes


@pytest.mark.parametrize(
    "type_text, problem",
    [
        ("strng", "unknown type (did you mean 'string'?)"),
        ("Colr", "unknown type (did you mean 'Color'?)"),
        ("integer", "unknown type"),
        ("List<string>", "unknown type"),
        ("map<>", "unknown type"),
        ("list<", "missing '>' after list<"),
        ("list<string", "missing '>' after list<"),
        ("set<float>", "sets hold string, int, decimal or bytes, not float"),
        ("set<json>", "sets hold string, int, decimal or bytes, not json"),
        ("set<bool>", "sets hold string, int, decimal or bytes, not bool"),
        ("set<Color>", "sets hold string, int, decimal or bytes, not Color"),
        ("set<Point>", "sets hold string, int, decimal or bytes, not Point"),
        ("list<set<string>>", "sets cannot be nested in a list or map"),
        ("map<set<int>>", "sets cannot be nested in a list or map"),
        ("set<set<int>>", "sets hold string, int, decimal or bytes, not set<int>"),
        ("list<version>", "version cannot be an element type"),
        ("map<ttl>", "ttl cannot be an element type"),
        ("list<created_at>", "created_at cannot be an element type"),
    ],
)
def test_bad_type_is_refused_at_the_type(type_text: str, problem: str) -> None:
    assert_error(with_attribute(f"a: '{type_text}'"), "12:10", f"type {type_text!r}: {problem}")


@pytest.mark.parametrize(
    ("name", "wire"),
    [("iso_millis", "S"), ("pynamodb", "S"), ("epoch_seconds", "N"), ("epoch_millis", "N")],
)
def test_a_datetime_format_is_kept_on_the_type_with_its_wire_type(name: str, wire: str) -> None:
    table = valid(with_attribute(f"a: {{type: datetime, format: {name}}}"))
    t = table.entity.attribute("a").type
    assert t.format is not None and (t.format.name, t.wire_key_type) == (name, wire)


def test_the_default_datetime_format_is_dynagens_own() -> None:
    table = valid(with_attribute("a: {type: datetime, format: dynagen}", "b: datetime"))
    assert table.entity.attribute("a").type == table.entity.attribute("b").type


@pytest.mark.parametrize(
    ("line", "where", "problem"),
    [
        (
            "a: {type: datetime, format: iso}",
            "12:35",
            "unknown datetime format 'iso'; one of dynagen, iso_millis, pynamodb, epoch_seconds, epoch_millis",
        ),
        ("a: {type: date, format: iso_millis}", "12:31", "`format` is for datetime attributes"),
        (
            "a: {type: created_at, format: iso_millis}",
            "12:37",
            "`format` is for datetime attributes",
        ),
        (
            "a: {type: datetime, format: [x]}",
            "12:35",
            "format of attribute 'a' must be a non-empty string",
        ),
    ],
)
def test_a_bad_datetime_format_is_refused_at_the_value(line: str, where: str, problem: str) -> None:
    assert_error(with_attribute(line), where, problem)


def test_bad_type_in_the_long_form_is_reported_at_the_type_value() -> None:
    assert_error(with_attribute("a: {type: strng}"), "12:17", "type 'strng': unknown type")


@pytest.mark.parametrize("value", ["5", "~", "''", "true"])
def test_type_must_be_text(value: str) -> None:
    assert_error(
        with_attribute(f"a: {value}"),
        "12:10",
        "the type of attribute 'a' must be a non-empty string",
    )


def test_attribute_of_a_sequence_is_refused() -> None:
    assert_error(
        with_attribute("a: [string]"),
        "12:10",
        "attribute 'a': expected a type name or a mapping with `type:`",
    )


def test_attribute_without_type_needs_the_field_type() -> None:
    found = errors(with_attribute("a: {optional: true}"))
    assert found[0] == f"{PATH}:12:10: error: attribute 'a' needs the field 'type'"


def test_attribute_without_type_is_one_error() -> None:
    assert_error(with_attribute("a: {optional: true}"), "12:10", "needs the field 'type'")


@pytest.mark.parametrize(
    "type_text, expected",
    [
        ("string", "string"),
        ("list<Point>", "list<Point>"),
        ("map<list<map<Color>>>", "map<list<map<Color>>>"),
        ("set<bytes>", "set<bytes>"),
        ("list < string >", "list<string>"),
        ("json", "json"),
    ],
)
def test_good_types_parse(type_text: str, expected: str) -> None:
    table = valid(with_attribute(f"a: '{type_text}'"))
    assert str(table.entity.attribute("a").type) == expected


def test_unknown_field_of_an_attribute_with_a_hint() -> None:
    assert_error(
        with_attribute("a: {type: string, optionl: true}"),
        "12:25",
        "unknown field 'optionl' in attribute 'a' (did you mean 'optional'?)",
    )


@pytest.mark.parametrize("value", ["1", "'yes'", "~", "[true]"])
def test_optional_must_be_true_or_false(value: str) -> None:
    assert_error(
        with_attribute(f"a: {{type: string, optional: {value}}}"),
        "12:35",
        "optional of attribute 'a' must be true or false",
    )


@pytest.mark.parametrize("value", ["''", "[x]", "5"])
def test_stored_as_must_be_text(value: str) -> None:
    assert_error(
        with_attribute(f"a: {{type: string, stored_as: {value}}}"),
        "12:36",
        "stored_as of attribute 'a' must be a non-empty string",
    )


def test_stored_as_longer_than_dynamodb_allows_is_refused() -> None:
    long_name = "x" * 65536
    assert_error(
        with_attribute(f"a: {{type: string, stored_as: {long_name}}}"),
        "12:36",
        "stored_as of attribute 'a' is longer than DynamoDB allows",
    )


def test_attribute_description_must_be_text() -> None:
    assert_error(
        with_attribute("a: {type: string, description: 5}"),
        "12:38",
        "description of attribute 'a' must be a non-empty string",
    )


# ---------------------------------------------------------------- enums


def enum_spec(values: str) -> str:
    return HEAD.replace("Color: {enum: [red, green]}", f"Color: {{enum: {values}}}")


@pytest.mark.parametrize("values", ["[]", "red", "~", "{red: 1}"])
def test_enum_needs_a_non_empty_list(values: str) -> None:
    assert_error(enum_spec(values), "5:17", "enum 'Color' needs a non-empty list of values")


def test_enum_duplicate_value_is_reported_at_the_second() -> None:
    assert_error(enum_spec("[a, b, a]"), "5:24", "enum 'Color': duplicate value 'a'")


@pytest.mark.parametrize(
    "values, col, first, second, member",
    [
        ("[in-progress, in_progress]", 31, "in-progress", "in_progress", "IN_PROGRESS"),
        ("[A, a]", 21, "A", "a", "A"),
        ("['---', '...']", 25, "---", "...", "VALUE"),
        ("[x y, x-y]", 23, "x y", "x-y", "X_Y"),
    ],
)
def test_enum_values_giving_the_same_member_name_are_refused(
    values: str, col: int, first: str, second: str, member: str
) -> None:
    assert_error(
        enum_spec(values),
        f"5:{col}",
        f"enum 'Color': values {first!r} and {second!r} give the same member name {member}",
    )


@pytest.mark.parametrize("value, col", [("~", 21), ("''", 21), ("[b]", 21), ("{b: 1}", 21)])
def test_enum_values_must_be_non_empty_strings(value: str, col: int) -> None:
    assert_error(
        enum_spec(f"[a, {value}]"), f"5:{col}", "enum 'Color': values must be non-empty strings"
    )


def test_enum_unknown_field() -> None:
    text = HEAD.replace("Color: {enum: [red, green]}", "Color: {enum: [red], values: [b]}")
    assert_error(text, "5:24", "unknown field 'values' in enum 'Color'")


@pytest.mark.parametrize("body", ["{}", "{enum: [a], fields: {x: int}}", "{description: hi}"])
def test_type_needs_exactly_one_of_enum_or_fields(body: str) -> None:
    text = HEAD.replace("Color: {enum: [red, green]}", f"Color: {body}")
    assert_error(text, "5:10", "type 'Color' needs exactly one of `enum: [...]` or `fields: {...}`")


@pytest.mark.parametrize("name", ["color", "Col_or", "1Color", "Decimal", "Any", "AttributeValue"])
def test_type_name_must_be_pascal_case_and_not_reserved(name: str) -> None:
    text = HEAD.replace("Color: {enum: [red, green]}", f"{name}: {{enum: [red, green]}}")
    assert_error(text, "5:3", f"type name {name!r} must be PascalCase")


def test_types_must_be_a_mapping() -> None:
    assert_error(MINIMAL + "types: [Color]\n", "5:8", "types must be a mapping")


def test_type_body_must_be_a_mapping() -> None:
    assert_error(MINIMAL + "types: {Color: red}\n", "5:16", "type 'Color' must be a mapping")


# ---------------------------------------------------------------- records


def record_spec(*field_lines: str) -> str:
    body = "".join(f"      {line}\n" for line in field_lines)
    return MINIMAL + "types:\n  Rec:\n    fields:\n" + body


@pytest.mark.parametrize("kind", ["version", "ttl", "created_at", "updated_at"])
def test_record_field_of_an_automatic_type_is_refused(kind: str) -> None:
    assert_error(
        record_spec(f"when: {kind}"),
        "8:13",
        f"type {kind!r} is for top-level entity attributes, not record fields",
    )


def test_record_containing_itself_through_a_required_field_is_refused() -> None:
    assert_error(
        record_spec("next: Rec"),
        "7:5",
        "record 'Rec' contains itself through required fields; make one optional or a list",
    )


def test_records_containing_each_other_are_all_reported() -> None:
    text = MINIMAL + "types:\n  Aa:\n    fields: {b: Bb}\n  Bb:\n    fields: {a: Aa}\n"
    assert errors(text) == [
        f"{PATH}:7:5: error: record 'Aa' contains itself through required fields; "
        "make one optional or a list",
        f"{PATH}:9:5: error: record 'Bb' contains itself through required fields; "
        "make one optional or a list",
    ]


def test_record_containing_itself_optionally_or_in_a_list_is_fine() -> None:
    valid(record_spec("next: {type: Rec, optional: true}", "kids: list<Rec>", "by: map<Rec>"))


def test_record_fields_follow_the_attribute_rules() -> None:
    assert_error(record_spec("class: int"), "8:7", "record 'Rec': attribute name 'class'")


def test_record_fields_must_be_a_mapping() -> None:
    text = MINIMAL + "types:\n  Rec:\n    fields: [x]\n"
    assert_error(text, "7:13", "fields of record 'Rec' must be a mapping")


def test_record_unknown_field() -> None:
    text = MINIMAL + "types:\n  Rec: {fields: {x: int}, extra: 1}\n"
    assert_error(text, "6:27", "unknown field 'extra' in record 'Rec'")


# ---------------------------------------------------------------- attribute names


@pytest.mark.parametrize(
    "name",
    ["class", "def", "None", "True", "lambda", "self", "list", "str", "datetime", "typing", "uuid"],
)
def test_attribute_named_like_a_python_keyword_or_reserved_name_is_refused(name: str) -> None:
    assert_error(
        with_attribute(f"{name}: string"),
        "12:7",
        f"entity 'Thing': attribute name {name!r} must be a Python identifier",
    )


@pytest.mark.parametrize("name", ["_x", "__init__", "x-y", "'1a'", "'a b'", "'é'"])
def test_attribute_name_that_is_not_an_identifier_is_refused(name: str) -> None:
    error = assert_error(with_attribute(f"{name}: string"), "12:7", "attribute name")
    assert "must be a Python identifier" in error


def test_every_python_keyword_is_refused_as_an_attribute() -> None:
    for word in keyword.kwlist:
        assert_error(with_attribute(f"{word}: string"), "12:7", f"attribute name {word!r}")


def test_duplicate_stored_as_is_reported_at_the_later_attribute() -> None:
    assert_error(
        with_attribute("a: {type: string, stored_as: pk}"),
        "12:7",
        "entity 'Thing': attribute 'a' is stored as 'pk', like 'pk'",
    )


def test_stored_as_clashing_with_a_later_plain_name() -> None:
    assert_error(
        with_attribute("a: {type: string, stored_as: b}", "b: string"),
        "13:7",
        "attribute 'b' is stored as 'b', like 'a'",
    )


# ---------------------------------------------------------------- the table key


def key_spec(key: str) -> str:
    """Attributes of every interesting type; `key` goes on line 3, its value at column 6."""
    return f"""\
version: 1
table: things
key: {key}
types:
  Color: {{enum: [red]}}
  Point: {{fields: {{x: int}}}}
entities:
  Thing:
    attributes:
      pk: string
      sk: int
      f: float
      b: bool
      l: list<string>
      s: set<string>
      m: map<int>
      j: json
      p: Point
      o: {{type: string, optional: true}}
      t: ttl
      v: version
      c: created_at
      u: updated_at
      bs: bytes
      dt: datetime
      d: date
      id: uuid
      col: Color
      dec: decimal
"""


@pytest.mark.parametrize("name", ["pk", "sk", "bs", "dt", "d", "id", "col", "dec"])
def test_scalar_attributes_can_be_the_partition_key(name: str) -> None:
    assert valid(key_spec(f"{{partition: {name}}}")).partition == name


@pytest.mark.parametrize(
    "name, type_text",
    [
        ("f", "float"),
        ("b", "bool"),
        ("l", "list<string>"),
        ("s", "set<string>"),
        ("m", "map<int>"),
        ("j", "json"),
        ("p", "Point"),
        ("t", "ttl"),
        ("v", "version"),
        ("c", "created_at"),
        ("u", "updated_at"),
    ],
)
def test_key_attribute_of_a_non_scalar_type_is_refused(name: str, type_text: str) -> None:
    assert_error(
        key_spec(f"{{partition: {name}}}"),
        "3:18",
        f"partition key {name!r} has type {type_text}; key attributes must be one of bytes, "
        "date, datetime, decimal, enum, int, string, uuid",
    )


def test_sort_key_of_a_non_scalar_type_is_refused() -> None:
    assert_error(key_spec("{partition: pk, sort: f}"), "3:28", "sort key 'f' has type float")


def test_optional_key_attribute_is_refused() -> None:
    assert_error(
        key_spec("{partition: o}"),
        "3:18",
        "partition key 'o' is optional; table key attributes are always present",
    )


def test_missing_key_attribute_with_a_hint() -> None:
    assert_error(
        key_spec("{partition: pkk}"),
        "3:18",
        "partition key 'pkk' is not an attribute of Thing (did you mean 'pk'?)",
    )


def test_missing_sort_key_attribute() -> None:
    assert_error(
        key_spec("{partition: pk, sort: zzz}"),
        "3:28",
        "sort key 'zzz' is not an attribute of Thing",
    )


def test_sort_key_equal_to_partition_key_is_refused() -> None:
    assert_error(
        key_spec("{partition: pk, sort: pk}"),
        "3:28",
        "the sort key must differ from the partition key",
    )


def test_key_needs_a_partition() -> None:
    assert_error(key_spec("{sort: sk}"), "3:6", "key needs the field 'partition'")


def test_key_unknown_field_with_a_hint() -> None:
    assert_error(
        key_spec("{partition: pk, sorte: sk}"),
        "3:22",
        "unknown field 'sorte' in key (did you mean 'sort'?)",
    )


def test_key_must_be_a_mapping() -> None:
    assert_error(key_spec("pk"), "3:6", "key must be a mapping")


@pytest.mark.parametrize("value", ["[pk]", "~", "''"])
def test_key_partition_must_be_a_name(value: str) -> None:
    assert_error(
        key_spec(f"{{partition: {value}}}"), "3:18", "partition key must be a non-empty string"
    )


def test_key_attribute_that_was_already_reported_is_not_reported_again() -> None:
    text = MINIMAL.replace("{pk: string}", "{pk: strng}")
    assert_error(text, "4:37", "type 'strng': unknown type")


@pytest.mark.parametrize("name", ["consistent_read", "condition", "expected_version", "limit"])
def test_key_attribute_named_like_a_method_parameter_is_refused(name: str) -> None:
    text = MINIMAL.replace("partition: pk", f"partition: {name}")
    text = text.replace("{pk: string}", f"{{{name}: string}}")
    assert_error(
        text,
        "3:18",
        f"partition key {name!r}: key attributes become method parameters, and {name!r} is taken",
    )


def test_index_key_named_like_a_method_parameter_is_refused() -> None:
    text = index_spec("by_a: {partition: a, sort: c}").replace(
        "      c: string", "      cursor: string"
    )
    text = text.replace("sort: c}", "sort: cursor}")
    assert_error(text, "15:30", "index 'by_a' sort key 'cursor': key attributes become method")


def test_attribute_named_on_can_be_the_key() -> None:
    text = MINIMAL.replace("partition: pk", "partition: on").replace("pk: string", "on: string")
    assert valid(text).partition == "on"


# ---------------------------------------------------------------- defaults


@pytest.mark.parametrize(
    "type_text, default, col, problem",
    [
        ("string", "5", 34, "expected a string"),
        ("string", "true", 34, "expected a string"),
        ("string", "[a]", 34, "expected a string"),
        ("int", "'5'", 31, "expected a whole number"),
        ("int", "1.5", 31, "expected a whole number"),
        ("int", "true", 31, "expected a whole number"),
        ("float", "abc", 33, "expected a finite number"),
        ("float", ".nan", 33, "expected a finite number"),
        ("float", "-.inf", 33, "expected a finite number"),
        ("float", "false", 33, "expected a finite number"),
        ("decimal", "abc", 35, "'abc' is not a number"),
        ("decimal", "true", 35, "expected a number"),
        ("decimal", "[1]", 35, "expected a number"),
        ("decimal", ".nan", 35, "expected a finite number"),
        ("decimal", "Infinity", 35, "expected a finite number"),
        ("decimal", "1" * 39, 35, "more than 38 significant digits"),
        ("bool", "1", 32, "expected true or false"),
        ("bool", "'true'", 32, "expected true or false"),
        ("date", "'2024-02-30'", 32, "expected a date like 2024-01-31"),
        ("date", "2024-01-31T10:00:00Z", 32, "expected a date like 2024-01-31"),
        ("date", "yesterday", 32, "expected a date like 2024-01-31"),
        ("uuid", "nope", 32, "expected a UUID"),
        ("uuid", "1234", 32, "expected a UUID"),
        ("Color", "blue", 33, "expected one of red, green"),
        ("Color", "[red]", 33, "expected one of red, green"),
    ],
)
def test_default_of_the_wrong_type_is_refused_at_the_default(
    type_text: str, default: str, col: int, problem: str
) -> None:
    assert_error(
        with_attribute(f"a: {{type: {type_text}, default: {default}}}"),
        f"12:{col}",
        f"default of attribute 'a': {problem}",
    )


@pytest.mark.parametrize(
    "type_text, default, value",
    [
        ("string", "'5'", "5"),
        ("string", "''", ""),
        ("int", "-3", -3),
        ("float", "1", 1.0),
        ("float", "0.25", 0.25),
        ("decimal", "'1.50'", decimal.Decimal("1.50")),
        ("decimal", "2", decimal.Decimal("2")),
        ("decimal", "1" * 38, decimal.Decimal("1" * 38)),
        ("bool", "false", False),
        ("date", "2024-01-31", datetime.date(2024, 1, 31)),
        ("date", "'2024-01-31'", datetime.date(2024, 1, 31)),
        (
            "uuid",
            "12345678-1234-5678-1234-567812345678",
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
        ),
        (
            "uuid",
            "'{12345678-1234-5678-1234-567812345678}'",
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
        ),
        ("Color", "green", "green"),
        ("list<int>", "[]", []),
        ("map<string>", "{}", {}),
        ("set<int>", "[]", set()),
        ("json", "{a: [1, 2.5, null, true]}", {"a": [1, 2.5, None, True]}),
    ],
)
def test_good_defaults_are_kept_as_typed_values(
    type_text: str, default: str, value: object
) -> None:
    default_ = (
        valid(with_attribute(f"a: {{type: {type_text}, default: {default}}}"))
        .entity.attribute("a")
        .default
    )
    assert default_ == Default(value)
    assert type(default_.value) is type(value)
    assert repr(default_.value) == repr(value)  # Decimal("1.50") keeps its zero


@pytest.mark.parametrize(
    "type_text, col",
    [
        ("bytes", 33),
        ("datetime", 36),
        ("ttl", 31),
        ("version", 35),
        ("created_at", 38),
        ("updated_at", 38),
        ("Point", 33),
    ],
)
def test_type_that_cannot_have_a_default(type_text: str, col: int) -> None:
    assert_error(
        with_attribute(f"a: {{type: {type_text}, default: x}}"),
        f"12:{col}",
        f"default of attribute 'a': a {type_text} attribute cannot have a default",
    )


@pytest.mark.parametrize(
    "type_text, default, col, problem",
    [
        ("list<int>", "[1]", 37, "a list default can only be empty ([])"),
        ("list<int>", "{}", 37, "a list default can only be empty ([])"),
        ("map<int>", "{a: 1}", 36, "a map default can only be empty ({})"),
        ("map<int>", "[]", 36, "a map default can only be empty ({})"),
        ("set<string>", "[a]", 39, "a set default can only be empty ([])"),
    ],
)
def test_collection_default_must_be_empty(
    type_text: str, default: str, col: int, problem: str
) -> None:
    assert_error(
        with_attribute(f"a: {{type: {type_text}, default: {default}}}"),
        f"12:{col}",
        f"default of attribute 'a': {problem}",
    )


@pytest.mark.parametrize("number", ["12345678901234567.89", "0.1000000000000000000001"])
def test_unquoted_decimal_default_keeps_every_digit(number: str) -> None:
    entity = valid(with_attribute(f"a: {{type: decimal, default: {number}}}")).entity
    default = entity.attribute("a").default
    assert default is not None
    assert decimal.Decimal(str(default.value)) == decimal.Decimal(number)


def test_unquoted_decimal_default_of_more_than_38_digits_is_refused() -> None:
    assert_error(
        with_attribute("a: {type: decimal, default: 1.2345678901234567890123456789012345678901}"),
        "12:35",
        "more than 38 significant digits",
    )


def test_float_default_too_large_for_a_float_is_an_error_not_a_crash() -> None:
    assert_error(
        with_attribute("a: {type: float, default: 1" + "0" * 400 + "}"),
        "12:33",
        "default of attribute 'a': expected a finite number",
    )


@pytest.mark.parametrize("number", ["'1E+126'", "'1E-131'"])
def test_decimal_default_outside_the_dynamodb_range_is_refused(number: str) -> None:
    assert_error(
        with_attribute(f"a: {{type: decimal, default: {number}}}"), "12:35", "default of attribute"
    )


@pytest.mark.parametrize("value", [".nan", "2024-01-01"])
def test_json_default_must_be_json(value: str) -> None:
    assert_error(
        with_attribute(f"a: {{type: json, default: {value}}}"),
        "12:32",
        "default of attribute 'a': not a JSON value",
    )


@pytest.mark.parametrize("type_text, col", [("string", 34), ("int", 31), ("Point", 33)])
def test_null_default_on_a_required_attribute_is_refused(type_text: str, col: int) -> None:
    assert_error(
        with_attribute(f"a: {{type: {type_text}, default: null}}"),
        f"12:{col}",
        "default of attribute 'a': null is only a default for optional attributes",
    )


def test_null_default_on_an_optional_attribute_is_fine() -> None:
    entity = valid(with_attribute("a: {type: Point, optional: true, default: ~}")).entity
    assert entity.attribute("a").default == Default(None)


# ---------------------------------------------------------------- automatic attributes


@pytest.mark.parametrize("kind, col", [("version", 36), ("created_at", 39), ("updated_at", 39)])
@pytest.mark.parametrize("flag", ["true", "false"])
def test_managed_attribute_cannot_be_made_optional(kind: str, col: int, flag: str) -> None:
    assert_error(
        with_attribute(f"a: {{type: {kind}, optional: {flag}}}"),
        f"12:{col}",
        f"attribute 'a': a {kind} attribute cannot be made optional (it is managed by dynagen)",
    )


def test_ttl_may_be_optional() -> None:
    assert valid(with_attribute("a: {type: ttl, optional: true}")).entity.attribute("a").optional


@pytest.mark.parametrize("kind", ["version", "ttl", "created_at", "updated_at"])
def test_more_than_one_automatic_attribute_of_a_kind(kind: str) -> None:
    assert_error(
        with_attribute(f"first: {kind}", "second: string", f"third: {kind}"),
        "14:7",
        f"entity 'Thing' has more than one {kind} attribute ('first' and 'third')",
    )


# ---------------------------------------------------------------- entities


def test_several_entities_without_keys_are_refused() -> None:
    text = MINIMAL.replace(
        "entities: {Thing: {attributes: {pk: string}}}",
        "entities:\n  Thing: {attributes: {id: string}}\n  Other: {attributes: {id: string}}",
    )
    found = errors(text)
    assert found == [
        "spec.yaml:5:3: error: entity 'Thing' needs `keys:`: in a table of several entities "
        "each fills the physical key (pk) from templates",
        "spec.yaml:6:3: error: entity 'Other' needs `keys:`: in a table of several entities "
        "each fills the physical key (pk) from templates",
    ]


def test_keys_templates_make_the_key_physical() -> None:
    """With `keys:` the table's key names a physical attribute; an entity attribute stored
    under that name would be overwritten by the template, so it is refused."""
    text = replace_line(
        MINIMAL, 4, 'entities: {Thing: {keys: {pk: "T#{id}"}, attributes: {pk: string}}}'
    )
    assert errors(text) == [
        "spec.yaml:4:31: error: entity 'Thing': template 'T#{id}': {id} is not an attribute",
        "spec.yaml:4:55: error: entity 'Thing': attribute 'pk' is stored as 'pk', which the table "
        "itself uses (a physical key or the entity attribute); rename it or give it another stored_as",
    ]


@pytest.mark.parametrize(
    "entities, where, problem",
    [
        ("{}", "4:11", "entities needs at least one entity"),
        ("[Thing]", "4:11", "entities must be a mapping"),
        ("{Thing: {attributes: {}}}", "4:32", "entity 'Thing' needs at least one attribute"),
        ("{Thing: {}}", "4:19", "entity 'Thing' needs the field 'attributes'"),
        ("{Thing: [pk]}", "4:19", "entity 'Thing' must be a mapping"),
        ("{Thing: {attributes: [pk]}}", "4:32", "attributes of 'Thing' must be a mapping"),
        ("{thing: {attributes: {pk: string}}}", "4:12", "entity name 'thing' must be PascalCase"),
        (
            "{Thing: {attributes: {pk: string}, attrs: 1}}",
            "4:46",
            "unknown field 'attrs' in entity 'Thing'",
        ),
    ],
)
def test_entity_shape_problems(entities: str, where: str, problem: str) -> None:
    found = errors(replace_line(MINIMAL, 4, f"entities: {entities}"))
    assert found[0].startswith(f"{PATH}:{where}: error: {problem}"), found


def test_entity_named_like_a_type_is_refused() -> None:
    text = MINIMAL + "types: {Thing: {enum: [a]}}\n"
    assert_error(text, "4:12", "entity 'Thing' has the name of a type in `types:`")


# ---------------------------------------------------------------- indexes


def index_spec(*index_lines: str, sort: bool = True) -> str:
    """A table with a sort key (unless sort=False); the first index line is line 15."""
    key = "{partition: pk, sort: sk}" if sort else "{partition: pk}"
    body = "".join(f"  {line}\n" for line in index_lines)
    return f"""\
version: 1
table: things
key: {key}
entities:
  Thing:
    attributes:
      pk: string
      sk: int
      a: string
      b: {{type: int, optional: true}}
      f: float
      l: list<string>
      c: string
indexes:
{body}"""


def test_good_indexes() -> None:
    table = valid(
        index_spec(
            "by_a: {partition: a}",
            "by_b: {kind: global, partition: b, sort: a, projection: keys_only}",
            "by_c: {kind: local, sort: c, projection: [a, f]}",
        )
    )
    by_a, by_b, by_c = table.indexes
    assert (by_a.name, by_a.kind, by_a.partition, by_a.sort, by_a.projection) == (
        "by_a",
        "global",
        "a",
        None,
        "all",
    )
    assert (by_b.kind, by_b.partition, by_b.sort, by_b.projection) == (
        "global",
        "b",
        "a",
        "keys_only",
    )
    assert (by_c.kind, by_c.partition, by_c.sort, by_c.projection) == (
        "local",
        "pk",
        "c",
        ("a", "f"),
    )


def test_index_name_gives_the_dynamodb_name_and_the_key_stays_the_method_name() -> None:
    table = valid(
        index_spec(
            "by_poster: {partition: a, sort: c, index_name: PostedBy-Message-Index}",
            "by_c: {kind: local, sort: c, index_name: Local.Index_1}",
            "by_b: {partition: b}",
        )
    )
    by_poster, by_c, by_b = table.indexes
    assert (by_poster.name, by_poster.physical_name) == ("by_poster", "PostedBy-Message-Index")
    assert (by_c.name, by_c.physical_name) == ("by_c", "Local.Index_1")
    assert (by_b.index_name, by_b.physical_name) == (None, "by_b")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("ab", "is not a DynamoDB index name (3-255 characters of A-Z a-z 0-9 _ - .)"),
        ("'has space'", "is not a DynamoDB index name"),
        ("'x#y'", "is not a DynamoDB index name"),
        ("''", "index_name must be a non-empty string"),
        ("[a]", "index_name must be a non-empty string"),
    ],
)
def test_index_name_breaking_dynamodb_rules_is_refused_at_the_value(
    value: str, problem: str
) -> None:
    assert_error(index_spec(f"by_a: {{partition: a, index_name: {value}}}"), "15:36", problem)


def test_two_indexes_with_one_dynamodb_name_are_refused() -> None:
    assert_error(
        index_spec("by_a: {partition: a}", "by_b: {partition: b, index_name: by_a}"),
        "16:36",
        "index 'by_b': the DynamoDB index name 'by_a' is index 'by_a''s too",
    )


def test_local_index_without_a_table_sort_key_is_refused() -> None:
    assert_error(
        index_spec("by_a: {kind: local, sort: a}", sort=False),
        "15:16",
        "local index 'by_a' needs a table with a sort key",
    )


def test_local_index_with_a_partition_is_refused() -> None:
    assert_error(
        index_spec("by_a: {kind: local, partition: a, sort: c}"),
        "15:34",
        "local index 'by_a' uses the table's partition key: omit `partition`",
    )


def test_local_index_needs_a_sort() -> None:
    assert_error(
        index_spec("by_a: {kind: local}"), "15:9", "local index 'by_a' needs a `sort` attribute"
    )


def test_local_index_on_the_tables_own_sort_key_is_refused() -> None:
    assert_error(
        index_spec("by_a: {kind: local, sort: sk}"),
        "15:29",
        "local index 'by_a' sorts by the table's own sort key",
    )


def test_global_index_without_partition_is_refused() -> None:
    assert_error(
        index_spec("by_a: {sort: a}"), "15:9", "global index 'by_a' needs a `partition` attribute"
    )


def test_index_kind_must_be_global_or_local() -> None:
    assert_error(
        index_spec("by_a: {kind: lokal, partition: a}"),
        "15:16",
        "index 'by_a': kind must be `global` or `local`",
    )


def test_index_unknown_field_with_a_hint() -> None:
    assert_error(
        index_spec("by_a: {partition: a, projecton: all}"),
        "15:24",
        "unknown field 'projecton' in index 'by_a' (did you mean 'projection'?)",
    )


def test_index_key_that_is_not_an_attribute() -> None:
    assert_error(
        index_spec("by_a: {partition: zz}"),
        "15:21",
        "index 'by_a' partition key 'zz' is not an attribute of Thing",
    )


def test_index_sort_key_that_is_not_an_attribute_with_a_hint() -> None:
    assert_error(
        index_spec("by_a: {partition: a, sort: skk}"),
        "15:30",
        "index 'by_a' sort key 'skk' is not an attribute of Thing (did you mean 'sk'?)",
    )


@pytest.mark.parametrize("name, type_text", [("f", "float"), ("l", "list<string>")])
def test_index_key_of_a_non_scalar_type_is_refused(name: str, type_text: str) -> None:
    assert_error(
        index_spec(f"by_a: {{partition: {name}}}"),
        "15:21",
        f"index 'by_a' partition key {name!r} has type {type_text}; key attributes must be one of",
    )


def test_index_key_may_be_optional() -> None:
    assert valid(index_spec("by_b: {partition: b}")).indexes[0].partition == "b"


@pytest.mark.parametrize(
    "index, col, role",
    [
        ("by_c: {partition: c}", 21, "index 'by_c' partition key"),
        ("by_c: {partition: a, sort: c}", 30, "index 'by_c' sort key"),
        ("by_c: {kind: local, sort: c}", 29, "index 'by_c' sort key"),
    ],
)
def test_index_key_stored_under_a_name_over_255_bytes_is_refused(
    index: str, col: int, role: str
) -> None:
    assert_error(
        with_c_stored_as(LONG_NAME, index_spec(index)),
        f"15:{col}",
        f"{role} 'c': key attribute names are at most 255 bytes",
    )


def test_index_key_stored_under_a_name_of_255_bytes_is_fine() -> None:
    table = valid(with_c_stored_as("x" * 255, index_spec("by_c: {partition: c}")))
    assert table.indexes[0].partition == "c"


def test_table_key_stored_under_a_name_over_255_bytes_is_refused() -> None:
    text = MINIMAL.replace("{pk: string}", f"{{pk: {{type: string, stored_as: {LONG_NAME}}}}}")
    assert_error(text, "3:18", "partition key 'pk': key attribute names are at most 255 bytes")


def test_index_sort_equal_to_its_partition_is_refused() -> None:
    assert_error(
        index_spec("by_a: {partition: a, sort: a}"),
        "15:30",
        "index 'by_a': the sort key must differ from the partition key",
    )


@pytest.mark.parametrize(
    "name", ["By_A", "ab", "by-a", "class", "import", "1st", "_by_a", "by.a", "x" * 256]
)
def test_index_name_that_dynamodb_or_python_would_refuse(name: str) -> None:
    assert_error(
        index_spec(f"'{name}': {{partition: a}}"),
        "15:3",
        f"index name {name!r} must be 3-255 characters of a-z 0-9 _ starting with a letter",
    )


def test_index_must_be_a_mapping() -> None:
    assert_error(index_spec("by_a: [a]"), "15:9", "index 'by_a' must be a mapping")


def test_indexes_must_be_a_mapping() -> None:
    assert_error(MINIMAL + "indexes: [by_a]\n", "5:10", "indexes must be a mapping")


@pytest.mark.parametrize(
    "projection, col, problem",
    [
        ("[zz]", 37, "index 'by_a' projects 'zz', which is not an attribute"),
        (
            "[pkk]",
            37,
            "index 'by_a' projects 'pkk', which is not an attribute (did you mean 'pk'?)",
        ),
        ("[a]", 37, "index 'by_a': 'a' is a key attribute, projected always; leave it out"),
        ("[pk]", 37, "index 'by_a': 'pk' is a key attribute, projected always"),
        ("[c, sk]", 40, "index 'by_a': 'sk' is a key attribute, projected always"),
        ("[c, f, c]", 43, "index 'by_a' projects 'c' twice"),
        ("[]", 36, "projection must be `all`, `keys_only` or a non-empty list of attributes"),
        ("none", 36, "projection must be `all`, `keys_only` or a non-empty list of attributes"),
        ("{c: 1}", 36, "projection must be `all`, `keys_only` or a non-empty list of attributes"),
    ],
)
def test_bad_projection(projection: str, col: int, problem: str) -> None:
    assert_error(
        index_spec(f"by_a: {{partition: a, projection: {projection}}}"), f"15:{col}", problem
    )


def test_projection_names_the_index_sort_key_too() -> None:
    assert_error(
        index_spec("by_a: {partition: a, sort: c, projection: [c]}"),
        "15:46",
        "index 'by_a': 'c' is a key attribute",
    )


def many_attributes_spec(count: int, indexes: list[str]) -> str:
    attributes = "".join(f"      a{i}: string\n" for i in range(count))
    body = "".join(f"  {line}\n" for line in indexes)
    return (
        "version: 1\ntable: things\nkey: {partition: pk, sort: sk}\n"
        "entities:\n  Thing:\n    attributes:\n      pk: string\n      sk: string\n"
        f"{attributes}indexes:\n{body}"
    )


def test_five_local_indexes_are_fine() -> None:
    indexes = [f"local_{i}: {{kind: local, sort: a{i}}}" for i in range(5)]
    assert len(valid(many_attributes_spec(6, indexes)).indexes) == 5


def test_more_than_five_local_indexes_are_refused() -> None:
    indexes = [f"local_{i}: {{kind: local, sort: a{i}}}" for i in range(6)]
    # Reported at `indexes:`, whose first entry is the line after the 6 attributes (line 16).
    assert_error(
        many_attributes_spec(6, indexes), "16:3", "6 local indexes: DynamoDB allows at most 5"
    )


def test_twenty_global_indexes_are_fine() -> None:
    indexes = [f"global_{i}: {{partition: a{i}}}" for i in range(20)]
    assert len(valid(many_attributes_spec(21, indexes)).indexes) == 20


def test_more_than_twenty_global_indexes_are_refused() -> None:
    indexes = [f"global_{i}: {{partition: a{i}}}" for i in range(21)]
    assert_error(
        many_attributes_spec(21, indexes), "31:3", "21 global indexes: DynamoDB allows at most 20"
    )


def projection_spec(total: int, per_index: int = 20) -> str:
    """Global indexes projecting `total` attributes between them, `per_index` at most in each."""
    projections = [
        ", ".join(f"a{i}" for i in range(start, min(start + per_index, total)))
        for start in range(0, total, per_index)
    ]
    return many_attributes_spec(
        total,
        [
            f"by_{number}: {{partition: {'pk' if number % 2 else 'sk'}, projection: [{names}]}}"
            for number, names in enumerate(projections)
        ],
    )


def test_one_hundred_projected_attributes_are_fine() -> None:
    table = valid(projection_spec(100))
    assert sum(len(index.projection) for index in table.indexes) == 100


def test_more_than_one_hundred_projected_attributes_across_indexes_are_refused() -> None:
    assert_error(
        projection_spec(101),
        f"{8 + 101 + 2}:3",
        "101 projected attributes across indexes: DynamoDB allows at most 100",
    )


def test_the_same_attribute_projected_into_two_indexes_counts_twice() -> None:
    """DynamoDB counts an attribute projected into two indexes as two of the 100."""
    names = ", ".join(f"a{i}" for i in range(17))
    indexes = [f"by_{n}: {{partition: pk, projection: [{names}]}}" for n in range(6)]
    assert_error(
        many_attributes_spec(17, indexes),
        f"{8 + 17 + 2}:3",
        "102 projected attributes across indexes: DynamoDB allows at most 100",
    )


def test_twenty_projected_attributes_in_one_index_are_fine() -> None:
    (index,) = valid(projection_spec(20)).indexes
    assert len(index.projection) == 20


def test_more_than_twenty_projected_attributes_in_one_index_are_refused() -> None:
    # Reported at the projection list of the index: `by_0: {partition: sk, projection: [` ...
    assert_error(
        projection_spec(21, per_index=21),
        f"{8 + 21 + 2}:37",
        "index 'by_0' projects 21 attributes: DynamoDB allows at most 20 per index",
    )


def test_more_than_twenty_projected_attributes_in_a_local_index_are_refused() -> None:
    names = ", ".join(f"a{i}" for i in range(1, 22))
    assert_error(
        many_attributes_spec(22, [f"by_local: {{kind: local, sort: a0, projection: [{names}]}}"]),
        f"{8 + 22 + 2}:49",
        "index 'by_local' projects 21 attributes: DynamoDB allows at most 20 per index",
    )


def with_c_stored_as(stored_as: str, spec: str) -> str:
    """An index_spec whose attribute `c` (line 13) is stored under another name."""
    return spec.replace("      c: string\n", f"      c: {{type: string, stored_as: {stored_as}}}\n")


LONG_NAME = "é" * 128  # 256 bytes in UTF-8, though only 128 characters


def test_projected_attribute_stored_under_a_name_over_255_bytes_is_refused() -> None:
    assert_error(
        with_c_stored_as(LONG_NAME, index_spec("by_a: {partition: a, projection: [c]}")),
        "15:37",
        "index 'by_a' projects 'c': projected attribute names are at most 255 bytes",
    )


def test_projected_attribute_stored_under_a_name_of_255_bytes_is_fine() -> None:
    spec = with_c_stored_as("x" * 255, index_spec("by_a: {partition: a, projection: [c]}"))
    assert valid(spec).indexes[0].projection == ("c",)


# ---------------------------------------------------------------- generated names


ORDERS_HEAD = """\
version: 1
table: orders
key: {partition: pk}
entities: {Order: {attributes: {pk: string}}}
types:
"""


def test_type_named_like_the_table_class_is_refused() -> None:
    assert_error(
        ORDERS_HEAD + "  OrdersTable: {enum: [a]}\n",
        "6:3",
        "type name 'OrdersTable' is taken by the table class",
    )


@pytest.mark.parametrize(
    "suffix", ["Attrs", "Set", "Add", "Delete", "Removable", "Partial", "Field"]
)
def test_type_named_like_a_class_generated_for_the_entity_is_refused(suffix: str) -> None:
    assert_error(
        ORDERS_HEAD + f"  Order{suffix}: {{fields: {{x: int}}}}\n",
        "6:3",
        f"type name 'Order{suffix}' is taken by a class generated for Order",
    )


def test_type_named_like_an_index_projection_class_is_refused() -> None:
    text = ORDERS_HEAD.replace(
        "entities: {Order: {attributes: {pk: string}}}",
        "entities: {Order: {attributes: {pk: string, st: string}}}",
    )
    text += "  OrderByStatus: {enum: [a]}\nindexes:\n  by_status: {partition: st}\n"
    assert_error(
        text,
        "6:3",
        "type name 'OrderByStatus' is taken by the projection class of index 'by_status'",
    )


@pytest.mark.parametrize(
    "name, taken_by",
    [
        ("OrdersQueryCursor", "the cursor of query pages of the table"),
        ("OrdersScanCursor", "the cursor of scan pages of the table"),
        ("OrdersByStQueryCursor", "the cursor of query pages of index 'by_st'"),
        ("OrdersByStScanCursor", "the cursor of scan pages of index 'by_st'"),
    ],
)
def test_type_named_like_a_cursor_class_is_refused(name: str, taken_by: str) -> None:
    text = ORDERS_HEAD.replace(
        "entities: {Order: {attributes: {pk: string}}}",
        "entities: {Order: {attributes: {pk: string, st: string}}}",
    )
    text += f"  {name}: {{enum: [a]}}\nindexes:\n  by_st: {{partition: st}}\n"
    assert_error(text, "6:3", f"type name {name!r} is taken by {taken_by}")


def test_indexes_whose_cursor_classes_would_share_a_name_are_refused() -> None:
    """`by_st` and `by_st_` are two methods but one Pascal name: their cursor classes collide."""
    text = ORDERS_HEAD.replace(
        "entities: {Order: {attributes: {pk: string}}}",
        "entities: {Order: {attributes: {pk: string, st: string}}}",
    ).replace("types:\n", "indexes:\n  by_st: {partition: st}\n  by_st_: {partition: st}\n")
    assert_error(
        text,
        "7:3",
        "the cursor of query pages of index 'by_st_' and the cursor of query pages of index "
        "'by_st' would both be the class 'OrdersByStQueryCursor'; rename one",
    )


def test_entity_named_like_a_cursor_class_is_refused() -> None:
    text = replace_line(MINIMAL, 4, "entities: {ThingsScanCursor: {attributes: {pk: string}}}")
    assert_error(
        text,
        "4:12",
        "the cursor of scan pages of the table and entity 'ThingsScanCursor' would both be the "
        "class 'ThingsScanCursor'; rename one",
    )


@pytest.mark.parametrize("suffix, what", [("Ref", "reference"), ("Partial", "partial")])
def test_type_named_like_a_class_generated_for_a_record_is_refused(suffix: str, what: str) -> None:
    text = ORDERS_HEAD + f"  Address: {{fields: {{x: int}}}}\n  Address{suffix}: {{enum: [a]}}\n"
    assert_error(
        text, "7:3", f"type name 'Address{suffix}' is taken by the {what} class of record 'Address'"
    )


def test_entity_named_like_the_table_class_is_refused() -> None:
    text = replace_line(MINIMAL, 4, "entities: {ThingsTable: {attributes: {pk: string}}}")
    assert_error(text, "4:12", "ThingsTable")


def test_records_whose_helper_functions_would_share_a_name_are_refused() -> None:
    text = MINIMAL + "types:\n  HttpCode: {fields: {a: int}}\n  HTTPCode: {fields: {b: int}}\n"
    assert_error(text, "7:3", "HTTPCode")


# ---------------------------------------------------------------- several files


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_two_spec_files_with_the_same_table_are_refused(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", MINIMAL)
    second = write(tmp_path, "b.yaml", MINIMAL)
    tables, diagnostics = validate_files([first, second])
    assert [str(d) for d in diagnostics] == [
        f"{second}:1:1: error: table 'things' is also defined in {first}"
    ]
    assert len(tables) == 2


def test_different_tables_in_several_files_are_fine(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", MINIMAL)
    second = write(tmp_path, "b.yaml", MINIMAL.replace("table: things", "table: others"))
    tables, diagnostics = validate_files([first, second])
    assert diagnostics == []
    assert [table.module for table in tables] == ["things", "others"]
    assert [table.source for table in tables] == [first, second]


def test_errors_of_several_files_are_all_reported_in_order(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", MINIMAL + "stream: nope\n")
    second = write(tmp_path, "b.yaml", replace_line(MINIMAL, 1, "version: 2"))
    tables, diagnostics = validate_files([second, first])
    assert tables == []
    assert [str(d).split(": error:")[0] for d in diagnostics] == [f"{first}:5:9", f"{second}:1:10"]


def test_unreadable_spec_files_are_errors_not_crashes(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00")
    missing = str(tmp_path / "missing.yaml")
    tables, diagnostics = validate_files([str(binary), missing, str(tmp_path)])
    assert tables == []
    assert sorted((d.path, d.line, d.col) for d in diagnostics) == sorted(
        [(str(binary), 1, 1), (missing, 1, 1), (str(tmp_path), 1, 1)]
    )
    assert all(d.message.startswith("cannot read spec: ") for d in diagnostics)
