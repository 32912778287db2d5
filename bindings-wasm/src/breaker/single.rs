//! One circuit breaker behind the two-step protocol (the shared test vectors
//! drive it; the shipped module serves single breakers from a one-key
//! registry).

use super::*;

/// One circuit breaker and its last rejection (the shared test vectors drive
/// it; the shipped module serves single breakers from a one-key
/// [`BreakerRegistry`]).
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = CoreBreaker)]
#[derive(Debug)]
pub struct Breaker {
    inner: core::Breaker,
    rejected: Option<core::State>,
    transition_at_ms: f64,
}

#[cfg(feature = "vectors")]
#[wasm_bindgen(js_class = CoreBreaker)]
impl Breaker {
    /// A closed breaker from `preset` (`""` for the defaults) overridden by
    /// the `breaker` table's `values` (and `openBackoff`'s, when given).
    ///
    /// # Errors
    /// A [`Error`] naming the option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        prefix: &str,
        preset: &str,
        values: &[f64],
        open_backoff: Option<Vec<f64>>,
    ) -> Result<Self, Error> {
        let options = breaker_options(prefix, preset, values, open_backoff.as_deref())?;
        core::Breaker::new(&options)
            .map(|inner| Self {
                inner,
                rejected: None,
                transition_at_ms: f64::NAN,
            })
            .map_err(|err| Error::config(prefix, err))
    }

    /// Asks to make one call: `[1, generation, id]`, or `[0, retryAfterMs]`
    /// when rejected (see `lastRejectedState`).
    #[wasm_bindgen(js_name = tryAcquire)]
    pub fn try_acquire(&mut self, now_ms: f64) -> Vec<f64> {
        let result = self.inner.try_acquire(clock::instant(now_ms));
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

    /// Reports how the call admitted by the permit `generation`/`id` ended
    /// (outcome index, see the module docs) and how long it took (NaN =
    /// unmeasured).
    pub fn record(
        &mut self,
        now_ms: f64,
        generation: f64,
        id: f64,
        outcome: u32,
        duration_ms: f64,
    ) -> u32 {
        recorded(self.inner.record(
            clock::instant(now_ms),
            permit(generation, id),
            self::outcome(outcome, duration_ms),
        ))
    }

    /// The oldest transition not yet drained, as `"from to reason"` (`""`
    /// when none; `transitionAtMs` says when).
    #[wasm_bindgen(js_name = pollTransition)]
    pub fn poll_transition(&mut self) -> String {
        match self.inner.poll_transition() {
            Some(t) => {
                self.transition_at_ms = t.at.as_millis_f64();
                describe(&t)
            }
            None => String::new(),
        }
    }

    /// When the transition `pollTransition` last returned happened, in ms.
    #[wasm_bindgen(js_name = transitionAtMs)]
    pub fn transition_at_ms(&self) -> f64 {
        self.transition_at_ms
    }

    /// When the state next changes by itself, in ms (NaN when never).
    #[wasm_bindgen(js_name = pollTimeoutMs)]
    pub fn poll_timeout_ms(&self) -> f64 {
        instant_ms(self.inner.poll_timeout())
    }

    /// When a call would next be admitted, in ms (NaN when only a manual
    /// change will).
    #[wasm_bindgen(js_name = admitsAtMs)]
    pub fn admits_at_ms(&self) -> f64 {
        instant_ms(self.inner.admits_at())
    }

    /// Applies the changes due by `now` (call it at `pollTimeoutMs`).
    pub fn tick(&mut self, now_ms: f64) {
        self.inner.handle_timeout(clock::instant(now_ms));
    }

    /// Opens for `duration_ms` (from a server hint); never shortens.
    #[wasm_bindgen(js_name = tripFor)]
    pub fn trip_for(&mut self, now_ms: f64, duration_ms: f64) {
        self.inner
            .trip_for(clock::instant(now_ms), clock::duration(duration_ms));
    }

    /// Manual control by index (see [`control`]).
    pub fn control(&mut self, now_ms: f64, action: u32) {
        control(&mut self.inner, now_ms, action);
    }

    /// The draw that jitters the next growing open duration.
    #[wasm_bindgen(js_name = setOpenDraw)]
    pub fn set_open_draw(&mut self, u: f64) {
        self.inner.set_open_draw(u);
    }

    /// The breaker's versioned snapshot as JSON (window included).
    #[cfg(feature = "vectors")]
    #[wasm_bindgen(js_name = snapshotJson)]
    pub fn snapshot_json(&self) -> String {
        // An error (impossible for this plain data) gives the empty string.
        serde_json::to_string(&self.inner.snapshot())
            .into_iter()
            .collect()
    }

    /// Replaces this breaker with one restored from `json` (a snapshot taken
    /// with the same options); `false` when the snapshot is rejected.
    #[cfg(feature = "vectors")]
    #[wasm_bindgen(js_name = restoreJson)]
    pub fn restore_json(
        &mut self,
        preset: &str,
        values: &[f64],
        open_backoff: Option<Vec<f64>>,
        json: &str,
    ) -> bool {
        let Ok(options) = breaker_options("", preset, values, open_backoff.as_deref()) else {
            return false;
        };
        let Ok(snapshot) = serde_json::from_str(json) else {
            return false;
        };
        match core::Breaker::restore(&options, snapshot) {
            Ok(inner) => {
                self.inner = inner;
                true
            }
            Err(_) => false,
        }
    }

    /// The current state's name.
    pub fn state(&self) -> String {
        self.inner.state().name().to_owned()
    }

    /// Metrics as numbers (see [`metrics`]).
    pub fn metrics(&mut self, now_ms: f64) -> Vec<f64> {
        metrics(&mut self.inner, now_ms)
    }
}
