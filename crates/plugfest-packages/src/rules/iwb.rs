//! IWB Common File Format 1.0 (packages.md §6): only what the public facts support. An `.iwb`
//! file is a zip with `content.xml` at its root, whose root element is `iwb` in
//! `http://www.imsglobal.org/xsd/iwb_v1p0`, and the media that file references (`xlink:href` or
//! `href` of SVG `image`, `audio`, `video`) are in the zip. No public XSD or specification text
//! says more; the rest is catalogued `untested` (features/iwb/catalogue.toml). Zip safety is the
//! package rules' (`PKG-…`).
//!
//! A package is taken for an IWB file when its name ends in `.iwb` or one of its documents has
//! an `iwb` root element.

use super::Ctx;
use super::cc::util::{self, dir_of, has_scheme, ns_of, resolve};

/// The IWB namespace (1EdTech IWB/CFF page: it replaced Becta's `http://www.becta.org.uk/iwb`).
pub const IWB_NS: &str = "http://www.imsglobal.org/xsd/iwb_v1p0";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const CONTENT: &str = "content.xml";

/// True when the package is taken for an IWB file: its name ends in `.iwb`, or one of its
/// documents has an `iwb` root element (in any namespace: Becta's older one included). Such a
/// package has no `imsmanifest.xml`, and what is wrong with it is the IWB rules' to say.
pub fn is_iwb_package(ctx: &Ctx<'_>) -> bool {
    ctx.package.name.to_ascii_lowercase().ends_with(".iwb")
        || ctx
            .docs
            .iter()
            .any(|d| d.xml.root_element().tag_name().name() == "iwb")
}

/// Run the IWB rules.
pub fn check(ctx: &mut Ctx<'_>) {
    if !is_iwb_package(ctx) {
        return;
    }
    let docs = util::docs(ctx);
    if !ctx.package.has(CONTENT) {
        let elsewhere: Vec<&str> = ctx
            .package
            .files
            .keys()
            .filter(|p| p.ends_with("/content.xml"))
            .map(String::as_str)
            .collect();
        let msg = if elsewhere.is_empty() {
            "the IWB file has no content.xml at the root of the zip".to_string()
        } else {
            format!(
                "the IWB file has no content.xml at the root of the zip (found {}, which readers do not look for)",
                elsewhere.join(", ")
            )
        };
        ctx.report_package("IWB-CONTENT", msg);
        return;
    }
    // content.xml that is not well-formed XML is the package rules' finding.
    let Some(doc) = docs.iter().find(|d| d.path == CONTENT) else {
        return;
    };
    let root = doc.xml.root_element();
    if root.tag_name().name() != "iwb" || ns_of(root) != IWB_NS {
        ctx.report(
            "IWB-ROOT",
            doc,
            root,
            format!(
                "content.xml has root <{}> in namespace `{}`; an IWB file's root is <iwb> in `{IWB_NS}`",
                root.tag_name().name(),
                ns_of(root)
            ),
        );
    }
    let pkg = ctx.package;
    for n in root
        .descendants()
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "image" | "audio" | "video"))
    {
        let Some(href) = n
            .attribute((XLINK_NS, "href"))
            .or_else(|| n.attribute("href"))
        else {
            continue;
        };
        let h = href.trim();
        if h.is_empty() || h.starts_with('#') || has_scheme(h) {
            continue;
        }
        let found = resolve(dir_of(doc.path), h).and_then(|p| util::find(pkg, &p));
        if found.is_none() {
            ctx.report(
                "IWB-MEDIA",
                doc,
                n,
                format!(
                    "<{}> references `{h}`, which is not in the IWB file",
                    n.tag_name().name()
                ),
            );
        }
    }
}
