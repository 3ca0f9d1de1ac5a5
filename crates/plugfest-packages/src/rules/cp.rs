//! IMS Content Packaging rules on the root `imsmanifest.xml` (packages.md §4 A, checks 3–6 and
//! 11–12), for every CP profile: plain IMS CP 1.1/1.2, the QTI 2.1 / 2.2 / 3.0 and APIP package
//! profiles, and Common Cartridge (whose own rules live in [`super::cc`]).
//!
//! - `CP-HREF-001` every `resource/@href` and `file/@href` (after `xml:base`) names a file in the
//!   package; `CP-HREF-002` none leaves the package (`..` above the root, a rooted path, a
//!   drive letter, a `file:` URL) and no `file/@href` is an absolute URL;
//! - `CP-ID-001` identifiers are unique within the manifest;
//! - `CP-DEP-001` every `dependency/@identifierref` names a resource;
//! - `CP-ORG-001` every `item/@identifierref` names a resource or a sub-manifest, and
//!   `CP-ORG-002` `organizations/@default` names an organization;
//! - `CP-TYPE-001` resource types are those of the QTI or APIP package profile in force (the
//!   CC type lists are the CC rules'); `CP-TYPE-002` a QTI resource's document is of its type;
//! - `CP-FILE-001` (SHOULD) every file of the package is listed by the manifest.

use super::{Ctx, Doc};
use crate::detect::{NS_APIP_CP, NS_CP, NS_QTI30_CP, manifest_metadata, schemas};
use crate::doc::{Role, Standard};
use crate::manifest::has_scheme;
use roxmltree::Node;
use std::collections::{HashMap, HashSet};

/// Resource and file hrefs name files in the package.
pub const CP_HREF_001: &str = "CP-HREF-001";
/// Nothing the manifest references leaves the package.
pub const CP_HREF_002: &str = "CP-HREF-002";
/// Identifiers are unique within the manifest.
pub const CP_ID_001: &str = "CP-ID-001";
/// Dependencies name resources of the manifest.
pub const CP_DEP_001: &str = "CP-DEP-001";
/// Organization items name resources (or sub-manifests) of the manifest.
pub const CP_ORG_001: &str = "CP-ORG-001";
/// `organizations/@default` names an organization of the manifest.
pub const CP_ORG_002: &str = "CP-ORG-002";
/// Resource types are those of the package profile (QTI 2.1 / 2.2 / 3.0.x, APIP).
pub const CP_TYPE_001: &str = "CP-TYPE-001";
/// A QTI resource's document is of the resource's type.
pub const CP_TYPE_002: &str = "CP-TYPE-002";
/// Every file of the package is listed in the manifest (SHOULD).
pub const CP_FILE_001: &str = "CP-FILE-001";

/// The root manifest's path.
pub const MANIFEST: &str = "imsmanifest.xml";

/// What an href names, once normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Href {
    /// A path in the package: `.` and `..` resolved, `%XX` decoded, `?query` and `#fragment`
    /// dropped.
    Local(String),
    /// An absolute URL (`http:`, `https:`, `mailto:` …), outside the package by nature.
    External(String),
    /// A reference that leaves the package, with why.
    Outside(String),
}

/// Resolves `href` relative to the folder `dir` of the package (`""` for the root).
pub fn resolve_href(dir: &str, href: &str) -> Href {
    let href = href.trim();
    if href.starts_with('/') || href.starts_with('\\') {
        return Href::Outside(format!(
            "`{href}` is a rooted path; package references are relative to the package"
        ));
    }
    let b = href.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Href::Outside(format!("`{href}` starts with a drive letter"));
    }
    if has_scheme(href) {
        let scheme = href[..href.find(':').unwrap_or(0)].to_ascii_lowercase();
        return if scheme == "file" {
            Href::Outside(format!("`{href}` is a file: URL on the author's machine"))
        } else {
            Href::External(href.to_string())
        };
    }
    let cut = href.find(['#', '?']).unwrap_or(href.len());
    let path = percent_decode(&href[..cut]);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Href::Outside(format!(
                        "`{href}` climbs with `..` above the package root"
                    ));
                }
            }
            s => parts.push(s),
        }
    }
    Href::Local(parts.join("/"))
}

/// `%XX` decoded (as UTF-8, lossy); anything malformed is kept as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The folder part of a package path (`a/b/c.xml` → `a/b`).
pub fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The package path `href` (relative to `dir`) names, if it is in the package: the decoded
/// path, or the path exactly as written (a file whose name holds `%`).
pub fn find_file(ctx: &Ctx<'_>, dir: &str, href: &str) -> Option<String> {
    match resolve_href(dir, href) {
        Href::Local(p) if ctx.package.has(&p) => Some(p),
        Href::Local(_) => {
            let cut = href.find(['#', '?']).unwrap_or(href.len());
            match resolve_href(dir, &href[..cut].replace('%', "%25")) {
                Href::Local(p) if ctx.package.has(&p) => Some(p),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The QTI package profile a manifest follows, which fixes its legal resource types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// The QTI 2.1 profile of IMS CP 1.2 (`qtiv2p1_imscpv1p2_v1p0.xsd`).
    Qti21,
    /// The QTI 2.2 profile (`qtiv2p2_imscpv1p2_v1p0.xsd`).
    Qti22,
    /// The QTI 3.0 profile, schemaversion 3.0.0.
    Qti300,
    /// The QTI 3.0 profile, schemaversion 3.0.1.
    Qti301,
    /// The APIP 1.0 profile (beta and final).
    Apip,
    /// Plain IMS CP: `type` is free text, but a `imsqti_…` type must be one QTI defines.
    PlainCp,
    /// Common Cartridge: its type lists are the CC rules'.
    Cartridge,
    /// Not a recognised manifest.
    Unknown,
}

impl Profile {
    /// The profile of the root manifest `doc`.
    pub fn of(doc: &Doc<'_>) -> Profile {
        let ns = doc.kind.namespace.as_str();
        match ns {
            NS_QTI30_CP => {
                let v = manifest_metadata(doc.xml.root_element(), "schemaversion");
                if v.as_deref() == Some("3.0.1") {
                    Profile::Qti301
                } else {
                    Profile::Qti300
                }
            }
            NS_APIP_CP => Profile::Apip,
            NS_CP if doc.kind.standard == Standard::Cp => match doc.kind.schema {
                Some(schemas::QTI21_CP) => Profile::Qti21,
                Some(schemas::QTI22_CP) => Profile::Qti22,
                _ => Profile::PlainCp,
            },
            _ => match doc.kind.standard {
                Standard::Cc10
                | Standard::Cc11
                | Standard::Cc12
                | Standard::Cc13
                | Standard::Cc14 => Profile::Cartridge,
                _ => Profile::Unknown,
            },
        }
    }

    fn name(self) -> &'static str {
        match self {
            Profile::Qti21 => "the QTI 2.1 package profile",
            Profile::Qti22 => "the QTI 2.2 package profile",
            Profile::Qti300 => "the QTI 3.0 package profile, schemaversion 3.0.0",
            Profile::Qti301 => "the QTI 3.0 package profile, schemaversion 3.0.1",
            Profile::Apip => "the APIP 1.0 package profile",
            Profile::PlainCp => "IMS CP",
            Profile::Cartridge => "Common Cartridge",
            Profile::Unknown => "an unknown profile",
        }
    }

    /// Whether the profile allows the resource type `t` (`None`: types are not restricted here).
    fn allows(self, t: &str) -> Option<bool> {
        let lists: &[&[&str]] = match self {
            Profile::Qti21 => &[QTI21_TYPES],
            Profile::Qti22 => &[QTI22_TYPES],
            Profile::Qti300 => &[QTI3_TYPES, QTI300_LTI_TYPES],
            Profile::Qti301 => &[QTI3_TYPES, QTI301_LTI_TYPES],
            Profile::Apip => &[APIP_TYPES],
            _ => return None,
        };
        Some(lists.iter().any(|l| l.contains(&t)))
    }
}

/// The QTI 2.1 profile's `type` enumeration (`qtiv2p1_imscpv1p2_v1p0.xsd`).
pub const QTI21_TYPES: &[&str] = &[
    "imsqti_test_xmlv2p1",
    "imsqti_section_xmlv2p1",
    "imsqti_item_xmlv2p1",
    "imsqti_resprocessing_xmlv2p1",
    "webcontent",
];
/// The QTI 2.2 profile's `type` enumeration (`qtiv2p2_imscpv1p2_v1p0.xsd`).
pub const QTI22_TYPES: &[&str] = &[
    "imsqti_test_xmlv2p2",
    "imsqti_section_xmlv2p2",
    "imsqti_item_xmlv2p2",
    "imsqti_outcomes_xmlv2p2",
    "imsqti_stimulus_xmlv2p2",
    "imsqti_rptemplate_xmlv2p2",
    "imsqti_fragment_xmlv2p2",
    "imsqti_usagedata_xmlv2p2",
    "webcontent",
];
/// The `type` values the QTI 3.0.0 and 3.0.1 profiles' enumerations share
/// (`imsqtiv3p0_imscpv1p2_v1p0.xsd`, `imsqtiv3p0p1_imscpv1p2_v1p0.xsd`); each adds its LTI
/// types, [`QTI300_LTI_TYPES`] or [`QTI301_LTI_TYPES`].
pub const QTI3_TYPES: &[&str] = &[
    "imsqti_test_xmlv3p0",
    "imsqti_section_xmlv3p0",
    "imsqti_item_xmlv3p0",
    "imsqti_resprocessing_xmlv3p0",
    "imsqti_outcomes_xmlv3p0",
    "imsqti_stimulus_xmlv3p0",
    "imsqti_fragment_xmlv3p0",
    "imsqti_rptemplate_xmlv3p0",
    "associatedcontent/learning-application-resource",
    "webcontent",
    "controlfile",
    "resourcemetadata/xml",
    "resourceextmetadata/xml",
    "qtiusagedata/xml",
    "pls",
    "css2",
    "css3",
    "extension",
];
/// The QTI 3.0.0 profile's LTI `type`, beside [`QTI3_TYPES`].
pub const QTI300_LTI_TYPES: &[&str] = &["imsbasiclti_xmlv1p3"];
/// The QTI 3.0.1 profile's LTI `type`s, beside [`QTI3_TYPES`]: 3.0.0's `imsbasiclti_xmlv1p3`
/// gave way to these.
pub const QTI301_LTI_TYPES: &[&str] = &["imslti_xmlv1p1", "imsltia_xmlv1p0"];
/// The APIP 1.0 profiles' `type` enumerations, beta (QTI 2.1) and final (QTI 2.2) together:
/// both use one manifest namespace.
pub const APIP_TYPES: &[&str] = &[
    "imsqti_apiptest_xmlv2p2",
    "imsqti_apipsection_xmlv2p2",
    "imsqti_apipitem_xmlv2p2",
    "imsqti_apipresprocessing_xmlv2p2",
    "imsqti_apipoutcomes_xmlv2p2",
    "imsqti_apipstimulus_xmlv2p2",
    "imsqti_apiptest_xmlv2p1",
    "imsqti_apipsection_xmlv2p1",
    "imsqti_apipitem_xmlv2p1",
    "imsqti_apipresprocessing_xmlv2p1",
    "imsqti_apipoutcomes_xmlv2p1",
    "associatedcontent/apip_xmlv1p0/learning-application-resource",
    "imslti_xmlv1p1",
    "controlfile/apip_xmlv1p0",
    "resourcemetadata/apipv1p0",
    "resourceextmetadata/apipv1p0",
    "pls/apipv1p0",
    "css2/apipv1p0",
    "css3/apipv1p0",
    "extension/apipv1p0",
];

/// Every QTI 2.x / 3.0 / APIP type string, for plain CP manifests.
fn known_qti_type(t: &str) -> bool {
    [
        QTI21_TYPES,
        QTI22_TYPES,
        QTI3_TYPES,
        QTI300_LTI_TYPES,
        QTI301_LTI_TYPES,
        APIP_TYPES,
    ]
    .iter()
    .any(|l| l.contains(&t))
        || matches!(
            t,
            "imsqti_item_xmlv2p0" | "imsqti_outcomes_xmlv2p1" | "imsqti_fragment_xmlv2p1"
        )
}

/// For a QTI or APIP resource type naming an item, test, section or stimulus: the role and the
/// standards its document must have.
pub fn qti_expectation(t: &str) -> Option<(Role, &'static [Standard])> {
    const V21: &[Standard] = &[Standard::Qti21, Standard::Qti20];
    const V20: &[Standard] = &[Standard::Qti20];
    const V22: &[Standard] = &[Standard::Qti22];
    const V30: &[Standard] = &[Standard::Qti30];
    const APIP: &[Standard] = &[Standard::Apip];
    Some(match t {
        "imsqti_item_xmlv2p0" => (Role::Item, V20),
        "imsqti_item_xmlv2p1" => (Role::Item, V21),
        "imsqti_test_xmlv2p1" => (Role::Test, V21),
        "imsqti_section_xmlv2p1" => (Role::Section, V21),
        "imsqti_item_xmlv2p2" => (Role::Item, V22),
        "imsqti_test_xmlv2p2" => (Role::Test, V22),
        "imsqti_section_xmlv2p2" => (Role::Section, V22),
        "imsqti_stimulus_xmlv2p2" => (Role::Stimulus, V22),
        "imsqti_item_xmlv3p0" => (Role::Item, V30),
        "imsqti_test_xmlv3p0" => (Role::Test, V30),
        "imsqti_section_xmlv3p0" => (Role::Section, V30),
        "imsqti_stimulus_xmlv3p0" => (Role::Stimulus, V30),
        "imsqti_apipitem_xmlv2p1" | "imsqti_apipitem_xmlv2p2" => (Role::Item, APIP),
        "imsqti_apiptest_xmlv2p1" | "imsqti_apiptest_xmlv2p2" => (Role::Test, APIP),
        "imsqti_apipsection_xmlv2p1" | "imsqti_apipsection_xmlv2p2" => (Role::Section, APIP),
        "imsqti_apipstimulus_xmlv2p2" => (Role::Stimulus, APIP),
        _ => return None,
    })
}

/// The resource's main document: its `href`, else its first `file`.
pub fn main_href<'a>(resource: Node<'a, '_>) -> Option<&'a str> {
    resource.attribute("href").or_else(|| {
        resource
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == "file")
            .and_then(|f| f.attribute("href"))
    })
}

/// The root manifest as a [`Doc`] (copied references), if it parsed.
pub fn manifest_doc<'a>(ctx: &Ctx<'a>) -> Option<Doc<'a>> {
    ctx.docs.iter().find(|d| d.path == MANIFEST).map(|d| Doc {
        path: d.path,
        kind: d.kind,
        xml: d.xml,
    })
}

fn is_cp(n: &Node<'_, '_>, ns: Option<&str>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == ns
}

/// The `xml:base` values in force at `node` (outermost first) joined, as a folder prefix.
fn base_at(node: Node<'_, '_>) -> String {
    const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
    let mut bases: Vec<&str> = node
        .ancestors()
        .filter_map(|a| a.attribute((XML_NS, "base")))
        .collect();
    bases.reverse();
    let mut out = String::new();
    for b in bases {
        if b.starts_with('/') || has_scheme(b) {
            out = b.to_string();
        } else {
            out.push_str(b);
        }
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
    }
    out
}

/// Runs the CP rules on the root manifest, when there is one that parsed.
pub fn check(ctx: &mut Ctx<'_>) {
    let Some(doc) = manifest_doc(ctx) else {
        return;
    };
    let profile = Profile::of(&doc);
    if profile == Profile::Unknown {
        return; // PKG-DETECT-001 says so.
    }
    let root = doc.xml.root_element();
    let ns = root.tag_name().namespace();
    let all: Vec<Node<'_, '_>> = root.descendants().filter(|n| n.is_element()).collect();

    hrefs(ctx, &doc, &all, ns);
    identifiers(ctx, &doc, &all, ns);
    references(ctx, &doc, &all, ns);
    types(ctx, &doc, &all, ns, profile);
    unlisted(ctx, &all, ns);
}

/// CP-HREF-001 / CP-HREF-002.
fn hrefs(ctx: &mut Ctx<'_>, doc: &Doc<'_>, all: &[Node<'_, '_>], ns: Option<&str>) {
    for node in all {
        let (is_file, href) = if is_cp(node, ns, "resource") {
            match node.attribute("href") {
                Some(h) => (false, h),
                None => continue,
            }
        } else if is_cp(node, ns, "file") {
            match node.attribute("href") {
                Some(h) => (true, h),
                None => continue,
            }
        } else {
            continue;
        };
        let what = if is_file {
            "file href"
        } else {
            "resource href"
        };
        let base = base_at(*node);
        let full = format!("{base}{href}");
        match resolve_href("", &full) {
            Href::Outside(why) => {
                ctx.report(
                    CP_HREF_002,
                    doc,
                    *node,
                    format!("{what} leaves the package: {why}"),
                );
            }
            Href::External(url) if is_file => {
                ctx.report(
                    CP_HREF_002,
                    doc,
                    *node,
                    format!(
                        "file href `{url}` is an absolute URL; a <file> lists a file inside the package"
                    ),
                );
            }
            Href::External(_) => {} // a resource may be a web address.
            Href::Local(path) => {
                if find_file(ctx, "", &full).is_some() {
                    continue;
                }
                let hint = ctx
                    .package
                    .files
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(&path))
                    .map(|k| format!(" (the package has `{k}`, which differs in letter case)"))
                    .unwrap_or_default();
                let message = if path.is_empty() {
                    format!("{what} `{href}` names no file")
                } else {
                    format!("{what} `{href}` names `{path}`, which is not in the package{hint}")
                };
                ctx.report(CP_HREF_001, doc, *node, message);
            }
        }
    }
}

/// CP-ID-001.
fn identifiers(ctx: &mut Ctx<'_>, doc: &Doc<'_>, all: &[Node<'_, '_>], ns: Option<&str>) {
    let mut seen: HashMap<&str, (&str, u32)> = HashMap::new();
    for node in all {
        let name = node.tag_name().name();
        if node.tag_name().namespace() != ns
            || !matches!(name, "manifest" | "organization" | "item" | "resource")
        {
            continue;
        }
        let Some(id) = node.attribute("identifier") else {
            continue;
        };
        let line = doc.xml.text_pos_at(node.range().start).row;
        match seen.get(id) {
            Some((first, at)) => {
                let message = format!(
                    "identifier `{id}` of this <{name}> is already used by the <{first}> on line {at}"
                );
                ctx.report(CP_ID_001, doc, *node, message);
            }
            None => {
                seen.insert(id, (name, line));
            }
        }
    }
}

/// CP-DEP-001, CP-ORG-001, CP-ORG-002.
fn references(ctx: &mut Ctx<'_>, doc: &Doc<'_>, all: &[Node<'_, '_>], ns: Option<&str>) {
    let ids_of = |names: &[&str]| -> HashSet<&str> {
        all.iter()
            .filter(|n| n.tag_name().namespace() == ns && names.contains(&n.tag_name().name()))
            .filter_map(|n| n.attribute("identifier"))
            .collect()
    };
    let resources = ids_of(&["resource"]);
    let targets = ids_of(&["resource", "manifest"]);
    let orgs = ids_of(&["organization"]);
    for node in all {
        if is_cp(node, ns, "dependency") {
            let r = node.attribute("identifierref").unwrap_or("");
            if !resources.contains(r) {
                ctx.report(
                    CP_DEP_001,
                    doc,
                    *node,
                    format!("dependency identifierref `{r}` names no resource of the manifest"),
                );
            }
        } else if is_cp(node, ns, "item")
            && let Some(r) = node.attribute("identifierref")
            && !targets.contains(r)
        {
            ctx.report(
                CP_ORG_001,
                doc,
                *node,
                format!(
                    "item identifierref `{r}` names no resource (or sub-manifest) of the manifest"
                ),
            );
        } else if is_cp(node, ns, "organizations")
            && let Some(d) = node.attribute("default")
            && !orgs.contains(d)
        {
            ctx.report(
                CP_ORG_002,
                doc,
                *node,
                format!("organizations default `{d}` names no organization of the manifest"),
            );
        }
    }
}

/// CP-TYPE-001, CP-TYPE-002.
fn types(
    ctx: &mut Ctx<'_>,
    doc: &Doc<'_>,
    all: &[Node<'_, '_>],
    ns: Option<&str>,
    profile: Profile,
) {
    for node in all.iter().filter(|n| is_cp(n, ns, "resource")) {
        let t = node.attribute("type").unwrap_or("");
        match profile.allows(t) {
            Some(false) => {
                let also = match (profile, t) {
                    (Profile::Qti300, "imslti_xmlv1p1" | "imsltia_xmlv1p0") => {
                        " (it is a QTI 3.0.1 type: declare schemaversion 3.0.1)"
                    }
                    (Profile::Qti301, "imsbasiclti_xmlv1p3") => {
                        " (it is a QTI 3.0.0 type; 3.0.1 uses imslti_xmlv1p1)"
                    }
                    _ => "",
                };
                ctx.report(
                    CP_TYPE_001,
                    doc,
                    *node,
                    format!("resource type `{t}` is not one of {}{also}", profile.name()),
                );
                continue;
            }
            None if profile == Profile::PlainCp
                && t.starts_with("imsqti_")
                && !t.starts_with("imsqti_xmlv1p2")
                && !known_qti_type(t) =>
            {
                ctx.report(
                    CP_TYPE_001,
                    doc,
                    *node,
                    format!("resource type `{t}` is not a type any QTI 2.x, 3.0 or APIP package profile defines"),
                );
                continue;
            }
            _ => {}
        }
        // CP-TYPE-002: the document behind a QTI item/test/section/stimulus resource.
        let Some((role, standards)) = qti_expectation(t) else {
            continue;
        };
        let Some(href) = main_href(*node) else {
            continue;
        };
        let full = format!("{}{href}", base_at(*node));
        let Some(path) = find_file(ctx, "", &full) else {
            continue; // CP-HREF-001
        };
        let Some(target) = ctx.docs.iter().find(|d| d.path == path) else {
            continue; // not XML, or PKG-XML-001
        };
        let k = target.kind;
        if k.standard == Standard::Other {
            continue; // PKG-DETECT-001
        }
        if k.role != role || !standards.contains(&k.standard) {
            let root = target.xml.root_element().tag_name().name().to_string();
            ctx.report(
                CP_TYPE_002,
                doc,
                *node,
                format!(
                    "resource type `{t}` needs {} {}, but `{path}` is <{root}> ({:?} {:?})",
                    standards_name(standards),
                    role_name(role),
                    k.standard,
                    k.role
                ),
            );
        }
    }
}

fn standards_name(s: &[Standard]) -> &'static str {
    match s.first() {
        Some(Standard::Qti21) => "a QTI 2.1",
        Some(Standard::Qti20) => "a QTI 2.0",
        Some(Standard::Qti22) => "a QTI 2.2",
        Some(Standard::Qti30) => "a QTI 3.0",
        Some(Standard::Apip) => "an APIP",
        _ => "a",
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Item => "assessment item",
        Role::Test => "assessment test",
        Role::Section => "assessment section",
        Role::Stimulus => "stimulus",
        _ => "document",
    }
}

/// CP-FILE-001: files no `file/@href` or `resource/@href` lists. The manifest itself and schema
/// files (`.xsd`, `.dtd`, control files of the package) are exempt.
fn unlisted(ctx: &mut Ctx<'_>, all: &[Node<'_, '_>], ns: Option<&str>) {
    let mut listed: HashSet<String> = HashSet::new();
    for node in all {
        if !(is_cp(node, ns, "file") || is_cp(node, ns, "resource")) {
            continue;
        }
        if let Some(href) = node.attribute("href") {
            let full = format!("{}{href}", base_at(*node));
            if let Some(p) = find_file(ctx, "", &full) {
                listed.insert(p);
            }
        }
    }
    let missing: Vec<String> = ctx
        .package
        .files
        .keys()
        .filter(|p| {
            let lower = p.to_ascii_lowercase();
            p.as_str() != MANIFEST
                && !lower.ends_with(".xsd")
                && !lower.ends_with(".dtd")
                && !listed.contains(p.as_str())
        })
        .cloned()
        .collect();
    for p in missing {
        ctx.report_file(
            CP_FILE_001,
            &p,
            "the file is in the package but no <file> or resource href of imsmanifest.xml lists it",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{Href, resolve_href};

    #[test]
    fn hrefs_resolve() {
        assert_eq!(resolve_href("", "a/./b.xml"), Href::Local("a/b.xml".into()));
        assert_eq!(resolve_href("x", "../a.xml"), Href::Local("a.xml".into()));
        assert_eq!(
            resolve_href("", "file%201.txt#top"),
            Href::Local("file 1.txt".into())
        );
        assert!(matches!(resolve_href("", "../a.xml"), Href::Outside(_)));
        assert!(matches!(resolve_href("", "/a.xml"), Href::Outside(_)));
        assert!(matches!(resolve_href("", "C:/a.xml"), Href::Outside(_)));
        assert!(matches!(
            resolve_href("", "file:///a.xml"),
            Href::Outside(_)
        ));
        assert!(matches!(
            resolve_href("", "https://example.org/a"),
            Href::External(_)
        ));
    }
}
