//! The reference LTI 1.3 tool over real HTTPS on loopback: a platform of the test's own (a key
//! set server and a signing key) logs in, signs an id_token and launches.

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use axum::Router;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use plugfest_reference::lti13_tool::{self, Running, Settings, StartError};
use plugfest_reference::tls::HttpsServer;
use serde_json::{Value, json};
use support::Pki;

const ISSUER: &str = "https://platform.example";
const AUTH_URL: &str = "https://platform.example/auth?tenant=t1";
const CLIENT_ID: &str = "tool-client";
const DEPLOYMENT_ID: &str = "dep-1";
const KID: &str = "platform-key-1";
const INSTRUCTOR: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";

/// A CA, a server certificate for 127.0.0.1 it signed, a platform signing key and its key set
/// served over HTTPS.
struct Platform {
    pki: Pki,
    signing_key: EncodingKey,
    /// The signing key's public half as `-----BEGIN PUBLIC KEY-----` PEM text.
    public_pem: String,
    /// The JWKs the key set server lists (a rotation adds one).
    keys: Arc<Mutex<Vec<Value>>>,
    jwks: HttpsServer,
}

/// A fresh RSA key: its signing key, its public JWK under `kid`, its public key PEM.
fn rsa_key(kid: &str) -> (EncodingKey, Value, String) {
    let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    let pkcs8 = pair.as_der().unwrap();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        STANDARD.encode(pkcs8.as_ref())
    );
    let signing_key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
    let public = pair.public_key();
    let jwk = json!({
        "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
        "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
        "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
    });
    let spki: PublicKeyX509Der = public.as_der().unwrap();
    let body = STANDARD.encode(spki.as_ref());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    let public_pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        lines.join("\n")
    );
    (signing_key, jwk, public_pem)
}

impl Platform {
    async fn new() -> Self {
        let pki = Pki::new();
        let (signing_key, jwk, public_pem) = rsa_key(KID);
        let keys = Arc::new(Mutex::new(vec![jwk]));
        let served = keys.clone();
        let router = Router::new().route(
            "/jwks",
            get(move || {
                let served = served.clone();
                async move { json!({"keys": *served.lock().unwrap()}).to_string() }
            }),
        );
        let jwks = pki.serve(router).await;
        Self {
            pki,
            signing_key,
            public_pem,
            keys,
            jwks,
        }
    }

    fn settings(&self, faults: &[&str]) -> Settings {
        support::settings!(Settings, self.pki, faults, {
            ca_pem: Some(self.pki.ca_pem.clone()),
            platform_issuer: ISSUER.into(),
            platform_jwks_url: format!("https://{}/jwks", self.jwks.local_addr()),
            platform_auth_url: AUTH_URL.into(),
            client_id: CLIENT_ID.into(),
            deployment_id: DEPLOYMENT_ID.into(),
            platform_token_url: None,
        })
    }

    async fn tool(&self, faults: &[&str]) -> Running {
        lti13_tool::start(self.settings(faults)).await.unwrap()
    }

    /// A browser: no redirects followed, cookies kept, only the test CA trusted.
    fn browser(&self) -> reqwest::Client {
        self.pki.client_keeping_cookies()
    }

    fn sign(&self, claims: &Value) -> String {
        sign_with(Algorithm::RS256, Some(KID), claims, &self.signing_key)
    }

    /// Rotate: list a new key (kid `platform-key-2`) beside the old one, and return it.
    fn rotate(&self) -> EncodingKey {
        let (signing_key, jwk, _) = rsa_key("platform-key-2");
        self.keys.lock().unwrap().push(jwk);
        signing_key
    }
}

fn sign_with(alg: Algorithm, kid: Option<&str>, claims: &Value, key: &EncodingKey) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).unwrap()
}

/// What the login's authentication request carried.
struct AuthRequest {
    params: Vec<(String, String)>,
}

impl AuthRequest {
    fn get(&self, name: &str) -> Option<&str> {
        support::param(&self.params, name)
    }
}

async fn login(browser: &reqwest::Client, tool: &Running) -> AuthRequest {
    let response = browser
        .get(&tool.login_url)
        .query(&[
            ("iss", ISSUER),
            ("login_hint", "user-42"),
            ("target_link_uri", tool.target_link_uri.as_str()),
            ("lti_message_hint", "msg hint/ü"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("https://platform.example/auth?"),
        "{location}"
    );
    let url = url::Url::parse(location).unwrap();
    AuthRequest {
        params: url.query_pairs().into_owned().collect(),
    }
}

fn claims(tool: &Running, auth: &AuthRequest, roles: &[&str]) -> Value {
    let now = support::now();
    json!({
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "user-42",
        "name": "Ada Lovelace",
        "email": "ada@example.edu",
        "exp": now + 300,
        "iat": now,
        "nonce": auth.get("nonce").unwrap(),
        "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest",
        "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id": DEPLOYMENT_ID,
        "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": tool.target_link_uri,
        "https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "rl-1"},
        "https://purl.imsglobal.org/spec/lti/claim/roles": roles,
    })
}

async fn post_launch(
    browser: &reqwest::Client,
    tool: &Running,
    id_token: &str,
    state: &str,
) -> (u16, String) {
    let response = browser
        .post(&tool.launch_url)
        .form(&[("id_token", id_token), ("state", state)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn lti13_tool_login_then_launch_is_accepted_once() {
    let platform = Platform::new().await;
    let tool = platform.tool(&[]).await;
    assert!(tool.base_url.starts_with("https://127.0.0.1:"));
    let browser = platform.browser();

    let auth = login(&browser, &tool).await;
    assert_eq!(auth.get("scope"), Some("openid"));
    assert_eq!(auth.get("response_type"), Some("id_token"));
    assert_eq!(auth.get("response_mode"), Some("form_post"));
    assert_eq!(auth.get("prompt"), Some("none"));
    assert_eq!(auth.get("client_id"), Some(CLIENT_ID));
    assert_eq!(auth.get("redirect_uri"), Some(tool.launch_url.as_str()));
    assert_eq!(auth.get("login_hint"), Some("user-42"));
    assert_eq!(auth.get("lti_message_hint"), Some("msg hint/ü"));
    assert_eq!(auth.get("tenant"), Some("t1"));
    let state = auth.get("state").unwrap().to_owned();
    assert!(state.len() >= 22 && auth.get("nonce").unwrap().len() >= 22);

    let id_token = platform.sign(&claims(&tool, &auth, &[INSTRUCTOR]));
    let (status, body) = post_launch(&browser, &tool, &id_token, &state).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<h1>Launched</h1>") && body.contains("instructor"));
    assert!(!body.contains("Ada") && !body.contains("ada@"));

    let (status, body) = post_launch(&browser, &tool, &id_token, &state).await;
    assert_eq!(status, 400, "{body}");
    assert!(!body.contains('\n') || body.trim_end().lines().count() == 1);

    // A second login gives a fresh state and nonce.
    let again = login(&browser, &tool).await;
    assert_ne!(again.get("state"), Some(state.as_str()));
    assert_ne!(again.get("nonce"), auth.get("nonce"));

    let jwks = browser.get(&tool.jwks_url).send().await.unwrap();
    let jwks: Value = serde_json::from_str(&jwks.text().await.unwrap()).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(
        (key["kty"].as_str(), key["alg"].as_str()),
        (Some("RSA"), Some("RS256"))
    );
    assert!(key.get("d").is_none() && key["kid"].is_string());
    assert_eq!(
        browser
            .get(&tool.target_link_uri)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tool.shutdown();
}

#[tokio::test]
async fn lti13_tool_refuses_bad_logins_and_launches() {
    let platform = Platform::new().await;
    let tool = platform.tool(&[]).await;
    let browser = platform.browser();

    let status = |r: reqwest::Response| r.status().as_u16();
    let wrong_iss = browser
        .post(&tool.login_url)
        .form(&[
            ("iss", "https://evil.example"),
            ("login_hint", "u"),
            ("target_link_uri", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(status(wrong_iss), 400);
    let wrong_client = browser
        .post(&tool.login_url)
        .form(&[
            ("iss", ISSUER),
            ("login_hint", "u"),
            ("target_link_uri", "x"),
            ("client_id", "someone-else"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(status(wrong_client), 400);

    // Anonymous launch (no sub) is accepted, Core §5.3.6.1.
    let auth = login(&browser, &tool).await;
    let mut anonymous = claims(&tool, &auth, &[]);
    anonymous.as_object_mut().unwrap().remove("sub");
    let (code, body) = post_launch(
        &browser,
        &tool,
        &platform.sign(&anonymous),
        auth.get("state").unwrap(),
    )
    .await;
    assert_eq!((code, body.contains("anonymous")), (200, true), "{body}");

    // Wrong audience: 401.
    let auth = login(&browser, &tool).await;
    let mut c = claims(&tool, &auth, &[]);
    c["aud"] = json!("other-tool");
    let (code, _) = post_launch(
        &browser,
        &tool,
        &platform.sign(&c),
        auth.get("state").unwrap(),
    )
    .await;
    assert_eq!(code, 401);

    // alg none: 400, and the state survives for the real token.
    let auth = login(&browser, &tool).await;
    let c = claims(&tool, &auth, &[]);
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"platform-key-1"}"#),
        URL_SAFE_NO_PAD.encode(c.to_string())
    );
    let state = auth.get("state").unwrap();
    assert_eq!(post_launch(&browser, &tool, &unsigned, state).await.0, 400);
    // Unknown kid (after one re-fetch of the key set): 400.
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("rotated-away".into());
    let other_kid = jsonwebtoken::encode(&header, &c, &platform.signing_key).unwrap();
    assert_eq!(post_launch(&browser, &tool, &other_kid, state).await.0, 400);
    // A state that does not match the browser's cookie: 400.
    let stranger = platform.browser();
    assert_eq!(
        post_launch(&stranger, &tool, &platform.sign(&c), state)
            .await
            .0,
        400
    );
    assert_eq!(
        post_launch(&browser, &tool, &platform.sign(&c), state)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn lti13_tool_faults_bend_their_one_behaviour() {
    let platform = Platform::new().await;

    let err = lti13_tool::start(platform.settings(&["lti13-platform/static-nonce"]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StartError::UnknownFault { ref name } if name == "lti13-platform/static-nonce")
    );

    let tool = platform
        .tool(&[
            "lti13-tool/static-nonce",
            "lti13-tool/auth-request-prompt-login",
        ])
        .await;
    let browser = platform.browser();
    let a = login(&browser, &tool).await;
    let id_token = platform.sign(&claims(&tool, &a, &[]));
    let (code, body) = post_launch(&browser, &tool, &id_token, a.get("state").unwrap()).await;
    assert_eq!(code, 200, "{body}");
    let b = login(&browser, &tool).await;
    assert_eq!(a.get("nonce"), b.get("nonce"));
    assert_eq!(b.get("prompt"), Some("login"));
    let id_token_b = platform.sign(&claims(&tool, &b, &[]));
    assert_eq!(
        post_launch(&browser, &tool, &id_token_b, b.get("state").unwrap())
            .await
            .0,
        200
    );
    // Replaying the first token is still refused: its state is spent.
    assert_eq!(
        post_launch(&browser, &tool, &id_token, a.get("state").unwrap())
            .await
            .0,
        400
    );
    tool.shutdown();

    let tool = platform
        .tool(&[
            "lti13-tool/nonce-replay-accepted",
            "lti13-tool/refuses-with-500",
        ])
        .await;
    let browser = platform.browser();
    let auth = login(&browser, &tool).await;
    let id_token = platform.sign(&claims(&tool, &auth, &[]));
    let state = auth.get("state").unwrap();
    assert_eq!(post_launch(&browser, &tool, &id_token, state).await.0, 200);
    assert_eq!(post_launch(&browser, &tool, &id_token, state).await.0, 200);
    assert_eq!(post_launch(&browser, &tool, "garbage", state).await.0, 500);
    let addr: SocketAddr = tool.local_addr();
    tool.shutdown();
    // The listener is closed at once; the port can be bound again.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    drop(tokio::net::TcpListener::bind(addr).await.unwrap());

    let tool = platform.tool(&["lti13-tool/launch-answers-404"]).await;
    let browser = platform.browser();
    let auth = login(&browser, &tool).await;
    let id_token = platform.sign(&claims(&tool, &auth, &[]));
    assert_eq!(
        post_launch(&browser, &tool, &id_token, auth.get("state").unwrap())
            .await
            .0,
        404
    );
}

/// A POST login with this target_link_uri: the status and the authentication request.
async fn post_login(
    browser: &reqwest::Client,
    tool: &Running,
    target_link_uri: &str,
) -> (u16, Option<AuthRequest>) {
    let response = browser
        .post(&tool.login_url)
        .form(&[
            ("iss", ISSUER),
            ("login_hint", "user-42"),
            ("target_link_uri", target_link_uri),
            ("lti_message_hint", "m"),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let auth = response.headers().get("location").map(|l| AuthRequest {
        params: url::Url::parse(l.to_str().unwrap())
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect(),
    });
    (status, auth)
}

#[tokio::test]
async fn lti13_tool_login_by_get_and_post_keeps_the_registered_redirect_uri() {
    const FOREIGN: &str = "https://elsewhere.plugfest.invalid/x";
    let platform = Platform::new().await;
    let tool = platform.tool(&[]).await;
    let browser = platform.browser();

    // GET (the `login` helper) and POST both work.
    let auth = login(&browser, &tool).await;
    assert_eq!(auth.get("redirect_uri"), Some(tool.launch_url.as_str()));
    let (status, auth) = post_login(&browser, &tool, FOREIGN).await;
    let auth = auth.unwrap();
    assert_eq!(status, 302);
    // A foreign target_link_uri never becomes the redirect_uri.
    assert_eq!(auth.get("redirect_uri"), Some(tool.launch_url.as_str()));
    assert_eq!(auth.get("lti_message_hint"), Some("m"));
    // The launch is checked against the login's target_link_uri.
    let mut c = claims(&tool, &auth, &[]);
    let state = auth.get("state").unwrap();
    c["https://purl.imsglobal.org/spec/lti/claim/target_link_uri"] = json!(FOREIGN);
    let (code, body) = post_launch(&browser, &tool, &platform.sign(&c), state).await;
    assert_eq!(code, 200, "{body}");
    tool.shutdown();

    let tool = platform
        .tool(&[
            "lti13-tool/login-rejects-get",
            "lti13-tool/redirect-uri-follows-foreign-target-link",
            "lti13-tool/lti-message-hint-dropped",
            "lti13-tool/short-state",
            "lti13-tool/short-nonce",
        ])
        .await;
    let get = browser
        .get(&tool.login_url)
        .query(&[
            ("iss", ISSUER),
            ("login_hint", "u"),
            ("target_link_uri", tool.target_link_uri.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    let (_, auth) = post_login(&browser, &tool, &tool.target_link_uri).await;
    let auth = auth.unwrap();
    assert_eq!(auth.get("redirect_uri"), Some(tool.launch_url.as_str()));
    assert_eq!(auth.get("lti_message_hint"), None);
    for value in [auth.get("state").unwrap(), auth.get("nonce").unwrap()] {
        assert!(value.len() == 8 && value.chars().all(|c| c.is_ascii_hexdigit()));
    }
    let (_, auth) = post_login(&browser, &tool, FOREIGN).await;
    assert_eq!(auth.unwrap().get("redirect_uri"), Some(FOREIGN));
}

#[tokio::test]
async fn lti13_tool_refuses_hs256_key_confusion_unless_faulty() {
    let platform = Platform::new().await;
    let secret = EncodingKey::from_secret(platform.public_pem.as_bytes());
    for (faults, accepted) in [
        (&[][..], false),
        (&["lti13-tool/hs256-accepted-with-public-key"][..], true),
    ] {
        let tool = platform.tool(faults).await;
        let browser = platform.browser();
        let auth = login(&browser, &tool).await;
        let c = claims(&tool, &auth, &[INSTRUCTOR]);
        let state = auth.get("state").unwrap();
        let forged = sign_with(Algorithm::HS256, Some(KID), &c, &secret);
        let (code, body) = post_launch(&browser, &tool, &forged, state).await;
        assert_eq!(code == 200, accepted, "{faults:?}: {code} {body}");
        if !accepted {
            assert_eq!(code, 400, "{body}");
            // The real token still launches: the refused one spent nothing.
            assert_eq!(
                post_launch(&browser, &tool, &platform.sign(&c), state)
                    .await
                    .0,
                200
            );
        } else {
            // Keyed with anything else, HS256 is still refused.
            let auth = login(&browser, &tool).await;
            let c = claims(&tool, &auth, &[INSTRUCTOR]);
            let wrong = EncodingKey::from_secret(b"not the public key");
            let token = sign_with(Algorithm::HS256, Some(KID), &c, &wrong);
            let state = auth.get("state").unwrap();
            assert_eq!(post_launch(&browser, &tool, &token, state).await.0, 400);
        }
    }
}

#[tokio::test]
async fn lti13_tool_refuses_a_token_without_kid_unless_faulty() {
    let platform = Platform::new().await;
    for (faults, expected) in [
        (&[][..], 400),
        (&["lti13-tool/missing-kid-uses-first-key"][..], 200),
    ] {
        let tool = platform.tool(faults).await;
        let browser = platform.browser();
        let auth = login(&browser, &tool).await;
        let c = claims(&tool, &auth, &[]);
        let token = sign_with(Algorithm::RS256, None, &c, &platform.signing_key);
        let (code, body) = post_launch(&browser, &tool, &token, auth.get("state").unwrap()).await;
        assert_eq!(code, expected, "{faults:?}: {body}");
    }
}

#[tokio::test]
async fn lti13_tool_refuses_a_launch_without_state_unless_faulty() {
    let platform = Platform::new().await;
    for (faults, expected) in [(&[][..], 400), (&["lti13-tool/state-not-checked"][..], 200)] {
        let tool = platform.tool(faults).await;
        let browser = platform.browser();
        let auth = login(&browser, &tool).await;
        let token = platform.sign(&claims(&tool, &auth, &[]));
        let response = browser
            .post(&tool.launch_url)
            .form(&[("id_token", token.as_str())])
            .send()
            .await
            .unwrap();
        let code = response.status().as_u16();
        assert_eq!(
            code,
            expected,
            "{faults:?}: {}",
            response.text().await.unwrap()
        );
        // Under the fault the login found by nonce is spent too: a replay is refused.
        let replay = browser
            .post(&tool.launch_url)
            .form(&[("id_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 400);
    }
}

#[tokio::test]
async fn lti13_tool_follows_a_platform_key_rotation_unless_cached_forever() {
    let platform = Platform::new().await;
    let conformant = platform.tool(&[]).await;
    let cached = platform.tool(&["lti13-tool/jwks-cached-forever"]).await;
    let browser = platform.browser();
    // Both tools fetch and cache the key set with the first key.
    for tool in [&conformant, &cached] {
        let auth = login(&browser, tool).await;
        let token = platform.sign(&claims(tool, &auth, &[]));
        assert_eq!(
            post_launch(&browser, tool, &token, auth.get("state").unwrap())
                .await
                .0,
            200
        );
    }
    let new_key = platform.rotate();
    for (tool, expected) in [(&conformant, 200), (&cached, 400)] {
        let auth = login(&browser, tool).await;
        let c = claims(tool, &auth, &[]);
        let token = sign_with(Algorithm::RS256, Some("platform-key-2"), &c, &new_key);
        let (code, body) = post_launch(&browser, tool, &token, auth.get("state").unwrap()).await;
        assert_eq!(code, expected, "{body}");
    }
}

#[tokio::test]
async fn lti13_tool_key_set_faults() {
    let platform = Platform::new().await;
    let browser = platform.browser();
    let tool = platform.tool(&["lti13-tool/jwks-unreachable"]).await;
    assert_eq!(
        browser.get(&tool.jwks_url).send().await.unwrap().status(),
        404
    );
    let tool = platform
        .tool(&[
            "lti13-tool/jwks-key-without-kid",
            "lti13-tool/jwks-leaks-private-key",
        ])
        .await;
    let jwks = browser.get(&tool.jwks_url).send().await.unwrap();
    let jwks: Value = serde_json::from_str(&jwks.text().await.unwrap()).unwrap();
    let key = &jwks["keys"][0];
    assert!(key.get("kid").is_none());
    for member in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        assert!(key[member].is_string(), "{member}");
    }
}

/// The value of the first `name="…" value="…"` input of a page (the deep linking form).
fn form_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\""))?;
    let rest = &page[at..];
    let start = rest.find("value=\"")? + "value=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_owned())
}

#[tokio::test]
async fn lti13_tool_answers_a_deep_linking_request_with_a_signed_response() {
    let platform = Platform::new().await;
    let tool = platform.tool(&[]).await;
    let browser = platform.browser();
    let auth = login(&browser, &tool).await;
    let mut request = claims(&tool, &auth, &[INSTRUCTOR]);
    let obj = request.as_object_mut().unwrap();
    obj.remove("https://purl.imsglobal.org/spec/lti/claim/resource_link");
    obj.insert(
        "https://purl.imsglobal.org/spec/lti/claim/message_type".into(),
        json!("LtiDeepLinkingRequest"),
    );
    obj.insert(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings".into(),
        json!({
            "deep_link_return_url": "https://platform.example/dl-return?x=1&y=2",
            "accept_types": ["link", "html"],
            "accept_presentation_document_targets": ["iframe"],
            "accept_multiple": true,
            "data": "opaque <data>",
        }),
    );
    let state = auth.get("state").unwrap().to_owned();
    let (status, page) = post_launch(&browser, &tool, &platform.sign(&request), &state).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("method=\"post\""), "{page}");
    assert!(page.contains("action=\"https://platform.example/dl-return?x=1&amp;y=2\""));
    let jwt = form_value(&page, "JWT").expect("a JWT parameter");

    let jwks: Value = serde_json::from_str(
        &browser
            .get(&tool.jwks_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwks["keys"][0].clone()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
    validation.set_audience(&[ISSUER]);
    validation.set_issuer(&[CLIENT_ID]);
    let decoded = jsonwebtoken::decode::<Value>(
        &jwt,
        &jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap(),
        &validation,
    )
    .expect("signed with the tool's published key, iss = client_id, aud = platform issuer");
    let c = decoded.claims;
    let lti = |n: &str| c[format!("https://purl.imsglobal.org/spec/lti/claim/{n}")].clone();
    assert_eq!(lti("message_type"), "LtiDeepLinkingResponse");
    assert_eq!(lti("version"), "1.3.0");
    assert_eq!(lti("deployment_id"), DEPLOYMENT_ID);
    assert_eq!(
        c["https://purl.imsglobal.org/spec/lti-dl/claim/data"],
        "opaque <data>"
    );
    assert!(c["nonce"].as_str().is_some_and(|n| !n.is_empty()));
    let types: Vec<&str> = c["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["link", "html"]);
    tool.shutdown();
}
