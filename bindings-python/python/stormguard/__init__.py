"""stormguard: retry backoffs, circuit breakers, retry budgets and bulkheads.

Every decision comes from one sans-IO Rust core (``stormguard._core``); this
package adds only Python glue: decorators, context managers and asyncio
support. Durations are seconds (``float``), as in redis-py and tenacity.
"""

from __future__ import annotations

from ._core import (
    Backoff,
    Breaker,
    BreakerAdmission,
    BreakerPermit,
    BudgetExhaustedError,
    BulkheadFullError,
    CircuitOpenError,
    ConfigError,
    ConstantBackoff,
    DecorrelatedJitterBackoff,
    EqualJitterBackoff,
    ExponentialBackoff,
    ExponentialWithJitterBackoff,
    FullJitterBackoff,
    HttpClassifier,
    NoBackoff,
    Registry,
    RetryAfterPolicy,
    RetryBudget,
    RetryPermit,
    RetryPolicy,
    SeededRng,
    StormguardError,
    UsageError,
    __version__,
    classify_errno,
    classify_redis,
    classify_sqlstate,
    parse_hint,
)
from ._core import Classification, Execution
from .breaker import CircuitBreaker, Transition
from .bulkhead import Bulkhead
from .registry import BreakerRegistry
from ._retry import RetryEvent, retry
from ._redis_compat import register_with_redis as _register_with_redis

__all__ = [
    "Backoff",
    "BreakerRegistry",
    "Bulkhead",
    "Breaker",
    "BreakerAdmission",
    "BreakerPermit",
    "CircuitBreaker",
    "Transition",
    "BudgetExhaustedError",
    "BulkheadFullError",
    "CircuitOpenError",
    "ConfigError",
    "ConstantBackoff",
    "DecorrelatedJitterBackoff",
    "EqualJitterBackoff",
    "ExponentialBackoff",
    "ExponentialWithJitterBackoff",
    "FullJitterBackoff",
    "HttpClassifier",
    "Classification",
    "NoBackoff",
    "Registry",
    "RetryAfterPolicy",
    "RetryBudget",
    "RetryPermit",
    "RetryPolicy",
    "RetryEvent",
    "Execution",
    "SeededRng",
    "StormguardError",
    "UsageError",
    "__version__",
    "classify_errno",
    "classify_redis",
    "classify_sqlstate",
    "parse_hint",
    "retry",
]

_register_with_redis()
