//! Reading an uploaded zip in memory, safely: nothing is ever written to disk or extracted, and
//! before any entry is inflated the archive is refused if it declares too many entries, an
//! entry name that could leave the folder it were unpacked in (`..`, an absolute path, a drive
//! letter, a backslash, a NUL), two entries with one name, a symbolic link, an encrypted entry,
//! or sizes and compression ratios over the caps of [`Limits`]. Entries are then inflated
//! through a reader that stops one byte past the declared size, so a header that lies about
//! its size cannot get more memory than the caps allow (packages.md §3.3 item 9; §4 check 2).
//!
//! Only the XML documents' bytes are kept (the checks read nothing else); every other entry is
//! inflated to count and verify its size, then dropped.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Cursor, Read};

use super::fault::{FaultSet, PackagesImporterFault};
use super::refusal::{Refusal, clip};

/// The caps an upload is held to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Most entries (files and folders).
    pub max_entries: u64,
    /// Largest inflated size of one entry.
    pub max_entry_bytes: u64,
    /// Largest inflated size of all entries together.
    pub max_total_bytes: u64,
    /// Largest ratio of an entry's inflated size to its compressed size …
    pub max_ratio: u64,
    /// … judged only for entries inflating to more than this (small, repetitive files
    /// compress well and harm nobody).
    pub ratio_floor_bytes: u64,
}

/// The caps the importer uses.
pub(crate) const LIMITS: Limits = Limits {
    max_entries: 4096,
    max_entry_bytes: 64 << 20,
    max_total_bytes: 256 << 20,
    max_ratio: 200,
    ratio_floor_bytes: 1 << 20,
};

/// The longest entry name quoted in a refusal.
const MAX_QUOTED_NAME: usize = 200;

/// One file of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Inflated size in bytes.
    pub size: u64,
    /// The content, kept for XML documents only.
    pub bytes: Option<Vec<u8>>,
}

/// The files of an archive that passed the safety checks, by entry name (folders left out).
#[derive(Debug, Default)]
pub(crate) struct Archive {
    pub files: BTreeMap<String, Entry>,
    /// Inflated bytes of all entries.
    pub total_bytes: u64,
}

/// The fault that bends the archive checks; read only by [`read`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ArchiveFaults {
    /// `packages-importer/accepts-zip-slip`
    pub accepts_zip_slip: bool,
}

impl ArchiveFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            accepts_zip_slip: set.has(PackagesImporterFault::AcceptsZipSlip),
        }
    }
}

/// Read `body` as a zip under `limits`.
pub(crate) fn read(
    body: &[u8],
    limits: &Limits,
    faults: ArchiveFaults,
) -> Result<Archive, Refusal> {
    let Some(end) = end_of_central_directory(body) else {
        return Err(Refusal::NotAZip(
            "no end-of-central-directory record".into(),
        ));
    };
    if end.entries > limits.max_entries {
        return Err(Refusal::TooManyEntries {
            count: end.entries,
            max: limits.max_entries,
        });
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(body)).map_err(|e| Refusal::NotAZip(e.to_string()))?;
    if zip.has_duplicate_names() {
        let name = first_duplicate_name(body, &end).unwrap_or_else(|| "?".into());
        return Err(Refusal::DuplicateEntry(clip(&name, MAX_QUOTED_NAME)));
    }

    // Everything the central directory says, judged before anything is inflated.
    let mut declared_total: u64 = 0;
    for index in 0..zip.len() {
        let entry = zip
            .by_index_data(index)
            .map_err(|e| Refusal::NotAZip(e.to_string()))?;
        let name = entry
            .name()
            .map_err(|e| Refusal::NotAZip(e.to_string()))?
            .into_owned();
        let quoted = || clip(&name, MAX_QUOTED_NAME);
        if !faults.accepts_zip_slip
            && let Some(why) = unsafe_name(&name)
        {
            return Err(Refusal::UnsafeEntryName {
                name: quoted(),
                why,
            });
        }
        if entry.is_symlink() {
            return Err(Refusal::SymlinkEntry(quoted()));
        }
        if entry.encrypted() {
            return Err(Refusal::EncryptedEntry(quoted()));
        }
        let size = entry.size();
        if size > limits.max_entry_bytes {
            return Err(Refusal::EntryTooLarge {
                name: quoted(),
                size,
                max: limits.max_entry_bytes,
            });
        }
        let ratio = size / entry.compressed_size().max(1);
        if size > limits.ratio_floor_bytes && ratio > limits.max_ratio {
            return Err(Refusal::RatioTooHigh {
                name: quoted(),
                ratio,
                max: limits.max_ratio,
            });
        }
        declared_total = declared_total.saturating_add(size);
        if declared_total > limits.max_total_bytes {
            return Err(Refusal::TotalTooLarge {
                max: limits.max_total_bytes,
            });
        }
    }

    let mut archive = Archive::default();
    for index in 0..zip.len() {
        let mut file = zip
            .by_index(index)
            .map_err(|e| Refusal::NotAZip(e.to_string()))?;
        let name = file
            .name()
            .map_err(|e| Refusal::NotAZip(e.to_string()))?
            .into_owned();
        if file.is_dir() {
            continue;
        }
        let declared = file.size();
        let keep = is_xml_name(&name);
        let unreadable = |why: String| Refusal::EntryUnreadable {
            name: clip(&name, MAX_QUOTED_NAME),
            why,
        };
        let mut limited = (&mut file).take(declared.saturating_add(1));
        let (read, bytes) = if keep {
            let mut bytes = Vec::with_capacity(usize::try_from(declared.min(1 << 20)).unwrap_or(0));
            let read = limited
                .read_to_end(&mut bytes)
                .map_err(|e| unreadable(e.to_string()))?;
            (read as u64, Some(bytes))
        } else {
            let read =
                io::copy(&mut limited, &mut io::sink()).map_err(|e| unreadable(e.to_string()))?;
            (read, None)
        };
        if read != declared {
            return Err(unreadable(format!(
                "it inflates to {}{} bytes, but its header declares {declared}",
                if read > declared { "more than " } else { "" },
                read.min(declared)
            )));
        }
        archive.total_bytes += read;
        archive.files.insert(name, Entry { size: read, bytes });
    }
    Ok(archive)
}

/// Why `name` is unsafe as a path inside the package, if it is.
pub(crate) fn unsafe_name(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if name.is_empty() {
        Some("has an empty name")
    } else if name.contains('\0') {
        Some("holds a NUL character")
    } else if name.contains('\\') {
        Some("holds a backslash (not a zip path separator; a path on Windows)")
    } else if name.starts_with('/') {
        Some("is an absolute path")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some("starts with a drive letter")
    } else if name.split('/').any(|part| part == "..") {
        Some("climbs out of the package with `..`")
    } else {
        None
    }
}

/// Whether the checks read the entry named `name` (an XML document).
fn is_xml_name(name: &str) -> bool {
    name.len() >= 4 && name[name.len() - 4..].eq_ignore_ascii_case(".xml")
}

/// What the end-of-central-directory record says.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EndOfDirectory {
    /// Where the record starts.
    offset: usize,
    /// The number of entries it declares (the ZIP64 record's, when the plain one defers).
    pub entries: u64,
}

/// The end-of-central-directory record of `body` (APPNOTE 4.3.16: signature `PK\5\6`, within
/// the last 22 + 65,535 bytes), with the ZIP64 entry count when the record defers to it
/// (4.3.14, 4.3.15). `None` when there is no such record: not a zip.
pub(crate) fn end_of_central_directory(body: &[u8]) -> Option<EndOfDirectory> {
    const SIGNATURE: &[u8; 4] = b"PK\x05\x06";
    const LOCATOR: &[u8; 4] = b"PK\x06\x07";
    const ZIP64_RECORD: &[u8; 4] = b"PK\x06\x06";
    let last = body.len().checked_sub(22)?;
    let first = last.saturating_sub(0xffff);
    let offset = (first..=last)
        .rev()
        .find(|&i| &body[i..i + 4] == SIGNATURE)?;
    let entries = u64::from(u16_at(body, offset + 10)?);
    if entries != 0xffff {
        return Some(EndOfDirectory { offset, entries });
    }
    let zip64 = offset
        .checked_sub(20)
        .filter(|&l| &body[l..l + 4] == LOCATOR)
        .and_then(|l| usize::try_from(u64_at(body, l + 8)?).ok())
        .filter(|&r| body.get(r..r + 4) == Some(ZIP64_RECORD.as_slice()))
        .and_then(|r| u64_at(body, r + 32));
    Some(EndOfDirectory {
        offset,
        entries: zip64.unwrap_or(entries),
    })
}

/// The first name the central directory holds twice (APPNOTE 4.3.12: signature `PK\1\2`, name
/// length at +28, extra and comment lengths at +30 and +32, the name at +46). `None` when the
/// directory cannot be walked (a ZIP64 offset, data before the archive).
fn first_duplicate_name(body: &[u8], end: &EndOfDirectory) -> Option<String> {
    const HEADER: &[u8; 4] = b"PK\x01\x02";
    let mut at = usize::try_from(u32_at(body, end.offset + 16)?).ok()?;
    let mut seen = HashSet::new();
    while body.get(at..at + 4) == Some(HEADER.as_slice()) {
        let name_len = usize::from(u16_at(body, at + 28)?);
        let extra_len = usize::from(u16_at(body, at + 30)?);
        let comment_len = usize::from(u16_at(body, at + 32)?);
        let name = body.get(at + 46..at + 46 + name_len)?;
        if !seen.insert(name) {
            return Some(String::from_utf8_lossy(name).into_owned());
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    None
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package_files::write_zip;

    fn read_default(body: &[u8]) -> Result<Archive, Refusal> {
        read(body, &LIMITS, ArchiveFaults::default())
    }

    #[test]
    fn a_plain_zip_is_read_and_only_xml_is_kept() {
        let zip = write_zip(&[
            ("imsmanifest.xml", b"<manifest/>".as_slice()),
            ("a/b.PNG", b"\x89PNG".as_slice()),
        ])
        .unwrap();
        let archive = read_default(&zip).unwrap();
        assert_eq!(
            archive.files["imsmanifest.xml"].bytes.as_deref(),
            Some(b"<manifest/>".as_slice())
        );
        assert_eq!(archive.files["a/b.PNG"].size, 4);
        assert_eq!(archive.files["a/b.PNG"].bytes, None);
        assert_eq!(archive.total_bytes, 15);
    }

    #[test]
    fn unsafe_names_are_named() {
        for (name, bad) in [
            ("../outside.txt", true),
            ("a/../../x", true),
            ("/etc/passwd", true),
            ("C:/x", true),
            ("a\\b", true),
            ("", true),
            ("a\0b", true),
            ("a/..b/c..", false),
            ("items/q1.xml", false),
        ] {
            assert_eq!(unsafe_name(name).is_some(), bad, "{name:?}");
        }
        let zip = write_zip(&[("../outside.txt", b"x".as_slice())]).unwrap();
        assert!(matches!(
            read_default(&zip),
            Err(Refusal::UnsafeEntryName { ref name, .. }) if name == "../outside.txt"
        ));
        let slipped = read(
            &zip,
            &LIMITS,
            ArchiveFaults {
                accepts_zip_slip: true,
            },
        )
        .unwrap();
        assert!(slipped.files.contains_key("../outside.txt"));
    }

    #[test]
    fn not_a_zip_and_caps_are_refused() {
        assert!(matches!(
            read_default(b"just some text"),
            Err(Refusal::NotAZip(_))
        ));
        assert!(matches!(read_default(b""), Err(Refusal::NotAZip(_))));
        let zeros = vec![0u8; 4 << 20];
        let bomb = write_zip(&[("zeros.bin", zeros.as_slice())]).unwrap();
        assert!(matches!(
            read_default(&bomb),
            Err(Refusal::RatioTooHigh { ref name, .. }) if name == "zeros.bin"
        ));
        let small = Limits {
            max_entries: 1,
            ..LIMITS
        };
        let two =
            write_zip(&[("a.xml", b"<a/>".as_slice()), ("b.xml", b"<b/>".as_slice())]).unwrap();
        assert!(matches!(
            read(&two, &small, ArchiveFaults::default()),
            Err(Refusal::TooManyEntries { count: 2, max: 1 })
        ));
        let tiny = Limits {
            max_entry_bytes: 3,
            ..LIMITS
        };
        assert!(matches!(
            read(&two, &tiny, ArchiveFaults::default()),
            Err(Refusal::EntryTooLarge { size: 4, .. })
        ));
        let total = Limits {
            max_total_bytes: 7,
            ..LIMITS
        };
        assert!(matches!(
            read(&two, &total, ArchiveFaults::default()),
            Err(Refusal::TotalTooLarge { max: 7 })
        ));
    }

    #[test]
    fn the_end_record_gives_the_entry_count() {
        let zip =
            write_zip(&[("a.xml", b"<a/>".as_slice()), ("b.xml", b"<b/>".as_slice())]).unwrap();
        assert_eq!(end_of_central_directory(&zip).unwrap().entries, 2);
        assert!(end_of_central_directory(b"PK\x05\x06").is_none());
    }
}
