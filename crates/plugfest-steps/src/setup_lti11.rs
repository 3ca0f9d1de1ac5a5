//! Setting up the LTI 1.1 suites from the config: `[roles.lti11-tool]` (Plugfest plays the tool
//! consumer and hosts a Basic Outcomes service) and `[roles.lti11-consumer]` (Plugfest plays the
//! tool the LMS launches), and the official schemas their XML checks validate against.

use crate::context::{Lti11Consumer, Lti11Tool};
use crate::run::RunError;
use plugfest_core::{Config, Redactor};
use plugfest_lti::lti11::role::{ConsumerRole, ToolProviderRole};
use plugfest_lti::lti11::service::{self, Inbox};
use plugfest_packages::{SchemaBundle, XsdPool};
use std::path::Path;
use std::sync::Arc;

/// The message shown where the schema bundle is missing.
pub const NO_BUNDLE: &str = "the official XSD bundle was not found, so XSD checks are not assessed: pass --schemas DIR or set PLUGFEST_SCHEMAS to a folder holding the 1EdTech schemas and their catalog.xml";

/// The callback server's public base URL, required by both LTI 1.1 suites.
fn public_base(config: &Config, suite: &str) -> Result<String, RunError> {
    let server = config.server.as_ref().ok_or_else(|| {
        config.error(
            "server",
            format!("the {suite} suite needs [server]: Plugfest's outcomes service, return URL and launch URL are served there"),
        )
    })?;
    Ok(server.public_base_url.trim_end_matches('/').to_string())
}

/// `[roles.lti11-tool]`, typed and checked, its secret registered with the redactor.
pub fn tool(
    config: &Config,
    redactor: &mut Redactor,
    inbox: Arc<Inbox>,
) -> Result<(Lti11Tool, Vec<String>), RunError> {
    let role: ToolProviderRole = config.role("lti11-tool")?;
    if let Some((key, problem)) = role.problems().into_iter().next() {
        return Err(config
            .error(&format!("roles.lti11-tool.{key}"), problem)
            .into());
    }
    let base = public_base(config, "lti11-tool")?;
    let secret = role
        .consumer_secret
        .resolve(config, "roles.lti11-tool.consumer_secret")?;
    redactor.add_secret(secret.expose());
    crate::run::mask_people(redactor, &[&role.instructor, &role.learner]);
    let rule = role
        .refusal
        .compile()
        .map_err(|e| config.error("roles.lti11-tool.refusal", e))?;
    let origins = rule.follow_origins(std::slice::from_ref(&role.launch_url));
    let mut notes = Vec::new();
    if role.launch_url.starts_with("http:") {
        notes.push("The LTI 1.1 tool was reached over plain HTTP on loopback.".to_string());
    }
    Ok((
        Lti11Tool {
            role,
            secret,
            rule,
            origins,
            return_url: format!("{base}{}", service::RETURN_PATH),
            outcomes_url: format!("{base}{}", service::OUTCOMES_PATH),
            inbox,
            calibration: tokio::sync::OnceCell::new(),
        },
        notes,
    ))
}

/// `[roles.lti11-consumer]`, typed and checked, its secrets registered with the redactor.
pub fn consumer(config: &Config, redactor: &mut Redactor) -> Result<Lti11Consumer, RunError> {
    let role: ConsumerRole = config.role("lti11-consumer")?;
    if let Some((key, problem)) = role.problems().into_iter().next() {
        return Err(config
            .error(&format!("roles.lti11-consumer.{key}"), problem)
            .into());
    }
    let base = public_base(config, "lti11-consumer")?;
    let secret = role
        .consumer_secret
        .resolve(config, "roles.lti11-consumer.consumer_secret")?;
    redactor.add_secret(secret.expose());
    let cookie = role
        .cookie
        .as_ref()
        .map(|c| c.resolve(config, "roles.lti11-consumer.cookie"))
        .transpose()?;
    if let Some(c) = &cookie {
        redactor.add_secret(c.expose());
    }
    Ok(Lti11Consumer {
        role,
        secret,
        cookie,
        launch_url: format!("{base}{}", service::TOOL_LAUNCH_PATH),
    })
}

/// The XSD pool over the bundle at `--schemas`, `PLUGFEST_SCHEMAS` or the user data folder, or
/// why there is none.
pub fn schemas(explicit: Option<&Path>) -> Result<Arc<XsdPool>, String> {
    let root = SchemaBundle::locate(explicit).ok_or_else(|| NO_BUNDLE.to_string())?;
    let bundle = SchemaBundle::open(&root).map_err(|e| format!("{NO_BUNDLE} ({e})"))?;
    Ok(Arc::new(XsdPool::new(bundle, XsdPool::default_workers())))
}
