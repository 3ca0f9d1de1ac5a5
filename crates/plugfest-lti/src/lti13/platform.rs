//! The platform endpoints Plugfest serves while testing a tool: its JWKS (Sec §6.3), and an
//! authentication endpoint that only explains itself (Plugfest reads the tool's redirect rather
//! than following it).

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use std::sync::{Arc, RwLock};

/// The published platform key set; a rotation replaces it while the server runs (Sec §6.4).
pub type SharedJwks = Arc<RwLock<serde_json::Value>>;

/// Path of the platform JWKS on the callback server.
pub const JWKS_PATH: &str = "/lti13/platform/jwks";
/// Path of the platform authentication endpoint on the callback server.
pub const AUTH_PATH: &str = "/lti13/platform/auth";

/// Routes of the platform side; `jwks` is the published key set.
pub fn router(jwks: SharedJwks) -> Router {
    Router::new()
        .route(
            JWKS_PATH,
            get(move || {
                let body = jwks.read().map(|v| v.to_string()).unwrap_or_default();
                async move {
                    (
                        [
                            (header::CONTENT_TYPE, "application/json"),
                            (header::CACHE_CONTROL, "max-age=300"),
                        ],
                        body,
                    )
                }
            }),
        )
        .route(AUTH_PATH, get(auth).post(auth))
}

async fn auth() -> impl IntoResponse {
    (
        StatusCode::BAD_REQUEST,
        "Plugfest reads the authentication request from the tool's redirect and answers with a form post itself; this endpoint is not used in a browser.",
    )
}
