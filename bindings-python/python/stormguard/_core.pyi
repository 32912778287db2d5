"""Type stubs for the compiled module ``stormguard._core``.

Durations are seconds (float). ``now`` arguments are seconds on the
``time.monotonic()`` clock; omitted, the module reads that clock.
"""

from typing import Any, ClassVar, final

from typing_extensions import disjoint_base

__version__: str
__all__ = [
    "Backoff",
    "BudgetExhaustedError",
    "BulkheadFullError",
    "CircuitOpenError",
    "Classification",
    "ConfigError",
    "ConstantBackoff",
    "DecorrelatedJitterBackoff",
    "EqualJitterBackoff",
    "Execution",
    "ExponentialBackoff",
    "ExponentialWithJitterBackoff",
    "FullJitterBackoff",
    "HttpClassifier",
    "NoBackoff",
    "RetryAfterPolicy",
    "RetryBudget",
    "RetryPermit",
    "RetryPolicy",
    "StormguardError",
    "UsageError",
    "__version__",
    "classify_errno",
    "classify_redis",
    "classify_sqlstate",
    "parse_hint",
]

class StormguardError(Exception):
    """Base class of every exception stormguard raises."""

    code: ClassVar[str]

class ConfigError(StormguardError, ValueError):
    """An option or argument was rejected; ``field`` names it."""

    field: str

class CircuitOpenError(StormguardError, RuntimeError):
    """The circuit breaker rejected the call."""

    retry_after: float | None

class BudgetExhaustedError(StormguardError, RuntimeError):
    """The retry budget refused a retry."""

class BulkheadFullError(StormguardError, RuntimeError):
    """The bulkhead had no free slot and no room (or time) to wait."""

class UsageError(StormguardError, ValueError):
    """A permit, ticket or key was used in a way the component cannot honour."""

@disjoint_base
class Backoff:
    """Every schedule the core offers, configured in seconds."""

    def __new__(cls, *, seed: int | None = None, **options: Any) -> Backoff: ...
    @staticmethod
    def preset(name: str, *args: float, seed: int | None = None) -> Backoff: ...
    @staticmethod
    def presets() -> list[str]: ...
    @staticmethod
    def from_dict(options: dict[str, Any], *, seed: int | None = None) -> Backoff: ...
    def to_dict(self) -> dict[str, Any]: ...
    def compute(self, failures: int) -> float: ...
    def reset(self) -> None: ...
    def next_delay(self, attempt: int, u: float | None = None) -> float | None: ...
    def delay(self, attempt: int, u: float) -> float: ...
    @property
    def max_delay(self) -> float: ...
    @property
    def max_attempts(self) -> int | None: ...
    @property
    def seed(self) -> int | None: ...
    def __copy__(self) -> Backoff: ...
    def __deepcopy__(self, memo: Any, /) -> Backoff: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __setstate__(self, state: Any, /) -> None: ...

@disjoint_base
class ConstantBackoff:
    """redis-py ``ConstantBackoff(backoff)``."""

    def __new__(cls, backoff: float, *, seed: int | None = None) -> ConstantBackoff: ...
    def compute(self, failures: int) -> float: ...
    def reset(self) -> None: ...
    @property
    def backoff(self) -> float: ...
    def __copy__(self) -> ConstantBackoff: ...
    def __deepcopy__(self, memo: Any, /) -> ConstantBackoff: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __setstate__(self, state: Any, /) -> None: ...

class NoBackoff(ConstantBackoff):
    """redis-py ``NoBackoff()``."""

    def __new__(cls) -> NoBackoff: ...

class _CapBase:
    def compute(self, failures: int) -> float: ...
    def reset(self) -> None: ...
    @property
    def cap(self) -> float: ...
    @property
    def base(self) -> float: ...
    @property
    def seed(self) -> int | None: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __setstate__(self, state: Any, /) -> None: ...

@disjoint_base
class ExponentialBackoff(_CapBase):
    """redis-py ``ExponentialBackoff(cap, base)``."""

    def __new__(cls, cap: float = 0.512, base: float = 0.008, *, seed: int | None = None) -> ExponentialBackoff: ...
    def __copy__(self) -> ExponentialBackoff: ...
    def __deepcopy__(self, memo: Any, /) -> ExponentialBackoff: ...

@disjoint_base
class FullJitterBackoff(_CapBase):
    """redis-py ``FullJitterBackoff(cap, base)``."""

    def __new__(cls, cap: float = 0.512, base: float = 0.008, *, seed: int | None = None) -> FullJitterBackoff: ...
    def __copy__(self) -> FullJitterBackoff: ...
    def __deepcopy__(self, memo: Any, /) -> FullJitterBackoff: ...

@disjoint_base
class EqualJitterBackoff(_CapBase):
    """redis-py ``EqualJitterBackoff(cap, base)``."""

    def __new__(cls, cap: float = 0.512, base: float = 0.008, *, seed: int | None = None) -> EqualJitterBackoff: ...
    def __copy__(self) -> EqualJitterBackoff: ...
    def __deepcopy__(self, memo: Any, /) -> EqualJitterBackoff: ...

@disjoint_base
class DecorrelatedJitterBackoff(_CapBase):
    """redis-py ``DecorrelatedJitterBackoff(cap, base)``."""

    def __new__(cls, cap: float = 0.512, base: float = 0.008, *, seed: int | None = None) -> DecorrelatedJitterBackoff: ...
    def __copy__(self) -> DecorrelatedJitterBackoff: ...
    def __deepcopy__(self, memo: Any, /) -> DecorrelatedJitterBackoff: ...

@disjoint_base
class ExponentialWithJitterBackoff(_CapBase):
    """redis-py ``ExponentialWithJitterBackoff(cap, base)``."""

    def __new__(
        cls, cap: float = 0.512, base: float = 0.008, *, seed: int | None = None
    ) -> ExponentialWithJitterBackoff: ...
    def __copy__(self) -> ExponentialWithJitterBackoff: ...
    def __deepcopy__(self, memo: Any, /) -> ExponentialWithJitterBackoff: ...

@final
class RetryPermit:
    """Proof that a budget granted one retry."""

    @property
    def cost(self) -> float: ...

@final
class RetryBudget:
    """A retry budget shared between threads (ratio, token bucket or quota)."""

    def __new__(cls, **options: Any) -> RetryBudget: ...
    def on_request(self, now: float | None = None) -> None: ...
    def on_failure(self, now: float | None = None) -> None: ...
    def try_retry(self, kind: str | None = None, now: float | None = None) -> RetryPermit | None: ...
    def on_success(self, permit: RetryPermit | None = None, now: float | None = None) -> None: ...
    def balance(self, now: float | None = None) -> float: ...
    def metrics(self, now: float | None = None) -> dict[str, Any]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def restore(self, snapshot: dict[str, Any]) -> None: ...
    @staticmethod
    def from_dict(snapshot: dict[str, Any]) -> RetryBudget: ...
    def __copy__(self) -> RetryBudget: ...
    def __deepcopy__(self, memo: Any, /) -> RetryBudget: ...

@final
class Classification:
    """What to do about a failure, and why."""

    @property
    def failure_class(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def retriable(self) -> bool: ...
    @property
    def is_failure(self) -> bool: ...

def classify_redis(message: str | bytes) -> Classification: ...
def classify_errno(code: str | bytes) -> Classification: ...
def classify_sqlstate(code: str | bytes) -> Classification: ...

@final
class HttpClassifier:
    """Classifies HTTP outcomes."""

    def __new__(cls, **options: Any) -> HttpClassifier: ...
    def classify(
        self,
        status: int | None,
        method: str | None = None,
        *,
        idempotency_key: bool = False,
        reached_server: bool = True,
    ) -> Classification: ...

def parse_hint(
    header: str, value: str | bytes, now_unix: float | None = None
) -> tuple[float | None, str | None]: ...

@final
class RetryAfterPolicy:
    """Combines a backoff delay with a server hint."""

    def __new__(cls, **options: Any) -> RetryAfterPolicy: ...
    def decide(self, backoff: float, hint: float | None = None) -> float | None: ...

@final
class Execution:
    """One operation being retried."""

    @property
    def attempts(self) -> int: ...

@final
class RetryPolicy:
    """The core's retry policy."""

    def __new__(
        cls,
        *,
        attempts: int = 3,
        deadline: float | None = None,
        backoff: Any = None,
        retry_after: RetryAfterPolicy | None = None,
        budget: RetryBudget | None = None,
        seed: int | None = None,
    ) -> RetryPolicy: ...
    def start(self, now: float | None = None) -> Execution: ...
    def on_success(self, execution: Execution, now: float | None = None) -> None: ...
    def on_failure(
        self,
        execution: Execution,
        *,
        retriable: bool = True,
        retry_after: float | None = None,
        kind: str | None = None,
        u: float | None = None,
        now: float | None = None,
    ) -> tuple[float | None, str | None]: ...
    def metrics(self) -> dict[str, Any]: ...
