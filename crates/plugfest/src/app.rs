//! The run path shared by `plugfest run` and `plugfest demo`: load, run, write, summarise.

use crate::cli::{CommonArgs, DemoArgs, EvidenceMode};
use crate::output::ProgressMode;
use crate::{lab, output};
use plugfest_core::record::Harness;
use plugfest_core::{Config, RunRecord, Seed};
use plugfest_steps::{FeatureSet, RunOptions};
use std::path::{Path, PathBuf};

/// What a finished run produced.
pub struct Finished {
    /// The run record.
    pub record: RunRecord,
    /// The four report files.
    pub reports: Vec<PathBuf>,
    /// The config's `[signing] key` (PEM), resolved, when it names one.
    pub signing_key: Option<plugfest_core::config::Secret>,
}

/// `plugfest demo`, then exactly the `run` path on its config.
pub async fn demo(args: &DemoArgs, progress: ProgressMode) -> u8 {
    let out = out_dir(&args.common);
    let lab = match lab::start(&out.join("demo-lab"), &args.common.suites, &args.faults).await {
        Ok(lab) => lab,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut repro = format!("plugfest demo --out {}", out.display());
    for f in &args.faults {
        repro.push_str(&format!(" --fault {f}"));
    }
    // The reference's sandbox is the whole reference: the demo may write to it (DESIGN §3).
    let common = CommonArgs {
        out: Some(out),
        allow_writes: true,
        allow_incomplete: true,
        ..args.common.clone()
    };
    let baseline = args.baseline.as_deref();
    run_config(&lab.config_path, &common, baseline, progress, Some(repro)).await
}

/// Load a config, run, write the four reports, print the summary; returns the exit code
/// (with `baseline`, DESIGN §3's code on the results the baseline did not accept).
pub async fn run_config(
    config_path: &Path,
    common: &CommonArgs,
    baseline: Option<&Path>,
    progress: ProgressMode,
    reproduce: Option<String>,
) -> u8 {
    let baseline = match crate::cmd_compare::load_baseline(baseline) {
        Ok(b) => b,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    match run_and_report(config_path, common, progress, reproduce).await {
        Ok(mut done) => {
            let mut bundle_sha256 = None;
            let code = if let Err(message) =
                crate::cmd_compare::apply_to_reports(baseline.as_ref(), &mut done, common)
            {
                eprintln!("error: {message}");
                2
            } else {
                output::print_summary(&done.record, &done.reports);
                match crate::cmd_bundle::write_if_asked(common, &done) {
                    Ok(digest) => {
                        bundle_sha256 = digest;
                        crate::cmd_compare::exit_code(baseline.as_ref(), &done.record)
                    }
                    Err(message) => {
                        eprintln!("error: {message}");
                        2
                    }
                }
            };
            // Recorded whatever the outcome; a history failure is only a warning.
            crate::history::record_after_run(common, &done, code, bundle_sha256.as_deref());
            code
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

/// The run path without printing: `Err` is a message for a run that could not start (exit 2).
pub async fn run_and_report(
    config_path: &Path,
    common: &CommonArgs,
    progress: ProgressMode,
    reproduce: Option<String>,
) -> Result<Finished, String> {
    let config = Config::load(config_path).map_err(|e| e.to_string())?;
    let signing_key = match &config.signing {
        Some(s) => Some(
            s.key
                .resolve(&config, "signing.key")
                .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    let features = match &common.features {
        Some(dir) => {
            FeatureSet::from_dir(dir).map_err(|e| format!("--features {}: {e}", dir.display()))?
        }
        None => FeatureSet::embedded(),
    };
    let seed = match common.seed.as_deref() {
        None => None,
        Some(s) => Some(Seed::from_hex(s).ok_or_else(|| {
            format!("--seed `{s}` must be the 64 hex digits of a run.json's run.seed")
        })?),
    };
    let (progress, finish) = output::progress(progress);
    let opts = RunOptions {
        config,
        features: features.clone(),
        suites: common.suites.clone(),
        tags: common.tags.clone(),
        seed,
        evidence_full: common.evidence == EvidenceMode::Full,
        harness: Harness {
            version: env!("CARGO_PKG_VERSION").into(),
            commit: env!("PLUGFEST_COMMIT").into(),
        },
        progress,
        reproduce: reproduce
            .unwrap_or_else(|| format!("plugfest run --config {}", config_path.display())),
        schemas: common.schemas.clone(),
        allow_writes: common.allow_writes,
        allow_incomplete: common.allow_incomplete,
    };
    let record = plugfest_steps::run(opts).await;
    finish();
    let record = record.map_err(|e| e.to_string())?;
    let out = out_dir(common);
    let ctx = output::report_context(&features);
    let reports = plugfest_report::write_all(&record, &ctx, &out)
        .map_err(|e| format!("writing reports to {}: {e}", out.display()))?;
    Ok(Finished {
        record,
        reports,
        signing_key,
    })
}

/// `plugfest reference serve`: start one role, print its config, serve until Ctrl-C.
pub async fn serve(
    role: &str,
    faults: &[String],
    dir: &Path,
    district: crate::cli::DistrictArgs,
) -> u8 {
    let default = plugfest_reference::oneroster::DistrictSize::default();
    let size = plugfest_reference::oneroster::DistrictSize {
        students: district.students.unwrap_or(default.students),
        schools: district.schools.unwrap_or(default.schools),
        seed: district.seed.unwrap_or(default.seed),
    };
    let started = std::time::Instant::now();
    match lab::start_sized(dir, &[role.to_string()], faults, size).await {
        Ok(lab) => {
            if role.starts_with("oneroster") {
                println!(
                    "# District: {} students in {} schools (seed {}), generated and started in {:.1} s",
                    size.students,
                    size.schools,
                    size.seed,
                    started.elapsed().as_secs_f64()
                );
            }
            println!("{}", lab.config_text);
            println!("# Config written to {}", lab.config_path.display());
            println!(
                "# Assess it from another terminal: plugfest run --config {}",
                lab.config_path.display()
            );
            println!("# Serving; press Ctrl-C to stop.");
            let _ = tokio::signal::ctrl_c().await;
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// The report folder: --out, or reports/out/<UTC timestamp>/.
pub fn out_dir(common: &CommonArgs) -> PathBuf {
    common.out.clone().unwrap_or_else(|| {
        let stamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .unwrap_or_else(|_| "run".into());
        PathBuf::from("reports/out").join(stamp)
    })
}
