//! Verifying a JWT the tool signed — a deep linking response (Sec §5.2.3 step 1) or a client
//! assertion (Sec §4.1.1) — with the tool's published key set (Sec §6.3), the way a platform
//! does: RS256, the key named by `kid`, the signature over `header.payload`.

use crate::jws;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Verify `token` with the RSA key of `keys` whose `kid` its header names; the decoded header
/// and claims when the signature holds, else why not (one line, for a finding's `observed`).
pub fn verify(token: &str, keys: &[Value]) -> Result<(Value, Value), String> {
    let (header, claims) =
        jws::decode_unverified(token).ok_or("not a compact JWS with a JSON header and payload")?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    // Sec §5.4 / §6.1: RS256 (the registered default); never `none` or an HMAC algorithm.
    if alg != "RS256" {
        return Err(format!("alg is `{alg}`, not RS256"));
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or("the JOSE header has no kid (Sec §6.3)")?;
    let key = keys
        .iter()
        .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
        .ok_or_else(|| format!("kid `{kid}` is not in the tool's key set"))?;
    let part = |name: &str| {
        key.get(name)
            .and_then(Value::as_str)
            .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
            .ok_or_else(|| format!("the key `{kid}` has no usable `{name}`"))
    };
    let (n, e) = (part("n")?, part("e")?);
    let (input, sig) = token.rsplit_once('.').ok_or("no signature part")?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| "the signature is not base64url")?;
    aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            input.as_bytes(),
            &sig,
        )
        .map_err(|_| format!("the RS256 signature does not verify with key `{kid}`"))?;
    Ok((header, claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::SigningKey;
    use serde_json::json;

    #[test]
    fn a_token_verifies_only_with_its_own_key() {
        let key = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let token = jws::sign(json!({}), &json!({"iss": "t"}), &key).unwrap();
        let (_, claims) = verify(&token, &[key.public_jwk()]).unwrap();
        assert_eq!(claims["iss"], "t");
        assert!(
            verify(&token, &[other.public_jwk()])
                .unwrap_err()
                .contains("not in")
        );
        let mut wrong = other.public_jwk();
        wrong["kid"] = json!(key.kid());
        assert!(
            verify(&token, &[wrong])
                .unwrap_err()
                .contains("does not verify")
        );
        assert!(
            verify(&jws::unsigned(&json!({})), &[key.public_jwk()])
                .unwrap_err()
                .contains("none")
        );
        let tampered = jws::with_payload(&token, &json!({"iss": "x"}));
        assert!(verify(&tampered, &[key.public_jwk()]).is_err());
    }
}
