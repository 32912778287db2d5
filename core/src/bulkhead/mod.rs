//! Bulkhead: a concurrency limit with a bounded FIFO wait queue, as decisions.
//!
//! Why: a slow dependency holds every caller that reaches it. Capping how
//! many calls run at once (and how many may wait for a slot) keeps one slow
//! endpoint from taking all of a process's sockets, memory or threads. The
//! core only decides; the host runs the calls, keeps the waiters (promises,
//! futures, threads) and wakes the one a decision names.
//!
//! ```text
//!                  try_enter(now)
//!   ┌──────────────────┼──────────────────────────┐
//!   │ slot free        │ no slot, queue has room  │ no slot, queue full
//!   ▼                  ▼                          ▼
//! Admitted(permit)   Queued(ticket) ─────────▶  Rejected { QueueFull }
//!   │                  │        │ cancel(ticket)        → gone (cancelled)
//!   │                  │        │ handle_timeout(now)   → gone (timed out,
//!   │                  │        │   after maxQueueWaitMs, reported as data)
//!   │                  ▼
//!   │  release(permit) of another call hands its slot to the OLDEST waiter
//!   │  whose wait has not expired and returns that ticket; the host wakes
//!   │  that waiter, which calls claim(ticket) → permit.
//!   ▼
//! release(now, permit) → Some(ticket) to wake, or None (slot is free again)
//! ```
//!
//! Invariants, for any sequence of calls: `active ≤ maxConcurrent`,
//! `queued ≤ maxQueued`, and a free slot never coexists with a waiter whose
//! wait has not expired (arrivals never overtake waiters). A waiter whose
//! `maxQueueWaitMs` ran out is never handed a slot; it keeps its queue place
//! until [`Bulkhead::handle_timeout`] reports it (call it when
//! [`Bulkhead::poll_timeout`] is due, and before `try_enter` at that instant,
//! or expired waiters may fill the queue).
//!
//! Defaults follow resilience4j's semaphore bulkhead: 25 concurrent calls and
//! no waiting (`maxQueued: 0`).
//!
//! Constraints: permits and tickets are plain ids below 2⁵³ (see
//! [`BulkheadPermit`]); misuse (a double release, claiming a cancelled or
//! still-queued ticket) returns a [`BulkheadError`] and changes nothing. The
//! slot table and the queue's ring buffer are allocated by [`Bulkhead::new`];
//! afterwards no call allocates, panics or fails except with that error, and
//! every call is O(1) or O(log n) plus, for removals from the middle of the
//! queue (`cancel`, skipping expired waiters), a shift of the shorter side.
//! Permits themselves have no lease: a call that never releases keeps its slot.
//!
//! ```
//! use stormguard::Instant;
//! use stormguard::bulkhead::{Admission, Bulkhead, BulkheadOptions};
//!
//! let options = BulkheadOptions { max_concurrent: 1, max_queued: 1, ..BulkheadOptions::default() };
//! let mut bulkhead = Bulkhead::new(&options)?;
//! let now = Instant::ZERO;
//! let Admission::Admitted(running) = bulkhead.try_enter(now) else { unreachable!() };
//! let Admission::Queued(waiter) = bulkhead.try_enter(now) else { unreachable!() };
//! assert!(matches!(bulkhead.try_enter(now), Admission::Rejected { .. }));
//! // The running call ends: its slot goes to the waiter, which the host wakes.
//! assert_eq!(bulkhead.release(now, running)?, Some(waiter));
//! let permit = bulkhead.claim(waiter)?;
//! assert_eq!(bulkhead.release(now, permit)?, None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod slots;
mod types;

pub use types::{
    Admission, BulkheadError, BulkheadMetrics, BulkheadPermit, QueueTicket, RejectReason,
};

use crate::ConfigError;
use crate::time::{Duration, Instant, Monotonic, duration_from_millis_f64};
use alloc::collections::VecDeque;
use slots::SlotTable;

/// Largest accepted `maxConcurrent` (the slot table is allocated up front).
pub const MAX_CONCURRENT: u32 = 1_000_000;
/// Largest accepted `maxQueued` (the queue is allocated up front).
pub const MAX_QUEUED: u32 = 1_000_000;

/// Options of a [`Bulkhead`] (binding names in parentheses).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct BulkheadOptions {
    /// Calls that may run at once (`maxConcurrent`), 1 ..= 1 000 000.
    /// Default 25.
    pub max_concurrent: u32,
    /// Calls that may wait for a slot (`maxQueued`), 0 ..= 1 000 000; 0 turns
    /// waiting off. Default 0.
    pub max_queued: u32,
    /// How long a call may wait in the queue, in milliseconds
    /// (`maxQueueWaitMs`); `None` waits until a slot frees or the host
    /// cancels. Default `None`.
    pub max_queue_wait_ms: Option<f64>,
}

impl Default for BulkheadOptions {
    fn default() -> Self {
        Self {
            max_concurrent: 25,
            max_queued: 0,
            max_queue_wait_ms: None,
        }
    }
}

/// One waiter in the queue.
#[derive(Clone, Copy, Debug)]
struct Waiter {
    ticket: u64,
    enqueued_at: Instant,
}

/// A concurrency limit with a bounded FIFO wait queue (see the module docs).
#[derive(Clone, Debug)]
pub struct Bulkhead {
    max_queued: u32,
    max_queue_wait: Option<Duration>,
    slots: SlotTable,
    /// Waiters oldest first; ticket ids and `enqueued_at` both increase.
    queue: VecDeque<Waiter>,
    next_ticket: u64,
    clock: Monotonic,
    admitted: u64,
    rejected: u64,
    cancelled: u64,
    timed_out: u64,
    peak_active: u32,
    peak_queued: u32,
}

impl Bulkhead {
    /// A bulkhead with all slots free and an empty queue.
    ///
    /// # Errors
    /// [`ConfigError`] naming `maxConcurrent` (outside 1 ..= [`MAX_CONCURRENT`]),
    /// `maxQueued` (above [`MAX_QUEUED`]) or `maxQueueWaitMs` (NaN, infinite,
    /// negative or too large).
    pub fn new(options: &BulkheadOptions) -> Result<Self, ConfigError> {
        ConfigError::check_range(
            "maxConcurrent",
            f64::from(options.max_concurrent),
            1.0,
            f64::from(MAX_CONCURRENT),
        )?;
        ConfigError::check_range(
            "maxQueued",
            f64::from(options.max_queued),
            0.0,
            f64::from(MAX_QUEUED),
        )?;
        let max_queue_wait = match options.max_queue_wait_ms {
            Some(ms) => Some(duration_from_millis_f64("maxQueueWaitMs", ms)?),
            None => None,
        };
        Ok(Self {
            max_queued: options.max_queued,
            max_queue_wait,
            slots: SlotTable::new(options.max_concurrent),
            queue: VecDeque::with_capacity(options.max_queued as usize),
            next_ticket: 1,
            clock: Monotonic::new(),
            admitted: 0,
            rejected: 0,
            cancelled: 0,
            timed_out: 0,
            peak_active: 0,
            peak_queued: 0,
        })
    }

    /// Asks to start a call at `now`: admitted (a slot was free), queued (wait
    /// for a hand-over) or rejected (no slot, no room to wait).
    pub fn try_enter(&mut self, now: Instant) -> Admission {
        let now = self.clock.observe(now);
        if let Some(permit) = self.slots.admit() {
            self.admitted += 1;
            self.peak_active = self.peak_active.max(self.slots.active());
            return Admission::Admitted(BulkheadPermit::from_id(permit));
        }
        if self.queue.len() < self.max_queued as usize {
            let ticket = self.next_ticket;
            self.next_ticket = self.next_ticket.saturating_add(1);
            self.queue.push_back(Waiter {
                ticket,
                enqueued_at: now,
            });
            self.peak_queued = self.peak_queued.max(self.queue.len() as u32);
            return Admission::Queued(QueueTicket::from_id(ticket));
        }
        self.rejected += 1;
        Admission::Rejected {
            reason: RejectReason::QueueFull,
        }
    }

    /// Ends the call holding `permit`. Returns the ticket of the waiter that
    /// now owns the slot (wake it; it must [`claim`](Self::claim)), or `None`
    /// when the slot is free again.
    ///
    /// # Errors
    /// [`BulkheadError::UnknownPermit`] when `permit` is not held (a double
    /// release, or an id never issued); nothing changes.
    pub fn release(
        &mut self,
        now: Instant,
        permit: BulkheadPermit,
    ) -> Result<Option<QueueTicket>, BulkheadError> {
        let now = self.clock.observe(now);
        let slot = self
            .slots
            .vacate(permit.id())
            .ok_or(BulkheadError::UnknownPermit {
                permit: permit.id(),
            })?;
        Ok(self.pass_on(now, slot))
    }

    /// Turns a ticket that a release handed a slot to into a permit.
    ///
    /// # Errors
    /// [`BulkheadError::NotGranted`] while the ticket is still queued;
    /// [`BulkheadError::UnknownTicket`] when it was never issued or was already
    /// claimed, cancelled or timed out. Nothing changes.
    pub fn claim(&mut self, ticket: QueueTicket) -> Result<BulkheadPermit, BulkheadError> {
        if let Some(permit) = self.slots.claim(ticket.id()) {
            return Ok(BulkheadPermit::from_id(permit));
        }
        Err(if self.find_waiter(ticket).is_some() {
            BulkheadError::NotGranted {
                ticket: ticket.id(),
            }
        } else {
            BulkheadError::UnknownTicket {
                ticket: ticket.id(),
            }
        })
    }

    /// The waiter holding `ticket` gave up (aborted, or its own timer fired).
    /// A queued ticket just leaves the queue (`Ok(None)`). A ticket that was
    /// already handed a slot gives the slot back, which passes it on like a
    /// release: the returned ticket, if any, is the next waiter to wake.
    ///
    /// # Errors
    /// [`BulkheadError::UnknownTicket`] when the ticket is not waiting (never
    /// issued, already claimed, cancelled or timed out); nothing changes.
    pub fn cancel(
        &mut self,
        now: Instant,
        ticket: QueueTicket,
    ) -> Result<Option<QueueTicket>, BulkheadError> {
        let now = self.clock.observe(now);
        if let Some(index) = self.find_waiter(ticket) {
            self.queue.remove(index);
            self.cancelled += 1;
            return Ok(None);
        }
        match self.slots.withdraw(ticket.id()) {
            Some(slot) => Ok(self.pass_on(now, slot)),
            None => Err(BulkheadError::UnknownTicket {
                ticket: ticket.id(),
            }),
        }
    }

    /// When the oldest waiter's `maxQueueWaitMs` runs out (possibly already
    /// past), or `None` when nothing in the queue can time out.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let wait = self.max_queue_wait?;
        self.queue.front().map(|w| w.enqueued_at + wait)
    }

    /// Removes and returns the oldest waiter whose wait has run out at `now`
    /// (`now ≥ enqueued + maxQueueWaitMs`), or `None`. Call until `None`; the
    /// host fails each returned waiter.
    pub fn handle_timeout(&mut self, now: Instant) -> Option<QueueTicket> {
        let now = self.clock.observe(now);
        let wait = self.max_queue_wait?;
        let front = self.queue.front()?;
        if front.enqueued_at + wait > now {
            return None;
        }
        let waiter = self.queue.pop_front()?;
        self.timed_out += 1;
        Some(QueueTicket::from_id(waiter.ticket))
    }

    /// How many waiters are ahead of `ticket` (0 = next in line), or `None`
    /// when it is not queued.
    pub fn queue_position(&self, ticket: QueueTicket) -> Option<u32> {
        self.find_waiter(ticket).map(|index| index as u32)
    }

    /// Whether `ticket` has been handed a slot and has not claimed it yet.
    pub fn is_granted(&self, ticket: QueueTicket) -> bool {
        self.slots.is_granted(ticket.id())
    }

    /// Slots taken now (held permits plus unclaimed hand-overs).
    pub fn active(&self) -> u32 {
        self.slots.active()
    }

    /// Waiters in the queue now.
    pub fn queued(&self) -> u32 {
        self.queue.len() as u32
    }

    /// Counters and gauges.
    pub fn metrics(&self) -> BulkheadMetrics {
        BulkheadMetrics {
            active: self.slots.active(),
            awaiting_claim: self.slots.awaiting_claim(),
            queued: self.queued(),
            admitted: self.admitted,
            rejected: self.rejected,
            cancelled: self.cancelled,
            timed_out: self.timed_out,
            peak_active: self.peak_active,
            peak_queued: self.peak_queued,
        }
    }

    /// Hands a vacated slot to the oldest waiter whose wait has not run out,
    /// or frees it.
    fn pass_on(&mut self, now: Instant, slot: u32) -> Option<QueueTicket> {
        let first_live = match self.max_queue_wait {
            Some(wait) => self.queue.partition_point(|w| w.enqueued_at + wait <= now),
            None => 0,
        };
        match self.queue.remove(first_live) {
            Some(waiter) => {
                self.slots.hand_over(slot, waiter.ticket);
                self.admitted += 1;
                Some(QueueTicket::from_id(waiter.ticket))
            }
            None => {
                self.slots.free(slot);
                None
            }
        }
    }

    fn find_waiter(&self, ticket: QueueTicket) -> Option<usize> {
        self.queue
            .binary_search_by_key(&ticket.id(), |w| w.ticket)
            .ok()
    }
}

#[cfg(test)]
mod tests;
