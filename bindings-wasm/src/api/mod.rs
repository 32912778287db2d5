//! The module's one table of engine instances, [`Core`], behind plain
//! exported functions ([`exports`]).
//!
//! Why: every exported class and method costs wasm (a shim with its own
//! borrow checks and conversions) and JS glue. One table owns every backoff,
//! budget, breaker registry, classifier, policy and execution in slots; the
//! JS layer holds plain numbers (handles). The exports take and return
//! numbers; results that do not fit one number are left in a scratch buffer
//! the JS layer reads through a `Float64Array` over wasm memory, names in
//! [`Core::text`]. The table is a `static` behind a spin lock (safe code:
//! no `unsafe`, no std `thread_local`), so the exports are free functions
//! without wasm-bindgen's per-object `Rc<RefCell>` checks: about 1.8 KB less
//! wasm and 1.7 KB less glue than the same methods on an exported object.
//!
//! ```text
//! handle    index of a slot (u32); NONE = u32::MAX means "no such object"
//! create    → handle ≥ 0, or −1 with the error in scratch/text (see crate::error)
//! scratch() → address of 32 f64 the last call wrote (extra results)
//! text(i)   → the i-th name the last call left (class, reason, state …)
//! free(h)   → the slot is reused; a stale handle finds another object or none
//! ```
//!
//! Constraints: a wrong or stale handle is a no-op answering NaN (or the
//! documented "none" value), never a panic.

use crate::error::Error;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use stormguard::SeededRng;
use stormguard::backoff::{Backoff, BackoffState};
use stormguard::breaker::{Breaker, BreakerOptions};
use stormguard::budget::{RetryBudget, RetryPermit};
use stormguard::classify::HttpClassifier;
use stormguard::policy::{Execution, GiveUp, Policy};
use stormguard::registry::Registry;

pub mod backoff;
pub mod breaker;
pub mod budget;
pub mod classify;
pub mod exports;
#[cfg(feature = "vectors")]
pub mod exports_vectors;
pub mod policy;
#[cfg(feature = "vectors")]
pub mod vectors;
#[cfg(feature = "vectors")]
pub mod vectors_engines;

/// "No object": the handle the JS layer passes for an absent budget,
/// registry, classifier or breaker key.
pub const NONE: u32 = u32::MAX;

/// Length of the scratch buffer, in `f64`.
pub const SCRATCH_LEN: usize = 32;

/// Breakers per key, all built from the same (validated) options.
#[derive(Debug)]
pub struct Breakers {
    options: BreakerOptions,
    breakers: Registry<u32, Breaker>,
}

/// One engine instance.
#[derive(Debug, Default)]
pub enum Slot {
    /// Unused (on the free list, or taken out during a call).
    #[default]
    Free,
    /// A backoff and one operation's state.
    Backoff(Backoff, BackoffState),
    /// A seeded generator.
    Rng(SeededRng),
    /// A retry budget.
    Budget(RetryBudget),
    /// A permit a budget granted, until handed back.
    Permit(RetryPermit),
    /// Breakers per key.
    Breakers(Breakers),
    /// An HTTP classifier.
    Classifier(HttpClassifier),
    /// A retry policy (boxed: the largest engine by far).
    Policy(Box<Policy>),
    /// One operation of a policy and its last give-up.
    Execution(Execution, Option<GiveUp>),
    /// A Retry-After policy (test vectors only).
    #[cfg(feature = "vectors")]
    RetryAfter(stormguard::retry_after::RetryAfterPolicy),
}

/// Every engine instance of the module (see the module docs).
#[derive(Debug)]
pub struct Core {
    slots: Vec<Slot>,
    free_list: Vec<u32>,
    scratch: [f64; SCRATCH_LEN],
    texts: [&'static str; 3],
}

/// The one table. A spin lock rather than a `RefCell` because a `static`
/// must be `Sync` (no `unsafe`, no std `thread_local`): wasm is
/// single-threaded and no export calls back into JS while holding it, so
/// the lock is always free.
static CORE: spin::Mutex<Core> = spin::Mutex::new(Core::new());

/// Runs `f` on the table; `default` if the lock is taken (a re-entrant
/// call, which the JS layer never makes).
pub fn with<R>(default: R, f: impl FnOnce(&mut Core) -> R) -> R {
    match CORE.try_lock() {
        Some(mut core) => f(&mut core),
        None => default,
    }
}

impl Default for Core {
    fn default() -> Self {
        Self::new()
    }
}

impl Core {
    /// An empty table.
    pub const fn new() -> Self {
        Self {
            slots: Vec::new(),
            free_list: Vec::new(),
            scratch: [0.0; SCRATCH_LEN],
            texts: [""; 3],
        }
    }

    /// The address of the scratch buffer ([`SCRATCH_LEN`] `f64`) in wasm
    /// memory; it never moves.
    pub fn scratch(&self) -> u32 {
        self.scratch.as_ptr() as usize as u32
    }

    /// The `i`-th name the last call left (`""` when none).
    pub fn text(&self, i: u32) -> String {
        String::from(self.texts.get(i as usize).map_or("", |t| t))
    }

    /// Releases `handle`'s object (nothing happens for a free handle).
    pub fn free(&mut self, handle: u32) {
        if let Some(slot) = self.slots.get_mut(handle as usize)
            && !matches!(slot, Slot::Free)
        {
            *slot = Slot::Free;
            self.free_list.push(handle);
        }
    }
}

impl Core {
    /// Stores `slot`, returning its handle.
    fn insert(&mut self, slot: Slot) -> f64 {
        if let Some(handle) = self.free_list.pop()
            && let Some(free) = self.slots.get_mut(handle as usize)
        {
            *free = slot;
            return f64::from(handle);
        }
        self.slots.push(slot);
        (self.slots.len() - 1) as f64
    }

    /// Stores the object `made` or reports its error: a handle, or −1.
    fn create(&mut self, made: Result<Slot, Error>) -> f64 {
        match made {
            Ok(slot) => self.insert(slot),
            Err(err) => {
                self.put(&err.numbers());
                self.texts = err.texts();
                -1.0
            }
        }
    }

    /// The slot of `handle`.
    fn slot(&mut self, handle: u32) -> Option<&mut Slot> {
        self.slots.get_mut(handle as usize)
    }

    /// Takes `handle`'s object out (the slot reads as free until
    /// [`Core::restore`]), so several objects can be used together.
    fn take(&mut self, handle: u32) -> Slot {
        self.slot(handle).map_or(Slot::Free, core::mem::take)
    }

    /// Puts an object taken with [`Core::take`] back.
    fn restore(&mut self, handle: u32, slot: Slot) {
        if let Some(free) = self.slot(handle) {
            *free = slot;
        }
    }

    /// Writes `values` at the start of the scratch buffer.
    fn put(&mut self, values: &[f64]) {
        for (out, &value) in self.scratch.iter_mut().zip(values) {
            *out = value;
        }
    }
}
