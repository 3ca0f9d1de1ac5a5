//! Step definitions, by domain concept: OIDC login ([`login`]) and launches ([`launch`]).

pub mod keys;
pub mod launch;
pub mod login;
