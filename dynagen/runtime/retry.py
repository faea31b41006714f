"""Retries with exponential backoff and full jitter, for throttling and transient failures.

Clients the runtime makes have botocore's own retries turned off, so this policy is the one in
force. Every call spends one `Budget` of `max_attempts` requests, whatever it does with them:
a plain request retried after throttling, a batch chunk re-sent for its unprocessed items, or a
transaction retried after a conflict all draw on the same budget, so no call ever sends more than
`max_attempts` requests for one piece of work. A client passed in keeps its own settings too.

The budget is also bounded in time: a retry is sent only if it would start (its backoff slept)
before `deadline` seconds have passed since the budget was opened, so no attempt starts after
the deadline. An attempt already under way is bounded by the client's own timeouts (`make_client`: 5 s to
connect, 20 s to read), so a call gives up at most about `deadline` + read timeout after it
started, however the server behaves (one that accepts connections and never answers included).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `max_attempts` in all, sleeping a random time in [0, min(cap, base * 2**n)],
    starting no attempt after `deadline` seconds (None: no time limit); and whether create and put
    are made idempotent with a client request token."""

    max_attempts: int = 10
    base_delay: float = 0.025
    max_delay: float = 2.0
    deadline: float | None = 60.0
    idempotent_writes: bool = False
    """Send create and put as a single-item TransactWriteItems with a ClientRequestToken, so that
    a retry after a lost answer is recognised by DynamoDB itself (for 10 minutes) and the call can
    report success or a condition failure, never "outcome unknown". Costs a transactional write
    (twice the write capacity of a PutItem)."""
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays cannot be negative")
        if self.deadline is not None and not self.deadline > 0:
            raise ValueError("deadline must be a positive number of seconds, or None")

    def delay(self, retry_number: int) -> float:
        """Full jitter (AWS architecture blog, "Exponential Backoff and Jitter")."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** min(retry_number, 32)))
        return float(ceiling * self.random())

    def backoff(self, retry_number: int) -> None:
        self.sleep(self.delay(retry_number))

    def budget(self) -> Budget:
        return Budget(self)


DEFAULT_RETRY = RetryPolicy()


class Budget:
    """The requests one call may still send, and until when; shared by every loop of that call.

    `uncertain` turns true once an attempt of a write failed in a way that may have applied it
    (its answer was lost): from then on neither success nor "not written" can be inferred
    from a condition failure, and the endpoint reports the outcome as unknown.
    """

    __slots__ = ("policy", "attempts", "started", "_delay", "uncertain")

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.attempts = 0  # requests sent so far
        self.uncertain = False
        self.started = policy.clock()
        self._delay: float | None = None  # the backoff before the next retry, once drawn

    def _next_delay(self) -> float:
        if self._delay is None:
            self._delay = self.policy.delay(self.attempts - 1)
        return self._delay

    def spend(self) -> None:
        """Count one request about to be sent, sleeping first if it is a retry."""
        if self.attempts:
            self.policy.sleep(self._next_delay())
        self._delay = None
        self.attempts += 1

    @property
    def elapsed(self) -> float:
        return self.policy.clock() - self.started

    @property
    def left(self) -> bool:
        """Whether another request may be sent: attempts remain, and (with a deadline) the backoff
        before it would end before the deadline (the delay is drawn here and slept by `spend`)."""
        if self.attempts >= self.policy.max_attempts:
            return False
        if self.policy.deadline is None or not self.attempts:
            return True
        return self.elapsed + self._next_delay() < self.policy.deadline

    @property
    def deadline_reached(self) -> bool:
        """Whether the deadline, not the attempt count, leaves no further request."""
        return self.policy.deadline is not None and (
            self.attempts < self.policy.max_attempts and not self.left
        )
