//! Opening an input — a zip (by extension or by its magic bytes), a folder, or one XML file — as a
//! [`Package`], safely (DESIGN §7 "Never trust the vendor").
//!
//! Nothing is ever extracted to disk and nothing an archive says is followed: entries that climb
//! out (`..`), absolute names and drive letters, backslashes, symbolic links, duplicate names (also
//! case-insensitively), names with control characters, too many entries, entries or totals over
//! the caps and compression ratios over the cap are reported as `PKG-ZIP-…` findings and left
//! out. Every entry is read through a [`Read::take`] sized by the caps, so a header that lies
//! about sizes cannot make Plugfest allocate more than the caps allow. A folder is walked without
//! following symbolic links; a single XML file becomes a package of that one file.

use crate::finding::{Finding, Location};
use crate::package::Package;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The archive cannot be read as a zip at all (corrupt, truncated, not a zip).
pub const ZIP_UNREADABLE: &str = "PKG-ZIP-001";
/// An entry name leaves the package: `..`, a leading `/`, a drive letter or a UNC name.
pub const ZIP_TRAVERSAL: &str = "PKG-ZIP-002";
/// An entry name uses backslashes as separators.
pub const ZIP_BACKSLASH: &str = "PKG-ZIP-003";
/// An entry is a symbolic link.
pub const ZIP_SYMLINK: &str = "PKG-ZIP-004";
/// Two entries share a name, exactly or ignoring case.
pub const ZIP_DUPLICATE: &str = "PKG-ZIP-005";
/// An entry name is empty or holds control characters (NUL included) or empty path segments.
pub const ZIP_BAD_NAME: &str = "PKG-ZIP-006";
/// An entry is larger than the per-entry cap.
pub const ZIP_ENTRY_TOO_LARGE: &str = "PKG-ZIP-007";
/// The package's files together are larger than the total cap.
pub const ZIP_TOTAL_TOO_LARGE: &str = "PKG-ZIP-008";
/// An entry inflates more than the compression-ratio cap allows (a zip bomb).
pub const ZIP_RATIO: &str = "PKG-ZIP-009";
/// The package has more entries than the entry-count cap.
pub const ZIP_TOO_MANY_ENTRIES: &str = "PKG-ZIP-010";
/// One entry cannot be read: encrypted, an unsupported compression method, a bad checksum or
/// truncated data.
pub const ZIP_ENTRY_UNREADABLE: &str = "PKG-ZIP-011";

/// Every rule ID this module reports.
pub const ZIP_RULES: [&str; 11] = [
    ZIP_UNREADABLE,
    ZIP_TRAVERSAL,
    ZIP_BACKSLASH,
    ZIP_SYMLINK,
    ZIP_DUPLICATE,
    ZIP_BAD_NAME,
    ZIP_ENTRY_TOO_LARGE,
    ZIP_TOTAL_TOO_LARGE,
    ZIP_RATIO,
    ZIP_TOO_MANY_ENTRIES,
    ZIP_ENTRY_UNREADABLE,
];

/// Caps on what one input may hold; an input over a cap is reported, never read past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries (files, folders, links) in a zip or folder. Default 4096.
    pub max_entries: usize,
    /// Largest single file, uncompressed. Default 256 MiB.
    pub max_entry_bytes: u64,
    /// Largest sum of the files, uncompressed. Default 1 GiB.
    pub max_total_bytes: u64,
    /// Largest ratio of an entry's inflated size to its compressed size. Default 200.
    pub max_ratio: u64,
    /// Entries inflating to no more than this are never judged by ratio (small, repetitive
    /// files compress extremely well). Default 1 MiB.
    pub ratio_floor_bytes: u64,
    /// Most nodes one XML document may have when parsed. Default 4,000,000.
    pub max_xml_nodes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 4096,
            max_entry_bytes: 256 << 20,
            max_total_bytes: 1 << 30,
            max_ratio: 200,
            ratio_floor_bytes: 1 << 20,
            max_xml_nodes: 4_000_000,
        }
    }
}

/// What an input turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// A zip archive (any extension: `.zip`, `.imscc`, `.iwb`, … or the zip magic bytes).
    Zip,
    /// A folder: an unzipped package.
    Folder,
    /// One file (normally XML), with the test items it references when it is a test.
    File,
}

/// An opened input: the package, what was wrong with the container itself, and what it was.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The files that could be read safely.
    pub package: Package,
    /// `PKG-ZIP-…` findings.
    pub findings: Vec<Finding>,
    /// Zip, folder or single file.
    pub kind: InputKind,
    /// For [`InputKind::File`]: the package path of the file that was named (its file name).
    pub main: Option<String>,
}

/// Why an input could not be opened at all (it does not exist, or cannot be read): the run
/// could not judge it, which is not a finding about the product.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot open {path}: {reason}")]
pub struct OpenError {
    /// The input as named.
    pub path: String,
    /// What the file system said.
    pub reason: String,
}

/// Opens `path` as a zip, folder or single file (an `imsmanifest.xml` named on its own opens
/// the folder around it). Only a path that cannot be read at all is an error; everything wrong
/// inside it is a finding.
pub fn open(path: &Path, limits: &Limits) -> Result<Opened, OpenError> {
    let name = path.display().to_string();
    let fail = |e: std::io::Error| OpenError {
        path: name.clone(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    if meta.is_dir() {
        return Ok(open_folder(&name, path, limits));
    }
    // A manifest named on its own stands for the package around it.
    let is_manifest = path
        .file_name()
        .is_some_and(|n| n.eq_ignore_ascii_case("imsmanifest.xml"));
    if meta.is_file() && is_manifest {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        return Ok(open_folder(&parent.display().to_string(), &parent, limits));
    }
    if !meta.is_file() {
        return Err(OpenError {
            path: name,
            reason: "not a regular file or folder".into(),
        });
    }
    let mut file = std::fs::File::open(path).map_err(fail)?;
    let mut magic = [0u8; 4];
    let got = read_up_to(&mut file, &mut magic).map_err(fail)?;
    if is_zip_name(&name) || is_zip_magic(&magic[..got]) {
        file.seek(SeekFrom::Start(0)).map_err(fail)?;
        let len = meta.len();
        return Ok(open_zip_reader(&name, file, len, limits));
    }
    drop(file);
    Ok(open_single_file(&name, path, limits))
}

/// Opens zip bytes already in memory (a downloaded export, say) named `name`.
pub fn open_zip_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Opened {
    open_zip_reader(
        name,
        std::io::Cursor::new(bytes),
        bytes.len() as u64,
        limits,
    )
}

/// True for the local-file, empty-archive and spanned-archive signatures.
pub fn is_zip_magic(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] | [b'P', b'K', 7, 8, ..]
    )
}

fn is_zip_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".zip", ".imscc", ".iwb", ".imscp", ".thincc"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Collects findings against one input.
struct Report<'a> {
    input: &'a str,
    findings: Vec<Finding>,
}

impl Report<'_> {
    fn input(&mut self, rule: &str, message: impl Into<String>) {
        self.findings.push(Finding {
            rule: rule.into(),
            location: Location::input(self.input),
            message: message.into(),
        });
    }

    fn entry(&mut self, rule: &str, entry: &str, message: impl Into<String>) {
        self.findings.push(Finding {
            rule: rule.into(),
            location: Location::file(self.input, entry),
            message: message.into(),
        });
    }

    /// [`ZIP_ENTRY_UNREADABLE`] against `entry`: `what` (an entry, a file, a folder) cannot be
    /// read, and why.
    fn unreadable(&mut self, entry: &str, what: &str, err: impl std::fmt::Display) {
        self.entry(
            ZIP_ENTRY_UNREADABLE,
            entry,
            format!("{what} cannot be read: {err}"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Entry names

/// What is wrong with an entry name, if anything.
#[derive(Debug, PartialEq, Eq)]
enum NameProblem {
    Bad(String),
    Backslash,
    Traversal(String),
}

/// The package path for a raw entry name (`./` parts dropped, a trailing `/` kept off), or what
/// is wrong with it. Checked in the order: bad characters, backslash, escape.
fn check_name(raw: &str) -> Result<String, NameProblem> {
    if raw.is_empty() {
        return Err(NameProblem::Bad("the name is empty".into()));
    }
    if let Some(c) = raw.chars().find(|c| c.is_control()) {
        return Err(NameProblem::Bad(format!(
            "the name holds the control character U+{:04X}",
            c as u32
        )));
    }
    if raw.contains('\\') {
        return Err(NameProblem::Backslash);
    }
    if raw.starts_with('/') {
        return Err(NameProblem::Traversal(
            "the name is absolute (starts with `/`)".into(),
        ));
    }
    let bytes = raw.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(NameProblem::Traversal(
            "the name starts with a drive letter".into(),
        ));
    }
    let trimmed = raw.strip_suffix('/').unwrap_or(raw);
    let mut parts = Vec::new();
    for part in trimmed.split('/') {
        match part {
            ".." => {
                return Err(NameProblem::Traversal(
                    "the name climbs out with `..`".into(),
                ));
            }
            "." => {}
            "" => {
                return Err(NameProblem::Bad(
                    "the name has an empty path segment (`//`)".into(),
                ));
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(NameProblem::Bad("the name names no file".into()));
    }
    Ok(parts.join("/"))
}

/// The package path for `raw`, or `None` after reporting what is wrong with it. The root
/// folder entry some tools write (`./`) is skipped silently.
fn report_name(report: &mut Report<'_>, raw: &str) -> Option<String> {
    if raw == "./" {
        return None;
    }
    match check_name(raw) {
        Ok(p) => Some(p),
        Err(NameProblem::Bad(why)) => {
            report.entry(
                ZIP_BAD_NAME,
                &printable(raw),
                format!("entry refused: {why}"),
            );
            None
        }
        Err(NameProblem::Backslash) => {
            report.entry(
                ZIP_BACKSLASH,
                &printable(raw),
                "entry refused: the name uses `\\` as a path separator; zip names use `/` only",
            );
            None
        }
        Err(NameProblem::Traversal(why)) => {
            report.entry(
                ZIP_TRAVERSAL,
                &printable(raw),
                format!("entry refused and not followed: {why}, outside the package"),
            );
            None
        }
    }
}

/// A name safe to print: control characters escaped.
fn printable(raw: &str) -> String {
    let mut s = String::new();
    for c in raw.chars() {
        if c.is_control() {
            s.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            s.push(c);
        }
    }
    if s.is_empty() {
        "(empty name)".into()
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Zip

/// The central directory as Plugfest reads it itself, before trusting the zip crate: how many
/// entries it declares and the raw names (to find duplicates the crate would merge).
struct Directory {
    entries: u64,
    names: Option<Vec<Vec<u8>>>,
}

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD64_LOCATOR_SIG: u32 = 0x0706_4b50;
const EOCD64_SIG: u32 = 0x0606_4b50;
const CDFH_SIG: u32 = 0x0201_4b50;
/// Largest central directory Plugfest reads (names included).
const MAX_DIRECTORY_BYTES: u64 = 64 << 20;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}
fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

fn read_at<R: Read + Seek>(r: &mut R, at: u64, len: usize) -> Option<Vec<u8>> {
    r.seek(SeekFrom::Start(at)).ok()?;
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// Reads the end-of-central-directory record(s) and, when the directory is small enough, the
/// raw entry names. `None` when no EOCD is found (the zip crate then says what is wrong).
fn scan_directory<R: Read + Seek>(r: &mut R, len: u64) -> Option<Directory> {
    let tail_len = len.min(22 + 65_535) as usize;
    let tail_start = len - tail_len as u64;
    let tail = read_at(r, tail_start, tail_len)?;
    let eocd = (0..=tail_len.checked_sub(22)?)
        .rev()
        .find(|&i| u32_at(&tail, i) == Some(EOCD_SIG))?;
    let mut entries = u64::from(u16_at(&tail, eocd + 10)?);
    let mut dir_size = u64::from(u32_at(&tail, eocd + 12)?);
    let mut dir_end = tail_start + eocd as u64;
    // Zip64: the locator sits right before the EOCD and points at the zip64 record.
    if eocd >= 20 && u32_at(&tail, eocd - 20) == Some(EOCD64_LOCATOR_SIG) {
        let rec_at = u64_at(&tail, eocd - 20 + 8)?;
        // Archives with a prefix shift offsets; the record sits right before the locator.
        let guess = (tail_start + eocd as u64).checked_sub(20 + 56);
        let rec = [Some(rec_at), guess]
            .into_iter()
            .flatten()
            .filter_map(|at| read_at(r, at, 56).map(|b| (at, b)))
            .find(|(_, b)| u32_at(b, 0) == Some(EOCD64_SIG));
        if let Some((at, rec)) = rec {
            entries = u64_at(&rec, 32)?;
            dir_size = u64_at(&rec, 40)?;
            dir_end = at;
        }
    }
    let names = (dir_size <= MAX_DIRECTORY_BYTES)
        .then(|| {
            let start = dir_end.checked_sub(dir_size)?;
            let dir = read_at(r, start, dir_size as usize)?;
            let mut names = Vec::new();
            let mut i = 0usize;
            while (names.len() as u64) < entries {
                if u32_at(&dir, i)? != CDFH_SIG {
                    return None;
                }
                let n = u16_at(&dir, i + 28)? as usize;
                let x = u16_at(&dir, i + 30)? as usize;
                let c = u16_at(&dir, i + 32)? as usize;
                names.push(dir.get(i + 46..i + 46 + n)?.to_vec());
                i += 46 + n + x + c;
            }
            Some(names)
        })
        .flatten();
    Some(Directory { entries, names })
}

fn open_zip_reader<R: Read + Seek>(name: &str, mut reader: R, len: u64, limits: &Limits) -> Opened {
    let mut report = Report {
        input: name,
        findings: Vec::new(),
    };
    let mut files = BTreeMap::new();
    read_zip(&mut reader, len, limits, &mut report, &mut files);
    Opened {
        package: Package::from_files(name, files),
        findings: report.findings,
        kind: InputKind::Zip,
        main: None,
    }
}

fn read_zip<R: Read + Seek>(
    reader: &mut R,
    len: u64,
    limits: &Limits,
    report: &mut Report<'_>,
    files: &mut BTreeMap<String, Vec<u8>>,
) {
    // The archive's own size first: a zip larger than the total cap is not opened.
    if len > limits.max_total_bytes {
        report.input(
            ZIP_TOTAL_TOO_LARGE,
            format!(
                "the archive is {len} bytes, over the {}-byte cap on a package; nothing was read",
                limits.max_total_bytes
            ),
        );
        return;
    }
    let directory = scan_directory(reader, len);
    if let Some(d) = &directory
        && d.entries > limits.max_entries as u64
    {
        report.input(
            ZIP_TOO_MANY_ENTRIES,
            format!(
                "the archive declares {} entries, over the cap of {}; nothing was read",
                d.entries, limits.max_entries
            ),
        );
        return;
    }
    if reader.seek(SeekFrom::Start(0)).is_err() {
        report.input(ZIP_UNREADABLE, "the archive cannot be read (seek failed)");
        return;
    }
    let mut archive = match zip::ZipArchive::new(&mut *reader) {
        Ok(a) => a,
        Err(e) => {
            report.input(
                ZIP_UNREADABLE,
                format!("the file is not a readable zip archive: {e}"),
            );
            return;
        }
    };
    if archive.len() > limits.max_entries {
        report.input(
            ZIP_TOO_MANY_ENTRIES,
            format!(
                "the archive has {} entries, over the cap of {}; nothing was read",
                archive.len(),
                limits.max_entries
            ),
        );
        return;
    }

    // Names listed more than once in the central directory: the zip crate keeps one of them,
    // so which bytes it would give is unclear. Refuse every such name.
    let mut refused: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
    match directory.as_ref().and_then(|d| d.names.as_ref()) {
        Some(names) => {
            let mut count: HashMap<&[u8], usize> = HashMap::new();
            for n in names {
                *count.entry(n.as_slice()).or_default() += 1;
            }
            let mut dups: Vec<(&[u8], usize)> = count.into_iter().filter(|(_, c)| *c > 1).collect();
            dups.sort();
            for (n, c) in dups {
                let shown = printable(&String::from_utf8_lossy(n));
                report.entry(
                    ZIP_DUPLICATE,
                    &shown,
                    format!("entry refused: the archive holds {c} entries with this exact name"),
                );
                refused.insert(n.to_vec());
            }
        }
        None if archive.has_duplicate_names() => {
            report.input(
                ZIP_DUPLICATE,
                "the archive lists some entry names more than once; the entries cannot be told apart",
            );
        }
        None => {}
    }

    // Names folded to lower case → the first package path seen with it.
    let mut folded: HashMap<String, String> = HashMap::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let (raw, entry_name, size, compressed, mode, is_dir) = match archive.by_index_data(index) {
            Ok(e) => (
                e.name_raw().to_vec(),
                e.name().map(|n| n.into_owned()),
                e.size(),
                e.compressed_size(),
                e.unix_mode(),
                e.is_dir(),
            ),
            Err(err) => {
                report.input(
                    ZIP_ENTRY_UNREADABLE,
                    format!("entry #{index} cannot be read: {err}"),
                );
                continue;
            }
        };
        if refused.contains(&raw) {
            continue;
        }
        let Ok(entry_name) = entry_name else {
            report.entry(
                ZIP_BAD_NAME,
                &printable(&String::from_utf8_lossy(&raw)),
                "entry refused: the name cannot be decoded",
            );
            continue;
        };
        let Some(path) = report_name(report, &entry_name) else {
            continue;
        };
        if mode.is_some_and(|m| m & 0o170000 == 0o120000) {
            report.entry(
                ZIP_SYMLINK,
                &path,
                "entry refused and not followed: it is a symbolic link",
            );
            continue;
        }
        if is_dir {
            continue;
        }
        let lower = path.to_lowercase();
        if let Some(first) = folded.get(&lower) {
            let message = if *first == path {
                "entry refused: another entry has the same name once `./` parts are dropped"
                    .to_string()
            } else {
                format!(
                    "entry refused: its name differs from `{first}` only in letter case, so they collide on case-insensitive file systems"
                )
            };
            report.entry(ZIP_DUPLICATE, &path, message);
            continue;
        }
        folded.insert(lower, path.clone());
        if size > limits.max_entry_bytes {
            report.entry(
                ZIP_ENTRY_TOO_LARGE,
                &path,
                format!(
                    "entry not read: it declares {size} bytes, over the {}-byte cap on one file",
                    limits.max_entry_bytes
                ),
            );
            continue;
        }
        // What may be read of this entry: each cap, whatever the header says.
        let remaining = limits.max_total_bytes.saturating_sub(total);
        let by_ratio = compressed
            .saturating_mul(limits.max_ratio)
            .max(limits.ratio_floor_bytes);
        let allowed = limits.max_entry_bytes.min(remaining).min(by_ratio);
        let mut file = match archive.by_index(index) {
            Ok(f) => f,
            Err(err) => {
                report.unreadable(&path, "entry", err);
                continue;
            }
        };
        let mut bytes = Vec::with_capacity(size.min(allowed).min(1 << 20) as usize);
        let read = (&mut file).take(allowed + 1).read_to_end(&mut bytes);
        drop(file);
        if let Err(err) = read {
            report.unreadable(&path, "entry", err);
            continue;
        }
        let got = bytes.len() as u64;
        if got > allowed {
            drop(bytes);
            if allowed == limits.max_entry_bytes {
                report.entry(
                    ZIP_ENTRY_TOO_LARGE,
                    &path,
                    format!(
                        "entry not read: it inflates past the {}-byte cap on one file (its header said {size} bytes)",
                        limits.max_entry_bytes
                    ),
                );
            } else if allowed == remaining {
                report.entry(
                    ZIP_TOTAL_TOO_LARGE,
                    &path,
                    format!(
                        "reading stopped: the package inflates past the {}-byte cap on the total; this and later entries were not read",
                        limits.max_total_bytes
                    ),
                );
                return;
            } else {
                report.entry(
                    ZIP_RATIO,
                    &path,
                    format!(
                        "entry not read: {compressed} compressed bytes inflate past {allowed} bytes, a ratio over {}:1 (a zip bomb?)",
                        limits.max_ratio
                    ),
                );
            }
            continue;
        }
        total += got;
        files.insert(path.clone(), kept(&path, bytes));
    }
}

/// What is kept of a file of a zip or folder: the bytes of XML files; other files (media, HTML,
/// scripts) by name only, since no check reads them — so a 50 MB cartridge of media costs
/// little memory.
fn kept(path: &str, bytes: Vec<u8>) -> Vec<u8> {
    if crate::detect::is_xml_name(path) {
        bytes
    } else {
        Vec::new()
    }
}

// ---------------------------------------------------------------------------------------------
// Folder

fn open_folder(name: &str, root: &Path, limits: &Limits) -> Opened {
    let mut report = Report {
        input: name,
        findings: Vec::new(),
    };
    let mut files = BTreeMap::new();
    walk_folder(root, limits, &mut report, &mut files);
    Opened {
        package: Package::from_files(name, files),
        findings: report.findings,
        kind: InputKind::Folder,
        main: None,
    }
}

fn walk_folder(
    root: &Path,
    limits: &Limits,
    report: &mut Report<'_>,
    files: &mut BTreeMap<String, Vec<u8>>,
) {
    let mut folded: HashMap<String, String> = HashMap::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    let mut seen = 0usize;
    let mut total = 0u64;
    while let Some((dir, prefix)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(err) => {
                let at = if prefix.is_empty() { "." } else { &prefix };
                report.unreadable(at, "folder", err);
                continue;
            }
        };
        let mut list: Vec<_> = entries.flatten().collect();
        list.sort_by_key(|e| e.file_name());
        for entry in list {
            seen += 1;
            if seen > limits.max_entries {
                report.input(
                    ZIP_TOO_MANY_ENTRIES,
                    format!(
                        "the folder holds more than {} entries; the rest were not read",
                        limits.max_entries
                    ),
                );
                return;
            }
            let os_name = entry.file_name();
            let Some(file_name) = os_name.to_str() else {
                report.entry(
                    ZIP_BAD_NAME,
                    &format!("{prefix}{}", os_name.to_string_lossy()),
                    "entry refused: the name is not valid UTF-8",
                );
                continue;
            };
            let raw = format!("{prefix}{file_name}");
            let Some(path) = report_name(report, &raw) else {
                continue;
            };
            // symlink_metadata: a link is judged as a link, never followed.
            let meta = match entry.path().symlink_metadata() {
                Ok(m) => m,
                Err(err) => {
                    report.unreadable(&path, "entry", err);
                    continue;
                }
            };
            if meta.file_type().is_symlink() {
                report.entry(
                    ZIP_SYMLINK,
                    &path,
                    "entry refused and not followed: it is a symbolic link",
                );
                continue;
            }
            if meta.is_dir() {
                stack.push((entry.path(), format!("{path}/")));
                continue;
            }
            if !meta.is_file() {
                report.entry(
                    ZIP_BAD_NAME,
                    &path,
                    "entry refused: it is neither a regular file nor a folder",
                );
                continue;
            }
            let lower = path.to_lowercase();
            if let Some(first) = folded.get(&lower) {
                report.entry(
                    ZIP_DUPLICATE,
                    &path,
                    format!(
                        "entry refused: its name differs from `{first}` only in letter case, so they collide on case-insensitive file systems"
                    ),
                );
                continue;
            }
            folded.insert(lower, path.clone());
            if !read_file_into(
                report,
                files,
                &entry.path(),
                path,
                limits,
                &mut total,
                |cap| {
                    format!(
                        "reading stopped: the package is over the {cap}-byte cap on the total; this and later files were not read"
                    )
                },
            ) {
                return;
            }
        }
    }
}

/// Reads the regular file `at` into `files` as the package path `path` through the caps,
/// adding its size to `total`. A file over the cap on one file, or one that cannot be read, is
/// reported and left out; one that would take the package over the cap on the total is
/// reported with the message `over_total` makes of that cap, and `false` says to read no more.
fn read_file_into(
    report: &mut Report<'_>,
    files: &mut BTreeMap<String, Vec<u8>>,
    at: &Path,
    path: String,
    limits: &Limits,
    total: &mut u64,
    over_total: impl FnOnce(u64) -> String,
) -> bool {
    match read_capped(at, limits, *total) {
        Ok(bytes) => {
            *total += bytes.len() as u64;
            let bytes = kept(&path, bytes);
            files.insert(path, bytes);
        }
        Err(Capped::Entry) => report.entry(
            ZIP_ENTRY_TOO_LARGE,
            &path,
            format!(
                "file not read: it is over the {}-byte cap on one file",
                limits.max_entry_bytes
            ),
        ),
        Err(Capped::Total) => {
            report.entry(
                ZIP_TOTAL_TOO_LARGE,
                &path,
                over_total(limits.max_total_bytes),
            );
            return false;
        }
        Err(Capped::Io(err)) => report.unreadable(&path, "file", err),
    }
    true
}

enum Capped {
    Entry,
    Total,
    Io(std::io::Error),
}

/// Reads a regular file (never through a link) through a `take` sized by the caps.
fn read_capped(path: &Path, limits: &Limits, total: u64) -> Result<Vec<u8>, Capped> {
    let remaining = limits.max_total_bytes.saturating_sub(total);
    let allowed = limits.max_entry_bytes.min(remaining);
    let file = open_no_follow(path).map_err(Capped::Io)?;
    let declared = file.metadata().map(|m| m.len()).unwrap_or(0);
    if declared > limits.max_entry_bytes {
        return Err(Capped::Entry);
    }
    let mut bytes = Vec::with_capacity(declared.min(allowed).min(1 << 20) as usize);
    file.take(allowed + 1)
        .read_to_end(&mut bytes)
        .map_err(Capped::Io)?;
    if bytes.len() as u64 > allowed {
        return Err(if allowed == limits.max_entry_bytes {
            Capped::Entry
        } else {
            Capped::Total
        });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NOFOLLOW: a link swapped in after the walk looked is refused, not followed.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(0o400000)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

// ---------------------------------------------------------------------------------------------
// Single file

fn open_single_file(name: &str, path: &Path, limits: &Limits) -> Opened {
    let mut report = Report {
        input: name,
        findings: Vec::new(),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    let mut files = BTreeMap::new();
    match read_capped(path, limits, 0) {
        Ok(bytes) => {
            files.insert(file_name.clone(), bytes);
        }
        Err(Capped::Entry | Capped::Total) => report.entry(
            ZIP_ENTRY_TOO_LARGE,
            &file_name,
            format!(
                "file not read: it is over the {}-byte cap on one file",
                limits.max_entry_bytes
            ),
        ),
        Err(Capped::Io(err)) => report.unreadable(&file_name, "file", err),
    }
    Opened {
        package: Package::from_files(name, files),
        findings: report.findings,
        kind: InputKind::File,
        main: Some(file_name),
    }
}

/// Reads the files a single test document references (`refs`, package paths relative to the
/// test's folder, already checked not to leave it) from the folder `dir` beside it, with the
/// caps applied to the package as a whole; links are not followed. Files already present are
/// skipped; missing files are simply not added (the rules report unresolved references).
pub fn add_referenced_files(dir: &Path, refs: &[String], limits: &Limits, opened: &mut Opened) {
    let mut report = Report {
        input: &opened.package.name.clone(),
        findings: Vec::new(),
    };
    let mut total: u64 = opened.package.files.values().map(|b| b.len() as u64).sum();
    for r in refs {
        if opened.package.files.contains_key(r) {
            continue;
        }
        if opened.package.files.len() >= limits.max_entries {
            report.input(
                ZIP_TOO_MANY_ENTRIES,
                format!(
                    "the test references more than {} files; the rest were not read",
                    limits.max_entries
                ),
            );
            break;
        }
        let Ok(path) = check_name(r) else {
            continue;
        };
        // Every folder on the way must be a real folder, not a link.
        let mut at = dir.to_path_buf();
        let mut linked = false;
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            match at.symlink_metadata() {
                Ok(m) if m.file_type().is_symlink() => {
                    linked = true;
                    break;
                }
                Ok(m) if i + 1 < parts.len() && !m.is_dir() => break,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        if linked {
            report.entry(
                ZIP_SYMLINK,
                &path,
                "referenced file refused and not followed: its path goes through a symbolic link",
            );
            continue;
        }
        match at.symlink_metadata() {
            Ok(m) if m.is_file() => {}
            _ => continue,
        }
        let files = &mut opened.package.files;
        if !read_file_into(&mut report, files, &at, path, limits, &mut total, |cap| {
            format!(
                "reading stopped: the referenced files are over the {cap}-byte cap on the total"
            )
        }) {
            break;
        }
    }
    opened.findings.extend(report.findings);
}

#[cfg(test)]
mod tests {
    use super::{NameProblem, check_name};

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("a/b.xml"), Ok("a/b.xml".into()));
        assert_eq!(check_name("./a/./b.xml"), Ok("a/b.xml".into()));
        assert_eq!(check_name("dir/"), Ok("dir".into()));
        assert!(matches!(check_name("../x"), Err(NameProblem::Traversal(_))));
        assert!(matches!(
            check_name("a/../../x"),
            Err(NameProblem::Traversal(_))
        ));
        assert!(matches!(
            check_name("/etc/passwd"),
            Err(NameProblem::Traversal(_))
        ));
        assert!(matches!(check_name("C:/x"), Err(NameProblem::Traversal(_))));
        assert!(matches!(check_name("a\\b"), Err(NameProblem::Backslash)));
        assert!(matches!(check_name(""), Err(NameProblem::Bad(_))));
        assert!(matches!(check_name("a\0b"), Err(NameProblem::Bad(_))));
        assert!(matches!(check_name("a\nb"), Err(NameProblem::Bad(_))));
        assert!(matches!(check_name("a//b"), Err(NameProblem::Bad(_))));
    }
}
