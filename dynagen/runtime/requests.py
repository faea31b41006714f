"""Every request dynagen sends, built without I/O: items, reads, and their parts.

The synchronous peers (items, reads, batch, transact) send what these build; an asynchronous
variant can reuse them unchanged. Expressions come from the one entry point,
`expressions.expression_fields`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Mapping, TypedDict, TypeVar

from dynagen.runtime.auto import WriteMode
from dynagen.runtime.codec import utc_now
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions import (
    Condition,
    KeyCondition,
    Selection,
    SortCondition,
    Update,
    all_of,
    attribute_exists,
    expression_fields,
    path_order,
)
from dynagen.runtime.pages import read_scope
from dynagen.runtime.schema import EntitySchema
from dynagen.runtime.types import AttributeValue, Item
from dynagen.runtime.wire import check_item_size

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11

T = TypeVar("T")
MAX_SEGMENTS = 1_000_000


@dataclass(frozen=True)
class Write:
    """One built write: the request body, and what checking its outcome needs."""

    request: dict[str, Any]
    key: Item
    expected_version: int | None = None
    item: Item | None = None  # for create and put: the wire item as it will be stored
    retry_safe: bool = True  # sending it twice cannot apply it twice (see Endpoint.send)


class PutOptions(TypedDict, total=False):
    """What a put takes besides its item, alone (PutItem) or in a transaction (its Put)."""

    mode: WriteMode  # "put" (the default) or "create"
    condition: Condition[Any] | None  # the caller's own, besides the version check


class Guard(TypedDict, total=False):
    """What an update or a delete takes besides its key, alone or in a transaction: the caller's
    own condition, and the version the stored item must have."""

    condition: Condition[Any] | None
    expected_version: int | None


def put_write(
    table: str,
    schema: EntitySchema[Any],
    item: Item,
    mode: WriteMode,
    condition: Condition[Any] | None,
    now: datetime.datetime | None = None,
) -> Write:
    """A Put (PutItem or a transaction's): automatic attributes stamped, the version checked."""
    stored, expected = schema.auto.stamp(item, mode, now or utc_now())
    check_item_size(stored, schema.name)
    check = schema.auto.write_condition(mode, expected, schema.partition)
    request: dict[str, Any] = {"TableName": table, "Item": stored}
    request.update(expression_fields(condition=all_of(check, condition)))
    return Write(request, schema.key_of(stored), expected, stored)


def update_write(
    table: str,
    schema: EntitySchema[Any],
    key: Item,
    update: Update,
    condition: Condition[Any] | None,
    expected_version: int | None,
    now: datetime.datetime | None = None,
) -> Write:
    """An Update of an existing item (never creates one), with the automatic attributes."""
    version_check = schema.auto.version_check(expected_version, schema.name)
    schema.auto.on_update(update, now or utc_now())
    checks = all_of(attribute_exists(schema.partition), version_check, condition)
    request: dict[str, Any] = {"TableName": table, "Key": key}
    request.update(expression_fields(update=update, condition=checks))
    # A second application is refused by the version check, or changes nothing (SET/REMOVE only).
    retry_safe = version_check is not None or update.idempotent
    return Write(request, key, expected_version, retry_safe=retry_safe)


def delete_write(
    table: str,
    schema: EntitySchema[Any],
    key: Item,
    condition: Condition[Any] | None,
    expected_version: int | None,
) -> Write:
    checks = all_of(schema.auto.version_check(expected_version, schema.name), condition)
    request: dict[str, Any] = {"TableName": table, "Key": key}
    request.update(expression_fields(condition=checks))
    return Write(request, key, expected_version)


def check_write(table: str, key: Item, condition: Condition[Any]) -> Write:
    """A ConditionCheck (transactions only): the condition must hold for the item."""
    request: dict[str, Any] = {"TableName": table, "Key": key}
    request.update(expression_fields(condition=condition))
    return Write(request, key)


class GetOptions(TypedDict, total=False):
    """What a GetItem takes besides its key: `items.get_item` hands them on to `get_request`."""

    consistent_read: bool  # default False
    attributes: Selection | None  # Python names and typed references (nested paths) to project


def get_request(
    table: str, schema: EntitySchema[Any], key: Item, **options: Unpack[GetOptions]
) -> dict[str, Any]:
    """A GetItem (or a transaction's Get) body."""
    check_options("get_request", options, GetOptions)
    request: dict[str, Any] = {"TableName": table, "Key": key}
    if options.get("consistent_read", False):
        request["ConsistentRead"] = True
    attributes = options.get("attributes")
    if attributes is not None:
        request.update(expression_fields(projection=schema.projection(attributes)))
    return request


# ---------------------------------------------------------------- queries and scans


@dataclass(frozen=True)
class Source:
    """What a read reads: the table itself (index None) or one of its indexes."""

    index: str | None
    partition: str  # stored name of its partition key
    sort: str | None  # and of its sort key
    key_names: tuple[str, ...]  # LastEvaluatedKey attributes: table key + index key
    encode_partition: Callable[[Any], AttributeValue]  # with the key checks of its type
    encode_sort: Callable[[Any], AttributeValue] | None = None


@dataclass(frozen=True)
class Read:
    """One fully built Query or Scan (without paging fields) and what its cursors are bound to."""

    operation: Literal["Query", "Scan"]
    request: dict[str, Any]
    key_names: tuple[str, ...]
    filtered: bool

    @cached_property
    def scope(self) -> str:
        """What cursors of this read are bound to: all of the request but its paging fields."""
        return read_scope(self.operation, self.request)


def query_read(
    table: str,
    schema: EntitySchema[Any],
    source: Source,
    partition: object,
    *,
    sort: SortCondition[Any] | None = None,
    filter: Condition[Any] | None = None,
    reverse: bool = False,
    consistent_read: bool = False,
    attributes: Selection | None = None,
    count: bool = False,
) -> Read:
    """A Query: the partition key is required by construction (no silent scans)."""
    if sort is not None and source.sort is None:
        raise ValidationError("this table or index has no sort key to put a condition on")
    value = source.encode_partition(partition)
    key = KeyCondition(source.partition, value, sort, source.sort, source.encode_sort)
    request = _read_request(table, schema, source, key, filter, attributes, consistent_read, count)
    if reverse:
        request["ScanIndexForward"] = False
    return Read("Query", request, source.key_names, filter is not None)


def scan_read(
    table: str,
    schema: EntitySchema[Any],
    source: Source,
    *,
    filter: Condition[Any] | None = None,
    consistent_read: bool = False,
    attributes: Selection | None = None,
    count: bool = False,
) -> Read:
    request = _read_request(table, schema, source, None, filter, attributes, consistent_read, count)
    return Read("Scan", request, source.key_names, filter is not None)


def segment_read(read: Read, segment: int, segments: int) -> Read:
    """The same scan, restricted to one segment; its cursors are bound to that segment."""
    if not (
        isinstance(segment, int)
        and isinstance(segments, int)
        and not isinstance(segment, bool)
        and not isinstance(segments, bool)
        and 0 <= segment < segments <= MAX_SEGMENTS
    ):
        raise ValidationError(
            f"segment must be (n, total) with 0 <= n < total <= {MAX_SEGMENTS}, "
            f"got {(segment, segments)!r}"
        )
    request = {**read.request, "Segment": segment, "TotalSegments": segments}
    return replace(read, request=request)


def _read_request(
    table: str,
    schema: EntitySchema[Any],
    source: Source,
    key: KeyCondition | None,
    filter: Condition[Any] | None,
    attributes: Selection | None,
    consistent_read: bool,
    count: bool,
) -> dict[str, Any]:
    request: dict[str, Any] = {"TableName": table}
    if source.index is not None:
        request["IndexName"] = source.index
    # Sorted: the same attributes in any order are the same read, and so the same cursor scope.
    projection = (
        None if attributes is None else sorted(schema.projection(attributes), key=path_order)
    )
    request.update(expression_fields(key=key, filter=filter, projection=projection))
    if consistent_read:
        request["ConsistentRead"] = True
    if count:
        request["Select"] = "COUNT"
    return request


def check_positive(name: str, value: int | None) -> None:
    """`limit`, `page_size`, `segments`, `concurrency`: whole numbers of at least 1."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError(f"{name} must be a whole number of at least 1, got {value!r}")


def check_options(function: str, options: Mapping[str, object], declared: type[Any]) -> None:
    """Refuse keyword arguments that the TypedDict `declared` of `function`'s `**options` does
    not name, as Python refuses an unknown keyword of a function that spells its parameters."""
    for name in options:  # no set built: this runs on every item request, often twice
        if name not in declared.__annotations__:  # (put_item, then tx_put), so it stays cheap
            raise TypeError(f"{function}() got an unexpected keyword argument {name!r}")


def check_many(values: Iterable[T], what: str) -> Iterable[T]:
    """Refuse a lone string or bytes where a collection of keys or items is meant."""
    if isinstance(values, (str, bytes, bytearray)):
        raise ValidationError(
            f"{what} must be an iterable of {what}, not a single {type(values).__name__}"
        )
    return values
