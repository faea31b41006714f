"""One item at a time: create, put, get, update and delete, sent through the endpoint.

Each call builds its request with `requests` (automatic attributes and version checks included),
sends it, and says what happened, never more than it can prove:

- success: this call's write was applied (once);
- a ConditionFailed (ItemAlreadyExists, ItemNotFound, VersionConflict): it was not applied;
- OutcomeUnknown: an attempt's answer was lost and what followed cannot tell (a retry that
  meets a failed condition may be meeting this call's own earlier write). `.item` says what is
  stored now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import ClientError

from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import DynagenError, OutcomeUnknown, TransactionCanceled
from dynagen.runtime.expressions import Update
from dynagen.runtime.requests import (
    GetOptions,
    Guard,
    PutOptions,
    Write,
    check_options,
    get_request,
)
from dynagen.runtime.schema import EntitySchema, WriteKind, failed_item
from dynagen.runtime.transact import TxPut, transact_write, tx_delete, tx_put, tx_update
from dynagen.runtime.types import Item

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11

T = TypeVar("T")
_CONDITION_FAILED = frozenset({"ConditionalCheckFailedException"})


def put_item(
    endpoint: Endpoint, schema: EntitySchema[T], item: Item, **options: Unpack[PutOptions]
) -> T:
    """PutItem: the transaction's Put (`tx_put`, which takes the same options) sent alone;
    returns the item exactly as a later get reads it (version and timestamps set).

    With `RetryPolicy(idempotent_writes=True)` it is sent as a one-item transaction with a client
    request token instead, so DynamoDB itself recognises a retry of an applied attempt.
    """
    check_options("put_item", options, PutOptions)  # named as called, not as tx_put
    operation = tx_put(endpoint, schema, item, **options)
    if endpoint.retry.idempotent_writes:
        return _put_with_token(operation)
    _send_write(endpoint, schema, "PutItem", operation.write, operation.kind, None)
    return operation.item


def _put_with_token(operation: TxPut[T]) -> T:
    try:
        transact_write([operation])
    except TransactionCanceled as canceled:
        reason = canceled.reasons[0] if canceled.reasons else None
        if reason is not None and reason.error is not None:
            raise reason.error from None  # the condition's own error: nothing was written
        raise
    except OutcomeUnknown as unknown:
        endpoint, schema = operation.endpoint, operation.schema
        raise _with_stored_item(endpoint, schema, operation.write.key, unknown) from None
    return operation.item


def get_item(
    endpoint: Endpoint, schema: EntitySchema[Any], key: Item, **options: Unpack[GetOptions]
) -> Item | None:
    """GetItem: the stored item in wire form, or None; generated code decodes it."""
    check_options("get_item", options, GetOptions)
    request = get_request(endpoint.table_name, schema, key, **options)
    response = endpoint.send("GetItem", request)
    item: Item | None = response.get("Item")
    return item


def update_item(
    endpoint: Endpoint, schema: EntitySchema[T], key: Item, update: Update, **guard: Unpack[Guard]
) -> T:
    """UpdateItem on an existing item (never creates one): the transaction's Update (`tx_update`)
    sent alone; returns the item as stored after it."""
    check_options("update_item", guard, Guard)
    write = tx_update(endpoint, schema, key, update, **guard).write
    response = _send_write(endpoint, schema, "UpdateItem", write, "update", "ALL_NEW")
    return schema.decode(response["Attributes"])


def delete_item(
    endpoint: Endpoint, schema: EntitySchema[T], key: Item, **guard: Unpack[Guard]
) -> T | None:
    """DeleteItem: the transaction's Delete (`tx_delete`) sent alone; returns the item as it
    was, or None if there was none."""
    check_options("delete_item", guard, Guard)
    write = tx_delete(endpoint, schema, key, **guard).write
    old = _send_write(endpoint, schema, "DeleteItem", write, "delete", "ALL_OLD").get("Attributes")
    return None if old is None else schema.decode(old)


def _send_write(
    endpoint: Endpoint,
    schema: EntitySchema[Any],
    operation: str,
    write: Write,
    write_kind: WriteKind,
    returns: str | None,
) -> dict[str, Any]:
    """Send a write; say what happened, never more than can be proved (see the module docstring)."""
    request = write.request if returns is None else {**write.request, "ReturnValues": returns}
    budget = endpoint.budget()
    try:
        response: dict[str, Any] = endpoint.send(
            operation,
            request,
            budget=budget,
            passthrough=_CONDITION_FAILED,
            write=True,
            retry_uncertain=write.retry_safe,
        )
    except ClientError as error:
        stored = failed_item(error)
        if budget.uncertain:  # the stored item may be this call's own earlier attempt
            unknown = OutcomeUnknown(
                f"{operation} {schema.describe(write.key, endpoint.table_name)}: outcome "
                "unknown: an earlier attempt's answer was lost and the retry found the "
                "condition false, which this call's own write would also explain",
                operation=operation,
                item=schema.decode_quietly(stored),
                raw_item=stored,
                cause=error,
            )
            raise unknown from None
        raise schema.condition_error(
            stored, write_kind, write.key, write.expected_version, endpoint.table_name
        ) from None
    except OutcomeUnknown as unknown:
        raise _with_stored_item(endpoint, schema, write.key, unknown) from None
    if operation == "DeleteItem" and budget.uncertain and "Attributes" not in response:
        # No old item on a retry: an earlier attempt may have deleted it, or it was never there.
        raise OutcomeUnknown(
            f"DeleteItem {schema.describe(write.key, endpoint.table_name)}: outcome unknown: "
            "the item is gone, but an earlier attempt's answer was lost, so whether this call "
            "deleted it cannot be told",
            operation=operation,
        )
    return response


def _with_stored_item(
    endpoint: Endpoint, schema: EntitySchema[Any], key: Item, unknown: OutcomeUnknown
) -> OutcomeUnknown:
    """The same error, holding the item as stored now (a strongly consistent read, best effort)."""
    try:
        raw = get_item(endpoint, schema, key, consistent_read=True)
    except DynagenError as error:
        note = f"; reading the item afterwards failed too: {error}"
        return OutcomeUnknown(str(unknown) + note, operation=unknown.operation, cause=unknown.cause)
    return OutcomeUnknown(
        str(unknown),
        operation=unknown.operation,
        item=schema.decode_quietly(raw),
        raw_item=raw,
        cause=unknown.cause,
    )
