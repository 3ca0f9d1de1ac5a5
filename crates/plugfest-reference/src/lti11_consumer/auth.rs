//! The OAuth 1.0a check of a Basic Outcomes request: IG11 §6 — the tool signs the POST with
//! the launch's consumer key and secret, in the `Authorization` header, and adds
//! `oauth_body_hash` (the OAuth Request Body Hash extension) because the XML body is not
//! form-encoded and so is not covered by the signature base string (RFC 5849 §3.4.1.3.1 takes
//! body parameters only from an `application/x-www-form-urlencoded` entity-body).

use axum::http::{HeaderMap, header};

use super::ConsumerState;
use super::fault::{FaultSet, Lti11ConsumerFault};
use crate::oauth1::{self, Method, Quirks, TIMESTAMP_WINDOW_SECS};

/// Faults that bend the OAuth check; each is read once, in [`check`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AuthFaults {
    /// `lti11-consumer/body-hash-not-checked`
    pub body_hash_not_checked: bool,
    /// `lti11-consumer/signature-not-checked`
    pub signature_not_checked: bool,
    /// `lti11-consumer/nonce-replay-accepted`
    pub nonce_replay_accepted: bool,
    /// `lti11-consumer/stale-timestamp-accepted`
    pub stale_timestamp_accepted: bool,
}

impl AuthFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            body_hash_not_checked: set.has(Lti11ConsumerFault::BodyHashNotChecked),
            signature_not_checked: set.has(Lti11ConsumerFault::SignatureNotChecked),
            nonce_replay_accepted: set.has(Lti11ConsumerFault::NonceReplayAccepted),
            stale_timestamp_accepted: set.has(Lti11ConsumerFault::StaleTimestampAccepted),
        }
    }
}

/// Why an outcomes request was not authenticated; one variant per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthRefusal {
    /// No `Authorization` header, or not a readable `OAuth` one.
    NoOAuthHeader,
    /// A required protocol parameter is missing (its name).
    Missing(&'static str),
    /// `oauth_consumer_key` is not the registered tool's.
    UnknownConsumer,
    /// `oauth_signature_method` is neither HMAC-SHA1 nor HMAC-SHA256.
    UnsupportedMethod,
    /// `oauth_version` is present and not `1.0`.
    WrongVersion,
    /// `oauth_signature` does not verify.
    SignatureInvalid,
    /// `oauth_body_hash` is not base64(SHA-1(body)).
    BodyHashMismatch,
    /// `oauth_timestamp` is not a number, or outside ±300 s of now.
    TimestampStale,
    /// The (consumer key, timestamp, nonce) was seen before.
    NonceReplayed,
}

impl AuthRefusal {
    /// One line for `imsx_description`.
    pub(crate) fn description(self) -> String {
        match self {
            AuthRefusal::NoOAuthHeader => "no readable Authorization: OAuth header".into(),
            AuthRefusal::Missing(name) => format!("the OAuth parameter {name} is missing"),
            AuthRefusal::UnknownConsumer => "unknown oauth_consumer_key".into(),
            AuthRefusal::UnsupportedMethod => {
                "oauth_signature_method is neither HMAC-SHA1 nor HMAC-SHA256".into()
            }
            AuthRefusal::WrongVersion => "oauth_version is not 1.0".into(),
            AuthRefusal::SignatureInvalid => "the OAuth signature does not verify".into(),
            AuthRefusal::BodyHashMismatch => {
                "oauth_body_hash does not match the request body".into()
            }
            AuthRefusal::TimestampStale => {
                format!("oauth_timestamp is not within {TIMESTAMP_WINDOW_SECS} s of now")
            }
            AuthRefusal::NonceReplayed => "oauth_nonce was already used".into(),
        }
    }
}

fn param<'a>(params: &'a [(String, String)], name: &'static str) -> Result<&'a str, AuthRefusal> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .ok_or(AuthRefusal::Missing(name))
}

/// Authenticate an outcomes request sent to the service URL (with `query`, if any) at `now`.
pub(crate) fn check(
    state: &ConsumerState,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
    now: u64,
) -> Result<(), AuthRefusal> {
    let faults = state.auth_faults;
    // IG11 §6 (LTI Basic Outcomes): the request is signed with OAuth in the Authorization
    // header. RFC 5849 §3.5.1 defines its syntax; a header that repeats a parameter is refused.
    let mut authorizations = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (authorizations.next(), authorizations.next()) else {
        return Err(AuthRefusal::NoOAuthHeader);
    };
    let params = value
        .to_str()
        .ok()
        .and_then(oauth1::parse_authorization)
        .ok_or(AuthRefusal::NoOAuthHeader)?;

    // RFC 5849 §3.2: "Ensuring that the client credentials … are valid".
    if param(&params, "oauth_consumer_key")? != state.tool.consumer_key {
        return Err(AuthRefusal::UnknownConsumer);
    }
    let method = Method::parse(param(&params, "oauth_signature_method")?)
        .ok_or(AuthRefusal::UnsupportedMethod)?;
    // RFC 5849 §3.1 oauth_version: "OPTIONAL. If present, MUST be set to "1.0"."
    if params
        .iter()
        .any(|(n, v)| n == "oauth_version" && v != "1.0")
    {
        return Err(AuthRefusal::WrongVersion);
    }
    let signature = param(&params, "oauth_signature")?;
    let timestamp = param(&params, "oauth_timestamp")?;
    let nonce = param(&params, "oauth_nonce")?;
    let body_hash = param(&params, "oauth_body_hash");

    // RFC 5849 §3.2: "Recalculating the request signature independently as described in
    // Section 3.4 and comparing it to the value received from the client via the
    // "oauth_signature" parameter." The base string URI is the service URL the request was
    // sent to (the lis_outcome_service_url), its query included.
    if !faults.signature_not_checked {
        let url = match query {
            Some(q) if !q.is_empty() => format!("{}?{q}", state.urls.outcomes),
            _ => state.urls.outcomes.clone(),
        };
        let base = oauth1::base_string("POST", &url, &params, Quirks::default());
        if !oauth1::verify(method, &base, &state.tool.consumer_secret, signature) {
            return Err(AuthRefusal::SignatureInvalid);
        }
    }

    // The OAuth Request Body Hash extension (as IG11 §6 requires it): the body hash is
    // base64(SHA-1(the raw entity-body)); a mismatch means the body was altered after signing.
    if !faults.body_hash_not_checked && body_hash? != oauth1::body_hash_sha1(body) {
        return Err(AuthRefusal::BodyHashMismatch);
    }

    // RFC 5849 §3.3: "The server MAY choose to restrict the time period after which a request
    // with an old timestamp is rejected" — here ±TIMESTAMP_WINDOW_SECS.
    let ts = timestamp.parse::<u64>().ok();
    if !faults.stale_timestamp_accepted {
        let fresh = ts.is_some_and(|ts| ts.abs_diff(now) <= TIMESTAMP_WINDOW_SECS);
        if !fresh {
            return Err(AuthRefusal::TimestampStale);
        }
    }

    // RFC 5849 §3.3: "The nonce value MUST be unique across all requests with the same
    // timestamp, client credentials, and token combinations."
    if !faults.nonce_replay_accepted
        && !state
            .nonces
            .check_and_insert(&state.tool.consumer_key, ts.unwrap_or(0), nonce, now)
    {
        return Err(AuthRefusal::NonceReplayed);
    }
    Ok(())
}
