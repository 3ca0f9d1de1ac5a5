//! Splitting a compact JWS (RFC 7515 §7.1) into its JOSE header, claims and signature.
//! Nothing here is trusted yet: `signature.rs` decides whether the claims may be believed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::refusal::LaunchRefusal;

/// A compact JWS, parsed but not verified.
#[derive(Debug, Clone)]
pub(crate) struct UnverifiedJws<'a> {
    /// The JOSE header (a JSON object).
    pub header: Map<String, Value>,
    /// The claims (a JSON object).
    pub claims: Map<String, Value>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`, the bytes the signature covers.
    pub signing_input: &'a str,
    /// The signature, still base64url-encoded (empty for `alg: none`).
    pub signature: &'a str,
}

impl<'a> UnverifiedJws<'a> {
    /// Parse `token`; any shape other than three base64url parts holding JSON objects is
    /// [`LaunchRefusal::TokenMalformed`].
    pub(crate) fn parse(token: &'a str) -> Result<Self, LaunchRefusal> {
        let malformed = LaunchRefusal::TokenMalformed;
        let (signing_input, signature) = token.rsplit_once('.').ok_or(malformed)?;
        let (header, payload) = signing_input.split_once('.').ok_or(malformed)?;
        if payload.contains('.') {
            return Err(malformed);
        }
        Ok(Self {
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
}

fn json_object(part: &str) -> Result<Map<String, Value>, LaunchRefusal> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| LaunchRefusal::TokenMalformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(LaunchRefusal::TokenMalformed),
    }
}

#[cfg(test)]
pub(crate) fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_compact_jws_parses() {
        let token = format!(
            "{}.{}.c2ln",
            encode_part(&json!({"alg": "RS256", "kid": "k"})),
            encode_part(&json!({"iss": "x"}))
        );
        let jws = UnverifiedJws::parse(&token).unwrap();
        assert_eq!(jws.header_str("alg"), Some("RS256"));
        assert_eq!(jws.claims["iss"], "x");
        assert_eq!(jws.signature, "c2ln");
        assert_eq!(jws.signing_input.matches('.').count(), 1);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let h = encode_part(&json!({"alg": "RS256"}));
        for token in [
            String::new(),
            "a.b".into(),
            format!("{h}.{h}.s.x"),
            format!("{h}.bm90IGpzb24.s"),
            format!("{h}.{}.s", encode_part(&json!([1, 2]))),
            format!("{h}.!!.s"),
        ] {
            assert_eq!(
                UnverifiedJws::parse(&token).unwrap_err(),
                LaunchRefusal::TokenMalformed,
                "{token}"
            );
        }
    }
}
