//! Verdicts (DESIGN §4), requirement levels and observation tiers.

use serde::{Deserialize, Serialize};

/// How a requirement came out, worst first: the derived order is the order of DESIGN §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The harness could not decide (timeout, unreachable, unmatched step, failed calibration).
    Error,
    /// A MUST is violated.
    Fail,
    /// A SHOULD is violated, or a known interoperability risk.
    Warn,
    /// A person must judge.
    Manual,
    /// The requirement is met.
    Pass,
    /// The product does not offer this optional feature.
    NotApplicable,
    /// Catalogued but not checked in this run (untested, filtered out, or an input is missing).
    NotAssessed,
}

impl Verdict {
    /// The kebab-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Error => "error",
            Verdict::Fail => "fail",
            Verdict::Warn => "warn",
            Verdict::Manual => "manual",
            Verdict::Pass => "pass",
            Verdict::NotApplicable => "not-applicable",
            Verdict::NotAssessed => "not-assessed",
        }
    }

    /// Every verdict, worst first.
    pub const ALL: [Verdict; 7] = [
        Verdict::Error,
        Verdict::Fail,
        Verdict::Warn,
        Verdict::Manual,
        Verdict::Pass,
        Verdict::NotApplicable,
        Verdict::NotAssessed,
    ];

    /// The verdict of a requirement whose check was not met at this level
    /// (MUST → fail, SHOULD → warn; a MAY is never held against a product: not-applicable).
    pub fn for_unmet(level: Level) -> Verdict {
        match level {
            Level::Must => Verdict::Fail,
            Level::Should => Verdict::Warn,
            Level::May => Verdict::NotApplicable,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RFC 2119 level of a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// MUST / SHALL / REQUIRED.
    Must,
    /// SHOULD / RECOMMENDED.
    Should,
    /// MAY / OPTIONAL.
    May,
}

impl Level {
    /// Upper-case keyword, as in the catalogue.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
        }
    }

    /// The lower-case scenario tag (`must`, `should`, `may`).
    pub fn tag(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
            Level::May => "may",
        }
    }
}

/// How a result was observed (DESIGN §4), from the least to the most human involvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// Plugfest alone.
    Automatic,
    /// Through a trigger URL or hook the vendor exposes.
    VendorHook,
    /// A headless browser drove the product's UI.
    Browser,
    /// A person confirmed it.
    Attested,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_order_worst_first() {
        let mut v = Verdict::ALL.to_vec();
        v.reverse();
        v.sort();
        assert_eq!(v, Verdict::ALL.to_vec());
        assert!(Verdict::Error < Verdict::Fail && Verdict::Pass < Verdict::NotAssessed);
    }

    #[test]
    fn unmet_checks_grade_by_level() {
        assert_eq!(Verdict::for_unmet(Level::Must), Verdict::Fail);
        assert_eq!(Verdict::for_unmet(Level::Should), Verdict::Warn);
        assert_eq!(Verdict::for_unmet(Level::May), Verdict::NotApplicable);
    }
}
