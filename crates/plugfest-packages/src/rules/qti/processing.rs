//! Response processing (ITEM-011, ITEM-012, ITEM-014): templates known and given what they
//! read, and no test-level expression in an item's scoring.

use super::item::{Decl, Decls, ITEM_011, ITEM_012, ITEM_014, Kind};
use super::{Found, Q};

/// Expressions that only make sense in a test's outcome processing (QTI 2.1/2.2 XSD Schematron
/// RULE GENERAL 1a).
const TEST_ONLY: &[&str] = &[
    "numberCorrect",
    "numberIncorrect",
    "numberPresented",
    "numberResponded",
    "numberSelected",
    "outcomeMinimum",
    "outcomeMaximum",
    "testVariables",
];

/// The response-processing checks of an item.
pub(crate) fn check<'a>(q: &Q<'_, 'a>, d: &Decls<'a>, out: &mut Vec<Found<'a>>) {
    templates(q, d, out);
    for rp in q.all("responseProcessing") {
        for n in rp.descendants() {
            if TEST_ONLY.contains(&q.name(n).as_ref()) {
                let msg = format!(
                    "<{}> is a test-level expression and must not be used in response processing",
                    n.tag_name().name()
                );
                out.push((ITEM_014, n, msg));
            }
        }
    }
}

/// ITEM-011 and ITEM-012: response-processing templates.
fn templates<'a>(q: &Q<'_, 'a>, d: &Decls<'a>, out: &mut Vec<Found<'a>>) {
    for rp in q.all("responseProcessing") {
        let Some(uri) = q
            .attr(rp, "template")
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            continue;
        };
        let name = uri
            .rsplit_once("/rptemplates/")
            .map(|(_, n)| n.trim_end_matches(".xml"))
            .unwrap_or("");
        let known = [
            "match_correct",
            "map_response",
            "map_response_point",
            "CC2_match",
            "CC2_match_basic",
            "CC2_map_response",
        ];
        if !known.contains(&name) {
            let local = q
                .attr(rp, "templateLocation")
                .and_then(|l| q.resolve(l))
                .and_then(Result::ok)
                .is_some_and(|p| q.package.has(&p));
            if !local {
                let msg = format!(
                    "response-processing template '{uri}' is not a standard template and no templateLocation in the package provides it"
                );
                out.push((ITEM_011, rp, msg));
            }
            continue;
        }
        let set_correct = q
            .all("setCorrectResponse")
            .any(|s| s.attribute("identifier") == Some("RESPONSE"));
        let (ok, what): (fn(&Decl<'_>, bool) -> bool, &str) = match name {
            "match_correct" => (|r, set| r.correct || set, "a correctResponse"),
            "map_response" => (|r, _| r.mapping, "a mapping"),
            "map_response_point" => (
                |r, _| r.area_mapping && r.base_type == Some("point"),
                "base type point and an areaMapping",
            ),
            _ => continue,
        };
        match d.by_id.get("RESPONSE").filter(|r| r.kind == Kind::Response) {
            None => out.push((
                ITEM_012,
                rp,
                format!(
                    "template {name} needs a response variable 'RESPONSE', which is not declared"
                ),
            )),
            Some(r) if !ok(r, set_correct) => out.push((
                ITEM_012,
                rp,
                format!("template {name} needs response 'RESPONSE' to have {what}"),
            )),
            Some(_) => {}
        }
        if d.by_id.get("SCORE").is_none_or(|s| s.kind != Kind::Outcome) {
            out.push((
                ITEM_012,
                rp,
                format!("template {name} sets outcome 'SCORE', which is not declared"),
            ));
        }
    }
}
