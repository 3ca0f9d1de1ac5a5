//! `GET|POST /lti13/auth`: the OIDC authorization endpoint (Sec §5.1.1.2–§5.1.1.3, OIDC Core
//! §3.1.2). A valid authentication request for a launch the platform started is answered
//! with an auto-submitting form posting `id_token` and `state` to the registered redirect
//! URI (OAuth 2.0 Form Post Response Mode); anything else is refused with an error page that
//! carries no `id_token`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::claims::id_token_claims;
use super::store::LaunchKind;
use super::{Lti13PlatformFault as F, PlatformState};
use crate::form::get_or_post_params;
use crate::markup::html_escape;

/// The longest parameter value considered.
const MAX_PARAM: usize = 4096;

/// A refused authentication request: the OAuth error code and a description.
struct Refusal {
    error: &'static str,
    description: String,
}

fn refuse(error: &'static str, description: impl Into<String>) -> Refusal {
    Refusal {
        error,
        description: description.into(),
    }
}

/// Answer an authentication request.
pub(crate) async fn authorize(
    State(platform): State<Arc<PlatformState>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    // OIDC Core §3.1.2.1: the authorization endpoint supports GET and POST.
    let params = match get_or_post_params(&method, &uri, &body) {
        Ok(p) => p,
        Err(name) => {
            return error_page(
                &refuse("invalid_request", format!("{name} is given more than once")),
                None,
            );
        }
    };
    if params.values().any(|v| v.len() > MAX_PARAM) {
        return error_page(&refuse("invalid_request", "a parameter is too long"), None);
    }
    match answer(&platform, &params) {
        Ok(page) => page,
        Err((refusal, leaked)) => error_page(&refusal, leaked.as_deref()),
    }
}

/// The form post for a valid request, or the refusal (with the token the
/// `id-token-leaked-on-error` fault puts on the error page).
fn answer(
    platform: &PlatformState,
    params: &HashMap<String, String>,
) -> Result<Response, (Refusal, Option<String>)> {
    let param = |name: &str| params.get(name).map(String::as_str);
    let registration = &platform.registration;
    let launch = param("lti_message_hint").and_then(|hint| platform.store().launch(hint));
    // What the `id-token-leaked-on-error` fault shows on the error page of a refused client
    // or redirect_uri: the token this request would have had.
    let leak = || {
        platform.has(F::IdTokenLeakedOnError).then(|| {
            let kind = launch.as_ref().map_or(LaunchKind::Instructor, |l| l.kind);
            sign(platform, kind, param("nonce")).unwrap_or_default()
        })
    };

    // Sec §5.1.1.3: "Once the platform has validated the redirect_uri as a valid end point for
    // the client_id" — both are checked before anything is sent to the redirect_uri, and a
    // refusal of either is an error page, never a redirect (OIDC Core §3.1.2.6 sends errors to
    // the redirect_uri only once it is known to be valid).
    let client_ok = param("client_id") == Some(registration.client_id.as_str())
        || platform.has(F::ClientIdNotChecked);
    if !client_ok {
        return Err((
            refuse(
                "unauthorized_client",
                "client_id is not a client registered with this platform",
            ),
            leak(),
        ));
    }
    let redirect_uri = param("redirect_uri").unwrap_or_default();
    // Exact string comparison (OIDC Core §3.1.2.1: "This URI MUST exactly match one of the
    // Redirection URI values for the Client pre-registered at the OpenID Provider").
    let redirect_ok = registration.redirect_uris.iter().any(|r| r == redirect_uri)
        || (platform.has(F::RedirectUriNotChecked) && !redirect_uri.is_empty());
    if !redirect_ok {
        return Err((
            refuse(
                "invalid_request",
                "redirect_uri is not registered for this client",
            ),
            leak(),
        ));
    }
    let plain = |r: Refusal| (r, None);

    // Sec §5.1.1.2: "response_type: id_token REQUIRED".
    if param("response_type") != Some("id_token") && !platform.has(F::ResponseTypeNotChecked) {
        return Err(plain(refuse(
            "unsupported_response_type",
            "response_type must be id_token",
        )));
    }
    // Sec §5.1.1.2: "scope: openid REQUIRED".
    let openid = param("scope").is_some_and(|s| s.split(' ').any(|v| v == "openid"));
    if !openid && !platform.has(F::ScopeOpenidNotChecked) {
        return Err(plain(refuse("invalid_scope", "scope must contain openid")));
    }
    // Sec §5.1.1.2: "response_mode: form_post REQUIRED".
    if param("response_mode") != Some("form_post") && !platform.has(F::ResponseModeNotChecked) {
        return Err(plain(refuse(
            "invalid_request",
            "response_mode must be form_post",
        )));
    }
    // Sec §5.1.1.2: "nonce REQUIRED".
    let nonce = param("nonce").filter(|n| !n.is_empty());
    if nonce.is_none() && !platform.has(F::NonceNotRequired) {
        return Err(plain(refuse("invalid_request", "nonce is required")));
    }
    // Sec §5.1.1.2: "prompt: none REQUIRED ... If the user has no session, a platform must
    // just fail the flow rather than ask the user to log in" — this platform never asks.
    if param("prompt").is_some_and(|p| p != "none") {
        return Err(plain(refuse(
            "interaction_required",
            "prompt must be none: this platform never asks the user to log in",
        )));
    }
    // Sec §5.1.1.3: "the current logged in user matches the login_hint" — the user is the one
    // of the launch this platform started under that lti_message_hint (Core §4.1.1).
    let Some(launch) = launch else {
        return Err(plain(refuse(
            "invalid_request",
            "lti_message_hint does not name a launch this platform started (or it expired)",
        )));
    };
    if param("login_hint") != Some(launch.kind.user().id) {
        return Err(plain(refuse(
            "login_required",
            "login_hint is not the user of this launch",
        )));
    }

    let token = sign(platform, launch.kind, nonce).map_err(|e| plain(refuse("server_error", e)))?;
    // Sec §5.1.1.3: "state REQUIRED" in the response (when the request had one).
    let state = param("state").filter(|_| !platform.has(F::StateNotEchoed));
    Ok(form_post(redirect_uri, &token, state))
}

/// The signed `id_token` for `kind`.
fn sign(platform: &PlatformState, kind: LaunchKind, nonce: Option<&str>) -> Result<String, String> {
    let data = if kind == LaunchKind::DeepLinking {
        let data = crate::serve::random_hex(16);
        platform
            .store()
            .start_deep_link(data.clone(), kind.context().id);
        data
    } else {
        String::new()
    };
    let claims = id_token_claims(platform, kind, nonce, &data);
    let kid_unknown = if kind == LaunchKind::DeepLinking {
        platform.has(F::DlTokenKidNotInJwks)
    } else {
        platform.has(F::IdTokenKidNotInJwks)
    };
    let kid = if kid_unknown {
        format!("{}-retired", platform.key.kid)
    } else {
        platform.key.kid.clone()
    };
    let token = platform.key.sign(&kid, &claims)?;
    if kind != LaunchKind::DeepLinking && platform.has(F::IdTokenSignatureInvalid) {
        return Ok(corrupt_signature(&token));
    }
    Ok(token)
}

/// `token` with the first character of its signature changed.
fn corrupt_signature(token: &str) -> String {
    let Some((input, signature)) = token.rsplit_once('.') else {
        return token.to_owned();
    };
    let mut chars: Vec<char> = signature.chars().collect();
    if let Some(first) = chars.first_mut() {
        *first = if *first == 'A' { 'B' } else { 'A' };
    }
    format!("{input}.{}", chars.into_iter().collect::<String>())
}

/// The OAuth 2.0 Form Post Response Mode page: an auto-submitting form posting `id_token` and
/// `state` to `redirect_uri`.
fn form_post(redirect_uri: &str, id_token: &str, state: Option<&str>) -> Response {
    let state = state.map_or(String::new(), |s| {
        format!(
            "<input type=\"hidden\" name=\"state\" value=\"{}\">\n",
            html_escape(s)
        )
    });
    let page = format!(
        "<!doctype html>\n<html><head><title>Launching…</title></head>\n\
         <body onload=\"document.forms[0].submit()\">\n\
         <form method=\"post\" action=\"{}\">\n\
         <input type=\"hidden\" name=\"id_token\" value=\"{}\">\n{state}\
         <noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n</body></html>\n",
        html_escape(redirect_uri),
        html_escape(id_token),
    );
    page_response(StatusCode::OK, page)
}

/// The error page of a refused request (OIDC Core §3.1.2.6 error codes), with no token — or,
/// under the `id-token-leaked-on-error` fault, with `leaked`.
fn error_page(refusal: &Refusal, leaked: Option<&str>) -> Response {
    let leaked = leaked.map_or(String::new(), |t| {
        format!(
            "<p>Debug: <code id=\"id_token\">{}</code></p>\n",
            html_escape(t)
        )
    });
    let page = format!(
        "<!doctype html>\n<html><head><title>Launch refused</title></head>\n<body>\n\
         <h1>Launch refused</h1>\n<p>error: <code>{}</code></p>\n<p>{}</p>\n{leaked}</body></html>\n",
        refusal.error,
        html_escape(&refusal.description),
    );
    page_response(StatusCode::BAD_REQUEST, page)
}

fn page_response(status: StatusCode, page: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupted_signature_differs() {
        assert_eq!(corrupt_signature("a.b.Axyz"), "a.b.Bxyz");
        assert_eq!(corrupt_signature("a.b.xyz"), "a.b.Ayz");
    }
}
