//! Field tables of the core's option structs, and their conversion.
//!
//! Why here: see [`crate::fields`]. Each table lists the camelCase names the
//! core's serde derive uses and the JS type each takes; the core's
//! constructors validate the values and the core's `Default` supplies every
//! absent one.
//!
//! Constraints: the tables must match the core's option structs (a unit test
//! round-trips each table through the core's serde names).

use crate::error::Error;
use crate::fields::{Fields, schema};
use stormguard::backoff::BackoffOptions;
use stormguard::breaker::BreakerOptions;
use stormguard::budget::{RatioBudgetOptions, RetryQuotaOptions, TokenBucketOptions};
use stormguard::policy::{AdaptiveOptions, PolicyOptions};
use stormguard::retry_after::RetryAfterOptions;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

/// `BackoffOptions` fields.
pub const BACKOFF: [&str; 13] = [
    "schedule",
    "baseMs",
    "stepMs",
    "factor",
    "minMs",
    "maxMs",
    "jitter",
    "jitterRatio",
    "jitterMs",
    "maxAttempts",
    "capOrder",
    "wholeMs",
    "decorrelatedStart",
];
const BACKOFF_TYPES: [&str; 13] = [
    "enum", "number", "number?", "number", "number", "number", "enum", "number", "number",
    "integer?", "enum", "boolean", "enum",
];

/// `RetryAfterOptions` fields.
pub const RETRY_AFTER: [&str; 3] = ["maxRetryAfterMs", "combine", "maxExtensionMs"];
const RETRY_AFTER_TYPES: [&str; 3] = ["number", "enum", "number"];

/// `PolicyOptions` scalar fields (`backoff`, `retryAfter`, `adaptive` are
/// nested tables passed separately).
pub const POLICY: [&str; 2] = ["maxAttempts", "deadlineMs"];
const POLICY_TYPES: [&str; 2] = ["integer", "number?"];

/// `AdaptiveOptions` fields.
pub const ADAPTIVE: [&str; 3] = ["halfLifeMs", "minAttempts", "minSamples"];
const ADAPTIVE_TYPES: [&str; 3] = ["number", "integer", "number"];

/// `RatioBudgetOptions` fields (`type: "ratio"`).
pub const RATIO: [&str; 3] = ["ttlMs", "minRetriesPerSecond", "retryPercent"];
const RATIO_TYPES: [&str; 3] = ["number", "number", "number"];

/// `TokenBucketOptions` fields (`type: "tokenBucket"`).
pub const TOKEN_BUCKET: [&str; 2] = ["maxTokens", "tokenRatio"];
const TOKEN_BUCKET_TYPES: [&str; 2] = ["number", "number"];

/// `RetryQuotaOptions` fields (`type: "quota"`).
pub const QUOTA: [&str; 6] = [
    "preset",
    "capacity",
    "retryCost",
    "timeoutRetryCost",
    "throttlingRetryCost",
    "noRetryIncrement",
];
const QUOTA_TYPES: [&str; 6] = [
    "enum", "number?", "number?", "number?", "number?", "number?",
];

/// `BreakerOptions` scalar fields (`openBackoff` is a nested `backoff`
/// table passed separately).
pub const BREAKER: [&str; 14] = [
    "windowType",
    "windowSize",
    "windowMs",
    "bucketMs",
    "minimumCalls",
    "failureRateThreshold",
    "slowCallRateThreshold",
    "slowCallDurationMs",
    "failureCountThreshold",
    "thresholdComparison",
    "openDurationMs",
    "halfOpenPermits",
    "halfOpenDecision",
    "probeLeaseMs",
];
const BREAKER_TYPES: [&str; 14] = [
    "enum", "integer", "number", "number", "integer", "number", "number", "number", "integer?",
    "enum", "number", "integer", "enum", "number",
];

/// The field table of an option struct, `name:type,…` (`""` for an unknown
/// struct name). Names: `backoff`, `retryAfter`, `policy`, `adaptive`,
/// `ratio`, `tokenBucket`, `quota`, `breaker`.
#[wasm_bindgen(js_name = schemaOf)]
pub fn schema_of(name: &str) -> String {
    match name {
        "backoff" => schema(&BACKOFF, &BACKOFF_TYPES),
        "retryAfter" => schema(&RETRY_AFTER, &RETRY_AFTER_TYPES),
        "policy" => schema(&POLICY, &POLICY_TYPES),
        "adaptive" => schema(&ADAPTIVE, &ADAPTIVE_TYPES),
        "ratio" => schema(&RATIO, &RATIO_TYPES),
        "tokenBucket" => schema(&TOKEN_BUCKET, &TOKEN_BUCKET_TYPES),
        "quota" => schema(&QUOTA, &QUOTA_TYPES),
        "breaker" => schema(&BREAKER, &BREAKER_TYPES),
        _ => String::new(),
    }
}

/// Replaces `slot` with `value` when present.
fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *slot = value;
    }
}

/// `BackoffOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn backoff(prefix: &str, values: &[JsValue]) -> Result<BackoffOptions, Error> {
    let f = Fields::new(prefix, &BACKOFF, values);
    let mut o = BackoffOptions::default();
    set(&mut o.schedule, f.enumeration(0)?);
    set(&mut o.base_ms, f.number(1)?);
    o.step_ms = f.number(2)?.or(o.step_ms);
    set(&mut o.factor, f.number(3)?);
    set(&mut o.min_ms, f.number(4)?);
    set(&mut o.max_ms, f.number(5)?);
    set(&mut o.jitter, f.enumeration(6)?);
    set(&mut o.jitter_ratio, f.number(7)?);
    set(&mut o.jitter_ms, f.number(8)?);
    o.max_attempts = f.integer(9)?.or(o.max_attempts);
    set(&mut o.cap_order, f.enumeration(10)?);
    set(&mut o.whole_ms, f.boolean(11)?);
    set(&mut o.decorrelated_start, f.enumeration(12)?);
    Ok(o)
}

/// `RetryAfterOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn retry_after(prefix: &str, values: &[JsValue]) -> Result<RetryAfterOptions, Error> {
    let f = Fields::new(prefix, &RETRY_AFTER, values);
    let mut o = RetryAfterOptions::default();
    set(&mut o.max_retry_after_ms, f.number(0)?);
    set(&mut o.combine, f.enumeration(1)?);
    set(&mut o.max_extension_ms, f.number(2)?);
    Ok(o)
}

/// `AdaptiveOptions` from its table's values (`None` when `values` is
/// empty: adaptive attempts off).
///
/// # Errors
/// The first field with a bad value.
pub fn adaptive(prefix: &str, values: &[JsValue]) -> Result<Option<AdaptiveOptions>, Error> {
    if values.is_empty() {
        return Ok(None);
    }
    let f = Fields::new(prefix, &ADAPTIVE, values);
    let mut o = AdaptiveOptions::default();
    set(&mut o.half_life_ms, f.number(0)?);
    set(&mut o.min_attempts, f.integer(1)?);
    set(&mut o.min_samples, f.number(2)?);
    Ok(Some(o))
}

/// `PolicyOptions` from the values of its own table and its nested ones.
///
/// # Errors
/// The first field with a bad value.
pub fn policy(
    values: &[JsValue],
    backoff_values: &[JsValue],
    retry_after_values: &[JsValue],
    adaptive_values: &[JsValue],
) -> Result<PolicyOptions, Error> {
    let f = Fields::new("", &POLICY, values);
    let mut o = PolicyOptions::default();
    set(&mut o.max_attempts, f.integer(0)?);
    o.deadline_ms = f.number(1)?.or(o.deadline_ms);
    o.backoff = backoff("backoff", backoff_values)?;
    o.retry_after = retry_after("retryAfter", retry_after_values)?;
    o.adaptive = adaptive("adaptive", adaptive_values)?;
    Ok(o)
}

/// `RatioBudgetOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn ratio(prefix: &str, values: &[JsValue]) -> Result<RatioBudgetOptions, Error> {
    let f = Fields::new(prefix, &RATIO, values);
    let mut o = RatioBudgetOptions::default();
    set(&mut o.ttl_ms, f.number(0)?);
    set(&mut o.min_retries_per_second, f.number(1)?);
    set(&mut o.retry_percent, f.number(2)?);
    Ok(o)
}

/// `TokenBucketOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn token_bucket(prefix: &str, values: &[JsValue]) -> Result<TokenBucketOptions, Error> {
    let f = Fields::new(prefix, &TOKEN_BUCKET, values);
    let mut o = TokenBucketOptions::default();
    set(&mut o.max_tokens, f.number(0)?);
    set(&mut o.token_ratio, f.number(1)?);
    Ok(o)
}

/// `RetryQuotaOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn quota(prefix: &str, values: &[JsValue]) -> Result<RetryQuotaOptions, Error> {
    let f = Fields::new(prefix, &QUOTA, values);
    let mut o = RetryQuotaOptions::default();
    set(&mut o.preset, f.enumeration(0)?);
    o.capacity = f.number(1)?.or(o.capacity);
    o.retry_cost = f.number(2)?.or(o.retry_cost);
    o.timeout_retry_cost = f.number(3)?.or(o.timeout_retry_cost);
    o.throttling_retry_cost = f.number(4)?.or(o.throttling_retry_cost);
    o.no_retry_increment = f.number(5)?.or(o.no_retry_increment);
    Ok(o)
}

/// `BreakerOptions` from a base (defaults or a preset) and its table's
/// values; `open_backoff` holds the nested `openBackoff` table's values, or
/// `None` to keep the base's.
///
/// # Errors
/// The first field with a bad value.
pub fn breaker(
    prefix: &str,
    mut o: BreakerOptions,
    values: &[JsValue],
    open_backoff: Option<Vec<JsValue>>,
) -> Result<BreakerOptions, Error> {
    let f = Fields::new(prefix, &BREAKER, values);
    set(&mut o.window_type, f.enumeration(0)?);
    set(&mut o.window_size, f.integer(1)?);
    set(&mut o.window_ms, f.number(2)?);
    set(&mut o.bucket_ms, f.number(3)?);
    set(&mut o.minimum_calls, f.integer(4)?);
    set(&mut o.failure_rate_threshold, f.number(5)?);
    set(&mut o.slow_call_rate_threshold, f.number(6)?);
    set(&mut o.slow_call_duration_ms, f.number(7)?);
    o.failure_count_threshold = f.integer(8)?.or(o.failure_count_threshold);
    set(&mut o.threshold_comparison, f.enumeration(9)?);
    set(&mut o.open_duration_ms, f.number(10)?);
    set(&mut o.half_open_permits, f.integer(11)?);
    set(&mut o.half_open_decision, f.enumeration(12)?);
    set(&mut o.probe_lease_ms, f.number(13)?);
    if let Some(values) = open_backoff {
        let nested = crate::error::join(prefix, "openBackoff");
        o.open_backoff = Some(backoff(&nested, &values)?);
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use stormguard::budget::RetryBudgetOptions;

    /// The camelCase keys the core's serde derive writes for `value`.
    fn keys<T: serde::Serialize>(value: &T) -> Vec<String> {
        let json = serde_json::to_value(value).ok();
        let map = json.as_ref().and_then(serde_json::Value::as_object);
        assert!(map.is_some(), "not an object: {json:?}");
        map.map_or_else(Vec::new, |m| m.keys().cloned().collect())
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn tables_name_exactly_the_core_option_fields() {
        assert_eq!(keys(&BackoffOptions::default()), sorted(&BACKOFF));
        assert_eq!(keys(&RetryAfterOptions::default()), sorted(&RETRY_AFTER));
        assert_eq!(keys(&AdaptiveOptions::default()), sorted(&ADAPTIVE));
        assert_eq!(keys(&RatioBudgetOptions::default()), sorted(&RATIO));
        assert_eq!(keys(&TokenBucketOptions::default()), sorted(&TOKEN_BUCKET));
        assert_eq!(keys(&RetryQuotaOptions::default()), sorted(&QUOTA));
        let mut policy = POLICY.to_vec();
        policy.extend(["backoff", "retryAfter", "adaptive"]);
        assert_eq!(keys(&PolicyOptions::default()), sorted(&policy));
        let mut breaker = BREAKER.to_vec();
        breaker.push("openBackoff");
        assert_eq!(keys(&BreakerOptions::default()), sorted(&breaker));
        let tagged = RetryBudgetOptions::default();
        assert!(keys(&tagged).contains(&"type".to_owned()));
    }

    #[test]
    fn every_table_has_a_type_per_field() {
        for name in [
            "backoff",
            "retryAfter",
            "policy",
            "adaptive",
            "ratio",
            "tokenBucket",
            "quota",
            "breaker",
        ] {
            let schema = schema_of(name);
            assert!(!schema.is_empty(), "{name}");
            assert!(
                schema.split(',').all(|f| f.split(':').count() == 2),
                "{name}: {schema}"
            );
        }
    }
}
