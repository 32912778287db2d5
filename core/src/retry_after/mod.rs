//! Server hints about when to retry: `Retry-After` and its relatives.
//!
//! ## Why
//!
//! A server that is overloaded or rate-limiting often says how long to stay
//! away. Ignoring that hint makes a retry storm worse; trusting it blindly lets
//! a single response park a client for hours (or disable retries without a
//! word, as cenkalti/backoff #159 did). This module turns the header text into
//! a [`Duration`](crate::time::Duration) without ever failing loudly on bad input, and a small
//! [`RetryAfterPolicy`] combines that hint with the delay the backoff computed.
//!
//! ## Formulas
//!
//! ```text
//! header                value                                   hint
//! Retry-After           delta-seconds  "120"                     120 s
//!                       IMF-fixdate    "Sun, 06 Nov 1994 08:49:37 GMT"
//!                       RFC 850        "Sunday, 06-Nov-94 08:49:37 GMT"
//!                       asctime        "Sun Nov  6 08:49:37 1994"
//!                                      date → max(0, date − now)  (past = retry now)
//! retry-after-ms        milliseconds   "1500" or "1500.25"       1.50025 s
//!   (alias x-ms-retry-after-ms)
//! x-amz-retry-after     milliseconds   "1500" (integer only)     1.5 s
//! RateLimit-Reset       delta-seconds  "30"                      30 s
//!
//! decision (RetryAfterPolicy::decide, backoff t, hint h):
//!   no hint                     → Wait(t)
//!   h > maxRetryAfterMs         → GiveUp { requested: h }
//!   combine = "max" (default)   → Wait(max(t, h))
//!   combine = "replace"         → Wait(h)
//!   combine = "bounded"         → Wait(max(t, min(h, t + maxExtensionMs)))   (AWS 2026 rule)
//! ```
//!
//! `now` is the host's *wall clock* as Unix milliseconds ([`UnixTime`]); the
//! core never reads a clock. Two-digit RFC 850 years follow RFC 9110 §5.6.7:
//! a year that would be more than 50 years after the current year means the
//! previous century. `RateLimit-Reset` follows the IETF httpapi draft (the
//! three-field form): a non-negative integer of seconds until the quota resets,
//! never a timestamp.
//!
//! ## Example
//!
//! ```
//! use core::time::Duration;
//! use stormguard::retry_after::{
//!     HintHeader, RetryAfterDecision, RetryAfterPolicy, UnixTime, parse_hint,
//! };
//!
//! let now = UnixTime::from_millis(784_111_770_000); // the host's wall clock
//! let header = HintHeader::from_name("Retry-After").expect("a hint header");
//! let hint = parse_hint(header, "Sun, 06 Nov 1994 08:49:37 GMT", now);
//! assert_eq!(hint, Ok(Duration::from_secs(7)));
//!
//! let policy = RetryAfterPolicy::default(); // max(backoff, hint), cap 60 s
//! let backoff = Duration::from_millis(250);
//! assert_eq!(policy.decide(backoff, hint.ok()), RetryAfterDecision::Wait(Duration::from_secs(7)));
//!
//! let ignored = parse_hint(header, "-1", now).unwrap_err();
//! assert_eq!(ignored.reason(), "negative");
//! assert_eq!(policy.decide(backoff, None), RetryAfterDecision::Wait(backoff));
//! ```
//!
//! ## Constraints
//!
//! * Parsing is total: any `&str` or `&[u8]` yields either a hint or a typed
//!   [`Ignored`] with a stable [`reason`](Ignored::reason). It never panics and
//!   never allocates.
//! * Leading and trailing ASCII whitespace is ignored. Month, day and `GMT`
//!   tokens match ASCII case-insensitively; the day name must be a real day
//!   name but is not checked against the date (as browsers and Python do).
//! * Delta values too large to represent saturate at `u64::MAX` nanoseconds
//!   (about 584 years), as RFC 9111 §1.2.2 asks of caches; they are not an
//!   error. A negative number, a fraction where the grammar has none, or a
//!   calendar date that does not exist is ignored.
//! * The hint is whole seconds for `Retry-After` and `RateLimit-Reset`; an
//!   HTTP-date is compared with `now` to the millisecond.

mod civil;
mod header;
mod http_date;
mod ignored;
mod number;
mod policy;
mod unix_time;

pub use header::{HintHeader, parse_hint, parse_retry_after};
pub use http_date::parse_http_date;
pub use ignored::Ignored;
pub use number::parse_delta_seconds;
pub use policy::{HintCombine, RetryAfterDecision, RetryAfterOptions, RetryAfterPolicy};
pub use unix_time::UnixTime;
