"""redis-py integration: a ``Retry`` that also consults a shared retry budget.

``stormguard.redis.Retry`` is a subclass of ``redis.retry.Retry`` and works
wherever redis-py accepts ``retry=`` (``Redis``, ``ConnectionPool``,
``Sentinel``); ``stormguard.redis.AsyncRetry`` subclasses
``redis.asyncio.retry.Retry`` for ``redis.asyncio``. Both keep redis-py's
loop exactly (``reset()`` once, 1-based ``failures``, ``retries=-1`` retries
forever, sleep ``backoff.compute(failures)``) and add:

* ``budget``: a :class:`stormguard.RetryBudget` shared by every client of a
  process, so a fleet of clients cannot amplify an outage. A refused retry
  re-raises the original error with a note saying why.
* ``breaker``: an optional circuit breaker consulted before every attempt
  (an open breaker raises :class:`stormguard.CircuitOpenError` at once,
  without touching the network) and told every outcome.

redis-py deep-copies ``Retry`` objects when it builds connections; the
copies share the budget and the breaker (that is the point of them) and
deep-copy the backoff, as redis-py does.
"""

from __future__ import annotations

import asyncio
import copy
import socket
from time import sleep
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio.retry import Retry as _RedisAsyncRetry
from redis.exceptions import ConnectionError as _ConnectionError
from redis.exceptions import TimeoutError as _TimeoutError
from redis.retry import Retry as _RedisRetry

from ._core import Backoff, RetryBudget

__all__ = ["AsyncRetry", "Retry", "default_backoff"]

T = TypeVar("T")

_NOTE_BUDGET = "stormguard: not retried, the retry budget is exhausted"


def default_backoff() -> Backoff:
    """The backoff ``Retry`` uses when none is given: exponential from 20 ms,
    doubling, capped at 1 s, full jitter kept at the cap (unlike redis-py's
    default ``ExponentialWithJitterBackoff``, whose delays pile up at the cap).
    """
    return Backoff(base=0.02, max=1.0)


def _retry_kind(error: BaseException) -> str:
    """The budget's price class of a failure."""
    if isinstance(error, (_TimeoutError, socket.timeout, TimeoutError)):
        return "timeout"
    return "other"


class _Guard:
    """Budget and breaker bookkeeping for one ``call_with_retry``."""

    __slots__ = ("budget", "breaker", "permit")

    def __init__(self, budget: RetryBudget | None, breaker: Any) -> None:
        self.budget = budget
        self.breaker = breaker
        self.permit: Any = None
        if budget is not None:
            budget.on_request()

    def acquire(self) -> Any:
        """A breaker permit for one attempt (raises when the breaker is open)."""
        if self.breaker is None:
            return None
        return self.breaker._acquire()

    def succeeded(self, attempt: Any) -> None:
        if self.breaker is not None:
            self.breaker._record_success(attempt)
        if self.budget is not None:
            self.budget.on_success(self.permit)

    def failed(self, attempt: Any, error: BaseException) -> None:
        if self.breaker is not None:
            self.breaker._record_failure(attempt, error)

    def may_retry(self, error: BaseException) -> bool:
        """Asks the budget for one more retry; notes the refusal on ``error``."""
        if self.budget is None:
            return True
        self.budget.on_failure()
        permit = self.budget.try_retry(_retry_kind(error))
        if permit is None:
            error.add_note(_NOTE_BUDGET)
            return False
        self.permit = permit
        return True


def _notify(
    fail: Callable[..., Any], error: Exception, failures: int, with_count: bool
) -> Any:
    return fail(error, failures) if with_count else fail(error)


class Retry(_RedisRetry):
    """redis-py ``Retry`` with a shared retry budget and an optional breaker.

    ``Retry(backoff, retries, supported_errors, *, budget=None, breaker=None)``;
    ``backoff`` defaults to :func:`default_backoff`, ``retries`` to 10 (the
    redis-py client default).
    """

    def __init__(
        self,
        backoff: Any = None,
        retries: int = 10,
        supported_errors: tuple[type[Exception], ...] = (
            _ConnectionError,
            _TimeoutError,
            socket.timeout,
        ),
        *,
        budget: RetryBudget | None = None,
        breaker: Any = None,
    ) -> None:
        chosen: Any = default_backoff() if backoff is None else backoff
        super().__init__(chosen, retries, supported_errors)
        self.budget = budget
        self.breaker = breaker

    def __deepcopy__(self, memo: dict[int, Any]) -> Retry:
        clone = copy.copy(self)
        clone._backoff = copy.deepcopy(self._backoff, memo)
        clone._supported_errors = tuple(self._supported_errors)
        return clone

    def call_with_retry(
        self,
        do: Callable[[], T],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        """redis-py's loop, consulting the budget and the breaker."""
        self._backoff.reset()
        guard = _Guard(self.budget, self.breaker)
        failures = 0
        while True:
            attempt = guard.acquire()
            try:
                result = do()
            except self._supported_errors as error:
                guard.failed(attempt, error)
                if is_retryable and not is_retryable(error):
                    raise
                failures += 1
                _notify(fail, error, failures, with_failure_count)
                if self._retries >= 0 and failures > self._retries:
                    raise error
                if not guard.may_retry(error):
                    raise error
                backoff = self._backoff.compute(failures)
                if backoff > 0:
                    sleep(backoff)
            except BaseException as error:
                guard.failed(attempt, error)
                raise
            else:
                guard.succeeded(attempt)
                return result


class AsyncRetry(_RedisAsyncRetry):
    """``redis.asyncio`` ``Retry`` with a shared retry budget and an optional
    breaker; same arguments as :class:`Retry`."""

    def __init__(
        self,
        backoff: Any = None,
        retries: int = 10,
        supported_errors: tuple[type[Any], ...] = (_ConnectionError, _TimeoutError),
        *,
        budget: RetryBudget | None = None,
        breaker: Any = None,
    ) -> None:
        chosen: Any = default_backoff() if backoff is None else backoff
        super().__init__(chosen, retries, supported_errors)
        self.budget = budget
        self.breaker = breaker

    def __deepcopy__(self, memo: dict[int, Any]) -> AsyncRetry:
        clone = copy.copy(self)
        clone._backoff = copy.deepcopy(self._backoff, memo)
        clone._supported_errors = tuple(self._supported_errors)
        return clone

    async def call_with_retry(
        self,
        do: Callable[[], Awaitable[T]],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        """redis-py's async loop, consulting the budget and the breaker."""
        self._backoff.reset()
        guard = _Guard(self.budget, self.breaker)
        failures = 0
        while True:
            attempt = guard.acquire()
            try:
                result = await do()
            except self._supported_errors as error:
                guard.failed(attempt, error)
                if is_retryable and not is_retryable(error):
                    raise
                failures += 1
                await _notify(fail, error, failures, with_failure_count)
                if self._retries >= 0 and failures > self._retries:
                    raise error
                if not guard.may_retry(error):
                    raise error
                backoff = self._backoff.compute(failures)
                if backoff > 0:
                    await asyncio.sleep(backoff)
            except BaseException as error:
                guard.failed(attempt, error)
                raise
            else:
                guard.succeeded(attempt)
                return result

