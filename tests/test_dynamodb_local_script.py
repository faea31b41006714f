"""scripts/dynamodb_local.sh runs DynamoDB Local without telemetry and leaves the caller's folder alone.

DynamoDB Local writes dynamodb-local-metadata.json into its working folder; started in the
caller's folder, that file landed in the checkout. This starts a second server on its own port
from an empty folder and looks at the process and the folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "dynamodb_local.sh"
CACHE = ROOT / ".cache" / "dynamodb-local"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _script(verb: str, port: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DYNAGEN_CACHE"}
    env["DYNAGEN_DDB_PORT"] = str(port)
    return subprocess.run(
        ["bash", str(SCRIPT), verb], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """(pid, caller's folder) of a DynamoDB Local started by the script from an empty folder."""
    port = _free_port()
    caller = tmp_path / "caller"
    caller.mkdir()
    started = _script("start", port, caller)
    try:
        assert started.returncode == 0, started.stderr
        assert started.stdout.strip() == f"http://127.0.0.1:{port}"
        yield int((CACHE / f"pid.{port}").read_text()), caller
    finally:
        _script("stop", port, caller)


def test_dynamodb_local_runs_without_telemetry_in_its_cache_folder(
    server: tuple[int, Path],
) -> None:
    pid, caller = server
    arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert b"-disableTelemetry" in arguments
    assert b"-inMemory" in arguments
    assert Path(os.readlink(f"/proc/{pid}/cwd")) == CACHE.resolve()
    assert sorted(caller.iterdir()) == []
    assert (CACHE / "dynamodb-local-metadata.json").is_file()


def test_the_metadata_file_is_neither_committed_nor_committable() -> None:
    name = "dynamodb-local-metadata.json"
    tracked = subprocess.run(["git", "ls-files", name], cwd=ROOT, capture_output=True, text=True)
    assert tracked.stdout == "", f"{name} is committed"
    ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT, timeout=60)
    assert ignored.returncode == 0, f"{name} must be in .gitignore"
