"""The ``retry`` decorator for sync and async functions.

Every decision comes from the core's retry policy (:class:`RetryPolicy`):
attempts, deadline (a retry that would start after it is never scheduled),
backoff, ``Retry-After`` hints, the shared retry budget. This module only
calls the function, sleeps, and runs hooks; no lock is held while the
function runs.

When the policy gives up, the last exception is re-raised unchanged, with a
note saying why (``attempts_exhausted``, ``deadline``, ``budget_exhausted``,
``not_retriable`` …).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from time import sleep
from typing import Any, NamedTuple, TypeVar, cast

from ._core import RetryAfterPolicy, RetryBudget, RetryPolicy
from .breaker import CircuitBreaker

__all__ = ["RetryEvent", "retry"]

F = TypeVar("F", bound=Callable[..., Any])

RetryOn = type[BaseException] | tuple[type[BaseException], ...] | Callable[[BaseException], bool]


class RetryEvent(NamedTuple):
    """What ``before_sleep`` receives before each retry."""

    attempt: int
    """The attempt that just failed (1-based)."""
    delay: float
    """Seconds about to be slept."""
    exception: BaseException
    """The failure."""


def _matcher(retry_on: RetryOn) -> Callable[[BaseException], bool]:
    if isinstance(retry_on, type) and issubclass(retry_on, BaseException):
        return lambda error: isinstance(error, retry_on)
    if isinstance(retry_on, tuple):
        if not all(isinstance(t, type) and issubclass(t, BaseException) for t in retry_on):
            raise TypeError("`retry_on` must be exception classes or a predicate")
        return lambda error: isinstance(error, retry_on)
    if callable(retry_on):
        return cast(Callable[[BaseException], bool], retry_on)
    raise TypeError("`retry_on` must be an exception class, a tuple of them or a predicate")


def _hint(retry_after: Callable[[BaseException], float | None] | None, error: BaseException) -> float | None:
    return None if retry_after is None else retry_after(error)


def retry(
    fn: Callable[..., Any] | None = None,
    *,
    attempts: int = 3,
    deadline: float | None = None,
    backoff: Any = None,
    retry_on: RetryOn = Exception,
    retry_after: Callable[[BaseException], float | None] | None = None,
    retry_after_policy: RetryAfterPolicy | None = None,
    budget: RetryBudget | None = None,
    before_sleep: Callable[[RetryEvent], Any] | None = None,
    breaker: CircuitBreaker | None = None,
    seed: int | None = None,
) -> Any:
    """Retries ``fn`` (sync or ``async``) on failure.

    ``attempts`` counts every call, the first included; ``deadline`` is in
    seconds from the first call; ``backoff`` is any stormguard backoff
    (default: exponential from 100 ms, full jitter, capped at 10 s);
    ``retry_on`` is an exception class, a tuple of them or a predicate;
    ``retry_after(exception)`` may return the server's hint in seconds;
    ``budget`` is a shared :class:`RetryBudget`; ``before_sleep`` receives a
    :class:`RetryEvent`; ``breaker`` is consulted before every attempt (an
    open breaker raises :class:`CircuitOpenError` at once) and told every
    outcome; ``seed`` makes the jitter reproducible (otherwise it
    draws from :mod:`random`). Usable as ``@retry`` or ``@retry(...)``.
    """
    policy = RetryPolicy(
        attempts=attempts,
        deadline=deadline,
        backoff=backoff,
        retry_after=retry_after_policy,
        budget=budget,
        breaker=breaker,
        seed=seed,
    )
    matches = _matcher(retry_on)

    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                execution = policy.start()
                while True:
                    attempt = None if breaker is None else breaker._acquire()
                    try:
                        result = await func(*args, **kwargs)
                    except BaseException as error:
                        if breaker is not None:
                            breaker._record_failure(attempt, error)
                        if not isinstance(error, Exception):
                            raise
                        delay = _after_failure(policy, execution, error, matches, retry_after, before_sleep)
                        await asyncio.sleep(delay)
                    else:
                        if breaker is not None:
                            breaker._record_success(attempt)
                        policy.on_success(execution)
                        return result

            async_wrapper.retry_policy = policy  # type: ignore[attr-defined]
            return cast(F, async_wrapper)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            execution = policy.start()
            while True:
                attempt = None if breaker is None else breaker._acquire()
                try:
                    result = func(*args, **kwargs)
                except BaseException as error:
                    if breaker is not None:
                        breaker._record_failure(attempt, error)
                    if not isinstance(error, Exception):
                        raise
                    sleep(_after_failure(policy, execution, error, matches, retry_after, before_sleep))
                else:
                    if breaker is not None:
                        breaker._record_success(attempt)
                    policy.on_success(execution)
                    return result

        wrapper.retry_policy = policy  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate(fn) if fn is not None else decorate


def _after_failure(
    policy: RetryPolicy,
    execution: Any,
    error: Exception,
    matches: Callable[[BaseException], bool],
    retry_after: Callable[[BaseException], float | None] | None,
    before_sleep: Callable[[RetryEvent], Any] | None,
) -> float:
    """The delay before the next attempt; re-raises ``error`` when giving up."""
    attempt = execution.attempts
    delay, reason, _ = policy.on_failure(
        execution, retriable=matches(error), retry_after=_hint(retry_after, error)
    )
    if delay is None:
        error.add_note(f"stormguard: gave up after attempt {attempt}: {reason}")
        raise error
    if before_sleep is not None:
        before_sleep(RetryEvent(attempt, delay, error))
    return delay
