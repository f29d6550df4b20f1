//! The answers a code book keeps between calls: the slot lists of the last
//! keystrokes, the corrections of the last unknown words, the phrase
//! searches of the last notes. One bounded store for all three: the oldest
//! answer goes first, a copy of the book starts empty (they are only a
//! saving), and a poisoned lock (a panic elsewhere) means work done afresh,
//! never an error.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;

/// At most `N` answers, by key.
#[derive(Debug)]
pub struct Recent<K, V, const N: usize> {
    kept: Mutex<(HashMap<K, V>, VecDeque<K>)>,
}

impl<K, V, const N: usize> Default for Recent<K, V, N> {
    fn default() -> Self {
        Recent { kept: Mutex::new((HashMap::new(), VecDeque::new())) }
    }
}

/// A copy starts afresh.
impl<K, V, const N: usize> Clone for Recent<K, V, N> {
    fn clone(&self) -> Self {
        Recent::default()
    }
}

impl<K: Eq + Hash + Clone, V: Clone, const N: usize> Recent<K, V, N> {
    /// The answer kept for `key`.
    pub fn get(&self, key: &K) -> Option<V> {
        self.kept.lock().ok()?.0.get(key).cloned()
    }

    /// Keeps `value` for `key`, forgetting the oldest answer when full.
    pub fn put(&self, key: K, value: V) {
        let Ok(mut kept) = self.kept.lock() else { return };
        let (answers, order) = &mut *kept;
        if answers.insert(key.clone(), value).is_none() {
            if order.len() >= N {
                if let Some(oldest) = order.pop_front() {
                    answers.remove(&oldest);
                }
            }
            order.push_back(key);
        }
    }

    /// The answer kept for `key`, or made by `make` and kept.
    pub fn get_or<E>(&self, key: K, make: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let v = make()?;
        self.put(key, v.clone());
        Ok(v)
    }

    /// Forgets every answer (the release in force changed).
    pub fn clear(&mut self) {
        if let Ok(kept) = self.kept.get_mut() {
            kept.0.clear();
            kept.1.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_answer_goes_first_and_a_copy_starts_empty() {
        let mut r: Recent<u32, &str, 2> = Recent::default();
        r.put(1, "a");
        r.put(2, "b");
        r.put(1, "a again");
        r.put(3, "c");
        assert_eq!((r.get(&1), r.get(&2), r.get(&3)), (None, Some("b"), Some("c")));
        assert_eq!(r.clone().get(&2), None);
        assert_eq!(r.get_or(4, || Ok::<_, ()>("d")), Ok("d"));
        r.clear();
        assert_eq!(r.get(&2), None);
    }
}
