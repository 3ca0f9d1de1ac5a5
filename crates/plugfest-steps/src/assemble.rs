//! Joins scenario outcomes, their evidence and the catalogue into one result per requirement.

use crate::world::{Outcome, ScenarioReport};
use crate::writer::StepsOutcome;
use plugfest_core::evidence::Evidence;
use plugfest_core::record::RequirementResult;
use plugfest_core::{Catalogue, Requirement, Suites, Tier, Verdict};
use std::collections::BTreeMap;

/// Most evidence items kept per requirement (the rest is summarised in a note).
pub const MAX_EVIDENCE: usize = 60;

/// The verdict of one scenario and why.
#[derive(Debug, Clone)]
pub struct ScenarioVerdict {
    /// Scenario title.
    pub name: String,
    /// Requirement IDs it checks.
    pub req_ids: Vec<String>,
    /// Verdict before the requirement's level is applied: `Pass`, `Fail` (not met), `Error`,
    /// `NotApplicable`, `NotAssessed`.
    pub verdict: Verdict,
    /// Headline.
    pub message: String,
    /// Expected, when a check was not met.
    pub expected: Option<String>,
    /// Observed, when a check was not met.
    pub observed: Option<String>,
    /// Evidence.
    pub evidence: Vec<Evidence>,
}

/// Decide one scenario from cucumber's view of its steps and the World's report.
/// Nothing passes by default: a scenario that made no check is an error.
pub fn judge(steps: &StepsOutcome, report: Option<&ScenarioReport>) -> ScenarioVerdict {
    let req_ids = steps
        .tags
        .iter()
        .filter_map(|t| t.strip_prefix("req:").map(str::to_string))
        .collect();
    let empty = ScenarioReport::default();
    let report = report.unwrap_or(&empty);
    let mut v = ScenarioVerdict {
        name: steps.name.clone(),
        req_ids,
        verdict: Verdict::Error,
        message: String::new(),
        expected: None,
        observed: None,
        evidence: report.evidence.clone(),
    };
    match (&report.outcome, &steps.failure) {
        (Some(Outcome::NotMet(f)), Some(_)) => {
            v.verdict = Verdict::Fail;
            v.message = f.message.clone();
            v.expected = f.expected.clone();
            v.observed = f.observed.clone();
        }
        (Some(Outcome::Error(e)), _) => v.message = e.clone(),
        // A step that finds the feature absent stops the scenario with this outcome.
        (Some(Outcome::NotApplicable(why)), _) => {
            v.verdict = Verdict::NotApplicable;
            v.message = why.clone();
        }
        (Some(Outcome::NotAssessed(why)), _) => {
            v.verdict = Verdict::NotAssessed;
            v.message = why.clone();
        }
        (_, Some(failure)) => v.message = failure.clone(),
        (Some(Outcome::NotMet(f)), None) => {
            v.verdict = Verdict::Fail;
            v.message = f.message.clone();
        }
        (None, None) if !steps.finished => v.message = "the scenario did not finish".into(),
        (None, None) if report.findings.is_empty() => {
            v.message = "the scenario made no check, so nothing can be concluded".into()
        }
        (None, None) => {
            v.verdict = Verdict::Pass;
            v.message = report
                .findings
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
        }
    }
    v
}

/// Why requirements were not run (per requirement ID), decided before the run.
pub type NotRun = BTreeMap<String, String>;

/// One result per catalogued requirement of the suites run.
pub fn results(
    catalogue: &Catalogue,
    suites: &Suites,
    run_suites: &[String],
    scenarios: &[ScenarioVerdict],
    not_run: &NotRun,
    reproduce: &dyn Fn(&Requirement) -> String,
) -> Vec<RequirementResult> {
    let mut out = Vec::new();
    for req in &catalogue.requirements {
        let Some(suite) = suites.suite_of(&req.id) else {
            continue;
        };
        if !run_suites.iter().any(|s| s == suite) {
            continue;
        }
        let mine: Vec<&ScenarioVerdict> = scenarios
            .iter()
            .filter(|s| s.req_ids.contains(&req.id))
            .collect();
        let mut r = RequirementResult {
            id: req.id.clone(),
            suite: suite.to_string(),
            level: req.level,
            spec: req.spec.clone(),
            text: req.text.clone(),
            impact: req.impact.clone(),
            fix: req.fix.clone(),
            verdict: Verdict::NotAssessed,
            tier: Tier::Automatic,
            message: String::new(),
            expected: None,
            observed: None,
            evidence: vec![],
            reproduce: reproduce(req),
            cert_ref: req.cert_ref.clone(),
            scenarios: mine.iter().map(|s| s.name.clone()).collect(),
            profiles: req.profiles.clone(),
        };
        if let Some(why) = &req.untested {
            r.message = format!("not tested yet: {why}");
        } else if let Some(why) = not_run.get(&req.id) {
            r.message = why.clone();
        } else if mine.is_empty() {
            r.verdict = Verdict::Error;
            r.message = "no scenario checked this requirement".into();
        } else {
            let graded = |s: &ScenarioVerdict| match s.verdict {
                Verdict::Fail => Verdict::for_unmet(req.level),
                other => other,
            };
            let worst = mine.iter().min_by_key(|s| graded(s)).expect("non-empty");
            r.verdict = graded(worst);
            r.message = worst.message.clone();
            r.expected = worst.expected.clone();
            r.observed = worst.observed.clone();
            for s in &mine {
                r.evidence.extend(s.evidence.iter().cloned());
            }
            if r.evidence.len() > MAX_EVIDENCE {
                let dropped = r.evidence.len() - MAX_EVIDENCE;
                r.evidence.truncate(MAX_EVIDENCE);
                r.evidence.push(Evidence::Note {
                    text: format!("{dropped} more evidence items were left out"),
                });
            }
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plugfest_core::Finding;

    fn steps(failure: Option<&str>) -> StepsOutcome {
        StepsOutcome {
            name: "s".into(),
            tags: vec!["req:A-1".into()],
            failure: failure.map(str::to_string),
            finished: true,
        }
    }

    fn report(findings: Vec<Finding>, outcome: Option<Outcome>) -> ScenarioReport {
        ScenarioReport {
            findings,
            outcome,
            ..Default::default()
        }
    }

    #[test]
    fn a_scenario_passes_only_with_a_met_check() {
        let met = Finding::met("c", "ok");
        assert_eq!(
            judge(&steps(None), Some(&report(vec![met], None))).verdict,
            Verdict::Pass
        );
        assert_eq!(
            judge(&steps(None), Some(&report(vec![], None))).verdict,
            Verdict::Error
        );
        assert_eq!(judge(&steps(None), None).verdict, Verdict::Error);
    }

    #[test]
    fn unmatched_steps_and_harness_errors_are_errors_and_unmet_checks_fail() {
        let j = judge(
            &steps(Some("step `Then x`: no step definition matches this step")),
            None,
        );
        assert_eq!(j.verdict, Verdict::Error);
        assert!(j.message.contains("no step definition"));
        let not_met = Finding::not_met("c", "bad", "a", "b");
        let j = judge(
            &steps(Some("bad")),
            Some(&report(
                vec![not_met.clone()],
                Some(Outcome::NotMet(not_met)),
            )),
        );
        assert_eq!(
            (j.verdict, j.expected.as_deref()),
            (Verdict::Fail, Some("a"))
        );
        let j = judge(
            &steps(Some("x")),
            Some(&report(vec![], Some(Outcome::Error("unreachable".into())))),
        );
        assert_eq!(
            (j.verdict, j.message.as_str()),
            (Verdict::Error, "unreachable")
        );
        let na = Some(Outcome::NotApplicable("no key set".into()));
        let j = judge(&steps(Some("no key set")), Some(&report(vec![], na)));
        assert_eq!(j.verdict, Verdict::NotApplicable);
    }
}
