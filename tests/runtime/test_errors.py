"""dynagen.runtime.errors: the one classifier (`classify`), `is_retryable`, `from_botocore`, the error classes.

Decided by error code and HTTP status, never by message text; a final failure's message names the
operation, the table and, after retries, the number of attempts.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from dynagen import runtime as rt
from dynagen.runtime.errors import (
    CONNECTION_ERRORS,
    THROTTLING_CODES,
    TRANSIENT_CODES,
    classify,
    error_code,
    from_botocore,
    is_retryable,
)
from tests.runtime.support import client_error

CONNECTION_FAILURES = [
    EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
    ConnectionClosedError(endpoint_url="http://127.0.0.1:1"),
    ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
    ConnectTimeoutError(endpoint_url="http://127.0.0.1:1"),
]

# ------------------------------------------------------------------ classify


def test_the_code_lists_hold_what_dynamodb_sends() -> None:
    """Pinned, so dropping a code from either list is a visible change."""
    assert THROTTLING_CODES == {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "LimitExceededException",
        "TooManyRequestsException",
    }
    assert TRANSIENT_CODES == {
        "InternalServerError",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "TransactionInProgressException",
    }
    # the connection failures, and a damaged answer, which is retried like one
    assert {type(error) for error in CONNECTION_FAILURES} | {rt.BadResponse} == set(
        CONNECTION_ERRORS
    )


@pytest.mark.parametrize("code", sorted(THROTTLING_CODES))
@pytest.mark.parametrize("status", [400, 500])
def test_throttling_is_retryable_and_becomes_throttled(code: str, status: int) -> None:
    failure = classify(client_error(code, status=status), operation="Query")
    assert (failure.code, failure.retryable, failure.error) == (code, True, rt.Throttled)


@pytest.mark.parametrize("code", sorted(TRANSIENT_CODES))
@pytest.mark.parametrize("status", [400, 500])
def test_transient_codes_are_retryable_whatever_the_status(code: str, status: int) -> None:
    failure = classify(client_error(code, status=status))
    assert (failure.code, failure.retryable, failure.error) == (code, True, rt.RetriesExhausted)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
@pytest.mark.parametrize("code", ["", "SomethingNew", "ValidationException"])
def test_any_5xx_is_retryable(status: int, code: str) -> None:
    failure = classify(client_error(code, status=status))
    assert failure.retryable and failure.error is rt.RetriesExhausted
    assert failure.code == (code or "Unknown")


@pytest.mark.parametrize("status", [200, 400, 403, 404, 429, 499])
def test_an_unknown_code_below_500_is_final(status: int) -> None:
    failure = classify(client_error("SomethingNew", status=status))
    assert not failure.retryable and failure.error is rt.DynamoDBError


def test_a_status_that_is_not_a_number_is_not_server_side() -> None:
    error = ClientError(
        {"Error": {"Code": "X"}, "ResponseMetadata": {"HTTPStatusCode": "503"}}, "GetItem"  # type: ignore[typeddict-item]
    )
    assert not classify(error).retryable


@pytest.mark.parametrize("error", CONNECTION_FAILURES, ids=lambda e: type(e).__name__)
def test_connection_errors_are_retryable(error: BaseException) -> None:
    failure = classify(error)
    assert failure.retryable and failure.error is rt.RetriesExhausted
    assert failure.code == type(error).__name__
    assert is_retryable(error)


@pytest.mark.parametrize("error", [KeyError("k"), ValueError("v"), RuntimeError("r")])
def test_other_exceptions_are_not_retryable(error: BaseException) -> None:
    assert not classify(error).retryable and not is_retryable(error)


def test_resource_not_found_is_table_not_found_for_every_operation() -> None:
    for operation in ("GetItem", "Query", "CreateTable", "DescribeTable", ""):
        failure = classify(client_error("ResourceNotFoundException"), operation=operation)
        assert (failure.retryable, failure.error) == (False, rt.TableNotFound)


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ("CreateTable", rt.TableAlreadyExists),
        ("DeleteTable", rt.DynamoDBError),
        ("UpdateTimeToLive", rt.DynamoDBError),
        ("PutItem", rt.DynamoDBError),
        ("", rt.DynamoDBError),
    ],
)
def test_resource_in_use_is_table_already_exists_only_on_create_table(
    operation: str, expected: type[rt.DynagenError]
) -> None:
    in_use = client_error("ResourceInUseException")
    assert classify(in_use, operation=operation).error is expected
    assert not classify(in_use, operation=operation).retryable
    assert type(from_botocore(in_use, operation=operation, table="t", attempts=1)) is expected


def test_is_retryable_is_classify_without_an_operation() -> None:
    for error in (client_error("ThrottlingException"), client_error("ValidationException")):
        assert is_retryable(error) == classify(error).retryable


def test_error_code() -> None:
    assert error_code(client_error("ThrottlingException")) == "ThrottlingException"
    assert error_code(ClientError({}, "GetItem")) == ""
    assert error_code(KeyError("ThrottlingException")) == ""


# ------------------------------------------------------------------ from_botocore, by code only


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        (
            "ValidationException",
            "ResourceNotFoundException: Requested resource not found",
            rt.DynamoDBError,
        ),
        ("ValidationException", "ThrottlingException Rate exceeded", rt.DynamoDBError),
        ("ResourceNotFoundException", "", rt.TableNotFound),
        ("ResourceNotFoundException", "ValidationException", rt.TableNotFound),
        ("ThrottlingException", "The conditional request failed", rt.Throttled),
        ("InternalServerError", "Requested resource not found", rt.RetriesExhausted),
    ],
)
def test_mapping_is_by_code_not_message(code: str, message: str, expected: type) -> None:
    error = from_botocore(
        client_error(code, message=message), operation="GetItem", table="orders", attempts=1
    )
    assert type(error) is expected


@pytest.mark.parametrize("code", sorted(THROTTLING_CODES))
def test_every_throttling_code_maps_to_throttled(code: str) -> None:
    error = from_botocore(client_error(code), operation="Query", table="t", attempts=3)
    assert isinstance(error, rt.Throttled) and error.code == code and error.operation == "Query"


@pytest.mark.parametrize("code", sorted(TRANSIENT_CODES))
def test_every_transient_code_maps_to_retries_exhausted(code: str) -> None:
    original = client_error(code, status=500)
    error = from_botocore(original, operation="Query", table="t", attempts=3)
    assert isinstance(error, rt.RetriesExhausted) and error.last_error is original
    assert error.attempts == 3


def test_resource_in_use_is_table_already_exists_only_for_create_table() -> None:
    in_use = client_error("ResourceInUseException")
    assert type(from_botocore(in_use, operation="CreateTable", table="t", attempts=1)) is (
        rt.TableAlreadyExists
    )
    assert type(from_botocore(in_use, operation="DeleteTable", table="t", attempts=1)) is (
        rt.DynamoDBError
    )


def test_error_without_a_code() -> None:
    bare = ClientError({}, "GetItem")
    error = from_botocore(bare, operation="GetItem", table="t", attempts=1)
    assert isinstance(error, rt.DynamoDBError) and error.code == "Unknown"
    assert not is_retryable(bare)


def test_messages_name_operation_table_code_and_attempts() -> None:
    error = from_botocore(
        client_error("ValidationException", message="One or more parameter values were invalid"),
        operation="PutItem",
        table="orders",
        attempts=1,
    )
    text = str(error)
    assert "PutItem" in text and "'orders'" in text and "ValidationException" in text
    assert "One or more parameter values were invalid" in text
    assert "attempts" not in text


@pytest.mark.parametrize(
    "error",
    [
        client_error("ThrottlingException", message="Rate exceeded"),
        client_error("InternalServerError", status=500, message="oops"),
        client_error("ResourceNotFoundException", message="Requested resource not found"),
        *CONNECTION_FAILURES,
    ],
    ids=lambda e: error_code(e) or type(e).__name__,
)
def test_a_retried_failure_says_how_many_attempts(error: BaseException) -> None:
    text = str(from_botocore(error, operation="BatchGetItem", table="things-7", attempts=7))
    assert text.startswith("BatchGetItem on table 'things-7' failed after 7 attempts: ")
    assert (error_code(error) or type(error).__name__) in text


def test_a_message_without_text_ends_with_the_code() -> None:
    text = str(from_botocore(client_error("Odd"), operation="Scan", table="t1x", attempts=1))
    assert text == "Scan on table 't1x' failed: Odd"


def test_a_connection_failure_keeps_its_own_text_and_is_the_last_error() -> None:
    dropped = ConnectTimeoutError(endpoint_url="http://127.0.0.1:1")
    error = from_botocore(dropped, operation="GetItem", table="orders", attempts=2)
    assert isinstance(error, rt.RetriesExhausted)
    assert (error.operation, error.attempts, error.last_error) == ("GetItem", 2, dropped)
    assert "http://127.0.0.1:1" in str(error) and "ConnectTimeoutError" in str(error)


def test_mapped_dynamodb_errors_carry_code_and_operation() -> None:
    error = from_botocore(
        client_error("AccessDeniedException"), operation="DeleteItem", table="t", attempts=1
    )
    assert isinstance(error, rt.DynamoDBError)
    assert (error.code, error.operation) == ("AccessDeniedException", "DeleteItem")


# ------------------------------------------------------------------ the error classes


def test_error_hierarchy() -> None:
    assert issubclass(rt.ItemAlreadyExists, rt.ConditionFailed)
    assert issubclass(rt.ItemNotFound, rt.ConditionFailed)
    assert issubclass(rt.VersionConflict, rt.ConditionFailed)
    assert issubclass(rt.TableNotFound, rt.DynamoDBError)
    assert issubclass(rt.Throttled, rt.DynamoDBError)
    assert issubclass(rt.TableAlreadyExists, rt.DynamoDBError)
    assert issubclass(rt.InvalidCursor, rt.ValidationError)
    for error in (
        rt.ValidationError,
        rt.ItemDecodeError,
        rt.ConditionFailed,
        rt.DynamoDBError,
        rt.RetriesExhausted,
        rt.TransactionCanceled,
        rt.UnprocessedItems,
    ):
        assert issubclass(error, rt.DynagenError)
    conflict = rt.VersionConflict("m", expected=2, actual=None, raw_item={"v": {"N": "1"}})
    assert (conflict.expected, conflict.actual, conflict.raw_item) == (2, None, {"v": {"N": "1"}})


def test_validation_and_decode_errors_are_value_errors() -> None:
    """Callers who catch ValueError for bad input keep working."""
    assert issubclass(rt.ValidationError, ValueError)
    assert issubclass(rt.ItemDecodeError, ValueError)


def test_item_decode_error_names_entity_attribute_and_key() -> None:
    error = rt.ItemDecodeError("Order", "total", "bad value", {"customer_id": {"S": "c1"}})
    assert str(error) == (
        "cannot read Order: attribute 'total': bad value (item key {'customer_id': {'S': 'c1'}})"
    )
    assert (error.entity, error.attribute, error.detail) == ("Order", "total", "bad value")
    assert (
        str(rt.ItemDecodeError("Order", None, "not a map")) == "cannot read Order: item: not a map"
    )


def test_condition_failures_copy_the_raw_item() -> None:
    raw = {"pk": {"S": "a"}}
    error = rt.ConditionFailed("m", item="decoded", raw_item=raw)
    raw["pk"] = {"S": "changed"}
    assert error.raw_item == {"pk": {"S": "a"}} and error.item == "decoded"
    assert rt.ConditionFailed("m").raw_item is None


def test_cancellation_reason_and_transaction_canceled() -> None:
    reason = rt.CancellationReason(2, "ConditionalCheckFailed", "failed", operation="Put Order x")
    assert repr(reason) == (
        "CancellationReason(index=2, operation='Put Order x', code='ConditionalCheckFailed')"
    )
    canceled = rt.TransactionCanceled("transaction canceled", [reason])
    assert canceled.reasons == [reason]


def test_unprocessed_items_and_retries_exhausted_keep_what_they_report() -> None:
    unprocessed = rt.UnprocessedItems("m", done=3, remaining=[{"k": 1}])
    assert (unprocessed.done, unprocessed.remaining) == (3, [{"k": 1}])
    last = KeyError("x")
    exhausted = rt.RetriesExhausted("m", operation="Scan", attempts=4, last_error=last)
    assert (exhausted.operation, exhausted.attempts, exhausted.last_error) == ("Scan", 4, last)
