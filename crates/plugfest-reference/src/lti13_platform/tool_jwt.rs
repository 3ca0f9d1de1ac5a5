//! Tool-originating JWTs (client assertions, Sec §4.1.1; deep linking responses, Sec §5.2):
//! parsing the compact JWS (RFC 7515 §7.1) and verifying its RS256 signature with the tool key
//! its `kid` names, from the key set at the tool's registered JWKS URL (Sec §6.3, §6.4).

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::jose::{Jws, KeySet, KeySetUrl};

/// The longest JWT accepted.
pub(crate) const MAX_JWT_BYTES: usize = 32 * 1024;
/// The least time between two downloads of the key set (an unknown `kid` cannot make the
/// platform hammer the tool).
const REFETCH_AFTER: Duration = Duration::from_secs(2);

/// Why a tool JWT is not believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JwtRefusal {
    /// Not three base64url parts holding JSON objects, or too long.
    Malformed,
    /// `alg` is not RS256 (Sec §5.4: never `none`; Cert §4.2: RS256 only).
    AlgNotAllowed,
    /// No `kid` in the header (Sec §6.3).
    KidMissing,
    /// No key with that `kid` in the tool's key set.
    KidUnknown,
    /// The signature does not verify.
    SignatureInvalid,
    /// The tool's key set could not be had.
    KeySetUnavailable(String),
}

impl JwtRefusal {
    /// The reason, for an error body.
    pub(crate) fn reason(&self) -> String {
        match self {
            Self::Malformed => "the JWT is not a compact JWS of JSON objects".into(),
            Self::AlgNotAllowed => "the JWT is not signed RS256".into(),
            Self::KidMissing => "the JWT header names no kid".into(),
            Self::KidUnknown => "the kid is not in the tool's key set".into(),
            Self::SignatureInvalid => {
                "the JWT signature does not verify with the tool's key".into()
            }
            Self::KeySetUnavailable(e) => format!("the tool's key set is unavailable: {e}"),
        }
    }
}

/// Parse the compact JWS `token` (at most [`MAX_JWT_BYTES`]), not yet verified.
pub(crate) fn parse(token: &str) -> Result<Jws<'_>, JwtRefusal> {
    if token.len() > MAX_JWT_BYTES {
        return Err(JwtRefusal::Malformed);
    }
    Jws::parse(token).ok_or(JwtRefusal::Malformed)
}

/// How lenient the signature check is (set only by faults).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Leniency {
    /// Skip the RS256 verification once the key is found.
    pub skip_signature: bool,
    /// Trust a token whose `kid` is not in the key set.
    pub accept_unknown_kid: bool,
}

/// The tool's key set, fetched from its registered URL on demand and cached.
#[derive(Debug)]
pub(crate) struct ToolKeys {
    source: KeySetUrl,
    cache: Mutex<Option<(Instant, KeySet)>>,
}

impl ToolKeys {
    /// A cache for the key set at `url`, trusting `ca_pem` besides the default roots.
    pub(crate) fn new(url: &str, ca_pem: Option<&str>) -> Result<Self, String> {
        Ok(Self {
            source: KeySetUrl::new(url, ca_pem, "the tool key set")?,
            cache: Mutex::new(None),
        })
    }

    /// Verify `jwt`: RS256, a `kid`, and the signature of the tool key with that `kid`.
    pub(crate) async fn verify(&self, jwt: &Jws<'_>, leniency: Leniency) -> Result<(), JwtRefusal> {
        // Sec §5.2.3 step 6 / Cert §4.2: RS256 is what this platform registered; Sec §5.4:
        // "Message Tool JWTs MUST NOT use none as the alg value".
        if jwt.header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(JwtRefusal::AlgNotAllowed);
        }
        // RFC 7515 §4.1.11: an unknown critical extension must be refused.
        if jwt.header.contains_key("crit") {
            return Err(JwtRefusal::Malformed);
        }
        // Sec §6.3: the issuer "identifies the key a receiver uses to validate the JWT
        // signature by using the kid JWT header Claim".
        let kid = jwt
            .header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(JwtRefusal::KidMissing)?;
        let Some(jwk) = self.key(kid).await? else {
            return if leniency.accept_unknown_kid {
                Ok(())
            } else {
                Err(JwtRefusal::KidUnknown)
            };
        };
        if leniency.skip_signature {
            return Ok(());
        }
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| JwtRefusal::SignatureInvalid)?;
        match jsonwebtoken::crypto::verify(
            jwt.signature,
            jwt.signing_input.as_bytes(),
            &key,
            Algorithm::RS256,
        ) {
            Ok(true) => Ok(()),
            _ => Err(JwtRefusal::SignatureInvalid),
        }
    }

    /// The key with `kid`; the set is downloaded when none is cached, and again (at most every
    /// [`REFETCH_AFTER`]) when the cached one lacks it — Sec §6.4: a rotated key comes "under
    /// a new kid. Other parties can then download a new version of the JSON Key Set".
    async fn key(&self, kid: &str) -> Result<Option<Jwk>, JwtRefusal> {
        let mut cache = self.cache.lock().await;
        if let Some((_, keys)) = cache.as_ref()
            && let Some((_, jwk)) = keys.iter().find(|(k, _)| k == kid)
        {
            return Ok(Some(jwk.clone()));
        }
        if cache
            .as_ref()
            .is_some_and(|(at, _)| at.elapsed() < REFETCH_AFTER)
        {
            return Ok(None);
        }
        let keys = self.fetch().await.map_err(JwtRefusal::KeySetUnavailable)?;
        let found = keys
            .iter()
            .find(|(k, _)| k == kid)
            .map(|(_, jwk)| jwk.clone());
        *cache = Some((Instant::now(), keys));
        Ok(found)
    }

    async fn fetch(&self) -> Result<KeySet, String> {
        let url = self.source.url();
        self.source.fetch().await.map_err(|e| format!("{url}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::part;
    use serde_json::json;

    #[test]
    fn long_or_malformed_tokens_are_refused() {
        let h = part(&json!({"alg": "RS256"}));
        for token in ["a.b".into(), "x".repeat(MAX_JWT_BYTES + 1)] {
            assert_eq!(parse(&token).unwrap_err(), JwtRefusal::Malformed);
        }
        let ok = format!("{h}.{}.c2ln", part(&json!({"iss": "t"})));
        assert_eq!(parse(&ok).unwrap().claim_str("iss"), Some("t"));
    }
}
