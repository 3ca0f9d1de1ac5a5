//! The recording HTTP client: every request Plugfest sends, and its answer, becomes evidence.
//!
//! DESIGN §7: timeouts and a body cap on every request, no automatic retries, no redirects
//! followed (the caller decides, so each hop is evidence), an explicit proxy or none, and
//! secrets and personal data masked at capture.

use plugfest_core::{Exchange, Redactor};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a request got no HTTP answer (or the client could not be built).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// The client settings are unusable (bad CA bundle, bad proxy URL).
    #[error("HTTP client setup: {0}")]
    Setup(String),
    /// The URL is not a valid absolute http(s) URL.
    #[error("invalid URL `{url}`: {reason}")]
    Url {
        /// The URL as given.
        url: String,
        /// Why it is invalid.
        reason: String,
    },
    /// No answer in time.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// Connection refused, DNS, TLS, reset…
    #[error("transport error: {0}")]
    Transport(String),
}

/// Settings of a client, from `[client]` in the config.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Total time per request.
    pub timeout: Duration,
    /// Time to connect.
    pub connect_timeout: Duration,
    /// Largest body kept.
    pub max_body_bytes: usize,
    /// Extra trusted roots, PEM.
    pub ca_pem: Option<String>,
    /// Explicit proxy URL.
    pub proxy: Option<String>,
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request {
    /// What it is for, shown in the evidence.
    pub label: String,
    /// HTTP method.
    pub method: String,
    /// Absolute URL (query parameters may be added with [`Request::query`]).
    pub url: String,
    /// Query parameters appended to the URL.
    pub query: Vec<(String, String)>,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// `application/x-www-form-urlencoded` body.
    pub form: Option<Vec<(String, String)>>,
    /// Any other body: (Content-Type, bytes); ignored when `form` is set.
    pub body: Option<(String, Vec<u8>)>,
}

impl Request {
    /// A GET.
    pub fn get(label: &str, url: &str) -> Self {
        Request {
            label: label.to_string(),
            method: "GET".into(),
            url: url.to_string(),
            query: vec![],
            headers: vec![],
            form: None,
            body: None,
        }
    }

    /// A POST of a URL-encoded form.
    pub fn post_form(label: &str, url: &str, form: Vec<(String, String)>) -> Self {
        Request {
            method: "POST".into(),
            form: Some(form),
            ..Request::get(label, url)
        }
    }

    /// A POST of `body` with `content_type` (e.g. an XML document).
    pub fn post_body(label: &str, url: &str, content_type: &str, body: Vec<u8>) -> Self {
        Request {
            method: "POST".into(),
            body: Some((content_type.to_string(), body)),
            ..Request::get(label, url)
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Add query parameters.
    pub fn query(mut self, params: Vec<(String, String)>) -> Self {
        self.query.extend(params);
        self
    }
}

/// An HTTP answer, its body capped.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, in order, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body, at most the configured cap.
    pub body: Vec<u8>,
    /// True when the body was cut at the cap.
    pub truncated: bool,
}

impl Response {
    /// First value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What sending produced: the answer (or why there was none) and its evidence.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The response, or the transport error.
    pub result: Result<Response, ClientError>,
    /// The masked record of the exchange.
    pub exchange: Exchange,
}

/// One simulated user agent (its own cookie jar) or service client.
#[derive(Clone)]
pub struct RecordingClient {
    http: reqwest::Client,
    settings: ClientSettings,
    redactor: Arc<Redactor>,
}

impl std::fmt::Debug for RecordingClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordingClient { .. }")
    }
}

impl RecordingClient {
    /// Build a client with a fresh cookie jar.
    pub fn new(settings: &ClientSettings, redactor: Arc<Redactor>) -> Result<Self, ClientError> {
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .cookie_store(true)
            .referer(false)
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .user_agent(concat!("plugfest/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = &settings.ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| ClientError::Setup(format!("CA bundle: {e}")))?;
            if certs.is_empty() {
                return Err(ClientError::Setup("CA bundle holds no certificate".into()));
            }
            b = b.tls_certs_merge(certs);
        }
        b = match &settings.proxy {
            Some(p) => b.proxy(
                reqwest::Proxy::all(p).map_err(|e| ClientError::Setup(format!("proxy: {e}")))?,
            ),
            None => b.no_proxy(),
        };
        let http = b.build().map_err(|e| ClientError::Setup(error_chain(&e)))?;
        Ok(RecordingClient {
            http,
            settings: settings.clone(),
            redactor,
        })
    }

    /// A new client with the same settings and an empty cookie jar (a new browser).
    pub fn fresh(&self) -> Result<Self, ClientError> {
        RecordingClient::new(&self.settings, self.redactor.clone())
    }

    /// Send one request; never follows redirects, never retries.
    pub async fn send(&self, req: Request) -> Sent {
        let started = Instant::now();
        let url = match build_url(&req) {
            Ok(u) => u,
            Err(e) => return self.failed(&req, req.url.clone(), e, started),
        };
        let method =
            reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut rb = self.http.request(method, url.clone());
        let mut sent_headers = req.headers.clone();
        for (k, v) in &req.headers {
            rb = rb.header(k, v);
        }
        let body = match (&req.form, &req.body) {
            (Some(f), _) => Some((
                "application/x-www-form-urlencoded".to_string(),
                encode_form(f).into_bytes(),
            )),
            (None, b) => b.clone(),
        };
        if let Some((ct, bytes)) = &body {
            rb = rb.header("content-type", ct).body(bytes.clone());
            sent_headers.push(("content-type".into(), ct.clone()));
        }
        let body = body.map(|(_, b)| String::from_utf8_lossy(&b).into_owned());
        let result = match rb.send().await {
            Ok(resp) => self.read(resp).await,
            Err(e) => Err(classify(&e, self.settings.timeout)),
        };
        let exchange = self.record(
            &req,
            url.as_str(),
            &sent_headers,
            body.as_deref(),
            &result,
            started,
        );
        Sent { result, exchange }
    }

    async fn read(&self, mut resp: reqwest::Response) -> Result<Response, ClientError> {
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let cap = self.settings.max_body_bytes;
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    let room = cap - body.len();
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(classify(&e, self.settings.timeout)),
            }
        }
        Ok(Response {
            status,
            headers,
            body,
            truncated,
        })
    }

    fn failed(&self, req: &Request, url: String, e: ClientError, started: Instant) -> Sent {
        let result = Err(e);
        let exchange = self.record(req, &url, &req.headers, None, &result, started);
        Sent { result, exchange }
    }

    fn record(
        &self,
        req: &Request,
        url: &str,
        headers: &[(String, String)],
        body: Option<&str>,
        result: &Result<Response, ClientError>,
        started: Instant,
    ) -> Exchange {
        let r = &self.redactor;
        let mask_headers = |hs: &[(String, String)]| -> Vec<(String, String)> {
            hs.iter()
                .map(|(k, v)| {
                    let v = if is_credential_header(k) {
                        plugfest_core::redact::SECRET_MASK.to_string()
                    } else if is_cookie_header(k) {
                        mask_cookie_values(v)
                    } else {
                        r.text(v)
                    };
                    (k.clone(), v)
                })
                .collect()
        };
        let (status, response_headers, response_body, truncated, error) = match result {
            Ok(resp) => (
                Some(resp.status),
                mask_headers(&resp.headers),
                Some(r.text(&resp.text())),
                resp.truncated,
                None,
            ),
            Err(e) => (None, vec![], None, false, Some(r.text(&e.to_string()))),
        };
        Exchange {
            label: req.label.clone(),
            method: req.method.clone(),
            url: r.text(url),
            request_headers: mask_headers(headers),
            request_body: body.map(|b| r.text(b)),
            status,
            response_headers,
            response_body,
            truncated,
            error,
            duration_ms: started.elapsed().as_millis() as u64,
        }
    }
}

fn is_credential_header(name: &str) -> bool {
    ["authorization", "proxy-authorization"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
}

fn is_cookie_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("cookie") || name.eq_ignore_ascii_case("set-cookie")
}

/// Keep cookie names and attributes (they are evidence), drop the values (session secrets).
fn mask_cookie_values(header: &str) -> String {
    header
        .split(';')
        .enumerate()
        .map(|(i, part)| match part.split_once('=') {
            Some((name, _)) if i == 0 || !is_cookie_attribute(name) => {
                format!("{name}=«masked»")
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn is_cookie_attribute(name: &str) -> bool {
    [
        "path",
        "domain",
        "expires",
        "max-age",
        "samesite",
        "secure",
        "httponly",
        "partitioned",
    ]
    .contains(&name.trim().to_ascii_lowercase().as_str())
}

fn build_url(req: &Request) -> Result<url::Url, ClientError> {
    let mut url = url::Url::parse(&req.url).map_err(|e| ClientError::Url {
        url: req.url.clone(),
        reason: e.to_string(),
    })?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(ClientError::Url {
            url: req.url.clone(),
            reason: "only http and https URLs are used".into(),
        });
    }
    if !req.query.is_empty() {
        url.query_pairs_mut().extend_pairs(&req.query);
    }
    Ok(url)
}

/// `application/x-www-form-urlencoded` serialisation.
pub fn encode_form(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn classify(e: &reqwest::Error, timeout: Duration) -> ClientError {
    if e.is_timeout() {
        ClientError::Timeout(timeout)
    } else {
        ClientError::Transport(error_chain(e))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_values_are_masked_but_attributes_kept() {
        assert_eq!(
            mask_cookie_values("state=abc123; Path=/; Secure; SameSite=None"),
            "state=«masked»; Path=/; Secure; SameSite=None"
        );
        assert_eq!(mask_cookie_values("a=1; b=2"), "a=«masked»; b=«masked»");
    }

    #[test]
    fn only_http_urls_are_sent() {
        let req = Request::get("x", "file:///etc/passwd");
        assert!(matches!(build_url(&req), Err(ClientError::Url { .. })));
        let req =
            Request::get("x", "https://t.example/a?b=1").query(vec![("c".into(), "d e".into())]);
        assert_eq!(
            build_url(&req).unwrap().as_str(),
            "https://t.example/a?b=1&c=d+e"
        );
    }
}
