//! The reference LTI 1.1 **consumer** (an LMS): a conformant basic launch (IG11 "Basic Launch
//! Data", signed with OAuth 1.0a as RFC 5849 §3.4 defines) and the Basic Outcomes service (IG11
//! §6, the POX binding), served over HTTPS, with the named faults of [`Lti11ConsumerFault`].
//!
//! Endpoints: `GET /lti11/launch-form?role=learner|instructor[&placement=graded|ungraded]` (an
//! auto-submitting HTML form that posts a signed launch to the registered tool),
//! `GET /lti11/return` (the `launch_presentation_return_url`), `POST /lti11/outcomes` (the
//! `lis_outcome_service_url`). [`start`] binds and spawns it; [`Running`] says where it is and
//! stops it.

mod auth;
mod fault;
mod gradebook;
mod launch_form;
mod outcomes;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::{get, post};
use url::Url;

use crate::oauth1::NonceCache;
use crate::pox::MAX_POX_BYTES;
use crate::serve;
use crate::tls;

pub use fault::Lti11ConsumerFault;

serve::settings! {
    /// How to run the consumer: where, with which certificate, and the tool registered with it.
    "lti11-consumer" {
        /// The OAuth consumer key the tool knows this LMS by.
        consumer_key: String,
        /// The secret shared with the tool.
        consumer_secret: String => redacted,
        /// The registered tool's launch URL (absolute): where the launch form posts.
        tool_launch_url: String,
    }
}

serve::start_error! {
    "lti11-consumer", "consumer",
    /// A setting that cannot be used (an unparsable or relative tool URL, an empty key).
    Settings,
}

serve::running! {
    /// A running consumer: its URLs, and the server, which stops when this is dropped.
    "consumer" {
        /// The launch form of a learner in the graded placement
        /// (`{base_url}/lti11/launch-form?role=learner`).
        launch_form_url_learner,
        /// The launch form of an instructor (`{base_url}/lti11/launch-form?role=instructor`).
        launch_form_url_instructor,
        /// The Basic Outcomes service (`{base_url}/lti11/outcomes`), as launches announce it.
        outcomes_url,
        /// The `launch_presentation_return_url` (`{base_url}/lti11/return`).
        return_url,
    }
}

/// The consumer's registration of its one tool.
#[derive(Debug)]
pub(crate) struct ToolRegistration {
    pub consumer_key: String,
    pub consumer_secret: String,
    /// The launch URL exactly as registered: the form's action and the signed URL.
    pub launch_url: String,
    /// The same, parsed.
    pub launch_url_parsed: Url,
}

/// The consumer's own URLs.
#[derive(Debug)]
pub(crate) struct ConsumerUrls {
    pub base: String,
    pub outcomes: String,
    pub return_url: String,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct ConsumerState {
    pub tool: ToolRegistration,
    pub urls: ConsumerUrls,
    pub gradebook: gradebook::Gradebook,
    pub nonces: NonceCache,
    pub launch_faults: launch_form::LaunchFaults,
    pub auth_faults: auth::AuthFaults,
    pub service_faults: outcomes::ServiceFaults,
}

/// The consumer's routes, body limit and request timeout.
pub(crate) fn router(state: Arc<ConsumerState>) -> Router {
    let routes = Router::new()
        .route("/lti11/launch-form", get(launch_form::launch_form))
        .route("/lti11/return", get(launch_form::return_page))
        .route("/lti11/outcomes", post(outcomes::outcomes));
    serve::limited(routes, MAX_POX_BYTES).with_state(state)
}

/// Start the consumer on the current tokio runtime; returns once it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let faults: fault::FaultSet = settings.fault_set()?;
    let launch_url = Url::parse(&settings.tool_launch_url)
        .map_err(|e| StartError::Settings(format!("tool_launch_url: {e}")))?;
    if !matches!(launch_url.scheme(), "https" | "http") || launch_url.host_str().is_none() {
        return Err(StartError::Settings(
            "tool_launch_url: not an absolute http(s) URL".into(),
        ));
    }
    if settings.consumer_key.is_empty() || settings.consumer_secret.is_empty() {
        return Err(StartError::Settings(
            "consumer_key and consumer_secret must not be empty".into(),
        ));
    }
    tls::install_crypto_provider();

    let (server, base) = settings
        .serve(|base| {
            let state = ConsumerState {
                tool: ToolRegistration {
                    consumer_key: settings.consumer_key.clone(),
                    consumer_secret: settings.consumer_secret.clone(),
                    launch_url: settings.tool_launch_url.clone(),
                    launch_url_parsed: launch_url,
                },
                urls: urls(base),
                gradebook: gradebook::Gradebook::default(),
                nonces: NonceCache::new(),
                launch_faults: launch_form::LaunchFaults::from_set(&faults),
                auth_faults: auth::AuthFaults::from_set(&faults),
                service_faults: outcomes::ServiceFaults::from_set(&faults),
            };
            router(Arc::new(state))
        })
        .await?;
    let urls = urls(&base);
    Ok(Running {
        launch_form_url_learner: format!("{}/lti11/launch-form?role=learner", urls.base),
        launch_form_url_instructor: format!("{}/lti11/launch-form?role=instructor", urls.base),
        outcomes_url: urls.outcomes,
        return_url: urls.return_url,
        base_url: urls.base,
        server,
    })
}

/// The consumer's URLs under `base` (`https://IP:PORT`).
fn urls(base: &str) -> ConsumerUrls {
    ConsumerUrls {
        outcomes: format!("{base}/lti11/outcomes"),
        return_url: format!("{base}/lti11/return"),
        base: base.to_owned(),
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::launch_form::{Placement, Role, SignedLaunch, signed_launch};
    use super::*;
    use crate::oauth1::{self, Method, Quirks};
    use crate::pox::{CodeMajor, Operation, PoxRequest, ResponseBody, ResultScore};

    const TOOL_URL: &str = "https://tool.example:8443/lti/launch?tenant=t1";
    const NOW: u64 = 1_750_000_000;

    fn state(faults: &[&str]) -> ConsumerState {
        let set = fault::FaultSet::parse(faults).unwrap();
        ConsumerState {
            tool: ToolRegistration {
                consumer_key: "lms-key".into(),
                consumer_secret: "lms-secret".into(),
                launch_url: TOOL_URL.into(),
                launch_url_parsed: Url::parse(TOOL_URL).unwrap(),
            },
            urls: urls("https://127.0.0.1:4443"),
            gradebook: gradebook::Gradebook::default(),
            nonces: NonceCache::new(),
            launch_faults: launch_form::LaunchFaults::from_set(&set),
            auth_faults: auth::AuthFaults::from_set(&set),
            service_faults: outcomes::ServiceFaults::from_set(&set),
        }
    }

    fn get<'a>(launch: &'a SignedLaunch, name: &str) -> Option<&'a str> {
        launch
            .params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the launch's signature verifies the way a conformant tool checks it.
    fn verifies(launch: &SignedLaunch) -> bool {
        verifies_with(launch, Quirks::default())
    }

    /// Whether the launch's signature verifies over a base string built with `quirks`.
    fn verifies_with(launch: &SignedLaunch, quirks: Quirks) -> bool {
        let base = oauth1::base_string("POST", TOOL_URL, &launch.params, quirks);
        oauth1::verify(
            Method::HmacSha1,
            &base,
            "lms-secret",
            get(launch, "oauth_signature").unwrap(),
        )
    }

    fn learner(state: &ConsumerState) -> SignedLaunch {
        signed_launch(state, Role::Learner, Placement::Graded, NOW)
    }

    #[test]
    fn a_clean_learner_launch_carries_the_basic_launch_data_and_verifies() {
        let s = state(&[]);
        let launch = learner(&s);
        assert_eq!(launch.action, TOOL_URL);
        for (name, value) in [
            ("lti_message_type", "basic-lti-launch-request"),
            ("lti_version", "LTI-1p0"),
            ("roles", "Learner"),
            ("context_type", "CourseSection"),
            (
                "launch_presentation_return_url",
                "https://127.0.0.1:4443/lti11/return",
            ),
            ("launch_presentation_locale", "en-US"),
            (
                "tool_consumer_info_product_family_code",
                "plugfest-reference-lms",
            ),
            (
                "lis_outcome_service_url",
                "https://127.0.0.1:4443/lti11/outcomes",
            ),
            ("custom_a", "first"),
            ("custom_a1", "second"),
            ("oauth_callback", "about:blank"),
            ("oauth_consumer_key", "lms-key"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1750000000"),
            ("oauth_version", "1.0"),
        ] {
            assert_eq!(get(&launch, name), Some(value), "{name}");
        }
        for name in [
            "resource_link_id",
            "resource_link_title",
            "resource_link_description",
            "user_id",
            "lis_person_name_given",
            "lis_person_name_family",
            "lis_person_name_full",
            "lis_person_contact_email_primary",
            "context_id",
            "context_title",
            "context_label",
            "tool_consumer_instance_guid",
            "tool_consumer_info_version",
            "lis_result_sourcedid",
            "custom_note",
        ] {
            assert!(get(&launch, name).is_some_and(|v| !v.is_empty()), "{name}");
        }
        assert!(get(&launch, "oauth_nonce").unwrap().len() >= 32);
        assert!(verifies(&launch));
        // Every parameter once.
        let mut names: Vec<_> = launch.params.iter().map(|(n, _)| n).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), launch.params.len());

        // A second launch: fresh nonce, same placement and sourcedId.
        let again = learner(&s);
        assert_ne!(get(&launch, "oauth_nonce"), get(&again, "oauth_nonce"));
        assert_eq!(
            get(&launch, "lis_result_sourcedid"),
            get(&again, "lis_result_sourcedid")
        );
        assert_eq!(
            get(&launch, "resource_link_id"),
            get(&again, "resource_link_id")
        );
    }

    #[test]
    fn only_learners_in_the_graded_placement_get_outcome_parameters() {
        let s = state(&[]);
        let instructor = signed_launch(&s, Role::Instructor, Placement::Graded, NOW);
        assert_eq!(get(&instructor, "roles"), Some("Instructor"));
        assert!(verifies(&instructor));
        let ungraded = signed_launch(&s, Role::Learner, Placement::Ungraded, NOW);
        assert_ne!(
            get(&ungraded, "resource_link_id"),
            get(&instructor, "resource_link_id")
        );
        for launch in [&instructor, &ungraded] {
            assert_eq!(get(launch, "lis_outcome_service_url"), None);
            assert_eq!(get(launch, "lis_result_sourcedid"), None);
        }
    }

    /// Each launch fault: the parameters it may change (besides the OAuth values that change
    /// on every launch), what it must look like, and whether the signature still verifies.
    #[test]
    fn each_launch_fault_bends_only_its_parameter() {
        let clean = learner(&state(&[]));
        type Check = fn(&SignedLaunch) -> bool;
        let cases: &[(&str, &[&str], Check, bool)] = &[
            (
                "form-action-wrong",
                &[],
                |l| l.action == "https://tool.example:8443/not-the-registered-launch-url",
                true,
            ),
            (
                "message-type-wrong",
                &["lti_message_type"],
                |l| get(l, "lti_message_type") == Some("LtiResourceLinkRequest"),
                true,
            ),
            (
                "lti-version-wrong",
                &["lti_version"],
                |l| get(l, "lti_version") == Some("LTI-2p0"),
                true,
            ),
            (
                "resource-link-missing",
                &["resource_link_id"],
                |l| get(l, "resource_link_id").is_none(),
                true,
            ),
            (
                "oauth-callback-missing",
                &["oauth_callback"],
                |l| get(l, "oauth_callback").is_none(),
                true,
            ),
            ("signature-wrong-secret", &[], |_| true, false),
            ("param-sort-wrong", &[], |_| true, false),
            ("space-encoded-as-plus", &[], |_| true, false),
            (
                "stale-timestamp",
                &[],
                |l| get(l, "oauth_timestamp") == Some("1749996400"),
                true,
            ),
            (
                "static-nonce",
                &[],
                |l| get(l, "oauth_nonce") == Some("0123456789abcdef0123456789abcdef"),
                true,
            ),
            (
                "no-user-id",
                &["user_id"],
                |l| get(l, "user_id").is_none(),
                true,
            ),
            ("no-roles", &["roles"], |l| get(l, "roles").is_none(), true),
            (
                "no-resource-link-title",
                &["resource_link_title"],
                |l| get(l, "resource_link_title").is_none(),
                true,
            ),
            (
                "no-product-family",
                &["tool_consumer_info_product_family_code"],
                |l| get(l, "tool_consumer_info_product_family_code").is_none(),
                true,
            ),
            (
                "no-version",
                &["tool_consumer_info_version"],
                |l| get(l, "tool_consumer_info_version").is_none(),
                true,
            ),
            (
                "relative-return-url",
                &["launch_presentation_return_url"],
                |l| get(l, "launch_presentation_return_url") == Some("/lti11/return"),
                true,
            ),
            (
                "no-context-id",
                &["context_id"],
                |l| get(l, "context_id").is_none(),
                true,
            ),
            (
                "no-outcome-params",
                &["lis_outcome_service_url", "lis_result_sourcedid"],
                |l| {
                    get(l, "lis_outcome_service_url").is_none()
                        && get(l, "lis_result_sourcedid").is_none()
                },
                true,
            ),
            (
                "outcome-url-http",
                &["lis_outcome_service_url"],
                |l| get(l, "lis_outcome_service_url") == Some("http://lms.invalid/lti11/outcomes"),
                true,
            ),
        ];
        let varying = [
            "oauth_nonce",
            "oauth_signature",
            "oauth_timestamp",
            "lis_result_sourcedid",
        ];
        for (behaviour, may_change, check, still_verifies) in cases {
            let name = format!("lti11-consumer/{behaviour}");
            let launch = learner(&state(&[name.as_str()]));
            assert!(
                check(&launch) && !check(&clean) || !still_verifies,
                "{name}"
            );
            assert_eq!(verifies(&launch), *still_verifies, "{name}");
            if !behaviour.starts_with("form-action") {
                assert_eq!(launch.action, clean.action, "{name}");
            }
            for (n, v) in &clean.params {
                if !varying.contains(&n.as_str()) && !may_change.contains(&n.as_str()) {
                    assert_eq!(get(&launch, n), Some(v.as_str()), "{name} changed {n}");
                }
            }
            for (n, _) in &launch.params {
                assert!(get(&clean, n).is_some(), "{name} added {n}");
            }
        }
        // The static nonce repeats across launches (and consumers).
        let s = state(&["lti11-consumer/static-nonce"]);
        assert_eq!(
            get(&learner(&s), "oauth_nonce"),
            get(&learner(&s), "oauth_nonce")
        );
    }

    #[test]
    fn signature_quirk_faults_sign_with_their_quirk() {
        let sorted = Quirks::with(|q| q.sort_joined_pairs = true);
        let plus = Quirks::with(|q| q.space_as_plus = true);
        for (fault, quirks) in [
            ("param-sort-wrong", sorted),
            ("space-encoded-as-plus", plus),
        ] {
            let name = format!("lti11-consumer/{fault}");
            let launch = learner(&state(&[name.as_str()]));
            assert!(verifies_with(&launch, quirks), "{name}");
        }
    }

    fn op(operation: Operation) -> PoxRequest {
        PoxRequest {
            message_identifier: "m-1".into(),
            operation_name: "op".into(),
            operation,
        }
    }

    fn replace(sid: &str, text: &str) -> PoxRequest {
        op(Operation::ReplaceResult {
            sourced_id: sid.into(),
            score: Some(ResultScore {
                language: "en".into(),
                text: text.into(),
            }),
        })
    }

    fn read(sid: &str) -> PoxRequest {
        op(Operation::ReadResult {
            sourced_id: sid.into(),
        })
    }

    fn delete(sid: &str) -> PoxRequest {
        op(Operation::DeleteResult {
            sourced_id: sid.into(),
        })
    }

    /// The cert table 8.2–8.8 and the unknown sourcedId, run against a consumer with `faults`:
    /// (code major and read text) of each step.
    fn run_table(faults: &[&str]) -> Vec<(CodeMajor, ResponseBody)> {
        let s = state(faults);
        let sid = s.gradebook.sourced_id("u", "rl");
        let steps = [
            replace(&sid, "0.92"),
            read(&sid),
            delete(&sid),
            read(&sid),
            op(Operation::Unknown),
            replace(&sid, "42"),
            replace(&sid, "smurf"),
            read("sid-unknown"),
        ];
        steps
            .iter()
            .map(|r| {
                let o = outcomes::perform(&s, r);
                (o.code_major, o.body)
            })
            .collect()
    }

    #[test]
    fn the_clean_service_answers_the_certification_table() {
        use CodeMajor::*;
        let read = |t: &str| ResponseBody::Read(Some(t.into()));
        assert_eq!(
            run_table(&[]),
            vec![
                (Success, ResponseBody::Replace),
                (Success, read("0.92")),
                (Success, ResponseBody::Delete),
                (Success, read("")),
                (Unsupported, ResponseBody::Empty),
                (Failure, ResponseBody::Replace),
                (Failure, ResponseBody::Replace),
                (Failure, read("")),
            ]
        );
    }

    #[test]
    fn each_service_fault_changes_only_its_rows() {
        let clean = run_table(&[]);
        let cases: &[(&str, &[usize])] = &[
            ("replace-answers-failure", &[0, 1]),
            ("read-wrong-score", &[1]),
            ("delete-unsupported", &[2, 3]),
            ("read-after-delete-keeps-score", &[3]),
            ("unsupported-op-as-failure", &[4]),
            ("score-range-not-checked", &[5]),
            ("non-numeric-accepted", &[6]),
            ("unknown-sourcedid-accepted", &[7]),
        ];
        for (behaviour, rows) in cases {
            let name = format!("lti11-consumer/{behaviour}");
            let got = run_table(&[name.as_str()]);
            for (i, (c, g)) in clean.iter().zip(&got).enumerate() {
                assert_eq!(rows.contains(&i), c != g, "{name} row {i}: {c:?} vs {g:?}");
            }
        }
        let keeps = run_table(&["lti11-consumer/read-wrong-score"]);
        assert_eq!(keeps[1].1, ResponseBody::Read(Some("92".into())));
    }
}
