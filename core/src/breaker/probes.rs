//! Half-open probes and their leases.
//!
//! Why leases: a probe whose caller never reports back (a dropped future, a
//! crashed worker) would hold its half-open permit forever, and with every
//! permit held the breaker rejects all calls forever (resilience4j #903,
//! Polly #1979, gobreaker). Each probe therefore leases its permit for
//! `probeLeaseMs`; when the lease ends the slot is freed for the next caller
//! and the probe's eventual result is dropped as late.
//!
//! ```text
//! slot = { id, leaseEnds }      free when id = FREE
//! admit at t:    take a free slot, leaseEnds = t + probeLeaseMs
//! expire at t:   every slot with leaseEnds ≤ t becomes free
//! next change:   min(leaseEnds) over leased slots
//! ```
//!
//! Constraints: one slot per `halfOpenPermits`, allocated once and reused by
//! every half-open phase; each operation is a scan of at most
//! `halfOpenPermits` slots (10 by default) and never allocates.

use super::ledger::Ledger;
use crate::time::Instant;
use alloc::vec;
use alloc::vec::Vec;

/// Marks a free slot.
const FREE: u64 = u64::MAX;

/// One leased (or free) probe permit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct Probe {
    id: u64,
    lease_ends: Instant,
}

const FREE_PROBE: Probe = Probe {
    id: FREE,
    lease_ends: Instant::ZERO,
};

/// The half-open phase's permits.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub(crate) struct ProbeTable {
    slots: Vec<Probe>,
}

impl ProbeTable {
    /// `permits` free slots.
    pub(crate) fn new(permits: u32) -> Self {
        Self {
            slots: vec![FREE_PROBE; permits as usize],
        }
    }

    /// Frees every slot.
    pub(crate) fn clear(&mut self) {
        self.slots.fill(FREE_PROBE);
    }

    /// Leases a free slot to probe `id` until `lease_ends`; false if none is
    /// free.
    pub(crate) fn lease(&mut self, id: u64, lease_ends: Instant) -> bool {
        match self.slots.iter_mut().find(|slot| slot.id == FREE) {
            Some(slot) => {
                *slot = Probe { id, lease_ends };
                true
            }
            None => false,
        }
    }

    /// Frees probe `id`'s slot; false if it holds none (its lease expired).
    pub(crate) fn release(&mut self, id: u64) -> bool {
        match self
            .slots
            .iter_mut()
            .find(|slot| slot.id == id && id != FREE)
        {
            Some(slot) => {
                *slot = FREE_PROBE;
                true
            }
            None => false,
        }
    }

    /// Frees every slot whose lease ended by `now`, marking those probes
    /// expired in the ledger; returns how many.
    pub(crate) fn expire(&mut self, now: Instant, ledger: &mut Ledger) -> u32 {
        let mut expired = 0u32;
        for slot in self.slots.iter_mut() {
            if slot.id != FREE && slot.lease_ends <= now {
                ledger.expire(slot.id);
                *slot = FREE_PROBE;
                expired = expired.saturating_add(1);
            }
        }
        expired
    }

    /// When the earliest lease ends, if any slot is leased.
    pub(crate) fn earliest_lease_end(&self) -> Option<Instant> {
        self.slots
            .iter()
            .filter(|slot| slot.id != FREE)
            .map(|slot| slot.lease_ends)
            .min()
    }

    /// Leased slots.
    pub(crate) fn leased(&self) -> u32 {
        let leased = self.slots.iter().filter(|slot| slot.id != FREE).count();
        u32::try_from(leased).unwrap_or(u32::MAX)
    }

    /// Number of slots.
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Bytes of the slot table.
    pub(crate) fn heap_bytes(&self) -> usize {
        core::mem::size_of_val(&*self.slots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_that_never_reports_expires() {
        let mut ledger = Ledger::default();
        let mut table = ProbeTable::new(1);
        let id = ledger.issue();
        assert!(table.lease(id, Instant::from_nanos(100)));
        assert!(!table.lease(ledger.issue(), Instant::from_nanos(100)));
        assert_eq!(table.earliest_lease_end(), Some(Instant::from_nanos(100)));
        assert_eq!(table.expire(Instant::from_nanos(99), &mut ledger), 0);
        assert_eq!(table.expire(Instant::from_nanos(100), &mut ledger), 1);
        assert_eq!(table.earliest_lease_end(), None);
        assert!(!table.release(id));
    }

    #[test]
    fn released_slot_is_reused() {
        let mut table = ProbeTable::new(2);
        assert!(table.lease(0, Instant::from_nanos(5)));
        assert!(table.lease(1, Instant::from_nanos(6)));
        assert!(table.release(0));
        assert_eq!(table.leased(), 1);
        assert!(table.lease(2, Instant::from_nanos(7)));
        assert_eq!(table.earliest_lease_end(), Some(Instant::from_nanos(6)));
    }
}
