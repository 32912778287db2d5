//! `Bulkhead`: a concurrency limit with a bounded FIFO queue, as decisions.
//! The JavaScript layer keeps the waiting promises and wakes the ticket a
//! decision names.

use crate::convert;
use crate::error::{Class, HostError, HostResult, throwing};
use napi::Env;
use napi_derive::napi;
use stormguard::bulkhead::{
    Admission, Bulkhead, BulkheadError, BulkheadOptions, BulkheadPermit, QueueTicket,
};

/// Ids are below 2⁵³ (exact in a double).
const MAX_ID: u64 = (1 << 53) - 1;

/// What `tryEnter` decided.
#[napi(object)]
#[derive(Debug)]
pub struct AdmissionResult {
    /// `admitted`, `queued` or `rejected`.
    pub outcome: String,
    /// The permit (admitted) or ticket (queued) id.
    pub id: Option<f64>,
    /// Why it was rejected (`queueFull`).
    pub reason: Option<String>,
}

/// A validated bulkhead.
#[napi(js_name = "NativeBulkhead")]
#[derive(Debug)]
pub struct NativeBulkhead {
    bulkhead: Bulkhead,
}

fn id_of(name: &str, value: f64) -> HostResult<u64> {
    convert::whole(name, value, MAX_ID)
}

#[allow(clippy::cast_precision_loss)]
fn host_id(id: u64) -> f64 {
    id as f64
}

fn misuse(error: BulkheadError) -> HostError {
    HostError::new(Class::Plain, error.code(), error.to_string())
}

#[napi]
impl NativeBulkhead {
    /// Validates `options` (JSON text of `BulkheadOptions`).
    #[napi(constructor)]
    pub fn new(env: Env, options: String) -> napi::Result<Self> {
        throwing(&env, || {
            let options: BulkheadOptions = convert::options("bulkhead", &options)?;
            Ok(Self {
                bulkhead: Bulkhead::new(&options)?,
            })
        })
    }

    /// Asks to start a call.
    #[napi]
    pub fn try_enter(&mut self, env: Env, now_ms: f64) -> napi::Result<AdmissionResult> {
        throwing(&env, || {
            let admission = self.bulkhead.try_enter(convert::instant(now_ms)?);
            Ok(match admission {
                Admission::Admitted(permit) => AdmissionResult {
                    outcome: "admitted".to_owned(),
                    id: Some(host_id(permit.id())),
                    reason: None,
                },
                Admission::Queued(ticket) => AdmissionResult {
                    outcome: "queued".to_owned(),
                    id: Some(host_id(ticket.id())),
                    reason: None,
                },
                Admission::Rejected { reason } => AdmissionResult {
                    outcome: "rejected".to_owned(),
                    id: None,
                    reason: Some(reason.as_str().to_owned()),
                },
            })
        })
    }

    /// Ends a call; returns the ticket now owning its slot, if any.
    #[napi]
    pub fn release(&mut self, env: Env, now_ms: f64, permit: f64) -> napi::Result<Option<f64>> {
        throwing(&env, || {
            let permit = BulkheadPermit::from_id(id_of("permit", permit)?);
            let now = convert::instant(now_ms)?;
            let ticket = self.bulkhead.release(now, permit).map_err(misuse)?;
            Ok(ticket.map(|t| host_id(t.id())))
        })
    }

    /// Turns a granted ticket into a permit.
    #[napi]
    pub fn claim(&mut self, env: Env, ticket: f64) -> napi::Result<f64> {
        throwing(&env, || {
            let ticket = QueueTicket::from_id(id_of("ticket", ticket)?);
            let permit = self.bulkhead.claim(ticket).map_err(misuse)?;
            Ok(host_id(permit.id()))
        })
    }

    /// A waiter gave up; returns the next ticket to wake, if any.
    #[napi]
    pub fn cancel(&mut self, env: Env, now_ms: f64, ticket: f64) -> napi::Result<Option<f64>> {
        throwing(&env, || {
            let ticket = QueueTicket::from_id(id_of("ticket", ticket)?);
            let now = convert::instant(now_ms)?;
            let next = self.bulkhead.cancel(now, ticket).map_err(misuse)?;
            Ok(next.map(|t| host_id(t.id())))
        })
    }

    /// When the oldest waiter's wait runs out, in ms on the host clock.
    #[napi]
    pub fn poll_timeout(&self) -> Option<f64> {
        self.bulkhead.poll_timeout().map(|t| t.as_millis_f64())
    }

    /// The oldest waiter whose wait ran out, removed from the queue.
    #[napi]
    pub fn handle_timeout(&mut self, env: Env, now_ms: f64) -> napi::Result<Option<f64>> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            Ok(self.bulkhead.handle_timeout(now).map(|t| host_id(t.id())))
        })
    }

    /// Waiters ahead of `ticket`, or `null` when it is not queued.
    #[napi]
    pub fn position(&self, env: Env, ticket: f64) -> napi::Result<Option<u32>> {
        throwing(&env, || {
            let ticket = QueueTicket::from_id(id_of("ticket", ticket)?);
            Ok(self.bulkhead.queue_position(ticket))
        })
    }

    /// Counters and gauges as JSON text.
    #[napi]
    pub fn metrics(&self, env: Env) -> napi::Result<String> {
        throwing(&env, || convert::to_json(&self.bulkhead.metrics()))
    }
}
