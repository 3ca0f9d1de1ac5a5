//! The built `plugfest` binary, driven as a user would (DESIGN §3): usage errors, help texts,
//! config errors, the fault list, an unreachable product, `demo` and its exit codes.
//!
//! Every command runs in a fresh temp folder (so nothing lands in the workspace) and is killed
//! after two minutes.

#[allow(dead_code)]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::TempDir;

const TIMEOUT: Duration = Duration::from_secs(120);

/// What a finished command printed and returned.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    what: String,
}

impl Ran {
    fn code(&self) -> i32 {
        self.code
            .unwrap_or_else(|| panic!("{}: killed by a signal\n{}", self.what, self.both()))
    }
    fn both(&self) -> String {
        format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        )
    }
    fn expect_code(&self, want: i32) -> &Self {
        assert_eq!(
            self.code(),
            want,
            "{}: exit code {:?}, want {want}\n{}",
            self.what,
            self.code,
            self.both()
        );
        self
    }
}

/// Run the binary with `args` in `cwd`; kill it after [`TIMEOUT`].
fn plugfest(cwd: &Path, args: &[&str]) -> Ran {
    let what = format!("plugfest {}", args.join(" "));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plugfest"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("CI")
        .env_remove("PLUGFEST_SCHEMAS")
        .env("NO_COLOR", "1")
        .env("PLUGFEST_DATA_DIR", cwd);
    let (code, stdout, stderr) = support::run_with_timeout(cmd, TIMEOUT);
    Ran {
        code,
        stdout,
        stderr,
        what,
    }
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

fn read_record(out: &Path) -> serde_json::Value {
    let path = out.join("run.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} should exist: {e}", path.display()));
    serde_json::from_str(&text).expect("run.json is JSON")
}

fn results(record: &serde_json::Value) -> &Vec<serde_json::Value> {
    record["results"].as_array().expect("results array")
}

const PRODUCT: &str =
    "[product]\nname = \"CLI test product\"\nvendor = \"Plugfest tests\"\nversion = \"1\"\n";

#[test]
fn run_without_config_is_a_usage_error() {
    let tmp = TempDir::new("noconfig");
    let ran = plugfest(tmp.path(), &["run"]);
    ran.expect_code(2);
    assert!(ran.stderr.contains("--config"), "{}", ran.both());
    assert!(
        !tmp.path().join("reports").exists(),
        "`run` without --config wrote reports"
    );
}

#[test]
fn help_texts_list_their_options() {
    let tmp = TempDir::new("help");
    let cases: &[(&[&str], &[&str])] = &[
        (&["--help"], &["demo", "run", "reference", "--quiet"]),
        (
            &["run", "--help"],
            &[
                "--config",
                "--suite",
                "--tags",
                "--out",
                "--seed",
                "--evidence",
                "--features",
            ],
        ),
        (
            &["demo", "--help"],
            &["--fault", "--suite", "--tags", "--out", "--evidence"],
        ),
        (&["reference", "--help"], &["serve", "faults"]),
        (
            &["reference", "serve", "--help"],
            &["--role", "--fault", "--dir"],
        ),
        (&["reference", "faults", "--help"], &["--quiet"]),
    ];
    for (args, mentions) in cases {
        let ran = plugfest(tmp.path(), args);
        ran.expect_code(0);
        assert!(
            ran.stdout.contains("Usage:"),
            "{}: no usage text\n{}",
            ran.what,
            ran.both()
        );
        for m in *mentions {
            assert!(
                ran.stdout.contains(m),
                "{}: help does not mention {m}\n{}",
                ran.what,
                ran.both()
            );
        }
    }
}

#[test]
fn an_unknown_config_key_names_file_and_line() {
    let tmp = TempDir::new("unknownkey");
    let config = tmp.path().join("unknown-key.toml");
    std::fs::write(
        &config,
        format!("{PRODUCT}\n[client]\ntimeout_secs = 5\ntimeout = 3\n"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let ran = plugfest(
        tmp.path(),
        &[
            "run",
            "--config",
            path_arg(&config),
            "--out",
            path_arg(&out),
        ],
    );
    ran.expect_code(2);
    assert!(
        ran.stderr.contains("unknown-key.toml"),
        "names the file\n{}",
        ran.both()
    );
    assert!(
        ran.stderr.contains("line 8") && ran.stderr.contains("timeout"),
        "names the line and the key\n{}",
        ran.both()
    );
}

/// A config with a `[roles.lti13-tool]` table for a tool at `base` (plain-HTTP callback server).
fn tool_config(base: &str, with_client_id: bool) -> String {
    let client_id = if with_client_id {
        "client_id = \"cli-test-client\"\n"
    } else {
        ""
    };
    format!(
        "{PRODUCT}\n[server]\nbind = \"127.0.0.1:0\"\npublic_base_url = \"http://127.0.0.1:1\"\n\n\
         [roles.lti13-tool]\nlogin_initiation_url = \"{base}/login\"\nlaunch_urls = [\"{base}/launch\"]\n\
         target_link_uri = \"{base}/resource\"\ntool_jwks_url = \"{base}/jwks\"\n{client_id}deployment_id = \"cli-test-deployment\"\n\
         issuer = \"https://plugfest.invalid\"\nplatform_key = \"k.pem\"\n"
    )
}

#[test]
fn a_role_table_without_client_id_names_the_table() {
    let tmp = TempDir::new("noclientid");
    let config = tmp.path().join("no-client-id.toml");
    std::fs::write(&config, tool_config("https://127.0.0.1:9", false)).unwrap();
    let out = tmp.path().join("out");
    let ran = plugfest(
        tmp.path(),
        &[
            "run",
            "--config",
            path_arg(&config),
            "--out",
            path_arg(&out),
        ],
    );
    ran.expect_code(2);
    assert!(
        ran.stderr.contains("roles.lti13-tool") && ran.stderr.contains("client_id"),
        "{}",
        ran.both()
    );
    assert!(ran.stderr.contains("no-client-id.toml"), "{}", ran.both());
}

#[test]
fn reference_faults_are_listed_tab_separated() {
    let tmp = TempDir::new("faults");
    let ran = plugfest(tmp.path(), &["reference", "faults"]);
    ran.expect_code(0);
    let lines: Vec<&str> = ran.stdout.lines().filter(|l| !l.is_empty()).collect();
    assert!(lines.len() >= 12, "at least 12 faults\n{}", ran.both());
    for line in &lines {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "NAME\\tIDS\\tDESCRIPTION: {line:?}");
        let (name, ids, description) = (cols[0], cols[1], cols[2]);
        let (role, behaviour) = name
            .split_once('/')
            .unwrap_or_else(|| panic!("{name}: qualified role/behaviour"));
        assert!(
            !role.is_empty() && !behaviour.is_empty() && !behaviour.contains('/'),
            "{name}: role/behaviour"
        );
        assert!(
            !role.contains(char::is_whitespace) && !behaviour.contains(char::is_whitespace),
            "{name}"
        );
        for id in ids.split(',') {
            assert!(
                !id.is_empty() && !id.contains(char::is_whitespace),
                "{name}: IDs comma-separated: {ids:?}"
            );
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                "{name}: `{id}` looks like a requirement ID"
            );
        }
        assert!(!description.trim().is_empty(), "{name}: has a description");
    }
}

#[test]
fn an_unreachable_product_is_an_error_not_a_pass() {
    let tmp = TempDir::new("unreachable");
    let config = tmp.path().join("unreachable.toml");
    // Port 9 (discard): nothing listens there on loopback.
    std::fs::write(&config, tool_config("https://127.0.0.1:9", true)).unwrap();
    let out = tmp.path().join("out");
    let ran = plugfest(
        tmp.path(),
        &[
            "run",
            "--config",
            path_arg(&config),
            "--out",
            path_arg(&out),
            "--quiet",
        ],
    );
    ran.expect_code(2);
    assert!(
        tmp.path().join("k.pem").exists(),
        "the platform key is generated beside the config on first use"
    );
    let record = read_record(&out);
    let tool: Vec<&serde_json::Value> = results(&record)
        .iter()
        .filter(|r| {
            r["id"]
                .as_str()
                .unwrap_or_default()
                .starts_with("LTI13-TOOL-")
        })
        .collect();
    assert!(!tool.is_empty(), "LTI13-TOOL results in run.json");
    for r in tool {
        let id = r["id"].as_str().unwrap_or_default();
        let verdict = r["verdict"].as_str().unwrap_or_default();
        let message = r["message"].as_str().unwrap_or_default().to_lowercase();
        assert_ne!(verdict, "pass", "{id} passed against nothing: {message}");
        assert_eq!(verdict, "error", "{id}: {verdict} ({message})");
        assert!(
            ["login", "calibration", "jwks", "key set"]
                .iter()
                .any(|w| message.contains(w)),
            "{id}: the message names what could not be reached (login, calibration, JWKS): {message}"
        );
        assert!(
            [
                "connect",
                "refused",
                "no answer",
                "unreachable",
                "could not"
            ]
            .iter()
            .any(|w| message.contains(w)),
            "{id}: the message names the connection problem: {message}"
        );
    }
}

const REPORTS: &[&str] = &["report.html", "summary.md", "junit.xml", "run.json"];

#[test]
fn demo_writes_the_reports_and_may_overwrite_them() {
    let tmp = TempDir::new("demo");
    let out = tmp.path().join("out");
    let first = plugfest(tmp.path(), &["demo", "--out", path_arg(&out), "--quiet"]);
    first.expect_code(0);
    for f in REPORTS {
        let p = out.join(f);
        let meta = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(meta.len() > 0, "{} is empty", p.display());
    }
    let first_seed = read_record(&out)["run"]["seed"].clone();
    assert!(first_seed.is_string(), "run.json has run.seed");
    let second = plugfest(tmp.path(), &["demo", "--out", path_arg(&out), "--quiet"]);
    second.expect_code(0);
    for f in REPORTS {
        let p = out.join(f);
        let meta = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(
            meta.len() > 0,
            "{} is empty after the second run",
            p.display()
        );
    }
    // Seeds are fresh every run: the second run.json replaced the first.
    assert_ne!(
        read_record(&out)["run"]["seed"],
        first_seed,
        "run.json was overwritten by the second demo"
    );
    assert!(
        !tmp.path().join("reports").exists(),
        "demo with --out wrote nothing into the current directory"
    );
}

#[test]
fn demo_with_a_fault_fails_its_requirement() {
    let tmp = TempDir::new("demofault");
    let out = tmp.path().join("out");
    let ran = plugfest(
        tmp.path(),
        &[
            "demo",
            "--fault",
            "lti13-tool/alg-none-accepted",
            "--out",
            path_arg(&out),
            "--quiet",
        ],
    );
    ran.expect_code(1);
    let record = read_record(&out);
    let sec002 = results(&record)
        .iter()
        .find(|r| r["id"] == "LTI13-TOOL-SEC-002")
        .expect("LTI13-TOOL-SEC-002 in run.json");
    assert_eq!(sec002["verdict"], "fail", "{sec002:#}");
}

#[test]
fn demo_with_an_unknown_fault_is_a_usage_error() {
    let tmp = TempDir::new("demonope");
    let out = tmp.path().join("out");
    let ran = plugfest(
        tmp.path(),
        &["demo", "--fault", "nope", "--out", path_arg(&out)],
    );
    ran.expect_code(2);
    assert!(
        ran.stderr.contains("nope"),
        "names the fault\n{}",
        ran.both()
    );
    assert!(
        !out.join("run.json").exists(),
        "no report for a demo that could not start"
    );
}

/// A fixture of the package rules (`crates/plugfest-packages/tests/fixtures/rules/<RULE>/<pass|fail>`).
fn rule_fixture(rule: &str, which: &str) -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../plugfest-packages/tests/fixtures/rules"
    ))
    .join(rule)
    .join(which)
    .join("item.xml")
}

fn result<'a>(record: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    results(record)
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no result {id}"))
}

#[test]
fn validate_prints_findings_by_rule_and_exits_by_level() {
    let tmp = TempDir::new("validate");
    let (pass, fail) = (
        rule_fixture("QTI21-ITEM-001", "pass"),
        rule_fixture("QTI21-ITEM-001", "fail"),
    );
    // No schema bundle anywhere: the XSD checks cannot run (exit 2, with the install command),
    // unless --allow-incomplete turns them into not-assessed.
    let ran = plugfest(tmp.path(), &["validate", path_arg(&pass)]);
    ran.expect_code(2);
    assert!(
        ran.stdout.contains("plugfest schemas install"),
        "{}",
        ran.both()
    );
    plugfest(
        tmp.path(),
        &["validate", path_arg(&pass), "--allow-incomplete"],
    )
    .expect_code(0);
    let ran = plugfest(
        tmp.path(),
        &["validate", path_arg(&fail), "--allow-incomplete"],
    );
    ran.expect_code(1);
    let line = ran
        .stdout
        .lines()
        .find(|l| l.contains(" MUST QTI21-ITEM-001 "))
        .unwrap_or_else(|| panic!("a finding line: {}", ran.both()));
    let location = line.split(": MUST").next().unwrap_or_default();
    let mut parts = location.rsplitn(3, ':');
    let (col, row, file) = (parts.next(), parts.next(), parts.next());
    assert!(
        file.is_some_and(|f| f.ends_with("QTI21-ITEM-001/fail/item.xml"))
            && [row, col]
                .iter()
                .all(|n| n.is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 0))),
        "LOCATION is the file with line and column: {line}"
    );
    // The run record: the rule's result carries its findings; the XSD check is not assessed.
    let json = tmp.path().join("validate.json");
    plugfest(
        tmp.path(),
        &[
            "validate",
            path_arg(&fail),
            "--allow-incomplete",
            "--format",
            "json",
            "--out",
            path_arg(&json),
        ],
    )
    .expect_code(1);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("JSON");
    let rule = result(&record, "QTI21-ITEM-001");
    assert_eq!(rule["verdict"], "fail", "{rule}");
    assert!(
        rule["evidence"].as_array().is_some_and(|e| e
            .iter()
            .any(|x| x["kind"] == "finding" && x["location"].is_string())),
        "findings with locations: {rule}"
    );
    assert_eq!(result(&record, "QTI21-XSD-001")["verdict"], "not-assessed");
    assert_eq!(result(&record, "CC-WL-URL")["verdict"], "not-applicable");
    for (format, needle) in [("junit", "<testsuite"), ("html", "<!DOCTYPE html")] {
        let ran = plugfest(
            tmp.path(),
            &[
                "validate",
                path_arg(&fail),
                "--allow-incomplete",
                "--format",
                format,
            ],
        );
        ran.expect_code(1);
        assert!(
            ran.stdout.contains(needle) && ran.stdout.contains("QTI21-ITEM-001"),
            "{format}"
        );
    }
    // An input that does not exist could not be validated.
    plugfest(
        tmp.path(),
        &["validate", "no-such-package.zip", "--allow-incomplete"],
    )
    .expect_code(2);
}

#[test]
fn validate_with_the_schema_bundle_judges_xsd() {
    let shared = std::env::var_os("PLUGFEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    let bundle = shared.join("schemas/xsd");
    if !bundle.join("catalog.xml").is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI: the shared schema bundle is missing at {}",
            bundle.display()
        );
        eprintln!(
            "NOTE: no shared schema bundle at {}; validate_with_the_schema_bundle_judges_xsd did not run",
            bundle.display()
        );
        return;
    }
    let tmp = TempDir::new("validate-xsd");
    let json = tmp.path().join("v.json");
    let pass = rule_fixture("QTI21-ITEM-001", "pass");
    plugfest(
        tmp.path(),
        &[
            "validate",
            path_arg(&pass),
            "--schemas",
            path_arg(&bundle),
            "--format",
            "json",
            "--out",
            path_arg(&json),
        ],
    )
    .expect_code(0);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("JSON");
    assert_eq!(result(&record, "QTI21-XSD-001")["verdict"], "pass");
    assert!(
        record["notes"].to_string().contains("plugfest-xsd-"),
        "the report names the schema set: {}",
        record["notes"]
    );
}

#[test]
fn a_package_suite_without_the_schema_bundle_does_not_run_unless_allowed() {
    let tmp = TempDir::new("pkg-nobundle");
    let config = tmp.path().join("c.toml");
    std::fs::write(
        &config,
        format!("{PRODUCT}\n[roles.packages-exporter]\nqti_export_url = \"https://127.0.0.1:9/export.zip\"\n"),
    )
    .expect("write config");
    let ran = plugfest(
        tmp.path(),
        &["run", "--config", path_arg(&config), "--quiet"],
    );
    ran.expect_code(2);
    assert!(
        ran.stderr.contains("plugfest schemas install")
            && ran.stderr.contains("--allow-incomplete"),
        "{}",
        ran.both()
    );
    let out = tmp.path().join("out");
    let ran = plugfest(
        tmp.path(),
        &[
            "run",
            "--config",
            path_arg(&config),
            "--allow-incomplete",
            "--out",
            path_arg(&out),
            "--quiet",
        ],
    );
    ran.expect_code(2);
    let record = read_record(&out);
    let xsd = results(&record)
        .iter()
        .find(|r| r["id"] == "PKG-EXPORT-QTI-003")
        .expect("the XSD requirement");
    assert_ne!(xsd["verdict"], "pass", "nothing was downloaded: {xsd}");
}
