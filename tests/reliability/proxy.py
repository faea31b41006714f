"""A fault-injecting HTTP proxy for tests, between a boto3 client and DynamoDB Local.

    with FaultProxy("http://127.0.0.1:8765", rate=0.2, seed=7) as proxy:
        client = make_client(endpoint_url=proxy.url)
        ...
        proxy.counts      # Counter: fault kind -> how many times it was injected
        proxy.forwarded   # X-Amz-Target of every request that reached DynamoDB Local, in order

Each request draws from one seeded `random.Random` (under a lock): with probability `rate` it
gets one of `kinds`, chosen by the same generator, so the n-th request always meets the same
fate for a given seed. The kinds:

- `throughput`: HTTP 400 `ProvisionedThroughputExceededException` (not forwarded)
- `throttling`: HTTP 400 `ThrottlingException` (not forwarded)
- `http500`: HTTP 500 `InternalServerError` (not forwarded)
- `http503`: HTTP 503 with a plain-text body, as a load balancer would say it (not forwarded)
- `drop_before`: the connection is closed before the request is forwarded
- `drop_after`: the request is forwarded, DynamoDB Local answers, and the connection is closed
  without passing the answer on: the write happened, the client does not know it
- `delay`: the request is forwarded and answered after `delay` seconds
- `unprocessed` (not among the default kinds): for BatchWriteItem / BatchGetItem, only the first
  half of each table's requests (or keys) is forwarded; the rest comes back as UnprocessedItems /
  UnprocessedKeys, as DynamoDB does under load. Other operations get `throughput` instead.

Bad answers (`BAD_ANSWER_KINDS`, never among the default kinds; every one is forwarded, so a
write happened, and only the answer is bad):

- `cut_off`: the headers (with the whole answer's Content-Length) and the first half of the
  body are passed on, then the connection is closed
- `altered`: one byte of the body is changed (a letter or digit to another, from the middle
  on); Content-Length is right, the `x-amz-crc32` DynamoDB computed is now wrong. Only answers
  that carry an `x-amz-crc32` are altered (DynamoDB Local sends none with its error answers,
  and nothing could tell a changed byte there); others pass unchanged
- a lying server, whose scripted answers carry a right Content-Length and a right x-amz-crc32:
  `empty_body` (HTTP 200, no body), `not_json` (200, `not json`), `json_list` (200, `[]`),
  `json_null` (200, `null`), `bad_base64` (the first B or BS value of a 200 answer is not
  base64), `keyless` (BatchGetItem: the first item read lacks its key attributes),
  `repeat_key` (Query/Scan: the answer's LastEvaluatedKey is the request's ExclusiveStartKey:
  the server never advances), `cond_garbage` (a 400 answer's `Item`, the stored item of a
  condition failure, or each `CancellationReasons[].Item` of a cancelled transaction, has
  garbage for every value). When an answer has nothing to change (no
  binary value, no ExclusiveStartKey...) it is passed on as it is, and counted under
  `"<kind>:unchanged"` instead of `kind` (which counts the answers really spoilt).
- `silent`: the request is read and never answered (nor forwarded); the connection stays open
  until the client gives up (or `timeout`, or `stop()`).

`script(kind, ...)` queues kinds for the next requests (before any random draw), for tests that
need one exact fault at one exact moment; `only` limits faults to some operations (targets such
as `DynamoDB_20120810.PutItem`, or bare operation names). `page_limit=n` makes every Query and
Scan forwarded ask for at most n items (DynamoDB Local does not check signatures), so that a
handful of items spans several pages, as DynamoDB's 1 MB pages do with big tables. Everything is bounded: request bodies,
socket timeouts, the upstream timeout, and `stop()` closes the server.
"""

from __future__ import annotations

import collections
import http.client
import json
import random
import socket
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable

FAULT_KINDS = (
    "throughput",
    "throttling",
    "http500",
    "http503",
    "drop_before",
    "drop_after",
    "delay",
)
ALL_KINDS = FAULT_KINDS + ("unprocessed",)
LYING_KINDS = (
    "empty_body",
    "not_json",
    "json_list",
    "json_null",
    "bad_base64",
    "keyless",
    "repeat_key",
    "cond_garbage",
)
BAD_ANSWER_KINDS = ("cut_off", "altered") + LYING_KINDS + ("silent",)
KNOWN_KINDS = ALL_KINDS + BAD_ANSWER_KINDS
# Kinds that never reach DynamoDB Local.
NOT_FORWARDED = frozenset(
    {"throughput", "throttling", "http500", "http503", "drop_before", "silent"}
)
# The bodies a lying server answers with, whatever DynamoDB said.
_LIES = {"empty_body": b"", "not_json": b"not json", "json_list": b"[]", "json_null": b"null"}
MAX_BODY = 32 * 1024 * 1024
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "content-length",
    }
)
_ERRORS = {
    "throughput": (
        400,
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded (injected)",
    ),
    "throttling": (
        400,
        "com.amazon.coral.availability#ThrottlingException",
        "Rate of requests exceeds the allowed throughput (injected)",
    ),
    "http500": (
        500,
        "com.amazon.coral.service#InternalServerError",
        "Internal server error (injected)",
    ),
}


def _operation(target: str) -> str:
    return target.rpartition(".")[2]


class FaultProxy:
    """A threaded loopback proxy that injects faults by seeded chance; see the module docstring."""

    def __init__(
        self,
        upstream: str,
        *,
        rate: float = 0.0,
        seed: int = 0,
        kinds: Iterable[str] = FAULT_KINDS,
        delay: float = 0.05,
        only: Iterable[str] | None = None,
        timeout: float = 30.0,
        page_limit: int | None = None,
    ) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http" or not parsed.hostname:
            raise ValueError(f"upstream must be an http:// URL, got {upstream!r}")
        self.upstream_host = parsed.hostname
        self.upstream_port = parsed.port or 80
        self.rate = rate
        self.kinds = self._check_kinds(kinds)
        self.delay = delay
        self.only = None if only is None else {_operation(name) for name in only}
        self.timeout = timeout
        self.page_limit = page_limit
        self.seed = seed
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._script: collections.deque[str | None] = collections.deque()
        self.counts: collections.Counter[str] = collections.Counter()
        self.forwarded: list[str] = []
        self.decisions: list[tuple[str, str | None]] = []  # (operation, fault or None) per request
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ control

    @staticmethod
    def _check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
        kinds = tuple(kinds)
        unknown = set(kinds) - set(KNOWN_KINDS)
        if unknown or not kinds:
            raise ValueError(f"fault kinds must be some of {KNOWN_KINDS}, got {kinds}")
        return kinds

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fault-proxy",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # silent connections end
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def configure(
        self,
        *,
        rate: float | None = None,
        kinds: Iterable[str] | None = None,
        only: Iterable[str] | None | bool = False,
        seed: int | None = None,
        page_limit: int | None = None,
    ) -> None:
        """Change the fault plan between phases of a test (`only=None` lifts the filter)."""
        with self._lock:
            if page_limit is not None:
                self.page_limit = page_limit
            if rate is not None:
                self.rate = rate
            if kinds is not None:
                self.kinds = self._check_kinds(kinds)
            if only is not False:
                self.only = None if only is None else {_operation(n) for n in only}  # type: ignore[union-attr]
            if seed is not None:
                self.seed = seed
                self._random = random.Random(seed)

    def reset(self, *, seed: int = 0) -> None:
        """Back to a clean pass-through: no faults, no script, no filter, counts cleared."""
        with self._lock:
            self.rate = 0.0
            self.kinds = FAULT_KINDS
            self.only = None
            self.page_limit = None
            self.seed = seed
            self._random = random.Random(seed)
            self._script.clear()
            self.counts.clear()
            self.forwarded.clear()
            self.decisions.clear()

    def script(self, *kinds: str | None) -> None:
        """The next requests (that `only` lets through) get these kinds, in order; None: no fault."""
        for kind in kinds:
            if kind is not None:
                self._check_kinds([kind])
        with self._lock:
            self._script.extend(kinds)

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.forwarded.clear()
            self.decisions.clear()

    def forwarded_count(self, operation: str) -> int:
        with self._lock:
            return sum(1 for target in self.forwarded if _operation(target) == operation)

    def summary(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": len(self.decisions),
                "faults": sum(n for kind, n in self.counts.items() if ":" not in kind),
                "by_kind": dict(sorted(self.counts.items())),
                "forwarded": len(self.forwarded),
            }

    # ------------------------------------------------------------ the decision

    def _decide(self, target: str) -> str | None:
        operation = _operation(target)
        with self._lock:
            if self.only is not None and operation not in self.only:
                kind = None
            elif self._script:
                kind = self._script.popleft()
            elif self._random.random() < self.rate:
                kind = self._random.choice(self.kinds)
            else:
                kind = None
            if kind == "unprocessed" and operation not in ("BatchWriteItem", "BatchGetItem"):
                kind = "throughput"
            if kind is not None:
                self.counts[kind] += 1
            self.decisions.append((operation, kind))
            return kind

    def _unchanged(self, kind: str) -> None:
        """A bad answer drawn that found nothing to spoil: counted apart, not as a fault."""
        with self._lock:
            self.counts[kind] -= 1
            if not self.counts[kind]:
                del self.counts[kind]
            self.counts[f"{kind}:unchanged"] += 1

    def _record_forward(self, target: str) -> None:
        with self._lock:
            self.forwarded.append(target)

    # ------------------------------------------------------------ the handler

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = proxy.timeout  # idle keep-alive connections and slow clients end
            upstream: http.client.HTTPConnection | None = None

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                self._handle()

            def do_GET(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length < 0 or length > MAX_BODY:
                    self._answer(413, b"request too large", "text/plain")
                    self.close_connection = True
                    return
                body = self.rfile.read(length) if length else b""
                target = self.headers.get("X-Amz-Target", "")
                kind = proxy._decide(target)
                if kind in _ERRORS:
                    status, error_type, message = _ERRORS[kind]  # type: ignore[index]
                    payload = json.dumps({"__type": error_type, "message": message}).encode()
                    self._answer(status, payload, "application/x-amz-json-1.0")
                    return
                if kind == "http503":
                    self._answer(503, b"Service Unavailable (injected)", "text/plain")
                    return
                if kind == "drop_before":
                    self._drop()
                    return
                if kind == "silent":
                    self._hang()
                    return
                if proxy.page_limit and _operation(target) in ("Query", "Scan"):
                    body = _limit_page(body, proxy.page_limit)
                held_back: dict[str, Any] = {}
                if kind == "unprocessed":
                    body, held_back = _split_batch(body, _operation(target))
                if kind == "unprocessed" and not body:  # the whole batch held back
                    status, answer = 200, b"{}"
                    headers = [("Content-Type", "application/x-amz-json-1.0")]
                else:
                    try:
                        status, headers, answer = self._forward(body)
                    except (OSError, http.client.HTTPException):
                        with proxy._lock:
                            proxy.counts["upstream_error"] += 1
                        self._drop()  # upstream trouble: the client sees a dropped connection
                        return
                    proxy._record_forward(target)
                if kind == "drop_after":
                    self._drop()
                    return
                if kind == "delay":
                    time.sleep(proxy.delay)
                if kind == "unprocessed":
                    answer = _add_unprocessed(answer, _operation(target), held_back, status)
                    headers = [(n, v) for n, v in headers if n.lower() != "x-amz-crc32"]
                if kind == "altered":  # the crc32 header stays: it no longer matches
                    if any(n.lower() == "x-amz-crc32" for n, _ in headers):
                        answer = _alter(answer)
                    else:  # nothing could tell (DynamoDB Local's error answers carry none)
                        proxy._unchanged(kind)
                if kind in LYING_KINDS:
                    lie = _lie(kind, status, answer, body, _operation(target))
                    if lie is None:
                        proxy._unchanged(kind)
                    else:
                        status, answer = lie
                        headers = [
                            (n, str(zlib.crc32(answer)) if n.lower() == "x-amz-crc32" else v)
                            for n, v in headers
                        ]
                self.send_response_only(status)
                for name, value in headers:
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                if kind == "cut_off":
                    self.wfile.write(answer[: len(answer) // 2])
                    self.wfile.flush()
                    self._drop()
                    return
                self.wfile.write(answer)
                self.wfile.flush()

            def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
                headers = {
                    name: value
                    for name, value in self.headers.items()
                    if name.lower() not in HOP_BY_HOP
                }
                while True:
                    # A kept-alive upstream connection may have gone stale: one more try on a
                    # fresh one, never two sends on fresh connections (that could write twice).
                    fresh = self.upstream is None
                    if self.upstream is None:
                        self.upstream = http.client.HTTPConnection(
                            proxy.upstream_host, proxy.upstream_port, timeout=proxy.timeout
                        )
                    try:
                        self.upstream.request(self.command, self.path, body=body, headers=headers)
                        response = self.upstream.getresponse()
                        answer = response.read()
                        return response.status, response.getheaders(), answer
                    except (OSError, http.client.HTTPException):
                        self.upstream.close()
                        self.upstream = None
                        if fresh:
                            raise

            def _answer(self, status: int, payload: bytes, content_type: str) -> None:
                self.send_response_only(status)
                self.send_header("Content-Type", content_type)
                self.send_header("x-amzn-RequestId", "injected-fault")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()

            def _drop(self) -> None:
                """Close the client's connection without a byte of answer."""
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

            def _hang(self) -> None:
                """Answer nothing; end when the client gives up, at `timeout`, or at stop()."""
                self.close_connection = True
                ends = time.monotonic() + proxy.timeout
                self.connection.settimeout(0.05)
                while not proxy._stopping.is_set() and time.monotonic() < ends:
                    try:
                        if not self.connection.recv(65536):
                            break  # the client closed its end
                    except socket.timeout:
                        continue
                    except OSError:
                        break
                self._drop()

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    if self.upstream is not None:
                        self.upstream.close()

        return Handler


def _split_batch(body: bytes, operation: str) -> tuple[bytes, dict[str, Any]]:
    """Keep the first half of each table's batch in the request; return the held-back half."""
    request = json.loads(body)
    held_back: dict[str, Any] = {}
    for table, part in list(request.get("RequestItems", {}).items()):
        entries = part if operation == "BatchWriteItem" else part.get("Keys", [])
        keep = len(entries) // 2
        if operation == "BatchWriteItem":
            held_back[table] = entries[keep:]
            request["RequestItems"][table] = entries[:keep]
        else:
            held_back[table] = {**part, "Keys": entries[keep:]}
            request["RequestItems"][table] = {**part, "Keys": entries[:keep]}
        if not entries[:keep]:
            del request["RequestItems"][table]
    if not request["RequestItems"]:
        return b"", held_back  # nothing to forward: answered locally
    return json.dumps(request).encode(), held_back


def _add_unprocessed(
    answer: bytes, operation: str, held_back: dict[str, Any], status: int
) -> bytes:
    """Merge the held-back half into the answer's UnprocessedItems / UnprocessedKeys."""
    if status != 200:
        return answer
    response = json.loads(answer) if answer else {}
    field = "UnprocessedItems" if operation == "BatchWriteItem" else "UnprocessedKeys"
    unprocessed = response.setdefault(field, {})
    for table, part in held_back.items():
        if operation == "BatchWriteItem":
            unprocessed.setdefault(table, []).extend(part)
        else:
            unprocessed.setdefault(table, {**part, "Keys": []})["Keys"].extend(part["Keys"])
    if operation == "BatchGetItem":
        response.setdefault("Responses", {})
    return json.dumps(response).encode()


def _limit_page(body: bytes, page_limit: int) -> bytes:
    request = json.loads(body)
    request["Limit"] = min(int(request.get("Limit", page_limit)), page_limit)
    return json.dumps(request).encode()


def _alter(answer: bytes) -> bytes:
    """One byte changed, from the middle on: a digit or letter to the next one (JSON often stays valid)."""
    if not answer:
        return answer
    data = bytearray(answer)
    for at in list(range(len(data) // 2, len(data))) + list(range(len(data) // 2)):
        byte = data[at]
        for low, high in ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)):  # 0-9, A-Z, a-z
            if low <= byte <= high:
                data[at] = low if byte == high else byte + 1
                return bytes(data)
    data[len(data) // 2] ^= 0x01
    return bytes(data)


def _lie(
    kind: str, status: int, answer: bytes, request: bytes, operation: str
) -> tuple[int, bytes] | None:
    """The lying server's (status, body) for this answer, or None if it has nothing to change."""
    if kind in _LIES:
        return 200, _LIES[kind]
    try:
        response = json.loads(answer)
    except ValueError:
        return None
    if not isinstance(response, dict):
        return None
    changed = False
    if kind == "bad_base64" and status == 200:
        changed = _spoil_binary(response)
    elif kind == "keyless" and status == 200 and operation == "BatchGetItem":
        asked = json.loads(request).get("RequestItems", {})
        for table, items in response.get("Responses", {}).items():
            keys = asked.get(table, {}).get("Keys", [])
            if items and keys:
                for name in keys[0]:
                    items[0].pop(name, None)
                changed = True
                break
    elif kind == "repeat_key" and status == 200 and operation in ("Query", "Scan"):
        start = json.loads(request).get("ExclusiveStartKey")
        if start:
            response["LastEvaluatedKey"] = start
            changed = True
    elif kind == "cond_garbage" and status >= 400:
        holders = [response, *response.get("CancellationReasons", [])]
        for holder in holders:
            if isinstance(holder, dict) and isinstance(holder.get("Item"), dict):
                holder["Item"] = {name: "garbage" for name in holder["Item"]}
                changed = True
    if not changed:
        return None
    return status, json.dumps(response).encode()


def _spoil_binary(node: Any) -> bool:
    """Make the first B (or BS element) found not base64; whether one was found."""
    if isinstance(node, list):
        return any(_spoil_binary(value) for value in node)
    if not isinstance(node, dict):
        return False
    if len(node) == 1 and isinstance(node.get("B"), str):
        node["B"] = "not*base64!"
        return True
    if len(node) == 1 and isinstance(node.get("BS"), list) and node["BS"]:
        node["BS"][0] = "not*base64!"
        return True
    return any(_spoil_binary(value) for value in node.values())
