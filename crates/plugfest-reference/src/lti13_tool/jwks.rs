//! `GET /.well-known/jwks.json`: the tool's public key set (Sec §6.3), and `GET /resource`,
//! the target link URI the launches display.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::ToolState;
use super::fault::{FaultSet, Lti13ToolFault};
use crate::jose::RsaKey;

/// Faults that bend the tool's key set; each is read once, in [`jwks`] or [`served_jwk`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JwksFaults {
    /// `lti13-tool/jwks-unreachable`
    pub unreachable: bool,
    /// `lti13-tool/jwks-key-without-kid`
    pub key_without_kid: bool,
    /// `lti13-tool/jwks-leaks-private-key`
    pub leaks_private_key: bool,
}

impl JwksFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            unreachable: set.has(Lti13ToolFault::JwksUnreachable),
            key_without_kid: set.has(Lti13ToolFault::JwksKeyWithoutKid),
            leaks_private_key: set.has(Lti13ToolFault::JwksLeaksPrivateKey),
        }
    }
}

/// The tool's key set: public members only.
pub(crate) async fn jwks(State(tool): State<Arc<ToolState>>) -> Response {
    // Sec §6.3: "When systems use Key Sets, they MUST provide a URL to the key set".
    if tool.jwks_faults.unreachable {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        json!({"keys": [served_jwk(&tool.tool_key, tool.jwks_faults)]}).to_string(),
    )
        .into_response()
}

/// The JWK as served: the public key, bent by the key set faults.
pub(crate) fn served_jwk(key: &RsaKey, faults: JwksFaults) -> Value {
    let mut jwk = key.jwk.clone();
    let Some(members) = jwk.as_object_mut() else {
        return jwk;
    };
    // Sec §6.3: "The supplier of the key set URL MUST use the kid parameter to identify the
    // keys. Even when there is only one key in a key-set a kid MUST be supplied."
    if faults.key_without_kid {
        members.remove("kid");
    }
    // Sec §6 (Key Management): "the integrity of the private key MUST be maintained" — a key
    // set holds "public keys" only.
    if faults.leaks_private_key
        && let Some(private) = key.private_members()
    {
        members.extend(private);
    }
    jwk
}

/// The resource a launch leads to.
pub(crate) async fn resource() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html>\n<title>Resource</title>\n<h1>Reference resource</h1>\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> RsaKey {
        let mut key = RsaKey::generate().unwrap();
        key.jwk =
            json!({"kty": "RSA", "kid": "k", "alg": "RS256", "use": "sig", "n": "n", "e": "AQAB"});
        key
    }

    #[test]
    fn the_served_key_is_public_with_a_kid() {
        let jwk = served_jwk(&key(), JwksFaults::default());
        assert_eq!(jwk["kid"], "k");
        assert!(jwk.get("d").is_none());
    }

    #[test]
    fn the_key_set_faults_drop_the_kid_and_leak_the_private_members() {
        let faults = JwksFaults {
            key_without_kid: true,
            ..Default::default()
        };
        assert!(served_jwk(&key(), faults).get("kid").is_none());
        let faults = JwksFaults {
            leaks_private_key: true,
            ..Default::default()
        };
        let key = key();
        let private = key.private_members().unwrap();
        assert_eq!(served_jwk(&key, faults)["d"], private["d"]);
    }
}
