//! Secrets never reach an output; student data stays out of reports (DESIGN §7).
//!
//! Runs the reference lti13-tool with a config whose every usable credential slot holds a canary
//! and whose launches carry fake student records, then searches every file written to the report
//! folder for each canary: raw, base64 (standard and url-safe), URL-encoded, JSON-escaped, each
//! PEM body line, and inside every JWT-looking string after decoding it. The haystack is also read
//! with HTML entities and Markdown backslash escapes undone, since the reports escape text.
//!
//! Runs: masked evidence (no canary anywhere, personal values shown by shape — in the report
//! folder and inside the signed evidence bundle, signed by the config's `[signing] key`, itself a
//! canary); `--evidence full`
//! (personal values present in run.json — proving the scan sees them — secrets still absent); the
//! binary itself (its reports and terminal output); and a run through a canary proxy that is not
//! there (every result an error, the proxy URL and password in no report).

// Only `temp_dir` and `common` are used here.
#[allow(dead_code)]
mod support;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use plugfest::app;
use plugfest::cli::EvidenceMode;
use plugfest::output::ProgressMode;
use std::path::{Path, PathBuf};

const ENV_PLATFORM_KEY: &str = "PLUGFEST_CANARY_PLATFORM_KEY";
const ENV_TLS_KEY: &str = "PLUGFEST_CANARY_TLS_KEY";
const ENV_PROXY: &str = "PLUGFEST_CANARY_PROXY";
const ENV_SIGNING_KEY: &str = "PLUGFEST_CANARY_SIGNING_KEY";
/// The proxy canary: nothing listens on port 9, so a run through it only produces errors.
const PROXY_PASSWORD: &str = "Proxy-Canary-Pass-5521";

/// Fake student (and instructor) records planted in every launch: (role table, sub, given, family, email).
const PEOPLE: &[(&str, &str, &str, &str, &str)] = &[
    (
        "instructor",
        "canary-instructor-sub-7731",
        "Zebulonia",
        "Quartermaine-Canary",
        "zebulonia.canary@student.invalid",
    ),
    (
        "learner",
        "canary-learner-sub-4419",
        "Xanthippe",
        "Wolfenbarger-Canary",
        "xanthippe.wolfenbarger@student.invalid",
    ),
];

/// One way a value can be written: how it is called and the text searched for.
fn needles(value: &str, pem: bool) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |how: &str, v: &str| {
        let mut variants = vec![
            ("raw".to_string(), v.to_string()),
            (
                "JSON-escaped".to_string(),
                serde_json::to_string(v)
                    .expect("string")
                    .trim_matches('"')
                    .to_string(),
            ),
            ("base64".to_string(), STANDARD_NO_PAD.encode(v)),
            ("base64 (padded)".to_string(), STANDARD.encode(v)),
            ("base64url".to_string(), URL_SAFE_NO_PAD.encode(v)),
            ("base64url (padded)".to_string(), URL_SAFE.encode(v)),
            ("URL-encoded (%20)".to_string(), url_encode(v, false)),
            ("URL-encoded (+)".to_string(), url_encode(v, true)),
        ];
        // Encodings that coincide for this value are searched once, under all their names.
        for (enc, text) in variants.drain(..) {
            match out.iter_mut().find(|(_, t)| *t == text) {
                Some((name, _)) => name.push_str(&format!(" / {enc}")),
                None => out.push((format!("{how}{enc}"), text)),
            }
        }
    };
    add("", value);
    if pem {
        for line in pem_body_lines(value) {
            add(&format!("PEM body line `{line}` "), line);
        }
    }
    out
}

fn pem_body_lines(pem: &str) -> Vec<&str> {
    pem.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .collect()
}

/// Percent-encoding of everything but RFC 3986 unreserved characters; `+` for spaces if asked.
fn url_encode(value: &str, plus_for_space: bool) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' if plus_for_space => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Substrings matching `eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`.
fn jwt_like(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    let run = |mut i: usize| {
        while i < b.len() && b64(b[i]) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find("eyJ") {
        let start = from + pos;
        let end1 = run(start + 3);
        let mut next = start + 3;
        if end1 > start + 3 && end1 < b.len() && b[end1] == b'.' {
            let end2 = run(end1 + 1);
            if end2 > end1 + 1 && end2 < b.len() && b[end2] == b'.' {
                let end3 = run(end2 + 1);
                out.push(&text[start..end3]);
                next = end3;
            }
        }
        from = next;
    }
    out
}

/// Undo HTML character references (`&#x2F;`, `&#47;`, `&amp;`, …).
fn html_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&j| j <= 10).and_then(|j| {
            let name = &rest[1..j];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, j))
        });
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Undo Markdown backslash escapes of ASCII punctuation.
fn markdown_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Where `value` (a secret when `pem` or not, a personal value) occurs in `text`, in any of the
/// encodings, directly or inside a decoded JWT. Empty when it does not.
fn find_leaks(text: &str, value: &str, pem: bool) -> Vec<String> {
    let needles = needles(value, pem);
    let views = [
        ("", text.to_string()),
        ("HTML-unescaped ", html_unescape(text)),
        ("Markdown-unescaped ", markdown_unescape(text)),
        (
            "HTML- and Markdown-unescaped ",
            markdown_unescape(&html_unescape(text)),
        ),
    ];
    let mut found = Vec::new();
    // Each encoding is reported once, in the first view that shows it.
    for (how, needle) in &needles {
        let hit = views
            .iter()
            .find_map(|(view, hay)| hay.find(needle.as_str()).map(|at| (view, hay, at)));
        if let Some((view, hay, at)) = hit {
            found.push(format!("{view}{how} at {at}: …{}…", excerpt(hay, at)));
        }
    }
    let mut jwts: Vec<&str> = views.iter().flat_map(|(_, hay)| jwt_like(hay)).collect();
    jwts.sort_unstable();
    jwts.dedup();
    for jwt in jwts {
        for (i, segment) in jwt.split('.').take(2).enumerate() {
            let Ok(bytes) = URL_SAFE_NO_PAD.decode(segment) else {
                continue;
            };
            let decoded = String::from_utf8_lossy(&bytes);
            for (how, needle) in &needles {
                if decoded.contains(needle.as_str()) {
                    let part = if i == 0 { "header" } else { "payload" };
                    found.push(format!(
                        "{how} inside the {part} of a JWT `{}…`",
                        &jwt[..jwt.len().min(40)]
                    ));
                }
            }
        }
    }
    found
}

fn excerpt(hay: &str, at: usize) -> String {
    let mut start = at.saturating_sub(60);
    while !hay.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 100).min(hay.len());
    while !hay.is_char_boundary(end) {
        end += 1;
    }
    hay[start..end].replace('\n', "⏎")
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read report dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Search every file under `dir` for every canary; returns one line per leak.
fn scan(dir: &Path, canaries: &[(String, String, bool)]) -> Vec<String> {
    let mut leaks = Vec::new();
    let files = files(dir);
    for report in ["report.html", "summary.md", "junit.xml", "run.json"] {
        assert!(
            files.iter().any(|f| f.file_name() == Some(report.as_ref())),
            "{report} in {}: {files:?}",
            dir.display()
        );
    }
    for file in files {
        let text =
            String::from_utf8_lossy(&std::fs::read(&file).expect("read output")).into_owned();
        for (label, value, pem) in canaries {
            for hit in find_leaks(&text, value, *pem) {
                leaks.push(format!("{}: {label}: {hit}", file.display()));
            }
        }
    }
    leaks
}

/// No canary in any report under `out` nor in any entry of the evidence bundle `zip`.
fn assert_no_leak(out: &Path, zip: &Path, canaries: &[(String, String, bool)]) {
    let leaks = scan(out, canaries);
    assert!(
        leaks.is_empty(),
        "canaries leaked into the reports:\n{}",
        listing(&leaks)
    );
    let leaks = scan_bundle(zip, canaries);
    assert!(
        leaks.is_empty(),
        "canaries leaked into the evidence bundle:\n{}",
        listing(&leaks)
    );
}

/// Search every entry of the evidence bundle (decompressed) for every canary.
fn scan_bundle(zip: &Path, canaries: &[(String, String, bool)]) -> Vec<String> {
    let entries =
        plugfest_report::bundle::read_entries(zip, plugfest_report::bundle::Limits::default())
            .expect("the bundle reads back");
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"run.json") && names.contains(&"report.html") && names.len() >= 5,
        "the bundle holds the reports and its manifest: {names:?}"
    );
    let mut leaks = Vec::new();
    for (name, bytes) in &entries {
        let text = String::from_utf8_lossy(bytes);
        for (label, value, pem) in canaries {
            for hit in find_leaks(&text, value, *pem) {
                leaks.push(format!("{}!/{name}: {label}: {hit}", zip.display()));
            }
        }
    }
    leaks
}

/// At most 40 leak lines, and how many more there are.
fn listing(leaks: &[String]) -> String {
    let mut out = leaks
        .iter()
        .take(40)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    if leaks.len() > 40 {
        out.push_str(&format!("\n… and {} more", leaks.len() - 40));
    }
    out
}

fn personal_values() -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for (role, _sub, given, family, email) in PEOPLE {
        out.push((format!("{role} given_name"), given.to_string(), false));
        out.push((format!("{role} family_name"), family.to_string(), false));
        out.push((format!("{role} email"), email.to_string(), false));
        out.push((format!("{role} name"), format!("{given} {family}"), false));
    }
    out
}

/// The lab's config with every usable credential slot pointed at a canary and the fake people added.
fn canary_config(lab_text: &str) -> String {
    let mut text = lab_text.to_string();
    for (from, to) in [
        (
            "key = { file = \"server-key.pem\" }",
            format!("key = {{ env = \"{ENV_TLS_KEY}\" }}"),
        ),
        (
            "platform_key = \"platform-key.pem\"",
            format!("platform_key = {{ env = \"{ENV_PLATFORM_KEY}\" }}"),
        ),
    ] {
        assert!(
            text.contains(from),
            "the lab config changed shape; update this test: no `{from}` in\n{text}"
        );
        text = text.replace(from, &to);
    }
    text.push_str(&format!(
        "\n[signing]\nkey = {{ env = \"{ENV_SIGNING_KEY}\" }}\n"
    ));
    // `[client] proxy` is a secret slot too, but a canary there would send every request to a
    // proxy that does not exist and break the run, so it is not planted here; a separate run
    // below plants it and scans the error-only reports (see `with_proxy_canary`).
    for (role, sub, given, family, email) in PEOPLE {
        text.push_str(&format!(
            "\n[roles.lti13-tool.{role}]\nsub = \"{sub}\"\ngiven_name = \"{given}\"\n\
             family_name = \"{family}\"\nemail = \"{email}\"\n"
        ));
    }
    text
}

/// Wait (up to 10 s) until the config's `[server] bind` address can be bound again.
async fn wait_until_free(config_text: &str) {
    let bind = config_text
        .lines()
        .find_map(|l| l.strip_prefix("bind = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("[server] bind in the lab config");
    for _ in 0..200 {
        if std::net::TcpListener::bind(bind).is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{bind} still in use 10 s after the first run finished");
}

fn verdict(record: &plugfest_core::RunRecord, id: &str) -> String {
    record
        .result(id)
        .map(|r| format!("{} ({})", r.verdict, r.message))
        .unwrap_or_else(|| "missing".into())
}

#[tokio::test(flavor = "current_thread")]
async fn canaries_never_reach_an_output() {
    // Environment variables are process-global: set them once, here, before the run reads them.
    // This is the only test in this binary that touches the environment, and on a current-thread
    // runtime no other thread of ours reads it meanwhile.
    let platform_key = plugfest_lti::keys::SigningKey::generate().expect("generate a key");
    let platform_pem = platform_key.private_pem().to_string();
    // SAFETY: see above; the names are unique to this test.
    unsafe { std::env::set_var(ENV_PLATFORM_KEY, &platform_pem) };

    let (signing_key, signing_pem) =
        plugfest_report::signing::SigningKey::generate().expect("generate a signing key");
    // SAFETY: as above.
    unsafe { std::env::set_var(ENV_SIGNING_KEY, &signing_pem) };

    let proxy = format!("http://canary-proxy-user:{PROXY_PASSWORD}@127.0.0.1:9");
    // SAFETY: as above.
    unsafe { std::env::set_var(ENV_PROXY, &proxy) };

    let dir = support::temp_dir("secrets");
    let lab_dir = dir.join("lab");
    let lab = plugfest::lab::start(&lab_dir, &["lti13-tool".to_string()], &[])
        .await
        .expect("reference lab starts");
    let tls_pem = std::fs::read_to_string(lab_dir.join("server-key.pem")).expect("lab TLS key");
    // SAFETY: as above.
    unsafe { std::env::set_var(ENV_TLS_KEY, &tls_pem) };
    let config = lab_dir.join("canary.toml");
    std::fs::write(&config, canary_config(&lab.config_text)).expect("write canary config");

    let secrets = vec![
        (
            format!("platform key (${ENV_PLATFORM_KEY})"),
            platform_pem.clone(),
            true,
        ),
        (format!("server TLS key (${ENV_TLS_KEY})"), tls_pem, true),
        (
            format!("bundle signing key (${ENV_SIGNING_KEY})"),
            signing_pem.clone(),
            true,
        ),
    ];
    let personal = personal_values();

    // Masked evidence (the default): neither secrets nor personal values anywhere.
    let masked_out = dir.join("out-masked");
    let mut common = support::common(masked_out.clone(), &["lti13-tool"]);
    let bundle_path = dir.join("evidence.zip");
    common.bundle = Some(bundle_path.clone());
    let done = app::run_and_report(&config, &common, ProgressMode::Silent, None)
        .await
        .expect("run starts");
    plugfest::cmd_bundle::write_if_asked(&common, &done).expect("bundle written");
    assert_eq!(done.reports.len(), 4, "four reports: {:?}", done.reports);
    for id in ["LTI13-TOOL-LAUNCH-001", "LTI13-TOOL-LAUNCH-002"] {
        assert!(
            verdict(&done.record, id).starts_with("pass"),
            "{id} must pass, proving launches signed with the canary key and carrying the canary \
             people were made: {}",
            verdict(&done.record, id)
        );
    }
    assert!(
        !lab_dir.join("platform-key.pem").exists(),
        "the platform key came from the environment, not from a generated file"
    );
    let run_json = std::fs::read_to_string(masked_out.join("run.json")).expect("run.json");
    for (_, _, given, family, email) in PEOPLE {
        for v in [*given, *family, *email] {
            let shape = plugfest_core::redact::shape(v);
            assert!(
                run_json.contains(&shape),
                "the masked run shows `{v}` by its shape `{shape}` (proves the canary person was sent)"
            );
        }
    }
    let all: Vec<_> = secrets.iter().chain(&personal).cloned().collect();
    assert_no_leak(&masked_out, &bundle_path, &all);
    let verification = plugfest_report::bundle::verify(
        &bundle_path,
        Some(&signing_key.public_key()),
        plugfest_report::bundle::Limits::default(),
    )
    .expect("the bundle reads back");
    assert!(
        verification.is_valid(),
        "the bundle is signed with the config's [signing] key: {verification:?}"
    );

    // Full evidence: personal values are kept (so the scan can see them), secrets still are not.
    // The same config binds the same callback port again; the first run's server shuts down
    // asynchronously after `run` returns, so wait for the port to be free.
    wait_until_free(&lab.config_text).await;
    let full_out = dir.join("out-full");
    let mut common = support::common(full_out.clone(), &["lti13-tool"]);
    common.evidence = EvidenceMode::Full;
    app::run_and_report(&config, &common, ProgressMode::Silent, None)
        .await
        .expect("run starts");
    let run_json = std::fs::read_to_string(full_out.join("run.json")).expect("run.json");
    for (label, value, pem) in &personal {
        assert!(
            !find_leaks(&run_json, value, *pem).is_empty(),
            "--evidence full keeps {label} `{value}` in run.json, and the scan finds it"
        );
    }
    let leaks = scan(&full_out, &secrets);
    assert!(
        leaks.is_empty(),
        "secrets leaked into the --evidence full reports:\n{}",
        listing(&leaks)
    );

    // The binary on the same config: its terminal output (summary, progress, notes) is an
    // output too. It talks to the reference served by this runtime, so wait off-thread.
    wait_until_free(&lab.config_text).await;
    let cli_out = dir.join("out-cli");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plugfest"));
    cmd.arg("run")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&cli_out)
        .arg("--quiet")
        .env(ENV_PLATFORM_KEY, &platform_pem)
        .env(ENV_TLS_KEY, &secrets[1].1)
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .env("PLUGFEST_DATA_DIR", cli_out.join("history"));
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        support::run_with_timeout(cmd, std::time::Duration::from_secs(120))
    })
    .await
    .expect("waiting for the binary");
    let terminal = format!("{stdout}\n{stderr}");
    assert_eq!(
        code,
        Some(0),
        "plugfest run on the canary config:\n{terminal}"
    );
    let mut leaks = scan(&cli_out, &all);
    for (label, value, pem) in &all {
        for hit in find_leaks(&terminal, value, *pem) {
            leaks.push(format!("terminal output: {label}: {hit}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "canaries leaked from `plugfest run`:\n{}",
        listing(&leaks)
    );

    // The proxy slot: every request goes to a proxy that is not there, so every result is an
    // error whose message is about the connection — the path most likely to print a proxy URL.
    wait_until_free(&lab.config_text).await;
    let proxy_config = lab_dir.join("canary-proxy.toml");
    std::fs::write(
        &proxy_config,
        with_proxy_canary(&canary_config(&lab.config_text)),
    )
    .expect("write proxy canary config");
    let proxy_out = dir.join("out-proxy");
    let done = app::run_and_report(
        &proxy_config,
        &support::common(proxy_out.clone(), &["lti13-tool"]),
        ProgressMode::Silent,
        None,
    )
    .await
    .expect("run starts");
    assert!(
        done.record
            .results
            .iter()
            .all(|r| r.verdict == plugfest_core::Verdict::Error),
        "through a proxy that is not there every result is an error"
    );
    let mut with_proxy = all.clone();
    with_proxy.push((format!("proxy URL (${ENV_PROXY})"), proxy.clone(), false));
    with_proxy.push(("proxy password".into(), PROXY_PASSWORD.into(), false));
    let leaks = scan(&proxy_out, &with_proxy);
    assert!(
        leaks.is_empty(),
        "canaries leaked into the reports of the proxy run:\n{}",
        listing(&leaks)
    );

    drop(lab);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `config` with `[client] proxy` read from the proxy canary variable.
fn with_proxy_canary(config: &str) -> String {
    assert!(config.contains("[client]\n"), "the lab config has [client]");
    config.replacen(
        "[client]\n",
        &format!("[client]\nproxy = {{ env = \"{ENV_PROXY}\" }}\n"),
        1,
    )
}

#[test]
fn the_scan_finds_a_planted_canary_in_every_encoding() {
    let value = "Zebulonia \"Zeb\" Quartermaine-Canary <z/q+c@student.invalid>";
    let clean = "nothing to see: Zebulonia? no. eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.";
    assert!(find_leaks(clean, value, false).is_empty());

    let encodings = needles(value, false);
    for expected in [
        "raw",
        "JSON-escaped",
        "base64",
        "base64 (padded)",
        "base64url",
        "base64url (padded)",
        "URL-encoded (%20)",
        "URL-encoded (+)",
    ] {
        assert!(
            encodings
                .iter()
                .any(|(how, _)| how.split(" / ").any(|h| h == expected)),
            "{expected} is searched"
        );
    }
    for (how, text) in &encodings {
        let hay = format!("{{\"evidence\": \"prefix {text} suffix\"}}");
        assert!(
            !find_leaks(&hay, value, false).is_empty(),
            "planted {how} `{text}` is found"
        );
    }
    // As the reports escape it: HTML entities and Markdown backslashes.
    let html = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('/', "&#x2F;");
    assert!(!find_leaks(&format!("<td>{html}</td>"), value, false).is_empty());
    let md: String = value
        .chars()
        .flat_map(|c| {
            let esc = matches!(c, '<' | '>' | '@' | '-' | '.' | '/' | '"');
            esc.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect();
    assert!(!find_leaks(&format!("| {md} |"), value, false).is_empty());

    // Inside a JWT: header and payload.
    let claims = serde_json::json!({ "given_name": value, "sub": "1" }).to_string();
    let jwt = format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
        URL_SAFE_NO_PAD.encode(&claims)
    );
    assert!(jwt.starts_with("eyJ"));
    let hits = find_leaks(&format!("id_token={jwt}&state=1"), value, false);
    assert!(
        hits.iter().any(|h| h.contains("payload of a JWT")),
        "{hits:?}"
    );
    let header = serde_json::json!({ "alg": "none", "kid": value }).to_string();
    let jwt = format!("{}.e30.", URL_SAFE_NO_PAD.encode(&header));
    let hits = find_leaks(&format!("\"{jwt}\""), value, false);
    assert!(
        hits.iter().any(|h| h.contains("header of a JWT")),
        "{hits:?}"
    );

    // A PEM: each body line on its own, and the whole key JSON-escaped.
    let pem = plugfest_lti::keys::SigningKey::generate()
        .expect("key")
        .private_pem()
        .to_string();
    let lines = pem_body_lines(&pem);
    assert!(lines.len() > 10, "an RSA PEM has many body lines");
    for line in lines {
        let hay = format!("<pre>…{line}…</pre>");
        assert!(!find_leaks(&hay, &pem, true).is_empty(), "PEM line {line}");
        assert!(
            find_leaks(&hay, &pem, false).is_empty(),
            "lines are searched only for PEMs"
        );
    }
    let json = serde_json::to_string(&serde_json::json!({ "key": pem })).expect("json");
    assert!(!find_leaks(&json, &pem, true).is_empty());

    // The JWT matcher follows the pattern `eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`.
    assert_eq!(jwt_like("a eyJa.b.c d"), vec!["eyJa.b.c"]);
    assert_eq!(jwt_like("x=eyJa.b.&y"), vec!["eyJa.b."]);
    assert!(jwt_like("eyJ.b.c eyJa..c eyJa.b").is_empty());
}

/// LTI 1.1 and the package endpoints: the shared secrets and bearer tokens of those roles (the lab
/// writes them beside its config, and the config names the files) and the fake people of the
/// launches never reach a report, in masked evidence — although every launch and POX request is
/// signed with those secrets and every export and import request carries a token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lti11_and_package_secrets_never_reach_an_output() {
    let dir = support::temp_dir("secrets-lti11");
    let lab_dir = dir.join("lab");
    let suites = [
        "lti11-tool",
        "lti11-consumer",
        "packages-exporter",
        "packages-importer",
    ];
    let lab = plugfest::lab::start(&lab_dir, &suites.map(String::from), &[])
        .await
        .expect("reference lab starts");
    let out = dir.join("out");
    let done = app::run_and_report(
        &lab.config_path,
        &support::common(out.clone(), &suites),
        ProgressMode::Silent,
        None,
    )
    .await
    .expect("run starts");
    for id in [
        "LTI11-TP-VALID-001",
        "LTI11-TC-006",
        "POX-SVC-001",
        "PKG-EXPORT-QTI-001",
        "PKG-IMPORT-001",
    ] {
        assert!(
            verdict(&done.record, id).starts_with("pass"),
            "{id} passes, so the secrets were used: {}",
            verdict(&done.record, id)
        );
    }
    let mut canaries = Vec::new();
    for file in [
        "lti11-tool-secret.txt",
        "lti11-consumer-secret.txt",
        "exporter-token.txt",
        "importer-token.txt",
    ] {
        let secret = std::fs::read_to_string(lab_dir.join(file)).expect("the lab wrote the secret");
        canaries.push((format!("shared secret ({file})"), secret, false));
    }
    use plugfest_lti::lti13::role::Person;
    for p in [Person::default_instructor(), Person::default_learner()] {
        for v in [p.family_name, p.email] {
            canaries.push((format!("fake person `{v}`"), v, false));
        }
    }
    let leaks = scan(&out, &canaries);
    assert!(
        leaks.is_empty(),
        "LTI 1.1 secrets leaked into the reports:\n{}",
        listing(&leaks)
    );
    drop(lab);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `lti13-platform` credential slots: Plugfest's tool key (a file the run loads, planted
/// here before the run) and the launch trigger's header (a file holding the bearer token the
/// reference platform checks). Both are canaries: neither may reach a report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lti13_platform_canaries_never_reach_an_output() {
    let dir = support::temp_dir("secrets-lti13-platform");
    let lab_dir = dir.join("lab");
    let tool_key = plugfest_lti::keys::SigningKey::generate().expect("generate a key");
    std::fs::create_dir_all(&lab_dir).expect("lab folder");
    std::fs::write(lab_dir.join("tool-key.pem"), tool_key.private_pem()).expect("plant tool key");
    let lab = plugfest::lab::start(&lab_dir, &["lti13-platform".to_string()], &[])
        .await
        .expect("reference lab starts");
    assert!(
        lab.config_text.contains("tool_key = \"tool-key.pem\"")
            && lab
                .config_text
                .contains("value = { file = \"trigger-token.txt\" }"),
        "the lab config changed shape; update this test:\n{}",
        lab.config_text
    );
    let header = std::fs::read_to_string(lab_dir.join("trigger-token.txt")).expect("trigger token");
    let token = header.trim().trim_start_matches("Bearer ").to_string();
    let config = lab_dir.join("canary.toml");
    std::fs::write(&config, &lab.config_text).expect("write config");
    let secrets = vec![
        (
            "tool key (tool-key.pem)".to_string(),
            tool_key.private_pem().to_string(),
            true,
        ),
        ("launch trigger token".to_string(), token, false),
    ];
    let out = dir.join("out");
    let mut common = support::common(out.clone(), &["lti13-platform"]);
    let bundle_path = dir.join("evidence.zip");
    common.bundle = Some(bundle_path.clone());
    let done = app::run_and_report(&config, &common, ProgressMode::Silent, None)
        .await
        .expect("run starts");
    plugfest::cmd_bundle::write_if_asked(&common, &done).expect("bundle written");
    for id in ["LTI13-PLAT-OAUTH-001", "LTI13-PLAT-OIDC-002"] {
        assert!(
            verdict(&done.record, id).starts_with("pass"),
            "{id} must pass, proving the trigger header and the planted tool key were used: {}",
            verdict(&done.record, id)
        );
    }
    assert_no_leak(&out, &bundle_path, &secrets);
}

/// Student records as the reference OneRoster 1.2 provider serves them, read directly (not
/// through the run under test): emails and the longer family names, to plant as canaries.
async fn served_students(config_path: &Path) -> Vec<(String, String, bool)> {
    let config = plugfest_core::Config::load(config_path).expect("lab config loads");
    let ca = config
        .client
        .ca_bundle
        .as_ref()
        .map(|p| std::fs::read_to_string(config.resolve_path(p)).expect("lab CA"));
    let settings = plugfest_http::client::ClientSettings {
        timeout: std::time::Duration::from_secs(10),
        connect_timeout: std::time::Duration::from_secs(5),
        max_body_bytes: 4 << 20,
        ca_pem: ca,
        proxy: None,
    };
    let role: plugfest_roster::role::Provider12Role =
        config.role("oneroster12-provider").expect("1.2 table");
    let secret = role
        .client_secret
        .resolve(&config, "client_secret")
        .expect("secret");
    let http = plugfest_http::RecordingClient::new(
        &settings,
        std::sync::Arc::new(plugfest_core::Redactor::new(true)),
    )
    .expect("client");
    let client = plugfest_roster::RosterClient::new(
        http,
        plugfest_roster::Settings {
            root: role.base_url.clone(),
            version: plugfest_roster::Version::V1p2,
            credentials: plugfest_roster::Credentials::OAuth2 {
                token_url: role.token_url.clone(),
                client_id: role.client_id.clone(),
                client_secret: secret.expose().to_string(),
            },
            max_requests_per_second: 50.0,
            max_concurrency: 2,
            keep_personal: true,
        },
    );
    let call = plugfest_roster::Call::get(
        "students to plant",
        plugfest_roster::Service::Rostering,
        "students",
    )
    .q("limit", "25");
    let answer = client.send(&call).await.expect("the provider answers");
    let mut out = Vec::new();
    for u in answer.json.as_ref().expect("JSON")["users"]
        .as_array()
        .expect("users")
    {
        for key in ["email", "familyName"] {
            if let Some(v) = u.get(key).and_then(|v| v.as_str())
                && v.len() >= 6
                && !out.iter().any(|(_, x, _): &(String, String, bool)| x == v)
            {
                out.push((format!("served student {key} `{v}`"), v.to_string(), false));
            }
        }
    }
    assert!(
        out.len() >= 5,
        "the reference serves students with emails and names"
    );
    out
}

/// The OneRoster suites: the OAuth 2 client secret and the OAuth 1.0a consumer secret never reach
/// an output, and the students the provider serves (names, emails) appear in evidence only by shape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oneroster_secrets_and_students_never_reach_an_output() {
    let dir = support::temp_dir("secrets-oneroster");
    let lab_dir = dir.join("lab");
    let suites = ["oneroster12-provider", "oneroster11-provider"];
    let lab = plugfest::lab::start(&lab_dir, &suites.map(String::from), &[])
        .await
        .expect("reference lab starts");
    let mut canaries = served_students(&lab.config_path).await;
    let out = dir.join("out");
    let done = app::run_and_report(
        &lab.config_path,
        &support::common(out.clone(), &suites),
        ProgressMode::Silent,
        None,
    )
    .await
    .expect("run starts");
    for id in [
        "OR12-SP-AUTH-001",
        "OR12-SP-OBJ-005",
        "OR12-SP-FILT-002",
        "OR11-SP-AUTH-001",
        "OR11-SP-OBJ-005",
    ] {
        assert!(
            verdict(&done.record, id).starts_with("pass"),
            "{id} passes, so the secrets were used and the students read: {}",
            verdict(&done.record, id)
        );
    }
    for file in ["oneroster12-secret.txt", "oneroster11-secret.txt"] {
        let secret = std::fs::read_to_string(lab_dir.join(file)).expect("the lab wrote the secret");
        canaries.push((format!("shared secret ({file})"), secret, false));
    }
    let leaks = scan(&out, &canaries);
    assert!(
        leaks.is_empty(),
        "OneRoster secrets or student data leaked into the reports:\n{}",
        listing(&leaks)
    );
    drop(lab);
    let _ = std::fs::remove_dir_all(&dir);
}
