"""``Bulkhead``: at most ``max_concurrent`` calls at once, up to
``max_queued`` more waiting (FIFO, at most ``max_queue_wait`` seconds).

Usable as ``with``/``async with``, a decorator (sync or async) and
``call(fn, *args, **kwargs)``. The core decides who runs, who waits, who is
turned away and which waiter a finished call hands its slot to; this module
only parks threads (``threading.Event``) and asyncio tasks (futures) and
wakes the one the core names. A small lock protects the waiter table while
the core decides; it is never held while a protected call runs.

A call that finds no slot and no room raises :class:`BulkheadFullError`
(``code == "ERR_BULKHEAD_FULL"``); a waiter whose ``max_queue_wait`` runs out
raises it with ``code == "ERR_BULKHEAD_TIMEOUT"``.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from ._core import Bulkhead as _CoreBulkhead
from ._core import BulkheadFullError

__all__ = ["Bulkhead"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class _Waiter:
    """A parked caller: granted a slot, or timed out."""

    __slots__ = ("event", "future", "loop", "timed_out")

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.timed_out = False
        self.loop = loop
        self.event: threading.Event | None = None
        self.future: asyncio.Future[None] | None = None
        if loop is None:
            self.event = threading.Event()
        else:
            self.future = loop.create_future()

    def wake(self) -> None:
        if self.event is not None:
            self.event.set()
        elif self.loop is not None and self.future is not None:
            self.loop.call_soon_threadsafe(_resolve, self.future)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _timeout_error() -> BulkheadFullError:
    error = BulkheadFullError("bulkhead queue wait timed out")
    error.code = "ERR_BULKHEAD_TIMEOUT"  # type: ignore[misc]
    return error


class Bulkhead:
    """A concurrency limit with a bounded FIFO queue (see the module docs)."""

    def __init__(
        self,
        name: str | None = None,
        *,
        max_concurrent: int = 25,
        max_queued: int = 0,
        max_queue_wait: float | None = None,
    ) -> None:
        self.name = name
        self._core = _CoreBulkhead(
            max_concurrent=max_concurrent, max_queued=max_queued, max_queue_wait=max_queue_wait
        )
        self._lock = threading.Lock()
        self._waiters: dict[int, _Waiter] = {}
        self._permits: contextvars.ContextVar[tuple[int, ...]] = contextvars.ContextVar(
            f"stormguard_bulkhead_{id(self)}", default=()
        )

    # -- core glue (the lock only guards the waiter table) -----------------
    def _wake(self, ticket: int | None) -> None:
        """Hands a slot to ``ticket``'s waiter (called with the lock held)."""
        if ticket is not None:
            waiter = self._waiters.get(ticket)
            if waiter is not None:
                waiter.wake()

    def _expire(self) -> None:
        """Reports every waiter whose wait ran out (lock held)."""
        while True:
            ticket = self._core.handle_timeout()
            if ticket is None:
                return
            waiter = self._waiters.pop(ticket, None)
            if waiter is not None:
                waiter.timed_out = True
                waiter.wake()

    def _try_enter(self, loop: asyncio.AbstractEventLoop | None) -> tuple[int | None, int, _Waiter | None]:
        """``(permit, 0, None)`` or ``(None, ticket, waiter)``."""
        with self._lock:
            self._expire()
            kind, ident = self._core.try_enter()
            if kind == "admitted":
                return ident, 0, None
            waiter = _Waiter(loop)
            self._waiters[ident] = waiter
            return None, ident, waiter

    def _settle(self, ticket: int, waiter: _Waiter) -> int | None:
        """After a wake-up or a timer: the permit, or None to keep waiting."""
        with self._lock:
            self._expire()
            if waiter.timed_out:
                raise _timeout_error()
            if self._core.queue_position(ticket) is not None:
                return None  # still queued: a spurious or early wake-up
            self._waiters.pop(ticket, None)
            return self._core.claim(ticket)

    def _abandon(self, ticket: int) -> None:
        """The waiter left (cancelled task, interrupted thread)."""
        with self._lock:
            self._waiters.pop(ticket, None)
            try:
                self._wake(self._core.cancel(ticket))
            except ValueError:
                pass  # already timed out or claimed

    def _wait_seconds(self) -> float | None:
        deadline = self._core.poll_timeout()
        if deadline is None:
            return None
        return max(0.0, deadline - time.monotonic()) + 0.001

    def acquire(self) -> int:
        """Blocks until a slot is free (or raises); returns the permit."""
        permit, ticket, waiter = self._try_enter(None)
        if permit is not None:
            return permit
        assert waiter is not None and waiter.event is not None
        try:
            while True:
                waiter.event.wait(self._wait_seconds())
                permit = self._settle(ticket, waiter)
                if permit is not None:
                    return permit
                waiter.event.clear()
        except BaseException as error:
            if not isinstance(error, BulkheadFullError):
                self._abandon(ticket)
            raise

    async def acquire_async(self) -> int:
        """Waits (without blocking the loop) for a slot; returns the permit."""
        permit, ticket, waiter = self._try_enter(asyncio.get_running_loop())
        if permit is not None:
            return permit
        assert waiter is not None
        try:
            while True:
                assert waiter.future is not None
                try:
                    await asyncio.wait_for(asyncio.shield(waiter.future), self._wait_seconds())
                except TimeoutError:
                    pass
                permit = self._settle(ticket, waiter)
                if permit is not None:
                    return permit
                if waiter.future.done() and waiter.loop is not None:
                    waiter.future = waiter.loop.create_future()
        except BaseException as error:
            if not isinstance(error, BulkheadFullError):
                self._abandon(ticket)
            raise

    def release(self, permit: int) -> None:
        """Ends the call holding ``permit`` and wakes the next waiter."""
        with self._lock:
            self._wake(self._core.release(permit))

    # -- ways to protect a call ---------------------------------------------
    def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Calls ``fn(*args, **kwargs)`` inside the bulkhead."""
        permit = self.acquire()
        try:
            return fn(*args, **kwargs)
        finally:
            self.release(permit)

    async def call_async(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Awaits ``fn(*args, **kwargs)`` inside the bulkhead."""
        permit = await self.acquire_async()
        try:
            return await fn(*args, **kwargs)
        finally:
            self.release(permit)

    def __call__(self, fn: F) -> F:
        """Decorates a sync or async function."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                return await self.call_async(fn, *args, **kwargs)

            return cast(F, async_wrapper)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return self.call(fn, *args, **kwargs)

        return cast(F, wrapper)

    def __enter__(self) -> Bulkhead:
        self._permits.set((*self._permits.get(), self.acquire()))
        return self

    def __exit__(self, *exc: object) -> None:
        stack = self._permits.get()
        if stack:
            self._permits.set(stack[:-1])
            self.release(stack[-1])

    async def __aenter__(self) -> Bulkhead:
        permit = await self.acquire_async()
        self._permits.set((*self._permits.get(), permit))
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__(*exc)

    def metrics(self) -> dict[str, Any]:
        """``active``, ``awaitingClaim``, ``queued``, ``admitted``, ``rejected``,
        ``cancelled``, ``timedOut``, ``peakActive``, ``peakQueued``."""
        return self._core.metrics()

    def __repr__(self) -> str:
        return f"Bulkhead(name={self.name!r}, metrics={self.metrics()!r})"
