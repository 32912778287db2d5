"""The shared vectors in ``tests/vectors/`` run through the Python API.

The vectors speak the binding-neutral names (camelCase, milliseconds); the
tables below turn them into this binding's keywords (snake_case, seconds),
so the Python surface itself is what is checked, errors included.
"""

from __future__ import annotations

import json
import math
import pathlib
from typing import Any

import pytest

import stormguard as sg

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"

# core option name -> (python keyword, factor from the vector's unit)
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
BUDGET = {
    "type": ("type", None),
    "ttlMs": ("ttl", 1e-3),
    "minRetriesPerSecond": ("min_retries_per_second", None),
    "retryPercent": ("retry_percent", None),
    "maxTokens": ("max_tokens", None),
    "tokenRatio": ("token_ratio", None),
    "preset": ("preset", None),
    "capacity": ("capacity", None),
    "retryCost": ("retry_cost", None),
    "timeoutRetryCost": ("timeout_retry_cost", None),
    "throttlingRetryCost": ("throttling_retry_cost", None),
    "noRetryIncrement": ("no_retry_increment", None),
}
HTTP = {
    "retryOnStatus": ("retry_on_status", None),
    "delayOnStatus": ("delay_on_status", None),
    "retryMethods": ("retry_methods", None),
}
RETRY_AFTER = {
    "maxRetryAfterMs": ("max_retry_after", 1e-3),
    "combine": ("combine", None),
    "maxExtensionMs": ("max_extension", 1e-3),
}


def load(name: str) -> list[dict[str, Any]]:
    data = json.loads((VECTORS / f"{name}.json").read_text())
    return data["cases"]


def case_ids(cases: list[dict[str, Any]]) -> list[str]:
    return [c["name"] for c in cases]


def keywords(options: dict[str, Any], table: dict[str, tuple[str, float | None]]) -> dict[str, Any]:
    out = {}
    for key, value in options.items():
        name, factor = table[key]
        out[name] = value * factor if factor is not None and value is not None else value
    return out


def python_field(core: str, table: dict[str, tuple[str, float | None]]) -> str:
    return table[core][0] if core in table else core


def seconds_close(actual: float | None, expected_ms: float | None) -> None:
    if expected_ms is None:
        assert actual is None
        return
    assert actual is not None
    assert math.isclose(actual, expected_ms / 1000, rel_tol=1e-12, abs_tol=1e-9), (
        actual,
        expected_ms,
    )


PRESET_FIELDS = {"preset": "name", "args": "args", "maxMs": "args", "baseMs": "args"}


@pytest.mark.parametrize(
    "case", load("backoff") + load("backoff_presets"), ids=case_ids(load("backoff") + load("backoff_presets"))
)
def test_backoff_vector(case: dict[str, Any]) -> None:
    def build() -> sg.Backoff:
        if "preset" in case:
            return sg.Backoff.preset(case["preset"]["name"], *case["preset"]["args"])
        return sg.Backoff(**keywords(case["options"], BACKOFF))

    if "expectError" in case:
        with pytest.raises(sg.ConfigError) as info:
            build()
        core = case["expectError"]["field"]
        expected = PRESET_FIELDS[core] if "preset" in case else python_field(core, BACKOFF)
        assert info.value.field == expected
        assert info.value.code == "ERR_INVALID_CONFIG"
        assert f"`{expected}`" in str(info.value)
        return
    backoff = build()
    for step in case["steps"]:
        op = step["op"]
        if op == "next":
            seconds_close(backoff.next_delay(step["attempt"], step["u"]), step["delayMs"])
        elif op == "delay":
            seconds_close(backoff.delay(step["attempt"], step["u"]), step["delayMs"])
        elif op == "reset":
            backoff.reset()
        elif op == "maxDelay":
            seconds_close(backoff.max_delay, step["delayMs"])
        else:
            raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", load("budget"), ids=case_ids(load("budget")))
def test_budget_vector(case: dict[str, Any]) -> None:
    options = keywords(case["budget"], BUDGET)
    if "expectError" in case:
        with pytest.raises(sg.ConfigError) as info:
            sg.RetryBudget(**options)
        assert info.value.field == python_field(case["expectError"]["field"], BUDGET)
        return
    budget = sg.RetryBudget(**options)
    last_permit = None
    for op in case["ops"]:
        now = op["atMs"] / 1000
        count = op.get("count", 1)
        kind = op["op"]
        if kind == "deposit":
            for _ in range(count):
                budget.on_request(now)
        elif kind == "tryWithdraw":
            for _ in range(count):
                permit = budget.try_retry(op.get("kind", "other"), now)
                assert (permit is not None) == op["expect"]
                if permit is not None:
                    last_permit = permit
        elif kind == "success":
            permit = None
            if op.get("afterRetry", False):
                permit, last_permit = last_permit, None
            budget.on_success(permit, now)
        elif kind == "failure":
            for _ in range(count):
                budget.on_failure(now)
        elif kind == "balance":
            assert budget.balance(now) == op["expect"]
        elif kind == "metrics":
            assert budget.metrics(now) == op["expect"]
        else:
            raise AssertionError(f"unknown op {kind}")
    restored = sg.RetryBudget.from_dict(budget.to_dict())
    assert restored.to_dict() == budget.to_dict()


@pytest.mark.parametrize("case", load("classify"), ids=case_ids(load("classify")))
def test_classify_vector(case: dict[str, Any]) -> None:
    op = case["op"]
    if op == "invalidHttpOptions":
        with pytest.raises(sg.ConfigError) as info:
            sg.HttpClassifier(**keywords(case["options"], HTTP))
        assert info.value.field == python_field(case["errorField"], HTTP)
        return
    if op == "redis":
        result = sg.classify_redis(case["message"])
    elif op == "errno":
        result = sg.classify_errno(case["code"])
    elif op == "sqlstate":
        result = sg.classify_sqlstate(case["code"])
    elif op == "http":
        classifier = sg.HttpClassifier(**keywords(case.get("options", {}), HTTP))
        result = classifier.classify(
            case["status"],
            case["method"],
            idempotency_key=case["idempotencyKey"],
            reached_server=case["reachedServer"],
        )
    else:
        raise AssertionError(f"unknown op {op}")
    assert (result.failure_class, result.reason) == (case["class"], case["reason"])


@pytest.mark.parametrize("case", load("retry_after"), ids=case_ids(load("retry_after")))
def test_retry_after_vector(case: dict[str, Any]) -> None:
    options = keywords(case.get("options", {}), RETRY_AFTER)
    if case["op"] == "invalidOptions":
        with pytest.raises(sg.ConfigError) as info:
            sg.RetryAfterPolicy(**options)
        assert info.value.field == python_field(case["errorField"], RETRY_AFTER)
        return
    assert case["op"] == "hint"
    hint, ignored = sg.parse_hint(case["header"], case["value"], case["nowUnixMs"] / 1000)
    if "ignored" in case:
        assert (hint, ignored) == (None, case["ignored"])
    else:
        assert ignored is None
        seconds_close(hint, case["hintMs"])
    decision = sg.RetryAfterPolicy(**options).decide(case["backoffMs"] / 1000, hint)
    if "giveUpRequestedMs" in case:
        assert decision is None
        seconds_close(hint, case["giveUpRequestedMs"])
    else:
        seconds_close(decision, case["delayMs"])
