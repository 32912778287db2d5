"""``CircuitBreaker``: the core's breaker as a decorator, a context manager
(``with`` and ``async with``) and ``call(fn, *args, **kwargs)``.

The breaker is consulted before the call and told the outcome after it; no
lock is held while the protected function runs, so calls run in parallel.
State changes come out of the core as data and are handed to listeners
after the core's lock is released (a listener may call back into the
breaker). Durations are seconds.

Which exceptions count: ``failure_on`` (default ``Exception``) marks a
failure; ``exclude`` (classes or a predicate) marks an exception as
"ignored" (it releases the permit without counting, as resilience4j's
ignored exceptions); anything else that is not a failure counts as a
success (e.g. ``KeyboardInterrupt`` is recorded as ignored).
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar, cast

from ._core import Breaker, BreakerPermit

__all__ = ["CircuitBreaker", "Transition"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

Matcher = type[BaseException] | tuple[type[BaseException], ...] | Callable[[BaseException], bool]


class Transition(NamedTuple):
    """A state change, as listeners receive it."""

    from_state: str
    to_state: str
    reason: str
    at: float
    """Seconds on the ``time.monotonic()`` clock."""


def _matcher(value: Matcher | None, default: bool) -> Callable[[BaseException], bool]:
    if value is None:
        return lambda _error: default
    if isinstance(value, type) or isinstance(value, tuple):
        classes = value
        return lambda error: isinstance(error, classes)
    if callable(value):
        return value
    raise TypeError("expected exception classes or a predicate")


class _Attempt:
    """One admitted call: its permit and start time."""

    __slots__ = ("permit", "started")

    def __init__(self, permit: BreakerPermit, started: float) -> None:
        self.permit = permit
        self.started = started


class CircuitBreaker:
    """A circuit breaker (see the module docs).

    ``CircuitBreaker(name=None, *, preset=None, failure_on=Exception,
    exclude=None, listeners=(), seed=None, **options)`` where ``options`` are
    the core's breaker options in snake_case and seconds:
    ``window_type`` (``"count"``, ``"time"``, ``"consecutive"``),
    ``window_size``, ``window``, ``bucket``, ``minimum_calls``,
    ``failure_rate_threshold``, ``slow_call_rate_threshold``,
    ``slow_call_duration``, ``failure_count_threshold``,
    ``threshold_comparison``, ``open_duration``, ``open_backoff`` (a
    stormguard backoff), ``half_open_permits``, ``half_open_decision``,
    ``probe_lease``. ``preset`` is ``"resilience4j"`` (the defaults),
    ``"pybreaker"``, ``"polly"``, ``"opossum"`` or ``"gobreaker"``.
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        preset: str | None = None,
        failure_on: Matcher | None = Exception,
        exclude: Matcher | None = None,
        listeners: Iterable[Callable[[CircuitBreaker, Transition], Any]] = (),
        seed: int | None = None,
        _core: Breaker | None = None,
        **options: Any,
    ) -> None:
        self.name = name
        self._core = _core if _core is not None else Breaker(preset=preset, seed=seed, **options)
        self._is_failure = _matcher(failure_on, True)
        self._is_excluded = _matcher(exclude, False) if exclude is not None else (lambda _e: False)
        self._listeners: list[Callable[[CircuitBreaker, Transition], Any]] = list(listeners)
        self._attempts: contextvars.ContextVar[tuple[_Attempt, ...]] = contextvars.ContextVar(
            f"stormguard_breaker_{id(self)}", default=()
        )

    # -- listeners -------------------------------------------------------
    def add_listener(self, listener: Callable[[CircuitBreaker, Transition], Any]) -> None:
        """Calls ``listener(breaker, transition)`` after every state change."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[CircuitBreaker, Transition], Any]) -> None:
        """Stops calling ``listener``."""
        self._listeners.remove(listener)

    def _dispatch(self) -> None:
        transitions = self._core.poll_transitions()
        if not transitions or not self._listeners:
            return
        for raw in transitions:
            event = Transition(*raw)
            for listener in list(self._listeners):
                listener(self, event)

    # -- two-step protocol -----------------------------------------------
    def _acquire(self) -> _Attempt:
        """A permit for one call; raises ``CircuitOpenError`` when open."""
        try:
            permit = self._core.try_acquire()
        finally:
            self._dispatch()
        return _Attempt(permit, time.monotonic())

    def _record_success(self, attempt: _Attempt | None) -> None:
        if attempt is None:
            return
        self._core.record(attempt.permit, "success", time.monotonic() - attempt.started)
        self._dispatch()

    def _classify(self, error: BaseException) -> str:
        """The outcome an exception stands for."""
        if self._is_excluded(error) or not isinstance(error, Exception):
            return "ignored"
        return "failure" if self._is_failure(error) else "success"

    def _record_failure(self, attempt: _Attempt | None, error: BaseException) -> None:
        if attempt is None:
            return
        self._core.record(attempt.permit, self._classify(error), time.monotonic() - attempt.started)
        self._dispatch()

    # -- ways to protect a call -------------------------------------------
    def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Calls ``fn(*args, **kwargs)`` through the breaker."""
        return cast(T, self._core.call(fn, args, kwargs, self._classify, self._dispatch))

    async def call_async(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Awaits ``fn(*args, **kwargs)`` through the breaker."""
        attempt = self._acquire()
        try:
            result = await fn(*args, **kwargs)
        except BaseException as error:
            self._record_failure(attempt, error)
            raise
        self._record_success(attempt)
        return result

    def __call__(self, fn: F) -> F:
        """Decorates a sync or async function."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                return await self.call_async(fn, *args, **kwargs)

            return cast(F, async_wrapper)

        core_call = self._core.call
        classify = self._classify
        dispatch = self._dispatch

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return core_call(fn, args, kwargs, classify, dispatch)

        return cast(F, wrapper)

    def __enter__(self) -> CircuitBreaker:
        attempt = self._acquire()
        self._attempts.set((*self._attempts.get(), attempt))
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        stack = self._attempts.get()
        if not stack:
            return
        attempt = stack[-1]
        self._attempts.set(stack[:-1])
        if exc is None:
            self._record_success(attempt)
        else:
            self._record_failure(attempt, exc)

    async def __aenter__(self) -> CircuitBreaker:
        return self.__enter__()

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self.__exit__(exc_type, exc, tb)

    # -- state, metrics, controls ------------------------------------------
    @property
    def state(self) -> str:
        """``"closed"``, ``"open"``, ``"halfOpen"``, ``"forcedOpen"``,
        ``"disabled"`` or ``"metricsOnly"`` (applying what is due now)."""
        state = self._core.state()
        self._dispatch()
        return state

    def metrics(self) -> dict[str, Any]:
        """Counters, window, rates and seconds spent in each state."""
        metrics = self._core.metrics()
        self._dispatch()
        return metrics

    def force_open(self) -> None:
        """Rejects every call until another manual change."""
        self._core.force_open()
        self._dispatch()

    def disable(self) -> None:
        """Admits every call and counts nothing."""
        self._core.disable()
        self._dispatch()

    def metrics_only(self) -> None:
        """Admits every call and keeps counting, never opening."""
        self._core.metrics_only()
        self._dispatch()

    def reset(self) -> None:
        """Closes with an empty window."""
        self._core.reset()
        self._dispatch()

    def trip_for(self, seconds: float) -> None:
        """Opens for ``seconds`` (e.g. a server's ``Retry-After``)."""
        self._core.trip_for(seconds)
        self._dispatch()

    def to_dict(self) -> dict[str, Any]:
        """Options and a lossless, versioned snapshot (binding-neutral JSON)."""
        return self._core.to_dict()

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str | None = None, **kwargs: Any) -> CircuitBreaker:
        """A breaker restored from :meth:`to_dict`."""
        return cls(name, _core=Breaker.from_dict(data), **kwargs)

    def __repr__(self) -> str:
        return f"CircuitBreaker(name={self.name!r}, state={self._core.current_state!r})"
