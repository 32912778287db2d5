//! The time window: calls of the last `windowMs`, in buckets of `bucketMs`.
//!
//! Why buckets: memory must not depend on the call rate, so calls are counted
//! per bucket instead of stored. Why expire *every* elapsed bucket on access:
//! a window that rotates at most one bucket per call keeps failures from
//! before a long idle period and trips on them (cockatiel #64).
//!
//! ```text
//! bucket(t) = floor(t / bucketMs)                    (aligned to the host epoch)
//! window at t = buckets bucket(t) − n + 1 ..= bucket(t)    (n = windowMs / bucketMs)
//! on access at t: for each of min(bucket(t) − newest, n) elapsed buckets,
//!                 subtract it from the totals and zero it; newest = bucket(t)
//! ```
//!
//! A sample therefore counts for between `(n − 1) · bucketMs` and
//! `n · bucketMs`, like resilience4j's and Polly's rolling windows.
//!
//! Constraints: `n` buckets of 12 bytes allocated once (60 buckets: 720
//! bytes); access is O(1) while `now` stays in the newest bucket and
//! O(min(elapsed, n)) otherwise; a bucket holds at most `u32::MAX` calls
//! (further calls in that bucket are dropped, never wrapped).

use super::Totals;
use crate::time::{Instant, saturating_mul};
use alloc::vec;
use alloc::vec::Vec;

/// Calls counted in one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct Bucket {
    calls: u32,
    failures: u32,
    slow: u32,
}

/// A ring of `n` buckets.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct TimeWindow {
    buckets: Vec<Bucket>,
    /// Bucket width, ≥ 1 ns.
    bucket_nanos: u64,
    /// Absolute index (`t / bucket_nanos`) of the newest bucket.
    newest: u64,
    /// Ring slot of the newest bucket.
    newest_slot: u32,
    /// First nanosecond after the newest bucket: below it nothing expires.
    newest_end: u64,
    /// Cached sums over all buckets.
    totals: Totals,
}

impl TimeWindow {
    /// An empty window of `buckets` buckets of `bucket_nanos` each.
    pub(crate) fn new(buckets: u32, bucket_nanos: u64) -> Self {
        let mut window = Self {
            buckets: vec![Bucket::default(); buckets.max(1) as usize],
            bucket_nanos: bucket_nanos.max(1),
            newest: 0,
            newest_slot: 0,
            newest_end: 0,
            totals: Totals::default(),
        };
        window.newest_end = window.end_of(0);
        window
    }

    #[inline]
    fn end_of(&self, bucket: u64) -> u64 {
        saturating_mul(bucket.saturating_add(1), self.bucket_nanos)
    }

    /// Expires every bucket that has left the window by `now`.
    #[inline(always)]
    fn advance(&mut self, now: Instant) {
        if now.as_nanos() >= self.newest_end {
            self.rotate(now.as_nanos());
        }
    }

    /// The slow path of [`TimeWindow::advance`]: `t` is past the newest
    /// bucket, so zero every bucket that has elapsed (at most all of them).
    #[cold]
    #[inline(never)]
    fn rotate(&mut self, t: u64) {
        let current = t.checked_div(self.bucket_nanos).unwrap_or(0);
        if current <= self.newest {
            self.newest_end = self.end_of(self.newest);
            return;
        }
        let len = self.buckets.len() as u64;
        let elapsed = (current - self.newest).min(len);
        for _ in 0..elapsed {
            self.newest_slot = self.newest_slot.saturating_add(1);
            if u64::from(self.newest_slot) >= len {
                self.newest_slot = 0;
            }
            if let Some(bucket) = self.buckets.get_mut(self.newest_slot as usize) {
                self.totals.calls = self.totals.calls.saturating_sub(u64::from(bucket.calls));
                self.totals.failures = self
                    .totals
                    .failures
                    .saturating_sub(u64::from(bucket.failures));
                self.totals.slow = self.totals.slow.saturating_sub(u64::from(bucket.slow));
                *bucket = Bucket::default();
            }
        }
        self.newest = current;
        self.newest_end = self.end_of(current);
    }

    /// Adds one call at `now` (after expiring elapsed buckets).
    #[inline(always)]
    pub(crate) fn record(&mut self, now: Instant, failed: bool, slow: bool) -> Totals {
        self.advance(now);
        if let Some(bucket) = self.buckets.get_mut(self.newest_slot as usize)
            && bucket.calls < u32::MAX
        {
            bucket.calls += 1;
            bucket.failures += u32::from(failed);
            bucket.slow += u32::from(slow);
            self.totals.calls = self.totals.calls.saturating_add(1);
            self.totals.failures = self.totals.failures.saturating_add(u64::from(failed));
            self.totals.slow = self.totals.slow.saturating_add(u64::from(slow));
        }
        self.totals
    }

    /// Adds `count` plain successes at `now`: the same state as `count`
    /// calls of [`TimeWindow::record`] (a bucket stops counting at
    /// `u32::MAX` calls).
    pub(crate) fn record_successes(&mut self, now: Instant, count: u64) -> Totals {
        self.advance(now);
        if let Some(bucket) = self.buckets.get_mut(self.newest_slot as usize) {
            let room = u64::from(u32::MAX - bucket.calls);
            let added = count.min(room);
            bucket.calls += added as u32;
            self.totals.calls = self.totals.calls.saturating_add(added);
        }
        self.totals
    }

    /// The first instant after the newest bucket: calls recorded before it
    /// land in that bucket and expire nothing.
    pub(crate) fn newest_end(&self) -> Instant {
        Instant::from_nanos(self.newest_end)
    }

    /// The totals of the window ending at `now`.
    pub(crate) fn totals(&mut self, now: Instant) -> Totals {
        self.advance(now);
        self.totals
    }

    /// Forgets every call (the bucket alignment stays).
    pub(crate) fn clear(&mut self) {
        self.buckets.fill(Bucket::default());
        self.totals = Totals::default();
    }

    /// Whether this window has `buckets` buckets of `bucket_nanos`.
    pub(crate) fn has_shape(&self, buckets: u32, bucket_nanos: u64) -> bool {
        self.buckets.len() == buckets as usize && self.bucket_nanos == bucket_nanos
    }

    /// Recomputes the cached sums and indices (after a restore).
    pub(crate) fn recount(&mut self) {
        let mut totals = Totals::default();
        for bucket in self.buckets.iter_mut() {
            // A bucket never holds more failures or slow calls than calls.
            bucket.failures = bucket.failures.min(bucket.calls);
            bucket.slow = bucket.slow.min(bucket.calls);
            totals.calls = totals.calls.saturating_add(u64::from(bucket.calls));
            totals.failures = totals.failures.saturating_add(u64::from(bucket.failures));
            totals.slow = totals.slow.saturating_add(u64::from(bucket.slow));
        }
        self.totals = totals;
        self.bucket_nanos = self.bucket_nanos.max(1);
        if self.newest_slot as usize >= self.buckets.len() {
            self.newest_slot = 0;
        }
        self.newest_end = self.end_of(self.newest);
    }

    /// Bytes of the bucket ring.
    pub(crate) fn heap_bytes(&self) -> usize {
        core::mem::size_of_val(&*self.buckets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: u64 = 1_000_000_000;

    fn at(seconds: f64) -> Instant {
        Instant::from_nanos((seconds * SECOND as f64) as u64)
    }

    #[test]
    fn samples_leave_after_n_buckets() {
        let mut window = TimeWindow::new(10, SECOND);
        window.record(at(5.5), true, false);
        assert_eq!(window.totals(at(14.9)).failures, 1);
        assert_eq!(window.totals(at(15.0)).failures, 0);
    }

    #[test]
    fn stale_failures_expire_after_idle() {
        let mut window = TimeWindow::new(10, SECOND);
        for i in 0..8 {
            window.record(at(f64::from(i) * 0.1), true, false);
        }
        // A long idle period expires all buckets at once, not one per call.
        let totals = window.record(at(1_000_000.0), false, false);
        assert_eq!(
            totals,
            Totals {
                calls: 1,
                failures: 0,
                slow: 0
            }
        );
    }

    #[test]
    fn sixty_buckets_fit_in_a_kibibyte() {
        let window = TimeWindow::new(60, SECOND);
        assert_eq!(window.heap_bytes(), 720);
        assert!(core::mem::size_of::<TimeWindow>() + window.heap_bytes() <= 1024);
    }

    #[test]
    fn recount_restores_cached_totals() {
        let mut window = TimeWindow::new(4, SECOND);
        window.record(at(1.0), true, true);
        window.record(at(2.0), false, false);
        let before = window.totals;
        window.totals = Totals::default();
        window.recount();
        assert_eq!(window.totals, before);
    }
}
