//! Why a launch was refused — one variant per rule broken, so tests assert the exact rule —
//! and how the refusal is answered: back to the consumer's return URL with `lti_errormsg`, or
//! a friendly error page.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::fault::{FaultSet, Lti11ToolFault};
use super::page;
use crate::markup::html_escape;

/// A launch the tool refuses, and the rule it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum LaunchRefusal {
    /// The body is not `application/x-www-form-urlencoded`.
    NotAForm,
    /// An OAuth protocol parameter is missing.
    OAuthParameterMissing,
    /// An OAuth protocol parameter appears more than once.
    OAuthParameterRepeated,
    /// `oauth_consumer_key` is not this tool's consumer key.
    ConsumerKeyUnknown,
    /// `oauth_signature_method` is neither HMAC-SHA1 nor HMAC-SHA256.
    SignatureMethodUnsupported,
    /// `oauth_version` is present and not `1.0`.
    OAuthVersionUnsupported,
    /// `oauth_timestamp` is not a positive integer.
    TimestampMalformed,
    /// `oauth_timestamp` is more than the allowed window in the past.
    TimestampStale,
    /// `oauth_timestamp` is more than the allowed window in the future.
    TimestampInFuture,
    /// The (consumer key, timestamp, nonce) was already used.
    NonceReplayed,
    /// `oauth_signature` does not verify.
    SignatureInvalid,
    /// An LTI parameter the rules read (`lti_message_type`, `lti_version`,
    /// `resource_link_id`) appears more than once.
    LtiParameterRepeated,
    /// `lti_message_type` is missing.
    MessageTypeMissing,
    /// `lti_message_type` is not `basic-lti-launch-request`.
    MessageTypeWrong,
    /// `lti_version` is missing.
    VersionMissing,
    /// `lti_version` is not `LTI-1p0`.
    VersionWrong,
    /// `resource_link_id` is missing or empty.
    ResourceLinkIdMissing,
    /// Refused for a `urn:lti:role:` role (fault `full-urn-role-refused`).
    FullUrnRoleRefused,
    /// Refused for holding institution roles only (fault `instrole-only-refused`).
    InstitutionRolesOnlyRefused,
    /// Refused for a full name without a given name (fault `given-name-required`).
    GivenNameMissingRefused,
    /// Refused for having no email (fault `email-required`).
    EmailMissingRefused,
    /// Refused for a context without a title (fault `context-title-required`).
    ContextTitleMissingRefused,
    /// Refused for a resource link other than the user's first (fault
    /// `resource-link-switch-refused`).
    ResourceLinkSwitchRefused,
    /// Refused for the role `Learner` (fault `learner-refused`).
    LearnerRefused,
}

impl LaunchRefusal {
    /// A sentence that makes sense shown to the user (`lti_errormsg`, the error page); never
    /// carries a value taken from the launch.
    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::NotAForm => "The launch was not sent as an HTML form post.",
            Self::OAuthParameterMissing => {
                "The launch is missing one of its OAuth security parameters."
            }
            Self::OAuthParameterRepeated => "The launch repeats an OAuth security parameter.",
            Self::ConsumerKeyUnknown => "This tool does not know the consumer key of the launch.",
            Self::SignatureMethodUnsupported => {
                "The launch is signed with a method this tool does not support (HMAC-SHA1 or HMAC-SHA256 are)."
            }
            Self::OAuthVersionUnsupported => "The launch declares an OAuth version other than 1.0.",
            Self::TimestampMalformed => "The launch's OAuth timestamp is not a number of seconds.",
            Self::TimestampStale => {
                "The launch is too old (its OAuth timestamp is more than 5 minutes in the past); please launch again."
            }
            Self::TimestampInFuture => {
                "The launch's OAuth timestamp is more than 5 minutes in the future; check the clock of the consumer."
            }
            Self::NonceReplayed => {
                "This launch was already used once (its OAuth nonce was seen before); please launch again."
            }
            Self::SignatureInvalid => {
                "The launch's signature does not verify: check the consumer key and secret."
            }
            Self::LtiParameterRepeated => {
                "The launch repeats lti_message_type, lti_version or resource_link_id."
            }
            Self::MessageTypeMissing => "The launch has no lti_message_type.",
            Self::MessageTypeWrong => {
                "The launch's lti_message_type is not basic-lti-launch-request."
            }
            Self::VersionMissing => "The launch has no lti_version.",
            Self::VersionWrong => "The launch's lti_version is not LTI-1p0.",
            Self::ResourceLinkIdMissing => {
                "The launch has no resource_link_id, so the tool cannot tell which resource to open."
            }
            Self::FullUrnRoleRefused => "Launches with full role URNs are not accepted.",
            Self::InstitutionRolesOnlyRefused => {
                "Launches with institution roles only are not accepted."
            }
            Self::GivenNameMissingRefused => "Launches without a given name are not accepted.",
            Self::EmailMissingRefused => "Launches without an email address are not accepted.",
            Self::ContextTitleMissingRefused => {
                "Launches from a context without a title are not accepted."
            }
            Self::ResourceLinkSwitchRefused => "You may only open the resource you opened first.",
            Self::LearnerRefused => "Learner launches are not accepted.",
        }
    }

    /// A stable code for the consumer's log (`lti_errorlog`).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::NotAForm => "not_a_form",
            Self::OAuthParameterMissing => "oauth_parameter_missing",
            Self::OAuthParameterRepeated => "oauth_parameter_repeated",
            Self::ConsumerKeyUnknown => "oauth_consumer_key_unknown",
            Self::SignatureMethodUnsupported => "oauth_signature_method_unsupported",
            Self::OAuthVersionUnsupported => "oauth_version_unsupported",
            Self::TimestampMalformed => "oauth_timestamp_malformed",
            Self::TimestampStale => "oauth_timestamp_stale",
            Self::TimestampInFuture => "oauth_timestamp_in_future",
            Self::NonceReplayed => "oauth_nonce_replayed",
            Self::SignatureInvalid => "oauth_signature_invalid",
            Self::LtiParameterRepeated => "lti_parameter_repeated",
            Self::MessageTypeMissing => "lti_message_type_missing",
            Self::MessageTypeWrong => "lti_message_type_wrong",
            Self::VersionMissing => "lti_version_missing",
            Self::VersionWrong => "lti_version_wrong",
            Self::ResourceLinkIdMissing => "resource_link_id_missing",
            Self::FullUrnRoleRefused => "full_urn_role_refused",
            Self::InstitutionRolesOnlyRefused => "institution_roles_only_refused",
            Self::GivenNameMissingRefused => "given_name_missing_refused",
            Self::EmailMissingRefused => "email_missing_refused",
            Self::ContextTitleMissingRefused => "context_title_missing_refused",
            Self::ResourceLinkSwitchRefused => "resource_link_switch_refused",
            Self::LearnerRefused => "learner_refused",
        }
    }
}

/// The fault that bends how refusals are answered; read only by [`refuse`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RefusalFaults {
    /// `lti11-tool/no-errormsg-redirect`
    pub no_errormsg_redirect: bool,
}

impl RefusalFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            no_errormsg_redirect: set.has(Lti11ToolFault::NoErrormsgRedirect),
        }
    }
}

/// Answer a refused launch.
///
/// IG11 "Basic Launch Data", `launch_presentation_return_url`: "Fully qualified URL where the
/// TP can redirect the user back to the TC interface. This URL can be used once the TP is
/// finished or if the TP cannot start or has some technical difficulty. In the case of an
/// error, the TP may add a parameter called lti_errormsg that includes some detail as to the
/// nature of the error. The lti_errormsg value should make sense if displayed to the user."
/// Certification §1.1: a launch without resource_link_id returns the user to the consumer with
/// an error; §1.2: without a return URL, the tool shows a friendly error.
///
/// OAuth failures are answered the same way. The trade-off: before the signature checks out,
/// the return URL is whatever the sender wrote, so the redirect makes this endpoint an open
/// redirector for anyone who can make a browser post a form to it. The certification suite
/// expects bad consumer keys and signatures to go back to the consumer like the other
/// refusals, and the redirect only goes to an absolute http(s) URL carrying a fixed message
/// (never a value from the launch), so the reference follows the suite; a product worried about
/// open redirects would show the error page until the signature verifies.
pub(crate) fn refuse(
    refusal: LaunchRefusal,
    return_url: Option<&str>,
    faults: RefusalFaults,
) -> Response {
    if !faults.no_errormsg_redirect
        && let Some(location) = return_url.and_then(|url| error_return_url(url, refusal))
    {
        return (
            StatusCode::FOUND,
            [
                (header::LOCATION, location.as_str()),
                (header::CACHE_CONTROL, "no-store"),
            ],
        )
            .into_response();
    }
    page::html(
        StatusCode::BAD_REQUEST,
        "Launch refused",
        &format!(
            "<h1>This resource could not be opened</h1>\n<p class=\"lti-errormsg\">{}</p>\n<p>Please go back to your course and try again; if it keeps happening, contact your administrator.</p>\n",
            html_escape(refusal.message())
        ),
    )
}

/// `return_url` with `lti_errormsg` and `lti_errorlog` added to its query (after any query it
/// already has, before its fragment); `None` unless it is an absolute http(s) URL.
///
/// IG11: "If the tool has displayed a message to the end user and only wants to give the TC a
/// message to log, use the parameter lti_errorlog instead of lti_errormsg" — the tool shows
/// nothing here, so it sends the user-facing `lti_errormsg`, and the rule's code as
/// `lti_errorlog` for the consumer's log (not `lti_log`, which is for success: LTI Core 1.3
/// §5.4.4, which keeps the same four parameters, "lti_errorlog, lti_log … a log-targeted
/// message for unsuccessful or successful (respectively) activity completion").
pub(crate) fn error_return_url(return_url: &str, refusal: LaunchRefusal) -> Option<String> {
    let mut url = Url::parse(return_url).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.query_pairs_mut()
        .append_pair("lti_errormsg", refusal.message())
        .append_pair(
            "lti_errorlog",
            &format!("launch refused: {}", refusal.code()),
        );
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_joins_an_existing_query_and_keeps_the_fragment() {
        let url = error_return_url(
            "https://lms.example/return?course=1&a=b%20c#top",
            LaunchRefusal::ResourceLinkIdMissing,
        )
        .unwrap();
        let parsed = Url::parse(&url).unwrap();
        let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
        assert_eq!(pairs[0], ("course".into(), "1".into()));
        assert_eq!(pairs[1], ("a".into(), "b c".into()));
        assert_eq!(pairs[2].0, "lti_errormsg");
        assert!(pairs[2].1.contains("resource_link_id"));
        assert_eq!(
            pairs[3],
            (
                "lti_errorlog".into(),
                "launch refused: resource_link_id_missing".into()
            )
        );
        assert_eq!(parsed.fragment(), Some("top"));
        let plain = error_return_url("http://lms.example/r", LaunchRefusal::NonceReplayed).unwrap();
        assert!(
            plain.starts_with("http://lms.example/r?lti_errormsg="),
            "{plain}"
        );
    }

    #[test]
    fn only_absolute_http_urls_are_return_urls() {
        for bad in [
            "/relative",
            "javascript:alert(1)",
            "mailto:a@b.example",
            "",
            "data:,x",
        ] {
            assert_eq!(
                error_return_url(bad, LaunchRefusal::SignatureInvalid),
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_refusal_redirects_when_it_can_and_shows_a_page_otherwise() {
        let faults = RefusalFaults::default();
        let r = refuse(
            LaunchRefusal::VersionWrong,
            Some("https://lms.example/r"),
            faults,
        );
        assert_eq!(r.status(), StatusCode::FOUND);
        assert!(
            r.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .contains("lti_errormsg=")
        );
        assert_eq!(
            refuse(LaunchRefusal::VersionWrong, None, faults).status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            refuse(LaunchRefusal::VersionWrong, Some("/r"), faults).status(),
            StatusCode::BAD_REQUEST
        );
        let bent = RefusalFaults {
            no_errormsg_redirect: true,
        };
        assert_eq!(
            refuse(
                LaunchRefusal::VersionWrong,
                Some("https://lms.example/r"),
                bent
            )
            .status(),
            StatusCode::BAD_REQUEST
        );
    }
}
