//! Why an upload was refused — one variant per rule broken, so tests assert the exact rule —
//! and how the refusal is answered: `400` (`415` for a body declared as something other than a
//! zip) with `{"error": "<reason naming the file or identifier>"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::fault::{FaultSet, PackagesImporterFault};
use crate::package_files::json_error;

/// An upload the importer refuses, and the rule it breaks. The messages quote names taken from
/// the package (file names, identifiers, URLs), cut to a readable length.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum Refusal {
    /// The request declares a media type that is not a zip.
    #[error(
        "the body is declared as `{0}`, not a zip: send the package as `Content-Type: application/zip`"
    )]
    NotZipMediaType(String),
    /// The body cannot be read as a zip archive.
    #[error("the body is not a readable zip archive ({0})")]
    NotAZip(String),
    /// More entries than the importer takes.
    #[error("the zip has {count} entries; at most {max} are accepted")]
    TooManyEntries { count: u64, max: u64 },
    /// An entry name that is unsafe to use as a path.
    #[error("zip entry `{name}` {why}; refused (path traversal)")]
    UnsafeEntryName { name: String, why: &'static str },
    /// Two entries with the same name.
    #[error("the zip has more than one entry named `{0}`")]
    DuplicateEntry(String),
    /// A symbolic link entry.
    #[error("zip entry `{0}` is a symbolic link; packages may hold only files and folders")]
    SymlinkEntry(String),
    /// An encrypted entry.
    #[error("zip entry `{0}` is encrypted")]
    EncryptedEntry(String),
    /// An entry inflating beyond the per-entry cap.
    #[error("zip entry `{name}` inflates to {size} bytes; at most {max} are accepted per entry")]
    EntryTooLarge { name: String, size: u64, max: u64 },
    /// Entries inflating beyond the total cap.
    #[error("the zip inflates to more than {max} bytes in all")]
    TotalTooLarge { max: u64 },
    /// An entry whose compression ratio marks a zip bomb.
    #[error(
        "zip entry `{name}` inflates {ratio} times its compressed size (at most {max} accepted): a zip bomb"
    )]
    RatioTooHigh { name: String, ratio: u64, max: u64 },
    /// An entry that does not inflate as its header says.
    #[error("zip entry `{name}` cannot be read: {why}")]
    EntryUnreadable { name: String, why: String },
    /// No `imsmanifest.xml` at the root.
    #[error("{0}")]
    ManifestMissing(String),
    /// The manifest is not a well-formed manifest document.
    #[error("imsmanifest.xml is not a usable manifest: {0}")]
    ManifestMalformed(String),
    /// An identifier given to two manifest elements.
    #[error(
        "the identifier `{0}` is used more than once in imsmanifest.xml; identifiers must be unique"
    )]
    DuplicateIdentifier(String),
    /// An href that points outside the package.
    #[error("resource `{resource}` references `{href}`, which is outside the package")]
    HrefOutside { resource: String, href: String },
    /// A file the manifest lists but the zip lacks.
    #[error("resource `{resource}` lists `{path}`, which is not in the zip")]
    MissingFile { resource: String, path: String },
    /// A document of a typed resource that is not well-formed XML.
    #[error("`{path}` (resource `{resource}`) is not well-formed XML: {why}")]
    DocumentMalformed {
        resource: String,
        path: String,
        why: String,
    },
    /// An interaction naming a response variable the item does not declare.
    #[error(
        "`{path}`: <{element}> names {attribute} `{identifier}`, which no responseDeclaration in the item declares"
    )]
    UndeclaredResponse {
        path: String,
        element: String,
        attribute: &'static str,
        identifier: String,
    },
    /// A web link whose URL is not an absolute http(s) URL.
    #[error("`{path}`: the web link URL `{url}` is not an absolute http(s) URL ({why})")]
    WebLinkUrl {
        path: String,
        url: String,
        why: String,
    },
    /// A kind of package the importer (with a fault) says it does not support.
    #[error("{0} packages are not supported by this importer")]
    Unsupported(&'static str),
}

impl Refusal {
    /// The status a refusal is answered with: `415` for a declared non-zip media type, `400`
    /// for everything else.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::NotZipMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// The faults that bend how refusals are answered; read only by [`answer`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RefusalFaults {
    /// `packages-importer/refusal-500`
    pub refusal_500: bool,
    /// `packages-importer/refusal-without-message`
    pub refusal_without_message: bool,
}

impl RefusalFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            refusal_500: set.has(PackagesImporterFault::Refusal500),
            refusal_without_message: set.has(PackagesImporterFault::RefusalWithoutMessage),
        }
    }
}

/// Answer a refused upload: its status and `{"error": message}`.
pub(crate) fn answer(refusal: &Refusal, faults: RefusalFaults) -> Response {
    if faults.refusal_500 {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if faults.refusal_without_message {
        return StatusCode::BAD_REQUEST.into_response();
    }
    json_error(refusal.status(), &refusal.to_string())
}

/// `s` cut to at most `max` characters (an ellipsis marks the cut): names from a package are
/// quoted in messages, never at any length.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_400_with_a_message_unless_a_fault_bends_them() {
        let r = Refusal::MissingFile {
            resource: "RES-1".into(),
            path: "items/a.xml".into(),
        };
        let answered = answer(&r, RefusalFaults::default());
        assert_eq!(answered.status(), StatusCode::BAD_REQUEST);
        assert!(r.to_string().contains("items/a.xml") && r.to_string().contains("RES-1"));
        assert_eq!(
            answer(
                &Refusal::NotZipMediaType("text/plain".into()),
                RefusalFaults::default()
            )
            .status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let five = RefusalFaults {
            refusal_500: true,
            ..RefusalFaults::default()
        };
        assert_eq!(answer(&r, five).status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bare = RefusalFaults {
            refusal_without_message: true,
            ..RefusalFaults::default()
        };
        assert_eq!(answer(&r, bare).status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn clip_keeps_short_names_and_cuts_long_ones() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc…");
        assert_eq!(clip("ééé", 2), "éé…");
    }
}
