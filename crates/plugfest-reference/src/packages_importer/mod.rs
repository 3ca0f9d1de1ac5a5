//! The reference **package importer**: a product that takes content packages (QTI 2.x / 3.0,
//! IMS CP, Common Cartridge) over HTTPS behind a bearer token, reads each zip in memory safely
//! (`archive.rs`), checks it from the specifications (`checks.rs`), and keeps a summary of each
//! package it accepts — with the named faults of [`PackagesImporterFault`].
//!
//! Endpoints (all need `Authorization: Bearer <token>`, 401 without it):
//! - `POST /imports` — body: the zip (`Content-Type: application/zip`, at most 64 MiB). Accepted:
//!   `201 Created`, `Location: /imports/<id>`, `{"id": "<id>", "kind": …}`. Refused: `400`
//!   (`415` for a body declared as another media type) with `{"error": "<reason naming the file
//!   or identifier>"}`.
//! - `GET /imports/<id>` — `200` with the import's summary; `404` for an unknown id.
//! - `DELETE /imports/<id>` — `204`, and the import is gone; `404` for an unknown id.
//!
//! Imports live in memory only, the most recent [`MAX_IMPORTS`] of them. [`start`] binds and
//! spawns the importer; [`Running`] says where it is and stops it.

mod archive;
mod checks;
mod fault;
mod refusal;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::package_files::{bearer_ok, json_error, unauthorized};
use crate::serve;
use crate::tls;

pub use fault::PackagesImporterFault;

/// The largest package accepted (413 beyond it).
pub const MAX_BODY_BYTES: usize = 64 << 20;
/// The most imports remembered; the oldest goes first.
pub const MAX_IMPORTS: usize = 1024;
/// The import collection's path.
const IMPORTS_PATH: &str = "/imports";

serve::settings! {
    /// How to run the importer: where, with which certificate, behind which token.
    "packages-importer" {
        /// The bearer token every request must carry.
        token: String => redacted,
    }
}

serve::start_error! {
    "packages-importer", "importer",
    /// A setting that cannot be used (an empty token).
    Settings,
}

serve::running! {
    /// A running importer: its URLs, and the server, which stops when this is dropped.
    "importer" {
        /// Where packages are posted (`{base_url}/imports`); each import is
        /// `{base_url}/imports/<id>`.
        import_url,
    }
}

/// The accepted imports, by id, bounded.
#[derive(Debug, Default)]
pub(crate) struct Imports {
    inner: Mutex<(HashMap<String, serde_json::Value>, VecDeque<String>)>,
}

impl Imports {
    fn insert(&self, id: String, summary: serde_json::Value) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *inner;
        map.insert(id.clone(), summary);
        order.push_back(id);
        while order.len() > MAX_IMPORTS {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    fn get(&self, id: &str) -> Option<serde_json::Value> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.0.get(id).cloned()
    }

    fn remove(&self, id: &str) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *inner;
        let found = map.remove(id).is_some();
        if found {
            order.retain(|o| o != id);
        }
        found
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct ImporterState {
    pub token: String,
    pub imports: Imports,
    pub check_faults: checks::CheckFaults,
    pub refusal_faults: refusal::RefusalFaults,
}

/// The importer's routes, body limit and request timeout.
pub(crate) fn router(state: Arc<ImporterState>) -> Router {
    let routes = Router::new()
        .route(IMPORTS_PATH, post(import))
        .route("/imports/{id}", get(one_import).delete(one_import));
    serve::limited(routes, MAX_BODY_BYTES).with_state(state)
}

/// Start the importer on the current tokio runtime; returns once it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let faults: fault::FaultSet = settings.fault_set()?;
    if settings.token.is_empty() {
        return Err(StartError::Settings("token must not be empty".into()));
    }
    tls::install_crypto_provider();
    let state = Arc::new(ImporterState {
        token: settings.token.clone(),
        imports: Imports::default(),
        check_faults: checks::CheckFaults::from_set(&faults),
        refusal_faults: refusal::RefusalFaults::from_set(&faults),
    });
    let (server, base) = settings.serve(|_| router(state)).await?;
    Ok(Running {
        import_url: format!("{base}{IMPORTS_PATH}"),
        base_url: base,
        server,
    })
}

/// `POST /imports`: judge the package off the async executor, keep the summary if accepted.
async fn import(
    State(state): State<Arc<ImporterState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !bearer_ok(&headers, &state.token) {
        return unauthorized();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let faults = state.check_faults;
    let judged = tokio::task::spawn_blocking(move || {
        checks::inspect(content_type.as_deref(), &body, faults)
    })
    .await;
    let summary = match judged {
        Ok(Ok(summary)) => summary,
        Ok(Err(refused)) => return refusal::answer(&refused, state.refusal_faults),
        Err(_) => {
            return json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the package could not be checked",
            );
        }
    };
    let id = new_id();
    let mut record = serde_json::to_value(&summary).unwrap_or_else(|_| json!({}));
    if let Some(fields) = record.as_object_mut() {
        fields.insert("id".into(), json!(id));
    }
    state.imports.insert(id.clone(), record.clone());
    let location = format!("{IMPORTS_PATH}/{id}");
    let mut response = (StatusCode::CREATED, axum::Json(record)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `GET /imports/<id>` (the summary) and `DELETE /imports/<id>`.
async fn one_import(
    State(state): State<Arc<ImporterState>>,
    method: Method,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !bearer_ok(&headers, &state.token) {
        return unauthorized();
    }
    if method == Method::DELETE {
        if state.imports.remove(&id) {
            return StatusCode::NO_CONTENT.into_response();
        }
    } else if let Some(record) = state.imports.get(&id) {
        return (StatusCode::OK, axum::Json(record)).into_response();
    }
    unknown_import()
}

fn unknown_import() -> Response {
    json_error(StatusCode::NOT_FOUND, "no import has this id")
}

/// A fresh import id: 16 random bytes as hex.
fn new_id() -> String {
    serve::random_hex(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_bounded_and_removable() {
        let imports = Imports::default();
        for i in 0..MAX_IMPORTS + 2 {
            imports.insert(format!("id{i}"), json!({ "n": i }));
        }
        assert!(imports.get("id0").is_none() && imports.get("id1").is_none());
        assert_eq!(imports.get("id2"), Some(json!({ "n": 2 })));
        assert!(imports.remove("id2"));
        assert!(!imports.remove("id2"));
        assert!(imports.get("id2").is_none());
    }

    #[test]
    fn ids_are_fresh_hex() {
        let a = new_id();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, new_id());
    }
}
