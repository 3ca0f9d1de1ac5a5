//! The schema bundle: a folder of official XSDs with an OASIS `catalog.xml` (DESIGN §8), where to
//! find it, and how a schema's bundle-relative path is checked.

use std::path::{Component, Path, PathBuf};

/// Environment variable naming the schema bundle folder (after `--schemas DIR`).
pub const SCHEMAS_ENV: &str = "PLUGFEST_SCHEMAS";
/// The bundle's XML catalog, at its root; its relative paths are relative to the root.
const CATALOG: &str = "catalog.xml";

/// Why a folder is not a usable schema bundle.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The folder does not exist or cannot be read.
    #[error("schema bundle {path}: {source}")]
    Io {
        /// The folder given.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The path exists but is not a folder.
    #[error("schema bundle {0} is not a directory")]
    NotADirectory(PathBuf),
    /// The folder has no `catalog.xml`, so official URLs could not resolve locally.
    #[error(
        "schema bundle {0} has no catalog.xml (an OASIS XML catalog mapping official schema URLs to its files)"
    )]
    NoCatalog(PathBuf),
}

/// A schema folder with its `catalog.xml`; schemas in it are named by their path relative to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaBundle {
    root: PathBuf,
}

impl SchemaBundle {
    /// Opens the bundle at `root` (made absolute), which must hold `catalog.xml`.
    pub fn open(root: &Path) -> Result<Self, BundleError> {
        let root = std::fs::canonicalize(root).map_err(|source| BundleError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        if !root.is_dir() {
            return Err(BundleError::NotADirectory(root));
        }
        if !root.join(CATALOG).is_file() {
            return Err(BundleError::NoCatalog(root));
        }
        Ok(SchemaBundle { root })
    }

    /// Where the bundle should be: `explicit` (`--schemas DIR`), else `$PLUGFEST_SCHEMAS`, else
    /// `schemas/` in the user data folder when that exists. The first two are returned unchecked
    /// so that [`open`](Self::open) reports what is wrong with a folder the user named.
    pub fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
        if let Some(dir) = explicit {
            return Some(dir.to_path_buf());
        }
        if let Some(dir) = std::env::var_os(SCHEMAS_ENV).filter(|v| !v.is_empty()) {
            return Some(PathBuf::from(dir));
        }
        plugfest_core::data_dir::data_dir()
            .map(|d| d.join("schemas"))
            .filter(|d| d.is_dir())
    }

    /// The bundle's absolute root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bundle's `catalog.xml`.
    pub fn catalog(&self) -> PathBuf {
        self.root.join(CATALOG)
    }

    /// Whether `schema` (a bundle-relative path) names a file in the bundle.
    pub fn contains(&self, schema: &str) -> bool {
        self.schema_file(schema).is_some()
    }

    /// The file a bundle-relative schema path names, if it is a plain relative path (no `..`, not
    /// absolute) to an existing file.
    pub(crate) fn schema_file(&self, schema: &str) -> Option<PathBuf> {
        let key = schema_key(schema)?;
        let path = self.root.join(key);
        path.is_file().then_some(path)
    }
}

/// The canonical form of a bundle-relative schema path (`/`-separated, no `.` parts), or `None`
/// when it is empty, absolute, climbs with `..` or holds a NUL. Two spellings of one file share
/// a key, so they share a worker and a compiled schema.
pub(crate) fn schema_key(schema: &str) -> Option<String> {
    if schema.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for c in Path::new(schema).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::schema_key;

    #[test]
    fn schema_keys_are_plain_relative_paths() {
        assert_eq!(schema_key("a/b.xsd").as_deref(), Some("a/b.xsd"));
        assert_eq!(schema_key("./a//b.xsd").as_deref(), Some("a/b.xsd"));
        assert_eq!(schema_key("../a.xsd"), None);
        assert_eq!(schema_key("a/../../b.xsd"), None);
        assert_eq!(schema_key("/etc/passwd"), None);
        assert_eq!(schema_key(""), None);
        assert_eq!(schema_key("."), None);
        assert_eq!(schema_key("a\0b"), None);
    }
}
