//! The reference **package exporter**: a product whose export endpoints hand out a QTI 2.1
//! content package and a Common Cartridge 1.3, both valid against the official XSDs and
//! semantically sound (packages.md §4), served over HTTPS behind a bearer token, with the
//! named faults of [`PackagesExporterFault`].
//!
//! Endpoints: `GET /export/qti21.zip` (the QTI package, `qti.rs`) and `GET /export/cc13.imscc`
//! (the cartridge, `cc.rs`), each `application/zip` and each needing `Authorization: Bearer
//! <token>` (401 without it). The zips are built once, when the exporter starts, with the
//! faults it runs with, so every download is the same bytes. [`start`] binds and spawns it;
//! [`Running`] says where it is and stops it.

pub(crate) mod cc;
mod fault;
pub(crate) mod qti;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::package_files::{ZIP_MEDIA_TYPE, bearer_ok, json_error, unauthorized};
use crate::serve;
use crate::tls;

pub use fault::PackagesExporterFault;

/// The largest request body accepted (the endpoints take none).
const MAX_BODY_BYTES: usize = 16 * 1024;
/// The QTI export's path.
const QTI_PATH: &str = "/export/qti21.zip";
/// The cartridge export's path.
const CC_PATH: &str = "/export/cc13.imscc";

serve::settings! {
    /// How to run the exporter: where, with which certificate, behind which token.
    "packages-exporter" {
        /// The bearer token every export request must carry.
        token: String => redacted,
    }
}

serve::start_error! {
    "packages-exporter", "exporter",
    /// A setting that cannot be used (an empty token).
    Settings,
    /// A package could not be written (a zip error; never expected).
    Package => "package",
}

serve::running! {
    /// A running exporter: its URLs, and the server, which stops when this is dropped.
    "exporter" {
        /// The QTI 2.1 package (`{base_url}/export/qti21.zip`).
        qti_export_url,
        /// The Common Cartridge 1.3 (`{base_url}/export/cc13.imscc`).
        cc_export_url,
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct ExporterState {
    pub token: String,
    pub qti_zip: Bytes,
    pub cc_zip: Bytes,
    /// `packages-exporter/export-500`
    pub export_500: bool,
    /// `packages-exporter/cc-export-404`
    pub cc_export_404: bool,
}

/// The exporter's routes, body limit and request timeout.
pub(crate) fn router(state: Arc<ExporterState>) -> Router {
    let routes = Router::new()
        .route(QTI_PATH, get(export_qti))
        .route(CC_PATH, get(export_cc));
    serve::limited(routes, MAX_BODY_BYTES).with_state(state)
}

/// Start the exporter on the current tokio runtime; returns once it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let faults: fault::FaultSet = settings.fault_set()?;
    if settings.token.is_empty() {
        return Err(StartError::Settings("token must not be empty".into()));
    }
    let qti_zip = qti::package(qti::QtiFaults::from_set(&faults))
        .map_err(|e| StartError::Package(format!("QTI 2.1 package: {e}")))?;
    let cc_zip = cc::package(cc::CcFaults::from_set(&faults))
        .map_err(|e| StartError::Package(format!("Common Cartridge: {e}")))?;
    tls::install_crypto_provider();
    let state = Arc::new(ExporterState {
        token: settings.token.clone(),
        qti_zip: Bytes::from(qti_zip),
        cc_zip: Bytes::from(cc_zip),
        export_500: faults.has(PackagesExporterFault::Export500),
        cc_export_404: faults.has(PackagesExporterFault::CcExport404),
    });
    let (server, base) = settings.serve(|_| router(state)).await?;
    Ok(Running {
        qti_export_url: format!("{base}{QTI_PATH}"),
        cc_export_url: format!("{base}{CC_PATH}"),
        base_url: base,
        server,
    })
}

/// `GET /export/qti21.zip`.
async fn export_qti(State(state): State<Arc<ExporterState>>, headers: HeaderMap) -> Response {
    if !bearer_ok(&headers, &state.token) {
        return unauthorized();
    }
    if state.export_500 {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the export failed (packages-exporter/export-500)",
        );
    }
    zip_response(state.qti_zip.clone(), "qti21.zip")
}

/// `GET /export/cc13.imscc`.
async fn export_cc(State(state): State<Arc<ExporterState>>, headers: HeaderMap) -> Response {
    if !bearer_ok(&headers, &state.token) {
        return unauthorized();
    }
    if state.cc_export_404 {
        return json_error(
            StatusCode::NOT_FOUND,
            "no such course (packages-exporter/cc-export-404)",
        );
    }
    zip_response(state.cc_zip.clone(), "cc13.imscc")
}

/// `200` with the zip as an attachment named `filename`.
fn zip_response(zip: Bytes, filename: &str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, ZIP_MEDIA_TYPE.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        zip,
    )
        .into_response()
}
