//! Ratio budget: at most `retryPercent` % of recent requests may be retried,
//! plus a reserve for quiet clients (Finagle `RetryBudget`, tower
//! `TpsBudget`).
//!
//! ## Why
//!
//! A budget proportional to traffic keeps retries a small, fixed share of the
//! load whatever the failure rate, and the reserve (`minRetriesPerSecond`
//! over the ttl) lets a client that has just started, or sends little, still
//! retry.
//!
//! ## Formula
//!
//! Time is cut into [`RATIO_SLOTS`] = 10 slots of `ttlMs / 10`, aligned on the
//! epoch (slot `k` covers `[k·w, (k+1)·w)`). Each slot holds a signed net
//! count of units (thousandths of a percent of a retry):
//!
//! ```text
//!   deposit        current slot += round(retryPercent × 1000)
//!   try_withdraw   ok ⇔ Σ live slots + reserve ≥ 100 000     (one retry)
//!                  if ok: current slot −= 100 000
//!   reserve        = round(minRetriesPerSecond × ttlMs × 100) (= min/s × ttl s × 100 000)
//!   balance        = ⌊max(0, Σ live slots + reserve) / 100 000⌋ whole retries
//!   live slots     the current slot and the 9 before it: a deposit or a
//!                  withdrawal made in slot k stops counting when slot k + 10
//!                  starts, i.e. after between 0.9 × ttl and ttl
//! ```
//!
//! Withdrawals are debits that expire like deposits (as in Finagle), so at
//! every granted retry: retries in the window ≤ reserve + percent × deposits
//! in the window. A debit can outlive the deposits that paid for it; the net
//! is then negative and new deposits repay it first, but the reported balance
//! never drops below zero.
//!
//! Every slot that elapsed since the last call is cleared on the next call,
//! however long the idle period (cockatiel #64 kept stale buckets), and a
//! `now` earlier than one already seen is clamped, so a backwards clock step
//! neither evicts nor resurrects deposits.
//!
//! Deviations: tower and Finagle truncate `1 / percent`, so 60 % behaves as
//! 100 % (tower #857); here every percent with up to three decimals is exact.
//! Finagle truncates the ttl to whole seconds for the reserve and accepts
//! 1–60 s; here the reserve uses the exact ttl and `ttlMs` may be 1 ms – 1 h.
//! Slots are aligned on the epoch instead of on the last expiry, so windows
//! do not drift.
//!
//! ## Constraints
//!
//! `deposit` and `try_withdraw` are allocation-free and panic-free for any
//! `now` (at most ten slot clears and one division per call).

use super::decision::BudgetMetrics;
use crate::time::{Instant, Monotonic, duration_from_millis_f64, saturating_mul, saturating_nanos};
use crate::{ConfigError, float};
use core::num::NonZeroU64;

/// Number of slots the ttl is divided into.
pub const RATIO_SLOTS: usize = 10;

/// Units of one retry: 100 % × 1000.
const RETRY_UNITS: i64 = 100_000;

/// Options of a [`RatioBudget`]; the defaults are Finagle's.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct RatioBudgetOptions {
    /// How long a deposit counts, in milliseconds: `1 ..= 3 600 000`.
    /// Default `10 000`.
    pub ttl_ms: f64,
    /// Retries allowed per second of ttl regardless of traffic (the reserve
    /// is `minRetriesPerSecond × ttl` retries): `0 ..= 1 000 000`.
    /// Default `10`.
    pub min_retries_per_second: f64,
    /// Percentage of requests that may be retried: `0 ..= 1000` (1000 = ten
    /// retries per request), three decimals. Default `20`.
    pub retry_percent: f64,
}

impl Default for RatioBudgetOptions {
    fn default() -> Self {
        Self {
            ttl_ms: 10_000.0,
            min_retries_per_second: 10.0,
            retry_percent: 20.0,
        }
    }
}

/// The mutable part of a [`RatioBudget`], for snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct RatioBudgetState {
    clock: Monotonic,
    /// Absolute index (`now / slot width`) of the current slot.
    slot_index: u64,
    /// Net units per slot; slot `k` lives at position `k % RATIO_SLOTS`.
    slots: [i64; RATIO_SLOTS],
    deposits: u64,
    withdrawals: u64,
    rejections: u64,
}

/// A Finagle-style retry budget; see the [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatioBudget {
    /// Slot width in nanoseconds (`ttl / 10`, at least 100 µs).
    slot_nanos: NonZeroU64,
    /// Units every deposit adds.
    deposit_units: i64,
    /// Units always available on top of the slots.
    reserve_units: i64,
    state: RatioBudgetState,
    /// Derived from `state` (rebuilt by `restore`) so the hot path neither
    /// divides nor sums: ring position of the current slot,
    head: usize,
    /// the sum of all slots,
    total: i64,
    /// and the instant the next slot starts (ns, saturating).
    next_slot_start: u64,
}

impl RatioBudget {
    /// Builds an empty budget (only the reserve is available).
    ///
    /// # Errors
    /// [`ConfigError`] naming `ttlMs` (outside `1 ..= 3 600 000` or not
    /// finite), `minRetriesPerSecond` (outside `0 ..= 1 000 000`) or
    /// `retryPercent` (outside `0 ..= 1000`).
    pub fn new(options: &RatioBudgetOptions) -> Result<Self, ConfigError> {
        let ttl_ms = ConfigError::check_range("ttlMs", options.ttl_ms, 1.0, 3_600_000.0)?;
        let per_second = ConfigError::check_range(
            "minRetriesPerSecond",
            options.min_retries_per_second,
            0.0,
            1_000_000.0,
        )?;
        let percent = ConfigError::check_range("retryPercent", options.retry_percent, 0.0, 1000.0)?;
        let ttl_nanos = saturating_nanos(duration_from_millis_f64("ttlMs", ttl_ms)?);
        // Bounded above by 1e6 × 3.6e6 × 100 = 3.6e14 and by 1e6: exact casts.
        let reserve_units = float::round(per_second * ttl_ms * 100.0) as i64;
        let deposit_units = float::round(percent * 1000.0) as i64;
        let mut budget = Self {
            slot_nanos: NonZeroU64::new(ttl_nanos / RATIO_SLOTS as u64).unwrap_or(NonZeroU64::MIN),
            deposit_units,
            reserve_units,
            state: RatioBudgetState {
                clock: Monotonic::new(),
                slot_index: 0,
                slots: [0; RATIO_SLOTS],
                deposits: 0,
                withdrawals: 0,
                rejections: 0,
            },
            head: 0,
            total: 0,
            next_slot_start: 0,
        };
        budget.rebuild_derived();
        Ok(budget)
    }

    /// Records an original request: adds `retryPercent` % of a retry to the
    /// current slot.
    #[inline]
    pub fn deposit(&mut self, now: Instant) {
        self.advance(now);
        self.add_to_current(self.deposit_units);
        self.state.deposits = self.state.deposits.saturating_add(1);
    }

    /// Takes one retry from the budget if the reserve plus the live net
    /// deposits cover it; otherwise leaves the budget untouched.
    #[inline]
    pub fn try_withdraw(&mut self, now: Instant) -> bool {
        self.advance(now);
        if self.total.saturating_add(self.reserve_units) < RETRY_UNITS {
            self.state.rejections = self.state.rejections.saturating_add(1);
            return false;
        }
        self.add_to_current(-RETRY_UNITS);
        self.state.withdrawals = self.state.withdrawals.saturating_add(1);
        true
    }

    /// Whole retries affordable at `now` (Finagle's `balance`). Read-only:
    /// slots that expired by `now` are left out without being cleared.
    pub fn balance(&self, now: Instant) -> u64 {
        let now = self.state.clock.latest().max(now).as_nanos();
        let live = if now < self.next_slot_start {
            self.total
        } else {
            let elapsed = (now / self.slot_nanos).saturating_sub(self.state.slot_index);
            (1..=elapsed.min(RATIO_SLOTS as u64))
                .filter_map(|step| self.state.slots.get(ring(self.head, step)))
                .fold(self.total, |sum, expired| sum.saturating_sub(*expired))
        };
        let units = live.saturating_add(self.reserve_units);
        // Non-negative after `max`, so the cast is exact.
        (units.max(0) / RETRY_UNITS) as u64
    }

    /// Counters and balance at `now`.
    pub fn metrics(&self, now: Instant) -> BudgetMetrics {
        BudgetMetrics {
            deposits: self.state.deposits,
            withdrawals: self.state.withdrawals,
            rejections: self.state.rejections,
            balance: self.balance(now) as f64,
        }
    }

    /// A copy of the mutable state.
    pub fn snapshot(&self) -> RatioBudgetState {
        self.state.clone()
    }

    /// Replaces the mutable state with `state` (from [`Self::snapshot`]).
    /// A current slot later than the state's own clock is pulled back to it.
    pub fn restore(&mut self, state: RatioBudgetState) {
        self.state = state;
        let clock_slot = self.state.clock.latest().as_nanos() / self.slot_nanos;
        self.state.slot_index = self.state.slot_index.min(clock_slot);
        self.rebuild_derived();
    }

    /// Clamps `now`, then clears every slot that elapsed since the last call
    /// (all of them after an idle period of a ttl or more).
    #[inline]
    fn advance(&mut self, now: Instant) {
        let now = self.state.clock.observe(now).as_nanos();
        if now < self.next_slot_start {
            return;
        }
        let target = now / self.slot_nanos;
        let elapsed = target.saturating_sub(self.state.slot_index);
        if elapsed >= RATIO_SLOTS as u64 {
            self.state.slots = [0; RATIO_SLOTS];
        } else {
            for step in 1..=elapsed {
                if let Some(slot) = self.state.slots.get_mut(ring(self.head, step)) {
                    *slot = 0;
                }
            }
        }
        self.state.slot_index = self.state.slot_index.max(target);
        self.rebuild_derived();
    }

    /// Adds `units` (negative for a withdrawal) to the current slot.
    #[inline]
    fn add_to_current(&mut self, units: i64) {
        if let Some(slot) = self.state.slots.get_mut(self.head) {
            *slot = slot.saturating_add(units);
        }
        self.total = self.total.saturating_add(units);
    }

    /// Recomputes `head`, `total` and `next_slot_start` from the state. The
    /// running total equals the sum of the slots unless a slot saturated
    /// (over 9 × 10¹² deposits in one slot).
    fn rebuild_derived(&mut self) {
        let index = self.state.slot_index;
        self.head = (index % RATIO_SLOTS as u64) as usize;
        self.total = self
            .state
            .slots
            .iter()
            .fold(0_i64, |sum, units| sum.saturating_add(*units));
        self.next_slot_start = saturating_mul(index.saturating_add(1), self.slot_nanos.get());
    }
}

/// Ring position `step` slots after position `head`.
fn ring(head: usize, step: u64) -> usize {
    let n = RATIO_SLOTS as u64;
    ((head as u64 % n + step % n) % n) as usize
}

#[cfg(test)]
mod tests;
