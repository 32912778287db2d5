//! `kind: "classify"` vectors: filled in with the module.
