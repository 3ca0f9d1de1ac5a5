//! The platform's public keys, fetched from its key set URL on demand and cached.
//!
//! Sec §6.3: "The Issuer MUST NOT reuse the `kid` identifier to identify different public keys
//! of the same type (`kty`), allowing the public key to be cached by the Consumer." Sec §6.4:
//! on rotation "the Issuer MUST add it to the JSON Key Set under a new `kid`. Other parties can
//! then download a new version" — so an unknown `kid` triggers one fresh download.

use jsonwebtoken::jwk::Jwk;
use tokio::sync::Mutex;

use crate::jose::{KeySet, KeySetUrl};

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
#[derive(Debug)]
pub(crate) struct PlatformKeys {
    source: KeySetUrl,
    cache: Mutex<Option<KeySet>>,
    /// `lti13-tool/jwks-cached-forever`: never download the set again once it is cached.
    cached_forever: bool,
}

impl PlatformKeys {
    /// A cache for the key set at `url`, trusting `ca_pem` in addition to the default roots;
    /// `cached_forever` is the `jwks-cached-forever` fault.
    pub(crate) fn new(
        url: &str,
        ca_pem: Option<&str>,
        cached_forever: bool,
    ) -> Result<Self, String> {
        Ok(Self {
            source: KeySetUrl::new(url, ca_pem, "the platform key set")?,
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

    async fn fetch(&self) -> Result<KeySet, KeySetError> {
        self.source
            .fetch()
            .await
            .map_err(|message| KeySetError::Fetch {
                url: self.source.url().to_owned(),
                message,
            })
    }
}

fn find(keys: Option<&[(String, Jwk)]>, kid: &str) -> Option<KeyLookup> {
    let (_, jwk) = keys?.iter().find(|(k, _)| k == kid)?;
    Some(KeyLookup::Found(Box::new(jwk.clone())))
}
