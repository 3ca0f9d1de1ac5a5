//! RFC 8288 §3 `Link` header parsing: `<URI-Reference>; rel="next", <…>; rel="last"`.
//!
//! Strict: an empty entry (a trailing comma), a missing `<…>`, or a parameter without `=` is a
//! syntax error, reported with what was wrong, so a malformed header is a finding, not a guess.

/// One link value: its target and relation types (lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target URI reference, as written.
    pub target: String,
    /// The `rel` relation types.
    pub rels: Vec<String>,
}

/// Parse a whole `Link` header value (several headers may be joined with `,` beforehand).
pub fn parse(header: &str) -> Result<Vec<Link>, String> {
    let mut out = Vec::new();
    let mut rest = header.trim();
    if rest.is_empty() {
        return Err("the Link header is empty".into());
    }
    loop {
        rest = rest.trim_start();
        let Some(after) = rest.strip_prefix('<') else {
            return Err(format!(
                "expected `<` starting a link value at `{}`",
                clip(rest)
            ));
        };
        let end = after
            .find('>')
            .ok_or_else(|| "a `<` without its closing `>`".to_string())?;
        let target = after[..end].to_string();
        rest = &after[end + 1..];
        let mut rels = Vec::new();
        // Parameters: `; name=value` or `; name="quoted"`.
        loop {
            rest = rest.trim_start();
            if let Some(p) = rest.strip_prefix(';') {
                let p = p.trim_start();
                let eq = p
                    .find('=')
                    .ok_or_else(|| format!("a link parameter without `=` at `{}`", clip(p)))?;
                let name = p[..eq].trim().to_ascii_lowercase();
                if name.is_empty() || name.contains([',', ';', '"', ' ']) {
                    return Err(format!("a bad link parameter name at `{}`", clip(p)));
                }
                let v = p[eq + 1..].trim_start();
                let (value, after_value) = if let Some(q) = v.strip_prefix('"') {
                    let close = q
                        .find('"')
                        .ok_or_else(|| "an unterminated quoted string".to_string())?;
                    (q[..close].to_string(), &q[close + 1..])
                } else {
                    let stop = v.find([',', ';']).unwrap_or(v.len());
                    (v[..stop].trim().to_string(), &v[stop..])
                };
                if name == "rel" {
                    rels.extend(value.split_whitespace().map(|r| r.to_ascii_lowercase()));
                }
                rest = after_value;
            } else {
                break;
            }
        }
        if rels.is_empty() {
            return Err(format!(
                "the link to `{}` has no rel parameter",
                clip(&target)
            ));
        }
        out.push(Link { target, rels });
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(out);
        }
        let Some(next) = rest.strip_prefix(',') else {
            return Err(format!(
                "expected `,` between link values at `{}`",
                clip(rest)
            ));
        };
        if next.trim().is_empty() {
            return Err("a trailing comma: an empty link value at the end".into());
        }
        rest = next;
    }
}

/// The target of the first link with relation `rel`.
pub fn find<'a>(links: &'a [Link], rel: &str) -> Option<&'a str> {
    links
        .iter()
        .find(|l| l.rels.iter().any(|r| r == rel))
        .map(|l| l.target.as_str())
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_header() {
        let l = parse(
            r#"<https://h/x?limit=2&offset=2>; rel="next", <https://h/x?offset=0>; rel="first""#,
        )
        .unwrap();
        assert_eq!(find(&l, "next"), Some("https://h/x?limit=2&offset=2"));
        assert_eq!(find(&l, "first"), Some("https://h/x?offset=0"));
        assert_eq!(find(&l, "last"), None);
        let l = parse("<a>;rel=next;title=\"x;y\"").unwrap();
        assert_eq!(l[0].rels, vec!["next"]);
        let l = parse(r#"<a>; rel="prev first""#).unwrap();
        assert_eq!(l[0].rels, vec!["prev", "first"]);
    }

    #[test]
    fn refuses_malformed_headers() {
        assert!(
            parse(r#"<a>; rel="next","#)
                .unwrap_err()
                .contains("trailing comma")
        );
        assert!(parse(r#"a; rel="next""#).is_err());
        assert!(parse(r#"<a; rel="next""#).is_err());
        assert!(parse(r#"<a>; rel"#).is_err());
        assert!(parse(r#"<a>"#).is_err());
        assert!(parse(r#"<a>; rel="next" <b>; rel="last""#).is_err());
        assert!(parse("").is_err());
    }
}
