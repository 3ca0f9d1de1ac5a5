//! `[roles.lti11-tool]` and `[roles.lti11-consumer]`: what Plugfest needs to know about an LTI
//! 1.1 tool provider or tool consumer (LMS) under test.

use crate::lti13::refusal::RefusalRule;
use crate::lti13::role::{Person, is_loopback};
use plugfest_core::config::SecretSource;
use serde::Deserialize;

/// `[roles.lti11-tool]`: a tool provider, launched by Plugfest playing the consumer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolProviderRole {
    /// The tool's launch URL: where launch forms are posted.
    pub launch_url: String,
    /// The consumer key registered for Plugfest at the tool.
    pub consumer_key: String,
    /// Its shared secret — a secret slot (`{ env = "NAME" }` or `{ file = "path" }`).
    pub consumer_secret: SecretSource,
    /// A test hook of the tool that makes it send a Basic Outcomes request (form POST of
    /// `lis_result_sourcedid`, `operation` and `score`); without it the outcomes checks are
    /// `not-assessed`.
    #[serde(default)]
    pub outcomes_hook_url: Option<String>,
    /// How answers to launches are read (as for LTI 1.3; a redirect to the return URL with
    /// `lti_errormsg` always reads as a refusal).
    #[serde(default)]
    pub refusal: RefusalRule,
    /// The instructor sent in launches (fake data; masked in reports).
    #[serde(default = "Person::default_instructor")]
    pub instructor: Person,
    /// The learner sent in launches.
    #[serde(default = "Person::default_learner")]
    pub learner: Person,
}

/// `[roles.lti11-consumer]`: a tool consumer and its Basic Outcomes service; Plugfest plays the
/// tool registered at `<public_base_url>/lti11/tool/launch`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerRole {
    /// A page of the LMS holding a learner's launch form towards Plugfest, in a graded placement.
    pub learner_launch_form_url: String,
    /// The same for an instructor.
    pub instructor_launch_form_url: String,
    /// The consumer key the LMS signs with.
    pub consumer_key: String,
    /// Its shared secret — a secret slot.
    pub consumer_secret: SecretSource,
    /// A `Cookie` header value for fetching the form pages (a logged-in session), a secret slot.
    #[serde(default)]
    pub cookie: Option<SecretSource>,
}

/// Problems with a role's URLs: (key, problem), empty when fine.
pub fn url_problems(urls: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, url) in urls {
        let Some(url) = url else { continue };
        match url::Url::parse(url) {
            Ok(u) if u.scheme() == "https" || (u.scheme() == "http" && is_loopback(&u)) => {}
            Ok(_) => out.push((
                key.to_string(),
                format!("`{url}` must be https (plain http only on loopback)"),
            )),
            Err(e) => out.push((key.to_string(), format!("`{url}` is not a URL: {e}"))),
        }
    }
    out
}

impl ToolProviderRole {
    /// Problems with the table's values: (key, problem), empty when fine.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = url_problems(&[
            ("launch_url", Some(&self.launch_url)),
            ("outcomes_hook_url", self.outcomes_hook_url.as_deref()),
        ]);
        if self.consumer_key.is_empty() {
            out.push(("consumer_key".into(), "must not be empty".into()));
        }
        out
    }
}

impl ConsumerRole {
    /// Problems with the table's values: (key, problem), empty when fine.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = url_problems(&[
            (
                "learner_launch_form_url",
                Some(&self.learner_launch_form_url),
            ),
            (
                "instructor_launch_form_url",
                Some(&self.instructor_launch_form_url),
            ),
        ]);
        if self.consumer_key.is_empty() {
            out.push(("consumer_key".into(), "must not be empty".into()));
        }
        out
    }
}
