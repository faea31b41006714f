"""The table itself: create it from its spec's definition (with TTL), delete it, wait for it."""

from __future__ import annotations

import time
from typing import Any, Callable, Mapping

from botocore.exceptions import ClientError

from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import DynagenError, TableNotFound, from_botocore


def create_table(
    endpoint: Endpoint,
    definition: Mapping[str, Any],
    *,
    ttl_attribute: str | None,
    point_in_time_recovery: bool = False,
    wait: bool = True,
    exist_ok: bool = False,
    timeout: float = 300.0,
) -> None:
    """CreateTable from a spec's definition, then TTL and point-in-time recovery once it is active.

    An endpoint without point-in-time recovery (DynamoDB Local answers UnknownOperationException
    to UpdateContinuousBackups) gets the table without it: test suites create tables there.
    """
    request = {"TableName": endpoint.table_name, **definition}
    budget = endpoint.budget()
    try:
        endpoint.send(
            "CreateTable", request, budget=budget, passthrough=frozenset({"ResourceInUseException"})
        )
    except ClientError as error:
        if not exist_ok:
            raise from_botocore(
                error, operation="CreateTable", table=endpoint.table_name, attempts=budget.attempts
            ) from None
    if wait or ttl_attribute or point_in_time_recovery:
        wait_until_active(endpoint, timeout=timeout)
    if ttl_attribute:
        current = endpoint.send("DescribeTimeToLive", {"TableName": endpoint.table_name})
        description = current.get("TimeToLiveDescription", {})
        if description.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            specification = {"Enabled": True, "AttributeName": ttl_attribute}
            endpoint.send(
                "UpdateTimeToLive",
                {"TableName": endpoint.table_name, "TimeToLiveSpecification": specification},
            )

    if point_in_time_recovery:
        recovery = {"PointInTimeRecoveryEnabled": True}
        try:
            endpoint.send(
                "UpdateContinuousBackups",
                {"TableName": endpoint.table_name, "PointInTimeRecoverySpecification": recovery},
                passthrough=frozenset({"UnknownOperationException"}),
            )
        except ClientError:  # only the passthrough: this endpoint has no continuous backups
            pass


def delete_table(
    endpoint: Endpoint, *, wait: bool = True, missing_ok: bool = False, timeout: float = 300.0
) -> None:
    try:
        endpoint.send("DeleteTable", {"TableName": endpoint.table_name})
    except TableNotFound:
        if missing_ok:
            return
        raise
    if wait:
        _poll(endpoint, lambda: not _exists(endpoint), timeout, "to be deleted")


def wait_until_active(endpoint: Endpoint, *, timeout: float = 300.0) -> None:
    """Poll DescribeTable until the table and its global indexes are ACTIVE."""

    def active() -> bool:
        table = endpoint.send("DescribeTable", {"TableName": endpoint.table_name})["Table"]
        indexes = table.get("GlobalSecondaryIndexes", [])
        return bool(
            table.get("TableStatus") == "ACTIVE"
            and all(i.get("IndexStatus") == "ACTIVE" for i in indexes)
        )

    _poll(endpoint, active, timeout, "to become active")


def _exists(endpoint: Endpoint) -> bool:
    try:
        endpoint.send("DescribeTable", {"TableName": endpoint.table_name})
    except TableNotFound:
        return False
    return True


def _poll(endpoint: Endpoint, done: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.02
    while not done():
        if time.monotonic() > deadline:
            raise DynagenError(
                f"timed out after {timeout:.0f}s waiting for table {endpoint.table_name!r} {what}"
            )
        time.sleep(delay)
        delay = min(delay * 2, 2.0)
