//! Policy: one decision per failed attempt (retry after D, or give up and
//! say why), composed by the core.
//!
//! Why: attempts, deadline, classification, backoff, `Retry-After`, the
//! breaker and the retry budget must be consulted in one fixed order (the
//! budget last, so a retry another rule forbids never spends it); the
//! core's `Policy` does exactly that. The JS layer only reads the clocks,
//! draws `u`, sleeps the delay and runs the attempt.
//!
//! ```text
//! policy(values, backoff, retryAfter, adaptive) → handle or −1 (adaptive empty = off)
//! start(p, now, budget)                          → execution handle (deposits into budget)
//! succeed(p, exec, now, budget)
//! decide(p, exec, now, classifier, statusOrClass, method, flags, hintMs, u, budget, breakers, key)
//!   classifier NONE: statusOrClass is a FailureClass index (FAILURE_CLASSES in js/tables.js), the host classified it
//!   else: status (< 0 = no response) and method, classified by the core
//!   flags: bit 0 idempotency key, 1 reached the server, 2 timed out, bits 4–5 retry kind (host-classified)
//!   → delay ms (≥ 0) to retry, or −1 to give up (execInfo says why)
//! execInfo(exec) → attempts; scratch [giveUpMs, remainingMs, give-up code (GIVE_UP_CODES index,
//!   −1 while retrying)]; text(0) not-retriable reason
//! ```
//!
//! `giveUpMs` by code: `retry_after_too_long` → requested wait; `deadline`
//! → wait needed; `breaker_open` → time until the breaker admits a call;
//! otherwise NaN. `remainingMs`: for a `deadline` give-up, the time left.
//!
//! Constraints: every call after construction is panic-free and
//! infallible; NONE stands for "no budget", "no breakers".

use super::budget::retry_kind;
use super::classify::outcome;
use super::{Core, Slot};
use crate::api::latin1;
use crate::error::Error;
use crate::{clock, options};
use alloc::boxed::Box;
use stormguard::budget::RetryKind;
use stormguard::classify::{Classification, FailureClass};
use stormguard::policy::{Decision, Failure, GiveUp, Guards, Policy, PolicyOptions};

/// The failure classes, by the index `decide` takes (the order of
/// `FAILURE_CLASSES` in js/tables.js).
pub const CLASS_VALUES: [FailureClass; 6] = FailureClass::ALL;

/// A policy slot from the tables' values.
fn policy(
    values: &[f64],
    backoff: &[f64],
    retry_after: &[f64],
    adaptive: &[f64],
) -> Result<Slot, Error> {
    let mut parsed = PolicyOptions::default();
    options::policy(&mut parsed, values, backoff, retry_after, adaptive)?;
    // The core names nested fields without their struct (`baseMs`); the JS
    // layer finds the table that has the name (`backoff.baseMs`).
    let policy = Policy::new(&parsed)?;
    Ok(Slot::Policy(Box::new(policy)))
}

impl Core {
    /// A retry policy from the `policy` table's values and the nested
    /// `backoff`, `retryAfter` and `adaptive` tables'.
    pub fn policy(
        &mut self,
        values: &[f64],
        backoff: &[f64],
        retry_after: &[f64],
        adaptive: &[f64],
    ) -> f64 {
        let made = policy(values, backoff, retry_after, adaptive);
        self.create(made)
    }

    /// Starts an operation of policy `p` (its first attempt begins at
    /// `now_ms`), depositing into `budget`: the execution's handle (NaN for
    /// a wrong policy handle).
    pub fn start(&mut self, p: u32, now_ms: f64, budget: u32) -> f64 {
        let mut b = self.take(budget);
        let exec = match (self.slot(p), &mut b) {
            (Some(Slot::Policy(policy)), b) => {
                let budget = match b {
                    Slot::Budget(b) => Some(b),
                    _ => None,
                };
                Some(policy.start(clock::instant(now_ms), budget))
            }
            _ => None,
        };
        self.restore(budget, b);
        exec.map_or(f64::NAN, |e| self.insert(Slot::Execution(e, None)))
    }

    /// The current attempt of `exec` succeeded: the operation is done.
    pub fn succeed(&mut self, p: u32, exec: u32, now_ms: f64, budget: u32) {
        let mut e = self.take(exec);
        let mut b = self.take(budget);
        if let (Some(Slot::Policy(policy)), Slot::Execution(e, _)) = (self.slot(p), &mut e) {
            let budget = match &mut b {
                Slot::Budget(b) => Some(b),
                _ => None,
            };
            policy.on_success(e, clock::instant(now_ms), budget);
        }
        self.restore(budget, b);
        self.restore(exec, e);
    }

    /// The current attempt of `exec` failed (see the module docs).
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &mut self,
        p: u32,
        exec: u32,
        now_ms: f64,
        classifier: u32,
        status_or_class: f64,
        method: &[u8],
        flags: u32,
        hint_ms: f64,
        u: f64,
        budget: u32,
        breakers: u32,
        key: u32,
    ) -> f64 {
        let mut policy = self.take(p);
        let mut e = self.take(exec);
        let mut b = self.take(budget);
        let failure = match self.slots.get(classifier as usize) {
            Some(Slot::Classifier(c)) => {
                let method = latin1(method);
                let classification = c.classify(&outcome(status_or_class, &method, flags));
                let kind = if flags & 4 != 0 {
                    RetryKind::Timeout
                } else if classification.class == FailureClass::RetriableAfterDelay {
                    RetryKind::Throttling
                } else {
                    RetryKind::Other
                };
                Failure::classified(classification).with_kind(kind)
            }
            _ => {
                let class = CLASS_VALUES
                    .get(status_or_class as usize)
                    .map_or(FailureClass::NotRetriable, |&c| c);
                let classification = Classification::new(class, "host_classified");
                Failure::classified(classification).with_kind(retry_kind((flags >> 4) & 3))
            }
        };
        let failure = if hint_ms.is_nan() {
            failure
        } else {
            failure.with_retry_after(clock::duration(hint_ms))
        };
        let breaker = match self.slots.get(breakers as usize) {
            Some(Slot::Breakers(r)) => r.peek(key),
            _ => None,
        };
        let delay = match (&mut policy, &mut e) {
            (Slot::Policy(policy), Slot::Execution(e, give_up)) => {
                let guards = Guards {
                    budget: match &mut b {
                        Slot::Budget(b) => Some(b),
                        _ => None,
                    },
                    breaker,
                };
                match policy.on_failure(e, clock::instant(now_ms), &failure, u, guards) {
                    Decision::Retry { delay, .. } => {
                        *give_up = None;
                        clock::millis(delay)
                    }
                    Decision::GiveUp(g) => {
                        *give_up = Some(g);
                        -1.0
                    }
                }
            }
            _ => f64::NAN,
        };
        self.restore(budget, b);
        self.restore(exec, e);
        self.restore(p, policy);
        delay
    }

    /// Attempts made so far by `exec` (the current one included), and its
    /// last give-up (see the module docs); NaN for a wrong handle.
    pub fn exec_info(&mut self, exec: u32) -> f64 {
        let Some(Slot::Execution(e, give_up)) = self.slot(exec) else {
            return f64::NAN;
        };
        let attempts = f64::from(e.attempts());
        let give_up = *give_up;
        let (ms, remaining) = match give_up {
            Some(GiveUp::RetryAfterTooLong { requested }) => (clock::millis(requested), f64::NAN),
            Some(GiveUp::Deadline { needed, remaining }) => {
                (clock::millis(needed), clock::millis(remaining))
            }
            Some(GiveUp::BreakerOpen { retry_after }) => (clock::millis(retry_after), f64::NAN),
            _ => (f64::NAN, f64::NAN),
        };
        let reason = match give_up {
            Some(GiveUp::NotRetriable { reason }) => reason,
            _ => "",
        };
        self.texts = [reason, "", ""];
        self.put(&[ms, remaining, give_up.map_or(-1.0, |g| g.index() as f64)]);
        attempts
    }
}
