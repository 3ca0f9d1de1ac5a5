//! The platform's token endpoint (Sec §4.1.1, RFC 6749/7523): Plugfest asks for access tokens
//! with valid and defective client assertions, and gets one-scope tokens for the service steps.

use super::platform_launch::{client, plat, platform_ctx};
use crate::world::{PlugfestWorld, StepResult};
use cucumber::{then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_lti::lti13::as_tool::token_client::{
    self as tc, ASSERTION_TYPE, AssertionDefect, SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY,
    SCOPE_NRPS, SCOPE_RESULT_READONLY, SCOPE_SCORE, SCOPE_UNKNOWN, TokenAnswer,
};

/// The scopes of the services the platform claims (all AGS scopes for `ags`, the membership
/// scope for `nrps`).
pub fn claimed_scopes(w: &mut PlugfestWorld) -> Result<Vec<String>, String> {
    let ctx = platform_ctx(w)?;
    let role = &plat(&ctx).role;
    let mut out = Vec::new();
    if role.offers("ags") {
        out.extend(
            [
                SCOPE_LINEITEM,
                SCOPE_LINEITEM_READONLY,
                SCOPE_RESULT_READONLY,
                SCOPE_SCORE,
            ]
            .map(String::from),
        );
    }
    if role.offers("nrps") {
        out.push(SCOPE_NRPS.to_string());
    }
    Ok(out)
}

/// Ask for a token for `scopes` with an assertion having `defect` (aud `audience`, default the
/// configured one) and `assertion_type`; the answer is recorded.
pub async fn request(
    w: &mut PlugfestWorld,
    scopes: &[String],
    defect: AssertionDefect,
    audience: Option<&str>,
    assertion_type: &str,
    jti: Option<&str>,
) -> Result<(TokenAnswer, String), String> {
    let ctx = platform_ctx(w)?;
    let p = plat(&ctx);
    let jti = match jti {
        Some(j) => j.to_string(),
        None => w.fresh_id("client assertion jti"),
    };
    let aud = audience.unwrap_or(p.role.assertion_audience()).to_string();
    let assertion = tc::assertion(&p.tool_key, &p.role.client_id, &aud, &jti, defect)
        .map_err(|e| w.error(&e.to_string()))?;
    if let Some((header, claims)) = plugfest_lti::jws::decode_unverified(&assertion) {
        w.note(Evidence::Jwt {
            label: format!("client assertion ({defect:?})"),
            header,
            claims,
        });
    }
    let client = client(w)?;
    let sent = client
        .send(tc::request(
            &p.role.token_url,
            &assertion,
            assertion_type,
            scopes,
        ))
        .await;
    w.note(Evidence::Exchange(sent.exchange));
    let resp = sent
        .result
        .map_err(|e| w.error(&format!("the token endpoint could not be reached: {e}")))?;
    let answer = TokenAnswer::read(&resp);
    w.platform.tokens.push((answer.clone(), scopes.to_vec()));
    Ok((answer, assertion))
}

/// A token for exactly `scope` (a short AGS/NRPS name or a URI), or an error outcome.
pub async fn token_for(w: &mut PlugfestWorld, scope: &str) -> Result<String, String> {
    let scopes = vec![tc::scope_uri(scope)];
    let answer = valid_request(w, &scopes).await?;
    match answer
        .access_token
        .filter(|_| (200..300).contains(&answer.status))
    {
        Some(t) => Ok(t),
        None => Err(w.error(&format!(
            "no access token for the scope {scope}: the token endpoint answered HTTP {}{}",
            answer.status,
            answer.error.map(|e| format!(" ({e})")).unwrap_or_default()
        ))),
    }
}

/// The first scope the platform claims (the membership scope when it claims none), alone.
fn one_scope(w: &mut PlugfestWorld) -> Result<Vec<String>, String> {
    Ok(vec![
        claimed_scopes(w)?
            .into_iter()
            .next()
            .unwrap_or(SCOPE_NRPS.to_string()),
    ])
}

/// Ask for a token for `scopes` with a valid client assertion; the answer is recorded.
async fn valid_request(w: &mut PlugfestWorld, scopes: &[String]) -> Result<TokenAnswer, String> {
    request(w, scopes, AssertionDefect::None, None, ASSERTION_TYPE, None)
        .await
        .map(|(a, _)| a)
}

fn last_answer(w: &mut PlugfestWorld) -> Result<(TokenAnswer, Vec<String>), String> {
    w.platform
        .tokens
        .last()
        .cloned()
        .ok_or_else(|| w.error("no token request was made before this check"))
}

#[when("Plugfest requests an access token with a valid client assertion")]
async fn valid(w: &mut PlugfestWorld) -> StepResult {
    let mut scopes = claimed_scopes(w)?;
    if scopes.is_empty() {
        // A platform that claims no service still has the token endpoint of the contract; ask
        // for the one scope every Advantage platform knows.
        scopes.push(SCOPE_NRPS.to_string());
    }
    valid_request(w, &scopes).await.map(|_| ())
}

#[then("the token endpoint issues a bearer token for the requested scopes")]
async fn issued(w: &mut PlugfestWorld) -> StepResult {
    let (a, scopes) = last_answer(w)?;
    w.check(tc::issues_bearer_token(&a, &scopes))
}

#[then("the token response says Cache-Control no-store")]
async fn no_store(w: &mut PlugfestWorld) -> StepResult {
    let (a, _) = last_answer(w)?;
    if !a.issued() {
        return Err(
            w.error("no token was issued, so the caching of a token response cannot be judged")
        );
    }
    w.check(tc::not_cacheable(&a))
}

async fn defective(w: &mut PlugfestWorld, defect: AssertionDefect) -> StepResult {
    let scopes = one_scope(w)?;
    // Control: the same request without the defect must get a token.
    let control = valid_request(w, &scopes).await?;
    if !control.issued() {
        return Err(w.error("a valid client assertion gets no token either, so a refusal of the defective one proves nothing (see LTI13-PLAT-OAUTH-001)"));
    }
    request(w, &scopes, defect, None, ASSERTION_TYPE, None)
        .await
        .map(|_| ())
}

#[when("Plugfest requests an access token with a client assertion addressed to another audience")]
async fn wrong_aud(w: &mut PlugfestWorld) -> StepResult {
    defective(w, AssertionDefect::WrongAudience).await
}

#[when(
    "Plugfest requests an access token with a client assertion whose issuer and subject are another client"
)]
async fn other_client(w: &mut PlugfestWorld) -> StepResult {
    defective(w, AssertionDefect::OtherClient).await
}

#[when("Plugfest requests an access token with a client assertion that has expired")]
async fn expired(w: &mut PlugfestWorld) -> StepResult {
    defective(w, AssertionDefect::Expired).await
}

#[when("Plugfest requests an access token with a client assertion whose signature does not verify")]
async fn bad_signature(w: &mut PlugfestWorld) -> StepResult {
    defective(w, AssertionDefect::BadSignature).await
}

#[when("Plugfest requests an access token with a client assertion signed by an unregistered key")]
async fn unknown_key(w: &mut PlugfestWorld) -> StepResult {
    defective(w, AssertionDefect::UnknownKey).await
}

#[when(expr = "Plugfest requests an access token with the client assertion type {string}")]
async fn wrong_type(w: &mut PlugfestWorld, assertion_type: String) -> StepResult {
    let scopes = one_scope(w)?;
    let control = valid_request(w, &scopes).await?;
    if !control.issued() {
        return Err(
            w.error("a valid client assertion gets no token either, so a refusal proves nothing")
        );
    }
    request(
        w,
        &scopes,
        AssertionDefect::None,
        None,
        &assertion_type,
        None,
    )
    .await
    .map(|_| ())
}

#[when("Plugfest requests an access token twice with the same client assertion")]
async fn replay(w: &mut PlugfestWorld) -> StepResult {
    let scopes = one_scope(w)?;
    let jti = w.fresh_id("replayed jti");
    let (first, _) = request(
        w,
        &scopes,
        AssertionDefect::None,
        None,
        ASSERTION_TYPE,
        Some(&jti),
    )
    .await?;
    if !first.issued() {
        return Err(
            w.error("the first use of the assertion got no token, so the replay cannot be judged")
        );
    }
    // The same assertion again: same jti, same claims (re-signed with the same key and jti).
    request(
        w,
        &scopes,
        AssertionDefect::None,
        None,
        ASSERTION_TYPE,
        Some(&jti),
    )
    .await
    .map(|_| ())
}

#[then("the token endpoint refuses it")]
async fn refuses(w: &mut PlugfestWorld) -> StepResult {
    let (a, _) = last_answer(w)?;
    w.check(tc::refused(&a, "the defective request"))
}

#[then("the token endpoint refuses the second request")]
async fn refuses_second(w: &mut PlugfestWorld) -> StepResult {
    let (a, _) = last_answer(w)?;
    w.check(tc::refused(&a, "a second use of the same jti"))
}

#[when("Plugfest requests an access token for a known scope and an unknown scope")]
async fn known_and_unknown(w: &mut PlugfestWorld) -> StepResult {
    let known = one_scope(w)?.remove(0);
    valid_request(w, &[known, SCOPE_UNKNOWN.to_string()])
        .await
        .map(|_| ())
}

#[then("the unknown scope is not granted")]
async fn unknown_not_granted(w: &mut PlugfestWorld) -> StepResult {
    let (a, scopes) = last_answer(w)?;
    w.check(tc::unknown_scope_not_granted(&a, &scopes))
}

#[when("Plugfest requests an access token for an unknown scope only")]
async fn unknown_only(w: &mut PlugfestWorld) -> StepResult {
    valid_request(w, &[SCOPE_UNKNOWN.to_string()])
        .await
        .map(|_| ())
}

#[then(expr = "the token endpoint answers with the error {string}")]
async fn error_code(w: &mut PlugfestWorld, code: String) -> StepResult {
    let (a, _) = last_answer(w)?;
    w.check(tc::error_is(&a, &code))
}

#[when("Plugfest tries the token URL and the issuer as client assertion audience")]
async fn try_audiences(w: &mut PlugfestWorld) -> StepResult {
    let ctx = platform_ctx(w)?;
    let role = plat(&ctx).role.clone();
    let scopes = one_scope(w)?;
    let mut seen = Vec::new();
    for (name, aud) in [
        ("token URL", role.token_url.clone()),
        ("issuer", role.issuer.clone()),
    ] {
        let (a, _) = request(
            w,
            &scopes,
            AssertionDefect::None,
            Some(&aud),
            ASSERTION_TYPE,
            None,
        )
        .await?;
        seen.push(format!(
            "{name} `{aud}`: {}",
            if a.issued() { "accepted" } else { "refused" }
        ));
    }
    w.note(Evidence::Note {
        text: format!("client assertion audiences: {}", seen.join("; ")),
    });
    w.platform.flow_failures = seen;
    Ok(())
}

#[then("Plugfest reports which audience the platform accepts")]
async fn report_audience(w: &mut PlugfestWorld) -> StepResult {
    let seen = w.platform.flow_failures.clone();
    let accepted: Vec<&String> = seen.iter().filter(|s| s.ends_with("accepted")).collect();
    if accepted.is_empty() {
        // MAY: only pass or not applicable; the refusal itself is judged by LTI13-PLAT-OAUTH-001.
        let why = format!(
            "neither the token URL nor the issuer is accepted as audience ({})",
            seen.join("; ")
        );
        w.report.outcome = Some(crate::world::Outcome::NotApplicable(why.clone()));
        return Err(why);
    }
    w.check(Finding::met(
        "platform_token::accepted_audience",
        seen.join("; "),
    ))
}
