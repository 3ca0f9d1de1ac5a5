//! The tool's own RS256 key, generated at start with aws-lc-rs, and its public JWK.
//!
//! Only the public half is kept: this tool sends no tool-originating messages yet (no Deep
//! Linking response, no client assertion), so the private key has nothing to sign.

use aws_lc_rs::digest;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// The tool's public key, as served in its key set.
#[derive(Debug, Clone)]
pub(crate) struct ToolKey {
    /// The JWK (kty, kid, alg, use, n, e — never a private member).
    pub jwk: Value,
}

impl ToolKey {
    /// Generate a fresh RSA 2048 key pair from the OS random source.
    pub(crate) fn generate() -> Result<Self, String> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| "RSA key generation failed".to_owned())?;
        let public = pair.public_key();
        Ok(Self {
            jwk: public_jwk(
                public.modulus().big_endian_without_leading_zero(),
                public.exponent().big_endian_without_leading_zero(),
            ),
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tool_jwk_is_public_and_usable() {
        let key = ToolKey::generate().unwrap();
        let jwk = key.jwk.as_object().unwrap();
        let mut members: Vec<_> = jwk.keys().map(String::as_str).collect();
        members.sort_unstable();
        assert_eq!(members, ["alg", "e", "kid", "kty", "n", "use"]);
        assert_eq!(jwk["e"], "AQAB");
        let parsed: jsonwebtoken::jwk::Jwk = serde_json::from_value(key.jwk.clone()).unwrap();
        assert!(jsonwebtoken::DecodingKey::from_jwk(&parsed).is_ok());
    }
}
