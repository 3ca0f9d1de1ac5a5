//! The schema set's manifest, `schemas/xsd-bundle.toml` (DESIGN §8): every file of the official
//! XSD bundle with its source and SHA-256, and the check of a folder against it.
//!
//! The manifest is embedded in the binary; [`schema_set_name`] is what reports print as the schema
//! set used, and [`verify`] says whether a folder holds exactly that set: every listed file with
//! the listed bytes, nothing else. `scripts/gen-xsd-bundle-manifest` regenerates the manifest from
//! a bundle folder and its `PROVENANCE.md`.

use super::bundle::schema_key;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The manifest as embedded at build time (`schemas/xsd-bundle.toml`).
pub const MANIFEST_TOML: &str = include_str!("../../../../schemas/xsd-bundle.toml");
/// The manifest layout this code reads.
pub const MANIFEST_FORMAT: u32 = 1;

/// A schema set: its name and its files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaManifest {
    /// The manifest layout's version ([`MANIFEST_FORMAT`]).
    pub format: u32,
    /// The schema set's name, as reports print it (e.g. `plugfest-xsd-2026.11`).
    pub name: String,
    /// What the set holds.
    #[serde(default)]
    pub description: String,
    /// Files a bundle folder may also hold that are not part of the set (its documentation, such
    /// as `PROVENANCE.md`): [`verify`](Self::verify) ignores them and install copies them as is.
    #[serde(default)]
    pub unchecked: Vec<String>,
    /// Every file, present or recorded absent.
    #[serde(rename = "file", default)]
    pub files: Vec<SchemaFile>,
}

/// One file of the set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    /// Path relative to the bundle folder, `/`-separated.
    pub path: String,
    /// Where the bytes come from: `OWNER/REPO@COMMIT:PATH`, `…:ARCHIVE.zip!/MEMBER` or `bundle: …`.
    pub source: String,
    /// SHA-256 of the bytes, lowercase hex (`None` only when [`absent`](Self::absent)).
    #[serde(default)]
    pub sha256: Option<String>,
    /// Size in bytes (`None` only when [`absent`](Self::absent)).
    #[serde(default)]
    pub size: Option<u64>,
    /// A file of the source set the bundle does not hold (too large to copy): it must not be
    /// present, except as an empty placeholder.
    #[serde(default)]
    pub absent: bool,
    /// What the provenance says about the copy.
    #[serde(default)]
    pub note: Option<String>,
}

/// Why a manifest text is not a usable manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Not TOML, or not the manifest's shape.
    #[error("schema manifest: {0}")]
    Toml(#[from] toml::de::Error),
    /// TOML of the right shape that breaks a rule (named in the message).
    #[error("schema manifest: {0}")]
    Invalid(String),
}

/// Why a folder could not be checked at all (as opposed to differing from the manifest).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The folder, or something in it, could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The path is not a folder.
    #[error("{} is not a directory", .0.display())]
    NotADirectory(PathBuf),
}

/// One way a folder differs from the manifest, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// A listed file is not there.
    Missing {
        /// Bundle-relative path.
        path: String,
        /// The size the manifest records.
        size: u64,
    },
    /// A listed file's bytes differ.
    Changed {
        /// Bundle-relative path.
        path: String,
        /// SHA-256 the manifest records.
        expected_sha256: String,
        /// SHA-256 of the bytes found.
        actual_sha256: String,
        /// Size the manifest records.
        expected_size: u64,
        /// Size found.
        actual_size: u64,
    },
    /// A file the manifest does not list.
    Extra {
        /// Bundle-relative path (lossy when not UTF-8).
        path: String,
        /// Its size.
        size: u64,
    },
    /// A file the manifest records as absent from this set is there, with content.
    NotInSet {
        /// Bundle-relative path.
        path: String,
        /// Its size.
        size: u64,
    },
    /// Something that is not a regular file or folder (a symbolic link, a device, …), or a folder
    /// where the manifest lists a file.
    NotAFile {
        /// Bundle-relative path (lossy when not UTF-8).
        path: String,
        /// What it is.
        kind: &'static str,
    },
}

impl Difference {
    /// The bundle-relative path the difference is about.
    pub fn path(&self) -> &str {
        match self {
            Difference::Missing { path, .. }
            | Difference::Changed { path, .. }
            | Difference::Extra { path, .. }
            | Difference::NotInSet { path, .. }
            | Difference::NotAFile { path, .. } => path,
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Missing { path, size } => {
                write!(f, "missing: {path} (a listed file of {size} bytes)")
            }
            Difference::Changed {
                path,
                expected_sha256,
                actual_sha256,
                expected_size,
                actual_size,
            } => {
                write!(
                    f,
                    "changed: {path}: sha256 {actual_sha256}, expected {expected_sha256}"
                )?;
                if expected_size == actual_size {
                    write!(f, " (same size, {actual_size} bytes)")
                } else {
                    write!(f, " ({actual_size} bytes, expected {expected_size})")
                }
            }
            Difference::Extra { path, size } => write!(
                f,
                "extra: {path} ({size} bytes) is not a file of this schema set"
            ),
            Difference::NotInSet { path, size } => write!(
                f,
                "not in set: {path} ({size} bytes) is recorded as absent from this schema set \
                 (too large to copy), so its bytes cannot be checked"
            ),
            Difference::NotAFile { path, kind } => {
                write!(f, "not a regular file: {path} is {kind}")
            }
        }
    }
}

/// The outcome of checking a folder against a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// The schema set's name.
    pub name: String,
    /// The folder checked.
    pub root: PathBuf,
    /// Listed files found with the listed bytes.
    pub verified: usize,
    /// Listed files recorded as absent from the set (and rightly not there).
    pub absent: usize,
    /// Total bytes of the verified files.
    pub bytes: u64,
    /// [`unchecked`](SchemaManifest::unchecked) files found (not part of the set; not checked).
    pub unchecked: Vec<String>,
    /// Every difference, sorted by path.
    pub differences: Vec<Difference>,
}

impl VerifyReport {
    /// Whether the folder holds exactly the schema set.
    pub fn is_ok(&self) -> bool {
        self.differences.is_empty()
    }
}

impl SchemaManifest {
    /// Parses and checks a manifest: the format version, a name, unique plain relative paths, a
    /// SHA-256 and size for every present file and none for absent ones.
    pub fn parse(text: &str) -> Result<Self, ManifestError> {
        let m: SchemaManifest = toml::from_str(text)?;
        let bad = |msg: String| Err(ManifestError::Invalid(msg));
        if m.format != MANIFEST_FORMAT {
            return bad(format!(
                "format {} is not supported (this Plugfest reads format {MANIFEST_FORMAT})",
                m.format
            ));
        }
        if m.name.trim().is_empty() {
            return bad("the schema set has no name".into());
        }
        if m.files.is_empty() {
            return bad("no [[file]] entries".into());
        }
        let mut seen = BTreeSet::new();
        for f in &m.files {
            if schema_key(&f.path).as_deref() != Some(f.path.as_str()) {
                return bad(format!(
                    "file path {:?} is not a plain relative '/'-separated path",
                    f.path
                ));
            }
            if !seen.insert(f.path.as_str()) {
                return bad(format!("file {} is listed twice", f.path));
            }
            if f.source.trim().is_empty() {
                return bad(format!("file {} has no source", f.path));
            }
            match (f.absent, &f.sha256, f.size) {
                (true, None, None) => {}
                (true, _, _) => {
                    return bad(format!(
                        "file {} is absent but has a sha256 or size",
                        f.path
                    ));
                }
                (false, Some(d), Some(_)) if is_sha256_hex(d) => {}
                (false, _, _) => {
                    return bad(format!(
                        "file {} needs sha256 (64 lowercase hex digits) and size",
                        f.path
                    ));
                }
            }
        }
        for u in &m.unchecked {
            if schema_key(u).as_deref() != Some(u.as_str()) || seen.contains(u.as_str()) {
                return bad(format!(
                    "unchecked path {u:?} is not a plain relative path, or is a file of the set"
                ));
            }
        }
        // A file and a folder of one name cannot both be in a folder.
        for f in &m.files {
            let mut prefix = String::new();
            for part in f.path.split('/') {
                if !prefix.is_empty() && seen.contains(prefix.trim_end_matches('/')) {
                    return bad(format!(
                        "{} is listed both as a file and as a folder of {}",
                        prefix.trim_end_matches('/'),
                        f.path
                    ));
                }
                prefix.push_str(part);
                prefix.push('/');
            }
        }
        Ok(m)
    }

    /// The manifest embedded in this build.
    ///
    /// # Panics
    /// When the embedded `schemas/xsd-bundle.toml` is invalid (a build defect the
    /// `bundle_manifest` test catches).
    pub fn embedded() -> &'static SchemaManifest {
        static EMBEDDED: OnceLock<SchemaManifest> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            SchemaManifest::parse(MANIFEST_TOML)
                .unwrap_or_else(|e| panic!("embedded schemas/xsd-bundle.toml: {e}"))
        })
    }

    /// The entry for a bundle-relative path.
    pub fn file(&self, path: &str) -> Option<&SchemaFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Files present in the set (not recorded absent).
    pub fn present(&self) -> impl Iterator<Item = &SchemaFile> {
        self.files.iter().filter(|f| !f.absent)
    }

    /// Checks the folder `dir` against this manifest: every present file there with its SHA-256
    /// and size, no absent file with content, nothing else (folders aside). Symbolic links are
    /// reported, never followed.
    pub fn verify(&self, dir: &Path) -> Result<VerifyReport, VerifyError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| VerifyError::Io { path, source }
        };
        let meta = std::fs::metadata(dir).map_err(io(dir))?;
        if !meta.is_dir() {
            return Err(VerifyError::NotADirectory(dir.to_path_buf()));
        }
        let mut found = BTreeMap::new();
        walk(dir, "", &mut found)?;

        let mut report = VerifyReport {
            name: self.name.clone(),
            root: dir.to_path_buf(),
            verified: 0,
            absent: 0,
            bytes: 0,
            unchecked: Vec::new(),
            differences: Vec::new(),
        };
        for path in &self.unchecked {
            match found.remove(path.as_str()) {
                Some(Entry::File(_)) => report.unchecked.push(path.clone()),
                Some(Entry::Other(kind)) => report.differences.push(Difference::NotAFile {
                    path: path.clone(),
                    kind,
                }),
                None => {}
            }
        }
        for f in &self.files {
            let entry = found.remove(f.path.as_str());
            if f.absent {
                match entry {
                    None | Some(Entry::File(0)) => report.absent += 1,
                    Some(Entry::File(size)) => report.differences.push(Difference::NotInSet {
                        path: f.path.clone(),
                        size,
                    }),
                    Some(Entry::Other(kind)) => report.differences.push(Difference::NotAFile {
                        path: f.path.clone(),
                        kind,
                    }),
                }
                continue;
            }
            let (expected_sha256, expected_size) = match (&f.sha256, f.size) {
                (Some(d), Some(s)) => (d, s),
                _ => {
                    unreachable!("SchemaManifest::parse requires sha256 and size of present files")
                }
            };
            match entry {
                None => report.differences.push(Difference::Missing {
                    path: f.path.clone(),
                    size: expected_size,
                }),
                Some(Entry::Other(kind)) => report.differences.push(Difference::NotAFile {
                    path: f.path.clone(),
                    kind,
                }),
                Some(Entry::File(_)) => {
                    let path = dir.join(&f.path);
                    let bytes = std::fs::read(&path).map_err(io(&path))?;
                    let actual_sha256 = plugfest_core::digest::sha256_hex(&bytes);
                    let actual_size = bytes.len() as u64;
                    if &actual_sha256 == expected_sha256 && actual_size == expected_size {
                        report.verified += 1;
                        report.bytes += actual_size;
                    } else {
                        report.differences.push(Difference::Changed {
                            path: f.path.clone(),
                            expected_sha256: expected_sha256.clone(),
                            actual_sha256,
                            expected_size,
                            actual_size,
                        });
                    }
                }
            }
        }
        for (path, entry) in found {
            report.differences.push(match entry {
                Entry::File(size) => Difference::Extra { path, size },
                Entry::Other(kind) => Difference::NotAFile { path, kind },
            });
        }
        report.differences.sort_by(|a, b| a.path().cmp(b.path()));
        Ok(report)
    }
}

/// The embedded schema set's name (e.g. `plugfest-xsd-2026.11`), for reports to say which set
/// validated a document.
pub fn schema_set_name() -> &'static str {
    &SchemaManifest::embedded().name
}

/// Checks the folder `dir` against the embedded manifest ([`SchemaManifest::verify`]).
pub fn verify(dir: &Path) -> Result<VerifyReport, VerifyError> {
    SchemaManifest::embedded().verify(dir)
}

/// What [`walk`] found at a path.
enum Entry {
    /// A regular file of this size.
    File(u64),
    /// Anything else that is not a folder.
    Other(&'static str),
}

/// Every non-folder under `dir`, by `/`-separated path relative to the walk's root. Folders are
/// descended (not through symbolic links); a folder that holds nothing is not recorded.
fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Entry>) -> Result<(), VerifyError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| VerifyError::Io { path, source }
    };
    for item in std::fs::read_dir(dir).map_err(io(dir))? {
        let item = item.map_err(io(dir))?;
        let path = item.path();
        let name = item.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let meta = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        let ft = meta.file_type();
        if ft.is_dir() {
            walk(&path, &format!("{rel}/"), out)?;
        } else if ft.is_file() {
            out.insert(rel, Entry::File(meta.len()));
        } else if ft.is_symlink() {
            out.insert(rel, Entry::Other("a symbolic link"));
        } else {
            out.insert(
                rel,
                Entry::Other("not a regular file (a device, pipe or socket)"),
            );
        }
    }
    Ok(())
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// One sentence for a report naming the schema set behind the bundle at `root`: verified against
/// this Plugfest's set, differing from it, or not checked (and why).
pub fn describe_bundle(root: &Path) -> String {
    let shown = root.display();
    match verify(root) {
        Ok(r) if r.is_ok() => format!(
            "XML was validated against schema set {} ({} files verified) at {shown}.",
            r.name, r.verified
        ),
        Ok(r) => format!(
            "XML was validated against the schema bundle at {shown}, which differs from schema set {} in {} file(s) (`plugfest schemas verify {shown}` lists them).",
            r.name,
            r.differences.len()
        ),
        Err(e) => format!(
            "XML was validated against the schema bundle at {shown}, not checked against schema set {}: {e}.",
            schema_set_name()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
format = 1
name = "t"
[[file]]
path = "a/b.xsd"
source = "o/r@abc:b.xsd"
sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
size = 0
"#;

    #[test]
    fn rejects_bad_manifests() {
        assert!(SchemaManifest::parse(ONE).is_ok());
        for (from, to) in [
            ("format = 1", "format = 2"),
            ("a/b.xsd", "../b.xsd"),
            ("a/b.xsd", "a//b.xsd"),
            ("size = 0", ""),
            ("e3b0c4", "E3B0C4"),
            ("size = 0", "size = 0\nabsent = true"),
            ("name = \"t\"", "name = \" \""),
            ("size = 0", "size = 0\nsurprise = 1"),
        ] {
            let text = ONE.replace(from, to);
            assert!(SchemaManifest::parse(&text).is_err(), "accepted: {text}");
        }
        let twice = format!("{ONE}{}", &ONE[ONE.find("[[file]]").unwrap()..]);
        assert!(SchemaManifest::parse(&twice).is_err());
        let file_and_folder =
            format!("{ONE}[[file]]\npath = \"a\"\nsource = \"s\"\nabsent = true\n");
        assert!(SchemaManifest::parse(&file_and_folder).is_err());
    }
}
