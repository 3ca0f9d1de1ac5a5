//! The Common Cartridge and IWB rules beyond `tests/rules.rs` (which runs every catalogued rule
//! against its `pass`/`fail` fixtures): with the shared schema bundle the passing CC fixtures are
//! also schema-valid (so they are conformant cartridges, not just rule-clean ones), the CC and
//! IWB catalogues are all `check = "rule"` in `packages-core` with at least 18 implemented rules,
//! and findings point into the manifest with the Schematron letter. Two ignored tests print what
//! the rules say: `fixture_messages` for every failing fixture, `corpus` for the shared corpus.

use plugfest_core::{Catalogue, SpecIndex};
use plugfest_packages::doc::DocKind;
use plugfest_packages::finding::Finding;
use plugfest_packages::rules::{Ctx, Doc, cc, iwb};
use plugfest_packages::validate::{Options, Validator};
use plugfest_packages::{Package, SchemaBundle, XsdPool};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn workspace() -> PathBuf {
    root().join("../..")
}

/// A package's files: forward-slash relative path and bytes.
type Files = Vec<(String, Vec<u8>)>;

/// Every file under `dir`, by forward-slash relative path.
fn read_dir(dir: &Path) -> Files {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
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

/// The CC and IWB findings alone for the package `files` named `name` (the crate's detection,
/// the two rule modules, nothing else).
fn run(name: &str, files: Files) -> Vec<Finding> {
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
    cc::check(&mut ctx);
    iwb::check(&mut ctx);
    ctx.findings
}

fn show(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("  {}: {} {}", f.location, f.rule, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Everything the validator reports for the package folder `dir`.
fn validate(validator: &Validator, dir: &Path) -> Vec<Finding> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let report = rt.block_on(validator.validate(dir));
    assert!(
        report.open_error.is_none(),
        "{}: {:?}",
        dir.display(),
        report.open_error
    );
    assert!(
        report.internal_errors.is_empty(),
        "{}: {:?}",
        dir.display(),
        report.internal_errors
    );
    report.findings
}

fn shared() -> PathBuf {
    std::env::var_os("PLUGFEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared"))
}

/// The catalogued rule IDs of `features/<standard>/catalogue.toml` with `check = "rule"` and no
/// `untested`.
fn rule_ids(standard: &str) -> Vec<String> {
    let ws = workspace();
    let specs_text = std::fs::read_to_string(ws.join("features/specs.toml")).unwrap();
    let specs = SpecIndex::parse("features/specs.toml", &specs_text).unwrap();
    let file = format!("features/{standard}/catalogue.toml");
    let text = std::fs::read_to_string(ws.join(&file)).unwrap();
    let cat = Catalogue::parse(&file, &text, &specs).unwrap_or_else(|e| panic!("{e}"));
    for r in &cat.requirements {
        assert_eq!(
            r.check, "rule",
            "{}: CC and IWB requirements are checked by rules",
            r.id
        );
        assert_eq!(r.profiles, ["packages-core"], "{}: profile", r.id);
    }
    cat.requirements
        .into_iter()
        .filter(|r| r.untested.is_none())
        .map(|r| r.id)
        .collect()
}

/// With the shared schema bundle, the passing cartridges are also schema-valid (the CC 1.1 and
/// 1.3 manifest, topic, web link and QTI-profile schemas; CC 1.3 LTI links and IWB have none in
/// the bundle and are not assessed).
#[test]
fn passing_fixtures_are_schema_valid() {
    let root_dir = shared().join("schemas/xsd");
    let bundle = match SchemaBundle::open(&root_dir) {
        Ok(b) => b,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "shared schema bundle not found at {} ({e})",
                root_dir.display()
            )
        }
        Err(e) => {
            eprintln!(
                "SKIPPED: shared schema bundle not found at {} ({e})",
                root_dir.display()
            );
            return;
        }
    };
    let validator = Validator::new(Some(Arc::new(XsdPool::new(bundle, 2))), Options::default());
    let mut ids = rule_ids("cc");
    ids.extend(rule_ids("iwb"));
    assert!(ids.len() >= 18, "{} implemented CC/IWB rule IDs", ids.len());
    let fixtures = root().join("tests/fixtures/rules");
    let mut problems = Vec::new();
    for id in &ids {
        let dir = fixtures.join(id).join("pass");
        let findings = validate(&validator, &dir);
        if !findings.is_empty() {
            problems.push(format!("{id}/pass:\n{}", show(&findings)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn findings_point_into_the_file() {
    let dir = root().join("tests/fixtures/rules/CC-RULE-1D-1H/fail");
    let f = validate(&Validator::new(None, Options::default()), &dir);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].location.path.as_deref(), Some("imsmanifest.xml"));
    assert!(f[0].location.line.is_some_and(|l| l > 1));
    assert!(f[0].message.starts_with("[RULE 1e]"), "{}", f[0].message);
}

/// Prints the findings for the whole shared corpus (`../shared/corpus`): every folder holding an
/// `imsmanifest.xml`, every zip or `.imscc`, and every other XML file alone:
/// `cargo test -p plugfest-packages --test cc_rules corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus() {
    let corpus = shared().join("corpus");
    let mut inputs: Vec<(String, Files)> = Vec::new();
    let mut packaged: Vec<PathBuf> = Vec::new();
    let mut stack = vec![corpus.clone()];
    let mut loose = Vec::new();
    while let Some(d) = stack.pop() {
        if d.join("imsmanifest.xml").is_file() {
            packaged.push(d.clone());
            let name = d.strip_prefix(&corpus).unwrap().display().to_string();
            inputs.push((name, read_dir(&d)));
        }
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                loose.push(p);
            }
        }
    }
    for p in loose {
        let name = p.strip_prefix(&corpus).unwrap().display().to_string();
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if ext == "zip" || ext == "imscc" || ext == "iwb" {
            let Ok(mut archive) =
                zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(&p).unwrap()))
            else {
                continue;
            };
            let mut files = Vec::new();
            for i in 0..archive.len() {
                let mut f = archive.by_index(i).unwrap();
                if f.is_dir() {
                    continue;
                }
                let name = f.name().unwrap().to_string();
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut buf).unwrap();
                files.push((name, buf));
            }
            inputs.push((name, files));
        } else if (ext == "xml" || ext == "qti") && !packaged.iter().any(|d| p.starts_with(d)) {
            let file = p.file_name().unwrap().to_string_lossy().to_string();
            inputs.push((name, vec![(file, std::fs::read(&p).unwrap())]));
        }
    }
    inputs.sort_by(|a, b| a.0.cmp(&b.0));
    let (mut n, mut with) = (0, 0);
    for (name, files) in inputs {
        n += 1;
        let findings = run(&name, files);
        if !findings.is_empty() {
            with += 1;
            println!("{name}: {} findings\n{}", findings.len(), show(&findings));
        }
    }
    println!("{n} inputs, {with} with CC/IWB findings");
}

/// Prints what each failing fixture reports: `cargo test -p plugfest-packages --test cc_rules
/// fixture_messages -- --ignored --nocapture`.
#[test]
#[ignore]
fn fixture_messages() {
    let fixtures = root().join("tests/fixtures/rules");
    let mut ids = rule_ids("cc");
    ids.extend(rule_ids("iwb"));
    for id in ids {
        let f = run("fail", read_dir(&fixtures.join(&id).join("fail")));
        println!("{id}\n{}", show(&f));
    }
}
