"""naming.py: the Python names derived from spec names."""

from __future__ import annotations

import pytest

from dynagen import naming


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("orders", "Orders"),
        ("user_sessions", "UserSessions"),
        ("a_b_c", "ABC"),
        ("orders_2024", "Orders2024"),
        ("v2_items", "V2Items"),
        ("double__underscore", "DoubleUnderscore"),
        ("UserSessions", "UserSessions"),  # already PascalCase: kept
        ("lineItem", "LineItem"),
        ("with-dash and.dot", "WithDashAndDot"),
    ],
)
def test_pascal(name: str, expected: str) -> None:
    assert naming.pascal(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Order", "order"),
        ("LineItem", "line_item"),
        ("HTTPRequest", "http_request"),
        ("OrderV2", "order_v2"),
        ("ABC", "abc"),
        ("already_snake", "already_snake"),
        ("X", "x"),
    ],
)
def test_snake(name: str, expected: str) -> None:
    assert naming.snake(name) == expected


@pytest.mark.parametrize(
    ("module", "expected"),
    [("orders", "OrdersTable"), ("user_sessions", "UserSessionsTable"), ("ledger", "LedgerTable")],
)
def test_table_class(module: str, expected: str) -> None:
    assert naming.table_class(module) == expected


def test_marshal_functions_are_public_for_entities_and_private_for_records() -> None:
    assert naming.codec_names("LineItem", public=True).marshal == "marshal_line_item"
    assert naming.codec_names("LineItem", public=False).marshal == "_marshal_line_item"
    assert naming.codec_names("Order", public=True).unmarshal == "unmarshal_order"
    assert naming.codec_names("Order", public=False).unmarshal == "_unmarshal_order"


def test_fields_table_and_key_function() -> None:
    assert naming.codec_names("LineItem", public=False).fields_table == "_LINE_ITEM_FIELDS"
    assert naming.codec_names("Order", public=True).fields_table == "_ORDER_FIELDS"
    assert naming.entity_names("Order").key_function == "order_key"
    assert naming.entity_names("LineItem").key_function == "line_item_key"


@pytest.mark.parametrize("name", ["Order", "LineItem", "UserSession", "Entry"])
def test_pascal_undoes_snake_for_plain_pascal_names(name: str) -> None:
    assert naming.pascal(naming.snake(name)) == name


@pytest.mark.parametrize("name", ["OrderStatus", "LineItem", "HTTPServer", "ABTest", "X1"])
def test_derived_names_are_python_identifiers(name: str) -> None:
    for derived in (
        naming.snake(name),
        naming.codec_names(name, public=False).marshal,
        naming.codec_names(name, public=True).unmarshal,
        naming.codec_names(name, public=True).fields_table,
        naming.entity_names(name).key_function,
        naming.table_class(naming.snake(name)),
    ):
        assert derived.isidentifier(), derived


def test_cursor_classes_are_named_by_the_read_they_page() -> None:
    assert naming.cursor_names("Orders", None) == naming.CursorNames(
        "OrdersQueryCursor", "OrdersScanCursor"
    )
    assert naming.cursor_names("Order", "by_status").query == "OrderByStatusQueryCursor"
    assert naming.collection_names("customer_with_orders").cursor == "CustomerWithOrdersCursor"
    table = [name for name, _, _ in naming.table_cursors("orders", ["by_status"])]
    assert table == [
        "OrdersQueryCursor",
        "OrdersScanCursor",
        "OrdersByStatusQueryCursor",
        "OrdersByStatusScanCursor",
    ]
    templated = [
        name
        for name, _, _ in naming.templated_cursors(
            "shop", [("Customer", []), ("Order", ["by_status"])], ["customer_with_orders"]
        )
    ]
    assert templated == [
        "ShopScanCursor",
        "CustomerQueryCursor",
        "OrderQueryCursor",
        "OrderByStatusQueryCursor",
        "CustomerWithOrdersCursor",
    ]
