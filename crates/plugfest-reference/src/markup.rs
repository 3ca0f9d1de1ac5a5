//! Escaping text for the markup the reference writes: HTML pages (both LTI 1.1 roles) and
//! XML messages (Basic Outcomes POX).

/// `s` as HTML text or a quoted attribute value: the five HTML-special characters escaped.
pub(crate) fn html_escape(s: &str) -> String {
    escape(s, "&#39;", |_| true)
}

/// `s` as XML character data or a quoted attribute value: the five XML-special characters
/// escaped, and the characters XML 1.0 cannot carry at all dropped.
pub(crate) fn xml_escape(s: &str) -> String {
    escape(s, "&apos;", |c| {
        (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r')
    })
}

/// `s` with `&`, `<`, `>`, `"` escaped, `'` written as `apostrophe`, and only the other
/// characters `keep` accepts.
fn escape(s: &str, apostrophe: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apostrophe),
            c if keep(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escape_covers_markup_and_quotes_and_keeps_the_rest() {
        assert_eq!(
            html_escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            html_escape("a&b<c>\"d\"'e'"),
            "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;"
        );
        assert_eq!(html_escape("plain ½\u{1}"), "plain ½\u{1}");
    }

    #[test]
    fn xml_escape_covers_markup_and_quotes_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml_escape("<a b=\"x\">&'</a>"),
            "&lt;a b=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(xml_escape("a\u{0}b\u{1f}c\td\ne\rf ½"), "abc\td\ne\rf ½");
    }
}
