//! The catalogue test (DESIGN §4): the requirement catalogues, the spec index, the suites and
//! profiles, and the tags of every scenario agree with each other.
//!
//! [`check`] returns every problem it finds (file, requirement, what is wrong, the fix), so that
//! `embedded_features_are_consistent` can demand none for the shipped set and
//! `the_check_reports_each_kind_of_breakage` can feed it deliberately broken sets and demand
//! that each breakage is reported: the check must be able to fail.

use cucumber::gherkin::{self, GherkinEnv};
use plugfest_core::{Catalogue, Requirement, SpecIndex, Suites};
use plugfest_steps::FeatureSet;
use serde::Deserialize as _;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

const CATALOGUE_SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../schemas/catalogue.schema.json"
));

/// One inconsistency, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    /// The file to edit, relative to the repository (`features/…`).
    file: String,
    /// The requirement concerned (`-` when none can be named).
    id: String,
    /// What is wrong.
    what: String,
    /// How to fix it.
    fix: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}\n    fix: {}",
            self.file, self.id, self.what, self.fix
        )
    }
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, file: &str, id: &str, what: impl Into<String>, fix: impl Into<String>) {
        self.0.push(Problem {
            file: file.to_string(),
            id: id.to_string(),
            what: what.into(),
            fix: fix.into(),
        });
    }

    fn any_for_file(&self, file: &str) -> bool {
        self.0.iter().any(|p| p.file == file)
    }
}

/// A requirement as catalogued, with the file it came from.
struct Entry {
    file: String,
    req: Requirement,
}

/// Every inconsistency between the catalogues, specs.toml, suites.toml, profiles.toml and the
/// tags of the `.feature` files of `set`. Empty when all is well.
fn check(set: &FeatureSet) -> Vec<Problem> {
    let mut out = Problems::default();
    let specs = match set.specs() {
        Ok(s) => s,
        Err(e) => {
            out.push(
                "features/specs.toml",
                "-",
                e.to_string(),
                "make specs.toml parse: `[docs.\"<key>\"]` tables with `title` and `url`",
            );
            return out.0;
        }
    };
    let suites = match set.suites() {
        Ok(s) => s,
        Err(e) => {
            out.push(
                "features/suites.toml",
                "-",
                e.to_string(),
                "make suites.toml and profiles.toml parse, every profile naming a suite of suites.toml",
            );
            return out.0;
        }
    };

    // Catalogues: each file once, even when several suites share it.
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut files = Vec::new();
    for suite in suites.suites.values() {
        for cat in &suite.catalogues {
            if !files.contains(cat) {
                files.push(cat.clone());
            }
        }
    }
    for cat in &files {
        check_catalogue(set, cat, &specs, &suites, &mut entries, &mut out);
    }
    // The loader the run uses must agree (merging refuses IDs repeated across catalogues).
    if let Err(e) = set.catalogue(&suites, &[]) {
        let file = match &e {
            plugfest_core::catalogue::CatalogueError::Parse { file, .. }
            | plugfest_core::catalogue::CatalogueError::Invalid { file, .. } => file.clone(),
        };
        if !out.any_for_file(&file) {
            out.push(
                &file,
                "-",
                format!("FeatureSet::catalogue refuses the catalogues: {e}"),
                "fix the catalogue so the run can load it",
            );
        }
    }

    // Scenarios.
    let mut covered: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, text) in set.files.iter().filter(|(p, _)| p.ends_with(".feature")) {
        check_feature(
            path,
            text,
            &specs,
            &suites,
            &entries,
            &mut covered,
            &mut out,
        );
    }

    // Coverage: a catalogued, tested scenario requirement has a scenario; an untested or
    // rule-checked one has none.
    for (id, e) in &entries {
        let r = &e.req;
        let scenarios = covered.get(id);
        if r.untested.is_none() && r.check == "scenario" && scenarios.is_none() {
            out.push(
                &e.file,
                id,
                "no scenario checks this requirement (it is neither `untested` nor `check = \"rule\"`)",
                format!(
                    "add a scenario tagged `@req:{id} @{} @spec:{}` under a folder of suite `{}`, or give the entry `untested = \"<reason>\"`",
                    r.level.tag(),
                    r.spec,
                    suites.suite_of(id).unwrap_or("?")
                ),
            );
        }
        if let Some(s) = scenarios {
            if r.untested.is_some() {
                out.push(
                    &e.file,
                    id,
                    format!("marked `untested` but checked by {}", s.join(", ")),
                    "remove `untested` from the entry (or the scenario's @req tag)",
                );
            }
            if r.check == "rule" {
                out.push(
                    &e.file,
                    id,
                    format!("has `check = \"rule\"` but is checked by {}", s.join(", ")),
                    "drop `check = \"rule\"` or the scenario's @req tag",
                );
            }
        }
    }
    let mut v = out.0;
    v.sort();
    v.dedup();
    v
}

fn check_catalogue(
    set: &FeatureSet,
    cat: &str,
    specs: &SpecIndex,
    suites: &Suites,
    entries: &mut BTreeMap<String, Entry>,
    out: &mut Problems,
) {
    let file = format!("features/{cat}");
    let Some(text) = set.files.get(cat) else {
        out.push(
            &file,
            "-",
            "the catalogue named in suites.toml does not exist",
            "create it or correct `catalogues` in features/suites.toml",
        );
        return;
    };
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            out.push(&file, "-", format!("not valid TOML: {e}"), "fix the syntax");
            return;
        }
    };

    // The JSON Schema, on the TOML read as JSON.
    let json = serde_json::to_value(&table).expect("TOML converts to JSON");
    for err in catalogue_validator().iter_errors(&json) {
        let path = err.instance_path().to_string();
        out.push(
            &file,
            &id_at(&json, &path),
            format!("{err} (at {})", if path.is_empty() { "/" } else { &path }),
            format!(
                "make the entry match schemas/catalogue.schema.json (rule {})",
                err.schema_path()
            ),
        );
    }

    // Entry by entry, so one broken entry does not hide the others.
    let items = table
        .get("requirement")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    for item in items {
        let Ok(req) = Requirement::deserialize(item) else {
            continue; // reported by the schema
        };
        let id = req.id.clone();
        if let Some(prev) = entries.get(&id) {
            out.push(
                &file,
                &id,
                format!("the ID appears more than once (also in {})", prev.file),
                "give each requirement its own ID; each ID appears once (DESIGN §4)",
            );
            continue;
        }
        if !specs.docs.contains_key(req.spec_doc()) {
            out.push(
                &file,
                &id,
                format!(
                    "spec `{}` names document `{}`, which features/specs.toml does not define",
                    req.spec,
                    req.spec_doc()
                ),
                format!(
                    "use a key of features/specs.toml ({}) or add the document there",
                    specs.docs.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        let owner = suites.suite_of(&id);
        match owner {
            None => out.push(
                &file,
                &id,
                "no suite of features/suites.toml has an `id_prefixes` entry this ID starts with",
                "use the prefix of the suite the requirement belongs to, or add it to that suite's `id_prefixes`",
            ),
            Some(s) if !suites.suites[s].catalogues.iter().any(|c| c == cat) => out.push(
                &file,
                &id,
                format!("the ID belongs to suite `{s}`, which does not list this catalogue"),
                format!("move the entry to a catalogue of `{s}` or add {cat} to its `catalogues`"),
            ),
            Some(_) => {}
        }
        for p in &req.profiles {
            match suites.profiles.get(p) {
                None => out.push(
                    &file,
                    &id,
                    format!("profile `{p}` is not defined in features/profiles.toml"),
                    format!(
                        "use a profile of features/profiles.toml ({}) or define `[profile.{p}]`",
                        suites
                            .profiles
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                Some(profile) if owner.is_some_and(|o| o != profile.suite) => out.push(
                    &file,
                    &id,
                    format!(
                        "profile `{p}` draws on suite `{}`, but the requirement belongs to `{}`",
                        profile.suite,
                        owner.unwrap_or_default()
                    ),
                    "list only profiles of the requirement's own suite",
                ),
                Some(_) => {}
            }
        }
        entries.insert(
            id,
            Entry {
                file: file.clone(),
                req,
            },
        );
    }

    // The loader the run uses must accept the file; its message is only new when nothing
    // above explained it already.
    if let Err(e) = Catalogue::parse(&file, text, specs)
        && !out.any_for_file(&file)
    {
        let id = match &e {
            plugfest_core::catalogue::CatalogueError::Invalid { id, .. } => id.clone(),
            _ => "-".into(),
        };
        out.push(
            &file,
            &id,
            format!("Catalogue::parse refuses it: {e}"),
            "fix the entry",
        );
    }
}

fn catalogue_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(CATALOGUE_SCHEMA).expect("catalogue.schema.json is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .expect("catalogue.schema.json is a valid schema")
}

/// The requirement an instance path points into (`/requirement/3/…` → its `id`).
fn id_at(json: &serde_json::Value, path: &str) -> String {
    let mut parts = path.trim_start_matches('/').split('/');
    if parts.next() != Some("requirement") {
        return "-".into();
    }
    let Some(i) = parts.next().and_then(|i| i.parse::<usize>().ok()) else {
        return "-".into();
    };
    json["requirement"][i]["id"]
        .as_str()
        .map_or_else(|| format!("requirement #{}", i + 1), str::to_string)
}

const LEVEL_TAGS: [&str; 3] = ["must", "should", "may"];

fn check_feature(
    path: &str,
    text: &str,
    specs: &SpecIndex,
    suites: &Suites,
    entries: &BTreeMap<String, Entry>,
    covered: &mut BTreeMap<String, Vec<String>>,
    out: &mut Problems,
) {
    let file = format!("features/{path}");
    let feature = match gherkin::Feature::parse(text, GherkinEnv::default()) {
        Ok(f) => f,
        Err(e) => {
            out.push(
                &file,
                "-",
                format!("the Gherkin does not parse: {e}"),
                "fix the syntax",
            );
            return;
        }
    };
    let owners: Vec<&str> = suites
        .suites
        .iter()
        .filter(|(_, s)| {
            s.folders
                .iter()
                .any(|f| path.starts_with(&format!("{}/", f.trim_end_matches('/'))))
        })
        .map(|(n, _)| n.as_str())
        .collect();
    if owners.is_empty() {
        out.push(
            &file,
            "-",
            "the file is under no suite's folders, so it never runs",
            "move it into a folder listed in features/suites.toml, or list its folder there",
        );
    }
    // Rule tags never reach the run record (the writer reads feature + scenario tags).
    for rule in &feature.rules {
        if rule.tags.iter().any(|t| is_catalogue_tag(t)) {
            out.push(
                &file,
                "-",
                format!(
                    "Rule `{}` (line {}) carries @req/@spec/level tags, which the run does not read",
                    rule.name, rule.position.line
                ),
                "move the tags to the rule's scenarios",
            );
        }
    }
    let scenarios = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| &r.scenarios));
    for sc in scenarios {
        let base: Vec<&str> = feature
            .tags
            .iter()
            .chain(&sc.tags)
            .map(String::as_str)
            .collect();
        if sc.examples.is_empty() {
            let what = format!("scenario `{}` (line {})", sc.name, sc.position.line);
            check_tags(
                &file, &what, &base, &owners, specs, suites, entries, covered, out,
            );
        } else {
            for ex in &sc.examples {
                let tags: Vec<&str> = base
                    .iter()
                    .copied()
                    .chain(ex.tags.iter().map(String::as_str))
                    .collect();
                let what = format!(
                    "examples of outline `{}` (line {})",
                    sc.name, ex.position.line
                );
                check_tags(
                    &file, &what, &tags, &owners, specs, suites, entries, covered, out,
                );
            }
        }
    }
}

fn is_catalogue_tag(t: &str) -> bool {
    t.starts_with("req:") || t.starts_with("spec:") || LEVEL_TAGS.contains(&t)
}

/// One scenario, or one Examples block of an outline, with its combined tags.
#[allow(clippy::too_many_arguments)]
fn check_tags(
    file: &str,
    what: &str,
    tags: &[&str],
    owners: &[&str],
    specs: &SpecIndex,
    suites: &Suites,
    entries: &BTreeMap<String, Entry>,
    covered: &mut BTreeMap<String, Vec<String>>,
    out: &mut Problems,
) {
    let ids: Vec<&str> = tags.iter().filter_map(|t| t.strip_prefix("req:")).collect();
    let levels: Vec<&str> = tags
        .iter()
        .copied()
        .filter(|t| LEVEL_TAGS.contains(t))
        .collect();
    let spec_tags: Vec<&str> = tags
        .iter()
        .filter_map(|t| t.strip_prefix("spec:"))
        .collect();
    for s in &spec_tags {
        let doc = s.split_once('#').map_or(*s, |(d, _)| d);
        if !specs.docs.contains_key(doc) {
            out.push(
                file,
                ids.first().copied().unwrap_or("-"),
                format!("{what}: tag @spec:{s} names document `{doc}`, which features/specs.toml does not define"),
                "use a document key of features/specs.toml, or add the document there",
            );
        }
    }
    let id = match ids.as_slice() {
        [id] => *id,
        [] => {
            out.push(
                file,
                "-",
                format!("{what} has no @req:<ID> tag"),
                "tag it (or, for an outline, each Examples block) with the one requirement it checks",
            );
            return;
        }
        many => {
            out.push(
                file,
                many[0],
                format!(
                    "{what} has {} @req tags ({}); a scenario checks one requirement",
                    many.len(),
                    many.join(", ")
                ),
                "split it into one scenario per requirement, or one Examples block per requirement",
            );
            return;
        }
    };
    let Some(entry) = entries.get(id) else {
        out.push(
            file,
            id,
            format!("{what} checks `{id}`, which no catalogue defines"),
            "correct the @req tag, or add the requirement to its suite's catalogue",
        );
        return;
    };
    let r = &entry.req;
    covered
        .entry(id.to_string())
        .or_default()
        .push(format!("{file}: {what}"));
    match suites.suite_of(id) {
        Some(s) if !owners.contains(&s) => out.push(
            file,
            id,
            format!(
                "{what}: the ID belongs to suite `{s}`, but the file lies under the folders of {}",
                if owners.is_empty() {
                    "no suite".to_string()
                } else {
                    owners.join(", ")
                }
            ),
            format!(
                "move the scenario to a folder of `{s}` ({})",
                suites.suites[s].folders.join(", ")
            ),
        ),
        _ => {} // an ID no suite owns is reported with its catalogue entry
    }
    let want_level = r.level.tag();
    match levels.as_slice() {
        [l] if *l == want_level => {}
        [l] => out.push(
            file,
            id,
            format!(
                "{what}: level tag @{l} disagrees with the catalogue's {}",
                r.level.as_str()
            ),
            format!(
                "tag it @{want_level} (or correct the level in {})",
                entry.file
            ),
        ),
        other => out.push(
            file,
            id,
            format!(
                "{what} needs exactly one level tag, found {}",
                if other.is_empty() {
                    "none".to_string()
                } else {
                    other.join(", ")
                }
            ),
            format!("tag it @{want_level} only"),
        ),
    }
    match spec_tags.as_slice() {
        [s] if *s == r.spec => {}
        [s] => out.push(
            file,
            id,
            format!(
                "{what}: tag @spec:{s} disagrees with the catalogue's spec `{}`",
                r.spec
            ),
            format!(
                "tag it @spec:{} (or correct the catalogue entry in {})",
                r.spec, entry.file
            ),
        ),
        other => out.push(
            file,
            id,
            format!(
                "{what} needs exactly one @spec tag, found {}",
                if other.is_empty() {
                    "none".to_string()
                } else {
                    other.join(", ")
                }
            ),
            format!("tag it @spec:{} only", r.spec),
        ),
    }
}

fn report(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn embedded_features_are_consistent() {
    let set = FeatureSet::embedded();
    assert!(
        set.files.keys().any(|k| k.ends_with(".feature")),
        "the embedded set has feature files"
    );
    let problems = check(&set);
    assert!(
        problems.is_empty(),
        "{} catalogue problem(s):\n{}",
        problems.len(),
        report(&problems)
    );
    // Every catalogue loads through the run's own loader, and every catalogued ID is covered
    // by the check above (no requirement silently skipped).
    let suites = set.suites().expect("suites.toml and profiles.toml parse");
    let all = set.catalogue(&suites, &[]).expect("catalogues load");
    assert!(!all.requirements.is_empty());
    let ids: BTreeSet<&str> = all.requirements.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), all.requirements.len(), "IDs are unique");
}

// ---------------------------------------------------------------------------------------------
// The check must be able to fail: a small hand-built set, clean, then broken one way at a time.

const SPECS: &str = r#"
[docs."doc-a"]
title = "Document A"
url = "https://a.example/"
"#;

const SUITES: &str = r#"
[suite.alpha-tool]
title = "Alpha tool"
folders = ["alpha/tool"]
catalogues = ["alpha/catalogue.toml"]
id_prefixes = ["ALPHA-TOOL"]

[suite.alpha-plat]
title = "Alpha platform"
folders = ["alpha/platform"]
catalogues = ["alpha/catalogue.toml"]
id_prefixes = ["ALPHA-PLAT"]
"#;

const PROFILES: &str = r#"
[profile.alpha-core-tool]
title = "Alpha core — tool"
suite = "alpha-tool"

[profile.alpha-core-plat]
title = "Alpha core — platform"
suite = "alpha-plat"
"#;

const CATALOGUE: &str = r#"
[[requirement]]
id = "ALPHA-TOOL-A-001"
level = "MUST"
spec = "doc-a#1.1"
text = "The tool does the first thing."
impact = "Nothing works."
fix = "Do the first thing (Doc A §1.1)."
profiles = ["alpha-core-tool"]

[[requirement]]
id = "ALPHA-TOOL-A-002"
level = "SHOULD"
spec = "doc-a#1.2"
text = "The tool does the second thing."
impact = "Some things break."
fix = "Do the second thing (Doc A §1.2)."
profiles = ["alpha-core-tool"]

[[requirement]]
id = "ALPHA-TOOL-A-003"
level = "MAY"
spec = "doc-a#1.3"
text = "The tool may do a third thing."
impact = "A nicety is missing."
fix = "Do the third thing (Doc A §1.3)."
untested = "no check yet"

[[requirement]]
id = "ALPHA-PLAT-B-001"
level = "MUST"
spec = "doc-a#2"
text = "The platform does its thing."
impact = "The platform is useless."
fix = "Do the platform's thing (Doc A §2)."
profiles = ["alpha-core-plat"]
"#;

const TOOL_FEATURE: &str = r#"Feature: Alpha tool

  @req:ALPHA-TOOL-A-001 @must @spec:doc-a#1.1
  Scenario: First thing
    Given the first thing

  @should @spec:doc-a#1.2
  Scenario Outline: Second thing <n>
    Given the thing <n>

    @req:ALPHA-TOOL-A-002
    Examples: one
      | n |
      | 1 |

    @req:ALPHA-TOOL-A-002
    Examples: two
      | n |
      | 2 |
"#;

const PLAT_FEATURE: &str = r#"@spec:doc-a#2
Feature: Alpha platform

  @req:ALPHA-PLAT-B-001 @must
  Scenario: Its thing
    Given its thing
"#;

const CAT: &str = "alpha/catalogue.toml";
const TOOL: &str = "alpha/tool/a.feature";
const PLAT: &str = "alpha/platform/b.feature";

fn fixture() -> FeatureSet {
    let files = [
        ("specs.toml", SPECS),
        ("suites.toml", SUITES),
        ("profiles.toml", PROFILES),
        (CAT, CATALOGUE),
        (TOOL, TOOL_FEATURE),
        (PLAT, PLAT_FEATURE),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    FeatureSet {
        files,
        custom: true,
    }
}

/// A change to the fixture.
enum Edit {
    /// Replace the (unique) text `from` by `to` in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Append text to a file, creating it when missing.
    Append(&'static str, &'static str),
}

fn apply(edits: &[Edit]) -> FeatureSet {
    let mut set = fixture();
    for e in edits {
        match e {
            Edit::Replace(file, from, to) => {
                let text = set.files.get_mut(*file).expect("fixture file");
                assert_eq!(
                    text.matches(from).count(),
                    1,
                    "`{from}` occurs once in {file}"
                );
                *text = text.replacen(from, to, 1);
            }
            Edit::Append(file, more) => set
                .files
                .entry(file.to_string())
                .or_default()
                .push_str(more),
        }
    }
    set
}

#[test]
fn the_clean_fixture_has_no_problems() {
    let problems = check(&fixture());
    assert!(problems.is_empty(), "{}", report(&problems));
}

/// A breakage, its edits, and (file, requirement ID, words) of the problem it must cause.
type Case = (
    &'static str,
    Vec<Edit>,
    (&'static str, &'static str, &'static str),
);

#[test]
fn the_check_reports_each_kind_of_breakage() {
    use Edit::{Append, Replace};
    // (breakage, edits, (file, id, words the problem must contain))
    let cases: Vec<Case> = vec![
        (
            "a wrong level tag",
            vec![Replace(
                TOOL,
                "@req:ALPHA-TOOL-A-001 @must",
                "@req:ALPHA-TOOL-A-001 @should",
            )],
            (TOOL, "ALPHA-TOOL-A-001", "level tag @should disagrees"),
        ),
        (
            "a missing level tag",
            vec![Replace(
                TOOL,
                "@req:ALPHA-TOOL-A-001 @must",
                "@req:ALPHA-TOOL-A-001",
            )],
            (
                TOOL,
                "ALPHA-TOOL-A-001",
                "exactly one level tag, found none",
            ),
        ),
        (
            "two level tags",
            vec![Replace(PLAT, "@must", "@must @may")],
            (
                PLAT,
                "ALPHA-PLAT-B-001",
                "exactly one level tag, found must, may",
            ),
        ),
        (
            "an unknown ID",
            vec![Replace(
                TOOL,
                "@req:ALPHA-TOOL-A-001",
                "@req:ALPHA-TOOL-A-009",
            )],
            (TOOL, "ALPHA-TOOL-A-009", "which no catalogue defines"),
        ),
        (
            "a scenario without @req",
            vec![Replace(TOOL, "@req:ALPHA-TOOL-A-001 ", "")],
            (TOOL, "-", "has no @req:<ID> tag"),
        ),
        (
            "an Examples block without @req",
            vec![Replace(
                TOOL,
                "    @req:ALPHA-TOOL-A-002\n    Examples: two",
                "    Examples: two",
            )],
            (TOOL, "-", "examples of outline `Second thing <n>`"),
        ),
        (
            "two @req tags on one scenario",
            vec![Replace(
                TOOL,
                "@req:ALPHA-TOOL-A-001 @must",
                "@req:ALPHA-TOOL-A-001 @req:ALPHA-TOOL-A-003 @must",
            )],
            (TOOL, "ALPHA-TOOL-A-001", "has 2 @req tags"),
        ),
        (
            "a @req on both an outline and its Examples",
            vec![Replace(
                TOOL,
                "@should @spec:doc-a#1.2",
                "@req:ALPHA-TOOL-A-002 @should @spec:doc-a#1.2",
            )],
            (TOOL, "ALPHA-TOOL-A-002", "has 2 @req tags"),
        ),
        (
            "a spec tag that disagrees with the catalogue",
            vec![Replace(TOOL, "@spec:doc-a#1.1", "@spec:doc-a#1.9")],
            (
                TOOL,
                "ALPHA-TOOL-A-001",
                "@spec:doc-a#1.9 disagrees with the catalogue's spec `doc-a#1.1`",
            ),
        ),
        (
            "a missing spec tag",
            vec![Replace(PLAT, "@spec:doc-a#2\n", "")],
            (
                PLAT,
                "ALPHA-PLAT-B-001",
                "exactly one @spec tag, found none",
            ),
        ),
        (
            "a spec tag naming an unknown document",
            vec![Replace(TOOL, "@spec:doc-a#1.1", "@spec:doc-z#1.1")],
            (
                TOOL,
                "ALPHA-TOOL-A-001",
                "document `doc-z`, which features/specs.toml does not define",
            ),
        ),
        (
            "a catalogue spec naming an unknown document",
            vec![Replace(CAT, "spec = \"doc-a#1.3\"", "spec = \"doc-z#1.3\"")],
            (
                CAT,
                "ALPHA-TOOL-A-003",
                "document `doc-z`, which features/specs.toml does not define",
            ),
        ),
        (
            "a scenario in the folder of another suite",
            vec![
                Replace(PLAT, "@req:ALPHA-PLAT-B-001", "@req:ALPHA-TOOL-A-001"),
                Replace(PLAT, "@spec:doc-a#2", "@spec:doc-a#1.1"),
            ],
            (
                PLAT,
                "ALPHA-TOOL-A-001",
                "belongs to suite `alpha-tool`, but the file lies under the folders of alpha-plat",
            ),
        ),
        (
            "a feature file outside every suite's folders",
            vec![Append(
                "gamma/c.feature",
                "Feature: Stray\n\n  @req:ALPHA-TOOL-A-001 @must @spec:doc-a#1.1\n  Scenario: Stray\n    Given x\n",
            )],
            ("gamma/c.feature", "-", "under no suite's folders"),
        ),
        (
            "a repeated ID in a catalogue",
            vec![Append(
                CAT,
                "\n[[requirement]]\nid = \"ALPHA-TOOL-A-001\"\nlevel = \"MUST\"\nspec = \"doc-a#1.1\"\ntext = \"Again.\"\nimpact = \"Again.\"\nfix = \"Again.\"\n",
            )],
            (CAT, "ALPHA-TOOL-A-001", "appears more than once"),
        ),
        (
            "a missing field",
            vec![Append(
                CAT,
                "\n[[requirement]]\nid = \"ALPHA-TOOL-A-004\"\nlevel = \"MAY\"\nspec = \"doc-a#1.4\"\ntext = \"No impact given.\"\nfix = \"f\"\nuntested = \"later\"\n",
            )],
            (CAT, "ALPHA-TOOL-A-004", "\"impact\" is a required property"),
        ),
        (
            "a missing fix",
            vec![Append(
                CAT,
                "\n[[requirement]]\nid = \"ALPHA-TOOL-A-006\"\nlevel = \"MAY\"\nspec = \"doc-a#1.6\"\ntext = \"No fix given.\"\nimpact = \"i\"\nuntested = \"later\"\n",
            )],
            (CAT, "ALPHA-TOOL-A-006", "\"fix\" is a required property"),
        ),
        (
            "an unknown field",
            vec![Replace(
                CAT,
                "untested = \"no check yet\"",
                "untested = \"no check yet\"\nowner = \"me\"",
            )],
            (CAT, "ALPHA-TOOL-A-003", "owner"),
        ),
        (
            "a malformed ID",
            vec![Replace(
                CAT,
                "id = \"ALPHA-TOOL-A-003\"",
                "id = \"alpha-tool-a-003\"",
            )],
            (CAT, "alpha-tool-a-003", "does not match"),
        ),
        (
            "a bad level",
            vec![Replace(CAT, "level = \"MAY\"", "level = \"OPTIONAL\"")],
            (CAT, "ALPHA-TOOL-A-003", "\"OPTIONAL\" is not one of"),
        ),
        (
            "a -CERT reading at MUST",
            vec![Append(
                CAT,
                "\n[[requirement]]\nid = \"ALPHA-TOOL-A-003-CERT\"\nlevel = \"MUST\"\nspec = \"doc-a#1.3\"\ntext = \"t\"\nimpact = \"i\"\nfix = \"f\"\nuntested = \"later\"\n",
            )],
            (CAT, "ALPHA-TOOL-A-003-CERT", "\"SHOULD\" was expected"),
        ),
        (
            "an empty text",
            vec![Replace(
                CAT,
                "text = \"The platform does its thing.\"",
                "text = \"  \"",
            )],
            (CAT, "ALPHA-PLAT-B-001", "does not match"),
        ),
        (
            "a requirement with no scenario",
            vec![Append(
                CAT,
                "\n[[requirement]]\nid = \"ALPHA-TOOL-A-005\"\nlevel = \"MUST\"\nspec = \"doc-a#1.5\"\ntext = \"t\"\nimpact = \"i\"\nfix = \"f\"\n",
            )],
            (
                CAT,
                "ALPHA-TOOL-A-005",
                "no scenario checks this requirement",
            ),
        ),
        (
            "an untested requirement that has a scenario",
            vec![Replace(
                CAT,
                "impact = \"Nothing works.\"",
                "impact = \"Nothing works.\"\nuntested = \"stale\"",
            )],
            (CAT, "ALPHA-TOOL-A-001", "marked `untested` but checked by"),
        ),
        (
            "a rule-checked requirement that has a scenario",
            vec![Replace(
                CAT,
                "impact = \"Nothing works.\"",
                "impact = \"Nothing works.\"\ncheck = \"rule\"",
            )],
            (
                CAT,
                "ALPHA-TOOL-A-001",
                "has `check = \"rule\"` but is checked by",
            ),
        ),
        (
            "an unknown profile",
            vec![Replace(
                CAT,
                "profiles = [\"alpha-core-plat\"]",
                "profiles = [\"alpha-nope\"]",
            )],
            (
                CAT,
                "ALPHA-PLAT-B-001",
                "profile `alpha-nope` is not defined",
            ),
        ),
        (
            "a profile of another suite",
            vec![Replace(
                CAT,
                "profiles = [\"alpha-core-plat\"]",
                "profiles = [\"alpha-core-tool\"]",
            )],
            (CAT, "ALPHA-PLAT-B-001", "draws on suite `alpha-tool`"),
        ),
        (
            "an ID no suite owns",
            vec![Replace(
                CAT,
                "id = \"ALPHA-TOOL-A-003\"",
                "id = \"BETA-X-003\"",
            )],
            (CAT, "BETA-X-003", "no suite of features/suites.toml"),
        ),
        (
            "a catalogue missing from the set",
            vec![Replace(
                "suites.toml",
                "catalogues = [\"alpha/catalogue.toml\"]\nid_prefixes = [\"ALPHA-PLAT\"]",
                "catalogues = [\"alpha/catalogue.toml\", \"alpha/missing.toml\"]\nid_prefixes = [\"ALPHA-PLAT\"]",
            )],
            ("features/alpha/missing.toml", "-", "does not exist"),
        ),
        (
            "Gherkin that does not parse",
            vec![Replace(
                PLAT,
                "  Scenario: Its thing",
                "  Scenari: Its thing",
            )],
            (PLAT, "-", "does not parse"),
        ),
        (
            "catalogue TOML that does not parse",
            vec![Append(CAT, "\n[[requirement]\n")],
            (CAT, "-", "not valid TOML"),
        ),
    ];
    let mut missed = Vec::new();
    for (breakage, edits, (file, id, words)) in &cases {
        let set = apply(edits);
        let problems = check(&set);
        let file = if file.starts_with("features/") {
            file.to_string()
        } else {
            format!("features/{file}")
        };
        let hit = problems
            .iter()
            .any(|p| p.file == file && p.id == *id && p.what.contains(words));
        if !hit {
            missed.push(format!(
                "{breakage}: expected a problem in {file} for {id} containing `{words}`; got:\n{}",
                if problems.is_empty() {
                    "  (none)".to_string()
                } else {
                    report(&problems)
                }
            ));
        }
        // Every problem names a fix.
        assert!(problems.iter().all(|p| !p.fix.trim().is_empty()));
    }
    assert!(missed.is_empty(), "{}", missed.join("\n\n"));
}
