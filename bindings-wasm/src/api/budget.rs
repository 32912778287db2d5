//! Retry budgets: how many retries all calls together may send.
//!
//! Why: per-call attempt limits multiply load by the attempt count exactly
//! when the server is failing; a budget shared by every call of one
//! `createFetch` (or one `RetryBudget`) caps retries as a share of traffic.
//! The core's `RetryBudget` holds the ratio, token-bucket and quota families
//! behind one interface; this export forwards to it.
//!
//! ```text
//! budget(kind, values)   kind 0 ratio | 1 tokenBucket | 2 quota → handle or −1
//! budgetOp(h, op, now, arg)
//!   0 onRequest   1 onFailure
//!   2 tryRetry (arg: kind 0 other | 1 timeout | 2 throttling) → permit handle (scratch[0] = cost) or −1
//!   3 onSuccess (arg: permit handle or NONE; the permit is consumed)
//!   4 balance     5 metrics → scratch [deposits, withdrawals, rejections, balance]
//! ```
//!
//! Constraints: after construction every call is infallible and panic-free
//! (an unknown kind index counts as `other`).

use super::{Core, Slot};
use crate::error::{Error, Variant};
use crate::{clock, options};
use stormguard::budget::{RetryBudget, RetryBudgetOptions, RetryKind};

/// A retry kind from its index: `0` other, `1` timeout, `2` throttling
/// (anything else counts as other).
pub fn retry_kind(kind: u32) -> RetryKind {
    match kind {
        1 => RetryKind::Timeout,
        2 => RetryKind::Throttling,
        _ => RetryKind::Other,
    }
}

/// Budget options of `kind` from that kind's table values.
fn budget_options(kind: u32, values: &[f64]) -> Result<RetryBudgetOptions, Error> {
    Ok(match kind {
        0 => RetryBudgetOptions::Ratio(options::ratio("", values)),
        1 => RetryBudgetOptions::TokenBucket(options::token_bucket("", values)),
        2 => RetryBudgetOptions::Quota(options::quota("", values)?),
        _ => {
            return Err(
                Error::new(Variant::UnknownVariant, "type").with_reason("ratio|tokenBucket|quota")
            );
        }
    })
}

impl Core {
    /// A budget of `kind` (see the module docs).
    pub fn budget(&mut self, kind: u32, values: &[f64]) -> f64 {
        let made =
            budget_options(kind, values).and_then(|o| Ok(Slot::Budget(RetryBudget::new(&o)?)));
        self.create(made)
    }

    /// One budget operation (see the module docs); NaN for a wrong handle.
    pub fn budget_op(&mut self, handle: u32, op: u32, now_ms: f64, arg: u32) -> f64 {
        let now = clock::instant(now_ms);
        let permit = match op {
            3 => match self.take(arg) {
                Slot::Permit(permit) => Some(permit),
                other => {
                    self.restore(arg, other);
                    None
                }
            },
            _ => None,
        };
        let Some(Slot::Budget(b)) = self.slot(handle) else {
            return f64::NAN;
        };
        match op {
            0 => b.on_request(now),
            1 => b.on_failure(now),
            2 => {
                return match b.try_retry(now, retry_kind(arg)) {
                    Ok(permit) => {
                        let cost = permit.cost();
                        self.put(&[cost]);
                        self.insert(Slot::Permit(permit))
                    }
                    Err(_) => -1.0,
                };
            }
            3 => {
                b.on_success(now, permit);
                // The permit's slot was emptied by `take`: recycle it.
                if permit.is_some() {
                    self.free_list.push(arg);
                }
            }
            4 => return b.balance(now),
            5 => {
                let m = b.metrics(now);
                let numbers = [
                    m.deposits as f64,
                    m.withdrawals as f64,
                    m.rejections as f64,
                    m.balance,
                ];
                self.put(&numbers);
            }
            _ => return f64::NAN,
        }
        0.0
    }
}
