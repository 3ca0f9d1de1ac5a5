//! `plugfest compare`, `plugfest diff` and `--baseline`, on real runs of the reference tool: a
//! clean run and three runs with a different fault each (one MUST requirement broken per fault).
//!
//! The runs are made in-process (support::run_reference); the commands are driven through the
//! built binary, so exit codes and files are what a vendor's CI sees.

#[allow(dead_code)]
mod support;

use plugfest_core::{RunRecord, Verdict};
use plugfest_report::baseline::{Baseline, EntryStatus};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SUITE: &str = "lti13-tool";
/// (fault, the one requirement it breaks).
const FAULTS: [(&str, &str); 3] = [
    ("lti13-tool/signature-not-verified", "LTI13-TOOL-SEC-001"),
    ("lti13-tool/alg-none-accepted", "LTI13-TOOL-SEC-002"),
    ("lti13-tool/nonce-replay-accepted", "LTI13-TOOL-SEC-006"),
];

fn plugfest(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plugfest"))
        .args(args)
        .current_dir(cwd)
        .env("CI", "1")
        .env("NO_COLOR", "1")
        .env("PLUGFEST_DATA_DIR", cwd)
        .output()
        .expect("the plugfest binary runs")
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// The IDs of the requirement rows the HTML matrix marks as differing.
fn marked_rows(html: &str) -> BTreeSet<String> {
    html.split("<tr id=\"req-")
        .skip(1)
        .filter_map(|row| {
            let (id, rest) = row.split_once('"')?;
            let tr_end = rest.find('>')?;
            let marked = rest[..tr_end].contains("class=\"differs\"");
            let words = rest[..rest.find("</tr>")?].contains("<strong>Differs</strong>");
            assert_eq!(marked, words, "row {id}: the class and the words disagree");
            marked.then(|| id.to_string())
        })
        .collect()
}

struct Runs {
    clean: (RunRecord, PathBuf),
    faulted: Vec<(RunRecord, PathBuf)>,
}

async fn runs() -> Runs {
    let (clean, a, b, c) = tokio::join!(
        support::run_reference(SUITE, &[]),
        support::run_reference(SUITE, &[FAULTS[0].0]),
        support::run_reference(SUITE, &[FAULTS[1].0]),
        support::run_reference(SUITE, &[FAULTS[2].0]),
    );
    // cucumber swaps the panic hook for a silent one while it runs and puts back the one it
    // found; four runs at once can leave the silent one installed. Put the default back so a
    // failing assertion below says why.
    drop(std::panic::take_hook());
    let pair = |f: plugfest::app::Finished| {
        let json = f.reports[3].clone();
        assert!(json.ends_with("run.json"), "{}", json.display());
        (f.record, json)
    };
    Runs {
        clean: pair(clean),
        faulted: vec![pair(a), pair(b), pair(c)],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn compare_diff_and_baseline_on_real_runs() {
    let runs = runs().await;
    let dir = support::temp_dir("compare");
    // Each fault breaks its requirement (fail for a MUST, warn for a SHOULD), which the clean
    // run passes.
    for ((rec, _), (_, id)) in runs.faulted.iter().zip(FAULTS) {
        let v = rec.result(id).map(|r| r.verdict);
        assert!(
            matches!(v, Some(Verdict::Fail | Verdict::Warn)),
            "{id}: {v:?}"
        );
        assert_eq!(
            runs.clean.0.result(id).map(|r| r.verdict),
            Some(Verdict::Pass),
            "{id}"
        );
    }
    let faulted: Vec<&str> = runs.faulted.iter().map(|(_, p)| s(p)).collect();

    // compare → HTML: exactly the three requirement rows that differ are marked, in words too.
    let matrix = dir.join("matrix.html");
    let mut args = vec!["compare"];
    args.extend(&faulted);
    args.extend(["--out", s(&matrix)]);
    let o = plugfest(&args, &dir);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let html = std::fs::read_to_string(&matrix).expect("matrix.html written");
    let want: BTreeSet<String> = FAULTS.iter().map(|(_, id)| id.to_string()).collect();
    assert_eq!(marked_rows(&html), want);
    assert!(html.contains("3 requirements differ"), "summary line");
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("different catalogues") && !html.contains("different filters"),
        "same catalogue and filters: not flagged as different"
    );

    // compare → CSV: one row per requirement, one column per run, the same three differ.
    let csv_path = dir.join("matrix.csv");
    let mut args = vec!["compare"];
    args.extend(&faulted);
    args.extend(["--out", s(&csv_path), "--format", "csv"]);
    let o = plugfest(&args, &dir);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let csv = std::fs::read_to_string(&csv_path).expect("matrix.csv written");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines.len(),
        1 + runs.clean.0.results.len(),
        "header + a row each"
    );
    assert!(lines[0].starts_with("requirement,suite,level,text,"));
    assert!(lines[0].ends_with(",differs"));
    let differing: BTreeSet<String> = lines[1..]
        .iter()
        .filter(|l| l.ends_with(",differs"))
        .map(|l| l.split(',').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(differing, want);

    // compare flags a run with a different catalogue at the top.
    let mut other = runs.faulted[0].0.clone();
    other.run.catalogue_digest = "sha256:0000000000000000".into();
    let other_path = dir.join("other-catalogue.json");
    std::fs::write(&other_path, serde_json::to_string(&other).unwrap()).unwrap();
    let flagged = dir.join("flagged.html");
    let o = plugfest(
        &["compare", faulted[1], s(&other_path), "--out", s(&flagged)],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let html = std::fs::read_to_string(&flagged).unwrap();
    assert!(
        html.contains("Read with care") && html.contains("different catalogues"),
        "flagged"
    );

    // diff: clean → faulted is a regression (exit 1), faulted → clean is not (exit 0).
    let clean_json = s(&runs.clean.1);
    let o = plugfest(&["diff", clean_json, faulted[1]], &dir);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(
        md.contains("| `LTI13-TOOL-SEC-002` | MUST | pass | **fail** |"),
        "{md}"
    );
    let o = plugfest(&["diff", faulted[1], clean_json, "--format", "text"], &dir);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("better"));
    // Unreadable input: exit 2, naming the file.
    let o = plugfest(&["diff", "missing.json", clean_json], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.json"));

    // The baseline logic on the real record: accepting the failure turns 1 into 0.
    let base = dir.join("baseline.toml");
    std::fs::write(
        &base,
        "[[accept]]\nid = \"LTI13-TOOL-SEC-002\"\nreason = \"tracked in ACME-123\"\n\n\
         [[accept]]\nid = \"LTI13-TOOL-SEC-006\"\nreason = \"fixed last week?\"\n",
    )
    .unwrap();
    let b = Baseline::load(&base).expect("baseline parses");
    let applied = b.apply(&runs.faulted[1].0);
    assert_eq!((applied.exit_code_without, applied.exit_code), (1, 0));
    assert_eq!(
        applied.entries[1].1,
        EntryStatus::NoLongerFails(Verdict::Pass)
    );
}

/// `plugfest demo --baseline FILE` end to end: exit 0 with the failure accepted, the stale entry
/// reported, and the record's notes saying both; a bad baseline file is exit 2 naming the key.
#[test]
fn demo_with_a_baseline_accepts_listed_failures_and_reports_stale_entries() {
    let dir = support::temp_dir("baseline");
    let base = dir.join("baseline.toml");
    std::fs::write(
        &base,
        "[[accept]]\nid = \"LTI13-TOOL-SEC-002\"\nreason = \"tracked in ACME-123\"\n\n\
         [[accept]]\nid = \"LTI13-TOOL-SEC-006\"\nreason = \"fixed last week?\"\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = plugfest(
        &[
            "demo",
            "--quiet",
            "--suite",
            SUITE,
            "--fault",
            "lti13-tool/alg-none-accepted",
            "--baseline",
            s(&base),
            "--out",
            s(&out),
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("1 known failure accepted; exit 1 without it"),
        "{stdout}"
    );
    let rec: RunRecord =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let notes = rec.notes.join("\n");
    assert!(
        notes.contains("LTI13-TOOL-SEC-002 (fail) accepted by the baseline — tracked in ACME-123"),
        "{notes}"
    );
    assert!(
        notes
            .contains("LTI13-TOOL-SEC-006 no longer fails (now pass): remove it from the baseline"),
        "{notes}"
    );
    // The verdict itself is unchanged: the baseline hides nothing from the reader.
    assert_eq!(
        rec.result("LTI13-TOOL-SEC-002").map(|r| r.verdict),
        Some(Verdict::Fail)
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("accepted by the baseline"));

    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[[accept]]\nid = \"X-1\"\nreason = \"r\"\nowner = \"me\"\n",
    )
    .unwrap();
    let o = plugfest(&["demo", "--baseline", s(&bad), "--out", s(&out)], &dir);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml") && err.contains("`owner`"), "{err}");
}
