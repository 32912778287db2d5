//! The recency list: a slab of links with an intrusive doubly linked list of
//! slab indices, plus the parent links of the hierarchy.
//!
//! Why a slab of indices: a pointer-based list needs `unsafe`, and a
//! `VecDeque` of keys needs O(n) to move a key to the front. Here every link
//! lives at a fixed slab index, so moving one to the front is O(1), the slab
//! is allocated once at its final capacity, and freed links are reused
//! through a free list threaded through `next`.
//!
//! ```text
//!   head (most recent) ⇄ … ⇄ tail (least recent)       NIL = u32::MAX
//!   touch(i): move i to the front, then its parent, grandparent, … (root first)
//!   ⇒ a parent is always more recent than each of its children,
//!   ⇒ the tail never has children, so evicting it never orphans an entry.
//! ```
//!
//! Constraints: no allocation after [`LruList::new`] (as long as no more than
//! `capacity` links are live, which the registry guarantees), no panic, no
//! indexing; loops over parent links are bounded by the number of live links.

use alloc::vec::Vec;

/// "No link".
pub(super) const NIL: u32 = u32::MAX;

/// One slab cell.
#[derive(Clone, Debug)]
pub(super) struct Link<K> {
    /// The entry's key; `None` while the cell is on the free list.
    pub(super) key: Option<K>,
    /// Towards the head (more recent).
    prev: u32,
    /// Towards the tail (less recent); the next free cell while vacant.
    pub(super) next: u32,
    /// The parent entry's cell, or [`NIL`].
    pub(super) parent: u32,
    /// How many live entries name this one as their parent.
    pub(super) children: u32,
}

/// The slab and the recency list through it.
#[derive(Clone, Debug)]
pub(super) struct LruList<K> {
    links: Vec<Link<K>>,
    head: u32,
    tail: u32,
    free: u32,
    len: u32,
    capacity: u32,
}

impl<K> LruList<K> {
    /// An empty list whose slab is allocated for `capacity` links.
    pub(super) fn new(capacity: u32) -> Self {
        Self {
            links: Vec::with_capacity(capacity as usize),
            head: NIL,
            tail: NIL,
            free: NIL,
            len: 0,
            capacity,
        }
    }

    pub(super) fn len(&self) -> u32 {
        self.len
    }

    pub(super) fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Cells ever used (live or free); never above the capacity.
    #[cfg(test)]
    pub(super) fn slab_len(&self) -> usize {
        self.links.len()
    }

    pub(super) fn is_full(&self) -> bool {
        self.len >= self.capacity
    }

    /// The most recently used cell.
    pub(super) fn head(&self) -> u32 {
        self.head
    }

    /// The least recently used cell.
    pub(super) fn tail(&self) -> u32 {
        self.tail
    }

    pub(super) fn link(&self, index: u32) -> Option<&Link<K>> {
        self.links.get(index as usize).filter(|l| l.key.is_some())
    }

    /// The cell towards the head from `index` (more recent).
    pub(super) fn prev(&self, index: u32) -> u32 {
        self.link(index).map_or(NIL, |l| l.prev)
    }

    /// The cell towards the tail from `index` (less recent).
    pub(super) fn next(&self, index: u32) -> u32 {
        self.link(index).map_or(NIL, |l| l.next)
    }

    pub(super) fn parent(&self, index: u32) -> u32 {
        self.link(index).map_or(NIL, |l| l.parent)
    }

    pub(super) fn children(&self, index: u32) -> u32 {
        self.link(index).map_or(0, |l| l.children)
    }

    /// Puts `key` at the front under `parent` (or [`NIL`]); returns its cell.
    pub(super) fn push_front(&mut self, key: K, parent: u32) -> u32 {
        let link = Link {
            key: Some(key),
            prev: NIL,
            next: NIL,
            parent,
            children: 0,
        };
        let index = match self.links.get_mut(self.free as usize) {
            Some(cell) => {
                let index = self.free;
                self.free = cell.next;
                *cell = link;
                index
            }
            None => {
                // Within the capacity reserved by `new`.
                self.links.push(link);
                (self.links.len() - 1) as u32
            }
        };
        self.len += 1;
        if let Some(p) = self.live_mut(parent) {
            p.children = p.children.saturating_add(1);
        }
        self.attach_front(index);
        index
    }

    /// Unlinks cell `index` and returns its key; the parent loses a child.
    pub(super) fn remove(&mut self, index: u32) -> Option<K> {
        self.live_mut(index)?;
        self.detach(index);
        let cell = self.links.get_mut(index as usize)?;
        let key = cell.key.take();
        let parent = cell.parent;
        cell.next = self.free;
        cell.parent = NIL;
        cell.children = 0;
        self.free = index;
        self.len = self.len.saturating_sub(1);
        if let Some(p) = self.live_mut(parent) {
            p.children = p.children.saturating_sub(1);
        }
        key
    }

    /// Marks `index` as just used: it, then each ancestor, moves to the front.
    pub(super) fn touch(&mut self, index: u32) {
        let mut current = index;
        let mut steps = 0;
        while current != NIL && steps <= self.len {
            if self.link(current).is_none() {
                return;
            }
            self.detach(current);
            self.attach_front(current);
            current = self.parent(current);
            steps += 1;
        }
    }

    /// Whether `target` is `start` or one of its ancestors.
    pub(super) fn in_chain(&self, start: u32, target: u32) -> bool {
        let mut current = start;
        let mut steps = 0;
        while current != NIL && steps <= self.len {
            if current == target {
                return true;
            }
            current = self.parent(current);
            steps += 1;
        }
        false
    }

    /// Number of entries from `start` up to its root, both included.
    pub(super) fn chain_len(&self, start: u32) -> u32 {
        let mut current = start;
        let mut count = 0;
        while current != NIL && count <= self.len && self.link(current).is_some() {
            current = self.parent(current);
            count += 1;
        }
        count
    }

    /// The least recently used cell that has no children and is not in
    /// `protect`'s chain; thanks to the touch order this is the tail unless the
    /// tail is protected.
    pub(super) fn eviction_candidate(&self, protect: u32) -> Option<u32> {
        let mut current = self.tail;
        let mut steps = 0;
        while current != NIL && steps < self.len {
            if self.children(current) == 0 && !self.in_chain(protect, current) {
                return Some(current);
            }
            current = self.prev(current);
            steps += 1;
        }
        None
    }

    fn live_mut(&mut self, index: u32) -> Option<&mut Link<K>> {
        self.links
            .get_mut(index as usize)
            .filter(|l| l.key.is_some())
    }

    fn detach(&mut self, index: u32) {
        let Some(cell) = self.links.get(index as usize) else {
            return;
        };
        let (prev, next) = (cell.prev, cell.next);
        match self.links.get_mut(prev as usize) {
            Some(p) => p.next = next,
            None => self.head = next,
        }
        match self.links.get_mut(next as usize) {
            Some(n) => n.prev = prev,
            None => self.tail = prev,
        }
        if let Some(cell) = self.links.get_mut(index as usize) {
            cell.prev = NIL;
            cell.next = NIL;
        }
    }

    fn attach_front(&mut self, index: u32) {
        let old_head = self.head;
        if let Some(cell) = self.links.get_mut(index as usize) {
            cell.prev = NIL;
            cell.next = old_head;
        } else {
            return;
        }
        match self.links.get_mut(old_head as usize) {
            Some(h) => h.prev = index,
            None => self.tail = index,
        }
        self.head = index;
    }
}
