//! Evidence that holds up (issue 8): `plugfest demo --bundle`, `plugfest verify` on the bundle and
//! on every kind of tampering, hostile zips, and `plugfest attest`.
//!
//! Everything goes through the built binary with `PLUGFEST_DATA_DIR`, `HOME` and `XDG_DATA_HOME`
//! pointed into a temp folder, so the real user data directory is never touched. One demo run is
//! shared by the tests (made on first use); each tampering is a rewrite of its zip.

#[allow(dead_code)]
mod support;

use plugfest_report::bundle::{self, Limits, MANIFEST, SIGNATURE};
use plugfest_report::signing::SigningKey;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use support::temp_dir;

const TIMEOUT: Duration = Duration::from_secs(120);

/// A finished command.
struct Ran {
    code: Option<i32>,
    out: String,
    what: String,
}

impl Ran {
    fn expect_code(&self, want: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(want),
            "{}: exit {:?}, want {want}\n{}",
            self.what,
            self.code,
            self.out
        );
        self
    }
    fn expect_says(&self, text: &str) -> &Self {
        assert!(
            self.out.contains(text),
            "{}: output does not say `{text}`:\n{}",
            self.what,
            self.out
        );
        self
    }
}

/// Run the binary in `cwd` with the user data folder at `data` (killed after two minutes);
/// stdout and stderr together.
fn plugfest(cwd: &Path, data: &Path, args: &[&str]) -> Ran {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plugfest"));
    cmd.args(args)
        .current_dir(cwd)
        .env("PLUGFEST_DATA_DIR", data)
        .env("HOME", data.join("home"))
        .env("XDG_DATA_HOME", data.join("xdg"))
        .env("NO_COLOR", "1")
        .env_remove("CI");
    let (code, stdout, stderr) = support::run_with_timeout(cmd, TIMEOUT);
    Ran {
        code,
        out: format!("{stdout}\n{stderr}"),
        what: format!("plugfest {}", args.join(" ")),
    }
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// One demo run with `--bundle`, shared by the tests.
struct Demo {
    dir: PathBuf,
    data: PathBuf,
    out: PathBuf,
    zip: PathBuf,
    /// The public key the run printed (base64).
    key: String,
    fingerprint: String,
    /// The demo's terminal output.
    output: String,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = temp_dir("demo");
        let data = dir.join("data");
        let out = dir.join("out");
        let zip = dir.join("evidence.zip");
        let ran = plugfest(
            &dir,
            &data,
            &[
                "demo",
                "--suite",
                "lti13-tool",
                "--out",
                arg(&out),
                "--bundle",
                arg(&zip),
                "--quiet",
            ],
        );
        ran.expect_code(0)
            .expect_says("Generated a signing key")
            .expect_says("Evidence bundle:");
        let key = ran
            .out
            .lines()
            .find_map(|l| l.trim().strip_prefix("check it with: plugfest verify "))
            .and_then(|l| l.split(" --key ").nth(1))
            .unwrap_or_else(|| panic!("no verify line in:\n{}", ran.out))
            .trim()
            .to_string();
        let fingerprint = plugfest_report::signing::PublicKey::from_base64(&key)
            .expect("printed key parses")
            .fingerprint();
        assert!(
            ran.out.contains(&format!("fingerprint {fingerprint}")),
            "the generated key's fingerprint is printed:\n{}",
            ran.out
        );
        Demo {
            dir,
            data,
            out,
            zip,
            key,
            fingerprint,
            output: ran.out,
        }
    })
}

/// The demo bundle's entries.
fn entries() -> Vec<(String, Vec<u8>)> {
    bundle::read_entries(&demo().zip, Limits::default()).expect("read the demo bundle")
}

/// Write `entries` as a zip in a fresh folder; verify it with the demo's key.
fn verify_rewritten(name: &str, entries: &[(String, Vec<u8>)]) -> Ran {
    let zip = bundle::zip_entries(entries.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
        .expect("rewrite zip");
    let dir = temp_dir(name);
    let path = dir.join(format!("{name}.zip"));
    std::fs::write(&path, zip).expect("write zip");
    let d = demo();
    plugfest(&dir, &d.data, &["verify", arg(&path), "--key", &d.key])
}

fn entry<'a>(entries: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut entries
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} in the bundle"))
        .1
}

#[test]
fn the_demo_bundle_holds_the_reports_and_verifies_with_its_key() {
    let d = demo();
    let entries = entries();
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        "run.json",
        "report.html",
        "summary.md",
        "junit.xml",
        MANIFEST,
        SIGNATURE,
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert_eq!(names.len(), 6, "{names:?}");
    // The bundled reports are byte for byte the ones written (which tests/secrets.rs scans).
    for (name, bytes) in &entries {
        if name != MANIFEST && name != SIGNATURE {
            let written = std::fs::read(d.out.join(name)).expect("report on disk");
            assert!(
                written == *bytes,
                "{name} in the bundle differs from the report"
            );
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&entries.iter().find(|(n, _)| n == MANIFEST).expect("m").1)
            .expect("manifest JSON");
    assert_eq!(manifest["signer"]["public_key"], d.key.as_str());
    assert_eq!(manifest["signer"]["fingerprint"], d.fingerprint.as_str());
    assert_eq!(manifest["product"]["name"], "Plugfest reference vendor");
    assert_eq!(manifest["files"].as_array().map(Vec::len), Some(4));

    // The key was saved in the data folder given, private, and never written into the bundle
    // or printed — in any encoding.
    let key_file = d.data.join("signing-key.pk8");
    let pem = std::fs::read_to_string(&key_file).expect("key saved in PLUGFEST_DATA_DIR");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(!d.data.join("home").exists() && !d.data.join("xdg").exists());
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let raw_zip = std::fs::read(&d.zip).expect("zip");
    let hay = entries
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .chain([
            d.output.clone(),
            String::from_utf8_lossy(&raw_zip).into_owned(),
        ])
        .collect::<Vec<_>>()
        .join("\n");
    // PKCS#8 v2 for Ed25519: a 16-byte header, the 32-byte private seed, then the public key
    // (which the manifest rightly carries). The seed must appear nowhere.
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let der = STANDARD.decode(&body).expect("PEM body");
    assert_eq!(der.len(), 83, "PKCS#8 v2 Ed25519 document");
    let seed = &der[16..48];
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    for needle in [
        body.clone(),
        body[..60].to_string(),
        hex,
        STANDARD_NO_PAD.encode(seed),
        URL_SAFE_NO_PAD.encode(seed),
    ] {
        assert!(!hay.contains(&needle), "the private key leaked: `{needle}`");
    }
    let all_bytes: Vec<u8> = entries.iter().flat_map(|(_, b)| b.clone()).collect();
    assert!(
        !all_bytes.windows(32).any(|w| w == seed),
        "the raw private seed is in the bundle"
    );

    // Verify: with the key → 0; no key → not verified (2) with the fingerprint; accepted → 0.
    plugfest(&d.dir, &d.data, &["verify", arg(&d.zip), "--key", &d.key])
        .expect_code(0)
        .expect_says("VALID")
        .expect_says(&d.fingerprint);
    plugfest(&d.dir, &d.data, &["verify", arg(&d.zip)])
        .expect_code(2)
        .expect_says("NOT VERIFIED")
        .expect_says(&d.fingerprint);
    plugfest(
        &d.dir,
        &d.data,
        &["verify", arg(&d.zip), "--accept-embedded-key"],
    )
    .expect_code(0)
    .expect_says("integrity only");
    let key_file = d.dir.join("publisher.pub");
    std::fs::write(&key_file, format!("{}\n", d.key)).expect("write pub");
    plugfest(
        &d.dir,
        &d.data,
        &["verify", arg(&d.zip), "--key", arg(&key_file)],
    )
    .expect_code(0);
}

#[test]
fn a_second_bundle_reuses_the_saved_key_and_signing_key_overrides_it() {
    let d = demo();
    let dir = temp_dir("second");
    let zip = dir.join("again.zip");
    let ran = plugfest(
        &dir,
        &d.data,
        &[
            "demo",
            "--suite",
            "lti13-tool",
            "--out",
            arg(&dir.join("out")),
            "--bundle",
            arg(&zip),
            "--quiet",
        ],
    );
    ran.expect_code(0).expect_says(&d.key);
    assert!(!ran.out.contains("Generated a signing key"), "{}", ran.out);

    // An explicit key (PKCS#8 PEM) signs instead.
    let (own, pem) = SigningKey::generate().expect("key");
    let pem_path = dir.join("district.pem");
    std::fs::write(&pem_path, pem).expect("write pem");
    let zip2 = dir.join("own.zip");
    plugfest(
        &dir,
        &d.data,
        &[
            "demo",
            "--suite",
            "lti13-tool",
            "--out",
            arg(&dir.join("out2")),
            "--bundle",
            arg(&zip2),
            "--signing-key",
            arg(&pem_path),
            "--quiet",
        ],
    )
    .expect_code(0)
    .expect_says(&own.public_key().fingerprint());
    let own_key = own.public_key().to_base64();
    plugfest(&dir, &d.data, &["verify", arg(&zip2), "--key", &own_key]).expect_code(0);
    plugfest(&dir, &d.data, &["verify", arg(&zip2), "--key", &d.key])
        .expect_code(1)
        .expect_says(&format!(
            "signed by {}, expected {}",
            own.public_key().fingerprint(),
            d.fingerprint
        ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_byte_names_the_file() {
    let mut e = entries();
    let html = entry(&mut e, "report.html");
    let at = html.len() / 2;
    html[at] ^= 0x01;
    verify_rewritten("changed", &e)
        .expect_code(1)
        .expect_says("INVALID")
        .expect_says("report.html was changed");
}

#[test]
fn a_removed_file_is_named() {
    let e: Vec<_> = entries()
        .into_iter()
        .filter(|(n, _)| n != "junit.xml")
        .collect();
    verify_rewritten("removed", &e)
        .expect_code(1)
        .expect_says("junit.xml was removed");
}

#[test]
fn an_added_file_is_named() {
    let mut e = entries();
    e.push(("extra.txt".into(), b"not part of the run".to_vec()));
    verify_rewritten("added", &e)
        .expect_code(1)
        .expect_says("extra.txt was added");
}

#[test]
fn a_manifest_edited_after_signing_is_caught() {
    let mut e = entries();
    let m = entry(&mut e, MANIFEST);
    let text = String::from_utf8(m.clone()).expect("utf8");
    let edited = text.replace("Plugfest reference vendor", "Plugfest reference vendoR");
    assert_ne!(text, edited);
    *m = edited.into_bytes();
    let d = demo();
    verify_rewritten("manifest", &e)
        .expect_code(1)
        .expect_says("manifest.json was changed after signing")
        .expect_says(&d.fingerprint);
}

#[test]
fn a_bundle_resigned_with_another_key_is_caught_with_key_and_shows_its_signer_without() {
    let d = demo();
    let mut e = entries();
    // The forger edits the report, rebuilds the manifest and signs it with their own key.
    let record: plugfest_core::RunRecord =
        serde_json::from_slice(entry(&mut e, "run.json")).expect("run.json");
    let html = entry(&mut e, "report.html");
    *html = String::from_utf8_lossy(html)
        .replacen("Not conformant", "Conformant", 1)
        .replacen("<body", "<!-- edited --><body", 1)
        .into_bytes();
    let files: Vec<_> = e
        .into_iter()
        .filter(|(n, _)| n != MANIFEST && n != SIGNATURE)
        .collect();
    let (forger, _) = SigningKey::generate().expect("key");
    let zip = bundle::build(&record, &files, &forger, "2026-01-01T00:00:00Z").expect("forge");
    let dir = temp_dir("resigned");
    let path = dir.join("resigned.zip");
    std::fs::write(&path, zip).expect("write");
    let forger_fp = forger.public_key().fingerprint();
    plugfest(&dir, &d.data, &["verify", arg(&path), "--key", &d.key])
        .expect_code(1)
        .expect_says(&format!(
            "signed by {forger_fp}, expected {}",
            d.fingerprint
        ));
    plugfest(&dir, &d.data, &["verify", arg(&path)])
        .expect_code(2)
        .expect_says(&forger_fp);
}

#[test]
fn a_zip_slip_entry_is_refused_and_nothing_is_extracted() {
    let d = demo();
    let mut e = entries();
    e.push(("../evil".into(), b"owned".to_vec()));
    let dir = temp_dir("slip");
    let work = dir.join("work");
    std::fs::create_dir_all(&work).expect("dir");
    let zip = bundle::zip_entries(e.iter().map(|(n, b)| (n.as_str(), b.as_slice()))).expect("zip");
    let path = dir.join("slip.zip");
    std::fs::write(&path, zip).expect("write");
    plugfest(&work, &d.data, &["verify", arg(&path), "--key", &d.key])
        .expect_code(1)
        .expect_says("refused")
        .expect_says("../evil");
    assert!(!dir.join("evil").exists(), "../evil was written");
    assert_eq!(
        std::fs::read_dir(&work).expect("read").count(),
        0,
        "verify wrote into its working folder"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_oversized_entry_is_refused_before_it_is_inflated() {
    let d = demo();
    let big = vec![0u8; (Limits::default().max_entry_size + 1) as usize];
    let dir = temp_dir("big");
    let zip = bundle::zip_entries([("run.json", big.as_slice())]).expect("zip");
    assert!(zip.len() < 1 << 20, "zeros deflate to almost nothing");
    let path = dir.join("bomb.zip");
    std::fs::write(&path, zip).expect("write");
    let started = Instant::now();
    plugfest(&dir, &d.data, &["verify", arg(&path), "--key", &d.key])
        .expect_code(1)
        .expect_says("refused")
        .expect_says("more than the");
    assert!(started.elapsed() < Duration::from_secs(30));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn not_a_zip_is_unreadable_input() {
    let d = demo();
    let dir = temp_dir("junk");
    let path = dir.join("junk.zip");
    std::fs::write(&path, b"PK\x03\x04 this is not a zip").expect("write");
    plugfest(&dir, &d.data, &["verify", arg(&path), "--key", &d.key]).expect_code(2);
    plugfest(&dir, &d.data, &["verify", arg(&dir.join("missing.zip"))]).expect_code(2);
    plugfest(&dir, &d.data, &["verify", arg(&path), "--key", "not-a-key"])
        .expect_code(2)
        .expect_says("--key");
}

#[test]
fn an_attestation_is_signed_bound_to_run_and_evidence_and_checked() {
    let d = demo();
    let dir = temp_dir("attest");
    std::fs::copy(d.out.join("run.json"), dir.join("run.json")).expect("copy run.json");
    std::fs::copy(d.out.join("report.html"), dir.join("report.html")).expect("copy report.html");
    let run = dir.join("run.json");
    let run_bytes = std::fs::read(&run).expect("run.json");
    let shot = dir.join("shot.png");
    std::fs::write(&shot, b"\x89PNG fake screenshot").expect("write evidence");
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&run).expect("run")).expect("json");
    let id = record["results"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    // `plugfest attest` of `req` by `by` with the screenshot, `note` and maybe a `--verdict`.
    let attest_as = |req: &str, by: &str, note: &str, verdict: Option<&str>| {
        let mut args = vec![
            "attest",
            arg(&run),
            "--req",
            req,
            "--by",
            by,
            "--evidence",
            arg(&shot),
            "--note",
            note,
        ];
        args.extend(verdict.map(|v| ["--verdict", v]).into_iter().flatten());
        plugfest(&dir, &d.data, &args)
    };
    let attest =
        |note: &str, verdict: &str| attest_as(&id, "Dana Lee, district", note, Some(verdict));
    attest("Title shown on the launch page", "pass")
        .expect_code(0)
        .expect_says(&d.fingerprint);
    let file = dir.join(format!("run.attest-{id}.json"));
    let text = std::fs::read_to_string(&file).expect("attestation next to run.json");
    let a = plugfest_report::attest::verify(&text, None).expect("valid attestation");
    assert_eq!(a.requirement, id);
    assert_eq!(a.by, "Dana Lee, district");
    assert_eq!(
        a.evidence.sha256,
        plugfest_core::digest::sha256_hex(b"\x89PNG fake screenshot")
    );
    plugfest(&dir, &d.data, &["verify", arg(&file), "--key", &d.key])
        .expect_code(0)
        .expect_says("VALID");
    // The report next to run.json now shows the judgement as tier `attested`, with who, when
    // and what was supplied; run.json itself is untouched (the attestation is bound to its bytes).
    assert_eq!(std::fs::read(&run).expect("run.json"), run_bytes);
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    for want in [
        "attested (a person confirmed it)",
        "Attested by Dana Lee, district on ",
        "Title shown on the launch page",
        "shot.png",
        &a.evidence.sha256,
        &a.at,
    ] {
        assert!(html.contains(want), "report.html shows `{want}`");
    }
    // `report html` renders the same from the record; a `fail` judgement turns the verdict.
    attest("Title missing after all", "fail").expect_code(0);
    let again = dir.join("again.html");
    plugfest(
        &dir,
        &d.data,
        &["report", "html", arg(&run), "--out", arg(&again)],
    )
    .expect_code(0);
    let html = std::fs::read_to_string(&again).expect("again.html");
    assert!(
        html.contains("Title missing after all"),
        "the newer judgement is shown"
    );
    std::fs::write(&file, &text).expect("restore the first attestation");
    // Edited note → invalid; changed evidence → invalid.
    let edited = dir.join("edited.json");
    std::fs::write(&edited, text.replace("Title shown", "Title hidden")).expect("write");
    plugfest(&dir, &d.data, &["verify", arg(&edited), "--key", &d.key])
        .expect_code(1)
        .expect_says("changed after signing");
    std::fs::write(&shot, b"another picture").expect("write evidence");
    plugfest(&dir, &d.data, &["verify", arg(&file), "--key", &d.key])
        .expect_code(1)
        .expect_says("shot.png was changed");
    // Bad input: unknown requirement, not an ID.
    for req in ["LTI13-TOOL-NOPE-999", "../x"] {
        attest_as(req, "x", "y", None).expect_code(2);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
