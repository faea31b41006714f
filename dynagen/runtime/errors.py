"""The errors dynagen raises, and the one classifier that maps botocore failures to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    ReadTimeoutError,
)

# Codes DynamoDB uses for "slow down": retried with backoff, then raised as Throttled.
THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
        "TooManyRequestsException",
    }
)
# Codes for server-side trouble that a later attempt may not meet.
TRANSIENT_CODES = frozenset(
    {
        "InternalServerError",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "TransactionInProgressException",
    }
)


class DynagenError(Exception):
    """Root of every error dynagen raises on purpose."""


class ValidationError(DynagenError, ValueError):
    """A value cannot be stored or sent: caught before any request is made."""


class ItemDecodeError(DynagenError, ValueError):
    """A stored item does not match the spec: names the entity, the attribute and the key."""

    def __init__(
        self, entity: str, attribute: str | None, detail: str, key: Mapping[str, Any] | None = None
    ) -> None:
        self.entity = entity
        self.attribute = attribute
        self.detail = detail
        self.key = dict(key) if key is not None else None
        where = f"attribute {attribute!r}" if attribute else "item"
        suffix = f" (item key {self.key})" if self.key else ""
        super().__init__(f"cannot read {entity}: {where}: {detail}{suffix}")


class InvalidCursor(ValidationError):
    """A page cursor that does not decode, was altered, or belongs to another read (another
    table, index, partition, sort condition, filter, order, projection or scan segment)."""


class ConditionFailed(DynagenError):
    """A write's condition was false. `item` is the stored item at that moment (None if absent,
    or if the spec cannot read it: `raw_item` has it). Generated modules subclass this and the
    three below per entity (`OrderConditionFailed`, `OrderVersionConflict`, ...), with `item`
    typed as the entity; these classes catch them all, with `item` typed Any."""

    def __init__(
        self, message: str, *, item: Any = None, raw_item: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.item = item
        self.raw_item = dict(raw_item) if raw_item is not None else None


class ItemAlreadyExists(ConditionFailed):
    """`create` found an item with the same key."""


class ItemNotFound(ConditionFailed):
    """`update` (or a version-checked write) needs an item that is not there."""


class VersionConflict(ConditionFailed):
    """The stored version is not the one the caller read: someone else wrote in between."""

    def __init__(
        self,
        message: str,
        *,
        expected: int,
        actual: int | None,
        item: Any = None,
        raw_item: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, item=item, raw_item=raw_item)
        self.expected = expected
        self.actual = actual


class CancellationReason:
    """Why one operation of a cancelled transaction failed.

    `index` is its position in the transaction, `operation` says what it was, `code` is
    DynamoDB's reason; for condition failures `item` is the stored item and `error` the
    ConditionFailed / VersionConflict / ItemAlreadyExists / ItemNotFound it amounts to.
    """

    __slots__ = ("index", "code", "message", "item", "raw_item", "operation", "error")

    def __init__(
        self,
        index: int,
        code: str,
        message: str,
        item: Any = None,
        raw_item: Mapping[str, Any] | None = None,
        operation: str = "",
        error: ConditionFailed | None = None,
    ) -> None:
        self.index = index
        self.code = code
        self.message = message
        self.item = item
        self.raw_item = dict(raw_item) if raw_item is not None else None
        self.operation = operation
        self.error = error

    def __repr__(self) -> str:
        return f"CancellationReason(index={self.index}, operation={self.operation!r}, code={self.code!r})"


class TransactionCanceled(DynagenError):
    """A transaction was cancelled; `reasons` holds one entry per failed operation."""

    def __init__(self, message: str, reasons: list[CancellationReason]) -> None:
        super().__init__(message)
        self.reasons = reasons


class DynamoDBError(DynagenError):
    """Any other error DynamoDB answered with; `code` is its error code."""

    def __init__(self, message: str, *, code: str, operation: str) -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation


class TableNotFound(DynamoDBError):
    """The table (or index) does not exist, or is not active yet."""


class Throttled(DynamoDBError):
    """DynamoDB kept throttling until the retry budget ran out."""


class RetriesExhausted(DynagenError):
    """A transient failure outlived the retry budget. `last_error` is the final one;
    `deadline_reached` says the call's deadline (not its attempt count) ended the retries."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        attempts: int,
        last_error: BaseException,
        deadline_reached: bool = False,
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.attempts = attempts
        self.last_error = last_error
        self.deadline_reached = deadline_reached


class OutcomeUnknown(DynagenError):
    """A write may or may not have been applied: an attempt's answer was lost (a dropped
    connection, a timeout, a 5xx answer, a cut-off response), and what followed cannot tell.

    Neither success nor "not written" can be claimed. `item` is the item as stored when the call
    gave up (decoded; None if there is none or it could not be read), `raw_item` its wire form,
    `cause` the last error. Read the item (consistent_read=True) to decide what to do next.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        item: Any = None,
        raw_item: Mapping[str, Any] | None = None,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.item = item
        self.raw_item = dict(raw_item) if raw_item is not None else None
        self.cause = cause


class UnprocessedItems(DynagenError):
    """A batch left items unwritten (or keys unread) after the retry budget: nothing is dropped silently."""

    def __init__(self, message: str, *, done: int, remaining: list[Any]) -> None:
        super().__init__(message)
        self.done = done
        self.remaining = remaining


class TableAlreadyExists(DynamoDBError):
    """`create_table` found a table of that name (pass exist_ok=True to accept it)."""


class PagingStalled(DynamoDBError):
    """DynamoDB handed back, as LastEvaluatedKey, a position it had already given: paging would never end.

    Raised by every paged read (iteration, `count`, each parallel-scan segment, a page resumed
    from a cursor) at the first repeat, before the items of that answer; not retried (the same
    request would meet the same answer). `key` is the repeated key (wire form), `table` the table.
    """

    def __init__(self, message: str, *, operation: str, table: str, key: Mapping[str, Any]) -> None:
        super().__init__(message, code="PagingStalled", operation=operation)
        self.table = table
        self.key = dict(key)


class BadResponse(HTTPClientError, DynagenError):
    """A response that is incomplete, altered in transit or malformed: a transport failure.

    Raised by the response checks of every client `make_client` makes (responses.py), before
    anything of the answer is used: a body shorter or longer than its Content-Length (the
    connection was cut), a body whose `x-amz-crc32` does not match, a 2xx body that is not a
    JSON object, or a JSON object of the wrong shape (Items not a list of items, bad base64 in a
    B/BS value, a BatchGetItem item without its key, garbage as the stored item of a condition
    failure...). It is retried like a dropped connection, within the same budget; when the budget
    runs out the call raises RetriesExhausted with it as `last_error`. As with a dropped
    connection, a write whose answer was bad **may have been applied**.
    `operation` is the DynamoDB operation, `detail` says what was wrong.
    """

    fmt = "bad response{where}: {detail}"

    def __init__(
        self,
        request: Any = None,
        response: Any = None,
        *,
        operation: str = "",
        detail: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.pop("where", None)  # derived; present again when an unpickled copy is rebuilt
        where = f" to {operation}" if operation else ""
        super().__init__(
            request, response, operation=operation, detail=detail, where=where, **kwargs
        )
        self.operation = operation
        self.detail = detail


# Transport-level failures: the request may or may not have reached DynamoDB (and been applied).
# BadResponse is one of them: an answer that cannot be trusted is no answer.
CONNECTION_ERRORS = (
    EndpointConnectionError,
    ConnectionClosedError,
    ReadTimeoutError,
    ConnectTimeoutError,
    BadResponse,
)


# Of those, the ones that prove the request never left: the connection was never made.
NOT_SENT_ERRORS = (EndpointConnectionError, ConnectTimeoutError)


@dataclass(frozen=True)
class Failure:
    """What a failed request means: its code, whether another try may succeed, what it raises,
    and whether the request may have been applied all the same (its answer was lost)."""

    code: str
    retryable: bool
    error: type[DynagenError]
    maybe_applied: bool = False


def error_code(error: BaseException) -> str:
    """DynamoDB's error code of a ClientError ("" for anything else)."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", ""))
    return ""


def classify(error: BaseException, *, operation: str = "") -> Failure:
    """The one classifier: retryable or not, and which dynagen error a final failure becomes.

    Throttling, 5xx and dropped connections are worth another try; everything else is final.
    Decided by error code and HTTP status, never by message text.
    """
    if not isinstance(error, ClientError):
        retryable = isinstance(error, CONNECTION_ERRORS)
        # Only a connection that was never made proves the request was not sent.
        sent = not isinstance(error, NOT_SENT_ERRORS)
        return Failure(type(error).__name__, retryable, RetriesExhausted, sent)
    code = error_code(error) or "Unknown"
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    server_side = isinstance(status, int) and status >= 500
    if code in THROTTLING_CODES:
        return Failure(code, True, Throttled)
    if code in TRANSIENT_CODES or server_side:
        # DynamoDB: a 5xx answer means the request may or may not have been processed.
        return Failure(code, True, RetriesExhausted, maybe_applied=True)
    if code == "ResourceNotFoundException":
        return Failure(code, False, TableNotFound)
    if code == "ResourceInUseException" and operation == "CreateTable":
        return Failure(code, False, TableAlreadyExists)
    return Failure(code, False, DynamoDBError)


def is_retryable(error: BaseException) -> bool:
    return classify(error).retryable


def from_botocore(
    error: BaseException,
    *,
    operation: str,
    table: str,
    attempts: int,
    deadline: float | None = None,
) -> DynagenError:
    """Map a final botocore failure to dynagen's errors, as `classify` decides.

    `deadline` (seconds) is given when the call's deadline, not its attempt count, stopped the
    retries; the message then says so.
    """
    failure = classify(error, operation=operation)
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if deadline is not None:
        tries += f" (stopped by the {deadline:g} s deadline)"
    reached = deadline is not None
    if not isinstance(error, ClientError):
        return RetriesExhausted(
            f"{operation} on table {table!r} failed{tries}: {type(error).__name__}: {error}",
            operation=operation,
            attempts=attempts,
            last_error=error,
            deadline_reached=reached,
        )
    details = error.response.get("Error", {})
    message = f"{operation} on table {table!r} failed{tries}: {failure.code}: {details.get('Message', '')}".rstrip(
        ": "
    )
    if failure.error is RetriesExhausted:
        return RetriesExhausted(
            message,
            operation=operation,
            attempts=attempts,
            last_error=error,
            deadline_reached=reached,
        )
    assert issubclass(failure.error, DynamoDBError)
    return failure.error(message, code=failure.code, operation=operation)
