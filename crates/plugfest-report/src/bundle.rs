//! Signed evidence bundles: one zip holding a run's reports, a manifest with the SHA-256 and size
//! of every file, and an Ed25519 signature over the manifest's exact bytes.
//!
//! Layout (flat): the report files (`run.json`, `report.html`, `summary.md`, `junit.xml`),
//! [`MANIFEST`] (pretty JSON, [`Manifest`]) and [`SIGNATURE`] (standard base64 of the 64-byte
//! signature of `manifest.json`, then a newline).
//!
//! A bundle given to [`verify`] is untrusted input (DESIGN §7): it is read into memory only —
//! nothing is ever extracted to disk — and refused before any data is decompressed when it has
//! more than [`Limits::max_entries`] entries, an entry declared larger than
//! [`Limits::max_entry_size`], more than [`Limits::max_total_size`] in all, a name that is
//! absolute, holds `..`, a backslash or a control character, a duplicate name, a folder or a
//! symlink. Sizes are enforced again while decompressing, in case a header lies.

use crate::signing::{PublicKey, SigningKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use plugfest_core::RunRecord;
use plugfest_core::config::Product;
use plugfest_core::digest::sha256_hex;
use plugfest_core::record::Harness;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The manifest's `format`.
pub const FORMAT: &str = "plugfest-bundle/1";
/// Name of the manifest inside a bundle.
pub const MANIFEST: &str = "manifest.json";
/// Name of the signature inside a bundle.
pub const SIGNATURE: &str = "manifest.sig";
/// The only signature algorithm.
pub const ALGORITHM: &str = "Ed25519";

/// What a bundle contains and who signed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// The product assessed (from the run record).
    pub product: Product,
    /// The harness that made the run.
    pub plugfest: Harness,
    /// When the bundle was made, RFC 3339 UTC.
    pub created: String,
    /// Every file of the bundle except the manifest and its signature.
    pub files: Vec<FileEntry>,
    /// The key that signed the manifest.
    pub signer: Signer,
}

/// One file listed in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Name inside the zip.
    pub name: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// The signer's public key, as written in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// [`ALGORITHM`].
    pub algorithm: String,
    /// Standard base64 of the raw 32-byte public key.
    pub public_key: String,
    /// First 16 hex digits of the SHA-256 of the raw public key.
    pub fingerprint: String,
}

/// Caps on what [`verify`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries a bundle may have.
    pub max_entries: usize,
    /// Largest uncompressed entry, bytes.
    pub max_entry_size: u64,
    /// Largest uncompressed total (and largest zip file), bytes.
    pub max_total_size: u64,
}

impl Default for Limits {
    /// 64 entries, 128 MiB per entry, 256 MiB in all.
    fn default() -> Self {
        Limits {
            max_entries: 64,
            max_entry_size: 128 << 20,
            max_total_size: 256 << 20,
        }
    }
}

/// Why a bundle could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not a zip archive Plugfest can read.
    #[error("not a readable zip archive: {0}")]
    NotZip(String),
    /// The archive breaks a safety rule (DESIGN §7); nothing of it was used.
    #[error("refused: {0}")]
    Unsafe(String),
    /// Writing the zip failed.
    #[error("writing the zip: {0}")]
    Write(String),
    /// The manifest could not be serialised.
    #[error("serialising the manifest: {0}")]
    Json(#[from] serde_json::Error),
}

impl BundleError {
    /// True when the input was read but is not an acceptable bundle (exit 1); false when it
    /// could not be read at all (exit 2).
    pub fn is_invalid(&self) -> bool {
        matches!(self, BundleError::Unsafe(_))
    }
}

/// One thing wrong with a bundle, named for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A listed file's bytes differ from the manifest.
    Changed {
        /// File name.
        name: String,
        /// Digest in the manifest.
        expected: String,
        /// Digest of the bytes in the bundle.
        actual: String,
    },
    /// A listed file is missing.
    Removed {
        /// File name.
        name: String,
    },
    /// A file is in the bundle but not in the manifest.
    Added {
        /// File name.
        name: String,
    },
    /// `manifest.json` or `manifest.sig` is missing.
    Missing {
        /// File name.
        name: String,
    },
    /// The manifest cannot be read (bad JSON, unknown format, bad names, bad key).
    BadManifest(String),
    /// The signature does not match the manifest under the key it names.
    BadSignature {
        /// Fingerprint of the key in the manifest.
        fingerprint: String,
    },
    /// The manifest was signed by another key than the one expected.
    WrongKey {
        /// Fingerprint of the key that signed it.
        signed_by: String,
        /// Fingerprint of the key given with `--key`.
        expected: String,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Changed {
                name,
                expected,
                actual,
            } => write!(
                f,
                "{name} was changed: its SHA-256 is {actual}, the manifest says {expected}"
            ),
            Problem::Removed { name } => write!(
                f,
                "{name} was removed: the manifest lists it, the bundle does not have it"
            ),
            Problem::Added { name } => write!(
                f,
                "{name} was added: it is in the bundle but not in the manifest"
            ),
            Problem::Missing { name } => write!(f, "{name} is missing from the bundle"),
            Problem::BadManifest(m) => write!(f, "{MANIFEST} is not a valid manifest: {m}"),
            Problem::BadSignature { fingerprint } => write!(
                f,
                "{MANIFEST} was changed after signing: {SIGNATURE} is not a signature of it by the key it names ({fingerprint})"
            ),
            Problem::WrongKey {
                signed_by,
                expected,
            } => write!(f, "signed by {signed_by}, expected {expected}"),
        }
    }
}

/// The outcome of [`verify`].
#[derive(Debug, Clone)]
pub struct Verification {
    /// The manifest, when it could be read.
    pub manifest: Option<Manifest>,
    /// The key named in the manifest, when it could be read.
    pub signer: Option<PublicKey>,
    /// Everything wrong; empty when the bundle is intact and its signature valid.
    pub problems: Vec<Problem>,
    /// Whether the signer was compared with an expected key (`--key`).
    pub key_checked: bool,
}

impl Verification {
    /// Intact, validly signed, and — when a key was given — signed by that key.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The files and metadata of one bundle, before signing.
pub fn manifest_for(
    record: &RunRecord,
    files: &[(String, Vec<u8>)],
    key: &PublicKey,
    created: &str,
) -> Manifest {
    Manifest {
        format: FORMAT.into(),
        product: record.product.clone(),
        plugfest: record.plugfest.clone(),
        created: created.into(),
        files: files
            .iter()
            .map(|(name, bytes)| FileEntry {
                name: name.clone(),
                sha256: sha256_hex(bytes),
                size: bytes.len() as u64,
            })
            .collect(),
        signer: Signer {
            algorithm: ALGORITHM.into(),
            public_key: key.to_base64(),
            fingerprint: key.fingerprint(),
        },
    }
}

/// The zip bytes of a signed bundle of `files` (name, bytes), made at `created` (RFC 3339).
///
/// Names must be safe (see the module docs) and distinct from [`MANIFEST`] and [`SIGNATURE`].
pub fn build(
    record: &RunRecord,
    files: &[(String, Vec<u8>)],
    key: &SigningKey,
    created: &str,
) -> Result<Vec<u8>, BundleError> {
    let mut seen = BTreeSet::new();
    for (name, _) in files {
        check_name(name).map_err(BundleError::Write)?;
        if name == MANIFEST || name == SIGNATURE || !seen.insert(name.as_str()) {
            return Err(BundleError::Write(format!("file name `{name}` used twice")));
        }
    }
    let manifest = manifest_for(record, files, &key.public_key(), created);
    let mut manifest_bytes = serde_json::to_vec_pretty(&manifest)?;
    manifest_bytes.push(b'\n');
    let signature = format!("{}\n", STANDARD.encode(key.sign(&manifest_bytes)));
    let entries = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .chain([
            (MANIFEST, manifest_bytes.as_slice()),
            (SIGNATURE, signature.as_bytes()),
        ]);
    zip_entries(entries)
}

/// A zip of `entries` (name, bytes), deflated, in the given order.
pub fn zip_entries<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, BundleError> {
    use std::io::Write as _;
    let err = |e: &dyn std::fmt::Display| BundleError::Write(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        zip.start_file(name, options).map_err(|e| err(&e))?;
        zip.write_all(bytes).map_err(|e| err(&e))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

/// Build a bundle of the report files at `paths` (named by their file names) and write it to
/// `bundle` (folder created if needed) through a temporary file renamed into place.
/// Returns the manifest and the SHA-256 of the zip file.
pub fn write(
    bundle: &Path,
    record: &RunRecord,
    paths: &[PathBuf],
    key: &SigningKey,
) -> Result<(Manifest, String), BundleError> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| BundleError::Write(format!("{} has no file name", path.display())))?
            .to_string();
        let bytes = std::fs::read(path).map_err(|source| BundleError::Io {
            path: path.clone(),
            source,
        })?;
        files.push((name, bytes));
    }
    let created = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| BundleError::Write(e.to_string()))?;
    let zip = build(record, &files, key, &created)?;
    let io = |source| BundleError::Io {
        path: bundle.to_path_buf(),
        source,
    };
    if let Some(dir) = bundle.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut tmp = bundle.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, &zip).map_err(io)?;
    std::fs::rename(&tmp, bundle).map_err(io)?;
    let manifest = manifest_for(record, &files, &key.public_key(), &created);
    Ok((manifest, sha256_hex(&zip)))
}

/// Why `name` may not be an entry name, if it may not.
fn check_name(name: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("entry name `{}` {why}", name.escape_debug()));
    if name.is_empty() {
        return bad("is empty");
    }
    if name.len() > 255 {
        return bad("is longer than 255 bytes");
    }
    if name.starts_with('/') || name.contains(':') {
        return bad("is an absolute path");
    }
    if name.contains('\\') {
        return bad("contains a backslash");
    }
    if name.chars().any(char::is_control) {
        return bad("contains a control character");
    }
    if name
        .split('/')
        .any(|c| c == ".." || c == "." || c.is_empty())
    {
        return bad("contains `..`, `.` or an empty path segment");
    }
    Ok(())
}

/// Every entry of the zip at `path` (name, bytes), in archive order, under `limits`.
///
/// Every name, kind and declared size is checked before any entry is decompressed.
pub fn read_entries(path: &Path, limits: Limits) -> Result<Vec<(String, Vec<u8>)>, BundleError> {
    let io = |source| BundleError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > limits.max_total_size {
        return Err(BundleError::Unsafe(format!(
            "the file is {len} bytes, more than the {} allowed",
            limits.max_total_size
        )));
    }
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| BundleError::NotZip(e.to_string()))?;
    if zip.len() > limits.max_entries {
        return Err(BundleError::Unsafe(format!(
            "{} entries, more than the {} allowed",
            zip.len(),
            limits.max_entries
        )));
    }
    // Pass 1: metadata only.
    let mut names = Vec::with_capacity(zip.len());
    let mut seen = BTreeSet::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| BundleError::NotZip(e.to_string()))?;
        let name = String::from_utf8(entry.name_raw().to_vec())
            .map_err(|_| BundleError::Unsafe("an entry name is not UTF-8".into()))?;
        check_name(&name).map_err(BundleError::Unsafe)?;
        if entry.is_dir() || entry.is_symlink() || !entry.is_file() {
            return Err(BundleError::Unsafe(format!(
                "entry `{name}` is a folder or a link, not a file"
            )));
        }
        if !seen.insert(name.clone()) {
            return Err(BundleError::Unsafe(format!("entry `{name}` appears twice")));
        }
        let size = entry.size();
        if size > limits.max_entry_size {
            return Err(BundleError::Unsafe(format!(
                "entry `{name}` is {size} bytes uncompressed, more than the {} allowed",
                limits.max_entry_size
            )));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_size {
            return Err(BundleError::Unsafe(format!(
                "the entries are more than {} bytes uncompressed in all",
                limits.max_total_size
            )));
        }
        names.push(name);
    }
    // Pass 2: the data, capped again in case a header lies about the size.
    let mut out = Vec::with_capacity(names.len());
    let mut total: u64 = 0;
    for (i, name) in names.into_iter().enumerate() {
        let entry = zip
            .by_index(i)
            .map_err(|e| BundleError::NotZip(format!("{name}: {e}")))?;
        let declared = entry.size();
        let mut bytes = Vec::with_capacity(declared.min(limits.max_entry_size) as usize);
        entry
            .take(limits.max_entry_size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| BundleError::NotZip(format!("{name}: {e}")))?;
        let size = bytes.len() as u64;
        total = total.saturating_add(size);
        if size > limits.max_entry_size || size != declared || total > limits.max_total_size {
            return Err(BundleError::Unsafe(format!(
                "entry `{name}` holds more data than it declares or than is allowed"
            )));
        }
        out.push((name, bytes));
    }
    Ok(out)
}

/// Check the bundle at `path`: every digest and size against the manifest, no file added or
/// removed, the signature over the manifest's exact bytes, and — with `expected` — that the
/// signer is that key.
///
/// `Err` when the file cannot be read as a zip or breaks a safety rule; otherwise every problem
/// found is in [`Verification::problems`].
pub fn verify(
    path: &Path,
    expected: Option<&PublicKey>,
    limits: Limits,
) -> Result<Verification, BundleError> {
    let entries = read_entries(path, limits)?;
    Ok(verify_entries(&entries, expected))
}

/// [`verify`] on entries already read.
pub fn verify_entries(entries: &[(String, Vec<u8>)], expected: Option<&PublicKey>) -> Verification {
    let mut v = Verification {
        manifest: None,
        signer: None,
        problems: Vec::new(),
        key_checked: expected.is_some(),
    };
    let get = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, b)| b);
    let (Some(manifest_bytes), Some(sig_bytes)) = (get(MANIFEST), get(SIGNATURE)) else {
        for name in [MANIFEST, SIGNATURE] {
            if get(name).is_none() {
                v.problems.push(Problem::Missing { name: name.into() });
            }
        }
        return v;
    };
    let manifest: Manifest = match serde_json::from_slice(manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            v.problems.push(Problem::BadManifest(e.to_string()));
            return v;
        }
    };
    if manifest.format != FORMAT {
        v.problems.push(Problem::BadManifest(format!(
            "format `{}`, this Plugfest reads `{FORMAT}`",
            manifest.format
        )));
        return v;
    }
    if manifest.signer.algorithm != ALGORITHM {
        v.problems.push(Problem::BadManifest(format!(
            "signature algorithm `{}`, expected `{ALGORITHM}`",
            manifest.signer.algorithm
        )));
        return v;
    }
    let signer = match PublicKey::from_base64(&manifest.signer.public_key) {
        Ok(k) => k,
        Err(e) => {
            v.problems.push(Problem::BadManifest(e.to_string()));
            return v;
        }
    };
    // The signature first: if it fails, every other statement of the manifest is suspect.
    let signature_ok = std::str::from_utf8(sig_bytes)
        .ok()
        .and_then(|s| STANDARD.decode(s.trim()).ok())
        .is_some_and(|sig| signer.verify(manifest_bytes, &sig));
    if !signature_ok {
        v.problems.push(Problem::BadSignature {
            fingerprint: signer.fingerprint(),
        });
    }
    if manifest.signer.fingerprint != signer.fingerprint() {
        v.problems.push(Problem::BadManifest(format!(
            "fingerprint {} does not belong to its public key ({})",
            manifest.signer.fingerprint,
            signer.fingerprint()
        )));
    }
    if let Some(expected) = expected
        && *expected != signer
    {
        v.problems.push(Problem::WrongKey {
            signed_by: signer.fingerprint(),
            expected: expected.fingerprint(),
        });
    }
    let mut listed = BTreeSet::new();
    for f in &manifest.files {
        if let Err(e) = check_name(&f.name) {
            v.problems.push(Problem::BadManifest(e));
            continue;
        }
        if f.name == MANIFEST || f.name == SIGNATURE || !listed.insert(f.name.as_str()) {
            v.problems.push(Problem::BadManifest(format!(
                "`{}` is listed twice",
                f.name
            )));
            continue;
        }
        match get(&f.name) {
            None => v.problems.push(Problem::Removed {
                name: f.name.clone(),
            }),
            Some(bytes) => {
                let actual = sha256_hex(bytes);
                if actual != f.sha256 || bytes.len() as u64 != f.size {
                    v.problems.push(Problem::Changed {
                        name: f.name.clone(),
                        expected: f.sha256.clone(),
                        actual,
                    });
                }
            }
        }
    }
    for (name, _) in entries {
        if name != MANIFEST && name != SIGNATURE && !listed.contains(name.as_str()) {
            v.problems.push(Problem::Added { name: name.clone() });
        }
    }
    v.signer = Some(signer);
    v.manifest = Some(manifest);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use plugfest_core::record::{RECORD_VERSION, RunInfo};

    fn record() -> RunRecord {
        RunRecord {
            record_version: RECORD_VERSION.into(),
            plugfest: Harness {
                version: "0.1.0".into(),
                commit: "abc".into(),
            },
            product: Product {
                name: "Acme Tool".into(),
                vendor: "Acme".into(),
                version: "2.0".into(),
            },
            run: RunInfo {
                started: String::new(),
                finished: String::new(),
                seed: String::new(),
                config_digest: String::new(),
                catalogue_digest: String::new(),
                features_digest: String::new(),
                suites: vec![],
                tags: None,
                custom: false,
                filtered: false,
                evidence: "masked".into(),
            },
            profiles: vec![],
            results: vec![],
            notes: vec![],
        }
    }

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("run.json".into(), b"{\"a\": 1}\n".to_vec()),
            ("report.html".into(), b"<!doctype html><p>ok</p>".to_vec()),
        ]
    }

    fn key() -> SigningKey {
        SigningKey::generate().expect("key").0
    }

    /// Entries of a built bundle, as `verify` would read them.
    fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let dir = std::env::temp_dir().join(format!("plugfest-bundle-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join(format!("{}.zip", sha256_hex(zip)));
        std::fs::write(&path, zip).expect("write");
        let out = read_entries(&path, Limits::default()).expect("read");
        let _ = std::fs::remove_file(&path);
        out
    }

    fn replace(entries: &mut [(String, Vec<u8>)], name: &str, bytes: Vec<u8>) {
        entries
            .iter_mut()
            .find(|(n, _)| n == name)
            .expect("entry")
            .1 = bytes;
    }

    #[test]
    fn manifest_lists_every_file_with_digest_and_size_and_the_signer() {
        let key = key();
        let m = manifest_for(
            &record(),
            &files(),
            &key.public_key(),
            "2026-01-01T00:00:00Z",
        );
        assert_eq!(m.format, FORMAT);
        assert_eq!(m.product.name, "Acme Tool");
        assert_eq!(m.plugfest.commit, "abc");
        assert_eq!(m.files.len(), 2);
        assert_eq!(m.files[0].name, "run.json");
        assert_eq!(m.files[0].sha256, sha256_hex(b"{\"a\": 1}\n"));
        assert_eq!(m.files[0].size, 9);
        assert_eq!(m.signer.fingerprint, key.public_key().fingerprint());
        assert_eq!(m.signer.public_key, key.public_key().to_base64());
    }

    #[test]
    fn an_intact_bundle_verifies_with_and_without_the_expected_key() {
        let key = key();
        let zip = build(&record(), &files(), &key, "2026-01-01T00:00:00Z").expect("build");
        let e = entries(&zip);
        let names: Vec<_> = e.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["run.json", "report.html", MANIFEST, SIGNATURE]);
        let v = verify_entries(&e, Some(&key.public_key()));
        assert!(v.is_valid(), "{:?}", v.problems);
        assert!(v.key_checked);
        assert_eq!(v.signer, Some(key.public_key()));
        let v = verify_entries(&e, None);
        assert!(v.is_valid() && !v.key_checked, "{:?}", v.problems);
    }

    #[test]
    fn each_tampering_is_named() {
        let key = key();
        let zip = build(&record(), &files(), &key, "2026-01-01T00:00:00Z").expect("build");
        let good = entries(&zip);
        let pk = key.public_key();

        let mut e = good.clone();
        replace(&mut e, "report.html", b"<!doctype html><p>OK</p>".to_vec());
        let p = verify_entries(&e, Some(&pk)).problems;
        assert!(
            matches!(&p[..], [Problem::Changed { name, .. }] if name == "report.html"),
            "{p:?}"
        );

        let e: Vec<_> = good
            .iter()
            .filter(|(n, _)| n != "run.json")
            .cloned()
            .collect();
        let p = verify_entries(&e, Some(&pk)).problems;
        assert_eq!(
            p,
            [Problem::Removed {
                name: "run.json".into()
            }]
        );

        let mut e = good.clone();
        e.push(("extra.txt".into(), b"x".to_vec()));
        let p = verify_entries(&e, Some(&pk)).problems;
        assert_eq!(
            p,
            [Problem::Added {
                name: "extra.txt".into()
            }]
        );

        let mut e = good.clone();
        let edited = String::from_utf8(e[2].1.clone())
            .expect("utf8")
            .replace("Acme Tool", "Acme Tooo");
        replace(&mut e, MANIFEST, edited.into_bytes());
        let p = verify_entries(&e, Some(&pk)).problems;
        assert_eq!(
            p,
            [Problem::BadSignature {
                fingerprint: pk.fingerprint()
            }]
        );

        // Re-signed by someone else: intact on its own terms, but not by the expected key.
        let other = SigningKey::generate().expect("key").0;
        let mut forged = files();
        forged[1].1 = b"<p>all good, trust me</p>".to_vec();
        let zip = build(&record(), &forged, &other, "2026-01-01T00:00:00Z").expect("build");
        let e = entries(&zip);
        assert!(verify_entries(&e, None).is_valid());
        let p = verify_entries(&e, Some(&pk)).problems;
        assert_eq!(
            p,
            [Problem::WrongKey {
                signed_by: other.public_key().fingerprint(),
                expected: pk.fingerprint()
            }]
        );
        assert_eq!(
            p[0].to_string(),
            format!(
                "signed by {}, expected {}",
                other.public_key().fingerprint(),
                pk.fingerprint()
            )
        );

        let e: Vec<_> = good
            .iter()
            .filter(|(n, _)| n != SIGNATURE)
            .cloned()
            .collect();
        assert_eq!(
            verify_entries(&e, None).problems,
            [Problem::Missing {
                name: SIGNATURE.into()
            }]
        );
    }

    #[test]
    fn unsafe_archives_are_refused_before_reading_data() {
        let dir =
            std::env::temp_dir().join(format!("plugfest-bundle-unsafe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let read = |name: &str, zip: Vec<u8>, limits: Limits| {
            let path = dir.join(name);
            std::fs::write(&path, zip).expect("write");
            read_entries(&path, limits)
        };
        let small = Limits {
            max_entries: 3,
            max_entry_size: 1000,
            max_total_size: 1500,
        };
        for evil in [
            "../evil",
            "/etc/evil",
            "a/../../evil",
            "c:/evil",
            "a\\..\\evil",
        ] {
            let zip = zip_entries([("ok.txt", &b"ok"[..]), (evil, &b"x"[..])]).expect("zip");
            let err = read("evil.zip", zip, small).expect_err(evil);
            assert!(
                err.is_invalid() && err.to_string().contains("entry name"),
                "{evil}: {err}"
            );
        }
        let big = vec![0u8; 1001];
        let zip = zip_entries([("big.bin", big.as_slice())]).expect("zip");
        let err = read("big.zip", zip, small).expect_err("oversized");
        assert!(
            err.to_string().contains("more than the 1000 allowed"),
            "{err}"
        );
        let zip = zip_entries([("a", &[0u8; 800][..]), ("b", &[0u8; 800][..])]).expect("zip");
        let err = read("total.zip", zip, small).expect_err("total");
        assert!(err.to_string().contains("in all"), "{err}");
        let zip = zip_entries([
            ("a", &b""[..]),
            ("b", &b""[..]),
            ("c", &b""[..]),
            ("d", &b""[..]),
        ])
        .expect("zip");
        let err = read("many.zip", zip, small).expect_err("count");
        assert!(err.to_string().contains("4 entries"), "{err}");
        let err = read("junk.zip", b"not a zip".to_vec(), small).expect_err("junk");
        assert!(!err.is_invalid(), "unreadable, not invalid: {err}");
        let zip = zip_entries([("a", &b"1"[..]), ("b", &b"2"[..])]).expect("zip");
        assert_eq!(read("fine.zip", zip, small).expect("fine").len(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn build_refuses_reserved_or_unsafe_names() {
        let key = key();
        for name in [MANIFEST, "../x"] {
            let files = vec![(name.to_string(), b"x".to_vec())];
            assert!(build(&record(), &files, &key, "t").is_err(), "{name}");
        }
    }
}
