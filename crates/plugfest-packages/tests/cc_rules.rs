//! The Common Cartridge and IWB rules beyond `tests/rules.rs` (which runs every catalogued rule
//! against its `pass`/`fail` fixtures): with the shared schema bundle the passing CC fixtures are
//! also schema-valid (so they are conformant cartridges, not just rule-clean ones), the CC and
//! IWB catalogues are all `check = "rule"` in `packages-core` with at least 18 implemented rules,
//! and findings point into the manifest with the Schematron letter. Two ignored tests print what
//! the rules say: `fixture_messages` for every failing fixture, `corpus` for the shared corpus.

mod support;

use plugfest_packages::XsdPool;
use plugfest_packages::finding::Finding;
use plugfest_packages::rules::{cc, iwb};
use plugfest_packages::validate::{Options, Validator};
use std::path::PathBuf;
use std::sync::Arc;
use support::{Files, fixtures, read_dir, shared, show};

/// The CC and IWB findings alone for the package `files` named `name` (the crate's detection,
/// the two rule modules, nothing else).
fn run(name: &str, files: Files) -> Vec<Finding> {
    support::run_rules(name, files, &[cc::check, iwb::check])
}

/// The catalogued rule IDs of `features/<standard>/catalogue.toml` with `check = "rule"` and no
/// `untested`.
fn rule_ids(standard: &str) -> Vec<String> {
    support::rule_requirements(standard)
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
    let Some(bundle) = support::bundle() else {
        return;
    };
    let validator = Validator::new(Some(Arc::new(XsdPool::new(bundle, 2))), Options::default());
    let mut ids = rule_ids("cc");
    ids.extend(rule_ids("iwb"));
    assert!(ids.len() >= 18, "{} implemented CC/IWB rule IDs", ids.len());
    let rt = support::runtime();
    let mut problems = Vec::new();
    for id in &ids {
        let dir = fixtures().join(id).join("pass");
        let findings = support::validate(&validator, &rt, &dir).findings;
        if !findings.is_empty() {
            problems.push(format!("{id}/pass:\n{}", show(&findings)));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn findings_point_into_the_file() {
    let dir = fixtures().join("CC-RULE-1D-1H/fail");
    let validator = Validator::new(None, Options::default());
    let f = support::validate(&validator, &support::runtime(), &dir).findings;
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
    let mut ids = rule_ids("cc");
    ids.extend(rule_ids("iwb"));
    for id in ids {
        let f = run("fail", read_dir(&fixtures().join(&id).join("fail")));
        println!("{id}\n{}", show(&f));
    }
}
