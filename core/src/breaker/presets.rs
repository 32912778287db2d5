//! Options that reproduce the breakers users already know.
//!
//! Why: teams moving from another library expect the same trip points and
//! timings. Each function returns plain [`BreakerOptions`] (adjust any field
//! afterwards), names the peer and version it follows, and lists where the
//! behaviour deliberately differs (mostly: the peer's known bugs).
//!
//! Common differences from every peer: rejected calls never enter the window,
//! closing always starts an empty window, late results are ignored, half-open
//! probes hold a lease (`probeLeaseMs`, default 60 s), and a probe is admitted
//! when `now` is strictly after the open deadline (pybreaker and Polly admit
//! at the deadline itself, one nanosecond earlier).
//!
//! Constraints: every preset validates (see the tests).

use super::options::{BreakerOptions, Comparison, HalfOpenDecision, WindowType};

/// resilience4j 2.x `CircuitBreakerConfig.ofDefaults()`: count window of 100
/// calls, minimum 100 calls, open at failure rate ≥ 50 % or slow-call rate
/// ≥ 100 % (slow: > 60 s), open 60 s, 10 half-open probes decided by rate.
pub fn resilience4j() -> BreakerOptions {
    BreakerOptions::default()
}

/// opossum 10 defaults: opens when the error percentage of the rolling
/// 10 s window (10 buckets of 1 s) is **above** 50 (`errorThresholdPercentage`,
/// `>`), with `volumeThreshold` 0 (no minimum); `resetTimeout` 30 s; one probe,
/// whose success closes and whose failure reopens.
///
/// Differences: opossum counts rejected calls in the rate's denominator and
/// keeps the old window after closing (both bugs, not reproduced); its
/// buckets rotate on a timer started with the breaker, ours are aligned to
/// the host epoch; opossum has no slow-call rule (ours never trips here:
/// a slow-call rate cannot be above 100 %).
pub fn opossum() -> BreakerOptions {
    BreakerOptions {
        window_type: WindowType::Time,
        window_ms: 10_000.0,
        bucket_ms: 1_000.0,
        minimum_calls: 0,
        failure_rate_threshold: 50.0,
        slow_call_rate_threshold: 100.0,
        threshold_comparison: Comparison::Above,
        open_duration_ms: 30_000.0,
        half_open_permits: 1,
        half_open_decision: HalfOpenDecision::Successes,
        ..BreakerOptions::default()
    }
}

/// pybreaker 1.4 defaults: opens after `fail_max` = 5 consecutive failures
/// (`≥`), `reset_timeout` 60 s, `success_threshold` 1 probe success closes,
/// a failed probe reopens.
///
/// Differences: pybreaker lets every call through while half-open; here
/// `halfOpenPermits` (= `success_threshold`) probes are admitted at a time.
pub fn pybreaker() -> BreakerOptions {
    BreakerOptions {
        window_type: WindowType::Consecutive,
        failure_count_threshold: Some(5),
        threshold_comparison: Comparison::AtLeast,
        open_duration_ms: 60_000.0,
        half_open_permits: 1,
        half_open_decision: HalfOpenDecision::Successes,
        ..BreakerOptions::default()
    }
}

/// Polly v8 `CircuitBreakerStrategyOptions` defaults: failure ratio ≥ 0.1
/// (10 %) over a 30 s sampling duration (10 windows of 3 s), minimum
/// throughput 100, break duration 5 s, exactly one probe.
///
/// Differences: Polly has no slow-call rule; ours applies only to outcomes
/// recorded with a duration above 60 s.
pub fn polly() -> BreakerOptions {
    BreakerOptions {
        window_type: WindowType::Time,
        window_ms: 30_000.0,
        bucket_ms: 3_000.0,
        minimum_calls: 100,
        failure_rate_threshold: 10.0,
        threshold_comparison: Comparison::AtLeast,
        open_duration_ms: 5_000.0,
        half_open_permits: 1,
        half_open_decision: HalfOpenDecision::Successes,
        ..BreakerOptions::default()
    }
}

/// gobreaker v2 defaults: the default `ReadyToTrip` opens when
/// `ConsecutiveFailures > 5`; `Timeout` 60 s; `MaxRequests` 1 both limits
/// half-open concurrency and is the number of successes that closes; any
/// half-open failure reopens. Generations make late results harmless, as in
/// gobreaker.
pub fn gobreaker() -> BreakerOptions {
    BreakerOptions {
        window_type: WindowType::Consecutive,
        failure_count_threshold: Some(5),
        threshold_comparison: Comparison::Above,
        open_duration_ms: 60_000.0,
        half_open_permits: 1,
        half_open_decision: HalfOpenDecision::Successes,
        ..BreakerOptions::default()
    }
}

/// Every name [`by_name`] accepts.
pub const NAMES: &[&str] = &["resilience4j", "opossum", "pybreaker", "polly", "gobreaker"];

/// A preset by its binding-facing name: `"resilience4j"`, `"opossum"`,
/// `"pybreaker"`, `"polly"`, `"gobreaker"`.
pub fn by_name(name: &str) -> Option<BreakerOptions> {
    match name {
        "resilience4j" => Some(resilience4j()),
        "opossum" => Some(opossum()),
        "pybreaker" => Some(pybreaker()),
        "polly" => Some(polly()),
        "gobreaker" => Some(gobreaker()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::Breaker;

    #[test]
    fn every_preset_validates() {
        for &name in NAMES {
            let options = by_name(name).unwrap();
            assert!(Breaker::new(&options).is_ok(), "{name}");
        }
        assert!(by_name("hystrix").is_none());
    }
}
