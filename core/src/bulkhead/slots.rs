//! The slot table: which of the `maxConcurrent` slots are free, held by a
//! permit, or handed to a waiter that has not claimed yet.
//!
//! Why a table rather than a counter: a counter cannot tell a second release
//! of the same permit from the release of another one, so a double release
//! silently lets one call too many in. Each slot instead remembers the id of
//! the permit occupying it:
//!
//! ```text
//! permit id = generation × maxConcurrent + slot      (generation ≥ 1, id < 2⁵³)
//! slot      = id mod maxConcurrent                   → O(1) lookup
//!
//!           admit                 vacate               free
//!   Free ─────────────▶ Held ───────────▶ (vacated) ─────────▶ Free
//!                        ▲                    │ hand_over(ticket)
//!                  claim │                    ▼
//!                        └──────────── Granted{ticket}
//! ```
//!
//! Each occupation bumps the slot's generation, so a stale id never matches
//! the slot's current permit. Free slots are reused oldest-first, spreading
//! generations over all slots so ids stay far below 2⁵³.
//!
//! Constraints: every buffer is allocated in [`SlotTable::new`] with its final
//! capacity; nothing here allocates, panics or indexes out of bounds later.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// Largest id handed out: 2⁵³ − 1, the last integer a double holds exactly.
const MAX_ID: u64 = (1 << 53) - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SlotState {
    Free,
    Held,
    /// Handed to a waiter (by its ticket id), which has not claimed it yet.
    Granted,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// The id of the current (or last) permit in this slot.
    permit: u64,
    /// How many times this slot has been occupied (wraps to 1 before the id
    /// would exceed 2⁵³ − 1).
    generation: u64,
    state: SlotState,
}

/// Fixed-size slot table with a FIFO free list and the pending hand-overs.
#[derive(Clone, Debug)]
pub(super) struct SlotTable {
    slots: Vec<Slot>,
    /// Free slot indices, oldest-freed first.
    free: VecDeque<u32>,
    /// Pending hand-overs `(ticket id, slot)`, sorted by ticket id.
    grants: Vec<(u64, u32)>,
}

impl SlotTable {
    /// A table of `size` free slots (`size ≥ 1`, validated by the caller).
    pub(super) fn new(size: u32) -> Self {
        let empty = Slot {
            permit: 0,
            generation: 0,
            state: SlotState::Free,
        };
        let len = size as usize;
        let mut slots = Vec::with_capacity(len);
        slots.resize(len, empty);
        let mut free = VecDeque::with_capacity(len);
        free.extend(0..size);
        Self {
            slots,
            free,
            grants: Vec::with_capacity(len),
        }
    }

    /// Slots not free (held or granted).
    pub(super) fn active(&self) -> u32 {
        (self.slots.len() - self.free.len()) as u32
    }

    /// Slots granted to a waiter that has not claimed yet.
    pub(super) fn awaiting_claim(&self) -> u32 {
        self.grants.len() as u32
    }

    /// Takes the oldest free slot for a new permit, or `None` when all are taken.
    pub(super) fn admit(&mut self) -> Option<u64> {
        let slot = self.free.pop_front()?;
        Some(self.occupy(slot, SlotState::Held))
    }

    /// If `permit` is held, returns its slot, still counted as taken: the
    /// caller then either [`free`](Self::free)s it or
    /// [`hand_over`](Self::hand_over)s it.
    pub(super) fn vacate(&mut self, permit: u64) -> Option<u32> {
        let size = self.slots.len() as u64;
        let index = u32::try_from(permit.checked_rem(size)?).ok()?;
        let slot = self.slots.get(index as usize)?;
        (slot.state == SlotState::Held && slot.permit == permit).then_some(index)
    }

    /// Returns a vacated slot to the free list.
    pub(super) fn free(&mut self, index: u32) {
        if let Some(slot) = self.slots.get_mut(index as usize)
            && slot.state != SlotState::Free
        {
            slot.state = SlotState::Free;
            self.free.push_back(index);
        }
    }

    /// Gives a vacated slot to the waiter holding `ticket`, under a new permit id
    /// that [`claim`](Self::claim) reveals.
    pub(super) fn hand_over(&mut self, index: u32, ticket: u64) {
        self.occupy(index, SlotState::Granted);
        let at = self.grants.partition_point(|&(t, _)| t < ticket);
        // Within capacity: each grant holds a distinct slot.
        self.grants.insert(at, (ticket, index));
    }

    /// Whether `ticket` was handed a slot and has not claimed it yet.
    pub(super) fn is_granted(&self, ticket: u64) -> bool {
        self.find_grant(ticket).is_some()
    }

    /// Turns the slot handed to `ticket` into a held permit.
    pub(super) fn claim(&mut self, ticket: u64) -> Option<u64> {
        let at = self.find_grant(ticket)?;
        let (_, index) = self.grants.remove(at);
        let slot = self.slots.get_mut(index as usize)?;
        slot.state = SlotState::Held;
        Some(slot.permit)
    }

    /// Takes back the slot handed to `ticket` (its waiter gave up); the slot
    /// stays taken until the caller frees or hands it over again.
    pub(super) fn withdraw(&mut self, ticket: u64) -> Option<u32> {
        let at = self.find_grant(ticket)?;
        let (_, index) = self.grants.remove(at);
        Some(index)
    }

    fn find_grant(&self, ticket: u64) -> Option<usize> {
        self.grants.binary_search_by_key(&ticket, |&(t, _)| t).ok()
    }

    /// Puts a new permit id into slot `index` and sets its state.
    fn occupy(&mut self, index: u32, state: SlotState) -> u64 {
        let size = self.slots.len() as u64;
        let Some(slot) = self.slots.get_mut(index as usize) else {
            return 0;
        };
        let mut generation = slot.generation.saturating_add(1);
        let mut id = generation
            .checked_mul(size)
            .and_then(|base| base.checked_add(u64::from(index)))
            .unwrap_or(u64::MAX);
        if id > MAX_ID {
            generation = 1;
            id = size + u64::from(index);
        }
        slot.generation = generation;
        slot.permit = id;
        slot.state = state;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_slot_gets_a_new_id() {
        let mut table = SlotTable::new(1);
        let first = table.admit().unwrap();
        let slot = table.vacate(first).unwrap();
        table.free(slot);
        let second = table.admit().unwrap();
        assert_ne!(first, second);
        assert_eq!(table.vacate(first), None);
        assert_eq!(table.vacate(second), Some(0));
    }

    #[test]
    fn ids_wrap_before_leaving_the_exact_double_range() {
        let mut table = SlotTable::new(3);
        if let Some(slot) = table.slots.get_mut(2) {
            slot.generation = MAX_ID / 3;
        }
        table.free.clear();
        table.free.push_back(2);
        let id = table.admit().unwrap();
        assert!(id <= MAX_ID);
        assert_eq!(id % 3, 2);
        assert_eq!(table.vacate(id), Some(2));
    }

    #[test]
    fn freeing_twice_does_not_duplicate_a_free_slot() {
        let mut table = SlotTable::new(2);
        let id = table.admit().unwrap();
        let slot = table.vacate(id).unwrap();
        table.free(slot);
        table.free(slot);
        assert_eq!(table.active(), 0);
        assert_eq!(table.free.len(), 2);
    }
}
