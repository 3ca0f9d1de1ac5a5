//! LTI protocol code for Plugfest: what the harness sends and how it judges what comes back.
//!
//! For LTI 1.3 with a tool under test, Plugfest plays the platform: it starts OIDC logins
//! ([`lti13::login`]), reads the tool's authentication request ([`lti13::auth_request`]), signs
//! launch tokens good and bad ([`lti13::payload`], [`jws`]) and classifies the tool's answer by the
//! refusal rule ([`lti13::refusal`]). Checks are plain functions returning
//! [`plugfest_core::Finding`]s; levels and clauses come from the catalogue, and no Gherkin is
//! known here.
#![deny(missing_docs)]

pub mod jws;
pub mod keys;
pub mod lti11;
pub mod lti13;
