//! `kind: "backoff"` vectors: filled in with the module.
