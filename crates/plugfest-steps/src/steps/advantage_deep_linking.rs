//! Steps of Deep Linking 2.0 with a tool under test (DL §2.3, §4.4, §4.5): Plugfest sends an
//! `LtiDeepLinkingRequest` through the OIDC flow and judges the `LtiDeepLinkingResponse` the
//! tool's auto-submitted form carries.

use crate::steps::launch::{Advantage, LaunchSpec};
use crate::world::{Outcome, PlugfestWorld, StepResult, tool};
use cucumber::{given, then, when};
use plugfest_core::Evidence;
use plugfest_http::Request;
use plugfest_lti::jws;
use plugfest_lti::lti13::platform_deep_link::{self, ALL_TYPES, Expected, Settings};
use plugfest_lti::lti13::refusal::Reading;
use plugfest_lti::lti13::{platform_tool_jwt, tool_keys};

impl PlugfestWorld {
    /// Record that the tool does not offer `service` (→ not-applicable), if so.
    pub(crate) fn require_service(&mut self, service: &str, name: &str) -> StepResult {
        let ctx = self.lti13_tool()?;
        if tool(&ctx).role.offers(service) {
            return Ok(());
        }
        let why = format!(
            "the tool does not claim {name}: `services` in [roles.lti13-tool] does not list \"{service}\""
        );
        self.report.outcome = Some(Outcome::NotApplicable(why.clone()));
        Err(why)
    }

    /// The tool's key set from `tool_jwks_url` (`None` when the config names none); a key set
    /// that cannot be read is empty, so nothing verifies with it.
    pub(crate) async fn fetch_tool_keys(
        &mut self,
    ) -> Result<Option<Vec<serde_json::Value>>, String> {
        let ctx = self.lti13_tool()?;
        let Some(url) = tool(&ctx).role.tool_jwks_url.clone() else {
            return Ok(None);
        };
        let client = self.browser(true)?;
        let sent = client
            .send(Request::get("the tool's key set (Sec §6.3)", &url))
            .await;
        self.note(Evidence::Exchange(sent.exchange));
        Ok(Some(match sent.result {
            Ok(resp) => tool_keys::is_key_set(&resp).1.unwrap_or_default(),
            Err(_) => Vec::new(),
        }))
    }

    fn dl_jwt(&mut self, what: &str) -> Result<String, String> {
        match self.advantage.dl_jwt.clone() {
            Some(j) => Ok(j),
            None => Err(self.error(&format!(
                "the tool's answer to the deep linking request carries no JWT parameter, so {what} cannot be judged"
            ))),
        }
    }
}

#[given("the tool offers deep linking")]
async fn offers_deep_linking(w: &mut PlugfestWorld) -> StepResult {
    w.require_service("deep-linking", "Deep Linking 2.0")
}

#[when(
    regex = r"^an instructor sends a deep linking request accepting (every content type|only (\S+) items)( and a single item)?$"
)]
async fn deep_linking_request(
    w: &mut PlugfestWorld,
    accepting: String,
    only: String,
    single: String,
) -> StepResult {
    let ctx = w.lti13_tool()?;
    let t = tool(&ctx);
    let accept_types = if accepting == "every content type" {
        ALL_TYPES.iter().map(|s| s.to_string()).collect()
    } else {
        vec![only]
    };
    let settings = Settings {
        return_url: t.services.deep_link_return_url(),
        accept_types,
        accept_multiple: single.is_empty(),
        data: w.fresh_id("deep_linking_data"),
    };
    let target = t
        .role
        .deep_linking_url
        .clone()
        .unwrap_or_else(|| t.role.target_link_uri.clone());
    w.advantage.dl_settings = Some(settings.clone());
    w.lti13_launch(LaunchSpec::advantage(
        "instructor",
        Advantage::DeepLinking { settings, target },
    ))
    .await?;
    let last = w.launches.last().cloned().expect("launch pushed");
    if last.answer.reading != Reading::Accepted {
        let why = format!(
            "the tool answered the deep linking request `{}`, so its response cannot be judged",
            last.answer.observed()
        );
        return Err(w.error(&why));
    }
    let (finding, jwt) = platform_deep_link::response_form(
        last.answer.final_response.as_ref(),
        &last.redirect_uri,
        &t.services.deep_link_return_url(),
    );
    if let Some((header, claims)) = jwt.as_deref().and_then(jws::decode_unverified) {
        w.note(Evidence::Jwt {
            label: "the tool's LtiDeepLinkingResponse".into(),
            header,
            claims: ctx.redactor.json(&claims),
        });
    }
    w.advantage.dl_jwt = jwt;
    w.advantage.dl_form = Some(finding);
    Ok(())
}

#[then("the tool answers with a form that posts a JWT to the deep_link_return_url")]
async fn answered_with_form(w: &mut PlugfestWorld) -> StepResult {
    let finding = w
        .advantage
        .dl_form
        .clone()
        .ok_or_else(|| w.error("no deep linking request was sent before this check"))?;
    w.check(finding)
}

#[then("the deep linking response's signature verifies with the tool's key set")]
async fn signature_verifies(w: &mut PlugfestWorld) -> StepResult {
    let jwt = w.dl_jwt("its signature")?;
    let Some(keys) = w.fetch_tool_keys().await? else {
        return Err(w.not_assessed(
            "no tool_jwks_url in [roles.lti13-tool]: the response's signature cannot be verified",
        ));
    };
    let check = "platform_deep_link::signature_verifies";
    w.check(match platform_tool_jwt::verify(&jwt, &keys) {
        Ok((header, _)) => plugfest_core::Finding::met(
            check,
            format!(
                "RS256 signature verifies with the tool's key {}",
                header["kid"].as_str().unwrap_or("")
            ),
        ),
        Err(why) => plugfest_core::Finding::not_met(
            check,
            "the deep linking response does not verify with the tool's key set",
            "an RS256 JWT signed with a key of the tool's key set (kid in its header)",
            why,
        ),
    })
}

#[then(expr = "the deep linking response passes the check {string}")]
async fn response_check(w: &mut PlugfestWorld, name: String) -> StepResult {
    let ctx = w.lti13_tool()?;
    let t = tool(&ctx);
    let jwt = w.dl_jwt("its claims")?;
    let settings = w
        .advantage
        .dl_settings
        .clone()
        .ok_or_else(|| w.error("no deep linking request was sent before this check"))?;
    let Some((_, claims)) = jws::decode_unverified(&jwt) else {
        let f = plugfest_core::Finding::not_met(
            "platform_deep_link::decodes",
            "the JWT parameter is not a compact JWS with a JSON payload",
            "a JWT",
            "undecodable",
        );
        return w.check(f);
    };
    let expected = Expected {
        issuer: &t.role.issuer,
        client_id: &t.role.client_id,
        deployment_id: &t.role.deployment_id,
        settings: &settings,
        now: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let finding = platform_deep_link::check_named(&name, &claims, &expected)
        .ok_or_else(|| w.error(&format!("unknown deep linking response check `{name}`")))?;
    w.check(finding)
}
