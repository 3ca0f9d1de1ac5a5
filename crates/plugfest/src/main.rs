//! The `plugfest` binary: parses the command line, wires the crates together and maps the run
//! to an exit code (0 conformant, 1 a MUST failed, 2 could not decide). Nothing more.

mod cli;
mod lab;
mod output;

use clap::Parser as _;
use cli::{Cli, Command, CommonArgs, EvidenceMode, ReferenceCommand};
use plugfest_core::record::Harness;
use plugfest_core::{Config, Seed};
use plugfest_steps::{FeatureSet, RunOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Run(args) => match &args.config {
            Some(config) => run_config(config, &args.common, cli.quiet, None).await,
            None => {
                eprintln!(
                    "error: `plugfest run` needs --config FILE (see `plugfest run --help`; `plugfest demo` runs without one)"
                );
                2
            }
        },
        Command::Demo(args) => demo(&args, cli.quiet).await,
        Command::Reference(ReferenceCommand::Faults) => {
            for f in plugfest_reference::faults::all() {
                println!("{}\t{}\t{}", f.name, f.ids.join(","), f.description);
            }
            0
        }
        Command::Reference(ReferenceCommand::Serve { role, faults, dir }) => {
            serve(&role, &faults, &dir).await
        }
    };
    ExitCode::from(code)
}

/// `plugfest demo`: the reference lab, then exactly the `run` path on its config.
async fn demo(args: &cli::DemoArgs, quiet: bool) -> u8 {
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
    let common = CommonArgs {
        out: Some(out),
        ..clone_common(&args.common)
    };
    run_config(&lab.config_path, &common, quiet, Some(repro)).await
}

/// Load a config, run, write the four reports, print the summary; returns the exit code.
async fn run_config(
    config_path: &Path,
    common: &CommonArgs,
    quiet: bool,
    reproduce: Option<String>,
) -> u8 {
    let config = match Config::load(config_path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let features = match &common.features {
        Some(dir) => match FeatureSet::from_dir(dir) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: --features {}: {e}", dir.display());
                return 2;
            }
        },
        None => FeatureSet::embedded(),
    };
    let seed = match common.seed.as_deref().map(|s| Seed::from_hex(s).ok_or(s)) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(s)) => {
            eprintln!("error: --seed `{s}` must be the 64 hex digits of a run.json's run.seed");
            return 2;
        }
    };
    let (progress, finish) = output::progress(quiet);
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
        progress: Some(progress),
        reproduce: reproduce
            .unwrap_or_else(|| format!("plugfest run --config {}", config_path.display())),
    };
    let record = plugfest_steps::run(opts).await;
    finish();
    let record = match record {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let out = out_dir(common);
    let ctx = output::report_context(&features);
    match plugfest_report::write_all(&record, &ctx, &out) {
        Ok(paths) => {
            output::print_summary(&record, &paths);
            record.exit_code() as u8
        }
        Err(e) => {
            eprintln!("error: writing reports to {}: {e}", out.display());
            2
        }
    }
}

/// `plugfest reference serve`: start one role, print its config, serve until Ctrl-C.
async fn serve(role: &str, faults: &[String], dir: &Path) -> u8 {
    match lab::start(dir, &[role.to_string()], faults).await {
        Ok(lab) => {
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

fn out_dir(common: &CommonArgs) -> PathBuf {
    common.out.clone().unwrap_or_else(|| {
        let stamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .unwrap_or_else(|_| "run".into());
        PathBuf::from("reports/out").join(stamp)
    })
}

fn clone_common(c: &CommonArgs) -> CommonArgs {
    CommonArgs {
        suites: c.suites.clone(),
        tags: c.tags.clone(),
        out: c.out.clone(),
        seed: c.seed.clone(),
        evidence: c.evidence,
        features: c.features.clone(),
    }
}
