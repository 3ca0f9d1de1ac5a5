//! The reference OneRoster providers' output against the schemas. The lab starts the role
//! in-process (as the fault matrix does); every collection of every claimed service is walked
//! page by page with the config's `page_size`, and every object — plus one single-object GET per
//! collection and one unknown-id error body — is validated.
//!
//! 1.2 (`oneroster12-provider`, OAuth 2 token from the config's `token_url`, HTTP Basic client
//! auth): against the project's schema (`schemas/json/oneroster/v1p2/`) and the official OpenAPI
//! component. Ours must accept everything (the reference is conformant); the OpenAPI must too,
//! unless a difference listed in crates/plugfest-roster/tests/schema-differences.toml explains
//! its error. Each reference fault that puts objects outside the data model must be refused by
//! both. Without the shared OpenAPI files these say loudly that they did not run (a failure
//! under `CI=true`).
//!
//! 1.1 (`oneroster11-provider`, OAuth 1.0a HMAC-SHA256 on every request): against the project's
//! 1.1 schemas (there is no official 1.1 OpenAPI).

#[allow(dead_code)]
mod support;

#[path = "../../plugfest-roster/tests/schema_support/mod.rs"]
mod schema_support;

use base64::Engine as _;
use plugfest::lab;
use plugfest_core::Redactor;
use plugfest_http::client::ClientSettings;
use plugfest_http::oauth1::{self, OAuthParams, SignatureMethod};
use plugfest_http::{RecordingClient, Request};
use schema_support::{ENTITIES_V1P2, OpenApi, OurSchemas, Verdicts, listed};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

const ROLE: &str = "oneroster12-provider";
const ROLE11: &str = "oneroster11-provider";

/// The scopes asked for: every read scope of the three services (spec-notes oneroster.md §2.1).
const SCOPES: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly \
     https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly \
     https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly \
     https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.readonly \
     https://purl.imsglobal.org/spec/or/v1p2/scope/resource.readonly";

/// (service, collection path, wrapper key, entity) of every top-level collection walked.
const COLLECTIONS: [(&str, &str, &str, &str); 12] = [
    ("rostering", "orgs", "orgs", "org"),
    (
        "rostering",
        "academicSessions",
        "academicSessions",
        "academicSession",
    ),
    ("rostering", "courses", "courses", "course"),
    ("rostering", "classes", "classes", "class"),
    ("rostering", "users", "users", "user"),
    ("rostering", "enrollments", "enrollments", "enrollment"),
    ("rostering", "demographics", "demographics", "demographics"),
    ("gradebook", "categories", "categories", "category"),
    ("gradebook", "lineItems", "lineItems", "lineItem"),
    ("gradebook", "results", "results", "result"),
    ("gradebook", "scoreScales", "scoreScales", "scoreScale"),
    ("resources", "resources", "resources", "resource"),
];

/// How requests are authorised.
enum Auth {
    /// OAuth 2 bearer token (1.2).
    Bearer(String),
    /// OAuth 1.0a HMAC-SHA256 signature on each request (1.1).
    OAuth1 { key: String, secret: String },
}

/// What the lab's config says about a role.
struct Role {
    /// `v1p2` or `v1p1`.
    version: &'static str,
    base_url: String,
    token_url: Option<String>,
    client_id: String,
    client_secret: String,
    services: Vec<String>,
    page_size: u64,
    ca_pem: String,
}

impl Role {
    /// The collection URL of `path` on `service`.
    fn url(&self, service: &str, path: &str) -> String {
        match self.version {
            "v1p1" => format!("{}/v1p1/{path}", self.base_url),
            _ => format!("{}/{service}/v1p2/{path}", self.base_url),
        }
    }
}

fn role_of(config_path: &std::path::Path, text: &str, name: &str) -> Role {
    let dir = config_path.parent().expect("config folder");
    let config: toml::Table = toml::from_str(text).expect("the lab's config is TOML");
    let role = config["roles"][name]
        .as_table()
        .unwrap_or_else(|| panic!("no [roles.{name}] in the lab's config:\n{text}"));
    let s = |k: &str| {
        role.get(k)
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    let secret = |k: &str| match &role[k] {
        toml::Value::String(s) => s.clone(),
        toml::Value::Table(t) => {
            let file = t["file"].as_str().expect("secret file");
            std::fs::read_to_string(dir.join(file))
                .expect("secret file")
                .trim()
                .to_string()
        }
        other => panic!("{k}: {other:?}"),
    };
    let v1p1 = name == ROLE11;
    let ca = config["client"]["ca_bundle"]
        .as_str()
        .expect("[client] ca_bundle");
    Role {
        version: if v1p1 { "v1p1" } else { "v1p2" },
        base_url: s("base_url")
            .expect("base_url")
            .trim_end_matches('/')
            .to_string(),
        token_url: s("token_url"),
        client_id: s(if v1p1 { "consumer_key" } else { "client_id" }).expect("client id"),
        client_secret: secret(if v1p1 {
            "consumer_secret"
        } else {
            "client_secret"
        }),
        services: role
            .get("services")
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_else(|| vec!["rostering".into(), "gradebook".into(), "resources".into()]),
        page_size: role
            .get("page_size")
            .and_then(toml::Value::as_integer)
            .map_or(100, |n| n as u64),
        ca_pem: std::fs::read_to_string(dir.join(ca)).expect("CA bundle"),
    }
}

async fn get_json(
    client: &RecordingClient,
    url: &str,
    auth: &Auth,
) -> (u16, Option<Value>, String) {
    let value = match auth {
        Auth::Bearer(token) => format!("Bearer {token}"),
        Auth::OAuth1 { key, secret } => oauth1::authorization_header(
            "GET",
            url,
            &OAuthParams::fresh(key, SignatureMethod::HmacSha256),
            secret,
            &[],
        )
        .expect("OAuth 1.0a header"),
    };
    let sent = client
        .send(Request::get("schema check", url).header("authorization", &value))
        .await;
    let resp = sent.result.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert!(!resp.truncated, "GET {url}: body over the cap");
    let json = serde_json::from_slice(&resp.body).ok();
    let total = resp.header("x-total-count").unwrap_or("").to_string();
    (resp.status, json, total)
}

/// What one walk of a lab's provider found.
#[derive(Default)]
struct Walked {
    /// Objects validated.
    checked: u64,
    /// Objects per collection.
    per_collection: Vec<String>,
    /// Objects our schema refused, with the errors of both sides.
    ours_refused: Vec<String>,
    /// Objects the OpenAPI refused without a listed difference explaining it.
    theirs_unexplained: Vec<String>,
    /// Objects the OpenAPI refused (explained or not).
    theirs_refused: u64,
}

/// Start the lab's `role_name` with `faults`, authorise (1.2: a token; 1.1: OAuth 1.0a), walk
/// every collection of every claimed service (and one single GET per collection), validating
/// each object with our schema of the version and, for 1.2, the OpenAPI component.
async fn walk_provider(
    role_name: &str,
    name: &str,
    faults: &[String],
    ours: &OurSchemas,
    oas: Option<&OpenApi>,
    listed: &[schema_support::Listed],
) -> Walked {
    let dir = support::TempDir::new(name);
    let lab = lab::start(&dir.path().join("lab"), &[role_name.to_string()], faults)
        .await
        .unwrap_or_else(|e| panic!("the reference lab starts {role_name}: {e}"));
    let role = role_of(&lab.config_path, &lab.config_text, role_name);
    assert_eq!(role.version, ours.version, "schemas of the role's version");
    let client = RecordingClient::new(
        &ClientSettings {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 64 << 20,
            ca_pem: Some(role.ca_pem.clone()),
            proxy: None,
        },
        Arc::new(Redactor::new(true)),
    )
    .expect("client");
    let auth = match &role.token_url {
        Some(url) => Auth::Bearer(token(&client, &role, url).await),
        None => Auth::OAuth1 {
            key: role.client_id.clone(),
            secret: role.client_secret.clone(),
        },
    };
    let mut out = Walked::default();
    for (service, path, key, entity) in COLLECTIONS {
        if !role.services.iter().any(|s| s == service) || !ours.docs.contains_key(entity) {
            continue;
        }
        let (_, _, component, _, single_key) = ENTITIES_V1P2
            .iter()
            .find(|(e, ..)| *e == entity)
            .expect("entity");
        let mine = ours.validator(entity);
        let theirs = oas.map(|o| o.validator(service, component));
        let mut check = |what: String, object: &Value| {
            out.checked += 1;
            let (mine_errors, unexplained, theirs_errors) = match &theirs {
                Some(theirs) => {
                    let v = Verdicts::of(&mine, theirs, object);
                    let why = v.unexplained(entity, listed);
                    let theirs_errors: Vec<String> =
                        v.theirs.iter().map(|f| f.message.clone()).collect();
                    (v.ours, why, theirs_errors)
                }
                None => (schema_support::failures(&mine, object), None, Vec::new()),
            };
            if !theirs_errors.is_empty() {
                out.theirs_refused += 1;
            }
            if !mine_errors.is_empty() {
                out.ours_refused.push(format!(
                    "{what}: our schema refuses it: {:?} (OpenAPI: {theirs_errors:?})",
                    mine_errors.iter().map(|f| &f.message).collect::<Vec<_>>(),
                ));
            } else if let Some(why) = unexplained {
                out.theirs_unexplained.push(format!("{what}: {why}"));
            }
        };
        let base = role.url(service, path);
        let mut offset = 0u64;
        let mut first_id = None;
        let mut count = 0u64;
        loop {
            let url = format!("{base}?limit={}&offset={offset}", role.page_size);
            let (status, body, total) = get_json(&client, &url, &auth).await;
            assert_eq!(status, 200, "GET {url}");
            let body = body.unwrap_or_else(|| panic!("GET {url}: not JSON"));
            let Some(items) = body.get(key).and_then(Value::as_array) else {
                panic!("GET {url}: no `{key}` array");
            };
            for (i, item) in items.iter().enumerate() {
                if first_id.is_none() {
                    first_id = item["sourcedId"].as_str().map(str::to_string);
                }
                check(format!("{path}[{}]", offset + i as u64), item);
            }
            let n = items.len() as u64;
            count += n;
            offset += n;
            let total: Option<u64> = total.parse().ok();
            if n < role.page_size || total.is_some_and(|t| offset >= t) {
                break;
            }
        }
        out.per_collection.push(format!("{path} {count}"));
        assert!(count > 0, "{path}: the reference district has none");
        let id = first_id.expect("a sourcedId");
        let mut single = url::Url::parse(&base).expect("base URL");
        single.path_segments_mut().expect("a path").push(&id);
        let url = single.to_string();
        let (status, body, _) = get_json(&client, &url, &auth).await;
        assert_eq!(status, 200, "GET {url}");
        let body = body.unwrap_or_else(|| panic!("GET {url}: not JSON"));
        check(format!("{path}/{id}"), &body[*single_key]);
    }

    // One error body: an unknown sourcedId on a single-object GET (spec-notes §2.5).
    let url = format!("{}/no-such-user-4242", role.url("rostering", "users"));
    let (status, body, _) = get_json(&client, &url, &auth).await;
    let body = body.unwrap_or_else(|| panic!("GET {url} ({status}): not JSON"));
    out.checked += 1;
    let mut errors: Vec<String> = schema_support::failures(&ours.validator("error"), &body)
        .into_iter()
        .map(|f| f.message)
        .collect();
    if let Some(oas) = oas {
        let v = oas.validator("rostering", "imsx_StatusInfoDType");
        errors.extend(
            schema_support::failures(&v, &body)
                .into_iter()
                .map(|f| format!("OpenAPI {}", f.message)),
        );
    }
    if !errors.is_empty() {
        out.ours_refused
            .push(format!("{status} error body {body}: {errors:?}"));
    }
    drop(lab);
    out
}

/// An OAuth 2 client-credentials token (HTTP Basic client auth) with every read scope.
async fn token(client: &RecordingClient, role: &Role, token_url: &str) -> String {
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", role.client_id, role.client_secret));
    let sent = client
        .send(
            Request::post_form(
                "token",
                token_url,
                vec![
                    ("grant_type".into(), "client_credentials".into()),
                    ("scope".into(), SCOPES.into()),
                ],
            )
            .header("authorization", &format!("Basic {basic}")),
        )
        .await;
    let resp = sent.result.expect("token endpoint answers");
    assert_eq!(resp.status, 200, "token: {}", resp.text());
    let token: Value = serde_json::from_slice(&resp.body).expect("token JSON");
    token["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_provider_output_validates_against_both_schemas() {
    const TEST: &str = "oneroster_schemas (reference provider output)";
    let Some(oas_dir) = schema_support::openapi_dir(TEST) else {
        return;
    };
    let (oas, ours, listed) = (OpenApi::load(&oas_dir), OurSchemas::load("v1p2"), listed());
    let w = walk_provider(ROLE, "oneroster-schemas", &[], &ours, Some(&oas), &listed).await;
    eprintln!(
        "checked {} objects: {}",
        w.checked,
        w.per_collection.join(", ")
    );
    let problems: Vec<&String> = w.ours_refused.iter().chain(&w.theirs_unexplained).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}",
        problems.len(),
        problems
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

/// Faults of the reference that put objects outside the 1.2 data model; each must be refused by
/// our schema and by the OpenAPI (both directions: the clean output passes both, above).
const SCHEMA_FAULTS: [&str; 13] = [
    "org-identifier-missing",
    "session-date-as-date-time",
    "course-code-missing",
    "class-type-out-of-vocabulary",
    "user-extra-property",
    "enrollment-role-out-of-vocabulary",
    "demographics-sex-out-of-vocabulary",
    "boolean-as-json",
    "line-item-missing-school",
    "score-date-as-date-time",
    "category-weight-as-string",
    "score-scale-without-values",
    "resource-importance-out-of-vocabulary",
];

/// Walk `role` once per fault (two at a time); each must make our schema refuse some object
/// and, with `oas`, the OpenAPI too, and the OpenAPI must refuse nothing on its own.
async fn refused_under_faults(
    role: &str,
    faults: &[&str],
    ours: &OurSchemas,
    oas: Option<&OpenApi>,
    listed: &[schema_support::Listed],
) -> Vec<String> {
    use futures::StreamExt as _;
    let runs: Vec<(String, Walked)> =
        futures::stream::iter(faults.iter().map(|fault| async move {
            let name = format!("{role}/{fault}");
            let w =
                walk_provider(role, fault, std::slice::from_ref(&name), ours, oas, listed).await;
            (name, w)
        }))
        .buffered(2)
        .collect()
        .await;
    let mut missed = Vec::new();
    for (name, w) in runs {
        eprintln!(
            "{name}: ours refused {}, OpenAPI refused {} of {} objects{}",
            w.ours_refused.len(),
            w.theirs_refused,
            w.checked,
            w.ours_refused
                .first()
                .map(|s| format!("; e.g. {s}"))
                .unwrap_or_default()
        );
        if w.ours_refused.is_empty() || (oas.is_some() && w.theirs_refused == 0) {
            missed.push(format!(
                "{name}: ours refused {}, the OpenAPI {}",
                w.ours_refused.len(),
                w.theirs_refused
            ));
        }
        if !w.theirs_unexplained.is_empty() {
            missed.push(format!(
                "{name}: the OpenAPI alone refused: {:?}",
                &w.theirs_unexplained[..w.theirs_unexplained.len().min(3)]
            ));
        }
    }
    missed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faulty_output_is_refused_by_both_schemas() {
    const TEST: &str = "oneroster_schemas (faulty provider output)";
    let Some(oas_dir) = schema_support::openapi_dir(TEST) else {
        return;
    };
    let (oas, ours, listed) = (OpenApi::load(&oas_dir), OurSchemas::load("v1p2"), listed());
    let missed = refused_under_faults(ROLE, &SCHEMA_FAULTS, &ours, Some(&oas), &listed).await;
    assert!(missed.is_empty(), "\n  {}", missed.join("\n  "));
}

/// Faults of the 1.1 reference that put objects (or the error body) outside the 1.1 model.
const SCHEMA_FAULTS_11: [&str; 9] = [
    "org-identifier-missing",
    "session-date-as-date-time",
    "course-code-missing",
    "class-type-out-of-vocabulary",
    "user-role-out-of-vocabulary",
    "enrollment-role-out-of-vocabulary",
    "score-date-as-date-time",
    "resource-importance-out-of-vocabulary",
    "error-bare-1p2-style",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faulty_1p1_output_is_refused_by_our_1p1_schemas() {
    let ours = OurSchemas::load("v1p1");
    let missed = refused_under_faults(ROLE11, &SCHEMA_FAULTS_11, &ours, None, &[]).await;
    assert!(missed.is_empty(), "\n  {}", missed.join("\n  "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_1p1_provider_output_validates_against_our_1p1_schemas() {
    let ours = OurSchemas::load("v1p1");
    let w = walk_provider(ROLE11, "oneroster11-schemas", &[], &ours, None, &[]).await;
    eprintln!(
        "checked {} 1.1 objects: {}",
        w.checked,
        w.per_collection.join(", ")
    );
    assert!(
        w.ours_refused.is_empty(),
        "{} problem(s):\n  {}",
        w.ours_refused.len(),
        w.ours_refused.join("\n  ")
    );
}
