//! How long the breaker stays open.
//!
//! Why: a dependency that fails again right after each probe should be left
//! alone for longer each time (resilience4j's wait-interval function,
//! cockatiel's `halfOpenAfter` backoff), and a fresh outage after a recovery
//! should start from the short duration again.
//!
//! ```text
//! fixed:    open(n) = openDurationMs
//! growing:  open(n) = min(maxMs, openDurationMs × multiplierⁿ⁻¹)
//!           n = consecutive openings (1-based), reset to 0 when the breaker closes
//! ```
//!
//! The growing form is deliberately isolated in [`OpenDuration::Growing`]: it
//! is the place where the crate's general backoff schedules plug in.
//!
//! Constraints: pure and panic-free for every `n` (the power saturates to
//! infinity and the cap applies); validated once at construction.

use super::options::OpenBackoffOptions;
use crate::ConfigError;
use crate::time::{Duration, MAX_MILLIS, duration_from_millis_f64, duration_from_nanos_f64};

/// Validated open-duration rule.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OpenDuration {
    /// The same duration every time.
    Fixed(Duration),
    /// Exponential growth per consecutive opening, capped.
    Growing {
        base_ms: f64,
        multiplier: f64,
        max_ms: f64,
    },
}

impl OpenDuration {
    /// Validates the growing form.
    pub(crate) fn growing(base_ms: f64, options: &OpenBackoffOptions) -> Result<Self, ConfigError> {
        duration_from_millis_f64("openDurationMs", base_ms)?;
        ConfigError::check_range("openBackoff.multiplier", options.multiplier, 1.0, 1e6)?;
        duration_from_millis_f64("openBackoff.maxMs", options.max_ms)?;
        if options.max_ms < base_ms {
            return Err(ConfigError::Invalid {
                field: "openBackoff.maxMs",
                reason: "must not be smaller than `openDurationMs`",
            });
        }
        Ok(Self::Growing {
            base_ms,
            multiplier: options.multiplier,
            max_ms: options.max_ms.min(MAX_MILLIS),
        })
    }

    /// The open duration for the `opening`-th consecutive opening (1-based;
    /// 0 is treated as 1).
    pub(crate) fn for_opening(&self, opening: u32) -> Duration {
        match *self {
            Self::Fixed(duration) => duration,
            Self::Growing {
                base_ms,
                multiplier,
                max_ms,
            } => {
                let exponent = i32::try_from(opening.saturating_sub(1)).unwrap_or(i32::MAX);
                let ms = (base_ms * crate::float::powi(multiplier, exponent)).min(max_ms);
                duration_from_nanos_f64(ms * 1_000_000.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_duration_never_grows() {
        let rule = OpenDuration::Fixed(Duration::from_secs(5));
        assert_eq!(rule.for_opening(1), Duration::from_secs(5));
        assert_eq!(rule.for_opening(u32::MAX), Duration::from_secs(5));
    }

    #[test]
    fn growing_duration_doubles_up_to_its_cap() {
        let rule = OpenDuration::growing(
            1_000.0,
            &OpenBackoffOptions {
                multiplier: 2.0,
                max_ms: 5_000.0,
            },
        )
        .unwrap();
        let ms: [u64; 5] = [1, 2, 3, 4, 1000].map(|n| rule.for_opening(n).as_millis() as u64);
        assert_eq!(ms, [1_000, 2_000, 4_000, 5_000, 5_000]);
        assert_eq!(rule.for_opening(0), Duration::from_secs(1));
        assert_eq!(rule.for_opening(u32::MAX), Duration::from_secs(5));
    }

    #[test]
    fn cap_below_base_is_rejected() {
        let err = OpenDuration::growing(
            1_000.0,
            &OpenBackoffOptions {
                multiplier: 2.0,
                max_ms: 10.0,
            },
        )
        .unwrap_err();
        assert_eq!(err.field(), "openBackoff.maxMs");
    }
}
