//! Setting up the OneRoster provider suites from the config: `[roles.oneroster12-provider]` (OAuth 2
//! client credentials) and `[roles.oneroster11-provider]` (OAuth 1.0a), typed by plugfest-roster.
//! The connection itself is made on first use, once the run's redactor is final.

use crate::context::RunContext;
use crate::run::RunError;
use plugfest_core::{Config, Redactor};
use plugfest_http::RecordingClient;
use plugfest_http::oauth1::SignatureMethod;
use plugfest_roster::integrity::Index;
use plugfest_roster::role::{Provider11Role, Provider12Role};
use plugfest_roster::{Credentials, RosterClient, Service, Settings, Version};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// What a service probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// The service answers.
    Offered,
    /// It answered 404 (or no token is granted for it): the reason.
    Absent(String),
    /// The probe could not decide.
    Unknown(String),
}

/// One OneRoster provider suite's settings and shared state.
pub struct OneRoster {
    /// Version spoken.
    pub version: Version,
    /// Connection settings (credentials resolved).
    pub settings: Settings,
    /// Services the product claims.
    pub claimed: Vec<Service>,
    /// Class under which gradebook writes may happen.
    pub sandbox_class: Option<String>,
    /// `limit` used when walking.
    pub page_size: u64,
    /// `--allow-writes`.
    pub allow_writes: bool,
    client: OnceLock<Arc<RosterClient>>,
    /// The integrity pass, made once per run by the first scenario that needs it.
    pub index: tokio::sync::OnceCell<Arc<Index>>,
    /// Service probes, made once per service.
    pub probes: tokio::sync::Mutex<HashMap<Service, (Offer, Vec<plugfest_core::Exchange>)>>,
}

impl std::fmt::Debug for OneRoster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OneRoster({})", self.version)
    }
}

/// Items walked per collection at most (a bound for very large districts).
pub const MAX_ITEMS: u64 = 5_000_000;

impl OneRoster {
    /// The connection, made on first use with the run's redactor and client settings.
    pub fn client(&self, ctx: &RunContext) -> Result<Arc<RosterClient>, String> {
        if let Some(c) = self.client.get() {
            return Ok(c.clone());
        }
        let http = RecordingClient::new(&ctx.client, ctx.redactor.clone())
            .map_err(|e| format!("HTTP client: {e}"))?;
        let c = Arc::new(RosterClient::new(http, self.settings.clone()));
        Ok(self.client.get_or_init(|| c).clone())
    }

    /// Whether the product claims `service`.
    pub fn claims(&self, service: Service) -> bool {
        self.claimed.contains(&service)
    }
}

fn services(config: &Config, suite: &str, names: &[String]) -> Result<Vec<Service>, RunError> {
    let mut out = Vec::new();
    for n in names {
        let s = Service::parse(n).ok_or_else(|| {
            config.error(
                &format!("roles.{suite}.services"),
                format!("unknown service `{n}`"),
            )
        })?;
        out.push(s);
    }
    if !out.contains(&Service::Rostering) {
        out.push(Service::Rostering);
    }
    Ok(out)
}

fn check(config: &Config, suite: &str, problems: Vec<(String, String)>) -> Result<(), RunError> {
    match problems.into_iter().next() {
        Some((key, problem)) => Err(config
            .error(&format!("roles.{suite}.{key}"), problem)
            .into()),
        None => Ok(()),
    }
}

fn note(base_url: &str, suite: &str) -> Vec<String> {
    if base_url.starts_with("http:") {
        vec![format!(
            "The {suite} provider was reached over plain HTTP; the Security Framework (§3) requires TLS outside loopback."
        )]
    } else {
        vec![]
    }
}

/// What the setup reads from either provider table.
trait ProviderTable: serde::de::DeserializeOwned {
    /// The suite whose role table this is.
    const SUITE: &'static str;
    /// The version the provider speaks.
    const VERSION: Version;
    /// The secret slot and its config key.
    fn secret(&self) -> (&plugfest_core::config::SecretSource, &'static str);
    /// The credentials, with the resolved secret.
    fn credentials(&self, secret: &str) -> Credentials;
    /// What is wrong with the table, as `(key, problem)`.
    fn problems(&self) -> Vec<(String, String)>;
    /// The root the service bases hang from.
    fn base_url(&self) -> &str;
    /// The services claimed, by name.
    fn services(&self) -> &[String];
    /// The class writes may touch.
    fn sandbox_class(&self) -> Option<String>;
    /// `limit` used when walking.
    fn page_size(&self) -> u64;
    /// Request rate bound and requests in flight at most.
    fn rate(&self) -> (f64, usize);
}

/// The accessors both tables have under the same field names.
macro_rules! shared_fields {
    () => {
        fn problems(&self) -> Vec<(String, String)> {
            Self::problems(self)
        }
        fn base_url(&self) -> &str {
            &self.base_url
        }
        fn services(&self) -> &[String] {
            &self.services
        }
        fn sandbox_class(&self) -> Option<String> {
            self.sandbox_class.clone()
        }
        fn page_size(&self) -> u64 {
            self.page_size
        }
        fn rate(&self) -> (f64, usize) {
            (self.max_requests_per_second, self.max_concurrency)
        }
    };
}

impl ProviderTable for Provider12Role {
    const SUITE: &'static str = "oneroster12-provider";
    const VERSION: Version = Version::V1p2;
    fn secret(&self) -> (&plugfest_core::config::SecretSource, &'static str) {
        (
            &self.client_secret,
            "roles.oneroster12-provider.client_secret",
        )
    }
    fn credentials(&self, secret: &str) -> Credentials {
        Credentials::OAuth2 {
            token_url: self.token_url.clone(),
            client_id: self.client_id.clone(),
            client_secret: secret.to_string(),
        }
    }
    shared_fields!();
}

impl ProviderTable for Provider11Role {
    const SUITE: &'static str = "oneroster11-provider";
    const VERSION: Version = Version::V1p1;
    fn secret(&self) -> (&plugfest_core::config::SecretSource, &'static str) {
        (
            &self.consumer_secret,
            "roles.oneroster11-provider.consumer_secret",
        )
    }
    fn credentials(&self, secret: &str) -> Credentials {
        Credentials::OAuth1 {
            consumer_key: self.consumer_key.clone(),
            consumer_secret: secret.to_string(),
            method: SignatureMethod::parse(&self.signature_method)
                .unwrap_or(SignatureMethod::HmacSha256),
        }
    }
    shared_fields!();
}

/// The role table of `R`, typed and checked, its secret registered with the redactor.
fn provider<R: ProviderTable>(
    config: &Config,
    redactor: &mut Redactor,
    keep_personal: bool,
    allow_writes: bool,
) -> Result<(OneRoster, Vec<String>), RunError> {
    let suite = R::SUITE;
    let role: R = config.role(suite)?;
    check(config, suite, ProviderTable::problems(&role))?;
    let (slot, key) = role.secret();
    let secret = slot.resolve(config, key)?;
    redactor.add_secret(secret.expose());
    let claimed = services(config, suite, role.services())?;
    let (max_requests_per_second, max_concurrency) = role.rate();
    Ok((
        OneRoster {
            version: R::VERSION,
            settings: Settings {
                root: role.base_url().to_string(),
                version: R::VERSION,
                credentials: role.credentials(secret.expose()),
                max_requests_per_second,
                max_concurrency,
                keep_personal,
            },
            claimed,
            sandbox_class: role.sandbox_class(),
            page_size: role.page_size(),
            allow_writes,
            client: OnceLock::new(),
            index: tokio::sync::OnceCell::new(),
            probes: tokio::sync::Mutex::new(HashMap::new()),
        },
        note(role.base_url(), suite),
    ))
}

/// `[roles.oneroster12-provider]`, typed and checked, its secret registered with the redactor.
pub fn provider12(
    config: &Config,
    redactor: &mut Redactor,
    keep_personal: bool,
    allow_writes: bool,
) -> Result<(OneRoster, Vec<String>), RunError> {
    provider::<Provider12Role>(config, redactor, keep_personal, allow_writes)
}

/// `[roles.oneroster11-provider]`, typed and checked, its secret registered with the redactor.
pub fn provider11(
    config: &Config,
    redactor: &mut Redactor,
    keep_personal: bool,
    allow_writes: bool,
) -> Result<(OneRoster, Vec<String>), RunError> {
    provider::<Provider11Role>(config, redactor, keep_personal, allow_writes)
}
