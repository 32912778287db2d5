"""BreakerRegistry: per-key breakers, LRU bound, open parents reject children."""

from __future__ import annotations

import pytest

import stormguard as sg


def fail() -> None:
    raise ConnectionError("down")


def registry(**kwargs: object) -> sg.BreakerRegistry:
    return sg.BreakerRegistry(
        window_type="consecutive", failure_count_threshold=2, open_duration=30, **kwargs
    )


def test_each_key_has_its_own_breaker() -> None:
    reg = registry()
    a, b = reg.breaker("a"), reg.breaker("b")
    for _ in range(2):
        with pytest.raises(ConnectionError):
            a.call(fail)
    assert a.state == "open" and b.state == "closed"
    assert b.call(lambda: 1) == 1
    with pytest.raises(sg.CircuitOpenError):
        a.call(lambda: 1)
    assert reg.state("a") == "open" and "b" in reg and "c" not in reg


def test_open_parent_rejects_every_child() -> None:
    events: list[tuple[str | None, str]] = []
    reg = registry(listeners=[lambda br, t: events.append((br.name, t.to_state))])
    users = reg.breaker("host/users", parent="host")
    orders = reg.breaker("host/orders", parent="host")
    with pytest.raises(ConnectionError):
        users.call(fail)
    with pytest.raises(ConnectionError):
        orders.call(fail)
    # Each child saw one failure; the parent saw both and opened.
    assert reg.state("host") == "open"
    assert users.state == "closed" and orders.state == "closed"
    with pytest.raises(sg.CircuitOpenError):
        users.call(lambda: 1)
    assert reg.metrics("host/users")["calls"] == 1


def test_least_recently_used_key_is_evicted() -> None:
    reg = registry(max_keys=2)
    reg.breaker("a").call(lambda: None)
    reg.breaker("b").call(lambda: None)
    reg.breaker("a").call(lambda: None)
    reg.breaker("c").call(lambda: None)
    assert sorted(reg.keys()) == ["a", "c"] and reg.evicted() == ["b"]
    assert len(reg) == 2


def test_parent_with_children_cannot_be_removed() -> None:
    reg = registry()
    reg.breaker("child", parent="parent").call(lambda: None)
    with pytest.raises(sg.UsageError) as info:
        reg.remove("parent")
    assert info.value.code == "ERR_HAS_CHILDREN"
    assert reg.remove("child") and reg.remove("parent")


def test_manual_controls_and_context_manager() -> None:
    reg = registry()
    br = reg["svc"]
    br.force_open()
    assert reg.state("svc") == "forcedOpen"
    with pytest.raises(sg.CircuitOpenError):
        with br:
            pass
    br.reset()
    with br:
        pass
    assert reg.metrics("svc")["successes"] == 1
