//! Package conformance: QTI 2.x / 3.0, APIP, IMS CP, Common Cartridge and IWB files, and the XML
//! payloads of other suites (LTI 1.1 Basic Outcomes POX).
//!
//! The XSD engine ([`xsd`]): a [`SchemaBundle`] (the official schemas plus the OASIS
//! `catalog.xml` that maps their URLs to local files) and an [`XsdPool`] that compiles each schema
//! once, on a fixed set of libxml2 worker threads, with no network access and no entity expansion
//! (DESIGN §7 "Compile once", §8). Above it: a [`Package`] of files (read from a zip, a folder or
//! one file, safely), what each document is ([`doc`]), the manifest model ([`manifest`]), and the
//! rules beyond XSD ([`rules`]) that report [`Finding`]s by requirement ID.
#![deny(missing_docs)]

pub mod detect;
pub mod doc;
pub mod exchange;
pub mod finding;
pub mod input;
pub mod manifest;
pub mod package;
pub mod rules;
pub mod samples;
pub mod validate;
pub mod xsd;

pub use detect::detect;
pub use finding::{Finding, Location};
pub use input::{InputKind, Limits, OpenError, Opened};
pub use package::Package;
pub use validate::{
    DocumentReport, InputReport, NotAssessed, Options, Validator, XsdOutcome, format_text, xsd_rule,
};
pub use xsd::{
    BundleError, LTI11_POX_XSD, SchemaBundle, XsdError, XsdLevel, XsdMessage, XsdPool, XsdReport,
};
