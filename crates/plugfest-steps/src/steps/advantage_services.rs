//! Steps of the LTI Advantage services with a tool under test: a launch carrying the AGS and
//! NRPS claims, the tool's advantage hook called, and the token requests (Sec §4.1.1, Core
//! §6.2), AGS calls (AGS §3.2–§3.4) and NRPS calls (NRPS §2.4) that reach Plugfest judged.

use crate::steps::launch::{Advantage, LaunchSpec};
use crate::world::{PlugfestWorld, StepResult, tool};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_http::Request;
use plugfest_lti::jws;
use plugfest_lti::lti13::platform_ags::{self, AgsRequest};
use plugfest_lti::lti13::platform_nrps;
use plugfest_lti::lti13::platform_services::{Service, ServiceCall, TokenRequest};
use plugfest_lti::lti13::platform_token;
use plugfest_lti::lti13::refusal::Reading;
use std::time::Duration;

/// How long Plugfest waits for a service call after the hook answered.
const CALL_WAIT: Duration = Duration::from_secs(5);

impl PlugfestWorld {
    fn service_context(&mut self) -> Result<String, String> {
        self.advantage
            .context
            .clone()
            .ok_or_else(|| self.error("the tool's advantage hook was not called before this check"))
    }

    /// The calls of this scenario's context that `keep` selects, waiting up to [`CALL_WAIT`]
    /// for the first; a tool that sends none fails `check` (it was asked through its hook).
    async fn service_calls(
        &mut self,
        what: &str,
        keep: impl Fn(&ServiceCall) -> bool,
    ) -> Result<Vec<ServiceCall>, String> {
        let ctx = self.lti13_tool()?;
        let context = self.service_context()?;
        let deadline = tokio::time::Instant::now() + CALL_WAIT;
        loop {
            let calls: Vec<ServiceCall> = tool(&ctx)
                .services
                .calls_for(&context)
                .into_iter()
                .filter(|c| keep(c))
                .collect();
            if !calls.is_empty() {
                return Ok(calls);
            }
            if tokio::time::Instant::now() >= deadline {
                let f = Finding::not_met(
                    "platform_services::call_received",
                    format!(
                        "asked through its advantage hook, the tool sent no {what} within {} s",
                        CALL_WAIT.as_secs()
                    ),
                    format!("a {what} at Plugfest's endpoint for the launch's context"),
                    "nothing arrived",
                );
                self.check(f)?;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn note_calls(&mut self, calls: &[ServiceCall]) {
        let ctx = self.ctx.clone().expect("context injected before steps run");
        for c in calls {
            let headers: Vec<String> = c
                .headers
                .iter()
                .filter(|(k, _)| ["content-type", "accept", "authorization"].contains(&k.as_str()))
                // The bearer token Plugfest issued is a credential: shown by its shape only.
                .map(|(k, v)| match (k.as_str(), v.split_once(' ')) {
                    ("authorization", Some((scheme, token))) => {
                        format!("{k}: {scheme} <{} characters>", token.len())
                    }
                    _ => format!("{k}: {v}"),
                })
                .collect();
            self.note(Evidence::Note {
                text: ctx.redactor.text(&format!(
                    "{} {} received by Plugfest ({:?}, answered {}); {}; body: {}",
                    c.method,
                    c.url,
                    c.auth,
                    c.status,
                    headers.join("; "),
                    String::from_utf8_lossy(&c.body)
                )),
            });
        }
    }

    /// The token request that issued the token of this scenario's first call, else the first
    /// one made during the hook call.
    fn scenario_token_request(&mut self) -> Result<TokenRequest, String> {
        let ctx = self.lti13_tool()?;
        let services = tool(&ctx).services.clone();
        let context = self.service_context()?;
        let (from, to) = self.advantage.window.unwrap_or_default();
        let issued_by = services
            .calls_for(&context)
            .iter()
            .find_map(|c| c.token_request)
            .and_then(|seq| services.token_request(seq));
        match issued_by.or_else(|| services.token_requests_between(from, to).into_iter().next()) {
            Some(t) => Ok(t),
            None => {
                let f = Finding::not_met(
                    "platform_token::token_requested",
                    "the tool asked Plugfest's token endpoint for no access token",
                    "a token request to the platform's token endpoint (Core §6.2)",
                    "no token request arrived",
                );
                Err(self.check(f).err().unwrap_or_default())
            }
        }
    }
}

#[given(regex = r"^the tool offers (AGS|NRPS)$")]
async fn offers_service(w: &mut PlugfestWorld, service: String) -> StepResult {
    let (key, name) = if service == "AGS" {
        ("ags", "Assignment and Grade Services 2.0")
    } else {
        ("nrps", "Names and Role Provisioning Services 2.0")
    };
    w.require_service(key, name)?;
    let ctx = w.lti13_tool()?;
    if tool(&ctx).role.advantage_hook_url.is_none() {
        return Err(w.not_assessed(
            "no advantage_hook_url in [roles.lti13-tool]: Plugfest cannot make the tool call its services",
        ));
    }
    Ok(())
}

#[when(
    "a learner launch carrying the service claims is accepted and the tool's advantage hook is called"
)]
async fn launch_and_hook(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti13_tool()?;
    let t = tool(&ctx);
    let _one_at_a_time = t.advantage_lock.lock().await;
    let keys = w.fetch_tool_keys().await?;
    t.services.set_tool_keys(keys.unwrap_or_default());
    let context = w.fresh_id("context_id");
    w.lti13_launch(LaunchSpec::advantage(
        "learner",
        Advantage::Services {
            context: context.clone(),
        },
    ))
    .await?;
    let last = w.launches.last().cloned().expect("launch pushed");
    if last.answer.reading != Reading::Accepted {
        let why = format!(
            "the launch carrying the service claims read `{}`, so the tool's service calls cannot be judged",
            last.answer.observed()
        );
        return Err(w.error(&why));
    }
    let claims = jws::decode_unverified(&last.id_token)
        .map(|(_, c)| c)
        .unwrap_or_default();
    let claim = |path: &[&str]| {
        path.iter()
            .try_fold(&claims, |v, k| v.get(*k))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let user_id = claim(&["sub"]);
    let resource_link_id = claim(&[
        "https://purl.imsglobal.org/spec/lti/claim/resource_link",
        "id",
    ]);
    let hook = t.role.advantage_hook_url.clone().unwrap_or_default();
    let form = vec![
        ("iss".to_string(), t.role.issuer.clone()),
        ("deployment_id".to_string(), t.role.deployment_id.clone()),
        ("context_id".to_string(), context.clone()),
        ("resource_link_id".to_string(), resource_link_id),
        ("user_id".to_string(), user_id.clone()),
    ];
    let before = t.services.next_seq();
    let client = w.browser(true)?;
    let sent = client
        .send(Request::post_form("the tool's advantage hook", &hook, form))
        .await;
    w.note(Evidence::Exchange(sent.exchange));
    if let Err(e) = sent.result {
        return Err(w.error(&format!(
            "the tool's advantage hook could not be called: {e}"
        )));
    }
    w.advantage.window = Some((before, t.services.next_seq()));
    w.advantage.context = Some(context);
    w.advantage.user_id = Some(user_id);
    Ok(())
}

#[then(regex = r#"^the tool's (line item|score|results) request passes the check "([^"]+)"$"#)]
async fn ags_check(w: &mut PlugfestWorld, kind: String, name: String) -> StepResult {
    let request = AgsRequest::from_name(&kind)
        .ok_or_else(|| w.error(&format!("unknown AGS request `{kind}`")))?;
    let calls = w
        .service_calls(&format!("{kind} request"), |c| {
            request.find(std::slice::from_ref(c)).is_some()
        })
        .await?;
    w.note_calls(&calls[..1]);
    let user_id = w.advantage.user_id.clone().unwrap_or_default();
    let finding = platform_ags::check_named(&name, &calls[0], &user_id)
        .ok_or_else(|| w.error(&format!("unknown AGS check `{name}`")))?;
    w.check(finding)
}

#[then(expr = "the tool's token request passes the check {string}")]
async fn token_check(w: &mut PlugfestWorld, name: String) -> StepResult {
    let ctx = w.lti13_tool()?;
    let t = tool(&ctx);
    // The token is judged once a service call shows which request issued it.
    let _ = w
        .service_calls("service request", |c| c.service == Service::Ags)
        .await?;
    let req = w.scenario_token_request()?;
    if let Some((header, claims)) = &req.assertion {
        w.note(Evidence::Jwt {
            label: "the tool's client assertion".into(),
            header: header.clone(),
            claims: ctx.redactor.json(claims),
        });
    }
    let finding = match name.as_str() {
        "it is a client-credentials grant with a JWT assertion signed by the tool" => {
            if t.role.tool_jwks_url.is_none() {
                return Err(w.not_assessed(
                    "no tool_jwks_url in [roles.lti13-tool]: the client assertion's signature cannot be verified",
                ));
            }
            platform_token::assertion_grant(&req)
        }
        "the assertion's iss and sub are the client_id" => {
            platform_token::assertion_identifies_client(&req, &t.role.client_id)
        }
        "the assertion's aud, iat, exp and jti are as required" => {
            platform_token::assertion_claims(
                &req,
                &t.services.token_url(),
                time::OffsetDateTime::now_utc().unix_timestamp(),
            )
        }
        other => return Err(w.error(&format!("unknown token request check `{other}`"))),
    };
    w.check(finding)
}

#[then("every AGS request carries a token with the scope it needs")]
async fn ags_scoped(w: &mut PlugfestWorld) -> StepResult {
    let calls = w
        .service_calls("AGS request", |c| c.service == Service::Ags)
        .await?;
    w.note_calls(&calls);
    let f = platform_token::calls_have_scope(&calls).expect("calls are not empty");
    w.check(f)
}

#[then(
    regex = r"^every membership request (carries a token from the platform's token endpoint|carries a token with the membership scope|asks for the membership container media type)$"
)]
async fn nrps_check(w: &mut PlugfestWorld, what: String) -> StepResult {
    let calls = w
        .service_calls("membership request", |c| c.service == Service::Nrps)
        .await?;
    w.note_calls(&calls);
    let f = match what.as_str() {
        "carries a token from the platform's token endpoint" => {
            platform_token::calls_carry_issued_token(&calls)
        }
        "carries a token with the membership scope" => platform_token::calls_have_scope(&calls),
        _ => platform_nrps::accept_is_membership(&calls),
    }
    .expect("calls are not empty");
    w.check(f)
}

#[then("the tool reads every page of the membership by following the next links")]
async fn nrps_pages(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti13_tool()?;
    let context = w.service_context()?;
    let calls = w
        .service_calls("membership request", |c| c.service == Service::Nrps)
        .await?;
    w.note_calls(&calls);
    let f = platform_nrps::follows_next_links(&tool(&ctx).services, &context, &calls)
        .expect("calls are not empty");
    w.check(f)
}
