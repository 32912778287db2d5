//! The core's option structs from the values of their field tables.
//!
//! Why here: see [`crate::fields`]. The tables (`js/tables.js`) list the
//! camelCase names the core's serde derive uses and the JS type each takes
//! (an enum lists the core's names of its variants, in the order of the
//! matching array here); each function below reads the fields in table
//! order, the core's constructors validate the values and the core's
//! `Default` supplies every absent one.
//!
//! Constraints: the tables must match the core's option structs (a unit test
//! reads `js/tables.js` and checks every name, and every enum name, against
//! the core's serde names).

use crate::error::Error;
use crate::fields::Fields;
use stormguard::backoff::{BackoffOptions, CapOrder, DecorrelatedStart, Jitter, Schedule};
use stormguard::breaker::{BreakerOptions, Comparison, HalfOpenDecision, WindowType};
use stormguard::budget::{
    RatioBudgetOptions, RetryQuotaOptions, RetryQuotaPreset, TokenBucketOptions,
};
use stormguard::policy::{AdaptiveOptions, PolicyOptions};
use stormguard::retry_after::{HintCombine, RetryAfterOptions};

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

const COMBINES: [HintCombine; 3] = [HintCombine::Max, HintCombine::Replace, HintCombine::Bounded];

const QUOTA_PRESETS: [RetryQuotaPreset; 2] = [
    RetryQuotaPreset::AwsClassic,
    RetryQuotaPreset::AwsStandard2026,
];

const WINDOW_TYPES: [WindowType; 3] =
    [WindowType::Consecutive, WindowType::Count, WindowType::Time];
const COMPARISONS: [Comparison; 2] = [Comparison::AtLeast, Comparison::Above];
const HALF_OPEN_DECISIONS: [HalfOpenDecision; 2] =
    [HalfOpenDecision::Rate, HalfOpenDecision::Successes];

/// Sets the fields of `o` present in the `backoff` table's values (in
/// place: the option structs are large, and a returned one is copied).
///
/// # Errors
/// The first field with a bad value.
pub fn backoff(o: &mut BackoffOptions, nested: &'static str, values: &[f64]) -> Result<(), Error> {
    let f = Fields::new(nested, values);
    f.set_enum(0, &SCHEDULES, &mut o.schedule)?;
    f.set_number(1, &mut o.base_ms);
    f.set_optional(2, &mut o.step_ms);
    f.set_number(3, &mut o.factor);
    f.set_number(4, &mut o.min_ms);
    f.set_number(5, &mut o.max_ms);
    f.set_enum(6, &JITTERS, &mut o.jitter)?;
    f.set_number(7, &mut o.jitter_ratio);
    f.set_number(8, &mut o.jitter_ms);
    f.set_optional_integer(9, &mut o.max_attempts)?;
    f.set_enum(10, &CAP_ORDERS, &mut o.cap_order)?;
    f.set_boolean(11, &mut o.whole_ms);
    f.set_enum(12, &DECORRELATED_STARTS, &mut o.decorrelated_start)?;
    Ok(())
}

/// Sets the fields of `o` present in the `retryAfter` table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn retry_after(
    o: &mut RetryAfterOptions,
    nested: &'static str,
    values: &[f64],
) -> Result<(), Error> {
    let f = Fields::new(nested, values);
    f.set_number(0, &mut o.max_retry_after_ms);
    f.set_enum(1, &COMBINES, &mut o.combine)?;
    f.set_number(2, &mut o.max_extension_ms);
    Ok(())
}

/// `AdaptiveOptions` from its table's values into `slot` (`None` when
/// `values` is empty: adaptive attempts off).
///
/// # Errors
/// The first field with a bad value.
pub fn adaptive(
    slot: &mut Option<AdaptiveOptions>,
    nested: &'static str,
    values: &[f64],
) -> Result<(), Error> {
    if values.is_empty() {
        *slot = None;
        return Ok(());
    }
    let f = Fields::new(nested, values);
    let o = slot.insert(AdaptiveOptions::default());
    f.set_number(0, &mut o.half_life_ms);
    f.set_integer(1, &mut o.min_attempts)?;
    f.set_number(2, &mut o.min_samples);
    Ok(())
}

/// Sets the fields of `o` present in the values of its own table and its
/// nested ones.
///
/// # Errors
/// The first field with a bad value.
pub fn policy(
    o: &mut PolicyOptions,
    values: &[f64],
    backoff_values: &[f64],
    retry_after_values: &[f64],
    adaptive_values: &[f64],
) -> Result<(), Error> {
    let f = Fields::new("", values);
    f.set_integer(0, &mut o.max_attempts)?;
    f.set_optional(1, &mut o.deadline_ms);
    backoff(&mut o.backoff, "backoff", backoff_values)?;
    retry_after(&mut o.retry_after, "retryAfter", retry_after_values)?;
    adaptive(&mut o.adaptive, "adaptive", adaptive_values)?;
    Ok(())
}

/// `RatioBudgetOptions` from its table's values.
pub fn ratio(nested: &'static str, values: &[f64]) -> RatioBudgetOptions {
    let f = Fields::new(nested, values);
    let mut o = RatioBudgetOptions::default();
    f.set_number(0, &mut o.ttl_ms);
    f.set_number(1, &mut o.min_retries_per_second);
    f.set_number(2, &mut o.retry_percent);
    o
}

/// `TokenBucketOptions` from its table's values.
pub fn token_bucket(nested: &'static str, values: &[f64]) -> TokenBucketOptions {
    let f = Fields::new(nested, values);
    let mut o = TokenBucketOptions::default();
    f.set_number(0, &mut o.max_tokens);
    f.set_number(1, &mut o.token_ratio);
    o
}

/// `RetryQuotaOptions` from its table's values.
///
/// # Errors
/// The first field with a bad value.
pub fn quota(nested: &'static str, values: &[f64]) -> Result<RetryQuotaOptions, Error> {
    let f = Fields::new(nested, values);
    let mut o = RetryQuotaOptions::default();
    f.set_enum(0, &QUOTA_PRESETS, &mut o.preset)?;
    f.set_optional(1, &mut o.capacity);
    f.set_optional(2, &mut o.retry_cost);
    f.set_optional(3, &mut o.timeout_retry_cost);
    f.set_optional(4, &mut o.throttling_retry_cost);
    f.set_optional(5, &mut o.no_retry_increment);
    Ok(o)
}

/// Sets the fields of `o` (the defaults or a preset) present in the
/// `breaker` table's values; `open_backoff` holds the nested `openBackoff`
/// table's values, or `None` to keep the base's.
///
/// # Errors
/// The first field with a bad value.
pub fn breaker(
    o: &mut BreakerOptions,
    values: &[f64],
    open_backoff: Option<&[f64]>,
) -> Result<(), Error> {
    let f = Fields::new("", values);
    f.set_enum(0, &WINDOW_TYPES, &mut o.window_type)?;
    f.set_integer(1, &mut o.window_size)?;
    f.set_number(2, &mut o.window_ms);
    f.set_number(3, &mut o.bucket_ms);
    f.set_integer(4, &mut o.minimum_calls)?;
    f.set_number(5, &mut o.failure_rate_threshold);
    f.set_number(6, &mut o.slow_call_rate_threshold);
    f.set_number(7, &mut o.slow_call_duration_ms);
    f.set_optional_integer(8, &mut o.failure_count_threshold)?;
    f.set_enum(9, &COMPARISONS, &mut o.threshold_comparison)?;
    f.set_number(10, &mut o.open_duration_ms);
    f.set_integer(11, &mut o.half_open_permits)?;
    f.set_enum(12, &HALF_OPEN_DECISIONS, &mut o.half_open_decision)?;
    f.set_number(13, &mut o.probe_lease_ms);
    if let Some(values) = open_backoff {
        let mut nested = BackoffOptions::default();
        backoff(&mut nested, "openBackoff", values)?;
        o.open_backoff = Some(nested);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;
    use alloc::string::String;
    use alloc::vec::Vec;
    use stormguard::budget::RetryBudgetOptions;

    /// The tables the JS layer sends values in the order of.
    const TABLES_JS: &str = include_str!("../js/tables.js");

    /// The `(name, type)` entries of table `name` in `js/tables.js`'s
    /// `TABLES` (the quoted pieces after `  name: `, up to the next table).
    fn table(name: &str) -> Vec<(String, String)> {
        let mut text = String::new();
        let mut inside = false;
        // The TABLES object ends at the first `};`.
        for line in TABLES_JS.lines().take_while(|line| *line != "};") {
            let starts_table = line.starts_with("  ") && !line.starts_with("   ");
            if starts_table {
                inside = line.trim_start().starts_with(&format!("{name}:"));
            }
            if inside {
                text.extend(line.split('\'').skip(1).step_by(2));
            }
        }
        assert!(!text.is_empty(), "no table {name}");
        text.split(',')
            .map(|entry| {
                let (field, ty) = entry.split_once(':').map_or((entry, ""), |pair| pair);
                (field.to_owned(), ty.to_owned())
            })
            .collect()
    }

    /// The camelCase keys the core's serde derive writes for `value`.
    fn keys<T: serde::Serialize>(value: &T) -> Vec<String> {
        let json = serde_json::to_value(value).ok();
        let map = json.as_ref().and_then(serde_json::Value::as_object);
        assert!(map.is_some(), "not an object: {json:?}");
        map.map_or_else(Vec::new, |m| m.keys().cloned().collect())
    }

    fn sorted(name: &str) -> Vec<String> {
        let mut v: Vec<String> = table(name).into_iter().map(|(field, _)| field).collect();
        v.sort();
        v
    }

    /// The enum names table `name` lists for `field`.
    fn names(name: &str, field: &str) -> Vec<String> {
        let ty = table(name)
            .into_iter()
            .find(|(f, _)| f == field)
            .map(|(_, ty)| ty);
        let list = ty.as_deref().and_then(|ty| ty.strip_prefix("enum="));
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
        assert_eq!(keys(&BackoffOptions::default()), sorted("backoff"));
        assert_eq!(keys(&RetryAfterOptions::default()), sorted("retryAfter"));
        assert_eq!(keys(&AdaptiveOptions::default()), sorted("adaptive"));
        assert_eq!(keys(&RatioBudgetOptions::default()), sorted("ratio"));
        assert_eq!(keys(&TokenBucketOptions::default()), sorted("tokenBucket"));
        assert_eq!(keys(&RetryQuotaOptions::default()), sorted("quota"));
        let mut policy = sorted("policy");
        policy.extend(["backoff", "retryAfter", "adaptive"].map(str::to_owned));
        policy.sort();
        assert_eq!(keys(&PolicyOptions::default()), policy);
        let mut breaker = sorted("breaker");
        breaker.push("openBackoff".to_owned());
        breaker.sort();
        assert_eq!(keys(&BreakerOptions::default()), breaker);
        assert_eq!(sorted("registry"), ["maxOrigins"]);
        let tagged = RetryBudgetOptions::default();
        assert!(keys(&tagged).contains(&"type".to_owned()));
    }

    #[test]
    fn enum_lists_are_the_core_names_in_order() {
        assert_eq!(names("backoff", "schedule"), serde_names(&SCHEDULES));
        assert_eq!(names("backoff", "jitter"), serde_names(&JITTERS));
        assert_eq!(names("backoff", "capOrder"), serde_names(&CAP_ORDERS));
        assert_eq!(
            names("backoff", "decorrelatedStart"),
            serde_names(&DECORRELATED_STARTS)
        );
        assert_eq!(names("retryAfter", "combine"), serde_names(&COMBINES));
        assert_eq!(names("quota", "preset"), serde_names(&QUOTA_PRESETS));
        assert_eq!(names("breaker", "windowType"), serde_names(&WINDOW_TYPES));
        assert_eq!(
            names("breaker", "thresholdComparison"),
            serde_names(&COMPARISONS)
        );
        assert_eq!(
            names("breaker", "halfOpenDecision"),
            serde_names(&HALF_OPEN_DECISIONS)
        );
    }

    #[test]
    fn every_table_entry_has_a_known_type() {
        for name in [
            "backoff",
            "retryAfter",
            "policy",
            "adaptive",
            "ratio",
            "tokenBucket",
            "quota",
            "breaker",
            "registry",
        ] {
            for (field, ty) in table(name) {
                let base = ty.strip_suffix('?').map_or(ty.as_str(), |b| b);
                let known =
                    ["number", "integer", "boolean"].contains(&base) || base.starts_with("enum=");
                assert!(known, "{name}.{field}: {ty}");
            }
        }
    }

    /// The comma-separated list `export const NAME = '…' + '…';` of
    /// `js/tables.js`.
    fn js_list(name: &str) -> Vec<String> {
        let start = format!("export const {name} = ");
        let mut text = String::new();
        let mut inside = false;
        for line in TABLES_JS.lines() {
            inside |= line.starts_with(&start);
            if inside {
                text.extend(line.split('\'').skip(1).step_by(2));
                if line.trim_end().ends_with(';') {
                    break;
                }
            }
        }
        assert!(!text.is_empty(), "no list {name}");
        text.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn hint_headers_are_the_core_order() {
        let core: Vec<String> = stormguard::retry_after::HintHeader::ALL
            .iter()
            .map(|h| h.name().to_owned())
            .collect();
        assert_eq!(js_list("HINT_HEADERS"), core);
    }

    #[test]
    fn failure_classes_are_the_decide_indexes() {
        let classes: Vec<String> = crate::api::policy::CLASS_VALUES
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        assert_eq!(js_list("FAILURE_CLASSES"), classes);
    }

    /// `names` as owned strings, for comparing with a `js/tables.js` list.
    fn owned(names: impl IntoIterator<Item = &'static str>) -> Vec<String> {
        names.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn states_reasons_and_give_ups_are_the_core_indexes() {
        use stormguard::breaker::{State, TransitionReason};
        use stormguard::policy::GiveUp;
        assert_eq!(
            js_list("BREAKER_STATES"),
            owned(State::ALL.map(State::name))
        );
        assert!(State::ALL.iter().enumerate().all(|(i, s)| s.index() == i));
        let reasons = TransitionReason::ALL.map(TransitionReason::name);
        assert_eq!(js_list("TRANSITION_REASONS"), owned(reasons));
        assert!(
            TransitionReason::ALL
                .iter()
                .enumerate()
                .all(|(i, r)| r.index() == i)
        );
        assert_eq!(js_list("GIVE_UP_CODES"), owned(GiveUp::CODES));
    }

    #[test]
    fn breaker_metrics_name_every_number_before_the_times() {
        let mut core = crate::Core::new();
        let handle = core.breakers("", &[], &[], &[]) as u32;
        core.breaker_op(handle, 0, 13, 0.0, 0.0);
        let written = core.breaker_op(handle, 0, 11, 0.0, 0.0);
        assert_eq!(written, (js_list("BREAKER_METRICS").len() + 6) as f64);
    }
}
