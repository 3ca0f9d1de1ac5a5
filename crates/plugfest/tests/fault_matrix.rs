//! The fault matrix (DESIGN §5), in-process per suite: the clean reference passes every assessed
//! requirement; each named fault makes exactly its listed IDs worse and nothing else (but the
//! `-CERT` partners of listed IDs); every passing requirement is broken by some fault.

#[allow(dead_code)]
mod support;

use futures::StreamExt as _;
use plugfest_core::{Level, RunRecord, Verdict};
use std::collections::BTreeMap;

/// Fault runs in flight at once.
const PARALLEL_RUNS: usize = 4;

/// Requirements allowed not to `pass` on the clean reference, with the reason.
const CLEAN_ALLOW: &[(&str, Verdict, &str)] = &[(
    "LTI13-TOOL-SUB-001-CERT",
    Verdict::Warn,
    "the reference follows Core §5.3.6.1 (anonymous launch accepted); the certification guide's reading warns",
)];

/// Requirements that pass on the clean reference but that no single fault can break alone.
const UNBROKEN_ALLOW: &[(&str, &str)] = &[
    (
        "OR11-SP-AUTH-001",
        "every 1.1 request is signed with HMAC-SHA256, so a provider refusing a correctly signed request errors or leaves not-assessed every other requirement at once (tried: a fault refusing HMAC-SHA256 changed 39 IDs, five of them to not-assessed); the refusals AUTH-002..006 have their faults",
    ),
    (
        "LTI13-PLAT-OIDC-002",
        "every launch-based requirement reads a launch that came by form post; a platform that does not form-post the id_token to the registered redirect URI leaves every launch unobserved (error) at once, like the tool suite's calibration gate",
    ),
    (
        "LTI13-PLAT-OAUTH-012",
        "a MAY report of which client-assertion audience is accepted: it only changes when the platform accepts neither, and then every token-based requirement (LTI13-PLAT-OAUTH-001 first) breaks at once",
    ),
    (
        "LTI13-TOOL-OIDC-013",
        "every other login is a POST, so a tool refusing POST logins fails or errors every login-based requirement at once; the GET twin (OIDC-012) has its fault",
    ),
    (
        "LTI13-PLAT-OIDC-002",
        "in trigger mode Plugfest's user agent delivers only a POST form to the registered redirect URI, so a platform answering any other way fails every launch at once (every launch-based requirement errors); the refusals OIDC-004..009 and the claims checks have their own faults",
    ),
    (
        "LTI13-PLAT-OAUTH-012",
        "a MAY-level report of which client-assertion audience is accepted: any accepted audience passes, and a platform accepting none is judged by LTI13-PLAT-OAUTH-001 (and has no token for any service check)",
    ),
    (
        "LTI11-TP-VALID-001",
        "the plain instructor launch is also the calibration launch: a tool refusing it fails calibration, which turns every launch requirement into an error (as the LTI 1.3 calibration-gate test shows); its variants VALID-002..004 have faults",
    ),
    (
        "OR11-SP-AUTH-001",
        "every OneRoster 1.1 request is signed the same way, so a provider refusing correctly signed requests fails or errors every requirement at once; the defective signatures (AUTH-002..006) have their faults",
    ),
];

/// The exit code DESIGN §3 prescribes for these verdicts, computed independently of the record.
fn expected_exit(r: &RunRecord) -> i32 {
    let must_fail = r
        .results
        .iter()
        .any(|x| x.level == Level::Must && x.verdict == Verdict::Fail);
    let error = r.results.iter().any(|x| x.verdict == Verdict::Error);
    if must_fail {
        1
    } else if error {
        2
    } else {
        0
    }
}

fn verdicts(r: &RunRecord) -> BTreeMap<String, Verdict> {
    r.results
        .iter()
        .map(|x| (x.id.clone(), x.verdict))
        .collect()
}

async fn matrix(suite: &str) {
    let clean = support::run_reference(suite, &[]).await.record;
    for r in clean.results.iter().filter(|r| r.verdict != Verdict::Pass) {
        eprintln!("{suite} clean: {} is {} ({})", r.id, r.verdict, r.message);
    }
    let clean_v = verdicts(&clean);
    assert!(!clean_v.is_empty(), "{suite}: the clean run has results");
    for r in &clean.results {
        let allowed = CLEAN_ALLOW.iter().find(|(id, _, _)| *id == r.id);
        match allowed {
            Some((_, v, _)) => assert_eq!(
                r.verdict, *v,
                "{}: allow-listed verdict changed: {}",
                r.id, r.message
            ),
            None => assert!(
                matches!(r.verdict, Verdict::Pass | Verdict::NotApplicable),
                "{}: clean reference gave {} ({})",
                r.id,
                r.verdict,
                r.message
            ),
        }
    }
    assert_eq!(clean.exit_code(), 0, "{suite}: clean reference exits 0");

    let faults: Vec<_> = plugfest_reference::faults::all()
        .iter()
        .filter(|f| f.name.starts_with(&format!("{suite}/")))
        .collect();
    assert!(!faults.is_empty(), "{suite} has faults");
    let mut broken_by: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut problems = Vec::new();
    // Runs are independent (own ports, keys and folders); a few at a time keep both cores busy.
    let runs: Vec<RunRecord> = futures::stream::iter(
        faults
            .iter()
            .map(|f| async move { support::run_reference(suite, &[f.name]).await.record }),
    )
    .buffered(PARALLEL_RUNS)
    .collect()
    .await;
    for (fault, rec) in faults.iter().zip(runs) {
        let got = verdicts(&rec);
        for (id, clean_verdict) in &clean_v {
            let now = got.get(id).copied().unwrap_or(Verdict::NotAssessed);
            let listed = fault.ids.contains(&id.as_str());
            let partner = id
                .strip_suffix("-CERT")
                .is_some_and(|base| fault.ids.contains(&base));
            let level = clean.result(id).expect("result").level;
            if listed {
                let ok = match level {
                    Level::Must => matches!(now, Verdict::Fail | Verdict::Error),
                    Level::Should => matches!(now, Verdict::Warn | Verdict::Error),
                    Level::May => matches!(now, Verdict::NotApplicable | Verdict::Error),
                };
                if ok && now != *clean_verdict {
                    broken_by.entry(id.clone()).or_default().push(fault.name);
                } else {
                    problems.push(format!(
                        "{}: {id} should get worse but is {now} ({})",
                        fault.name,
                        rec.result(id).map_or("", |r| r.message.as_str())
                    ));
                }
            } else if !partner && now != *clean_verdict {
                problems.push(format!(
                    "{}: {id} changed from {clean_verdict} to {now} but is not listed ({})",
                    fault.name,
                    rec.result(id).map_or("", |r| r.message.as_str())
                ));
            }
        }
        if rec.exit_code() != expected_exit(&rec) {
            problems.push(format!(
                "{}: exit code {} but DESIGN §3 says {}",
                fault.name,
                rec.exit_code(),
                expected_exit(&rec)
            ));
        }
    }
    for (id, v) in &clean_v {
        let allowed = CLEAN_ALLOW.iter().any(|(a, _, _)| a == id)
            || UNBROKEN_ALLOW.iter().any(|(a, _)| a == id);
        if *v == Verdict::Pass && !allowed && !broken_by.contains_key(id) {
            problems.push(format!(
                "{id} passes on the clean reference but no fault breaks it"
            ));
        }
    }
    // Cucumber replaces the panic hook while scenarios run, so say it on stderr as well.
    if !problems.is_empty() {
        eprintln!("fault matrix for {suite}:\n{}", problems.join("\n"));
    }
    assert!(
        problems.is_empty(),
        "fault matrix for {suite}:\n{}",
        problems.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lti13_tool_fault_matrix() {
    matrix("lti13-tool").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lti13_platform_fault_matrix() {
    matrix("lti13-platform").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lti11_tool_fault_matrix() {
    matrix("lti11-tool").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lti11_consumer_fault_matrix() {
    matrix("lti11-consumer").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oneroster12_provider_fault_matrix() {
    matrix("oneroster12-provider").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oneroster11_provider_fault_matrix() {
    matrix("oneroster11-provider").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn packages_exporter_fault_matrix() {
    matrix("packages-exporter").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn packages_importer_fault_matrix() {
    matrix("packages-importer").await;
}

#[test]
fn every_fault_is_qualified_listed_once_and_names_catalogued_ids() {
    let faults = plugfest_reference::faults::all();
    assert!(
        faults.len() >= 12,
        "at least 12 faults, got {}",
        faults.len()
    );
    let features = plugfest_steps::FeatureSet::embedded();
    let suites = features.suites().unwrap();
    let catalogue = features.catalogue(&suites, &[]).unwrap();
    let mut names = std::collections::BTreeSet::new();
    for f in faults {
        assert!(names.insert(f.name), "{} listed twice", f.name);
        let (role, _) = f.name.split_once('/').expect("qualified name");
        assert!(
            suites.suites.contains_key(role),
            "{}: role {role} is a suite",
            f.name
        );
        assert!(!f.ids.is_empty(), "{} lists no IDs", f.name);
        for id in f.ids {
            assert!(
                catalogue.get(id).is_some(),
                "{}: {id} is not catalogued",
                f.name
            );
        }
    }
}

/// The calibration gate (issue acceptance): a tool that answers 404 to every launch gets `error`
/// on every launch requirement — never `pass` on the negative checks — and the run exits 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calibration_gate_turns_every_launch_check_into_an_error() {
    let fault =
        plugfest_reference::faults::find("lti13-tool/launch-answers-404").expect("fault exists");
    let rec = support::run_reference("lti13-tool", &[fault.name])
        .await
        .record;
    for id in fault.ids {
        let r = rec.result(id).expect("result");
        assert_eq!(r.verdict, Verdict::Error, "{id}: {}", r.message);
        assert!(
            r.message.contains("calibration failed"),
            "{id}: {}",
            r.message
        );
    }
    let oidc_ok = rec
        .results
        .iter()
        .filter(|r| r.id.contains("-OIDC-"))
        .all(|r| r.verdict == Verdict::Pass);
    assert!(
        oidc_ok,
        "login checks are unaffected by a broken launch endpoint"
    );
    assert_eq!(rec.exit_code(), 2);
}
