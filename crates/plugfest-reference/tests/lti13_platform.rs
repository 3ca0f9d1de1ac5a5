//! The reference LTI 1.3 platform over real HTTPS on loopback: a launch from the trigger
//! through the OIDC authorization endpoint, the token endpoint with a tool's client
//! assertion, AGS, NRPS and the deep linking return — and what each refuses.

mod support;

use std::collections::HashMap;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use plugfest_reference::lti13_platform;
use serde_json::{Value, json};
use support::{Pki, now, settings};

const LOGIN: &str = "https://tool.example/login";
const LAUNCH: &str = "https://tool.example/launch";
const TRIGGER_TOKEN: &str = "0123456789abcdef0123456789abcdef";
const LI: &str = "application/vnd.ims.lis.v2.lineitem+json";

/// The test's tool: its key pair, and its key set served over HTTPS.
struct Tool {
    signing: jsonwebtoken::EncodingKey,
    kid: String,
    _server: plugfest_reference::tls::HttpsServer,
    jwks_url: String,
}

impl Tool {
    async fn start(pki: &Pki) -> Self {
        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            STANDARD.encode(pair.as_der().unwrap().as_ref())
        );
        let public = pair.public_key();
        let kid = "tool-key-1".to_owned();
        let jwks = json!({"keys": [{
            "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        }]});
        let router =
            axum::Router::new().route("/jwks", get(move || async move { axum::Json(jwks) }));
        let server = pki.serve(router).await;
        let jwks_url = format!("https://{}/jwks", server.local_addr());
        Self {
            signing: jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            kid,
            _server: server,
            jwks_url,
        }
    }

    fn sign(&self, claims: &Value) -> String {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.signing).unwrap()
    }
}

async fn platform(pki: &Pki, tool: &Tool, faults: &[&str]) -> lti13_platform::Running {
    lti13_platform::start(settings!(lti13_platform::Settings, pki, faults, {
        ca_pem: Some(pki.ca_pem.clone()),
        client_id: "tool-1".into(),
        deployment_id: "dep-1".into(),
        tool_login_url: LOGIN.into(),
        tool_redirect_uris: vec![LAUNCH.into()],
        tool_jwks_url: tool.jwks_url.clone(),
        tool_target_link_uri: LAUNCH.into(),
        trigger_token: TRIGGER_TOKEN.into(),
    }))
    .await
    .unwrap()
}

/// A response body read as JSON.
trait JsonBody {
    async fn json_value(self) -> Value;
}

impl JsonBody for reqwest::Response {
    async fn json_value(self) -> Value {
        serde_json::from_slice(&self.bytes().await.unwrap()).unwrap()
    }
}

fn query(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

/// Trigger a launch of `kind`; the login initiation's parameters.
async fn trigger(
    client: &reqwest::Client,
    p: &lti13_platform::Running,
    kind: &str,
) -> HashMap<String, String> {
    let r = client
        .get(format!("{}?launch={kind}", p.trigger_url))
        .bearer_auth(TRIGGER_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(LOGIN), "{location}");
    query(&location)
}

/// The authentication request a tool sends for `login`, with `changes` applied.
fn auth_params(
    login: &HashMap<String, String>,
    changes: &[(&str, Option<&str>)],
) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("scope", "openid"),
        ("response_type", "id_token"),
        ("client_id", "tool-1"),
        ("redirect_uri", LAUNCH),
        ("login_hint", login["login_hint"].as_str()),
        ("lti_message_hint", login["lti_message_hint"].as_str()),
        ("state", "state-123"),
        ("response_mode", "form_post"),
        ("nonce", "nonce-456"),
        ("prompt", "none"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (name, value) in changes {
        params.retain(|(k, _)| k != name);
        if let Some(v) = value {
            params.push((name.to_string(), v.to_string()));
        }
    }
    params
}

/// The status and page of an authentication request.
async fn authorize(
    client: &reqwest::Client,
    p: &lti13_platform::Running,
    params: &[(String, String)],
) -> (u16, String) {
    let r = client.post(&p.auth_url).form(params).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The value of the hidden input `name` of a form page.
fn hidden(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')?;
    Some(
        page[start..start + end]
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// The claims of `token`, verified with the platform's key set.
async fn verified_claims(
    client: &reqwest::Client,
    p: &lti13_platform::Running,
    token: &str,
) -> Value {
    let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_value(
        client
            .get(&p.jwks_url)
            .send()
            .await
            .unwrap()
            .json_value()
            .await,
    )
    .unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("kid in the key set");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["tool-1"]);
    validation.set_issuer(&[&p.issuer]);
    jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap(),
        &validation,
    )
    .unwrap()
    .claims
}

async fn launch(client: &reqwest::Client, p: &lti13_platform::Running, kind: &str) -> Value {
    let login = trigger(client, p, kind).await;
    let (status, page) = authorize(client, p, &auth_params(&login, &[])).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(hidden(&page, "state").as_deref(), Some("state-123"));
    verified_claims(client, p, &hidden(&page, "id_token").unwrap()).await
}

fn assertion(p: &lti13_platform::Running, jti: &str) -> Value {
    json!({"iss": "tool-1", "sub": "tool-1", "aud": p.token_url, "iat": now(), "exp": now() + 300, "jti": jti})
}

async fn token_request(
    client: &reqwest::Client,
    p: &lti13_platform::Running,
    jwt: &str,
    scope: &str,
) -> (u16, Value, String) {
    let r = client
        .post(&p.token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", jwt),
            ("scope", scope),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let cache = r
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, r.json_value().await, cache)
}

async fn access_token(
    client: &reqwest::Client,
    p: &lti13_platform::Running,
    tool: &Tool,
    scope: &str,
) -> String {
    let jti = format!(
        "jti-{}",
        scope.len() * 1000 + now() as usize % 1000 + rand_suffix()
    );
    let (status, body, _) = token_request(client, p, &tool.sign(&assertion(p, &jti)), scope).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

fn rand_suffix() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test]
async fn launches_carry_the_certification_payloads_and_bad_requests_get_no_token() {
    let pki = Pki::new();
    let tool = Tool::start(&pki).await;
    let p = platform(&pki, &tool, &[]).await;
    let client = pki.client();

    let student = launch(&client, &p, "student").await;
    let lti = "https://purl.imsglobal.org/spec/lti/claim/";
    assert_eq!(student[format!("{lti}version")], "1.3.0");
    assert_eq!(
        student[format!("{lti}message_type")],
        "LtiResourceLinkRequest"
    );
    assert_eq!(student[format!("{lti}deployment_id")], "dep-1");
    assert_eq!(student[format!("{lti}target_link_uri")], LAUNCH);
    assert_eq!(student["nonce"], "nonce-456");
    assert_eq!(student["azp"], "tool-1");
    assert!(student["email"].is_string());
    assert!(
        student[format!("{lti}roles")]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r.as_str().unwrap().ends_with("membership#Learner"))
    );
    assert!(student["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]["scope"].is_array());
    assert_eq!(
        student["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"]["service_versions"],
        json!(["2.0"])
    );
    let anonymous = launch(&client, &p, "instructor_anonymous").await;
    for pii in ["name", "given_name", "family_name", "email"] {
        assert!(anonymous.get(pii).is_none(), "{pii}");
    }
    assert!(!anonymous["sub"].as_str().unwrap().is_empty());

    let login = trigger(&client, &p, "instructor").await;
    for change in [
        ("redirect_uri", Some("https://evil.example/launch")),
        ("client_id", Some("tool-2")),
        ("response_type", Some("code")),
        ("scope", Some("profile")),
        ("response_mode", Some("query")),
        ("nonce", None),
        ("prompt", Some("login")),
        ("login_hint", Some("someone-else")),
        ("lti_message_hint", Some("forged")),
    ] {
        let (status, page) = authorize(&client, &p, &auth_params(&login, &[change])).await;
        assert_eq!(status, 400, "{change:?}");
        assert!(
            !page.contains("name=\"id_token\"") && !page.contains("eyJ"),
            "{change:?}: {page}"
        );
    }
    let r = client
        .get(format!("{}?launch=student", p.trigger_url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let jwks: Value = client
        .get(&p.jwks_url)
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    let key = &jwks["keys"][0];
    assert!(key["kid"].is_string() && key.get("d").is_none());
}

#[tokio::test]
async fn the_token_endpoint_checks_the_assertion_and_the_services_their_scopes() {
    let pki = Pki::new();
    let tool = Tool::start(&pki).await;
    let p = platform(&pki, &tool, &[]).await;
    let client = pki.client();
    let lineitem = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    let score = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    let results = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";

    let good = tool.sign(&assertion(&p, "jti-a"));
    let (status, body, cache) = token_request(&client, &p, &good, lineitem).await;
    assert_eq!((status, cache.as_str()), (200, "no-store"), "{body}");
    assert_eq!(body["scope"], lineitem);
    let (status, body, _) = token_request(&client, &p, &good, lineitem).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_client")),
        "replayed jti"
    );
    let mut issuer_aud = assertion(&p, "jti-b");
    issuer_aud["aud"] = json!(p.issuer);
    assert_eq!(
        token_request(&client, &p, &tool.sign(&issuer_aud), lineitem)
            .await
            .0,
        200
    );
    for (name, value) in [
        ("aud", json!("https://other.example/token")),
        ("iss", json!("tool-2")),
        ("exp", json!(now() - 60)),
    ] {
        let mut claims = assertion(&p, &format!("jti-{name}"));
        claims[name] = value;
        assert_eq!(
            token_request(&client, &p, &tool.sign(&claims), lineitem)
                .await
                .0,
            400,
            "{name}"
        );
    }
    let (status, body, _) = token_request(
        &client,
        &p,
        &tool.sign(&assertion(&p, "jti-c")),
        "https://example.com/unknown",
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let forged = format!("{}x", &tool.sign(&assertion(&p, "jti-d"))[..]);
    assert_eq!(token_request(&client, &p, &forged, lineitem).await.0, 400);

    // AGS with one-scope tokens.
    let li_token = access_token(&client, &p, &tool, lineitem).await;
    let container = format!(
        "{}/lti13/contexts/{}/lineitems",
        p.base_url, p.sandbox_context
    );
    let created = client
        .post(&container)
        .bearer_auth(&li_token)
        .header("content-type", LI)
        .body(
            json!({"label": "Quiz", "scoreMaximum": 20, "tag": "grade", "resourceId": "q-1"})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let item: Value = created.json_value().await;
    let item_url = item["id"].as_str().unwrap().to_owned();
    let wrong_type = client
        .post(&container)
        .bearer_auth(&li_token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);
    let not_acceptable = client
        .get(&item_url)
        .bearer_auth(&li_token)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(not_acceptable.status(), 406);
    let score_token = access_token(&client, &p, &tool, score).await;
    let refused = client
        .post(&container)
        .bearer_auth(&score_token)
        .header("content-type", LI)
        .body(json!({"label": "x", "scoreMaximum": 1}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let post = |ts: &str, given: f64| {
        client
            .post(format!("{item_url}/scores"))
            .bearer_auth(&score_token)
            .header("content-type", "application/vnd.ims.lis.v1.score+json")
            .body(json!({"userId": "plat-user-0002", "timestamp": ts, "scoreGiven": given, "scoreMaximum": 10,
                "activityProgress": "Completed", "gradingProgress": "FullyGraded"}).to_string())
            .send()
    };
    assert_eq!(
        post("2026-03-01T10:00:00.000Z", 5.0)
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        post("2026-03-01T09:00:00.000Z", 1.0)
            .await
            .unwrap()
            .status(),
        409
    );
    let results_token = access_token(&client, &p, &tool, results).await;
    let r = client
        .get(format!("{item_url}/results"))
        .bearer_auth(&results_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.ims.lis.v2.resultcontainer+json"
    );
    let rs: Value = r.json_value().await;
    assert_eq!(rs[0]["resultScore"], json!(10.0));
    assert_eq!(
        client
            .delete(&item_url)
            .bearer_auth(&results_token)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        client
            .delete(&item_url)
            .bearer_auth(&li_token)
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        client
            .get(&item_url)
            .bearer_auth(&li_token)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // NRPS paging and role filter.
    let nrps_token = access_token(
        &client,
        &p,
        &tool,
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    )
    .await;
    let roster = format!(
        "{}/lti13/contexts/{}/memberships",
        p.base_url, p.sandbox_context
    );
    let r = client
        .get(format!("{roster}?limit=2"))
        .bearer_auth(&nrps_token)
        .send()
        .await
        .unwrap();
    let links: Vec<String> = r
        .headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        links.iter().any(|l| l.contains("rel=\"next\""))
            && links.iter().any(|l| l.contains("rel=\"differences\"")),
        "{links:?}"
    );
    let page: Value = r.json_value().await;
    assert_eq!(page["members"].as_array().unwrap().len(), 2);
    let learners: Value = client
        .get(format!("{roster}?role=Learner"))
        .bearer_auth(&nrps_token)
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert!(
        learners["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["roles"].to_string().contains("Learner"))
    );
    assert_eq!(
        client
            .get(&roster)
            .bearer_auth(&li_token)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn the_deep_linking_return_accepts_a_valid_response_once() {
    let pki = Pki::new();
    let tool = Tool::start(&pki).await;
    let p = platform(&pki, &tool, &[]).await;
    let client = pki.client();
    let request = launch(&client, &p, "deep_linking").await;
    let settings = &request["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"];
    assert_eq!(
        request["https://purl.imsglobal.org/spec/lti/claim/message_type"],
        "LtiDeepLinkingRequest"
    );
    let return_url = settings["deep_link_return_url"].as_str().unwrap();
    let response = |nonce: &str, aud: &str, deployment: &str| {
        json!({
            "iss": "tool-1", "aud": aud, "iat": now(), "exp": now() + 300, "nonce": nonce,
            "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiDeepLinkingResponse",
            "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": deployment,
            "https://purl.imsglobal.org/spec/lti-dl/claim/data": settings["data"],
            "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [
                {"type": "ltiResourceLink", "title": "Chapter 1", "url": LAUNCH,
                 "lineItem": {"scoreMaximum": 25, "resourceId": "chapter-1", "tag": "dl"}}
            ],
        })
    };
    let post = |jwt: String| client.post(return_url).form(&[("JWT", jwt)]).send();
    let valid = tool.sign(&response("n-1", &p.issuer, "dep-1"));
    assert_eq!(post(valid.clone()).await.unwrap().status(), 200);
    assert_eq!(post(valid).await.unwrap().status(), 400, "replay");
    assert_eq!(
        post(tool.sign(&response("n-2", "https://other.example", "dep-1")))
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        post(tool.sign(&response("n-3", &p.issuer, "dep-9")))
            .await
            .unwrap()
            .status(),
        400
    );
    let tampered = tool.sign(&response("n-4", &p.issuer, "dep-1"));
    let (input, _) = tampered.rsplit_once('.').unwrap();
    let other = tool.sign(&response("n-5", &p.issuer, "dep-1"));
    let forged = format!("{input}.{}", other.rsplit_once('.').unwrap().1);
    assert_eq!(post(forged).await.unwrap().status(), 400);
    assert_eq!(
        post(tool.sign(&response("n-4", &p.issuer, "dep-1")))
            .await
            .unwrap()
            .status(),
        200
    );

    // The deep-linked resource link's line item exists, bound to the new link.
    let token = access_token(
        &client,
        &p,
        &tool,
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    )
    .await;
    let container = format!(
        "{}/lti13/contexts/{}/lineitems?resource_id=chapter-1",
        p.base_url, p.sandbox_context
    );
    let items = client
        .get(&container)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0]["label"], "Chapter 1");
    assert_eq!(items[0]["scoreMaximum"], json!(25.0));
    assert!(
        items[0]["resourceLinkId"]
            .as_str()
            .unwrap()
            .contains("-dl-")
    );
}
