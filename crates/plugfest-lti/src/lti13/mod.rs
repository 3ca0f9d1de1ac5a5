//! LTI 1.3 with a tool under test: Plugfest plays the platform.

pub mod as_tool;
pub mod auth_request;
pub mod launch;
pub mod login;
pub mod payload;
pub mod platform;
pub mod platform_ags;
pub mod platform_deep_link;
pub mod platform_nrps;
pub mod platform_services;
pub mod platform_token;
pub mod platform_tool_jwt;
pub mod refusal;
pub mod role;
pub mod tool_keys;
pub mod tool_side;

/// Claim-name prefix of LTI 1.3 Core (Core §5.3).
pub const CLAIM: &str = "https://purl.imsglobal.org/spec/lti/claim/";
