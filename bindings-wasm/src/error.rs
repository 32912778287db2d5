//! How errors cross the boundary.
//!
//! Why a string: building a JS `Error` with extra properties from Rust needs
//! `js-sys` glue for every property; a short encoded string keeps the exports
//! minimal and lets the JS layer build the host's ordinary error in one place.
//!
//! ```text
//!   "<kind>\u{1f}<option>\u{1f}<message>"
//!   kind    "range" → RangeError, "type" → TypeError (both with code ERR_INVALID_CONFIG)
//!   option  the camelCase option name ("" when unknown)
//! ```
//!
//! Constraints: never panics; the message is the core's `Display` text.

use stormguard::ConfigError;
use wasm_bindgen::JsValue;

/// Field separator inside an encoded error (ASCII unit separator).
const SEP: char = '\u{1f}';

/// Which JS error class the JS layer should throw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A value of the right type outside its accepted range: `RangeError`.
    Range,
    /// A value of the wrong type or an unknown option name: `TypeError`.
    Type,
}

/// Encodes one error for the JS layer.
pub fn encode(kind: Kind, option: &str, message: &str) -> JsValue {
    let kind = match kind {
        Kind::Range => "range",
        Kind::Type => "type",
    };
    JsValue::from_str(&format!("{kind}{SEP}{option}{SEP}{message}"))
}

/// A core [`ConfigError`] as an encoded `RangeError` naming its field.
pub fn config(err: ConfigError) -> JsValue {
    encode(Kind::Range, err.field(), &err.to_string())
}

/// A core [`ConfigError`] whose field sits inside the option `prefix`
/// (`"backoff"` → `"backoff.baseMs"`).
pub fn config_in(prefix: &str, err: ConfigError) -> JsValue {
    let option = join(prefix, err.field());
    encode(Kind::Range, &option, &format!("`{option}`: {err}"))
}

/// `prefix.name`, or `name` when `prefix` is empty.
pub fn join(prefix: &str, name: &str) -> String {
    match (prefix.is_empty(), name.is_empty()) {
        (true, _) => name.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{name}"),
    }
}
