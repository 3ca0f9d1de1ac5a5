//! Steps of the OIDC login initiation (Sec §5.1.1.1–§5.1.1.2), tool under test.

use crate::world::{PlugfestWorld, StepResult, tool};
use cucumber::{given, then, when};
use plugfest_core::{Evidence, Finding};
use plugfest_lti::lti13::auth_request;
use plugfest_lti::lti13::login::{self, LoginParams};

impl PlugfestWorld {
    /// Start a login at the tool in the scenario's browser and keep the authentication request.
    /// A tool that does not redirect to the platform fails `login::redirects_to_platform`.
    pub async fn lti13_login(&mut self, fresh_browser: bool) -> StepResult {
        let ctx = self.lti13_tool()?;
        let t = tool(&ctx);
        let browser = self.browser(fresh_browser)?;
        let params = LoginParams {
            iss: t.role.issuer.clone(),
            login_hint: self.fresh_id("login_hint"),
            target_link_uri: t.role.target_link_uri.clone(),
            lti_message_hint: Some(self.fresh_id("lti_message_hint")),
            lti_deployment_id: Some(t.role.deployment_id.clone()),
            client_id: Some(t.role.client_id.clone()),
        };
        let (sent, parsed) = login::initiate(
            &browser,
            &t.role.login_initiation_url,
            t.role.login_method,
            &params,
            &t.auth_url,
        )
        .await;
        self.note(Evidence::Exchange(sent.exchange));
        match parsed {
            Ok(auth) => {
                self.logins.push((params, auth));
                Ok(())
            }
            Err(e) if e.is_transport() => Err(self.error(&e.to_string())),
            Err(e) => self.check(Finding::not_met(
                "login::redirects_to_platform",
                e.to_string(),
                format!(
                    "a redirect to the platform authentication endpoint {}",
                    t.auth_url
                ),
                e.to_string(),
            )),
        }
    }
}

#[given("a login has been initiated at the tool")]
async fn login_initiated(w: &mut PlugfestWorld) -> StepResult {
    w.lti13_login(true).await
}

#[when("a second login is initiated at the tool")]
async fn second_login(w: &mut PlugfestWorld) -> StepResult {
    w.lti13_login(false).await
}

#[then(expr = "the authentication request passes the check {string}")]
async fn auth_request_check(w: &mut PlugfestWorld, name: String) -> StepResult {
    let ctx = w.lti13_tool()?;
    let (sent, req) = w
        .logins
        .last()
        .cloned()
        .ok_or_else(|| w.error("no login was made before this check"))?;
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
