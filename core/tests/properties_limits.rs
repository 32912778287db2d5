#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Properties of the bulkhead and the registry for arbitrary call sequences,
//! each checked against a small, obviously-correct model built from `Vec`s.

use proptest::prelude::*;
use stormguard::Instant;
use stormguard::bulkhead::{
    Admission, Bulkhead, BulkheadError, BulkheadOptions, BulkheadPermit, QueueTicket,
};
use stormguard::registry::{Registry, RegistryError, RegistryOptions};

// ------------------------------------------------------------------ bulkhead

#[derive(Clone, Debug)]
enum BulkheadOp {
    Enter { now: u64 },
    Release { now: u64, pick: usize },
    Claim { pick: usize },
    Cancel { now: u64, pick: usize },
    HandleTimeout { now: u64 },
}

fn bulkhead_op() -> impl Strategy<Value = BulkheadOp> {
    // Times in ms, in a small range so that waits expire and clocks step back.
    let now = 0u64..40;
    prop_oneof![
        3 => now.clone().prop_map(|now| BulkheadOp::Enter { now }),
        3 => (now.clone(), any::<usize>()).prop_map(|(now, pick)| BulkheadOp::Release { now, pick }),
        2 => any::<usize>().prop_map(|pick| BulkheadOp::Claim { pick }),
        1 => (now.clone(), any::<usize>()).prop_map(|(now, pick)| BulkheadOp::Cancel { now, pick }),
        1 => now.prop_map(|now| BulkheadOp::HandleTimeout { now }),
    ]
}

/// The documented behaviour, written the slow and obvious way.
struct BulkheadModel {
    max_concurrent: usize,
    max_queued: usize,
    wait_ms: Option<u64>,
    latest: u64,
    held: Vec<u64>,
    granted: Vec<u64>,
    queue: Vec<(u64, u64)>,
}

impl BulkheadModel {
    fn observe(&mut self, now: u64) -> u64 {
        self.latest = self.latest.max(now);
        self.latest
    }

    fn expired(&self, enqueued: u64, now: u64) -> bool {
        self.wait_ms.is_some_and(|w| enqueued + w <= now)
    }

    /// The ticket the next hand-over goes to, removing it from the queue.
    fn pass_on(&mut self, now: u64) -> Option<u64> {
        let index = self
            .queue
            .iter()
            .position(|&(_, at)| !self.expired(at, now))?;
        let (ticket, _) = self.queue.remove(index);
        self.granted.push(ticket);
        Some(ticket)
    }
}

fn ms(value: u64) -> Instant {
    Instant::from_nanos(value * 1_000_000)
}

/// Picks an id: mostly one seen before (live or stale), sometimes any number.
fn pick(pool: &[u64], pick: usize) -> u64 {
    if pool.is_empty() || pick.is_multiple_of(8) {
        (pick as u64) >> 3
    } else {
        pool[pick % pool.len()]
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn bulkhead_agrees_with_a_model_and_keeps_its_bounds(
        max_concurrent in 1u32..4,
        max_queued in 0u32..4,
        wait_ms in proptest::option::of(0u64..15),
        ops in proptest::collection::vec(bulkhead_op(), 0..80),
    ) {
        let mut bulkhead = Bulkhead::new(&BulkheadOptions {
            max_concurrent,
            max_queued,
            max_queue_wait_ms: wait_ms.map(|w| w as f64),
        }).unwrap();
        let mut model = BulkheadModel {
            max_concurrent: max_concurrent as usize,
            max_queued: max_queued as usize,
            wait_ms,
            latest: 0,
            held: Vec::new(),
            granted: Vec::new(),
            queue: Vec::new(),
        };
        let mut permits_seen: Vec<u64> = Vec::new();
        let mut tickets_seen: Vec<u64> = Vec::new();
        let mut enters = 0u64;

        for op in ops {
            match op {
                BulkheadOp::Enter { now } => {
                    enters += 1;
                    let now_model = model.observe(now);
                    match bulkhead.try_enter(ms(now)) {
                        Admission::Admitted(permit) => {
                            prop_assert!(model.held.len() + model.granted.len() < model.max_concurrent);
                            prop_assert!(!model.held.contains(&permit.id()), "permit ids are unique among live permits");
                            prop_assert!(permit.id() < 1 << 53);
                            model.held.push(permit.id());
                            permits_seen.push(permit.id());
                        }
                        Admission::Queued(ticket) => {
                            prop_assert_eq!(model.held.len() + model.granted.len(), model.max_concurrent);
                            prop_assert!(model.queue.len() < model.max_queued);
                            prop_assert!(model.queue.iter().all(|&(t, _)| t < ticket.id()), "tickets increase");
                            model.queue.push((ticket.id(), now_model));
                            tickets_seen.push(ticket.id());
                        }
                        Admission::Rejected { .. } => {
                            prop_assert_eq!(model.held.len() + model.granted.len(), model.max_concurrent);
                            prop_assert_eq!(model.queue.len(), model.max_queued);
                        }
                    }
                }
                BulkheadOp::Release { now, pick: p } => {
                    let id = pick(&permits_seen, p);
                    let now_model = model.observe(now);
                    let result = bulkhead.release(ms(now), BulkheadPermit::from_id(id));
                    match model.held.iter().position(|&h| h == id) {
                        Some(index) => {
                            model.held.remove(index);
                            let expected = model.pass_on(now_model);
                            prop_assert_eq!(result, Ok(expected.map(QueueTicket::from_id)));
                        }
                        None => prop_assert_eq!(result, Err(BulkheadError::UnknownPermit { permit: id })),
                    }
                }
                BulkheadOp::Claim { pick: p } => {
                    let id = pick(&tickets_seen, p);
                    let result = bulkhead.claim(QueueTicket::from_id(id));
                    if let Some(index) = model.granted.iter().position(|&g| g == id) {
                        model.granted.remove(index);
                        let permit = result.unwrap().id();
                        prop_assert!(!model.held.contains(&permit));
                        model.held.push(permit);
                        permits_seen.push(permit);
                    } else if model.queue.iter().any(|&(t, _)| t == id) {
                        prop_assert_eq!(result, Err(BulkheadError::NotGranted { ticket: id }));
                    } else {
                        prop_assert_eq!(result, Err(BulkheadError::UnknownTicket { ticket: id }));
                    }
                }
                BulkheadOp::Cancel { now, pick: p } => {
                    let id = pick(&tickets_seen, p);
                    let now_model = model.observe(now);
                    let result = bulkhead.cancel(ms(now), QueueTicket::from_id(id));
                    if let Some(index) = model.queue.iter().position(|&(t, _)| t == id) {
                        model.queue.remove(index);
                        prop_assert_eq!(result, Ok(None));
                    } else if let Some(index) = model.granted.iter().position(|&g| g == id) {
                        model.granted.remove(index);
                        let expected = model.pass_on(now_model);
                        prop_assert_eq!(result, Ok(expected.map(QueueTicket::from_id)));
                    } else {
                        prop_assert_eq!(result, Err(BulkheadError::UnknownTicket { ticket: id }));
                    }
                }
                BulkheadOp::HandleTimeout { now } => {
                    let now_model = model.observe(now);
                    let expected = match model.queue.first() {
                        Some(&(ticket, at)) if model.expired(at, now_model) => {
                            model.queue.remove(0);
                            Some(QueueTicket::from_id(ticket))
                        }
                        _ => None,
                    };
                    prop_assert_eq!(bulkhead.handle_timeout(ms(now)), expected);
                }
            }

            let m = bulkhead.metrics();
            prop_assert!(m.active <= max_concurrent);
            prop_assert!(m.queued <= max_queued);
            prop_assert!(m.peak_active <= max_concurrent && m.peak_queued <= max_queued);
            prop_assert_eq!(m.active as usize, model.held.len() + model.granted.len());
            prop_assert_eq!(m.awaiting_claim as usize, model.granted.len());
            prop_assert_eq!(m.queued as usize, model.queue.len());
            prop_assert_eq!(
                enters,
                m.admitted + m.rejected + m.cancelled + m.timed_out + u64::from(m.queued),
                "every call is admitted, rejected, cancelled, timed out or still queued"
            );
            let expected_poll = match (wait_ms, model.queue.first()) {
                (Some(w), Some(&(_, at))) => Some(ms(at + w)),
                _ => None,
            };
            prop_assert_eq!(bulkhead.poll_timeout(), expected_poll);
            // No free slot while a live waiter is queued.
            if (m.active as usize) < model.max_concurrent {
                prop_assert!(model.queue.iter().all(|&(_, at)| model.expired(at, model.latest)));
            }
        }
    }

    #[test]
    fn bulkhead_never_panics_on_any_ids_or_times(
        max_concurrent in 1u32..3,
        max_queued in 0u32..3,
        wait in proptest::option::of(0.0f64..1e12),
        calls in proptest::collection::vec((0u8..5, any::<u64>(), any::<u64>()), 0..60),
    ) {
        let mut bulkhead = Bulkhead::new(&BulkheadOptions {
            max_concurrent,
            max_queued,
            max_queue_wait_ms: wait,
        }).unwrap();
        for (kind, now, id) in calls {
            let now = Instant::from_nanos(now);
            match kind {
                0 => { let _ = bulkhead.try_enter(now); }
                1 => { let _ = bulkhead.release(now, BulkheadPermit::from_id(id)); }
                2 => { let _ = bulkhead.claim(QueueTicket::from_id(id)); }
                3 => { let _ = bulkhead.cancel(now, QueueTicket::from_id(id)); }
                _ => { bulkhead.handle_timeout(now); }
            }
            let m = bulkhead.metrics();
            prop_assert!(m.active <= max_concurrent && m.queued <= max_queued);
        }
    }
}

// ------------------------------------------------------------------ registry

#[derive(Clone, Debug)]
enum RegistryOp {
    Insert { key: u8, value: u32 },
    InsertChild { key: u8, parent: u8, value: u32 },
    Get { key: u8 },
    Set { key: u8, value: u32 },
    Peek { key: u8 },
    Remove { key: u8 },
    PopLru,
    Chain { key: u8 },
}

fn registry_op() -> impl Strategy<Value = RegistryOp> {
    let key = 0u8..10;
    prop_oneof![
        4 => (key.clone(), any::<u32>()).prop_map(|(key, value)| RegistryOp::Insert { key, value }),
        3 => (key.clone(), key.clone(), any::<u32>())
            .prop_map(|(key, parent, value)| RegistryOp::InsertChild { key, parent, value }),
        2 => key.clone().prop_map(|key| RegistryOp::Get { key }),
        1 => (key.clone(), any::<u32>()).prop_map(|(key, value)| RegistryOp::Set { key, value }),
        1 => key.clone().prop_map(|key| RegistryOp::Peek { key }),
        2 => key.clone().prop_map(|key| RegistryOp::Remove { key }),
        1 => Just(RegistryOp::PopLru),
        1 => key.prop_map(|key| RegistryOp::Chain { key }),
    ]
}

/// A `Vec` in recency order (most recent first) of `(key, value, parent)`.
struct RegistryModel {
    capacity: usize,
    entries: Vec<(u8, u32, Option<u8>)>,
}

impl RegistryModel {
    fn find(&self, key: u8) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == key)
    }

    fn chain(&self, key: u8) -> Vec<u8> {
        let mut out = Vec::new();
        let mut current = self.find(key);
        while let Some(index) = current {
            let (k, _, parent) = self.entries[index];
            out.push(k);
            current = parent.and_then(|p| self.find(p));
        }
        out
    }

    fn touch(&mut self, key: u8) {
        for k in self.chain(key) {
            let index = self.find(k).unwrap();
            let entry = self.entries.remove(index);
            self.entries.insert(0, entry);
        }
    }

    fn children(&self, key: u8) -> usize {
        self.entries.iter().filter(|e| e.2 == Some(key)).count()
    }

    fn evict(&mut self, protect: &[u8]) -> Option<(u8, u32)> {
        let index = (0..self.entries.len()).rev().find(|&i| {
            let key = self.entries[i].0;
            self.children(key) == 0 && !protect.contains(&key)
        })?;
        let (k, v, _) = self.entries.remove(index);
        Some((k, v))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn registry_agrees_with_a_vec_lru_model(
        capacity in 1u32..6,
        ops in proptest::collection::vec(registry_op(), 0..120),
    ) {
        let mut registry: Registry<u8, u32> =
            Registry::new(&RegistryOptions { max_keys: capacity }).unwrap();
        let mut model = RegistryModel { capacity: capacity as usize, entries: Vec::new() };

        for op in ops {
            match op {
                RegistryOp::Insert { key, value } => {
                    let (got, evicted) = registry.get_or_insert_with(key, || value);
                    let got = *got;
                    let expected = match model.find(key) {
                        Some(index) => {
                            let existing = model.entries[index].1;
                            model.touch(key);
                            (existing, None)
                        }
                        None => {
                            let evicted = if model.entries.len() >= model.capacity {
                                model.evict(&[])
                            } else {
                                None
                            };
                            model.entries.insert(0, (key, value, None));
                            (value, evicted)
                        }
                    };
                    prop_assert_eq!((got, evicted), expected);
                }
                RegistryOp::InsertChild { key, parent, value } => {
                    let result = registry
                        .get_or_insert_child_with(key, &parent, || value)
                        .map(|(v, evicted)| (*v, evicted));
                    let expected = if model.find(parent).is_none() {
                        Err(RegistryError::UnknownParent)
                    } else if let Some(index) = model.find(key) {
                        if model.entries[index].2 == Some(parent) {
                            let existing = model.entries[index].1;
                            model.touch(key);
                            Ok((existing, None))
                        } else {
                            Err(RegistryError::ParentMismatch)
                        }
                    } else if model.entries.len() >= model.capacity {
                        let chain = model.chain(parent);
                        if chain.len() >= model.entries.len() {
                            Err(RegistryError::NoEvictableEntry)
                        } else {
                            model.touch(parent);
                            let evicted = model.evict(&chain);
                            prop_assert!(evicted.is_some());
                            model.entries.insert(0, (key, value, Some(parent)));
                            model.touch(key);
                            Ok((value, evicted))
                        }
                    } else {
                        model.entries.insert(0, (key, value, Some(parent)));
                        model.touch(key);
                        Ok((value, None))
                    };
                    prop_assert_eq!(result, expected);
                }
                RegistryOp::Get { key } => {
                    let expected = model.find(key).map(|i| model.entries[i].1);
                    if expected.is_some() {
                        model.touch(key);
                    }
                    prop_assert_eq!(registry.get(&key).copied(), expected);
                }
                RegistryOp::Set { key, value } => {
                    let found = model.find(key);
                    if let Some(index) = found {
                        model.entries[index].1 = value;
                        model.touch(key);
                    }
                    match registry.get_mut(&key) {
                        Some(slot) => {
                            prop_assert!(found.is_some());
                            *slot = value;
                        }
                        None => prop_assert!(found.is_none()),
                    }
                }
                RegistryOp::Peek { key } => {
                    let expected = model.find(key).map(|i| model.entries[i].1);
                    prop_assert_eq!(registry.peek(&key).copied(), expected);
                }
                RegistryOp::Remove { key } => {
                    let expected = match model.find(key) {
                        None => Ok(None),
                        Some(_) if model.children(key) > 0 => Err(RegistryError::HasChildren {
                            children: model.children(key) as u32,
                        }),
                        Some(index) => Ok(Some(model.entries.remove(index).1)),
                    };
                    prop_assert_eq!(registry.remove(&key), expected);
                }
                RegistryOp::PopLru => {
                    prop_assert_eq!(registry.pop_lru(), model.evict(&[]));
                }
                RegistryOp::Chain { key } => {
                    let got: Vec<u8> = registry.chain(&key).map(|(k, _)| *k).collect();
                    prop_assert_eq!(got, model.chain(key));
                }
            }

            prop_assert!(registry.len() <= registry.capacity());
            prop_assert_eq!(registry.len(), model.entries.len());
            let got: Vec<(u8, u32)> = registry.iter().map(|(k, v)| (*k, *v)).collect();
            let want: Vec<(u8, u32)> = model.entries.iter().map(|e| (e.0, e.1)).collect();
            prop_assert_eq!(&got, &want);
            let mut backwards: Vec<(u8, u32)> = registry.iter().rev().map(|(k, v)| (*k, *v)).collect();
            backwards.reverse();
            prop_assert_eq!(&backwards, &want);
            for &(key, _, parent) in &model.entries {
                prop_assert_eq!(registry.parent(&key).copied(), parent);
                prop_assert_eq!(registry.child_count(&key), Some(model.children(key) as u32));
            }
        }
    }
}
