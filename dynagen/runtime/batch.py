"""BatchGetItem and BatchWriteItem: any number of keys or items, split into DynamoDB's limits,
unprocessed ones retried with backoff until done or the retry budget is spent.

When the budget runs out, UnprocessedItems says how many were done and holds the rest, so
nothing is dropped silently.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping, Sequence

from dynagen.runtime.codec import check_item_size
from dynagen.runtime.errors import RetriesExhausted, Throttled, UnprocessedItems, ValidationError
from dynagen.runtime.types import AttributeValue, Item

if TYPE_CHECKING:
    from dynagen.runtime.table import TableRuntime

GET_CHUNK = 100
WRITE_CHUNK = 25
WriteRequest = tuple[Literal["put", "delete"], Item]


def key_identity(key: Mapping[str, AttributeValue]) -> tuple[tuple[str, str, object], ...]:
    """A hashable identity of a wire key, for de-duplication and ordering."""
    out = []
    for name in sorted(key):
        wire = key[name]
        kind, value = next(iter(wire.items()))
        if isinstance(value, (bytearray, memoryview)):  # unhashable binary forms
            value = bytes(value)
        elif kind == "N":
            value = Decimal(str(value))  # 1, 1.0 and 1E0 are one key to DynamoDB
        out.append((name, kind, value))
    return tuple(out)


def _chunks(values: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def _check_concurrency(concurrency: int) -> None:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValidationError(
            f"concurrency must be a whole number of at least 1, got {concurrency!r}"
        )


def batch_get(
    table: TableRuntime,
    keys: Iterable[Item],
    *,
    consistent_read: bool = False,
    concurrency: int = 1,
) -> list[dict[str, AttributeValue]]:
    """Items for the distinct keys, in the order the keys were first given; missing ones left out."""
    _check_concurrency(concurrency)
    distinct: dict[object, Item] = {}
    for key in keys:
        distinct.setdefault(key_identity(key), key)
    chunks = _chunks(list(distinct.values()), GET_CHUNK)
    results = _run(lambda chunk: _get_chunk(table, chunk, consistent_read), chunks, concurrency)
    found: dict[object, dict[str, AttributeValue]] = {}
    leftovers: list[Item] = []
    for items, unread in results:
        leftovers.extend(unread)
        for raw in items:
            found[key_identity({name: raw[name] for name in table.key_names})] = raw
    if leftovers:
        raise UnprocessedItems(
            f"BatchGetItem on table {table.name!r}: {len(leftovers)} of {len(distinct)} keys still "
            f"unprocessed after {table.retry.max_attempts} attempts",
            done=len(distinct) - len(leftovers),
            remaining=leftovers,
        )
    return [found[identity] for identity in distinct if identity in found]


def _get_chunk(
    table: TableRuntime, chunk: Sequence[Item], consistent_read: bool
) -> tuple[list[dict[str, AttributeValue]], list[Item]]:
    """(items read, keys still unprocessed when the budget ran out)."""
    pending: list[Item] = list(chunk)
    items: list[dict[str, AttributeValue]] = []
    for attempt in range(table.retry.max_attempts):
        if attempt:
            table.retry.backoff(attempt - 1)
        request = {
            "RequestItems": {table.name: {"Keys": pending, "ConsistentRead": consistent_read}}
        }
        try:
            response = table.send("batch_get_item", request)
        except (Throttled, RetriesExhausted):
            break  # this request's own budget is spent: report the keys, do not lose the rest
        items.extend(response.get("Responses", {}).get(table.name, []))
        pending = response.get("UnprocessedKeys", {}).get(table.name, {}).get("Keys", [])
        if not pending:
            break
    return items, pending


def batch_write(
    table: TableRuntime, requests: Iterable[WriteRequest], *, concurrency: int = 1
) -> int:
    """Put and delete in chunks of 25; returns how many requests were written.

    Requests for the same key are merged, the last one winning (as sequential writes would),
    because DynamoDB refuses a batch naming one key twice.
    """
    _check_concurrency(concurrency)
    merged: dict[object, WriteRequest] = {}
    for kind, item in requests:
        if kind == "put":
            check_item_size(item, table.entity)
        key = {name: item[name] for name in table.key_names}
        identity = key_identity(key)
        merged.pop(identity, None)  # keep the order of the last occurrence
        merged[identity] = (kind, item if kind == "put" else key)
    chunks = _chunks(list(merged.values()), WRITE_CHUNK)
    leftovers: list[dict[str, Any]] = []
    for unprocessed in _run(lambda chunk: _write_chunk(table, chunk), chunks, concurrency):
        leftovers.extend(unprocessed)
    if leftovers:
        raise UnprocessedItems(
            f"BatchWriteItem on table {table.name!r}: {len(leftovers)} of {len(merged)} requests still "
            f"unprocessed after {table.retry.max_attempts} attempts; the rest were written",
            done=len(merged) - len(leftovers),
            remaining=leftovers,
        )
    return len(merged)


def _write_chunk(table: TableRuntime, chunk: Sequence[WriteRequest]) -> list[dict[str, Any]]:
    """Write one chunk; returns the requests still unprocessed when the budget ran out."""
    pending: list[dict[str, Any]] = [
        {"PutRequest": {"Item": item}} if kind == "put" else {"DeleteRequest": {"Key": item}}
        for kind, item in chunk
    ]
    for attempt in range(table.retry.max_attempts):
        if attempt:
            table.retry.backoff(attempt - 1)
        try:
            response = table.send("batch_write_item", {"RequestItems": {table.name: pending}})
        except (Throttled, RetriesExhausted):
            break  # reported in UnprocessedItems.remaining (upserts: safe to send again)
        pending = response.get("UnprocessedItems", {}).get(table.name, [])
        if not pending:
            break
    return pending


def _run(work: Any, chunks: list[Sequence[Any]], concurrency: int) -> list[Any]:
    """Run `work` over the chunks, in threads when asked; results in chunk order."""
    if concurrency == 1 or len(chunks) <= 1:
        return [work(chunk) for chunk in chunks]
    workers = min(concurrency, len(chunks))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dynagen-batch") as pool:
        return list(pool.map(work, chunks))
