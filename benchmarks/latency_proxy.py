"""A loopback TCP proxy that adds a fixed one-way delay: a model of a region's round trip.

DynamoDB is a remote service: every request pays a network round trip of milliseconds (about
1-2 ms inside an AWS region between availability zones, more across regions), which is what
concurrent batch writes hide. DynamoDB Local on loopback answers in microseconds of network
time, so on it concurrency can only buy server CPU. This proxy puts the round trip back:
every chunk of bytes read from one side is written to the other `delay` seconds after it
arrived (order kept; chunks in flight overlap, so it models latency, not bandwidth). A request
and its answer each pay `delay` once: the round trip grows by 2 x delay.

Run it as its own process (`python -m benchmarks.latency_proxy --upstream 127.0.0.1:8796
--delay-ms 5`): it prints `http://127.0.0.1:PORT` on stdout once it listens, and stops when its
standard input closes (its parent ended) or after `--max-seconds`. Run in its own process so the
benchmark's client CPU (`time.process_time`) never counts the proxy's work. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import time
import urllib.parse
from collections import deque
from typing import Iterator

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Copy reader to writer, each chunk written `delay` seconds after it was read."""
    queue: deque[tuple[float, bytes]] = deque()
    ready = asyncio.Event()
    done = False

    async def read() -> None:
        nonlocal done
        try:
            while chunk := await reader.read(262144):
                queue.append((time.monotonic() + delay, chunk))
                ready.set()
        except (ConnectionError, OSError):
            pass
        finally:
            done = True
            ready.set()

    reading = asyncio.ensure_future(read())
    try:
        while True:
            if not queue:
                if done:
                    break
                ready.clear()
                await ready.wait()
                continue
            due, chunk = queue[0]
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            queue.popleft()
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        reading.cancel()
        writer.close()


def _serve(upstream_host: str, upstream_port: int, delay: float) -> object:
    async def handle(
        client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(
                upstream_host, upstream_port
            )
        except OSError:
            client_writer.close()
            return
        try:
            await asyncio.gather(
                _pump(client_reader, server_writer, delay),
                _pump(server_reader, client_writer, delay),
            )
        except asyncio.CancelledError:  # the proxy is stopping with this connection open
            client_writer.close()
            server_writer.close()

    return handle


async def _main(upstream: str, delay: float, max_seconds: float) -> None:
    host, _, port = upstream.rpartition(":")
    if host not in LOOPBACK:
        raise SystemExit(f"latency_proxy: the upstream must be on loopback, not {host!r}")
    server = await asyncio.start_server(_serve(host, int(port), delay), "127.0.0.1", 0)  # type: ignore[arg-type]
    listening = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{listening}", flush=True)
    loop = asyncio.get_running_loop()
    parent_gone = asyncio.Event()

    def on_stdin() -> None:
        if not os.read(sys.stdin.fileno(), 4096):  # end of file: the parent closed it or ended
            loop.remove_reader(sys.stdin.fileno())
            parent_gone.set()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    async with server:
        try:
            await asyncio.wait_for(parent_gone.wait(), timeout=max_seconds)
        except asyncio.TimeoutError:
            pass


@contextlib.contextmanager
def running(upstream: str, delay_ms: float, max_seconds: float = 3600.0) -> Iterator[str]:
    """Start the proxy in front of `upstream` (an http://127.0.0.1:PORT URL) in its own process;
    yields its URL, stops it on exit."""
    parts = urllib.parse.urlsplit(upstream)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.latency_proxy",
            "--upstream",
            f"{parts.hostname}:{parts.port}",
            "--delay-ms",
            str(delay_ms),
            "--max-seconds",
            str(max_seconds),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"latency_proxy did not start (printed {url!r})")
        yield url
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT on loopback")
    parser.add_argument("--delay-ms", type=float, required=True, help="one-way delay, ms")
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop after this long")
    args = parser.parse_args(argv)
    asyncio.run(_main(args.upstream, args.delay_ms / 1000.0, args.max_seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
