"""Bulkhead: the shared vectors through the core class, then threads and
asyncio waiting for slots."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

import stormguard as sg
from stormguard._core import Bulkhead as CoreBulkhead

from test_vectors import load

CASES = load("bulkhead")
OPTIONS = {"maxConcurrent": "max_concurrent", "maxQueued": "max_queued", "maxQueueWaitMs": "max_queue_wait"}
FIELDS = OPTIONS


def options(raw: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in raw.items():
        out[OPTIONS[key]] = value / 1000 if key == "maxQueueWaitMs" and value is not None else value
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bulkhead_vector(case: dict[str, Any]) -> None:
    if "expectError" in case:
        with pytest.raises(sg.ConfigError) as info:
            CoreBulkhead(**options(case["options"]))
        assert info.value.field == FIELDS[case["expectError"]["field"]]
        return
    bulkhead = CoreBulkhead(**options(case["options"]))
    labels: dict[str, int] = {}
    tickets: dict[int, str] = {}

    def label_of(ticket: int | None) -> str | None:
        return None if ticket is None else tickets[ticket]

    for op in case["ops"]:
        kind = op["op"]
        now = op.get("nowMs", 0) / 1000
        if kind == "enter":
            try:
                admission, ident = bulkhead.try_enter(now)
            except sg.BulkheadFullError:
                assert op["expect"] == "rejected"
                continue
            assert admission == op["expect"]
            labels[op["as"]] = ident
            if admission == "queued":
                tickets[ident] = op["as"]
        elif kind in ("release", "cancel", "claim"):
            try:
                if kind == "release":
                    result = label_of(bulkhead.release(labels[op["permit"]], now))
                elif kind == "cancel":
                    result = label_of(bulkhead.cancel(labels[op["ticket"]], now))
                else:
                    labels[op["as"]] = bulkhead.claim(labels[op["ticket"]])
                    continue
            except sg.UsageError as error:
                assert error.code == op["expectError"]
                continue
            assert "expectError" not in op
            assert result == op.get("expectHandedTo")
        elif kind == "pollTimeout":
            got = bulkhead.poll_timeout()
            expected = op["expectMs"]
            assert (got is None) == (expected is None)
            if expected is not None:
                assert abs(got - expected / 1000) < 1e-9
        elif kind == "handleTimeout":
            assert label_of(bulkhead.handle_timeout(now)) == op["expectTicket"]
        elif kind == "position":
            assert bulkhead.queue_position(labels[op["ticket"]]) == op["expect"]
        elif kind == "metrics":
            assert bulkhead.metrics() == op["expect"]
        else:
            raise AssertionError(f"unknown op {kind}")


def test_threads_wait_in_line_and_never_exceed_the_limit() -> None:
    bulkhead = sg.Bulkhead(max_concurrent=2, max_queued=10)
    running = 0
    peak = 0
    guard = threading.Lock()

    @bulkhead
    def work() -> None:
        nonlocal running, peak
        with guard:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with guard:
            running -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    metrics = bulkhead.metrics()
    assert peak == 2 and metrics["peakActive"] == 2
    assert metrics["admitted"] == 8 and metrics["active"] == 0 and metrics["rejected"] == 0


def test_full_bulkhead_rejects_and_queue_wait_times_out() -> None:
    bulkhead = sg.Bulkhead(max_concurrent=1, max_queued=1, max_queue_wait=0.05)
    with bulkhead:
        errors: list[BaseException] = []

        def waiter() -> None:
            try:
                with bulkhead:
                    pass
            except sg.BulkheadFullError as error:
                errors.append(error)

        t = threading.Thread(target=waiter)
        t.start()
        while bulkhead.metrics()["queued"] == 0:
            time.sleep(0.001)
        with pytest.raises(sg.BulkheadFullError) as info:
            bulkhead.call(lambda: None)
        assert info.value.code == "ERR_BULKHEAD_FULL"
        t.join()
    assert [e.code for e in errors] == ["ERR_BULKHEAD_TIMEOUT"]
    assert bulkhead.metrics()["timedOut"] == 1


def test_asyncio_tasks_share_slots() -> None:
    bulkhead = sg.Bulkhead(max_concurrent=2, max_queued=10)
    active = 0
    peak = 0

    @bulkhead
    async def work(i: int) -> int:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1
        return i

    async def scenario() -> list[int]:
        async with bulkhead:
            pass
        return list(await asyncio.gather(*(work(i) for i in range(6))))

    assert asyncio.run(scenario()) == list(range(6))
    assert peak == 2 and bulkhead.metrics()["admitted"] == 7


def test_cancelled_waiter_passes_its_place_on() -> None:
    bulkhead = sg.Bulkhead(max_concurrent=1, max_queued=5)

    async def scenario() -> None:
        await bulkhead.acquire_async()
        waiting = asyncio.create_task(bulkhead.acquire_async())
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(scenario())
    assert bulkhead.metrics()["cancelled"] == 1


def test_double_release_is_a_usage_error() -> None:
    bulkhead = sg.Bulkhead(max_concurrent=1)
    permit = bulkhead.acquire()
    bulkhead.release(permit)
    with pytest.raises(sg.UsageError) as info:
        bulkhead.release(permit)
    assert info.value.code == "ERR_UNKNOWN_PERMIT"
