//! The only crate that knows Gherkin: runs the `.feature` files of the selected suites with
//! cucumber, against the product the config describes, and builds the run record.
//!
//! Main types: [`FeatureSet`] (the embedded or on-disk features and catalogues),
//! [`RunOptions`] → [`run`] → [`plugfest_core::RunRecord`]. Steps are thin: each parses its
//! captures, calls one protocol-crate function through the recording client and records the
//! finding in the [`world::PlugfestWorld`]. Cucumber is driven with options built in code, never
//! from the process arguments, and unmatched steps fail (`fail_on_skipped`).
#![deny(missing_docs)]

pub mod assemble;
pub mod context;
pub mod features;
pub mod run;
pub mod setup_lti11;
pub mod setup_lti13_platform;
pub mod setup_oneroster;
pub mod setup_packages;
pub mod steps;
pub mod world;
pub mod writer;

pub use features::FeatureSet;
pub use run::{Progress, RunError, RunOptions, run};
