//! Renders a [`RunRecord`] — the single source of truth of a run (DESIGN §3 step 4) — into the
//! four files a run leaves behind: `report.html` (one self-contained page for a district or a
//! procurement officer, prints well), `summary.md` (fits a pull-request comment), `junit.xml` (CI)
//! and `run.json` (the record itself, pretty-printed).
//!
//! Main items: [`ReportContext`] (the titles and links the record only names by key),
//! [`render_html`], [`render_markdown`], [`render_junit`], [`render_json`], [`write_all`] and
//! [`ReportError`].
//!
//! The one design choice it defends: **every byte of evidence is hostile input.** The HTML is
//! rendered by tera with autoescaping on and never `| safe` on record data, carries a
//! Content-Security-Policy that forbids scripts, and loads nothing from the network; the JUnit XML
//! goes through an escaper that also drops characters XML 1.0 forbids; Markdown puts vendor text in
//! code spans or backslash-escapes it. Control characters never reach an output.
//!
//! What it must not know: no HTTP, no Gherkin, no protocol. It reads the record and nothing else;
//! verdicts, profile verdicts and coverage are already decided in `plugfest-core`.
#![deny(missing_docs)]

pub mod attest;
pub mod bundle;
pub mod signing;

pub mod baseline;
pub mod compare;
pub mod diff;

mod html;
mod junit;
mod markdown;
mod view;

use plugfest_core::RunRecord;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the record names only by key: specification documents and suites.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportContext {
    /// Document key (`lti-sec-1.0`) → (title, URL), from `features/specs.toml`.
    pub spec_titles: BTreeMap<String, (String, String)>,
    /// Suite key (`lti13-tool`) → title (`LTI 1.3 — tool`).
    pub suite_titles: BTreeMap<String, String>,
}

/// Why a report could not be rendered or written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A template failed to parse or render (a bug in `reports/templates/`, not in the record).
    #[error("report template `{template}`: {detail}")]
    Template {
        /// Template name (`report.html`).
        template: String,
        /// The whole tera error chain, one cause after another.
        detail: String,
    },
    /// The record could not be serialised.
    #[error("serialising the run record: {0}")]
    Json(#[from] serde_json::Error),
    /// A file or directory could not be written.
    #[error("writing {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// File names [`write_all`] writes, in the order of the paths it returns.
pub const FILE_NAMES: [&str; 4] = ["report.html", "summary.md", "junit.xml", "run.json"];

/// `report.html`: one self-contained page (inline CSS, no scripts, no external assets).
pub fn render_html(record: &RunRecord, ctx: &ReportContext) -> Result<String, ReportError> {
    html::render(record, ctx)
}

/// `summary.md`: header, one table per suite, then the requirements that need attention
/// (error / fail / warn) with a reproduction line each; capped to fit a PR comment (~60 KB).
pub fn render_markdown(record: &RunRecord, ctx: &ReportContext) -> Result<String, ReportError> {
    Ok(markdown::render(record, ctx))
}

/// `junit.xml`: one `<testsuite>` per suite, one `<testcase>` per requirement.
pub fn render_junit(record: &RunRecord) -> Result<String, ReportError> {
    Ok(junit::render(record))
}

/// `run.json`: the record, pretty-printed, with a final newline.
pub fn render_json(record: &RunRecord) -> Result<String, ReportError> {
    let mut s = serde_json::to_string_pretty(record)?;
    s.push('\n');
    Ok(s)
}

/// Render all four reports and write them into `out_dir` (created if needed), replacing
/// `report.html`, `summary.md`, `junit.xml` and `run.json` if they exist.
///
/// Everything is rendered before anything is written, and each file is written to a temporary
/// name and renamed over the old one, so a failure never leaves a half-written report.
/// Returns the four paths in the order of [`FILE_NAMES`].
pub fn write_all(
    record: &RunRecord,
    ctx: &ReportContext,
    out_dir: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    let contents = [
        render_html(record, ctx)?,
        render_markdown(record, ctx)?,
        render_junit(record)?,
        render_json(record)?,
    ];
    std::fs::create_dir_all(out_dir).map_err(|source| ReportError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let mut paths = Vec::with_capacity(FILE_NAMES.len());
    for (name, text) in FILE_NAMES.iter().zip(contents) {
        let path = out_dir.join(name);
        let tmp = out_dir.join(format!(".{name}.tmp"));
        let io = |source| ReportError::Io {
            path: path.clone(),
            source,
        };
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        paths.push(path);
    }
    Ok(paths)
}
