//! The `id_token` claim checks of a resource link launch, after its signature checked out:
//! Security Framework §5.1.3 (iss, aud, azp, exp, iat, nonce) and LTI Core §5.3 (the required
//! LTI claims). Each check is one function; [`check_claims`] runs them in the spec's order.

use serde_json::{Map, Value};

use super::fault::{FaultSet, Lti13ToolFault};
use super::refusal::LaunchRefusal;

const CLAIM_MESSAGE_TYPE: &str = "https://purl.imsglobal.org/spec/lti/claim/message_type";
const CLAIM_VERSION: &str = "https://purl.imsglobal.org/spec/lti/claim/version";
const CLAIM_DEPLOYMENT_ID: &str = "https://purl.imsglobal.org/spec/lti/claim/deployment_id";
const CLAIM_TARGET_LINK_URI: &str = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri";
const CLAIM_RESOURCE_LINK: &str = "https://purl.imsglobal.org/spec/lti/claim/resource_link";
const CLAIM_ROLES: &str = "https://purl.imsglobal.org/spec/lti/claim/roles";
/// The LIS context role of a teacher.
pub(crate) const ROLE_INSTRUCTOR: &str =
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
/// The LIS context role of a student.
pub(crate) const ROLE_LEARNER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

/// Clock skew allowed on `exp` and `iat`, in seconds.
pub(crate) const LEEWAY_SECS: f64 = 60.0;

/// Faults that bend the claim checks; each is read by one check below.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ClaimFaults {
    /// `lti13-tool/expiry-not-checked`
    pub expiry_not_checked: bool,
    /// `lti13-tool/audience-not-checked`
    pub audience_not_checked: bool,
    /// `lti13-tool/message-type-not-checked`
    pub message_type_not_checked: bool,
    /// `lti13-tool/deployment-id-not-checked`
    pub deployment_id_not_checked: bool,
    /// `lti13-tool/refuses-anonymous-launch`
    pub refuses_anonymous: bool,
    /// `lti13-tool/refuses-instructor-launch`
    pub refuses_instructor: bool,
    /// `lti13-tool/refuses-learner-launch`
    pub refuses_learner: bool,
}

impl ClaimFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            expiry_not_checked: set.has(Lti13ToolFault::ExpiryNotChecked),
            audience_not_checked: set.has(Lti13ToolFault::AudienceNotChecked),
            message_type_not_checked: set.has(Lti13ToolFault::MessageTypeNotChecked),
            deployment_id_not_checked: set.has(Lti13ToolFault::DeploymentIdNotChecked),
            refuses_anonymous: set.has(Lti13ToolFault::RefusesAnonymousLaunch),
            refuses_instructor: set.has(Lti13ToolFault::RefusesInstructorLaunch),
            refuses_learner: set.has(Lti13ToolFault::RefusesLearnerLaunch),
        }
    }
}

/// What the tool expects of this launch: its registration and what the login issued.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected<'a> {
    /// The platform's issuer identifier.
    pub issuer: &'a str,
    /// This tool's client_id with that issuer.
    pub client_id: &'a str,
    /// This tool's deployment with that issuer.
    pub deployment_id: &'a str,
    /// The `target_link_uri` the login received.
    pub target_link_uri: &'a str,
    /// The nonce the login issued with the state.
    pub nonce: &'a str,
    /// The current time, seconds since the Unix epoch.
    pub now: f64,
}

/// Who launched, as far as the page shown may say (never a name or an email).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LaunchKind {
    /// No `sub`: an anonymous launch (Core §5.3.6.1).
    Anonymous,
    /// A user with the Instructor membership role.
    Instructor,
    /// A user with the Learner membership role.
    Learner,
    /// A user with other roles, or none.
    Other,
}

impl LaunchKind {
    /// The word shown on the launch page.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Instructor => "instructor",
            Self::Learner => "learner",
            Self::Other => "other",
        }
    }
}

/// Run every claim check, in the order of Sec §5.1.3 then Core §5.3.
pub(crate) fn check_claims(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<LaunchKind, LaunchRefusal> {
    check_issuer(claims, expected)?;
    check_audience(claims, expected, faults)?;
    check_expiry(claims, expected, faults)?;
    check_issued_at(claims, expected)?;
    check_nonce(claims, expected)?;
    check_message_type(claims, faults)?;
    check_version(claims)?;
    check_deployment_id(claims, expected, faults)?;
    check_target_link_uri(claims, expected)?;
    check_resource_link(claims)?;
    let anonymous = check_subject(claims)?;
    let roles = check_roles(claims)?;
    admit(anonymous, &roles, faults)
}

/// Sec §5.1.3 step 2: "The Issuer Identifier for the Platform MUST exactly match the value of
/// the iss (Issuer) Claim".
pub(crate) fn check_issuer(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<(), LaunchRefusal> {
    match claims.get("iss").and_then(Value::as_str) {
        Some(iss) if iss == expected.issuer => Ok(()),
        _ => Err(LaunchRefusal::IssuerMismatch),
    }
}

/// Sec §5.1.3 steps 3–5 (`aud`, `azp`).
pub(crate) fn check_audience(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.audience_not_checked {
        return Ok(());
    }
    let audiences: Vec<Option<&str>> = match claims.get("aud") {
        Some(Value::String(one)) => vec![Some(one.as_str())],
        Some(Value::Array(many)) => many.iter().map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    // Step 3: "The Tool MUST reject the ID Token if it does not list the client_id as a valid
    // audience, or if it contains additional audiences not trusted by the Tool." (This tool
    // trusts no audience but itself.)
    if !audiences.contains(&Some(expected.client_id)) {
        return Err(LaunchRefusal::AudienceMissingClientId);
    }
    if audiences.iter().any(|a| *a != Some(expected.client_id)) {
        return Err(LaunchRefusal::AudienceUntrusted);
    }
    let azp = claims.get("azp");
    // Step 4: "If the ID Token contains multiple audiences, the Tool SHOULD verify that an azp
    // Claim is present".
    if audiences.len() > 1 && azp.is_none() {
        return Err(LaunchRefusal::AzpMissing);
    }
    // Step 5: "If an azp (authorized party) Claim is present, the Tool SHOULD verify that its
    // client_id is the Claim's value".
    match azp {
        Some(azp) if azp.as_str() != Some(expected.client_id) => Err(LaunchRefusal::AzpMismatch),
        _ => Ok(()),
    }
}

/// Sec §5.1.3 step 7: "The current time MUST be before the time represented by the exp
/// Claim" (Sec §5.1.2: implementers "MAY provide for some small leeway").
pub(crate) fn check_expiry(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.expiry_not_checked {
        return Ok(());
    }
    let exp = claims
        .get("exp")
        .and_then(Value::as_f64)
        .ok_or(LaunchRefusal::ExpMissing)?;
    if expected.now < exp + LEEWAY_SECS {
        Ok(())
    } else {
        Err(LaunchRefusal::Expired)
    }
}

/// Sec §5.1.2: `iat` is "REQUIRED"; step 8: "The Tool MAY use the iat Claim to reject tokens
/// that were issued too far away from the current time" — here, ones issued in the future.
pub(crate) fn check_issued_at(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<(), LaunchRefusal> {
    let iat = claims
        .get("iat")
        .and_then(Value::as_f64)
        .ok_or(LaunchRefusal::IatMissing)?;
    if iat <= expected.now + LEEWAY_SECS {
        Ok(())
    } else {
        Err(LaunchRefusal::IatInFuture)
    }
}

/// Sec §5.1.3 step 9: "The ID Token MUST contain a nonce Claim"; Sec §5.1.1.2: the nonce "is
/// passed through unmodified from the Authentication Request to the ID Token". (Whether it was
/// used before is the session store's check.)
pub(crate) fn check_nonce(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<(), LaunchRefusal> {
    match claims.get("nonce").and_then(Value::as_str) {
        None => Err(LaunchRefusal::NonceMissing),
        Some(nonce) if nonce == expected.nonce => Ok(()),
        Some(_) => Err(LaunchRefusal::NonceMismatch),
    }
}

/// Core §5.3.1: "the claim must have the value LtiResourceLinkRequest".
pub(crate) fn check_message_type(
    claims: &Map<String, Value>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.message_type_not_checked {
        return Ok(());
    }
    match claims.get(CLAIM_MESSAGE_TYPE).and_then(Value::as_str) {
        Some("LtiResourceLinkRequest") => Ok(()),
        _ => Err(LaunchRefusal::MessageType),
    }
}

/// Core §5.3.2: "the claim must have the value 1.3.0".
pub(crate) fn check_version(claims: &Map<String, Value>) -> Result<(), LaunchRefusal> {
    match claims.get(CLAIM_VERSION).and_then(Value::as_str) {
        Some("1.3.0") => Ok(()),
        _ => Err(LaunchRefusal::Version),
    }
}

/// Core §5.3.3: the deployment_id claim is "required"; it "identifies the platform-tool
/// integration governing the message" — it must be a deployment of this tool.
pub(crate) fn check_deployment_id(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.deployment_id_not_checked {
        return Ok(());
    }
    match claims.get(CLAIM_DEPLOYMENT_ID).and_then(Value::as_str) {
        Some(id) if id == expected.deployment_id => Ok(()),
        _ => Err(LaunchRefusal::DeploymentId),
    }
}

/// Core §5.3.4: the target_link_uri claim "MUST be the same value as the target_link_uri
/// passed by the platform in the OIDC third party initiated login request".
pub(crate) fn check_target_link_uri(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<(), LaunchRefusal> {
    match claims.get(CLAIM_TARGET_LINK_URI).and_then(Value::as_str) {
        Some(uri) if uri == expected.target_link_uri => Ok(()),
        _ => Err(LaunchRefusal::TargetLinkUri),
    }
}

/// Core §5.3.5: resource_link `id` is "REQUIRED" and "MUST NOT exceed 255 ASCII characters".
pub(crate) fn check_resource_link(claims: &Map<String, Value>) -> Result<(), LaunchRefusal> {
    match claims
        .get(CLAIM_RESOURCE_LINK)
        .and_then(|link| link.get("id"))
        .and_then(Value::as_str)
    {
        Some(id) if id.chars().count() <= 255 => Ok(()),
        _ => Err(LaunchRefusal::ResourceLinkId),
    }
}

/// Core §5.3.6.1: "The tool must interpret the lack of a sub claim as a launch request coming
/// from an anonymous user." When present, Core §5.3.6: it "MUST NOT exceed 255 ASCII
/// characters". Returns whether the launch is anonymous.
pub(crate) fn check_subject(claims: &Map<String, Value>) -> Result<bool, LaunchRefusal> {
    match claims.get("sub") {
        None => Ok(true),
        Some(Value::String(sub)) if !sub.is_empty() && sub.chars().count() <= 255 => Ok(false),
        Some(_) => Err(LaunchRefusal::SubInvalid),
    }
}

/// Core §5.3.7: the roles claim's value "contains a (possibly empty) array of URI values";
/// §5.3.7.1: a platform sending no role information "must still send the roles claim".
pub(crate) fn check_roles(claims: &Map<String, Value>) -> Result<Vec<&str>, LaunchRefusal> {
    claims
        .get(CLAIM_ROLES)
        .and_then(Value::as_array)
        .ok_or(LaunchRefusal::Roles)?
        .iter()
        .map(|role| role.as_str().ok_or(LaunchRefusal::Roles))
        .collect()
}

/// Admit a launch that passed every check: the only place the role and anonymity faults
/// refuse a valid launch.
pub(crate) fn admit(
    anonymous: bool,
    roles: &[&str],
    faults: ClaimFaults,
) -> Result<LaunchKind, LaunchRefusal> {
    if anonymous && faults.refuses_anonymous {
        return Err(LaunchRefusal::AnonymousRefused);
    }
    let instructor = roles.contains(&ROLE_INSTRUCTOR);
    let learner = roles.contains(&ROLE_LEARNER);
    if instructor && faults.refuses_instructor {
        return Err(LaunchRefusal::InstructorRefused);
    }
    if learner && faults.refuses_learner {
        return Err(LaunchRefusal::LearnerRefused);
    }
    Ok(if anonymous {
        LaunchKind::Anonymous
    } else if instructor {
        LaunchKind::Instructor
    } else if learner {
        LaunchKind::Learner
    } else {
        LaunchKind::Other
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: f64 = 1_700_000_000.0;

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://platform.example",
            client_id: "tool-client",
            deployment_id: "dep-1",
            target_link_uri: "https://tool.example/resource",
            nonce: "n-123",
            now: NOW,
        }
    }

    fn valid() -> Map<String, Value> {
        let v = json!({
            "iss": "https://platform.example",
            "aud": "tool-client",
            "sub": "user-1",
            "exp": NOW + 300.0,
            "iat": NOW,
            "nonce": "n-123",
            CLAIM_MESSAGE_TYPE: "LtiResourceLinkRequest",
            CLAIM_VERSION: "1.3.0",
            CLAIM_DEPLOYMENT_ID: "dep-1",
            CLAIM_TARGET_LINK_URI: "https://tool.example/resource",
            CLAIM_RESOURCE_LINK: {"id": "rl-1"},
            CLAIM_ROLES: [ROLE_LEARNER],
            "name": "Ada Lovelace",
        });
        v.as_object().cloned().unwrap()
    }

    fn with(name: &str, value: Value) -> Map<String, Value> {
        let mut c = valid();
        c.insert(name.into(), value);
        c
    }

    fn without(name: &str) -> Map<String, Value> {
        let mut c = valid();
        c.remove(name);
        c
    }

    fn run(claims: &Map<String, Value>) -> Result<LaunchKind, LaunchRefusal> {
        check_claims(claims, &expected(), ClaimFaults::default())
    }

    #[test]
    fn a_valid_learner_launch_passes() {
        assert_eq!(run(&valid()), Ok(LaunchKind::Learner));
    }

    #[test]
    fn issuer_must_match_exactly() {
        assert!(check_issuer(&valid(), &expected()).is_ok());
        assert_eq!(
            run(&with("iss", json!("https://platform.example/"))),
            Err(LaunchRefusal::IssuerMismatch)
        );
        assert_eq!(run(&without("iss")), Err(LaunchRefusal::IssuerMismatch));
    }

    #[test]
    fn audience_must_be_this_tool_only() {
        let f = ClaimFaults::default();
        assert!(check_audience(&with("aud", json!(["tool-client"])), &expected(), f).is_ok());
        assert_eq!(
            run(&with("aud", json!("other"))),
            Err(LaunchRefusal::AudienceMissingClientId)
        );
        assert_eq!(
            run(&without("aud")),
            Err(LaunchRefusal::AudienceMissingClientId)
        );
        assert_eq!(
            run(&with("aud", json!(["tool-client", "other"]))),
            Err(LaunchRefusal::AudienceUntrusted)
        );
        assert_eq!(LaunchRefusal::AudienceUntrusted.status().as_u16(), 401);
    }

    #[test]
    fn azp_is_required_with_several_audiences_and_must_be_this_tool() {
        let f = ClaimFaults::default();
        let mut c = with("aud", json!(["tool-client", "tool-client"]));
        assert_eq!(
            check_audience(&c, &expected(), f),
            Err(LaunchRefusal::AzpMissing)
        );
        c.insert("azp".into(), json!("tool-client"));
        assert!(check_audience(&c, &expected(), f).is_ok());
        assert_eq!(
            run(&with("azp", json!("other"))),
            Err(LaunchRefusal::AzpMismatch)
        );
        assert_eq!(
            run(&with("azp", json!("tool-client"))),
            Ok(LaunchKind::Learner)
        );
    }

    #[test]
    fn audience_fault_ignores_aud_and_azp() {
        let f = ClaimFaults {
            audience_not_checked: true,
            ..Default::default()
        };
        let mut c = with("aud", json!(["other", "more"]));
        c.insert("azp".into(), json!("other"));
        assert!(check_audience(&c, &expected(), f).is_ok());
    }

    #[test]
    fn expired_tokens_are_refused_within_leeway() {
        let f = ClaimFaults::default();
        assert!(check_expiry(&with("exp", json!(NOW - 30.0)), &expected(), f).is_ok());
        assert_eq!(
            run(&with("exp", json!(NOW - 61.0))),
            Err(LaunchRefusal::Expired)
        );
        assert_eq!(run(&without("exp")), Err(LaunchRefusal::ExpMissing));
        assert_eq!(
            run(&with("exp", json!("soon"))),
            Err(LaunchRefusal::ExpMissing)
        );
        let ignore = ClaimFaults {
            expiry_not_checked: true,
            ..Default::default()
        };
        assert!(check_expiry(&with("exp", json!(NOW - 3600.0)), &expected(), ignore).is_ok());
    }

    #[test]
    fn iat_must_be_present_and_not_in_the_future() {
        assert!(check_issued_at(&with("iat", json!(NOW + 59.0)), &expected()).is_ok());
        assert_eq!(
            run(&with("iat", json!(NOW + 600.0))),
            Err(LaunchRefusal::IatInFuture)
        );
        assert_eq!(run(&without("iat")), Err(LaunchRefusal::IatMissing));
    }

    #[test]
    fn nonce_must_be_the_one_issued() {
        assert!(check_nonce(&valid(), &expected()).is_ok());
        assert_eq!(
            run(&with("nonce", json!("n-999"))),
            Err(LaunchRefusal::NonceMismatch)
        );
        assert_eq!(run(&without("nonce")), Err(LaunchRefusal::NonceMissing));
    }

    #[test]
    fn message_type_must_be_resource_link_request() {
        let f = ClaimFaults::default();
        assert!(check_message_type(&valid(), f).is_ok());
        let dl = with(CLAIM_MESSAGE_TYPE, json!("LtiDeepLinkingRequest"));
        assert_eq!(run(&dl), Err(LaunchRefusal::MessageType));
        let any = ClaimFaults {
            message_type_not_checked: true,
            ..Default::default()
        };
        assert!(check_message_type(&dl, any).is_ok());
    }

    #[test]
    fn version_must_be_1_3_0() {
        assert!(check_version(&valid()).is_ok());
        assert_eq!(
            run(&with(CLAIM_VERSION, json!("1.1"))),
            Err(LaunchRefusal::Version)
        );
    }

    #[test]
    fn deployment_id_must_be_ours() {
        let f = ClaimFaults::default();
        assert!(check_deployment_id(&valid(), &expected(), f).is_ok());
        assert_eq!(
            run(&with(CLAIM_DEPLOYMENT_ID, json!("dep-2"))),
            Err(LaunchRefusal::DeploymentId)
        );
        assert_eq!(
            run(&without(CLAIM_DEPLOYMENT_ID)),
            Err(LaunchRefusal::DeploymentId)
        );
        let any = ClaimFaults {
            deployment_id_not_checked: true,
            ..Default::default()
        };
        assert!(check_deployment_id(&without(CLAIM_DEPLOYMENT_ID), &expected(), any).is_ok());
    }

    #[test]
    fn target_link_uri_must_match_the_login() {
        assert!(check_target_link_uri(&valid(), &expected()).is_ok());
        assert_eq!(
            run(&with(CLAIM_TARGET_LINK_URI, json!("https://evil.example/"))),
            Err(LaunchRefusal::TargetLinkUri)
        );
    }

    #[test]
    fn resource_link_id_is_required_and_short() {
        assert!(check_resource_link(&valid()).is_ok());
        assert_eq!(
            run(&with(CLAIM_RESOURCE_LINK, json!({"id": "x".repeat(256)}))),
            Err(LaunchRefusal::ResourceLinkId)
        );
        assert_eq!(
            run(&with(CLAIM_RESOURCE_LINK, json!({"title": "no id"}))),
            Err(LaunchRefusal::ResourceLinkId)
        );
    }

    #[test]
    fn a_launch_without_sub_is_anonymous() {
        assert_eq!(run(&without("sub")), Ok(LaunchKind::Anonymous));
        assert_eq!(run(&with("sub", json!(42))), Err(LaunchRefusal::SubInvalid));
        let f = ClaimFaults {
            refuses_anonymous: true,
            ..Default::default()
        };
        assert_eq!(
            check_claims(&without("sub"), &expected(), f),
            Err(LaunchRefusal::AnonymousRefused)
        );
    }

    #[test]
    fn roles_must_be_an_array_possibly_empty() {
        assert_eq!(run(&with(CLAIM_ROLES, json!([]))), Ok(LaunchKind::Other));
        assert_eq!(run(&without(CLAIM_ROLES)), Err(LaunchRefusal::Roles));
        assert_eq!(
            run(&with(CLAIM_ROLES, json!(ROLE_LEARNER))),
            Err(LaunchRefusal::Roles)
        );
        assert_eq!(
            run(&with(CLAIM_ROLES, json!([1]))),
            Err(LaunchRefusal::Roles)
        );
    }

    #[test]
    fn role_faults_refuse_valid_launches() {
        let instructor = with(CLAIM_ROLES, json!([ROLE_INSTRUCTOR]));
        assert_eq!(run(&instructor), Ok(LaunchKind::Instructor));
        let f = ClaimFaults {
            refuses_instructor: true,
            ..Default::default()
        };
        assert_eq!(
            check_claims(&instructor, &expected(), f),
            Err(LaunchRefusal::InstructorRefused)
        );
        assert_eq!(
            check_claims(&valid(), &expected(), f),
            Ok(LaunchKind::Learner)
        );
        let f = ClaimFaults {
            refuses_learner: true,
            ..Default::default()
        };
        assert_eq!(
            check_claims(&valid(), &expected(), f),
            Err(LaunchRefusal::LearnerRefused)
        );
    }
}
