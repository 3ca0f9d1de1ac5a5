//! `[roles.lti13-tool]`: what Plugfest needs to know about a tool under test.

use super::refusal::RefusalRule;
use serde::Deserialize;
use std::path::PathBuf;

/// True for `localhost`, 127.0.0.0/8 and `[::1]`.
pub fn is_loopback(u: &url::Url) -> bool {
    match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// What is wrong with a configured endpoint URL (DESIGN §7: HTTPS like a real client; plain
/// HTTP only on loopback), if anything.
pub fn url_problem(value: &str) -> Option<String> {
    match url::Url::parse(value) {
        Err(e) => Some(format!("`{value}` is not an absolute URL: {e}")),
        Ok(u) if u.scheme() == "http" && !is_loopback(&u) => Some(format!(
            "`{value}` must use https (plain HTTP is allowed on loopback only)"
        )),
        Ok(u) if u.scheme() != "http" && u.scheme() != "https" => {
            Some(format!("`{value}` must be an https URL"))
        }
        Ok(_) => None,
    }
}

/// Adds to `out` each entry of `services` that is not an Advantage service.
pub fn service_problems(services: &[String], out: &mut Vec<(String, String)>) {
    for s in services {
        if !ADVANTAGE_SERVICES.contains(&s.as_str()) {
            out.push((
                "services".into(),
                format!("`{s}` is not one of {}", ADVANTAGE_SERVICES.join(", ")),
            ));
        }
    }
}

/// Adds to `out` a `client_id` or `deployment_id` outside 1 to 255 characters (Core §5.3.3).
pub fn id_problems(client_id: &str, deployment_id: &str, out: &mut Vec<(String, String)>) {
    for (k, v) in [("client_id", client_id), ("deployment_id", deployment_id)] {
        if v.is_empty() || v.len() > 255 {
            out.push((k.into(), "must be 1 to 255 characters (Core §5.3.3)".into()));
        }
    }
}

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

    /// The instructor sent when the config names none.
    pub fn default_instructor() -> Person {
        Person {
            sub: "plugfest-instructor-0001".into(),
            given_name: "Ida".into(),
            family_name: "Testwright".into(),
            email: "ida.testwright@plugfest.invalid".into(),
        }
    }

    /// The learner sent when the config names none.
    pub fn default_learner() -> Person {
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
    /// The LTI Advantage services the tool offers (`ags`, `nrps`, `deep-linking`); the
    /// requirements of the others are not applicable.
    #[serde(default)]
    pub services: Vec<String>,
    /// A test hook of the tool (form POST) that makes it perform its AGS and NRPS calls now,
    /// for the launch the form names.
    #[serde(default)]
    pub advantage_hook_url: Option<String>,
    /// The target link URI of deep linking launches (default: `target_link_uri`).
    #[serde(default)]
    pub deep_linking_url: Option<String>,
}

/// The LTI Advantage services a tool can claim in `services`.
pub const ADVANTAGE_SERVICES: &[&str] = &["ags", "nrps", "deep-linking"];

impl ToolRole {
    /// Whether the tool claims the Advantage service `name` (`ags`, `nrps`, `deep-linking`).
    pub fn offers(&self, name: &str) -> bool {
        self.services.iter().any(|s| s == name)
    }
}

impl ToolRole {
    /// Problems a parser cannot see: `(key, problem)` pairs.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut url = |key: &str, value: &str| {
            if let Some(p) = url_problem(value) {
                out.push((key.to_string(), p));
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
        if let Some(h) = &self.advantage_hook_url {
            url("advantage_hook_url", h);
        }
        if let Some(d) = &self.deep_linking_url {
            url("deep_linking_url", d);
        }
        service_problems(&self.services, &mut out);
        if self.launch_urls.is_empty() {
            out.push((
                "launch_urls".into(),
                "list at least one registered redirect URI".into(),
            ));
        }
        id_problems(&self.client_id, &self.deployment_id, &mut out);
        if let Err(e) = self.refusal.compile() {
            out.push(("refusal".into(), e));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(login: &str) -> ToolRole {
        ToolRole {
            login_initiation_url: login.into(),
            launch_urls: vec!["https://t.example/launch".into()],
            target_link_uri: "https://t.example/r".into(),
            client_id: "c".into(),
            deployment_id: "d".into(),
            issuer: "https://p.example".into(),
            platform_key: KeySource::Path("k.pem".into()),
            tool_jwks_url: None,
            login_method: LoginMethod::Post,
            refusal: RefusalRule::default(),
            instructor: Person::default_instructor(),
            learner: Person::default_learner(),
            services: vec![],
            advantage_hook_url: None,
            deep_linking_url: None,
        }
    }

    #[test]
    fn plain_http_is_refused_off_loopback() {
        assert!(role("https://t.example/login").problems().is_empty());
        assert!(role("http://127.0.0.1:8080/login").problems().is_empty());
        assert!(role("http://localhost/login").problems().is_empty());
        let p = role("http://t.example/login").problems();
        assert_eq!(p[0].0, "login_initiation_url");
        assert!(p[0].1.contains("must use https"));
        assert!(!role("ftp://t.example/x").problems().is_empty());
        assert!(!role("not a url").problems().is_empty());
    }
}
