"""BatchGetItem and BatchWriteItem: any number of keys or items, split into DynamoDB's limits.

Each chunk is sent with one retry budget: its transport retries and the re-sending of what
DynamoDB left unprocessed draw on the same `max_attempts`. When the budget runs out,
UnprocessedItems says how many were done and holds the rest, so nothing is dropped silently.

A BatchGetItem answer must hold only items for keys that were asked for, each with its whole
key: one that does not (an item without its key attributes, or under a key nobody asked for)
would make a requested item look absent. Such an answer is a BadResponse: it is discarded and
the same keys are asked again, within the chunk's budget.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Iterable,
    Literal,
    Mapping,
    Sequence,
    TypedDict,
    TypeVar,
)

from dynagen.runtime.auto import WriteMode
from dynagen.runtime.codec import utc_now
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import BadResponse, RetriesExhausted, Throttled, UnprocessedItems
from dynagen.runtime.expressions import Path, Selection, expression_fields
from dynagen.runtime.requests import check_many, check_options, check_positive
from dynagen.runtime.responses import is_key
from dynagen.runtime.schema import EntitySchema
from dynagen.runtime.types import AttributeValue, Item
from dynagen.runtime.undecodable import SKIPPED, tolerant
from dynagen.runtime.wire import check_item_size, describe_key, key_identity

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11

T = TypeVar("T")
GET_CHUNK = 100
WRITE_CHUNK = 25
_PUT: WriteMode = "put"


class BatchGetOptions(TypedDict, total=False):
    """The keyword arguments of `batch_get` beside its projection, checked by name at run time."""

    consistent_read: bool  # default False
    concurrency: int  # default 1: how many chunks are sent at once


def batch_get(
    endpoint: Endpoint,
    schema: EntitySchema[Any],
    keys: Iterable[Item],
    decode: Callable[[Mapping[str, AttributeValue]], T],
    *,
    attributes: Selection | None = None,
    **options: Unpack[BatchGetOptions],
) -> list[T]:
    """Items for the distinct keys, in the order the keys were first given; missing ones left out.

    Each is decoded by `decode`, as every read names its decoder: the entity's, or with
    `attributes` (only those paths are read, and the key attributes with them: each answer must
    say which key it is for) its partial class's."""
    check_options("batch_get", options, BatchGetOptions)
    concurrency = options.get("concurrency", 1)
    check_positive("concurrency", concurrency)
    shape: dict[str, Any] = {"ConsistentRead": options.get("consistent_read", False)}
    if attributes is not None:
        shape.update(expression_fields(projection=_with_key(schema, attributes)))
    distinct: dict[object, Item] = {}
    for key in check_many(keys, "keys"):
        distinct.setdefault(key_identity(key), key)
    table = endpoint.table_name

    def request(pending: list[Any]) -> dict[str, Any]:
        return {"RequestItems": {table: {"Keys": pending, **shape}}}

    def check(items: list[Any], pending: list[Any]) -> None:
        _check_batch_items(schema, items, pending)

    def work(chunk: list[Any]) -> tuple[list[Any], list[Any]]:
        return _send_chunk(endpoint, "BatchGetItem", chunk, request, "UnprocessedKeys", check)

    found: dict[object, Item] = {}
    leftovers: list[Item] = []
    chunks = _chunks(list(distinct.values()), GET_CHUNK)
    for items, unread in _run(endpoint, work, chunks, concurrency):
        leftovers.extend(unread)
        for raw in items:
            found[key_identity(schema.key_of(raw))] = raw
    _report(endpoint, "BatchGetItem", leftovers, len(distinct), "keys", "")
    read_one = tolerant(decode, endpoint.on_decode_error, table)
    read = [read_one(found[identity]) for identity in distinct if identity in found]
    return [item for item in read if item is not SKIPPED]


def _with_key(schema: EntitySchema[Any], attributes: Selection) -> list[Path]:
    """The projection's paths, then the key attributes it lacks."""
    paths = schema.projection(attributes)
    return paths + [Path(name) for name in schema.key_names if Path(name) not in paths]


def batch_put(
    endpoint: Endpoint, schema: EntitySchema[T], items: Iterable[Item], *, concurrency: int = 1
) -> list[T]:
    """Put any number of items; returns them as stored.

    Batch writes carry no conditions, so versions are not checked: each item is stored with its
    version + 1, last writer wins. Timestamps are set as `put` sets them.
    """
    now = utc_now()
    stored = [schema.auto.stamp(item, _PUT, now)[0] for item in check_many(items, "items")]
    for item in stored:
        check_item_size(item, schema.name)
    _write(endpoint, schema, [("put", item) for item in stored], concurrency)
    return [schema.decode(item) for item in stored]


def batch_delete(
    endpoint: Endpoint, schema: EntitySchema[Any], keys: Iterable[Item], *, concurrency: int = 1
) -> None:
    """Delete any number of items by key."""
    _write(endpoint, schema, [("delete", key) for key in check_many(keys, "keys")], concurrency)


def _write(
    endpoint: Endpoint,
    schema: EntitySchema[Any],
    requests: list[tuple[Literal["put", "delete"], Item]],
    concurrency: int,
) -> None:
    """Put and delete in chunks of 25.

    Requests for the same key are merged, the last one winning (as sequential writes would),
    because DynamoDB refuses a batch naming one key twice.
    """
    check_positive("concurrency", concurrency)
    merged: dict[object, dict[str, Any]] = {}
    for action, item in requests:
        key = schema.key_of(item)
        identity = key_identity(key)
        merged.pop(identity, None)  # keep the order of the last occurrence
        merged[identity] = (
            {"PutRequest": {"Item": item}} if action == "put" else {"DeleteRequest": {"Key": key}}
        )
    table = endpoint.table_name

    def request(pending: list[Any]) -> dict[str, Any]:
        return {"RequestItems": {table: pending}}

    def work(chunk: list[Any]) -> list[Any]:
        return _send_chunk(endpoint, "BatchWriteItem", chunk, request, "UnprocessedItems")[1]

    leftovers: list[Any] = []
    for unprocessed in _run(
        endpoint, work, _chunks(list(merged.values()), WRITE_CHUNK), concurrency
    ):
        leftovers.extend(unprocessed)
    _report(
        endpoint, "BatchWriteItem", leftovers, len(merged), "requests", "; the rest were written"
    )


def _send_chunk(
    endpoint: Endpoint,
    operation: str,
    chunk: list[Any],
    request: Callable[[list[Any]], dict[str, Any]],
    unprocessed_field: str,
    check: Callable[[list[Any], list[Any]], None] | None = None,
) -> tuple[list[Any], list[Any]]:
    """Send one chunk until nothing is left unprocessed or its one budget is spent.

    Returns (items read, what is still unprocessed). Throttling or transient failures that
    outlive the budget leave the rest reported, not lost (upserts and deletes: safe to resend).
    `check(items, pending)` may refuse an answer with BadResponse: it is then sent again (reads
    only: asking for the same keys twice is harmless).
    """
    table = endpoint.table_name
    budget = endpoint.budget()
    pending = chunk
    items: list[Any] = []
    while pending and budget.left:
        try:
            response = endpoint.send(operation, request(pending), budget=budget)
        except (Throttled, RetriesExhausted):
            break
        got = response.get("Responses", {}).get(table, [])
        if check is not None:
            try:
                check(got, pending)
            except BadResponse:
                continue  # the whole answer is discarded; the same keys are asked again
        items.extend(got)
        left = response.get(unprocessed_field, {}).get(table, [])
        pending = left.get("Keys", []) if isinstance(left, dict) else left
    return items, pending


def _check_batch_items(schema: EntitySchema[Any], items: list[Any], pending: list[Any]) -> None:
    """Every item read has its whole key, and it is one of the keys asked for."""
    asked = {key_identity(key) for key in pending}
    for item in items:
        missing = [name for name in schema.key_names if name not in item]
        if missing:
            raise BadResponse(
                operation="BatchGetItem",
                detail=f"an item of {schema.name} lacks its key attribute {missing[0]!r}",
            )
        key = schema.key_of(item)
        if not is_key(key):
            raise BadResponse(
                operation="BatchGetItem",
                detail=f"an item of {schema.name} has a key that is not S, N or B: {key!r:.200}",
            )
        if key_identity(key) not in asked:
            raise BadResponse(
                operation="BatchGetItem",
                detail=f"an item came back for a key that was not asked for ({describe_key(key)})",
            )


def _report(
    endpoint: Endpoint, operation: str, leftovers: list[Any], total: int, what: str, rest: str
) -> None:
    """Nothing is dropped silently: what the budget left unprocessed is raised, with the count done."""
    if leftovers:
        raise UnprocessedItems(
            f"{operation} on table {endpoint.table_name!r}: {len(leftovers)} of {total} {what} "
            f"still unprocessed after {endpoint.retry.max_attempts} attempts{rest}",
            done=total - len(leftovers),
            remaining=leftovers,
        )


def _chunks(values: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(values[start : start + size]) for start in range(0, len(values), size)]


def _run(
    endpoint: Endpoint, work: Callable[[list[Any]], Any], chunks: list[list[Any]], concurrency: int
) -> list[Any]:
    """Run `work` over the chunks, in threads when asked; results in chunk order.

    Each thread sends one chunk at a time on a kept-alive connection of its own: the direct
    transport keeps at least as many idle connections as there are threads (no thread waits
    for another's request: nothing is locked while a request is under way), and each chunk has
    its own budget, so concurrency changes how soon the chunks are done, never how many requests
    one chunk may send.
    """
    if concurrency == 1 or len(chunks) <= 1:
        return [work(chunk) for chunk in chunks]
    workers = min(concurrency, len(chunks))
    if endpoint.transport is not None:
        endpoint.transport.keep_connections(workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dynagen-batch") as pool:
        return list(pool.map(work, chunks))
