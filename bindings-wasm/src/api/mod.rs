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
//! Arrays and strings cross the same way in the other direction: the JS
//! layer asks for room (`input(n)`, `bytes(n)`), writes numbers and UTF-8
//! there, and passes only lengths, so no export takes a JS array or string
//! and the wasm-bindgen glue stays a list of one-line wrappers.
//!
//! ```text
//! handle    index of a slot (u32); NONE = u32::MAX means "no such object"
//! create    → handle ≥ 0, or −1 with the error in scratch/text (see crate::error)
//! scratch() → address of 32 f64 the last call wrote (extra results)
//! input(n)  → address of room for n f64 the next call reads (arrays, in order)
//! bytes(n)  → address of room for n bytes the next call reads (strings, in order)
//!             (both 0 when memory runs out; an address holds until the next
//!             call of the same export)
//! text(i)   → length of the i-th name the last call left (class, reason,
//!             state …), written as UTF-8 at textBuffer()
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

/// Length of the text buffer, in bytes (names and reasons are far shorter).
pub const TEXT_LEN: usize = 128;

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
    text_buffer: [u8; TEXT_LEN],
}

/// What the JS layer writes for the next call: numbers, then UTF-8 bytes.
/// A `static` of its own beside the table, so a call can read it while
/// changing the table.
#[derive(Debug)]
struct Inbox {
    numbers: Vec<f64>,
    bytes: Vec<u8>,
}

static INBOX: spin::Mutex<Inbox> = spin::Mutex::new(Inbox {
    numbers: Vec::new(),
    bytes: Vec::new(),
});

/// `buffer` resized to `n` items; its address, or 0 when that much memory
/// cannot be had (so no input size can make the module abort).
fn room<T: Copy + Default>(buffer: &mut Vec<T>, n: u32) -> u32 {
    let n = n as usize;
    if buffer.try_reserve(n.saturating_sub(buffer.len())).is_err() {
        return 0;
    }
    buffer.resize(n, T::default());
    buffer.as_ptr() as usize as u32
}

/// The address of room for `n` numbers the next call reads (0 when there is
/// no memory for them). Valid until the next `input` call.
pub fn input(n: u32) -> u32 {
    INBOX
        .try_lock()
        .map_or(0, |mut inbox| room(&mut inbox.numbers, n))
}

/// The address of room for `n` bytes the next call reads (0 when there is
/// no memory for them). Valid until the next `bytes` call.
pub fn bytes(n: u32) -> u32 {
    INBOX
        .try_lock()
        .map_or(0, |mut inbox| room(&mut inbox.bytes, n))
}

/// Runs `f` on the table with the numbers and bytes the JS layer wrote,
/// cut into consecutive parts of the given lengths (parts past the end are
/// empty); `default` if a lock is taken.
pub fn with_input<const N: usize, const M: usize, R>(
    default: R,
    numbers: [u32; N],
    strings: [u32; M],
    f: impl FnOnce(&mut Core, [&[f64]; N], [&[u8]; M]) -> R,
) -> R {
    let Some(inbox) = INBOX.try_lock() else {
        return default;
    };
    let numbers = parts(&inbox.numbers, numbers);
    let strings = parts(&inbox.bytes, strings);
    match CORE.try_lock() {
        Some(mut core) => f(&mut core, numbers, strings),
        None => default,
    }
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
            text_buffer: [0; TEXT_LEN],
        }
    }

    /// The address of the scratch buffer ([`SCRATCH_LEN`] `f64`) in wasm
    /// memory; it never moves.
    pub fn scratch(&self) -> u32 {
        self.scratch.as_ptr() as usize as u32
    }

    /// Writes the `i`-th name the last call left (`""` when none) at
    /// [`Core::text_buffer`]; its length in bytes.
    pub fn text(&mut self, i: u32) -> u32 {
        let text = self.texts.get(i as usize).map_or("", |t| t).as_bytes();
        let mut len = 0;
        for (out, &byte) in self.text_buffer.iter_mut().zip(text) {
            *out = byte;
            len += 1;
        }
        len
    }

    /// The address of the text buffer ([`TEXT_LEN`] bytes); it never moves.
    pub fn text_buffer(&self) -> u32 {
        self.text_buffer.as_ptr() as usize as u32
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

/// `all` cut into consecutive parts of `lengths` (empty once it runs out).
fn parts<T, const N: usize>(all: &[T], lengths: [u32; N]) -> [&[T]; N] {
    let mut rest = all;
    lengths.map(|len| {
        let (part, tail) = rest.split_at_checked(len as usize).unwrap_or((&[], &[]));
        rest = tail;
        part
    })
}

/// Bytes read as Latin-1: every byte one `char`, so any input is a valid
/// string (the names and methods that matter are ASCII).
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The name in `names` spelled by `bytes`: `""` for no bytes, `"?"` (no
/// name) when none matches.
pub fn known(bytes: &[u8], names: &[&'static str]) -> &'static str {
    if bytes.is_empty() {
        return "";
    }
    names
        .iter()
        .find(|name| name.as_bytes() == bytes)
        .copied()
        .unwrap_or("?")
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
