//! Basic Outcomes, the tool as client: the outcome services launches named, and
//! `POST /lti11/outcomes-hook` — a test hook that makes the tool send one POX request (IG11
//! §6.1) to the service a launch gave for a `lis_result_sourcedid`, signed with OAuth 1.0a and
//! the OAuth body hash.
//!
//! IG11: "lis_outcome_service_url — This value should not change from one launch to the next
//! and in general, the TP can expect that there is a one-to-one mapping between the
//! lis_outcome_service_url and a particular oauth_consumer_key."

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use url::Url;

use crate::oauth1::{self, Method, Quirks};

use super::ToolState;
use super::fault::{FaultSet, Lti11ToolFault};
use super::form::Form;
use super::pox_request::{self as pox, Operation};

/// The most (sourcedId → service URL) pairs remembered; the oldest goes first.
const MAX_SERVICES: usize = 10_000;
/// The longest sourcedId or service URL remembered.
const MAX_VALUE_LEN: usize = 2048;
/// Timeout of one outcomes request.
pub(crate) const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest outcomes response read.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// The outcome service each `lis_result_sourcedid` came with, bounded.
#[derive(Debug, Default)]
pub(crate) struct Services {
    inner: Mutex<(HashMap<String, String>, VecDeque<String>)>,
}

impl Services {
    /// Remember the service of a valid launch that carried both parameters; an unusable URL
    /// (not absolute http(s)) or an oversized value is not remembered.
    pub(crate) fn remember(&self, sourced_id: &str, service_url: &str) {
        if sourced_id.is_empty()
            || sourced_id.len() > MAX_VALUE_LEN
            || service_url.len() > MAX_VALUE_LEN
        {
            return;
        }
        let Ok(url) = Url::parse(service_url) else {
            return;
        };
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *inner;
        if map
            .insert(sourced_id.to_owned(), service_url.to_owned())
            .is_none()
        {
            order.push_back(sourced_id.to_owned());
            while order.len() > MAX_SERVICES {
                if let Some(old) = order.pop_front() {
                    map.remove(&old);
                }
            }
        }
    }

    fn lookup(&self, sourced_id: &str) -> Option<String> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.0.get(sourced_id).cloned()
    }
}

/// Faults that bend how the request is sent; each is read once in [`send`] or [`hook`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OutcomeFaults {
    /// `lti11-tool/outcome-content-type-text-plain`
    pub content_type_text_plain: bool,
    /// `lti11-tool/outcome-signature-wrong`
    pub signature_wrong: bool,
    /// `lti11-tool/outcome-body-hash-missing`
    pub body_hash_missing: bool,
    /// `lti11-tool/outcome-body-hash-wrong`
    pub body_hash_wrong: bool,
    /// `lti11-tool/read-not-supported`
    pub read_not_supported: bool,
    /// `lti11-tool/delete-not-supported`
    pub delete_not_supported: bool,
    /// Faults of the envelope itself.
    pub pox: pox::PoxFaults,
}

impl OutcomeFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            content_type_text_plain: set.has(Lti11ToolFault::OutcomeContentTypeTextPlain),
            signature_wrong: set.has(Lti11ToolFault::OutcomeSignatureWrong),
            body_hash_missing: set.has(Lti11ToolFault::OutcomeBodyHashMissing),
            body_hash_wrong: set.has(Lti11ToolFault::OutcomeBodyHashWrong),
            read_not_supported: set.has(Lti11ToolFault::ReadNotSupported),
            delete_not_supported: set.has(Lti11ToolFault::DeleteNotSupported),
            pox: pox::PoxFaults::from_set(set),
        }
    }
}

/// The HTTP client outcomes requests go out with: no redirects, no retries, a timeout, and the
/// extra root certificate of `ca_pem` besides the default roots.
pub(crate) fn client(ca_pem: Option<&str>) -> Result<reqwest::Client, String> {
    crate::serve::client(SEND_TIMEOUT, ca_pem, "outcomes requests")
}

/// `POST /lti11/outcomes-hook` (form `lis_result_sourcedid`, `operation` ∈ replaceResult |
/// readResult | deleteResult, `score` for replaceResult): send that request and answer
/// `{"status": <HTTP status of the service>, "code_major": <imsx_codeMajor or null>}`; 400 for
/// a bad hook call, 404 for a sourcedId no launch gave, 502 when the service cannot be reached.
pub(crate) async fn hook(State(tool): State<Arc<ToolState>>, body: Bytes) -> Response {
    let form = Form::parse(&body);
    let faults = tool.outcome_faults;
    let Some(Some(sourced_id)) = form.single("lis_result_sourcedid").ok() else {
        return error(
            StatusCode::BAD_REQUEST,
            "lis_result_sourcedid is required, once",
        );
    };
    let Some(operation) = form
        .single("operation")
        .ok()
        .flatten()
        .and_then(Operation::parse)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "operation must be one of replaceResult, readResult, deleteResult",
        );
    };
    let score = match operation {
        Operation::Replace => match form.single("score").ok().flatten().map(str::parse::<f64>) {
            Some(Ok(score)) if (0.0..=1.0).contains(&score) => Some(score),
            _ => return error(StatusCode::BAD_REQUEST, "score must be a decimal in [0, 1]"),
        },
        Operation::Read | Operation::Delete => None,
    };
    if (operation == Operation::Read && faults.read_not_supported)
        || (operation == Operation::Delete && faults.delete_not_supported)
    {
        return error(
            StatusCode::NOT_IMPLEMENTED,
            "this tool does not support that operation",
        );
    }
    let Some(service_url) = tool.services.lookup(sourced_id) else {
        return error(
            StatusCode::NOT_FOUND,
            "no launch gave this lis_result_sourcedid",
        );
    };
    let Ok(message_id) = random_hex(16) else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the OS random source failed",
        );
    };
    let xml = pox::request(operation, sourced_id, score, &message_id, faults.pox);
    match send(&tool, &service_url, xml.into_bytes(), faults).await {
        Ok((status, code_major)) => (
            StatusCode::OK,
            Json(json!({ "status": status, "code_major": code_major })),
        )
            .into_response(),
        Err(message) => error(StatusCode::BAD_GATEWAY, &message),
    }
}

/// POST `body` to the service, signed; the service's status and `imsx_codeMajor`.
async fn send(
    tool: &ToolState,
    service_url: &str,
    body: Vec<u8>,
    faults: OutcomeFaults,
) -> Result<(u16, Option<String>), String> {
    let nonce = random_hex(16).map_err(|_| "the OS random source failed".to_owned())?;
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let mut params: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), tool.consumer.key.clone()),
        ("oauth_nonce".into(), nonce),
        (
            "oauth_signature_method".into(),
            Method::HmacSha1.name().into(),
        ),
        ("oauth_timestamp".into(), timestamp.to_string()),
        ("oauth_version".into(), "1.0".into()),
    ];
    // IG11 §6 / OAuth Request Body Hash: the request is signed with "oauth_body_hash", the
    // base64 of the SHA-1 digest of the body, among the signed parameters (the XML body is
    // not form-encoded, so it is not itself a parameter, RFC 5849 §3.4.1.3.1).
    if !faults.body_hash_missing {
        let hashed: &[u8] = if faults.body_hash_wrong { b"" } else { &body };
        params.push(("oauth_body_hash".into(), oauth1::body_hash_sha1(hashed)));
    }
    // RFC 5849 §3.4.1: the base string of POST, the service URL (its query parameters
    // included, §3.4.1.3.1) and the protocol parameters; §3.4.2 HMAC-SHA1 with the consumer
    // secret.
    let base = oauth1::base_string("POST", service_url, &params, Quirks::default());
    let secret = if faults.signature_wrong {
        format!("{}x", tool.consumer.secret)
    } else {
        tool.consumer.secret.clone()
    };
    params.push((
        "oauth_signature".into(),
        oauth1::signature(Method::HmacSha1, &base, &secret),
    ));
    // IG11 §6: the POX body is POSTed with "Content-Type: application/xml".
    let content_type = if faults.content_type_text_plain {
        "text/plain"
    } else {
        "application/xml"
    };
    let mut response = tool
        .http
        .post(service_url)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, oauth1::authorization_header(&params))
        .body(body)
        .send()
        .await
        .map_err(|e| format!("the outcome service could not be reached: {e}"))?;
    let status = response.status().as_u16();
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading the outcome service's answer: {e}"))?
    {
        if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Ok((status, None));
        }
        bytes.extend_from_slice(&chunk);
    }
    let code_major = std::str::from_utf8(&bytes).ok().and_then(pox::code_major);
    Ok((status, code_major))
}

/// `n` random bytes as lower-case hex.
fn random_hex(n: usize) -> Result<String, aws_lc_rs::error::Unspecified> {
    let mut bytes = vec![0u8; n];
    SystemRandom::new().fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_remembered_bounded_and_only_for_http_urls() {
        let services = Services::default();
        services.remember("s1", "https://lms.example/outcomes?x=1");
        services.remember("s2", "javascript:alert(1)");
        services.remember("", "https://lms.example/o");
        assert_eq!(
            services.lookup("s1").as_deref(),
            Some("https://lms.example/outcomes?x=1")
        );
        assert_eq!(services.lookup("s2"), None);
        for i in 0..MAX_SERVICES + 5 {
            services.remember(&format!("k{i}"), "https://lms.example/o");
        }
        assert_eq!(services.lookup("s1"), None);
        assert!(services.lookup(&format!("k{}", MAX_SERVICES + 4)).is_some());
        assert!(services.inner.lock().unwrap().0.len() <= MAX_SERVICES);
    }

    #[test]
    fn random_hex_is_fresh() {
        let a = random_hex(16).unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_hex(16).unwrap());
    }
}
