//! Options for [`Policy`](super::Policy): the one place its defaults live.

use crate::backoff::BackoffOptions;
use crate::retry_after::RetryAfterOptions;

/// How a [`Policy`](super::Policy) retries one operation.
///
/// | option | default | meaning |
/// |---|---|---|
/// | `maxAttempts` | 3 | attempts in total, the first included (the SRE book's 3) |
/// | `deadlineMs` | none | hard limit from the first attempt: no retry may *start* after it |
/// | `backoff` | [`BackoffOptions::default`] | the delay before each retry |
/// | `retryAfter` | [`RetryAfterOptions::default`] | how a server's hint combines with the backoff |
/// | `adaptive` | none | lower `maxAttempts` while the recent success rate is low |
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct PolicyOptions {
    /// Attempts in total, the first included; `1` means never retry.
    pub max_attempts: u32,
    /// Hard deadline in milliseconds from the first attempt, or `None`.
    pub deadline_ms: Option<f64>,
    /// The backoff between attempts.
    pub backoff: BackoffOptions,
    /// How `Retry-After` style hints combine with the backoff.
    pub retry_after: RetryAfterOptions,
    /// Lower the attempts while the recent success rate is low.
    pub adaptive: Option<AdaptiveOptions>,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            deadline_ms: None,
            backoff: BackoffOptions::default(),
            retry_after: RetryAfterOptions::default(),
            adaptive: None,
        }
    }
}

/// Adaptive attempts: while most recent attempts fail, retrying mostly adds
/// load, so the attempt limit shrinks with the observed success rate.
///
/// ```text
/// rate      = decayed successes / decayed attempts      (half-life `halfLifeMs`)
/// attempts  = maxAttempts                                 while decayed attempts < `minSamples`
///           = clamp(1 + round((maxAttempts − 1) · rate), minAttempts, maxAttempts) otherwise
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct AdaptiveOptions {
    /// Half-life of an observation in milliseconds (default 10 000).
    pub half_life_ms: f64,
    /// The fewest attempts allowed, however low the rate (default 1: no retries).
    pub min_attempts: u32,
    /// Decayed attempts needed before the rate is trusted (default 10).
    pub min_samples: f64,
}

impl Default for AdaptiveOptions {
    fn default() -> Self {
        Self {
            half_life_ms: 10_000.0,
            min_attempts: 1,
            min_samples: 10.0,
        }
    }
}
