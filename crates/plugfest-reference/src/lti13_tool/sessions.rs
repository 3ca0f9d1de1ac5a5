//! Server-side memory of logins (state → nonce, target link URI) and of used nonces.
//!
//! Both maps are bounded ([`MAX_ENTRIES`]) and forget entries after [`LOGIN_TTL`]: a flood of
//! logins evicts the oldest instead of growing without limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::refusal::LaunchRefusal;

/// How long a login (its state and nonce) stays usable, and how long a used nonce is remembered.
pub(crate) const LOGIN_TTL: Duration = Duration::from_secs(10 * 60);
/// The most logins (and the most used nonces) remembered at once.
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// What a login left behind for its launch.
#[derive(Debug, Clone)]
pub(crate) struct LoginRecord {
    /// The nonce sent in the authentication request for this state.
    pub nonce: String,
    /// The `target_link_uri` the platform passed to the login.
    pub target_link_uri: String,
    created: Instant,
    used: bool,
}

#[derive(Debug, Default)]
struct Inner {
    logins: HashMap<String, LoginRecord>,
    used_nonces: HashMap<String, Instant>,
}

/// The tool's login and nonce memory.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    inner: Mutex<Inner>,
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the maps inconsistent (each update is
        // one insert or remove), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remember a login: `state` now stands for `nonce` and `target_link_uri` (a later login
    /// with the same state replaces it). Issuing a nonce makes it fresh: fresh random nonces
    /// are never in the used set, so this only matters when a nonce is issued twice.
    pub(crate) fn issue(&self, state: &str, nonce: &str, target_link_uri: &str) {
        let now = Instant::now();
        let mut inner = self.lock();
        if !inner.logins.contains_key(state) {
            make_room(&mut inner.logins, now, |r| r.created);
        }
        inner.used_nonces.remove(nonce);
        inner.logins.insert(
            state.to_owned(),
            LoginRecord {
                nonce: nonce.to_owned(),
                target_link_uri: target_link_uri.to_owned(),
                created: now,
                used: false,
            },
        );
    }

    /// The login `state` stands for, if it is known, unexpired and unused.
    pub(crate) fn lookup(&self, state: &str) -> Result<LoginRecord, LaunchRefusal> {
        let inner = self.lock();
        match inner.logins.get(state) {
            None => Err(LaunchRefusal::StateUnknown),
            Some(r) if r.created.elapsed() > LOGIN_TTL => Err(LaunchRefusal::StateUnknown),
            Some(r) if r.used => Err(LaunchRefusal::StateUsed),
            Some(r) => Ok(r.clone()),
        }
    }

    /// The newest known, unexpired and unused login that issued `nonce`, with its state (the
    /// `state-not-checked` fault finds logins this way; a conformant tool never does).
    pub(crate) fn lookup_by_nonce(
        &self,
        nonce: &str,
    ) -> Result<(String, LoginRecord), LaunchRefusal> {
        let inner = self.lock();
        let mut issued: Vec<_> = inner
            .logins
            .iter()
            .filter(|(_, r)| r.nonce == nonce && r.created.elapsed() <= LOGIN_TTL)
            .collect();
        issued.sort_by_key(|(_, r)| std::cmp::Reverse(r.created));
        match issued.iter().find(|(_, r)| !r.used).or(issued.first()) {
            None => Err(LaunchRefusal::StateUnknown),
            Some((_, r)) if r.used => Err(LaunchRefusal::StateUsed),
            Some((state, r)) => Ok(((*state).clone(), (*r).clone())),
        }
    }

    /// Consume the login `state` and the token's `nonce`, atomically: refused if another
    /// launch consumed the state meanwhile or if the nonce was already used.
    pub(crate) fn consume(&self, state: &str, nonce: Option<&str>) -> Result<(), LaunchRefusal> {
        let now = Instant::now();
        let mut inner = self.lock();
        let record = inner
            .logins
            .get_mut(state)
            .ok_or(LaunchRefusal::StateUnknown)?;
        if record.used {
            return Err(LaunchRefusal::StateUsed);
        }
        record.used = true;
        let Some(nonce) = nonce else { return Ok(()) };
        // Sec §5.1.3 step 9: "The Tool SHOULD verify that it has not yet received this nonce
        // value (within a Tool-defined time window), in order to help prevent replay attacks."
        if inner.used_nonces.contains_key(nonce) {
            return Err(LaunchRefusal::NonceReplayed);
        }
        make_room(&mut inner.used_nonces, now, |t| *t);
        inner.used_nonces.insert(nonce.to_owned(), now);
        Ok(())
    }
}

/// Make room for one more entry when the map is full: forget expired entries, then the
/// oldest. (Below the bound nothing is swept: `lookup` ignores expired logins anyway.)
fn make_room<V>(map: &mut HashMap<String, V>, now: Instant, created: impl Fn(&V) -> Instant) {
    if map.len() < MAX_ENTRIES {
        return;
    }
    map.retain(|_, v| now.duration_since(created(v)) <= LOGIN_TTL);
    while map.len() >= MAX_ENTRIES {
        let Some(oldest) = map
            .iter()
            .min_by_key(|(_, v)| created(v))
            .map(|(k, _)| k.clone())
        else {
            return;
        };
        map.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_is_usable_once() {
        let s = Sessions::default();
        s.issue("st", "n1", "https://tool/resource");
        let r = s.lookup("st").unwrap();
        assert_eq!(r.nonce, "n1");
        assert_eq!(r.target_link_uri, "https://tool/resource");
        s.consume("st", Some("n1")).unwrap();
        assert_eq!(s.lookup("st").unwrap_err(), LaunchRefusal::StateUsed);
        assert_eq!(
            s.consume("st", Some("n1")).unwrap_err(),
            LaunchRefusal::StateUsed
        );
    }

    #[test]
    fn an_unknown_state_is_refused() {
        let s = Sessions::default();
        assert_eq!(s.lookup("nope").unwrap_err(), LaunchRefusal::StateUnknown);
    }

    #[test]
    fn a_used_nonce_is_refused_under_a_new_state() {
        let s = Sessions::default();
        s.issue("a", "n", "t");
        s.consume("a", Some("n")).unwrap();
        s.issue("b", "other", "t");
        assert_eq!(
            s.consume("b", Some("n")).unwrap_err(),
            LaunchRefusal::NonceReplayed
        );
    }

    #[test]
    fn reissuing_a_state_replaces_the_login() {
        let s = Sessions::default();
        s.issue("same", "n1", "t");
        s.consume("same", Some("n1")).unwrap();
        s.issue("same", "n2", "t");
        assert_eq!(s.lookup("same").unwrap().nonce, "n2");
    }

    #[test]
    fn a_login_is_found_by_its_nonce_while_unused() {
        let s = Sessions::default();
        s.issue("st", "n1", "t");
        let (state, record) = s.lookup_by_nonce("n1").unwrap();
        assert_eq!((state.as_str(), record.nonce.as_str()), ("st", "n1"));
        assert_eq!(
            s.lookup_by_nonce("n2").unwrap_err(),
            LaunchRefusal::StateUnknown
        );
        s.consume("st", Some("n1")).unwrap();
        assert_eq!(
            s.lookup_by_nonce("n1").unwrap_err(),
            LaunchRefusal::StateUsed
        );
    }

    #[test]
    fn the_store_stays_bounded() {
        let s = Sessions::default();
        for i in 0..MAX_ENTRIES + 5 {
            s.issue(&format!("s{i}"), &format!("n{i}"), "t");
        }
        assert_eq!(s.lock().logins.len(), MAX_ENTRIES);
        assert!(s.lookup(&format!("s{}", MAX_ENTRIES + 4)).is_ok());
    }
}
