//! What one check saw: met, or not met with expected, observed and where.

use serde::{Deserialize, Serialize};

/// The outcome of one check function (OpenID-suite style: one condition, values attached).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Name of the check, `module::subject_expectation` (e.g. `login::scope_is_openid`).
    pub check: String,
    /// Whether the condition held.
    pub met: bool,
    /// One-line headline, for a met check the values it confirmed.
    pub message: String,
    /// What the specification expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the product did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    /// Where: a claim path, a header, a query parameter, `file:line:col`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Finding {
    /// A condition that held.
    pub fn met(check: &str, message: impl Into<String>) -> Self {
        Finding {
            check: check.to_string(),
            met: true,
            message: message.into(),
            expected: None,
            observed: None,
            location: None,
        }
    }

    /// A condition that did not hold, with what was expected and what was seen.
    pub fn not_met(
        check: &str,
        message: impl Into<String>,
        expected: impl Into<String>,
        observed: impl Into<String>,
    ) -> Self {
        Finding {
            check: check.to_string(),
            met: false,
            message: message.into(),
            expected: Some(expected.into()),
            observed: Some(observed.into()),
            location: None,
        }
    }

    /// Attach the place the finding refers to.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Met when `observed == expected`, otherwise not met with both values.
    pub fn equals(check: &str, what: &str, expected: &str, observed: Option<&str>) -> Self {
        match observed {
            Some(v) if v == expected => Finding::met(check, format!("{what} is `{v}`")),
            Some(v) => Finding::not_met(check, format!("{what} is wrong"), expected, v),
            None => Finding::not_met(check, format!("{what} is missing"), expected, "(absent)"),
        }
        .at(what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_is_met_only_on_the_exact_value() {
        assert!(Finding::equals("c", "scope", "openid", Some("openid")).met);
        let wrong = Finding::equals("c", "scope", "openid", Some("openid profile"));
        assert!(!wrong.met);
        assert_eq!(wrong.observed.as_deref(), Some("openid profile"));
        let missing = Finding::equals("c", "scope", "openid", None);
        assert_eq!(missing.observed.as_deref(), Some("(absent)"));
        assert_eq!(missing.location.as_deref(), Some("scope"));
    }
}
