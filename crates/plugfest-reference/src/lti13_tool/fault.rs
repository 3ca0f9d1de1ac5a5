//! The named faults of the LTI 1.3 tool — names, requirement IDs and descriptions in this one
//! list. The flag each fault sets lives next to the one check it bends (`login.rs`,
//! `launch.rs`, `signature.rs`, `validate.rs`).

crate::faults::role_faults! {
    /// A named fault of the LTI 1.3 tool role (`lti13-tool/…`).
    pub enum Lti13ToolFault {
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
        StaticNonce => "lti13-tool/static-nonce", ["LTI13-TOOL-OIDC-007", "LTI13-TOOL-SEC-018"],
            "every login issues the same nonce (so a reused nonce cannot be told from a fresh one)";
        LoginHintDropped => "lti13-tool/login-hint-dropped", ["LTI13-TOOL-OIDC-008"],
            "the authentication request omits the login_hint it was given";
        StaticState => "lti13-tool/static-state", ["LTI13-TOOL-OIDC-009"],
            "every login issues the same state (the latest login wins)";
        LtiMessageHintDropped => "lti13-tool/lti-message-hint-dropped", ["LTI13-TOOL-OIDC-010"],
            "the authentication request omits the lti_message_hint it was given";
        RedirectUriFollowsForeignTargetLink => "lti13-tool/redirect-uri-follows-foreign-target-link", ["LTI13-TOOL-OIDC-011"],
            "a login whose target_link_uri is on another origin than the tool uses that target_link_uri as redirect_uri";
        LoginRejectsGet => "lti13-tool/login-rejects-get", ["LTI13-TOOL-OIDC-012"],
            "GET /login answers 405 (only POST logins work)";
        ShortNonce => "lti13-tool/short-nonce", ["LTI13-TOOL-OIDC-014"],
            "the nonce is 8 random hex characters (32 bits)";
        ShortState => "lti13-tool/short-state", ["LTI13-TOOL-OIDC-015"],
            "the state is 8 random hex characters (32 bits)";
        RefusesInstructorLaunch => "lti13-tool/refuses-instructor-launch", [
            "LTI13-TOOL-LAUNCH-001", "LTI13-TOOL-LAUNCH-003", "LTI13-TOOL-LAUNCH-007",
            "LTI13-TOOL-LAUNCH-008", "LTI13-TOOL-LAUNCH-009", "LTI13-TOOL-LAUNCH-010",
        ],
            "a valid resource link launch with the Instructor membership role is refused (deep linking requests are answered)";
        RefusesLearnerLaunch => "lti13-tool/refuses-learner-launch", [
            "LTI13-TOOL-LAUNCH-002", "LTI13-TOOL-LAUNCH-011", "LTI13-TOOL-LAUNCH-015",
            "LTI13-TOOL-LAUNCH-016", "LTI13-TOOL-LAUNCH-017", "LTI13-TOOL-LAUNCH-018",
            "AGS-TOOL-TOKEN-001", "AGS-TOOL-TOKEN-002", "AGS-TOOL-TOKEN-003", "AGS-TOOL-TOKEN-004",
            "AGS-TOOL-LI-001", "AGS-TOOL-LI-002", "AGS-TOOL-SCORE-001", "AGS-TOOL-SCORE-002",
            "AGS-TOOL-SCORE-003", "AGS-TOOL-SCORE-004", "AGS-TOOL-SCORE-005", "AGS-TOOL-RES-001",
            "NRPS-TOOL-001", "NRPS-TOOL-002", "NRPS-TOOL-003", "NRPS-TOOL-004",
        ],
            "a valid resource link launch with the Learner membership role is refused (the launch carrying the AGS and NRPS claims is a learner's, Cert §6.4)";
        RefusesMultipleRoles => "lti13-tool/refuses-multiple-roles", ["LTI13-TOOL-LAUNCH-003", "LTI13-TOOL-LAUNCH-011"],
            "a valid launch whose roles array has more than one entry is refused";
        RefusesShortRoleNames => "lti13-tool/refuses-short-role-names", ["LTI13-TOOL-LAUNCH-004", "LTI13-TOOL-LAUNCH-012"],
            "a valid launch with a simple role name (no ':', e.g. Instructor) is refused";
        RefusesUnknownRoles => "lti13-tool/refuses-unknown-roles", ["LTI13-TOOL-LAUNCH-005", "LTI13-TOOL-LAUNCH-013"],
            "a valid launch with a role URI outside http://purl.imsglobal.org/vocab/ is refused";
        RefusesEmptyRoles => "lti13-tool/refuses-empty-roles", ["LTI13-TOOL-LAUNCH-006", "LTI13-TOOL-LAUNCH-014"],
            "a valid launch with an empty roles array is refused";
        RefusesLaunchWithoutEmail => "lti13-tool/refuses-launch-without-email", [
            "LTI13-TOOL-LAUNCH-008", "LTI13-TOOL-LAUNCH-009", "LTI13-TOOL-LAUNCH-016",
            "LTI13-TOOL-LAUNCH-017", "LTI13-TOOL-SUB-001",
        ],
            "a valid launch without the email claim is refused";
        RefusesLaunchWithoutNames => "lti13-tool/refuses-launch-without-names", [
            "LTI13-TOOL-LAUNCH-007", "LTI13-TOOL-LAUNCH-009", "LTI13-TOOL-LAUNCH-015",
            "LTI13-TOOL-LAUNCH-017", "LTI13-TOOL-SUB-001",
        ],
            "a valid launch with neither name nor given_name is refused";
        RefusesLaunchWithoutContext => "lti13-tool/refuses-launch-without-context", ["LTI13-TOOL-LAUNCH-010", "LTI13-TOOL-LAUNCH-018"],
            "a valid launch without the context claim is refused";
        RefusesAnonymousLaunch => "lti13-tool/refuses-anonymous-launch", ["LTI13-TOOL-SUB-001"],
            "a valid launch without sub (anonymous) is refused";
        SignatureNotVerified => "lti13-tool/signature-not-verified", ["LTI13-TOOL-SEC-001"],
            "the id_token's RS256 signature is not verified (alg and kid still checked)";
        AlgNoneAccepted => "lti13-tool/alg-none-accepted", ["LTI13-TOOL-SEC-002"],
            "an unsigned id_token with alg none is accepted and its payload trusted";
        UnknownKidSkipsVerification => "lti13-tool/unknown-kid-skips-verification", ["LTI13-TOOL-SEC-003"],
            "an id_token whose kid is not in the platform JWKS is accepted without verifying its signature";
        ExpiryNotChecked => "lti13-tool/expiry-not-checked", ["LTI13-TOOL-SEC-004", "LTI13-TOOL-SEC-014"],
            "the id_token's exp is ignored (its value and its presence)";
        AudienceNotChecked => "lti13-tool/audience-not-checked", [
            "LTI13-TOOL-SEC-005", "LTI13-TOOL-SEC-011", "LTI13-TOOL-SEC-012", "LTI13-TOOL-SEC-013",
        ],
            "the id_token's aud and azp are ignored";
        NonceReplayAccepted => "lti13-tool/nonce-replay-accepted", ["LTI13-TOOL-SEC-006"],
            "a second POST of the same id_token and state is accepted (neither is consumed)";
        RefusesWith500 => "lti13-tool/refuses-with-500", ["LTI13-TOOL-SEC-007"],
            "every refused launch answers 500 instead of 4xx";
        MissingKidUsesFirstKey => "lti13-tool/missing-kid-uses-first-key", ["LTI13-TOOL-SEC-008"],
            "an id_token without kid is verified with the first key of the platform JWKS";
        Hs256AcceptedWithPublicKey => "lti13-tool/hs256-accepted-with-public-key", ["LTI13-TOOL-SEC-009"],
            "an HS256 id_token is accepted when its HMAC key is the platform public key as PEM text (key confusion)";
        IssuerNotChecked => "lti13-tool/issuer-not-checked", ["LTI13-TOOL-SEC-010"],
            "the id_token's iss is ignored";
        ExtraAudiencesTrusted => "lti13-tool/extra-audiences-trusted", ["LTI13-TOOL-SEC-011"],
            "an aud array with audiences besides this tool is accepted (client_id and the azp rules still checked)";
        AzpNotChecked => "lti13-tool/azp-not-checked", ["LTI13-TOOL-SEC-013"],
            "azp is not compared with the client_id (its presence with several audiences is still required)";
        MissingExpAccepted => "lti13-tool/missing-exp-accepted", ["LTI13-TOOL-SEC-014"],
            "an id_token without exp is accepted (a present exp is still checked)";
        MissingIatAccepted => "lti13-tool/missing-iat-accepted", ["LTI13-TOOL-SEC-015"],
            "an id_token without iat is accepted";
        IatNotChecked => "lti13-tool/iat-not-checked", ["LTI13-TOOL-SEC-016"],
            "an iat far in the future is accepted (its presence is still required)";
        MissingNonceAccepted => "lti13-tool/missing-nonce-accepted", ["LTI13-TOOL-SEC-017"],
            "an id_token without nonce is accepted (the nonce checks are skipped)";
        NonceNotChecked => "lti13-tool/nonce-not-checked", ["LTI13-TOOL-SEC-018", "LTI13-TOOL-SEC-019"],
            "the nonce is neither compared with the login's nor remembered (the state is still consumed)";
        NonceNotMatchedToLogin => "lti13-tool/nonce-not-matched-to-login", ["LTI13-TOOL-SEC-019"],
            "the nonce is remembered (reuse refused) but not compared with the login's";
        StateNotChecked => "lti13-tool/state-not-checked", [
            "LTI13-TOOL-SEC-020", "LTI13-TOOL-SEC-021", "LTI13-TOOL-SEC-022",
        ],
            "a missing, unknown or cookie-mismatched state is accepted: the login is found by the id_token's nonce instead";
        StateCookieNotChecked => "lti13-tool/state-cookie-not-checked", ["LTI13-TOOL-SEC-022"],
            "the state must be known and unused, but is not compared with the browser's state cookie";
        MessageTypeNotChecked => "lti13-tool/message-type-not-checked", ["LTI13-TOOL-MSG-001", "LTI13-TOOL-MSG-004"],
            "any or no message_type is accepted as a resource link launch";
        DeploymentIdNotChecked => "lti13-tool/deployment-id-not-checked", ["LTI13-TOOL-MSG-002", "LTI13-TOOL-MSG-003"],
            "a missing or unknown deployment_id is accepted";
        VersionNotChecked => "lti13-tool/version-not-checked", ["LTI13-TOOL-MSG-005", "LTI13-TOOL-MSG-006"],
            "a missing or wrong LTI version claim is accepted";
        ResourceLinkNotChecked => "lti13-tool/resource-link-not-checked", ["LTI13-TOOL-MSG-007"],
            "a missing resource_link claim or resource_link.id is accepted";
        TargetLinkUriNotChecked => "lti13-tool/target-link-uri-not-checked", ["LTI13-TOOL-MSG-008"],
            "the target_link_uri claim is not compared with the login's target_link_uri";
        RolesClaimNotRequired => "lti13-tool/roles-claim-not-required", ["LTI13-TOOL-MSG-009"],
            "a launch without the roles claim is accepted";
        LtiClaimsNotChecked => "lti13-tool/lti-claims-not-checked", [
            "LTI13-TOOL-MSG-001", "LTI13-TOOL-MSG-002", "LTI13-TOOL-MSG-003", "LTI13-TOOL-MSG-004",
            "LTI13-TOOL-MSG-005", "LTI13-TOOL-MSG-006", "LTI13-TOOL-MSG-007", "LTI13-TOOL-MSG-008",
            "LTI13-TOOL-MSG-009", "LTI13-TOOL-MSG-011",
        ],
            "none of the required LTI claims (message_type, version, deployment_id, target_link_uri, resource_link, roles) is checked";
        LongIdsAccepted => "lti13-tool/long-ids-accepted", ["LTI13-TOOL-MSG-012"],
            "a resource_link.id longer than 255 characters is accepted";
        JwksUnreachable => "lti13-tool/jwks-unreachable", [
            "LTI13-TOOL-KEY-001", "LTI13-TOOL-KEY-002", "LTI13-TOOL-KEY-003", "DL-TOOL-002",
            "AGS-TOOL-TOKEN-001",
        ],
            "GET /.well-known/jwks.json answers 404";
        JwksKeyWithoutKid => "lti13-tool/jwks-key-without-kid", ["LTI13-TOOL-KEY-002", "DL-TOOL-002", "AGS-TOOL-TOKEN-001"],
            "the tool's JWK has no kid";
        JwksLeaksPrivateKey => "lti13-tool/jwks-leaks-private-key", ["LTI13-TOOL-KEY-003"],
            "the tool's JWK also carries its private members (d, p, q, dp, dq, qi)";
        JwksCachedForever => "lti13-tool/jwks-cached-forever", ["LTI13-TOOL-KEY-004"],
            "the platform JWKS is fetched once and never again (an unknown kid is not looked up anew)";
        DlResponseFormGet => "lti13-tool/dl-response-form-get", ["DL-TOOL-001"],
            "the deep linking response form is submitted by GET instead of POST";
        DlUnsignedResponse => "lti13-tool/dl-unsigned-response", ["DL-TOOL-002"],
            "the deep linking response JWT is unsigned (alg none)";
        DlResponseWrongIss => "lti13-tool/dl-response-wrong-iss", ["DL-TOOL-003"],
            "the deep linking response's iss is the platform's issuer instead of the client_id";
        DlResponseWrongAud => "lti13-tool/dl-response-wrong-aud", ["DL-TOOL-004"],
            "the deep linking response's aud is the client_id instead of the platform's issuer";
        DlResponseExpired => "lti13-tool/dl-response-expired", ["DL-TOOL-005"],
            "the deep linking response was issued and expired an hour ago";
        DlResponseWithoutNonce => "lti13-tool/dl-response-without-nonce", ["DL-TOOL-006"],
            "the deep linking response has no nonce";
        DlResponseWrongMessageType => "lti13-tool/dl-response-wrong-message-type", ["DL-TOOL-007"],
            "the deep linking response's message_type is LtiDeepLinkingRequest";
        DlResponseWrongDeploymentId => "lti13-tool/dl-response-wrong-deployment-id", ["DL-TOOL-008"],
            "the deep linking response names another deployment_id";
        DlDataNotEchoed => "lti13-tool/dl-data-not-echoed", ["DL-TOOL-009"],
            "the deep linking response omits the request's data";
        DlLinkWithoutUrl => "lti13-tool/dl-link-without-url", ["DL-TOOL-010"],
            "the link content item has no url";
        DlIgnoresAcceptTypes => "lti13-tool/dl-ignores-accept-types", ["DL-TOOL-011"],
            "every content item type is returned whatever accept_types says";
        DlIgnoresAcceptMultiple => "lti13-tool/dl-ignores-accept-multiple", ["DL-TOOL-012"],
            "several content items are returned although accept_multiple is false";
        AssertionUnsigned => "lti13-tool/assertion-unsigned", ["AGS-TOOL-TOKEN-001"],
            "the client assertion of the token request is unsigned (alg none)";
        AssertionSubNotClientId => "lti13-tool/assertion-sub-not-client-id", ["AGS-TOOL-TOKEN-002"],
            "the client assertion's sub is the deployment_id instead of the client_id";
        AssertionWrongAud => "lti13-tool/assertion-wrong-aud", ["AGS-TOOL-TOKEN-003"],
            "the client assertion's aud is the platform issuer instead of the token endpoint";
        AgsTokenWrongScope => "lti13-tool/ags-token-wrong-scope", ["AGS-TOOL-TOKEN-004"],
            "the token is requested without the score scope (the score is posted anyway)";
        LineItemWrongContentType => "lti13-tool/line-item-wrong-content-type", ["AGS-TOOL-LI-001"],
            "the line item is posted as application/json";
        LineItemBlankLabel => "lti13-tool/line-item-blank-label", ["AGS-TOOL-LI-002"],
            "the line item is posted with a blank label";
        ScoreWrongContentType => "lti13-tool/score-wrong-content-type", ["AGS-TOOL-SCORE-001"],
            "the score is posted as application/json";
        ScoreWithoutUserId => "lti13-tool/score-without-user-id", ["AGS-TOOL-SCORE-002"],
            "the score has no userId";
        ScoreWithoutTimestampOffset => "lti13-tool/score-without-timestamp-offset", ["AGS-TOOL-SCORE-003"],
            "the score's timestamp has no time zone designator";
        ScoreBadActivityProgress => "lti13-tool/score-bad-activity-progress", ["AGS-TOOL-SCORE-004"],
            "the score's activityProgress is Finished (not in the vocabulary)";
        ScoreWithoutScoreMaximum => "lti13-tool/score-without-score-maximum", ["AGS-TOOL-SCORE-005"],
            "the score has a scoreGiven and no scoreMaximum";
        ResultsWrongAccept => "lti13-tool/results-wrong-accept", ["AGS-TOOL-RES-001"],
            "the results are asked for with Accept application/json";
        NrpsWrongAccept => "lti13-tool/nrps-wrong-accept", ["NRPS-TOOL-001"],
            "the membership is asked for with Accept application/json";
        NrpsWithoutToken => "lti13-tool/nrps-without-token", ["NRPS-TOOL-002", "NRPS-TOOL-003", "NRPS-TOOL-004"],
            "the membership is asked for without an Authorization header (refused, so no page is read)";
        NrpsTokenWrongScope => "lti13-tool/nrps-token-wrong-scope", ["NRPS-TOOL-003", "NRPS-TOOL-004"],
            "the token is requested without the membership scope (the membership is asked for anyway, refused, so no page is read)";
        NrpsIgnoresNextLink => "lti13-tool/nrps-ignores-next-link", ["NRPS-TOOL-004"],
            "only the first page of the membership is read";
        LaunchAnswers404 => "lti13-tool/launch-answers-404", [
            "LTI13-TOOL-LAUNCH-001", "LTI13-TOOL-LAUNCH-002", "LTI13-TOOL-LAUNCH-003",
            "LTI13-TOOL-LAUNCH-004", "LTI13-TOOL-LAUNCH-005", "LTI13-TOOL-LAUNCH-006",
            "LTI13-TOOL-LAUNCH-007", "LTI13-TOOL-LAUNCH-008", "LTI13-TOOL-LAUNCH-009",
            "LTI13-TOOL-LAUNCH-010", "LTI13-TOOL-LAUNCH-011", "LTI13-TOOL-LAUNCH-012",
            "LTI13-TOOL-LAUNCH-013", "LTI13-TOOL-LAUNCH-014", "LTI13-TOOL-LAUNCH-015",
            "LTI13-TOOL-LAUNCH-016", "LTI13-TOOL-LAUNCH-017", "LTI13-TOOL-LAUNCH-018",
            "LTI13-TOOL-SUB-001", "LTI13-TOOL-SUB-001-CERT", "LTI13-TOOL-SEC-001",
            "LTI13-TOOL-SEC-002", "LTI13-TOOL-SEC-003", "LTI13-TOOL-SEC-004", "LTI13-TOOL-SEC-005",
            "LTI13-TOOL-SEC-006", "LTI13-TOOL-SEC-007", "LTI13-TOOL-SEC-008", "LTI13-TOOL-SEC-009",
            "LTI13-TOOL-SEC-010", "LTI13-TOOL-SEC-011", "LTI13-TOOL-SEC-012", "LTI13-TOOL-SEC-013",
            "LTI13-TOOL-SEC-014", "LTI13-TOOL-SEC-015", "LTI13-TOOL-SEC-016", "LTI13-TOOL-SEC-017",
            "LTI13-TOOL-SEC-018", "LTI13-TOOL-SEC-019", "LTI13-TOOL-SEC-020", "LTI13-TOOL-SEC-021",
            "LTI13-TOOL-SEC-022", "LTI13-TOOL-MSG-001", "LTI13-TOOL-MSG-002", "LTI13-TOOL-MSG-003",
            "LTI13-TOOL-MSG-004", "LTI13-TOOL-MSG-005", "LTI13-TOOL-MSG-006", "LTI13-TOOL-MSG-007",
            "LTI13-TOOL-MSG-008", "LTI13-TOOL-MSG-009", "LTI13-TOOL-MSG-011",
            "LTI13-TOOL-MSG-012", "LTI13-TOOL-KEY-004",
            "DL-TOOL-001", "DL-TOOL-002", "DL-TOOL-003", "DL-TOOL-004", "DL-TOOL-005",
            "DL-TOOL-006", "DL-TOOL-007", "DL-TOOL-008", "DL-TOOL-009", "DL-TOOL-010",
            "DL-TOOL-011", "DL-TOOL-012", "AGS-TOOL-TOKEN-001", "AGS-TOOL-TOKEN-002",
            "AGS-TOOL-TOKEN-003", "AGS-TOOL-TOKEN-004", "AGS-TOOL-LI-001", "AGS-TOOL-LI-002",
            "AGS-TOOL-SCORE-001", "AGS-TOOL-SCORE-002", "AGS-TOOL-SCORE-003", "AGS-TOOL-SCORE-004",
            "AGS-TOOL-SCORE-005", "AGS-TOOL-RES-001", "NRPS-TOOL-001", "NRPS-TOOL-002",
            "NRPS-TOOL-003", "NRPS-TOOL-004",
        ],
            "POST /launch answers 404 to everything (login keeps working)";
    }
}

/// The set of faults one tool runs with.
pub(crate) type FaultSet = crate::faults::FaultSet<Lti13ToolFault>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_answers_404_breaks_every_launch_requirement_and_no_login_or_key_set_one() {
        let ids = Lti13ToolFault::LaunchAnswers404.ids();
        assert_eq!(ids.len(), 18 + 2 + 22 + 11 + 1 + 12 + 12 + 4);
        assert!(!ids.contains(&"LTI13-TOOL-MSG-010"), "no such requirement");
        assert!(ids.contains(&"LTI13-TOOL-KEY-004"));
        assert!(!ids.iter().any(|id| id.contains("-OIDC-")));
        for other in Lti13ToolFault::REGISTRY {
            for id in other.ids {
                let needs_launch = !id.contains("-OIDC-")
                    && ![
                        "LTI13-TOOL-KEY-001",
                        "LTI13-TOOL-KEY-002",
                        "LTI13-TOOL-KEY-003",
                    ]
                    .contains(id);
                assert_eq!(ids.contains(id), needs_launch, "{id} of {}", other.name);
            }
        }
    }
}
