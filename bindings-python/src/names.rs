//! Python argument names for the core's option names.
//!
//! Why: the core speaks the binding-neutral camelCase names in milliseconds
//! (`baseMs`); Python users write snake_case keywords in seconds (`base`).
//! A [`Schema`] is the one table per options type that says which keyword
//! maps to which option and whether its value is seconds, so keyword
//! conversion and error messages agree.

/// How a keyword's value is converted before the core sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Seconds in Python, milliseconds in the core (× 1000).
    Seconds,
    /// Seconds in Python, twice as many milliseconds in the core (redis-py's
    /// `base`, whose first delay is `2 × base`). Only used to report errors.
    SecondsDoubled,
    /// Passed through unchanged (numbers, booleans, lists).
    Plain,
    /// A string naming a variant; snake_case is accepted and turned into
    /// the core's camelCase (`"polly_v2"` → `"pollyV2"`).
    Variant,
}

/// One keyword: its Python name, the core's name and its unit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// Python keyword.
    pub(crate) python: &'static str,
    /// Core option name (camelCase).
    pub(crate) core: &'static str,
    /// Conversion.
    pub(crate) unit: Unit,
}

/// The keywords one options type accepts.
#[derive(Debug)]
pub(crate) struct Schema {
    /// Every accepted keyword.
    pub(crate) fields: &'static [Field],
}

/// Shorthand for table entries.
pub(crate) const fn field(python: &'static str, core: &'static str, unit: Unit) -> Field {
    Field { python, core, unit }
}

impl Schema {
    /// The keyword named `python`, if accepted.
    pub(crate) fn by_python(&self, python: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.python == python)
    }

    /// The Python name of a core option name and the factor that turns the
    /// core's numbers into the Python unit (0.001 for seconds). Names not in
    /// the table are converted to snake_case.
    pub(crate) fn python_name(&self, core: &str) -> (String, f64) {
        match self.fields.iter().find(|f| f.core == core) {
            Some(f) if f.unit == Unit::Seconds => (f.python.to_owned(), 0.001),
            Some(f) if f.unit == Unit::SecondsDoubled => (f.python.to_owned(), 0.0005),
            Some(f) => (f.python.to_owned(), 1.0),
            // An empty schema speaks the binding-neutral names (`from_dict`).
            None if self.fields.is_empty() => (core.to_owned(), 1.0),
            None => (snake_case(core), 1.0),
        }
    }

    /// `text` with every back-quoted core name replaced by its Python name.
    pub(crate) fn rename_in_text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for f in self.fields {
            out = out.replace(&format!("`{}`", f.core), &format!("`{}`", f.python));
        }
        out
    }
}

/// `camelCase` → `snake_case` (`maxRetryAfterMs` → `max_retry_after_ms`,
/// `awsStandard2026` → `aws_standard_2026`, `ioredisV5` → `ioredis_v5`): a
/// digit run gets its own word unless it follows a one-letter word.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut word_len = 0usize;
    let mut previous_digit = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            word_len = 1;
        } else if c.is_ascii_digit() && !previous_digit && word_len > 1 {
            out.push('_');
            out.push(c);
            word_len = 1;
        } else {
            out.push(c);
            word_len += 1;
        }
        previous_digit = c.is_ascii_digit();
    }
    out
}

/// `snake_case` → `camelCase` (`polly_v2` → `pollyV2`); text without `_` is
/// returned unchanged.
pub(crate) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A name compared loosely: lower case without `_` (`aws_standard_2026` and
/// `awsStandard2026` are the same preset).
pub(crate) fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
