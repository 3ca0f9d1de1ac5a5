//! The Common Cartridge profile of QTI 1.2.1 (CC 1.1 IG §4.10–§4.11; packages.md §4 check 50):
//! the question types named by `cc_profile`, `setvar` only `Set`, an assessment with exactly one
//! section holding items, essays not computer-scored, and the response and fill-in-the-blank
//! restrictions of §4.10.12. In a cartridge only the files of assessment and question-bank
//! resources are read, elsewhere the documents detected as CC QTI; Canvas's
//! `non_cc_assessments/` copies are not CC and never read.

use super::util::{self, ns_of, text};
use super::{Cartridge, Cat};
use crate::doc::Standard;
use crate::rules::{Ctx, Doc};
use roxmltree::Node;

const QTI_NS: &str = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2";

/// The six question types (IG §4.10.4).
const ITEM_PROFILES: [&str; 6] = [
    "cc.multiple_choice.v0p1",
    "cc.multiple_response.v0p1",
    "cc.true_false.v0p1",
    "cc.fib.v0p1",
    "cc.pattern_match.v0p1",
    "cc.essay.v0p1",
];

pub(super) fn check(ctx: &mut Ctx<'_>, docs: &[Doc<'_>], cart: Option<&Cartridge<'_>>) {
    let pkg = ctx.package;
    let mut targets: Vec<&Doc<'_>> = Vec::new();
    match cart {
        Some(c) => {
            for r in c
                .resources
                .iter()
                .filter(|r| matches!(r.cat, Cat::Assessment | Cat::QuestionBank))
            {
                let Some(p) = r.first_file().and_then(|p| util::find(pkg, &p)) else {
                    continue;
                };
                if let Some(d) = docs.iter().find(|d| d.path == p)
                    && !targets.iter().any(|t| t.path == d.path)
                {
                    targets.push(d);
                }
            }
        }
        // A lone QTI file (Canvas's non_cc_assessments copies are `Standard::Other`).
        None => targets.extend(docs.iter().filter(|d| d.kind.standard == Standard::Qti12Cc)),
    }
    for doc in targets {
        let root = doc.xml.root_element();
        if root.tag_name().name() != "questestinterop" || ns_of(root) != QTI_NS {
            continue;
        }
        check_doc(ctx, doc, root);
    }
}

fn is(n: Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && ns_of(n) == QTI_NS
}

/// `fieldentry` of the `qtimetadatafield` labelled `label` in the `qtimetadata` of `n` (itself
/// or, for an item, its `itemmetadata`), with the field node.
fn meta<'a, 'i>(n: Node<'a, 'i>, label: &str) -> Option<(Node<'a, 'i>, String)> {
    let holders = n.children().filter(|c| is(*c, "qtimetadata")).chain(
        n.children()
            .filter(|c| is(*c, "itemmetadata"))
            .flat_map(|m| m.children().filter(|c| is(*c, "qtimetadata"))),
    );
    for h in holders {
        for f in h.children().filter(|c| is(*c, "qtimetadatafield")) {
            let l = f.children().find(|c| is(*c, "fieldlabel")).map(text);
            if l.as_deref() == Some(label) {
                let e = f
                    .children()
                    .find(|c| is(*c, "fieldentry"))
                    .map(text)
                    .unwrap_or_default();
                return Some((f, e));
            }
        }
    }
    None
}

fn check_doc(ctx: &mut Ctx<'_>, doc: &Doc<'_>, root: Node<'_, '_>) {
    for n in root
        .descendants()
        .filter(|n| n.is_element() && ns_of(*n) == QTI_NS)
    {
        match n.tag_name().name() {
            "assessment" => {
                if let Some((f, v)) = meta(n, "cc_profile")
                    && v != "cc.exam.v0p1"
                {
                    ctx.report(
                        "CC-QTI-PROFILE",
                        doc,
                        f,
                        format!(
                            "assessment cc_profile is `{v}`; a CC assessment is `cc.exam.v0p1`"
                        ),
                    );
                }
                let sections: Vec<_> = n.children().filter(|c| is(*c, "section")).collect();
                if sections.len() != 1 {
                    ctx.report(
                        "CC-QTI-SECTION-COUNT",
                        doc,
                        sections.get(1).copied().unwrap_or(n),
                        format!(
                            "assessment {} has {} sections; a CC assessment contains exactly one section",
                            n.attribute("ident").unwrap_or("?"),
                            sections.len()
                        ),
                    );
                }
            }
            "section" if !n.children().any(|c| is(c, "item")) => ctx.report(
                "CC-QTI-SECTION-EMPTY",
                doc,
                n,
                format!(
                    "section {} holds no item; a CC section contains one or more items",
                    n.attribute("ident").unwrap_or("?")
                ),
            ),
            "item" => item(ctx, doc, n),
            "setvar" => {
                if let Some(a) = n.attribute("action")
                    && a != "Set"
                {
                    ctx.report(
                        "CC-QTI-SETVAR",
                        doc,
                        n,
                        format!("setvar action is `{a}`; in Common Cartridge only Set is allowed"),
                    );
                }
            }
            "response_lid" | "response_str" => {
                let name = n.tag_name().name();
                if n.attribute("rcardinality") == Some("Ordered") {
                    ctx.report(
                        "CC-QTI-RESPONSE",
                        doc,
                        n,
                        format!("{name} rcardinality is Ordered; Common Cartridge allows only Single and Multiple"),
                    );
                }
                if n.attribute("rtiming").is_some() {
                    ctx.report(
                        "CC-QTI-RESPONSE",
                        doc,
                        n,
                        format!("{name} has rtiming, which Common Cartridge does not support"),
                    );
                }
            }
            "render_fib" => {
                for a in ["encoding", "charset", "prompt", "minnumber", "maxnumber"] {
                    if n.attribute(a).is_some() {
                        ctx.report(
                            "CC-QTI-FIB",
                            doc,
                            n,
                            format!("render_fib has the attribute {a}, which Common Cartridge does not allow"),
                        );
                    }
                }
                if let Some(t) = n.attribute("fibtype")
                    && t != "String"
                {
                    ctx.report(
                        "CC-QTI-FIB",
                        doc,
                        n,
                        format!("render_fib fibtype is `{t}`; Common Cartridge allows only String"),
                    );
                }
                if let Some(r) = n.attribute("rows")
                    && r.trim() != "1"
                {
                    ctx.report(
                        "CC-QTI-FIB",
                        doc,
                        n,
                        format!("render_fib rows is `{r}`; if given it must be 1"),
                    );
                }
            }
            _ => {}
        }
    }
}

fn item(ctx: &mut Ctx<'_>, doc: &Doc<'_>, n: Node<'_, '_>) {
    let ident = n.attribute("ident").unwrap_or("?");
    let Some((f, profile)) = meta(n, "cc_profile") else {
        return;
    };
    if !ITEM_PROFILES.contains(&profile.as_str()) {
        ctx.report(
            "CC-QTI-PROFILE",
            doc,
            f,
            format!(
                "item {ident} has cc_profile `{profile}`; it must be one of {}",
                ITEM_PROFILES.join(", ")
            ),
        );
        return;
    }
    if profile != "cc.essay.v0p1" {
        return;
    }
    if let Some((f, v)) = meta(n, "qmd_computerscored")
        && v != "No"
    {
        ctx.report(
            "CC-QTI-ESSAY",
            doc,
            f,
            format!("essay item {ident} has qmd_computerscored `{v}`; for an essay it must be No"),
        );
    }
    if let Some(s) = n
        .descendants()
        .find(|d| is(*d, "setvar") && d.attribute("varname").unwrap_or("SCORE") == "SCORE")
    {
        ctx.report(
            "CC-QTI-ESSAY",
            doc,
            s,
            format!("essay item {ident} sets SCORE; essays are not scored automatically"),
        );
    }
}
