//! The validator over the shared third-party corpus (`$PLUGFEST_SHARED/corpus`, default
//! `../shared/corpus` next to the workspace) with the shared schema bundle
//! (`$PLUGFEST_SHARED/schemas/xsd`), asserting what the corpus's provenance labels say
//! (`corpus/PROVENANCE.md`). Without the corpus or the bundle the test prints `SKIPPED: …` and
//! returns; under `CI=true` it fails.
//!
//! **Inputs.** The QTI, APIP and CC folders (`apip/`, `cc/`, `qti21/`, `qti22/`, `qti30/`) are
//! walked; OneRoster (`oneroster-*`) is not a package standard and is left out. Every input is
//! what a user would hand to `plugfest validate`:
//! - a folder holding `imsmanifest.xml` is one package (an unzipped cartridge or QTI package),
//!   and none of its XML files is an input of its own;
//! - every `.zip` / `.imscc` is one package, also when it sits inside such a folder (1EdTech
//!   publishes each packaging example both unzipped and zipped: both are checked);
//! - every other `.xml` file is one loose input, except an item or section that a loose test
//!   (or section) in the corpus references: the validator reads those with the test that
//!   references them (their findings belong to that test's input), so each is checked once per
//!   referencing test rather than once more on its own. Other files (images, CSS, DTDs, READMEs,
//!   `.DS_Store`) are not inputs; a package reads them as its files.
//!
//! **Labels.** An input is *labelled broken* when PROVENANCE.md (or the upstream project it
//! cites) says so: a `BROKEN-*` folder, QTIWorks' `NOT_SCHEMA_VALID` / `NOT_FULLY_VALID`
//! features in `StompSampleSet.java`, qti-sdk's `*invalid*` / `*missing*` branch-rule tests and
//! its wrong- or missing-namespace empty tests, TAO's APIP items without APIP content
//! ([`label`]). A labelled-broken input must draw at least one finding, and, where the label
//! says what is wrong, one of the rule family it names. Every other input — the 1EdTech / IMS
//! examples and every sample not labelled broken — must pass XSD and draw no MUST finding.
//!
//! **Disagreements** are listed in `tests/corpus-expectations.toml`:
//! - `[[expect]]`: a finding on an input not labelled broken that is right (the sample really has
//!   the defect) — `input` (or `inputs = [...]`: corpus-relative inputs as above, one reason for
//!   all), `rule` (the requirement ID), `contains` (an exact substring of the message), `file`
//!   (optional: the file inside the input, when the message does not show it) and `reason` (the
//!   defect and where that is established). An entry explains every finding of its rule on its
//!   inputs whose message contains the text; each input it names must still draw one.
//! - `[[undetected]]`: a labelled-broken input where Plugfest does not find what the label says,
//!   with the reason; it must stay undetected.
//!
//! The test fails on a MUST or XSD finding of an unlabelled input that no entry explains, on a
//! labelled-broken input without the finding its label calls for and no `[[undetected]]`, on an
//! entry that no longer happens (so the list cannot go stale), on an input that cannot be opened,
//! an internal error or a schema that does not compile. It prints each problem with the exact
//! finding text, ready to paste. SHOULD findings on unlabelled inputs are counted, not failures
//! (mostly files beside a folder's manifest that 1EdTech keeps there: the folder's own zip,
//! `.DS_Store`); entries may list them. `PLUGFEST_CORPUS_DUMP=1` prints every finding.
//!
//! One [`XsdPool`] with one worker per core serves the whole run and every input is validated
//! at once, so the schema versions (QTI 2.2.0–2.2.4 and 3.0 take ~10 s each to compile) compile
//! in parallel; the rest is small.

use plugfest_core::{Catalogue, SpecIndex};
use plugfest_packages::validate::{InputReport, NotAssessed, Options, Validator, XsdOutcome};
use plugfest_packages::{Finding, SchemaBundle, XsdPool};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The package catalogues whose levels say which findings are MUST.
const CATALOGUES: [&str; 5] = ["packages", "qti", "apip", "cc", "iwb"];
/// The corpus folders of package standards.
const STANDARDS: [&str; 5] = ["apip", "cc", "qti21", "qti22", "qti30"];
/// The expectations file, relative to the crate.
const EXPECTATIONS: &str = "tests/corpus-expectations.toml";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared() -> PathBuf {
    std::env::var_os("PLUGFEST_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../../../shared"))
}

/// `what` is missing: a failure under `CI=true`, else a loud skip.
fn missing(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what}; CI=true requires it"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}; set PLUGFEST_SHARED");
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// One input of the corpus.
#[derive(Debug, Clone)]
struct Unit {
    /// Corpus-relative path, forward slashes.
    rel: String,
    /// The path handed to the validator.
    path: PathBuf,
}

fn rel_of(corpus: &Path, path: &Path) -> String {
    path.strip_prefix(corpus)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip") || e.eq_ignore_ascii_case("imscc"))
}

fn is_xml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    entries
}

/// Packages (folders with a manifest, zips) and loose XML files under `dir`.
fn walk(dir: &Path, packages: &mut Vec<PathBuf>, loose: &mut Vec<PathBuf>) {
    let in_package = dir.join("imsmanifest.xml").is_file();
    if in_package {
        packages.push(dir.to_path_buf());
    }
    for entry in sorted_entries(dir) {
        let meta = std::fs::symlink_metadata(&entry).expect("metadata");
        if meta.is_dir() {
            if in_package {
                zips_under(&entry, packages);
            } else {
                walk(&entry, packages, loose);
            }
        } else if meta.is_file() && is_zip(&entry) {
            packages.push(entry);
        } else if meta.is_file() && !in_package && is_xml(&entry) {
            loose.push(entry);
        }
    }
}

fn zips_under(dir: &Path, packages: &mut Vec<PathBuf>) {
    for entry in sorted_entries(dir) {
        if entry.is_dir() {
            zips_under(&entry, packages);
        } else if is_zip(&entry) {
            packages.push(entry);
        }
    }
}

/// The files a loose test or section references (items and sections, resolved beside it).
fn referenced(path: &Path) -> Vec<PathBuf> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let Ok(text) = plugfest_packages::validate::decode(&bytes) else {
        return Vec::new();
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(&text, options) else {
        return Vec::new();
    };
    let root = doc.root_element().tag_name().name();
    if !matches!(
        root,
        "assessmentTest" | "assessmentSection" | "qti-assessment-test" | "qti-assessment-section"
    ) {
        return Vec::new();
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    doc.descendants()
        .filter(|n| {
            matches!(
                n.tag_name().name(),
                "assessmentItemRef"
                    | "assessmentSectionRef"
                    | "qti-assessment-item-ref"
                    | "qti-assessment-section-ref"
            )
        })
        .filter_map(|n| n.attribute("href"))
        .filter(|h| !h.contains(':') && !h.starts_with('/'))
        .map(|h| normalise(&dir.join(h)))
        .collect()
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every input of the corpus, sorted by path.
fn discover(corpus: &Path) -> Vec<Unit> {
    let (mut packages, mut loose) = (Vec::new(), Vec::new());
    for standard in STANDARDS {
        let dir = corpus.join(standard);
        assert!(dir.is_dir(), "{} is missing", dir.display());
        walk(&dir, &mut packages, &mut loose);
    }
    let covered: BTreeSet<PathBuf> = loose.iter().flat_map(|p| referenced(p)).collect();
    let mut units: Vec<Unit> = packages
        .into_iter()
        .chain(loose.into_iter().filter(|p| !covered.contains(p)))
        .map(|path| Unit {
            rel: rel_of(corpus, &path),
            path,
        })
        .collect();
    units.sort_by(|a, b| a.rel.cmp(&b.rel));
    units
}

// ---------------------------------------------------------------------------------------------
// Labels

/// What PROVENANCE.md (or the upstream project it cites) says about an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// Labelled broken; `family`, when the label says what is wrong: a fragment of the rule ID
    /// one of its findings must carry. `source`: where the label comes from.
    Broken {
        family: Option<&'static str>,
        source: &'static str,
    },
    /// A 1EdTech / IMS example or a sample not labelled broken.
    Good,
}

const QTISDK_INVALID: &str = "qti-sdk test/samples/invalid (PROVENANCE: BROKEN-qtisdk-invalid)";
const QTISDK_PAPER: &str =
    "qti-sdk test/samples/custom/paper_vs_xsd: content the QTI 2.1 information model forbids";
const STOMP_SCHEMA: &str =
    "QTIWorks StompSampleSet.java: Feature.NOT_SCHEMA_VALID (PROVENANCE: qti21/qtiworks-stomp)";
const STOMP_FULLY: &str =
    "QTIWorks StompSampleSet.java: Feature.NOT_FULLY_VALID (PROVENANCE: qti21/qtiworks-stomp)";
const BRANCH: &str =
    "qti-sdk branch_rules: *invalid*/*missing* are semantically broken (PROVENANCE)";
const EMPTY_TESTS: &str =
    "qti-sdk empty_tests: wrong/missing namespace = broken (PROVENANCE: qtisdk-ims-tests)";
const TAO_APIP: &str =
    "TAO APIP fixtures: the empty_apip files lack APIP content (PROVENANCE: apip/tao-apip-items)";

/// The label of the input at corpus path `rel`.
fn label(rel: &str) -> Label {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let broken = |family, source| Label::Broken { family, source };
    if rel.starts_with("qti21/BROKEN-qtisdk-invalid/") {
        let family = match file {
            "empty.xml" | "malformed.xml" => Some("PKG-XML-001"),
            "xsdinvalid.xml" => Some("-XSD-"),
            "noversion.xml" => Some("PKG-DETECT-001"),
            "invalidresponseidentifier.xml" => Some("-ITEM-001"),
            _ => None,
        };
        return broken(family, QTISDK_INVALID);
    }
    if rel.starts_with("qti21/BROKEN-qtisdk-paper_vs_xsd/") {
        // feedbackBlock, rubricBlock, templateBlock: block content only (CONTENT-002); prompt:
        // inlineStatic only, which no rule checks yet (an [[undetected]] entry says so).
        let family = if file.starts_with("prompt_") {
            "-CONTENT-"
        } else {
            "-CONTENT-002"
        };
        return broken(Some(family), QTISDK_PAPER);
    }
    if rel.split('/').any(|s| s.starts_with("BROKEN-")) {
        return broken(None, "a BROKEN-* folder (PROVENANCE)");
    }
    if let Some(name) = rel.strip_prefix("qti21/qtiworks-stomp/") {
        if matches!(
            name,
            "a_mcq_dkG2.xml" | "adap3_3pSM.xml" | "binary_2GS.xml" | "nel1_1pg.xml"
        ) {
            return broken(Some("-XSD-"), STOMP_SCHEMA);
        }
        if matches!(name, "baseG.xml" | "hot_accel_2G.xml") {
            return broken(None, STOMP_FULLY);
        }
    }
    if rel.starts_with("qti21/qtisdk-branch_rules/")
        && (file.contains("invalid") || file.contains("missing"))
    {
        return broken(Some("-TEST-003"), BRANCH);
    }
    if matches!(
        rel,
        "qti21/qtisdk-ims-tests/empty_tests/empty_test_missing_namespace.xml"
            | "qti21/qtisdk-ims-tests/empty_tests/empty_test_wrong_namespace.xml"
    ) {
        return broken(Some("PKG-DETECT-001"), EMPTY_TESTS);
    }
    if rel.starts_with("apip/tao-apip-items/") && file.contains("empty_apip") {
        return broken(Some("APIP-"), TAO_APIP);
    }
    Label::Good
}

// ---------------------------------------------------------------------------------------------
// Expectations

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectationFile {
    #[serde(default)]
    expect: Vec<Expect>,
    #[serde(default)]
    undetected: Vec<Undetected>,
}

/// One `[[expect]]`: on each of its inputs, the findings of `rule` whose message contains
/// `contains` (and, with `file`, that point into that file of the input).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    inputs: Vec<String>,
    rule: String,
    contains: String,
    #[serde(default)]
    file: Option<String>,
    reason: String,
}

/// One `[[undetected]]`: labelled-broken inputs on which Plugfest does not find what the label
/// says (no finding at all, or none of the family the label names).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Undetected {
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    inputs: Vec<String>,
    reason: String,
}

fn names<'a>(one: &'a Option<String>, many: &'a [String]) -> Vec<&'a str> {
    one.iter().chain(many).map(String::as_str).collect()
}

impl Expect {
    fn inputs(&self) -> Vec<&str> {
        names(&self.input, &self.inputs)
    }

    fn matches(&self, f: &Finding) -> bool {
        f.rule == self.rule
            && one_line(&f.message).contains(&self.contains)
            && self
                .file
                .as_ref()
                .is_none_or(|file| f.location.path.as_ref() == Some(file))
    }

    fn describe(&self) -> String {
        let file = self
            .file
            .as_ref()
            .map(|f| format!(" in `{f}`"))
            .unwrap_or_default();
        format!(
            "{} containing {}{file}",
            self.rule,
            toml_str(&self.contains)
        )
    }
}

impl Undetected {
    fn inputs(&self) -> Vec<&str> {
        names(&self.input, &self.inputs)
    }
}

fn expectations() -> ExpectationFile {
    let path = crate_dir().join(EXPECTATIONS);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{EXPECTATIONS}: {e}"));
    let file: ExpectationFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{EXPECTATIONS}: {e}"));
    let reasoned = |reason: &str| reason.trim().len() >= 20;
    for (i, e) in file.expect.iter().enumerate() {
        let n = i + 1;
        assert!(
            !e.inputs().is_empty(),
            "{EXPECTATIONS}: [[expect]] {n} names no input"
        );
        assert!(
            !e.rule.trim().is_empty() && !e.contains.trim().is_empty(),
            "{EXPECTATIONS}: [[expect]] {n} ({:?}) needs a rule and a non-empty `contains`",
            e.inputs()
        );
        assert!(
            reasoned(&e.reason),
            "{EXPECTATIONS}: [[expect]] {n} ({:?}, {}) needs a reason: the defect and its source",
            e.inputs(),
            e.rule
        );
    }
    for (i, u) in file.undetected.iter().enumerate() {
        assert!(
            !u.inputs().is_empty() && reasoned(&u.reason),
            "{EXPECTATIONS}: [[undetected]] {} needs inputs and a reason",
            i + 1
        );
    }
    file
}

// ---------------------------------------------------------------------------------------------
// Levels

/// Rule ID → level, from the package catalogues.
fn levels() -> BTreeMap<String, String> {
    let ws = crate_dir().join("../..");
    let specs_text = std::fs::read_to_string(ws.join("features/specs.toml")).expect("specs.toml");
    let specs = SpecIndex::parse("features/specs.toml", &specs_text).expect("specs.toml parses");
    let mut out = BTreeMap::new();
    for standard in CATALOGUES {
        let file = format!("features/{standard}/catalogue.toml");
        let Ok(text) = std::fs::read_to_string(ws.join(&file)) else {
            continue;
        };
        let cat: Catalogue =
            Catalogue::parse(&file, &text, &specs).unwrap_or_else(|e| panic!("{e}"));
        for r in cat.requirements {
            out.insert(r.id.clone(), r.level.as_str().to_string());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The test

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Where a finding points, corpus-relative.
fn place(corpus: &Path, report: &InputReport, f: &Finding) -> String {
    let shown = report.display_location(&f.location);
    let prefix = format!("{}/", corpus.display());
    shown.strip_prefix(&prefix).unwrap_or(&shown).to_string()
}

/// Unexplained findings, keyed by (input, rule, message), with where each occurs.
type Unexplained<'a> = BTreeMap<(&'a str, &'a str, String), Vec<String>>;

/// A paste-ready `[[expect]]` per distinct unexplained finding, its places as comments.
fn paste_ready(unexplained: &Unexplained<'_>) -> String {
    let mut out = Vec::new();
    for ((rel, rule, message), places) in unexplained {
        let at: Vec<String> = places.iter().map(|p| format!("# at {p}\n")).collect();
        out.push(format!(
            "[[expect]]\ninput = {}\nrule = {}\ncontains = {}\nreason = \"TODO: the defect in the sample, and where that is established\"\n{}",
            toml_str(rel),
            toml_str(rule),
            toml_str(message),
            at.concat()
        ));
    }
    out.join("\n")
}

/// How one labelled-broken input fared: `None` when the label is confirmed, else why not.
fn unconfirmed(report: &InputReport, family: Option<&str>) -> Option<String> {
    if report.findings.is_empty() {
        return Some("drew no finding".into());
    }
    let family = family?;
    if report.findings.iter().any(|f| f.rule.contains(family)) {
        return None;
    }
    Some(format!(
        "drew no finding of `{family}` (only {:?})",
        report.rules_broken()
    ))
}

#[test]
fn corpus_outcomes_match_their_labels_and_the_expectations() {
    let started = Instant::now();
    let corpus = shared().join("corpus");
    if !corpus.join("PROVENANCE.md").is_file() {
        missing(&format!(
            "shared corpus not found at {} (no PROVENANCE.md)",
            corpus.display()
        ));
        return;
    }
    let bundle_root = shared().join("schemas/xsd");
    let bundle = match SchemaBundle::open(&bundle_root) {
        Ok(b) => b,
        Err(e) => {
            missing(&format!(
                "shared schema bundle not found at {} ({e})",
                bundle_root.display()
            ));
            return;
        }
    };
    let corpus = corpus.canonicalize().expect("corpus path");
    let levels = levels();
    // A rule no catalogue knows counts as MUST: better loud than silent.
    let is_must = |rule: &str| levels.get(rule).is_none_or(|l| l == "MUST");
    let ExpectationFile { expect, undetected } = expectations();
    let units = discover(&corpus);
    assert!(
        units.len() >= 100,
        "only {} corpus inputs found",
        units.len()
    );

    // One pool for everything; every input at once, so the versions compile in parallel.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let validator = Validator::new(
        Some(Arc::new(XsdPool::new(bundle, cores))),
        Options::default(),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build()
        .expect("runtime");
    let reports: Vec<InputReport> = rt.block_on(async {
        let tasks: Vec<_> = units
            .iter()
            .map(|u| {
                let (v, p) = (validator.clone(), u.path.clone());
                tokio::spawn(async move { v.validate(&p).await })
            })
            .collect();
        let mut out = Vec::with_capacity(tasks.len());
        for t in tasks {
            out.push(t.await.expect("validation task"));
        }
        out
    });
    let validated = started.elapsed();

    let known: BTreeMap<&str, Label> = units
        .iter()
        .map(|u| (u.rel.as_str(), label(&u.rel)))
        .collect();
    let mut problems: Vec<String> = Vec::new();
    let mut unexplained: Unexplained<'_> = BTreeMap::new();
    let mut unconfirmed_labels: Vec<String> = Vec::new();
    // Per entry: the inputs it explained something on, and how many findings.
    let mut used = vec![BTreeSet::<&str>::new(); expect.len()];
    let mut explained_count = vec![0usize; expect.len()];
    let mut undetected_used = vec![BTreeSet::<&str>::new(); undetected.len()];
    let mut should_left: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut documents, mut findings, mut broken) = (0, 0, 0);
    for (unit, report) in units.iter().zip(&reports) {
        let rel = unit.rel.as_str();
        documents += report.documents.len();
        findings += report.findings.len();
        if let Some(e) = &report.open_error {
            problems.push(format!("{rel}: could not be opened: {e}"));
            continue;
        }
        for e in &report.internal_errors {
            problems.push(format!("{rel}: internal error: {e}"));
        }
        for d in &report.documents {
            if let XsdOutcome::NotAssessed {
                schema,
                reason:
                    reason @ (NotAssessed::SchemaDoesNotCompile(_) | NotAssessed::Unavailable(_)),
            } = &d.xsd
            {
                problems.push(format!(
                    "{rel}!/{}: XSD not assessed ({}): {reason}",
                    d.path,
                    schema.as_deref().unwrap_or("no schema")
                ));
            }
        }
        let mut explained = vec![false; report.findings.len()];
        for (i, e) in expect.iter().enumerate() {
            if !e.inputs().contains(&rel) {
                continue;
            }
            for (j, f) in report.findings.iter().enumerate() {
                if e.matches(f) {
                    explained[j] = true;
                    explained_count[i] += 1;
                    used[i].insert(rel);
                }
            }
        }
        match known[rel] {
            Label::Broken { family, source } => {
                broken += 1;
                let listed: Vec<usize> = (0..undetected.len())
                    .filter(|&i| undetected[i].inputs().contains(&rel))
                    .collect();
                match unconfirmed(report, family) {
                    Some(why) if listed.is_empty() => {
                        let got: Vec<String> = report
                            .findings
                            .iter()
                            .map(|f| format!("# got: {} {}", f.rule, one_line(&f.message)))
                            .collect();
                        unconfirmed_labels.push(format!(
                            "[[undetected]]\ninput = {}\nreason = \"TODO: labelled broken ({source}) but {why}: why Plugfest cannot or need not see it\"\n{}",
                            toml_str(rel),
                            got.join("\n")
                        ));
                    }
                    Some(_) => {
                        for i in listed {
                            undetected_used[i].insert(rel);
                        }
                    }
                    None => {}
                }
            }
            Label::Good => {
                for (j, f) in report.findings.iter().enumerate() {
                    if explained[j] {
                        continue;
                    }
                    if is_must(&f.rule) || f.rule.contains("-XSD") {
                        unexplained
                            .entry((rel, f.rule.as_str(), one_line(&f.message)))
                            .or_default()
                            .push(place(&corpus, report, f));
                    } else {
                        *should_left.entry(f.rule.as_str()).or_default() += 1;
                    }
                }
                // An XSD-invalid document always carries its XSD finding (else: a validator bug).
                for d in &report.documents {
                    let invalid = matches!(d.xsd, XsdOutcome::Invalid { .. });
                    if invalid
                        && !report.findings.iter().any(|f| {
                            f.rule.contains("-XSD") && f.location.path.as_deref() == Some(&d.path)
                        })
                    {
                        problems.push(format!(
                            "{rel}!/{}: XSD-invalid without an XSD finding",
                            d.path
                        ));
                    }
                }
            }
        }
    }

    // Entries that no longer happen, name inputs the walk does not produce, or name
    // labelled-broken inputs (which need no `[[expect]]`).
    let mut stale: Vec<String> = Vec::new();
    let report_of: BTreeMap<&str, &InputReport> =
        units.iter().map(|u| u.rel.as_str()).zip(&reports).collect();
    for (i, e) in expect.iter().enumerate() {
        for input in e.inputs() {
            let what = format!("[[expect]] {} ({})", i + 1, e.describe());
            match known.get(input) {
                None => stale.push(format!("{what}: `{input}` is not a corpus input")),
                Some(Label::Broken { .. }) => stale.push(format!(
                    "{what}: `{input}` is labelled broken; its findings need no entry"
                )),
                Some(Label::Good) if !used[i].contains(input) => {
                    let now: Vec<String> = report_of[input]
                        .findings
                        .iter()
                        .filter(|f| f.rule == e.rule)
                        .map(|f| format!("\n      now: {}", toml_str(&one_line(&f.message))))
                        .collect();
                    stale.push(format!(
                        "{what}: no longer happens on `{input}`{}",
                        now.concat()
                    ));
                }
                Some(Label::Good) => {}
            }
        }
    }
    for (i, u) in undetected.iter().enumerate() {
        for input in u.inputs() {
            let what = format!("[[undetected]] {}", i + 1);
            match known.get(input) {
                None => stale.push(format!("{what}: `{input}` is not a corpus input")),
                Some(Label::Good) => {
                    stale.push(format!("{what}: `{input}` is not labelled broken"))
                }
                Some(Label::Broken { .. }) if !undetected_used[i].contains(input) => stale.push(
                    format!("{what}: Plugfest now confirms the label of `{input}`: remove it"),
                ),
                Some(Label::Broken { .. }) => {}
            }
        }
    }

    eprintln!(
        "corpus: {} inputs ({broken} labelled broken), {documents} documents, {findings} findings; \
         {} [[expect]] entries explaining {} findings, {} [[undetected]]; validated in {:.1?}, total {:.1?}",
        units.len(),
        expect.len(),
        explained_count.iter().sum::<usize>(),
        undetected.len(),
        validated,
        started.elapsed()
    );
    for (i, e) in expect.iter().enumerate() {
        eprintln!(
            "  [[expect]] {:>2}: {:<22} {:>3} finding(s) on {:>2} input(s): {}",
            i + 1,
            e.rule,
            explained_count[i],
            used[i].len(),
            e.reason.chars().take(70).collect::<String>()
        );
    }
    if !should_left.is_empty() {
        eprintln!(
            "  SHOULD findings on good inputs no entry lists (not failures): {should_left:?}"
        );
    }
    if std::env::var_os("PLUGFEST_CORPUS_DUMP").is_some() {
        for (unit, report) in units.iter().zip(&reports) {
            for f in &report.findings {
                let level = levels.get(&f.rule).map_or("?", String::as_str);
                eprintln!(
                    "{}\t{}\t{level} {} {}",
                    match known[unit.rel.as_str()] {
                        Label::Good => "good",
                        Label::Broken { .. } => "broken",
                    },
                    place(&corpus, report, f),
                    f.rule,
                    one_line(&f.message)
                );
            }
        }
    }

    let mut out = String::new();
    if !unexplained.is_empty() {
        out.push_str(&format!(
            "\n{} MUST or XSD finding(s) on inputs not labelled broken that no [[expect]] of {EXPECTATIONS} explains.\n\
             If the sample really is wrong, paste the entry (trim `contains` to the telling part, or group inputs\n\
             with `inputs = [...]`) and give the reason; if it is not, the rule is wrong: fix the rule, not the list.\n\n",
            unexplained.values().map(Vec::len).sum::<usize>()
        ));
        out.push_str(&paste_ready(&unexplained));
    }
    if !unconfirmed_labels.is_empty() {
        out.push_str(&format!(
            "\n{} labelled-broken input(s) where Plugfest does not find what the label says. A rule may be missing;\n\
             if the label concerns something Plugfest does not check, list it:\n\n",
            unconfirmed_labels.len()
        ));
        out.push_str(&unconfirmed_labels.join("\n\n"));
        out.push('\n');
    }
    if !problems.is_empty() {
        out.push_str(&format!("\n{} problem(s):\n", problems.len()));
        for p in &problems {
            out.push_str(&format!("  {p}\n"));
        }
    }
    if !stale.is_empty() {
        out.push_str(&format!(
            "\n{} stale entr(y/ies) in {EXPECTATIONS} (remove them, or fix what stopped the finding):\n",
            stale.len()
        ));
        for s in &stale {
            out.push_str(&format!("  {s}\n"));
        }
    }
    assert!(
        out.is_empty(),
        "the corpus disagrees with its labels:\n{out}"
    );
}
