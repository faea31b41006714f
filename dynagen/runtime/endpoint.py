"""The one place that sends a request to DynamoDB: the client, the table, the retry budget.

Every peer (items, reads, batch, transact, tables) sends through `Endpoint.send`, so retries,
backoff and the mapping of failures to dynagen's errors happen here and nowhere else.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from dynagen.runtime.client import check_table_name, direct_transport, make_client
from dynagen.runtime.errors import (
    CONNECTION_ERRORS,
    OutcomeUnknown,
    classify,
    error_code,
    from_botocore,
)
from dynagen.runtime.retry import DEFAULT_RETRY, Budget, RetryPolicy
from dynagen.runtime.transport import OPERATIONS, DirectTransport, new_invocation_id
from dynagen.runtime.types import DynamoDBClient
from dynagen.runtime.undecodable import OnDecodeError, check_policy

# DynamoDB's operation names, and the boto3 client method that sends each.
_METHODS = {
    "GetItem": "get_item",
    "PutItem": "put_item",
    "UpdateItem": "update_item",
    "DeleteItem": "delete_item",
    "Query": "query",
    "Scan": "scan",
    "BatchGetItem": "batch_get_item",
    "BatchWriteItem": "batch_write_item",
    "TransactGetItems": "transact_get_items",
    "TransactWriteItems": "transact_write_items",
    "CreateTable": "create_table",
    "DeleteTable": "delete_table",
    "DescribeTable": "describe_table",
    "DescribeTimeToLive": "describe_time_to_live",
    "UpdateTimeToLive": "update_time_to_live",
    "UpdateContinuousBackups": "update_continuous_backups",
}


class Endpoint:
    """One physical table as the runtime reaches it."""

    __slots__ = ("client", "table_name", "retry", "transport", "on_decode_error")

    def __init__(
        self,
        client: DynamoDBClient | None,
        table_name: str,
        retry: RetryPolicy | None = None,
        on_decode_error: OnDecodeError = "raise",
    ) -> None:
        self.table_name = check_table_name(table_name)
        self.on_decode_error = check_policy(on_decode_error)
        self.client: DynamoDBClient = client if client is not None else make_client()
        self.retry = retry if retry is not None else DEFAULT_RETRY
        # Item operations go through the direct transport when the client has one (make_client's
        # clients, unless turned off); any other client is used as it is, through botocore.
        self.transport = direct_transport(self.client)

    def budget(self) -> Budget:
        """A fresh budget for one call that may send several requests (batches, transactions)."""
        return self.retry.budget()

    def send(
        self,
        operation: str,
        request: dict[str, Any],
        *,
        budget: Budget | None = None,
        passthrough: frozenset[str] = frozenset(),
        write: bool = False,
        retry_uncertain: bool = True,
    ) -> Any:
        """Send until it succeeds, fails for good, or the budget is spent.

        A final failure is raised as a dynagen error (errors.classify decides which), except
        ClientErrors whose code is in `passthrough`, which the caller interprets itself
        (condition failures, cancelled transactions). For a `write`, once an attempt may have
        been applied (its answer was lost), a final failure is `OutcomeUnknown`, and so is that
        attempt itself when retrying it is not safe (`retry_uncertain=False`: the write is not
        idempotent, a second application would change the item again).
        """
        transport = self.transport
        budget = budget if budget is not None else self.budget()
        if transport is not None and operation in OPERATIONS:
            # One invocation (amz-sdk-invocation-id) for this request and its retries, numbered
            # within what the budget has left, as botocore numbers its own retries.
            attempt = partial(
                _direct_attempt,
                transport,
                operation,
                request,
                budget,
                budget.attempts,
                new_invocation_id(),
            )
        else:
            attempt = partial(getattr(self.client, _METHODS[operation]), **request)
        while True:
            budget.spend()
            try:
                return attempt()
            except (ClientError, *CONNECTION_ERRORS) as error:
                if isinstance(error, ClientError) and error_code(error) in passthrough:
                    raise
                failure = classify(error, operation=operation)
                if write and failure.maybe_applied:
                    budget.uncertain = True
                final = not budget.left or not failure.retryable
                if write and budget.uncertain and (final or not retry_uncertain):
                    raise OutcomeUnknown(
                        f"{operation} on table {self.table_name!r}: outcome unknown after "
                        f"{budget.attempts} attempt(s): an answer was lost, so the write may have "
                        f"been applied; last error: {failure.code}: {error}",
                        operation=operation,
                        cause=error,
                    ) from error
                if final:
                    raise from_botocore(
                        error,
                        operation=operation,
                        table=self.table_name,
                        attempts=budget.attempts,
                        deadline=budget.policy.deadline if budget.deadline_reached else None,
                    ) from error


def _direct_attempt(
    transport: DirectTransport,
    operation: str,
    request: dict[str, Any],
    budget: Budget,
    before: int,
    invocation_id: str,
) -> Any:
    """One attempt through the direct transport: attempt N of what the budget had left."""
    return transport.send(
        operation,
        request,
        attempt=budget.attempts - before,
        max_attempts=budget.policy.max_attempts - before,
        invocation_id=invocation_id,
    )
