"""The ``retry`` decorator (sync and async) on the core's policy."""

from __future__ import annotations

import asyncio
import random

import pytest

import stormguard as sg
import stormguard._retry as sgretry


def flaky(failures: int, error: type[Exception] = ConnectionError):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def fn() -> str:
        calls["n"] += 1
        if calls["n"] <= failures:
            raise error("boom")
        return "ok"

    return fn, calls


def test_retries_until_success_and_sleeps_the_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(sgretry, "sleep", slept.append)
    events: list[sg.RetryEvent] = []
    fn, calls = flaky(2)
    wrapped = sg.retry(attempts=5, backoff=sg.ExponentialBackoff(cap=1, base=0.01), before_sleep=events.append)(fn)
    assert wrapped() == "ok"
    assert calls["n"] == 3
    assert slept == [0.02, 0.04]
    assert [(e.attempt, e.delay) for e in events] == [(1, 0.02), (2, 0.04)]


def test_gives_up_with_the_original_exception_and_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sgretry, "sleep", lambda s: None)
    fn, calls = flaky(10)
    with pytest.raises(ConnectionError) as info:
        sg.retry(attempts=3, backoff=sg.NoBackoff())(fn)()
    assert calls["n"] == 3
    assert "attempts_exhausted" in info.value.__notes__[-1]


def test_retry_on_classes_and_predicates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sgretry, "sleep", lambda s: None)
    fn, calls = flaky(1, KeyError)
    with pytest.raises(KeyError) as info:
        sg.retry(retry_on=ConnectionError)(fn)()
    assert calls["n"] == 1 and "not_retriable" in info.value.__notes__[-1]
    fn, calls = flaky(1, KeyError)
    assert sg.retry(retry_on=lambda e: isinstance(e, KeyError))(fn)() == "ok"


def test_deadline_never_schedules_a_retry_past_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sgretry, "sleep", lambda s: None)
    fn, _ = flaky(10)
    with pytest.raises(ConnectionError) as info:
        sg.retry(attempts=10, deadline=0.5, backoff=sg.ConstantBackoff(1.0))(fn)()
    assert "deadline" in info.value.__notes__[-1]


def test_budget_stops_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sgretry, "sleep", lambda s: None)
    budget = sg.RetryBudget(type="token_bucket", max_tokens=4, token_ratio=0.1)
    fn, calls = flaky(10)
    with pytest.raises(ConnectionError) as info:
        sg.retry(attempts=10, backoff=sg.NoBackoff(), budget=budget)(fn)()
    assert calls["n"] == 2 and "budget_exhausted" in info.value.__notes__[-1]


def test_retry_after_hint_lengthens_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(sgretry, "sleep", slept.append)
    fn, _ = flaky(1)
    wrapped = sg.retry(backoff=sg.ConstantBackoff(0.01), retry_after=lambda e: 0.5)(fn)
    assert wrapped() == "ok" and slept == [0.5]


def test_seeded_jitter_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    for _ in range(2):
        slept: list[float] = []
        monkeypatch.setattr(sgretry, "sleep", slept.append)
        fn, _ = flaky(3)
        sg.retry(attempts=4, seed=42)(fn)()
        runs.append(slept)
    assert runs[0] == runs[1] and len(runs[0]) == 3


def test_python_random_drives_the_default_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    for _ in range(2):
        slept: list[float] = []
        monkeypatch.setattr(sgretry, "sleep", slept.append)
        random.seed(7)
        fn, _ = flaky(3)
        sg.retry(attempts=4)(fn)()
        runs.append(slept)
    assert runs[0] == runs[1]


def test_async_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}

    @sg.retry(attempts=3, backoff=sg.ConstantBackoff(0.001))
    async def fn() -> str:
        calls["n"] += 1
        if calls["n"] < 3:
            raise TimeoutError
        return "ok"

    assert asyncio.run(fn()) == "ok" and calls["n"] == 3


def test_breaker_is_consulted_before_each_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sgretry, "sleep", lambda s: None)
    breaker = sg.CircuitBreaker(window_type="consecutive", failure_count_threshold=2)
    fn, calls = flaky(10)
    # The policy sees the open breaker and gives up without another call.
    with pytest.raises(ConnectionError) as info:
        sg.retry(attempts=5, backoff=sg.NoBackoff(), breaker=breaker)(fn)()
    assert calls["n"] == 2 and breaker.state == "open"
    assert "breaker_open" in info.value.__notes__[-1]
    # A later call is rejected by the breaker itself.
    with pytest.raises(sg.CircuitOpenError):
        sg.retry(attempts=5, backoff=sg.NoBackoff(), breaker=breaker)(fn)()
    assert calls["n"] == 2
