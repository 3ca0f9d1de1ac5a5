//! `POST /lti11/outcomes`: the Basic Outcomes service (IG11 §6) — OAuth-authenticated POX
//! requests `replaceResult`, `readResult` and `deleteResult` on the gradebook, answered with an
//! `imsx_POXEnvelopeResponse` valid against the profile's XSD.
//!
//! What a conformant service answers is the IMS LTI 1.1 consumer certification's outcomes
//! table (8.2–8.8): a valid replace → `success` + `replaceResultResponse`; read right after →
//! `success` with `resultScore/language=en` and the score; delete → `success` +
//! `deleteResultResponse`; read after delete → `failure`, or `success` with an empty
//! textString; an unknown operation → `unsupported`; a score of `42` or `smurf` → `failure`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ConsumerState;
use super::auth;
use super::fault::{FaultSet, Lti11ConsumerFault};
use super::gradebook::StoredScore;
use crate::pox::{self, CodeMajor, Operation, PoxRequest, ResponseBody, Severity};

/// Faults that bend the service; each is read once, next to the check it bends.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ServiceFaults {
    /// `lti11-consumer/replace-answers-failure`
    pub replace_answers_failure: bool,
    /// `lti11-consumer/read-wrong-score`
    pub read_wrong_score: bool,
    /// `lti11-consumer/delete-unsupported`
    pub delete_unsupported: bool,
    /// `lti11-consumer/read-after-delete-keeps-score`
    pub read_after_delete_keeps_score: bool,
    /// `lti11-consumer/unsupported-op-as-failure`
    pub unsupported_op_as_failure: bool,
    /// `lti11-consumer/score-range-not-checked`
    pub score_range_not_checked: bool,
    /// `lti11-consumer/non-numeric-accepted`
    pub non_numeric_accepted: bool,
    /// `lti11-consumer/unknown-sourcedid-accepted`
    pub unknown_sourcedid_accepted: bool,
    /// `lti11-consumer/text-plain-response`
    pub text_plain_response: bool,
    /// `lti11-consumer/severity-missing`
    pub severity_missing: bool,
    /// `lti11-consumer/message-ref-not-echoed`
    pub message_ref_not_echoed: bool,
}

impl ServiceFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        use Lti11ConsumerFault as F;
        Self {
            replace_answers_failure: set.has(F::ReplaceAnswersFailure),
            read_wrong_score: set.has(F::ReadWrongScore),
            delete_unsupported: set.has(F::DeleteUnsupported),
            read_after_delete_keeps_score: set.has(F::ReadAfterDeleteKeepsScore),
            unsupported_op_as_failure: set.has(F::UnsupportedOpAsFailure),
            score_range_not_checked: set.has(F::ScoreRangeNotChecked),
            non_numeric_accepted: set.has(F::NonNumericAccepted),
            unknown_sourcedid_accepted: set.has(F::UnknownSourcedidAccepted),
            text_plain_response: set.has(F::TextPlainResponse),
            severity_missing: set.has(F::SeverityMissing),
            message_ref_not_echoed: set.has(F::MessageRefNotEchoed),
        }
    }
}

/// The status part of a response, before the envelope is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub code_major: CodeMajor,
    pub code_minor: Option<&'static str>,
    pub description: String,
    pub body: ResponseBody,
}

impl Outcome {
    fn success(description: impl Into<String>, body: ResponseBody) -> Self {
        Self {
            code_major: CodeMajor::Success,
            code_minor: None,
            description: description.into(),
            body,
        }
    }

    fn failure(minor: &'static str, description: impl Into<String>, body: ResponseBody) -> Self {
        Self {
            code_major: CodeMajor::Failure,
            code_minor: Some(minor),
            description: description.into(),
            body,
        }
    }
}

/// A score `textString` as a decimal: optional `+`, digits with at most one `.` and at least
/// one digit, nothing else (no exponent, `inf` or `NaN`), at most 32 characters.
pub(crate) fn parse_decimal(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = t.len() <= 32
        && !(whole.is_empty() && fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    digits.parse::<f64>().ok()
}

/// The body element answering the operation named (so even a failure stays XSD-valid).
fn body_for_name(operation_name: Option<&str>) -> ResponseBody {
    match operation_name {
        Some("replaceResult") => ResponseBody::Replace,
        Some("readResult") => ResponseBody::Read(None),
        Some("deleteResult") => ResponseBody::Delete,
        _ => ResponseBody::Empty,
    }
}

/// Carry out one authenticated, well-formed request on the gradebook.
pub(crate) fn perform(state: &ConsumerState, request: &PoxRequest) -> Outcome {
    let faults = state.service_faults;
    let book = &state.gradebook;
    let unknown_sourced_id = |body: ResponseBody| {
        if faults.unknown_sourcedid_accepted {
            Outcome::success("sourcedId accepted", body)
        } else {
            // Harness POX-SVC-008 / IG11 §6: a sourcedId this consumer never issued is refused.
            Outcome::failure("unknownobject", "unknown sourcedId", body)
        }
    };
    match &request.operation {
        Operation::ReplaceResult { sourced_id, score } => {
            if book.read(sourced_id).is_none() {
                return unknown_sourced_id(ResponseBody::Replace);
            }
            let Some(score) = score else {
                return Outcome::failure(
                    "incompletedata",
                    "replaceResultRequest carries no result/resultScore",
                    ResponseBody::Replace,
                );
            };
            // IG11 §6 replaceResult: the score's textString is a decimal from 0.0 to 1.0
            // inclusive; cert 8.7 (`42`) and 8.8 (`smurf`) expect failure.
            let value = match parse_decimal(&score.text) {
                Some(v) if (0.0..=1.0).contains(&v) => v,
                Some(v) if faults.score_range_not_checked => v,
                Some(_) => {
                    return Outcome::failure(
                        "invaliddata",
                        format!("score {} is not within 0.0 to 1.0", score.text),
                        ResponseBody::Replace,
                    );
                }
                None if faults.non_numeric_accepted => {
                    // The fault answers success but has nothing it could store.
                    return Outcome::success("score replaced", ResponseBody::Replace);
                }
                None => {
                    return Outcome::failure(
                        "invaliddata",
                        "the score is not a decimal number",
                        ResponseBody::Replace,
                    );
                }
            };
            if faults.replace_answers_failure {
                return Outcome::failure(
                    "savepointerror",
                    "the score could not be stored",
                    ResponseBody::Replace,
                );
            }
            book.replace(
                sourced_id,
                StoredScore {
                    text: score.text.trim().to_owned(),
                    value,
                },
            );
            Outcome::success(
                format!("score for {sourced_id} is now {}", score.text.trim()),
                ResponseBody::Replace,
            )
        }
        Operation::ReadResult { sourced_id } => match book.read(sourced_id) {
            None => unknown_sourced_id(ResponseBody::Read(Some(String::new()))),
            // Cert 8.3: "success + resultScore/language=en, textString within 0.01 of sent".
            Some(Some(score)) => {
                let text = if faults.read_wrong_score {
                    format!("{}", score.value * 100.0)
                } else {
                    score.text
                };
                Outcome::success(
                    format!("score for {sourced_id} is {text}"),
                    ResponseBody::Read(Some(text)),
                )
            }
            // Cert 8.5: after delete (or before any replace), "success with empty textString".
            Some(None) => Outcome::success(
                format!("no score for {sourced_id}"),
                ResponseBody::Read(Some(String::new())),
            ),
        },
        Operation::DeleteResult { sourced_id } => {
            if book.read(sourced_id).is_none() {
                return unknown_sourced_id(ResponseBody::Delete);
            }
            if faults.delete_unsupported {
                return Outcome {
                    code_major: CodeMajor::Unsupported,
                    code_minor: Some("unsupportedLISoperation"),
                    description: "deleteResult is not supported".into(),
                    body: ResponseBody::Delete,
                };
            }
            // Cert 8.4: "deleteResultRequest — success + deleteResultResponse".
            if !faults.read_after_delete_keeps_score {
                book.delete(sourced_id);
            }
            Outcome::success(
                format!("score for {sourced_id} deleted"),
                ResponseBody::Delete,
            )
        }
        // Cert 8.6: "unknown op (smurfResultRequest) — imsx_codeMajor=unsupported"; LIS 2.0
        // status codes: unsupported / severity status / unsupportedLISoperation for an
        // operation the service does not support.
        Operation::Unknown if faults.unsupported_op_as_failure => Outcome::failure(
            "invaliddata",
            format!("{} failed", request.operation_name),
            ResponseBody::Empty,
        ),
        Operation::Unknown => Outcome {
            code_major: CodeMajor::Unsupported,
            code_minor: Some("unsupportedLISoperation"),
            description: format!("{} is not supported", request.operation_name),
            body: ResponseBody::Empty,
        },
    }
}

/// Severity for a code major: `status` for success and unsupported (LIS 2.0 status codes), `error`
/// for failure.
fn severity(code_major: CodeMajor) -> Severity {
    match code_major {
        CodeMajor::Success | CodeMajor::Unsupported => Severity::Status,
        CodeMajor::Failure => Severity::Error,
    }
}

/// Write the envelope for `outcome` answering the request `message_ref` / `operation`.
fn respond(
    state: &ConsumerState,
    status: StatusCode,
    message_ref: Option<&str>,
    operation: Option<&str>,
    outcome: Outcome,
) -> Response {
    let faults = state.service_faults;
    let message_identifier = crate::serve::random_hex(16);
    // Harness POX-SVC-015 / IG11 §6: imsx_messageRefIdentifier is the request's
    // imsx_messageIdentifier.
    let message_ref_identifier = if faults.message_ref_not_echoed {
        crate::serve::random_hex(16)
    } else {
        message_ref.unwrap_or_default().to_owned()
    };
    // XSD imsx_StatusInfo.Type: imsx_severity is minOccurs 1.
    let severity = (!faults.severity_missing).then(|| severity(outcome.code_major));
    let xml = pox::Response {
        message_identifier,
        code_major: outcome.code_major,
        severity,
        description: outcome.description,
        message_ref_identifier,
        operation_ref_identifier: operation.map(str::to_owned),
        code_minor: outcome.code_minor,
        body: outcome.body,
    }
    .to_xml();
    // IG11 §6 exchanges application/xml both ways.
    let content_type = if faults.text_plain_response {
        "text/plain; charset=utf-8"
    } else {
        "application/xml"
    };
    (status, [(header::CONTENT_TYPE, content_type)], xml).into_response()
}

/// `POST /lti11/outcomes`.
pub(crate) async fn outcomes(
    State(state): State<Arc<ConsumerState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let parsed = pox::parse_request(&body);
    let (message_ref, operation) = match &parsed {
        Ok(request) => (
            Some(request.message_identifier.as_str()),
            Some(request.operation_name.as_str()),
        ),
        Err(e) => (e.message_identifier.as_deref(), e.operation_name.as_deref()),
    };

    if let Err(refusal) = auth::check(&state, &headers, query.as_deref(), &body, super::unix_now())
    {
        // RFC 5849 §3.2: "The server SHOULD return a 401 (Unauthorized) status code when
        // receiving a request with invalid client credentials, an invalid or expired token, an
        // invalid signature, or an invalid or used nonce." The body still says why, in POX.
        let mut response = respond(
            &state,
            StatusCode::UNAUTHORIZED,
            message_ref,
            operation,
            Outcome::failure(
                "unauthorizedrequest",
                refusal.description(),
                body_for_name(operation),
            ),
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("OAuth realm=\"\""),
        );
        return response;
    }

    let outcome = match &parsed {
        Ok(request) => perform(&state, request),
        Err(e) => Outcome::failure(
            "invaliddata",
            e.problem.to_string(),
            body_for_name(e.operation_name.as_deref()),
        ),
    };
    respond(&state, StatusCode::OK, message_ref, operation, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_plain_numbers_only() {
        for (text, value) in [
            ("0", 0.0),
            ("1", 1.0),
            ("1.0", 1.0),
            ("0.92", 0.92),
            (" .5 ", 0.5),
            ("+0.25", 0.25),
            ("5.", 5.0),
            ("42", 42.0),
        ] {
            assert_eq!(parse_decimal(text), Some(value), "{text}");
        }
        for text in [
            "", ".", "smurf", "-0.5", "1e-1", "inf", "NaN", "0,5", "0.5.1", "++1", "0x1", "1 2",
        ] {
            assert_eq!(parse_decimal(text), None, "{text}");
        }
        assert_eq!(parse_decimal(&"1".repeat(40)), None);
    }
}
