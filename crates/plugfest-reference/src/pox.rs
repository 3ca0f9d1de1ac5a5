//! LTI 1.1 Basic Outcomes messages: the POX ("plain old XML") binding of the LTI 1.1 Outcomes
//! profile of LIS 2.0 OMS (IG11 §6, the `OMSv1p0_LTIv1p1Profile_SyncXSD_v1p0.xsd` schema).
//!
//! Main items: [`parse_request`] reads an `imsx_POXEnvelopeRequest` (bounded size, no DTD, a
//! node limit, namespaces checked) into a [`PoxRequest`]; [`Response`] /
//! [`Response::to_xml`] write an `imsx_POXEnvelopeResponse` in the element order the XSD
//! fixes. The consumer's outcomes service uses both; the tool role writes its own requests.

use std::fmt::Write as _;

/// The namespace of every element of the profile: the XSD's `targetNamespace` (its "HAND
/// CHANGES": "The namespace has been changed to
/// 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0'"), the one IG11 §6 uses.
pub const NS: &str = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0";

/// The largest request body [`parse_request`] reads.
pub const MAX_POX_BYTES: usize = 64 * 1024;

/// The most XML nodes [`parse_request`] builds (a well-formed request has about 30).
const MAX_NODES: u32 = 2_000;

/// The longest identifier, sourcedId, language or textString kept from a request.
const MAX_TEXT_LEN: usize = 1_024;

/// A score as a request carries it (`resultScore`: XSD `Text.Type`, both children required).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultScore {
    /// `language` (IG11: "en").
    pub language: String,
    /// `textString`, as sent (not yet checked to be a decimal in [0.0, 1.0]).
    pub text: String,
}

/// The operation a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// `replaceResultRequest`: set the score of one result.
    ReplaceResult {
        /// `resultRecord/sourcedGUID/sourcedId`.
        sourced_id: String,
        /// `resultRecord/result/resultScore`, if sent.
        score: Option<ResultScore>,
    },
    /// `readResultRequest`: return the score of one result.
    ReadResult {
        /// `resultRecord/sourcedGUID/sourcedId`.
        sourced_id: String,
    },
    /// `deleteResultRequest`: clear the score of one result.
    DeleteResult {
        /// `resultRecord/sourcedGUID/sourcedId`.
        sourced_id: String,
    },
    /// Any other body element (e.g. `smurfResultRequest`).
    Unknown,
}

/// A parsed `imsx_POXEnvelopeRequest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoxRequest {
    /// `imsx_POXRequestHeaderInfo/imsx_messageIdentifier`.
    pub message_identifier: String,
    /// The operation name: the body element's local name without its `Request` suffix
    /// (`replaceResult`, `smurfResult`), as `imsx_operationRefIdentifier` echoes it.
    pub operation_name: String,
    /// What the body asks for.
    pub operation: Operation,
}

/// Why a body is not a usable POX request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PoxProblem {
    /// Longer than [`MAX_POX_BYTES`].
    TooLarge,
    /// Not UTF-8.
    NotUtf8,
    /// Not well-formed XML, or it holds a DTD or too many nodes.
    NotXml(String),
    /// The root is not `imsx_POXEnvelopeRequest` in the profile's namespace.
    NotAnEnvelope,
    /// A required element is missing, repeated or empty (its name).
    Missing(&'static str),
    /// `imsx_version` is not `V1.0`.
    WrongVersion,
    /// An identifier or text longer than 1 024 characters.
    TooLong(&'static str),
}

impl std::fmt::Display for PoxProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoxProblem::TooLarge => write!(f, "request body larger than {MAX_POX_BYTES} bytes"),
            PoxProblem::NotUtf8 => f.write_str("request body is not UTF-8"),
            PoxProblem::NotXml(e) => write!(f, "request body is not usable XML: {e}"),
            PoxProblem::NotAnEnvelope => {
                write!(
                    f,
                    "the root element is not imsx_POXEnvelopeRequest in namespace {NS}"
                )
            }
            PoxProblem::Missing(name) => write!(f, "missing, repeated or empty element {name}"),
            PoxProblem::WrongVersion => f.write_str("imsx_version is not V1.0"),
            PoxProblem::TooLong(name) => {
                write!(f, "{name} is longer than {MAX_TEXT_LEN} characters")
            }
        }
    }
}

/// A refused request, with whatever of its header could be read (so the response can still
/// echo them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoxError {
    /// What is wrong.
    pub problem: PoxProblem,
    /// The request's `imsx_messageIdentifier`, if it could be read.
    pub message_identifier: Option<String>,
    /// The operation name (body element without `Request`), if it could be read.
    pub operation_name: Option<String>,
}

impl PoxError {
    fn bare(problem: PoxProblem) -> Self {
        Self {
            problem,
            message_identifier: None,
            operation_name: None,
        }
    }
}

type Node<'a, 'input> = roxmltree::Node<'a, 'input>;

/// The only child element of `parent` named `name` in [`NS`]; `None` if absent or repeated.
fn only_child<'a, 'input>(parent: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    let mut found = parent.children().filter(|n| {
        n.is_element() && n.tag_name().namespace() == Some(NS) && n.tag_name().name() == name
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The element at `path` below `parent`, each step the only child of that name.
fn path<'a, 'input>(
    parent: Node<'a, 'input>,
    steps: &[&'static str],
) -> Result<Node<'a, 'input>, PoxProblem> {
    let mut node = parent;
    for step in steps {
        node = only_child(node, step).ok_or(PoxProblem::Missing(step))?;
    }
    Ok(node)
}

/// The text content of `node` (trimmed), bounded in length.
fn text(node: Node<'_, '_>, name: &'static str) -> Result<String, PoxProblem> {
    let mut out = String::new();
    for piece in node.descendants().filter(|n| n.is_text()) {
        out.push_str(piece.text().unwrap_or_default());
        if out.len() > MAX_TEXT_LEN * 2 {
            break;
        }
    }
    let out = out.trim();
    if out.chars().count() > MAX_TEXT_LEN {
        return Err(PoxProblem::TooLong(name));
    }
    Ok(out.to_owned())
}

fn required_text(node: Node<'_, '_>, steps: &[&'static str]) -> Result<String, PoxProblem> {
    let name = steps.last().copied().unwrap_or("?");
    let value = text(path(node, steps)?, name)?;
    if value.is_empty() {
        return Err(PoxProblem::Missing(name));
    }
    Ok(value)
}

/// Parse a Basic Outcomes request body. Never panics; refuses bodies over 64 KiB, DTDs, more
/// than 2 000 nodes, and elements outside the profile's namespace.
pub fn parse_request(body: &[u8]) -> Result<PoxRequest, PoxError> {
    if body.len() > MAX_POX_BYTES {
        return Err(PoxError::bare(PoxProblem::TooLarge));
    }
    let text_body = std::str::from_utf8(body).map_err(|_| PoxError::bare(PoxProblem::NotUtf8))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text_body, options)
        .map_err(|e| PoxError::bare(PoxProblem::NotXml(e.to_string())))?;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(NS)
        || root.tag_name().name() != "imsx_POXEnvelopeRequest"
    {
        return Err(PoxError::bare(PoxProblem::NotAnEnvelope));
    }

    // The operation first, so a refusal can still name it.
    let body_element = only_child(root, "imsx_POXBody").and_then(|b| {
        let mut elements = b.children().filter(|n| n.is_element());
        let first = elements.next()?;
        elements.next().is_none().then_some(first)
    });
    let operation_name = body_element.map(|e| {
        let name = e.tag_name().name();
        let name = name.strip_suffix("Request").unwrap_or(name);
        name.chars().take(MAX_TEXT_LEN).collect::<String>()
    });
    let header = path(root, &["imsx_POXHeader", "imsx_POXRequestHeaderInfo"]);
    let message_identifier = header
        .as_ref()
        .ok()
        .and_then(|h| required_text(*h, &["imsx_messageIdentifier"]).ok());
    let fail = |problem| PoxError {
        problem,
        message_identifier: message_identifier.clone(),
        operation_name: operation_name.clone(),
    };

    let header = header.map_err(fail)?;
    // XSD imsx_GWSVersionValue.Type: the only value is "V1.0".
    if required_text(header, &["imsx_version"]).map_err(fail)? != "V1.0" {
        return Err(fail(PoxProblem::WrongVersion));
    }
    let message_identifier = required_text(header, &["imsx_messageIdentifier"]).map_err(fail)?;
    let body_element = body_element.ok_or_else(|| fail(PoxProblem::Missing("imsx_POXBody")))?;
    let operation_name = operation_name.clone().unwrap_or_default();

    let in_ns = body_element.tag_name().namespace() == Some(NS);
    let sourced_id = || required_text(body_element, &["resultRecord", "sourcedGUID", "sourcedId"]);
    let operation = match (in_ns, body_element.tag_name().name()) {
        (true, "replaceResultRequest") => {
            let score = match path(body_element, &["resultRecord", "result", "resultScore"]) {
                Ok(score) => Some(ResultScore {
                    // XSD Text.Type: language and textString are both minOccurs 1.
                    language: text(path(score, &["language"]).map_err(fail)?, "language")
                        .map_err(fail)?,
                    text: text(path(score, &["textString"]).map_err(fail)?, "textString")
                        .map_err(fail)?,
                }),
                Err(_) => None,
            };
            Operation::ReplaceResult {
                sourced_id: sourced_id().map_err(fail)?,
                score,
            }
        }
        (true, "readResultRequest") => Operation::ReadResult {
            sourced_id: sourced_id().map_err(fail)?,
        },
        (true, "deleteResultRequest") => Operation::DeleteResult {
            sourced_id: sourced_id().map_err(fail)?,
        },
        _ => Operation::Unknown,
    };
    Ok(PoxRequest {
        message_identifier,
        operation_name,
        operation,
    })
}

/// `imsx_codeMajor` (XSD `imsx_CodeMajor.Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMajor {
    /// `success`.
    Success,
    /// `failure`.
    Failure,
    /// `unsupported`.
    Unsupported,
}

impl CodeMajor {
    /// The XML value.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeMajor::Success => "success",
            CodeMajor::Failure => "failure",
            CodeMajor::Unsupported => "unsupported",
        }
    }
}

/// `imsx_severity` (XSD `imsx_Severity.Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// `status`.
    Status,
    /// `warning`.
    Warning,
    /// `error`.
    Error,
}

impl Severity {
    /// The XML value.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Status => "status",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The body of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// `<replaceResultResponse/>`.
    Replace,
    /// `<readResultResponse>`; `Some(text)` writes `result/resultScore/{language=en,
    /// textString=text}` (an empty text for "no score"); `None` writes the element empty.
    Read(Option<String>),
    /// `<deleteResultResponse/>`.
    Delete,
    /// An empty `imsx_POXBody` (for an operation the profile does not know; the XSD has no
    /// response element for it).
    Empty,
}

/// An `imsx_POXEnvelopeResponse` to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// This response's own `imsx_messageIdentifier`.
    pub message_identifier: String,
    /// `imsx_codeMajor`.
    pub code_major: CodeMajor,
    /// `imsx_severity`; `None` leaves the required element out (a fault).
    pub severity: Option<Severity>,
    /// `imsx_description`.
    pub description: String,
    /// `imsx_messageRefIdentifier`: the request's `imsx_messageIdentifier`.
    pub message_ref_identifier: String,
    /// `imsx_operationRefIdentifier`, if the operation is known.
    pub operation_ref_identifier: Option<String>,
    /// `imsx_codeMinor/imsx_codeMinorField/imsx_codeMinorFieldValue` (an
    /// `imsx_CodeMinorValue.Type` value such as `invaliddata`), under `TargetEndSystem`.
    pub code_minor: Option<&'static str>,
    /// The body.
    pub body: ResponseBody,
}

/// XML character data / attribute escaping (the characters XML 1.0 cannot carry at all are
/// dropped).
pub fn escape(s: &str) -> String {
    crate::markup::xml_escape(s)
}

impl Response {
    /// The envelope as XML text, elements in the XSD's order: header info (`imsx_version`,
    /// `imsx_messageIdentifier`, `imsx_statusInfo` {`imsx_codeMajor`, `imsx_severity`,
    /// `imsx_description`, `imsx_messageRefIdentifier`, `imsx_operationRefIdentifier`,
    /// `imsx_codeMinor`}), then the body.
    pub fn to_xml(&self) -> String {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = write!(x, "<imsx_POXEnvelopeResponse xmlns=\"{NS}\">");
        x.push_str("<imsx_POXHeader><imsx_POXResponseHeaderInfo>");
        x.push_str("<imsx_version>V1.0</imsx_version>");
        let _ = write!(
            x,
            "<imsx_messageIdentifier>{}</imsx_messageIdentifier>",
            escape(&self.message_identifier)
        );
        x.push_str("<imsx_statusInfo>");
        let _ = write!(
            x,
            "<imsx_codeMajor>{}</imsx_codeMajor>",
            self.code_major.as_str()
        );
        if let Some(severity) = self.severity {
            let _ = write!(x, "<imsx_severity>{}</imsx_severity>", severity.as_str());
        }
        let _ = write!(
            x,
            "<imsx_description>{}</imsx_description>",
            escape(&self.description)
        );
        let _ = write!(
            x,
            "<imsx_messageRefIdentifier>{}</imsx_messageRefIdentifier>",
            escape(&self.message_ref_identifier)
        );
        if let Some(op) = &self.operation_ref_identifier {
            let _ = write!(
                x,
                "<imsx_operationRefIdentifier>{}</imsx_operationRefIdentifier>",
                escape(op)
            );
        }
        if let Some(minor) = self.code_minor {
            let _ = write!(
                x,
                "<imsx_codeMinor><imsx_codeMinorField><imsx_codeMinorFieldName>TargetEndSystem</imsx_codeMinorFieldName><imsx_codeMinorFieldValue>{}</imsx_codeMinorFieldValue></imsx_codeMinorField></imsx_codeMinor>",
                escape(minor)
            );
        }
        x.push_str("</imsx_statusInfo></imsx_POXResponseHeaderInfo></imsx_POXHeader>");
        match &self.body {
            ResponseBody::Replace => {
                x.push_str("<imsx_POXBody><replaceResultResponse/></imsx_POXBody>")
            }
            ResponseBody::Delete => {
                x.push_str("<imsx_POXBody><deleteResultResponse/></imsx_POXBody>")
            }
            ResponseBody::Read(None) => {
                x.push_str("<imsx_POXBody><readResultResponse/></imsx_POXBody>")
            }
            ResponseBody::Read(Some(score)) => {
                let _ = write!(
                    x,
                    "<imsx_POXBody><readResultResponse><result><resultScore><language>en</language><textString>{}</textString></resultScore></result></readResultResponse></imsx_POXBody>",
                    escape(score)
                );
            }
            ResponseBody::Empty => x.push_str("<imsx_POXBody/>"),
        }
        x.push_str("</imsx_POXEnvelopeResponse>\n");
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <imsx_POXEnvelopeRequest xmlns=\"{NS}\"><imsx_POXHeader><imsx_POXRequestHeaderInfo>\
             <imsx_version>V1.0</imsx_version><imsx_messageIdentifier>msg-1</imsx_messageIdentifier>\
             </imsx_POXRequestHeaderInfo></imsx_POXHeader><imsx_POXBody>{body}</imsx_POXBody>\
             </imsx_POXEnvelopeRequest>"
        )
    }

    /// A `{operation}Request` for the result record of ` sid-1 `, `result` inside the record.
    fn parse_record_request(operation: &str, result: &str) -> PoxRequest {
        let body = format!(
            "<{operation}Request><resultRecord><sourcedGUID><sourcedId> sid-1 </sourcedId>\
             </sourcedGUID>{result}</resultRecord></{operation}Request>"
        );
        parse_request(request(&body).as_bytes()).unwrap()
    }

    #[test]
    fn reads_the_three_operations() {
        let score = "<result><resultScore><language>en</language>\
                     <textString>0.92</textString></resultScore></result>";
        let parsed = parse_record_request("replaceResult", score);
        assert_eq!(parsed.message_identifier, "msg-1");
        let sourced_id = || "sid-1".to_owned();
        for (operation, parsed, expected) in [
            (
                "replaceResult",
                parsed,
                Operation::ReplaceResult {
                    sourced_id: sourced_id(),
                    score: Some(ResultScore {
                        language: "en".into(),
                        text: "0.92".into(),
                    }),
                },
            ),
            (
                "readResult",
                parse_record_request("readResult", ""),
                Operation::ReadResult {
                    sourced_id: sourced_id(),
                },
            ),
            (
                "deleteResult",
                parse_record_request("deleteResult", ""),
                Operation::DeleteResult {
                    sourced_id: sourced_id(),
                },
            ),
            (
                "smurfResult",
                parse_record_request("smurfResult", ""),
                Operation::Unknown,
            ),
        ] {
            assert_eq!(parsed.operation_name, operation);
            assert_eq!(parsed.operation, expected, "{operation}");
        }
    }

    #[test]
    fn refuses_other_namespaces_dtds_and_missing_parts_keeping_what_it_read() {
        let old =
            request("<readResultRequest/>").replace(NS, "http://www.imsglobal.org/lis/oms1p0/pox");
        assert_eq!(
            parse_request(old.as_bytes()).unwrap_err().problem,
            PoxProblem::NotAnEnvelope
        );
        let dtd = format!(
            "<!DOCTYPE x [<!ENTITY a \"b\">]>{}",
            request("<readResultRequest/>").split_once("?>").unwrap().1
        );
        assert!(matches!(
            parse_request(dtd.as_bytes()).unwrap_err().problem,
            PoxProblem::NotXml(_)
        ));
        let err = parse_request(request("<readResultRequest/>").as_bytes()).unwrap_err();
        assert_eq!(err.problem, PoxProblem::Missing("resultRecord"));
        assert_eq!(err.message_identifier.as_deref(), Some("msg-1"));
        assert_eq!(err.operation_name.as_deref(), Some("readResult"));
        let wrong_version = request("<readResultRequest/>").replace("V1.0", "V2.0");
        assert_eq!(
            parse_request(wrong_version.as_bytes()).unwrap_err().problem,
            PoxProblem::WrongVersion
        );
        // A foreign-namespace element inside the record does not count.
        let foreign = request(
            "<readResultRequest><resultRecord><sourcedGUID><sourcedId xmlns=\"urn:x\">s</sourcedId>\
             </sourcedGUID></resultRecord></readResultRequest>",
        );
        assert_eq!(
            parse_request(foreign.as_bytes()).unwrap_err().problem,
            PoxProblem::Missing("sourcedId")
        );
        for junk in [
            &b""[..],
            b"\xff\xfe",
            b"<a>",
            b"not xml",
            &vec![b' '; MAX_POX_BYTES + 1],
        ] {
            assert!(parse_request(junk).is_err());
        }
        let deep = format!("{}{}", "<a>".repeat(5000), "</a>".repeat(5000));
        assert!(parse_request(deep.as_bytes()).is_err());
    }

    #[test]
    fn writes_statusinfo_in_xsd_order_and_escapes_text() {
        let xml = Response {
            message_identifier: "r-1".into(),
            code_major: CodeMajor::Success,
            severity: Some(Severity::Status),
            description: "Score for <sid> is now 0.5 & more".into(),
            message_ref_identifier: "m\"1".into(),
            operation_ref_identifier: Some("readResult".into()),
            code_minor: None,
            body: ResponseBody::Read(Some("0.5".into())),
        }
        .to_xml();
        let order = [
            "<imsx_version>",
            "<imsx_messageIdentifier>r-1<",
            "<imsx_codeMajor>success<",
            "<imsx_severity>status<",
            "<imsx_description>Score for &lt;sid&gt; is now 0.5 &amp; more<",
            "<imsx_messageRefIdentifier>m&quot;1<",
            "<imsx_operationRefIdentifier>readResult<",
            "<textString>0.5<",
        ];
        let positions: Vec<usize> = order
            .iter()
            .map(|s| xml.find(s).unwrap_or_else(|| panic!("{s} in {xml}")))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{xml}");
        assert!(roxmltree::Document::parse(&xml).is_ok());
    }
}
