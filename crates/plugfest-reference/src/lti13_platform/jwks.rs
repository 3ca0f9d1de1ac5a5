//! `GET /lti13/jwks`: the platform's public key set (Sec §6.3).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Lti13PlatformFault, PlatformState};

/// The key set: the public signing key with its `kid`, nothing private.
pub(crate) async fn jwks(State(platform): State<Arc<PlatformState>>) -> Response {
    let mut jwk = platform.key.jwk.clone();
    if let Some(members) = jwk.as_object_mut() {
        // Sec §6.3: "Even when there is only one key in a key-set a kid MUST be supplied."
        if platform.has(Lti13PlatformFault::JwksKeyWithoutKid) {
            members.remove("kid");
        }
        // Sec §6: "the integrity of the private key MUST be maintained" — a key set carries
        // public keys only.
        if platform.has(Lti13PlatformFault::JwksPrivateMember)
            && let Some(private) = platform.key.private_members()
        {
            members.extend(private);
        }
    }
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        if platform.has(Lti13PlatformFault::JwksNotAKeySet) {
            jwk.to_string()
        } else {
            json!({"keys": [jwk]}).to_string()
        },
    )
        .into_response()
}
