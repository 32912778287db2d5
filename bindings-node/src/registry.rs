//! The core's bounded per-key registry (LRU eviction, optional parents),
//! holding host numbers. `BreakerRegistry` keeps its breakers in a
//! JavaScript map keyed by the number stored here; the core decides which
//! key is evicted.

use crate::convert;
use crate::error::{Class, HostError, throwing};
use napi::Env;
use napi_derive::napi;
use stormguard::registry::{Registry, RegistryError, RegistryOptions};

/// An entry handed back (evicted or popped).
#[napi(object)]
#[derive(Debug)]
pub struct RegistryEntry {
    /// The key.
    pub key: String,
    /// Its value.
    pub value: f64,
}

/// What `getOrInsert` found or made, and what it evicted.
#[napi(object)]
#[derive(Debug)]
pub struct InsertResult {
    /// The existing or new value.
    pub value: f64,
    /// The entry evicted to make room, if any.
    pub evicted: Option<RegistryEntry>,
}

/// Keys and values in recency order (most recent first).
#[napi(object)]
#[derive(Debug)]
pub struct RegistryState {
    /// Keys, most recently used first.
    pub keys: Vec<String>,
    /// Their values.
    pub values: Vec<f64>,
}

/// A validated registry of string keys and numbers.
#[napi(js_name = "NativeRegistry")]
#[derive(Debug)]
pub struct NativeRegistry {
    registry: Registry<String, f64>,
}

fn misuse(error: RegistryError) -> HostError {
    HostError::new(Class::Plain, error.code(), error.to_string())
}

fn entry((key, value): (String, f64)) -> RegistryEntry {
    RegistryEntry { key, value }
}

#[napi]
impl NativeRegistry {
    /// Validates `options` (JSON text of `RegistryOptions`: `maxKeys`).
    #[napi(constructor)]
    pub fn new(env: Env, options: String) -> napi::Result<Self> {
        throwing(&env, || {
            let options: RegistryOptions = convert::options("registry", &options)?;
            Ok(Self {
                registry: Registry::new(&options)?,
            })
        })
    }

    /// The value of `key` (refreshing it), or inserts `value`, under
    /// `parent` when given.
    #[napi]
    pub fn get_or_insert(
        &mut self,
        env: Env,
        key: String,
        value: f64,
        parent: Option<String>,
    ) -> napi::Result<InsertResult> {
        throwing(&env, || {
            let (found, evicted) = match parent {
                None => {
                    let (found, evicted) = self.registry.get_or_insert_with(key, || value);
                    (*found, evicted)
                }
                Some(parent) => {
                    let (found, evicted) = self
                        .registry
                        .get_or_insert_child_with(key, &parent, || value)
                        .map_err(misuse)?;
                    (*found, evicted)
                }
            };
            Ok(InsertResult {
                value: found,
                evicted: evicted.map(entry),
            })
        })
    }

    /// The value of `key`, refreshing it and its ancestors.
    #[napi]
    pub fn get(&mut self, key: String) -> Option<f64> {
        self.registry.get(&key).copied()
    }

    /// The value of `key` without refreshing it.
    #[napi]
    pub fn peek(&self, key: String) -> Option<f64> {
        self.registry.peek(&key).copied()
    }

    /// Stores `value` under an existing `key` (refreshing it); `false` when absent.
    #[napi]
    pub fn set(&mut self, key: String, value: f64) -> bool {
        match self.registry.get_mut(&key) {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        }
    }

    /// Removes `key`, returning its value.
    #[napi]
    pub fn remove(&mut self, env: Env, key: String) -> napi::Result<Option<f64>> {
        throwing(&env, || self.registry.remove(&key).map_err(misuse))
    }

    /// Evicts the least recently used entry.
    #[napi]
    pub fn pop_lru(&mut self) -> Option<RegistryEntry> {
        self.registry.pop_lru().map(entry)
    }

    /// The parent `key` was inserted under, if any (no refresh).
    #[napi]
    pub fn parent(&self, key: String) -> Option<String> {
        self.registry.parent(&key).cloned()
    }

    /// `key`, its parent, … up to the root (no refresh).
    #[napi]
    pub fn chain(&self, key: String) -> Vec<String> {
        self.registry.chain(&key).map(|(k, _)| k.clone()).collect()
    }

    /// Every entry in recency order.
    #[napi]
    pub fn state(&self) -> RegistryState {
        let (keys, values) = self.registry.iter().map(|(k, v)| (k.clone(), *v)).unzip();
        RegistryState { keys, values }
    }

    /// `maxKeys`.
    #[napi(getter)]
    pub fn capacity(&self) -> u32 {
        convert::saturating_u32(self.registry.capacity() as u64)
    }

    /// Entries now.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        convert::saturating_u32(self.registry.len() as u64)
    }
}
