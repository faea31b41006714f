"""Query, scan and count: request assembly, lazy iteration, pages with cursors, parallel scan.

A `Read` is one fully built request (without paging fields) plus what its cursors are bound to;
the functions here page through it. Nothing is fetched before the caller asks for items.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Literal, Mapping, Sequence, TypeVar

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions import Condition, ExpressionBuilder, Path
from dynagen.runtime.keys import SortCondition
from dynagen.runtime.pages import Page, decode_cursor, encode_cursor
from dynagen.runtime.types import AttributeValue

if TYPE_CHECKING:
    from dynagen.runtime.table import TableRuntime

T = TypeVar("T")
Decode = Callable[[Mapping[str, AttributeValue]], T]
MAX_SEGMENTS = 1_000_000
_DONE = object()


@dataclass(frozen=True)
class Read:
    kind: Literal["query", "scan"]
    request: dict[str, Any]
    scope: str  # what cursors of this read are bound to
    key_names: tuple[str, ...]  # the attributes of LastEvaluatedKey (table key + index key)
    filtered: bool


def query_read(
    table: TableRuntime,
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
    """A Query request: the partition key is required by construction (no silent scans)."""
    builder = ExpressionBuilder()
    name, value = partition
    key_condition = f"{builder.path(Path(name))} = {builder.value(value)}"
    if sort is not None:
        if sort_name is None or sort_encode is None:
            raise ValidationError("this table or index has no sort key to put a condition on")
        key_condition += f" AND {sort.render(builder, Path(sort_name), sort_encode)}"
    request: dict[str, Any] = {"TableName": table.name, "KeyConditionExpression": key_condition}
    if index is not None:
        request["IndexName"] = index
    _common(request, builder, filter, projection, consistent_read, count)
    if reverse:
        request["ScanIndexForward"] = False
    digest = hashlib.sha256(json.dumps(value, sort_keys=True, default=repr).encode()).hexdigest()[
        :16
    ]
    scope = f"{table.name}/{index or ''}/query/{digest}"
    return Read("query", request, scope, tuple(key_names), filter is not None)


def scan_read(
    table: TableRuntime,
    *,
    index: str | None,
    key_names: Sequence[str],
    filter: Condition[Any] | None = None,
    consistent_read: bool = False,
    projection: Sequence[str] | None = None,
    count: bool = False,
) -> Read:
    builder = ExpressionBuilder()
    request: dict[str, Any] = {"TableName": table.name}
    if index is not None:
        request["IndexName"] = index
    _common(request, builder, filter, projection, consistent_read, count)
    return Read(
        "scan", request, f"{table.name}/{index or ''}/scan", tuple(key_names), filter is not None
    )


def _common(
    request: dict[str, Any],
    builder: ExpressionBuilder,
    filter: Condition[Any] | None,
    projection: Sequence[str] | None,
    consistent_read: bool,
    count: bool,
) -> None:
    if filter is not None:
        request["FilterExpression"] = filter.render(builder)
    if projection is not None:
        if isinstance(projection, str) or not projection:
            raise ValidationError("attributes must be a non-empty list of attribute names")
        request["ProjectionExpression"] = builder.projection(Path(name) for name in projection)
    if consistent_read:
        request["ConsistentRead"] = True
    if count:
        request["Select"] = "COUNT"
    builder.apply(request)


def _check_positive(name: str, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValidationError(f"{name} must be a whole number of at least 1, got {value!r}")


def _send(table: TableRuntime, read: Read, request: dict[str, Any]) -> Any:
    return table.send("query" if read.kind == "query" else "scan", request)


def iterate(
    table: TableRuntime, read: Read, decode: Decode[T], *, limit: int | None = None
) -> Iterator[T]:
    """Items one by one, fetching the next page only when the caller gets there."""
    _check_positive("limit", limit)
    return _iterate(table, read, decode, limit)


def _iterate(table: TableRuntime, read: Read, decode: Decode[T], limit: int | None) -> Iterator[T]:
    remaining = limit
    request = dict(read.request)
    while True:
        if remaining is not None and not read.filtered:
            request["Limit"] = remaining  # without a filter, no need to read more than asked
        response = _send(table, read, request)
        items = response.get("Items", ())
        last = response.get("LastEvaluatedKey")
        del response  # hold one page at a time: memory stays flat however long the result
        for raw in items:
            yield decode(raw)
            if remaining is not None:
                remaining -= 1
                if remaining == 0:
                    return
        del items
        if not last:
            return
        request["ExclusiveStartKey"] = last


def page(
    table: TableRuntime,
    read: Read,
    decode: Decode[T],
    *,
    cursor: str | None = None,
    page_size: int | None = None,
) -> Page[T]:
    """One request's worth of items; with a filter a page may hold fewer than page_size (even none)."""
    _check_positive("page_size", page_size)
    request = dict(read.request)
    if cursor is not None:
        request["ExclusiveStartKey"] = decode_cursor(cursor, read.scope, read.key_names)
    if page_size is not None:
        request["Limit"] = page_size
    response = _send(table, read, request)
    items = [decode(raw) for raw in response.get("Items", ())]
    last = response.get("LastEvaluatedKey")
    return Page(items, encode_cursor(read.scope, last) if last else None)


def count(table: TableRuntime, read: Read) -> int:
    """Select=COUNT over every page."""
    total = 0
    request = dict(read.request)
    while True:
        response = _send(table, read, request)
        total += int(response.get("Count", 0))
        last = response.get("LastEvaluatedKey")
        if not last:
            return total
        request["ExclusiveStartKey"] = last


def segment_read(read: Read, segment: int, segments: int) -> Read:
    """The same scan, restricted to one segment; its cursors are bound to that segment."""
    request = {**read.request, "Segment": segment, "TotalSegments": segments}
    return replace(read, request=request, scope=f"{read.scope}/{segment}of{segments}")


def parallel_scan(
    table: TableRuntime, read: Read, decode: Decode[T], *, segments: int, limit: int | None = None
) -> Iterator[T]:
    """Scan with `segments` threads sharing one client; items are yielded as pages arrive."""
    _check_positive("limit", limit)
    _check_positive("segments", segments)
    if segments > MAX_SEGMENTS:
        raise ValidationError(f"segments must be at most {MAX_SEGMENTS}")
    if segments == 1:
        return _iterate(table, read, decode, limit)
    return _parallel(table, read, decode, segments, limit)


def _parallel(
    table: TableRuntime, read: Read, decode: Decode[T], segments: int, limit: int | None
) -> Iterator[T]:
    pages: queue.Queue[object] = queue.Queue(maxsize=segments * 2)  # bounded: memory stays flat
    stop = threading.Event()

    def worker(segment: int) -> None:
        request = dict(segment_read(read, segment, segments).request)
        try:
            while not stop.is_set():
                response = _send(table, read, request)
                _put(response.get("Items", []))
                last = response.get("LastEvaluatedKey")
                if not last:
                    break
                request["ExclusiveStartKey"] = last
        except BaseException as error:  # handed to the consumer, raised there
            _put(error)
        finally:
            _put(_DONE)

    def _put(value: object) -> None:
        while not stop.is_set():
            try:
                pages.put(value, timeout=0.1)
                return
            except queue.Full:
                continue

    pool = ThreadPoolExecutor(max_workers=segments, thread_name_prefix="dynagen-scan")
    for segment in range(segments):
        pool.submit(worker, segment)
    finished = 0
    remaining = limit
    try:
        while finished < segments:
            value = pages.get()
            if value is _DONE:
                finished += 1
                continue
            if isinstance(value, BaseException):
                raise value
            for raw in value:  # type: ignore[attr-defined]
                yield decode(raw)
                if remaining is not None:
                    remaining -= 1
                    if remaining == 0:
                        return
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
