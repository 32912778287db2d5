"""The shared policy vectors through ``RetryPolicy`` (keywords in seconds)."""

from __future__ import annotations

import math
from typing import Any

import pytest

import stormguard as sg

from test_breaker_vectors import BREAKER
from test_vectors import BUDGET, RETRY_AFTER, keywords, load

CASES = load("policy")
FIELDS = {"maxAttempts": "attempts", "deadlineMs": "deadline", "halfLifeMs": "half_life"}
ADAPTIVE = {
    "halfLifeMs": ("half_life", 1e-3),
    "minAttempts": ("min_attempts", None),
    "minSamples": ("min_samples", None),
}


def build(case: dict[str, Any]) -> tuple[sg.RetryPolicy, sg.Breaker | None]:
    p = case["policy"]
    breaker = sg.Breaker(seed=1, **keywords(case["breaker"], BREAKER)) if "breaker" in case else None
    policy = sg.RetryPolicy(
        attempts=p.get("maxAttempts"),
        deadline=None if p.get("deadlineMs") is None else p["deadlineMs"] / 1000,
        backoff=sg.Backoff.from_dict(p["backoff"]) if "backoff" in p else None,
        retry_after=sg.RetryAfterPolicy(**keywords(p["retryAfter"], RETRY_AFTER)) if "retryAfter" in p else None,
        budget=sg.RetryBudget(**keywords(case["budget"], BUDGET)) if "budget" in case else None,
        breaker=breaker,
        adaptive=keywords(p["adaptive"], ADAPTIVE) if p.get("adaptive") is not None else None,
    )
    return policy, breaker


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_policy_vector(case: dict[str, Any]) -> None:
    if "expectError" in case:
        with pytest.raises(sg.ConfigError) as info:
            build(case)
        core = case["expectError"]["field"]
        assert info.value.field == FIELDS.get(core, core)
        return
    policy, breaker = build(case)
    execution = None
    for op in case["ops"]:
        now = op["atMs"] / 1000
        kind = op["op"]
        if kind == "start":
            execution = policy.start(now)
        elif kind == "success":
            policy.on_success(execution, now)
        elif kind == "failure":
            hint = op.get("retryAfterMs")
            delay, reason, retry_after = policy.on_failure(
                execution,
                failure_class=op.get("class", "retriable"),
                retry_after=None if hint is None else hint / 1000,
                kind=op.get("kind"),
                u=op.get("u", 0.0),
                now=now,
            )
            expect = op["expect"]
            if "retryMs" in expect:
                assert reason is None and math.isclose(delay, expect["retryMs"] / 1000, abs_tol=1e-9)
                if "attempt" in expect:
                    assert execution.attempts == expect["attempt"]
            else:
                assert (delay, reason) == (None, expect["giveUp"])
                if "retryAfterMs" in expect:
                    assert math.isclose(retry_after, expect["retryAfterMs"] / 1000, abs_tol=1e-9)
        elif kind == "breakerFailures":
            assert breaker is not None
            for _ in range(op["count"]):
                breaker.record(breaker.try_acquire(now), "failure", None, now)
        elif kind == "attemptLimit":
            assert policy.attempt_limit(now) == op["expect"]
        else:
            raise AssertionError(f"unknown op {kind}")
