"""Fixtures: fake AWS credentials, and the two engines every integration test runs on.

`endpoint` is parametrized over moto (ThreadedMotoServer on loopback) and DynamoDB Local
(started by scripts/dynamodb_local.sh, as in CI). Where they disagree, DynamoDB Local wins.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Never reach real AWS from the tests.
for _name in list(os.environ):
    if _name.startswith("AWS_"):
        del os.environ[_name]
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_EC2_METADATA_DISABLED="true",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def local_endpoint() -> str:
    """DynamoDB Local: the one scripts/test.sh started, or start it now (the script is idempotent)."""
    endpoint = os.environ.get("DYNAGEN_TEST_DDB_ENDPOINT")
    if endpoint:
        return endpoint
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "dynamodb_local.sh"), "start"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(params=["moto", "local"])
def endpoint(request: pytest.FixtureRequest) -> str:
    """Each integration test runs once on moto and once on DynamoDB Local."""
    name = "moto_endpoint" if request.param == "moto" else "local_endpoint"
    return str(request.getfixturevalue(name))


_CLIENTS: dict[str, object] = {}


@pytest.fixture
def client(endpoint: str):  # type: ignore[no-untyped-def]
    """One client per engine for the whole run (boto3 clients are thread-safe; making one is slow)."""
    from dynagen.runtime import make_client

    if endpoint not in _CLIENTS:
        _CLIENTS[endpoint] = make_client(endpoint_url=endpoint, region_name="us-east-1")
    return _CLIENTS[endpoint]
