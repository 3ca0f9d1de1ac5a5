//! The LTI Advantage services Plugfest serves as the platform while testing a tool, on the
//! callback server: the OAuth 2 token endpoint ([`super::platform_token`], Sec §4.1.1, Core
//! §6.2), Assignment and Grade Services ([`super::platform_ags`], AGS §3) and Names and Role
//! Provisioning ([`super::platform_nrps`], NRPS §2).
//!
//! Every request is recorded, in order, for the scenario to judge; the answers are those of a
//! conformant platform (401 without a valid token, 403 without the scope), lenient where that
//! lets the tool go on so its later requests can be judged too (a body of another media type is
//! accepted, a defective client assertion still gets a token — each judged by its requirement). The service
//! URLs of a launch carry a context id unique to the scenario, which is how calls are told apart.

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Path of the token endpoint on the callback server.
pub const TOKEN_PATH: &str = "/lti13/platform/token";
/// Prefix of the AGS endpoints: `{AGS_PREFIX}/{context}/lineitems[/{n}[/scores|/results]]`.
pub const AGS_PREFIX: &str = "/lti13/platform/ags";
/// Prefix of the NRPS endpoint: `{NRPS_PREFIX}/{context}/memberships`.
pub const NRPS_PREFIX: &str = "/lti13/platform/nrps";
/// Path of the `deep_link_return_url` (DL §4.4.1).
pub const DEEP_LINK_RETURN_PATH: &str = "/lti13/platform/deep-link-return";

/// AGS §3.2: full management of line items.
pub const SCOPE_LINEITEM: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
/// AGS §3.2: reading line items.
pub const SCOPE_LINEITEM_READONLY: &str =
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
/// AGS §3.3.2: reading results.
pub const SCOPE_RESULT_READONLY: &str =
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
/// AGS §3.4.2: publishing scores.
pub const SCOPE_SCORE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
/// NRPS §3.6.1.2 (binding): reading the membership.
pub const SCOPE_NRPS: &str =
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
/// The scopes Plugfest registers for the tool: every AGS and NRPS scope.
pub const REGISTERED_SCOPES: &[&str] = &[
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
    SCOPE_NRPS,
];

/// How long an access token lives (Sec §7.1.1 recommends 3600 s).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The largest request body kept in the record.
const MAX_KEPT_BODY: usize = 64 * 1024;
/// The most requests of each kind kept (oldest dropped first).
const MAX_KEPT: usize = 2048;

/// Which service a call went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Assignment and Grade Services.
    Ags,
    /// Names and Role Provisioning Services.
    Nrps,
}

/// What the bearer token of a call was worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// A token from Plugfest's token endpoint with the scope the call needs.
    Granted,
    /// No `Authorization: Bearer` header.
    Missing,
    /// A token Plugfest never issued.
    Unknown,
    /// A token past its lifetime.
    Expired,
    /// A token without the scope the call needs.
    WrongScope {
        /// The scope(s) that would do, any one of them.
        needed: Vec<String>,
        /// The scopes the token has.
        had: Vec<String>,
    },
}

/// One request a tool made to an AGS or NRPS endpoint.
#[derive(Debug, Clone)]
pub struct ServiceCall {
    /// Order of arrival among all recorded requests.
    pub seq: u64,
    /// The service.
    pub service: Service,
    /// The context id from the URL.
    pub context: String,
    /// Request method.
    pub method: String,
    /// The full URL called (public base, path and query).
    pub url: String,
    /// Request headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The body (capped).
    pub body: Vec<u8>,
    /// The token request that issued the bearer token, when Plugfest issued it.
    pub token_request: Option<u64>,
    /// How the token was judged.
    pub auth: Auth,
    /// The status Plugfest answered.
    pub status: u16,
}

impl ServiceCall {
    /// First value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The path of the URL (no query).
    pub fn path(&self) -> String {
        url::Url::parse(&self.url)
            .map(|u| u.path().to_string())
            .unwrap_or_default()
    }
}

/// One request to the token endpoint.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// Order of arrival among all recorded requests.
    pub seq: u64,
    /// The form parameters, in order.
    pub form: Vec<(String, String)>,
    /// Request headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The client assertion's header and claims, decoded without verification.
    pub assertion: Option<(Value, Value)>,
    /// Whether the assertion's signature verified with the tool's key set, or why not.
    pub signature: Result<(), String>,
    /// The scopes asked for.
    pub requested: Vec<String>,
    /// The token issued and its scopes, or the OAuth error answered.
    pub outcome: Result<(String, Vec<String>), String>,
}

impl TokenRequest {
    /// The first value of a form parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A token Plugfest issued.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub scopes: Vec<String>,
    pub expires: Instant,
    pub request: u64,
}

/// What the services hold and have seen.
#[derive(Debug, Default)]
pub(crate) struct Recorded {
    pub seq: u64,
    pub token_requests: Vec<TokenRequest>,
    pub calls: Vec<ServiceCall>,
    pub tokens: HashMap<String, Issued>,
    /// Line items by id URL: (context, line item).
    pub line_items: Vec<(String, Value)>,
    /// Latest score per (line item id, userId).
    pub scores: HashMap<(String, String), Value>,
}

/// The services' shared state.
#[derive(Debug)]
pub struct Services {
    /// The callback server's public base URL, without a trailing slash.
    pub base_url: String,
    /// The tool's key set, as last fetched by a scenario (client assertions verify with it).
    tool_keys: RwLock<Vec<Value>>,
    /// The members of every context (NRPS), as JSON member objects.
    pub(crate) members: Vec<Value>,
    pub(crate) recorded: Mutex<Recorded>,
}

impl Services {
    /// Services at `base_url`, whose contexts hold `members` (NRPS member objects).
    pub fn new(base_url: &str, members: Vec<Value>) -> Arc<Services> {
        Arc::new(Services {
            base_url: base_url.trim_end_matches('/').to_string(),
            tool_keys: RwLock::new(Vec::new()),
            members,
            recorded: Mutex::new(Recorded::default()),
        })
    }

    /// The token endpoint URL.
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url)
    }

    /// The `lineitems` URL of `context` (AGS §3.1).
    pub fn lineitems_url(&self, context: &str) -> String {
        format!("{}{AGS_PREFIX}/{context}/lineitems", self.base_url)
    }

    /// The `context_memberships_url` of `context` (NRPS §3.6.1.1).
    pub fn memberships_url(&self, context: &str) -> String {
        format!("{}{NRPS_PREFIX}/{context}/memberships", self.base_url)
    }

    /// The `deep_link_return_url` (DL §4.4.1).
    pub fn deep_link_return_url(&self) -> String {
        format!("{}{DEEP_LINK_RETURN_PATH}", self.base_url)
    }

    /// The service claims of a launch in `context` for the services the tool offers (`ags`,
    /// `nrps`): AGS §3.1 (`scope`, `lineitems`), NRPS §3.6.1.1 (`context_memberships_url`,
    /// `service_versions`). Core §6.1: "fully resolved URLs".
    pub fn launch_claims(&self, context: &str, offered: &[String]) -> Vec<(String, Value)> {
        let mut claims = Vec::new();
        if offered.iter().any(|s| s == "ags") {
            claims.push((
                "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint".to_string(),
                serde_json::json!({
                    "scope": [SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE],
                    "lineitems": self.lineitems_url(context),
                }),
            ));
        }
        if offered.iter().any(|s| s == "nrps") {
            claims.push((
                "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice".to_string(),
                serde_json::json!({
                    "context_memberships_url": self.memberships_url(context),
                    "service_versions": ["2.0"],
                }),
            ));
        }
        claims
    }

    /// Replace the tool's key set client assertions are verified with.
    pub fn set_tool_keys(&self, keys: Vec<Value>) {
        *self.tool_keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
    }

    pub(crate) fn tool_keys(&self) -> Vec<Value> {
        self.tool_keys
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        self.recorded.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The sequence number the next recorded request gets.
    pub fn next_seq(&self) -> u64 {
        self.lock().seq
    }

    /// The calls made for `context`, in order.
    pub fn calls_for(&self, context: &str) -> Vec<ServiceCall> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.context == context)
            .cloned()
            .collect()
    }

    /// The token request with this sequence number.
    pub fn token_request(&self, seq: u64) -> Option<TokenRequest> {
        self.lock()
            .token_requests
            .iter()
            .find(|t| t.seq == seq)
            .cloned()
    }

    /// Token requests that arrived in `[from, to)`.
    pub fn token_requests_between(&self, from: u64, to: u64) -> Vec<TokenRequest> {
        self.lock()
            .token_requests
            .iter()
            .filter(|t| (from..to).contains(&t.seq))
            .cloned()
            .collect()
    }

    /// Judge the bearer token of a request against the scopes that would do.
    pub(crate) fn authorize(&self, headers: &HeaderMap, needed: &[&str]) -> (Auth, Option<u64>) {
        let Some(token) = bearer(headers) else {
            return (Auth::Missing, None);
        };
        let recorded = self.lock();
        let Some(issued) = recorded.tokens.get(&token) else {
            return (Auth::Unknown, None);
        };
        let auth = if issued.expires < Instant::now() {
            Auth::Expired
        } else if needed.iter().any(|n| issued.scopes.iter().any(|s| s == n)) {
            Auth::Granted
        } else {
            Auth::WrongScope {
                needed: needed.iter().map(|s| s.to_string()).collect(),
                had: issued.scopes.clone(),
            }
        };
        (auth, Some(issued.request))
    }

    /// Record a call and give it its sequence number.
    pub(crate) fn record_call(&self, mut call: ServiceCall) {
        call.body.truncate(MAX_KEPT_BODY);
        let mut r = self.lock();
        call.seq = r.seq;
        r.seq += 1;
        if r.calls.len() >= MAX_KEPT {
            r.calls.remove(0);
        }
        r.calls.push(call);
    }

    /// Record a token request and give it its sequence number.
    pub(crate) fn record_token_request(&self, mut req: TokenRequest) -> u64 {
        let mut r = self.lock();
        req.seq = r.seq;
        r.seq += 1;
        if r.token_requests.len() >= MAX_KEPT {
            r.token_requests.remove(0);
        }
        let seq = req.seq;
        r.token_requests.push(req);
        seq
    }
}

/// What one service request carried, for the record.
pub(crate) struct Incoming<'a> {
    pub service: Service,
    pub context: &'a str,
    pub method: &'a axum::http::Method,
    pub uri: &'a axum::http::Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl<'a> Incoming<'a> {
    /// What a request to `service` for `context` carried.
    pub fn new(
        service: Service,
        context: &'a str,
        method: &'a axum::http::Method,
        uri: &'a axum::http::Uri,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Self {
        Self {
            service,
            context,
            method,
            uri,
            headers,
            body,
        }
    }
}

/// What a service answers: a status, maybe a JSON body with its media type, maybe a `Link`.
pub(crate) struct Answer {
    pub status: axum::http::StatusCode,
    pub body: Option<(&'static str, Value)>,
    pub link: Option<String>,
}

impl Answer {
    /// A status without a body.
    pub fn status(status: axum::http::StatusCode) -> Self {
        Answer {
            status,
            body: None,
            link: None,
        }
    }

    /// A JSON body of `media` type.
    pub fn json(status: axum::http::StatusCode, media: &'static str, body: Value) -> Self {
        Answer {
            status,
            body: Some((media, body)),
            link: None,
        }
    }
}

/// Judge the token (401 without a valid one, 403 without one of the `needed` scopes), do
/// `work` if it holds, record the call and answer. A body of the wrong media type is accepted
/// (and judged by its own requirement from the record), so the tool's later requests can be
/// judged too.
pub(crate) fn serve(
    s: &Services,
    inc: Incoming<'_>,
    needed: &[&str],
    work: impl FnOnce(&Services) -> Answer,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let (auth, token_request) = s.authorize(inc.headers, needed);
    let answer = match &auth {
        Auth::Missing | Auth::Unknown | Auth::Expired => Answer::status(StatusCode::UNAUTHORIZED),
        Auth::WrongScope { .. } => Answer::status(StatusCode::FORBIDDEN),
        Auth::Granted => work(s),
    };
    s.record_call(ServiceCall {
        seq: 0,
        service: inc.service,
        context: inc.context.to_string(),
        method: inc.method.to_string(),
        // The request target may arrive in absolute form (HTTP/2): keep its path and query.
        url: format!(
            "{}{}",
            s.base_url,
            inc.uri.path_and_query().map_or("/", |p| p.as_str())
        ),
        headers: header_pairs(inc.headers),
        body: inc.body.to_vec(),
        token_request,
        auth,
        status: answer.status.as_u16(),
    });
    let mut response = match answer.body {
        Some((media, json)) => (
            answer.status,
            [(header::CONTENT_TYPE, media)],
            json.to_string(),
        )
            .into_response(),
        None => answer.status.into_response(),
    };
    if let Some(link) = answer.link.and_then(|l| l.parse().ok()) {
        response.headers_mut().insert(header::LINK, link);
    }
    response
}

/// The value of `Authorization: Bearer …` (RFC 6750 §2.1), if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Headers as (lower-case name, value) pairs.
pub(crate) fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// First value of a header among pairs (name case-insensitive).
pub fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The media type of a Content-Type or Accept value, parameters dropped, lower-case.
pub fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Routes of the services; `services` records what they receive.
pub fn router(services: Arc<Services>) -> Router {
    use super::{platform_ags as ags, platform_nrps as nrps, platform_token as token};
    Router::new()
        .route(TOKEN_PATH, post(token::token))
        .route(
            &format!("{AGS_PREFIX}/{{context}}/lineitems"),
            get(ags::lineitems).post(ags::lineitems),
        )
        .route(
            &format!("{AGS_PREFIX}/{{context}}/lineitems/{{n}}"),
            get(ags::lineitem).put(ags::lineitem).delete(ags::lineitem),
        )
        .route(
            &format!("{AGS_PREFIX}/{{context}}/lineitems/{{n}}/scores"),
            post(ags::scores),
        )
        .route(
            &format!("{AGS_PREFIX}/{{context}}/lineitems/{{n}}/results"),
            get(ags::results),
        )
        .route(
            &format!("{NRPS_PREFIX}/{{context}}/memberships"),
            get(nrps::memberships),
        )
        .route(
            DEEP_LINK_RETURN_PATH,
            post(|| async {
                "Plugfest received the deep linking response. Plugfest reads it from the tool's page itself."
            }),
        )
        .with_state(services)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert("authorization", HeaderValue::from_static("bearer abc"));
        assert_eq!(bearer(&h).as_deref(), Some("abc"));
        h.insert("authorization", HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
    }

    #[test]
    fn media_types_drop_parameters() {
        assert_eq!(
            media_type("Application/JSON; charset=utf-8"),
            "application/json"
        );
    }

    #[test]
    fn an_unknown_or_under_scoped_token_is_judged() {
        let s = Services::new("https://p.example/", vec![]);
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_static("Bearer t1"));
        assert_eq!(s.authorize(&h, &[SCOPE_SCORE]).0, Auth::Unknown);
        s.lock().tokens.insert(
            "t1".into(),
            Issued {
                scopes: vec![SCOPE_LINEITEM.into()],
                expires: Instant::now() + TOKEN_LIFETIME,
                request: 7,
            },
        );
        let (auth, req) = s.authorize(&h, &[SCOPE_SCORE]);
        assert!(matches!(auth, Auth::WrongScope { .. }));
        assert_eq!(req, Some(7));
        assert_eq!(s.authorize(&h, &[SCOPE_LINEITEM]).0, Auth::Granted);
        assert_eq!(
            s.lineitems_url("c1"),
            "https://p.example/lti13/platform/ags/c1/lineitems"
        );
    }
}
