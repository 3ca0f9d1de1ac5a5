//! Setting up the `lti13-platform` suite from `[roles.lti13-platform]`: Plugfest plays the tool
//! registered at the platform under test. It loads (or makes and saves) the tool key, serves
//! the tool endpoints on the callback server, and — in manual mode — says what to register and
//! where to click.

use crate::run::RunError;
use plugfest_core::config::Secret;
use plugfest_core::{Config, Evidence, Redactor, Seed};
use plugfest_lti::keys::SigningKey;
use plugfest_lti::lti13::as_tool::role::{LaunchKind, LaunchMode, PlatformRole};
use plugfest_lti::lti13::as_tool::server::{
    Arrival, EndpointSettings, FOREIGN_PATH, LoginRecord, ToolInbox,
};
use plugfest_lti::lti13::as_tool::user_agent::{Endpoints, Initiation};
use plugfest_lti::lti13::role::KeySource;
use plugfest_lti::lti13::tool_side;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// A launch the platform delivered to Plugfest's redirect URI.
#[derive(Debug, Clone)]
pub struct ObservedLaunch {
    /// The kind asked for.
    pub kind: LaunchKind,
    /// The id_token as received.
    pub id_token: String,
    /// Its JOSE header (unverified).
    pub header: serde_json::Value,
    /// Its claims (unverified; each check verifies what it needs).
    pub claims: serde_json::Value,
    /// The state the form post carried.
    pub state: Option<String>,
    /// The state Plugfest's login endpoint sent in this launch's authentication request (trigger
    /// mode; in manual mode the login is found by the state that came back).
    pub sent_state: Option<String>,
    /// How the launch reached the redirect URI (`POST` for a form post).
    pub method: String,
    /// The login Plugfest answered for this launch (matched by state), if any.
    pub login: Option<LoginRecord>,
    /// The initiation the user agent read from the trigger (trigger mode).
    pub initiation: Option<Initiation>,
    /// When it arrived, seconds since the epoch.
    pub received_at: i64,
    /// The exchanges and notes of getting it (masked).
    pub evidence: Vec<Evidence>,
}

/// The `lti13-platform` suite's settings and state, shared by its scenarios.
pub struct Lti13Platform {
    /// `[roles.lti13-platform]`.
    pub role: PlatformRole,
    /// Plugfest's tool key (signs client assertions and deep linking responses).
    pub tool_key: SigningKey,
    /// The header sent with trigger GETs, resolved.
    pub trigger_header: Option<(String, Secret)>,
    /// The flow's URLs.
    pub ends: Endpoints,
    /// Plugfest's tool key set URL.
    pub tool_jwks_url: String,
    /// A redirect address never registered with the platform.
    pub foreign_url: String,
    /// What the tool endpoints received.
    pub inbox: Arc<ToolInbox>,
    /// The one launch of each kind a run makes (index: [`LaunchKind::ALL`] order).
    pub launches: [tokio::sync::OnceCell<Result<ObservedLaunch, String>>; 6],
    /// Held while a trigger-mode flow runs, so the arrival after it is its own.
    pub launch_lock: tokio::sync::Mutex<()>,
    /// Arrivals already taken by a scenario (manual mode).
    pub claimed: Mutex<HashSet<u64>>,
    /// What a person must register and click (manual mode), for error messages.
    pub instructions: String,
}

impl std::fmt::Debug for Lti13Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lti13Platform { .. }")
    }
}

impl Lti13Platform {
    /// The cache cell of `kind`'s launch.
    pub fn cell(&self, kind: LaunchKind) -> &tokio::sync::OnceCell<Result<ObservedLaunch, String>> {
        let i = LaunchKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        &self.launches[i]
    }

    /// Take an unclaimed arrival (manual mode) for which `pick` holds.
    pub fn claim(&self, pick: impl Fn(&Arrival) -> bool) -> Option<Arrival> {
        let mut claimed = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        let found = self
            .inbox
            .launches_after(0)
            .into_iter()
            .find(|a| !claimed.contains(&a.seq) && pick(a))?;
        claimed.insert(found.seq);
        Some(found)
    }
}

/// `[roles.lti13-platform]`, typed and checked; its routes; notes for the report.
pub fn setup(
    config: &Config,
    redactor: &mut Redactor,
    seed: &Seed,
) -> Result<(Lti13Platform, axum::Router, Vec<String>), RunError> {
    let suite = "lti13-platform";
    let role: PlatformRole = config.role(suite)?;
    if let Some((key, problem)) = role.problems().into_iter().next() {
        return Err(config
            .error(&format!("roles.{suite}.{key}"), problem)
            .into());
    }
    let server = config.server.as_ref().ok_or_else(|| {
        config.error(
            "server",
            "the lti13-platform suite needs [server]: Plugfest's login URL, redirect URI and tool key set are served there",
        )
    })?;
    let base = server.public_base_url.trim_end_matches('/').to_string();
    let mut notes = Vec::new();
    let key_slot = format!("roles.{suite}.tool_key");
    let tool_key = match &role.tool_key {
        KeySource::Env { env } => {
            let pem = std::env::var(env).map_err(|_| {
                config.error(&key_slot, format!("environment variable {env} is not set"))
            })?;
            SigningKey::from_pem(&pem, &format!("${env}"))
                .map_err(|e| config.error(&key_slot, e.to_string()))?
        }
        KeySource::Path(p) => {
            let path = config.resolve_path(p);
            let (key, created) = SigningKey::load_or_create(&path)
                .map_err(|e| config.error(&key_slot, e.to_string()))?;
            if created {
                notes.push(format!(
                    "A new tool key was generated and saved to {}; register Plugfest's key set URL {base}{} (kid {}) with the platform.",
                    path.display(),
                    tool_side::JWKS_PATH,
                    key.kid()
                ));
            }
            key
        }
    };
    redactor.add_secret(tool_key.private_pem());
    let trigger_header = match &role.launch.header {
        Some(h) => {
            let v = h
                .value
                .resolve(config, &format!("roles.{suite}.launch.header.value"))?;
            redactor.add_secret(v.expose());
            Some((h.name.clone(), v))
        }
        None => None,
    };
    let ends = Endpoints {
        login_url: format!("{base}{}", tool_side::LOGIN_PATH),
        launch_url: format!("{base}{}", tool_side::LAUNCH_PATH),
        auth_url: role.auth_url.clone(),
    };
    let tool_jwks_url = format!("{base}{}", tool_side::JWKS_PATH);
    let inbox = ToolInbox::new(
        EndpointSettings {
            issuer: role.issuer.clone(),
            client_id: role.client_id.clone(),
            auth_url: role.auth_url.clone(),
            launch_url: ends.launch_url.clone(),
            jwks: plugfest_lti::keys::jwk_set(&[&tool_key]),
        },
        seed.clone(),
    );
    let router = plugfest_lti::lti13::as_tool::server::router(inbox.clone());
    let instructions = instructions(&role, &ends, &tool_jwks_url);
    if role.launch.mode == LaunchMode::Manual {
        eprintln!("{instructions}");
        notes.push(format!("Manual launch mode. {instructions}"));
    }
    if [&role.auth_url, &role.token_url, &role.jwks_url]
        .iter()
        .any(|u| u.starts_with("http:"))
    {
        notes.push("The platform was reached over plain HTTP on loopback.".into());
    }
    Ok((
        Lti13Platform {
            role,
            tool_key,
            trigger_header,
            ends,
            tool_jwks_url,
            foreign_url: format!("{base}{FOREIGN_PATH}"),
            inbox,
            launches: Default::default(),
            launch_lock: tokio::sync::Mutex::new(()),
            claimed: Mutex::default(),
            instructions,
        },
        router,
        notes,
    ))
}

/// What to register at the platform and where to click (manual mode; also the reason in an
/// `error` when a launch is not observed).
pub fn instructions(role: &PlatformRole, ends: &Endpoints, jwks: &str) -> String {
    let clicks: Vec<String> = LaunchKind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{}. {} ({})", i + 1, k.instruction(), k.name()))
        .collect();
    format!(
        "Register Plugfest as an LTI 1.3 tool at the platform: OIDC login initiation URL {}, redirect URI {}, tool key set URL {}, client ID {} and deployment ID {}. Then, within {} s of each request, launch Plugfest: {}.",
        ends.login_url,
        ends.launch_url,
        jwks,
        role.client_id,
        role.deployment_id,
        role.launch.timeout_secs,
        clicks.join("; ")
    )
}
