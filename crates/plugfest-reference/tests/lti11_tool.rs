//! The reference LTI 1.1 tool provider over real HTTPS on loopback: a consumer of the test's
//! own signs launches with OAuth 1.0a — an independent RFC 5849 signer written here, not the
//! crate's — and hosts a tiny outcome service that checks the tool's Basic Outcomes requests.

mod support;

use std::sync::{Arc, Mutex};

use aws_lc_rs::{digest, hmac};
use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use plugfest_reference::lti11_tool::{self, Running, Settings, StartError};
use plugfest_reference::tls::HttpsServer;
use serde_json::Value;
use support::{Pki, now, param, pct};

const KEY: &str = "plugfest-consumer";
const SECRET: &str = "s3cret&shared";
const RETURN_URL: &str = "https://lms.example/return?course=7";
const POX_NS: &str = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0";

// ---- An independent RFC 5849 signer -------------------------------------------------------

/// RFC 5849 §3.4.1: the base string of a POST to `url` (its query parameters signed too)
/// with `params` (`oauth_signature` left out).
fn base_string(url: &str, params: &[(String, String)]) -> String {
    let parsed = url::Url::parse(url).unwrap();
    let mut all: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(n, v)| (pct(&n), pct(&v)))
        .collect();
    all.extend(
        params
            .iter()
            .filter(|(n, _)| n != "oauth_signature" && n != "realm")
            .map(|(n, v)| (pct(n), pct(v))),
    );
    all.sort();
    let normalized: Vec<String> = all.iter().map(|(n, v)| format!("{n}={v}")).collect();
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let uri = format!(
        "{}://{}{port}{}",
        parsed.scheme(),
        parsed.host_str().unwrap(),
        parsed.path()
    );
    format!("POST&{}&{}", pct(&uri), pct(&normalized.join("&")))
}

#[derive(Clone, Copy, PartialEq)]
enum Sha {
    One,
    TwoFiftySix,
}

/// The oauth_body_hash of `body`: base64(SHA-1(body)).
fn body_hash(body: &str) -> String {
    STANDARD.encode(digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, body.as_bytes()).as_ref())
}

fn hmac_b64(sha: Sha, secret: &str, base: &str) -> String {
    let alg = match sha {
        Sha::One => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        Sha::TwoFiftySix => hmac::HMAC_SHA256,
    };
    let key = hmac::Key::new(alg, format!("{}&", pct(secret)).as_bytes());
    STANDARD.encode(hmac::sign(&key, base.as_bytes()).as_ref())
}

fn fresh_nonce() -> String {
    let mut bytes = [0u8; 12];
    aws_lc_rs::rand::fill(&mut bytes).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A launch to be signed: its parameters and how to sign them.
#[derive(Clone)]
struct Launch {
    params: Vec<(String, String)>,
    key: String,
    secret: String,
    declared: &'static str,
    sha: Sha,
    timestamp: u64,
}

impl Launch {
    /// A valid instructor launch on resource link `rl-a`, with a return URL.
    fn instructor() -> Self {
        Self::bare().with_params(&[
            ("resource_link_id", "rl-a"),
            ("user_id", "u-instructor"),
            ("roles", "Instructor"),
            ("lis_person_name_given", "Ada"),
            ("lis_person_name_family", "Lovelace"),
            ("lis_person_name_full", "Ada Lovelace"),
            ("lis_person_contact_email_primary", "ada@example.edu"),
            ("context_id", "ctx-1"),
            ("context_title", "Analytical Engines 101"),
            ("context_label", "AE101"),
            ("launch_presentation_return_url", RETURN_URL),
        ])
    }

    /// Only the two required LTI parameters besides resource_link_id.
    fn bare() -> Self {
        Self {
            params: vec![
                ("lti_message_type".into(), "basic-lti-launch-request".into()),
                ("lti_version".into(), "LTI-1p0".into()),
            ],
            key: KEY.into(),
            secret: SECRET.into(),
            declared: "HMAC-SHA1",
            sha: Sha::One,
            timestamp: now(),
        }
    }

    fn with_params(mut self, params: &[(&str, &str)]) -> Self {
        self.params
            .extend(params.iter().map(|(n, v)| ((*n).into(), (*v).into())));
        self
    }

    fn set(mut self, name: &str, value: &str) -> Self {
        self.params.retain(|(n, _)| n != name);
        self.params.push((name.into(), value.into()));
        self
    }

    fn without(mut self, name: &str) -> Self {
        self.params.retain(|(n, _)| n != name);
        self
    }

    /// The signed form for `url`.
    fn sign(&self, url: &str) -> Vec<(String, String)> {
        let mut params = self.params.clone();
        params.extend([
            ("oauth_consumer_key".to_owned(), self.key.clone()),
            ("oauth_signature_method".into(), self.declared.into()),
            ("oauth_timestamp".into(), self.timestamp.to_string()),
            ("oauth_nonce".into(), fresh_nonce()),
            ("oauth_version".into(), "1.0".into()),
            ("oauth_callback".into(), "about:blank".into()),
        ]);
        let signature = hmac_b64(self.sha, &self.secret, &base_string(url, &params));
        params.push(("oauth_signature".into(), signature));
        params
    }
}

// ---- Certificates, the tool, a browser ----------------------------------------------------

impl Pki {
    fn settings(&self, faults: &[&str]) -> Settings {
        support::settings!(Settings, self, faults, {
            ca_pem: Some(self.ca_pem.clone()),
            consumer_key: KEY.into(),
            consumer_secret: SECRET.into(),
        })
    }

    async fn tool(&self, faults: &[&str]) -> Running {
        lti11_tool::start(self.settings(faults)).await.unwrap()
    }
}

/// What the tool answered a launch.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    location: Option<String>,
    body: String,
}

impl Answer {
    /// The `lti_errormsg` of a redirect back to the consumer, if it is one.
    fn errormsg(&self) -> Option<String> {
        let url = url::Url::parse(self.location.as_deref()?).ok()?;
        url.query_pairs()
            .find(|(n, _)| n == "lti_errormsg")
            .map(|(_, v)| v.into_owned())
    }

    fn accepted(&self) -> bool {
        self.status == 200 && self.body.contains("Launched resource")
    }

    /// Refused back to the consumer: 302 to the return URL with lti_errormsg.
    fn returned_with_error(&self) -> bool {
        self.status == 302
            && self
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with(RETURN_URL))
            && self.errormsg().is_some_and(|m| !m.is_empty())
    }

    /// Refused with the friendly error page.
    fn error_page(&self) -> bool {
        self.status == 400 && self.content_type.starts_with("text/html")
    }
}

async fn post_form(browser: &reqwest::Client, url: &str, form: &[(String, String)]) -> Answer {
    let response = browser.post(url).form(form).send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let content_type = header("content-type").unwrap_or_default();
    let location = header("location");
    Answer {
        status: response.status().as_u16(),
        content_type,
        location,
        body: response.text().await.unwrap(),
    }
}

async fn launch(browser: &reqwest::Client, tool: &Running, launch: &Launch) -> Answer {
    post_form(browser, &tool.launch_url, &launch.sign(&tool.launch_url)).await
}

// ---- Launches -----------------------------------------------------------------------------

#[tokio::test]
async fn lti11_tool_signed_launch_is_accepted_once() {
    let pki = Pki::new();
    let tool = pki.tool(&[]).await;
    assert!(tool.launch_url.starts_with("https://127.0.0.1:"));
    assert!(tool.launch_url.ends_with("/lti11/launch"));
    assert!(tool.hook_url.ends_with("/lti11/outcomes-hook"));
    let browser = pki.client();

    let form = Launch::instructor().sign(&tool.launch_url);
    let first = post_form(&browser, &tool.launch_url, &form).await;
    assert!(first.accepted(), "{first:?}");
    assert!(first.content_type.starts_with("text/html"));
    assert!(first.body.contains("rl-a") && first.body.contains("Instructor"));
    assert!(!first.body.contains("Ada") && !first.body.contains("ada@"));

    // LTI11-TP-SEC-003: the same signed launch again is a replay.
    let replay = post_form(&browser, &tool.launch_url, &form).await;
    assert!(replay.returned_with_error(), "{replay:?}");
    let location = url::Url::parse(replay.location.as_deref().unwrap()).unwrap();
    let pairs: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("course".into(), "7".into()));
    assert!(
        pairs
            .iter()
            .any(|(n, v)| n == "lti_errorlog" && v.contains("nonce"))
    );

    // LTI11-TP-SIG-001: HMAC-SHA256.
    let mut sha256 = Launch::instructor();
    (sha256.declared, sha256.sha) = ("HMAC-SHA256", Sha::TwoFiftySix);
    assert!(launch(&browser, &tool, &sha256).await.accepted());

    // LTI11-TP-VALID-002..004: another link, learners.
    for (link, role) in [
        ("rl-b", "Instructor"),
        ("rl-a", "Learner"),
        ("rl-b", "Learner"),
    ] {
        let l = Launch::instructor()
            .set("resource_link_id", link)
            .set("roles", role)
            .set("user_id", &format!("u-{role}"));
        let answer = launch(&browser, &tool, &l).await;
        assert!(
            answer.accepted() && answer.body.contains(role),
            "{answer:?}"
        );
    }
    tool.shutdown();
}

#[tokio::test]
async fn lti11_tool_signs_over_awkward_encodings() {
    let pki = Pki::new();
    let tool = pki.tool(&[]).await;
    let browser = pki.client();
    let launches = [
        // LTI11-TP-ENC-001
        Launch::instructor().set("custom_note", "a b&c=d+e%f/g \"q\" 'r' ½ é"),
        // LTI11-TP-ENC-002
        Launch::instructor().with_params(&[("custom_a", "first"), ("custom_a1", "second")]),
        // LTI11-TP-ENC-003
        Launch::instructor().with_params(&[("custom_tag", "zeta"), ("custom_tag", "alpha")]),
    ];
    for l in &launches {
        let answer = launch(&browser, &tool, l).await;
        assert!(answer.accepted(), "{answer:?}");
    }
    // The query of the launch URL is signed too (RFC 5849 §3.4.1.3.1).
    let with_query = format!("{}?tenant=t1&x=a%20b", tool.launch_url);
    let form = Launch::instructor().sign(&with_query);
    assert!(post_form(&browser, &with_query, &form).await.accepted());

    // The same awkward launches fail under the matching normalisation faults, and only them.
    for (fault, index) in [
        ("lti11-tool/space-encoded-as-plus", 0),
        ("lti11-tool/param-sort-wrong", 1),
        ("lti11-tool/repeated-keys-last-wins", 2),
    ] {
        let faulty = pki.tool(&[fault]).await;
        for (i, l) in launches.iter().enumerate() {
            let answer = launch(&browser, &faulty, l).await;
            assert_eq!(
                answer.accepted(),
                i != index,
                "{fault} on launch {i}: {answer:?}"
            );
        }
        assert!(
            launch(&browser, &faulty, &Launch::instructor())
                .await
                .accepted()
        );
    }
}

#[tokio::test]
async fn lti11_tool_refuses_bad_launches() {
    let pki = Pki::new();
    let tool = pki.tool(&[]).await;
    let browser = pki.client();

    // LTI11-TP-SEC-005: a parameter changed after signing.
    let mut tampered = Launch::instructor().sign(&tool.launch_url);
    for (n, v) in &mut tampered {
        if n == "roles" {
            *v = "Administrator".into();
        }
    }
    let answer = post_form(&browser, &tool.launch_url, &tampered).await;
    assert!(answer.returned_with_error(), "{answer:?}");
    assert!(answer.errormsg().unwrap().contains("signature"));

    let mut wrong_key = Launch::instructor();
    wrong_key.key = "someone-else".into();
    let mut wrong_secret = Launch::instructor();
    wrong_secret.secret = "guess".into();
    let mut stale = Launch::instructor();
    stale.timestamp = now() - 3600;
    let mut future = Launch::instructor();
    future.timestamp = now() + 3600;
    let mut sha1_as_256 = Launch::instructor();
    sha1_as_256.declared = "HMAC-SHA256";
    let cases = [
        (
            "INV-001/002 no resource_link_id",
            Launch::instructor().without("resource_link_id"),
        ),
        ("INV-003 unknown key", wrong_key),
        ("INV-004 wrong secret", wrong_secret),
        (
            "INV-005",
            Launch::instructor().set("lti_version", "LTI-9p9"),
        ),
        (
            "INV-006",
            Launch::instructor().set("lti_version", "LTI-2p0"),
        ),
        ("INV-007", Launch::instructor().without("lti_version")),
        (
            "INV-008",
            Launch::instructor().set("lti_message_type", "basic-lti-launch-request-bogus"),
        ),
        ("INV-009", Launch::instructor().without("lti_message_type")),
        ("SEC-001 stale", stale),
        ("SEC-002 future", future),
        ("SEC-004 SHA-1 declared SHA-256", sha1_as_256),
    ];
    for (name, l) in cases {
        let with_return = launch(&browser, &tool, &l).await;
        let without = launch(
            &browser,
            &tool,
            &l.without("launch_presentation_return_url"),
        )
        .await;
        assert!(with_return.returned_with_error(), "{name}: {with_return:?}");
        assert!(without.error_page(), "{name}: {without:?}");
        assert!(without.body.contains("could not be opened"), "{name}");
    }

    // A return URL that is not absolute http(s) is not followed.
    let l = Launch::instructor()
        .without("resource_link_id")
        .set("launch_presentation_return_url", "javascript:alert(1)");
    assert!(launch(&browser, &tool, &l).await.error_page());
    // Not a form post.
    let response = browser
        .post(&tool.launch_url)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    // Too large.
    let big = Launch::instructor().set("custom_big", &"x".repeat(70 * 1024));
    assert_eq!(launch(&browser, &tool, &big).await.status, 413);
}

#[tokio::test]
async fn lti11_tool_accepts_every_optional_parameter_left_out() {
    let pki = Pki::new();
    let tool = pki.tool(&[]).await;
    let browser = pki.client();
    let instructor = || Launch::instructor();
    let no_person = || {
        instructor()
            .without("lis_person_name_given")
            .without("lis_person_name_family")
            .without("lis_person_name_full")
            .without("lis_person_contact_email_primary")
    };
    // Certification §3: each roles value (None: no roles parameter) and the role shown.
    let roles = [
        (
            "ROLE-001",
            Some("urn:lti:role:ims/lis/Instructor"),
            "Instructor",
        ),
        ("ROLE-002", Some("Learner,Instructor"), "Instructor"),
        (
            "ROLE-003",
            Some("urn:lti:role:ims/lis/Learner,urn:lti:role:ims/lis/Instructor"),
            "Instructor",
        ),
        (
            "ROLE-004",
            Some("urn:lti:instrole:ims/lis/Student,urn:lti:role:ims/lis/Learner"),
            "Learner",
        ),
        ("ROLE-005", None, "guest"),
        (
            "ROLE-006",
            Some("urn:lti:instrole:ims/lis/Learner"),
            "guest",
        ),
        ("ROLE-007", Some("urn:lti:instrole:ims/lis/Alumni"), "guest"),
        ("ROLE-008", Some("NotALearner"), "guest"),
    ];
    let mut cases: Vec<(&str, Launch, &str)> = roles
        .into_iter()
        .map(|(id, roles, shown)| match roles {
            Some(roles) => (id, instructor().set("roles", roles), shown),
            None => (id, instructor().without("roles"), shown),
        })
        .collect();
    // Certification §4: levels of user information.
    cases.extend([
        (
            "INFO-001",
            no_person().set("lis_person_contact_email_primary", "a@example.edu"),
            "Instructor",
        ),
        (
            "INFO-002",
            no_person().with_params(&[
                ("lis_person_name_given", "A"),
                ("lis_person_name_family", "B"),
            ]),
            "Instructor",
        ),
        (
            "INFO-003",
            no_person().set("lis_person_name_full", "A B"),
            "Instructor",
        ),
        ("INFO-004", no_person(), "Instructor"),
        (
            "INFO-005",
            no_person()
                .without("context_title")
                .without("context_label"),
            "Instructor",
        ),
        (
            "INFO-006",
            instructor()
                .without("context_id")
                .without("context_title")
                .without("context_label"),
            "Instructor",
        ),
        (
            "INFO-007",
            Launch::bare().set("resource_link_id", "rl-only"),
            "guest",
        ),
    ]);
    for (name, l, role) in cases {
        let answer = launch(&browser, &tool, &l).await;
        assert!(answer.accepted(), "{name}: {answer:?}");
        assert!(
            answer.body.contains(&format!(">{role}<")),
            "{name}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn lti11_tool_faults_bend_their_one_behaviour() {
    let pki = Pki::new();
    let browser = pki.client();

    let err = lti11_tool::start(pki.settings(&["lti13-tool/static-nonce"]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StartError::UnknownFault { ref name } if name == "lti13-tool/static-nonce")
    );

    // nonce-replay-accepted: the replay passes.
    let tool = pki.tool(&["lti11-tool/nonce-replay-accepted"]).await;
    let form = Launch::instructor().sign(&tool.launch_url);
    assert!(
        post_form(&browser, &tool.launch_url, &form)
            .await
            .accepted()
    );
    assert!(
        post_form(&browser, &tool.launch_url, &form)
            .await
            .accepted()
    );
    tool.shutdown();

    // signature-not-checked: a wrong secret passes; a stale timestamp still does not.
    let tool = pki.tool(&["lti11-tool/signature-not-checked"]).await;
    let mut wrong = Launch::instructor();
    wrong.secret = "guess".into();
    assert!(launch(&browser, &tool, &wrong).await.accepted());
    let mut stale = Launch::instructor();
    stale.timestamp = now() - 3600;
    assert!(launch(&browser, &tool, &stale).await.returned_with_error());
    tool.shutdown();

    // resource-link-not-required + no-errormsg-redirect.
    let tool = pki.tool(&["lti11-tool/no-errormsg-redirect"]).await;
    let no_link = Launch::instructor().without("resource_link_id");
    assert!(launch(&browser, &tool, &no_link).await.error_page());
    tool.shutdown();
    let tool = pki.tool(&["lti11-tool/resource-link-not-required"]).await;
    assert!(launch(&browser, &tool, &no_link).await.accepted());
    tool.shutdown();

    // Valid launches turned away, each by its own fault, others untouched.
    let tool = pki
        .tool(&[
            "lti11-tool/learner-refused",
            "lti11-tool/no-role-500",
            "lti11-tool/resource-link-switch-refused",
        ])
        .await;
    let learner = Launch::instructor().set("roles", "Learner");
    assert!(
        launch(&browser, &tool, &learner)
            .await
            .returned_with_error()
    );
    assert!(
        launch(&browser, &tool, &Launch::instructor())
            .await
            .accepted()
    );
    let no_roles = launch(&browser, &tool, &Launch::instructor().without("roles")).await;
    assert_eq!(no_roles.status, 500);
    let other_link = Launch::instructor().set("resource_link_id", "rl-b");
    assert!(
        launch(&browser, &tool, &other_link)
            .await
            .returned_with_error()
    );
    let other_user = other_link.set("user_id", "u-other");
    assert!(launch(&browser, &tool, &other_user).await.accepted());
    tool.shutdown();

    // declared-method-ignored and sha256-unsupported.
    let mut sha1_as_256 = Launch::instructor();
    sha1_as_256.declared = "HMAC-SHA256";
    let mut sha256 = Launch::instructor();
    (sha256.declared, sha256.sha) = ("HMAC-SHA256", Sha::TwoFiftySix);
    let tool = pki.tool(&["lti11-tool/declared-method-ignored"]).await;
    assert!(launch(&browser, &tool, &sha1_as_256).await.accepted());
    tool.shutdown();
    let tool = pki.tool(&["lti11-tool/sha256-unsupported"]).await;
    assert!(launch(&browser, &tool, &sha256).await.returned_with_error());
    assert!(
        launch(&browser, &tool, &Launch::instructor())
            .await
            .accepted()
    );
    tool.shutdown();
}

// ---- Basic Outcomes -----------------------------------------------------------------------

/// One request the outcome service received.
#[derive(Debug, Clone)]
struct Received {
    content_type: String,
    authorization: String,
    body: String,
}

/// A tiny outcome service: records each request and answers a POX success envelope.
struct OutcomeService {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    _server: HttpsServer,
}

impl OutcomeService {
    async fn start(pki: &Pki) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let router = Router::new().route(
            "/outcomes",
            post(move |headers: HeaderMap, body: Bytes| {
                let log = log.clone();
                async move {
                    let header = |n: &str| {
                        headers
                            .get(n)
                            .map(|v| v.to_str().unwrap().to_owned())
                            .unwrap_or_default()
                    };
                    log.lock().unwrap().push(Received {
                        content_type: header("content-type"),
                        authorization: header("authorization"),
                        body: String::from_utf8(body.to_vec()).unwrap(),
                    });
                    (
                        [("content-type", "application/xml")],
                        format!(
                            "<?xml version=\"1.0\"?><imsx_POXEnvelopeResponse xmlns=\"{POX_NS}\"><imsx_POXHeader><imsx_POXResponseHeaderInfo><imsx_version>V1.0</imsx_version><imsx_messageIdentifier>r1</imsx_messageIdentifier><imsx_statusInfo><imsx_codeMajor>success</imsx_codeMajor><imsx_severity>status</imsx_severity><imsx_messageRefIdentifier>m</imsx_messageRefIdentifier></imsx_statusInfo></imsx_POXResponseHeaderInfo></imsx_POXHeader><imsx_POXBody><replaceResultResponse/></imsx_POXBody></imsx_POXEnvelopeResponse>"
                        ),
                    )
                }
            }),
        );
        let server = pki.serve(router).await;
        Self {
            url: format!("https://{}/outcomes?tenant=t1&k=a%20b", server.local_addr()),
            received,
            _server: server,
        }
    }

    fn last(&self) -> Received {
        self.received.lock().unwrap().last().cloned().unwrap()
    }
}

/// The decoded parameters of an `Authorization: OAuth …` header (test-side parser).
fn oauth_params(header: &str) -> Vec<(String, String)> {
    let rest = header.strip_prefix("OAuth ").expect("OAuth scheme");
    rest.split(',')
        .map(|p| {
            let (n, v) = p.trim().split_once('=').unwrap();
            let v = v.trim_matches('"');
            (percent_decode(n), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// Launch as a learner with an outcome service, so the tool remembers `sourced_id`.
/// Whether an outcomes request to `url` with the OAuth `params` is signed (HMAC-SHA1) with the
/// shared secret over what was sent.
fn signed_with_secret(url: &str, params: &[(String, String)]) -> bool {
    let expected = hmac_b64(Sha::One, SECRET, &base_string(url, params));
    param(params, "oauth_signature") == Some(expected.as_str())
}

async fn graded_launch(browser: &reqwest::Client, tool: &Running, service: &str, sourced_id: &str) {
    let l = Launch::instructor().set("roles", "Learner").with_params(&[
        ("lis_outcome_service_url", service),
        ("lis_result_sourcedid", sourced_id),
    ]);
    assert!(launch(browser, tool, &l).await.accepted());
}

async fn call_hook(
    browser: &reqwest::Client,
    tool: &Running,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = browser
        .post(&tool.hook_url)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn element_text<'a>(doc: &'a roxmltree::Document, name: &str) -> Option<&'a str> {
    doc.descendants()
        .find(|n| n.tag_name().name() == name && n.tag_name().namespace() == Some(POX_NS))
        .and_then(|n| n.text())
}

#[tokio::test]
async fn lti11_tool_hook_sends_signed_pox_requests() {
    let pki = Pki::new();
    let service = OutcomeService::start(&pki).await;
    let tool = pki.tool(&[]).await;
    let browser = pki.client();
    let sourced_id = "res:42&<x>";
    graded_launch(&browser, &tool, &service.url, sourced_id).await;

    let (status, answer) = call_hook(
        &browser,
        &tool,
        &[
            ("lis_result_sourcedid", sourced_id),
            ("operation", "replaceResult"),
            ("score", "0.85"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], 200);
    assert_eq!(answer["code_major"], "success");

    let got = service.last();
    // POX-CLIENT-001
    assert_eq!(got.content_type, "application/xml");
    let params = oauth_params(&got.authorization);
    // POX-CLIENT-003: oauth_body_hash = base64(SHA-1(body)).
    let hash = body_hash(&got.body);
    assert_eq!(param(&params, "oauth_body_hash"), Some(hash.as_str()));
    // POX-CLIENT-002: the signature verifies over POST, the service URL with its query, and
    // the protocol parameters.
    assert_eq!(param(&params, "oauth_signature_method"), Some("HMAC-SHA1"));
    assert_eq!(param(&params, "oauth_consumer_key"), Some(KEY));
    assert_eq!(param(&params, "oauth_version"), Some("1.0"));
    let ts: u64 = param(&params, "oauth_timestamp").unwrap().parse().unwrap();
    assert!(ts.abs_diff(now()) < 60);
    assert!(signed_with_secret(&service.url, &params));
    // POX-CLIENT-005..008.
    let doc = roxmltree::Document::parse(&got.body).unwrap();
    assert_eq!(
        doc.root_element().tag_name().name(),
        "imsx_POXEnvelopeRequest"
    );
    assert_eq!(doc.root_element().tag_name().namespace(), Some(POX_NS));
    assert_eq!(element_text(&doc, "imsx_version"), Some("V1.0"));
    assert_eq!(element_text(&doc, "sourcedId"), Some(sourced_id));
    assert_eq!(element_text(&doc, "language"), Some("en"));
    assert_eq!(element_text(&doc, "textString"), Some("0.85"));
    let first_id = element_text(&doc, "imsx_messageIdentifier")
        .unwrap()
        .to_owned();
    let first_nonce = param(&params, "oauth_nonce").unwrap().to_owned();

    // POX-CLIENT-009 / 010: read and delete, each with a fresh message identifier and nonce.
    for (op, element) in [
        ("readResult", "readResultRequest"),
        ("deleteResult", "deleteResultRequest"),
    ] {
        let (status, answer) = call_hook(
            &browser,
            &tool,
            &[("lis_result_sourcedid", sourced_id), ("operation", op)],
        )
        .await;
        assert_eq!(
            (status, &answer["code_major"]),
            (200, &Value::from("success"))
        );
        let got = service.last();
        let doc = roxmltree::Document::parse(&got.body).unwrap();
        assert!(doc.descendants().any(|n| n.tag_name().name() == element));
        assert_eq!(element_text(&doc, "sourcedId"), Some(sourced_id));
        assert_eq!(element_text(&doc, "textString"), None);
        assert_ne!(
            element_text(&doc, "imsx_messageIdentifier"),
            Some(first_id.as_str())
        );
        let params = oauth_params(&got.authorization);
        assert_ne!(param(&params, "oauth_nonce"), Some(first_nonce.as_str()));
        assert!(signed_with_secret(&service.url, &params));
    }
    assert_eq!(service.received.lock().unwrap().len(), 3);

    // Bad hook calls: unknown sourcedId, bad operation, score out of range.
    let unknown = [
        ("lis_result_sourcedid", "nobody"),
        ("operation", "readResult"),
    ];
    assert_eq!(call_hook(&browser, &tool, &unknown).await.0, 404);
    let bad_op = [
        ("lis_result_sourcedid", sourced_id),
        ("operation", "smurfResult"),
    ];
    assert_eq!(call_hook(&browser, &tool, &bad_op).await.0, 400);
    for score in ["1.5", "-0.1", "NaN", "x", ""] {
        let form = [
            ("lis_result_sourcedid", sourced_id),
            ("operation", "replaceResult"),
            ("score", score),
        ];
        assert_eq!(call_hook(&browser, &tool, &form).await.0, 400, "{score}");
    }
    assert_eq!(service.received.lock().unwrap().len(), 3);

    // An unreachable service: 502.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("https://{}/outcomes", listener.local_addr().unwrap())
    };
    graded_launch(&browser, &tool, &closed, "gone").await;
    let form = [
        ("lis_result_sourcedid", "gone"),
        ("operation", "readResult"),
    ];
    assert_eq!(call_hook(&browser, &tool, &form).await.0, 502);
}

#[tokio::test]
async fn lti11_tool_outcome_faults_bend_the_request() {
    let pki = Pki::new();
    let service = OutcomeService::start(&pki).await;
    let browser = pki.client();
    let replace = [
        ("lis_result_sourcedid", "s1"),
        ("operation", "replaceResult"),
        ("score", "0.85"),
    ];

    let tool = pki
        .tool(&[
            "lti11-tool/outcome-body-hash-wrong",
            "lti11-tool/outcome-content-type-text-plain",
            "lti11-tool/outcome-score-percent",
            "lti11-tool/read-not-supported",
        ])
        .await;
    graded_launch(&browser, &tool, &service.url, "s1").await;
    assert_eq!(call_hook(&browser, &tool, &replace).await.0, 200);
    let got = service.last();
    assert_eq!(got.content_type, "text/plain");
    let params = oauth_params(&got.authorization);
    let hash = body_hash(&got.body);
    assert_ne!(param(&params, "oauth_body_hash"), Some(hash.as_str()));
    // The signature still covers what was sent.
    assert!(signed_with_secret(&service.url, &params));
    assert!(got.body.contains("<textString>85</textString>"));
    let read = [("lis_result_sourcedid", "s1"), ("operation", "readResult")];
    assert_eq!(call_hook(&browser, &tool, &read).await.0, 501);
    assert_eq!(service.received.lock().unwrap().len(), 1);
    tool.shutdown();

    let tool = pki
        .tool(&[
            "lti11-tool/outcome-signature-wrong",
            "lti11-tool/outcome-message-id-reused",
        ])
        .await;
    graded_launch(&browser, &tool, &service.url, "s1").await;
    assert_eq!(call_hook(&browser, &tool, &replace).await.0, 200);
    let first = service.last();
    assert_eq!(call_hook(&browser, &tool, &replace).await.0, 200);
    let second = service.last();
    let params = oauth_params(&second.authorization);
    assert!(!signed_with_secret(&service.url, &params));
    let id = |body: &str| {
        let doc = roxmltree::Document::parse(body).unwrap();
        element_text(&doc, "imsx_messageIdentifier").map(str::to_owned)
    };
    assert_eq!(id(&first.body), id(&second.body));
    tool.shutdown();
}
