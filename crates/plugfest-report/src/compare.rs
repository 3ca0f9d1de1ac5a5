//! `plugfest compare A.json B.json …`: several runs side by side for a procurement officer —
//! profiles × runs and requirements × runs, with every row whose verdicts differ marked in words
//! (not only colour), as one self-contained HTML page (`reports/templates/compare.html`, the
//! same base and plain language as `report.html`) or as CSV for RFP spreadsheets.
//!
//! Runs made with different catalogues, feature files or filters are flagged at the top: their
//! columns are lined up by requirement ID only after the reader has been told.

use crate::view::{self, clean};
use crate::{ReportContext, ReportError};
use plugfest_core::RunRecord;
use plugfest_core::record::ProfileVerdict;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const TEMPLATES: [(&str, &str); 2] = [
    (
        "base.html",
        include_str!("../../../reports/templates/base.html"),
    ),
    (
        "compare.html",
        include_str!("../../../reports/templates/compare.html"),
    ),
];

/// One run to compare: where it was read from and the record.
#[derive(Debug, Clone)]
pub struct CompareInput {
    /// The file it came from (shown to the reader).
    pub source: String,
    /// The run record.
    pub record: RunRecord,
}

/// One cell of the matrix: a verdict key (CSS class) and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// `fail`, `pass`, `not-conformant`, … or `absent` when the run does not have the row.
    pub key: String,
    /// What the reader sees ("Fail", "Not conformant (2 MUST failures)", "Not in this run").
    pub text: String,
}

/// One row: a requirement or a profile, a cell per run, and whether the cells differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Requirement ID or profile key.
    pub key: String,
    /// Anchor for links within the page.
    pub anchor: String,
    /// The requirement's plain sentence, or the profile's title.
    pub title: String,
    /// MUST / SHOULD / MAY (empty for a profile).
    pub level: String,
    /// Suite it belongs to (its title when known).
    pub suite: String,
    /// One cell per run, in input order.
    pub cells: Vec<Cell>,
    /// Whether the runs disagree on this row (a run without the row counts as disagreeing).
    pub differs: bool,
}

/// One run's column header and facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Column heading: product name and version (with "(run n)" when two runs share it).
    pub label: String,
    /// Vendor.
    pub vendor: String,
    /// When it started.
    pub started: String,
    /// Plugfest version that made it.
    pub plugfest: String,
    /// Suites run.
    pub suites: String,
    /// Filters and custom features, in words ("none" when neither).
    pub filters: String,
    /// Short catalogue digest.
    pub catalogue: String,
    /// The file it came from.
    pub source: String,
}

/// The comparison: columns, warnings, profile rows and requirement rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// One per run, in input order.
    pub columns: Vec<Column>,
    /// Why the runs are not like for like (different catalogues, features, filters…).
    pub flags: Vec<String>,
    /// Profiles × runs.
    pub profiles: Vec<Row>,
    /// Requirements × runs.
    pub requirements: Vec<Row>,
}

fn anchor(prefix: &str, key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}-{safe}")
}

fn differs(cells: &[Cell]) -> bool {
    cells.iter().map(|c| &c.key).collect::<BTreeSet<_>>().len() > 1
}

/// Describe `values` (one per run) as "run 1, 2: X; run 3: Y" when they are not all equal.
fn groups(values: &[String]) -> Option<String> {
    let mut by: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if !by.contains_key(v.as_str()) {
            order.push(v);
        }
        by.entry(v).or_default().push((i + 1).to_string());
    }
    (order.len() > 1).then(|| {
        order
            .iter()
            .map(|v| {
                let runs = &by[v];
                format!(
                    "run{} {}: {}",
                    if runs.len() == 1 { "" } else { "s" },
                    runs.join(", "),
                    v
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

fn filters(r: &RunRecord) -> String {
    let mut parts = Vec::new();
    if r.run.custom {
        parts.push("custom feature files".to_string());
    }
    if r.run.filtered {
        parts.push(match &r.run.tags {
            Some(t) => format!("filtered (tags {t})"),
            None => "filtered (--suite)".to_string(),
        });
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

impl Comparison {
    /// Line the runs up: rows in the order the runs first mention them.
    pub fn new(inputs: &[CompareInput], ctx: &ReportContext) -> Comparison {
        let records: Vec<&RunRecord> = inputs.iter().map(|i| &i.record).collect();
        let base_labels: Vec<String> = records
            .iter()
            .map(|r| format!("{} {}", r.product.name, r.product.version))
            .collect();
        let columns = inputs
            .iter()
            .zip(&base_labels)
            .enumerate()
            .map(|(i, (input, label))| {
                let r = &input.record;
                let shared = base_labels.iter().filter(|l| *l == label).count() > 1;
                Column {
                    label: clean(&if shared {
                        format!("{label} (run {})", i + 1)
                    } else {
                        label.clone()
                    }),
                    vendor: clean(&r.product.vendor),
                    started: clean(&r.run.started),
                    plugfest: clean(&r.plugfest.version),
                    suites: clean(&r.run.suites.join(", ")),
                    filters: clean(&filters(r)),
                    catalogue: clean(&crate::diff::short_digest(&r.run.catalogue_digest)),
                    source: clean(&input.source),
                }
            })
            .collect();

        let mut flags = Vec::new();
        let per_run = |f: &dyn Fn(&RunRecord) -> String| -> Vec<String> {
            records.iter().map(|r| f(r)).collect()
        };
        if let Some(g) = groups(&per_run(&|r| {
            crate::diff::short_digest(&r.run.catalogue_digest)
        })) {
            flags.push(format!(
                "These runs used different catalogues ({g}). The same requirement ID may not mean the same thing in each; compare those columns with care."
            ));
        }
        if let Some(g) = groups(&per_run(&|r| {
            crate::diff::short_digest(&r.run.features_digest)
        })) {
            flags.push(format!(
                "These runs used different feature files ({g}): the checks themselves differ."
            ));
        }
        if let Some(g) = groups(&per_run(&|r| r.run.suites.join(", "))) {
            flags.push(format!("These runs assessed different suites ({g})."));
        }
        if let Some(g) = groups(&per_run(&filters)) {
            flags.push(format!(
                "These runs used different filters ({g}): requirements left out by a filter are not assessed in that run."
            ));
        } else if records.iter().any(|r| r.run.filtered || r.run.custom) {
            flags.push(format!(
                "Every run was {}: not everything was assessed as published.",
                filters(records[0])
            ));
        }
        if let Some(g) = groups(&per_run(&|r| r.plugfest.version.clone())) {
            flags.push(format!(
                "These runs were made by different Plugfest versions ({g})."
            ));
        }
        let flags = flags.iter().map(|f| clean(f)).collect();

        // Profiles, in first-mention order.
        let mut profile_keys: Vec<(&str, &str, &str)> = Vec::new();
        for r in &records {
            for p in &r.profiles {
                if !profile_keys.iter().any(|(k, _, _)| *k == p.name) {
                    profile_keys.push((&p.name, &p.title, &p.suite));
                }
            }
        }
        let profiles = profile_keys
            .iter()
            .map(|(name, title, suite)| {
                let cells: Vec<Cell> = records
                    .iter()
                    .map(|r| match r.profiles.iter().find(|p| p.name == *name) {
                        Some(p) => Cell {
                            key: view::profile_verdict_key(p.verdict).into(),
                            text: format!(
                                "{} — {} / {} assessed",
                                view::profile_verdict_text(p),
                                p.assessed,
                                p.catalogued
                            ),
                        },
                        None => absent(),
                    })
                    .collect();
                Row {
                    key: clean(name),
                    anchor: anchor("profile", name),
                    title: clean(title),
                    level: String::new(),
                    suite: clean(&view::suite_title(ctx, suite)),
                    differs: profile_differs(&records, name),
                    cells,
                }
            })
            .collect();

        let mut req_keys: Vec<&plugfest_core::RequirementResult> = Vec::new();
        for r in &records {
            for x in &r.results {
                if !req_keys.iter().any(|k| k.id == x.id) {
                    req_keys.push(x);
                }
            }
        }
        let requirements = req_keys
            .iter()
            .map(|first| {
                let cells: Vec<Cell> = records
                    .iter()
                    .map(|r| match r.result(&first.id) {
                        Some(x) => Cell {
                            key: x.verdict.as_str().into(),
                            text: view::verdict_label(x.verdict).into(),
                        },
                        None => absent(),
                    })
                    .collect();
                Row {
                    key: clean(&first.id),
                    anchor: anchor("req", &first.id),
                    title: clean(&first.text),
                    level: first.level.as_str().into(),
                    suite: clean(&view::suite_title(ctx, &first.suite)),
                    differs: differs(&cells),
                    cells,
                }
            })
            .collect();
        Comparison {
            columns,
            flags,
            profiles,
            requirements,
        }
    }

    /// The requirement rows whose verdicts differ across the runs.
    pub fn differing_requirements(&self) -> Vec<&Row> {
        self.requirements.iter().filter(|r| r.differs).collect()
    }

    /// The matrix as one self-contained HTML page (inline CSS, no scripts, autoescaped).
    pub fn render_html(&self) -> Result<String, ReportError> {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(TEMPLATES)
            .map_err(|e| template_error("reports/templates", &e))?;
        tera.autoescape_on(vec![".html"]);
        let page = Page {
            title: "Comparison of conformance assessments".into(),
            runs: self.columns.len(),
            differing: self.differing_requirements(),
            profiles_differing: self.profiles.iter().filter(|p| p.differs).count(),
            cmp: self,
        };
        let context =
            tera::Context::from_serialize(&page).map_err(|e| template_error("compare.html", &e))?;
        tera.render("compare.html", &context)
            .map_err(|e| template_error("compare.html", &e))
    }

    /// The matrix as CSV: one row per requirement, one column per run (headed by product name
    /// and version), then whether the row differs. RFC 4180 quoting; cells a spreadsheet would
    /// read as a formula are prefixed with `'`.
    pub fn render_csv(&self) -> String {
        let mut out = String::new();
        let mut head: Vec<String> = ["requirement", "suite", "level", "text"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        head.extend(self.columns.iter().map(|c| c.label.clone()));
        head.push("differs".into());
        push_csv_row(&mut out, &head);
        for r in &self.requirements {
            let mut row = vec![
                r.key.clone(),
                r.suite.clone(),
                r.level.clone(),
                r.title.clone(),
            ];
            row.extend(r.cells.iter().map(|c| c.key.clone()));
            row.push(if r.differs { "differs" } else { "same" }.into());
            push_csv_row(&mut out, &row);
        }
        out
    }
}

fn profile_differs(records: &[&RunRecord], name: &str) -> bool {
    let verdicts: BTreeSet<Option<(u8, usize)>> = records
        .iter()
        .map(|r| {
            r.profiles.iter().find(|p| p.name == name).map(|p| {
                let v = match p.verdict {
                    ProfileVerdict::Conformant => 0,
                    ProfileVerdict::NotConformant => 1,
                    ProfileVerdict::Incomplete => 2,
                };
                (v, p.must_failed)
            })
        })
        .collect();
    verdicts.len() > 1
}

fn absent() -> Cell {
    Cell {
        key: "absent".into(),
        text: "Not in this run".into(),
    }
}

#[derive(Serialize)]
struct Page<'a> {
    title: String,
    runs: usize,
    differing: Vec<&'a Row>,
    profiles_differing: usize,
    cmp: &'a Comparison,
}

fn template_error(template: &str, e: &tera::Error) -> ReportError {
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    ReportError::Template {
        template: template.to_string(),
        detail,
    }
}

/// One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled); a leading
/// `=`, `+`, `-`, `@`, tab or CR gets a `'` so a spreadsheet does not run it as a formula.
pub fn csv_field(s: &str) -> String {
    let mut s = s.to_string();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn push_csv_row(out: &mut String, fields: &[String]) {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::{record, result};
    use plugfest_core::Level::Must;
    use plugfest_core::Verdict::*;
    use plugfest_core::record::ProfileResult;

    fn input(name: &str, rec: RunRecord) -> CompareInput {
        CompareInput {
            source: format!("{name}.json"),
            record: rec,
        }
    }

    fn three() -> Vec<CompareInput> {
        let mut a = record(
            "1",
            vec![result("A-1", Must, Pass), result("A-2", Must, Pass)],
        );
        let mut b = record(
            "1",
            vec![result("A-1", Must, Fail), result("A-2", Must, Pass)],
        );
        let mut c = record(
            "2",
            vec![result("A-1", Must, Pass), result("A-3", Must, Pass)],
        );
        for r in [&mut a, &mut b, &mut c] {
            let members: Vec<_> = r.results.iter().collect();
            let p = ProfileResult::compute("core", "Core — tool", "lti13-tool", &members);
            r.profiles.push(p);
        }
        c.product.name = "Evil <script>alert(1)</script>".into();
        vec![input("a", a), input("b", b), input("c", c)]
    }

    #[test]
    fn rows_that_differ_are_marked_and_absent_rows_count_as_differing() {
        let cmp = Comparison::new(&three(), &ReportContext::default());
        let ids: Vec<&str> = cmp
            .differing_requirements()
            .iter()
            .map(|r| r.key.as_str())
            .collect();
        assert_eq!(ids, ["A-1", "A-2", "A-3"]);
        let cmp2 = Comparison::new(&three()[..1], &ReportContext::default());
        assert!(cmp2.differing_requirements().is_empty());
        assert_eq!(cmp.columns[0].label, "ACME Tool 1 (run 1)");
        assert_eq!(cmp.columns[1].label, "ACME Tool 1 (run 2)");
        assert!(cmp.profiles[0].differs);
        assert!(cmp.flags.is_empty(), "{:?}", cmp.flags);
    }

    #[test]
    fn html_is_self_contained_escaped_and_marks_differences_in_words() {
        let mut inputs = three();
        inputs[2].record.run.catalogue_digest = "sha256:bbbbbbbbbbbbbbbb".into();
        inputs[1].record.run.filtered = true;
        let cmp = Comparison::new(&inputs, &ReportContext::default());
        assert!(cmp.flags.iter().any(|f| f.contains("different catalogues")));
        assert!(cmp.flags.iter().any(|f| f.contains("different filters")));
        let html = cmp.render_html().expect("renders");
        assert!(!html.contains("<script"), "escaped");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("src=\"http"));
        assert!(html.contains("different catalogues"));
        assert_eq!(
            html.matches("class=\"differs\"").count(),
            3 + 1,
            "3 requirements + 1 profile"
        );
        assert!(html.contains("Differs"));
        assert!(html.contains("not 1EdTech certifications"));
    }

    #[test]
    fn csv_has_a_column_per_run_and_quotes_properly() {
        let mut inputs = three();
        inputs[0].record.results[0].text = "says \"hi\", then\nleaves".into();
        let csv = Comparison::new(&inputs, &ReportContext::default()).render_csv();
        let mut lines = csv.split("\r\n");
        assert_eq!(
            lines.next().unwrap(),
            "requirement,suite,level,text,ACME Tool 1 (run 1),ACME Tool 1 (run 2),Evil <script>alert(1)</script> 2,differs"
        );
        assert!(
            csv.contains(
                "A-1,lti13-tool,MUST,\"says \"\"hi\"\", then\nleaves\",pass,fail,pass,differs"
            ),
            "{csv}"
        );
        assert!(
            csv.contains("A-3,lti13-tool,MUST,text of A-3,absent,absent,pass,differs"),
            "{csv}"
        );
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("plain"), "plain");
    }
}
