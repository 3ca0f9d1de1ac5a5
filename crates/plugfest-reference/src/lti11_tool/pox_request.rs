//! The Basic Outcomes POX messages the tool sends (IG11 §6.1.1–§6.1.3), laid out in the
//! element order of the official LTI 1.1 Outcomes profile XSD
//! (`OMSv1p0_LTIv1p1Profile_SyncXSD_v1p0.xsd`), and the one field of the answer the tool reads.
//! The namespace and XML escaping are the crate's shared [`crate::pox`] ones.

use crate::pox::{NS as NAMESPACE, escape};

use super::fault::{FaultSet, Lti11ToolFault};
/// The namespace of the pre-release outcomes messages (fault `outcome-old-namespace`).
const OLD_NAMESPACE: &str = "http://www.imsglobal.org/lis/oms1p0/pox";
/// The one value of `imsx_GWSVersionValue.Type`.
const IMSX_VERSION: &str = "V1.0";
/// The message identifier sent on every request under `outcome-message-id-reused`.
const REUSED_MESSAGE_ID: &str = "999999123";

/// The three operations of the profile ("supports only the Result Manager interface with the
/// delete*, read* and replace* operations").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// `replaceResultRequest`, with a score.
    Replace,
    /// `readResultRequest`.
    Read,
    /// `deleteResultRequest`.
    Delete,
}

impl Operation {
    /// The operation named by the hook's `operation` value.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "replaceResult" => Some(Self::Replace),
            "readResult" => Some(Self::Read),
            "deleteResult" => Some(Self::Delete),
            _ => None,
        }
    }

    fn request_element(self) -> &'static str {
        match self {
            Self::Replace => "replaceResultRequest",
            Self::Read => "readResultRequest",
            Self::Delete => "deleteResultRequest",
        }
    }
}

/// Faults that bend the envelope; each is read once in [`request`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PoxFaults {
    /// `lti11-tool/outcome-elements-out-of-order`
    pub elements_out_of_order: bool,
    /// `lti11-tool/outcome-old-namespace`
    pub old_namespace: bool,
    /// `lti11-tool/outcome-message-id-reused`
    pub message_id_reused: bool,
    /// `lti11-tool/outcome-wrong-sourcedid`
    pub wrong_sourcedid: bool,
    /// `lti11-tool/outcome-score-percent`
    pub score_percent: bool,
}

impl PoxFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            elements_out_of_order: set.has(Lti11ToolFault::OutcomeElementsOutOfOrder),
            old_namespace: set.has(Lti11ToolFault::OutcomeOldNamespace),
            message_id_reused: set.has(Lti11ToolFault::OutcomeMessageIdReused),
            wrong_sourcedid: set.has(Lti11ToolFault::OutcomeWrongSourcedid),
            score_percent: set.has(Lti11ToolFault::OutcomeScorePercent),
        }
    }
}

/// The request envelope for `operation` on `sourced_id`; `score` (in [0, 1]) for replace only.
/// `message_id` is a fresh identifier unless the `outcome-message-id-reused` fault replaces it.
pub(crate) fn request(
    operation: Operation,
    sourced_id: &str,
    score: Option<f64>,
    message_id: &str,
    faults: PoxFaults,
) -> String {
    let namespace = if faults.old_namespace {
        OLD_NAMESPACE
    } else {
        NAMESPACE
    };
    // IG11 §6.1: each request carries "imsx_messageIdentifier", which the response echoes as
    // imsx_messageRefIdentifier — a fresh value per request.
    let message_id = if faults.message_id_reused {
        REUSED_MESSAGE_ID
    } else {
        message_id
    };
    // IG11: "lis_result_sourcedid — This field contains an identifier that indicates the LIS
    // Result Identifier (if any) associated with this launch" — sent back as sourcedId.
    let sourced_id = if faults.wrong_sourcedid {
        format!("{sourced_id}-x")
    } else {
        sourced_id.to_owned()
    };
    // XSD ResultRecord.Type: sequence (sourcedGUID, result?); SourcedGUID.Type: sequence
    // (refAgentInstanceID?, sourcedId).
    let guid = format!(
        "<sourcedGUID><sourcedId>{}</sourcedId></sourcedGUID>",
        escape(&sourced_id)
    );
    // IG11 §6.1.1 replaceResult: the score is a decimal in the range 0.0–1.0, in a resultScore
    // whose language names the number format ("en"). XSD Text.Type: sequence (language,
    // textString).
    let result = match (operation, score) {
        (Operation::Replace, Some(score)) => {
            let value = if faults.score_percent {
                score * 100.0
            } else {
                score
            };
            format!(
                "<result><resultScore><language>en</language><textString>{}</textString></resultScore></result>",
                decimal(value)
            )
        }
        _ => String::new(),
    };
    let record = if faults.elements_out_of_order {
        format!("{result}{guid}")
    } else {
        format!("{guid}{result}")
    };
    // XSD imsx_POXEnvelope.Type: sequence (imsx_POXHeader, imsx_POXBody);
    // imsx_RequestHeaderInfo.Type: sequence (imsx_version, imsx_messageIdentifier,
    // imsx_sendingAgentIdentifier?).
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <imsx_POXEnvelopeRequest xmlns=\"{namespace}\">\
         <imsx_POXHeader><imsx_POXRequestHeaderInfo>\
         <imsx_version>{IMSX_VERSION}</imsx_version>\
         <imsx_messageIdentifier>{}</imsx_messageIdentifier>\
         </imsx_POXRequestHeaderInfo></imsx_POXHeader>\
         <imsx_POXBody><{op}><resultRecord>{record}</resultRecord></{op}></imsx_POXBody>\
         </imsx_POXEnvelopeRequest>\n",
        escape(message_id),
        op = operation.request_element(),
    )
}

/// A finite number as a plain decimal (never exponent notation), float noise beyond nine
/// decimal places rounded away: `0.85`, `1`, `85`.
fn decimal(value: f64) -> String {
    let rounded = (value * 1e9).round() / 1e9;
    // `Display` for f64 prints the shortest representation that reads back exactly, without
    // an exponent; -0 prints as "-0".
    let text = format!("{rounded}");
    if text == "-0" { "0".into() } else { text }
}

/// The `imsx_codeMajor` of a response envelope (any namespace), if it parses as XML and has
/// one.
pub(crate) fn code_major(response: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(response).ok()?;
    doc.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "imsx_codeMajor")
        .and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
        node.children()
            .find(|n| n.is_element() && n.tag_name().name() == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    fn names(node: roxmltree::Node) -> Vec<String> {
        node.children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name().to_owned())
            .collect()
    }

    #[test]
    fn replace_result_follows_the_xsd_order() {
        let xml = request(
            Operation::Replace,
            "s<&>1",
            Some(0.85),
            "m1",
            PoxFaults::default(),
        );
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "imsx_POXEnvelopeRequest");
        assert_eq!(root.tag_name().namespace(), Some(NAMESPACE));
        assert_eq!(names(root), ["imsx_POXHeader", "imsx_POXBody"]);
        let info = child(child(root, "imsx_POXHeader"), "imsx_POXRequestHeaderInfo");
        assert_eq!(names(info), ["imsx_version", "imsx_messageIdentifier"]);
        assert_eq!(child(info, "imsx_version").text(), Some("V1.0"));
        assert_eq!(child(info, "imsx_messageIdentifier").text(), Some("m1"));
        let record = child(
            child(child(root, "imsx_POXBody"), "replaceResultRequest"),
            "resultRecord",
        );
        assert_eq!(names(record), ["sourcedGUID", "result"]);
        assert_eq!(
            child(child(record, "sourcedGUID"), "sourcedId").text(),
            Some("s<&>1")
        );
        let score = child(child(record, "result"), "resultScore");
        assert_eq!(names(score), ["language", "textString"]);
        assert_eq!(child(score, "language").text(), Some("en"));
        assert_eq!(child(score, "textString").text(), Some("0.85"));
    }

    #[test]
    fn read_and_delete_carry_only_the_sourced_id() {
        for (op, element) in [
            (Operation::Read, "readResultRequest"),
            (Operation::Delete, "deleteResultRequest"),
        ] {
            let xml = request(op, "s1", None, "m", PoxFaults::default());
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let record = child(
                child(child(doc.root_element(), "imsx_POXBody"), element),
                "resultRecord",
            );
            assert_eq!(names(record), ["sourcedGUID"]);
        }
    }

    #[test]
    fn faults_bend_the_envelope() {
        let bent = |faults| request(Operation::Replace, "s1", Some(0.85), "m", faults);
        let xml = bent(PoxFaults {
            elements_out_of_order: true,
            ..PoxFaults::default()
        });
        assert!(xml.find("<result>").unwrap() < xml.find("<sourcedGUID>").unwrap());
        assert!(
            bent(PoxFaults {
                old_namespace: true,
                ..PoxFaults::default()
            })
            .contains("xmlns=\"http://www.imsglobal.org/lis/oms1p0/pox\"")
        );
        assert!(
            bent(PoxFaults {
                score_percent: true,
                ..PoxFaults::default()
            })
            .contains("<textString>85</textString>")
        );
        assert!(
            bent(PoxFaults {
                wrong_sourcedid: true,
                ..PoxFaults::default()
            })
            .contains("<sourcedId>s1-x</sourcedId>")
        );
        let reused = PoxFaults {
            message_id_reused: true,
            ..PoxFaults::default()
        };
        assert_eq!(
            request(Operation::Read, "s1", None, "a", reused),
            request(Operation::Read, "s1", None, "b", reused)
        );
    }

    #[test]
    fn scores_are_plain_decimals() {
        assert_eq!(decimal(0.85), "0.85");
        assert_eq!(decimal(1.0), "1");
        assert_eq!(decimal(0.0), "0");
        assert_eq!(decimal(-0.0), "0");
        assert_eq!(decimal(1e-7), "0.0000001");
        assert_eq!(decimal(0.29 * 100.0), "29");
    }

    #[test]
    fn the_code_major_is_read_from_any_namespace() {
        let response = "<imsx_POXEnvelopeResponse xmlns=\"http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0\"><imsx_POXHeader><imsx_POXResponseHeaderInfo><imsx_version>V1.0</imsx_version><imsx_messageIdentifier>r</imsx_messageIdentifier><imsx_statusInfo><imsx_codeMajor> success </imsx_codeMajor><imsx_severity>status</imsx_severity><imsx_messageRefIdentifier>m</imsx_messageRefIdentifier></imsx_statusInfo></imsx_POXResponseHeaderInfo></imsx_POXHeader><imsx_POXBody><replaceResultResponse/></imsx_POXBody></imsx_POXEnvelopeResponse>";
        assert_eq!(code_major(response).as_deref(), Some("success"));
        assert_eq!(
            code_major("<a><imsx_codeMajor>failure</imsx_codeMajor></a>").as_deref(),
            Some("failure")
        );
        assert_eq!(code_major("not xml"), None);
        assert_eq!(code_major("<a/>"), None);
        assert_eq!(
            code_major(
                "<!DOCTYPE a [<!ENTITY x \"y\">]><a><imsx_codeMajor>&x;</imsx_codeMajor></a>"
            ),
            None
        );
    }
}
