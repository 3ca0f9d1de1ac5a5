//! `plugfest diff` and `plugfest compare`, and the `--baseline FILE` glue of `run` and `demo`.
//! The logic lives in `plugfest_report::{diff, compare, baseline}`; this reads files, writes
//! output and maps outcomes to exit codes.

use clap::{Args, ValueEnum};
use plugfest_core::RunRecord;
use plugfest_report::baseline::Baseline;
use plugfest_report::compare::{CompareInput, Comparison};
use plugfest_report::diff::RunDiff;
use std::path::{Path, PathBuf};

/// `plugfest diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run's run.json.
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later run's run.json (of the same product).
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// `markdown` for a pull-request comment (default) or `text` for a terminal.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,
}

/// Output of `plugfest diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Markdown, fit for a pull-request comment.
    Markdown,
    /// Plain text, one line per change.
    Text,
}

/// `plugfest compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more run.json files, one column each, in this order.
    #[arg(value_name = "RUN.json", required = true)]
    pub runs: Vec<PathBuf>,
    /// Where to write the matrix (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// `html` (one self-contained page, default) or `csv` (one row per requirement, for spreadsheets).
    #[arg(long, value_enum, default_value_t = CompareFormat::Html)]
    pub format: CompareFormat,
}

/// Output of `plugfest compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// One self-contained HTML page.
    Html,
    /// CSV, one row per requirement and one column per run.
    Csv,
}

/// Read a run.json; the message names the file and the reason.
pub fn read_record(path: &Path) -> Result<RunRecord, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read it: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: not a Plugfest run record (run.json): {e}",
            path.display()
        )
    })
}

/// `plugfest diff OLD NEW`: prints the diff; 1 on a regression, 0 otherwise, 2 on bad input.
pub fn diff(args: &DiffArgs) -> u8 {
    let (old, new) = match (read_record(&args.old), read_record(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let d = RunDiff::new(&old, &new);
    match args.format {
        DiffFormat::Markdown => print!("{}", d.render_markdown()),
        DiffFormat::Text => print!("{}", d.render_text()),
    }
    d.exit_code() as u8
}

/// `plugfest compare A B …`: writes the matrix; 0 when written, 2 on bad input or output.
pub fn compare(args: &CompareArgs) -> u8 {
    if args.runs.len() < 2 {
        eprintln!(
            "error: `plugfest compare` needs two or more run.json files (see `plugfest compare --help`)"
        );
        return 2;
    }
    let mut inputs = Vec::with_capacity(args.runs.len());
    for path in &args.runs {
        match read_record(path) {
            Ok(record) => inputs.push(CompareInput {
                source: path.display().to_string(),
                record,
            }),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    }
    let ctx = crate::output::report_context(&plugfest_steps::FeatureSet::embedded());
    let cmp = Comparison::new(&inputs, &ctx);
    let text = match args.format {
        CompareFormat::Html => match cmp.render_html() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        CompareFormat::Csv => cmp.render_csv(),
    };
    for f in &cmp.flags {
        eprintln!("warning: {f}");
    }
    let differing = cmp.differing_requirements().len();
    match &args.out {
        None => print!("{text}"),
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: writing {}: {e}", path.display());
                return 2;
            }
            eprintln!(
                "Wrote {} ({} runs; {differing} of {} requirements differ)",
                path.display(),
                inputs.len(),
                cmp.requirements.len()
            );
        }
    }
    0
}

/// Load `--baseline FILE` if given; the message names the file and what is wrong.
pub fn load_baseline(path: Option<&Path>) -> Result<Option<Baseline>, String> {
    path.map(|p| Baseline::load(p).map_err(|e| e.to_string()))
        .transpose()
}

/// Apply a baseline to a finished run: notes into the record (before the reports are written).
pub fn annotate(baseline: Option<&Baseline>, record: &mut RunRecord) {
    if let Some(b) = baseline {
        b.apply(record).annotate(b, record);
    }
}

/// The exit code of a run under a baseline (DESIGN §3 on the results it did not accept); with a
/// baseline, one line saying so (its messages are already among the record's notes).
pub fn exit_code(baseline: Option<&Baseline>, record: &RunRecord) -> u8 {
    match baseline {
        None => record.exit_code() as u8,
        Some(b) => {
            let applied = b.apply(record);
            let n = applied.accepted().count();
            println!(
                "Exit {} with baseline {} ({n} known failure{} accepted; exit {} without it)",
                applied.exit_code,
                b.path.display(),
                if n == 1 { "" } else { "s" },
                applied.exit_code_without
            );
            applied.exit_code as u8
        }
    }
}

/// Under a baseline, add its notes to a finished run's record and write the reports again, so
/// report.html, summary.md, junit.xml and run.json all say what the baseline accepted.
pub fn apply_to_reports(
    baseline: Option<&Baseline>,
    done: &mut crate::app::Finished,
    common: &crate::cli::CommonArgs,
) -> Result<(), String> {
    let Some(b) = baseline else {
        return Ok(());
    };
    annotate(Some(b), &mut done.record);
    let features = match &common.features {
        Some(dir) => plugfest_steps::FeatureSet::from_dir(dir)
            .map_err(|e| format!("--features {}: {e}", dir.display()))?,
        None => plugfest_steps::FeatureSet::embedded(),
    };
    let ctx = crate::output::report_context(&features);
    // The folder the run wrote to (out_dir() would stamp a new one when --out is not given).
    let out = match done.reports.first().and_then(|p| p.parent()) {
        Some(dir) => dir.to_path_buf(),
        None => crate::app::out_dir(common),
    };
    done.reports = plugfest_report::write_all(&done.record, &ctx, &out)
        .map_err(|e| format!("writing reports to {}: {e}", out.display()))?;
    Ok(())
}
