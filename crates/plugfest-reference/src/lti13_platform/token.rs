//! `POST /lti13/token`: the OAuth 2 token endpoint for tools (Core §6.2, Sec §4.1.1): the
//! client credentials grant with a JWT client assertion (RFC 7523 §2.2) signed by the tool's
//! registered key. Errors follow RFC 6749 §5.2 with status 400, as Sec §4.1 asks.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::claims::KNOWN_SCOPES;
use super::http_util::{now_secs, numeric_date, parse_unique};
use super::tool_jwt::{self, Leniency};
use super::{Lti13PlatformFault as F, PlatformState};

/// RFC 7523 §2.2: the client assertion type of a JWT bearer assertion.
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Sec §4.1: "1EdTech recommends a default expiry lifetime of 3600 seconds".
const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// Clock skew allowed on `exp` and `iat` (Sec §5.1.2: "some small leeway").
const LEEWAY_SECS: i64 = 5;
/// The longest an assertion may be valid: an `exp` further away is refused, so a remembered
/// `jti` is never forgotten while its assertion is still usable.
const MAX_ASSERTION_LIFETIME_SECS: i64 = 3600;

/// An RFC 6749 §5.2 error.
struct TokenError {
    error: &'static str,
    description: String,
}

fn error(error: &'static str, description: impl Into<String>) -> TokenError {
    TokenError {
        error,
        description: description.into(),
    }
}

/// Answer a token request.
pub(crate) async fn token(State(platform): State<Arc<PlatformState>>, body: Bytes) -> Response {
    let cache = if platform.has(F::TokenCacheable) {
        "max-age=3600"
    } else {
        "no-store"
    };
    let (status, body) = match grant(&platform, &body).await {
        Ok(body) => (StatusCode::OK, body),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            json!({"error": e.error, "error_description": e.description}),
        ),
    };
    // RFC 6749 §5.1: "The authorization server MUST include the HTTP Cache-Control response
    // header field with a value of no-store in any response containing tokens" (and §5.2's
    // errors alike, as Sec §4.1's examples show).
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json;charset=UTF-8"),
            (header::CACHE_CONTROL, cache),
            (header::PRAGMA, "no-cache"),
        ],
        body.to_string(),
    )
        .into_response()
}

async fn grant(platform: &PlatformState, body: &[u8]) -> Result<Value, TokenError> {
    let params = parse_unique(body)
        .map_err(|name| error("invalid_request", format!("{name} is given more than once")))?;
    let param = |name: &str| params.get(name).map(String::as_str);
    // Sec §4.1: "grant_type REQUIRED. Value MUST be set to client_credentials".
    match param("grant_type") {
        Some("client_credentials") => {}
        Some(_) => {
            return Err(error(
                "unsupported_grant_type",
                "grant_type must be client_credentials",
            ));
        }
        None => return Err(error("invalid_request", "grant_type is required")),
    }
    // RFC 7523 §2.2: client_assertion_type MUST be the JWT bearer URN.
    if param("client_assertion_type") != Some(JWT_BEARER)
        && !platform.has(F::AssertionTypeNotChecked)
    {
        return Err(error(
            "invalid_client",
            format!("client_assertion_type must be {JWT_BEARER}"),
        ));
    }
    let assertion = param("client_assertion")
        .ok_or_else(|| error("invalid_client", "client_assertion is required"))?;
    // Sec §4.1: "scope REQUIRED".
    let requested: Vec<&str> = param("scope")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .collect();
    if requested.is_empty() {
        return Err(error("invalid_scope", "scope is required"));
    }
    check_assertion(platform, assertion).await?;

    // RFC 6749 §3.3 / Sec §4.1: the server validates the scopes and grants them, or a subset;
    // a scope it does not know is never granted — the request is refused with invalid_scope
    // (RFC 6749 §5.2: "The requested scope is invalid, unknown, malformed").
    let unknown: Vec<&str> = requested
        .iter()
        .copied()
        .filter(|s| !KNOWN_SCOPES.contains(s))
        .collect();
    if !unknown.is_empty() && !platform.has(F::UnknownScopeGranted) {
        let code = if platform.has(F::UnknownScopeWrongError) {
            "invalid_request"
        } else {
            "invalid_scope"
        };
        return Err(error(code, format!("unknown scope: {}", unknown.join(" "))));
    }
    let mut granted: Vec<String> = Vec::new();
    for scope in requested {
        if !granted.iter().any(|g| g == scope) {
            granted.push(scope.to_owned());
        }
    }
    let access_token = crate::serve::random_hex(32);
    if !platform
        .store()
        .issue_token(access_token.clone(), granted.clone(), TOKEN_LIFETIME)
    {
        return Err(error(
            "temporarily_unavailable",
            "too many access tokens outstanding",
        ));
    }
    let token_type = if platform.has(F::TokenTypeNotBearer) {
        "mac"
    } else {
        "Bearer"
    };
    Ok(json!({
        "access_token": access_token,
        "token_type": token_type,
        "expires_in": TOKEN_LIFETIME.as_secs(),
        "scope": granted.join(" "),
    }))
}

/// Sec §4.1.1: "The authorization server decodes the JWT and MUST validate the values for the
/// iss, sub, exp, aud and jti claims, followed by verifying the signature."
async fn check_assertion(platform: &PlatformState, assertion: &str) -> Result<(), TokenError> {
    let invalid = |d: String| error("invalid_client", d);
    let jwt = tool_jwt::parse(assertion).map_err(|r| invalid(r.reason()))?;
    let client_id = platform.registration.client_id.as_str();
    // Core §6.2: "the client assertion JWT iss and sub must both be the OAuth 2 client_id of
    // the tool as issued by the learning platform during registration".
    let iss_sub_ok =
        jwt.claim_str("iss") == Some(client_id) && jwt.claim_str("sub") == Some(client_id);
    if !iss_sub_ok && !platform.has(F::AssertionIssNotChecked) {
        return Err(invalid(
            "iss and sub must both be the tool's client_id".into(),
        ));
    }
    // Sec §4.1.1: "The authorization server MUST reject any JWT that does not contain its own
    // identity as the intended audience" — the identity is configured out of band, and
    // platforms differ: some want the token URL, some their issuer. This one accepts either.
    let audiences: Vec<&str> = match jwt.claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let ours = [platform.urls.token.as_str(), platform.issuer()];
    if !audiences.iter().any(|a| ours.contains(a)) && !platform.has(F::AssertionAudNotChecked) {
        return Err(invalid(
            "aud must name this platform's token URL (or its issuer)".into(),
        ));
    }
    let now = now_secs();
    let exp = numeric_date(jwt.claims.get("exp"));
    // Sec §4.1.1: exp is "an absolute expiry time for the message"; iat "MUST be the time at
    // which the Consumer generated the JWT" (so not in the future).
    let expired = exp.is_none_or(|exp| exp.saturating_add(LEEWAY_SECS) <= now);
    if expired && !platform.has(F::AssertionExpiryNotChecked) {
        return Err(invalid(
            "the assertion has no numeric exp or has expired".into(),
        ));
    }
    if exp.is_some_and(|exp| exp > now + MAX_ASSERTION_LIFETIME_SECS) {
        return Err(invalid(format!(
            "exp is more than {MAX_ASSERTION_LIFETIME_SECS} s away"
        )));
    }
    if numeric_date(jwt.claims.get("iat")).is_some_and(|iat| iat > now + LEEWAY_SECS) {
        return Err(invalid("iat is in the future".into()));
    }
    // Core §6.2.1: a deployment_id, when given, must be this tool's.
    if let Some(deployment) = jwt
        .claims
        .get("https://purl.imsglobal.org/spec/lti/claim/deployment_id")
        && deployment.as_str() != Some(platform.registration.deployment_id.as_str())
    {
        return Err(invalid(
            "deployment_id is not a deployment of this tool".into(),
        ));
    }
    let jti = jwt
        .claim_str("jti")
        .filter(|j| !j.is_empty() && j.len() <= 256)
        .ok_or_else(|| invalid("jti is required (1 to 256 characters)".into()))?
        .to_owned();
    let leniency = Leniency {
        skip_signature: platform.has(F::AssertionSignatureNotChecked),
        accept_unknown_kid: platform.has(F::UnknownKidAccepted),
    };
    platform
        .tool_keys
        .verify(&jwt, leniency)
        .await
        .map_err(|r| invalid(r.reason()))?;
    // The jti is spent only by an assertion that verified: a forged one cannot burn the id of
    // a genuine one. (Sec §4.1.1: exp "SHOULD also indicate when the jti value expires".)
    let fresh = platform.store().use_assertion_jti(
        &jti,
        exp.unwrap_or(now).saturating_add(LEEWAY_SECS),
        now,
    );
    if !fresh && !platform.has(F::JtiReplayAccepted) {
        return Err(invalid("this jti was already used".into()));
    }
    Ok(())
}
