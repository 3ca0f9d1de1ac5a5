//! What a document is, from its root element, the root's namespace and a version marker
//! (packages.md Appendix A, §7 item 3): QTI 2.2.x by the `xsi:schemaLocation` file name, Common
//! Cartridge by the manifest namespace plus `schemaversion`, the QTI 3 package profile (3.0.0 or
//! 3.0.1) by `schemaversion`. The schema paths are bundle-relative; `None` where the bundle has
//! no schema for the document (CC 1.0 and 1.2, the CC 1.3 QTI profile and `imslticc_v1p3`, IWB,
//! …), which a report records as `not-assessed: schema not in bundle`. Canvas sidecars and
//! anything unknown are [`Standard::Other`]: not checked (packages.md §4 check 52).

use crate::doc::{DocKind, Role, Standard};

/// `xsi:` attributes.
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// QTI 2.0 (`imsqti_v2p0`).
pub const NS_QTI20: &str = "http://www.imsglobal.org/xsd/imsqti_v2p0";
/// QTI 2.1 (`imsqti_v2p1`).
pub const NS_QTI21: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
/// QTI 2.2.x (`imsqti_v2p2`).
pub const NS_QTI22: &str = "http://www.imsglobal.org/xsd/imsqti_v2p2";
/// QTI 3.0.x ASI (`imsqtiasi_v3p0`).
pub const NS_QTI30: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
/// IMS Content Packaging 1.1 / 1.2 (the namespace both use), and the QTI 2.x CP profiles.
pub const NS_CP: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
/// The QTI 3.0 package profile.
pub const NS_QTI30_CP: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";
/// The APIP 1.0 package profile.
pub const NS_APIP_CP: &str = "http://www.imsglobal.org/xsd/apip/apipv1p0/imscp_v1p1";
/// Common Cartridge 1.0 manifests.
pub const NS_CC10: &str = "http://www.imsglobal.org/xsd/imscc/imscp_v1p1";
/// Common Cartridge 1.1 and 1.2 manifests.
pub const NS_CC11: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1";
/// Common Cartridge 1.3 (and Thin CC 1.3) manifests.
pub const NS_CC13: &str = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1";
/// Common Cartridge 1.4 manifests.
pub const NS_CC14: &str = "http://www.imsglobal.org/xsd/imsccv1p4/imscp_v1p1";
/// The QTI 1.2.1 profile of Common Cartridge.
pub const NS_QTI12_CC: &str = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2";
/// IWB Common File Format 1.0 (`content.xml`).
pub const NS_IWB: &str = "http://www.imsglobal.org/xsd/iwb_v1p0";
/// Canvas sidecar files (`course_settings/*.xml`): not Common Cartridge.
pub const NS_CANVAS: &str = "http://canvas.instructure.com/xsd/cccv1p0";

/// The bundle paths Plugfest routes documents to (each exists in the shared bundle; a test
/// checks that).
pub mod schemas {
    /// QTI 2.0.
    pub const QTI20: &str = "qti21/qtiworks-catalog/www.imsglobal.org/xsd/imsqti_v2p0.xsd";
    /// QTI 2.1 (qti-sdk's relative layout).
    pub const QTI21: &str = "qti21/qtism/qtiv2p1/imsqti_v2p1.xsd";
    /// QTI 2.1.1.
    pub const QTI211: &str = "qti21/qtism/qtiv2p1p1/imsqti_v2p1p1.xsd";
    /// QTI 2.1.2 (verbatim 1EdTech file, absolute imports through the catalog).
    pub const QTI212: &str = "qti21/official-abs/imsqti_v2p1p2.xsd";
    /// QTI 2.2.0.
    pub const QTI220: &str = "qti22/qtism/qtiv2p2/imsqti_v2p2.xsd";
    /// QTI 2.2.1.
    pub const QTI221: &str = "qti22/qtism/qtiv2p2p1/imsqti_v2p2p1.xsd";
    /// QTI 2.2.2.
    pub const QTI222: &str = "qti22/qtism/qtiv2p2p2/imsqti_v2p2p2.xsd";
    /// QTI 2.2.3.
    pub const QTI223: &str = "qti22/qtism/qtiv2p2p3/imsqti_v2p2p3.xsd";
    /// QTI 2.2.4 (also the default for a 2.2 document without a version marker).
    pub const QTI224: &str = "qti22/qtism/qtiv2p2p4/imsqti_v2p2p4.xsd";
    /// QTI 3.0.1 ASI, annotation-stripped, flattened beside its imports (packages.md §1).
    pub const QTI30_ASI: &str = "qti30/ae-stripped-3p0p1/schemas/imsqti_asiv3p0p1_v1p0.xsd";
    /// QTI 3.0 usage data.
    pub const QTI30_USAGE: &str = "qti30/qtism/qtiv3p0/imsqti_usagedatav3p0_v1p0.xsd";
    /// QTI 3.0.0 package profile.
    pub const QTI300_CP: &str = "qti30/qtism/qtiv3p0/imsqtiv3p0_imscpv1p2_v1p0.xsd";
    /// QTI 3.0.1 package profile.
    pub const QTI301_CP: &str = "qti30/qtism/qtiv3p0/imsqtiv3p0p1_imscpv1p2_v1p0.xsd";
    /// IMS CP 1.1.4.
    pub const CP: &str = "cp/qtism/imscp_v1p1.xsd";
    /// The QTI 2.1 profile of IMS CP 1.2.
    pub const QTI21_CP: &str = "qti21/official-abs/qtiv2p1_imscpv1p2_v1p0.xsd";
    /// The QTI 2.2 profile of IMS CP 1.2.
    pub const QTI22_CP: &str = "qti22/official-abs/qtiv2p2_imscpv1p2_v1p0.xsd";
    /// APIP 1.0 (final) package profile.
    pub const APIP_CP: &str = "apip/apipv1p0final/Core_Level/Package/apipv1p0_imscpv1p2_v1p0.xsd";
    /// APIP 1.0 (beta) QTI 2.1 item.
    pub const APIP_ITEM21: &str = "apip/apipv1p0/Core_Level/Package/apipv1p0_qtiitemv2p1_v1p0.xsd";
    /// APIP 1.0 (beta) QTI 2.1 test.
    pub const APIP_TEST21: &str = "apip/apipv1p0/Core_Level/Package/apipv1p0_qtitestv2p1_v1p0.xsd";
    /// APIP 1.0 (beta) QTI 2.1 section.
    pub const APIP_SECTION21: &str =
        "apip/apipv1p0/Core_Level/Package/apipv1p0_qtisectionv2p1_v1p0.xsd";
    /// APIP 1.0 (final) QTI 2.2 item.
    pub const APIP_ITEM22: &str =
        "apip/apipv1p0final/Core_Level/Package/apipv1p0_qtiitemv2p2_v1p0.xsd";
    /// APIP 1.0 (final) QTI 2.2 test.
    pub const APIP_TEST22: &str =
        "apip/apipv1p0final/Core_Level/Package/apipv1p0_qtitestv2p2_v1p0.xsd";
    /// APIP 1.0 (final) QTI 2.2 section.
    pub const APIP_SECTION22: &str =
        "apip/apipv1p0final/Core_Level/Package/apipv1p0_qtisectionv2p2_v1p0.xsd";
    /// APIP 1.0 (final) QTI 2.2 stimulus.
    pub const APIP_STIMULUS22: &str =
        "apip/apipv1p0final/Core_Level/Package/apipv1p0_qtistimulusv2p2_v1p0.xsd";
    /// CC 1.1 manifest.
    pub const CC11_MANIFEST: &str = "cc/v1p1/ccv1p1_imscp_v1p2_v1p0.xsd";
    /// CC 1.1 web link.
    pub const CC11_WL: &str = "cc/v1p1/ccv1p1_imswl_v1p1.xsd";
    /// CC 1.1 discussion topic.
    pub const CC11_DT: &str = "cc/v1p1/ccv1p1_imsdt_v1p1.xsd";
    /// CC 1.1 QTI 1.2.1 profile.
    pub const CC11_QTI: &str = "cc/v1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd";
    /// CC 1.1 basic LTI link.
    pub const CC11_LTI: &str = "cc/v1p1/imslticc_v1p0p1.xsd";
    /// CC 1.3 manifest.
    pub const CC13_MANIFEST: &str = "cc/v1p3/ccv1p3_imscp_v1p2_v1p0.xsd";
    /// CC 1.3 web link.
    pub const CC13_WL: &str = "cc/v1p3/ccv1p3_imswl_v1p3.xsd";
    /// CC 1.3 discussion topic.
    pub const CC13_DT: &str = "cc/v1p3/ccv1p3_imsdt_v1p3.xsd";
    /// CC 1.4 manifest (an incomplete set: it does not compile, packages.md §3.1).
    pub const CC14_MANIFEST: &str = "cc/v1p4/ccv1p4_imscp_v1p2_v1p0.xsd";
    /// CC 1.4 web link (same incomplete set).
    pub const CC14_WL: &str = "cc/v1p4/ccv1p4_imswl_v1p4.xsd";
    /// CC 1.4 discussion topic.
    pub const CC14_DT: &str = "cc/v1p4/ccv1p4_imsdt_v1p4.xsd";
    /// The CC assignment extension (CC 1.3 / 1.4).
    pub const CC_ASSIGNMENT: &str = "cc/v1p4/cc_extresource_assignmentv1p0_v1p0.xsd";

    /// Every path above, for the test that checks they exist in the bundle.
    pub const ALL: &[&str] = &[
        QTI20,
        QTI21,
        QTI211,
        QTI212,
        QTI220,
        QTI221,
        QTI222,
        QTI223,
        QTI224,
        QTI30_ASI,
        QTI30_USAGE,
        QTI300_CP,
        QTI301_CP,
        CP,
        QTI21_CP,
        QTI22_CP,
        APIP_CP,
        APIP_ITEM21,
        APIP_TEST21,
        APIP_SECTION21,
        APIP_ITEM22,
        APIP_TEST22,
        APIP_SECTION22,
        APIP_STIMULUS22,
        CC11_MANIFEST,
        CC11_WL,
        CC11_DT,
        CC11_QTI,
        CC11_LTI,
        CC13_MANIFEST,
        CC13_WL,
        CC13_DT,
        CC14_MANIFEST,
        CC14_WL,
        CC14_DT,
        CC_ASSIGNMENT,
    ];
}

fn kind(
    standard: Standard,
    role: Role,
    namespace: &str,
    schema: Option<&'static str>,
    why: impl Into<String>,
) -> DocKind {
    DocKind {
        standard,
        role,
        namespace: namespace.to_string(),
        schema,
        why: why.into(),
    }
}

/// A file Plugfest does not check (not XML, or not a known standard), with the reason.
pub fn other(namespace: &str, why: impl Into<String>) -> DocKind {
    kind(Standard::Other, Role::Other, namespace, None, why)
}

/// The file names (last path segment) of the `xsi:schemaLocation` and
/// `xsi:noNamespaceSchemaLocation` hints on `node`, lower-cased.
fn schema_files(node: roxmltree::Node<'_, '_>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = node.attribute((XSI, "schemaLocation")) {
        // Pairs "namespace location"; keep the locations' file names.
        let tokens: Vec<&str> = v.split_whitespace().collect();
        for pair in tokens.chunks(2) {
            if let [_, loc] = pair {
                out.push(last_segment(loc));
            }
        }
    }
    if let Some(v) = node.attribute((XSI, "noNamespaceSchemaLocation")) {
        out.push(last_segment(v.trim()));
    }
    out
}

fn last_segment(s: &str) -> String {
    s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase()
}

/// The text of `metadata/<name>` under the manifest root, trimmed.
pub(crate) fn manifest_metadata(root: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    let ns = root.tag_name().namespace();
    root.children()
        .find(|n| {
            n.is_element() && n.tag_name().name() == "metadata" && n.tag_name().namespace() == ns
        })?
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
}

/// The QTI 2.x / 3.0 role of a root element name.
fn qti_role(name: &str) -> Role {
    match name {
        "assessmentItem" | "qti-assessment-item" => Role::Item,
        "assessmentTest" | "qti-assessment-test" => Role::Test,
        "assessmentSection" | "qti-assessment-section" => Role::Section,
        "assessmentStimulus" | "qti-assessment-stimulus" => Role::Stimulus,
        _ => Role::Other,
    }
}

/// What the document at `path` is.
pub fn detect(path: &str, xml: &roxmltree::Document<'_>) -> DocKind {
    let root = xml.root_element();
    let ns = root.tag_name().namespace().unwrap_or("");
    let name = root.tag_name().name();
    let lower_path = path.to_ascii_lowercase();

    if ns == NS_CANVAS {
        return other(
            ns,
            "Canvas sidecar (cccv1p0 namespace): not Common Cartridge, not checked",
        );
    }
    if lower_path.starts_with("non_cc_assessments/") || lower_path.contains("/non_cc_assessments/")
    {
        return other(
            ns,
            "Canvas non_cc_assessments file: not meant to follow the CC QTI profile, not checked",
        );
    }

    if name == "manifest" {
        return detect_manifest(root, ns);
    }

    let files = schema_files(root);
    let marker = |needle: &str| files.iter().any(|f| f.starts_with(needle));
    match ns {
        NS_QTI20 => kind(
            Standard::Qti20,
            qti_role(name),
            ns,
            Some(schemas::QTI20),
            "namespace imsqti_v2p0",
        ),
        NS_QTI21 => {
            let (schema, why) = if marker("imsqti_v2p1p2") {
                (
                    schemas::QTI212,
                    "namespace imsqti_v2p1, schemaLocation imsqti_v2p1p2.xsd",
                )
            } else if marker("imsqti_v2p1p1") {
                (
                    schemas::QTI211,
                    "namespace imsqti_v2p1, schemaLocation imsqti_v2p1p1.xsd",
                )
            } else {
                (schemas::QTI21, "namespace imsqti_v2p1")
            };
            kind(Standard::Qti21, qti_role(name), ns, Some(schema), why)
        }
        NS_QTI22 => {
            let (schema, why) = if marker("imsqti_v2p2p4") {
                (
                    schemas::QTI224,
                    "namespace imsqti_v2p2, schemaLocation imsqti_v2p2p4.xsd (2.2.4)",
                )
            } else if marker("imsqti_v2p2p3") {
                (
                    schemas::QTI223,
                    "namespace imsqti_v2p2, schemaLocation imsqti_v2p2p3.xsd (2.2.3)",
                )
            } else if marker("imsqti_v2p2p2") {
                (
                    schemas::QTI222,
                    "namespace imsqti_v2p2, schemaLocation imsqti_v2p2p2.xsd (2.2.2)",
                )
            } else if marker("imsqti_v2p2p1") {
                (
                    schemas::QTI221,
                    "namespace imsqti_v2p2, schemaLocation imsqti_v2p2p1.xsd (2.2.1)",
                )
            } else if marker("imsqti_v2p2.") {
                (
                    schemas::QTI220,
                    "namespace imsqti_v2p2, schemaLocation imsqti_v2p2.xsd (2.2.0)",
                )
            } else {
                (
                    schemas::QTI224,
                    "namespace imsqti_v2p2 with no version marker in xsi:schemaLocation: validated as the newest, 2.2.4",
                )
            };
            kind(Standard::Qti22, qti_role(name), ns, Some(schema), why)
        }
        NS_QTI30 => {
            let why = if marker("imsqti_asiv3p0p1") {
                "namespace imsqtiasi_v3p0, schemaLocation 3.0.1: validated against the annotation-stripped 3.0.1 ASI schema"
            } else {
                "namespace imsqtiasi_v3p0: the pristine 3.0.0 ASI schema is not in the bundle, validated against the annotation-stripped 3.0.1 ASI schema (the newest compatible)"
            };
            kind(
                Standard::Qti30,
                qti_role(name),
                ns,
                Some(schemas::QTI30_ASI),
                why,
            )
        }
        "http://www.imsglobal.org/xsd/imsqti_usagedata_v3p0" => kind(
            Standard::Qti30,
            Role::Other,
            ns,
            Some(schemas::QTI30_USAGE),
            "QTI 3.0 usage data",
        ),
        "http://www.imsglobal.org/xsd/apip/apipv1p0/qtiitem/imsqti_v2p1" => kind(
            Standard::Apip,
            Role::Item,
            ns,
            Some(schemas::APIP_ITEM21),
            "APIP 1.0 item on QTI 2.1",
        ),
        "http://www.imsglobal.org/xsd/apip/apipv1p0/qtiitem/imsqti_v2p2" => kind(
            Standard::Apip,
            Role::Item,
            ns,
            Some(schemas::APIP_ITEM22),
            "APIP 1.0 item on QTI 2.2",
        ),
        "http://www.imsglobal.org/xsd/apip/apipv1p0/qtitest/imsqti_v2p1" => kind(
            Standard::Apip,
            Role::Test,
            ns,
            Some(schemas::APIP_TEST21),
            "APIP 1.0 test on QTI 2.1",
        ),
        "http://www.imsglobal.org/xsd/apip/apipv1p0/qtitest/imsqti_v2p2" => kind(
            Standard::Apip,
            Role::Test,
            ns,
            Some(schemas::APIP_TEST22),
            "APIP 1.0 test on QTI 2.2",
        ),
        "http://www.imsglobal.org/xsd/apip/apipv1p0/qtisection/imsqti_v2p1" => kind(
            Standard::Apip,
            Role::Section,
            ns,
            Some(schemas::APIP_SECTION21),
            "APIP 1.0 section on QTI 2.1",
        ),
        "http://www.imsglobal.org/xsd/apip/apipv1p0/qtisection/imsqti_v2p2" => kind(
            Standard::Apip,
            Role::Section,
            ns,
            Some(schemas::APIP_SECTION22),
            "APIP 1.0 section on QTI 2.2",
        ),
        "http://www.imsglobal.org/xsd/apip/apipv1p0/qtistimulus/imsqti_v2p2" => kind(
            Standard::Apip,
            Role::Stimulus,
            ns,
            Some(schemas::APIP_STIMULUS22),
            "APIP 1.0 stimulus on QTI 2.2",
        ),
        _ if ns.starts_with("http://www.imsglobal.org/xsd/apip/") => kind(
            Standard::Apip,
            Role::Other,
            ns,
            None,
            "an APIP 1.0 document Plugfest has no schema routing for",
        ),
        NS_QTI12_CC if name == "questestinterop" => {
            if marker("ccv1p3_") {
                kind(
                    Standard::Qti12Cc,
                    Role::QuestestInterop,
                    ns,
                    None,
                    "CC QTI 1.2.1 profile, CC 1.3 schemaLocation: ccv1p3_qtiasiv1p2p1_v1p0.xsd is not in the bundle",
                )
            } else {
                kind(
                    Standard::Qti12Cc,
                    Role::QuestestInterop,
                    ns,
                    Some(schemas::CC11_QTI),
                    "CC QTI 1.2.1 profile (ims_qtiasiv1p2 namespace), CC 1.1 profile schema",
                )
            }
        }
        "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1" => kind(
            Standard::Cc11,
            Role::WebLink,
            ns,
            Some(schemas::CC11_WL),
            "CC 1.1 web link",
        ),
        "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3" => kind(
            Standard::Cc13,
            Role::WebLink,
            ns,
            Some(schemas::CC13_WL),
            "CC 1.3 web link",
        ),
        "http://www.imsglobal.org/xsd/imsccv1p4/imswl_v1p4" => kind(
            Standard::Cc14,
            Role::WebLink,
            ns,
            Some(schemas::CC14_WL),
            "CC 1.4 web link",
        ),
        "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1" => kind(
            Standard::Cc11,
            Role::Topic,
            ns,
            Some(schemas::CC11_DT),
            "CC 1.1 discussion topic",
        ),
        "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3" => kind(
            Standard::Cc13,
            Role::Topic,
            ns,
            Some(schemas::CC13_DT),
            "CC 1.3 discussion topic",
        ),
        "http://www.imsglobal.org/xsd/imsccv1p4/imsdt_v1p4" => kind(
            Standard::Cc14,
            Role::Topic,
            ns,
            Some(schemas::CC14_DT),
            "CC 1.4 discussion topic",
        ),
        "http://www.imsglobal.org/xsd/imswl_v1p0" => kind(
            Standard::Cc10,
            Role::WebLink,
            ns,
            None,
            "CC 1.0 web link: the CC 1.0 schemas are not in the bundle",
        ),
        "http://www.imsglobal.org/xsd/imsdt_v1p0" => kind(
            Standard::Cc10,
            Role::Topic,
            ns,
            None,
            "CC 1.0 discussion topic: the CC 1.0 schemas are not in the bundle",
        ),
        _ if ns.starts_with("http://www.imsglobal.org/xsd/imsccv1p2/") => kind(
            Standard::Cc12,
            cc_role(name),
            ns,
            None,
            "CC 1.2: the CC 1.2 schemas are not in the bundle",
        ),
        "http://www.imsglobal.org/xsd/imslticc_v1p0" => kind(
            Standard::Cc11,
            Role::LtiLink,
            ns,
            Some(schemas::CC11_LTI),
            "basic LTI link (imslticc_v1p0)",
        ),
        "http://www.imsglobal.org/xsd/imslticc_v1p3" => kind(
            Standard::Cc13,
            Role::LtiLink,
            ns,
            None,
            "CC 1.3 basic LTI link: imslticc_v1p3.xsd is not in the bundle",
        ),
        "http://www.imsglobal.org/xsd/imscc_extensions/assignment" => kind(
            Standard::Cc13,
            Role::Assignment,
            ns,
            Some(schemas::CC_ASSIGNMENT),
            "CC assignment extension",
        ),
        NS_IWB if name == "iwb" => kind(
            Standard::Iwb,
            Role::IwbContent,
            ns,
            None,
            "IWB CFF 1.0 content: no public IWB schema, not in the bundle",
        ),
        _ => other(
            ns,
            if ns.is_empty() {
                format!("root element `{name}` in no namespace: not a recognised standard")
            } else {
                format!("root element `{name}` in namespace {ns}: not a recognised standard")
            },
        ),
    }
}

fn cc_role(name: &str) -> Role {
    match name {
        "webLink" => Role::WebLink,
        "topic" => Role::Topic,
        "cartridge_basiclti_link" => Role::LtiLink,
        "questestinterop" => Role::QuestestInterop,
        "manifest" => Role::Manifest,
        _ => Role::Other,
    }
}

fn detect_manifest(root: roxmltree::Node<'_, '_>, ns: &str) -> DocKind {
    let version = manifest_metadata(root, "schemaversion");
    let schema_name = manifest_metadata(root, "schema");
    let v = version.as_deref().unwrap_or("");
    let files = schema_files(root);
    match ns {
        NS_CC10 => kind(
            Standard::Cc10,
            Role::Manifest,
            ns,
            None,
            "CC 1.0 manifest (imscc namespace): the CC 1.0 schemas are not in the bundle",
        ),
        NS_CC11 if v.starts_with("1.2") => kind(
            Standard::Cc12,
            Role::Manifest,
            ns,
            None,
            "CC 1.2 manifest (imsccv1p1 namespace, schemaversion 1.2.0): the CC 1.2 schemas are not in the bundle",
        ),
        NS_CC11 => kind(
            Standard::Cc11,
            Role::Manifest,
            ns,
            Some(schemas::CC11_MANIFEST),
            if version.is_some() {
                format!("CC manifest, imsccv1p1 namespace, schemaversion {v}")
            } else {
                "CC manifest, imsccv1p1 namespace, no schemaversion: taken as CC 1.1".to_string()
            },
        ),
        NS_CC13 => kind(
            Standard::Cc13,
            Role::Manifest,
            ns,
            Some(schemas::CC13_MANIFEST),
            format!(
                "CC 1.3 manifest (imsccv1p3 namespace{})",
                version
                    .as_deref()
                    .map(|v| format!(", schemaversion {v}"))
                    .unwrap_or_default()
            ),
        ),
        NS_CC14 => kind(
            Standard::Cc14,
            Role::Manifest,
            ns,
            Some(schemas::CC14_MANIFEST),
            "CC 1.4 manifest (imsccv1p4 namespace)",
        ),
        NS_QTI30_CP => {
            if v == "3.0.1" {
                kind(
                    Standard::Qti30,
                    Role::Manifest,
                    ns,
                    Some(schemas::QTI301_CP),
                    "QTI 3 package manifest, schemaversion 3.0.1",
                )
            } else {
                kind(
                    Standard::Qti30,
                    Role::Manifest,
                    ns,
                    Some(schemas::QTI300_CP),
                    if v == "3.0.0" {
                        "QTI 3 package manifest, schemaversion 3.0.0".to_string()
                    } else {
                        format!(
                            "QTI 3 package manifest, schemaversion `{v}` (neither 3.0.0 nor 3.0.1): validated against the 3.0.0 profile"
                        )
                    },
                )
            }
        }
        NS_APIP_CP => kind(
            Standard::Apip,
            Role::Manifest,
            ns,
            Some(schemas::APIP_CP),
            "APIP 1.0 package manifest",
        ),
        NS_CP => {
            let says = |needle: &str| files.iter().any(|f| f.starts_with(needle));
            let named = schema_name.as_deref().unwrap_or("");
            if named.eq_ignore_ascii_case("IMS Common Cartridge") && v.starts_with("1.0") {
                kind(
                    Standard::Cc10,
                    Role::Manifest,
                    ns,
                    None,
                    "CC 1.0 manifest (imscp_v1p1 namespace, schema IMS Common Cartridge 1.0.0): the CC 1.0 schemas are not in the bundle",
                )
            } else if says("qtiv2p2_imscpv1p2") || named.starts_with("QTIv2.2") {
                kind(
                    Standard::Cp,
                    Role::Manifest,
                    ns,
                    Some(schemas::QTI22_CP),
                    "IMS CP manifest in the QTI 2.2 package profile",
                )
            } else if says("qtiv2p1_imscpv1p2") || named.starts_with("QTIv2.1") {
                kind(
                    Standard::Cp,
                    Role::Manifest,
                    ns,
                    Some(schemas::QTI21_CP),
                    "IMS CP manifest in the QTI 2.1 package profile",
                )
            } else {
                kind(
                    Standard::Cp,
                    Role::Manifest,
                    ns,
                    Some(schemas::CP),
                    "IMS CP manifest (imscp_v1p1 namespace), IMS CP 1.1.4 schema",
                )
            }
        }
        _ => other(
            ns,
            if ns.is_empty() {
                "a `manifest` in no namespace: not a recognised package manifest".to_string()
            } else {
                format!("a `manifest` in namespace {ns}: not a recognised package manifest")
            },
        ),
    }
}

/// Adjusts `kind` for the package it sits in, given the standard of the package's root
/// manifest: the CC QTI profile and CC extension documents follow the cartridge's version.
pub fn refine(kind: &mut DocKind, package: Standard) {
    match (kind.standard, package) {
        (Standard::Qti12Cc, Standard::Cc10 | Standard::Cc12 | Standard::Cc13 | Standard::Cc14)
            if kind.schema.is_some() =>
        {
            kind.schema = None;
            kind.why = format!(
                "CC QTI 1.2.1 profile in a {} cartridge: that version's QTI profile schema is not in the bundle",
                cc_name(package)
            );
        }
        (_, Standard::Cc14) if kind.role == Role::Assignment => {
            kind.standard = Standard::Cc14;
        }
        _ => {}
    }
}

fn cc_name(s: Standard) -> &'static str {
    match s {
        Standard::Cc10 => "CC 1.0",
        Standard::Cc11 => "CC 1.1",
        Standard::Cc12 => "CC 1.2",
        Standard::Cc13 => "CC 1.3",
        Standard::Cc14 => "CC 1.4",
        _ => "CC",
    }
}

/// True for file names Plugfest parses as XML: `.xml`, `.qti` (Canvas writes `.xml.qti`) and
/// `imsmanifest.xml`; never the AppleDouble files of `__MACOSX/` and `._*`.
pub fn is_xml_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    if lower.starts_with("__macosx/") || file.starts_with("._") {
        return false;
    }
    lower.ends_with(".xml") || lower.ends_with(".qti")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(path: &str, xml: &str) -> DocKind {
        let doc = roxmltree::Document::parse(xml).expect("xml");
        detect(path, &doc)
    }

    #[test]
    fn qti22_versions_follow_the_schema_location() {
        let k = d(
            "a.xml",
            r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p2 http://www.imsglobal.org/xsd/qti/qtiv2p2/imsqti_v2p2p1.xsd"/>"#,
        );
        assert_eq!((k.standard, k.role), (Standard::Qti22, Role::Item));
        assert_eq!(k.schema, Some(schemas::QTI221));
        let k = d(
            "a.xml",
            r#"<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p2"/>"#,
        );
        assert_eq!(k.role, Role::Test);
        assert_eq!(k.schema, Some(schemas::QTI224));
    }

    #[test]
    fn manifests_by_namespace_and_version() {
        let m = |ns: &str, v: &str| {
            d(
                "imsmanifest.xml",
                &format!(
                    r#"<manifest xmlns="{ns}"><metadata><schema>x</schema><schemaversion>{v}</schemaversion></metadata></manifest>"#
                ),
            )
        };
        assert_eq!(m(NS_CC11, "1.1.0").standard, Standard::Cc11);
        assert_eq!(m(NS_CC11, "1.2.0").standard, Standard::Cc12);
        assert_eq!(m(NS_CC11, "1.2.0").schema, None);
        assert_eq!(m(NS_CC13, "1.3.0").schema, Some(schemas::CC13_MANIFEST));
        assert_eq!(m(NS_QTI30_CP, "3.0.1").schema, Some(schemas::QTI301_CP));
        assert_eq!(m(NS_QTI30_CP, "3.0.0").schema, Some(schemas::QTI300_CP));
        assert_eq!(m(NS_CP, "1.1.4").standard, Standard::Cp);
        assert_eq!(m("urn:x", "1").standard, Standard::Other);
    }

    #[test]
    fn canvas_sidecars_are_other() {
        let k = d(
            "course_settings/course_settings.xml",
            r#"<course xmlns="http://canvas.instructure.com/xsd/cccv1p0"/>"#,
        );
        assert_eq!(k.standard, Standard::Other);
        let k = d(
            "non_cc_assessments/q.xml.qti",
            r#"<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2"/>"#,
        );
        assert_eq!(k.standard, Standard::Other);
    }

    #[test]
    fn xml_names() {
        assert!(is_xml_name("a/b.XML"));
        assert!(is_xml_name("non_cc_assessments/x.xml.qti"));
        assert!(!is_xml_name("__MACOSX/a.xml"));
        assert!(!is_xml_name("a/._b.xml"));
        assert!(!is_xml_name("a.html"));
    }
}
