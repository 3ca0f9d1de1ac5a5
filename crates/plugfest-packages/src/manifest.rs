//! The model of an `imsmanifest.xml` (IMS CP 1.1/1.2 and its Common Cartridge, QTI and APIP
//! profiles): resources with their files and dependencies, and the organization's items.

/// One `<resource>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resource {
    /// `@identifier`.
    pub identifier: String,
    /// `@type`.
    pub kind: String,
    /// `@href`, if any.
    pub href: Option<String>,
    /// `@xml:base`, if any.
    pub base: Option<String>,
    /// `file/@href` values, in order.
    pub files: Vec<String>,
    /// `dependency/@identifierref` values, in order.
    pub dependencies: Vec<String>,
    /// Line of the `<resource>` element.
    pub line: u32,
}

/// One `<item>` of the first organization, flattened depth-first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgItem {
    /// `@identifier`.
    pub identifier: String,
    /// `@identifierref`, if any.
    pub identifierref: Option<String>,
    /// `<title>` text, if any.
    pub title: Option<String>,
    /// Depth below the organization (the root item of a CC organization is 1).
    pub depth: u32,
    /// True when it contains other items.
    pub has_children: bool,
    /// Line of the `<item>` element.
    pub line: u32,
}

/// A parsed manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Its path in the package (`imsmanifest.xml` when at the root).
    pub path: String,
    /// Root namespace.
    pub namespace: String,
    /// `metadata/schema` text.
    pub schema: Option<String>,
    /// `metadata/schemaversion` text.
    pub schemaversion: Option<String>,
    /// `@identifier` of `<manifest>`.
    pub identifier: Option<String>,
    /// Every `<resource>`.
    pub resources: Vec<Resource>,
    /// Every `<organization>` count (CC allows at most one).
    pub organizations: usize,
    /// Items of the first organization, depth-first.
    pub items: Vec<OrgItem>,
}
