//! The reference **OneRoster provider**, 1.1 or 1.2: the REST binding of rostering, gradebook
//! and resources (spec-notes §2; the official 1.2 OpenAPI) served over HTTPS from a SQLite
//! database that a deterministic synthetic district fills, with the named faults of
//! [`OneRoster12Fault`] and [`OneRoster11Fault`].
//!
//! Endpoints: 1.2 `/ims/oneroster/{rostering,gradebook,resources}/v1p2/…` behind OAuth 2 client
//! credentials (`POST /oauth/token`, HTTP Basic client authentication) with per-operation
//! scopes; 1.1 `/ims/oneroster/v1p1/…` behind OAuth 1.0a HMAC-SHA256 request signing. Pages
//! are read from SQL with LIMIT/OFFSET over an indexed order, so memory stays bounded whatever
//! the district's size. [`start`] generates the district, binds and spawns the server;
//! [`Running`] says where it is and stops it (the database file goes with it).

mod auth;
mod db;
mod endpoints;
mod errors;
mod fault;
mod filter;
mod generator;
mod gradebook;
mod model;
mod names;
mod paging;
mod query;
mod render;
mod rng;
mod routes;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use fault::{OneRoster11Fault, OneRoster12Fault};

use crate::oauth1::NonceCache;
use crate::serve;
use crate::tls;

/// The OneRoster version a provider serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// OneRoster 1.1 (`/ims/oneroster/v1p1`, OAuth 1.0a).
    V1p1,
    /// OneRoster 1.2 (`/ims/oneroster/{service}/v1p2`, OAuth 2 client credentials).
    V1p2,
}

impl Version {
    /// The role name (`oneroster11-provider`, `oneroster12-provider`).
    pub fn role(self) -> &'static str {
        match self {
            Version::V1p1 => "oneroster11-provider",
            Version::V1p2 => "oneroster12-provider",
        }
    }
}

/// The path of the 1.2 token endpoint.
pub const TOKEN_PATH: &str = "/oauth/token";
/// The root every version's base paths hang under (what the config's `base_url` names).
pub const ROOT_PATH: &str = "/ims/oneroster";
/// The largest request body accepted (a gradebook PUT or POST).
const MAX_BODY_BYTES: usize = 256 * 1024;

/// The size of the district to generate; the defaults are the small demo district.
#[derive(Debug, Clone, Copy)]
pub struct DistrictSize {
    /// Students in the district.
    pub students: u64,
    /// Schools (high, middle and elementary in turn).
    pub schools: u64,
    /// The generator's seed: the same seed gives the same district.
    pub seed: u64,
}

impl Default for DistrictSize {
    fn default() -> Self {
        DistrictSize {
            students: 300,
            schools: 3,
            seed: 2026,
        }
    }
}

/// How to run the provider: where, with which certificate, which version, which district, and
/// which client credentials. `faults` are qualified names of the version's role.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on, e.g. `127.0.0.1:0` for any free port.
    pub bind: std::net::SocketAddr,
    /// Server certificate chain (PEM).
    pub cert_pem: String,
    /// Server private key (PEM).
    pub key_pem: String,
    /// The version served.
    pub version: Version,
    /// The district to generate.
    pub district: DistrictSize,
    /// The OAuth 2 client id (1.2) or OAuth 1.0a consumer key (1.1).
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
    /// Qualified fault names of the version's role.
    pub faults: Vec<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("key_pem", &"<redacted>")
            .field("version", &self.version)
            .field("district", &self.district)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}

/// Why the provider could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A fault name that is not one of the version's role's.
    #[error("`{name}` is not a fault of {role} (`plugfest reference faults` lists them)")]
    UnknownFault {
        /// The name as given.
        name: String,
        /// The role started.
        role: &'static str,
    },
    /// A setting that cannot be used (empty credentials, an impossible district).
    #[error("oneroster provider settings: {0}")]
    Settings(String),
    /// The database could not be created or loaded.
    #[error("oneroster provider database: {0}")]
    Database(String),
    /// The HTTPS server could not start.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
}

/// A running provider: its URLs, the generated district's figures, and the server, which
/// stops (and removes its database) when this is dropped.
#[derive(Debug)]
pub struct Running {
    /// `https://127.0.0.1:PORT`.
    pub base_url: String,
    /// `{base_url}/ims/oneroster`: the root the config's `base_url` names.
    pub root_url: String,
    /// `{base_url}/oauth/token` (used by 1.2 only).
    pub token_url: String,
    /// The class gradebook writes may go to.
    pub sandbox_class: String,
    /// Rows per table of the generated district.
    pub rows: Vec<(&'static str, i64)>,
    /// How long generating the district took.
    pub generated_in: Duration,
    server: tls::HttpsServer,
    /// Removes the database files when the provider is dropped, even while connection tasks
    /// still hold the database open (Linux keeps an unlinked file readable until closed).
    _db_file: DbFile,
}

/// The database file of a running provider, removed on drop.
#[derive(Debug)]
struct DbFile(std::path::PathBuf);

impl Drop for DbFile {
    fn drop(&mut self) {
        remove_db(&self.0);
    }
}

impl Running {
    /// The address the provider listens on.
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.server.local_addr()
    }

    /// Stop the provider: the port and its tasks are freed. (Dropping does the same.)
    pub fn shutdown(self) {
        self.server.shutdown();
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Provider {
    pub version: Version,
    /// `https://127.0.0.1:PORT`, the base of every URL the provider writes.
    pub base_url: String,
    pub db: Arc<db::Db>,
    pub auth: auth::Auth,
    pub bends: fault::Bends,
    pub district_id: String,
}

/// Check `faults` against the version's role.
fn fault_names(settings: &Settings) -> Result<fault::Bends, StartError> {
    let role = settings.version.role();
    for name in &settings.faults {
        let known = match settings.version {
            Version::V1p1 => OneRoster11Fault::from_name(name).is_some(),
            Version::V1p2 => OneRoster12Fault::from_name(name).is_some(),
        };
        if !known {
            return Err(StartError::UnknownFault {
                name: name.clone(),
                role,
            });
        }
    }
    fault::Bends::from_names(&settings.faults)
        .map_err(|name| StartError::UnknownFault { name, role })
}

/// Generate the district, then start the provider on the current tokio runtime; returns once
/// it is listening.
pub async fn start(settings: Settings) -> Result<Running, StartError> {
    let bends = fault_names(&settings)?;
    if settings.client_id.is_empty() || settings.client_secret.is_empty() {
        return Err(StartError::Settings(
            "client_id and client_secret must not be empty".into(),
        ));
    }
    let d = settings.district;
    if d.schools == 0 || d.students < d.schools || d.schools > 10_000 || d.students > 5_000_000 {
        return Err(StartError::Settings(format!(
            "a district needs 1..=10000 schools and at least one student per school (at most 5000000): {} students, {} schools",
            d.students, d.schools
        )));
    }
    tls::install_crypto_provider();
    let path = std::env::temp_dir().join(format!(
        "plugfest-{}-{}-{}.sqlite",
        settings.version.role(),
        std::process::id(),
        serve::random_hex(6)
    ));
    let version = settings.version;
    let started = Instant::now();
    let load_path = path.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        generator::load(
            &load_path,
            &generator::District {
                students: d.students,
                schools: d.schools,
                seed: d.seed,
            },
            version,
        )
    })
    .await
    .map_err(|e| StartError::Database(e.to_string()))?;
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            remove_db(&path);
            return Err(StartError::Database(e));
        }
    };
    let generated_in = started.elapsed();
    let db_file = DbFile(path.clone());
    let db = Arc::new(db::Db::over(path).map_err(StartError::Database)?);

    let auth = auth::Auth {
        client_id: settings.client_id.clone(),
        client_secret: settings.client_secret.clone(),
        tokens: auth::Tokens::default(),
        nonces: NonceCache::new(),
    };
    let (server, base) = serve::https(
        settings.bind,
        &settings.cert_pem,
        &settings.key_pem,
        |base| {
            let provider = Provider {
                version,
                base_url: base.to_owned(),
                db,
                auth,
                bends,
                district_id: generator::DISTRICT_ID.to_owned(),
            };
            serve::limited(routes::router(version), MAX_BODY_BYTES).with_state(Arc::new(provider))
        },
    )
    .await?;
    Ok(Running {
        root_url: format!("{base}{ROOT_PATH}"),
        token_url: format!("{base}{TOKEN_PATH}"),
        base_url: base,
        sandbox_class: loaded.sandbox_class,
        rows: loaded.rows,
        generated_in,
        server,
        _db_file: db_file,
    })
}

fn remove_db(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
