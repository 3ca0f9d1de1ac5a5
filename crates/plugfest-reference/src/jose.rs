//! The JOSE pieces both LTI 1.3 reference roles use: an RS256 signing key generated at start
//! and published as a JWK (Sec §6.2, §6.3), compact JWS signing (RFC 7515 §7.1), and the
//! bounded download of a peer's JWK Set (Sec §6.3, §6.4).

use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::digest;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use serde_json::{Map, Value, json};

/// The private members of an RSA JWK (RFC 7518 §6.3.2), in `RSAPrivateKey` order after `n`
/// and `e`.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// The largest key set accepted.
const MAX_JWKS_BYTES: usize = 256 * 1024;
/// The most keys kept from one key set.
const MAX_KEYS: usize = 100;
/// Timeout of one key set download.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Keys by `kid`.
pub(crate) type KeySet = Vec<(String, Jwk)>;

/// An RSA 2048 key pair of one role and its public JWK.
#[derive(Clone)]
pub(crate) struct RsaKey {
    pair: Arc<KeyPair>,
    /// The public JWK (kty, kid, alg, use, n, e — never a private member).
    pub jwk: Value,
    /// The `kid` of [`Self::jwk`], its RFC 7638 thumbprint.
    pub kid: String,
}

impl std::fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl RsaKey {
    /// A fresh RSA 2048 key pair from the OS random source.
    pub(crate) fn generate() -> Result<Self, String> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| "RSA key generation failed".to_owned())?;
        let public = pair.public_key();
        let jwk = public_jwk(
            public.modulus().big_endian_without_leading_zero(),
            public.exponent().big_endian_without_leading_zero(),
        );
        let kid = jwk["kid"].as_str().unwrap_or_default().to_owned();
        Ok(Self {
            pair: Arc::new(pair),
            jwk,
            kid,
        })
    }

    /// The private members of this key as JWK members — published only by the faults that
    /// leak them.
    pub(crate) fn private_members(&self) -> Option<Map<String, Value>> {
        let pkcs8 = self.pair.as_der().ok()?;
        private_members(pkcs8.as_ref())
    }

    /// `claims` as a compact JWS signed RS256 with this key, the header naming `kid`.
    pub(crate) fn sign(&self, kid: &str, claims: &Value) -> Result<String, String> {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": kid});
        let input = format!("{}.{}", part(&header), part(claims));
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "RS256 signing failed".to_owned())?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    /// `claims` signed with this key under its own `kid` (Sec §5.2.2, §6.3).
    pub(crate) fn sign_jwt(&self, claims: &Value) -> Result<String, String> {
        self.sign(&self.kid, claims)
    }
}

/// A compact JWS (RFC 7515 §7.1), split into its JOSE header, claims and signature; nothing
/// in it is trusted yet.
#[derive(Debug, Clone)]
pub(crate) struct Jws<'a> {
    /// The JOSE header (a JSON object).
    pub header: Map<String, Value>,
    /// The claims (a JSON object).
    pub claims: Map<String, Value>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`, the bytes the signature covers.
    pub signing_input: &'a str,
    /// The signature, still base64url-encoded (empty for `alg: none`).
    pub signature: &'a str,
}

impl<'a> Jws<'a> {
    /// Parse `token`; `None` for any shape other than three base64url parts, the first two
    /// holding JSON objects.
    pub(crate) fn parse(token: &'a str) -> Option<Self> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (header, payload) = signing_input.split_once('.')?;
        if payload.contains('.') {
            return None;
        }
        Some(Self {
            header: json_object(header)?,
            claims: json_object(payload)?,
            signing_input,
            signature,
        })
    }

    /// A string member of the JOSE header.
    pub(crate) fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// A string claim.
    pub(crate) fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

/// One base64url part of a compact JWS, decoded as a JSON object.
fn json_object(part: &str) -> Option<Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// One base64url JSON part of a compact JWS.
pub(crate) fn part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// The RS256 signing JWK of an RSA public key; `kid` is its RFC 7638 thumbprint.
fn public_jwk(n: &[u8], e: &[u8]) -> Value {
    let n = URL_SAFE_NO_PAD.encode(n);
    let e = URL_SAFE_NO_PAD.encode(e);
    // RFC 7638 §3.2: the required members, lexicographic order, no whitespace.
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    let kid = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, canonical.as_bytes()));
    // Sec §6.2: "When using RSA keys, they MUST include the n (modulus) and e (exponent)";
    // Sec §6.3: "Even when there is only one key in a key-set a kid MUST be supplied."
    json!({"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": n, "e": e})
}

/// The private members of a PKCS#8 `RSAPrivateKey` (RFC 5208 §5, RFC 8017 §A.1.2), base64url
/// without leading zeros, as RFC 7518 §6.3.2 spells them.
fn private_members(pkcs8: &[u8]) -> Option<Map<String, Value>> {
    // PrivateKeyInfo ::= SEQUENCE { version, algorithm, privateKey OCTET STRING }
    let (info, _) = der(pkcs8, 0x30)?;
    let (_, rest) = der(info, 0x02)?;
    let (_, rest) = der(rest, 0x30)?;
    let (rsa, _) = der(rest, 0x04)?;
    // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qi }
    let (mut key, _) = der(rsa, 0x30)?;
    for _ in 0..3 {
        key = der(key, 0x02)?.1;
    }
    let mut members = Map::new();
    for name in PRIVATE_MEMBERS {
        let (int, rest) = der(key, 0x02)?;
        key = rest;
        let start = int.iter().position(|b| *b != 0).unwrap_or(int.len());
        members.insert(
            name.into(),
            Value::from(URL_SAFE_NO_PAD.encode(&int[start..])),
        );
    }
    Some(members)
}

/// One DER element tagged `tag` at the start of `input`: its contents and what follows.
fn der(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, after) = rest.split_at(count);
        rest = after;
        bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b))
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// A peer's key set URL and the HTTP client that downloads it.
pub(crate) struct KeySetUrl {
    url: String,
    client: reqwest::Client,
}

impl std::fmt::Debug for KeySetUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySetUrl")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl KeySetUrl {
    /// The key set at `url`, trusting `ca_pem` besides the default roots; `purpose` names it in
    /// a client error.
    pub(crate) fn new(url: &str, ca_pem: Option<&str>, purpose: &str) -> Result<Self, String> {
        Ok(Self {
            url: url.to_owned(),
            client: crate::serve::client(FETCH_TIMEOUT, ca_pem, purpose)?,
        })
    }

    /// The URL.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Download the key set (200 only, at most [`MAX_JWKS_BYTES`]) and keep its RS256 signing
    /// keys; the error says what went wrong, without the URL.
    pub(crate) async fn fetch(&self) -> Result<KeySet, String> {
        let mut response = self
            .client
            .get(&self.url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(format!("status {}", response.status()));
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

/// The RSA signing keys of a JWK Set, by `kid`; keys of other types or uses are skipped.
fn parse_key_set(body: &[u8]) -> Result<KeySet, String> {
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

    #[test]
    fn a_signed_token_verifies_with_the_published_jwk() {
        let key = RsaKey::generate().unwrap();
        let token = key.sign_jwt(&json!({"iss": "p"})).unwrap();
        let jwk: Jwk = serde_json::from_value(key.jwk.clone()).unwrap();
        let decoding = jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        assert!(
            jsonwebtoken::crypto::verify(
                sig,
                input.as_bytes(),
                &decoding,
                jsonwebtoken::Algorithm::RS256
            )
            .unwrap()
        );
        let mut members: Vec<_> = key.jwk.as_object().unwrap().keys().cloned().collect();
        members.sort_unstable();
        assert_eq!(members, ["alg", "e", "kid", "kty", "n", "use"]);
        assert_eq!(key.jwk["e"], "AQAB");
        assert_eq!(key.jwk["kid"], key.kid.as_str());
    }

    #[test]
    fn private_members_rebuild_the_key_pair() {
        let key = RsaKey::generate().unwrap();
        let private = key.private_members().unwrap();
        assert_eq!(private.len(), 6);
        let member = |name: &str| {
            let value = private.get(name).or_else(|| key.jwk.get(name)).unwrap();
            URL_SAFE_NO_PAD.decode(value.as_str().unwrap()).unwrap()
        };
        let components = aws_lc_rs::rsa::KeyPairComponents {
            public_key: aws_lc_rs::rsa::PublicKeyComponents {
                n: member("n"),
                e: member("e"),
            },
            d: member("d"),
            p: member("p"),
            q: member("q"),
            dP: member("dp"),
            dQ: member("dq"),
            qInv: member("qi"),
        };
        assert!(KeyPair::from_components(&components).is_ok());
    }

    #[test]
    fn truncated_der_is_refused() {
        assert!(der(&[0x30, 0x82, 0x01], 0x30).is_none());
        assert!(der(&[0x02, 0x01, 0x05], 0x30).is_none());
        assert_eq!(
            der(&[0x02, 0x01, 0x05, 0xff], 0x02),
            Some((&[5u8][..], &[0xffu8][..]))
        );
        assert!(private_members(&[0x30, 0x00]).is_none());
    }

    #[test]
    fn a_compact_jws_parses_and_other_shapes_do_not() {
        let h = part(&json!({"alg": "RS256", "kid": "k"}));
        let token = format!("{h}.{}.c2ln", part(&json!({"iss": "x"})));
        let jws = Jws::parse(&token).unwrap();
        assert_eq!(jws.header_str("alg"), Some("RS256"));
        assert_eq!(jws.claim_str("iss"), Some("x"));
        assert_eq!(jws.signature, "c2ln");
        assert_eq!(jws.signing_input.matches('.').count(), 1);
        for token in [
            String::new(),
            "a.b".into(),
            format!("{h}.{h}.s.x"),
            format!("{h}.bm90IGpzb24.s"),
            format!("{h}.{}.s", part(&json!([1, 2]))),
            format!("{h}.!!.s"),
        ] {
            assert!(Jws::parse(&token).is_none(), "{token}");
        }
    }

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
        assert!(parse_key_set(b"{}").is_err());
        assert!(parse_key_set(b"<html>").is_err());
    }
}
