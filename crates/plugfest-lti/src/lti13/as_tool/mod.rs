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
