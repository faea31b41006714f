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
from dynagen.runtime.fastparse import FastParserFactory
from dynagen.runtime.types import DynamoDBClient


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
    RetryPolicy does them, with one budget for everything.

    `fast_parser` (default on; `DYNAGEN_FAST_PARSER=0` turns it off) parses item-carrying
    responses with dynagen's lean parser (see fastparse.py). `validate_parameters` (default off;
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
    )
    merged = ours.merge(config) if config is not None else ours
    core = botocore.session.get_session()
    if fast_parser:
        core.register_component("response_parser_factory", FastParserFactory())
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
