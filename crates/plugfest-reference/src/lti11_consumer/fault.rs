//! The named faults of the LTI 1.1 consumer — names, requirement IDs and descriptions in this
//! one list. The flag each fault sets lives next to the one check it bends (`launch_form.rs`
//! for the launch, `auth.rs` for the outcomes request's OAuth, `outcomes.rs` for the
//! outcomes operations and responses).

crate::faults::role_faults! {
    /// A named fault of the LTI 1.1 consumer role (`lti11-consumer/…`).
    pub enum Lti11ConsumerFault {
        FormActionWrong => "lti11-consumer/form-action-wrong", ["LTI11-TC-001", "LTI11-TC-006"],
            "the launch form posts to another path of the tool's host than the registered launch URL (the signature still covers the registered URL, so it does not verify for the URL posted to)";
        MessageTypeWrong => "lti11-consumer/message-type-wrong", ["LTI11-TC-002"],
            "the launch sends lti_message_type=LtiResourceLinkRequest (the LTI 1.3 name)";
        LtiVersionWrong => "lti11-consumer/lti-version-wrong", ["LTI11-TC-003"],
            "the launch sends lti_version=LTI-2p0";
        ResourceLinkMissing => "lti11-consumer/resource-link-missing", ["LTI11-TC-004"],
            "the launch omits resource_link_id";
        OauthCallbackMissing => "lti11-consumer/oauth-callback-missing", ["LTI11-TC-005"],
            "the launch omits oauth_callback=about:blank";
        SignatureWrongSecret => "lti11-consumer/signature-wrong-secret", ["LTI11-TC-006"],
            "the launch is signed with a secret other than the shared one";
        ParamSortWrong => "lti11-consumer/param-sort-wrong", ["LTI11-TC-006"],
            "the signature base string sorts the joined name=value strings (custom_a1 before custom_a)";
        SpaceEncodedAsPlus => "lti11-consumer/space-encoded-as-plus", ["LTI11-TC-006"],
            "the signature base string encodes a space as + instead of %20";
        StaleTimestamp => "lti11-consumer/stale-timestamp", ["LTI11-TC-007"],
            "the launch carries (and signs) an oauth_timestamp an hour old";
        StaticNonce => "lti11-consumer/static-nonce", ["LTI11-TC-008"],
            "every launch carries the same oauth_nonce";
        NoUserId => "lti11-consumer/no-user-id", ["LTI11-TC-009"],
            "the launch omits user_id";
        NoRoles => "lti11-consumer/no-roles", ["LTI11-TC-010"],
            "the launch omits roles";
        NoResourceLinkTitle => "lti11-consumer/no-resource-link-title", ["LTI11-TC-011"],
            "the launch omits resource_link_title";
        NoProductFamily => "lti11-consumer/no-product-family", ["LTI11-TC-012"],
            "the launch omits tool_consumer_info_product_family_code";
        NoVersion => "lti11-consumer/no-version", ["LTI11-TC-013"],
            "the launch omits tool_consumer_info_version";
        RelativeReturnUrl => "lti11-consumer/relative-return-url", ["LTI11-TC-014"],
            "launch_presentation_return_url is a relative path (/lti11/return)";
        NoContextId => "lti11-consumer/no-context-id", ["LTI11-TC-015"],
            "the launch omits context_id";
        NoOutcomeParams => "lti11-consumer/no-outcome-params", ["LTI11-TC-016", "LTI11-TC-017", "POX-SVC-001", "POX-SVC-002", "POX-SVC-003", "POX-SVC-004", "POX-SVC-005", "POX-SVC-006", "POX-SVC-007", "POX-SVC-008", "POX-SVC-009", "POX-SVC-010", "POX-SVC-011", "POX-SVC-012", "POX-SVC-013", "POX-SVC-014", "POX-SVC-015"],
            "a learner launch in the graded placement carries neither lis_outcome_service_url nor lis_result_sourcedid";
        OutcomeUrlHttp => "lti11-consumer/outcome-url-http", ["LTI11-TC-017", "POX-SVC-001", "POX-SVC-002", "POX-SVC-003", "POX-SVC-004", "POX-SVC-005", "POX-SVC-006", "POX-SVC-007", "POX-SVC-008", "POX-SVC-009", "POX-SVC-010", "POX-SVC-011", "POX-SVC-012", "POX-SVC-013", "POX-SVC-014", "POX-SVC-015"],
            "lis_outcome_service_url is a plain-http URL (http://lms.invalid/lti11/outcomes)";
        ReplaceAnswersFailure => "lti11-consumer/replace-answers-failure", ["POX-SVC-001", "POX-SVC-002", "POX-SVC-011"],
            "a valid replaceResult answers failure and stores nothing";
        ReadWrongScore => "lti11-consumer/read-wrong-score", ["POX-SVC-002"],
            "readResult answers the stored score multiplied by 100";
        DeleteUnsupported => "lti11-consumer/delete-unsupported", ["POX-SVC-003", "POX-SVC-004"],
            "deleteResult answers unsupported and clears nothing";
        ReadAfterDeleteKeepsScore => "lti11-consumer/read-after-delete-keeps-score", ["POX-SVC-004"],
            "deleteResult answers success but the score stays readable";
        UnsupportedOpAsFailure => "lti11-consumer/unsupported-op-as-failure", ["POX-SVC-005"],
            "an unknown operation answers failure instead of unsupported";
        ScoreRangeNotChecked => "lti11-consumer/score-range-not-checked", ["POX-SVC-006"],
            "a replaceResult score outside [0.0, 1.0] is accepted and stored";
        NonNumericAccepted => "lti11-consumer/non-numeric-accepted", ["POX-SVC-007"],
            "a replaceResult score that is not a number answers success (nothing is stored)";
        UnknownSourcedidAccepted => "lti11-consumer/unknown-sourcedid-accepted", ["POX-SVC-008"],
            "an unknown sourcedId answers success (nothing is stored)";
        BodyHashNotChecked => "lti11-consumer/body-hash-not-checked", ["POX-SVC-009"],
            "oauth_body_hash is not compared with the body";
        SignatureNotChecked => "lti11-consumer/signature-not-checked", ["POX-SVC-010"],
            "the outcomes request's oauth_signature is not verified";
        NonceReplayAccepted => "lti11-consumer/nonce-replay-accepted", ["POX-SVC-011"],
            "an outcomes request replaying an earlier oauth_nonce is accepted";
        StaleTimestampAccepted => "lti11-consumer/stale-timestamp-accepted", ["POX-SVC-012"],
            "an outcomes request whose oauth_timestamp is outside ±300 s is accepted";
        TextPlainResponse => "lti11-consumer/text-plain-response", ["POX-SVC-013"],
            "outcomes responses are sent as Content-Type: text/plain";
        SeverityMissing => "lti11-consumer/severity-missing", ["POX-SVC-014"],
            "outcomes responses omit the required imsx_severity (XSD-invalid, nothing else changes)";
        MessageRefNotEchoed => "lti11-consumer/message-ref-not-echoed", ["POX-SVC-015"],
            "imsx_messageRefIdentifier carries a fresh identifier instead of the request's imsx_messageIdentifier";
    }
}

/// The set of faults one consumer runs with.
pub(crate) type FaultSet = crate::faults::FaultSet<Lti11ConsumerFault>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_launch_and_service_requirement_is_broken_by_some_fault() {
        let broken: Vec<&str> = Lti11ConsumerFault::REGISTRY
            .iter()
            .flat_map(|f| f.ids.iter().copied())
            .collect();
        for n in 1..=17 {
            let id = format!("LTI11-TC-{n:03}");
            assert!(broken.contains(&id.as_str()), "{id}");
        }
        for n in 1..=15 {
            let id = format!("POX-SVC-{n:03}");
            assert!(broken.contains(&id.as_str()), "{id}");
        }
    }
}
