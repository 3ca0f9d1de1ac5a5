//! The run record (`run.json`, `schemas/run-record.schema.json`): the single source of truth
//! every report is rendered from.

use crate::evidence::Evidence;
use crate::verdict::{Level, Tier, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the record's shape; bump on any incompatible change.
pub const RECORD_VERSION: &str = "1.0";

/// One run of Plugfest against one product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// [`RECORD_VERSION`].
    pub record_version: String,
    /// The harness that produced it.
    pub plugfest: Harness,
    /// What was assessed.
    pub product: crate::config::Product,
    /// When, with which inputs and filters.
    pub run: RunInfo,
    /// One verdict per profile of the suites run.
    pub profiles: Vec<ProfileResult>,
    /// One result per catalogued requirement of the suites run.
    pub results: Vec<RequirementResult>,
    /// Remarks for the reader (plain HTTP used, inputs missing…).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Harness identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Harness {
    /// Crate version.
    pub version: String,
    /// Git commit the binary was built from (`unknown` outside a checkout).
    pub commit: String,
}

/// Inputs and filters of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Start, RFC 3339 UTC.
    pub started: String,
    /// End, RFC 3339 UTC.
    pub finished: String,
    /// Seed of nonces, states and generated ids (`--seed` replays it).
    pub seed: String,
    /// SHA-256 of the config text (which holds secret references, never secrets).
    pub config_digest: String,
    /// SHA-256 of the catalogues used.
    pub catalogue_digest: String,
    /// SHA-256 of the feature files used.
    pub features_digest: String,
    /// Suites run.
    pub suites: Vec<String>,
    /// `--tags` expression, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    /// Features read from disk (`--features DIR`) instead of the embedded set.
    pub custom: bool,
    /// Narrowed by `--suite` or `--tags`.
    pub filtered: bool,
    /// `masked` (default) or `full` (`--evidence full`).
    pub evidence: String,
}

/// The verdict of one requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementResult {
    /// Requirement ID.
    pub id: String,
    /// Suite (product role) it belongs to.
    pub suite: String,
    /// MUST / SHOULD / MAY.
    pub level: Level,
    /// `<doc>#<section>`.
    pub spec: String,
    /// The catalogue's plain sentence.
    pub text: String,
    /// The catalogue's sentence for a district: what goes wrong when this fails.
    pub impact: String,
    /// The catalogue's sentence for the vendor: what to change, with the spec section.
    pub fix: String,
    /// The verdict.
    pub verdict: Verdict,
    /// How it was observed.
    pub tier: Tier,
    /// Headline: why this verdict (for not-assessed / not-applicable / error: the reason).
    pub message: String,
    /// What the specification expects (for a verdict worse than pass).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the product did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    /// Exchanges, tokens, findings and notes, capped and masked.
    pub evidence: Vec<Evidence>,
    /// A command that re-runs just this requirement.
    pub reproduce: String,
    /// The certification test this matches, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_ref: Option<String>,
    /// The scenarios that checked it.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// The profiles it belongs to (from the catalogue), so profile verdicts can be recomputed
    /// from the record alone (after an attestation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<String>,
}

/// How a profile came out (DESIGN §4 "Assessment, not certification").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileVerdict {
    /// Every MUST passed or is not-applicable, nothing error, manual or not-assessed.
    Conformant,
    /// A MUST failed.
    NotConformant,
    /// Anything else.
    Incomplete,
}

impl ProfileVerdict {
    /// The words a reader sees.
    pub fn title(self) -> &'static str {
        match self {
            ProfileVerdict::Conformant => "Conformant",
            ProfileVerdict::NotConformant => "Not conformant",
            ProfileVerdict::Incomplete => "Incomplete",
        }
    }
}

/// One profile's verdict and coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileResult {
    /// Profile key.
    pub name: String,
    /// Title ("LTI 1.3 Core — tool").
    pub title: String,
    /// Suite it draws on.
    pub suite: String,
    /// The verdict.
    pub verdict: ProfileVerdict,
    /// MUST requirements that failed.
    pub must_failed: usize,
    /// Requirements assessed (not `not-assessed`).
    pub assessed: usize,
    /// Requirements catalogued in the profile.
    pub catalogued: usize,
    /// How the assessed requirements were observed (DESIGN §4 tiers), each once, in tier order.
    #[serde(default)]
    pub tiers: Vec<Tier>,
}

impl ProfileResult {
    /// Compute a profile's verdict from the results of its requirements.
    pub fn compute(
        name: &str,
        title: &str,
        suite: &str,
        members: &[&RequirementResult],
    ) -> ProfileResult {
        let must_failed = members
            .iter()
            .filter(|r| r.level == Level::Must && r.verdict == Verdict::Fail)
            .count();
        let blocking = members.iter().any(|r| {
            r.verdict == Verdict::Error
                || (r.level == Level::Must
                    && matches!(r.verdict, Verdict::Manual | Verdict::NotAssessed))
        });
        let verdict = if must_failed > 0 {
            ProfileVerdict::NotConformant
        } else if blocking || members.is_empty() {
            ProfileVerdict::Incomplete
        } else {
            ProfileVerdict::Conformant
        };
        ProfileResult {
            name: name.to_string(),
            title: title.to_string(),
            suite: suite.to_string(),
            verdict,
            must_failed,
            assessed: members
                .iter()
                .filter(|r| r.verdict != Verdict::NotAssessed)
                .count(),
            catalogued: members.len(),
            tiers: members
                .iter()
                .filter(|r| r.verdict != Verdict::NotAssessed)
                .map(|r| r.tier)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
        }
    }
}

impl RunRecord {
    /// Exit code of DESIGN §3: 1 when a MUST failed, else 2 when anything is `error`, else 0.
    pub fn exit_code(&self) -> i32 {
        if self
            .results
            .iter()
            .any(|r| r.level == Level::Must && r.verdict == Verdict::Fail)
        {
            1
        } else if self.results.iter().any(|r| r.verdict == Verdict::Error) {
            2
        } else {
            0
        }
    }

    /// Count of results per verdict for one suite (all suites when `None`).
    pub fn counts(&self, suite: Option<&str>) -> BTreeMap<Verdict, usize> {
        let mut counts = BTreeMap::new();
        for r in self
            .results
            .iter()
            .filter(|r| suite.is_none_or(|s| r.suite == s))
        {
            *counts.entry(r.verdict).or_insert(0) += 1;
        }
        counts
    }

    /// The result of one requirement.
    pub fn result(&self, id: &str) -> Option<&RequirementResult> {
        self.results.iter().find(|r| r.id == id)
    }

    /// Record a person's judgement of `id` (tier `attested`): the verdict they gave, a headline
    /// naming them, and `note` (who, when, what they supplied) as evidence; then recompute the
    /// profile verdicts. `false` when the record has no such requirement.
    pub fn attest(&mut self, id: &str, verdict: Verdict, headline: String, note: String) -> bool {
        let Some(r) = self.results.iter_mut().find(|r| r.id == id) else {
            return false;
        };
        r.verdict = verdict;
        r.tier = Tier::Attested;
        r.message = headline;
        r.evidence.push(crate::Evidence::Note { text: note });
        self.recompute_profiles();
        true
    }

    /// Recompute every profile's verdict and coverage from the results' `profiles` lists.
    pub fn recompute_profiles(&mut self) {
        for p in &mut self.profiles {
            let members: Vec<&RequirementResult> = self
                .results
                .iter()
                .filter(|r| r.profiles.contains(&p.name))
                .collect();
            *p = ProfileResult::compute(&p.name, &p.title, &p.suite, &members);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: &str, level: Level, verdict: Verdict) -> RequirementResult {
        RequirementResult {
            id: id.into(),
            suite: "s".into(),
            level,
            spec: "d#1".into(),
            text: "t".into(),
            impact: "i".into(),
            fix: "f".into(),
            verdict,
            tier: Tier::Automatic,
            message: String::new(),
            expected: None,
            observed: None,
            evidence: vec![],
            reproduce: String::new(),
            cert_ref: None,
            scenarios: vec![],
            profiles: vec![],
        }
    }

    #[test]
    fn an_attestation_completes_a_profile_and_names_its_tier() {
        let mut auto = result("A-1", Level::Must, Verdict::Pass);
        let mut manual = result("A-2", Level::Must, Verdict::Manual);
        auto.profiles = vec!["p".into()];
        manual.profiles = vec!["p".into()];
        let members = [&auto, &manual];
        let profile = ProfileResult::compute("p", "P", "s", &members);
        assert_eq!(profile.verdict, ProfileVerdict::Incomplete);
        assert_eq!(profile.tiers, vec![Tier::Automatic]);
        let mut record: RunRecord = serde_json::from_value(serde_json::json!({
            "record_version": RECORD_VERSION,
            "plugfest": {"version": "0", "commit": "x"},
            "product": {"name": "n", "vendor": "v", "version": "1"},
            "run": {"started": "", "finished": "", "seed": "", "config_digest": "",
                    "catalogue_digest": "", "features_digest": "", "suites": ["s"],
                    "custom": false, "filtered": false, "evidence": "masked"},
            "profiles": [profile],
            "results": [auto, manual],
            "notes": []
        }))
        .expect("a record");
        assert!(record.attest("A-2", Verdict::Pass, "by Dana".into(), "note".into()));
        assert!(!record.attest("A-9", Verdict::Pass, String::new(), String::new()));
        let p = &record.profiles[0];
        assert_eq!(p.verdict, ProfileVerdict::Conformant);
        assert_eq!(p.tiers, vec![Tier::Automatic, Tier::Attested]);
        assert_eq!(record.result("A-2").map(|r| r.tier), Some(Tier::Attested));
    }

    #[test]
    fn profile_verdicts_follow_design_rules() {
        let pass = result("A-1", Level::Must, Verdict::Pass);
        let na = result("A-2", Level::Must, Verdict::NotApplicable);
        let warn = result("A-3", Level::Should, Verdict::Warn);
        let fail = result("A-4", Level::Must, Verdict::Fail);
        let err = result("A-5", Level::Should, Verdict::Error);
        let unassessed = result("A-6", Level::Must, Verdict::NotAssessed);
        let v = |m: &[&RequirementResult]| ProfileResult::compute("p", "P", "s", m).verdict;
        assert_eq!(v(&[&pass, &na, &warn]), ProfileVerdict::Conformant);
        assert_eq!(v(&[&pass, &fail, &err]), ProfileVerdict::NotConformant);
        assert_eq!(v(&[&pass, &err]), ProfileVerdict::Incomplete);
        assert_eq!(v(&[&pass, &unassessed]), ProfileVerdict::Incomplete);
    }

    #[test]
    fn exit_code_prefers_must_failures_over_errors() {
        let mk = |rs: Vec<RequirementResult>| RunRecord {
            record_version: RECORD_VERSION.into(),
            plugfest: Harness {
                version: "0".into(),
                commit: "x".into(),
            },
            product: crate::config::Product {
                name: "n".into(),
                vendor: "v".into(),
                version: "1".into(),
            },
            run: RunInfo {
                started: String::new(),
                finished: String::new(),
                seed: String::new(),
                config_digest: String::new(),
                catalogue_digest: String::new(),
                features_digest: String::new(),
                suites: vec![],
                tags: None,
                custom: false,
                filtered: false,
                evidence: "masked".into(),
            },
            profiles: vec![],
            results: rs,
            notes: vec![],
        };
        assert_eq!(
            mk(vec![result("A-1", Level::Should, Verdict::Warn)]).exit_code(),
            0
        );
        assert_eq!(
            mk(vec![result("A-1", Level::Should, Verdict::Error)]).exit_code(),
            2
        );
        assert_eq!(
            mk(vec![
                result("A-1", Level::Should, Verdict::Error),
                result("A-2", Level::Must, Verdict::Fail)
            ])
            .exit_code(),
            1
        );
    }
}
