//! Opening inputs safely (DESIGN §7): hostile zips built here byte by byte — path traversal,
//! backslashes, symbolic links, duplicate names, bad names, lying size headers, bombs, too many
//! entries, unreadable archives and entries — each reported as its own `PKG-ZIP-…` finding and
//! never followed or read past the caps; folders walked without following links; a single test
//! file with the items it references read from beside it only. Then detection of a few corpus
//! files (`$PLUGFEST_SHARED/corpus`, default `../shared/corpus`): skipped loudly when absent,
//! a failure under `CI=true`.

mod support;

use plugfest_packages::detect::{self, schemas};
use plugfest_packages::doc::{Role, Standard};
use plugfest_packages::input::{self, InputKind, Limits};
use plugfest_packages::validate::{InputReport, NotAssessed, Options, Validator, XsdOutcome};
use plugfest_packages::{SchemaBundle, format_text};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use support::shared;

// ---------------------------------------------------------------------------------------------
// A zip writer that writes whatever it is told (names, sizes, modes), unlike a real one.

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[derive(Clone)]
struct Entry {
    name: Vec<u8>,
    data: Vec<u8>,
    /// Unix mode for the external attributes (made by Unix), if any.
    mode: Option<u32>,
    /// General-purpose flags (bit 0: encrypted).
    flags: u16,
    /// Compression method (0 stored).
    method: u16,
}

fn entry(name: &str, data: &[u8]) -> Entry {
    Entry {
        name: name.as_bytes().to_vec(),
        data: data.to_vec(),
        mode: None,
        flags: 0,
        method: 0,
    }
}

fn build_zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let crc = crc32(&e.data);
        let size = e.data.len() as u32;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&e.flags.to_le_bytes());
        out.extend_from_slice(&e.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.data);

        let made_by: u16 = if e.mode.is_some() { (3 << 8) | 20 } else { 20 };
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&made_by.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&e.flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0x21u16.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes()); // extra
        central.extend_from_slice(&0u16.to_le_bytes()); // comment
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&(e.mode.unwrap_or(0) << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A real deflated zip of `(name, data)` entries.
fn deflated_zip(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, options).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// Finds every local and central header of `name` in `zip` and sets its uncompressed size.
fn lie_about_size(zip: &mut [u8], name: &str, size: u32) {
    let n = name.as_bytes();
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let sig = u32::from_le_bytes(zip[i..i + 4].try_into().unwrap());
        let (size_at, name_len_at, name_at) = match sig {
            0x0403_4b50 => (i + 22, i + 26, i + 30),
            0x0201_4b50 => (i + 24, i + 28, i + 46),
            _ => continue,
        };
        let len = u16::from_le_bytes(zip[name_len_at..name_len_at + 2].try_into().unwrap());
        if usize::from(len) == n.len() && zip.get(name_at..name_at + n.len()) == Some(n) {
            zip[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local and central header of {name}");
}

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M1">
  <organizations/>
  <resources>
    <resource identifier="R1" type="webcontent" href="page.html">
      <file href="page.html"/>
    </resource>
  </resources>
</manifest>
"#;
const PAGE: &[u8] = b"<html><body>Hello</body></html>";

/// A good package plus `extra` entries.
fn package_with(extra: &[Entry]) -> Vec<u8> {
    let mut entries = vec![
        entry("imsmanifest.xml", MANIFEST.as_bytes()),
        entry("page.html", PAGE),
    ];
    entries.extend_from_slice(extra);
    build_zip(&entries)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("runtime")
}

fn validate_bytes(bytes: Vec<u8>, limits: Limits) -> InputReport {
    let validator = Validator::new(None, Options { limits });
    let report = runtime().block_on(validator.validate_zip_bytes("pkg.zip", bytes));
    assert!(
        report.internal_errors.is_empty(),
        "{:?}",
        report.internal_errors
    );
    report
}

/// The rules of the findings, and the findings of `rule` as `path: message`.
fn of(report: &InputReport, rule: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            format!(
                "{}: {}",
                f.location.path.as_deref().unwrap_or("-"),
                f.message
            )
        })
        .collect()
}

fn rules(report: &InputReport) -> BTreeSet<&str> {
    report.rules_broken()
}

// ---------------------------------------------------------------------------------------------
// Zip safety

#[test]
fn a_good_zip_has_no_findings() {
    let report = validate_bytes(package_with(&[]), Limits::default());
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.kind, Some(InputKind::Zip));
    let opened = input::open_zip_bytes("pkg.zip", &package_with(&[]), &Limits::default());
    assert_eq!(
        opened.package.files.keys().collect::<Vec<_>>(),
        ["imsmanifest.xml", "page.html"]
    );
}

#[test]
fn traversal_absolute_and_drive_letter_names_are_refused() {
    let bytes = package_with(&[
        entry("../evil.txt", b"x"),
        entry("a/../../evil2.txt", b"x"),
        entry("/etc/passwd", b"x"),
        entry("C:/Windows/x.txt", b"x"),
    ]);
    let report = validate_bytes(bytes.clone(), Limits::default());
    assert_eq!(of(&report, "PKG-ZIP-002").len(), 4, "{:?}", report.findings);
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-002"]));
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &Limits::default());
    assert_eq!(
        opened.package.files.len(),
        2,
        "only the safe entries were read"
    );
}

#[test]
fn backslash_names_are_refused() {
    let report = validate_bytes(
        package_with(&[entry("images\\a.png", b"x")]),
        Limits::default(),
    );
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-003"]));
}

#[test]
fn symlink_entries_are_refused_not_followed() {
    let mut link = entry("link.html", b"/etc/passwd");
    link.mode = Some(0o120777);
    let bytes = package_with(&[link]);
    let report = validate_bytes(bytes.clone(), Limits::default());
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-004"]));
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &Limits::default());
    assert!(!opened.package.has("link.html"));
}

#[test]
fn duplicate_names_are_refused_exactly_and_ignoring_case() {
    let bytes = package_with(&[entry("page.html", b"<html>other</html>")]);
    let report = validate_bytes(bytes.clone(), Limits::default());
    assert!(
        of(&report, "PKG-ZIP-005")[0].starts_with("page.html:"),
        "{:?}",
        report.findings
    );
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &Limits::default());
    assert!(
        !opened.package.has("page.html"),
        "an ambiguous entry is not read"
    );

    let bytes = package_with(&[entry("PAGE.html", b"x"), entry("./page.html", b"x")]);
    let report = validate_bytes(bytes, Limits::default());
    let dups = of(&report, "PKG-ZIP-005");
    assert_eq!(dups.len(), 2, "{dups:?}");
    assert!(dups.iter().any(|d| d.contains("letter case")), "{dups:?}");
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-005"]));
}

#[test]
fn bad_names_are_refused() {
    let report = validate_bytes(
        package_with(&[
            entry("a\u{1}b.txt", b"x"),
            entry("a//b.txt", b"x"),
            entry("", b"x"),
            entry("nul\0.txt", b"x"),
        ]),
        Limits::default(),
    );
    assert_eq!(of(&report, "PKG-ZIP-006").len(), 4, "{:?}", report.findings);
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-006"]));
}

#[test]
fn an_entry_over_the_cap_is_not_read_even_when_its_header_lies() {
    let limits = Limits {
        max_entry_bytes: 64 << 10,
        ..Limits::default()
    };
    // Honest header: refused from the header alone.
    let big = vec![b'a'; 100 << 10];
    let report = validate_bytes(package_with(&[entry("big.txt", &big)]), limits);
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-007"]));
    assert!(of(&report, "PKG-ZIP-007")[0].contains("declares"));

    // Lying header: 100 bytes declared, 1 MiB inside; reading stops at the declared size (the
    // zip crate's own check) or at the cap, whichever comes first: never past either.
    let mut bytes = deflated_zip(&[
        ("imsmanifest.xml", MANIFEST.as_bytes().to_vec()),
        ("page.html", PAGE.to_vec()),
        ("liar.txt", vec![0u8; 1 << 20]),
    ]);
    lie_about_size(&mut bytes, "liar.txt", 100);
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &limits);
    assert!(!opened.package.has("liar.txt"));
    let found: BTreeSet<&str> = opened.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        found,
        BTreeSet::from(["PKG-ZIP-011"]),
        "{:?}",
        opened.findings
    );
    assert!(
        opened.findings[0].message.contains("declared"),
        "{:?}",
        opened.findings
    );
}

#[test]
fn the_total_cap_stops_reading() {
    let limits = Limits {
        max_total_bytes: 64 << 10,
        ..Limits::default()
    };
    // Deflated, so the archive itself is small; stored, it would be refused whole (its own
    // size is over the cap).
    let chunk = vec![b'x'; 40 << 10];
    let bytes = deflated_zip(&[
        ("imsmanifest.xml", MANIFEST.as_bytes().to_vec()),
        ("page.html", PAGE.to_vec()),
        ("a.txt", chunk.clone()),
        ("b.txt", chunk.clone()),
        ("c.txt", chunk),
    ]);
    assert!(bytes.len() < 64 << 10);
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &limits);
    let total: usize = opened.package.files.values().map(Vec::len).sum();
    assert!(total <= 64 << 10, "read {total} bytes");
    assert!(!opened.package.has("c.txt"));
    let report = validate_bytes(bytes, limits);
    assert_eq!(of(&report, "PKG-ZIP-008").len(), 1, "{:?}", report.findings);
    // a.txt was read but no manifest lists it.
    assert_eq!(
        rules(&report),
        BTreeSet::from(["CP-FILE-001", "PKG-ZIP-008"])
    );
}

#[test]
fn a_zip_bomb_is_stopped_by_the_ratio_cap() {
    let limits = Limits {
        ratio_floor_bytes: 64 << 10,
        max_ratio: 50,
        ..Limits::default()
    };
    let bytes = deflated_zip(&[
        ("imsmanifest.xml", MANIFEST.as_bytes().to_vec()),
        ("page.html", PAGE.to_vec()),
        ("bomb.bin", vec![0u8; 4 << 20]),
    ]);
    assert!(
        bytes.len() < 64 << 10,
        "4 MiB of zeros deflate to {} bytes",
        bytes.len()
    );
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &limits);
    assert!(!opened.package.has("bomb.bin"));
    let report = validate_bytes(bytes.clone(), limits);
    // The default caps stop it too, after at most the 1 MiB ratio floor.
    assert_eq!(
        rules(&validate_bytes(bytes, Limits::default())),
        BTreeSet::from(["PKG-ZIP-009"])
    );
    assert_eq!(
        rules(&report),
        BTreeSet::from(["PKG-ZIP-009"]),
        "{:?}",
        report.findings
    );
}

#[test]
fn a_zip_bomb_within_the_ratio_is_stopped_by_the_total_cap() {
    let limits = Limits {
        max_total_bytes: 1 << 20,
        max_ratio: 100_000,
        ..Limits::default()
    };
    let bytes = deflated_zip(&[
        ("imsmanifest.xml", MANIFEST.as_bytes().to_vec()),
        ("page.html", PAGE.to_vec()),
        ("bomb.bin", vec![0u8; 8 << 20]),
    ]);
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &limits);
    assert!(!opened.package.has("bomb.bin"));
    let found: BTreeSet<&str> = opened.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        found,
        BTreeSet::from(["PKG-ZIP-008"]),
        "{:?}",
        opened.findings
    );
}

#[test]
fn too_many_entries_are_not_read_at_all() {
    let limits = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    let bytes = package_with(&[entry("a.txt", b"a"), entry("b.txt", b"b")]);
    let opened = input::open_zip_bytes("pkg.zip", &bytes, &limits);
    assert!(opened.package.files.is_empty());
    let report = validate_bytes(bytes, limits);
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-010"]));
}

#[test]
fn unreadable_archives_and_entries_are_findings() {
    for (what, bytes) in [
        ("random bytes", b"PK\x03\x04 this is no zip at all".to_vec()),
        ("a truncated zip", package_with(&[])[..60].to_vec()),
        ("nothing", Vec::new()),
    ] {
        let report = validate_bytes(bytes, Limits::default());
        assert_eq!(
            rules(&report),
            BTreeSet::from(["PKG-ZIP-001"]),
            "{what}: {:?}",
            report.findings
        );
    }
    let mut encrypted = entry("secret.html", b"xxxxxxxxxxxxxxxx");
    encrypted.flags = 1;
    let mut odd_method = entry("odd.html", b"xxxx");
    odd_method.method = 99;
    let report = validate_bytes(package_with(&[encrypted, odd_method]), Limits::default());
    assert_eq!(of(&report, "PKG-ZIP-011").len(), 2, "{:?}", report.findings);
    assert_eq!(rules(&report), BTreeSet::from(["PKG-ZIP-011"]));
}

#[test]
fn hostile_zips_never_panic() {
    // Every prefix and a few corruptions of a real archive: findings, never a panic.
    let good = deflated_zip(&[
        ("imsmanifest.xml", MANIFEST.as_bytes().to_vec()),
        ("page.html", PAGE.to_vec()),
    ]);
    let validator = Validator::new(None, Options::default());
    let rt = runtime();
    for cut in (0..good.len()).step_by(7) {
        let report = rt.block_on(validator.validate_zip_bytes("cut.zip", good[..cut].to_vec()));
        assert!(report.internal_errors.is_empty());
    }
    for i in (0..good.len()).step_by(3) {
        let mut bad = good.clone();
        bad[i] ^= 0xFF;
        let report = rt.block_on(validator.validate_zip_bytes("flip.zip", bad));
        assert!(report.internal_errors.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Folders and single files

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plugfest-input-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[cfg(unix)]
#[test]
fn folder_symlinks_are_findings_and_not_followed() {
    let dir = temp_dir("links");
    let outside = temp_dir("links-outside");
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::fs::write(dir.join("imsmanifest.xml"), MANIFEST).unwrap();
    std::fs::write(dir.join("page.html"), PAGE).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), dir.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("elsewhere")).unwrap();
    let opened = input::open(&dir, &Limits::default()).expect("opens");
    assert_eq!(opened.kind, InputKind::Folder);
    assert_eq!(
        opened.package.files.keys().collect::<Vec<_>>(),
        ["imsmanifest.xml", "page.html"]
    );
    let found: Vec<&str> = opened.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        found,
        ["PKG-ZIP-004", "PKG-ZIP-004"],
        "{:?}",
        opened.findings
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&outside);
}

const ITEM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="q1" title="Q1" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>A</value></correctResponse>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
  <itemBody>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="1">
      <simpleChoice identifier="A">A</simpleChoice>
      <simpleChoice identifier="B">B</simpleChoice>
    </choiceInteraction>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>
"#;

#[test]
fn a_single_test_reads_its_items_from_beside_it_only() {
    let dir = temp_dir("single");
    let tests = dir.join("tests");
    std::fs::create_dir_all(tests.join("items")).unwrap();
    std::fs::write(dir.join("outside.xml"), ITEM).unwrap();
    std::fs::write(tests.join("items/q1.xml"), ITEM).unwrap();
    std::fs::write(
        tests.join("test.xml"),
        r#"<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="T">
  <testPart identifier="p" navigationMode="linear" submissionMode="individual">
    <assessmentSection identifier="s" title="S" visible="true">
      <assessmentItemRef identifier="r1" href="items/q1.xml"/>
      <assessmentItemRef identifier="r2" href="../outside.xml"/>
    </assessmentSection>
  </testPart>
</assessmentTest>
"#,
    )
    .unwrap();
    let validator = Validator::new(None, Options::default());
    let report = runtime().block_on(validator.validate(&tests.join("test.xml")));
    assert_eq!(report.kind, Some(InputKind::File));
    assert_eq!(report.main.as_deref(), Some("test.xml"));
    let paths: Vec<&str> = report.documents.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        ["items/q1.xml", "test.xml"],
        "outside.xml is never read"
    );
    let roles: Vec<Role> = report.documents.iter().map(|d| d.kind.role).collect();
    assert_eq!(roles, [Role::Item, Role::Test]);
    // No bundle: every XSD check is "unavailable", for the caller to decide.
    assert!(report.xsd_unavailable);
    assert!(report.documents.iter().all(|d| matches!(
        d.xsd,
        XsdOutcome::NotAssessed {
            reason: NotAssessed::XsdUnavailable,
            ..
        }
    )));
    // Locations of a single file are its own path.
    let text = format_text(&report, |_| "MUST");
    for line in text.lines() {
        assert!(
            line.starts_with(&tests.display().to_string()),
            "a finding outside the test's folder: {line}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_single_file_of_no_known_standard_is_a_finding() {
    let dir = temp_dir("unknown");
    std::fs::write(dir.join("notes.xml"), "<notes><n>hi</n></notes>").unwrap();
    std::fs::write(dir.join("readme.txt"), "just text").unwrap();
    let validator = Validator::new(None, Options::default());
    let rt = runtime();
    for name in ["notes.xml", "readme.txt"] {
        let report = rt.block_on(validator.validate(&dir.join(name)));
        assert_eq!(rules(&report), BTreeSet::from(["PKG-DETECT-001"]), "{name}");
        let text = format_text(&report, |_| "MUST");
        assert!(
            text.starts_with(&format!(
                "{}: MUST PKG-DETECT-001 ",
                dir.join(name).display()
            )),
            "{text}"
        );
    }
    let missing = rt.block_on(validator.validate(&dir.join("nope.zip")));
    assert!(missing.open_error.is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zip_findings_print_with_the_entry_path() {
    let report = validate_bytes(
        package_with(&[entry("images\\a.png", b"x")]),
        Limits::default(),
    );
    let text = format_text(&report, |r| if r == "PKG-ZIP-003" { "MUST" } else { "?" });
    assert!(
        text.starts_with("pkg.zip!/images\\a.png: MUST PKG-ZIP-003 entry refused"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// The shared corpus and bundle

/// `shared/<sub>` when it exists; otherwise says loudly that the test did not run (a failure
/// under `CI=true`).
fn shared_dir(sub: &str) -> Option<PathBuf> {
    let dir = shared().join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} not found; CI=true requires it", dir.display());
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {} not found; set PLUGFEST_SHARED",
        dir.display()
    );
    None
}

fn detect_file(path: &Path) -> plugfest_packages::doc::DocKind {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = plugfest_packages::validate::decode(&bytes).expect("decodes");
    let doc = roxmltree::Document::parse_with_options(
        &text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("parses");
    detect::detect(&path.to_string_lossy(), &doc)
}

#[test]
fn corpus_documents_are_recognised() {
    let Some(corpus) = shared_dir("corpus") else {
        return;
    };
    let cases: [(&str, Standard, Role, Option<&str>); 8] = [
        (
            "qti21/qtiworks-ims/choice.xml",
            Standard::Qti21,
            Role::Item,
            Some(schemas::QTI21),
        ),
        (
            "qti22/qtisdk-ims-items-2_2_1/choice.xml",
            Standard::Qti22,
            Role::Item,
            Some(schemas::QTI221),
        ),
        (
            "qti22/qtisdk-ims-items-2_2_4/choice.xml",
            Standard::Qti22,
            Role::Item,
            Some(schemas::QTI224),
        ),
        (
            "qti30/qtisdk-ims-items-3_0/aqti_tmh_sample_1.xml",
            Standard::Qti30,
            Role::Item,
            Some(schemas::QTI30_ASI),
        ),
        (
            "qti30/1edtech-qtiv3-examples/packaging/simple/imsmanifest.xml",
            Standard::Qti30,
            Role::Manifest,
            Some(schemas::QTI300_CP),
        ),
        (
            "cc/pyslet-cc-profilev1p1/sample_1/imsmanifest.xml",
            Standard::Cc11,
            Role::Manifest,
            Some(schemas::CC11_MANIFEST),
        ),
        (
            "apip/tao-apip-items/apip_choice_empty_apip.xml",
            Standard::Apip,
            Role::Item,
            Some(schemas::APIP_ITEM21),
        ),
        (
            "qti21/qtisdk-branch_rules/test_with_invalid_target_branch_rule.xml",
            Standard::Qti21,
            Role::Test,
            Some(schemas::QTI21),
        ),
    ];
    for (path, standard, role, schema) in cases {
        let k = detect_file(&corpus.join(path));
        assert_eq!(
            (k.standard, k.role, k.schema),
            (standard, role, schema),
            "{path}: {}",
            k.why
        );
    }
}

#[test]
fn a_canvas_cartridge_opens_and_its_sidecars_are_not_checked() {
    let Some(corpus) = shared_dir("corpus") else {
        return;
    };
    let validator = Validator::new(None, Options::default());
    let report =
        runtime().block_on(validator.validate(&corpus.join("cc/wallacekelly/modules.imscc")));
    assert!(report.open_error.is_none());
    assert!(
        report.internal_errors.is_empty(),
        "{:?}",
        report.internal_errors
    );
    assert_eq!(report.kind, Some(InputKind::Zip));
    let manifest = report
        .documents
        .iter()
        .find(|d| d.path == "imsmanifest.xml")
        .expect("manifest");
    assert_eq!(manifest.kind.standard, Standard::Cc11);
    let sidecar = report
        .documents
        .iter()
        .find(|d| d.path == "course_settings/course_settings.xml")
        .expect("sidecar");
    assert_eq!(sidecar.kind.standard, Standard::Other);
    assert_eq!(sidecar.xsd, XsdOutcome::NotChecked);
    assert!(report.standards().contains(&Standard::Cc11));
    // No zip-safety problem in a real export.
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.rule.starts_with("PKG-ZIP-")),
        "{:?}",
        report.findings
    );
}

#[test]
fn every_routed_schema_is_in_the_bundle() {
    let Some(dir) = shared_dir("schemas/xsd") else {
        return;
    };
    let bundle = SchemaBundle::open(&dir).expect("bundle");
    let missing: Vec<&str> = schemas::ALL
        .iter()
        .copied()
        .filter(|s| !bundle.contains(s))
        .collect();
    assert!(
        missing.is_empty(),
        "routed schemas not in the bundle: {missing:?}"
    );
}

#[test]
fn with_the_bundle_documents_get_xsd_verdicts_and_findings() {
    let (Some(corpus), Some(xsd)) = (shared_dir("corpus"), shared_dir("schemas/xsd")) else {
        return;
    };
    let bundle = SchemaBundle::open(&xsd).expect("bundle");
    let pool = std::sync::Arc::new(plugfest_packages::XsdPool::new(bundle, 2));
    let validator = Validator::new(Some(pool), Options::default());
    let rt = runtime();

    // A valid QTI 2.1 item: valid, no XSD finding.
    let report = rt.block_on(validator.validate(&corpus.join("qti21/qtiworks-ims/choice.xml")));
    assert!(!report.xsd_unavailable);
    assert!(report.schema_set.is_some());
    assert_eq!(
        report.documents[0].xsd,
        XsdOutcome::Valid {
            schema: schemas::QTI21.into()
        }
    );
    assert!(
        report.findings.iter().all(|f| f.rule != "QTI21-XSD-001"),
        "{:?}",
        report.findings
    );

    // A QTIWorks sample it flags NOT_SCHEMA_VALID: QTI21-XSD-001 findings with lines.
    let report =
        rt.block_on(validator.validate(&corpus.join("qti21/qtiworks-stomp/a_mcq_dkG2.xml")));
    assert!(matches!(
        report.documents[0].xsd,
        XsdOutcome::Invalid { .. }
    ));
    let xsd: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "QTI21-XSD-001")
        .collect();
    assert!(!xsd.is_empty());
    assert!(xsd.iter().all(|f| f.location.line.is_some()));
    assert!(xsd[0].message.contains("rubricBlock"), "{}", xsd[0].message);

    // A CC 1.0 cartridge (folder): its manifest has no schema in the bundle.
    let report = rt.block_on(validator.validate(&corpus.join("cc/pyslet-cc-profilev1p0/sample_1")));
    let manifest = report
        .documents
        .iter()
        .find(|d| d.path == "imsmanifest.xml")
        .expect("manifest");
    assert!(
        matches!(
            &manifest.xsd,
            XsdOutcome::NotAssessed {
                reason: NotAssessed::SchemaNotInBundle,
                ..
            } | XsdOutcome::Valid { .. }
        ),
        "{:?} {}",
        manifest.xsd,
        manifest.kind.why
    );
}

#[test]
fn a_manifest_named_alone_opens_its_package_folder() {
    let dir = temp_dir("manifest-alone");
    std::fs::write(dir.join("imsmanifest.xml"), MANIFEST).unwrap();
    std::fs::write(dir.join("page.html"), PAGE).unwrap();
    let opened = input::open(&dir.join("imsmanifest.xml"), &Limits::default()).expect("opens");
    assert_eq!(opened.kind, InputKind::Folder);
    assert_eq!(opened.package.name, dir.display().to_string());
    assert!(opened.package.has("page.html"));
    let _ = std::fs::remove_dir_all(&dir);
}
