"""The direct transport: item operations sent without botocore's generic request pipeline.

botocore sends every call through a pipeline built for all of AWS: parameter events, a
serializer that walks the input shape, endpoint rules, request objects, a signer that rebuilds
the canonical request from scratch, and a parser that walks the output shape. For the ten item
operations (`OPERATIONS`) the runtime already holds the request as the JSON document DynamoDB
takes, so this module does only what those steps amount to for DynamoDB:

- the body is `json.dumps` of the request, the very bytes botocore's serializer writes (B and
  BS values as base64), or orjson's compact form of it when orjson is installed (jsonlib.py);
- it is signed with SigV4 (`Signer`): the same canonical request, string to sign and key
  derivation as `botocore.auth.SigV4Auth`, over the credentials botocore resolved (frozen per
  request, so refreshable credentials refresh), with the day's signing key cached (it depends
  only on the secret key, the date, the region and the service). tests/runtime/test_transport.py
  holds that the signatures equal SigV4Auth's on thousands of random requests;
- it goes out through the client's own HTTP session (botocore's `URLLib3Session`: its kept-alive
  connection pool, proxies, TLS verification, timeouts, and its mapping of socket failures to
  botocore's exceptions);
- botocore's client events are emitted as botocore emits them (hooks.py finds the handlers):
  provide-client-params and before-parameter-build with the parameters (botocore's own
  handlers there, such as the idempotency token it fills in for TransactWriteItems, run as
  usual), before-call with the request dict (a handler may answer the call), request-created
  with an AWSRequest (only when a user's handler is there: it is then signed by SigV4Auth where
  botocore's signer stands), before-send with the signed request (moto's `mock_aws`, stubs and
  recorders answer or see it), response-received, needs-retry (recorded, not obeyed: the
  RetryPolicy decides), after-call and after-call-error. The `amz-sdk-invocation-id` and
  `amz-sdk-request` headers go out unsigned, as botocore adds them after signing;
- the answer is checked exactly as responses.py checks every answer (Content-Length,
  x-amz-crc32, a JSON object of the right shape), decoded by fastparse, and an error answer is
  parsed by botocore's own JSON protocol parser and raised as the client's own ClientError class.

Everything else (the client's settings, region, endpoint, credentials) is the boto3 client's:
`for_client` builds a transport from a client `make_client` made, and Endpoint.send uses it
for `OPERATIONS`. Other operations (tables, TTL) always go through botocore.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import random
import time
from typing import Any, Callable, Mapping, cast
from urllib.parse import urlsplit

import botocore
from botocore import handlers as botocore_handlers
from botocore import xform_name
from botocore.auth import SigV4Auth
from botocore.credentials import Credentials, ReadOnlyCredentials
from botocore.awsrequest import AWSPreparedRequest, AWSRequest, AWSResponse, HeadersDict
from botocore.exceptions import BotoCoreError, HTTPClientError, NoCredentialsError
from botocore.handlers import add_recursion_detection_header
from botocore.parsers import create_parser

from dynagen import __version__
from dynagen.runtime import jsonlib
from dynagen.runtime.connections import like_botocore
from dynagen.runtime.errors import BadResponse
from dynagen.runtime.hooks import Hooks, first_response, is_replaced, is_signer
from dynagen.runtime.responses import _document as parse_document  # the one 2xx body check
from dynagen.runtime.responses import check_error_body, check_frame, check_shape

OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)
SERVICE = "dynamodb"
logger = logging.getLogger(__name__)
_TARGET_PREFIX = "DynamoDB_20120810."
_CONTENT_TYPE = "application/x-amz-json-1.0"
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_BASE_HEADERS = frozenset({"X-Amz-Target", "Content-Type", "User-Agent"})
_TRACE_ID = "_X_AMZN_TRACE_ID"  # botocore's recursion detection reads it (and the Lambda name)
_random_bits = random.getrandbits
_UUID4_CLEAR = ~((0xF << 76) | (0x3 << 62))  # the version and variant bits
_UUID4_SET = (0x4 << 76) | (0x2 << 62)  # version 4, RFC 4122 variant


def encode_body(request: dict[str, Any]) -> bytes:
    """The JSON body of a request: with the standard library, byte for byte botocore's."""
    return jsonlib.dumps(request)


class Signer:
    """SigV4 for DynamoDB's JSON requests, with the day's signing key cached.

    Equivalent to `botocore.auth.SigV4Auth(credentials, "dynamodb", region).add_auth(request)`
    for a POST to `/` with no query string whose headers are the ones `headers` returns: the
    signed headers are those SigV4Auth signs for them (every header but user-agent, plus host),
    values trimmed the same way. The key derivation (four HMACs) is the same for every request
    of one day and region, so it is done once per day and secret key.
    """

    __slots__ = ("region", "host", "_cached")

    def __init__(self, region: str, host: str) -> None:
        self.region = region
        self.host = host
        # (secret key, date, signing key): one tuple, replaced whole, so threads never mix them.
        self._cached: tuple[str, str, bytes] = ("", "", b"")

    def signing_key(self, secret_key: str, datestamp: str) -> bytes:
        cached = self._cached
        if cached[0] == secret_key and cached[1] == datestamp and cached[2]:
            return cached[2]
        key = _hmac(("AWS4" + secret_key).encode("utf-8"), datestamp)
        for part in (self.region, SERVICE, "aws4_request"):
            key = _hmac(key, part)
        self._cached = (secret_key, datestamp, key)
        return key

    def headers(
        self,
        target: str,
        body: bytes,
        access_key: str,
        secret_key: str,
        token: str | None,
        now: float,
    ) -> dict[str, str]:
        """The request's headers, Authorization included, signed at `now` (epoch seconds)."""
        stamp = time.gmtime(now)
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", stamp)
        datestamp = amz_date[:8]
        scope = f"{datestamp}/{self.region}/{SERVICE}/aws4_request"
        if token:
            canonical_headers = (
                f"content-type:{_CONTENT_TYPE}\nhost:{self.host}\nx-amz-date:{amz_date}\n"
                f"x-amz-security-token:{_trim(token)}\nx-amz-target:{target}\n"
            )
            signed = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        else:
            canonical_headers = (
                f"content-type:{_CONTENT_TYPE}\nhost:{self.host}\nx-amz-date:{amz_date}\n"
                f"x-amz-target:{target}\n"
            )
            signed = "content-type;host;x-amz-date;x-amz-target"
        payload = hashlib.sha256(body).hexdigest() if body else _EMPTY_SHA256
        canonical_request = f"POST\n/\n\n{canonical_headers}\n{signed}\n{payload}"
        string_to_sign = (
            f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n"
            f"{hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()}"
        )
        signature = hmac.new(
            self.signing_key(secret_key, datestamp), string_to_sign.encode("utf-8"), hashlib.sha256
        ).hexdigest()
        headers = {
            "X-Amz-Target": target,
            "Content-Type": _CONTENT_TYPE,
            "X-Amz-Date": amz_date,
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
                f"SignedHeaders={signed}, Signature={signature}"
            ),
        }
        if token:
            headers["X-Amz-Security-Token"] = token
        return headers


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def _trim(value: str) -> str:
    """A header value as SigV4 canonicalizes it: outer spaces gone, inner runs of spaces one."""
    return " ".join(value.split())


def canonical_host(url: str) -> str:
    """The Host SigV4 signs for a URL: as botocore's signer gives it (no default port)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    if port is not None and port != default:
        host = f"{host}:{port}"
    return host


class _Operation:
    """One operation's model and the names of its events (`<event>.dynamodb.<Operation>`)."""

    __slots__ = (
        "name",
        "model",
        "target",
        "output_name",
        "auth_type",
        "unsigned_payload",
        "provide_params",
        "before_parameter_build",
        "before_call",
        "request_created",
        "before_send",
        "response_received",
        "needs_retry",
        "after_call",
        "after_call_error",
        "events",
    )

    def __init__(self, model: Any) -> None:
        self.name: str = model.name
        self.model = model
        self.target = _TARGET_PREFIX + self.name
        self.output_name = self.name + "Output"
        self.auth_type = model.resolved_auth_type
        self.unsigned_payload = model.unsigned_payload
        suffix = f".{SERVICE}.{self.name}"
        self.provide_params = "provide-client-params" + suffix
        self.before_parameter_build = "before-parameter-build" + suffix
        self.before_call = "before-call" + suffix
        self.request_created = "request-created" + suffix
        self.before_send = "before-send" + suffix
        self.response_received = "response-received" + suffix
        self.needs_retry = "needs-retry" + suffix
        self.after_call = "after-call" + suffix
        self.after_call_error = "after-call-error" + suffix
        self.events = (
            self.provide_params,
            self.before_parameter_build,
            self.before_call,
            self.request_created,
            self.before_send,
            self.response_received,
            self.needs_retry,
            self.after_call,
        )


def new_invocation_id() -> str:
    """A random version-4 UUID, as botocore's invocation ids are, from `random` (a third of
    uuid4's cost: no system call; an id to tell requests apart, not a secret)."""
    text = "%032x" % ((_random_bits(128) & _UUID4_CLEAR) | _UUID4_SET)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _add_retry_headers(headers: Any, retries: Mapping[str, object]) -> None:
    """amz-sdk-invocation-id and amz-sdk-request, as botocore's add_retry_headers writes them."""
    headers["amz-sdk-invocation-id"] = str(retries["invocation-id"])
    headers["amz-sdk-request"] = f"attempt={retries['attempt']}; max={retries['max']}"


def _as_bytes(body: Any) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _response(url: str, status: int, headers: Mapping[str, str], content: bytes) -> AWSResponse:
    """The answer as botocore's AWSResponse, for the handlers of the events after sending."""
    response: Any = AWSResponse(url, status, cast(Any, HeadersDict(headers)), None)
    response._content = content  # read already: `.content` gives it, the raw stream is not needed
    return cast(AWSResponse, response)


class DirectTransport:
    """Sends item operations for one boto3 client: its credentials, region, endpoint, HTTP session.

    `send(operation, request)` returns what the boto3 method would (the parsed answer, with
    ResponseMetadata) and raises what it would: the client's ClientError classes for error
    answers, botocore's connection errors for transport failures, BadResponse for a bad answer.
    """

    def __init__(
        self,
        *,
        client: Any,
        credentials: Credentials | None,
        http_session: Any,
        clock: Callable[[], float] = time.time,
    ) -> None:
        meta = client.meta
        self.url = meta.endpoint_url.rstrip("/") + "/"
        self.region = meta.region_name
        self.signer = Signer(self.region, canonical_host(self.url))
        self._credentials = credentials
        self._client = client
        self._account_endpoints = (
            getattr(meta.config, "account_id_endpoint_mode", None) != "disabled"
        )
        self._http = http_session
        self._proxied = http_session._proxy_config.proxy_url_for(self.url) is not None
        self._connections = like_botocore(self.url, http_session)
        self._hooks = Hooks(meta.events)
        self._config = meta.config
        self._exceptions = client.exceptions
        self._service_model = meta.service_model
        self._auth_options = meta.service_model.metadata.get("auth")
        self._user_agent = f"dynagen/{__version__} direct botocore/{botocore.__version__}"
        self._user_agent_bytes = self._user_agent.encode("utf-8")
        self._error_parser = create_parser("json")
        self._clock = clock
        self._operations: dict[str, _Operation] = {}

    def send(
        self,
        operation: str,
        request: dict[str, Any],
        *,
        attempt: int = 1,
        max_attempts: int = 1,
        invocation_id: str | None = None,
    ) -> Any:
        """Send one attempt of `operation`: attempt `attempt` of at most `max_attempts` of one
        invocation (`amz-sdk-invocation-id`, a fresh one when None), as botocore numbers its own."""
        frozen = self._frozen_credentials()
        if self._account_endpoints and getattr(frozen, "account_id", None):
            # botocore may send these to an account-based endpoint (<account>.ddb.<region>...),
            # chosen by its endpoint rules: let it.
            return getattr(self._client, xform_name(operation))(**request)
        op = self._operations.get(operation) or self._operation(operation)
        hooks = self._hooks
        found_in = hooks.group(op.events)  # each event's handlers: empty, emit nothing
        retries = {
            "attempt": attempt,
            "invocation-id": invocation_id or new_invocation_id(),
            "max": max_attempts,
        }
        context = {
            "client_region": self.region,
            "client_config": self._config,
            "has_streaming_input": False,
            "auth_type": op.auth_type,
            "unsigned_payload": op.unsigned_payload,
            "auth_options": self._auth_options,
            "retries": retries,
        }
        params = dict(request)
        found = found_in[0]
        if found:  # a handler may hand back other parameters
            answers = hooks.call(
                found, op.provide_params, params=params, model=op.model, context=context
            )
            params = first_response(answers, params)
        found = found_in[1]
        if found:  # botocore's own (the TransactWriteItems idempotency token) and the user's
            hooks.call(
                found, op.before_parameter_build, params=params, model=op.model, context=context
            )
        body = encode_body(params)
        request_dict: dict[str, Any] | None = None
        extra: dict[str, str] = {}
        found = found_in[2]
        if found:
            request_dict = self._request_dict(op, body, context)
            answers = hooks.call(
                found,
                op.before_call,
                until_response=True,
                model=op.model,
                params=request_dict,
                request_signer=self._client._request_signer,
                context=context,
            )
            short = first_response(answers)
            if short is not None:  # a handler answered the call: (http response, parsed)
                http, parsed = short
                return self._finish(op, context, http, parsed)
            body = _as_bytes(request_dict["body"])
            extra = {
                name: value
                for name, value in request_dict["headers"].items()
                if name not in _BASE_HEADERS
            }
        if _TRACE_ID in os.environ:  # in a Lambda function: X-Amzn-Trace-Id, as botocore adds it
            add_recursion_detection_header(params={"headers": extra})
        prepared: AWSPreparedRequest | None = None
        if extra or found_in[3]:
            prepared = self._signed(op, body, frozen, extra, context)
        else:  # the fast path: no request object unless a handler or the log needs one
            wire = self._wire_headers(op.target, body, frozen, retries)
        answer = None
        try:
            found = found_in[4]
            if found:  # a handler may answer (a stub, moto's mock_aws)
                prepared = prepared or self._prepared(wire, body)
                answer = first_response(hooks.call(found, op.before_send, request=prepared))
            if answer is not None:
                status, headers, content = answer.status_code, answer.headers, answer.content
            else:
                if logger.isEnabledFor(logging.DEBUG):
                    # As botocore's endpoint logs it; redact.py blanks the credentials out.
                    prepared = prepared or self._prepared(wire, body)
                    logger.debug("Sending http request: %s", prepared)
                if self._proxied:  # botocore's session knows proxies: let it carry the request
                    sent = self._http.send(prepared or self._prepared(wire, body))
                    status, headers, content = sent.status_code, sent.headers, sent.content
                elif prepared is not None:  # as the handlers left it
                    status, headers, content = self._connections.send(
                        cast(bytes, prepared.body), cast(Mapping[str, bytes], prepared.headers)
                    )
                else:
                    status, headers, content = self._connections.send(body, wire)
            check_frame(operation, headers, content)
            if status >= 300:
                parsed = self._parse_error(op, status, headers, content)
            else:
                # Binary values inside items stay base64 text: the generated decoders decode them.
                parsed = parse_document(operation, content, decode_binary=True, items_as_sent=True)
                check_shape(operation, op.output_name, parsed)
                parsed["ResponseMetadata"] = {
                    "RequestId": headers.get("x-amzn-requestid", ""),
                    "HTTPStatusCode": status,
                    "HTTPHeaders": headers,
                    "RetryAttempts": attempt - 1,
                }
        except Exception as error:
            self._failed(op, context, error, attempt, request_dict, body)
            raise
        http = None
        found = found_in[5]
        if found:
            http = _response(self.url, status, headers, content)
            response_dict = {
                "headers": http.headers,
                "status_code": status,
                "body": content,
                "context": {"operation_name": op.name},
            }
            hooks.call(
                found,
                op.response_received,
                response_dict=response_dict,
                parsed_response=parsed,
                context=context,
                exception=None,
            )
        found = found_in[6]
        if found:  # for the record only: dynagen's RetryPolicy decides retries, not a handler
            http = http or _response(self.url, status, headers, content)
            hooks.call(
                found,
                op.needs_retry,
                response=(http, parsed),
                endpoint=self._client._endpoint,
                operation=op.model,
                attempts=attempt,
                caught_exception=None,
                request_dict=request_dict or self._request_dict(op, body, context),
            )
        if http is None and found_in[7]:
            http = _response(self.url, status, headers, content)
        return self._finish(op, context, http, parsed, status)

    def _finish(
        self, op: _Operation, context: dict[str, Any], http: Any, parsed: Any, status: int = 0
    ) -> Any:
        """after-call, then the parsed answer returned, or its error raised as botocore raises it."""
        found = self._hooks.handlers(op.after_call)
        if found:
            self._hooks.call(
                found,
                op.after_call,
                http_response=http,
                parsed=parsed,
                model=op.model,
                context=context,
            )
        if http is not None:
            status = http.status_code
        if status >= 300:
            error = parsed.get("Error", {})
            code = error.get("QueryErrorCode") or error.get("Code")
            raise self._exceptions.from_code(code)(parsed, op.name)
        return parsed

    def _failed(
        self,
        op: _Operation,
        context: dict[str, Any],
        error: Exception,
        attempt: int,
        request_dict: dict[str, Any] | None,
        body: bytes,
    ) -> None:
        """An attempt that raised: needs-retry with the exception (transport failures only, as
        botocore), then after-call-error, before the exception goes on."""
        hooks = self._hooks
        found = hooks.handlers(op.needs_retry)
        if found and isinstance(error, (HTTPClientError, BotoCoreError)):
            hooks.call(
                found,
                op.needs_retry,
                response=None,
                endpoint=self._client._endpoint,
                operation=op.model,
                attempts=attempt,
                caught_exception=error,
                request_dict=request_dict or self._request_dict(op, body, context),
            )
        found = hooks.handlers(op.after_call_error)
        if found:
            hooks.call(found, op.after_call_error, exception=error, context=context)

    def _operation(self, operation: str) -> _Operation:
        op = _Operation(self._service_model.operation_model(operation))
        self._operations[operation] = op
        return op

    def _request_dict(self, op: _Operation, body: bytes, context: dict[str, Any]) -> dict[str, Any]:
        """The request as botocore's serializer hands it to before-call handlers."""
        return {
            "url_path": "/",
            "query_string": "",
            "method": "POST",
            "headers": {
                "X-Amz-Target": op.target,
                "Content-Type": _CONTENT_TYPE,
                "User-Agent": self._user_agent,
            },
            "body": body,
            "url": self.url,
            "context": context,
        }

    def _signed(
        self,
        op: _Operation,
        body: bytes,
        frozen: ReadOnlyCredentials,
        extra: dict[str, str],
        context: dict[str, Any],
    ) -> AWSPreparedRequest:
        """The signed request when a user's request-created handler or an added header is there
        (otherwise `_wire_headers` is the fast path): an AWSRequest goes through the handlers in
        botocore's order, signed where botocore's signer stands, by botocore's SigV4Auth."""
        every = self._hooks.every(op.request_created)
        request = AWSRequest(
            method="POST",
            url=self.url,
            headers={
                "X-Amz-Target": op.target,
                "Content-Type": _CONTENT_TYPE,
                "User-Agent": self._user_agent,
                **extra,
            },
            data=body,
        )
        request.context = context
        signed = False
        for handler in every:
            if is_signer(handler):
                SigV4Auth(frozen, SERVICE, self.region).add_auth(request)
                signed = True
            elif handler is botocore_handlers.add_retry_headers:
                _add_retry_headers(request.headers, context["retries"])
            elif not is_replaced(handler):
                self._hooks.call(
                    (handler,), op.request_created, request=request, operation_name=op.name
                )
        if not signed:
            SigV4Auth(frozen, SERVICE, self.region).add_auth(request)
        prepared = request.prepare()
        headers: Any = prepared.headers  # as botocore's endpoint hands them on: values as bytes
        for name, value in headers.items():
            if isinstance(value, str):
                headers[name] = value.encode("utf-8")
        return prepared

    def keep_connections(self, count: int) -> None:
        """Keep at least `count` idle connections alive (the threads of a concurrent batch)."""
        self._connections.keep(count)

    def _frozen_credentials(self) -> ReadOnlyCredentials:
        """This request's credentials (a refreshable set refreshes here when it is due)."""
        frozen = self._credentials.get_frozen_credentials() if self._credentials else None
        if frozen is None or frozen.access_key is None or frozen.secret_key is None:
            raise NoCredentialsError()
        return frozen

    def _wire_headers(
        self, target: str, body: bytes, frozen: ReadOnlyCredentials, retries: Mapping[str, object]
    ) -> dict[str, bytes]:
        """The signed request's headers, as botocore would send them (its signed headers, then,
        unsigned as botocore adds them after signing, the `amz-sdk-*` ones), values as bytes (as
        botocore hands them to its HTTP session), in a plain dict: what the fast path sends."""
        access_key, secret_key = frozen.access_key, frozen.secret_key
        assert access_key is not None and secret_key is not None  # _frozen_credentials refuses None
        headers = self.signer.headers(
            target, body, access_key, secret_key, frozen.token, self._clock()
        )
        wire = {name: value.encode("utf-8") for name, value in headers.items()}
        wire["User-Agent"] = self._user_agent_bytes
        wire["amz-sdk-invocation-id"] = str(retries["invocation-id"]).encode("ascii")
        wire["amz-sdk-request"] = b"attempt=%d; max=%d" % (
            cast(int, retries["attempt"]),
            cast(int, retries["max"]),
        )
        wire["Content-Length"] = b"%d" % len(body)
        return wire

    def _prepared(self, wire: Mapping[str, bytes], body: bytes) -> AWSPreparedRequest:
        """The request as botocore's AWSPreparedRequest, for handlers, the log and proxies."""
        return AWSPreparedRequest("POST", self.url, HeadersDict(wire), body, False)  # type: ignore[arg-type]

    def _parse_error(self, op: _Operation, status: int, headers: Any, content: bytes) -> Any:
        """An error answer: checked, then parsed by botocore's JSON parser as botocore's endpoint
        parses it (with the error's modeled fields)."""
        check_error_body(op.name, content)
        response = {"status_code": status, "headers": headers, "body": content}
        try:
            parsed = self._error_parser.parse(response, op.model.output_shape)
            # As botocore's endpoint does: the error's modeled fields (a condition failure's
            # Item, a cancelled transaction's CancellationReasons) parsed by its error shape.
            code = parsed.get("Error", {}).get("Code")
            error_shape = self._service_model.shape_for_error_code(code) if code else None
            if error_shape is not None:
                parsed.update(self._error_parser.parse(response, error_shape))
        except Exception as error:  # botocore's parser choked: the answer is malformed
            raise BadResponse(
                operation=op.name,
                detail=f"botocore cannot parse the answer ({type(error).__name__}: {error})",
            ) from error
        return parsed

    def __repr__(self) -> str:
        return f"DirectTransport({self.url!r}, region={self.region!r})"


def for_client(client: Any, credentials: Any) -> DirectTransport | None:
    """A direct transport for a boto3 DynamoDB client, or None when the client has no endpoint
    URL or region to send to (botocore then reports what is missing, as usual).

    Requests whose credentials carry an AWS account id are handed to the client itself: botocore
    may send them to an account-based endpoint (`<account>.ddb.<region>.amazonaws.com`) that
    its endpoint rules choose, unless `account_id_endpoint_mode` is "disabled".
    """
    url = getattr(client.meta, "endpoint_url", None)
    http_session = getattr(getattr(client, "_endpoint", None), "http_session", None)
    if not url or http_session is None or not client.meta.region_name:
        return None
    try:
        return DirectTransport(client=client, credentials=credentials, http_session=http_session)
    except TypeError:  # an event system that is not botocore's emitter (hooks.py): keep botocore
        return None
