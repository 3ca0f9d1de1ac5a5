//! The rules beyond XSD (packages.md §4), one module per standard: package structure and zip
//! safety (`pkg`), IMS CP manifests (`cp`), QTI items and tests (`qti`), APIP (`apip`), Common
//! Cartridge including its Schematron rules (`cc`), and IWB (`iwb`). Each module's `check` reads
//! the context and reports findings by requirement ID; the catalogues under `features/` hold the
//! rules' text, level and spec section.

pub mod apip;
pub mod cc;
pub mod cp;
pub mod iwb;
pub mod pkg;
pub mod qti;

use crate::doc::DocKind;
use crate::finding::{Finding, Location};
use crate::manifest::Manifest;
use crate::package::Package;

/// Runs every module's rules over `ctx`: package (`pkg`), IMS CP (`cp`), QTI, APIP, Common
/// Cartridge and IWB, in that order. The input-dependent package rules
/// ([`pkg::check_input`]) are the caller's, since only it knows what the input was.
pub fn run_all(ctx: &mut Ctx<'_>) {
    pkg::check(ctx);
    cp::check(ctx);
    qti::check(ctx);
    apip::check(ctx);
    cc::check(ctx);
    iwb::check(ctx);
}

/// One parsed XML document of the package.
pub struct Doc<'a> {
    /// Path in the package.
    pub path: &'a str,
    /// What it was recognised as.
    pub kind: &'a DocKind,
    /// The parsed tree (roxmltree, DTDs refused).
    pub xml: &'a roxmltree::Document<'a>,
}

/// What every rule reads, and where its findings go.
pub struct Ctx<'a> {
    /// The package.
    pub package: &'a Package,
    /// Its well-formed XML documents.
    pub docs: Vec<Doc<'a>>,
    /// Its manifest, when there is one at the root.
    pub manifest: Option<&'a Manifest>,
    /// Findings so far.
    pub findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    /// Report `rule` broken in the package as a whole.
    pub fn report_package(&mut self, rule: &str, message: impl Into<String>) {
        self.findings.push(Finding {
            rule: rule.to_string(),
            location: Location::input(&self.package.name),
            message: message.into(),
        });
    }

    /// Report `rule` broken at `node` of the document at `path`.
    pub fn report(
        &mut self,
        rule: &str,
        doc: &Doc<'_>,
        node: roxmltree::Node<'_, '_>,
        message: impl Into<String>,
    ) {
        let pos = doc.xml.text_pos_at(node.range().start);
        self.findings.push(Finding {
            rule: rule.to_string(),
            location: Location::file(&self.package.name, doc.path).at(pos.row, pos.col),
            message: message.into(),
        });
    }

    /// Report `rule` broken in the file at `path` (no position).
    pub fn report_file(&mut self, rule: &str, path: &str, message: impl Into<String>) {
        self.findings.push(Finding {
            rule: rule.to_string(),
            location: Location::file(&self.package.name, path),
            message: message.into(),
        });
    }

    /// Report `rule` broken at `line` of the file at `path`.
    pub fn report_line(&mut self, rule: &str, path: &str, line: u32, message: impl Into<String>) {
        let mut location = Location::file(&self.package.name, path);
        location.line = Some(line);
        self.findings.push(Finding {
            rule: rule.to_string(),
            location,
            message: message.into(),
        });
    }
}
