"""Query, scan and count, sent through the endpoint: lazy iteration, pages with cursors, parallel scan.

A `requests.Read` is one fully built request; the functions here page through it. Nothing is
fetched before the caller asks for items, and only one page is held at a time.

Every read pages through `_pages` (iteration, `count`, each parallel-scan segment), and `page`
sends one request from a cursor: both refuse a LastEvaluatedKey that was seen before in the
same read (a server that never advances would otherwise make them loop forever), raising
PagingStalled before the items of that answer are used.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator, Mapping, TypeVar, cast

from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import PagingStalled, ValidationError
from dynagen.runtime.pages import Cursor, Page, decode_cursor, encode_cursor
from dynagen.runtime.requests import MAX_SEGMENTS, Read, check_positive, segment_read
from dynagen.runtime.types import AttributeValue
from dynagen.runtime.undecodable import SKIPPED, tolerant
from dynagen.runtime.wire import describe_key, key_identity

T = TypeVar("T")
C = TypeVar("C", bound=Cursor)
Decode = Callable[[Mapping[str, AttributeValue]], T]
_DONE = object()


def iterate(
    endpoint: Endpoint, read: Read, decode: Decode[T], *, limit: int | None = None
) -> Iterator[T]:
    """Items one by one, fetching the next page only when the caller gets there."""
    check_positive("limit", limit)
    return _iterate(endpoint, read, decode, limit)


def _iterate(endpoint: Endpoint, read: Read, decode: Decode[T], limit: int | None) -> Iterator[T]:
    pages = (items for items, _ in _pages(endpoint, read, dict(read.request), limit))
    return _decode(pages, tolerant(decode, endpoint.on_decode_error, endpoint.table_name), limit)


def _pages(
    endpoint: Endpoint, read: Read, request: dict[str, Any], limit: int | None = None
) -> Iterator[tuple[list[Any], int]]:
    """(items, count) of each page in turn, fetched only when the caller asks for the next one.

    Without a filter, no page asks for more than the `limit` still wanted (every item of the
    pages before has been handed out by then). Each position (LastEvaluatedKey) must be new:
    the keys seen so far are kept (one per page, a small fraction of what the pages held).
    """
    handed_out = 0
    seen: set[object] = set()
    if request.get("ExclusiveStartKey"):
        seen.add(key_identity(request["ExclusiveStartKey"]))
    while True:
        if limit is not None and not read.filtered:
            request["Limit"] = limit - handed_out
        response = endpoint.send(read.operation, request)
        items = response.get("Items", [])
        counted = int(response.get("Count", 0))
        last = response.get("LastEvaluatedKey")
        del response  # hold one page at a time: memory stays flat however long the result
        if last:
            position = key_identity(last)
            if position in seen:
                raise _stalled(endpoint, read, last)
            seen.add(position)
        handed_out += len(items)
        yield items, counted
        del items
        if not last:
            return
        request["ExclusiveStartKey"] = last


def _decode(pages: Iterator[list[Any]], decode: Decode[T], limit: int | None) -> Iterator[T]:
    """The items of the pages, decoded, stopping after `limit` of them (an item handed to the
    on_decode_error policy counts: `limit` is how many items the read takes)."""
    remaining = limit
    for items in pages:
        for raw in items:
            value = decode(raw)
            if value is not SKIPPED:
                yield value
            if remaining is not None:
                remaining -= 1
                if remaining == 0:
                    return


def page(
    endpoint: Endpoint,
    read: Read,
    decode: Decode[T],
    *,
    cursor_type: type[C],
    cursor: str | None = None,
    page_size: int | None = None,
    segment: tuple[int, int] | None = None,
) -> Page[T, C]:
    """One request's worth of items; with a filter a page may hold fewer than page_size (even none).

    The next page's cursor is a `cursor_type`, the generated cursor class of the calling read;
    the cursor given may be any str (untyped callers), and its scope is checked all the same.
    """
    check_positive("page_size", page_size)
    if segment is not None:
        if not isinstance(segment, tuple) or len(segment) != 2:
            raise ValidationError(f"segment must be (n, total), got {segment!r}")
        read = segment_read(read, *segment)
    request = dict(read.request)
    if cursor is not None:
        request["ExclusiveStartKey"] = decode_cursor(cursor, read.scope, read.key_names)
    if page_size is not None:
        request["Limit"] = page_size
    response = endpoint.send(read.operation, request)
    last = response.get("LastEvaluatedKey")
    start = request.get("ExclusiveStartKey")
    if last and start and key_identity(last) == key_identity(start):
        raise _stalled(endpoint, read, last)
    read_one = tolerant(decode, endpoint.on_decode_error, endpoint.table_name)
    items = [item for item in map(read_one, response.get("Items", ())) if item is not SKIPPED]
    return Page(items, cursor_type(encode_cursor(read.scope, last)) if last else None)


def _stalled(endpoint: Endpoint, read: Read, key: Mapping[str, Any]) -> PagingStalled:
    index_name = read.request.get("IndexName")
    index = f" (index {index_name!r})" if index_name else ""
    return PagingStalled(
        f"{read.operation} on table {endpoint.table_name!r}{index} does not advance: "
        f"DynamoDB answered with LastEvaluatedKey {{{describe_key(key)}}}, a position it had "
        "already given in this read; paging would never end",
        operation=read.operation,
        table=endpoint.table_name,
        key=key,
    )


def count(endpoint: Endpoint, read: Read) -> int:
    """Select=COUNT over every page."""
    return sum(counted for _, counted in _pages(endpoint, read, dict(read.request)))


def scan(
    endpoint: Endpoint,
    read: Read,
    decode: Decode[T],
    *,
    segments: int = 1,
    limit: int | None = None,
) -> Iterator[T]:
    """Scan with `segments` threads sharing one client; items are yielded as pages arrive."""
    check_positive("limit", limit)
    check_positive("segments", segments)
    if segments > MAX_SEGMENTS:
        raise ValidationError(f"segments must be at most {MAX_SEGMENTS}")
    if segments == 1:
        return _iterate(endpoint, read, decode, limit)
    return _parallel(endpoint, read, decode, segments, limit)


def _parallel(
    endpoint: Endpoint, read: Read, decode: Decode[T], segments: int, limit: int | None
) -> Iterator[T]:
    pages: queue.Queue[object] = queue.Queue(maxsize=segments * 2)  # bounded: memory stays flat
    stop = threading.Event()

    def worker(segment: int) -> None:
        request = dict(segment_read(read, segment, segments).request)
        try:
            for items, _ in _pages(endpoint, read, request):
                if stop.is_set():
                    break
                _put(items)
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

    def arrived() -> Iterator[list[Any]]:
        finished = 0
        while finished < segments:
            value = pages.get()
            if value is _DONE:
                finished += 1
            elif isinstance(value, BaseException):
                raise value
            else:
                yield cast("list[Any]", value)

    try:
        yield from _decode(
            arrived(), tolerant(decode, endpoint.on_decode_error, endpoint.table_name), limit
        )
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
