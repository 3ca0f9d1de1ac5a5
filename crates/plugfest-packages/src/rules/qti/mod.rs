//! QTI 2.x and 3.0 items and tests (packages.md §4 B and C): what the XSD cannot say — identifiers
//! referenced are declared and unique, interactions fit their response variables, values fit their
//! declarations, response-processing templates are known and have what they need, content models,
//! and in tests: item references, identifiers, branch targets and the variables conditions read.
//!
//! Every check is written once for both dialects: QTI 2.x camelCase elements (`choiceInteraction`,
//! `responseIdentifier`) and QTI 3 kebab-case ones (`qti-choice-interaction`,
//! `response-identifier`). [`Q`] reads a QTI 3 name back into its 2.x spelling, so the checks only
//! ever name the 2.x one. Rule IDs are per version family: the same suffix under `QTI21-` (QTI 2.0
//! and 2.1 documents, APIP items on QTI 2.1), `QTI22-` (2.2.x, APIP on 2.2) and `QTI30-` (3.0.x).

mod content;
mod interactions;
mod item;
mod processing;
mod test;
mod values;

use std::borrow::Cow;
use std::collections::HashMap;

use roxmltree::Node;

use super::{Ctx, Doc};
use crate::doc::{Role, Standard};
use crate::package::Package;

/// The version family a rule ID is reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// QTI 2.0 and 2.1.
    Qti21,
    /// QTI 2.2.x.
    Qti22,
    /// QTI 3.0.x.
    Qti30,
}

impl Family {
    fn prefix(self) -> &'static str {
        match self {
            Family::Qti21 => "QTI21",
            Family::Qti22 => "QTI22",
            Family::Qti30 => "QTI30",
        }
    }
}

/// The family of a document, `None` when it is not a QTI 2.x/3.0 item, test or section (APIP
/// items are QTI items in an APIP namespace ending in `imsqti_v2p1` or `imsqti_v2p2`).
pub(crate) fn family(doc: &Doc<'_>) -> Option<Family> {
    let family = match doc.kind.standard {
        Standard::Qti20 | Standard::Qti21 => Family::Qti21,
        Standard::Qti22 => Family::Qti22,
        Standard::Qti30 => Family::Qti30,
        Standard::Apip => {
            let ns = doc.xml.root_element().tag_name().namespace().unwrap_or("");
            if ns.ends_with("imsqti_v2p1") || ns.ends_with("imsqti_v2p0") {
                Family::Qti21
            } else if ns.ends_with("imsqti_v2p2") {
                Family::Qti22
            } else {
                return None;
            }
        }
        _ => return None,
    };
    match doc.kind.role {
        Role::Item | Role::Test | Role::Section | Role::Other => Some(family),
        _ => None,
    }
}

/// One finding before it gets its family prefix: rule suffix, element, message.
pub(crate) type Found<'a> = (&'static str, Node<'a, 'a>, String);

/// Run every QTI check over the package's QTI items, tests and sections.
pub fn check(ctx: &mut Ctx<'_>) {
    let docs = std::mem::take(&mut ctx.docs);
    let by_path: HashMap<&str, &Doc<'_>> = docs.iter().map(|d| (d.path, d)).collect();
    for doc in &docs {
        let Some(fam) = family(doc) else { continue };
        let q = Q::new(doc, fam, ctx.package, &by_path);
        let mut out: Vec<Found<'_>> = Vec::new();
        match q.name(q.root).as_ref() {
            "assessmentItem" => {
                item::check(&q, &mut out);
                content::check(&q, &mut out);
            }
            "assessmentTest" | "assessmentSection" => {
                test::check(&q, &mut out);
                content::check(&q, &mut out);
            }
            _ => {}
        }
        for (suffix, node, message) in out {
            let rule = format!("{}-{suffix}", fam.prefix());
            ctx.report(&rule, doc, node, message);
        }
    }
    ctx.docs = docs;
}

/// A QTI document as the checks read it, in either dialect.
pub(crate) struct Q<'d, 'a> {
    /// The document.
    pub doc: &'d Doc<'a>,
    /// Its version family.
    pub family: Family,
    /// True for QTI 3 (kebab-case, `qti-` prefixed) names.
    pub v3: bool,
    /// The root element.
    pub root: Node<'a, 'a>,
    /// The QTI namespace (the root's).
    pub ns: &'a str,
    /// The package, to resolve references.
    pub package: &'d Package,
    /// Every parsed document of the package by path.
    pub docs: &'d HashMap<&'d str, &'d Doc<'a>>,
}

impl<'d, 'a> Q<'d, 'a> {
    fn new(
        doc: &'d Doc<'a>,
        family: Family,
        package: &'d Package,
        docs: &'d HashMap<&'d str, &'d Doc<'a>>,
    ) -> Self {
        let root = doc.xml.root_element();
        Q {
            doc,
            family,
            v3: family == Family::Qti30,
            root,
            ns: root.tag_name().namespace().unwrap_or(""),
            package,
            docs,
        }
    }

    /// The element's name in QTI 2.x spelling (`qti-choice-interaction` → `choiceInteraction`);
    /// empty for text, comments and elements of other namespaces (MathML, APIP, XInclude…).
    pub fn name(&self, n: Node<'a, 'a>) -> Cow<'a, str> {
        if !n.is_element() || n.tag_name().namespace().unwrap_or("") != self.ns {
            return Cow::Borrowed("");
        }
        let local = n.tag_name().name();
        match local.strip_prefix("qti-") {
            Some(rest) if self.v3 => Cow::Owned(camel(rest)),
            _ => Cow::Borrowed(local),
        }
    }

    /// True when `n` is the QTI element `name` (2.x spelling).
    pub fn is(&self, n: Node<'a, 'a>, name: &str) -> bool {
        self.name(n) == name
    }

    /// The attribute named `camel` in 2.x spelling (`responseIdentifier`), read as
    /// `response-identifier` in QTI 3.
    pub fn attr(&self, n: Node<'a, 'a>, camel: &str) -> Option<&'a str> {
        if self.v3 {
            // A QTI 3 document that slipped 2.x spellings in is reported by the XSD; read it
            // as written rather than report a missing attribute here.
            n.attribute(kebab(camel).as_str())
                .or_else(|| n.attribute(camel))
        } else {
            n.attribute(camel)
        }
    }

    /// Every QTI element of the document, in document order.
    pub fn elements(&self) -> impl Iterator<Item = Node<'a, 'a>> + '_ {
        self.root
            .descendants()
            .filter(move |n| n.is_element() && n.tag_name().namespace().unwrap_or("") == self.ns)
    }

    /// Every QTI element named `name` (2.x spelling), in document order.
    pub fn all(&self, name: &'static str) -> impl Iterator<Item = Node<'a, 'a>> + '_ {
        self.elements().filter(move |n| self.is(*n, name))
    }

    /// The QTI element children of `n`.
    pub fn children(&self, n: Node<'a, 'a>) -> impl Iterator<Item = Node<'a, 'a>> + '_ {
        n.children()
            .filter(move |c| c.is_element() && c.tag_name().namespace().unwrap_or("") == self.ns)
    }

    /// Resolve `href`, relative to this document, to a path in the package; `None` for absolute
    /// URLs (`http:`, `data:`…), which are not checked, and `Some(Err)` for a path leaving the
    /// package.
    pub fn resolve(&self, href: &str) -> Option<Result<String, ()>> {
        resolve(self.doc.path, href)
    }
}

/// `choice-interaction` → `choiceInteraction`.
fn camel(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    let mut up = false;
    for c in kebab.chars() {
        if c == '-' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `responseIdentifier` → `response-identifier`.
fn kebab(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Resolve `href` relative to the file at `base` (both package paths with forward slashes).
/// `None` for a URL with a scheme or a protocol-relative one; `Some(Err(()))` when the path
/// leaves the package (too many `..`, or absolute).
pub(crate) fn resolve(base: &str, href: &str) -> Option<Result<String, ()>> {
    let href = href.trim();
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.is_empty() {
        return Some(Err(()));
    }
    if href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let drive = href.as_bytes().get(1) == Some(&b':');
    if drive || href.starts_with('/') || href.starts_with('\\') {
        return Some(Err(()));
    }
    let decoded = percent_decode(href);
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(()));
                }
            }
            s => parts.push(s),
        }
    }
    Some(Ok(parts.join("/")))
}

fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) if i > 1 => href[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
        _ => false,
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_both_ways() {
        assert_eq!(camel("choice-interaction"), "choiceInteraction");
        assert_eq!(camel("hottext"), "hottext");
        assert_eq!(kebab("responseIdentifier"), "response-identifier");
        assert_eq!(kebab("identifier"), "identifier");
    }

    #[test]
    fn hrefs_resolve_relative_to_the_document() {
        assert_eq!(
            resolve("tests/t.xml", "./items/q1.xml"),
            Some(Ok("tests/items/q1.xml".into()))
        );
        assert_eq!(
            resolve("tests/t.xml", "../q%201.xml"),
            Some(Ok("q 1.xml".into()))
        );
        assert_eq!(resolve("t.xml", "../q1.xml"), Some(Err(())));
        assert_eq!(resolve("t.xml", "/q1.xml"), Some(Err(())));
        assert_eq!(resolve("t.xml", "https://example.org/q1.xml"), None);
        assert_eq!(resolve("t.xml", "q1.xml#x"), Some(Ok("q1.xml".into())));
    }
}
