//! Why a launch was refused: one variant per rule broken, so tests assert the exact rule.

use axum::http::StatusCode;

/// A launch the tool refuses, and the rule it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum LaunchRefusal {
    /// The form has no `id_token`, or repeats a parameter.
    FormIncomplete,
    /// The form has no `state`.
    StateMissing,
    /// No login issued this state (or it expired).
    StateUnknown,
    /// The state's login was already used by a launch.
    StateUsed,
    /// The browser's state cookie is missing or names another login.
    StateCookieMismatch,
    /// The `id_token` is not a compact JWS with a JSON header and payload.
    TokenMalformed,
    /// The JOSE header's `alg` is not RS256.
    AlgNotAllowed,
    /// The JOSE header carries `crit` extensions, none of which this tool understands.
    CriticalHeader,
    /// The JOSE header has no `kid`.
    KidMissing,
    /// No key with this `kid` in the platform's key set, even after fetching it again.
    KidUnknown,
    /// The platform's key set could not be fetched or read.
    PlatformKeysUnavailable,
    /// The RS256 signature does not verify with the platform's key.
    SignatureInvalid,
    /// `iss` is not the platform's issuer identifier.
    IssuerMismatch,
    /// `aud` does not list this tool's client_id.
    AudienceMissingClientId,
    /// `aud` lists an audience besides this tool.
    AudienceUntrusted,
    /// Several audiences and no `azp`.
    AzpMissing,
    /// `azp` is not this tool's client_id.
    AzpMismatch,
    /// `exp` is missing or not a number.
    ExpMissing,
    /// `exp` is in the past.
    Expired,
    /// `iat` is missing or not a number.
    IatMissing,
    /// `iat` is in the future.
    IatInFuture,
    /// `nonce` is missing or not a string.
    NonceMissing,
    /// `nonce` is not the nonce issued with this state.
    NonceMismatch,
    /// `nonce` was already used by an earlier launch.
    NonceReplayed,
    /// `sub` is present but not a string of 1 to 255 characters.
    SubInvalid,
    /// The message type claim is not `LtiResourceLinkRequest`.
    MessageType,
    /// The version claim is not `1.3.0`.
    Version,
    /// The deployment_id claim is missing or not this tool's deployment.
    DeploymentId,
    /// The target_link_uri claim differs from the login's `target_link_uri`.
    TargetLinkUri,
    /// The resource_link claim has no non-empty string `id`.
    ResourceLinkId,
    /// The resource_link `id` is longer than 255 characters.
    ResourceLinkIdTooLong,
    /// The roles claim is missing or not an array of strings.
    Roles,
    /// A deep linking request without usable `deep_linking_settings` (DL §4.4.1).
    DeepLinkingSettings,
    /// Refused for the Instructor role (fault `refuses-instructor-launch`).
    InstructorRefused,
    /// Refused for the Learner role (fault `refuses-learner-launch`).
    LearnerRefused,
    /// Refused for having no `sub` (fault `refuses-anonymous-launch`).
    AnonymousRefused,
    /// Refused for having several roles (fault `refuses-multiple-roles`).
    MultipleRolesRefused,
    /// Refused for a simple role name (fault `refuses-short-role-names`).
    ShortRoleRefused,
    /// Refused for a role URI outside the 1EdTech vocabularies (fault `refuses-unknown-roles`).
    UnknownRoleRefused,
    /// Refused for an empty roles array (fault `refuses-empty-roles`).
    EmptyRolesRefused,
    /// Refused for having no `email` (fault `refuses-launch-without-email`).
    EmailMissingRefused,
    /// Refused for having neither `name` nor `given_name` (fault `refuses-launch-without-names`).
    NamesMissingRefused,
    /// Refused for having no context claim (fault `refuses-launch-without-context`).
    ContextMissingRefused,
}

impl LaunchRefusal {
    /// The status a conformant tool answers with.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            // Sec §5.1.3 step 3: "The request message will be rejected with a HTTP code of 401".
            Self::AudienceMissingClientId | Self::AudienceUntrusted => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// One line of plain text; never carries a value taken from the token.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::FormIncomplete => "the launch form needs exactly one id_token and one state",
            Self::StateMissing => "the launch form has no state",
            Self::StateUnknown => "state was not issued by a login of this tool (or expired)",
            Self::StateUsed => "state was already used by a launch",
            Self::StateCookieMismatch => "state does not match the state cookie of this browser",
            Self::TokenMalformed => "id_token is not a compact JWS with a JSON header and payload",
            Self::AlgNotAllowed => "id_token alg must be RS256",
            Self::CriticalHeader => {
                "id_token header has crit extensions this tool does not understand"
            }
            Self::KidMissing => "id_token header has no kid",
            Self::KidUnknown => "id_token kid is not in the platform key set",
            Self::PlatformKeysUnavailable => "the platform key set could not be fetched",
            Self::SignatureInvalid => "id_token signature does not verify with the platform key",
            Self::IssuerMismatch => "iss is not the registered platform issuer",
            Self::AudienceMissingClientId => "aud does not contain this tool's client_id",
            Self::AudienceUntrusted => "aud contains an audience this tool does not trust",
            Self::AzpMissing => "several audiences and no azp",
            Self::AzpMismatch => "azp is not this tool's client_id",
            Self::ExpMissing => "exp is missing or not a number",
            Self::Expired => "id_token has expired (exp)",
            Self::IatMissing => "iat is missing or not a number",
            Self::IatInFuture => "iat is in the future",
            Self::NonceMissing => "nonce is missing or not a string",
            Self::NonceMismatch => "nonce is not the one issued with this state",
            Self::NonceReplayed => "nonce was already used",
            Self::SubInvalid => "sub must be a string of 1 to 255 characters",
            Self::MessageType => {
                "message_type must be LtiResourceLinkRequest or LtiDeepLinkingRequest"
            }
            Self::Version => "version must be 1.3.0",
            Self::DeploymentId => "deployment_id is missing or not a deployment of this tool",
            Self::TargetLinkUri => "target_link_uri differs from the login's target_link_uri",
            Self::ResourceLinkId => "resource_link.id is missing or not a non-empty string",
            Self::ResourceLinkIdTooLong => "resource_link.id is longer than 255 characters",
            Self::Roles => "roles must be an array of strings",
            Self::DeepLinkingSettings => {
                "deep_linking_settings needs a deep_link_return_url and accept_types"
            }
            Self::InstructorRefused => "instructor launches are not accepted",
            Self::LearnerRefused => "learner launches are not accepted",
            Self::AnonymousRefused => "anonymous launches (no sub) are not accepted",
            Self::MultipleRolesRefused => "launches with several roles are not accepted",
            Self::ShortRoleRefused => "simple role names are not accepted",
            Self::UnknownRoleRefused => "roles outside the 1EdTech vocabularies are not accepted",
            Self::EmptyRolesRefused => "launches without a role are not accepted",
            Self::EmailMissingRefused => "launches without an email are not accepted",
            Self::NamesMissingRefused => "launches without a name are not accepted",
            Self::ContextMissingRefused => "launches without a context are not accepted",
        }
    }
}
