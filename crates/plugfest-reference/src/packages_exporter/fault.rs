//! The named faults of the package exporter — names, requirement IDs and descriptions in this
//! one list. The flag each fault sets lives next to the document it bends (`qti.rs`, `cc.rs`)
//! or, for `export-500`, the endpoint (`mod.rs`).

crate::faults::role_faults! {
    /// A named fault of the package exporter role (`packages-exporter/…`).
    pub enum PackagesExporterFault {
        // The QTI 2.1 package (qti.rs).
        MissingFile => "packages-exporter/missing-file", ["PKG-EXPORT-QTI-002"],
            "the QTI manifest lists a file of the choice item's resource (items/images/swatch-large.png) that the zip lacks";
        UndeclaredResponseIdentifier => "packages-exporter/undeclared-response-identifier", ["PKG-EXPORT-QTI-004"],
            "the choice item's choiceInteraction names responseIdentifier RESPONSE_CHOICE, which no responseDeclaration declares";
        DuplicateIdentifier => "packages-exporter/duplicate-identifier", [
            "PKG-EXPORT-QTI-002", "PKG-EXPORT-QTI-003",
        ],
            "the QTI manifest gives both item resources the identifier RES-ITEM-CHOICE (a duplicate xs:ID, so the CP 1.1 XSD fails too)";
        ItemNotSchemaValid => "packages-exporter/item-not-schema-valid", ["PKG-EXPORT-QTI-003"],
            "the text-entry item puts its outcomeDeclaration before its responseDeclaration (well-formed, out of XSD order)";
        ZipSlipEntry => "packages-exporter/zip-slip-entry", ["PKG-EXPORT-QTI-002"],
            "the QTI zip carries an extra entry named ../outside.txt";
        // The Common Cartridge 1.3 (cc.rs).
        WeblinkRelativeUrl => "packages-exporter/weblink-relative-url", ["PKG-EXPORT-CC-004"],
            "the cartridge's web link points at the relative URL /relative/page";
        CcMissingFile => "packages-exporter/cc-missing-file", ["PKG-EXPORT-CC-002"],
            "the cartridge manifest lists web_resources/welcome.html, which the zip lacks";
        WeblinkNotSchemaValid => "packages-exporter/weblink-not-schema-valid", ["PKG-EXPORT-CC-003"],
            "the cartridge's web link puts its url before its title (well-formed, out of XSD order)";
        // The export endpoint (mod.rs).
        Export500 => "packages-exporter/export-500", [
            "PKG-EXPORT-QTI-001", "PKG-EXPORT-QTI-002", "PKG-EXPORT-QTI-003", "PKG-EXPORT-QTI-004",
        ],
            "the QTI export answers 500 with no package";
        CcExport404 => "packages-exporter/cc-export-404", [
            "PKG-EXPORT-CC-001", "PKG-EXPORT-CC-002", "PKG-EXPORT-CC-003", "PKG-EXPORT-CC-004",
        ],
            "the cartridge export answers 404 (no such course)";
    }
}

/// The set of faults one exporter runs with.
pub(crate) type FaultSet = crate::faults::FaultSet<PackagesExporterFault>;
