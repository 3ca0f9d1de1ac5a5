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
const CLAIM_CONTEXT: &str = "https://purl.imsglobal.org/spec/lti/claim/context";
/// DL §4.4.1: the settings claim of a deep linking request.
pub(crate) const CLAIM_DL_SETTINGS: &str =
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
/// DL §4.4.2 / Core §5.3.1: the message type of a deep linking request.
const DEEP_LINKING_REQUEST: &str = "LtiDeepLinkingRequest";
/// The LIS context role of a teacher.
pub(crate) const ROLE_INSTRUCTOR: &str =
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
/// The LIS context role of a student.
pub(crate) const ROLE_LEARNER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
/// Where the 1EdTech role vocabularies live (Core Appendix A.2).
const ROLE_VOCABULARIES: &str = "http://purl.imsglobal.org/vocab/";
/// The longest resource link id accepted, in characters.
const MAX_ID_CHARS: usize = 255;

/// Clock skew allowed on `exp` and `iat`, in seconds.
pub(crate) const LEEWAY_SECS: f64 = 60.0;

/// Faults that bend the claim checks; each is read by one check below.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ClaimFaults {
    /// `lti13-tool/issuer-not-checked`
    pub issuer_not_checked: bool,
    /// `lti13-tool/audience-not-checked`
    pub audience_not_checked: bool,
    /// `lti13-tool/extra-audiences-trusted`
    pub extra_audiences_trusted: bool,
    /// `lti13-tool/azp-not-checked`
    pub azp_not_checked: bool,
    /// `lti13-tool/expiry-not-checked`
    pub expiry_not_checked: bool,
    /// `lti13-tool/missing-exp-accepted`
    pub missing_exp_accepted: bool,
    /// `lti13-tool/missing-iat-accepted`
    pub missing_iat_accepted: bool,
    /// `lti13-tool/iat-not-checked`
    pub iat_not_checked: bool,
    /// `lti13-tool/missing-nonce-accepted`
    pub missing_nonce_accepted: bool,
    /// `lti13-tool/nonce-not-checked`
    pub nonce_not_checked: bool,
    /// `lti13-tool/nonce-not-matched-to-login`
    pub nonce_not_matched_to_login: bool,
    /// `lti13-tool/lti-claims-not-checked`
    pub lti_claims_not_checked: bool,
    /// `lti13-tool/message-type-not-checked`
    pub message_type_not_checked: bool,
    /// `lti13-tool/version-not-checked`
    pub version_not_checked: bool,
    /// `lti13-tool/deployment-id-not-checked`
    pub deployment_id_not_checked: bool,
    /// `lti13-tool/target-link-uri-not-checked`
    pub target_link_uri_not_checked: bool,
    /// `lti13-tool/resource-link-not-checked`
    pub resource_link_not_checked: bool,
    /// `lti13-tool/long-ids-accepted`
    pub long_ids_accepted: bool,
    /// `lti13-tool/roles-claim-not-required`
    pub roles_claim_not_required: bool,
    /// Faults that refuse valid launches, read by [`admit`].
    pub admission: AdmissionFaults,
}

/// Faults that refuse a launch that passed every check; all are read by [`admit`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AdmissionFaults {
    /// `lti13-tool/refuses-anonymous-launch`
    pub refuses_anonymous: bool,
    /// `lti13-tool/refuses-instructor-launch`
    pub refuses_instructor: bool,
    /// `lti13-tool/refuses-learner-launch`
    pub refuses_learner: bool,
    /// `lti13-tool/refuses-multiple-roles`
    pub refuses_multiple_roles: bool,
    /// `lti13-tool/refuses-short-role-names`
    pub refuses_short_role_names: bool,
    /// `lti13-tool/refuses-unknown-roles`
    pub refuses_unknown_roles: bool,
    /// `lti13-tool/refuses-empty-roles`
    pub refuses_empty_roles: bool,
    /// `lti13-tool/refuses-launch-without-email`
    pub refuses_without_email: bool,
    /// `lti13-tool/refuses-launch-without-names`
    pub refuses_without_names: bool,
    /// `lti13-tool/refuses-launch-without-context`
    pub refuses_without_context: bool,
}

impl ClaimFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        use Lti13ToolFault as F;
        Self {
            issuer_not_checked: set.has(F::IssuerNotChecked),
            audience_not_checked: set.has(F::AudienceNotChecked),
            extra_audiences_trusted: set.has(F::ExtraAudiencesTrusted),
            azp_not_checked: set.has(F::AzpNotChecked),
            expiry_not_checked: set.has(F::ExpiryNotChecked),
            missing_exp_accepted: set.has(F::MissingExpAccepted),
            missing_iat_accepted: set.has(F::MissingIatAccepted),
            iat_not_checked: set.has(F::IatNotChecked),
            missing_nonce_accepted: set.has(F::MissingNonceAccepted),
            nonce_not_checked: set.has(F::NonceNotChecked),
            nonce_not_matched_to_login: set.has(F::NonceNotMatchedToLogin),
            lti_claims_not_checked: set.has(F::LtiClaimsNotChecked),
            message_type_not_checked: set.has(F::MessageTypeNotChecked),
            version_not_checked: set.has(F::VersionNotChecked),
            deployment_id_not_checked: set.has(F::DeploymentIdNotChecked),
            target_link_uri_not_checked: set.has(F::TargetLinkUriNotChecked),
            resource_link_not_checked: set.has(F::ResourceLinkNotChecked),
            long_ids_accepted: set.has(F::LongIdsAccepted),
            roles_claim_not_required: set.has(F::RolesClaimNotRequired),
            admission: AdmissionFaults {
                refuses_anonymous: set.has(F::RefusesAnonymousLaunch),
                refuses_instructor: set.has(F::RefusesInstructorLaunch),
                refuses_learner: set.has(F::RefusesLearnerLaunch),
                refuses_multiple_roles: set.has(F::RefusesMultipleRoles),
                refuses_short_role_names: set.has(F::RefusesShortRoleNames),
                refuses_unknown_roles: set.has(F::RefusesUnknownRoles),
                refuses_empty_roles: set.has(F::RefusesEmptyRoles),
                refuses_without_email: set.has(F::RefusesLaunchWithoutEmail),
                refuses_without_names: set.has(F::RefusesLaunchWithoutNames),
                refuses_without_context: set.has(F::RefusesLaunchWithoutContext),
            },
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
    /// A deep linking request (DL §4.4), answered with a deep linking response.
    DeepLinking,
}

impl LaunchKind {
    /// The word shown on the launch page.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Instructor => "instructor",
            Self::Learner => "learner",
            Self::Other => "other",
            Self::DeepLinking => "deep linking",
        }
    }
}

/// An accepted launch: who launched, and the nonce to remember as used (none when the token
/// carries none, or a fault forgets it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Accepted<'a> {
    /// Who launched.
    pub kind: LaunchKind,
    /// The nonce the session store must record as used.
    pub nonce: Option<&'a str>,
}

/// Run every claim check, in the order of Sec §5.1.3 then Core §5.3.
pub(crate) fn check_claims<'a>(
    claims: &'a Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<Accepted<'a>, LaunchRefusal> {
    check_issuer(claims, expected, faults)?;
    check_audience(claims, expected, faults)?;
    check_expiry(claims, expected, faults)?;
    check_issued_at(claims, expected, faults)?;
    let nonce = check_nonce(claims, expected, faults)?;
    let roles = check_lti_claims(claims, expected, faults)?;
    let anonymous = check_subject(claims)?;
    // The admission faults bend resource link launches; a deep linking request is answered by
    // the deep linking handler (DL §2.3), whoever sends it.
    if is_deep_linking(claims) {
        check_deep_linking_settings(claims)?;
        return Ok(Accepted {
            kind: LaunchKind::DeepLinking,
            nonce,
        });
    }
    let kind = admit(claims, anonymous, &roles, faults.admission)?;
    Ok(Accepted { kind, nonce })
}

/// Sec §5.1.3 step 2: "The Issuer Identifier for the Platform MUST exactly match the value of
/// the iss (Issuer) Claim".
pub(crate) fn check_issuer(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.issuer_not_checked {
        return Ok(());
    }
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
    // Sec §5.1.2: "In the general case, the aud value is an array of case-sensitive strings.
    // In the common special case when there is one audience, the aud value MAY be a single
    // case-sensitive string."
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
    if !faults.extra_audiences_trusted && audiences.iter().any(|a| *a != Some(expected.client_id)) {
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
        Some(azp) if !faults.azp_not_checked && azp.as_str() != Some(expected.client_id) => {
            Err(LaunchRefusal::AzpMismatch)
        }
        _ => Ok(()),
    }
}

/// Sec §5.1.2: `exp` is "REQUIRED"; Sec §5.1.3 step 7: "The current time MUST be before the
/// time represented by the exp Claim" (Sec §5.1.2: implementers "MAY provide for some small
/// leeway").
pub(crate) fn check_expiry(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.expiry_not_checked {
        return Ok(());
    }
    let exp = match claims.get("exp") {
        None if faults.missing_exp_accepted => return Ok(()),
        exp => exp
            .and_then(Value::as_f64)
            .ok_or(LaunchRefusal::ExpMissing)?,
    };
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
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    let iat = match claims.get("iat") {
        None if faults.missing_iat_accepted => return Ok(()),
        iat => iat
            .and_then(Value::as_f64)
            .ok_or(LaunchRefusal::IatMissing)?,
    };
    if faults.iat_not_checked || iat <= expected.now + LEEWAY_SECS {
        Ok(())
    } else {
        Err(LaunchRefusal::IatInFuture)
    }
}

/// Sec §5.1.3 step 9: "The ID Token MUST contain a nonce Claim"; Sec §5.1.1.2: the nonce "is
/// passed through unmodified from the Authentication Request to the ID Token". Returns the
/// nonce the session store must remember as used (step 9: "The Tool SHOULD verify that it has
/// not yet received this nonce value"; the store makes that check).
pub(crate) fn check_nonce<'a>(
    claims: &'a Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<Option<&'a str>, LaunchRefusal> {
    let nonce = match claims.get("nonce") {
        None if faults.missing_nonce_accepted => return Ok(None),
        nonce => nonce
            .and_then(Value::as_str)
            .ok_or(LaunchRefusal::NonceMissing)?,
    };
    if faults.nonce_not_checked {
        return Ok(None);
    }
    if faults.nonce_not_matched_to_login || nonce == expected.nonce {
        Ok(Some(nonce))
    } else {
        Err(LaunchRefusal::NonceMismatch)
    }
}

/// The required LTI claims of Core §5.3 (message type, version, deployment, target link URI,
/// resource link, roles); returns the roles.
pub(crate) fn check_lti_claims<'a>(
    claims: &'a Map<String, Value>,
    expected: &Expected<'_>,
    faults: ClaimFaults,
) -> Result<Vec<&'a str>, LaunchRefusal> {
    // Core §5.3: "LTI resource link launch request messages MUST contain all the claims
    // included in this section".
    if faults.lti_claims_not_checked {
        check_resource_link_id_length(claims, faults)?;
        return Ok(roles_as_given(claims));
    }
    check_message_type(claims, faults)?;
    check_version(claims, faults)?;
    check_deployment_id(claims, expected, faults)?;
    check_target_link_uri(claims, expected, faults)?;
    // DL §4.4: a deep linking request carries no resource link.
    if !is_deep_linking(claims) {
        check_resource_link(claims, faults)?;
    }
    check_roles(claims, faults)
}

/// Whether the message is a deep linking request (DL §4.4.2).
pub(crate) fn is_deep_linking(claims: &Map<String, Value>) -> bool {
    claims.get(CLAIM_MESSAGE_TYPE).and_then(Value::as_str) == Some(DEEP_LINKING_REQUEST)
}

/// DL §4.4.1: "The required deep_linking_settings claim", whose `deep_link_return_url` (a
/// fully qualified URL) and `accept_types` (an array) are required.
pub(crate) fn check_deep_linking_settings(
    claims: &Map<String, Value>,
) -> Result<(), LaunchRefusal> {
    let settings = claims.get(CLAIM_DL_SETTINGS);
    let return_url = settings
        .and_then(|s| s.get("deep_link_return_url"))
        .and_then(Value::as_str)
        .and_then(|u| url::Url::parse(u).ok());
    let types = settings
        .and_then(|s| s.get("accept_types"))
        .and_then(Value::as_array);
    match (return_url, types) {
        (Some(u), Some(_)) if u.scheme() == "https" || u.scheme() == "http" => Ok(()),
        _ => Err(LaunchRefusal::DeepLinkingSettings),
    }
}

/// Core §5.3.1: "the claim must have the value LtiResourceLinkRequest" (DL §4.4.2: or
/// `LtiDeepLinkingRequest` for a deep linking request).
pub(crate) fn check_message_type(
    claims: &Map<String, Value>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.message_type_not_checked {
        return Ok(());
    }
    match claims.get(CLAIM_MESSAGE_TYPE).and_then(Value::as_str) {
        Some("LtiResourceLinkRequest" | DEEP_LINKING_REQUEST) => Ok(()),
        _ => Err(LaunchRefusal::MessageType),
    }
}

/// Core §5.3.2: "the claim must have the value 1.3.0".
pub(crate) fn check_version(
    claims: &Map<String, Value>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.version_not_checked {
        return Ok(());
    }
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
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if faults.target_link_uri_not_checked {
        return Ok(());
    }
    match claims.get(CLAIM_TARGET_LINK_URI).and_then(Value::as_str) {
        Some(uri) if uri == expected.target_link_uri => Ok(()),
        _ => Err(LaunchRefusal::TargetLinkUri),
    }
}

/// Core §5.3.5: "The required https://purl.imsglobal.org/spec/lti/claim/resource_link claim";
/// its "id (REQUIRED)" is an opaque identifier — a non-empty string.
pub(crate) fn check_resource_link(
    claims: &Map<String, Value>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    if !faults.resource_link_not_checked {
        match resource_link_id(claims) {
            Some(Value::String(id)) if !id.is_empty() => {}
            _ => return Err(LaunchRefusal::ResourceLinkId),
        }
    }
    check_resource_link_id_length(claims, faults)
}

/// Core §5.3.5: "The value of id MUST NOT exceed 255 ASCII characters in length" — the
/// platform's duty; this tool refuses a longer one (which it may do, not must).
pub(crate) fn check_resource_link_id_length(
    claims: &Map<String, Value>,
    faults: ClaimFaults,
) -> Result<(), LaunchRefusal> {
    match resource_link_id(claims).and_then(Value::as_str) {
        Some(id) if !faults.long_ids_accepted && id.chars().count() > MAX_ID_CHARS => {
            Err(LaunchRefusal::ResourceLinkIdTooLong)
        }
        _ => Ok(()),
    }
}

fn resource_link_id(claims: &Map<String, Value>) -> Option<&Value> {
    claims.get(CLAIM_RESOURCE_LINK)?.get("id")
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
pub(crate) fn check_roles(
    claims: &Map<String, Value>,
    faults: ClaimFaults,
) -> Result<Vec<&str>, LaunchRefusal> {
    let roles = match claims.get(CLAIM_ROLES) {
        None if faults.roles_claim_not_required => return Ok(Vec::new()),
        roles => roles
            .and_then(Value::as_array)
            .ok_or(LaunchRefusal::Roles)?,
    };
    roles
        .iter()
        .map(|role| role.as_str().ok_or(LaunchRefusal::Roles))
        .collect()
}

/// The string roles of the claim, whatever its shape (the `lti-claims-not-checked` fault).
fn roles_as_given(claims: &Map<String, Value>) -> Vec<&str> {
    claims
        .get(CLAIM_ROLES)
        .and_then(Value::as_array)
        .map(|roles| roles.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether `roles` holds this context role, as a URI or (Core §A.2.3: "Conforming
/// implementations MAY recognize the simple names for context roles") by its simple name.
fn has_role(roles: &[&str], uri: &str) -> bool {
    let simple = uri.rsplit_once('#').map_or(uri, |(_, name)| name);
    roles.iter().any(|r| *r == uri || *r == simple)
}

/// Admit a launch that passed every check: the only place the admission faults refuse a
/// valid launch. (Core §5.3.7: roles may be empty, several, simple names or from other
/// vocabularies; Core §5.3.6: only `sub` is a required user claim, and Core §5.4.1 makes the
/// context claim optional — a conformant tool refuses none of these.)
pub(crate) fn admit(
    claims: &Map<String, Value>,
    anonymous: bool,
    roles: &[&str],
    faults: AdmissionFaults,
) -> Result<LaunchKind, LaunchRefusal> {
    if anonymous && faults.refuses_anonymous {
        return Err(LaunchRefusal::AnonymousRefused);
    }
    if faults.refuses_instructor && roles.contains(&ROLE_INSTRUCTOR) {
        return Err(LaunchRefusal::InstructorRefused);
    }
    if faults.refuses_learner && roles.contains(&ROLE_LEARNER) {
        return Err(LaunchRefusal::LearnerRefused);
    }
    if faults.refuses_multiple_roles && roles.len() > 1 {
        return Err(LaunchRefusal::MultipleRolesRefused);
    }
    if faults.refuses_short_role_names && roles.iter().any(|r| !r.contains(':')) {
        return Err(LaunchRefusal::ShortRoleRefused);
    }
    if faults.refuses_unknown_roles
        && roles
            .iter()
            .any(|r| r.contains("://") && !r.starts_with(ROLE_VOCABULARIES))
    {
        return Err(LaunchRefusal::UnknownRoleRefused);
    }
    if faults.refuses_empty_roles && roles.is_empty() {
        return Err(LaunchRefusal::EmptyRolesRefused);
    }
    if faults.refuses_without_email && !claims.contains_key("email") {
        return Err(LaunchRefusal::EmailMissingRefused);
    }
    if faults.refuses_without_names
        && !claims.contains_key("name")
        && !claims.contains_key("given_name")
    {
        return Err(LaunchRefusal::NamesMissingRefused);
    }
    if faults.refuses_without_context && !claims.contains_key(CLAIM_CONTEXT) {
        return Err(LaunchRefusal::ContextMissingRefused);
    }
    Ok(if anonymous {
        LaunchKind::Anonymous
    } else if has_role(roles, ROLE_INSTRUCTOR) {
        LaunchKind::Instructor
    } else if has_role(roles, ROLE_LEARNER) {
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
    const ROLE_FACULTY: &str = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty";

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
            CLAIM_CONTEXT: {"id": "c-1"},
            "name": "Ada Lovelace",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email": "ada@example.edu",
        });
        v.as_object().cloned().unwrap()
    }

    fn with(name: &str, value: Value) -> Map<String, Value> {
        let mut c = valid();
        c.insert(name.into(), value);
        c
    }

    fn without(names: &[&str]) -> Map<String, Value> {
        let mut c = valid();
        for name in names {
            c.remove(*name);
        }
        c
    }

    fn run_with(
        claims: &Map<String, Value>,
        faults: ClaimFaults,
    ) -> Result<LaunchKind, LaunchRefusal> {
        check_claims(claims, &expected(), faults).map(|a| a.kind)
    }

    fn run(claims: &Map<String, Value>) -> Result<LaunchKind, LaunchRefusal> {
        run_with(claims, ClaimFaults::default())
    }

    fn admission(faults: AdmissionFaults) -> ClaimFaults {
        ClaimFaults {
            admission: faults,
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_learner_launch_passes_and_spends_its_nonce() {
        assert_eq!(
            check_claims(&valid(), &expected(), ClaimFaults::default()),
            Ok(Accepted {
                kind: LaunchKind::Learner,
                nonce: Some("n-123")
            })
        );
    }

    #[test]
    fn issuer_must_match_exactly() {
        assert!(check_issuer(&valid(), &expected(), ClaimFaults::default()).is_ok());
        let slash = with("iss", json!("https://platform.example/"));
        assert_eq!(run(&slash), Err(LaunchRefusal::IssuerMismatch));
        assert_eq!(run(&without(&["iss"])), Err(LaunchRefusal::IssuerMismatch));
        let f = ClaimFaults {
            issuer_not_checked: true,
            ..Default::default()
        };
        assert_eq!(run_with(&slash, f), Ok(LaunchKind::Learner));
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
            run(&without(&["aud"])),
            Err(LaunchRefusal::AudienceMissingClientId)
        );
        assert_eq!(
            run(&with("aud", json!(["tool-client", "other"]))),
            Err(LaunchRefusal::AudienceUntrusted)
        );
        assert_eq!(LaunchRefusal::AudienceUntrusted.status().as_u16(), 401);
    }

    #[test]
    fn extra_audiences_pass_only_under_their_fault_and_still_need_azp() {
        let f = ClaimFaults {
            extra_audiences_trusted: true,
            ..Default::default()
        };
        let mut c = with("aud", json!(["tool-client", "other"]));
        assert_eq!(run_with(&c, f), Err(LaunchRefusal::AzpMissing));
        c.insert("azp".into(), json!("tool-client"));
        assert_eq!(run(&c), Err(LaunchRefusal::AudienceUntrusted));
        assert_eq!(run_with(&c, f), Ok(LaunchKind::Learner));
        c.insert("azp".into(), json!("other"));
        assert_eq!(run_with(&c, f), Err(LaunchRefusal::AzpMismatch));
        let f = ClaimFaults {
            extra_audiences_trusted: true,
            ..Default::default()
        };
        assert_eq!(
            run_with(&with("aud", json!(["other"])), f),
            Err(LaunchRefusal::AudienceMissingClientId)
        );
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
    fn azp_fault_skips_the_comparison_only() {
        let f = ClaimFaults {
            azp_not_checked: true,
            ..Default::default()
        };
        assert_eq!(
            run_with(&with("azp", json!("other")), f),
            Ok(LaunchKind::Learner)
        );
        let c = with("aud", json!(["tool-client", "tool-client"]));
        assert_eq!(run_with(&c, f), Err(LaunchRefusal::AzpMissing));
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
        assert_eq!(run(&without(&["exp"])), Err(LaunchRefusal::ExpMissing));
        assert_eq!(
            run(&with("exp", json!("soon"))),
            Err(LaunchRefusal::ExpMissing)
        );
        let ignore = ClaimFaults {
            expiry_not_checked: true,
            ..Default::default()
        };
        assert!(check_expiry(&with("exp", json!(NOW - 3600.0)), &expected(), ignore).is_ok());
        assert!(check_expiry(&without(&["exp"]), &expected(), ignore).is_ok());
    }

    #[test]
    fn missing_exp_fault_still_checks_a_present_exp() {
        let f = ClaimFaults {
            missing_exp_accepted: true,
            ..Default::default()
        };
        assert_eq!(run_with(&without(&["exp"]), f), Ok(LaunchKind::Learner));
        assert_eq!(
            run_with(&with("exp", json!(NOW - 3600.0)), f),
            Err(LaunchRefusal::Expired)
        );
    }

    #[test]
    fn iat_must_be_present_and_not_in_the_future() {
        let f = ClaimFaults::default();
        assert!(check_issued_at(&with("iat", json!(NOW + 59.0)), &expected(), f).is_ok());
        let future = with("iat", json!(NOW + 600.0));
        assert_eq!(run(&future), Err(LaunchRefusal::IatInFuture));
        assert_eq!(run(&without(&["iat"])), Err(LaunchRefusal::IatMissing));

        let missing_ok = ClaimFaults {
            missing_iat_accepted: true,
            ..Default::default()
        };
        assert_eq!(
            run_with(&without(&["iat"]), missing_ok),
            Ok(LaunchKind::Learner)
        );
        assert_eq!(
            run_with(&future, missing_ok),
            Err(LaunchRefusal::IatInFuture)
        );
        let unchecked = ClaimFaults {
            iat_not_checked: true,
            ..Default::default()
        };
        assert_eq!(run_with(&future, unchecked), Ok(LaunchKind::Learner));
        assert_eq!(
            run_with(&without(&["iat"]), unchecked),
            Err(LaunchRefusal::IatMissing)
        );
    }

    #[test]
    fn nonce_must_be_the_one_issued() {
        let f = ClaimFaults::default();
        assert_eq!(check_nonce(&valid(), &expected(), f), Ok(Some("n-123")));
        assert_eq!(
            run(&with("nonce", json!("n-999"))),
            Err(LaunchRefusal::NonceMismatch)
        );
        assert_eq!(run(&without(&["nonce"])), Err(LaunchRefusal::NonceMissing));
        assert_eq!(
            run(&with("nonce", json!(7))),
            Err(LaunchRefusal::NonceMissing)
        );
    }

    #[test]
    fn nonce_faults_skip_their_part_of_the_nonce_check() {
        let other = with("nonce", json!("n-999"));
        let missing = ClaimFaults {
            missing_nonce_accepted: true,
            ..Default::default()
        };
        assert_eq!(
            check_nonce(&without(&["nonce"]), &expected(), missing),
            Ok(None)
        );
        assert_eq!(
            check_nonce(&other, &expected(), missing),
            Err(LaunchRefusal::NonceMismatch)
        );
        let unchecked = ClaimFaults {
            nonce_not_checked: true,
            ..Default::default()
        };
        assert_eq!(check_nonce(&other, &expected(), unchecked), Ok(None));
        assert_eq!(
            check_nonce(&without(&["nonce"]), &expected(), unchecked),
            Err(LaunchRefusal::NonceMissing)
        );
        let unmatched = ClaimFaults {
            nonce_not_matched_to_login: true,
            ..Default::default()
        };
        assert_eq!(
            check_nonce(&other, &expected(), unmatched),
            Ok(Some("n-999"))
        );
    }

    #[test]
    fn message_type_must_be_resource_link_request() {
        let f = ClaimFaults::default();
        assert!(check_message_type(&valid(), f).is_ok());
        // A deep linking request is known (DL §4.4.2), but needs its settings claim.
        let dl = with(CLAIM_MESSAGE_TYPE, json!("LtiDeepLinkingRequest"));
        assert_eq!(run(&dl), Err(LaunchRefusal::DeepLinkingSettings));
        let mut with_settings = dl.clone();
        with_settings.insert(
            CLAIM_DL_SETTINGS.into(),
            json!({"deep_link_return_url": "https://p.example/dl", "accept_types": ["link"]}),
        );
        assert_eq!(run(&with_settings), Ok(LaunchKind::DeepLinking));
        let other = with(CLAIM_MESSAGE_TYPE, json!("LtiSubmissionReviewRequest"));
        assert_eq!(run(&other), Err(LaunchRefusal::MessageType));
        assert_eq!(
            run(&without(&[CLAIM_MESSAGE_TYPE])),
            Err(LaunchRefusal::MessageType)
        );
        let any = ClaimFaults {
            message_type_not_checked: true,
            ..Default::default()
        };
        assert!(check_message_type(&dl, any).is_ok());
        assert_eq!(
            run_with(&without(&[CLAIM_MESSAGE_TYPE]), any),
            Ok(LaunchKind::Learner)
        );
    }

    #[test]
    fn version_must_be_1_3_0() {
        let f = ClaimFaults::default();
        assert!(check_version(&valid(), f).is_ok());
        let old = with(CLAIM_VERSION, json!("1.1"));
        assert_eq!(run(&old), Err(LaunchRefusal::Version));
        assert_eq!(run(&without(&[CLAIM_VERSION])), Err(LaunchRefusal::Version));
        let any = ClaimFaults {
            version_not_checked: true,
            ..Default::default()
        };
        assert_eq!(run_with(&old, any), Ok(LaunchKind::Learner));
        assert_eq!(
            run_with(&without(&[CLAIM_VERSION]), any),
            Ok(LaunchKind::Learner)
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
            run(&without(&[CLAIM_DEPLOYMENT_ID])),
            Err(LaunchRefusal::DeploymentId)
        );
        let any = ClaimFaults {
            deployment_id_not_checked: true,
            ..Default::default()
        };
        assert!(check_deployment_id(&without(&[CLAIM_DEPLOYMENT_ID]), &expected(), any).is_ok());
    }

    #[test]
    fn target_link_uri_must_match_the_login() {
        let f = ClaimFaults::default();
        assert!(check_target_link_uri(&valid(), &expected(), f).is_ok());
        let evil = with(CLAIM_TARGET_LINK_URI, json!("https://evil.example/"));
        assert_eq!(run(&evil), Err(LaunchRefusal::TargetLinkUri));
        assert_eq!(
            run(&without(&[CLAIM_TARGET_LINK_URI])),
            Err(LaunchRefusal::TargetLinkUri)
        );
        let any = ClaimFaults {
            target_link_uri_not_checked: true,
            ..Default::default()
        };
        assert_eq!(run_with(&evil, any), Ok(LaunchKind::Learner));
    }

    #[test]
    fn resource_link_id_is_required_non_empty_and_short() {
        let f = ClaimFaults::default();
        assert!(check_resource_link(&valid(), f).is_ok());
        let long = with(CLAIM_RESOURCE_LINK, json!({"id": "x".repeat(256)}));
        assert_eq!(run(&long), Err(LaunchRefusal::ResourceLinkIdTooLong));
        assert_eq!(
            run(&with(CLAIM_RESOURCE_LINK, json!({"id": "x".repeat(255)}))),
            Ok(LaunchKind::Learner)
        );
        for bad in [
            json!({"title": "no id"}),
            json!({"id": ""}),
            json!({"id": 7}),
        ] {
            assert_eq!(
                run(&with(CLAIM_RESOURCE_LINK, bad)),
                Err(LaunchRefusal::ResourceLinkId)
            );
        }
        assert_eq!(
            run(&without(&[CLAIM_RESOURCE_LINK])),
            Err(LaunchRefusal::ResourceLinkId)
        );
    }

    #[test]
    fn resource_link_faults_skip_presence_or_length() {
        let absent = ClaimFaults {
            resource_link_not_checked: true,
            ..Default::default()
        };
        assert_eq!(
            run_with(&without(&[CLAIM_RESOURCE_LINK]), absent),
            Ok(LaunchKind::Learner)
        );
        let long = with(CLAIM_RESOURCE_LINK, json!({"id": "x".repeat(256)}));
        assert_eq!(
            run_with(&long, absent),
            Err(LaunchRefusal::ResourceLinkIdTooLong)
        );
        let long_ok = ClaimFaults {
            long_ids_accepted: true,
            ..Default::default()
        };
        assert_eq!(run_with(&long, long_ok), Ok(LaunchKind::Learner));
        assert_eq!(
            run_with(&without(&[CLAIM_RESOURCE_LINK]), long_ok),
            Err(LaunchRefusal::ResourceLinkId)
        );
    }

    #[test]
    fn a_launch_without_sub_is_anonymous() {
        assert_eq!(run(&without(&["sub"])), Ok(LaunchKind::Anonymous));
        assert_eq!(run(&with("sub", json!(42))), Err(LaunchRefusal::SubInvalid));
        let f = admission(AdmissionFaults {
            refuses_anonymous: true,
            ..Default::default()
        });
        assert_eq!(
            run_with(&without(&["sub"]), f),
            Err(LaunchRefusal::AnonymousRefused)
        );
    }

    #[test]
    fn roles_must_be_an_array_possibly_empty() {
        assert_eq!(run(&with(CLAIM_ROLES, json!([]))), Ok(LaunchKind::Other));
        assert_eq!(run(&without(&[CLAIM_ROLES])), Err(LaunchRefusal::Roles));
        let one = with(CLAIM_ROLES, json!(ROLE_LEARNER));
        assert_eq!(run(&one), Err(LaunchRefusal::Roles));
        assert_eq!(
            run(&with(CLAIM_ROLES, json!([1]))),
            Err(LaunchRefusal::Roles)
        );
        let f = ClaimFaults {
            roles_claim_not_required: true,
            ..Default::default()
        };
        assert_eq!(run_with(&without(&[CLAIM_ROLES]), f), Ok(LaunchKind::Other));
        assert_eq!(run_with(&one, f), Err(LaunchRefusal::Roles));
    }

    #[test]
    fn lti_claims_fault_skips_every_lti_claim_but_the_id_length() {
        let f = ClaimFaults {
            lti_claims_not_checked: true,
            ..Default::default()
        };
        let mut c = without(&[
            CLAIM_MESSAGE_TYPE,
            CLAIM_VERSION,
            CLAIM_DEPLOYMENT_ID,
            CLAIM_TARGET_LINK_URI,
            CLAIM_RESOURCE_LINK,
        ]);
        c.insert(CLAIM_ROLES.into(), json!(ROLE_LEARNER));
        assert_eq!(run(&c), Err(LaunchRefusal::MessageType));
        assert_eq!(run_with(&c, f), Ok(LaunchKind::Other));
        let long = with(CLAIM_RESOURCE_LINK, json!({"id": "x".repeat(256)}));
        assert_eq!(
            run_with(&long, f),
            Err(LaunchRefusal::ResourceLinkIdTooLong)
        );
        assert_eq!(run_with(&valid(), f), Ok(LaunchKind::Learner));
    }

    #[test]
    fn every_valid_role_and_identity_shape_is_admitted() {
        let shapes = [
            with(CLAIM_ROLES, json!([ROLE_INSTRUCTOR, ROLE_FACULTY])),
            with(CLAIM_ROLES, json!(["Instructor"])),
            with(
                CLAIM_ROLES,
                json!(["http://plugfest.invalid/vocab/role#Puppeteer"]),
            ),
            with(CLAIM_ROLES, json!([])),
            without(&["name", "given_name", "family_name"]),
            without(&["email"]),
            without(&["name", "given_name", "family_name", "email"]),
            without(&[CLAIM_CONTEXT]),
        ];
        for claims in &shapes {
            assert!(run(claims).is_ok(), "{claims:?}");
        }
        assert_eq!(
            run(&with(CLAIM_ROLES, json!(["Instructor"]))),
            Ok(LaunchKind::Instructor)
        );
    }

    #[test]
    fn role_faults_refuse_valid_launches() {
        let instructor = with(CLAIM_ROLES, json!([ROLE_INSTRUCTOR]));
        assert_eq!(run(&instructor), Ok(LaunchKind::Instructor));
        let f = admission(AdmissionFaults {
            refuses_instructor: true,
            ..Default::default()
        });
        assert_eq!(
            run_with(&instructor, f),
            Err(LaunchRefusal::InstructorRefused)
        );
        assert_eq!(
            run_with(&with(CLAIM_ROLES, json!(["Instructor"])), f),
            Ok(LaunchKind::Instructor)
        );
        assert_eq!(run_with(&valid(), f), Ok(LaunchKind::Learner));
        let f = admission(AdmissionFaults {
            refuses_learner: true,
            ..Default::default()
        });
        assert_eq!(run_with(&valid(), f), Err(LaunchRefusal::LearnerRefused));
    }

    #[test]
    fn role_shape_faults_refuse_only_their_shape() {
        let cases = [
            (
                AdmissionFaults {
                    refuses_multiple_roles: true,
                    ..Default::default()
                },
                json!([ROLE_LEARNER, ROLE_FACULTY]),
                LaunchRefusal::MultipleRolesRefused,
            ),
            (
                AdmissionFaults {
                    refuses_short_role_names: true,
                    ..Default::default()
                },
                json!(["Learner"]),
                LaunchRefusal::ShortRoleRefused,
            ),
            (
                AdmissionFaults {
                    refuses_unknown_roles: true,
                    ..Default::default()
                },
                json!(["http://plugfest.invalid/vocab/role#Puppeteer"]),
                LaunchRefusal::UnknownRoleRefused,
            ),
            (
                AdmissionFaults {
                    refuses_empty_roles: true,
                    ..Default::default()
                },
                json!([]),
                LaunchRefusal::EmptyRolesRefused,
            ),
        ];
        for (faults, roles, refusal) in cases {
            let f = admission(faults);
            assert_eq!(run_with(&with(CLAIM_ROLES, roles.clone()), f), Err(refusal));
            assert!(run(&with(CLAIM_ROLES, roles)).is_ok());
            assert_eq!(run_with(&valid(), f), Ok(LaunchKind::Learner));
        }
    }

    #[test]
    fn identity_and_context_faults_refuse_only_their_shape() {
        let cases = [
            (
                AdmissionFaults {
                    refuses_without_email: true,
                    ..Default::default()
                },
                without(&["email"]),
                LaunchRefusal::EmailMissingRefused,
            ),
            (
                AdmissionFaults {
                    refuses_without_names: true,
                    ..Default::default()
                },
                without(&["name", "given_name"]),
                LaunchRefusal::NamesMissingRefused,
            ),
            (
                AdmissionFaults {
                    refuses_without_context: true,
                    ..Default::default()
                },
                without(&[CLAIM_CONTEXT]),
                LaunchRefusal::ContextMissingRefused,
            ),
        ];
        for (faults, claims, refusal) in cases {
            let f = admission(faults);
            assert_eq!(run_with(&claims, f), Err(refusal));
            assert!(run(&claims).is_ok());
            assert_eq!(run_with(&valid(), f), Ok(LaunchKind::Learner));
        }
        let names = admission(AdmissionFaults {
            refuses_without_names: true,
            ..Default::default()
        });
        assert!(run_with(&without(&["name"]), names).is_ok());
    }
}
