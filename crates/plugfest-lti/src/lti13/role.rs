//! `[roles.lti13-tool]`: what Plugfest needs to know about a tool under test.

use super::refusal::RefusalRule;
use serde::Deserialize;
use std::path::PathBuf;

/// Where the platform's signing key comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum KeySource {
    /// `platform_key = { env = "NAME" }`: a PEM in an environment variable.
    Env {
        /// Variable name.
        env: String,
    },
    /// `platform_key = "keys/platform.pem"`: a PEM file, generated and saved when missing.
    Path(PathBuf),
}

/// Fake person data Plugfest sends in a launch (masked in every output).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// `sub` claim.
    pub sub: String,
    /// `given_name` claim.
    pub given_name: String,
    /// `family_name` claim.
    pub family_name: String,
    /// `email` claim.
    pub email: String,
}

impl Person {
    /// `name` claim: given and family name.
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }

    fn default_instructor() -> Person {
        Person {
            sub: "plugfest-instructor-0001".into(),
            given_name: "Ida".into(),
            family_name: "Testwright".into(),
            email: "ida.testwright@plugfest.invalid".into(),
        }
    }

    fn default_learner() -> Person {
        Person {
            sub: "plugfest-learner-0001".into(),
            given_name: "Leo".into(),
            family_name: "Samplestudent".into(),
            email: "leo.samplestudent@plugfest.invalid".into(),
        }
    }
}

/// How Plugfest starts a login at the tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LoginMethod {
    /// A form POST (Sec §5.1.1.1 allows GET or POST).
    #[default]
    Post,
    /// A GET with query parameters.
    Get,
}

/// The `[roles.lti13-tool]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolRole {
    /// The tool's OIDC login initiation URL.
    pub login_initiation_url: String,
    /// The redirect URIs registered for the tool; launches are posted to these.
    pub launch_urls: Vec<String>,
    /// The target link URI of the resource link Plugfest launches.
    pub target_link_uri: String,
    /// The client ID the platform issued to the tool.
    pub client_id: String,
    /// The deployment ID of the tool in the platform.
    pub deployment_id: String,
    /// The issuer (platform identifier) the tool trusts Plugfest as.
    pub issuer: String,
    /// The platform signing key.
    pub platform_key: KeySource,
    /// The tool's own JWKS URL, if it publishes one.
    #[serde(default)]
    pub tool_jwks_url: Option<String>,
    /// GET or POST for login initiation.
    #[serde(default)]
    pub login_method: LoginMethod,
    /// How a launch answer is read as accepted or refused.
    #[serde(default)]
    pub refusal: RefusalRule,
    /// Fake instructor data for launches.
    #[serde(default = "Person::default_instructor")]
    pub instructor: Person,
    /// Fake learner data for launches.
    #[serde(default = "Person::default_learner")]
    pub learner: Person,
}

impl ToolRole {
    /// Problems a parser cannot see: `(key, problem)` pairs.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut url = |key: &str, value: &str| {
            if let Err(e) = url::Url::parse(value) {
                out.push((
                    key.to_string(),
                    format!("`{value}` is not an absolute URL: {e}"),
                ));
            }
        };
        url("login_initiation_url", &self.login_initiation_url);
        url("target_link_uri", &self.target_link_uri);
        url("issuer", &self.issuer);
        for u in &self.launch_urls {
            url("launch_urls", u);
        }
        if let Some(j) = &self.tool_jwks_url {
            url("tool_jwks_url", j);
        }
        if self.launch_urls.is_empty() {
            out.push((
                "launch_urls".into(),
                "list at least one registered redirect URI".into(),
            ));
        }
        for (k, v) in [
            ("client_id", &self.client_id),
            ("deployment_id", &self.deployment_id),
        ] {
            if v.is_empty() || v.len() > 255 {
                out.push((k.into(), "must be 1 to 255 characters (Core §5.3.3)".into()));
            }
        }
        if let Err(e) = self.refusal.compile() {
            out.push(("refusal".into(), e));
        }
        out
    }
}
