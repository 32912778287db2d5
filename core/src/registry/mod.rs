//! Registry: a bounded per-key map with least-recently-used eviction and an
//! optional parent per entry.
//!
//! Why: resilience state is usually per something: one breaker per endpoint,
//! one budget per origin, one bulkhead per Redis node. Keys come from traffic,
//! so an unbounded map grows with every new URL a client sees. The registry
//! holds at most `maxKeys` entries and, when full, evicts the one used least
//! recently, handing it back so the host can log or persist it. It knows
//! nothing about what it stores; breakers, budgets and bulkheads are composed
//! on top of it.
//!
//! ```text
//!   index: BTreeMap<K, (V, cell)>        O(log n) lookup, owns the values
//!          (a sorted Vec with the `compact-registry` feature, see `index.rs`)
//!   slab:  [cell] with an intrusive recency list and parent links
//!
//!   get_or_insert_with(k) ─ present ──▶ touch k ─────────────────▶ (&mut v, None)
//!                         └ absent ─▶ full? evict the tail ─▶ insert k at the front
//!                                                         ─▶ (&mut v, Some((k', v')))
//! ```
//!
//! Hierarchy: an entry may name a *parent* (an origin above its endpoints, a
//! cluster above its nodes) when it is inserted with
//! [`Registry::get_or_insert_child_with`]. [`Registry::chain`] then yields the
//! entry followed by its ancestors, so a caller can consult a parent's state
//! before (or after) the child's. The rules:
//!
//! * a parent must exist when its child is inserted, and an entry's parent is
//!   fixed for its lifetime (asking for the same key under another parent is
//!   [`RegistryError::ParentMismatch`]); so the hierarchy has no cycles;
//! * using an entry (every touching call) also uses its ancestors, so a parent
//!   is always more recent than its children and **a parent is never evicted
//!   while it has live children**; the evicted entry is always childless;
//! * [`Registry::remove`] refuses to remove a parent with live children
//!   ([`RegistryError::HasChildren`]): remove the children first.
//!
//! Constraints: `maxKeys` is validated at construction and the slab is
//! allocated then, at its final size. Lookups are O(log n) (plus O(depth)
//! for the ancestors a touch moves); `get`, `get_mut` and `peek` never
//! allocate; inserting a new key allocates only inside the `BTreeMap`. No
//! call panics; `len() ≤ capacity()` always. Iteration costs O(log n) per
//! entry (each value is looked up by key in the index).
//!
//! ```
//! use stormguard::registry::{Registry, RegistryOptions};
//!
//! let mut per_origin: Registry<&str, u32> = Registry::new(&RegistryOptions { max_keys: 3 })?;
//! per_origin.get_or_insert_with("a.example", || 0);
//! per_origin.get_or_insert_with("b.example", || 0);
//! per_origin.get_or_insert_child_with("a.example/login", "a.example", || 0)?;
//! // Full: a new key evicts the least recently used one. `b.example` goes,
//! // not `a.example`, which was used through its child.
//! let (_, evicted) = per_origin.get_or_insert_with("c.example", || 7);
//! assert_eq!(evicted, Some(("b.example", 0)));
//! // A caller gating a child on its parent walks the chain.
//! let chain: Vec<&str> = per_origin.chain("a.example/login").map(|(k, _)| *k).collect();
//! assert_eq!(chain, ["a.example/login", "a.example"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod index;
mod iter;
mod list;

pub use error::RegistryError;
pub use iter::{Chain, ChainMut, Iter};

use crate::ConfigError;
use core::borrow::Borrow;
use index::{Entry, Index};
use list::{LruList, NIL};

/// Largest accepted `maxKeys` (the slab is allocated up front).
pub const MAX_KEYS: u32 = 1_000_000;

/// Options of a [`Registry`] (binding names in parentheses).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct RegistryOptions {
    /// Most entries held at once (`maxKeys`), 1 ..= 1 000 000. Default 1000.
    pub max_keys: u32,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        Self { max_keys: 1000 }
    }
}

/// The entry an insertion evicted to make room, if any: its key and value.
pub type Evicted<K, V> = Option<(K, V)>;

/// A value in the index, with the slab cell holding its key's links.
#[derive(Clone, Debug)]
struct Node<V> {
    value: V,
    cell: u32,
}

/// A bounded map with least-recently-used eviction (see the module docs).
#[derive(Clone, Debug)]
pub struct Registry<K, V> {
    index: Index<K, Node<V>>,
    list: LruList<K>,
}

impl<K: Ord + Clone, V> Registry<K, V> {
    /// An empty registry holding at most `maxKeys` entries.
    ///
    /// # Errors
    /// [`ConfigError`] naming `maxKeys` when it is outside 1 ..= [`MAX_KEYS`].
    pub fn new(options: &RegistryOptions) -> Result<Self, ConfigError> {
        ConfigError::check_range(
            "maxKeys",
            f64::from(options.max_keys),
            1.0,
            f64::from(MAX_KEYS),
        )?;
        Ok(Self {
            index: Index::new(),
            list: LruList::new(options.max_keys),
        })
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.list.len() as usize
    }

    /// Whether the registry holds nothing.
    pub fn is_empty(&self) -> bool {
        self.list.len() == 0
    }

    /// Most entries held at once (`maxKeys`).
    pub fn capacity(&self) -> usize {
        self.list.capacity() as usize
    }

    /// The value for `key`, marking it (and its ancestors) as just used; when
    /// absent, inserts `make()` as a root entry, first evicting the least
    /// recently used entry if the registry is full. Returns the value and what
    /// was evicted. An existing entry is returned whatever its parent.
    pub fn get_or_insert_with(
        &mut self,
        key: K,
        make: impl FnOnce() -> V,
    ) -> (&mut V, Evicted<K, V>) {
        let evicted = if !self.index.contains_key(&key) && self.list.is_full() {
            self.evict(NIL)
        } else {
            None
        };
        match self.index.entry(key) {
            Entry::Occupied(occupied) => {
                let node = occupied.into_mut();
                self.list.touch(node.cell);
                (&mut node.value, evicted)
            }
            Entry::Vacant(vacant) => {
                let cell = self.list.push_front(vacant.key().clone(), NIL);
                let node = vacant.insert(Node {
                    value: make(),
                    cell,
                });
                (&mut node.value, evicted)
            }
        }
    }

    /// Like [`get_or_insert_with`](Self::get_or_insert_with), for an entry
    /// under `parent`. A new entry records `parent` for its lifetime; using it
    /// also uses `parent` and its ancestors.
    ///
    /// # Errors
    /// Nothing changes on error:
    /// [`RegistryError::UnknownParent`] when `parent` is absent;
    /// [`RegistryError::ParentMismatch`] when `key` exists under another parent
    /// or none (including `key == parent`);
    /// [`RegistryError::NoEvictableEntry`] when the registry is full of
    /// `parent` and its ancestors.
    pub fn get_or_insert_child_with<Q>(
        &mut self,
        key: K,
        parent: &Q,
        make: impl FnOnce() -> V,
    ) -> Result<(&mut V, Evicted<K, V>), RegistryError>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let parent_cell = self
            .index
            .get(parent)
            .map(|node| node.cell)
            .ok_or(RegistryError::UnknownParent)?;
        let evicted = match self.index.get::<K>(&key) {
            Some(node) if self.list.parent(node.cell) != parent_cell => {
                return Err(RegistryError::ParentMismatch);
            }
            Some(_) => None,
            None if self.list.is_full() => {
                if self.list.chain_len(parent_cell) >= self.list.len() {
                    return Err(RegistryError::NoEvictableEntry);
                }
                self.list.touch(parent_cell);
                Some(
                    self.evict(parent_cell)
                        .ok_or(RegistryError::NoEvictableEntry)?,
                )
            }
            None => None,
        };
        match self.index.entry(key) {
            Entry::Occupied(occupied) => {
                let node = occupied.into_mut();
                self.list.touch(node.cell);
                Ok((&mut node.value, evicted))
            }
            Entry::Vacant(vacant) => {
                let cell = self.list.push_front(vacant.key().clone(), parent_cell);
                self.list.touch(parent_cell);
                let node = vacant.insert(Node {
                    value: make(),
                    cell,
                });
                Ok((&mut node.value, evicted))
            }
        }
    }

    /// The value for `key`, marking it (and its ancestors) as just used.
    pub fn get<Q>(&mut self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get_mut(key).map(|value| &*value)
    }

    /// The value for `key`, mutable, marking it (and its ancestors) as just used.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let node = self.index.get_mut(key)?;
        self.list.touch(node.cell);
        Some(&mut node.value)
    }

    /// The value for `key` without marking it as used.
    pub fn peek<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.index.get(key).map(|node| &node.value)
    }

    /// Whether `key` is present (does not mark it as used).
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.index.contains_key(key)
    }

    /// The parent `key` was inserted under, if any.
    pub fn parent<Q>(&self, key: &Q) -> Option<&K>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let cell = self.index.get(key)?.cell;
        self.list.link(self.list.parent(cell))?.key.as_ref()
    }

    /// How many live entries name `key` as their parent (`None` when absent).
    pub fn child_count<Q>(&self, key: &Q) -> Option<u32>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.index
            .get(key)
            .map(|node| self.list.children(node.cell))
    }

    /// Removes `key` and returns its value (`Ok(None)` when absent).
    ///
    /// # Errors
    /// [`RegistryError::HasChildren`] when other entries name `key` as their
    /// parent; nothing changes.
    pub fn remove<Q>(&mut self, key: &Q) -> Result<Option<V>, RegistryError>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let Some(node) = self.index.get(key) else {
            return Ok(None);
        };
        let children = self.list.children(node.cell);
        if children > 0 {
            return Err(RegistryError::HasChildren { children });
        }
        let cell = node.cell;
        self.list.remove(cell);
        Ok(self.index.remove(key).map(|node| node.value))
    }

    /// Removes and returns the least recently used entry (never one with
    /// children), or `None` when empty. This is what a full registry evicts.
    pub fn pop_lru(&mut self) -> Option<(K, V)> {
        self.evict(NIL)
    }

    /// Entries from most to least recently used (reversible), without
    /// marking any as used.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter::new(&self.index, &self.list)
    }

    /// `key`'s entry, then its parent, grandparent, … up to its root, without
    /// marking any as used. Empty when `key` is absent.
    pub fn chain<Q>(&self, key: &Q) -> Chain<'_, K, V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let start = self.index.get(key).map_or(NIL, |node| node.cell);
        Chain::new(&self.index, &self.list, start)
    }

    /// Like [`chain`](Self::chain) with mutable values (for example to ask a
    /// parent's breaker, then the child's). Marks `key` and its ancestors as
    /// just used. `None` when `key` is absent.
    pub fn chain_mut<Q>(&mut self, key: &Q) -> Option<ChainMut<'_, K, V>>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let cell = self.index.get(key)?.cell;
        self.list.touch(cell);
        Some(ChainMut::new(&mut self.index, &self.list, cell))
    }

    /// Evicts the least recently used childless entry outside `protect`'s chain.
    fn evict(&mut self, protect: u32) -> Option<(K, V)> {
        let cell = self.list.eviction_candidate(protect)?;
        let key = self.list.remove(cell)?;
        let (key, node) = self.index.remove_entry(&key)?;
        Some((key, node.value))
    }
}

impl<'a, K: Ord + Clone, V> IntoIterator for &'a Registry<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests;
