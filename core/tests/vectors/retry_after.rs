//! `kind: "retry_after"` vectors: filled in with the module.
