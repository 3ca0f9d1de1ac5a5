//! What the importer checks in a package it read safely ([`super::archive`]), written from the
//! specifications (packages.md §4): the manifest at the root and well-formed (check 1), its
//! identifiers unique (check 5), every resource `href` and `file/@href` — after `xml:base` —
//! inside the package and present (checks 2, 3), the documents of typed resources well-formed,
//! every QTI 2.x / 3.0 interaction's response identifier declared (check 14), and every Common
//! Cartridge web link an absolute http(s) URL (check 44; CC 1.1 IG §4.4.8: "the URL … of the
//! web link"). The first rule broken is the refusal; a package that breaks none is described
//! by its [`Summary`].
//!
//! XML is parsed with roxmltree: no DTD (so no entity expansion), no network, a node cap.

use std::collections::{BTreeSet, HashSet};

use percent_encoding::percent_decode_str;
use roxmltree::{Document, Node, ParsingOptions};
use serde::Serialize;

use super::archive::{self, Archive, ArchiveFaults, LIMITS};
use super::fault::{FaultSet, PackagesImporterFault};
use super::refusal::{Refusal, clip};

/// The manifest's name (CP 1.1 §2: "the manifest file … must be named imsmanifest.xml and be
/// placed at the root").
const MANIFEST: &str = "imsmanifest.xml";
/// The most XML nodes parsed in one document.
const MAX_NODES: u32 = 2_000_000;
/// The longest value from the package quoted in a refusal.
const MAX_QUOTED: usize = 200;
/// The most resources an import's summary lists (it counts them all).
const MAX_SUMMARY_RESOURCES: usize = 100;
/// The `xml:base` attribute's namespace.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The faults that bend the checks; read only here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CheckFaults {
    /// `packages-importer/accepts-missing-file`
    pub accepts_missing_file: bool,
    /// `packages-importer/accepts-undeclared-response`
    pub accepts_undeclared_response: bool,
    /// `packages-importer/accepts-not-a-zip`
    pub accepts_not_a_zip: bool,
    /// `packages-importer/refuses-good-qti`
    pub refuses_good_qti: bool,
    /// `packages-importer/refuses-good-cc`
    pub refuses_good_cc: bool,
    /// `packages-importer/accepts-zip-slip` (passed on to the archive reader).
    pub archive: ArchiveFaults,
}

impl CheckFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            accepts_missing_file: set.has(PackagesImporterFault::AcceptsMissingFile),
            accepts_undeclared_response: set.has(PackagesImporterFault::AcceptsUndeclaredResponse),
            accepts_not_a_zip: set.has(PackagesImporterFault::AcceptsNotAZip),
            refuses_good_qti: set.has(PackagesImporterFault::RefusesGoodQti),
            refuses_good_cc: set.has(PackagesImporterFault::RefusesGoodCc),
            archive: ArchiveFaults::from_set(set),
        }
    }
}

/// What an accepted upload holds (the body of `GET /imports/<id>`, less the id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    /// `qti-2.1`, `qti-3.0`, `cc-1.3`, `ims-cp`, …, or `unknown` (a body that was no package).
    pub kind: String,
    /// The manifest's identifier.
    pub manifest_identifier: Option<String>,
    /// The manifest's resources, in order (the first [`MAX_SUMMARY_RESOURCES`]).
    pub resources: Vec<ResourceSummary>,
    /// How many resources the manifest has.
    pub resource_count: usize,
    /// Files in the zip.
    pub files: usize,
    /// Inflated bytes in the zip (the body's size for a body that was no zip).
    pub bytes: u64,
}

/// One resource of an accepted package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ResourceSummary {
    pub identifier: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub href: Option<String>,
}

/// Whether a declared `Content-Type` is one a zip is sent as.
fn is_zip_media_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/zip"
            | "application/x-zip"
            | "application/x-zip-compressed"
            | "application/octet-stream"
    ) || essence.starts_with("application/vnd.ims.imscc")
}

/// Judge one upload: its declared media type (none means "sniff it"), its body as a zip, then
/// the package in it.
pub(crate) fn inspect(
    content_type: Option<&str>,
    body: &[u8],
    faults: CheckFaults,
) -> Result<Summary, Refusal> {
    let not_a_package = || Summary {
        kind: "unknown".into(),
        manifest_identifier: None,
        resources: Vec::new(),
        resource_count: 0,
        files: 0,
        bytes: body.len() as u64,
    };
    if let Some(declared) = content_type
        && !is_zip_media_type(declared)
    {
        if faults.accepts_not_a_zip {
            return Ok(not_a_package());
        }
        return Err(Refusal::NotZipMediaType(clip(declared, MAX_QUOTED)));
    }
    let archive = match archive::read(body, &LIMITS, faults.archive) {
        Err(Refusal::NotAZip(_)) if faults.accepts_not_a_zip => return Ok(not_a_package()),
        other => other?,
    };
    check(&archive, faults)
}

/// A resource of the manifest, as the checks read it.
struct Resource<'a, 'input> {
    node: Node<'a, 'input>,
    identifier: String,
    type_: String,
    href: Option<String>,
    /// The `xml:base` folders in force for its hrefs (manifest, resources, resource).
    base: String,
}

impl Resource<'_, '_> {
    /// Whether `href`, under this resource's `xml:base`, is an absolute URL rather than a
    /// path in the package.
    fn external(&self, href: &str) -> bool {
        has_scheme(href) || has_scheme(&self.base)
    }
}

/// Check the package in `archive`.
pub(crate) fn check(archive: &Archive, faults: CheckFaults) -> Result<Summary, Refusal> {
    let Some(manifest_bytes) = archive.files.get(MANIFEST).and_then(|e| e.bytes.as_deref()) else {
        return Err(Refusal::ManifestMissing(missing_manifest_message(archive)));
    };
    let text = xml_text(manifest_bytes).map_err(Refusal::ManifestMalformed)?;
    let doc = parse(text).map_err(Refusal::ManifestMalformed)?;
    let root = doc.root_element();
    if root.tag_name().name() != "manifest" {
        return Err(Refusal::ManifestMalformed(format!(
            "its root element is <{}>, not <manifest>",
            clip(root.tag_name().name(), MAX_QUOTED)
        )));
    }
    let cp = root.tag_name().namespace();

    // CP 1.1 (imscp_v1p1.xsd): manifest, organization, item and resource identifiers are
    // xs:ID — unique within the manifest.
    let mut seen = HashSet::new();
    for node in root.descendants().filter(|n| {
        n.is_element()
            && n.tag_name().namespace() == cp
            && matches!(
                n.tag_name().name(),
                "manifest" | "organization" | "item" | "resource"
            )
    }) {
        if let Some(id) = node.attribute("identifier")
            && !seen.insert(id)
        {
            return Err(Refusal::DuplicateIdentifier(clip(id, MAX_QUOTED)));
        }
    }

    let resources = resources(root, cp);
    for r in &resources {
        if let Some(href) = &r.href {
            // A resource href may be an absolute URL (CP 1.1: "a URL … to the entry point");
            // only a relative one names a file of the package.
            if !r.external(href) {
                require_file(archive, r, href, faults)?;
            }
        }
        for href in file_hrefs(r.node, cp) {
            require_file(archive, r, href, faults)?;
        }
    }

    let mut parsed = BTreeSet::new();
    for r in &resources {
        let hrefs = r
            .href
            .iter()
            .map(String::as_str)
            .chain(file_hrefs(r.node, cp));
        for href in hrefs {
            let Some(Ok(path)) = (!r.external(href)).then(|| resolve(&r.base, href)) else {
                continue;
            };
            if !parsed.insert(path.clone()) {
                continue;
            }
            let Some(bytes) = archive.files.get(&path).and_then(|e| e.bytes.as_deref()) else {
                continue;
            };
            check_document(r, &path, bytes, faults)?;
        }
    }

    let kind = kind(cp.unwrap_or_default(), &resources);
    if faults.refuses_good_qti && kind == "qti-2.1" {
        return Err(Refusal::Unsupported("QTI 2.1"));
    }
    if faults.refuses_good_cc && kind.starts_with("cc-") {
        return Err(Refusal::Unsupported("Common Cartridge"));
    }
    Ok(Summary {
        kind,
        manifest_identifier: root.attribute("identifier").map(|id| clip(id, MAX_QUOTED)),
        resource_count: resources.len(),
        resources: resources
            .iter()
            .take(MAX_SUMMARY_RESOURCES)
            .map(|r| ResourceSummary {
                identifier: clip(&r.identifier, MAX_QUOTED),
                type_: clip(&r.type_, MAX_QUOTED),
                href: r.href.as_deref().map(|h| clip(h, MAX_QUOTED)),
            })
            .collect(),
        files: archive.files.len(),
        bytes: archive.total_bytes,
    })
}

/// Why there is no manifest at the root, with the nested one when the package was zipped
/// with its folder (TAO's `NestedRootFolder` fixture).
fn missing_manifest_message(archive: &Archive) -> String {
    match archive
        .files
        .keys()
        .find(|name| name.ends_with("/imsmanifest.xml"))
    {
        Some(nested) => format!(
            "imsmanifest.xml is not at the root of the zip (there is `{}`: zip the folder's content, not the folder)",
            clip(nested, MAX_QUOTED)
        ),
        None => "the zip has no imsmanifest.xml at its root".into(),
    }
}

/// The resources of the manifest (`manifest/resources/resource` in the manifest's
/// namespace), with the `xml:base` folders in force for each.
fn resources<'a, 'input>(root: Node<'a, 'input>, cp: Option<&'a str>) -> Vec<Resource<'a, 'input>> {
    let base_of = |n: Node<'_, '_>| n.attribute((XML_NS, "base")).unwrap_or_default().to_owned();
    let mut out = Vec::new();
    for container in children(root, cp, "resources") {
        for node in children(container, cp, "resource") {
            out.push(Resource {
                node,
                identifier: node.attribute("identifier").unwrap_or_default().to_owned(),
                type_: node.attribute("type").unwrap_or_default().to_owned(),
                href: node.attribute("href").map(str::to_owned),
                base: [base_of(root), base_of(container), base_of(node)].concat(),
            });
        }
    }
    out
}

/// The element children of `node` named `name` in namespace `ns`.
fn children<'a, 'input>(
    node: Node<'a, 'input>,
    ns: Option<&'a str>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(move |n| {
        n.is_element() && n.tag_name().namespace() == ns && n.tag_name().name() == name
    })
}

/// The `file/@href`s of a resource.
fn file_hrefs<'a>(resource: Node<'a, '_>, cp: Option<&'a str>) -> impl Iterator<Item = &'a str> {
    children(resource, cp, "file").filter_map(|f| f.attribute("href"))
}

/// Refuse unless `href` (of resource `r`) names a file of the package.
fn require_file(
    archive: &Archive,
    r: &Resource<'_, '_>,
    href: &str,
    faults: CheckFaults,
) -> Result<(), Refusal> {
    let outside = || Refusal::HrefOutside {
        resource: clip(&r.identifier, MAX_QUOTED),
        href: clip(&[r.base.as_str(), href].concat(), MAX_QUOTED),
    };
    if r.external(href) {
        return Err(outside());
    }
    let path = resolve(&r.base, href).map_err(|()| outside())?;
    if !faults.accepts_missing_file && !archive.files.contains_key(&path) {
        return Err(Refusal::MissingFile {
            resource: clip(&r.identifier, MAX_QUOTED),
            path: clip(&path, MAX_QUOTED),
        });
    }
    Ok(())
}

/// Whether `href` is an absolute URI (RFC 3986 §3.1: a scheme of a letter then letters,
/// digits, `+`, `-` or `.`, then `:`); one letter before the colon is a drive letter instead.
fn has_scheme(href: &str) -> bool {
    let Some((scheme, _)) = href.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The zip entry name `href` refers to, relative to the `base` folders (query and fragment
/// dropped, percent-escapes decoded, `.` and `..` applied); `Err` when it leaves the package
/// (an absolute path, or more `..` than folders).
fn resolve(base: &str, href: &str) -> Result<String, ()> {
    let href = href.split(['?', '#']).next().unwrap_or_default();
    let joined = [base, href].concat();
    let decoded = percent_decode_str(&joined).decode_utf8_lossy();
    if decoded.starts_with('/') || decoded.starts_with('\\') {
        return Err(());
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(())?;
            }
            _ => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

/// The checks of one XML document of resource `r`, at `path`.
fn check_document(
    r: &Resource<'_, '_>,
    path: &str,
    bytes: &[u8],
    faults: CheckFaults,
) -> Result<(), Refusal> {
    // Web content may be any file, well-formed or not; the typed resources' documents are
    // what an importer must read.
    let typed = !(r.type_ == "webcontent" || r.type_.starts_with("associatedcontent"));
    let malformed = |why: String| Refusal::DocumentMalformed {
        resource: clip(&r.identifier, MAX_QUOTED),
        path: clip(path, MAX_QUOTED),
        why,
    };
    let doc = match xml_text(bytes).and_then(parse) {
        Ok(doc) => doc,
        Err(why) if typed => return Err(malformed(why)),
        Err(_) => return Ok(()),
    };
    let root = doc.root_element();
    let ns = root.tag_name().namespace().unwrap_or_default();
    match root.tag_name().name() {
        "assessmentItem" if ns.contains("/imsqti_v2p") && !faults.accepts_undeclared_response => {
            responses_declared(root, path, QTI2_NAMES)
        }
        "qti-assessment-item"
            if ns.contains("/imsqtiasi_v3p0") && !faults.accepts_undeclared_response =>
        {
            responses_declared(root, path, QTI3_NAMES)
        }
        "webLink" if r.type_.starts_with("imswl_xmlv1p") => weblink_url(root, path),
        _ => Ok(()),
    }
}

/// The names QTI spells a response declaration and the attributes naming one with.
struct QtiNames {
    declaration: &'static str,
    response_identifier: &'static str,
    text_entry: &'static str,
    string_identifier: &'static str,
}

const QTI2_NAMES: QtiNames = QtiNames {
    declaration: "responseDeclaration",
    response_identifier: "responseIdentifier",
    text_entry: "textEntryInteraction",
    string_identifier: "stringIdentifier",
};

const QTI3_NAMES: QtiNames = QtiNames {
    declaration: "qti-response-declaration",
    response_identifier: "response-identifier",
    text_entry: "qti-text-entry-interaction",
    string_identifier: "string-identifier",
};

/// QTI 2.1 Info Model, interactions: "responseIdentifier … The response variable associated
/// with the interaction" — which the item must declare ("All variables must be declared",
/// QTI 3 Info Model); a textEntryInteraction's `stringIdentifier` names a response variable
/// too (packages.md §4 check 14).
fn responses_declared(item: Node<'_, '_>, path: &str, names: QtiNames) -> Result<(), Refusal> {
    let ns = item.tag_name().namespace();
    let declared: HashSet<&str> = item
        .descendants()
        .filter(|n| {
            n.is_element()
                && n.tag_name().namespace() == ns
                && n.tag_name().name() == names.declaration
        })
        .filter_map(|n| n.attribute("identifier"))
        .collect();
    for node in item.descendants().filter(|n| n.is_element()) {
        let mut named = vec![(
            names.response_identifier,
            node.attribute(names.response_identifier),
        )];
        if node.tag_name().name() == names.text_entry {
            named.push((
                names.string_identifier,
                node.attribute(names.string_identifier),
            ));
        }
        for (attribute, value) in named {
            if let Some(id) = value
                && !declared.contains(id)
            {
                return Err(Refusal::UndeclaredResponse {
                    path: clip(path, MAX_QUOTED),
                    element: clip(node.tag_name().name(), MAX_QUOTED),
                    attribute,
                    identifier: clip(id, MAX_QUOTED),
                });
            }
        }
    }
    Ok(())
}

/// A web link's `url/@href` must be an absolute http(s) URL with a host: a relative URL has
/// nothing to be relative to once the cartridge is imported.
fn weblink_url(root: Node<'_, '_>, path: &str) -> Result<(), Refusal> {
    let refuse = |url: &str, why: String| Refusal::WebLinkUrl {
        path: clip(path, MAX_QUOTED),
        url: clip(url, MAX_QUOTED),
        why,
    };
    let Some(href) = root
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "url")
        .and_then(|n| n.attribute("href"))
    else {
        return Err(refuse("", "the web link has no <url href=\"…\">".into()));
    };
    let href_trimmed = href.trim();
    match url::Url::parse(href_trimmed) {
        Err(e) => Err(refuse(href, e.to_string())),
        Ok(u) if !matches!(u.scheme(), "http" | "https") => {
            Err(refuse(href, format!("scheme `{}`", u.scheme())))
        }
        Ok(u) if u.host_str().is_none_or(str::is_empty) => Err(refuse(href, "no host".into())),
        Ok(_) => Ok(()),
    }
}

/// The package kind: by the manifest namespace for cartridges, by the resource types for QTI.
fn kind(manifest_ns: &str, resources: &[Resource<'_, '_>]) -> String {
    if let Some(rest) = manifest_ns.strip_prefix("http://www.imsglobal.org/xsd/imscc") {
        let version = match rest.split('/').next().unwrap_or_default() {
            "" => "1.0",
            "v1p1" => "1.1",
            "v1p2" => "1.2",
            "v1p3" => "1.3",
            "v1p4" => "1.4",
            _ => "unknown",
        };
        return format!("cc-{version}");
    }
    let qti = resources
        .iter()
        .filter_map(|r| r.type_.strip_prefix("imsqti_"))
        .find_map(|t| t.split_once("_xmlv").map(|(_, v)| v.to_owned()));
    match qti.as_deref() {
        Some("2p1") => "qti-2.1".into(),
        Some("2p2") => "qti-2.2".into(),
        Some("3p0") => "qti-3.0".into(),
        Some(_) => "qti".into(),
        None => "ims-cp".into(),
    }
}

/// `bytes` as UTF-8 text without a byte-order mark.
fn xml_text(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes)
        .map(|s| s.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("not UTF-8 ({e})"))
}

/// `text` parsed as XML: no DTD, at most [`MAX_NODES`] nodes.
fn parse(text: &str) -> Result<Document<'_>, String> {
    Document::parse_with_options(
        text,
        ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_NODES,
            ..ParsingOptions::default()
        },
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package_files::write_zip;
    use crate::packages_exporter::{cc, qti};

    fn inspect_zip(zip: &[u8], faults: CheckFaults) -> Result<Summary, Refusal> {
        inspect(Some("application/zip"), zip, faults)
    }

    fn qti_zip(f: qti::QtiFaults) -> Vec<u8> {
        qti::package(f).unwrap()
    }

    fn cc_zip(f: cc::CcFaults) -> Vec<u8> {
        cc::package(f).unwrap()
    }

    #[test]
    fn the_exporters_clean_packages_are_accepted() {
        let s = inspect_zip(&qti_zip(Default::default()), CheckFaults::default()).unwrap();
        assert_eq!(s.kind, "qti-2.1");
        assert_eq!(
            s.manifest_identifier.as_deref(),
            Some("PLUGFEST-QTI21-PACKAGE")
        );
        assert_eq!(s.resources.len(), 4);
        assert_eq!(s.resource_count, 4);
        assert_eq!(s.files, 5);
        let s = inspect_zip(&cc_zip(Default::default()), CheckFaults::default()).unwrap();
        assert_eq!(s.kind, "cc-1.3");
        assert_eq!(s.resources[1].type_, "imswl_xmlv1p3");
    }

    #[test]
    fn each_bad_package_is_refused_for_its_own_rule() {
        let none = CheckFaults::default();
        let missing = qti_zip(qti::QtiFaults {
            missing_file: true,
            ..Default::default()
        });
        assert_eq!(
            inspect_zip(&missing, none),
            Err(Refusal::MissingFile {
                resource: "RES-ITEM-CHOICE".into(),
                path: qti::MISSING_PATH.into()
            })
        );
        let undeclared = qti_zip(qti::QtiFaults {
            undeclared_response_identifier: true,
            ..Default::default()
        });
        assert_eq!(
            inspect_zip(&undeclared, none),
            Err(Refusal::UndeclaredResponse {
                path: qti::CHOICE_PATH.into(),
                element: "choiceInteraction".into(),
                attribute: "responseIdentifier",
                identifier: qti::UNDECLARED_RESPONSE.into(),
            })
        );
        let duplicate = qti_zip(qti::QtiFaults {
            duplicate_identifier: true,
            ..Default::default()
        });
        assert_eq!(
            inspect_zip(&duplicate, none),
            Err(Refusal::DuplicateIdentifier("RES-ITEM-CHOICE".into()))
        );
        let slip = qti_zip(qti::QtiFaults {
            zip_slip_entry: true,
            ..Default::default()
        });
        assert!(matches!(
            inspect_zip(&slip, none),
            Err(Refusal::UnsafeEntryName { .. })
        ));
        let relative = cc_zip(cc::CcFaults {
            weblink_relative_url: true,
            ..Default::default()
        });
        assert!(matches!(
            inspect_zip(&relative, none),
            Err(Refusal::WebLinkUrl { ref url, .. }) if url == cc::RELATIVE_URL
        ));
        let cc_missing = cc_zip(cc::CcFaults {
            cc_missing_file: true,
            ..Default::default()
        });
        assert!(matches!(
            inspect_zip(&cc_missing, none),
            Err(Refusal::MissingFile { ref path, .. }) if path == cc::PAGE_PATH
        ));
        // XSD order is not the importer's to judge (it checks what the spec notes list).
        let order = qti_zip(qti::QtiFaults {
            item_not_schema_valid: true,
            ..Default::default()
        });
        assert!(inspect_zip(&order, none).is_ok());
    }

    #[test]
    fn faults_flip_the_checks() {
        let missing = qti_zip(qti::QtiFaults {
            missing_file: true,
            ..Default::default()
        });
        let faults = CheckFaults {
            accepts_missing_file: true,
            ..Default::default()
        };
        assert!(inspect_zip(&missing, faults).is_ok());
        let undeclared = qti_zip(qti::QtiFaults {
            undeclared_response_identifier: true,
            ..Default::default()
        });
        let faults = CheckFaults {
            accepts_undeclared_response: true,
            ..Default::default()
        };
        assert!(inspect_zip(&undeclared, faults).is_ok());
        let faults = CheckFaults {
            accepts_not_a_zip: true,
            ..Default::default()
        };
        assert_eq!(
            inspect(Some("text/plain"), b"hello", faults).unwrap().kind,
            "unknown"
        );
        assert_eq!(inspect(None, b"hello", faults).unwrap().kind, "unknown");
        let faults = CheckFaults {
            refuses_good_qti: true,
            ..Default::default()
        };
        assert_eq!(
            inspect_zip(&qti_zip(Default::default()), faults),
            Err(Refusal::Unsupported("QTI 2.1"))
        );
        assert!(inspect_zip(&cc_zip(Default::default()), faults).is_ok());
        let faults = CheckFaults {
            refuses_good_cc: true,
            ..Default::default()
        };
        assert_eq!(
            inspect_zip(&cc_zip(Default::default()), faults),
            Err(Refusal::Unsupported("Common Cartridge"))
        );
        assert!(inspect_zip(&qti_zip(Default::default()), faults).is_ok());
    }

    #[test]
    fn media_types_and_manifests_are_judged() {
        let none = CheckFaults::default();
        assert_eq!(
            inspect(Some("text/plain; charset=utf-8"), b"x", none),
            Err(Refusal::NotZipMediaType("text/plain; charset=utf-8".into()))
        );
        assert!(matches!(
            inspect(Some("application/zip"), b"not a zip", none),
            Err(Refusal::NotAZip(_))
        ));
        let nested = write_zip(&[("pkg/imsmanifest.xml", b"<manifest/>".as_slice())]).unwrap();
        assert!(matches!(
            inspect_zip(&nested, none),
            Err(Refusal::ManifestMissing(ref m)) if m.contains("pkg/imsmanifest.xml")
        ));
        let broken = write_zip(&[("imsmanifest.xml", b"<manifest>".as_slice())]).unwrap();
        assert!(matches!(
            inspect_zip(&broken, none),
            Err(Refusal::ManifestMalformed(_))
        ));
        let dtd = write_zip(&[(
            "imsmanifest.xml",
            b"<!DOCTYPE m [<!ENTITY a \"aaaa\">]><manifest>&a;</manifest>".as_slice(),
        )])
        .unwrap();
        assert!(matches!(
            inspect_zip(&dtd, none),
            Err(Refusal::ManifestMalformed(_))
        ));
    }

    #[test]
    fn hrefs_resolve_with_xml_base_and_may_not_leave_the_package() {
        assert_eq!(resolve("items/", "q%201.xml"), Ok("items/q 1.xml".into()));
        assert_eq!(resolve("a/b/", "../c.xml#x"), Ok("a/c.xml".into()));
        assert_eq!(resolve("", "../c.xml"), Err(()));
        assert_eq!(resolve("", "/etc/passwd"), Err(()));
        assert!(has_scheme("https://x.example/a"));
        assert!(!has_scheme("C:/x"));
        assert!(!has_scheme("items/a.xml"));
        let manifest = br#"<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M"
            xmlns:xml="http://www.w3.org/XML/1998/namespace">
          <organizations/>
          <resources xml:base="content/">
            <resource identifier="R1" type="webcontent" href="page.html"><file href="page.html"/></resource>
            <resource identifier="R2" type="webcontent" href="https://example.com/x"/>
            <resource identifier="R3" type="webcontent"><file href="../../outside.html"/></resource>
          </resources>
        </manifest>"#;
        let zip = write_zip(&[
            ("imsmanifest.xml", manifest.as_slice()),
            ("content/page.html", b"<p>hi</p>".as_slice()),
        ])
        .unwrap();
        assert_eq!(
            inspect_zip(&zip, CheckFaults::default()),
            Err(Refusal::HrefOutside {
                resource: "R3".into(),
                href: "content/../../outside.html".into()
            })
        );
    }

    #[test]
    fn qti3_items_are_checked_too() {
        let manifest = br#"<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="M">
          <organizations/><resources>
            <resource identifier="I1" type="imsqti_item_xmlv3p0" href="i.xml"><file href="i.xml"/></resource>
          </resources></manifest>"#;
        let item = br#"<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="i">
          <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>
          <qti-item-body><p><qti-text-entry-interaction response-identifier="OTHER"/></p></qti-item-body>
        </qti-assessment-item>"#;
        let zip = write_zip(&[
            ("imsmanifest.xml", manifest.as_slice()),
            ("i.xml", item.as_slice()),
        ])
        .unwrap();
        assert!(matches!(
            inspect_zip(&zip, CheckFaults::default()),
            Err(Refusal::UndeclaredResponse { ref identifier, .. }) if identifier == "OTHER"
        ));
    }
}
