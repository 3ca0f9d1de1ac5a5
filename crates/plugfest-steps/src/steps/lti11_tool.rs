//! Steps of LTI 1.1 launches to a tool provider (IG11 "Basic Launch Data", RFC 5849 §3.2) and of
//! the Basic Outcomes requests it sends back (IG11 §6), Plugfest playing the tool consumer.

use crate::context::{Calibration, Lti11Tool, RunContext};
use crate::steps::pox_checks;
use crate::world::{PendingLaunch, PlugfestWorld, StepResult};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_http::Request;
use plugfest_http::oauth1::{self, SignatureMethod};
use plugfest_lti::lti11::launch::{self, Placement, Signing, Who};
use plugfest_lti::lti11::pox;
use plugfest_lti::lti13::launch::{accepted, post_form, refused};
use plugfest_lti::lti13::refusal::Reading;
use std::sync::Arc;
use std::time::Duration;

/// How long Plugfest waits for the outcomes request after the hook answered.
const OUTCOME_WAIT: Duration = Duration::from_secs(10);

/// The lti11-tool context of a run context (callers checked it is there).
fn tool11(ctx: &RunContext) -> &Lti11Tool {
    ctx.lti11_tool
        .as_ref()
        .expect("checked by PlugfestWorld::lti11_tool")
}

impl PlugfestWorld {
    /// The lti11-tool suite context, or an error if the suite is not configured.
    fn lti11_tool(&mut self) -> Result<Arc<RunContext>, String> {
        let ctx = self.ctx()?;
        if ctx.lti11_tool.is_none() {
            return Err(self.error("the lti11-tool suite is not configured ([roles.lti11-tool])"));
        }
        Ok(ctx)
    }

    /// A seeded identifier that is the same for `name` throughout this scenario.
    fn scenario_id(&self, name: &str) -> String {
        let ctx = self.ctx.clone().expect("context injected before steps run");
        ctx.seed.derive(&self.key, name)
    }

    /// Where a launch of this scenario happens; `graded` adds Plugfest's outcomes service.
    fn placement(&self, link: &str, graded: bool) -> Placement {
        let ctx = self.ctx.clone().expect("context injected before steps run");
        let t = tool11(&ctx);
        Placement {
            resource_link_id: self.scenario_id(&format!("resource_link_{link}")),
            context_id: self.scenario_id("context"),
            return_url: t.return_url.clone(),
            outcome: graded.then(|| (t.outcomes_url.clone(), self.scenario_id("sourcedid"))),
        }
    }

    fn prepare(&mut self, who: Who, link: &str, graded: bool) -> StepResult {
        let ctx = self.lti11_tool()?;
        let t = tool11(&ctx);
        let person = match who {
            Who::Instructor => &t.role.instructor,
            Who::Learner => &t.role.learner,
        };
        self.lti11.pending = Some(PendingLaunch {
            params: launch::full(who, person, &self.placement(link, graded)),
            method: SignatureMethod::HmacSha1,
            signing: Signing::Valid,
        });
        Ok(())
    }

    fn pending(&mut self) -> Result<&mut PendingLaunch, String> {
        if self.lti11.pending.is_none() {
            return Err(self.error("internal: no launch prepared in this scenario"));
        }
        Ok(self.lti11.pending.as_mut().expect("checked above"))
    }

    /// Sign the prepared launch and post it.
    async fn post_pending(&mut self) -> StepResult {
        let ctx = self.lti11_tool()?;
        let t = tool11(&ctx);
        let p = self.pending()?.clone();
        let nonce = self.fresh_id("oauth_nonce");
        let signed = launch::sign(
            &t.role.launch_url,
            &p.params,
            &t.role.consumer_key,
            t.secret.expose(),
            p.method,
            &p.signing,
            &nonce,
        )
        .map_err(|e| self.error(&format!("signing the launch: {e}")))?;
        self.post_signed(signed).await
    }

    /// Post an already signed launch from a fresh browser and keep the answer.
    async fn post_signed(&mut self, signed: Vec<(String, String)>) -> StepResult {
        let ctx = self.lti11_tool()?;
        let t = tool11(&ctx);
        let browser = self.browser(true)?;
        let mut answer = post_form(
            &browser,
            &t.role.launch_url,
            signed.clone(),
            &t.rule,
            &t.origins,
            "LTI 1.1 launch",
        )
        .await;
        self.lti11.errormsg = launch::read_returned(&mut answer, &t.return_url);
        for e in &answer.exchanges {
            self.note(Evidence::Exchange(e.clone()));
        }
        self.lti11.last_signed = Some(signed);
        self.lti11.answers.push(answer);
        Ok(())
    }

    fn last_answer(&mut self) -> Result<plugfest_lti::lti13::launch::LaunchAnswer, String> {
        match self.lti11.answers.last() {
            Some(a) => Ok(a.clone()),
            None => Err(self.error("internal: no launch was posted in this scenario")),
        }
    }

    async fn lti11_calibrate(&mut self) -> Calibration {
        let Ok(ctx) = self.ctx() else {
            return Calibration {
                failure: Some("internal: no run context".into()),
                evidence: vec![],
            };
        };
        let mut probe = PlugfestWorld::detached(ctx, "lti11-calibration");
        // A valid instructor launch, then a post with no launch or OAuth parameters at all:
        // every tool refuses the latter, even one that skips signature checks.
        let valid = async {
            probe.prepare(Who::Instructor, "calibration", false)?;
            probe.post_pending().await
        }
        .await;
        let not_a_launch = vec![(
            "plugfest_calibration".to_string(),
            "not a launch".to_string(),
        )];
        let made = [valid, probe.post_signed(not_a_launch).await];
        match (made, &probe.lti11.answers[..]) {
            ([Ok(()), Ok(())], [v, g]) => Calibration::judge(
                v.clone(),
                g.clone(),
                "without any launch or OAuth parameter",
                "lti11-tool",
            ),
            (made, _) => Calibration {
                failure: Some(format!(
                    "calibration failed: the calibration launches could not be made ({})",
                    made.iter()
                        .filter_map(|r| r.as_ref().err().cloned())
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                evidence: probe.report.evidence,
            },
        }
    }
}

fn who(text: &str) -> Who {
    if text.contains("instructor") {
        Who::Instructor
    } else {
        Who::Learner
    }
}

#[given("the tool provider's answers to launches can be read")]
async fn calibrated(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti11_tool()?;
    let cell = &tool11(&ctx).calibration;
    let calibration = cell.get_or_init(|| w.lti11_calibrate()).await.clone();
    w.report.evidence.extend(calibration.evidence);
    match calibration.failure {
        None => Ok(()),
        Some(f) => Err(w.error(&f)),
    }
}

#[given(regex = r#"^(an instructor|a learner) launch on resource link "([A-Z])"$"#)]
async fn prepare_launch(w: &mut PlugfestWorld, person: String, link: String) -> StepResult {
    w.prepare(who(&person), &link, false)
}

#[given(regex = r#"^a launch with only the required parameters on resource link "([A-Z])"$"#)]
async fn prepare_minimal(w: &mut PlugfestWorld, link: String) -> StepResult {
    w.prepare(Who::Learner, &link, false)?;
    let placement = w.placement(&link, false);
    w.pending()?.params = launch::required_only(&placement);
    Ok(())
}

#[given(regex = r#"^the launch's roles are "([^"]*)"$"#)]
async fn set_roles(w: &mut PlugfestWorld, roles: String) -> StepResult {
    launch::set(&mut w.pending()?.params, "roles", &roles);
    Ok(())
}

#[given(regex = r#"^the launch's "([a-z_]+)" is "([^"]*)"$"#)]
async fn set_param(w: &mut PlugfestWorld, name: String, value: String) -> StepResult {
    launch::set(&mut w.pending()?.params, &name, &value);
    Ok(())
}

#[given(regex = r#"^the launch has no "([^"]*)"$"#)]
async fn remove_params(w: &mut PlugfestWorld, names: String) -> StepResult {
    let names: Vec<&str> = names.split(',').map(str::trim).collect();
    w.pending()?
        .params
        .retain(|(k, _)| !names.contains(&k.as_str()));
    Ok(())
}

#[given(regex = r#"^the launch also carries "([^"]*)"$"#)]
async fn add_params(w: &mut PlugfestWorld, encoded: String) -> StepResult {
    let extra: Vec<(String, String)> = url::form_urlencoded::parse(encoded.as_bytes())
        .into_owned()
        .collect();
    w.pending()?.params.extend(extra);
    Ok(())
}

#[given("the launch is signed with HMAC-SHA256")]
async fn sha256(w: &mut PlugfestWorld) -> StepResult {
    w.pending()?.method = SignatureMethod::HmacSha256;
    Ok(())
}

#[given("the launch declares HMAC-SHA256 but is signed with HMAC-SHA1")]
async fn declared_mismatch(w: &mut PlugfestWorld) -> StepResult {
    w.pending()?.signing = Signing::DeclaresSha256SignsSha1;
    Ok(())
}

#[given("the launch is signed with a wrong secret")]
async fn wrong_secret(w: &mut PlugfestWorld) -> StepResult {
    w.pending()?.signing = Signing::WrongSecret;
    Ok(())
}

#[given("the launch uses an unknown consumer key")]
async fn unknown_key(w: &mut PlugfestWorld) -> StepResult {
    w.pending()?.signing = Signing::UnknownKey;
    Ok(())
}

#[given(regex = r"^the launch's timestamp is (\d+) seconds in the (past|future)$")]
async fn timestamp(w: &mut PlugfestWorld, secs: i64, when: String) -> StepResult {
    let offset = if when == "past" { -secs } else { secs };
    w.pending()?.signing = Signing::TimestampOffset(offset);
    Ok(())
}

#[given(regex = r#"^the launch's roles are changed to "([^"]*)" after signing$"#)]
async fn tampered(w: &mut PlugfestWorld, roles: String) -> StepResult {
    w.pending()?.signing = Signing::TamperedAfter("roles".into(), roles);
    Ok(())
}

#[given("the launch is posted to the tool provider")]
#[when("the launch is posted to the tool provider")]
async fn post(w: &mut PlugfestWorld) -> StepResult {
    w.post_pending().await
}

#[when("the same signed launch is posted again")]
async fn replay(w: &mut PlugfestWorld) -> StepResult {
    let Some(signed) = w.lti11.last_signed.clone() else {
        return Err(w.error("internal: no launch was posted before the replay"));
    };
    w.post_signed(signed).await
}

#[given("the tool provider accepts the launch")]
#[then("the tool provider accepts the launch")]
async fn is_accepted(w: &mut PlugfestWorld) -> StepResult {
    let answer = w.last_answer()?;
    w.check(accepted(&answer))
}

#[then("the tool provider refuses the launch")]
async fn is_refused(w: &mut PlugfestWorld) -> StepResult {
    let answer = w.last_answer()?;
    w.check(refused(&answer))
}

#[then("the tool provider refuses the launch cleanly")]
async fn is_refused_cleanly(w: &mut PlugfestWorld) -> StepResult {
    let answer = w.last_answer()?;
    w.check(refused(&answer))?;
    let clean = answer.reading == Reading::Refused { clean: true };
    w.check(if clean {
        Finding::met(
            "lti11_launch::refused_cleanly",
            "the refusal is not a server error",
        )
    } else {
        Finding::not_met(
            "lti11_launch::refused_cleanly",
            "the tool refused with a server error instead of a friendly error",
            "a 4xx error page or a return to the consumer",
            answer.observed(),
        )
    })
}

#[then("the tool provider accepts the launch or refuses it cleanly")]
async fn accepted_or_clean(w: &mut PlugfestWorld) -> StepResult {
    let answer = w.last_answer()?;
    w.check(launch::accepted_or_refused_cleanly(&answer))
}

#[then("the tool provider sends the user to the return URL with an lti_errormsg")]
async fn returned(w: &mut PlugfestWorld) -> StepResult {
    let answer = w.last_answer()?;
    let msg = w.lti11.errormsg.clone();
    w.check(launch::returned_with_errormsg(&answer, msg.as_deref()))
}

// --- Basic Outcomes requests from the tool (POX-CLIENT) ---

#[given("the tool provider's outcomes hook is configured")]
async fn hook_configured(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti11_tool()?;
    if tool11(&ctx).role.outcomes_hook_url.is_none() {
        return Err(w.not_assessed(
            "no outcomes_hook_url in [roles.lti11-tool]: Plugfest cannot make the tool send an outcomes request",
        ));
    }
    Ok(())
}

#[given("a graded learner launch was accepted by the tool provider")]
async fn graded_launch(w: &mut PlugfestWorld) -> StepResult {
    w.prepare(Who::Learner, "A", true)?;
    w.post_pending().await?;
    let answer = w.last_answer()?;
    w.check(accepted(&answer))?;
    w.lti11.sourcedid = Some(w.scenario_id("sourcedid"));
    Ok(())
}

#[when(
    regex = r#"^the tool provider is asked to send (replaceResult|readResult|deleteResult)(?: with score "([^"]*)")?$"#
)]
async fn ask_hook(w: &mut PlugfestWorld, operation: String, score: String) -> StepResult {
    let ctx = w.lti11_tool()?;
    let t = tool11(&ctx);
    let (Some(hook), Some(sourcedid)) =
        (t.role.outcomes_hook_url.clone(), w.lti11.sourcedid.clone())
    else {
        return Err(w.error("internal: no hook or no graded launch in this scenario"));
    };
    let before = t.inbox.mentioning(&sourcedid).len();
    let mut form = vec![
        ("lis_result_sourcedid".to_string(), sourcedid.clone()),
        ("operation".to_string(), operation.clone()),
    ];
    if !score.is_empty() {
        form.push(("score".to_string(), score));
    }
    let client = w.browser(false)?;
    let sent = client
        .send(Request::post_form("outcomes hook", &hook, form))
        .await;
    w.note(Evidence::Exchange(sent.exchange));
    let deadline = tokio::time::Instant::now() + OUTCOME_WAIT;
    loop {
        let received = t.inbox.mentioning(&sourcedid);
        if received.len() > before {
            for c in &received[before..] {
                w.note(Evidence::Note {
                    text: ctx.redactor.text(&format!(
                        "Outcomes request received by Plugfest: Content-Type {}; Authorization {}; body:\n{}",
                        c.header("content-type").unwrap_or("(none)"),
                        c.header("authorization").unwrap_or("(none)"),
                        String::from_utf8_lossy(&c.body)
                    )),
                });
            }
            w.lti11.outcomes.extend_from_slice(&received[before..]);
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return w.check(Finding::not_met(
                "pox_client::request_sent",
                format!(
                    "asked through its hook, the tool sent no {operation} request within {} s",
                    OUTCOME_WAIT.as_secs()
                ),
                format!("a {operation}Request at Plugfest's outcomes service"),
                "nothing arrived",
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl PlugfestWorld {
    fn last_outcome(&mut self) -> Result<plugfest_lti::lti11::service::Captured, String> {
        match self.lti11.outcomes.last() {
            Some(c) => Ok(c.clone()),
            None => Err(self.error("internal: no outcomes request in this scenario")),
        }
    }
}

#[then("the outcomes request is a POST with Content-Type application/xml")]
async fn request_is_xml(w: &mut PlugfestWorld) -> StepResult {
    let c = w.last_outcome()?;
    let ct = c.header("content-type").unwrap_or("(none)").to_string();
    w.check(pox_checks::content_type("pox_client::content_type", &ct))
}

#[then("the outcomes request's OAuth signature verifies with the shared secret")]
async fn request_signed(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti11_tool()?;
    let t = tool11(&ctx);
    let c = w.last_outcome()?;
    let check = "pox_client::signature";
    let header = c.header("authorization").unwrap_or("").to_string();
    let verified = oauth1::parse_authorization(&header)
        .and_then(|params| oauth1::verify("POST", &t.outcomes_url, &params, t.secret.expose()));
    w.check(match verified {
        Ok(v) => Finding::met(
            check,
            format!(
                "signed with {} by consumer key `{}`",
                v.method.name(),
                v.consumer_key
            ),
        ),
        Err(e) => Finding::not_met(
            check,
            "the outcomes request's OAuth signature does not verify",
            "an Authorization: OAuth header signed with the shared secret (RFC 5849 §3.4)",
            e.to_string(),
        ),
    })
}

#[then("the outcomes request carries an oauth_body_hash that matches its body")]
async fn request_body_hash(w: &mut PlugfestWorld) -> StepResult {
    let c = w.last_outcome()?;
    let header = c.header("authorization").unwrap_or("").to_string();
    w.check(pox_checks::body_hash(&header, &c.body))
}

#[then("the outcomes request is valid against the official Basic Outcomes schema")]
async fn request_valid(w: &mut PlugfestWorld) -> StepResult {
    let c = w.last_outcome()?;
    pox_checks::schema_valid(w, "pox_client::schema", c.body, "outcomes request").await
}

#[then("the outcomes request uses the LTI 1.1 Basic Outcomes namespace")]
async fn request_namespace(w: &mut PlugfestWorld) -> StepResult {
    let c = w.last_outcome()?;
    let check = "pox_client::namespace";
    w.check(match pox::parse_request(&c.body) {
        Ok(r) if r.namespace == pox::NS => Finding::met(check, format!("namespace {}", pox::NS)),
        Ok(r) => Finding::not_met(
            check,
            "the outcomes request is not in the Basic Outcomes namespace",
            pox::NS,
            r.namespace,
        ),
        Err(e) => Finding::not_met(
            check,
            "the outcomes request is not a POX envelope",
            pox::NS,
            e.to_string(),
        ),
    })
}

#[then("the outcomes requests carry imsx_version V1.0 and distinct message identifiers")]
async fn request_ids(w: &mut PlugfestWorld) -> StepResult {
    let check = "pox_client::version_and_message_ids";
    let parsed: Vec<_> = w
        .lti11
        .outcomes
        .iter()
        .map(|c| pox::parse_request(&c.body))
        .collect();
    let ids: Vec<Option<String>> = parsed
        .iter()
        .map(|p| p.as_ref().ok().and_then(|r| r.message_id.clone()))
        .collect();
    let versions_ok = parsed.iter().all(|p| {
        p.as_ref()
            .is_ok_and(|r| r.version.as_deref() == Some("V1.0"))
    });
    let mut distinct: Vec<&str> = ids.iter().flatten().map(String::as_str).collect();
    let present = distinct.len() == ids.len() && distinct.iter().all(|i| !i.trim().is_empty());
    distinct.sort_unstable();
    distinct.dedup();
    let unique = distinct.len() == ids.len();
    w.check(if versions_ok && present && unique && ids.len() >= 2 {
        Finding::met(check, format!("{} requests, imsx_version V1.0, distinct identifiers", ids.len()))
    } else {
        Finding::not_met(
            check,
            "the outcomes requests do not all carry imsx_version V1.0 and their own message identifier",
            "imsx_version V1.0 and a unique imsx_messageIdentifier in every request (IG11 §6.1)",
            format!("versions V1.0: {versions_ok}; identifiers: {ids:?}"),
        )
    })
}

#[then("the outcomes request names the launch's lis_result_sourcedid")]
async fn request_sourcedid(w: &mut PlugfestWorld) -> StepResult {
    let c = w.last_outcome()?;
    let want = w.lti11.sourcedid.clone().unwrap_or_default();
    let got = pox::parse_request(&c.body).ok().and_then(|r| r.sourced_id);
    w.check(if got.as_deref() == Some(want.as_str()) {
        Finding::met(
            "pox_client::sourcedid",
            "sourcedGUID/sourcedId is the launch's lis_result_sourcedid",
        )
    } else {
        Finding::not_met(
            "pox_client::sourcedid",
            "the outcomes request names another result than the launch's",
            "sourcedGUID/sourcedId = the launch's lis_result_sourcedid",
            format!("{got:?}"),
        )
    })
}

#[then("the replaced score is a decimal from 0.0 to 1.0 with a language")]
async fn request_score(w: &mut PlugfestWorld) -> StepResult {
    let c = w.last_outcome()?;
    let check = "pox_client::score";
    let r = pox::parse_request(&c.body).ok();
    let score = r
        .as_ref()
        .and_then(|r| r.text_string.clone())
        .unwrap_or_default();
    let language = r
        .as_ref()
        .and_then(|r| r.language.clone())
        .unwrap_or_default();
    let in_range = pox_checks::decimal(&score).is_some_and(|v| (0.0..=1.0).contains(&v));
    w.check(if in_range && !language.trim().is_empty() {
        Finding::met(check, format!("textString {score}, language {language}"))
    } else {
        Finding::not_met(
            check,
            "the replaced score is not a decimal from 0.0 to 1.0 with a language",
            "resultScore/textString a decimal in [0.0, 1.0] and resultScore/language (IG11 §6.1.1)",
            format!("textString `{score}`, language `{language}`"),
        )
    })
}

#[then(
    regex = r#"^the outcomes request is a well-formed "(readResultRequest|deleteResultRequest)"$"#
)]
async fn request_well_formed(w: &mut PlugfestWorld, operation: String) -> StepResult {
    let c = w.last_outcome()?;
    let want = w.lti11.sourcedid.clone().unwrap_or_default();
    let check = "pox_client::well_formed";
    w.check(match pox::parse_request(&c.body) {
        Ok(r) if r.namespace == pox::NS
            && r.operation == operation
            && r.version.as_deref() == Some("V1.0")
            && r.message_id.as_deref().is_some_and(|m| !m.trim().is_empty())
            && r.sourced_id.as_deref() == Some(want.as_str()) =>
        {
            Finding::met(check, format!("a {operation} for the launch's sourcedId"))
        }
        Ok(r) => Finding::not_met(
            check,
            format!("the {operation} is not well-formed"),
            format!("{operation} in {}, imsx_version V1.0, a message identifier, the launch's sourcedId", pox::NS),
            format!(
                "{} in {}, version {:?}, message id {:?}, sourcedId {:?}",
                r.operation, r.namespace, r.version, r.message_id, r.sourced_id
            ),
        ),
        Err(e) => Finding::not_met(check, "the request is not a POX envelope", &operation, e.to_string()),
    })
}
