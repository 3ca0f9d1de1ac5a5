//! `plugfest validate PATH…`: zips, folders and XML files checked offline — XSD through libxml2
//! and the official schema bundle, zip safety and package structure, semantic rules — printed one
//! line per finding (`LOCATION: LEVEL RULE-ID message`) or rendered as a report through
//! `plugfest-report` (JSON run record, JUnit, HTML), where each rule's result carries its findings.

use clap::{Args, ValueEnum};
use plugfest_core::catalogue::{Catalogue, Requirement};
use plugfest_core::record::{Harness, ProfileResult, RECORD_VERSION, RunInfo, RunRecord};
use plugfest_core::{Evidence, Finding as CoreFinding, RequirementResult, Tier, Verdict};
use plugfest_packages::doc::Standard;
use plugfest_packages::validate::{InputReport, NotAssessed, Options, Validator, XsdOutcome};
use plugfest_packages::{SchemaBundle, XsdPool};
use plugfest_steps::FeatureSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The suite the package rules belong to.
pub const SUITE: &str = "packages";

/// The command that installs the schema bundle, printed when it is missing.
const INSTALL_HINT: &str =
    "plugfest schemas install --from DIR (or pass --schemas DIR, or set PLUGFEST_SCHEMAS)";

/// Most findings kept as evidence per rule.
const MAX_FINDINGS_PER_RULE: usize = 50;

/// Output formats of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// One line per finding: `LOCATION: LEVEL RULE-ID message`, then a summary per input.
    Text,
    /// The run record (run.json shape), one result per rule with its findings.
    Json,
    /// JUnit XML, one test case per rule.
    Junit,
    /// The HTML report.
    Html,
}

/// `plugfest validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Zips (.zip, .imscc, .iwb …), folders of unzipped packages, or single XML files.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ValidateFormat,
    /// Write json/junit/html here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The official schema bundle (a folder with catalog.xml). Default: $PLUGFEST_SCHEMAS, else
    /// schemas/ in the user data directory (`plugfest schemas install` puts it there).
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
    /// Without a schema bundle, report the XSD checks as not assessed instead of failing to run.
    #[arg(long)]
    pub allow_incomplete: bool,
}

/// `plugfest validate`: 1 on a MUST finding, else 2 when something could not run, else 0.
pub async fn validate(args: &ValidateArgs) -> u8 {
    let catalogue = match rules_catalogue() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: the embedded rule catalogue: {e}");
            return 2;
        }
    };
    let pool = match SchemaBundle::locate(args.schemas.as_deref()) {
        None => None,
        Some(root) => match SchemaBundle::open(&root) {
            Ok(b) => Some(Arc::new(XsdPool::new(b, XsdPool::default_workers()))),
            Err(e) => {
                eprintln!("error: schema bundle {}: {e}", root.display());
                return 2;
            }
        },
    };
    let validator = Validator::new(pool, Options::default());
    // One task per input, so the versions they need compile on their workers at the same time.
    let tasks: Vec<_> = args
        .paths
        .iter()
        .map(|p| {
            let (validator, path) = (validator.clone(), p.clone());
            tokio::spawn(async move { validator.validate(&path).await })
        })
        .collect();
    let mut reports = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(report) => reports.push(report),
            Err(e) => {
                eprintln!("error: internal: a validation task failed: {e}");
                return 2;
            }
        }
    }
    let record = to_record(&reports, &catalogue, args.allow_incomplete, &args.paths);
    let written = match args.format {
        ValidateFormat::Text => {
            print!("{}", text(&reports, &catalogue, args.allow_incomplete));
            Ok(())
        }
        ValidateFormat::Json => emit(plugfest_report::render_json(&record), args.out.as_deref()),
        ValidateFormat::Junit => emit(plugfest_report::render_junit(&record), args.out.as_deref()),
        ValidateFormat::Html => {
            let ctx = crate::output::report_context(&FeatureSet::embedded());
            emit(
                plugfest_report::render_html(&record, &ctx),
                args.out.as_deref(),
            )
        }
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return 2;
    }
    exit_code(&record, &reports, args.allow_incomplete)
}

fn emit(
    rendered: Result<String, plugfest_report::ReportError>,
    out: Option<&Path>,
) -> Result<(), String> {
    let text = rendered.map_err(|e| e.to_string())?;
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// Every rule of the `packages` suite.
fn rules_catalogue() -> Result<Catalogue, String> {
    let features = FeatureSet::embedded();
    let suites = features.suites().map_err(|e| e.to_string())?;
    features
        .catalogue(&suites, &[SUITE.to_string()])
        .map_err(|e| e.to_string())
}

/// DESIGN §3 on the record, and 2 when an input could not be read or XSD could not run.
fn exit_code(record: &RunRecord, reports: &[InputReport], allow_incomplete: bool) -> u8 {
    let could_not_run = reports
        .iter()
        .any(|r| r.open_error.is_some() || (r.xsd_unavailable && !allow_incomplete));
    match record.exit_code() {
        1 => 1,
        _ if could_not_run => 2,
        code => code as u8,
    }
}

fn level_of(catalogue: &Catalogue, rule: &str) -> &'static str {
    catalogue.get(rule).map_or("?", |r| r.level.as_str())
}

/// The text output: the findings, then one summary line per input.
fn text(reports: &[InputReport], catalogue: &Catalogue, allow_incomplete: bool) -> String {
    let mut out = String::new();
    for r in reports {
        out.push_str(&plugfest_packages::validate::format_text(r, |rule| {
            level_of(catalogue, rule)
        }));
    }
    for r in reports {
        if let Some(e) = &r.open_error {
            out.push_str(&format!("{}: could not be read: {e}\n", r.input));
            continue;
        }
        let standards: Vec<String> = r.standards().iter().map(|s| format!("{s:?}")).collect();
        let must = r
            .findings
            .iter()
            .filter(|f| level_of(catalogue, &f.rule) == "MUST")
            .count();
        out.push_str(&format!(
            "{}: {} document(s) ({}), {} finding(s), {must} at MUST level\n",
            r.input,
            r.documents.len(),
            if standards.is_empty() {
                "no known standard".into()
            } else {
                standards.join(", ")
            },
            r.findings.len()
        ));
        if r.xsd_unavailable {
            let what = if allow_incomplete {
                "not assessed"
            } else {
                "could not run"
            };
            out.push_str(&format!(
                "{}: XSD checks {what}: no schema bundle. Install it with: {INSTALL_HINT}\n",
                r.input
            ));
        }
    }
    out
}

/// Which standards a rule's ID prefix covers; `None` for the package-wide `PKG` rules.
fn standards_of(id: &str) -> Option<&'static [Standard]> {
    use Standard::*;
    let prefix = id.split('-').next().unwrap_or_default();
    Some(match prefix {
        "QTI20" => &[Qti20],
        "QTI21" => &[Qti20, Qti21],
        "QTI22" => &[Qti22],
        "QTI30" => &[Qti30],
        "APIP" => &[Apip],
        "CP" => &[Cp, Qti21, Qti22, Qti30, Apip],
        "CC" => &[Cc10, Cc11, Cc12, Cc13, Cc14, Qti12Cc],
        "CC10" => &[Cc10],
        "CC11" => &[Cc11, Qti12Cc],
        "CC12" => &[Cc12],
        "CC13" => &[Cc13],
        "CC14" => &[Cc14],
        "IWB" => &[Iwb],
        _ => return None,
    })
}

/// The run record of a validation: one result per catalogued rule.
pub fn to_record(
    reports: &[InputReport],
    catalogue: &Catalogue,
    allow_incomplete: bool,
    paths: &[PathBuf],
) -> RunRecord {
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let inputs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let reproduce = format!("plugfest validate {}", inputs.join(" "));
    let results: Vec<RequirementResult> = catalogue
        .requirements
        .iter()
        .filter(|r| r.check == "rule")
        .map(|req| judge(req, reports, allow_incomplete, &reproduce))
        .collect();
    let features = FeatureSet::embedded();
    let mut profiles = Vec::new();
    if let Ok(suites) = features.suites() {
        for (name, p) in suites.profiles.iter().filter(|(_, p)| p.suite == SUITE) {
            let members: Vec<&RequirementResult> = results
                .iter()
                .filter(|r| r.profiles.contains(name))
                .collect();
            profiles.push(ProfileResult::compute(name, &p.title, &p.suite, &members));
        }
    }
    let mut roots: Vec<&PathBuf> = reports
        .iter()
        .filter_map(|r| r.schema_set.as_ref())
        .collect();
    roots.dedup();
    let notes: Vec<String> = roots
        .into_iter()
        .map(|root| plugfest_packages::xsd::manifest::describe_bundle(root))
        .collect();
    RunRecord {
        record_version: RECORD_VERSION.into(),
        plugfest: Harness {
            version: env!("CARGO_PKG_VERSION").into(),
            commit: env!("PLUGFEST_COMMIT").into(),
        },
        product: plugfest_core::config::Product {
            name: inputs.join(", "),
            vendor: "offline package validation".into(),
            version: "-".into(),
        },
        run: RunInfo {
            started: now.clone(),
            finished: now,
            seed: String::new(),
            config_digest: String::new(),
            catalogue_digest: features.digest(|k| k.ends_with(".toml")),
            features_digest: features.digest(|k| k.ends_with(".feature")),
            suites: vec![SUITE.into()],
            tags: None,
            custom: false,
            filtered: false,
            evidence: "masked".into(),
        },
        profiles,
        results,
        notes,
    }
}

/// One rule's result over every input.
fn judge(
    req: &Requirement,
    reports: &[InputReport],
    allow_incomplete: bool,
    reproduce: &str,
) -> RequirementResult {
    let mut r = RequirementResult {
        id: req.id.clone(),
        suite: SUITE.into(),
        level: req.level,
        spec: req.spec.clone(),
        text: req.text.clone(),
        impact: req.impact.clone(),
        fix: req.fix.clone(),
        verdict: Verdict::Pass,
        tier: Tier::Automatic,
        message: String::new(),
        expected: None,
        observed: None,
        evidence: vec![],
        reproduce: reproduce.to_string(),
        cert_ref: req.cert_ref.clone(),
        scenarios: vec![],
        profiles: req.profiles.clone(),
    };
    if let Some(why) = &req.untested {
        r.verdict = Verdict::NotAssessed;
        r.message = format!("not tested yet: {why}");
        return r;
    }
    let findings: Vec<(&InputReport, &plugfest_packages::Finding)> = reports
        .iter()
        .flat_map(|rep| {
            rep.findings
                .iter()
                .filter(|f| f.rule == req.id)
                .map(move |f| (rep, f))
        })
        .collect();
    if let Some((rep, first)) = findings.first() {
        r.verdict = Verdict::for_unmet(req.level);
        r.message = format!(
            "{} finding(s); first at {}: {}",
            findings.len(),
            rep.display_location(&first.location),
            first.message
        );
        for (rep, f) in findings.iter().take(MAX_FINDINGS_PER_RULE) {
            r.evidence.push(Evidence::Finding(
                CoreFinding::not_met(
                    &req.id,
                    f.message.clone(),
                    req.text.clone(),
                    f.message.clone(),
                )
                .at(rep.display_location(&f.location)),
            ));
        }
        return r;
    }
    let applies = |rep: &InputReport| match standards_of(&req.id) {
        None => rep.open_error.is_none(),
        Some(standards) => rep
            .documents
            .iter()
            .any(|d| standards.contains(&d.kind.standard)),
    };
    let applicable: Vec<&InputReport> = reports.iter().filter(|rep| applies(rep)).collect();
    if applicable.is_empty() {
        r.verdict = Verdict::NotApplicable;
        r.message = "no document of this standard in the input".into();
        return r;
    }
    if req.id.contains("-XSD-") {
        return judge_xsd(r, &applicable, allow_incomplete);
    }
    r.message = format!("no finding in {} input(s)", applicable.len());
    r
}

/// An XSD rule without findings: pass only when some document of its standard was validated.
fn judge_xsd(
    mut r: RequirementResult,
    applicable: &[&InputReport],
    allow_incomplete: bool,
) -> RequirementResult {
    let standards = standards_of(&r.id).unwrap_or(&[]);
    let outcomes: Vec<&XsdOutcome> = applicable
        .iter()
        .flat_map(|rep| rep.documents.iter())
        .filter(|d| standards.contains(&d.kind.standard))
        .map(|d| &d.xsd)
        .collect();
    let validated = outcomes
        .iter()
        .filter(|o| matches!(o, XsdOutcome::Valid { .. }))
        .count();
    let unavailable = outcomes.iter().any(|o| {
        matches!(
            o,
            XsdOutcome::NotAssessed {
                reason: NotAssessed::XsdUnavailable,
                ..
            }
        )
    });
    if validated > 0 {
        r.message = format!("{validated} document(s) valid against the official schema");
    } else if unavailable {
        r.verdict = if allow_incomplete {
            Verdict::NotAssessed
        } else {
            Verdict::Error
        };
        r.message = format!("no schema bundle; install it with: {INSTALL_HINT}");
    } else {
        let why: Vec<String> = outcomes
            .iter()
            .filter_map(|o| match o {
                XsdOutcome::NotAssessed { reason, .. } => Some(reason.to_string()),
                _ => None,
            })
            .collect();
        r.verdict = Verdict::NotAssessed;
        r.message = why
            .first()
            .cloned()
            .unwrap_or_else(|| "no document validated".into());
    }
    r
}
