//! Discussion topics (`topic`, CC 1.1 IG §4.7): a title, the text that becomes the prompt, and
//! attachments that are files of the cartridge, given as paths relative to the topic file
//! (optionally behind the `$IMS-CC-FILEBASE$` token, IG §3.4.3.3).

use super::util::{child_local, dir_of, find, has_scheme, ns_of, resolve, text};
use crate::rules::{Ctx, Doc};

const FILEBASE: &str = "$IMS-CC-FILEBASE$";

pub(super) fn check(ctx: &mut Ctx<'_>, docs: &[Doc<'_>]) {
    let pkg = ctx.package;
    for doc in docs {
        let root = doc.xml.root_element();
        if root.tag_name().name() != "topic" || !ns_of(root).contains("/imsdt_v1p") {
            continue;
        }
        match child_local(root, "title") {
            Some(t) if !text(t).is_empty() => {}
            Some(t) => ctx.report(
                "CC-DT-TITLE",
                doc,
                t,
                "the discussion topic's title is empty",
            ),
            None => ctx.report(
                "CC-DT-TITLE",
                doc,
                root,
                "the discussion topic has no <title>",
            ),
        }
        if child_local(root, "text").is_none() {
            ctx.report(
                "CC-DT-TEXT",
                doc,
                root,
                "the discussion topic has no <text> (the prompt an importing platform creates the topic with)",
            );
        }
        let Some(atts) = child_local(root, "attachments") else {
            continue;
        };
        for a in atts
            .children()
            .filter(|n| n.is_element() && n.tag_name().name() == "attachment")
        {
            let Some(href) = a.attribute("href") else {
                ctx.report("CC-DT-ATTACHMENT", doc, a, "the attachment has no href");
                continue;
            };
            let rel = href.trim().strip_prefix(FILEBASE).unwrap_or(href.trim());
            let rel = rel
                .strip_prefix('/')
                .filter(|_| href.trim().starts_with(FILEBASE))
                .unwrap_or(rel);
            if has_scheme(rel) || rel.starts_with('/') {
                ctx.report(
                    "CC-DT-ATTACHMENT",
                    doc,
                    a,
                    format!(
                        "attachment `{href}` is not a relative path to a file of the cartridge"
                    ),
                );
                continue;
            }
            let found = resolve(dir_of(doc.path), rel).and_then(|p| find(pkg, &p));
            if found.is_none() {
                ctx.report(
                    "CC-DT-ATTACHMENT",
                    doc,
                    a,
                    format!(
                        "attachment `{href}` names no file of the cartridge (resolved against {})",
                        if dir_of(doc.path).is_empty() {
                            "the root"
                        } else {
                            dir_of(doc.path)
                        }
                    ),
                );
            }
        }
    }
}
