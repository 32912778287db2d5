//! `kind: "bulkhead"` vectors: filled in with the module.
