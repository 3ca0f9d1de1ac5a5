//! Plugfest's command-line application: the CLI definition, the run path shared by `run` and
//! `demo`, the reference lab and terminal output. It parses, wires and maps a run to an exit
//! code; protocol, Gherkin and rendering live in the other crates.
#![deny(missing_docs)]

pub mod app;
pub mod attested;
pub mod cli;
pub mod cmd_bundle;
pub mod cmd_compare;
pub mod cmd_report;
pub mod cmd_schemas;
pub mod cmd_validate;
pub mod history;
pub mod lab;
pub mod output;
