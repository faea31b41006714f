"""Making the boto3 DynamoDB client: the usual AWS settings, our retry policy in charge."""

from __future__ import annotations

import os
import re
from typing import Any

import boto3
import botocore.session
from botocore.config import Config

from dynagen.limits import TABLE_NAME_RULE, is_table_name
from dynagen.runtime import redact
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.responses import CheckedParserFactory
from dynagen.runtime.types import DynamoDBClient

# Seconds. botocore's own defaults are 60 s each: a server that accepts a connection and never
# answers would hold each attempt for a minute. DynamoDB answers in milliseconds (a 1 MB page or
# a 100-item transaction in well under a second); 20 s leaves room for DynamoDB Local on a busy
# machine. Overridable through `config=Config(connect_timeout=..., read_timeout=...)`.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value not in ("0", "false", "no", "off")


def make_client(
    *,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    config: Config | None = None,
    fast_parser: bool | None = None,
    validate_parameters: bool | None = None,
    **session_kwargs: Any,
) -> DynamoDBClient:
    """A DynamoDB client from the environment, profile and config files, as boto3 finds them.

    boto3 reads `AWS_ENDPOINT_URL_DYNAMODB` (and `AWS_ENDPOINT_URL`) itself, which is how tests and
    the demo point generated code at DynamoDB Local. botocore's retries are off: the runtime's
    RetryPolicy does them, with one budget for everything. Timeouts default to CONNECT_TIMEOUT
    and READ_TIMEOUT (5 s and 20 s); whatever `config` sets explicitly wins.

    Every response is checked before it is parsed (responses.py): a body cut short, altered
    (x-amz-crc32) or malformed raises `BadResponse`, which the runtime retries like a dropped
    connection. `fast_parser` (default on; `DYNAGEN_FAST_PARSER=0` turns it off) parses
    item-carrying responses with dynagen's lean decode (see fastparse.py) instead of botocore's
    parser; the checks are the same either way. `validate_parameters` (default off;
    `DYNAGEN_VALIDATE_PARAMETERS=1` turns it on) is botocore's client-side request validation:
    generated code builds requests of the right shape and checks values itself.
    """
    if fast_parser is None:
        fast_parser = _env_flag("DYNAGEN_FAST_PARSER", True)
    if validate_parameters is None:
        validate_parameters = _env_flag("DYNAGEN_VALIDATE_PARAMETERS", False)
    ours = Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        parameter_validation=validate_parameters,
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
    )
    merged = ours.merge(config) if config is not None else ours
    core = botocore.session.get_session()
    core.register_component("response_parser_factory", CheckedParserFactory(fast=fast_parser))
    session = boto3.session.Session(botocore_session=core, **session_kwargs)
    redact.install()  # by pattern: resolving credentials here would make building a client do I/O
    return session.client(
        "dynamodb", endpoint_url=endpoint_url, region_name=region_name, config=merged
    )


def resolve_table_name(explicit: str | None, default: str) -> str:
    """The physical table name: the one given, else $DYNAGEN_TABLE_PREFIX + the spec's default.

    The prefix lets one deployment keep `dev-`, `staging-` and `prod-` tables apart; whatever
    comes out is checked against DynamoDB's rules before any request.
    """
    if explicit is not None:
        return check_table_name(explicit)
    return check_table_name(os.environ.get("DYNAGEN_TABLE_PREFIX", "") + default)


def check_table_name(name: str) -> str:
    """Table names come from code and environments: refuse what DynamoDB would, before any request."""
    if not is_table_name(name):
        raise ValidationError(f"table name {name!r}: {TABLE_NAME_RULE}")
    return name
