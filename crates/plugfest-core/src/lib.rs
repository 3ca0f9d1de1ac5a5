//! The shared vocabulary of Plugfest: requirement catalogues, verdicts, findings, evidence, the
//! run record and the user's configuration.
//!
//! Main types: [`Catalogue`] (what must be checked, with level and clause), [`Finding`] (what a
//! check saw), [`Verdict`] (how a requirement came out), [`RunRecord`] (the single source of truth
//! every report is rendered from) and [`Config`]. This crate knows no protocol, no HTTP and no
//! Gherkin: protocol crates produce findings, the steps crate turns them into results.
#![deny(missing_docs)]

pub mod catalogue;
pub mod config;
pub mod data_dir;
pub mod digest;
pub mod evidence;
pub mod finding;
pub mod record;
pub mod redact;
pub mod seed;
pub mod suites;
pub mod verdict;

pub use catalogue::{Catalogue, Requirement, SpecIndex};
pub use config::{Config, ConfigError, Secret};
pub use evidence::{Evidence, Exchange};
pub use finding::Finding;
pub use record::{RequirementResult, RunRecord};
pub use redact::Redactor;
pub use seed::Seed;
pub use suites::{Profile, SuiteDef, Suites};
pub use verdict::{Level, Tier, Verdict};
