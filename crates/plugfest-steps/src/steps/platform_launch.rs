//! Launches from a platform under test (Plugfest plays the tool): getting them — through the
//! launch trigger, or waiting for a person in manual mode — and the checks of their id_token
//! and of the platform's key set (Sec §5.1, §6; Core §5.3–§5.4; cert §5.1).

use crate::context::RunContext;
use crate::setup_lti13_platform::{Lti13Platform, ObservedLaunch};
use crate::world::{Outcome, PlugfestWorld, StepResult};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_http::{RecordingClient, Request};
use plugfest_lti::jws;
use plugfest_lti::lti13::as_tool::role::{LaunchKind, LaunchMode};
use plugfest_lti::lti13::as_tool::server::Arrival;
use plugfest_lti::lti13::as_tool::{id_token, now_secs, schema, user_agent};
use plugfest_lti::lti13::{CLAIM, tool_keys};
use serde_json::Value;
use std::sync::Arc;

/// The run context, checked to hold the `lti13-platform` suite.
pub fn platform_ctx(w: &mut PlugfestWorld) -> Result<Arc<RunContext>, String> {
    let ctx = w.ctx()?;
    if ctx.lti13_platform.is_none() {
        return Err(w.error("the lti13-platform suite is not configured ([roles.lti13-platform])"));
    }
    Ok(ctx)
}

/// The suite's settings of a context (callers checked it is there).
pub fn plat(ctx: &RunContext) -> &Lti13Platform {
    ctx.lti13_platform
        .as_ref()
        .expect("checked by platform_ctx")
}

/// A service client (its own cookie jar) for the platform.
pub fn client(w: &mut PlugfestWorld) -> Result<RecordingClient, String> {
    let ctx = w.ctx()?;
    RecordingClient::new(&ctx.client, ctx.redactor.clone()).map_err(|e| w.error(&e.to_string()))
}

/// Why a launch could not be had: an input is missing (not assessed) or it never came (error).
#[derive(Debug, Clone)]
enum Missing {
    Input(String),
    NotObserved(String),
}

/// The launch of `kind` for this run (made once, then shared), recorded in the World.
pub async fn acquire(w: &mut PlugfestWorld, kind: LaunchKind) -> Result<ObservedLaunch, String> {
    let ctx = platform_ctx(w)?;
    let p = plat(&ctx);
    let got = p
        .cell(kind)
        .get_or_init(|| async { obtain(&ctx, kind).await.map_err(encode) })
        .await
        .clone();
    take(w, got.map_err(decode), true)
}

/// A new launch of `kind`, not shared with other scenarios (deep linking responses consume one).
pub async fn fresh(w: &mut PlugfestWorld, kind: LaunchKind) -> Result<ObservedLaunch, String> {
    let ctx = platform_ctx(w)?;
    let got = obtain(&ctx, kind).await;
    take(w, got, false)
}

fn encode(m: Missing) -> String {
    match m {
        Missing::Input(s) => format!("input:{s}"),
        Missing::NotObserved(s) => format!("error:{s}"),
    }
}

fn decode(s: String) -> Missing {
    match s.split_once(':') {
        Some(("input", r)) => Missing::Input(r.into()),
        Some((_, r)) => Missing::NotObserved(r.into()),
        None => Missing::NotObserved(s),
    }
}

fn take(
    w: &mut PlugfestWorld,
    got: Result<ObservedLaunch, Missing>,
    shared: bool,
) -> Result<ObservedLaunch, String> {
    match got {
        Ok(l) => {
            w.note(Evidence::Note {
                text: format!(
                    "the platform's {} launch{}",
                    l.kind.name(),
                    if shared {
                        " (made once per run and shared by the scenarios that read it)"
                    } else {
                        ""
                    }
                ),
            });
            for e in &l.evidence {
                w.note(e.clone());
            }
            w.platform.launches.push(l.clone());
            Ok(l)
        }
        Err(Missing::Input(why)) => Err(w.not_assessed(&why)),
        Err(Missing::NotObserved(why)) => Err(w.error(&why)),
    }
}

/// Get one launch of `kind`: trigger mode plays the user agent; manual mode waits for a person.
async fn obtain(ctx: &RunContext, kind: LaunchKind) -> Result<ObservedLaunch, Missing> {
    let p = plat(ctx);
    match p.role.launch.mode {
        LaunchMode::Trigger => triggered(ctx, kind).await,
        LaunchMode::Manual => manual(ctx, kind).await,
    }
}

/// The configured trigger header: name and value.
pub type TriggerHeader<'a> = Option<(&'a str, &'a str)>;

/// A recording browser for a launch flow, and the configured trigger header.
pub fn browser(ctx: &RunContext) -> Result<(RecordingClient, TriggerHeader<'_>), String> {
    let browser =
        RecordingClient::new(&ctx.client, ctx.redactor.clone()).map_err(|e| e.to_string())?;
    let header = plat(ctx)
        .trigger_header
        .as_ref()
        .map(|(k, v)| (k.as_str(), v.expose()));
    Ok((browser, header))
}

async fn triggered(ctx: &RunContext, kind: LaunchKind) -> Result<ObservedLaunch, Missing> {
    let p = plat(ctx);
    let Some(trigger) = p.role.launch.triggers.get(kind) else {
        return Err(Missing::Input(format!(
            "the config names no launch trigger for the {} launch ([roles.lti13-platform.launch.triggers] {})",
            kind.name(),
            kind.name()
        )));
    };
    let (browser, header) = browser(ctx).map_err(Missing::NotObserved)?;
    // One flow at a time: the form post that arrives during it is this flow's.
    let _one = p.launch_lock.lock().await;
    let before = p.inbox.last_seq();
    let (flow, result) = user_agent::launch(&browser, trigger, header, &p.ends).await;
    let evidence: Vec<Evidence> = flow
        .exchanges
        .iter()
        .cloned()
        .map(Evidence::Exchange)
        .collect();
    if let Err(why) = result {
        return Err(Missing::NotObserved(format!(
            "the {} launch was not observed: {why}",
            kind.name()
        )));
    }
    let sent_state = flow
        .auth_request
        .as_deref()
        .and_then(|a| url::Url::parse(a).ok())
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "state")
                .map(|(_, v)| v.into_owned())
        });
    let Some(arrival) = p.claim(|a| a.seq > before && a.method == "POST") else {
        return Err(Missing::NotObserved(format!(
            "the {} launch was not observed: nothing was posted to Plugfest's redirect URI",
            kind.name()
        )));
    };
    let mut launch = observed(ctx, kind, &arrival, evidence)?;
    launch.login = sent_state
        .as_deref()
        .and_then(|s| p.inbox.login_by_state(s));
    launch.sent_state = sent_state;
    launch.initiation = flow.initiation;
    Ok(launch)
}

async fn manual(ctx: &RunContext, kind: LaunchKind) -> Result<ObservedLaunch, Missing> {
    let p = plat(ctx);
    eprintln!(
        "plugfest: waiting up to {} s for the {} launch: {}",
        p.role.launch.timeout_secs,
        kind.name(),
        kind.instruction()
    );
    let deadline =
        tokio::time::Instant::now() + std::time::Duration::from_secs(p.role.launch.timeout_secs);
    let sandbox = p.role.sandbox_context.clone();
    loop {
        if let Some(a) = p.claim(|a| classify(a, sandbox.as_deref()) == Some(kind)) {
            let mut l = observed(
                ctx,
                kind,
                &a,
                vec![Evidence::Note {
                    text: format!("received in manual mode: {}", kind.instruction()),
                }],
            )?;
            l.initiation = None;
            return Ok(l);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Missing::NotObserved(format!(
                "not observed: no {} launch arrived within {} s. {}",
                kind.name(),
                p.role.launch.timeout_secs,
                p.instructions
            )));
        }
        p.inbox.wait(deadline).await;
    }
}

/// The kind of a launch that arrived in manual mode, read from its claims.
fn classify(a: &Arrival, sandbox: Option<&str>) -> Option<LaunchKind> {
    let (_, claims) = jws::decode_unverified(a.param("id_token")?)?;
    let s = |n: &str| claims.get(format!("{CLAIM}{n}"));
    if s("message_type").and_then(Value::as_str) == Some("LtiDeepLinkingRequest") {
        return Some(LaunchKind::DeepLinking);
    }
    let instructor = id_token::roles_are_those_of(&claims, false).met;
    let context = s("context")
        .and_then(|c| c.get("id"))
        .and_then(Value::as_str);
    if instructor && sandbox.is_some() && context.is_some() && context != sandbox {
        return Some(LaunchKind::SecondContext);
    }
    let named = ["name", "given_name", "family_name"]
        .iter()
        .any(|n| claims.get(*n).is_some());
    Some(match (instructor, named) {
        (true, true) => LaunchKind::Instructor,
        (true, false) => LaunchKind::InstructorAnonymous,
        (false, true) => LaunchKind::Student,
        (false, false) => LaunchKind::StudentAnonymous,
    })
}

fn observed(
    ctx: &RunContext,
    kind: LaunchKind,
    a: &Arrival,
    mut evidence: Vec<Evidence>,
) -> Result<ObservedLaunch, Missing> {
    let p = plat(ctx);
    let token = a.param("id_token").unwrap_or_default().to_string();
    let Some((header, claims)) = jws::decode_unverified(&token) else {
        return Err(Missing::NotObserved(format!(
            "the {} launch's id_token is not a compact JWS with JSON header and claims",
            kind.name()
        )));
    };
    evidence.push(Evidence::Jwt {
        label: format!("id_token of the {} launch", kind.name()),
        header: header.clone(),
        claims: ctx.redactor.json(&claims),
    });
    let state = a.param("state").map(str::to_string);
    Ok(ObservedLaunch {
        kind,
        login: state.as_deref().and_then(|s| p.inbox.login_by_state(s)),
        id_token: token,
        header,
        claims,
        state,
        sent_state: None,
        method: a.method.clone(),
        initiation: None,
        received_at: now_secs(),
        evidence,
    })
}

#[given(expr = "the platform's {string} launch")]
async fn given_launch(w: &mut PlugfestWorld, kind: String) -> StepResult {
    let kind = LaunchKind::from_name(&kind)
        .ok_or_else(|| w.error(&format!("unknown launch kind `{kind}` in the feature file")))?;
    acquire(w, kind).await.map(|_| ())
}

/// The launch the scenario took last.
pub fn last(w: &mut PlugfestWorld) -> Result<ObservedLaunch, String> {
    w.platform
        .launches
        .last()
        .cloned()
        .ok_or_else(|| w.error("no launch was taken before this check"))
}

async fn fetch_keys(w: &mut PlugfestWorld) -> Result<Option<Vec<Value>>, String> {
    let ctx = platform_ctx(w)?;
    let url = plat(&ctx).role.jwks_url.clone();
    let client = client(w)?;
    let sent = client
        .send(Request::get("the platform's key set (Sec §6.3)", &url))
        .await;
    w.note(Evidence::Exchange(sent.exchange));
    let resp = sent
        .result
        .map_err(|e| w.error(&format!("the platform's key set could not be fetched: {e}")))?;
    let (finding, keys) = tool_keys::is_key_set(&resp);
    w.note(Evidence::Finding(finding.clone()));
    w.report.findings.push(finding);
    Ok(keys)
}

#[when("the platform's key set is fetched")]
async fn fetch_key_set(w: &mut PlugfestWorld) -> StepResult {
    let keys = fetch_keys(w).await?;
    w.key_set = keys.clone();
    if keys.is_none() {
        let f = w
            .report
            .findings
            .last()
            .cloned()
            .expect("pushed by fetch_keys");
        w.report.outcome = Some(Outcome::NotMet(f.clone()));
        return Err(f.message);
    }
    Ok(())
}

#[then("the launch token is signed RS256 with a key of the platform's key set")]
async fn signed(w: &mut PlugfestWorld) -> StepResult {
    let l = last(w)?;
    let Some(keys) = fetch_keys(w).await? else {
        return Err(w.error(
            "the platform's key set could not be read, so the signature cannot be checked",
        ));
    };
    w.check(id_token::signed_by_key_set(&l.id_token, &keys))
}

fn claims_check(
    w: &mut PlugfestWorld,
    f: impl FnOnce(&ObservedLaunch, &Lti13Platform) -> Finding,
) -> StepResult {
    let l = last(w)?;
    let ctx = platform_ctx(w)?;
    let finding = f(&l, plat(&ctx));
    w.check(finding)
}

#[then("the launch token's issuer is the registered issuer")]
async fn issuer(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, p| id_token::issuer_is(&l.claims, &p.role.issuer))
}

#[then("the launch token's audience contains Plugfest's client ID")]
async fn audience(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, p| {
        id_token::audience_contains(&l.claims, &p.role.client_id)
    })
}

#[then("the launch token's azp, when present, is Plugfest's client ID")]
async fn azp(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, p| {
        id_token::azp_is_client(&l.claims, &p.role.client_id)
    })
}

#[then("the launch token's subject is at most 255 ASCII characters")]
async fn subject(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| id_token::subject_is_short_ascii(&l.claims))
}

#[then("the launch token's timestamps are current")]
async fn timestamps(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| {
        id_token::timestamps_are_current(&l.claims, l.received_at)
    })
}

#[then("the launch token carries the nonce Plugfest sent")]
async fn nonce(w: &mut PlugfestWorld) -> StepResult {
    let l = last(w)?;
    let Some(login) = &l.login else {
        return Err(w.error(
            "the launch carries no state Plugfest issued, so the nonce it sent cannot be known",
        ));
    };
    w.check(id_token::nonce_is(&l.claims, &login.nonce))
}

#[then("the launch token's LTI version is 1.3.0")]
async fn version(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| id_token::version_is_130(&l.claims))
}

#[then(expr = "the launch token's message type is {string}")]
async fn message_type(w: &mut PlugfestWorld, expected: String) -> StepResult {
    claims_check(w, |l, _| id_token::message_type_is(&l.claims, &expected))
}

#[then("the launch token names the registered deployment")]
async fn deployment(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, p| {
        id_token::deployment_is(&l.claims, &p.role.deployment_id)
    })
}

#[then("the launch token's target link is the one of the login initiation")]
async fn target_link(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| {
        let initiated = l.login.as_ref().and_then(|g| g.param("target_link_uri"));
        id_token::target_link_is(&l.claims, initiated)
    })
}

#[then("the launch token names a resource link ID")]
async fn resource_link(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| id_token::resource_link_has_id(&l.claims))
}

#[then(regex = r"^the launch token's roles are those of a (learner|instructor)$")]
async fn roles_of(w: &mut PlugfestWorld, who: String) -> StepResult {
    claims_check(w, |l, _| {
        id_token::roles_are_those_of(&l.claims, who == "learner")
    })
}

#[then("the launch token's roles include a role from the LTI vocabularies")]
async fn roles_vocab(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| id_token::roles_include_vocabulary(&l.claims))
}

#[then("the launch token's context, when present, has an ID")]
async fn context_id(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| id_token::context_has_id(&l.claims))
}

#[then("no value in the launch token has leading or trailing whitespace")]
async fn whitespace(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| id_token::no_padded_values(&l.claims))
}

#[then("the launch token carries no personal data of the user")]
async fn no_pii(w: &mut PlugfestWorld) -> StepResult {
    // Cert §5.1.4: an instructor's email is allowed in the payload without PII.
    claims_check(w, |l, _| {
        id_token::carries_no_pii(&l.claims, l.kind == LaunchKind::InstructorAnonymous)
    })
}

#[then("the launch token carries the user's name and email")]
async fn pii(w: &mut PlugfestWorld) -> StepResult {
    claims_check(w, |l, _| id_token::carries_name_and_email(&l.claims))
}

#[then(expr = "the launch token matches Plugfest's schema for {string}")]
async fn matches_schema(w: &mut PlugfestWorld, message_type: String) -> StepResult {
    let l = last(w)?;
    match schema::matches(&message_type, &l.claims) {
        Ok(f) => w.check(f),
        Err(why) => Err(w.error(&why)),
    }
}
