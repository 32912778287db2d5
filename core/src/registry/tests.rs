use super::*;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

fn registry(max_keys: u32) -> Registry<String, u32> {
    Registry::new(&RegistryOptions { max_keys }).unwrap()
}

fn insert(r: &mut Registry<String, u32>, key: &str, value: u32) -> Option<(String, u32)> {
    r.get_or_insert_with(key.to_string(), || value).1
}

fn insert_child(
    r: &mut Registry<String, u32>,
    key: &str,
    parent: &str,
    value: u32,
) -> Result<Option<(String, u32)>, RegistryError> {
    r.get_or_insert_child_with(key.to_string(), parent, || value)
        .map(|(_, evicted)| evicted)
}

fn keys(r: &Registry<String, u32>) -> Vec<&str> {
    r.iter().map(|(k, _)| k.as_str()).collect()
}

fn evicted(key: &str, value: u32) -> Option<(String, u32)> {
    Some((key.to_string(), value))
}

#[test]
fn max_keys_must_be_at_least_one() {
    let err = Registry::<String, u32>::new(&RegistryOptions { max_keys: 0 }).unwrap_err();
    assert_eq!(err.field(), "maxKeys");
    let err = Registry::<String, u32>::new(&RegistryOptions {
        max_keys: MAX_KEYS + 1,
    })
    .unwrap_err();
    assert_eq!(err.field(), "maxKeys");
    assert_eq!(RegistryOptions::default().max_keys, 1000);
}

#[test]
fn inserts_once_and_returns_the_existing_value_after() {
    let mut r = registry(4);
    let (value, evicted) = r.get_or_insert_with("a".to_string(), || 1);
    assert_eq!((*value, evicted), (1, None));
    *value = 10;
    let (value, _) = r.get_or_insert_with("a".to_string(), || panic!("must not make twice"));
    assert_eq!(*value, 10);
    assert_eq!(r.len(), 1);
    assert_eq!(r.capacity(), 4);
}

#[test]
fn evicts_the_least_recently_used_key() {
    let mut r = registry(2);
    insert(&mut r, "a", 1);
    insert(&mut r, "b", 2);
    assert_eq!(insert(&mut r, "c", 3), evicted("a", 1));
    assert_eq!(keys(&r), ["c", "b"]);
    assert_eq!(r.len(), 2);
}

#[test]
fn get_refreshes_recency() {
    let mut r = registry(2);
    insert(&mut r, "a", 1);
    insert(&mut r, "b", 2);
    assert_eq!(r.get("a"), Some(&1));
    assert_eq!(insert(&mut r, "c", 3), evicted("b", 2));
}

#[test]
fn peek_does_not_refresh_recency() {
    let mut r = registry(2);
    insert(&mut r, "a", 1);
    insert(&mut r, "b", 2);
    assert_eq!(r.peek("a"), Some(&1));
    assert_eq!(insert(&mut r, "c", 3), evicted("a", 1));
}

#[test]
fn get_mut_changes_the_stored_value() {
    let mut r = registry(2);
    insert(&mut r, "a", 1);
    *r.get_mut("a").unwrap() += 5;
    assert_eq!(r.peek("a"), Some(&6));
    assert_eq!(r.get_mut("missing"), None);
}

#[test]
fn remove_frees_a_place_without_evicting() {
    let mut r = registry(2);
    insert(&mut r, "a", 1);
    insert(&mut r, "b", 2);
    assert_eq!(r.remove("a"), Ok(Some(1)));
    assert_eq!(r.remove("a"), Ok(None));
    assert_eq!(insert(&mut r, "c", 3), None);
    assert_eq!(keys(&r), ["c", "b"]);
}

#[test]
fn iterates_in_recency_order_both_ways() {
    let mut r = registry(3);
    insert(&mut r, "a", 1);
    insert(&mut r, "b", 2);
    insert(&mut r, "c", 3);
    r.get("a");
    assert_eq!(keys(&r), ["a", "c", "b"]);
    let oldest_first: Vec<&str> = r.iter().rev().map(|(k, _)| k.as_str()).collect();
    assert_eq!(oldest_first, ["b", "c", "a"]);
    assert_eq!(r.iter().len(), 3);
}

#[test]
fn pop_lru_takes_the_oldest_entry() {
    let mut r = registry(3);
    insert(&mut r, "a", 1);
    insert(&mut r, "b", 2);
    assert_eq!(r.pop_lru(), evicted("a", 1));
    assert_eq!(r.pop_lru(), evicted("b", 2));
    assert_eq!(r.pop_lru(), None);
    assert!(r.is_empty());
}

#[test]
fn a_capacity_of_one_keeps_only_the_latest_key() {
    let mut r = registry(1);
    insert(&mut r, "a", 1);
    assert_eq!(insert(&mut r, "b", 2), evicted("a", 1));
    assert_eq!(insert(&mut r, "b", 9), None);
    assert_eq!(r.peek("b"), Some(&2));
}

#[test]
fn chain_yields_the_entry_then_its_ancestors() {
    let mut r = registry(4);
    insert(&mut r, "origin", 1);
    insert_child(&mut r, "endpoint", "origin", 2).unwrap();
    insert_child(&mut r, "route", "endpoint", 3).unwrap();
    let chain: Vec<(&str, u32)> = r.chain("route").map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(chain, [("route", 3), ("endpoint", 2), ("origin", 1)]);
    assert_eq!(r.parent("route").map(String::as_str), Some("endpoint"));
    assert_eq!(r.parent("origin"), None);
    assert_eq!(r.child_count("origin"), Some(1));
    assert_eq!(r.chain("missing").count(), 0);
}

#[test]
fn chain_mut_lends_each_value_in_turn() {
    let mut r = registry(4);
    insert(&mut r, "origin", 1);
    insert_child(&mut r, "endpoint", "origin", 2).unwrap();
    let mut cursor = r.chain_mut("endpoint").unwrap();
    while let Some((_, value)) = cursor.next_entry() {
        *value *= 10;
    }
    assert_eq!(r.peek("endpoint"), Some(&20));
    assert_eq!(r.peek("origin"), Some(&10));
}

#[test]
fn using_a_child_also_uses_its_parent() {
    let mut r = registry(3);
    insert(&mut r, "origin", 1);
    insert(&mut r, "other", 9);
    insert_child(&mut r, "endpoint", "origin", 2).unwrap();
    assert_eq!(keys(&r), ["origin", "endpoint", "other"]);
    r.get("other");
    r.get("endpoint");
    assert_eq!(keys(&r), ["origin", "endpoint", "other"]);
}

#[test]
fn a_parent_is_never_evicted_while_it_has_children() {
    let mut r = registry(3);
    insert(&mut r, "origin", 1);
    insert_child(&mut r, "a", "origin", 2).unwrap();
    insert_child(&mut r, "b", "origin", 3).unwrap();
    // Full: origin, b, a. A new root evicts the oldest child, not the parent.
    assert_eq!(insert(&mut r, "x", 4), evicted("a", 2));
    assert_eq!(insert(&mut r, "y", 5), evicted("b", 3));
    assert_eq!(r.child_count("origin"), Some(0));
    // Now childless and least recent, the parent goes next.
    assert_eq!(insert(&mut r, "z", 6), evicted("origin", 1));
}

#[test]
fn inserting_a_child_never_evicts_its_own_ancestors() {
    let mut r = registry(3);
    insert(&mut r, "origin", 1);
    insert_child(&mut r, "endpoint", "origin", 2).unwrap();
    insert(&mut r, "other", 3);
    // Most recent first: other, origin, endpoint. The new child touches its
    // chain first, which leaves `other` least recent.
    assert_eq!(
        insert_child(&mut r, "route", "endpoint", 4),
        Ok(evicted("other", 3))
    );
    let chain: Vec<&str> = r.chain("route").map(|(k, _)| k.as_str()).collect();
    assert_eq!(chain, ["route", "endpoint", "origin"]);
}

#[test]
fn a_registry_full_of_ancestors_refuses_a_new_child() {
    let mut r = registry(2);
    insert(&mut r, "origin", 1);
    insert_child(&mut r, "endpoint", "origin", 2).unwrap();
    let before = keys(&r).join(",");
    assert_eq!(
        insert_child(&mut r, "route", "endpoint", 3),
        Err(RegistryError::NoEvictableEntry)
    );
    assert_eq!(keys(&r).join(","), before);
}

#[test]
fn a_child_needs_an_existing_parent() {
    let mut r = registry(2);
    assert_eq!(
        insert_child(&mut r, "endpoint", "origin", 2),
        Err(RegistryError::UnknownParent)
    );
    assert!(r.is_empty());
}

#[test]
fn a_key_keeps_the_parent_it_was_inserted_under() {
    let mut r = registry(4);
    insert(&mut r, "p", 1);
    insert(&mut r, "q", 2);
    insert_child(&mut r, "c", "p", 3).unwrap();
    assert_eq!(
        insert_child(&mut r, "c", "q", 0),
        Err(RegistryError::ParentMismatch)
    );
    assert_eq!(
        insert_child(&mut r, "q", "p", 0),
        Err(RegistryError::ParentMismatch)
    );
    assert_eq!(
        insert_child(&mut r, "p", "p", 0),
        Err(RegistryError::ParentMismatch)
    );
    assert_eq!(insert_child(&mut r, "c", "p", 0), Ok(None));
    assert_eq!(r.peek("c"), Some(&3));
}

#[test]
fn a_parent_with_children_cannot_be_removed() {
    let mut r = registry(3);
    insert(&mut r, "origin", 1);
    insert_child(&mut r, "endpoint", "origin", 2).unwrap();
    let err = r.remove("origin").unwrap_err();
    assert_eq!(err, RegistryError::HasChildren { children: 1 });
    assert_eq!(err.code(), "ERR_HAS_CHILDREN");
    assert_eq!(r.remove("endpoint"), Ok(Some(2)));
    assert_eq!(r.remove("origin"), Ok(Some(1)));
    assert!(r.is_empty());
}

#[test]
fn freed_cells_are_reused_without_growing() {
    let mut r = registry(2);
    for round in 0..50u32 {
        insert(&mut r, "a", round);
        insert(&mut r, "b", round);
        r.remove("a").unwrap();
        insert(&mut r, "c", round);
        r.pop_lru();
    }
    assert!(r.len() <= 2);
    assert_eq!(r.list.slab_len(), 2);
}
