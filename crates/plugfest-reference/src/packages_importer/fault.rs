//! The named faults of the package importer — names, requirement IDs and descriptions in this
//! one list. The flag each fault sets lives next to the check it bends (`archive.rs`,
//! `checks.rs`, `refusal.rs`).

crate::faults::role_faults! {
    /// A named fault of the package importer role (`packages-importer/…`).
    pub enum PackagesImporterFault {
        // What the importer lets through (archive.rs, checks.rs).
        AcceptsMissingFile => "packages-importer/accepts-missing-file", ["PKG-IMPORT-003", "PKG-IMPORT-007"],
            "a package whose manifest lists a file the zip lacks is accepted";
        AcceptsUndeclaredResponse => "packages-importer/accepts-undeclared-response", ["PKG-IMPORT-004"],
            "a QTI item whose interaction names an undeclared responseIdentifier is accepted";
        AcceptsZipSlip => "packages-importer/accepts-zip-slip", ["PKG-IMPORT-005"],
            "a zip with an entry name that leaves the package (../, absolute, backslash) is accepted";
        AcceptsNotAZip => "packages-importer/accepts-not-a-zip", ["PKG-IMPORT-006"],
            "a body that is not a zip is accepted (whatever its Content-Type)";
        // Good packages refused (checks.rs).
        RefusesGoodQti => "packages-importer/refuses-good-qti", ["PKG-IMPORT-001"],
            "every QTI 2.1 package is refused (QTI 2.1 is said to be unsupported)";
        RefusesGoodCc => "packages-importer/refuses-good-cc", ["PKG-IMPORT-002"],
            "every Common Cartridge is refused (Common Cartridge is said to be unsupported)";
        // How refusals are answered (refusal.rs).
        Refusal500 => "packages-importer/refusal-500", [
            "PKG-IMPORT-003", "PKG-IMPORT-004", "PKG-IMPORT-005", "PKG-IMPORT-006", "PKG-IMPORT-007",
        ],
            "a package that is refused is answered 500 with an empty body";
        RefusalWithoutMessage => "packages-importer/refusal-without-message", ["PKG-IMPORT-007"],
            "a package that is refused is answered 400 with an empty body";
    }
}

/// The set of faults one importer runs with.
pub(crate) type FaultSet = crate::faults::FaultSet<PackagesImporterFault>;
