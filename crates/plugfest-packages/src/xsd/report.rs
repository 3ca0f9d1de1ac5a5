//! What a validation says: [`XsdReport`] and its [`XsdMessage`]s, or an [`XsdError`] when there
//! was nothing to validate against (or nothing to validate).

use std::fmt;

/// How serious a libxml2 diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum XsdLevel {
    /// Worth reading; does not make the document invalid.
    Warning,
    /// The document breaks the schema (or a namespace rule).
    Error,
    /// libxml2 stopped: not well-formed, or it could not go on.
    Fatal,
}

impl fmt::Display for XsdLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            XsdLevel::Warning => "warning",
            XsdLevel::Error => "error",
            XsdLevel::Fatal => "fatal",
        })
    }
}

/// One diagnostic, as libxml2 reported it (the text trimmed), with its position when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XsdMessage {
    /// 1-based line in the document (or schema file, for compile errors). libxml2 caps element
    /// lines at 65535.
    pub line: Option<u32>,
    /// 1-based column; libxml2 gives one for parse errors, rarely for validity errors.
    pub column: Option<u32>,
    /// Warning, error or fatal.
    pub level: XsdLevel,
    /// libxml2's message, e.g. "Element '{…}imsx_POXBody': This element is not expected. …".
    pub text: String,
}

impl XsdMessage {
    /// A message Plugfest itself adds (no position).
    pub(crate) fn plain(level: XsdLevel, text: impl Into<String>) -> Self {
        XsdMessage {
            line: None,
            column: None,
            level,
            text: text.into(),
        }
    }
}

impl fmt::Display for XsdMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: ")?,
            (Some(l), None) => write!(f, "line {l}: ")?,
            _ => {}
        }
        write!(f, "{}: {}", self.level, self.text)
    }
}

/// The outcome of validating one well-formed document against one schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XsdReport {
    /// Every diagnostic, in the order libxml2 raised them (parse warnings first); capped, with a
    /// last message saying how many were left out.
    pub messages: Vec<XsdMessage>,
}

impl XsdReport {
    /// True when no message is an error or fatal (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.messages.iter().all(|m| m.level == XsdLevel::Warning)
    }

    /// The error and fatal messages only.
    pub fn errors(&self) -> impl Iterator<Item = &XsdMessage> {
        self.messages
            .iter()
            .filter(|m| m.level != XsdLevel::Warning)
    }
}

/// Why a document could not be judged against its schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XsdError {
    /// The schema path names no file in the bundle (a report says `not-assessed`).
    #[error("schema not in bundle: {schema}")]
    SchemaMissing {
        /// The path asked for, relative to the bundle root.
        schema: String,
    },
    /// The schema set does not compile, e.g. an import the catalog does not map to a local file.
    #[error("schema {schema} does not compile: {}", summary(messages))]
    SchemaCompile {
        /// The path asked for, relative to the bundle root.
        schema: String,
        /// What libxml2 (and the no-network loader) said.
        messages: Vec<XsdMessage>,
    },
    /// The document is not (namespace-)well-formed XML; nothing was validated.
    #[error("document is not well-formed XML: {}", summary(messages))]
    NotWellFormed {
        /// The parser's diagnostics, with line and column.
        messages: Vec<XsdMessage>,
    },
    /// The document is larger than the pool's cap; it was not parsed.
    #[error("document is {size} bytes, over the {limit}-byte cap")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The cap in bytes.
        limit: usize,
    },
    /// The worker that owns the schema is gone (pool dropped, or the worker died).
    #[error("XSD worker pool is closed")]
    PoolClosed,
    /// A bug in Plugfest or the libxml bindings surfaced as a panic on the worker; the worker
    /// dropped that schema and carries on.
    #[error("internal error in the XSD worker: {0}")]
    Internal(String),
}

/// The first error-level message (else the first message) and how many more there are.
fn summary(messages: &[XsdMessage]) -> String {
    let first = messages
        .iter()
        .find(|m| m.level != XsdLevel::Warning)
        .or(messages.first());
    match first {
        None => "no diagnostic".to_owned(),
        Some(m) if messages.len() > 1 => format!("{m} (and {} more)", messages.len() - 1),
        Some(m) => m.to_string(),
    }
}
