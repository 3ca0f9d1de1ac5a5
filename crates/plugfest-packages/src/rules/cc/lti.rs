//! Basic LTI links (`cartridge_basiclti_link`, CC 1.1 IG §4.9; packages.md §4 check 51): a title,
//! a launch URL (`launch_url` or `secure_launch_url`, one of them must be given), each a
//! well-formed absolute http(s) URL, the secure one https, and `cartridge_bundle` /
//! `cartridge_icon` pointing at resources of the manifest. Read in Common Cartridges and in
//! packages without a manifest (a lone link file), not in other kinds of package.

use super::Cartridge;
use super::util::{child_local, http_url_problem, is_plain_http, ns_of, text};
use crate::rules::{Ctx, Doc};

pub(super) fn check(ctx: &mut Ctx<'_>, docs: &[Doc<'_>], cart: Option<&Cartridge<'_>>) {
    // LTI links of other packages (QTI 3.0.1 `imslti_xmlv1p1` resources) are not CC's to judge.
    if cart.is_none() && ctx.package.has("imsmanifest.xml") {
        return;
    }
    for doc in docs {
        let root = doc.xml.root_element();
        if root.tag_name().name() != "cartridge_basiclti_link"
            || !ns_of(root).contains("/imslticc_v1p")
        {
            continue;
        }
        match child_local(root, "title") {
            Some(t) if !text(t).is_empty() => {}
            Some(t) => ctx.report("CC-LTI-TITLE", doc, t, "the LTI link's title is empty"),
            None => ctx.report(
                "CC-LTI-TITLE",
                doc,
                root,
                "the LTI link has no <blti:title>",
            ),
        }
        let launch = child_local(root, "launch_url").filter(|n| !text(*n).is_empty());
        let secure = child_local(root, "secure_launch_url").filter(|n| !text(*n).is_empty());
        if launch.is_none() && secure.is_none() {
            ctx.report(
                "CC-LTI-LAUNCH",
                doc,
                root,
                "the LTI link has neither <blti:launch_url> nor <blti:secure_launch_url>; one of them must be given",
            );
        }
        for n in [launch, secure].into_iter().flatten() {
            let url = text(n);
            if let Some(why) = http_url_problem(&url) {
                ctx.report(
                    "CC-LTI-URL",
                    doc,
                    n,
                    format!(
                        "<blti:{}> `{url}` is not a well-formed absolute http(s) URL: {why}",
                        n.tag_name().name()
                    ),
                );
            }
        }
        if let Some(s) = secure {
            let url = text(s);
            if http_url_problem(&url).is_none() && is_plain_http(&url) {
                ctx.report(
                    "CC-LTI-SECURE-URL",
                    doc,
                    s,
                    format!("<blti:secure_launch_url> `{url}` is plain http; the secure launch URL is the https one"),
                );
            }
        }
        let Some(c) = cart else {
            continue;
        };
        for name in ["cartridge_bundle", "cartridge_icon"] {
            let Some(r) = root.children().find(|n| {
                n.is_element() && n.tag_name().name() == name && ns_of(*n) == ns_of(root)
            }) else {
                continue;
            };
            match r.attribute("identifierref") {
                None => ctx.report(
                    "CC-LTI-REF",
                    doc,
                    r,
                    format!("<{name}> has no identifierref"),
                ),
                Some(id) if c.get(id).is_none() => ctx.report(
                    "CC-LTI-REF",
                    doc,
                    r,
                    format!("<{name} identifierref=\"{id}\"> names no resource of the manifest"),
                ),
                Some(_) => {}
            }
        }
    }
}
