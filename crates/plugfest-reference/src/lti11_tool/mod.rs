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

use std::sync::Arc;

use axum::Router;
use axum::routing::post;

use crate::oauth1::NonceCache;
use crate::serve;
use crate::tls;

pub use fault::Lti11ToolFault;

/// The largest request body accepted (a launch form or a hook call). (Every request also has
/// the shared time limit; the hook's outcomes request has its own, shorter, timeout.)
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The launch URL's path.
const LAUNCH_PATH: &str = "/lti11/launch";
/// The outcomes hook's path.
const HOOK_PATH: &str = "/lti11/outcomes-hook";

serve::settings! {
    /// How to run the tool: where, with which certificate, for which consumer.
    "lti11-tool" {
        /// An extra root certificate (PEM) to trust when sending outcomes requests (e.g. the
        /// harness's HTTPS outcome service).
        ca_pem: Option<String> => is_some,
        /// The one OAuth consumer key launches may carry.
        consumer_key: String,
        /// The secret shared with that consumer.
        consumer_secret: String => redacted,
    }
}

serve::start_error! {
    "lti11-tool", "tool",
    /// A setting that cannot be used (an empty consumer key or secret, an unreadable CA).
    Settings,
}

serve::running! {
    /// A running tool: its URLs, and the server, which stops when this is dropped.
    "tool" {
        /// The launch URL (`{base_url}/lti11/launch`), the URL launches are signed for.
        launch_url,
        /// The outcomes test hook (`{base_url}/lti11/outcomes-hook`).
        hook_url,
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
    let routes = Router::new()
        .route(LAUNCH_PATH, post(launch::launch))
        .route(HOOK_PATH, post(outcomes::hook));
    serve::limited(routes, MAX_BODY_BYTES).with_state(state)
}

/// Start the tool on the current tokio runtime; returns once it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let faults: fault::FaultSet = settings.fault_set()?;
    if settings.consumer_key.is_empty() || settings.consumer_secret.is_empty() {
        return Err(StartError::Settings(
            "consumer_key and consumer_secret must not be empty".into(),
        ));
    }
    tls::install_crypto_provider();
    let http = outcomes::client(settings.ca_pem.as_deref()).map_err(StartError::Settings)?;

    let (server, base) = settings
        .serve(|base| {
            let state = ToolState {
                urls: ToolUrls {
                    launch: format!("{base}{LAUNCH_PATH}"),
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
            router(Arc::new(state))
        })
        .await?;
    Ok(Running {
        launch_url: format!("{base}{LAUNCH_PATH}"),
        hook_url: format!("{base}{HOOK_PATH}"),
        base_url: base,
        server,
    })
}
