//! Adaptive attempt limit.
//!
//! Why: a fixed `maxAttempts` multiplies load by up to that factor exactly
//! when a dependency is failing. Tracking the recent success rate and
//! shrinking the limit with it keeps retries for blips (rate near 1: full
//! attempts) and drops them during outages (rate near 0: `minAttempts`).
//!
//! ```text
//! on each attempt at time t:  w = 2^(−(t − t_last) / halfLife)
//!                             successes = successes·w + [success]
//!                             attempts  = attempts·w + 1
//! limit = clamp(1 + round((max − 1) · successes / attempts), minAttempts, max)
//! ```
//!
//! Constraints: time is clamped monotonic; the counters stay finite and
//! non-negative; no allocation, no panic.

use super::options::AdaptiveOptions;
use crate::ConfigError;
use crate::float::{exp2, round};
use crate::time::{Instant, Monotonic, duration_from_millis_f64};

/// Decayed success-rate tracker that yields the current attempt limit.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AdaptiveAttempts {
    half_life_ns: f64,
    min_attempts: u32,
    min_samples: f64,
    successes: f64,
    attempts: f64,
    clock: Monotonic,
    last: Option<Instant>,
}

impl AdaptiveAttempts {
    /// Validates `options`.
    ///
    /// # Errors
    /// [`ConfigError`] naming `halfLifeMs` (must be > 0), `minAttempts`
    /// (must be ≥ 1) or `minSamples` (finite, ≥ 0).
    pub fn new(options: &AdaptiveOptions) -> Result<Self, ConfigError> {
        let half_life = duration_from_millis_f64("halfLifeMs", options.half_life_ms)?;
        if half_life.is_zero() {
            return Err(ConfigError::Invalid {
                field: "halfLifeMs",
                reason: "must be greater than zero",
            });
        }
        if options.min_attempts == 0 {
            return Err(ConfigError::Invalid {
                field: "minAttempts",
                reason: "must be at least 1",
            });
        }
        let min_samples = ConfigError::check_range("minSamples", options.min_samples, 0.0, 1e9)?;
        Ok(Self {
            half_life_ns: half_life.as_nanos() as f64,
            min_attempts: options.min_attempts,
            min_samples,
            successes: 0.0,
            attempts: 0.0,
            clock: Monotonic::new(),
            last: None,
        })
    }

    fn decay_to(&mut self, now: Instant) {
        let now = self.clock.observe(now);
        if let Some(last) = self.last {
            let elapsed = (now - last).as_nanos() as f64;
            let weight = exp2(-elapsed / self.half_life_ns);
            self.successes *= weight;
            self.attempts *= weight;
        }
        self.last = Some(now);
    }

    /// Records one attempt's outcome.
    pub fn observe(&mut self, now: Instant, success: bool) {
        self.decay_to(now);
        self.attempts += 1.0;
        if success {
            self.successes += 1.0;
        }
    }

    /// The recent success rate in `[0, 1]`, or `None` before `minSamples`.
    pub fn success_rate(&mut self, now: Instant) -> Option<f64> {
        self.decay_to(now);
        if self.attempts < self.min_samples || self.attempts <= 0.0 {
            return None;
        }
        Some((self.successes / self.attempts).clamp(0.0, 1.0))
    }

    /// The attempt limit now, given the configured maximum.
    pub fn limit(&mut self, now: Instant, max_attempts: u32) -> u32 {
        let Some(rate) = self.success_rate(now) else {
            return max_attempts;
        };
        let extra = round(f64::from(max_attempts.saturating_sub(1)) * rate) as u32;
        extra
            .saturating_add(1)
            .clamp(self.min_attempts.min(max_attempts), max_attempts)
    }
}
