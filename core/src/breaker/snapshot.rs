//! Lossless, versioned snapshots of a breaker.
//!
//! Why: a breaker that forgets it was open when its process restarts sends a
//! burst of calls to a dependency that is still down; breakers shared between
//! processes (pybreaker's Redis storage) need the state as data. A
//! [`BreakerSnapshot`] holds *everything* — phase and deadline, window
//! contents, probe leases, generation, permit ledger, counters, pending
//! transitions, the clock clamp — so a restored breaker continues exactly
//! where the original left off.
//!
//! ```text
//! snapshot() → { version: 1, phase, generation, window, probes, ledger, … }
//! restore(options, snapshot):
//!   version ≠ 1                          → SnapshotError::UnsupportedVersion
//!   options invalid                      → SnapshotError::Config
//!   window shape or halfOpenPermits differ → SnapshotError::OptionsMismatch
//!   probes and tally disagree, or a half-open tally already decided
//!                                        → SnapshotError::Corrupt
//!   cached window totals are recomputed from the stored calls
//! ```
//!
//! Thresholds and durations come from the options given to `restore`, so a
//! snapshot can be restored under tuned thresholds; the window shape cannot
//! change.
//!
//! Constraints: snapshots allocate (they copy the buffers); restore checks
//! everything a hot path relies on, so a tampered snapshot yields an error,
//! never a panic later.

use super::Breaker;
use super::ledger::Ledger;
use super::metrics::Counters;
use super::options::{BreakerOptions, HalfOpenDecision};
use super::probes::ProbeTable;
use super::state::{Phase, Tally};
use super::transition::TransitionQueue;
use super::window::Window;
use crate::ConfigError;
use crate::backoff::BackoffState;
use crate::rng::clamp_unit;
use crate::time::{Instant, Monotonic};

/// The snapshot format this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// The whole state of a [`Breaker`]. Serialize it (feature `serde`) to store
/// or share it; unknown top-level fields are ignored so that a newer format
/// is reported as [`SnapshotError::UnsupportedVersion`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct BreakerSnapshot {
    /// Format version, [`SNAPSHOT_VERSION`] when written by this build.
    pub version: u32,
    pub(crate) clock: Monotonic,
    pub(crate) state_since: Option<Instant>,
    pub(crate) phase: Phase,
    pub(crate) generation: u64,
    pub(crate) ledger: Ledger,
    pub(crate) window: Window,
    pub(crate) probes: ProbeTable,
    pub(crate) consecutive_openings: u32,
    pub(crate) open_backoff_state: BackoffState,
    pub(crate) open_draw: f64,
    pub(crate) counters: Counters,
    pub(crate) time_in_state_nanos: [u64; 6],
    pub(crate) transitions: TransitionQueue,
}

/// Why a snapshot could not be restored.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The snapshot was written in another format version.
    #[error("unsupported breaker snapshot version {version} (this build reads {SNAPSHOT_VERSION})")]
    UnsupportedVersion {
        /// The version found.
        version: u32,
    },
    /// The options describe a different window or number of probes.
    #[error("snapshot does not match the options: `{field}` differs")]
    OptionsMismatch {
        /// The option that differs.
        field: &'static str,
    },
    /// The snapshot contradicts itself.
    #[error("breaker snapshot is inconsistent: {reason}")]
    Corrupt {
        /// What is inconsistent.
        reason: &'static str,
    },
    /// The options themselves are invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl SnapshotError {
    /// Stable machine-readable code, the same in every binding.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedVersion { .. } => "ERR_SNAPSHOT_VERSION",
            Self::OptionsMismatch { .. } => "ERR_SNAPSHOT_MISMATCH",
            Self::Corrupt { .. } => "ERR_SNAPSHOT_CORRUPT",
            Self::Config(error) => error.code(),
        }
    }
}

impl Breaker {
    /// Everything needed to continue later, elsewhere.
    pub fn snapshot(&self) -> BreakerSnapshot {
        BreakerSnapshot {
            version: SNAPSHOT_VERSION,
            clock: self.clock,
            state_since: self.state_since,
            phase: self.phase,
            generation: self.generation,
            ledger: self.ledger,
            window: self.window.clone(),
            probes: self.probes.clone(),
            consecutive_openings: self.openings,
            open_backoff_state: self.open_backoff_state,
            open_draw: self.open_draw,
            counters: self.counters,
            time_in_state_nanos: self.time_in_state,
            transitions: self.transitions.clone(),
        }
    }

    /// A breaker that continues from `snapshot` under `options`.
    ///
    /// # Errors
    /// [`SnapshotError::UnsupportedVersion`] for another format version,
    /// [`SnapshotError::Config`] for invalid options,
    /// [`SnapshotError::OptionsMismatch`] when the window shape
    /// (`windowType`, `windowSize`, `windowMs`, `bucketMs`) or
    /// `halfOpenPermits` differ from the snapshot's, and
    /// [`SnapshotError::Corrupt`] when the half-open probes contradict their
    /// tally.
    pub fn restore(
        options: &BreakerOptions,
        snapshot: BreakerSnapshot,
    ) -> Result<Self, SnapshotError> {
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(SnapshotError::UnsupportedVersion {
                version: snapshot.version,
            });
        }
        let fresh = Self::new(options)?;
        let config = fresh.config;
        if !snapshot.window.has_shape(config.window) {
            return Err(SnapshotError::OptionsMismatch {
                field: "windowType",
            });
        }
        if snapshot.probes.capacity() != config.half_open_permits as usize {
            return Err(SnapshotError::OptionsMismatch {
                field: "halfOpenPermits",
            });
        }
        let leased = snapshot.probes.leased();
        match snapshot.phase {
            Phase::HalfOpen { tally } => {
                if tally.in_flight != leased {
                    return Err(SnapshotError::Corrupt {
                        reason: "leased probes differ from the half-open tally",
                    });
                }
                if is_decided(&tally, config.half_open_permits, config.half_open_decision) {
                    return Err(SnapshotError::Corrupt {
                        reason: "half-open tally is already conclusive",
                    });
                }
            }
            _ if leased != 0 => {
                return Err(SnapshotError::Corrupt {
                    reason: "probes leased outside the half-open state",
                });
            }
            _ => {}
        }
        let mut window = snapshot.window;
        window.recount();
        let mut transitions = snapshot.transitions;
        transitions.sanitize();
        Ok(Self {
            config,
            clock: snapshot.clock,
            state_since: snapshot.state_since,
            phase: snapshot.phase,
            generation: snapshot.generation,
            ledger: snapshot.ledger,
            window,
            probes: snapshot.probes,
            openings: snapshot.consecutive_openings,
            open_backoff_state: snapshot.open_backoff_state,
            open_draw: clamp_unit(snapshot.open_draw),
            counters: snapshot.counters,
            time_in_state: snapshot.time_in_state_nanos,
            transitions,
        })
    }
}

/// Whether a half-open tally would already have closed or reopened (a
/// restored breaker would otherwise wait for probes it can no longer admit).
fn is_decided(tally: &Tally, permits: u32, decision: HalfOpenDecision) -> bool {
    if tally.used() > permits {
        return true;
    }
    match decision {
        HalfOpenDecision::Rate => tally.reported() >= permits,
        HalfOpenDecision::Successes => tally.failures > 0 || tally.successes >= permits,
    }
}
