//! The XSD engine against real libxml2 and the shared schema bundle (`$PLUGFEST_SHARED/schemas/xsd`,
//! default `../shared` next to the workspace): POX envelopes against the official LTI 1.1 Basic
//! Outcomes schema, a QTI 2.1 item through catalog-resolved imports, the no-network and
//! no-entity-expansion guarantees, and compile-once under concurrency.
//!
//! Without the bundle, each test prints `SKIPPED: …` and returns; under `CI=true` it fails.

mod support;

use plugfest_packages::{LTI11_POX_XSD, SchemaBundle, XsdError, XsdLevel, XsdPool, XsdReport};
use std::net::TcpListener;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use support::{bundle, shared};

const POX_NS: &str = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0";
/// QTI 2.1.2 as 1EdTech publishes it: every import is an absolute imsglobal.org / w3.org URL,
/// so it only compiles offline when the bundle's catalog.xml maps them.
const QTI21_XSD: &str = "qti21/official-abs/imsqti_v2p1p2.xsd";

/// One pool for the tests that do not count compilations.
fn pool() -> Option<&'static XsdPool> {
    static POOL: OnceLock<Option<XsdPool>> = OnceLock::new();
    POOL.get_or_init(|| bundle().map(|b| XsdPool::new(b, 2)))
        .as_ref()
}

fn request(header: &str, body: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <imsx_POXEnvelopeRequest xmlns=\"{POX_NS}\">\n\
         <imsx_POXHeader>\n\
         <imsx_POXRequestHeaderInfo>\n\
         {header}\n\
         </imsx_POXRequestHeaderInfo>\n\
         </imsx_POXHeader>\n\
         <imsx_POXBody>\n\
         {body}\n\
         </imsx_POXBody>\n\
         </imsx_POXEnvelopeRequest>\n"
    )
    .into_bytes()
}

const HEADER: &str =
    "<imsx_version>V1.0</imsx_version>\n<imsx_messageIdentifier>999999123</imsx_messageIdentifier>";
const REPLACE: &str = "<replaceResultRequest>\n<resultRecord>\n<sourcedGUID>\n<sourcedId>3124567</sourcedId>\n</sourcedGUID>\n\
     <result>\n<resultScore>\n<language>en</language>\n<textString>0.92</textString>\n</resultScore>\n</result>\n\
     </resultRecord>\n</replaceResultRequest>";

fn replace_result_request() -> Vec<u8> {
    request(HEADER, REPLACE)
}

fn envelope_response() -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <imsx_POXEnvelopeResponse xmlns=\"{POX_NS}\">\n\
         <imsx_POXHeader>\n\
         <imsx_POXResponseHeaderInfo>\n\
         <imsx_version>V1.0</imsx_version>\n\
         <imsx_messageIdentifier>4560</imsx_messageIdentifier>\n\
         <imsx_statusInfo>\n\
         <imsx_codeMajor>success</imsx_codeMajor>\n\
         <imsx_severity>status</imsx_severity>\n\
         <imsx_description>Score for 3124567 is now 0.92</imsx_description>\n\
         <imsx_messageRefIdentifier>999999123</imsx_messageRefIdentifier>\n\
         <imsx_operationRefIdentifier>replaceResult</imsx_operationRefIdentifier>\n\
         </imsx_statusInfo>\n\
         </imsx_POXResponseHeaderInfo>\n\
         </imsx_POXHeader>\n\
         <imsx_POXBody>\n\
         <replaceResultResponse/>\n\
         </imsx_POXBody>\n\
         </imsx_POXEnvelopeResponse>\n"
    )
    .into_bytes()
}

#[track_caller]
fn assert_valid(report: &XsdReport) {
    assert!(
        report.is_valid(),
        "expected valid, got {:#?}",
        report.messages
    );
}

/// Invalid, and every error says where.
#[track_caller]
fn assert_invalid_with_lines(report: &XsdReport) {
    assert!(!report.is_valid(), "expected invalid");
    for m in report.errors() {
        assert!(m.line.is_some_and(|l| l > 1), "error without a line: {m}");
    }
}

fn all_text(messages: &[plugfest_packages::XsdMessage]) -> String {
    messages.iter().map(|m| format!("{m}\n")).collect()
}

#[test]
fn pox_replace_result_request_and_response_are_valid() {
    let Some(pool) = pool() else { return };
    assert_valid(
        &pool
            .validate(LTI11_POX_XSD, replace_result_request(), "request.xml")
            .unwrap(),
    );
    assert_valid(
        &pool
            .validate(LTI11_POX_XSD, envelope_response(), "response.xml")
            .unwrap(),
    );
}

#[test]
fn pox_without_imsx_version_is_invalid() {
    let Some(pool) = pool() else { return };
    let doc = request(
        "<imsx_messageIdentifier>999999123</imsx_messageIdentifier>",
        REPLACE,
    );
    let report = pool.validate(LTI11_POX_XSD, doc, "no-version.xml").unwrap();
    assert_invalid_with_lines(&report);
    let text = all_text(&report.messages);
    assert!(
        text.contains("imsx_messageIdentifier") && text.contains("imsx_version"),
        "{text}"
    );
    assert_eq!(report.errors().next().unwrap().line, Some(5), "{text}");
}

#[test]
fn pox_with_elements_out_of_order_is_invalid() {
    let Some(pool) = pool() else { return };
    // imsx_messageIdentifier before imsx_version, and body before header.
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<imsx_POXEnvelopeRequest xmlns=\"{POX_NS}\">\n\
         <imsx_POXBody>{REPLACE}</imsx_POXBody>\n\
         <imsx_POXHeader><imsx_POXRequestHeaderInfo>\
         <imsx_messageIdentifier>1</imsx_messageIdentifier><imsx_version>V1.0</imsx_version>\
         </imsx_POXRequestHeaderInfo></imsx_POXHeader>\n</imsx_POXEnvelopeRequest>\n"
    );
    let report = pool
        .validate(LTI11_POX_XSD, doc.into_bytes(), "out-of-order.xml")
        .unwrap();
    assert_invalid_with_lines(&report);
    let text = all_text(&report.messages);
    assert!(
        text.contains("imsx_POXBody") && text.contains("not expected"),
        "{text}"
    );
    assert_eq!(report.errors().next().unwrap().line, Some(3), "{text}");

    // Only the header children swapped.
    let doc = request(
        "<imsx_messageIdentifier>1</imsx_messageIdentifier>\n<imsx_version>V1.0</imsx_version>",
        REPLACE,
    );
    let report = pool.validate(LTI11_POX_XSD, doc, "swapped.xml").unwrap();
    assert_invalid_with_lines(&report);
}

#[test]
fn pox_in_the_old_lis_namespace_is_invalid() {
    let Some(pool) = pool() else { return };
    let doc = String::from_utf8(replace_result_request())
        .unwrap()
        .replace(POX_NS, "http://www.imsglobal.org/lis/oms1p0/pox");
    let report = pool
        .validate(LTI11_POX_XSD, doc.into_bytes(), "old-ns.xml")
        .unwrap();
    assert!(!report.is_valid());
    let first = report.errors().next().unwrap();
    assert_eq!(first.line, Some(2), "{first}");
    assert!(
        first.text.contains("No matching global declaration"),
        "{first}"
    );
}

#[test]
fn not_well_formed_input_is_reported_with_line_and_column() {
    let Some(pool) = pool() else { return };
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<imsx_POXEnvelopeRequest xmlns=\"{POX_NS}\">\n  <imsx_POXHeader></imsx_POXBody>\n</imsx_POXEnvelopeRequest>\n"
    );
    let err = pool
        .validate(LTI11_POX_XSD, doc.into_bytes(), "broken.xml")
        .unwrap_err();
    let XsdError::NotWellFormed { messages } = &err else {
        panic!("expected NotWellFormed, got {err:?}")
    };
    let first = &messages[0];
    assert_eq!(first.level, XsdLevel::Fatal, "{first}");
    assert_eq!(first.line, Some(3), "{first}");
    assert!(first.column.is_some(), "{first}");
    assert!(err.to_string().contains("line 3, column"), "{err}");

    for junk in [
        &b""[..],
        b"not xml at all",
        b"<a>",
        b"\xff\xfe\x00<",
        b"<a xmlns:p='urn:x'><q:b/></a>",
    ] {
        match pool.validate(LTI11_POX_XSD, junk.to_vec(), "junk.xml") {
            Err(XsdError::NotWellFormed { messages }) => assert!(!messages.is_empty()),
            other => panic!("{junk:?}: expected NotWellFormed, got {other:?}"),
        }
    }
}

#[test]
fn a_qti21_item_validates_through_catalog_resolved_imports() {
    let Some(pool) = pool() else { return };
    // The official QTI 2.1.2 schema imports xml.xsd, XInclude, MathML 2 and the APIP extension
    // by their imsglobal.org/w3.org URLs; only the catalog makes them local.
    let qti = std::fs::read_to_string(pool.bundle().root().join(QTI21_XSD)).unwrap();
    assert!(
        qti.contains("schemaLocation=\"http://www.w3.org/Math/XMLSchema/mathml2/mathml2.xsd\"")
    );
    let item = shared().join("corpus/qti21/qtisdk-ims-items-2_1/choice.xml");
    let report = pool
        .validate(QTI21_XSD, std::fs::read(&item).unwrap(), "choice.xml")
        .unwrap();
    assert_valid(&report);

    // The same item with an element QTI does not have fails, with its line.
    let broken = std::fs::read_to_string(&item)
        .unwrap()
        .replace("<prompt>", "<bogus/><prompt>");
    let report = pool
        .validate(QTI21_XSD, broken.into_bytes(), "choice-broken.xml")
        .unwrap();
    assert_invalid_with_lines(&report);
}

/// A tiny bundle in a fresh temp folder: `catalog.xml` plus the given files.
fn tiny_bundle(name: &str, catalog_entries: &str, files: &[(&str, &str)]) -> SchemaBundle {
    let dir = std::env::temp_dir().join(format!("plugfest-xsd-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("catalog.xml"),
        format!(
            "<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\" prefer=\"system\">\n{catalog_entries}\n</catalog>\n"
        ),
    )
    .unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    SchemaBundle::open(&dir).unwrap()
}

fn importing(location: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:x=\"urn:x\" targetNamespace=\"urn:main\" elementFormDefault=\"qualified\">\n\
         <xs:import namespace=\"urn:x\" schemaLocation=\"{location}\"/>\n\
         <xs:element name=\"root\"><xs:complexType><xs:sequence>\
         <xs:element ref=\"x:thing\"/></xs:sequence></xs:complexType></xs:element>\n</xs:schema>\n"
    )
}

const IMPORTED: &str = "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
    targetNamespace=\"urn:x\"><xs:element name=\"thing\" type=\"xs:int\"/></xs:schema>\n";

#[test]
fn an_import_the_catalog_cannot_resolve_fails_the_compile_naming_the_url() {
    // No shared bundle needed.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let loopback = format!("http://{}/x.xsd", listener.local_addr().unwrap());
    let bundle = tiny_bundle(
        "unresolved",
        "",
        &[
            ("main.xsd", &importing("http://example.invalid/x.xsd")),
            ("https.xsd", &importing("https://example.invalid/x.xsd")),
            ("loopback.xsd", &importing(&loopback)),
            // libxml2 only warns about a local file that is not there, and skips the import.
            ("relative.xsd", &importing("missing/x.xsd")),
        ],
    );
    let pool = XsdPool::new(bundle, 1);
    let doc = b"<root xmlns='urn:main'><thing xmlns='urn:x'>1</thing></root>".to_vec();
    for (schema, url) in [
        ("main.xsd", "http://example.invalid/x.xsd"),
        ("https.xsd", "https://example.invalid/x.xsd"),
        ("loopback.xsd", loopback.as_str()),
        ("relative.xsd", "missing/x.xsd"),
    ] {
        let started = Instant::now();
        let err = pool.validate(schema, doc.clone(), "doc.xml").unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{schema}: took {:?}",
            started.elapsed()
        );
        let XsdError::SchemaCompile {
            schema: s,
            messages,
        } = &err
        else {
            panic!("{schema}: expected SchemaCompile, got {err:?}")
        };
        assert_eq!(s, schema);
        assert!(
            messages
                .iter()
                .any(|m| m.level != XsdLevel::Warning && m.text.contains(url)),
            "{schema}: no error names {url}: {messages:#?}"
        );
        assert!(err.to_string().contains(url), "{err}");
    }
    // Nobody knocked on the loopback port.
    assert_eq!(
        listener.accept().map(|_| ()).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "libxml2 tried the network"
    );
    // The failure is kept: asking again does not compile again.
    assert_eq!(pool.compiled_count(), 4);
    assert!(matches!(
        pool.validate("main.xsd", doc, "doc.xml"),
        Err(XsdError::SchemaCompile { .. })
    ));
    assert_eq!(pool.compiled_count(), 4);
    let _ = std::fs::remove_dir_all(pool.bundle().root());
}

#[test]
fn the_bundle_catalog_maps_an_official_url_to_its_local_file() {
    let bundle = tiny_bundle(
        "mapped",
        "<system systemId=\"http://example.invalid/x.xsd\" uri=\"local/x.xsd\"/>",
        &[("main.xsd", &importing("http://example.invalid/x.xsd"))],
    );
    std::fs::create_dir_all(bundle.root().join("local")).unwrap();
    std::fs::write(bundle.root().join("local/x.xsd"), IMPORTED).unwrap();
    let pool = XsdPool::new(bundle, 1);
    let good = b"<root xmlns='urn:main'><thing xmlns='urn:x'>1</thing></root>".to_vec();
    assert_valid(&pool.validate("main.xsd", good, "good.xml").unwrap());
    let bad = b"<root xmlns='urn:main'>\n<thing xmlns='urn:x'>one</thing></root>".to_vec();
    let report = pool.validate("main.xsd", bad.clone(), "bad.xml").unwrap();
    assert_invalid_with_lines(&report);

    // Catalogs belong to their bundle: another bundle in this process does not see the mapping.
    let other = tiny_bundle(
        "unmapped",
        "",
        &[("main.xsd", &importing("http://example.invalid/x.xsd"))],
    );
    let other_pool = XsdPool::new(other, 1);
    assert!(matches!(
        other_pool.validate("main.xsd", bad, "bad.xml"),
        Err(XsdError::SchemaCompile { .. })
    ));
    let _ = std::fs::remove_dir_all(pool.bundle().root());
    let _ = std::fs::remove_dir_all(other_pool.bundle().root());
}

#[test]
fn schemas_outside_the_bundle_are_missing_and_size_is_capped() {
    let Some(bundle) = bundle() else { return };
    let pool = XsdPool::new(bundle, 1).with_max_document_bytes(1000);
    for schema in ["no/such.xsd", "../../../../etc/passwd", "/etc/passwd", ""] {
        match pool.validate(schema, b"<a/>".to_vec(), "a.xml") {
            Err(XsdError::SchemaMissing { schema: s }) => assert_eq!(s, schema),
            other => panic!("{schema:?}: expected SchemaMissing, got {other:?}"),
        }
    }
    assert!(
        XsdError::SchemaMissing { schema: "x".into() }
            .to_string()
            .contains("schema not in bundle")
    );
    let big = vec![b' '; 1001];
    assert!(matches!(
        pool.validate(LTI11_POX_XSD, big, "big.xml"),
        Err(XsdError::TooLarge {
            size: 1001,
            limit: 1000
        })
    ));
    assert_eq!(pool.compiled_count(), 0);
}

/// Hostile DTDs: nothing expands, nothing is read from disk or network, and it ends quickly.
#[test]
fn entities_are_never_expanded() {
    let Some(pool) = pool() else { return };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let secret_line = passwd.lines().next().unwrap_or("root:x:0:0").to_owned();

    let laughs = {
        let mut dtd = String::from("<!ENTITY lol \"lol\">\n");
        for i in 1..=9 {
            let prev = if i == 1 {
                "lol".to_owned()
            } else {
                format!("lol{}", i - 1)
            };
            dtd.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE imsx_POXEnvelopeRequest [\n{dtd}]>\n{}",
            String::from_utf8(request(HEADER, REPLACE))
                .unwrap()
                .replace("999999123", "&lol9;")
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")
        )
    };
    let with_dtd = |decl: &str, reference: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE imsx_POXEnvelopeRequest [\n{decl}\n]>\n{}",
            String::from_utf8(request(HEADER, REPLACE))
                .unwrap()
                .replace("999999123", reference)
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")
        )
    };
    let cases = [
        ("billion laughs", laughs),
        (
            "external entity",
            with_dtd("<!ENTITY x SYSTEM \"file:///etc/passwd\">", "&x;"),
        ),
        (
            "external parameter entity",
            with_dtd("<!ENTITY % p SYSTEM \"file:///etc/passwd\">\n%p;", "1"),
        ),
        (
            "network entity",
            with_dtd(
                &format!("<!ENTITY n SYSTEM \"http://127.0.0.1:{port}/n\">"),
                "&n;",
            ),
        ),
        (
            "network DTD",
            format!(
                "<?xml version=\"1.0\"?>\n<!DOCTYPE imsx_POXEnvelopeRequest SYSTEM \"http://127.0.0.1:{port}/d.dtd\">\n{}",
                String::from_utf8(replace_result_request())
                    .unwrap()
                    .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")
            ),
        ),
    ];
    for (what, doc) in cases {
        let started = Instant::now();
        let outcome = pool.validate(LTI11_POX_XSD, doc.into_bytes(), "hostile.xml");
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(5), "{what}: took {elapsed:?}");
        let messages = match &outcome {
            Ok(report) => report.messages.clone(),
            Err(XsdError::NotWellFormed { messages }) => messages.clone(),
            Err(e) => panic!("{what}: unexpected {e:?}"),
        };
        let text = all_text(&messages);
        eprintln!(
            "{what}: {}",
            text.lines().next().unwrap_or("valid, no message")
        );
        assert!(
            !text.contains(&secret_line),
            "{what}: /etc/passwd leaked: {text}"
        );
        assert!(
            !text.contains("lollollol"),
            "{what}: an entity expanded: {text}"
        );
        assert!(
            text.len() < 100_000,
            "{what}: {} bytes of messages",
            text.len()
        );
        if what != "external parameter entity" && what != "network DTD" {
            // The reference stays a reference, which XSD validation does not accept.
            assert!(
                outcome.as_ref().map_or(true, |r| !r.is_valid()),
                "{what}: unexpectedly valid"
            );
        }
    }
    assert_eq!(
        listener.accept().map(|_| ()).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "libxml2 tried the network"
    );
}

#[test]
fn two_schemas_from_many_threads_compile_once_each() {
    let Some(bundle) = bundle() else { return };
    let pool = XsdPool::new(bundle, 3);
    let item =
        std::fs::read(shared().join("corpus/qti21/qtisdk-ims-items-2_1/choice.xml")).unwrap();
    std::thread::scope(|s| {
        for t in 0..6 {
            let (pool, item) = (&pool, item.clone());
            s.spawn(move || {
                for i in 0..5 {
                    if (t + i) % 2 == 0 {
                        let r = pool.validate(LTI11_POX_XSD, replace_result_request(), "req.xml");
                        assert_valid(&r.unwrap());
                        let bad = request(
                            "<imsx_messageIdentifier>1</imsx_messageIdentifier>",
                            REPLACE,
                        );
                        assert!(
                            !pool
                                .validate(LTI11_POX_XSD, bad, "bad.xml")
                                .unwrap()
                                .is_valid()
                        );
                    } else {
                        assert_valid(
                            &pool
                                .validate(QTI21_XSD, item.clone(), "choice.xml")
                                .unwrap(),
                        );
                    }
                }
            });
        }
    });
    assert_eq!(pool.compiled_count(), 2);
}

#[test]
fn async_validation_leaves_the_executor_free() {
    let Some(bundle) = bundle() else { return };
    let item =
        std::fs::read(shared().join("corpus/qti21/qtisdk-ims-items-2_1/choice.xml")).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = XsdPool::new(bundle, 2);
        let started = Instant::now();
        // On a single-threaded executor the ticker only runs if validation never blocks it; the
        // QTI set takes far longer than one tick to compile.
        let ticker = async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            started.elapsed()
        };
        let (ticked, qti, pox) = tokio::join!(
            ticker,
            pool.validate_async(QTI21_XSD, item, "choice.xml"),
            pool.validate_async(LTI11_POX_XSD, envelope_response(), "response.xml"),
        );
        let finished = started.elapsed();
        assert_valid(&qti.unwrap());
        assert_valid(&pox.unwrap());
        assert!(
            ticked < finished,
            "the ticker waited for validation: {ticked:?} vs {finished:?}"
        );
        assert_eq!(pool.compiled_count(), 2);
    });
}

#[test]
fn the_pool_can_live_in_a_cucumber_world() {
    // Shared across tasks (Send + Sync), awaited inside spawned tasks (a Send future), printable.
    fn send_sync<T: Send + Sync + std::fmt::Debug>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<XsdPool>();
    let bundle = tiny_bundle("world", "", &[]);
    let pool = XsdPool::new(bundle.clone(), 0);
    assert_eq!(pool.workers(), XsdPool::default_workers());
    assert!((1..=4).contains(&pool.workers()));
    send(&pool.validate_async("a.xsd", Vec::new(), "a.xml"));
    assert!(format!("{pool:?}").contains("workers"));
    let _ = std::fs::remove_dir_all(bundle.root());
}

#[test]
fn locate_prefers_the_explicit_folder() {
    let explicit = Path::new("/somewhere/schemas");
    assert_eq!(
        SchemaBundle::locate(Some(explicit)).as_deref(),
        Some(explicit)
    );
}
