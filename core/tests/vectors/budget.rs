//! `kind: "budget"` vectors: filled in with the module.
