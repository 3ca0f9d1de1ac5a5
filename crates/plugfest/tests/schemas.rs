//! The project's JSON Schemas (schemas/*.schema.json) against what the code really reads and
//! writes: the example config and the config the reference lab writes validate and load with no
//! problems; the run.json of real runs (clean and faulty) validates against the record schema;
//! configs and records the code refuses, the schemas refuse too.

#[allow(dead_code)]
mod support;

use plugfest_core::Config;
use plugfest_core::record::RunRecord;
use plugfest_lti::lti13::role::ToolRole;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const CONFIG_SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/config.schema.json"
));
const RECORD_SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/run-record.schema.json"
));
const CATALOGUE_SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/catalogue.schema.json"
));
const EXAMPLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/lti13-tool.toml"
));

fn schema(text: &str) -> Value {
    serde_json::from_str(text).expect("the schema is JSON")
}

fn validator(text: &str) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema(text))
        .expect("the schema compiles")
}

/// Every validation error, one per line, with its instance path.
fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!(
                "at {}: {e} (schema {})",
                if at.is_empty() { "/" } else { &at },
                e.schema_path()
            )
        })
        .collect()
}

fn assert_valid(v: &jsonschema::Validator, instance: &Value, what: &str) {
    let errs = errors(v, instance);
    assert!(
        errs.is_empty(),
        "{what} does not match its schema ({} error(s)):\n  {}",
        errs.len(),
        errs.join("\n  ")
    );
}

fn toml_to_json(text: &str) -> Value {
    let table: toml::Table = toml::from_str(text).expect("TOML parses");
    serde_json::to_value(table).expect("TOML converts to JSON")
}

/// The config loads as `run` loads it: Config, the lti13-tool role, no problems.
fn load(path: &Path, text: &str) -> Result<ToolRole, String> {
    let config = Config::parse(path, text).map_err(|e| e.to_string())?;
    let role: ToolRole = config.role("lti13-tool").map_err(|e| e.to_string())?;
    let problems = role.problems();
    if problems.is_empty() {
        Ok(role)
    } else {
        Err(format!("problems: {problems:?}"))
    }
}

// ---------------------------------------------------------------------------------------------
// The schemas themselves.

/// Paths (in the schema) of properties and definitions that lack a `description`.
fn undescribed(node: &Value, at: &str, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for key in ["properties", "$defs"] {
                if let Some(Value::Object(children)) = map.get(key) {
                    for (name, child) in children {
                        if child.get("description").and_then(Value::as_str).is_none() {
                            out.push(format!("{at}/{key}/{name}"));
                        }
                    }
                }
            }
            for (k, v) in map {
                undescribed(v, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                undescribed(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_schemas_are_valid_2020_12_and_describe_every_property() {
    for (name, text) in [
        ("config", CONFIG_SCHEMA),
        ("run-record", RECORD_SCHEMA),
        ("catalogue", CATALOGUE_SCHEMA),
    ] {
        let s = schema(text);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(
            s["$id"],
            format!("https://plugfest.invalid/schemas/{name}.schema.json"),
            "{name}"
        );
        if let Err(e) = jsonschema::meta::validate(&s) {
            panic!("{name}.schema.json is not a valid schema: {e}");
        }
        let mut missing = Vec::new();
        undescribed(&s, "", &mut missing);
        // `if` branches only select; they are not properties a reader looks up.
        missing.retain(|p| !p.contains("/if/"));
        assert!(
            missing.is_empty(),
            "{name}.schema.json: no description at {missing:?}"
        );
        validator(text);
    }
}

// ---------------------------------------------------------------------------------------------
// Configs.

#[test]
fn the_example_config_validates_and_loads() {
    let v = validator(CONFIG_SCHEMA);
    assert_valid(&v, &toml_to_json(EXAMPLE), "examples/lti13-tool.toml");
    let path = root().join("examples/lti13-tool.toml");
    let role = load(&path, EXAMPLE).unwrap_or_else(|e| panic!("examples/lti13-tool.toml: {e}"));
    assert!(role.launch_urls.iter().all(|u| u.starts_with("https://")));
    let config = Config::parse(&path, EXAMPLE).expect("parses");
    assert_eq!(
        config.roles.keys().collect::<Vec<_>>(),
        ["lti13-tool"],
        "the example configures exactly the lti13-tool suite"
    );
    assert!(
        config.server.as_ref().is_some_and(|s| s.tls.is_some()),
        "the example serves the callback server over HTTPS"
    );
}

#[test]
fn the_lti13_platform_example_validates_and_types() {
    let v = validator(CONFIG_SCHEMA);
    let path = root().join("examples/lti13-platform.toml");
    let text = std::fs::read_to_string(&path).expect("example exists");
    assert_valid(&v, &toml_to_json(&text), "lti13-platform.toml");
    let config = Config::parse(&path, &text).expect("parses");
    assert_eq!(config.roles.keys().collect::<Vec<_>>(), ["lti13-platform"]);
    let role = config
        .role::<plugfest_lti::lti13::as_tool::role::PlatformRole>("lti13-platform")
        .expect("types");
    assert!(role.problems().is_empty(), "{:?}", role.problems());
}

#[test]
fn the_lti11_examples_validate_and_type() {
    let v = validator(CONFIG_SCHEMA);
    for (name, suite) in [
        ("lti11-tool.toml", "lti11-tool"),
        ("lti11-consumer.toml", "lti11-consumer"),
    ] {
        let path = root().join("examples").join(name);
        let text = std::fs::read_to_string(&path).expect("example exists");
        assert_valid(&v, &toml_to_json(&text), name);
        let config = Config::parse(&path, &text).expect("parses");
        assert_eq!(config.roles.keys().collect::<Vec<_>>(), [suite], "{name}");
        let problems = if suite == "lti11-tool" {
            config
                .role::<plugfest_lti::lti11::role::ToolProviderRole>(suite)
                .expect("types")
                .problems()
        } else {
            config
                .role::<plugfest_lti::lti11::role::ConsumerRole>(suite)
                .expect("types")
                .problems()
        };
        assert!(problems.is_empty(), "{name}: {problems:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_config_the_reference_lab_writes_validates_and_loads() {
    let dir = support::temp_dir("schemas-lab");
    // Every role the lab can start: the demo's config.
    let lab = plugfest::lab::start(&dir, &[], &[])
        .await
        .expect("the lab starts");
    let text = std::fs::read_to_string(&lab.config_path).expect("the lab wrote its config");
    assert_eq!(text, lab.config_text);
    assert_valid(
        &validator(CONFIG_SCHEMA),
        &toml_to_json(&text),
        "the lab's plugfest.toml",
    );
    if let Err(e) = load(&lab.config_path, &text) {
        panic!("the lab's plugfest.toml: {e}");
    }
    drop(lab);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The example with one change applied to its TOML table.
fn variant(change: impl FnOnce(&mut toml::Table)) -> String {
    let mut t: toml::Table = toml::from_str(EXAMPLE).expect("example parses");
    change(&mut t);
    toml::to_string(&t).expect("serializes")
}

fn table<'a>(t: &'a mut toml::Table, path: &[&str]) -> &'a mut toml::Table {
    path.iter().fold(t, |t, k| {
        t.get_mut(*k)
            .and_then(toml::Value::as_table_mut)
            .unwrap_or_else(|| panic!("table {k}"))
    })
}

#[test]
fn schema_and_loader_agree_on_config_variants() {
    use toml::Value as T;
    let v = validator(CONFIG_SCHEMA);
    let path = Path::new("variant.toml");
    type Change = Box<dyn FnOnce(&mut toml::Table)>;
    // (what, change, accepted by both)
    let cases: Vec<(&str, Change, bool)> = vec![
        (
            "a wrong type: timeout_secs as a string",
            Box::new(|t| {
                table(t, &["client"]).insert("timeout_secs".into(), T::String("ten".into()));
            }),
            false,
        ),
        (
            "an unknown key in [client]",
            Box::new(|t| {
                table(t, &["client"]).insert("timeout".into(), T::Integer(3));
            }),
            false,
        ),
        (
            "an unknown top-level table",
            Box::new(|t| {
                t.insert("vendor".into(), T::Table(toml::Table::new()));
            }),
            false,
        ),
        (
            "[product] without version",
            Box::new(|t| {
                table(t, &["product"]).remove("version");
            }),
            false,
        ),
        (
            "[signing] with a key from a file",
            Box::new(|t| {
                let mut key = toml::Table::new();
                key.insert("file".into(), T::String("keys/signing.pem".into()));
                let mut signing = toml::Table::new();
                signing.insert("key".into(), T::Table(key));
                t.insert("signing".into(), T::Table(signing));
            }),
            true,
        ),
        (
            "[signing] without its key",
            Box::new(|t| {
                t.insert("signing".into(), T::Table(toml::Table::new()));
            }),
            false,
        ),
        (
            "an unknown key in [server.tls]",
            Box::new(|t| {
                table(t, &["server", "tls"]).insert("password".into(), T::String("x".into()));
            }),
            false,
        ),
        (
            "an unknown key in [roles.lti13-tool]",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool"])
                    .insert("client_secret".into(), T::String("s".into()));
            }),
            false,
        ),
        (
            "launch_urls as a string",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool"]).insert(
                    "launch_urls".into(),
                    T::String("https://tool.example.com/lti/launch".into()),
                );
            }),
            false,
        ),
        (
            "no launch URL",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool"]).insert("launch_urls".into(), T::Array(vec![]));
            }),
            false,
        ),
        (
            "plain HTTP off loopback",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool"]).insert(
                    "login_initiation_url".into(),
                    T::String("http://tool.example.com/lti/login".into()),
                );
            }),
            false,
        ),
        (
            "a relative URL",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool"])
                    .insert("issuer".into(), T::String("/issuer".into()));
            }),
            false,
        ),
        (
            "an empty client_id",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool"])
                    .insert("client_id".into(), T::String(String::new()));
            }),
            false,
        ),
        (
            "login_method PUT",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool"])
                    .insert("login_method".into(), T::String("put".into()));
            }),
            false,
        ),
        (
            "a bad status pattern",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool", "refusal"]).insert(
                    "accept_status".into(),
                    T::Array(vec![T::String("ok".into())]),
                );
            }),
            false,
        ),
        (
            "an unknown key in the refusal rule",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool", "refusal"])
                    .insert("accept".into(), T::String("2xx".into()));
            }),
            false,
        ),
        (
            "a learner without email",
            Box::new(|t| {
                table(t, &["roles", "lti13-tool", "learner"]).remove("email");
            }),
            false,
        ),
        (
            "platform_key as { file }",
            Box::new(|t| {
                let mut k = toml::Table::new();
                k.insert("file".into(), T::String("k.pem".into()));
                table(t, &["roles", "lti13-tool"]).insert("platform_key".into(), T::Table(k));
            }),
            false,
        ),
        (
            "platform_key as { env }",
            Box::new(|t| {
                let mut k = toml::Table::new();
                k.insert("env".into(), T::String("PLATFORM_KEY_PEM".into()));
                table(t, &["roles", "lti13-tool"]).insert("platform_key".into(), T::Table(k));
            }),
            true,
        ),
        (
            "the TLS key as { file } and the proxy inline",
            Box::new(|t| {
                let mut k = toml::Table::new();
                k.insert("file".into(), T::String("server-key.pem".into()));
                table(t, &["server", "tls"]).insert("key".into(), T::Table(k));
                table(t, &["client"]).insert(
                    "proxy".into(),
                    T::String("http://proxy.district.example:3128".into()),
                );
            }),
            true,
        ),
        (
            "body regexes, an exact status and follow_origins",
            Box::new(|t| {
                let r = table(t, &["roles", "lti13-tool", "refusal"]);
                r.insert("accept_body".into(), T::String("(?i)welcome".into()));
                r.insert("refuse_body".into(), T::String("(?i)launch failed".into()));
                r.insert(
                    "refuse_status".into(),
                    T::Array(vec![T::String("4xx".into()), T::String("200".into())]),
                );
                r.insert(
                    "follow_origins".into(),
                    T::Array(vec![T::String("https://auth.example.com".into())]),
                );
            }),
            true,
        ),
        (
            "plain HTTP on loopback, default people and refusal rule",
            Box::new(|t| {
                let role = table(t, &["roles", "lti13-tool"]);
                role.insert(
                    "login_initiation_url".into(),
                    T::String("http://127.0.0.1:8080/login".into()),
                );
                for k in ["refusal", "instructor", "learner", "tool_jwks_url"] {
                    role.remove(k);
                }
            }),
            true,
        ),
        (
            "another suite's table",
            Box::new(|t| {
                let mut other = toml::Table::new();
                other.insert("base_url".into(), T::String("https://or.example".into()));
                other.insert(
                    "token_url".into(),
                    T::String("https://or.example/token".into()),
                );
                other.insert("client_id".into(), T::String("plugfest".into()));
                let mut secret = toml::Table::new();
                secret.insert("env".into(), T::String("OR12_SECRET".into()));
                other.insert("client_secret".into(), T::Table(secret));
                table(t, &["roles"]).insert("oneroster12-provider".into(), T::Table(other));
            }),
            true,
        ),
    ];
    let mut disagreements = Vec::new();
    for (what, change, accepted) in cases {
        let text = variant(change);
        let schema_errors = errors(&v, &toml_to_json(&text));
        let loaded = load(path, &text);
        let by_schema = schema_errors.is_empty();
        let by_loader = loaded.is_ok();
        if by_schema != accepted || by_loader != accepted {
            disagreements.push(format!(
                "{what}: expected {}; schema: {}; loader: {}",
                if accepted { "accepted" } else { "refused" },
                if by_schema {
                    "accepted".to_string()
                } else {
                    schema_errors.join("; ")
                },
                match &loaded {
                    Ok(_) => "accepted".to_string(),
                    Err(e) => e.clone(),
                }
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Run records.

/// The run.json written for a finished run, as JSON, after checking it is the record.
fn run_json(done: &plugfest::app::Finished) -> Value {
    let path = done
        .reports
        .iter()
        .find(|p| p.file_name().is_some_and(|n| n == "run.json"))
        .expect("run.json is among the reports");
    let text = std::fs::read_to_string(path).expect("run.json is readable");
    let json: Value = serde_json::from_str(&text).expect("run.json is JSON");
    let back: RunRecord = serde_json::from_value(json.clone()).expect("run.json reads back");
    assert_eq!(back, done.record, "run.json is the run's record");
    json
}

fn evidence_kinds(record: &Value) -> BTreeSet<String> {
    record["results"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["kind"].as_str().map(str::to_string))
        .collect()
}

fn verdicts(record: &Value) -> BTreeSet<String> {
    record["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["verdict"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn run_records_of_real_runs_validate() {
    let v = validator(RECORD_SCHEMA);
    let mut kinds = BTreeSet::new();
    let mut seen_verdicts = BTreeSet::new();
    let mut profile_verdicts = BTreeSet::new();
    let mut optional = BTreeSet::new();
    for faults in [
        &[][..],
        &["lti13-tool/launch-answers-404"][..],
        &["lti13-tool/alg-none-accepted"][..],
    ] {
        let done = support::run_reference("lti13-tool", faults).await;
        let json = run_json(&done);
        assert_valid(
            &v,
            &json,
            &format!("run.json of the reference with {faults:?}"),
        );
        kinds.extend(evidence_kinds(&json));
        seen_verdicts.extend(verdicts(&json));
        for p in json["profiles"].as_array().into_iter().flatten() {
            profile_verdicts.insert(p["verdict"].as_str().unwrap_or_default().to_string());
        }
        for r in json["results"].as_array().into_iter().flatten() {
            for k in ["expected", "observed", "cert_ref"] {
                if r.get(k).is_some() {
                    optional.insert(k);
                }
            }
        }
    }
    // The runs covered what the schema describes, so its validation meant something.
    for k in ["exchange", "jwt", "finding", "note"] {
        assert!(
            kinds.contains(k),
            "no `{k}` evidence in the runs: {kinds:?}"
        );
    }
    for verdict in ["pass", "warn", "fail", "error"] {
        assert!(
            seen_verdicts.contains(verdict),
            "no `{verdict}` verdict in the runs: {seen_verdicts:?}"
        );
    }
    for p in ["conformant", "not-conformant"] {
        assert!(
            profile_verdicts.contains(p),
            "no `{p}` profile in the runs: {profile_verdicts:?}"
        );
    }
    for k in ["expected", "observed", "cert_ref"] {
        assert!(optional.contains(k), "no result with `{k}` in the runs");
    }
}

/// A small well-formed record, covering every evidence kind.
fn sample_record() -> Value {
    let digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    json!({
        "record_version": "1.0",
        "plugfest": { "version": "0.1.0", "commit": "unknown" },
        "product": { "name": "T", "vendor": "V", "version": "1" },
        "run": {
            "started": "2025-01-01T00:00:00Z",
            "finished": "2025-01-01T00:00:05.25Z",
            "seed": digest,
            "config_digest": digest,
            "catalogue_digest": digest,
            "features_digest": digest,
            "suites": ["lti13-tool"],
            "tags": "@must",
            "custom": false,
            "filtered": true,
            "evidence": "masked"
        },
        "profiles": [{
            "name": "p", "title": "P", "suite": "lti13-tool", "verdict": "incomplete",
            "must_failed": 0, "assessed": 1, "catalogued": 2
        }],
        "results": [{
            "id": "LTI13-TOOL-SEC-001",
            "suite": "lti13-tool",
            "level": "MUST",
            "spec": "lti-sec-1.0#5.1.3",
            "text": "t",
            "impact": "i",
            "fix": "f",
            "verdict": "error",
            "tier": "automatic",
            "message": "m",
            "evidence": [
                {
                    "kind": "exchange", "label": "l", "method": "POST", "url": "https://t.example/x",
                    "request_headers": [["content-type", "text/plain"]], "request_body": "b",
                    "response_headers": [], "truncated": false, "error": "timed out",
                    "duration_ms": 10000
                },
                { "kind": "jwt", "label": "l", "header": { "alg": "RS256" }, "claims": { "sub": "«masked»" } },
                { "kind": "finding", "check": "c::d", "met": false, "message": "m", "expected": "e", "observed": "o", "location": "aud" },
                { "kind": "note", "text": "n" }
            ],
            "reproduce": "plugfest run --config c.toml --suite lti13-tool --tags @req:LTI13-TOOL-SEC-001",
            "scenarios": []
        }],
        "notes": []
    })
}

#[test]
fn schema_and_serde_agree_on_record_variants() {
    let v = validator(RECORD_SCHEMA);
    let sample = sample_record();
    assert_valid(&v, &sample, "the sample record");
    serde_json::from_value::<RunRecord>(sample.clone()).expect("the sample record deserializes");

    type Change = fn(&mut Value);
    // (what, change): each makes a record both the schema and serde refuse.
    let refused: Vec<(&str, Change)> = vec![
        ("a bogus verdict", |r| {
            r["results"][0]["verdict"] = json!("passed")
        }),
        ("a bogus tier", |r| r["results"][0]["tier"] = json!("human")),
        ("a lower-case level", |r| {
            r["results"][0]["level"] = json!("must")
        }),
        ("a bogus profile verdict", |r| {
            r["profiles"][0]["verdict"] = json!("certified")
        }),
        ("an unknown evidence kind", |r| {
            r["results"][0]["evidence"][3]["kind"] = json!("screenshot")
        }),
        ("a finding without `met`", |r| {
            r["results"][0]["evidence"][2]
                .as_object_mut()
                .unwrap()
                .remove("met");
        }),
        ("a header that is not a pair", |r| {
            r["results"][0]["evidence"][0]["request_headers"] = json!([["content-type"]])
        }),
        ("a status that is not a number", |r| {
            r["results"][0]["evidence"][0]["status"] = json!("200")
        }),
        ("a result without evidence", |r| {
            r["results"][0].as_object_mut().unwrap().remove("evidence");
        }),
        ("a run without seed", |r| {
            r["run"].as_object_mut().unwrap().remove("seed");
        }),
        ("a negative count", |r| {
            r["profiles"][0]["must_failed"] = json!(-1)
        }),
    ];
    // (what, change): records serde reads (it ignores unknown fields and fills defaults) but the
    // schema refuses, because run.json as written never has them.
    let stricter: Vec<(&str, Change)> = vec![
        ("an unknown top-level field", |r| r["extra"] = json!(1)),
        ("an unknown field in a note", |r| {
            r["results"][0]["evidence"][3]["extra"] = json!(1)
        }),
        ("a start time that is not RFC 3339", |r| {
            r["run"]["started"] = json!("yesterday")
        }),
        ("a seed that is not 64 hex digits", |r| {
            r["run"]["seed"] = json!("abc")
        }),
        ("an evidence mode other than masked or full", |r| {
            r["run"]["evidence"] = json!("some")
        }),
        ("another record version", |r| {
            r["record_version"] = json!("0.9")
        }),
    ];
    let mut wrong = Vec::new();
    for (what, change) in &refused {
        let mut r = sample.clone();
        change(&mut r);
        if errors(&v, &r).is_empty() {
            wrong.push(format!("{what}: the schema accepts it"));
        }
        if serde_json::from_value::<RunRecord>(r).is_ok() {
            wrong.push(format!("{what}: serde accepts it (test case is wrong)"));
        }
    }
    for (what, change) in &stricter {
        let mut r = sample.clone();
        change(&mut r);
        if errors(&v, &r).is_empty() {
            wrong.push(format!("{what}: the schema accepts it"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
