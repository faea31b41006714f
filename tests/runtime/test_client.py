"""dynagen.runtime.client: the client boto3 would make, with botocore's retries off; table names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ParamValidationError

from dynagen.runtime.client import check_table_name
from dynagen import runtime as rt
from generated_example.orders import OrdersTable
from tests.runtime.support import THROTTLING, canned_endpoint


@pytest.fixture(autouse=True)
def clean_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only what each test sets: no endpoint from the environment or a config file."""
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_PROFILE",
        "AWS_MAX_ATTEMPTS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def test_default_endpoint_is_aws() -> None:
    client = rt.make_client(region_name="eu-west-1")
    assert client.meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"
    assert client.meta.region_name == "eu-west-1"


def test_endpoint_from_aws_endpoint_url_dynamodb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8765")
    assert rt.make_client(region_name="us-east-1").meta.endpoint_url == "http://127.0.0.1:8765"
    assert rt.make_client().meta.endpoint_url == "http://127.0.0.1:8765"


def test_endpoint_from_aws_endpoint_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9999")
    assert rt.make_client().meta.endpoint_url == "http://127.0.0.1:9999"
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8765")
    assert rt.make_client().meta.endpoint_url == "http://127.0.0.1:8765"  # the specific one wins


def test_explicit_endpoint_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8765")
    client = rt.make_client(endpoint_url="http://localhost:1234")
    assert client.meta.endpoint_url == "http://localhost:1234"


def test_generated_table_without_a_client_uses_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8765")
    orders = OrdersTable()
    assert orders.client.meta.endpoint_url == "http://127.0.0.1:8765"
    assert orders.client.meta.config.retries["total_max_attempts"] == 1
    assert orders.table_name == "orders"


def test_botocore_retries_are_off() -> None:
    client = rt.make_client()
    assert client.meta.config.retries["total_max_attempts"] == 1
    assert client.meta.service_model.service_name == "dynamodb"


def test_botocore_retries_stay_off_with_a_config_or_aws_max_attempts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "7")
    client = rt.make_client(config=Config(connect_timeout=3, read_timeout=4))
    assert client.meta.config.retries["total_max_attempts"] == 1
    assert client.meta.config.connect_timeout == 3
    assert client.meta.config.read_timeout == 4


def test_one_request_per_attempt_only_our_policy_retries() -> None:
    with canned_endpoint(400, THROTTLING) as (endpoint, handler):
        client = rt.make_client(endpoint_url=endpoint)
        with pytest.raises(Exception) as caught:
            client.get_item(TableName="orders", Key={"customer_id": {"S": "c"}})
        assert "ThrottlingException" in str(caught.value)
        assert handler.requests == 1  # botocore itself did not retry

        sleeps: list[float] = []
        policy = rt.RetryPolicy(max_attempts=3, sleep=sleeps.append)
        orders = OrdersTable(client, retry=policy)
        with pytest.raises(rt.Throttled):
            orders.get("c", "o")
        assert handler.requests == 1 + 3 and len(sleeps) == 2


def _validates(client: Any) -> bool:
    """Whether botocore checks request parameters before sending (nothing listens on port 9)."""
    try:
        client.get_item(TableName="orders", Key={"a": {"S": "x"}}, NotAParameter=1)
    except ParamValidationError:
        return True
    except Exception:  # noqa: BLE001 - anything else means the check did not run
        return False
    raise AssertionError("the request cannot succeed")


def test_parameter_validation_is_off_by_default_and_can_be_turned_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = "http://127.0.0.1:9"
    assert not _validates(rt.make_client(endpoint_url=endpoint))
    assert _validates(rt.make_client(endpoint_url=endpoint, validate_parameters=True))
    monkeypatch.setenv("DYNAGEN_VALIDATE_PARAMETERS", "1")
    assert _validates(rt.make_client(endpoint_url=endpoint))
    assert not _validates(rt.make_client(endpoint_url=endpoint, validate_parameters=False))


# ------------------------------------------------------------------ table names


@pytest.mark.parametrize(
    "name", ["abc", "orders", "user-sessions", "My_Table.v2", "a" * 255, "0-9", "..."]
)
def test_valid_table_names(name: str) -> None:
    assert check_table_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "ab",
        "a" * 256,
        "with space",
        "tab\tle",
        "ordérs",
        "orders/prod",
        "a:b",
        "#ab",
        None,
        123,
    ],
)
def test_invalid_table_names(name: Any) -> None:
    with pytest.raises(rt.ValidationError, match="table name"):
        check_table_name(name)


def test_table_name_with_a_trailing_newline_is_invalid() -> None:
    with pytest.raises(rt.ValidationError):
        check_table_name("orders\n")


def test_generated_table_checks_its_name_before_any_request() -> None:
    class NoClient:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"no request expected, got {name}")

    client: Any = NoClient()
    with pytest.raises(rt.ValidationError, match="table name"):
        OrdersTable(client, table_name="x")
    assert OrdersTable(client, table_name="orders-prod").table_name == "orders-prod"
