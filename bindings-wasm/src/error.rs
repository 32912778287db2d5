//! How errors cross the boundary.
//!
//! Why a structured object and no message: formatting an `f64` in Rust pulls
//! in the float printer (about 16 KB of wasm). The core's [`ConfigError`]
//! already carries its parts as data, so this export hands them over as
//! numbers and strings and the JS layer writes the message and throws the
//! host's ordinary error (`RangeError`/`TypeError` with `code` and `option`).
//!
//! ```text
//! variant    notFinite | negative | outOfRange | invalid | notInteger | unknownVariant
//! option     the camelCase option name, prefixed by where it sits ("budget.maxTokens")
//! value, min, max   the numbers of the check (NaN when not applicable)
//! reason     invalid: the rest of the sentence; unknownVariant: accepted names, "|"-separated
//!
//! text()     "variant\noption\nreason"      numbers()  [value, min, max]
//! ```
//!
//! Constraints: building an error never formats a float and never panics.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use stormguard::ConfigError;
use wasm_bindgen::prelude::wasm_bindgen;

/// A rejected option, as data.
#[wasm_bindgen(js_name = CoreError)]
#[derive(Debug, Clone)]
pub struct Error {
    variant: &'static str,
    option: String,
    value: f64,
    min: f64,
    max: f64,
    reason: &'static str,
}

#[wasm_bindgen(js_class = CoreError)]
impl Error {
    /// `variant`, `option` and `reason` (see the module docs), separated by
    /// newlines (none of them contains one).
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.option.len() + self.reason.len() + 16);
        for (i, part) in [self.variant, &self.option, self.reason].iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(part);
        }
        out
    }

    /// `[value, min, max]`: the rejected number and the accepted range (NaN
    /// when not applicable).
    pub fn numbers(&self) -> Vec<f64> {
        [self.value, self.min, self.max].to_vec()
    }
}

impl Error {
    /// An error of `variant` about `option` (under `prefix`).
    pub fn new(variant: &'static str, prefix: &str, option: &str) -> Self {
        Self {
            variant,
            option: join(prefix, option),
            value: f64::NAN,
            min: f64::NAN,
            max: f64::NAN,
            reason: "",
        }
    }

    /// A core [`ConfigError`] whose field sits under `prefix`.
    pub fn config(prefix: &str, err: ConfigError) -> Self {
        let base = |variant| Self::new(variant, prefix, err.field());
        match err {
            ConfigError::NotFinite { value, .. } => Self {
                value,
                ..base("notFinite")
            },
            ConfigError::Negative { value, .. } => Self {
                value,
                ..base("negative")
            },
            ConfigError::OutOfRange {
                value, min, max, ..
            } => Self {
                value,
                min,
                max,
                ..base("outOfRange")
            },
            ConfigError::Invalid { reason, .. } => Self {
                reason,
                ..base("invalid")
            },
            // `ConfigError` is non-exhaustive: a future variant still names its field.
            _ => Self {
                reason: "is invalid",
                ..base("invalid")
            },
        }
    }

    /// The same error with `value`, `min` and `max` set.
    pub fn with_range(mut self, value: f64, min: f64, max: f64) -> Self {
        self.value = value;
        self.min = min;
        self.max = max;
        self
    }

    /// The same error reported under another option name.
    pub fn renamed(mut self, option: &str) -> Self {
        option.clone_into(&mut self.option);
        self
    }

    /// The same error with `reason` set.
    pub fn with_reason(mut self, reason: &'static str) -> Self {
        self.reason = reason;
        self
    }

    /// The option's full name.
    pub fn option_name(&self) -> String {
        self.option.clone()
    }

    /// The reason (`invalid`) or accepted names (`unknownVariant`).
    pub fn reason_text(&self) -> &'static str {
        self.reason
    }
}

/// `prefix.name`, or `name` when `prefix` is empty.
pub fn join(prefix: &str, name: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + name.len() + 1);
    out.push_str(prefix);
    if !prefix.is_empty() && !name.is_empty() {
        out.push('.');
    }
    out.push_str(name);
    out
}
