//! The reference package exporter and importer over real HTTPS on loopback: the exporter's
//! clean QTI 2.1 package and Common Cartridge 1.3 checked against the official XSDs with
//! `xmllint` and the XML catalog of `../shared/schemas/xsd/` (skipped loudly when either is
//! missing, failed under `CI=true`), the CC Schematron rules and the package rules checked
//! here independently, each exporter fault shown to change exactly its part, the importer
//! taking the exporter's clean packages and refusing the bad ones and hostile zips, and each
//! importer fault flipping its behaviour.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use plugfest_reference::{packages_exporter, packages_importer};
use reqwest::StatusCode;
use roxmltree::{Document, Node};
use serde_json::Value;
use support::{Pki, RawEntry, raw_zip};

const TOKEN: &str = "pkg-t0ken&secret";

const QTI_NS: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
const CP_NS: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
const CC_NS: &str = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1";
const WL_NS: &str = "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3";
const DT_NS: &str = "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3";
const LTICC13_NS: &str = "http://www.imsglobal.org/xsd/imslticc_v1p3";
const LTICC10_NS: &str = "http://www.imsglobal.org/xsd/imslticc_v1p0";

type Files = BTreeMap<String, Vec<u8>>;

// ---- Starting the roles and talking to them ------------------------------------------------

async fn exporter(pki: &Pki, faults: &[&str]) -> packages_exporter::Running {
    let settings = support::settings!(packages_exporter::Settings, pki, faults, {
        token: TOKEN.into(),
    });
    packages_exporter::start(settings).await.unwrap()
}

async fn importer(pki: &Pki, faults: &[&str]) -> packages_importer::Running {
    let settings = support::settings!(packages_importer::Settings, pki, faults, {
        token: TOKEN.into(),
    });
    packages_importer::start(settings).await.unwrap()
}

/// `request` sent with the bearer token.
async fn with_token(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.bearer_auth(TOKEN).send().await.unwrap()
}

/// GET `url` with the bearer token: status, Content-Type, body.
async fn download(client: &reqwest::Client, url: &str) -> (StatusCode, String, Vec<u8>) {
    let response = with_token(client.get(url)).await;
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.bytes().await.unwrap().to_vec(),
    )
}

/// The package at `url`, which must download as a zip.
async fn package(client: &reqwest::Client, url: &str) -> Vec<u8> {
    let (status, content_type, body) = download(client, url).await;
    assert_eq!(status, StatusCode::OK, "{url}");
    assert_eq!(content_type, "application/zip", "{url}");
    body
}

/// The QTI package and the cartridge of an exporter started with `faults`, unzipped.
async fn exports(pki: &Pki, client: &reqwest::Client, faults: &[&str]) -> (Files, Files) {
    let e = exporter(pki, faults).await;
    let qti = unzip(&package(client, &e.qti_export_url).await);
    let cc = unzip(&package(client, &e.cc_export_url).await);
    (qti, cc)
}

/// What an upload got back: status, Location, body (parsed when JSON).
struct Answer {
    status: StatusCode,
    location: Option<String>,
    text: String,
    json: Option<Value>,
}

impl Answer {
    fn error(&self) -> String {
        self.json
            .as_ref()
            .and_then(|j| j["error"].as_str())
            .unwrap_or_default()
            .to_owned()
    }
}

async fn upload(
    client: &reqwest::Client,
    importer: &packages_importer::Running,
    body: Vec<u8>,
    content_type: &str,
) -> Answer {
    let response = with_token(
        client
            .post(&importer.import_url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body),
    )
    .await;
    answer(response).await
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).ok();
    Answer {
        status,
        location,
        text,
        json,
    }
}

/// Assert a clean refusal: 400, JSON, an error message holding every one of `mentions`.
fn assert_refused(a: &Answer, mentions: &[&str]) {
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
    let error = a.error();
    assert!(!error.is_empty(), "no error message: {}", a.text);
    for m in mentions {
        assert!(error.contains(m), "`{error}` does not name `{m}`");
    }
}

/// Every entry of `zip`, by its raw name (unsafe names included: nothing is extracted).
fn unzip(zip: &[u8]) -> Files {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut files = Files::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(entry.name().unwrap().into_owned(), bytes);
    }
    files
}

fn text(files: &Files, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap()
}

/// The names whose content differs between `a` and `b`, or that only one has.
fn changed(a: &Files, b: &Files) -> BTreeSet<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

// ---- xmllint and the official XSDs ---------------------------------------------------------

/// The shared schema bundle and xmllint, when both are there.
struct Xsd {
    root: PathBuf,
}

impl Xsd {
    /// `None` (after saying so loudly) when xmllint or the bundle is missing; under `CI=true`
    /// that is a failure instead.
    fn find() -> Option<Self> {
        let root = std::env::var_os("PLUGFEST_SHARED")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
            .join("schemas/xsd");
        let xmllint = Command::new("xmllint").arg("--version").output().is_ok();
        let bundle = root.join("catalog.xml").is_file();
        if xmllint && bundle {
            return Some(Self { root });
        }
        let why = format!(
            "XSD checks SKIPPED: xmllint {}, schema bundle {} ({})",
            if xmllint { "found" } else { "missing" },
            if bundle { "found" } else { "missing" },
            root.display()
        );
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{why}; CI=true requires both");
        }
        eprintln!("\n!!!!! {why} !!!!!\n");
        None
    }

    /// Validate `docs` (name, content) against `schema` (relative to the bundle) in one
    /// xmllint run, offline through the catalog; `Err` with xmllint's complaints.
    fn validate(&self, schema: &str, docs: &[(String, Vec<u8>)]) -> Result<(), String> {
        static RUN: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "plugfest-reference-xsd-{}-{}",
            std::process::id(),
            RUN.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut paths = Vec::new();
        for (i, (name, bytes)) in docs.iter().enumerate() {
            let file = name.rsplit('/').next().unwrap();
            let path = dir.join(format!("{i}-{file}"));
            std::fs::write(&path, bytes).unwrap();
            paths.push(path);
        }
        let out = Command::new("xmllint")
            .env("XML_CATALOG_FILES", self.root.join("catalog.xml"))
            .args(["--nonet", "--noout", "--schema"])
            .arg(self.root.join(schema))
            .args(&paths)
            .output()
            .unwrap();
        std::fs::remove_dir_all(&dir).ok();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let complaints: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.contains("Skipping import of schema") && !l.ends_with(" validates"))
            .collect();
        if out.status.success() && complaints.is_empty() {
            Ok(())
        } else {
            Err(format!("{schema}:\n{}", complaints.join("\n")))
        }
    }

    /// Validate every XML document of a package against the official XSD for its root
    /// namespace (packages.md Appendix A). The CC 1.3 LTI link's `imslticc_v1p3.xsd` is not in
    /// the bundle; its content model is `imslticc_v1p0p1.xsd`'s (both extend
    /// `blti:BasicLTILink.Type` with cartridge_bundle, cartridge_icon, metadata), so the link
    /// is validated against that schema with its namespace swapped.
    fn validate_package(&self, files: &Files) -> Result<(), String> {
        let mut by_schema: BTreeMap<&str, Vec<(String, Vec<u8>)>> = BTreeMap::new();
        for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".xml")) {
            let text = std::str::from_utf8(bytes).unwrap();
            let doc = Document::parse(text).unwrap();
            let ns = doc
                .root_element()
                .tag_name()
                .namespace()
                .unwrap_or_default();
            let (schema, bytes) = match ns {
                CP_NS => ("cp/qtism/imscp_v1p1.xsd", bytes.clone()),
                QTI_NS => ("qti21/qtism/qtiv2p1/imsqti_v2p1.xsd", bytes.clone()),
                CC_NS => ("cc/v1p3/ccv1p3_imscp_v1p2_v1p0.xsd", bytes.clone()),
                WL_NS => ("cc/v1p3/ccv1p3_imswl_v1p3.xsd", bytes.clone()),
                DT_NS => ("cc/v1p3/ccv1p3_imsdt_v1p3.xsd", bytes.clone()),
                LTICC13_NS => (
                    "cc/v1p1/imslticc_v1p0p1.xsd",
                    text.replace(LTICC13_NS, LTICC10_NS).into_bytes(),
                ),
                other => return Err(format!("{name}: no official schema known for `{other}`")),
            };
            by_schema
                .entry(schema)
                .or_default()
                .push((name.clone(), bytes));
        }
        let mut errors = Vec::new();
        for (schema, docs) in &by_schema {
            if let Err(e) = self.validate(schema, docs) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }
}

// ---- Package rules checked here, independently ----------------------------------------------

fn parse(text: &str) -> Document<'_> {
    Document::parse(text).unwrap()
}

fn elements<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    node.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .collect()
}

/// CP 1.1: identifiers unique; every resource href and file href in the zip; every
/// dependency resolving; every zip entry listed by some file (packages.md §4 checks 3–6).
fn assert_manifest_complete(files: &Files) {
    let manifest = text(files, "imsmanifest.xml");
    let doc = parse(&manifest);
    let mut ids = HashSet::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if matches!(
            node.tag_name().name(),
            "manifest" | "organization" | "item" | "resource"
        ) && let Some(id) = node.attribute("identifier")
        {
            assert!(ids.insert(id), "identifier {id} repeated");
        }
    }
    let resources: HashSet<&str> = elements(doc.root_element(), "resource")
        .iter()
        .map(|r| r.attribute("identifier").unwrap())
        .collect();
    let mut listed = BTreeSet::new();
    for r in elements(doc.root_element(), "resource") {
        if let Some(href) = r.attribute("href") {
            assert!(files.contains_key(href), "resource href {href} missing");
        }
        for f in elements(r, "file") {
            let href = f.attribute("href").unwrap();
            assert!(files.contains_key(href), "file {href} missing from the zip");
            listed.insert(href.to_owned());
        }
        for d in elements(r, "dependency") {
            assert!(resources.contains(d.attribute("identifierref").unwrap()));
        }
    }
    let unlisted: Vec<_> = files
        .keys()
        .filter(|k| *k != "imsmanifest.xml" && !listed.contains(*k))
        .collect();
    assert!(unlisted.is_empty(), "files no resource lists: {unlisted:?}");
}

/// QTI semantics (packages.md §4 checks 14, 17, 22, 31, 35): responses declared, identifiers
/// unique, the template prerequisites, images present, item refs resolving.
fn assert_qti_semantics(files: &Files) {
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".xml")) {
        let text = std::str::from_utf8(bytes).unwrap();
        let doc = parse(text);
        let root = doc.root_element();
        if root.tag_name().namespace() != Some(QTI_NS) {
            continue;
        }
        let dir = name
            .rsplit_once('/')
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        match root.tag_name().name() {
            "assessmentItem" => {
                let responses: Vec<&str> = elements(root, "responseDeclaration")
                    .iter()
                    .map(|d| d.attribute("identifier").unwrap())
                    .collect();
                let outcomes: Vec<&str> = elements(root, "outcomeDeclaration")
                    .iter()
                    .map(|d| d.attribute("identifier").unwrap())
                    .collect();
                let all: HashSet<_> = responses.iter().chain(&outcomes).collect();
                assert_eq!(all.len(), responses.len() + outcomes.len(), "{name}");
                for n in root.descendants().filter(|n| n.is_element()) {
                    if let Some(r) = n.attribute("responseIdentifier") {
                        assert!(responses.contains(&r), "{name}: {r} undeclared");
                    }
                }
                let template = elements(root, "responseProcessing")[0]
                    .attribute("template")
                    .unwrap();
                assert!(responses.contains(&"RESPONSE") && outcomes.contains(&"SCORE"));
                let response = elements(root, "responseDeclaration")[0];
                if template.ends_with("/match_correct") {
                    assert!(!elements(response, "correctResponse").is_empty(), "{name}");
                } else {
                    assert!(template.ends_with("/map_response"), "{template}");
                    assert!(!elements(response, "mapping").is_empty(), "{name}");
                }
                for img in elements(root, "img") {
                    let src = format!("{dir}{}", img.attribute("src").unwrap());
                    assert!(files.contains_key(&src), "{name}: image {src} missing");
                }
            }
            "assessmentTest" => {
                let refs = elements(root, "assessmentItemRef");
                assert_eq!(refs.len(), 2);
                for r in refs {
                    let href = format!("{dir}{}", r.attribute("href").unwrap());
                    let item = text_of(files, &href);
                    assert_eq!(
                        parse(&item).root_element().tag_name().name(),
                        "assessmentItem"
                    );
                }
            }
            other => panic!("{name}: unexpected QTI root {other}"),
        }
    }
}

fn text_of(files: &Files, name: &str) -> String {
    text(files, name)
}

/// The CC 1.3 Schematron rules embedded in `ccv1p3_imscp_v1p2_v1p0.xsd` (RULE 1–11), as
/// written there, over the manifest.
fn assert_cc_schematron(files: &Files) {
    let manifest = text(files, "imsmanifest.xml");
    let doc = parse(&manifest);
    let resources = elements(doc.root_element(), "resource");
    let type_of = |id: &str| {
        resources
            .iter()
            .find(|r| r.attribute("identifier") == Some(id))
            .and_then(|r| r.attribute("type"))
            .unwrap_or_default()
            .to_owned()
    };
    const DT: &str = "imsdt_xmlv1p3";
    const WL: &str = "imswl_xmlv1p3";
    const ASSESSMENT: &str = "imsqti_xmlv1p2/imscc_xmlv1p3/assessment";
    const QB: &str = "imsqti_xmlv1p2/imscc_xmlv1p3/question-bank";
    const AC: &str = "associatedcontent/imscc_xmlv1p3/learning-application-resource";
    const LTI: &str = "imsbasiclti_xmlv1p3";
    for r in &resources {
        let id = r.attribute("identifier").unwrap();
        let ty = r.attribute("type").unwrap();
        let files_of: Vec<&str> = elements(*r, "file")
            .iter()
            .map(|f| f.attribute("href").unwrap())
            .collect();
        let deps: Vec<String> = elements(*r, "dependency")
            .iter()
            .map(|d| d.attribute("identifierref").unwrap().to_owned())
            .collect();
        // RULE 1b/1c, 2b/2c, 3b/3c, 4c/4d.
        if [DT, WL, ASSESSMENT, QB].contains(&ty) {
            assert!(files_of.len() < 2, "RULE 1b–4c: {id}");
            assert!(r.attribute("href").is_none(), "RULE 1c–4d: {id}");
        }
        // RULE 2d.
        if ty == WL {
            assert!(deps.is_empty(), "RULE 2d: {id}");
        }
        // RULE 1d–h, 3d–h, 4e–i, 5a–f, 6a–f, 11a–f: prohibited dependency targets.
        let prohibited: &[&str] = match ty {
            DT | ASSESSMENT | QB => &[DT, WL, ASSESSMENT, QB, LTI],
            "webcontent" => &[DT, WL, ASSESSMENT, QB, AC, LTI],
            AC => &[DT, WL, ASSESSMENT, QB, AC, LTI],
            LTI => &[DT, WL, ASSESSMENT, QB, "webcontent", LTI],
            _ => &[],
        };
        for d in &deps {
            assert!(!prohibited.contains(&type_of(d).as_str()), "{id} → {d}");
            // RULE 7a.
            assert_ne!(d, id, "RULE 7a");
        }
        // RULE 7b, 9a.
        assert_eq!(
            deps.iter().collect::<HashSet<_>>().len(),
            deps.len(),
            "RULE 7b"
        );
        assert_eq!(
            files_of.iter().collect::<HashSet<_>>().len(),
            files_of.len(),
            "RULE 9a"
        );
        // RULE 10a/10b.
        if let Some(href) = r.attribute("href") {
            assert!(files_of.contains(&href), "RULE 10a/10b: {id}");
        }
    }
    for item in elements(doc.root_element(), "item") {
        if let Some(target) = item.attribute("identifierref") {
            // RULE 8a, 8b.
            assert_ne!(type_of(target), QB, "RULE 8a");
            assert!(
                item.children().all(|c| c.tag_name().name() != "item"),
                "RULE 8b"
            );
        }
    }
    // IG §4.4.3: one organization, rooted-hierarchy, a root item without a title, every other
    // item titled.
    let orgs = elements(doc.root_element(), "organization");
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].attribute("structure"), Some("rooted-hierarchy"));
    let root_items: Vec<_> = orgs[0]
        .children()
        .filter(|c| c.tag_name().name() == "item")
        .collect();
    assert_eq!(root_items.len(), 1);
    assert!(
        root_items[0]
            .children()
            .all(|c| c.tag_name().name() != "title")
    );
    for item in elements(root_items[0], "item").into_iter().skip(1) {
        assert!(item.children().any(|c| c.tag_name().name() == "title"));
    }
}

fn weblink_url(files: &Files) -> String {
    let text = text(files, "weblink_1/weblink.xml");
    let doc = parse(&text);
    elements(doc.root_element(), "url")[0]
        .attribute("href")
        .unwrap()
        .to_owned()
}

// ---- The exporter ----------------------------------------------------------------------------

#[tokio::test]
async fn packages_exporter_needs_its_token() {
    let pki = Pki::new();
    let exporter = exporter(&pki, &[]).await;
    let client = pki.client();
    assert!(exporter.qti_export_url.ends_with("/export/qti21.zip"));
    assert!(exporter.cc_export_url.ends_with("/export/cc13.imscc"));
    for url in [&exporter.qti_export_url, &exporter.cc_export_url] {
        let none = client.get(url).send().await.unwrap();
        assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
        assert!(
            none.headers()
                .contains_key(reqwest::header::WWW_AUTHENTICATE)
        );
        let wrong = client.get(url).bearer_auth("nope").send().await.unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let basic = client
            .get(url)
            .basic_auth("x", Some(TOKEN))
            .send()
            .await
            .unwrap();
        assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
        package(&client, url).await;
    }
    let settings = packages_exporter::Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        cert_pem: pki.cert_pem.clone(),
        key_pem: pki.key_pem.clone(),
        token: String::new(),
        faults: vec![],
    };
    assert!(format!("{settings:?}").contains("<redacted>"));
    assert!(matches!(
        packages_exporter::start(settings.clone()).await,
        Err(packages_exporter::StartError::Settings(_))
    ));
    let foreign = packages_exporter::Settings {
        token: TOKEN.into(),
        faults: vec!["packages-importer/refusal-500".into()],
        ..settings
    };
    assert!(matches!(
        packages_exporter::start(foreign).await,
        Err(packages_exporter::StartError::UnknownFault { .. })
    ));
}

#[tokio::test]
async fn packages_exporter_clean_exports_are_complete_valid_and_deterministic() {
    let pki = Pki::new();
    let exporter = exporter(&pki, &[]).await;
    let client = pki.client();

    let qti_zip = package(&client, &exporter.qti_export_url).await;
    assert_eq!(qti_zip, package(&client, &exporter.qti_export_url).await);
    let qti = unzip(&qti_zip);
    assert_eq!(
        qti.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "assessment-test.xml",
            "imsmanifest.xml",
            "items/choice-colour.xml",
            "items/images/swatch.png",
            "items/text-entry-capital.xml",
        ]
    );
    assert!(qti["items/images/swatch.png"].starts_with(b"\x89PNG\r\n\x1a\n"));
    let manifest = text(&qti, "imsmanifest.xml");
    assert_eq!(
        parse(&manifest).root_element().tag_name().namespace(),
        Some(CP_NS)
    );
    for ty in ["imsqti_item_xmlv2p1", "imsqti_test_xmlv2p1"] {
        assert!(manifest.contains(&format!("type=\"{ty}\"")), "{ty}");
    }
    assert!(text(&qti, "items/choice-colour.xml").contains("<choiceInteraction"));
    assert!(text(&qti, "items/choice-colour.xml").contains("rptemplates/match_correct"));
    assert!(text(&qti, "items/text-entry-capital.xml").contains("<textEntryInteraction"));
    assert!(text(&qti, "items/text-entry-capital.xml").contains("rptemplates/map_response"));
    assert_manifest_complete(&qti);
    assert_qti_semantics(&qti);

    let cc_zip = package(&client, &exporter.cc_export_url).await;
    assert_eq!(cc_zip, package(&client, &exporter.cc_export_url).await);
    let cc = unzip(&cc_zip);
    let manifest = text(&cc, "imsmanifest.xml");
    let doc = parse(&manifest);
    assert_eq!(doc.root_element().tag_name().namespace(), Some(CC_NS));
    assert_eq!(
        elements(doc.root_element(), "schemaversion")[0].text(),
        Some("1.3.0")
    );
    let types: Vec<&str> = elements(doc.root_element(), "resource")
        .iter()
        .map(|r| r.attribute("type").unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "webcontent",
            "imswl_xmlv1p3",
            "imsdt_xmlv1p3",
            "imsbasiclti_xmlv1p3"
        ]
    );
    let lti = text(&cc, "lti_1/lti_link.xml");
    let launch = elements(parse(&lti).root_element(), "launch_url")[0]
        .text()
        .unwrap()
        .to_owned();
    let launch = url::Url::parse(&launch).unwrap();
    assert_eq!(launch.scheme(), "https");
    assert!(
        url::Url::parse(&weblink_url(&cc))
            .unwrap()
            .host_str()
            .is_some()
    );
    assert_manifest_complete(&cc);
    assert_cc_schematron(&cc);

    if let Some(xsd) = Xsd::find() {
        xsd.validate_package(&qti).unwrap();
        xsd.validate_package(&cc).unwrap();
    }
}

#[tokio::test]
async fn packages_exporter_each_fault_changes_exactly_its_part() {
    let pki = Pki::new();
    let client = pki.client();
    let (clean_qti, clean_cc) = exports(&pki, &client, &[]).await;
    let xsd = Xsd::find();
    let qti_of = async |fault: &str| {
        let (qti, cc) = exports(&pki, &client, &[fault]).await;
        assert_eq!(cc, clean_cc, "{fault} changed the cartridge");
        qti
    };

    // missing-file: the manifest lists a file the zip lacks; nothing else changes.
    let qti = qti_of("packages-exporter/missing-file").await;
    assert_eq!(changed(&clean_qti, &qti), names(&["imsmanifest.xml"]));
    let listed = text(&qti, "imsmanifest.xml");
    assert!(listed.contains("href=\"items/images/swatch-large.png\""));
    assert!(!qti.contains_key("items/images/swatch-large.png"));
    if let Some(x) = &xsd {
        x.validate_package(&qti).unwrap();
    }

    // undeclared-response-identifier: only the choice item, still XSD-valid.
    let qti = qti_of("packages-exporter/undeclared-response-identifier").await;
    assert_eq!(
        changed(&clean_qti, &qti),
        names(&["items/choice-colour.xml"])
    );
    let item = text(&qti, "items/choice-colour.xml");
    let doc = parse(&item);
    let interaction = elements(doc.root_element(), "choiceInteraction")[0];
    let named = interaction.attribute("responseIdentifier").unwrap();
    assert!(
        elements(doc.root_element(), "responseDeclaration")
            .iter()
            .all(|d| d.attribute("identifier") != Some(named)),
        "{named} is declared"
    );
    if let Some(x) = &xsd {
        x.validate_package(&qti).unwrap();
    }

    // duplicate-identifier: only the manifest; two resources share an identifier (an xs:ID,
    // so the CP XSD objects too — the fault lists PKG-EXPORT-QTI-003 for that).
    let qti = qti_of("packages-exporter/duplicate-identifier").await;
    assert_eq!(changed(&clean_qti, &qti), names(&["imsmanifest.xml"]));
    let manifest = text(&qti, "imsmanifest.xml");
    let doc = parse(&manifest);
    let ids: Vec<&str> = elements(doc.root_element(), "resource")
        .iter()
        .map(|r| r.attribute("identifier").unwrap())
        .collect();
    assert_eq!(ids.len(), 4);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 3, "{ids:?}");
    if let Some(x) = &xsd {
        let e = x.validate_package(&qti).unwrap_err();
        assert!(e.contains("xs:ID"), "{e}");
    }

    // item-not-schema-valid: only the text-entry item, well-formed, semantically sound, and
    // invalid against the XSD.
    let qti = qti_of("packages-exporter/item-not-schema-valid").await;
    assert_eq!(
        changed(&clean_qti, &qti),
        names(&["items/text-entry-capital.xml"])
    );
    assert_manifest_complete(&qti);
    assert_qti_semantics(&qti);
    if let Some(x) = &xsd {
        let e = x.validate_package(&qti).unwrap_err();
        assert!(
            e.contains("text-entry-capital.xml") && e.contains("responseDeclaration"),
            "{e}"
        );
    }

    // zip-slip-entry: one extra entry, named ../outside.txt.
    let qti = qti_of("packages-exporter/zip-slip-entry").await;
    assert_eq!(changed(&clean_qti, &qti), names(&["../outside.txt"]));

    // export-500: the QTI export answers 500; the cartridge is untouched.
    let e = exporter(&pki, &["packages-exporter/export-500"]).await;
    let (status, _, _) = download(&client, &e.qti_export_url).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(unzip(&package(&client, &e.cc_export_url).await), clean_cc);

    let cc_of = async |fault: &str| {
        let (qti, cc) = exports(&pki, &client, &[fault]).await;
        assert_eq!(qti, clean_qti, "{fault} changed the QTI package");
        cc
    };

    // weblink-relative-url: only the web link, still XSD-valid.
    let cc = cc_of("packages-exporter/weblink-relative-url").await;
    assert_eq!(changed(&clean_cc, &cc), names(&["weblink_1/weblink.xml"]));
    assert_eq!(weblink_url(&cc), "/relative/page");
    if let Some(x) = &xsd {
        x.validate_package(&cc).unwrap();
    }

    // cc-missing-file: the page is gone from the zip, the manifest still lists it.
    let cc = cc_of("packages-exporter/cc-missing-file").await;
    assert_eq!(
        changed(&clean_cc, &cc),
        names(&["web_resources/welcome.html"])
    );
    assert!(text(&cc, "imsmanifest.xml").contains("href=\"web_resources/welcome.html\""));
}

// ---- The importer ----------------------------------------------------------------------------

#[tokio::test]
async fn packages_importer_round_trips_the_exporters_clean_packages() {
    let pki = Pki::new();
    let client = pki.client();
    let exporter = exporter(&pki, &[]).await;
    let importer = importer(&pki, &[]).await;
    assert!(importer.import_url.ends_with("/imports"));
    for (url, kind) in [
        (&exporter.qti_export_url, "qti-2.1"),
        (&exporter.cc_export_url, "cc-1.3"),
    ] {
        let zip = package(&client, url).await;
        let created = upload(&client, &importer, zip, "application/zip").await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let json = created.json.unwrap();
        let id = json["id"].as_str().unwrap().to_owned();
        assert_eq!(json["kind"], kind);
        assert_eq!(
            created.location.as_deref(),
            Some(format!("/imports/{id}").as_str())
        );
        let item_url = format!("{}/{id}", importer.import_url);
        let shown = answer(with_token(client.get(&item_url)).await).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.json.as_ref().unwrap()["id"], id.as_str());
        assert_eq!(
            shown.json.as_ref().unwrap()["resources"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        let deleted = with_token(client.delete(&item_url)).await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        let gone = with_token(client.get(&item_url)).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
        let again = with_token(client.delete(&item_url)).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn packages_importer_needs_its_token() {
    let pki = Pki::new();
    let client = pki.client();
    let importer = importer(&pki, &[]).await;
    let post = client
        .post(&importer.import_url)
        .header(reqwest::header::CONTENT_TYPE, "application/zip")
        .body(vec![0u8; 10])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::UNAUTHORIZED);
    let item = format!("{}/0123", importer.import_url);
    let get = client.get(&item).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(get.status(), StatusCode::UNAUTHORIZED);
    let delete = client.delete(&item).send().await.unwrap();
    assert_eq!(delete.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn packages_importer_refuses_each_bad_package_with_400_and_a_message() {
    let pki = Pki::new();
    let client = pki.client();
    let importer = importer(&pki, &[]).await;
    let qti_bad = async |fault: &str| {
        let e = exporter(&pki, &[fault]).await;
        package(&client, &e.qti_export_url).await
    };
    let cc_bad = async |fault: &str| {
        let e = exporter(&pki, &[fault]).await;
        package(&client, &e.cc_export_url).await
    };
    let cases: Vec<(Vec<u8>, &[&str])> = vec![
        (
            qti_bad("packages-exporter/missing-file").await,
            &["items/images/swatch-large.png", "RES-ITEM-CHOICE"],
        ),
        (
            qti_bad("packages-exporter/undeclared-response-identifier").await,
            &["items/choice-colour.xml", "RESPONSE_CHOICE"],
        ),
        (
            qti_bad("packages-exporter/duplicate-identifier").await,
            &["RES-ITEM-CHOICE"],
        ),
        (
            qti_bad("packages-exporter/zip-slip-entry").await,
            &["../outside.txt"],
        ),
        (
            cc_bad("packages-exporter/weblink-relative-url").await,
            &["weblink_1/weblink.xml", "/relative/page"],
        ),
        (
            cc_bad("packages-exporter/cc-missing-file").await,
            &["web_resources/welcome.html", "RES-WELCOME"],
        ),
        (b"this is not a zip".to_vec(), &["not a readable zip"]),
    ];
    for (body, mentions) in cases {
        let a = upload(&client, &importer, body, "application/zip").await;
        assert_refused(&a, mentions);
    }
    let declared = upload(&client, &importer, b"hello".to_vec(), "text/plain").await;
    assert_eq!(declared.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(declared.error().contains("text/plain"), "{}", declared.text);
}

#[tokio::test]
async fn packages_importer_refuses_hostile_zips_without_harm() {
    let pki = Pki::new();
    let client = pki.client();
    let importer = importer(&pki, &[]).await;
    let exporter = exporter(&pki, &[]).await;
    let good = package(&client, &exporter.cc_export_url).await;
    let manifest = unzip(&good)["imsmanifest.xml"].clone();
    let with_manifest = |mut extra: Vec<RawEntry>| {
        let mut entries = vec![RawEntry::file("imsmanifest.xml", &manifest)];
        entries.append(&mut extra);
        raw_zip(&entries)
    };
    let lying = RawEntry {
        declared_size: Some(1),
        ..RawEntry::file("web_resources/welcome.html", &[b'x'; 100])
    };
    let mut many = Vec::new();
    for i in 0..5000 {
        many.push(RawEntry::file(&format!("f{i}.txt"), b""));
    }
    let zeros = vec![0u8; 16 << 20];
    let bomb = {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("imsmanifest.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&manifest).unwrap();
        w.start_file("bomb.bin", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&zeros).unwrap();
        w.finish().unwrap().into_inner()
    };
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb by ratio", bomb, "zip bomb"),
        (
            "path traversal",
            with_manifest(vec![RawEntry::file("../../etc/evil.txt", b"x")]),
            "../../etc/evil.txt",
        ),
        (
            "absolute path",
            with_manifest(vec![RawEntry::file("/tmp/evil.txt", b"x")]),
            "absolute path",
        ),
        (
            "backslash",
            with_manifest(vec![RawEntry::file("..\\evil.txt", b"x")]),
            "backslash",
        ),
        (
            "symlink",
            with_manifest(vec![RawEntry::symlink(
                "web_resources/welcome.html",
                "/etc/passwd",
            )]),
            "symbolic link",
        ),
        (
            "duplicate",
            with_manifest(vec![RawEntry::file("imsmanifest.xml", b"<manifest/>")]),
            "more than one entry named `imsmanifest.xml`",
        ),
        (
            "size that lies",
            with_manifest(vec![lying]),
            "web_resources/welcome.html",
        ),
        ("too many entries", raw_zip(&many), "5000 entries"),
        ("truncated", truncated, "not a readable zip"),
        ("empty", Vec::new(), "not a readable zip"),
    ];
    for (what, body, mention) in cases {
        let a = upload(&client, &importer, body, "application/zip").await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{what}: {}", a.text);
        assert!(a.error().contains(mention), "{what}: `{}`", a.error());
    }
    let huge = upload(
        &client,
        &importer,
        vec![0u8; packages_importer::MAX_BODY_BYTES + 1],
        "application/zip",
    )
    .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Still serving.
    let after = upload(&client, &importer, good, "application/zip").await;
    assert_eq!(after.status, StatusCode::CREATED, "{}", after.text);
}

#[tokio::test]
async fn packages_importer_each_fault_flips_its_behaviour() {
    let pki = Pki::new();
    let client = pki.client();
    let clean = exporter(&pki, &[]).await;
    let good_qti = package(&client, &clean.qti_export_url).await;
    let good_cc = package(&client, &clean.cc_export_url).await;
    let bad_qti = async |fault: &str| {
        let e = exporter(&pki, &[fault]).await;
        package(&client, &e.qti_export_url).await
    };
    let missing = bad_qti("packages-exporter/missing-file").await;
    let undeclared = bad_qti("packages-exporter/undeclared-response-identifier").await;
    let slip = bad_qti("packages-exporter/zip-slip-entry").await;
    let not_zip = b"%PDF-1.7 not a zip".to_vec();

    let accepts = [
        ("packages-importer/accepts-missing-file", missing.clone()),
        (
            "packages-importer/accepts-undeclared-response",
            undeclared.clone(),
        ),
        ("packages-importer/accepts-zip-slip", slip.clone()),
        ("packages-importer/accepts-not-a-zip", not_zip.clone()),
    ];
    for (fault, body) in accepts {
        let clean_importer = importer(&pki, &[]).await;
        let refused = upload(&client, &clean_importer, body.clone(), "application/zip").await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{fault}, clean");
        let faulty = importer(&pki, &[fault]).await;
        let a = upload(&client, &faulty, body, "application/zip").await;
        assert_eq!(a.status, StatusCode::CREATED, "{fault}: {}", a.text);
        // The other bad packages are still refused.
        for other in [&missing, &undeclared, &slip, &not_zip] {
            let b = upload(&client, &faulty, other.clone(), "application/zip").await;
            let expected = fault_accepts(fault, other, [&missing, &undeclared, &slip, &not_zip]);
            assert_eq!(
                b.status == StatusCode::CREATED,
                expected,
                "{fault}: {}",
                b.text
            );
        }
    }
    let faulty = importer(&pki, &["packages-importer/accepts-not-a-zip"]).await;
    let a = upload(&client, &faulty, not_zip.clone(), "text/plain").await;
    assert_eq!(a.status, StatusCode::CREATED);

    // refuses-good-qti / refuses-good-cc: the one kind is refused, cleanly; the other taken.
    for (fault, refused, taken, named) in [
        (
            "packages-importer/refuses-good-qti",
            &good_qti,
            &good_cc,
            "QTI 2.1",
        ),
        (
            "packages-importer/refuses-good-cc",
            &good_cc,
            &good_qti,
            "Common Cartridge",
        ),
    ] {
        let faulty = importer(&pki, &[fault]).await;
        assert_refused(
            &upload(&client, &faulty, refused.clone(), "application/zip").await,
            &[named],
        );
        let a = upload(&client, &faulty, taken.clone(), "application/zip").await;
        assert_eq!(a.status, StatusCode::CREATED, "{fault}");
    }

    // refusal-500 / refusal-without-message: refusals lose their status or message; good
    // packages are still taken.
    for (fault, status) in [
        (
            "packages-importer/refusal-500",
            StatusCode::INTERNAL_SERVER_ERROR,
        ),
        (
            "packages-importer/refusal-without-message",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let faulty = importer(&pki, &[fault]).await;
        for bad in [&missing, &undeclared, &slip, &not_zip] {
            let a = upload(&client, &faulty, bad.clone(), "application/zip").await;
            assert_eq!(a.status, status, "{fault}");
            assert!(a.text.is_empty(), "{fault}: {}", a.text);
        }
        let a = upload(&client, &faulty, good_cc.clone(), "application/zip").await;
        assert_eq!(a.status, StatusCode::CREATED, "{fault}");
    }
}

/// Whether an importer with `fault` (one of the four `accepts-…`) takes `body`, one of the
/// four bad packages `[missing, undeclared, slip, not_zip]` in that order.
fn fault_accepts(fault: &str, body: &[u8], bad: [&Vec<u8>; 4]) -> bool {
    let which = bad.iter().position(|b| b.as_slice() == body).unwrap();
    let faults = [
        "packages-importer/accepts-missing-file",
        "packages-importer/accepts-undeclared-response",
        "packages-importer/accepts-zip-slip",
        "packages-importer/accepts-not-a-zip",
    ];
    faults[which] == fault
}
