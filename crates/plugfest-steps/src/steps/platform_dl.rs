//! Deep Linking with a platform under test (DL §4.4–§4.5, Sec §5.2; cert §5.2): the request's
//! settings, and how the platform takes valid and defective responses. Responses add content to
//! a course: they are sent only with `--allow-writes` from a launch in the sandbox course.

use super::platform_launch::{client, fresh, last, plat, platform_ctx};
use crate::world::{PlugfestWorld, StepResult};
use cucumber::{given, then, when};
use plugfest_core::Evidence;
use plugfest_lti::lti13::CLAIM;
use plugfest_lti::lti13::as_tool::deep_linking::{self as dl, ResponseDefect, ResponseSpec};
use plugfest_lti::lti13::as_tool::role::LaunchKind;
use serde_json::Value;

#[then("the deep linking settings name a return URL, accepted types and presentation targets")]
async fn settings(w: &mut PlugfestWorld) -> StepResult {
    let l = last(w)?;
    w.check(dl::settings_are_complete(&l.claims))
}

#[given("a fresh deep linking launch in which writes are allowed")]
async fn fresh_launch(w: &mut PlugfestWorld) -> StepResult {
    let ctx = platform_ctx(w)?;
    if !ctx.allow_writes {
        return Err(w.not_assessed("a deep linking response adds content to a course: run with --allow-writes (responses are sent only from the sandbox course)"));
    }
    let Some(sandbox) = plat(&ctx).role.sandbox_context.clone() else {
        return Err(w.not_assessed("a deep linking response adds content to a course: name the sandbox course in sandbox_context"));
    };
    let l = fresh(w, LaunchKind::DeepLinking).await?;
    let context = l
        .claims
        .get(format!("{CLAIM}context"))
        .and_then(|c| c.get("id"))
        .and_then(Value::as_str);
    if context != Some(sandbox.as_str()) {
        return Err(w.not_assessed(&format!(
            "the deep linking launch comes from course {}, not the sandbox course {sandbox}",
            context.unwrap_or("(none)")
        )));
    }
    if dl::return_url(&l.claims).is_none() {
        return Err(
            w.error("the deep linking launch names no deep_link_return_url (see DL-PLAT-REQ-002)")
        );
    }
    Ok(())
}

async fn respond(w: &mut PlugfestWorld, defect: ResponseDefect, times: usize) -> StepResult {
    let ctx = platform_ctx(w)?;
    let p = plat(&ctx);
    let l = last(w)?;
    let return_url = dl::return_url(&l.claims).unwrap_or_default();
    let nonce = w.fresh_id("deep linking response nonce");
    let title = format!("Plugfest check {}", w.fresh_id("deep link title"));
    let data = l
        .claims
        .get(dl::SETTINGS)
        .and_then(|s| s.get("data"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let spec = ResponseSpec {
        client_id: &p.role.client_id,
        issuer: &p.role.issuer,
        deployment_id: &p.role.deployment_id,
        nonce: &nonce,
        data: data.as_deref(),
        title: &title,
        url: &p.ends.launch_url,
    };
    let claims = dl::response_claims(&spec, defect);
    let jwt =
        dl::response_jwt(&p.tool_key, &claims, defect).map_err(|e| w.error(&e.to_string()))?;
    if let Some((header, c)) = plugfest_lti::jws::decode_unverified(&jwt) {
        w.note(Evidence::Jwt {
            label: format!("deep linking response ({defect:?})"),
            header,
            claims: c,
        });
    }
    for _ in 0..times {
        let c = client(w)?;
        let sent = c.send(dl::post(&return_url, &jwt)).await;
        w.note(Evidence::Exchange(sent.exchange));
        let resp = sent.result.map_err(|e| {
            w.error(&format!(
                "the deep_link_return_url could not be reached: {e}"
            ))
        })?;
        w.platform.dl_answers.push(resp);
    }
    w.note(Evidence::Note {
        text: format!("clean-up: a link titled \"{title}\" may now exist in the sandbox course; LTI offers no call to remove it, so remove it by hand if the platform kept it"),
    });
    Ok(())
}

#[when("Plugfest returns a valid deep linking response")]
async fn valid(w: &mut PlugfestWorld) -> StepResult {
    respond(w, ResponseDefect::None, 1).await
}

#[when("Plugfest returns a deep linking response addressed to another platform")]
async fn wrong_aud(w: &mut PlugfestWorld) -> StepResult {
    respond(w, ResponseDefect::WrongAudience, 1).await
}

#[when("Plugfest returns a deep linking response naming an unknown deployment")]
async fn unknown_deployment(w: &mut PlugfestWorld) -> StepResult {
    respond(w, ResponseDefect::UnknownDeployment, 1).await
}

#[when("Plugfest returns a deep linking response whose signature does not verify")]
async fn bad_signature(w: &mut PlugfestWorld) -> StepResult {
    respond(w, ResponseDefect::BadSignature, 1).await
}

#[when("Plugfest returns the same valid deep linking response twice")]
async fn twice(w: &mut PlugfestWorld) -> StepResult {
    respond(w, ResponseDefect::None, 2).await
}

#[then("the platform accepts the deep linking response")]
async fn accepted(w: &mut PlugfestWorld) -> StepResult {
    let Some(resp) = w.platform.dl_answers.last().cloned() else {
        return Err(w.error("no deep linking response was sent before this check"));
    };
    w.check(dl::accepted(&resp))
}

#[then("the platform refuses the deep linking response")]
async fn refused(w: &mut PlugfestWorld) -> StepResult {
    let Some(resp) = w.platform.dl_answers.last().cloned() else {
        return Err(w.error("no deep linking response was sent before this check"));
    };
    w.check(dl::refused(&resp, "the defective deep linking response"))
}

#[then("the platform refuses the second deep linking response")]
async fn refused_second(w: &mut PlugfestWorld) -> StepResult {
    let answers = w.platform.dl_answers.clone();
    let [first, second] = answers.as_slice() else {
        return Err(w.error("the response was not sent twice"));
    };
    if first.status >= 400 {
        return Err(w.error(&format!("the first, valid response was refused (HTTP {}), so the replay cannot be judged (see DL-PLAT-RESP-001)", first.status)));
    }
    w.check(dl::refused(second, "a replayed deep linking response"))
}
