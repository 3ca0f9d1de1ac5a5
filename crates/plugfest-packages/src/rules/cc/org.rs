//! The organization of a cartridge (CC 1.1 Implementation Guide §4.4.3): at most one, a
//! `rooted-hierarchy`, rooted on a single item without a title, every other item titled. The CC
//! XSDs enforce the same shape; these rules say it in the guide's words even when no schema ran
//! (CC 1.0 and 1.2 manifests have none in the bundle).

use super::Cartridge;
use super::util::{child, children, text};
use crate::rules::Ctx;

pub(super) fn check(ctx: &mut Ctx<'_>, c: &Cartridge<'_>) {
    let doc = &c.doc;
    for (i, org) in c.organizations.iter().enumerate() {
        if i == 1 {
            ctx.report(
                "CC-ORG-COUNT",
                doc,
                *org,
                format!(
                    "the manifest has {} organizations; a cartridge has a single organization or none",
                    c.organizations.len()
                ),
            );
        }
        match org.attribute("structure") {
            Some("rooted-hierarchy") => {}
            Some(s) => ctx.report(
                "CC-ORG-STRUCTURE",
                doc,
                *org,
                format!("organization structure is `{s}`; it must be `rooted-hierarchy`"),
            ),
            None => ctx.report(
                "CC-ORG-STRUCTURE",
                doc,
                *org,
                "organization has no structure attribute; it must be structure=\"rooted-hierarchy\"",
            ),
        }
        let roots: Vec<_> = children(*org, c.ns, "item").collect();
        match roots.len() {
            0 => ctx.report(
                "CC-ORG-ROOT",
                doc,
                *org,
                "organization has no root item; it must be rooted on a single item",
            ),
            1 => {}
            n => ctx.report(
                "CC-ORG-ROOT",
                doc,
                roots[1],
                format!("organization has {n} sibling items at the top; it must be rooted on a single item that holds the others"),
            ),
        }
        for root in &roots {
            if let Some(r) = root.attribute("identifierref") {
                ctx.report(
                    "CC-ORG-ROOT",
                    doc,
                    *root,
                    format!("the root item references resource {r}; the root item is only the root of the tree and references nothing"),
                );
            }
            if let Some(t) = child(*root, c.ns, "title") {
                ctx.report(
                    "CC-ORG-ROOT-TITLE",
                    doc,
                    t,
                    format!(
                        "the root item has a title (`{}`); the root item must not contain a title",
                        text(t)
                    ),
                );
            }
            for item in root.descendants().skip(1).filter(|n| {
                n.is_element() && n.tag_name().name() == "item" && super::util::ns_of(*n) == c.ns
            }) {
                let titled = child(item, c.ns, "title").is_some_and(|t| !text(t).is_empty());
                if !titled {
                    ctx.report(
                        "CC-ORG-ITEM-TITLE",
                        doc,
                        item,
                        format!(
                            "item {} has no title; every item except the root must contain a title",
                            item.attribute("identifier").unwrap_or("?")
                        ),
                    );
                }
            }
        }
    }
}
