//! Plugfest's token endpoint (Sec §4.1.1, Core §6.2), and the checks of the token requests a
//! tool sends it: the client-credentials grant with a JWT-bearer client assertion signed by the
//! tool's key, `iss` = `sub` = client_id, `aud` naming the token endpoint, `exp`, `iat`, `jti`.
//!
//! The endpoint issues a token for any well-formed client-credentials request whose scopes it
//! knows, even when the assertion is defective: the defect is judged by its own requirement, and
//! the token lets the tool's service calls be judged by theirs. Scopes are granted only as
//! registered ([`REGISTERED_SCOPES`]).

use super::platform_services::{
    Auth, Issued, REGISTERED_SCOPES, ServiceCall, Services, TOKEN_LIFETIME, TokenRequest,
    header_pairs,
};
use super::platform_tool_jwt;
use crate::jws;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use plugfest_core::Finding;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

/// RFC 7523 §2.2 / Sec §4.1.1: the client assertion type of a JWT-bearer assertion.
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Clock skew allowed on `exp` and `iat`, in seconds.
const LEEWAY_SECS: i64 = 60;

/// `POST /lti13/platform/token`: record the request, then answer as RFC 6749 §5.1/§5.2 say.
pub(crate) async fn token(
    State(services): State<Arc<Services>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let assertion = get("client_assertion").unwrap_or("");
    let signature = platform_tool_jwt::verify(assertion, &services.tool_keys()).map(|_| ());
    let requested: Vec<String> = get("scope")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let granted: Vec<String> = requested
        .iter()
        .filter(|s| REGISTERED_SCOPES.contains(&s.as_str()))
        .cloned()
        .collect();
    let outcome = if get("grant_type") != Some("client_credentials") {
        Err("unsupported_grant_type".to_string())
    } else if assertion.is_empty() {
        Err("invalid_client".to_string())
    } else if granted.is_empty() {
        // RFC 6749 §3.3: a scope the server does not know is `invalid_scope`.
        Err("invalid_scope".to_string())
    } else {
        Ok((plugfest_core::Seed::from_os().to_hex(), granted.clone()))
    };
    let seq = services.record_token_request(TokenRequest {
        seq: 0,
        form: form.clone(),
        headers: header_pairs(&headers),
        assertion: jws::decode_unverified(assertion),
        signature,
        requested,
        outcome: outcome.clone(),
    });
    match outcome {
        Ok((token, scopes)) => {
            services.lock().tokens.insert(
                token.clone(),
                Issued {
                    scopes: scopes.clone(),
                    expires: Instant::now() + TOKEN_LIFETIME,
                    request: seq,
                },
            );
            // Sec §4.1 / RFC 6749 §5.1: the token response, never cached.
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/json;charset=UTF-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                json!({
                    "access_token": token,
                    "token_type": "Bearer",
                    "expires_in": TOKEN_LIFETIME.as_secs(),
                    "scope": scopes.join(" "),
                })
                .to_string(),
            )
                .into_response()
        }
        Err(error) => (
            StatusCode::BAD_REQUEST,
            [
                (header::CONTENT_TYPE, "application/json;charset=UTF-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json!({"error": error}).to_string(),
        )
            .into_response(),
    }
}

/// Core §6.2: tools "MUST retrieve these access tokens using the JSON Web Token (JWT) Profile for
/// OAuth 2.0 Client Authentication"; Sec §4.1.1: `grant_type=client_credentials`,
/// `client_assertion_type` jwt-bearer, and a `client_assertion` signed with the tool's key.
pub fn assertion_grant(req: &TokenRequest) -> Finding {
    let check = "platform_token::assertion_grant";
    let problem = if req.param("grant_type") != Some("client_credentials") {
        Some((
            "grant_type is not client_credentials".to_string(),
            req.param("grant_type").unwrap_or("(absent)").to_string(),
        ))
    } else if req.param("client_assertion_type") != Some(ASSERTION_TYPE) {
        Some((
            "client_assertion_type is not the JWT-bearer type".to_string(),
            req.param("client_assertion_type")
                .unwrap_or("(absent)")
                .to_string(),
        ))
    } else if let Err(why) = &req.signature {
        Some((
            "the client assertion does not verify with the tool's key set".to_string(),
            why.clone(),
        ))
    } else {
        None
    };
    match problem {
        None => Finding::met(
            check,
            "a client-credentials grant with a JWT-bearer assertion whose RS256 signature verifies with the tool's key set",
        ),
        Some((message, observed)) => Finding::not_met(
            check,
            message,
            format!(
                "grant_type=client_credentials, client_assertion_type={ASSERTION_TYPE}, a client_assertion signed with a key of the tool's key set"
            ),
            observed,
        ),
    }
}

fn claims(req: &TokenRequest) -> Value {
    req.assertion
        .as_ref()
        .map(|(_, c)| c.clone())
        .unwrap_or(Value::Null)
}

/// Core §6.2: "the client assertion JWT `iss` and `sub` must both be the OAuth 2 `client_id` of
/// the tool as issued by the learning platform during registration".
pub fn assertion_identifies_client(req: &TokenRequest, client_id: &str) -> Finding {
    let check = "platform_token::assertion_identifies_client";
    let c = claims(req);
    let iss = c.get("iss").and_then(Value::as_str);
    let sub = c.get("sub").and_then(Value::as_str);
    if iss == Some(client_id) && sub == Some(client_id) {
        Finding::met(
            check,
            format!("iss and sub are the client_id `{client_id}`"),
        )
    } else {
        Finding::not_met(
            check,
            "the client assertion's iss and sub are not both the client_id",
            format!("iss = sub = `{client_id}`"),
            format!(
                "iss {}, sub {}",
                iss.map_or("(absent)".into(), |v| format!("`{v}`")),
                sub.map_or("(absent)".into(), |v| format!("`{v}`"))
            ),
        )
        .at("client_assertion")
    }
}

/// Sec §4.1.1: `aud` "MUST contain a value that identifies the authorization server" (here its
/// token endpoint URL), and `iat`, `exp` and `jti` are required; `exp` is in the future.
pub fn assertion_claims(req: &TokenRequest, token_url: &str, now: i64) -> Finding {
    let check = "platform_token::assertion_claims";
    let c = claims(req);
    let aud_ok = match c.get("aud") {
        Some(Value::String(a)) => a == token_url,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(token_url)),
        _ => false,
    };
    let iat = c.get("iat").and_then(Value::as_i64);
    let exp = c.get("exp").and_then(Value::as_i64);
    let jti = c
        .get("jti")
        .and_then(Value::as_str)
        .filter(|j| !j.is_empty());
    let problem = if !aud_ok {
        Some(format!(
            "aud is {}",
            c.get("aud").map_or("(absent)".into(), |a| a.to_string())
        ))
    } else if iat.is_none() {
        Some("no numeric iat".to_string())
    } else if exp.is_none_or(|e| e + LEEWAY_SECS < now || Some(e) < iat) {
        Some(format!(
            "exp {} is not after iat and now",
            exp.map_or("(absent)".into(), |e| e.to_string())
        ))
    } else if jti.is_none() {
        Some("no jti".to_string())
    } else {
        None
    };
    match problem {
        None => Finding::met(
            check,
            format!("aud names {token_url}; iat, exp and jti are present and current"),
        ),
        Some(p) => Finding::not_met(
            check,
            "the client assertion's claims are not those Sec §4.1.1 requires",
            format!("aud containing {token_url}, a numeric iat, an exp in the future, a jti"),
            p,
        )
        .at("client_assertion"),
    }
}

fn describe(call: &ServiceCall) -> String {
    format!("{} {}", call.method, call.path())
}

/// Core §6.2: "Access tokens MUST protect all the services"; each call carries a bearer token
/// Plugfest's token endpoint issued and that has not expired (`None` when `calls` is empty).
pub fn calls_carry_issued_token(calls: &[ServiceCall]) -> Option<Finding> {
    let check = "platform_token::calls_carry_issued_token";
    let first = calls.first()?;
    let bad = calls
        .iter()
        .find(|c| matches!(c.auth, Auth::Missing | Auth::Unknown | Auth::Expired));
    Some(match bad {
        None => Finding::met(
            check,
            format!(
                "{} call(s), each with a bearer token from Plugfest's token endpoint",
                calls.len()
            ),
        ),
        Some(c) => Finding::not_met(
            check,
            format!("{} did not carry a valid bearer token", describe(c)),
            "Authorization: Bearer <a token from the platform's token endpoint>",
            format!("{:?} (answered {})", c.auth, c.status),
        )
        .at(format!("call at {}", first.context)),
    })
}

/// AGS §3.2, §3.3.2, §3.4.2, NRPS (binding): each call's token has a scope that allows it
/// (`None` when `calls` is empty).
pub fn calls_have_scope(calls: &[ServiceCall]) -> Option<Finding> {
    let check = "platform_token::calls_have_scope";
    calls.first()?;
    let bad = calls.iter().find(|c| c.auth != Auth::Granted);
    Some(match bad {
        None => Finding::met(
            check,
            format!(
                "{} call(s), each with a token holding the scope it needs",
                calls.len()
            ),
        ),
        Some(c) => {
            let (expected, observed) = match &c.auth {
                Auth::WrongScope { needed, had } => (
                    format!("a token with one of: {}", needed.join(", ")),
                    format!("a token with: {} (answered {})", had.join(", "), c.status),
                ),
                other => (
                    "a token with the needed scope".to_string(),
                    format!("{other:?} (answered {})", c.status),
                ),
            };
            Finding::not_met(
                check,
                format!("{} was made without the scope it needs", describe(c)),
                expected,
                observed,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(form: &[(&str, &str)], claims: Value) -> TokenRequest {
        TokenRequest {
            seq: 0,
            form: form
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            headers: vec![],
            assertion: Some((json!({"alg": "RS256"}), claims)),
            signature: Ok(()),
            requested: vec![],
            outcome: Err("x".into()),
        }
    }

    const URL: &str = "https://p.example/token";

    #[test]
    fn a_good_assertion_meets_every_check() {
        let r = req(
            &[
                ("grant_type", "client_credentials"),
                ("client_assertion_type", ASSERTION_TYPE),
            ],
            json!({"iss": "c", "sub": "c", "aud": [URL], "iat": 100, "exp": 400, "jti": "j"}),
        );
        assert!(assertion_grant(&r).met);
        assert!(assertion_identifies_client(&r, "c").met);
        assert!(assertion_claims(&r, URL, 200).met);
    }

    #[test]
    fn defects_are_reported() {
        let mut r = req(
            &[("grant_type", "client_credentials")],
            json!({"iss": "t", "sub": "c", "aud": "https://elsewhere", "iat": 100, "exp": 400}),
        );
        assert!(!assertion_grant(&r).met);
        assert!(!assertion_identifies_client(&r, "c").met);
        assert!(
            assertion_claims(&r, URL, 200)
                .observed
                .unwrap()
                .contains("aud")
        );
        r.assertion = Some((json!({}), json!({"aud": URL, "iat": 100, "exp": 400})));
        assert_eq!(
            assertion_claims(&r, URL, 200).observed.as_deref(),
            Some("no jti")
        );
        assert!(!assertion_claims(&r, URL, 1000).met);
        r.form
            .push(("client_assertion_type".into(), ASSERTION_TYPE.into()));
        r.signature = Err("bad".into());
        assert_eq!(assertion_grant(&r).observed.as_deref(), Some("bad"));
    }
}
