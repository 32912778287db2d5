//! One breaker per key (origin) in the core's bounded registry.

use super::*;

/// One breaker per key (origin), at most `maxOrigins` of them (the least
/// recently used is evicted), all built from the same options.
#[wasm_bindgen(js_name = CoreBreakerRegistry)]
#[derive(Debug)]
pub struct BreakerRegistry {
    template: core::Breaker,
    breakers: Registry<String, core::Breaker>,
    rejected: Option<core::State>,
    transition_at_ms: f64,
}

#[wasm_bindgen(js_class = CoreBreakerRegistry)]
impl BreakerRegistry {
    /// Validates the breaker options (preset, table values, `openBackoff`)
    /// and the `registry` table's values (`maxOrigins`; absent = the
    /// registry's default).
    ///
    /// # Errors
    /// A [`Error`] naming the option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        prefix: &str,
        preset: &str,
        values: &[f64],
        open_backoff: Option<Vec<f64>>,
        registry_values: &[f64],
    ) -> Result<Self, Error> {
        let options = breaker_options(prefix, preset, values, open_backoff.as_deref())?;
        let template = core::Breaker::new(&options).map_err(|err| Error::config(prefix, err))?;
        let mut registry = RegistryOptions::default();
        let fields = crate::fields::Fields::new("", options::REGISTRY, registry_values);
        if let Some(max) = fields.integer(0)? {
            registry.max_keys = max;
        }
        let breakers =
            Registry::new(&registry).map_err(|err| Error::config("", err).renamed("maxOrigins"))?;
        Ok(Self {
            template,
            breakers,
            rejected: None,
            transition_at_ms: f64::NAN,
        })
    }

    /// Asks `key`'s breaker (created closed on first use) to admit one call:
    /// `[1, generation, id]`, or `[0, retryAfterMs]` when rejected (see
    /// `lastRejectedState`).
    #[wasm_bindgen(js_name = tryAcquire)]
    pub fn try_acquire(&mut self, key: &str, now_ms: f64) -> Vec<f64> {
        let result = self.entry(key).try_acquire(clock::instant(now_ms));
        if let Err(rejected) = &result {
            self.rejected = Some(rejected.state);
        }
        acquired(result)
    }

    /// The state that rejected the last refused call.
    #[wasm_bindgen(js_name = lastRejectedState)]
    pub fn last_rejected_state(&self) -> String {
        self.rejected.map_or("", core::State::name).to_owned()
    }

    /// Reports an outcome (see the module docs) to `key`'s breaker for the
    /// permit `generation`/`id` (`4`, unknown, when the key was evicted
    /// meanwhile).
    pub fn record(
        &mut self,
        key: &str,
        now_ms: f64,
        generation: f64,
        id: f64,
        outcome: u32,
        duration_ms: f64,
    ) -> u32 {
        match self.breakers.get_mut(key) {
            Some(b) => recorded(b.record(
                clock::instant(now_ms),
                permit(generation, id),
                self::outcome(outcome, duration_ms),
            )),
            None => 4,
        }
    }

    /// The oldest undrained transition of `key`'s breaker as `"from to
    /// reason"` (`""` when none; `transitionAtMs` says when).
    #[wasm_bindgen(js_name = pollTransition)]
    pub fn poll_transition(&mut self, key: &str) -> String {
        match self
            .breakers
            .get_mut(key)
            .and_then(core::Breaker::poll_transition)
        {
            Some(t) => {
                self.transition_at_ms = t.at.as_millis_f64();
                describe(&t)
            }
            None => String::new(),
        }
    }

    /// When the transition `pollTransition` last returned happened, in the
    /// host's monotonic ms.
    #[wasm_bindgen(js_name = transitionAtMs)]
    pub fn transition_at_ms(&self) -> f64 {
        self.transition_at_ms
    }

    /// When `key`'s breaker next changes by itself, in ms (NaN when never).
    #[wasm_bindgen(js_name = pollTimeoutMs)]
    pub fn poll_timeout_ms(&self, key: &str) -> f64 {
        instant_ms(
            self.breakers
                .peek(key)
                .and_then(core::Breaker::poll_timeout),
        )
    }

    /// Applies the changes due by `now` to `key`'s breaker.
    pub fn tick(&mut self, key: &str, now_ms: f64) {
        if let Some(b) = self.breakers.get_mut(key) {
            b.handle_timeout(clock::instant(now_ms));
        }
    }

    /// Metrics of `key`'s breaker (see [`metrics`]); empty when it has none.
    pub fn metrics(&mut self, key: &str, now_ms: f64) -> Vec<f64> {
        self.breakers
            .get_mut(key)
            .map_or_else(Vec::new, |b| metrics(b, now_ms))
    }

    /// Manual control of `key`'s breaker (see [`control`]), created if new.
    pub fn control(&mut self, key: &str, now_ms: f64, action: u32) {
        control(self.entry(key), now_ms, action);
    }

    /// Opens `key`'s breaker for `duration_ms` (never shortens).
    #[wasm_bindgen(js_name = tripFor)]
    pub fn trip_for(&mut self, key: &str, now_ms: f64, duration_ms: f64) {
        self.entry(key)
            .trip_for(clock::instant(now_ms), clock::duration(duration_ms));
    }

    /// The draw that jitters `key`'s next growing open duration.
    #[wasm_bindgen(js_name = setOpenDraw)]
    pub fn set_open_draw(&mut self, key: &str, u: f64) {
        if let Some(b) = self.breakers.get_mut(key) {
            b.set_open_draw(u);
        }
    }

    /// The state of `key`'s breaker (`"closed"` when it has none yet).
    pub fn state(&self, key: &str) -> String {
        self.breakers
            .peek(key)
            .map_or(core::State::Closed, core::Breaker::state)
            .name()
            .to_owned()
    }
}

impl BreakerRegistry {
    /// `key`'s breaker, if it has one (no refresh): what the policy consults.
    pub fn peek(&self, key: &str) -> Option<&core::Breaker> {
        self.breakers.peek(key)
    }

    /// `key`'s breaker, created closed on first use (evicting the least
    /// recently used key when full).
    fn entry(&mut self, key: &str) -> &mut core::Breaker {
        let template = &self.template;
        let (breaker, _evicted) = self
            .breakers
            .get_or_insert_with(key.to_owned(), || template.clone());
        breaker
    }
}
