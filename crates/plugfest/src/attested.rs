//! A run as a reader should see it: the record with the attestations filed next to it
//! (`<RUN>.attest-<ID>.json`, written by `plugfest attest`) applied, each as tier `attested`
//! with who, when and what they supplied. The record file itself is never changed: an
//! attestation is signed against its bytes.

use plugfest_core::{RunRecord, Verdict};
use plugfest_report::attest::{self, Attestation, FileCheck};
use plugfest_steps::FeatureSet;
use std::path::{Path, PathBuf};

/// The largest attestation file read.
const MAX_ATTESTATION_BYTES: u64 = 1 << 20;

/// The record at `run` with its attestations applied, and a warning for each attestation
/// file that was left out (unreadable, bad signature, about another run, changed evidence).
pub fn load(run: &Path) -> Result<(RunRecord, Vec<String>), String> {
    let bytes =
        std::fs::read(run).map_err(|e| format!("{}: cannot read it: {e}", run.display()))?;
    let mut record: RunRecord = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}: not a Plugfest run record (run.json): {e}",
            run.display()
        )
    })?;
    let digest = plugfest_core::digest::sha256_hex(&bytes);
    let mut warnings = Vec::new();
    for file in files_beside(run) {
        match read(&file, &digest) {
            Ok(a) => apply(&mut record, &a),
            Err(why) => warnings.push(format!("{}: left out: {why}", file.display())),
        }
    }
    Ok((record, warnings))
}

/// Render `report.html` and `summary.md` next to `run` again, attestations applied; only the
/// files that are already there are replaced. Returns the files written.
pub fn rerender(run: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = run.parent().unwrap_or(Path::new("."));
    let (record, warnings) = load(run)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let ctx = crate::output::report_context(&FeatureSet::embedded());
    let mut written = Vec::new();
    for name in ["report.html", "summary.md"] {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        let text = match name {
            "report.html" => plugfest_report::render_html(&record, &ctx),
            _ => plugfest_report::render_markdown(&record, &ctx),
        }
        .map_err(|e| e.to_string())?;
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `<stem>.attest-*.json` files in `run`'s folder, sorted by name.
fn files_beside(run: &Path) -> Vec<PathBuf> {
    let dir = run.parent().unwrap_or(Path::new("."));
    let stem = run
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!("{stem}.attest-");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    files
}

/// One attestation file, checked: its signature holds, it is about these run bytes, and its
/// evidence (when it is in the same folder) is unchanged.
fn read(file: &Path, run_digest: &str) -> Result<Attestation, String> {
    let len = std::fs::metadata(file).map_err(|e| e.to_string())?.len();
    if len > MAX_ATTESTATION_BYTES {
        return Err("larger than 1 MiB".into());
    }
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let a = attest::verify(&text, None).map_err(|e| e.to_string())?;
    if a.run.sha256 != run_digest {
        return Err(format!(
            "it is about another version of {} (SHA-256 differs)",
            a.run.file
        ));
    }
    let dir = file.parent().unwrap_or(Path::new("."));
    if a.evidence.check_in(dir) == FileCheck::Changed {
        return Err(format!(
            "its evidence {} was changed since it was attested",
            a.evidence.file
        ));
    }
    Ok(a)
}

fn apply(record: &mut RunRecord, a: &Attestation) {
    let verdict = if a.verdict == "fail" {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    let headline = format!("Attested by {} on {}: {}", a.by, a.at, a.note);
    let note = format!(
        "Attestation by {} at {} (was `{}` in the run; signed by key {}). Judgement: {} — “{}”. \
         Evidence supplied: {} ({} bytes, SHA-256 {}).",
        a.by,
        a.at,
        a.verdict_in_run,
        a.signer_fingerprint,
        a.verdict,
        a.note,
        a.evidence.file,
        a.evidence.size,
        a.evidence.sha256
    );
    record.attest(&a.requirement, verdict, headline, note);
}
