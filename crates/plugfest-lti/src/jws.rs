//! Compact JWS, built by hand so Plugfest can also build the broken tokens a tool must refuse
//! (alg `none`, a tampered payload, an unknown key).

use crate::keys::{KeyError, SigningKey};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// `header.payload.signature`, RS256-signed with `key`; `header` gets `alg` and `kid` unless set.
pub fn sign(mut header: Value, claims: &Value, key: &SigningKey) -> Result<String, KeyError> {
    if let Some(h) = header.as_object_mut() {
        h.entry("alg").or_insert_with(|| "RS256".into());
        h.entry("typ").or_insert_with(|| "JWT".into());
        h.entry("kid").or_insert_with(|| key.kid().into());
    }
    let input = signing_input(&header, claims);
    let sig = key.sign_rs256(input.as_bytes())?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

/// HS256 (HMAC-SHA256) with `secret` as the key, `kid` kept: the key-confusion attack when the
/// secret is the platform's public key.
pub fn sign_hs256(kid: &str, claims: &Value, secret: &[u8]) -> String {
    let header = serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": kid});
    let input = signing_input(&header, claims);
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// An RS256 token without a `kid` in its header.
pub fn sign_without_kid(claims: &Value, key: &SigningKey) -> Result<String, KeyError> {
    let header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
    let input = signing_input(&header, claims);
    let sig = key.sign_rs256(input.as_bytes())?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

/// An unsecured JWS (RFC 7519 §6): `alg: none`, empty signature.
pub fn unsigned(claims: &Value) -> String {
    let header = serde_json::json!({"alg": "none", "typ": "JWT"});
    format!("{}.", signing_input(&header, claims))
}

/// Replace the payload of a signed token, keeping its signature (which then no longer matches).
pub fn with_payload(token: &str, claims: &Value) -> String {
    let mut parts = token.splitn(3, '.');
    let header = parts.next().unwrap_or_default();
    let _ = parts.next();
    let sig = parts.next().unwrap_or_default();
    format!("{header}.{}.{sig}", b64_json(claims))
}

/// Decode header and claims of a compact JWS without verifying it (for evidence only).
pub fn decode_unverified(token: &str) -> Option<(Value, Value)> {
    let mut parts = token.split('.');
    let header = parts.next().and_then(decode_segment)?;
    let claims = parts.next().and_then(decode_segment)?;
    Some((header, claims))
}

fn decode_segment(s: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64_json(header), b64_json(claims))
}

fn b64_json(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn signed_tokens_carry_alg_kid_and_verify() {
        let key = SigningKey::generate().unwrap();
        let t = sign(json!({}), &json!({"sub": "1"}), &key).unwrap();
        let (h, c) = decode_unverified(&t).unwrap();
        assert_eq!(
            (h["alg"].as_str(), h["kid"].as_str()),
            (Some("RS256"), Some(key.kid()))
        );
        assert_eq!(c["sub"], "1");
        let jwk = key.public_jwk();
        let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
        let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap();
        let public = aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e };
        let (input, sig) = t.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        public
            .verify(
                &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                input.as_bytes(),
                &sig,
            )
            .unwrap();
        let tampered = with_payload(&t, &json!({"sub": "2"}));
        let (input, _) = tampered.rsplit_once('.').unwrap();
        assert!(
            public
                .verify(
                    &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                    input.as_bytes(),
                    &sig
                )
                .is_err()
        );
    }

    #[test]
    fn unsigned_tokens_say_none_and_have_no_signature() {
        let t = unsigned(&json!({"a": 1}));
        assert!(t.ends_with('.'));
        assert_eq!(decode_unverified(&t).unwrap().0["alg"], "none");
    }
}
