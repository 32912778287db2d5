"""``BreakerRegistry``: one circuit breaker per key (endpoint, Redis node,
origin), at most ``max_keys`` of them (least recently used evicted), with
optional parents: while a parent (a host, a cluster) is open, every child
is rejected without being asked.

``registry.breaker(key, parent=None)`` returns a :class:`CircuitBreaker`
bound to that key: decorator, ``with``/``async with``, ``call``, listeners,
``state``, ``metrics()`` and manual controls work as on a standalone
breaker. Every breaker shares the registry's options (snake_case, seconds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ._core import BreakerRegistry as _CoreRegistry
from ._core import RegistryPermit
from .breaker import CircuitBreaker, Matcher, Transition

__all__ = ["BreakerRegistry"]


class _KeyedCore:
    """The core-breaker interface ``CircuitBreaker`` uses, for one key."""

    __slots__ = ("_registry", "_key", "_parent")

    def __init__(self, registry: _CoreRegistry, key: str, parent: str | None) -> None:
        self._registry = registry
        self._key = key
        self._parent = parent

    def try_acquire(self, now: float | None = None) -> RegistryPermit:
        return self._registry.try_acquire(self._key, self._parent, now)

    def record(self, permit: RegistryPermit, outcome: str, duration: float | None = None) -> str:
        return self._registry.record(permit, outcome, duration)

    def call(self, fn: Any, args: Any, kwargs: Any, classify: Any, dispatch: Any) -> Any:
        return self._registry.call(self._key, self._parent, fn, args, kwargs, classify, dispatch)

    def poll_transitions(self) -> list[tuple[str, str, str, float]]:
        return self._registry.poll_transitions(self._key)

    def state(self) -> str:
        return self._registry.state(self._key) or "closed"

    @property
    def current_state(self) -> str:
        return self.state()

    def metrics(self) -> dict[str, Any]:
        return self._registry.metrics(self._key) or {}

    def force_open(self) -> None:
        self._registry.control(self._key, "force_open")

    def disable(self) -> None:
        self._registry.control(self._key, "disable")

    def metrics_only(self) -> None:
        self._registry.control(self._key, "metrics_only")

    def reset(self) -> None:
        self._registry.control(self._key, "reset")

    def trip_for(self, seconds: float) -> None:
        self._registry.control(self._key, "trip_for", seconds)

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError("snapshots are per standalone breaker; use CircuitBreaker")


class BreakerRegistry:
    """Circuit breakers by key (see the module docs).

    ``BreakerRegistry(max_keys=1000, *, preset=None, failure_on=Exception,
    exclude=None, listeners=(), seed=None, **options)``; listeners receive
    ``(breaker, transition)`` with ``breaker.name`` the key.
    """

    def __init__(
        self,
        max_keys: int = 1000,
        *,
        preset: str | None = None,
        failure_on: Matcher | None = Exception,
        exclude: Matcher | None = None,
        listeners: Iterable[Callable[[CircuitBreaker, Transition], Any]] = (),
        seed: int | None = None,
        **options: Any,
    ) -> None:
        self._core = _CoreRegistry(max_keys=max_keys, preset=preset, seed=seed, **options)
        self._failure_on = failure_on
        self._exclude = exclude
        self._listeners = list(listeners)

    def breaker(self, key: str, parent: str | None = None) -> CircuitBreaker:
        """The breaker for ``key`` (created on first use, under ``parent``)."""
        return CircuitBreaker(
            key,
            failure_on=self._failure_on,
            exclude=self._exclude,
            listeners=self._listeners,
            _core=_KeyedCore(self._core, key, parent),  # type: ignore[arg-type]
        )

    __getitem__ = breaker

    def add_listener(self, listener: Callable[[CircuitBreaker, Transition], Any]) -> None:
        """Calls ``listener(breaker, transition)`` for every key's changes."""
        self._listeners.append(listener)

    def state(self, key: str) -> str | None:
        """``key``'s state, or None when it has no breaker."""
        return self._core.state(key)

    def metrics(self, key: str) -> dict[str, Any] | None:
        """``key``'s metrics, or None when it has no breaker."""
        return self._core.metrics(key)

    def keys(self) -> list[str]:
        """Keys, most recently used first."""
        return self._core.keys()

    def remove(self, key: str) -> bool:
        """Drops ``key``'s breaker (a parent only once its children are gone)."""
        return self._core.remove(key)

    def evicted(self) -> list[str]:
        """Keys evicted to make room since the last call."""
        return self._core.poll_evictions()

    def __len__(self) -> int:
        return len(self._core)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._core.state(key) is not None
