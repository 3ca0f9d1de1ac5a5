//! `plugfest schemas install` and `plugfest schemas verify`, run as the binary: the shared bundle
//! (`$PLUGFEST_SHARED/schemas/xsd`, default `../shared` next to the workspace) installs into the
//! user data directory and verifies; a copy with one byte changed, one file removed or one file
//! added is refused naming the file, and leaves nothing behind; a URL is refused.
//!
//! Without the shared bundle, the tests that need it print `SKIPPED: …` and return; under
//! `CI=true` they fail.

// Only `shared_bundle` is used here.
#[allow(dead_code)]
mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The schema bundle's LTI 1.1 POX schema (`plugfest_packages::LTI11_POX_XSD`).
const POX_XSD: &str =
    "apip/apipv1p0final/Core_Level/Package/OMSv1p0_LTIv1p1Profile_SyncXSD_v1p0.xsd";

/// The shared bundle, or `None` after saying loudly that the test did not run (a failure under
/// `CI=true`).
fn shared_bundle() -> Option<PathBuf> {
    support::shared_bundle()
        .map_err(|dir| {
            // Straight to stderr, past libtest's capture, so it shows when the tests "pass".
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: shared schema bundle not found at {} (no catalog.xml); set PLUGFEST_SHARED",
                dir.display()
            );
        })
        .ok()
}

/// A fresh folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "plugfest-schemas-install-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn both(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `plugfest ARGS…` with the user data directory at `data` and no `PLUGFEST_SCHEMAS`.
fn plugfest(data: &Path, args: &[&str]) -> Ran {
    let out = Command::new(env!("CARGO_BIN_EXE_plugfest"))
        .args(args)
        .env("PLUGFEST_DATA_DIR", data)
        .env_remove("PLUGFEST_SCHEMAS")
        .output()
        .expect("run plugfest");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// Names in `dir` (empty when it does not exist).
fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_shared_bundle_installs_and_verifies() {
    let Some(bundle) = shared_bundle() else {
        return;
    };
    let tmp = TempDir::new("ok");
    let data = tmp.0.join("data");
    let installed = data.join("schemas");

    let nothing = plugfest(&data, &["schemas", "verify"]);
    assert_eq!(nothing.code, 2, "{}", nothing.both());
    assert!(
        nothing.stderr.contains("plugfest schemas install --from"),
        "{}",
        nothing.both()
    );

    let ran = plugfest(&data, &["schemas", "install", "--from", arg(&bundle)]);
    assert_eq!(ran.code, 0, "{}", ran.both());
    for want in [
        "plugfest-xsd-",
        "417 files verified",
        arg(&installed),
        "finds it by itself",
    ] {
        assert!(ran.stdout.contains(want), "no {want:?} in\n{}", ran.both());
    }
    assert!(installed.join("catalog.xml").is_file());
    assert!(installed.join(POX_XSD).is_file());

    let ok = plugfest(&data, &["schemas", "verify"]);
    assert_eq!(ok.code, 0, "{}", ok.both());
    assert!(ok.stdout.starts_with("OK: "), "{}", ok.both());

    // A second install replaces the first, leaving no staging or previous folder behind.
    let again = plugfest(&data, &["schemas", "install", "--from", arg(&bundle)]);
    assert_eq!(again.code, 0, "{}", again.both());
    assert!(again.stdout.contains("replacing"), "{}", again.both());
    assert_eq!(entries(&data), ["schemas"]);

    // A changed installed file: verify names it and exits 1.
    let mut bytes = std::fs::read(installed.join(POX_XSD)).expect("read");
    bytes[100] ^= 0x20;
    std::fs::write(installed.join(POX_XSD), &bytes).expect("write");
    let differs = plugfest(&data, &["schemas", "verify", arg(&installed)]);
    assert_eq!(differs.code, 1, "{}", differs.both());
    assert!(
        differs.stdout.contains(&format!("changed: {POX_XSD}")),
        "{}",
        differs.both()
    );

    // --to a folder that is not a schema bundle is never replaced.
    let precious = tmp.0.join("precious");
    std::fs::create_dir_all(&precious).expect("mkdir");
    std::fs::write(precious.join("notes.txt"), "keep me").expect("write");
    let refused = plugfest(
        &data,
        &[
            "schemas",
            "install",
            "--from",
            arg(&bundle),
            "--to",
            arg(&precious),
        ],
    );
    assert_eq!(refused.code, 2, "{}", refused.both());
    assert!(
        refused.stderr.contains("not a schema bundle"),
        "{}",
        refused.both()
    );
    assert_eq!(entries(&precious), ["notes.txt"]);
}

#[test]
fn a_bundle_that_is_not_the_set_is_refused_naming_the_file() {
    let Some(bundle) = shared_bundle() else {
        return;
    };
    let tmp = TempDir::new("bad");
    let copy = tmp.0.join("copy");
    copy_tree(&bundle, &copy);
    let data = tmp.0.join("data");

    let refused = |what: &str, needle: &str| {
        let ran = plugfest(&data, &["schemas", "install", "--from", arg(&copy)]);
        assert_eq!(ran.code, 2, "{what}: {}", ran.both());
        assert!(
            ran.stderr.contains(needle),
            "{what}: no {needle:?} in\n{}",
            ran.both()
        );
        assert!(
            ran.stderr.contains("nothing was installed"),
            "{what}: {}",
            ran.both()
        );
        assert!(
            entries(&data).is_empty(),
            "{what}: left {:?} in the data directory",
            entries(&data)
        );
    };

    // One byte changed.
    let changed = "qti21/official-abs/imsqti_v2p1p2.xsd";
    let original = std::fs::read(copy.join(changed)).expect("read");
    let mut bytes = original.clone();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(copy.join(changed), &bytes).expect("write");
    refused("one byte changed", &format!("changed: {changed}"));
    std::fs::write(copy.join(changed), &original).expect("restore");

    // One file removed.
    let removed = "cc/v1p3/ccv1p3_imsdt_v1p3.xsd";
    let original = std::fs::read(copy.join(removed)).expect("read");
    std::fs::remove_file(copy.join(removed)).expect("remove");
    refused("one file removed", &format!("missing: {removed}"));
    std::fs::write(copy.join(removed), &original).expect("restore");

    // One file added.
    let added = "qti22/not-in-the-set.xsd";
    std::fs::write(copy.join(added), "<xs:schema/>").expect("write");
    refused("one file added", &format!("extra: {added}"));
    std::fs::remove_file(copy.join(added)).expect("remove");

    // Restored, the copy installs.
    let ran = plugfest(&data, &["schemas", "install", "--from", arg(&copy)]);
    assert_eq!(ran.code, 0, "{}", ran.both());
    assert_eq!(entries(&data), ["schemas"]);
}

#[test]
fn a_url_is_refused_with_a_clear_message() {
    let tmp = TempDir::new("url");
    let data = tmp.0.join("data");
    let ran = plugfest(
        &data,
        &[
            "schemas",
            "install",
            "--from",
            "https://example.org/plugfest-xsd.zip",
        ],
    );
    assert_eq!(ran.code, 2, "{}", ran.both());
    assert!(
        ran.stderr
            .contains("installing from a URL is not supported"),
        "{}",
        ran.both()
    );
    assert!(
        !data.exists(),
        "a refused install created {}",
        data.display()
    );

    let help = plugfest(&data, &["schemas", "install", "--help"]);
    assert_eq!(help.code, 0, "{}", help.both());
    for want in ["--from", "--to", "URL", "Example: plugfest schemas install"] {
        assert!(
            help.stdout.contains(want),
            "no {want:?} in\n{}",
            help.both()
        );
    }
}
