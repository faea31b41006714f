"""Transactions over one or more generated tables: TransactWriteItems and typed TransactGetItems.

Generated tables make the operations (`orders.tx_put(item)`, `ledger.tx_update(...)`,
`orders.tx_check(key, condition)`, `orders.tx_get(key)`); `transact_write` sends up to 100 of
them atomically with one client request token, kept across retries so a retried transaction is
applied at most once (DynamoDB keeps tokens for 10 minutes). Only cancellations whose every
reason is retryable (conflicts, throttling) are retried; anything else raises
TransactionCanceled naming each failed operation, its reason and the item as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Literal, Mapping, Sequence, TypeVar, overload

from botocore.exceptions import ClientError

from dynagen.runtime.errors import (
    CancellationReason,
    ConditionFailed,
    TransactionCanceled,
    ValidationError,
    from_botocore,
)
from dynagen.runtime.expressions import ExpressionBuilder, Path
from dynagen.runtime.retry import RetryPolicy, call_with_retry
from dynagen.runtime.table import TableRuntime, WriteKind, describe_key
from dynagen.runtime.batch import key_identity
from dynagen.runtime.types import AttributeValue, DynamoDBClient, Item

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")
E = TypeVar("E")
MAX_OPERATIONS = 100
RETRYABLE_REASONS = frozenset(
    {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
)
Action = Literal["Put", "Update", "Delete", "ConditionCheck"]


@dataclass(frozen=True)
class TxWrite(Generic[T]):
    """One write of a transaction. `item` is what a put or create stores (None for the others)."""

    table: TableRuntime
    action: Action
    kind: WriteKind | Literal["check"]
    request: dict[str, Any]
    key: Item
    decode: Callable[[Mapping[str, AttributeValue]], T]
    expected_version: int | None = None
    item: T | None = None

    def describe(self) -> str:
        return f"{self.action} {self.table.entity} {describe_key(self.key)} in table {self.table.name!r}"


@dataclass(frozen=True)
class TxGet(Generic[T]):
    """One read of a TransactGetItems, decoded to T."""

    table: TableRuntime
    key: Item
    decode: Callable[[Mapping[str, AttributeValue]], T]
    projection: Sequence[str] | None = field(default=None)


def transact_write(
    operations: Sequence[TxWrite[Any]],
    *,
    token: str | None = None,
    client: DynamoDBClient | None = None,
    retry: RetryPolicy | None = None,
) -> str:
    """Apply every operation or none; returns the client request token used."""
    operations = list(operations)
    if not operations:
        raise ValidationError("a transaction needs at least one operation")
    if len(operations) > MAX_OPERATIONS:
        raise ValidationError(
            f"a transaction holds at most {MAX_OPERATIONS} operations, got {len(operations)}"
        )
    seen: dict[object, int] = {}
    for index, operation in enumerate(operations):
        identity = (operation.table.name, key_identity(operation.key))
        if identity in seen:
            raise ValidationError(
                f"operations {seen[identity]} and {index} of the transaction both touch "
                f"{describe_key(operation.key)} in table {operation.table.name!r}; DynamoDB allows one per item"
            )
        seen[identity] = index
    first = operations[0].table
    client = client if client is not None else first.client
    policy = retry if retry is not None else first.retry
    token = token if token is not None else str(uuid.uuid4())
    if not isinstance(token, str) or not 1 <= len(token) <= 36:
        raise ValidationError("token must be 1 to 36 characters (DynamoDB's ClientRequestToken)")
    request: dict[str, Any] = {
        "TransactItems": [{operation.action: operation.request} for operation in operations],
        "ClientRequestToken": token,
    }
    for attempt in range(1, policy.max_attempts + 1):
        try:
            call_with_retry(
                policy,
                lambda: client.transact_write_items(**request),
                operation="TransactWriteItems",
                table=first.name,
                passthrough=frozenset({"TransactionCanceledException"}),
            )
            return token
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            codes = {str(reason.get("Code", "None")) for reason in reasons} - {"None"}
            if codes and codes <= RETRYABLE_REASONS and attempt < policy.max_attempts:
                policy.backoff(attempt - 1)
                continue
            raise _canceled(operations, reasons) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _canceled(
    operations: Sequence[TxWrite[Any]], reasons: Sequence[Mapping[str, Any]]
) -> TransactionCanceled:
    failed: list[CancellationReason] = []
    for index, (operation, reason) in enumerate(zip(operations, reasons)):
        code = str(reason.get("Code", "None"))
        if code == "None":
            continue
        raw = reason.get("Item")
        error: ConditionFailed | None = None
        item = None
        if code == "ConditionalCheckFailed":
            kind = "update" if operation.kind == "check" else operation.kind
            error = operation.table.condition_error(
                raw, kind, operation.key, operation.expected_version, operation.decode
            )
            item = error.item
            if operation.kind == "check":
                error = ConditionFailed(
                    f"{operation.describe()}: the condition was not met", item=item, raw_item=raw
                )
        failed.append(
            CancellationReason(
                index,
                code,
                str(reason.get("Message", "")),
                item=item,
                raw_item=raw,
                operation=operation.describe(),
                error=error,
            )
        )
    summary = "; ".join(f"#{r.index} {r.operation}: {r.code}" for r in failed)
    return TransactionCanceled(f"transaction canceled: {summary or 'no reason given'}", failed)


@overload
def transact_get(a: TxGet[A], /) -> tuple[A | None]: ...
@overload
def transact_get(a: TxGet[A], b: TxGet[B], /) -> tuple[A | None, B | None]: ...
@overload
def transact_get(
    a: TxGet[A], b: TxGet[B], c: TxGet[C], /
) -> tuple[A | None, B | None, C | None]: ...
@overload
def transact_get(
    a: TxGet[A], b: TxGet[B], c: TxGet[C], d: TxGet[D], /
) -> tuple[A | None, B | None, C | None, D | None]: ...
@overload
def transact_get(
    a: TxGet[A], b: TxGet[B], c: TxGet[C], d: TxGet[D], e: TxGet[E], /
) -> tuple[A | None, B | None, C | None, D | None, E | None]: ...
@overload
def transact_get(*gets: TxGet[Any]) -> tuple[Any, ...]: ...


def transact_get(*gets: TxGet[Any]) -> tuple[Any, ...]:
    """Read up to 100 items atomically; each position has its table's item type (None: absent)."""
    return transact_get_all(gets)


def transact_get_all(
    gets: Sequence[TxGet[T]],
    *,
    client: DynamoDBClient | None = None,
    retry: RetryPolicy | None = None,
) -> tuple[T | None, ...]:
    """The same as transact_get for a list of reads of one type."""
    gets = list(gets)
    if not gets:
        raise ValidationError("transact_get needs at least one read")
    if len(gets) > MAX_OPERATIONS:
        raise ValidationError(f"transact_get reads at most {MAX_OPERATIONS} items, got {len(gets)}")
    first = gets[0].table
    client = client if client is not None else first.client
    policy = retry if retry is not None else first.retry
    items: list[Any] = []
    for read in gets:
        body: dict[str, Any] = {"TableName": read.table.name, "Key": read.key}
        if read.projection:
            builder = ExpressionBuilder()
            body["ProjectionExpression"] = builder.projection(
                Path(name) for name in read.projection
            )
            builder.apply(body)
        items.append({"Get": body})
    try:
        response = call_with_retry(
            policy,
            lambda: client.transact_get_items(TransactItems=items),
            operation="TransactGetItems",
            table=first.name,
            passthrough=frozenset({"TransactionCanceledException"}),
        )
    except ClientError as error:
        reasons = error.response.get("CancellationReasons", [])
        codes = ", ".join(str(reason.get("Code")) for reason in reasons)
        raise from_botocore(
            error, operation="TransactGetItems", table=first.name, attempts=1
        ) from ValueError(codes)
    out: list[T | None] = []
    for read, answer in zip(gets, response.get("Responses", [])):
        raw = answer.get("Item")
        out.append(None if raw is None else read.decode(raw))
    return tuple(out)
