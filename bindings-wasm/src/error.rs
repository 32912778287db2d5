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
//! ```
//!
//! Constraints: building an error never formats a float and never panics.

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
    reason: String,
}

#[wasm_bindgen(js_class = CoreError)]
impl Error {
    /// Which check failed (see the module docs).
    #[wasm_bindgen(getter)]
    pub fn variant(&self) -> String {
        self.variant.to_owned()
    }
    /// The option's name, prefixed by its position in the caller's options.
    #[wasm_bindgen(getter)]
    pub fn option(&self) -> String {
        self.option.clone()
    }
    /// The rejected number (NaN when not numeric).
    #[wasm_bindgen(getter)]
    pub fn value(&self) -> f64 {
        self.value
    }
    /// Smallest accepted value (`outOfRange`).
    #[wasm_bindgen(getter)]
    pub fn min(&self) -> f64 {
        self.min
    }
    /// Largest accepted value (`outOfRange`).
    #[wasm_bindgen(getter)]
    pub fn max(&self) -> f64 {
        self.max
    }
    /// `invalid`: the rest of the sentence; `unknownVariant`: the accepted
    /// names separated by `|`.
    #[wasm_bindgen(getter)]
    pub fn reason(&self) -> String {
        self.reason.clone()
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
            reason: String::new(),
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
                reason: reason.to_owned(),
                ..base("invalid")
            },
            // `ConfigError` is non-exhaustive: a future variant still names its field.
            _ => Self {
                reason: "is invalid".to_owned(),
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
    pub fn with_reason(mut self, reason: String) -> Self {
        self.reason = reason;
        self
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
