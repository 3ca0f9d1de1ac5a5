//! Steps of resource link launches (Sec §5.1.1.3, §5.1.3; Core §5.3), tool under test.

use crate::context::{Calibration, RunContext};
use crate::world::{LaunchRecord, PlugfestWorld, StepResult, tool};
use cucumber::{given, then, when};
use plugfest_core::Evidence;
use plugfest_lti::jws;
use plugfest_lti::keys::SigningKey;
use plugfest_lti::lti13::launch;
use plugfest_lti::lti13::payload::{
    Defect, Kind, Launch, Launcher, NOT_A_JWT, ROLE_MEMBER, ROLE_MENTOR, Variant,
};
use plugfest_lti::lti13::refusal::Reading;
use plugfest_lti::lti13::role::Person;

/// What to post as the id_token.
#[derive(Clone, Copy)]
enum Token {
    Valid,
    Broken(Defect),
    NotAJwt,
    /// Valid, signed with the key the platform rotated to.
    RotatedKey,
}

/// How the `state` travels with the launch (Sec §5.1.1.3–§5.1.1.4).
#[derive(Clone, Copy, PartialEq)]
enum StateMode {
    /// The state of the login, from the browser that logged in.
    Sent,
    /// No state parameter.
    Missing,
    /// A state the tool never issued.
    Forged,
    /// The right state, posted from another browser (no login cookie).
    OtherBrowser,
}

/// How an LTI Advantage launch changes a resource link launch.
#[derive(Debug, Clone)]
pub(crate) enum Advantage {
    /// An `LtiDeepLinkingRequest` with these settings, to this target link URI (DL §4.4).
    DeepLinking {
        /// The settings claim.
        settings: plugfest_lti::lti13::platform_deep_link::Settings,
        /// The login's `target_link_uri` (the tool's deep linking URL).
        target: String,
    },
    /// A resource link launch in `context` carrying the claims of the services the tool offers
    /// (AGS §3.1, NRPS §3.6.1.1).
    Services {
        /// The context id the service URLs carry.
        context: String,
    },
}

/// One launch to make.
pub(crate) struct LaunchSpec<'a> {
    who: &'a str,
    variant: Variant,
    token: Token,
    state: StateMode,
    /// Use this nonce instead of the one the tool issued.
    nonce: Option<String>,
    /// An Advantage launch instead of a plain resource link launch.
    advantage: Option<Advantage>,
}

impl<'a> LaunchSpec<'a> {
    fn new(who: &'a str, token: Token) -> Self {
        LaunchSpec {
            who,
            variant: Variant::Plain,
            token,
            state: StateMode::Sent,
            nonce: None,
            advantage: None,
        }
    }

    /// A valid Advantage launch by `who`.
    pub(crate) fn advantage(who: &'a str, advantage: Advantage) -> Self {
        LaunchSpec {
            advantage: Some(advantage),
            ..LaunchSpec::new(who, Token::Valid)
        }
    }
}

impl PlugfestWorld {
    /// Who launches: the cert variants for instructors and learners, and the dedicated launchers
    /// (calibration, mentor, anonymous) whose payloads no requirement of its own reuses.
    fn launcher(ctx: &RunContext, who: &str, variant: Variant) -> Result<(Launcher, bool), String> {
        let role = &tool(ctx).role;
        Ok(match who {
            "instructor" => variant.launcher(Kind::Instructor, role.instructor.clone()),
            "learner" => variant.launcher(Kind::Learner, role.learner.clone()),
            "mentor" => (
                Launcher::person(role.instructor.clone(), &[ROLE_MENTOR]),
                true,
            ),
            // Core §5.3.6.1, §5.3.7.1: no identity claims, roles still sent.
            "anonymous user" => (
                Launcher::Anonymous {
                    roles: vec![ROLE_MENTOR.into()],
                },
                true,
            ),
            "calibration user" => {
                let person = Person {
                    sub: "plugfest-calibration".into(),
                    ..role.learner.clone()
                };
                (Launcher::person(person, &[ROLE_MEMBER]), true)
            }
            other => return Err(format!("unknown launcher `{other}`")),
        })
    }

    /// Log in in a fresh browser, then post the token `spec` describes; keeps the launch.
    pub(crate) async fn lti13_launch(&mut self, spec: LaunchSpec<'_>) -> StepResult {
        let ctx = self.lti13_tool()?;
        let t = tool(&ctx);
        let (launcher, with_context) =
            Self::launcher(&ctx, spec.who, spec.variant).map_err(|e| self.error(&e))?;
        let target = match &spec.advantage {
            Some(Advantage::DeepLinking { target, .. }) => Some(target.clone()),
            _ => None,
        };
        if let Err(e) = self.lti13_login_to(target.as_deref()).await {
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
        let state = match spec.state {
            StateMode::Missing => None,
            StateMode::Forged => Some(self.fresh_id("forged_state")),
            StateMode::Sent | StateMode::OtherBrowser => {
                Some(auth.param("state").unwrap_or_default().to_string())
            }
        };
        let launch = Launch {
            issuer: t.role.issuer.clone(),
            client_id: t.role.client_id.clone(),
            deployment_id: t.role.deployment_id.clone(),
            target_link_uri: params.target_link_uri.clone(),
            nonce: spec
                .nonce
                .clone()
                .unwrap_or_else(|| auth.param("nonce").unwrap_or_default().to_string()),
            resource_link_id: self.fresh_id("resource_link_id"),
            context_id: match &spec.advantage {
                Some(Advantage::Services { context }) => Some(context.clone()),
                _ => with_context.then(|| self.fresh_id("context_id")),
            },
            launcher,
            now: time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        let signed = match spec.token {
            Token::Valid => match &spec.advantage {
                None => launch.sign(&t.key),
                Some(a) => jws::sign(
                    serde_json::json!({}),
                    &advantage_claims(t, &launch, a),
                    &t.key,
                ),
            },
            Token::Broken(d) => {
                let unissued = self.fresh_id("unissued_nonce");
                launch.sign_with(&t.key, d, &unissued)
            }
            Token::NotAJwt => Ok(NOT_A_JWT.to_string()),
            Token::RotatedKey => match t.rotated_key.get() {
                Some(k) => launch.sign(k),
                None => {
                    return Err(self.error("the platform key was not rotated before this launch"));
                }
            },
        };
        let id_token =
            signed.map_err(|e| self.error(&format!("could not sign the launch: {e}")))?;
        let label = match spec.token {
            Token::Valid if spec.advantage.is_some() => match &spec.advantage {
                Some(Advantage::DeepLinking { .. }) => {
                    format!("deep linking request by {}", spec.who)
                }
                _ => format!("launch by {} carrying the service claims", spec.who),
            },
            Token::Valid => format!(
                "valid launch by {}{}",
                spec.who,
                variant_suffix(spec.variant)
            ),
            Token::Broken(d) => format!("launch by {} with {}", spec.who, d.name()),
            Token::NotAJwt => "not a JWT (calibration)".into(),
            Token::RotatedKey => {
                format!("valid launch by {}, signed with the rotated key", spec.who)
            }
        };
        if let Some((header, claims)) = jws::decode_unverified(&id_token) {
            self.note(Evidence::Jwt {
                label: format!("id_token: {label}"),
                header,
                claims: ctx.redactor.json(&claims),
            });
        }
        if spec.state == StateMode::OtherBrowser {
            self.browser(true)?;
            self.note(Evidence::Note {
                text: "posted from a new browser that has none of the login's cookies".into(),
            });
        }
        self.post_launch(id_token, state, redirect_uri, &format!("launch ({label})"))
            .await
    }

    /// Form-post a launch in the scenario's browser, record its exchanges and keep it.
    async fn post_launch(
        &mut self,
        id_token: String,
        state: Option<String>,
        redirect_uri: String,
        label: &str,
    ) -> StepResult {
        let ctx = self.lti13_tool()?;
        let t = tool(&ctx);
        let browser = self.browser(false)?;
        let answer = launch::post(
            &browser,
            &redirect_uri,
            &id_token,
            state.as_deref(),
            &t.rule,
            &t.origins,
            label,
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

    /// The last launch, which must have been accepted for what follows to be judged.
    fn accepted_launch(&mut self, what: &str) -> Result<LaunchRecord, String> {
        let last = self
            .launches
            .last()
            .cloned()
            .ok_or_else(|| self.error("no launch was made before this step"))?;
        if last.answer.reading != Reading::Accepted {
            let why = format!(
                "the first launch read `{}`, so {what} cannot be judged",
                last.answer.observed()
            );
            return Err(self.error(&why));
        }
        Ok(last)
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
        let valid = probe
            .lti13_launch(LaunchSpec::new("calibration user", Token::Valid))
            .await;
        let garbage = probe
            .lti13_launch(LaunchSpec::new("calibration user", Token::NotAJwt))
            .await;
        match (valid, garbage, &probe.launches[..]) {
            (Ok(()), Ok(()), [v, g]) => Calibration::judge(
                v.answer.clone(),
                g.answer.clone(),
                "whose token is not a JWT",
                "lti13-tool",
            ),
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

/// The claims of an Advantage launch built on `launch`.
fn advantage_claims(
    t: &crate::context::Lti13Tool,
    launch: &Launch,
    advantage: &Advantage,
) -> serde_json::Value {
    match advantage {
        Advantage::DeepLinking { settings, .. } => {
            plugfest_lti::lti13::platform_deep_link::request_claims(launch, settings)
        }
        Advantage::Services { context } => {
            let mut claims = launch.claims();
            if let Some(obj) = claims.as_object_mut() {
                obj.extend(t.services.launch_claims(context, &t.role.services));
            }
            claims
        }
    }
}

fn variant_suffix(v: Variant) -> &'static str {
    Variant::NAMES
        .iter()
        .find(|(_, x)| *x == v)
        .map_or("", |(n, _)| n)
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

#[when(
    regex = r"^an? (instructor|learner|mentor|anonymous user) launches with a valid token((?: with .+)?)$"
)]
async fn valid_launch(w: &mut PlugfestWorld, who: String, variant: String) -> StepResult {
    let v = Variant::from_name(&variant)
        .ok_or_else(|| w.error(&format!("unknown launch variant `{variant}`")))?;
    w.lti13_launch(LaunchSpec {
        variant: v,
        ..LaunchSpec::new(&who, Token::Valid)
    })
    .await
}

#[when(regex = r"^an? (instructor|learner|mentor) launches with a token with (.+)$")]
async fn broken_launch(w: &mut PlugfestWorld, who: String, defect: String) -> StepResult {
    let d = Defect::from_name(&defect)
        .ok_or_else(|| w.error(&format!("unknown token defect `{defect}`")))?;
    w.lti13_launch(LaunchSpec::new(&who, Token::Broken(d)))
        .await
}

#[when(
    regex = r"^an? (instructor|learner|mentor) launches with a valid token but (without the state|with a state the tool never issued|from a browser without the login cookie)$"
)]
async fn state_launch(w: &mut PlugfestWorld, who: String, how: String) -> StepResult {
    let state = match how.as_str() {
        "without the state" => StateMode::Missing,
        "with a state the tool never issued" => StateMode::Forged,
        _ => StateMode::OtherBrowser,
    };
    w.lti13_launch(LaunchSpec {
        state,
        ..LaunchSpec::new(&who, Token::Valid)
    })
    .await
}

#[when("an instructor launches once with each kind of defective token")]
async fn every_broken_launch(w: &mut PlugfestWorld) -> StepResult {
    for d in Defect::MUST_REFUSE {
        w.lti13_launch(LaunchSpec::new("instructor", Token::Broken(*d)))
            .await?;
    }
    Ok(())
}

#[when("the same launch is posted again")]
async fn replay(w: &mut PlugfestWorld) -> StepResult {
    let first = w.accepted_launch("a replay of it")?;
    w.post_launch(
        first.id_token,
        first.state,
        first.redirect_uri,
        "replay of the same launch",
    )
    .await
}

#[when("a new launch reuses the nonce of that launch")]
async fn reuse_nonce(w: &mut PlugfestWorld) -> StepResult {
    let first = w.accepted_launch("a reuse of its nonce")?;
    let nonce = jws::decode_unverified(&first.id_token)
        .and_then(|(_, c)| c.get("nonce").and_then(|n| n.as_str()).map(str::to_string))
        .ok_or_else(|| w.error("the first launch's token has no nonce to reuse"))?;
    w.lti13_launch(LaunchSpec {
        nonce: Some(nonce),
        ..LaunchSpec::new("mentor", Token::Valid)
    })
    .await
}

#[given("the platform has rotated its signing key")]
async fn rotate_key(w: &mut PlugfestWorld) -> StepResult {
    let ctx = w.lti13_tool()?;
    let t = tool(&ctx);
    if t.rotated_key.get().is_none() {
        let new = SigningKey::generate()
            .map_err(|e| w.error(&format!("could not generate a key: {e}")))?;
        let _ = t.rotated_key.set(new);
    }
    let new = t.rotated_key.get().expect("set above");
    let set = plugfest_lti::keys::jwk_set(&[&t.key, new]);
    *t.jwks
        .write()
        .map_err(|_| w.error("the platform key set lock is poisoned"))? = set;
    w.note(Evidence::Note {
        text: format!("the platform published a new key (kid {}) beside the old one (kid {}), as Sec §6.4 recommends", new.kid(), t.key.kid()),
    });
    Ok(())
}

#[when(regex = r"^an? (mentor) launches with a valid token signed by the new key$")]
async fn rotated_launch(w: &mut PlugfestWorld, who: String) -> StepResult {
    w.lti13_launch(LaunchSpec::new(&who, Token::RotatedKey))
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
