//! Checks shared by both sides of LTI 1.1 Basic Outcomes (IG11 §6): the media type, the
//! `oauth_body_hash`, the official XSD, and what counts as a decimal score.

use crate::world::{PlugfestWorld, StepResult};
use plugfest_core::{Evidence, Finding};
use plugfest_http::oauth1::{self, SignatureMethod};
use plugfest_lti::lti11::pox;
use plugfest_packages::{LTI11_POX_XSD, XsdError};

/// `Content-Type` must be `application/xml` (IG11 §6; parameters such as charset allowed).
pub fn content_type(check: &str, value: &str) -> Finding {
    let essence = value.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case(pox::CONTENT_TYPE) {
        Finding::met(check, format!("Content-Type {value}"))
    } else {
        Finding::not_met(
            check,
            "the POX message is not sent as application/xml",
            pox::CONTENT_TYPE,
            value,
        )
    }
}

/// The Authorization header carries an `oauth_body_hash` equal to the hash of `body` (OAuth
/// Request Body Hash: SHA-1 for HMAC-SHA1, SHA-256 for HMAC-SHA256).
pub fn body_hash(authorization: &str, body: &[u8]) -> Finding {
    let check = "pox::body_hash";
    let params = oauth1::parse_authorization(authorization).unwrap_or_default();
    let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let method = get("oauth_signature_method")
        .and_then(|m| SignatureMethod::parse(&m))
        .unwrap_or(SignatureMethod::HmacSha1);
    let want = oauth1::body_hash(method, body);
    match get("oauth_body_hash") {
        Some(got) if got == want => {
            Finding::met(check, format!("oauth_body_hash {got} matches the body"))
        }
        Some(got) => Finding::not_met(
            check,
            "oauth_body_hash does not match the body",
            format!("{want} (base64 of the body's digest)"),
            got,
        ),
        None => Finding::not_met(
            check,
            "the Authorization header has no oauth_body_hash",
            format!("oauth_body_hash=\"{want}\""),
            "(absent)",
        ),
    }
}

/// A score as IG11 §6.1.1 writes it: a plain decimal (`0.85`, `1`, `.5`), never `NaN` or `1e-1`.
pub fn decimal(s: &str) -> Option<f64> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    s.parse().ok()
}

/// Validate `xml` against the official Basic Outcomes XSD: met, not met with libxml2's messages,
/// `not-assessed` without the schema bundle, `error` when the schema set itself is broken.
pub async fn schema_valid(
    w: &mut PlugfestWorld,
    check: &str,
    xml: Vec<u8>,
    label: &str,
) -> StepResult {
    let ctx = w.ctx()?;
    let pool = match &ctx.xsd {
        Ok(pool) => pool,
        Err(why) => return Err(w.not_assessed(why)),
    };
    let finding = match pool.validate_async(LTI11_POX_XSD, xml, label).await {
        Ok(report) if report.is_valid() => Finding::met(
            check,
            format!("the {label} is valid against {LTI11_POX_XSD}"),
        ),
        Ok(report) => {
            let errors: Vec<String> = report.errors().take(5).map(|m| m.to_string()).collect();
            w.note(Evidence::Note {
                text: format!("libxml2 on the {label}:\n{}", errors.join("\n")),
            });
            Finding::not_met(
                check,
                format!("the {label} is not valid against the official schema"),
                "valid against OMSv1p0_LTIv1p1Profile_SyncXSD_v1p0.xsd",
                errors.join("; "),
            )
        }
        Err(e @ XsdError::NotWellFormed { .. }) | Err(e @ XsdError::TooLarge { .. }) => {
            Finding::not_met(
                check,
                format!("the {label} is not a valid XML document"),
                "well-formed XML",
                e.to_string(),
            )
        }
        Err(e @ XsdError::SchemaMissing { .. }) => return Err(w.not_assessed(&e.to_string())),
        Err(e) => return Err(w.error(&format!("validating the {label}: {e}"))),
    };
    w.check(finding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_plain() {
        assert_eq!(decimal("0.85"), Some(0.85));
        assert_eq!(decimal("1"), Some(1.0));
        assert_eq!(decimal(".5"), Some(0.5));
        for bad in ["", ".", "NaN", "1e-1", "-0.5", "smurf", "0,5", "inf"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types_compare_by_essence() {
        assert!(content_type("c", "application/xml; charset=utf-8").met);
        assert!(!content_type("c", "text/plain").met);
    }
}
