//! `RetryBudget`: ratio, token bucket or quota behind one interface.

use crate::convert;
use crate::error::{Class, HostError, HostResult, throwing};
use napi::Env;
use napi_derive::napi;
use stormguard::budget::{
    RetryBudget, RetryBudgetOptions, RetryBudgetState, RetryKind, RetryPermit,
};

/// Largest permit cost accepted back from JavaScript (in thousandths).
const MAX_PERMIT_MILLI: u64 = 1 << 53;

/// A validated retry budget.
#[napi(js_name = "NativeRetryBudget")]
#[derive(Debug)]
pub struct NativeRetryBudget {
    pub(crate) budget: RetryBudget,
}

/// A retry kind by its binding name (`other`, `timeout`, `throttling`).
pub(crate) fn kind(name: Option<String>) -> HostResult<RetryKind> {
    match name {
        None => Ok(RetryKind::Other),
        Some(name) => {
            serde_json::from_value(serde_json::Value::String(name.clone())).map_err(|_| {
                HostError::new(
                    Class::Type,
                    "ERR_INVALID_ARG_VALUE",
                    format!(
                        "`kind` must be \"other\", \"timeout\" or \"throttling\", got {name:?}"
                    ),
                )
            })
        }
    }
}

/// A permit handed back from JavaScript as its cost in thousandths.
pub(crate) fn permit(cost_milli: Option<f64>) -> HostResult<Option<RetryPermit>> {
    let Some(cost_milli) = cost_milli else {
        return Ok(None);
    };
    let cost_milli = convert::whole("permit.costMilli", cost_milli, MAX_PERMIT_MILLI)?;
    serde_json::from_value(serde_json::json!({ "costMilli": cost_milli }))
        .map(Some)
        .map_err(|error| HostError::new(Class::Type, "ERR_INVALID_ARG_VALUE", error.to_string()))
}

/// A permit's cost in thousandths, the form JavaScript keeps.
pub(crate) fn permit_cost_milli(permit: RetryPermit) -> f64 {
    let thousandths = permit.cost() * 1000.0;
    thousandths.round()
}

/// Budget options: `type` picks the variant, whose own fields are then
/// deserialised on their own so an error names the field (serde's tagged
/// enums lose the path).
fn budget_options(json: &str) -> HostResult<RetryBudgetOptions> {
    let mut value: serde_json::Value = convert::options("budget", json)?;
    let kind = match value
        .as_object_mut()
        .and_then(|fields| fields.remove("type"))
    {
        Some(kind) => kind,
        None => serde_json::Value::String("ratio".to_owned()),
    };
    match kind.as_str() {
        Some("ratio") => Ok(RetryBudgetOptions::Ratio(convert::options_from_value(
            "ratio budget",
            value,
        )?)),
        Some("tokenBucket") => Ok(RetryBudgetOptions::TokenBucket(
            convert::options_from_value("token bucket", value)?,
        )),
        Some("quota") => Ok(RetryBudgetOptions::Quota(convert::options_from_value(
            "quota", value,
        )?)),
        _ => Err(HostError::new(
            Class::Type,
            "ERR_INVALID_CONFIG",
            format!("`type` must be \"ratio\", \"tokenBucket\" or \"quota\", got {kind}"),
        )),
    }
}

#[napi]
impl NativeRetryBudget {
    /// Validates `options` (JSON text of `RetryBudgetOptions`, `type` picks
    /// the budget).
    #[napi(constructor)]
    pub fn new(env: Env, options: String) -> napi::Result<Self> {
        throwing(&env, || {
            let options = budget_options(&options)?;
            Ok(Self {
                budget: RetryBudget::new(&options)?,
            })
        })
    }

    /// An original request starts.
    #[napi]
    pub fn on_request(&mut self, env: Env, now_ms: f64) -> napi::Result<()> {
        throwing(&env, || {
            self.budget.on_request(convert::instant(now_ms)?);
            Ok(())
        })
    }

    /// An attempt failed.
    #[napi]
    pub fn on_failure(&mut self, env: Env, now_ms: f64) -> napi::Result<()> {
        throwing(&env, || {
            self.budget.on_failure(convert::instant(now_ms)?);
            Ok(())
        })
    }

    /// Asks for one retry: the permit's cost in thousandths, or `null` when
    /// the budget refuses.
    #[napi]
    pub fn try_retry(
        &mut self,
        env: Env,
        now_ms: f64,
        kind: Option<String>,
    ) -> napi::Result<Option<f64>> {
        throwing(&env, || {
            let kind = self::kind(kind)?;
            let now = convert::instant(now_ms)?;
            Ok(self.budget.try_retry(now, kind).ok().map(permit_cost_milli))
        })
    }

    /// A request finally succeeded; `permitCostMilli` is its last retry's
    /// permit, if any.
    #[napi]
    pub fn on_success(
        &mut self,
        env: Env,
        now_ms: f64,
        permit_cost_milli: Option<f64>,
    ) -> napi::Result<()> {
        throwing(&env, || {
            let permit = permit(permit_cost_milli)?;
            self.budget.on_success(convert::instant(now_ms)?, permit);
            Ok(())
        })
    }

    /// The balance now.
    #[napi]
    pub fn balance(&self, env: Env, now_ms: f64) -> napi::Result<f64> {
        throwing(&env, || Ok(self.budget.balance(convert::instant(now_ms)?)))
    }

    /// Counters and balance as JSON text.
    #[napi]
    pub fn metrics(&self, env: Env, now_ms: f64) -> napi::Result<String> {
        throwing(&env, || {
            convert::to_json(&self.budget.metrics(convert::instant(now_ms)?))
        })
    }

    /// The mutable state as JSON text.
    #[napi]
    pub fn snapshot(&self, env: Env) -> napi::Result<String> {
        throwing(&env, || convert::to_json(&self.budget.snapshot()))
    }

    /// Replaces the state with a snapshot (JSON text).
    #[napi]
    pub fn restore(&mut self, env: Env, state: String) -> napi::Result<()> {
        throwing(&env, || {
            let state: RetryBudgetState = convert::options("budget state", &state)?;
            self.budget.restore(state)?;
            Ok(())
        })
    }
}
