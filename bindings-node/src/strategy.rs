//! ioredis strategies: `retryStrategy`, `sentinelRetryStrategy`,
//! `clusterRetryStrategy`.
//!
//! Why a policy and not a bare backoff: a strategy must answer `null` when the
//! attempts *or the deadline* are exhausted, and deciding whether a delay
//! still fits before a deadline is the core policy's job. One reconnect
//! episode is one policy execution: ioredis calls the strategy with
//! `times = 1, 2, 3 …` and starts again at 1 once the connection is back, so
//! a call whose `times` is not above the previous one starts a new execution
//! (and a new deadline).
//!
//! ioredis hands the returned number to `setTimeout`, which turns fractions
//! into truncation and anything above 2³¹ − 1 into 1 ms, so the backoff is
//! built with `wholeMs` and its longest possible delay must fit.
//!
//! The per-call answer goes through one plain function per strategy
//! (`hotFn`, made with `Env::create_function_from_closure`) rather than a
//! class method: napi-rs's per-call borrow tracking of class methods costs
//! several times the decision itself (see `breaker_hot`).

use crate::convert;
use crate::error::{Class, HostError, HostResult, throwing};
use napi::Env;
use napi::bindgen_prelude::Function;
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;
use stormguard::SeededRng;
use stormguard::backoff::BackoffOptions;
use stormguard::policy::{Decision, Execution, Failure, Guards, Policy, PolicyOptions};

/// `setTimeout`'s largest delay in ms (2³¹ − 1).
const MAX_TIMER_MS: u32 = 2_147_483_647;

/// A reconnect strategy: a policy, the current episode and an RNG, shared
/// by the class and its per-call function.
#[napi(js_name = "NativeRetryStrategy")]
#[derive(Debug)]
pub struct NativeRetryStrategy {
    state: Rc<RefCell<Strategy>>,
}

/// The strategy's state.
#[derive(Debug)]
struct Strategy {
    policy: Policy,
    episode: Option<Execution>,
    last_times: u32,
    rng: SeededRng,
    last_give_up: Option<&'static str>,
}

/// A borrow conflict (impossible: no JavaScript runs while the state is
/// borrowed) as an error, never a panic.
fn busy() -> HostError {
    HostError::new(
        Class::Plain,
        "ERR_STRATEGY_BUSY",
        "the retry strategy is in use by another call",
    )
}

impl Strategy {
    /// The delay in whole ms before reconnect number `times`, or `None` to
    /// stop reconnecting.
    fn next(&mut self, times: f64, now_ms: f64) -> HostResult<Option<u32>> {
        let times = convert::attempt("times", times)?;
        let now = convert::instant(now_ms)?;
        let policy = &mut self.policy;
        let episode = match self.episode.as_mut() {
            Some(episode) if times > self.last_times => episode,
            _ => self.episode.insert(policy.start(now, None)),
        };
        if episode.attempts() != times.max(1) {
            *episode = resume_at(episode, times.max(1))?;
        }
        self.last_times = times;
        let u = self.rng.next_unit();
        let decision = policy.on_failure(episode, now, &Failure::retriable(), u, Guards::default());
        Ok(match decision {
            Decision::Retry { delay, .. } => {
                self.last_give_up = None;
                let ms = delay.as_millis().min(u128::from(MAX_TIMER_MS));
                Some(ms as u32)
            }
            Decision::GiveUp(reason) => {
                self.last_give_up = Some(reason.code());
                None
            }
        })
    }
}

/// The policy behind a strategy: unlimited policy attempts (the backoff's
/// `maxAttempts` counts ioredis' `times`), whole milliseconds, the deadline.
fn policy(backoff_json: &str, deadline_ms: Option<f64>) -> HostResult<Policy> {
    let mut backoff: BackoffOptions = convert::options("retry strategy", backoff_json)?;
    backoff.whole_ms = true;
    let policy = Policy::new(&PolicyOptions {
        max_attempts: u32::MAX,
        deadline_ms,
        backoff,
        ..PolicyOptions::default()
    })?;
    if policy.backoff().max_delay().as_millis() > u128::from(MAX_TIMER_MS) {
        return Err(HostError::new(
            Class::Range,
            "ERR_INVALID_CONFIG",
            format!(
                "`maxMs` must keep every delay at or below {MAX_TIMER_MS} ms (the longest \
                 setTimeout), but this backoff can wait {} ms",
                convert::ms(policy.backoff().max_delay())
            ),
        ));
    }
    Ok(policy)
}

/// The same execution with its attempt counter set to `attempts`.
fn resume_at(execution: &Execution, attempts: u32) -> HostResult<Execution> {
    let mut snapshot = serde_json::to_value(execution)
        .map_err(|error| HostError::new(Class::Plain, "ERR_INTERNAL", error.to_string()))?;
    if let Some(fields) = snapshot.as_object_mut() {
        fields.insert("attempts".to_owned(), attempts.into());
    }
    serde_json::from_value(snapshot)
        .map_err(|error| HostError::new(Class::Plain, "ERR_INTERNAL", error.to_string()))
}

#[napi]
impl NativeRetryStrategy {
    /// Validates the backoff options (JSON text), the deadline and the seed.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        backoff: String,
        deadline_ms: Option<f64>,
        seed: String,
    ) -> napi::Result<Self> {
        throwing(&env, || {
            Ok(Self {
                state: Rc::new(RefCell::new(Strategy {
                    policy: policy(&backoff, deadline_ms)?,
                    episode: None,
                    last_times: 0,
                    rng: SeededRng::from_seed_u64(convert::seed(&seed)?),
                    last_give_up: None,
                })),
            })
        })
    }

    /// `next(times, nowMs)` as one plain function bound to this strategy,
    /// answering the delay in whole ms, or −1 for `null`: the same answers
    /// without the class-method call cost.
    #[napi]
    pub fn hot_fn<'env>(&self, env: &'env Env) -> napi::Result<Function<'env, f64, f64>> {
        let state = Rc::clone(&self.state);
        env.create_function_from_closure("retryStrategyNext", move |ctx| {
            let times: f64 = ctx.get(0)?;
            let now_ms: f64 = ctx.get(1)?;
            state
                .try_borrow_mut()
                .map_err(|_| busy())
                .and_then(|mut state| state.next(times, now_ms))
                .map(|delay| delay.map_or(-1.0, f64::from))
                .map_err(|error| error.throw(&*ctx.env))
        })
    }

    /// Why the last call returned `null` (`attempts_exhausted`, `deadline`),
    /// or `null` when it returned a delay.
    #[napi(getter)]
    pub fn last_give_up(&self) -> Option<&'static str> {
        self.state.try_borrow().ok().and_then(|s| s.last_give_up)
    }

    /// The policy's counters as JSON text.
    #[napi]
    pub fn metrics(&self, env: Env) -> napi::Result<String> {
        throwing(&env, || {
            convert::to_json(
                &self
                    .state
                    .try_borrow()
                    .map_err(|_| busy())?
                    .policy
                    .metrics(),
            )
        })
    }
}
