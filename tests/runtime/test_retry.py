"""dynagen.runtime.retry, endpoint and errors: backoff with full jitter, what is retried, how failures map."""

from __future__ import annotations

import random
from typing import Any, Callable

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from hypothesis import given
from hypothesis import strategies as st

from dynagen import runtime as rt
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import THROTTLING_CODES, TRANSIENT_CODES, from_botocore, is_retryable


def client_error(
    code: str, *, status: int = 400, message: str = "", operation: str = "PutItem"
) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        operation,
    )


def throttled() -> ClientError:
    return client_error("ProvisionedThroughputExceededException", message="Rate exceeded")


class Script:
    """A fake `send`: raises or returns the scripted outcomes in turn, counting the calls."""

    def __init__(self, *outcomes: BaseException | Any, repeat_last: bool = True) -> None:
        self.outcomes = list(outcomes)
        self.repeat_last = repeat_last
        self.calls = 0

    def __call__(self) -> Any:
        index = min(self.calls, len(self.outcomes) - 1)
        self.calls += 1
        outcome = self.outcomes[index]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


class Recorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def policy(self, max_attempts: int = 4, **kwargs: Any) -> rt.RetryPolicy:
        kwargs.setdefault("base_delay", 0.1)
        kwargs.setdefault("max_delay", 0.3)
        kwargs.setdefault("random", lambda: 0.999)
        return rt.RetryPolicy(max_attempts=max_attempts, sleep=self.sleeps.append, **kwargs)


class OneMethodClient:
    """A stand-in client whose put_item is the scripted `send` (the endpoint is what is tested)."""

    def __init__(self, send: Callable[[], Any]) -> None:
        self._send = send

    def put_item(self, **request: Any) -> Any:
        return self._send()


def run(policy: rt.RetryPolicy, send: Callable[[], Any], **kwargs: Any) -> Any:
    endpoint = Endpoint(OneMethodClient(send), "orders", policy)  # type: ignore[arg-type]
    return endpoint.send("PutItem", {}, **kwargs)


# ------------------------------------------------------------------ the policy


@given(
    retry_number=st.integers(0, 40),
    base=st.floats(0, 10, allow_nan=False),
    cap=st.floats(0, 100, allow_nan=False),
    draw=st.floats(0, 1, exclude_max=True),
)
def test_delay_is_full_jitter_under_the_capped_exponential(
    retry_number: int, base: float, cap: float, draw: float
) -> None:
    policy = rt.RetryPolicy(base_delay=base, max_delay=cap, random=lambda: draw)
    ceiling = min(cap, base * 2**retry_number)
    delay = policy.delay(retry_number)
    assert 0 <= delay <= ceiling
    if retry_number <= 32:  # beyond, the exponent is clamped (only ever below the bound)
        assert delay == pytest.approx(ceiling * draw)


def test_delay_with_the_real_random_source() -> None:
    policy = rt.RetryPolicy(base_delay=0.025, max_delay=2.0, random=random.Random(7).random)
    for retry_number in range(12):
        ceiling = min(2.0, 0.025 * 2**retry_number)
        delays = [policy.delay(retry_number) for _ in range(300)]
        assert all(0 <= delay <= ceiling for delay in delays)
        assert max(delays) > ceiling * 0.8  # spread over the whole range: full jitter
        assert min(delays) < ceiling * 0.2


def test_delay_of_a_huge_retry_number_is_capped() -> None:
    policy = rt.RetryPolicy(random=lambda: 0.5)
    assert policy.delay(10_000) == pytest.approx(1.0)


def test_default_policy() -> None:
    assert rt.RetryPolicy().max_attempts == 10
    assert rt.RetryPolicy().base_delay == 0.025
    assert rt.RetryPolicy().max_delay == 2.0


@pytest.mark.parametrize("kwargs", [{"max_attempts": 0}, {"base_delay": -1.0}, {"max_delay": -0.1}])
def test_policy_refuses_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        rt.RetryPolicy(**kwargs)


# ------------------------------------------------------------------ retried, then success


def test_throttling_is_retried_with_growing_delays_until_success() -> None:
    recorder = Recorder()
    send = Script(throttled(), throttled(), throttled(), "done")
    assert run(recorder.policy(max_attempts=4), send) == "done"
    assert send.calls == 4
    assert recorder.sleeps == pytest.approx([0.0999, 0.1998, 0.2997])  # 0.1, 0.2, 0.4 capped 0.3


def test_success_at_once_never_sleeps() -> None:
    recorder = Recorder()
    assert run(recorder.policy(), Script({"Item": {}})) == {"Item": {}}
    assert recorder.sleeps == []


@pytest.mark.parametrize(
    "error",
    [
        *(client_error(code) for code in sorted(THROTTLING_CODES)),
        *(client_error(code, status=500) for code in sorted(TRANSIENT_CODES)),
        client_error("InternalServerError", status=500),
        client_error("SomethingNew", status=503),
        client_error("", status=500),
        EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
        ConnectionClosedError(endpoint_url="http://127.0.0.1:1"),
        ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
        ConnectTimeoutError(endpoint_url="http://127.0.0.1:1"),
    ],
    ids=lambda error: (
        f"{error.response['Error']['Code'] or 'no-code'}-"
        f"{error.response['ResponseMetadata']['HTTPStatusCode']}"
        if isinstance(error, ClientError)
        else type(error).__name__
    ),
)
def test_transient_failures_are_retried(error: BaseException) -> None:
    assert is_retryable(error)
    recorder = Recorder()
    send = Script(error, "ok")
    assert run(recorder.policy(), send) == "ok"
    assert send.calls == 2 and len(recorder.sleeps) == 1


# ------------------------------------------------------------------ final failures


def test_throttled_until_the_budget_runs_out() -> None:
    recorder = Recorder()
    send = Script(throttled())
    with pytest.raises(rt.Throttled) as caught:
        run(recorder.policy(max_attempts=4), send)
    assert send.calls == 4 and len(recorder.sleeps) == 3
    error = caught.value
    assert isinstance(error, rt.DynamoDBError) and isinstance(error, rt.DynagenError)
    assert error.code == "ProvisionedThroughputExceededException"
    assert error.operation == "PutItem"
    assert "after 4 attempts" in str(error) and "'orders'" in str(error)
    assert isinstance(error.__cause__, ClientError)


def test_max_attempts_one_means_no_retry() -> None:
    recorder = Recorder()
    send = Script(throttled())
    with pytest.raises(rt.Throttled):
        run(recorder.policy(max_attempts=1), send)
    assert send.calls == 1 and recorder.sleeps == []


def test_transient_server_errors_until_the_budget_runs_out() -> None:
    recorder = Recorder()
    last = client_error("InternalServerError", status=500, message="oops")
    send = Script(client_error("ServiceUnavailable", status=503), last)
    with pytest.raises(rt.RetriesExhausted) as caught:
        run(recorder.policy(max_attempts=3), send)
    assert send.calls == 3 and len(recorder.sleeps) == 2
    assert caught.value.attempts == 3
    assert caught.value.operation == "PutItem"
    assert caught.value.last_error is last


def test_dropped_connections_until_the_budget_runs_out() -> None:
    recorder = Recorder()
    dropped = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    send = Script(dropped)
    with pytest.raises(rt.RetriesExhausted) as caught:
        run(recorder.policy(max_attempts=5), send)
    assert send.calls == 5 and len(recorder.sleeps) == 4
    assert caught.value.attempts == 5 and caught.value.last_error is dropped
    assert "EndpointConnectionError" in str(caught.value)


def test_unknown_5xx_until_the_budget_runs_out_is_retries_exhausted() -> None:
    recorder = Recorder()
    send = Script(client_error("SomethingNew", status=503))
    with pytest.raises(rt.RetriesExhausted) as caught:
        run(recorder.policy(max_attempts=3), send)
    assert caught.value.attempts == 3


@pytest.mark.parametrize(
    "code",
    [
        "ValidationException",
        "ConditionalCheckFailedException",
        "AccessDeniedException",
        "ItemCollectionSizeLimitExceededException",
        "TransactionConflictException",
        "UnrecognizedClientException",
    ],
)
def test_client_errors_fail_at_once(code: str) -> None:
    recorder = Recorder()
    send = Script(client_error(code, message="nope"))
    with pytest.raises(rt.DynamoDBError) as caught:
        run(recorder.policy(), send)
    assert send.calls == 1 and recorder.sleeps == []
    assert type(caught.value) is rt.DynamoDBError
    assert caught.value.code == code and caught.value.operation == "PutItem"
    assert "after" not in str(caught.value)


def test_table_not_found() -> None:
    recorder = Recorder()
    send = Script(client_error("ResourceNotFoundException", message="Requested resource not found"))
    with pytest.raises(rt.TableNotFound) as caught:
        run(recorder.policy(), send)
    assert send.calls == 1 and caught.value.code == "ResourceNotFoundException"


def test_passthrough_codes_are_raised_untouched_and_never_retried() -> None:
    recorder = Recorder()
    original = client_error("ConditionalCheckFailedException")
    send = Script(original)
    passthrough = frozenset({"ConditionalCheckFailedException"})
    with pytest.raises(ClientError) as caught:
        run(recorder.policy(), send, passthrough=passthrough)
    assert caught.value is original and send.calls == 1 and recorder.sleeps == []

    # even a code that would otherwise be retried
    send = Script(throttled())
    passthrough = frozenset({"ProvisionedThroughputExceededException"})
    with pytest.raises(ClientError):
        run(recorder.policy(), send, passthrough=passthrough)
    assert send.calls == 1


def test_other_exceptions_propagate_unchanged() -> None:
    recorder = Recorder()
    send = Script(KeyError("not botocore"))
    with pytest.raises(KeyError):
        run(recorder.policy(), send)
    assert send.calls == 1 and recorder.sleeps == []


# ------------------------------------------------------------------ mapping, by code only


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
