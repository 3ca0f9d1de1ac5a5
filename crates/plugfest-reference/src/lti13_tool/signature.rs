//! Deciding whether an `id_token`'s claims may be believed: its JOSE header (`alg`, `kid`,
//! `crit`) and its RS256 signature against the platform's registered key set.

use jsonwebtoken::{Algorithm, DecodingKey};

use super::fault::{FaultSet, Lti13ToolFault};
use super::jwt::UnverifiedJws;
use super::platform_keys::{KeyLookup, PlatformKeys};
use super::refusal::LaunchRefusal;

/// Faults that bend the signature checks; each is read by one check below.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SignatureFaults {
    /// `lti13-tool/signature-not-verified`: skip the RS256 verification.
    pub signature_not_verified: bool,
    /// `lti13-tool/alg-none-accepted`: trust an unsigned `alg: none` token.
    pub alg_none_accepted: bool,
    /// `lti13-tool/unknown-kid-skips-verification`: trust a token whose key is unknown.
    pub unknown_kid_skips_verification: bool,
}

impl SignatureFaults {
    pub(crate) fn from_set(set: &FaultSet) -> Self {
        Self {
            signature_not_verified: set.has(Lti13ToolFault::SignatureNotVerified),
            alg_none_accepted: set.has(Lti13ToolFault::AlgNoneAccepted),
            unknown_kid_skips_verification: set.has(Lti13ToolFault::UnknownKidSkipsVerification),
        }
    }
}

/// What the header says about how the token is signed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SigningKeyRef<'a> {
    /// RS256 with the platform key of this `kid`.
    Rs256(&'a str),
    /// `alg: none`, accepted only under the `alg-none-accepted` fault.
    Unsigned,
}

/// Check the JOSE header: RS256 and a `kid`, no critical extensions.
pub(crate) fn check_header<'a>(
    jws: &'a UnverifiedJws<'_>,
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
    // algorithm can make a public key into a shared secret).
    if alg != Some("RS256") {
        return Err(LaunchRefusal::AlgNotAllowed);
    }
    // RFC 7515 §4.1.11: a recipient that does not understand a `crit` extension must reject.
    if jws.header.contains_key("crit") {
        return Err(LaunchRefusal::CriticalHeader);
    }
    // Sec §6.3: "The Issuer of a JWT identifies the key a receiver uses to validate the JWT
    // signature by using the kid JWT header Claim." (jku, x5u and jwk headers are ignored.)
    let kid = jws.header_str("kid").ok_or(LaunchRefusal::KidMissing)?;
    Ok(SigningKeyRef::Rs256(kid))
}

/// Verify the RS256 signature with the platform key named by the header.
pub(crate) async fn verify(
    jws: &UnverifiedJws<'_>,
    key_ref: SigningKeyRef<'_>,
    keys: &PlatformKeys,
    faults: SignatureFaults,
) -> Result<(), LaunchRefusal> {
    let SigningKeyRef::Rs256(kid) = key_ref else {
        return Ok(());
    };
    let key = match keys.key(kid).await {
        Ok(KeyLookup::Found(key)) => key,
        Ok(KeyLookup::Unknown) if faults.unknown_kid_skips_verification => return Ok(()),
        Ok(KeyLookup::Unknown) => return Err(LaunchRefusal::KidUnknown),
        Err(_) => return Err(LaunchRefusal::PlatformKeysUnavailable),
    };
    if faults.signature_not_verified {
        return Ok(());
    }
    check_rs256(jws, &key)
}

/// Sec §5.1.3 step 1: "The Tool MUST Validate the signature of the ID Token according to JSON
/// Web Signature [RFC7515], Section 5.2 using the Public Key from the Platform".
pub(crate) fn check_rs256(jws: &UnverifiedJws<'_>, key: &DecodingKey) -> Result<(), LaunchRefusal> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lti13_tool::jwt::encode_part;
    use serde_json::{Value, json};

    fn token(header: Value) -> String {
        format!("{}.{}.", encode_part(&header), encode_part(&json!({})))
    }

    fn header_result(header: Value, faults: SignatureFaults) -> Result<String, LaunchRefusal> {
        let t = token(header);
        let jws = UnverifiedJws::parse(&t).unwrap();
        check_header(&jws, faults).map(|k| format!("{k:?}"))
    }

    #[test]
    fn rs256_with_kid_passes() {
        assert_eq!(
            header_result(
                json!({"alg": "RS256", "kid": "k1"}),
                SignatureFaults::default()
            ),
            Ok("Rs256(\"k1\")".into())
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
        let jws = UnverifiedJws::parse(&token).unwrap();
        assert_eq!(check_rs256(&jws, &key), Ok(()));

        let tampered = format!(
            "{}.{}.{}",
            token.split('.').next().unwrap(),
            encode_part(&json!({"iss": "q"})),
            token.rsplit('.').next().unwrap()
        );
        let jws = UnverifiedJws::parse(&tampered).unwrap();
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
}
