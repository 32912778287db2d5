//! Why a hierarchical registry call was refused.
//!
//! Why an error and not a silent fallback: a child inserted under a missing
//! or different parent, or a parent removed under its children, would leave a
//! hierarchy that gates nothing. Each refusal leaves the registry unchanged.
//!
//! Constraints: the variants carry no keys (no allocation, no `K: Debug`
//! bound); [`RegistryError::code`] is stable across bindings.

/// A hierarchical request the registry cannot honour; nothing changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The named parent is not in the registry.
    #[error("the parent key is not in the registry")]
    UnknownParent,
    /// The key is already present under a different parent (or none).
    #[error("the key is already present under a different parent")]
    ParentMismatch,
    /// The entry still has live children; remove them first.
    #[error("the entry still has {children} live children")]
    HasChildren {
        /// How many entries name this one as their parent.
        children: u32,
    },
    /// The registry is full and every entry is the new key's parent or one of
    /// its ancestors, so none can be evicted: `maxKeys` is smaller than the
    /// hierarchy is deep.
    #[error("no entry can be evicted: every entry is an ancestor of the new key")]
    NoEvictableEntry,
}

impl RegistryError {
    /// Stable machine-readable code, the same in every binding.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnknownParent => "ERR_UNKNOWN_PARENT",
            Self::ParentMismatch => "ERR_PARENT_MISMATCH",
            Self::HasChildren { .. } => "ERR_HAS_CHILDREN",
            Self::NoEvictableEntry => "ERR_NO_EVICTABLE_ENTRY",
        }
    }
}
