//! Content models the XSD does not enforce (packages.md §4 B check 30): where interactions may
//! not go, and (QTI 2.x) what rubric, feedback and template blocks may hold directly.

use roxmltree::Node;

use super::values::is_interaction;
use super::{Family, Found, Q};

/// No interaction inside a rubric block, a template block, the feedback of a non-adaptive item,
/// or another interaction.
pub(crate) const CONTENT_001: &str = "CONTENT-001";
/// QTI 2.x: rubricBlock, feedbackBlock and templateBlock hold block content only (no bare text,
/// no inline elements directly inside).
pub(crate) const CONTENT_002: &str = "CONTENT-002";

/// Inline elements (2.x `inline` class): not allowed directly inside a simpleBlock.
const INLINE: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "b",
    "bdo",
    "big",
    "br",
    "cite",
    "code",
    "dfn",
    "em",
    "i",
    "img",
    "kbd",
    "label",
    "q",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "tt",
    "var",
    "printedVariable",
    "templateInline",
    "feedbackInline",
    "textEntryInteraction",
    "inlineChoiceInteraction",
    "endAttemptInteraction",
    "hottext",
    "gap",
];

/// Content checks of an item, test or section.
pub(crate) fn check<'a>(q: &Q<'_, 'a>, out: &mut Vec<Found<'a>>) {
    let adaptive = q.name(q.root) == "assessmentItem"
        && q.attr(q.root, "adaptive")
            .is_some_and(|a| a.trim() == "true");
    for n in q.elements() {
        let name = q.name(n);
        if is_interaction(&name) {
            placement(q, n, adaptive, out);
        }
        if q.family != Family::Qti30
            && matches!(
                name.as_ref(),
                "rubricBlock" | "feedbackBlock" | "templateBlock"
            )
        {
            block_only(q, n, out);
        }
    }
}

/// CONTENT-001: the nearest container that forbids interactions, if any.
fn placement<'a>(q: &Q<'_, 'a>, n: Node<'a, 'a>, adaptive: bool, out: &mut Vec<Found<'a>>) {
    let tag = n.tag_name().name();
    for a in n.ancestors().skip(1) {
        let name = q.name(a);
        let why = match name.as_ref() {
            "rubricBlock" => "a rubric block",
            "templateBlock" => "a template block",
            "feedbackBlock" | "modalFeedback" if !adaptive => "the feedback of a non-adaptive item",
            other if is_interaction(other) => "another interaction",
            _ => continue,
        };
        let msg = format!(
            "<{tag}> is inside <{}>: {why} must not contain interactions",
            a.tag_name().name()
        );
        out.push((CONTENT_001, n, msg));
        return;
    }
}

/// CONTENT-002: bare text or an inline element directly inside a simpleBlock.
fn block_only<'a>(q: &Q<'_, 'a>, block: Node<'a, 'a>, out: &mut Vec<Found<'a>>) {
    let tag = block.tag_name().name();
    for c in block.children() {
        if c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()) {
            let text: String = c
                .text()
                .unwrap_or("")
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            let msg =
                format!("<{tag}> holds bare text (\"{text}…\"); it may hold block content only");
            out.push((CONTENT_002, block, msg));
            return;
        }
        if c.is_element() && INLINE.contains(&q.name(c).as_ref()) {
            let msg = format!(
                "<{tag}> holds the inline element <{}> directly; it may hold block content only",
                c.tag_name().name()
            );
            out.push((CONTENT_002, c, msg));
            return;
        }
    }
}
