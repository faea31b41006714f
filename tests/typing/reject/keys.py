"""Wrong or missing key arguments."""

from __future__ import annotations

import uuid

from generated_example.ledger import LedgerTable
from generated_example.orders import OrdersTable, OrderStatus
from generated_example.user_sessions import UserSessionsTable


def wrong_keys(orders: OrdersTable, ledger: LedgerTable, sessions: UserSessionsTable) -> None:
    orders.get("c1", 5)  # E: "get" of "OrdersTable" matches argument types "str", "int"
    orders.get(1, "o1")  # E: "get" of "OrdersTable" matches argument types "int", "str"
    ledger.get("acc", "1")  # E: "get" of "LedgerTable" matches argument types "str", "str"
    sessions.get("abc")  # E: "get" of "UserSessionsTable" matches argument type "str"
    orders.update("c1", 5, set={"status": OrderStatus.PAID})  # E: incompatible type "int"
    ledger.update("acc", "1")  # E: Argument 2 to "update" of "LedgerTable"
    orders.delete(3, "o1")  # E: Argument 1 to "delete" of "OrdersTable" has incompatible type
    ledger.delete("acc", 1.5)  # E: Argument 2 to "delete" of "LedgerTable"
    sessions.delete(str(uuid.uuid4()))  # E: Argument 1 to "delete" of "UserSessionsTable"


def missing_keys(orders: OrdersTable, ledger: LedgerTable) -> None:
    orders.get("c1")  # E: No overload variant of "get" of "OrdersTable" matches argument type "str"
    orders.update("c1", set={"status": OrderStatus.PAID})  # E: Missing positional argument
    orders.delete("c1")  # E: Missing positional argument "order_id" in call to "delete"
    ledger.get(seq=1)  # E: No overload variant of "get" of "LedgerTable" matches argument type
    orders.get(customer_id="c1", order="o1")  # E: Unexpected keyword argument "order"
