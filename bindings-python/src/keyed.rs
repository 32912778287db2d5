//! `stormguard.Registry`: the core's bounded LRU map with parent chains,
//! holding any Python objects.
//!
//! Why expose it: `BreakerRegistry` is one use of the structure; per-tenant
//! retry budgets, per-host bulkheads or any other per-key state need the
//! same bounds (at most `max_keys` entries, least recently used evicted,
//! never an ancestor of the entry being inserted) and the same hierarchy
//! rules. The shared registry vectors run through it.
//!
//! Constraints: one lock, held only while the core updates its index; a
//! value that leaves the registry (evicted, replaced, removed) is released
//! after the lock is dropped, so a `__del__` that uses the registry cannot
//! deadlock.

use crate::engine::lock;
use crate::errors::from_core;
use crate::names::{Schema, Unit, field};
use crate::registry::{key_arg, registry_error};
use pyo3::prelude::*;
use std::sync::Mutex;
use stormguard::registry::{Registry, RegistryOptions};

/// `max_keys` is the registry's `maxKeys`.
static MAX_KEYS: Schema = Schema {
    fields: &[field("max_keys", "maxKeys", Unit::Plain)],
};

/// `(key, value)` of an entry that left the registry.
type Entry = (String, Py<PyAny>);

/// A bounded map from `str` keys to any objects (see the module docs).
#[pyclass(module = "stormguard", name = "Registry", frozen)]
#[derive(Debug)]
pub(crate) struct PyRegistry {
    inner: Mutex<Registry<String, Py<PyAny>>>,
}

fn clone_entry(py: Python<'_>, (key, value): (&String, &Py<PyAny>)) -> Entry {
    (key.clone(), value.clone_ref(py))
}

#[pymethods]
impl PyRegistry {
    #[new]
    #[pyo3(signature = (max_keys = None))]
    fn new(py: Python<'_>, max_keys: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let max_keys = match max_keys.filter(|m| !m.is_none()) {
            Some(m) => crate::convert::count_u32("max_keys", m)?,
            None => RegistryOptions::default().max_keys,
        };
        let registry = Registry::new(&RegistryOptions { max_keys })
            .map_err(|e| from_core(py, &e, &MAX_KEYS))?;
        Ok(Self {
            inner: Mutex::new(registry),
        })
    }

    /// `key`'s value, marking it and its ancestors as just used; when absent,
    /// stores `value` (under `parent`, which must exist) first, evicting the
    /// least recently used entry if full. Returns `(value, evicted)`, where
    /// `evicted` is the `(key, value)` that made room, or `None`.
    /// `UsageError` (`ERR_UNKNOWN_PARENT`, `ERR_PARENT_MISMATCH`,
    /// `ERR_NO_EVICTABLE_ENTRY`) when the hierarchy forbids it.
    #[pyo3(signature = (key, value, parent = None))]
    fn get_or_insert(
        &self,
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        parent: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(Py<PyAny>, Option<Entry>)> {
        let key = key_arg("key", key)?;
        let parent = match parent.filter(|p| !p.is_none()) {
            Some(p) => Some(key_arg("parent", p)?),
            None => None,
        };
        let make = || value.clone().unbind();
        let mut registry = lock(&self.inner);
        let (stored, evicted) = match &parent {
            None => registry.get_or_insert_with(key, make),
            Some(parent) => registry
                .get_or_insert_child_with(key, parent.as_str(), make)
                .map_err(|e| registry_error(py, &e))?,
        };
        Ok((stored.clone_ref(py), evicted))
    }

    /// `key`'s value, marking it and its ancestors as just used, or `None`.
    fn get(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
        let key = key_arg("key", key)?;
        Ok(lock(&self.inner).get(&key).map(|v| v.clone_ref(py)))
    }

    /// `key`'s value without marking it as used, or `None`.
    fn peek(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
        let key = key_arg("key", key)?;
        Ok(lock(&self.inner).peek(&key).map(|v| v.clone_ref(py)))
    }

    /// Replaces `key`'s value and marks it as used; `False` (nothing stored)
    /// when `key` is absent.
    fn set(&self, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        let key = key_arg("key", key)?;
        let replaced = {
            let mut registry = lock(&self.inner);
            registry
                .get_mut(&key)
                .map(|slot| std::mem::replace(slot, value.clone().unbind()))
        };
        Ok(replaced.is_some())
    }

    /// Removes `key` and returns its value (`None` when absent);
    /// `UsageError` `ERR_HAS_CHILDREN` while other entries name it as parent.
    fn remove(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyAny>>> {
        let key = key_arg("key", key)?;
        let removed = lock(&self.inner).remove(&key);
        removed.map_err(|e| registry_error(py, &e))
    }

    /// Removes and returns the least recently used `(key, value)` (never an
    /// entry with children), or `None` when empty.
    fn pop_lru(&self) -> Option<Entry> {
        lock(&self.inner).pop_lru()
    }

    /// `key`, its parent, grandparent, … up to its root (empty when absent),
    /// without marking any as used.
    fn chain(&self, key: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let key = key_arg("key", key)?;
        Ok(lock(&self.inner)
            .chain(&key)
            .map(|(k, _)| k.clone())
            .collect())
    }

    /// `(key, value)` pairs, most recently used first, without marking any.
    fn items(&self, py: Python<'_>) -> Vec<Entry> {
        let registry = lock(&self.inner);
        registry
            .iter()
            .map(|entry| clone_entry(py, entry))
            .collect()
    }

    /// Keys, most recently used first.
    fn keys(&self) -> Vec<String> {
        lock(&self.inner).iter().map(|(k, _)| k.clone()).collect()
    }

    /// The most entries held at once (`max_keys`).
    #[getter]
    fn capacity(&self) -> usize {
        lock(&self.inner).capacity()
    }

    fn __len__(&self) -> usize {
        lock(&self.inner).len()
    }

    /// Whether `key` is held (without marking it as used); `False` for a
    /// non-`str`.
    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        key_arg("key", key).is_ok_and(|key| lock(&self.inner).contains_key(&key))
    }

    fn __repr__(&self) -> String {
        let registry = lock(&self.inner);
        format!(
            "Registry(max_keys={}, len={})",
            registry.capacity(),
            registry.len()
        )
    }
}
