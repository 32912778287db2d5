"""The shared registry and generator vectors through ``stormguard.Registry``
and ``stormguard.SeededRng``, then what the vectors cannot say: values are
any Python objects, and a value leaving the registry is released outside
its lock."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import stormguard as sg

from test_vectors import case_ids, load

REGISTRY_CASES = load("registry")
RNG_CASES = load("rng")


def entry(pair: tuple[str, Any] | None) -> dict[str, Any] | None:
    return None if pair is None else {"key": pair[0], "value": pair[1]}


def expect_usage_error(code: str, fn: Any) -> None:
    with pytest.raises(sg.UsageError) as info:
        fn()
    assert info.value.code == code


@pytest.mark.parametrize("case", RNG_CASES, ids=case_ids(RNG_CASES))
def test_rng_vector(case: dict[str, Any]) -> None:
    rng = sg.SeededRng(int(case["seed"]))
    assert [rng.next_u64() for _ in case["words"]] == [int(w) for w in case["words"]]
    assert [rng.random() for _ in case["units"]] == case["units"]


@pytest.mark.parametrize("case", REGISTRY_CASES, ids=case_ids(REGISTRY_CASES))
def test_registry_vector(case: dict[str, Any]) -> None:
    options = {"max_keys": v for k, v in case.get("options", {}).items() if k == "maxKeys"}
    assert set(case.get("options", {})) <= {"maxKeys"}
    if "expectError" in case:
        with pytest.raises(sg.ConfigError) as info:
            sg.Registry(**options)
        assert case["expectError"] == {"field": "maxKeys"}
        assert info.value.field == "max_keys"
        assert info.value.code == "ERR_INVALID_CONFIG"
        return
    registry = sg.Registry(**options)
    for i, op in enumerate(case["ops"]):
        at = f"op {i} ({op['op']})"
        kind = op["op"]
        if kind == "getOrInsert":
            call = lambda: registry.get_or_insert(op["key"], op["value"], op.get("parent"))  # noqa: E731
            if "expectError" in op:
                expect_usage_error(op["expectError"], call)
            else:
                value, evicted = call()
                assert value == op["expectValue"], at
                assert entry(evicted) == op.get("expectEvicted"), at
        elif kind == "get":
            assert registry.get(op["key"]) == op.get("expectValue"), at
        elif kind == "peek":
            assert registry.peek(op["key"]) == op.get("expectValue"), at
        elif kind == "set":
            assert registry.set(op["key"], op["value"]) is op["expectFound"], at
        elif kind == "remove":
            if "expectError" in op:
                expect_usage_error(op["expectError"], lambda: registry.remove(op["key"]))
            else:
                assert registry.remove(op["key"]) == op.get("expectValue"), at
        elif kind == "popLru":
            assert entry(registry.pop_lru()) == op.get("expectEvicted"), at
        elif kind == "chain":
            assert registry.chain(op["key"]) == op["expectKeys"], at
        elif kind == "state":
            items = registry.items()
            assert [k for k, _ in items] == op["expectKeys"], at
            assert [v for _, v in items] == op["expectValues"], at
            assert registry.keys() == op["expectKeys"], at
            assert len(registry) == len(op["expectKeys"]), at
        elif kind == "capacity":
            assert registry.capacity == op["expect"], at
        else:
            raise AssertionError(f"unknown op {kind}")


def test_values_are_any_objects_returned_as_stored() -> None:
    registry = sg.Registry(max_keys=2)
    budget = sg.RetryBudget()
    stored, evicted = registry.get_or_insert("tenant-a", budget)
    assert stored is budget and evicted is None
    assert registry.get_or_insert("tenant-a", object())[0] is budget
    assert "tenant-a" in registry and "tenant-b" not in registry and 3 not in registry
    assert repr(registry) == "Registry(max_keys=2, len=1)"


def test_a_value_released_by_the_registry_may_use_it_from_del() -> None:
    registry = sg.Registry(max_keys=1)
    seen: list[int] = []

    class UsesRegistryOnRelease:
        def __del__(self) -> None:
            seen.append(len(registry))

    registry.get_or_insert("a", UsesRegistryOnRelease())
    done = threading.Event()

    def replace() -> None:
        registry.set("a", 1)
        done.set()

    worker = threading.Thread(target=replace)
    worker.start()
    worker.join(timeout=5)
    assert done.is_set(), "set() deadlocked while releasing the old value"
    assert seen == [1]


def test_bad_keys_and_seeds_are_type_errors_naming_the_argument() -> None:
    registry = sg.Registry()
    for call, name in [
        (lambda: registry.get_or_insert(1, "v"), "key"),
        (lambda: registry.get_or_insert("k", "v", parent=2.5), "parent"),
        (lambda: registry.get(None), "key"),
        (lambda: registry.chain(b"k"), "key"),
    ]:
        with pytest.raises(TypeError, match=f"`{name}`"):
            call()
    with pytest.raises(TypeError, match="`max_keys`"):
        sg.Registry(max_keys="10")
    with pytest.raises(sg.ConfigError, match="`max_keys`"):
        sg.Registry(max_keys=-1)
    with pytest.raises(TypeError, match="`seed`"):
        sg.SeededRng(None)
    with pytest.raises(TypeError, match="`seed`"):
        sg.SeededRng(1.5)
    with pytest.raises(sg.ConfigError, match="`seed`"):
        sg.SeededRng(2**64)
