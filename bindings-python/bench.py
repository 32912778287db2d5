"""Side-by-side micro-benchmarks: stormguard vs the Python peers, one run.

    bindings-python/scripts/bench.sh        # release build + peers + this script

* ``compute()`` of each redis-py backoff: stormguard's drop-in vs redis-py 8.1;
* breaker overhead per successful call: stormguard ``CircuitBreaker`` vs
  pybreaker 1.4 and circuitbreaker 2.1 (and the raw two-step core API);
* ``retry`` decorator overhead on a first-time success vs tenacity 9.

Each row is the best of several repeats of a timed loop (ns per call); the
ratio is stormguard / peer (below 1 = stormguard is faster).
"""

from __future__ import annotations

import platform
import timeit
from collections.abc import Callable

import circuitbreaker
import pybreaker
import redis.backoff as rb
import tenacity

import stormguard as sg

REPEAT = 7


def ns_per_call(fn: Callable[[], object], number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=REPEAT)) / number * 1e9


def paired(ours: Callable[[], object], theirs: Callable[[], object], number: int) -> tuple[float, float]:
    """Best ns per call of each, timed in alternation so that a change in the
    machine's load during the run affects both sides alike."""
    best = [float("inf"), float("inf")]
    for _ in range(REPEAT):
        for side, fn in enumerate((ours, theirs)):
            best[side] = min(best[side], timeit.timeit(fn, number=number) / number * 1e9)
    return best[0], best[1]


def row(name: str, ours: float, peer: float, peer_name: str) -> None:
    print(f"{name:<44} {ours:>10.0f} {peer:>10.0f}  {ours / peer:>6.2f}x  (vs {peer_name})")


def bench_backoffs() -> None:
    print("\n## compute(failures=5), ns per call\n")
    print(f"{'class':<44} {'stormguard':>10} {'redis-py':>10}  ratio")
    for name in [
        "NoBackoff",
        "ConstantBackoff",
        "ExponentialBackoff",
        "FullJitterBackoff",
        "EqualJitterBackoff",
        "DecorrelatedJitterBackoff",
        "ExponentialWithJitterBackoff",
    ]:
        args = (0.1,) if name == "ConstantBackoff" else ()
        ours = getattr(sg, name)(*args)
        theirs = getattr(rb, name)(*args)
        n = 200_000
        row(name, *paired(lambda: ours.compute(5), lambda: theirs.compute(5), n), "redis-py")
    seeded = sg.FullJitterBackoff(seed=1)
    theirs = rb.FullJitterBackoff()
    row("FullJitterBackoff(seed=1) (core RNG)",
        *paired(lambda: seeded.compute(5), lambda: theirs.compute(5), 200_000), "redis-py")


def bench_breakers() -> None:
    print("\n## breaker overhead, successful call of a no-op, ns per call\n")
    print(f"{'breaker':<44} {'stormguard':>10} {'peer':>10}  ratio")

    def noop() -> int:
        return 1

    ours = sg.CircuitBreaker("bench")
    ours_decorated = ours(noop)
    core = sg.Breaker()

    def two_step() -> None:
        core.record(core.try_acquire(), "success")

    pyb = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)
    pyb_decorated = pyb(noop)
    cb_decorated = circuitbreaker.circuit(failure_threshold=5, recovery_timeout=60)(noop)
    n = 50_000
    base = ns_per_call(noop, n)
    t_ours = ns_per_call(ours_decorated, n) - base
    t_core = ns_per_call(two_step, n)
    t_pyb = ns_per_call(pyb_decorated, n) - base
    t_cb = ns_per_call(cb_decorated, n) - base
    row("CircuitBreaker decorator", t_ours, t_pyb, "pybreaker 1.4")
    row("CircuitBreaker decorator", t_ours, t_cb, "circuitbreaker 2.1")
    row("Breaker.try_acquire + record (core API)", t_core, t_pyb, "pybreaker 1.4")
    with_ours = ns_per_call(lambda: ours.call(noop), n) - base
    with_pyb = ns_per_call(lambda: pyb.call(noop), n) - base
    row("breaker.call(fn)", with_ours, with_pyb, "pybreaker 1.4")


def bench_retry() -> None:
    print("\n## retry decorator, first-time success, ns per call (overhead)\n")
    print(f"{'decorator':<44} {'stormguard':>10} {'tenacity':>10}  ratio")

    def noop() -> int:
        return 1

    ours = sg.retry(attempts=3)(noop)
    theirs = tenacity.retry(stop=tenacity.stop_after_attempt(3), wait=tenacity.wait_random_exponential())(noop)
    n = 20_000
    base = ns_per_call(noop, n)
    row("@retry(attempts=3)", ns_per_call(ours, n) - base, ns_per_call(theirs, n) - base, "tenacity 9")


def main() -> None:
    print("# stormguard Python binding benchmarks")
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.platform()}")
    print(f"peers: redis {__import__('redis').__version__}, pybreaker {pybreaker.__version__ if hasattr(pybreaker, '__version__') else '1.4'}, "
          f"tenacity {__import__('importlib.metadata').metadata.version('tenacity')}, "
          f"circuitbreaker {__import__('importlib.metadata').metadata.version('circuitbreaker')}")
    bench_backoffs()
    bench_breakers()
    bench_retry()


if __name__ == "__main__":
    main()
