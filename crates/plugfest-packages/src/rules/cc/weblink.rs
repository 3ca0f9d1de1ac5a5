//! Web links (`webLink`, CC 1.1 IG §4.8; packages.md §4 D): a title, and a `url` whose `href` is
//! a well-formed absolute http(s) URL (a web link "is a Learning Application Object
//! representation of a standard HTTP link", IG §3.2 Table 3.1).

use super::util::{child_local, http_url_problem, ns_of, text};
use crate::rules::{Ctx, Doc};

pub(super) fn check(ctx: &mut Ctx<'_>, docs: &[Doc<'_>]) {
    for doc in docs {
        let root = doc.xml.root_element();
        if root.tag_name().name() != "webLink" || !ns_of(root).contains("/imswl_v1p") {
            continue;
        }
        match child_local(root, "title") {
            Some(t) if !text(t).is_empty() => {}
            Some(t) => ctx.report("CC-WL-TITLE", doc, t, "the web link's title is empty"),
            None => ctx.report("CC-WL-TITLE", doc, root, "the web link has no <title>"),
        }
        let Some(url) = child_local(root, "url") else {
            ctx.report("CC-WL-URL", doc, root, "the web link has no <url>");
            continue;
        };
        match url.attribute("href") {
            None => ctx.report("CC-WL-URL", doc, url, "the web link's <url> has no href"),
            Some(h) => {
                if let Some(why) = http_url_problem(h) {
                    ctx.report(
                        "CC-WL-URL",
                        doc,
                        url,
                        format!("the web link's url `{h}` is not a well-formed absolute http(s) URL: {why}"),
                    );
                }
            }
        }
    }
}
