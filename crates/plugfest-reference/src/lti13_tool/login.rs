//! `GET|POST /login`: the OIDC third-party-initiated login (Sec §5.1.1.1, Core §4.1) and the
//! authentication request it answers with (Sec §5.1.1.2).

use std::sync::Arc;

use aws_lc_rs::error::Unspecified;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use url::Url;

use super::ToolState;
use super::fault::{FaultSet, Lti13ToolFault};
use crate::form::get_or_post_params;

/// The cookie that binds the browser to the state of its login.
pub(crate) const STATE_COOKIE: &str = "lti1p3_state";
/// Bytes of randomness in each state and nonce (256 bits).
const RANDOM_BYTES: usize = 32;
/// Bytes of randomness of a state or nonce under the `short-state` / `short-nonce` faults.
const SHORT_RANDOM_BYTES: usize = 4;
/// The longest `target_link_uri` remembered.
const MAX_TARGET_LINK_URI: usize = 2048;

/// Faults that bend the login; each is read once, in [`login`].
#[derive(Debug, Clone, Default)]
pub(crate) struct LoginFaults {
    /// `lti13-tool/auth-request-scope-missing`
    pub scope_missing: bool,
    /// `lti13-tool/auth-request-response-type-code`
    pub response_type_code: bool,
    /// `lti13-tool/auth-request-response-mode-missing`
    pub response_mode_missing: bool,
    /// `lti13-tool/auth-request-prompt-login`
    pub prompt_login: bool,
    /// `lti13-tool/auth-request-wrong-client-id`
    pub wrong_client_id: bool,
    /// `lti13-tool/redirect-uri-unregistered`
    pub redirect_uri_unregistered: bool,
    /// `lti13-tool/login-hint-dropped`
    pub login_hint_dropped: bool,
    /// `lti13-tool/static-nonce`: the one nonce every login issues.
    pub static_nonce: Option<String>,
    /// `lti13-tool/static-state`: the one state every login issues.
    pub static_state: Option<String>,
    /// `lti13-tool/lti-message-hint-dropped`
    pub lti_message_hint_dropped: bool,
    /// `lti13-tool/redirect-uri-follows-foreign-target-link`
    pub redirect_uri_follows_foreign_target_link: bool,
    /// `lti13-tool/login-rejects-get`
    pub rejects_get: bool,
    /// `lti13-tool/short-nonce`
    pub short_nonce: bool,
    /// `lti13-tool/short-state`
    pub short_state: bool,
}

impl LoginFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Result<Self, String> {
        let fixed = |fault| {
            set.has(fault)
                .then(random_token)
                .transpose()
                .map_err(|_| "the OS random source failed".to_owned())
        };
        Ok(Self {
            scope_missing: set.has(Lti13ToolFault::AuthRequestScopeMissing),
            response_type_code: set.has(Lti13ToolFault::AuthRequestResponseTypeCode),
            response_mode_missing: set.has(Lti13ToolFault::AuthRequestResponseModeMissing),
            prompt_login: set.has(Lti13ToolFault::AuthRequestPromptLogin),
            wrong_client_id: set.has(Lti13ToolFault::AuthRequestWrongClientId),
            redirect_uri_unregistered: set.has(Lti13ToolFault::RedirectUriUnregistered),
            login_hint_dropped: set.has(Lti13ToolFault::LoginHintDropped),
            static_nonce: fixed(Lti13ToolFault::StaticNonce)?,
            static_state: fixed(Lti13ToolFault::StaticState)?,
            lti_message_hint_dropped: set.has(Lti13ToolFault::LtiMessageHintDropped),
            redirect_uri_follows_foreign_target_link: set
                .has(Lti13ToolFault::RedirectUriFollowsForeignTargetLink),
            rejects_get: set.has(Lti13ToolFault::LoginRejectsGet),
            short_nonce: set.has(Lti13ToolFault::ShortNonce),
            short_state: set.has(Lti13ToolFault::ShortState),
        })
    }
}

/// A fresh unguessable value, base64url.
pub(crate) fn random_token() -> Result<String, Unspecified> {
    let mut bytes = [0u8; RANDOM_BYTES];
    SystemRandom::new().fill(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A guessable value: 8 random hex characters, 32 bits (faults `short-nonce`, `short-state`).
fn short_token() -> Result<String, Unspecified> {
    let mut bytes = [0u8; SHORT_RANDOM_BYTES];
    SystemRandom::new().fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A fresh state or nonce: the fixed one of a `static-…` fault, else 8 hex characters under a
/// `short-…` fault, else [`RANDOM_BYTES`] of randomness.
fn fresh(fixed: &Option<String>, short: bool) -> Result<String, Unspecified> {
    match fixed {
        Some(value) => Ok(value.clone()),
        None if short => short_token(),
        None => random_token(),
    }
}

/// Whether `uri` is an absolute URL on another origin (scheme, host, port) than `base`.
fn is_foreign(uri: &str, base: &str) -> bool {
    match (Url::parse(uri), Url::parse(base)) {
        (Ok(uri), Ok(base)) => uri.origin() != base.origin(),
        _ => false,
    }
}

fn bad_request(reason: String) -> Response {
    (StatusCode::BAD_REQUEST, reason).into_response()
}

/// Handle a login initiation: check who is asking, remember a fresh state and nonce, and
/// send the browser to the platform's authentication endpoint.
pub(crate) async fn login(
    State(tool): State<Arc<ToolState>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    // Sec §5.1.1.1: "The redirect may be a form POST or a GET - a Tool must support either
    // case".
    if method == Method::GET && tool.login_faults.rejects_get {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "POST")],
            "login accepts POST only",
        )
            .into_response();
    }
    let params = match get_or_post_params(&method, &uri, &body) {
        Ok(p) => p,
        Err(name) => return bad_request(format!("login parameter {name} given more than once")),
    };
    let param = |name: &str| params.get(name).map(String::as_str);

    // Sec §5.1.1.1: iss, login_hint and target_link_uri are REQUIRED.
    let (Some(iss), Some(login_hint), Some(target_link_uri)) =
        (param("iss"), param("login_hint"), param("target_link_uri"))
    else {
        return bad_request("login needs iss, login_hint and target_link_uri".into());
    };
    // Sec §5.1.1.2: the tool redirects "to the platform at the OIDC Authentication endpoint
    // registered with the iss" — an issuer this tool is not registered with has none.
    if iss != tool.registration.issuer {
        return bad_request("iss is not a platform this tool is registered with".into());
    }
    // Core §4.1.3: client_id "specifies the client id for the authorization server that
    // should be used" — this tool has one registration, so any other client_id is unknown.
    if param("client_id").is_some_and(|c| c != tool.registration.client_id) {
        return bad_request("client_id is not this tool's client_id".into());
    }
    if target_link_uri.is_empty() || target_link_uri.len() > MAX_TARGET_LINK_URI {
        return bad_request(format!(
            "target_link_uri must be 1 to {MAX_TARGET_LINK_URI} bytes"
        ));
    }

    let faults = &tool.login_faults;
    // Sec §5.1.1.2: the state provides "Cross-Site Request Forgery (CSRF) mitigation" and the
    // nonce is used "to mitigate replay attacks": both must be unguessable (RFC 6749 §10.10:
    // "The probability of an attacker guessing generated tokens ... MUST be less than or
    // equal to 2^(-128)"), hence 256 random bits each.
    let (Ok(state), Ok(nonce)) = (
        fresh(&faults.static_state, faults.short_state),
        fresh(&faults.static_nonce, faults.short_nonce),
    ) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "random source failed").into_response();
    };
    // Sec §5.1.1.2: "The tool sets the CSRF token and binds it to a state parameter".
    tool.sessions.issue(&state, &nonce, target_link_uri);

    let mut location = tool.registration.auth_url.clone();
    {
        let mut q = location.query_pairs_mut();
        // Sec §5.1.1.2: "scope: openid REQUIRED".
        if !faults.scope_missing {
            q.append_pair("scope", "openid");
        }
        // Sec §5.1.1.2: "response_type: id_token REQUIRED".
        let response_type = if faults.response_type_code {
            "code"
        } else {
            "id_token"
        };
        q.append_pair("response_type", response_type);
        // Sec §5.1.1.2: "response_mode: form_post REQUIRED".
        if !faults.response_mode_missing {
            q.append_pair("response_mode", "form_post");
        }
        // Sec §5.1.1.2: "prompt: none REQUIRED".
        q.append_pair("prompt", if faults.prompt_login { "login" } else { "none" });
        // Sec §5.1.1.2: "client_id REQUIRED ... The Tool's Client ID for this issuer."
        let client_id = &tool.registration.client_id;
        if faults.wrong_client_id {
            q.append_pair("client_id", &format!("{client_id}-other"));
        } else {
            q.append_pair("client_id", client_id);
        }
        // Sec §5.1.1.2: "redirect_uri REQUIRED ... One of the registered redirect URIs." —
        // never derived from the (unsigned) target_link_uri, wherever that points.
        if faults.redirect_uri_follows_foreign_target_link
            && is_foreign(target_link_uri, &tool.urls.base)
        {
            q.append_pair("redirect_uri", target_link_uri);
        } else if faults.redirect_uri_unregistered {
            q.append_pair(
                "redirect_uri",
                &format!("{}/launch-unregistered", tool.urls.base),
            );
        } else {
            q.append_pair("redirect_uri", &tool.urls.launch);
        }
        // Sec §5.1.1.2: "login_hint REQUIRED. As passed in the initiate login request."
        if !faults.login_hint_dropped {
            q.append_pair("login_hint", login_hint);
        }
        q.append_pair("state", &state);
        // Sec §5.1.1.2: "nonce REQUIRED".
        q.append_pair("nonce", &nonce);
        // Core §4.1.1: "If present in the login initiation request, the tool MUST include it
        // back in the authentication request unaltered."
        if let Some(hint) = param("lti_message_hint").filter(|_| !faults.lti_message_hint_dropped) {
            q.append_pair("lti_message_hint", hint);
        }
    }
    let cookie =
        format!("{STATE_COOKIE}={state}; Path=/; Max-Age=600; Secure; HttpOnly; SameSite=None");
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location.to_string()),
            (header::SET_COOKIE, cookie),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_values_carry_256_bits_unless_a_fault_shortens_or_fixes_them() {
        let long = fresh(&None, false).unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(&long).unwrap().len(), RANDOM_BYTES);
        assert_ne!(long, fresh(&None, false).unwrap());
        let short = fresh(&None, true).unwrap();
        assert_eq!(short.len(), 8);
        assert!(short.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(fresh(&Some("fixed".into()), true).unwrap(), "fixed");
    }

    #[test]
    fn only_another_origin_is_foreign() {
        let base = "https://127.0.0.1:8443";
        assert!(!is_foreign("https://127.0.0.1:8443/resource", base));
        assert!(is_foreign("https://elsewhere.plugfest.invalid/x", base));
        assert!(is_foreign("https://127.0.0.1:9443/resource", base));
        assert!(is_foreign("http://127.0.0.1:8443/resource", base));
        assert!(!is_foreign("not a url", base));
    }
}
