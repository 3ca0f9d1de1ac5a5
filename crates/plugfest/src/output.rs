//! What the terminal shows: progress while running, a one-screen summary after.

use indicatif::{ProgressBar, ProgressStyle};
use plugfest_core::{RunRecord, Verdict};
use plugfest_report::ReportContext;
use plugfest_steps::{FeatureSet, Progress};
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// A bar on a terminal; plain lines in CI or off a terminal.
    Auto,
    /// Plain lines (`--quiet`).
    Lines,
    /// Nothing (tests, embedding).
    Silent,
}

/// Progress callbacks for `mode`, and a function that clears the bar at the end.
pub fn progress(mode: ProgressMode) -> (Option<Progress>, impl FnOnce()) {
    let fancy = mode == ProgressMode::Auto
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none();
    let bar: Arc<Mutex<Option<ProgressBar>>> = Arc::new(Mutex::new(None));
    let (b1, b2, b3) = (bar.clone(), bar.clone(), bar);
    let p = Progress {
        on_suite: Arc::new(move |suite: &str, count: usize| {
            if fancy {
                let pb = ProgressBar::new(count as u64);
                pb.set_style(
                    ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                pb.set_prefix(suite.to_string());
                if let Some(old) = b1.lock().expect("bar").replace(pb) {
                    old.finish();
                }
            } else {
                eprintln!("suite {suite}: {count} scenarios");
            }
        }),
        on_scenario: Arc::new(move |name: &str, ok: bool| {
            if let Some(pb) = b2.lock().expect("bar").as_ref() {
                pb.set_message(name.to_string());
                pb.inc(1);
            } else {
                eprintln!("  {} {name}", if ok { "done " } else { "issue" });
            }
        }),
    };
    let p = (mode != ProgressMode::Silent).then_some(p);
    let finish = move || {
        if let Some(pb) = b3.lock().expect("bar").take() {
            pb.finish_and_clear();
        }
    };
    (p, finish)
}

/// Titles for the reports, from specs.toml and suites.toml.
pub fn report_context(features: &FeatureSet) -> ReportContext {
    let mut ctx = ReportContext::default();
    if let Ok(specs) = features.specs() {
        ctx.spec_titles = specs
            .docs
            .into_iter()
            .map(|(k, d)| (k, (d.title, d.url)))
            .collect();
    }
    if let Ok(s) = features.suites() {
        ctx.suite_titles = s.suites.into_iter().map(|(k, d)| (k, d.title)).collect();
    }
    ctx
}

fn paint(v: Verdict, text: &str) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let code = match v {
        Verdict::Error | Verdict::Fail => "31",
        Verdict::Warn | Verdict::Manual => "33",
        Verdict::Pass => "32",
        _ => "2",
    };
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The one-screen summary: per suite verdict counts, coverage and profile verdicts; what needs attention; where the reports are.
pub fn print_summary(record: &RunRecord, paths: &[PathBuf]) {
    let p = &record.product;
    println!(
        "Plugfest {} — conformance assessment (not a certification) of {} {} ({})",
        record.plugfest.version, p.name, p.version, p.vendor
    );
    if record.run.custom || record.run.filtered {
        println!(
            "  {}{}",
            if record.run.custom {
                "custom features; "
            } else {
                ""
            },
            if record.run.filtered {
                "filtered run"
            } else {
                ""
            }
        );
    }
    for suite in &record.run.suites {
        let counts = record.counts(Some(suite));
        let total: usize = counts.values().sum();
        let assessed = total - counts.get(&Verdict::NotAssessed).copied().unwrap_or(0);
        let parts: Vec<String> = counts
            .iter()
            .map(|(v, n)| paint(*v, &format!("{v} {n}")))
            .collect();
        println!(
            "\n{suite}: {} · coverage {assessed}/{total} assessed",
            parts.join(", ")
        );
        for prof in record.profiles.iter().filter(|pr| &pr.suite == suite) {
            let extra = if prof.must_failed > 0 {
                format!(" ({} MUST failures)", prof.must_failed)
            } else {
                String::new()
            };
            println!("  {}: {}{extra}", prof.title, prof.verdict.title());
        }
    }
    let attention: Vec<_> = record
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Error | Verdict::Fail | Verdict::Warn))
        .collect();
    if !attention.is_empty() {
        println!("\nNeeds attention:");
        for r in attention.iter().take(12) {
            println!(
                "  {:<5} {:<26} {}",
                paint(r.verdict, r.verdict.as_str()),
                r.id,
                truncate(&r.message, 90)
            );
        }
        if attention.len() > 12 {
            println!("  … and {} more (see summary.md)", attention.len() - 12);
        }
    }
    for n in &record.notes {
        println!("\nNote: {n}");
    }
    println!(
        "\nReports: {}",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("Exit {}", record.exit_code());
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
