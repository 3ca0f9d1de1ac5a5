//! The named faults of the LTI 1.3 platform — names, requirement IDs and descriptions in this
//! one list. Each fault is read by the one check or builder it bends (`auth.rs`, `claims.rs`,
//! `jwks.rs`, `token.rs`, `ags.rs`, `nrps.rs`, `deep_linking.rs`).

crate::faults::role_faults! {
    /// A named fault of the LTI 1.3 platform role (`lti13-platform/…`).
    pub enum Lti13PlatformFault {
        JwksKeyWithoutKid => "lti13-platform/jwks-key-without-kid", ["LTI13-PLAT-KEY-002", "LTI13-PLAT-KEY-004", "DL-PLAT-REQ-003"],
            "the key set publishes the signing key without its kid";
        JwksNotAKeySet => "lti13-platform/jwks-not-a-key-set", ["LTI13-PLAT-KEY-001", "LTI13-PLAT-KEY-002", "LTI13-PLAT-KEY-003", "LTI13-PLAT-KEY-004", "DL-PLAT-REQ-003"],
            "the key set URL serves the bare JWK, not a JWK set ({\"keys\": [...]})";
        JwksPrivateMember => "lti13-platform/jwks-private-member", ["LTI13-PLAT-KEY-003"],
            "the key set publishes the private members (d, p, q, dp, dq, qi) of the signing key";
        IdTokenKidNotInJwks => "lti13-platform/id-token-kid-not-in-jwks", ["LTI13-PLAT-KEY-004"],
            "resource link launch tokens name a kid that is not in the key set";
        IdTokenSignatureInvalid => "lti13-platform/id-token-signature-invalid", ["LTI13-PLAT-KEY-004"],
            "resource link launch tokens carry a corrupted signature";
        LoginInitiationWithoutTargetLinkUri => "lti13-platform/login-initiation-without-target-link-uri", ["LTI13-PLAT-OIDC-001"],
            "the login initiation omits target_link_uri";
        StateNotEchoed => "lti13-platform/state-not-echoed", ["LTI13-PLAT-OIDC-003"],
            "the authentication response omits the tool's state";
        RedirectUriNotChecked => "lti13-platform/redirect-uri-not-checked", ["LTI13-PLAT-OIDC-004"],
            "the authorization endpoint form-posts the id_token to any redirect_uri";
        ClientIdNotChecked => "lti13-platform/client-id-not-checked", ["LTI13-PLAT-OIDC-005"],
            "the authorization endpoint answers for any client_id";
        ResponseTypeNotChecked => "lti13-platform/response-type-not-checked", ["LTI13-PLAT-OIDC-006"],
            "the authorization endpoint ignores response_type";
        ScopeOpenidNotChecked => "lti13-platform/scope-openid-not-checked", ["LTI13-PLAT-OIDC-007"],
            "the authorization endpoint ignores whether scope holds openid";
        ResponseModeNotChecked => "lti13-platform/response-mode-not-checked", ["LTI13-PLAT-OIDC-008"],
            "the authorization endpoint ignores response_mode";
        NonceNotRequired => "lti13-platform/nonce-not-required", ["LTI13-PLAT-OIDC-009"],
            "the authorization endpoint answers a request without nonce (with an id_token without nonce)";
        IdTokenLeakedOnError => "lti13-platform/id-token-leaked-on-error", ["LTI13-PLAT-OIDC-004", "LTI13-PLAT-OIDC-005"],
            "the error page of a refused foreign redirect_uri or client_id embeds the id_token it would have sent";
        IssTrailingSlash => "lti13-platform/iss-trailing-slash", ["LTI13-PLAT-IDT-001"],
            "resource link launch tokens name the issuer with a trailing slash (not as registered)";
        AudWrong => "lti13-platform/aud-wrong", ["LTI13-PLAT-IDT-002"],
            "resource link launch tokens are addressed to another client_id";
        AzpWrong => "lti13-platform/azp-wrong", ["LTI13-PLAT-IDT-003"],
            "resource link launch tokens name another client_id as azp";
        SubEmptyWithoutPii => "lti13-platform/sub-empty-without-pii", ["LTI13-PLAT-IDT-004", "LTI13-PLAT-IDT-018"],
            "launches without personal data carry an empty sub";
        ExpInPast => "lti13-platform/exp-in-past", ["LTI13-PLAT-IDT-005"],
            "resource link launch tokens expire a minute before they were issued";
        NonceNotEchoed => "lti13-platform/nonce-not-echoed", ["LTI13-PLAT-IDT-006"],
            "resource link launch tokens carry a nonce of the platform's instead of the tool's";
        VersionWrong => "lti13-platform/version-wrong", ["LTI13-PLAT-IDT-007", "LTI13-PLAT-IDT-018"],
            "resource link launch tokens say LTI version 1.3 instead of 1.3.0";
        MessageTypeWrong => "lti13-platform/message-type-wrong", ["LTI13-PLAT-IDT-008", "LTI13-PLAT-IDT-018"],
            "resource link launch tokens say message type ResourceLinkRequest";
        DeploymentIdMissing => "lti13-platform/deployment-id-missing", ["LTI13-PLAT-IDT-009", "LTI13-PLAT-IDT-018"],
            "resource link launch tokens lack the deployment_id claim";
        TargetLinkUriWrong => "lti13-platform/target-link-uri-wrong", ["LTI13-PLAT-IDT-010"],
            "resource link launch tokens name another target_link_uri than the login initiation";
        ResourceLinkIdMissing => "lti13-platform/resource-link-id-missing", ["LTI13-PLAT-IDT-011", "LTI13-PLAT-IDT-018"],
            "resource link launch tokens carry a resource_link claim without id";
        StudentRolesInstructor => "lti13-platform/student-roles-instructor", ["LTI13-PLAT-IDT-012"],
            "student launches carry the Instructor role";
        RolesOutsideVocabulary => "lti13-platform/roles-outside-vocabulary", ["LTI13-PLAT-IDT-012", "LTI13-PLAT-IDT-013"],
            "resource link launch roles are misspelt URIs outside the LTI vocabularies";
        ContextIdMissing => "lti13-platform/context-id-missing", ["LTI13-PLAT-IDT-014", "LTI13-PLAT-IDT-018"],
            "launches without personal data carry a context claim without id";
        WhitespaceAroundValue => "lti13-platform/whitespace-around-value", ["LTI13-PLAT-IDT-015"],
            "resource link launch tokens carry the resource link title with a leading and a trailing space";
        PiiWithoutConsent => "lti13-platform/pii-without-consent", ["LTI13-PLAT-IDT-016"],
            "launches configured without personal data carry the user's name and email";
        PiiMissing => "lti13-platform/pii-missing", ["LTI13-PLAT-IDT-017"],
            "launches configured with personal data carry no name or email";
        ContextTypeNotArray => "lti13-platform/context-type-not-array", ["LTI13-PLAT-IDT-018"],
            "resource link launch tokens give context.type as a string instead of an array";
        TokenTypeNotBearer => "lti13-platform/token-type-not-bearer", ["LTI13-PLAT-OAUTH-001"],
            "the token endpoint answers token_type \"mac\" instead of bearer";
        TokenCacheable => "lti13-platform/token-cacheable", ["LTI13-PLAT-OAUTH-002"],
            "token responses say Cache-Control: max-age=3600 instead of no-store";
        AssertionAudNotChecked => "lti13-platform/assertion-aud-not-checked", ["LTI13-PLAT-OAUTH-003"],
            "the token endpoint accepts a client assertion with any aud";
        AssertionIssNotChecked => "lti13-platform/assertion-iss-not-checked", ["LTI13-PLAT-OAUTH-004"],
            "the token endpoint accepts a client assertion with any iss and sub";
        AssertionExpiryNotChecked => "lti13-platform/assertion-expiry-not-checked", ["LTI13-PLAT-OAUTH-005"],
            "the token endpoint accepts an expired client assertion";
        JtiReplayAccepted => "lti13-platform/jti-replay-accepted", ["LTI13-PLAT-OAUTH-006"],
            "the token endpoint accepts a client assertion jti it has seen";
        AssertionSignatureNotChecked => "lti13-platform/assertion-signature-not-checked", ["LTI13-PLAT-OAUTH-007"],
            "the token endpoint does not verify the client assertion's signature";
        UnknownKidAccepted => "lti13-platform/unknown-kid-accepted", ["LTI13-PLAT-OAUTH-008"],
            "the token endpoint accepts a client assertion whose kid is not in the tool's key set";
        AssertionTypeNotChecked => "lti13-platform/assertion-type-not-checked", ["LTI13-PLAT-OAUTH-009"],
            "the token endpoint ignores client_assertion_type";
        UnknownScopeGranted => "lti13-platform/unknown-scope-granted", ["LTI13-PLAT-OAUTH-010", "LTI13-PLAT-OAUTH-011"],
            "the token endpoint grants whatever scopes are asked for";
        UnknownScopeWrongError => "lti13-platform/unknown-scope-wrong-error", ["LTI13-PLAT-OAUTH-011"],
            "the token endpoint refuses unknown scopes with invalid_request instead of invalid_scope";
        AgsClaimNamesFirstCourse => "lti13-platform/ags-claim-names-first-course", ["AGS-PLAT-FLOW-002"],
            "the AGS claim of a launch in the second course names the first course's line items";
        AgsClaimScopeMissing => "lti13-platform/ags-claim-scope-missing", ["AGS-PLAT-CLAIM-001"],
            "the AGS endpoint claim of launches lacks its scope list";
        LineitemWrongMediaType => "lti13-platform/lineitem-wrong-media-type", ["AGS-PLAT-LI-001"],
            "the line item container answers Content-Type application/json";
        LineitemCreatedWrongMediaType => "lti13-platform/lineitem-created-wrong-media-type", ["AGS-PLAT-LI-002", "AGS-PLAT-FLOW-001", "AGS-PLAT-FLOW-002"],
            "a created line item is answered as application/json";
        OneLineItemPerCourse => "lti13-platform/one-line-item-per-course", ["AGS-PLAT-FLOW-001"],
            "a course holds at most one line item created by the tool (a second creation answers 409)";
        LineitemPutChangesId => "lti13-platform/lineitem-put-changes-id", ["AGS-PLAT-LI-004"],
            "updating a line item moves it to a new id (the old URL answers 404)";
        LineitemTagModified => "lti13-platform/lineitem-tag-modified", ["AGS-PLAT-LI-003", "AGS-PLAT-LI-004"],
            "reading a line item back answers its tag upper-cased";
        LineitemValuesNotPreserved => "lti13-platform/lineitem-values-not-preserved", ["AGS-PLAT-LI-008"],
            "a created line item's label is stored upper-cased";
        LineitemPutAnswerNotAsApplied => "lti13-platform/lineitem-put-answer-not-as-applied", ["AGS-PLAT-LI-004"],
            "an update ignores the new label but answers as if it had applied it";
        LineitemDeleteIgnored => "lti13-platform/lineitem-delete-ignored", ["AGS-PLAT-LI-005"],
            "deleting a line item answers 204 but keeps it";
        LineitemWrongContentTypeAccepted => "lti13-platform/lineitem-wrong-content-type-accepted", ["AGS-PLAT-LI-006"],
            "a line item POST or PUT is accepted whatever its Content-Type";
        LineitemAcceptIgnored => "lti13-platform/lineitem-accept-ignored", ["AGS-PLAT-LI-007"],
            "line item reads answer whatever the Accept header asks for";
        ScoreRefused => "lti13-platform/score-refused", ["AGS-PLAT-SCORE-001", "AGS-PLAT-SCORE-002", "AGS-PLAT-RES-001", "AGS-PLAT-FLOW-002"],
            "every score is refused with 400";
        OutOfOrderScoreAccepted => "lti13-platform/out-of-order-score-accepted", ["AGS-PLAT-SCORE-002"],
            "a score older than the recorded one overwrites it";
        ResultWithoutUserId => "lti13-platform/result-without-user-id", ["AGS-PLAT-RES-001"],
            "results omit userId";
        ResultScopeCanDelete => "lti13-platform/result-scope-can-delete", ["AGS-PLAT-SCOPE-001"],
            "a token with only the result.readonly scope may delete line items";
        ScoreScopeCanCreate => "lti13-platform/score-scope-can-create", ["AGS-PLAT-SCOPE-002"],
            "a token with only the score scope may create line items";
        NrpsServiceVersionsMissing => "lti13-platform/nrps-service-versions-missing", ["NRPS-PLAT-CLAIM-001", "LTI13-PLAT-IDT-018"],
            "the NRPS claim of launches lacks service_versions";
        NrpsWrongMediaType => "lti13-platform/nrps-wrong-media-type", ["NRPS-PLAT-001", "NRPS-PLAT-006"],
            "the membership container answers Content-Type application/json";
        NrpsContextMissing => "lti13-platform/nrps-context-missing", ["NRPS-PLAT-002"],
            "the membership container omits its context";
        NrpsUserIdsDiffer => "lti13-platform/nrps-user-ids-differ", ["NRPS-PLAT-003"],
            "members' user_id values are prefixed, so they differ from the launches' sub";
        NrpsRolesOutsideVocabulary => "lti13-platform/nrps-roles-outside-vocabulary", ["NRPS-PLAT-004", "NRPS-PLAT-007"],
            "members' roles are given as Teacher and Student";
        NrpsNoNextLink => "lti13-platform/nrps-no-next-link", ["NRPS-PLAT-005"],
            "a roster page cut short by limit has no Link rel=\"next\"";
        NrpsRoleFilterIgnored => "lti13-platform/nrps-role-filter-ignored", ["NRPS-PLAT-007"],
            "the role query parameter is ignored";
        NrpsScopeNotChecked => "lti13-platform/nrps-scope-not-checked", ["NRPS-PLAT-008"],
            "the roster is served to any valid token, whatever its scopes";
        DlMessageTypeWrong => "lti13-platform/dl-message-type-wrong", ["DL-PLAT-REQ-001", "DL-PLAT-REQ-004"],
            "deep linking launches say message type LtiResourceLinkRequest";
        DlAcceptTypesMissing => "lti13-platform/dl-accept-types-missing", ["DL-PLAT-REQ-002", "DL-PLAT-REQ-004"],
            "deep linking settings lack accept_types";
        DlTokenKidNotInJwks => "lti13-platform/dl-token-kid-not-in-jwks", ["DL-PLAT-REQ-003"],
            "deep linking launch tokens name a kid that is not in the key set";
        DlAcceptMultipleString => "lti13-platform/dl-accept-multiple-string", ["DL-PLAT-REQ-004"],
            "deep linking settings give accept_multiple as the string \"true\"";
        DlValidResponseRefused => "lti13-platform/dl-valid-response-refused", ["DL-PLAT-RESP-001", "DL-PLAT-RESP-005"],
            "the deep linking return endpoint refuses every response";
        DlResponseWrongAudAccepted => "lti13-platform/dl-response-wrong-aud-accepted", ["DL-PLAT-RESP-002"],
            "the deep linking return endpoint accepts a response with any aud";
        DlUnknownDeploymentAccepted => "lti13-platform/dl-unknown-deployment-accepted", ["DL-PLAT-RESP-003"],
            "the deep linking return endpoint accepts a response naming any deployment_id";
        DlBadSignatureAccepted => "lti13-platform/dl-bad-signature-accepted", ["DL-PLAT-RESP-004"],
            "the deep linking return endpoint does not verify the response's signature";
        DlReplayAccepted => "lti13-platform/dl-replay-accepted", ["DL-PLAT-RESP-005"],
            "the deep linking return endpoint accepts a response it has already received";
    }
}

/// The faults one running platform has.
pub(crate) type FaultSet = crate::faults::FaultSet<Lti13PlatformFault>;
