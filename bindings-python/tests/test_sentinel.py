"""Sentinel failover with ``redis.sentinel.Sentinel`` and stormguard's Retry."""

from __future__ import annotations

import time

import redis
from redis.sentinel import Sentinel

import stormguard as sg
import stormguard.redis as sgredis

from conftest import SentinelCluster


def wait_until(predicate, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def test_writes_continue_on_the_new_master(sentinel_cluster: SentinelCluster) -> None:
    cluster = sentinel_cluster
    budget = sg.RetryBudget()
    retry = sgredis.Retry(sg.ConstantBackoff(0.1), 150, budget=budget)
    sentinel = Sentinel(cluster.sentinel_addresses, socket_timeout=0.5)
    master = sentinel.master_for(
        "mymaster", socket_timeout=0.5, socket_connect_timeout=0.5, retry=retry
    )

    def sentinels_know_the_replica() -> bool:
        return all(
            len(sentinel.sentinels[i].sentinel_slaves("mymaster")) == 1
            and len(sentinel.sentinels[i].sentinel_sentinels("mymaster")) == 2
            for i in range(3)
        )

    wait_until(sentinels_know_the_replica, 10.0)
    for i in range(20):
        master.set(f"before:{i}", i)
    assert master.execute_command("WAIT", 1, 2000) == 1  # replicated before the kill

    old_port = cluster.master.port
    cluster.master.stop()
    for i in range(20):
        master.set(f"after:{i}", i)  # retried through the failover
    new_host, new_port = sentinel.discover_master("mymaster")
    assert new_port == cluster.replica.port != old_port
    assert [master.get(f"before:{i}") for i in range(20)] == [str(i).encode() for i in range(20)]
    assert [master.get(f"after:{i}") for i in range(20)] == [str(i).encode() for i in range(20)]
    assert budget.metrics()["withdrawals"] >= 1
    assert isinstance(master, redis.Redis)
