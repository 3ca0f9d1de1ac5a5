//! One worker's libxml2 state: its bundle catalog and the schemas it compiled, and the hardened
//! parse-then-validate of a document. Lives on one thread only (libxml2 contexts are not `Send`).

use super::bundle::SchemaBundle;
use super::diagnostics::{self, Capture, Captured};
use super::loader::BundleCatalog;
use super::report::{XsdError, XsdLevel, XsdMessage, XsdReport};
use libxml::bindings;
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use std::collections::HashMap;
use std::ffi::{CString, c_int};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Document parser options: refuse the network, and nothing else. In particular no
/// `XML_PARSE_NOENT` (entities stay unexpanded references), no `DTDLOAD`/`DTDATTR`/`DTDVALID`
/// (no external DTD, no defaulted attributes), no `XINCLUDE`, no `HUGE` (libxml2's size and depth
/// limits stay on), no `RECOVER` (a malformed document is rejected, not repaired), and no
/// `NOERROR`/`NOWARNING` (every diagnostic is captured).
const PARSE_OPTIONS: c_int = bindings::xmlParserOption_XML_PARSE_NONET as c_int;

/// A worker's compiled schemas, by bundle-relative key; a failed compile is kept too, so a broken
/// schema is not recompiled for every document.
pub(crate) struct Engine {
    bundle: SchemaBundle,
    // Declared before `catalog` so compiled schemas go first when the worker ends.
    schemas: HashMap<String, Result<SchemaValidationContext, XsdError>>,
    /// Why the bundle's catalog could not be loaded (every compile then reports it).
    catalog_problem: Option<XsdMessage>,
    _catalog: Option<BundleCatalog>,
    compiles: Arc<AtomicUsize>,
}

impl Engine {
    /// Loads the bundle's catalog for this thread. `compiles` counts compilations pool-wide.
    pub(crate) fn new(bundle: SchemaBundle, compiles: Arc<AtomicUsize>) -> Self {
        super::loader::init_process();
        let (catalog, catalog_problem) = match BundleCatalog::install(&bundle.catalog()) {
            Ok(c) => (Some(c), None),
            Err(m) => (None, Some(m)),
        };
        Engine {
            bundle,
            schemas: HashMap::new(),
            catalog_problem,
            _catalog: catalog,
            compiles,
        }
    }

    /// Drops what this worker holds for `key` (after a panic, its state is suspect).
    pub(crate) fn forget(&mut self, key: &str) {
        self.schemas.remove(key);
    }

    /// Parses `document` and validates it against the schema `key`, compiling that on first use.
    pub(crate) fn validate(
        &mut self,
        key: &str,
        document: &[u8],
        name: &str,
    ) -> Result<XsdReport, XsdError> {
        if !self.schemas.contains_key(key) {
            let Some(path) = self.bundle.schema_file(key) else {
                return Err(XsdError::SchemaMissing {
                    schema: key.to_owned(),
                });
            };
            let compiled = self.compile(key, &path);
            self.schemas.insert(key.to_owned(), compiled);
        }
        let schema = match self.schemas.get_mut(key) {
            Some(Ok(schema)) => schema,
            Some(Err(e)) => return Err(e.clone()),
            None => {
                return Err(XsdError::SchemaMissing {
                    schema: key.to_owned(),
                });
            }
        };

        let mut capture = Capture::start();
        let doc = parse(document, name);
        let parsed = capture.take();
        let Some(doc) = doc.filter(|_| !has_errors(&parsed)) else {
            let mut messages = texts(parsed);
            if !messages.iter().any(|m| m.level != XsdLevel::Warning) {
                messages.push(XsdMessage::plain(
                    XsdLevel::Fatal,
                    "libxml2 could not parse the document and gave no reason",
                ));
            }
            return Err(XsdError::NotWellFormed { messages });
        };
        // SAFETY: a live validation context of this thread and a live document.
        let rc = unsafe { bindings::xmlSchemaValidateDoc(schema.as_ptr(), doc.0) };
        drop(doc);
        let mut messages = texts(parsed);
        messages.extend(texts(capture.take()));
        if rc != 0 && !messages.iter().any(|m| m.level != XsdLevel::Warning) {
            messages.push(XsdMessage::plain(
                XsdLevel::Error,
                format!("validation failed (libxml2 status {rc}) without a diagnostic"),
            ));
        }
        Ok(XsdReport { messages })
    }

    /// Compiles the schema at `path`. Any I/O or loader diagnostic (an import or include that did
    /// not resolve to a local file) fails the compile: libxml2 would only warn and skip it.
    fn compile(
        &self,
        key: &str,
        path: &std::path::Path,
    ) -> Result<SchemaValidationContext, XsdError> {
        self.compiles.fetch_add(1, Ordering::Relaxed);
        let failed = |messages: Vec<XsdMessage>| XsdError::SchemaCompile {
            schema: key.to_owned(),
            messages,
        };
        let Some(path) = path.to_str().filter(|p| !p.contains('\0')) else {
            return Err(failed(vec![XsdMessage::plain(
                XsdLevel::Error,
                "the schema's path is not UTF-8",
            )]));
        };
        let mut capture = Capture::start();
        let mut parser = SchemaParserContext::from_file(path);
        // SAFETY: a live parser context; the handler records into this thread's sink.
        unsafe {
            bindings::xmlSchemaSetParserStructuredErrors(
                parser.as_ptr(),
                diagnostics::handler(),
                std::ptr::null_mut(),
            )
        };
        let compiled = SchemaValidationContext::from_parser(&mut parser);
        drop(parser);
        let captured = capture.take();
        let unresolved = captured.iter().any(is_load_failure);
        let mut messages: Vec<XsdMessage> = self.catalog_problem.iter().cloned().collect();
        for c in captured {
            let load_failure = is_load_failure(&c);
            let mut m = c.message;
            // A schema document that did not load leaves the set incomplete: an error here,
            // where libxml2 only warns and skips it.
            if load_failure {
                m.level = m.level.max(XsdLevel::Error);
            }
            // Say which file of the set a line refers to.
            if let Some(file) = c.file.as_deref().filter(|_| m.line.is_some()) {
                let root = self.bundle.root();
                let shown = std::path::Path::new(file)
                    .strip_prefix(root)
                    .map_or(file.to_owned(), |p| p.display().to_string());
                m.text = format!("{shown}: {}", m.text);
            }
            messages.push(m);
        }
        match compiled {
            Ok(schema) if !unresolved => {
                // SAFETY: a live validation context; validity errors go to this thread's sink.
                unsafe {
                    bindings::xmlSchemaSetValidStructuredErrors(
                        schema.as_ptr(),
                        diagnostics::handler(),
                        std::ptr::null_mut(),
                    )
                };
                Ok(schema)
            }
            _ => {
                if !messages.iter().any(|m| m.level != XsdLevel::Warning) {
                    messages.push(XsdMessage::plain(
                        XsdLevel::Error,
                        "libxml2 could not compile the schema and gave no reason",
                    ));
                }
                Err(failed(messages))
            }
        }
    }
}

/// A parsed document, freed on drop.
struct Doc(bindings::xmlDocPtr);

impl Drop for Doc {
    fn drop(&mut self) {
        // SAFETY: a document this module parsed and nobody else holds.
        unsafe { bindings::xmlFreeDoc(self.0) }
    }
}

/// Parses `bytes` with [`PARSE_OPTIONS`]; `None` when libxml2 gives no document (its diagnostics
/// are in the active capture). `name` becomes the document's URL in libxml2; nothing is fetched.
fn parse(bytes: &[u8], name: &str) -> Option<Doc> {
    let len = c_int::try_from(bytes.len()).ok()?;
    let url = CString::new(name.replace('\0', "?")).ok()?;
    // SAFETY: a fresh parser context, freed below; `bytes` and `url` outlive the call.
    unsafe {
        let ctxt = bindings::xmlNewParserCtxt();
        if ctxt.is_null() {
            return None;
        }
        let doc = bindings::xmlCtxtReadMemory(
            ctxt,
            bytes.as_ptr().cast(),
            len,
            url.as_ptr(),
            std::ptr::null(),
            PARSE_OPTIONS,
        );
        bindings::xmlFreeParserCtxt(ctxt);
        (!doc.is_null()).then_some(Doc(doc))
    }
}

/// Whether a parse raised an error (a namespace error leaves a document, but not a usable one).
fn has_errors(captured: &[Captured]) -> bool {
    captured
        .iter()
        .any(|c| c.message.level != XsdLevel::Warning)
}

/// Whether a diagnostic means a schema document could not be loaded.
fn is_load_failure(c: &Captured) -> bool {
    c.domain == bindings::xmlErrorDomain_XML_FROM_IO as i32
        || c.code == bindings::xmlParserErrors_XML_SCHEMAP_WARN_UNLOCATED_SCHEMA as i32
}

fn texts(captured: Vec<Captured>) -> Vec<XsdMessage> {
    captured.into_iter().map(|c| c.message).collect()
}
