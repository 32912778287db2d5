//! Walking a [`Registry`](super::Registry): in recency order ([`Iter`]) and
//! up a hierarchy ([`Chain`], [`ChainMut`]).
//!
//! Why three walkers: recency order is what a host persists or inspects; the
//! chain is what hierarchical gating needs (the entry, then its parent, …).
//! [`ChainMut`] is a cursor rather than an `Iterator` because handing out
//! several `&mut V` into one map at once needs `unsafe`; a cursor lends one
//! value at a time.
//!
//! Constraints: none of these allocate or panic; each step is one O(log n)
//! index lookup; walks are bounded by the number of live entries, so even a
//! corrupted link could not loop forever.

use super::Node;
use super::index::Index;
use super::list::{LruList, NIL};

/// Entries from most to least recently used; `.rev()` gives least recent first.
#[derive(Debug)]
pub struct Iter<'a, K, V> {
    index: &'a Index<K, Node<V>>,
    list: &'a LruList<K>,
    front: u32,
    back: u32,
    remaining: u32,
}

impl<'a, K: Ord, V> Iter<'a, K, V> {
    pub(super) fn new(index: &'a Index<K, Node<V>>, list: &'a LruList<K>) -> Self {
        Self {
            index,
            list,
            front: list.head(),
            back: list.tail(),
            remaining: list.len(),
        }
    }

    fn entry(&self, cell: u32) -> Option<(&'a K, &'a V)> {
        let key = self.list.link(cell)?.key.as_ref()?;
        let node = self.index.get(key)?;
        Some((key, &node.value))
    }
}

impl<'a, K: Ord, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 || self.front == NIL {
            return None;
        }
        let cell = self.front;
        self.front = self.list.next(cell);
        self.remaining -= 1;
        self.entry(cell)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining as usize, Some(self.remaining as usize))
    }
}

impl<K: Ord, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 || self.back == NIL {
            return None;
        }
        let cell = self.back;
        self.back = self.list.prev(cell);
        self.remaining -= 1;
        self.entry(cell)
    }
}

impl<K: Ord, V> ExactSizeIterator for Iter<'_, K, V> {}

/// An entry, then its parent, grandparent, … up to its root.
#[derive(Debug)]
pub struct Chain<'a, K, V> {
    index: &'a Index<K, Node<V>>,
    list: &'a LruList<K>,
    cell: u32,
    steps_left: u32,
}

impl<'a, K: Ord, V> Chain<'a, K, V> {
    pub(super) fn new(index: &'a Index<K, Node<V>>, list: &'a LruList<K>, start: u32) -> Self {
        Self {
            index,
            list,
            cell: start,
            steps_left: list.len(),
        }
    }
}

impl<'a, K: Ord, V> Iterator for Chain<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        if self.steps_left == 0 || self.cell == NIL {
            return None;
        }
        self.steps_left -= 1;
        let link = self.list.link(self.cell)?;
        self.cell = link.parent;
        let key = link.key.as_ref()?;
        let node = self.index.get(key)?;
        Some((key, &node.value))
    }
}

/// A cursor over an entry, then its parent, grandparent, … with mutable
/// values, one at a time (see [`ChainMut::next_entry`]).
#[derive(Debug)]
pub struct ChainMut<'a, K, V> {
    index: &'a mut Index<K, Node<V>>,
    list: &'a LruList<K>,
    cell: u32,
    steps_left: u32,
}

impl<'a, K: Ord, V> ChainMut<'a, K, V> {
    pub(super) fn new(index: &'a mut Index<K, Node<V>>, list: &'a LruList<K>, start: u32) -> Self {
        Self {
            index,
            list,
            cell: start,
            steps_left: list.len(),
        }
    }

    /// The next entry up the chain (the starting entry first), or `None` past
    /// the root.
    pub fn next_entry(&mut self) -> Option<(&K, &mut V)> {
        if self.steps_left == 0 || self.cell == NIL {
            return None;
        }
        self.steps_left -= 1;
        let link = self.list.link(self.cell)?;
        self.cell = link.parent;
        let key = link.key.as_ref()?;
        let node = self.index.get_mut(key)?;
        Some((key, &mut node.value))
    }
}
