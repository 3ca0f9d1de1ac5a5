//! Package conformance: QTI 2.x / 3.0, APIP, IMS CP, Common Cartridge and IWB files, and the XML
//! payloads of other suites (LTI 1.1 Basic Outcomes POX).
//!
//! So far it holds the XSD engine ([`xsd`]): a [`SchemaBundle`] (the official schemas plus the
//! OASIS `catalog.xml` that maps their URLs to local files) and an [`XsdPool`] that compiles each
//! schema once, on a fixed set of libxml2 worker threads, with no network access and no entity
//! expansion (DESIGN §7 "Compile once", §8). Zip safety, manifests and semantic rules come later.
#![deny(missing_docs)]

pub mod xsd;

pub use xsd::{
    BundleError, LTI11_POX_XSD, SchemaBundle, XsdError, XsdLevel, XsdMessage, XsdPool, XsdReport,
};
