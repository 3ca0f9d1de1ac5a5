//! Renders one small hostile record into every format and checks what a reader (or a CI parser)
//! gets.

use plugfest_core::config::Product;
use plugfest_core::record::{Harness, ProfileResult, RECORD_VERSION, RunInfo};
use plugfest_core::{
    Evidence, Exchange, Finding, Level, RequirementResult, RunRecord, Tier, Verdict,
};
use plugfest_report::{
    ReportContext, render_html, render_json, render_junit, render_markdown, write_all,
};

const HOSTILE: &str = "<script>alert(1)</script> ]]> & \"quoted\" 'single' \u{0}\u{7}";

fn result(
    id: &str,
    suite: &str,
    level: Level,
    verdict: Verdict,
    message: &str,
) -> RequirementResult {
    RequirementResult {
        id: id.into(),
        suite: suite.into(),
        level,
        spec: "lti-sec-1.0#5.1.3".into(),
        text: format!("Requirement {id} holds."),
        impact: format!("District impact of {id}."),
        fix: format!("Vendor fix of {id} (Security Framework §5.1.3)."),
        verdict,
        tier: Tier::Automatic,
        message: message.into(),
        expected: None,
        observed: None,
        evidence: vec![],
        reproduce: format!("plugfest run --config vendor.toml --tags @req:{id}"),
        cert_ref: None,
        scenarios: vec![format!("scenario for {id}")],
        profiles: vec![],
    }
}

fn hostile_exchange() -> Exchange {
    Exchange {
        label: "OIDC login initiation".into(),
        method: "POST".into(),
        url: "https://tool.example/login?x=<script>".into(),
        request_headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        request_body: Some("iss=https%3A%2F%2Fplatform.example".into()),
        status: Some(200),
        response_headers: vec![(
            "content-type".into(),
            "text/html\"><script>x</script>".into(),
        )],
        response_body: Some(format!("<html>{HOSTILE}</html>")),
        truncated: true,
        error: None,
        duration_ms: 12,
    }
}

fn record() -> RunRecord {
    let mut fail = result(
        "LTI13-TOOL-SEC-001",
        "lti13-tool",
        Level::Must,
        Verdict::Fail,
        "nonce replay accepted <b>",
    );
    fail.expected = Some("HTTP 400 <error>".into());
    fail.observed = Some(format!("HTTP 200 {HOSTILE}"));
    fail.cert_ref = Some("Tool Test 3.2".into());
    fail.evidence = vec![
        Evidence::Exchange(hostile_exchange()),
        Evidence::Jwt {
            label: "id_token sent to the tool".into(),
            header: serde_json::json!({"alg": "RS256", "kid": "k1"}),
            claims: serde_json::json!({"nonce": "n-1", "name": "<script>alert(2)</script>"}),
        },
        Evidence::Finding(
            Finding::not_met(
                "launch::nonce_not_replayed",
                "nonce reused",
                "rejection",
                "accepted <script>",
            )
            .at("id_token.nonce"),
        ),
        Evidence::Finding(Finding::met(
            "launch::iss_matches",
            "iss is `https://platform.example`",
        )),
        Evidence::Note {
            text: format!("note {HOSTILE}"),
        },
    ];
    let mut error = result(
        "LTI13-TOOL-SEC-002",
        "lti13-tool",
        Level::Must,
        Verdict::Error,
        "timeout after 10 s",
    );
    error.evidence = vec![Evidence::Exchange(Exchange {
        status: None,
        response_headers: vec![],
        response_body: None,
        truncated: false,
        error: Some("operation timed out".into()),
        ..hostile_exchange()
    })];
    let mut warn = result(
        "LTI13-TOOL-SEC-003-CERT",
        "lti13-tool",
        Level::Should,
        Verdict::Warn,
        "anonymous launch accepted",
    );
    warn.expected = Some("rejection".into());
    warn.observed = Some("accepted".into());
    let results = vec![
        result(
            "LTI13-TOOL-SEC-000",
            "lti13-tool",
            Level::Must,
            Verdict::Pass,
            "state matches",
        ),
        fail,
        error,
        warn,
        result(
            "LTI13-TOOL-UI-001",
            "lti13-tool",
            Level::Must,
            Verdict::Manual,
            "check the grade view renders",
        ),
        result(
            "DL-TOOL-MSG-001",
            "lti13-tool",
            Level::May,
            Verdict::NotApplicable,
            "product offers no deep linking",
        ),
        result(
            "OR12-SP-PAGE-003",
            "oneroster12-provider",
            Level::Must,
            Verdict::NotAssessed,
            "filtered out by --tags",
        ),
        result(
            "OR12-SP-PAGE-001",
            "oneroster12-provider",
            Level::Must,
            Verdict::Pass,
            "limit honoured",
        ),
        result(
            "OR12-SP-PAGE-002",
            "oneroster12-provider",
            Level::Must,
            Verdict::Fail,
            "offset ignored & < \" control\u{1}",
        ),
    ];
    let lti: Vec<&RequirementResult> = results.iter().filter(|r| r.suite == "lti13-tool").collect();
    let or: Vec<&RequirementResult> = results.iter().filter(|r| r.suite != "lti13-tool").collect();
    let profiles = vec![
        ProfileResult::compute("lti13-core-tool", "LTI 1.3 Core — tool", "lti13-tool", &lti),
        ProfileResult::compute(
            "or12-core",
            "OneRoster 1.2 Rostering Core — provider",
            "oneroster12-provider",
            &or,
        ),
    ];
    RunRecord {
        record_version: RECORD_VERSION.into(),
        plugfest: Harness {
            version: "0.1.0".into(),
            commit: "abc1234".into(),
        },
        product: Product {
            name: "Acme <Tool>".into(),
            vendor: "Acme & Co".into(),
            version: "2.3".into(),
        },
        run: RunInfo {
            started: "2025-05-01T10:00:00Z".into(),
            finished: "2025-05-01T10:02:00Z".into(),
            seed: "0123456789abcdef".into(),
            config_digest: "c".repeat(64),
            catalogue_digest: "d".repeat(64),
            features_digest: "e".repeat(64),
            suites: vec!["lti13-tool".into(), "oneroster12-provider".into()],
            tags: Some("@must and not @slow".into()),
            custom: true,
            filtered: true,
            evidence: "masked".into(),
        },
        profiles,
        results,
        notes: vec!["Plain HTTP was used for http://127.0.0.1:8080 <loopback>.".into()],
    }
}

fn ctx() -> ReportContext {
    let mut ctx = ReportContext::default();
    ctx.spec_titles.insert(
        "lti-sec-1.0".into(),
        (
            "1EdTech Security Framework 1.0".into(),
            "https://www.imsglobal.org/spec/security/v1p0/".into(),
        ),
    );
    ctx.suite_titles
        .insert("lti13-tool".into(), "LTI 1.3 — tool".into());
    ctx
}

// ---------------------------------------------------------------- HTML

#[test]
fn html_renders_hostile_evidence_inert() {
    let html = render_html(&record(), &ctx()).unwrap();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "raw <script> in report.html");
    assert!(!lower.contains("<b>"), "raw vendor markup in report.html");
    assert!(
        !html.contains('\u{0}') && !html.contains('\u{7}'),
        "control characters in report.html"
    );
    // The hostile body is there, escaped, not dropped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    assert!(html.contains("]]&gt;"));
    // Nothing runs even if escaping ever failed.
    assert!(html.contains("Content-Security-Policy"));
}

#[test]
fn html_is_self_contained() {
    let html = render_html(&record(), &ctx()).unwrap().to_ascii_lowercase();
    for asset in [
        "<link", "<img", "<script", "<iframe", "<object", "<embed", " src=", "@import", "url(",
    ] {
        assert!(!html.contains(asset), "report.html loads an asset: {asset}");
    }
    assert!(html.contains("<style>"));
}

#[test]
fn html_has_sections_words_and_structure() {
    let html = render_html(&record(), &ctx()).unwrap();
    assert!(
        html.contains("<h1>Conformance assessment — Acme &lt;Tool&gt; 2.3 (Acme &amp; Co)</h1>")
    );
    assert!(html.contains("not a 1EdTech certification"));
    assert!(html.contains("abc1234") && html.contains("2025-05-01T10:00:00Z"));
    assert!(html.contains("Custom run:") && html.contains("Filtered run:"));
    assert!(html.contains("@must and not @slow"));
    for word in [
        "Error",
        "Fail",
        "Warn",
        "Manual",
        "Pass",
        "Not applicable",
        "Not assessed",
    ] {
        assert!(
            html.contains(&format!("\">{word}</span>")),
            "verdict word {word} missing"
        );
    }
    assert!(html.contains("Not conformant (1 MUST failure)"));
    assert!(html.contains("1EdTech Security Framework 1.0 §5.1.3"));
    assert!(html.contains(
        "href=\"https:&#x2F;&#x2F;www.imsglobal.org&#x2F;spec&#x2F;security&#x2F;v1p0&#x2F;\""
    ));
    assert!(html.contains("<th scope=\"col\">") && html.contains("<th scope=\"row\">"));
    assert!(html.contains("<details class=\"evidence\">") && html.contains("@media print"));
    assert!(html.contains("Tool Test 3.2"), "cert_ref");
    assert!(html.contains("Truncated:"), "truncated marker");
    assert!(html.contains("operation timed out"), "transport error");
    assert!(
        html.contains("&quot;alg&quot;: &quot;RS256&quot;"),
        "pretty JWT header"
    );
    assert!(html.contains("✗ not met") && html.contains("✓ met"));
    assert!(html.contains("Plain HTTP was used"), "notes");
    assert!(
        html.contains(
            "<code>plugfest run --config vendor.toml --tags @req:LTI13-TOOL-SEC-001</code>"
        )
    );
    // Worst first, catalogue order within a verdict.
    let pos = |id: &str| {
        html.find(&format!("id=\"req-{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(pos("LTI13-TOOL-SEC-002") < pos("LTI13-TOOL-SEC-001"));
    assert!(pos("LTI13-TOOL-SEC-001") < pos("OR12-SP-PAGE-002"));
    assert!(pos("OR12-SP-PAGE-002") < pos("LTI13-TOOL-SEC-003-CERT"));
    assert!(pos("LTI13-TOOL-SEC-000") < pos("OR12-SP-PAGE-001"));
    assert!(pos("OR12-SP-PAGE-001") < pos("OR12-SP-PAGE-003"));
}

#[test]
fn html_falls_back_to_the_raw_spec_key_and_hides_run_markers() {
    let mut rec = record();
    rec.run.custom = false;
    rec.run.filtered = false;
    let html = render_html(&rec, &ReportContext::default()).unwrap();
    assert!(html.contains("lti-sec-1.0#5.1.3"));
    // No spec link; only the report's own anchors ("What matters most" → detail).
    assert!(!html.contains("<a href=\"h"));
    assert!(html.contains("<a href=\"#req-LTI13-TOOL-SEC-001\">"));
    assert!(!html.contains("Custom run") && !html.contains("Filtered run"));
}

// ---------------------------------------------------------------- JUnit

#[test]
fn junit_is_well_formed_with_the_right_counts() {
    let xml = render_junit(&record()).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("junit.xml is well-formed");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().to_string();
    assert_eq!(attr(root, "tests"), "9");
    assert_eq!(attr(root, "failures"), "2");
    assert_eq!(attr(root, "errors"), "1");
    assert_eq!(attr(root, "skipped"), "3");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 2);
    assert_eq!(attr(suites[0], "name"), "lti13-tool");
    assert_eq!(
        [
            attr(suites[0], "tests"),
            attr(suites[0], "failures"),
            attr(suites[0], "errors"),
            attr(suites[0], "skipped")
        ],
        ["6", "1", "1", "2"]
    );
    assert_eq!(attr(suites[1], "name"), "oneroster12-provider");
    assert_eq!(attr(suites[1], "tests"), "3");

    let case = |id: &str| {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("testcase")
                    && n.attribute("name").unwrap().starts_with(&format!("{id} "))
            })
            .unwrap_or_else(|| panic!("{id}"))
    };
    let fail = case("LTI13-TOOL-SEC-001");
    assert_eq!(attr(fail, "classname"), "lti13-tool");
    assert_eq!(
        attr(fail, "name"),
        "LTI13-TOOL-SEC-001 Requirement LTI13-TOOL-SEC-001 holds."
    );
    let failure = fail.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(attr(failure, "message"), "nonce replay accepted <b>");
    let body = failure.text().unwrap();
    assert!(body.contains("expected: HTTP 400 <error>"));
    assert!(body.contains("observed: HTTP 200 <script>alert(1)</script> ]]> & \"quoted\""));
    assert!(
        body.contains(
            "reproduce: plugfest run --config vendor.toml --tags @req:LTI13-TOOL-SEC-001"
        )
    );
    // Control characters XML 1.0 forbids are dropped.
    let f2 = case("OR12-SP-PAGE-002")
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(attr(f2, "message"), "offset ignored & < \" control");

    assert!(
        case("LTI13-TOOL-SEC-002")
            .children()
            .any(|n| n.has_tag_name("error"))
    );
    let warn = case("LTI13-TOOL-SEC-003-CERT");
    assert!(
        !warn
            .children()
            .any(|n| n.has_tag_name("failure") || n.has_tag_name("skipped"))
    );
    let out = warn
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .unwrap();
    assert!(out.text().unwrap().contains("anonymous launch accepted"));
    let skip = |id: &str| {
        let c = case(id);
        attr(
            c.children().find(|n| n.has_tag_name("skipped")).unwrap(),
            "message",
        )
    };
    assert_eq!(
        skip("LTI13-TOOL-UI-001"),
        "manual: check the grade view renders"
    );
    assert_eq!(
        skip("DL-TOOL-MSG-001"),
        "not-applicable: product offers no deep linking"
    );
    assert_eq!(
        skip("OR12-SP-PAGE-003"),
        "not-assessed: filtered out by --tags"
    );
    assert_eq!(
        case("LTI13-TOOL-SEC-000")
            .children()
            .filter(|n| n.is_element())
            .count(),
        0
    );
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_lists_what_needs_attention() {
    let md = render_markdown(&record(), &ctx()).unwrap();
    assert!(md.starts_with("## Conformance assessment — Acme \\<Tool\\> 2.3 (Acme \\& Co)"));
    assert!(md.contains("not** a 1EdTech certification"));
    assert!(md.contains("**Custom run:**") && md.contains("**Filtered run:**"));
    assert!(md.contains("### LTI 1.3 — tool (`lti13-tool`)"));
    assert!(md.contains(
        "| error | fail | warn | manual | pass | not-applicable | not-assessed | coverage |"
    ));
    assert!(md.contains("| 1 | 1 | 1 | 1 | 1 | 1 | 0 | 6 / 6 |"));
    assert!(md.contains("| 0 | 1 | 0 | 0 | 1 | 0 | 1 | 2 / 3 |"));
    assert!(md.contains("**Not conformant (1 MUST failure)**"));
    assert!(md.contains("### Needs attention (4)"));
    for id in [
        "LTI13-TOOL-SEC-001",
        "LTI13-TOOL-SEC-002",
        "LTI13-TOOL-SEC-003-CERT",
        "OR12-SP-PAGE-002",
    ] {
        assert!(
            md.contains(&format!("- **`{id}`**")),
            "{id} missing from summary.md"
        );
        assert!(md.contains(&format!(
            "Reproduce: `plugfest run --config vendor.toml --tags @req:{id}`"
        )));
    }
    assert!(md.contains("expected `HTTP 400 <error>` · observed `HTTP 200 <script>"));
    assert!(
        !md.contains("LTI13-TOOL-UI-001"),
        "manual results are not failures"
    );
    assert!(!md.contains('\u{0}'));
    // Error first, then fail, then warn.
    assert!(md.find("LTI13-TOOL-SEC-002").unwrap() < md.find("- **`LTI13-TOOL-SEC-001`").unwrap());
}

#[test]
fn markdown_stays_under_60_kb_with_many_failures() {
    let mut rec = record();
    let long = "x".repeat(5_000);
    rec.results = (0..3_000)
        .map(|i| {
            let mut r = result(
                &format!("OR12-SP-FAIL-{i:04}"),
                "oneroster12-provider",
                Level::Must,
                Verdict::Fail,
                &long,
            );
            r.expected = Some(long.clone());
            r.observed = Some("é".repeat(5_000));
            r
        })
        .collect();
    let md = render_markdown(&rec, &ctx()).unwrap();
    assert!(md.len() < 60_000, "summary.md is {} bytes", md.len());
    assert!(md.contains("### Needs attention (3000)"));
    assert!(md.contains("more not shown"));
    assert!(md.contains("OR12-SP-FAIL-0000"));
}

// ---------------------------------------------------------------- JSON and files

#[test]
fn json_round_trips() {
    let rec = record();
    let json = render_json(&rec).unwrap();
    let back: RunRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rec);
    assert!(json.contains("\n  \"record_version\""), "pretty-printed");
}

#[test]
fn write_all_writes_four_files_and_overwrites_old_ones() {
    let dir = std::env::temp_dir().join(format!("plugfest-report-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("nested/out");
    let first = write_all(&record(), &ctx(), &out).unwrap();
    let names: Vec<_> = first
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["report.html", "summary.md", "junit.xml", "run.json"]
    );
    for p in &first {
        std::fs::write(p, "stale").unwrap();
    }
    let second = write_all(&record(), &ctx(), &out).unwrap();
    assert_eq!(first, second);
    for p in &second {
        let text = std::fs::read_to_string(p).unwrap();
        assert_ne!(text, "stale", "{} not overwritten", p.display());
    }
    assert_eq!(
        std::fs::read_to_string(&second[3]).unwrap(),
        render_json(&record()).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        4,
        "temporary files left behind: {leftovers:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn html_puts_what_matters_most_first_with_both_sentences_and_a_link() {
    let html = render_html(&record(), &ctx()).unwrap();
    let start = html
        .find("<h2 id=\"h-attention\">What matters most</h2>")
        .expect("a What matters most section");
    assert!(start > html.find("id=\"h-counts\"").unwrap());
    let end = html.find("id=\"h-reqs\"").unwrap();
    assert!(start < end, "What matters most comes before the detail");
    let section = &html[start..end];
    // Fail, then error, then warn.
    let at = |id: &str| {
        section
            .find(&format!("<code>{id}</code>"))
            .unwrap_or_else(|| panic!("{id} missing from What matters most"))
    };
    assert!(at("LTI13-TOOL-SEC-001") < at("LTI13-TOOL-SEC-002"));
    assert!(at("LTI13-TOOL-SEC-002") < at("LTI13-TOOL-SEC-003-CERT"));
    assert!(
        !section.contains("LTI13-TOOL-SEC-000"),
        "passes are not listed"
    );
    assert!(section.contains("For the district:</strong> District impact of LTI13-TOOL-SEC-001."));
    assert!(section.contains(
        "For the vendor:</strong> Vendor fix of LTI13-TOOL-SEC-001 (Security Framework §5.1.3)."
    ));
    assert!(section.contains(
        "<a href=\"https:&#x2F;&#x2F;www.imsglobal.org&#x2F;spec&#x2F;security&#x2F;v1p0&#x2F;\">1EdTech Security Framework 1.0 §5.1.3</a>"
    ));
    assert!(section.contains("href=\"#req-LTI13-TOOL-SEC-001\""));
    assert!(html.contains("id=\"req-LTI13-TOOL-SEC-001\""));
    assert!(!section.contains("Nothing needs attention"));
}

#[test]
fn html_says_so_when_nothing_needs_attention() {
    let mut rec = record();
    rec.results
        .retain(|r| !matches!(r.verdict, Verdict::Fail | Verdict::Error | Verdict::Warn));
    let html = render_html(&rec, &ctx()).unwrap();
    assert!(html.contains("Nothing needs attention"));
}

#[test]
fn markdown_gives_the_vendor_fix_under_each_failure() {
    let md = render_markdown(&record(), &ctx()).unwrap();
    assert!(md.contains(
        "  - For the vendor: Vendor fix of LTI13-TOOL-SEC-001 \\(Security Framework §5.1.3\\)."
    ));
    assert!(
        md.find("- **`LTI13-TOOL-SEC-001`").unwrap()
            < md.find("For the vendor: Vendor fix of LTI13-TOOL-SEC-001")
                .unwrap()
    );
}
