//! Plugfest's own packages for import checks: a valid QTI 2.1 content package and a valid
//! Common Cartridge 1.3 (both pass every check of this crate, which a test proves), and packages
//! broken in exactly one way each. Built as zips in memory from the files under `samples/`.

use std::io::Write as _;

/// A package Plugfest can send to an import endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// A valid QTI 2.1 content package: a test and two items.
    Qti21,
    /// A valid Common Cartridge 1.3: a web link, a discussion topic and an LTI link.
    Cc13,
    /// [`Sample::Qti21`] without one item file its manifest lists.
    MissingFile,
    /// [`Sample::Qti21`] with an interaction whose responseIdentifier is not declared.
    UndeclaredResponse,
    /// [`Sample::Qti21`] plus an entry named `../outside.txt`.
    PathTraversal,
    /// A text file, not a zip.
    NotAZip,
}

const QTI21: &[(&str, &[u8])] = &[
    (
        "imsmanifest.xml",
        include_bytes!("../samples/qti21/imsmanifest.xml"),
    ),
    ("test.xml", include_bytes!("../samples/qti21/test.xml")),
    ("item1.xml", include_bytes!("../samples/qti21/item1.xml")),
    ("item2.xml", include_bytes!("../samples/qti21/item2.xml")),
];

const CC13: &[(&str, &[u8])] = &[
    (
        "imsmanifest.xml",
        include_bytes!("../samples/cc13/imsmanifest.xml"),
    ),
    ("wl/link.xml", include_bytes!("../samples/cc13/wl/link.xml")),
    (
        "dt/topic.xml",
        include_bytes!("../samples/cc13/dt/topic.xml"),
    ),
    (
        "dt/handout.png",
        include_bytes!("../samples/cc13/dt/handout.png"),
    ),
    (
        "lti/link.xml",
        include_bytes!("../samples/cc13/lti/link.xml"),
    ),
    (
        "lti/icon.png",
        include_bytes!("../samples/cc13/lti/icon.png"),
    ),
];

impl Sample {
    /// Every sample, the valid ones first.
    pub const ALL: [Sample; 6] = [
        Sample::Qti21,
        Sample::Cc13,
        Sample::MissingFile,
        Sample::UndeclaredResponse,
        Sample::PathTraversal,
        Sample::NotAZip,
    ];

    /// A file name for the upload.
    pub fn file_name(self) -> &'static str {
        match self {
            Sample::Qti21 => "plugfest-qti21.zip",
            Sample::Cc13 => "plugfest-cc13.imscc",
            Sample::MissingFile => "plugfest-missing-file.zip",
            Sample::UndeclaredResponse => "plugfest-undeclared-response.zip",
            Sample::PathTraversal => "plugfest-path-traversal.zip",
            Sample::NotAZip => "plugfest-not-a-zip.zip",
        }
    }

    /// What is in it, for the evidence.
    pub fn describe(self) -> &'static str {
        match self {
            Sample::Qti21 => "a valid QTI 2.1 content package (a test and two items)",
            Sample::Cc13 => {
                "a valid Common Cartridge 1.3 (a web link, a discussion topic with an attachment, an LTI link)"
            }
            Sample::MissingFile => {
                "the QTI 2.1 package without item2.xml, which its manifest lists"
            }
            Sample::UndeclaredResponse => {
                "the QTI 2.1 package whose item1.xml declares no response for its choice interaction"
            }
            Sample::PathTraversal => "the QTI 2.1 package plus a zip entry named ../outside.txt",
            Sample::NotAZip => "a plain text file",
        }
    }

    /// The bytes to upload.
    pub fn bytes(self) -> Vec<u8> {
        let qti = || QTI21.iter().map(|(n, b)| (n.to_string(), b.to_vec()));
        match self {
            Sample::Qti21 => zip(qti()),
            Sample::Cc13 => zip(CC13.iter().map(|(n, b)| (n.to_string(), b.to_vec()))),
            Sample::MissingFile => zip(qti().filter(|(n, _)| n != "item2.xml")),
            Sample::UndeclaredResponse => zip(qti().map(|(n, b)| {
                if n == "item1.xml" {
                    let text = String::from_utf8_lossy(&b).replace(
                        "<responseDeclaration identifier=\"RESPONSE\"",
                        "<responseDeclaration identifier=\"RESPONSE_DECLARED\"",
                    );
                    (n, text.into_bytes())
                } else {
                    (n, b)
                }
            })),
            Sample::PathTraversal => zip(qti().chain(std::iter::once((
                "../outside.txt".to_string(),
                b"Plugfest: this entry must never be written outside the package.\n".to_vec(),
            )))),
            Sample::NotAZip => b"This is not a content package, just text.\n".to_vec(),
        }
    }
}

/// A deflated zip of `files`, in the order given.
fn zip(files: impl Iterator<Item = (String, Vec<u8>)>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        // Writing to memory cannot fail short of allocation failure.
        w.start_file(name, options).expect("zip entry in memory");
        w.write_all(&bytes).expect("zip entry in memory");
    }
    w.finish().expect("zip in memory").into_inner()
}
