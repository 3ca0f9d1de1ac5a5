//! The Schematron rules embedded in the CC manifest XSDs (`ccv1p1_imscp_v1p2_v1p0.xsd` 54
//! asserts, `ccv1p3_imscp_v1p2_v1p0.xsd` 49), in Rust. Messages keep the official assert text
//! and its RULE letter; IDs group the letters that share one meaning (`CC-RULE-1D-1H`: the five
//! prohibited dependency targets of a discussion topic). RULE 1a, 2a, 3a, 4a and 4b exist only up
//! to CC 1.2 (`CC11-…`: commented out in the 1.3 and 1.4 XSDs). RULE 5g/6g are disabled drafts in
//! the XSDs; the Implementation Guide states them (§4.4.5, §4.4.6), so they run as `CC-RULE-5G-6G`.

use super::{Cartridge, Cat, Res};
use crate::rules::Ctx;
use std::collections::HashSet;

/// Which categories a dependency of a resource of category `from` must not point at, each with
/// its RULE letter and how the assert names it (None: `from` has no such rule set).
fn prohibited(from: Cat) -> Option<(&'static str, &'static [(Cat, &'static str)])> {
    use Cat::*;
    Some(match from {
        Topic => (
            "CC-RULE-1D-1H",
            &[
                (Topic, "1d"),
                (WebLink, "1e"),
                (Assessment, "1f"),
                (QuestionBank, "1g"),
                (Lti, "1h"),
            ],
        ),
        Assessment => (
            "CC-RULE-3D-3H",
            &[
                (Topic, "3d"),
                (WebLink, "3e"),
                (Assessment, "3f"),
                (QuestionBank, "3g"),
                (Lti, "3h"),
            ],
        ),
        QuestionBank => (
            "CC-RULE-4E-4I",
            &[
                (Topic, "4e"),
                (WebLink, "4f"),
                (Assessment, "4g"),
                (QuestionBank, "4h"),
                (Lti, "4i"),
            ],
        ),
        WebContent => (
            "CC-RULE-5A-5F",
            &[
                (Topic, "5a"),
                (WebLink, "5b"),
                (Assessment, "5c"),
                (QuestionBank, "5d"),
                (Associated, "5e"),
                (Lti, "5f"),
            ],
        ),
        Associated => (
            "CC-RULE-6A-6F",
            &[
                (Topic, "6a"),
                (WebLink, "6b"),
                (Assessment, "6c"),
                (QuestionBank, "6d"),
                (Associated, "6e"),
                (Lti, "6f"),
            ],
        ),
        Lti => (
            "CC-RULE-11A-11F",
            &[
                (Topic, "11a"),
                (WebLink, "11b"),
                (Assessment, "11c"),
                (QuestionBank, "11d"),
                (WebContent, "11e"),
                (Lti, "11f"),
            ],
        ),
        WebLink | Other => return None,
    })
}

/// The per-type file and href rules: (set number, `a` rule ID when legacy, file-count rule, href
/// rule, how the assert names the resource).
fn file_rules(
    cat: Cat,
) -> Option<(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
)> {
    Some(match cat {
        Cat::Topic => (
            "1a",
            "CC-RULE-1B",
            "1b",
            "CC-RULE-1C",
            "Discussion Topic Resource",
        ),
        Cat::WebLink => ("2a", "CC-RULE-2B", "2b", "CC-RULE-2C", "Web Link Resource"),
        Cat::Assessment => (
            "3a",
            "CC-RULE-3B",
            "3b",
            "CC-RULE-3C",
            "Assessments Resource",
        ),
        Cat::QuestionBank => (
            "4b",
            "CC-RULE-4C",
            "4c",
            "CC-RULE-4D",
            "Question Bank Resource",
        ),
        _ => return None,
    })
}

pub(super) fn check(ctx: &mut Ctx<'_>, c: &Cartridge<'_>) {
    let doc = &c.doc;
    for r in &c.resources {
        files_and_href(ctx, c, r);
        dependencies(ctx, c, r);
        // RULE 9a
        let mut seen = HashSet::new();
        for (f, href) in &r.files {
            if !seen.insert(*href) {
                ctx.report(
                    "CC-RULE-9A",
                    doc,
                    *f,
                    format!("[RULE 9a] In a 'resource' element at least two 'file' elements have the same 'href' attribute: {href} (resource {}).", r.id),
                );
            }
        }
        // RULE 10a / 10b (10b only when some file is listed: with none, 10a says it all).
        if let Some(href) = r.href {
            if r.files.is_empty() {
                ctx.report(
                    "CC-RULE-10A",
                    doc,
                    r.node,
                    format!("[RULE 10a] For a 'resource' element with the 'href' attribute the 'file' element is missing: {}.", r.id),
                );
            } else if !r.files.iter().any(|(_, h)| *h == href) {
                ctx.report(
                    "CC-RULE-10B",
                    doc,
                    r.node,
                    format!("[RULE 10b] For a 'resource' element with the 'href' attribute there is no 'file' element with the correct 'href' attribute: {} (href {href}).", r.id),
                );
            }
        }
    }
    // RULE 4a (CC 1.0–1.2): at most one question bank.
    if c.version.legacy() {
        let banks: Vec<&Res<'_>> = c
            .resources
            .iter()
            .filter(|r| r.cat == Cat::QuestionBank)
            .collect();
        if banks.len() > 1 {
            ctx.report(
                "CC11-RULE-4A",
                doc,
                banks[1].node,
                format!("[RULE 4a] The are too many Question Bank Resources (a maximum of one is permitted).  Number of Question Bank Resources is: {}.", banks.len()),
            );
        }
    }
    items(ctx, c);
}

fn files_and_href(ctx: &mut Ctx<'_>, c: &Cartridge<'_>, r: &Res<'_>) {
    let Some((a, many_id, many, href_id, what)) = file_rules(r.cat) else {
        return;
    };
    let doc = &c.doc;
    if r.files.is_empty() && c.version.legacy() {
        ctx.report(
            &format!("CC11-RULE-{}", a.to_ascii_uppercase()),
            doc,
            r.node,
            format!(
                "[RULE {a}] For the {what} the required 'file' element is missing ({}).",
                r.id
            ),
        );
    }
    if r.files.len() > 1 {
        ctx.report(
            many_id,
            doc,
            r.files[1].0,
            format!("[RULE {many}] For the {what} there are too many 'file' element references: {} ({}).", r.files.len(), r.id),
        );
    }
    if r.href.is_some() {
        let letter = href_id
            .rsplit('-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        ctx.report(
            href_id,
            doc,
            r.node,
            format!("[RULE {letter}] For the {what} the 'href' attribute must not be used on the 'resource' element ({}).", r.id),
        );
    }
}

fn dependencies(ctx: &mut Ctx<'_>, c: &Cartridge<'_>, r: &Res<'_>) {
    let doc = &c.doc;
    // RULE 2d: a web link has no dependency at all.
    if r.cat == Cat::WebLink
        && let Some((d, _)) = r.deps.first()
    {
        ctx.report(
                "CC-RULE-2D",
                doc,
                *d,
                format!("[RULE 2d] For the Web Link Resource the prohibited 'dependency' element is used: {} ({}).", r.deps.len(), r.id),
            );
    }
    let rules = prohibited(r.cat);
    let mut seen = HashSet::new();
    for (d, target) in &r.deps {
        // RULE 7a / 7b
        if *target == r.id {
            ctx.report(
                "CC-RULE-7A",
                doc,
                *d,
                format!("[RULE 7a] A 'dependency' element has a circular reference to its host 'resource' element with identifier: {target}."),
            );
        }
        if !seen.insert(*target) {
            ctx.report(
                "CC-RULE-7B",
                doc,
                *d,
                format!("[RULE 7b] In a 'resource' element at least two 'dependency' elements reference the same 'resource' element. {target} (resource {}).", r.id),
            );
            continue;
        }
        let (Some((id, table)), Some(t)) = (rules, c.get(target)) else {
            continue;
        };
        if let Some((_, letter)) = table.iter().find(|(cat, _)| *cat == t.cat) {
            let article = if matches!(t.cat, Cat::Assessment | Cat::Associated) {
                "an"
            } else {
                "a"
            };
            let host = match r.cat {
                Cat::WebContent => "The Web Content".to_string(),
                Cat::Lti => "The BasicLTI".to_string(),
                other => format!("The {} Resource", other.name()),
            };
            ctx.report(
                id,
                doc,
                *d,
                format!("[RULE {letter}] {host} has a prohibited dependency on {article} {}: {target} ({}).", t.cat.name(), r.id),
            );
        }
    }
}

fn items(ctx: &mut Ctx<'_>, c: &Cartridge<'_>) {
    let doc = &c.doc;
    for item in c.items() {
        let Some(target) = item.attribute("identifierref") else {
            continue;
        };
        let parent_is_item = item
            .parent_element()
            .is_some_and(|p| p.tag_name().name() == "item");
        // RULE 8b: a learning object item (an item below an item, with identifierref) has no items.
        if parent_is_item && let Some(kid) = super::util::child(item, c.ns, "item") {
            ctx.report(
                    "CC-RULE-8B",
                    doc,
                    kid,
                    format!(
                        "[RULE 8b] A Learning Object Item contains prohibited child Item(s): {} (in item {}, which references {target}).",
                        kid.attribute("identifier").unwrap_or("?"),
                        item.attribute("identifier").unwrap_or("?")
                    ),
                );
        }
        let Some(r) = c.get(target) else {
            continue;
        };
        // RULE 8a
        if r.cat == Cat::QuestionBank {
            ctx.report(
                "CC-RULE-8A",
                doc,
                item,
                format!("[RULE 8a] An Item has a prohibited reference(s) to a Question Bank Resource: {target}."),
            );
        }
        // RULE 5g / 6g (IG §4.4.5, §4.4.6)
        if matches!(r.cat, Cat::WebContent | Cat::Associated) && r.href.is_none() {
            let (letter, what) = if r.cat == Cat::WebContent {
                ("5g", "A Web Content")
            } else {
                ("6g", "An Associated Content")
            };
            ctx.report(
                "CC-RULE-5G-6G",
                doc,
                item,
                format!("[RULE {letter}] {what} resource has a missing 'href' attribute (required because the resource is directly referenced by an Item): {target}."),
            );
        }
    }
}
