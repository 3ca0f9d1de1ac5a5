//! The tool endpoints Plugfest serves while testing a platform (Plugfest plays the tool): the
//! URLs a platform administrator registers for Plugfest (Core §4.1, Sec §5.1.1).

/// Path of the OIDC third-party login initiation endpoint (Sec §5.1.1.1).
pub const LOGIN_PATH: &str = "/lti13/tool/login";
/// Path of the redirect URI that receives the form-posted id_token (Sec §5.1.1.3).
pub const LAUNCH_PATH: &str = "/lti13/tool/launch";
/// Path of the tool's public key set (Sec §6.3).
pub const JWKS_PATH: &str = "/lti13/tool/jwks";
