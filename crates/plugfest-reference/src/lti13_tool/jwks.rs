//! `GET /.well-known/jwks.json`: the tool's public key set (Sec §6.3), and `GET /resource`,
//! the target link URI the launches display.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::ToolState;

/// The tool's key set: public members only.
pub(crate) async fn jwks(State(tool): State<Arc<ToolState>>) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        json!({"keys": [tool.tool_key.jwk]}).to_string(),
    )
        .into_response()
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
