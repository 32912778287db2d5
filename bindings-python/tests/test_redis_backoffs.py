"""The redis-py drop-ins against redis-py 8.1's own classes."""

from __future__ import annotations

import copy
import math
import pickle
import random
import re

import pytest
import redis.backoff as rb

import stormguard as sg

CAP_BASE = [
    "ExponentialBackoff",
    "FullJitterBackoff",
    "EqualJitterBackoff",
    "DecorrelatedJitterBackoff",
    "ExponentialWithJitterBackoff",
]


@pytest.mark.parametrize("name", CAP_BASE)
@pytest.mark.parametrize("cap, base", [(0.512, 0.008), (1.0, 0.01), (10, 1), (0.05, 0.001)])
def test_random_seed_reproduces_redis_py_sequences(name: str, cap: float, base: float) -> None:
    ours, theirs = getattr(sg, name)(cap, base), getattr(rb, name)(cap, base)
    for seed in range(5):
        random.seed(seed)
        ours.reset()
        a = [ours.compute(f) for f in range(1, 16)]
        after_ours = random.random()
        random.seed(seed)
        theirs.reset()
        b = [theirs.compute(f) for f in range(1, 16)]
        after_theirs = random.random()
        assert all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(a, b)), (a, b)
        assert after_ours == after_theirs  # same number of draws consumed


def test_constant_and_no_backoff_match_and_never_draw() -> None:
    random.seed(3)
    assert sg.ConstantBackoff(0.25).compute(7) == rb.ConstantBackoff(0.25).compute(7) == 0.25
    assert sg.NoBackoff().compute(1) == rb.NoBackoff().compute(1) == 0
    state = random.getstate()
    sg.ExponentialBackoff().compute(3)
    sg.NoBackoff().compute(3)
    assert random.getstate() == state


@pytest.mark.parametrize("make", [lambda: sg.ConstantBackoff(0.5), sg.NoBackoff])
def test_constant_compute_takes_failures_by_position_or_keyword(make) -> None:
    import inspect

    backoff = make()
    expected = backoff.backoff
    assert backoff.compute(3) == backoff.compute(failures=3) == expected
    assert backoff.compute(2**80) == expected  # huge counts saturate, as everywhere
    assert list(inspect.signature(type(backoff).compute).parameters) == ["self", "failures"]

    class Subclass(type(backoff)):  # type: ignore[misc]
        pass

    assert Subclass(*([0.5] if expected else [])).compute(1) == expected


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((), {}, TypeError, "(0 given)"),
        ((1, 2), {}, TypeError, "(2 given)"),
        ((1,), {"failures": 1}, TypeError, "(2 given)"),
        ((), {"attempt": 1}, TypeError, "unexpected keyword"),
        (("1",), {}, TypeError, "`failures` must be an int"),
        ((True,), {}, TypeError, "`failures` must be an int"),
        ((1.0,), {}, TypeError, "`failures` must be an int"),
        ((-1,), {}, sg.ConfigError, "`failures` must not be negative"),
        ((), {"failures": -(2**80)}, sg.ConfigError, "`failures` must not be negative"),
    ],
)
def test_constant_compute_rejects_bad_calls_by_name(args, kwargs, error, words) -> None:
    for backoff in (sg.ConstantBackoff(0.5), sg.NoBackoff()):
        with pytest.raises(error, match=re.escape(words)):
            backoff.compute(*args, **kwargs)


def test_constant_compute_checks_its_receiver() -> None:
    with pytest.raises(TypeError, match="doesn't apply"):
        sg.ConstantBackoff.compute(sg.ExponentialBackoff(), 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="doesn't apply"):
        sg.NoBackoff.compute(sg.ConstantBackoff(1), 1)  # type: ignore[arg-type]


def test_defaults_signatures_and_module() -> None:
    b = sg.ExponentialBackoff()
    assert (b.cap, b.base) == (rb.DEFAULT_CAP, rb.DEFAULT_BASE)
    assert sg.ExponentialBackoff(1, 0.01) == sg.ExponentialBackoff(cap=1, base=0.01)
    assert type(b).__module__ == "stormguard"
    assert isinstance(sg.NoBackoff(), sg.ConstantBackoff)
    assert isinstance(b, rb.AbstractBackoff)


def test_equality_and_hash_like_redis_py() -> None:
    assert sg.FullJitterBackoff(1, 0.1) == sg.FullJitterBackoff(1, 0.1)
    assert sg.FullJitterBackoff(1, 0.1) != sg.FullJitterBackoff(1, 0.2)
    assert sg.FullJitterBackoff() != sg.EqualJitterBackoff()
    assert hash(sg.FullJitterBackoff(1, 0.1)) == hash(rb.FullJitterBackoff(1, 0.1))
    assert sg.NoBackoff() == sg.ConstantBackoff(0)
    assert hash(sg.ConstantBackoff(0.5)) == hash(rb.ConstantBackoff(0.5))
    assert len({sg.ExponentialBackoff(), sg.ExponentialBackoff()}) == 1


@pytest.mark.parametrize("name", CAP_BASE)
def test_copy_deepcopy_pickle_keep_state_and_generator(name: str) -> None:
    b = getattr(sg, name)(1.0, 0.01, seed=11)
    b.compute(1)
    b.compute(2)
    for clone in (copy.copy(b), copy.deepcopy(b), pickle.loads(pickle.dumps(b))):
        assert type(clone) is type(b) and clone == b and clone.seed == 11
        assert clone.compute(3) == copy.deepcopy(b).compute(3)


def test_seed_switches_to_the_core_generator() -> None:
    a, b = sg.FullJitterBackoff(seed=5), sg.FullJitterBackoff(seed=5)
    random.seed(1)
    first = [a.compute(f) for f in range(1, 10)]
    random.seed(2)
    assert [b.compute(f) for f in range(1, 10)] == first


def test_monkeypatched_random_is_used_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(random, "random", lambda: 0.5)
    assert sg.FullJitterBackoff(1, 0.1).compute(2) == pytest.approx(0.2)
    assert sg.ExponentialWithJitterBackoff(1, 0.1).compute(2) == pytest.approx(0.2)


def test_decorrelated_reset_restarts_at_base() -> None:
    b = sg.DecorrelatedJitterBackoff(cap=10, base=0.1)
    assert b.compute(1) == pytest.approx(0.1)  # prev = 0: uniform(base, base)
    b.compute(2)
    b.reset()
    assert b.compute(1) == pytest.approx(0.1)


def test_huge_failures_give_the_cap_not_an_overflow() -> None:
    assert sg.ExponentialBackoff().compute(10**6) == 0.512
    assert 0 <= sg.ExponentialWithJitterBackoff().compute(2**40) <= 0.512


def test_backoff_presets_and_options() -> None:
    ewj = sg.Backoff.preset("redis_py_client_default")
    assert ewj.max_attempts == 10 and ewj.max_delay == 1.0
    assert "ioredis_v6" in sg.Backoff.presets()
    b = sg.Backoff(base=0.1, max=2.0, jitter="equal")
    assert sg.Backoff.from_dict(b.to_dict()) == b
    assert b.delay(3, 0.0) == pytest.approx(0.2)  # 0.1·2² / 2
    assert sg.Backoff(schedule="polly_v2", base=0.2).next_delay(1, 0.5) is not None
    limited = sg.Backoff(max_attempts=1)
    limited.compute(1)
    with pytest.raises(sg.StormguardError) as info:
        limited.compute(2)
    assert info.value.code == "ERR_ATTEMPTS_EXHAUSTED"
