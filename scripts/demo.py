"""A short tour of generated code against the DynamoDB that AWS_ENDPOINT_URL_DYNAMODB points at."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from dynagen import runtime as rt
from dynagen.runtime import Sort
from generated_example.ledger import Entry, EntryAttrs, EntryKind, LedgerQueryCursor, LedgerTable
from generated_example.orders import (
    Address,
    LineItem,
    Order,
    OrderAttrs,
    OrdersTable,
    OrderStatus,
)
from generated_example.shop import (
    Customer,
    Order as ShopOrder,
    OrderByStatusSort,
    OrderLine,
    OrderStatus as ShopOrderStatus,
    ShopTable,
)
from generated_example.user_sessions import Device, Session, UserSessionsTable

UTC = datetime.timezone.utc


def step(text: str) -> None:
    print(f"\n-- {text}")


def main() -> None:
    suffix = uuid.uuid4().hex[:6]
    orders = OrdersTable(table_name=f"demo-orders-{suffix}")
    ledger = LedgerTable(table_name=f"demo-ledger-{suffix}")
    sessions = UserSessionsTable(table_name=f"demo-sessions-{suffix}")
    shop = ShopTable(table_name=f"demo-shop-{suffix}")
    for table in (orders, ledger, sessions, shop):
        table.create_table()
    print(f"created tables {orders.table_name}, {ledger.table_name}, {sessions.table_name}")
    try:
        tour(orders, ledger, sessions)
        shop_tour(shop)
    finally:
        for table in (orders, ledger, sessions, shop):
            table.delete_table(wait=False)
    print("\ndemo finished: tables deleted")


def tour(orders: OrdersTable, ledger: LedgerTable, sessions: UserSessionsTable) -> None:
    now = datetime.datetime.now(UTC)
    step("create an order (version 1, created_at/updated_at set by dynagen)")
    order = orders.create(
        Order(
            customer_id="cust-42",
            order_id="o-1001",
            status=OrderStatus.PENDING,
            total=Decimal("59.90"),
            placed_at=now,
            lines=[LineItem(sku="book-1", qty=2, price=Decimal("29.95"))],
            shipping=Address(street="1 Main St", city="Springfield"),
            tags={"gift-wrap"},
            expires_at=now + datetime.timedelta(days=365),
        )
    )
    print(f"stored: version={order.version} created_at={order.created_at:%H:%M:%S.%f}")

    step("create the same key again: ItemAlreadyExists, with the stored item")
    try:
        orders.create(order)
    except rt.ItemAlreadyExists as error:
        print(f"refused: {error}")

    step("get it back (typed: Order | None)")
    fetched = orders.get("cust-42", "o-1001", consistent_read=True)
    assert fetched == order
    print(f"read: status={fetched.status.value} total={fetched.total} lines={fetched.lines}")

    step("partial update: typed set/add/remove, the version moves to 2")
    updated = orders.update(
        "cust-42",
        "o-1001",
        set={"status": OrderStatus.PAID, "note": "leave at the door"},
        add={"quantity": 1, "tags": {"priority"}},
        expected_version=1,
    )
    print(
        f"now: status={updated.status.value} quantity={updated.quantity} tags={sorted(updated.tags or ())}"
    )
    print(f"version={updated.version}, created_at kept: {updated.created_at == order.created_at}")

    step("a write from a stale copy (version 1) is refused")
    try:
        orders.put(order)
    except rt.VersionConflict as error:
        print(f"refused: {error}")

    step("conditional delete with a typed condition")
    try:
        orders.delete("cust-42", "o-1001", condition=OrderAttrs.status == OrderStatus.SHIPPED)
    except rt.ConditionFailed as error:
        print(f"kept: {error}")
    gone = orders.delete("cust-42", "o-1001", condition=OrderAttrs.status == OrderStatus.PAID)
    print(f"deleted, returned the old item: version={gone.version if gone else None}")

    step("ledger: int sort key, reserved-word and dotted attribute names, defaults")
    entry = ledger.create(
        Entry(
            account_id="acc-1",
            seq=1,
            kind=EntryKind.CREDIT,
            amount=Decimal("100.00"),
            booked_on=now.date(),
            comment="opening balance",
            order_ref="o-1001",
        )
    )
    raw = ledger.client.get_item(
        TableName=ledger.table_name, Key={"account_id": {"S": "acc-1"}, "seq": {"N": "1"}}
    )
    print(f"stored attribute names: {sorted(raw['Item'])}")
    ledger.update(
        "acc-1", 1, add={"amount": Decimal("-0.01")}, condition=EntryAttrs.currency == "EUR"
    )
    print(f"amount after add: {ledger.get('acc-1', 1).amount}")  # type: ignore[union-attr]
    assert entry.version == 1

    step("reads: pages with a cursor, a keys_only global index, a count with a sort condition")
    for n in range(2, 7):
        ledger.create(
            Entry(
                account_id="acc-1",
                seq=n,
                kind=EntryKind.DEBIT,
                amount=Decimal(n),
                booked_on=now.date(),
            )
        )
    page = ledger.query_page("acc-1", page_size=4)
    rest = ledger.query_page("acc-1", page_size=4, cursor=page.cursor)
    print(
        f"page 1: seq {[e.seq for e in page]}, cursor {page.cursor[:24] if page.cursor else None}..."
        f" (a {type(page.cursor).__name__}, a str)"
    )
    print(f"page 2: seq {[e.seq for e in rest]}, cursor {rest.cursor}")
    if page.cursor is not None:
        text = str(page.cursor)  # as a web client would send it back
        again = ledger.query_page("acc-1", page_size=4, cursor=LedgerQueryCursor(text))
        print(f"page 2 again from the text: seq {[e.seq for e in again]}")
        index_cursor = ledger.query_by_kind_page(EntryKind.DEBIT, page_size=1).cursor
        try:  # mypy refuses it as it is; typed by hand, the run time still does
            ledger.query_page("acc-1", cursor=LedgerQueryCursor(str(index_cursor)))
        except rt.InvalidCursor as error:
            print(f"an index's cursor given to the table's query: InvalidCursor: {error}")
    debits = list(ledger.query_by_kind(EntryKind.DEBIT, sort=Sort.le(now.date())))
    print(f"by_kind (keys_only projection EntryByKind): {len(debits)} debits, e.g. {debits[0]}")
    print(f"count of entries over 3: {ledger.count('acc-1', sort=Sort.gt(3))}")

    step(
        "transactions: an update and a delete applied together, and one whose condition check fails"
    )
    rt.transact_write(
        [
            ledger.tx_update("acc-1", 2, add={"amount": Decimal("-2")}),
            ledger.tx_delete("acc-1", 3),
        ]
    )
    try:
        rt.transact_write(
            [
                ledger.tx_update("acc-1", 4, add={"amount": Decimal("1")}),
                ledger.tx_check("acc-1", 5, condition=EntryAttrs.kind == EntryKind.CREDIT),
            ]
        )
    except rt.TransactionCanceled as error:
        reason = error.reasons[0]
        print(f"canceled, nothing applied: #{reason.index} {reason.operation}: {reason.code}")

    step("sessions: uuid key, bytes, json, TTL stored as epoch seconds")
    session = sessions.create(
        Session(
            session_id=uuid.uuid4(),
            user_id="user-7",
            token_hash=b"\x8f\x02" * 16,
            started_on=now.date(),
            last_seen=now,
            device=Device(kind="phone", os="android"),
            claims={"sub": "user-7", "groups": ["admin"], "mfa": True},
            expires_at=now + datetime.timedelta(hours=12),
        )
    )
    raw = sessions.client.get_item(
        TableName=sessions.table_name, Key={"session_id": {"S": str(session.session_id)}}
    )
    print(
        f"expires_at on the wire: {raw['Item']['expires_at']}  claims: {raw['Item']['claims']['M']['groups']}"
    )


def shop_tour(shop: ShopTable) -> None:
    """Single-table design: three entities in one table, keys from templates, one-query reads."""
    now = datetime.datetime.now(UTC)
    customer_id = uuid.uuid4()
    step("shop (single table): a customer, two orders and their lines, keys from templates")
    shop.customers.create(Customer(customer_id=customer_id, email="ann@example.com", name="Ann"))
    for no in (1, 2):
        shop.orders.create(
            ShopOrder(
                customer_id=customer_id,
                order_no=no,
                status=ShopOrderStatus.PENDING,
                placed_at=now,
                total=Decimal("12.50") * no,
            )
        )
        shop.order_lines.create(
            OrderLine(
                customer_id=customer_id,
                order_no=no,
                line_no=1,
                sku=f"book-{no}",
                qty=no,
                price=Decimal("12.50"),
            )
        )
    raw = shop.client.get_item(
        TableName=shop.table_name,
        Key={"pk": {"S": f"CUSTOMER#{customer_id}"}, "sk": {"S": "ORDER#00000002"}},
    )["Item"]
    print(f"stored keys: pk={raw['pk']['S']} sk={raw['sk']['S']} gsi1pk={raw['gsi1pk']['S']}")

    step("a collection read in one query: the customer with every order and line, typed")
    sent: list[str] = []
    shop.client.meta.events.register("before-send.dynamodb", lambda **_: sent.append("request"))
    together = shop.get_customer_with_orders(customer_id)
    print(
        f"{len(sent)} request: customer {together.customer.name if together.customer else None}, "
        f"orders {[o.order_no for o in together.orders]}, "
        f"lines {[(line.order_no, line.sku) for line in together.order_lines]}"
    )

    step("update status: the overloaded index's key is rewritten in the same request")
    shop.orders.update(customer_id, 2, set={"status": ShopOrderStatus.PAID})
    paid = shop.orders.query_by_status(
        ShopOrderStatus.PAID, sort=OrderByStatusSort.placed_at(Sort.le(now))
    )
    print(f"paid orders via gsi1: {[(o.order_no, o.status.value) for o in paid]}")
    pending = [o.order_no for o in shop.orders.query_by_status(ShopOrderStatus.PENDING)]
    print(f"still pending: {pending}")

    step("ship it: the attributes of the sparse index go together, and the order enters it")
    shop.orders.update(customer_id, 2, shipments={"carrier": "DHL", "shipped_at": now})
    print(f"shipments index: {[(o.order_no, o.carrier) for o in shop.orders.query_shipments()]}")


if __name__ == "__main__":
    main()
