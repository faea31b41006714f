"""update(set=/add=/remove=/delete=) with names or values the entity does not have."""

from __future__ import annotations

from decimal import Decimal

from generated_example.ledger import LedgerTable
from generated_example.orders import OrdersTable, OrderStatus


def unknown_fields(orders: OrdersTable) -> None:
    orders.update("c1", "o1", set={"totl": Decimal(1)})  # E: Extra key "totl" for TypedDict
    orders.update("c1", "o1", set={"customer_id": "c2"})  # E: Extra key "customer_id" for TypedDict
    orders.update("c1", "o1", set={"version": 3})  # E: Extra key "version" for TypedDict
    orders.update("c1", "o1", set={"created_at": None})  # E: Extra key "created_at" for TypedDict


def wrong_values(orders: OrdersTable) -> None:
    orders.update("c1", "o1", set={"total": "12"})  # E: item "total" has type "Decimal"
    orders.update("c1", "o1", set={"status": "paid"})  # E: item "status" has type "OrderStatus"
    orders.update("c1", "o1", set={"quantity": 1.5})  # E: item "quantity" has type "int"
    orders.update("c1", "o1", set={"tags": ["a"]})  # E: item "tags" has type "set[str] | None"
    orders.update("c1", "o1", set={"total": None})  # E: item "total" has type "Decimal"
    orders.update("c1", "o1", add={"total": 1.5})  # E: item "total" has type "Decimal"
    orders.update("c1", "o1", delete={"tags": "a"})  # E: item "tags" has type "set[str]"


def add_to_the_wrong_kind(orders: OrdersTable, ledger: LedgerTable) -> None:
    orders.update("c1", "o1", add={"status": OrderStatus.PAID})  # E: key "status" for TypedDict
    orders.update("c1", "o1", add={"note": "x"})  # E: Extra key "note" for TypedDict
    orders.update("c1", "o1", add={"gift": True})  # E: Extra key "gift" for TypedDict
    ledger.update("a", 1, add={"labels": ["x"]})  # E: Extra key "labels" for TypedDict
    orders.update("c1", "o1", delete={"quantity": 1})  # E: Extra key "quantity" for TypedDict


def remove_required(orders: OrdersTable) -> None:
    orders.update("c1", "o1", remove=["total"])  # E: incompatible type "Literal['total']"; expected
    orders.update("c1", "o1", remove=["status", "note"])  # E: type "Literal['status']"
    orders.update("c1", "o1", remove=("customer_id",))  # E: "tuple[Literal['customer_id']]"
    orders.update("c1", "o1", remove="note")  # E: Argument "remove" to "update"


def wrong_options(orders: OrdersTable) -> None:
    orders.update("c1", "o1", expected_version="3")  # E: Argument "expected_version"
    orders.delete("c1", "o1", expected_version=1.0)  # E: Argument "expected_version"
