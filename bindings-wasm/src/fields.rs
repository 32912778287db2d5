//! Host option objects into the core's option structs, field by field.
//!
//! Why not serde: deserialising JS objects with serde costs about 60 KB of
//! wasm (visitors for every option struct, path tracking, float printing in
//! messages), more than the rest of the module. Instead each option struct
//! has a field table here (name and type, in a fixed order); the JS layer
//! reads the table once ([`schema`]), checks every value's JS type and
//! rejects unknown names, then passes the values in table order. Rust checks
//! the numbers (whole, in range) and builds the core's struct; an absent
//! value keeps the core's own default, so no default is re-declared.
//!
//! ```text
//! table   "schedule:enum,baseMs:number,stepMs:number?,…"
//! types   number | number? (null allowed) | integer | integer? | boolean | enum | list
//! ```
//!
//! Enum values are read through the core's serde `Deserialize` from a string
//! (the core's own names); an unknown name reports the accepted ones.
//!
//! Constraints: never panics; every error names its option.

use crate::error::Error;
use serde::Deserialize;
use serde::de::IntoDeserializer;
use wasm_bindgen::JsValue;

/// The values of one option object, in the order of its field table.
#[derive(Debug)]
pub struct Fields<'a> {
    prefix: &'a str,
    names: &'static [&'static str],
    values: &'a [JsValue],
}

impl<'a> Fields<'a> {
    /// Values `values` for the fields `names`, reported under `prefix`.
    pub fn new(prefix: &'a str, names: &'static [&'static str], values: &'a [JsValue]) -> Self {
        Self {
            prefix,
            names,
            values,
        }
    }

    fn name(&self, index: usize) -> &'static str {
        self.names.get(index).map_or("", |name| name)
    }

    fn value(&self, index: usize) -> Option<&JsValue> {
        self.values
            .get(index)
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// A number, or `None` when absent.
    ///
    /// # Errors
    /// `notFinite` is left to the core's own checks; a non-number is a
    /// `type` error (the JS layer normally catches it first).
    pub fn number(&self, index: usize) -> Result<Option<f64>, Error> {
        match self.value(index) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| Error::new("type", self.prefix, self.name(index))),
        }
    }

    /// A whole number in `0..=u32::MAX`, or `None` when absent.
    ///
    /// # Errors
    /// `notInteger` or `outOfRange` naming the field.
    pub fn integer(&self, index: usize) -> Result<Option<u32>, Error> {
        let Some(n) = self.number(index)? else {
            return Ok(None);
        };
        let max = f64::from(u32::MAX);
        let error = |variant| Error::new(variant, self.prefix, self.name(index));
        if !n.is_finite() || n.fract() != 0.0 {
            return Err(error("notInteger").with_range(n, 0.0, max));
        }
        if !(0.0..=max).contains(&n) {
            return Err(error("outOfRange").with_range(n, 0.0, max));
        }
        // Whole and within range: the cast is exact.
        Ok(Some(n as u32))
    }

    /// A boolean, or `None` when absent.
    ///
    /// # Errors
    /// A `type` error naming the field.
    pub fn boolean(&self, index: usize) -> Result<Option<bool>, Error> {
        match self.value(index) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| Error::new("type", self.prefix, self.name(index))),
        }
    }

    /// A string enum read with the core's own names, or `None` when absent.
    ///
    /// # Errors
    /// `unknownVariant` naming the field and listing the accepted names.
    pub fn enumeration<T: for<'de> Deserialize<'de>>(
        &self,
        index: usize,
    ) -> Result<Option<T>, Error> {
        let Some(v) = self.value(index) else {
            return Ok(None);
        };
        let error = || Error::new("unknownVariant", self.prefix, self.name(index));
        let text = v.as_string().ok_or_else(error)?;
        let deserializer: serde::de::value::StrDeserializer<'_, VariantError> =
            text.as_str().into_deserializer();
        T::deserialize(deserializer)
            .map(Some)
            .map_err(|e| error().with_reason(e.expected.join("|")))
    }
}

/// The schema string of a field table: `name:type,…`.
pub fn schema(names: &[&str], types: &[&str]) -> String {
    let mut out = String::new();
    for (i, (name, ty)) in names.iter().zip(types).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
        out.push(':');
        out.push_str(ty);
    }
    out
}

/// The error of reading an enum: keeps only the accepted names, so no
/// message is ever formatted.
#[derive(Debug, Default)]
pub struct VariantError {
    expected: &'static [&'static str],
}

impl core::fmt::Display for VariantError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("unknown variant")
    }
}

impl std::error::Error for VariantError {}

impl serde::de::Error for VariantError {
    fn custom<T: core::fmt::Display>(_msg: T) -> Self {
        Self::default()
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Self { expected }
    }
}
