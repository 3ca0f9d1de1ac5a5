//! Deciding whether an `id_token`'s claims may be believed: its JOSE header (`alg`, `kid`,
//! `crit`) and its RS256 signature against the platform's registered key set.

use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
use aws_lc_rs::{hmac, rsa};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey};

use super::fault::{FaultSet, Lti13ToolFault};
use super::platform_keys::{KeyLookup, PlatformKeys};
use super::refusal::LaunchRefusal;
use crate::jose::Jws;

/// Faults that bend the signature checks; each is read by one check below.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SignatureFaults {
    /// `lti13-tool/signature-not-verified`: skip the RS256 verification.
    pub signature_not_verified: bool,
    /// `lti13-tool/alg-none-accepted`: trust an unsigned `alg: none` token.
    pub alg_none_accepted: bool,
    /// `lti13-tool/unknown-kid-skips-verification`: trust a token whose key is unknown.
    pub unknown_kid_skips_verification: bool,
    /// `lti13-tool/missing-kid-uses-first-key`: verify a token without `kid` with the first
    /// platform key.
    pub missing_kid_uses_first_key: bool,
    /// `lti13-tool/hs256-accepted-with-public-key`: accept HS256 keyed with the platform's
    /// public key as PEM text.
    pub hs256_accepted_with_public_key: bool,
}

impl SignatureFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            signature_not_verified: set.has(Lti13ToolFault::SignatureNotVerified),
            alg_none_accepted: set.has(Lti13ToolFault::AlgNoneAccepted),
            unknown_kid_skips_verification: set.has(Lti13ToolFault::UnknownKidSkipsVerification),
            missing_kid_uses_first_key: set.has(Lti13ToolFault::MissingKidUsesFirstKey),
            hs256_accepted_with_public_key: set.has(Lti13ToolFault::Hs256AcceptedWithPublicKey),
        }
    }
}

/// What the header says about how the token is signed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SigningKeyRef<'a> {
    /// RS256 with the platform key of this `kid` (`None` only under the
    /// `missing-kid-uses-first-key` fault: the first key of the set).
    Rs256(Option<&'a str>),
    /// HS256 keyed with a platform public key, accepted only under the
    /// `hs256-accepted-with-public-key` fault.
    Hs256(Option<&'a str>),
    /// `alg: none`, accepted only under the `alg-none-accepted` fault.
    Unsigned,
}

/// Check the JOSE header: RS256 and a `kid`, no critical extensions.
pub(crate) fn check_header<'a>(
    jws: &'a Jws<'_>,
    faults: SignatureFaults,
) -> Result<SigningKeyRef<'a>, LaunchRefusal> {
    let alg = jws.header_str("alg");
    // Sec §5.1.3 step 1 requires a signature to validate, and `none` carries none (Sec §5.4:
    // JWTs "MUST NOT use none as the alg value").
    if faults.alg_none_accepted && alg == Some("none") {
        return Ok(SigningKeyRef::Unsigned);
    }
    // Sec §5.1.3 step 6: "The alg value SHOULD be the default of RS256" — this tool registered
    // no other id_token_signed_response_alg, so RS256 is the only one it accepts (and no HMAC
    // algorithm can make a public key into a shared secret: Sec §6 "the recipient verifies
    // the signature by using the Issuer's public key").
    let hmac = faults.hs256_accepted_with_public_key && alg == Some("HS256");
    if alg != Some("RS256") && !hmac {
        return Err(LaunchRefusal::AlgNotAllowed);
    }
    // RFC 7515 §4.1.11: a recipient that does not understand a `crit` extension must reject.
    if jws.header.contains_key("crit") {
        return Err(LaunchRefusal::CriticalHeader);
    }
    let kid = jws.header_str("kid");
    if hmac {
        return Ok(SigningKeyRef::Hs256(kid));
    }
    // Sec §6.3: "The Issuer of a JWT identifies the key a receiver uses to validate the JWT
    // signature by using the kid JWT header Claim." (jku, x5u and jwk headers are ignored.)
    // Cert §6.1.1 lists "No KID Sent in JWT header" among the known bad payloads.
    match kid {
        Some(kid) => Ok(SigningKeyRef::Rs256(Some(kid))),
        None if faults.missing_kid_uses_first_key => Ok(SigningKeyRef::Rs256(None)),
        None => Err(LaunchRefusal::KidMissing),
    }
}

/// Verify the signature with the platform key named by the header.
pub(crate) async fn verify(
    jws: &Jws<'_>,
    key_ref: SigningKeyRef<'_>,
    keys: &PlatformKeys,
    faults: SignatureFaults,
) -> Result<(), LaunchRefusal> {
    let unavailable = |_| LaunchRefusal::PlatformKeysUnavailable;
    match key_ref {
        SigningKeyRef::Unsigned => Ok(()),
        SigningKeyRef::Rs256(Some(kid)) => {
            let jwk = match keys.key(kid).await.map_err(unavailable)? {
                KeyLookup::Found(jwk) => jwk,
                KeyLookup::Unknown if faults.unknown_kid_skips_verification => return Ok(()),
                KeyLookup::Unknown => return Err(LaunchRefusal::KidUnknown),
            };
            if faults.signature_not_verified {
                return Ok(());
            }
            let key = DecodingKey::from_jwk(&jwk).map_err(|_| LaunchRefusal::SignatureInvalid)?;
            check_rs256(jws, &key)
        }
        SigningKeyRef::Rs256(None) => {
            let jwk = keys
                .first()
                .await
                .map_err(unavailable)?
                .ok_or(LaunchRefusal::KidUnknown)?;
            let key = DecodingKey::from_jwk(&jwk).map_err(|_| LaunchRefusal::SignatureInvalid)?;
            check_rs256(jws, &key)
        }
        SigningKeyRef::Hs256(kid) => {
            let named = match kid {
                Some(kid) => match keys.key(kid).await.map_err(unavailable)? {
                    KeyLookup::Found(jwk) => Some(*jwk),
                    KeyLookup::Unknown => None,
                },
                None => None,
            };
            let jwk = match named {
                Some(jwk) => jwk,
                None => keys
                    .first()
                    .await
                    .map_err(unavailable)?
                    .ok_or(LaunchRefusal::KidUnknown)?,
            };
            check_hs256_with_public_pem(jws, &jwk)
        }
    }
}

/// Sec §5.1.3 step 1: "The Tool MUST Validate the signature of the ID Token according to JSON
/// Web Signature [RFC7515], Section 5.2 using the Public Key from the Platform".
pub(crate) fn check_rs256(jws: &Jws<'_>, key: &DecodingKey) -> Result<(), LaunchRefusal> {
    match jsonwebtoken::crypto::verify(
        jws.signature,
        jws.signing_input.as_bytes(),
        key,
        Algorithm::RS256,
    ) {
        Ok(true) => Ok(()),
        _ => Err(LaunchRefusal::SignatureInvalid),
    }
}

/// The key-confusion bug of the `hs256-accepted-with-public-key` fault: HMAC-SHA256 over the
/// signing input, keyed with the platform's public key as PEM text.
fn check_hs256_with_public_pem(jws: &Jws<'_>, jwk: &Jwk) -> Result<(), LaunchRefusal> {
    let pem = public_key_pem(jwk).ok_or(LaunchRefusal::SignatureInvalid)?;
    let tag = URL_SAFE_NO_PAD
        .decode(jws.signature)
        .map_err(|_| LaunchRefusal::SignatureInvalid)?;
    let key = hmac::Key::new(hmac::HMAC_SHA256, pem.as_bytes());
    hmac::verify(&key, jws.signing_input.as_bytes(), &tag)
        .map_err(|_| LaunchRefusal::SignatureInvalid)
}

/// An RSA JWK as a `-----BEGIN PUBLIC KEY-----` PEM (X.509 SubjectPublicKeyInfo, base64 in
/// lines of 64 characters, each line ending in `\n`).
pub(crate) fn public_key_pem(jwk: &Jwk) -> Option<String> {
    let AlgorithmParameters::RSA(rsa_params) = &jwk.algorithm else {
        return None;
    };
    let unsigned = |b64: &str| {
        let bytes = URL_SAFE_NO_PAD.decode(b64).ok()?;
        let start = bytes.iter().position(|b| *b != 0)?;
        Some(bytes[start..].to_vec())
    };
    let components = rsa::PublicKeyComponents {
        n: unsigned(&rsa_params.n)?,
        e: unsigned(&rsa_params.e)?,
    };
    let der: PublicKeyX509Der<'static> = components.as_der().ok()?;
    let body = STANDARD.encode(der.as_ref());
    let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).ok()?);
        pem.push('\n');
    }
    pem.push_str("-----END PUBLIC KEY-----\n");
    Some(pem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::part as encode_part;
    use serde_json::{Value, json};

    fn token(header: Value) -> String {
        format!("{}.{}.", encode_part(&header), encode_part(&json!({})))
    }

    fn header_result(header: Value, faults: SignatureFaults) -> Result<String, LaunchRefusal> {
        let t = token(header);
        let jws = Jws::parse(&t).unwrap();
        check_header(&jws, faults).map(|k| format!("{k:?}"))
    }

    #[test]
    fn rs256_with_kid_passes() {
        assert_eq!(
            header_result(
                json!({"alg": "RS256", "kid": "k1"}),
                SignatureFaults::default()
            ),
            Ok("Rs256(Some(\"k1\"))".into())
        );
    }

    #[test]
    fn other_algorithms_are_refused() {
        for alg in [json!("none"), json!("HS256"), json!("RS512"), json!(null)] {
            assert_eq!(
                header_result(json!({"alg": alg, "kid": "k1"}), SignatureFaults::default()),
                Err(LaunchRefusal::AlgNotAllowed)
            );
        }
    }

    #[test]
    fn alg_none_passes_only_under_its_fault() {
        let faults = SignatureFaults {
            alg_none_accepted: true,
            ..Default::default()
        };
        assert_eq!(
            header_result(json!({"alg": "none"}), faults),
            Ok("Unsigned".into())
        );
    }

    #[test]
    fn a_missing_kid_is_refused() {
        assert_eq!(
            header_result(json!({"alg": "RS256"}), SignatureFaults::default()),
            Err(LaunchRefusal::KidMissing)
        );
    }

    #[test]
    fn rs256_signature_verifies_with_the_platform_key_only() {
        use aws_lc_rs::encoding::AsDer;
        use aws_lc_rs::rsa::{KeyPair, KeySize};
        use base64::Engine as _;

        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(pair.as_der().unwrap().as_ref())
        );
        let signing = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
        header.kid = Some("k".into());
        let token = jsonwebtoken::encode(&header, &json!({"iss": "p"}), &signing).unwrap();
        let public = aws_lc_rs::signature::KeyPair::public_key(&pair);
        let key = DecodingKey::from_rsa_raw_components(
            public.modulus().big_endian_without_leading_zero(),
            public.exponent().big_endian_without_leading_zero(),
        );
        let jws = Jws::parse(&token).unwrap();
        assert_eq!(check_rs256(&jws, &key), Ok(()));

        let tampered = format!(
            "{}.{}.{}",
            token.split('.').next().unwrap(),
            encode_part(&json!({"iss": "q"})),
            token.rsplit('.').next().unwrap()
        );
        let jws = Jws::parse(&tampered).unwrap();
        assert_eq!(
            check_rs256(&jws, &key),
            Err(LaunchRefusal::SignatureInvalid)
        );
    }

    #[test]
    fn critical_extensions_are_refused() {
        assert_eq!(
            header_result(
                json!({"alg": "RS256", "kid": "k", "crit": ["exp"]}),
                SignatureFaults::default()
            ),
            Err(LaunchRefusal::CriticalHeader)
        );
    }
    #[test]
    fn a_missing_kid_means_the_first_key_only_under_its_fault() {
        let faults = SignatureFaults {
            missing_kid_uses_first_key: true,
            ..Default::default()
        };
        assert_eq!(
            header_result(json!({"alg": "RS256"}), faults),
            Ok("Rs256(None)".into())
        );
    }

    #[test]
    fn hs256_passes_the_header_only_under_its_fault() {
        assert_eq!(
            header_result(
                json!({"alg": "HS256", "kid": "k"}),
                SignatureFaults::default()
            ),
            Err(LaunchRefusal::AlgNotAllowed)
        );
        let faults = SignatureFaults {
            hs256_accepted_with_public_key: true,
            ..Default::default()
        };
        assert_eq!(
            header_result(json!({"alg": "HS256", "kid": "k"}), faults),
            Ok("Hs256(Some(\"k\"))".into())
        );
        assert_eq!(
            header_result(json!({"alg": "HS384", "kid": "k"}), faults),
            Err(LaunchRefusal::AlgNotAllowed)
        );
    }

    #[test]
    fn the_public_key_pem_is_the_spki_in_64_character_lines() {
        use aws_lc_rs::rsa::{KeyPair, KeySize};
        use aws_lc_rs::signature::KeyPair as _;

        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let public = pair.public_key();
        let jwk: Jwk = serde_json::from_value(json!({
            "kty": "RSA", "kid": "k",
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
        }))
        .unwrap();
        let pem = public_key_pem(&jwk).unwrap();
        let expected_der = public.as_der().unwrap();
        let body = STANDARD.encode(expected_der.as_ref());
        let lines: Vec<&str> = pem.split_terminator('\n').collect();
        assert_eq!(lines.first(), Some(&"-----BEGIN PUBLIC KEY-----"));
        assert_eq!(lines.last(), Some(&"-----END PUBLIC KEY-----"));
        assert!(pem.ends_with("-----END PUBLIC KEY-----\n"));
        assert!(lines[1..lines.len() - 1].iter().all(|l| l.len() <= 64));
        assert!(lines[1..lines.len() - 2].iter().all(|l| l.len() == 64));
        assert_eq!(lines[1..lines.len() - 1].concat(), body);

        // The key-confusion token: HMAC-SHA256 keyed with those PEM bytes.
        let signing_input = format!(
            "{}.{}",
            encode_part(&json!({"alg": "HS256", "kid": "k"})),
            encode_part(&json!({"iss": "p"}))
        );
        let key = hmac::Key::new(hmac::HMAC_SHA256, pem.as_bytes());
        let tag = URL_SAFE_NO_PAD.encode(hmac::sign(&key, signing_input.as_bytes()).as_ref());
        let token = format!("{signing_input}.{tag}");
        let jws = Jws::parse(&token).unwrap();
        assert_eq!(check_hs256_with_public_pem(&jws, &jwk), Ok(()));
        let forged = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode([0u8; 32]));
        let jws = Jws::parse(&forged).unwrap();
        assert_eq!(
            check_hs256_with_public_pem(&jws, &jwk),
            Err(LaunchRefusal::SignatureInvalid)
        );
    }
}
