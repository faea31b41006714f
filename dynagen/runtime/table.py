"""The engine behind every generated table class: requests, conditions, versions and errors.

Generated code does the typed part (marshal, unmarshal, which attributes are automatic) and
calls in here with wire items; this module builds the requests, sends them through the retry
policy and turns condition failures into ItemAlreadyExists / ItemNotFound / VersionConflict /
ConditionFailed carrying the item as it was stored.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence, TypeVar

from botocore.exceptions import ClientError

from dynagen.runtime.client import check_table_name, make_client
from dynagen.runtime.codec import check_item_size, same_item
from dynagen.runtime.errors import (
    ConditionFailed,
    DynagenError,
    ItemAlreadyExists,
    ItemNotFound,
    TableNotFound,
    ValidationError,
    VersionConflict,
    from_botocore,
)
from dynagen.runtime.expressions import (
    Condition,
    ExpressionBuilder,
    Path,
    Update,
    all_of,
    attribute_exists,
    attribute_not_exists,
    equals,
)
from dynagen.runtime import batch, reads
from dynagen.runtime.keys import SortCondition
from dynagen.runtime.pages import Page
from dynagen.runtime.reads import Read
from dynagen.runtime.retry import DEFAULT_RETRY, RetryPolicy, call_with_retry
from dynagen.runtime.types import AttributeValue, DynamoDBClient, Item

T = TypeVar("T")
Decode = Callable[[Mapping[str, AttributeValue]], Any]
WriteKind = Literal["create", "put", "update", "delete"]

_CONDITION_FAILED = frozenset({"ConditionalCheckFailedException"})
_OPERATION_NAMES = {
    "put_item": "PutItem",
    "get_item": "GetItem",
    "update_item": "UpdateItem",
    "delete_item": "DeleteItem",
    "create_table": "CreateTable",
    "delete_table": "DeleteTable",
    "describe_table": "DescribeTable",
    "update_time_to_live": "UpdateTimeToLive",
    "describe_time_to_live": "DescribeTimeToLive",
    "query": "Query",
    "scan": "Scan",
    "batch_get_item": "BatchGetItem",
    "batch_write_item": "BatchWriteItem",
    "transact_write_items": "TransactWriteItems",
    "transact_get_items": "TransactGetItems",
}


class TableRuntime:
    """One physical table as generated code sees it."""

    def __init__(
        self,
        client: DynamoDBClient | None,
        name: str,
        *,
        entity: str,
        key_names: Sequence[str],
        version_name: str | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.name = check_table_name(name)
        self.client: DynamoDBClient = client if client is not None else make_client()
        self.entity = entity
        self.key_names = tuple(key_names)
        self.version_name = version_name
        self.retry = retry if retry is not None else DEFAULT_RETRY

    # ------------------------------------------------------------ sending

    def send(
        self, method: str, request: dict[str, Any], *, passthrough: frozenset[str] = frozenset()
    ) -> Any:
        """Call a client method through the retry policy, mapping final errors."""
        call = getattr(self.client, method)
        return call_with_retry(
            self.retry,
            lambda: call(**request),
            operation=_OPERATION_NAMES.get(method, method),
            table=self.name,
            passthrough=passthrough,
        )

    # ------------------------------------------------------------ items

    def put_request(
        self,
        item: Item,
        *,
        mode: Literal["create", "put"],
        condition: Condition[Any] | None,
        expected_version: int | None,
    ) -> dict[str, Any]:
        """A Put (for PutItem or a transaction): `create` needs the key free, versions are checked."""
        partition = self.key_names[0]
        checks: list[Condition[Any] | None] = []
        if mode == "create" or expected_version == 0:
            checks.append(attribute_not_exists(partition))
        elif expected_version is not None and self.version_name is not None:
            checks.append(equals(self.version_name, {"N": str(expected_version)}))
        checks.append(condition)
        check_item_size(item, self.entity)
        request: dict[str, Any] = {"TableName": self.name, "Item": item}
        self._add_condition(request, all_of(*checks))
        return request

    def update_request(
        self,
        key: Item,
        update: Update,
        *,
        condition: Condition[Any] | None,
        expected_version: int | None,
    ) -> dict[str, Any]:
        """An Update of an existing item (never creates one), with the version check if asked."""
        checks: list[Condition[Any] | None] = [attribute_exists(self.key_names[0])]
        checks.append(self._version_check(expected_version))
        checks.append(condition)
        builder = ExpressionBuilder()
        request: dict[str, Any] = {
            "TableName": self.name,
            "Key": key,
            "UpdateExpression": update.render(builder),
        }
        self._add_condition(request, all_of(*checks), builder)
        return request

    def delete_request(
        self, key: Item, *, condition: Condition[Any] | None, expected_version: int | None
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"TableName": self.name, "Key": key}
        self._add_condition(request, all_of(self._version_check(expected_version), condition))
        return request

    def check_request(self, key: Item, condition: Condition[Any]) -> dict[str, Any]:
        """A ConditionCheck (transactions only): the condition must hold for the item."""
        request: dict[str, Any] = {"TableName": self.name, "Key": key}
        self._add_condition(request, condition)
        return request

    def put(
        self,
        item: Item,
        *,
        mode: Literal["create", "put"],
        condition: Condition[Any] | None,
        expected_version: int | None,
        decode: Decode,
    ) -> None:
        """PutItem; `create` needs the key free, `expected_version` checks the stored version."""
        request = self.put_request(
            item, mode=mode, condition=condition, expected_version=expected_version
        )
        attempts = 0

        def attempt() -> Any:
            nonlocal attempts
            attempts += 1
            return self.client.put_item(**request)

        try:
            call_with_retry(
                self.retry,
                attempt,
                operation="PutItem",
                table=self.name,
                passthrough=_CONDITION_FAILED,
            )
        except ClientError as error:
            stored = _failed_item(error)
            if attempts > 1 and stored is not None and same_item(stored, item):
                # A retry after an attempt whose reply was lost: that attempt wrote this very
                # item (timestamps and version included), so the write did happen.
                return
            raise self.condition_error(
                stored, mode, self.key_of(item), expected_version, decode
            ) from None

    def get(
        self, key: Item, *, consistent_read: bool = False, projection: Sequence[str] | None = None
    ) -> dict[str, AttributeValue] | None:
        request: dict[str, Any] = {
            "TableName": self.name,
            "Key": key,
            "ConsistentRead": consistent_read,
        }
        if projection:
            builder = ExpressionBuilder()
            request["ProjectionExpression"] = builder.projection(Path(name) for name in projection)
            builder.apply(request)
        response = self.send("get_item", request)
        item: dict[str, AttributeValue] | None = response.get("Item")
        return item

    def update(
        self,
        key: Item,
        update: Update,
        *,
        condition: Condition[Any] | None,
        expected_version: int | None,
        decode: Decode,
    ) -> dict[str, AttributeValue]:
        """UpdateItem on an existing item (never creates one); returns the item as stored after it."""
        request = self.update_request(
            key, update, condition=condition, expected_version=expected_version
        )
        request["ReturnValues"] = "ALL_NEW"
        try:
            response = self.send("update_item", request, passthrough=_CONDITION_FAILED)
        except ClientError as error:
            raise self.condition_error(
                _failed_item(error), "update", key, expected_version, decode
            ) from None
        attributes: dict[str, AttributeValue] = response["Attributes"]
        return attributes

    def delete(
        self,
        key: Item,
        *,
        condition: Condition[Any] | None,
        expected_version: int | None,
        decode: Decode,
    ) -> dict[str, AttributeValue] | None:
        """DeleteItem; returns the item as it was, or None if there was none."""
        request = self.delete_request(key, condition=condition, expected_version=expected_version)
        request["ReturnValues"] = "ALL_OLD"
        try:
            response = self.send("delete_item", request, passthrough=_CONDITION_FAILED)
        except ClientError as error:
            raise self.condition_error(
                _failed_item(error), "delete", key, expected_version, decode
            ) from None
        old: dict[str, AttributeValue] | None = response.get("Attributes")
        return old

    def key_of(self, item: Mapping[str, AttributeValue]) -> Item:
        return {name: item[name] for name in self.key_names if name in item}

    def _version_check(self, expected_version: int | None) -> Condition[Any] | None:
        if expected_version is None:
            return None
        if self.version_name is None:
            raise ValidationError(
                f"{self.entity} has no version attribute: expected_version does not apply"
            )
        if (
            isinstance(expected_version, bool)
            or not isinstance(expected_version, int)
            or expected_version < 1
        ):
            raise ValidationError(
                "expected_version must be an int of at least 1 (0 means never written)"
            )
        return equals(self.version_name, {"N": str(expected_version)})

    @staticmethod
    def _add_condition(
        request: dict[str, Any],
        condition: Condition[Any] | None,
        builder: ExpressionBuilder | None = None,
    ) -> None:
        builder = builder if builder is not None else ExpressionBuilder()
        if condition is not None:
            request["ConditionExpression"] = condition.render(builder)
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        builder.apply(request)

    def condition_error(
        self,
        raw: dict[str, AttributeValue] | None,
        kind: WriteKind,
        key: Mapping[str, AttributeValue],
        expected_version: int | None,
        decode: Decode,
    ) -> ConditionFailed:
        """Say which condition failed, from the item DynamoDB returned with the failure."""
        old = _decode_quietly(decode, raw)
        where = f"{self.entity} {describe_key(key)} in table {self.name!r}"
        if kind == "create" and raw is not None:
            return ItemAlreadyExists(f"{where} already exists", item=old, raw_item=raw)
        if kind == "update" and raw is None:
            return ItemNotFound(f"{where} does not exist", item=None, raw_item=None)
        if expected_version is not None and self.version_name is not None:
            actual = stored_version(raw, self.version_name)
            conflict = raw is not None if expected_version == 0 else actual != expected_version
            if conflict:
                stored = "no stored item" if raw is None else f"stored version is {actual}"
                return VersionConflict(
                    f"{where}: version conflict: expected version {expected_version}, {stored}",
                    expected=expected_version,
                    actual=actual,
                    item=old,
                    raw_item=raw,
                )
        return ConditionFailed(f"{where}: the condition was not met", item=old, raw_item=raw)

    # ------------------------------------------------------------ reads and batches

    def query_read(
        self,
        *,
        index: str | None,
        key_names: Sequence[str],
        partition: tuple[str, AttributeValue],
        sort: SortCondition[Any] | None = None,
        sort_name: str | None = None,
        sort_encode: Callable[[Any], AttributeValue] | None = None,
        filter: Condition[Any] | None = None,
        reverse: bool = False,
        consistent_read: bool = False,
        projection: Sequence[str] | None = None,
        count: bool = False,
    ) -> Read:
        return reads.query_read(
            self,
            index=index,
            key_names=key_names,
            partition=partition,
            sort=sort,
            sort_name=sort_name,
            sort_encode=sort_encode,
            filter=filter,
            reverse=reverse,
            consistent_read=consistent_read,
            projection=projection,
            count=count,
        )

    def scan_read(
        self,
        *,
        index: str | None,
        key_names: Sequence[str],
        filter: Condition[Any] | None = None,
        consistent_read: bool = False,
        projection: Sequence[str] | None = None,
        count: bool = False,
    ) -> Read:
        return reads.scan_read(
            self,
            index=index,
            key_names=key_names,
            filter=filter,
            consistent_read=consistent_read,
            projection=projection,
            count=count,
        )

    def items(
        self, read: Read, decode: Callable[[Mapping[str, AttributeValue]], T], *, limit: int | None
    ) -> Iterator[T]:
        return reads.iterate(self, read, decode, limit=limit)

    def scan_items(
        self,
        read: Read,
        decode: Callable[[Mapping[str, AttributeValue]], T],
        *,
        segments: int,
        limit: int | None,
    ) -> Iterator[T]:
        return reads.parallel_scan(self, read, decode, segments=segments, limit=limit)

    def page(
        self,
        read: Read,
        decode: Callable[[Mapping[str, AttributeValue]], T],
        *,
        cursor: str | None,
        page_size: int | None,
        segment: tuple[int, int] | None = None,
    ) -> Page[T]:
        if segment is not None:
            read = reads.segment_read(read, *_check_segment(segment))
        return reads.page(self, read, decode, cursor=cursor, page_size=page_size)

    def count(self, read: Read) -> int:
        return reads.count(self, read)

    def batch_get(
        self, keys: Iterable[Item], *, consistent_read: bool, concurrency: int
    ) -> list[dict[str, AttributeValue]]:
        return batch.batch_get(self, keys, consistent_read=consistent_read, concurrency=concurrency)

    def batch_write(self, requests: Iterable[batch.WriteRequest], *, concurrency: int) -> int:
        return batch.batch_write(self, requests, concurrency=concurrency)

    # ------------------------------------------------------------ the table itself

    def create_table(
        self,
        definition: Mapping[str, Any],
        *,
        ttl_attribute: str | None,
        wait: bool = True,
        exist_ok: bool = False,
        timeout: float = 300.0,
    ) -> None:
        """CreateTable from a spec's definition, then TTL once the table is active."""
        request = {"TableName": self.name, **definition}
        try:
            self.send("create_table", request, passthrough=frozenset({"ResourceInUseException"}))
        except ClientError as error:
            if not exist_ok:
                raise from_botocore(
                    error, operation="CreateTable", table=self.name, attempts=1
                ) from None
        if wait or ttl_attribute:
            self.wait_until_active(timeout=timeout)
        if ttl_attribute:
            current = self.send("describe_time_to_live", {"TableName": self.name})
            description = current.get("TimeToLiveDescription", {})
            if description.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
                self.send(
                    "update_time_to_live",
                    {
                        "TableName": self.name,
                        "TimeToLiveSpecification": {
                            "Enabled": True,
                            "AttributeName": ttl_attribute,
                        },
                    },
                )

    def delete_table(
        self, *, wait: bool = True, missing_ok: bool = False, timeout: float = 300.0
    ) -> None:
        try:
            self.send("delete_table", {"TableName": self.name})
        except TableNotFound:
            if missing_ok:
                return
            raise
        if wait:
            self._poll(lambda: not self._exists(), timeout, "to be deleted")

    def wait_until_active(self, *, timeout: float = 300.0) -> None:
        """Poll DescribeTable until the table and its global indexes are ACTIVE."""

        def active() -> bool:
            table = self.send("describe_table", {"TableName": self.name})["Table"]
            indexes = table.get("GlobalSecondaryIndexes", [])
            return bool(
                table.get("TableStatus") == "ACTIVE"
                and all(i.get("IndexStatus") == "ACTIVE" for i in indexes)
            )

        self._poll(active, timeout, "to become active")

    def _exists(self) -> bool:
        try:
            self.send("describe_table", {"TableName": self.name})
        except TableNotFound:
            return False
        return True

    def _poll(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.02
        while not done():
            if time.monotonic() > deadline:
                raise DynagenError(
                    f"timed out after {timeout:.0f}s waiting for table {self.name!r} {what}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def _check_segment(segment: tuple[int, int]) -> tuple[int, int]:
    number, total = segment
    if not (isinstance(number, int) and isinstance(total, int) and 0 <= number < total):
        raise ValidationError(f"segment must be (n, total) with 0 <= n < total, got {segment!r}")
    return number, total


def stored_version(raw: Mapping[str, AttributeValue] | None, version_name: str) -> int | None:
    """The version of a stored item: None if there is no item, 0 if it never had one."""
    if raw is None:
        return None
    value = raw.get(version_name)
    if value is None or "N" not in value:
        return 0
    return int(value["N"])


def describe_key(key: Mapping[str, AttributeValue]) -> str:
    """`customer_id='c1', order_id='o1'`: a key for messages."""
    parts = []
    for name, wire in key.items():
        value = next(iter(wire.values()), None) if isinstance(wire, Mapping) else wire
        parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def _failed_item(error: ClientError) -> dict[str, AttributeValue] | None:
    """The stored item DynamoDB sends back with a condition failure (ALL_OLD)."""
    item: dict[str, AttributeValue] | None = error.response.get("Item")  # type: ignore[assignment]
    return item


def _decode_quietly(decode: Decode, raw: Mapping[str, AttributeValue] | None) -> Any:
    """The old item for an error; a stored item the spec cannot read stays raw only."""
    if raw is None:
        return None
    try:
        return decode(raw)
    except DynagenError:
        return None
