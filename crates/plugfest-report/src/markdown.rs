//! `summary.md`: short enough for a pull-request comment, whatever the record holds.
//!
//! Vendor-derived text goes into code spans (whose delimiter outgrows any backtick run inside)
//! or is backslash-escaped, so it cannot add links, mentions, HTML or table cells.

use crate::ReportContext;
use crate::view::{self, clean, shorten};
use plugfest_core::{RunRecord, Verdict};
use std::fmt::Write as _;

/// Soft cap of the whole summary, below GitHub's 65 536-character comment limit.
pub(crate) const BUDGET: usize = 55_000;
/// Room kept for the "… more not shown" line.
const TAIL_RESERVE: usize = 300;
const MESSAGE_MAX: usize = 240;
const VALUE_MAX: usize = 160;
const FIX_MAX: usize = 400;
const REPRODUCE_MAX: usize = 300;
const NOTES_MAX: usize = 10;

pub(crate) fn render(record: &RunRecord, ctx: &ReportContext) -> String {
    let mut out = String::new();
    let p = &record.product;
    let _ = writeln!(
        out,
        "## Conformance assessment — {} {} ({})\n",
        text(&p.name),
        text(&p.version),
        text(&p.vendor)
    );
    let _ = writeln!(
        out,
        "Plugfest {} ({}) · {} · a conformance assessment, **not** a 1EdTech certification.",
        text(&record.plugfest.version),
        code(&record.plugfest.commit, 40),
        text(&record.run.started)
    );
    if record.run.custom {
        out.push_str(
            "\n**Custom run:** feature files were read from disk instead of the embedded set.\n",
        );
    }
    if record.run.filtered {
        let suites: Vec<String> = record.run.suites.iter().map(|s| code(s, 60)).collect();
        let _ = write!(out, "\n**Filtered run:** suites {}", suites.join(", "));
        if let Some(tags) = &record.run.tags {
            let _ = write!(out, "; tags {}", code(tags, 200));
        }
        out.push_str(".\n");
    }

    for suite in view::suite_order(record) {
        suite_section(&mut out, record, ctx, &suite);
    }

    if !record.notes.is_empty() {
        out.push_str("\n### Notes\n\n");
        for n in record.notes.iter().take(NOTES_MAX) {
            let _ = writeln!(out, "- {}", text(&shorten(n, MESSAGE_MAX)));
        }
        if record.notes.len() > NOTES_MAX {
            let _ = writeln!(
                out,
                "- _…and {} more notes in report.html._",
                record.notes.len() - NOTES_MAX
            );
        }
    }

    let attention: Vec<_> = view::by_verdict(record)
        .into_iter()
        .filter(|r| matches!(r.verdict, Verdict::Error | Verdict::Fail | Verdict::Warn))
        .collect();
    if attention.is_empty() {
        out.push_str("\nNothing failed, warned or errored.\n");
        return out;
    }
    let _ = writeln!(out, "\n### Needs attention ({})\n", attention.len());
    let mut shown = 0;
    for r in &attention {
        let mut item = format!(
            "- **{}** — **{}** ({}) — {}\n",
            code(&r.id, 80),
            r.verdict.as_str(),
            r.level.as_str(),
            text(&shorten(&r.message, MESSAGE_MAX))
        );
        if !r.fix.trim().is_empty() {
            let _ = writeln!(
                item,
                "  - For the vendor: {}",
                text(&shorten(&r.fix, FIX_MAX))
            );
        }
        let mut eo = Vec::new();
        if let Some(e) = &r.expected {
            eo.push(format!("expected {}", code(e, VALUE_MAX)));
        }
        if let Some(o) = &r.observed {
            eo.push(format!("observed {}", code(o, VALUE_MAX)));
        }
        if !eo.is_empty() {
            let _ = writeln!(item, "  - {}", eo.join(" · "));
        }
        if !r.reproduce.is_empty() {
            let _ = writeln!(item, "  - Reproduce: {}", code(&r.reproduce, REPRODUCE_MAX));
        }
        if out.len() + item.len() + TAIL_RESERVE > BUDGET {
            break;
        }
        out.push_str(&item);
        shown += 1;
    }
    if shown < attention.len() {
        let _ = writeln!(
            out,
            "\n_…and {} more not shown to keep this summary short; see report.html or junit.xml._",
            attention.len() - shown
        );
    }
    out
}

fn suite_section(out: &mut String, record: &RunRecord, ctx: &ReportContext, suite: &str) {
    let counts = record.counts(Some(suite));
    let (assessed, total) = view::coverage(record.results.iter().filter(|r| r.suite == suite));
    let title = view::suite_title(ctx, suite);
    if title == suite {
        let _ = writeln!(out, "\n### {}\n", code(suite, 80));
    } else {
        let _ = writeln!(out, "\n### {} ({})\n", text(&title), code(suite, 80));
    }
    let heads: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
    let _ = writeln!(out, "| {} | coverage |", heads.join(" | "));
    let _ = writeln!(out, "|{}---:|", "---:|".repeat(heads.len()));
    let cells: Vec<String> = Verdict::ALL
        .iter()
        .map(|v| counts.get(v).copied().unwrap_or(0).to_string())
        .collect();
    let _ = writeln!(out, "| {} | {assessed} / {total} |", cells.join(" | "));

    let profiles: Vec<_> = record
        .profiles
        .iter()
        .filter(|p| p.suite == suite)
        .collect();
    if !profiles.is_empty() {
        out.push_str("\n| profile | verdict | coverage | observed |\n|---|---|---:|---|\n");
        for p in profiles {
            let tiers: Vec<&str> = p
                .tiers
                .iter()
                .map(|t| view::tier_label(*t).split(" (").next().unwrap_or_default())
                .collect();
            let _ = writeln!(
                out,
                "| {} | **{}** | {} / {} | {} |",
                text(&shorten(&p.title, 120)),
                view::profile_verdict_text(p),
                p.assessed,
                p.catalogued,
                tiers.join(", ")
            );
        }
    }
}

/// Plain text with Markdown and HTML punctuation backslash-escaped, on one line.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '!'
            | '|' | '~' | '@' | '&' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span holding `s` (shortened to `max` characters) literally, even if it holds backticks;
/// pipes are escaped so the span is also safe inside a table cell.
pub(crate) fn code(s: &str, max: usize) -> String {
    let s = shorten(&clean(s), max).replace('|', "\\|");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_outgrow_backticks_inside() {
        assert_eq!(code("a", 10), "`a`");
        assert_eq!(code("a`b", 10), "``a`b``");
        assert_eq!(code("`x", 10), "`` `x ``");
        assert_eq!(code("a|b", 10), "`a\\|b`");
    }

    #[test]
    fn text_cannot_open_links_mentions_or_html() {
        assert_eq!(
            text("[x](javascript:1) <b> @team\nnext"),
            "\\[x\\]\\(javascript\\:1\\) \\<b\\> \\@team next"
        );
    }
}
