//! Evidence attached to a result: HTTP exchanges, decoded tokens, findings and notes.
//!
//! Everything here is already capped and masked: redaction happens at capture time (DESIGN §7).

use crate::finding::Finding;
use serde::{Deserialize, Serialize};

/// One piece of evidence, in the order it was gathered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// An HTTP request Plugfest sent and the answer it got (or the transport error).
    Exchange(Exchange),
    /// A JSON Web Token, shown decoded with personal claims masked.
    Jwt {
        /// What the token was (e.g. `id_token sent to the tool`).
        label: String,
        /// The JOSE header.
        header: serde_json::Value,
        /// The claims, masked.
        claims: serde_json::Value,
    },
    /// The result of one check.
    Finding(Finding),
    /// A remark by the harness (a decision it took, a value it used).
    Note {
        /// The remark.
        text: String,
    },
}

/// One HTTP exchange, masked and capped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// What this request was for (e.g. `OIDC login initiation`).
    pub label: String,
    /// HTTP method.
    pub method: String,
    /// Full URL (masked).
    pub url: String,
    /// Request headers as sent (masked).
    pub request_headers: Vec<(String, String)>,
    /// Request body (masked, capped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<String>,
    /// Response status, absent when the request failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Response headers (masked).
    pub response_headers: Vec<(String, String)>,
    /// Response body (masked, capped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
    /// True when a body was cut at the size cap.
    #[serde(default)]
    pub truncated: bool,
    /// Transport error (timeout, refused connection, TLS), when there is no response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl Exchange {
    /// A `curl` line that repeats this request (headers and body as recorded, i.e. masked).
    pub fn curl(&self) -> String {
        let mut s = format!(
            "curl -sS -X {} '{}'",
            self.method,
            self.url.replace('\'', "'\\''")
        );
        for (k, v) in &self.request_headers {
            if k.eq_ignore_ascii_case("content-type") || k.eq_ignore_ascii_case("accept") {
                s.push_str(&format!(" -H '{k}: {v}'"));
            }
        }
        if let Some(body) = &self.request_body {
            s.push_str(&format!(" --data-raw '{}'", body.replace('\'', "'\\''")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_line_quotes_url_and_body() {
        let ex = Exchange {
            label: "x".into(),
            method: "POST".into(),
            url: "https://t.example/launch?a='b'".into(),
            request_headers: vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            request_body: Some("state=1".into()),
            status: Some(200),
            response_headers: vec![],
            response_body: None,
            truncated: false,
            error: None,
            duration_ms: 3,
        };
        assert_eq!(
            ex.curl(),
            "curl -sS -X POST 'https://t.example/launch?a='\\''b'\\''' -H 'content-type: application/x-www-form-urlencoded' --data-raw 'state=1'"
        );
    }
}
