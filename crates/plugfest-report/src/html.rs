//! `report.html`: a view model built here, rendered by the tera templates in `reports/templates/`.
//!
//! The templates get plain strings and numbers only — every decision (order, words, links,
//! pretty JSON) is taken here — and tera escapes all of it: `.html` templates autoescape, and no
//! template uses `| safe`.

use crate::view::{self, clean};
use crate::{ReportContext, ReportError};
use plugfest_core::{Evidence, Level, RequirementResult, RunRecord, Verdict};
use serde::Serialize;

/// The templates, by the names they use to refer to each other.
const TEMPLATES: [(&str, &str); 4] = [
    (
        "base.html",
        include_str!("../../../reports/templates/base.html"),
    ),
    (
        "report.html",
        include_str!("../../../reports/templates/report.html"),
    ),
    (
        "partials/requirement.html",
        include_str!("../../../reports/templates/partials/requirement.html"),
    ),
    (
        "partials/evidence.html",
        include_str!("../../../reports/templates/partials/evidence.html"),
    ),
];

pub(crate) fn render(record: &RunRecord, ctx: &ReportContext) -> Result<String, ReportError> {
    let mut tera = tera::Tera::default();
    // All at once: the plural call resolves `extends` after every template is known.
    tera.add_raw_templates(TEMPLATES)
        .map_err(|e| template_error("reports/templates", &e))?;
    tera.autoescape_on(vec![".html"]);
    let page = Page::new(record, ctx);
    let context =
        tera::Context::from_serialize(&page).map_err(|e| template_error("report.html", &e))?;
    tera.render("report.html", &context)
        .map_err(|e| template_error("report.html", &e))
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

#[derive(Serialize)]
struct Page {
    title: String,
    product_name: String,
    product_version: String,
    product_vendor: String,
    started: String,
    finished: String,
    plugfest_version: String,
    plugfest_commit: String,
    record_version: String,
    seed: String,
    evidence_mode: String,
    config_digest: String,
    catalogue_digest: String,
    features_digest: String,
    suites: String,
    custom: bool,
    filtered: bool,
    tags: Option<String>,
    profiles: Vec<ProfileRow>,
    verdict_heads: Vec<VerdictHead>,
    suite_rows: Vec<CountRow>,
    total_row: CountRow,
    notes: Vec<String>,
    attention: Vec<Attention>,
    groups: Vec<Group>,
}

/// One entry of "What matters most": a failure, error or warning in two plain sentences.
#[derive(Serialize)]
struct Attention {
    id: String,
    anchor: String,
    verdict: &'static str,
    verdict_label: &'static str,
    level: &'static str,
    impact: String,
    fix: String,
    spec_label: String,
    spec_url: Option<String>,
}

impl Attention {
    fn new(r: &RequirementResult, ctx: &ReportContext) -> Attention {
        let (spec_label, spec_url) = view::spec_link(ctx, &r.spec);
        Attention {
            id: clean(&r.id),
            anchor: anchor(&r.id),
            verdict: r.verdict.as_str(),
            verdict_label: view::verdict_label(r.verdict),
            level: r.level.as_str(),
            impact: clean(&r.impact),
            fix: clean(&r.fix),
            spec_label: clean(&spec_label),
            spec_url,
        }
    }
}

/// Fail, then error, then warn; MUST before SHOULD before MAY within each; else record order.
fn attention(record: &RunRecord) -> Vec<&RequirementResult> {
    let verdict_rank = |v: Verdict| match v {
        Verdict::Fail => Some(0),
        Verdict::Error => Some(1),
        Verdict::Warn => Some(2),
        _ => None,
    };
    let level_rank = |l: Level| match l {
        Level::Must => 0,
        Level::Should => 1,
        Level::May => 2,
    };
    let mut v: Vec<(u8, u8, &RequirementResult)> = record
        .results
        .iter()
        .filter_map(|r| verdict_rank(r.verdict).map(|k| (k, level_rank(r.level), r)))
        .collect();
    v.sort_by_key(|(k, l, _)| (*k, *l)); // stable
    v.into_iter().map(|(_, _, r)| r).collect()
}

/// The `id` of a requirement's article in the detail section.
fn anchor(id: &str) -> String {
    format!(
        "req-{}",
        id.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            })
            .collect::<String>()
    )
}

#[derive(Serialize)]
struct ProfileRow {
    title: String,
    name: String,
    suite: String,
    verdict: &'static str,
    verdict_text: String,
    assessed: usize,
    catalogued: usize,
    tiers: Vec<&'static str>,
}

#[derive(Serialize)]
struct VerdictHead {
    verdict: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct CountRow {
    title: String,
    key: String,
    counts: Vec<usize>,
    total: usize,
    assessed: usize,
}

#[derive(Serialize)]
struct Group {
    verdict: &'static str,
    label: &'static str,
    meaning: &'static str,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    id: String,
    anchor: String,
    text: String,
    level: &'static str,
    suite: String,
    spec_label: String,
    spec_url: Option<String>,
    verdict: &'static str,
    verdict_label: &'static str,
    tier: &'static str,
    message: String,
    expected: Option<String>,
    observed: Option<String>,
    cert_ref: Option<String>,
    reproduce: String,
    scenarios: Vec<String>,
    evidence: Vec<EvidenceView>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum EvidenceView {
    Exchange {
        label: String,
        method: String,
        url: String,
        status: String,
        duration_ms: u64,
        request_headers: String,
        request_body: Option<String>,
        response_headers: String,
        response_body: Option<String>,
        truncated: bool,
        error: Option<String>,
    },
    Jwt {
        label: String,
        header: String,
        claims: String,
    },
    Finding {
        check: String,
        met: bool,
        message: String,
        expected: Option<String>,
        observed: Option<String>,
        location: Option<String>,
    },
    Note {
        text: String,
    },
}

fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(clean)
}

fn headers(h: &[(String, String)]) -> String {
    h.iter()
        .map(|(k, v)| format!("{}: {}", clean(k), clean(v)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn pretty(v: &serde_json::Value) -> String {
    clean(&serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string()))
}

impl Page {
    fn new(record: &RunRecord, ctx: &ReportContext) -> Page {
        let p = &record.product;
        let suites = view::suite_order(record);
        let count_row = |title: String, key: String, suite: Option<&str>| {
            let counts = record.counts(suite);
            let (assessed, total) = view::coverage(
                record
                    .results
                    .iter()
                    .filter(|r| suite.is_none_or(|s| r.suite == s)),
            );
            CountRow {
                title,
                key,
                counts: Verdict::ALL
                    .iter()
                    .map(|v| counts.get(v).copied().unwrap_or(0))
                    .collect(),
                total,
                assessed,
            }
        };
        let groups = Verdict::ALL
            .iter()
            .map(|&v| Group {
                verdict: v.as_str(),
                label: view::verdict_label(v),
                meaning: view::verdict_meaning(v),
                // Record order is catalogue order, so each group keeps it.
                items: record
                    .results
                    .iter()
                    .filter(|r| r.verdict == v)
                    .map(|r| Item::new(r, ctx))
                    .collect(),
            })
            .filter(|g| !g.items.is_empty())
            .collect();
        Page {
            title: clean(&format!(
                "Conformance assessment — {} {} ({})",
                p.name, p.version, p.vendor
            )),
            product_name: clean(&p.name),
            product_version: clean(&p.version),
            product_vendor: clean(&p.vendor),
            started: clean(&record.run.started),
            finished: clean(&record.run.finished),
            plugfest_version: clean(&record.plugfest.version),
            plugfest_commit: clean(&record.plugfest.commit),
            record_version: clean(&record.record_version),
            seed: clean(&record.run.seed),
            evidence_mode: clean(&record.run.evidence),
            config_digest: clean(&record.run.config_digest),
            catalogue_digest: clean(&record.run.catalogue_digest),
            features_digest: clean(&record.run.features_digest),
            suites: clean(
                &suites
                    .iter()
                    .map(|s| view::suite_title(ctx, s))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            custom: record.run.custom,
            filtered: record.run.filtered,
            tags: opt(&record.run.tags),
            profiles: record
                .profiles
                .iter()
                .map(|pr| ProfileRow {
                    title: clean(&pr.title),
                    name: clean(&pr.name),
                    suite: clean(&view::suite_title(ctx, &pr.suite)),
                    verdict: view::profile_verdict_key(pr.verdict),
                    verdict_text: view::profile_verdict_text(pr),
                    assessed: pr.assessed,
                    catalogued: pr.catalogued,
                    tiers: pr.tiers.iter().map(|t| view::tier_label(*t)).collect(),
                })
                .collect(),
            verdict_heads: Verdict::ALL
                .iter()
                .map(|&v| VerdictHead {
                    verdict: v.as_str(),
                    label: view::verdict_label(v),
                })
                .collect(),
            suite_rows: suites
                .iter()
                .map(|s| count_row(clean(&view::suite_title(ctx, s)), clean(s), Some(s)))
                .collect(),
            total_row: count_row("All suites".into(), String::new(), None),
            notes: record.notes.iter().map(|n| clean(n)).collect(),
            attention: attention(record)
                .into_iter()
                .map(|r| Attention::new(r, ctx))
                .collect(),
            groups,
        }
    }
}

impl Item {
    fn new(r: &RequirementResult, ctx: &ReportContext) -> Item {
        let (spec_label, spec_url) = view::spec_link(ctx, &r.spec);
        Item {
            id: clean(&r.id),
            anchor: anchor(&r.id),
            text: clean(&r.text),
            level: r.level.as_str(),
            suite: clean(&view::suite_title(ctx, &r.suite)),
            spec_label: clean(&spec_label),
            spec_url,
            verdict: r.verdict.as_str(),
            verdict_label: view::verdict_label(r.verdict),
            tier: view::tier_label(r.tier),
            message: clean(&r.message),
            expected: opt(&r.expected),
            observed: opt(&r.observed),
            cert_ref: opt(&r.cert_ref),
            reproduce: clean(&r.reproduce),
            scenarios: r.scenarios.iter().map(|s| clean(s)).collect(),
            evidence: r.evidence.iter().map(EvidenceView::new).collect(),
        }
    }
}

impl EvidenceView {
    fn new(e: &Evidence) -> EvidenceView {
        match e {
            Evidence::Exchange(x) => EvidenceView::Exchange {
                label: clean(&x.label),
                method: clean(&x.method),
                url: clean(&x.url),
                status: x
                    .status
                    .map_or_else(|| "no response".to_string(), |s| s.to_string()),
                duration_ms: x.duration_ms,
                request_headers: headers(&x.request_headers),
                request_body: opt(&x.request_body),
                response_headers: headers(&x.response_headers),
                response_body: opt(&x.response_body),
                truncated: x.truncated,
                error: opt(&x.error),
            },
            Evidence::Jwt {
                label,
                header,
                claims,
            } => EvidenceView::Jwt {
                label: clean(label),
                header: pretty(header),
                claims: pretty(claims),
            },
            Evidence::Finding(f) => EvidenceView::Finding {
                check: clean(&f.check),
                met: f.met,
                message: clean(&f.message),
                expected: opt(&f.expected),
                observed: opt(&f.observed),
                location: opt(&f.location),
            },
            Evidence::Note { text } => EvidenceView::Note { text: clean(text) },
        }
    }
}
