//! Why a hint was ignored.
//!
//! Why typed: a malformed header is the server's bug, not the caller's, so it
//! must never abort a retry loop; but silently dropping it hides the bug. The
//! parsers therefore return an [`Ignored`] whose [`reason`](Ignored::reason) is
//! a short, stable code that bindings and logs can match on.
//!
//! Constraints: `Copy`, no payload, no allocation; the codes never change
//! once published (new variants may be added, hence `#[non_exhaustive]`).

/// A hint value that could not be used; the caller keeps its own backoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Ignored {
    /// The value was empty or only whitespace.
    #[error("the hint is empty")]
    Empty,
    /// A number with a minus sign (`-5`): no grammar allows it.
    #[error("the hint is a negative number")]
    Negative,
    /// A decimal point where the grammar only allows digits (`1.5` seconds).
    #[error("the hint has a fraction where only whole numbers are allowed")]
    Fractional,
    /// Neither a number nor a date in any accepted form.
    #[error("the hint is neither a number nor an HTTP-date")]
    Malformed,
    /// A date whose month is not `Jan` … `Dec`.
    #[error("the hint is a date with an unknown month")]
    BadMonth,
    /// A date whose day does not exist in its month (`31 Apr`, `29 Feb 2023`).
    #[error("the hint is a date with a day that does not exist")]
    BadDay,
    /// A date whose time of day is out of range (hour > 23, minute > 59,
    /// second > 60).
    #[error("the hint is a date with an impossible time of day")]
    BadTime,
}

impl Ignored {
    /// A short, stable, machine-readable code (`"empty"`, `"negative"`,
    /// `"fractional"`, `"malformed"`, `"bad_month"`, `"bad_day"`,
    /// `"bad_time"`), the same in every binding.
    pub const fn reason(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::Negative => "negative",
            Self::Fractional => "fractional",
            Self::Malformed => "malformed",
            Self::BadMonth => "bad_month",
            Self::BadDay => "bad_day",
            Self::BadTime => "bad_time",
        }
    }
}
