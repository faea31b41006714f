"""One item at a time: create, put, get, update and delete, sent through the endpoint.

Each call builds its request with `requests` (automatic attributes and version checks included),
sends it, and turns a failed condition into the error that says what was stored.
"""

from __future__ import annotations

from typing import Any, Collection, TypeVar

from botocore.exceptions import ClientError

from dynagen.runtime.auto import WriteMode
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.expressions import Condition, Update
from dynagen.runtime.requests import Write, delete_write, get_request, put_write, update_write
from dynagen.runtime.schema import EntitySchema, WriteKind, failed_item
from dynagen.runtime.types import Item
from dynagen.runtime.wire import same_item

T = TypeVar("T")
_CONDITION_FAILED = frozenset({"ConditionalCheckFailedException"})


def put_item(
    endpoint: Endpoint,
    schema: EntitySchema[T],
    item: Item,
    *,
    mode: WriteMode = "put",
    condition: Condition[Any] | None = None,
) -> T:
    """PutItem; returns the item exactly as a later get reads it (version and timestamps set)."""
    write = put_write(endpoint.table_name, schema, item, mode, condition)
    stored = write.item
    assert stored is not None
    budget = endpoint.budget()
    try:
        endpoint.send("PutItem", write.request, budget=budget, passthrough=_CONDITION_FAILED)
    except ClientError as error:
        current = failed_item(error)
        if budget.attempts > 1 and current is not None and same_item(current, stored):
            # A retry after an attempt whose reply was lost: that attempt wrote this very
            # item (timestamps and version included), so the write did happen.
            return schema.decode(stored)
        raise schema.condition_error(
            current, mode, write.key, write.expected_version, endpoint.table_name
        ) from None
    return schema.decode(stored)


def get_item(
    endpoint: Endpoint,
    schema: EntitySchema[Any],
    key: Item,
    *,
    consistent_read: bool = False,
    attributes: Collection[str] | None = None,
) -> Item | None:
    """GetItem: the stored item in wire form, or None; generated code decodes it."""
    request = get_request(
        endpoint.table_name, schema, key, consistent_read=consistent_read, attributes=attributes
    )
    response = endpoint.send("GetItem", request)
    item: Item | None = response.get("Item")
    return item


def update_item(
    endpoint: Endpoint,
    schema: EntitySchema[T],
    key: Item,
    update: Update,
    *,
    condition: Condition[Any] | None = None,
    expected_version: int | None = None,
) -> T:
    """UpdateItem on an existing item (never creates one); returns the item as stored after it."""
    write = update_write(endpoint.table_name, schema, key, update, condition, expected_version)
    response = _send_write(endpoint, schema, "UpdateItem", write, "update", "ALL_NEW")
    return schema.decode(response["Attributes"])


def delete_item(
    endpoint: Endpoint,
    schema: EntitySchema[T],
    key: Item,
    *,
    condition: Condition[Any] | None = None,
    expected_version: int | None = None,
) -> T | None:
    """DeleteItem; returns the item as it was, or None if there was none."""
    write = delete_write(endpoint.table_name, schema, key, condition, expected_version)
    old = _send_write(endpoint, schema, "DeleteItem", write, "delete", "ALL_OLD").get("Attributes")
    return None if old is None else schema.decode(old)


def _send_write(
    endpoint: Endpoint,
    schema: EntitySchema[Any],
    operation: str,
    write: Write,
    kind: WriteKind,
    returns: str,
) -> dict[str, Any]:
    """Send an update or delete; a failed condition becomes the error that says what was stored."""
    request = {**write.request, "ReturnValues": returns}
    try:
        response: dict[str, Any] = endpoint.send(operation, request, passthrough=_CONDITION_FAILED)
    except ClientError as error:
        raise schema.condition_error(
            failed_item(error), kind, write.key, write.expected_version, endpoint.table_name
        ) from None
    return response
