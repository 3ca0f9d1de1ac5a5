//! Step definitions, by domain concept: a platform under test, where Plugfest plays the tool
//! ([`platform_launch`], [`platform_oidc`], [`platform_token`], [`platform_ags`], [`platform_nrps`],
//! [`platform_dl`], their state in [`platform_state`]); LTI 1.3 OIDC login ([`login`]), launches ([`launch`])
//! and keys ([`keys`]); LTI Advantage with a tool under test: deep linking
//! ([`advantage_deep_linking`]) and the AGS/NRPS services and token endpoint
//! ([`advantage_services`]); LTI 1.1 tool providers ([`lti11_tool`]), consumers and their outcomes
//! services ([`lti11_consumer`]), with the POX checks both share ([`pox_checks`]); package exports
//! and imports ([`packages`]); OneRoster providers: authentication, errors and service probes
//! ([`oneroster`]), the dataset and paging ([`oneroster_data`]), sort, filter and fields
//! ([`oneroster_query`]), gradebook and resources ([`oneroster_gradebook`]).

pub mod advantage_deep_linking;
pub mod advantage_services;
pub mod keys;
pub mod launch;
pub mod login;
pub mod lti11_consumer;
pub mod lti11_tool;
pub mod oneroster;
pub mod oneroster_data;
pub mod oneroster_gradebook;
pub mod oneroster_query;
pub mod packages;
pub mod platform_ags;
pub mod platform_dl;
pub mod platform_launch;
pub mod platform_nrps;
pub mod platform_oidc;
pub mod platform_state;
pub mod platform_token;
pub mod pox_checks;
