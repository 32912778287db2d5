//! Backoff: the delay before each retry.
//!
//! Why: the core computes every schedule and jitter (and the peers' presets)
//! from [`BackoffOptions`]; this export holds one validated
//! [`Backoff`](stormguard::backoff::Backoff) plus the per-operation
//! [`BackoffState`] the stateful schedules need.
//!
//! ```text
//! new(prefix, options) | fromPreset(name, args)
//! next(attempt, u)  → delay ms, or −1 once attempt > maxAttempts (state advanced)
//! delay(attempt, u) → the pure form (fresh state, ignores maxAttempts)
//! reset()           → the state becomes fresh
//! maxDelayMs()      → the longest delay the options allow
//! ```
//!
//! Constraints: attempts arrive as `f64` and saturate into `u32` (NaN → 0,
//! which the core treats as 1); nothing panics.

use crate::error::Error;
use crate::random::Rng;
use crate::{clock, options};
use stormguard::backoff::{self as core, BackoffOptions, BackoffState};
use wasm_bindgen::prelude::wasm_bindgen;

/// An attempt number from a host number (saturating; NaN becomes 0).
pub fn attempt(n: f64) -> u32 {
    n as u32
}

/// The core's backoff and one operation's state.
#[wasm_bindgen(js_name = CoreBackoff)]
#[derive(Debug)]
pub struct Backoff {
    inner: core::Backoff,
    state: BackoffState,
}

#[wasm_bindgen(js_class = CoreBackoff)]
impl Backoff {
    /// Validates the `backoff` table's `values` (`schedule`, `baseMs` …).
    ///
    /// # Errors
    /// A [`Error`] naming the option (prefixed with `prefix`).
    #[wasm_bindgen(constructor)]
    pub fn new(prefix: &str, values: &[f64]) -> Result<Self, Error> {
        let parsed = options::backoff(prefix, values)?;
        Self::build(prefix, &parsed)
    }

    /// A backoff from a peer preset (`"ioredisV6"`, `"redisPyExponential"` …)
    /// with positional arguments in the peer's units.
    ///
    /// # Errors
    /// A [`Error`] naming `preset` or `args`.
    #[wasm_bindgen(js_name = fromPreset)]
    pub fn from_preset(name: &str, args: &[f64]) -> Result<Self, Error> {
        let parsed =
            stormguard::backoff::presets::by_name(name, args).map_err(|e| Error::config("", e))?;
        Self::build("", &parsed)
    }

    /// The delay before retry `attempt` (1-based) with draw `u`, advancing
    /// the state; `-1` once `attempt > maxAttempts`.
    pub fn next(&mut self, attempt: f64, u: f64) -> f64 {
        self.inner
            .next_delay(&mut self.state, self::attempt(attempt), u)
            .map_or(-1.0, clock::millis)
    }

    /// [`Backoff::next`] drawing from `rng`: exactly one draw per delay
    /// returned and none when giving up, so seeded streams line up with the
    /// other bindings.
    #[wasm_bindgen(js_name = nextWithRng)]
    pub fn next_with_rng(&mut self, attempt: f64, rng: &mut Rng) -> f64 {
        self.inner
            .next_delay_with_rng(&mut self.state, self::attempt(attempt), rng.inner_mut())
            .map_or(-1.0, clock::millis)
    }

    /// The pure form: the delay before retry `attempt` from a fresh state,
    /// ignoring `maxAttempts`.
    pub fn delay(&self, attempt: f64, u: f64) -> f64 {
        clock::millis(self.inner.delay(self::attempt(attempt), u))
    }

    /// Forgets the stateful schedules' memory (a new operation starts).
    pub fn reset(&mut self) {
        self.state = BackoffState::default();
    }

    /// `maxAttempts`: delays handed out before giving up (NaN = unlimited).
    #[wasm_bindgen(js_name = maxAttempts)]
    pub fn max_attempts(&self) -> f64 {
        self.inner.max_attempts().map_or(f64::NAN, f64::from)
    }

    /// The longest delay these options allow, in ms.
    #[wasm_bindgen(js_name = maxDelayMs)]
    pub fn max_delay_ms(&self) -> f64 {
        clock::millis(self.inner.max_delay())
    }
}

impl Backoff {
    fn build(prefix: &str, options: &BackoffOptions) -> Result<Self, Error> {
        core::Backoff::new(options)
            .map(|inner| Self {
                inner,
                state: BackoffState::default(),
            })
            .map_err(|err| Error::config(prefix, err))
    }
}
