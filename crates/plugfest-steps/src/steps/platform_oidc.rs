//! The platform's side of the OIDC login (Sec §5.1.1): the login initiation it starts, the form
//! post of the id_token, the state, and crafted authentication requests it must refuse without
//! issuing an id_token anywhere.

use super::platform_launch::{acquire, browser, last, plat, platform_ctx};
use crate::world::{PlugfestWorld, StepResult};
use cucumber::{then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_lti::lti13::as_tool::role::{LaunchKind, LaunchMode};
use plugfest_lti::lti13::as_tool::user_agent::{self, Flow};

#[then("the login initiation named the issuer, a login hint and the target link")]
async fn initiation(w: &mut PlugfestWorld) -> StepResult {
    let l = last(w)?;
    let ctx = platform_ctx(w)?;
    let issuer = plat(&ctx).role.issuer.clone();
    let Some(login) = &l.login else {
        return Err(w.error("no login initiation reached Plugfest's login URL for this launch"));
    };
    let check = "platform_oidc::initiation_is_complete";
    let iss = login.param("iss");
    let hint = login.param("login_hint").filter(|h| !h.is_empty());
    let target = login
        .param("target_link_uri")
        .filter(|t| url::Url::parse(t).is_ok());
    let finding = if iss != Some(issuer.as_str()) {
        Finding::equals(check, "iss", &issuer, iss)
    } else if hint.is_none() || target.is_none() {
        Finding::not_met(
            check,
            "the login initiation lacks login_hint or target_link_uri",
            "iss, login_hint and target_link_uri (an absolute URL)",
            format!(
                "login_hint {}, target_link_uri {}",
                if hint.is_some() { "present" } else { "missing" },
                login.param("target_link_uri").unwrap_or("missing")
            ),
        )
    } else {
        Finding::met(
            check,
            format!(
                "a {} initiation with iss, login_hint and target_link_uri",
                login.method
            ),
        )
    };
    w.check(finding)
}

#[then("an id_token was form-posted to Plugfest's registered redirect URI")]
async fn form_posted(w: &mut PlugfestWorld) -> StepResult {
    let l = last(w)?;
    let check = "platform_oidc::id_token_form_posted";
    let finding = if l.method == "POST" && !l.id_token.is_empty() {
        Finding::met(
            check,
            "the id_token reached the registered redirect URI by form POST",
        )
    } else {
        Finding::not_met(
            check,
            "the id_token did not arrive by form POST",
            "POST of id_token and state to the redirect URI (response_mode form_post)",
            format!(
                "{} with id_token {}",
                l.method,
                if l.id_token.is_empty() {
                    "absent"
                } else {
                    "present"
                }
            ),
        )
    };
    w.check(finding)
}

#[then("the state Plugfest sent came back unchanged")]
async fn state_echoed(w: &mut PlugfestWorld) -> StepResult {
    let l = last(w)?;
    let check = "platform_oidc::state_echoed";
    let finding = match &l.sent_state {
        Some(sent) => Finding::equals(check, "state", sent, l.state.as_deref()),
        // Manual mode: the state that came back must be one Plugfest's login endpoint issued.
        None if l.login.is_some() => {
            Finding::met(check, "the state is one Plugfest's login endpoint issued")
        }
        None => Finding::not_met(
            check,
            "the state that came back is not one Plugfest sent",
            "the state of Plugfest's authentication request",
            l.state.clone().unwrap_or("(absent)".into()),
        ),
    };
    w.check(finding)
}

/// Run a login initiation from the instructor trigger, then send the platform Plugfest's
/// authentication request changed by `mutate` instead of its own.
async fn crafted(
    w: &mut PlugfestWorld,
    what: &str,
    mutate: impl FnOnce(&mut Vec<(String, String)>, &str),
) -> StepResult {
    let ctx = platform_ctx(w)?;
    let p = plat(&ctx);
    if p.role.launch.mode == LaunchMode::Manual {
        return Err(w.not_assessed("crafted authentication requests need the launch trigger: in manual mode the platform session is in a person's browser"));
    }
    // Control: a valid launch through the same path must succeed first.
    acquire(w, LaunchKind::Instructor).await?;
    let Some(trigger) = p
        .role
        .launch
        .triggers
        .get(LaunchKind::Instructor)
        .map(str::to_string)
    else {
        return Err(w.not_assessed("the config names no instructor launch trigger"));
    };
    let (browser, header) = browser(&ctx).map_err(|e| w.error(&e))?;
    let _one = p.launch_lock.lock().await;
    let before = p.inbox.last_seq();
    let mut flow = Flow::default();
    let result = async {
        let init = user_agent::trigger(&browser, &mut flow, &trigger, header, &p.ends).await?;
        let auth = user_agent::deliver_initiation(&browser, &mut flow, &init, &p.ends).await?;
        let mut u = url::Url::parse(&auth).map_err(|e| e.to_string())?;
        let mut params: Vec<(String, String)> = u.query_pairs().into_owned().collect();
        mutate(&mut params, &p.foreign_url);
        u.query_pairs_mut().clear().extend_pairs(&params);
        user_agent::authenticate(&browser, &mut flow, u.as_str(), &p.ends).await
    }
    .await;
    for e in &flow.exchanges {
        w.note(Evidence::Exchange(e.clone()));
    }
    w.note(Evidence::Note {
        text: format!("crafted authentication request: {what}"),
    });
    w.platform.crafted_after = before;
    w.platform.crafted = Some(flow);
    result
        .map(|_| ())
        .map_err(|why| w.error(&format!("the crafted request could not be made: {why}")))
}

fn set(params: &mut Vec<(String, String)>, name: &str, value: &str) {
    params.retain(|(k, _)| k != name);
    params.push((name.to_string(), value.to_string()));
}

#[when("Plugfest sends an authentication request with a redirect URI not registered for it")]
async fn foreign_redirect(w: &mut PlugfestWorld) -> StepResult {
    crafted(
        w,
        "redirect_uri is an address never registered for Plugfest",
        |p, foreign| set(p, "redirect_uri", foreign),
    )
    .await
}

#[when("Plugfest sends an authentication request with a client ID the platform did not issue")]
async fn wrong_client(w: &mut PlugfestWorld) -> StepResult {
    crafted(w, "client_id the platform did not issue", |p, _| {
        set(p, "client_id", "plugfest-not-a-registered-client")
    })
    .await
}

#[when(expr = "Plugfest sends an authentication request with {word} {string}")]
async fn wrong_param(w: &mut PlugfestWorld, name: String, value: String) -> StepResult {
    if !["response_type", "scope", "response_mode"].contains(&name.as_str()) {
        return Err(w.error(&format!(
            "the feature file changes `{name}`, which this step does not know"
        )));
    }
    crafted(w, &format!("{name} = {value}"), |p, _| {
        set(p, &name, &value)
    })
    .await
}

#[when("Plugfest sends an authentication request without a nonce")]
async fn no_nonce(w: &mut PlugfestWorld) -> StepResult {
    crafted(w, "no nonce", |p, _| p.retain(|(k, _)| k != "nonce")).await
}

#[then("the platform issues no id_token")]
async fn no_id_token(w: &mut PlugfestWorld) -> StepResult {
    let ctx = platform_ctx(w)?;
    let Some(flow) = w.platform.crafted.clone() else {
        return Err(w.error("no crafted authentication request was sent before this check"));
    };
    let check = "platform_oidc::no_id_token";
    let foreign = plat(&ctx).inbox.foreign_after(w.platform.crafted_after);
    let finding = if let Some(place) = user_agent::leaked_id_token(&flow) {
        Finding::not_met(
            check,
            "the platform issued an id_token for a request it must refuse",
            "an error, and no id_token anywhere",
            place,
        )
    } else if !foreign.is_empty() {
        Finding::not_met(
            check,
            "something was sent to the unregistered address",
            "nothing sent to an unregistered redirect URI",
            format!("{} request(s)", foreign.len()),
        )
    } else {
        let status = flow.auth_responses.last().map_or(0, |r| r.status);
        Finding::met(
            check,
            format!("refused without an id_token (HTTP {status})"),
        )
    };
    w.check(finding)
}
