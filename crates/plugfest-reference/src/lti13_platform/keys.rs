//! The platform's RS256 signing key: generated at start from the OS random source, published
//! as a JWK in the key set (Sec §6.2, §6.3), and used to sign `id_token`s as compact JWS
//! (RFC 7515 §7.1).

use aws_lc_rs::digest;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

/// The private members of an RSA JWK (RFC 7518 §6.3.2), in `RSAPrivateKey` order.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// The platform's key pair and its public JWK.
pub(crate) struct PlatformKey {
    pair: KeyPair,
    /// The public JWK (kty, kid, alg, use, n, e).
    pub jwk: Value,
    /// The `kid` of [`Self::jwk`].
    pub kid: String,
}

impl std::fmt::Debug for PlatformKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl PlatformKey {
    /// A fresh RSA 2048 key pair.
    pub(crate) fn generate() -> Result<Self, String> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| "RSA key generation failed".to_owned())?;
        let public = pair.public_key();
        let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        // RFC 7638 §3.2: the thumbprint of the required members, in lexicographic order.
        let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, canonical.as_bytes()));
        // Sec §6.2: RSA keys "MUST include the n (modulus) and e (exponent)"; Sec §6.3: "Even
        // when there is only one key in a key-set a kid MUST be supplied."
        let jwk = json!({"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": n, "e": e});
        Ok(Self { pair, jwk, kid })
    }

    /// The private members of this key as JWK members — published only by the
    /// `jwks-private-member` fault.
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
}

/// One base64url JSON part of a compact JWS.
fn part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// The private members of a PKCS#8 `RSAPrivateKey` (RFC 5208 §5, RFC 8017 §A.1.2).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_verifies_with_the_published_jwk() {
        let key = PlatformKey::generate().unwrap();
        let token = key.sign(&key.kid, &json!({"iss": "p"})).unwrap();
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(key.jwk.clone()).unwrap();
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
        let members: Vec<_> = key.jwk.as_object().unwrap().keys().cloned().collect();
        assert!(
            !members
                .iter()
                .any(|m| PRIVATE_MEMBERS.contains(&m.as_str()))
        );
        let private = key.private_members().unwrap();
        assert_eq!(private.len(), 6);
    }

    #[test]
    fn truncated_der_is_refused() {
        assert!(der(&[0x30, 0x82, 0x01], 0x30).is_none());
        assert!(der(&[0x02, 0x01, 0x05], 0x30).is_none());
        assert!(private_members(&[0x30, 0x00]).is_none());
    }
}
