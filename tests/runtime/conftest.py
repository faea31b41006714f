"""Fixtures for the runtime tests that need a real engine: moto's in-process `mock_aws`.

`mock_aws` is started per test (cheap once warm) so it never intercepts the requests of tests that
run their own HTTP endpoint (test_client.py), and every test starts from an empty account.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from dynagen import runtime as rt
from dynagen.runtime import jsonlib
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.tables import create_table
from tests.runtime.support import THING_DEFINITION, no_wait

_CLIENT: list[Any] = []


@pytest.fixture
def moto_client() -> Iterator[Any]:
    """A dynagen client (fast parser on, botocore retries off) talking to moto in process."""
    from moto import mock_aws

    if not _CLIENT:  # making a client is slow; it does no I/O, so one serves every test
        _CLIENT.append(rt.make_client(region_name="us-east-1"))
    with mock_aws():
        yield _CLIENT[0]


@pytest.fixture
def things(moto_client: Any) -> Endpoint:
    """The Thing table (pk, sk; GSI by_name on nm, sk), created on moto, with a policy that never sleeps."""
    endpoint = Endpoint(moto_client, "things", no_wait())
    create_table(endpoint, THING_DEFINITION, ttl_attribute=None)
    return endpoint


@pytest.fixture(params=["stdlib", "orjson"])
def json_library(request: pytest.FixtureRequest) -> Iterator[str]:
    """The test once with the standard library's JSON, once with orjson (when installed)."""
    was = jsonlib.ORJSON
    if request.param == "orjson" and not jsonlib.available():
        pytest.skip("orjson is not installed")
    jsonlib.use_orjson(request.param == "orjson")
    yield str(request.param)
    jsonlib.use_orjson(was)
