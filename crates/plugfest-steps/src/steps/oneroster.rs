//! Steps of the OneRoster provider suites (Plugfest plays the consumer): which provider a
//! scenario speaks to, service probes (optional services: not-applicable when not claimed and
//! absent, failed when claimed and absent), authentication (OAuth 2 scopes for 1.2, OAuth 1.0a
//! signatures for 1.1) and error answers. Dataset and paging steps are in `oneroster_data`,
//! query steps in `oneroster_query`, gradebook and resources in `oneroster_gradebook`.

use crate::context::RunContext;
use crate::setup_oneroster::{Offer, OneRoster};
use crate::world::{PlugfestWorld, StepResult};
use cucumber::{given, then};
use plugfest_core::{Evidence, Finding};
use plugfest_roster::client::{Answer, Oauth1Defect, TokenAnswer};
use plugfest_roster::version::{self, Service, scope};
use plugfest_roster::{Auth, Call, RosterClient, Version, status};
use serde_json::Value;
use std::sync::Arc;

/// A scenario's OneRoster state.
#[derive(Debug, Clone, Default)]
pub struct RosterState {
    /// The provider version this scenario speaks to (set by the background step).
    pub version: Option<Version>,
}

/// The provider suite of `version` in `ctx` (callers checked it is there).
pub fn provider(ctx: &RunContext, version: Version) -> &OneRoster {
    match version {
        Version::V1p2 => ctx.oneroster12.as_ref(),
        Version::V1p1 => ctx.oneroster11.as_ref(),
    }
    .expect("checked by PlugfestWorld::roster")
}

impl PlugfestWorld {
    /// The run context, the provider's version and its connection.
    pub fn roster(&mut self) -> Result<(Arc<RunContext>, Version, Arc<RosterClient>), String> {
        let ctx = self.ctx()?;
        let Some(v) = self.oneroster.version else {
            return Err(self.error("internal: the scenario did not name its OneRoster provider"));
        };
        let present = match v {
            Version::V1p2 => ctx.oneroster12.is_some(),
            Version::V1p1 => ctx.oneroster11.is_some(),
        };
        if !present {
            return Err(self.error(&format!(
                "the {v} provider suite is not configured ([roles.oneroster1{}-provider])",
                if v == Version::V1p2 { 2 } else { 1 }
            )));
        }
        let client = provider(&ctx, v).client(&ctx).map_err(|e| self.error(&e))?;
        Ok((ctx, v, client))
    }

    /// Send `call`; the exchange (and any token request made for it) becomes evidence. No
    /// answer at all is an error (the harness cannot decide).
    pub async fn roster_send(&mut self, call: &Call) -> Result<Answer, String> {
        self.roster_exchange(call, None).await
    }

    /// Send to an absolute URL (a Link target, an href).
    pub async fn roster_send_url(&mut self, call: &Call, url: &str) -> Result<Answer, String> {
        self.roster_exchange(call, Some(url)).await
    }

    /// Send `call` to `url` (default: the call's own URL), recording the exchanges.
    async fn roster_exchange(&mut self, call: &Call, url: Option<&str>) -> Result<Answer, String> {
        let (_, _, client) = self.roster()?;
        let result = match url {
            Some(u) => client.send_url(call, u).await,
            None => client.send(call).await,
        };
        self.roster_tokens(&client);
        match result {
            Ok(a) => {
                self.note(Evidence::Exchange(a.exchange.clone()));
                Ok(a)
            }
            Err(f) => {
                self.note(Evidence::Exchange(f.exchange));
                Err(self.error(&format!("{}: {}", call.label, f.message)))
            }
        }
    }

    fn roster_tokens(&mut self, client: &RosterClient) {
        for e in client.take_token_log() {
            self.note(Evidence::Exchange(e));
        }
    }

    /// Record a check: met or not, with expected and observed.
    pub fn verdict(
        &mut self,
        check: &str,
        ok: bool,
        message: impl Into<String>,
        expected: &str,
        observed: impl Into<String>,
    ) -> StepResult {
        let message = message.into();
        let f = if ok {
            Finding::met(check, message)
        } else {
            Finding::not_met(check, message, expected, observed)
        };
        self.check(f)
    }

    /// Record that the product does not offer an optional feature.
    pub fn not_applicable(&mut self, why: &str) -> String {
        self.report.outcome = Some(crate::world::Outcome::NotApplicable(why.to_string()));
        why.to_string()
    }

    /// A seeded sourcedId no provider holds.
    pub fn unknown_id(&mut self) -> String {
        format!("plugfest-unknown-{}", self.fresh_id("unknown sourcedId"))
    }

    /// The provider's settings for this scenario.
    pub fn roster_provider(&mut self) -> Result<(Arc<RunContext>, Version), String> {
        let (ctx, v, _) = self.roster()?;
        Ok((ctx, v))
    }
}

fn service_named(name: &str) -> Option<Service> {
    match name {
        "gradebook" => Some(Service::Gradebook),
        "resources" => Some(Service::Resources),
        "demographics" => Some(Service::Demographics),
        "rostering" => Some(Service::Rostering),
        _ => None,
    }
}

/// The collection a service is probed with.
fn probe_path(s: Service) -> &'static str {
    match s {
        Service::Rostering => "orgs",
        Service::Demographics => "demographics",
        Service::Gradebook => "lineItems",
        Service::Resources => "resources",
    }
}

async fn probe(client: &RosterClient, s: Service) -> (Offer, Vec<plugfest_core::Exchange>) {
    let call = Call::get(
        &format!("probe: is the {} service offered?", s.name()),
        s,
        probe_path(s),
    )
    .q("limit", "1");
    let sent = client.send(&call).await;
    let mut ex = client.take_token_log();
    let offer = match sent {
        Ok(a) => {
            ex.push(a.exchange.clone());
            match a.status {
                404 => Offer::Absent(format!("GET /{} answered 404", probe_path(s))),
                200 => Offer::Offered,
                other => Offer::Unknown(format!(
                    "GET /{} answered {other} with full credentials",
                    probe_path(s)
                )),
            }
        }
        Err(f) => {
            ex.push(f.exchange);
            if f.message.contains("token endpoint") {
                Offer::Absent(format!("no token is granted for it: {}", f.message))
            } else {
                Offer::Unknown(f.message)
            }
        }
    };
    (offer, ex)
}

#[given(regex = r"^the OneRoster (1\.1|1\.2) provider under test$")]
async fn provider_under_test(w: &mut PlugfestWorld, v: String) -> StepResult {
    w.oneroster.version = Some(if v == "1.2" {
        Version::V1p2
    } else {
        Version::V1p1
    });
    w.roster().map(|_| ())
}

#[given(regex = r"^the provider offers the (gradebook|resources|demographics) service$")]
async fn offers(w: &mut PlugfestWorld, name: String) -> StepResult {
    let (ctx, v, client) = w.roster()?;
    let s = service_named(&name).expect("regex");
    let p = provider(&ctx, v);
    let (offer, ex) = {
        let mut probes = p.probes.lock().await;
        match probes.get(&s) {
            Some(x) => x.clone(),
            None => {
                let x = probe(&client, s).await;
                probes.insert(s, x.clone());
                x
            }
        }
    };
    for e in ex {
        w.note(Evidence::Exchange(e));
    }
    let claimed = p.claims(s);
    match (offer, claimed) {
        (Offer::Offered, _) => Ok(()),
        (Offer::Absent(why), false) => Err(w.not_applicable(&format!(
            "the product does not claim the {name} service and does not offer it ({why})"
        ))),
        (Offer::Absent(why), true) => w.verdict(
            "oneroster::claimed_service_offered",
            false,
            format!("the product claims the {name} service, but {why}"),
            &format!("the {name} service answers (it is listed in `services`)"),
            why,
        ),
        (Offer::Unknown(why), _) => Err(w.error(&format!(
            "whether the {name} service is offered could not be decided: {why}"
        ))),
    }
}

// ---- Authentication (1.2: OAuth 2 client credentials) ----

fn token_finding(t: &TokenAnswer) -> (bool, String) {
    let Some(j) = &t.json else {
        return (
            false,
            format!(
                "HTTP {}; the body is not JSON",
                t.status.map(|s| s.to_string()).unwrap_or("(none)".into())
            ),
        );
    };
    let token = j.get("access_token").and_then(Value::as_str);
    let ttype = j.get("token_type").and_then(Value::as_str);
    let scope = j.get("scope").and_then(Value::as_str);
    let ok = t.status == Some(200)
        && token.is_some_and(|x| !x.is_empty())
        && ttype.is_some_and(|x| x.eq_ignore_ascii_case("bearer"))
        && scope.is_some();
    (
        ok,
        format!(
            "HTTP {}; access_token {}; token_type {}; scope {}",
            t.status.map(|s| s.to_string()).unwrap_or("(none)".into()),
            if token.is_some() { "present" } else { "absent" },
            ttype.unwrap_or("(absent)"),
            scope.unwrap_or("(absent)")
        ),
    )
}

#[then("the token endpoint issues a bearer token for the client credentials")]
async fn token_issued(w: &mut PlugfestWorld) -> StepResult {
    let (_, _, client) = w.roster()?;
    let t = client.request_token(&[scope::ROSTER_CORE], None).await;
    w.note(Evidence::Exchange(t.exchange.clone()));
    if t.status.is_none() {
        return Err(w.error("the token endpoint did not answer"));
    }
    let (ok, observed) = token_finding(&t);
    w.verdict(
        "oneroster::token_issued",
        ok,
        if ok {
            format!("token issued: {observed}")
        } else {
            "the token endpoint did not issue a bearer token".to_string()
        },
        "200 JSON with access_token, token_type bearer and scope (Security Framework §4.1)",
        observed,
    )
}

#[then("the token endpoint refuses a wrong client secret")]
async fn token_refused(w: &mut PlugfestWorld) -> StepResult {
    let (_, _, client) = w.roster()?;
    let wrong = format!("plugfest-wrong-secret-{}", w.fresh_id("wrong secret"));
    let t = client
        .request_token(&[scope::ROSTER_CORE], Some(&wrong))
        .await;
    w.note(Evidence::Exchange(t.exchange.clone()));
    let Some(status) = t.status else {
        return Err(w.error("the token endpoint did not answer"));
    };
    let error = t
        .json
        .as_ref()
        .and_then(|j| j.get("error"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let ok = matches!(status, 400 | 401) && error.is_some() && t.access_token().is_none();
    w.verdict(
        "oneroster::token_wrong_secret_refused",
        ok,
        if ok {
            format!(
                "a wrong secret is refused: HTTP {status}, error {}",
                error.clone().unwrap_or_default()
            )
        } else {
            "a token request with a wrong client secret was not refused".to_string()
        },
        "400 or 401 with an OAuth error (invalid_client) and no access token (RFC 6749 §5.2)",
        format!(
            "HTTP {status}, error {}, access_token {}",
            error.as_deref().unwrap_or("(absent)"),
            if t.access_token().is_some() {
                "issued"
            } else {
                "absent"
            }
        ),
    )
}

fn auth_named(text: &str, v: Version) -> Auth {
    match text {
        "no credentials" => Auth::None,
        "an invalid bearer token" => Auth::Bearer("plugfest-not-a-valid-token".into()),
        "a token with only roster-core.readonly" => Auth::Scopes(vec![scope::ROSTER_CORE]),
        "a token with only roster.readonly" => Auth::Scopes(vec![scope::ROSTER]),
        "a rostering token" => Auth::Scopes(vec![scope::ROSTER_CORE, scope::ROSTER]),
        "a wrong signature" => Auth::Oauth1(Oauth1Defect::WrongSignature),
        "a stale timestamp" => Auth::Oauth1(Oauth1Defect::StaleTimestamp),
        _ if v == Version::V1p1 => Auth::Default,
        _ => Auth::Default,
    }
}

/// A concrete path for `template` (`classes/{class}/students`) from the dataset's samples.
pub async fn concrete_path(w: &mut PlugfestWorld, template: &str) -> Result<String, String> {
    if !template.contains('{') {
        return Ok(template.to_string());
    }
    let index = crate::steps::oneroster_data::index(w).await?;
    let s = &index.samples;
    let mut out = template.to_string();
    for (k, v) in [
        ("{class}", &s.class),
        ("{school}", &s.school),
        ("{classSchool}", &s.class_school),
        ("{term}", &s.term),
        ("{course}", &s.course),
        ("{student}", &s.student),
        ("{teacher}", &s.teacher),
        ("{user}", &s.user),
        ("{enrollment}", &s.enrollment),
    ] {
        if out.contains(k) {
            match v {
                Some(id) => out = out.replace(k, &plugfest_roster::client::encode(id)),
                None => {
                    return Err(w.not_assessed(&format!(
                        "the dataset has no object to fill {k} in `{template}`"
                    )));
                }
            }
        }
    }
    Ok(out)
}

/// The service whose base a path hangs from (by its first segment).
fn service_of(template: &str) -> Service {
    let first = template.split('/').next().unwrap_or("");
    version::collection(first)
        .map(|c| c.service)
        .unwrap_or(Service::Rostering)
}

#[then(regex = r#"^GET "([^"]+)" with (.+) is answered (\d{3})$"#)]
async fn get_with_auth(
    w: &mut PlugfestWorld,
    template: String,
    auth: String,
    want: u16,
) -> StepResult {
    let (_, v, _) = w.roster()?;
    let path = concrete_path(w, &template).await?;
    let service = service_of(&template);
    let call = Call::get(&format!("GET /{template} with {auth}"), service, &path)
        .q("limit", "5")
        .auth(auth_named(&auth, v));
    let a = w.roster_send(&call).await?;
    let ok = a.status == want;
    w.verdict(
        "oneroster::auth_status",
        ok,
        format!("GET /{template} with {auth}: HTTP {}", a.status),
        &format!("HTTP {want}"),
        format!("HTTP {}", a.status),
    )
}

#[then(regex = r#"^GET "([^"]+)" with (.+) is answered (\d{3}) with code minor "([^"]+)"$"#)]
async fn get_with_auth_minor(
    w: &mut PlugfestWorld,
    template: String,
    auth: String,
    want: u16,
    minor: String,
) -> StepResult {
    let (_, v, _) = w.roster()?;
    let path = concrete_path(w, &template).await?;
    let call = Call::get(
        &format!("GET /{template} with {auth}"),
        service_of(&template),
        &path,
    )
    .q("limit", "5")
    .auth(auth_named(&auth, v));
    let a = w.roster_send(&call).await?;
    if a.status != want {
        return Err(w.error(&format!(
            "GET /{template} with {auth} answered {} (not {want}), so its body cannot be judged here; the status itself is checked by its own requirement",
            a.status
        )));
    }
    let s = a.json.as_ref().and_then(status::read);
    let ok = s.as_ref().is_some_and(|s| s.is_failure(&minor));
    w.verdict(
        "oneroster::error_codes",
        ok,
        format!("the {want} body says failure/error/{minor}"),
        &format!("imsx_codeMajor failure, imsx_severity error, code minor {minor}"),
        s.map(|s| s.describe())
            .unwrap_or_else(|| "no imsx status in the body".into()),
    )
}

// ---- 1.1 OAuth 1.0a ----

#[then(
    regex = r#"^a request signed with (a correct signature|a wrong signature|a stale timestamp|no credentials) is answered (\d{3})$"#
)]
async fn signed(w: &mut PlugfestWorld, how: String, want: u16) -> StepResult {
    let (_, v, _) = w.roster()?;
    let call = Call::get(
        &format!("GET /users signed with {how}"),
        Service::Rostering,
        "users",
    )
    .q("limit", "5")
    .auth(auth_named(&how, v));
    let a = w.roster_send(&call).await?;
    w.verdict(
        "oneroster::oauth1_status",
        a.status == want,
        format!("GET /users signed with {how}: HTTP {}", a.status),
        &format!("HTTP {want}"),
        format!("HTTP {}", a.status),
    )
}

#[then("a signed request whose filter value holds spaces and reserved characters is accepted")]
async fn signed_spaces(w: &mut PlugfestWorld) -> StepResult {
    let call = Call::get(
        "GET /users with a filter value holding spaces (OAuth base string %2520)",
        Service::Rostering,
        "users",
    )
    .q("filter", "familyName='Plugfest Probe & Co/1+1=2'")
    .q("limit", "5");
    let a = w.roster_send(&call).await?;
    w.verdict(
        "oneroster::oauth1_space_in_query",
        a.status == 200,
        format!(
            "the signed request with spaces in the query: HTTP {}",
            a.status
        ),
        "HTTP 200 (the signature over %20-encoded spaces, %2520 in the base string, verifies)",
        format!("HTTP {}", a.status),
    )
}

#[then("a replayed nonce is refused")]
async fn replay(w: &mut PlugfestWorld) -> StepResult {
    let nonce = format!("plugfest{}", w.fresh_id("nonce"));
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let call = Call::get("GET /users (nonce first use)", Service::Rostering, "users")
        .q("limit", "1")
        .auth(Auth::Oauth1(Oauth1Defect::FixedNonce(nonce.clone(), ts)));
    let first = w.roster_send(&call).await?;
    if first.status != 200 {
        return Err(w.error(&format!(
            "the first use of the nonce was answered {}, so the replay cannot be judged",
            first.status
        )));
    }
    let mut again = call.clone();
    again.label = "GET /users (same nonce and timestamp replayed)".into();
    let second = w.roster_send(&again).await?;
    w.verdict(
        "oneroster::oauth1_replay_refused",
        second.status == 401,
        format!("the replayed request: HTTP {}", second.status),
        "HTTP 401 (RFC 5849 §3.3: a nonce is used once per timestamp)",
        format!("HTTP {}", second.status),
    )
}

// ---- Errors ----

/// The status of an answer, or a finding text when it has none.
fn status_of(a: &Answer) -> Option<status::Status> {
    a.json.as_ref().and_then(status::read)
}

/// GET an unknown sourcedId in the collection `coll`.
async fn get_unknown(w: &mut PlugfestWorld, coll: &str) -> Result<Answer, String> {
    let c = version::collection(coll)
        .ok_or_else(|| w.error(&format!("internal: no collection {coll}")))?;
    let id = w.unknown_id();
    let call = Call::get(
        &format!("GET /{coll}/<unknown sourcedId>"),
        c.service,
        &format!("{coll}/{id}"),
    );
    let a = w.roster_send(&call).await?;
    Ok(a)
}

#[then(regex = r#"^GET "([a-zA-Z]+)/<unknown>" is answered 404$"#)]
async fn unknown_404(w: &mut PlugfestWorld, coll: String) -> StepResult {
    let a = get_unknown(w, &coll).await?;
    w.verdict(
        "oneroster::unknown_object_404",
        a.status == 404,
        format!("GET /{coll}/<unknown>: HTTP {}", a.status),
        "HTTP 404",
        format!("HTTP {}", a.status),
    )
}

#[then(regex = r#"^GET "([a-zA-Z]+)/<unknown>" says unknown object$"#)]
async fn unknown_body(w: &mut PlugfestWorld, coll: String) -> StepResult {
    let (_, v, _) = w.roster()?;
    let a = get_unknown(w, &coll).await?;
    if a.status != 404 {
        return Err(w.error(&format!(
            "GET /{coll}/<unknown> answered {} (not 404), so its body is not judged here; the status is checked by its own requirement",
            a.status
        )));
    }
    let s = status_of(&a);
    let minor = v.unknown_object();
    let ok = s.as_ref().is_some_and(|s| s.is_failure(minor))
        && (v == Version::V1p2 || s.as_ref().is_some_and(|s| status::shape_ok(v, s)));
    w.verdict(
        "oneroster::unknown_object_codes",
        ok,
        format!("the 404 body of /{coll}/<unknown> says failure/error/{minor}"),
        &format!(
            "imsx_codeMajor failure, imsx_severity error, code minor `{minor}`{}",
            if v == Version::V1p1 {
                ", inside statusInfoSet"
            } else {
                ""
            }
        ),
        s.map(|s| s.describe())
            .unwrap_or_else(|| "no imsx status in the body".into()),
    )
}

#[then("error answers carry the version's status body")]
async fn error_shape(w: &mut PlugfestWorld) -> StepResult {
    let (_, v, _) = w.roster()?;
    let id = w.unknown_id();
    let calls = vec![
        Call::get(
            "GET /users without credentials",
            Service::Rostering,
            "users",
        )
        .auth(Auth::None),
        Call::get(
            "GET /users/<unknown>",
            Service::Rostering,
            &format!("users/{id}"),
        ),
        Call::get(
            "GET /users with an unknown filter field",
            Service::Rostering,
            "users",
        )
        .q("filter", "plugfestNoSuchField='x'"),
    ];
    let mut problems = Vec::new();
    let mut judged = 0;
    for call in &calls {
        let a = w.roster_send(call).await?;
        if a.status < 400 {
            continue;
        }
        judged += 1;
        let Some(body) = &a.json else {
            problems.push(format!(
                "{}: HTTP {} body is not JSON",
                call.label, a.status
            ));
            continue;
        };
        match status::read(body) {
            None => problems.push(format!(
                "{}: HTTP {} body holds no imsx status",
                call.label, a.status
            )),
            Some(s) if !status::shape_ok(v, &s) => problems.push(format!(
                "{}: a {} body where {v} prescribes {}",
                call.label,
                s.shape,
                if v == Version::V1p2 {
                    "a bare imsx_StatusInfo object"
                } else {
                    "the statusInfoSet wrapper"
                }
            )),
            Some(_) => {
                // The error schema of each version describes the whole body (1.1: the wrapper).
                let doc = body.clone();
                match plugfest_roster::schema::validate(v, "error", &doc) {
                    Ok(vs) if vs.is_empty() => {}
                    Ok(vs) => problems.push(format!(
                        "{}: {}",
                        call.label,
                        vs.iter()
                            .map(|x| format!("{} {}", x.pointer, x.message))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )),
                    Err(e) => return Err(w.error(&e)),
                }
            }
        }
    }
    if judged == 0 {
        return Err(w.error(
            "none of the requests meant to fail was refused, so no error body could be judged",
        ));
    }
    w.verdict(
        "oneroster::error_body_shape",
        problems.is_empty(),
        format!("{judged} error bodies judged"),
        if v == Version::V1p2 {
            "a bare imsx_StatusInfoDType body (OneRoster 1.2 OpenAPI)"
        } else {
            "{\"statusInfoSet\": [imsx status]} (OneRoster 1.1)"
        },
        problems.join("; "),
    )
}

#[then(regex = r#"^GET "([^"]+)" under an unknown parent is answered 404 unknownobject$"#)]
async fn unknown_parent(w: &mut PlugfestWorld, template: String) -> StepResult {
    let (_, v, _) = w.roster()?;
    let id = w.unknown_id();
    let path = template.replace("{unknown}", &id);
    let call = Call::get(&format!("GET /{template}"), Service::Rostering, &path);
    let a = w.roster_send(&call).await?;
    let s = status_of(&a);
    let ok = a.status == 404 && s.as_ref().is_some_and(|s| s.is_failure(v.unknown_object()));
    w.verdict(
        "oneroster::unknown_parent_404",
        ok,
        format!("GET /{template}: HTTP {}", a.status),
        "HTTP 404 with code minor unknownobject",
        format!(
            "HTTP {}; {}",
            a.status,
            s.map(|s| s.describe())
                .unwrap_or_else(|| "no imsx status".into())
        ),
    )
}

#[then("type-restricted single-object endpoints refuse objects of another type")]
async fn type_restricted_single(w: &mut PlugfestWorld) -> StepResult {
    let index = crate::steps::oneroster_data::index(w).await?;
    let s = index.samples.clone();
    let probes: Vec<(&str, Option<String>, &str)> = vec![
        ("students", s.teacher.clone(), "a teacher"),
        ("teachers", s.student.clone(), "a student"),
        (
            "schools",
            s.non_school_org.clone(),
            "an org that is not a school",
        ),
        ("terms", s.grading_period.clone(), "a grading period"),
    ];
    let mut problems = Vec::new();
    let mut judged = 0;
    for (coll, id, what) in probes {
        let Some(id) = id else { continue };
        judged += 1;
        let call = Call::get(
            &format!("GET /{coll}/<{what}>"),
            Service::Rostering,
            &format!("{coll}/{}", plugfest_roster::client::encode(&id)),
        );
        let a = w.roster_send(&call).await?;
        if a.status != 404 {
            problems.push(format!("/{coll}/{id} ({what}) answered {}", a.status));
        }
    }
    if judged == 0 {
        return Err(w.not_assessed(
            "the dataset has no teacher, student, non-school org or grading period to probe with",
        ));
    }
    w.verdict(
        "oneroster::type_restricted_single",
        problems.is_empty(),
        format!("{judged} type-restricted single GETs probed with objects of another type"),
        "HTTP 404 for each",
        problems.join("; "),
    )
}
