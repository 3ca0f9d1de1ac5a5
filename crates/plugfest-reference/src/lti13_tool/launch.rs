//! `POST /launch`, the registered redirect_uri: the authentication response (Sec §5.1.1.3)
//! validated as Sec §5.1.3 and Core §5.3 require, then the resource shown (Sec §5.1.1.4).

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ToolState;
use super::fault::{FaultSet, Lti13ToolFault};
use super::login::STATE_COOKIE;
use super::params::{cookie, parse_unique};
use super::refusal::LaunchRefusal;
use super::sessions::LoginRecord;
use super::validate::{Expected, LaunchKind, check_claims};
use super::{deep_link, signature};
use crate::jose::Jws;

/// Faults that bend the launch handler; each is read once, in [`launch`], [`find_login`],
/// [`accept`] or [`refuse`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LaunchFaults {
    /// `lti13-tool/launch-answers-404`
    pub answers_404: bool,
    /// `lti13-tool/refuses-with-500`
    pub refuses_with_500: bool,
    /// `lti13-tool/nonce-replay-accepted`
    pub nonce_replay_accepted: bool,
    /// `lti13-tool/state-not-checked`
    pub state_not_checked: bool,
    /// `lti13-tool/state-cookie-not-checked`
    pub state_cookie_not_checked: bool,
}

impl LaunchFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            answers_404: set.has(Lti13ToolFault::LaunchAnswers404),
            refuses_with_500: set.has(Lti13ToolFault::RefusesWith500),
            nonce_replay_accepted: set.has(Lti13ToolFault::NonceReplayAccepted),
            state_not_checked: set.has(Lti13ToolFault::StateNotChecked),
            state_cookie_not_checked: set.has(Lti13ToolFault::StateCookieNotChecked),
        }
    }
}

/// Handle an authentication response: answer the launch page, or a one-line refusal.
pub(crate) async fn launch(
    State(tool): State<Arc<ToolState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if tool.launch_faults.answers_404 {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match accept(&tool, &headers, &body).await {
        // DL §2.3: a deep linking request is answered with the deep linking response.
        Ok((LaunchKind::DeepLinking, claims)) => deep_link::respond(&tool, &claims, unix_now()),
        Ok((kind, claims)) => {
            tool.service_launches.remember(&claims);
            launched(kind)
        }
        Err(refusal) => refuse(refusal, tool.launch_faults),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Validate the launch; who launched and the token's claims when accepted.
async fn accept(
    tool: &ToolState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(LaunchKind, serde_json::Map<String, serde_json::Value>), LaunchRefusal> {
    let form = parse_unique(body).map_err(|_| LaunchRefusal::FormIncomplete)?;
    // Sec §5.1.1.3: "id_token REQUIRED".
    let id_token = form.get("id_token").ok_or(LaunchRefusal::FormIncomplete)?;
    let jws = Jws::parse(id_token).ok_or(LaunchRefusal::TokenMalformed)?;
    let (state, login) = find_login(
        tool,
        form.get("state").map(String::as_str),
        cookie(headers, STATE_COOKIE),
        &jws,
    )?;

    let faults = tool.signature_faults;
    let key_ref = signature::check_header(&jws, faults)?;
    signature::verify(&jws, key_ref, &tool.platform_keys, faults).await?;

    // From here on the token is the platform's: whatever the verdict, its state is spent
    // (and, when accepted, its nonce).
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default();
    let expected = Expected {
        issuer: &tool.registration.issuer,
        client_id: &tool.registration.client_id,
        deployment_id: &tool.registration.deployment_id,
        target_link_uri: &login.target_link_uri,
        nonce: &login.nonce,
        now,
    };
    let verdict = check_claims(&jws.claims, &expected, tool.claim_faults);
    if tool.launch_faults.nonce_replay_accepted {
        return verdict.map(|accepted| (accepted.kind, jws.claims.clone()));
    }
    match verdict {
        Ok(accepted) => {
            tool.sessions.consume(&state, accepted.nonce)?;
            Ok((accepted.kind, jws.claims.clone()))
        }
        Err(refusal) => {
            // Already refused: whether the state was still unused no longer matters.
            let _ = tool.sessions.consume(&state, None);
            Err(refusal)
        }
    }
}

/// The login this launch answers, and its state: the posted state must be known, unused and
/// the one of this browser's state cookie.
fn find_login(
    tool: &ToolState,
    state: Option<&str>,
    state_cookie: Option<&str>,
    jws: &Jws<'_>,
) -> Result<(String, LoginRecord), LaunchRefusal> {
    let faults = tool.launch_faults;
    let by_state = || {
        // Sec §5.1.1.3: "state REQUIRED".
        let state = state.ok_or(LaunchRefusal::StateMissing)?;
        let login = tool.sessions.lookup(state)?;
        // Sec §5.1.1.4: the tool displays the resource "after decoding and validating the
        // id_token and verified the state matches the current state attached to the browser
        // session".
        if !faults.state_cookie_not_checked && state_cookie != Some(state) {
            return Err(LaunchRefusal::StateCookieMismatch);
        }
        Ok((state.to_owned(), login))
    };
    match by_state() {
        Err(refusal) if faults.state_not_checked && refusal != LaunchRefusal::StateUsed => {
            let nonce = jws
                .claims
                .get("nonce")
                .and_then(|n| n.as_str())
                .ok_or(refusal)?;
            tool.sessions.lookup_by_nonce(nonce)
        }
        found => found,
    }
}

fn launched(kind: LaunchKind) -> Response {
    let page = format!(
        "<!doctype html>\n<title>Launched</title>\n<h1>Launched</h1>\n<p class=\"launch-kind\">{}</p>\n",
        kind.word()
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// The answer to a refused launch: its status and one line of reason.
fn refuse(refusal: LaunchRefusal, faults: LaunchFaults) -> Response {
    let status = if faults.refuses_with_500 {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        refusal.status()
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("launch refused: {}\n", refusal.reason()),
    )
        .into_response()
}
