//! The bulkhead and the generic registry for the shared vectors (the
//! `vectors` build only): the browser package does not ship these engines,
//! but their vector files must still run through the wasm build, so the core
//! compiled for wasm32 is what they check.
//!
//! Options arrive as JSON (the vectors' own camelCase names, through the
//! core's serde derives); answers are short strings the runner splits:
//!
//! ```text
//! VectorsBulkhead.new(json)        error() → "" | rejected field
//! tryEnter(nowMs)                  → "admitted <id>" | "queued <id>" | "rejected <reason>"
//! release(nowMs, id) / cancel(…)   → "" | "<ticket handed the slot>" | "error <code>"
//! claim(id)                        → "<permit id>" | "error <code>"
//! pollTimeoutMs() / position(id)   → number | NaN (none)
//! handleTimeout(nowMs)             → "" | "<ticket>";  metrics() → JSON
//! VectorsRegistry.new(json)        getOrInsert(key, value, parent) → "<value> <evictedKey> <evictedValue>" | "error <code>"
//! ```

use crate::clock;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use stormguard::bulkhead::{
    Admission, Bulkhead, BulkheadError, BulkheadOptions, BulkheadPermit, QueueTicket,
};
use stormguard::registry::{Registry, RegistryOptions};
use wasm_bindgen::prelude::wasm_bindgen;

/// An id the runner passed back as a number.
fn id(value: f64) -> u64 {
    if value.is_finite() && value >= 0.0 {
        value as u64
    } else {
        u64::MAX
    }
}

/// `""`, the ticket handed the slot, or the error's code.
fn handed(result: Result<Option<QueueTicket>, BulkheadError>) -> String {
    match result {
        Ok(None) => String::new(),
        Ok(Some(ticket)) => ticket.id().to_string(),
        Err(error) => format!("error {}", error.code()),
    }
}

/// A bulkhead built from the vectors' options, or the field they name.
#[wasm_bindgen]
#[derive(Debug)]
pub struct VectorsBulkhead {
    inner: Result<Bulkhead, String>,
}

#[wasm_bindgen]
impl VectorsBulkhead {
    /// From the vectors' JSON options.
    #[wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Self {
        let inner = serde_json::from_str::<BulkheadOptions>(json)
            .map_err(|error| error.to_string())
            .and_then(|o| Bulkhead::new(&o).map_err(|error| error.field().to_string()));
        Self { inner }
    }

    /// The option construction rejected, or `""`.
    pub fn error(&self) -> String {
        self.inner.as_ref().err().cloned().unwrap_or_default()
    }

    /// One call asks for a slot.
    #[wasm_bindgen(js_name = tryEnter)]
    pub fn try_enter(&mut self, now_ms: f64) -> String {
        let Ok(b) = &mut self.inner else {
            return String::new();
        };
        match b.try_enter(clock::instant(now_ms)) {
            Admission::Admitted(permit) => format!("admitted {}", permit.id()),
            Admission::Queued(ticket) => format!("queued {}", ticket.id()),
            Admission::Rejected { reason } => format!("rejected {}", reason.as_str()),
        }
    }

    /// Releases permit `permit`.
    pub fn release(&mut self, now_ms: f64, permit: f64) -> String {
        let Ok(b) = &mut self.inner else {
            return String::new();
        };
        handed(b.release(clock::instant(now_ms), BulkheadPermit::from_id(id(permit))))
    }

    /// Claims the slot handed to `ticket`.
    pub fn claim(&mut self, ticket: f64) -> String {
        let Ok(b) = &mut self.inner else {
            return String::new();
        };
        match b.claim(QueueTicket::from_id(id(ticket))) {
            Ok(permit) => permit.id().to_string(),
            Err(error) => format!("error {}", error.code()),
        }
    }

    /// Gives up waiting with `ticket`.
    pub fn cancel(&mut self, now_ms: f64, ticket: f64) -> String {
        let Ok(b) = &mut self.inner else {
            return String::new();
        };
        handed(b.cancel(clock::instant(now_ms), QueueTicket::from_id(id(ticket))))
    }

    /// When the oldest waiter times out, in ms (NaN: never).
    #[wasm_bindgen(js_name = pollTimeoutMs)]
    pub fn poll_timeout_ms(&self) -> f64 {
        match &self.inner {
            Ok(b) => b
                .poll_timeout()
                .map_or(f64::NAN, stormguard::Instant::as_millis_f64),
            Err(_) => f64::NAN,
        }
    }

    /// Reports the waiter that timed out by `now_ms`, if any.
    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now_ms: f64) -> String {
        match &mut self.inner {
            Ok(b) => b
                .handle_timeout(clock::instant(now_ms))
                .map(|ticket| ticket.id().to_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// `ticket`'s place in the queue (NaN: not queued).
    pub fn position(&self, ticket: f64) -> f64 {
        match &self.inner {
            Ok(b) => b
                .queue_position(QueueTicket::from_id(id(ticket)))
                .map_or(f64::NAN, f64::from),
            Err(_) => f64::NAN,
        }
    }

    /// The metrics as JSON (the core's camelCase names).
    pub fn metrics(&self) -> String {
        match &self.inner {
            Ok(b) => serde_json::to_string(&b.metrics()).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

/// The core's registry with string keys and number values.
#[wasm_bindgen]
#[derive(Debug)]
pub struct VectorsRegistry {
    inner: Result<Registry<String, f64>, String>,
}

/// `"<key> <value>"` of an entry, or `""`.
fn entry(pair: Option<(String, f64)>) -> String {
    pair.map(|(k, v)| format!("{k} {v}")).unwrap_or_default()
}

/// Keys in the core's order, `"\n"`-separated.
fn keys<'a>(iter: impl Iterator<Item = &'a String>) -> String {
    iter.map(String::as_str).collect::<Vec<_>>().join("\n")
}

#[wasm_bindgen]
impl VectorsRegistry {
    /// From the vectors' JSON options.
    #[wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Self {
        let inner = serde_json::from_str::<RegistryOptions>(json)
            .map_err(|error| error.to_string())
            .and_then(|o| Registry::new(&o).map_err(|error| error.field().to_string()));
        Self { inner }
    }

    /// The option construction rejected, or `""`.
    pub fn error(&self) -> String {
        self.inner.as_ref().err().cloned().unwrap_or_default()
    }

    /// `"<value>"` then, when something was evicted, `"\n<key> <value>"`; or
    /// `"error <code>"`. `parent` `""` means none.
    #[wasm_bindgen(js_name = getOrInsert)]
    pub fn get_or_insert(&mut self, key: &str, value: f64, parent: &str) -> String {
        let Ok(r) = &mut self.inner else {
            return String::new();
        };
        let made = if parent.is_empty() {
            Ok(r.get_or_insert_with(key.to_string(), || value))
        } else {
            r.get_or_insert_child_with(key.to_string(), parent, || value)
        };
        match made {
            Ok((stored, evicted)) => format!("{}\n{}", stored, entry(evicted)),
            Err(error) => format!("error {}", error.code()),
        }
    }

    /// The value (NaN: absent), marking it used.
    pub fn get(&mut self, key: &str) -> f64 {
        match &mut self.inner {
            Ok(r) => r.get(key).copied().unwrap_or(f64::NAN),
            Err(_) => f64::NAN,
        }
    }

    /// The value (NaN: absent), without marking it.
    pub fn peek(&self, key: &str) -> f64 {
        match &self.inner {
            Ok(r) => r.peek(key).copied().unwrap_or(f64::NAN),
            Err(_) => f64::NAN,
        }
    }

    /// Replaces the value; whether `key` was there.
    pub fn set(&mut self, key: &str, value: f64) -> bool {
        match &mut self.inner {
            Ok(r) => r.get_mut(key).map(|slot| *slot = value).is_some(),
            Err(_) => false,
        }
    }

    /// The removed value (NaN: absent) or `"error <code>"` as text.
    pub fn remove(&mut self, key: &str) -> String {
        match &mut self.inner {
            Ok(r) => match r.remove(key) {
                Ok(value) => value.map(|v| v.to_string()).unwrap_or_default(),
                Err(error) => format!("error {}", error.code()),
            },
            Err(_) => String::new(),
        }
    }

    /// The least recently used entry, removed (`""` when empty).
    #[wasm_bindgen(js_name = popLru)]
    pub fn pop_lru(&mut self) -> String {
        match &mut self.inner {
            Ok(r) => entry(r.pop_lru()),
            Err(_) => String::new(),
        }
    }

    /// `key` and its ancestors.
    pub fn chain(&self, key: &str) -> String {
        match &self.inner {
            Ok(r) => keys(r.chain(key).map(|(k, _)| k)),
            Err(_) => String::new(),
        }
    }

    /// Keys then values, most recently used first: `"k1\nk2|v1\nv2"`.
    pub fn state(&self) -> String {
        match &self.inner {
            Ok(r) => {
                let values: Vec<String> = r.iter().map(|(_, v)| v.to_string()).collect();
                format!("{}|{}", keys(r.iter().map(|(k, _)| k)), values.join("\n"))
            }
            Err(_) => String::new(),
        }
    }

    /// Entries held now.
    pub fn size(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |r| r.len() as f64)
    }

    /// `maxKeys`.
    pub fn capacity(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |r| r.capacity() as f64)
    }
}
