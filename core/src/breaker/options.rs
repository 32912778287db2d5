//! Breaker options: the plain data the bindings expose, and its validation.
//!
//! Why a flat struct: every binding (Node, Python, wasm) and every vector file
//! spells these names the same way (`failureRateThreshold`, `openDurationMs`),
//! so one options object describes resilience4j-, Polly-, opossum-, pybreaker-
//! and gobreaker-style breakers alike (see [`super::presets`]).
//!
//! Defaults follow resilience4j: a count window of 100 calls, at least 100
//! calls before a rate exists, open at a failure rate **≥** 50 % or a slow-call
//! rate **≥** 100 % (slow = longer than 60 s), stay open 60 s, then let 10
//! probes through and decide on their failure rate.
//!
//! Constraints: [`BreakerOptions::validate`] runs once, in
//! [`super::Breaker::new`]; it turns milliseconds into nanoseconds and sizes
//! every buffer, so the hot paths never re-check anything.

use super::open_duration::OpenDuration;
use crate::ConfigError;
use crate::backoff::BackoffOptions;
use crate::time::{Duration, duration_from_millis_f64, saturating_nanos};

/// Largest count window (`windowSize`), in calls: 2 bits each, so 250 KiB.
pub const MAX_WINDOW_SIZE: u32 = 1_000_000;
/// Largest number of buckets in a time window (`windowMs / bucketMs`).
pub const MAX_BUCKETS: u64 = 100_000;
/// Largest `halfOpenPermits`: the half-open phase scans its probes linearly.
pub const MAX_HALF_OPEN_PERMITS: u32 = 10_000;

/// Which calls the closed state looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum WindowType {
    /// The current run of failures (pybreaker, gobreaker): a success ends the
    /// run. Needs `failureCountThreshold`; rates and `minimumCalls` do not
    /// apply.
    Consecutive,
    /// The last `windowSize` calls (resilience4j `COUNT_BASED`), 2 bits each.
    #[default]
    Count,
    /// The calls of the last `windowMs`, in buckets of `bucketMs`
    /// (resilience4j `TIME_BASED`, Polly, opossum, cockatiel sampling).
    Time,
}

/// How a measured value is compared with its threshold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum Comparison {
    /// Trip when the value is **≥** the threshold (resilience4j, Polly,
    /// pybreaker).
    #[default]
    AtLeast,
    /// Trip when the value is **>** the threshold (opossum's
    /// `errorThresholdPercentage`, gobreaker's `ConsecutiveFailures > 5`).
    Above,
}

impl Comparison {
    /// Whether `value` trips a `threshold` under this comparison.
    #[inline]
    pub(crate) fn trips(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::AtLeast => value >= threshold,
            Self::Above => value > threshold,
        }
    }
}

/// How the half-open state decides once its probes report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum HalfOpenDecision {
    /// resilience4j: wait until all `halfOpenPermits` probes reported, then
    /// open if their failure rate or slow-call rate trips the thresholds
    /// (same `thresholdComparison`), otherwise close.
    #[default]
    Rate,
    /// gobreaker, pybreaker, Polly, opossum: the first failed probe reopens at
    /// once; `halfOpenPermits` successful probes close. Slow calls count as
    /// successes here.
    Successes,
}

/// Everything a [`super::Breaker`] can be told. `Default` is resilience4j's
/// configuration; field docs give each default and its peer.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct BreakerOptions {
    /// Which calls the closed state counts. Default [`WindowType::Count`].
    pub window_type: WindowType,
    /// Count window: number of most recent calls, 1 ..= 1 000 000.
    /// Default 100 (resilience4j `slidingWindowSize`).
    pub window_size: u32,
    /// Time window: its span in ms, a whole multiple of `bucketMs` (at most
    /// 100 000 buckets). Default 100 000 (resilience4j's 100 one-second
    /// buckets).
    pub window_ms: f64,
    /// Time window: bucket width in ms, > 0. Samples expire a bucket at a
    /// time; buckets are aligned to the host's epoch. Default 1 000.
    pub bucket_ms: f64,
    /// Calls the window must hold before a rate or count can trip. For the
    /// count window the effective minimum is `min(minimumCalls, windowSize)`
    /// (as resilience4j). Ignored by the consecutive window. Default 100.
    pub minimum_calls: u32,
    /// Failure rate in percent, 0 < x ≤ 100, that opens the breaker.
    /// Default 50.
    pub failure_rate_threshold: f64,
    /// Slow-call rate in percent, 0 < x ≤ 100, that opens the breaker.
    /// Default 100.
    pub slow_call_rate_threshold: f64,
    /// A call is slow when its measured duration is **longer** than this
    /// (ms, ≥ 0). Calls recorded without a duration are never slow.
    /// Default 60 000.
    pub slow_call_duration_ms: f64,
    /// Failures in the window (for the consecutive window: failures in a
    /// row) that open the breaker, ≥ 1. Default none; required by
    /// [`WindowType::Consecutive`].
    pub failure_count_threshold: Option<u32>,
    /// `≥` or `>` for every threshold above. Default [`Comparison::AtLeast`].
    pub threshold_comparison: Comparison,
    /// How long the breaker stays open (ms, ≥ 0); it admits a probe once
    /// `now` is **strictly after** `opened + openDurationMs`. Default 60 000.
    pub open_duration_ms: f64,
    /// Grow the open duration on consecutive re-openings with the crate's
    /// backoff: the `n`-th consecutive opening (1-based, reset when the
    /// breaker closes) stays open for the backoff's delay for attempt `n`,
    /// jittered with the breaker's open draw
    /// ([`super::Breaker::set_open_draw`]). Replaces `openDurationMs` when
    /// set. Default none (fixed `openDurationMs`).
    pub open_backoff: Option<BackoffOptions>,
    /// Probes admitted per half-open phase, 1 ..= 10 000. Default 10.
    pub half_open_permits: u32,
    /// How the half-open phase decides. Default [`HalfOpenDecision::Rate`].
    pub half_open_decision: HalfOpenDecision,
    /// A probe that has not reported this long after it was admitted (ms,
    /// greater than 0) loses its permit: the slot goes to the next caller and
    /// its late result is ignored. Default 60 000.
    pub probe_lease_ms: f64,
}

impl Default for BreakerOptions {
    fn default() -> Self {
        Self {
            window_type: WindowType::Count,
            window_size: 100,
            window_ms: 100_000.0,
            bucket_ms: 1_000.0,
            minimum_calls: 100,
            failure_rate_threshold: 50.0,
            slow_call_rate_threshold: 100.0,
            slow_call_duration_ms: 60_000.0,
            failure_count_threshold: None,
            threshold_comparison: Comparison::AtLeast,
            open_duration_ms: 60_000.0,
            open_backoff: None,
            half_open_permits: 10,
            half_open_decision: HalfOpenDecision::Rate,
            probe_lease_ms: 60_000.0,
        }
    }
}

/// The validated window shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WindowShape {
    Consecutive,
    Count { size: u32 },
    Time { buckets: u32, bucket_nanos: u64 },
}

/// Validated options in hot-path units.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Config {
    pub(crate) window: WindowShape,
    /// Effective minimum, at least 1.
    pub(crate) minimum_calls: u64,
    pub(crate) failure_rate_threshold: f64,
    pub(crate) slow_call_rate_threshold: f64,
    pub(crate) slow_call_duration: Duration,
    pub(crate) failure_count_threshold: Option<u32>,
    pub(crate) comparison: Comparison,
    pub(crate) open_duration: OpenDuration,
    pub(crate) half_open_permits: u32,
    pub(crate) half_open_decision: HalfOpenDecision,
    pub(crate) probe_lease: Duration,
}

fn check_percent(field: &'static str, value: f64) -> Result<f64, ConfigError> {
    ConfigError::check_range(field, value, 0.0, 100.0)?;
    if value == 0.0 {
        return Err(ConfigError::Invalid {
            field,
            reason: "must be greater than 0",
        });
    }
    Ok(value)
}

fn check_count(field: &'static str, value: u32, max: u32) -> Result<u32, ConfigError> {
    ConfigError::check_range(field, f64::from(value), 1.0, f64::from(max))?;
    Ok(value)
}

impl BreakerOptions {
    /// Validates every field, reporting the first bad one by its binding name.
    pub(crate) fn validate(&self) -> Result<Config, ConfigError> {
        let window = match self.window_type {
            WindowType::Consecutive => {
                if self.failure_count_threshold.is_none() {
                    return Err(ConfigError::Invalid {
                        field: "failureCountThreshold",
                        reason: "is required with windowType \"consecutive\"",
                    });
                }
                WindowShape::Consecutive
            }
            WindowType::Count => WindowShape::Count {
                size: check_count("windowSize", self.window_size, MAX_WINDOW_SIZE)?,
            },
            WindowType::Time => self.time_shape()?,
        };
        let minimum_calls = match window {
            WindowShape::Count { size } => self.minimum_calls.min(size),
            _ => self.minimum_calls,
        };
        if let Some(count) = self.failure_count_threshold {
            check_count("failureCountThreshold", count, u32::MAX)?;
        }
        let open_duration = OpenDuration::new(self.open_duration_ms, self.open_backoff.as_ref())?;
        let probe_lease = duration_from_millis_f64("probeLeaseMs", self.probe_lease_ms)?;
        if probe_lease.is_zero() {
            return Err(ConfigError::Invalid {
                field: "probeLeaseMs",
                reason: "must be greater than 0",
            });
        }
        Ok(Config {
            window,
            minimum_calls: u64::from(minimum_calls.max(1)),
            failure_rate_threshold: check_percent(
                "failureRateThreshold",
                self.failure_rate_threshold,
            )?,
            slow_call_rate_threshold: check_percent(
                "slowCallRateThreshold",
                self.slow_call_rate_threshold,
            )?,
            slow_call_duration: duration_from_millis_f64(
                "slowCallDurationMs",
                self.slow_call_duration_ms,
            )?,
            failure_count_threshold: self.failure_count_threshold,
            comparison: self.threshold_comparison,
            open_duration,
            half_open_permits: check_count(
                "halfOpenPermits",
                self.half_open_permits,
                MAX_HALF_OPEN_PERMITS,
            )?,
            half_open_decision: self.half_open_decision,
            probe_lease,
        })
    }

    fn time_shape(&self) -> Result<WindowShape, ConfigError> {
        let bucket = saturating_nanos(duration_from_millis_f64("bucketMs", self.bucket_ms)?);
        if bucket == 0 {
            return Err(ConfigError::Invalid {
                field: "bucketMs",
                reason: "must be at least 1 ns",
            });
        }
        let span = saturating_nanos(duration_from_millis_f64("windowMs", self.window_ms)?);
        let buckets = span / bucket;
        if buckets == 0 || !span.is_multiple_of(bucket) {
            return Err(ConfigError::Invalid {
                field: "windowMs",
                reason: "must be a positive whole multiple of `bucketMs`",
            });
        }
        if buckets > MAX_BUCKETS {
            return Err(ConfigError::Invalid {
                field: "windowMs",
                reason: "must not exceed 100000 buckets of `bucketMs`",
            });
        }
        Ok(WindowShape::Time {
            buckets: u32::try_from(buckets).unwrap_or(u32::MAX),
            bucket_nanos: bucket,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_resilience4j() {
        let config = BreakerOptions::default().validate().unwrap();
        assert_eq!(config.window, WindowShape::Count { size: 100 });
        assert_eq!(config.minimum_calls, 100);
        assert_eq!(config.failure_rate_threshold, 50.0);
        assert_eq!(config.slow_call_rate_threshold, 100.0);
        assert_eq!(config.slow_call_duration, Duration::from_secs(60));
        assert_eq!(
            config.open_duration,
            OpenDuration::Fixed(Duration::from_secs(60))
        );
        assert_eq!(config.half_open_permits, 10);
        assert_eq!(config.comparison, Comparison::AtLeast);
    }

    #[test]
    fn count_window_caps_the_minimum_at_its_size() {
        let options = BreakerOptions {
            window_size: 10,
            ..BreakerOptions::default()
        };
        assert_eq!(options.validate().unwrap().minimum_calls, 10);
    }

    #[test]
    fn bad_fields_are_named() {
        let cases: [(BreakerOptions, &str); 8] = [
            (
                BreakerOptions {
                    failure_rate_threshold: 0.0,
                    ..Default::default()
                },
                "failureRateThreshold",
            ),
            (
                BreakerOptions {
                    slow_call_rate_threshold: 101.0,
                    ..Default::default()
                },
                "slowCallRateThreshold",
            ),
            (
                BreakerOptions {
                    window_size: 0,
                    ..Default::default()
                },
                "windowSize",
            ),
            (
                BreakerOptions {
                    window_type: WindowType::Time,
                    window_ms: 1_500.0,
                    ..Default::default()
                },
                "windowMs",
            ),
            (
                BreakerOptions {
                    window_type: WindowType::Time,
                    bucket_ms: f64::NAN,
                    ..Default::default()
                },
                "bucketMs",
            ),
            (
                BreakerOptions {
                    window_type: WindowType::Consecutive,
                    ..Default::default()
                },
                "failureCountThreshold",
            ),
            (
                BreakerOptions {
                    half_open_permits: 0,
                    ..Default::default()
                },
                "halfOpenPermits",
            ),
            (
                BreakerOptions {
                    probe_lease_ms: 0.0,
                    ..Default::default()
                },
                "probeLeaseMs",
            ),
        ];
        for (options, field) in cases {
            assert_eq!(options.validate().unwrap_err().field(), field);
        }
    }

    #[test]
    fn time_window_counts_its_buckets() {
        let options = BreakerOptions {
            window_type: WindowType::Time,
            window_ms: 60_000.0,
            bucket_ms: 1_000.0,
            ..Default::default()
        };
        assert_eq!(
            options.validate().unwrap().window,
            WindowShape::Time {
                buckets: 60,
                bucket_nanos: 1_000_000_000
            }
        );
    }
}
