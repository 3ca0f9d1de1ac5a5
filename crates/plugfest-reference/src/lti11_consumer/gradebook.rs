//! The consumer's gradebook: one `lis_result_sourcedid` per user and graded placement (opaque,
//! unguessable, remembered), and the score stored against it.
//!
//! IG11 "Basic Launch Data", `lis_result_sourcedid`: "This field identifies a unique row and
//! column within the TC gradebook. This field is unique for every combination of context_id /
//! resource_link_id / user_id."

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// A score as stored: the decimal the tool sent, and its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredScore {
    pub text: String,
    pub value: f64,
}

#[derive(Debug, Default)]
struct Book {
    /// (user_id, resource_link_id) → sourcedId.
    sourced_ids: HashMap<(String, String), String>,
    /// sourcedId → its score, if one is set.
    scores: HashMap<String, Option<StoredScore>>,
}

/// Every result cell the consumer has handed out. Bounded by the fixed users and placements
/// of the launch form.
#[derive(Debug, Default)]
pub(crate) struct Gradebook {
    book: Mutex<Book>,
}

impl Gradebook {
    fn lock(&self) -> MutexGuard<'_, Book> {
        match self.book.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The sourcedId of `user_id` in `resource_link_id`, created on first use.
    pub(crate) fn sourced_id(&self, user_id: &str, resource_link_id: &str) -> String {
        let mut book = self.lock();
        let key = (user_id.to_owned(), resource_link_id.to_owned());
        if let Some(existing) = book.sourced_ids.get(&key) {
            return existing.clone();
        }
        // 32 random bytes: nothing about the user or placement can be read from or guessed
        // into it.
        let fresh = format!("sid-{}", crate::serve::random_hex(32));
        book.sourced_ids.insert(key, fresh.clone());
        book.scores.insert(fresh.clone(), None);
        fresh
    }

    /// `None` for an unknown sourcedId; `Some(None)` for a cell without a score.
    pub(crate) fn read(&self, sourced_id: &str) -> Option<Option<StoredScore>> {
        self.lock().scores.get(sourced_id).cloned()
    }

    /// Set the score; `false` (and nothing stored) for an unknown sourcedId.
    pub(crate) fn replace(&self, sourced_id: &str, score: StoredScore) -> bool {
        match self.lock().scores.get_mut(sourced_id) {
            Some(cell) => {
                *cell = Some(score);
                true
            }
            None => false,
        }
    }

    /// Clear the score; `false` for an unknown sourcedId.
    pub(crate) fn delete(&self, sourced_id: &str) -> bool {
        match self.lock().scores.get_mut(sourced_id) {
            Some(cell) => {
                *cell = None;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_stable_unguessable_sourced_id_per_user_and_placement() {
        let book = Gradebook::default();
        let a = book.sourced_id("u1", "rl1");
        assert_eq!(a, book.sourced_id("u1", "rl1"));
        assert_ne!(a, book.sourced_id("u2", "rl1"));
        assert_ne!(a, book.sourced_id("u1", "rl2"));
        assert!(a.len() >= 64 && !a.contains("u1") && !a.contains("rl1"));
        assert_eq!(book.read(&a), Some(None));
        assert_eq!(book.read("sid-guess"), None);
        let score = StoredScore {
            text: "0.5".into(),
            value: 0.5,
        };
        assert!(book.replace(&a, score.clone()));
        assert_eq!(book.read(&a), Some(Some(score.clone())));
        assert!(!book.replace("sid-guess", score));
        assert!(book.delete(&a));
        assert_eq!(book.read(&a), Some(None));
        assert!(!book.delete("sid-guess"));
    }
}
