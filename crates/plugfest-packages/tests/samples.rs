//! Plugfest's own import packages: the valid ones pass every check with the official schemas
//! (XSD included), and each broken one trips the rule it is broken for. Needs the shared schema
//! bundle (`$PLUGFEST_SHARED/schemas/xsd`); without it the test says so loudly and returns, and
//! under `CI=true` it fails.

mod support;

use plugfest_packages::XsdPool;
use plugfest_packages::samples::Sample;
use plugfest_packages::validate::{Options, Validator, XsdOutcome};
use std::sync::Arc;

fn validator() -> Option<Validator> {
    let bundle = support::bundle()?;
    Some(Validator::new(
        Some(Arc::new(XsdPool::new(bundle, 2))),
        Options::default(),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_samples_pass_everything_and_broken_ones_trip_their_rule() {
    let Some(v) = validator() else { return };
    for sample in [Sample::Qti21, Sample::Cc13] {
        let r = v
            .validate_zip_bytes(sample.file_name(), sample.bytes())
            .await;
        assert!(r.open_error.is_none(), "{sample:?}: {:?}", r.open_error);
        assert!(
            r.findings.is_empty(),
            "{sample:?} has findings: {:#?}",
            r.findings
        );
        let valid = r
            .documents
            .iter()
            .filter(|d| matches!(d.xsd, XsdOutcome::Valid { .. }))
            .count();
        assert!(
            valid >= 3,
            "{sample:?}: documents validated against the XSDs: {:#?}",
            r.documents
        );
        assert!(
            r.documents
                .iter()
                .all(|d| !matches!(d.xsd, XsdOutcome::Invalid { .. })),
            "{sample:?}: {:#?}",
            r.documents
        );
    }
    for (sample, rule) in [
        (Sample::MissingFile, "CP-"),
        (Sample::UndeclaredResponse, "QTI21-ITEM-001"),
        (Sample::PathTraversal, "PKG-ZIP-"),
    ] {
        let r = v
            .validate_zip_bytes(sample.file_name(), sample.bytes())
            .await;
        assert!(
            r.findings.iter().any(|f| f.rule.starts_with(rule)),
            "{sample:?} trips {rule}: {:#?}",
            r.findings
        );
    }
    let r = v
        .validate_zip_bytes(Sample::NotAZip.file_name(), Sample::NotAZip.bytes())
        .await;
    assert!(
        r.open_error.is_some() || !r.findings.is_empty(),
        "a text file is not a package: {r:#?}"
    );
}
