//! `junit.xml`: one `<testsuite>` per suite, one `<testcase>` per requirement.
//!
//! | verdict | testcase |
//! |---|---|
//! | pass | empty |
//! | warn | passes; the message in `<system-out>` |
//! | fail | `<failure>`: expected, observed, spec, reproduce in the body |
//! | error | `<error>`, same body |
//! | manual | `<skipped message="manual: …"/>` |
//! | not-applicable / not-assessed | `<skipped message="<verdict>: <reason>"/>` |

use crate::view;
use plugfest_core::{RequirementResult, RunRecord, Verdict};
use std::fmt::Write as _;

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, v: Verdict) {
        self.tests += 1;
        match v {
            Verdict::Fail => self.failures += 1,
            Verdict::Error => self.errors += 1,
            Verdict::Manual | Verdict::NotApplicable | Verdict::NotAssessed => self.skipped += 1,
            Verdict::Warn | Verdict::Pass => {}
        }
    }

    fn attrs(&self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

pub(crate) fn render(record: &RunRecord) -> String {
    let mut total = Counts::default();
    let mut suites = String::new();
    for suite in view::suite_order(record) {
        let mut counts = Counts::default();
        let mut cases = String::new();
        for r in record.results.iter().filter(|r| r.suite == suite) {
            counts.add(r.verdict);
            total.add(r.verdict);
            testcase(&mut cases, r);
        }
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" {} timestamp=\"{}\">",
            attr(&suite),
            counts.attrs(),
            attr(&record.run.started)
        );
        suites.push_str(&cases);
        suites.push_str("  </testsuite>\n");
    }
    let p = &record.product;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{}\" {}>\n{suites}</testsuites>\n",
        attr(&format!(
            "Plugfest: {} {} ({})",
            p.name, p.version, p.vendor
        )),
        total.attrs(),
    )
}

fn testcase(out: &mut String, r: &RequirementResult) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        attr(&r.suite),
        attr(&format!("{} {}", r.id, r.text))
    );
    let skipped = |reason: &str| {
        let reason = if r.message.is_empty() {
            reason.to_string()
        } else {
            format!("{reason}: {}", r.message)
        };
        format!("      <skipped message=\"{}\"/>\n", attr(&reason))
    };
    let inner = match r.verdict {
        Verdict::Pass => String::new(),
        Verdict::Warn => format!(
            "      <system-out>{}</system-out>\n",
            text(&format!(
                "warn ({}): {}\n{}",
                r.level.as_str(),
                r.message,
                details(r)
            ))
        ),
        Verdict::Fail => format!(
            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
            attr(&r.message),
            r.level.as_str(),
            text(&details(r))
        ),
        Verdict::Error => format!(
            "      <error message=\"{}\" type=\"error\">{}</error>\n",
            attr(&r.message),
            text(&details(r))
        ),
        Verdict::Manual => skipped("manual"),
        Verdict::NotApplicable => skipped("not-applicable"),
        Verdict::NotAssessed => skipped("not-assessed"),
    };
    if inner.is_empty() {
        out.push_str("/>\n");
    } else {
        out.push_str(">\n");
        out.push_str(&inner);
        out.push_str("    </testcase>\n");
    }
}

/// The body of a failure, error or warning: what a CI log reader needs to act.
fn details(r: &RequirementResult) -> String {
    let mut s = String::new();
    if let Some(e) = &r.expected {
        let _ = writeln!(s, "expected: {e}");
    }
    if let Some(o) = &r.observed {
        let _ = writeln!(s, "observed: {o}");
    }
    let _ = writeln!(s, "requirement: {} {} ({})", r.id, r.level.as_str(), r.spec);
    if let Some(c) = &r.cert_ref {
        let _ = writeln!(s, "certification test: {c}");
    }
    if !r.reproduce.is_empty() {
        let _ = writeln!(s, "reproduce: {}", r.reproduce);
    }
    s
}

/// Whether XML 1.0 allows the character at all (§2.2 `Char`).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Character data: `&`, `<`, `>` escaped (so `]]>` cannot occur), forbidden characters dropped.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A double-quoted attribute value: as [`text`], plus `"` and the whitespace that attribute
/// normalisation would otherwise turn into spaces.
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_characters_xml_forbids() {
        assert_eq!(
            attr("a<b>&\"c\"\u{0}\u{1b}\u{FFFE}\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#10;"
        );
        assert_eq!(text("]]><x>\u{8}ok\t"), "]]&gt;&lt;x&gt;ok\t");
        assert_eq!(text("😀"), "😀");
    }
}
