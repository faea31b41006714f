"""Making the boto3 DynamoDB client: the usual AWS settings, our retry policy in charge."""

from __future__ import annotations

import os
import re
import weakref
from typing import Any

import boto3
import botocore.session
from botocore.config import Config

from dynagen.limits import TABLE_NAME_RULE, is_table_name
from dynagen.runtime import redact
from dynagen.runtime.errors import ValidationError
from dynagen.runtime.responses import CheckedParserFactory
from dynagen.runtime.transport import DirectTransport, for_client
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
    direct: bool | None = None,
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

    `direct` (default on; `DYNAGEN_TRANSPORT=botocore` turns it off) sends the ten item
    operations of the tables that use this client through the direct transport (transport.py):
    the same credentials, region, endpoint, HTTP session, checks and errors, without botocore's
    generic request pipeline. `direct=False` sends everything through botocore.
    """
    if fast_parser is None:
        fast_parser = _env_flag("DYNAGEN_FAST_PARSER", True)
    if validate_parameters is None:
        validate_parameters = _env_flag("DYNAGEN_VALIDATE_PARAMETERS", False)
    if direct is None:
        direct = transport_from_env()
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
    client = session.client(
        "dynamodb", endpoint_url=endpoint_url, region_name=region_name, config=merged
    )
    # The direct transport parses with fastparse and validates nothing: a client asked for
    # botocore's parser or botocore's parameter validation keeps botocore's pipeline.
    if direct and fast_parser and not validate_parameters:
        # The credentials botocore resolved for the client (the session caches them), refreshed
        # by get_frozen_credentials on every request.
        transport = for_client(client, core.get_credentials())
        if transport is not None:
            _TRANSPORTS[client] = transport
    return client


# The direct transport of each client make_client made with it on (weak: it goes with the client).
_TRANSPORTS: weakref.WeakKeyDictionary[Any, DirectTransport] = weakref.WeakKeyDictionary()


def transport_from_env() -> bool:
    """Whether DYNAGEN_TRANSPORT asks for the direct transport (the default) or botocore."""
    value = os.environ.get("DYNAGEN_TRANSPORT", "").strip().lower()
    if value in ("", "direct"):
        return True
    if value == "botocore":
        return False
    raise ValidationError(
        f"DYNAGEN_TRANSPORT is {value!r}: use 'direct' (the default) or 'botocore'"
    )


def direct_transport(client: Any) -> DirectTransport | None:
    """The direct transport make_client attached to `client`, None for any other client."""
    try:
        return _TRANSPORTS.get(client)
    except TypeError:  # not weak-referenceable: not one of ours
        return None


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
