//! Names and Role Provisioning Services of a platform under test (NRPS §2, §3.6.1; cert §5.3).

use super::platform_launch::{client, last, plat, platform_ctx};
use super::platform_token::token_for;
use crate::world::{Outcome, PlugfestWorld, StepResult};
use cucumber::{then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_http::Response;
use plugfest_lti::lti13::CLAIM;
use plugfest_lti::lti13::as_tool::nrps;
use serde_json::Value;
use std::collections::BTreeSet;

/// Most roster pages followed.
const MAX_PAGES: usize = 50;

fn not_offered(w: &mut PlugfestWorld) -> String {
    let why = "the platform does not claim NRPS (services) and its launch offers no names and roles claim";
    w.report.outcome = Some(Outcome::NotApplicable(why.into()));
    why.into()
}

fn memberships(w: &mut PlugfestWorld) -> Result<String, String> {
    let ctx = platform_ctx(w)?;
    let l = last(w)?;
    match nrps::memberships_url(&l.claims) {
        Some(u) => Ok(u),
        None if !plat(&ctx).role.offers("nrps") => Err(not_offered(w)),
        None => Err(w.error("the launch has no context_memberships_url, although the platform claims NRPS (see NRPS-PLAT-CLAIM-001)")),
    }
}

async fn get(
    w: &mut PlugfestWorld,
    url: &str,
    token: &str,
    query: Vec<(String, String)>,
) -> Result<Response, String> {
    let c = client(w)?;
    let sent = c.send(nrps::roster(url, token, query)).await;
    w.note(Evidence::Exchange(sent.exchange));
    sent.result
        .map_err(|e| w.error(&format!("the membership service could not be reached: {e}")))
}

#[then("the launch carries the names and roles claim")]
async fn claim(w: &mut PlugfestWorld) -> StepResult {
    let ctx = platform_ctx(w)?;
    let l = last(w)?;
    if l.claims.get(nrps::CLAIM).is_none() && !plat(&ctx).role.offers("nrps") {
        return Err(not_offered(w));
    }
    w.check(nrps::claim_is_usable(&l.claims))
}

#[when("Plugfest reads the course roster")]
async fn read(w: &mut PlugfestWorld) -> StepResult {
    let url = memberships(w)?;
    let token = token_for(w, "contextmembership.readonly").await?;
    let resp = get(w, &url, &token, vec![]).await?;
    w.platform.roster = vec![resp];
    Ok(())
}

fn first(w: &mut PlugfestWorld) -> Result<(Response, Value), String> {
    let Some(resp) = w.platform.roster.first().cloned() else {
        return Err(w.error("no roster was read before this check"));
    };
    match nrps::container(&resp) {
        Some(b) if resp.status == 200 => Ok((resp, b)),
        _ => Err(w.error(&format!(
            "the roster answer is not a JSON container (HTTP {}; see NRPS-PLAT-001)",
            resp.status
        ))),
    }
}

#[then(expr = "the roster is served as {string}")]
async fn served_as(w: &mut PlugfestWorld, _media: String) -> StepResult {
    let Some(resp) = w.platform.roster.first().cloned() else {
        return Err(w.error("no roster was read before this check"));
    };
    w.check(nrps::is_container(&resp))
}

#[then("the roster names the launch's course and each member's user ID and roles")]
async fn names_members(w: &mut PlugfestWorld) -> StepResult {
    let (_, body) = first(w)?;
    let l = last(w)?;
    let ctx_id = l
        .claims
        .get(format!("{CLAIM}context"))
        .and_then(|c| c.get("id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    w.check(nrps::names_context_and_members(&body, ctx_id.as_deref()))
}

#[then("the launching user is in the roster")]
async fn includes_user(w: &mut PlugfestWorld) -> StepResult {
    let (_, body) = first(w)?;
    let l = last(w)?;
    let Some(sub) = l
        .claims
        .get("sub")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return Err(w.error("the launch carries no sub to look for"));
    };
    w.check(nrps::includes_user(&body, &sub))
}

#[then("every member's roles are LTI role URIs or simple context role names")]
async fn roles(w: &mut PlugfestWorld) -> StepResult {
    let (_, body) = first(w)?;
    w.check(nrps::roles_are_lti(&body))
}

fn user_ids(body: &Value) -> BTreeSet<String> {
    nrps::members(body)
        .iter()
        .filter_map(|m| m.get("user_id").and_then(Value::as_str).map(str::to_string))
        .collect()
}

#[when(expr = "Plugfest reads the course roster {int} member at a time")]
async fn paged(w: &mut PlugfestWorld, limit: i64) -> StepResult {
    let url = memberships(w)?;
    let token = token_for(w, "contextmembership.readonly").await?;
    let full = get(w, &url, &token, vec![]).await?;
    let mut pages = vec![full];
    let mut next = Some((url, vec![("limit".to_string(), limit.to_string())]));
    while let Some((u, q)) = next.take() {
        if pages.len() > MAX_PAGES {
            break;
        }
        let resp = get(w, &u, &token, q).await?;
        next = nrps::link(&resp, "next").map(|n| (n, vec![]));
        pages.push(resp);
    }
    w.platform.roster = pages;
    Ok(())
}

#[then("each partial page links to the next and every member is reached")]
async fn pages_complete(w: &mut PlugfestWorld) -> StepResult {
    let pages = w.platform.roster.clone();
    let check = "platform_nrps::pages_complete";
    let Some(full) = pages.first().and_then(nrps::container) else {
        return Err(w.error("the unpaged roster could not be read (see NRPS-PLAT-001)"));
    };
    let all = user_ids(&full);
    if all.len() < 2 {
        return Err(w.error(&format!(
            "the course has {} member(s): paging with limit=1 needs at least two",
            all.len()
        )));
    }
    let mut seen = BTreeSet::new();
    for p in &pages[1..] {
        if let Some(b) = nrps::container(p) {
            seen.extend(user_ids(&b));
        }
    }
    let finding = if pages.len() > MAX_PAGES + 1 {
        Finding::not_met(
            check,
            "the next links do not end",
            format!("at most {} pages", all.len()),
            format!("more than {MAX_PAGES} pages"),
        )
    } else if seen != all {
        let missing: Vec<&String> = all.difference(&seen).collect();
        Finding::not_met(
            check,
            "following rel=\"next\" from a limited page does not reach every member",
            format!("{} members across the pages", all.len()),
            format!(
                "{} reached over {} page(s); missing {}",
                seen.len(),
                pages.len() - 1,
                missing.len()
            ),
        )
    } else {
        Finding::met(
            check,
            format!(
                "{} members over {} page(s) linked by rel=\"next\"",
                all.len(),
                pages.len() - 1
            ),
        )
    };
    w.check(finding)
}

#[then("the differences link, when offered, leads to a membership container")]
async fn differences(w: &mut PlugfestWorld) -> StepResult {
    let Some(resp) = w.platform.roster.first().cloned() else {
        return Err(w.error("no roster was read before this check"));
    };
    let Some(link) = nrps::link(&resp, "differences") else {
        let why = "the platform offers no rel=\"differences\" link (optional, NRPS §2.4.3)";
        w.report.outcome = Some(Outcome::NotApplicable(why.into()));
        return Err(why.into());
    };
    let token = token_for(w, "contextmembership.readonly").await?;
    let diff = get(w, &link, &token, vec![]).await?;
    let f = nrps::is_container(&diff);
    if !f.met {
        // MAY: an offered feature that does not work is reported, not failed.
        let why = format!(
            "the differences link is offered but does not serve a membership container: {}",
            f.observed.clone().unwrap_or_default()
        );
        w.report.outcome = Some(Outcome::NotApplicable(why.clone()));
        return Err(why);
    }
    w.check(f)
}

#[when(expr = "Plugfest reads the course roster filtered to the role {string}")]
async fn filtered(w: &mut PlugfestWorld, role: String) -> StepResult {
    let url = memberships(w)?;
    let token = token_for(w, "contextmembership.readonly").await?;
    let resp = get(w, &url, &token, vec![("role".into(), role.clone())]).await?;
    w.platform.roster = vec![resp];
    w.platform.role_filter = Some(role);
    Ok(())
}

#[then("only members with that role are listed")]
async fn only_role(w: &mut PlugfestWorld) -> StepResult {
    let (_, body) = first(w)?;
    let role = w.platform.role_filter.clone().unwrap_or_default();
    if nrps::members(&body).is_empty() {
        return Err(w.error("the filtered roster is empty: the course needs a member with that role to judge the filter"));
    }
    w.check(nrps::only_role(&body, &role))
}

#[when(expr = "Plugfest reads the course roster with a token for {string} only")]
async fn with_token(w: &mut PlugfestWorld, scope: String) -> StepResult {
    let url = memberships(w)?;
    let token = token_for(w, &scope).await?;
    let resp = get(w, &url, &token, vec![]).await?;
    w.platform.roster = vec![resp];
    Ok(())
}

#[then("the platform refuses the roster")]
async fn refused(w: &mut PlugfestWorld) -> StepResult {
    let Some(resp) = w.platform.roster.first().cloned() else {
        return Err(w.error("no roster request was made before this check"));
    };
    w.check(plugfest_lti::lti13::as_tool::ags::refused(
        &resp,
        "the roster for a token without the membership scope",
    ))
}
