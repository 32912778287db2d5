//! `Backoff`: the core's backoff engine with a per-object seeded RNG.

use crate::convert;
use crate::error::{HostResult, throwing};
use napi::Env;
use napi_derive::napi;
use stormguard::SeededRng;
use stormguard::backoff::{Backoff, BackoffOptions, BackoffState, presets};

/// Longest schedule `schedule(n)` computes in one call.
const MAX_SCHEDULE: u64 = 100_000;

/// A validated backoff, its per-operation state and its RNG.
#[napi(js_name = "NativeBackoff")]
#[derive(Debug)]
pub struct NativeBackoff {
    backoff: Backoff,
    state: BackoffState,
    rng: SeededRng,
}

/// Builds a core backoff from options sent as JSON text.
pub(crate) fn build(json: &str) -> HostResult<(BackoffOptions, Backoff)> {
    let options: BackoffOptions = convert::options("backoff", json)?;
    let backoff = Backoff::new(&options)?;
    Ok((options, backoff))
}

#[napi]
impl NativeBackoff {
    /// Validates `options` (JSON text of `BackoffOptions`) and seeds the RNG.
    #[napi(constructor)]
    pub fn new(env: Env, options: String, seed: String) -> napi::Result<Self> {
        throwing(&env, || {
            let (_, backoff) = build(&options)?;
            Ok(Self {
                backoff,
                state: BackoffState::default(),
                rng: SeededRng::from_seed_u64(convert::seed(&seed)?),
            })
        })
    }

    /// The pure delay before retry `attempt` (fresh state, no attempt limit),
    /// with draw `u` or one from the RNG.
    #[napi]
    pub fn delay_ms(&mut self, env: Env, attempt: f64, u: Option<f64>) -> napi::Result<f64> {
        throwing(&env, || {
            let attempt = convert::attempt("attempt", attempt)?;
            let u = self.draw(u)?;
            Ok(convert::ms(self.backoff.delay(attempt, u)))
        })
    }

    /// The next delay of the object's own sequence (stateful schedules advance
    /// their state), or `null` once `attempt > maxAttempts`.
    #[napi]
    pub fn next_delay_ms(
        &mut self,
        env: Env,
        attempt: f64,
        u: Option<f64>,
    ) -> napi::Result<Option<f64>> {
        throwing(&env, || {
            let attempt = convert::attempt("attempt", attempt)?;
            let delay = match u {
                Some(u) => {
                    let u = convert::finite("u", u)?;
                    self.backoff.next_delay(&mut self.state, attempt, u)
                }
                None => self
                    .backoff
                    .next_delay_with_rng(&mut self.state, attempt, &mut self.rng),
            };
            Ok(delay.map(convert::ms))
        })
    }

    /// Forgets the sequence state (a new operation starts).
    #[napi]
    pub fn reset(&mut self) {
        self.state = BackoffState::default();
    }

    /// The delays before retries `1..=n` of a fresh operation, shorter when
    /// `maxAttempts` stops earlier. Draws from the RNG; the object's own
    /// sequence state is untouched.
    #[napi]
    pub fn schedule(&mut self, env: Env, n: f64) -> napi::Result<Vec<f64>> {
        throwing(&env, || {
            let n = convert::whole("n", n, MAX_SCHEDULE)?;
            let mut state = BackoffState::default();
            let mut delays = Vec::new();
            for attempt in 1..=convert::saturating_u32(n) {
                match self
                    .backoff
                    .next_delay_with_rng(&mut state, attempt, &mut self.rng)
                {
                    Some(delay) => delays.push(convert::ms(delay)),
                    None => break,
                }
            }
            Ok(delays)
        })
    }

    /// The longest delay this backoff can return, in ms.
    #[napi(getter)]
    pub fn max_delay_ms(&self) -> f64 {
        convert::ms(self.backoff.max_delay())
    }

    /// `maxAttempts`, or `null` for unlimited.
    #[napi(getter)]
    pub fn max_attempts(&self) -> Option<u32> {
        self.backoff.max_attempts()
    }

    /// Whether the schedule keeps state between delays.
    #[napi(getter)]
    pub fn uses_state(&self) -> bool {
        self.backoff.uses_state()
    }
}

impl NativeBackoff {
    /// The caller's draw, validated, or the next one from the RNG.
    fn draw(&mut self, u: Option<f64>) -> HostResult<f64> {
        match u {
            Some(u) => convert::finite("u", u),
            None => Ok(self.rng.next_unit()),
        }
    }
}

/// The options of a preset, as JSON text, validated by building them.
#[napi]
pub fn backoff_preset_options(env: Env, name: String, args: Vec<f64>) -> napi::Result<String> {
    throwing(&env, || {
        let options = presets::by_name(&name, &args)?;
        Backoff::new(&options)?;
        convert::to_json(&options)
    })
}

/// Every preset name `backoffPresetOptions` accepts.
#[napi]
pub fn backoff_preset_names() -> Vec<&'static str> {
    presets::NAMES.to_vec()
}
