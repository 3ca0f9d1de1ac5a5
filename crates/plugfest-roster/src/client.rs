//! The OneRoster request path: URL building per version, authentication (OAuth 2 client
//! credentials with HTTP Basic, one cached token per scope set, for 1.2; OAuth 1.0a signing of
//! every request for 1.1), a bound on request rate and concurrency, and masking of student data
//! in every recorded exchange. Every request goes through plugfest-http's [`RecordingClient`].

use crate::mask;
use crate::version::{Service, Version, scope};
use base64::Engine as _;
use plugfest_core::Exchange;
use plugfest_http::oauth1::{self, OAuthParams, SignatureMethod};
use plugfest_http::{RecordingClient, Request};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// RFC 3986 unreserved-only percent-encoding (a space is `%20`, never `+`).
pub fn encode(s: &str) -> String {
    oauth1::encode(s)
}

/// How Plugfest authenticates to the provider.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// 1.2: OAuth 2 client credentials, HTTP Basic client authentication.
    OAuth2 {
        /// Token endpoint.
        token_url: String,
        /// Client id.
        client_id: String,
        /// Client secret.
        client_secret: String,
    },
    /// 1.1: OAuth 1.0a request signing.
    OAuth1 {
        /// Consumer key.
        consumer_key: String,
        /// Consumer secret.
        consumer_secret: String,
        /// Signature method.
        method: SignatureMethod,
    },
}

/// Settings of one provider connection.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The root the service bases hang from (`https://host/ims/oneroster`).
    pub root: String,
    /// Version spoken.
    pub version: Version,
    /// Credentials.
    pub credentials: Credentials,
    /// Requests per second at most.
    pub max_requests_per_second: f64,
    /// Requests in flight at most.
    pub max_concurrency: usize,
    /// `--evidence full`: keep student data in evidence.
    pub keep_personal: bool,
}

/// A deliberate defect of an OAuth 1.0a signature (1.1 authentication checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Oauth1Defect {
    /// Signed with a wrong secret.
    WrongSignature,
    /// Timestamp an hour old.
    StaleTimestamp,
    /// A fixed nonce and timestamp (sent twice for a replay).
    FixedNonce(String, u64),
}

/// How one request authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// The service's full read (and write) scopes, or a correct signature.
    Default,
    /// A token for exactly these scopes (1.2).
    Scopes(Vec<&'static str>),
    /// No credentials at all.
    None,
    /// This bearer token (e.g. an invalid one).
    Bearer(String),
    /// A defective OAuth 1.0a signature (1.1).
    Oauth1(Oauth1Defect),
}

/// One request to the provider.
#[derive(Debug, Clone)]
pub struct Call {
    /// What it is for (evidence label).
    pub label: String,
    /// HTTP method.
    pub method: &'static str,
    /// Service whose base the path hangs from.
    pub service: Service,
    /// Path below the service base (`users`, `classes/x/students`).
    pub path: String,
    /// Query parameters (encoded here, spaces as `%20`).
    pub query: Vec<(String, String)>,
    /// JSON body (PUT).
    pub body: Option<Value>,
    /// Authentication.
    pub auth: Auth,
}

impl Call {
    /// A GET of `path` on `service` with default authentication.
    pub fn get(label: &str, service: Service, path: &str) -> Call {
        Call {
            label: label.to_string(),
            method: "GET",
            service,
            path: path.to_string(),
            query: Vec::new(),
            body: None,
            auth: Auth::Default,
        }
    }

    /// Add a query parameter.
    pub fn q(mut self, name: &str, value: impl Into<String>) -> Call {
        self.query.push((name.to_string(), value.into()));
        self
    }

    /// Use `auth`.
    pub fn auth(mut self, auth: Auth) -> Call {
        self.auth = auth;
        self
    }
}

/// The provider's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// The body parsed as JSON, when it is.
    pub json: Option<Value>,
    /// Body length in bytes.
    pub body_len: usize,
    /// The body was cut at the size cap.
    pub truncated: bool,
    /// The recorded exchange (masked).
    pub exchange: Exchange,
}

impl Answer {
    /// First header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of header `name`, joined with `, ` (RFC 9110 §5.3).
    pub fn header_joined(&self, name: &str) -> Option<String> {
        let v: Vec<&str> = self
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!v.is_empty()).then(|| v.join(", "))
    }

    /// The `Content-Type` is JSON (`application/json`, parameters allowed).
    pub fn is_json_type(&self) -> bool {
        self.header("content-type").is_some_and(|c| {
            c.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        })
    }
}

/// A request that got no HTTP answer.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Why.
    pub message: String,
    /// The recorded attempt.
    pub exchange: Exchange,
}

/// The token endpoint's answer to one request.
#[derive(Debug, Clone)]
pub struct TokenAnswer {
    /// HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The body as JSON (access_token masked in the exchange, kept here).
    pub json: Option<Value>,
    /// The recorded exchange.
    pub exchange: Exchange,
}

impl TokenAnswer {
    /// The access token, when the answer is a success with one.
    pub fn access_token(&self) -> Option<String> {
        if self.status != Some(200) {
            return None;
        }
        self.json
            .as_ref()?
            .get("access_token")?
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    }
}

struct Limiter {
    slots: Semaphore,
    next: Mutex<Instant>,
    interval: Duration,
}

impl Limiter {
    async fn acquire(&self) -> tokio::sync::SemaphorePermit<'_> {
        let permit = self.slots.acquire().await.expect("semaphore never closed");
        let at = {
            let mut next = self.next.lock().expect("limiter lock");
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
        permit
    }
}

/// A connection to one provider.
pub struct RosterClient {
    http: RecordingClient,
    settings: Settings,
    limiter: Limiter,
    tokens: tokio::sync::Mutex<HashMap<String, Result<String, String>>>,
    /// Exchanges of token requests made for cached tokens (shown by the first scenario using one).
    token_log: Mutex<Vec<Exchange>>,
}

impl std::fmt::Debug for RosterClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RosterClient { .. }")
    }
}

/// The scopes of a full-access token for `service` (1.2): every read scope the OpenAPI lists for
/// its operations (core and full), so that a provider reading an operation's scope list as AND
/// (the OpenAPI's literal meaning) or as OR serves it.
pub fn default_scopes(service: Service) -> Vec<&'static str> {
    match service {
        Service::Rostering => vec![scope::ROSTER_CORE, scope::ROSTER],
        Service::Demographics => vec![scope::DEMOGRAPHICS],
        Service::Gradebook => vec![
            scope::GRADEBOOK_READ,
            scope::GRADEBOOK_CORE,
            scope::GRADEBOOK_PUT,
            scope::GRADEBOOK_DELETE,
        ],
        Service::Resources => vec![scope::RESOURCE, scope::RESOURCE_CORE],
    }
}

impl RosterClient {
    /// A connection over `http` (its redactor masks secrets; this client masks student data).
    pub fn new(http: RecordingClient, settings: Settings) -> RosterClient {
        let rps = settings.max_requests_per_second.max(0.1);
        RosterClient {
            http,
            limiter: Limiter {
                slots: Semaphore::new(settings.max_concurrency.max(1)),
                next: Mutex::new(Instant::now()),
                interval: Duration::from_secs_f64(1.0 / rps),
            },
            settings,
            tokens: tokio::sync::Mutex::new(HashMap::new()),
            token_log: Mutex::new(Vec::new()),
        }
    }

    /// The version spoken.
    pub fn version(&self) -> Version {
        self.settings.version
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The absolute URL of `path` on `service`, without query.
    pub fn url(&self, service: Service, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.settings.root.trim_end_matches('/'),
            self.settings.version.service_base(service),
            path.trim_start_matches('/')
        )
    }

    /// `url` with `query` appended, RFC 3986-encoded.
    pub fn with_query(url: &str, query: &[(String, String)]) -> String {
        if query.is_empty() {
            return url.to_string();
        }
        let q: Vec<String> = query
            .iter()
            .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
            .collect();
        format!("{url}?{}", q.join("&"))
    }

    /// Request a token for `scopes` from the token endpoint (1.2), uncached; `secret` overrides
    /// the configured client secret (a wrong one, for the refusal check).
    pub async fn request_token(&self, scopes: &[&str], secret: Option<&str>) -> TokenAnswer {
        let Credentials::OAuth2 {
            token_url,
            client_id,
            client_secret,
        } = &self.settings.credentials
        else {
            unreachable!("request_token is only called for OAuth 2 (1.2) providers")
        };
        let form_enc =
            |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            form_enc(client_id),
            form_enc(secret.unwrap_or(client_secret))
        ));
        let req = Request::post_form(
            "OAuth 2 token request (client credentials)",
            token_url,
            vec![
                ("grant_type".into(), "client_credentials".into()),
                ("scope".into(), scopes.join(" ")),
            ],
        )
        .header("authorization", &format!("Basic {basic}"))
        .header("accept", "application/json");
        let _permit = self.limiter.acquire().await;
        let sent = self.http.send(req).await;
        let mut exchange = sent.exchange;
        let (status, json) = match &sent.result {
            Ok(r) => (
                Some(r.status),
                serde_json::from_slice::<Value>(&r.body).ok(),
            ),
            Err(_) => (None, None),
        };
        if let Some(j) = &json {
            let mut shown = j.clone();
            if let Some(t) = shown.get_mut("access_token") {
                *t = Value::String(plugfest_core::redact::SECRET_MASK.into());
            }
            exchange.response_body = serde_json::to_string(&shown).ok();
        }
        TokenAnswer {
            status,
            json,
            exchange,
        }
    }

    /// A cached token for `scopes` (one token per scope set).
    pub async fn bearer(&self, scopes: &[&'static str]) -> Result<String, String> {
        let key = scopes.join(" ");
        let mut cache = self.tokens.lock().await;
        if let Some(t) = cache.get(&key) {
            return t.clone();
        }
        let answer = self.request_token(scopes, None).await;
        let result = answer.access_token().ok_or_else(|| {
            format!(
                "the token endpoint gave no access token for scopes `{key}` ({})",
                match answer.status {
                    Some(s) => format!("HTTP {s}"),
                    None => answer
                        .exchange
                        .error
                        .clone()
                        .unwrap_or_else(|| "no answer".into()),
                }
            )
        });
        self.token_log
            .lock()
            .expect("token log")
            .push(answer.exchange);
        cache.insert(key, result.clone());
        result
    }

    /// Exchanges of token requests made since the last call (so they reach some evidence).
    pub fn take_token_log(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.token_log.lock().expect("token log"))
    }

    /// Send one call; `Err` only when no HTTP answer came (or credentials could not be had).
    pub async fn send(&self, call: &Call) -> Result<Answer, Failure> {
        let url = Self::with_query(&self.url(call.service, &call.path), &call.query);
        self.send_url(call, &url).await
    }

    /// Send `call` to an absolute `url` (a Link target, an href); its query is kept as given.
    pub async fn send_url(&self, call: &Call, url: &str) -> Result<Answer, Failure> {
        let body = call
            .body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap_or_default());
        let mut req = Request::get(&call.label, url).header("accept", "application/json");
        req.method = call.method.to_string();
        if let Some(b) = &body {
            req.body = Some(("application/json".into(), b.clone()));
        }
        match self.authorization(call, url, body.as_deref()).await {
            Ok(Some(h)) => req = req.header("authorization", &h),
            Ok(None) => {}
            Err(message) => {
                return Err(Failure {
                    exchange: Exchange {
                        label: call.label.clone(),
                        method: call.method.to_string(),
                        url: mask::url(url),
                        request_headers: vec![],
                        request_body: None,
                        status: None,
                        response_headers: vec![],
                        response_body: None,
                        truncated: false,
                        error: Some(message.clone()),
                        duration_ms: 0,
                    },
                    message,
                });
            }
        }
        let _permit = self.limiter.acquire().await;
        let sent = self.http.send(req).await;
        let mut exchange = sent.exchange;
        mask::exchange(&mut exchange, self.settings.keep_personal);
        match sent.result {
            Ok(r) => Ok(Answer {
                status: r.status,
                json: serde_json::from_slice(&r.body).ok(),
                body_len: r.body.len(),
                truncated: r.truncated,
                headers: r.headers,
                exchange,
            }),
            Err(e) => Err(Failure {
                message: e.to_string(),
                exchange,
            }),
        }
    }

    async fn authorization(
        &self,
        call: &Call,
        url: &str,
        body: Option<&[u8]>,
    ) -> Result<Option<String>, String> {
        match (&self.settings.credentials, &call.auth) {
            (_, Auth::None) => Ok(None),
            (_, Auth::Bearer(t)) => Ok(Some(format!("Bearer {t}"))),
            (Credentials::OAuth2 { .. }, Auth::Default) => self
                .bearer(&default_scopes(call.service))
                .await
                .map(|t| Some(format!("Bearer {t}"))),
            (Credentials::OAuth2 { .. }, Auth::Scopes(s)) => {
                self.bearer(s).await.map(|t| Some(format!("Bearer {t}")))
            }
            (Credentials::OAuth2 { .. }, Auth::Oauth1(_)) => {
                Err("internal: an OAuth 1.0a defect asked of a 1.2 (OAuth 2) provider".into())
            }
            (
                Credentials::OAuth1 {
                    consumer_key,
                    consumer_secret,
                    method,
                },
                auth,
            ) => {
                let mut params = OAuthParams::fresh(consumer_key, *method);
                let mut secret = consumer_secret.clone();
                match auth {
                    Auth::Oauth1(Oauth1Defect::WrongSignature) => {
                        secret.push_str("-not-the-secret");
                    }
                    Auth::Oauth1(Oauth1Defect::StaleTimestamp) => {
                        params.timestamp = params.timestamp.saturating_sub(3600);
                    }
                    Auth::Oauth1(Oauth1Defect::FixedNonce(n, ts)) => {
                        params.nonce = n.clone();
                        params.timestamp = *ts;
                    }
                    _ => {}
                }
                if let Some(b) = body {
                    params.body_hash = Some(oauth1::body_hash(*method, b));
                }
                oauth1::authorization_header(call.method, url, &params, &secret, &[])
                    .map(Some)
                    .map_err(|e| format!("signing the request: {e}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_keep_spaces_as_percent_20() {
        let u = RosterClient::with_query(
            "https://h/ims/oneroster/v1p1/users",
            &[("filter".into(), "givenName='Colin Robert'".into())],
        );
        assert_eq!(
            u,
            "https://h/ims/oneroster/v1p1/users?filter=givenName%3D%27Colin%20Robert%27"
        );
        // The OAuth 1.0a base string carries the space as %2520 (RFC 5849 §3.4.1.3.2).
        let base = oauth1::signature_base_string("GET", &u, &[]).unwrap();
        assert!(base.contains("Colin%2520Robert"), "{base}");
    }
}
