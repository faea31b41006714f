"""The JSON Schema of the spec format: every spec dynagen accepts passes it, and whatever it refuses
dynagen refuses too (the schema is never stricter than dynagen; where it is looser is listed here).
"""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dynagen.commands.schema import schema_text
from dynagen.spec import kinds
from dynagen.spec.check import TOP_FIELDS, validate_text
from dynagen.spec.check.attributes import ATTRIBUTE_FIELDS
from dynagen.spec.check.nodes import plain
from dynagen.spec.check.table import INDEX_FIELDS, STREAM_VIEWS
from dynagen.spec.load import load_spec
from tests.codegen.support import CASES_DIR, ROOT, SPECS_DIR, run_dynagen, write_spec

SCHEMA: dict[str, Any] = json.loads(schema_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
ALL_SPECS = sorted(
    [*SPECS_DIR.glob("*.yaml"), *(ROOT / "benchmarks" / "specs").glob("*.yaml")]
    + list(CASES_DIR.glob("*/spec.yaml"))
)


def _editor_view(value: object) -> object:
    """The spec as an editor's YAML 1.2 parser sees it: dates and times are strings there."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_editor_view(item) for item in value]
    if isinstance(value, dict):
        return {key: _editor_view(item) for key, item in value.items()}
    return value


def _document(text: str) -> object:
    root, problems = load_spec("spec.yaml", text)
    assert root is not None and not problems, problems
    return _editor_view(plain(root))


def schema_errors(text: str) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(_document(text))]


def dynagen_accepts(text: str) -> bool:
    table, diagnostics = validate_text("spec.yaml", text)
    return table is not None and not diagnostics


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_command_prints_the_packaged_schema(tmp_path: Path) -> None:
    result = run_dynagen("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "dynagen" / "spec" / "schema.json").read_text(encoding="utf-8")
    assert run_dynagen("schema", "-o", "s.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == SCHEMA


def test_the_schema_names_the_same_fields_views_and_types_as_dynagen() -> None:
    properties = SCHEMA["properties"]
    assert set(properties) == TOP_FIELDS
    assert set(SCHEMA["$defs"]["index"]["properties"]) == INDEX_FIELDS
    attribute_object = SCHEMA["$defs"]["attribute"]["oneOf"][1]
    assert set(attribute_object["properties"]) == ATTRIBUTE_FIELDS
    assert tuple(properties["stream"]["enum"]) == STREAM_VIEWS
    type_text = attribute_object["properties"]["type"]["allOf"][0]
    standalone = [kind.name for kind in kinds.KINDS.values() if kind.standalone]
    assert type_text["anyOf"][0]["enum"] == standalone


@pytest.mark.parametrize("path", ALL_SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_and_test_spec_passes_the_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert dynagen_accepts(text)
    assert schema_errors(text) == []


BASE = """
version: 1
table: things
key: {partition: id, sort: seq}
billing: on_demand
types:
  Colour: {enum: [red, green]}
  Point: {fields: {x: int, y: int}}
entities:
  Thing:
    attributes:
      id: string
      seq: int
      colour: {type: Colour, default: red}
      at: {type: Point, optional: true}
      tags: {type: set<string>, optional: true}
      owner: {type: string, optional: true}
indexes:
  by_owner: {partition: owner, sort: seq, projection: [colour]}
  by_colour: {kind: local, sort: colour, projection: keys_only}
"""


def _edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


# SPEC.md section 4's example: several entities, key templates, an overloaded index, a collection.
SHOP = """
version: 1
table: shop
key: {partition: pk, sort: sk}
entity_attribute: _type
types:
  OrderStatus: {enum: [pending, paid]}
indexes:
  gsi1: {partition: gsi1pk, sort: gsi1sk}
entities:
  Customer:
    attributes: {customer_id: uuid, email: string, name: string}
    keys: {pk: "CUSTOMER#{customer_id}", sk: "PROFILE"}
    indexes:
      by_email: {index: gsi1, partition: "EMAIL#{email}", sort: "CUSTOMER"}
  Order:
    attributes:
      customer_id: uuid
      order_no: int
      status: OrderStatus
      placed_at: datetime
      shipped_at: {type: datetime, optional: true}
    keys: {pk: "CUSTOMER#{customer_id}", sk: "ORDER#{order_no:08}"}
    indexes:
      by_status: {index: gsi1, partition: "STATUS#{status}", sort: "{placed_at}#{order_no:08}"}
collections:
  customer_with_orders:
    index: table
    partition: "CUSTOMER#{customer_id}"
    members: {Customer: one, Order: many}
"""


# Specs dynagen accepts, written in ways a strict schema might refuse.
ACCEPTED = {
    "the base spec": BASE,
    "a single-table spec (SPEC.md section 4)": SHOP,
    "one entity with keys templates": SHOP.split("  Order:")[0],
    "spaces inside a type": _edit("set<string>", "set< string >"),
    "YAML 1.1 booleans as enum values": _edit("[red, green]", "[red, green, yes, no]"),
    "an index key named like a boolean": _edit("owner: {type", "on: {type").replace(
        "partition: owner", "partition: on"
    ),
    "provisioned billing": _edit("billing: on_demand", "billing: {read: 1, write: 2}"),
    "a table name with dots": _edit("table: things", "table: things\ntable_name: a.b-c_d"),
    "a default of null on an optional": _edit("optional: true}", "optional: true, default: null}"),
    "a date default": _edit("owner: {type: string", "born: {type: date, default: 2024-01-31}\n      owner: {type: string"),
}  # fmt: skip


@pytest.mark.parametrize("name", ACCEPTED)
def test_specs_dynagen_accepts_pass_the_schema(name: str) -> None:
    assert dynagen_accepts(ACCEPTED[name]), name
    assert schema_errors(ACCEPTED[name]) == []


# Specs the schema refuses: dynagen must refuse every one of them too.
REFUSED = {
    "no version": _edit("version: 1\n", ""),
    "version 2": _edit("version: 1", "version: 2"),
    "unknown top-level field": _edit("billing: on_demand", "billing: on_demand\ncolor: red"),
    "table name with capitals": _edit("table: things", "table: Things"),
    "table name too short": _edit("table: things", "table: ab"),
    "bad table_name": _edit("table: things", "table: things\ntable_name: 'a b'"),
    "no key": _edit("key: {partition: id, sort: seq}\n", ""),
    "key without partition": _edit("key: {partition: id, sort: seq}", "key: {sort: seq}"),
    "unknown key field": _edit("sort: seq}", "sort: seq, range: id}"),
    "billing word": _edit("billing: on_demand", "billing: provisioned"),
    "billing half": _edit("billing: on_demand", "billing: {read: 1}"),
    "billing zero": _edit("billing: on_demand", "billing: {read: 0, write: 1}"),
    "stream view": _edit("billing: on_demand", "billing: on_demand\nstream: everything"),
    "type name lower-case": _edit("Colour: {enum", "colour_t: {enum"),
    "empty enum": _edit("[red, green]", "[]"),
    "enum and fields": _edit("{enum: [red, green]}", "{enum: [red], fields: {a: int}}"),
    "record field option typo": _edit("{x: int, y: int}", "{x: {type: int, optinal: true}, y: int}"),
    "no entities": _edit("entities:\n  Thing:", "other:\n  Thing:"),
    "two entities": BASE + "  Other:\n    attributes: {id: string}\n",
    "entity without attributes": _edit("    attributes:\n", "    fields:\n"),
    "a collection member neither one nor many": SHOP.replace("Order: many", "Order: some"),
    "a template that is not text": SHOP.replace('sk: "PROFILE"', "sk: [PROFILE]"),
    "an entity index without its index": SHOP.replace("index: gsi1, ", "", 1),
    "an unknown collection field": SHOP.replace("    members:", "    kind: x\n    members:"),
    "attribute name with dash": _edit("      seq: int", "      seq: int\n      bad-name: int"),
    "attribute without type": _edit("owner: {type: string, optional: true}", "owner: {optional: true}"),
    "attribute option typo": _edit("optional: true}", "optionl: true}"),
    "optional not a boolean": _edit("{type: string, optional: true}", "{type: string, optional: sometimes}"),
    "type with punctuation": _edit("seq: int", "seq: 'int!'"),
    "type not a string": _edit("seq: int", "seq: [int]"),
    "empty stored_as": _edit("owner: {type: string,", "owner: {type: string, stored_as: '',"),
    "index name capitals": _edit("by_owner:", "ByOwner:"),
    "index kind": _edit("{kind: local", "{kind: lsi"),
    "local index with partition": _edit("{kind: local, sort", "{kind: local, partition: owner, sort"),
    "local index without sort": _edit("{kind: local, sort: colour, ", "{kind: local, "),
    "global index without partition": _edit("{partition: owner, sort: seq, ", "{sort: seq, "),
    "projection word": _edit("projection: keys_only", "projection: none"),
    "projection empty list": _edit("projection: [colour]", "projection: []"),
    "index field typo": _edit("projection: keys_only", "projections: keys_only"),
}  # fmt: skip


@pytest.mark.parametrize("name", REFUSED)
def test_whatever_the_schema_refuses_dynagen_refuses(name: str) -> None:
    text = REFUSED[name]
    assert schema_errors(text) != [], f"{name}: the schema should refuse it"
    assert not dynagen_accepts(text), f"{name}: the schema is stricter than dynagen"


# Where the schema is looser than dynagen: what only the checker can see (names that must exist,
# defaults that must fit their type, generated names, DynamoDB's limits across fields).
LOOSER = {
    "a key attribute that does not exist": _edit("partition: id,", "partition: nobody,"),
    "a key attribute of a non-key type": _edit("sort: seq}", "sort: tags}"),
    "an optional table key": _edit("      seq: int", "      seq: {type: int, optional: true}"),
    "a default that does not fit its type": _edit("default: red}", "default: blue}"),
    "an unknown type name": _edit("seq: int", "seq: Integer"),
    "a reserved attribute name": _edit("      seq: int", "      seq: int\n      self: int"),
    "a Python keyword as table name": _edit("table: things", "table: class"),
    "two attributes stored alike": _edit("owner: {type: string,", "owner: {type: string, stored_as: id,"),
    "a projected key attribute": _edit("projection: [colour]", "projection: [id]"),
    "entity keys templates naming no physical key": _edit("    attributes:\n", "    keys: {pk: x}\n    attributes:\n"),
    "a template naming an unknown attribute": SHOP.replace("{email}", "{mail}"),
    "two entities that collide": SHOP.replace('"PROFILE"', '"ORDER#{name}"'),
    "an unpadded int part": SHOP.replace("{order_no:08}", "{order_no}"),
    "a partial collection": SHOP.replace("Customer: one, Order: many", "Customer: one"),
    "an optional part in a table key": SHOP.replace('"CUSTOMER#{customer_id}", sk: "ORDER', '"CUSTOMER#{shipped_at}", sk: "ORDER'),
    "an optional version attribute": _edit("      seq: int", "      seq: int\n      v: {type: version, optional: true}"),
}  # fmt: skip


@pytest.mark.parametrize("name", LOOSER)
def test_where_the_schema_is_looser_than_dynagen(name: str) -> None:
    text = LOOSER[name]
    assert not dynagen_accepts(text), name
    assert schema_errors(text) == [], f"{name}: now refused by the schema; move it to REFUSED"


def test_validate_refuses_what_the_schema_refuses_from_the_command_line(tmp_path: Path) -> None:
    write_spec(tmp_path / "specs", "bad.yaml", textwrap.dedent(REFUSED["two entities"]))
    result = run_dynagen("validate", "specs", cwd=tmp_path)
    assert result.returncode == 1
    assert "specs/bad.yaml:" in result.stderr
