//! `stormguard._core.Bulkhead`: the core's concurrency limit with a bounded
//! FIFO queue, as decisions. The Python `Bulkhead` keeps the waiters
//! (threads or asyncio futures) and wakes the one a decision names.
//!
//! Permits and tickets are plain ints (ids below 2⁵³); misuse (double
//! release, claiming a ticket that was not handed a slot) raises
//! `UsageError` with the core's code and changes nothing.

use crate::clock::instant_seconds;
use crate::convert::{from_json, kwargs_to_json};
use crate::engine::lock;
use crate::errors::{Kind, from_core, new_error, type_error};
use crate::names::{Schema, Unit, field};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt};
use std::sync::Mutex;
use stormguard::bulkhead::{
    Admission, Bulkhead, BulkheadError, BulkheadOptions, BulkheadPermit, QueueTicket,
};

/// Keywords of `Bulkhead(**options)`.
static BULKHEAD: Schema = Schema {
    fields: &[
        field("max_concurrent", "maxConcurrent", Unit::Plain),
        field("max_queued", "maxQueued", Unit::Plain),
        field("max_queue_wait", "maxQueueWaitMs", Unit::Seconds),
    ],
};

/// The core's bulkhead behind a lock.
#[pyclass(module = "stormguard._core", name = "Bulkhead", frozen)]
#[derive(Debug)]
pub(crate) struct PyBulkhead {
    inner: Mutex<Bulkhead>,
}

/// An id argument (permit or ticket): a non-negative int.
fn id_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(type_error(name, "an int", value));
    }
    value.extract::<u64>().map_err(|_| {
        crate::errors::config_error(
            value.py(),
            name,
            &format!("`{name}` is not an id this bulkhead issued, got {value}"),
        )
    })
}

fn usage(py: Python<'_>, err: &BulkheadError) -> PyErr {
    new_error(py, Kind::Usage, &err.to_string(), err.code(), &[])
}

#[pymethods]
impl PyBulkhead {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let map = kwargs_to_json(options, &BULKHEAD)?;
        let options: BulkheadOptions = from_json(py, map, &BULKHEAD)?;
        let bulkhead = Bulkhead::new(&options).map_err(|e| from_core(py, &e, &BULKHEAD))?;
        Ok(Self {
            inner: Mutex::new(bulkhead),
        })
    }

    /// Asks to start a call: `("admitted", permit)`, `("queued", ticket)`,
    /// or `BulkheadFullError` (`ERR_BULKHEAD_FULL`).
    #[pyo3(signature = (now = None))]
    fn try_enter(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(&'static str, u64)> {
        let now = crate::clock::now(py, now)?;
        match lock(&self.inner).try_enter(now) {
            Admission::Admitted(permit) => Ok(("admitted", permit.id())),
            Admission::Queued(ticket) => Ok(("queued", ticket.id())),
            Admission::Rejected { reason } => Err(new_error(
                py,
                Kind::BulkheadFull,
                &format!("bulkhead is full ({})", reason.as_str()),
                "ERR_BULKHEAD_FULL",
                &[],
            )),
        }
    }

    /// Ends the call holding `permit`; the ticket now owning the slot (wake
    /// it; it must `claim`), or None.
    #[pyo3(signature = (permit, now = None))]
    fn release(
        &self,
        py: Python<'_>,
        permit: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<u64>> {
        let permit = BulkheadPermit::from_id(id_arg("permit", permit)?);
        let now = crate::clock::now(py, now)?;
        let next = lock(&self.inner).release(now, permit);
        next.map(|t| t.map(QueueTicket::id))
            .map_err(|e| usage(py, &e))
    }

    /// Turns a ticket that was handed a slot into a permit.
    fn claim(&self, py: Python<'_>, ticket: &Bound<'_, PyAny>) -> PyResult<u64> {
        let ticket = QueueTicket::from_id(id_arg("ticket", ticket)?);
        let claimed = lock(&self.inner).claim(ticket);
        claimed.map(|p| p.id()).map_err(|e| usage(py, &e))
    }

    /// The waiter holding `ticket` gives up; the ticket a passed-on slot
    /// went to (wake it), or None.
    #[pyo3(signature = (ticket, now = None))]
    fn cancel(
        &self,
        py: Python<'_>,
        ticket: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<u64>> {
        let ticket = QueueTicket::from_id(id_arg("ticket", ticket)?);
        let now = crate::clock::now(py, now)?;
        let next = lock(&self.inner).cancel(now, ticket);
        next.map(|t| t.map(QueueTicket::id))
            .map_err(|e| usage(py, &e))
    }

    /// When the oldest waiter's wait runs out (seconds on the `now` clock),
    /// or None.
    fn poll_timeout(&self) -> Option<f64> {
        lock(&self.inner).poll_timeout().map(instant_seconds)
    }

    /// The oldest waiter whose wait ran out by `now` (call until None).
    #[pyo3(signature = (now = None))]
    fn handle_timeout(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<u64>> {
        let now = crate::clock::now(py, now)?;
        Ok(lock(&self.inner).handle_timeout(now).map(QueueTicket::id))
    }

    /// Waiters ahead of `ticket`, or None when it is not queued.
    fn queue_position(&self, ticket: &Bound<'_, PyAny>) -> PyResult<Option<u32>> {
        let ticket = QueueTicket::from_id(id_arg("ticket", ticket)?);
        Ok(lock(&self.inner).queue_position(ticket))
    }

    /// Counters and gauges (`active`, `awaitingClaim`, `queued`, `admitted`,
    /// `rejected`, `cancelled`, `timedOut`, `peakActive`, `peakQueued`).
    fn metrics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let metrics = lock(&self.inner).metrics();
        crate::convert::serialize_to_py(py, &metrics)
    }
}
