//! Injected wall-clock time.
//!
//! Why a separate type from [`Instant`](crate::Instant): an `Instant` counts
//! from an arbitrary, monotonic epoch and cannot be compared with a calendar
//! date. An HTTP-date hint can only be turned into a delay against the host's
//! wall clock, which the host passes in as Unix milliseconds. The core never
//! reads a clock.
//!
//! Constraints: whole milliseconds since 1970-01-01T00:00:00Z, never negative;
//! host numbers are validated once ([`UnixTime::from_millis_f64`]).

use crate::ConfigError;

/// A wall-clock reading: milliseconds since the Unix epoch (`Date.now()`,
/// `time.time() * 1000`, `SystemTime::now()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct UnixTime(u64);

impl UnixTime {
    /// 1970-01-01T00:00:00Z.
    pub const EPOCH: Self = Self(0);

    /// A reading `ms` milliseconds after the Unix epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// A reading from a host number of milliseconds (fractions are dropped).
    ///
    /// # Errors
    /// [`ConfigError`] naming `nowUnixMs` when `ms` is NaN, infinite, negative
    /// or beyond the `u64` range.
    pub fn from_millis_f64(ms: f64) -> Result<Self, ConfigError> {
        let ms = ConfigError::check_range("nowUnixMs", ms, 0.0, u64::MAX as f64)?;
        // `as` saturates and truncates toward zero; `ms` is finite and >= 0.
        Ok(Self(ms as u64))
    }

    /// Milliseconds since the Unix epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::UnixTime;

    #[test]
    fn host_numbers_truncate_to_whole_milliseconds() {
        let now = UnixTime::from_millis_f64(1_700_000_000_123.9).unwrap();
        assert_eq!(now.as_millis(), 1_700_000_000_123);
    }

    #[test]
    fn host_numbers_that_are_not_times_name_the_field() {
        for bad in [f64::NAN, f64::INFINITY, -1.0, 1e30] {
            let err = UnixTime::from_millis_f64(bad).unwrap_err();
            assert_eq!(err.field(), "nowUnixMs", "{bad}");
        }
    }
}
