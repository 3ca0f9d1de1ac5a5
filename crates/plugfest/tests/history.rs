//! Run history through the built binary: `plugfest demo`/`run` record every run in SQLite,
//! `plugfest history` lists them newest first with a trend per product, `--no-history` records
//! nothing, `--product` filters, and a damaged database is an error for `history` but only a
//! warning for a run.
//!
//! Every command gets `PLUGFEST_DATA_DIR` (and `HOME`, `XDG_DATA_HOME`) inside its own temp
//! folder, so the real user data directory is never touched.

#[allow(dead_code)]
mod support;

use plugfest_core::{RunRecord, Verdict};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use support::TempDir;

const SUITE: &str = "lti13-tool";
const FAULT: &str = "lti13-tool/alg-none-accepted";
const FAULT_BREAKS: &str = "LTI13-TOOL-SEC-002";

/// The user data folder the binary is pointed at.
fn data(tmp: &TempDir) -> PathBuf {
    tmp.path().join("data")
}

fn plugfest(tmp: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plugfest"))
        .args(args)
        .current_dir(tmp.path())
        .env("PLUGFEST_DATA_DIR", data(tmp))
        .env("HOME", tmp.path().join("home"))
        .env("XDG_DATA_HOME", tmp.path().join("xdg"))
        .env("CI", "1")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the plugfest binary runs")
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn expect(o: Output, code: i32) -> (String, String) {
    assert_eq!(o.status.code(), Some(code), "{}", show(&o));
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// `plugfest demo --suite lti13-tool --out OUT --quiet` plus `extra`.
fn demo(tmp: &TempDir, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["demo", "--suite", SUITE, "--out", s(out), "--quiet"];
    args.extend_from_slice(extra);
    plugfest(tmp, &args)
}

/// The line `plugfest history` prints for a suite's counts, from a run.json.
fn counts_line(out: &Path) -> String {
    let record: RunRecord =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("run.json"))
            .expect("run.json parses");
    let mut counts: BTreeMap<Verdict, usize> = BTreeMap::new();
    for r in record.results.iter().filter(|r| r.suite == SUITE) {
        *counts.entry(r.verdict).or_insert(0) += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(v, n)| format!("{} {n}", v.as_str()))
        .collect();
    format!("  {SUITE}: {}", parts.join(", "))
}

/// The listing's block for run `#id` (its header line up to the next blank line).
fn block(listing: &str, id: u32) -> &str {
    let start = listing
        .find(&format!("\n#{id} "))
        .unwrap_or_else(|| panic!("run #{id} is listed:\n{listing}"));
    let rest = &listing[start + 1..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn demos_are_listed_newest_first_with_their_counts_and_a_trend() {
    let tmp = TempDir::new("listing");
    let db = tmp.path().join("chosen").join("runs.sqlite");
    let (o1, o2, o3) = (
        tmp.path().join("o1"),
        tmp.path().join("o2"),
        tmp.path().join("o3"),
    );
    expect(demo(&tmp, &o1, &["--db", s(&db)]), 0);
    expect(demo(&tmp, &o2, &["--db", s(&db), "--fault", FAULT]), 1);
    assert!(db.is_file(), "--db {} is created", db.display());
    assert!(
        !data(&tmp).join("history.sqlite").exists(),
        "with --db nothing is written to the data folder"
    );

    let (listing, _) = expect(plugfest(&tmp, &["history", "--db", s(&db)]), 0);
    let (clean, faulted) = (block(&listing, 1), block(&listing, 2));
    assert!(
        listing.find("\n#2 ") < listing.find("\n#1 "),
        "newest first:\n{listing}"
    );
    assert!(clean.contains("Plugfest reference vendor 0.1.0"), "{clean}");
    assert!(clean.contains(&format!("suites: {SUITE}")), "{clean}");
    assert!(
        clean.lines().any(|l| l == counts_line(&o1)),
        "the clean run's counts are those of its run.json ({}):\n{clean}",
        counts_line(&o1)
    );
    assert!(
        faulted.lines().any(|l| l == counts_line(&o2)),
        "the faulted run's counts are those of its run.json ({}):\n{faulted}",
        counts_line(&o2)
    );
    assert!(faulted.contains("fail 1"), "{faulted}");
    assert!(!clean.contains("fail "), "{clean}");
    assert!(clean.contains("  exit 0 "), "{clean}");
    assert!(faulted.contains("  exit 1 "), "{faulted}");
    assert!(
        faulted.contains("LTI 1.3 Core — tool: Not conformant (1 MUST failed)"),
        "{faulted}"
    );
    assert!(clean.contains("LTI 1.3 Core — tool: Conformant"), "{clean}");
    assert!(faulted.contains(s(&o2)), "the report folder: {faulted}");
    assert!(
        listing.contains("Plugfest reference vendor: fail 0 → 1;")
            && listing.contains("latest run is worse than the previous one")
            && listing.contains(&format!("{FAULT_BREAKS} pass → fail")),
        "the trend says the latest run got worse, and where:\n{listing}"
    );

    // A third, clean run with a bundle: better again, and the bundle's digest is recorded.
    let zip = tmp.path().join("evidence.zip");
    expect(demo(&tmp, &o3, &["--db", s(&db), "--bundle", s(&zip)]), 0);
    let (listing, _) = expect(plugfest(&tmp, &["history", "--db", s(&db)]), 0);
    let digest = plugfest_core::digest::sha256_hex(&std::fs::read(&zip).expect("bundle"));
    assert!(
        block(&listing, 3).contains(&format!("bundle sha256 {digest}")),
        "the bundle's SHA-256 {digest}:\n{listing}"
    );
    assert!(
        !block(&listing, 1).contains("bundle sha256"),
        "no bundle, no digest:\n{listing}"
    );
    assert!(
        listing.contains("fail 0 → 1 → 0;")
            && listing.contains("latest run is better than the previous one")
            && listing.contains(&format!("better: {FAULT_BREAKS} fail → pass")),
        "the trend says the latest run got better:\n{listing}"
    );

    let (limited, _) = expect(
        plugfest(&tmp, &["history", "--db", s(&db), "--limit", "1"]),
        0,
    );
    assert!(limited.contains("1 run, newest first"), "{limited}");
    assert!(
        limited.contains("\n#3 ") && !limited.contains("\n#2 "),
        "{limited}"
    );
}

#[test]
fn no_history_records_nothing_and_the_default_database_is_in_the_data_folder() {
    let tmp = TempDir::new("default");
    let default_db = data(&tmp).join("history.sqlite");
    let (empty, _) = expect(plugfest(&tmp, &["history"]), 0);
    assert!(empty.contains("No runs recorded yet"), "{empty}");
    assert!(!default_db.exists(), "listing does not create the database");

    expect(demo(&tmp, &tmp.path().join("skip"), &["--no-history"]), 0);
    assert!(
        !default_db.exists(),
        "--no-history wrote {}",
        default_db.display()
    );
    let (empty, _) = expect(plugfest(&tmp, &["history"]), 0);
    assert!(empty.contains("No runs recorded yet"), "{empty}");

    expect(demo(&tmp, &tmp.path().join("kept"), &[]), 0);
    assert!(default_db.is_file(), "a run is recorded in the data folder");
    let (listing, _) = expect(plugfest(&tmp, &["history"]), 0);
    assert!(listing.contains("1 run, newest first"), "{listing}");
    assert!(listing.contains("only one run recorded"), "{listing}");

    let o = plugfest(
        &tmp,
        &["demo", "--no-history", "--db", s(&tmp.path().join("x.db"))],
    );
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(!tmp.path().join("x.db").exists());
}

/// A config for an `lti13-tool` product nobody serves (port 9), named `name`.
fn unreachable_config(dir: &Path, name: &str) -> PathBuf {
    let base = "https://127.0.0.1:9";
    let path = dir.join("other.toml");
    std::fs::write(
        &path,
        format!(
            "[product]\nname = \"{name}\"\nvendor = \"Globex\"\nversion = \"7.1\"\n\n\
             [server]\nbind = \"127.0.0.1:0\"\npublic_base_url = \"http://127.0.0.1:1\"\n\n\
             [roles.lti13-tool]\nlogin_initiation_url = \"{base}/login\"\nlaunch_urls = [\"{base}/launch\"]\n\
             target_link_uri = \"{base}/resource\"\ntool_jwks_url = \"{base}/jwks\"\nclient_id = \"c\"\n\
             deployment_id = \"d\"\nissuer = \"https://plugfest.invalid\"\nplatform_key = \"k.pem\"\n"
        ),
    )
    .expect("config");
    path
}

#[test]
fn product_filters_the_listing() {
    let tmp = TempDir::new("product");
    let db = tmp.path().join("h.sqlite");
    expect(demo(&tmp, &tmp.path().join("ref"), &["--db", s(&db)]), 0);
    let config = unreachable_config(tmp.path(), "Globex Learn");
    expect(
        plugfest(
            &tmp,
            &[
                "run",
                "--config",
                s(&config),
                "--tags",
                "@req:LTI13-TOOL-SEC-001",
                "--out",
                s(&tmp.path().join("globex")),
                "--db",
                s(&db),
                "--quiet",
            ],
        ),
        2,
    );

    let (all, _) = expect(plugfest(&tmp, &["history", "--db", s(&db)]), 0);
    assert!(all.contains("2 runs"), "{all}");
    assert!(
        all.contains("Globex Learn 7.1 (Globex)") && all.contains("Plugfest reference vendor"),
        "{all}"
    );
    assert!(
        all.contains("Globex Learn: fail") && all.contains("Plugfest reference vendor: fail"),
        "a trend line per product:\n{all}"
    );
    let globex = block(&all, 2);
    assert!(globex.contains("  exit 2 "), "{globex}");
    assert!(globex.contains("tags @req:LTI13-TOOL-SEC-001"), "{globex}");

    let (only, _) = expect(
        plugfest(
            &tmp,
            &["history", "--db", s(&db), "--product", "globex LEARN"],
        ),
        0,
    );
    assert!(only.contains("1 run, newest first"), "{only}");
    assert!(only.contains("Globex Learn 7.1"), "{only}");
    assert!(!only.contains("Plugfest reference vendor"), "{only}");

    let (none, _) = expect(
        plugfest(&tmp, &["history", "--db", s(&db), "--product", "Initech"]),
        0,
    );
    assert!(none.contains("No runs of product \"Initech\""), "{none}");
}

#[test]
fn a_damaged_database_is_an_error_for_history_and_a_warning_for_a_run() {
    let tmp = TempDir::new("corrupt");
    let db = tmp.path().join("broken.sqlite");
    let junk = b"not SQLite at all, just bytes that happen to be here. ".repeat(100);
    std::fs::write(&db, &junk).expect("junk");

    let (_, err) = expect(plugfest(&tmp, &["history", "--db", s(&db)]), 2);
    assert!(
        err.contains("error:") && err.contains(s(&db)) && err.contains("not a database"),
        "a clear error naming the file:\n{err}"
    );

    let out = tmp.path().join("out");
    let (_, err) = expect(demo(&tmp, &out, &["--db", s(&db), "--fault", FAULT]), 1);
    assert!(
        err.contains("warning:") && err.contains("not recorded") && err.contains(s(&db)),
        "only a warning:\n{err}"
    );
    assert!(out.join("run.json").is_file(), "the reports are written");
    assert_eq!(
        std::fs::read(&db).expect("still there"),
        junk,
        "the damaged file is left as it was"
    );
}
