//! Which permits of the current generation were already recorded.
//!
//! Why: bindings hold a permit as two numbers and rebuild it for `record`, so
//! nothing stops a host from recording the same call twice. Counting it twice
//! would skew the rates (and in half-open could close the breaker on one real
//! success), so the breaker must recognise a second record, without
//! allocating per call.
//!
//! ```text
//! ids are issued 0, 1, 2, … within a generation (a new generation starts at 0)
//! the newest 128 ids: one `done` bit and one `expired` bit each (a ring)
//!   done     → a second record is `Reused`
//!   expired  → the half-open lease ran out: a late record is `Late`
//! an id older than that leaves the ring; if it was still outstanding,
//!   `untracked` counts it, and a record of an old id is accepted while
//!   `untracked > 0` (and decrements it), `Reused` otherwise
//! ```
//!
//! Detection is exact for the 128 most recent permits of a generation and by
//! count beyond that (a call that outlives 128 newer calls is still counted
//! once). A permit from an earlier generation is never counted, whatever the
//! ledger says.
//!
//! Constraints: 40 bytes, no heap; every operation is a few bit operations.

use super::permit::PermitError;

/// Ids with exact reuse detection.
const TRACKED: u64 = 128;

/// Whether a claimed permit may still count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Claim {
    /// First record of a live permit.
    Fresh,
    /// First record of a probe whose lease already expired.
    Expired,
}

/// Record-once bookkeeping for one generation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct Ledger {
    /// Ids issued so far in this generation.
    next_id: u64,
    done: [u64; 2],
    expired: [u64; 2],
    /// Outstanding permits that left the ring unrecorded.
    untracked: u64,
}

#[inline]
fn bit(id: u64) -> (usize, u64) {
    let slot = id % TRACKED;
    ((slot / 64) as usize, 1u64 << (slot % 64))
}

#[inline]
fn test(words: &[u64; 2], id: u64) -> bool {
    let (word, mask) = bit(id);
    words.get(word).is_some_and(|w| w & mask != 0)
}

#[inline]
fn set(words: &mut [u64; 2], id: u64, on: bool) {
    let (word, mask) = bit(id);
    if let Some(w) = words.get_mut(word) {
        if on {
            *w |= mask;
        } else {
            *w &= !mask;
        }
    }
}

impl Ledger {
    /// Hands out the next id.
    #[inline]
    pub(crate) fn issue(&mut self) -> u64 {
        let id = self.next_id;
        if id >= TRACKED && !test(&self.done, id) && !test(&self.expired, id) {
            // The permit `id - TRACKED` leaves the ring still outstanding.
            self.untracked = self.untracked.saturating_add(1);
        }
        set(&mut self.done, id, false);
        set(&mut self.expired, id, false);
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// Marks `id` as recorded, or says why it cannot be.
    #[inline]
    pub(crate) fn claim(&mut self, id: u64) -> Result<Claim, PermitError> {
        if id >= self.next_id {
            return Err(PermitError::Unknown);
        }
        if self.next_id - id > TRACKED {
            return if self.untracked > 0 {
                self.untracked -= 1;
                Ok(Claim::Fresh)
            } else {
                Err(PermitError::Reused)
            };
        }
        if test(&self.done, id) {
            return Err(PermitError::Reused);
        }
        set(&mut self.done, id, true);
        Ok(if test(&self.expired, id) {
            Claim::Expired
        } else {
            Claim::Fresh
        })
    }

    /// Marks `id` as a probe whose lease ran out.
    pub(crate) fn expire(&mut self, id: u64) {
        if id < self.next_id && self.next_id - id <= TRACKED {
            set(&mut self.expired, id, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_record_is_reused() {
        let mut ledger = Ledger::default();
        let id = ledger.issue();
        assert_eq!(ledger.claim(id), Ok(Claim::Fresh));
        assert_eq!(ledger.claim(id), Err(PermitError::Reused));
    }

    #[test]
    fn ids_not_yet_issued_are_unknown() {
        let mut ledger = Ledger::default();
        assert_eq!(ledger.claim(0), Err(PermitError::Unknown));
        ledger.issue();
        assert_eq!(ledger.claim(1), Err(PermitError::Unknown));
    }

    #[test]
    fn expired_probe_is_late_once_then_reused() {
        let mut ledger = Ledger::default();
        let id = ledger.issue();
        ledger.expire(id);
        assert_eq!(ledger.claim(id), Ok(Claim::Expired));
        assert_eq!(ledger.claim(id), Err(PermitError::Reused));
    }

    #[test]
    fn old_outstanding_permits_still_count_once() {
        let mut ledger = Ledger::default();
        let old = ledger.issue();
        for _ in 0..300 {
            let id = ledger.issue();
            assert_eq!(ledger.claim(id), Ok(Claim::Fresh));
        }
        assert_eq!(ledger.claim(old), Ok(Claim::Fresh));
        assert_eq!(ledger.claim(old), Err(PermitError::Reused));
    }
}
