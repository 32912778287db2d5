//! Combining a computed backoff with a server hint.
//!
//! Why: the backoff knows how this client should spread its retries; the
//! server knows when it expects to cope again. By default the client waits
//! for whichever is longer, so a hint can slow a client down but never make
//! it retry sooner than its own schedule (a hint of `0` from a struggling
//! server does not defeat the jitter). A hint beyond `maxRetryAfterMs` means
//! the server wants the client gone for longer than the caller accepts: the
//! decision is then to give up, carrying the requested duration so the caller
//! can say why, instead of silently not retrying.
//!
//! ```text
//! t = backoff delay, h = parsed hint (None when absent or ignored)
//! h = None                  → Wait(t)
//! h > maxRetryAfterMs       → GiveUp { requested: h }            (every mode)
//! combine "max" (default)   → Wait(max(t, h))
//! combine "replace"         → Wait(h)                            (the hint wins, even when shorter)
//! combine "bounded"         → Wait(max(t, min(h, t + maxExtensionMs)))
//!                             (the AWS SDKs' 2026 "standard" rule with 5 s; to
//!                              reproduce them exactly, also raise maxRetryAfterMs,
//!                              since they never give up on a long hint)
//! ```
//!
//! Constraints: options are validated once by [`RetryAfterPolicy::new`];
//! [`RetryAfterPolicy::decide`] is total, saturating and allocation-free.

use crate::ConfigError;
use crate::time::{Duration, duration_from_millis_f64};

/// How a hint and the backoff delay are combined (option `combine`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
#[non_exhaustive]
pub enum HintCombine {
    /// `max(backoff, hint)`: the hint can only lengthen the wait (the default).
    #[default]
    Max,
    /// `hint`: the server's word replaces the backoff, even when shorter.
    Replace,
    /// `max(backoff, min(hint, backoff + maxExtensionMs))`: the hint may
    /// lengthen the wait by at most `maxExtensionMs` (AWS SDKs, 2026).
    Bounded,
}

/// Plain-data configuration of a [`RetryAfterPolicy`]; the field names are the
/// bindings' option names.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct RetryAfterOptions {
    /// Longest hint the caller is willing to honour, in ms (`maxRetryAfterMs`,
    /// default 60 000). A longer hint gives up with
    /// [`RetryAfterDecision::GiveUp`]. Range `[0, MAX_MILLIS]`.
    pub max_retry_after_ms: f64,
    /// How hint and backoff combine (`combine`, default `"max"`).
    pub combine: HintCombine,
    /// In `"bounded"` mode, the most a hint may add to the backoff, in ms
    /// (`maxExtensionMs`, default 5 000 as in the AWS SDKs). Ignored by the
    /// other modes. Range `[0, MAX_MILLIS]`.
    pub max_extension_ms: f64,
}

impl Default for RetryAfterOptions {
    fn default() -> Self {
        Self {
            max_retry_after_ms: 60_000.0,
            combine: HintCombine::Max,
            max_extension_ms: 5_000.0,
        }
    }
}

/// What to do with a failed attempt once the hint has been weighed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryAfterDecision {
    /// Retry after this delay.
    Wait(Duration),
    /// Do not retry: the server asked for longer than `maxRetryAfterMs`.
    GiveUp {
        /// The wait the server asked for.
        requested: Duration,
    },
}

impl RetryAfterDecision {
    /// The delay to wait, or `None` when giving up.
    pub const fn delay(self) -> Option<Duration> {
        match self {
            Self::Wait(delay) => Some(delay),
            Self::GiveUp { .. } => None,
        }
    }

    /// A stable code for giving up (`"retry_after_exceeds_max"`), `None` when
    /// waiting.
    pub const fn give_up_reason(self) -> Option<&'static str> {
        match self {
            Self::Wait(_) => None,
            Self::GiveUp { .. } => Some("retry_after_exceeds_max"),
        }
    }
}

/// Validated [`RetryAfterOptions`]: combines a backoff delay with a hint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfterPolicy {
    max_retry_after: Duration,
    combine: HintCombine,
    max_extension: Duration,
}

impl Default for RetryAfterPolicy {
    /// The policy built from [`RetryAfterOptions::default`].
    fn default() -> Self {
        Self {
            max_retry_after: Duration::from_secs(60),
            combine: HintCombine::Max,
            max_extension: Duration::from_secs(5),
        }
    }
}

impl RetryAfterPolicy {
    /// Validates `options`.
    ///
    /// # Errors
    /// [`ConfigError`] naming `maxRetryAfterMs` or `maxExtensionMs` when it is
    /// NaN, infinite, negative or above
    /// [`MAX_MILLIS`](crate::time::MAX_MILLIS).
    pub fn new(options: &RetryAfterOptions) -> Result<Self, ConfigError> {
        Ok(Self {
            max_retry_after: duration_from_millis_f64(
                "maxRetryAfterMs",
                options.max_retry_after_ms,
            )?,
            combine: options.combine,
            max_extension: duration_from_millis_f64("maxExtensionMs", options.max_extension_ms)?,
        })
    }

    /// Decides how long to wait after a failure, given the `backoff` delay the
    /// schedule computed and the server's `hint` (`None` when there was none
    /// or it was [`Ignored`](super::Ignored)).
    ///
    /// Total: never panics, saturates instead of overflowing.
    pub fn decide(&self, backoff: Duration, hint: Option<Duration>) -> RetryAfterDecision {
        let Some(hint) = hint else {
            return RetryAfterDecision::Wait(backoff);
        };
        if hint > self.max_retry_after {
            return RetryAfterDecision::GiveUp { requested: hint };
        }
        let delay = match self.combine {
            HintCombine::Max => backoff.max(hint),
            HintCombine::Replace => hint,
            HintCombine::Bounded => {
                backoff.max(hint.min(backoff.saturating_add(self.max_extension)))
            }
        };
        RetryAfterDecision::Wait(delay)
    }

    /// The longest hint honoured.
    pub const fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// How hint and backoff combine.
    pub const fn combine(&self) -> HintCombine {
        self.combine
    }

    /// The most a hint may add to the backoff in [`HintCombine::Bounded`] mode.
    pub const fn max_extension(&self) -> Duration {
        self.max_extension
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MAX_MILLIS;

    const fn ms(value: u64) -> Duration {
        Duration::from_millis(value)
    }

    fn policy(combine: HintCombine) -> RetryAfterPolicy {
        RetryAfterPolicy::new(&RetryAfterOptions {
            combine,
            ..RetryAfterOptions::default()
        })
        .unwrap()
    }

    #[test]
    fn default_options_build_the_default_policy() {
        let built = RetryAfterPolicy::new(&RetryAfterOptions::default()).unwrap();
        assert_eq!(built, RetryAfterPolicy::default());
    }

    #[test]
    fn no_hint_keeps_the_backoff() {
        for combine in [HintCombine::Max, HintCombine::Replace, HintCombine::Bounded] {
            assert_eq!(
                policy(combine).decide(ms(250), None),
                RetryAfterDecision::Wait(ms(250))
            );
        }
    }

    #[test]
    fn default_hint_only_lengthens_the_wait() {
        let policy = RetryAfterPolicy::default();
        assert_eq!(
            policy.decide(ms(250), Some(ms(2_000))),
            RetryAfterDecision::Wait(ms(2_000))
        );
        assert_eq!(
            policy.decide(ms(250), Some(ms(0))),
            RetryAfterDecision::Wait(ms(250))
        );
    }

    #[test]
    fn replace_mode_trusts_a_shorter_hint() {
        let decision = policy(HintCombine::Replace).decide(ms(250), Some(ms(100)));
        assert_eq!(decision, RetryAfterDecision::Wait(ms(100)));
    }

    #[test]
    fn bounded_mode_extends_the_backoff_by_at_most_five_seconds() {
        let bounded = policy(HintCombine::Bounded);
        assert_eq!(
            bounded.decide(ms(1_000), Some(ms(10_000))),
            RetryAfterDecision::Wait(ms(6_000))
        );
        assert_eq!(
            bounded.decide(ms(1_000), Some(ms(3_000))),
            RetryAfterDecision::Wait(ms(3_000))
        );
        assert_eq!(
            bounded.decide(ms(1_000), Some(ms(500))),
            RetryAfterDecision::Wait(ms(1_000))
        );
    }

    #[test]
    fn hint_beyond_the_cap_gives_up_and_says_how_long_was_asked() {
        let policy = RetryAfterPolicy::default();
        let decision = policy.decide(ms(250), Some(ms(60_001)));
        assert_eq!(
            decision,
            RetryAfterDecision::GiveUp {
                requested: ms(60_001)
            }
        );
        assert_eq!(decision.delay(), None);
        assert_eq!(decision.give_up_reason(), Some("retry_after_exceeds_max"));
        assert_eq!(
            policy.decide(ms(250), Some(ms(60_000))).delay(),
            Some(ms(60_000))
        );
    }

    #[test]
    fn saturated_durations_do_not_overflow() {
        let huge = Duration::from_nanos(u64::MAX);
        let options = RetryAfterOptions {
            max_retry_after_ms: MAX_MILLIS,
            combine: HintCombine::Bounded,
            ..RetryAfterOptions::default()
        };
        let policy = RetryAfterPolicy::new(&options).unwrap();
        assert_eq!(
            policy.decide(huge, Some(huge)),
            RetryAfterDecision::Wait(huge)
        );
        assert_eq!(
            policy.decide(Duration::MAX, Some(huge)),
            RetryAfterDecision::Wait(Duration::MAX)
        );
    }

    #[test]
    fn invalid_options_name_their_field() {
        let bad_cap = RetryAfterOptions {
            max_retry_after_ms: -1.0,
            ..RetryAfterOptions::default()
        };
        assert_eq!(
            RetryAfterPolicy::new(&bad_cap).unwrap_err().field(),
            "maxRetryAfterMs"
        );
        let bad_extension = RetryAfterOptions {
            max_extension_ms: f64::NAN,
            ..RetryAfterOptions::default()
        };
        assert_eq!(
            RetryAfterPolicy::new(&bad_extension).unwrap_err().field(),
            "maxExtensionMs"
        );
    }
}
