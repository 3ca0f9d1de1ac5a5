//! Steps about the tool's own key set (Sec §6.2–§6.3).

use crate::world::{Outcome, PlugfestWorld, StepResult, tool};
use cucumber::{then, when};
use plugfest_core::Evidence;
use plugfest_http::Request;
use plugfest_lti::lti13::tool_keys;

#[when("the tool's key set is fetched")]
async fn fetch_key_set(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti13_tool()?;
    let Some(url) = tool(&ctx).role.tool_jwks_url.clone() else {
        let why = "the config names no tool_jwks_url: the tool publishes no key set to check";
        w.report.outcome = Some(Outcome::NotApplicable(why.into()));
        return Err(why.into());
    };
    let client = w.browser(true)?;
    let sent = client
        .send(Request::get("the tool's key set (Sec §6.3)", &url))
        .await;
    w.note(Evidence::Exchange(sent.exchange));
    let resp = sent
        .result
        .map_err(|e| w.error(&format!("the key set could not be fetched: {e}")))?;
    let (finding, keys) = tool_keys::is_key_set(&resp);
    w.key_set = keys;
    w.check(finding)
}

fn key_set(w: &mut PlugfestWorld) -> Result<Vec<serde_json::Value>, String> {
    w.key_set
        .clone()
        .ok_or_else(|| w.error("no key set was read before this check"))
}

#[then("every key is an RS256 signing key with a kid")]
async fn keys_have_kid(w: &mut PlugfestWorld) -> StepResult {
    let keys = key_set(w)?;
    w.check(tool_keys::keys_are_rs256_with_kid(&keys))
}

#[then("no key carries private key material")]
async fn keys_are_public(w: &mut PlugfestWorld) -> StepResult {
    let keys = key_set(w)?;
    w.check(tool_keys::no_private_members(&keys))
}

#[then("it is a JSON Web Key set")]
async fn is_key_set(w: &mut PlugfestWorld) -> StepResult {
    // Judged when fetched (`tool_keys::is_key_set`); this step states it for the reader.
    if w.key_set.is_none() {
        return Err(w.error("no key set was read before this check"));
    }
    Ok(())
}
