//! What the package tests share: where the crate, the workspace, the rule fixtures and the shared
//! folder (`$PLUGFEST_SHARED`, default `../shared` next to the workspace) are; the shared schema
//! bundle, or a loud `SKIPPED` (a failure under `CI=true`); the catalogued rules; a fixture
//! folder read, run through rule modules or validated; findings shown. Each test binary compiles
//! its own copy and uses part of it.

#![allow(dead_code)]

use plugfest_core::{Catalogue, Requirement, SpecIndex};
use plugfest_packages::doc::DocKind;
use plugfest_packages::finding::Finding;
use plugfest_packages::rules::{Ctx, Doc};
use plugfest_packages::validate::{InputReport, Validator};
use plugfest_packages::{Package, SchemaBundle};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// This crate's folder.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace's folder.
pub fn workspace() -> PathBuf {
    crate_dir().join("../..")
}

/// The rule fixtures: `<ID>/pass` and `<ID>/fail`.
pub fn fixtures() -> PathBuf {
    crate_dir().join("tests/fixtures/rules")
}

/// The shared folder: `$PLUGFEST_SHARED`, else `shared` next to the workspace.
pub fn shared() -> PathBuf {
    std::env::var_os("PLUGFEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared"))
}

/// The shared schema bundle (`shared/schemas/xsd`), or `None` after saying loudly, once a test
/// binary, that the test did not run (a failure under `CI=true`).
pub fn bundle() -> Option<SchemaBundle> {
    let root = shared().join("schemas/xsd");
    match SchemaBundle::open(&root) {
        Ok(b) => Some(b),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "shared schema bundle not found at {} ({e}); CI=true requires it",
                root.display()
            )
        }
        Err(e) => {
            // Straight to stderr, past libtest's capture, so it shows when the tests "pass"; once.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED: shared schema bundle not found at {} ({e}); set PLUGFEST_SHARED",
                    root.display()
                );
            });
            None
        }
    }
}

/// `features/<standard>/catalogue.toml` parsed against `features/specs.toml`, or `None` when
/// there is no such file.
pub fn catalogue(standard: &str) -> Option<Catalogue> {
    let ws = workspace();
    let specs_text = std::fs::read_to_string(ws.join("features/specs.toml")).expect("specs.toml");
    let specs = SpecIndex::parse("features/specs.toml", &specs_text).expect("specs.toml parses");
    let file = format!("features/{standard}/catalogue.toml");
    let text = std::fs::read_to_string(ws.join(&file)).ok()?;
    Some(Catalogue::parse(&file, &text, &specs).unwrap_or_else(|e| panic!("{e}")))
}

/// The requirements of `features/<standard>/catalogue.toml`, each asserted to be a
/// `check = "rule"` of the profile `packages-core`.
pub fn rule_requirements(standard: &str) -> Vec<Requirement> {
    let cat = catalogue(standard)
        .unwrap_or_else(|| panic!("features/{standard}/catalogue.toml is missing"));
    for r in &cat.requirements {
        assert_eq!(
            r.check, "rule",
            "{}: {standard} requirements are checked by rules",
            r.id
        );
        assert_eq!(r.profiles, ["packages-core"], "{}: profile", r.id);
    }
    cat.requirements
}

/// A package's files: forward-slash relative path and bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// The paths of what `dir` holds, sorted.
pub fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    entries
}

/// Every file under `dir`, by forward-slash relative path.
pub fn read_dir(dir: &Path) -> Files {
    fn walk(base: &Path, dir: &Path, out: &mut Files) {
        for p in entries(dir) {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// The findings of the rule modules `checks` alone for the package `files` named `name`: the
/// crate's detection builds the [`Ctx`] (every UTF-8 file that parses as XML), nothing else runs.
pub fn run_rules(name: &str, files: Files, checks: &[fn(&mut Ctx<'_>)]) -> Vec<Finding> {
    let package = Package::from_files(name, files);
    let texts: Vec<(&str, &str)> = package
        .files
        .iter()
        .filter_map(|(p, b)| Some((p.as_str(), std::str::from_utf8(b).ok()?)))
        .collect();
    let parsed: Vec<(&str, roxmltree::Document<'_>)> = texts
        .iter()
        .filter_map(|(p, t)| {
            Some((
                *p,
                roxmltree::Document::parse(t.trim_start_matches('\u{feff}')).ok()?,
            ))
        })
        .collect();
    let kinds: Vec<DocKind> = parsed
        .iter()
        .map(|(p, d)| plugfest_packages::detect(p, d))
        .collect();
    let docs = parsed
        .iter()
        .zip(&kinds)
        .map(|((path, xml), kind)| Doc { path, kind, xml })
        .collect();
    let mut ctx = Ctx {
        package: &package,
        docs,
        manifest: None,
        findings: Vec::new(),
    };
    for check in checks {
        check(&mut ctx);
    }
    ctx.findings
}

/// The input a rule fixture folder stands for: the folder as a package when it holds
/// `imsmanifest.xml` or any sub-folder, else its single file.
pub fn input_of(dir: &Path) -> PathBuf {
    let entries = entries(dir);
    let package = dir.join("imsmanifest.xml").is_file() || entries.iter().any(|p| p.is_dir());
    if package {
        return dir.to_path_buf();
    }
    assert_eq!(
        entries.len(),
        1,
        "{}: a fixture without a manifest or sub-folder is one file",
        dir.display()
    );
    entries[0].clone()
}

/// A runtime on the current thread.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
}

/// What `validator` reports for `input`, asserted to have opened and to have gone wrong nowhere
/// inside.
pub fn validate(validator: &Validator, rt: &tokio::runtime::Runtime, input: &Path) -> InputReport {
    let report = rt.block_on(validator.validate(input));
    assert!(
        report.open_error.is_none(),
        "{}: {:?}",
        input.display(),
        report.open_error
    );
    assert!(
        report.internal_errors.is_empty(),
        "{}: {:?}",
        input.display(),
        report.internal_errors
    );
    report
}

/// Findings one a line, for assertion messages.
pub fn show(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("    {}: {} {}", f.location, f.rule, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}
