//! Every catalogued rule against its fixtures: for each `check = "rule"` requirement of the five
//! package catalogues (`features/{packages,qti,apip,cc,iwb}/catalogue.toml`) — except the XSD
//! rules (`-XSD-`, which need the schema bundle), the zip-safety rules (`PKG-ZIP-…`, whose zips
//! tests/input.rs builds in code) and entries marked `untested` — `tests/fixtures/rules/<ID>/pass`
//! must draw no finding at all and `…/fail` findings of exactly that rule and no other, through
//! the whole validator without a schema bundle.
//!
//! A fixture is a folder validated as a package when it holds `imsmanifest.xml` or any
//! sub-folder, else its single file. The list is read from the catalogues and the fixture folder,
//! so it cannot go stale: a catalogued rule without both fixtures fails, and so does a fixture
//! folder no catalogue knows.

mod support;

use plugfest_packages::validate::{InputReport, Options, Validator};
use std::collections::BTreeSet;
use std::path::Path;
use support::{fixtures, input_of, show};

const CATALOGUES: [&str; 5] = ["packages", "qti", "apip", "cc", "iwb"];

/// (ID, has `untested`) of every `check = "rule"` requirement of the package catalogues that
/// exist.
fn catalogued() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for standard in CATALOGUES {
        let Some(cat) = support::catalogue(standard) else {
            assert_ne!(
                standard, "packages",
                "features/{standard}/catalogue.toml is missing"
            );
            continue;
        };
        for r in cat.requirements {
            if r.check == "rule" {
                out.push((r.id, r.untested.is_some()));
            }
        }
    }
    out
}

/// Rules a fixture pair cannot show: the XSD checks and the zip-safety rules.
fn exempt(id: &str) -> bool {
    id.contains("-XSD-") || id.starts_with("PKG-ZIP-")
}

fn validate(validator: &Validator, rt: &tokio::runtime::Runtime, dir: &Path) -> InputReport {
    support::validate(validator, rt, &input_of(dir))
}

#[test]
fn every_rule_passes_its_pass_fixture_and_fails_its_fail_fixture() {
    let rules = catalogued();
    assert!(!rules.is_empty(), "no catalogued rules found");
    let validator = Validator::new(None, Options::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("runtime");
    let mut problems = Vec::new();
    let mut checked = 0;
    for (id, untested) in &rules {
        if exempt(id) || *untested {
            continue;
        }
        let dir = fixtures().join(id);
        let (pass, fail) = (dir.join("pass"), dir.join("fail"));
        if !pass.is_dir() || !fail.is_dir() {
            problems.push(format!(
                "{id}: catalogued with check = \"rule\" but {} lacks pass/ and fail/ fixtures",
                dir.display()
            ));
            continue;
        }
        checked += 1;
        let passed = validate(&validator, &rt, &pass);
        if !passed.findings.is_empty() {
            problems.push(format!(
                "{id}: pass fixture draws findings:\n{}",
                show(&passed.findings)
            ));
        }
        let failed = validate(&validator, &rt, &fail);
        let broken: BTreeSet<&str> = failed.rules_broken();
        if broken != BTreeSet::from([id.as_str()]) {
            problems.push(format!(
                "{id}: fail fixture should draw findings of {id} only, got:\n{}",
                if failed.findings.is_empty() {
                    "    (none)".to_string()
                } else {
                    show(&failed.findings)
                }
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 0);
}

#[test]
fn every_fixture_folder_is_a_catalogued_rule() {
    let known: BTreeSet<String> = catalogued().into_iter().map(|(id, _)| id).collect();
    let stray: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| !known.contains(name))
        .collect();
    assert!(
        stray.is_empty(),
        "fixture folders for rules no catalogue has (rename or remove them): {stray:?}"
    );
}

#[test]
fn the_test_fails_for_a_fixture_that_trips_another_rule() {
    // The check above must be able to fail: the fail fixture of one rule, judged as another's.
    let validator = Validator::new(None, Options::default());
    let rt = support::runtime();
    let report = validate(&validator, &rt, &fixtures().join("CP-DEP-001/fail"));
    assert_eq!(report.rules_broken(), BTreeSet::from(["CP-DEP-001"]));
    assert_ne!(report.rules_broken(), BTreeSet::from(["CP-ORG-001"]));
}
