//! Resource types legal for the manifest's CC version (packages.md §4 check 40), Thin CC's
//! restriction to links, and the descriptor file each learning-object type must point at (§4
//! check 44; IG §4.4.7–§4.4.10, §4.4.12).

use super::util::{self, ns_of};
use super::{Cartridge, Cat, Version};
use crate::rules::{Ctx, Doc};

/// The resource types each version's manifest XSD enumerates. CC 1.0 and 1.2 have no XSD in the
/// bundle: 1.0 is the set the CC 1.1 Schematron still tests, 1.2 the set CC 1.2 exporters write
/// (Canvas `cc_helper.rb`, Tsugi `CC.php`), with Basic LTI still `imsbasiclti_xmlv1p0`.
fn legal(v: Version) -> &'static [&'static str] {
    match v {
        Version::V10 => &[
            "webcontent",
            "associatedcontent/imscc_xmlv1p0/learning-application-resource",
            "imsdt_xmlv1p0",
            "imswl_xmlv1p0",
            "imsqti_xmlv1p2/imscc_xmlv1p0/assessment",
            "imsqti_xmlv1p2/imscc_xmlv1p0/question-bank",
        ],
        Version::V11 => &[
            "webcontent",
            "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
            "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank",
            "associatedcontent/imscc_xmlv1p1/learning-application-resource",
            "imsdt_xmlv1p1",
            "imswl_xmlv1p1",
            "imsbasiclti_xmlv1p0",
        ],
        Version::V12 => &[
            "webcontent",
            "imsqti_xmlv1p2/imscc_xmlv1p2/assessment",
            "imsqti_xmlv1p2/imscc_xmlv1p2/question-bank",
            "associatedcontent/imscc_xmlv1p2/learning-application-resource",
            "imsdt_xmlv1p2",
            "imswl_xmlv1p2",
            "imsbasiclti_xmlv1p0",
        ],
        Version::V13 => &[
            "webcontent",
            "imsqti_xmlv1p2/imscc_xmlv1p3/assessment",
            "imsqti_xmlv1p2/imscc_xmlv1p3/question-bank",
            "associatedcontent/imscc_xmlv1p3/learning-application-resource",
            "imsdt_xmlv1p3",
            "imswl_xmlv1p3",
            "imsbasiclti_xmlv1p3",
            "idpfepub_epubv3p0",
            "imsapip_zipv1p0",
            "imsiwb_iwbv1p0",
            "assignment_xmlv1p0",
        ],
        Version::V14 => &[
            "webcontent",
            "imsqti_xmlv1p2/imscc_xmlv1p4/assessment",
            "imsqti_xmlv1p2/imscc_xmlv1p4/question-bank",
            "associatedcontent/imscc_xmlv1p4/learning-application-resource",
            "imsdt_xmlv1p4",
            "imswl_xmlv1p4",
            "imsbasiclti_xmlv1p4",
            "idpfepub_epubv3p0",
            "imsapip_zipv1p0",
            "imsiwb_iwbv1p0",
            "assignment_xmlv1p0",
            "imsov_xmlv1p0",
            "imsov_zipv1p0",
            "imsqti_zipv3p0",
        ],
    }
}

const ALL: [Version; 5] = [
    Version::V10,
    Version::V11,
    Version::V12,
    Version::V13,
    Version::V14,
];

pub(super) fn check(ctx: &mut Ctx<'_>, c: &Cartridge<'_>, docs: &[Doc<'_>]) {
    let doc = &c.doc;
    let allowed = legal(c.version);
    for r in &c.resources {
        if !allowed.contains(&r.ty) {
            let from: Vec<&str> = ALL
                .iter()
                .filter(|v| legal(**v).contains(&r.ty))
                .map(|v| v.label())
                .collect();
            let mut msg = format!(
                "resource {} has type `{}`, which is not a CC {} resource type",
                r.id,
                r.ty,
                c.version.label()
            );
            if !from.is_empty() {
                msg.push_str(&format!(" (it is the CC {} spelling)", from.join("/")));
            }
            if let Some(right) = allowed
                .iter()
                .find(|t| r.cat != Cat::Other && Cat::of(t) == r.cat)
            {
                msg.push_str(&format!(
                    "; a CC {} manifest writes `{right}`",
                    c.version.label()
                ));
            }
            ctx.report("CC-RES-TYPE", doc, r.node, msg);
        }
        if c.thin && !matches!(r.cat, Cat::Lti | Cat::WebLink) {
            ctx.report(
                "CC-THIN-TYPE",
                doc,
                r.node,
                format!(
                    "resource {} has type `{}`; a Thin Common Cartridge carries only LTI links and web links",
                    r.id, r.ty
                ),
            );
        }
        descriptor(ctx, c, r, docs);
    }
}

/// The root a descriptor of `cat` has: local name, namespace test, QTI child.
fn expected(cat: Cat) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    Some(match cat {
        Cat::Topic => ("topic", "/imsdt_v1p", None),
        Cat::WebLink => ("webLink", "/imswl_v1p", None),
        Cat::Assessment => ("questestinterop", "/ims_qtiasiv1p2", Some("assessment")),
        Cat::QuestionBank => ("questestinterop", "/ims_qtiasiv1p2", Some("objectbank")),
        Cat::Lti => ("cartridge_basiclti_link", "/imslticc_v1p", None),
        _ => return None,
    })
}

/// The descriptor namespace a topic or web link of version `v` is in (only where the official
/// XSDs or the guide name it: 1.1, IG §4.4.7/§4.4.8; 1.3, `ccv1p3_imsdt_v1p3.xsd`/`…imswl…`).
fn descriptor_ns(v: Version, cat: Cat) -> Option<&'static str> {
    Some(match (v, cat) {
        (Version::V11, Cat::Topic) => "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1",
        (Version::V11, Cat::WebLink) => "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1",
        (Version::V13, Cat::Topic) => "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3",
        (Version::V13, Cat::WebLink) => "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3",
        _ => return None,
    })
}

fn descriptor(ctx: &mut Ctx<'_>, c: &Cartridge<'_>, r: &super::Res<'_>, docs: &[Doc<'_>]) {
    let Some((name, ns_part, qti_child)) = expected(r.cat) else {
        return;
    };
    let Some((file_node, _)) = r.files.first() else {
        return;
    };
    // A missing or escaping file is the CP rules' finding.
    let pkg = ctx.package;
    let Some(path) = r.first_file().and_then(|p| util::find(pkg, &p)) else {
        return;
    };
    let what = r.cat.name();
    let text;
    let parsed;
    let root = match docs.iter().find(|d| d.path == path) {
        Some(d) => d.xml.root_element(),
        None => {
            // Not well-formed XML that the parser already reported is the package rules' finding.
            let reported = ctx.findings.iter().any(|f| {
                f.rule.starts_with("PKG-XML-") && f.location.path.as_deref() == Some(path.as_str())
            });
            if reported {
                return;
            }
            text = pkg
                .files
                .get(&path)
                .and_then(|b| crate::validate::decode(b).ok());
            parsed = text
                .as_deref()
                .and_then(|t| roxmltree::Document::parse(t).ok());
            match &parsed {
                Some(d) => d.root_element(),
                None => {
                    ctx.report(
                        "CC-DESCRIPTOR",
                        &c.doc,
                        *file_node,
                        format!("{path}, the file of {what} resource {}, is not an XML document; it must be the <{name}> descriptor", r.id),
                    );
                    return;
                }
            }
        }
    };
    let ns = ns_of(root);
    let right_root = root.tag_name().name() == name && ns.contains(ns_part);
    let right_child = qti_child.is_none_or(|k| super::util::child_local(root, k).is_some());
    if !right_root || !right_child {
        let want = match qti_child {
            Some(k) => format!("<questestinterop> holding an <{k}>"),
            None => format!("<{name}>"),
        };
        ctx.report(
            "CC-DESCRIPTOR",
            &c.doc,
            *file_node,
            format!(
                "{path}, the file of {what} resource {}, has root <{}> in namespace `{ns}`; it must be the {want} descriptor",
                r.id,
                root.tag_name().name()
            ),
        );
        return;
    }
    if let Some(want) = descriptor_ns(c.version, r.cat)
        && ns != want
    {
        ctx.report(
            "CC-DESCRIPTOR-NS",
            &c.doc,
            *file_node,
            format!(
                "{path}, the {what} descriptor of resource {}, is in namespace `{ns}`; in a CC {} cartridge it is in `{want}`",
                r.id,
                c.version.label()
            ),
        );
    }
}
