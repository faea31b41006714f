"""Kept-alive HTTP(S) connections to one endpoint, for the direct transport, failing as botocore does.

Why not botocore's own session (urllib3): urllib3 sends a request's headers and body in two
writes and wraps every step in objects of its own; over loopback that alone is about half the
client CPU of a GetItem (http.client's own response parsing, through the email package, is a
fifth of what is left). Here a request goes out in one `sendall` on a kept-alive socket and a
lean HTTP/1.1 reader (`read_answer`: Content-Length, chunked, or until closed) takes the
answer. What botocore's session gives is kept here from the client's own session:
its timeouts (connect and read), TLS verification (its CA bundle, `verify=False`, a client
certificate) and socket options (TCP_NODELAY, keep-alive), and the failures come out as the same
botocore exceptions (`EndpointConnectionError`, `ConnectTimeoutError`, `ReadTimeoutError`,
`ConnectionClosedError`, `SSLError`), so errors.classify treats them alike. A request that a
proxy would carry is not sent here (transport.py hands it to botocore's session).

A body shorter than its Content-Length (the connection was cut) is returned as it came, as
botocore returns it, so that responses.check_frame raises the same BadResponse.
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import threading
from typing import Any, Mapping
from urllib.parse import urlsplit

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    SSLError,
)
from botocore.httpsession import create_urllib3_context, get_cert_path
from urllib3.util.wait import wait_for_read

Answer = tuple[int, dict[str, str], bytes]
"""An HTTP answer: status, headers (names in lower case), body."""


class Connections:
    """A pool of kept-alive connections (sockets) to `url`, safe to share between threads."""

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float | None,
        read_timeout: float | None,
        verify: bool | str | None = True,
        client_cert: str | tuple[str, str] | None = None,
        socket_options: list[tuple[int, int, int]] | None = None,
        max_idle: int = 10,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the direct transport needs an http(s) URL, not {url!r}")
        self.url = url
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.socket_options = list(socket_options or [])
        self.max_idle = max_idle
        self.context = _tls_context(verify, client_cert) if parts.scheme == "https" else None
        default_port = 443 if parts.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        netloc = host if self.port == default_port else f"{host}:{self.port}"
        self._request_line = f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {netloc}\r\n".encode()
        self._idle: list[socket.socket] = []
        self._lock = threading.Lock()

    def send(self, body: bytes, headers: Mapping[str, bytes]) -> Answer:
        """POST `body` to the endpoint; botocore's exceptions for every transport failure.

        The request goes out in one write (request line, headers and body together); the answer
        is read by `read_answer`.
        """
        lines = [self._request_line]
        for name, value in headers.items():
            if b"\r" in value or b"\n" in value:
                raise ValueError(f"header {name!r} holds a line break")
            lines.append(b"%s: %s\r\n" % (name.encode("ascii"), value))
        lines.append(b"\r\n")
        lines.append(body)
        sock = self._take()
        try:
            try:
                sock.sendall(b"".join(lines))
                status, answer_headers, content, reusable = read_answer(sock)
            except BaseException:
                sock.close()
                raise
        except socket.timeout as error:
            raise ReadTimeoutError(endpoint_url=self.url, error=error) from error
        except ssl.SSLError as error:
            raise SSLError(endpoint_url=self.url, error=error) from error
        except (OSError, http.client.HTTPException) as error:
            raise ConnectionClosedError(endpoint_url=self.url, error=error) from error
        if reusable:
            self._give_back(sock)
        else:
            sock.close()
        return status, answer_headers, content

    def keep(self, count: int) -> None:
        """Keep at least `count` connections alive when idle (one per thread of a concurrent
        batch), rather than closing those beyond `max_idle` after each request."""
        if count > self.max_idle:
            self.max_idle = count

    def _take(self) -> socket.socket:
        """An idle connection still open, or a new one (connected here, to tell connect failures)."""
        while True:
            with self._lock:
                sock = self._idle.pop() if self._idle else None
            if sock is None:
                return self._connect()
            if _still_open(sock):
                return sock
            sock.close()

    def _give_back(self, sock: socket.socket) -> None:
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(sock)
                return
        sock.close()

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except socket.timeout as error:
            raise ConnectTimeoutError(endpoint_url=self.url, error=error) from error
        except OSError as error:  # refused, unreachable, no such host
            raise EndpointConnectionError(endpoint_url=self.url, error=error) from error
        try:
            for level, option, value in self.socket_options:
                sock.setsockopt(level, option, value)
            if self.context is not None:
                sock = self.context.wrap_socket(sock, server_hostname=self.host)
        except socket.timeout as error:
            sock.close()
            raise ConnectTimeoutError(endpoint_url=self.url, error=error) from error
        except ssl.SSLError as error:
            sock.close()
            raise SSLError(endpoint_url=self.url, error=error) from error
        except OSError as error:
            sock.close()
            raise EndpointConnectionError(endpoint_url=self.url, error=error) from error
        sock.settimeout(self.read_timeout)
        return sock

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for sock in idle:
            sock.close()


_MAX_LINE = 65536
_MAX_HEADERS = 200


class _Reader:
    """Buffered reads from a socket: lines, exact lengths, the rest until the peer closes."""

    __slots__ = ("sock", "data", "pos")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.data = bytearray()
        self.pos = 0

    def _more(self) -> bool:
        chunk = self.sock.recv(262144)
        self.data += chunk
        return bool(chunk)

    def line(self) -> bytes | None:
        """The next line without its CRLF; None if the peer closed first."""
        while True:
            end = self.data.find(b"\r\n", self.pos)
            if end >= 0:
                line = bytes(self.data[self.pos : end])
                self.pos = end + 2
                return line
            if len(self.data) - self.pos > _MAX_LINE:
                raise http.client.LineTooLong("an answer's line")
            if not self._more():
                return None

    def take(self, count: int) -> tuple[bytes, bool]:
        """`count` bytes, or fewer (and False) when the peer closed before sending them all."""
        while len(self.data) - self.pos < count:
            if not self._more():
                return self.until_closed(), False
        start, self.pos = self.pos, self.pos + count
        return bytes(self.data[start : self.pos]), True

    def until_closed(self) -> bytes:
        while self._more():
            pass
        start, self.pos = self.pos, len(self.data)
        return bytes(self.data[start:])

    @property
    def left_over(self) -> bool:
        return self.pos < len(self.data)


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes, bool]:
    """Read one HTTP/1.x answer: status, headers (lower-case names), body, and whether the
    connection can carry another request.

    The body is framed by Content-Length, chunked transfer encoding, or the peer closing; a body
    cut short is returned as it came (the caller's frame check names it). Raises
    http.client's exceptions for an answer that is not HTTP or a connection closed before one.
    """
    reader = _Reader(sock)
    while True:
        status_line = reader.line()
        if status_line is None:
            if reader.data:
                raise http.client.IncompleteRead(bytes(reader.data))
            raise http.client.RemoteDisconnected("the connection closed without an answer")
        parts = status_line.split(None, 2)
        if (
            len(parts) < 2
            or not parts[0].startswith(b"HTTP/1.")
            or len(parts[1]) != 3
            or not parts[1].isdigit()
        ):
            raise http.client.BadStatusLine(status_line.decode("iso-8859-1"))
        status = int(parts[1])
        headers: dict[str, str] = {}
        while True:
            line = reader.line()
            if line is None:
                raise http.client.IncompleteRead(bytes(reader.data))
            if not line:
                break
            if len(headers) > _MAX_HEADERS:
                raise http.client.HTTPException("an answer with too many headers")
            name, colon, value = line.decode("iso-8859-1").partition(":")
            if not colon:
                raise http.client.HTTPException(f"a malformed header line {line[:80]!r}")
            name = name.strip().lower()
            value = value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if not 100 <= status < 200:  # an interim answer (100 Continue): the real one follows
            break
    reusable = parts[0] == b"HTTP/1.1" and "close" not in headers.get("connection", "").lower()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body, whole = _chunked(reader)
    elif "content-length" in headers:
        length = headers["content-length"]
        if length.strip().isdigit():
            body, whole = reader.take(int(length))
        else:  # the frame check refuses it; nothing here can tell where it ends
            body, whole = bytes(reader.data[reader.pos :]), False
    elif status in (204, 304):
        body, whole = b"", True
    else:
        body, whole = reader.until_closed(), False
    return status, headers, body, reusable and whole and not reader.left_over


def _chunked(reader: _Reader) -> tuple[bytes, bool]:
    """A chunked body, and whether it arrived whole."""
    body = bytearray()
    while True:
        line = reader.line()
        if line is None:
            return bytes(body), False
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise http.client.HTTPException(f"a bad chunk size {line[:40]!r}") from None
        if size == 0:
            while True:  # trailers, up to the blank line
                trailer = reader.line()
                if trailer is None:
                    return bytes(body), False
                if not trailer:
                    return bytes(body), True
        chunk, whole = reader.take(size + 2)
        body += chunk[:size]
        if not whole:
            return bytes(body), False


def _still_open(sock: socket.socket) -> bool:
    """Whether a kept-alive connection can carry another request: nothing waiting to be read (a
    server that closed it, or bytes beyond the last answer, make it readable)."""
    try:
        return not wait_for_read(sock, timeout=0.0)
    except (OSError, ValueError):  # closed underneath
        return False


def _tls_context(verify: bool | str | None, client_cert: str | tuple[str, str] | None) -> Any:
    """TLS as botocore's session sets it up: its context, its CA bundle (or the one `verify`
    names), or no verification at all for `verify=False`."""
    context = create_urllib3_context()
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = True
        location = verify if isinstance(verify, str) else get_cert_path(True)
        if location is None:
            context.load_default_certs()
        elif os.path.isdir(location):
            context.load_verify_locations(capath=location)
        else:
            context.load_verify_locations(cafile=location)
    if isinstance(client_cert, str):
        context.load_cert_chain(client_cert)
    elif client_cert is not None:
        context.load_cert_chain(*client_cert)
    return context


def like_botocore(url: str, session: Any) -> Connections:
    """Connections with the settings of a botocore `URLLib3Session` (a client's `_endpoint.http_session`).

    Reads the settings botocore keeps on the session (its constructor's arguments, resolved);
    tests/runtime/test_connections.py holds that the installed botocore still keeps them there.
    """
    timeout = session._timeout
    if isinstance(timeout, (int, float)):
        connect, read = float(timeout), float(timeout)
    else:
        connect, read = timeout.connect_timeout, timeout.read_timeout
    cert = session._cert_file
    client_cert = (cert, session._key_file) if cert and session._key_file else cert
    return Connections(
        url,
        connect_timeout=connect,
        read_timeout=read,
        verify=session._verify,
        client_cert=client_cert,
        socket_options=session._socket_options,
        max_idle=session._max_pool_connections,
    )
