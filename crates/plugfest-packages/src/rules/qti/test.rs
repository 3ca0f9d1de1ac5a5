//! Test and section checks (packages.md §4 C): references to items and sections resolve,
//! identifiers are unique, branch rules go somewhere legal, conditions read variables that exist,
//! selections and time limits make sense.

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

use super::{Doc, Found, Q};

/// `assessmentItemRef`/`assessmentSectionRef` `href` names a file of the package holding an item
/// (or a section).
pub(crate) const TEST_001: &str = "TEST-001";
/// The test, its testParts, sections, section refs and item refs have distinct identifiers.
pub(crate) const TEST_002: &str = "TEST-002";
/// A `branchRule` target is a later item or section of the same testPart (a later testPart on a
/// testPart), or one of the `EXIT_` targets.
pub(crate) const TEST_003: &str = "TEST-003";
/// Variables, outcomes, feedback and section identifiers a test reads exist.
pub(crate) const TEST_004: &str = "TEST-004";
/// A `selection` without replacement selects no more children than the section has.
pub(crate) const TEST_005: &str = "TEST-005";
/// `timeLimits` are not negative and `maxTime` is not below `minTime`.
pub(crate) const TEST_006: &str = "TEST-006";

const PARTS: &[&str] = &[
    "testPart",
    "assessmentSection",
    "assessmentSectionRef",
    "assessmentItemRef",
];

/// Every check of a test (or a section document).
pub(crate) fn check<'a>(q: &Q<'_, 'a>, out: &mut Vec<Found<'a>>) {
    let is_test = q.is(q.root, "assessmentTest");
    let parts: Vec<(Node<'a, 'a>, &'a str)> = q
        .elements()
        .filter(|n| PARTS.contains(&q.name(*n).as_ref()))
        .filter_map(|n| n.attribute("identifier").map(|id| (n, id)))
        .collect();
    unique(q, &parts, out);
    let items = references(q, out);
    if is_test {
        branches(q, &parts, out);
        variables(q, &parts, &items, out);
    }
    for s in q.all("selection") {
        let Some(section) = s.parent_element() else {
            continue;
        };
        let Some(select) = q
            .attr(s, "select")
            .and_then(|v| v.trim().parse::<usize>().ok())
        else {
            continue;
        };
        let replace = q
            .attr(s, "withReplacement")
            .is_some_and(|v| v.trim() == "true");
        let children = q
            .children(section)
            .filter(|c| PARTS[1..].contains(&q.name(*c).as_ref()))
            .count();
        if !replace && select > children {
            let msg = format!(
                "<{}> selects {select} of the {children} children of section '{}' without replacement",
                s.tag_name().name(),
                section.attribute("identifier").unwrap_or("?")
            );
            out.push((TEST_005, s, msg));
        }
    }
    for t in q.all("timeLimits") {
        let num = |a: &str| q.attr(t, a).and_then(|v| v.trim().parse::<f64>().ok());
        let (min, max) = (num("minTime"), num("maxTime"));
        let negative = min.is_some_and(|m| m < 0.0) || max.is_some_and(|m| m < 0.0);
        let inverted = matches!((min, max), (Some(lo), Some(hi)) if hi < lo);
        if negative || inverted {
            let msg = format!(
                "<{}> has minTime {} and maxTime {}: limits must not be negative and maxTime must not be below minTime",
                t.tag_name().name(),
                min.map_or("(none)".into(), |v| v.to_string()),
                max.map_or("(none)".into(), |v| v.to_string())
            );
            out.push((TEST_006, t, msg));
        }
    }
}

/// TEST-002.
fn unique<'a>(q: &Q<'_, 'a>, parts: &[(Node<'a, 'a>, &'a str)], out: &mut Vec<Found<'a>>) {
    let mut seen: HashMap<&str, Node<'a, 'a>> = HashMap::new();
    if let Some(id) = q.root.attribute("identifier") {
        seen.insert(id, q.root);
    }
    for (n, id) in parts {
        if let Some(first) = seen.get(id) {
            let line = q.doc.xml.text_pos_at(first.range().start).row;
            let msg = format!(
                "identifier '{id}' of <{}> is already used by <{}> on line {line}",
                n.tag_name().name(),
                first.tag_name().name()
            );
            out.push((TEST_002, *n, msg));
        } else {
            seen.insert(id, *n);
        }
    }
}

/// TEST-001; returns the items the item refs resolved to, by ref identifier.
fn references<'d, 'a>(q: &Q<'d, 'a>, out: &mut Vec<Found<'a>>) -> HashMap<&'a str, &'d Doc<'a>> {
    let mut items = HashMap::new();
    for n in q.elements() {
        let name = q.name(n);
        let want = match name.as_ref() {
            "assessmentItemRef" => "assessmentItem",
            "assessmentSectionRef" => "assessmentSection",
            _ => continue,
        };
        let Some(href) = n.attribute("href") else {
            continue;
        };
        let tag = n.tag_name().name();
        let path = match q.resolve(href) {
            None => continue,
            Some(Err(())) => {
                out.push((
                    TEST_001,
                    n,
                    format!("<{tag}> href '{href}' points outside the package"),
                ));
                continue;
            }
            Some(Ok(p)) => p,
        };
        if !q.package.has(&path) {
            out.push((
                TEST_001,
                n,
                format!("<{tag}> href '{href}' names {path}, which is not in the package"),
            ));
            continue;
        }
        let Some(target) = q.docs.get(path.as_str()) else {
            continue;
        };
        let root = target.xml.root_element().tag_name().name();
        let root = root
            .strip_prefix("qti-")
            .map(super::camel)
            .unwrap_or_else(|| root.to_string());
        // A test may list an LTI link as an item (QTI 3.0 Implementation Guide, "Package with a
        // Test and Items with LTI resources").
        let lti = want == "assessmentItem" && root == "cartridge_basiclti_link";
        if root != want && !lti {
            let msg =
                format!("<{tag}> href '{href}' names {path}, which holds <{root}>, not <{want}>");
            out.push((TEST_001, n, msg));
        } else if let Some(id) = n.attribute("identifier").filter(|_| !lti) {
            items.insert(id, *target);
        }
    }
    items
}

/// TEST-003.
fn branches<'a>(q: &Q<'_, 'a>, parts: &[(Node<'a, 'a>, &'a str)], out: &mut Vec<Found<'a>>) {
    for br in q.all("branchRule") {
        let Some(owner) = br.parent_element() else {
            continue;
        };
        let tag = br.tag_name().name();
        let Some(target) = q
            .attr(br, "target")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            out.push((TEST_003, br, format!("<{tag}> has no target")));
            continue;
        };
        let on_part = q.is(owner, "testPart");
        let found = parts.iter().find(|(_, id)| *id == target).map(|(n, _)| *n);
        let problem = match (on_part, target, found) {
            (_, "EXIT_TEST", _) => None,
            (false, "EXIT_TESTPART" | "EXIT_SECTION", _) => None,
            (true, "EXIT_TESTPART" | "EXIT_SECTION", _) => {
                Some("a branchRule on a testPart may only target a later testPart or EXIT_TEST".to_string())
            }
            (_, _, None) => Some("no testPart, section or item of the test has this identifier".to_string()),
            (true, _, Some(t)) if !q.is(t, "testPart") => Some(format!(
                "it names a <{}>, but a branchRule on a testPart may only target a later testPart or EXIT_TEST",
                t.tag_name().name()
            )),
            (false, _, Some(t)) if q.is(t, "testPart") => Some(
                "it names a testPart, but a branchRule on an item or section may only target an item or section of the same testPart"
                    .to_string(),
            ),
            (false, _, Some(t)) if part_of(q, t) != part_of(q, owner) => {
                Some("it names an item or section of another testPart".to_string())
            }
            (_, _, Some(t)) if t.range().start < owner.range().end => {
                Some("it names the rule's own item or section, one inside it or one before it; branching only goes forward".to_string())
            }
            _ => None,
        };
        if let Some(why) = problem {
            out.push((
                TEST_003,
                br,
                format!("<{tag}> target '{target}' is not a legal branch target: {why}"),
            ));
        }
    }
}

fn part_of<'a>(q: &Q<'_, 'a>, n: Node<'a, 'a>) -> Option<roxmltree::NodeId> {
    n.ancestors().find(|a| q.is(*a, "testPart")).map(|a| a.id())
}

/// TEST-004.
fn variables<'a>(
    q: &Q<'_, 'a>,
    parts: &[(Node<'a, 'a>, &'a str)],
    items: &HashMap<&'a str, &Doc<'a>>,
    out: &mut Vec<Found<'a>>,
) {
    let outcomes: HashSet<&str> = q
        .children(q.root)
        .filter(|n| q.is(*n, "outcomeDeclaration"))
        .filter_map(|n| n.attribute("identifier"))
        .collect();
    let ids: HashSet<&str> = parts.iter().map(|(_, id)| *id).collect();
    let sections: HashSet<&str> = parts
        .iter()
        .filter(|(n, _)| q.is(*n, "assessmentSection") || q.is(*n, "assessmentSectionRef"))
        .map(|(_, id)| *id)
        .collect();
    for n in q.elements() {
        let name = q.name(n);
        let tag = n.tag_name().name();
        let mut report = |msg: String| out.push((TEST_004, n, msg));
        match name.as_ref() {
            "variable" => {
                let Some(id) = n.attribute("identifier") else {
                    continue;
                };
                match id.split_once('.') {
                    Some((prefix, _)) if !ids.contains(prefix) => report(format!(
                        "<{tag}> '{id}' refers to '{prefix}', which is not an item, section or testPart of the test"
                    )),
                    Some((prefix, rest)) => {
                        let var = rest
                            .split_once('.')
                            .filter(|(n, _)| n.parse::<u32>().is_ok())
                            .map_or(rest, |(_, v)| v);
                        if let Some(item) = items.get(prefix)
                            && !declares(item, var)
                        {
                            report(format!(
                                "<{tag}> '{id}' reads '{var}', which item {} does not declare",
                                item.path
                            ));
                        }
                    }
                    None if !outcomes.contains(id) && id != "duration" => {
                        report(format!(
                            "<{tag}> '{id}' is not an outcome variable declared by the test"
                        ));
                    }
                    None => {}
                }
            }
            "setOutcomeValue" | "lookupOutcomeValue" => {
                if let Some(id) = n
                    .attribute("identifier")
                    .filter(|id| !outcomes.contains(id))
                {
                    report(format!(
                        "<{tag}> sets '{id}', which is not an outcome variable declared by the test"
                    ));
                }
            }
            "testFeedback" | "feedbackBlock" | "feedbackInline" | "modalFeedback" => {
                if let Some(id) = q
                    .attr(n, "outcomeIdentifier")
                    .filter(|id| !outcomes.contains(id))
                {
                    report(format!(
                        "<{tag}> shows on '{id}', which is not an outcome variable declared by the test"
                    ));
                }
            }
            "templateBlock" | "templateInline" => {
                if let Some(id) = q.attr(n, "templateIdentifier") {
                    report(format!(
                        "<{tag}> shows on template variable '{id}', but a test declares no template variables"
                    ));
                }
            }
            _ => {}
        }
        if let Some(s) = q
            .attr(n, "sectionIdentifier")
            .filter(|s| !s.is_empty() && !sections.contains(s))
        {
            out.push((
                TEST_004,
                n,
                format!("<{tag}> sectionIdentifier '{s}' is not a section of the test"),
            ));
        }
    }
}

/// True when the item declares `var`, or `var` is built in.
fn declares(item: &Doc<'_>, var: &str) -> bool {
    if matches!(var, "duration" | "numAttempts" | "completionStatus") {
        return true;
    }
    item.xml.root_element().children().any(|c| {
        c.is_element()
            && c.tag_name()
                .name()
                .to_ascii_lowercase()
                .ends_with("declaration")
            && c.attribute("identifier") == Some(var)
    })
}
