//! Suites (`features/suites.toml`: a product role → feature folders and catalogues) and profiles
//! (`features/profiles.toml`: what a product claims), DESIGN §3–§4.

use crate::catalogue::CatalogueError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One suite: a role a product can play, e.g. `lti13-tool`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteDef {
    /// Human title ("LTI 1.3 tool").
    pub title: String,
    /// Feature folders, relative to `features/`.
    pub folders: Vec<String>,
    /// Catalogue files, relative to `features/`.
    pub catalogues: Vec<String>,
    /// Requirement ID prefixes that belong to this suite.
    pub id_prefixes: Vec<String>,
}

/// A named set of requirements a product claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Title a procurement officer reads ("LTI 1.3 Core — tool").
    pub title: String,
    /// The suite whose requirements it draws on.
    pub suite: String,
}

/// `features/suites.toml` and `features/profiles.toml` together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suites {
    /// Suites by name.
    pub suites: BTreeMap<String, SuiteDef>,
    /// Profiles by name.
    pub profiles: BTreeMap<String, Profile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuitesFile {
    suite: BTreeMap<String, SuiteDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfilesFile {
    profile: BTreeMap<String, Profile>,
}

impl Suites {
    /// Parse both files; every profile must name a known suite.
    pub fn parse(suites_toml: &str, profiles_toml: &str) -> Result<Suites, CatalogueError> {
        let parse_err = |file: &str, e: toml::de::Error| CatalogueError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        };
        let s: SuitesFile =
            toml::from_str(suites_toml).map_err(|e| parse_err("features/suites.toml", e))?;
        let p: ProfilesFile =
            toml::from_str(profiles_toml).map_err(|e| parse_err("features/profiles.toml", e))?;
        for (name, profile) in &p.profile {
            if !s.suite.contains_key(&profile.suite) {
                return Err(CatalogueError::Invalid {
                    file: "features/profiles.toml".into(),
                    id: name.clone(),
                    problem: format!("names unknown suite `{}`", profile.suite),
                });
            }
        }
        Ok(Suites {
            suites: s.suite,
            profiles: p.profile,
        })
    }

    /// The suite a requirement ID belongs to, by the longest matching prefix.
    pub fn suite_of(&self, id: &str) -> Option<&str> {
        self.suites
            .iter()
            .flat_map(|(name, s)| s.id_prefixes.iter().map(move |p| (name, p)))
            .filter(|(_, p)| id.starts_with(&format!("{p}-")))
            .max_by_key(|(_, p)| p.len())
            .map(|(name, _)| name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_map_to_suites_by_longest_prefix() {
        let s = Suites::parse(
            "[suite.a]\ntitle='A'\nfolders=['a']\ncatalogues=['a.toml']\nid_prefixes=['LTI13']\n\
             [suite.b]\ntitle='B'\nfolders=['b']\ncatalogues=['b.toml']\nid_prefixes=['LTI13-TOOL']\n",
            "[profile.p]\ntitle='P'\nsuite='b'\n",
        )
        .unwrap();
        assert_eq!(s.suite_of("LTI13-TOOL-SEC-001"), Some("b"));
        assert_eq!(s.suite_of("LTI13-PLAT-1"), Some("a"));
        assert_eq!(s.suite_of("OR12-1"), None);
    }

    #[test]
    fn a_profile_of_an_unknown_suite_is_refused() {
        let err = Suites::parse("[suite]\n", "[profile.p]\ntitle='P'\nsuite='zz'\n").unwrap_err();
        assert!(err.to_string().contains("unknown suite `zz`"));
    }
}
