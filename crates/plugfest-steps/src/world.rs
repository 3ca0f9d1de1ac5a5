//! The cucumber World: one per scenario, holding what the scenario did and saw.

use crate::context::{Lti13Tool, RunContext};
use plugfest_core::{Evidence, Finding};
use plugfest_http::RecordingClient;
use plugfest_lti::lti13::launch::LaunchAnswer;
use plugfest_lti::lti13::login::{AuthRequest, LoginParams};
use std::sync::Arc;

/// How a scenario ended, as far as the steps know.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A check was not met (→ fail for MUST, warn for SHOULD).
    NotMet(Finding),
    /// The harness could not decide (→ error).
    Error(String),
    /// The product does not offer the feature (→ not-applicable).
    NotApplicable(String),
    /// An input Plugfest needs is missing (a hook, the schema bundle) (→ not-assessed).
    NotAssessed(String),
}

/// What a scenario leaves for the run record.
#[derive(Debug, Clone, Default)]
pub struct ScenarioReport {
    /// Scenario title.
    pub name: String,
    /// Requirement IDs from `@req:` tags.
    pub req_ids: Vec<String>,
    /// Evidence in order.
    pub evidence: Vec<Evidence>,
    /// Checks made.
    pub findings: Vec<Finding>,
    /// Set when a step ended the scenario early, or for not-applicable.
    pub outcome: Option<Outcome>,
}

/// What an LTI 1.1 scenario built, sent and saw.
#[derive(Debug, Clone, Default)]
pub struct Lti11State {
    /// The launch being prepared (tool provider under test).
    pub pending: Option<PendingLaunch>,
    /// The last launch posted, as signed (for a replay).
    pub last_signed: Option<Vec<(String, String)>>,
    /// Answers to launches, in order.
    pub answers: Vec<LaunchAnswer>,
    /// The `lti_errormsg` of the last answer that returned to Plugfest, if any.
    pub errormsg: Option<String>,
    /// The `lis_result_sourcedid` of the graded launch the tool accepted.
    pub sourcedid: Option<String>,
    /// Outcomes requests the tool sent Plugfest's service, in order.
    pub outcomes: Vec<plugfest_lti::lti11::service::Captured>,
    /// Launch forms read from the consumer, in order.
    pub forms: Vec<plugfest_lti::lti11::form::LaunchForm>,
    /// POX requests Plugfest sent the consumer's outcomes service and its answers.
    pub pox: Vec<PoxExchange>,
}

/// What a package exchange scenario downloaded, validated and imported.
#[derive(Debug, Clone, Default)]
pub struct PackageState {
    /// The export downloaded: its HTTP status, or why there was none.
    pub download: Option<Result<u16, String>>,
    /// The validation of the downloaded export.
    pub report: Option<plugfest_packages::validate::InputReport>,
    /// Imports posted: the sample, the status (or why there was none) and the answer's body.
    pub imports: Vec<(
        plugfest_packages::samples::Sample,
        Result<u16, String>,
        String,
    )>,
}

/// What an LTI Advantage scenario (tool under test) sent and saw.
#[derive(Debug, Clone, Default)]
pub struct AdvantageState {
    /// The deep linking settings sent.
    pub dl_settings: Option<plugfest_lti::lti13::platform_deep_link::Settings>,
    /// The response JWT read from the tool's answer to the deep linking request.
    pub dl_jwt: Option<String>,
    /// How the tool's answer to the deep linking request reads as a response form (DL §2.3).
    pub dl_form: Option<plugfest_core::Finding>,
    /// The context of the launch carrying the service claims (its service URLs name it).
    pub context: Option<String>,
    /// The `sub` of that launch.
    pub user_id: Option<String>,
    /// Sequence numbers of the services' record around the hook call: `[before, after)`.
    pub window: Option<(u64, u64)>,
}

/// A launch under construction.
#[derive(Debug, Clone)]
pub struct PendingLaunch {
    /// Parameters before signing.
    pub params: Vec<(String, String)>,
    /// Declared signature method.
    pub method: plugfest_http::oauth1::SignatureMethod,
    /// Deliberate defect, if any.
    pub signing: plugfest_lti::lti11::launch::Signing,
}

/// One POX request Plugfest sent and what came back.
#[derive(Debug, Clone)]
pub struct PoxExchange {
    /// The request's `imsx_messageIdentifier`.
    pub message_id: String,
    /// The operation asked (`replaceResult`, …).
    pub operation: String,
    /// The answer, when there was one.
    pub response: Option<plugfest_http::Response>,
}

/// One launch a scenario made.
#[derive(Debug, Clone)]
pub struct LaunchRecord {
    /// The token posted.
    pub id_token: String,
    /// The state posted, if any.
    pub state: Option<String>,
    /// Where it was posted.
    pub redirect_uri: String,
    /// The answer.
    pub answer: LaunchAnswer,
}

/// The World of every Plugfest scenario.
#[derive(Debug, Default, cucumber::World)]
pub struct PlugfestWorld {
    /// The run's shared context, injected by the before-hook.
    pub ctx: Option<Arc<RunContext>>,
    /// `path:line`, the scope of the seeded identifiers.
    pub key: String,
    /// The simulated browser.
    pub browser: Option<RecordingClient>,
    /// Logins made, in order.
    pub logins: Vec<(LoginParams, AuthRequest)>,
    /// Launches made, in order.
    pub launches: Vec<LaunchRecord>,
    /// The login made with a foreign target_link_uri: its request, or `None` if the tool refused it.
    pub foreign_login: Option<Option<AuthRequest>>,
    /// The tool's key set, once fetched.
    pub key_set: Option<Vec<serde_json::Value>>,
    /// LTI 1.1 state.
    pub lti11: Lti11State,
    /// Package exchange state.
    pub packages: PackageState,
    /// LTI Advantage state (tool under test).
    pub advantage: AdvantageState,
    /// OneRoster state (which provider suite this scenario speaks to).
    pub oneroster: crate::steps::oneroster::RosterState,
    /// LTI 1.3 platform-under-test state (Plugfest plays the tool).
    pub platform: crate::steps::platform_state::PlatformState,
    /// What goes to the record.
    pub report: ScenarioReport,
    counter: u32,
}

impl PlugfestWorld {
    /// A World outside cucumber (the calibration probe), scoped by `key`.
    pub fn detached(ctx: Arc<RunContext>, key: &str) -> Self {
        PlugfestWorld {
            ctx: Some(ctx),
            key: key.to_string(),
            ..Default::default()
        }
    }
}

/// A step's error: the message cucumber shows; the structured outcome is in the World.
pub type StepResult = Result<(), String>;

impl PlugfestWorld {
    /// The shared context (set by the before-hook).
    pub fn ctx(&self) -> Result<Arc<RunContext>, String> {
        self.ctx
            .clone()
            .ok_or_else(|| "internal: no run context in the World".to_string())
    }

    /// The lti13-tool suite context, or an error if the suite is not configured.
    pub fn lti13_tool(&mut self) -> Result<Arc<RunContext>, String> {
        let ctx = self.ctx()?;
        if ctx.lti13_tool.is_none() {
            return Err(self.error("the lti13-tool suite is not configured ([roles.lti13-tool])"));
        }
        Ok(ctx)
    }

    /// A new identifier for `purpose`, drawn from the seed and this scenario.
    pub fn fresh_id(&mut self, purpose: &str) -> String {
        self.counter += 1;
        let ctx = self.ctx.clone().expect("context injected before steps run");
        ctx.seed
            .derive(&self.key, &format!("{purpose}#{}", self.counter))
    }

    /// The scenario's browser, made on first use; `fresh` starts a new one (new cookie jar).
    pub fn browser(&mut self, fresh: bool) -> Result<RecordingClient, String> {
        if fresh || self.browser.is_none() {
            let ctx = self.ctx()?;
            let client = RecordingClient::new(&ctx.client, ctx.redactor.clone())
                .map_err(|e| self.error(&e.to_string()))?;
            self.browser = Some(client);
        }
        Ok(self.browser.clone().expect("set above"))
    }

    /// Record a finding; a finding not met ends the scenario.
    pub fn check(&mut self, finding: Finding) -> StepResult {
        self.report
            .evidence
            .push(Evidence::Finding(finding.clone()));
        self.report.findings.push(finding.clone());
        if finding.met {
            Ok(())
        } else {
            let msg = finding.message.clone();
            self.report.outcome = Some(Outcome::NotMet(finding));
            Err(msg)
        }
    }

    /// Record that the harness cannot decide, and return the message for the step's `Err`.
    pub fn error(&mut self, message: &str) -> String {
        self.report.outcome = Some(Outcome::Error(message.to_string()));
        message.to_string()
    }

    /// Add evidence.
    pub fn note(&mut self, e: Evidence) {
        self.report.evidence.push(e);
    }

    /// Record that an input Plugfest needs is missing; returns the message for the step's `Err`.
    pub fn not_assessed(&mut self, why: &str) -> String {
        self.report.outcome = Some(Outcome::NotAssessed(why.to_string()));
        why.to_string()
    }
}

/// The lti13-tool context of a run context (callers checked it is there).
pub fn tool(ctx: &RunContext) -> &Lti13Tool {
    ctx.lti13_tool
        .as_ref()
        .expect("checked by PlugfestWorld::lti13_tool")
}
