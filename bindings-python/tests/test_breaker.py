"""CircuitBreaker as users meet it: decorator, with/async with, call,
listeners, manual controls, snapshots, threads."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

import stormguard as sg


def failing() -> None:
    raise OSError("down")


def small_breaker(**kwargs: object) -> sg.CircuitBreaker:
    return sg.CircuitBreaker(
        "test", window_type="consecutive", failure_count_threshold=2, open_duration=60, **kwargs
    )


def test_opens_after_failures_and_rejects_with_retry_after() -> None:
    events: list[sg.Transition] = []
    breaker = small_breaker(listeners=[lambda b, t: events.append(t)])
    for _ in range(2):
        with pytest.raises(OSError):
            breaker.call(failing)
    assert breaker.state == "open"
    with pytest.raises(sg.CircuitOpenError) as info:
        breaker.call(failing)
    assert isinstance(info.value, RuntimeError)
    assert info.value.code == "ERR_BREAKER_OPEN"
    assert 59 < info.value.retry_after <= 60.000001
    assert [(e.from_state, e.to_state, e.reason) for e in events] == [
        ("closed", "open", "failureCount")
    ]
    metrics = breaker.metrics()
    assert (metrics["failures"], metrics["rejected"]) == (2, 1)


def test_decorator_context_manager_and_manual_controls() -> None:
    breaker = small_breaker()

    @breaker
    def ok(x: int) -> int:
        return x * 2

    assert ok(21) == 42
    with breaker:
        pass
    with pytest.raises(OSError):
        with breaker:
            failing()
    breaker.force_open()
    assert breaker.state == "forcedOpen"
    with pytest.raises(sg.CircuitOpenError) as info:
        ok(1)
    assert info.value.retry_after is None
    breaker.reset()
    assert breaker.state == "closed"
    breaker.trip_for(5.0)
    assert breaker.state == "open"
    breaker.disable()
    assert ok(2) == 4
    breaker.metrics_only()
    assert breaker.state == "metricsOnly"


def test_excluded_exceptions_are_ignored() -> None:
    breaker = small_breaker(exclude=KeyError)
    for _ in range(5):
        with pytest.raises(KeyError):
            with breaker:
                raise KeyError("not the server's fault")
    assert breaker.state == "closed"
    assert breaker.metrics()["ignored"] == 5


def test_snapshot_round_trip() -> None:
    breaker = small_breaker()
    for _ in range(2):
        with pytest.raises(OSError):
            breaker.call(failing)
    restored = sg.CircuitBreaker.from_dict(breaker.to_dict())
    assert restored.state == "open"
    ours, theirs = restored.to_dict()["snapshot"], breaker.to_dict()["snapshot"]
    ours.pop("clock"), theirs.pop("clock")
    assert ours == theirs


def test_async_with_and_async_decorator() -> None:
    breaker = small_breaker()

    @breaker
    async def ok() -> str:
        await asyncio.sleep(0)
        return "ok"

    async def scenario() -> str:
        async with breaker:
            await asyncio.sleep(0)
        return await ok()

    assert asyncio.run(scenario()) == "ok"
    assert breaker.metrics()["successes"] == 2


def test_no_lock_is_held_while_the_protected_call_runs() -> None:
    # Four threads each make a 0.2 s call; a breaker that serialised them
    # (pybreaker) would take 0.8 s. Here they overlap: all four are inside
    # the protected function at the same time.
    breaker = sg.CircuitBreaker("parallel")
    inside = threading.Barrier(4, timeout=5)

    @breaker
    def slow() -> None:
        inside.wait()  # passes only when all four calls are running at once
        time.sleep(0.2)

    threads = [threading.Thread(target=slow) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert breaker.metrics()["successes"] == 4


def test_shared_between_threads_counts_add_up() -> None:
    breaker = sg.CircuitBreaker("shared", window_size=1000, minimum_calls=1000)
    per_thread = 500

    def work(i: int) -> None:
        for n in range(per_thread):
            try:
                with breaker:
                    if (n + i) % 10 == 0:
                        raise ValueError
            except ValueError:
                pass

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    metrics = breaker.metrics()
    assert metrics["admitted"] == 8 * per_thread
    assert metrics["successes"] + metrics["failures"] == 8 * per_thread
    assert metrics["failures"] == 8 * per_thread // 10
