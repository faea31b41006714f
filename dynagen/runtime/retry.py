"""Retries with exponential backoff and full jitter, for throttling and transient failures.

Clients the runtime makes have botocore's own retries turned off, so this is the one policy
in force and its budget is the whole story. A client passed in keeps its own settings too.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from dynagen.runtime.errors import THROTTLING_CODES, TRANSIENT_CODES, from_botocore

R = TypeVar("R")

# Connection-level failures: the request may or may not have reached DynamoDB.
CONNECTION_ERRORS = (
    EndpointConnectionError,
    ConnectionClosedError,
    ReadTimeoutError,
    ConnectTimeoutError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `max_attempts` in all, sleeping a random time in [0, min(cap, base * 2**n)]."""

    max_attempts: int = 10
    base_delay: float = 0.025
    max_delay: float = 2.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays cannot be negative")

    def delay(self, retry_number: int) -> float:
        """Full jitter (AWS architecture blog, "Exponential Backoff and Jitter")."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** min(retry_number, 32)))
        return float(ceiling * self.random())

    def backoff(self, retry_number: int) -> None:
        self.sleep(self.delay(retry_number))


DEFAULT_RETRY = RetryPolicy()


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def is_retryable(error: BaseException) -> bool:
    """Throttling, 5xx and dropped connections are worth another try; everything else is final."""
    if isinstance(error, CONNECTION_ERRORS):
        return True
    if isinstance(error, ClientError):
        code = error_code(error)
        if code in THROTTLING_CODES or code in TRANSIENT_CODES:
            return True
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return isinstance(status, int) and status >= 500
    return False


def call_with_retry(
    policy: RetryPolicy,
    send: Callable[[], R],
    *,
    operation: str,
    table: str,
    passthrough: frozenset[str] = frozenset(),
) -> R:
    """Call `send` until it succeeds or fails for good.

    A final failure is raised as a dynagen error (see errors.from_botocore), except ClientErrors
    whose code is in `passthrough`, which the caller interprets itself (condition failures).
    """
    attempt = 1
    while True:
        try:
            return send()
        except (ClientError, *CONNECTION_ERRORS) as error:
            if isinstance(error, ClientError) and error_code(error) in passthrough:
                raise
            if attempt >= policy.max_attempts or not is_retryable(error):
                raise from_botocore(
                    error, operation=operation, table=table, attempts=attempt
                ) from error
            policy.backoff(attempt - 1)
            attempt += 1
