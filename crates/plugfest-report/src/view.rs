//! What every output shares: suite order, requirement order, spec links, coverage, words for
//! verdicts and tiers, and the cleaning of control characters.

use crate::ReportContext;
use plugfest_core::record::{ProfileResult, ProfileVerdict};
use plugfest_core::{RequirementResult, RunRecord, Tier, Verdict};

/// Suites in the order the run names them, then any suite only the results mention.
pub(crate) fn suite_order(record: &RunRecord) -> Vec<String> {
    let mut suites = record.run.suites.clone();
    for r in &record.results {
        if !suites.contains(&r.suite) {
            suites.push(r.suite.clone());
        }
    }
    suites
}

/// Results worst verdict first; within a verdict, catalogue (record) order.
pub(crate) fn by_verdict(record: &RunRecord) -> Vec<&RequirementResult> {
    let mut v: Vec<&RequirementResult> = record.results.iter().collect();
    v.sort_by_key(|r| r.verdict); // stable
    v
}

/// The suite's title, or its key.
pub(crate) fn suite_title(ctx: &ReportContext, suite: &str) -> String {
    ctx.suite_titles
        .get(suite)
        .cloned()
        .unwrap_or_else(|| suite.to_string())
}

/// A spec reference `<doc>#<section>` as "<title> §<section>" and the document's URL; the raw
/// reference and no URL when the document is unknown. Only http(s) URLs are returned.
pub(crate) fn spec_link(ctx: &ReportContext, spec: &str) -> (String, Option<String>) {
    let (doc, section) = match spec.split_once('#') {
        Some((d, s)) => (d, Some(s)),
        None => (spec, None),
    };
    match ctx.spec_titles.get(doc) {
        Some((title, url)) => {
            let label = match section {
                Some(s) if !s.is_empty() => format!("{title} §{s}"),
                _ => title.clone(),
            };
            let url =
                (url.starts_with("https://") || url.starts_with("http://")).then(|| url.clone());
            (label, url)
        }
        None => (spec.to_string(), None),
    }
}

/// (assessed, catalogued) of some results: assessed is everything but `not-assessed`.
pub(crate) fn coverage<'a>(results: impl Iterator<Item = &'a RequirementResult>) -> (usize, usize) {
    results.fold((0, 0), |(a, c), r| {
        (a + usize::from(r.verdict != Verdict::NotAssessed), c + 1)
    })
}

/// "Conformant", "Not conformant (2 MUST failures)" or "Incomplete".
pub(crate) fn profile_verdict_text(p: &ProfileResult) -> String {
    match p.verdict {
        ProfileVerdict::NotConformant => format!(
            "{} ({} MUST failure{})",
            p.verdict.title(),
            p.must_failed,
            if p.must_failed == 1 { "" } else { "s" }
        ),
        v => v.title().to_string(),
    }
}

/// CSS-class-like key of a profile verdict.
pub(crate) fn profile_verdict_key(v: ProfileVerdict) -> &'static str {
    match v {
        ProfileVerdict::Conformant => "conformant",
        ProfileVerdict::NotConformant => "not-conformant",
        ProfileVerdict::Incomplete => "incomplete",
    }
}

/// The word a reader sees for a verdict.
pub(crate) fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Error => "Error",
        Verdict::Fail => "Fail",
        Verdict::Warn => "Warn",
        Verdict::Manual => "Manual",
        Verdict::Pass => "Pass",
        Verdict::NotApplicable => "Not applicable",
        Verdict::NotAssessed => "Not assessed",
    }
}

/// One sentence on what a verdict means (DESIGN §4).
pub(crate) fn verdict_meaning(v: Verdict) -> &'static str {
    match v {
        Verdict::Error => {
            "The harness could not decide (timeout, unreachable product, missing step)."
        }
        Verdict::Fail => "A MUST requirement is violated.",
        Verdict::Warn => {
            "A SHOULD requirement is violated, or an interoperability risk known among certified products."
        }
        Verdict::Manual => "A person must judge; the message says what to look at.",
        Verdict::Pass => "The requirement is met.",
        Verdict::NotApplicable => "The product does not offer this optional feature.",
        Verdict::NotAssessed => {
            "Catalogued but not checked in this run (untested, filtered out, or an input is missing)."
        }
    }
}

/// How a result was observed, in words.
pub(crate) fn tier_label(t: Tier) -> &'static str {
    match t {
        Tier::Automatic => "automatic (Plugfest alone)",
        Tier::VendorHook => "vendor hook (through a trigger the vendor exposes)",
        Tier::Browser => "browser (a headless browser drove the product's UI)",
        Tier::Attested => "attested (a person confirmed it)",
    }
}

/// Control characters other than tab, LF and CR replaced by U+FFFD, so a reader sees that
/// something was there (HTML and Markdown).
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// At most `max` characters of `s` on one line, with `…` when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let one_line = one_line.trim();
    if one_line.chars().count() <= max {
        one_line.to_string()
    } else {
        let mut out: String = one_line.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_reference_uses_title_and_section_or_falls_back_to_the_key() {
        let mut ctx = ReportContext::default();
        ctx.spec_titles.insert(
            "lti-sec-1.0".into(),
            (
                "1EdTech Security Framework 1.0".into(),
                "https://example.org/sec".into(),
            ),
        );
        ctx.spec_titles
            .insert("evil".into(), ("Evil".into(), "javascript:alert(1)".into()));
        assert_eq!(
            spec_link(&ctx, "lti-sec-1.0#5.1.3"),
            (
                "1EdTech Security Framework 1.0 §5.1.3".into(),
                Some("https://example.org/sec".into())
            )
        );
        assert_eq!(spec_link(&ctx, "unknown#1"), ("unknown#1".into(), None));
        assert_eq!(spec_link(&ctx, "evil#1").1, None);
    }

    #[test]
    fn shorten_cuts_on_characters_and_flattens_lines() {
        assert_eq!(shorten("a\nb", 10), "a b");
        assert_eq!(shorten("ééééé", 3), "éé…");
    }

    #[test]
    fn clean_replaces_control_characters_but_keeps_line_breaks() {
        assert_eq!(clean("a\u{0}b\tc\n\u{1b}"), "a\u{FFFD}b\tc\n\u{FFFD}");
    }
}
