//! A set of HTTP error statuses as a 200-bit bitset.
//!
//! Why: the HTTP classifier asks "is this status retriable?" on every failed
//! response; a bitset answers in one shift and mask, without allocation, and
//! is `Copy`.
//!
//! ```text
//! status s ∈ 400..=599  →  bit (s − 400) of [u64; 4]
//! ```
//!
//! Constraints: only error statuses (4xx, 5xx) can be members; 1xx–3xx are
//! never failures, so listing them would be dead configuration and
//! [`StatusSet::from_statuses`] rejects them.

use crate::ConfigError;

/// Lowest status a set can hold.
pub(crate) const MIN_STATUS: u16 = 400;
/// Highest status a set can hold.
pub(crate) const MAX_STATUS: u16 = 599;

/// A set of statuses in `400..=599`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct StatusSet([u64; 4]);

impl StatusSet {
    /// The set holding exactly `statuses`.
    ///
    /// # Errors
    /// [`ConfigError::OutOfRange`] naming `field` for a status outside
    /// `400..=599`.
    pub(crate) fn from_statuses(
        field: &'static str,
        statuses: &[u16],
    ) -> Result<Self, ConfigError> {
        let mut set = Self::default();
        for &status in statuses {
            if !(MIN_STATUS..=MAX_STATUS).contains(&status) {
                return Err(ConfigError::OutOfRange {
                    field,
                    value: f64::from(status),
                    min: f64::from(MIN_STATUS),
                    max: f64::from(MAX_STATUS),
                });
            }
            set = set.with(status);
        }
        Ok(set)
    }

    /// `self ∪ {status}`; statuses outside `400..=599` are ignored.
    pub(crate) fn with(mut self, status: u16) -> Self {
        if let Some(offset) = status.checked_sub(MIN_STATUS)
            && status <= MAX_STATUS
        {
            let offset = usize::from(offset);
            if let Some(word) = self.0.get_mut(offset / 64) {
                *word |= 1 << (offset % 64);
            }
        }
        self
    }

    /// Whether `status` is in the set (never for statuses outside `400..=599`).
    pub(crate) fn contains(self, status: u16) -> bool {
        let Some(offset) = status.checked_sub(MIN_STATUS) else {
            return false;
        };
        let offset = usize::from(offset);
        self.0
            .get(offset / 64)
            .is_some_and(|word| word & (1 << (offset % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_exactly_the_listed_statuses() {
        let set = StatusSet::from_statuses("retryOnStatus", &[400, 429, 503, 599]).unwrap();
        for status in 0..=u16::MAX {
            let expected = matches!(status, 400 | 429 | 503 | 599);
            assert_eq!(set.contains(status), expected, "{status}");
        }
    }

    #[test]
    fn rejects_statuses_that_are_not_errors() {
        for status in [0, 200, 399, 600, u16::MAX] {
            let err = StatusSet::from_statuses("retryOnStatus", &[status]).unwrap_err();
            assert_eq!(err.field(), "retryOnStatus");
        }
    }
}
