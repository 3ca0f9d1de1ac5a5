//! The reference LTI 1.3 **platform**: a conformant implementation, from the specifications,
//! of the platform side of the OIDC launch flow (Sec §5.1), resource link and deep linking
//! launches (Core §5, DL §4.4), the token endpoint for tools' client assertions (Sec §4.1.1,
//! Core §6.2), Assignment and Grade Services 2.0, Names and Role Provisioning Services 2.0 and
//! the deep linking return endpoint (DL §4.5), served over HTTPS, with the named faults of
//! [`Lti13PlatformFault`].
//!
//! Endpoints: `GET /lti13/jwks` (key set), `GET|POST /lti13/auth` (OIDC authorization),
//! `POST /lti13/token`, `GET /lti13/trigger?launch=KIND` (starts a launch as if a person
//! clicked, behind a bearer token), `POST /lti13/deep_links` (deep linking return), and per
//! context `/lti13/contexts/{id}/lineitems[/{n}[/scores|/results]]` and
//! `/lti13/contexts/{id}/memberships`. [`start`] binds and spawns it; [`Running`] says where it
//! is and stops it. Everything is kept in memory.

mod ags;
mod auth;
mod claims;
mod deep_linking;
mod fault;
mod http_util;
mod jwks;
mod nrps;
mod roster;
mod service_auth;
mod store;
mod token;
mod tool_jwt;
mod trigger;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::routing::{get, post};
use url::Url;

use crate::serve;
use crate::tls;

pub use fault::Lti13PlatformFault;

/// The largest request body accepted (a form, a JWT, a line item or a score).
const MAX_BODY_BYTES: usize = 64 * 1024;

serve::settings! {
    /// How to run the platform: where, with which certificate, and the one tool registered
    /// with it.
    "lti13-platform" {
        /// An extra root certificate (PEM) to trust when fetching the tool's key set.
        ca_pem: Option<String> => is_some,
        /// The client_id the platform issued to the tool.
        client_id: String,
        /// The tool's deployment id.
        deployment_id: String,
        /// The tool's third-party-initiated login URL (Sec §5.1.1.1).
        tool_login_url: String,
        /// The tool's registered redirect URIs (Sec §5.1.1: "one or multiple").
        tool_redirect_uris: Vec<String>,
        /// The tool's key set URL (Sec §6.3), for client assertions and deep linking responses.
        tool_jwks_url: String,
        /// The target link URI of the tool's resource link and deep linking placements.
        tool_target_link_uri: String,
        /// The bearer token a launch trigger request must carry.
        trigger_token: String => redacted,
    }
}

serve::start_error! {
    "lti13-platform", "platform",
    /// A setting that cannot be used (an unparsable URL or CA certificate).
    Settings,
    /// The platform's key could not be generated.
    Key => "key",
}

serve::running! {
    /// A running platform: its URLs, and the server, which stops when this is dropped.
    "platform" {
        /// The platform's issuer (`iss`): its base URL.
        issuer,
        /// The OIDC authorization endpoint (`{base_url}/lti13/auth`).
        auth_url,
        /// The OAuth 2 token endpoint (`{base_url}/lti13/token`).
        token_url,
        /// The key set URL (`{base_url}/lti13/jwks`).
        jwks_url,
        /// The launch trigger (`{base_url}/lti13/trigger`, with `?launch=KIND`).
        trigger_url,
        /// The id of the sandbox context, where launches start and writes are allowed.
        sandbox_context,
    }
}

/// The tool registered with the platform.
#[derive(Debug)]
pub(crate) struct ToolRegistration {
    pub client_id: String,
    pub deployment_id: String,
    pub login_url: Url,
    pub redirect_uris: Vec<String>,
    pub target_link_uri: String,
}

/// The platform's own URLs.
#[derive(Debug)]
pub(crate) struct PlatformUrls {
    /// The base URL, also the issuer.
    pub base: String,
    pub token: String,
    pub deep_link_return: String,
}

impl PlatformUrls {
    /// The line item container URL of a context (AGS §3.1 `lineitems`).
    pub(crate) fn lineitems(&self, context_id: &str) -> String {
        format!("{}/lti13/contexts/{context_id}/lineitems", self.base)
    }

    /// The URL (and id) of a line item (AGS §3.2.3).
    pub(crate) fn lineitem(&self, context_id: &str, number: u64) -> String {
        format!("{}/{number}", self.lineitems(context_id))
    }

    /// The membership container URL of a context (NRPS §3.6.1.1 `context_memberships_url`).
    pub(crate) fn memberships(&self, context_id: &str) -> String {
        format!("{}/lti13/contexts/{context_id}/memberships", self.base)
    }
}

/// Everything the handlers share.
pub(crate) struct PlatformState {
    pub urls: PlatformUrls,
    pub registration: ToolRegistration,
    pub trigger_token: String,
    pub key: crate::jose::RsaKey,
    pub tool_keys: tool_jwt::ToolKeys,
    pub faults: fault::FaultSet,
    store: Mutex<store::Store>,
}

impl std::fmt::Debug for PlatformState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformState")
            .field("urls", &self.urls)
            .field("registration", &self.registration)
            .finish_non_exhaustive()
    }
}

impl PlatformState {
    /// The issuer (`iss`) of the platform's messages.
    pub(crate) fn issuer(&self) -> &str {
        &self.urls.base
    }

    /// Whether the platform runs with `fault`.
    pub(crate) fn has(&self, fault: Lti13PlatformFault) -> bool {
        self.faults.has(fault)
    }

    /// The store (a panic elsewhere while it was held leaves it usable: every change to it is
    /// a single insert or removal).
    pub(crate) fn store(&self) -> MutexGuard<'_, store::Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The platform's routes, body limit and request timeout.
pub(crate) fn router(state: Arc<PlatformState>) -> Router {
    let item = "/lti13/contexts/{context}/lineitems/{item}";
    let routes = Router::new()
        .route("/lti13/jwks", get(jwks::jwks))
        .route("/lti13/auth", get(auth::authorize).post(auth::authorize))
        .route("/lti13/token", post(token::token))
        .route("/lti13/trigger", get(trigger::trigger))
        .route("/lti13/deep_links", post(deep_linking::deep_link_return))
        .route(
            "/lti13/contexts/{context}/lineitems",
            get(ags::list_line_items).post(ags::create_line_item),
        )
        .route(
            item,
            get(ags::read_line_item)
                .put(ags::update_line_item)
                .delete(ags::delete_line_item),
        )
        .route(&format!("{item}/scores"), post(ags::post_score))
        .route(&format!("{item}/results"), get(ags::read_results))
        .route(
            "/lti13/contexts/{context}/memberships",
            get(nrps::memberships),
        );
    serve::limited(routes, MAX_BODY_BYTES).with_state(state)
}

/// Start the platform on the current tokio runtime; returns once it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let faults: fault::FaultSet = settings.fault_set()?;
    let login_url = Url::parse(&settings.tool_login_url)
        .map_err(|e| StartError::Settings(format!("tool_login_url: {e}")))?;
    Url::parse(&settings.tool_jwks_url)
        .map_err(|e| StartError::Settings(format!("tool_jwks_url: {e}")))?;
    if settings.tool_redirect_uris.is_empty() {
        return Err(StartError::Settings("tool_redirect_uris is empty".into()));
    }
    if settings.trigger_token.len() < 16 {
        return Err(StartError::Settings(
            "trigger_token is shorter than 16 characters".into(),
        ));
    }
    tls::install_crypto_provider();
    let tool_keys = tool_jwt::ToolKeys::new(&settings.tool_jwks_url, settings.ca_pem.as_deref())
        .map_err(StartError::Settings)?;
    let key = tokio::task::spawn_blocking(crate::jose::RsaKey::generate)
        .await
        .map_err(|e| StartError::Key(e.to_string()))?
        .map_err(StartError::Key)?;

    let (server, base) = settings
        .serve(|base| {
            let state = PlatformState {
                urls: PlatformUrls {
                    base: base.to_owned(),
                    token: format!("{base}/lti13/token"),
                    deep_link_return: format!("{base}/lti13/deep_links"),
                },
                registration: ToolRegistration {
                    client_id: settings.client_id.clone(),
                    deployment_id: settings.deployment_id.clone(),
                    login_url,
                    redirect_uris: settings.tool_redirect_uris.clone(),
                    target_link_uri: settings.tool_target_link_uri.clone(),
                },
                trigger_token: settings.trigger_token.clone(),
                key,
                tool_keys,
                faults,
                store: Mutex::new(store::Store::new()),
            };
            router(Arc::new(state))
        })
        .await?;
    Ok(Running {
        issuer: base.clone(),
        auth_url: format!("{base}/lti13/auth"),
        token_url: format!("{base}/lti13/token"),
        jwks_url: format!("{base}/lti13/jwks"),
        trigger_url: format!("{base}/lti13/trigger"),
        sandbox_context: roster::SANDBOX.id.to_owned(),
        base_url: base,
        server,
    })
}
