//! Attestations: a person's signed judgement of one requirement of a run (DESIGN §4 tier
//! `attested`), kept as an addendum file next to `run.json` — never an edit of the record.
//!
//! The file is JSON: `{"attestation": {…}, "signature": "<base64>"}`. The signature covers the
//! compact JSON serialisation of [`Attestation`] (fields in declaration order, as
//! [`Attestation::signed_bytes`] writes them), so [`verify`] re-serialises what it read and
//! checks that; any added, removed or changed field breaks it.

use crate::signing::{PublicKey, SigningKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use plugfest_core::digest::sha256_hex;
use serde::{Deserialize, Serialize};

/// The attestation's `format`.
pub const FORMAT: &str = "plugfest-attestation/1";

/// The verdicts a person may give.
pub const VERDICTS: [&str; 2] = ["pass", "fail"];

/// What a person attests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// [`FORMAT`].
    pub format: String,
    /// The run it is about: file name and SHA-256 of the run.json bytes.
    pub run: Attached,
    /// Requirement ID.
    pub requirement: String,
    /// The requirement's verdict in the run when it was attested (usually `manual`).
    pub verdict_in_run: String,
    /// Who judged (as they gave their name).
    pub by: String,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Their judgement: `pass` (the requirement is met) or `fail`.
    pub verdict: String,
    /// Their judgement in their words.
    pub note: String,
    /// What they supplied (a screenshot, a document): file name, SHA-256 and size.
    pub evidence: Attached,
    /// Standard base64 of the signer's raw Ed25519 public key.
    pub signer_public_key: String,
    /// Its fingerprint (first 16 hex of its SHA-256).
    pub signer_fingerprint: String,
}

/// A file an attestation refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attached {
    /// File name (no folder).
    pub file: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// What became of a file an attestation refers to, looked for in one folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileCheck {
    /// There, with the attested SHA-256.
    Matches,
    /// There, but its bytes changed since it was attested.
    Changed,
    /// Not in that folder (not checked).
    Missing,
}

impl Attached {
    /// Look for the file in `dir` and compare its SHA-256 with the attested one.
    pub fn check_in(&self, dir: &std::path::Path) -> FileCheck {
        match std::fs::read(dir.join(&self.file)) {
            Ok(bytes) if sha256_hex(&bytes) == self.sha256 => FileCheck::Matches,
            Ok(_) => FileCheck::Changed,
            Err(_) => FileCheck::Missing,
        }
    }

    /// Name and digest of `bytes`.
    pub fn of(file: &str, bytes: &[u8]) -> Attached {
        Attached {
            file: file.into(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }
}

/// The attestation file's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signed {
    /// The statement.
    pub attestation: Attestation,
    /// Standard base64 of the Ed25519 signature of [`Attestation::signed_bytes`].
    pub signature: String,
}

/// Why an attestation file does not hold up.
#[derive(Debug, thiserror::Error)]
pub enum AttestError {
    /// Not the JSON of an attestation.
    #[error("not an attestation file: {0}")]
    Malformed(String),
    /// The signature does not match the statement.
    #[error("the attestation was changed after signing (signature check failed for key {0})")]
    BadSignature(String),
    /// Signed by another key than expected.
    #[error("signed by {signed_by}, expected {expected}")]
    WrongKey {
        /// Fingerprint of the signer.
        signed_by: String,
        /// Fingerprint expected.
        expected: String,
    },
}

impl Attestation {
    /// The exact bytes signed: compact JSON of the statement.
    pub fn signed_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Fill in the signer, sign, and return the file's text (pretty JSON, final newline).
    pub fn sign(mut self, key: &SigningKey) -> String {
        let public = key.public_key();
        self.signer_public_key = public.to_base64();
        self.signer_fingerprint = public.fingerprint();
        let signature = STANDARD.encode(key.sign(&self.signed_bytes()));
        let mut text = serde_json::to_string_pretty(&Signed {
            attestation: self,
            signature,
        })
        .unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Read and check an attestation file: well-formed, signature valid under the key it names,
/// and — with `expected` — made by that key.
pub fn verify(text: &str, expected: Option<&PublicKey>) -> Result<Attestation, AttestError> {
    let signed: Signed =
        serde_json::from_str(text).map_err(|e| AttestError::Malformed(e.to_string()))?;
    let a = signed.attestation;
    if a.format != FORMAT {
        return Err(AttestError::Malformed(format!("format `{}`", a.format)));
    }
    if !VERDICTS.contains(&a.verdict.as_str()) {
        return Err(AttestError::Malformed(format!("verdict `{}`", a.verdict)));
    }
    let signer = PublicKey::from_base64(&a.signer_public_key)
        .map_err(|e| AttestError::Malformed(e.to_string()))?;
    let sig = STANDARD
        .decode(signed.signature.trim())
        .map_err(|e| AttestError::Malformed(format!("signature: {e}")))?;
    if !signer.verify(&a.signed_bytes(), &sig) || a.signer_fingerprint != signer.fingerprint() {
        return Err(AttestError::BadSignature(signer.fingerprint()));
    }
    if let Some(expected) = expected
        && *expected != signer
    {
        return Err(AttestError::WrongKey {
            signed_by: signer.fingerprint(),
            expected: expected.fingerprint(),
        });
    }
    Ok(a)
}

/// True when `id` is a requirement ID (DESIGN §4: `^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`) — and
/// therefore safe in a file name.
pub fn is_requirement_id(id: &str) -> bool {
    let mut parts = id.split('-');
    let first_ok = parts.next().is_some_and(|p| {
        p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && p.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    });
    let rest: Vec<&str> = parts.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement() -> Attestation {
        Attestation {
            format: FORMAT.into(),
            run: Attached::of("run.json", b"{}"),
            requirement: "LTI13-TOOL-UI-001".into(),
            verdict_in_run: "manual".into(),
            by: "Dana District".into(),
            at: "2026-01-01T00:00:00Z".into(),
            verdict: "pass".into(),
            note: "The launch page shows the course title.".into(),
            evidence: Attached::of("screenshot.png", b"\x89PNG"),
            signer_public_key: String::new(),
            signer_fingerprint: String::new(),
        }
    }

    #[test]
    fn a_signed_attestation_verifies_and_any_edit_breaks_it() {
        let (key, _) = SigningKey::generate().expect("key");
        let text = statement().sign(&key);
        let a = verify(&text, Some(&key.public_key())).expect("valid");
        assert_eq!(a.by, "Dana District");
        assert_eq!(a.signer_fingerprint, key.public_key().fingerprint());

        let edited = text.replace("Dana District", "Dana Distrikt");
        assert!(matches!(
            verify(&edited, None),
            Err(AttestError::BadSignature(_))
        ));
        let (other, _) = SigningKey::generate().expect("key");
        assert!(matches!(
            verify(&text, Some(&other.public_key())),
            Err(AttestError::WrongKey { .. })
        ));
        assert!(matches!(verify("{}", None), Err(AttestError::Malformed(_))));
    }

    #[test]
    fn requirement_ids_follow_the_catalogue_pattern() {
        for ok in ["LTI13-TOOL-SEC-007", "OR12-SP-PAGE-003", "A-1"] {
            assert!(is_requirement_id(ok), "{ok}");
        }
        for bad in [
            "", "A", "a-1", "A-", "A--1", "../A-1", "A-1/..", "A-1 ", "1A-2",
        ] {
            assert!(!is_requirement_id(bad), "{bad}");
        }
    }
}
