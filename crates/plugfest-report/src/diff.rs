//! `plugfest diff OLD.json NEW.json`: what changed between two runs of one product, requirement
//! by requirement, as Markdown for a pull-request comment (or plain text) and as an exit code.
//!
//! "Worse" follows DESIGN §4's order (`error` < `fail` < `warn` < `manual` < `pass` <
//! `not-applicable` < `not-assessed`) among the *assessed* verdicts: a move toward `error` is a
//! regression. Two exceptions, both deliberate:
//!
//! - `not-assessed` is not a verdict on the product: `not-assessed` → anything is **new
//!   coverage** and anything → `not-assessed` is **lost coverage** (flagged, not a regression);
//! - `pass` ↔ `not-applicable` both satisfy the requirement (a profile stays *Conformant* either
//!   way), so a product that starts offering an optional feature and passes it is not punished:
//!   it is listed as "changed" and is neither a regression nor an improvement.
//!
//! Runs made with different catalogues, feature files, filters or of different products are
//! lined up by requirement ID only after a warning at the top says so.

use crate::markdown::{code, text};
use crate::view::{clean, shorten};
use plugfest_core::{Level, RunRecord, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// At most this many rows per section, so the comment fits in a pull request.
const ROWS_MAX: usize = 200;
const MESSAGE_MAX: usize = 160;

/// How one requirement's verdict moved between the two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// The verdict got worse (toward `error`): fails the diff.
    Regression,
    /// The verdict got better (toward `pass`).
    Improvement,
    /// It was `not-assessed` and now has a verdict.
    NewCoverage,
    /// It had a verdict and is now `not-assessed`.
    LostCoverage,
    /// `pass` ↔ `not-applicable`: still satisfied, but different.
    Changed,
}

/// One requirement whose verdict differs between the runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Requirement ID.
    pub id: String,
    /// MUST / SHOULD / MAY (of the new run).
    pub level: Level,
    /// The old run's verdict.
    pub old: Verdict,
    /// The new run's verdict.
    pub new: Verdict,
    /// What kind of move it is.
    pub kind: ChangeKind,
    /// The new run's headline for it.
    pub message: String,
}

/// A requirement present in only one of the runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneSided {
    /// Requirement ID.
    pub id: String,
    /// Its verdict in the run that has it.
    pub verdict: Verdict,
}

/// Everything that differs between two run records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDiff {
    /// "ACME Tool 1.2 (ACME)" of the old run.
    pub old_label: String,
    /// "ACME Tool 1.3 (ACME)" of the new run.
    pub new_label: String,
    /// When the old run started.
    pub old_started: String,
    /// When the new run started.
    pub new_started: String,
    /// Warnings that the runs are not like for like (catalogue, features, filters, product).
    pub flags: Vec<String>,
    /// Requirements in both runs whose verdict differs, in the new run's order.
    pub changes: Vec<Change>,
    /// Requirements only in the new run.
    pub added: Vec<OneSided>,
    /// Requirements only in the old run.
    pub removed: Vec<OneSided>,
    /// Requirements in both runs with the same verdict.
    pub unchanged: usize,
}

/// Classify a move from `old` to `new` (`None` when the verdict is the same).
pub fn classify(old: Verdict, new: Verdict) -> Option<ChangeKind> {
    use Verdict::{NotApplicable, NotAssessed, Pass};
    if old == new {
        return None;
    }
    Some(match (old, new) {
        (NotAssessed, _) => ChangeKind::NewCoverage,
        (_, NotAssessed) => ChangeKind::LostCoverage,
        (Pass, NotApplicable) | (NotApplicable, Pass) => ChangeKind::Changed,
        // The derived order is worst first.
        _ if new < old => ChangeKind::Regression,
        _ => ChangeKind::Improvement,
    })
}

/// Warnings that two (or more) runs are not like for like; empty when they are.
pub(crate) fn like_for_like_flags(
    a: &RunRecord,
    b: &RunRecord,
    names: (&str, &str),
) -> Vec<String> {
    let (na, nb) = names;
    let mut flags = Vec::new();
    if a.run.catalogue_digest != b.run.catalogue_digest {
        flags.push(format!(
            "Different catalogues (catalogue digest {} in {na}, {} in {nb}): the same requirement ID may not mean the same thing.",
            short_digest(&a.run.catalogue_digest),
            short_digest(&b.run.catalogue_digest)
        ));
    }
    if a.run.features_digest != b.run.features_digest {
        flags.push(format!(
            "Different feature files (features digest {} in {na}, {} in {nb}): the checks themselves differ.",
            short_digest(&a.run.features_digest),
            short_digest(&b.run.features_digest)
        ));
    }
    if a.run.suites != b.run.suites {
        flags.push(format!(
            "Different suites: {} in {na}, {} in {nb}.",
            list(&a.run.suites),
            list(&b.run.suites)
        ));
    }
    if a.run.tags != b.run.tags {
        flags.push(format!(
            "Different tag filters: {} in {na}, {} in {nb}.",
            a.run.tags.as_deref().unwrap_or("none"),
            b.run.tags.as_deref().unwrap_or("none")
        ));
    }
    for (r, n) in [(a, na), (b, nb)] {
        if r.run.custom {
            flags.push(format!(
                "{n} is a custom run: its feature files were read from disk."
            ));
        }
    }
    if a.run.filtered != b.run.filtered {
        let which = if a.run.filtered { na } else { nb };
        flags.push(format!(
            "Only {which} is filtered (--suite or --tags): it did not assess everything the other did."
        ));
    }
    flags
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// The first 12 hex digits of a digest (or the whole value when shorter).
pub(crate) fn short_digest(d: &str) -> String {
    let d = d.strip_prefix("sha256:").unwrap_or(d);
    d.chars().take(12).collect()
}

/// "name version (vendor)".
pub(crate) fn product_label(r: &RunRecord) -> String {
    let p = &r.product;
    format!("{} {} ({})", p.name, p.version, p.vendor)
}

impl RunDiff {
    /// Compare `old` with `new`, requirement by requirement (matched by ID).
    pub fn new(old: &RunRecord, new: &RunRecord) -> RunDiff {
        let mut flags = like_for_like_flags(old, new, ("the old run", "the new run"));
        if (old.product.name.as_str(), old.product.vendor.as_str())
            != (new.product.name.as_str(), new.product.vendor.as_str())
        {
            flags.insert(
                0,
                format!(
                    "Different products: {} and {}. `diff` compares two runs of one product.",
                    product_label(old),
                    product_label(new)
                ),
            );
        }
        let old_by_id: BTreeMap<&str, Verdict> = old
            .results
            .iter()
            .map(|r| (r.id.as_str(), r.verdict))
            .collect();
        let mut changes = Vec::new();
        let mut added = Vec::new();
        let mut unchanged = 0;
        for r in &new.results {
            match old_by_id.get(r.id.as_str()) {
                None => added.push(OneSided {
                    id: r.id.clone(),
                    verdict: r.verdict,
                }),
                Some(&was) => match classify(was, r.verdict) {
                    None => unchanged += 1,
                    Some(kind) => changes.push(Change {
                        id: r.id.clone(),
                        level: r.level,
                        old: was,
                        new: r.verdict,
                        kind,
                        message: r.message.clone(),
                    }),
                },
            }
        }
        let removed = old
            .results
            .iter()
            .filter(|r| new.result(&r.id).is_none())
            .map(|r| OneSided {
                id: r.id.clone(),
                verdict: r.verdict,
            })
            .collect();
        RunDiff {
            old_label: product_label(old),
            new_label: product_label(new),
            old_started: old.run.started.clone(),
            new_started: new.run.started.clone(),
            flags,
            changes,
            added,
            removed,
            unchanged,
        }
    }

    /// The changes of one kind, in the new run's order.
    pub fn of(&self, kind: ChangeKind) -> Vec<&Change> {
        self.changes.iter().filter(|c| c.kind == kind).collect()
    }

    /// Whether any requirement's verdict got worse.
    pub fn has_regression(&self) -> bool {
        self.changes
            .iter()
            .any(|c| c.kind == ChangeKind::Regression)
    }

    /// 1 when a requirement's verdict got worse, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.has_regression())
    }

    fn headline(&self) -> String {
        let n = |k| self.of(k).len();
        let regressions = n(ChangeKind::Regression);
        format!(
            "{} regression{}, {} improved, {} new coverage, {} lost coverage, {} changed between pass and not-applicable, {} added, {} removed, {} unchanged.",
            regressions,
            if regressions == 1 { "" } else { "s" },
            n(ChangeKind::Improvement),
            n(ChangeKind::NewCoverage),
            n(ChangeKind::LostCoverage),
            n(ChangeKind::Changed),
            self.added.len(),
            self.removed.len(),
            self.unchanged
        )
    }

    /// Markdown fit for a pull-request comment; vendor text is escaped or in code spans.
    pub fn render_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "## Plugfest diff — {} → {}\n",
            text(&self.old_label),
            text(&self.new_label)
        );
        let _ = writeln!(
            out,
            "Old run {} · new run {} · a conformance assessment, **not** a 1EdTech certification.\n",
            text(&self.old_started),
            text(&self.new_started)
        );
        for f in &self.flags {
            let _ = writeln!(out, "> **Warning:** {}", text(f));
        }
        if !self.flags.is_empty() {
            out.push_str(
                "> Requirements are matched by ID anyway; read the changes below with that in mind.\n\n",
            );
        }
        let verdict_line = if self.has_regression() {
            "**Result: regression** — a requirement's verdict got worse."
        } else {
            "**Result: no regression.**"
        };
        let _ = writeln!(out, "{verdict_line} {}", self.headline());
        let sections = [
            (ChangeKind::Regression, "Regressions (verdict got worse)"),
            (ChangeKind::Improvement, "Newly passing or improved"),
            (ChangeKind::NewCoverage, "New coverage (was not assessed)"),
            (
                ChangeKind::LostCoverage,
                "Lost coverage (now not assessed) — check why",
            ),
            (
                ChangeKind::Changed,
                "Changed between pass and not-applicable",
            ),
        ];
        for (kind, title) in sections {
            let rows = self.of(kind);
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})\n", rows.len());
            out.push_str("| requirement | level | was | now | message |\n|---|---|---|---|---|\n");
            for c in rows.iter().take(ROWS_MAX) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | **{}** | {} |",
                    code(&c.id, 80),
                    c.level.as_str(),
                    c.old.as_str(),
                    c.new.as_str(),
                    text(&shorten(&c.message, MESSAGE_MAX))
                );
            }
            more(&mut out, rows.len());
        }
        for (title, rows) in [
            ("Requirements only in the new run", &self.added),
            ("Requirements only in the old run", &self.removed),
        ] {
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})\n", rows.len());
            for r in rows.iter().take(ROWS_MAX) {
                let _ = writeln!(out, "- {} — {}", code(&r.id, 80), r.verdict.as_str());
            }
            more(&mut out, rows.len());
        }
        if self.changes.is_empty() && self.added.is_empty() && self.removed.is_empty() {
            out.push_str("\nNo requirement changed its verdict.\n");
        }
        out
    }

    /// Plain text for a terminal: one line per changed requirement.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Plugfest diff: {} ({}) -> {} ({})",
            clean(&self.old_label),
            clean(&self.old_started),
            clean(&self.new_label),
            clean(&self.new_started)
        );
        for f in &self.flags {
            let _ = writeln!(out, "WARNING: {}", clean(f));
        }
        let _ = writeln!(
            out,
            "{}: {}",
            if self.has_regression() {
                "REGRESSION"
            } else {
                "no regression"
            },
            self.headline()
        );
        let word = |k: ChangeKind| match k {
            ChangeKind::Regression => "worse",
            ChangeKind::Improvement => "better",
            ChangeKind::NewCoverage => "new coverage",
            ChangeKind::LostCoverage => "lost coverage",
            ChangeKind::Changed => "changed",
        };
        let mut sorted: Vec<&Change> = self.changes.iter().collect();
        sorted.sort_by_key(|c| c.kind); // stable: new run's order within a kind
        for c in sorted {
            let _ = writeln!(
                out,
                "  {:<13} {} ({}): {} -> {}  {}",
                word(c.kind),
                clean(&c.id),
                c.level.as_str(),
                c.old,
                c.new,
                shorten(&clean(&c.message), MESSAGE_MAX)
            );
        }
        for r in &self.added {
            let _ = writeln!(out, "  {:<13} {}: {}", "added", clean(&r.id), r.verdict);
        }
        for r in &self.removed {
            let _ = writeln!(out, "  {:<13} {}: {}", "removed", clean(&r.id), r.verdict);
        }
        out
    }
}

fn more(out: &mut String, len: usize) {
    if len > ROWS_MAX {
        let _ = writeln!(out, "\n_…and {} more not shown._", len - ROWS_MAX);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use plugfest_core::record::{Harness, RunInfo};
    use plugfest_core::{RequirementResult, Tier};

    pub(crate) fn result(id: &str, level: Level, verdict: Verdict) -> RequirementResult {
        RequirementResult {
            id: id.into(),
            suite: "lti13-tool".into(),
            level,
            spec: "d#1".into(),
            text: format!("text of {id}"),
            impact: format!("impact of {id}"),
            fix: format!("fix of {id}"),
            verdict,
            tier: Tier::Automatic,
            message: format!("message of {id}"),
            expected: None,
            observed: None,
            evidence: vec![],
            reproduce: String::new(),
            cert_ref: None,
            scenarios: vec![],
            profiles: vec![],
        }
    }

    pub(crate) fn record(version: &str, results: Vec<RequirementResult>) -> RunRecord {
        RunRecord {
            record_version: "1.0".into(),
            plugfest: Harness {
                version: "0.1.0".into(),
                commit: "abc".into(),
            },
            product: plugfest_core::config::Product {
                name: "ACME Tool".into(),
                vendor: "ACME".into(),
                version: version.into(),
            },
            run: RunInfo {
                started: "2025-01-01T00:00:00Z".into(),
                finished: "2025-01-01T00:01:00Z".into(),
                seed: "00".into(),
                config_digest: "sha256:c".into(),
                catalogue_digest: "sha256:aaaa".into(),
                features_digest: "sha256:ffff".into(),
                suites: vec!["lti13-tool".into()],
                tags: None,
                custom: false,
                filtered: false,
                evidence: "masked".into(),
            },
            profiles: vec![],
            results,
            notes: vec![],
        }
    }

    #[test]
    fn classification_follows_design_order_with_coverage_and_satisfied_exceptions() {
        use Verdict::*;
        assert_eq!(classify(Pass, Pass), None);
        assert_eq!(classify(Pass, Fail), Some(ChangeKind::Regression));
        assert_eq!(classify(Warn, Error), Some(ChangeKind::Regression));
        assert_eq!(classify(Pass, Manual), Some(ChangeKind::Regression));
        assert_eq!(classify(NotApplicable, Warn), Some(ChangeKind::Regression));
        assert_eq!(classify(Fail, Warn), Some(ChangeKind::Improvement));
        assert_eq!(classify(Error, Pass), Some(ChangeKind::Improvement));
        assert_eq!(classify(NotAssessed, Fail), Some(ChangeKind::NewCoverage));
        assert_eq!(classify(Fail, NotAssessed), Some(ChangeKind::LostCoverage));
        assert_eq!(classify(Pass, NotApplicable), Some(ChangeKind::Changed));
        assert_eq!(classify(NotApplicable, Pass), Some(ChangeKind::Changed));
    }

    #[test]
    fn diff_lists_every_kind_and_exits_one_only_on_regression() {
        use Level::Must;
        use Verdict::*;
        let old = record(
            "1.2",
            vec![
                result("A-1", Must, Pass),
                result("A-2", Must, Fail),
                result("A-3", Must, NotAssessed),
                result("A-4", Must, Pass),
                result("A-5", Must, Pass),
                result("A-9", Must, Pass),
            ],
        );
        let new = record(
            "1.3",
            vec![
                result("A-1", Must, Fail),
                result("A-2", Must, Pass),
                result("A-3", Must, Pass),
                result("A-4", Must, NotAssessed),
                result("A-5", Must, Pass),
                result("A-7", Must, Warn),
            ],
        );
        let d = RunDiff::new(&old, &new);
        assert!(d.flags.is_empty(), "{:?}", d.flags);
        assert_eq!(d.of(ChangeKind::Regression)[0].id, "A-1");
        assert_eq!(d.of(ChangeKind::Improvement)[0].id, "A-2");
        assert_eq!(d.of(ChangeKind::NewCoverage)[0].id, "A-3");
        assert_eq!(d.of(ChangeKind::LostCoverage)[0].id, "A-4");
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.added[0].id, "A-7");
        assert_eq!(d.removed[0].id, "A-9");
        assert_eq!(d.exit_code(), 1);
        let md = d.render_markdown();
        assert!(md.contains("Regressions (verdict got worse) (1)"), "{md}");
        assert!(md.contains("| `A-1` | MUST | pass | **fail** |"), "{md}");
        assert!(md.contains("Lost coverage"), "{md}");
        assert!(md.contains("Requirements only in the old run (1)"), "{md}");
        assert!(d.render_text().contains("worse"));
        // The reverse (A-2 pass → fail) is a regression too; a run against itself is not.
        assert_eq!(RunDiff::new(&new, &old).exit_code(), 1);
        let back = RunDiff::new(&new, &new);
        assert_eq!(back.exit_code(), 0);
        assert!(back.render_markdown().contains("No requirement changed"));
    }

    #[test]
    fn different_catalogues_filters_and_products_are_flagged() {
        let old = record("1", vec![]);
        let mut new = record("1", vec![]);
        new.run.catalogue_digest = "sha256:bbbb".into();
        new.run.filtered = true;
        new.run.tags = Some("@must".into());
        new.product.name = "Other <b>".into();
        let d = RunDiff::new(&old, &new);
        let all = d.flags.join("\n");
        assert!(all.contains("Different products"), "{all}");
        assert!(all.contains("Different catalogues"), "{all}");
        assert!(all.contains("Different tag filters"), "{all}");
        assert!(all.contains("Only the new run is filtered"), "{all}");
        let md = d.render_markdown();
        assert!(md.contains("> **Warning:** Different catalogues"), "{md}");
        assert!(!md.contains("<b>"), "vendor text is escaped: {md}");
    }
}
