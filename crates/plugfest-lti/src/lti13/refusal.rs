//! The refusal rule: how a tool's answer to a launch is read as accepted, refused or unknown.
//!
//! LTI mandates almost no status codes for launches (only 401 for a bad `aud`, Sec §5.1.3 step
//! 3), so the config says how to read the tool. By default 2xx = accepted and 4xx = refused,
//! after following redirects within the tool's origins; a 5xx is a refusal that is not clean; a
//! redirect elsewhere, a timeout or anything else is unknown. Optional body regexes are ANDed
//! with the status.

use plugfest_http::Response;
use serde::Deserialize;

/// The `[roles.lti13-tool.refusal]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusalRule {
    /// Status patterns read as accepted (`2xx`, or an exact code like `200`).
    #[serde(default = "RefusalRule::default_accept")]
    pub accept_status: Vec<String>,
    /// Status patterns read as refused.
    #[serde(default = "RefusalRule::default_refuse")]
    pub refuse_status: Vec<String>,
    /// Regex the body must match for an acceptance.
    #[serde(default)]
    pub accept_body: Option<String>,
    /// Regex the body must match for a refusal.
    #[serde(default)]
    pub refuse_body: Option<String>,
    /// Origins (`https://host[:port]`) whose redirects are followed; default: the launch URLs' origins.
    #[serde(default)]
    pub follow_origins: Vec<String>,
}

impl Default for RefusalRule {
    fn default() -> Self {
        RefusalRule {
            accept_status: Self::default_accept(),
            refuse_status: Self::default_refuse(),
            accept_body: None,
            refuse_body: None,
            follow_origins: vec![],
        }
    }
}

/// How a launch answer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// The tool accepted the launch.
    Accepted,
    /// The tool refused it; `clean` is false for a 5xx.
    Refused {
        /// True for an answer in `refuse_status` (4xx by default).
        clean: bool,
    },
    /// Neither; why.
    Unknown(String),
}

impl Reading {
    /// A short description for expected/observed fields.
    pub fn describe(&self) -> String {
        match self {
            Reading::Accepted => "accepted".into(),
            Reading::Refused { clean: true } => "refused".into(),
            Reading::Refused { clean: false } => "refused with a server error (5xx)".into(),
            Reading::Unknown(why) => format!("unknown ({why})"),
        }
    }
}

/// A rule with its regexes compiled.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    rule: RefusalRule,
    accept_body: Option<regex::Regex>,
    refuse_body: Option<regex::Regex>,
}

impl RefusalRule {
    fn default_accept() -> Vec<String> {
        vec!["2xx".into()]
    }
    fn default_refuse() -> Vec<String> {
        vec!["4xx".into()]
    }

    /// Compile the regexes and check the status patterns.
    pub fn compile(&self) -> Result<CompiledRule, String> {
        for p in self.accept_status.iter().chain(&self.refuse_status) {
            if !valid_pattern(p) {
                return Err(format!("status pattern `{p}` must be like `2xx` or `200`"));
            }
        }
        let re = |r: &Option<String>, key: &str| {
            r.as_deref()
                .map(|s| regex::Regex::new(s).map_err(|e| format!("{key}: {e}")))
                .transpose()
        };
        Ok(CompiledRule {
            accept_body: re(&self.accept_body, "accept_body")?,
            refuse_body: re(&self.refuse_body, "refuse_body")?,
            rule: self.clone(),
        })
    }
}

impl CompiledRule {
    /// The origins whose redirects are followed, given the tool's launch URLs as fallback.
    pub fn follow_origins(&self, launch_urls: &[String]) -> Vec<String> {
        if !self.rule.follow_origins.is_empty() {
            return self.rule.follow_origins.clone();
        }
        launch_urls.iter().filter_map(|u| origin_of(u)).collect()
    }

    /// Read a final answer (after permitted redirects).
    pub fn read(&self, response: &Response) -> Reading {
        let status = response.status;
        let body = response.text();
        let matches = |re: &Option<regex::Regex>| re.as_ref().is_none_or(|r| r.is_match(&body));
        let accepted = status_in(&self.rule.accept_status, status) && matches(&self.accept_body);
        let refused = status_in(&self.rule.refuse_status, status) && matches(&self.refuse_body);
        match (accepted, refused) {
            (true, false) => Reading::Accepted,
            (false, true) => Reading::Refused { clean: true },
            (true, true) => Reading::Unknown(format!(
                "status {status} matches both the accept and the refuse rule"
            )),
            (false, false) if (500..600).contains(&status) && matches(&self.refuse_body) => {
                Reading::Refused { clean: false }
            }
            (false, false) if (300..400).contains(&status) => Reading::Unknown(format!(
                "redirect {status} to {} outside the tool's origins",
                response.header("location").unwrap_or("(no Location)")
            )),
            (false, false) => Reading::Unknown(format!("status {status} matches neither rule")),
        }
    }
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

fn valid_pattern(p: &str) -> bool {
    p.len() == 3
        && p.starts_with(|c: char| ('1'..='5').contains(&c))
        && (p[1..].eq_ignore_ascii_case("xx") || p[1..].chars().all(|c| c.is_ascii_digit()))
}

fn status_in(patterns: &[String], status: u16) -> bool {
    let s = status.to_string();
    patterns
        .iter()
        .any(|p| p == &s || (p[1..].eq_ignore_ascii_case("xx") && s.starts_with(&p[..1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("location".into(), "https://elsewhere.example/".into())],
            body: body.as_bytes().to_vec(),
            truncated: false,
        }
    }

    #[test]
    fn default_rule_reads_status_classes() {
        let r = RefusalRule::default().compile().unwrap();
        assert_eq!(r.read(&resp(200, "")), Reading::Accepted);
        assert_eq!(r.read(&resp(401, "")), Reading::Refused { clean: true });
        assert_eq!(r.read(&resp(500, "")), Reading::Refused { clean: false });
        assert!(matches!(r.read(&resp(302, "")), Reading::Unknown(w) if w.contains("elsewhere")));
        assert!(matches!(r.read(&resp(101, "")), Reading::Unknown(_)));
    }

    #[test]
    fn body_regexes_are_anded_with_the_status() {
        let rule = RefusalRule {
            accept_body: Some("Welcome".into()),
            refuse_status: vec!["4xx".into(), "200".into()],
            refuse_body: Some("(?i)launch failed".into()),
            ..RefusalRule::default()
        };
        let r = rule.compile().unwrap();
        assert_eq!(r.read(&resp(200, "Welcome!")), Reading::Accepted);
        assert_eq!(
            r.read(&resp(200, "Launch failed: bad nonce")),
            Reading::Refused { clean: true }
        );
        assert!(matches!(
            r.read(&resp(200, "something else")),
            Reading::Unknown(_)
        ));
    }

    #[test]
    fn bad_patterns_are_reported() {
        let rule = RefusalRule {
            accept_status: vec!["ok".into()],
            ..RefusalRule::default()
        };
        assert!(rule.compile().unwrap_err().contains("`ok`"));
        let rule = RefusalRule {
            accept_body: Some("(".into()),
            ..RefusalRule::default()
        };
        assert!(rule.compile().unwrap_err().starts_with("accept_body"));
    }

    #[test]
    fn follow_origins_default_to_the_launch_urls() {
        let r = RefusalRule::default().compile().unwrap();
        assert_eq!(
            r.follow_origins(&["https://t.example:8443/launch".into()]),
            vec!["https://t.example:8443".to_string()]
        );
    }
}
