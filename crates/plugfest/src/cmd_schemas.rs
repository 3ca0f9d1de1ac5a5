//! `plugfest schemas install --from DIR [--to DIR]` and `plugfest schemas verify [DIR]`: put the
//! official XSD bundle where Plugfest looks for it, checked file by file against the schema set
//! embedded in the binary (`schemas/xsd-bundle.toml`, DESIGN §8).
//!
//! An install is all or nothing: the source is verified first, copied into a staging folder next
//! to the target, the copy verified again, and only then renamed into place (an existing install
//! is moved aside, replaced, then removed). Exit codes: 0 done, 1 `verify` found differences,
//! 2 bad input (including a source that is not exactly the schema set).

use crate::cmd_bundle::data_dir;
use clap::{Args, Subcommand};
use plugfest_packages::SchemaBundle;
use plugfest_packages::xsd::SCHEMAS_ENV;
use plugfest_packages::xsd::manifest::{Difference, SchemaManifest, VerifyReport};
use std::path::{Path, PathBuf};

/// How many differences are printed before "… and N more".
const SHOWN: usize = 50;

/// `plugfest schemas …`.
#[derive(Debug, Subcommand)]
pub enum SchemasCommand {
    /// Copy an XSD bundle folder into the schema directory, after checking that it is exactly the
    /// schema set this Plugfest was built with.
    ///
    /// Every file of the folder is checked against the embedded manifest (schemas/xsd-bundle.toml:
    /// each file's source and SHA-256): a missing file, a changed byte or a file the set does not
    /// list is an error naming the file, and nothing is installed. The copy goes into a staging
    /// folder next to the target, is verified again and then renamed into place, replacing an
    /// earlier install.
    ///
    /// Target: --to DIR, else $PLUGFEST_SCHEMAS, else schemas/ in the user data directory
    /// ($PLUGFEST_DATA_DIR, else $XDG_DATA_HOME/plugfest, else ~/.local/share/plugfest). Plugfest
    /// looks for schemas in --schemas DIR, then $PLUGFEST_SCHEMAS, then that folder.
    ///
    /// --from takes a local folder holding catalog.xml. Downloading from a URL is not supported
    /// (Plugfest does not fetch schemas over the network): download and unpack the bundle
    /// yourself, then install the folder.
    ///
    /// Example: plugfest schemas install --from ../shared/schemas/xsd
    ///
    /// Example: plugfest schemas install --from ~/Downloads/plugfest-xsd --to /opt/plugfest/schemas
    ///
    /// Exit codes: 0 installed; 2 not installed (the folder is not the schema set, a URL was
    /// given, or the target cannot be written).
    Install(InstallArgs),
    /// Check an installed schema bundle (or any folder) against the embedded schema set.
    ///
    /// Lists every file that is missing, changed or not part of the set.
    ///
    /// Example: plugfest schemas verify
    ///
    /// Example: plugfest schemas verify /opt/plugfest/schemas
    ///
    /// Exit codes: 0 the folder is exactly the schema set; 1 it differs; 2 no folder to check
    /// (none given and none installed) or it cannot be read.
    Verify(VerifyArgs),
}

/// `plugfest schemas install`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// The bundle folder to copy (it holds catalog.xml). A local folder only, not a URL.
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// Where to install. Default: $PLUGFEST_SCHEMAS, else schemas/ in the user data directory.
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
}

/// `plugfest schemas verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The folder to check. Default: where Plugfest finds its schemas ($PLUGFEST_SCHEMAS, else
    /// schemas/ in the user data directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Runs a `plugfest schemas` subcommand; returns the exit code.
pub fn run(cmd: &SchemasCommand) -> u8 {
    match cmd {
        SchemasCommand::Install(args) => install(args),
        SchemasCommand::Verify(args) => verify(args),
    }
}

/// `plugfest schemas verify [DIR]`: 0 exactly the set, 1 differences, 2 nothing to check.
pub fn verify(args: &VerifyArgs) -> u8 {
    let manifest = SchemaManifest::embedded();
    let Some(dir) = args.dir.clone().or_else(|| SchemaBundle::locate(None)) else {
        eprintln!(
            "error: no schema bundle is installed ({SCHEMAS_ENV} is not set and {} does not exist).\n\
             Install one with: plugfest schemas install --from DIR",
            default_target().map_or_else(
                || "the user data directory".to_string(),
                |d| d.display().to_string()
            )
        );
        return 2;
    };
    let report = match manifest.verify(&dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot check {}: {e}", dir.display());
            return 2;
        }
    };
    if report.is_ok() {
        println!(
            "OK: {} holds schema set {}: {}.",
            dir.display(),
            report.name,
            counts(&report)
        );
        0
    } else {
        println!(
            "DIFFERS: {} is not schema set {}: {}:",
            dir.display(),
            report.name,
            tally(&report.differences)
        );
        print_differences(&report.differences, false);
        if args.dir.is_none() {
            println!("Reinstall with: plugfest schemas install --from DIR");
        }
        1
    }
}

/// `plugfest schemas install --from DIR [--to DIR]`: 0 installed, 2 not installed.
pub fn install(args: &InstallArgs) -> u8 {
    match try_install(args) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn try_install(args: &InstallArgs) -> Result<(), String> {
    let manifest = SchemaManifest::embedded();
    if let Some(url) = as_url(&args.from) {
        return Err(format!(
            "--from {url}: installing from a URL is not supported (Plugfest does not download \
             schemas). Download and unpack the bundle yourself, then: plugfest schemas install \
             --from DIR"
        ));
    }
    let from = SchemaBundle::open(&args.from)
        .map_err(|e| format!("--from {}: {e}", args.from.display()))?
        .root()
        .to_path_buf();
    let target = match &args.to {
        Some(dir) => dir.clone(),
        None => std::env::var_os(SCHEMAS_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(default_target)
            .ok_or_else(|| {
                "no user data directory (PLUGFEST_DATA_DIR, XDG_DATA_HOME and HOME are unset \
                 or relative): pass --to DIR"
                    .to_string()
            })?,
    };
    let target =
        std::path::absolute(&target).map_err(|e| format!("--to {}: {e}", target.display()))?;
    let Some(parent) = target.parent().map(Path::to_path_buf) else {
        return Err(format!(
            "{} cannot be the schema directory",
            target.display()
        ));
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} cannot be the schema directory", target.display()))?;

    // What is at the target now, and whether replacing it is safe.
    let replacing = match std::fs::symlink_metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(format!("{}: {e}", target.display())),
        Ok(meta) if !meta.is_dir() => {
            return Err(format!(
                "{} exists and is not a folder; remove it or choose another --to",
                target.display()
            ));
        }
        Ok(_) => {
            let canonical =
                std::fs::canonicalize(&target).map_err(|e| format!("{}: {e}", target.display()))?;
            if canonical == from {
                return Err(format!(
                    "--from and the target are the same folder ({}); check it with: plugfest \
                     schemas verify {}",
                    from.display(),
                    from.display()
                ));
            }
            let empty = std::fs::read_dir(&target)
                .map_err(|e| format!("{}: {e}", target.display()))?
                .next()
                .is_none();
            if !empty && !target.join("catalog.xml").is_file() {
                return Err(format!(
                    "{} exists and is not a schema bundle (no catalog.xml); refusing to replace \
                     it: remove it or choose another --to",
                    target.display()
                ));
            }
            true
        }
    };
    if let Ok(canonical_parent) = std::fs::canonicalize(&parent)
        && canonical_parent.starts_with(&from)
    {
        return Err(format!(
            "the target {} is inside --from {}; choose a folder outside it",
            target.display(),
            from.display()
        ));
    }

    // 1. The source must be exactly the schema set.
    let report = manifest
        .verify(&from)
        .map_err(|e| format!("cannot check --from {}: {e}", from.display()))?;
    if !report.is_ok() {
        eprintln!(
            "{} is not schema set {} ({}); nothing was installed:",
            from.display(),
            report.name,
            tally(&report.differences)
        );
        print_differences(&report.differences, true);
        return Err(format!(
            "--from {} does not match the schema set this Plugfest was built with ({}): the \
             files named above differ from schemas/xsd-bundle.toml",
            from.display(),
            report.name
        ));
    }

    // 2. Copy into a staging folder next to the target and check the copy.
    std::fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let stamp = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let staging = Removed::new(parent.join(format!(".{file_name}.installing-{stamp}")));
    std::fs::create_dir(&staging.path).map_err(|e| format!("{}: {e}", staging.path.display()))?;
    let copied = manifest
        .present()
        .map(|f| f.path.as_str())
        .chain(report.unchecked.iter().map(String::as_str));
    for rel in copied {
        let to = staging.path.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::copy(from.join(rel), &to)
            .map_err(|e| format!("copying {rel} to {}: {e}", to.display()))?;
    }
    let copy = manifest
        .verify(&staging.path)
        .map_err(|e| format!("cannot check the copy {}: {e}", staging.path.display()))?;
    if !copy.is_ok() {
        print_differences(&copy.differences, true);
        return Err(format!(
            "the copy in {} differs from schema set {} (did --from change while it was copied?); \
             nothing was installed",
            staging.path.display(),
            copy.name
        ));
    }

    // 3. Into place: move an earlier install aside, rename the copy in, remove the earlier one.
    if replacing {
        let old = Removed::new(parent.join(format!(".{file_name}.previous-{stamp}")));
        std::fs::rename(&target, &old.path).map_err(|e| {
            format!(
                "moving the earlier install {} aside: {e}; nothing was changed",
                target.display()
            )
        })?;
        if let Err(e) = std::fs::rename(&staging.path, &target) {
            return Err(match std::fs::rename(&old.path, &target) {
                Ok(()) => format!(
                    "renaming the copy to {}: {e}; the earlier install is unchanged",
                    target.display()
                ),
                Err(e2) => {
                    let kept = old.keep();
                    format!(
                        "renaming the copy to {}: {e}; putting the earlier install back also \
                         failed ({e2}): it is in {}",
                        target.display(),
                        kept.display()
                    )
                }
            });
        }
        staging.keep();
        // `old` is removed when it goes out of scope.
    } else {
        std::fs::rename(&staging.path, &target)
            .map_err(|e| format!("renaming the copy to {}: {e}", target.display()))?;
        staging.keep();
    }

    println!(
        "Installed schema set {} into {}{}: {}.",
        copy.name,
        target.display(),
        if replacing {
            " (replacing the earlier install)"
        } else {
            ""
        },
        counts(&copy)
    );
    println!("{}", how_found(&target));
    Ok(())
}

/// `<user data dir>/schemas`, the install target when neither --to nor PLUGFEST_SCHEMAS is given.
fn default_target() -> Option<PathBuf> {
    data_dir().map(|d| d.join("schemas"))
}

/// How Plugfest (`--schemas DIR`, `PLUGFEST_SCHEMAS`, the data folder) will find `target`.
fn how_found(target: &Path) -> String {
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let env = std::env::var_os(SCHEMAS_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    match env {
        Some(env) if same(&env, target) => format!(
            "Plugfest finds it through {SCHEMAS_ENV} (set to this folder); --schemas DIR overrides it."
        ),
        Some(env) => format!(
            "Note: {SCHEMAS_ENV}={} names another folder and takes precedence: unset it, set it to \
             {}, or pass --schemas {}.",
            env.display(),
            target.display(),
            target.display()
        ),
        None if default_target().is_some_and(|d| same(&d, target)) => {
            "Plugfest finds it by itself: it looks in schemas/ in the user data directory when \
             neither --schemas DIR nor PLUGFEST_SCHEMAS names a folder."
                .to_string()
        }
        None => format!(
            "Plugfest does not look there by default: pass --schemas {} (e.g. to run or demo), \
             or export {SCHEMAS_ENV}={}.",
            target.display(),
            target.display()
        ),
    }
}

/// "417 files verified (43.9 MB), 6 recorded absent from the set".
fn counts(report: &VerifyReport) -> String {
    let mut s = format!(
        "{} files verified ({:.1} MB)",
        report.verified,
        report.bytes as f64 / 1e6
    );
    if report.absent > 0 {
        s.push_str(&format!(
            ", {} recorded as absent from the set (too large to copy)",
            report.absent
        ));
    }
    s
}

/// "3 differences: 1 missing, 2 changed".
fn tally(differences: &[Difference]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for d in differences {
        let kind = match d {
            Difference::Missing { .. } => "missing",
            Difference::Changed { .. } => "changed",
            Difference::Extra { .. } => "extra",
            Difference::NotInSet { .. } => "not in the set",
            Difference::NotAFile { .. } => "not a regular file",
        };
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!(
        "{} difference{}: {}",
        differences.len(),
        if differences.len() == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

fn print_differences(differences: &[Difference], to_stderr: bool) {
    let lines = differences
        .iter()
        .take(SHOWN)
        .map(|d| format!("  - {d}"))
        .chain(
            (differences.len() > SHOWN)
                .then(|| format!("  … and {} more", differences.len() - SHOWN)),
        );
    for line in lines {
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

/// `Some(text)` when `--from` is a URL (`scheme://…`) rather than a folder.
fn as_url(from: &Path) -> Option<&str> {
    let s = from.to_str()?;
    let (scheme, rest) = s.split_once("://")?;
    let is_scheme = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (is_scheme && !rest.is_empty()).then_some(s)
}

/// A folder removed (recursively) when dropped, unless [`keep`](Self::keep) is called.
struct Removed {
    path: PathBuf,
    armed: bool,
}

impl Removed {
    fn new(path: PathBuf) -> Self {
        Removed { path, armed: true }
    }

    /// Keeps the folder; returns its path.
    fn keep(mut self) -> PathBuf {
        self.armed = false;
        std::mem::take(&mut self.path)
    }
}

impl Drop for Removed {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Err(e) = std::fs::remove_dir_all(&self.path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            eprintln!("warning: could not remove {}: {e}", self.path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::as_url;
    use std::path::Path;

    #[test]
    fn urls_are_told_apart_from_folders() {
        assert!(as_url(Path::new("https://example.org/xsd.zip")).is_some());
        assert!(as_url(Path::new("file:///tmp/xsd")).is_some());
        assert!(as_url(Path::new("../shared/schemas/xsd")).is_none());
        assert!(as_url(Path::new("/tmp/a://b")).is_none());
        assert!(as_url(Path::new("C:\\schemas")).is_none());
    }
}
