//! What a storm run measures, over time and in total.
//!
//! Why these numbers: they are the ones an on-call engineer looks at during
//! an incident. *Load* (attempts per second against capacity) shows the
//! storm; *amplification* (attempts per original request) shows who causes
//! it; *success rate*, *goodput* and *latency* show what users get; *peak
//! load after recovery* and *time to recover* show whether the retries let
//! the server come back or keep it down.
//!
//! ```text
//! per bucket     offered   operations started at the top layer
//!                attempts  attempts sent to the server (its load)
//!                succeeded / failed   operations that ended, by result
//! amplification  attempts / offered (total, and during the outage window)
//! success rate   succeeded / (succeeded + failed)
//! recovery       from the end of the outage to the end of the last bucket
//!                whose success rate is below 99 % (0 if none is)
//! ```
//!
//! Constraints: counters only grow; latencies are kept in microseconds
//! (saturating at about 71 minutes) and sorted once, at the end.

use alloc::string::String;
use alloc::vec::Vec;

use crate::policy::GiveUpCounts;
use crate::time::Instant;

/// Success rate a bucket must reach to count as recovered.
pub const RECOVERED_SUCCESS_RATE: f64 = 0.99;

/// One bucket of the time series.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Bucket {
    /// Operations started at the top layer.
    pub offered: u64,
    /// Attempts sent to the server.
    pub attempts: u64,
    /// Top-layer operations that succeeded.
    pub succeeded: u64,
    /// Top-layer operations that gave up.
    pub failed: u64,
}

impl Bucket {
    /// `succeeded / (succeeded + failed)`, or `None` when nothing ended.
    pub fn success_rate(&self) -> Option<f64> {
        let ended = self.succeeded + self.failed;
        (ended > 0).then(|| self.succeeded as f64 / ended as f64)
    }
}

/// Totals of one fleet's run.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Totals {
    /// Operations started at the top layer.
    pub offered: u64,
    /// Attempts sent to the server.
    pub attempts: u64,
    /// Attempts made at each layer, top first (the last equals `attempts`).
    pub attempts_per_layer: Vec<u64>,
    /// `attempts / offered`.
    pub amplification: f64,
    /// Attempts sent during the outage window per operation started in it;
    /// `None` without a timeline.
    pub outage_amplification: Option<f64>,
    /// Top-layer operations that succeeded.
    pub succeeded: u64,
    /// Top-layer operations that gave up.
    pub failed: u64,
    /// Top-layer operations still running when the run ended.
    pub unfinished: u64,
    /// `succeeded / (succeeded + failed)`.
    pub success_rate: f64,
    /// Successful operations per second over the whole run.
    pub goodput_rps: f64,
    /// Median time from start to success, in ms.
    pub p50_ms: Option<f64>,
    /// 99th percentile time from start to success, in ms.
    pub p99_ms: Option<f64>,
    /// The busiest bucket at or after recovery, in attempts per second.
    pub peak_after_recovery_rps: Option<f64>,
    /// `peakAfterRecoveryRps / capacityRps`.
    pub peak_after_recovery_load: Option<f64>,
    /// Seconds from the end of the outage until the success rate is back at
    /// or above 99 % for good; `None` if it never is within the run (or
    /// there is no outage).
    pub recovery_s: Option<f64>,
    /// When the last top-layer operation ended, in seconds.
    pub last_end_s: Option<f64>,
    /// Top-layer give-ups by the policy's reason.
    pub give_ups: GiveUpCounts,
    /// Top-layer operations failed fast by an open circuit breaker.
    pub breaker_rejections: u64,
    /// Times a breaker opened, over all clients and layers.
    pub breaker_openings: u64,
    /// Events processed (a measure of simulation work).
    pub events: u64,
}

/// One fleet's results.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct FleetReport {
    /// The fleet's name.
    pub name: String,
    /// Totals over the run.
    pub totals: Totals,
    /// One bucket per `bucketMs`, from time zero.
    pub series: Vec<Bucket>,
}

/// Counts events into buckets as the run goes.
#[derive(Debug)]
pub(crate) struct Recorder {
    bucket_ns: u64,
    pub(crate) series: Vec<Bucket>,
    pub(crate) attempts_per_layer: Vec<u64>,
    outage: Option<(Instant, Instant)>,
    offered_in_outage: u64,
    attempts_in_outage: u64,
    latencies_us: Vec<u32>,
    last_end: Option<Instant>,
    pub(crate) breaker_rejections: u64,
}

impl Recorder {
    pub(crate) fn new(
        bucket_ns: u64,
        buckets: usize,
        layers: usize,
        outage: Option<(Instant, Instant)>,
    ) -> Self {
        Self {
            bucket_ns: bucket_ns.max(1),
            series: alloc::vec![Bucket::default(); buckets],
            attempts_per_layer: alloc::vec![0; layers],
            outage,
            offered_in_outage: 0,
            attempts_in_outage: 0,
            latencies_us: Vec::new(),
            last_end: None,
            breaker_rejections: 0,
        }
    }

    #[inline]
    fn bucket(&mut self, at: Instant) -> Option<&mut Bucket> {
        let index = usize::try_from(at.as_nanos() / self.bucket_ns).unwrap_or(usize::MAX);
        self.series.get_mut(index)
    }

    #[inline]
    fn in_outage(&self, at: Instant) -> bool {
        self.outage.is_some_and(|(from, to)| from <= at && at < to)
    }

    #[inline]
    pub(crate) fn offered(&mut self, at: Instant) {
        if let Some(b) = self.bucket(at) {
            b.offered += 1;
        }
        if self.in_outage(at) {
            self.offered_in_outage += 1;
        }
    }

    #[inline]
    pub(crate) fn attempt(&mut self, at: Instant, layer: usize, bottom: bool) {
        if let Some(count) = self.attempts_per_layer.get_mut(layer) {
            *count += 1;
        }
        if bottom {
            if let Some(b) = self.bucket(at) {
                b.attempts += 1;
            }
            if self.in_outage(at) {
                self.attempts_in_outage += 1;
            }
        }
    }

    #[inline]
    pub(crate) fn ended(&mut self, at: Instant, started: Instant, success: bool) {
        self.last_end = Some(at);
        if let Some(b) = self.bucket(at) {
            if success {
                b.succeeded += 1;
            } else {
                b.failed += 1;
            }
        }
        if success {
            let us = (at - started).as_micros();
            self.latencies_us
                .push(u32::try_from(us).unwrap_or(u32::MAX));
        }
    }

    /// Totals from the counters; `give_ups` and the breaker numbers come
    /// from the components.
    pub(crate) fn totals(&mut self, capacity_rps: f64, duration_s: f64, unfinished: u64) -> Totals {
        let sum = |f: fn(&Bucket) -> u64| self.series.iter().map(f).sum::<u64>();
        let offered = sum(|b| b.offered);
        let succeeded = sum(|b| b.succeeded);
        let failed = sum(|b| b.failed);
        let attempts = self.attempts_per_layer.last().copied().unwrap_or(0);
        self.latencies_us.sort_unstable();
        let percentile = |q: f64| {
            let n = self.latencies_us.len();
            let rank = crate::float::round(q * (n as f64 - 1.0)) as usize;
            self.latencies_us.get(rank).map(|&us| f64::from(us) / 1e3)
        };
        let bucket_s = self.bucket_ns as f64 / 1e9;
        let recovered_at = self.outage.map(|(_, to)| to);
        let after: Vec<(usize, &Bucket)> = match recovered_at {
            Some(to) => {
                let first =
                    usize::try_from(to.as_nanos().div_ceil(self.bucket_ns)).unwrap_or(usize::MAX);
                self.series.iter().enumerate().skip(first).collect()
            }
            None => Vec::new(),
        };
        let peak = after.iter().map(|(_, b)| b.attempts).max();
        let recovery_s = recovered_at.and_then(|to| {
            let last_bad = after
                .iter()
                .rev()
                .find(|(_, b)| b.success_rate().is_some_and(|r| r < RECOVERED_SUCCESS_RATE));
            match last_bad {
                None => Some(0.0),
                Some((index, _)) if index + 1 >= self.series.len() => None,
                Some((index, _)) => {
                    let end_ns = (*index as u64 + 1) * self.bucket_ns;
                    Some((end_ns.saturating_sub(to.as_nanos())) as f64 / 1e9)
                }
            }
        });
        Totals {
            offered,
            attempts,
            attempts_per_layer: self.attempts_per_layer.clone(),
            amplification: ratio(attempts, offered),
            outage_amplification: self
                .outage
                .map(|_| ratio(self.attempts_in_outage, self.offered_in_outage)),
            succeeded,
            failed,
            unfinished,
            success_rate: ratio(succeeded, succeeded + failed),
            goodput_rps: succeeded as f64 / duration_s,
            p50_ms: percentile(0.5),
            p99_ms: percentile(0.99),
            peak_after_recovery_rps: peak.map(|p| p as f64 / bucket_s),
            peak_after_recovery_load: peak.map(|p| p as f64 / bucket_s / capacity_rps),
            recovery_s,
            last_end_s: self.last_end.map(|t| t.as_nanos() as f64 / 1e9),
            give_ups: GiveUpCounts::default(),
            breaker_rejections: self.breaker_rejections,
            breaker_openings: 0,
            events: 0,
        }
    }
}

/// `part / whole`, 0 when `whole` is 0.
fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
