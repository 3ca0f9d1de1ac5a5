//! Interactions against their response variables (ITEM-007, ITEM-008) and their own attributes
//! (ITEM-015).

use roxmltree::Node;

use super::item::{Decls, ITEM_007, ITEM_008, ITEM_015, Kind};
use super::values;
use super::{Found, Q};

/// Every interaction of the item.
pub(crate) fn check<'a>(q: &Q<'_, 'a>, d: &Decls<'a>, out: &mut Vec<Found<'a>>) {
    for n in q.elements() {
        let name = q.name(n);
        let name = name.as_ref();
        attributes(q, n, name, out);
        if !values::is_interaction(name) {
            continue;
        }
        let Some((bases, cards, max_attr)) = values::interaction(name) else {
            continue;
        };
        let Some(id) = q.attr(n, "responseIdentifier") else {
            continue;
        };
        let Some(decl) = d.by_id.get(id).filter(|decl| decl.kind == Kind::Response) else {
            continue;
        };
        let tag = n.tag_name().name();
        let card = decl.cardinality;
        if !cards.contains(&card) {
            let msg = format!(
                "<{tag}> is bound to '{id}' of {card} cardinality; it needs {}",
                cards.join(" or ")
            );
            out.push((ITEM_008, n, msg));
        } else if let Some(attr) = max_attr {
            let max = q.attr(n, attr).map(str::trim).unwrap_or("1");
            if card == "single" && max != "1" {
                let shown = if q.v3 {
                    super::kebab(attr)
                } else {
                    attr.to_string()
                };
                let msg = format!(
                    "<{tag}> allows {shown}=\"{max}\" but '{id}' has single cardinality; it needs multiple"
                );
                out.push((ITEM_008, n, msg));
            }
        }
        if card == "record" {
            continue;
        }
        match decl.base_type {
            Some(bt) if bases.contains(&bt) => {}
            bt => {
                let msg = format!(
                    "<{tag}> is bound to '{id}' of base type {}; it needs {}",
                    bt.unwrap_or("(none)"),
                    bases.join(" or ")
                );
                out.push((ITEM_007, n, msg));
            }
        }
    }
}

/// ITEM-015: maxima below minima, and a string identifier equal to the response identifier.
fn attributes<'a>(q: &Q<'_, 'a>, n: Node<'a, 'a>, name: &str, out: &mut Vec<Found<'a>>) {
    let num = |attr: &str| q.attr(n, attr).and_then(|v| v.trim().parse::<f64>().ok());
    let shown = |attr: &str| {
        if q.v3 {
            super::kebab(attr)
        } else {
            attr.to_string()
        }
    };
    let tag = n.tag_name().name();
    let pairs: &[(&str, &str, bool)] = &[
        ("minChoices", "maxChoices", true),
        ("minAssociations", "maxAssociations", true),
        ("matchMin", "matchMax", true),
        ("minPlays", "maxPlays", true),
        ("minStrings", "maxStrings", false),
        ("lowerBound", "upperBound", false),
    ];
    for (lo, hi, zero_unbounded) in pairs {
        if let (Some(min), Some(max)) = (num(lo), num(hi))
            && max < min
            && !(*zero_unbounded && max == 0.0)
        {
            let msg = format!(
                "<{tag}> has {}=\"{max}\" below {}=\"{min}\"",
                shown(hi),
                shown(lo)
            );
            out.push((ITEM_015, n, msg));
        }
    }
    if matches!(name, "textEntryInteraction" | "extendedTextInteraction")
        && let (Some(s), Some(r)) = (
            q.attr(n, "stringIdentifier"),
            q.attr(n, "responseIdentifier"),
        )
        && s == r
    {
        let msg = format!(
            "<{tag}> uses '{s}' as both {} and {}",
            shown("stringIdentifier"),
            shown("responseIdentifier")
        );
        out.push((ITEM_015, n, msg));
    }
}
