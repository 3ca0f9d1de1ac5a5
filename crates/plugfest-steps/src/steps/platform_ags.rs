//! Assignment and Grade Services of a platform under test (AGS §3; cert §5.4): Plugfest plays
//! the tool. Writes happen only with `--allow-writes` in the sandbox course (and the course of the
//! configured second-context launch); every line item created is deleted at the end of the
//! scenario, whatever happened, and the clean-up is in the evidence.

use super::platform_launch::{client, plat, platform_ctx};
use super::platform_state::CreatedItem;
use super::platform_token::token_for;
use crate::world::{Outcome, PlugfestWorld, StepResult};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_http::{Request, Response};
use plugfest_lti::lti13::CLAIM;
use plugfest_lti::lti13::as_tool::ags::{self, MT_CONTAINER, MT_LINEITEM};
use plugfest_lti::lti13::as_tool::role::LaunchKind;
use serde_json::Value;

const MAXIMUM: f64 = 10.0;

async fn send(w: &mut PlugfestWorld, req: Request) -> Result<Response, String> {
    let c = client(w)?;
    let sent = c.send(req).await;
    w.note(Evidence::Exchange(sent.exchange));
    match sent.result {
        Ok(r) => Ok(r),
        Err(e) => Err(w.error(&format!("the platform could not be reached: {e}"))),
    }
}

/// Delete every line item the scenario created and has not deleted, with the evidence.
async fn cleanup(w: &mut PlugfestWorld) {
    let items: Vec<CreatedItem> = w
        .platform
        .created
        .iter()
        .filter(|c| !c.deleted)
        .cloned()
        .collect();
    if items.is_empty() {
        return;
    }
    let Some(token) = w.platform.cleanup_token.clone() else {
        w.note(Evidence::Note {
            text: format!(
                "clean-up impossible: no lineitem-scope token; remove by hand: {}",
                items
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        return;
    };
    for item in items {
        let c = match client(w) {
            Ok(c) => c,
            Err(_) => return,
        };
        let sent = c.send(ags::item("DELETE", &item.id, &token, None)).await;
        let status = sent.result.as_ref().map(|r| r.status).ok();
        w.note(Evidence::Exchange(sent.exchange));
        w.note(Evidence::Note {
            text: match status {
                Some(s) if (200..300).contains(&s) => {
                    format!("clean-up: deleted line item {} (HTTP {s})", item.id)
                }
                other => format!(
                    "clean-up FAILED for line item {} ({}); remove it by hand",
                    item.id,
                    other.map_or("no answer".into(), |s| format!("HTTP {s}"))
                ),
            },
        });
        for c in w.platform.created.iter_mut().filter(|c| c.id == item.id) {
            c.deleted = true;
        }
    }
}

/// End a step: clean up on failure (a failed step ends the scenario) and pass the result on.
async fn step_end(w: &mut PlugfestWorld, r: StepResult) -> StepResult {
    if r.is_err() {
        cleanup(w).await;
    }
    r
}

/// End the scenario's last step: always clean up.
async fn last_step(w: &mut PlugfestWorld, r: StepResult) -> StepResult {
    cleanup(w).await;
    r
}

fn course_launch(
    w: &mut PlugfestWorld,
) -> Result<plugfest_lti::lti13::as_tool::role::LaunchKind, String> {
    w.platform
        .launches
        .first()
        .map(|l| l.kind)
        .ok_or_else(|| w.error("no launch was taken before this step"))
}

/// The `lineitems` URL of the launch of `kind` (the scenario's first launch when `None`);
/// not applicable when the platform neither claims nor offers AGS.
fn lineitems(w: &mut PlugfestWorld, kind: Option<LaunchKind>) -> Result<String, String> {
    let ctx = platform_ctx(w)?;
    let kind = match kind {
        Some(k) => k,
        None => course_launch(w)?,
    };
    let claims = w
        .platform
        .launch(kind)
        .map(|l| l.claims.clone())
        .unwrap_or(Value::Null);
    match ags::lineitems_url(&claims) {
        Some(u) => Ok(u),
        None if !plat(&ctx).role.offers("ags") => {
            let why = "the platform does not claim AGS (services) and its launch offers no AGS claim";
            w.report.outcome = Some(Outcome::NotApplicable(why.into()));
            Err(why.into())
        }
        None => Err(w.error(&format!("the {} launch has no AGS lineitems URL, although the platform claims AGS (see AGS-PLAT-CLAIM-001)", kind.name()))),
    }
}

#[then("the launch carries the AGS endpoint claim")]
async fn claim(w: &mut PlugfestWorld) -> StepResult {
    let ctx = platform_ctx(w)?;
    let l = super::platform_launch::last(w)?;
    if l.claims.get(ags::CLAIM).is_none() && !plat(&ctx).role.offers("ags") {
        let why = "the platform does not claim AGS and its launch carries no AGS claim";
        w.report.outcome = Some(Outcome::NotApplicable(why.into()));
        return Err(why.into());
    }
    w.check(ags::claim_is_usable(&l.claims))
}

#[given("writes are allowed in the launch's course")]
async fn writes_allowed(w: &mut PlugfestWorld) -> StepResult {
    let ctx = platform_ctx(w)?;
    if !ctx.allow_writes {
        return Err(w.not_assessed("this check writes to the platform: run with --allow-writes (writes happen only in the configured sandbox_context)"));
    }
    let Some(sandbox) = plat(&ctx).role.sandbox_context.clone() else {
        return Err(w.not_assessed("this check writes to the platform: name the sandbox course in [roles.lti13-platform] sandbox_context"));
    };
    let kind = course_launch(w)?;
    let context = w.platform.launch(kind).and_then(|l| {
        l.claims
            .get(format!("{CLAIM}context"))
            .and_then(|c| c.get("id"))
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    if context.as_deref() != Some(sandbox.as_str()) {
        return Err(w.not_assessed(&format!(
            "the {} launch comes from course {}, not the sandbox course {sandbox}; Plugfest writes only in the sandbox",
            kind.name(),
            context.unwrap_or("(none)".into())
        )));
    }
    w.platform.writes_ok = true;
    w.note(Evidence::Note {
        text: format!("writes allowed: --allow-writes, sandbox course {sandbox}"),
    });
    Ok(())
}

async fn lineitem_token(w: &mut PlugfestWorld) -> Result<String, String> {
    if let Some(t) = w.platform.cleanup_token.clone() {
        return Ok(t);
    }
    let t = token_for(w, "lineitem").await?;
    w.platform.cleanup_token = Some(t.clone());
    Ok(t)
}

/// POST a new line item to `url` as `content_type` with `token`; registers it for clean-up when
/// the answer names an id.
async fn create_at(
    w: &mut PlugfestWorld,
    url: &str,
    token: &str,
    content_type: &str,
) -> Result<(Response, String), String> {
    if !w.platform.writes_ok {
        return Err(w.error("internal: a write step ran without the writes-allowed step"));
    }
    let label = format!("Plugfest check {}", w.fresh_id("line item label"));
    let resource = w.fresh_id("resource id");
    let item = ags::new_line_item(&label, MAXIMUM, &resource);
    let resp = send(w, ags::create(url, token, &item, content_type)).await?;
    if let Some(id) =
        ags::json_body(&resp).and_then(|b| b.get("id").and_then(Value::as_str).map(str::to_string))
        && (200..300).contains(&resp.status)
    {
        w.platform.created.push(CreatedItem {
            id,
            label: label.clone(),
            maximum: MAXIMUM,
            sent: item.clone(),
            deleted: false,
        });
    }
    Ok((resp, label))
}

#[when("Plugfest lists the course's line items")]
async fn list(w: &mut PlugfestWorld) -> StepResult {
    let url = lineitems(w, None)?;
    let token = token_for(w, "lineitem.readonly").await?;
    let resp = send(w, ags::list(&url, &token, MT_CONTAINER)).await?;
    w.platform.last = Some(resp);
    Ok(())
}

#[when(expr = "Plugfest lists the course's line items accepting only {string}")]
async fn list_accepting(w: &mut PlugfestWorld, accept: String) -> StepResult {
    let url = lineitems(w, None)?;
    let token = token_for(w, "lineitem.readonly").await?;
    let resp = send(w, ags::list(&url, &token, &accept)).await?;
    w.platform.last = Some(resp);
    Ok(())
}

fn last(w: &mut PlugfestWorld) -> Result<Response, String> {
    w.platform
        .last
        .clone()
        .ok_or_else(|| w.error("no service call was made before this check"))
}

#[then(expr = "the platform answers 200 in the media type {string} with a JSON array")]
async fn array_in(w: &mut PlugfestWorld, media: String) -> StepResult {
    let resp = last(w)?;
    w.check(ags::is_array_in(&resp, &media))
}

#[when("Plugfest creates a line item")]
async fn create(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let url = lineitems(w, None)?;
        let token = lineitem_token(w).await?;
        let (resp, _) = create_at(w, &url, &token, MT_LINEITEM).await?;
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("the platform answers 201 with the created line item and its URL")]
async fn created(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = last(w)?;
        let (f, _) = ags::created(&resp);
        w.check(f)
    }
    .await;
    last_step(w, r).await
}

#[given("Plugfest has created a line item")]
async fn has_created(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let url = lineitems(w, None)?;
        let token = lineitem_token(w).await?;
        let (resp, _) = create_at(w, &url, &token, MT_LINEITEM).await?;
        let (f, id) = ags::created(&resp);
        if id.is_none() || !(200..300).contains(&resp.status) {
            return Err(w.error(&format!(
                "the line item this check needs could not be created ({}; see AGS-PLAT-LI-002)",
                f.observed.unwrap_or(f.message)
            )));
        }
        Ok(())
    }
    .await;
    step_end(w, r).await
}

fn item(w: &mut PlugfestWorld) -> Result<CreatedItem, String> {
    w.platform
        .created
        .first()
        .cloned()
        .ok_or_else(|| w.error("no line item was created before this step"))
}

#[when("Plugfest reads the line item")]
async fn read(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let it = item(w)?;
        let token = lineitem_token(w).await?;
        let resp = send(w, ags::item("GET", &it.id, &token, None)).await?;
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("it is served under the same id with the resourceId and tag Plugfest gave")]
async fn read_back(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = last(w)?;
        let it = item(w)?;
        w.check(ags::read_back(&resp, &it.id, &it.sent))
    }
    .await;
    last_step(w, r).await
}

#[then("it has the label and maximum score Plugfest gave")]
async fn has_values(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = last(w)?;
        let it = item(w)?;
        w.check(ags::preserves_values(&resp, &it.label, it.maximum))
    }
    .await;
    last_step(w, r).await
}

#[when("Plugfest renames the line item")]
async fn rename(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let it = item(w)?;
        let token = lineitem_token(w).await?;
        let label = format!("{} (renamed)", it.label);
        let mut body = it.sent.clone();
        body["id"] = serde_json::json!(it.id);
        body["label"] = serde_json::json!(label);
        let resp = send(w, ags::item("PUT", &it.id, &token, Some(&body))).await?;
        if let Some(c) = w.platform.created.first_mut() {
            c.label = label;
        }
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("the line item keeps its id and the answer is the definition as applied")]
async fn renamed(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let put = last(w)?;
        w.check(ags::succeeded(&put, "the update (PUT)"))?;
        let it = item(w)?;
        // AGS §3.2.6: the id must not change — neither in the PUT's answer, when it has a body,
        // nor when the line item is read again.
        w.check(ags::same_id(&put, &it.id))?;
        let token = lineitem_token(w).await?;
        let resp = send(w, ags::item("GET", &it.id, &token, None)).await?;
        w.check(ags::read_back(&resp, &it.id, &it.sent))?;
        w.check(ags::answered_as_applied(&put, &resp))
    }
    .await;
    last_step(w, r).await
}

#[when("Plugfest deletes the line item")]
async fn delete(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let it = item(w)?;
        let token = lineitem_token(w).await?;
        let resp = send(w, ags::item("DELETE", &it.id, &token, None)).await?;
        if (200..300).contains(&resp.status)
            && let Some(c) = w.platform.created.first_mut()
        {
            c.deleted = true;
        }
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("the line item is gone")]
async fn gone(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let del = last(w)?;
        w.check(ags::succeeded(&del, "the deletion"))?;
        let it = item(w)?;
        let token = lineitem_token(w).await?;
        let resp = send(w, ags::item("GET", &it.id, &token, None)).await?;
        w.check(ags::status_is(
            &resp,
            404,
            "the deleted line item is still served",
        ))
    }
    .await;
    last_step(w, r).await
}

#[when(expr = "Plugfest creates a line item sent as {string}")]
async fn create_as(w: &mut PlugfestWorld, content_type: String) -> StepResult {
    let r = async {
        let url = lineitems(w, None)?;
        let token = lineitem_token(w).await?;
        let (resp, _) = create_at(w, &url, &token, &content_type).await?;
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("the platform answers 415 Unsupported Media Type")]
async fn is_415(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = last(w)?;
        w.check(ags::status_is(&resp, 415, "a line item in the wrong media type was not refused with 415 (AGS §3.2.1 names application/vnd.ims.lis.v2.lineitem+json; RFC 9110 §15.5.16)"))
    }
    .await;
    last_step(w, r).await
}

#[then("the platform answers 406 Not Acceptable")]
async fn is_406(w: &mut PlugfestWorld) -> StepResult {
    let resp = last(w)?;
    w.check(ags::status_is(&resp, 406, "a request accepting only a media type the service does not serve was not answered 406 (RFC 9110 §15.5.7)"))
}

fn student(w: &mut PlugfestWorld) -> Result<String, String> {
    w.platform
        .launch(LaunchKind::Student)
        .and_then(|l| {
            l.claims
                .get("sub")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .ok_or_else(|| w.error("the student launch carries no sub to score"))
}

async fn post_score(
    w: &mut PlugfestWorld,
    given: i64,
    maximum: i64,
    offset_ms: i64,
) -> Result<Response, String> {
    let it = item(w)?;
    let user = student(w)?;
    let token = token_for(w, "score").await?;
    let score = ags::score(
        &user,
        given as f64,
        maximum as f64,
        &ags::timestamp(offset_ms),
    );
    let resp = send(w, ags::post_score(&it.id, &token, &score)).await?;
    w.platform
        .scores
        .push((it.id, user, given as f64, maximum as f64));
    Ok(resp)
}

#[when(expr = "Plugfest posts a score of {int} out of {int} for the student")]
async fn posts_score(w: &mut PlugfestWorld, given: i64, maximum: i64) -> StepResult {
    let r = async {
        let resp = post_score(w, given, maximum, 0).await?;
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[given(expr = "Plugfest has posted a score of {int} out of {int} for the student")]
async fn has_posted(w: &mut PlugfestWorld, given: i64, maximum: i64) -> StepResult {
    let r = async {
        let resp = post_score(w, given, maximum, 0).await?;
        if !(200..300).contains(&resp.status) {
            return Err(w.error(&format!(
                "the score this check needs was not accepted (HTTP {}; see AGS-PLAT-SCORE-001)",
                resp.status
            )));
        }
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[when(
    expr = "Plugfest posts a score of {int} out of {int} for the student with an earlier timestamp"
)]
async fn posts_older(w: &mut PlugfestWorld, given: i64, maximum: i64) -> StepResult {
    let r = async {
        let resp = post_score(w, given, maximum, -60_000).await?;
        w.note(Evidence::Note { text: format!("the older score was answered HTTP {} (409 Conflict or ignoring it are both allowed, AGS §3.4.9)", resp.status) });
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("the platform accepts the score")]
async fn score_accepted(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = last(w)?;
        w.check(ags::succeeded(&resp, "the score (200, 201, 202 or 204)"))
    }
    .await;
    last_step(w, r).await
}

async fn read_results(w: &mut PlugfestWorld) -> Result<Response, String> {
    let it = item(w)?;
    let token = token_for(w, "result.readonly").await?;
    send(w, ags::results(&it.id, &token)).await
}

#[when("Plugfest reads the line item's results")]
async fn reads_results(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = read_results(w).await?;
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then(expr = "the student's result is {int} in a result container naming the line item")]
async fn result_is(w: &mut PlugfestWorld, given: i64) -> StepResult {
    let r = async {
        let resp = last(w)?;
        let it = item(w)?;
        let user = student(w)?;
        w.check(ags::result_is(&resp, &it.id, &user, given as f64, MAXIMUM))
    }
    .await;
    last_step(w, r).await
}

#[then(expr = "the student's result is still {int}")]
async fn result_still(w: &mut PlugfestWorld, given: i64) -> StepResult {
    let r = async {
        let resp = read_results(w).await?;
        let user = student(w)?;
        w.check(ags::score_on_record(&resp, &user, given as f64, MAXIMUM))
    }
    .await;
    last_step(w, r).await
}

#[when(expr = "Plugfest tries to delete the line item with a token for {string} only")]
async fn delete_with(w: &mut PlugfestWorld, scope: String) -> StepResult {
    let r = async {
        let it = item(w)?;
        let token = token_for(w, &scope).await?;
        let resp = send(w, ags::item("DELETE", &it.id, &token, None)).await?;
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("the platform refuses and the line item still exists")]
async fn refused_still_there(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = last(w)?;
        w.check(ags::refused(
            &resp,
            "a deletion with a result.readonly token",
        ))?;
        let it = item(w)?;
        let token = lineitem_token(w).await?;
        let again = send(w, ags::item("GET", &it.id, &token, None)).await?;
        w.check(ags::status_is(
            &again,
            200,
            "the line item is gone after a refused deletion",
        ))
    }
    .await;
    last_step(w, r).await
}

#[when(expr = "Plugfest tries to create a line item with a token for {string} only")]
async fn create_with(w: &mut PlugfestWorld, scope: String) -> StepResult {
    let r = async {
        let url = lineitems(w, None)?;
        // The clean-up token first, so a wrongly created item can be removed.
        lineitem_token(w).await?;
        let token = token_for(w, &scope).await?;
        let (resp, _) = create_at(w, &url, &token, MT_LINEITEM).await?;
        w.platform.last = Some(resp);
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("the platform refuses to create it")]
async fn refused_create(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let resp = last(w)?;
        w.check(ags::refused(
            &resp,
            "a line item creation with a score-only token",
        ))
    }
    .await;
    last_step(w, r).await
}

/// One call of the certification flow: recorded as a failure when not 2xx.
fn flow_call(w: &mut PlugfestWorld, what: &str, resp: &Response) -> bool {
    let ok = (200..300).contains(&resp.status);
    if !ok {
        w.platform
            .flow_failures
            .push(format!("{what}: HTTP {}", resp.status));
    }
    ok
}

/// A token for exactly one scope; a token answer whose `scope` names others is a failure.
async fn one_scope_token(w: &mut PlugfestWorld, scope: &str) -> Result<String, String> {
    let t = token_for(w, scope).await?;
    if let Some((a, req)) = w.platform.tokens.last().cloned() {
        let granted = a.granted(&req).join(" ");
        if granted != plugfest_lti::lti13::as_tool::token_client::scope_uri(scope) {
            w.platform.flow_failures.push(format!(
                "a token for {scope} only was asked, the platform granted `{granted}`"
            ));
        }
    }
    Ok(t)
}

async fn create_for_flow(
    w: &mut PlugfestWorld,
    url: &str,
    token: &str,
    what: &str,
) -> Result<Option<String>, String> {
    let (resp, _) = create_at(w, url, token, MT_LINEITEM).await?;
    let (f, id) = ags::created(&resp);
    if !f.met {
        w.platform
            .flow_failures
            .push(format!("{what}: {}", f.observed.unwrap_or(f.message)));
    }
    Ok(id)
}

#[when("Plugfest runs the first AGS phase of the certification guide")]
async fn phase_one(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let url = lineitems(w, None)?;
        let token = one_scope_token(w, "lineitem").await?;
        w.platform.cleanup_token = Some(token.clone());
        let li1 = create_for_flow(w, &url, &token, "Create Line Item 1").await?;
        if let Some(id) = li1 {
            let resp = send(w, ags::item("GET", &id, &token, None)).await?;
            flow_call(w, "Retrieve Line Item 1", &resp);
        }
        create_for_flow(w, &url, &token, "Create Line Item 2").await?;
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[when("Plugfest runs the second AGS phase of the certification guide")]
async fn phase_two(w: &mut PlugfestWorld) -> StepResult {
    let r = async {
        let url1 = lineitems(w, Some(LaunchKind::Student))?;
        let url3 = lineitems(w, Some(LaunchKind::SecondContext))?;
        if url1 == url3 {
            w.platform.flow_failures.push(
                "the second course's launch names the same lineitems URL as the first course's"
                    .into(),
            );
        }
        let user1 = student(w)?;
        // The certification's student, enrolled in both courses (the README says so).
        let user3 = user1.clone();
        let lineitem = one_scope_token(w, "lineitem").await?;
        w.platform.cleanup_token = Some(lineitem.clone());
        let li1 = create_for_flow(w, &url1, &lineitem, "Create Line Item 1 (first course)").await?;
        let li3 =
            create_for_flow(w, &url3, &lineitem, "Create Line Item 3 (second course)").await?;
        let (Some(li1), Some(li3)) = (li1, li3) else {
            return Ok(());
        };
        let score = one_scope_token(w, "score").await?;
        for (what, li, user, given) in [
            ("Post Score Line Item 3", &li3, &user3, 6.0),
            ("Post Score Line Item 1", &li1, &user1, 9.0),
        ] {
            let body = ags::score(user, given, MAXIMUM, &ags::timestamp(0));
            let resp = send(w, ags::post_score(li, &score, &body)).await?;
            flow_call(w, what, &resp);
        }
        let results = one_scope_token(w, "result.readonly").await?;
        for (what, li) in [
            ("Retrieve Results Line Item 3", &li3),
            ("Retrieve Results Line Item 1", &li1),
        ] {
            let resp = send(w, ags::results(li, &results)).await?;
            // Cert §5.4 "Retrieve Results" is the retrieval; the results' content is judged
            // by AGS-PLAT-RES-001.
            let f = ags::is_array_in(&resp, ags::MT_RESULTS);
            if !f.met {
                w.platform
                    .flow_failures
                    .push(format!("{what}: {}", f.observed.unwrap_or(f.message)));
            }
        }
        Ok(())
    }
    .await;
    step_end(w, r).await
}

#[then("every call of the phase succeeded")]
async fn phase_ok(w: &mut PlugfestWorld) -> StepResult {
    let r = {
        let failures = w.platform.flow_failures.clone();
        let f = if failures.is_empty() {
            Finding::met(
                "platform_ags::certification_phase",
                "every call of the phase succeeded with one-scope tokens",
            )
        } else {
            Finding::not_met(
                "platform_ags::certification_phase",
                "calls of the certification phase failed",
                "every call 2xx with a token for its scope only",
                failures.join("; "),
            )
        };
        w.check(f)
    };
    last_step(w, r).await
}
