"""Making the boto3 DynamoDB client: the usual AWS settings, our retry policy in charge."""

from __future__ import annotations

import re
from typing import Any

import boto3
from botocore.config import Config

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.types import DynamoDBClient

TABLE_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")


def make_client(
    *,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    config: Config | None = None,
    **session_kwargs: Any,
) -> DynamoDBClient:
    """A DynamoDB client from the environment, profile and config files, as boto3 finds them.

    boto3 reads `AWS_ENDPOINT_URL_DYNAMODB` (and `AWS_ENDPOINT_URL`) itself, which is how tests and
    the demo point generated code at DynamoDB Local. botocore's retries are off: the runtime's
    RetryPolicy does them, with one budget for everything.
    """
    ours = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    merged = ours.merge(config) if config is not None else ours
    session = boto3.session.Session(**session_kwargs)
    return session.client(
        "dynamodb", endpoint_url=endpoint_url, region_name=region_name, config=merged
    )


def check_table_name(name: str) -> str:
    """Table names come from code and environments: refuse what DynamoDB would, before any request."""
    if not isinstance(name, str) or not TABLE_NAME_RE.match(name):
        raise ValidationError(
            f"table name {name!r}: DynamoDB table names are 3-255 characters of A-Z a-z 0-9 _ - ."
        )
    return name
