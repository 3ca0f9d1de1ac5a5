//! Reading an LMS's LTI 1.1 launch page: the auto-submitting HTML form that carries the signed
//! launch parameters to the tool.
//!
//! [`parse_launch_form`] is a small hand-written scanner, not an HTML parser: it finds tags
//! (skipping comments and the contents of `<script>` and `<style>`), reads their attributes
//! (double-quoted, single-quoted or unquoted; names case-insensitive) and collects the named
//! `<input>`s and `<textarea>`s of the launch form in document order.

/// The largest page [`parse_launch_form`] reads.
pub const MAX_HTML_BYTES: usize = 2 * 1024 * 1024;

/// The launch form read from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchForm {
    /// The `action` attribute, entity-decoded and resolved against the page's URL (the page's
    /// URL itself when the attribute is absent or empty, as in HTML).
    pub action: String,
    /// The `method` attribute upper-cased; `GET` when absent or empty, as in HTML.
    pub method: String,
    /// The `enctype` attribute as written (entity-decoded), if present.
    pub enctype: Option<String>,
    /// Every `<input>` with a non-empty `name` (of any type) and every named `<textarea>`, in
    /// document order, with entity-decoded values; an input without `value` gives `""`.
    pub params: Vec<(String, String)>,
}

impl LaunchForm {
    /// The value of the first parameter called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no launch form could be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// The page has no `<form>`.
    #[error("no <form> in the page")]
    NoForm,
    /// The page is larger than [`MAX_HTML_BYTES`].
    #[error("page larger than {MAX_HTML_BYTES} bytes")]
    TooLarge,
    /// The form's action (or the page URL) cannot be resolved to an absolute URL.
    #[error("form action cannot be resolved: {0}")]
    BadAction(String),
}

/// Reads the launch form of `html`, a page fetched from `base_url` (an absolute URL).
///
/// The launch form is the first `<form>` containing a field named `oauth_signature` or
/// `lti_message_type`, else the first `<form>`. Forms do not nest (a `<form>` inside an open form
/// is ignored, as in HTML); an unclosed form runs to the end of the page; fields outside any form
/// are ignored.
pub fn parse_launch_form(html: &str, base_url: &str) -> Result<LaunchForm, FormError> {
    if html.len() > MAX_HTML_BYTES {
        return Err(FormError::TooLarge);
    }
    let forms = scan_forms(html);
    let form = forms
        .iter()
        .find(|f| {
            f.params
                .iter()
                .any(|(n, _)| n == "oauth_signature" || n == "lti_message_type")
        })
        .or_else(|| forms.first())
        .ok_or(FormError::NoForm)?;

    let base = url::Url::parse(base_url)
        .map_err(|e| FormError::BadAction(format!("page URL {base_url:?}: {e}")))?;
    let action = form.attr("action").map(str::trim).unwrap_or("");
    let resolved = base
        .join(action)
        .map_err(|e| FormError::BadAction(format!("{action:?}: {e}")))?;
    let method = match form.attr("method").map(str::trim) {
        Some(m) if !m.is_empty() => m.to_ascii_uppercase(),
        _ => "GET".to_string(),
    };
    Ok(LaunchForm {
        action: resolved.to_string(),
        method,
        enctype: form.attr("enctype").map(str::to_string),
        params: form.params.clone(),
    })
}

/// A form as scanned: its attributes (names lower-cased, values decoded) and fields.
struct RawForm {
    attrs: Vec<(String, String)>,
    params: Vec<(String, String)>,
}

impl RawForm {
    fn attr(&self, name: &str) -> Option<&str> {
        attr(&self.attrs, name)
    }
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Scans the page for forms and their fields. Byte offsets only ever land on ASCII characters,
/// so every slice is on a character boundary.
fn scan_forms(html: &str) -> Vec<RawForm> {
    let lower = html.to_ascii_lowercase();
    let bytes = html.as_bytes();
    let mut forms: Vec<RawForm> = Vec::new();
    let mut open = false;
    let mut pos = 0;
    while let Some(off) = html[pos..].find('<') {
        let lt = pos + off;
        let rest = &lower[lt..];
        if rest.starts_with("<!--") {
            pos = match lower[lt + 4..].find("-->") {
                Some(end) => lt + 4 + end + 3,
                None => break,
            };
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            pos = match html[lt..].find('>') {
                Some(end) => lt + end + 1,
                None => break,
            };
            continue;
        }
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            pos = lt + 1;
            continue;
        }
        let Some(tag) = read_tag(html, &lower, name_start) else {
            break;
        };
        pos = tag.end;
        match (closing, tag.name.as_str()) {
            (true, "form") => open = false,
            (true, _) => {}
            (false, "form") if !open => {
                forms.push(RawForm {
                    attrs: tag.attrs,
                    params: Vec::new(),
                });
                open = true;
            }
            (false, "input") => {
                if let (true, Some(form)) = (open, forms.last_mut())
                    && let Some(name) = attr(&tag.attrs, "name").filter(|n| !n.is_empty())
                {
                    let value = attr(&tag.attrs, "value").unwrap_or("");
                    form.params.push((name.to_string(), value.to_string()));
                }
            }
            (false, raw @ ("script" | "style" | "textarea")) => {
                let close = format!("</{raw}");
                let end = lower[pos..].find(&close).map_or(html.len(), |e| pos + e);
                if raw == "textarea"
                    && let (true, Some(form)) = (open, forms.last_mut())
                    && let Some(name) = attr(&tag.attrs, "name").filter(|n| !n.is_empty())
                {
                    let content = &html[pos..end];
                    // HTML drops one newline right after the start tag.
                    let content = content
                        .strip_prefix("\r\n")
                        .or_else(|| content.strip_prefix('\n'))
                        .unwrap_or(content);
                    form.params
                        .push((name.to_string(), decode_entities(content)));
                }
                pos = end;
            }
            _ => {}
        }
    }
    forms
}

struct Tag {
    /// Lower-cased tag name.
    name: String,
    /// Attributes in order, names lower-cased, values entity-decoded; the first of a repeated
    /// name wins in lookups, as in HTML.
    attrs: Vec<(String, String)>,
    /// Offset just after the closing `>`.
    end: usize,
}

/// Reads a tag whose name starts at `start`; `None` when the page ends inside it.
fn read_tag(html: &str, lower: &str, start: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let is_space = |b: u8| b.is_ascii_whitespace();
    let mut i = start;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
        i += 1;
    }
    let name = lower[start..i].to_string();
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                return Some(Tag {
                    name,
                    attrs,
                    end: i + 1,
                });
            }
            _ => {
                let name_start = i;
                // An attribute name may start with any character, even `=`.
                i += html[i..].chars().next().map_or(1, char::len_utf8);
                while i < bytes.len()
                    && !is_space(bytes[i])
                    && !matches!(bytes[i], b'=' | b'>' | b'/')
                {
                    i += 1;
                }
                let attr_name = lower[name_start..i].to_string();
                let mut j = i;
                while j < bytes.len() && is_space(bytes[j]) {
                    j += 1;
                }
                let mut value = String::new();
                if bytes.get(j) == Some(&b'=') {
                    j += 1;
                    while j < bytes.len() && is_space(bytes[j]) {
                        j += 1;
                    }
                    match bytes.get(j) {
                        Some(&q @ (b'"' | b'\'')) => {
                            let end = j + 1 + html[j + 1..].find(char::from(q))?;
                            value = decode_entities(&html[j + 1..end]);
                            j = end + 1;
                        }
                        _ => {
                            let v_start = j;
                            while j < bytes.len() && !is_space(bytes[j]) && bytes[j] != b'>' {
                                j += 1;
                            }
                            value = decode_entities(&html[v_start..j]);
                        }
                    }
                    i = j;
                }
                attrs.push((attr_name, value));
            }
        }
    }
}

/// Decodes `&amp; &lt; &gt; &quot; &apos; &#NNN; &#xHH;` (and `&nbsp;`); anything else,
/// including a malformed or out-of-range reference, is kept as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Longest reference looked at: `&#x10FFFF;` / `&#1114111;` plus leading zeros.
        let window = rest.char_indices().take(33).find(|&(_, c)| c == ';');
        let decoded = window.and_then(|(semi, _)| {
            let body = &rest[1..semi];
            let c = match body {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let num = body.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex)
                            if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) =>
                        {
                            u32::from_str_radix(hex, 16).ok()?
                        }
                        Some(_) => return None,
                        None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                            num.parse::<u32>().ok()?
                        }
                        None => return None,
                    };
                    match code {
                        0 => '\u{fffd}',
                        c => char::from_u32(c).unwrap_or('\u{fffd}'),
                    }
                }
            };
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://lms.example.edu/mod/lti/launch.php?id=7";

    #[test]
    fn reads_a_typical_launch_page() {
        let html = r#"<!DOCTYPE html><html><head><title>Launch</title>
<script>if (a < b) { document.write("<form action='/evil'><input name=x value=y></form>"); }</script>
</head><body onload="document.ltiLaunchForm.submit()">
<!-- <form action="/commented"><input name="oauth_signature" value="no"></form> -->
<FORM Action="https://tool.example.com/lti?a=1&amp;b=2" METHOD="post" encType="application/x-www-form-urlencoded" name="ltiLaunchForm">
<input type="hidden" name="lti_message_type" value="basic-lti-launch-request" />
<input type='hidden' name='resource_link_title' value='Week 1 &quot;Intro&quot; &amp; &lt;more&gt; &#39;x&#39; &apos;y&apos;'>
<input type=hidden name=oauth_nonce value=abc123>
<INPUT TYPE=HIDDEN NAME="Custom_Upper" VALUE = "Mixed Case">
<input type="hidden" name="custom_empty">
<input type="hidden" name="context_title" value="Caf&#233; &#xE9;t&#XE9; &#x1F600; &bogus; & &#xZZ;">
<textarea name="lis_person_name_full">
Ada &amp; Lovelace</textarea>
<input type="submit" value="Press to continue">
<input type="submit" name="launch" value="Go">
<input type="hidden" name="oauth_signature" value="a+b/c=">
</form>
<input type="hidden" name="outside" value="ignored">
</body></html>"#;
        let form = parse_launch_form(html, BASE).unwrap();
        assert_eq!(form.action, "https://tool.example.com/lti?a=1&b=2");
        assert_eq!(form.method, "POST");
        assert_eq!(
            form.enctype.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        let expected: Vec<(String, String)> = [
            ("lti_message_type", "basic-lti-launch-request"),
            ("resource_link_title", "Week 1 \"Intro\" & <more> 'x' 'y'"),
            ("oauth_nonce", "abc123"),
            ("Custom_Upper", "Mixed Case"),
            ("custom_empty", ""),
            ("context_title", "Café été 😀 &bogus; & &#xZZ;"),
            ("lis_person_name_full", "Ada & Lovelace"),
            ("launch", "Go"),
            ("oauth_signature", "a+b/c="),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        assert_eq!(form.params, expected);
        assert_eq!(form.get("oauth_nonce"), Some("abc123"));
    }

    #[test]
    fn picks_the_launch_form_among_several() {
        let html = r#"<form action="/search" method="get"><input name="q" value="1"></form>
<form action="../tool/launch" method="post"><input type="hidden" name="oauth_signature" value="sig"></form>
<form action="/other" method="post"><input name="lti_message_type" value="x"></form>"#;
        let form = parse_launch_form(html, BASE).unwrap();
        assert_eq!(form.action, "https://lms.example.edu/mod/tool/launch");
        assert_eq!(form.method, "POST");
        assert_eq!(form.enctype, None);
        assert_eq!(form.params, vec![("oauth_signature".into(), "sig".into())]);
    }

    #[test]
    fn falls_back_to_the_first_form() {
        let html = r#"<form><input name="a" value=1><form action="/nested"><input name=b></form>
<form action="/second"><input name="c"></form>"#;
        let form = parse_launch_form(html, BASE).unwrap();
        assert_eq!(form.action, BASE);
        assert_eq!(form.method, "GET");
        assert_eq!(
            form.params,
            vec![("a".into(), "1".into()), ("b".into(), "".into())]
        );
    }

    #[test]
    fn relative_and_bad_actions() {
        let form = parse_launch_form("<form action='launch?x=1'>", BASE).unwrap();
        assert_eq!(form.action, "https://lms.example.edu/mod/lti/launch?x=1");
        let form = parse_launch_form("<form action=//tool.example/p>", BASE).unwrap();
        assert_eq!(form.action, "https://tool.example/p");
        assert!(matches!(
            parse_launch_form("<form action='http://[::1'>", BASE),
            Err(FormError::BadAction(_))
        ));
        assert!(matches!(
            parse_launch_form("<form action='/x'>", "not a url"),
            Err(FormError::BadAction(_))
        ));
    }

    #[test]
    fn no_form_and_too_large() {
        assert_eq!(
            parse_launch_form("<html><input name=a></html>", BASE),
            Err(FormError::NoForm)
        );
        assert_eq!(parse_launch_form("", BASE), Err(FormError::NoForm));
        let big = "x".repeat(MAX_HTML_BYTES + 1);
        assert_eq!(parse_launch_form(&big, BASE), Err(FormError::TooLarge));
    }

    #[test]
    fn garbage_does_not_panic() {
        for html in [
            "<",
            "<form",
            "<form action=\"unterminated",
            "<form><input name='x",
            "<form><input name=é value=ü>",
            "<form><textarea name=t>no end",
            "<form><script>",
            "<!--",
            "<!doctype",
            "<form a=b=c ==d / / >< <1 </ </form",
            "<form><input name=\"a\" value=\"&#99999999999999999999; &#x110000; &#0; &\">",
            "&#x; <form>日本語<input 名前=値 name=n value=&amp></form>",
        ] {
            let _ = parse_launch_form(html, BASE);
        }
        let form = parse_launch_form(
            "<form><input name=\"a\" value=\"&#99999999999999999999; &#x110000; &#0;\">",
            BASE,
        )
        .unwrap();
        assert_eq!(
            form.params[0].1,
            "&#99999999999999999999; \u{fffd} \u{fffd}"
        );
    }
}
