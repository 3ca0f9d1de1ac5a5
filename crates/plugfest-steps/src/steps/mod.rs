//! Step definitions, by domain concept: LTI 1.3 OIDC login ([`login`]), launches ([`launch`])
//! and keys ([`keys`]); LTI 1.1 tool providers ([`lti11_tool`]), consumers and their outcomes
//! services ([`lti11_consumer`]), with the POX checks both share ([`pox_checks`]); package exports
//! and imports ([`packages`]).

pub mod keys;
pub mod launch;
pub mod login;
pub mod lti11_consumer;
pub mod lti11_tool;
pub mod packages;
pub mod pox_checks;
