"""redis-py with stormguard's backoffs and Retry against a real redis-server."""

from __future__ import annotations

import asyncio
import copy
import random
import threading
from typing import Any

import pytest
import redis
import redis.asyncio
import redis.retry
from redis.backoff import AbstractBackoff
from redis.retry import Retry as RedisRetry

import stormguard as sg
import stormguard.redis as sgredis

from conftest import RedisProcess


class Recording(sg.FullJitterBackoff):
    """Records every (failures, delay) its copies compute."""

    log: list[tuple[int, float]] = []

    def compute(self, failures: int) -> float:
        delay = super().compute(failures)
        Recording.log.append((failures, delay))
        return delay


def client(server: RedisProcess, retry: Any) -> redis.Redis:
    return redis.Redis(
        host="127.0.0.1",
        port=server.port,
        retry=retry,
        socket_connect_timeout=0.5,
        socket_timeout=0.5,
    )


def test_redis_py_sleeps_exactly_what_compute_returned(
    redis_server: RedisProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    Recording.log = []
    slept: list[float] = []
    monkeypatch.setattr(redis.retry, "sleep", slept.append)
    random.seed(1234)
    r = client(redis_server, RedisRetry(Recording(cap=0.05, base=0.002), 4))
    assert r.ping()
    redis_server.stop()
    with pytest.raises(redis.ConnectionError):
        r.get("key")
    # redis-py counts failures from 1 and sleeps compute(failures) each time.
    assert [f for f, _ in Recording.log] == [1, 2, 3, 4]
    assert slept == [d for _, d in Recording.log]
    assert all(0 <= d <= 0.05 for d in slept)


def test_restarted_server_answers_inside_the_retry_loop(
    redis_server: RedisProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []

    def sleep_then_restart(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 2:
            redis_server.start()

    monkeypatch.setattr(redis.retry, "sleep", sleep_then_restart)
    backoff = sg.ExponentialBackoff(cap=0.1, base=0.01)
    r = client(redis_server, RedisRetry(backoff, 10))
    assert r.set("before", "1")
    redis_server.stop()
    assert r.set("after", "2")  # fails twice, the server comes back, succeeds
    assert slept == [0.02, 0.04]
    assert r.get("after") == b"2"


def test_deep_copy_path_keeps_value_and_state(redis_server: RedisProcess) -> None:
    backoff = sg.DecorrelatedJitterBackoff(cap=1.0, base=0.01, seed=7)
    backoff.compute(1)
    retry = RedisRetry(backoff, 3)
    r = client(redis_server, retry)
    assert r.ping()
    connection_retry = r.connection_pool.get_connection().retry
    copied = connection_retry._backoff
    assert copied is not backoff and copied == backoff
    assert type(copied) is sg.DecorrelatedJitterBackoff
    # A deep copy keeps the state and the generator position.
    clone = copy.deepcopy(backoff)
    assert clone.compute(2) == backoff.compute(2)
    assert copy.deepcopy(retry) == retry
    assert isinstance(copied, AbstractBackoff)


def test_our_retry_stops_when_the_budget_is_spent(
    redis_server: RedisProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr(sgredis, "sleep", slept.append)
    budget = sg.RetryBudget(type="token_bucket", max_tokens=4, token_ratio=0.5)
    retry = sgredis.Retry(sg.ConstantBackoff(0.01), 10, budget=budget)
    r = client(redis_server, retry)
    assert r.ping()
    redis_server.stop()
    with pytest.raises(redis.ConnectionError) as info:
        r.get("key")
    # Tokens 4 → 3 (retry: 3 > 2) → 2 (2 > 2 is false: refused).
    assert slept == [0.01]
    assert any("retry budget is exhausted" in note for note in info.value.__notes__)
    metrics = budget.metrics()
    assert (metrics["withdrawals"], metrics["rejections"]) == (1, 1)


def test_our_retry_shares_its_budget_across_deep_copies(redis_server: RedisProcess) -> None:
    budget = sg.RetryBudget()
    retry = sgredis.Retry(sg.EqualJitterBackoff(), 3, budget=budget)
    clone = copy.deepcopy(retry)
    assert clone.budget is budget and clone._backoff is not retry._backoff
    r = client(redis_server, retry)
    for i in range(10):
        r.set(f"k{i}", i)
    assert budget.metrics()["deposits"] >= 10


def test_pool_shared_by_16_threads(redis_server: RedisProcess) -> None:
    budget = sg.RetryBudget()
    breaker = sg.CircuitBreaker("redis")
    retry = sgredis.Retry(sg.ExponentialWithJitterBackoff(), 3, budget=budget, breaker=breaker)
    pool = redis.ConnectionPool(
        host="127.0.0.1", port=redis_server.port, max_connections=16, retry=retry
    )
    pool.set_retry(retry)
    errors: list[BaseException] = []
    per_thread = 100

    def work() -> None:
        r = redis.Redis(connection_pool=pool)
        try:
            for _ in range(per_thread):
                r.incr("counter")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert int(redis.Redis(connection_pool=pool).get("counter") or 0) == 16 * per_thread
    metrics = budget.metrics()
    assert metrics["withdrawals"] == 0 and metrics["rejections"] == 0
    assert metrics["deposits"] >= 16 * per_thread
    counts = breaker.metrics()
    # Every call_with_retry (commands and connection set-ups) went through
    # the breaker once, and every admitted call was recorded exactly once.
    assert counts["failures"] == counts["rejected"] == 0
    assert counts["admitted"] == counts["successes"] == metrics["deposits"]
    assert breaker.state == "closed"


def test_asyncio_client_with_our_async_retry(redis_server: RedisProcess) -> None:
    budget = sg.RetryBudget()

    breaker = sg.CircuitBreaker("async-redis")

    async def scenario() -> bytes | None:
        retry = sgredis.AsyncRetry(sg.ConstantBackoff(0.05), 40, budget=budget)
        r = redis.asyncio.Redis(
            host="127.0.0.1", port=redis_server.port, retry=retry, socket_connect_timeout=0.5
        )
        async with breaker:
            await r.set("a", "1")
        redis_server.stop()
        restart = threading.Timer(0.2, redis_server.start)
        restart.start()
        try:
            await r.set("b", "2")  # retried until the server is back
            return await r.get("b")
        finally:
            restart.join()
            await r.aclose()

    assert asyncio.run(scenario()) == b"2"
    assert budget.metrics()["withdrawals"] >= 1
    assert breaker.metrics()["successes"] == 1
