//! What a package check reports: the rule (its requirement ID), where, and what is wrong.

use std::fmt;

/// Where a finding points: `pkg.zip!/items/q1.xml:12:5`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The input as the user named it (a zip, a folder or a file).
    pub input: String,
    /// The file inside a zip or folder (forward slashes), if any.
    pub path: Option<String>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
}

impl Location {
    /// The input itself.
    pub fn input(input: &str) -> Location {
        Location {
            input: input.to_string(),
            path: None,
            line: None,
            column: None,
        }
    }

    /// A file of the input.
    pub fn file(input: &str, path: &str) -> Location {
        Location {
            path: Some(path.to_string()),
            ..Location::input(input)
        }
    }

    /// A position in that file.
    pub fn at(mut self, line: u32, column: u32) -> Location {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.input)?;
        if let Some(p) = &self.path {
            write!(f, "!/{p}")?;
        }
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// One rule broken at one place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The requirement ID of the rule (`QTI21-ITEM-003`, `PKG-ZIP-002`, …).
    pub rule: String,
    /// Where.
    pub location: Location,
    /// What is wrong, in one line.
    pub message: String,
}
