//! The requirement catalogue (`features/<standard>/catalogue.toml`) and the spec index
//! (`features/specs.toml`), DESIGN §4.

use crate::verdict::Level;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Pattern every requirement ID matches (DESIGN §4).
pub const ID_PATTERN: &str = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$";

/// One catalogued requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Stable ID, e.g. `LTI13-TOOL-SEC-001`.
    pub id: String,
    /// MUST, SHOULD or MAY.
    pub level: Level,
    /// `<doc key>#<section>`, the doc key defined in `features/specs.toml`.
    pub spec: String,
    /// One plain sentence for a non-technical reader.
    pub text: String,
    /// What goes wrong for a district when this fails.
    pub impact: String,
    /// What the vendor must change, naming the spec section: one plain sentence.
    pub fix: String,
    /// The 1EdTech certification test this corresponds to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_ref: Option<String>,
    /// Why no check exists yet; the requirement is then `not-assessed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untested: Option<String>,
    /// `scenario` (default) or `rule` (checked by Rust rules, not scenarios).
    #[serde(default = "default_check")]
    pub check: String,
    /// Profiles this requirement belongs to.
    #[serde(default)]
    pub profiles: Vec<String>,
}

fn default_check() -> String {
    "scenario".to_string()
}

impl Requirement {
    /// The document key of `spec`.
    pub fn spec_doc(&self) -> &str {
        self.spec
            .split_once('#')
            .map_or(self.spec.as_str(), |(d, _)| d)
    }

    /// The section of `spec` (after `#`).
    pub fn spec_section(&self) -> &str {
        self.spec.split_once('#').map_or("", |(_, s)| s)
    }

    /// True for a certification-guide reading of a conflicting pair (DESIGN §4).
    pub fn is_cert_reading(&self) -> bool {
        self.id.ends_with("-CERT")
    }
}

/// Errors in a catalogue or spec index; each names the file and the requirement.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The TOML did not parse or a field is missing or of the wrong type.
    #[error("{file}: {message}")]
    Parse {
        /// The catalogue file.
        file: String,
        /// The parser's message, with line and key.
        message: String,
    },
    /// A rule of DESIGN §4 is broken.
    #[error("{file}: requirement {id}: {problem}")]
    Invalid {
        /// The catalogue file.
        file: String,
        /// The requirement ID.
        id: String,
        /// What is wrong and how to fix it.
        problem: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    requirement: Vec<Requirement>,
}

/// All requirements of one or more catalogue files, in file order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Catalogue {
    /// The requirements.
    pub requirements: Vec<Requirement>,
}

impl Catalogue {
    /// Parse one catalogue file and check it against the spec index.
    pub fn parse(file: &str, text: &str, specs: &SpecIndex) -> Result<Catalogue, CatalogueError> {
        let parsed: CatalogueFile = toml::from_str(text).map_err(|e| CatalogueError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let id_re = regex::Regex::new(ID_PATTERN).expect("static pattern");
        let mut seen = HashSet::new();
        for r in &parsed.requirement {
            let invalid = |problem: String| CatalogueError::Invalid {
                file: file.to_string(),
                id: r.id.clone(),
                problem,
            };
            if !id_re.is_match(&r.id) {
                return Err(invalid(format!("the ID does not match {ID_PATTERN}")));
            }
            if !seen.insert(r.id.clone()) {
                return Err(invalid("the ID appears twice; each ID appears once".into()));
            }
            if !specs.docs.contains_key(r.spec_doc()) || r.spec_section().is_empty() {
                return Err(invalid(format!(
                    "spec `{}` must be `<doc>#<section>` with a doc key from features/specs.toml",
                    r.spec
                )));
            }
            if r.text.trim().is_empty() || r.impact.trim().is_empty() || r.fix.trim().is_empty() {
                return Err(invalid(
                    "`text`, `impact` and `fix` must not be empty".into(),
                ));
            }
            if r.check != "scenario" && r.check != "rule" {
                return Err(invalid(format!(
                    "check `{}` must be `scenario` or `rule`",
                    r.check
                )));
            }
            if r.is_cert_reading() && r.level == Level::Must {
                return Err(invalid(
                    "a -CERT reading of a conflict is SHOULD (DESIGN §4)".into(),
                ));
            }
        }
        Ok(Catalogue {
            requirements: parsed.requirement,
        })
    }

    /// Append another catalogue, refusing IDs already present.
    pub fn merge(&mut self, file: &str, other: Catalogue) -> Result<(), CatalogueError> {
        for r in other.requirements {
            if self.get(&r.id).is_some() {
                return Err(CatalogueError::Invalid {
                    file: file.to_string(),
                    id: r.id,
                    problem: "the ID is already defined in another catalogue".into(),
                });
            }
            self.requirements.push(r);
        }
        Ok(())
    }

    /// Look a requirement up by ID.
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }
}

/// A specification document named by a key in `features/specs.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecDoc {
    /// Full title.
    pub title: String,
    /// Official URL.
    pub url: String,
}

/// `features/specs.toml`: document keys → titles and URLs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecIndex {
    /// The documents by key.
    pub docs: BTreeMap<String, SpecDoc>,
}

impl SpecIndex {
    /// Parse `features/specs.toml`.
    pub fn parse(file: &str, text: &str) -> Result<SpecIndex, CatalogueError> {
        toml::from_str(text).map_err(|e| CatalogueError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> SpecIndex {
        SpecIndex::parse(
            "specs.toml",
            "[docs.d]\ntitle = \"D\"\nurl = \"https://d.example/\"\n",
        )
        .unwrap()
    }

    fn one(id: &str, level: &str, spec: &str) -> String {
        format!(
            "[[requirement]]\nid = \"{id}\"\nlevel = \"{level}\"\nspec = \"{spec}\"\ntext = \"t\"\nimpact = \"i\"\nfix = \"f\"\n"
        )
    }

    #[test]
    fn a_well_formed_catalogue_parses() {
        let c = Catalogue::parse(
            "c.toml",
            &one("LTI13-TOOL-SEC-001", "MUST", "d#5.1"),
            &specs(),
        )
        .unwrap();
        assert_eq!(c.requirements[0].spec_section(), "5.1");
    }

    #[test]
    fn bad_ids_repeats_unknown_docs_and_missing_fields_are_refused() {
        let s = specs();
        for (text, needle) in [
            (one("lti13-x", "MUST", "d#1"), "does not match"),
            (
                format!("{}{}", one("A-1", "MUST", "d#1"), one("A-1", "MUST", "d#1")),
                "twice",
            ),
            (one("A-1", "MUST", "nope#1"), "doc key"),
            (one("A-1", "MUST", "d"), "doc key"),
            (one("A-1-CERT", "MUST", "d#1"), "SHOULD"),
            (
                "[[requirement]]\nid = \"A-1\"\n".to_string(),
                "missing field",
            ),
            (
                one("A-1", "MUST", "d#1").replace("fix = \"f\"", "fix = \" \""),
                "`fix` must not be empty",
            ),
        ] {
            let err = Catalogue::parse("c.toml", &text, &s)
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{err} should mention {needle}");
            assert!(err.starts_with("c.toml"), "{err} should name the file");
        }
    }
}
