//! What the two package roles (`packages-exporter`, `packages-importer`) share: the namespaces
//! of the package documents (packages.md Appendix A), writing a zip deterministically, the
//! bearer-token check both roles' endpoints make, and their JSON error answers.

use std::io::{Cursor, Write};

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The namespaces of the documents in the packages the roles write and read.
pub(crate) mod ns {
    /// IMS Content Packaging 1.1 (QTI 2.1 packages use the plain CP 1.1 manifest).
    pub const CP11: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
    /// QTI 2.1 items and tests.
    pub const QTI21: &str = "http://www.imsglobal.org/xsd/imsqti_v2p1";
    /// The Common Cartridge 1.3 manifest (the CC profile of CP 1.2).
    pub const CC13: &str = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1";
    /// The CC 1.3 manifest's LOM profile.
    pub const CC13_LOM_MANIFEST: &str = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest";
    /// CC 1.3 web links (`ccv1p3_imswl_v1p3.xsd`).
    pub const CC13_WEBLINK: &str = "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3";
    /// CC 1.3 discussion topics (`ccv1p3_imsdt_v1p3.xsd`).
    pub const CC13_TOPIC: &str = "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3";
    /// CC 1.3 basic LTI links (`imslticc_v1p3.xsd`).
    pub const LTICC13: &str = "http://www.imsglobal.org/xsd/imslticc_v1p3";
    /// Basic LTI link elements, shared by every CC version.
    pub const BLTI: &str = "http://www.imsglobal.org/xsd/imsbasiclti_v1p0";
    /// LTI common messages (property sets).
    pub const LTICM: &str = "http://www.imsglobal.org/xsd/imslticm_v1p0";
    /// LTI common profile (vendor).
    pub const LTICP: &str = "http://www.imsglobal.org/xsd/imslticp_v1p0";
    /// XML Schema instance (`xsi:schemaLocation`).
    pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
}

/// The media type of every package either role sends or takes.
pub(crate) const ZIP_MEDIA_TYPE: &str = "application/zip";

/// `entries` (name, content) as a zip, in the order given: deflated, every entry dated
/// 1980-01-01 00:00 with mode 0644, so the same entries always make the same bytes. Names are
/// written as given — including unsafe ones, which one exporter fault needs.
pub(crate) fn write_zip<N: AsRef<str>, C: AsRef<[u8]>>(
    entries: &[(N, C)],
) -> Result<Vec<u8>, zip::result::ZipError> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        writer.start_file(name.as_ref(), options)?;
        writer.write_all(content.as_ref())?;
    }
    Ok(writer.finish()?.into_inner())
}

/// Whether `headers` carry `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is
/// case-insensitive, RFC 9110 §11.1), compared in constant time. An empty `token` matches
/// nothing.
pub(crate) fn bearer_ok(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, credentials)) = value.split_once(' ') else {
        return false;
    };
    !token.is_empty()
        && scheme.eq_ignore_ascii_case("Bearer")
        && aws_lc_rs::constant_time::verify_slices_are_equal(
            credentials.trim().as_bytes(),
            token.as_bytes(),
        )
        .is_ok()
}

/// `401 Unauthorized` with the RFC 6750 §3 challenge and a JSON error.
pub(crate) fn unauthorized() -> Response {
    let mut response = json_error(
        StatusCode::UNAUTHORIZED,
        "this endpoint needs `Authorization: Bearer <token>` with the token it was configured with",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer realm=\"plugfest-reference\""),
    );
    response
}

/// `status` with the JSON body `{"error": message}`.
pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({ "error": message })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_auth(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn the_bearer_token_must_match_exactly() {
        assert!(bearer_ok(&with_auth("Bearer t0ken"), "t0ken"));
        assert!(bearer_ok(&with_auth("bearer t0ken"), "t0ken"));
        assert!(!bearer_ok(&with_auth("Bearer t0ke"), "t0ken"));
        assert!(!bearer_ok(&with_auth("Basic t0ken"), "t0ken"));
        assert!(!bearer_ok(&with_auth("Bearer"), "t0ken"));
        assert!(!bearer_ok(&HeaderMap::new(), "t0ken"));
        assert!(!bearer_ok(&with_auth("Bearer "), ""));
    }

    #[test]
    fn zips_are_deterministic_and_keep_the_order() {
        let entries = [("b.txt", b"bee".as_slice()), ("a/c.txt", b"sea".as_slice())];
        let one = write_zip(&entries).unwrap();
        assert_eq!(one, write_zip(&entries).unwrap());
        let mut archive = zip::ZipArchive::new(Cursor::new(one)).unwrap();
        let names: Vec<String> = archive.file_names().map(|n| n.unwrap().into()).collect();
        assert_eq!(names, ["b.txt", "a/c.txt"]);
        assert_eq!(
            archive.by_index(0).unwrap().compression(),
            CompressionMethod::Deflated
        );
    }
}
