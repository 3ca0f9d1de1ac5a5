//! LTI 1.3 with a platform under test: Plugfest plays the tool.
//!
//! The config table ([`role`]), the tool endpoints Plugfest serves ([`server`]: login initiation,
//! redirect URI, key set), the user agent that drives a launch from the platform's trigger
//! ([`user_agent`]), the checks of the platform's id_token ([`id_token`]) and of its messages
//! against Plugfest's JSON Schemas ([`schema`]), the token client ([`token_client`]), and the
//! AGS, NRPS and Deep Linking clients ([`ags`], [`nrps`], [`deep_linking`]).

pub mod ags;
pub mod deep_linking;
pub mod id_token;
pub mod nrps;
pub mod role;
pub mod schema;
pub mod server;
pub mod token_client;
pub mod user_agent;

/// Now, in seconds since the epoch.
pub fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// `req` with the bearer `token` (RFC 6750 §2.1).
pub fn authorized(req: plugfest_http::Request, token: &str) -> plugfest_http::Request {
    req.header("Authorization", &format!("Bearer {token}"))
}

/// The media type of a response's Content-Type, lower case and without parameters (empty when
/// there is none).
pub fn media_type(resp: &plugfest_http::Response) -> String {
    super::platform_services::media_type(resp.header("content-type").unwrap_or(""))
}

/// The JSON body of a response; `None` when it was truncated or is not JSON.
pub fn json_body(resp: &plugfest_http::Response) -> Option<serde_json::Value> {
    if resp.truncated {
        return None;
    }
    serde_json::from_slice(&resp.body).ok()
}
