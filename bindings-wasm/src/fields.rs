//! Host option objects into the core's option structs, field by field.
//!
//! Why numbers only: deserialising JS objects (with serde, or by asking the
//! JS engine about each `JsValue`) costs tens of KB of wasm. Instead each
//! option struct has a field table (name and type, in a fixed order) in
//! `js/tables.js`; the JS layer checks every value's JS type, rejects
//! unknown names and unknown enum names, then passes one `Float64Array`: a
//! presence mask, then the values in table order. Rust checks the numbers
//! (whole, in range) and builds the core's struct; an absent value keeps the
//! core's own default, so no default is re-declared. An error names the
//! field by its position; the JS layer looks the name up in its table (the
//! names' text stays out of the module).
//!
//! ```text
//! table   "schedule:enum=constant|linear|…,baseMs:number,stepMs:number?,…"
//! types   number | number? (null allowed) | integer | integer? | boolean | enum=a|b|…
//! values  [mask, v0, v1, …]   bit i of mask set = field i present;
//!         boolean 0/1; enum = index of the name in the table's list
//! ```
//!
//! Constraints: never panics; every error names its field.

use crate::error::{Error, Variant};

/// The values of one option object, in the order of its field table.
#[derive(Debug)]
pub struct Fields<'a> {
    nested: &'static str,
    values: &'a [f64],
}

impl<'a> Fields<'a> {
    /// `values` (`[mask, v0, v1, …]`) of one table's fields, reported
    /// under `nested` (see [`Error`]).
    pub fn new(nested: &'static str, values: &'a [f64]) -> Self {
        Self { nested, values }
    }

    /// An error of `variant` naming field `index`.
    fn error(&self, variant: Variant, index: usize) -> Error {
        Error::at(variant, index).under(self.nested)
    }

    /// A number, or `None` when absent (non-finite values are left to the
    /// core's own checks).
    pub fn number(&self, index: usize) -> Option<f64> {
        // The mask is a whole number below 2^53 (the JS layer builds it); `as`
        // saturates anything else.
        let mask = self.values.first().map_or(0, |&m| m as u64);
        let present = index < 53 && (mask >> index) & 1 == 1;
        present
            .then(|| self.values.get(index + 1).copied())
            .flatten()
    }

    /// A whole number in `0..=u32::MAX`, or `None` when absent.
    ///
    /// # Errors
    /// `notInteger` or `outOfRange` naming the field.
    pub fn integer(&self, index: usize) -> Result<Option<u32>, Error> {
        let Some(n) = self.number(index) else {
            return Ok(None);
        };
        let max = f64::from(u32::MAX);
        if !is_whole(n) {
            return Err(self.error(Variant::NotInteger, index).with_range(
                Variant::NotInteger,
                n,
                0.0,
                max,
            ));
        }
        if !(0.0..=max).contains(&n) {
            return Err(self.error(Variant::OutOfRange, index).with_range(
                Variant::OutOfRange,
                n,
                0.0,
                max,
            ));
        }
        // Whole and within range: the cast is exact.
        Ok(Some(n as u32))
    }

    /// A boolean (any non-zero number is `true`), or `None` when absent.
    pub fn boolean(&self, index: usize) -> Option<bool> {
        self.number(index).map(|n| n != 0.0)
    }

    /// An enum value from its index in the table's list (`variants` in the
    /// same order), or `None` when absent.
    ///
    /// # Errors
    /// `unknownVariant` naming the field (the table lists the names).
    pub fn enumeration<T: Copy>(&self, index: usize, variants: &[T]) -> Result<Option<T>, Error> {
        let Some(n) = self.number(index) else {
            return Ok(None);
        };
        let found = if n >= 0.0 && is_whole(n) {
            variants.get(n as usize).copied()
        } else {
            None
        };
        match found {
            Some(value) => Ok(Some(value)),
            None => Err(self.error(Variant::UnknownVariant, index)),
        }
    }
}

impl Fields<'_> {
    /// Sets `slot` to number `index` when present.
    pub fn set_number(&self, index: usize, slot: &mut f64) {
        if let Some(n) = self.number(index) {
            *slot = n;
        }
    }

    /// Sets `slot` to `Some(number index)` when present.
    pub fn set_optional(&self, index: usize, slot: &mut Option<f64>) {
        if let Some(n) = self.number(index) {
            *slot = Some(n);
        }
    }

    /// Sets `slot` to boolean `index` when present.
    pub fn set_boolean(&self, index: usize, slot: &mut bool) {
        if let Some(b) = self.boolean(index) {
            *slot = b;
        }
    }

    /// Sets `slot` to whole number `index` when present.
    ///
    /// # Errors
    /// As [`Fields::integer`].
    pub fn set_integer(&self, index: usize, slot: &mut u32) -> Result<(), Error> {
        if let Some(n) = self.integer(index)? {
            *slot = n;
        }
        Ok(())
    }

    /// Sets `slot` to `Some(whole number index)` when present.
    ///
    /// # Errors
    /// As [`Fields::integer`].
    pub fn set_optional_integer(&self, index: usize, slot: &mut Option<u32>) -> Result<(), Error> {
        if let Some(n) = self.integer(index)? {
            *slot = Some(n);
        }
        Ok(())
    }

    /// Sets `slot` to enum value `index` when present.
    ///
    /// # Errors
    /// As [`Fields::enumeration`].
    pub fn set_enum<T: Copy>(
        &self,
        index: usize,
        variants: &[T],
        slot: &mut T,
    ) -> Result<(), Error> {
        if let Some(v) = self.enumeration(index, variants)? {
            *slot = v;
        }
        Ok(())
    }
}

/// Whether `n` is a finite whole number (`f64::fract` needs std).
pub fn is_whole(n: f64) -> bool {
    // From 2^52 on every finite f64 is whole; below, the cast is exact for
    // whole numbers only.
    const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;
    n.is_finite() && (n >= WHOLE_FROM || n <= -WHOLE_FROM || (n as i64) as f64 == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_follow_the_mask() {
        let values = [0b101 as f64, 1.5, 2.0, 1.0];
        let f = Fields::new("p", &values);
        assert_eq!(f.number(0), Some(1.5));
        assert_eq!(f.integer(1).ok(), Some(None));
        assert_eq!(f.enumeration(2, &['x', 'y']).ok(), Some(Some('y')));
        assert_eq!(Fields::new("p", &[]).number(0), None);
        assert_eq!(Fields::new("p", &[f64::NAN, 1.0]).number(0), None);
    }

    #[test]
    fn whole_numbers() {
        for n in [0.0, -0.0, 1.0, -3.0, 1e300, -1e300, 2f64.powi(53) + 2.0] {
            assert!(is_whole(n), "{n}");
        }
        for n in [
            0.5,
            -0.5,
            1e-300,
            f64::NAN,
            f64::INFINITY,
            4_503_599_627_370_495.5,
        ] {
            assert!(!is_whole(n), "{n}");
        }
    }

    #[test]
    fn bad_values_name_their_field() {
        let values = [7.0, 0.0, 0.5, 2.0];
        let f = Fields::new("p", &values);
        let err = f.integer(1).err().map(|e| (e.nested, e.index));
        assert_eq!(err, Some(("p", 1.0)));
        let err = f.enumeration(2, &['x', 'y']).err();
        assert_eq!(err.map(|e| e.index), Some(2.0));
    }
}
