"""Hostile input at every entry point: wrong types, NaN, negatives, huge
ints, unknown keywords. Each must raise TypeError or ValueError (ConfigError
is a ValueError) whose message names the argument; a PanicException (a Rust
panic crossing into Python) must never surface."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import stormguard as sg

NAN = math.nan
HUGE = 10**400
budget = sg.RetryBudget()
breaker = sg.Breaker()
backoff = sg.Backoff()
policy = sg.RetryPolicy()
classifier = sg.HttpClassifier()
ra_policy = sg.RetryAfterPolicy()

# (label, call, argument name the message must contain)
CASES: list[tuple[str, Callable[[], Any], str]] = [
    # Backoff(**options)
    ("backoff base str", lambda: sg.Backoff(base="1"), "base"),
    ("backoff base nan", lambda: sg.Backoff(base=NAN), "base"),
    ("backoff base negative", lambda: sg.Backoff(base=-1), "base"),
    ("backoff base huge", lambda: sg.Backoff(base=HUGE), "base"),
    ("backoff max inf", lambda: sg.Backoff(max=math.inf), "max"),
    ("backoff min > max", lambda: sg.Backoff(min=5, max=1), "min"),
    ("backoff factor below 1", lambda: sg.Backoff(factor=0.5), "factor"),
    ("backoff factor str", lambda: sg.Backoff(factor="2"), "factor"),
    ("backoff jitter unknown", lambda: sg.Backoff(jitter="loud"), "jitter"),
    ("backoff jitter int", lambda: sg.Backoff(jitter=3), "jitter"),
    ("backoff jitter_ratio 2", lambda: sg.Backoff(jitter_ratio=2), "jitter_ratio"),
    ("backoff max_attempts negative", lambda: sg.Backoff(max_attempts=-1), "max_attempts"),
    ("backoff max_attempts huge", lambda: sg.Backoff(max_attempts=HUGE), "max_attempts"),
    ("backoff max_attempts float", lambda: sg.Backoff(max_attempts=1.5), "max_attempts"),
    ("backoff whole_ms str", lambda: sg.Backoff(whole_ms="yes"), "whole_ms"),
    ("backoff unknown keyword", lambda: sg.Backoff(bse=1), "bse"),
    ("backoff seed negative", lambda: sg.Backoff(seed=-1), "seed"),
    ("backoff seed huge", lambda: sg.Backoff(seed=2**64), "seed"),
    ("backoff seed str", lambda: sg.Backoff(seed="1"), "seed"),
    ("compute failures str", lambda: backoff.compute("1"), "failures"),
    ("compute failures negative", lambda: backoff.compute(-1), "failures"),
    ("compute failures float", lambda: backoff.compute(1.0), "failures"),
    ("compute failures huge negative", lambda: backoff.compute(-HUGE), "failures"),
    ("next_delay attempt None", lambda: backoff.next_delay(None), "attempt"),
    ("next_delay u str", lambda: backoff.next_delay(1, "x"), "u"),
    ("delay u huge", lambda: backoff.delay(1, HUGE), "u"),
    ("preset unknown", lambda: sg.Backoff.preset("nope"), "name"),
    ("preset name int", lambda: sg.Backoff.preset(3), "name"),
    ("preset args nan", lambda: sg.Backoff.preset("redis_py_exponential", NAN), "args"),
    ("preset args negative", lambda: sg.Backoff.preset("redis_py_exponential", -1), "args"),
    ("preset too many args", lambda: sg.Backoff.preset("ioredis_v6", 1), "args"),
    ("from_dict unknown field", lambda: sg.Backoff.from_dict({"base": 1}), "options"),
    ("from_dict not a dict", lambda: sg.Backoff.from_dict(object()), "options"),
    # redis-py drop-ins
    ("exponential cap str", lambda: sg.ExponentialBackoff("1"), "cap"),
    ("exponential cap nan", lambda: sg.ExponentialBackoff(NAN), "cap"),
    ("exponential base negative", lambda: sg.ExponentialBackoff(base=-0.1), "base"),
    ("full jitter cap huge", lambda: sg.FullJitterBackoff(HUGE), "cap"),
    ("equal jitter base inf", lambda: sg.EqualJitterBackoff(base=math.inf), "base"),
    ("decorrelated cap negative", lambda: sg.DecorrelatedJitterBackoff(-1), "cap"),
    ("ewj base str", lambda: sg.ExponentialWithJitterBackoff(base="x"), "base"),
    ("constant backoff None", lambda: sg.ConstantBackoff(None), "backoff"),
    ("constant backoff negative", lambda: sg.ConstantBackoff(-1), "backoff"),
    ("drop-in compute str", lambda: sg.FullJitterBackoff().compute("2"), "failures"),
    # RetryBudget
    ("budget ttl negative", lambda: sg.RetryBudget(ttl=-1), "ttl"),
    ("budget ttl str", lambda: sg.RetryBudget(ttl="10"), "ttl"),
    ("budget type unknown", lambda: sg.RetryBudget(type="magic"), "type"),
    ("budget retry_percent nan", lambda: sg.RetryBudget(retry_percent=NAN), "retry_percent"),
    ("budget max_tokens huge", lambda: sg.RetryBudget(type="token_bucket", max_tokens=HUGE), "max_tokens"),
    ("budget unknown keyword", lambda: sg.RetryBudget(tll=1), "tll"),
    ("budget option of another type", lambda: sg.RetryBudget(type="quota", ttl=1), "ttl"),
    ("budget now nan", lambda: budget.on_request(NAN), "now"),
    ("budget now negative", lambda: budget.on_failure(-1), "now"),
    ("budget now str", lambda: budget.balance("now"), "now"),
    ("budget kind unknown", lambda: budget.try_retry("slow"), "kind"),
    ("budget kind int", lambda: budget.try_retry(1), "kind"),
    ("budget permit wrong", lambda: budget.on_success(object()), "permit"),
    ("budget restore garbage", lambda: budget.restore({"state": {"type": "ratio"}}), "snapshot"),
    ("budget restore no state", lambda: budget.restore({}), "state"),
    # classification and hints
    ("classify_redis int", lambda: sg.classify_redis(1), "message"),
    ("classify_errno None", lambda: sg.classify_errno(None), "code"),
    ("classify_sqlstate list", lambda: sg.classify_sqlstate([]), "code"),
    ("http retry_on_status 200", lambda: sg.HttpClassifier(retry_on_status=[200]), "retry_on_status"),
    ("http retry_on_status str", lambda: sg.HttpClassifier(retry_on_status="500"), "retry_on_status"),
    ("http retry_methods bad", lambda: sg.HttpClassifier(retry_methods=["GE T"]), "retry_methods"),
    ("http unknown keyword", lambda: sg.HttpClassifier(retry=[500]), "retry"),
    ("http status str", lambda: classifier.classify("500"), "status"),
    ("http status huge", lambda: classifier.classify(HUGE), "status"),
    ("http method int", lambda: classifier.classify(500, 5), "method"),
    ("hint header unknown", lambda: sg.parse_hint("X-Wait", "1"), "header"),
    ("hint header int", lambda: sg.parse_hint(1, "1"), "header"),
    ("hint value int", lambda: sg.parse_hint("Retry-After", 120), "value"),
    ("hint now nan", lambda: sg.parse_hint("Retry-After", "1", NAN), "now_unix"),
    ("hint now negative", lambda: sg.parse_hint("Retry-After", "1", -5), "now_unix"),
    ("retry-after policy negative", lambda: sg.RetryAfterPolicy(max_retry_after=-1), "max_retry_after"),
    ("retry-after policy combine", lambda: sg.RetryAfterPolicy(combine="min"), "combine"),
    ("decide backoff nan", lambda: ra_policy.decide(NAN), "backoff"),
    ("decide hint negative", lambda: ra_policy.decide(1, -1), "hint"),
    ("decide hint str", lambda: ra_policy.decide(1, "2"), "hint"),
    # RetryPolicy and retry()
    ("policy attempts 0", lambda: sg.RetryPolicy(attempts=0), "attempts"),
    ("policy attempts negative", lambda: sg.RetryPolicy(attempts=-3), "attempts"),
    ("policy attempts str", lambda: sg.RetryPolicy(attempts="3"), "attempts"),
    ("policy deadline nan", lambda: sg.RetryPolicy(deadline=NAN), "deadline"),
    ("policy deadline negative", lambda: sg.RetryPolicy(deadline=-1), "deadline"),
    ("policy backoff wrong", lambda: sg.RetryPolicy(backoff=1.5), "backoff"),
    ("policy budget wrong", lambda: sg.RetryPolicy(budget={}), "budget"),
    ("policy unknown keyword", lambda: sg.RetryPolicy(tries=3), "tries"),
    ("policy failure hint nan", lambda: policy.on_failure(policy.start(), retry_after=NAN), "retry_after"),
    ("policy failure kind", lambda: policy.on_failure(policy.start(), kind="x"), "kind"),
    ("retry attempts 0", lambda: sg.retry(attempts=0), "attempts"),
    ("retry retry_on wrong", lambda: sg.retry(retry_on=3), "retry_on"),
    ("retry unknown keyword", lambda: sg.retry(tries=3), "tries"),
    # Breaker and CircuitBreaker
    ("breaker window_size 0", lambda: sg.Breaker(window_size=0), "window_size"),
    ("breaker threshold 0", lambda: sg.Breaker(failure_rate_threshold=0), "failure_rate_threshold"),
    ("breaker threshold nan", lambda: sg.Breaker(failure_rate_threshold=NAN), "failure_rate_threshold"),
    ("breaker open_duration negative", lambda: sg.Breaker(open_duration=-1), "open_duration"),
    ("breaker window_type bad", lambda: sg.Breaker(window_type="sliding"), "window_type"),
    ("breaker consecutive without count", lambda: sg.Breaker(window_type="consecutive"), "failure_count_threshold"),
    ("breaker half_open_permits huge", lambda: sg.Breaker(half_open_permits=HUGE), "half_open_permits"),
    ("breaker open_backoff wrong", lambda: sg.Breaker(open_backoff=3), "open_backoff"),
    ("breaker preset unknown", lambda: sg.Breaker(preset="hystrix"), "preset"),
    ("breaker unknown keyword", lambda: sg.Breaker(threshold=5), "threshold"),
    ("breaker record outcome", lambda: breaker.record(breaker.try_acquire(), "meh"), "outcome"),
    ("breaker record permit", lambda: breaker.record("p", "success"), "permit"),
    ("breaker record duration nan", lambda: breaker.record(breaker.try_acquire(), "success", NAN), "duration"),
    ("breaker admission now nan", lambda: breaker.admission(NAN), "now"),
    ("breaker record_admitted generation str", lambda: breaker.record_admitted("0", "success"), "generation"),
    ("breaker record_admitted generation negative", lambda: breaker.record_admitted(-1, "success"), "generation"),
    ("breaker record_admitted outcome", lambda: breaker.record_admitted(0, "meh"), "outcome"),
    ("breaker record_admitted duration nan", lambda: breaker.record_admitted(0, "success", NAN), "duration"),
    ("breaker record_successes count bool", lambda: breaker.record_successes(0, True), "count"),
    ("breaker record_successes count negative", lambda: breaker.record_successes(0, -5), "count"),
    ("breaker record_successes count float", lambda: breaker.record_successes(0, 1.5), "count"),
    ("breaker trip_for negative", lambda: breaker.trip_for(-1), "duration"),
    ("breaker now str", lambda: breaker.try_acquire("soon"), "now"),
    ("circuit breaker bad option", lambda: sg.CircuitBreaker(minimum_calls=-1), "minimum_calls"),
    ("from_dict garbage", lambda: sg.Breaker.from_dict({"options": {}, "snapshot": {}}), "data"),
    # BreakerRegistry and Bulkhead
    ("registry max_keys 0", lambda: sg.BreakerRegistry(0), "max_keys"),
    ("registry max_keys huge", lambda: sg.BreakerRegistry(HUGE), "max_keys"),
    ("registry bad option", lambda: sg.BreakerRegistry(window_size=-1), "window_size"),
    ("registry key int", lambda: sg.BreakerRegistry().breaker(3).call(lambda: 1), "key"),
    ("registry parent int", lambda: sg.BreakerRegistry().breaker("a", 3).call(lambda: 1), "parent"),
    ("bulkhead max_concurrent 0", lambda: sg.Bulkhead(max_concurrent=0), "max_concurrent"),
    ("bulkhead max_concurrent str", lambda: sg.Bulkhead(max_concurrent="2"), "max_concurrent"),
    ("bulkhead max_queued negative", lambda: sg.Bulkhead(max_queued=-1), "max_queued"),
    ("bulkhead max_queue_wait nan", lambda: sg.Bulkhead(max_queue_wait=NAN), "max_queue_wait"),
    ("bulkhead release garbage", lambda: sg.Bulkhead().release("p"), "permit"),
    ("bulkhead release negative", lambda: sg.Bulkhead().release(-1), "permit"),
]


@pytest.mark.parametrize("label, call, argument", CASES, ids=[c[0] for c in CASES])
def test_rejected_with_a_message_naming_the_argument(
    label: str, call: Callable[[], Any], argument: str
) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    assert argument in str(info.value), (label, str(info.value))
    if isinstance(info.value, sg.ConfigError):
        assert info.value.code == "ERR_INVALID_CONFIG"


HOSTILE = [None, NAN, -math.inf, math.inf, -1, HUGE, -HUGE, "x", b"\xff", [], {}, object(), True, 2**64]


def test_no_entry_point_ever_panics() -> None:
    entry_points: list[Callable[[Any], Any]] = [
        lambda v: sg.Backoff(base=v),
        lambda v: sg.Backoff(max_attempts=v),
        lambda v: sg.Backoff(seed=v),
        lambda v: sg.Backoff.from_dict(v),
        lambda v: sg.Backoff.preset("redis_py_constant", v),
        lambda v: backoff.compute(v),
        lambda v: backoff.next_delay(1, v),
        lambda v: backoff.delay(v, 0.5),
        lambda v: sg.ExponentialBackoff(v),
        lambda v: sg.DecorrelatedJitterBackoff(base=v).compute(3),
        lambda v: sg.ConstantBackoff(v),
        lambda v: sg.RetryBudget(retry_percent=v),
        lambda v: budget.try_retry(now=v),
        lambda v: budget.restore(v),
        lambda v: sg.RetryBudget.from_dict(v),
        lambda v: sg.classify_redis(v),
        lambda v: classifier.classify(v),
        lambda v: sg.HttpClassifier(retry_methods=v),
        lambda v: sg.parse_hint("Retry-After", v),
        lambda v: sg.parse_hint("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT", v),
        lambda v: ra_policy.decide(v, v),
        lambda v: sg.RetryPolicy(attempts=v),
        lambda v: policy.on_failure(policy.start(), retry_after=v, u=None),
        lambda v: sg.Breaker(window=v),
        lambda v: breaker.trip_for(v),
        lambda v: breaker.metrics(v),
        lambda v: sg.Breaker.from_dict(v),
    ]
    for entry in entry_points:
        for value in HOSTILE:
            try:
                entry(value)
            except (TypeError, ValueError, KeyError, sg.StormguardError):
                pass
            except BaseException as error:  # a PanicException is a BaseException
                raise AssertionError(f"{type(error).__name__} from {value!r}: {error}") from error
