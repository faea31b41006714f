"""Single-table specs (SPEC.md section 4): what loads into the model, and one positioned error,
with its exact message and (for the proof) its witness, per kind of mistake.

Each case edits `single_table/shop.yaml`, the section-4 example, and lists every error the edited
spec gives, so a mistake that also set off a follow-on error would fail here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynagen.spec.check import validate_files
from dynagen.spec.model import (
    Collection,
    CollectionMember,
    EntityIndex,
    EntityKeys,
    Template,
    TemplatePart,
)
from tests.codegen.support import run_dynagen
from tests.spec.support import valid

HERE = Path(__file__).parent / "single_table"
SHOP = (HERE / "shop.yaml").read_text(encoding="utf-8")
PATH = "shop.yaml"

Edit = tuple[str, str]


def edited(*edits: Edit) -> str:
    text = SHOP
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def diagnostics(*edits: Edit) -> list[str]:
    from dynagen.spec.check import validate_text

    table, found = validate_text(PATH, edited(*edits))
    assert (table is None) == bool(found)
    return [str(d) for d in found]


def test_a_physical_index_may_project_keys_only_or_a_list_and_have_another_dynamodb_name() -> None:
    text = edited(
        ("gsi1: {partition: gsi1pk, sort: gsi1sk}", "gsi1: {partition: gsi1pk, sort: gsi1sk, projection: [name, status], index_name: GSI-1}"),
        ("indexes:\n  gsi1:", "indexes:\n  gsi2: {partition: gsi2pk, projection: keys_only}\n  gsi1:"),
    )  # fmt: skip
    gsi2, gsi1 = valid(text, PATH).indexes
    assert (gsi1.projection, gsi1.physical_name) == (("name", "status"), "GSI-1")
    assert (gsi2.projection, gsi2.physical_name) == ("keys_only", "gsi2")


def test_the_section_4_example_loads_into_the_model() -> None:
    table = valid(SHOP, PATH)
    assert table.is_single_table
    assert (table.partition, table.sort, table.entity_attribute) == ("pk", "sk", "_type")
    customer, order = table.entities
    customer_pk = Template("CUSTOMER#{customer_id}", ("CUSTOMER#", TemplatePart("customer_id")))
    assert customer.keys == EntityKeys(customer_pk, Template("PROFILE", ("PROFILE",)))
    assert order.keys == EntityKeys(
        customer_pk, Template("ORDER#{order_no:08}", ("ORDER#", TemplatePart("order_no", 8)))
    )
    assert customer.indexes == (
        EntityIndex(
            "by_email",
            "gsi1",
            Template("EMAIL#{email}", ("EMAIL#", TemplatePart("email"))),
            Template("CUSTOMER", ("CUSTOMER",)),
        ),
    )
    assert order.indexes[0].sort == Template(
        "{placed_at}#{order_no:08}",
        (TemplatePart("placed_at"), "#", TemplatePart("order_no", 8)),
    )
    assert order.keys is not None and order.keys.sort is not None
    assert order.indexes[0].sort is not None and order.indexes[0].sort.prefix == ""
    assert order.keys.sort.prefix == "ORDER#"
    assert order.indexes[0].sort.attributes == ("placed_at", "order_no")
    assert table.collections == (
        Collection(
            "customer_with_orders",
            None,
            customer_pk,
            (CollectionMember("Customer", False), CollectionMember("Order", True)),
        ),
    )
    assert [(i.name, i.partition, i.sort) for i in table.indexes] == [("gsi1", "gsi1pk", "gsi1sk")]


def test_a_single_entity_spec_without_keys_is_no_single_table() -> None:
    from tests.spec.support import HEAD

    table = valid(HEAD)
    assert not table.is_single_table and table.entity_attribute is None
    assert table.collections == () and table.entity.keys is None and table.entity.indexes == ()


LOCAL = ("  gsi1: {partition: gsi1pk, sort: gsi1sk}", "  gsi1: {partition: gsi1pk, sort: gsi1sk}\n  lsi1: {kind: local, sort: lsi1sk}")  # fmt: skip
CODE = ("OrderStatus: {enum: [pending, paid, shipped]}", "OrderStatus: {enum: [pending, paid, shipped]}\n  Code: {enum: [a, ab]}")  # fmt: skip
E = "shop.yaml:"
GSI1 = "gsi1: {partition: gsi1pk, sort: gsi1sk}"

CASES: dict[str, tuple[list[Edit], list[str]]] = {
    "unknown attribute in a template": (
        [('"EMAIL#{email}"', '"EMAIL#{mail}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{mail}': {mail} is not an attribute (did you mean 'email'?)"],
    ),
    "optional part in a table key template": (
        [('"ORDER#{order_no:08}"', '"ORDER#{shipped_at}"')],
        [E + "22:46: error: entity 'Order': template 'ORDER#{shipped_at}': {shipped_at} is optional, but the table's key is always written; optional parts belong in index templates (a sparse index)"],
    ),
    "optional part in an index template (a sparse index)": (
        [('"{placed_at}#{order_no:08}"', '"{shipped_at}#{order_no:08}"')],
        [],
    ),
    "non-scalar part": (
        [("name: string}", "name: string, tags: list<string>}"), ('"EMAIL#{email}"', '"EMAIL#{tags}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{tags}': {tags} is a list<string>, not a scalar; template parts are string, int, datetime, date, uuid, enum"],
    ),
    "automatic attribute part": (
        [("name: string}", "name: string, v: version}"), ('"EMAIL#{email}"', '"EMAIL#{v}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{v}': {v} is a version, not a scalar; template parts are string, int, datetime, date, uuid, enum"],
    ),
    "int part without a width": (
        [('"ORDER#{order_no:08}"', '"ORDER#{order_no}"')],
        [E + "22:46: error: entity 'Order': template 'ORDER#{order_no}': {order_no} is an int: give it a fixed width, as in {order_no:08}, so that string order is number order"],
    ),
    "width that is not zero-padding": (
        [('{order_no:08}"}', '{order_no:8}"}')],
        [E + "22:46: error: entity 'Order': template 'ORDER#{order_no:8}', character 7: '{order_no:8}': a width is 0 then 1-38 digits of zero-padding, as in {order_no:08}"],
    ),
    "width on a string part": (
        [('"EMAIL#{email}"', '"EMAIL#{email:08}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{email:08}': {email:08}: only int parts take a width (email is a string)"],
    ),
    "decimal part": (
        [("order_no: int", "order_no: decimal")],
        [
            E + "22:46: error: entity 'Order': template 'ORDER#{order_no:08}': {order_no:08} is a decimal, which has no text form whose order is its value's; template parts are string, int, datetime, date, uuid, enum",
            E + "24:68: error: index 'by_status' of entity 'Order': template '{placed_at}#{order_no:08}': {order_no:08} is a decimal, which has no text form whose order is its value's; template parts are string, int, datetime, date, uuid, enum",
        ],
    ),
    "bool part": (
        [("name: string}", "name: string, vip: bool}"), ('"EMAIL#{email}"', '"EMAIL#{vip}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{vip}': {vip} is a bool, which has no text form whose order is its value's; template parts are string, int, datetime, date, uuid, enum"],
    ),
    "float part": (
        [("name: string}", "name: string, f: float}"), ('"EMAIL#{email}"', '"EMAIL#{f}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{f}': {f} is a float, which has no text form whose order is its value's; template parts are string, int, datetime, date, uuid, enum"],
    ),
    "bytes part": (
        [("name: string}", "name: string, b: bytes}"), ('"EMAIL#{email}"', '"EMAIL#{b}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{b}': {b} is a bytes, which has no text form whose order is its value's; template parts are string, int, datetime, date, uuid, enum"],
    ),
    "string part not followed by a separator": (
        [('"EMAIL#{email}"', '"EMAIL#{email}{name}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{email}{name}': {email} is a string followed by another part: a string part must be followed by a literal separator character, or end the template"],
    ),
    "unbalanced {": (
        [('"EMAIL#{email}"', '"EMAIL#{email"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{email', character 7: unbalanced '{' (write '{{' for a literal brace)"],
    ),
    "unbalanced }": (
        [('"EMAIL#{email}"', '"EMAIL#email}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#email}', character 12: unbalanced '}' (write '}}' for a literal brace)"],
    ),
    "literal braces": ([('"EMAIL#{email}"', '"{{EMAIL}}#{email}"')], []),
    "a part that is no name": (
        [('"EMAIL#{email}"', '"EMAIL#{1x}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{1x}', character 7: '{1x}' is not a part: write {attribute} or {attribute:08}"],
    ),
    "an attribute twice in one template": (
        [('"EMAIL#{email}"', '"EMAIL#{email}#{email}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{email}#{email}': {email} appears twice; a template names each attribute once"],
    ),
    "an empty template": (
        [('sk: "PROFILE"', 'sk: ""')],
        [E + "12:46: error: entity 'Customer': template '', character 1: a template must not be empty"],
    ),
    "a template longer than a key can be": (
        [('sk: "PROFILE"', 'sk: "' + "P" * 2049 + '"')],
        [E + "12:46: error: entity 'Customer': template '" + "P" * 2049 + "', character 1: a template is at most 2048 bytes, as a key is"],
    ),
    "a template with a lone surrogate": (
        [('sk: "PROFILE"', 'sk: "P\\ud800"')],
        [E + "12:46: error: entity 'Customer': template holds a lone surrogate U+D800 at character 2; DynamoDB stores UTF-8 text only"],
    ),
    "a template that is not text": (
        [('sk: "PROFILE"', "sk: 7")],
        [E + "12:46: error: entity 'Customer': a key template must be text, as in \"ORDER#{order_no:08}\""],
    ),
    "a part named like a method parameter": (
        [("name: string}", "limit: string}"), ('"EMAIL#{email}"', '"EMAIL#{limit}"')],
        [E + "14:42: error: index 'by_email' of entity 'Customer': template 'EMAIL#{limit}': {limit}: template attributes become method parameters, and 'limit' is taken by one; rename the attribute (stored_as keeps the DynamoDB name)"],
    ),
    "an entity without keys in a several-entity table": (
        [('    keys: {pk: "CUSTOMER#{customer_id}", sk: "PROFILE"}\n', "")],
        [E + "10:3: error: entity 'Customer' needs `keys:`: in a table of several entities each fills the physical key (pk, sk) from templates"],
    ),
    "keys without the sort key": (
        [('keys: {pk: "CUSTOMER#{customer_id}", sk: "PROFILE"}', 'keys: {pk: "CUSTOMER#{customer_id}"}')],
        [E + "12:11: error: keys of entity 'Customer' (the table's key is pk, sk) needs the field 'sk'"],
    ),
    "keys for an attribute that is no key": (
        [('sk: "PROFILE"}', 'sk: "PROFILE", gsi1pk: "X"}')],
        [E + "12:57: error: unknown field 'gsi1pk' in keys of entity 'Customer' (the table's key is pk, sk)"],
    ),
    "an attribute stored as a physical key": (
        [("name: string}", "name: {type: string, stored_as: gsi1pk}}")],
        [E + "11:52: error: entity 'Customer': attribute 'name' is stored as 'gsi1pk', which the table itself uses (a physical key or the entity attribute); rename it or give it another stored_as"],
    ),
    "the entity attribute is a key": (
        [("entity_attribute: _type", "entity_attribute: sk")],
        [E + "4:19: error: entity_attribute 'sk' is already the table sort key; in a single-table design each index has key attributes of its own, which entities fill with templates"],
    ),
    "an index keyed on the table's key attributes": (
        [("gsi1: {partition: gsi1pk, sort: gsi1sk}", "gsi1: {partition: gsi1pk, sort: gsi1sk}\n  inv: {partition: sk, sort: pk}")],
        [
            E + "9:20: error: index 'inv' partition key 'sk' is already the table sort key; in a single-table design each index has key attributes of its own, which entities fill with templates",
            E + "9:30: error: index 'inv' sort key 'pk' is already the table partition key; in a single-table design each index has key attributes of its own, which entities fill with templates",
        ],
    ),
    "an entity index naming an unknown physical index": (
        [('{index: gsi1, partition: "EMAIL', '{index: gsi2, partition: "EMAIL')],
        [E + "14:25: error: index 'by_email' of entity 'Customer' fills 'gsi2', which is not an index of the table (did you mean 'gsi1'?)"],
    ),
    "an entity index without its sort template": (
        [(', sort: "CUSTOMER"}', "}")],
        [E + "14:17: error: index 'by_email' of entity 'Customer' needs a `sort` template ('gsi1' has a sort key)"],
    ),
    "sort templates on an index without a sort key": (
        [("gsi1: {partition: gsi1pk, sort: gsi1sk}", "gsi1: {partition: gsi1pk}")],
        [
            E + "14:65: error: index 'by_email' of entity 'Customer': 'gsi1' has no sort key; omit `sort`",
            E + "24:68: error: index 'by_status' of entity 'Order': 'gsi1' has no sort key; omit `sort`",
        ],
    ),
    "a local index with the table's partition": (
        [LOCAL, ("    indexes:\n      by_status", '    indexes:\n      by_placed: {index: lsi1, sort: "P#{placed_at}"}\n      by_status')],
        [],
    ),
    "a local index with another partition": (
        [LOCAL, ("    indexes:\n      by_status", '    indexes:\n      by_placed: {index: lsi1, partition: "X#{customer_id}", sort: "P#{placed_at}"}\n      by_status')],
        [E + "25:43: error: index 'by_placed' of entity 'Order': 'lsi1' is a local index, whose partition is the table's: omit `partition` or write 'CUSTOMER#{customer_id}'"],
    ),
    "a collection member that cannot live in its partition": (
        [('partition: "CUSTOMER#{customer_id}"\n    members', 'partition: "C#{customer_id}"\n    members')],
        [
            E + "28:16: error: collection 'customer_with_orders': member Customer's partition template 'CUSTOMER#{customer_id}' is not the collection's 'C#{customer_id}', so its items cannot live in that partition",
            E + "28:16: error: collection 'customer_with_orders': member Order's partition template 'CUSTOMER#{customer_id}' is not the collection's 'C#{customer_id}', so its items cannot live in that partition",
        ],
    ),
    "collection partition attributes of different types in members": (
        [("attributes: {customer_id: uuid, email", "attributes: {customer_id: string, email")],
        [E + "28:16: error: collection 'customer_with_orders': partition part {customer_id} is a string in Customer but a uuid in Order; members must agree on its type"],
    ),
    "collection partition attributes missing in a member": (
        [("attributes: {customer_id: uuid, email", "attributes: {id: uuid, email"), ('"CUSTOMER#{customer_id}", sk: "PROFILE"', '"CUSTOMER#{id}", sk: "PROFILE"')],
        [
            E + "28:16: error: collection 'customer_with_orders': partition part {customer_id} is not an attribute of member Customer",
        ],
    ),
    "a collection member that is no entity": (
        [("{Customer: one, Order: many}", "{Customer: one, Order: many, Invoice: one}")],
        [E + "29:43: error: collection 'customer_with_orders': 'Invoice' is not an entity"],
    ),
    "a collection member neither one nor many": (
        [("Order: many", "Order: all")],
        [E + "29:37: error: collection 'customer_with_orders': member 'Order' must be `one` or `many`"],
    ),
    "a collection on a local index": (
        [LOCAL, ("index: table", "index: lsi1")],
        [E + "28:12: error: collection 'customer_with_orders': 'lsi1' is a local index, which shares the table's partitions: write `index: table`"],
    ),
    "a collection on a keys_only index": (
        [(GSI1, GSI1[:-1] + ", projection: keys_only}"), ("index: table", "index: gsi1")],
        [E + "27:12: error: collection 'customer_with_orders': index 'gsi1' projects keys_only: a collection reads whole items, from the table or an index projecting `all`"],
    ),
    "an INCLUDE attribute that no entity has": (
        [(GSI1, GSI1[:-1] + ", projection: [name, nickname]}")],
        [E + "8:62: error: index 'gsi1' projects 'nickname', which is not an attribute"],
    ),
    "a collection on an unknown index": (
        [("index: table", "index: gsi9")],
        [E + "27:12: error: collection 'customer_with_orders': 'gsi9' is not `table` nor an index of the table (did you mean 'gsi1'?)"],
    ),
    # ------------------------------------------------------------ the proof, with witnesses
    "an ambiguous template": (
        [CODE, ("status: OrderStatus", "status: OrderStatus\n      code: Code\n      note: string"), ('"ORDER#{order_no:08}"', '"ORDER#{order_no:08}#{code}b{note}"')],
        [E + "25:46: error: template 'ORDER#{order_no:08}#{code}b{note}' is ambiguous: \"ORDER#00000000#abba\" reads as order_no=\"00000000\", code=\"a\", note=\"ba\" and as order_no=\"00000000\", code=\"ab\", note=\"a\""],
    ),
    "two entities that can produce one key": (
        [('sk: "PROFILE"', 'sk: "ORDER#{name}"')],
        [E + "22:11: error: Customer and Order can both produce pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", sk=\"ORDER#00000000\""],
    ),
    "a query that reads another entity": (
        [('"ORDER#{order_no:08}"', '"{order_no:08}"')],
        [E + "22:46: error: a query of Order on the table (pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", sk begins with \"\") can read Customer items: pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", sk=\"PROFILE\"; give their sort templates prefixes that differ"],
    ),
    "a query prefix that covers another entity's keys (order lines under ORDER#)": (
        [("collections:", "  Line:\n    attributes: {customer_id: uuid, order_no: int, line: int}\n    keys: {pk: \"CUSTOMER#{customer_id}\", sk: \"ORDER#{order_no:08}#{line:04}\"}\ncollections:")],
        [
            E + "22:46: error: a query of Order on the table (pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", sk begins with \"ORDER#\") can read Line items: pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", sk=\"ORDER#00000000#0000\"; give their sort templates prefixes that differ",
            E + "27:46: error: a query of Line on the table (pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", sk begins with \"ORDER#\") can read Order items: pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\", sk=\"ORDER#00000000\"; give their sort templates prefixes that differ",
            E + "32:14: error: collection 'customer_with_orders' is partial: Line items can live in its partition pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\"; add Line to its members",
        ],
    ),
    "order lines under their own prefix": (
        [("collections:", "  Line:\n    attributes: {customer_id: uuid, order_no: int, line: int}\n    keys: {pk: \"CUSTOMER#{customer_id}\", sk: \"LINE#{order_no:08}#{line:04}\"}\ncollections:"), ("{Customer: one, Order: many}", "{Customer: one, Order: many, Line: many}")],
        [],
    ),
    "two entities sharing a global index partition outside a collection": (
        [('"STATUS#{status}", sort: "{placed_at}', '"EMAIL#{status}", sort: "ORDER#{placed_at}')],
        [E + "24:43: error: Customer and Order can share the partition gsi1pk=\"EMAIL#paid\" of global index 'gsi1' outside any collection; declare a collection on 'gsi1' with both as members, or give their partition templates prefixes that differ"],
    ),
    "a partial collection": (
        [("members: {Customer: one, Order: many}", "members: {Customer: one}")],
        [E + "29:14: error: collection 'customer_with_orders' is partial: Order items can live in its partition pk=\"CUSTOMER#aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa\"; add Order to its members"],
    ),
    "a collection on a global index": (
        [
            ('"STATUS#{status}", sort: "{placed_at}', '"EMAIL#{email}", sort: "ORDER#{placed_at}'),
            ("placed_at: datetime", "placed_at: datetime\n      email: string"),
            ("collections:\n", 'collections:\n  by_mail:\n    index: gsi1\n    partition: "EMAIL#{email}"\n    members: {Customer: one, Order: many}\n'),
        ],
        [],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_each_mistake_gives_its_positioned_error(name: str) -> None:
    edits, expected = CASES[name]
    assert diagnostics(*edits) == expected


def test_four_mistakes_give_one_positioned_error_each_in_one_run_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    """Two colliding entities, an ambiguous template, an unpadded int and a partial collection."""
    shutil.copy(HERE / "four_mistakes.yaml", tmp_path / "shop.yaml")
    expected = [
        "shop.yaml:16:41: error: template 'KIND#{kind}b{note}' is ambiguous: \"KIND#abba\" reads as kind=\"a\", note=\"ba\" and as kind=\"ab\", note=\"a\"",
        "shop.yaml:19:11: error: Order and Invoice can both produce pk=\"CUSTOMER#a\", sk=\"ORDER#00000000\"",
        "shop.yaml:21:42: error: index 'by_total' of entity 'Invoice': template 'TOTAL#{total}': {total} is an int: give it a fixed width, as in {total:08}, so that string order is number order",
        "shop.yaml:25:14: error: collection 'customer_with_orders' is partial: Invoice items can live in its partition pk=\"CUSTOMER#a\"; add Invoice to its members",
    ]  # fmt: skip
    _, found = validate_files([str(tmp_path / "shop.yaml")])
    assert [str(d).replace(str(tmp_path) + "/", "") for d in found] == expected
    result = run_dynagen("build", "shop.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[: len(expected)] == expected
    assert not (tmp_path / "out").exists()


template_texts = st.text(alphabet="{}:0123#abAB_-", max_size=14) | st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(template_texts, min_size=4, max_size=4))
def test_any_template_texts_give_a_model_or_positioned_errors_never_a_crash(
    texts: list[str],
) -> None:
    """The four templates of the example replaced by anything: validation always answers."""
    slots = ['"EMAIL#{email}"', '"ORDER#{order_no:08}"', '"{placed_at}#{order_no:08}"', '"CUSTOMER#{customer_id}"\n    members']  # fmt: skip
    text = SHOP
    for slot, new in zip(slots, texts):
        tail = "\n    members" if slot.endswith("members") else ""
        text = text.replace(slot, json.dumps(new) + tail, 1)
    from dynagen.spec.check import validate_text

    table, found = validate_text(PATH, text)
    assert (table is None) == bool(found)
    assert all(str(d).startswith(PATH + ":") and ": error: " in str(d) for d in found)


@pytest.mark.parametrize(
    "name, taken_by",
    [
        ("OrderAccessor", "the accessor class of entity 'Order'"),
        ("OrderSort", "the sort conditions of entity 'Order'"),
        ("Item", "the union of the table's entities"),
        ("CustomerWithOrders", "the result class of 'customer_with_orders'"),
        ("OrderQueryCursor", "the cursor of Order query pages"),
        ("OrderByStatusQueryCursor", "the cursor of Order.by_status query pages"),
        ("CustomerWithOrdersCursor", "the cursor of 'customer_with_orders' pages"),
        ("ShopScanCursor", "the cursor of the table's scan pages"),
    ],
)
def test_a_type_named_like_a_class_the_templated_module_defines_is_refused(
    name: str, taken_by: str
) -> None:
    """A build that exits 0 imports: a user type may not take a generated class's name."""
    found = diagnostics(("types:\n", f"types:\n  {name}: {{enum: [a, b]}}\n"))
    assert any(f"type name {name!r} is taken by {taken_by}" in line for line in found), found


def test_two_reads_whose_cursor_classes_would_share_a_name_are_refused() -> None:
    """A collection `order_query` would make the class `OrderQueryCursor`, which Order's own
    query pages take: the module would define it twice."""
    found = diagnostics(("  customer_with_orders:\n", "  order_query:\n"))
    assert found == [
        "shop.yaml:26:3: error: the cursor of 'order_query' pages and the cursor of Order query "
        "pages would both be the class 'OrderQueryCursor'; rename one"
    ], found
