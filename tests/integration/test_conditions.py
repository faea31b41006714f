"""Typed conditions on both engines: every operator as a write condition and as a query filter.

Each case is one condition with the set of seeded items it holds for. It is checked as a query
filter (`query(partition, filter=...)`) and as the condition of `update`, `delete` and `put` on
every seeded item: the write goes through exactly where the condition holds, and where it does
not, ConditionFailed carries the stored item as it was (ReturnValuesOnConditionCheckFailure).

The tables are module-scoped (one pair per engine, deleted at the end); every test writes under
its own partition key, so tests never see each other's items. DynamoDB Local is the reference:
where moto differs, only the moto variant is marked xfail, with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterator

import pytest

from dynagen import runtime as rt
from dynagen.runtime import make_client
from generated_example.ledger import Entry, EntryAttrs, EntryKind, LedgerTable, marshal_entry
from generated_example.orders import (
    Address,
    LineItem,
    Order,
    OrderAttrs,
    OrderConditionFailed,
    OrdersTable,
    OrderStatus,
)
from tests.helpers import unique_name

UTC = datetime.timezone.utc
MOTO_SIZE = "moto: size() of an attribute some item lacks crashes moto (HTTP 500), not false"


# ---------------------------------------------------------------- tables, one pair per engine


@dataclass
class Tables:
    engine: str
    client: Any
    orders: OrdersTable
    ledger: LedgerTable


@pytest.fixture(scope="module", params=["moto", "local"])
def tables(request: pytest.FixtureRequest) -> Iterator[Tables]:
    """An orders and a ledger table on one engine (moto, then DynamoDB Local)."""
    endpoint = request.getfixturevalue(f"{request.param}_endpoint")
    client = make_client(endpoint_url=endpoint, region_name="us-east-1")
    retry = rt.RetryPolicy(max_attempts=3)  # moto's HTTP 500s (see MOTO_SIZE) fail fast
    orders = OrdersTable(client, table_name=unique_name("cond-orders"), retry=retry)
    ledger = LedgerTable(client, table_name=unique_name("cond-ledger"), retry=retry)
    orders.create_table()
    ledger.create_table()
    yield Tables(str(request.param), client, orders, ledger)
    orders.delete_table(wait=False)
    ledger.delete_table(wait=False)


def moto_differs(request: pytest.FixtureRequest, tables: Tables, reason: str | None) -> None:
    if reason and tables.engine == "moto":
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


# ---------------------------------------------------------------- seeded items


def seed_orders(customer_id: str) -> list[Order]:
    placed = datetime.datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    return [
        Order(
            customer_id=customer_id,
            order_id="o1",
            status=OrderStatus.PAID,
            total=Decimal("10.00"),
            quantity=1,
            gift=False,
            placed_at=placed,
            note="hello world",
            tags={"a", "b"},
            lines=[
                LineItem(sku="sku-a", qty=1, price=Decimal("2.50")),
                LineItem(sku="sku-b", qty=5, price=Decimal("1.50")),
            ],
            shipping=Address(street="1 Via Roma", city="Rome", zip="00100"),
            metadata={"k": "v1", "x": "y"},
        ),
        Order(
            customer_id=customer_id,
            order_id="o2",
            status=OrderStatus.PENDING,
            total=Decimal("25.5"),
            quantity=3,
            gift=True,
            placed_at=placed + datetime.timedelta(days=1),
            lines=[LineItem(sku="sku-b", qty=2, price=Decimal("12.75"))],
            shipping=Address(street="2 High Street", city="Paris"),
            metadata={"k": "v2"},
        ),
        Order(
            customer_id=customer_id,
            order_id="o3",
            status=OrderStatus.SHIPPED,
            total=Decimal("99.99"),
            quantity=10,
            gift=False,
            placed_at=placed + datetime.timedelta(days=2),
            note="Hello",
            tags={"b", "c", "d"},
            lines=[],
        ),
        Order(
            customer_id=customer_id,
            order_id="o4",
            status=OrderStatus.CANCELLED,
            total=Decimal("5"),
            quantity=2,
            gift=True,
            placed_at=placed + datetime.timedelta(days=3),
            note="zebra",
            tags={"z"},
            lines=[
                LineItem(sku="sku-z", qty=7, price=Decimal("0.5")),
                LineItem(sku="sku-a", qty=1, price=Decimal("1.5")),
            ],
            shipping=Address(street="3 Low Road", city="Rome"),
            metadata={},
        ),
    ]


def seed_entries(account_id: str) -> list[Entry]:
    booked = datetime.date(2024, 2, 29)
    return [
        Entry(
            account_id=account_id,
            seq=1,
            kind=EntryKind.CREDIT,
            amount=Decimal("100"),
            booked_on=booked,
            entry_status="posted",
            comment="first one",
            order_ref="ORD #1",
            batch_ids={7, 8},
            fx_rates={Decimal("1.5")},
            labels=["x", "y"],
            counters={"a": 1},
        ),
        Entry(
            account_id=account_id,
            seq=2,
            kind=EntryKind.DEBIT,
            amount=Decimal("-20.5"),
            booked_on=booked,
            entry_status="pending",
            order_ref="ORD #22",
            labels=[],
            counters={},
        ),
        Entry(
            account_id=account_id,
            seq=3,
            kind=EntryKind.ADJUSTMENT,
            amount=Decimal("0.01"),
            booked_on=booked,
            entry_status="void",
            comment="second time",
            batch_ids={9},
            labels=["y"],
            counters={"a": 5, "b": 2},
        ),
    ]


# ---------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[], rt.Condition[Any]]
    expected: frozenset[Any]  # order ids (orders) or seq numbers (ledger)
    moto: str | None = None  # why moto differs from DynamoDB Local, when it does
    key: bool = False  # about a key attribute: filtered by a scan (a query filter cannot)


def oc(
    id: str,
    build: Callable[[], rt.Condition[Order]],
    *ids: str,
    moto: str | None = None,
    key: bool = False,
) -> Case:
    return Case(id, build, frozenset(ids), moto, key)


def lc(
    id: str, build: Callable[[], rt.Condition[Entry]], *seqs: int, moto: str | None = None
) -> Case:
    return Case(id, build, frozenset(seqs), moto)


A = OrderAttrs
L = EntryAttrs
D = Decimal
MAR_2 = datetime.datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
MAR_3 = datetime.datetime(2024, 3, 3, 9, 0, tzinfo=UTC)
ALL = ("o1", "o2", "o3", "o4")

ORDER_CASES = [
    # comparisons on top-level attributes (the sort key too)
    oc("eq-enum", lambda: A.status == OrderStatus.PAID, "o1"),
    oc("ne-enum", lambda: A.status != OrderStatus.PAID, "o2", "o3", "o4"),
    oc("eq-decimal-numeric", lambda: A.total == D("10"), "o1"),
    oc("lt", lambda: A.total < D("25.50"), "o1", "o4"),
    oc("le", lambda: A.total <= D("25.50"), "o1", "o2", "o4"),
    oc("gt", lambda: A.total > D("25.50"), "o3"),
    oc("ge", lambda: A.total >= D("25.50"), "o2", "o3"),
    oc("between-inclusive", lambda: A.total.between(D("5"), D("25.5")), "o1", "o2", "o4"),
    oc("between-narrow", lambda: A.total.between(D("5.01"), D("25.49")), "o1"),
    oc("between-datetime", lambda: A.placed_at.between(MAR_2, MAR_3), "o2", "o3"),
    oc("lt-datetime", lambda: A.placed_at < MAR_2, "o1"),
    oc("eq-int", lambda: A.quantity == 3, "o2"),
    oc("ne-int", lambda: A.quantity != 3, "o1", "o3", "o4"),
    oc("eq-bool", lambda: A.gift == True, "o2", "o4"),  # noqa: E712
    oc("ne-bool", lambda: A.gift != True, "o1", "o3"),  # noqa: E712
    oc("sort-key-gt", lambda: A.order_id > "o2", "o3", "o4", key=True),
    oc("string-lt-case-sensitive", lambda: A.note < "hello", "o3"),
    oc("string-ge", lambda: A.note >= "hello", "o1", "o4"),
    oc("eq-missing-is-false", lambda: A.note == "nothing", moto=None),
    oc("ne-missing-is-true", lambda: A.note != "Hello", "o1", "o2", "o4"),
    oc("lt-missing-is-false", lambda: A.note < "zzzzzz", "o1", "o3", "o4"),
    # begins_with / contains
    oc("begins-with", lambda: A.note.begins_with("hel"), "o1"),
    oc("begins-with-sort-key", lambda: A.order_id.begins_with("o"), *ALL, key=True),
    oc("contains-string", lambda: A.note.contains("ll"), "o1", "o3"),
    oc("contains-set", lambda: A.tags.contains("b"), "o1", "o3"),
    oc(
        "contains-list-of-records",
        lambda: A.lines.contains(LineItem(sku="sku-b", qty=2, price=D("12.75"))),
        "o2",
    ),
    # exists / not_exists / is_type
    oc("exists", lambda: A.note.exists(), "o1", "o3", "o4"),
    oc("not-exists", lambda: A.note.not_exists(), "o2"),
    oc("exists-record", lambda: A.shipping.exists(), "o1", "o2", "o4"),
    oc("not-exists-set", lambda: A.tags.not_exists(), "o2"),
    oc("is-type-s", lambda: A.note.is_type("S"), "o1", "o3", "o4"),
    oc("is-type-ss", lambda: A.tags.is_type("SS"), "o1", "o3", "o4"),
    oc("is-type-wrong", lambda: A.total.is_type("S")),
    oc("is-type-map", lambda: A.metadata.is_type("M"), "o1", "o2", "o4"),
    # size()
    oc("size-string", lambda: A.note.size() == 5, "o3", "o4", moto=MOTO_SIZE),
    oc("size-string-gt", lambda: A.note.size() > 5, "o1", moto=MOTO_SIZE),
    oc("size-set", lambda: A.tags.size() >= 2, "o1", "o3", moto=MOTO_SIZE),
    oc("size-list", lambda: A.lines.size() == 0, "o3"),
    oc("size-list-between", lambda: A.lines.size().between(1, 1), "o2"),
    oc("size-map", lambda: A.metadata.size() == 0, "o4", moto=MOTO_SIZE),
    oc("size-record", lambda: A.shipping.size() == 3, "o1", moto=MOTO_SIZE),
    oc("not-size-missing-is-true", lambda: ~(A.tags.size() > 0), "o2", moto=MOTO_SIZE),
    # in_
    oc("in-enum", lambda: A.status.in_(OrderStatus.PAID, OrderStatus.SHIPPED), "o1", "o3"),
    oc("in-decimal", lambda: A.total.in_(D("10.0"), D("5.00")), "o1", "o4"),
    oc("in-100-values", lambda: A.note.in_(*[f"n{i}" for i in range(99)], "Hello"), "o3"),
    oc("in-100-ints", lambda: A.quantity.in_(*range(100)), *ALL),
    # nested record fields
    oc("record-eq", lambda: A.shipping.city == "Rome", "o1", "o4"),
    oc("record-ne", lambda: A.shipping.city != "Rome", "o2", "o3"),
    oc("record-lt", lambda: A.shipping.city < "Q", "o2"),
    oc("record-exists", lambda: A.shipping.zip.exists(), "o1"),
    oc("record-begins-with", lambda: A.shipping.city.begins_with("Pa"), "o2"),
    oc("record-contains", lambda: A.shipping.street.contains("High"), "o2"),
    oc("record-size", lambda: A.shipping.city.size() == 4, "o1", "o4", moto=MOTO_SIZE),
    oc("record-in", lambda: A.shipping.city.in_("Paris", "Oslo"), "o2"),
    oc("record-whole", lambda: A.shipping == Address(street="2 High Street", city="Paris"), "o2"),
    # list elements
    oc("list-elem-eq", lambda: A.lines[0].sku == "sku-a", "o1"),
    oc("list-elem-gt", lambda: A.lines[1].qty > 2, "o1"),
    oc("list-elem-between", lambda: A.lines[1].qty.between(1, 5), "o1", "o4"),
    oc("list-elem-begins-with", lambda: A.lines[0].sku.begins_with("sku-"), "o1", "o2", "o4"),
    oc("list-elem-decimal", lambda: A.lines[0].price >= D("2.5"), "o1", "o2"),
    oc("list-elem-exists", lambda: A.lines[1].exists(), "o1", "o4"),
    oc("list-elem-not-exists", lambda: A.lines[0].not_exists(), "o3"),
    oc(
        "list-elem-whole-record",
        lambda: A.lines[1] == LineItem(sku="sku-a", qty=1, price=D("1.5")),
        "o4",
    ),
    # map values
    oc("map-eq", lambda: A.metadata["k"] == "v1", "o1"),
    oc("map-gt", lambda: A.metadata["k"] > "v1", "o2"),
    oc("map-exists", lambda: A.metadata["k"].exists(), "o1", "o2"),
    oc("map-not-exists", lambda: A.metadata["x"].not_exists(), "o2", "o3", "o4"),
    oc("map-begins-with", lambda: A.metadata["k"].begins_with("v"), "o1", "o2"),
    oc("map-size", lambda: A.metadata["k"].size() == 2, "o1", "o2", moto=MOTO_SIZE),
    oc("map-in", lambda: A.metadata["k"].in_("v2", "v3"), "o2"),
    oc("map-whole", lambda: A.metadata == {"x": "y", "k": "v1"}, "o1"),
    # &, |, ~ and their precedence: each pair differs when grouped the other way
    oc(
        "or-binds-looser-than-and",  # a | (b & c), not (a | b) & c
        lambda: (A.status == OrderStatus.PAID) | (A.gift == True) & (A.quantity > 2),  # noqa: E712
        "o1",
        "o2",
    ),
    oc(
        "explicit-or-then-and",
        lambda: ((A.status == OrderStatus.PAID) | (A.gift == True)) & (A.quantity > 2),  # noqa
        "o2",
    ),
    oc("not-binds-tightest", lambda: ~(A.gift == True) & (A.quantity > 2), "o3"),  # noqa: E712
    oc("not-of-and", lambda: ~((A.gift == True) & (A.quantity > 2)), "o1", "o3", "o4"),  # noqa
    oc("not-of-or", lambda: ~((A.gift == True) | (A.quantity > 2)), "o1"),  # noqa: E712
    oc("double-not", lambda: ~~(A.gift == True), "o2", "o4"),  # noqa: E712
    oc(
        "and-of-ors",
        lambda: ((A.total < D("6")) | (A.total > D("50"))) & (A.note.exists() | A.tags.exists()),
        "o3",
        "o4",
    ),
    oc(
        "or-of-ands",
        lambda: (A.total < D("6")) & A.note.exists() | (A.total > D("50")) & A.tags.not_exists(),
        "o4",
    ),
    oc(
        "nested-flattening",
        lambda: (A.quantity > 1)
        & ((A.gift == True) | A.note.contains("ll"))
        & ~(A.quantity == 10),  # noqa
        "o2",
        "o4",
    ),
    oc("not-of-missing-comparison", lambda: ~(A.shipping.city == "Rome"), "o2", "o3"),
    oc("not-of-missing-record-field", lambda: ~(A.lines[0].qty >= 0), "o3"),
]

LEDGER_CASES = [
    lc("reserved-eq", lambda: L.entry_status == "posted", 1),
    lc("reserved-in", lambda: L.entry_status.in_("posted", "pending"), 1, 2),
    lc("reserved-begins-with", lambda: L.entry_status.begins_with("p"), 1, 2),
    lc("reserved-ne", lambda: L.entry_status != "void", 1, 2),
    lc("dotted-exists", lambda: L.comment.exists(), 1, 3),
    lc("dotted-not-exists", lambda: L.comment.not_exists(), 2),
    lc("dotted-eq", lambda: L.comment == "first one", 1),
    lc("dotted-begins-with", lambda: L.comment.begins_with("sec"), 3),
    lc("dotted-contains", lambda: L.comment.contains("ir"), 1),
    lc("dotted-size", lambda: L.comment.size() > 9, 3, moto=MOTO_SIZE),
    lc("hash-space-eq", lambda: L.order_ref == "ORD #22", 2),
    lc("hash-space-not-exists", lambda: L.order_ref.not_exists(), 3),
    lc("hash-space-size", lambda: L.order_ref.size() == 6, 1, moto=MOTO_SIZE),
    lc("list-of-strings-contains", lambda: L.labels.contains("y"), 1, 3),
    lc("list-elem-string", lambda: L.labels[0] == "y", 3),
    lc("number-set-contains", lambda: L.batch_ids.contains(9), 3),
    lc("decimal-set-contains", lambda: L.fx_rates.contains(D("1.50")), 1),
    lc("map-of-int", lambda: L.counters["a"] >= 2, 3),
    lc("map-of-int-missing", lambda: L.counters["b"].not_exists(), 1, 2),
    lc("negative-decimal", lambda: L.amount < D("0"), 2),
    lc(
        "combined-awkward-names",
        lambda: (L.entry_status == "posted")
        | L.comment.contains("time") & L.order_ref.not_exists(),
        1,
        3,
    ),
    lc("not-of-awkward", lambda: ~(L.order_ref.begins_with("ORD #2")), 1, 3),
]


def _ids(cases: list[Case]) -> list[str]:
    return [case.id for case in cases]


# ---------------------------------------------------------------- helpers


def _partition() -> str:
    return f"p-{uuid.uuid4().hex[:12]}"


def _seeded_orders(tables: Tables) -> tuple[str, list[Order]]:
    partition = _partition()
    return partition, tables.orders.batch_put(seed_orders(partition))


def _seeded_entries(tables: Tables) -> tuple[str, list[Entry]]:
    partition = _partition()
    return partition, tables.ledger.batch_put(seed_entries(partition))


def _check_failed(error: rt.ConditionFailed, stored: object) -> None:
    special = (rt.ItemAlreadyExists, rt.ItemNotFound, rt.VersionConflict)
    assert not isinstance(error, special), f"expected a plain ConditionFailed, got {error!r}"
    assert type(error).__bases__ == (rt.ConditionFailed,)  # the entity's own, item typed
    assert error.item == stored
    assert error.raw_item is not None


# ---------------------------------------------------------------- each case: filter and writes

KINDS = ("update", "delete", "put")


def _kinds(case: Case, cases: list[Case], count: int) -> list[str]:
    """The write each seeded item gets: rotating, so every case tries update, delete and put."""
    offset = cases.index(case)
    return [KINDS[(offset + number) % len(KINDS)] for number in range(count)]


@pytest.mark.parametrize("case", ORDER_CASES, ids=_ids(ORDER_CASES))
def test_order_condition(request: pytest.FixtureRequest, tables: Tables, case: Case) -> None:
    """The case as a query filter, then as the condition of a write on each seeded item.

    The write goes through exactly where the condition holds; elsewhere ConditionFailed carries
    the stored item and nothing changes.
    """
    moto_differs(request, tables, case.moto)
    orders = tables.orders
    partition, seeded = _seeded_orders(tables)

    # as a filter (DynamoDB refuses key attributes in a query filter: those go through a scan)
    if case.key:
        scoped = case.build() & (OrderAttrs.customer_id == partition)
        found = {o.order_id for o in orders.scan(filter=scoped, consistent_read=True)}
    else:
        found = {o.order_id for o in orders.query(partition, filter=case.build())}
        assert orders.count(partition, filter=case.build()) == len(case.expected)
    assert found == case.expected, "as a filter"

    # as a condition
    kinds = dict(zip((o.order_id for o in seeded), _kinds(case, ORDER_CASES, len(seeded))))
    passed: set[str] = set()
    for item in seeded:
        kind = kinds[item.order_id]
        try:
            if kind == "update":
                orders.update(
                    partition, item.order_id, add={"quantity": 100}, condition=case.build()
                )
            elif kind == "delete":
                assert orders.delete(partition, item.order_id, condition=case.build()) == item
            else:
                changed = dataclasses.replace(item, quantity=item.quantity + 100)
                orders.put(changed, condition=case.build())
        except rt.ConditionFailed as error:
            _check_failed(error, item)
        else:
            passed.add(item.order_id)
    assert passed == case.expected, f"as the condition of {kinds}"

    # what is stored now: changed exactly where the condition held, untouched elsewhere
    now = {o.order_id: o for o in orders.query(partition, consistent_read=True)}
    for item in seeded:
        after = now.get(item.order_id)
        if item.order_id not in case.expected:
            assert after == item, f"{kinds[item.order_id]} changed {item.order_id}"
        elif kinds[item.order_id] == "delete":
            assert after is None
        else:
            assert after is not None
            assert (after.quantity, after.version) == (item.quantity + 100, item.version + 1)


@pytest.mark.parametrize("case", LEDGER_CASES, ids=_ids(LEDGER_CASES))
def test_entry_condition(request: pytest.FixtureRequest, tables: Tables, case: Case) -> None:
    moto_differs(request, tables, case.moto)
    ledger = tables.ledger
    partition, seeded = _seeded_entries(tables)

    found = {e.seq for e in ledger.query(partition, filter=case.build())}
    assert found == case.expected, "as a filter"

    kinds = dict(zip((e.seq for e in seeded), _kinds(case, LEDGER_CASES, len(seeded))))
    passed: set[int] = set()
    for item in seeded:
        kind = kinds[item.seq]
        try:
            if kind == "update":
                ledger.update(partition, item.seq, add={"amount": D(1)}, condition=case.build())
            elif kind == "delete":
                ledger.delete(partition, item.seq, condition=case.build())
            else:
                ledger.put(dataclasses.replace(item, currency="CHF"), condition=case.build())
        except rt.ConditionFailed as error:
            _check_failed(error, item)
        else:
            passed.add(item.seq)
    assert passed == case.expected, f"as the condition of {kinds}"
    now = {e.seq: e for e in ledger.query(partition, consistent_read=True)}
    for item in seeded:
        after = now.get(item.seq)
        if item.seq not in case.expected:
            assert after == item
        elif kinds[item.seq] == "delete":
            assert after is None
        else:
            assert after is not None and after.version == item.version + 1


def test_query_filter_on_a_key_attribute_is_refused_by_dynamodb(
    request: pytest.FixtureRequest, tables: Tables
) -> None:
    """DynamoDB allows key attributes in a scan filter but not in a query filter."""
    moto_differs(request, tables, "moto accepts a key attribute in a query's FilterExpression")
    partition, _ = _seeded_orders(tables)
    with pytest.raises(rt.DynamoDBError) as caught:
        list(tables.orders.query(partition, filter=OrderAttrs.order_id > "o2"))
    assert caught.value.code == "ValidationException"


def test_condition_failure_on_update_carries_the_stored_order(tables: Tables) -> None:
    partition, stored = _seeded_orders(tables)
    with pytest.raises(rt.ConditionFailed) as caught:
        tables.orders.update(
            partition,
            "o2",
            set={"note": "changed"},
            condition=OrderAttrs.shipping.city == "Rome",
        )
    assert type(caught.value) is OrderConditionFailed
    assert isinstance(caught.value.item, Order)
    assert caught.value.item == stored[1]
    assert caught.value.item.shipping == Address(street="2 High Street", city="Paris")
    assert caught.value.raw_item is not None and caught.value.raw_item["version"] == {"N": "1"}


def test_condition_with_expected_version_both_must_hold(tables: Tables) -> None:
    partition, _ = _seeded_orders(tables)
    orders = tables.orders
    with pytest.raises(rt.ConditionFailed):
        orders.update(
            partition, "o1", add={"quantity": 1}, expected_version=1, condition=A.gift == True
        )  # noqa
    with pytest.raises(rt.VersionConflict):
        orders.update(
            partition, "o1", add={"quantity": 1}, expected_version=7, condition=A.gift == False
        )  # noqa
    done = orders.update(
        partition, "o1", add={"quantity": 1}, expected_version=1, condition=A.gift == False  # noqa
    )
    assert (done.quantity, done.version) == (2, 2)


def test_create_condition_is_added_to_the_key_check(tables: Tables) -> None:
    partition = _partition()
    fresh = seed_orders(partition)[0]
    with pytest.raises(rt.ConditionFailed) as caught:
        tables.orders.create(fresh, condition=OrderAttrs.total.exists())  # no item: false
    assert type(caught.value) is OrderConditionFailed and caught.value.item is None
    assert tables.orders.get(partition, "o1", consistent_read=True) is None
    created = tables.orders.create(fresh, condition=OrderAttrs.total.not_exists())
    assert created.version == 1


# ---------------------------------------------------------------- awkward stored names


def test_dotted_stored_name_is_one_attribute_not_a_path(tables: Tables) -> None:
    """`comment.text` is a top-level attribute; a map `comment` with a `text` key is another one."""
    partition = _partition()
    entry = dataclasses.replace(seed_entries(partition)[0], version=1, comment="real")
    raw = marshal_entry(entry)
    raw["comment"] = {"M": {"text": {"S": "decoy"}}}
    tables.client.put_item(TableName=tables.ledger.table_name, Item=raw)
    found = {e.seq for e in tables.ledger.query(partition, filter=EntryAttrs.comment == "real")}
    assert found == {1}
    assert not list(tables.ledger.query(partition, filter=EntryAttrs.comment == "decoy"))
    with pytest.raises(rt.ConditionFailed):
        tables.ledger.update(partition, 1, set={"currency": "X"}, condition=L.comment == "decoy")
    updated = tables.ledger.update(
        partition, 1, set={"comment": "new"}, condition=L.comment == "real"
    )
    assert updated.comment == "new"
    stored = tables.client.get_item(
        TableName=tables.ledger.table_name, Key={"account_id": {"S": partition}, "seq": {"N": "1"}}
    )["Item"]
    assert stored["comment.text"] == {"S": "new"}
    assert stored["comment"] == {"M": {"text": {"S": "decoy"}}}


def test_reserved_and_punctuated_names_in_update_actions(tables: Tables) -> None:
    partition, _ = _seeded_entries(tables)
    updated = tables.ledger.update(
        partition,
        1,
        actions=[
            EntryAttrs.entry_status.set("reversed"),
            EntryAttrs.comment.set_if_not_exists("ignored"),
            EntryAttrs.order_ref.set("ORD #9"),
        ],
        condition=(EntryAttrs.entry_status == "posted") & EntryAttrs.order_ref.begins_with("ORD #"),
    )
    assert (updated.entry_status, updated.comment, updated.order_ref) == (
        "reversed",
        "first one",
        "ORD #9",
    )


# ---------------------------------------------------------------- in_ limits


def test_in_takes_100_values_and_refuses_101() -> None:
    OrderAttrs.quantity.in_(*range(100))
    with pytest.raises(rt.ValidationError):
        OrderAttrs.quantity.in_(*range(101))
    with pytest.raises(rt.ValidationError):
        OrderAttrs.note.in_(*[str(i) for i in range(101)])
    with pytest.raises(rt.ValidationError):
        OrderAttrs.quantity.in_()


def test_conditions_refuse_python_boolean_operators() -> None:
    with pytest.raises(TypeError):
        bool(OrderAttrs.quantity > 1)
    with pytest.raises(TypeError):
        (OrderAttrs.quantity > 1) and (OrderAttrs.quantity < 5)  # noqa: B015


# ---------------------------------------------------------------- update actions


def test_action_sets_a_nested_record_field(tables: Tables) -> None:
    partition, stored = _seeded_orders(tables)
    updated = tables.orders.update(partition, "o1", actions=[OrderAttrs.shipping.city.set("Milan")])
    assert updated.shipping == Address(street="1 Via Roma", city="Milan", zip="00100")
    assert updated.version == stored[0].version + 1


def test_set_if_not_exists_applies_only_when_missing(tables: Tables) -> None:
    partition, _ = _seeded_orders(tables)
    orders = tables.orders
    actions = [OrderAttrs.note.set_if_not_exists("default"), A.shipping.zip.set_if_not_exists("99")]
    kept = orders.update(partition, "o1", actions=actions)  # note and zip are there
    assert (kept.note, kept.shipping and kept.shipping.zip) == ("hello world", "00100")
    filled = orders.update(partition, "o2", actions=actions)  # neither is there
    assert (filled.note, filled.shipping and filled.shipping.zip) == ("default", "99")


def test_list_append_and_prepend(tables: Tables) -> None:
    partition, _ = _seeded_orders(tables)
    first = LineItem(sku="first", qty=1, price=D("1"))
    last = LineItem(sku="last", qty=2, price=D("2"))
    updated = tables.orders.update(partition, "o2", actions=[OrderAttrs.lines.append([last])])
    assert [line.sku for line in updated.lines] == ["sku-b", "last"]
    updated = tables.orders.update(partition, "o2", actions=[OrderAttrs.lines.prepend([first])])
    assert [line.sku for line in updated.lines] == ["first", "sku-b", "last"]
    empty = tables.orders.update(partition, "o3", actions=[OrderAttrs.lines.append([first, last])])
    assert [line.sku for line in empty.lines] == ["first", "last"]


def test_remove_list_element_at_index(tables: Tables) -> None:
    partition, _ = _seeded_orders(tables)
    updated = tables.orders.update(partition, "o1", actions=[OrderAttrs.lines[0].remove()])
    assert [line.sku for line in updated.lines] == ["sku-b"]
    entries_partition, _ = _seeded_entries(tables)
    entry = tables.ledger.update(entries_partition, 1, actions=[EntryAttrs.labels[0].remove()])
    assert entry.labels == ["y"]


def test_list_element_field_and_map_value_set(tables: Tables) -> None:
    partition, _ = _seeded_orders(tables)
    updated = tables.orders.update(
        partition,
        "o1",
        actions=[
            OrderAttrs.lines[1].qty.set(9),
            OrderAttrs.metadata["k"].set("changed"),
            OrderAttrs.metadata["new key.with dot"].set("added"),
        ],
    )
    assert [line.qty for line in updated.lines] == [1, 9]
    assert updated.metadata == {"k": "changed", "x": "y", "new key.with dot": "added"}
    entries_partition, _ = _seeded_entries(tables)
    entry = tables.ledger.update(
        entries_partition, 3, actions=[EntryAttrs.counters["a"].set(50), L.labels.append(["z"])]
    )
    assert entry.counters == {"a": 50, "b": 2} and entry.labels == ["y", "z"]


def test_actions_together_with_dict_changes_and_condition(tables: Tables) -> None:
    partition, _ = _seeded_orders(tables)
    updated = tables.orders.update(
        partition,
        "o1",
        set={"status": OrderStatus.SHIPPED},
        add={"quantity": 2},
        remove=["note"],
        actions=[OrderAttrs.shipping.street.set("9 New St")],
        condition=(OrderAttrs.lines[1].sku == "sku-b") & (OrderAttrs.metadata["x"] == "y"),
        expected_version=1,
    )
    assert updated.status is OrderStatus.SHIPPED and updated.quantity == 3
    assert updated.note is None and updated.shipping is not None
    assert updated.shipping.street == "9 New St"


KEY_OR_AUTOMATIC_ACTIONS: list[Callable[[], rt.Action[Order]]] = [
    lambda: OrderAttrs.customer_id.set("other"),
    lambda: OrderAttrs.order_id.set_if_not_exists("other"),
    lambda: OrderAttrs.version.set(7),
    lambda: OrderAttrs.version.remove(),
    lambda: OrderAttrs.created_at.set(MAR_2),
    lambda: OrderAttrs.updated_at.set(MAR_2),
]


@pytest.mark.parametrize("action", KEY_OR_AUTOMATIC_ACTIONS)
def test_actions_on_key_or_automatic_attributes_are_refused_before_any_request(
    offline_orders: OrdersTable, requests_sent: list[str], action: Callable[[], rt.Action[Order]]
) -> None:
    with pytest.raises(rt.ValidationError):
        offline_orders.update("c1", "o1", actions=[action()])
    with pytest.raises(rt.ValidationError):
        offline_orders.tx_update("c1", "o1", actions=[action()])
    assert requests_sent == []


def test_action_on_entry_key_or_version_is_refused(client: Any, requests_sent: list[str]) -> None:
    ledger = LedgerTable(client, table_name=unique_name("never-created"))
    actions: list[Callable[[], Any]] = [
        lambda: L.seq.set(2),
        lambda: L.account_id.set("x"),
        lambda: L.version.set(1),
        lambda: L.updated_at.remove(),
    ]
    for action in actions:  # the reference refuses to make the action: nothing is sent
        with pytest.raises(rt.ValidationError, match="refused: an? (key|automatic) attribute"):
            ledger.update("a", 1, actions=[action()])
    assert requests_sent == []


OVERLAPPING_UPDATES: list[Callable[[OrdersTable], object]] = [
    lambda t: t.update(
        "c1",
        "o1",
        set={"shipping": Address(street="s", city="c")},
        actions=[OrderAttrs.shipping.city.set("x")],
    ),
    lambda t: t.update("c1", "o1", actions=[A.lines[0].sku.set("x"), A.lines[0].remove()]),
    lambda t: t.update("c1", "o1", actions=[A.lines[0].remove(), A.lines[0].remove()]),
    lambda t: t.update("c1", "o1", actions=[A.metadata["k"].set("x"), A.metadata.set({})]),
    lambda t: t.update("c1", "o1", set={"note": "x"}, actions=[A.note.set_if_not_exists("y")]),
    lambda t: t.update("c1", "o1", remove=["tags"], add={"tags": {"x"}}),
    lambda t: t.update("c1", "o1", add={"quantity": 1}, actions=[A.quantity.set(3)]),
    lambda t: t.update("c1", "o1", actions=[A.lines.append([]), A.lines[2].qty.set(1)]),
    lambda t: t.update("c1", "o1", set={"tags": None}, delete={"tags": {"a"}}),
]


@pytest.mark.parametrize("attempt", OVERLAPPING_UPDATES)
def test_overlapping_paths_in_one_update_are_refused_before_any_request(
    offline_orders: OrdersTable, requests_sent: list[str], attempt: Callable[[OrdersTable], object]
) -> None:
    with pytest.raises(rt.ValidationError, match="overlap"):
        attempt(offline_orders)
    assert requests_sent == []


def test_disjoint_list_elements_in_one_update_are_fine(tables: Tables) -> None:
    partition, _ = _seeded_orders(tables)
    updated = tables.orders.update(
        partition, "o1", actions=[A.lines[0].sku.set("new"), A.lines[1].qty.set(0)]
    )
    assert [(line.sku, line.qty) for line in updated.lines] == [("new", 1), ("sku-b", 0)]


# ---------------------------------------------------------------- empty sets cannot be sent

EMPTY_SET_USES: list[Callable[[OrdersTable], object]] = [
    lambda t: list(t.query("c1", filter=OrderAttrs.tags == set())),
    lambda t: t.delete("c1", "o1", condition=OrderAttrs.tags.in_({"a"}, set())),
    lambda t: t.update("c1", "o1", actions=[OrderAttrs.tags.set(set())]),
    lambda t: t.update("c1", "o1", actions=[OrderAttrs.tags.set_if_not_exists(set())]),
]


@pytest.mark.parametrize("use", EMPTY_SET_USES)
def test_an_empty_set_value_is_refused_before_any_request(
    offline_orders: OrdersTable, requests_sent: list[str], use: Callable[[OrdersTable], object]
) -> None:
    with pytest.raises(rt.ValidationError):
        use(offline_orders)  # the table does not exist: a request fails with TableNotFound
    assert requests_sent == []
