//! `plugfest report pdf|html RUN.json`: the run's report rendered again from its record (with the
//! attestations filed next to it), printed to PDF by a local Chromium or written as HTML.
//!
//! The HTML is rendered again from the run record (with the embedded catalogue's titles) into a
//! fresh temp folder, and Chromium prints it headless from `file://`, with a fresh profile and
//! no background networking, so nothing leaves the machine. Chromium is looked for as
//! `PLUGFEST_CHROMIUM`, then `chromium`, `chromium-browser`, `google-chrome` on `PATH`; without
//! one, the message names the install command and the exit code is 2.

use clap::{Args, Subcommand};
use plugfest_steps::FeatureSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long Chromium may take to print before it is killed.
pub const PRINT_TIMEOUT: Duration = Duration::from_secs(60);

/// Environment variable naming the Chromium (or Chrome) executable to use.
pub const CHROMIUM_ENV: &str = "PLUGFEST_CHROMIUM";

/// Executable names looked for on `PATH`, in this order.
pub const CHROMIUM_NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// The install command printed when no Chromium is found.
pub const INSTALL_HINT: &str = "sudo apt-get install chromium";

/// `plugfest report …`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Print a run's report to PDF through a local Chromium (headless, offline).
    ///
    /// Example: plugfest report pdf reports/out/20250101T120000Z/run.json --out acme.pdf
    ///
    /// Exit codes: 0 written; 2 unreadable run record, no Chromium, or Chromium failed.
    Pdf(RenderArgs),
    /// Render a run's report.html again from its run.json, with the attestations filed next to
    /// it (`plugfest attest`) shown as tier "attested".
    ///
    /// Example: plugfest report html reports/out/20250101T120000Z/run.json --out report.html
    ///
    /// Exit codes: 0 written; 2 unreadable run record or output not writable.
    Html(RenderArgs),
}

/// `plugfest report pdf|html`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The run record (run.json) to render.
    #[arg(value_name = "RUN.json")]
    pub run: PathBuf,
    /// Where to write. Default: report.pdf (or report.html) next to RUN.json.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `plugfest report html RUN.json [--out FILE.html]`: the exit code (0 written, 2 otherwise).
pub fn html(args: &RenderArgs) -> u8 {
    let out = args.out.clone().unwrap_or_else(|| {
        args.run
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join("report.html")
    });
    let written = crate::attested::load(&args.run).and_then(|(record, warnings)| {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
        let ctx = crate::output::report_context(&FeatureSet::embedded());
        let html = plugfest_report::render_html(&record, &ctx).map_err(|e| e.to_string())?;
        std::fs::write(&out, html).map_err(|e| format!("writing {}: {e}", out.display()))
    });
    match written {
        Ok(()) => {
            println!("Wrote {}", out.display());
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

/// `plugfest report …`: the exit code.
pub fn run(cmd: &ReportCommand) -> u8 {
    match cmd {
        ReportCommand::Pdf(args) => pdf(args),
        ReportCommand::Html(args) => html(args),
    }
}

/// `plugfest report pdf RUN.json [--out FILE.pdf]`: the exit code (0 written, 2 otherwise).
pub fn pdf(args: &RenderArgs) -> u8 {
    match write_pdf(&args.run, args.out.as_deref()) {
        Ok(out) => {
            println!("Wrote {}", out.display());
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

/// Render `run`'s report and print it to PDF at `out` (default: report.pdf next to `run`);
/// returns the PDF's path, or a message for the user.
pub fn write_pdf(run: &Path, out: Option<&Path>) -> Result<PathBuf, String> {
    let (record, warnings) = crate::attested::load(run)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let chromium = find_chromium()?;
    let out = match out {
        Some(p) => p.to_path_buf(),
        None => run
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join("report.pdf"),
    };
    let ctx = crate::output::report_context(&FeatureSet::embedded());
    let html = plugfest_report::render_html(&record, &ctx).map_err(|e| e.to_string())?;

    let work = TempDir::new()?;
    let html_path = work.0.join("report.html");
    std::fs::write(&html_path, html)
        .map_err(|e| format!("writing {}: {e}", html_path.display()))?;
    let printed = work.0.join("report.pdf");
    print_to_pdf(&chromium, &html_path, &printed, &work.0.join("profile"))?;

    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    // Copy to a temporary name and rename, so a failure never leaves half a PDF behind.
    let file_name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report.pdf".into());
    let tmp = out.with_file_name(format!(".{file_name}.tmp"));
    std::fs::copy(&printed, &tmp).map_err(|e| format!("writing {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("writing {}: {e}", out.display())
    })?;
    Ok(out)
}

/// The Chromium to print with: `PLUGFEST_CHROMIUM` if set, else the first of
/// [`CHROMIUM_NAMES`] on `PATH`; `Err` is the message with the install command.
pub fn find_chromium() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(CHROMIUM_ENV).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return match which(&p) {
            Some(found) => Ok(found),
            None => Err(format!(
                "{CHROMIUM_ENV}={} is not an executable file; point it at Chromium or Chrome, or unset it to look for {} on PATH",
                p.display(),
                CHROMIUM_NAMES.join(", ")
            )),
        };
    }
    CHROMIUM_NAMES
        .iter()
        .find_map(|name| which(Path::new(name)))
        .ok_or_else(|| {
            format!(
                "printing to PDF needs Chromium, and none was found ({} on PATH, or {CHROMIUM_ENV}). Install it with: {INSTALL_HINT}",
                CHROMIUM_NAMES.join(", ")
            )
        })
}

/// `name` if it is a path to an executable file, else its first match on `PATH`.
fn which(name: &Path) -> Option<PathBuf> {
    if name.components().count() > 1 || name.is_absolute() {
        return is_executable(name).then(|| name.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        p.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Print the page at `html` to `pdf` with headless Chromium, offline, with a fresh profile in
/// `profile`; killed after [`PRINT_TIMEOUT`]. `Err` carries the end of Chromium's stderr.
pub fn print_to_pdf(
    chromium: &Path,
    html: &Path,
    pdf: &Path,
    profile: &Path,
) -> Result<(), String> {
    let html = std::path::absolute(html).map_err(|e| format!("{}: {e}", html.display()))?;
    let pdf = std::path::absolute(pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    let url = url::Url::from_file_path(&html)
        .map_err(|()| format!("{}: cannot be made a file:// URL", html.display()))?;
    std::fs::create_dir_all(profile).map_err(|e| format!("{}: {e}", profile.display()))?;
    let log_path = profile.with_extension("stderr.log");
    let log =
        std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url.as_str())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", chromium.display()))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} did not finish printing within {} s and was stopped{}",
                    chromium.display(),
                    PRINT_TIMEOUT.as_secs(),
                    log_tail(&log_path)
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(format!("waiting for {}: {e}", chromium.display())),
        }
    };
    let is_pdf = std::fs::read(&pdf)
        .map(|b| b.starts_with(b"%PDF"))
        .unwrap_or(false);
    if !status.success() || !is_pdf {
        return Err(format!(
            "{} did not print a PDF ({status}){}",
            chromium.display(),
            log_tail(&log_path)
        ));
    }
    Ok(())
}

/// The last lines of Chromium's stderr, for an error message.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(8)..];
    format!("; Chromium said:\n  {}", tail.join("\n  "))
}

/// A fresh folder under the system temp dir, removed (with Chromium's profile) on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("plugfest-pdf-{}-{nanos:09}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
