//! The feature files, catalogues, spec index, suites and profiles a run uses: embedded in the
//! binary, or read from a folder (`--features DIR`, which marks the run custom).

use plugfest_core::catalogue::CatalogueError;
use plugfest_core::{Catalogue, SpecIndex, Suites};
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_features.rs"));
}

/// Text files of a `features/` tree, by path relative to it.
#[derive(Debug, Clone)]
pub struct FeatureSet {
    /// `lti13/tool/oidc_login.feature` → contents.
    pub files: BTreeMap<String, String>,
    /// Read from disk rather than embedded.
    pub custom: bool,
}

impl FeatureSet {
    /// The set compiled into this binary.
    pub fn embedded() -> FeatureSet {
        FeatureSet {
            files: embedded::FILES
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            custom: false,
        }
    }

    /// Every `.feature` and `.toml` file under `dir`.
    pub fn from_dir(dir: &Path) -> std::io::Result<FeatureSet> {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d)? {
                let p = e?.path();
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(
                    p.extension().and_then(|x| x.to_str()),
                    Some("feature" | "toml")
                ) {
                    let rel = p
                        .strip_prefix(dir)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.insert(rel, std::fs::read_to_string(&p)?);
                }
            }
        }
        Ok(FeatureSet {
            files,
            custom: true,
        })
    }

    fn file(&self, name: &str) -> Result<&str, CatalogueError> {
        self.files
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| CatalogueError::Parse {
                file: format!("features/{name}"),
                message: "the file is missing".into(),
            })
    }

    /// `specs.toml`.
    pub fn specs(&self) -> Result<SpecIndex, CatalogueError> {
        SpecIndex::parse("features/specs.toml", self.file("specs.toml")?)
    }

    /// `suites.toml` and `profiles.toml`.
    pub fn suites(&self) -> Result<Suites, CatalogueError> {
        Suites::parse(self.file("suites.toml")?, self.file("profiles.toml")?)
    }

    /// The merged catalogues of `suites` (every suite when empty).
    pub fn catalogue(&self, suites: &Suites, only: &[String]) -> Result<Catalogue, CatalogueError> {
        let specs = self.specs()?;
        let mut all = Catalogue::default();
        let mut seen = Vec::new();
        for (name, suite) in &suites.suites {
            if !only.is_empty() && !only.contains(name) {
                continue;
            }
            for cat in &suite.catalogues {
                if seen.contains(cat) {
                    continue;
                }
                seen.push(cat.clone());
                let file = format!("features/{cat}");
                let parsed = Catalogue::parse(&file, self.file(cat)?, &specs)?;
                all.merge(&file, parsed)?;
            }
        }
        Ok(all)
    }

    /// Feature files in a suite's folders, sorted by path.
    pub fn feature_files(&self, folders: &[String]) -> Vec<(&str, &str)> {
        self.files
            .iter()
            .filter(|(k, _)| k.ends_with(".feature"))
            .filter(|(k, _)| {
                folders
                    .iter()
                    .any(|f| k.starts_with(&format!("{}/", f.trim_end_matches('/'))))
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// SHA-256 over the files matching `pred` (catalogues, or features).
    pub fn digest(&self, pred: impl Fn(&str) -> bool) -> String {
        plugfest_core::digest::sha256_of_parts(
            self.files
                .iter()
                .filter(|(k, _)| pred(k))
                .map(|(k, v)| (k.as_str(), v.as_bytes())),
        )
    }
}
