//! The named faults of the LTI 1.1 tool provider — names, requirement IDs and descriptions in
//! this one list. The flag each fault sets lives next to the one check it bends (`oauth.rs`,
//! `message.rs`, `admission.rs`, `refusal.rs`, `outcomes.rs`, `pox_request.rs`).

crate::faults::role_faults! {
    /// A named fault of the LTI 1.1 tool provider role (`lti11-tool/…`).
    pub enum Lti11ToolFault {
        // OAuth 1.0a launch verification (oauth.rs).
        SignatureNotChecked => "lti11-tool/signature-not-checked", [
            "LTI11-TP-INV-004", "LTI11-TP-SEC-004", "LTI11-TP-SEC-005",
        ],
            "the launch's oauth_signature is never verified";
        ConsumerKeyNotChecked => "lti11-tool/consumer-key-not-checked", ["LTI11-TP-INV-003"],
            "an unknown oauth_consumer_key is accepted: the signature is verified with the configured secret whatever the key";
        StaleTimestampAccepted => "lti11-tool/stale-timestamp-accepted", ["LTI11-TP-SEC-001"],
            "an oauth_timestamp more than 300 s in the past is accepted";
        FutureTimestampAccepted => "lti11-tool/future-timestamp-accepted", ["LTI11-TP-SEC-002"],
            "an oauth_timestamp more than 300 s in the future is accepted";
        NonceReplayAccepted => "lti11-tool/nonce-replay-accepted", ["LTI11-TP-SEC-003"],
            "a (consumer key, timestamp, nonce) already seen is accepted again (replayed launches pass)";
        DeclaredMethodIgnored => "lti11-tool/declared-method-ignored", ["LTI11-TP-SEC-004"],
            "a signature valid under HMAC-SHA1 or HMAC-SHA256 is accepted whichever oauth_signature_method is declared";
        Sha256Unsupported => "lti11-tool/sha256-unsupported", ["LTI11-TP-SIG-001"],
            "a launch declaring oauth_signature_method=HMAC-SHA256 is refused (only HMAC-SHA1 is known)";
        ParamSortWrong => "lti11-tool/param-sort-wrong", ["LTI11-TP-ENC-002"],
            "the signature base string sorts the joined name=value pairs (custom_a1=… before custom_a=…)";
        SpaceEncodedAsPlus => "lti11-tool/space-encoded-as-plus", ["LTI11-TP-ENC-001"],
            "when a custom_ parameter holds a space, the signature base string encodes spaces as + instead of %20";
        RepeatedKeysLastWins => "lti11-tool/repeated-keys-last-wins", ["LTI11-TP-ENC-003"],
            "the signature base string keeps only the last value of a repeated parameter name";
        // Basic Launch Data (message.rs).
        ResourceLinkNotRequired => "lti11-tool/resource-link-not-required", [
            "LTI11-TP-INV-001", "LTI11-TP-INV-002", "LTI11-TP-RET-001",
        ],
            "a launch without resource_link_id is accepted";
        LtiVersionNotChecked => "lti11-tool/lti-version-not-checked", [
            "LTI11-TP-INV-005", "LTI11-TP-INV-006", "LTI11-TP-INV-007",
        ],
            "lti_version is not checked (a wrong or missing version is accepted)";
        MessageTypeNotChecked => "lti11-tool/message-type-not-checked", [
            "LTI11-TP-INV-008", "LTI11-TP-INV-009",
        ],
            "lti_message_type is not checked (a wrong or missing message type is accepted)";
        // Answering a refused launch (refusal.rs).
        NoErrormsgRedirect => "lti11-tool/no-errormsg-redirect", ["LTI11-TP-RET-001"],
            "a refused launch answers a 400 page even when it carries launch_presentation_return_url";
        // Valid launches refused or crashed (admission.rs).
        FullUrnRoleRefused => "lti11-tool/full-urn-role-refused", [
            "LTI11-TP-ROLE-001", "LTI11-TP-ROLE-003", "LTI11-TP-ROLE-004",
        ],
            "a launch whose roles hold any urn:lti:role: URN is refused";
        RoleList500 => "lti11-tool/role-list-500", [
            "LTI11-TP-ROLE-002", "LTI11-TP-ROLE-003", "LTI11-TP-ROLE-004",
        ],
            "a launch whose roles value holds a comma (several roles) answers 500";
        NoRole500 => "lti11-tool/no-role-500", ["LTI11-TP-ROLE-005", "LTI11-TP-INFO-007"],
            "a launch without a roles parameter answers 500";
        InstroleOnlyRefused => "lti11-tool/instrole-only-refused", [
            "LTI11-TP-ROLE-006", "LTI11-TP-ROLE-007",
        ],
            "a launch whose roles are all institution roles (urn:lti:instrole:) is refused";
        Alumni500 => "lti11-tool/alumni-500", ["LTI11-TP-ROLE-007"],
            "a launch with the institution role urn:lti:instrole:ims/lis/Alumni answers 500";
        UnknownRole500 => "lti11-tool/unknown-role-500", ["LTI11-TP-ROLE-008"],
            "a launch with a role that is neither an LIS context role name nor a urn:lti: URN answers 500";
        NameMissing500 => "lti11-tool/name-missing-500", ["LTI11-TP-INFO-001"],
            "a launch with an email but no lis_person_name_* parameter answers 500";
        FullName500 => "lti11-tool/full-name-500", ["LTI11-TP-INFO-002"],
            "a launch with lis_person_name_given or _family but no lis_person_name_full answers 500";
        GivenNameRequired => "lti11-tool/given-name-required", ["LTI11-TP-INFO-003"],
            "a launch with lis_person_name_full but no lis_person_name_given is refused";
        EmailRequired => "lti11-tool/email-required", ["LTI11-TP-INFO-004", "LTI11-TP-INFO-005"],
            "a launch without lis_person_contact_email_primary is refused";
        ContextTitleRequired => "lti11-tool/context-title-required", ["LTI11-TP-INFO-005"],
            "a launch with context_id but no context_title is refused";
        NoContext500 => "lti11-tool/no-context-500", ["LTI11-TP-INFO-006", "LTI11-TP-INFO-007"],
            "a launch without context_id answers 500";
        ResourceLinkSwitchRefused => "lti11-tool/resource-link-switch-refused", [
            "LTI11-TP-VALID-002", "LTI11-TP-VALID-004",
        ],
            "a user's launch on another resource_link_id of a course than that user's first one in it is refused";
        LearnerRefused => "lti11-tool/learner-refused", [
            "LTI11-TP-VALID-003", "LTI11-TP-VALID-004", "LTI11-TP-INFO-001", "LTI11-TP-INFO-002",
            "LTI11-TP-INFO-003", "LTI11-TP-INFO-006", "POX-CLIENT-001", "POX-CLIENT-002", "POX-CLIENT-003", "POX-CLIENT-004", "POX-CLIENT-005", "POX-CLIENT-006", "POX-CLIENT-007", "POX-CLIENT-008", "POX-CLIENT-009", "POX-CLIENT-010",
        ],
            "a launch whose roles value is exactly Learner is refused (so are the graded launches the outcomes checks start from)";
        // Basic Outcomes requests the tool sends (outcomes.rs, pox_request.rs).
        OutcomeContentTypeTextPlain => "lti11-tool/outcome-content-type-text-plain", ["POX-CLIENT-001"],
            "outcomes requests are sent with Content-Type text/plain";
        OutcomeSignatureWrong => "lti11-tool/outcome-signature-wrong", ["POX-CLIENT-002"],
            "outcomes requests are signed with a wrong secret (the consumer secret followed by x)";
        OutcomeBodyHashMissing => "lti11-tool/outcome-body-hash-missing", ["POX-CLIENT-003"],
            "outcomes requests carry no oauth_body_hash (the signature covers the other parameters)";
        OutcomeBodyHashWrong => "lti11-tool/outcome-body-hash-wrong", ["POX-CLIENT-003"],
            "the oauth_body_hash of outcomes requests is the hash of an empty body (and is signed so)";
        OutcomeElementsOutOfOrder => "lti11-tool/outcome-elements-out-of-order", ["POX-CLIENT-004"],
            "replaceResult puts resultRecord/result before sourcedGUID (invalid against the XSD)";
        OutcomeOldNamespace => "lti11-tool/outcome-old-namespace", ["POX-CLIENT-004", "POX-CLIENT-005", "POX-CLIENT-009", "POX-CLIENT-010"],
            "outcomes envelopes use the pre-release namespace of www.imsglobal.org/lis/oms1p0/pox";
        OutcomeMessageIdReused => "lti11-tool/outcome-message-id-reused", ["POX-CLIENT-006"],
            "every outcomes request carries the same imsx_messageIdentifier";
        OutcomeWrongSourcedid => "lti11-tool/outcome-wrong-sourcedid", ["POX-CLIENT-007", "POX-CLIENT-009", "POX-CLIENT-010"],
            "outcomes requests name the launch's lis_result_sourcedid with -x appended";
        OutcomeScorePercent => "lti11-tool/outcome-score-percent", ["POX-CLIENT-008"],
            "replaceResult sends the score as a percentage (85 for 0.85)";
        ReadNotSupported => "lti11-tool/read-not-supported", ["POX-CLIENT-009"],
            "the outcomes hook answers 501 to readResult and sends nothing";
        DeleteNotSupported => "lti11-tool/delete-not-supported", ["POX-CLIENT-010"],
            "the outcomes hook answers 501 to deleteResult and sends nothing";
    }
}

/// The set of faults one tool runs with.
pub(crate) type FaultSet = crate::faults::FaultSet<Lti11ToolFault>;
