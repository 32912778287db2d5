"""The shared breaker vectors through ``stormguard.Breaker`` (the core's
breaker as the binding exposes it, keywords in snake_case and seconds)."""

from __future__ import annotations

import math
from typing import Any

import pytest

import stormguard as sg

from test_vectors import keywords, load

BACKOFF = {
    "schedule": ("schedule", None),
    "baseMs": ("base", 1e-3),
    "stepMs": ("step", 1e-3),
    "factor": ("factor", None),
    "minMs": ("min", 1e-3),
    "maxMs": ("max", 1e-3),
    "jitter": ("jitter", None),
    "jitterRatio": ("jitter_ratio", None),
    "jitterMs": ("jitter_max", 1e-3),
    "maxAttempts": ("max_attempts", None),
    "capOrder": ("cap_order", None),
    "wholeMs": ("whole_ms", None),
    "decorrelatedStart": ("decorrelated_start", None),
}
BREAKER = {
    "windowType": ("window_type", None),
    "windowSize": ("window_size", None),
    "windowMs": ("window", 1e-3),
    "bucketMs": ("bucket", 1e-3),
    "minimumCalls": ("minimum_calls", None),
    "failureRateThreshold": ("failure_rate_threshold", None),
    "slowCallRateThreshold": ("slow_call_rate_threshold", None),
    "slowCallDurationMs": ("slow_call_duration", 1e-3),
    "failureCountThreshold": ("failure_count_threshold", None),
    "thresholdComparison": ("threshold_comparison", None),
    "openDurationMs": ("open_duration", 1e-3),
    "halfOpenPermits": ("half_open_permits", None),
    "halfOpenDecision": ("half_open_decision", None),
    "probeLeaseMs": ("probe_lease", 1e-3),
}
METRICS = {
    "consecutiveOpenings": "consecutive_openings",
    "slowCalls": "slow_calls",
    "lateResults": "late_results",
    "expiredProbes": "expired_probes",
    "probesInFlight": "probes_in_flight",
    "windowCalls": "window_calls",
    "windowFailures": "window_failures",
    "windowSlowCalls": "window_slow_calls",
    "failureRate": "failure_rate",
    "slowCallRate": "slow_call_rate",
    "timeInStateMs": "time_in_state",
}
CASES = load("breaker") + load("breaker_peer_bugs") + load("breaker_presets")


def build(case: dict[str, Any]) -> sg.Breaker:
    options = dict(case.get("options", {}))
    open_backoff = options.pop("openBackoff", None)
    kwargs = keywords(options, BREAKER)
    if open_backoff is not None:
        kwargs["open_backoff"] = sg.Backoff(**keywords(open_backoff, BACKOFF))
    return sg.Breaker(preset=case.get("preset"), seed=1, **kwargs)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_breaker_vector(case: dict[str, Any]) -> None:
    breaker = build(case)
    permits: list[sg.BreakerPermit | None] = []
    for op in case["ops"]:
        kind = op["op"]
        now = op.get("atMs", 0) / 1000
        if kind == "acquire":
            try:
                permits.append(breaker.try_acquire(now))
                assert op["expect"] == "admitted", op
            except sg.CircuitOpenError as error:
                permits.append(None)
                assert op["expect"] == "rejected", op
                expected = op.get("retryAfterMs")
                assert close(error.retry_after, None if expected is None else expected / 1000)
        elif kind == "record":
            permit = permits[op["acquire"]]
            assert permit is not None
            duration = op.get("durationMs")
            try:
                result = breaker.record(
                    permit, op["outcome"], None if duration is None else duration / 1000, now
                )
            except sg.UsageError as error:
                result = {"ERR_PERMIT_REUSED": "reused", "ERR_PERMIT_UNKNOWN": "unknown"}[error.code]
            assert result == op["expect"], op
        elif kind == "calls":
            duration = op.get("durationMs")
            for _ in range(op["count"]):
                permit = breaker.try_acquire(now)
                result = breaker.record(
                    permit, op["outcome"], None if duration is None else duration / 1000, now
                )
                assert result == ("released" if op["outcome"] == "ignored" else "counted")
        elif kind == "admission":
            admission = breaker.admission(now)
            expected = op["expect"]
            if expected is None:
                assert admission is None, op
            else:
                assert admission is not None, op
                assert admission.generation == expected["generation"], op
                assert (admission.batch_until is not None) == expected["batch"], op
                if expected["batch"]:
                    until = expected.get("batchUntilMs")
                    assert close(
                        admission.batch_until, math.inf if until is None else until / 1000
                    ), op
        elif kind == "recordAdmitted":
            duration = op.get("durationMs")
            result = breaker.record_admitted(
                op["generation"], op["outcome"], None if duration is None else duration / 1000, now
            )
            assert result == op["expect"], op
        elif kind == "recordSuccesses":
            result = breaker.record_successes(op["generation"], op["count"], now)
            assert result == op["expect"], op
        elif kind == "tick":
            breaker.handle_timeout(now)
        elif kind == "tripFor":
            breaker.trip_for(op["durationMs"] / 1000, now)
        elif kind in ("forceOpen", "disable", "metricsOnly", "reset"):
            method = {"forceOpen": "force_open", "metricsOnly": "metrics_only"}.get(kind, kind)
            getattr(breaker, method)(now)
        elif kind == "state":
            assert breaker.current_state == op["expect"]
        elif kind == "transitions":
            got = breaker.poll_transitions()
            expected = [(t["from"], t["to"], t["reason"], t["atMs"] / 1000) for t in op["expect"]]
            assert len(got) == len(expected), (got, expected)
            for g, e in zip(got, expected):
                assert g[:3] == e[:3] and close(g[3], e[3]), (g, e)
        elif kind == "pollTimeout":
            expected = op["expectMs"]
            assert close(breaker.poll_timeout(), None if expected is None else expected / 1000)
        elif kind == "metrics":
            metrics = breaker.metrics(now)
            for key, value in op["expect"].items():
                name = METRICS.get(key, key)
                if key == "timeInStateMs":
                    for state, ms in value.items():
                        assert close(metrics[name][state], ms / 1000), (state, metrics[name])
                elif isinstance(value, float) or key in ("failureRate", "slowCallRate"):
                    assert close(metrics[name], value), (key, metrics[name], value)
                else:
                    assert metrics[name] == value, (key, metrics[name], value)
        elif kind == "setOpenDraw":
            breaker.set_open_draw(op["u"])
        elif kind == "restore":
            data = breaker.to_dict()
            breaker = sg.Breaker.from_dict(data, seed=1)
            assert breaker.to_dict() == data
        else:
            raise AssertionError(f"unknown op {kind}")
