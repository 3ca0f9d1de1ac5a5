//! The platform's public keys, fetched from its key set URL on demand and cached.
//!
//! Sec §6.3: "The Issuer MUST NOT reuse the `kid` identifier to identify different public keys
//! of the same type (`kty`), allowing the public key to be cached by the Consumer." Sec §6.4:
//! on rotation "the Issuer MUST add it to the JSON Key Set under a new `kid`. Other parties can
//! then download a new version" — so an unknown `kid` triggers one fresh download.

use std::time::Duration;

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use serde_json::Value;
use tokio::sync::Mutex;

/// The largest key set accepted.
const MAX_JWKS_BYTES: usize = 256 * 1024;
/// The most keys kept from one key set.
const MAX_KEYS: usize = 100;
/// Timeout of one key set download.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the key set could not be had.
#[derive(Debug, thiserror::Error)]
pub(crate) enum KeySetError {
    #[error("fetching {url}: {message}")]
    Fetch { url: String, message: String },
}

/// Whether a `kid` was found, and with which key.
pub(crate) enum KeyLookup {
    /// The key to verify with.
    Found(Box<Jwk>),
    /// No RS256 signing key with that `kid`, even after downloading the set again.
    Unknown,
}

/// The platform key set cache.
pub(crate) struct PlatformKeys {
    url: String,
    client: reqwest::Client,
    cache: Mutex<Option<Vec<(String, Jwk)>>>,
    /// `lti13-tool/jwks-cached-forever`: never download the set again once it is cached.
    cached_forever: bool,
}

impl std::fmt::Debug for PlatformKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformKeys")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl PlatformKeys {
    /// A cache for the key set at `url`, trusting `ca_pem` in addition to the default roots;
    /// `cached_forever` is the `jwks-cached-forever` fault.
    pub(crate) fn new(
        url: &str,
        ca_pem: Option<&str>,
        cached_forever: bool,
    ) -> Result<Self, String> {
        let client = crate::serve::client(FETCH_TIMEOUT, ca_pem, "the platform key set")?;
        Ok(Self {
            url: url.to_owned(),
            client,
            cache: Mutex::new(None),
            cached_forever,
        })
    }

    /// The key with this `kid`, downloading the set when none is cached, and once more when
    /// the cached set does not have it.
    pub(crate) async fn key(&self, kid: &str) -> Result<KeyLookup, KeySetError> {
        let mut cache = self.cache.lock().await;
        let mut fresh = false;
        if cache.is_none() {
            *cache = Some(self.fetch().await?);
            fresh = true;
        }
        if let Some(found) = find(cache.as_deref(), kid) {
            return Ok(found);
        }
        // Sec §6.4: "When the Issuer rotates its public key, the Issuer MUST add it to the JSON
        // Key Set under a new kid. Other parties can then download a new version of the JSON
        // Key Set." — an unknown kid may be a rotated key: download the set once more.
        if !fresh && !self.cached_forever {
            *cache = Some(self.fetch().await?);
            if let Some(found) = find(cache.as_deref(), kid) {
                return Ok(found);
            }
        }
        Ok(KeyLookup::Unknown)
    }

    /// The first key of the set (downloading it when none is cached), if it has any.
    pub(crate) async fn first(&self) -> Result<Option<Jwk>, KeySetError> {
        let mut cache = self.cache.lock().await;
        if cache.is_none() {
            *cache = Some(self.fetch().await?);
        }
        Ok(cache
            .as_deref()
            .and_then(|keys| keys.first())
            .map(|(_, jwk)| jwk.clone()))
    }

    async fn fetch(&self) -> Result<Vec<(String, Jwk)>, KeySetError> {
        let error = |message: String| KeySetError::Fetch {
            url: self.url.clone(),
            message,
        };
        let mut response = self
            .client
            .get(&self.url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| error(e.to_string()))?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(error(format!("status {}", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| error(e.to_string()))? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(error(format!("key set larger than {MAX_JWKS_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        parse_key_set(&body).map_err(error)
    }
}

fn find(keys: Option<&[(String, Jwk)]>, kid: &str) -> Option<KeyLookup> {
    let (_, jwk) = keys?.iter().find(|(k, _)| k == kid)?;
    Some(KeyLookup::Found(Box::new(jwk.clone())))
}

/// The RSA signing keys of a JWK Set, by `kid`; keys of other types or uses are skipped.
pub(crate) fn parse_key_set(body: &[u8]) -> Result<Vec<(String, Jwk)>, String> {
    let set: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let keys = set
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("no \"keys\" array")?;
    Ok(keys
        .iter()
        .filter_map(|key| {
            // Sec §6.3: "The supplier of the key set URL MUST use the kid parameter to identify
            // the keys" — a key without one cannot be chosen by a token, so it is skipped.
            let kid = key.get("kid")?.as_str()?.to_owned();
            if key.get("use").is_some_and(|u| u != "sig")
                || key.get("alg").is_some_and(|a| a != "RS256")
            {
                return None;
            }
            let jwk: Jwk = serde_json::from_value(key.clone()).ok()?;
            // Sec §6.2: "When using RSA keys, they MUST include the n (modulus) and e (exponent)".
            matches!(jwk.algorithm, AlgorithmParameters::RSA(_)).then_some((kid, jwk))
        })
        .take(MAX_KEYS)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rsa_signing_keys_are_kept_by_kid() {
        let set = json!({"keys": [
            {"kty": "RSA", "kid": "a", "alg": "RS256", "use": "sig", "n": "qqqq", "e": "AQAB"},
            {"kty": "RSA", "n": "qqqq", "e": "AQAB"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": "qqqq", "e": "AQAB"},
            {"kty": "RSA", "kid": "ps", "alg": "PS256", "n": "qqqq", "e": "AQAB"},
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
            {"kty": "weird", "kid": "w"}
        ]});
        let keys = parse_key_set(&serde_json::to_vec(&set).unwrap()).unwrap();
        let kids: Vec<_> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kids, ["a"]);
    }

    #[test]
    fn a_body_without_keys_is_an_error() {
        assert!(parse_key_set(b"{}").is_err());
        assert!(parse_key_set(b"<html>").is_err());
    }
}
