//! The count window: the last N calls, two bits each.
//!
//! Why bits: resilience4j keeps an object per call; a breaker per endpoint
//! per origin multiplies that. Two bits (failed, slow) per call in a ring of
//! `u64` words keeps a 100-call window at 32 bytes, and cached totals keep
//! `record` O(1).
//!
//! ```text
//! call i → word i / 32, bits 2·(i mod 32) (failed) and 2·(i mod 32)+1 (slow)
//! record: evict the oldest call's bits from the totals, write the new ones,
//!         advance `next` (wrapping at N); `filled` grows to N and stays there
//! ```
//!
//! Constraints: the ring is allocated once; words are reached with `get`, so
//! a corrupted index cannot panic.

use super::Totals;
use alloc::vec;
use alloc::vec::Vec;

/// Calls per `u64` word.
const CALLS_PER_WORD: u32 = 32;

/// A ring of the last `size` calls.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct CountWindow {
    /// Two bits per call.
    bits: Vec<u64>,
    /// Window length in calls, ≥ 1.
    size: u32,
    /// Slot the next call overwrites.
    next: u32,
    /// Calls held, ≤ `size`.
    filled: u32,
    /// Cached: failed calls held.
    failures: u32,
    /// Cached: slow calls held.
    slow: u32,
}

fn words_for(size: u32) -> usize {
    size.div_ceil(CALLS_PER_WORD) as usize
}

impl CountWindow {
    /// An empty window of `size` calls.
    pub(crate) fn new(size: u32) -> Self {
        Self {
            bits: vec![0; words_for(size)],
            size,
            next: 0,
            filled: 0,
            failures: 0,
            slow: 0,
        }
    }

    /// Adds one call, evicting the oldest when full.
    #[inline(always)]
    pub(crate) fn record(&mut self, failed: bool, slow: bool) -> Totals {
        let shift = (self.next % CALLS_PER_WORD) * 2;
        if let Some(word) = self.bits.get_mut((self.next / CALLS_PER_WORD) as usize) {
            let old = (*word >> shift) & 0b11;
            let new = u64::from(failed) | (u64::from(slow) << 1);
            *word ^= (old ^ new) << shift;
            // The cached counts equal the bits' sums (restore recounts them),
            // so they stay within 0 ..= size; slots not yet filled hold zero
            // bits, so evicting them subtracts nothing.
            self.failures = self
                .failures
                .wrapping_add(u32::from(failed))
                .wrapping_sub((old & 1) as u32);
            self.slow = self
                .slow
                .wrapping_add(u32::from(slow))
                .wrapping_sub((old >> 1) as u32);
            self.filled += u32::from(self.filled < self.size);
        }
        self.next += 1;
        if self.next >= self.size {
            self.next = 0;
        }
        self.totals()
    }

    /// Adds `count` plain successes: the same state as `count` calls of
    /// [`CountWindow::record`] (after `size` of them every slot holds a
    /// success, so only `count mod size` more pushes still move the ring).
    pub(crate) fn record_successes(&mut self, count: u64) -> Totals {
        let size = u64::from(self.size);
        let pushes = if count >= size {
            size + count % size.max(1)
        } else {
            count
        };
        for _ in 0..pushes {
            self.record(false, false);
        }
        self.totals()
    }

    /// The calls, failures and slow calls held.
    #[inline]
    pub(crate) fn totals(&self) -> Totals {
        Totals {
            calls: u64::from(self.filled),
            failures: u64::from(self.failures),
            slow: u64::from(self.slow),
        }
    }

    /// Forgets every call.
    pub(crate) fn clear(&mut self) {
        self.bits.fill(0);
        self.next = 0;
        self.filled = 0;
        self.failures = 0;
        self.slow = 0;
    }

    /// Whether this ring holds `size` calls.
    pub(crate) fn has_size(&self, size: u32) -> bool {
        self.size == size && self.bits.len() == words_for(size)
    }

    /// Recomputes the cached counts from the bits (after a restore), and
    /// brings indices back in range.
    pub(crate) fn recount(&mut self) {
        let (mut failures, mut slow) = (0u32, 0u32);
        for slot in 0..self.size {
            let shift = (slot % CALLS_PER_WORD) * 2;
            let bits = self
                .bits
                .get((slot / CALLS_PER_WORD) as usize)
                .map_or(0, |word| (word >> shift) & 0b11);
            failures = failures.saturating_add((bits & 1) as u32);
            slow = slow.saturating_add((bits >> 1) as u32);
        }
        self.failures = failures;
        self.slow = slow;
        self.filled = self.filled.min(self.size);
        if self.next >= self.size {
            self.next = 0;
        }
    }

    /// Bytes of the bit ring.
    pub(crate) fn heap_bytes(&self) -> usize {
        core::mem::size_of_val(&*self.bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_call_leaves_when_the_window_is_full() {
        let mut window = CountWindow::new(3);
        window.record(true, false);
        window.record(false, true);
        let totals = window.record(false, false);
        assert_eq!((totals.calls, totals.failures, totals.slow), (3, 1, 1));
        let totals = window.record(false, false);
        assert_eq!((totals.calls, totals.failures, totals.slow), (3, 0, 1));
        let totals = window.record(false, false);
        assert_eq!((totals.calls, totals.failures, totals.slow), (3, 0, 0));
    }

    #[test]
    fn ring_spans_several_words() {
        let mut window = CountWindow::new(100);
        assert_eq!(window.heap_bytes(), 32);
        for i in 0..250u32 {
            window.record(i % 5 == 0, i % 10 == 0);
        }
        // Calls 150..250: 20 multiples of 5, 10 multiples of 10.
        assert_eq!(
            window.totals(),
            Totals {
                calls: 100,
                failures: 20,
                slow: 10
            }
        );
        let before = window.totals();
        window.recount();
        assert_eq!(window.totals(), before);
    }

    #[test]
    fn clear_forgets_everything() {
        let mut window = CountWindow::new(4);
        window.record(true, true);
        window.clear();
        assert_eq!(window.totals(), Totals::default());
        assert_eq!(window.record(false, false).failures, 0);
    }
}
