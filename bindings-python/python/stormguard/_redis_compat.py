"""Registers the backoffs as virtual subclasses of redis-py's ``AbstractBackoff``.

redis-py never checks ``isinstance`` on a backoff, but user code and type
checks sometimes do; registration makes
``isinstance(stormguard.ExponentialBackoff(), redis.backoff.AbstractBackoff)``
true without importing redis when it is not installed.
"""

from __future__ import annotations

import importlib.util

from . import _core

_BACKOFFS = (
    _core.Backoff,
    _core.ConstantBackoff,
    _core.NoBackoff,
    _core.ExponentialBackoff,
    _core.FullJitterBackoff,
    _core.EqualJitterBackoff,
    _core.DecorrelatedJitterBackoff,
    _core.ExponentialWithJitterBackoff,
)


def register_with_redis() -> bool:
    """Registers every backoff with ``redis.backoff.AbstractBackoff``.

    Returns True when redis is importable (and the classes are registered),
    False otherwise. Safe to call more than once.
    """
    if importlib.util.find_spec("redis") is None:
        return False
    try:
        from redis.backoff import AbstractBackoff
    except ImportError:
        return False
    for cls in _BACKOFFS:
        AbstractBackoff.register(cls)
    return True
