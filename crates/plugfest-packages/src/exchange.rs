//! `[roles.packages-exporter]` and `[roles.packages-importer]`: a product's package export and
//! import endpoints, as the config names them.

use plugfest_core::config::SecretSource;
use serde::Deserialize;

/// A product whose exports Plugfest downloads and validates.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExporterRole {
    /// A URL that answers with a QTI content package of the product's content.
    #[serde(default)]
    pub qti_export_url: Option<String>,
    /// A URL that answers with a Common Cartridge of a course.
    #[serde(default)]
    pub cc_export_url: Option<String>,
    /// A bearer token for those URLs — a secret slot.
    #[serde(default)]
    pub token: Option<SecretSource>,
}

/// A product that imports packages; Plugfest posts its own packages there (a write).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImporterRole {
    /// The import endpoint: a POST of a zip (`Content-Type: application/zip`) creates an import;
    /// an accepted import answers 2xx with a `Location` Plugfest deletes afterwards.
    pub import_url: String,
    /// A bearer token for it — a secret slot.
    #[serde(default)]
    pub token: Option<SecretSource>,
    /// The sandbox (course, tenant) the endpoint writes into; imports run only with
    /// `--allow-writes`, and the report names this sandbox.
    pub sandbox: String,
}
