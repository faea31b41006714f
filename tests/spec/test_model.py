"""Valid specs -> the frozen model the code generator reads (model.py), value by value."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import uuid

import pytest

from dynagen.spec import kinds
from dynagen.spec.check import validate_files
from dynagen.spec.model import Billing, Default, Entity, Table, TypeRef
from tests.spec.support import EXAMPLE_SPECS, HEAD, ROOT, valid, with_attribute


def example(name: str) -> Table:
    path = ROOT / "specs" / f"{name}.yaml"
    return valid(path.read_text(encoding="utf-8"), path=f"specs/{name}.yaml")


@pytest.fixture(scope="module")
def orders() -> Table:
    return example("orders")


@pytest.fixture(scope="module")
def ledger() -> Table:
    return example("ledger")


@pytest.fixture(scope="module")
def sessions() -> Table:
    return example("user_sessions")


def summary(entity: Entity) -> list[tuple[str, str, str, bool, object]]:
    """(name, stored_as, type, optional, default value or '-') per attribute, in spec order."""
    return [
        (
            a.name,
            a.stored_as,
            str(a.type),
            a.optional,
            "-" if a.default is None else a.default.value,
        )
        for a in entity.attributes
    ]


def test_every_example_spec_is_valid() -> None:
    tables, diagnostics = validate_files([str(path) for path in EXAMPLE_SPECS])
    assert diagnostics == []
    assert {"ledger", "orders", "user_sessions"} <= {table.module for table in tables}


# ---------------------------------------------------------------- orders


def test_orders_table(orders: Table) -> None:
    assert orders.source == "specs/orders.yaml"
    assert (orders.module, orders.physical_name) == ("orders", "orders")
    assert (orders.partition, orders.sort) == ("customer_id", "order_id")
    assert orders.billing == Billing("on_demand", 0, 0)
    assert orders.stream == "new_and_old_images"
    assert orders.description == (
        "Customer orders, one item per order, read by customer, by status and by total."
    )
    assert [entity.name for entity in orders.entities] == ["Order"]
    assert orders.entity.description == "One order placed by a customer."


def test_orders_attributes_in_spec_order(orders: Table) -> None:
    assert summary(orders.entity) == [
        ("customer_id", "customer_id", "string", False, "-"),
        ("order_id", "order_id", "string", False, "-"),
        ("status", "status", "OrderStatus", False, "-"),
        ("total", "total", "decimal", False, "-"),
        ("quantity", "quantity", "int", False, 1),
        ("gift", "gift", "bool", False, False),
        ("placed_at", "placed_at", "datetime", False, "-"),
        ("note", "n", "string", True, "-"),
        ("tags", "tags", "set<string>", True, "-"),
        ("lines", "lines", "list<LineItem>", False, "-"),
        ("shipping", "shipping", "Address", True, "-"),
        ("metadata", "metadata", "map<string>", True, "-"),
        ("expires_at", "expires_at", "ttl", True, "-"),
        ("version", "version", "version", False, "-"),
        ("created_at", "created_at", "created_at", False, "-"),
        ("updated_at", "updated_at", "updated_at", False, "-"),
    ]


def test_orders_type_kinds(orders: Table) -> None:
    entity = orders.entity
    assert entity.attribute("status").type == TypeRef(kinds.ENUM, name="OrderStatus")
    assert entity.attribute("lines").type == TypeRef(
        kinds.LIST, TypeRef(kinds.RECORD, name="LineItem")
    )
    assert entity.attribute("tags").type.is_set
    assert entity.attribute("note").description == "Free text from the customer."
    assert entity.of_kind(kinds.VERSION) is entity.attribute("version")
    assert entity.of_kind(kinds.TTL) is entity.attribute("expires_at")
    assert entity.of_kind(kinds.JSON) is None
    with pytest.raises(KeyError):
        entity.attribute("missing")


def test_orders_records_and_enums(orders: Table) -> None:
    assert [record.name for record in orders.records] == ["Address", "LineItem"]
    address, line_item = orders.records
    assert address.description == "A postal address."
    assert [(f.name, str(f.type), f.optional) for f in address.fields] == [
        ("street", "string", False),
        ("city", "string", False),
        ("zip", "string", True),
    ]
    assert [(f.name, str(f.type)) for f in line_item.fields] == [
        ("sku", "string"),
        ("qty", "int"),
        ("price", "decimal"),
    ]
    (status,) = orders.enums
    assert status.name == "OrderStatus"
    assert status.values == ("pending", "paid", "shipped", "cancelled")
    assert status.members == ("PENDING", "PAID", "SHIPPED", "CANCELLED")
    assert status.description == "Where an order is in its life."


def test_orders_indexes(orders: Table) -> None:
    by_status, by_total = orders.indexes
    assert (by_status.name, by_status.kind, by_status.partition, by_status.sort) == (
        "by_status",
        "global",
        "status",
        "placed_at",
    )
    assert by_status.projection == "all"
    # A local index repeats the table's partition key.
    assert (by_total.name, by_total.kind, by_total.partition, by_total.sort) == (
        "by_total",
        "local",
        "customer_id",
        "total",
    )
    assert by_total.projection == "keys_only"


# ---------------------------------------------------------------- ledger


def test_ledger_table(ledger: Table) -> None:
    assert ledger.billing == Billing("provisioned", 5, 5)
    assert ledger.stream == "new_image"
    assert (ledger.partition, ledger.sort) == ("account_id", "seq")
    assert ledger.records == ()
    (kind,) = ledger.enums
    assert kind.members == ("CREDIT", "DEBIT", "ADJUSTMENT")


def test_ledger_stored_names_and_defaults(ledger: Table) -> None:
    assert summary(ledger.entity) == [
        ("account_id", "account_id", "string", False, "-"),
        ("seq", "seq", "int", False, "-"),
        ("kind", "kind", "EntryKind", False, "-"),
        ("amount", "amount", "decimal", False, "-"),
        ("currency", "currency", "string", False, "EUR"),
        ("booked_on", "booked_on", "date", False, "-"),
        ("entry_status", "status", "string", False, "posted"),
        ("comment", "comment.text", "string", True, "-"),
        ("order_ref", "order #ref", "string", True, "-"),
        ("batch_ids", "batch_ids", "set<int>", True, "-"),
        ("fx_rates", "fx_rates", "set<decimal>", True, "-"),
        ("labels", "labels", "list<string>", False, []),
        ("counters", "counters", "map<int>", False, {}),
        ("version", "version", "version", False, "-"),
        ("updated_at", "updated_at", "updated_at", False, "-"),
    ]


def test_ledger_index_projections(ledger: Table) -> None:
    assert [(i.name, i.kind, i.partition, i.sort, i.projection) for i in ledger.indexes] == [
        ("by_kind", "global", "kind", "booked_on", "keys_only"),
        ("by_amount", "local", "account_id", "amount", ("currency", "kind")),
        ("by_order_ref", "global", "order_ref", None, "all"),
    ]


# ---------------------------------------------------------------- user_sessions


def test_user_sessions_table(sessions: Table) -> None:
    assert (sessions.module, sessions.physical_name) == ("user_sessions", "user-sessions")
    assert (sessions.partition, sessions.sort) == ("session_id", None)
    assert sessions.billing == Billing()
    assert sessions.stream == "keys_only"
    assert sessions.description is not None
    assert sessions.description.startswith("Login sessions. Each one expires on its own")
    assert sessions.enums == ()


def test_user_sessions_attributes(sessions: Table) -> None:
    assert summary(sessions.entity) == [
        ("session_id", "session_id", "uuid", False, "-"),
        ("user_id", "user_id", "string", False, "-"),
        ("token_hash", "token_hash", "bytes", False, "-"),
        ("started_on", "started_on", "date", False, "-"),
        ("last_seen", "last_seen", "datetime", False, "-"),
        ("risk_score", "risk_score", "float", False, 0.0),
        ("claims", "claims", "json", True, "-"),
        ("device", "device", "Device", False, "-"),
        ("scopes", "scopes", "set<string>", True, "-"),
        ("key_fingerprints", "key_fingerprints", "set<bytes>", True, "-"),
        ("expires_at", "expires_at", "ttl", False, "-"),
        ("created_at", "created_at", "created_at", False, "-"),
    ]


def test_user_sessions_record_and_index(sessions: Table) -> None:
    (device,) = sessions.records
    assert device.description == "The device a session was opened from."
    assert [(f.name, str(f.type), f.optional, f.default) for f in device.fields] == [
        ("kind", "string", False, None),
        ("os", "string", True, None),
        ("trusted", "bool", False, Default(False)),
    ]
    (by_user,) = sessions.indexes
    assert (by_user.partition, by_user.sort, by_user.projection) == (
        "user_id",
        "last_seen",
        ("started_on", "device"),
    )


# ---------------------------------------------------------------- enum member names


@pytest.mark.parametrize(
    "value, member",
    [
        ("pending", "PENDING"),
        ("in-progress", "IN_PROGRESS"),
        ("1st", "V_1ST"),
        ("2 nd", "V_2_ND"),
        ("camelCase", "CAMELCASE"),
        ("a.b/c", "A_B_C"),
        ("--edge--", "EDGE"),
        ("'---'", "VALUE"),
        ("class", "CLASS"),
        ("on", "ON"),
        ("7", "V_7"),
    ],
)
def test_enum_member_names(value: str, member: str) -> None:
    table = valid(HEAD.replace("[red, green]", f"[{value}]"))
    color = next(enum for enum in table.enums if enum.name == "Color")
    assert color.members == (member,)
    assert color.values == (value.strip("'"),)


def test_enum_values_keep_their_source_text() -> None:
    table = valid(HEAD.replace("[red, green]", "[on, off, yes, 1, 1.0, 007]"))
    color = next(enum for enum in table.enums if enum.name == "Color")
    assert color.values == ("on", "off", "yes", "1", "1.0", "007")
    assert color.members == ("ON", "OFF", "YES", "V_1", "V_1_0", "V_007")


# ---------------------------------------------------------------- small model behaviour


@pytest.mark.parametrize(
    "type_text, wire",
    [
        ("string", "S"),
        ("int", "N"),
        ("decimal", "N"),
        ("bytes", "B"),
        ("datetime", "S"),
        ("date", "S"),
        ("uuid", "S"),
        ("Color", "S"),
    ],
)
def test_key_types_on_the_wire(type_text: str, wire: str) -> None:
    table = valid(with_attribute(f"a: {type_text}").replace("partition: pk", "partition: a"))
    assert table.entity.attribute(table.partition).type.wire_key_type == wire


def test_defaults_of_decimal_date_and_uuid_are_typed_values() -> None:
    table = valid(
        with_attribute(
            "price: {type: decimal, default: '1.50'}",
            "due: {type: date, default: 2024-01-31}",
            "id: {type: uuid, default: 12345678123456781234567812345678}",
        )
    )
    entity = table.entity
    price = entity.attribute("price").default
    assert price == Default(decimal.Decimal("1.50"))
    assert price is not None and str(price.value) == "1.50"  # the digits as written
    assert entity.attribute("due").default == Default(datetime.date(2024, 1, 31))
    assert entity.attribute("id").default == Default(
        uuid.UUID("12345678-1234-5678-1234-567812345678")
    )
    for name, python_type in (
        ("price", decimal.Decimal),
        ("due", datetime.date),
        ("id", uuid.UUID),
    ):
        default = entity.attribute(name).default
        assert default is not None and type(default.value) is python_type, name


def test_model_is_frozen(orders: Table) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        orders.module = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        orders.entity.attributes[0].name = "other"  # type: ignore[misc]


def test_same_text_gives_equal_models() -> None:
    assert example("orders") == example("orders")
