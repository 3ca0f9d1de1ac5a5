//! LTI 1.1 Basic Outcomes: the POX ("plain old XML") binding of the LTI 1.1 Outcomes profile of
//! LIS 2.0 OMS (`OMSv1p0_LTIv1p1Profile_SyncXSD_v1p0.xsd`).
//!
//! [`request`] writes the `imsx_POXEnvelopeRequest` a tool sends to an outcomes service, and
//! [`response`] the `imsx_POXEnvelopeResponse` an outcomes service answers with, both in the
//! element order the XSD fixes. [`parse_request`] and [`parse_response`] read vendor messages
//! leniently (elements matched by local name in any namespace, the root's namespace recorded so a
//! check can judge it) but safely: bounded size and node count, no DTD, no entity expansion.

use std::fmt::Write as _;

/// The namespace of the LTI 1.1 Outcomes profile (the XSD's `targetNamespace`).
pub const NS: &str = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0";

/// The older LIS OMS POX namespace still seen in the wild (the IMS test suite asked vendors to
/// "update namespace").
pub const OLD_NS: &str = "http://www.imsglobal.org/lis/oms1p0/pox";

/// The media type of POX requests and responses.
pub const CONTENT_TYPE: &str = "application/xml";

/// The largest document [`parse_request`] and [`parse_response`] read.
pub const MAX_BYTES: usize = 1024 * 1024;

/// The most XML nodes built while parsing (a well-formed message has a few dozen).
const MAX_NODES: u32 = 20_000;

/// The longest value kept from a parsed message; longer values are cut at a character boundary.
const MAX_VALUE_CHARS: usize = 4096;

/// The operation of a request built by [`request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// `replaceResultRequest` with `result/resultScore/{language en, textString}`.
    Replace {
        /// The `textString` exactly as sent, e.g. `"0.92"`, `"42"`, `"smurf"`.
        score: String,
    },
    /// `readResultRequest`.
    Read,
    /// `deleteResultRequest`.
    Delete,
    /// Any other body element carrying a `resultRecord/sourcedGUID/sourcedId`, e.g.
    /// `"smurfResultRequest"` (the IMS suite's unsupported-operation probe). Characters not
    /// allowed in an XML name are replaced by `_`.
    Other(String),
}

impl Operation {
    /// The body element name this operation is sent as.
    pub fn element_name(&self) -> String {
        match self {
            Operation::Replace { .. } => "replaceResultRequest".to_string(),
            Operation::Read => "readResultRequest".to_string(),
            Operation::Delete => "deleteResultRequest".to_string(),
            Operation::Other(name) => xml_name(name, "unknownResultRequest"),
        }
    }
}

/// Why a POX document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoxError {
    /// Not UTF-8, not well-formed XML, or a document with a DTD.
    #[error("not a well-formed XML document without DTD: {0}")]
    NotXml(String),
    /// Well-formed, but the root element is not the expected envelope; carries the root's name.
    #[error("root element is `{0}`, not the expected imsx_POXEnvelope")]
    WrongRoot(String),
    /// Larger than [`MAX_BYTES`].
    #[error("POX document larger than {MAX_BYTES} bytes")]
    TooLarge,
}

/// A request as read by [`parse_request`]. Values are trimmed of surrounding whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedRequest {
    /// The root element's namespace (`""` when none), e.g. [`NS`] or [`OLD_NS`].
    pub namespace: String,
    /// `imsx_POXHeader/imsx_POXRequestHeaderInfo/imsx_version`.
    pub version: Option<String>,
    /// `imsx_POXHeader/imsx_POXRequestHeaderInfo/imsx_messageIdentifier`.
    pub message_id: Option<String>,
    /// Local name of the first element child of `imsx_POXBody`, e.g. `replaceResultRequest`;
    /// `""` when the body or its child is missing.
    pub operation: String,
    /// `{operation}/resultRecord/sourcedGUID/sourcedId`.
    pub sourced_id: Option<String>,
    /// `{operation}/resultRecord/result/resultScore/textString`.
    pub text_string: Option<String>,
    /// `{operation}/resultRecord/result/resultScore/language`.
    pub language: Option<String>,
}

/// A response as read by [`parse_response`]. Values are trimmed of surrounding whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedResponse {
    /// The root element's namespace (`""` when none).
    pub namespace: String,
    /// `imsx_statusInfo/imsx_codeMajor` (`success`, `failure`, `unsupported`, ...).
    pub code_major: Option<String>,
    /// `imsx_statusInfo/imsx_severity`.
    pub severity: Option<String>,
    /// `imsx_statusInfo/imsx_description`.
    pub description: Option<String>,
    /// `imsx_statusInfo/imsx_messageRefIdentifier` (should echo the request's message id).
    pub message_ref: Option<String>,
    /// The first `imsx_statusInfo/imsx_operationRefIdentifier`.
    pub operation_ref: Option<String>,
    /// Local name of the first element child of `imsx_POXBody`, e.g. `replaceResultResponse`.
    pub body_operation: Option<String>,
    /// `{body_operation}/result/resultScore/textString` (a `readResultResponse`'s score).
    pub text_string: Option<String>,
    /// `{body_operation}/result/resultScore/language`.
    pub language: Option<String>,
}

/// Writes an `imsx_POXEnvelopeRequest` (namespace [`NS`], `imsx_version` `V1.0`) for `op` on the
/// result `sourced_id`; a replace carries `resultScore` with `language` `en`. Values are
/// XML-escaped.
pub fn request(message_id: &str, sourced_id: &str, op: &Operation) -> String {
    let name = op.element_name();
    let mut out = String::with_capacity(768);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        out,
        "<imsx_POXEnvelopeRequest xmlns=\"{NS}\">\n\
         \x20 <imsx_POXHeader>\n\
         \x20   <imsx_POXRequestHeaderInfo>\n\
         \x20     <imsx_version>V1.0</imsx_version>\n\
         \x20     <imsx_messageIdentifier>{}</imsx_messageIdentifier>\n\
         \x20   </imsx_POXRequestHeaderInfo>\n\
         \x20 </imsx_POXHeader>\n\
         \x20 <imsx_POXBody>\n\
         \x20   <{name}>\n\
         \x20     <resultRecord>\n\
         \x20       <sourcedGUID>\n\
         \x20         <sourcedId>{}</sourcedId>\n\
         \x20       </sourcedGUID>\n",
        escape(message_id),
        escape(sourced_id),
    );
    if let Operation::Replace { score } = op {
        let _ = write!(
            out,
            "\x20       <result>\n\
             \x20         <resultScore>\n\
             \x20           <language>en</language>\n\
             \x20           <textString>{}</textString>\n\
             \x20         </resultScore>\n\
             \x20       </result>\n",
            escape(score),
        );
    }
    let _ = write!(
        out,
        "\x20     </resultRecord>\n\
         \x20   </{name}>\n\
         \x20 </imsx_POXBody>\n\
         </imsx_POXEnvelopeRequest>\n"
    );
    out
}

/// Writes an `imsx_POXEnvelopeResponse` (namespace [`NS`]): `imsx_statusInfo` with
/// `imsx_codeMajor`, `imsx_severity` `status`, `imsx_description`, `imsx_messageRefIdentifier`
/// and `imsx_operationRefIdentifier` in XSD order, and the body element `{operation}Response`
/// carrying `result/resultScore/{language en, textString}` when `read_score` is `Some`.
///
/// `operation` is the operation name, e.g. `replaceResult`; a trailing `Request` (as in
/// [`ParsedRequest::operation`]) is dropped. Values are XML-escaped; characters not allowed in an
/// XML name are replaced by `_` in the body element name.
pub fn response(
    message_id: &str,
    message_ref: &str,
    operation: &str,
    code_major: &str,
    description: &str,
    read_score: Option<&str>,
) -> String {
    let operation = operation.strip_suffix("Request").unwrap_or(operation);
    let body = format!("{}Response", xml_name(operation, "unknown"));
    let mut out = String::with_capacity(1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        out,
        "<imsx_POXEnvelopeResponse xmlns=\"{NS}\">\n\
         \x20 <imsx_POXHeader>\n\
         \x20   <imsx_POXResponseHeaderInfo>\n\
         \x20     <imsx_version>V1.0</imsx_version>\n\
         \x20     <imsx_messageIdentifier>{}</imsx_messageIdentifier>\n\
         \x20     <imsx_statusInfo>\n\
         \x20       <imsx_codeMajor>{}</imsx_codeMajor>\n\
         \x20       <imsx_severity>status</imsx_severity>\n\
         \x20       <imsx_description>{}</imsx_description>\n\
         \x20       <imsx_messageRefIdentifier>{}</imsx_messageRefIdentifier>\n\
         \x20       <imsx_operationRefIdentifier>{}</imsx_operationRefIdentifier>\n\
         \x20     </imsx_statusInfo>\n\
         \x20   </imsx_POXResponseHeaderInfo>\n\
         \x20 </imsx_POXHeader>\n\
         \x20 <imsx_POXBody>\n",
        escape(message_id),
        escape(code_major),
        escape(description),
        escape(message_ref),
        escape(operation),
    );
    match read_score {
        Some(score) => {
            let _ = write!(
                out,
                "\x20   <{body}>\n\
                 \x20     <result>\n\
                 \x20       <resultScore>\n\
                 \x20         <language>en</language>\n\
                 \x20         <textString>{}</textString>\n\
                 \x20       </resultScore>\n\
                 \x20     </result>\n\
                 \x20   </{body}>\n",
                escape(score),
            );
        }
        None => {
            let _ = writeln!(out, "    <{body}/>");
        }
    }
    out.push_str("  </imsx_POXBody>\n</imsx_POXEnvelopeResponse>\n");
    out
}

/// Reads an `imsx_POXEnvelopeRequest` (any namespace, recorded in
/// [`ParsedRequest::namespace`]). Missing parts are `None`, not errors, so a check can say what
/// is missing.
pub fn parse_request(xml: &[u8]) -> Result<ParsedRequest, PoxError> {
    let text = decode(xml)?;
    let doc = parse_doc(text)?;
    let root = envelope(&doc, "imsx_POXEnvelopeRequest")?;
    let header = path(root, &["imsx_POXHeader", "imsx_POXRequestHeaderInfo"]);
    let op = path(root, &["imsx_POXBody"]).and_then(first_element);
    let record = op.and_then(|op| path(op, &["resultRecord"]));
    let score = record.and_then(|r| path(r, &["result", "resultScore"]));
    Ok(ParsedRequest {
        namespace: root.tag_name().namespace().unwrap_or("").to_string(),
        version: header.and_then(|h| value(h, &["imsx_version"])),
        message_id: header.and_then(|h| value(h, &["imsx_messageIdentifier"])),
        operation: op
            .map(|o| o.tag_name().name().to_string())
            .unwrap_or_default(),
        sourced_id: record.and_then(|r| value(r, &["sourcedGUID", "sourcedId"])),
        text_string: score.and_then(|s| value(s, &["textString"])),
        language: score.and_then(|s| value(s, &["language"])),
    })
}

/// Reads an `imsx_POXEnvelopeResponse` (any namespace, recorded in
/// [`ParsedResponse::namespace`]). Missing parts are `None`, not errors.
pub fn parse_response(xml: &[u8]) -> Result<ParsedResponse, PoxError> {
    let text = decode(xml)?;
    let doc = parse_doc(text)?;
    let root = envelope(&doc, "imsx_POXEnvelopeResponse")?;
    let status = path(
        root,
        &[
            "imsx_POXHeader",
            "imsx_POXResponseHeaderInfo",
            "imsx_statusInfo",
        ],
    );
    let op = path(root, &["imsx_POXBody"]).and_then(first_element);
    let score = op.and_then(|o| path(o, &["result", "resultScore"]));
    let status_value = |name: &str| status.and_then(|s| value(s, &[name]));
    Ok(ParsedResponse {
        namespace: root.tag_name().namespace().unwrap_or("").to_string(),
        code_major: status_value("imsx_codeMajor"),
        severity: status_value("imsx_severity"),
        description: status_value("imsx_description"),
        message_ref: status_value("imsx_messageRefIdentifier"),
        operation_ref: status_value("imsx_operationRefIdentifier"),
        body_operation: op.map(|o| o.tag_name().name().to_string()),
        text_string: score.and_then(|s| value(s, &["textString"])),
        language: score.and_then(|s| value(s, &["language"])),
    })
}

fn decode(xml: &[u8]) -> Result<&str, PoxError> {
    if xml.len() > MAX_BYTES {
        return Err(PoxError::TooLarge);
    }
    let text = std::str::from_utf8(xml).map_err(|e| PoxError::NotXml(format!("not UTF-8: {e}")))?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

fn parse_doc(text: &str) -> Result<roxmltree::Document<'_>, PoxError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| PoxError::NotXml(e.to_string()))
}

fn envelope<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    name: &str,
) -> Result<roxmltree::Node<'a, 'i>, PoxError> {
    let root = doc.root_element();
    if root.tag_name().name() == name {
        Ok(root)
    } else {
        Err(PoxError::WrongRoot(cut(root.tag_name().name())))
    }
}

/// Follows element children by local name, first match at each step.
fn path<'a, 'i>(node: roxmltree::Node<'a, 'i>, names: &[&str]) -> Option<roxmltree::Node<'a, 'i>> {
    names.iter().try_fold(node, |n, name| {
        n.children()
            .find(|c| c.is_element() && c.tag_name().name() == *name)
    })
}

fn first_element<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.is_element())
}

/// The trimmed text content (direct text children) of the element at `names` under `node`.
fn value(node: roxmltree::Node<'_, '_>, names: &[&str]) -> Option<String> {
    let el = path(node, names)?;
    let mut text = String::new();
    for child in el.children().filter(|c| c.is_text()) {
        text.push_str(child.text().unwrap_or(""));
        if text.len() > MAX_VALUE_CHARS * 4 {
            break;
        }
    }
    Some(cut(text.trim()))
}

fn cut(s: &str) -> String {
    s.chars().take(MAX_VALUE_CHARS).collect()
}

/// XML-escapes text for element content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}') =>
            {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// `name` made into a plain XML name (ASCII letters, digits, `_`, `-`, `.`; not starting with a
/// digit, `-` or `.`), or `fallback` when empty.
fn xml_name(name: &str, fallback: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        return fallback.to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_request_round_trips() {
        let xml = request(
            "m<1>",
            "s&1",
            &Operation::Replace {
                score: "0.92".into(),
            },
        );
        let parsed = parse_request(xml.as_bytes()).unwrap();
        assert_eq!(
            parsed,
            ParsedRequest {
                namespace: NS.into(),
                version: Some("V1.0".into()),
                message_id: Some("m<1>".into()),
                operation: "replaceResultRequest".into(),
                sourced_id: Some("s&1".into()),
                text_string: Some("0.92".into()),
                language: Some("en".into()),
            }
        );
    }

    #[test]
    fn other_requests_round_trip() {
        for (op, name) in [
            (Operation::Read, "readResultRequest"),
            (Operation::Delete, "deleteResultRequest"),
            (
                Operation::Other("smurfResultRequest".into()),
                "smurfResultRequest",
            ),
            (Operation::Other("bad name<>".into()), "bad_name__"),
            (Operation::Other(String::new()), "unknownResultRequest"),
        ] {
            let parsed = parse_request(request("id", "src", &op).as_bytes()).unwrap();
            assert_eq!(parsed.operation, name);
            assert_eq!(parsed.sourced_id.as_deref(), Some("src"));
            assert_eq!(parsed.text_string, None);
            assert_eq!(parsed.language, None);
        }
    }

    #[test]
    fn responses_round_trip() {
        let xml = response(
            "r1",
            "m1",
            "readResult",
            "success",
            "Score & <stuff>",
            Some("0.5"),
        );
        let parsed = parse_response(xml.as_bytes()).unwrap();
        assert_eq!(
            parsed,
            ParsedResponse {
                namespace: NS.into(),
                code_major: Some("success".into()),
                severity: Some("status".into()),
                description: Some("Score & <stuff>".into()),
                message_ref: Some("m1".into()),
                operation_ref: Some("readResult".into()),
                body_operation: Some("readResultResponse".into()),
                text_string: Some("0.5".into()),
                language: Some("en".into()),
            }
        );
        let parsed = parse_response(
            response("r2", "m2", "replaceResultRequest", "failure", "", None).as_bytes(),
        )
        .unwrap();
        assert_eq!(parsed.code_major.as_deref(), Some("failure"));
        assert_eq!(parsed.operation_ref.as_deref(), Some("replaceResult"));
        assert_eq!(
            parsed.body_operation.as_deref(),
            Some("replaceResultResponse")
        );
        assert_eq!(parsed.description.as_deref(), Some(""));
        assert_eq!(parsed.text_string, None);
    }

    #[test]
    fn reads_old_namespace_and_prefixes() {
        let xml = format!(
            r#"<?xml version="1.0"?>
<p:imsx_POXEnvelopeRequest xmlns:p="{OLD_NS}">
 <p:imsx_POXHeader><p:imsx_POXRequestHeaderInfo>
  <p:imsx_version>V1.0</p:imsx_version>
  <p:imsx_messageIdentifier> 999 </p:imsx_messageIdentifier>
 </p:imsx_POXRequestHeaderInfo></p:imsx_POXHeader>
 <p:imsx_POXBody><p:readResultRequest><p:resultRecord><p:sourcedGUID>
  <p:sourcedId><![CDATA[a<b]]></p:sourcedId>
 </p:sourcedGUID></p:resultRecord></p:readResultRequest></p:imsx_POXBody>
</p:imsx_POXEnvelopeRequest>"#
        );
        let parsed = parse_request(xml.as_bytes()).unwrap();
        assert_eq!(parsed.namespace, OLD_NS);
        assert_eq!(parsed.message_id.as_deref(), Some("999"));
        assert_eq!(parsed.operation, "readResultRequest");
        assert_eq!(parsed.sourced_id.as_deref(), Some("a<b"));
    }

    #[test]
    fn missing_parts_are_none() {
        let parsed = parse_request(b"<imsx_POXEnvelopeRequest/>").unwrap();
        assert_eq!(parsed.namespace, "");
        assert_eq!(parsed.operation, "");
        assert_eq!(parsed.message_id, None);
        let parsed = parse_response(b"\xef\xbb\xbf<imsx_POXEnvelopeResponse/>").unwrap();
        assert_eq!(parsed, ParsedResponse::default());
    }

    #[test]
    fn wrong_root_is_reported() {
        let req = request("1", "2", &Operation::Read);
        assert_eq!(
            parse_response(req.as_bytes()),
            Err(PoxError::WrongRoot("imsx_POXEnvelopeRequest".into()))
        );
        let resp = response("1", "2", "readResult", "success", "", None);
        assert!(matches!(
            parse_request(resp.as_bytes()),
            Err(PoxError::WrongRoot(_))
        ));
    }

    #[test]
    fn dtd_and_entities_are_refused() {
        let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE imsx_POXEnvelopeRequest [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<imsx_POXEnvelopeRequest><imsx_POXHeader>&b;</imsx_POXHeader></imsx_POXEnvelopeRequest>"#;
        assert!(matches!(parse_request(laughs), Err(PoxError::NotXml(_))));
        let external = br#"<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<imsx_POXEnvelopeResponse>&x;</imsx_POXEnvelopeResponse>"#;
        assert!(matches!(parse_response(external), Err(PoxError::NotXml(_))));
        let undeclared = b"<imsx_POXEnvelopeResponse>&x;</imsx_POXEnvelopeResponse>";
        assert!(matches!(
            parse_response(undeclared),
            Err(PoxError::NotXml(_))
        ));
    }

    #[test]
    fn garbage_is_an_error() {
        for input in [
            &b""[..],
            b"not xml",
            b"<a><b></a>",
            b"\xff\xfe<\x00a\x00/>",
            b"{\"json\": true}",
            b"<imsx_POXEnvelopeRequest",
        ] {
            assert!(matches!(parse_request(input), Err(PoxError::NotXml(_))));
            assert!(matches!(parse_response(input), Err(PoxError::NotXml(_))));
        }
        let big = vec![b' '; MAX_BYTES + 1];
        assert_eq!(parse_request(&big), Err(PoxError::TooLarge));
        assert_eq!(parse_response(&big), Err(PoxError::TooLarge));
    }

    #[test]
    fn node_count_is_bounded() {
        let mut xml = String::from("<imsx_POXEnvelopeRequest>");
        for _ in 0..30_000 {
            xml.push_str("<a/>");
        }
        xml.push_str("</imsx_POXEnvelopeRequest>");
        assert!(matches!(
            parse_request(xml.as_bytes()),
            Err(PoxError::NotXml(_))
        ));
    }

    #[test]
    fn escapes_control_characters() {
        let xml = request("\u{1}", "x", &Operation::Read);
        let parsed = parse_request(xml.as_bytes()).unwrap();
        assert_eq!(parsed.message_id.as_deref(), Some("\u{fffd}"));
    }
}
