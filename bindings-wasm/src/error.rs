//! How errors cross the boundary.
//!
//! Why data and no message: formatting an `f64` in Rust pulls in the float
//! printer (about 16 KB of wasm), and every string that crosses costs glue.
//! The core's [`ConfigError`] already carries its parts as data with
//! `&'static str` names, so an [`Error`] is plain `Copy` data: the failing
//! call returns `-1` and [`Core`](crate::Core) leaves the parts where the JS
//! layer reads them, which then writes the message and throws the host's
//! ordinary error (`RangeError`/`TypeError` with `code` and `option`).
//!
//! ```text
//! scratch  [value, min, max, variant, topLevel, index]   (NaN when not applicable)
//! text(0)  nested: where the field sits under the caller's prefix ("backoff", "openBackoff", "")
//! text(1)  field:  the camelCase option name ("" when `index` names it instead)
//! text(2)  reason: invalid → the rest of the sentence ("" for unknownVariant: the table lists the names)
//! index    the field's position in its table (js/tables.js), for checks made here; NaN when
//!          `field` names it (the core's checks)
//! variant  0 notFinite | 1 negative | 2 outOfRange | 3 invalid | 4 notInteger | 5 unknownVariant
//! topLevel 1 when the option is named without the caller's prefix (`maxOrigins`)
//! ```
//!
//! Constraints: building an error never formats or panics (it allocates
//! its one box).

use alloc::boxed::Box;
use core::ops::{Deref, DerefMut};
use stormguard::ConfigError;

/// Which check failed (the index the JS layer maps to a message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// NaN or infinite.
    NotFinite = 0,
    /// Below zero.
    Negative = 1,
    /// Outside `[min, max]`.
    OutOfRange = 2,
    /// Well-formed but inconsistent (`reason` says why).
    Invalid = 3,
    /// Not a whole number.
    NotInteger = 4,
    /// Not one of the names in `reason`.
    UnknownVariant = 5,
}

/// A rejected option, as data (see the module docs). Boxed: an error is
/// rare, and a pointer-sized `Err` keeps every `Result` on the success path
/// small (the option structs and engines move through them).
#[derive(Debug, Clone)]
pub struct Error(Box<Data>);

/// The parts of an [`Error`].
#[derive(Debug, Clone, Copy)]
pub struct Data {
    /// Which check failed.
    pub variant: Variant,
    /// Where the field sits under the caller's prefix (`""` at its level).
    pub nested: &'static str,
    /// The camelCase option name.
    pub field: &'static str,
    /// `invalid`: the rest of the sentence; `unknownVariant`: the names.
    pub reason: &'static str,
    /// The rejected number (NaN when not applicable).
    pub value: f64,
    /// The smallest accepted value (NaN when not applicable).
    pub min: f64,
    /// The largest accepted value (NaN when not applicable).
    pub max: f64,
    /// Named without the caller's prefix.
    pub top_level: bool,
    /// The field's position in its table (NaN when `field` names it).
    pub index: f64,
}

impl Deref for Error {
    type Target = Data;

    fn deref(&self) -> &Data {
        &self.0
    }
}

impl DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Data {
        &mut self.0
    }
}

impl Error {
    /// An error of `variant` about `field`.
    pub fn new(variant: Variant, field: &'static str) -> Self {
        Self(Box::new(Data {
            variant,
            nested: "",
            field,
            reason: "",
            value: f64::NAN,
            min: f64::NAN,
            max: f64::NAN,
            top_level: false,
            index: f64::NAN,
        }))
    }

    /// An error of `variant` about the `index`-th field of a table.
    pub fn at(variant: Variant, index: usize) -> Self {
        let mut err = Self::new(variant, "");
        err.index = index as f64;
        err
    }

    /// A core [`ConfigError`].
    pub fn config(err: ConfigError) -> Self {
        let base = Self::new(Variant::Invalid, err.field());
        match err {
            ConfigError::NotFinite { value, .. } => {
                base.with_range(Variant::NotFinite, value, f64::NAN, f64::NAN)
            }
            ConfigError::Negative { value, .. } => {
                base.with_range(Variant::Negative, value, f64::NAN, f64::NAN)
            }
            ConfigError::OutOfRange {
                value, min, max, ..
            } => base.with_range(Variant::OutOfRange, value, min, max),
            ConfigError::Invalid { reason, .. } => base.with_reason(reason),
            // `ConfigError` is non-exhaustive: a future variant still names its field.
            _ => base.with_reason("is invalid"),
        }
    }

    /// The same error as `variant` with `value`, `min` and `max` set.
    pub fn with_range(mut self, variant: Variant, value: f64, min: f64, max: f64) -> Self {
        self.variant = variant;
        self.value = value;
        self.min = min;
        self.max = max;
        self
    }

    /// The same error with `reason` set.
    pub fn with_reason(mut self, reason: &'static str) -> Self {
        self.reason = reason;
        self
    }

    /// The same error under `nested` (kept when already nested deeper).
    pub fn under(mut self, nested: &'static str) -> Self {
        if self.nested.is_empty() {
            self.nested = nested;
        }
        self
    }

    /// The same error named `field` without the caller's prefix.
    pub fn top_level(mut self, field: &'static str) -> Self {
        self.field = field;
        self.nested = "";
        self.top_level = true;
        self.index = f64::NAN;
        self
    }

    /// The numbers the JS layer reads: `[value, min, max, variant,
    /// topLevel, index]`.
    pub fn numbers(&self) -> [f64; 6] {
        [
            self.value,
            self.min,
            self.max,
            f64::from(self.variant as u8),
            f64::from(u8::from(self.top_level)),
            self.index,
        ]
    }

    /// The texts the JS layer reads: `[nested, field, reason]`.
    pub fn texts(&self) -> [&'static str; 3] {
        [self.nested, self.field, self.reason]
    }
}

impl From<ConfigError> for Error {
    fn from(err: ConfigError) -> Self {
        Self::config(err)
    }
}
