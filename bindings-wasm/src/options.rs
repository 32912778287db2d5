//! Host option objects into the core's option structs.
//!
//! Why: the core's option structs already carry the binding-facing camelCase
//! names, their defaults and `deny_unknown_fields`; deserialising the JS
//! object straight into them means this binding re-declares no option.
//! `serde_path_to_error` tells which option a type error is about, so the
//! error can name it (`budget.maxTokens`), and an unknown key is reported by
//! its own name.
//!
//! Constraints: the JS layer hands over a plain-data copy (own enumerable
//! properties only, no getters, no functions), so reading it cannot run user
//! code; deserialisation itself never panics.

use crate::error::{self, Kind};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// Deserialises `value` into `T`; `prefix` names where the object sits in the
/// caller's options (`""` for the top level).
///
/// # Errors
/// An encoded `TypeError` naming the option with the wrong type, or the
/// unknown option itself.
pub fn parse<T: DeserializeOwned>(prefix: &str, value: JsValue) -> Result<T, JsValue> {
    let deserializer = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let message = err.into_inner().to_string();
        let option = match unknown_field(&message) {
            Some(name) => error::join(&error::join(prefix, &path), name),
            None => error::join(prefix, &path),
        };
        let shown = if option.is_empty() { "options" } else { &option };
        error::encode(Kind::Type, &option, &format!("`{shown}`: {message}"))
    })
}

/// The name inside serde's "unknown field `name`, expected …" message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::unknown_field;

    #[test]
    fn unknown_field_names_are_read_from_serde_messages() {
        assert_eq!(
            unknown_field("unknown field `baseMz`, expected one of `baseMs`"),
            Some("baseMz")
        );
        assert_eq!(unknown_field("invalid type: string"), None);
    }
}
