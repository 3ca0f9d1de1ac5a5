//! The reference vendor: conformant products, written straight from the 1EdTech specifications,
//! that Plugfest tests over real HTTPS on loopback — each with **named faults** that make it
//! misbehave on purpose, so that every check of the harness can be shown to fail.
//!
//! Main types: [`lti13_tool::Settings`] / [`lti13_tool::start`] (a conformant LTI 1.3 tool:
//! OIDC third-party-initiated login, `id_token` launch validation, JWKS),
//! [`lti13_platform::Settings`] / [`lti13_platform::start`] (a conformant LTI 1.3 platform: OIDC
//! authorization, resource link and deep linking launches, token endpoint, AGS, NRPS, the deep
//! linking return, and a launch trigger),
//! [`lti11_tool::Settings`] / [`lti11_tool::start`] (a conformant LTI 1.1 tool provider: OAuth
//! 1.0a signed basic launches, Basic Outcomes POX requests), [`lti11_consumer::Settings`] /
//! [`lti11_consumer::start`] (a conformant LTI 1.1 tool consumer: signed launch forms and the
//! Basic Outcomes service), [`packages_exporter::Settings`] / [`packages_exporter::start`] (a
//! conformant package exporter: a QTI 2.1 content package and a Common Cartridge 1.3 behind a
//! bearer token), [`packages_importer::Settings`] / [`packages_importer::start`] (a conformant
//! package importer: safe in-memory zip reading and the package checks of the spec notes),
//! [`oneroster::Settings`] / [`oneroster::start`] (a conformant OneRoster 1.1 or 1.2 provider:
//! rostering, gradebook and resources over SQLite with a synthetic district),
//! [`oauth1`] (RFC 5849 signing both LTI 1.1 roles share), [`pox`]
//! (Basic Outcomes messages), [`Fault`] and
//! [`faults::all`] (the registry `plugfest reference faults` prints), and [`tls`] (serving an
//! axum router over HTTPS from PEM strings).
//!
//! What this crate must not know: anything of the harness. It depends on third-party crates
//! only, so a misunderstanding shared by the harness and the product cannot pass both sides;
//! its JWT and validation code is a deliberate twin of the harness's, written from the spec
//! sentences quoted next to each check.

#![deny(missing_docs)]

pub mod faults;
mod form;
mod jose;
pub mod lti11_consumer;
pub mod lti11_tool;
pub mod lti13_platform;
pub mod lti13_tool;
mod markup;
pub mod oauth1;
pub mod oneroster;
mod package_files;
pub mod packages_exporter;
pub mod packages_importer;
pub mod pox;
mod serve;
pub mod tls;

pub use faults::Fault;
