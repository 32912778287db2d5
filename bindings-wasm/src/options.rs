//! Field tables of the core's option structs, and their conversion.
//!
//! Why here: see [`crate::fields`]. Each table lists the camelCase names the
//! core's serde derive uses and the JS type each takes (an enum lists the
//! core's names of its variants, in the order of the matching array here);
//! the core's constructors validate the values and the core's `Default`
//! supplies every absent one.
//!
//! Constraints: the tables must match the core's option structs (a unit test
//! checks every name, and every enum name, against the core's serde names).

use crate::error::Error;
use crate::fields::{Fields, Table, schema};
use alloc::string::String;
use stormguard::backoff::{BackoffOptions, CapOrder, DecorrelatedStart, Jitter, Schedule};
use stormguard::breaker::{BreakerOptions, Comparison, HalfOpenDecision, WindowType};
use stormguard::budget::{
    RatioBudgetOptions, RetryQuotaOptions, RetryQuotaPreset, TokenBucketOptions,
};
use stormguard::policy::{AdaptiveOptions, PolicyOptions};
use stormguard::retry_after::{HintCombine, RetryAfterOptions};

/// `BackoffOptions` fields.
pub const BACKOFF: Table = &[
    (
        "schedule",
        "enum=constant|linear|exponential|decorrelated|pollyV2",
    ),
    ("baseMs", "number"),
    ("stepMs", "number?"),
    ("factor", "number"),
    ("minMs", "number"),
    ("maxMs", "number"),
    ("jitter", "enum=auto|none|full|equal|proportional|additive"),
    ("jitterRatio", "number"),
    ("jitterMs", "number"),
    ("maxAttempts", "integer?"),
    ("capOrder", "enum=capThenJitter|jitterThenCap"),
    ("wholeMs", "boolean"),
    ("decorrelatedStart", "enum=base|zero"),
];
const SCHEDULES: [Schedule; 5] = [
    Schedule::Constant,
    Schedule::Linear,
    Schedule::Exponential,
    Schedule::Decorrelated,
    Schedule::PollyV2,
];
const JITTERS: [Jitter; 6] = [
    Jitter::Auto,
    Jitter::None,
    Jitter::Full,
    Jitter::Equal,
    Jitter::Proportional,
    Jitter::Additive,
];
const CAP_ORDERS: [CapOrder; 2] = [CapOrder::CapThenJitter, CapOrder::JitterThenCap];
const DECORRELATED_STARTS: [DecorrelatedStart; 2] =
    [DecorrelatedStart::Base, DecorrelatedStart::Zero];

/// `RetryAfterOptions` fields.
pub const RETRY_AFTER: Table = &[
    ("maxRetryAfterMs", "number"),
    ("combine", "enum=max|replace|bounded"),
    ("maxExtensionMs", "number"),
];
const COMBINES: [HintCombine; 3] = [HintCombine::Max, HintCombine::Replace, HintCombine::Bounded];

/// `PolicyOptions` scalar fields (`backoff`, `retryAfter`, `adaptive` are
/// nested tables passed separately).
pub const POLICY: Table = &[("maxAttempts", "integer"), ("deadlineMs", "number?")];

/// `AdaptiveOptions` fields.
pub const ADAPTIVE: Table = &[
    ("halfLifeMs", "number"),
    ("minAttempts", "integer"),
    ("minSamples", "number"),
];

/// `RatioBudgetOptions` fields (`type: "ratio"`).
pub const RATIO: Table = &[
    ("ttlMs", "number"),
    ("minRetriesPerSecond", "number"),
    ("retryPercent", "number"),
];

/// `TokenBucketOptions` fields (`type: "tokenBucket"`).
pub const TOKEN_BUCKET: Table = &[("maxTokens", "number"), ("tokenRatio", "number")];

/// `RetryQuotaOptions` fields (`type: "quota"`).
pub const QUOTA: Table = &[
    ("preset", "enum=awsClassic|awsStandard2026"),
    ("capacity", "number?"),
    ("retryCost", "number?"),
    ("timeoutRetryCost", "number?"),
    ("throttlingRetryCost", "number?"),
    ("noRetryIncrement", "number?"),
];
const QUOTA_PRESETS: [RetryQuotaPreset; 2] = [
    RetryQuotaPreset::AwsClassic,
    RetryQuotaPreset::AwsStandard2026,
];

/// `BreakerOptions` scalar fields (`openBackoff` is a nested `backoff`
/// table passed separately).
pub const BREAKER: Table = &[
    ("windowType", "enum=consecutive|count|time"),
    ("windowSize", "integer"),
    ("windowMs", "number"),
    ("bucketMs", "number"),
    ("minimumCalls", "integer"),
    ("failureRateThreshold", "number"),
    ("slowCallRateThreshold", "number"),
    ("slowCallDurationMs", "number"),
    ("failureCountThreshold", "integer?"),
    ("thresholdComparison", "enum=atLeast|above"),
    ("openDurationMs", "number"),
    ("halfOpenPermits", "integer"),
    ("halfOpenDecision", "enum=rate|successes"),
    ("probeLeaseMs", "number"),
];
const WINDOW_TYPES: [WindowType; 3] =
    [WindowType::Consecutive, WindowType::Count, WindowType::Time];
const COMPARISONS: [Comparison; 2] = [Comparison::AtLeast, Comparison::Above];
const HALF_OPEN_DECISIONS: [HalfOpenDecision; 2] =
    [HalfOpenDecision::Rate, HalfOpenDecision::Successes];

/// The registry's own field (`maxOrigins` in `createFetch`).
pub const REGISTRY: Table = &[("maxOrigins", "integer")];

/// The tables, by the index [`Core::schema`](crate::Core::schema) takes:
/// `backoff`, `retryAfter`, `policy`, `adaptive`, `ratio`, `tokenBucket`,
/// `quota`, `breaker`, `registry`.
pub const TABLES: [Table; 9] = [
    BACKOFF,
    RETRY_AFTER,
    POLICY,
    ADAPTIVE,
    RATIO,
    TOKEN_BUCKET,
    QUOTA,
    BREAKER,
    REGISTRY,
];

/// The schema string of table `index` in [`TABLES`] (`""` when unknown).
pub fn schema_of(index: u32) -> String {
    TABLES
        .get(index as usize)
        .map_or_else(String::new, |&table| schema(table))
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
pub fn backoff(nested: &'static str, values: &[f64]) -> Result<BackoffOptions, Error> {
    let f = Fields::new(nested, BACKOFF, values);
    let mut o = BackoffOptions::default();
    set(&mut o.schedule, f.enumeration(0, &SCHEDULES)?);
    set(&mut o.base_ms, f.number(1));
    o.step_ms = f.number(2).or(o.step_ms);
    set(&mut o.factor, f.number(3));
    set(&mut o.min_ms, f.number(4));
    set(&mut o.max_ms, f.number(5));
    set(&mut o.jitter, f.enumeration(6, &JITTERS)?);
    set(&mut o.jitter_ratio, f.number(7));
    set(&mut o.jitter_ms, f.number(8));
    o.max_attempts = f.integer(9)?.or(o.max_attempts);
    set(&mut o.cap_order, f.enumeration(10, &CAP_ORDERS)?);
    set(&mut o.whole_ms, f.boolean(11));
    set(
        &mut o.decorrelated_start,
        f.enumeration(12, &DECORRELATED_STARTS)?,
    );
    Ok(o)
}

/// `RetryAfterOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn retry_after(nested: &'static str, values: &[f64]) -> Result<RetryAfterOptions, Error> {
    let f = Fields::new(nested, RETRY_AFTER, values);
    let mut o = RetryAfterOptions::default();
    set(&mut o.max_retry_after_ms, f.number(0));
    set(&mut o.combine, f.enumeration(1, &COMBINES)?);
    set(&mut o.max_extension_ms, f.number(2));
    Ok(o)
}

/// `AdaptiveOptions` from its table's values (`None` when `values` is
/// empty: adaptive attempts off).
///
/// # Errors
/// The first field with a bad value.
pub fn adaptive(nested: &'static str, values: &[f64]) -> Result<Option<AdaptiveOptions>, Error> {
    if values.is_empty() {
        return Ok(None);
    }
    let f = Fields::new(nested, ADAPTIVE, values);
    let mut o = AdaptiveOptions::default();
    set(&mut o.half_life_ms, f.number(0));
    set(&mut o.min_attempts, f.integer(1)?);
    set(&mut o.min_samples, f.number(2));
    Ok(Some(o))
}

/// `PolicyOptions` from the values of its own table and its nested ones.
///
/// # Errors
/// The first field with a bad value.
pub fn policy(
    values: &[f64],
    backoff_values: &[f64],
    retry_after_values: &[f64],
    adaptive_values: &[f64],
) -> Result<PolicyOptions, Error> {
    let f = Fields::new("", POLICY, values);
    let mut o = PolicyOptions::default();
    set(&mut o.max_attempts, f.integer(0)?);
    o.deadline_ms = f.number(1).or(o.deadline_ms);
    o.backoff = backoff("backoff", backoff_values)?;
    o.retry_after = retry_after("retryAfter", retry_after_values)?;
    o.adaptive = adaptive("adaptive", adaptive_values)?;
    Ok(o)
}

/// `RatioBudgetOptions` from its table's values.
pub fn ratio(nested: &'static str, values: &[f64]) -> RatioBudgetOptions {
    let f = Fields::new(nested, RATIO, values);
    let mut o = RatioBudgetOptions::default();
    set(&mut o.ttl_ms, f.number(0));
    set(&mut o.min_retries_per_second, f.number(1));
    set(&mut o.retry_percent, f.number(2));
    o
}

/// `TokenBucketOptions` from its table's values.
pub fn token_bucket(nested: &'static str, values: &[f64]) -> TokenBucketOptions {
    let f = Fields::new(nested, TOKEN_BUCKET, values);
    let mut o = TokenBucketOptions::default();
    set(&mut o.max_tokens, f.number(0));
    set(&mut o.token_ratio, f.number(1));
    o
}

/// `RetryQuotaOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn quota(nested: &'static str, values: &[f64]) -> Result<RetryQuotaOptions, Error> {
    let f = Fields::new(nested, QUOTA, values);
    let mut o = RetryQuotaOptions::default();
    set(&mut o.preset, f.enumeration(0, &QUOTA_PRESETS)?);
    o.capacity = f.number(1).or(o.capacity);
    o.retry_cost = f.number(2).or(o.retry_cost);
    o.timeout_retry_cost = f.number(3).or(o.timeout_retry_cost);
    o.throttling_retry_cost = f.number(4).or(o.throttling_retry_cost);
    o.no_retry_increment = f.number(5).or(o.no_retry_increment);
    Ok(o)
}

/// `BreakerOptions` from a base (defaults or a preset) and its table's
/// values; `open_backoff` holds the nested `openBackoff` table's values, or
/// `None` to keep the base's.
///
/// # Errors
/// The first field with a bad value.
pub fn breaker(
    mut o: BreakerOptions,
    values: &[f64],
    open_backoff: Option<&[f64]>,
) -> Result<BreakerOptions, Error> {
    let f = Fields::new("", BREAKER, values);
    set(&mut o.window_type, f.enumeration(0, &WINDOW_TYPES)?);
    set(&mut o.window_size, f.integer(1)?);
    set(&mut o.window_ms, f.number(2));
    set(&mut o.bucket_ms, f.number(3));
    set(&mut o.minimum_calls, f.integer(4)?);
    set(&mut o.failure_rate_threshold, f.number(5));
    set(&mut o.slow_call_rate_threshold, f.number(6));
    set(&mut o.slow_call_duration_ms, f.number(7));
    o.failure_count_threshold = f.integer(8)?.or(o.failure_count_threshold);
    set(&mut o.threshold_comparison, f.enumeration(9, &COMPARISONS)?);
    set(&mut o.open_duration_ms, f.number(10));
    set(&mut o.half_open_permits, f.integer(11)?);
    set(
        &mut o.half_open_decision,
        f.enumeration(12, &HALF_OPEN_DECISIONS)?,
    );
    set(&mut o.probe_lease_ms, f.number(13));
    if let Some(values) = open_backoff {
        o.open_backoff = Some(backoff("openBackoff", values)?);
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;
    use alloc::vec::Vec;
    use stormguard::budget::RetryBudgetOptions;

    /// The camelCase keys the core's serde derive writes for `value`.
    fn keys<T: serde::Serialize>(value: &T) -> Vec<String> {
        let json = serde_json::to_value(value).ok();
        let map = json.as_ref().and_then(serde_json::Value::as_object);
        assert!(map.is_some(), "not an object: {json:?}");
        map.map_or_else(Vec::new, |m| m.keys().cloned().collect())
    }

    fn sorted(table: Table) -> Vec<String> {
        let mut v: Vec<String> = table.iter().map(|(name, _)| (*name).to_owned()).collect();
        v.sort();
        v
    }

    /// The enum names a table lists for `field`.
    fn names(table: Table, field: &str) -> Vec<String> {
        let ty = table
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, ty)| *ty);
        let list = ty.and_then(|ty| ty.strip_prefix("enum="));
        assert!(list.is_some(), "{field} is not an enum");
        list.map_or_else(Vec::new, |l| l.split('|').map(str::to_owned).collect())
    }

    /// The core's serde names of `variants`, in order.
    fn serde_names<T: serde::Serialize>(variants: &[T]) -> Vec<String> {
        variants
            .iter()
            .map(|v| {
                let json = serde_json::to_value(v).ok();
                json.as_ref()
                    .and_then(serde_json::Value::as_str)
                    .map_or_else(String::new, str::to_owned)
            })
            .collect()
    }

    #[test]
    fn tables_name_exactly_the_core_option_fields() {
        assert_eq!(keys(&BackoffOptions::default()), sorted(BACKOFF));
        assert_eq!(keys(&RetryAfterOptions::default()), sorted(RETRY_AFTER));
        assert_eq!(keys(&AdaptiveOptions::default()), sorted(ADAPTIVE));
        assert_eq!(keys(&RatioBudgetOptions::default()), sorted(RATIO));
        assert_eq!(keys(&TokenBucketOptions::default()), sorted(TOKEN_BUCKET));
        assert_eq!(keys(&RetryQuotaOptions::default()), sorted(QUOTA));
        let mut policy = sorted(POLICY);
        policy.extend(["backoff", "retryAfter", "adaptive"].map(str::to_owned));
        policy.sort();
        assert_eq!(keys(&PolicyOptions::default()), policy);
        let mut breaker = sorted(BREAKER);
        breaker.push("openBackoff".to_owned());
        breaker.sort();
        assert_eq!(keys(&BreakerOptions::default()), breaker);
        let tagged = RetryBudgetOptions::default();
        assert!(keys(&tagged).contains(&"type".to_owned()));
    }

    #[test]
    fn enum_lists_are_the_core_names_in_order() {
        assert_eq!(names(BACKOFF, "schedule"), serde_names(&SCHEDULES));
        assert_eq!(names(BACKOFF, "jitter"), serde_names(&JITTERS));
        assert_eq!(names(BACKOFF, "capOrder"), serde_names(&CAP_ORDERS));
        assert_eq!(
            names(BACKOFF, "decorrelatedStart"),
            serde_names(&DECORRELATED_STARTS)
        );
        assert_eq!(names(RETRY_AFTER, "combine"), serde_names(&COMBINES));
        assert_eq!(names(QUOTA, "preset"), serde_names(&QUOTA_PRESETS));
        assert_eq!(names(BREAKER, "windowType"), serde_names(&WINDOW_TYPES));
        assert_eq!(
            names(BREAKER, "thresholdComparison"),
            serde_names(&COMPARISONS)
        );
        assert_eq!(
            names(BREAKER, "halfOpenDecision"),
            serde_names(&HALF_OPEN_DECISIONS)
        );
    }

    #[test]
    fn every_table_has_a_type_per_field() {
        for name in 0..9 {
            let schema = schema_of(name);
            assert!(!schema.is_empty(), "{name}");
            assert!(
                schema.split(',').all(|f| f.split(':').count() == 2),
                "{name}: {schema}"
            );
        }
    }
}
