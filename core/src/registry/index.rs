//! The registry's key index: key → node (the value and its slab cell).
//!
//! Why two: the default is a `BTreeMap` (O(log n) lookups, inserts and
//! removals at any size). With the `compact-registry` feature the index is
//! a `Vec` sorted by key instead: the same O(log n) lookups (binary search),
//! but inserting or removing a key moves the entries after it, O(n). The
//! B-tree's node code is about 9 KB of WebAssembly, a sixth of the browser
//! module; a browser tracks a few dozen origins, where moving a few entries
//! costs nothing. Hosts with large registries keep the default.
//!
//! Both expose the subset of `BTreeMap`'s API the registry uses (`new`,
//! `get`, `get_mut`, `contains_key`, `entry`, `remove`, `remove_entry`),
//! so the registry's code is the same for either.
//!
//! Constraints: no call panics; the compact index keeps its entries sorted
//! and unique by key.

#[cfg(not(feature = "compact-registry"))]
pub(super) use alloc::collections::BTreeMap as Index;
#[cfg(not(feature = "compact-registry"))]
pub(super) use alloc::collections::btree_map::Entry;

#[cfg(feature = "compact-registry")]
pub(super) use compact::{Entry, Index};

#[cfg(feature = "compact-registry")]
mod compact {
    use alloc::vec::Vec;
    use core::borrow::Borrow;

    /// A map kept as a `Vec` sorted by key (see the module docs).
    #[derive(Clone, Debug)]
    pub(in crate::registry) struct Index<K, V> {
        entries: Vec<(K, V)>,
    }

    /// A key's place in the index: present, or where it would go.
    pub(in crate::registry) enum Entry<'a, K, V> {
        /// The key is present.
        Occupied(OccupiedEntry<'a, K, V>),
        /// The key is absent.
        Vacant(VacantEntry<'a, K, V>),
    }

    /// A present key's position.
    pub(in crate::registry) struct OccupiedEntry<'a, K, V> {
        entries: &'a mut Vec<(K, V)>,
        at: usize,
    }

    impl<'a, K, V> OccupiedEntry<'a, K, V> {
        /// The value, for as long as the index is borrowed.
        // `at` is where a binary search found the key: within bounds.
        #[allow(clippy::indexing_slicing)]
        pub(in crate::registry) fn into_mut(self) -> &'a mut V {
            &mut self.entries[self.at].1
        }
    }

    /// An absent key and the position that keeps the index sorted.
    pub(in crate::registry) struct VacantEntry<'a, K, V> {
        entries: &'a mut Vec<(K, V)>,
        at: usize,
        key: K,
    }

    impl<'a, K, V> VacantEntry<'a, K, V> {
        /// The key.
        pub(in crate::registry) fn key(&self) -> &K {
            &self.key
        }

        /// Inserts `value` under the key and returns it.
        // `at` came from a binary search over `entries` (0 ..= len), so after
        // the insert it is a valid position: the index cannot be out of bounds.
        #[allow(clippy::indexing_slicing)]
        pub(in crate::registry) fn insert(self, value: V) -> &'a mut V {
            self.entries.insert(self.at, (self.key, value));
            &mut self.entries[self.at].1
        }
    }

    impl<K: Ord, V> Index<K, V> {
        /// An empty index.
        pub(in crate::registry) const fn new() -> Self {
            Self {
                entries: Vec::new(),
            }
        }

        /// Where `key` is (`Ok`) or would go (`Err`).
        fn search<Q>(&self, key: &Q) -> Result<usize, usize>
        where
            K: Borrow<Q>,
            Q: Ord + ?Sized,
        {
            self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
        }

        /// The value for `key`.
        pub(in crate::registry) fn get<Q>(&self, key: &Q) -> Option<&V>
        where
            K: Borrow<Q>,
            Q: Ord + ?Sized,
        {
            let at = self.search(key).ok()?;
            self.entries.get(at).map(|(_, v)| v)
        }

        /// The value for `key`, mutable.
        pub(in crate::registry) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
        where
            K: Borrow<Q>,
            Q: Ord + ?Sized,
        {
            let at = self.search(key).ok()?;
            self.entries.get_mut(at).map(|(_, v)| v)
        }

        /// Whether `key` is present.
        pub(in crate::registry) fn contains_key<Q>(&self, key: &Q) -> bool
        where
            K: Borrow<Q>,
            Q: Ord + ?Sized,
        {
            self.search(key).is_ok()
        }

        /// `key`'s place: its value, or where to insert it.
        pub(in crate::registry) fn entry(&mut self, key: K) -> Entry<'_, K, V> {
            match self.search(&key) {
                Ok(at) => Entry::Occupied(OccupiedEntry {
                    entries: &mut self.entries,
                    at,
                }),
                Err(at) => Entry::Vacant(VacantEntry {
                    entries: &mut self.entries,
                    at,
                    key,
                }),
            }
        }

        /// Removes `key` and returns its value.
        pub(in crate::registry) fn remove<Q>(&mut self, key: &Q) -> Option<V>
        where
            K: Borrow<Q>,
            Q: Ord + ?Sized,
        {
            self.remove_entry(key).map(|(_, v)| v)
        }

        /// Removes `key` and returns it with its value.
        pub(in crate::registry) fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
        where
            K: Borrow<Q>,
            Q: Ord + ?Sized,
        {
            let at = self.search(key).ok()?;
            // `at` < len: `Vec::remove` cannot panic here.
            Some(self.entries.remove(at))
        }
    }
}

#[cfg(all(test, feature = "compact-registry"))]
mod tests {
    use super::{Entry, Index};
    use alloc::collections::BTreeMap;

    /// A seeded stream of operations agrees with `BTreeMap` at every step.
    #[test]
    fn compact_index_matches_a_btreemap() {
        let mut index: Index<u32, u32> = Index::new();
        let mut model: BTreeMap<u32, u32> = BTreeMap::new();
        let mut state = 0x2545_f491_u32;
        for step in 0..20_000u32 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let key = state % 64;
            match state % 5 {
                0 | 1 => {
                    let got = match index.entry(key) {
                        Entry::Occupied(o) => *o.into_mut(),
                        Entry::Vacant(v) => *v.insert(step),
                    };
                    assert_eq!(got, *model.entry(key).or_insert(step));
                }
                2 => assert_eq!(index.remove(&key), model.remove(&key)),
                3 => assert_eq!(index.remove_entry(&key), model.remove_entry(&key)),
                _ => {
                    if let Some(v) = index.get_mut(&key) {
                        *v += 1;
                    }
                    if let Some(v) = model.get_mut(&key) {
                        *v += 1;
                    }
                }
            }
            assert_eq!(index.contains_key(&key), model.contains_key(&key));
            for k in 0..64 {
                assert_eq!(index.get(&k), model.get(&k), "step {step}, key {k}");
            }
        }
    }
}
