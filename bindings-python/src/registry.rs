//! `stormguard._core.BreakerRegistry`: one breaker per key (endpoint, Redis
//! node, origin) in the core's bounded LRU registry, with optional parents:
//! an open parent rejects all its children (`breaker::hierarchy`).
//!
//! Acquire: the entry (and its parent) is created on first use from the
//! registry's breaker options; every ancestor must admit
//! (`ancestors_admit`), then the key's breaker gives a permit, and each
//! ancestor gives its own permit so the parent's window sees all its
//! children's traffic. Record: the outcome goes to every breaker that gave
//! a permit (an entry evicted meanwhile is skipped). One lock guards the
//! registry; it is held only while the core decides.

use crate::breaker_args::{
    BREAKER, breaker_options, open_error, outcome_arg, recorded_name, seconds_arg,
    timed_outcome_arg,
};
use crate::engine::lock;
use crate::errors::{Kind, config_error, from_core, new_error, type_error};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::sync::Mutex;
use stormguard::SeededRng;
use stormguard::breaker::hierarchy::ancestors_admit;
use stormguard::breaker::{Breaker, Outcome, Permit, Recorded};
use stormguard::registry::{Registry, RegistryError, RegistryOptions};

/// `max_keys` is the registry's `maxKeys`.
static MAX_KEYS: crate::names::Schema = crate::names::Schema {
    fields: &[crate::names::field(
        "max_keys",
        "maxKeys",
        crate::names::Unit::Plain,
    )],
};

/// A permit for one call through a keyed breaker and its ancestors.
#[pyclass(module = "stormguard", name = "RegistryPermit", frozen)]
#[derive(Debug)]
pub(crate) struct PyRegistryPermit {
    /// `(key, generation, id)` for the key's breaker, then each ancestor.
    parts: Vec<(String, u64, u64)>,
}

#[pymethods]
impl PyRegistryPermit {
    /// The key the permit was acquired for.
    #[getter]
    fn key(&self) -> Option<&str> {
        self.parts.first().map(|(k, _, _)| k.as_str())
    }
}

#[derive(Debug)]
struct Inner {
    registry: Registry<String, Breaker>,
    rng: SeededRng,
    evicted: Vec<String>,
}

/// Breakers by key (see the module docs).
#[pyclass(module = "stormguard._core", name = "BreakerRegistry", frozen)]
#[derive(Debug)]
pub(crate) struct PyBreakerRegistry {
    template: Breaker,
    inner: Mutex<Inner>,
}

/// A hierarchy refusal as `UsageError` with the core's code.
pub(crate) fn registry_error(py: Python<'_>, err: &RegistryError) -> PyErr {
    new_error(py, Kind::Usage, &err.to_string(), err.code(), &[])
}

/// A `str` key argument, or `TypeError` naming it.
pub(crate) fn key_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(value
        .cast::<PyString>()
        .map_err(|_| type_error(name, "a str", value))?
        .to_str()?
        .to_owned())
}

impl PyBreakerRegistry {
    /// Ensures `key` (under `parent`) exists, touching it; notes evictions.
    fn ensure(
        &self,
        inner: &mut Inner,
        key: &str,
        parent: Option<&str>,
    ) -> Result<(), RegistryError> {
        let template = &self.template;
        let evicted = match parent {
            Some(parent) => {
                let (_, evicted) = inner
                    .registry
                    .get_or_insert_with(parent.to_owned(), || template.clone());
                if let Some((k, _)) = evicted {
                    inner.evicted.push(k);
                }
                inner
                    .registry
                    .get_or_insert_child_with(key.to_owned(), parent, || template.clone())?
                    .1
            }
            None => {
                inner
                    .registry
                    .get_or_insert_with(key.to_owned(), || template.clone())
                    .1
            }
        };
        if let Some((k, _)) = evicted {
            inner.evicted.push(k);
        }
        Ok(())
    }

    fn acquire(
        &self,
        py: Python<'_>,
        key: &str,
        parent: Option<&str>,
        now: stormguard::Instant,
    ) -> PyResult<PyRegistryPermit> {
        let mut inner = lock(&self.inner);
        self.ensure(&mut inner, key, parent)
            .map_err(|e| registry_error(py, &e))?;
        if let Err(rejected) = ancestors_admit(&inner.registry, key, now) {
            return Err(open_error(py, &rejected));
        }
        let mut parts = Vec::with_capacity(2);
        let Some(mut chain) = inner.registry.chain_mut(key) else {
            return Err(config_error(py, "key", "`key` vanished from the registry"));
        };
        if let Some((k, breaker)) = chain.next_entry() {
            match breaker.try_acquire(now) {
                Ok(permit) => parts.push((k.clone(), permit.generation(), permit.id())),
                Err(rejected) => return Err(open_error(py, &rejected)),
            }
        }
        while let Some((k, breaker)) = chain.next_entry() {
            if let Ok(permit) = breaker.try_acquire(now) {
                parts.push((k.clone(), permit.generation(), permit.id()));
            }
        }
        Ok(PyRegistryPermit { parts })
    }

    fn record_parts(
        &self,
        permit: &PyRegistryPermit,
        outcome: Outcome,
        now: stormguard::Instant,
    ) -> Option<Recorded> {
        let mut inner = lock(&self.inner);
        let Inner { registry, rng, .. } = &mut *inner;
        let mut first = None;
        for (index, (key, generation, id)) in permit.parts.iter().enumerate() {
            let Some(breaker) = registry.get_mut(key.as_str()) else {
                continue;
            };
            // A fresh draw for an opening this outcome may cause.
            breaker.set_open_draw(rng.next_unit());
            let recorded = breaker
                .record(now, Permit::from_parts(*generation, *id), outcome)
                .ok();
            if index == 0 {
                first = recorded;
            }
        }
        first
    }
}

#[pymethods]
impl PyBreakerRegistry {
    #[new]
    #[pyo3(signature = (*, max_keys = None, preset = None, seed = None, **options))]
    fn new(
        py: Python<'_>,
        max_keys: Option<&Bound<'_, PyAny>>,
        preset: Option<&Bound<'_, PyAny>>,
        seed: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let options = breaker_options(py, preset, options)?;
        let template = Breaker::new(&options).map_err(|e| from_core(py, &e, &BREAKER))?;
        let max_keys = match max_keys.filter(|m| !m.is_none()) {
            Some(m) => crate::convert::count_u32("max_keys", m)?,
            None => RegistryOptions::default().max_keys,
        };
        let registry = Registry::new(&RegistryOptions { max_keys })
            .map_err(|e| from_core(py, &e, &MAX_KEYS))?;
        let seed = crate::engine::seed_or_random(py, seed)?;
        Ok(Self {
            template,
            inner: Mutex::new(Inner {
                registry,
                rng: SeededRng::from_seed_u64(seed),
                evicted: Vec::new(),
            }),
        })
    }

    /// A permit for one call through `key`'s breaker (created on first use,
    /// under `parent` when given), or `CircuitOpenError` when the key or an
    /// ancestor rejects.
    #[pyo3(signature = (key, parent = None, now = None))]
    fn try_acquire(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        parent: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRegistryPermit> {
        let key = key_arg("key", key)?;
        let parent = match parent.filter(|p| !p.is_none()) {
            Some(p) => Some(key_arg("parent", p)?),
            None => None,
        };
        let now = crate::clock::now(py, now)?;
        self.acquire(py, &key, parent.as_deref(), now)
    }

    /// Records the outcome into the key's breaker and its ancestors; the
    /// key's result (`"counted"`, `"released"`, `"late"`; `"late"` too when
    /// the entry was evicted meanwhile).
    #[pyo3(signature = (permit, outcome, duration = None, now = None))]
    fn record(
        &self,
        py: Python<'_>,
        permit: &Bound<'_, PyAny>,
        outcome: &Bound<'_, PyAny>,
        duration: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<&'static str> {
        let permit = permit
            .cast::<PyRegistryPermit>()
            .map_err(|_| type_error("permit", "a RegistryPermit", permit))?;
        let outcome = timed_outcome_arg(py, outcome, duration)?;
        let now = crate::clock::now(py, now)?;
        Ok(self
            .record_parts(permit.get(), outcome, now)
            .map_or("late", recorded_name))
    }

    /// acquire → `function(*args, **kwargs)` with no lock held → record
    /// (`classify(exception)` names the outcome) → `dispatch()`.
    #[pyo3(signature = (key, parent, function, args, kwargs, classify, dispatch))]
    #[allow(clippy::too_many_arguments)]
    fn call<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        parent: Option<&Bound<'py, PyAny>>,
        function: &Bound<'py, PyAny>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
        classify: &Bound<'py, PyAny>,
        dispatch: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let key = key_arg("key", key)?;
        let parent = match parent.filter(|p| !p.is_none()) {
            Some(p) => Some(key_arg("parent", p)?),
            None => None,
        };
        let started = crate::clock::monotonic(py)?;
        let permit = self.acquire(py, &key, parent.as_deref(), started);
        dispatch.call0()?;
        let permit = permit?;
        let result = function.call(args, kwargs);
        let ended = crate::clock::monotonic(py)?;
        let outcome = match &result {
            Ok(_) => Outcome::success(),
            Err(error) => outcome_arg(&classify.call1((error.value(py),))?)?,
        };
        self.record_parts(&permit, outcome.took(ended - started), ended);
        dispatch.call0()?;
        result
    }

    /// The state of `key`'s breaker (applying what is due), or None.
    #[pyo3(signature = (key, now = None))]
    fn state(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<&'static str>> {
        let key = key_arg("key", key)?;
        let now = crate::clock::now(py, now)?;
        let mut inner = lock(&self.inner);
        Ok(inner.registry.get_mut(key.as_str()).map(|b| {
            b.handle_timeout(now);
            b.state().name()
        }))
    }

    /// `key`'s breaker metrics (as `Breaker.metrics()`), or None.
    #[pyo3(signature = (key, now = None))]
    fn metrics<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let key = key_arg("key", key)?;
        let now = crate::clock::now(py, now)?;
        let metrics = lock(&self.inner)
            .registry
            .get_mut(key.as_str())
            .map(|b| b.metrics(now));
        metrics
            .map(|m| crate::breaker_args::metrics_dict(py, &m))
            .transpose()
    }

    /// Drains `key`'s pending transitions: `[(from, to, reason, at)]`.
    fn poll_transitions<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let key = key_arg("key", key)?;
        let mut drained = Vec::new();
        if let Some(breaker) = lock(&self.inner).registry.get_mut(key.as_str()) {
            while let Some(t) = breaker.poll_transition() {
                drained.push(t);
            }
        }
        let list = PyList::empty(py);
        for t in drained {
            list.append((
                t.from.name(),
                t.to.name(),
                t.reason.name(),
                crate::clock::instant_seconds(t.at),
            ))?;
        }
        Ok(list)
    }

    /// Keys evicted to make room since the last call.
    fn poll_evictions(&self) -> Vec<String> {
        std::mem::take(&mut lock(&self.inner).evicted)
    }

    /// Keys, most recently used first.
    fn keys(&self) -> Vec<String> {
        lock(&self.inner)
            .registry
            .iter()
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Removes `key`'s breaker (`UsageError` `ERR_HAS_CHILDREN` for a
    /// parent with live children); whether it was there.
    fn remove(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        let key = key_arg("key", key)?;
        let removed = lock(&self.inner).registry.remove(key.as_str());
        removed
            .map(|v| v.is_some())
            .map_err(|e| registry_error(py, &e))
    }

    /// Applies a manual control (`"force_open"`, `"disable"`,
    /// `"metrics_only"`, `"reset"`, or `"trip_for"` with `duration`
    /// seconds) to `key`'s breaker (created if missing).
    #[pyo3(signature = (key, control, duration = None, now = None))]
    fn control(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        control: &str,
        duration: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let key = key_arg("key", key)?;
        let duration = match duration.filter(|d| !d.is_none()) {
            Some(d) => Some(seconds_arg(py, d)?),
            None => None,
        };
        let now = crate::clock::now(py, now)?;
        let mut inner = lock(&self.inner);
        self.ensure(&mut inner, &key, None)
            .map_err(|e| registry_error(py, &e))?;
        let Some(breaker) = inner.registry.get_mut(key.as_str()) else {
            return Ok(());
        };
        match (control, duration) {
            ("force_open", _) => breaker.force_open(now),
            ("disable", _) => breaker.disable(now),
            ("metrics_only", _) => breaker.metrics_only(now),
            ("reset", _) => breaker.reset(now),
            ("trip_for", Some(d)) => breaker.trip_for(now, d),
            _ => {
                return Err(config_error(
                    py,
                    "control",
                    &format!(
                        "`control` is not a manual control (or lacks `duration`): {control:?}"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn __len__(&self) -> usize {
        lock(&self.inner).registry.len()
    }
}
