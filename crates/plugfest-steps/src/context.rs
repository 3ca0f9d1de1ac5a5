//! What every scenario of a run shares: per-suite settings typed from the config, keys, the
//! redactor, the seed, the calibration gate, and the sink scenario reports go to.

use crate::world::ScenarioReport;
use plugfest_core::{Evidence, Redactor, Seed};
use plugfest_http::client::ClientSettings;
use plugfest_lti::keys::SigningKey;
use plugfest_lti::lti13::launch::LaunchAnswer;
use plugfest_lti::lti13::refusal::CompiledRule;
use plugfest_lti::lti13::role::ToolRole;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Shared by every scenario of one run.
pub struct RunContext {
    /// Masks secrets and personal data at capture.
    pub redactor: Arc<Redactor>,
    /// Client settings from `[client]`.
    pub client: ClientSettings,
    /// The run's seed.
    pub seed: Seed,
    /// The `lti13-tool` suite, when it runs.
    pub lti13_tool: Option<Lti13Tool>,
    /// The `lti11-tool` suite, when it runs.
    pub lti11_tool: Option<Lti11Tool>,
    /// The `lti11-consumer` suite, when it runs.
    pub lti11_consumer: Option<Lti11Consumer>,
    /// Official XML schemas, or why they cannot be used (XSD checks are then not assessed).
    pub xsd: Result<Arc<plugfest_packages::XsdPool>, String>,
    /// The package export and import suites, when they run.
    pub packages: Option<crate::setup_packages::Packages>,
    /// `--allow-writes`: checks that write may run, in the configured sandboxes.
    pub allow_writes: bool,
    /// The `oneroster12-provider` suite, when it runs.
    pub oneroster12: Option<crate::setup_oneroster::OneRoster>,
    /// The `oneroster11-provider` suite, when it runs.
    pub oneroster11: Option<crate::setup_oneroster::OneRoster>,
    /// The `lti13-platform` suite, when it runs (Plugfest plays the tool).
    pub lti13_platform: Option<crate::setup_lti13_platform::Lti13Platform>,
    /// Scenario reports, by scenario key (`path:line`).
    pub reports: Mutex<BTreeMap<String, ScenarioReport>>,
}

impl std::fmt::Debug for RunContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RunContext { .. }")
    }
}

/// The `lti13-tool` suite's settings: Plugfest plays the platform.
pub struct Lti13Tool {
    /// `[roles.lti13-tool]`.
    pub role: ToolRole,
    /// The refusal rule, compiled.
    pub rule: CompiledRule,
    /// Origins whose redirects are followed after a launch.
    pub origins: Vec<String>,
    /// The platform signing key.
    pub key: SigningKey,
    /// The platform authentication endpoint (on the callback server).
    pub auth_url: String,
    /// The calibration gate's outcome, decided once per run.
    pub calibration: tokio::sync::OnceCell<Calibration>,
    /// The platform key set served to the tool (a rotation adds a key).
    pub jwks: plugfest_lti::lti13::platform::SharedJwks,
    /// The key the platform rotated to, once a scenario rotated it (Sec §6.4).
    pub rotated_key: std::sync::OnceLock<SigningKey>,
    /// The LTI Advantage services Plugfest serves the tool (token endpoint, AGS, NRPS).
    pub services: Arc<plugfest_lti::lti13::platform_services::Services>,
    /// One Advantage launch and hook call at a time, so a hook call's token requests are its own.
    pub advantage_lock: tokio::sync::Mutex<()>,
}

/// The `lti11-tool` suite's settings: Plugfest plays the tool consumer and its outcomes service.
pub struct Lti11Tool {
    /// `[roles.lti11-tool]`.
    pub role: plugfest_lti::lti11::role::ToolProviderRole,
    /// The shared secret, resolved.
    pub secret: plugfest_core::config::Secret,
    /// The refusal rule, compiled.
    pub rule: CompiledRule,
    /// Origins whose redirects are followed after a launch.
    pub origins: Vec<String>,
    /// The `launch_presentation_return_url` Plugfest sends.
    pub return_url: String,
    /// The `lis_outcome_service_url` Plugfest sends.
    pub outcomes_url: String,
    /// What Plugfest's outcomes service received.
    pub inbox: Arc<plugfest_lti::lti11::service::Inbox>,
    /// The calibration gate's outcome, decided once per run.
    pub calibration: tokio::sync::OnceCell<Calibration>,
}

/// The `lti11-consumer` suite's settings: Plugfest plays the tool registered at the LMS.
pub struct Lti11Consumer {
    /// `[roles.lti11-consumer]`.
    pub role: plugfest_lti::lti11::role::ConsumerRole,
    /// The shared secret, resolved.
    pub secret: plugfest_core::config::Secret,
    /// The `Cookie` header for the form pages, resolved.
    pub cookie: Option<plugfest_core::config::Secret>,
    /// The launch URL the LMS registered Plugfest with.
    pub launch_url: String,
}

/// Outcome of the calibration gate: can Plugfest read this tool's answers?
#[derive(Debug, Clone)]
pub struct Calibration {
    /// `None` when both calibration launches read as expected, else why not.
    pub failure: Option<String>,
    /// The calibration launches' exchanges.
    pub evidence: Vec<Evidence>,
}

impl Calibration {
    /// Judge the two calibration launches: `valid` must read accepted and `garbage` (described
    /// as `garbage_is`, e.g. "whose token is not a JWT") refused; `suite` names the role table.
    pub fn judge(
        valid: LaunchAnswer,
        garbage: LaunchAnswer,
        garbage_is: &str,
        suite: &str,
    ) -> Calibration {
        use plugfest_lti::lti13::refusal::Reading;
        let mut evidence: Vec<Evidence> = valid
            .exchanges
            .into_iter()
            .chain(garbage.exchanges)
            .map(Evidence::Exchange)
            .collect();
        let failure = match (&valid.reading, &garbage.reading) {
            (Reading::Accepted, Reading::Refused { .. }) => None,
            (v, g) => Some(format!(
                "calibration failed: a dedicated valid launch read `{}` (must be accepted) and a launch {garbage_is} read `{}` (must be refused); Plugfest cannot tell this tool's acceptances from its refusals, so no launch requirement can be judged — check the launch URLs and the [roles.{suite}.refusal] rule",
                v.describe(),
                g.describe()
            )),
        };
        evidence.push(Evidence::Note {
            text: match &failure {
                None => format!("calibration passed: a valid launch reads accepted, a launch {garbage_is} reads refused"),
                Some(f) => f.clone(),
            },
        });
        Calibration { failure, evidence }
    }
}
