//! Steps of the OIDC login initiation (Sec §5.1.1.1–§5.1.1.2), tool under test.

use crate::world::{PlugfestWorld, StepResult, tool};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_lti::lti13::auth_request;
use plugfest_lti::lti13::login::{self, AuthRequest, LoginError, LoginParams};
use plugfest_lti::lti13::role::LoginMethod;

/// A target_link_uri on an origin the tool does not own (OIDC-011).
const FOREIGN_TARGET: &str = "https://elsewhere.plugfest.invalid/landing";

impl PlugfestWorld {
    /// Start a login at the tool in the scenario's browser and keep the authentication request.
    /// A tool that does not redirect to the platform fails `login::redirects_to_platform`.
    pub async fn lti13_login(&mut self, fresh_browser: bool) -> StepResult {
        self.lti13_login_to_in(fresh_browser, None).await
    }

    /// Start a login in a fresh browser whose `target_link_uri` is `target` (default: the
    /// configured one), as [`Self::lti13_login`] does.
    pub(crate) async fn lti13_login_to(&mut self, target: Option<&str>) -> StepResult {
        self.lti13_login_to_in(true, target).await
    }

    async fn lti13_login_to_in(&mut self, fresh_browser: bool, target: Option<&str>) -> StepResult {
        let method = tool(&*self.lti13_tool()?).role.login_method;
        match self.lti13_try_login(fresh_browser, method, target).await? {
            Ok(()) => Ok(()),
            Err(e) => self.check(redirect_finding(&e)),
        }
    }

    /// Start a login; `Err` is a harness error, `Ok(Err)` the tool's refusal to redirect.
    async fn lti13_try_login(
        &mut self,
        fresh_browser: bool,
        method: LoginMethod,
        target_link_uri: Option<&str>,
    ) -> Result<Result<(), LoginError>, String> {
        let ctx = self.lti13_tool()?;
        let t = tool(&ctx);
        let browser = self.browser(fresh_browser)?;
        let params = LoginParams {
            iss: t.role.issuer.clone(),
            login_hint: self.fresh_id("login_hint"),
            target_link_uri: target_link_uri
                .unwrap_or(&t.role.target_link_uri)
                .to_string(),
            lti_message_hint: Some(self.fresh_id("lti_message_hint")),
            lti_deployment_id: Some(t.role.deployment_id.clone()),
            client_id: Some(t.role.client_id.clone()),
        };
        let (sent, parsed) = login::initiate(
            &browser,
            &t.role.login_initiation_url,
            method,
            &params,
            &t.auth_url,
        )
        .await;
        self.note(Evidence::Exchange(sent.exchange));
        match parsed {
            Ok(auth) => {
                self.logins.push((params, auth));
                Ok(Ok(()))
            }
            Err(e) if e.is_transport() => Err(self.error(&e.to_string())),
            Err(e) => Ok(Err(e)),
        }
    }

    fn last_auth_request(&mut self) -> Result<(LoginParams, AuthRequest), String> {
        self.logins
            .last()
            .cloned()
            .ok_or_else(|| self.error("no login was made before this check"))
    }
}

fn redirect_finding(e: &LoginError) -> Finding {
    Finding::not_met(
        "login::redirects_to_platform",
        e.to_string(),
        "a redirect to the platform's authentication endpoint",
        e.to_string(),
    )
}

#[given("a login has been initiated at the tool")]
async fn login_initiated(w: &mut PlugfestWorld) -> StepResult {
    w.lti13_login(true).await
}

#[when("a second login is initiated at the tool")]
async fn second_login(w: &mut PlugfestWorld) -> StepResult {
    w.lti13_login(false).await
}

#[when(regex = r"^a login is initiated at the tool by (GET|POST)$")]
async fn login_by(w: &mut PlugfestWorld, method: String) -> StepResult {
    let m = if method == "GET" {
        LoginMethod::Get
    } else {
        LoginMethod::Post
    };
    let outcome = w.lti13_try_login(true, m, None).await?;
    let f = match outcome {
        Ok(()) => Finding::met(
            "login::redirects_to_platform",
            format!("a {method} login redirects to the platform's authentication endpoint"),
        ),
        Err(e) => redirect_finding(&e),
    };
    w.check(f)
}

#[then("the tool redirects the browser to the platform's authentication endpoint")]
async fn redirected(w: &mut PlugfestWorld) -> StepResult {
    let n = w
        .report
        .findings
        .iter()
        .filter(|f| f.check == "login::redirects_to_platform" && f.met)
        .count();
    if n == 0 {
        return Err(w.error("no login redirect was checked before this step"));
    }
    Ok(())
}

#[when("a login is initiated at the tool with a target_link_uri on another origin")]
async fn foreign_login(w: &mut PlugfestWorld) -> StepResult {
    let method = tool(&*w.lti13_tool()?).role.login_method;
    let outcome = w
        .lti13_try_login(true, method, Some(FOREIGN_TARGET))
        .await?;
    w.foreign_login = Some(
        outcome
            .ok()
            .and_then(|()| w.logins.last().map(|(_, a)| a.clone())),
    );
    Ok(())
}

#[then("the token is not sent to that target_link_uri")]
async fn not_sent_to_foreign(w: &mut PlugfestWorld) -> StepResult {
    let req = w
        .foreign_login
        .clone()
        .ok_or_else(|| w.error("no login with a foreign target_link_uri was made"))?;
    w.check(auth_request::redirect_uri_not_from_target_link(
        req.as_ref(),
        FOREIGN_TARGET,
    ))
}

#[then(expr = "the authentication request passes the check {string}")]
async fn auth_request_check(w: &mut PlugfestWorld, name: String) -> StepResult {
    let ctx = w.lti13_tool()?;
    let (sent, req) = w.last_auth_request()?;
    let finding = auth_request::check_named(&name, &req, &tool(&ctx).role, &sent)
        .ok_or_else(|| w.error(&format!("unknown authentication-request check `{name}`")))?;
    w.check(finding)
}

#[then(expr = "the {string} differs between the two authentication requests")]
async fn param_is_fresh(w: &mut PlugfestWorld, name: String) -> StepResult {
    if w.logins.len() < 2 {
        return Err(w.error("two logins are needed for this check"));
    }
    let f = auth_request::is_fresh(&name, &w.logins[0].1, &w.logins[1].1);
    w.check(f)
}

#[then(expr = "the {string} of every login is unguessable")]
async fn param_is_unguessable(w: &mut PlugfestWorld, name: String) -> StepResult {
    let reqs: Vec<AuthRequest> = w.logins.iter().map(|(_, a)| a.clone()).collect();
    if reqs.is_empty() {
        return Err(w.error("no login was made before this check"));
    }
    let f = auth_request::is_unguessable(&name, &reqs.iter().collect::<Vec<_>>());
    w.check(f)
}
