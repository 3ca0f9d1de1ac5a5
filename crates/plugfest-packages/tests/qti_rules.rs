//! The QTI and APIP catalogues (`features/qti/`, `features/apip/`): they parse against
//! `features/specs.toml`, every entry is an implemented `check = "rule"` of profile
//! `packages-core`, and each QTI check is catalogued under every version family. What findings
//! look like (the identifier named, the element's position), and an ignored listing of the QTI and
//! APIP findings over the shared corpus. The fixtures themselves (`tests/fixtures/rules/<ID>/`)
//! are run by `tests/rules.rs`.

mod support;

use plugfest_packages::validate::{Options, Validator};
use support::{entries, fixtures, input_of, shared, show};

/// The catalogued rule IDs of `features/<standard>/catalogue.toml`.
fn rule_ids(standard: &str) -> Vec<String> {
    let requirements = support::rule_requirements(standard);
    for r in &requirements {
        assert!(
            r.untested.is_none(),
            "{}: every QTI/APIP rule is implemented",
            r.id
        );
    }
    requirements.into_iter().map(|r| r.id).collect()
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
    let input = input_of(&fixtures().join("QTI30-ITEM-002/fail"));
    let f = support::validate(&validator, &support::runtime(), &input).findings;
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
    let shared = shared();
    let validator = Validator::new(None, Options::default());
    let mut inputs = Vec::new();
    for top in ["qti21", "qti22", "qti30", "apip"] {
        let mut stack = vec![shared.join("corpus").join(top)];
        while let Some(d) = stack.pop() {
            let packaged = d.join("imsmanifest.xml").is_file();
            if packaged {
                inputs.push(d.clone());
            }
            for p in entries(&d) {
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
    let rt = support::runtime();
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
