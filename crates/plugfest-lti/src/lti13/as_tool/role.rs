//! `[roles.lti13-platform]`: what Plugfest needs to know about a platform under test, and the
//! kinds of launch it asks the platform for.

use crate::lti13::role::{KeySource, id_problems, service_problems, url_problem};
use plugfest_core::config::SecretSource;
use serde::Deserialize;

/// The `[roles.lti13-platform]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformRole {
    /// The platform's issuer identifier (`iss` of its id_tokens).
    pub issuer: String,
    /// The client ID the platform issued to Plugfest.
    pub client_id: String,
    /// The deployment ID of Plugfest in the platform.
    pub deployment_id: String,
    /// The OIDC authorization endpoint.
    pub auth_url: String,
    /// The OAuth 2 token endpoint.
    pub token_url: String,
    /// The platform's key set URL.
    pub jwks_url: String,
    /// The client assertion audience (default: `token_url`).
    #[serde(default)]
    pub token_audience: Option<String>,
    /// Plugfest's tool key: a PEM file (generated and saved when missing) or `{ env = "NAME" }`.
    #[serde(default = "default_tool_key")]
    pub tool_key: KeySource,
    /// The context (course) in which AGS and Deep Linking writes may happen.
    #[serde(default)]
    pub sandbox_context: Option<String>,
    /// The Advantage services the platform claims (`ags`, `nrps`, `deep-linking`).
    #[serde(default)]
    pub services: Vec<String>,
    /// How launches are started.
    pub launch: LaunchSettings,
}

fn default_tool_key() -> KeySource {
    KeySource::Path("tool-key.pem".into())
}

/// `[roles.lti13-platform.launch]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaunchSettings {
    /// `trigger` (Plugfest GETs a trigger URL) or `manual` (a person clicks).
    pub mode: LaunchMode,
    /// How long to wait for a launch to arrive.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// A header sent with every trigger GET (its value a secret slot).
    #[serde(default)]
    pub header: Option<TriggerHeader>,
    /// Trigger URLs, one per kind of launch.
    #[serde(default)]
    pub triggers: Triggers,
}

fn default_timeout() -> u64 {
    120
}

/// How launches are started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LaunchMode {
    /// Plugfest plays the user agent from a trigger URL.
    Trigger,
    /// A person's browser launches; Plugfest waits.
    Manual,
}

/// A header for the trigger GETs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerHeader {
    /// Header name.
    pub name: String,
    /// Header value (a secret).
    pub value: SecretSource,
}

/// `[roles.lti13-platform.launch.triggers]`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triggers {
    /// An instructor with personal data.
    pub instructor: Option<String>,
    /// A student with personal data.
    pub student: Option<String>,
    /// An instructor without personal data.
    pub instructor_anonymous: Option<String>,
    /// A student without personal data.
    pub student_anonymous: Option<String>,
    /// A deep linking launch.
    pub deep_linking: Option<String>,
    /// An instructor in a second context.
    pub second_context: Option<String>,
}

/// A kind of launch Plugfest asks the platform for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LaunchKind {
    /// An instructor with personal data (cert §5.1.3).
    Instructor,
    /// A student with personal data (cert §5.1.1).
    Student,
    /// An instructor without personal data (cert §5.1.4).
    InstructorAnonymous,
    /// A student without personal data (cert §5.1.2).
    StudentAnonymous,
    /// A deep linking request (cert §5.2).
    DeepLinking,
    /// An instructor in a second context (cert §5.4 phase 2).
    SecondContext,
}

impl LaunchKind {
    /// Every kind, in the order a person is asked to click them in manual mode.
    pub const ALL: [LaunchKind; 6] = [
        LaunchKind::Instructor,
        LaunchKind::Student,
        LaunchKind::InstructorAnonymous,
        LaunchKind::StudentAnonymous,
        LaunchKind::DeepLinking,
        LaunchKind::SecondContext,
    ];

    /// The name used in the config and the feature files.
    pub fn name(self) -> &'static str {
        match self {
            LaunchKind::Instructor => "instructor",
            LaunchKind::Student => "student",
            LaunchKind::InstructorAnonymous => "instructor_anonymous",
            LaunchKind::StudentAnonymous => "student_anonymous",
            LaunchKind::DeepLinking => "deep_linking",
            LaunchKind::SecondContext => "second_context",
        }
    }

    /// The kind called `name`.
    pub fn from_name(name: &str) -> Option<LaunchKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What a person does in manual mode for this kind.
    pub fn instruction(self) -> &'static str {
        match self {
            LaunchKind::Instructor => {
                "as an instructor of the sandbox course, with names and email shared, open the Plugfest link"
            }
            LaunchKind::Student => {
                "as a student of the sandbox course, with names and email shared, open the Plugfest link"
            }
            LaunchKind::InstructorAnonymous => {
                "as an instructor, from a Plugfest placement that shares no personal data (email allowed), open the link"
            }
            LaunchKind::StudentAnonymous => {
                "as a student, from a Plugfest placement that shares no personal data, open the link"
            }
            LaunchKind::DeepLinking => {
                "as an instructor of the sandbox course, add content from Plugfest (deep linking)"
            }
            LaunchKind::SecondContext => {
                "as an instructor of a second course, open a Plugfest link there"
            }
        }
    }
}

impl Triggers {
    /// The trigger URL for `kind`, if configured.
    pub fn get(&self, kind: LaunchKind) -> Option<&str> {
        match kind {
            LaunchKind::Instructor => self.instructor.as_deref(),
            LaunchKind::Student => self.student.as_deref(),
            LaunchKind::InstructorAnonymous => self.instructor_anonymous.as_deref(),
            LaunchKind::StudentAnonymous => self.student_anonymous.as_deref(),
            LaunchKind::DeepLinking => self.deep_linking.as_deref(),
            LaunchKind::SecondContext => self.second_context.as_deref(),
        }
    }
}

impl PlatformRole {
    /// Whether the platform claims the Advantage service `name`.
    pub fn offers(&self, name: &str) -> bool {
        self.services.iter().any(|s| s == name)
    }

    /// The audience Plugfest puts in client assertions.
    pub fn assertion_audience(&self) -> &str {
        self.token_audience.as_deref().unwrap_or(&self.token_url)
    }

    /// Problems a parser cannot see: `(key, problem)` pairs.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut url = |key: &str, value: &str| {
            if let Some(p) = url_problem(value) {
                out.push((key.to_string(), p));
            }
        };
        url("issuer", &self.issuer);
        url("auth_url", &self.auth_url);
        url("token_url", &self.token_url);
        url("jwks_url", &self.jwks_url);
        for kind in LaunchKind::ALL {
            if let Some(t) = self.launch.triggers.get(kind) {
                url(&format!("launch.triggers.{}", kind.name()), t);
            }
        }
        if self.token_audience.as_deref() == Some("") {
            out.push(("token_audience".into(), "must not be empty".into()));
        }
        service_problems(&self.services, &mut out);
        id_problems(&self.client_id, &self.deployment_id, &mut out);
        if self.launch.timeout_secs == 0 || self.launch.timeout_secs > 3600 {
            out.push((
                "launch.timeout_secs".into(),
                "must be 1 to 3600 seconds".into(),
            ));
        }
        if self.launch.mode == LaunchMode::Trigger
            && LaunchKind::ALL
                .iter()
                .all(|k| self.launch.triggers.get(*k).is_none())
        {
            out.push((
                "launch.triggers".into(),
                "trigger mode needs at least one trigger URL (or set mode = \"manual\")".into(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(extra: &str) -> Result<PlatformRole, toml::de::Error> {
        toml::from_str(&format!(
            "issuer = \"https://lms.example\"\nclient_id = \"c\"\ndeployment_id = \"d\"\n\
             auth_url = \"https://lms.example/auth\"\ntoken_url = \"https://lms.example/token\"\n\
             jwks_url = \"https://lms.example/jwks\"\n{extra}"
        ))
    }

    #[test]
    fn the_contract_table_parses_with_defaults() {
        let r = parse(
            "services = [\"ags\"]\n[launch]\nmode = \"trigger\"\nheader = { name = \"Authorization\", value = { file = \"t.txt\" } }\n[launch.triggers]\ninstructor = \"https://lms.example/t?l=i\"\n",
        )
        .unwrap();
        assert_eq!(r.launch.timeout_secs, 120);
        assert_eq!(r.assertion_audience(), "https://lms.example/token");
        assert_eq!(r.tool_key, KeySource::Path("tool-key.pem".into()));
        assert!(r.problems().is_empty(), "{:?}", r.problems());
        assert_eq!(
            r.launch.triggers.get(LaunchKind::Instructor),
            Some("https://lms.example/t?l=i")
        );
    }

    #[test]
    fn problems_name_the_key() {
        let r = parse("services = [\"grades\"]\n[launch]\nmode = \"trigger\"\n").unwrap();
        let keys: Vec<String> = r.problems().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["services", "launch.triggers"]);
        assert!(parse("[launch]\nmode = \"sometimes\"\n").is_err());
        assert!(parse("typo = 1\n[launch]\nmode = \"manual\"\n").is_err());
    }
}
