//! Thousandths: the integer unit every budget counts in.
//!
//! Why: floating-point token counts drift (0.1 added ten times is not 1.0)
//! and integer ratios truncate (tower's `1 / 0.6 = 1`). Counting thousandths
//! in a `u64` is exact for every option with up to three decimals, and
//! saturating integer arithmetic cannot panic.
//!
//! ```text
//!   units = round(value × 1000)        at construction, value validated first
//!   value = units / 1000               for metrics (exact: units < 2⁵³)
//! ```
//!
//! Constraints: callers validate `max ≤ 1e12`, so `units` stays far below
//! 2⁵³ and the conversion back to `f64` is exact.

use crate::ConfigError;

/// Thousandths per whole unit (token, retry, percent).
pub(crate) const MILLI: u64 = 1000;

/// Validates `value ∈ [min, max]` (finite), then converts it to thousandths,
/// rounding to the nearest.
pub(crate) fn to_milli(
    field: &'static str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<u64, ConfigError> {
    let value = ConfigError::check_range(field, value, min, max)?;
    // Validated non-negative and bounded: the cast is exact after rounding.
    Ok(crate::float::round(value * MILLI as f64) as u64)
}

/// Thousandths back to a host number.
pub(crate) fn from_milli(units: u64) -> f64 {
    units as f64 / MILLI as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_the_nearest_thousandth_instead_of_truncating() {
        // 1.005 × 1000 is 1004.999… in binary; truncation would lose 0.001.
        assert_eq!(to_milli("tokenRatio", 1.005, 0.0, 10.0), Ok(1005));
        assert_eq!(to_milli("tokenRatio", 0.0004, 0.0, 10.0), Ok(0));
        assert_eq!(from_milli(5100), 5.1);
    }

    #[test]
    fn names_the_field_of_a_rejected_value() {
        let err = to_milli("maxTokens", f64::NAN, 0.0, 1.0).unwrap_err();
        assert_eq!(err.field(), "maxTokens");
    }
}
