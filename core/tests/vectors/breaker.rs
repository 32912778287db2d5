//! `kind: "breaker"` vectors: filled in with the module.
