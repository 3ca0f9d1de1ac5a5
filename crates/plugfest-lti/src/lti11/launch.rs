//! LTI 1.1 basic launch requests (IG11 "Basic Launch Data"), valid and deliberately broken,
//! signed with OAuth 1.0a (RFC 5849 §3.4), and how the tool provider's answer reads.

use crate::lti13::launch::LaunchAnswer;
use crate::lti13::refusal::Reading;
use crate::lti13::role::Person;
use plugfest_core::Finding;
use plugfest_http::oauth1::{self, OAuthError, OAuthParams, SignatureMethod};

/// `lti_message_type` of a basic launch.
pub const MESSAGE_TYPE: &str = "basic-lti-launch-request";
/// `lti_version` of LTI 1.0, 1.1 and 1.2 launches.
pub const VERSION: &str = "LTI-1p0";

/// Parameters of one launch, in order.
pub type Params = Vec<(String, String)>;

/// Who launches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Role `Instructor`.
    Instructor,
    /// Role `Learner`.
    Learner,
}

/// What a launch is about, besides the person.
#[derive(Debug, Clone)]
pub struct Placement {
    /// `resource_link_id`.
    pub resource_link_id: String,
    /// `context_id`.
    pub context_id: String,
    /// `launch_presentation_return_url` (Plugfest's).
    pub return_url: String,
    /// `lis_outcome_service_url` and `lis_result_sourcedid`, for a graded learner launch.
    pub outcome: Option<(String, String)>,
}

/// The parameters a conformant consumer sends (IG11 "Basic Launch Data"): the required ones and
/// the recommended ones, for `who` in `placement`.
pub fn full(who: Who, person: &Person, placement: &Placement) -> Params {
    let role = match who {
        Who::Instructor => "Instructor",
        Who::Learner => "Learner",
    };
    let mut p: Params = [
        ("lti_message_type", MESSAGE_TYPE),
        ("lti_version", VERSION),
        ("resource_link_id", placement.resource_link_id.as_str()),
        ("resource_link_title", "Plugfest assessment activity"),
        ("user_id", person.sub.as_str()),
        ("roles", role),
        ("lis_person_name_given", person.given_name.as_str()),
        ("lis_person_name_family", person.family_name.as_str()),
        ("lis_person_name_full", &person.name()),
        ("lis_person_contact_email_primary", person.email.as_str()),
        ("context_id", placement.context_id.as_str()),
        ("context_title", "Plugfest conformance course"),
        ("context_label", "PLUGFEST-101"),
        ("context_type", "CourseSection"),
        (
            "launch_presentation_return_url",
            placement.return_url.as_str(),
        ),
        ("launch_presentation_locale", "en-US"),
        ("tool_consumer_instance_guid", "plugfest.invalid"),
        ("tool_consumer_info_product_family_code", "plugfest"),
        ("tool_consumer_info_version", env!("CARGO_PKG_VERSION")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    if let Some((url, sourcedid)) = &placement.outcome {
        p.push(("lis_outcome_service_url".into(), url.clone()));
        p.push(("lis_result_sourcedid".into(), sourcedid.clone()));
    }
    p
}

/// Only what IG11 requires: message type, version and resource link (cert 4.7).
pub fn required_only(placement: &Placement) -> Params {
    [
        ("lti_message_type", MESSAGE_TYPE),
        ("lti_version", VERSION),
        ("resource_link_id", placement.resource_link_id.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Set `name` to `value` (replacing every earlier value, or appending).
pub fn set(params: &mut Params, name: &str, value: &str) {
    params.retain(|(k, _)| k != name);
    params.push((name.to_string(), value.to_string()));
}

/// How a launch is signed: correctly, or with one deliberate defect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signing {
    /// Signed correctly with the declared method.
    Valid,
    /// Signed with a secret that is not the shared one (cert 1.4).
    WrongSecret,
    /// A consumer key the tool does not know (cert 1.3).
    UnknownKey,
    /// `oauth_timestamp` this many seconds from now (negative: in the past).
    TimestampOffset(i64),
    /// Declares HMAC-SHA256 but the signature is HMAC-SHA1 (RFC 5849 §3.4: the declared method).
    DeclaresSha256SignsSha1,
    /// A parameter changed after signing.
    TamperedAfter(String, String),
}

/// The unknown consumer key sent by [`Signing::UnknownKey`].
pub const UNKNOWN_KEY: &str = "plugfest-unknown-consumer-key";

/// Sign `params` for a POST to `url` (adds the `oauth_*` parameters and `oauth_signature`).
pub fn sign(
    url: &str,
    params: &[(String, String)],
    key: &str,
    secret: &str,
    method: SignatureMethod,
    signing: &Signing,
    nonce: &str,
) -> Result<Params, OAuthError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let timestamp = match signing {
        Signing::TimestampOffset(off) => now.saturating_add_signed(*off),
        _ => now,
    };
    let key = if *signing == Signing::UnknownKey {
        UNKNOWN_KEY
    } else {
        key
    };
    let mut oauth = OAuthParams::new(key, method, timestamp, nonce);
    oauth.callback = Some("about:blank".into());
    let secret = match signing {
        Signing::WrongSecret => "plugfest-not-the-shared-secret",
        _ => secret,
    };
    if *signing == Signing::DeclaresSha256SignsSha1 {
        // The base string names HMAC-SHA256, as declared; the MAC is computed with SHA-1.
        oauth.method = SignatureMethod::HmacSha256;
        let mut signed = params.to_vec();
        signed.extend(oauth.pairs());
        let base = oauth1::signature_base_string("POST", url, &signed)?;
        let mac = oauth1::sign(SignatureMethod::HmacSha1, &base, secret, "");
        signed.push(("oauth_signature".into(), mac));
        return Ok(signed);
    }
    let mut signed = oauth1::sign_form("POST", url, params, &oauth, secret)?;
    if let Signing::TamperedAfter(name, value) = signing {
        let sig = signed.iter().position(|(k, _)| k == "oauth_signature");
        let kept = sig.map(|i| signed.remove(i));
        set(&mut signed, name, value);
        signed.extend(kept);
    }
    Ok(signed)
}

/// The answer read for LTI 1.1: a redirect to Plugfest's return URL is the tool's way of
/// refusing (IG11 `launch_presentation_return_url`, cert 1.1), whatever the refusal rule says.
/// Returns the `lti_errormsg` it carried, if any.
pub fn read_returned(answer: &mut LaunchAnswer, return_url: &str) -> Option<String> {
    let location = answer.final_location.as_deref()?;
    if !location.starts_with(return_url) {
        return None;
    }
    answer.reading = Reading::Refused { clean: true };
    let url = url::Url::parse(location).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "lti_errormsg")
        .map(|(_, v)| v.into_owned())
}

/// A refused launch with a return URL sends the user back there with `lti_errormsg` (cert 1.1).
pub fn returned_with_errormsg(answer: &LaunchAnswer, errormsg: Option<&str>) -> Finding {
    let check = "lti11_launch::returned_with_errormsg";
    match (answer.final_location.as_deref(), errormsg) {
        (Some(_), Some(msg)) if !msg.trim().is_empty() => Finding::met(
            check,
            format!("the tool sent the user back to the return URL with lti_errormsg “{msg}”"),
        ),
        (Some(loc), _) => Finding::not_met(
            check,
            "the tool sent the user back without a non-empty lti_errormsg",
            "a redirect to launch_presentation_return_url with lti_errormsg",
            format!("redirect to {loc}"),
        ),
        (None, _) => Finding::not_met(
            check,
            "the tool did not send the user back to the return URL",
            "a redirect to launch_presentation_return_url with lti_errormsg",
            answer.observed(),
        ),
    }
}

/// A launch that may be accepted or refused, but never with a server error or an unreadable
/// answer (cert 4.7: guest access or an error page).
pub fn accepted_or_refused_cleanly(answer: &LaunchAnswer) -> Finding {
    let check = "lti11_launch::accepted_or_refused_cleanly";
    match answer.reading {
        Reading::Accepted | Reading::Refused { clean: true } => {
            Finding::met(check, format!("the tool {}", answer.observed()))
        }
        _ => Finding::not_met(
            check,
            "the tool answered a minimal launch with neither an acceptance nor a clean refusal",
            "accepted, or refused with a 4xx or a return to the consumer",
            answer.observed(),
        ),
    }
}
