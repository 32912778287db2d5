//! Configuration errors.
//!
//! Why one enum: every constructor in the core validates its options once and
//! reports the first bad one. Bindings map a [`ConfigError`] to the host
//! language's ordinary error (`TypeError`/`RangeError` with `code` in JS,
//! `ValueError` in Python), so the message must name the field and the bad
//! value, and [`ConfigError::code`] must be stable.
//!
//! Constraints: the variants carry only `&'static str` and `f64`, so building
//! an error never allocates and the enum works in `no_std`.

/// A rejected option: names the field (with its binding-facing spelling, e.g.
/// `baseMs`) and says what was wrong with the value.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The value was NaN or infinite.
    #[error("`{field}` must be a finite number, got {value}")]
    NotFinite {
        /// Option name.
        field: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// The value was negative where only zero or more makes sense.
    #[error("`{field}` must not be negative, got {value}")]
    Negative {
        /// Option name.
        field: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// The value was outside the accepted closed range `[min, max]`.
    #[error("`{field}` must be between {min} and {max}, got {value}")]
    OutOfRange {
        /// Option name.
        field: &'static str,
        /// The rejected value.
        value: f64,
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
    },
    /// The value was well-formed but inconsistent or unsupported; `reason`
    /// completes the sentence "`field` …".
    #[error("`{field}` {reason}")]
    Invalid {
        /// Option name.
        field: &'static str,
        /// What is wrong, e.g. "must not be smaller than `minMs`".
        reason: &'static str,
    },
}

impl ConfigError {
    /// Stable machine-readable code, the same in every binding.
    pub const fn code(&self) -> &'static str {
        "ERR_INVALID_CONFIG"
    }

    /// The name of the rejected option.
    pub const fn field(&self) -> &'static str {
        match self {
            Self::NotFinite { field, .. }
            | Self::Negative { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::Invalid { field, .. } => field,
        }
    }

    /// Checks that `value` is finite and lies in `[min, max]`, naming `field`
    /// otherwise. `min` of `0.0` reports negatives as [`ConfigError::Negative`].
    pub fn check_range(field: &'static str, value: f64, min: f64, max: f64) -> Result<f64, Self> {
        if !value.is_finite() {
            return Err(Self::NotFinite { field, value });
        }
        if value < 0.0 && min == 0.0 {
            return Err(Self::Negative { field, value });
        }
        if value < min || value > max {
            return Err(Self::OutOfRange {
                field,
                value,
                min,
                max,
            });
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::ConfigError;
    use alloc::string::ToString;

    #[test]
    fn message_names_field_and_value() {
        let err = ConfigError::check_range("baseMs", -1.0, 0.0, 10.0).unwrap_err();
        assert_eq!(err.field(), "baseMs");
        assert_eq!(err.code(), "ERR_INVALID_CONFIG");
        assert_eq!(err.to_string(), "`baseMs` must not be negative, got -1");
    }

    #[test]
    fn nan_is_not_finite() {
        let err = ConfigError::check_range("ratio", f64::NAN, 0.0, 1.0).unwrap_err();
        assert!(matches!(err, ConfigError::NotFinite { field: "ratio", .. }));
    }

    #[test]
    fn above_max_is_out_of_range() {
        let err = ConfigError::check_range("ratio", 1.5, 0.0, 1.0).unwrap_err();
        assert!(matches!(err, ConfigError::OutOfRange { .. }));
    }
}
