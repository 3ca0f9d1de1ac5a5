//! Small helpers the CC and IWB rules share: namespace-aware children, text, package paths
//! (relative references resolved against a folder, `%XX` decoded) and the URL checks.

use crate::package::Package;
use crate::rules::{Ctx, Doc};
use roxmltree::Node;

/// `xml:` attributes (`xml:base`).
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The documents of `ctx`, copied (a `Doc` only holds references) so that rules can read them
/// while reporting into `ctx`.
pub(crate) fn docs<'a>(ctx: &Ctx<'a>) -> Vec<Doc<'a>> {
    ctx.docs.iter().map(copy).collect()
}

/// A copy of one document handle.
pub(crate) fn copy<'a>(d: &Doc<'a>) -> Doc<'a> {
    Doc {
        path: d.path,
        kind: d.kind,
        xml: d.xml,
    }
}

/// Element children of `n` named `name` in namespace `ns`.
pub(crate) fn children<'a, 'i>(
    n: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a
where
    'i: 'a,
{
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name && ns_of(*c) == ns)
}

/// The first element child of `n` named `name` in namespace `ns`.
pub(crate) fn child<'a, 'i>(n: Node<'a, 'i>, ns: &'a str, name: &'a str) -> Option<Node<'a, 'i>>
where
    'i: 'a,
{
    children(n, ns, name).next()
}

/// The first element child of `n` with local name `name`, whatever its namespace.
pub(crate) fn child_local<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Namespace of an element ("" when none).
pub(crate) fn ns_of<'a>(n: Node<'a, '_>) -> &'a str {
    n.tag_name().namespace().unwrap_or("")
}

/// All text below `n`, trimmed.
pub(crate) fn text(n: Node<'_, '_>) -> String {
    let mut s = String::new();
    for d in n.descendants().filter(|d| d.is_text()) {
        s.push_str(d.text().unwrap_or(""));
    }
    s.trim().to_string()
}

/// The folder part of a package path, with its trailing slash (`a/b/c.xml` → `a/b/`, `c.xml` → ``).
pub(crate) fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    }
}

/// True when `href` starts with a URI scheme (`http:`, `mailto:`, `C:`…) or is a network path.
pub(crate) fn has_scheme(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    match href.find(':') {
        Some(i) if i > 0 => {
            let s = &href[..i];
            s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        }
        _ => false,
    }
}

/// `href` (relative, without query or fragment) resolved against the folder `dir` (`""` or ending
/// in `/`) into a package path; `None` when it is absolute, has a scheme, or leaves the package.
pub(crate) fn resolve(dir: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.is_empty() || href.starts_with('/') || href.starts_with('\\') || has_scheme(href) {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The package path `path` names, trying it as written and then `%XX`-decoded.
pub(crate) fn find(pkg: &Package, path: &str) -> Option<String> {
    if pkg.has(path) {
        return Some(path.to_string());
    }
    let decoded = percent_decode(path)?;
    pkg.has(&decoded).then_some(decoded)
}

/// `%XX` sequences decoded (UTF-8); `None` when nothing was encoded or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return None;
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() {
                return None;
            }
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why `url` is not a well-formed absolute `http`/`https` URL (RFC 3986), or `None` when it is.
pub(crate) fn http_url_problem(url: &str) -> Option<String> {
    let u = url.trim();
    if u.is_empty() {
        return Some("it is empty".into());
    }
    let Some((scheme, rest)) = u.split_once("://") else {
        return Some(if has_scheme(u) {
            "it is not an http or https URL".into()
        } else {
            "it is not an absolute URL (no http:// or https://)".into()
        });
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Some(format!("its scheme `{scheme}` is not http or https"));
    }
    if let Some(c) = u.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    }) {
        return Some(format!(
            "it contains the character {c:?}, which a URL may not hold unencoded"
        ));
    }
    let b = u.as_bytes();
    for (i, _) in u.match_indices('%') {
        let ok = i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit();
        if !ok {
            return Some("it has a `%` not followed by two hex digits".into());
        }
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, p)) => (h, p.strip_prefix(':')),
            None => return Some("its IPv6 host has no closing `]`".into()),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Some("it has no host".into());
    }
    if !host_port.starts_with('[')
        && !host.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '%') || !c.is_ascii()
        })
    {
        return Some(format!("its host `{host}` is not a valid host name"));
    }
    if let Some(p) = port
        && !p.chars().all(|c| c.is_ascii_digit())
    {
        return Some(format!("its port `{p}` is not a number"));
    }
    None
}

/// True when `url` is an `http:` (not `https:`) URL.
pub(crate) fn is_plain_http(url: &str) -> bool {
    let u = url.trim();
    u.len() >= 7 && u[..7].eq_ignore_ascii_case("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for ok in [
            "http://example.com",
            "https://www.edu-apps.org/lti_public_resources/?tool_id=vimeo",
            "https://example.com:8443/a%20b#x",
            "http://[::1]:80/",
            "https://user@host.example/",
        ] {
            assert_eq!(http_url_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "www.example.com",
            "ftp://example.com/",
            "https://",
            "https://exa mple.com/",
            "https://example.com/a b",
            "https://example.com/%zz",
            "https://example.com:80x/",
            "/relative/path",
            "javascript:alert(1)",
        ] {
            assert!(http_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(resolve("a/b/", "../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(resolve("", "./x/y.gif#f").as_deref(), Some("x/y.gif"));
        assert_eq!(resolve("", "../x"), None);
        assert_eq!(resolve("a/", "/etc/passwd"), None);
        assert_eq!(resolve("a/", "http://x/y"), None);
        assert_eq!(dir_of("a/b/c.xml"), "a/b/");
        assert_eq!(dir_of("c.xml"), "");
        assert_eq!(
            percent_decode("file%201.txt").as_deref(),
            Some("file 1.txt")
        );
        assert_eq!(percent_decode("x%2"), None);
    }
}
