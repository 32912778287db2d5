//! Backoff: the delay before each retry, and the seeded generator.
//!
//! Why: the core computes every schedule and jitter from `BackoffOptions`;
//! a backoff slot holds one validated `Backoff` plus the per-operation
//! `BackoffState` the stateful schedules need.
//!
//! ```text
//! backoff(values)                               → handle or −1
//! backoffPreset(name, args)                     → handle or −1 (vectors build only)
//! backoffOp(h, op, attempt, u)
//!   0 next        delay ms, −1 once attempt > maxAttempts (state advanced)
//!   1 next drawing from the generator whose handle is `u` (one draw per delay, none on give-up)
//!   2 delay       the pure form (fresh state, ignores maxAttempts)
//!   3 reset       the state becomes fresh
//!   4 maxAttempts (NaN = unlimited)     5 maxDelayMs
//! rng(high, low) → handle;  rngUnit(h) → next draw in [0, 1)
//! ```
//!
//! Constraints: attempts arrive as `f64` and saturate into `u32` (NaN → 0,
//! which the core treats as 1); nothing panics.

use super::{Core, Slot};
use crate::error::Error;
use crate::{clock, options};
use stormguard::SeededRng;
#[cfg(feature = "vectors")]
use stormguard::backoff::presets;
use stormguard::backoff::{Backoff, BackoffState};

/// A backoff slot from options.
fn slot(options: &stormguard::backoff::BackoffOptions) -> Result<Slot, Error> {
    let backoff = Backoff::new(options)?;
    Ok(Slot::Backoff(backoff, BackoffState::default()))
}

impl Core {
    /// A backoff from the `backoff` table's values (see [`crate::fields`]).
    pub fn backoff(&mut self, values: &[f64]) -> f64 {
        let mut o = stormguard::backoff::BackoffOptions::default();
        let made = options::backoff(&mut o, "", values).and_then(|()| slot(&o));
        self.create(made)
    }

    /// A backoff from a peer preset (`"ioredisV6"` …) with positional
    /// arguments in the peer's units. Test vectors only: the shipped module
    /// leaves the peers' presets out (see the crate docs).
    #[cfg(feature = "vectors")]
    pub fn backoff_preset(&mut self, name: &str, args: &[f64]) -> f64 {
        let made = presets::by_name(name, args)
            .map_err(Error::config)
            .and_then(|o| slot(&o));
        self.create(made)
    }

    /// One backoff operation (see the module docs); NaN for a wrong handle.
    pub fn backoff_op(&mut self, handle: u32, op: u32, attempt: f64, u: f64) -> f64 {
        // Saturating; NaN becomes 0.
        let attempt = attempt as u32;
        let mut rng = if op == 1 {
            self.take(u as u32)
        } else {
            Slot::Free
        };
        let result = match (self.slot(handle), &mut rng) {
            (Some(Slot::Backoff(b, state)), rng) => match (op, rng) {
                (0, _) => next(b.next_delay(state, attempt, u)),
                (1, Slot::Rng(rng)) => next(b.next_delay_with_rng(state, attempt, rng)),
                (2, _) => clock::millis(b.delay(attempt, u)),
                (3, _) => {
                    *state = BackoffState::default();
                    0.0
                }
                (4, _) => b.max_attempts().map_or(f64::NAN, f64::from),
                (5, _) => clock::millis(b.max_delay()),
                _ => f64::NAN,
            },
            _ => f64::NAN,
        };
        if op == 1 {
            self.restore(u as u32, rng);
        }
        result
    }

    /// A generator seeded with `high × 2³² + low`.
    pub fn rng(&mut self, high: u32, low: u32) -> f64 {
        let seed = (u64::from(high) << 32) | u64::from(low);
        self.insert(Slot::Rng(SeededRng::from_seed_u64(seed)))
    }

    /// The next uniform draw in `[0, 1)` of generator `handle` (NaN for a
    /// wrong handle).
    pub fn rng_unit(&mut self, handle: u32) -> f64 {
        match self.slot(handle) {
            Some(Slot::Rng(rng)) => rng.next_unit(),
            _ => f64::NAN,
        }
    }
}

/// A delay, or −1 when giving up.
fn next(delay: Option<stormguard::time::Duration>) -> f64 {
    delay.map_or(-1.0, clock::millis)
}
