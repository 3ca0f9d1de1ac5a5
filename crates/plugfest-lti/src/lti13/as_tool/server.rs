//! The tool endpoints Plugfest serves while a platform is under test (paths in
//! [`crate::lti13::tool_side`]): the login initiation URL, which answers with the OIDC
//! authentication request (Sec §5.1.1.2); the redirect URI, which records every form post it
//! receives (Sec §5.1.1.3); the tool key set (Sec §6.3); and a foreign address that is never
//! registered, to see whether a platform sends anything there.

use crate::lti13::tool_side::{JWKS_PATH, LAUNCH_PATH, LOGIN_PATH};
use axum::Router;
use axum::body::Bytes;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::any;
use plugfest_core::Seed;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A redirect address that is never registered with the platform (OIDC-004 sends it).
pub const FOREIGN_PATH: &str = "/lti13/tool/not-registered";
/// Largest request body kept.
const MAX_BODY: usize = 256 * 1024;
/// Most records kept per list.
const MAX_KEPT: usize = 256;

/// A login initiation the login endpoint received, and the authentication request it answered.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// `GET` or `POST`.
    pub method: String,
    /// The initiation's parameters (query or form).
    pub params: Vec<(String, String)>,
    /// The state Plugfest put in the authentication request.
    pub state: String,
    /// The nonce Plugfest put in the authentication request.
    pub nonce: String,
    /// The authentication request URL (auth endpoint with its query).
    pub auth_request: String,
}

/// The first of `params` called `name`.
fn first_param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

impl LoginRecord {
    /// The first initiation parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        first_param(&self.params, name)
    }
}

/// A request that reached the redirect URI (or the foreign address).
#[derive(Debug, Clone)]
pub struct Arrival {
    /// Sequence number, in arrival order.
    pub seq: u64,
    /// `GET` or `POST`.
    pub method: String,
    /// Form (POST) or query (GET) parameters.
    pub params: Vec<(String, String)>,
}

impl Arrival {
    /// The first parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        first_param(&self.params, name)
    }
}

/// Settings of the tool endpoints.
#[derive(Debug, Clone)]
pub struct EndpointSettings {
    /// The platform's issuer: initiations from another issuer are refused.
    pub issuer: String,
    /// Plugfest's client ID at the platform.
    pub client_id: String,
    /// The platform's OIDC authorization endpoint.
    pub auth_url: String,
    /// The public URL of the redirect URI.
    pub launch_url: String,
    /// Plugfest's tool key set (public keys).
    pub jwks: serde_json::Value,
}

/// What the tool endpoints received; shared with the steps.
#[derive(Debug)]
pub struct ToolInbox {
    settings: EndpointSettings,
    seed: Seed,
    counter: AtomicU64,
    logins: Mutex<Vec<LoginRecord>>,
    launches: Mutex<Vec<Arrival>>,
    foreign: Mutex<Vec<Arrival>>,
    arrived: tokio::sync::Notify,
}

impl ToolInbox {
    /// An empty inbox; states and nonces are drawn from `seed`.
    pub fn new(settings: EndpointSettings, seed: Seed) -> Arc<Self> {
        Arc::new(ToolInbox {
            settings,
            seed,
            counter: AtomicU64::new(0),
            logins: Mutex::default(),
            launches: Mutex::default(),
            foreign: Mutex::default(),
            arrived: tokio::sync::Notify::new(),
        })
    }

    /// The settings the endpoints were made with.
    pub fn settings(&self) -> &EndpointSettings {
        &self.settings
    }

    /// The login whose authentication request carried `state`.
    pub fn login_by_state(&self, state: &str) -> Option<LoginRecord> {
        lock(&self.logins)
            .iter()
            .rev()
            .find(|l| l.state == state)
            .cloned()
    }

    /// Launches received after sequence number `after`, in order.
    pub fn launches_after(&self, after: u64) -> Vec<Arrival> {
        lock(&self.launches)
            .iter()
            .filter(|a| a.seq > after)
            .cloned()
            .collect()
    }

    /// The sequence number of the latest arrival (0 when none).
    pub fn last_seq(&self) -> u64 {
        self.counter.load(Ordering::SeqCst)
    }

    /// Requests received at the foreign (never registered) address after `after`.
    pub fn foreign_after(&self, after: u64) -> Vec<Arrival> {
        lock(&self.foreign)
            .iter()
            .filter(|a| a.seq > after)
            .cloned()
            .collect()
    }

    /// Wait until something arrives at the redirect URI, `deadline` passes, or a quarter
    /// second goes by (callers poll, so an arrival between their check and this wait is seen).
    pub async fn wait(&self, deadline: tokio::time::Instant) {
        let soon = tokio::time::Instant::now() + std::time::Duration::from_millis(250);
        let _ = tokio::time::timeout_at(deadline.min(soon), self.arrived.notified()).await;
    }

    fn next(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn login(&self, method: &str, params: Vec<(String, String)>) -> Result<String, String> {
        let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let s = &self.settings;
        // Sec §5.1.1.1: the initiation names the issuer; Plugfest knows only one platform.
        match get("iss") {
            Some(iss) if iss == s.issuer => {}
            Some(iss) => return Err(format!("unknown issuer `{iss}`")),
            None => return Err("no iss parameter".into()),
        }
        let login_hint = get("login_hint").ok_or("no login_hint parameter")?;
        let n = self.next();
        let state = self
            .seed
            .derive("lti13-platform/login", &format!("state#{n}"));
        let nonce = self
            .seed
            .derive("lti13-platform/login", &format!("nonce#{n}"));
        let mut query = vec![
            ("scope".to_string(), "openid".to_string()),
            ("response_type".into(), "id_token".into()),
            ("client_id".into(), s.client_id.clone()),
            ("redirect_uri".into(), s.launch_url.clone()),
            ("login_hint".into(), login_hint),
            ("state".into(), state.clone()),
            ("response_mode".into(), "form_post".into()),
            ("nonce".into(), nonce.clone()),
            ("prompt".into(), "none".into()),
        ];
        if let Some(h) = get("lti_message_hint") {
            query.push(("lti_message_hint".into(), h));
        }
        let mut url = url::Url::parse(&s.auth_url).map_err(|e| format!("auth_url: {e}"))?;
        url.query_pairs_mut().extend_pairs(&query);
        let record = LoginRecord {
            method: method.to_string(),
            params,
            state,
            nonce,
            auth_request: url.to_string(),
        };
        push(&self.logins, record);
        Ok(url.to_string())
    }

    fn arrive(&self, foreign: bool, method: &str, params: Vec<(String, String)>) {
        let arrival = Arrival {
            seq: self.next(),
            method: method.to_string(),
            params,
        };
        push(
            if foreign {
                &self.foreign
            } else {
                &self.launches
            },
            arrival,
        );
        self.arrived.notify_waiters();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    let mut l = lock(list);
    if l.len() >= MAX_KEPT {
        l.remove(0);
    }
    l.push(item);
}

/// The parameters of a request: the query, plus a URL-encoded form body on POST.
fn params_of(
    method: &Method,
    query: Option<String>,
    headers: &HeaderMap,
    body: &[u8],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if method == Method::POST && is_form && body.len() <= MAX_BODY {
        out.extend(url::form_urlencoded::parse(body).into_owned());
    }
    out
}

/// The routes: login initiation (GET, POST), redirect URI, key set, foreign address.
pub fn router(inbox: Arc<ToolInbox>) -> Router {
    let (login, launch, foreign) = (inbox.clone(), inbox.clone(), inbox.clone());
    let jwks = inbox.settings.jwks.to_string();
    Router::new()
        .route(
            LOGIN_PATH,
            any(move |m: Method, RawQuery(q): RawQuery, h: HeaderMap, body: Bytes| {
                let inbox = login.clone();
                async move {
                    let params = params_of(&m, q, &h, &body);
                    match inbox.login(m.as_str(), params) {
                        Ok(location) => (
                            StatusCode::FOUND,
                            [(header::LOCATION, location), (header::CACHE_CONTROL, "no-store".into())],
                            String::new(),
                        )
                            .into_response(),
                        Err(why) => (
                            StatusCode::BAD_REQUEST,
                            format!("Plugfest (the tool) refused this login initiation: {why}"),
                        )
                            .into_response(),
                    }
                }
            }),
        )
        .route(
            LAUNCH_PATH,
            any(move |m: Method, RawQuery(q): RawQuery, h: HeaderMap, body: Bytes| {
                let inbox = launch.clone();
                async move {
                    inbox.arrive(false, m.as_str(), params_of(&m, q, &h, &body));
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        "<!doctype html><title>Plugfest</title><p>Plugfest received this launch; the conformance run judges it.</p>",
                    )
                }
            }),
        )
        .route(
            FOREIGN_PATH,
            any(move |m: Method, RawQuery(q): RawQuery, h: HeaderMap, body: Bytes| {
                let inbox = foreign.clone();
                async move {
                    inbox.arrive(true, m.as_str(), params_of(&m, q, &h, &body));
                    (StatusCode::NOT_FOUND, "not a registered redirect URI")
                }
            }),
        )
        .route(
            JWKS_PATH,
            any(move || {
                let body = jwks.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], body) }
            }),
        )
}
