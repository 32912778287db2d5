//! The data a [`Bulkhead`](super::Bulkhead) hands out and reports: permits,
//! queue tickets, admissions, misuse errors and metrics.
//!
//! Why plain ids: a binding keeps a permit or a ticket as a JS/Python number
//! between two calls, so both are `u64` ids below 2⁵³ (exact in a double),
//! wrapped in newtypes on the Rust side so the two cannot be swapped by
//! accident. Any id can be rebuilt from a host number with `from_id`; an id
//! the bulkhead does not know is answered with a [`BulkheadError`], never a
//! panic and never a changed count.

/// Permission to run one call. Give it back with
/// [`Bulkhead::release`](super::Bulkhead::release) when the call ends, however
/// it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct BulkheadPermit(u64);

impl BulkheadPermit {
    /// Rebuilds a permit from the id a host kept.
    pub const fn from_id(id: u64) -> Self {
        Self(id)
    }

    /// The id to keep on the host side (always below 2⁵³, so exact in a double).
    pub const fn id(self) -> u64 {
        self.0
    }
}

/// A place in the wait queue. Tickets are issued in increasing id order, so
/// comparing two tickets compares their places in the queue (FIFO).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct QueueTicket(u64);

impl QueueTicket {
    /// Rebuilds a ticket from the id a host kept.
    pub const fn from_id(id: u64) -> Self {
        Self(id)
    }

    /// The id to keep on the host side (issued from 1 upwards).
    pub const fn id(self) -> u64 {
        self.0
    }
}

/// What [`Bulkhead::try_enter`](super::Bulkhead::try_enter) decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "an admitted permit or a queue ticket must be released, claimed or cancelled"]
pub enum Admission {
    /// A slot was free: run the call now, then release the permit.
    Admitted(BulkheadPermit),
    /// Every slot is taken: wait. A later release (or cancel) returns this
    /// ticket when it hands the slot over; then
    /// [`claim`](super::Bulkhead::claim) it. Give up with
    /// [`cancel`](super::Bulkhead::cancel).
    Queued(QueueTicket),
    /// Every slot is taken and there is no room to wait: fail the call now.
    Rejected {
        /// Why.
        reason: RejectReason,
    },
}

/// Why a call was turned away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectReason {
    /// Every slot is taken and the wait queue holds `maxQueued` entries
    /// (with `maxQueued: 0`, any call that finds no free slot).
    QueueFull,
}

impl RejectReason {
    /// Stable name for bindings and logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::QueueFull => "queueFull",
        }
    }
}

/// A permit or ticket used in a way the bulkhead cannot honour. The state is
/// left exactly as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BulkheadError {
    /// The permit is not held: it was never issued, or it was already
    /// released (a double release).
    #[error("permit {permit} is not held (never issued, or already released)")]
    UnknownPermit {
        /// The permit's id.
        permit: u64,
    },
    /// The ticket is neither queued nor granted: it was never issued, or it
    /// was already claimed, cancelled or reported as timed out.
    #[error(
        "ticket {ticket} is not waiting (never issued, or already claimed, cancelled or timed out)"
    )]
    UnknownTicket {
        /// The ticket's id.
        ticket: u64,
    },
    /// The ticket is still queued: no release has handed it a slot yet.
    #[error("ticket {ticket} is still queued: no slot has been handed to it yet")]
    NotGranted {
        /// The ticket's id.
        ticket: u64,
    },
}

impl BulkheadError {
    /// Stable machine-readable code, the same in every binding.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnknownPermit { .. } => "ERR_UNKNOWN_PERMIT",
            Self::UnknownTicket { .. } => "ERR_UNKNOWN_TICKET",
            Self::NotGranted { .. } => "ERR_TICKET_NOT_GRANTED",
        }
    }
}

/// Counters and gauges of one bulkhead.
///
/// Every call to `try_enter` ends in exactly one of `admitted` (directly or,
/// later, from the queue), `rejected`, `cancelled`, `timedOut`, or is still
/// `queued`:
///
/// ```text
/// try_enter calls = admitted + rejected + cancelled + timedOut + queued
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct BulkheadMetrics {
    /// Slots taken now: permits held plus slots handed to a waiter that has
    /// not claimed yet. Never above `maxConcurrent`.
    pub active: u32,
    /// Of `active`, slots handed to a waiter that has not claimed yet.
    pub awaiting_claim: u32,
    /// Waiters in the queue now (including timed-out ones not yet reported by
    /// `handle_timeout`). Never above `maxQueued`.
    pub queued: u32,
    /// Slots handed out so far: direct admissions plus hand-overs to waiters.
    pub admitted: u64,
    /// Calls turned away so far.
    pub rejected: u64,
    /// Waiters that gave up while still queued (a cancelled hand-over is
    /// counted in `admitted` and gives its slot back like a release).
    pub cancelled: u64,
    /// Waiters reported by `handle_timeout` after waiting `maxQueueWaitMs`.
    pub timed_out: u64,
    /// The highest `active` seen.
    pub peak_active: u32,
    /// The highest `queued` seen.
    pub peak_queued: u32,
}
