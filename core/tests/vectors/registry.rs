//! `kind: "registry"` vectors: filled in with the module.
