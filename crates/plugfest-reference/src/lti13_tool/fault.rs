//! The named faults of the LTI 1.3 tool — names, requirement IDs and descriptions in this one
//! list. The flag each fault sets lives next to the one check it bends (`login.rs`,
//! `launch.rs`, `signature.rs`, `validate.rs`).

use crate::faults::Fault;

macro_rules! lti13_tool_faults {
    ($( $variant:ident => $name:literal, [$($id:literal),+ $(,)?], $description:literal; )+) => {
        /// A named fault of the LTI 1.3 tool role (`lti13-tool/…`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Lti13ToolFault {
            $(
                #[doc = $description]
                #[doc = ""]
                #[doc = concat!("`", $name, "` — breaks ", $("`", $id, "` "),+)]
                $variant,
            )+
        }

        impl Lti13ToolFault {
            /// Every fault of the role, in registry order.
            pub const ALL: &'static [Lti13ToolFault] = &[$(Lti13ToolFault::$variant),+];

            /// The registry entries, in the same order as [`Self::ALL`].
            pub const REGISTRY: &'static [Fault] = &[$(
                Fault { name: $name, ids: &[$($id),+], description: $description },
            )+];
        }
    };
}

lti13_tool_faults! {
    AuthRequestScopeMissing => "lti13-tool/auth-request-scope-missing", ["LTI13-TOOL-OIDC-001"],
        "the authentication request omits scope=openid";
    AuthRequestResponseTypeCode => "lti13-tool/auth-request-response-type-code", ["LTI13-TOOL-OIDC-002"],
        "the authentication request asks for response_type=code instead of id_token";
    AuthRequestResponseModeMissing => "lti13-tool/auth-request-response-mode-missing", ["LTI13-TOOL-OIDC-003"],
        "the authentication request omits response_mode=form_post";
    AuthRequestPromptLogin => "lti13-tool/auth-request-prompt-login", ["LTI13-TOOL-OIDC-004"],
        "the authentication request sends prompt=login instead of prompt=none";
    AuthRequestWrongClientId => "lti13-tool/auth-request-wrong-client-id", ["LTI13-TOOL-OIDC-005"],
        "the authentication request sends the client_id with a suffix -other";
    RedirectUriUnregistered => "lti13-tool/redirect-uri-unregistered", ["LTI13-TOOL-OIDC-006"],
        "the authentication request names an unregistered redirect_uri ({base}/launch-unregistered)";
    StaticNonce => "lti13-tool/static-nonce", ["LTI13-TOOL-OIDC-007"],
        "every login issues the same nonce";
    LoginHintDropped => "lti13-tool/login-hint-dropped", ["LTI13-TOOL-OIDC-008"],
        "the authentication request omits the login_hint it was given";
    StaticState => "lti13-tool/static-state", ["LTI13-TOOL-OIDC-009"],
        "every login issues the same state (the latest login wins)";
    RefusesInstructorLaunch => "lti13-tool/refuses-instructor-launch", ["LTI13-TOOL-LAUNCH-001"],
        "a valid launch with the Instructor membership role is refused";
    RefusesLearnerLaunch => "lti13-tool/refuses-learner-launch", ["LTI13-TOOL-LAUNCH-002"],
        "a valid launch with the Learner membership role is refused";
    RefusesAnonymousLaunch => "lti13-tool/refuses-anonymous-launch", ["LTI13-TOOL-SUB-001"],
        "a valid launch without sub (anonymous) is refused";
    SignatureNotVerified => "lti13-tool/signature-not-verified", ["LTI13-TOOL-SEC-001"],
        "the id_token's RS256 signature is not verified (alg and kid still checked)";
    AlgNoneAccepted => "lti13-tool/alg-none-accepted", ["LTI13-TOOL-SEC-002"],
        "an unsigned id_token with alg none is accepted and its payload trusted";
    UnknownKidSkipsVerification => "lti13-tool/unknown-kid-skips-verification", ["LTI13-TOOL-SEC-003"],
        "an id_token whose kid is not in the platform JWKS is accepted without verifying its signature";
    ExpiryNotChecked => "lti13-tool/expiry-not-checked", ["LTI13-TOOL-SEC-004"],
        "the id_token's exp is ignored";
    AudienceNotChecked => "lti13-tool/audience-not-checked", ["LTI13-TOOL-SEC-005"],
        "the id_token's aud and azp are ignored";
    NonceReplayAccepted => "lti13-tool/nonce-replay-accepted", ["LTI13-TOOL-SEC-006"],
        "a second POST of the same id_token and state is accepted (neither is consumed)";
    RefusesWith500 => "lti13-tool/refuses-with-500", ["LTI13-TOOL-SEC-007"],
        "every refused launch answers 500 instead of 4xx";
    MessageTypeNotChecked => "lti13-tool/message-type-not-checked", ["LTI13-TOOL-MSG-001"],
        "any message_type is accepted as a resource link launch";
    DeploymentIdNotChecked => "lti13-tool/deployment-id-not-checked", ["LTI13-TOOL-MSG-002"],
        "a missing or unknown deployment_id is accepted";
    LaunchAnswers404 => "lti13-tool/launch-answers-404", [
        "LTI13-TOOL-LAUNCH-001", "LTI13-TOOL-LAUNCH-002", "LTI13-TOOL-SUB-001",
        "LTI13-TOOL-SUB-001-CERT", "LTI13-TOOL-SEC-001", "LTI13-TOOL-SEC-002",
        "LTI13-TOOL-SEC-003", "LTI13-TOOL-SEC-004", "LTI13-TOOL-SEC-005", "LTI13-TOOL-SEC-006",
        "LTI13-TOOL-SEC-007", "LTI13-TOOL-MSG-001", "LTI13-TOOL-MSG-002",
    ],
        "POST /launch answers 404 to everything (login keeps working)";
}

impl Lti13ToolFault {
    fn entry(self) -> &'static Fault {
        let index = Self::ALL
            .iter()
            .position(|f| *f == self)
            .unwrap_or_default();
        &Self::REGISTRY[index]
    }

    /// The qualified name, e.g. `lti13-tool/static-nonce`.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The requirement IDs this fault must break.
    pub fn ids(self) -> &'static [&'static str] {
        self.entry().ids
    }

    /// One line saying what the tool does wrong.
    pub fn description(self) -> &'static str {
        self.entry().description
    }

    /// The fault with this qualified name; `None` for unknown names and other roles' faults.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// The set of faults one tool runs with.
#[derive(Debug, Clone, Default)]
pub(crate) struct FaultSet(Vec<Lti13ToolFault>);

impl FaultSet {
    /// Parse qualified names; the first unknown (or other-role) name is the error.
    pub(crate) fn parse<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        names
            .iter()
            .map(|n| Lti13ToolFault::from_name(n.as_ref()).ok_or_else(|| n.as_ref().to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map(FaultSet)
    }

    /// Whether the tool runs with `fault`.
    pub(crate) fn has(&self, fault: Lti13ToolFault) -> bool {
        self.0.contains(&fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_own_entry_and_round_trips_by_name() {
        assert_eq!(Lti13ToolFault::ALL.len(), Lti13ToolFault::REGISTRY.len());
        for (fault, entry) in Lti13ToolFault::ALL.iter().zip(Lti13ToolFault::REGISTRY) {
            assert_eq!(fault.name(), entry.name);
            assert!(entry.name.starts_with("lti13-tool/"));
            assert_eq!(Lti13ToolFault::from_name(entry.name), Some(*fault));
        }
    }

    #[test]
    fn unknown_and_other_role_names_are_refused_by_name() {
        assert_eq!(
            FaultSet::parse(&["lti13-tool/static-nonce", "lti13-platform/static-nonce"])
                .unwrap_err(),
            "lti13-platform/static-nonce"
        );
        assert_eq!(
            FaultSet::parse(&["static-nonce"]).unwrap_err(),
            "static-nonce"
        );
        assert!(
            FaultSet::parse(&["lti13-tool/static-nonce"])
                .unwrap()
                .has(Lti13ToolFault::StaticNonce)
        );
    }
}
