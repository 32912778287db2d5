//! Hierarchical breakers: a parent that is open rejects all its children.
//!
//! Why: per-endpoint breakers each need their own failures before they open,
//! so when a whole host (or Redis node, or origin) goes down every endpoint
//! pays its own `minimumCalls` of failures. Keeping a parent breaker per host
//! above the per-endpoint breakers in a [`Registry`] lets one open parent shed
//! load for all of its children at once.
//!
//! ```text
//!   host:api.example ── open ──► rejects /users, /orders, … without asking them
//!     ├── /users      (closed)
//!     └── /orders     (closed)
//! ```
//!
//! The host asks [`ancestors_admit`] before acquiring the child's permit, and
//! records each outcome into the child and (with the parent's own permit)
//! into the parent, so the parent's window sees the whole host's traffic.
//! A host that keeps its breakers outside a [`Registry`] (a binding whose
//! breakers live in host objects linked to their parents) applies the same
//! per-ancestor test, [`ancestor_admits`], walking its own links.
//!
//! Constraints: read-only on the ancestors (no state changes, no
//! allocation); the first ancestor that would not admit decides.

use super::{Breaker, Rejected};
use crate::registry::Registry;
use crate::time::{Duration, Instant};
use core::borrow::Borrow;

/// `Ok` when every ancestor of `key` (parent, grandparent, …; not `key`
/// itself) would admit a call at `now`; otherwise the nearest refusing
/// ancestor's rejection, with how long until it admits.
///
/// # Errors
/// [`Rejected`] from the nearest ancestor that would not admit a call.
pub fn ancestors_admit<K, Q>(
    registry: &Registry<K, Breaker>,
    key: &Q,
    now: Instant,
) -> Result<(), Rejected>
where
    K: Ord + Clone + Borrow<Q>,
    Q: Ord + ?Sized,
{
    for (_, ancestor) in registry.chain(key).skip(1) {
        ancestor_admits(ancestor, now)?;
    }
    Ok(())
}

/// `Ok` when `ancestor` would admit a call at `now`; otherwise its
/// rejection, with how long until it admits (`None` when forced open). The
/// test [`ancestors_admit`] applies to each ancestor, nearest first.
/// Read-only: nothing is counted, no state changes.
///
/// # Errors
/// [`Rejected`] when `ancestor` would not admit a call at `now`.
pub fn ancestor_admits(ancestor: &Breaker, now: Instant) -> Result<(), Rejected> {
    let admits_at = ancestor.admits_at();
    if admits_at.is_none_or(|at| at > now) {
        return Err(Rejected {
            state: ancestor.state(),
            retry_after: admits_at.map(|at| at - now),
        });
    }
    Ok(())
}

/// Time until `key` and all its ancestors would admit a call: zero when they
/// all admit now, `None` when one of them is forced open.
pub fn chain_admits_in<K, Q>(
    registry: &Registry<K, Breaker>,
    key: &Q,
    now: Instant,
) -> Option<Duration>
where
    K: Ord + Clone + Borrow<Q>,
    Q: Ord + ?Sized,
{
    let mut latest = now;
    for (_, breaker) in registry.chain(key) {
        latest = latest.max(breaker.admits_at()?);
    }
    Some(latest - now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{BreakerOptions, Outcome, State};
    use crate::registry::RegistryOptions;
    use alloc::string::{String, ToString};

    fn at(ms: u64) -> Instant {
        Instant::from_nanos(ms * 1_000_000)
    }

    fn trips_on_first_failure() -> Breaker {
        Breaker::new(&BreakerOptions {
            window_size: 1,
            minimum_calls: 1,
            open_duration_ms: 1_000.0,
            ..BreakerOptions::default()
        })
        .unwrap()
    }

    fn host_with_two_endpoints() -> Registry<String, Breaker> {
        let mut registry = Registry::new(&RegistryOptions::default()).unwrap();
        registry.get_or_insert_with("host".to_string(), trips_on_first_failure);
        for endpoint in ["host/users", "host/orders"] {
            registry
                .get_or_insert_child_with(endpoint.to_string(), "host", trips_on_first_failure)
                .unwrap();
        }
        registry
    }

    #[test]
    fn an_open_parent_rejects_every_child_with_its_retry_after() {
        let mut registry = host_with_two_endpoints();
        let host = registry.get_mut("host").unwrap();
        let permit = host.try_acquire(at(0)).unwrap();
        host.record(at(0), permit, Outcome::failure()).unwrap();
        assert_eq!(host.state(), State::Open);

        for endpoint in ["host/users", "host/orders"] {
            let rejected = ancestors_admit(&registry, endpoint, at(400)).unwrap_err();
            assert_eq!(rejected.state, State::Open);
            assert_eq!(
                rejected.retry_after,
                Some(Duration::from_nanos(600_000_001))
            );
            // The children themselves are untouched and closed.
            assert_eq!(registry.peek(endpoint).unwrap().state(), State::Closed);
        }
        assert_eq!(
            chain_admits_in(&registry, "host/users", at(400)),
            Some(Duration::from_nanos(600_000_001))
        );
        // Strictly after the parent's deadline the children are admitted again.
        assert!(ancestors_admit(&registry, "host/users", at(1_001)).is_ok());
    }

    #[test]
    fn a_closed_parent_lets_children_decide_for_themselves() {
        let mut registry = host_with_two_endpoints();
        let users = registry.get_mut("host/users").unwrap();
        let permit = users.try_acquire(at(0)).unwrap();
        users.record(at(0), permit, Outcome::failure()).unwrap();
        assert!(ancestors_admit(&registry, "host/users", at(1)).is_ok());
        assert!(ancestors_admit(&registry, "host/orders", at(1)).is_ok());
        assert_eq!(
            chain_admits_in(&registry, "host/orders", at(1)),
            Some(Duration::ZERO)
        );
        assert!(
            chain_admits_in(&registry, "host/users", at(1)).is_some_and(|d| d > Duration::ZERO)
        );
    }

    #[test]
    fn one_ancestor_is_tested_without_a_registry_and_without_changes() {
        let mut parent = trips_on_first_failure();
        assert!(ancestor_admits(&parent, at(0)).is_ok());
        let permit = parent.try_acquire(at(0)).unwrap();
        parent.record(at(0), permit, Outcome::failure()).unwrap();
        let before = parent.clone();
        let rejected = ancestor_admits(&parent, at(400)).unwrap_err();
        assert_eq!(rejected.state, State::Open);
        assert_eq!(
            rejected.retry_after,
            Some(Duration::from_nanos(600_000_001))
        );
        assert_eq!(parent, before, "asking changes nothing, counts nothing");
        assert!(ancestor_admits(&parent, at(1_001)).is_ok());
        parent.force_open(at(2_000));
        assert_eq!(
            ancestor_admits(&parent, at(2_001)).unwrap_err().retry_after,
            None
        );
    }

    #[test]
    fn a_forced_open_parent_admits_nothing_until_a_manual_change() {
        let mut registry = host_with_two_endpoints();
        registry.get_mut("host").unwrap().force_open(at(0));
        let rejected = ancestors_admit(&registry, "host/users", at(5)).unwrap_err();
        assert_eq!(rejected.retry_after, None);
        assert_eq!(chain_admits_in(&registry, "host/users", at(5)), None);
    }
}
