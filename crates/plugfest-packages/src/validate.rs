//! The orchestrator behind `plugfest validate`: open an input safely ([`crate::input`]), parse its
//! XML (DTD entity declarations refused, node count bounded), recognise each document
//! ([`crate::detect`]), validate each against its official XSD on the [`XsdPool`] (every
//! document of a version goes to that version's worker, so versions compile in parallel), and
//! run the rules beyond XSD ([`crate::rules::run_all`]). Everything wrong with the product is a
//! [`Finding`]; what could not be judged is recorded as such (`not-assessed` with a reason),
//! never a finding and never a panic.

use crate::detect::{self, is_xml_name};
use crate::doc::{DocKind, Role, Standard};
use crate::finding::{Finding, Location};
use crate::input::{self, InputKind, Limits, OpenError, Opened};
use crate::manifest;
use crate::package::Package;
use crate::rules::cp::{Href, MANIFEST, dir_of, resolve_href};
use crate::rules::pkg::{PKG_XML_001, PKG_XML_002};
use crate::rules::{self, Ctx, Doc};
use crate::xsd::{XsdError, XsdLevel, XsdMessage, XsdPool};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How inputs are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Caps on entries, sizes, compression ratio and XML nodes.
    pub limits: Limits,
}

/// Validates inputs; cheap to share (`&self` everywhere), one per process with one pool.
#[derive(Debug, Clone)]
pub struct Validator {
    pool: Option<Arc<XsdPool>>,
    options: Options,
}

/// Why a document's XSD check has no verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAssessed {
    /// The bundle has no schema for this kind of document (CC 1.0, CC 1.2, IWB, …).
    SchemaNotInBundle,
    /// No schema bundle was given: the caller decides between `error` and `not-assessed`.
    XsdUnavailable,
    /// The schema set does not compile (a bundle problem, not the document's), with libxml2's
    /// first message.
    SchemaDoesNotCompile(String),
    /// The document is not well-formed XML (a `PKG-XML-…` finding says why).
    NotWellFormed,
    /// The document could not be handed to libxml2 (too large, a worker failure).
    Unavailable(String),
}

impl fmt::Display for NotAssessed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAssessed::SchemaNotInBundle => f.write_str("schema not in bundle"),
            NotAssessed::XsdUnavailable => f.write_str("no schema bundle"),
            NotAssessed::SchemaDoesNotCompile(m) => write!(f, "schema does not compile: {m}"),
            NotAssessed::NotWellFormed => f.write_str("not well-formed XML"),
            NotAssessed::Unavailable(m) => f.write_str(m),
        }
    }
}

/// The XSD check of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XsdOutcome {
    /// Valid against `schema` (bundle-relative path).
    Valid {
        /// The schema used.
        schema: String,
    },
    /// Invalid: `errors` libxml2 errors, each a `<PREFIX>-XSD-001` finding.
    Invalid {
        /// The schema used.
        schema: String,
        /// How many error-level messages.
        errors: usize,
    },
    /// No verdict, with the schema that would apply (when one does) and why.
    NotAssessed {
        /// The schema the document needs, when the bundle routing names one.
        schema: Option<String>,
        /// Why there is no verdict.
        reason: NotAssessed,
    },
    /// Not a document of a standard Plugfest checks (Canvas sidecars, HTML, metadata…):
    /// "not checked".
    NotChecked,
}

/// One XML document of the input and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReport {
    /// Its path in the package.
    pub path: String,
    /// What it was recognised as (for a document that did not parse: `Other`, with why).
    pub kind: DocKind,
    /// Whether it parsed.
    pub well_formed: bool,
    /// Its XSD check.
    pub xsd: XsdOutcome,
}

/// Everything `validate` learned about one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputReport {
    /// The input as the user named it.
    pub input: String,
    /// Zip, folder or single file; `None` when it could not be opened.
    pub kind: Option<InputKind>,
    /// For a single file: its path in the package (its file name).
    pub main: Option<String>,
    /// Why the input could not be opened at all (then nothing else was done: could not run).
    pub open_error: Option<String>,
    /// Every XML document, by path.
    pub documents: Vec<DocumentReport>,
    /// Every finding, sorted by location, then rule.
    pub findings: Vec<Finding>,
    /// True when some document needed an XSD check and no schema bundle was given.
    pub xsd_unavailable: bool,
    /// The root of the schema bundle used, when there was one.
    pub schema_set: Option<PathBuf>,
    /// Rule code that failed unexpectedly (a bug, reported rather than a panic).
    pub internal_errors: Vec<String>,
}

impl InputReport {
    fn unopened(input: &str, error: &OpenError) -> InputReport {
        InputReport {
            input: input.to_string(),
            kind: None,
            main: None,
            open_error: Some(error.to_string()),
            documents: Vec::new(),
            findings: Vec::new(),
            xsd_unavailable: false,
            schema_set: None,
            internal_errors: Vec::new(),
        }
    }

    /// The standards present (each document's, `Other` left out): which rules were applicable.
    pub fn standards(&self) -> BTreeSet<Standard> {
        self.documents
            .iter()
            .map(|d| d.kind.standard)
            .filter(|s| *s != Standard::Other)
            .collect()
    }

    /// The rule IDs of the findings.
    pub fn rules_broken(&self) -> BTreeSet<&str> {
        self.findings.iter().map(|f| f.rule.as_str()).collect()
    }

    /// The schemas (bundle paths) documents were validated against.
    pub fn schemas_used(&self) -> BTreeSet<&str> {
        self.documents
            .iter()
            .filter_map(|d| match &d.xsd {
                XsdOutcome::Valid { schema } | XsdOutcome::Invalid { schema, .. } => {
                    Some(schema.as_str())
                }
                _ => None,
            })
            .collect()
    }

    /// Where a finding points, as printed: `pkg.zip!/items/q1.xml:12:5` for zips and folders;
    /// for a single file its own path (`items/q1.xml:12:5`), and the files it references by
    /// their path beside it.
    pub fn display_location(&self, location: &Location) -> String {
        if self.kind == Some(InputKind::File)
            && location.input == self.input
            && let Some(path) = &location.path
        {
            let mut s = if Some(path) == self.main.as_ref() {
                self.input.clone()
            } else {
                let dir = Path::new(&self.input)
                    .parent()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if dir.is_empty() {
                    path.clone()
                } else {
                    format!("{dir}/{path}")
                }
            };
            if let Some(l) = location.line {
                s.push_str(&format!(":{l}"));
                if let Some(c) = location.column {
                    s.push_str(&format!(":{c}"));
                }
            }
            return s;
        }
        location.to_string()
    }
}

/// `LOCATION: LEVEL RULE-ID message`, one line per finding; `level_of` maps a rule ID to its
/// catalogue level (`MUST`, `SHOULD`, `MAY`; a caller without a catalogue may answer `?`).
pub fn format_text(report: &InputReport, level_of: impl Fn(&str) -> &str) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let message = f.message.replace(['\n', '\r'], " ");
        out.push_str(&format!(
            "{}: {} {} {}\n",
            report.display_location(&f.location),
            level_of(&f.rule),
            f.rule,
            message
        ));
    }
    out
}

/// The XSD rule ID for documents of `standard` (`<PREFIX>-XSD-001`).
pub fn xsd_rule(standard: Standard) -> &'static str {
    match standard {
        Standard::Qti20 => "QTI20-XSD-001",
        Standard::Qti21 => "QTI21-XSD-001",
        Standard::Qti22 => "QTI22-XSD-001",
        Standard::Qti30 => "QTI30-XSD-001",
        Standard::Qti12Cc | Standard::Cc11 => "CC11-XSD-001",
        Standard::Apip => "APIP-XSD-001",
        Standard::Cp => "CP-XSD-001",
        Standard::Cc10 => "CC10-XSD-001",
        Standard::Cc12 => "CC12-XSD-001",
        Standard::Cc13 => "CC13-XSD-001",
        Standard::Cc14 => "CC14-XSD-001",
        Standard::Iwb => "IWB-XSD-001",
        Standard::Other => "PKG-XSD-001",
    }
}

/// What the blocking analysis hands back.
struct Analysis {
    documents: Vec<(String, DocKind, bool)>,
    findings: Vec<Finding>,
    internal_errors: Vec<String>,
}

impl Validator {
    /// A validator with `pool` for XSD checks (`None`: no bundle, every XSD check is recorded
    /// as unavailable and [`InputReport::xsd_unavailable`] set).
    pub fn new(pool: Option<Arc<XsdPool>>, options: Options) -> Validator {
        Validator { pool, options }
    }

    /// The pool, if any.
    pub fn pool(&self) -> Option<&Arc<XsdPool>> {
        self.pool.as_ref()
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Validates the zip, folder or file at `path`. Never panics; an input that cannot be
    /// opened at all comes back with [`InputReport::open_error`] set.
    pub async fn validate(&self, path: &Path) -> InputReport {
        let name = path.display().to_string();
        let limits = self.options.limits;
        let owned = path.to_path_buf();
        let opened = tokio::task::spawn_blocking(move || open_with_references(&owned, &limits))
            .await
            .unwrap_or_else(|e| {
                Err(OpenError {
                    path: name.clone(),
                    reason: format!("reading failed: {e}"),
                })
            });
        match opened {
            Ok(opened) => self.validate_opened(opened).await,
            Err(e) => InputReport::unopened(&name, &e),
        }
    }

    /// Validates zip bytes already in memory (a downloaded export), named `name` in findings.
    pub async fn validate_zip_bytes(&self, name: &str, bytes: Vec<u8>) -> InputReport {
        let limits = self.options.limits;
        let owned = name.to_string();
        let opened =
            tokio::task::spawn_blocking(move || input::open_zip_bytes(&owned, &bytes, &limits))
                .await;
        match opened {
            Ok(o) => self.validate_opened(o).await,
            Err(e) => InputReport::unopened(
                name,
                &OpenError {
                    path: name.to_string(),
                    reason: format!("reading failed: {e}"),
                },
            ),
        }
    }

    /// Validates an input already opened (see [`input::open`]).
    pub async fn validate_opened(&self, opened: Opened) -> InputReport {
        let Opened {
            package,
            findings: input_findings,
            kind,
            main,
        } = opened;
        let limits = self.options.limits;
        let package = Arc::new(package);
        let analysed = {
            let package = Arc::clone(&package);
            let main = main.clone();
            let had_input_findings = !input_findings.is_empty();
            tokio::task::spawn_blocking(move || {
                analyse(&package, kind, main.as_deref(), had_input_findings, &limits)
            })
            .await
        };
        let analysis = analysed.unwrap_or_else(|e| Analysis {
            documents: Vec::new(),
            findings: Vec::new(),
            internal_errors: vec![format!("analysis failed: {e}")],
        });

        // XSD: every document whose kind names a schema, concurrently (each schema's worker
        // takes its documents in turn; different schemas run in parallel).
        let mut xsd_unavailable = false;
        let mut outcomes: Vec<Option<XsdOutcome>> = vec![None; analysis.documents.len()];
        let mut findings = input_findings;
        findings.extend(analysis.findings);
        let mut jobs = tokio::task::JoinSet::new();
        for (i, (path, kind, well_formed)) in analysis.documents.iter().enumerate() {
            if !well_formed {
                outcomes[i] = Some(XsdOutcome::NotAssessed {
                    schema: None,
                    reason: NotAssessed::NotWellFormed,
                });
                continue;
            }
            if kind.standard == Standard::Other {
                outcomes[i] = Some(XsdOutcome::NotChecked);
                continue;
            }
            let Some(schema) = kind.schema else {
                outcomes[i] = Some(XsdOutcome::NotAssessed {
                    schema: None,
                    reason: NotAssessed::SchemaNotInBundle,
                });
                continue;
            };
            let Some(pool) = &self.pool else {
                xsd_unavailable = true;
                outcomes[i] = Some(XsdOutcome::NotAssessed {
                    schema: Some(schema.to_string()),
                    reason: NotAssessed::XsdUnavailable,
                });
                continue;
            };
            if !pool.bundle().contains(schema) {
                outcomes[i] = Some(XsdOutcome::NotAssessed {
                    schema: Some(schema.to_string()),
                    reason: NotAssessed::SchemaNotInBundle,
                });
                continue;
            }
            let bytes = package.files.get(path).cloned().unwrap_or_default();
            let pool = Arc::clone(pool);
            let name = path.clone();
            jobs.spawn(async move { (i, pool.validate_async(schema, bytes, &name).await) });
        }
        let input_name = package.name.clone();
        while let Some(joined) = jobs.join_next().await {
            let Ok((i, result)) = joined else {
                continue;
            };
            let (path, kind, _) = &analysis.documents[i];
            let schema = kind.schema.unwrap_or_default().to_string();
            outcomes[i] = Some(match result {
                Ok(report) => {
                    let rule = xsd_rule(kind.standard);
                    let mut errors = 0;
                    for m in report
                        .messages
                        .iter()
                        .filter(|m| m.level != XsdLevel::Warning)
                    {
                        errors += 1;
                        let message = format!("{} (schema {schema})", m.text);
                        findings.push(xsd_finding(rule, &input_name, path, m, message));
                    }
                    if errors == 0 {
                        XsdOutcome::Valid { schema }
                    } else {
                        XsdOutcome::Invalid { schema, errors }
                    }
                }
                Err(XsdError::NotWellFormed { messages }) => {
                    // roxmltree accepted it, libxml2 did not (namespace URI rules, say).
                    let rule = xsd_rule(kind.standard);
                    for m in &messages {
                        let message = format!("libxml2 cannot parse the document: {}", m.text);
                        findings.push(xsd_finding(rule, &input_name, path, m, message));
                    }
                    XsdOutcome::Invalid {
                        schema,
                        errors: messages.len().max(1),
                    }
                }
                Err(XsdError::SchemaMissing { .. }) => XsdOutcome::NotAssessed {
                    schema: Some(schema),
                    reason: NotAssessed::SchemaNotInBundle,
                },
                Err(e @ XsdError::SchemaCompile { .. }) => XsdOutcome::NotAssessed {
                    schema: Some(schema),
                    reason: NotAssessed::SchemaDoesNotCompile(e.to_string()),
                },
                Err(e) => XsdOutcome::NotAssessed {
                    schema: Some(schema),
                    reason: NotAssessed::Unavailable(e.to_string()),
                },
            });
        }

        let documents = analysis
            .documents
            .into_iter()
            .zip(outcomes)
            .map(|((path, kind, well_formed), xsd)| DocumentReport {
                path,
                kind,
                well_formed,
                xsd: xsd.unwrap_or(XsdOutcome::NotAssessed {
                    schema: None,
                    reason: NotAssessed::Unavailable("the XSD worker did not answer".into()),
                }),
            })
            .collect();
        sort_findings(&mut findings);
        InputReport {
            input: package.name.clone(),
            kind: Some(kind),
            main,
            open_error: None,
            documents,
            findings,
            xsd_unavailable,
            schema_set: self.pool.as_ref().map(|p| p.bundle().root().to_path_buf()),
            internal_errors: analysis.internal_errors,
        }
    }
}

/// Sorts by location, then rule, then message, and drops exact repeats.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (&a.location, &a.rule, &a.message).cmp(&(&b.location, &b.rule, &b.message))
    });
    findings.dedup();
}

/// Opens the input; for a single test document, also reads the items and sections it
/// references, from its own folder only (bounded by the same caps).
fn open_with_references(path: &Path, limits: &Limits) -> Result<Opened, OpenError> {
    let mut opened = input::open(path, limits)?;
    if opened.kind != InputKind::File {
        return Ok(opened);
    }
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut queue: Vec<String> = opened.main.iter().cloned().collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    while let Some(p) = queue.pop() {
        if !done.insert(p.clone()) || done.len() > limits.max_entries {
            continue;
        }
        let refs = match opened.package.files.get(&p) {
            Some(bytes) => references_of(&p, bytes, limits),
            None => continue,
        };
        if refs.is_empty() {
            continue;
        }
        input::add_referenced_files(&dir, &refs, limits, &mut opened);
        queue.extend(refs.into_iter().filter(|r| !done.contains(r)));
    }
    Ok(opened)
}

/// A finding of `rule` in the document `path` of `input`, at the line and column the libxml2
/// message `m` names (a column only with a line).
fn xsd_finding(rule: &str, input: &str, path: &str, m: &XsdMessage, message: String) -> Finding {
    let mut location = Location::file(input, path);
    location.line = m.line;
    location.column = m.line.and(m.column);
    Finding {
        rule: rule.to_string(),
        location,
        message,
    }
}

/// The package paths of the items and sections a test or section at `path` references (hrefs
/// that stay inside the package only).
fn references_of(path: &str, bytes: &[u8], limits: &Limits) -> Vec<String> {
    let Ok(text) = decode(bytes) else {
        return Vec::new();
    };
    let Ok(doc) = parse(&text, limits) else {
        return Vec::new();
    };
    let root = doc.root_element();
    if !matches!(
        root.tag_name().name(),
        "assessmentTest" | "assessmentSection" | "qti-assessment-test" | "qti-assessment-section"
    ) {
        return Vec::new();
    }
    let dir = dir_of(path);
    root.descendants()
        .filter(|n| {
            matches!(
                n.tag_name().name(),
                "assessmentItemRef"
                    | "assessmentSectionRef"
                    | "qti-assessment-item-ref"
                    | "qti-assessment-section-ref"
            )
        })
        .filter_map(|n| n.attribute("href"))
        .filter_map(|h| match resolve_href(dir, h) {
            Href::Local(p) if !p.is_empty() => Some(p),
            _ => None,
        })
        .collect()
}

/// Text of an XML file: UTF-8 (a BOM skipped), UTF-16 with a BOM, or ISO-8859-1 /
/// windows-1252 / US-ASCII when the declaration says so.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|e| format!("not valid UTF-8 after its byte-order mark: {e}"));
    }
    let utf16 = |le: bool, body: &[u8]| -> Result<Cow<'_, str>, String> {
        if !body.len().is_multiple_of(2) {
            return Err("UTF-16 text with an odd number of bytes".into());
        }
        let units = body.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(Cow::Owned)
            .map_err(|e| format!("not valid UTF-16: {e}"))
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(true, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(false, rest);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let head: String = bytes
                .iter()
                .take(200)
                .map(|&b| (b as char).to_ascii_lowercase())
                .collect();
            let single_byte = [
                "iso-8859-1",
                "latin1",
                "latin-1",
                "windows-1252",
                "us-ascii",
            ]
            .iter()
            .any(|enc| {
                head.contains(&format!("encoding=\"{enc}\""))
                    || head.contains(&format!("encoding='{enc}'"))
            });
            if single_byte && head.starts_with("<?xml") {
                Ok(Cow::Owned(bytes.iter().map(|&b| b as char).collect()))
            } else {
                Err(format!(
                    "not valid UTF-8 (byte {} is not) and no other encoding Plugfest reads is declared",
                    e.valid_up_to()
                ))
            }
        }
    }
}

/// True when `bytes` start (after a byte-order mark and white space) with `<`, in UTF-8 or
/// UTF-16.
fn looks_like_xml(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

/// Why a text was not parsed.
#[derive(Debug)]
enum ParseProblem {
    /// Declares entities: never expanded, so not read (`PKG-XML-002`).
    Entities,
    /// Not well-formed (`PKG-XML-001`), with the position when known.
    Malformed(String, Option<(u32, u32)>),
}

fn parse<'a>(text: &'a str, limits: &Limits) -> Result<roxmltree::Document<'a>, ParseProblem> {
    let declares_entities = text.contains("<!ENTITY");
    if declares_entities {
        return Err(ParseProblem::Entities);
    }
    let options = roxmltree::ParsingOptions {
        // A DOCTYPE is allowed when it declares no entities (checked above): external DTDs are
        // never fetched, and nothing can expand.
        allow_dtd: true,
        nodes_limit: limits.max_xml_nodes,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        let at = (pos.row > 0).then_some((pos.row, pos.col));
        let message = match e {
            roxmltree::Error::NodesLimitReached => format!(
                "the document has more than {} XML nodes, the cap; it was not read",
                limits.max_xml_nodes
            ),
            other => other.to_string(),
        };
        ParseProblem::Malformed(message, at)
    })
}

/// Parses every XML file, recognises it, and runs the rules. Runs on a blocking thread.
fn analyse(
    package: &Package,
    kind: InputKind,
    main: Option<&str>,
    had_input_findings: bool,
    limits: &Limits,
) -> Analysis {
    let mut findings = Vec::new();
    let mut documents: Vec<(String, DocKind, bool)> = Vec::new();

    // Texts first (they must outlive the parsed trees).
    let mut texts: Vec<(&str, Cow<'_, str>)> = Vec::new();
    for (path, bytes) in &package.files {
        // The file given alone is read as XML whatever its name, when it looks like XML.
        let wanted = is_xml_name(path) || (main == Some(path.as_str()) && looks_like_xml(bytes));
        if !wanted {
            continue;
        }
        match decode(bytes) {
            Ok(t) => texts.push((path, t)),
            Err(why) => {
                findings.push(Finding {
                    rule: PKG_XML_001.into(),
                    location: Location::file(&package.name, path),
                    message: format!("not well-formed XML: {why}"),
                });
                documents.push((
                    path.clone(),
                    detect::other("", format!("not well-formed XML: {why}")),
                    false,
                ));
            }
        }
    }
    let mut parsed: Vec<(&str, roxmltree::Document<'_>)> = Vec::new();
    for (path, text) in &texts {
        match parse(text, limits) {
            Ok(doc) => parsed.push((path, doc)),
            Err(problem) => {
                let (rule, message, at) = match problem {
                    ParseProblem::Entities => (
                        PKG_XML_002,
                        "the document declares entities (<!ENTITY>); Plugfest never expands entities, so it was not checked".to_string(),
                        None,
                    ),
                    ParseProblem::Malformed(m, at) => {
                        (PKG_XML_001, format!("not well-formed XML: {m}"), at)
                    }
                };
                let mut location = Location::file(&package.name, path);
                if let Some((l, c)) = at {
                    location = location.at(l, c);
                }
                findings.push(Finding {
                    rule: rule.into(),
                    location,
                    message: message.clone(),
                });
                documents.push((path.to_string(), detect::other("", message), false));
            }
        }
    }
    let mut kinds: Vec<DocKind> = parsed
        .iter()
        .map(|(path, doc)| detect::detect(path, doc))
        .collect();
    let package_standard = parsed
        .iter()
        .zip(&kinds)
        .find(|((p, _), k)| *p == MANIFEST && k.role == Role::Manifest)
        .map(|(_, k)| k.standard);
    if let Some(s) = package_standard {
        for k in &mut kinds {
            detect::refine(k, s);
        }
    }
    let manifest = parsed
        .iter()
        .zip(&kinds)
        .find(|((p, _), k)| *p == MANIFEST && k.role == Role::Manifest)
        .map(|((p, doc), _)| manifest::parse(p, doc));
    for ((path, _), k) in parsed.iter().zip(&kinds) {
        documents.push((path.to_string(), k.clone(), true));
    }

    let docs: Vec<Doc<'_>> = parsed
        .iter()
        .zip(&kinds)
        .map(|((path, xml), kind)| Doc { path, kind, xml })
        .collect();
    let mut ctx = Ctx {
        package,
        docs,
        manifest: manifest.as_ref(),
        findings,
    };
    let mut internal_errors = Vec::new();
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rules::run_all(&mut ctx);
        // A package that could not be read at all has nothing to judge for layout.
        if !(had_input_findings && package.files.is_empty()) {
            rules::pkg::check_input(&mut ctx, kind, main);
        }
    }));
    if let Err(panic) = ran {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        internal_errors.push(format!("a rule failed: {what}"));
    }
    let findings = std::mem::take(&mut ctx.findings);
    documents.sort_by(|a, b| a.0.cmp(&b.0));
    Analysis {
        documents,
        findings,
        internal_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_usual_encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(decode(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        assert_eq!(
            decode(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>").unwrap(),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\u{e9}</a>"
        );
        assert!(decode(b"<a>\xE9</a>").is_err());
    }

    #[test]
    fn entity_declarations_are_refused_and_doctypes_allowed() {
        let limits = Limits::default();
        assert!(matches!(
            parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", &limits),
            Err(ParseProblem::Entities)
        ));
        assert!(parse("<!DOCTYPE a SYSTEM \"a.dtd\"><a/>", &limits).is_ok());
        assert!(matches!(
            parse("<a><b></a>", &limits),
            Err(ParseProblem::Malformed(_, Some(_)))
        ));
    }
}
