//! The named faults of the two OneRoster provider roles — names, requirement IDs and
//! descriptions in these two lists — and [`Bends`], the flags they set. Both roles run the same
//! code, so a behaviour is one flag, read in the one place it bends (`auth.rs`, `query.rs`,
//! `filter.rs`, `render.rs`, `routes.rs`, `gradebook.rs`); each role lists the behaviours that
//! apply to its version.

use super::auth::{Need, Scope};

crate::faults::role_faults! {
    /// A named fault of the OneRoster 1.2 provider role (`oneroster12-provider/…`).
    pub enum OneRoster12Fault {
        // OAuth 2 (auth.rs).
        TokenResponseWithoutScope => "oneroster12-provider/token-response-without-scope", ["OR12-SP-AUTH-001"],
            "the token response leaves out the granted scope";
        TokenSecretNotChecked => "oneroster12-provider/token-secret-not-checked", ["OR12-SP-AUTH-002"],
            "the token endpoint issues a token whatever client secret is sent";
        UnauthenticatedAccepted => "oneroster12-provider/unauthenticated-accepted", ["OR12-SP-AUTH-003", "OR12-SP-ERR-004"],
            "a request without an access token is served";
        InvalidTokenAccepted => "oneroster12-provider/invalid-token-accepted", ["OR12-SP-AUTH-004"],
            "an unknown bearer token is accepted as if it held every scope";
        ForbiddenInsteadOfUnauthorized => "oneroster12-provider/403-instead-of-401", ["OR12-SP-AUTH-003", "OR12-SP-AUTH-004", "OR12-SP-ERR-004"],
            "a missing or invalid token is answered 403 forbidden instead of 401";
        ScopesAndNotOr => "oneroster12-provider/scopes-and-not-or", ["OR12-SP-AUTH-005"],
            "an operation listing several scopes demands all of them (roster-core.readonly alone no longer reads the core collections)";
        TokenWithoutScopeChecks => "oneroster12-provider/token-without-scope-checks", ["OR12-SP-AUTH-006", "OR12-SP-AUTH-008", "OR12-SP-AUTH-009", "OR12-SP-AUTH-010", "OR12-SP-ERR-005"],
            "any valid token reaches every operation: scopes are never checked";
        RelationshipScopeNotChecked => "oneroster12-provider/relationship-scope-not-checked", ["OR12-SP-AUTH-006", "OR12-SP-ERR-005"],
            "relationship endpoints accept roster-core.readonly although they need roster.readonly";
        RelationshipNeedsCoreToo => "oneroster12-provider/relationship-needs-core-too", ["OR12-SP-AUTH-007"],
            "relationship endpoints refuse a token holding roster.readonly without roster-core.readonly";
        DemographicsScopeNotChecked => "oneroster12-provider/demographics-scope-not-checked", ["OR12-SP-AUTH-008"],
            "demographics are served without the roster-demographics.readonly scope";
        GradebookScopeNotChecked => "oneroster12-provider/gradebook-scope-not-checked", ["OR12-SP-AUTH-009"],
            "gradebook reads are served to tokens holding only rostering scopes";
        GradebookWriteScopeNotChecked => "oneroster12-provider/gradebook-write-scope-not-checked", ["OR12-SP-AUTH-010"],
            "gradebook writes are accepted from tokens holding only gradebook.readonly";
        // Errors (errors.rs, routes.rs).
        UnknownId204 => "oneroster12-provider/unknown-id-204", ["OR12-SP-ERR-001", "OR12-SP-ERR-002", "OR12-SP-ERR-007", "OR12-SP-GB-007", "OR12-SP-GB-014", "OR12-SP-GB-015", "OR12-SP-GB-016", "OR12-SP-RES-002"],
            "an unknown sourcedId on a single-object GET is answered 204 No Content instead of 404";
        UnknownObjectMinorWrong => "oneroster12-provider/unknown-object-minor-wrong", ["OR12-SP-ERR-002", "OR12-SP-ERR-006", "OR12-SP-GB-007"],
            "the 404 for an unknown object carries the code minor invaliddata instead of unknownobject";
        ErrorWrapped11Style => "oneroster12-provider/error-wrapped-1p1-style", ["OR12-SP-ERR-003"],
            "error bodies are wrapped in a 1.1 statusInfoSet array instead of the bare 1.2 status object";
        UnauthorizedMinorWrong => "oneroster12-provider/unauthorized-minor-wrong", ["OR12-SP-ERR-003", "OR12-SP-ERR-004"],
            "the 401 body carries the 1.1 spelling unauthorized instead of unauthorisedrequest";
        ForbiddenMinorWrong => "oneroster12-provider/forbidden-minor-wrong", ["OR12-SP-ERR-005"],
            "the 403 body carries unauthorisedrequest instead of forbidden";
        UnknownParentEmpty => "oneroster12-provider/unknown-parent-empty", ["OR12-SP-ERR-006"],
            "a relationship endpoint under an unknown parent answers 200 with an empty array instead of 404";
        TypeRestrictionIgnored => "oneroster12-provider/type-restriction-ignored", ["OR12-SP-ERR-007"],
            "type-restricted single GETs (/students/{id}, /schools/{id}, /terms/{id}) return objects of any type";
        // Collections (routes.rs, render.rs).
        WrongWrapperKey => "oneroster12-provider/wrong-wrapper-key", ["OR12-SP-COLL-001", "OR12-SP-COLL-004"],
            "/schools, /students, /teachers, /terms and /gradingPeriods wrap their arrays under their own names instead of orgs, users and academicSessions";
        RelationshipWrapperWrong => "oneroster12-provider/relationship-wrapper-wrong", ["OR12-SP-COLL-002", "OR12-SP-COLL-003"],
            "the relationship endpoints under a school wrap their arrays under `data`";
        RelationshipLeaks => "oneroster12-provider/relationship-leaks", ["OR12-SP-COLL-003"],
            "the students and teachers of a class include every member of the class, whatever the role";
        TypeFilterIgnored => "oneroster12-provider/type-filter-ignored", ["OR12-SP-COLL-004"],
            "/terms and /gradingPeriods return every academic session";
        SingleDiffersFromCollection => "oneroster12-provider/single-differs-from-collection", ["OR12-SP-COLL-005"],
            "a single-object rostering GET answers a different title or name than the collection";
        ContentTypeText => "oneroster12-provider/content-type-text", ["OR12-SP-HDR-001"],
            "JSON answers are labelled Content-Type text/plain";
        // Paging and sorting (query.rs, paging.rs).
        TotalCountMissing => "oneroster12-provider/total-count-missing", ["OR12-SP-PAGE-001", "OR12-SP-PAGE-002", "OR12-SP-FILT-001"],
            "collection answers carry no X-Total-Count header";
        TotalCountPerPage => "oneroster12-provider/total-count-per-page", ["OR12-SP-PAGE-002", "OR12-SP-FILT-001"],
            "X-Total-Count counts the items of the page instead of the whole collection";
        DuplicateAcrossPages => "oneroster12-provider/duplicate-across-pages", ["OR12-SP-PAGE-002", "OR12-SP-PAGE-003", "OR12-SP-PAGE-005", "OR12-SP-PAGE-008", "OR12-SP-FILT-001", "OR12-SP-DATA-001"],
            "offset is applied one row early, so each page repeats the last object of the one before";
        DefaultLimitWrong => "oneroster12-provider/default-limit-wrong", ["OR12-SP-PAGE-004"],
            "without a limit a page holds 25 objects instead of 100";
        OffsetBeyondTotal404 => "oneroster12-provider/offset-beyond-total-404", ["OR12-SP-PAGE-006"],
            "an offset past the end is answered 404 instead of 200 with an empty array";
        UnstableOrder => "oneroster12-provider/unstable-order", ["OR12-SP-PAGE-007"],
            "the default order flips between ascending and descending each time a walk starts (offset 0), so two walks see different sequences";
        LinkNextOnLastPage => "oneroster12-provider/link-next-on-last-page", ["OR12-SP-PAGE-008"],
            "the Link header offers rel=\"next\" on the last page too";
        LinkTrailingComma => "oneroster12-provider/link-trailing-comma", ["OR12-SP-PAGE-009"],
            "the Link header ends with a stray comma";
        LinkNextDropsFilter => "oneroster12-provider/link-next-drops-filter", ["OR12-SP-PAGE-010"],
            "the next link leaves out the request's filter and sort parameters";
        PagingNotValidated => "oneroster12-provider/paging-not-validated", ["OR12-SP-PAGE-011"],
            "invalid limit and offset values are silently replaced by the defaults";
        SortAfterPaging => "oneroster12-provider/sort-after-paging", ["OR12-SP-SORT-001", "OR12-SP-SORT-002", "OR12-SP-FILT-012"],
            "sort is applied to each page after paging, not to the collection";
        OrderByIgnored => "oneroster12-provider/order-by-ignored", ["OR12-SP-SORT-002"],
            "orderBy=desc is ignored";
        UnknownSort500 => "oneroster12-provider/unknown-sort-500", ["OR12-SP-SORT-003"],
            "sorting on a field that does not exist answers 500";
        // Filtering (filter.rs).
        FilterIgnoredInCount => "oneroster12-provider/filter-ignored-in-count", ["OR12-SP-FILT-001"],
            "X-Total-Count counts the unfiltered collection";
        NotEqualAsEqual => "oneroster12-provider/not-equal-as-equal", ["OR12-SP-FILT-002"],
            "the != predicate is evaluated as =";
        LessOrEqualExclusive => "oneroster12-provider/less-or-equal-exclusive", ["OR12-SP-FILT-003"],
            "the <= predicate leaves out equal values (evaluated as <)";
        ContainsAsPrefix => "oneroster12-provider/contains-as-prefix", ["OR12-SP-FILT-004"],
            "the ~ predicate matches only values starting with the text";
        AndAsOr => "oneroster12-provider/and-as-or", ["OR12-SP-FILT-005"],
            "AND between two clauses is evaluated as OR";
        OrAsAnd => "oneroster12-provider/or-as-and", ["OR12-SP-FILT-006"],
            "OR between two clauses is evaluated as AND";
        DateTimeAsText => "oneroster12-provider/date-time-as-text", ["OR12-SP-FILT-007"],
            "dateLastModified is compared as text, so an instant without milliseconds compares wrongly";
        FilterUnknownFieldIgnored => "oneroster12-provider/filter-unknown-field-ignored", ["OR12-SP-FILT-008"],
            "a clause on an unknown field is dropped and the data returned";
        QuotedSpacesTruncated => "oneroster12-provider/quoted-spaces-truncated", ["OR12-SP-FILT-009"],
            "a filter value is cut at its first space";
        MalformedFilter500 => "oneroster12-provider/malformed-filter-500", ["OR12-SP-FILT-010", "OR12-SP-HDR-002"],
            "a malformed filter answers 500 instead of 400";
        Apostrophe500 => "oneroster12-provider/apostrophe-500", ["OR12-SP-FILT-011", "OR12-SP-HDR-002"],
            "a filter value holding an apostrophe answers 500";
        // Field selection (query.rs, render.rs).
        FieldsIgnored => "oneroster12-provider/fields-ignored", ["OR12-SP-FIELD-001", "OR12-SP-FIELD-002", "OR12-SP-FIELD-003"],
            "fields is ignored: every property is returned";
        UnknownFieldIgnored => "oneroster12-provider/unknown-field-ignored", ["OR12-SP-FIELD-002"],
            "an unknown name in fields is dropped silently instead of refused with 400";
        FieldsIgnoredOnSingle => "oneroster12-provider/fields-ignored-on-single", ["OR12-SP-FIELD-003"],
            "fields is ignored on single-object GETs";
        // Objects (render.rs).
        OrgIdentifierMissing => "oneroster12-provider/org-identifier-missing", ["OR12-SP-OBJ-001"],
            "orgs leave out their required identifier";
        SessionDateAsDateTime => "oneroster12-provider/session-date-as-date-time", ["OR12-SP-OBJ-002"],
            "academic session start and end dates are sent as date-times";
        CourseCodeMissing => "oneroster12-provider/course-code-missing", ["OR12-SP-OBJ-003"],
            "courses leave out their required courseCode";
        ClassTypeOutOfVocabulary => "oneroster12-provider/class-type-out-of-vocabulary", ["OR12-SP-OBJ-004"],
            "classType is sent capitalised (Scheduled), outside the vocabulary";
        UserExtraProperty => "oneroster12-provider/user-extra-property", ["OR12-SP-OBJ-005"],
            "users carry a property outside the schema (studentNumber) instead of inside metadata";
        EnrollmentRoleOutOfVocabulary => "oneroster12-provider/enrollment-role-out-of-vocabulary", ["OR12-SP-OBJ-006"],
            "enrollment roles are sent capitalised (Student, Teacher)";
        DemographicsSexOutOfVocabulary => "oneroster12-provider/demographics-sex-out-of-vocabulary", ["OR12-SP-OBJ-007"],
            "demographics sex is sent as M / F";
        // Data integrity (render.rs).
        DuplicateSourcedId => "oneroster12-provider/duplicate-sourced-id", ["OR12-SP-DATA-001"],
            "two users are served with the same sourcedId";
        DanglingGuidRef => "oneroster12-provider/dangling-guidref", ["OR12-SP-DATA-002"],
            "one enrollment references a user that does not exist";
        SchoolRefToDistrict => "oneroster12-provider/school-ref-to-district", ["OR12-SP-DATA-003"],
            "enrollments reference the district org as their school";
        BooleanAsJson => "oneroster12-provider/boolean-as-json", ["OR12-SP-DATA-004"],
            "string booleans (enabledUser, primary, demographics flags, result flags) are sent as JSON true/false";
        SessionEndsBeforeStart => "oneroster12-provider/session-ends-before-start", ["OR12-SP-DATA-005"],
            "grading periods end before they start";
        TobedeletedHidden => "oneroster12-provider/tobedeleted-hidden", ["OR12-SP-DATA-006", "OR12-SP-GB-017"],
            "objects with status tobedeleted are left out of the collections unless the filter asks for a status";
        DateLastModifiedOffset => "oneroster12-provider/date-last-modified-offset", ["OR12-SP-DATA-007"],
            "dateLastModified is sent with a +02:00 offset instead of Z";
        TwoPrimaryRoles => "oneroster12-provider/two-primary-roles", ["OR12-SP-DATA-008"],
            "teachers carry two primary roles at their school";
        HrefWrongPath => "oneroster12-provider/href-wrong-path", ["OR12-SP-DATA-009"],
            "GUIDRef hrefs point to a path that does not exist";
        // Gradebook (gradebook.rs, render.rs).
        LineItemMissingSchool => "oneroster12-provider/line-item-missing-school", ["OR12-SP-GB-001"],
            "line items leave out their required school";
        ScoreDateAsDateTime => "oneroster12-provider/score-date-as-date-time", ["OR12-SP-GB-002"],
            "result scoreDate is sent as a date-time instead of a date";
        CategoryWeightAsString => "oneroster12-provider/category-weight-as-string", ["OR12-SP-GB-003"],
            "category weights are sent as strings";
        ScoreScaleWithoutValues => "oneroster12-provider/score-scale-without-values", ["OR12-SP-GB-004"],
            "score scales leave out their required scoreScaleValue";
        ClassLineItemsLeak => "oneroster12-provider/class-line-items-leak", ["OR12-SP-GB-005"],
            "the line items of a class include every line item of its school";
        LineItemResultsLeak => "oneroster12-provider/line-item-results-leak", ["OR12-SP-GB-006"],
            "the results of a line item include every result of its school";
        PutNotPersisted => "oneroster12-provider/put-not-persisted", ["OR12-SP-GB-008", "OR12-SP-GB-010", "OR12-SP-GB-011", "OR12-SP-GB-012", "OR12-SP-GB-013", "OR12-SP-GB-014", "OR12-SP-GB-015", "OR12-SP-GB-016"],
            "PUT answers success but stores nothing";
        PutCreate200 => "oneroster12-provider/put-create-200", ["OR12-SP-GB-009"],
            "creating an object with PUT answers 200 instead of 201";
        PutUpdateIgnored => "oneroster12-provider/put-update-ignored", ["OR12-SP-GB-010"],
            "PUT on an existing object answers 200 but keeps the old object";
        ExemptDropped => "oneroster12-provider/exempt-dropped", ["OR12-SP-GB-012"],
            "a result stored as exempt is returned as not submitted";
        ScoreClamped => "oneroster12-provider/score-clamped", ["OR12-SP-GB-013"],
            "scores above the line item's maximum are stored as the maximum";
        DeleteNotRemoving => "oneroster12-provider/delete-not-removing", ["OR12-SP-GB-014", "OR12-SP-GB-015", "OR12-SP-GB-016"],
            "DELETE answers 204 but the object stays";
        DeleteUnknown204 => "oneroster12-provider/delete-unknown-204", ["OR12-SP-GB-015"],
            "deleting an unknown object answers 204 instead of 404";
        CategoryPutRefused => "oneroster12-provider/category-put-refused", ["OR12-SP-GB-016"],
            "PUT of a category is refused with 405";
        LineItemCategoryDangling => "oneroster12-provider/line-item-category-dangling", ["OR12-SP-GB-017"],
            "line items reference a category that does not exist";
        // Resources (render.rs, routes.rs).
        ResourceImportanceOutOfVocabulary => "oneroster12-provider/resource-importance-out-of-vocabulary", ["OR12-SP-RES-001"],
            "resources carry importance high, outside the vocabulary";
        ResourceSingleWrapperWrong => "oneroster12-provider/resource-single-wrapper-wrong", ["OR12-SP-RES-002"],
            "a single resource is wrapped under resources instead of resource";
        ClassResources404 => "oneroster12-provider/class-resources-404", ["OR12-SP-RES-003"],
            "the resources of a class or course answer 404";
    }
}

crate::faults::role_faults! {
    /// A named fault of the OneRoster 1.1 provider role (`oneroster11-provider/…`).
    pub enum OneRoster11Fault {
        // OAuth 1.0a (auth.rs).
        UnsignedAccepted => "oneroster11-provider/unsigned-accepted", ["OR11-SP-AUTH-002"],
            "a request without an OAuth signature is served";
        BadSignatureAccepted => "oneroster11-provider/bad-oauth1-signature-accepted", ["OR11-SP-AUTH-003"],
            "the oauth_signature is never verified";
        SpaceEncodedAsPlus => "oneroster11-provider/space-encoded-as-plus", ["OR11-SP-AUTH-004", "OR11-SP-FILT-003", "OR11-SP-FILT-005"],
            "the signature base string encodes a space in a query value as + instead of %20, so signed requests with spaces are refused";
        StaleTimestampAccepted => "oneroster11-provider/stale-timestamp-accepted", ["OR11-SP-AUTH-005"],
            "an oauth_timestamp an hour old is accepted";
        NonceReplayAccepted => "oneroster11-provider/nonce-replay-accepted", ["OR11-SP-AUTH-006"],
            "a replayed oauth_nonce is accepted";
        // Collections (routes.rs, render.rs).
        WrongWrapperKey => "oneroster11-provider/wrong-wrapper-key", ["OR11-SP-COLL-001", "OR11-SP-COLL-004"],
            "/schools, /students, /teachers, /terms and /gradingPeriods wrap their arrays under their own names";
        RelationshipWrapperWrong => "oneroster11-provider/relationship-wrapper-wrong", ["OR11-SP-COLL-002", "OR11-SP-COLL-003"],
            "the relationship endpoints under a school wrap their arrays under `data`";
        RelationshipLeaks => "oneroster11-provider/relationship-leaks", ["OR11-SP-COLL-003"],
            "the students and teachers of a class include every member of the class";
        TypeFilterIgnored => "oneroster11-provider/type-filter-ignored", ["OR11-SP-COLL-004"],
            "/terms and /gradingPeriods return every academic session";
        SingleDiffersFromCollection => "oneroster11-provider/single-differs-from-collection", ["OR11-SP-COLL-005"],
            "a single-object rostering GET answers a different title or name than the collection";
        // Paging and sorting.
        TotalCountMissing => "oneroster11-provider/total-count-missing", ["OR11-SP-PAGE-001", "OR11-SP-PAGE-002", "OR11-SP-FILT-001"],
            "collection answers carry no X-Total-Count header";
        DuplicateAcrossPages => "oneroster11-provider/duplicate-across-pages", ["OR11-SP-PAGE-002", "OR11-SP-PAGE-003", "OR11-SP-PAGE-006", "OR11-SP-FILT-001", "OR11-SP-DATA-001"],
            "offset is applied one row early, so each page repeats the last object of the one before";
        DefaultLimitWrong => "oneroster11-provider/default-limit-wrong", ["OR11-SP-PAGE-004"],
            "without a limit a page holds 25 objects instead of 100";
        OffsetBeyondTotal404 => "oneroster11-provider/offset-beyond-total-404", ["OR11-SP-PAGE-005"],
            "an offset past the end is answered 404";
        LinkTrailingComma => "oneroster11-provider/link-trailing-comma", ["OR11-SP-PAGE-006"],
            "the Link header ends with a stray comma";
        SortAfterPaging => "oneroster11-provider/sort-after-paging", ["OR11-SP-SORT-001", "OR11-SP-SORT-002"],
            "sort is applied to each page after paging";
        OrderByIgnored => "oneroster11-provider/order-by-ignored", ["OR11-SP-SORT-002"],
            "orderBy=desc is ignored";
        // Filtering.
        FilterIgnoredInCount => "oneroster11-provider/filter-ignored-in-count", ["OR11-SP-FILT-001"],
            "X-Total-Count counts the unfiltered collection";
        NotEqualAsEqual => "oneroster11-provider/not-equal-as-equal", ["OR11-SP-FILT-002"],
            "the != predicate is evaluated as =";
        AndAsOr => "oneroster11-provider/and-as-or", ["OR11-SP-FILT-003"],
            "AND between two clauses is evaluated as OR";
        FilterUnknownFieldIgnored => "oneroster11-provider/filter-unknown-field-ignored", ["OR11-SP-FILT-004"],
            "a clause on an unknown field is dropped and the data returned";
        QuotedSpacesTruncated => "oneroster11-provider/quoted-spaces-truncated", ["OR11-SP-FILT-005"],
            "a filter value is cut at its first space";
        // Fields.
        FieldsIgnored => "oneroster11-provider/fields-ignored", ["OR11-SP-FIELD-001", "OR11-SP-FIELD-002", "OR11-SP-FIELD-003"],
            "fields is ignored: every property is returned";
        UnknownFieldNoWarning => "oneroster11-provider/unknown-field-no-warning", ["OR11-SP-FIELD-002"],
            "an unknown name in fields returns all fields without the statusInfoSet warning";
        BlankFieldsAccepted => "oneroster11-provider/blank-fields-accepted", ["OR11-SP-FIELD-003"],
            "a blank fields parameter is answered 200 with every field";
        // Errors.
        UnknownId204 => "oneroster11-provider/unknown-id-204", ["OR11-SP-ERR-001", "OR11-SP-ERR-002", "OR11-SP-GB-003"],
            "an unknown sourcedId on a single-object GET is answered 204 No Content";
        ErrorBare1p2Style => "oneroster11-provider/error-bare-1p2-style", ["OR11-SP-FIELD-003", "OR11-SP-ERR-002"],
            "error bodies are the bare 1.2 status object instead of the statusInfoSet wrapper";
        // Objects and data.
        OrgIdentifierMissing => "oneroster11-provider/org-identifier-missing", ["OR11-SP-OBJ-001"],
            "orgs leave out their required identifier";
        SessionDateAsDateTime => "oneroster11-provider/session-date-as-date-time", ["OR11-SP-OBJ-002"],
            "academic session start and end dates are sent as date-times";
        CourseCodeMissing => "oneroster11-provider/course-code-missing", ["OR11-SP-OBJ-003"],
            "courses leave out their required courseCode";
        ClassTypeOutOfVocabulary => "oneroster11-provider/class-type-out-of-vocabulary", ["OR11-SP-OBJ-004"],
            "classType is sent capitalised (Scheduled)";
        UserRoleOutOfVocabulary => "oneroster11-provider/user-role-out-of-vocabulary", ["OR11-SP-OBJ-005"],
            "user roles are sent capitalised (Student, Teacher)";
        EnrollmentRoleOutOfVocabulary => "oneroster11-provider/enrollment-role-out-of-vocabulary", ["OR11-SP-OBJ-006"],
            "enrollment roles are sent capitalised";
        DuplicateSourcedId => "oneroster11-provider/duplicate-sourced-id", ["OR11-SP-DATA-001"],
            "two users are served with the same sourcedId";
        DanglingGuidRef => "oneroster11-provider/dangling-guidref", ["OR11-SP-DATA-002"],
            "one enrollment references a user that does not exist";
        SessionEndsBeforeStart => "oneroster11-provider/session-ends-before-start", ["OR11-SP-DATA-003"],
            "grading periods end before they start";
        // Gradebook and resources.
        ScoreDateAsDateTime => "oneroster11-provider/score-date-as-date-time", ["OR11-SP-GB-001"],
            "result scoreDate is sent as a date-time instead of a date";
        PutNotPersisted => "oneroster11-provider/put-not-persisted", ["OR11-SP-GB-002", "OR11-SP-GB-003"],
            "PUT answers success but stores nothing";
        DeleteNotRemoving => "oneroster11-provider/delete-not-removing", ["OR11-SP-GB-003"],
            "DELETE answers 204 but the object stays";
        ResourceImportanceOutOfVocabulary => "oneroster11-provider/resource-importance-out-of-vocabulary", ["OR11-SP-RES-001"],
            "resources carry importance high, outside the vocabulary";
    }
}

macro_rules! bends {
    ($( $(#[$m:meta])* $field:ident => $behaviour:literal, )+) => {
        /// The deviations one running provider makes: one flag per fault behaviour, all
        /// `false` for the conformant provider.
        #[derive(Debug, Clone, Default)]
        #[allow(clippy::struct_excessive_bools)]
        pub(crate) struct Bends {
            $( $(#[$m])* #[doc = concat!("`", $behaviour, "`")] pub $field: bool, )+
        }

        impl Bends {
            /// The flags for these qualified fault names; a behaviour this code does not know
            /// is the error.
            pub(crate) fn from_names<S: AsRef<str>>(names: &[S]) -> Result<Bends, String> {
                let mut b = Bends::default();
                for name in names {
                    let name = name.as_ref();
                    let behaviour = name.split_once('/').map(|(_, b)| b).unwrap_or(name);
                    match behaviour {
                        $( $behaviour => b.$field = true, )+
                        _ => return Err(name.to_owned()),
                    }
                }
                Ok(b)
            }

            /// Every behaviour this code knows.
            #[cfg(test)]
            pub(crate) const BEHAVIOURS: &'static [&'static str] = &[$($behaviour),+];
        }
    };
}

bends! {
    token_response_without_scope => "token-response-without-scope",
    token_secret_not_checked => "token-secret-not-checked",
    unauthenticated_accepted => "unauthenticated-accepted",
    invalid_token_accepted => "invalid-token-accepted",
    forbidden_instead_of_unauthorized => "403-instead-of-401",
    scopes_and_not_or => "scopes-and-not-or",
    scopes_not_checked => "token-without-scope-checks",
    relationship_scope_not_checked => "relationship-scope-not-checked",
    relationship_needs_core_too => "relationship-needs-core-too",
    demographics_scope_not_checked => "demographics-scope-not-checked",
    gradebook_scope_not_checked => "gradebook-scope-not-checked",
    gradebook_write_scope_not_checked => "gradebook-write-scope-not-checked",
    unsigned_accepted => "unsigned-accepted",
    signature_not_checked => "bad-oauth1-signature-accepted",
    space_encoded_as_plus => "space-encoded-as-plus",
    stale_timestamp_accepted => "stale-timestamp-accepted",
    nonce_replay_accepted => "nonce-replay-accepted",
    unknown_id_204 => "unknown-id-204",
    unknown_object_minor_wrong => "unknown-object-minor-wrong",
    error_wrapped_1p1_style => "error-wrapped-1p1-style",
    error_bare_1p2_style => "error-bare-1p2-style",
    unauthorized_minor_wrong => "unauthorized-minor-wrong",
    forbidden_minor_wrong => "forbidden-minor-wrong",
    unknown_parent_empty => "unknown-parent-empty",
    type_restriction_ignored => "type-restriction-ignored",
    wrong_wrapper_key => "wrong-wrapper-key",
    relationship_wrapper_wrong => "relationship-wrapper-wrong",
    relationship_leaks => "relationship-leaks",
    type_filter_ignored => "type-filter-ignored",
    single_differs_from_collection => "single-differs-from-collection",
    content_type_text => "content-type-text",
    total_count_missing => "total-count-missing",
    total_count_per_page => "total-count-per-page",
    duplicate_across_pages => "duplicate-across-pages",
    default_limit_wrong => "default-limit-wrong",
    offset_beyond_total_404 => "offset-beyond-total-404",
    unstable_order => "unstable-order",
    link_next_on_last_page => "link-next-on-last-page",
    link_trailing_comma => "link-trailing-comma",
    link_next_drops_filter => "link-next-drops-filter",
    paging_not_validated => "paging-not-validated",
    sort_after_paging => "sort-after-paging",
    order_by_ignored => "order-by-ignored",
    unknown_sort_500 => "unknown-sort-500",
    filter_ignored_in_count => "filter-ignored-in-count",
    not_equal_as_equal => "not-equal-as-equal",
    less_or_equal_exclusive => "less-or-equal-exclusive",
    contains_as_prefix => "contains-as-prefix",
    and_as_or => "and-as-or",
    or_as_and => "or-as-and",
    date_time_as_text => "date-time-as-text",
    filter_unknown_field_ignored => "filter-unknown-field-ignored",
    quoted_spaces_truncated => "quoted-spaces-truncated",
    malformed_filter_500 => "malformed-filter-500",
    apostrophe_500 => "apostrophe-500",
    fields_ignored => "fields-ignored",
    unknown_field_ignored => "unknown-field-ignored",
    unknown_field_no_warning => "unknown-field-no-warning",
    blank_fields_accepted => "blank-fields-accepted",
    fields_ignored_on_single => "fields-ignored-on-single",
    org_identifier_missing => "org-identifier-missing",
    session_date_as_date_time => "session-date-as-date-time",
    course_code_missing => "course-code-missing",
    class_type_out_of_vocabulary => "class-type-out-of-vocabulary",
    user_extra_property => "user-extra-property",
    user_role_out_of_vocabulary => "user-role-out-of-vocabulary",
    enrollment_role_out_of_vocabulary => "enrollment-role-out-of-vocabulary",
    demographics_sex_out_of_vocabulary => "demographics-sex-out-of-vocabulary",
    duplicate_sourced_id => "duplicate-sourced-id",
    dangling_guidref => "dangling-guidref",
    school_ref_to_district => "school-ref-to-district",
    boolean_as_json => "boolean-as-json",
    session_ends_before_start => "session-ends-before-start",
    tobedeleted_hidden => "tobedeleted-hidden",
    date_last_modified_offset => "date-last-modified-offset",
    two_primary_roles => "two-primary-roles",
    href_wrong_path => "href-wrong-path",
    line_item_missing_school => "line-item-missing-school",
    score_date_as_date_time => "score-date-as-date-time",
    category_weight_as_string => "category-weight-as-string",
    score_scale_without_values => "score-scale-without-values",
    class_line_items_leak => "class-line-items-leak",
    line_item_results_leak => "line-item-results-leak",
    put_not_persisted => "put-not-persisted",
    put_create_200 => "put-create-200",
    put_update_ignored => "put-update-ignored",
    exempt_dropped => "exempt-dropped",
    score_clamped => "score-clamped",
    delete_not_removing => "delete-not-removing",
    delete_unknown_204 => "delete-unknown-204",
    category_put_refused => "category-put-refused",
    line_item_category_dangling => "line-item-category-dangling",
    resource_importance_out_of_vocabulary => "resource-importance-out-of-vocabulary",
    resource_single_wrapper_wrong => "resource-single-wrapper-wrong",
    class_resources_404 => "class-resources-404",
}

impl Bends {
    /// Whether a fault lets a token through to operations needing `need` without the scope.
    pub(crate) fn checks_skipped_for(&self, need: Need) -> bool {
        let first = need.0.first().copied();
        match first {
            Some(Scope::Roster) => self.relationship_scope_not_checked,
            Some(Scope::RosterDemographics) => self.demographics_scope_not_checked,
            Some(Scope::GradebookReadonly) => self.gradebook_scope_not_checked,
            Some(
                Scope::GradebookCreatePut | Scope::GradebookCreatePost | Scope::GradebookDelete,
            ) => self.gradebook_write_scope_not_checked,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::RoleFault;

    #[test]
    fn every_fault_sets_a_known_flag() {
        for f in OneRoster12Fault::REGISTRY
            .iter()
            .chain(OneRoster11Fault::REGISTRY)
        {
            assert!(Bends::from_names(&[f.name]).is_ok(), "{}", f.name);
        }
        // And every flag is reachable by some fault.
        for b in Bends::BEHAVIOURS {
            let used = OneRoster12Fault::REGISTRY
                .iter()
                .chain(OneRoster11Fault::REGISTRY)
                .any(|f| f.name.ends_with(&format!("/{b}")));
            assert!(used, "{b} has no fault");
        }
        assert!(Bends::from_names(&["oneroster12-provider/no-such"]).is_err());
        let _ = OneRoster12Fault::table();
    }
}
