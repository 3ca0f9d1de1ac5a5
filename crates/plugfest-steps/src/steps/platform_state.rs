//! What one `lti13-platform` scenario launched, requested and created (Plugfest plays the tool).

use crate::setup_lti13_platform::ObservedLaunch;
use plugfest_http::Response;
use plugfest_lti::lti13::as_tool::role::LaunchKind;
use plugfest_lti::lti13::as_tool::token_client::TokenAnswer;
use plugfest_lti::lti13::as_tool::user_agent::Flow;

/// A line item Plugfest created, to read, change and delete.
#[derive(Debug, Clone)]
pub struct CreatedItem {
    /// Its id URL.
    pub id: String,
    /// The label Plugfest gave (or changed it to).
    pub label: String,
    /// The maximum score Plugfest gave.
    pub maximum: f64,
    /// The line item as Plugfest sent it.
    pub sent: serde_json::Value,
    /// Whether it is known to be deleted already.
    pub deleted: bool,
}

/// The scenario's state.
#[derive(Debug, Default)]
pub struct PlatformState {
    /// Launches the scenario's Given steps took, in order.
    pub launches: Vec<ObservedLaunch>,
    /// The user-agent flow of a crafted authentication request.
    pub crafted: Option<Flow>,
    /// The inbox sequence number before the crafted request.
    pub crafted_after: u64,
    /// Token answers, with the scopes each asked for.
    pub tokens: Vec<(TokenAnswer, Vec<String>)>,
    /// Whether the scenario may write (checked by a Given step).
    pub writes_ok: bool,
    /// Line items Plugfest created (cleaned up at the end), with a lineitem-scope token.
    pub created: Vec<CreatedItem>,
    /// The lineitem-scope token used for clean-up.
    pub cleanup_token: Option<String>,
    /// The last service answer.
    pub last: Option<Response>,
    /// The roster pages read, in order.
    pub roster: Vec<Response>,
    /// The role a roster was filtered to.
    pub role_filter: Option<String>,
    /// Deep linking responses posted and their answers.
    pub dl_answers: Vec<Response>,
    /// Outcome of a multi-call flow (cert §5.4): every failed call, described.
    pub flow_failures: Vec<String>,
    /// Scores posted: (line item id, user, given, maximum).
    pub scores: Vec<(String, String, f64, f64)>,
}

impl PlatformState {
    /// The launch of `kind` the scenario took.
    pub fn launch(&self, kind: LaunchKind) -> Option<&ObservedLaunch> {
        self.launches.iter().find(|l| l.kind == kind)
    }
}
