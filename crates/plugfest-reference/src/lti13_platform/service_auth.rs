//! The access control every service request goes through: the bearer token of the token
//! endpoint (Sec §4.1, RFC 6750 §2.1) with one of the scopes the operation allows (AGS §3.2,
//! §3.3.2, §3.4.2; NRPS §3.6.1.2), and the context of the request.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::PlatformState;
use super::http_util::bearer;
use super::roster::{self, Context};

/// A refused service request: its status, a plain-text message, and the
/// `WWW-Authenticate` challenge of a token problem (RFC 6750 §3).
#[derive(Debug)]
pub(crate) struct Problem {
    status: StatusCode,
    message: String,
    challenge: Option<String>,
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{}\n", self.message),
        )
            .into_response();
        if let Some(challenge) = self.challenge.and_then(|c| c.parse().ok()) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// The context named in the path, or 404.
pub(crate) fn context(id: &str) -> Result<&'static Context, Problem> {
    roster::context(id).ok_or_else(|| problem(StatusCode::NOT_FOUND, "no such context"))
}

/// The context named in the path (404 when there is none), once the request's bearer token
/// grants one of `allowed` scopes ([`require_scope`]).
pub(crate) fn scoped_context(
    platform: &PlatformState,
    headers: &HeaderMap,
    context_id: &str,
    allowed: &[&str],
) -> Result<&'static Context, Problem> {
    let context = context(context_id)?;
    require_scope(platform, headers, allowed)?;
    Ok(context)
}

/// Check the request's bearer token grants one of `allowed` scopes: 401 without a valid
/// token (RFC 6750 §3.1 `invalid_token`), 403 without the scope (`insufficient_scope`).
pub(crate) fn require_scope(
    platform: &PlatformState,
    headers: &HeaderMap,
    allowed: &[&str],
) -> Result<(), Problem> {
    let scopes = bearer(headers).and_then(|t| platform.store().token_scopes(t));
    let Some(scopes) = scopes else {
        return Err(Problem {
            status: StatusCode::UNAUTHORIZED,
            message: "a valid bearer token from the token endpoint is required".into(),
            challenge: Some("Bearer error=\"invalid_token\"".into()),
        });
    };
    if scopes.iter().any(|s| allowed.contains(&s.as_str())) {
        return Ok(());
    }
    Err(Problem {
        status: StatusCode::FORBIDDEN,
        message: format!(
            "this operation needs one of the scopes: {}",
            allowed.join(" ")
        ),
        challenge: Some(format!(
            "Bearer error=\"insufficient_scope\", scope=\"{}\"",
            allowed.join(" ")
        )),
    })
}

/// A plain-text error answer.
pub(crate) fn problem(status: StatusCode, message: &str) -> Problem {
    Problem {
        status,
        message: message.to_owned(),
        challenge: None,
    }
}
