//! Sliding windows: what the closed state remembers about recent calls.
//!
//! Why three: peers disagree on what "recent" means, and each choice is
//! reasonable for some traffic.
//!
//! | window | remembers | memory | peers |
//! |---|---|---|---|
//! | [`ConsecutiveWindow`] | the current run of failures | 16 bytes | pybreaker, gobreaker |
//! | [`CountWindow`] | the last N calls | 2 bits per call | resilience4j `COUNT_BASED`, cockatiel count |
//! | [`TimeWindow`] | the calls of the last `windowMs` | 12 bytes per bucket | resilience4j `TIME_BASED`, Polly, opossum |
//!
//! Every window answers the same question after each call: how many calls,
//! failures and slow calls does it hold ([`Totals`])? The breaker turns that
//! into a rate or a count and compares it with the thresholds.
//!
//! Constraints: buffers are sized at construction; `record` and `totals` never
//! allocate or panic (counters saturate, slots are reached with `get`).

mod consecutive;
mod count;
mod time;

pub(crate) use consecutive::ConsecutiveWindow;
pub(crate) use count::CountWindow;
pub(crate) use time::TimeWindow;

use super::options::WindowShape;
use crate::time::Instant;

/// What a window holds right now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct Totals {
    /// Calls in the window (for the consecutive window: since it was reset).
    pub(crate) calls: u64,
    /// Failed calls in the window (consecutive window: failures in a row).
    pub(crate) failures: u64,
    /// Slow calls in the window (always 0 for the consecutive window).
    pub(crate) slow: u64,
}

/// One of the three windows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) enum Window {
    Consecutive(ConsecutiveWindow),
    Count(CountWindow),
    Time(TimeWindow),
}

impl Window {
    /// An empty window of the given shape (allocates its buffer).
    pub(crate) fn new(shape: WindowShape) -> Self {
        match shape {
            WindowShape::Consecutive => Self::Consecutive(ConsecutiveWindow::default()),
            WindowShape::Count { size } => Self::Count(CountWindow::new(size)),
            WindowShape::Time {
                buckets,
                bucket_nanos,
            } => Self::Time(TimeWindow::new(buckets, bucket_nanos)),
        }
    }

    /// Adds one call at `now` and returns the totals after it.
    #[inline(always)]
    pub(crate) fn record(&mut self, now: Instant, failed: bool, slow: bool) -> Totals {
        match self {
            Self::Consecutive(window) => window.record(failed),
            Self::Count(window) => window.record(failed, slow),
            Self::Time(window) => window.record(now, failed, slow),
        }
    }

    /// Adds `count` plain successes at `now`: the same state as `count`
    /// calls of [`Window::record`] at `now`.
    pub(crate) fn record_successes(&mut self, now: Instant, count: u64) -> Totals {
        match self {
            Self::Consecutive(window) => window.record_successes(count),
            Self::Count(window) => window.record_successes(count),
            Self::Time(window) => window.record_successes(now, count),
        }
    }

    /// Until when calls land in the current bucket without expiring any
    /// (time windows); `None`: time never moves calls (the other windows).
    pub(crate) fn bucket_end(&self) -> Option<Instant> {
        match self {
            Self::Time(window) => Some(window.newest_end()),
            Self::Consecutive(_) | Self::Count(_) => None,
        }
    }

    /// The totals at `now` (a time window first expires elapsed buckets).
    pub(crate) fn totals(&mut self, now: Instant) -> Totals {
        match self {
            Self::Consecutive(window) => window.totals(),
            Self::Count(window) => window.totals(),
            Self::Time(window) => window.totals(now),
        }
    }

    /// Forgets every call.
    pub(crate) fn clear(&mut self) {
        match self {
            Self::Consecutive(window) => *window = ConsecutiveWindow::default(),
            Self::Count(window) => window.clear(),
            Self::Time(window) => window.clear(),
        }
    }

    /// Whether failure and slow-call *rates* make sense for this window.
    #[inline]
    pub(crate) fn has_rates(&self) -> bool {
        !matches!(self, Self::Consecutive(_))
    }

    /// Whether a restored window has the shape the options ask for.
    pub(crate) fn has_shape(&self, shape: WindowShape) -> bool {
        match (self, shape) {
            (Self::Consecutive(_), WindowShape::Consecutive) => true,
            (Self::Count(window), WindowShape::Count { size }) => window.has_size(size),
            (
                Self::Time(window),
                WindowShape::Time {
                    buckets,
                    bucket_nanos,
                },
            ) => window.has_shape(buckets, bucket_nanos),
            _ => false,
        }
    }

    /// Recomputes cached totals from the stored calls (after a restore).
    pub(crate) fn recount(&mut self) {
        match self {
            Self::Consecutive(_) => {}
            Self::Count(window) => window.recount(),
            Self::Time(window) => window.recount(),
        }
    }

    /// Bytes this window owns on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Self::Consecutive(_) => 0,
            Self::Count(window) => window.heap_bytes(),
            Self::Time(window) => window.heap_bytes(),
        }
    }
}
