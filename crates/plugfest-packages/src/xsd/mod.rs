//! XSD validation with libxml2, hardened for hostile input and compiled once per process.
//!
//! [`SchemaBundle`] is a folder of official schemas with an OASIS `catalog.xml`; [`XsdPool`] owns
//! the worker threads that compile and apply them and returns an [`XsdReport`] per document.
//! libxml2 contexts are not `Send`, so each schema lives on one worker and every document for it
//! is sent there as owned bytes. libxml2 never touches the network here: imports resolve through
//! the bundle's catalog or to local files, and anything else is a schema-set error.

mod bundle;
mod diagnostics;
mod engine;
mod loader;
pub mod manifest;
mod pool;
mod report;

pub use bundle::{BundleError, SCHEMAS_ENV, SchemaBundle};
pub use manifest::{SchemaManifest, VerifyReport, schema_set_name};
pub use pool::{DEFAULT_MAX_DOCUMENT_BYTES, XsdPool};
pub use report::{XsdError, XsdLevel, XsdMessage, XsdReport};

/// LTI 1.1 Basic Outcomes POX (`imsoms_v1p0`) schema, path inside the bundle. The bundle holds no
/// standalone copy: the official file (byte-identical, SHA-256 `9b63ec26…`) comes in the APIP 1.0
/// packages, at four paths; naming this one (APIP 1.0 final, Core_Level) means every caller
/// compiles and caches the same file, once.
pub const LTI11_POX_XSD: &str =
    "apip/apipv1p0final/Core_Level/Package/OMSv1p0_LTIv1p1Profile_SyncXSD_v1p0.xsd";
