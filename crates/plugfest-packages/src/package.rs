//! A package as the checks see it: its files by relative path, whatever it came from (a zip, a
//! folder, a single XML file). Reading zips safely lives in [`crate::input`].

use std::collections::BTreeMap;

/// The files of one input, by normalised relative path (forward slashes, no `./`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    /// The input as the user named it, used in every [`crate::Location`].
    pub name: String,
    /// File contents by path. Of a zip or folder, only XML files keep their bytes; any other
    /// file is present by name with empty contents (no check reads media).
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Package {
    /// A package from (path, bytes) pairs already read and checked.
    pub fn from_files(name: &str, files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Package {
        Package {
            name: name.to_string(),
            files: files.into_iter().collect(),
        }
    }

    /// True when the package holds `path` (a file, not a folder).
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}
