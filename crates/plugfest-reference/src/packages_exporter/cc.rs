//! The Common Cartridge 1.3 the exporter serves: a CC 1.3 manifest (`ccv1p3_imscp_v1p2_v1p0.xsd`,
//! `schemaversion` 1.3.0, the required LOM title) with one `rooted-hierarchy` organization whose
//! untitled root item holds four titled learning-object items, and four resources — a
//! webcontent HTML page in the cartridge web-content folder, a web link (`imswl_xmlv1p3`), a
//! discussion topic (`imsdt_xmlv1p3`) and a basic LTI link (`imsbasiclti_xmlv1p3`, the only
//! LTI resource type the CC 1.3 manifest XSD enumerates) with an absolute https launch URL.
//!
//! Each learning object has its own folder and exactly one `file`, no `href` and no
//! dependency, so the CC Schematron rules embedded in the manifest XSD hold (RULE 1b/1c,
//! 2b–2d, 7a/7b, 8a/8b, 9a, 10a/10b, 11a–f); the webcontent resource has the `href` an item
//! referencing it needs (RULE 5g) and a `file` with the same href (RULE 10b).

use super::fault::{FaultSet, PackagesExporterFault};
use crate::package_files::ns;

/// The manifest, at the cartridge root.
pub(crate) const MANIFEST_PATH: &str = "imsmanifest.xml";
/// The webcontent page (fault `cc-missing-file` leaves it out of the zip).
pub(crate) const PAGE_PATH: &str = "web_resources/welcome.html";
/// The web link descriptor.
pub(crate) const WEBLINK_PATH: &str = "weblink_1/weblink.xml";
/// The discussion topic descriptor.
pub(crate) const TOPIC_PATH: &str = "topic_1/topic.xml";
/// The basic LTI link descriptor.
pub(crate) const LTI_PATH: &str = "lti_1/lti_link.xml";
/// The web link's URL.
pub(crate) const WEBLINK_URL: &str = "https://www.1edtech.org/standards/cc";
/// The web link's URL under fault `weblink-relative-url`.
pub(crate) const RELATIVE_URL: &str = "/relative/page";
/// The LTI link's launch URL (absolute https).
pub(crate) const LAUNCH_URL: &str = "https://tool.plugfest.example/lti/launch";

/// The faults that bend the cartridge; read only here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CcFaults {
    /// `packages-exporter/weblink-relative-url`
    pub weblink_relative_url: bool,
    /// `packages-exporter/cc-missing-file`
    pub cc_missing_file: bool,
    /// `packages-exporter/weblink-not-schema-valid`
    pub weblink_out_of_order: bool,
}

impl CcFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            weblink_relative_url: set.has(PackagesExporterFault::WeblinkRelativeUrl),
            cc_missing_file: set.has(PackagesExporterFault::CcMissingFile),
            weblink_out_of_order: set.has(PackagesExporterFault::WeblinkNotSchemaValid),
        }
    }
}

/// The cartridge's zip entries, in the order they are written (the manifest first).
pub(crate) fn files(faults: CcFaults) -> Vec<(&'static str, Vec<u8>)> {
    let mut files = vec![(MANIFEST_PATH, manifest().into_bytes())];
    if !faults.cc_missing_file {
        files.push((PAGE_PATH, PAGE.as_bytes().to_vec()));
    }
    files.extend([
        (WEBLINK_PATH, weblink(faults).into_bytes()),
        (TOPIC_PATH, topic().into_bytes()),
        (LTI_PATH, lti_link().into_bytes()),
    ]);
    files
}

/// The cartridge as a zip.
pub(crate) fn package(faults: CcFaults) -> Result<Vec<u8>, zip::result::ZipError> {
    crate::package_files::write_zip(&files(faults))
}

/// The manifest. CC 1.1 IG §4.4.3.3: "A cartridge with a folder Organization should always be
/// rooted on a single Item container object … It must not contain a Title value object";
/// §4.4.3.4: "Every Item object with the exception of the root Item must contain a Title".
fn manifest() -> String {
    let cc = ns::CC13;
    let lom = ns::CC13_LOM_MANIFEST;
    let xsi = ns::XSI;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="{cc}" xmlns:lomimscc="{lom}" xmlns:xsi="{xsi}"
    xsi:schemaLocation="{cc} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd {lom} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd"
    identifier="PLUGFEST-CC13-CARTRIDGE">
  <metadata>
    <schema>IMS Common Cartridge</schema>
    <schemaversion>1.3.0</schemaversion>
    <lomimscc:lom>
      <lomimscc:general>
        <lomimscc:title>
          <lomimscc:string language="en-US">Plugfest reference cartridge</lomimscc:string>
        </lomimscc:title>
      </lomimscc:general>
    </lomimscc:lom>
  </metadata>
  <organizations>
    <organization identifier="ORG-1" structure="rooted-hierarchy">
      <item identifier="ITEM-ROOT">
        <item identifier="ITEM-WELCOME" identifierref="RES-WELCOME">
          <title>Welcome</title>
        </item>
        <item identifier="ITEM-WEBLINK" identifierref="RES-WEBLINK">
          <title>About Common Cartridge</title>
        </item>
        <item identifier="ITEM-TOPIC" identifierref="RES-TOPIC">
          <title>Introduce yourself</title>
        </item>
        <item identifier="ITEM-LTI" identifierref="RES-LTI">
          <title>Practice tool</title>
        </item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-WELCOME" type="webcontent" href="{PAGE_PATH}">
      <file href="{PAGE_PATH}"/>
    </resource>
    <resource identifier="RES-WEBLINK" type="imswl_xmlv1p3">
      <file href="{WEBLINK_PATH}"/>
    </resource>
    <resource identifier="RES-TOPIC" type="imsdt_xmlv1p3">
      <file href="{TOPIC_PATH}"/>
    </resource>
    <resource identifier="RES-LTI" type="imsbasiclti_xmlv1p3">
      <file href="{LTI_PATH}"/>
    </resource>
  </resources>
</manifest>
"#
    )
}

/// The welcome page.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Welcome</title>
</head>
<body>
<h1>Welcome</h1>
<p>This course was exported by the Plugfest reference vendor.</p>
</body>
</html>
"#;

/// The web link (`ccv1p3_imswl_v1p3.xsd`: title, then url with href).
fn weblink(faults: CcFaults) -> String {
    let wl = ns::CC13_WEBLINK;
    let xsi = ns::XSI;
    let url = if faults.weblink_relative_url {
        RELATIVE_URL
    } else {
        WEBLINK_URL
    };
    let title = "<title>About Common Cartridge</title>";
    let url = format!(r#"<url href="{url}" target="_blank"/>"#);
    let (first, second) = if faults.weblink_out_of_order {
        (url.as_str(), title)
    } else {
        (title, url.as_str())
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<webLink xmlns="{wl}" xmlns:xsi="{xsi}"
    xsi:schemaLocation="{wl} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imswl_v1p3.xsd">
  {first}
  {second}
</webLink>
"#
    )
}

/// The discussion topic (`ccv1p3_imsdt_v1p3.xsd`: title, then text with its texttype).
fn topic() -> String {
    let dt = ns::CC13_TOPIC;
    let xsi = ns::XSI;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<topic xmlns="{dt}" xmlns:xsi="{xsi}"
    xsi:schemaLocation="{dt} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imsdt_v1p3.xsd">
  <title>Introduce yourself</title>
  <text texttype="text/html">&lt;p&gt;Tell the class who you are and what you hope to learn.&lt;/p&gt;</text>
</topic>
"#
    )
}

/// The basic LTI link (`imslticc_v1p3.xsd` extends `blti:BasicLTILink.Type`: title,
/// description, launch_url, then the required vendor).
fn lti_link() -> String {
    let cc = ns::LTICC13;
    let blti = ns::BLTI;
    let lticm = ns::LTICM;
    let lticp = ns::LTICP;
    let xsi = ns::XSI;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<cartridge_basiclti_link xmlns="{cc}" xmlns:blti="{blti}" xmlns:lticm="{lticm}" xmlns:lticp="{lticp}" xmlns:xsi="{xsi}"
    xsi:schemaLocation="{cc} http://www.imsglobal.org/xsd/lti/ltiv1p3/imslticc_v1p3.xsd {blti} http://www.imsglobal.org/xsd/lti/ltiv1p0/imsbasiclti_v1p0p1.xsd {lticm} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticm_v1p0.xsd {lticp} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticp_v1p0.xsd">
  <blti:title>Practice tool</blti:title>
  <blti:description>A practice activity launched with LTI.</blti:description>
  <blti:launch_url>{LAUNCH_URL}</blti:launch_url>
  <blti:vendor>
    <lticp:code>plugfest.example</lticp:code>
    <lticp:name>Plugfest reference vendor</lticp:name>
  </blti:vendor>
</cartridge_basiclti_link>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(files: &[(&str, Vec<u8>)], path: &str) -> Option<String> {
        files
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
    }

    #[test]
    fn every_descriptor_is_well_formed_in_its_namespace() {
        let files = files(CcFaults::default());
        for (path, want) in [
            (MANIFEST_PATH, ns::CC13),
            (WEBLINK_PATH, ns::CC13_WEBLINK),
            (TOPIC_PATH, ns::CC13_TOPIC),
            (LTI_PATH, ns::LTICC13),
        ] {
            let text = doc(&files, path).unwrap();
            let parsed = roxmltree::Document::parse(&text).unwrap();
            assert_eq!(
                parsed.root_element().tag_name().namespace(),
                Some(want),
                "{path}"
            );
        }
        assert!(doc(&files, PAGE_PATH).is_some());
        assert!(doc(&files, WEBLINK_PATH).unwrap().contains(WEBLINK_URL));
    }

    #[test]
    fn each_fault_changes_its_part_only() {
        let clean = files(CcFaults::default());
        let relative = files(CcFaults {
            weblink_relative_url: true,
            ..CcFaults::default()
        });
        assert!(
            doc(&relative, WEBLINK_PATH)
                .unwrap()
                .contains("href=\"/relative/page\"")
        );
        assert_eq!(relative.len(), clean.len());
        let missing = files(CcFaults {
            cc_missing_file: true,
            ..CcFaults::default()
        });
        assert!(doc(&missing, PAGE_PATH).is_none());
        assert!(doc(&missing, MANIFEST_PATH).unwrap().contains(PAGE_PATH));
        assert_eq!(missing.len(), clean.len() - 1);
    }
}
