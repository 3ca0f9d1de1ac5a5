//! The reference LTI 1.1 **tool provider**: a conformant basic launch endpoint (IG11 "Basic
//! Launch Data", secured by OAuth 1.0a as IG11 "LTI Security Model" and RFC 5849 §3.2 require)
//! and a Basic Outcomes client (IG11 §6.1), served over HTTPS, with the named faults of
//! [`Lti11ToolFault`].
//!
//! Endpoints: `POST /lti11/launch` (the launch URL), `POST /lti11/outcomes-hook` (a test hook
//! that makes the tool send a replaceResult, readResult or deleteResult request for a
//! `lis_result_sourcedid` a launch gave it). [`start`] binds and spawns it; [`Running`] says
//! where it is and stops it.

mod admission;
mod fault;
mod form;
mod launch;
mod message;
mod oauth;
mod outcomes;
mod page;
mod pox_request;
mod refusal;
mod roles;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::oauth1::NonceCache;
use crate::tls::{self, HttpsServer, TlsError};

pub use fault::Lti11ToolFault;

/// The largest request body accepted (a launch form or a hook call).
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The longest any request may take, body included (the hook's outcomes request has its own,
/// shorter, timeout).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The launch URL's path.
const LAUNCH_PATH: &str = "/lti11/launch";
/// The outcomes hook's path.
const HOOK_PATH: &str = "/lti11/outcomes-hook";

/// How to run the tool: where, with which certificate, for which consumer.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on, e.g. `127.0.0.1:0` for any free port.
    pub bind: SocketAddr,
    /// Server certificate chain (PEM).
    pub cert_pem: String,
    /// Server private key (PEM).
    pub key_pem: String,
    /// An extra root certificate (PEM) to trust when sending outcomes requests (e.g. the
    /// harness's HTTPS outcome service).
    pub ca_pem: Option<String>,
    /// The one OAuth consumer key launches may carry.
    pub consumer_key: String,
    /// The secret shared with that consumer.
    pub consumer_secret: String,
    /// Qualified fault names (`lti11-tool/…`) to run with.
    pub faults: Vec<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("key_pem", &"<redacted>")
            .field("ca_pem", &self.ca_pem.is_some())
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"<redacted>")
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}

/// Why the tool could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A fault name that is not one of `lti11-tool`'s (unknown, or another role's).
    #[error("`{name}` is not a fault of lti11-tool (`plugfest reference faults` lists them)")]
    UnknownFault {
        /// The name as given.
        name: String,
    },
    /// A setting that cannot be used (an empty consumer key or secret, an unreadable CA).
    #[error("lti11-tool settings: {0}")]
    Settings(String),
    /// The HTTPS server could not start.
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// A running tool: its URLs, and the server, which stops when this is dropped.
#[derive(Debug)]
pub struct Running {
    /// `https://127.0.0.1:PORT`.
    pub base_url: String,
    /// The launch URL (`{base_url}/lti11/launch`), the URL launches are signed for.
    pub launch_url: String,
    /// The outcomes test hook (`{base_url}/lti11/outcomes-hook`).
    pub hook_url: String,
    server: HttpsServer,
}

impl Running {
    /// The address the tool listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// Stop the tool: the port and its tasks are freed. (Dropping does the same.)
    pub fn shutdown(self) {
        self.server.shutdown();
    }
}

/// The tool's own URLs.
#[derive(Debug)]
pub(crate) struct ToolUrls {
    /// The public launch URL, the base string URI of every launch signature.
    pub launch: String,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct ToolState {
    pub urls: ToolUrls,
    pub consumer: oauth::Consumer,
    pub nonces: NonceCache,
    pub services: outcomes::Services,
    pub first_links: admission::FirstLinks,
    pub http: reqwest::Client,
    pub oauth_faults: oauth::OAuthFaults,
    pub message_faults: message::MessageFaults,
    pub admission_faults: admission::AdmissionFaults,
    pub refusal_faults: refusal::RefusalFaults,
    pub outcome_faults: outcomes::OutcomeFaults,
}

/// The tool's routes, body limit and request timeout.
pub(crate) fn router(state: Arc<ToolState>) -> Router {
    Router::new()
        .route(LAUNCH_PATH, post(launch::launch))
        .route(HOOK_PATH, post(outcomes::hook))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(time_limit))
        .with_state(state)
}

async fn time_limit(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "request took too long").into_response(),
    }
}

/// Start the tool on the current tokio runtime; returns once it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let faults = fault::FaultSet::parse(&settings.faults)
        .map_err(|name| StartError::UnknownFault { name })?;
    if settings.consumer_key.is_empty() || settings.consumer_secret.is_empty() {
        return Err(StartError::Settings(
            "consumer_key and consumer_secret must not be empty".into(),
        ));
    }
    tls::install_crypto_provider();
    let http = outcomes::client(settings.ca_pem.as_deref()).map_err(StartError::Settings)?;

    let mut base = None;
    let server = tls::serve_with(
        settings.bind,
        &settings.cert_pem,
        &settings.key_pem,
        |addr| {
            let url = base_url(addr);
            let state = ToolState {
                urls: ToolUrls {
                    launch: format!("{url}{LAUNCH_PATH}"),
                },
                consumer: oauth::Consumer {
                    key: settings.consumer_key.clone(),
                    secret: settings.consumer_secret.clone(),
                },
                nonces: NonceCache::new(),
                services: outcomes::Services::default(),
                first_links: admission::FirstLinks::default(),
                http,
                oauth_faults: oauth::OAuthFaults::from_set(&faults),
                message_faults: message::MessageFaults::from_set(&faults),
                admission_faults: admission::AdmissionFaults::from_set(&faults),
                refusal_faults: refusal::RefusalFaults::from_set(&faults),
                outcome_faults: outcomes::OutcomeFaults::from_set(&faults),
            };
            base = Some(url);
            router(Arc::new(state))
        },
    )
    .await?;
    let base = base.unwrap_or_else(|| base_url(server.local_addr()));
    Ok(Running {
        launch_url: format!("{base}{LAUNCH_PATH}"),
        hook_url: format!("{base}{HOOK_PATH}"),
        base_url: base,
        server,
    })
}

/// `https://IP:PORT`, naming loopback when listening on every address.
fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    format!("https://{}", SocketAddr::new(ip, addr.port()))
}
