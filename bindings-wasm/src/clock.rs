//! Host milliseconds to core instants and back.
//!
//! Why: the JS layer reads `performance.now()` (monotonic) and `Date.now()`
//! (wall clock) and passes plain `f64` milliseconds; the core wants
//! [`Instant`] and [`Duration`]. These conversions never fail: the JS layer
//! produces the clock values itself, and anything odd (NaN, negative, beyond
//! the `u64` nanosecond range) is clamped rather than trusted, as the core's
//! own hot-path conversions do.
//!
//! Constraints: total, panic-free.

use stormguard::Instant;
use stormguard::time::{Duration, duration_as_millis_f64, nanos_from_millis_f64};

/// A monotonic instant from `performance.now()` milliseconds (NaN and
/// negatives become the epoch, huge values saturate).
pub fn instant(ms: f64) -> Instant {
    Instant::from_nanos(nanos_from_millis_f64(ms))
}

/// A duration from milliseconds (NaN and negatives become zero).
pub fn duration(ms: f64) -> Duration {
    Duration::from_nanos(nanos_from_millis_f64(ms))
}

/// A duration as milliseconds.
pub fn millis(d: Duration) -> f64 {
    duration_as_millis_f64(d)
}
