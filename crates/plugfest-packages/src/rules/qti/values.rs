//! What each interaction may be bound to, the lexical forms of QTI base types, and the values
//! of declarations (ITEM-009, ITEM-010).

use roxmltree::Node;

use super::item::{Decls, ITEM_009, ITEM_010, Kind, sorted};
use super::{Found, Q};

/// The base types and cardinalities an interaction's response variable may have (QTI 2.1/2.2/3.0
/// information model, each interaction's "must be bound to a response variable with…"), and the
/// attribute whose value other than 1 asks for multiple cardinality. `None` for interactions the
/// table does not cover (custom and portable custom interactions).
pub(crate) fn interaction(
    name: &str,
) -> Option<(
    &'static [&'static str],
    &'static [&'static str],
    Option<&'static str>,
)> {
    const ID: &[&str] = &["identifier"];
    const SM: &[&str] = &["single", "multiple"];
    const S: &[&str] = &["single"];
    const O: &[&str] = &["ordered"];
    const TEXT: &[&str] = &["string", "integer", "float"];
    Some(match name {
        "choiceInteraction" => (ID, SM, Some("maxChoices")),
        "hottextInteraction" => (ID, SM, Some("maxChoices")),
        "hotspotInteraction" => (ID, SM, Some("maxChoices")),
        "orderInteraction" | "graphicOrderInteraction" => (ID, O, None),
        "inlineChoiceInteraction" => (ID, S, None),
        "associateInteraction" | "graphicAssociateInteraction" => {
            (&["pair"], SM, Some("maxAssociations"))
        }
        "matchInteraction" => (&["directedPair"], SM, Some("maxAssociations")),
        "gapMatchInteraction" | "graphicGapMatchInteraction" => (&["directedPair"], SM, None),
        "selectPointInteraction" => (&["point"], SM, Some("maxChoices")),
        "positionObjectInteraction" => (&["point"], SM, Some("maxChoices")),
        "textEntryInteraction" => (TEXT, &["single", "record"], None),
        "extendedTextInteraction" => (TEXT, &["single", "multiple", "ordered", "record"], None),
        "sliderInteraction" => (&["integer", "float"], S, None),
        "mediaInteraction" => (&["integer"], S, None),
        "uploadInteraction" | "drawingInteraction" => (&["file"], S, None),
        "endAttemptInteraction" => (&["boolean"], S, None),
        _ => return None,
    })
}

/// Interactions (their names end in `Interaction`; `positionObjectStage` holds interactions).
pub(crate) fn is_interaction(name: &str) -> bool {
    name.ends_with("Interaction")
}

/// Elements that are choices of an interaction: their identifiers must differ within it.
pub(crate) fn is_choice(name: &str) -> bool {
    matches!(
        name,
        "simpleChoice"
            | "simpleAssociableChoice"
            | "hottext"
            | "gapText"
            | "gapImg"
            | "gap"
            | "inlineChoice"
            | "hotspotChoice"
            | "associableHotspot"
    )
}

/// True when `value` is a valid value of `base_type`; base types without a lexical constraint
/// worth checking here (string, file, uri, duration, intOrIdentifier) and unknown ones pass.
pub(crate) fn valid(base_type: &str, value: &str) -> bool {
    let v = value.trim();
    match base_type {
        "identifier" => identifier(v),
        "boolean" => matches!(v, "true" | "false" | "1" | "0"),
        "integer" => integer(v),
        "float" => float(v),
        "pair" | "directedPair" => {
            let parts: Vec<&str> = v.split_whitespace().collect();
            parts.len() == 2 && parts.iter().all(|p| identifier(p))
        }
        "point" => {
            let parts: Vec<&str> = v.split_whitespace().collect();
            parts.len() == 2 && parts.iter().all(|p| integer(p))
        }
        _ => true,
    }
}

/// A QTI identifier: an XML NCName (no colon, no leading digit, `-` or `.`).
pub(crate) fn identifier(v: &str) -> bool {
    let mut chars = v.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}

fn integer(v: &str) -> bool {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn float(v: &str) -> bool {
    matches!(v, "INF" | "-INF" | "+INF" | "NaN")
        || (!v.is_empty()
            && v.bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
            && v.parse::<f64>().is_ok())
}

/// ITEM-009 and ITEM-010: values of declarations, map keys and base values.
pub(crate) fn declared<'a>(q: &Q<'_, 'a>, d: &Decls<'a>, out: &mut Vec<Found<'a>>) {
    for (id, decl) in sorted(d) {
        for holder in q.children(decl.node) {
            let holder_name = q.name(holder);
            if !matches!(holder_name.as_ref(), "correctResponse" | "defaultValue") {
                continue;
            }
            let vals: Vec<Node<'a, 'a>> =
                q.children(holder).filter(|v| q.is(*v, "value")).collect();
            if decl.cardinality == "single" && vals.len() != 1 {
                let msg = format!(
                    "<{}> of single-cardinality '{id}' holds {} values; it must hold exactly one",
                    holder.tag_name().name(),
                    vals.len()
                );
                out.push((ITEM_009, holder, msg));
            }
            for v in vals {
                let bt = if decl.cardinality == "record" {
                    q.attr(v, "baseType")
                } else {
                    decl.base_type
                };
                value_fits(q, v, bt, id, out);
            }
        }
        if decl.kind == Kind::Response && decl.mapping {
            for m in q.children(decl.node).filter(|m| q.is(*m, "mapping")) {
                for e in q.children(m).filter(|e| q.is(*e, "mapEntry")) {
                    if let (Some(key), Some(bt)) = (q.attr(e, "mapKey"), decl.base_type)
                        && !key.trim().is_empty()
                        && !valid(bt, key)
                    {
                        let msg = format!("mapKey '{key}' of '{id}' is not a valid {bt} value");
                        out.push((ITEM_010, e, msg));
                    }
                }
            }
        }
    }
    for bv in q.all("baseValue") {
        value_fits(q, bv, q.attr(bv, "baseType"), "baseValue", out);
    }
}

fn value_fits<'a>(
    q: &Q<'_, 'a>,
    v: Node<'a, 'a>,
    bt: Option<&str>,
    of: &str,
    out: &mut Vec<Found<'a>>,
) {
    let text: String = v
        .descendants()
        .filter(|t| t.is_text())
        .filter_map(|t| t.text())
        .collect();
    if let Some(bt) = bt
        && !text.trim().is_empty()
        && !valid(bt, &text)
    {
        let what = if q.is(v, "baseValue") {
            String::new()
        } else {
            format!(" of '{of}'")
        };
        let msg = format!("value '{}'{what} is not a valid {bt} value", text.trim());
        out.push((ITEM_010, v, msg));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_type_lexical_forms() {
        assert!(valid("identifier", " ChoiceA "));
        assert!(!valid("identifier", "1A"));
        assert!(valid("pair", "A B"));
        assert!(!valid("directedPair", "A"));
        assert!(valid("point", "10 -3"));
        assert!(!valid("point", "10.5 3"));
        assert!(valid("float", "1e3"));
        assert!(valid("float", "-INF"));
        assert!(!valid("float", "inf"));
        assert!(!valid("integer", "1.0"));
        assert!(valid("boolean", "true"));
        assert!(!valid("boolean", "yes"));
        assert!(valid("string", "anything"));
    }
}
