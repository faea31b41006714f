"""dynagen.runtime.endpoint: `Endpoint.send`, the one place requests leave, retried as `errors.classify` says.

Stand-in clients only: the endpoint's loop is what is tested, not DynamoDB.
"""

from __future__ import annotations

import ast
import typing
from pathlib import Path
from typing import Any, Callable

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from dynagen import runtime as rt
from dynagen.runtime import endpoint as endpoint_module
from dynagen.runtime.endpoint import _METHODS, Endpoint
from dynagen.runtime.errors import THROTTLING_CODES, TRANSIENT_CODES, is_retryable
from dynagen.runtime.requests import Read
from dynagen.runtime.retry import DEFAULT_RETRY
from tests.runtime.support import ScriptedClient, Sleeps, client_error, throttled

RUNTIME = Path(endpoint_module.__file__).resolve().parent


class Script:
    """A fake `send`: raises or returns the scripted outcomes in turn, counting the calls."""

    def __init__(self, *outcomes: BaseException | Any) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self) -> Any:
        index = min(self.calls, len(self.outcomes) - 1)
        self.calls += 1
        outcome = self.outcomes[index]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


class OneMethodClient:
    """A stand-in client whose put_item is the scripted `send` (the endpoint is what is tested)."""

    def __init__(self, send: Callable[[], Any]) -> None:
        self._send = send

    def put_item(self, **request: Any) -> Any:
        return self._send()


def run(policy: rt.RetryPolicy, send: Callable[[], Any], **kwargs: Any) -> Any:
    endpoint = Endpoint(OneMethodClient(send), "orders", policy)  # type: ignore[arg-type]
    return endpoint.send("PutItem", {}, **kwargs)


# ------------------------------------------------------------------ retried, then success


def test_throttling_is_retried_with_growing_delays_until_success() -> None:
    recorder = Sleeps()
    send = Script(throttled(), throttled(), throttled(), "done")
    assert run(recorder.policy(max_attempts=4), send) == "done"
    assert send.calls == 4
    assert recorder.sleeps == pytest.approx([0.0999, 0.1998, 0.2997])  # 0.1, 0.2, 0.4 capped 0.3


def test_success_at_once_never_sleeps() -> None:
    recorder = Sleeps()
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
    recorder = Sleeps()
    send = Script(error, "ok")
    assert run(recorder.policy(), send) == "ok"
    assert send.calls == 2 and len(recorder.sleeps) == 1


# ------------------------------------------------------------------ final failures


def test_throttled_until_the_budget_runs_out() -> None:
    recorder = Sleeps()
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
    recorder = Sleeps()
    send = Script(throttled())
    with pytest.raises(rt.Throttled):
        run(recorder.policy(max_attempts=1), send)
    assert send.calls == 1 and recorder.sleeps == []


def test_transient_server_errors_until_the_budget_runs_out() -> None:
    recorder = Sleeps()
    last = client_error("InternalServerError", status=500, message="oops")
    send = Script(client_error("ServiceUnavailable", status=503), last)
    with pytest.raises(rt.RetriesExhausted) as caught:
        run(recorder.policy(max_attempts=3), send)
    assert send.calls == 3 and len(recorder.sleeps) == 2
    assert caught.value.attempts == 3
    assert caught.value.operation == "PutItem"
    assert caught.value.last_error is last


def test_dropped_connections_until_the_budget_runs_out() -> None:
    recorder = Sleeps()
    dropped = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    send = Script(dropped)
    with pytest.raises(rt.RetriesExhausted) as caught:
        run(recorder.policy(max_attempts=5), send)
    assert send.calls == 5 and len(recorder.sleeps) == 4
    assert caught.value.attempts == 5 and caught.value.last_error is dropped
    assert "EndpointConnectionError" in str(caught.value)


def test_unknown_5xx_until_the_budget_runs_out_is_retries_exhausted() -> None:
    recorder = Sleeps()
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
    recorder = Sleeps()
    send = Script(client_error(code, message="nope"))
    with pytest.raises(rt.DynamoDBError) as caught:
        run(recorder.policy(), send)
    assert send.calls == 1 and recorder.sleeps == []
    assert type(caught.value) is rt.DynamoDBError
    assert caught.value.code == code and caught.value.operation == "PutItem"
    assert "after" not in str(caught.value)


def test_table_not_found() -> None:
    recorder = Sleeps()
    send = Script(client_error("ResourceNotFoundException", message="Requested resource not found"))
    with pytest.raises(rt.TableNotFound) as caught:
        run(recorder.policy(), send)
    assert send.calls == 1 and caught.value.code == "ResourceNotFoundException"


def test_passthrough_codes_are_raised_untouched_and_never_retried() -> None:
    recorder = Sleeps()
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


def test_passthrough_after_retries_is_still_raw() -> None:
    """A passthrough code met on a retry is raised as it came, after the retries before it."""
    original = client_error("ConditionalCheckFailedException")
    send = Script(throttled(), throttled(), original)
    with pytest.raises(ClientError) as caught:
        run(
            Sleeps().policy(max_attempts=5),
            send,
            passthrough=frozenset({"ConditionalCheckFailedException"}),
        )
    assert caught.value is original and send.calls == 3


def test_other_exceptions_propagate_unchanged() -> None:
    recorder = Sleeps()
    send = Script(KeyError("not botocore"))
    with pytest.raises(KeyError):
        run(recorder.policy(), send)
    assert send.calls == 1 and recorder.sleeps == []


# ------------------------------------------------------------------ exact counts, one budget per call


@pytest.mark.parametrize("max_attempts", [1, 2, 5])
@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (throttled, rt.Throttled),
        (lambda: client_error("InternalServerError", status=500), rt.RetriesExhausted),
        (lambda: ReadTimeoutError(endpoint_url="http://127.0.0.1:1"), rt.RetriesExhausted),
    ],
    ids=["throttled", "5xx", "timeout"],
)
def test_a_call_that_always_fails_sends_exactly_max_attempts_requests(
    max_attempts: int, failure: Callable[[], BaseException], raised: type[Exception]
) -> None:
    recorder = Sleeps()
    client = ScriptedClient(get_item=failure())
    endpoint = Endpoint(client, "orders", recorder.policy(max_attempts=max_attempts))  # type: ignore[arg-type]
    with pytest.raises(raised) as caught:
        endpoint.send("GetItem", {"TableName": "orders", "Key": {}})
    assert len(client.sent("get_item")) == max_attempts
    assert len(recorder.sleeps) == max_attempts - 1
    tries = f"after {max_attempts} attempts"
    assert (tries in str(caught.value)) == (max_attempts > 1)
    if isinstance(caught.value, rt.RetriesExhausted):
        assert caught.value.attempts == max_attempts


def test_each_call_gets_its_own_budget() -> None:
    """Two calls on one endpoint: the second is not short of attempts the first spent."""
    client = ScriptedClient(get_item=[throttled(), {"Item": {}}, throttled(), {"Item": {}}])
    endpoint = Endpoint(client, "orders", Sleeps().policy(max_attempts=2))  # type: ignore[arg-type]
    assert endpoint.send("GetItem", {}) == {"Item": {}}
    assert endpoint.send("GetItem", {}) == {"Item": {}}
    assert len(client.sent()) == 4


def test_a_budget_passed_in_is_the_one_spent() -> None:
    """Callers that loop (batches, transactions) pass one budget to every send of the call."""
    client = ScriptedClient(get_item=[throttled(), {"Item": {}}, throttled()])
    endpoint = Endpoint(client, "orders", Sleeps().policy(max_attempts=3))  # type: ignore[arg-type]
    budget = endpoint.budget()
    endpoint.send("GetItem", {}, budget=budget)
    assert budget.attempts == 2 and budget.left
    with pytest.raises(rt.Throttled) as caught:
        endpoint.send("GetItem", {}, budget=budget)  # one attempt left, and it is throttled
    assert budget.attempts == 3 and not budget.left
    assert len(client.sent()) == 3 and "after 3 attempts" in str(caught.value)


def test_a_spent_budget_still_sends_once() -> None:
    """send() always tries at least once; it just will not retry past the budget."""
    client = ScriptedClient(get_item=[throttled(), {"Item": {}}])
    endpoint = Endpoint(client, "orders", Sleeps().policy(max_attempts=1))  # type: ignore[arg-type]
    budget = endpoint.budget()
    with pytest.raises(rt.Throttled):
        endpoint.send("GetItem", {}, budget=budget)
    assert len(client.sent()) == 1


def test_the_request_is_sent_as_given() -> None:
    client = ScriptedClient(query={"Items": [], "Count": 0})
    endpoint = Endpoint(client, "orders", Sleeps().policy())  # type: ignore[arg-type]
    request = {"TableName": "orders", "KeyConditionExpression": "#n0 = :v0", "Limit": 3}
    assert endpoint.send("Query", request) == {"Items": [], "Count": 0}
    assert client.calls == [("query", request)]


# ------------------------------------------------------------------ construction


def test_endpoint_defaults_and_checks() -> None:
    client: Any = ScriptedClient()
    endpoint = Endpoint(client, "orders-prod")
    assert endpoint.client is client and endpoint.table_name == "orders-prod"
    assert endpoint.retry is DEFAULT_RETRY
    with pytest.raises(rt.ValidationError, match="table name"):
        Endpoint(client, "no")


def test_without_a_client_the_endpoint_makes_one(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []

    def fake_make_client() -> object:
        made.append(object())
        return made[-1]

    monkeypatch.setattr(endpoint_module, "make_client", fake_make_client)
    endpoint = Endpoint(None, "orders")
    assert made == [endpoint.client]


# ------------------------------------------------------------------ the operation table


def _operation_names_in_the_runtime(known: set[str]) -> set[str]:
    """Every string constant in the runtime's source that names a DynamoDB operation.

    Peers name operations as literals, whether passed to `send` directly or through a helper
    (batch's `_send_chunk`, `Read.operation`), so this finds every one they can send.
    """
    names: set[str] = set()
    for path in RUNTIME.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in known:
                names.add(str(node.value))
    return names


def test_the_method_table_covers_every_operation_the_peers_send() -> None:
    client = rt.make_client(region_name="us-east-1")
    used = _operation_names_in_the_runtime(set(client.meta.service_model.operation_names))
    assert {"PutItem", "Query", "Scan", "BatchWriteItem", "TransactGetItems", "CreateTable"} <= used
    assert set(typing.get_args(typing.get_type_hints(Read)["operation"])) <= used
    assert used <= set(_METHODS), sorted(used - set(_METHODS))


def test_every_method_in_the_table_is_botocores_method_for_that_operation() -> None:
    client = rt.make_client(region_name="us-east-1")
    mapping = client.meta.method_to_api_mapping
    for operation, method in _METHODS.items():
        assert mapping.get(method) == operation, (operation, method)
        assert callable(getattr(client, method))
