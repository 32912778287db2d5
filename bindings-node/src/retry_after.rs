//! Server hints (`Retry-After` and relatives) and how they combine with a
//! backoff delay.

use crate::convert;
use crate::error::{Class, HostError, throwing};
use napi::Env;
use napi_derive::napi;
use stormguard::retry_after::{
    HintHeader, RetryAfterDecision, RetryAfterOptions, RetryAfterPolicy, UnixTime, parse_hint,
};

/// A parsed hint: exactly one of `hintMs` and `ignored` is set.
#[napi(object)]
#[derive(Debug)]
pub struct HintResult {
    /// The wait the server asked for, in ms.
    pub hint_ms: Option<f64>,
    /// Why the value is not a hint (`empty`, `negative`, `fractional`,
    /// `malformed`, `bad_month`, `bad_day`, `bad_time`).
    pub ignored: Option<String>,
}

/// Parses `value` under `header`'s grammar against the wall clock
/// `nowUnixMs` (Unix ms, used by HTTP-dates only).
#[napi]
pub fn parse_hint_header(
    env: Env,
    header: String,
    value: String,
    now_unix_ms: f64,
) -> napi::Result<HintResult> {
    throwing(&env, || {
        let kind = HintHeader::from_name(&header).ok_or_else(|| {
            HostError::new(
                Class::Range,
                "ERR_INVALID_ARG_VALUE",
                format!(
                    "`header` must be Retry-After, retry-after-ms, x-ms-retry-after-ms, \
                     x-amz-retry-after or RateLimit-Reset, got {header:?}"
                ),
            )
        })?;
        let now = UnixTime::from_millis_f64(now_unix_ms)?;
        Ok(match parse_hint(kind, value, now) {
            Ok(hint) => HintResult {
                hint_ms: Some(convert::ms(hint)),
                ignored: None,
            },
            Err(ignored) => HintResult {
                hint_ms: None,
                ignored: Some(ignored.reason().to_owned()),
            },
        })
    })
}

/// What to do once the hint is weighed: exactly one field is set.
#[napi(object)]
#[derive(Debug)]
pub struct HintDecision {
    /// Wait this long, in ms.
    pub delay_ms: Option<f64>,
    /// Give up: the server asked for this long, more than `maxRetryAfterMs`.
    pub give_up_requested_ms: Option<f64>,
}

/// A validated `RetryAfterPolicy`.
#[napi(js_name = "NativeRetryAfterPolicy")]
#[derive(Debug)]
pub struct NativeRetryAfterPolicy {
    policy: RetryAfterPolicy,
}

#[napi]
impl NativeRetryAfterPolicy {
    /// Validates `options` (JSON text of `RetryAfterOptions`).
    #[napi(constructor)]
    pub fn new(env: Env, options: String) -> napi::Result<Self> {
        throwing(&env, || {
            let options: RetryAfterOptions = convert::options("retryAfter", &options)?;
            Ok(Self {
                policy: RetryAfterPolicy::new(&options)?,
            })
        })
    }

    /// Combines the backoff delay with the hint (`null` for none).
    #[napi]
    pub fn decide(
        &self,
        env: Env,
        backoff_ms: f64,
        hint_ms: Option<f64>,
    ) -> napi::Result<HintDecision> {
        throwing(&env, || {
            let backoff = convert::duration_ms("backoffMs", backoff_ms)?;
            let hint = match hint_ms {
                Some(ms) => Some(convert::duration_ms("hintMs", ms)?),
                None => None,
            };
            Ok(match self.policy.decide(backoff, hint) {
                RetryAfterDecision::Wait(delay) => HintDecision {
                    delay_ms: Some(convert::ms(delay)),
                    give_up_requested_ms: None,
                },
                RetryAfterDecision::GiveUp { requested } => HintDecision {
                    delay_ms: None,
                    give_up_requested_ms: Some(convert::ms(requested)),
                },
            })
        })
    }
}
