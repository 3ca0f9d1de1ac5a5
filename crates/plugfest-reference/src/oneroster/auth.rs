//! Who may call: OAuth 1.0a request signing for 1.1 (RFC 5849 §3.2 verification with the
//! crate's own signer, HMAC-SHA256 or HMAC-SHA1 as declared, a ±300 s timestamp window and a
//! nonce cache), and OAuth 2 client credentials for 1.2 (a token endpoint with HTTP Basic or
//! form client authentication, RFC 6749 §4.4, and a per-operation scope check: the operation's
//! scopes are alternatives — the intent of the OpenAPI's one-requirement lists, spec-notes §0).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;

use super::Version;
use super::errors::{ApiError, Minor};
use super::fault::Bends;
use crate::oauth1::{self, Method, NonceCache, Quirks, TIMESTAMP_WINDOW_SECS};

/// The prefix of every 1.2 scope URI.
pub(crate) const SCOPE_PREFIX: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/";
/// How long an access token lives.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The most live tokens kept.
const MAX_TOKENS: usize = 10_000;

/// The 1.2 scopes this provider grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    RosterCore,
    Roster,
    RosterDemographics,
    GradebookReadonly,
    GradebookCore,
    GradebookCreatePut,
    GradebookCreatePost,
    GradebookDelete,
    ResourceReadonly,
    ResourceCore,
}

impl Scope {
    const ALL: [Scope; 10] = [
        Scope::RosterCore,
        Scope::Roster,
        Scope::RosterDemographics,
        Scope::GradebookReadonly,
        Scope::GradebookCore,
        Scope::GradebookCreatePut,
        Scope::GradebookCreatePost,
        Scope::GradebookDelete,
        Scope::ResourceReadonly,
        Scope::ResourceCore,
    ];

    fn suffix(self) -> &'static str {
        match self {
            Scope::RosterCore => "roster-core.readonly",
            Scope::Roster => "roster.readonly",
            Scope::RosterDemographics => "roster-demographics.readonly",
            Scope::GradebookReadonly => "gradebook.readonly",
            Scope::GradebookCore => "gradebook-core.readonly",
            Scope::GradebookCreatePut => "gradebook.createput",
            Scope::GradebookCreatePost => "gradebook.createpost",
            Scope::GradebookDelete => "gradebook.delete",
            Scope::ResourceReadonly => "resource.readonly",
            Scope::ResourceCore => "resource-core.readonly",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    fn uri(self) -> String {
        format!("{SCOPE_PREFIX}{}", self.suffix())
    }

    fn parse(uri: &str) -> Option<Scope> {
        let suffix = uri.strip_prefix(SCOPE_PREFIX)?;
        Scope::ALL.into_iter().find(|s| s.suffix() == suffix)
    }
}

/// Live access tokens: token → (granted scope bits, expiry).
#[derive(Debug, Default)]
pub(crate) struct Tokens(Mutex<HashMap<String, (u16, Instant)>>);

impl Tokens {
    fn issue(&self, scopes: u16) -> String {
        let token = crate::serve::random_hex(24);
        let now = Instant::now();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (_, exp)| *exp > now);
        if map.len() >= MAX_TOKENS
            && let Some(k) = map.keys().next().cloned()
        {
            map.remove(&k);
        }
        map.insert(token.clone(), (scopes, now + TOKEN_LIFETIME));
        token
    }

    fn scopes(&self, token: &str) -> Option<u16> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(token)
            .filter(|(_, exp)| *exp > Instant::now())
            .map(|(s, _)| *s)
    }
}

/// The credentials and replay state of one provider.
#[derive(Debug)]
pub(crate) struct Auth {
    pub client_id: String,
    pub client_secret: String,
    pub tokens: Tokens,
    pub nonces: NonceCache,
}

/// `POST /oauth/token` (1.2): client credentials grant, RFC 6749 §4.4.
pub(crate) fn token_endpoint(
    auth: &Auth,
    bends: &Bends,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(basic_credentials);
    let (id, secret) = match basic {
        Some(pair) => pair,
        None => match (field("client_id"), field("client_secret")) {
            (Some(i), Some(s)) => (i, s),
            _ => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"),
        },
    };
    let secret_ok = bends.token_secret_not_checked || same_credential(&secret, &auth.client_secret);
    if !same_credential(&id, &auth.client_id) || !secret_ok {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if field("grant_type").as_deref() != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let requested = field("scope").unwrap_or_default();
    let mut bits = 0u16;
    if requested.trim().is_empty() {
        bits = Scope::ALL.iter().fold(0, |b, s| b | s.bit());
    } else {
        for uri in requested.split(' ').filter(|s| !s.is_empty()) {
            if let Some(s) = Scope::parse(uri) {
                bits |= s.bit();
            }
        }
    }
    if bits == 0 {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope");
    }
    let granted: Vec<String> = Scope::ALL
        .iter()
        .filter(|s| bits & s.bit() != 0)
        .map(|s| s.uri())
        .collect();
    let token = auth.tokens.issue(bits);
    let mut body = json!({
        "access_token": token,
        "token_type": "bearer",
        "expires_in": TOKEN_LIFETIME.as_secs(),
        "scope": granted.join(" "),
    });
    if bends.token_response_without_scope
        && let Some(o) = body.as_object_mut()
    {
        o.remove("scope");
    }
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    let mut response = (status, json!({ "error": error }).to_string()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        h.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"oneroster\""),
        );
    }
    response
}

/// `Basic base64(id:secret)` as sent (RFC 6749 §2.3.1 form-encodes each part first; many
/// clients do not, so [`same_credential`] accepts either form).
fn basic_credentials(value: &str) -> Option<(String, String)> {
    let (scheme, rest) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") || rest.len() > 4096 {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// `sent` equals `expected` as sent, or once form-decoded (`%XX` and `+`).
fn same_credential(sent: &str, expected: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(&sent.replace('+', " "))
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or_default();
    constant_eq(sent, expected) || constant_eq(&decoded, expected)
}

/// Byte equality whose time does not depend on where the strings differ.
fn constant_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a request must carry to reach an operation: any one of `scopes` (1.2).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Need(pub &'static [Scope]);

/// The roster core scopes (either).
pub(crate) const CORE: Need = Need(&[Scope::RosterCore, Scope::Roster]);
/// roster.readonly only (relationship endpoints).
pub(crate) const ROSTER: Need = Need(&[Scope::Roster]);
/// Demographics.
pub(crate) const DEMOGRAPHICS: Need = Need(&[Scope::RosterDemographics]);
/// Gradebook core reads (collections and single objects).
pub(crate) const GB_CORE: Need = Need(&[Scope::GradebookReadonly, Scope::GradebookCore]);
/// Gradebook reads of class-scoped endpoints.
pub(crate) const GB_READ: Need = Need(&[Scope::GradebookReadonly]);
/// Gradebook PUT.
pub(crate) const GB_PUT: Need = Need(&[Scope::GradebookCreatePut]);
/// Gradebook POST.
pub(crate) const GB_POST: Need = Need(&[Scope::GradebookCreatePost]);
/// Gradebook DELETE.
pub(crate) const GB_DELETE: Need = Need(&[Scope::GradebookDelete]);
/// Resources core reads.
pub(crate) const RES_CORE: Need = Need(&[Scope::ResourceReadonly, Scope::ResourceCore]);
/// Resources relationship reads.
pub(crate) const RES_READ: Need = Need(&[Scope::ResourceReadonly]);

/// The request as authentication sees it.
pub(crate) struct Call<'a> {
    pub method: &'a str,
    /// The public URL the client addressed (base URL, path and query).
    pub url: &'a str,
    pub headers: &'a HeaderMap,
}

/// Admit or refuse `call` for an operation needing `need`.
pub(crate) fn admit(
    auth: &Auth,
    version: Version,
    bends: &Bends,
    call: &Call<'_>,
    need: Need,
) -> Result<(), ApiError> {
    match version {
        Version::V1p2 => admit_bearer(auth, bends, call, need),
        Version::V1p1 => admit_oauth1(auth, bends, call),
    }
}

fn unauthorized(bends: &Bends, why: &str) -> ApiError {
    if bends.forbidden_instead_of_unauthorized {
        return ApiError::new(StatusCode::FORBIDDEN, Minor::Forbidden, why);
    }
    ApiError::new(StatusCode::UNAUTHORIZED, Minor::Unauthorized, why)
}

fn admit_bearer(auth: &Auth, bends: &Bends, call: &Call<'_>, need: Need) -> Result<(), ApiError> {
    let header = call
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let token = header.and_then(|h| {
        let (scheme, rest) = h.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
    });
    let granted = match token {
        None if bends.unauthenticated_accepted => return Ok(()),
        None => return Err(unauthorized(bends, "no bearer access token")),
        Some(t) => match auth.tokens.scopes(t) {
            Some(bits) => bits,
            None if bends.invalid_token_accepted => return Ok(()),
            None => return Err(unauthorized(bends, "unknown or expired access token")),
        },
    };
    if bends.scopes_not_checked || bends.checks_skipped_for(need) {
        return Ok(());
    }
    let has = |s: &Scope| granted & s.bit() != 0;
    let ok = if bends.scopes_and_not_or && need.0.contains(&Scope::RosterCore) {
        // The literal OpenAPI reading of the core rostering operations: both scopes.
        need.0.iter().all(has)
    } else if bends.relationship_needs_core_too && need.0 == ROSTER.0 {
        has(&Scope::Roster) && has(&Scope::RosterCore)
    } else {
        need.0.iter().any(has)
    };
    if ok {
        Ok(())
    } else {
        let names: Vec<&str> = need.0.iter().map(|s| s.suffix()).collect();
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            Minor::Forbidden,
            format!("this operation needs the scope {}", names.join(" or ")),
        ))
    }
}

/// RFC 5849 §3.2: "the server MUST … validate the request … verify the signature, … ensure
/// that the combination of nonce/timestamp/token … has not been used before, and MAY reject
/// requests with stale timestamps".
fn admit_oauth1(auth: &Auth, bends: &Bends, call: &Call<'_>) -> Result<(), ApiError> {
    let header = call
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    // Protocol parameters from the Authorization header, or else from the query (§3.5.3);
    // the query's own parameters join the base string through the URL.
    let header_params = match header {
        Some(h) => oauth1::parse_authorization(h)
            .ok_or_else(|| unauthorized(bends, "malformed OAuth Authorization header"))?,
        None => Vec::new(),
    };
    let query_params: Vec<(String, String)> = url::Url::parse(call.url)
        .map(|u| {
            u.query_pairs()
                .filter(|(k, _)| k.starts_with("oauth_"))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let proto = |name: &str| {
        header_params
            .iter()
            .chain(query_params.iter())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(signature) = proto("oauth_signature") else {
        if bends.unsigned_accepted {
            return Ok(());
        }
        return Err(unauthorized(
            bends,
            "the request is not signed (OAuth 1.0a)",
        ));
    };
    if proto("oauth_consumer_key") != Some(auth.client_id.as_str()) {
        return Err(unauthorized(bends, "unknown oauth_consumer_key"));
    }
    let Some(method) = proto("oauth_signature_method").and_then(Method::parse) else {
        return Err(unauthorized(
            bends,
            "oauth_signature_method must be HMAC-SHA256 or HMAC-SHA1",
        ));
    };
    if proto("oauth_version").is_some_and(|v| v != "1.0") {
        return Err(unauthorized(bends, "oauth_version must be 1.0"));
    }
    let timestamp: u64 = proto("oauth_timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| unauthorized(bends, "missing or malformed oauth_timestamp"))?;
    let nonce = proto("oauth_nonce")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| unauthorized(bends, "missing oauth_nonce"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    if now.abs_diff(timestamp) > TIMESTAMP_WINDOW_SECS && !bends.stale_timestamp_accepted {
        return Err(unauthorized(
            bends,
            "oauth_timestamp is outside the accepted window",
        ));
    }
    let quirks = Quirks {
        space_as_plus: bends.space_encoded_as_plus,
        ..Quirks::default()
    };
    let base = oauth1::base_string(call.method, call.url, &header_params, quirks);
    if !bends.signature_not_checked
        && !oauth1::verify(method, &base, &auth.client_secret, signature)
    {
        return Err(unauthorized(bends, "oauth_signature does not verify"));
    }
    if !bends.nonce_replay_accepted
        && !auth
            .nonces
            .check_and_insert(&auth.client_id, timestamp, nonce, now)
    {
        return Err(unauthorized(bends, "oauth_nonce already used"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_decode_form_encoding() {
        let v = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("my%20id:s%3Acret")
        );
        let (id, secret) = basic_credentials(&v).unwrap();
        assert!(same_credential(&id, "my id") && same_credential(&secret, "s:cret"));
        assert!(same_credential("a&b", "a&b") && !same_credential("a&c", "a&b"));
        assert_eq!(basic_credentials("Bearer x"), None);
        assert_eq!(basic_credentials("Basic !!!"), None);
    }

    #[test]
    fn scopes_parse_only_full_uris() {
        assert_eq!(
            Scope::parse("https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly"),
            Some(Scope::Roster)
        );
        assert_eq!(Scope::parse("roster.readonly"), None);
        for s in Scope::ALL {
            assert_eq!(Scope::parse(&s.uri()), Some(s));
        }
    }

    #[test]
    fn constant_eq_compares() {
        assert!(constant_eq("abc", "abc"));
        assert!(!constant_eq("abc", "abd"));
        assert!(!constant_eq("abc", "ab"));
    }
}
