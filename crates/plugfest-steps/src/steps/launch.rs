//! Steps of resource link launches (Sec §5.1.1.3, §5.1.3; Core §5.3), tool under test.

use crate::context::{Calibration, RunContext};
use crate::world::{LaunchRecord, PlugfestWorld, StepResult, tool};
use cucumber::{given, then, when};
use plugfest_core::Evidence;
use plugfest_core::redact::TOKEN_MASK;
use plugfest_lti::jws;
use plugfest_lti::lti13::launch;
use plugfest_lti::lti13::payload::{
    Defect, Launch, Launcher, NOT_A_JWT, ROLE_INSTRUCTOR, ROLE_LEARNER,
};
use plugfest_lti::lti13::refusal::Reading;
use plugfest_lti::lti13::role::Person;

/// Context role of the calibration launcher and the replay launcher (Core A.2.3), chosen so that
/// no requirement's own payload is reused.
const ROLE_MEMBER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Member";
const ROLE_MENTOR: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor";

/// What to post as the id_token.
enum Token {
    Valid,
    Broken(Defect),
    NotAJwt,
}

impl PlugfestWorld {
    fn launcher(&self, ctx: &RunContext, who: &str) -> Result<Launcher, String> {
        let role = &tool(ctx).role;
        Ok(match who {
            "instructor" => Launcher::Person {
                person: role.instructor.clone(),
                roles: vec![ROLE_INSTRUCTOR.into()],
            },
            "learner" => Launcher::Person {
                person: role.learner.clone(),
                roles: vec![ROLE_LEARNER.into()],
            },
            "mentor" => Launcher::Person {
                person: role.instructor.clone(),
                roles: vec![ROLE_MENTOR.into()],
            },
            // Core §5.3.7.1: an anonymous launch may send an empty roles claim.
            "anonymous user" => Launcher::Anonymous { roles: vec![] },
            "calibration user" => Launcher::Person {
                person: Person {
                    sub: "plugfest-calibration".into(),
                    ..role.learner.clone()
                },
                roles: vec![ROLE_MEMBER.into()],
            },
            other => return Err(format!("unknown launcher `{other}`")),
        })
    }

    /// Log in in a fresh browser, then post `token` built for `who`; keeps the launch.
    async fn lti13_launch(&mut self, who: &str, token: Token) -> StepResult {
        let ctx = self.lti13_tool()?;
        let t = tool(&ctx);
        let launcher = self.launcher(&ctx, who).map_err(|e| self.error(&e))?;
        if let Err(e) = self.lti13_login(true).await {
            let why = format!("the login needed for this launch did not complete: {e}");
            return Err(self.error(&why));
        }
        let (params, auth) = self.logins.last().cloned().expect("login pushed");
        let redirect_uri = match auth.param("redirect_uri") {
            Some(r) if t.role.launch_urls.iter().any(|u| u == r) => r.to_string(),
            other => {
                let first = t.role.launch_urls[0].clone();
                self.note(Evidence::Note {
                    text: format!("the tool asked for redirect_uri {other:?}, which is not registered; Plugfest posts to the registered {first}"),
                });
                first
            }
        };
        let state = auth.param("state").unwrap_or_default().to_string();
        let launch = Launch {
            issuer: t.role.issuer.clone(),
            client_id: t.role.client_id.clone(),
            deployment_id: t.role.deployment_id.clone(),
            target_link_uri: params.target_link_uri.clone(),
            nonce: auth.param("nonce").unwrap_or_default().to_string(),
            resource_link_id: self.fresh_id("resource_link_id"),
            context_id: self.fresh_id("context_id"),
            launcher,
            now: time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        let signed = match &token {
            Token::Valid => launch.sign(&t.key),
            Token::Broken(d) => launch.sign_with(&t.key, *d),
            Token::NotAJwt => Ok(NOT_A_JWT.to_string()),
        };
        let id_token =
            signed.map_err(|e| self.error(&format!("could not sign the launch: {e}")))?;
        let label = match &token {
            Token::Valid => format!("id_token: valid launch by {who}"),
            Token::Broken(d) => format!("id_token: launch by {who} with {d:?}"),
            Token::NotAJwt => "id_token: not a JWT (calibration)".into(),
        };
        if let Some((header, claims)) = jws::decode_unverified(&id_token) {
            self.note(Evidence::Jwt {
                label: label.clone(),
                header,
                claims: ctx.redactor.json(&claims),
            });
        }
        self.post_launch(id_token, state, redirect_uri, &format!("launch ({label})"))
            .await
    }

    /// Form-post a launch in the scenario's browser, record its exchanges and keep it.
    async fn post_launch(
        &mut self,
        id_token: String,
        state: String,
        redirect_uri: String,
        label: &str,
    ) -> StepResult {
        let ctx = self.lti13_tool()?;
        let t = tool(&ctx);
        let browser = self.browser(false)?;
        let label = format!("{label}, {TOKEN_MASK}");
        let answer = launch::post(
            &browser,
            &redirect_uri,
            &id_token,
            &state,
            &t.rule,
            &t.origins,
            &label,
        )
        .await;
        for ex in &answer.exchanges {
            self.note(Evidence::Exchange(ex.clone()));
        }
        self.launches.push(LaunchRecord {
            id_token,
            state,
            redirect_uri,
            answer,
        });
        Ok(())
    }

    /// The calibration gate (run once per run, before any launch check).
    async fn lti13_calibrate(&mut self) -> Calibration {
        let Ok(ctx) = self.ctx() else {
            return Calibration {
                failure: Some("internal: no run context".into()),
                evidence: vec![],
            };
        };
        let mut probe = PlugfestWorld::detached(ctx, "calibration");
        let valid = probe.lti13_launch("calibration user", Token::Valid).await;
        let garbage = probe.lti13_launch("calibration user", Token::NotAJwt).await;
        match (valid, garbage, &probe.launches[..]) {
            (Ok(()), Ok(()), [v, g]) => Calibration::judge(v.answer.clone(), g.answer.clone()),
            (v, g, _) => Calibration {
                failure: Some(format!(
                    "calibration failed: the calibration launches could not be made ({})",
                    [v.err(), g.err()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                evidence: probe.report.evidence,
            },
        }
    }
}

#[given("the tool's answers to launches can be read")]
async fn calibrated(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti13_tool()?;
    let cell = &tool(&ctx).calibration;
    let calibration = cell.get_or_init(|| w.lti13_calibrate()).await.clone();
    w.report.evidence.extend(calibration.evidence);
    match calibration.failure {
        None => Ok(()),
        Some(f) => Err(w.error(&f)),
    }
}

#[when(regex = r"^an? (instructor|learner|mentor|anonymous user) launches with a valid token$")]
async fn valid_launch(w: &mut PlugfestWorld, who: String) -> StepResult {
    w.lti13_launch(&who, Token::Valid).await
}

#[when(regex = r"^an? (instructor|learner|mentor|anonymous user) launches with a token with (.+)$")]
async fn broken_launch(w: &mut PlugfestWorld, who: String, defect: String) -> StepResult {
    let d = Defect::from_name(&defect).ok_or_else(|| {
        w.error(&format!(
            "unknown token defect `{defect}`; known: {}",
            Defect::NAMES.join(", ")
        ))
    })?;
    w.lti13_launch(&who, Token::Broken(d)).await
}

#[when("an instructor launches once with each kind of defective token")]
async fn every_broken_launch(w: &mut PlugfestWorld) -> StepResult {
    for name in Defect::NAMES {
        let d = Defect::from_name(name).expect("listed");
        w.lti13_launch("instructor", Token::Broken(d)).await?;
    }
    Ok(())
}

#[when("the same launch is posted again")]
async fn replay(w: &mut PlugfestWorld) -> StepResult {
    let first = w
        .launches
        .last()
        .cloned()
        .ok_or_else(|| w.error("no launch to replay"))?;
    if first.answer.reading != Reading::Accepted {
        let why = format!(
            "the first launch read `{}`, so a replay of it cannot be judged",
            first.answer.reading.describe()
        );
        return Err(w.error(&why));
    }
    w.post_launch(
        first.id_token,
        first.state,
        first.redirect_uri,
        "replay of the same launch",
    )
    .await
}

/// The last launch's answer; an unreadable answer is an error, not a verdict.
fn last_answer(w: &mut PlugfestWorld) -> Result<launch::LaunchAnswer, String> {
    match w.launches.last().map(|l| l.answer.clone()) {
        None => Err(w.error("no launch was made before this check")),
        Some(a) => match &a.reading {
            Reading::Unknown(why) => {
                Err(w.error(&format!("the tool's answer cannot be read: {why}")))
            }
            _ => Ok(a),
        },
    }
}

#[then("the tool accepts the launch")]
async fn accepts(w: &mut PlugfestWorld) -> StepResult {
    let a = last_answer(w)?;
    w.check(launch::accepted(&a))
}

#[then("the tool refuses the launch")]
async fn refuses(w: &mut PlugfestWorld) -> StepResult {
    let a = last_answer(w)?;
    w.check(launch::refused(&a))
}

#[then("every refusal among those launches is a 4xx answer")]
async fn refusals_are_clean(w: &mut PlugfestWorld) -> StepResult {
    match launch::refusals_are_4xx(w.launches.iter().map(|l| &l.answer)) {
        Some(f) => w.check(f),
        None => Err(w.error(
            "none of the defective launches was refused, so the form of a refusal cannot be judged",
        )),
    }
}
