//! The event queue: a binary heap keyed by virtual time.
//!
//! Why: a discrete-event simulation jumps from one event to the next instead
//! of ticking, so idle time costs nothing and every instant is exact to the
//! nanosecond. Ties are broken by the order in which events were scheduled
//! (a sequence number), so a run is a pure function of its seed.
//!
//! ```text
//! key = (at: u64 ns, seq: u64)     smallest first
//! ```
//!
//! Constraints: `push` and `pop` are O(log n); the heap only grows by the
//! number of pending events (at most one per client and per operation).

use alloc::collections::BinaryHeap;
use core::cmp::Ordering;

use crate::time::Instant;

/// An event scheduled at `at`, carrying `what`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scheduled<T> {
    pub(crate) at: Instant,
    seq: u64,
    pub(crate) what: T,
}

impl<T> PartialEq for Scheduled<T> {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && self.seq == other.seq
    }
}

impl<T> Eq for Scheduled<T> {}

impl<T> PartialOrd for Scheduled<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Scheduled<T> {
    /// Reversed, so the max-heap pops the earliest event first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .at
            .cmp(&self.at)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Pending events, earliest first, ties in scheduling order.
#[derive(Debug)]
pub(crate) struct EventQueue<T> {
    heap: BinaryHeap<Scheduled<T>>,
    next_seq: u64,
}

impl<T> EventQueue<T> {
    /// An empty queue with room for `capacity` events.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
        }
    }

    /// Schedules `what` at `at`.
    #[inline]
    pub(crate) fn push(&mut self, at: Instant, what: T) {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.heap.push(Scheduled { at, seq, what });
    }

    /// The earliest event, if it is due at or before `until`.
    #[inline]
    pub(crate) fn pop_until(&mut self, until: Instant) -> Option<Scheduled<T>> {
        if self.heap.peek()?.at > until {
            return None;
        }
        self.heap.pop()
    }

    /// When the earliest event is due.
    #[inline]
    pub(crate) fn peek_at(&self) -> Option<Instant> {
        self.heap.peek().map(|event| event.at)
    }

    /// Events scheduled so far (a measure of work done).
    pub(crate) const fn scheduled(&self) -> u64 {
        self.next_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_ties_in_scheduling_order() {
        let mut queue = EventQueue::with_capacity(4);
        queue.push(Instant::from_nanos(20), 'c');
        queue.push(Instant::from_nanos(10), 'a');
        queue.push(Instant::from_nanos(10), 'b');
        queue.push(Instant::from_nanos(30), 'd');
        let mut order = alloc::vec::Vec::new();
        while let Some(event) = queue.pop_until(Instant::from_nanos(25)) {
            order.push(event.what);
        }
        assert_eq!(order, ['a', 'b', 'c']);
        assert_eq!(queue.scheduled(), 4);
    }
}
