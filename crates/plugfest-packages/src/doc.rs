//! What a document is: its standard, its role and the official schema for it, decided from the
//! root element's namespace plus a version marker (packages.md Appendix A).

/// The standard (and version) a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standard {
    /// QTI 2.0 (`imsqti_v2p0`).
    Qti20,
    /// QTI 2.1 (`imsqti_v2p1`).
    Qti21,
    /// QTI 2.2.x (`imsqti_v2p2`).
    Qti22,
    /// QTI 3.0.x (`imsqtiasi_v3p0`).
    Qti30,
    /// The QTI 1.2.1 profile of Common Cartridge (`ims_qtiasiv1p2`).
    Qti12Cc,
    /// APIP 1.0 items and packages.
    Apip,
    /// IMS Content Packaging (1.1 / 1.2, as QTI packages use it).
    Cp,
    /// Common Cartridge 1.0.
    Cc10,
    /// Common Cartridge 1.1.
    Cc11,
    /// Common Cartridge 1.2 (1.1 namespace, schemaversion 1.2.0).
    Cc12,
    /// Common Cartridge 1.3 (and Thin CC 1.3).
    Cc13,
    /// Common Cartridge 1.4.
    Cc14,
    /// IWB Common File Format 1.0.
    Iwb,
    /// Anything else (a Canvas sidecar, HTML, an unknown namespace).
    Other,
}

/// What the document is within its standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// An assessment item.
    Item,
    /// An assessment test.
    Test,
    /// An assessment section (QTI 3 fragment files).
    Section,
    /// A stimulus (QTI 3).
    Stimulus,
    /// `imsmanifest.xml`.
    Manifest,
    /// A CC web link.
    WebLink,
    /// A CC discussion topic.
    Topic,
    /// A CC basic LTI link.
    LtiLink,
    /// A CC 1.4 assignment.
    Assignment,
    /// A QTI 1.2 `questestinterop` (CC assessment or question bank).
    QuestestInterop,
    /// IWB `content.xml`.
    IwbContent,
    /// Anything else.
    Other,
}

/// How a document was recognised, and which schema of the bundle validates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocKind {
    /// Its standard and version.
    pub standard: Standard,
    /// Its role.
    pub role: Role,
    /// Root element's namespace (empty when none).
    pub namespace: String,
    /// Path of the schema inside the bundle, `None` when the bundle has none for it.
    pub schema: Option<&'static str>,
    /// Why this version was chosen (the marker seen), for the report.
    pub why: String,
}
