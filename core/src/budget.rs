//! Retry budgets: how many retries a client may send *in total*, across all
//! requests, before retrying stops helping and starts hurting.
//!
//! ## Why
//!
//! A per-request attempt limit ("retry 3 times") multiplies load by up to
//! four exactly when the server is failing, and nested clients multiply it
//! again: a retry storm. A budget caps retries as a *share of the traffic*
//! instead, so a mostly healthy service keeps its retries and a failing one
//! stops receiving them. Three families exist in the systems our users know,
//! and all three live here:
//!
//! | budget | peer | credit | debit | retry allowed while |
//! |---|---|---|---|---|
//! | [`RatioBudget`] | Finagle `RetryBudget`, tower `TpsBudget` | each request deposits `retryPercent` % of a retry, for `ttlMs` | a retry costs 1 | reserve + live deposits − live withdrawals ≥ 1 |
//! | [`TokenBucket`] | gRPC retry throttling (gRFC A6) | a success adds `tokenRatio` | a failed attempt removes 1 | tokens > `maxTokens` / 2 |
//! | [`RetryQuota`] | AWS SDK retry quota | a success adds 1, or refunds its retry's cost | a retry costs 5/10 (classic) or 14/5 (2026) | available ≥ cost |
//!
//! [`RetryBudget`] wraps the three behind one interface so the retry policy
//! and the bindings consult any of them the same way:
//!
//! ```text
//!   request starts          → on_request(now)             (ratio: deposit)
//!   attempt fails           → on_failure(now)             (token bucket: −1)
//!   may we retry?           → try_retry(now, kind)        → Ok(RetryPermit) | Err(BudgetExhausted)
//!   request finally succeeds → on_success(now, Some(permit of the last retry) | None)
//!                                                          (token bucket: +ratio; quota: refund or +1)
//!   metrics                 → balance(now), metrics(now)
//! ```
//!
//! ## Fixed point
//!
//! Every ratio is kept as an integer count of thousandths, so nothing is
//! truncated: tower computes a withdrawal cost of `1 / percent` in integers
//! and so treats 60 % as 100 % (tower issue #857); here a ratio budget
//! deposits `round(retryPercent × 1000)` units per request and a retry costs
//! `100 × 1000` units, and token counts and quota costs are thousandths of a
//! token. Options therefore carry up to three decimals; more are rounded to
//! the nearest thousandth.
//!
//! ## Constraints
//!
//! * Options are validated once, at construction, into a
//!   [`ConfigError`](crate::ConfigError) naming the camelCase field.
//! * The hot paths (`deposit`, `try_withdraw`, `try_retry`, `on_success`,
//!   `on_failure`) never allocate, never panic and never fail, for any `now`
//!   and any sequence of calls: integer arithmetic saturates, balances are
//!   never negative, and a clock that steps backwards is clamped with
//!   [`Monotonic`](crate::Monotonic).
//! * No state lives outside the structs: each exposes a serde-ready state
//!   snapshot (`snapshot()` / `restore()`).
//!
//! Each budget's module ([`ratio`], [`token_bucket`], [`quota`]) documents
//! its formula and where it deviates from its peer; everything is also
//! re-exported here.

pub mod decision;
mod fixed_point;
pub mod quota;
pub mod ratio;
pub mod retry_budget;
pub mod token_bucket;

pub use decision::{BudgetExhausted, BudgetMetrics, RetryKind, RetryPermit};
pub use quota::{RetryQuota, RetryQuotaOptions, RetryQuotaPreset, RetryQuotaState};
pub use ratio::{RATIO_SLOTS, RatioBudget, RatioBudgetOptions, RatioBudgetState};
pub use retry_budget::{
    BUDGET_SNAPSHOT_VERSION, BudgetSnapshot, BudgetSnapshotError, RetryBudget, RetryBudgetOptions,
    RetryBudgetState,
};
pub use token_bucket::{TokenBucket, TokenBucketOptions, TokenBucketState};
