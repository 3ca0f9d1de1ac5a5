//! The embedded schema-set manifest (`schemas/xsd-bundle.toml`, DESIGN §8) against itself and the
//! shared bundle (`$PLUGFEST_SHARED/schemas/xsd`, default `../shared` next to the workspace).
//!
//! Without the bundle, the tests that need it print `SKIPPED: …` and return; under `CI=true` they
//! fail.

mod support;

use plugfest_packages::LTI11_POX_XSD;
use plugfest_packages::xsd::manifest::{self, SchemaManifest};

#[test]
fn the_embedded_manifest_parses_and_names_the_set() {
    let m = SchemaManifest::parse(manifest::MANIFEST_TOML).expect("embedded manifest parses");
    assert_eq!(m.format, manifest::MANIFEST_FORMAT);
    assert_eq!(manifest::schema_set_name(), m.name);
    assert!(
        m.name.starts_with("plugfest-xsd-"),
        "schema set name {:?}",
        m.name
    );
    let catalog = m.file("catalog.xml").expect("catalog.xml is listed");
    assert!(!catalog.absent);
    let pox = m
        .file(LTI11_POX_XSD)
        .expect("the LTI 1.1 POX schema is listed");
    assert!(!pox.absent && pox.sha256.as_deref().unwrap().starts_with("9b63ec26"));
    // Every file says where it comes from; GitHub copies as OWNER/REPO@COMMIT:PATH.
    for f in &m.files {
        let github = f
            .source
            .split_once('@')
            .and_then(|(repo, rest)| Some((repo, rest.split_once(':')?)))
            .is_some_and(|(repo, (commit, path))| {
                repo.split('/').count() == 2
                    && (commit.len() == 12 || commit.len() == 40)
                    && commit.bytes().all(|b| b.is_ascii_hexdigit())
                    && !path.is_empty()
            });
        assert!(
            github || f.source.starts_with("bundle: "),
            "{}: source {:?}",
            f.path,
            f.source
        );
    }
    assert!(
        m.files.iter().any(|f| f.absent),
        "the ABSENT files are listed"
    );
    assert!(m.files.iter().all(|f| f.path != "PROVENANCE.md"));
    assert_eq!(m.unchecked, ["PROVENANCE.md"]);
}

#[test]
fn the_shared_bundle_is_exactly_the_schema_set() {
    let Some(bundle) = support::bundle() else {
        return;
    };
    let dir = bundle.root();
    let report = manifest::verify(dir).expect("the shared bundle can be read");
    assert!(
        report.is_ok(),
        "{} differs from {}:\n{}",
        dir.display(),
        report.name,
        report
            .differences
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let m = SchemaManifest::embedded();
    assert_eq!(report.verified, m.present().count());
    assert_eq!(report.absent, m.files.len() - m.present().count());
    assert_eq!(report.name, manifest::schema_set_name());
    // PROVENANCE.md is the bundle's own documentation, not part of the set.
    assert_eq!(report.unchecked, ["PROVENANCE.md"]);
}

/// Every kind of difference on a small folder and manifest, without the shared bundle.
#[test]
fn differences_name_the_file_and_what_differs() {
    let digest = plugfest_core::digest::sha256_hex;
    let m = SchemaManifest::parse(&format!(
        r#"
format = 1
name = "tiny-1"
unchecked = ["README.md"]
[[file]]
path = "catalog.xml"
source = "bundle: test"
sha256 = "{}"
size = 3
[[file]]
path = "a/kept.xsd"
source = "o/r@0123456789ab:kept.xsd"
sha256 = "{}"
size = 4
[[file]]
path = "a/changed.xsd"
source = "o/r@0123456789ab:changed.xsd"
sha256 = "{}"
size = 4
[[file]]
path = "a/missing.xsd"
source = "o/r@0123456789ab:missing.xsd"
sha256 = "{}"
size = 4
[[file]]
path = "big/placeholder.xsd"
source = "o/r@0123456789ab:placeholder.xsd"
absent = true
[[file]]
path = "big/present.xsd"
source = "o/r@0123456789ab:present.xsd"
absent = true
[[file]]
path = "big/gone.xsd"
source = "o/r@0123456789ab:gone.xsd"
absent = true
"#,
        digest(b"cat"),
        digest(b"kept"),
        digest(b"orig"),
        digest(b"miss"),
    ))
    .expect("test manifest parses");

    let dir = std::env::temp_dir().join(format!("plugfest-bundle-manifest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, bytes) in [
        ("catalog.xml", &b"cat"[..]),
        ("a/kept.xsd", b"kept"),
        ("a/changed.xsd", b"oriG"),
        ("big/placeholder.xsd", b""),
        ("big/present.xsd", b"huge"),
        ("README.md", b"docs"),
        ("c/extra.xsd", b"new"),
    ] {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink("kept.xsd", dir.join("a/link.xsd")).unwrap();

    let report = m.verify(&dir).expect("readable");
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<String> = report.differences.iter().map(|d| d.to_string()).collect();
    let mut want = vec![
        format!(
            "changed: a/changed.xsd: sha256 {}, expected {} (same size, 4 bytes)",
            digest(b"oriG"),
            digest(b"orig")
        ),
        "missing: a/missing.xsd (a listed file of 4 bytes)".to_string(),
        "not in set: big/present.xsd (4 bytes) is recorded as absent from this schema set (too \
         large to copy), so its bytes cannot be checked"
            .to_string(),
        "extra: c/extra.xsd (3 bytes) is not a file of this schema set".to_string(),
    ];
    if cfg!(unix) {
        want.insert(
            1,
            "not a regular file: a/link.xsd is a symbolic link".to_string(),
        );
    }
    assert_eq!(lines, want);
    assert_eq!((report.verified, report.absent), (2, 2));
    assert_eq!(report.bytes, 7);
    assert_eq!(report.unchecked, ["README.md"]);
    assert!(!report.is_ok());
    assert_eq!(report.name, "tiny-1");
}
