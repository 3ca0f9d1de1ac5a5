//! Package-level rules (packages.md §4 A, checks 1, 2 and 12; the issue's "a file that is not
//! well-formed XML, a zip that cannot be read, or a document whose standard cannot be detected
//! is itself a MUST finding"):
//!
//! - `PKG-MAN-001` a zip or folder package has `imsmanifest.xml` at its root, and
//!   `PKG-MAN-002` not only in a sub-folder (a "nested root folder");
//! - `PKG-XML-001` every XML file is well-formed, and `PKG-XML-002` (SHOULD) declares no
//!   entities of its own (Plugfest never expands entities, DESIGN §7, so such a file is not
//!   checked);
//! - `PKG-DETECT-001` a document the package presents as a standard's (the root manifest, the
//!   document of a QTI/APIP resource, a single file given to validate) is one Plugfest recognises.
//!
//! The zip-safety rules (`PKG-ZIP-…`) are reported while reading the input ([`crate::input`]);
//! `PKG-XML-…` while parsing ([`crate::validate`]), since a file that does not parse never
//! becomes a [`super::Doc`].

use super::cp::{MANIFEST, find_file, main_href, manifest_doc, qti_expectation};
use super::{Ctx, Doc};
use crate::doc::Standard;
use crate::input::InputKind;

/// A zip or folder package has `imsmanifest.xml` at its root.
pub const PKG_MAN_001: &str = "PKG-MAN-001";
/// `imsmanifest.xml` is at the root, not only in a sub-folder.
pub const PKG_MAN_002: &str = "PKG-MAN-002";
/// Every XML file is well-formed.
pub const PKG_XML_001: &str = "PKG-XML-001";
/// No XML file declares entities of its own (SHOULD).
pub const PKG_XML_002: &str = "PKG-XML-002";
/// Documents the package presents as a standard's are recognised.
pub const PKG_DETECT_001: &str = "PKG-DETECT-001";

/// The root element of an IWB `content.xml`.
const IWB_ROOT: &str = "iwb";

/// The rules that need only the package: an unrecognised root manifest, and QTI/APIP
/// resources whose document is not a document of a recognised standard.
pub fn check(ctx: &mut Ctx<'_>) {
    let Some(manifest) = manifest_doc(ctx) else {
        return;
    };
    let root = manifest.xml.root_element();
    if manifest.kind.standard == Standard::Other {
        ctx.report(
            PKG_DETECT_001,
            &manifest,
            root,
            format!(
                "imsmanifest.xml is not a manifest of a recognised package standard: {}",
                manifest.kind.why
            ),
        );
        return;
    }
    let ns = root.tag_name().namespace();
    let resources: Vec<_> = root
        .descendants()
        .filter(|n| {
            n.is_element() && n.tag_name().name() == "resource" && n.tag_name().namespace() == ns
        })
        .collect();
    for r in resources {
        let t = r.attribute("type").unwrap_or("");
        if qti_expectation(t).is_none() {
            continue;
        }
        let Some(href) = main_href(r) else {
            continue;
        };
        let Some(path) = find_file(ctx, "", href) else {
            continue;
        };
        let target = ctx.docs.iter().find(|d| d.path == path).map(|d| Doc {
            path: d.path,
            kind: d.kind,
            xml: d.xml,
        });
        if let Some(target) = target
            && target.kind.standard == Standard::Other
        {
            let id = r.attribute("identifier").unwrap_or("");
            ctx.report(
                PKG_DETECT_001,
                &target,
                target.xml.root_element(),
                format!(
                    "resource `{id}` (type {t}) points here, but this is not a document of a recognised standard: {}",
                    target.kind.why
                ),
            );
        }
    }
}

/// The rules that depend on what the input was: a manifest for zips and folders, a recognised
/// document for a single file (`main`, its package path).
pub fn check_input(ctx: &mut Ctx<'_>, kind: InputKind, main: Option<&str>) {
    match kind {
        InputKind::Zip | InputKind::Folder => {
            if ctx.package.has(MANIFEST) {
                return;
            }
            let nested: Vec<&String> = ctx
                .package
                .files
                .keys()
                .filter(|p| p.ends_with("/imsmanifest.xml"))
                .collect();
            if let Some(first) = nested
                .iter()
                .min_by_key(|p| (p.matches('/').count(), p.len()))
            {
                let first = first.to_string();
                ctx.report_file(
                    PKG_MAN_002,
                    &first,
                    format!(
                        "imsmanifest.xml is not at the package root but in `{}/`; importers look for it at the root (zip the package's contents, not its folder)",
                        &first[..first.len() - "/imsmanifest.xml".len()]
                    ),
                );
                return;
            }
            // An IWB file is a zip with content.xml at its root and no manifest; what is wrong
            // with one is the IWB rules' to say. Taken for one as the IWB rules do: by its
            // name, or by an `iwb` root element.
            let iwb = ctx.package.name.to_ascii_lowercase().ends_with(".iwb")
                || ctx
                    .docs
                    .iter()
                    .any(|d| d.xml.root_element().tag_name().name() == IWB_ROOT);
            if iwb {
                return;
            }
            let odd = ctx
                .package
                .files
                .keys()
                .find(|p| p.eq_ignore_ascii_case(MANIFEST))
                .map(|p| format!(" (there is `{p}`: the name is lower case)"))
                .unwrap_or_default();
            ctx.report_package(
                PKG_MAN_001,
                format!("the package has no imsmanifest.xml at its root{odd}"),
            );
        }
        InputKind::File => {
            let Some(main) = main else {
                return;
            };
            if !ctx.package.has(main) {
                return; // not read: a PKG-ZIP finding says why
            }
            match ctx.docs.iter().find(|d| d.path == main) {
                Some(d) if d.kind.standard == Standard::Other => {
                    let why = d.kind.why.clone();
                    ctx.report_file(
                        PKG_DETECT_001,
                        main,
                        format!("not a document of a standard Plugfest validates: {why}"),
                    );
                }
                Some(_) => {}
                None if ctx.parse_failed(main) => {}
                None => ctx.report_file(
                    PKG_DETECT_001,
                    main,
                    "not an XML document of a standard Plugfest validates",
                ),
            }
        }
    }
}

impl Ctx<'_> {
    /// True when `path` was meant to be XML but did not parse (a `PKG-XML-…` finding exists).
    fn parse_failed(&self, path: &str) -> bool {
        self.findings.iter().any(|f| {
            (f.rule == PKG_XML_001 || f.rule == PKG_XML_002)
                && f.location.path.as_deref() == Some(path)
        })
    }
}
