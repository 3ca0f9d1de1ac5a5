//! The provider's SQLite database: its schema (one table per object type, each object's JSON
//! beside the columns the relationship endpoints join on), a small pool of connections used
//! from `spawn_blocking`, and two bounded caches that keep walking a large collection linear:
//! the total of each query (`X-Total-Count`) and the last `sourcedId` of each page served in
//! the default order (so the next page seeks instead of skipping `offset` rows).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::Connection;

use super::errors::ApiError;

/// Connections in the pool (also the most queries running at once).
const POOL_SIZE: usize = 4;
/// Entries each cache holds before it is emptied.
const CACHE_ENTRIES: usize = 4096;
/// SQLite page cache per connection, KiB (negative `cache_size` is KiB).
const CACHE_KIB: i64 = 16 * 1024;

/// Tables and the columns relationship endpoints use; the indexes come after bulk loading.
pub(crate) const SCHEMA: &str = "
CREATE TABLE orgs (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
  json TEXT NOT NULL);
CREATE TABLE academic_sessions (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL, parent_id TEXT, json TEXT NOT NULL);
CREATE TABLE courses (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE, org_id TEXT,
  json TEXT NOT NULL);
CREATE TABLE classes (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  course_id TEXT NOT NULL, school_id TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE class_terms (class_id TEXT NOT NULL, term_id TEXT NOT NULL,
  PRIMARY KEY (class_id, term_id)) WITHOUT ROWID;
CREATE TABLE users (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
  json TEXT NOT NULL);
CREATE TABLE user_orgs (user_id TEXT NOT NULL, org_id TEXT NOT NULL,
  PRIMARY KEY (user_id, org_id)) WITHOUT ROWID;
CREATE TABLE enrollments (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  class_id TEXT NOT NULL, user_id TEXT NOT NULL, school_id TEXT NOT NULL, role TEXT NOT NULL,
  json TEXT NOT NULL);
CREATE TABLE demographics (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  json TEXT NOT NULL);
CREATE TABLE categories (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  json TEXT NOT NULL);
CREATE TABLE line_items (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  class_id TEXT NOT NULL, school_id TEXT, category_id TEXT, json TEXT NOT NULL);
CREATE TABLE results (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  line_item_id TEXT NOT NULL, student_id TEXT NOT NULL, class_id TEXT, json TEXT NOT NULL);
CREATE TABLE score_scales (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  class_id TEXT, school_id TEXT, json TEXT NOT NULL);
CREATE TABLE resources (id INTEGER PRIMARY KEY, sourced_id TEXT NOT NULL UNIQUE,
  json TEXT NOT NULL);
CREATE TABLE class_resources (class_id TEXT NOT NULL, resource_id TEXT NOT NULL,
  PRIMARY KEY (class_id, resource_id)) WITHOUT ROWID;
CREATE TABLE course_resources (course_id TEXT NOT NULL, resource_id TEXT NOT NULL,
  PRIMARY KEY (course_id, resource_id)) WITHOUT ROWID;
";

/// Indexes for the relationship endpoints, built once the district is loaded.
pub(crate) const INDEXES: &str = "
CREATE INDEX orgs_type ON orgs (type, sourced_id);
CREATE INDEX sessions_type ON academic_sessions (type, sourced_id);
CREATE INDEX sessions_parent ON academic_sessions (parent_id);
CREATE INDEX courses_org ON courses (org_id);
CREATE INDEX classes_course ON classes (course_id);
CREATE INDEX classes_school ON classes (school_id);
CREATE INDEX class_terms_term ON class_terms (term_id);
CREATE INDEX users_role ON users (role, sourced_id);
CREATE INDEX user_orgs_org ON user_orgs (org_id);
CREATE INDEX enrollments_class ON enrollments (class_id, role);
CREATE INDEX enrollments_user ON enrollments (user_id);
CREATE INDEX enrollments_school ON enrollments (school_id, sourced_id);
CREATE INDEX line_items_class ON line_items (class_id);
CREATE INDEX results_line_item ON results (line_item_id);
CREATE INDEX results_class ON results (class_id, student_id);
CREATE INDEX score_scales_class ON score_scales (class_id);
CREATE INDEX score_scales_school ON score_scales (school_id);
CREATE INDEX class_resources_resource ON class_resources (resource_id);
ANALYZE;
";

/// The database file and its connections; the file is removed when this is dropped.
#[derive(Debug)]
pub(crate) struct Db {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
    permits: tokio::sync::Semaphore,
    generation: AtomicU64,
    counts: Mutex<HashMap<String, i64>>,
    cursors: Mutex<HashMap<(String, u64), String>>,
    /// The default order's flip per query, for the `unstable-order` fault.
    flips: Mutex<HashMap<String, bool>>,
}

/// Open (creating) the database at `path` with the settings every connection uses.
pub(crate) fn open(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -{CACHE_KIB};
         PRAGMA temp_store = FILE; PRAGMA foreign_keys = OFF;"
    ))
    .map_err(|e| format!("configuring SQLite: {e}"))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Lock a mutex even if a panicking holder poisoned it (the data stays consistent: every
/// critical section here is a single map or vector operation).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Db {
    /// The pool over an already loaded database file (which this `Db` now owns).
    pub(crate) fn over(path: PathBuf) -> Result<Db, String> {
        let pool = (0..POOL_SIZE)
            .map(|_| open(&path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Db {
            path,
            pool: Mutex::new(pool),
            permits: tokio::sync::Semaphore::new(POOL_SIZE),
            generation: AtomicU64::new(0),
            counts: Mutex::new(HashMap::new()),
            cursors: Mutex::new(HashMap::new()),
            flips: Mutex::new(HashMap::new()),
        })
    }

    /// Run `f` on a pooled connection, off the async executor.
    pub(crate) async fn run<T, F>(self: &std::sync::Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Db, &Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("database closed"))?;
        let conn = lock(&self.pool)
            .pop()
            .ok_or_else(|| ApiError::internal("no database connection free"))?;
        let db = self.clone();
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let result = f(&db, &conn);
            (conn, result)
        })
        .await
        .map_err(|_| ApiError::internal("database task failed"))?;
        lock(&self.pool).push(conn);
        result
    }

    /// The cache generation; bumped by every write.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Forget cached totals and page ends (after a write).
    pub(crate) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        lock(&self.counts).clear();
        lock(&self.cursors).clear();
    }

    /// Whether query `key` runs in flipped order, flipping it first when `toggle` (the
    /// `unstable-order` fault: each walk of a query sees the other order).
    pub(crate) fn flip(&self, key: &str, toggle: bool) -> bool {
        let mut flips = lock(&self.flips);
        if flips.len() >= CACHE_ENTRIES {
            flips.clear();
        }
        let f = flips.entry(key.to_owned()).or_insert(false);
        if toggle {
            *f = !*f;
        }
        *f
    }

    /// The cached total of query `key`.
    pub(crate) fn cached_count(&self, key: &str) -> Option<i64> {
        lock(&self.counts).get(key).copied()
    }

    /// Remember the total of `key`, if nothing was written since `generation`.
    pub(crate) fn store_count(&self, key: String, total: i64, generation: u64) {
        let mut counts = lock(&self.counts);
        if self.generation() == generation {
            if counts.len() >= CACHE_ENTRIES {
                counts.clear();
            }
            counts.insert(key, total);
        }
    }

    /// The `sourcedId` that ended the page of `key` ending just before `offset`.
    pub(crate) fn cursor(&self, key: &str, offset: u64) -> Option<String> {
        lock(&self.cursors).get(&(key.to_owned(), offset)).cloned()
    }

    /// Remember that the page of `key` ending before `offset` ended with `last`.
    pub(crate) fn store_cursor(&self, key: String, offset: u64, last: String, generation: u64) {
        let mut cursors = lock(&self.cursors);
        if self.generation() == generation {
            if cursors.len() >= CACHE_ENTRIES {
                cursors.clear();
            }
            cursors.insert((key, offset), last);
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        lock(&self.pool).clear();
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}
