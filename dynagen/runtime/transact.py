"""Transactions over one or more generated tables: TransactWriteItems and typed TransactGetItems.

Generated tables make the operations (`orders.tx_put(item)`, `ledger.tx_update(...)`,
`orders.tx_check(key, condition)`, `orders.tx_get(key)`); `transact_write` sends up to 100 of
them atomically with one client request token, kept across retries so a retried transaction is
applied at most once (DynamoDB keeps tokens for 10 minutes). Transport retries and retries of
cancellations whose every reason is retryable (conflicts, throttling) share one budget; anything
else raises TransactionCanceled naming each failed operation, its reason and the item as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Generic,
    Iterable,
    Literal,
    Mapping,
    Sequence,
    TypeVar,
    overload,
)

from botocore.exceptions import ClientError

from dynagen.runtime.auto import WriteMode
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import (
    BadResponse,
    CancellationReason,
    TransactionCanceled,
    ValidationError,
    from_botocore,
)
from dynagen.runtime.expressions import Condition, Selection, Update
from dynagen.runtime.requests import (
    Guard,
    PutOptions,
    Write,
    check_options,
    check_write,
    delete_write,
    get_request,
    put_write,
    update_write,
)
from dynagen.runtime.retry import RetryPolicy
from dynagen.runtime.schema import EntitySchema, WriteKind
from dynagen.runtime.types import AttributeValue, DynamoDBClient, Item
from dynagen.runtime.wire import describe_key, key_identity

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
D = TypeVar("D")
E = TypeVar("E")
MAX_OPERATIONS = 100
RETRYABLE_REASONS = frozenset(
    {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
)
_CANCELED = frozenset({"TransactionCanceledException"})
TxAction = Literal["Put", "Update", "Delete", "ConditionCheck"]


@dataclass(frozen=True)
class TxWrite(Generic[T_co]):
    """One write of a transaction, about an item of type T_co (covariant: a list mixing
    operations of several tables is a list of TxWrite[object], which transact_write takes)."""

    endpoint: Endpoint
    schema: EntitySchema[T_co]
    action: TxAction
    kind: WriteKind
    write: Write

    def describe(self) -> str:
        where = self.schema.describe(self.write.key, self.endpoint.table_name)
        return f"{self.action} {where}"


@dataclass(frozen=True)
class TxPut(TxWrite[T_co]):
    """A create or put of a transaction; `item` is the item exactly as it will be stored."""

    item: T_co


@dataclass(frozen=True)
class TxGet(Generic[T_co]):
    """One read of a TransactGetItems, decoded to T_co: the entity, or with `attributes` (the
    paths to project) its partial class."""

    endpoint: Endpoint
    schema: EntitySchema[Any]
    key: Item
    decode: Callable[[Mapping[str, AttributeValue]], T_co]
    attributes: Selection | None = None


def tx_put(
    endpoint: Endpoint, schema: EntitySchema[T], item: Item, **options: Unpack[PutOptions]
) -> TxPut[T]:
    """`create` or `put` as one operation of a transaction; `.item` is what it stores."""
    check_options("tx_put", options, PutOptions)
    mode: WriteMode = options.get("mode", "put")
    write = put_write(endpoint.table_name, schema, item, mode, options.get("condition"))
    assert write.item is not None
    return TxPut(endpoint, schema, "Put", mode, write, schema.decode(write.item))


def tx_update(
    endpoint: Endpoint, schema: EntitySchema[T], key: Item, update: Update, **guard: Unpack[Guard]
) -> TxWrite[T]:
    check_options("tx_update", guard, Guard)
    condition, expected = guard.get("condition"), guard.get("expected_version")
    write = update_write(endpoint.table_name, schema, key, update, condition, expected)
    return TxWrite(endpoint, schema, "Update", "update", write)


def tx_delete(
    endpoint: Endpoint, schema: EntitySchema[T], key: Item, **guard: Unpack[Guard]
) -> TxWrite[T]:
    check_options("tx_delete", guard, Guard)
    condition, expected = guard.get("condition"), guard.get("expected_version")
    write = delete_write(endpoint.table_name, schema, key, condition, expected)
    return TxWrite(endpoint, schema, "Delete", "delete", write)


def tx_check(
    endpoint: Endpoint, schema: EntitySchema[T], key: Item, condition: Condition[Any]
) -> TxWrite[T]:
    write = check_write(endpoint.table_name, key, condition)
    return TxWrite(endpoint, schema, "ConditionCheck", "check", write)


def tx_get(
    endpoint: Endpoint,
    schema: EntitySchema[Any],
    key: Item,
    decode: Callable[[Mapping[str, AttributeValue]], T],
    attributes: Selection | None = None,
) -> TxGet[T]:
    """One read of a transaction, decoded by `decode`; with `attributes` (checked here, before any
    request) only those paths, and `decode` is the entity's partial class's."""
    if attributes is not None:
        schema.projection(attributes)  # refuses bad or overlapping paths now, not at transact time
    return TxGet(endpoint, schema, key, decode, attributes)


def transact_write(
    operations: Iterable[TxWrite[Any]],
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
        if not isinstance(operation, TxWrite):
            raise ValidationError(
                f"operation {index} of the transaction is a {type(operation).__name__}, "
                "not a tx_create/tx_put/tx_update/tx_delete/tx_check operation"
            )
        identity = (operation.endpoint.table_name, key_identity(operation.write.key))
        if identity in seen:
            raise ValidationError(
                f"operations {seen[identity]} and {index} of the transaction both touch "
                f"{describe_key(operation.write.key)} in table {operation.endpoint.table_name!r}; "
                "DynamoDB allows one per item"
            )
        seen[identity] = index
    token = token if token is not None else str(uuid.uuid4())
    if not isinstance(token, str) or not 1 <= len(token) <= 36:
        raise ValidationError("token must be 1 to 36 characters (DynamoDB's ClientRequestToken)")
    endpoint = _sender(operations[0].endpoint, client, retry)
    request: dict[str, Any] = {
        "TransactItems": [{op.action: op.write.request} for op in operations],
        "ClientRequestToken": token,
    }
    budget = endpoint.budget()
    while True:
        try:
            endpoint.send(
                "TransactWriteItems", request, budget=budget, passthrough=_CANCELED, write=True
            )
            return token
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            if _retryable(reasons) and budget.left:
                continue  # the same token: a transaction that did apply is not applied twice
            raise _canceled(operations, reasons) from None


def _sender(first: Endpoint, client: DynamoDBClient | None, retry: RetryPolicy | None) -> Endpoint:
    """The endpoint a multi-table request goes through: the first table's, unless told otherwise."""
    if client is None and retry is None:
        return first
    return Endpoint(
        client if client is not None else first.client,
        first.table_name,
        retry if retry is not None else first.retry,
    )


def _retryable(reasons: Sequence[Mapping[str, Any]]) -> bool:
    codes = {str(reason.get("Code", "None")) for reason in reasons} - {"None"}
    return bool(codes) and codes <= RETRYABLE_REASONS


def _canceled(
    operations: Sequence[TxWrite[Any] | TxGet[Any]], reasons: Sequence[Mapping[str, Any]]
) -> TransactionCanceled:
    failed: list[CancellationReason] = []
    for index, (operation, reason) in enumerate(zip(operations, reasons)):
        code = str(reason.get("Code", "None"))
        if code == "None":
            continue
        raw = reason.get("Item")
        error = None
        if code == "ConditionalCheckFailed" and isinstance(operation, TxWrite):
            write = operation.write
            error = operation.schema.condition_error(
                raw,
                operation.kind,
                write.key,
                write.expected_version,
                operation.endpoint.table_name,
            )
        described = (
            operation.describe()
            if isinstance(operation, TxWrite)
            else f"Get {operation.schema.describe(operation.key, operation.endpoint.table_name)}"
        )
        failed.append(
            CancellationReason(
                index,
                code,
                str(reason.get("Message", "")),
                item=error.item if error is not None else None,
                raw_item=raw,
                operation=described,
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
    gets: Iterable[TxGet[T]],
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
    endpoint = _sender(gets[0].endpoint, client, retry)
    items = [
        {
            "Get": get_request(
                read.endpoint.table_name, read.schema, read.key, attributes=read.attributes
            )
        }
        for read in gets
    ]
    budget = endpoint.budget()
    while True:
        try:
            response = endpoint.send(
                "TransactGetItems", {"TransactItems": items}, budget=budget, passthrough=_CANCELED
            )
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            if _retryable(reasons) and budget.left:
                continue
            raise _canceled(gets, reasons) from None
        answers = response.get("Responses", [])
        if len(answers) == len(gets):
            break
        # One answer per read, always: fewer or more is a bad response, retried like one.
        bad = BadResponse(
            operation="TransactGetItems", detail=f"{len(answers)} Responses for {len(gets)} reads"
        )
        if not budget.left:
            raise from_botocore(
                bad,
                operation="TransactGetItems",
                table=endpoint.table_name,
                attempts=budget.attempts,
            ) from bad
    out: list[T | None] = []
    for read, answer in zip(gets, answers):
        raw = answer.get("Item")
        out.append(None if raw is None else read.decode(raw))
    return tuple(out)
