//! Tool-originating JWTs (client assertions, Sec §4.1.1; deep linking responses, Sec §5.2):
//! parsing the compact JWS (RFC 7515 §7.1) and verifying its RS256 signature with the tool key
//! its `kid` names, from the key set at the tool's registered JWKS URL (Sec §6.3, §6.4).

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

/// The longest JWT accepted.
pub(crate) const MAX_JWT_BYTES: usize = 32 * 1024;
/// The largest tool key set accepted.
const MAX_JWKS_BYTES: usize = 256 * 1024;
/// The most keys kept from one key set.
const MAX_KEYS: usize = 100;
/// Timeout of one key set download.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
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

/// A compact JWS, parsed but not verified.
#[derive(Debug)]
pub(crate) struct UnverifiedJwt<'a> {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    signing_input: &'a str,
    signature: &'a str,
}

impl<'a> UnverifiedJwt<'a> {
    /// Parse `token`.
    pub(crate) fn parse(token: &'a str) -> Result<Self, JwtRefusal> {
        if token.len() > MAX_JWT_BYTES {
            return Err(JwtRefusal::Malformed);
        }
        let (signing_input, signature) = token.rsplit_once('.').ok_or(JwtRefusal::Malformed)?;
        let (header, payload) = signing_input.split_once('.').ok_or(JwtRefusal::Malformed)?;
        if payload.contains('.') {
            return Err(JwtRefusal::Malformed);
        }
        Ok(Self {
            header: object(header)?,
            claims: object(payload)?,
            signing_input,
            signature,
        })
    }

    /// A string claim.
    pub(crate) fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

fn object(part: &str) -> Result<Map<String, Value>, JwtRefusal> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtRefusal::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JwtRefusal::Malformed),
    }
}

/// How lenient the signature check is (set only by faults).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Leniency {
    /// Skip the RS256 verification once the key is found.
    pub skip_signature: bool,
    /// Trust a token whose `kid` is not in the key set.
    pub accept_unknown_kid: bool,
}

/// Keys by `kid`.
type KeySet = Vec<(String, Jwk)>;

/// The tool's key set, fetched from its registered URL on demand and cached.
pub(crate) struct ToolKeys {
    url: String,
    client: reqwest::Client,
    cache: Mutex<Option<(Instant, KeySet)>>,
}

impl std::fmt::Debug for ToolKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolKeys")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl ToolKeys {
    /// A cache for the key set at `url`, trusting `ca_pem` besides the default roots.
    pub(crate) fn new(url: &str, ca_pem: Option<&str>) -> Result<Self, String> {
        let client = crate::serve::client(FETCH_TIMEOUT, ca_pem, "the tool key set")?;
        Ok(Self {
            url: url.to_owned(),
            client,
            cache: Mutex::new(None),
        })
    }

    /// Verify `jwt`: RS256, a `kid`, and the signature of the tool key with that `kid`.
    pub(crate) async fn verify(
        &self,
        jwt: &UnverifiedJwt<'_>,
        leniency: Leniency,
    ) -> Result<(), JwtRefusal> {
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
        let mut response = self
            .client
            .get(&self.url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| format!("{}: {e}", self.url))?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(format!("{}: status {}", self.url, response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(format!("key set larger than {MAX_JWKS_BYTES} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        parse_key_set(&body)
    }
}

/// The RSA signature keys of a JWK Set, by `kid` (keys without one cannot be named, and are
/// skipped).
fn parse_key_set(body: &[u8]) -> Result<KeySet, String> {
    let set: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let keys = set
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("no \"keys\" array")?;
    Ok(keys
        .iter()
        .filter_map(|key| {
            let kid = key.get("kid")?.as_str()?.to_owned();
            if key.get("use").is_some_and(|u| u != "sig")
                || key.get("alg").is_some_and(|a| a != "RS256")
            {
                return None;
            }
            let jwk: Jwk = serde_json::from_value(key.clone()).ok()?;
            matches!(jwk.algorithm, AlgorithmParameters::RSA(_)).then_some((kid, jwk))
        })
        .take(MAX_KEYS)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn part(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let h = part(&json!({"alg": "RS256"}));
        for token in [
            String::new(),
            "a.b".into(),
            format!("{h}.{h}.s.x"),
            format!("{h}.bm90IGpzb24.s"),
            format!("{h}.{}.s", part(&json!([1]))),
            "x".repeat(MAX_JWT_BYTES + 1),
        ] {
            assert_eq!(
                UnverifiedJwt::parse(&token).unwrap_err(),
                JwtRefusal::Malformed
            );
        }
        let ok = format!("{h}.{}.c2ln", part(&json!({"iss": "t"})));
        assert_eq!(
            UnverifiedJwt::parse(&ok).unwrap().claim_str("iss"),
            Some("t")
        );
    }

    #[test]
    fn only_rsa_signature_keys_with_a_kid_are_kept() {
        let set = json!({"keys": [
            {"kty": "RSA", "kid": "a", "alg": "RS256", "use": "sig", "n": "qqqq", "e": "AQAB"},
            {"kty": "RSA", "n": "qqqq", "e": "AQAB"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": "qqqq", "e": "AQAB"},
            {"kty": "oct", "kid": "h", "k": "c2VjcmV0"}
        ]});
        let keys = parse_key_set(set.to_string().as_bytes()).unwrap();
        assert_eq!(keys.len(), 1);
        assert!(parse_key_set(b"{}").is_err());
    }
}
