//! The endpoints Plugfest serves while testing LTI 1.1 products: a Basic Outcomes service that
//! records every request a tool provider sends (IG11 §6) and answers it with a valid POX
//! success, the return URL of its launches, and the launch URL it is registered at as a tool.

use super::pox;
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use std::sync::{Arc, Mutex};

/// Path of Plugfest's Basic Outcomes service (the `lis_outcome_service_url` it sends).
pub const OUTCOMES_PATH: &str = "/lti11/outcomes";
/// Path of the `launch_presentation_return_url` Plugfest sends.
pub const RETURN_PATH: &str = "/lti11/consumer/return";
/// Path of the launch URL a tool consumer registers Plugfest (as a tool) with.
pub const TOOL_LAUNCH_PATH: &str = "/lti11/tool/launch";

/// Largest outcomes request kept.
const MAX_REQUEST_BYTES: usize = 256 * 1024;
/// Most requests kept (oldest dropped first).
const MAX_KEPT: usize = 512;

/// One request received by the outcomes service.
#[derive(Debug, Clone)]
pub struct Captured {
    /// Request method.
    pub method: String,
    /// Request headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Raw body.
    pub body: Vec<u8>,
}

impl Captured {
    /// First value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the outcomes service has received, in order.
#[derive(Debug, Default)]
pub struct Inbox {
    received: Mutex<Vec<Captured>>,
}

impl Inbox {
    /// Requests whose body mentions `needle` (a sourcedId), in arrival order.
    pub fn mentioning(&self, needle: &str) -> Vec<Captured> {
        let received = self.received.lock().unwrap_or_else(|e| e.into_inner());
        received
            .iter()
            .filter(|c| {
                !needle.is_empty() && c.body.windows(needle.len()).any(|w| w == needle.as_bytes())
            })
            .cloned()
            .collect()
    }

    fn push(&self, c: Captured) {
        let mut received = self.received.lock().unwrap_or_else(|e| e.into_inner());
        if received.len() >= MAX_KEPT {
            received.remove(0);
        }
        received.push(c);
    }
}

/// Routes of the LTI 1.1 side; `inbox` records the outcomes requests.
pub fn router(inbox: Arc<Inbox>) -> Router {
    Router::new()
        .route(
            OUTCOMES_PATH,
            post(move |headers: HeaderMap, body: Bytes| {
                let inbox = inbox.clone();
                async move { outcomes(&inbox, &headers, &body) }
            }),
        )
        .route(
            RETURN_PATH,
            get(|| async { "Plugfest: the tool returned the user to the consumer." }),
        )
        .route(
            TOOL_LAUNCH_PATH,
            post(|| async {
                "Plugfest received the launch. Plugfest reads launch forms from the LMS's page itself; nothing else happens here."
            }),
        )
}

fn outcomes(inbox: &Inbox, headers: &HeaderMap, body: &[u8]) -> axum::response::Response {
    if body.len() > MAX_REQUEST_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    }
    inbox.push(Captured {
        method: "POST".into(),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    });
    // Plugfest judges the request in the scenario; the tool gets a valid answer so it can go on.
    let (message_ref, operation) = match pox::parse_request(body) {
        Ok(r) => (
            r.message_id.unwrap_or_default(),
            r.operation
                .strip_suffix("Request")
                .unwrap_or(&r.operation)
                .to_string(),
        ),
        Err(_) => (String::new(), "replaceResult".to_string()),
    };
    let read_score = (operation == "readResult").then_some("");
    let answer = pox::response(
        "plugfest-outcomes-answer",
        &message_ref,
        &operation,
        "success",
        "Recorded by Plugfest",
        read_score,
    );
    ([(header::CONTENT_TYPE, pox::CONTENT_TYPE)], answer).into_response()
}
