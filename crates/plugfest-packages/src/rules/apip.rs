//! APIP 1.0 (packages.md §4 E): the accessibility layer on top of a QTI 2.1/2.2 item. Its links
//! into the item content resolve, an item that declares APIP carries accessibility content, and
//! the files it names are in the package.

use std::collections::HashSet;

use roxmltree::Node;

use super::qti::resolve;
use super::{Ctx, Doc};
use crate::doc::Standard;

/// `contentLinkInfo/@qtiLinkIdentifierRef` names the `id` of an element of the item content.
pub const APIP_ITEM_001: &str = "APIP-ITEM-001";
/// An item that declares APIP (its namespace, or an `apipAccessibility` element) carries
/// accessibility information.
pub const APIP_ITEM_002: &str = "APIP-ITEM-002";
/// Every `fileHref` of the accessibility information names a file in the package.
pub const APIP_ITEM_003: &str = "APIP-ITEM-003";

/// True for the APIP namespaces (item profile and QTI extension).
fn apip_ns(ns: &str) -> bool {
    ns.starts_with("http://www.imsglobal.org/xsd/apip/")
}

fn is_apip(n: Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && apip_ns(n.tag_name().namespace().unwrap_or(""))
}

/// Run the APIP checks over every document that is, or carries, APIP.
pub fn check(ctx: &mut Ctx<'_>) {
    let docs = std::mem::take(&mut ctx.docs);
    for doc in &docs {
        let root = doc.xml.root_element();
        let root_apip = apip_ns(root.tag_name().namespace().unwrap_or(""));
        // APIP rides on QTI 2.1/2.2: an APIP document, or a QTI 2.x one carrying APIP elements.
        let qti2 = matches!(
            doc.kind.standard,
            Standard::Qti20 | Standard::Qti21 | Standard::Qti22 | Standard::Apip
        );
        if !(root_apip || qti2) {
            continue;
        }
        let mut out: Vec<(&str, Node<'_, '_>, String)> = Vec::new();
        let blocks: Vec<Node<'_, '_>> = root
            .descendants()
            .filter(|n| is_apip(*n, "apipAccessibility"))
            .collect();
        let is_item = root.tag_name().name() == "assessmentItem";
        if is_item && root_apip && blocks.is_empty() {
            out.push((
                APIP_ITEM_002,
                root,
                "the item is in the APIP namespace but has no apipAccessibility element".into(),
            ));
        }
        let ids: HashSet<&str> = root
            .descendants()
            .filter(|n| n.is_element() && !n.ancestors().any(|a| is_apip(a, "apipAccessibility")))
            .filter_map(|n| n.attribute("id"))
            .collect();
        for block in &blocks {
            let has_content = block
                .children()
                .any(|c| c.is_element() && c.children().any(|g| g.is_element()));
            if !has_content {
                out.push((
                    APIP_ITEM_002,
                    *block,
                    "apipAccessibility is empty: it declares APIP but holds no accessibility information, inclusion order or companion materials".into(),
                ));
            }
            for n in block.descendants() {
                if is_item
                    && is_apip(n, "contentLinkInfo")
                    && let Some(r) = n.attribute("qtiLinkIdentifierRef")
                    && !ids.contains(r.trim())
                {
                    out.push((
                        APIP_ITEM_001,
                        n,
                        format!("contentLinkInfo qtiLinkIdentifierRef '{r}' names no element id of the item content"),
                    ));
                }
                if is_apip(n, "fileHref") {
                    let href = n.text().unwrap_or("").trim();
                    file_in_package(ctx, doc, n, href, &mut out);
                }
            }
        }
        for (rule, node, message) in out {
            ctx.report(rule, doc, node, message);
        }
    }
    ctx.docs = docs;
}

/// APIP-ITEM-003: "all files must be contained within the content package".
fn file_in_package<'a>(
    ctx: &Ctx<'_>,
    doc: &Doc<'_>,
    n: Node<'a, 'a>,
    href: &str,
    out: &mut Vec<(&'static str, Node<'a, 'a>, String)>,
) {
    let problem = match resolve(doc.path, href) {
        None => Some(format!(
            "fileHref '{href}' is an external URL; APIP files must be inside the package"
        )),
        Some(Err(())) => Some(format!("fileHref '{href}' points outside the package")),
        Some(Ok(p)) if !ctx.package.has(&p) => Some(format!(
            "fileHref '{href}' names {p}, which is not in the package"
        )),
        Some(Ok(_)) => None,
    };
    if let Some(msg) = problem {
        out.push((APIP_ITEM_003, n, msg));
    }
}
