//! The reference LTI 1.3 **tool**: a conformant implementation of the OIDC launch flow of the
//! 1EdTech Security Framework 1.0 (§5.1) and the resource link launch of LTI Core 1.3 (§4.1,
//! §5.3), served over HTTPS, with the named faults of [`Lti13ToolFault`].
//!
//! Endpoints: `GET|POST /login` (third-party-initiated login), `POST /launch` (the registered
//! redirect_uri; a deep linking request is answered with a signed deep linking response, DL
//! §2.3), `GET /resource` (the target link URI), `GET /deep-link` (the deep linking target link
//! URI), `GET /.well-known/jwks.json` (the tool's key set) and `POST /advantage-hook` (a test
//! hook that makes the tool call the AGS and NRPS services of a launch). [`start`] binds and
//! spawns it; [`Running`] says where it is and stops it.

mod advantage;
mod deep_link;
mod fault;
mod jwks;
mod launch;
mod login;
mod params;
mod platform_keys;
mod refusal;
mod sessions;
mod signature;
mod validate;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use url::Url;

use crate::serve;
use crate::tls;

pub use fault::Lti13ToolFault;

/// The largest request body accepted (a login form or an `id_token` post).
const MAX_BODY_BYTES: usize = 64 * 1024;

serve::settings! {
    /// How to run the tool: where, with which certificate, registered with which platform.
    "lti13-tool" {
        /// An extra root certificate (PEM) to trust when fetching the platform's key set.
        ca_pem: Option<String> => is_some,
        /// The only issuer this tool is registered with.
        platform_issuer: String,
        /// The platform's key set URL (fetched on demand, cached, fetched again on an unknown
        /// kid).
        platform_jwks_url: String,
        /// The platform's OIDC authentication endpoint the login redirects to.
        platform_auth_url: String,
        /// This tool's client_id with the platform.
        client_id: String,
        /// This tool's deployment_id with the platform.
        deployment_id: String,
        /// The platform's OAuth 2 token endpoint for its services (none: the advantage hook
        /// answers 501).
        platform_token_url: Option<String> => is_some,
    }
}

serve::start_error! {
    "lti13-tool", "tool",
    /// A setting that cannot be used (an unparsable URL or CA certificate).
    Settings,
    /// The tool's own key could not be generated.
    Key => "key",
}

serve::running! {
    /// A running tool: its URLs, and the server, which stops when this is dropped.
    "tool" {
        /// The third-party-initiated login URL (`{base_url}/login`).
        login_url,
        /// The registered redirect_uri (`{base_url}/launch`).
        launch_url,
        /// The resource a launch targets (`{base_url}/resource`).
        target_link_uri,
        /// The tool's key set URL (`{base_url}/.well-known/jwks.json`).
        jwks_url,
        /// The target link URI of deep linking requests (`{base_url}/deep-link`).
        deep_linking_url,
        /// The test hook that makes the tool call its services (`{base_url}/advantage-hook`).
        advantage_hook_url,
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
    pub tool_key: crate::jose::RsaKey,
    pub login_faults: login::LoginFaults,
    pub launch_faults: launch::LaunchFaults,
    pub signature_faults: signature::SignatureFaults,
    pub claim_faults: validate::ClaimFaults,
    pub jwks_faults: jwks::JwksFaults,
    pub deep_link_faults: deep_link::DeepLinkFaults,
    pub advantage_faults: advantage::AdvantageFaults,
    /// The platform's token endpoint.
    pub token_url: Option<String>,
    /// The client the advantage hook calls the platform's services with.
    pub service_client: reqwest::Client,
    /// The launches that carried service claims.
    pub service_launches: advantage::ServiceLaunches,
}

/// The tool's routes, body limit and request timeout.
pub(crate) fn router(state: Arc<ToolState>) -> Router {
    let routes = Router::new()
        .route("/login", get(login::login).post(login::login))
        .route("/launch", post(launch::launch))
        .route("/resource", get(jwks::resource))
        .route("/deep-link", get(jwks::resource))
        .route("/advantage-hook", post(advantage::hook))
        .route("/.well-known/jwks.json", get(jwks::jwks));
    serve::limited(routes, MAX_BODY_BYTES).with_state(state)
}

/// Start the tool on the current tokio runtime; returns once it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let faults: fault::FaultSet = settings.fault_set()?;
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
    let tool_key = tokio::task::spawn_blocking(crate::jose::RsaKey::generate)
        .await
        .map_err(|e| StartError::Key(e.to_string()))?
        .map_err(StartError::Key)?;
    let login_faults = login::LoginFaults::from_set(&faults).map_err(StartError::Key)?;
    let service_client =
        advantage::client(settings.ca_pem.as_deref()).map_err(StartError::Settings)?;

    let (server, base) = settings
        .serve(|base| {
            let state = ToolState {
                registration: Registration {
                    issuer: settings.platform_issuer.clone(),
                    client_id: settings.client_id.clone(),
                    deployment_id: settings.deployment_id.clone(),
                    auth_url,
                },
                urls: ToolUrls {
                    base: base.to_owned(),
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
                deep_link_faults: deep_link::DeepLinkFaults::from_set(&faults),
                advantage_faults: advantage::AdvantageFaults::from_set(&faults),
                token_url: settings.platform_token_url.clone(),
                service_client,
                service_launches: advantage::ServiceLaunches::default(),
            };
            router(Arc::new(state))
        })
        .await?;
    Ok(Running {
        login_url: format!("{base}/login"),
        launch_url: format!("{base}/launch"),
        target_link_uri: format!("{base}/resource"),
        jwks_url: format!("{base}/.well-known/jwks.json"),
        deep_linking_url: format!("{base}/deep-link"),
        advantage_hook_url: format!("{base}/advantage-hook"),
        base_url: base,
        server,
    })
}
