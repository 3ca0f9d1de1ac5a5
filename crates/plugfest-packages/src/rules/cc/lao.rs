//! Associated content and learning application objects (CC 1.1 IG §3.3, Definitions; packages.md
//! §4 check 47): each associated-content resource belongs to one and only one learning
//! application object, which says so with a dependency, and its files live in that object's
//! folder (the folder of its descriptor file) or below it.

use super::util::{dir_of, resolve};
use super::{Cartridge, Cat};
use crate::rules::Ctx;

pub(super) fn check(ctx: &mut Ctx<'_>, c: &Cartridge<'_>) {
    let doc = &c.doc;
    let referenced: Vec<&str> = c
        .items()
        .iter()
        .filter_map(|i| i.attribute("identifierref"))
        .collect();
    for ac in c.resources.iter().filter(|r| r.cat == Cat::Associated) {
        let owners: Vec<_> = c
            .resources
            .iter()
            .filter(|r| r.cat.is_lao() && r.id != ac.id && r.deps.iter().any(|(_, t)| *t == ac.id))
            .collect();
        match owners.len() {
            0 if referenced.contains(&ac.id) => {}
            0 => ctx.report(
                "CC-AC-OWNER",
                doc,
                ac.node,
                format!(
                    "associated content {} belongs to no learning application object: no resource depends on it and no item references it",
                    ac.id
                ),
            ),
            1 => {
                let owner = owners[0];
                let Some(descriptor) = owner.first_file() else {
                    continue;
                };
                let folder = dir_of(&descriptor);
                for (f, href) in &ac.files {
                    let Some(p) = resolve(&ac.base, href) else {
                        continue;
                    };
                    if !p.starts_with(folder) {
                        ctx.report(
                            "CC-AC-DIR",
                            doc,
                            *f,
                            format!(
                                "{p}, listed by associated content {}, is outside `{}`, the folder of {} ({}), the learning application object it belongs to",
                                ac.id,
                                if folder.is_empty() { "/" } else { folder },
                                owner.id,
                                descriptor
                            ),
                        );
                    }
                }
            }
            _ => ctx.report(
                "CC-AC-OWNER",
                doc,
                ac.node,
                format!(
                    "associated content {} belongs to {} learning application objects ({}); it must belong to one and only one",
                    ac.id,
                    owners.len(),
                    owners.iter().map(|o| o.id).collect::<Vec<_>>().join(", ")
                ),
            ),
        }
    }
}
