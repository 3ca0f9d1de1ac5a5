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
    /// The `xml:base` in force for the resources: `manifest/@xml:base` joined with
    /// `resources/@xml:base` (each resource may add its own, [`Resource::base`]).
    pub base: Option<String>,
}

/// The XML namespace (`xml:base`).
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Reads the manifest document at `path`. Elements are matched by local name within the root's
/// namespace (every CP profile keeps the CP element names); nested sub-manifests are not
/// flattened into [`Manifest::resources`].
pub fn parse(path: &str, xml: &roxmltree::Document<'_>) -> Manifest {
    let root = xml.root_element();
    let ns = root.tag_name().namespace();
    let is = |n: &roxmltree::Node<'_, '_>, name: &str| {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == ns
    };
    let line = |n: roxmltree::Node<'_, '_>| xml.text_pos_at(n.range().start).row;
    let text = |n: Option<roxmltree::Node<'_, '_>>| {
        n.and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let metadata = root.children().find(|n| is(n, "metadata"));
    let meta_child = |name: &str| {
        metadata.and_then(|m| {
            m.children()
                .find(|n| n.is_element() && n.tag_name().name() == name)
        })
    };
    let resources_el = root.children().find(|n| is(n, "resources"));
    let base = join_base(
        root.attribute((XML_NS, "base")),
        resources_el.and_then(|r| r.attribute((XML_NS, "base"))),
    );
    let resources = resources_el
        .map(|rs| {
            rs.children()
                .filter(|n| is(n, "resource"))
                .map(|r| Resource {
                    identifier: r.attribute("identifier").unwrap_or("").to_string(),
                    kind: r.attribute("type").unwrap_or("").to_string(),
                    href: r.attribute("href").map(str::to_string),
                    base: r.attribute((XML_NS, "base")).map(str::to_string),
                    files: r
                        .children()
                        .filter(|n| is(n, "file"))
                        .filter_map(|f| f.attribute("href").map(str::to_string))
                        .collect(),
                    dependencies: r
                        .children()
                        .filter(|n| is(n, "dependency"))
                        .filter_map(|d| d.attribute("identifierref").map(str::to_string))
                        .collect(),
                    line: line(r),
                })
                .collect()
        })
        .unwrap_or_default();
    let organizations_el = root.children().find(|n| is(n, "organizations"));
    let orgs: Vec<_> = organizations_el
        .map(|o| o.children().filter(|n| is(n, "organization")).collect())
        .unwrap_or_default();
    let mut items = Vec::new();
    if let Some(first) = orgs.first() {
        fn walk(
            node: roxmltree::Node<'_, '_>,
            depth: u32,
            is: &dyn Fn(&roxmltree::Node<'_, '_>, &str) -> bool,
            line: &dyn Fn(roxmltree::Node<'_, '_>) -> u32,
            out: &mut Vec<OrgItem>,
        ) {
            for item in node.children().filter(|n| is(n, "item")) {
                out.push(OrgItem {
                    identifier: item.attribute("identifier").unwrap_or("").to_string(),
                    identifierref: item.attribute("identifierref").map(str::to_string),
                    title: item
                        .children()
                        .find(|n| is(n, "title"))
                        .and_then(|t| t.text())
                        .map(|t| t.trim().to_string()),
                    depth,
                    has_children: item.children().any(|n| is(&n, "item")),
                    line: line(item),
                });
                walk(item, depth + 1, is, line, out);
            }
        }
        walk(*first, 1, &is, &line, &mut items);
    }
    Manifest {
        path: path.to_string(),
        namespace: ns.unwrap_or("").to_string(),
        schema: text(meta_child("schema")),
        schemaversion: text(meta_child("schemaversion")),
        identifier: root.attribute("identifier").map(str::to_string),
        resources,
        organizations: orgs.len(),
        items,
        base,
    }
}

/// `outer` then `inner` as `xml:base` values: an absolute or rooted inner one replaces the outer.
fn join_base(outer: Option<&str>, inner: Option<&str>) -> Option<String> {
    match (outer, inner) {
        (None, None) => None,
        (Some(o), None) => Some(o.to_string()),
        (None, Some(i)) => Some(i.to_string()),
        (Some(o), Some(i)) => Some(resolve_reference(o, i)),
    }
}

/// Resolves `reference` against `base` the way a relative URI is (RFC 3986 §5.2, paths only):
/// an absolute URI (`scheme:`) or a rooted path (`/…`) replaces the base; otherwise the base's
/// last segment is dropped (unless it ends with `/`) and the reference appended.
fn resolve_reference(base: &str, reference: &str) -> String {
    if has_scheme(reference) || reference.starts_with('/') || base.is_empty() {
        return reference.to_string();
    }
    match base.rfind('/') {
        Some(i) => format!("{}{}", &base[..=i], reference),
        None => reference.to_string(),
    }
}

/// True when `s` starts with a URI scheme (`http:`, `file:`, `data:`…), not a drive letter.
pub fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

impl Manifest {
    /// The resource with `identifier`, if any.
    pub fn resource(&self, identifier: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.identifier == identifier)
    }

    /// `href` of `resource` (its own `@href` or a `file/@href`) with the `xml:base` values in
    /// force applied, relative to the manifest's folder; unchanged when none applies. The result
    /// is not normalised: `..`, `%20`, `#fragment` are still there.
    pub fn resolve(&self, resource: &Resource, href: &str) -> String {
        let base = join_base(self.base.as_deref(), resource.base.as_deref());
        match base {
            Some(b) => {
                let b = if b.ends_with('/') || b.is_empty() {
                    b
                } else {
                    format!("{b}/")
                };
                resolve_reference(&b, href)
            }
            None => href.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_resources_items_and_bases() {
        let text = r#"<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:xml="http://www.w3.org/XML/1998/namespace" identifier="M" xml:base="content/">
  <metadata><schema>IMS Content</schema><schemaversion>1.1.4</schemaversion></metadata>
  <organizations default="O">
    <organization identifier="O">
      <item identifier="I1" identifierref="R1"><title> One </title>
        <item identifier="I2" identifierref="R2"/>
      </item>
    </organization>
  </organizations>
  <resources xml:base="res/">
    <resource identifier="R1" type="webcontent" href="a.html" xml:base="sub">
      <file href="a.html"/><dependency identifierref="R2"/>
    </resource>
    <resource identifier="R2" type="webcontent"><file href="b.css"/></resource>
  </resources>
</manifest>"#;
        let doc = roxmltree::Document::parse(text).unwrap();
        let m = parse("imsmanifest.xml", &doc);
        assert_eq!(m.identifier.as_deref(), Some("M"));
        assert_eq!(m.schemaversion.as_deref(), Some("1.1.4"));
        assert_eq!(m.organizations, 1);
        assert_eq!(m.items.len(), 2);
        assert_eq!(m.items[0].title.as_deref(), Some("One"));
        assert!(m.items[0].has_children);
        assert_eq!(m.items[1].depth, 2);
        assert_eq!(m.resources[0].dependencies, vec!["R2"]);
        assert_eq!(m.resources[0].line, 11);
        assert_eq!(m.base.as_deref(), Some("content/res/"));
        assert_eq!(
            m.resolve(&m.resources[0], "a.html"),
            "content/res/sub/a.html"
        );
        assert_eq!(m.resolve(&m.resources[1], "b.css"), "content/res/b.css");
        assert_eq!(m.resolve(&m.resources[1], "http://x/y"), "http://x/y");
    }
}
