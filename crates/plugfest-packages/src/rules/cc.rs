//! Common Cartridge 1.0–1.4 and Thin CC (packages.md §4 D, checks 39–52): the Schematron rules
//! RULE 1a…11f that 1EdTech embeds in the CC manifest XSDs, ported to Rust ([`schematron`]); the
//! organization rules of the CC 1.1 Implementation Guide §4.4.3 ([`org`]); resource types legal
//! for the manifest's version, Thin CC and descriptor files ([`resources`]); associated content
//! (IG §3.3, [`lao`]); web links, discussion topics and Basic LTI links ([`weblink`], [`topic`],
//! [`lti`]); the CC profile of QTI 1.2.1 (IG §4.10, [`qti12`]).
//!
//! The manifest rules read the manifest document itself (positions for every finding) and run
//! only when it was detected as a CC manifest. Resource categories are recognised from the type
//! string of any CC version (`imsdt_xmlv1p0` … `imsdt_xmlv1p4`): the official Schematron matches
//! only exact strings, and not even the right ones (the CC 1.1 XSD tests the 1.0 strings, the 1.4
//! XSD mixes 1.3 and 1.4 strings), so a wrong version string would silently switch the rules off;
//! here it is reported once, by `CC-RES-TYPE`, and the other rules still apply.
//!
//! Canvas sidecars (`course_settings/`, `non_cc_assessments/`, files in the Canvas namespace) are
//! not CC, and not findings either: detection makes them [`Standard::Other`] and the report lists
//! them as not checked (packages.md §4 check 52; Conformance §1.2.3: the validator "reports XML
//! files in the package which were not checked"). No rule here reads them.

mod lao;
mod lti;
mod org;
mod qti12;
mod resources;
mod schematron;
mod topic;
pub(crate) mod util;
mod weblink;

use crate::doc::{Role, Standard};
use crate::rules::{Ctx, Doc};
use roxmltree::Node;
use std::collections::HashMap;
use util::{XML_NS, children, dir_of};

/// Run every CC rule.
pub fn check(ctx: &mut Ctx<'_>) {
    let docs = util::docs(ctx);
    let cart = Cartridge::read(ctx, &docs);
    if let Some(c) = &cart {
        schematron::check(ctx, c);
        org::check(ctx, c);
        resources::check(ctx, c, &docs);
        lao::check(ctx, c);
    }
    weblink::check(ctx, &docs);
    topic::check(ctx, &docs);
    lti::check(ctx, &docs, cart.as_ref());
    qti12::check(ctx, &docs, cart.as_ref());
}

/// The Common Cartridge version a manifest was detected as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Version {
    V10,
    V11,
    V12,
    V13,
    V14,
}

impl Version {
    fn of(s: Standard) -> Option<Version> {
        Some(match s {
            Standard::Cc10 => Version::V10,
            Standard::Cc11 => Version::V11,
            Standard::Cc12 => Version::V12,
            Standard::Cc13 => Version::V13,
            Standard::Cc14 => Version::V14,
            _ => return None,
        })
    }

    /// `1.3`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Version::V10 => "1.0",
            Version::V11 => "1.1",
            Version::V12 => "1.2",
            Version::V13 => "1.3",
            Version::V14 => "1.4",
        }
    }

    /// Versions whose XSD still carries RULE 1a/2a/3a/4a/4b (the CC 1.3 and 1.4 XSDs commented
    /// them out on 2015-03-26).
    pub(crate) fn legacy(self) -> bool {
        self <= Version::V12
    }
}

/// What a resource is, from its type string (any CC version's spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cat {
    WebContent,
    Associated,
    Topic,
    WebLink,
    Assessment,
    QuestionBank,
    Lti,
    /// Any other type (assignment, EPUB, APIP, IWB, unknown).
    Other,
}

impl Cat {
    pub(crate) fn of(ty: &str) -> Cat {
        fn ver(rest: &str) -> bool {
            !rest.is_empty()
                && rest
                    .split('p')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        }
        let t = ty.trim();
        let between = |pre: &str, post: &str| {
            t.strip_prefix(pre)
                .and_then(|r| r.strip_suffix(post))
                .is_some_and(ver)
        };
        if t == "webcontent" {
            Cat::WebContent
        } else if between(
            "associatedcontent/imscc_xmlv",
            "/learning-application-resource",
        ) {
            Cat::Associated
        } else if between("imsdt_xmlv", "") {
            Cat::Topic
        } else if between("imswl_xmlv", "") {
            Cat::WebLink
        } else if between("imsqti_xmlv1p2/imscc_xmlv", "/assessment") {
            Cat::Assessment
        } else if between("imsqti_xmlv1p2/imscc_xmlv", "/question-bank") {
            Cat::QuestionBank
        } else if between("imsbasiclti_xmlv", "") {
            Cat::Lti
        } else {
            Cat::Other
        }
    }

    /// How the Schematron messages name it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Cat::WebContent => "Web Content",
            Cat::Associated => "Associated Content",
            Cat::Topic => "Discussion Topic",
            Cat::WebLink => "Web Link",
            Cat::Assessment => "Assessment",
            Cat::QuestionBank => "Question Bank",
            Cat::Lti => "BasicLTI",
            Cat::Other => "resource",
        }
    }

    /// A learning application object: has its own descriptor file and may own associated content.
    pub(crate) fn is_lao(self) -> bool {
        !matches!(self, Cat::WebContent | Cat::Associated)
    }
}

/// One `<resource>` of the manifest.
pub(crate) struct Res<'a> {
    pub node: Node<'a, 'a>,
    pub id: &'a str,
    pub ty: &'a str,
    pub cat: Cat,
    pub href: Option<&'a str>,
    /// Folder its files are relative to: the manifest's folder plus `xml:base` of `<resources>`
    /// and `<resource>` (`""` or ending in `/`).
    pub base: String,
    /// `<file>` elements with their `href`.
    pub files: Vec<(Node<'a, 'a>, &'a str)>,
    /// `<dependency>` elements with their `identifierref`.
    pub deps: Vec<(Node<'a, 'a>, &'a str)>,
}

impl Res<'_> {
    /// Package path of the first file (the descriptor of a learning application object).
    pub(crate) fn first_file(&self) -> Option<String> {
        self.files
            .first()
            .and_then(|(_, h)| util::resolve(&self.base, h))
    }
}

/// A CC manifest, read once for all manifest rules.
pub(crate) struct Cartridge<'a> {
    pub doc: Doc<'a>,
    pub version: Version,
    /// `IMS Thin Common Cartridge` (or the K-12 Thin one) in `metadata/schema`.
    pub thin: bool,
    /// The manifest's namespace (its CP elements).
    pub ns: &'a str,
    pub resources: Vec<Res<'a>>,
    pub by_id: HashMap<&'a str, usize>,
    /// `<organization>` elements.
    pub organizations: Vec<Node<'a, 'a>>,
}

impl<'a> Cartridge<'a> {
    fn read(ctx: &Ctx<'a>, docs: &[Doc<'a>]) -> Option<Cartridge<'a>> {
        let path = ctx.manifest.map_or("imsmanifest.xml", |m| m.path.as_str());
        let doc = docs
            .iter()
            .find(|d| d.path == path && d.kind.role == Role::Manifest)?;
        let version = Version::of(doc.kind.standard)?;
        let root = doc.xml.root_element();
        let ns = root.tag_name().namespace().unwrap_or("");
        let thin = children(root, ns, "metadata")
            .flat_map(|m| children(m, ns, "schema"))
            .any(|s| util::text(s).contains("Thin Common Cartridge"));
        let base_of = |n: Node<'_, '_>| n.attribute((XML_NS, "base")).unwrap_or("").to_string();
        let mut resources = Vec::new();
        if let Some(rs) = children(root, ns, "resources").next() {
            let outer = join_base(dir_of(doc.path), &base_of(root), &base_of(rs));
            for r in children(rs, ns, "resource") {
                let ty = r.attribute("type").unwrap_or("");
                resources.push(Res {
                    node: r,
                    id: r.attribute("identifier").unwrap_or(""),
                    ty,
                    cat: Cat::of(ty),
                    href: r.attribute("href"),
                    base: join_base(&outer, &base_of(r), ""),
                    files: children(r, ns, "file")
                        .map(|f| (f, f.attribute("href").unwrap_or("")))
                        .collect(),
                    deps: children(r, ns, "dependency")
                        .map(|d| (d, d.attribute("identifierref").unwrap_or("")))
                        .collect(),
                });
            }
        }
        let mut by_id = HashMap::new();
        for (i, r) in resources.iter().enumerate() {
            by_id.entry(r.id).or_insert(i);
        }
        let organizations = children(root, ns, "organizations")
            .flat_map(|o| children(o, ns, "organization"))
            .collect();
        Some(Cartridge {
            doc: util::copy(doc),
            version,
            thin,
            ns,
            resources,
            by_id,
            organizations,
        })
    }

    /// The resource with identifier `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&Res<'a>> {
        self.by_id.get(id).map(|&i| &self.resources[i])
    }

    /// Every `<item>` below the organizations, depth-first.
    pub(crate) fn items(&self) -> Vec<Node<'a, 'a>> {
        self.organizations
            .iter()
            .flat_map(|o| o.descendants())
            .filter(|n| {
                n.is_element() && n.tag_name().name() == "item" && util::ns_of(*n) == self.ns
            })
            .collect()
    }
}

/// `dir` (ending in `/` or empty) with relative `xml:base` values applied.
fn join_base(dir: &str, a: &str, b: &str) -> String {
    let mut d = dir.to_string();
    for base in [a, b] {
        if base.is_empty() {
            continue;
        }
        let mut base = base.to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        if let Some(p) = util::resolve(&d, &format!("{base}x")) {
            d = dir_of(&p).to_string();
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_from_any_version() {
        assert_eq!(Cat::of("imsdt_xmlv1p1"), Cat::Topic);
        assert_eq!(Cat::of("imsdt_xmlv1p3"), Cat::Topic);
        assert_eq!(Cat::of("imswl_xmlv1p0"), Cat::WebLink);
        assert_eq!(
            Cat::of("imsqti_xmlv1p2/imscc_xmlv1p3/question-bank"),
            Cat::QuestionBank
        );
        assert_eq!(
            Cat::of("associatedcontent/imscc_xmlv1p1/learning-application-resource"),
            Cat::Associated
        );
        assert_eq!(Cat::of("imsbasiclti_xmlv1p0"), Cat::Lti);
        assert_eq!(Cat::of("webcontent"), Cat::WebContent);
        assert_eq!(Cat::of("assignment_xmlv1p0"), Cat::Other);
        assert_eq!(Cat::of("imsdt_xmlv"), Cat::Other);
        assert_eq!(join_base("", "a", "b/"), "a/b/");
        assert_eq!(join_base("x/", "", ""), "x/");
    }
}
