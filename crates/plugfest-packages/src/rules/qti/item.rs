//! Item checks: variables declared, declared once and of the right kind; interactions bound to
//! fitting response variables; values that fit their declarations; response-processing templates.

use std::collections::HashMap;

use roxmltree::Node;

use super::values;
use super::{Found, Q};

/// Each interaction's `responseIdentifier` (and a text entry's `stringIdentifier`) names a
/// declared response variable.
pub(crate) const ITEM_001: &str = "ITEM-001";
/// `variable`, `correct`, `default`, `mapResponse`, `mapResponsePoint` and `printedVariable`
/// name a declared variable of the right kind.
pub(crate) const ITEM_002: &str = "ITEM-002";
/// `setOutcomeValue`/`lookupOutcomeValue`, `setTemplateValue`, `setCorrectResponse` and
/// `setDefaultValue` set a declared variable of the right kind.
pub(crate) const ITEM_003: &str = "ITEM-003";
/// Feedback `outcomeIdentifier` and `templateIdentifier` name a declared identifier variable of
/// single or multiple cardinality.
pub(crate) const ITEM_004: &str = "ITEM-004";
/// Every variable is declared once, and never under a built-in name.
pub(crate) const ITEM_005: &str = "ITEM-005";
/// Choice identifiers are unique within their interaction.
pub(crate) const ITEM_006: &str = "ITEM-006";
/// An interaction's response variable has a base type the interaction allows.
pub(crate) const ITEM_007: &str = "ITEM-007";
/// An interaction's response variable has a cardinality the interaction allows.
pub(crate) const ITEM_008: &str = "ITEM-008";
/// A single-cardinality declaration's correct response or default holds exactly one value.
pub(crate) const ITEM_009: &str = "ITEM-009";
/// Values, map keys and base values are valid for their base type.
pub(crate) const ITEM_010: &str = "ITEM-010";
/// A response-processing `template` is a known standard template (or is in the package).
pub(crate) const ITEM_011: &str = "ITEM-011";
/// A standard template finds what it needs: RESPONSE with a correct response or mapping, SCORE.
pub(crate) const ITEM_012: &str = "ITEM-012";
/// `mapResponse` reads a response with a mapping, `mapResponsePoint` a point response with an
/// area mapping.
pub(crate) const ITEM_013: &str = "ITEM-013";
/// Response processing uses none of the test-only expressions.
pub(crate) const ITEM_014: &str = "ITEM-014";
/// Interaction attributes agree: maxima not below minima, string and response identifiers
/// differ.
pub(crate) const ITEM_015: &str = "ITEM-015";

/// What kind of variable a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Response,
    Outcome,
    Template,
    Context,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Response => "a response variable",
            Kind::Outcome => "an outcome variable",
            Kind::Template => "a template variable",
            Kind::Context => "a context variable",
        }
    }
}

/// One variable declaration of the item.
pub(crate) struct Decl<'a> {
    pub node: Node<'a, 'a>,
    pub kind: Kind,
    pub cardinality: &'a str,
    pub base_type: Option<&'a str>,
    pub correct: bool,
    pub mapping: bool,
    pub area_mapping: bool,
}

/// Built-in variables: never declared, always there.
const BUILTIN_RESPONSES: &[&str] = &["numAttempts", "duration"];
const BUILTIN_OUTCOMES: &[&str] = &["completionStatus"];

/// The item's declarations by identifier (the first of duplicates).
pub(crate) struct Decls<'a> {
    pub by_id: HashMap<&'a str, Decl<'a>>,
}

impl<'a> Decls<'a> {
    /// The kind of `id`: declared, or built in.
    pub fn kind(&self, id: &str) -> Option<Kind> {
        if let Some(d) = self.by_id.get(id) {
            Some(d.kind)
        } else if BUILTIN_RESPONSES.contains(&id) {
            Some(Kind::Response)
        } else if BUILTIN_OUTCOMES.contains(&id) {
            Some(Kind::Outcome)
        } else {
            None
        }
    }
}

/// Read the declarations, reporting duplicates and built-in names (ITEM-005).
pub(crate) fn declarations<'a>(q: &Q<'_, 'a>, out: &mut Vec<Found<'a>>) -> Decls<'a> {
    let mut by_id: HashMap<&'a str, Decl<'a>> = HashMap::new();
    for n in q.children(q.root) {
        let kind = match q.name(n).as_ref() {
            "responseDeclaration" => Kind::Response,
            "outcomeDeclaration" => Kind::Outcome,
            "templateDeclaration" => Kind::Template,
            "contextDeclaration" => Kind::Context,
            _ => continue,
        };
        let Some(id) = n.attribute("identifier") else {
            continue;
        };
        let has = |name: &str| q.children(n).any(|c| q.is(c, name));
        let decl = Decl {
            node: n,
            kind,
            cardinality: q.attr(n, "cardinality").unwrap_or(""),
            base_type: q.attr(n, "baseType"),
            correct: has("correctResponse"),
            mapping: has("mapping"),
            area_mapping: has("areaMapping"),
        };
        if BUILTIN_RESPONSES.contains(&id) || BUILTIN_OUTCOMES.contains(&id) {
            out.push((
                ITEM_005,
                n,
                format!("'{id}' is a built-in variable and must not be declared"),
            ));
        }
        if let Some(first) = by_id.get(id) {
            let line = q.doc.xml.text_pos_at(first.node.range().start).row;
            out.push((
                ITEM_005,
                n,
                format!(
                    "variable '{id}' is declared twice (first as {} on line {line})",
                    first.kind.noun()
                ),
            ));
            continue;
        }
        by_id.insert(id, decl);
    }
    Decls { by_id }
}

/// Every item check.
pub(crate) fn check<'a>(q: &Q<'_, 'a>, out: &mut Vec<Found<'a>>) {
    let d = declarations(q, out);
    references(q, &d, out);
    choices(q, out);
    super::interactions::check(q, &d, out);
    super::values::declared(q, &d, out);
    super::processing::check(q, &d, out);
}

/// ITEM-001 to ITEM-004, ITEM-013: identifiers that name variables.
fn references<'a>(q: &Q<'_, 'a>, d: &Decls<'a>, out: &mut Vec<Found<'a>>) {
    let wrong = |n: Node<'a, 'a>, attr: &str, id: &str, want: &str, got: Option<Kind>| match got {
        None => {
            let hint = if d.by_id.keys().any(|k| k.trim() == id.trim()) {
                " (a declaration differs only by surrounding whitespace)"
            } else {
                ""
            };
            format!(
                "<{}> {attr} '{id}' is not declared as {want}{hint}",
                n.tag_name().name()
            )
        }
        Some(k) => format!(
            "<{}> {attr} '{id}' is {}, not {want}",
            n.tag_name().name(),
            k.noun()
        ),
    };
    for n in q.elements() {
        let name = q.name(n);
        let name = name.as_ref();
        if values::is_interaction(name) {
            for attr in ["responseIdentifier", "stringIdentifier"] {
                if let Some(id) = q.attr(n, attr)
                    && d.kind(id) != Some(Kind::Response)
                {
                    out.push((
                        ITEM_001,
                        n,
                        wrong(n, attr, id, "a response variable", d.kind(id)),
                    ));
                }
            }
            continue;
        }
        let id = q.attr(n, "identifier");
        match (name, id) {
            ("variable" | "default" | "printedVariable", Some(id)) if d.kind(id).is_none() => {
                out.push((ITEM_002, n, wrong(n, "identifier", id, "a variable", None)));
            }
            ("correct" | "mapResponse" | "mapResponsePoint", Some(id)) => {
                if d.kind(id) != Some(Kind::Response) {
                    let msg = wrong(n, "identifier", id, "a response variable", d.kind(id));
                    out.push((ITEM_002, n, msg));
                } else if let Some(decl) = d.by_id.get(id) {
                    mapping_needed(n, name, id, decl, out);
                }
            }
            ("setOutcomeValue" | "lookupOutcomeValue", Some(id))
                if d.kind(id) != Some(Kind::Outcome) =>
            {
                out.push((
                    ITEM_003,
                    n,
                    wrong(n, "identifier", id, "an outcome variable", d.kind(id)),
                ));
            }
            ("setTemplateValue", Some(id)) if d.kind(id) != Some(Kind::Template) => {
                out.push((
                    ITEM_003,
                    n,
                    wrong(n, "identifier", id, "a template variable", d.kind(id)),
                ));
            }
            ("setCorrectResponse", Some(id)) if d.kind(id) != Some(Kind::Response) => {
                out.push((
                    ITEM_003,
                    n,
                    wrong(n, "identifier", id, "a response variable", d.kind(id)),
                ));
            }
            ("setDefaultValue", Some(id))
                if !matches!(d.kind(id), Some(Kind::Response | Kind::Outcome)) =>
            {
                let msg = wrong(
                    n,
                    "identifier",
                    id,
                    "a response or outcome variable",
                    d.kind(id),
                );
                out.push((ITEM_003, n, msg));
            }
            _ => {}
        }
        let shown = match name {
            "modalFeedback" | "feedbackBlock" | "feedbackInline" => q
                .attr(n, "outcomeIdentifier")
                .map(|id| ("outcomeIdentifier", id, Kind::Outcome)),
            _ => q
                .attr(n, "templateIdentifier")
                .map(|id| ("templateIdentifier", id, Kind::Template)),
        };
        if let Some((attr, id, want)) = shown {
            show_hide(n, attr, id, want, d, out);
        }
    }
}

/// ITEM-013.
fn mapping_needed<'a>(
    n: Node<'a, 'a>,
    name: &str,
    id: &str,
    decl: &Decl<'a>,
    out: &mut Vec<Found<'a>>,
) {
    let tag = n.tag_name().name();
    if name == "mapResponse" && !decl.mapping {
        out.push((
            ITEM_013,
            n,
            format!("<{tag}> reads '{id}', whose declaration has no mapping"),
        ));
    }
    if name == "mapResponsePoint" {
        if !decl.area_mapping {
            out.push((
                ITEM_013,
                n,
                format!("<{tag}> reads '{id}', whose declaration has no areaMapping"),
            ));
        } else if decl.base_type != Some("point") {
            out.push((
                ITEM_013,
                n,
                format!("<{tag}> reads '{id}', which does not have base type point"),
            ));
        }
    }
}

/// ITEM-004.
fn show_hide<'a>(
    n: Node<'a, 'a>,
    attr: &str,
    id: &str,
    want: Kind,
    d: &Decls<'a>,
    out: &mut Vec<Found<'a>>,
) {
    let tag = n.tag_name().name();
    let Some(decl) = d.by_id.get(id).filter(|decl| decl.kind == want) else {
        let msg = format!("<{tag}> {attr} '{id}' is not declared as {}", want.noun());
        out.push((ITEM_004, n, msg));
        return;
    };
    if decl.base_type != Some("identifier") || !matches!(decl.cardinality, "single" | "multiple") {
        let msg = format!(
            "<{tag}> {attr} '{id}' must name an identifier variable of single or multiple cardinality (it is {} {})",
            decl.cardinality,
            decl.base_type.unwrap_or("without base type")
        );
        out.push((ITEM_004, n, msg));
    }
}

/// ITEM-006: choice identifiers unique within the nearest interaction holding them.
fn choices<'a>(q: &Q<'_, 'a>, out: &mut Vec<Found<'a>>) {
    let mut seen: HashMap<(roxmltree::NodeId, &'a str), Node<'a, 'a>> = HashMap::new();
    for n in q.elements() {
        if !values::is_choice(&q.name(n)) {
            continue;
        }
        let Some(id) = n.attribute("identifier") else {
            continue;
        };
        let Some(owner) = n
            .ancestors()
            .skip(1)
            .find(|a| values::is_interaction(&q.name(*a)))
        else {
            continue;
        };
        if seen.insert((owner.id(), id), n).is_some() {
            let msg = format!(
                "choice identifier '{id}' is used twice in <{}>",
                owner.tag_name().name()
            );
            out.push((ITEM_006, n, msg));
        }
    }
}

/// The declarations in document order, so findings come out in a stable order.
pub(crate) fn sorted<'d, 'a>(d: &'d Decls<'a>) -> Vec<(&'a str, &'d Decl<'a>)> {
    let mut v: Vec<(&'a str, &'d Decl<'a>)> = d.by_id.iter().map(|(k, v)| (*k, v)).collect();
    v.sort_by_key(|(_, decl)| decl.node.range().start);
    v
}
