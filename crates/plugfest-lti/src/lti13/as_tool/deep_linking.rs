//! Plugfest as the tool answering a platform's deep linking request (DL §4.4–§4.5, Sec §5.2):
//! the request's settings, the response JWT (valid or with one defect), the form post to the
//! deep_link_return_url, and how the platform's answer reads.

use crate::jws;
use crate::keys::{KeyError, SigningKey};
use crate::lti13::CLAIM;
use plugfest_core::Finding;
use plugfest_http::{Request, Response};
use serde_json::{Value, json};

/// The deep linking settings claim (DL §4.4.1).
pub const SETTINGS: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
/// The content items claim (DL §4.5.6).
pub const CONTENT_ITEMS: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
/// The data claim (DL §4.5.5).
pub const DATA: &str = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
/// Presentation targets of DL §4.6.2.
pub const TARGETS: &[&str] = &["iframe", "window", "embed"];

/// The `deep_link_return_url`, if any.
pub fn return_url(claims: &Value) -> Option<String> {
    claims
        .get(SETTINGS)?
        .get("deep_link_return_url")?
        .as_str()
        .map(str::to_string)
}

/// DL §4.4.1: `deep_link_return_url` (URL), `accept_types` and
/// `accept_presentation_document_targets` (non-empty arrays, targets from DL §4.6.2).
pub fn settings_are_complete(claims: &Value) -> Finding {
    let check = "deep_linking::settings_are_complete";
    let Some(s) = claims.get(SETTINGS) else {
        return Finding::not_met(
            check,
            "the deep linking settings claim is missing",
            "deep_linking_settings",
            "(absent)",
        )
        .at(SETTINGS);
    };
    let list = |n: &str| {
        s.get(n)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty() && a.iter().all(Value::is_string))
    };
    let problem = if return_url(claims).is_none_or(|u| url::Url::parse(&u).is_err()) {
        Some("deep_link_return_url is not an absolute URL")
    } else if list("accept_types").is_none() {
        Some("accept_types is not a non-empty array of strings")
    } else if !list("accept_presentation_document_targets").is_some_and(|a| {
        a.iter()
            .all(|t| TARGETS.contains(&t.as_str().unwrap_or_default()))
    }) {
        Some(
            "accept_presentation_document_targets is not a non-empty array of iframe, window, embed",
        )
    } else {
        None
    };
    match problem {
        None => Finding::met(
            check,
            "return URL, accepted types and presentation targets are named",
        ),
        Some(p) => Finding::not_met(
            check,
            p,
            "deep_link_return_url, accept_types, accept_presentation_document_targets",
            s.to_string(),
        )
        .at(SETTINGS),
    }
}

/// A deliberate defect of a deep linking response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseDefect {
    /// None: a valid response.
    None,
    /// `aud` names another platform.
    WrongAudience,
    /// `deployment_id` is one the platform never issued.
    UnknownDeployment,
    /// The payload altered after signing.
    BadSignature,
}

/// What a response says.
#[derive(Debug, Clone)]
pub struct ResponseSpec<'a> {
    /// Plugfest's client ID (`iss`).
    pub client_id: &'a str,
    /// The platform's issuer (`aud`).
    pub issuer: &'a str,
    /// The request's deployment ID.
    pub deployment_id: &'a str,
    /// A fresh nonce.
    pub nonce: &'a str,
    /// The request's `data`, echoed (DL §4.5.5).
    pub data: Option<&'a str>,
    /// Title of the link created.
    pub title: &'a str,
    /// The link's target (Plugfest's launch URL).
    pub url: &'a str,
}

/// The response claims (DL §4.5) with `defect`.
pub fn response_claims(spec: &ResponseSpec<'_>, defect: ResponseDefect) -> Value {
    let now = super::now_secs();
    let aud = if defect == ResponseDefect::WrongAudience {
        "https://plugfest.invalid/not-this-platform"
    } else {
        spec.issuer
    };
    let deployment = if defect == ResponseDefect::UnknownDeployment {
        "plugfest-no-such-deployment"
    } else {
        spec.deployment_id
    };
    let mut c = json!({
        "iss": spec.client_id, "aud": aud, "iat": now, "exp": now + 300, "nonce": spec.nonce,
        format!("{CLAIM}message_type"): "LtiDeepLinkingResponse",
        format!("{CLAIM}version"): "1.3.0",
        format!("{CLAIM}deployment_id"): deployment,
        CONTENT_ITEMS: [{"type": "ltiResourceLink", "title": spec.title, "url": spec.url}],
    });
    if let Some(d) = spec.data {
        c[DATA] = json!(d);
    }
    c
}

/// The signed response JWT.
pub fn response_jwt(
    key: &SigningKey,
    claims: &Value,
    defect: ResponseDefect,
) -> Result<String, KeyError> {
    let token = jws::sign(json!({}), claims, key)?;
    Ok(if defect == ResponseDefect::BadSignature {
        let mut altered = claims.clone();
        altered["nonce"] = json!(format!(
            "{}-altered",
            claims["nonce"].as_str().unwrap_or_default()
        ));
        jws::with_payload(&token, &altered)
    } else {
        token
    })
}

/// Sec §5.2.1: the form post of `jwt` (parameter `JWT`) to the return URL.
pub fn post(return_url: &str, jwt: &str) -> Request {
    Request::post_form(
        "deep linking response form-posted to deep_link_return_url (DL §4.5)",
        return_url,
        vec![("JWT".into(), jwt.into())],
    )
}

/// An answer 2xx or 3xx reads as accepted.
pub fn accepted(resp: &Response) -> Finding {
    if resp.status < 400 {
        Finding::met("deep_linking::accepted", format!("HTTP {}", resp.status))
    } else {
        Finding::not_met(
            "deep_linking::accepted",
            "the platform refused a valid deep linking response",
            "HTTP 2xx or 3xx",
            format!(
                "HTTP {}: {}",
                resp.status,
                resp.text().chars().take(160).collect::<String>()
            ),
        )
    }
}

/// An answer 4xx (or 5xx) reads as refused.
pub fn refused(resp: &Response, what: &str) -> Finding {
    if resp.status >= 400 {
        Finding::met(
            "deep_linking::refused",
            format!("{what} refused: HTTP {}", resp.status),
        )
    } else {
        Finding::not_met(
            "deep_linking::refused",
            format!("the platform accepted {what}"),
            "HTTP 4xx",
            format!("HTTP {}", resp.status),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_responses() {
        let mut c = json!({SETTINGS: {"deep_link_return_url": "https://lms/dl", "accept_types": ["ltiResourceLink"], "accept_presentation_document_targets": ["iframe"]}});
        assert!(settings_are_complete(&c).met);
        c[SETTINGS]["accept_presentation_document_targets"] = json!(["popup"]);
        assert!(!settings_are_complete(&c).met);
        let spec = ResponseSpec {
            client_id: "c",
            issuer: "https://lms",
            deployment_id: "d",
            nonce: "n",
            data: Some("x"),
            title: "t",
            url: "https://p/l",
        };
        let ok = response_claims(&spec, ResponseDefect::None);
        assert_eq!(
            (ok["aud"].as_str(), ok[DATA].as_str()),
            (Some("https://lms"), Some("x"))
        );
        assert_ne!(
            response_claims(&spec, ResponseDefect::UnknownDeployment)
                [format!("{CLAIM}deployment_id")],
            "d"
        );
    }
}
