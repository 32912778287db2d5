//! The state every backoff class shares: a validated core
//! [`Backoff`](stormguard::backoff::Backoff), the per-operation
//! [`BackoffState`] and the draw source.
//!
//! Why a separate struct: the seven redis-py classes and `Backoff` differ
//! only in how they are constructed and compared. Locking: the state lives
//! in a [`Mutex`] held only while the core computes (never while Python
//! code runs: the Python draw is taken before locking), so a backoff shared
//! by a connection pool across threads never raises "Already borrowed" and
//! cannot deadlock with the GIL.

use crate::clock::{python_random, seconds};
use crate::convert::{py_to_serde, serialize_to_py};
use crate::errors::config_error;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt};
use std::sync::{Mutex, MutexGuard};
use stormguard::SeededRng;
use stormguard::backoff::{Backoff, BackoffOptions, BackoffState};
use stormguard::time::Duration;

/// Locks `mutex`, recovering the data of a poisoned lock (the state is
/// plain data that a panic elsewhere cannot leave half-written).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Mutable part of a backoff.
#[derive(Clone, Debug)]
struct Mutable {
    state: BackoffState,
    rng: Option<SeededRng>,
    seed: Option<u64>,
}

/// A backoff with its state and draw source.
#[derive(Debug)]
pub(crate) struct Engine {
    options: BackoffOptions,
    backoff: Backoff,
    /// Whether a delay consumes a Python draw (redis-py's deterministic
    /// classes never call `random`, and neither do their drop-ins).
    draws: bool,
    /// No draw, no state, no attempt limit: `delay()` equals `next_delay()`.
    lock_free: bool,
    mutable: Mutex<Mutable>,
}

impl Engine {
    /// An engine drawing from `SeededRng(seed)` when `seed` is given, from
    /// Python's `random.random()` otherwise.
    pub(crate) fn new(
        options: BackoffOptions,
        backoff: Backoff,
        draws: bool,
        seed: Option<u64>,
    ) -> Self {
        let lock_free =
            !draws && seed.is_none() && !backoff.uses_state() && backoff.max_attempts().is_none();
        Self {
            options,
            backoff,
            draws,
            lock_free,
            mutable: Mutex::new(Mutable {
                state: BackoffState::new(),
                rng: seed.map(SeededRng::from_seed_u64),
                seed,
            }),
        }
    }

    /// The validated backoff.
    pub(crate) fn backoff(&self) -> &Backoff {
        &self.backoff
    }

    /// The options the backoff was built from.
    pub(crate) fn options(&self) -> &BackoffOptions {
        &self.options
    }

    /// The seed, if the engine draws from its own generator.
    pub(crate) fn seed(&self) -> Option<u64> {
        lock(&self.mutable).seed
    }

    /// The delay before retry `attempt`, advancing the state; `u` overrides
    /// the draw. `None` once `maxAttempts` is exceeded.
    pub(crate) fn next(
        &self,
        py: Python<'_>,
        attempt: u32,
        u: Option<f64>,
    ) -> PyResult<Option<Duration>> {
        // A schedule that neither draws nor keeps state nor gives up is the
        // core's pure form: no lock needed.
        if u.is_none() && self.lock_free {
            return Ok(Some(self.backoff.delay(attempt, 0.0)));
        }
        // One lock in the common cases; a Python draw is taken with the
        // lock released (Python code may switch threads).
        {
            let mut mutable = lock(&self.mutable);
            let Mutable { state, rng, .. } = &mut *mutable;
            match (u, rng) {
                (Some(u), _) => return Ok(self.backoff.next_delay(state, attempt, u)),
                (None, Some(rng)) => {
                    return Ok(self.backoff.next_delay_with_rng(state, attempt, rng));
                }
                (None, None) if !self.draws => {
                    return Ok(self.backoff.next_delay(state, attempt, 0.0));
                }
                (None, None) => {}
            }
        }
        let u = python_random(py)?;
        let mut mutable = lock(&self.mutable);
        Ok(self.backoff.next_delay(&mut mutable.state, attempt, u))
    }

    /// Forgets the per-operation state (redis-py `reset()`).
    pub(crate) fn reset(&self) {
        lock(&self.mutable).state = BackoffState::new();
    }

    /// `{"state": …, "rng": … | None}` for pickling.
    pub(crate) fn state_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let mutable = lock(&self.mutable).clone();
        let dict = PyDict::new(py);
        dict.set_item("state", serialize_to_py(py, &mutable.state)?)?;
        dict.set_item("rng", serialize_to_py(py, &mutable.rng)?)?;
        dict.set_item("seed", mutable.seed)?;
        Ok(dict)
    }

    /// Restores what [`Engine::state_dict`] produced.
    pub(crate) fn set_state(&self, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let backoff_state: BackoffState = py_to_serde(
            "state",
            &crate::convert::snapshot_item("state", state, "state")?,
        )?;
        let rng: Option<SeededRng> = py_to_serde(
            "state",
            &crate::convert::snapshot_item("state", state, "rng")?,
        )?;
        let seed: Option<u64> = py_to_serde(
            "state",
            &crate::convert::snapshot_item("state", state, "seed")?,
        )?;
        let mut mutable = lock(&self.mutable);
        mutable.state = backoff_state;
        mutable.rng = rng;
        mutable.seed = seed;
        Ok(())
    }
}

/// The delay in seconds, or `None`.
pub(crate) fn delay_seconds(delay: Option<Duration>) -> Option<f64> {
    delay.map(seconds)
}

/// A `seed` argument: `None`, or an int in `[0, 2**64)`.
pub(crate) fn seed_arg(seed: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u64>> {
    let Some(seed) = seed else { return Ok(None) };
    if seed.is_none() {
        return Ok(None);
    }
    if seed.is_instance_of::<PyBool>() || !seed.is_instance_of::<PyInt>() {
        return Err(crate::errors::type_error("seed", "an int or None", seed));
    }
    seed.extract::<u64>().map(Some).map_err(|_| {
        config_error(
            seed.py(),
            "seed",
            &format!("`seed` must be between 0 and 2**64 - 1, got {seed}"),
        )
    })
}

/// The `seed=` argument, or 64 bits from Python's `random` module when it
/// is absent, so `random.seed()` also reproduces a breaker's draws.
pub(crate) fn seed_or_random(py: Python<'_>, seed: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    match seed_arg(seed)? {
        Some(seed) => Ok(seed),
        None => py
            .import("random")?
            .getattr("getrandbits")?
            .call1((64,))?
            .extract(),
    }
}

/// A draw argument `u`: a finite or infinite float (the core clamps it
/// into `[0, 1)`; NaN becomes 0).
pub(crate) fn draw_arg(u: Option<&Bound<'_, PyAny>>) -> PyResult<Option<f64>> {
    match u {
        Some(u) if !u.is_none() => crate::convert::number("u", u).map(Some),
        _ => Ok(None),
    }
}
