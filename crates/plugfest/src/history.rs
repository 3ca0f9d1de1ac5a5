//! Run history: every `plugfest run` and `plugfest demo` is recorded in a local SQLite database
//! (`history.sqlite` in the user data folder, `--db PATH` to choose one, `--no-history` to skip),
//! and `plugfest history` lists the runs newest first with a trend per product.
//!
//! What is stored per run: when it started and finished, the product (name, vendor, version),
//! the Plugfest version and commit, the suites, the filters (`--tags`, custom features, filtered),
//! the verdict counts per suite, the profile verdicts, every requirement's verdict (for the
//! trend), the exit code, the report folder, the SHA-256 of the evidence bundle when one was
//! written, the seed and the catalogue digest. No evidence, no config, no secrets.
//!
//! The schema is created on first use; `PRAGMA user_version` holds its version so later
//! releases can migrate it, and `PRAGMA application_id` marks the file as Plugfest's. Every
//! statement takes its values as parameters.

use crate::app::Finished;
use crate::cli::CommonArgs;
use clap::Args;
use plugfest_core::Verdict;
use plugfest_core::record::{ProfileVerdict, RunRecord};
use plugfest_report::diff::{ChangeKind, classify};
use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the default history database inside the user data folder.
pub const DB_FILE: &str = "history.sqlite";
/// Version of the schema this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 1;
/// `PRAGMA application_id` of a Plugfest history database ("PLGF").
pub const APPLICATION_ID: i64 = 0x504c_4746;
/// Runs per product the trend line looks at.
pub const TREND_RUNS: usize = 10;

/// Schema version 1.
const SCHEMA_V1: &str = "
CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    recorded         TEXT    NOT NULL,
    started          TEXT    NOT NULL,
    finished         TEXT    NOT NULL,
    product_name     TEXT    NOT NULL,
    product_vendor   TEXT    NOT NULL,
    product_version  TEXT    NOT NULL,
    plugfest_version TEXT    NOT NULL,
    plugfest_commit  TEXT    NOT NULL,
    suites           TEXT    NOT NULL,
    tags             TEXT,
    custom           INTEGER NOT NULL,
    filtered         INTEGER NOT NULL,
    exit_code        INTEGER NOT NULL,
    report_dir       TEXT    NOT NULL,
    bundle_sha256    TEXT,
    seed             TEXT    NOT NULL,
    catalogue_digest TEXT    NOT NULL
);
CREATE INDEX runs_by_product ON runs (product_name COLLATE NOCASE, started);
CREATE TABLE suite_counts (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    suite   TEXT    NOT NULL,
    verdict TEXT    NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (run_id, suite, verdict)
);
CREATE TABLE profiles (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    suite       TEXT    NOT NULL,
    verdict     TEXT    NOT NULL,
    must_failed INTEGER NOT NULL,
    assessed    INTEGER NOT NULL,
    catalogued  INTEGER NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE verdicts (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    requirement TEXT    NOT NULL,
    suite       TEXT    NOT NULL,
    level       TEXT    NOT NULL,
    verdict     TEXT    NOT NULL,
    PRIMARY KEY (run_id, requirement)
);
";

/// `plugfest history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only runs of this product (its config's `[product] name`; case-insensitive).
    #[arg(long, value_name = "NAME")]
    pub product: Option<String>,
    /// The history database. Default: history.sqlite in the user data directory
    /// ($PLUGFEST_DATA_DIR, else $XDG_DATA_HOME/plugfest, else ~/.local/share/plugfest).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Show at most this many runs, newest first.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
}

/// One profile's verdict as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    /// Profile key.
    pub name: String,
    /// Title ("LTI 1.3 Core — tool").
    pub title: String,
    /// Suite it draws on.
    pub suite: String,
    /// The verdict.
    pub verdict: ProfileVerdict,
    /// MUST requirements that failed.
    pub must_failed: i64,
    /// Requirements assessed.
    pub assessed: i64,
    /// Requirements catalogued.
    pub catalogued: i64,
}

/// One recorded run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRun {
    /// Row id (increases with every run recorded).
    pub id: i64,
    /// Start, RFC 3339 UTC.
    pub started: String,
    /// End, RFC 3339 UTC.
    pub finished: String,
    /// Product name.
    pub product_name: String,
    /// Vendor.
    pub product_vendor: String,
    /// Product version under test.
    pub product_version: String,
    /// Plugfest version.
    pub plugfest_version: String,
    /// Git commit Plugfest was built from.
    pub plugfest_commit: String,
    /// Suites run.
    pub suites: Vec<String>,
    /// `--tags` expression, if any.
    pub tags: Option<String>,
    /// Custom feature files (`--features`).
    pub custom: bool,
    /// Narrowed by `--suite` or `--tags`.
    pub filtered: bool,
    /// Verdict counts per suite.
    pub counts: BTreeMap<String, BTreeMap<Verdict, usize>>,
    /// Profile verdicts, in the record's order.
    pub profiles: Vec<StoredProfile>,
    /// The exit code the run ended with.
    pub exit_code: i32,
    /// Where its reports were written.
    pub report_dir: String,
    /// SHA-256 of the evidence bundle, when one was written.
    pub bundle_sha256: Option<String>,
    /// The run's seed.
    pub seed: String,
    /// SHA-256 of the catalogues used.
    pub catalogue_digest: String,
}

impl StoredRun {
    /// Verdict counts over every suite.
    pub fn total(&self) -> BTreeMap<Verdict, usize> {
        let mut total = BTreeMap::new();
        for counts in self.counts.values() {
            for (v, n) in counts {
                *total.entry(*v).or_insert(0) += n;
            }
        }
        total
    }

    /// How many results had verdict `v`.
    pub fn count(&self, v: Verdict) -> usize {
        self.total().get(&v).copied().unwrap_or(0)
    }
}

/// How the latest run of a product moved against the previous one (DESIGN §4 order, per
/// requirement, as `plugfest diff` classifies it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Movement {
    /// Requirements whose verdict got worse: (id, old, new).
    pub worse: Vec<(String, Verdict, Verdict)>,
    /// Requirements whose verdict got better: (id, old, new).
    pub better: Vec<(String, Verdict, Verdict)>,
    /// Requirements newly assessed.
    pub new_coverage: usize,
    /// Requirements no longer assessed.
    pub lost_coverage: usize,
}

impl Movement {
    /// Classify every requirement present in both runs.
    pub fn between(old: &BTreeMap<String, Verdict>, new: &BTreeMap<String, Verdict>) -> Movement {
        let mut m = Movement::default();
        for (id, &n) in new {
            let Some(&o) = old.get(id) else { continue };
            match classify(o, n) {
                Some(ChangeKind::Regression) => m.worse.push((id.clone(), o, n)),
                Some(ChangeKind::Improvement) => m.better.push((id.clone(), o, n)),
                Some(ChangeKind::NewCoverage) => m.new_coverage += 1,
                Some(ChangeKind::LostCoverage) => m.lost_coverage += 1,
                Some(ChangeKind::Changed) | None => {}
            }
        }
        m
    }

    /// "worse", "better", "mixed" or "unchanged".
    pub fn word(&self) -> &'static str {
        match (self.worse.is_empty(), self.better.is_empty()) {
            (false, true) => "worse",
            (true, false) => "better",
            (false, false) => "mixed",
            (true, true) => "unchanged",
        }
    }
}

/// A product's trend: its last runs, oldest first, and how the latest moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    /// Product name.
    pub product: String,
    /// Its last runs (at most [`TREND_RUNS`]), oldest first.
    pub runs: Vec<StoredRun>,
    /// Latest against previous, when there are two runs.
    pub movement: Option<Movement>,
}

/// An open history database.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

fn text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn parse<T: DeserializeOwned>(s: &str, what: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown {what} `{s}`").into(),
        )
    })
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl History {
    /// Open (creating file, folder and schema on first use) the database at `path`.
    pub fn open(path: &Path) -> Result<History, String> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                format!(
                    "history database {}: cannot create {}: {e}",
                    path.display(),
                    parent.display()
                )
            })?;
        }
        let conn = Connection::open(path).map_err(|e| Self::message(path, &e))?;
        let mut history = History {
            conn,
            path: path.to_path_buf(),
        };
        history.prepare().map_err(|e| Self::message(path, &e))?;
        Ok(history)
    }

    /// The database's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn message(path: &Path, e: &rusqlite::Error) -> String {
        let hint = match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase)
            | Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                " — the file is damaged or not a history database; move it aside and Plugfest starts a new one"
            }
            _ => "",
        };
        format!("history database {}: {e}{hint}", path.display())
    }

    fn invalid(message: String) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
            Some(message),
        )
    }

    /// Settings, then the schema (created or migrated to [`SCHEMA_VERSION`]).
    fn prepare(&mut self) -> rusqlite::Result<()> {
        self.conn.busy_timeout(Duration::from_secs(10))?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        let app: i64 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Self::invalid(format!(
                "written by a newer Plugfest (schema version {version}; this one knows up to {SCHEMA_VERSION})"
            )));
        }
        if version == 0 {
            let tables: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            if tables > 0 || app != 0 {
                return Err(Self::invalid(
                    "an SQLite database, but not a Plugfest history (choose another --db)".into(),
                ));
            }
        } else if app != APPLICATION_ID {
            return Err(Self::invalid(
                "an SQLite database, but not a Plugfest history (choose another --db)".into(),
            ));
        }
        // Migrations, one step per version.
        if version < 1 {
            let tx = self.conn.transaction()?;
            tx.execute_batch(SCHEMA_V1)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Record a finished run; returns its row id.
    pub fn record(
        &mut self,
        record: &RunRecord,
        exit_code: i32,
        report_dir: &Path,
        bundle_sha256: Option<&str>,
    ) -> Result<i64, String> {
        self.record_inner(record, exit_code, report_dir, bundle_sha256)
            .map_err(|e| Self::message(&self.path, &e))
    }

    fn record_inner(
        &mut self,
        record: &RunRecord,
        exit_code: i32,
        report_dir: &Path,
        bundle_sha256: Option<&str>,
    ) -> rusqlite::Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO runs (recorded, started, finished, product_name, product_vendor,
                 product_version, plugfest_version, plugfest_commit, suites, tags, custom,
                 filtered, exit_code, report_dir, bundle_sha256, seed, catalogue_digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                now(),
                record.run.started,
                record.run.finished,
                record.product.name,
                record.product.vendor,
                record.product.version,
                record.plugfest.version,
                record.plugfest.commit,
                serde_json::to_string(&record.run.suites).unwrap_or_else(|_| "[]".into()),
                record.run.tags,
                record.run.custom,
                record.run.filtered,
                exit_code,
                report_dir.display().to_string(),
                bundle_sha256,
                record.run.seed,
                record.run.catalogue_digest,
            ],
        )?;
        let id = tx.last_insert_rowid();
        let mut counts: BTreeMap<(&str, Verdict), i64> = BTreeMap::new();
        for r in &record.results {
            *counts.entry((r.suite.as_str(), r.verdict)).or_insert(0) += 1;
        }
        {
            let mut stmt = tx.prepare(
                "INSERT INTO suite_counts (run_id, suite, verdict, count) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for ((suite, verdict), n) in &counts {
                stmt.execute(params![id, suite, verdict.as_str(), n])?;
            }
            let mut stmt = tx.prepare(
                "INSERT INTO profiles (run_id, position, name, title, suite, verdict, must_failed,
                     assessed, catalogued) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for (i, p) in record.profiles.iter().enumerate() {
                stmt.execute(params![
                    id,
                    i as i64,
                    p.name,
                    p.title,
                    p.suite,
                    text(&p.verdict),
                    p.must_failed as i64,
                    p.assessed as i64,
                    p.catalogued as i64,
                ])?;
            }
            let mut stmt = tx.prepare(
                "INSERT OR REPLACE INTO verdicts (run_id, requirement, suite, level, verdict)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for r in &record.results {
                stmt.execute(params![
                    id,
                    r.id,
                    r.suite,
                    text(&r.level),
                    r.verdict.as_str()
                ])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// Runs, newest first (by start time, then by the order they were recorded), at most
    /// `limit`, only those of `product` (case-insensitive) when given.
    pub fn runs(&self, product: Option<&str>, limit: usize) -> Result<Vec<StoredRun>, String> {
        self.runs_inner(product, limit)
            .map_err(|e| Self::message(&self.path, &e))
    }

    fn runs_inner(&self, product: Option<&str>, limit: usize) -> rusqlite::Result<Vec<StoredRun>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, started, finished, product_name, product_vendor, product_version,
                    plugfest_version, plugfest_commit, suites, tags, custom, filtered, exit_code,
                    report_dir, bundle_sha256, seed, catalogue_digest
             FROM runs
             WHERE ?1 IS NULL OR product_name = ?1 COLLATE NOCASE
             ORDER BY started DESC, id DESC
             LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut runs = stmt
            .query_map(params![product, limit], |row| {
                let suites: String = row.get(8)?;
                Ok(StoredRun {
                    id: row.get(0)?,
                    started: row.get(1)?,
                    finished: row.get(2)?,
                    product_name: row.get(3)?,
                    product_vendor: row.get(4)?,
                    product_version: row.get(5)?,
                    plugfest_version: row.get(6)?,
                    plugfest_commit: row.get(7)?,
                    suites: serde_json::from_str(&suites).unwrap_or_default(),
                    tags: row.get(9)?,
                    custom: row.get(10)?,
                    filtered: row.get(11)?,
                    exit_code: row.get(12)?,
                    report_dir: row.get(13)?,
                    bundle_sha256: row.get(14)?,
                    seed: row.get(15)?,
                    catalogue_digest: row.get(16)?,
                    counts: BTreeMap::new(),
                    profiles: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut counts = self.conn.prepare(
            "SELECT suite, verdict, count FROM suite_counts WHERE run_id = ?1 ORDER BY suite",
        )?;
        let mut profiles = self.conn.prepare(
            "SELECT name, title, suite, verdict, must_failed, assessed, catalogued
             FROM profiles WHERE run_id = ?1 ORDER BY position",
        )?;
        for run in &mut runs {
            let rows = counts.query_map(params![run.id], |row| {
                let verdict: String = row.get(1)?;
                Ok((
                    row.get::<_, String>(0)?,
                    parse::<Verdict>(&verdict, "verdict")?,
                    row.get::<_, i64>(2)?,
                ))
            })?;
            for row in rows {
                let (suite, verdict, n) = row?;
                run.counts
                    .entry(suite)
                    .or_default()
                    .insert(verdict, usize::try_from(n).unwrap_or(0));
            }
            run.profiles = profiles
                .query_map(params![run.id], |row| {
                    let verdict: String = row.get(3)?;
                    Ok(StoredProfile {
                        name: row.get(0)?,
                        title: row.get(1)?,
                        suite: row.get(2)?,
                        verdict: parse(&verdict, "profile verdict")?,
                        must_failed: row.get(4)?,
                        assessed: row.get(5)?,
                        catalogued: row.get(6)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
        }
        Ok(runs)
    }

    /// Every requirement's verdict in run `id`.
    pub fn verdicts(&self, id: i64) -> Result<BTreeMap<String, Verdict>, String> {
        self.verdicts_inner(id)
            .map_err(|e| Self::message(&self.path, &e))
    }

    fn verdicts_inner(&self, id: i64) -> rusqlite::Result<BTreeMap<String, Verdict>> {
        let mut stmt = self
            .conn
            .prepare("SELECT requirement, verdict FROM verdicts WHERE run_id = ?1")?;
        let rows = stmt.query_map(params![id], |row| {
            let verdict: String = row.get(1)?;
            Ok((row.get::<_, String>(0)?, parse(&verdict, "verdict")?))
        })?;
        rows.collect()
    }

    /// Whether any run is recorded at all.
    pub fn is_empty(&self) -> Result<bool, String> {
        self.conn
            .query_row("SELECT id FROM runs LIMIT 1", [], |r| r.get::<_, i64>(0))
            .optional()
            .map(|row| row.is_none())
            .map_err(|e| Self::message(&self.path, &e))
    }

    /// The trend of `product`: its last [`TREND_RUNS`] runs, and latest against previous.
    pub fn trend(&self, product: &str) -> Result<Trend, String> {
        let mut runs = self.runs(Some(product), TREND_RUNS)?;
        let movement = match runs.as_slice() {
            [latest, previous, ..] => Some(Movement::between(
                &self.verdicts(previous.id)?,
                &self.verdicts(latest.id)?,
            )),
            _ => None,
        };
        runs.reverse();
        Ok(Trend {
            product: product.to_string(),
            runs,
            movement,
        })
    }
}

/// The database a command uses: `--db`, else history.sqlite in the user data folder.
pub fn db_path(db: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(db) = db {
        return Ok(db.to_path_buf());
    }
    crate::cmd_bundle::data_dir()
        .map(|d| d.join(DB_FILE))
        .ok_or_else(|| {
            format!(
                "no user data folder (set {} or HOME), and no --db given",
                crate::cmd_bundle::DATA_DIR_ENV
            )
        })
}

/// After a run (`run`/`demo`): record it unless `--no-history`. A failure is a warning on
/// stderr; it never changes the run's exit code.
pub fn record_after_run(
    common: &CommonArgs,
    done: &Finished,
    exit_code: u8,
    bundle_sha256: Option<&str>,
) {
    if common.no_history {
        return;
    }
    let report_dir = done
        .reports
        .first()
        .and_then(|p| p.parent())
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
        .unwrap_or_default();
    let result = db_path(common.db.as_deref())
        .and_then(|path| History::open(&path))
        .and_then(|mut h| {
            h.record(
                &done.record,
                i32::from(exit_code),
                &report_dir,
                bundle_sha256,
            )
        });
    if let Err(message) = result {
        eprintln!(
            "warning: this run was not recorded in the run history: {message} (the reports are written; --no-history skips the history)"
        );
    }
}

fn counts_line(counts: &BTreeMap<Verdict, usize>) -> String {
    counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(v, n)| format!("{v} {n}", v = v.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "2026-05-06 12:00:03Z" from an RFC 3339 time.
fn short_time(t: &str) -> String {
    let t = t.replacen('T', " ", 1);
    match t.find('.') {
        Some(dot) => {
            let zone = t[dot..]
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .map(|i| &t[dot + i..])
                .unwrap_or("");
            format!("{}{zone}", &t[..dot])
        }
        None => t,
    }
}

/// The listing `plugfest history` prints.
pub fn render(path: &Path, runs: &[StoredRun], trends: &[Trend]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run history in {}: {} run{}, newest first",
        path.display(),
        runs.len(),
        if runs.len() == 1 { "" } else { "s" }
    );
    for run in runs {
        let mut filters = Vec::new();
        if let Some(tags) = &run.tags {
            filters.push(format!("tags {tags}"));
        }
        if run.filtered {
            filters.push("filtered".to_string());
        }
        if run.custom {
            filters.push("custom features".to_string());
        }
        let filters = if filters.is_empty() {
            String::new()
        } else {
            format!(" ({})", filters.join(", "))
        };
        let _ = writeln!(
            out,
            "\n#{} {}  {} {} ({})  suites: {}{filters}",
            run.id,
            short_time(&run.started),
            run.product_name,
            run.product_version,
            run.product_vendor,
            run.suites.join(", "),
        );
        for (suite, counts) in &run.counts {
            let _ = writeln!(out, "  {suite}: {}", counts_line(counts));
        }
        if !run.profiles.is_empty() {
            let profiles: Vec<String> = run
                .profiles
                .iter()
                .map(|p| {
                    if p.must_failed > 0 {
                        format!(
                            "{}: {} ({} MUST failed)",
                            p.title,
                            p.verdict.title(),
                            p.must_failed
                        )
                    } else {
                        format!("{}: {}", p.title, p.verdict.title())
                    }
                })
                .collect();
            let _ = writeln!(out, "  profiles: {}", profiles.join("; "));
        }
        let bundle = run
            .bundle_sha256
            .as_deref()
            .map(|d| format!(" · bundle sha256 {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  exit {} · Plugfest {} ({}) · reports {}{bundle}",
            run.exit_code, run.plugfest_version, run.plugfest_commit, run.report_dir
        );
    }
    if !trends.is_empty() {
        let _ = writeln!(
            out,
            "\nTrends (last {TREND_RUNS} runs per product, oldest → newest):"
        );
    }
    for t in trends {
        let series = |v: Verdict| {
            t.runs
                .iter()
                .map(|r| r.count(v).to_string())
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let mut line = format!("  {}: fail {}", t.product, series(Verdict::Fail));
        if t.runs.iter().any(|r| r.count(Verdict::Error) > 0) {
            let _ = write!(line, "; error {}", series(Verdict::Error));
        }
        match &t.movement {
            None => line.push_str("; only one run recorded"),
            Some(m) => {
                let word = m.word();
                let _ = write!(
                    line,
                    "; latest run {} than the previous one",
                    match word {
                        "worse" => "is worse",
                        "better" => "is better",
                        "mixed" => "is better in some requirements and worse in others",
                        _ => "is no better and no worse",
                    }
                );
                let moves = |list: &[(String, Verdict, Verdict)]| {
                    let mut s = list
                        .iter()
                        .take(5)
                        .map(|(id, o, n)| format!("{id} {} → {}", o.as_str(), n.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ");
                    if list.len() > 5 {
                        let _ = write!(s, ", … {} more", list.len() - 5);
                    }
                    s
                };
                if !m.worse.is_empty() {
                    let _ = write!(line, "; worse: {}", moves(&m.worse));
                }
                if !m.better.is_empty() {
                    let _ = write!(line, "; better: {}", moves(&m.better));
                }
                if m.new_coverage > 0 {
                    let _ = write!(line, "; {} newly assessed", m.new_coverage);
                }
                if m.lost_coverage > 0 {
                    let _ = write!(line, "; {} no longer assessed", m.lost_coverage);
                }
                if let [.., previous, latest] = t.runs.as_slice()
                    && (previous.catalogue_digest != latest.catalogue_digest
                        || previous.suites != latest.suites
                        || previous.tags != latest.tags)
                {
                    line.push_str(
                        " (the two runs used different catalogues, suites or filters: lined up by requirement ID)",
                    );
                }
            }
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// `plugfest history`: 0 listed (or nothing to list), 2 the database cannot be read.
pub fn history(args: &HistoryArgs) -> u8 {
    match history_inner(args) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn history_inner(args: &HistoryArgs) -> Result<String, String> {
    let path = db_path(args.db.as_deref())?;
    if !path.exists() {
        return Ok(format!(
            "No runs recorded yet ({} does not exist). Every `plugfest run` and `plugfest demo` adds one.\n",
            path.display()
        ));
    }
    let history = History::open(&path)?;
    let runs = history.runs(args.product.as_deref(), args.limit as usize)?;
    if runs.is_empty() {
        return Ok(match (&args.product, history.is_empty()?) {
            (Some(p), false) => format!(
                "No runs of product \"{p}\" in {} (`plugfest history` without --product lists every product).\n",
                path.display()
            ),
            _ => format!(
                "No runs recorded yet in {}. Every `plugfest run` and `plugfest demo` adds one.\n",
                path.display()
            ),
        });
    }
    let mut products: Vec<&str> = Vec::new();
    for run in &runs {
        if !products
            .iter()
            .any(|p| p.eq_ignore_ascii_case(&run.product_name))
        {
            products.push(&run.product_name);
        }
    }
    let trends = products
        .iter()
        .map(|p| history.trend(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(render(&path, &runs, &trends))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plugfest_core::record::{Harness, ProfileResult, RunInfo};
    use plugfest_core::{Level, RequirementResult, Tier};

    /// A database path two folders deep in a fresh temp folder (removed on drop).
    struct TempDb(PathBuf, PathBuf);

    impl std::ops::Deref for TempDb {
        type Target = PathBuf;
        fn deref(&self) -> &PathBuf {
            &self.1
        }
    }

    impl AsRef<Path> for TempDb {
        fn as_ref(&self) -> &Path {
            &self.1
        }
    }

    impl Drop for TempDb {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn temp_db(name: &str) -> TempDb {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "plugfest-history-unit-{}-{name}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let db = dir.join("nested").join(DB_FILE);
        TempDb(dir, db)
    }

    fn result(id: &str, verdict: Verdict) -> RequirementResult {
        RequirementResult {
            id: id.into(),
            suite: "lti13-tool".into(),
            level: Level::Must,
            spec: "d#1".into(),
            text: "t".into(),
            impact: "i".into(),
            fix: "f".into(),
            verdict,
            tier: Tier::Automatic,
            message: String::new(),
            expected: None,
            observed: None,
            evidence: vec![],
            reproduce: String::new(),
            cert_ref: None,
            scenarios: vec![],
            profiles: vec![],
        }
    }

    fn record(product: &str, started: &str, verdicts: &[(&str, Verdict)]) -> RunRecord {
        let results: Vec<_> = verdicts.iter().map(|(id, v)| result(id, *v)).collect();
        let members: Vec<&RequirementResult> = results.iter().collect();
        let profile = ProfileResult::compute("core", "Core — tool", "lti13-tool", &members);
        RunRecord {
            record_version: "1.0".into(),
            plugfest: Harness {
                version: "0.1.0".into(),
                commit: "abc".into(),
            },
            product: plugfest_core::config::Product {
                name: product.into(),
                vendor: "ACME".into(),
                version: "2.0".into(),
            },
            run: RunInfo {
                started: started.into(),
                finished: started.into(),
                seed: "00".repeat(32),
                config_digest: "c".into(),
                catalogue_digest: "cat".into(),
                features_digest: "f".into(),
                suites: vec!["lti13-tool".into()],
                tags: Some("@must".into()),
                custom: false,
                filtered: true,
                evidence: "masked".into(),
            },
            profiles: vec![profile],
            results,
            notes: vec![],
        }
    }

    #[test]
    fn a_run_round_trips_through_the_database() {
        let path = temp_db("roundtrip");
        let rec = record(
            "Tool",
            "2026-01-02T03:04:05.123Z",
            &[
                ("A-1", Verdict::Pass),
                ("A-2", Verdict::Fail),
                ("A-3", Verdict::Pass),
            ],
        );
        let mut h = History::open(&path).expect("opens and creates");
        let id = h
            .record(&rec, 1, Path::new("/r/out"), Some("deadbeef"))
            .expect("records");
        drop(h);
        let h = History::open(&path).expect("reopens");
        let runs = h.runs(None, 10).expect("lists");
        assert_eq!(runs.len(), 1);
        let r = &runs[0];
        assert_eq!(r.id, id);
        assert_eq!(
            (
                r.product_name.as_str(),
                r.product_vendor.as_str(),
                r.product_version.as_str()
            ),
            ("Tool", "ACME", "2.0")
        );
        assert_eq!(r.suites, vec!["lti13-tool".to_string()]);
        assert_eq!(r.tags.as_deref(), Some("@must"));
        assert!(r.filtered && !r.custom);
        assert_eq!(r.exit_code, 1);
        assert_eq!(r.report_dir, "/r/out");
        assert_eq!(r.bundle_sha256.as_deref(), Some("deadbeef"));
        assert_eq!(r.catalogue_digest, "cat");
        assert_eq!(r.seed, "00".repeat(32));
        assert_eq!(r.count(Verdict::Pass), 2);
        assert_eq!(r.count(Verdict::Fail), 1);
        assert_eq!(r.counts["lti13-tool"][&Verdict::Fail], 1);
        assert_eq!(r.profiles.len(), 1);
        assert_eq!(r.profiles[0].verdict, ProfileVerdict::NotConformant);
        assert_eq!(r.profiles[0].must_failed, 1);
        let verdicts = h.verdicts(id).expect("verdicts");
        assert_eq!(verdicts["A-2"], Verdict::Fail);
        assert_eq!(verdicts.len(), 3);
    }

    #[test]
    fn schema_version_is_set_and_a_newer_one_is_refused() {
        let path = temp_db("version");
        drop(History::open(&path).expect("creates"));
        let conn = Connection::open(&path).expect("raw open");
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("user_version");
        assert_eq!(v, SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("bump");
        drop(conn);
        let err = History::open(&path).err().expect("refused");
        assert!(err.contains("newer Plugfest"), "{err}");
    }

    #[test]
    fn a_corrupt_file_and_a_foreign_database_are_refused_with_the_path() {
        let path = temp_db("corrupt");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            b"this is not an SQLite database, just some bytes ".repeat(50),
        )
        .unwrap();
        let err = History::open(&path).err().expect("refused");
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("move it aside"), "{err}");

        let other = temp_db("foreign");
        std::fs::create_dir_all(other.parent().unwrap()).unwrap();
        let conn = Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE customers (name TEXT)")
            .unwrap();
        drop(conn);
        let err = History::open(&other).err().expect("refused");
        assert!(err.contains("not a Plugfest history"), "{err}");
    }

    #[test]
    fn runs_are_newest_first_filtered_and_limited() {
        let path = temp_db("order");
        let mut h = History::open(&path).unwrap();
        let dir = Path::new("/r");
        h.record(&record("Tool", "2026-01-01T00:00:00Z", &[]), 0, dir, None)
            .unwrap();
        h.record(&record("Other", "2026-01-03T00:00:00Z", &[]), 0, dir, None)
            .unwrap();
        h.record(&record("Tool", "2026-01-02T00:00:00Z", &[]), 0, dir, None)
            .unwrap();
        let started = |runs: Vec<StoredRun>| {
            runs.into_iter()
                .map(|r| format!("{} {}", r.product_name, &r.started[..10]))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            started(h.runs(None, 10).unwrap()),
            ["Other 2026-01-03", "Tool 2026-01-02", "Tool 2026-01-01"]
        );
        assert_eq!(
            started(h.runs(Some("tool"), 10).unwrap()),
            ["Tool 2026-01-02", "Tool 2026-01-01"]
        );
        assert_eq!(started(h.runs(None, 1).unwrap()), ["Other 2026-01-03"]);
        assert!(h.runs(Some("Nope"), 10).unwrap().is_empty());
        assert!(!h.is_empty().unwrap());
    }

    #[test]
    fn the_trend_says_worse_better_or_mixed_in_design_order() {
        let path = temp_db("trend");
        let mut h = History::open(&path).unwrap();
        let dir = Path::new("/r");
        let clean = [("A-1", Verdict::Pass), ("A-2", Verdict::Pass)];
        let broken = [("A-1", Verdict::Pass), ("A-2", Verdict::Fail)];
        let swapped = [("A-1", Verdict::Warn), ("A-2", Verdict::Pass)];
        h.record(
            &record("Tool", "2026-01-01T00:00:00Z", &clean),
            0,
            dir,
            None,
        )
        .unwrap();
        let t = h.trend("Tool").unwrap();
        assert!(t.movement.is_none());
        h.record(
            &record("Tool", "2026-01-02T00:00:00Z", &broken),
            1,
            dir,
            None,
        )
        .unwrap();
        let t = h.trend("Tool").unwrap();
        let m = t.movement.clone().unwrap();
        assert_eq!(m.word(), "worse");
        assert_eq!(m.worse, [("A-2".to_string(), Verdict::Pass, Verdict::Fail)]);
        let text = render(&path, &h.runs(None, 10).unwrap(), &[t]);
        assert!(text.contains("Tool: fail 0 → 1"), "{text}");
        assert!(
            text.contains("latest run is worse than the previous one"),
            "{text}"
        );
        h.record(
            &record("Tool", "2026-01-03T00:00:00Z", &swapped),
            0,
            dir,
            None,
        )
        .unwrap();
        assert_eq!(h.trend("Tool").unwrap().movement.unwrap().word(), "mixed");
        h.record(
            &record("Tool", "2026-01-04T00:00:00Z", &clean),
            0,
            dir,
            None,
        )
        .unwrap();
        let t = h.trend("Tool").unwrap();
        assert_eq!(t.movement.as_ref().unwrap().word(), "better");
        assert_eq!(t.runs.len(), 4);
        assert_eq!(t.runs[0].started, "2026-01-01T00:00:00Z", "oldest first");
    }

    #[test]
    fn movement_ignores_coverage_and_pass_not_applicable_swaps() {
        let old: BTreeMap<String, Verdict> = [
            ("A".to_string(), Verdict::NotAssessed),
            ("B".to_string(), Verdict::Pass),
            ("C".to_string(), Verdict::Pass),
        ]
        .into();
        let new: BTreeMap<String, Verdict> = [
            ("A".to_string(), Verdict::Fail),
            ("B".to_string(), Verdict::NotApplicable),
            ("C".to_string(), Verdict::NotAssessed),
        ]
        .into();
        let m = Movement::between(&old, &new);
        assert_eq!(m.word(), "unchanged");
        assert_eq!((m.new_coverage, m.lost_coverage), (1, 1));
    }

    #[test]
    fn short_time_drops_fractions_and_keeps_the_zone() {
        assert_eq!(
            short_time("2026-01-02T03:04:05.123456Z"),
            "2026-01-02 03:04:05Z"
        );
        assert_eq!(short_time("2026-01-02T03:04:05Z"), "2026-01-02 03:04:05Z");
    }
}
