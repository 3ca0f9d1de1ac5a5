//! The reference LTI 1.3 **tool**: a conformant implementation of the OIDC launch flow of the
//! 1EdTech Security Framework 1.0 (§5.1) and the resource link launch of LTI Core 1.3 (§4.1,
//! §5.3), served over HTTPS, with the named faults of [`Lti13ToolFault`].
//!
//! Endpoints: `GET|POST /login` (third-party-initiated login), `POST /launch` (the registered
//! redirect_uri), `GET /resource` (the target link URI), `GET /.well-known/jwks.json` (the
//! tool's key set). [`start`] binds and spawns it; [`Running`] says where it is and stops it.

mod fault;
mod jwks;
mod jwt;
mod keys;
mod launch;
mod login;
mod params;
mod platform_keys;
mod refusal;
mod sessions;
mod signature;
mod validate;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use url::Url;

use crate::tls::{self, HttpsServer, TlsError};

pub use fault::Lti13ToolFault;

/// The largest request body accepted (a login form or an `id_token` post).
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The longest any request may take, body included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How to run the tool: where, with which certificate, registered with which platform.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on, e.g. `127.0.0.1:0` for any free port.
    pub bind: SocketAddr,
    /// Server certificate chain (PEM).
    pub cert_pem: String,
    /// Server private key (PEM).
    pub key_pem: String,
    /// An extra root certificate (PEM) to trust when fetching the platform's key set.
    pub ca_pem: Option<String>,
    /// The only issuer this tool is registered with.
    pub platform_issuer: String,
    /// The platform's key set URL (fetched on demand, cached, fetched again on an unknown kid).
    pub platform_jwks_url: String,
    /// The platform's OIDC authentication endpoint the login redirects to.
    pub platform_auth_url: String,
    /// This tool's client_id with the platform.
    pub client_id: String,
    /// This tool's deployment_id with the platform.
    pub deployment_id: String,
    /// Qualified fault names (`lti13-tool/…`) to run with.
    pub faults: Vec<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("key_pem", &"<redacted>")
            .field("ca_pem", &self.ca_pem.is_some())
            .field("platform_issuer", &self.platform_issuer)
            .field("platform_jwks_url", &self.platform_jwks_url)
            .field("platform_auth_url", &self.platform_auth_url)
            .field("client_id", &self.client_id)
            .field("deployment_id", &self.deployment_id)
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}

/// Why the tool could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A fault name that is not one of `lti13-tool`'s (unknown, or another role's).
    #[error("`{name}` is not a fault of lti13-tool (`plugfest reference faults` lists them)")]
    UnknownFault {
        /// The name as given.
        name: String,
    },
    /// A setting that cannot be used (an unparsable URL or CA certificate).
    #[error("lti13-tool settings: {0}")]
    Settings(String),
    /// The tool's own key could not be generated.
    #[error("lti13-tool key: {0}")]
    Key(String),
    /// The HTTPS server could not start.
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// A running tool: its URLs, and the server, which stops when this is dropped.
#[derive(Debug)]
pub struct Running {
    /// `https://127.0.0.1:PORT`.
    pub base_url: String,
    /// The third-party-initiated login URL (`{base_url}/login`).
    pub login_url: String,
    /// The registered redirect_uri (`{base_url}/launch`).
    pub launch_url: String,
    /// The resource a launch targets (`{base_url}/resource`).
    pub target_link_uri: String,
    /// The tool's key set URL (`{base_url}/.well-known/jwks.json`).
    pub jwks_url: String,
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

/// The tool's registration with its platform.
#[derive(Debug)]
pub(crate) struct Registration {
    pub issuer: String,
    pub client_id: String,
    pub deployment_id: String,
    pub auth_url: Url,
}

/// The tool's own URLs.
#[derive(Debug)]
pub(crate) struct ToolUrls {
    pub base: String,
    pub launch: String,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct ToolState {
    pub registration: Registration,
    pub urls: ToolUrls,
    pub sessions: sessions::Sessions,
    pub platform_keys: platform_keys::PlatformKeys,
    pub tool_key: keys::ToolKey,
    pub login_faults: login::LoginFaults,
    pub launch_faults: launch::LaunchFaults,
    pub signature_faults: signature::SignatureFaults,
    pub claim_faults: validate::ClaimFaults,
    pub jwks_faults: jwks::JwksFaults,
}

/// The tool's routes, body limit and request timeout.
pub(crate) fn router(state: Arc<ToolState>) -> Router {
    Router::new()
        .route("/login", get(login::login).post(login::login))
        .route("/launch", post(launch::launch))
        .route("/resource", get(jwks::resource))
        .route("/.well-known/jwks.json", get(jwks::jwks))
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
    let auth_url = Url::parse(&settings.platform_auth_url)
        .map_err(|e| StartError::Settings(format!("platform_auth_url: {e}")))?;
    Url::parse(&settings.platform_jwks_url)
        .map_err(|e| StartError::Settings(format!("platform_jwks_url: {e}")))?;
    tls::install_crypto_provider();
    let platform_keys = platform_keys::PlatformKeys::new(
        &settings.platform_jwks_url,
        settings.ca_pem.as_deref(),
        faults.has(Lti13ToolFault::JwksCachedForever),
    )
    .map_err(StartError::Settings)?;
    let keep_private = faults.has(Lti13ToolFault::JwksLeaksPrivateKey);
    let tool_key = tokio::task::spawn_blocking(move || keys::ToolKey::generate(keep_private))
        .await
        .map_err(|e| StartError::Key(e.to_string()))?
        .map_err(StartError::Key)?;
    let login_faults = login::LoginFaults::from_set(&faults).map_err(StartError::Key)?;

    let mut urls = None;
    let server = tls::serve_with(
        settings.bind,
        &settings.cert_pem,
        &settings.key_pem,
        |addr| {
            let base = base_url(addr);
            let state = ToolState {
                registration: Registration {
                    issuer: settings.platform_issuer.clone(),
                    client_id: settings.client_id.clone(),
                    deployment_id: settings.deployment_id.clone(),
                    auth_url,
                },
                urls: ToolUrls {
                    base: base.clone(),
                    launch: format!("{base}/launch"),
                },
                sessions: sessions::Sessions::default(),
                platform_keys,
                tool_key,
                login_faults,
                launch_faults: launch::LaunchFaults::from_set(&faults),
                signature_faults: signature::SignatureFaults::from_set(&faults),
                claim_faults: validate::ClaimFaults::from_set(&faults),
                jwks_faults: jwks::JwksFaults::from_set(&faults),
            };
            urls = Some(base);
            router(Arc::new(state))
        },
    )
    .await?;
    let base = urls.unwrap_or_else(|| base_url(server.local_addr()));
    Ok(Running {
        login_url: format!("{base}/login"),
        launch_url: format!("{base}/launch"),
        target_link_uri: format!("{base}/resource"),
        jwks_url: format!("{base}/.well-known/jwks.json"),
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
