"""Stand-ins shared by the runtime unit tests: botocore errors, scripted clients, a small entity.

A scripted client answers each boto3 method from a list of outcomes (the last one repeats) and
records every request, so a test can count exactly what the runtime sent. The "Thing" entity is
built by hand (not generated), so these tests pin the runtime alone.
"""

from __future__ import annotations

import contextlib
import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Callable, Iterator, Mapping

from botocore.exceptions import ClientError

from dynagen import runtime as rt
from dynagen.runtime import expressions
from dynagen.runtime.auto import Automatic
from dynagen.runtime.codec import key_str
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import ItemDecodeError
from dynagen.runtime.requests import Source
from dynagen.runtime.schema import EntitySchema
from dynagen.runtime.types import AttributeValue, Item

# ------------------------------------------------------------------ botocore errors


def client_error(
    code: str,
    *,
    status: int = 400,
    message: str = "",
    operation: str = "PutItem",
    **extra: Any,
) -> ClientError:
    """A ClientError as botocore raises it; `extra` goes into the response (Item, CancellationReasons)."""
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
        **extra,
    }
    return ClientError(response, operation)  # type: ignore[arg-type]


def throttled() -> ClientError:
    return client_error("ProvisionedThroughputExceededException", message="Rate exceeded")


def canceled(*codes: str, items: Mapping[int, Item] | None = None) -> ClientError:
    """A TransactionCanceledException with one cancellation reason per operation."""
    reasons: list[dict[str, Any]] = []
    for index, code in enumerate(codes):
        reason: dict[str, Any] = {"Code": code, "Message": f"reason {index}" if code else ""}
        if items and index in items:
            reason["Item"] = items[index]
        reasons.append(reason)
    return client_error(
        "TransactionCanceledException",
        message="Transaction cancelled",
        operation="TransactWriteItems",
        CancellationReasons=reasons,
    )


# ------------------------------------------------------------------ policies that never sleep


class Sleeps:
    """Records the sleeps of the policies it makes instead of sleeping."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def policy(self, max_attempts: int = 4, **kwargs: Any) -> rt.RetryPolicy:
        kwargs.setdefault("base_delay", 0.1)
        kwargs.setdefault("max_delay", 0.3)
        kwargs.setdefault("random", lambda: 0.999)
        return rt.RetryPolicy(max_attempts=max_attempts, sleep=self.sleeps.append, **kwargs)


def no_wait(max_attempts: int = 3) -> rt.RetryPolicy:
    return rt.RetryPolicy(max_attempts=max_attempts, sleep=lambda _: None)


# ------------------------------------------------------------------ scripted clients

MAX_CALLS = 1000
Outcome = Any  # a response, an exception to raise, or a callable(request) giving either


class ScriptedClient:
    """A stand-in boto3 client: each scripted method answers in turn; every call is recorded."""

    def __init__(self, **scripts: Outcome) -> None:
        self._scripts = {
            name: list(outcomes) if isinstance(outcomes, list) else [outcomes]
            for name, outcomes in scripts.items()
        }
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_") or name not in self._scripts:
            raise AttributeError(f"the stand-in client has no script for {name!r}")
        outcomes = self._scripts[name]

        def method(**request: Any) -> Any:
            if len(self.calls) >= MAX_CALLS:  # a loop that never stops fails the test, not hangs it
                raise AssertionError(f"more than {MAX_CALLS} requests: a runaway loop")
            sent = sum(1 for called, _ in self.calls if called == name)
            self.calls.append((name, copy.deepcopy(request)))
            outcome = outcomes[min(sent, len(outcomes) - 1)]
            if callable(outcome) and not isinstance(outcome, BaseException):
                outcome = outcome(request)
            if isinstance(outcome, BaseException):
                raise outcome
            return copy.deepcopy(outcome)

        return method

    def sent(self, name: str | None = None) -> list[dict[str, Any]]:
        """The requests sent (to one method, or to all), in order."""
        return [request for called, request in self.calls if name is None or called == name]


def endpoint_for(
    client: Any, policy: rt.RetryPolicy | None = None, table: str = "things"
) -> Endpoint:
    return Endpoint(client, table, policy if policy is not None else no_wait())


class NoClient:
    """A client that fails the test if anything is sent: for what must be built without I/O."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"no request expected, got {name}")


# ------------------------------------------------------------------ a hand-made entity

THING_STORED = {
    "pk": "pk",
    "sk": "sk",
    "name": "nm",
    "count": "count",
    "version": "ver",
    "created_at": "created",
    "updated_at": "updated",
}


def decode_thing(raw: Mapping[str, AttributeValue]) -> dict[str, Any]:
    """The wire item itself (so tests see exactly what was stored); no pk is a decode error."""
    if "pk" not in raw or "S" not in raw["pk"]:
        raise ItemDecodeError("Thing", "pk", "required attribute is missing")
    return dict(raw)


def thing_schema(auto: Automatic | None = None) -> EntitySchema[dict[str, Any]]:
    """Thing(pk, sk) with a version and both timestamps, unless `auto` says otherwise."""
    return EntitySchema(
        "Thing",
        key_names=("pk", "sk"),
        decode=decode_thing,
        stored=THING_STORED,
        auto=auto if auto is not None else Automatic("ver", "created", "updated"),
    )


THING = thing_schema()
PLAIN = thing_schema(Automatic())  # no automatic attributes at all

TABLE_SOURCE = Source(
    index=None,
    partition="pk",
    sort="sk",
    key_names=("pk", "sk"),
    encode_partition=lambda v: {"S": key_str(v, "pk")},
    encode_sort=lambda v: {"S": key_str(v, "sk")},
)
BY_NAME_SOURCE = Source(
    index="by_name",
    partition="nm",
    sort="sk",
    key_names=("pk", "sk", "nm"),
    encode_partition=lambda v: {"S": key_str(v, "name")},
    encode_sort=lambda v: {"S": key_str(v, "sk")},
)
NO_SORT_SOURCE = Source(
    index="by_pk_only",
    partition="pk",
    sort=None,
    key_names=("pk", "sk"),
    encode_partition=lambda v: {"S": key_str(v, "pk")},
)

THING_DEFINITION: dict[str, Any] = {
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
        {"AttributeName": "nm", "AttributeType": "S"},
    ],
    "KeySchema": [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ],
    "BillingMode": "PAY_PER_REQUEST",
    "GlobalSecondaryIndexes": [
        {
            "IndexName": "by_name",
            "KeySchema": [
                {"AttributeName": "nm", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
    ],
}


def key(pk: str, sk: str = "s") -> Item:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def thing(pk: str, sk: str = "s", **attributes: AttributeValue) -> Item:
    """A wire item of Thing; stored names as keyword arguments (nm=..., count=...)."""
    return {**key(pk, sk), **attributes}


# ------------------------------------------------------------------ a canned HTTP endpoint on loopback

THROTTLING = {
    "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
    "message": "Rate exceeded",
}


class _Canned(BaseHTTPRequestHandler):
    """A DynamoDB-shaped endpoint: always the same answer, counting the requests it gets."""

    requests = 0
    status = 400
    body: dict[str, Any] = THROTTLING

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        type(self).requests += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps(type(self).body).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "test-request")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def canned_endpoint(status: int, body: dict[str, Any]) -> Iterator[tuple[str, type[_Canned]]]:
    handler = type("Handler", (_Canned,), {"requests": 0, "status": status, "body": body})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ------------------------------------------------------------------ expressions


def untyped(value: object) -> Any:
    """A value of the wrong type, handed over as a caller without mypy would."""
    return value


def render(condition: rt.Condition[Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """A condition's text, names and values, rendered with a builder of its own."""
    from dynagen.runtime.expressions import ExpressionBuilder

    builder = ExpressionBuilder()
    text = condition.render(builder)
    return text, builder.names, builder.values


def s_attr(name: str) -> expressions.StringAttr[Any, str]:
    return expressions.StringAttr(name, lambda value: {"S": value}, expressions.Removable)


def n_attr(name: str) -> expressions.OrderedAttr[Any, int]:
    return expressions.OrderedAttr(name, lambda value: {"N": str(value)}, expressions.Removable)
