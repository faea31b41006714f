"""dynagen.runtime.retry: the policy's backoff with full jitter, and the Budget one call spends.

How the endpoint spends a budget is in test_endpoint.py; how failures are classified, in
test_errors.py.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynagen import runtime as rt
from dynagen.runtime.retry import DEFAULT_RETRY, Budget
from tests.runtime.support import Sleeps

# ------------------------------------------------------------------ the policy


@given(
    retry_number=st.integers(0, 40),
    base=st.floats(0, 10, allow_nan=False),
    cap=st.floats(0, 100, allow_nan=False),
    draw=st.floats(0, 1, exclude_max=True),
)
def test_delay_is_full_jitter_under_the_capped_exponential(
    retry_number: int, base: float, cap: float, draw: float
) -> None:
    policy = rt.RetryPolicy(base_delay=base, max_delay=cap, random=lambda: draw)
    ceiling = min(cap, base * 2**retry_number)
    delay = policy.delay(retry_number)
    assert 0 <= delay <= ceiling
    if retry_number <= 32:  # beyond, the exponent is clamped (only ever below the bound)
        assert delay == pytest.approx(ceiling * draw)


def test_delay_with_the_real_random_source() -> None:
    policy = rt.RetryPolicy(base_delay=0.025, max_delay=2.0, random=random.Random(7).random)
    for retry_number in range(12):
        ceiling = min(2.0, 0.025 * 2**retry_number)
        delays = [policy.delay(retry_number) for _ in range(300)]
        assert all(0 <= delay <= ceiling for delay in delays)
        assert max(delays) > ceiling * 0.8  # spread over the whole range: full jitter
        assert min(delays) < ceiling * 0.2


def test_delay_of_a_huge_retry_number_is_capped() -> None:
    policy = rt.RetryPolicy(random=lambda: 0.5)
    assert policy.delay(10_000) == pytest.approx(1.0)


def test_default_policy() -> None:
    assert rt.RetryPolicy().max_attempts == 10
    assert rt.RetryPolicy().base_delay == 0.025
    assert rt.RetryPolicy().max_delay == 2.0
    assert DEFAULT_RETRY == rt.RetryPolicy()


@pytest.mark.parametrize("kwargs", [{"max_attempts": 0}, {"base_delay": -1.0}, {"max_delay": -0.1}])
def test_policy_refuses_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        rt.RetryPolicy(**kwargs)


def test_backoff_sleeps_the_delay_of_that_retry() -> None:
    """`backoff(n)` hands `delay(n)` to the policy's sleep, nothing else."""
    recorder = Sleeps()
    policy = recorder.policy(base_delay=1.0, max_delay=100.0, random=lambda: 0.5)
    policy.backoff(0)
    policy.backoff(3)
    assert recorder.sleeps == [0.5, 4.0]


def test_sleep_and_random_do_not_make_policies_differ() -> None:
    """Two policies with the same numbers are equal (the hooks are for tests), and hashable."""
    a = rt.RetryPolicy(max_attempts=3, sleep=lambda _: None, random=lambda: 0.0)
    b = rt.RetryPolicy(max_attempts=3)
    assert a == b and hash(a) == hash(b)
    assert a != rt.RetryPolicy(max_attempts=4)
    assert "sleep" not in repr(a) and "max_attempts=3" in repr(a)


# ------------------------------------------------------------------ the budget of one call


def test_the_first_request_never_sleeps_every_retry_does() -> None:
    recorder = Sleeps()
    budget = recorder.policy(max_attempts=5).budget()
    budget.spend()
    assert recorder.sleeps == [] and budget.attempts == 1
    for _ in range(4):
        budget.spend()
    assert len(recorder.sleeps) == 4 and budget.attempts == 5


def test_retry_delays_follow_the_policy() -> None:
    """Retry n (the request n + 2) sleeps delay(n): 0.1, 0.2, 0.4 then capped at 0.5."""
    recorder = Sleeps()
    policy = recorder.policy(max_attempts=6, base_delay=0.1, max_delay=0.5, random=lambda: 1.0)
    budget = policy.budget()
    for _ in range(6):
        budget.spend()
    assert recorder.sleeps == pytest.approx([0.1, 0.2, 0.4, 0.5, 0.5])
    assert recorder.sleeps == pytest.approx([policy.delay(n) for n in range(5)])


@pytest.mark.parametrize("max_attempts", [1, 2, 5])
def test_left_turns_false_after_max_attempts(max_attempts: int) -> None:
    budget = Sleeps().policy(max_attempts=max_attempts).budget()
    spent = 0
    while budget.left:
        budget.spend()
        spent += 1
        assert spent <= max_attempts, "the budget never ran out"
    assert spent == max_attempts == budget.attempts
    assert not budget.left


def test_every_budget_starts_full() -> None:
    """A policy hands out a fresh Budget per call: one call's spending never drains the next."""
    policy = Sleeps().policy(max_attempts=2)
    first = policy.budget()
    first.spend()
    first.spend()
    assert not first.left
    second = policy.budget()
    assert second is not first and isinstance(second, Budget)
    assert second.left and second.attempts == 0 and second.policy is policy


def test_deadline_reached_only_when_the_deadline_ends_the_budget() -> None:
    """max_attempts ending the budget is not the deadline; the deadline before it is."""
    now = [0.0]
    by_count = rt.RetryPolicy(max_attempts=2, deadline=None, sleep=lambda s: None).budget()
    by_count.spend()
    by_count.spend()
    assert not by_count.left and not by_count.deadline_reached
    timed = rt.RetryPolicy(
        max_attempts=10,
        base_delay=1.0,
        max_delay=1.0,
        random=lambda: 1.0,
        deadline=5.0,
        clock=lambda: now[0],
        sleep=lambda s: None,
    ).budget()
    timed.spend()
    assert timed.left and not timed.deadline_reached
    now[0] = 4.5  # the next retry, 1 s away, would start past 5 s
    assert not timed.left and timed.deadline_reached
