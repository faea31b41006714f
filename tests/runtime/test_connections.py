"""dynagen.runtime.connections: kept alive, renewed when stale, failing as botocore does.

Each test runs a small server on loopback that answers (or misbehaves) as the test says.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from botocore.config import Config
from botocore.exceptions import (
    ConnectionClosedError,
    EndpointConnectionError,
    ReadTimeoutError,
    SSLError,
)

from dynagen import runtime as rt
from dynagen.runtime.client import direct_transport
from dynagen.runtime.connections import Connections, like_botocore

OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}"
Behaviour = Callable[[socket.socket], None]


def read_request(conn: socket.socket) -> bytes:
    """One whole request (headers, then as many body bytes as Content-Length says)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        body += conn.recv(65536)
    return data


class Server:
    """Accepts connections on loopback; `behaviour` serves each one."""

    def __init__(self, behaviour: Behaviour, context: ssl.SSLContext | None = None) -> None:
        self.behaviour = behaviour
        self.accepted = 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.context = context
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self.context else 'http'}://127.0.0.1:{self.port}/"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.context is not None:
                try:
                    conn = self.context.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    conn.close()
                    continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            self.behaviour(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(behaviour: Behaviour, context: ssl.SSLContext | None = None) -> Server:
        servers.append(Server(behaviour, context))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def keep_answering(conn: socket.socket) -> None:
    while read_request(conn):
        conn.sendall(OK)


def pool(url: str, **settings: object) -> Connections:
    options = {"connect_timeout": 2.0, "read_timeout": 2.0, **settings}
    return Connections(url, **options)  # type: ignore[arg-type]


HEADERS = {"Content-Type": b"application/x-amz-json-1.0"}


def test_one_connection_carries_many_requests(serve: Callable[..., Server]) -> None:
    server = serve(keep_answering)
    connections = pool(server.url)
    for _ in range(20):
        assert connections.send(b'{"a": 1}', HEADERS) == (
            200,
            {"content-type": "application/x-amz-json-1.0", "content-length": "2"},
            b"{}",
        )
    assert server.accepted == 1


def test_the_request_goes_out_whole_with_its_host(serve: Callable[..., Server]) -> None:
    seen: list[bytes] = []

    def record(conn: socket.socket) -> None:
        seen.append(read_request(conn))
        conn.sendall(OK)

    server = serve(record)
    pool(server.url).send(b'{"x": "y"}', {"X-Amz-Target": b"DynamoDB_20120810.GetItem"})
    head, _, body = seen[0].partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST / HTTP/1.1"
    assert f"Host: 127.0.0.1:{server.port}".encode() in lines
    assert b"X-Amz-Target: DynamoDB_20120810.GetItem" in lines and body == b'{"x": "y"}'


def test_a_header_with_a_line_break_is_refused_before_sending(
    serve: Callable[..., Server],
) -> None:
    server = serve(keep_answering)
    with pytest.raises(ValueError, match="line break"):
        pool(server.url).send(b"{}", {"X-Amz-Security-Token": b"abc\r\nInjected: 1"})


def test_a_connection_the_server_closed_is_replaced_without_an_error(
    serve: Callable[..., Server],
) -> None:
    def answer_once(conn: socket.socket) -> None:  # keep-alive promised, then closed anyway
        read_request(conn)
        conn.sendall(OK)

    server = serve(answer_once)
    connections = pool(server.url)
    for _ in range(5):
        assert connections.send(b"{}", HEADERS)[0] == 200
        time.sleep(
            0.05
        )  # the server's close arrives (a close racing a new request is lost, as with urllib3)
    assert server.accepted == 5


def test_connection_close_is_honoured(serve: Callable[..., Server]) -> None:
    def close_after(conn: socket.socket) -> None:
        while read_request(conn):
            conn.sendall(OK.replace(b"Content-Length", b"Connection: close\r\nContent-Length"))

    server = serve(close_after)
    connections = pool(server.url)
    for _ in range(3):
        assert connections.send(b"{}", HEADERS)[2] == b"{}"
    assert server.accepted == 3 and connections._idle == []


def test_nothing_listening_is_an_endpoint_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(EndpointConnectionError):
        pool(f"http://127.0.0.1:{port}/").send(b"{}", HEADERS)


def test_a_server_that_never_answers_is_a_read_timeout(serve: Callable[..., Server]) -> None:
    release = threading.Event()

    def silent(conn: socket.socket) -> None:
        read_request(conn)
        release.wait(5)

    server = serve(silent)
    try:
        with pytest.raises(ReadTimeoutError):
            pool(server.url, read_timeout=0.3).send(b"{}", HEADERS)
    finally:
        release.set()


def test_a_connection_dropped_before_the_answer_is_connection_closed(
    serve: Callable[..., Server],
) -> None:
    server = serve(lambda conn: read_request(conn) and None)
    with pytest.raises(ConnectionClosedError):
        pool(server.url).send(b"{}", HEADERS)


def test_a_body_cut_short_comes_back_as_it_came(serve: Callable[..., Server]) -> None:
    def cut(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"Item":')

    server = serve(cut)
    status, headers, body = pool(server.url).send(b"{}", HEADERS)
    assert (status, headers["content-length"], body) == (200, "100", b'{"Item":')


def test_a_cut_body_through_the_transport_is_a_bad_response(serve: Callable[..., Server]) -> None:
    def cut(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"Item":')

    server = serve(cut)
    client = rt.make_client(endpoint_url=server.url, region_name="us-east-1")
    transport = direct_transport(client)
    assert transport is not None
    with pytest.raises(rt.BadResponse, match="Content-Length says 100"):
        transport.send("GetItem", {"TableName": "t", "Key": {"k": {"S": "v"}}})


def test_the_clients_timeouts_and_pool_size_are_used() -> None:
    client = rt.make_client(
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        config=Config(connect_timeout=1.5, read_timeout=7, max_pool_connections=3),
    )
    transport = direct_transport(client)
    assert transport is not None
    connections = transport._connections
    assert (connections.connect_timeout, connections.read_timeout, connections.max_idle) == (
        1.5,
        7,
        3,
    )
    default = direct_transport(rt.make_client(endpoint_url="http://127.0.0.1:9", region_name="x"))
    assert default is not None
    assert (default._connections.connect_timeout, default._connections.read_timeout) == (5.0, 20.0)


def test_botocore_still_keeps_the_session_settings_where_like_botocore_reads_them() -> None:
    client = rt.make_client(endpoint_url="https://127.0.0.1:9", region_name="us-east-1")
    session = client._endpoint.http_session  # type: ignore[attr-defined]
    for name in ("_timeout", "_verify", "_cert_file", "_key_file", "_socket_options"):
        assert hasattr(session, name), name
    assert hasattr(session, "_max_pool_connections") and hasattr(session, "_proxy_config")
    connections = like_botocore("https://127.0.0.1:9/", session)
    assert connections.context is not None
    assert connections.context.verify_mode == ssl.CERT_REQUIRED


# ------------------------------------------------------------------ TLS


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def tls_server(serve: Callable[..., Server], certificate: tuple[Path, Path]) -> Server:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    return serve(keep_answering, context)


def test_tls_is_verified_against_the_bundle_given(
    serve: Callable[..., Server], certificate: tuple[Path, Path]
) -> None:
    server = tls_server(serve, certificate)
    assert pool(server.url, verify=str(certificate[0])).send(b"{}", HEADERS)[0] == 200


def test_tls_to_an_unknown_certificate_is_an_ssl_error(
    serve: Callable[..., Server], certificate: tuple[Path, Path]
) -> None:
    server = tls_server(serve, certificate)
    with pytest.raises(SSLError):
        pool(server.url, verify=True).send(b"{}", HEADERS)


def test_tls_without_verification_when_asked(
    serve: Callable[..., Server], certificate: tuple[Path, Path]
) -> None:
    server = tls_server(serve, certificate)
    assert pool(server.url, verify=False).send(b"{}", HEADERS)[0] == 200


def test_the_ca_bundle_of_the_environment_reaches_the_direct_transport(
    serve: Callable[..., Server], certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = tls_server(serve, certificate)
    monkeypatch.setenv("AWS_CA_BUNDLE", str(certificate[0]))
    client = rt.make_client(endpoint_url=server.url, region_name="us-east-1")
    transport = direct_transport(client)
    assert transport is not None
    transport.send("PutItem", {"TableName": "t", "Item": {"k": {"S": "v"}}})
    monkeypatch.delenv("AWS_CA_BUNDLE")
    untrusting = direct_transport(rt.make_client(endpoint_url=server.url, region_name="us-east-1"))
    assert untrusting is not None
    with pytest.raises(SSLError):
        untrusting.send("PutItem", {"TableName": "t", "Item": {"k": {"S": "v"}}})


def test_a_proxied_endpoint_goes_through_botocores_session(monkeypatch: pytest.MonkeyPatch) -> None:
    client = rt.make_client(
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        config=Config(proxies={"http": "http://127.0.0.1:3128"}),
    )
    transport = direct_transport(client)
    assert transport is not None and transport._proxied
    plain = direct_transport(rt.make_client(endpoint_url="http://127.0.0.1:9", region_name="x"))
    assert plain is not None and not plain._proxied


def test_a_proxy_carries_the_request_as_through_botocore(serve: Callable[..., Server]) -> None:
    lines: list[bytes] = []

    def proxy(conn: socket.socket) -> None:
        request = read_request(conn)
        lines.append(request.split(b"\r\n")[0])
        conn.sendall(OK)

    server = serve(proxy)
    client = rt.make_client(
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        config=Config(proxies={"http": server.url}),
    )
    transport = direct_transport(client)
    assert transport is not None
    transport.send("PutItem", {"TableName": "t", "Item": {"k": {"S": "v"}}})
    assert lines == [b"POST http://127.0.0.1:9/ HTTP/1.1"]  # the proxy's form: the whole URL


def _answering(raw: bytes) -> Behaviour:
    def behaviour(conn: socket.socket) -> None:
        while read_request(conn):
            conn.sendall(raw)

    return behaviour


def test_a_chunked_answer_is_read_whole_and_the_connection_kept(
    serve: Callable[..., Server],
) -> None:
    raw = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{"a"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\nT: v\r\n\r\n'
    server = serve(_answering(raw))
    connections = pool(server.url)
    for _ in range(3):
        assert connections.send(b"{}", HEADERS)[2] == b'{"a": 1}'
    assert server.accepted == 1


def test_an_interim_answer_is_skipped(serve: Callable[..., Server]) -> None:
    server = serve(_answering(b"HTTP/1.1 100 Continue\r\n\r\n" + OK))
    assert pool(server.url).send(b"{}", HEADERS)[:1] == (200,)


def test_bytes_beyond_the_answer_retire_the_connection(serve: Callable[..., Server]) -> None:
    server = serve(_answering(OK + b"garbage"))
    connections = pool(server.url)
    assert connections.send(b"{}", HEADERS)[2] == b"{}"
    assert connections._idle == []


def test_an_answer_without_length_is_read_until_closed(serve: Callable[..., Server]) -> None:
    def once(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.0 200 OK\r\nX-A: 1\r\nX-A: 2\r\n\r\n{}")

    server = serve(once)
    status, headers, body = pool(server.url).send(b"{}", HEADERS)
    assert (status, headers, body) == (200, {"x-a": "1, 2"}, b"{}")


@pytest.mark.parametrize(
    "raw",
    [b"SMTP ready\r\n\r\n", b"HTTP/1.1 2000 OK\r\n\r\n", b"HTTP/1.1 200 OK\r\nbroken\r\n\r\n"],
)
def test_an_answer_that_is_not_http_is_connection_closed(
    serve: Callable[..., Server], raw: bytes
) -> None:
    server = serve(_answering(raw))
    with pytest.raises(ConnectionClosedError):
        pool(server.url).send(b"{}", HEADERS)
