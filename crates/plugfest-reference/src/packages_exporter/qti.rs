//! The QTI 2.1 content package the exporter serves: an IMS CP 1.1 manifest (QTI 2.1 packages
//! use the plain CP 1.1 namespace, packages.md Appendix A), a choice item scored by the
//! `match_correct` template and showing an image, a text-entry item scored by `map_response`,
//! and an assessmentTest that references both — valid against `imsqti_v2p1.xsd` and
//! `imscp_v1p1.xsd`, and meeting the semantic rules of packages.md §4 (every interaction's
//! responseIdentifier declared, the template prerequisites `RESPONSE` with a correct response
//! or mapping and `SCORE`, identifiers unique, test item refs and hrefs resolving, every file
//! listed). No href holds `..`: the test sits at the root and the image beside its item.
//!
//! The faults of [`QtiFaults`] bend exactly the part their names say.

use super::fault::{FaultSet, PackagesExporterFault};
use crate::package_files::ns;

/// The manifest, at the package root (packages.md §4 check 1).
pub(crate) const MANIFEST_PATH: &str = "imsmanifest.xml";
/// The assessmentTest.
pub(crate) const TEST_PATH: &str = "assessment-test.xml";
/// The choice item (`match_correct`).
pub(crate) const CHOICE_PATH: &str = "items/choice-colour.xml";
/// The text-entry item (`map_response`).
pub(crate) const TEXT_PATH: &str = "items/text-entry-capital.xml";
/// The image the choice item shows.
pub(crate) const IMAGE_PATH: &str = "items/images/swatch.png";
/// The file fault `missing-file` lists without packaging it.
pub(crate) const MISSING_PATH: &str = "items/images/swatch-large.png";
/// The entry fault `zip-slip-entry` adds.
pub(crate) const SLIP_ENTRY: &str = "../outside.txt";
/// The responseIdentifier fault `undeclared-response-identifier` gives the choice interaction.
pub(crate) const UNDECLARED_RESPONSE: &str = "RESPONSE_CHOICE";

/// A 1×1 blue PNG (what the choice item asks about).
const SWATCH_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x90, 0xcf, 0xdf, 0x02,
    0x00, 0x01, 0xf3, 0x01, 0x43, 0x3f, 0x7a, 0x50, 0xcc, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The faults that bend the QTI package; read only here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct QtiFaults {
    /// `packages-exporter/missing-file`
    pub missing_file: bool,
    /// `packages-exporter/undeclared-response-identifier`
    pub undeclared_response_identifier: bool,
    /// `packages-exporter/duplicate-identifier`
    pub duplicate_identifier: bool,
    /// `packages-exporter/item-not-schema-valid`
    pub item_not_schema_valid: bool,
    /// `packages-exporter/zip-slip-entry`
    pub zip_slip_entry: bool,
}

impl QtiFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            missing_file: set.has(PackagesExporterFault::MissingFile),
            undeclared_response_identifier: set
                .has(PackagesExporterFault::UndeclaredResponseIdentifier),
            duplicate_identifier: set.has(PackagesExporterFault::DuplicateIdentifier),
            item_not_schema_valid: set.has(PackagesExporterFault::ItemNotSchemaValid),
            zip_slip_entry: set.has(PackagesExporterFault::ZipSlipEntry),
        }
    }
}

/// The package's zip entries, in the order they are written: the manifest first, then the
/// test, the items and the image.
pub(crate) fn files(faults: QtiFaults) -> Vec<(&'static str, Vec<u8>)> {
    let mut files = vec![
        (MANIFEST_PATH, manifest(faults).into_bytes()),
        (TEST_PATH, test().into_bytes()),
        (CHOICE_PATH, choice_item(faults).into_bytes()),
        (TEXT_PATH, text_entry_item(faults).into_bytes()),
        (IMAGE_PATH, SWATCH_PNG.to_vec()),
    ];
    if faults.zip_slip_entry {
        files.push((
            SLIP_ENTRY,
            b"This entry would land outside the folder the package is unpacked in.\n".to_vec(),
        ));
    }
    files
}

/// The package as a zip.
pub(crate) fn package(faults: QtiFaults) -> Result<Vec<u8>, zip::result::ZipError> {
    crate::package_files::write_zip(&files(faults))
}

/// The CP 1.1 manifest: a test resource depending on the two item resources, the choice item
/// depending on the image's webcontent resource. CP 1.1 §2.3: "resource — A reference to a
/// resource … The identifier of the resource must be unique within the Manifest"; QTI 2.1
/// Integration Guide: packages declare `schema` "QTIv2.1 Package".
fn manifest(faults: QtiFaults) -> String {
    let cp = ns::CP11;
    let xsi = ns::XSI;
    let text_id = if faults.duplicate_identifier {
        "RES-ITEM-CHOICE"
    } else {
        "RES-ITEM-TEXT"
    };
    let text_dependency = if faults.duplicate_identifier {
        String::new()
    } else {
        "\n      <dependency identifierref=\"RES-ITEM-TEXT\"/>".to_owned()
    };
    let missing = if faults.missing_file {
        format!("\n      <file href=\"{MISSING_PATH}\"/>")
    } else {
        String::new()
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="{cp}" xmlns:xsi="{xsi}"
    xsi:schemaLocation="{cp} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
    identifier="PLUGFEST-QTI21-PACKAGE">
  <metadata>
    <schema>QTIv2.1 Package</schema>
    <schemaversion>1.0.0</schemaversion>
  </metadata>
  <organizations/>
  <resources>
    <resource identifier="RES-TEST" type="imsqti_test_xmlv2p1" href="{TEST_PATH}">
      <file href="{TEST_PATH}"/>
      <dependency identifierref="RES-ITEM-CHOICE"/>{text_dependency}
    </resource>
    <resource identifier="RES-ITEM-CHOICE" type="imsqti_item_xmlv2p1" href="{CHOICE_PATH}">
      <file href="{CHOICE_PATH}"/>{missing}
      <dependency identifierref="RES-IMAGE-SWATCH"/>
    </resource>
    <resource identifier="{text_id}" type="imsqti_item_xmlv2p1" href="{TEXT_PATH}">
      <file href="{TEXT_PATH}"/>
    </resource>
    <resource identifier="RES-IMAGE-SWATCH" type="webcontent" href="{IMAGE_PATH}">
      <file href="{IMAGE_PATH}"/>
    </resource>
  </resources>
</manifest>
"#
    )
}

/// The opening tag of an assessmentItem or assessmentTest in the QTI 2.1 namespace.
fn qti_root(element: &str, identifier: &str, title: &str, extra: &str) -> String {
    let qti = ns::QTI21;
    let xsi = ns::XSI;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<{element} xmlns="{qti}" xmlns:xsi="{xsi}"
    xsi:schemaLocation="{qti} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
    identifier="{identifier}" title="{title}"{extra}>"#
    )
}

/// The `SCORE` outcome both response-processing templates set (QTI 2.1 Info Model, Response
/// Processing templates: "match_correct … sets the outcome variable SCORE").
const SCORE_DECLARATION: &str = r#"  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">
    <defaultValue>
      <value>0</value>
    </defaultValue>
  </outcomeDeclaration>"#;

/// A single-choice item: `match_correct` needs the response `RESPONSE` with a correct
/// response, and `SCORE`.
fn choice_item(faults: QtiFaults) -> String {
    let response = if faults.undeclared_response_identifier {
        UNDECLARED_RESPONSE
    } else {
        "RESPONSE"
    };
    let root = qti_root(
        "assessmentItem",
        "choice-colour",
        "Name the colour",
        r#" adaptive="false" timeDependent="false""#,
    );
    format!(
        r#"{root}
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse>
      <value>BLUE</value>
    </correctResponse>
  </responseDeclaration>
{SCORE_DECLARATION}
  <itemBody>
    <p><img src="images/swatch.png" alt="A swatch of one colour" width="32" height="32"/></p>
    <choiceInteraction responseIdentifier="{response}" shuffle="false" maxChoices="1">
      <prompt>Which colour is the swatch?</prompt>
      <simpleChoice identifier="RED">Red</simpleChoice>
      <simpleChoice identifier="BLUE">Blue</simpleChoice>
      <simpleChoice identifier="GREEN">Green</simpleChoice>
    </choiceInteraction>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>
"#
    )
}

/// A text-entry item: `map_response` needs `RESPONSE` with a mapping, and `SCORE`.
fn text_entry_item(faults: QtiFaults) -> String {
    let root = qti_root(
        "assessmentItem",
        "text-entry-capital",
        "Capital of France",
        r#" adaptive="false" timeDependent="false""#,
    );
    let response = r#"  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string">
    <correctResponse>
      <value>Paris</value>
    </correctResponse>
    <mapping defaultValue="0">
      <mapEntry mapKey="Paris" mappedValue="1" caseSensitive="false"/>
    </mapping>
  </responseDeclaration>"#;
    // imsqti_v2p1.xsd, assessmentItem: responseDeclaration*, outcomeDeclaration*, … in that
    // order; the fault swaps the two.
    let declarations = if faults.item_not_schema_valid {
        format!("{SCORE_DECLARATION}\n{response}")
    } else {
        format!("{response}\n{SCORE_DECLARATION}")
    };
    format!(
        r#"{root}
{declarations}
  <itemBody>
    <p>The capital of France is <textEntryInteraction responseIdentifier="RESPONSE" expectedLength="10"/>.</p>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>
</assessmentItem>
"#
    )
}

/// One linear test part, one section, both items by reference; the test's `SCORE` sums the
/// items' `SCORE`s.
fn test() -> String {
    let root = qti_root(
        "assessmentTest",
        "plugfest-test",
        "Plugfest reference test",
        "",
    );
    format!(
        r#"{root}
{SCORE_DECLARATION}
  <testPart identifier="PART-1" navigationMode="linear" submissionMode="individual">
    <assessmentSection identifier="SECTION-1" title="Colours and capitals" visible="true">
      <assessmentItemRef identifier="ITEM-CHOICE" href="{CHOICE_PATH}"/>
      <assessmentItemRef identifier="ITEM-TEXT" href="{TEXT_PATH}"/>
    </assessmentSection>
  </testPart>
  <outcomeProcessing>
    <setOutcomeValue identifier="SCORE">
      <sum>
        <testVariables variableIdentifier="SCORE"/>
      </sum>
    </setOutcomeValue>
  </outcomeProcessing>
</assessmentTest>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(files: &[(&str, Vec<u8>)], path: &str) -> String {
        let bytes = &files.iter().find(|(p, _)| *p == path).unwrap().1;
        String::from_utf8(bytes.clone()).unwrap()
    }

    #[test]
    fn every_document_is_well_formed_xml_in_its_namespace() {
        let files = files(QtiFaults::default());
        for path in [MANIFEST_PATH, TEST_PATH, CHOICE_PATH, TEXT_PATH] {
            let text = doc(&files, path);
            let parsed = roxmltree::Document::parse(&text).unwrap();
            let want = if path == MANIFEST_PATH {
                ns::CP11
            } else {
                ns::QTI21
            };
            assert_eq!(parsed.root_element().tag_name().namespace(), Some(want));
        }
        assert_eq!(files.len(), 5);
        assert!(files[4].1.starts_with(b"\x89PNG\r\n\x1a\n"));
    }

    #[test]
    fn each_fault_changes_its_part_only() {
        let clean = files(QtiFaults::default());
        let bent = |f: QtiFaults| files(f);
        let slip = bent(QtiFaults {
            zip_slip_entry: true,
            ..QtiFaults::default()
        });
        assert_eq!(slip.len(), clean.len() + 1);
        assert_eq!(slip.last().unwrap().0, SLIP_ENTRY);
        let missing = bent(QtiFaults {
            missing_file: true,
            ..QtiFaults::default()
        });
        assert!(doc(&missing, MANIFEST_PATH).contains(MISSING_PATH));
        assert!(missing.iter().all(|(p, _)| *p != MISSING_PATH));
        let undeclared = bent(QtiFaults {
            undeclared_response_identifier: true,
            ..QtiFaults::default()
        });
        assert!(doc(&undeclared, CHOICE_PATH).contains(UNDECLARED_RESPONSE));
        assert_eq!(doc(&undeclared, TEXT_PATH), doc(&clean, TEXT_PATH));
        let duplicate = bent(QtiFaults {
            duplicate_identifier: true,
            ..QtiFaults::default()
        });
        assert_eq!(
            doc(&duplicate, MANIFEST_PATH)
                .matches("identifier=\"RES-ITEM-CHOICE\"")
                .count(),
            2
        );
        let order = bent(QtiFaults {
            item_not_schema_valid: true,
            ..QtiFaults::default()
        });
        let text = doc(&order, TEXT_PATH);
        assert!(text.find("<outcomeDeclaration") < text.find("<responseDeclaration"));
        roxmltree::Document::parse(&text).unwrap();
    }
}
