//! Error and status bodies per version (spec-notes §2.5): 1.2 answers the bare
//! `imsx_StatusInfoDType` of the OpenAPI (`imsx_CodeMinor.imsx_codeMinorField[]`); 1.1 wraps its
//! status objects in `{"statusInfoSet": […]}` with the 1.1 code-minor spellings, and may attach
//! `success/warning` entries to a 200 collection.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Version;
use super::fault::Bends;

/// The code-minor values the provider uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Minor {
    UnknownObject,
    InvalidFilterField,
    InvalidSelectionField,
    InvalidBlankSelectionField,
    InvalidSortField,
    InvalidData,
    Unauthorized,
    Forbidden,
    InternalServerError,
    /// The 1.1 spelling `unauthorized` whatever the version (a fault's).
    UnauthorizedV1p1,
}

impl Minor {
    /// The spelling of `version` (1.1's mix of spaces and underscores is the spec's own).
    pub(crate) fn spelling(self, version: Version) -> &'static str {
        match (self, version) {
            (Minor::UnknownObject, Version::V1p1) => "unknown object",
            (Minor::UnknownObject, Version::V1p2) => "unknownobject",
            (Minor::InvalidFilterField, _) => "invalid_filter_field",
            (Minor::InvalidSelectionField, _) => "invalid_selection_field",
            (Minor::InvalidBlankSelectionField, Version::V1p1) => "invalid_blank_selection_field",
            (Minor::InvalidBlankSelectionField, Version::V1p2) => "invalid_selection_field",
            // 1.2 defines invalid_sort_field in the resources service's enumeration; rostering
            // and gradebook have no code for a bad sort, so the one 1.2 code for it is used.
            (Minor::InvalidSortField, _) => "invalid_sort_field",
            (Minor::InvalidData, Version::V1p1) => "invalid data",
            (Minor::InvalidData, Version::V1p2) => "invaliddata",
            (Minor::Unauthorized, Version::V1p1) => "unauthorized",
            (Minor::Unauthorized, Version::V1p2) => "unauthorisedrequest",
            (Minor::Forbidden, _) => "forbidden",
            (Minor::InternalServerError, _) => "internal_server_error",
            (Minor::UnauthorizedV1p1, _) => "unauthorized",
        }
    }
}

/// A failed request: HTTP status, code minor and a description.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub minor: Minor,
    pub description: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, minor: Minor, description: impl Into<String>) -> Self {
        ApiError {
            status,
            minor,
            description: description.into(),
        }
    }

    /// 404 `unknownobject` for `what` (`"user u1"`).
    pub(crate) fn unknown(what: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            Minor::UnknownObject,
            format!("Unknown Object: {what}"),
        )
    }

    pub(crate) fn bad(minor: Minor, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, minor, description)
    }

    /// 500, after something that should not fail did.
    pub(crate) fn internal(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Minor::InternalServerError,
            description,
        )
    }

    /// The response in `version`'s shape (bent by the error faults in `bends`).
    pub(crate) fn into_response(self, version: Version, bends: &Bends) -> Response {
        let minor = match self.minor {
            Minor::UnknownObject if bends.unknown_object_minor_wrong => Minor::InvalidData,
            Minor::Unauthorized if bends.unauthorized_minor_wrong => Minor::UnauthorizedV1p1,
            Minor::Forbidden if bends.forbidden_minor_wrong => Minor::Unauthorized,
            m => m,
        };
        let status = status_info(version, "failure", "error", minor, &self.description);
        let body = match version {
            Version::V1p1 if bends.error_bare_1p2_style => {
                status_info(Version::V1p2, "failure", "error", minor, &self.description)
            }
            Version::V1p1 => json!({ "statusInfoSet": [status] }),
            Version::V1p2 if bends.error_wrapped_1p1_style => json!({ "statusInfoSet": [status] }),
            Version::V1p2 => status,
        };
        let mut response = (self.status, json_body(&body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(bends)),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = match version {
                Version::V1p1 => "OAuth realm=\"oneroster\"",
                Version::V1p2 => "Bearer realm=\"oneroster\"",
            };
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

/// One status object of `version`.
pub(crate) fn status_info(
    version: Version,
    major: &str,
    severity: &str,
    minor: Minor,
    description: &str,
) -> Value {
    match version {
        Version::V1p1 => json!({
            "imsx_codeMajor": major,
            "imsx_severity": severity,
            "imsx_description": description,
            "imsx_codeMinor": minor.spelling(version),
        }),
        Version::V1p2 => json!({
            "imsx_codeMajor": major,
            "imsx_severity": severity,
            "imsx_description": description,
            "imsx_CodeMinor": {
                "imsx_codeMinorField": [{
                    "imsx_codeMinorFieldName": "TargetEndSystem",
                    "imsx_codeMinorFieldValue": minor.spelling(version),
                }]
            },
        }),
    }
}

/// A JSON value as a response body string.
pub(crate) fn json_body(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

/// The Content-Type of JSON answers (`text/plain` under the `content-type-text` fault).
pub(crate) fn content_type(bends: &Bends) -> &'static str {
    if bends.content_type_text {
        "text/plain"
    } else {
        "application/json"
    }
}
