//! The consecutive window: the current run of failures.
//!
//! Why: pybreaker (`fail_max`) and gobreaker (`ConsecutiveFailures`) trip on
//! failures in a row; a single success means the dependency answers, and the
//! run starts over. No buffer, no rate.
//!
//! ```text
//! failure: run += 1        success: run = 0        calls += 1 either way
//! ```
//!
//! Constraints: two saturating counters.

use super::Totals;

/// Failures in a row, and calls since the window was cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct ConsecutiveWindow {
    calls: u64,
    failures_in_a_row: u64,
}

impl ConsecutiveWindow {
    /// Adds one call.
    #[inline(always)]
    pub(crate) fn record(&mut self, failed: bool) -> Totals {
        self.calls = self.calls.saturating_add(1);
        self.failures_in_a_row = if failed {
            self.failures_in_a_row.saturating_add(1)
        } else {
            0
        };
        self.totals()
    }

    /// Adds `count` successes: the same state as `count` calls of
    /// [`ConsecutiveWindow::record`].
    pub(crate) fn record_successes(&mut self, count: u64) -> Totals {
        self.calls = self.calls.saturating_add(count);
        if count > 0 {
            self.failures_in_a_row = 0;
        }
        self.totals()
    }

    /// Calls since the last clear, and the current run of failures.
    #[inline]
    pub(crate) fn totals(&self) -> Totals {
        Totals {
            calls: self.calls,
            failures: self.failures_in_a_row,
            slow: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_ends_the_run_of_failures() {
        let mut window = ConsecutiveWindow::default();
        window.record(true);
        window.record(true);
        assert_eq!(window.totals().failures, 2);
        window.record(false);
        assert_eq!(window.totals().failures, 0);
        assert_eq!(window.record(true).failures, 1);
        assert_eq!(window.totals().calls, 4);
    }
}
