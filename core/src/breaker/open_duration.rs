//! How long the breaker stays open.
//!
//! Why: a dependency that fails again right after each probe should be left
//! alone for longer each time (resilience4j's wait-interval function,
//! cockatiel's `halfOpenAfter` backoff), and a fresh outage after a recovery
//! should start from the short duration again. Rather than a second growth
//! formula, the breaker reuses the crate's [`Backoff`]: every schedule, cap
//! and jitter it offers can pace re-openings.
//!
//! ```text
//! fixed:    open(n) = openDurationMs
//! backoff:  open(n) = Backoff(openBackoff).next_delay(state, n, u)
//!           n = consecutive openings (1-based); n and the backoff state reset
//!           when the breaker closes; u = the breaker's stored open draw
//! ```
//!
//! Constraints: pure and panic-free for every `n` and `u` (the backoff clamps
//! both); validated once at construction.

use alloc::boxed::Box;

use crate::ConfigError;
use crate::backoff::{Backoff, BackoffOptions, BackoffState};
use crate::time::{Duration, duration_from_millis_f64};

/// Validated open-duration rule.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OpenDuration {
    /// The same duration every time (`openDurationMs`).
    Fixed(Duration),
    /// A backoff over consecutive openings (`openBackoff`). Boxed: a
    /// `Backoff` carries its table of first delays, and breakers (often one
    /// per key) without `openBackoff` should not pay for it inline.
    Backoff(Box<Backoff>),
}

impl OpenDuration {
    /// Validates `openDurationMs` and, when given, `openBackoff`.
    pub(crate) fn new(
        open_duration_ms: f64,
        backoff: Option<&BackoffOptions>,
    ) -> Result<Self, ConfigError> {
        let fixed = duration_from_millis_f64("openDurationMs", open_duration_ms)?;
        match backoff {
            None => Ok(Self::Fixed(fixed)),
            Some(options) => Backoff::new(options)
                .map(|backoff| Self::Backoff(Box::new(backoff)))
                .map_err(within_open_backoff),
        }
    }

    /// The open duration for the `opening`-th consecutive opening (1-based)
    /// with draw `u`, advancing `state` for the stateful schedules. Past the
    /// backoff's `maxAttempts` the pure form of the last rule still applies.
    pub(crate) fn for_opening(&self, state: &mut BackoffState, opening: u32, u: f64) -> Duration {
        match self {
            Self::Fixed(duration) => *duration,
            Self::Backoff(backoff) => backoff
                .next_delay(state, opening, u)
                .unwrap_or_else(|| backoff.delay(opening, u)),
        }
    }
}

/// Renames a backoff option error to the breaker's nested option name
/// (`factor` → `openBackoff.factor`), so bindings report where it lives.
fn within_open_backoff(error: ConfigError) -> ConfigError {
    let field = match error.field() {
        "schedule" => "openBackoff.schedule",
        "baseMs" => "openBackoff.baseMs",
        "stepMs" => "openBackoff.stepMs",
        "factor" => "openBackoff.factor",
        "minMs" => "openBackoff.minMs",
        "maxMs" => "openBackoff.maxMs",
        "jitter" => "openBackoff.jitter",
        "jitterRatio" => "openBackoff.jitterRatio",
        "jitterMs" => "openBackoff.jitterMs",
        "maxAttempts" => "openBackoff.maxAttempts",
        _ => "openBackoff",
    };
    match error {
        ConfigError::NotFinite { value, .. } => ConfigError::NotFinite { field, value },
        ConfigError::Negative { value, .. } => ConfigError::Negative { field, value },
        ConfigError::OutOfRange {
            value, min, max, ..
        } => ConfigError::OutOfRange {
            field,
            value,
            min,
            max,
        },
        ConfigError::Invalid { reason, .. } => ConfigError::Invalid { field, reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backoff::{Jitter, Schedule};

    #[test]
    fn fixed_duration_never_grows() {
        let rule = OpenDuration::new(5_000.0, None).unwrap();
        let mut state = BackoffState::new();
        assert_eq!(rule.for_opening(&mut state, 1, 0.5), Duration::from_secs(5));
        assert_eq!(
            rule.for_opening(&mut state, u32::MAX, f64::NAN),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn exponential_backoff_doubles_up_to_its_cap() {
        let options = BackoffOptions {
            schedule: Schedule::Exponential,
            base_ms: 1_000.0,
            factor: 2.0,
            max_ms: 5_000.0,
            jitter: Jitter::None,
            ..BackoffOptions::default()
        };
        let rule = OpenDuration::new(60_000.0, Some(&options)).unwrap();
        let mut state = BackoffState::new();
        let ms = [1, 2, 3, 4, 1000, u32::MAX]
            .map(|n| rule.for_opening(&mut state, n, 0.5).as_millis() as u64);
        assert_eq!(ms, [1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    }

    #[test]
    fn jittered_backoff_uses_the_draw() {
        let options = BackoffOptions {
            base_ms: 1_000.0,
            jitter: Jitter::Full,
            ..BackoffOptions::default()
        };
        let rule = OpenDuration::new(60_000.0, Some(&options)).unwrap();
        let mut state = BackoffState::new();
        assert_eq!(
            rule.for_opening(&mut state, 1, 0.25),
            Duration::from_millis(250)
        );
    }

    #[test]
    fn invalid_backoff_names_its_field() {
        let options = BackoffOptions {
            factor: 0.5,
            ..BackoffOptions::default()
        };
        let err = OpenDuration::new(1_000.0, Some(&options)).unwrap_err();
        assert_eq!(err.field(), "openBackoff.factor");
    }
}
