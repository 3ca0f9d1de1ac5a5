//! Steps of an LTI 1.1 tool consumer under test: its launch forms (IG11 "Basic Launch Data",
//! RFC 5849 §3.4) and its Basic Outcomes service (IG11 §6; the consumer certification's tests
//! 8.2–8.8), Plugfest playing the tool.

use crate::context::{Lti11Consumer, RunContext};
use crate::steps::pox_checks;
use crate::world::{PlugfestWorld, PoxExchange, StepResult};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_http::Request;
use plugfest_http::oauth1::{self, OAuthParams, SignatureMethod};
use plugfest_lti::lti11::form::{LaunchForm, parse_launch_form};
use plugfest_lti::lti11::pox::{self, Operation};
use std::sync::Arc;

/// How far `oauth_timestamp` may be from Plugfest's clock (the usual server window).
const CLOCK_WINDOW_SECS: i64 = 300;

/// Context roles of the LIS vocabulary, usable as simple names (IG11 roles; LIS 2.0).
const LIS_CONTEXT_ROLES: [&str; 8] = [
    "Learner",
    "Instructor",
    "ContentDeveloper",
    "Member",
    "Manager",
    "Mentor",
    "Administrator",
    "TeachingAssistant",
];

/// Prefixes of the LIS role URNs (context, institution, system).
const LIS_ROLE_URNS: [&str; 3] = [
    "urn:lti:role:ims/lis/",
    "urn:lti:instrole:ims/lis/",
    "urn:lti:sysrole:ims/lis/",
];

fn consumer(ctx: &RunContext) -> &Lti11Consumer {
    ctx.lti11_consumer
        .as_ref()
        .expect("checked by PlugfestWorld::lti11_consumer")
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// How a POX request is sent: correctly, or with one deliberate defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PoxDefect {
    None,
    UnknownSourcedId,
    BodyChangedAfterSigning,
    WrongSecret,
    SentTwice,
    Stale,
}

impl PlugfestWorld {
    fn lti11_consumer(&mut self) -> Result<Arc<RunContext>, String> {
        let ctx = self.ctx()?;
        if ctx.lti11_consumer.is_none() {
            return Err(
                self.error("the lti11-consumer suite is not configured ([roles.lti11-consumer])")
            );
        }
        Ok(ctx)
    }

    fn form(&mut self, index: usize) -> Result<LaunchForm, String> {
        match self.lti11.forms.get(index) {
            Some(f) => Ok(f.clone()),
            None => Err(self.error("internal: no launch form was read in this scenario")),
        }
    }

    fn param(&mut self, name: &str) -> Result<Option<String>, String> {
        let form = self.form(0)?;
        Ok(form
            .params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone()))
    }

    async fn send_pox(&mut self, op: Operation, defect: PoxDefect) -> StepResult {
        let ctx = self.lti11_consumer()?;
        let c = consumer(&ctx);
        let (Some(url), Some(sourcedid)) = (
            self.param("lis_outcome_service_url")?,
            self.param("lis_result_sourcedid")?,
        ) else {
            return Err(self.error(
                "the learner launch carries no lis_outcome_service_url and lis_result_sourcedid, so the outcomes service cannot be reached (see LTI11-TC-016)",
            ));
        };
        let sourcedid = if defect == PoxDefect::UnknownSourcedId {
            self.fresh_id("unknown_sourcedid")
        } else {
            sourcedid
        };
        let operation = match &op {
            Operation::Replace { .. } => "replaceResult".to_string(),
            Operation::Read => "readResult".to_string(),
            Operation::Delete => "deleteResult".to_string(),
            Operation::Other(name) => name.trim_end_matches("Request").to_string(),
        };
        let message_id = self.fresh_id("pox_message");
        let body = pox::request(&message_id, &sourcedid, &op).into_bytes();
        let method = SignatureMethod::HmacSha1;
        let offset = if defect == PoxDefect::Stale { -3600 } else { 0 };
        let mut oauth = OAuthParams::new(
            &c.role.consumer_key,
            method,
            now().saturating_add(offset).max(1) as u64,
            &self.fresh_id("oauth_nonce"),
        );
        oauth.body_hash = Some(oauth1::body_hash(method, &body));
        let secret = if defect == PoxDefect::WrongSecret {
            "plugfest-not-the-shared-secret"
        } else {
            c.secret.expose()
        };
        let header = oauth1::authorization_header("POST", &url, &oauth, secret, &[])
            .map_err(|e| self.error(&format!("signing the POX request: {e}")))?;
        let body = if defect == PoxDefect::BodyChangedAfterSigning {
            pox::request(
                &message_id,
                &sourcedid,
                &Operation::Replace {
                    score: "0.99".into(),
                },
            )
            .into_bytes()
        } else {
            body
        };
        let times = if defect == PoxDefect::SentTwice { 2 } else { 1 };
        let client = self.browser(false)?;
        for _ in 0..times {
            let sent = client
                .send(
                    Request::post_body(
                        "Basic Outcomes request",
                        &url,
                        pox::CONTENT_TYPE,
                        body.clone(),
                    )
                    .header("authorization", &header),
                )
                .await;
            self.note(Evidence::Exchange(sent.exchange));
            self.lti11.pox.push(PoxExchange {
                message_id: message_id.clone(),
                operation: operation.clone(),
                response: sent.result.ok(),
            });
        }
        Ok(())
    }

    fn last_pox(&mut self) -> Result<(PoxExchange, pox::ParsedResponse), String> {
        let Some(x) = self.lti11.pox.last().cloned() else {
            return Err(self.error("internal: no POX request was sent in this scenario"));
        };
        let Some(resp) = &x.response else {
            return Err(self.error("the outcomes service did not answer"));
        };
        match pox::parse_response(&resp.body) {
            Ok(p) => Ok((x, p)),
            Err(e) => {
                let f = Finding::not_met(
                    "pox_service::answer_is_pox",
                    "the outcomes service's answer is not a POX response",
                    "an imsx_POXEnvelopeResponse",
                    format!("HTTP {}: {e}", resp.status),
                );
                Err(self.check(f).err().unwrap_or_default())
            }
        }
    }
}

// --- Launch forms (LTI11-TC) ---

#[given(regex = r"^the consumer's (learner|instructor) launch form is fetched( again)?$")]
async fn fetch_form(w: &mut PlugfestWorld, who: String, _again: String) -> StepResult {
    let ctx = w.lti11_consumer()?;
    let c = consumer(&ctx);
    let url = if who == "learner" {
        c.role.learner_launch_form_url.clone()
    } else {
        c.role.instructor_launch_form_url.clone()
    };
    let mut req = Request::get(&format!("{who} launch page"), &url);
    if let Some(cookie) = &c.cookie {
        req = req.header("cookie", cookie.expose());
    }
    let client = w.browser(true)?;
    let sent = client.send(req).await;
    w.note(Evidence::Exchange(sent.exchange));
    let resp = match sent.result {
        Ok(r) if (200..300).contains(&r.status) => r,
        Ok(r) => {
            return Err(w.error(&format!(
                "the launch page answered HTTP {}; check the form URL and cookie",
                r.status
            )));
        }
        Err(e) => return Err(w.error(&format!("the launch page could not be fetched: {e}"))),
    };
    match parse_launch_form(&resp.text(), &url) {
        Ok(form) => {
            w.lti11.forms.push(form);
            Ok(())
        }
        Err(e) => Err(w.error(&format!("no launch form found on the launch page: {e}"))),
    }
}

#[then("the launch form posts to the launch URL registered for Plugfest")]
async fn form_target(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti11_consumer()?;
    let want = consumer(&ctx).launch_url.clone();
    let form = w.form(0)?;
    let same = url::Url::parse(&form.action).ok() == url::Url::parse(&want).ok();
    w.check(if same && form.method == "POST" {
        Finding::met("lti11_consumer::form_target", format!("POST to {want}"))
    } else {
        Finding::not_met(
            "lti11_consumer::form_target",
            "the launch form does not post to the launch URL registered for the tool",
            format!("POST {want}"),
            format!("{} {}", form.method, form.action),
        )
    })
}

#[then(regex = r#"^the launch parameter "([a-z_]+)" is "([^"]*)"$"#)]
async fn param_is(w: &mut PlugfestWorld, name: String, value: String) -> StepResult {
    let got = w.param(&name)?;
    w.check(Finding::equals(
        "lti11_consumer::parameter",
        &name,
        &value,
        got.as_deref(),
    ))
}

#[then(regex = r#"^the launch carries a non-empty "([a-z_]+)"$"#)]
async fn param_present(w: &mut PlugfestWorld, name: String) -> StepResult {
    let got = w.param(&name)?;
    w.check(match got {
        Some(v) if !v.trim().is_empty() => Finding::met(
            "lti11_consumer::parameter_present",
            format!("{name} is sent"),
        )
        .at(&name),
        other => Finding::not_met(
            "lti11_consumer::parameter_present",
            format!("{name} is not sent"),
            format!("a non-empty {name}"),
            format!("{other:?}"),
        )
        .at(&name),
    })
}

#[then("the launch carries the OAuth 1.0a parameters")]
async fn oauth_params(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti11_consumer()?;
    let key = consumer(&ctx).role.consumer_key.clone();
    let mut problems = Vec::new();
    for (name, want) in [
        ("oauth_consumer_key", Some(key.as_str())),
        ("oauth_signature_method", None),
        ("oauth_timestamp", None),
        ("oauth_nonce", None),
        ("oauth_version", Some("1.0")),
        ("oauth_signature", None),
        ("oauth_callback", Some("about:blank")),
    ] {
        match (w.param(name)?, want) {
            (None, _) => problems.push(format!("{name} missing")),
            (Some(v), Some(want)) if v != want => {
                problems.push(format!("{name} is `{v}`, not `{want}`"))
            }
            (Some(v), None) if v.trim().is_empty() => problems.push(format!("{name} is empty")),
            _ => {}
        }
    }
    let method = w.param("oauth_signature_method")?.unwrap_or_default();
    if SignatureMethod::parse(&method).is_none() {
        problems.push(format!(
            "oauth_signature_method `{method}` is neither HMAC-SHA1 nor HMAC-SHA256"
        ));
    }
    w.check(if problems.is_empty() {
        Finding::met("lti11_consumer::oauth_parameters", format!("all OAuth parameters present, signed with {method}"))
    } else {
        Finding::not_met(
            "lti11_consumer::oauth_parameters",
            "the launch's OAuth parameters are incomplete",
            "oauth_consumer_key (the registered key), oauth_signature_method, oauth_timestamp, oauth_nonce, oauth_version=1.0, oauth_signature, oauth_callback=about:blank",
            problems.join("; "),
        )
    })
}

#[then("the launch's signature verifies with the shared secret")]
async fn signature(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti11_consumer()?;
    let secret = consumer(&ctx).secret.clone();
    let form = w.form(0)?;
    w.check(
        match oauth1::verify("POST", &form.action, &form.params, secret.expose()) {
            Ok(v) => Finding::met(
                "lti11_consumer::signature",
                format!(
                    "{} signature over POST {} verifies",
                    v.method.name(),
                    form.action
                ),
            ),
            Err(e) => Finding::not_met(
                "lti11_consumer::signature",
                "the launch's OAuth signature does not verify with the shared secret",
                "an HMAC signature over the RFC 5849 §3.4.1 base string",
                e.to_string(),
            ),
        },
    )
}

#[then(regex = r"^the launch's oauth_timestamp is within 5 minutes of now$")]
async fn timestamp_current(w: &mut PlugfestWorld) -> StepResult {
    let ts = w.param("oauth_timestamp")?.unwrap_or_default();
    let skew = ts.parse::<i64>().map(|t| (t - now()).abs());
    w.check(match skew {
        Ok(s) if s <= CLOCK_WINDOW_SECS => Finding::met(
            "lti11_consumer::timestamp",
            format!("oauth_timestamp {ts}, {s} s from now"),
        ),
        _ => Finding::not_met(
            "lti11_consumer::timestamp",
            "the launch's oauth_timestamp is not current",
            format!("within {CLOCK_WINDOW_SECS} s of now ({})", now()),
            ts,
        ),
    })
}

#[then("the two launches have different nonces")]
async fn fresh_nonces(w: &mut PlugfestWorld) -> StepResult {
    let nonce = |f: &LaunchForm| {
        f.params
            .iter()
            .find(|(k, _)| k == "oauth_nonce")
            .map(|(_, v)| v.clone())
    };
    let (a, b) = (nonce(&w.form(0)?), nonce(&w.form(1)?));
    w.check(match (a, b) {
        (Some(a), Some(b)) if a != b => Finding::met(
            "lti11_consumer::fresh_nonce",
            "each launch has its own nonce",
        ),
        (a, b) => Finding::not_met(
            "lti11_consumer::fresh_nonce",
            "two launches carry the same nonce",
            "a fresh oauth_nonce per launch (RFC 5849 §3.3)",
            format!("{a:?} and {b:?}"),
        ),
    })
}

#[then("the launch's roles are from the LIS vocabulary")]
async fn roles_vocabulary(w: &mut PlugfestWorld) -> StepResult {
    let roles = w.param("roles")?.unwrap_or_default();
    let unknown: Vec<&str> = roles
        .split(',')
        .map(str::trim)
        .filter(|r| {
            !(LIS_CONTEXT_ROLES.contains(r) || LIS_ROLE_URNS.iter().any(|p| r.starts_with(p)))
        })
        .collect();
    w.check(if !roles.trim().is_empty() && unknown.is_empty() {
        Finding::met("lti11_consumer::roles", format!("roles `{roles}`"))
    } else {
        Finding::not_met(
            "lti11_consumer::roles",
            "the launch's roles are missing or not from the LIS vocabulary",
            "LIS context role names or urn:lti:{role,instrole,sysrole}:ims/lis/ URNs",
            format!("`{roles}`"),
        )
    })
}

#[then(regex = r#"^the launch parameter "([a-z_]+)" is an absolute (URL|HTTPS URL)$"#)]
async fn absolute_url(w: &mut PlugfestWorld, name: String, kind: String) -> StepResult {
    let Some(value) = w.param(&name)? else {
        return Err(w.error(&format!(
            "the launch carries no {name}, so its form cannot be judged (a requirement of its own says whether it must be sent)"
        )));
    };
    let parsed = url::Url::parse(&value).ok();
    let ok = match (&parsed, kind.as_str()) {
        (Some(u), "URL") => matches!(u.scheme(), "http" | "https"),
        (Some(u), _) => {
            u.scheme() == "https"
                || plugfest_lti::lti13::role::is_loopback(u) && u.scheme() == "http"
        }
        (None, _) => false,
    };
    w.check(if ok {
        Finding::met("lti11_consumer::absolute_url", format!("{name} is {value}")).at(&name)
    } else {
        Finding::not_met(
            "lti11_consumer::absolute_url",
            format!("{name} is not an absolute {kind}"),
            format!("an absolute {kind}"),
            format!("`{value}`"),
        )
        .at(&name)
    })
}

// --- The Basic Outcomes service (POX-SVC) ---

#[when(
    regex = r#"^Plugfest sends replaceResult with score "([^"]*)"(| for an unknown sourcedId| and changes the body after signing| signed with a wrong secret| twice with the same nonce| with a timestamp 3600 seconds old)$"#
)]
async fn send_replace(w: &mut PlugfestWorld, score: String, how: String) -> StepResult {
    let defect = match how.as_str() {
        " for an unknown sourcedId" => PoxDefect::UnknownSourcedId,
        " and changes the body after signing" => PoxDefect::BodyChangedAfterSigning,
        " signed with a wrong secret" => PoxDefect::WrongSecret,
        " twice with the same nonce" => PoxDefect::SentTwice,
        " with a timestamp 3600 seconds old" => PoxDefect::Stale,
        _ => PoxDefect::None,
    };
    w.send_pox(Operation::Replace { score }, defect).await
}

#[when(regex = r"^Plugfest sends (readResult|deleteResult)$")]
async fn send_read_delete(w: &mut PlugfestWorld, op: String) -> StepResult {
    let op = if op == "readResult" {
        Operation::Read
    } else {
        Operation::Delete
    };
    w.send_pox(op, PoxDefect::None).await
}

#[when(regex = r#"^Plugfest sends the unknown operation "([A-Za-z]+)"$"#)]
async fn send_unknown(w: &mut PlugfestWorld, name: String) -> StepResult {
    w.send_pox(Operation::Other(name), PoxDefect::None).await
}

#[then(
    regex = r#"^the outcomes service answers "(success|failure|unsupported)"(?: with a "([A-Za-z]+)")?$"#
)]
async fn answers(w: &mut PlugfestWorld, code: String, body_op: String) -> StepResult {
    let (_, p) = w.last_pox()?;
    let code_ok = p.code_major.as_deref() == Some(code.as_str());
    let body_ok = body_op.is_empty() || p.body_operation.as_deref() == Some(body_op.as_str());
    w.check(if code_ok && body_ok {
        Finding::met("pox_service::code_major", format!("imsx_codeMajor {code}"))
    } else {
        Finding::not_met(
            "pox_service::code_major",
            format!("the outcomes service did not answer {code}"),
            format!(
                "imsx_codeMajor {code}{}",
                if body_op.is_empty() {
                    String::new()
                } else {
                    format!(" and a {body_op}")
                }
            ),
            format!(
                "imsx_codeMajor {:?}, body {:?}, description {:?}",
                p.code_major, p.body_operation, p.description
            ),
        )
    })
}

#[then(regex = r#"^the outcomes service returns the score "([0-9.]+)" with a language$"#)]
async fn returns_score(w: &mut PlugfestWorld, score: String) -> StepResult {
    let (_, p) = w.last_pox()?;
    let want: f64 = score.parse().unwrap_or(f64::NAN);
    let got = p.text_string.as_deref().and_then(pox_checks::decimal);
    let language = p.language.clone().unwrap_or_default();
    let ok = p.code_major.as_deref() == Some("success")
        && got.is_some_and(|g| (g - want).abs() <= 0.01)
        && !language.trim().is_empty();
    w.check(if ok {
        Finding::met(
            "pox_service::read_score",
            format!("score {:?}, language {language}", p.text_string),
        )
    } else {
        Finding::not_met(
            "pox_service::read_score",
            "readResult did not return the score just written",
            format!("success, resultScore/textString within 0.01 of {score}, a language"),
            format!(
                "imsx_codeMajor {:?}, textString {:?}, language {:?}",
                p.code_major, p.text_string, p.language
            ),
        )
    })
}

#[then(r#"the outcomes service answers "failure" or returns no score"#)]
async fn no_score(w: &mut PlugfestWorld) -> StepResult {
    let (_, p) = w.last_pox()?;
    let empty = p.text_string.as_deref().is_none_or(|t| t.trim().is_empty());
    let ok = p.code_major.as_deref() == Some("failure")
        || (p.code_major.as_deref() == Some("success") && empty);
    w.check(if ok {
        Finding::met(
            "pox_service::deleted",
            format!("imsx_codeMajor {:?}, no score", p.code_major),
        )
    } else {
        Finding::not_met(
            "pox_service::deleted",
            "a deleted result is still read back",
            "failure, or success with an empty textString",
            format!(
                "imsx_codeMajor {:?}, textString {:?}",
                p.code_major, p.text_string
            ),
        )
    })
}

impl PlugfestWorld {
    /// Every POX exchange of the scenario with its answer; `error` when one got no answer (a
    /// transport failure says nothing about the service's behaviour).
    fn answered(&mut self) -> Result<Vec<(PoxExchange, plugfest_http::Response)>, String> {
        let mut out = Vec::new();
        for x in self.lti11.pox.clone() {
            match x.response.clone() {
                Some(r) => out.push((x, r)),
                None => {
                    return Err(self.error(&format!(
                        "the outcomes service did not answer the {} request (see the evidence)",
                        x.operation
                    )));
                }
            }
        }
        if out.is_empty() {
            return Err(self.error("internal: no POX request was sent in this scenario"));
        }
        Ok(out)
    }
}

/// A refusal: HTTP 401/403, or a POX answer that is not `success`.
fn refusal(resp: &plugfest_http::Response) -> Result<String, String> {
    if matches!(resp.status, 401 | 403) {
        return Ok(format!("HTTP {}", resp.status));
    }
    match pox::parse_response(&resp.body) {
        Ok(p) if p.code_major.as_deref().is_some_and(|c| c != "success") => Ok(format!(
            "HTTP {}, imsx_codeMajor {:?}",
            resp.status, p.code_major
        )),
        Ok(p) => Err(format!(
            "HTTP {}, imsx_codeMajor {:?}",
            resp.status, p.code_major
        )),
        Err(e) if resp.status >= 400 => Ok(format!("HTTP {} ({e})", resp.status)),
        Err(e) => Err(format!("HTTP {}: {e}", resp.status)),
    }
}

#[then("the outcomes service refuses the request")]
async fn refuses(w: &mut PlugfestWorld) -> StepResult {
    let answered = w.answered()?;
    let (_, last) = answered.last().expect("answered is never empty");
    w.check(match refusal(last) {
        Ok(how) => Finding::met("pox_service::refused", format!("refused: {how}")),
        Err(how) => Finding::not_met(
            "pox_service::refused",
            "the outcomes service accepted a request it must refuse",
            "HTTP 401, or imsx_codeMajor failure",
            how,
        ),
    })
}

#[then("the outcomes service refuses the replay")]
async fn refuses_replay(w: &mut PlugfestWorld) -> StepResult {
    let answered = w.answered()?;
    let [.., (_, first), (_, second)] = &answered[..] else {
        return Err(w.error("internal: the request was not sent twice"));
    };
    if refusal(first).is_ok() {
        return Err(w.error("the first request was refused already, so its replay cannot be judged (see POX-SVC-001)"));
    }
    w.check(match refusal(second) {
        Ok(how) => Finding::met(
            "pox_service::replay_refused",
            format!("the replay was refused: {how}"),
        ),
        Err(how) => Finding::not_met(
            "pox_service::replay_refused",
            "the outcomes service accepted a replayed request (same nonce and timestamp)",
            "HTTP 401, or imsx_codeMajor failure (RFC 5849 §3.2)",
            how,
        ),
    })
}

#[then("every outcomes answer has Content-Type application/xml")]
async fn answers_xml(w: &mut PlugfestWorld) -> StepResult {
    for (_, r) in w.answered()? {
        let ct = r.header("content-type").unwrap_or("(none)").to_string();
        w.check(pox_checks::content_type("pox_service::content_type", &ct))?;
    }
    Ok(())
}

#[then("every outcomes answer is valid against the official Basic Outcomes schema")]
async fn answers_valid(w: &mut PlugfestWorld) -> StepResult {
    for (x, r) in w.answered()? {
        let label = format!("answer to {}", x.operation);
        pox_checks::schema_valid(w, "pox_service::schema", r.body, &label).await?;
    }
    Ok(())
}

#[then("every outcomes answer echoes its request's message identifier")]
async fn answers_echo(w: &mut PlugfestWorld) -> StepResult {
    for (x, r) in w.answered()? {
        let got = pox::parse_response(&r.body)
            .ok()
            .and_then(|p| p.message_ref);
        w.check(Finding::equals(
            "pox_service::message_ref",
            "imsx_messageRefIdentifier",
            &x.message_id,
            got.as_deref(),
        ))?;
    }
    Ok(())
}
