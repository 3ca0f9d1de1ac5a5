//! The tool's own RS256 key, generated at start with aws-lc-rs, and its public JWK.
//!
//! The key signs the tool-originating messages (Sec §5.2): deep linking responses and the
//! client assertions of token requests. Its private members are published only under the
//! `jwks-leaks-private-key` fault.

use aws_lc_rs::digest;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

/// The private JWK members of an RSA key (RFC 7518 §6.3.2), in `RSAPrivateKey` order after
/// `n` and `e`.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// The tool's key, as served in its key set, and the pair that signs with it.
#[derive(Clone)]
pub(crate) struct ToolKey {
    /// The key pair (private).
    pair: std::sync::Arc<KeyPair>,
    /// The public JWK (kty, kid, alg, use, n, e — never a private member).
    pub jwk: Value,
    /// The private JWK members (d, p, q, dp, dq, qi), kept only when asked for at generation.
    pub private_members: Option<Map<String, Value>>,
}

impl ToolKey {
    /// Generate a fresh RSA 2048 key pair from the OS random source; keep its private members
    /// only when `keep_private` (the `jwks-leaks-private-key` fault).
    pub(crate) fn generate(keep_private: bool) -> Result<Self, String> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| "RSA key generation failed".to_owned())?;
        let public = pair.public_key();
        let private_members = if keep_private {
            let pkcs8 = pair
                .as_der()
                .map_err(|_| "RSA key serialisation failed".to_owned())?;
            Some(private_members(pkcs8.as_ref()).ok_or("RSA key DER unreadable")?)
        } else {
            None
        };
        let jwk = public_jwk(
            public.modulus().big_endian_without_leading_zero(),
            public.exponent().big_endian_without_leading_zero(),
        );
        Ok(Self {
            pair: std::sync::Arc::new(pair),
            jwk,
            private_members,
        })
    }

    /// The key's `kid`.
    pub(crate) fn kid(&self) -> &str {
        self.jwk["kid"].as_str().unwrap_or_default()
    }

    /// A compact JWS of `claims`, RS256 with this key and its `kid` in the header (Sec §5.2.2,
    /// §6.3).
    pub(crate) fn sign_jwt(&self, claims: &Value) -> Result<String, String> {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": self.kid()});
        let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap_or_default());
        let input = format!("{}.{}", b64(&header), b64(claims));
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                &rng,
                input.as_bytes(),
                &mut sig,
            )
            .map_err(|_| "RSA signing failed".to_owned())?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }
}

impl std::fmt::Debug for ToolKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolKey")
            .field("jwk", &self.jwk)
            .finish_non_exhaustive()
    }
}

/// The RS256 signing JWK of an RSA public key; `kid` is its RFC 7638 thumbprint.
pub(crate) fn public_jwk(n: &[u8], e: &[u8]) -> Value {
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
    // PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm SEQUENCE, privateKey OCTET STRING }
    let mut info = Der(der_read(pkcs8, 0x30)?.0);
    info.next(0x02)?;
    info.next(0x30)?;
    let rsa = info.next(0x04)?;
    // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qi }
    let mut key = Der(der_read(rsa, 0x30)?.0);
    for _ in 0..3 {
        key.next(0x02)?;
    }
    let mut members = Map::new();
    for name in PRIVATE_MEMBERS {
        let int = key.next(0x02)?;
        let start = int.iter().position(|b| *b != 0).unwrap_or(int.len());
        members.insert(
            name.into(),
            Value::from(URL_SAFE_NO_PAD.encode(&int[start..])),
        );
    }
    Some(members)
}

/// The rest of a DER `SEQUENCE`'s contents, read one element at a time.
struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    /// The contents of the next element, which must carry `tag`.
    fn next(&mut self, tag: u8) -> Option<&'a [u8]> {
        let (contents, rest) = der_read(self.0, tag)?;
        self.0 = rest;
        Some(contents)
    }
}

/// One DER element with `tag` at the start of `input`: its contents and what follows it.
fn der_read(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
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
    fn the_tool_jwk_is_public_and_usable() {
        let key = ToolKey::generate(false).unwrap();
        assert!(key.private_members.is_none());
        let jwk = key.jwk.as_object().unwrap();
        let mut members: Vec<_> = jwk.keys().map(String::as_str).collect();
        members.sort_unstable();
        assert_eq!(members, ["alg", "e", "kid", "kty", "n", "use"]);
        assert_eq!(jwk["e"], "AQAB");
        let parsed: jsonwebtoken::jwk::Jwk = serde_json::from_value(key.jwk.clone()).unwrap();
        assert!(jsonwebtoken::DecodingKey::from_jwk(&parsed).is_ok());
    }

    #[test]
    fn kept_private_members_rebuild_the_key_pair() {
        let key = ToolKey::generate(true).unwrap();
        let private = key.private_members.unwrap();
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
        assert!(der_read(&[0x30, 0x82, 0x01], 0x30).is_none());
        assert!(der_read(&[0x02, 0x01, 0x05], 0x30).is_none());
        assert_eq!(
            der_read(&[0x02, 0x01, 0x05, 0xff], 0x02),
            Some((&[5u8][..], &[0xffu8][..]))
        );
        assert!(private_members(&[0x30, 0x00]).is_none());
    }
}
