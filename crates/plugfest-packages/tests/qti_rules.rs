//! The QTI and APIP catalogues (`features/qti/`, `features/apip/`): they parse against
//! `features/specs.toml`, every entry is an implemented `check = "rule"` of profile
//! `packages-core`, and each QTI check is catalogued under every version family. What findings
//! look like (the identifier named, the element's position), and an ignored listing of the QTI and
//! APIP findings over the shared corpus. The fixtures themselves (`tests/fixtures/rules/<ID>/`)
//! are run by `tests/rules.rs`.

use plugfest_core::{Catalogue, SpecIndex};
use plugfest_packages::finding::Finding;
use plugfest_packages::validate::{Options, Validator};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn workspace() -> PathBuf {
    root().join("../..")
}

/// The catalogued rule IDs of `features/<standard>/catalogue.toml`.
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
            "{}: QTI and APIP requirements are checked by rules",
            r.id
        );
        assert_eq!(r.profiles, ["packages-core"], "{}: profile", r.id);
        assert!(
            r.untested.is_none(),
            "{}: every QTI/APIP rule is implemented",
            r.id
        );
    }
    cat.requirements.into_iter().map(|r| r.id).collect()
}

/// What the validator reports for a fixture: the folder as a package when it holds a manifest,
/// else its one file.
fn findings(validator: &Validator, dir: &Path) -> Vec<Finding> {
    let input = if dir.join("imsmanifest.xml").is_file() {
        dir.to_path_buf()
    } else {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(
            files.len(),
            1,
            "{}: a fixture without a manifest is one file",
            dir.display()
        );
        files[0].clone()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let report = rt.block_on(validator.validate(&input));
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

fn show(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("  {}: {} {}", f.location, f.rule, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_check_is_catalogued_for_each_version_family() {
    let qti = rule_ids("qti");
    let apip = rule_ids("apip");
    assert!(apip.len() >= 3, "{} APIP rule IDs", apip.len());
    let suffixes = |fam: &str| -> Vec<String> {
        qti.iter()
            .filter_map(|i| i.strip_prefix(fam).map(str::to_string))
            .collect()
    };
    let (v21, v22, v30) = (suffixes("QTI21-"), suffixes("QTI22-"), suffixes("QTI30-"));
    assert!(v30.len() >= 12, "{} QTI 3.0 checks", v30.len());
    // The same checks under each prefix; CONTENT-002 (block content of simple blocks) is 2.x only.
    assert_eq!(v21, v22);
    let v2_only: Vec<&String> = v21.iter().filter(|s| !v30.contains(s)).collect();
    assert_eq!(v2_only, ["CONTENT-002"]);
    assert!(v30.iter().all(|s| v21.contains(s)));
}

#[test]
fn findings_name_the_identifier_and_point_at_the_element() {
    let validator = Validator::new(None, Options::default());
    let dir = root().join("tests/fixtures/rules/QTI30-ITEM-002/fail");
    let f = findings(&validator, &dir);
    assert_eq!(f.len(), 1, "{}", show(&f));
    assert_eq!(f[0].location.path.as_deref(), Some("item.xml"));
    assert!(
        f[0].location.line.is_some_and(|l| l > 10),
        "{}",
        f[0].location
    );
    assert!(f[0].location.column.is_some());
    assert!(f[0].message.contains("'RESPONSES'"), "{}", f[0].message);
    assert!(f[0].message.contains("qti-variable"), "{}", f[0].message);
}

/// Prints the QTI and APIP findings over the shared corpus (`../shared/corpus/{qti21,qti22,
/// qti30,apip}`): every folder holding `imsmanifest.xml` as a package, every other XML file alone
/// (a test with the items beside it):
/// `cargo test -p plugfest-packages --test qti_rules corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus() {
    let shared = std::env::var_os("PLUGFEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared"));
    let validator = Validator::new(None, Options::default());
    let mut inputs = Vec::new();
    for top in ["qti21", "qti22", "qti30", "apip"] {
        let mut stack = vec![shared.join("corpus").join(top)];
        while let Some(d) = stack.pop() {
            let packaged = d.join("imsmanifest.xml").is_file();
            if packaged {
                inputs.push(d.clone());
            }
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    if !packaged {
                        stack.push(p);
                    }
                } else if !packaged && p.extension().is_some_and(|e| e == "xml") {
                    inputs.push(p);
                }
            }
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for input in inputs {
        let report = rt.block_on(validator.validate(&input));
        for f in &report.findings {
            if ["QTI2", "QTI3", "APIP"]
                .iter()
                .any(|p| f.rule.starts_with(p))
            {
                let at = f.location.to_string();
                let at = at.split("/corpus/").last().unwrap_or(&at);
                println!("{at}: {} {}", f.rule, f.message);
            }
        }
    }
}
