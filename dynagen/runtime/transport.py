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
- botocore's `before-parameter-build` event is emitted with the request's parameters (botocore's
  own handlers there, such as the idempotency token it fills in for TransactWriteItems, run as
  usual) and `before-send` with the signed request, so handlers registered there (moto's
  `mock_aws`, test stubs, recorders) see, change or answer the request as through botocore. The
  other events of botocore's pipeline (before-call, before-sign, after-call...) are not emitted;
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
import time
from typing import Any, Callable, Mapping, cast
from urllib.parse import urlsplit

import botocore
from botocore import xform_name
from botocore.awsrequest import AWSPreparedRequest, HeadersDict
from botocore.exceptions import NoCredentialsError
from botocore.parsers import create_parser

from dynagen import __version__
from dynagen.runtime import jsonlib
from dynagen.runtime.connections import like_botocore
from dynagen.runtime.errors import BadResponse
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
        credentials: Any,
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
        self._events = meta.events
        self._exceptions = client.exceptions
        self._service_model = meta.service_model
        self._user_agent = f"dynagen/{__version__} direct botocore/{botocore.__version__}"
        self._error_parser = create_parser("json")
        self._clock = clock
        self._operation_models: dict[str, Any] = {}

    def send(self, operation: str, request: dict[str, Any]) -> Any:
        frozen = self._frozen_credentials()
        if self._account_endpoints and getattr(frozen, "account_id", None):
            # botocore may send these to an account-based endpoint (<account>.ddb.<region>...),
            # chosen by its endpoint rules: let it.
            return getattr(self._client, xform_name(operation))(**request)
        events = self._events
        model = self._operation_models.get(operation)
        if model is None:
            model = self._operation_models[operation] = self._service_model.operation_model(
                operation
            )
        # botocore's two events that handlers commonly use, with what botocore hands them: the
        # parameters as built (a handler may change them) and the signed request (may answer it).
        params = dict(request)
        events.emit(
            f"before-parameter-build.{SERVICE}.{operation}", params=params, model=model, context={}
        )
        body = encode_body(params)
        prepared = self.prepare(operation, body, frozen)
        responses = events.emit(f"before-send.{SERVICE}.{operation}", request=prepared)
        answer = next((response for _, response in responses if response is not None), None)
        if answer is not None:  # a handler answered (a stub, moto's mock_aws)
            status, headers, content = answer.status_code, answer.headers, answer.content
        else:
            # As botocore's endpoint logs it; redact.py blanks the credentials out of the record.
            logger.debug("Sending http request: %s", prepared)
            if self._proxied:  # botocore's session knows proxies: let it carry the request
                sent = self._http.send(prepared)
                status, headers, content = sent.status_code, sent.headers, sent.content
            else:
                status, headers, content = self._connections.send(
                    cast(bytes, prepared.body), cast(Mapping[str, bytes], prepared.headers)
                )
        check_frame(operation, headers, content)
        if status >= 300:
            self._raise_error(operation, status, headers, content)
        # Binary values inside items stay base64 text: the generated decoders decode them.
        document = parse_document(operation, content, decode_binary=True, items_as_sent=True)
        check_shape(operation, operation + "Output", document)
        document["ResponseMetadata"] = {
            "RequestId": headers.get("x-amzn-requestid", ""),
            "HTTPStatusCode": status,
            "HTTPHeaders": headers,
        }
        return document

    def _frozen_credentials(self) -> Any:
        """This request's credentials (a refreshable set refreshes here when it is due)."""
        frozen = self._credentials.get_frozen_credentials() if self._credentials else None
        if frozen is None or frozen.access_key is None:
            raise NoCredentialsError()
        return frozen

    def prepare(self, operation: str, body: bytes, frozen: Any = None) -> AWSPreparedRequest:
        """The signed request for one operation's body, as botocore would send it."""
        if frozen is None:
            frozen = self._frozen_credentials()
        headers = self.signer.headers(
            _TARGET_PREFIX + operation,
            body,
            frozen.access_key,
            frozen.secret_key,
            frozen.token,
            self._clock(),
        )
        headers["User-Agent"] = self._user_agent
        headers["Content-Length"] = str(len(body))
        # Header values as bytes, as botocore's endpoint hands them to the HTTP session.
        encoded = HeadersDict({name: value.encode("utf-8") for name, value in headers.items()})
        return AWSPreparedRequest("POST", self.url, encoded, body, False)  # type: ignore[arg-type]

    def _raise_error(self, operation: str, status: int, headers: Any, content: bytes) -> None:
        """An error answer: checked, parsed by botocore's JSON parser, raised as botocore raises it."""
        check_error_body(operation, content)
        shape = self._operation_models[operation].output_shape
        response = {"status_code": status, "headers": headers, "body": content}
        try:
            parsed = self._error_parser.parse(response, shape)
            # As botocore's endpoint does: the error's modeled fields (a condition failure's
            # Item, a cancelled transaction's CancellationReasons) parsed by its error shape.
            code = parsed.get("Error", {}).get("Code")
            error_shape = self._service_model.shape_for_error_code(code) if code else None
            if error_shape is not None:
                parsed.update(self._error_parser.parse(response, error_shape))
        except Exception as error:  # botocore's parser choked: the answer is malformed
            raise BadResponse(
                operation=operation,
                detail=f"botocore cannot parse the answer ({type(error).__name__}: {error})",
            ) from error
        code = parsed.get("Error", {}).get("QueryErrorCode") or parsed.get("Error", {}).get("Code")
        raise self._exceptions.from_code(code)(parsed, operation)

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
    return DirectTransport(client=client, credentials=credentials, http_session=http_session)
