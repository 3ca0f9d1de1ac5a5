//! Plugfest as an OAuth 2 client of the platform's token endpoint (Sec §4.1.1, Core §6.2): a
//! client_credentials grant authenticated by a JWT-bearer client assertion (RFC 7523) signed by
//! Plugfest's tool key — valid, or with one deliberate defect — and the checks of the answer.

use crate::jws;
use crate::keys::{KeyError, SigningKey};
use plugfest_core::Finding;
use plugfest_http::{Request, Response};
use serde_json::{Value, json};

/// RFC 7523 §2.2: the client assertion type of a JWT bearer assertion.
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
pub use crate::lti13::platform_services::{
    SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_NRPS, SCOPE_RESULT_READONLY, SCOPE_SCORE,
};
/// A scope no platform knows.
pub const SCOPE_UNKNOWN: &str = "https://plugfest.invalid/scope/no-such-scope";

/// The full scope URI of a short AGS/NRPS scope name (`lineitem`, `result.readonly`, `score`,
/// `contextmembership.readonly`, …), or the name itself when it already is a URI.
pub fn scope_uri(short: &str) -> String {
    match short {
        "lineitem" => SCOPE_LINEITEM.into(),
        "lineitem.readonly" => SCOPE_LINEITEM_READONLY.into(),
        "result.readonly" => SCOPE_RESULT_READONLY.into(),
        "score" => SCOPE_SCORE.into(),
        "contextmembership.readonly" => SCOPE_NRPS.into(),
        other => other.into(),
    }
}

/// A deliberate defect of a client assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssertionDefect {
    /// None: a valid assertion.
    None,
    /// `aud` names someone else.
    WrongAudience,
    /// `iss` and `sub` are another client's ID.
    OtherClient,
    /// Issued ten minutes ago, expired five minutes ago.
    Expired,
    /// The payload altered after signing.
    BadSignature,
    /// Signed by a key Plugfest never published (a kid not in its key set).
    UnknownKey,
}

/// The claims of a client assertion (Sec §4.1.1: iss = sub = client_id, aud, iat, exp, jti).
pub fn claims(
    client_id: &str,
    audience: &str,
    jti: &str,
    now: i64,
    defect: AssertionDefect,
) -> Value {
    let (iss, aud, iat, exp) = match defect {
        AssertionDefect::OtherClient => ("plugfest-not-this-client", audience, now, now + 300),
        AssertionDefect::WrongAudience => (
            client_id,
            "https://plugfest.invalid/not-this-platform",
            now,
            now + 300,
        ),
        AssertionDefect::Expired => (client_id, audience, now - 600, now - 300),
        _ => (client_id, audience, now, now + 300),
    };
    json!({"iss": iss, "sub": iss, "aud": aud, "iat": iat, "exp": exp, "jti": jti})
}

/// A signed client assertion with `defect`.
pub fn assertion(
    key: &SigningKey,
    client_id: &str,
    audience: &str,
    jti: &str,
    defect: AssertionDefect,
) -> Result<String, KeyError> {
    let now = super::now_secs();
    let c = claims(client_id, audience, jti, now, defect);
    match defect {
        AssertionDefect::BadSignature => {
            let token = jws::sign(json!({}), &c, key)?;
            let mut altered = c.clone();
            altered["jti"] = json!(format!("{jti}-altered"));
            Ok(jws::with_payload(&token, &altered))
        }
        AssertionDefect::UnknownKey => jws::sign(json!({}), &c, &SigningKey::generate()?),
        _ => jws::sign(json!({}), &c, key),
    }
}

/// The token request: client_credentials with `assertion` of `assertion_type`, for `scopes`.
pub fn request(
    token_url: &str,
    assertion: &str,
    assertion_type: &str,
    scopes: &[String],
) -> Request {
    Request::post_form(
        "access token request (client_credentials, JWT-bearer client assertion, Sec §4.1.1)",
        token_url,
        vec![
            ("grant_type".into(), "client_credentials".into()),
            ("client_assertion_type".into(), assertion_type.into()),
            ("client_assertion".into(), assertion.into()),
            ("scope".into(), scopes.join(" ")),
        ],
    )
}

/// The token endpoint's answer, read.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenAnswer {
    /// HTTP status.
    pub status: u16,
    /// `access_token`, when the body has one.
    pub access_token: Option<String>,
    /// `token_type`.
    pub token_type: Option<String>,
    /// `scope` as granted (space-separated), when given.
    pub scope: Option<String>,
    /// `error` (RFC 6749 §5.2), when given.
    pub error: Option<String>,
    /// The `Cache-Control` header.
    pub cache_control: Option<String>,
}

impl TokenAnswer {
    /// Read a token response.
    pub fn read(resp: &Response) -> TokenAnswer {
        let body: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        let s = |n: &str| body.get(n).and_then(Value::as_str).map(str::to_string);
        TokenAnswer {
            status: resp.status,
            access_token: s("access_token").filter(|t| !t.is_empty()),
            token_type: s("token_type"),
            scope: s("scope"),
            error: s("error"),
            cache_control: resp.header("cache-control").map(str::to_string),
        }
    }

    /// Whether a token was issued (2xx with an access_token).
    pub fn issued(&self) -> bool {
        (200..300).contains(&self.status) && self.access_token.is_some()
    }

    /// The scopes granted: the `scope` field, or the requested ones when it is absent
    /// (RFC 6749 §5.1: scope is omitted when identical to the request).
    pub fn granted<'a>(&'a self, requested: &'a [String]) -> Vec<&'a str> {
        match &self.scope {
            Some(s) => s.split_whitespace().collect(),
            None => requested.iter().map(String::as_str).collect(),
        }
    }

    fn describe(&self) -> String {
        format!(
            "HTTP {}{}{}",
            self.status,
            self.access_token
                .as_ref()
                .map_or("", |_| ", an access_token"),
            self.error
                .as_ref()
                .map_or(String::new(), |e| format!(", error `{e}`"))
        )
    }
}

/// Sec §4.1.1: a valid assertion gets a bearer token, with every requested scope granted.
pub fn issues_bearer_token(answer: &TokenAnswer, requested: &[String]) -> Finding {
    let check = "token_client::issues_bearer_token";
    if !answer.issued() {
        return Finding::not_met(
            check,
            "no access token was issued for a valid client assertion",
            "HTTP 200 with access_token",
            answer.describe(),
        );
    }
    if !answer
        .token_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("bearer"))
    {
        return Finding::not_met(
            check,
            "the token type is not bearer",
            "token_type \"bearer\"",
            answer.token_type.clone().unwrap_or("(absent)".into()),
        )
        .at("token_type");
    }
    let granted = answer.granted(requested);
    let missing: Vec<&str> = requested
        .iter()
        .map(String::as_str)
        .filter(|r| !granted.contains(r))
        .collect();
    if missing.is_empty() {
        Finding::met(
            check,
            format!("a bearer token for {} scope(s)", requested.len()),
        )
    } else {
        Finding::not_met(
            check,
            "not every scope the platform claims was granted",
            requested.join(" "),
            granted.join(" "),
        )
        .at("scope")
    }
}

/// RFC 6749 §5.1: `Cache-Control: no-store`.
pub fn not_cacheable(answer: &TokenAnswer) -> Finding {
    let check = "token_client::not_cacheable";
    match &answer.cache_control {
        Some(c)
            if c.split(',')
                .any(|d| d.trim().eq_ignore_ascii_case("no-store")) =>
        {
            Finding::met(check, format!("Cache-Control: {c}"))
        }
        other => Finding::not_met(
            check,
            "the token response may be cached",
            "Cache-Control: no-store",
            other.clone().unwrap_or("(absent)".into()),
        ),
    }
    .at("Cache-Control")
}

/// Sec §4.1.1: a defective assertion gets no token.
pub fn refused(answer: &TokenAnswer, what: &str) -> Finding {
    let check = "token_client::refused";
    if answer.access_token.is_some() {
        Finding::not_met(
            check,
            format!("an access token was issued for {what}"),
            "HTTP 400/401 without an access token (RFC 6749 §5.2)",
            answer.describe(),
        )
    } else {
        Finding::met(check, format!("refused {what}: {}", answer.describe()))
    }
}

/// RFC 6749 §3.3: an unknown scope is not among those granted.
pub fn unknown_scope_not_granted(answer: &TokenAnswer, requested: &[String]) -> Finding {
    let check = "token_client::unknown_scope_not_granted";
    if !answer.issued() {
        return Finding::met(
            check,
            format!(
                "no token was issued for a request naming an unknown scope ({})",
                answer.describe()
            ),
        );
    }
    let granted = answer.granted(requested);
    if granted.contains(&SCOPE_UNKNOWN) {
        Finding::not_met(
            check,
            if answer.scope.is_none() { "the unknown scope was granted (no scope in the answer: RFC 6749 §5.1 reads that as all requested scopes)" } else { "the unknown scope was granted" },
            "a scope without the unknown scope",
            answer.scope.clone().unwrap_or("(scope absent)".into()),
        ).at("scope")
    } else {
        Finding::met(check, format!("granted: {}", granted.join(" ")))
    }
}

/// RFC 6749 §5.2: a request for unknown scopes only is answered `invalid_scope`.
pub fn error_is(answer: &TokenAnswer, code: &str) -> Finding {
    let check = "token_client::error_is";
    if answer.status == 400
        && answer.error.as_deref() == Some(code)
        && answer.access_token.is_none()
    {
        Finding::met(check, format!("HTTP 400 with error `{code}`"))
    } else {
        Finding::not_met(
            check,
            format!("the answer is not the `{code}` error"),
            format!("HTTP 400 with {{\"error\": \"{code}\"}}"),
            answer.describe(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str, cc: Option<&str>) -> TokenAnswer {
        let mut headers = vec![];
        if let Some(c) = cc {
            headers.push(("cache-control".to_string(), c.to_string()));
        }
        TokenAnswer::read(&Response {
            status,
            headers,
            body: body.as_bytes().to_vec(),
            truncated: false,
        })
    }

    #[test]
    fn answers_are_judged() {
        let req = vec![SCOPE_SCORE.to_string()];
        let ok = answer(
            200,
            r#"{"access_token":"abcdefghijklmnop","token_type":"Bearer","expires_in":3600}"#,
            Some("no-store"),
        );
        assert!(issues_bearer_token(&ok, &req).met && not_cacheable(&ok).met);
        assert!(!refused(&ok, "x").met);
        let denied = answer(401, r#"{"error":"invalid_client"}"#, None);
        assert!(refused(&denied, "x").met && !not_cacheable(&denied).met);
        let both = vec![SCOPE_SCORE.to_string(), SCOPE_UNKNOWN.to_string()];
        assert!(!unknown_scope_not_granted(&ok, &both).met);
        let narrowed = answer(
            200,
            &format!(r#"{{"access_token":"t","token_type":"bearer","scope":"{SCOPE_SCORE}"}}"#),
            None,
        );
        assert!(unknown_scope_not_granted(&narrowed, &both).met);
        assert!(
            error_is(
                &answer(400, r#"{"error":"invalid_scope"}"#, None),
                "invalid_scope"
            )
            .met
        );
    }

    #[test]
    fn defects_change_what_they_name() {
        let c = claims("cid", "https://p/token", "j", 1000, AssertionDefect::None);
        assert_eq!(
            (c["iss"].as_str(), c["sub"].as_str()),
            (Some("cid"), Some("cid"))
        );
        assert!(
            claims("cid", "a", "j", 1000, AssertionDefect::Expired)["exp"].as_i64() < Some(1000)
        );
        assert_ne!(
            claims("cid", "a", "j", 1000, AssertionDefect::WrongAudience)["aud"],
            "a"
        );
        let key = SigningKey::generate().unwrap();
        let t = assertion(&key, "cid", "a", "j", AssertionDefect::UnknownKey).unwrap();
        assert_ne!(jws::decode_unverified(&t).unwrap().0["kid"], key.kid());
    }
}
